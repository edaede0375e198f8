/* Test support implementation. */
#include "ct_test.h"
#include "store/driver.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static ct_time fixed_clock(void *payload)
{
    (void)payload;
    return ct_time_from_civil(2025, 1, 1, 0, 0, 0);
}

ct_ctx *ct_test_ctx(void)
{
    ct_ctx_options o = CT_CTX_OPTIONS_INIT;
    ct_ctx *ctx = NULL;
    o.clock = fixed_clock;
    o.progress = false;
    if (ct_ctx_new(&ctx, &o) < 0)
        fail_msg("ct_ctx_new: %s", ct_error_last()->message);
    return ctx;
}

const char *ct_test_backend(void)
{
    const char *b = getenv("CT_TEST_BACKEND");
    return b && strcmp(b, "pg") == 0 ? "pg" : "sqlite";
}

bool ct_test_backend_available(void)
{
    if (strcmp(ct_test_backend(), "pg") != 0)
        return true;
    const char *dsn = getenv("CT_TEST_PG_DSN");
    return dsn && *dsn;
}

static int schema_seq;

char *ct_test_fresh_dsn(void)
{
    ct_buf b = CT_BUF_INIT;
    if (strcmp(ct_test_backend(), "pg") == 0) {
        const char *dsn = getenv("CT_TEST_PG_DSN");
        void *conn = NULL;
        char schema[64], sql[256];
        snprintf(schema, sizeof schema, "t_%ld_%d", (long)getpid(), ++schema_seq);
        if (ct_store__driver_pg.open(&conn, dsn) < 0)
            fail_msg("pg open: %s", ct_error_last()->message);
        snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s;", schema,
                 schema);
        if (ct_store__driver_pg.exec(conn, sql) < 0)
            fail_msg("pg schema: %s", ct_error_last()->message);
        ct_store__driver_pg.close(conn);
        ct_buf_printf(&b, "%s%soptions=-csearch_path%%3D%s", dsn, strchr(dsn, '?') ? "&" : "?",
                      schema);
    } else {
        char *dir = ct_test_tmpdir();
        ct_buf_printf(&b, "%s/test.db", dir);
        ct_free(dir);
    }
    return ct_buf_detach(&b);
}

ct_store *ct_test_store_open(const ct_ctx *ctx)
{
    ct_store *st = NULL;
    if (strcmp(ct_test_backend(), "pg") == 0) {
        char *dsn = ct_test_fresh_dsn();
        if (ct_store_open(&st, ctx, dsn) < 0)
            fail_msg("store open %s: %s", dsn, ct_error_format());
        ct_free(dsn);
    } else if (ct_store_open(&st, ctx, ":memory:") < 0) {
        fail_msg("store open: %s", ct_error_format());
    }
    return st;
}

char *ct_test_shared_path(const char *rel)
{
    const char *root = getenv("CT_SHARED_DIR");
    ct_buf b = CT_BUF_INIT;
    struct stat sb;
    ct_buf_printf(&b, "%s/%s", root && *root ? root : CT_SHARED_DIR, rel);
    if (stat(b.ptr, &sb) != 0) {
        ct_buf_dispose(&b);
        return NULL;
    }
    return ct_buf_detach(&b);
}

char *ct_test_shared_line_with(const char *rel, const char *needle)
{
    char *path = ct_test_shared_path(rel), *data = NULL, *hit, *line = NULL;
    size_t len = 0;
    if (!path)
        return NULL;
    if (ct_file_read_any(&data, &len, path, (size_t)512 << 20) == 0 &&
        (hit = strstr(data, needle))) {
        char *start = hit, *end = strchr(hit, '\n');
        while (start > data && start[-1] != '\n')
            start--;
        if (!end)
            end = data + len;
        line = ct_calloc((size_t)(end - start) + 2, 1);
        memcpy(line, start, (size_t)(end - start));
        line[end - start] = '\n';
    }
    ct_free(data);
    ct_free(path);
    return line;
}

/* Directories made by ct_test_tmpdir(), removed with their contents when the test program
 * exits (CT_TEST_KEEP_TMP set: kept, to look at after a failure). Only the process that made
 * them removes them: a forked child's exit() leaves them to its parent. */
static char **tmpdirs;
static size_t ntmpdirs;
static pid_t tmpdirs_owner;

static void rm_tree(const char *path)
{
    struct stat sb;
    if (lstat(path, &sb) != 0)
        return;
    if (S_ISDIR(sb.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *e;
        ct_buf sub = CT_BUF_INIT;
        while (d && (e = readdir(d))) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            ct_buf_reset(&sub);
            ct_buf_printf(&sub, "%s/%s", path, e->d_name);
            rm_tree(sub.ptr);
        }
        if (d)
            closedir(d);
        ct_buf_dispose(&sub);
        rmdir(path);
    } else {
        unlink(path);
    }
}

static void tmpdirs_remove(void)
{
    bool keep = getenv("CT_TEST_KEEP_TMP") != NULL;
    if (getpid() != tmpdirs_owner)
        return;
    for (size_t i = 0; i < ntmpdirs; i++) {
        if (!keep)
            rm_tree(tmpdirs[i]);
        ct_free(tmpdirs[i]);
    }
    ct_free(tmpdirs);
    tmpdirs = NULL;
    ntmpdirs = 0;
}

char *ct_test_tmpdir(void)
{
    char tmpl[] = "/tmp/cratrace-test-XXXXXX";
    char **grown;
    if (!mkdtemp(tmpl))
        fail_msg("mkdtemp failed");
    if (!tmpdirs_owner) {
        tmpdirs_owner = getpid();
        atexit(tmpdirs_remove);
    }
    if (getpid() == tmpdirs_owner &&
        (grown = ct_reallocarray(tmpdirs, ntmpdirs + 1, sizeof *tmpdirs)) != NULL) {
        tmpdirs = grown;
        tmpdirs[ntmpdirs++] = ct_strdup(tmpl);
    }
    return ct_strdup(tmpl);
}

char *ct_test_write_file(const char *dir, const char *name, const char *text)
{
    ct_buf b = CT_BUF_INIT;
    ct_buf_printf(&b, "%s/%s", dir, name);
    if (ct_file_write(b.ptr, text, strlen(text)) < 0)
        fail_msg("write %s: %s", b.ptr, ct_error_last()->message);
    return ct_buf_detach(&b);
}

static void collect_dir(ct_test_files *fl, const char *dir, const char *const *exts)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    if (!d)
        return;
    while ((e = readdir(d))) {
        char path[4096];
        struct stat sb;
        size_t len;
        bool want = false;
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode)) {
            collect_dir(fl, path, exts);
            continue;
        }
        len = strlen(path);
        for (size_t i = 0; exts[i] && !want; i++) {
            size_t el = strlen(exts[i]);
            want = len > el && strcmp(path + len - el, exts[i]) == 0;
        }
        if (!want)
            continue;
        if (fl->n == fl->cap) {
            fl->cap = fl->cap ? fl->cap * 2 : 64;
            fl->paths = ct_reallocarray(fl->paths, fl->cap, sizeof *fl->paths);
            assert_non_null(fl->paths);
        }
        fl->paths[fl->n++] = ct_strdup(path);
    }
    closedir(d);
}

static int cmp_path(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void ct_test_collect(ct_test_files *fl, const char *dir, const char *const *exts)
{
    collect_dir(fl, dir, exts);
    if (fl->n)
        qsort(fl->paths, fl->n, sizeof *fl->paths, cmp_path);
}

void ct_test_files_free(ct_test_files *fl)
{
    for (size_t i = 0; i < fl->n; i++)
        ct_free(fl->paths[i]);
    ct_free(fl->paths);
    fl->paths = NULL;
    fl->n = fl->cap = 0;
}

char *ct_test_read(const char *path, size_t *len)
{
    char *data = NULL;
    if (ct_file_read(&data, len, path, 1u << 30) < 0)
        fail_msg("read %s: %s", path, ct_error_format());
    return data;
}

void ct_test_same_str(const char *what, size_t i, const char *a, const char *b)
{
    if ((a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0))
        fail_msg("%s[%zu]: \"%s\" != \"%s\"", what, i, a ? a : "(null)", b ? b : "(null)");
}

/* ct_test_same_str with what (may be NULL) in front of the message */
static void same_in(const char *what, const char *field, size_t i, const char *a, const char *b)
{
    if ((a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0))
        fail_msg("%s%s%s[%zu]: \"%s\" != \"%s\"", what ? what : "", what ? ": " : "", field, i,
                 a ? a : "(null)", b ? b : "(null)");
}

void ct_test_same_sbom_ex(const char *what, const ct_sbom *a, const ct_sbom *b, bool strict_ref)
{
    const char *w = what ? what : "", *sep = what ? ": " : "";
    if (!a || !b)
        fail_msg("%s%sa model is missing", w, sep);
    same_in(what, "format", 0, a->format, b->format);
    same_in(what, "spec_version", 0, a->spec_version, b->spec_version);
    same_in(what, "serial_number", 0, a->serial_number, b->serial_number);
    same_in(what, "name", 0, a->name, b->name);
    same_in(what, "version", 0, a->version, b->version);
    if (a->ncomponents != b->ncomponents || a->ndeps != b->ndeps)
        fail_msg("%s%s%zu/%zu components, %zu/%zu dependencies", w, sep, a->ncomponents,
                 b->ncomponents, a->ndeps, b->ndeps);
    for (size_t i = 0; i < a->ncomponents; i++) {
        const ct_component *x = &a->components[i], *y = &b->components[i];
        if (strict_ref || x->bom_ref)
            same_in(what, "bom_ref", i, x->bom_ref, y->bom_ref);
        same_in(what, "type", i, x->type, y->type);
        same_in(what, "group", i, x->group, y->group);
        same_in(what, "name", i, x->name, y->name);
        same_in(what, "version", i, x->version, y->version);
        same_in(what, "purl", i, x->purl, y->purl);
        same_in(what, "cpe", i, x->cpe, y->cpe);
        same_in(what, "supplier", i, x->supplier, y->supplier);
        same_in(what, "hashes", i, x->hashes, y->hashes);
        same_in(what, "licenses", i, x->licenses, y->licenses);
        if (x->depth != y->depth)
            fail_msg("%s%scomponent %zu depth %u/%u", w, sep, i, x->depth, y->depth);
    }
    for (size_t i = 0; i < a->ndeps; i++) {
        same_in(what, "dep.ref", i, a->deps[i].ref, b->deps[i].ref);
        same_in(what, "dep.depends_on", i, a->deps[i].depends_on, b->deps[i].depends_on);
    }
}

void ct_test_same_sbom(const ct_sbom *a, const ct_sbom *b)
{
    ct_test_same_sbom_ex(NULL, a, b, false);
}

bool ct_test_oracles_installed(void)
{
    struct stat st;
    char path[4096];
    const char *home = getenv("ORACLES_HOME");
    if (home && *home) {
        snprintf(path, sizeof path, "%s/stamp", home);
        return stat(path, &st) == 0;
    }
    if (!(home = getenv("HOME")))
        return false;
    snprintf(path, sizeof path, "%s/.cache/cratrace-oracles/stamp", home);
    return stat(path, &st) == 0;
}

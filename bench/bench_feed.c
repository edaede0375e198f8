/* Benchmark of advisory import and matching at the scale of all public advisories (issue 6):
 *   1. every real advisory file under ../shared/conformance/advisories/ into one fresh store;
 *   2. a generated OSV corpus of 520,000 records (the size of all of OSV), made from the real OSV
 *      records by renaming ids, aliases and package names per copy (shapes, ranges and versions
 *      stay real), into a fresh store: time, peak RSS, store size;
 *   3. 1,000 SBOMs x 1,000 components drawn from the corpus' packages and versions, added as
 *      releases (each new SBOM is matched against the match index on the way in), then a full
 *      rematch (ct_store_match_all) cold (new handle: index built) and warm; the first
 *      --baseline-sboms SBOMs also on the previous per-pair path (CT_MATCH_PER_PAIR=1) in the
 *      same run; the VmRSS growth across a cold rematch is the match index.
 * Each step runs in a forked child so peak RSS (getrusage RUSAGE_CHILDREN) is its own.
 * The baseline in the same run is the raw read of the same bytes: gunzip + json-c parse of every
 * corpus line (what any importer must at least do). */
#define _DEFAULT_SOURCE 1 /* wait4: the peak RSS of one child */
#include "bench_util.h"

#include "cratrace/ident.h"
#include "cratrace/store.h"

#include <dirent.h>
#include <errno.h>
#include <json-c/json.h>
#include <malloc.h>
#include <stdarg.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#ifndef CT_BENCH_SHARED_DIR
#define CT_BENCH_SHARED_DIR "../shared"
#endif

#define GEN_VERSION 1

typedef struct {
    const char *shared, *dir;
    uint64_t records, sboms, components, seed;
    bool skip_real, skip_corpus, skip_match;
    uint64_t baseline_sboms; /* matching: SBOMs also run on the per-pair path (baseline) */
    const char *sbom_db;     /* matching: store with every SBOM added, reused when it exists */
    bool keep_db;            /* matching: keep match.db (and match-pp.db) for comparisons */
} config;

static void die(const char *fmt_, ...) CT_PRINTF(1, 2);
static void die(const char *fmt_, ...)
{
    va_list ap;
    fputs("bench_feed: ", stderr);
    va_start(ap, fmt_);
    vfprintf(stderr, fmt_, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

static void die_ct(const char *what)
{
    die("%s: %s", what, ct_error_format());
}

static void *xrealloc(void *p, size_t n)
{
    void *q = ct_reallocarray(p, n ? n : 1, 1);
    if (!q)
        die("out of memory");
    return q;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = xrealloc(NULL, n);
    memcpy(p, s, n);
    return p;
}

static double file_mib(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (double)sb.st_size / 1048576.0 : -1;
}

static void remove_db(const char *path)
{
    char p[4200];
    static const char *const sfx[] = { "", "-wal", "-shm", "-journal" };
    for (size_t i = 0; i < CT_NELEM(sfx); i++) {
        snprintf(p, sizeof p, "%s%s", path, sfx[i]);
        unlink(p);
    }
}

/* ---- reading gzip JSON lines ------------------------------------------------------------ */

typedef struct {
    gzFile gz;
    char *line;
    size_t cap;
} line_reader;

static void lr_open(line_reader *lr, const char *path)
{
    memset(lr, 0, sizeof *lr);
    if (!(lr->gz = gzopen(path, "rb")))
        die("cannot open %s", path);
    gzbuffer(lr->gz, 1 << 17);
    lr->cap = 1 << 16;
    lr->line = xrealloc(NULL, lr->cap);
}

/* Next line without its newline, or NULL at the end. */
static const char *lr_next(line_reader *lr, size_t *len)
{
    size_t n = 0;
    for (;;) {
        if (!gzgets(lr->gz, lr->line + n, (int)(lr->cap - n)))
            break;
        n += strlen(lr->line + n);
        if (n && lr->line[n - 1] == '\n') {
            lr->line[--n] = '\0';
            *len = n;
            return lr->line;
        }
        lr->cap *= 2;
        lr->line = xrealloc(lr->line, lr->cap);
    }
    if (!n)
        return NULL;
    *len = n;
    return lr->line;
}

static void lr_close(line_reader *lr)
{
    gzclose(lr->gz);
    ct_free(lr->line);
}

/* ---- the generated corpus --------------------------------------------------------------- */

/* The real OSV bulk files (one record per line). */
static size_t osv_files(char ***out, const config *cfg)
{
    char dir[4096], **v = NULL;
    size_t n = 0;
    DIR *d;
    struct dirent *e;

    snprintf(dir, sizeof dir, "%s/conformance/advisories/osv", cfg->shared);
    if (!(d = opendir(dir)))
        die("%s: %s (the shared conformance data is needed)", dir, strerror(errno));
    while ((e = readdir(d))) {
        char sub[4400];
        DIR *d2;
        struct dirent *f;
        if (e->d_name[0] == '.')
            continue;
        snprintf(sub, sizeof sub, "%s/%s", dir, e->d_name);
        if (!(d2 = opendir(sub)))
            continue; /* embedded-c-libs-subset.jsonl.gz repeats lines of the others */
        while ((f = readdir(d2))) {
            size_t l = strlen(f->d_name);
            if (l > 9 && strcmp(f->d_name + l - 9, ".jsonl.gz") == 0) {
                char p[4800];
                snprintf(p, sizeof p, "%s/%s", sub, f->d_name);
                v = xrealloc(v, (n + 1) * sizeof *v);
                v[n++] = xstrdup(p);
            }
        }
        closedir(d2);
    }
    closedir(d);
    if (!n)
        die("no OSV files under %s", dir);
    /* directory order is not stable: sort so the corpus is the same on every machine */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
            char *t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    *out = v;
    return n;
}

static void suffix_string(json_object *parent, const char *key, unsigned copy)
{
    json_object *s;
    char buf[1024];
    if (!json_object_object_get_ex(parent, key, &s) || !json_object_is_type(s, json_type_string))
        return;
    snprintf(buf, sizeof buf, "%s-c%u", json_object_get_string(s), copy);
    json_object_object_add(parent, key, json_object_new_string(buf));
}

/* Copy `copy` of a record: ids, aliases, related ids and package names renamed, the package
 * purl dropped (it would no longer agree with the name). Copy 0 is the record as published. */
static void rename_record(json_object *rec, unsigned copy)
{
    json_object *arr;
    if (!copy)
        return;
    suffix_string(rec, "id", copy);
    static const char *const lists[] = { "aliases", "related", "upstream" };
    for (size_t k = 0; k < CT_NELEM(lists); k++) {
        if (!json_object_object_get_ex(rec, lists[k], &arr) ||
            !json_object_is_type(arr, json_type_array))
            continue;
        for (size_t i = 0; i < json_object_array_length(arr); i++) {
            json_object *s = json_object_array_get_idx(arr, i);
            char buf[512];
            if (!json_object_is_type(s, json_type_string))
                continue;
            snprintf(buf, sizeof buf, "%s-c%u", json_object_get_string(s), copy);
            json_object_array_put_idx(arr, i, json_object_new_string(buf));
        }
    }
    if (json_object_object_get_ex(rec, "affected", &arr) &&
        json_object_is_type(arr, json_type_array))
        for (size_t i = 0; i < json_object_array_length(arr); i++) {
            json_object *a = json_object_array_get_idx(arr, i), *pkg;
            if (json_object_object_get_ex(a, "package", &pkg) &&
                json_object_is_type(pkg, json_type_object)) {
                suffix_string(pkg, "name", copy);
                json_object_object_del(pkg, "purl");
            }
        }
}

static void gen_corpus(const config *cfg, const char *path)
{
    char **files, tmp[4300];
    size_t nfiles = osv_files(&files, cfg);
    uint64_t written = 0;
    unsigned copy = 0;
    gzFile out;

    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    if (!(out = gzopen(tmp, "wb1")))
        die("cannot write %s", tmp);
    fprintf(stderr, "bench_feed: generating %llu OSV records into %s (cached)\n",
            (unsigned long long)cfg->records, path);
    while (written < cfg->records) {
        for (size_t f = 0; f < nfiles && written < cfg->records; f++) {
            line_reader lr;
            const char *line;
            size_t len;
            lr_open(&lr, files[f]);
            while (written < cfg->records && (line = lr_next(&lr, &len))) {
                json_object *rec = json_tokener_parse(line);
                if (!rec)
                    continue;
                rename_record(rec, copy);
                const char *s = json_object_to_json_string_ext(rec, JSON_C_TO_STRING_PLAIN);
                if (gzputs(out, s) < 0 || gzputc(out, '\n') < 0)
                    die("write %s failed", tmp);
                json_object_put(rec);
                written++;
            }
            lr_close(&lr);
        }
        copy++;
        fprintf(stderr, "  %llu records (%u copies)\n", (unsigned long long)written, copy);
    }
    if (gzclose(out) != Z_OK || rename(tmp, path) < 0)
        die("finishing %s failed", path);
    for (size_t f = 0; f < nfiles; f++)
        ct_free(files[f]);
    ct_free(files);
}

/* ---- measuring in a child ------------------------------------------------------------------ */

typedef void (*child_fn)(const config *cfg, const char *arg);

/* Run fn in a child; returns the child's peak RSS in MiB (RUSAGE_CHILDREN is the max over
 * waited-for children, so each child is measured in a fresh grandparent-free sequence). */
static double run_child(child_fn fn, const config *cfg, const char *arg, const char *kase)
{
    fflush(stdout);
    pid_t pid = fork();
    int status;
    struct rusage ru;
    if (pid < 0)
        die("fork: %s", strerror(errno));
    if (pid == 0) {
        fn(cfg, arg);
        fflush(stdout);
        _exit(0);
    }
    if (wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        die("child step failed");
    /* CPU time next to the wall clock: on a shared machine the wall clock includes waiting */
    bench_row("feed", kase, "cpu_seconds",
              (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
                  (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6,
              "s");
    return (double)ru.ru_maxrss / 1024.0;
}

static ct_ctx *new_ctx(void)
{
    ct_ctx_options opts = CT_CTX_OPTIONS_INIT;
    ct_ctx *ctx;
    opts.progress = false;
    if (ct_ctx_new(&ctx, &opts) < 0)
        die_ct("ctx");
    ct_ctx_set_now(ctx, 1750000000);
    return ctx;
}

static ct_store *fresh_store(ct_ctx *ctx, const char *path)
{
    ct_store *st;
    remove_db(path);
    if (ct_store_open(&st, ctx, path) < 0 || ct_store_migrate(st, NULL) < 0)
        die_ct("open store");
    return st;
}

/* 1. every real advisory file, one import each, into one store */
static void child_real(const config *cfg, const char *db)
{
    static const char *const files[] = {
        "osv/go-vulndb/osv-go.jsonl.gz",
        "osv/pypa-advisory-database/osv-pypi.jsonl.gz",
        "osv/rustsec/osv-crates.io.jsonl.gz",
        "osv/haskell-hsec/osv-hackage.jsonl.gz",
        "osv/bitnami-vulndb/osv-bitnami.jsonl.gz",
        "osv/oss-fuzz-vulns/osv-oss-fuzz.jsonl.gz",
        "osv/almalinux/osv-almalinux.jsonl.gz",
        "cve5/cve5-vulnrichment.jsonl.gz",
        "csaf-real/cisa/cisa-csaf-ot-it-all.jsonl.gz",
        "epss/epss-first-api-via-emba.csv.gz",
    };
    ct_ctx *ctx = new_ctx();
    ct_store *st = fresh_store(ctx, db);
    uint64_t total = 0, t_all = bench_now_ns();
    double bytes = 0;

    for (size_t i = 0; i < CT_NELEM(files); i++) {
        char path[4400];
        ct_import_stats s;
        snprintf(path, sizeof path, "%s/conformance/advisories/%s", cfg->shared, files[i]);
        memset(&s, 0, sizeof s);
        uint64_t t0 = bench_now_ns();
        if (ct_import_advisories_ex(st, path, strstr(files[i], "epss") ? "epss" : NULL, &s) < 0)
            die_ct(path);
        double sec = (double)(bench_now_ns() - t0) / 1e9;
        const char *name = strrchr(files[i], '/') + 1;
        bench_row("feed", name, "records", (double)s.records, "records");
        bench_row("feed", name, "rejected", (double)s.rejected, "records");
        bench_row("feed", name, "seconds", sec, "s");
        bench_row("feed", name, "records_per_s", (double)s.records / sec, "records/s");
        total += s.records;
        bytes += file_mib(path);
    }
    double sec = (double)(bench_now_ns() - t_all) / 1e9;
    bench_row("feed", "real_all", "records", (double)total, "records");
    bench_row("feed", "real_all", "compressed_input", bytes, "MiB");
    bench_row("feed", "real_all", "seconds", sec, "s");
    ct_store_close(st);
    bench_row("feed", "real_all", "store_size", file_mib(db), "MiB");
    ct_ctx_free(ctx);
}

/* baseline: gunzip + json-c parse + free of every corpus line */
static void child_baseline(const config *cfg, const char *corpus)
{
    line_reader lr;
    const char *line;
    size_t len;
    uint64_t n = 0, t0 = bench_now_ns();
    json_tokener *tok = json_tokener_new();
    (void)cfg;
    lr_open(&lr, corpus);
    while ((line = lr_next(&lr, &len))) {
        json_object *o = json_tokener_parse_ex(tok, line, (int)len);
        json_tokener_reset(tok);
        if (o)
            n++;
        json_object_put(o);
    }
    lr_close(&lr);
    json_tokener_free(tok);
    double sec = (double)(bench_now_ns() - t0) / 1e9;
    bench_row("feed", "corpus_baseline_parse", "records", (double)n, "records");
    bench_row("feed", "corpus_baseline_parse", "seconds", sec, "s");
}

/* 2. the generated corpus into a fresh store */
static void child_corpus(const config *cfg, const char *arg)
{
    char db[4200];
    ct_ctx *ctx = new_ctx();
    ct_store *st;
    ct_import_stats s;

    snprintf(db, sizeof db, "%s/corpus.db", cfg->dir);
    st = fresh_store(ctx, db);
    memset(&s, 0, sizeof s);
    uint64_t t0 = bench_now_ns();
    if (ct_import_advisories_ex(st, arg, "osv", &s) < 0)
        die_ct(arg);
    double sec = (double)(bench_now_ns() - t0) / 1e9;
    bench_row("feed", "corpus_import", "records", (double)s.records, "records");
    bench_row("feed", "corpus_import", "inserted", (double)s.inserted, "records");
    bench_row("feed", "corpus_import", "rejected", (double)s.rejected, "records");
    bench_row("feed", "corpus_import", "seconds", sec, "s");
    bench_row("feed", "corpus_import", "records_per_s", (double)s.records / sec, "records/s");
    ct_store_close(st);
    bench_row("feed", "corpus_import", "store_size", file_mib(db), "MiB");
    ct_ctx_free(ctx);
}

/* ---- 3. matching: SBOMs drawn from the corpus -------------------------------------------- */

typedef struct {
    char *purl; /* versionless "pkg:type/ns/name" */
    char **versions;
    size_t nversions;
} pkg_pool_entry;

typedef struct {
    pkg_pool_entry *v;
    size_t n;
    size_t *slot; /* open addressing over v by purl: index + 1, 0 = empty */
    size_t nslot;
} pkg_pool;

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* The pool entry for purl, created when new: one entry per package, so a package with many
 * advisories (the kernel, say) is drawn as often as any other. */
static pkg_pool_entry *pool_get(pkg_pool *pool, const char *purl)
{
    if ((pool->n + 1) * 2 > pool->nslot) {
        size_t ns = pool->nslot ? pool->nslot * 2 : 1 << 16;
        size_t *slot = ct_calloc(ns, sizeof *slot);
        if (!slot)
            die("out of memory");
        for (size_t i = 0; i < pool->n; i++) {
            size_t h = (size_t)hash_str(pool->v[i].purl) & (ns - 1);
            while (slot[h])
                h = (h + 1) & (ns - 1);
            slot[h] = i + 1;
        }
        ct_free(pool->slot);
        pool->slot = slot;
        pool->nslot = ns;
        pool->v = xrealloc(pool->v, ns / 2 * sizeof *pool->v);
    }
    size_t h = (size_t)hash_str(purl) & (pool->nslot - 1);
    while (pool->slot[h]) {
        pkg_pool_entry *e = &pool->v[pool->slot[h] - 1];
        if (strcmp(e->purl, purl) == 0)
            return e;
        h = (h + 1) & (pool->nslot - 1);
    }
    pool->slot[h] = ++pool->n;
    pkg_pool_entry *e = &pool->v[pool->n - 1];
    memset(e, 0, sizeof *e);
    e->purl = xstrdup(purl);
    return e;
}

/* Percent-encode a purl segment (keeps '/' when slash_ok). */
static void enc(ct_buf *b, const char *s, bool slash_ok)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '.' || c == '-' || c == '_' || c == '~' || (slash_ok && c == '/'))
            ct_buf_putc(b, (char)c);
        else
            ct_buf_printf(b, "%%%02X", c);
    }
}

static void add_version(pkg_pool_entry *e, json_object *s)
{
    if (!s || !json_object_is_type(s, json_type_string) || e->nversions >= 32)
        return;
    const char *v = json_object_get_string(s);
    if (!*v || strcmp(v, "0") == 0)
        return;
    for (size_t i = 0; i < e->nversions; i++)
        if (strcmp(e->versions[i], v) == 0)
            return;
    e->versions = xrealloc(e->versions, (e->nversions + 1) * sizeof *e->versions);
    e->versions[e->nversions++] = xstrdup(v);
}

/* One pool entry per affected package of every corpus record, with the versions the record
 * names (versions list and range event values): components at those versions hit ranges'
 * edges, the hardest case for the matcher. */
static void build_pool(pkg_pool *pool, const char *corpus, uint64_t limit)
{
    line_reader lr;
    const char *line;
    size_t len;
    uint64_t seen = 0;
    ct_buf key = CT_BUF_INIT, purl = CT_BUF_INIT;

    memset(pool, 0, sizeof *pool);
    lr_open(&lr, corpus);
    while (seen++ < limit && (line = lr_next(&lr, &len))) {
        json_object *rec = json_tokener_parse(line), *aff, *pkg, *eco, *name;
        if (!rec)
            continue;
        if (json_object_object_get_ex(rec, "affected", &aff) &&
            json_object_is_type(aff, json_type_array) && json_object_array_length(aff)) {
            json_object *a = json_object_array_get_idx(aff, 0), *vs, *ranges;
            const char *scheme;
            if (json_object_object_get_ex(a, "package", &pkg) &&
                json_object_object_get_ex(pkg, "ecosystem", &eco) &&
                json_object_object_get_ex(pkg, "name", &name) &&
                json_object_is_type(eco, json_type_string) &&
                json_object_is_type(name, json_type_string)) {
                ct_buf_reset(&key);
                ct_buf_reset(&purl);
                if (ct_osv_package_key(&key, &scheme, json_object_get_string(eco),
                                       json_object_get_string(name)) == 0 &&
                    strchr(key.ptr, '/')) {
                    ct_buf_puts(&purl, "pkg:");
                    enc(&purl, key.ptr, true);
                    pkg_pool_entry *e = pool_get(pool, purl.ptr);
                    if (json_object_object_get_ex(a, "versions", &vs) &&
                        json_object_is_type(vs, json_type_array))
                        for (size_t i = 0; i < json_object_array_length(vs); i++)
                            add_version(e, json_object_array_get_idx(vs, i));
                    if (json_object_object_get_ex(a, "ranges", &ranges) &&
                        json_object_is_type(ranges, json_type_array))
                        for (size_t i = 0; i < json_object_array_length(ranges); i++) {
                            json_object *r = json_object_array_get_idx(ranges, i), *evs;
                            if (!json_object_object_get_ex(r, "events", &evs) ||
                                !json_object_is_type(evs, json_type_array))
                                continue;
                            for (size_t k = 0; k < json_object_array_length(evs); k++) {
                                json_object *ev = json_object_array_get_idx(evs, k);
                                json_object_object_foreach(ev, ek, evv)
                                {
                                    (void)ek;
                                    add_version(e, evv);
                                }
                            }
                        }
                }
            }
        }
        json_object_put(rec);
    }
    lr_close(&lr);
    ct_buf_dispose(&key);
    ct_buf_dispose(&purl);
    /* drop packages without a version to draw from */
    size_t k = 0;
    for (size_t i = 0; i < pool->n; i++)
        if (pool->v[i].nversions)
            pool->v[k++] = pool->v[i];
    pool->n = k;
    if (!pool->n)
        die("no usable packages in %s", corpus);
}

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    static char buf[1 << 20];
    size_t n;
    if (!in || !out)
        die("copy %s -> %s: %s", from, to, strerror(errno));
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            die("write %s: %s", to, strerror(errno));
    if (ferror(in) || fclose(out) != 0)
        die("copy %s failed", from);
    fclose(in);
}

/* CPU (user + system) and wall clock of a phase of the matching child. */
typedef struct {
    uint64_t wall0;
    double cpu0;
} phase;

static double cpu_now(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static phase phase_start(void)
{
    phase p = { bench_now_ns(), cpu_now() };
    return p;
}

static void phase_end(const phase *p, const char *kase)
{
    bench_row("feed", kase, "wall_seconds", (double)(bench_now_ns() - p->wall0) / 1e9, "s");
    bench_row("feed", kase, "cpu_seconds", cpu_now() - p->cpu0, "s");
}

/* Heap in use now (glibc mallinfo2), MiB: the growth across building the index is its size
 * (VmRSS does not shrink when a previous handle's index is freed, so it under-reports). */
static double heap_now(void)
{
    struct mallinfo2 mi = mallinfo2();
    return (double)(mi.uordblks + mi.hblkhd) / (1024.0 * 1024.0);
}

/* Resident set now (VmRSS), MiB. */
static double rss_now(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    double kib = 0;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmRSS:", 6) == 0)
            kib = strtod(line + 6, NULL);
    if (f)
        fclose(f);
    return kib / 1024.0;
}

/* SBOMs [from, to) of the run: components drawn from the pool by r, added as releases of pid
 * (each matched on the way in), one transaction per 100 SBOMs. */
static void add_sboms(ct_store *st, const config *cfg, const pkg_pool *pool, bench_rng *r,
                      int64_t pid, uint64_t from, uint64_t to, ct_match_stats *ms)
{
    ct_component *comp = xrealloc(NULL, cfg->components * sizeof *comp);
    char **purls = xrealloc(NULL, cfg->components * sizeof *purls);
    ct_buf pb = CT_BUF_INIT;

    if (ct_store_begin(st) < 0)
        die_ct("begin");
    for (uint64_t s = from; s < to; s++) {
        ct_sbom sb;
        char ver[32];
        memset(&sb, 0, sizeof sb);
        sb.format = "cyclonedx-json";
        sb.spec_version = "1.5";
        for (uint64_t c = 0; c < cfg->components; c++) {
            const pkg_pool_entry *e = &pool->v[bench_rng_below(r, pool->n)];
            char *v = e->versions[bench_rng_below(r, e->nversions)];
            ct_buf_reset(&pb);
            ct_buf_printf(&pb, "%s@", e->purl);
            enc(&pb, v, false);
            ct_buf_printf(&pb, "?bench=%llu", (unsigned long long)c); /* distinct identities */
            purls[c] = xstrdup(pb.ptr);
            memset(&comp[c], 0, sizeof comp[c]);
            comp[c].bom_ref = purls[c];
            comp[c].type = "library";
            comp[c].name = strrchr(e->purl, '/') + 1;
            comp[c].version = v;
            comp[c].purl = purls[c];
        }
        sb.components = comp;
        sb.ncomponents = sb.components_cap = cfg->components;
        snprintf(ver, sizeof ver, "1.%llu.0", (unsigned long long)s);
        if (ct_store_release_add(NULL, st, pid, ver, 1600000000 + (ct_time)s * 86400, &sb,
                                 NULL, ms) < 0)
            die_ct("release_add");
        for (uint64_t c = 0; c < cfg->components; c++)
            ct_free(purls[c]);
        if (s % 100 == 99) {
            if (ct_store_commit(st) < 0 || ct_store_begin(st) < 0)
                die_ct("commit");
            fprintf(stderr, "  sboms: %llu/%llu\n", (unsigned long long)s + 1,
                    (unsigned long long)to);
        }
    }
    if (ct_store_commit(st) < 0)
        die_ct("commit");
    ct_buf_dispose(&pb);
    ct_free(comp);
    ct_free(purls);
}

static ct_store *open_copy(ct_ctx *ctx, const config *cfg, const char *db)
{
    char src[4200];
    ct_store *st;
    snprintf(src, sizeof src, "%s/corpus.db", cfg->dir);
    remove_db(db);
    copy_file(src, db); /* the imported corpus, so the step can be rerun */
    if (ct_store_open(&st, ctx, db) < 0 || ct_store_migrate(st, NULL) < 0)
        die_ct("open corpus store");
    return st;
}

static void reopen(ct_store **st, ct_ctx *ctx, const char *db)
{
    ct_store_close(*st);
    if (ct_store_open(st, ctx, db) < 0)
        die_ct("reopen");
}

static void match_all_row(ct_store *st, const char *kase)
{
    ct_match_stats ms;
    memset(&ms, 0, sizeof ms);
    phase p = phase_start();
    if (ct_store_match_all(st, &ms) < 0)
        die_ct("match_all");
    phase_end(&p, kase);
    bench_row("feed", kase, "candidates", (double)ms.candidates, "pairs");
    bench_row("feed", kase, "findings", (double)ms.findings, "findings");
}

/* Matching, with the previous per-pair path (CT_MATCH_PER_PAIR=1) as the baseline in the same
 * run on the first --baseline-sboms SBOMs (the same components on both paths):
 *   pp_*: per pair, B SBOMs added then match_all, on one copy of the corpus store;
 *   ix_*: the index, on a fresh copy: the same B SBOMs, match_all cold (new handle: the index
 *         is built) and warm, then the rest up to --sboms, and match_all cold and warm over all.
 * index_heap_growth: heap in use after minus before a cold match_all on a new handle (the
 * index; the previous handle's is freed); rss_growth_first_index: VmRSS across the first
 * index of the process (index, SQLite page cache, the SBOMs' rows). */
static void child_match(const config *cfg, const char *corpus)
{
    char db[4200];
    ct_ctx *ctx = new_ctx();
    ct_store *st;
    pkg_pool pool;
    bench_rng r;
    int64_t pid;
    ct_match_stats ms;
    uint64_t base = cfg->baseline_sboms < cfg->sboms ? cfg->baseline_sboms : cfg->sboms;
    phase p;

    struct stat sst;
    bool cached = cfg->sbom_db && stat(cfg->sbom_db, &sst) == 0;

    snprintf(db, sizeof db, "%s/match.db", cfg->dir);
    if (cached) {
        /* the SBOMs were added by an earlier run (--sbom-db): only the full rematches */
        remove_db(db);
        copy_file(cfg->sbom_db, db);
        if (ct_store_open(&st, ctx, db) < 0 || ct_store_migrate(st, NULL) < 0)
            die_ct("open --sbom-db copy");
        goto rematch;
    }
    build_pool(&pool, corpus, cfg->records);
    bench_row("feed", "match", "package_pool", (double)pool.n, "packages");

    if (base) {
        char ppdb[4100];
        snprintf(ppdb, sizeof ppdb, "%.4000s/match-pp.db", cfg->dir);
        setenv("CT_MATCH_PER_PAIR", "1", 1);
        st = open_copy(ctx, cfg, cfg->keep_db ? ppdb : db);
        if (ct_store_product_add(&pid, st, "bench-fleet", "Bench GmbH", "default",
                                 1900000000) < 0)
            die_ct("product");
        bench_rng_seed(&r, cfg->seed * 77 + 3);
        memset(&ms, 0, sizeof ms);
        p = phase_start();
        add_sboms(st, cfg, &pool, &r, pid, 0, base, &ms);
        phase_end(&p, "pp_incremental");
        bench_row("feed", "pp_incremental", "sboms", (double)base, "sboms");
        bench_row("feed", "pp_incremental", "candidates", (double)ms.candidates, "pairs");
        bench_row("feed", "pp_incremental", "findings", (double)ms.findings, "findings");
        match_all_row(st, "pp_match_all_base");
        ct_store_close(st);
        unsetenv("CT_MATCH_PER_PAIR");
    }

    st = open_copy(ctx, cfg, db);
    if (ct_store_product_add(&pid, st, "bench-fleet", "Bench GmbH", "default", 1900000000) < 0)
        die_ct("product");
    bench_rng_seed(&r, cfg->seed * 77 + 3);
    double rss_first = rss_now();
    if (base) {
        memset(&ms, 0, sizeof ms);
        p = phase_start();
        add_sboms(st, cfg, &pool, &r, pid, 0, base, &ms);
        phase_end(&p, "ix_incremental");
        /* the first index of the process: VmRSS growth is the index plus SQLite's cache */
        bench_row("feed", "match", "rss_growth_first_index", rss_now() - rss_first, "MiB");
        bench_row("feed", "ix_incremental", "sboms", (double)base, "sboms");
        bench_row("feed", "ix_incremental", "candidates", (double)ms.candidates, "pairs");
        bench_row("feed", "ix_incremental", "findings", (double)ms.findings, "findings");
        reopen(&st, ctx, db);
        match_all_row(st, "ix_match_all_base_cold");
        match_all_row(st, "ix_match_all_base_warm");
        if (cfg->keep_db) { /* the same SBOMs as match-pp.db, matched through the index */
            char ixdb[4100];
            snprintf(ixdb, sizeof ixdb, "%.4000s/match-ix-base.db", cfg->dir);
            ct_store_close(st);
            remove_db(ixdb);
            copy_file(db, ixdb);
            if (ct_store_open(&st, ctx, db) < 0)
                die_ct("reopen");
        }
    }
    if (base < cfg->sboms) {
        memset(&ms, 0, sizeof ms);
        p = phase_start();
        add_sboms(st, cfg, &pool, &r, pid, base, cfg->sboms, &ms);
        phase_end(&p, "ix_incremental_rest");
        bench_row("feed", "ix_incremental_rest", "sboms", (double)(cfg->sboms - base), "sboms");
        bench_row("feed", "ix_incremental_rest", "candidates", (double)ms.candidates, "pairs");
        bench_row("feed", "ix_incremental_rest", "findings", (double)ms.findings, "findings");
    }
    if (cfg->sbom_db) {
        ct_store_close(st);
        remove_db(cfg->sbom_db);
        copy_file(db, cfg->sbom_db);
        if (ct_store_open(&st, ctx, db) < 0)
            die_ct("reopen");
    }
    for (size_t i = 0; i < pool.n; i++) {
        for (size_t k = 0; k < pool.v[i].nversions; k++)
            ct_free(pool.v[i].versions[k]);
        ct_free(pool.v[i].versions);
        ct_free(pool.v[i].purl);
    }
    ct_free(pool.v);
    ct_free(pool.slot);
rematch:
    reopen(&st, ctx, db);
    double rss0 = rss_now(), heap0 = heap_now();
    match_all_row(st, "ix_match_all_cold");
    bench_row("feed", "match", "index_heap_growth", heap_now() - heap0, "MiB");
    bench_row("feed", "match", "rss_growth_cold_match_all", rss_now() - rss0, "MiB");
    match_all_row(st, "ix_match_all_warm");
    bench_row("feed", "match", "components", (double)(cfg->sboms * cfg->components),
              "components");
    ct_store_close(st);
    bench_row("feed", "match", "store_size", file_mib(db), "MiB");
    if (!cfg->keep_db)
        remove_db(db);
    ct_ctx_free(ctx);
}

/* ---- main --------------------------------------------------------------------------------- */

static void usage(void)
{
    fprintf(stderr,
            "usage: bench_feed [--dir DIR] [--shared DIR] [--records N] [--sboms N]\n"
            "                  [--components N] [--seed N] [--skip-real] [--skip-corpus]\n"
            "                  [--skip-match] [--baseline-sboms N] [--sbom-db FILE] [--keep-db]\n"
            "defaults: --dir bench-feed, 520,000 records, 1,000 SBOMs x 1,000 components;\n"
            "the first 50 SBOMs (--baseline-sboms, 0 = none) also on the per-pair path.\n"
            "The generated corpus is cached in DIR (osv-corpus-gG-N.jsonl.gz). --sbom-db FILE:\n"
            "the store with every SBOM added is saved to FILE, or, when FILE exists, copied\n"
            "and only the full rematches run (cold, warm). --keep-db keeps DIR/match.db,\n"
            "DIR/match-pp.db and DIR/match-ix-base.db (per-pair vs index on the same SBOMs).\n");
    exit(2);
}

int main(int argc, char **argv)
{
    config cfg = { CT_BENCH_SHARED_DIR, "bench-feed", 520000, 1000, 1000, 1, false, false,
                   false, 50, NULL, false };
    char corpus[4096], db[4096];
    struct stat sb;

    const bench_opt opts[] = {
        { "--dir", BENCH_OPT_STR, &cfg.dir },
        { "--shared", BENCH_OPT_STR, &cfg.shared },
        { "--records", BENCH_OPT_U64, &cfg.records },
        { "--sboms", BENCH_OPT_U64, &cfg.sboms },
        { "--components", BENCH_OPT_U64, &cfg.components },
        { "--seed", BENCH_OPT_U64, &cfg.seed },
        { "--skip-real", BENCH_OPT_TRUE, &cfg.skip_real },
        { "--skip-corpus", BENCH_OPT_TRUE, &cfg.skip_corpus },
        { "--skip-match", BENCH_OPT_TRUE, &cfg.skip_match },
        { "--baseline-sboms", BENCH_OPT_U64, &cfg.baseline_sboms },
        { "--sbom-db", BENCH_OPT_STR, &cfg.sbom_db },
        { "--keep-db", BENCH_OPT_TRUE, &cfg.keep_db },
    };
    if (!bench_parse_args(argc, argv, opts, CT_NELEM(opts)))
        usage();
    if (!cfg.records || !cfg.sboms || !cfg.components)
        usage();
    if (mkdir(cfg.dir, 0777) < 0 && errno != EEXIST)
        die("cannot create %s: %s", cfg.dir, strerror(errno));
    bench_header();
    bench_row("feed", "params", "records", (double)cfg.records, "records");
    bench_row("feed", "params", "sboms", (double)cfg.sboms, "sboms");
    bench_row("feed", "params", "components_per_sbom", (double)cfg.components, "components");

    if (!cfg.skip_real) {
        snprintf(db, sizeof db, "%s/real.db", cfg.dir);
        double rss = run_child(child_real, &cfg, db, "real_all");
        bench_row("feed", "real_all", "peak_rss", rss, "MiB");
        remove_db(db);
    }
    snprintf(corpus, sizeof corpus, "%s/osv-corpus-g%d-%llu.jsonl.gz", cfg.dir, GEN_VERSION,
             (unsigned long long)cfg.records);
    if (stat(corpus, &sb) < 0)
        gen_corpus(&cfg, corpus);
    bench_row("feed", "corpus", "compressed_size", file_mib(corpus), "MiB");
    if (!cfg.skip_corpus) {
        run_child(child_baseline, &cfg, corpus, "corpus_baseline_parse");
        double rss = run_child(child_corpus, &cfg, corpus, "corpus_import");
        bench_row("feed", "corpus_import", "peak_rss", rss, "MiB");
    }
    if (!cfg.skip_match) {
        double rss = run_child(child_match, &cfg, corpus, "match");
        bench_row("feed", "match", "peak_rss", rss, "MiB");
    }
    return 0;
}

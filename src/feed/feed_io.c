/* Shared reader plumbing: JSON value vs JSON lines, gzip files, directories. */
#include "feed_int.h"
#include "base/json_int.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static bool blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return false;
    return true;
}

/* JSON lines: the first non-blank line is a whole JSON value and more lines follow. */
static bool looks_like_lines(const char *data, size_t len)
{
    const char *nl;
    json_tokener *tok;
    json_object *o;
    bool lines;

    while ((nl = memchr(data, '\n', len)) && blank(data, (size_t)(nl - data))) {
        len -= (size_t)(nl - data) + 1;
        data = nl + 1;
    }
    if (!nl || blank(nl, len - (size_t)(nl - data)) || nl - data > INT32_MAX)
        return false;
    if (!(tok = json_tokener_new_ex(64)))
        return false;
    o = json_tokener_parse_ex(tok, data, (int)(nl - data));
    lines = o && json_tokener_get_error(tok) == json_tokener_success;
    json_object_put(o);
    json_tokener_free(tok);
    return lines;
}

int ct_feed__each_value(const ct_ctx *ctx, const char *data, size_t len, const char *source,
                        ct_feed__value_fn fn, void *state)
{
    json_object *v = NULL;
    int rc = 0;

    if (len > (size_t)INT32_MAX || !looks_like_lines(data, len)) {
        if ((rc = ct_json_parse(&v, ctx, data, len, source, 0)) == 0)
            rc = fn(v, source, state);
        json_object_put(v);
        return rc;
    }
    const char *p = data, *end = data + len;
    uint32_t line = 1;
    char src[600];
    while (p < end && rc == 0) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (!blank(p, n)) {
            if (n > ct_ctx_limits(ctx)->max_doc_bytes) {
                ct_loc loc = { source, line, 1, (int64_t)(p - data), NULL };
                return ct_error_set_at(&loc, CT_ELIMIT, "line of %zu bytes exceeds the limit", n);
            }
            if ((rc = ct_json_parse(&v, ctx, p, n, source, line)) == 0) {
                snprintf(src, sizeof src, "%s:%u", source, line);
                rc = fn(v, src, state);
                json_object_put(v);
                v = NULL;
            }
        }
        p += n + 1;
        line++;
    }
    return rc;
}

typedef struct {
    ct_feed__record_fn fn;
    void *state;
} record_job;

static int each_record_of(json_object *v, const char *source, void *state)
{
    record_job *job = state;
    int rc = 0;
    if (!json_object_is_type(v, json_type_array))
        return job->fn(v, source, SIZE_MAX, job->state);
    for (size_t i = 0; i < json_object_array_length(v) && rc == 0; i++)
        rc = job->fn(json_object_array_get_idx(v, i), source, i, job->state);
    return rc;
}

int ct_feed__each_record(const ct_ctx *ctx, const char *data, size_t len, const char *source,
                         ct_feed__record_fn fn, void *state)
{
    record_job job = { fn, state };
    return ct_feed__each_value(ctx, data, len, source, each_record_of, &job);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcmp(s + n - m, suf) == 0;
}

static int read_dir(const ct_ctx *ctx, const char *path, ct_feed__mem_reader rd,
                    ct_advisory_cb cb, void *payload, int depth)
{
    DIR *d;
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;

    if (depth > 16)
        return ct_error_set(CT_ELIMIT, "%s: directories nested too deep", path);
    if (!(d = opendir(path))) {
        ct_loc loc = { path, 0, 0, -1, NULL };
        return ct_error_set_at(&loc, CT_EIO, "cannot read directory");
    }
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            char **nn = ct_reallocarray(names, ncap, sizeof *nn);
            if (!nn) {
                rc = ct_error_set(CT_ENOMEM, "out of memory");
                break;
            }
            names = nn;
            cap = ncap;
        }
        if (!(names[n] = ct_strdup(e->d_name))) {
            rc = ct_error_set(CT_ENOMEM, "out of memory");
            break;
        }
        n++;
    }
    closedir(d);
    if (rc == 0 && n > 1)
        qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n && rc == 0; i++) {
        ct_buf full = CT_BUF_INIT;
        struct stat sb;
        ct_buf_printf(&full, "%s/%s", path, names[i]);
        if (full.failed)
            rc = ct_error_set(CT_ENOMEM, "out of memory");
        else if (stat(full.ptr, &sb) == 0 && S_ISDIR(sb.st_mode))
            rc = read_dir(ctx, full.ptr, rd, cb, payload, depth + 1);
        else if (has_suffix(names[i], ".json") || has_suffix(names[i], ".jsonl") ||
                 has_suffix(names[i], ".json.gz") || has_suffix(names[i], ".jsonl.gz"))
            rc = ct_feed__read_path(ctx, full.ptr, rd, cb, payload);
        ct_buf_dispose(&full);
    }
    for (size_t i = 0; i < n; i++)
        ct_free(names[i]);
    ct_free(names);
    return rc;
}

int ct_feed__read_path(const ct_ctx *ctx, const char *path, ct_feed__mem_reader rd,
                       ct_advisory_cb cb, void *payload)
{
    struct stat sb;
    char *data = NULL;
    size_t len = 0;
    int rc;

    if (strcmp(path, "-") != 0 && stat(path, &sb) != 0) {
        ct_loc loc = { path, 0, 0, -1, NULL };
        return ct_error_set_at(&loc, CT_ENOTFOUND, "no such file or directory");
    }
    if (strcmp(path, "-") != 0 && S_ISDIR(sb.st_mode))
        return read_dir(ctx, path, rd, cb, payload, 0);
    if ((rc = ct_file_read_any(&data, &len, path, ct_ctx_limits(ctx)->max_doc_bytes)) < 0)
        return rc;
    rc = rd(ctx, data, len, path, cb, payload);
    ct_free(data);
    return rc;
}

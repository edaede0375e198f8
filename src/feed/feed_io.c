/* Shared reader plumbing: JSON value vs JSON lines, gzip files, directories. */
#include "feed_int.h"
#include "base/json_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

/* Set while ct_feed__read_path streams a JSON-lines file: the line number of the one line
 * the reader is handed, so each_value reports it as before (source "file:line", errors at that
 * line) although it sees a single value. Thread-local: readers may run in several threads. */
static _Thread_local uint32_t stream_line;

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

/* One json-c tokener per thread for the lines of a stream (allocating one per line was 5 % of
 * an OSV import), created for the depth limit it was made with. */
static _Thread_local json_tokener *stream_tok;
static _Thread_local int stream_tok_depth;

/* The tape the lines of a stream are parsed into (ct_feed__each_record_tape). */
static _Thread_local ct_jtape stream_tape;

static void ct_feed__stream_tok_free(void)
{
    if (stream_tok)
        json_tokener_free(stream_tok);
    stream_tok = NULL;
    ct_jtape_dispose(&stream_tape);
}

/* ct_json_parse for one streamed line, reusing the thread's tokener: a line that parses
 * cleanly gives the same value; anything else is parsed again by ct_json_parse, which reports
 * the error exactly as before. */
static int parse_line(json_object **out, const ct_ctx *ctx, const char *data, size_t len,
                      const char *source, uint32_t line)
{
    const ct_limits *lim = ct_ctx_limits(ctx);
    size_t bad;

    *out = NULL;
    if (len <= lim->max_doc_bytes && len <= (size_t)INT32_MAX && ct_utf8_valid(data, len, &bad)) {
        if (stream_tok && stream_tok_depth != lim->max_depth)
            ct_feed__stream_tok_free();
        if (!stream_tok && (stream_tok = json_tokener_new_ex(lim->max_depth))) {
            stream_tok_depth = lim->max_depth;
            json_tokener_set_flags(stream_tok, JSON_TOKENER_STRICT);
        }
        if (stream_tok) {
            json_tokener_reset(stream_tok);
            json_object *o = json_tokener_parse_ex(stream_tok, data, (int)len);
            size_t end = json_tokener_get_parse_end(stream_tok);
            bool clean = o && json_tokener_get_error(stream_tok) == json_tokener_success;
            for (size_t i = end; clean && i < len; i++)
                clean = data[i] == ' ' || data[i] == '\n' || data[i] == '\r' || data[i] == '\t';
            if (clean) {
                *out = o;
                return 0;
            }
            json_object_put(o);
        }
    }
    return ct_json_parse(out, ctx, data, len, source, line);
}

int ct_feed__each_value(const ct_ctx *ctx, const char *data, size_t len, const char *source,
                        ct_feed__value_fn fn, void *state)
{
    json_object *v = NULL;
    int rc = 0;

    if (stream_line) {
        char src[600];
        if ((rc = parse_line(&v, ctx, data, len, source, stream_line)) == 0) {
            snprintf(src, sizeof src, "%s:%u", source, stream_line);
            rc = fn(v, src, state);
        }
        json_object_put(v);
        return rc;
    }
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

int ct_feed__job_record(json_object *rec, const char *source, size_t index, void *state)
{
    ct_feed__record_job *job = state;
    const char *saved = *job->source;
    int rc;
    *job->source = source;
    ct_jptr_init(job->ptr);
    if (index != SIZE_MAX)
        ct_jptr_push_index(job->ptr, index);
    rc = job->read(job->r, rec, job->cb, job->payload);
    *job->source = saved;
    return rc;
}

typedef struct {
    ct_feed__tape_record_fn fn;
    ct_feed__record_fn json_fn;
    void *state;
} tape_job;

/* One JSON value on tape t: its records to job->fn (rec_source names them). Where the tape and
 * json-c part (see tests/base/test_json_tape.c: json-c takes NaN, Infinity, "1." and single
 * quotes; a bare top-level number, true, false or null is JSON to the tape only) the value goes
 * through ct_json_parse: the same error as before, or json-c's records. */
static int tape_value(ct_jtape *t, const ct_ctx *ctx, const char *data, size_t len,
                      const char *source, const char *rec_source, uint32_t line,
                      const tape_job *job)
{
    ct_jiter it;
    ct_jval v;
    size_t i = 0;
    int rc = ct_jtape_reparse(t, ctx, data, len, source, line);
    ct_jt_type root = rc == 0 ? ct_jt_type_of(t, 0) : CT_JT_NONE;

    if (root != CT_JT_ARRAY && root != CT_JT_OBJECT && root != CT_JT_STRING) {
        json_object *o = NULL;
        record_job rj = { job->json_fn, job->state };
        ct_error_clear();
        if ((rc = ct_json_parse(&o, ctx, data, len, source, line)) == 0)
            rc = each_record_of(o, rec_source, &rj);
        json_object_put(o);
        return rc;
    }
    if (root != CT_JT_ARRAY)
        return job->fn(t, 0, rec_source, SIZE_MAX, job->state);
    ct_jt_iter(&it, t, 0);
    rc = 0;
    while (rc == 0 && ct_jt_next(&it, t, &v))
        rc = job->fn(t, v, rec_source, i++, job->state);
    return rc;
}

int ct_feed__each_record_tape(const ct_ctx *ctx, const char *data, size_t len,
                              const char *source, ct_feed__tape_record_fn fn,
                              ct_feed__record_fn json_fn, void *state)
{
    tape_job job = { fn, json_fn, state };
    ct_jtape tape = CT_JTAPE_INIT;
    char src[600];
    int rc = 0;

    if (stream_line) {
        snprintf(src, sizeof src, "%s:%u", source, stream_line);
        return tape_value(&stream_tape, ctx, data, len, source, src, stream_line, &job);
    }
    if (len > (size_t)INT32_MAX || !looks_like_lines(data, len)) {
        rc = tape_value(&tape, ctx, data, len, source, source, 0, &job);
        ct_jtape_dispose(&tape);
        return rc;
    }
    const char *p = data, *end = data + len;
    uint32_t line = 1;
    while (p < end && rc == 0) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (!blank(p, n)) {
            if (n > ct_ctx_limits(ctx)->max_doc_bytes) {
                ct_loc loc = { source, line, 1, (int64_t)(p - data), NULL };
                rc = ct_error_set_at(&loc, CT_ELIMIT, "line of %zu bytes exceeds the limit", n);
                break;
            }
            snprintf(src, sizeof src, "%s:%u", source, line);
            rc = tape_value(&tape, ctx, p, n, source, src, line, &job);
        }
        p += n + 1;
        line++;
    }
    ct_jtape_dispose(&tape);
    return rc;
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

/* ---- streaming JSON lines ------------------------------------------------------------------
 * A feed file of JSON lines (plain or gzip) is read chunk by chunk and handed to the reader one
 * line at a time, so memory is bounded by the longest record, not by the file: all of OSV as one
 * .jsonl.gz is over a gigabyte decompressed. Other files are read whole, as before. */

#define STREAM_CHUNK ((size_t)1 << 18)

typedef struct {
    gzFile gz;
    const char *path;
    char *chunk;
    size_t clen, cpos;
    ct_buf line; /* a line that spans chunks */
    bool eof;
    uint64_t offset; /* decompressed bytes consumed */
} lines_in;

/* The next line (without its newline) in s and n, valid until the next call: 1, or 0 at the end,
 * or an error (read error, corrupt or truncated gzip, a line over max bytes). */
static int lines_next(lines_in *li, const char **s, size_t *n, size_t max, uint32_t lineno)
{
    ct_buf_reset(&li->line);
    for (;;) {
        if (li->cpos == li->clen) {
            if (li->eof) {
                if (!li->line.len)
                    return 0;
                *s = li->line.ptr;
                *n = li->line.len;
                return 1;
            }
            int got = gzread(li->gz, li->chunk, (unsigned)STREAM_CHUNK), zerr = Z_OK;
            const char *msg = got <= 0 ? gzerror(li->gz, &zerr) : NULL;
            if (got < 0 || (got == 0 && zerr != Z_OK && zerr != Z_STREAM_END)) {
                ct_loc loc = { li->path, lineno, 0, (int64_t)li->offset, NULL };
                return ct_error_set_at(&loc, zerr == Z_ERRNO ? CT_EIO : CT_EPARSE,
                                       "bad gzip data: %s",
                                       zerr == Z_BUF_ERROR ? "truncated" : msg ? msg : "corrupt");
            }
            if (got == 0) {
                li->eof = true;
                continue;
            }
            li->clen = (size_t)got;
            li->cpos = 0;
        }
        const char *p = li->chunk + li->cpos;
        const char *nl = memchr(p, '\n', li->clen - li->cpos);
        size_t take = nl ? (size_t)(nl - p) : li->clen - li->cpos;
        if (li->line.len + take > max) {
            ct_loc loc = { li->path, lineno, 1, (int64_t)li->offset, NULL };
            return ct_error_set_at(&loc, CT_ELIMIT, "line exceeds the limit of %zu bytes", max);
        }
        li->cpos += take + (nl ? 1 : 0);
        li->offset += take + (nl ? 1 : 0);
        if (nl && !li->line.len) { /* the whole line is in this chunk: no copy */
            *s = p;
            *n = take;
            return 1;
        }
        if (ct_buf_put(&li->line, p, take) < 0)
            return CT_ENOMEM;
        if (nl) {
            *s = li->line.ptr;
            *n = li->line.len;
            return 1;
        }
    }
}

/* Stream path as JSON lines when its first non-blank line is a whole JSON value and another
 * non-blank line follows; returns 1 (without reading further) when it is not JSON lines. */
static int read_lines_streaming(const ct_ctx *ctx, const char *path, ct_feed__mem_reader rd,
                                ct_advisory_cb cb, void *payload)
{
    size_t max = ct_ctx_limits(ctx)->max_doc_bytes, n = 0;
    lines_in li;
    ct_buf first = CT_BUF_INIT;
    uint32_t lineno = 0, first_line = 0;
    const char *s = NULL;
    int rc;

    memset(&li, 0, sizeof li);
    li.path = path;
    if (!(li.gz = gzopen(path, "rb"))) {
        ct_loc loc = { path, 0, 0, -1, NULL };
        return ct_error_set_at(&loc, CT_EIO, "cannot open: %s", strerror(errno));
    }
    gzbuffer(li.gz, (unsigned)STREAM_CHUNK);
    if (!(li.chunk = ct_malloc(STREAM_CHUNK))) {
        gzclose(li.gz);
        return ct_error_set(CT_ENOMEM, "out of memory");
    }
    /* the first two non-blank lines decide */
    while ((rc = lines_next(&li, &s, &n, max, lineno + 1)) == 1 && (lineno++, blank(s, n)))
        ;
    if (rc == 1 && n <= (size_t)INT32_MAX) {
        first_line = lineno;
        ct_buf_put(&first, s, n);
        json_tokener *tok = json_tokener_new_ex(64);
        json_object *o = tok ? json_tokener_parse_ex(tok, s, (int)n) : NULL;
        bool whole = o && json_tokener_get_error(tok) == json_tokener_success;
        json_object_put(o);
        if (tok)
            json_tokener_free(tok);
        rc = whole ? 2 : 1;
    } else if (rc >= 0) {
        rc = 1; /* empty, or one huge line: read whole, as before */
    }
    if (rc == 2) {
        while ((rc = lines_next(&li, &s, &n, max, lineno + 1)) == 1 && (lineno++, blank(s, n)))
            ;
        if (rc == 1) {
            if (first.failed) {
                rc = CT_ENOMEM;
            } else {
                stream_line = first_line;
                rc = rd(ctx, first.ptr, first.len, path, cb, payload);
                for (int more = 1; rc == 0 && more == 1;) {
                    stream_line = lineno;
                    rc = rd(ctx, s, n, path, cb, payload);
                    while (rc == 0 && (more = lines_next(&li, &s, &n, max, lineno + 1)) == 1 &&
                           (lineno++, blank(s, n)))
                        ;
                    if (more < 0)
                        rc = more;
                }
                stream_line = 0;
                ct_feed__stream_tok_free();
            }
        } else if (rc == 0) {
            rc = 1; /* a single line: one JSON value, read whole */
        }
    }
    ct_buf_dispose(&first);
    ct_buf_dispose(&li.line);
    ct_free(li.chunk);
    gzclose(li.gz);
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
    if (strcmp(path, "-") != 0 && (rc = read_lines_streaming(ctx, path, rd, cb, payload)) != 1)
        return rc;
    if ((rc = ct_file_read_any(&data, &len, path, ct_ctx_limits(ctx)->max_doc_bytes)) < 0)
        return rc;
    rc = rd(ctx, data, len, path, cb, payload);
    ct_free(data);
    return rc;
}

json_object *ct_feed__get(json_object *o, const char *key, json_type type)
{
    json_object *v;
    if (!o || !json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, key, &v))
        return NULL;
    return json_object_is_type(v, type) ? v : NULL;
}

const char *ct_feed__get_str(json_object *o, const char *key)
{
    json_object *v = ct_feed__get(o, key, json_type_string);
    return v ? json_object_get_string(v) : NULL;
}

int ct_feed__opt_time_utc(ct_time *out, json_object *o, const char *key, const ct_jptr *ptr,
                          const char *source)
{
    const char *s;
    char zoned[48];
    size_t n;
    int rc;
    *out = CT_TIME_NONE;
    if ((rc = ct_json_opt_str(&s, o, key, ptr, source)) < 0 || !s)
        return rc;
    n = strlen(s);
    if (ct_time_parse(out, s, n) == 0)
        return 0;
    if (n < 40) {
        memcpy(zoned, s, n);
        zoned[n] = 'Z';
        if (ct_time_parse(out, zoned, n + 1) == 0) {
            ct_error_clear();
            return 0;
        }
    }
    return ct_json_error(ptr, source, key, CT_EPARSE, "expected an RFC 3339 time, found \"%.40s\"",
                         s);
}

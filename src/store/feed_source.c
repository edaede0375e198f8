/* Advisory feed sources (table feed_source) and their sync: download with ct_feed_fetch, then
 * import the file together with the source's new HTTP validators in one transaction. */
#include "store_int.h"
#include "cratrace/sync.h"

#include <string.h>

static const char *const formats[] = { "auto", "osv", "nvd", "cve5", "csaf", "kev", "epss" };

static bool valid_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!ct_ascii_isalnum(s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.')
            return false;
    return true;
}

static bool http_url(const char *u)
{
    return u && (strncmp(u, "http://", 7) == 0 || strncmp(u, "https://", 8) == 0) &&
           strlen(u) < 4096;
}

int ct_store_feed_source_add(ct_store *st, const char *name, const char *url,
                             const char *format, const char *sha256_url)
{
    ct_stmt *q;
    bool ok = false;
    int rc;

    if (!st || !name || !url)
        return ct_error_set(CT_EINVAL, "feed source: name and URL are required");
    if (!format)
        format = "auto";
    for (size_t i = 0; i < CT_NELEM(formats) && !ok; i++)
        ok = strcmp(format, formats[i]) == 0;
    if (!ok)
        return ct_error_set(CT_EINVAL,
                            "feed source %s: format '%s' is not one of auto, osv, nvd, cve5, "
                            "csaf, kev, epss",
                            name, format);
    if (!valid_name(name))
        return ct_error_set(CT_EINVAL, "feed source name '%s': use 1-64 letters, digits, '.', "
                                       "'-' or '_'",
                            name);
    if (!http_url(url) || (sha256_url && !http_url(sha256_url)))
        return ct_error_set(CT_EINVAL, "feed source %s: URLs must start with http:// or https://",
                            name);
    if ((rc = ct_store__prepare(&q, st, CT_Q_FEED_SOURCE_INSERT)) < 0 ||
        (rc = ct_stmt_bind_text(q, 1, name)) < 0 || (rc = ct_stmt_bind_text(q, 2, url)) < 0 ||
        (rc = ct_stmt_bind_text(q, 3, format)) < 0 ||
        (rc = ct_stmt_bind_text(q, 4, sha256_url)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 5, ct_ctx_now(st->ctx))) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    st->drv->reset(q);
    if (rc == 0)
        return ct_error_set(CT_EEXISTS, "feed source '%s' already exists", name);
    return 0;
}

int ct_store_feed_source_remove(ct_store *st, const char *name)
{
    ct_stmt *q;
    int rc;
    if ((rc = ct_store__prepare(&q, st, CT_Q_FEED_SOURCE_DELETE)) < 0 ||
        (rc = ct_stmt_bind_text(q, 1, name)) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    st->drv->reset(q);
    if (rc == 0)
        return ct_error_set(CT_ENOTFOUND, "no feed source named '%s'", name);
    return 0;
}

static void put_text(ct_buf *out, ct_stmt *q, int col)
{
    if (ct_stmt_is_null(q, col))
        ct_buf_puts(out, "null");
    else
        ct_buf_json_str(out, ct_stmt_text(q, col));
}

static void put_int(ct_buf *out, ct_stmt *q, int col)
{
    if (ct_stmt_is_null(q, col))
        ct_buf_puts(out, "null");
    else
        ct_buf_printf(out, "%lld", (long long)ct_stmt_int64(q, col));
}

int ct_store_feed_sources_json(ct_buf *out, ct_store *st, const char *name)
{
    static const char *const keys[] = { "name",        "url",           "format",
                                        "sha256_url",  "etag",          "last_modified",
                                        "last_sync",   "last_result",   "last_error",
                                        "last_bytes",  "last_records",  "last_success" };
    ct_stmt *q;
    int rc, n = 0;

    if ((rc = ct_store__prepare(&q, st, CT_Q_FEED_SOURCE_LIST)) < 0 ||
        (rc = ct_stmt_bind_text(q, 1, name)) < 0)
        return rc;
    ct_buf_putc(out, '[');
    while ((rc = ct_stmt_step(q)) == 1) {
        ct_buf_puts(out, n++ ? ",{" : "{");
        for (int c = 0; c < (int)CT_NELEM(keys); c++) {
            ct_buf_printf(out, "%s\"%s\":", c ? "," : "", keys[c]);
            if (c == 6 || c == 11)
                ct_store__json_col_time(out, q, c);
            else if (c == 9 || c == 10)
                put_int(out, q, c);
            else
                put_text(out, q, c);
        }
        ct_buf_putc(out, '}');
    }
    st->drv->reset(q);
    if (rc < 0)
        return rc;
    ct_buf_putc(out, ']');
    if (out->failed)
        return ct_error_set(CT_ENOMEM, "out of memory");
    return 0;
}

/* ---- sync -------------------------------------------------------------------------------- */

typedef struct {
    char *url, *format, *sha256_url, *etag, *last_modified;
} source_row;

static char *dup_col(ct_stmt *q, int col)
{
    return ct_stmt_is_null(q, col) ? NULL : ct_strdup(ct_stmt_text(q, col));
}

static void source_dispose(source_row *s)
{
    ct_free(s->url);
    ct_free(s->format);
    ct_free(s->sha256_url);
    ct_free(s->etag);
    ct_free(s->last_modified);
    memset(s, 0, sizeof *s);
}

static int source_load(source_row *out, ct_store *st, const char *name)
{
    ct_stmt *q;
    int rc;
    memset(out, 0, sizeof *out);
    if ((rc = ct_store__prepare(&q, st, CT_Q_FEED_SOURCE_LIST)) < 0 ||
        (rc = ct_stmt_bind_text(q, 1, name)) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    if (rc == 0) {
        st->drv->reset(q);
        return ct_error_set(CT_ENOTFOUND, "no feed source named '%s'", name);
    }
    out->url = dup_col(q, 1);
    out->format = dup_col(q, 2);
    out->sha256_url = dup_col(q, 3);
    out->etag = dup_col(q, 4);
    out->last_modified = dup_col(q, 5);
    st->drv->reset(q);
    if (!out->url || !out->format) {
        source_dispose(out);
        return ct_error_set(CT_ENOMEM, "out of memory");
    }
    return 0;
}

static int record_synced(ct_store *st, const char *name, const char *etag, const char *lm,
                         const char *result, uint64_t bytes, uint64_t records)
{
    ct_stmt *q;
    int rc;
    if ((rc = ct_store__prepare(&q, st, CT_Q_FEED_SOURCE_SYNCED)) < 0 ||
        (rc = ct_stmt_bind_text(q, 1, name)) < 0 || (rc = ct_stmt_bind_text(q, 2, etag)) < 0 ||
        (rc = ct_stmt_bind_text(q, 3, lm)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 4, ct_ctx_now(st->ctx))) < 0 ||
        (rc = ct_stmt_bind_text(q, 5, result)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 6, (int64_t)bytes)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 7, (int64_t)records)) < 0)
        return rc;
    return ct_store__exec_stmt(q);
}

/* After a failure (already rolled back): note it on the source in a transaction of its own,
 * keeping the thread's error as it was. */
static int record_failed(ct_store *st, const char *name, int code)
{
    char *msg = ct_strdup(ct_error_format());
    ct_stmt *q;
    if (msg && ct_store_begin(st) == 0) {
        if (ct_store__prepare(&q, st, CT_Q_FEED_SOURCE_FAILED) == 0 &&
            ct_stmt_bind_text(q, 1, name) == 0 &&
            ct_stmt_bind_int64(q, 2, ct_ctx_now(st->ctx)) == 0 &&
            ct_stmt_bind_text(q, 3, msg) == 0 && ct_store__exec_stmt(q) == 0)
            ct_store_commit(st);
        else
            ct_store_rollback(st);
    }
    if (msg) {
        ct_error_set(code, "%s", msg);
        ct_free(msg);
    }
    return code;
}

/* Replace text `from` by `to` in s (NEW string, NULL on OOM). */
static char *replace_all(const char *s, const char *from, const char *to)
{
    ct_buf b = CT_BUF_INIT;
    size_t fl = strlen(from);
    const char *hit;
    while (fl && (hit = strstr(s, from))) {
        ct_buf_put(&b, s, (size_t)(hit - s));
        ct_buf_puts(&b, to);
        s = hit + fl;
    }
    ct_buf_puts(&b, s);
    return b.failed ? (ct_buf_dispose(&b), NULL) : ct_buf_detach(&b);
}

/* The readers name the temp file; people know the feed by its URL. */
static int relocate_error(const char *tmp_path, const char *url)
{
    const ct_error *e = ct_error_last();
    int code = e->code;
    char *msg = replace_all(e->message, tmp_path, url);
    char *source = e->source ? replace_all(e->source, tmp_path, url) : NULL;
    char *pointer = e->pointer ? ct_strdup(e->pointer) : NULL;
    if (msg && (source || !e->source) && (pointer || !e->pointer)) {
        ct_loc loc = { source, e->line, e->column, e->offset, pointer };
        ct_error_set_at(&loc, code, "%s", msg);
    }
    ct_free(msg);
    ct_free(source);
    ct_free(pointer);
    return code;
}

int ct_store_feed_sync(ct_feed_sync_outcome *out, ct_store *st, const char *name,
                       const struct ct_sync_options *opts)
{
    source_row src;
    ct_fetch_result fr = CT_FETCH_RESULT_INIT;
    ct_feed_sync_outcome res;
    int rc;

    if (!out || !st || !name)
        return ct_error_set(CT_EINVAL, "ct_store_feed_sync: missing argument");
    memset(&res, 0, sizeof res);
    *out = res;
    if (st->tx_depth > 0)
        return ct_error_set(CT_EINVAL, "feed sync must not run inside a transaction");
    if ((rc = source_load(&src, st, name)) < 0)
        return rc;
    ct_fetch_request req = { src.url, src.etag, src.last_modified, src.sha256_url };
    if ((rc = ct_feed_fetch(&fr, st->ctx, &req, opts)) < 0) {
        out->attempts = fr.attempts;
        out->resumed = fr.resumed;
        ct_error_prefix("sync %s", name);
        rc = record_failed(st, name, rc);
        goto cleanup;
    }
    res.not_modified = fr.not_modified;
    res.bytes = fr.bytes;
    res.attempts = fr.attempts;
    res.resumed = fr.resumed;
    memcpy(res.sha256, fr.sha256, sizeof res.sha256);
    if ((rc = ct_store_begin(st)) < 0)
        goto failed;
    if (fr.not_modified) {
        rc = record_synced(st, name, src.etag, src.last_modified, "not-modified", 0, 0);
    } else {
        /* nested: the import's own commit only counts down; its rollback ends everything */
        st->origin = src.url; /* provenance is the feed, not the temp file */
        rc = ct_import_advisories_ex(st, fr.path, src.format, &res.stats);
        st->origin = NULL;
        if (rc == 0)
            rc = record_synced(st, name, fr.etag, fr.last_modified, "updated", fr.bytes,
                               res.stats.records);
    }
    if (rc < 0) {
        ct_store_rollback(st);
        if (fr.path)
            rc = relocate_error(fr.path, src.url);
        goto failed;
    }
    if ((rc = ct_store_commit(st)) < 0)
        goto failed;
    *out = res;
    goto cleanup;
failed:
    /* the download happened; what was imported was rolled back */
    memset(&res.stats, 0, sizeof res.stats);
    *out = res;
    ct_error_prefix("sync %s", name);
    rc = record_failed(st, name, rc);
cleanup:
    ct_fetch_result_dispose(&fr);
    source_dispose(&src);
    return rc;
}

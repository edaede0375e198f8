/* Feed download with libcurl: conditional GET, bounded retries with backoff, Range resume of a
 * cut-off body, size cap, Content-Length and SHA-256 (libsodium) checks. The only libcurl user
 * in feed/; importing the file is the store's job (src/store/feed_source.c). */
#include "cratrace/sync.h"

#include <curl/curl.h>
#include <errno.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>
#include <time.h>
#include <unistd.h>

/* ---- process-wide set-up ------------------------------------------------------------------ */

/* curl_global_init and sodium_init run once per process, on the first fetch or hash, under
 * call_once: a program that starts several threads before any of them syncs still initialises
 * exactly once (curl_global_init is not thread-safe before libcurl 7.84). There is no matching
 * cleanup: the state lives until exit. A program that uses libcurl itself should call
 * curl_global_init in main() before starting threads; ours then only takes a reference. */
static once_flag global_once = ONCE_FLAG_INIT;
static CURLcode global_curl_rc = CURLE_OK; /* written only inside call_once */
static int global_sodium_rc;

static void global_init_once(void)
{
    global_curl_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
    global_sodium_rc = sodium_init(); /* 1 = already initialised, fine */
}

static int global_init(void)
{
    call_once(&global_once, global_init_once);
    if (global_curl_rc != CURLE_OK)
        return ct_error_set(CT_ENET, "curl_global_init failed: %s",
                            curl_easy_strerror(global_curl_rc));
    if (global_sodium_rc < 0)
        return ct_error_set(CT_EFAIL, "sodium_init failed");
    return 0;
}

/* ---- SHA-256 (libsodium crypto_hash_sha256), for the published-checksum check -------------- */

void ct_sha256_hex(char hex[65], const void *data, size_t len)
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    /* crypto_hash_sha256 works whatever sodium_init returned (it has no CPU dispatch) */
    call_once(&global_once, global_init_once);
    crypto_hash_sha256(digest, data, len);
    sodium_bin2hex(hex, 65, digest, sizeof digest);
}

static int sha256_file(char hex[65], const char *path)
{
    crypto_hash_sha256_state s;
    unsigned char digest[crypto_hash_sha256_BYTES];
    uint8_t chunk[65536];
    size_t n;
    FILE *f = fopen(path, "rb");
    if (!f) {
        ct_loc loc = { path, 0, 0, -1, NULL };
        return ct_error_set_at(&loc, CT_EIO, "cannot open: %s", strerror(errno));
    }
    crypto_hash_sha256_init(&s);
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        crypto_hash_sha256_update(&s, chunk, n);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        ct_loc loc = { path, 0, 0, -1, NULL };
        return ct_error_set_at(&loc, CT_EIO, "read error");
    }
    crypto_hash_sha256_final(&s, digest);
    sodium_bin2hex(hex, 65, digest, sizeof digest);
    return 0;
}

/* ---- one transfer ------------------------------------------------------------------------ */

typedef struct {
    const ct_sync_options *opts;
    CURL *curl;
    FILE *file;       /* NULL: body goes to mem */
    ct_buf *mem;
    uint64_t have;    /* bytes of the body already on disk before this request */
    uint64_t written; /* body bytes written by this request */
    bool resuming;    /* this request asked for Range: bytes=have- */
    bool started;     /* first body byte of this response seen */
    bool discard;     /* not a 200/206: body not kept */
    bool over_limit;
    bool io_error;
    bool bad_range;   /* 206 that does not continue at `have` */
    long status;
    char *etag, *last_modified;
    uint64_t range_start, range_total; /* from Content-Range of a 206 */
    bool have_range;
    bool accept_ranges;
} transfer;

static void transfer_reset_headers(transfer *t)
{
    ct_free(t->etag);
    ct_free(t->last_modified);
    t->etag = t->last_modified = NULL;
    t->have_range = false;
    t->accept_ranges = false;
}

static bool header_is(const char *line, size_t n, const char *name, const char **val,
                      size_t *vlen)
{
    size_t m = strlen(name);
    if (n <= m || line[m] != ':')
        return false;
    for (size_t i = 0; i < m; i++)
        if (ct_ascii_lower(line[i]) != ct_ascii_lower(name[i]))
            return false;
    const char *v = line + m + 1, *end = line + n;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
        end--;
    *val = v;
    *vlen = (size_t)(end - v);
    return true;
}

/* "bytes START-END/TOTAL" (RFC 9110 §14.4) */
static bool parse_content_range(const char *v, size_t n, uint64_t *start, uint64_t *total)
{
    const char *p = v, *end = v + n, *dash, *slash;
    int64_t a, t;
    if (n < 8 || memcmp(p, "bytes ", 6) != 0)
        return false;
    p += 6;
    if (!(dash = memchr(p, '-', (size_t)(end - p))) || !(slash = memchr(p, '/', (size_t)(end - p))))
        return false;
    if (ct_parse_i64(&a, p, (size_t)(dash - p), 0, INT64_MAX) < 0 ||
        ct_parse_i64(&t, slash + 1, (size_t)(end - slash - 1), 1, INT64_MAX) < 0) {
        ct_error_clear();
        return false;
    }
    *start = (uint64_t)a;
    *total = (uint64_t)t;
    return true;
}

static size_t on_header(char *line, size_t size, size_t n, void *payload)
{
    transfer *t = payload;
    const char *v;
    size_t vl;
    (void)size;
    if (n >= 5 && memcmp(line, "HTTP/", 5) == 0) {
        transfer_reset_headers(t); /* a new response (redirect, 100-continue) */
        return n;
    }
    if (header_is(line, n, "ETag", &v, &vl)) {
        ct_free(t->etag);
        t->etag = ct_strndup(v, vl);
    } else if (header_is(line, n, "Last-Modified", &v, &vl)) {
        ct_free(t->last_modified);
        t->last_modified = ct_strndup(v, vl);
    } else if (header_is(line, n, "Content-Range", &v, &vl)) {
        t->have_range = parse_content_range(v, vl, &t->range_start, &t->range_total);
    } else if (header_is(line, n, "Accept-Ranges", &v, &vl)) {
        t->accept_ranges = vl == 5 && memcmp(v, "bytes", 5) == 0;
    }
    return n;
}

/* First body byte: 200 restarts the file, 206 continues it, anything else is discarded. */
static int start_body(transfer *t)
{
    curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &t->status);
    t->started = true;
    if (t->status == 206 && t->resuming && t->file) {
        if (!t->have_range || t->range_start != t->have) {
            t->bad_range = true;
            return -1;
        }
        return fseek(t->file, (long)t->have, SEEK_SET) == 0 ? 0 : -1;
    }
    if (t->status == 200) {
        t->have = 0;
        if (t->file && (fflush(t->file) != 0 || ftruncate(fileno(t->file), 0) != 0 ||
                        fseek(t->file, 0, SEEK_SET) != 0)) {
            t->io_error = true;
            return -1;
        }
        if (t->mem)
            ct_buf_reset(t->mem);
        return 0;
    }
    t->discard = true;
    return 0;
}

static size_t on_body(char *data, size_t size, size_t n, void *payload)
{
    transfer *t = payload;
    (void)size;
    if (!t->started && start_body(t) < 0)
        return 0;
    if (t->discard)
        return n;
    if (t->have + t->written + n > t->opts->max_bytes) {
        t->over_limit = true;
        return 0;
    }
    if (t->file ? fwrite(data, 1, n, t->file) != n : ct_buf_put(t->mem, data, n) < 0) {
        t->io_error = true;
        return 0;
    }
    t->written += n;
    return n;
}

static bool retryable_curl(CURLcode c)
{
    switch (c) {
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        return true;
    default:
        return false;
    }
}

static bool retryable_status(long s)
{
    return s >= 500 || s == 408 || s == 429;
}

static void sleep_ms(uint64_t ms)
{
    struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static int setup_curl(CURL *c, const char *url, const ct_sync_options *o, transfer *t)
{
    CURLcode e = CURLE_OK;
#define SET_(opt, val)                                                                             \
    if (e == CURLE_OK)                                                                             \
    e = curl_easy_setopt(c, opt, val)
    SET_(CURLOPT_URL, url);
    SET_(CURLOPT_PROTOCOLS_STR, "http,https");
    SET_(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    SET_(CURLOPT_FOLLOWLOCATION, 1L);
    SET_(CURLOPT_MAXREDIRS, 5L);
    SET_(CURLOPT_NOSIGNAL, 1L);
    SET_(CURLOPT_TIMEOUT_MS, (long)o->timeout_ms);
    SET_(CURLOPT_CONNECTTIMEOUT_MS, (long)o->connect_timeout_ms);
    SET_(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_bytes);
    SET_(CURLOPT_USERAGENT, "cratrace/" CT_VERSION_STRING);
    SET_(CURLOPT_HEADERFUNCTION, on_header);
    SET_(CURLOPT_HEADERDATA, t);
    SET_(CURLOPT_WRITEFUNCTION, on_body);
    SET_(CURLOPT_WRITEDATA, t);
#undef SET_
    if (e != CURLE_OK) {
        ct_loc loc = { url, 0, 0, -1, NULL };
        return ct_error_set_at(&loc, e == CURLE_UNSUPPORTED_PROTOCOL ? CT_EUNSUPPORTED : CT_ENET,
                               "curl setup: %s", curl_easy_strerror(e));
    }
    return 0;
}

typedef struct {
    const char *url, *etag, *last_modified;
    FILE *file;
    ct_buf *mem;
} fetch_target;

/* Request headers for one attempt: conditional headers on a fresh request, Range + If-Range
 * when continuing a partial body with a validator to guard it. */
static int build_headers(struct curl_slist **out, const fetch_target *ft, const transfer *t,
                         const char *validator)
{
    struct curl_slist *h = NULL, *n;
    ct_buf b = CT_BUF_INIT;
    int rc = 0;
    if (t->resuming) {
        ct_buf_printf(&b, "Range: bytes=%llu-", (unsigned long long)t->have);
        if (!b.failed && (n = curl_slist_append(h, b.ptr)))
            h = n;
        ct_buf_reset(&b);
        ct_buf_printf(&b, "If-Range: %s", validator);
        if (!b.failed && (n = curl_slist_append(h, b.ptr)))
            h = n;
    } else {
        if (ft->etag && *ft->etag) {
            ct_buf_printf(&b, "If-None-Match: %s", ft->etag);
            if (!b.failed && (n = curl_slist_append(h, b.ptr)))
                h = n;
            ct_buf_reset(&b);
        }
        if (ft->last_modified && *ft->last_modified) {
            ct_buf_printf(&b, "If-Modified-Since: %s", ft->last_modified);
            if (!b.failed && (n = curl_slist_append(h, b.ptr)))
                h = n;
        }
    }
    if (b.failed)
        rc = ct_error_set(CT_ENOMEM, "out of memory");
    ct_buf_dispose(&b);
    *out = h;
    return rc;
}

static void say(const ct_sync_options *o, const char *fmt, ...) CT_PRINTF(2, 3);
static void say(const ct_sync_options *o, const char *fmt, ...)
{
    va_list ap;
    if (!o->progress)
        return;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
}

/* One download (body or checksum) across its attempts. */
typedef struct {
    const fetch_target *ft;
    const ct_sync_options *o;
    ct_fetch_result *res;
    transfer t;
    char errbuf[CURL_ERROR_SIZE];
    char *validator; /* guards a resumed body: the first 200's ETag or Last-Modified */
    ct_loc loc;
} fetch_run;

/* One HTTP request: fresh per-request state, options and headers, perform, then account for
 * what the file now holds. Negative only when the request could not be set up. */
static int attempt_once(CURLcode *e_out, fetch_run *r, unsigned attempt)
{
    transfer *t = &r->t;
    struct curl_slist *hdrs = NULL;
    int rc;

    t->resuming = t->have > 0 && r->validator != NULL;
    if (!t->resuming)
        t->have = 0;
    t->written = 0;
    t->started = t->discard = t->over_limit = t->io_error = t->bad_range = false;
    t->status = 0;
    curl_easy_reset(t->curl);
    r->errbuf[0] = '\0';
    if ((rc = setup_curl(t->curl, r->ft->url, r->o, t)) < 0 ||
        (rc = build_headers(&hdrs, r->ft, t, r->validator)) < 0) {
        curl_slist_free_all(hdrs);
        return rc;
    }
    curl_easy_setopt(t->curl, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(t->curl, CURLOPT_ERRORBUFFER, r->errbuf);
    *e_out = curl_easy_perform(t->curl);
    curl_slist_free_all(hdrs);
    r->res->attempts = attempt;
    if (!t->started)
        curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &t->status);
    if (t->file && fflush(t->file) != 0)
        t->io_error = true;
    if (t->status == 200 && (t->etag || t->last_modified) && !r->validator)
        r->validator = ct_strdup(t->etag ? t->etag : t->last_modified);
    if (t->status == 206 && t->resuming && *e_out == CURLE_OK)
        r->res->resumed++;
    /* what the file now holds: a 200 restarted it (start_body), a 206 continued it, a
     * response without a kept body left it as it was */
    if (t->started && !t->discard)
        t->have += t->written;
    return 0;
}

static const char *attempt_failure(const fetch_run *r, CURLcode e)
{
    if (e != CURLE_OK)
        return r->errbuf[0] ? r->errbuf : curl_easy_strerror(e);
    return r->t.bad_range ? "unexpected Content-Range" : "server error";
}

/* What an attempt's outcome means: 0 done, 1 try again, negative a final error. */
static int judge_attempt(fetch_run *r, CURLcode e, unsigned attempt)
{
    transfer *t = &r->t;

    if (t->over_limit || e == CURLE_FILESIZE_EXCEEDED)
        return ct_error_set_at(&r->loc, CT_ELIMIT, "download exceeds the limit of %llu bytes",
                               (unsigned long long)r->o->max_bytes);
    if (t->io_error)
        return ct_error_set_at(&r->loc, CT_EIO, "writing the download failed: %s",
                               strerror(errno));
    if (t->bad_range) {
        /* the server's range does not continue our bytes: start over */
        t->have = 0;
        ct_free(r->validator);
        r->validator = NULL;
    } else if (e == CURLE_OK && t->status == 304 && !r->ft->mem) {
        r->res->not_modified = true;
        return 0;
    } else if (e == CURLE_OK && (t->status == 200 || (t->status == 206 && t->resuming))) {
        return 0;
    } else if (e == CURLE_OK && !retryable_status(t->status)) {
        return ct_error_set_at(&r->loc, CT_ENET, "HTTP status %ld", t->status);
    } else if (e != CURLE_OK && !retryable_curl(e)) {
        return ct_error_set_at(&r->loc,
                               e == CURLE_UNSUPPORTED_PROTOCOL ? CT_EUNSUPPORTED : CT_ENET, "%s",
                               attempt_failure(r, e));
    }
    if (attempt <= r->o->retries)
        return 1;
    if (e != CURLE_OK)
        return ct_error_set_at(&r->loc, CT_ENET, "%s (after %u attempt%s)", attempt_failure(r, e),
                               attempt, attempt == 1 ? "" : "s");
    return ct_error_set_at(&r->loc, CT_ENET, "HTTP status %ld (after %u attempt%s)", t->status,
                           attempt, attempt == 1 ? "" : "s");
}

/* After the last attempt: a 200 that ended early without an error is still short of its
 * Content-Length. The response's validators move to the result either way. */
static int finish_body(fetch_run *r)
{
    transfer *t = &r->t;
    curl_off_t cl = -1;
    int rc = 0;

    curl_easy_getinfo(t->curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl);
    uint64_t want = t->status == 206 && t->have_range ? t->range_total
                    : cl >= 0                         ? (uint64_t)cl
                                                      : t->have;
    if (want != t->have)
        rc = ct_error_set_at(&r->loc, CT_ENET, "body has %llu bytes, the server announced %llu",
                             (unsigned long long)t->have, (unsigned long long)want);
    r->res->bytes = t->have;
    r->res->etag = t->etag;
    r->res->last_modified = t->last_modified;
    t->etag = t->last_modified = NULL;
    return rc;
}

/* The attempt loop shared by the body and the checksum download. res->attempts and
 * res->resumed count the requests made, also when it fails. */
static int fetch_loop(ct_fetch_result *res, const fetch_target *ft, const ct_sync_options *o)
{
    fetch_run r;
    int rc = 0;

    memset(&r, 0, sizeof r);
    r.ft = ft;
    r.o = o;
    r.res = res;
    r.t.opts = o;
    r.t.file = ft->file;
    r.t.mem = ft->mem;
    r.loc = (ct_loc){ ft->url, 0, 0, -1, NULL };
    if (!(r.t.curl = curl_easy_init()))
        return ct_error_set(CT_ENOMEM, "curl_easy_init failed");
    for (unsigned attempt = 1;; attempt++) {
        CURLcode e = CURLE_OK;
        if ((rc = attempt_once(&e, &r, attempt)) < 0 || (rc = judge_attempt(&r, e, attempt)) <= 0)
            break;
        uint64_t wait = (uint64_t)o->backoff_ms << (attempt - 1 < 6 ? attempt - 1 : 6);
        say(o, "sync: %s: attempt %u failed (status %ld: %s), retrying\n", ft->url, attempt,
            r.t.status, attempt_failure(&r, e));
        sleep_ms(wait > 60000 ? 60000 : wait);
    }
    if (rc == 0 && !res->not_modified)
        rc = finish_body(&r);
    transfer_reset_headers(&r.t);
    ct_free(r.validator);
    curl_easy_cleanup(r.t.curl);
    return rc;
}

/* A sha256sum line ("HEX  name") or a bare hex digest. */
static int parse_checksum(char hex[65], const ct_buf *b, const char *url)
{
    size_t i = 0;
    while (i < b->len && (b->ptr[i] == ' ' || b->ptr[i] == '\n' || b->ptr[i] == '\r'))
        i++;
    for (size_t k = 0; k < 64; k++) {
        char ch = i + k < b->len ? ct_ascii_lower(b->ptr[i + k]) : '\0';
        if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) {
            ct_loc loc = { url, 1, (uint32_t)(k + 1), (int64_t)(i + k), NULL };
            return ct_error_set_at(&loc, CT_EPARSE, "expected a hex SHA-256 digest");
        }
        hex[k] = ch;
    }
    char after = i + 64 < b->len ? b->ptr[i + 64] : ' ';
    if (after != ' ' && after != '\t' && after != '\n' && after != '\r') {
        ct_loc loc = { url, 1, 65, (int64_t)(i + 64), NULL };
        return ct_error_set_at(&loc, CT_EPARSE, "expected a hex SHA-256 digest");
    }
    hex[64] = '\0';
    return 0;
}

static int make_temp(char **path_out, FILE **f_out, const ct_sync_options *o)
{
    const char *dir = o->tmp_dir;
    ct_buf b = CT_BUF_INIT;
    int fd;
    if (!dir || !*dir)
        dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    ct_buf_printf(&b, "%s/cratrace-sync-XXXXXX", dir);
    if (b.failed)
        return ct_error_set(CT_ENOMEM, "out of memory");
    if ((fd = mkstemp(b.ptr)) < 0 || !(*f_out = fdopen(fd, "w+b"))) {
        ct_loc loc = { dir, 0, 0, -1, NULL };
        int rc = ct_error_set_at(&loc, CT_EIO, "cannot create a temp file: %s", strerror(errno));
        if (fd >= 0) {
            close(fd);
            remove(b.ptr);
        }
        ct_buf_dispose(&b);
        return rc;
    }
    *path_out = ct_buf_detach(&b);
    return 0;
}

static int check_url(const char *url)
{
    if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) {
        ct_loc loc = { url, 0, 0, -1, NULL };
        return ct_error_set_at(&loc, CT_EUNSUPPORTED, "only http:// and https:// URLs are "
                                                      "fetched");
    }
    return 0;
}

/* Fetch the published checksum of the body at req->sha256_url and compare. */
static int verify_checksum(const char sha256[65], const ct_fetch_request *req,
                           const ct_sync_options *o)
{
    ct_fetch_result sres = CT_FETCH_RESULT_INIT;
    fetch_target st = { req->sha256_url, NULL, NULL, NULL, NULL };
    ct_sync_options so = *o;
    ct_buf sum = CT_BUF_INIT;
    char want[65];
    int rc;

    st.mem = &sum;
    so.max_bytes = 65536;
    rc = fetch_loop(&sres, &st, &so);
    ct_fetch_result_dispose(&sres);
    if (rc < 0 || (rc = parse_checksum(want, &sum, req->sha256_url)) < 0)
        goto cleanup;
    if (strcmp(want, sha256) != 0) {
        ct_loc loc = { req->url, 0, 0, -1, NULL };
        rc = ct_error_set_at(&loc, CT_EPARSE, "SHA-256 %s does not match %s published at %s",
                             sha256, want, req->sha256_url);
    }
cleanup:
    ct_buf_dispose(&sum);
    return rc;
}

int ct_feed_fetch(ct_fetch_result *out, const ct_ctx *ctx, const ct_fetch_request *req,
                  const ct_sync_options *opts)
{
    ct_fetch_result res = CT_FETCH_RESULT_INIT;
    ct_sync_options o = CT_SYNC_OPTIONS_INIT;
    FILE *f = NULL;
    int rc;

    (void)ctx;
    if (!out || !req || !req->url)
        return ct_error_set(CT_EINVAL, "ct_feed_fetch: no URL");
    *out = res;
    if (opts)
        o = *opts;
    if ((rc = check_url(req->url)) < 0 || (req->sha256_url && (rc = check_url(req->sha256_url)) < 0))
        return rc;
    if ((rc = global_init()) < 0 || (rc = make_temp(&res.path, &f, &o)) < 0)
        goto cleanup;
    fetch_target body = { req->url, req->etag, req->last_modified, f, NULL };
    say(&o, "sync: GET %s\n", req->url);
    if ((rc = fetch_loop(&res, &body, &o)) < 0)
        goto cleanup;
    if (fclose(f) != 0) {
        f = NULL;
        rc = ct_error_set(CT_EIO, "%s: closing the download failed", res.path);
        goto cleanup;
    }
    f = NULL;
    if (res.not_modified) {
        remove(res.path);
        ct_free(res.path);
        res.path = NULL;
    } else if ((rc = sha256_file(res.sha256, res.path)) < 0 ||
               (req->sha256_url && (rc = verify_checksum(res.sha256, req, &o)) < 0)) {
        goto cleanup;
    }
    *out = res;
    memset(&res, 0, sizeof res);
cleanup:
    if (f)
        fclose(f);
    if (rc < 0) {
        /* nothing else of a failed fetch is kept, but how often it was tried is reported */
        out->attempts = res.attempts;
        out->resumed = res.resumed;
    }
    ct_fetch_result_dispose(&res);
    return rc;
}

void ct_fetch_result_dispose(ct_fetch_result *r)
{
    if (!r)
        return;
    if (r->path)
        remove(r->path);
    ct_free(r->path);
    ct_free(r->etag);
    ct_free(r->last_modified);
    memset(r, 0, sizeof *r);
}

/* sync: download one advisory feed over HTTP(S) with libcurl (conditional GET, resume, retries,
 * size cap, SHA-256 check). The store side (sources, import) is ct_store_feed_* in store.h. */
#ifndef CRATRACE_SYNC_H
#define CRATRACE_SYNC_H

#include "cratrace/base.h"

/** How downloads behave. Initialise with CT_SYNC_OPTIONS_INIT, then change fields. */
typedef struct ct_sync_options {
    unsigned version;
    unsigned timeout_ms;      /* whole transfer of one attempt (default 300 s) */
    unsigned connect_timeout_ms; /* connection set-up (default 30 s) */
    unsigned retries;         /* further attempts after a timeout, 5xx, 408, 429, a connection
                                 error or a short body (default 3) */
    unsigned backoff_ms;      /* wait before the first retry; doubled each time (default 1 s) */
    uint64_t max_bytes;       /* download cap (default 1 GiB); larger is CT_ELIMIT */
    const char *tmp_dir;      /* where downloads go; NULL = $TMPDIR, else /tmp */
    bool progress;            /* progress lines on stderr */
} ct_sync_options;

#define CT_SYNC_OPTIONS_VERSION 1
#define CT_SYNC_OPTIONS_INIT                                                                       \
    { CT_SYNC_OPTIONS_VERSION, 300000u, 30000u, 3u, 1000u, (uint64_t)1 << 30, NULL, false }

/** What to fetch. Validators are those stored from the last successful download (or NULL). */
typedef struct ct_fetch_request {
    const char *url;           /* http:// or https:// only */
    const char *etag;          /* sent as If-None-Match */
    const char *last_modified; /* sent as If-Modified-Since */
    const char *sha256_url;    /* optional: a sha256sum-style file for the body */
} ct_fetch_request;

/** The outcome of ct_feed_fetch. Free the members with ct_fetch_result_dispose. */
typedef struct ct_fetch_result {
    bool not_modified;   /* 304: nothing downloaded, path is NULL */
    char *path;          /* NEW temp file holding the body; removed by dispose */
    char *etag;          /* the response's validators (NULL when absent) */
    char *last_modified;
    uint64_t bytes;      /* body size */
    unsigned attempts;   /* HTTP requests made for the body (1 = no retry) */
    unsigned resumed;    /* of those, requests answered 206 that continued a partial body */
    char sha256[65];     /* hex SHA-256 of the body ("" when not modified) */
} ct_fetch_result;

#define CT_FETCH_RESULT_INIT { false, NULL, NULL, NULL, 0, 0, 0, { 0 } }

/** Download req->url into a temp file: a conditional GET (304 sets not_modified), retries
 * with backoff, resuming a cut-off body with Range/If-Range when the server answers 206,
 * Content-Length and the optional SHA-256 checked. Redirects are followed only to http(s).
 * CT_ENET for network failures and HTTP errors, CT_ELIMIT over max_bytes, CT_EPARSE for a
 * checksum mismatch, CT_EIO for local files. On failure no temp file is left and *out is
 * empty except attempts and resumed (the requests made for the body). The first call in a
 * process runs curl_global_init and sodium_init, once (call_once; see docs/feeds.md). */
CT_EXTERN int ct_feed_fetch(ct_fetch_result *out, const ct_ctx *ctx, const ct_fetch_request *req,
                            const ct_sync_options *opts);

/** Remove the temp file and free the members; the struct may be reused after. */
CT_EXTERN void ct_fetch_result_dispose(ct_fetch_result *r);

/** Hex SHA-256 (FIPS 180-4, libsodium crypto_hash_sha256) of data into hex (65 bytes with
 * the NUL), lower case. */
CT_EXTERN void ct_sha256_hex(char hex[65], const void *data, size_t len);

#endif

/* Server internals: the route table, the request target parser (router.c, pure), the token
 * cache (auth.c) and the handlers' request/response (routes.c). Only mhd.c sees
 * libmicrohttpd. */
#ifndef CT_SERVER_INT_H
#define CT_SERVER_INT_H

#include "cratrace/server.h"
#include "cratrace/store.h"

#include <pthread.h>

#define CT_HTTP_MAX_PARAMS 2 /* path parameters of one route */
#define CT_HTTP_MAX_QUERY 8  /* query parameters of one request */

/* Roles (bit per role of CT_STORE_TOKEN_ROLES); a route lists the roles it admits. */
#define CT_ROLE_ADMIN 0x01u
#define CT_ROLE_ANALYST 0x02u
#define CT_ROLE_SUPPORT 0x04u
#define CT_ROLE_AUDITOR 0x08u
#define CT_ROLE_CI 0x10u
#define CT_ROLES_ALL 0x1fu

struct ct_http_target;

/** What a handler sees: the store handle of its worker thread, the decoded target and who
 * asked (NULL on routes without authentication). */
typedef struct ct_http_req {
    const ct_ctx *ctx;
    ct_store *st;
    const struct ct_http_target *target;
    const ct_token_info *who;
} ct_http_req;

/** What a handler fills on success: status (0 = 200) and body (JSON). */
typedef struct ct_http_res {
    unsigned status;
    ct_buf body;
} ct_http_res;

/** A handler returns 0 (res filled) or a negative status with ct_error_last() set; the
 * dispatcher turns that into {"error": ...}: CT_ENOTFOUND 404, CT_EINVAL/CT_EPARSE 400, others
 * 500 with the message logged, not sent. A failing handler may leave its own answer for the
 * failure in res (status set, body filled, e.g. /healthz's 503): that is sent instead, and the
 * error logged. */
typedef int (*ct_route_fn)(ct_http_res *res, const ct_http_req *req);

typedef struct ct_route {
    const char *method;             /* "GET" (HEAD is answered as GET) */
    const char *pattern;            /* "/api/v1/units/{serial}": {x} is one path segment */
    const char *const *query_names; /* the query parameters it takes, NULL-terminated; NULL:
                                     * none */
    unsigned roles;                 /* CT_ROLE_* admitted; 0: no authentication */
    ct_route_fn fn;
} ct_route;

extern const ct_route ct_server__routes[];
extern const size_t ct_server__nroutes;
/** Append the OpenAPI 3.0 description served at /api/openapi.json (openapi.c). */
int ct_server__openapi_put(ct_buf *out);

/** A request target matched against a route table. */
typedef struct ct_http_target {
    const ct_route *route;               /* NULL unless matched */
    char *params[CT_HTTP_MAX_PARAMS];    /* decoded path parameters (NEW), pattern order */
    size_t nparams;
    char *qname[CT_HTTP_MAX_QUERY];      /* decoded query names and values (NEW) */
    char *qvalue[CT_HTTP_MAX_QUERY];
    size_t nquery;
    const char *allow; /* with 405: the methods the path takes */
    char error[192];   /* with an error status: what was wrong and what was expected */
} ct_http_target;

/** Match method and the raw (still percent-encoded) request target raw[0..len) ("/path?query")
 * against routes. Returns 0 when a route matched (t->route, parameters decoded), an HTTP
 * status 400 (bad escape, NUL, invalid UTF-8, unknown or repeated query parameter), 404 (no
 * such path), 405 (path known, method not: t->allow) or 414 (len > max_len) with t->error, or
 * CT_ENOMEM. Path segments are decoded one by one after the split, so an encoded "/" (%2F)
 * stays inside its segment; "+" is a space only in the query. Dispose t in every case. */
int ct_server__route(ct_http_target *t, const ct_route *routes, size_t nroutes,
                     const char *method, const char *raw, size_t len, size_t max_len);
void ct_server__target_dispose(ct_http_target *t);
/** Decode the %XX escapes of s[0..len) into *out (NEW); plus_space: "+" is a space (query
 * strings). CT_EINVAL for a malformed escape, a NUL (raw or %00) or invalid UTF-8 after
 * decoding, with *bad_at (may be NULL) the offset in s. */
int ct_server__pct_decode(char **out, const char *s, size_t len, bool plus_space,
                          size_t *bad_at);
/** The decoded value of query parameter name, or NULL. */
const char *ct_server__query(const ct_http_target *t, const char *name);

/* ---- tokens (auth.c) -------------------------------------------------------------------- */

#define CT_TOKEN_CACHE_SLOTS 64

/** Tokens checked recently, by hash, each trusted until its expiry (ttl_s after the check). */
typedef struct ct_token_cache {
    pthread_mutex_t lock;
    unsigned ttl_s; /* 0: no caching */
    struct {
        uint8_t hash[CT_STORE_TOKEN_HASH_BYTES];
        ct_token_info who;
        double expires; /* ct_clock_mono(); 0 = empty slot */
    } slot[CT_TOKEN_CACHE_SLOTS];
} ct_token_cache;

int ct_server__token_cache_init(ct_token_cache *c, unsigned ttl_s);
void ct_server__token_cache_dispose(ct_token_cache *c);
/** Who sent authorization (the Authorization header, NULL when absent): "Bearer TOKEN" whose
 * token is valid in st (or in the cache). CT_EAUTH with a message for people when it is
 * missing, malformed, unknown or revoked; other codes are store errors. */
int ct_server__authenticate(ct_token_info *who, ct_token_cache *c, ct_store *st,
                            const char *authorization);
/** The CT_ROLE_* bit of a role name (0 when unknown). */
unsigned ct_server__role_bit(const char *role);

#endif

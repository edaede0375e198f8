/* libmicrohttpd glue: the daemon (a pool of worker threads, each with its own store handle),
 * request limits, and the path from a request to a handler and back to a response. The only
 * file that includes <microhttpd.h> (STYLE §2). */
#include "server_int.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

struct ct_server {
    const ct_ctx *ctx;
    ct_server_options o;
    struct MHD_Daemon *d;
    ct_store **stores; /* one per worker thread, handed out on a thread's first request */
    unsigned nstores, next;
    pthread_mutex_t lock;
    pthread_key_t key; /* the worker thread's store */
    bool have_lock, have_key, have_tokens;
    ct_token_cache tokens;
    unsigned port;
};

/* One request: its target as received (before any decoding), from the URI log callback. */
typedef struct request {
    char *raw;
    size_t len;
    bool headers_seen; /* the first call of on_request is over */
} request;

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    request *rq = ct_calloc(1, sizeof *rq);
    ct_server *srv = cls;
    (void)c;
    if (!rq || !uri)
        return rq;
    rq->len = strlen(uri);
    /* a target over the limit is answered 414 without keeping it */
    if (rq->len <= srv->o.max_url_bytes && !(rq->raw = ct_strndup(uri, rq->len)))
        rq->len = 0;
    return rq;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **req_cls,
                         enum MHD_RequestTerminationCode why)
{
    request *rq = *req_cls;
    (void)cls;
    (void)c;
    (void)why;
    if (rq) {
        ct_free(rq->raw);
        ct_free(rq);
        *req_cls = NULL;
    }
}

static ct_store *thread_store(ct_server *srv)
{
    ct_store *st = pthread_getspecific(srv->key);
    if (st)
        return st;
    pthread_mutex_lock(&srv->lock);
    if (srv->next < srv->nstores)
        st = srv->stores[srv->next++];
    pthread_mutex_unlock(&srv->lock);
    if (st && pthread_setspecific(srv->key, st) != 0)
        st = NULL;
    return st;
}

static enum MHD_Result respond(struct MHD_Connection *c, unsigned status, const ct_buf *body,
                            const char *allow, bool challenge)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(body->len, body->ptr, MHD_RESPMEM_MUST_COPY);
    enum MHD_Result ok;
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", "application/json; charset=utf-8");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    if (allow)
        MHD_add_response_header(r, "Allow", allow);
    if (challenge)
        MHD_add_response_header(r, "WWW-Authenticate", "Bearer realm=\"cratrace\"");
    ok = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result send_error(struct MHD_Connection *c, unsigned status, const char *msg,
                                  const char *allow)
{
    ct_buf b = CT_BUF_INIT;
    enum MHD_Result ok;
    ct_buf_puts(&b, "{\"error\":");
    ct_buf_json_str(&b, msg);
    ct_buf_puts(&b, "}\n");
    if (b.failed) {
        ct_buf_dispose(&b);
        return MHD_NO;
    }
    ok = respond(c, status, &b, allow, status == 401);
    ct_buf_dispose(&b);
    return ok;
}

/* A failure of a handler or of the store: the message goes to the client when it is about
 * the request (404, 400), to the log only when it is about the server (500). */
static enum MHD_Result send_failure(ct_server *srv, struct MHD_Connection *c, const ct_route *r,
                                    int rc)
{
    switch (rc) {
    case CT_ENOTFOUND:
        return send_error(c, 404, ct_error_last()->message, NULL);
    case CT_EINVAL:
    case CT_EPARSE:
        return send_error(c, 400, ct_error_last()->message, NULL);
    case CT_EAUTH:
        return send_error(c, 401, ct_error_last()->message, NULL);
    case CT_ENOMEM:
        return send_error(c, 503, "out of memory; try again", NULL);
    default:
        ct_ctx_log(srv->ctx, CT_LOG_WARN, "serve: GET %s: %s", r ? r->pattern : "?",
                   ct_error_format());
        return send_error(c, 500, "internal error (logged by the server)", NULL);
    }
}

/* Whether the request carries a body (none is accepted in this slice). */
static bool has_body(struct MHD_Connection *c)
{
    const char *cl =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    return MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING) ||
           (cl && strcmp(cl, "0") != 0);
}

/* Whether st can no longer reach its server: after a failed query, a PostgreSQL handle whose
 * connection is gone (the server restarted, or the backend was terminated) cannot answer
 * ct_store_ping, while one that failed for another reason can. SQLite has no connection to
 * lose. Probes only through the public store API; leaves ct_error_last() as it was when the
 * connection is still there. */
static bool store_lost(ct_store *st)
{
    if (strcmp(ct_store_backend(st), "pg") != 0)
        return false;
    ct_store_rollback(st); /* a transaction the request left open (a no-op when none is) */
    return ct_store_ping(st) < 0;
}

/* Replace the worker's store handle *st, whose connection is gone, by a new one (the slot in
 * srv->stores too, so that ct_server_stop closes the new one). On failure *st is kept. */
static int reopen_store(ct_server *srv, ct_store **st)
{
    ct_store *fresh = NULL;
    int rc;

    if ((rc = ct_store_open(&fresh, srv->ctx, srv->o.dsn)) < 0)
        return rc;
    pthread_mutex_lock(&srv->lock);
    for (unsigned i = 0; i < srv->nstores; i++)
        if (srv->stores[i] == *st)
            srv->stores[i] = fresh;
    pthread_mutex_unlock(&srv->lock);
    (void)pthread_setspecific(srv->key, fresh); /* set once already: cannot fail */
    ct_store_close(*st);
    *st = fresh;
    return 0;
}

/* Authenticate (when the route asks) and run the handler into res: 0, 403 when the token's
 * role may not use the route, or a negative status with ct_error_last() set. */
static int run_route(ct_http_res *res, ct_http_req *req, ct_token_info *who, ct_server *srv,
                     struct MHD_Connection *c)
{
    const ct_route *r = req->target->route;
    int rc;

    if (r->roles) {
        const char *h =
            MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
        if ((rc = ct_server__authenticate(who, &srv->tokens, req->st, h)) < 0)
            return rc;
        if (!(ct_server__role_bit(who->role) & r->roles))
            return 403;
        req->who = who;
    }
    return r->fn(res, req);
}

/* ct_error_format() into why[0..n) on one line (libpq's messages run over lines). */
static void error_one_line(char *why, size_t n)
{
    snprintf(why, n, "%s", ct_error_format());
    for (char *p = why; *p; p++)
        if (*p == '\n' || *p == '\t')
            *p = ' ';
}

/* run_route, and once more on a new store handle when it failed because the worker's store
 * connection is gone (a PostgreSQL restart): the first request after it is answered, not
 * failed. Both steps are logged. */
static int run_route_reconnecting(ct_http_res *res, ct_http_req *req, ct_token_info *who,
                                  ct_server *srv, struct MHD_Connection *c, const char *method)
{
    const char *pattern = req->target->route->pattern;
    char why[256];
    int rc = run_route(res, req, who, srv, c);

    if (rc != CT_EDB)
        return rc;
    error_one_line(why, sizeof why);
    if (!store_lost(req->st)) /* a failure of its own: ct_error_last() is still the handler's */
        return rc;
    ct_ctx_log(srv->ctx, CT_LOG_WARN,
               "serve: %s %s: the store connection is lost (%s); reopening it and retrying "
               "the request once",
               method, pattern, why);
    if ((rc = reopen_store(srv, &req->st)) < 0) {
        ct_error_prefix("reopening the store after a lost connection");
        return rc;
    }
    ct_ctx_log(srv->ctx, CT_LOG_WARN, "serve: %s %s: store reopened; retrying", method, pattern);
    ct_buf_reset(&res->body);
    res->status = 0;
    req->who = NULL;
    return run_route(res, req, who, srv, c);
}

static enum MHD_Result dispatch(ct_server *srv, struct MHD_Connection *c, const request *rq,
                                const char *method)
{
    ct_http_target t;
    ct_http_res res = { 0, CT_BUF_INIT };
    ct_token_info who;
    ct_http_req req = { srv->ctx, NULL, &t, NULL };
    enum MHD_Result ok;
    int rc;

    rc = ct_server__route(&t, ct_server__routes, ct_server__nroutes, method, rq->raw,
                          rq->raw ? rq->len : srv->o.max_url_bytes + 1, srv->o.max_url_bytes);
    if (rc != 0) {
        ok = rc < 0 ? send_failure(srv, c, NULL, rc)
                    : send_error(c, (unsigned)rc, t.error, t.allow);
        ct_server__target_dispose(&t);
        return ok;
    }
    if (!(req.st = thread_store(srv))) {
        ct_server__target_dispose(&t);
        return send_error(c, 503, "no store handle for this worker; try again", NULL);
    }
    rc = run_route_reconnecting(&res, &req, &who, srv, c, method);
    if (rc < 0 && res.status && !res.body.failed) { /* the handler's own answer for it */
        char why[256];
        error_one_line(why, sizeof why);
        ct_ctx_log(srv->ctx, CT_LOG_WARN, "serve: %s %s: answered %u: %s", method,
                   t.route->pattern, res.status, why);
        ok = respond(c, res.status, &res.body, NULL, false);
    } else if (rc < 0) {
        ok = send_failure(srv, c, t.route, rc);
    } else if (rc == 403) {
        ok = send_error(c, 403, "this token's role may not use this endpoint", NULL);
    } else {
        ok = respond(c, res.status ? res.status : 200, &res.body, NULL, false);
    }
    ct_buf_dispose(&res.body);
    ct_server__target_dispose(&t);
    return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **req_cls)
{
    ct_server *srv = cls;
    request *rq = *req_cls;
    (void)url; /* decoded by libmicrohttpd: routing uses rq->raw, as received */
    (void)version;
    (void)upload_data;
    if (*upload_data_size) { /* not reached: a request with a body is answered at once */
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (!rq || (!rq->raw && rq->len <= srv->o.max_url_bytes))
        return send_error(c, 503, "out of memory; try again", NULL);
    if (has_body(c))
        return send_error(c, 413, "request bodies are not accepted (no write endpoints yet)",
                          NULL);
    /* Answered on the second call, once the (empty) body is read: a response queued on the
     * first call makes libmicrohttpd close the connection instead of keeping it alive. */
    if (!rq->headers_seen) {
        rq->headers_seen = true;
        return MHD_YES;
    }
    return dispatch(srv, c, rq, method);
}

/* The unescaped URL libmicrohttpd would hand over is not used (an encoded "/" in a serial
 * would split it), so it is left as received. */
static size_t keep_escapes(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    return strlen(s);
}

/* "ADDR:PORT" or "[V6ADDR]:PORT", numeric only. */
static int parse_listen(struct sockaddr_storage *sa, socklen_t *salen, bool *v6,
                        const char *listen)
{
    const char *colon = listen ? strrchr(listen, ':') : NULL;
    char host[64];
    int64_t port;
    size_t hn;

    if (!colon || ct_parse_i64(&port, colon + 1, strlen(colon + 1), 0, 65535) < 0)
        return ct_error_set(CT_EINVAL, "listen address '%s': expected ADDR:PORT, e.g. "
                                       "127.0.0.1:8080 or [::1]:8080", listen ? listen : "");
    hn = (size_t)(colon - listen);
    *v6 = hn >= 2 && listen[0] == '[' && listen[hn - 1] == ']';
    if (*v6) {
        listen++;
        hn -= 2;
    }
    if (hn == 0 || hn >= sizeof host)
        return ct_error_set(CT_EINVAL, "listen address '%s': expected a numeric address", listen);
    memcpy(host, listen, hn);
    host[hn] = '\0';
    memset(sa, 0, sizeof *sa);
    if (*v6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)sa;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons((uint16_t)port);
        *salen = sizeof *a;
        if (inet_pton(AF_INET6, host, &a->sin6_addr) == 1)
            return 0;
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)sa;
        a->sin_family = AF_INET;
        a->sin_port = htons((uint16_t)port);
        *salen = sizeof *a;
        if (inet_pton(AF_INET, host, &a->sin_addr) == 1)
            return 0;
    }
    return ct_error_set(CT_EINVAL, "listen address '%s': '%s' is not a numeric IP address",
                        listen, host);
}

static int check_options(const ct_server_options *o)
{
    if (!o || o->version != CT_SERVER_OPTIONS_VERSION || !o->dsn)
        return ct_error_set(CT_EINVAL, "ct_server_start: invalid options");
    if (strcmp(o->dsn, ":memory:") == 0) /* each worker's connection would be its own store */
        return ct_error_set(CT_EINVAL, "serve needs a store file or PostgreSQL, not :memory:");
    if (o->threads < 1 || o->threads > 16)
        return ct_error_set(CT_EINVAL, "threads: %u, expected 1-16", o->threads);
    if (o->max_connections < o->threads || o->max_connections > 10000)
        return ct_error_set(CT_EINVAL, "max connections: %u, expected %u-10000",
                            o->max_connections, o->threads);
    if (o->max_url_bytes < 64 || o->max_url_bytes > 65536)
        return ct_error_set(CT_EINVAL, "max URL bytes: %zu, expected 64-65536", o->max_url_bytes);
    return 0;
}

static int open_stores(ct_server *srv)
{
    int rc;
    if (!(srv->stores = ct_calloc(srv->o.threads, sizeof *srv->stores)))
        return ct_error_set(CT_ENOMEM, "out of memory");
    for (unsigned i = 0; i < srv->o.threads; i++) {
        if ((rc = ct_store_open(&srv->stores[i], srv->ctx, srv->o.dsn)) < 0)
            return rc;
        srv->nstores++;
    }
    return 0;
}

int ct_server_start(ct_server **out, const ct_ctx *ctx, const ct_server_options *opts)
{
    struct sockaddr_storage sa;
    struct MHD_OptionItem pool[2];
    socklen_t salen = 0;
    bool v6 = false;
    ct_server *srv = NULL;
    int rc;

    if (!out || !ctx)
        return ct_error_set(CT_EINVAL, "ct_server_start: invalid argument");
    *out = NULL;
    if ((rc = check_options(opts)) < 0 || (rc = parse_listen(&sa, &salen, &v6, opts->listen)) < 0)
        return rc;
    if (!(srv = ct_calloc(1, sizeof *srv)))
        return ct_error_set(CT_ENOMEM, "out of memory");
    srv->ctx = ctx;
    srv->o = *opts;
    if (pthread_mutex_init(&srv->lock, NULL) != 0) {
        rc = ct_error_set(CT_EFAIL, "cannot create the server's lock");
        goto fail;
    }
    srv->have_lock = true;
    if (pthread_key_create(&srv->key, NULL) != 0) {
        rc = ct_error_set(CT_EFAIL, "cannot create the server's thread key");
        goto fail;
    }
    srv->have_key = true;
    if ((rc = ct_server__token_cache_init(&srv->tokens, opts->token_ttl_s)) < 0)
        goto fail;
    srv->have_tokens = true;
    if ((rc = open_stores(srv)) < 0) {
        ct_error_prefix("opening the store");
        goto fail;
    }
    /* A pool only for 2+ threads: with 1, the daemon's own polling thread answers, and
     * libmicrohttpd warns that a pool size of 1 "is ignored" (an empty option array instead). */
    pool[0] = (struct MHD_OptionItem){ MHD_OPTION_THREAD_POOL_SIZE, (intptr_t)opts->threads,
                                       NULL };
    pool[1] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
    srv->d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG |
            (v6 ? MHD_USE_IPv6 : 0),
        0, NULL, NULL, on_request, srv,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_ARRAY, opts->threads > 1 ? pool : pool + 1,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned int)opts->max_connections,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)opts->timeout_s,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(opts->max_url_bytes + 16384),
        MHD_OPTION_STRICT_FOR_CLIENT, (int)1,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, srv,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
        MHD_OPTION_UNESCAPE_CALLBACK, keep_escapes, srv,
        MHD_OPTION_END);
    if (!srv->d) {
        rc = ct_error_set(CT_EIO, "cannot listen on %s (address in use or not local?)",
                          opts->listen);
        goto fail;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv->d, MHD_DAEMON_INFO_BIND_PORT);
    srv->port = info ? info->port : 0;
    *out = srv;
    return 0;
fail:
    ct_server_stop(srv);
    return rc;
}

unsigned ct_server_port(const ct_server *srv)
{
    return srv ? srv->port : 0;
}

void ct_server_stop(ct_server *srv)
{
    if (!srv)
        return;
    if (srv->d)
        MHD_stop_daemon(srv->d); /* joins the workers: no handler runs after this */
    for (unsigned i = 0; i < srv->nstores; i++)
        ct_store_close(srv->stores[i]);
    ct_free(srv->stores);
    if (srv->have_tokens)
        ct_server__token_cache_dispose(&srv->tokens);
    if (srv->have_key)
        pthread_key_delete(srv->key);
    if (srv->have_lock)
        pthread_mutex_destroy(&srv->lock);
    ct_free(srv);
}

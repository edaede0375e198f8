/* server: `cratrace serve`, the HTTP API over one store (libmicrohttpd, a pool of worker
 * threads with one store handle each). See docs/server.md. */
#ifndef CRATRACE_SERVER_H
#define CRATRACE_SERVER_H

#include "cratrace/base.h"

typedef struct ct_server ct_server;

typedef struct ct_server_options {
    unsigned version;
    const char *dsn;          /* the store (as ct_store_open); borrowed until ct_server_stop */
    const char *listen;       /* "ADDR:PORT" or "[V6ADDR]:PORT", numeric; port 0: any free */
    unsigned threads;         /* worker threads, each with its own store handle: 1-16 */
    unsigned max_connections; /* open connections at once; more are refused */
    unsigned timeout_s;       /* an idle connection is closed after this many seconds */
    unsigned token_ttl_s;     /* a checked token is trusted this long without asking the store
                               * again (0: every request asks); a revocation shows after it */
    size_t max_url_bytes;     /* longest request target (path and query); longer: 414 */
} ct_server_options;
#define CT_SERVER_OPTIONS_VERSION 1
#define CT_SERVER_OPTIONS_INIT                                                                     \
    { CT_SERVER_OPTIONS_VERSION, NULL, "127.0.0.1:8080", 4, 64, 30, 30, 2048 }

/** Open one store handle per worker thread (migrating the store once), bind and start serving
 * in the background. *out NEW; stop with ct_server_stop. CT_EINVAL for bad options (a listen
 * address that is not numeric ADDR:PORT), CT_EIO when the address cannot be bound, the store's
 * error when it cannot be opened. ctx must outlive the server. */
CT_EXTERN int ct_server_start(ct_server **out, const ct_ctx *ctx, const ct_server_options *opts);
/** The port the server listens on (the one chosen when port 0 was asked for). */
CT_EXTERN unsigned ct_server_port(const ct_server *srv);
/** Stop accepting, finish or close open connections, wait for the workers, close the store
 * handles and free srv. NULL is a no-op. */
CT_EXTERN void ct_server_stop(ct_server *srv);

#endif

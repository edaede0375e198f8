/* `serve`: the HTTP API (src/server) in the foreground until SIGINT or SIGTERM. */
#include "cli.h"
#include "cratrace/server.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

static const ct_cli_opt serve_opts[] = {
    { "listen", true, "ADDR:PORT to listen on (default 127.0.0.1:8080; port 0: any free port)" },
    { "threads", true, "worker threads, each with its own store connection (1-16, default 4)" },
    { "max-connections", true, "open connections at once (default 64)" },
    { "timeout", true, "seconds before an idle connection is closed (default 30)" },
    { "token-ttl", true, "seconds a checked token is trusted before the store is asked again "
                         "(default 30; 0: every request)" },
    { NULL, false, NULL },
};

static int opt_uint(unsigned *out, const char *s, const char *name, int64_t min, int64_t max)
{
    int64_t v;
    if (!s)
        return 0;
    if (ct_parse_i64(&v, s, strlen(s), min, max) < 0) {
        fprintf(stderr, "cratrace: --%s: %s\n", name, ct_error_last()->message);
        return -1;
    }
    *out = (unsigned)v;
    return 0;
}

static int cmd_serve(ct_cli_env *env, const ct_cli_args *a)
{
    ct_server_options o = CT_SERVER_OPTIONS_INIT;
    ct_server *srv = NULL;
    sigset_t stop;
    int sig = 0;

    o.dsn = env->dsn;
    if (a->opt[0])
        o.listen = a->opt[0];
    if (opt_uint(&o.threads, a->opt[1], "threads", 1, 16) < 0 ||
        opt_uint(&o.max_connections, a->opt[2], "max-connections", 1, 10000) < 0 ||
        opt_uint(&o.timeout_s, a->opt[3], "timeout", 1, 3600) < 0 ||
        opt_uint(&o.token_ttl_s, a->opt[4], "token-ttl", 0, 86400) < 0)
        return CT_EXIT_USAGE;
    /* The workers inherit this mask, so the two signals reach only sigwait below. */
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    if (pthread_sigmask(SIG_BLOCK, &stop, NULL) != 0) {
        fprintf(stderr, "cratrace: serve: cannot block signals\n");
        return CT_EXIT_STORE;
    }
    if (ct_server_start(&srv, env->ctx, &o) < 0) {
        int rc = ct_error_last()->code;
        fprintf(stderr, "cratrace: serve: %s\n", ct_error_format());
        return rc == CT_EINVAL ? CT_EXIT_USAGE : ct_cli_exit_code(rc);
    }
    const char *colon = strrchr(o.listen, ':');
    printf("cratrace serve: listening on http://%.*s:%u/ (%u threads)\n",
           (int)(colon - o.listen), o.listen, ct_server_port(srv), o.threads);
    fflush(stdout);
    if (sigwait(&stop, &sig) != 0)
        sig = 0;
    ct_server_stop(srv);
    if (!env->quiet)
        fprintf(stderr, "cratrace serve: stopped (%s)\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    return CT_EXIT_OK;
}

static const ct_cli_cmd serve_cmds[] = {
    { NULL, "[--listen ADDR:PORT] [--threads N] [--token-ttl S]",
      "HTTP API over the store until SIGINT/SIGTERM (docs/server.md)", 0, 0, serve_opts,
      cmd_serve },
};
const ct_cli_group ct_cli_group_serve = { "serve", "http", serve_cmds, CT_NELEM(serve_cmds) };

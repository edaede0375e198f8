/* The fleet questions through `cratrace serve` next to the same questions as fresh `cratrace`
 * processes, in one run, on an existing bench_fleet store (units SNnnnnnnnnn, advisories
 * BENCH-PP-A, times 2022-2024). Starts `cratrace serve --listen 127.0.0.1:0` on the store, then
 * per kind - `unit show SN --at T`, `affected ADV --at T`, `affected ADV` - W untimed and Q timed
 * HTTP requests over one keep-alive connection (libcurl; kinds interleaved, one of each per
 * round), then C of the same questions as new processes, each answer compared byte for byte with
 * the HTTP body of the same question. Reports wall p50/p99/max per request, the serve process's
 * CPU per request (/proc, 10 ms ticks, summed over the phase), the CLI child's CPU per call
 * (RUSAGE_CHILDREN), and with CT_BENCH_PG_PID the PostgreSQL server's CPU per request/call.
 * Not a test: no thresholds. TSV on stdout.
 *   bench_serve --cratrace PATH --db DSN [--queries Q] [--cli-queries C] [--warmup W]
 *               [--units N] [--products P] [--threads T] [--seed S] [--label L] */
#define _POSIX_C_SOURCE 200809L
#include "bench_util.h"

#include "cratrace/base.h"
#include "cratrace/store.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

extern char **environ;

#define KINDS 3
#define ADV_PER_PRODUCT 5 /* as bench_fleet */

static const char *const kinds[KINDS] = { "unit_show_at", "affected_at", "affected_now" };

typedef struct {
    const char *cratrace, *db, *label;
    uint64_t queries, cli_queries, warmup, units, products, threads, seed;
} opts;

/* One question: kind, argument (serial or advisory), time (CT_TIME_NONE: now). */
typedef struct {
    int kind;
    char arg[32];
    ct_time at;
} question;

static void die(const char *what)
{
    fprintf(stderr, "bench_serve: %s\n", what);
    exit(1);
}

static double ms_between(uint64_t t0, uint64_t t1)
{
    return (double)(t1 - t0) / 1e6;
}

/* CPU seconds (user + system) of process pid from /proc/pid/stat; -1 when unreadable. */
static double proc_cpu_s(pid_t pid)
{
    char path[64], buf[1024];
    unsigned long long ut = 0, st = 0;
    FILE *f;
    size_t n;
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    if (!(f = fopen(path, "r")))
        return -1;
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *p = strrchr(buf, ')');
    /* after ") ": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt, then
     * utime stime */
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
        return -1;
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static double children_cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static void make_questions(question *q, size_t n, const opts *o)
{
    bench_rng r;
    ct_time lo = ct_time_from_civil(2022, 1, 1, 0, 0, 0), span = 3 * 365 * 86400;
    bench_rng_seed(&r, o->seed);
    for (size_t i = 0; i < n; i++) {
        q[i].kind = (int)(i % KINDS);
        q[i].at = q[i].kind == 2 ? CT_TIME_NONE : lo + (ct_time)bench_rng_below(&r, (uint64_t)span);
        if (q[i].kind == 0)
            snprintf(q[i].arg, sizeof q[i].arg, "SN%09llu",
                     (unsigned long long)bench_rng_below(&r, o->units));
        else
            snprintf(q[i].arg, sizeof q[i].arg, "BENCH-%02llu-%d",
                     (unsigned long long)bench_rng_below(&r, o->products),
                     (int)bench_rng_below(&r, ADV_PER_PRODUCT));
    }
}

/* ---- the server ----------------------------------------------------------------------- */

static pid_t start_server(unsigned *port, const opts *o)
{
    char threads[16], line[512];
    int fds[2];
    pid_t pid;
    posix_spawn_file_actions_t fa;
    FILE *f;
    snprintf(threads, sizeof threads, "%llu", (unsigned long long)o->threads);
    char *argv[] = { (char *)o->cratrace, "--db", (char *)o->db, "--quiet", "serve", "--listen",
                     "127.0.0.1:0", "--threads", threads, "--token-ttl", "300", NULL };
    if (pipe(fds) != 0)
        die("pipe");
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    if (posix_spawn(&pid, o->cratrace, &fa, NULL, argv, environ) != 0)
        die("cannot start cratrace serve");
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (!(f = fdopen(fds[0], "r")) || !fgets(line, sizeof line, f))
        die("cratrace serve did not start");
    fclose(f);
    const char *p = strstr(line, "127.0.0.1:");
    if (!p || sscanf(p + 10, "%u", port) != 1)
        die("cratrace serve did not say its port");
    return pid;
}

static void stop_server(pid_t pid)
{
    int status = 0;
    kill(pid, SIGTERM);
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        die("cratrace serve did not exit 0 on SIGTERM");
}

/* ---- HTTP ----------------------------------------------------------------------------- */

static size_t collect(char *data, size_t size, size_t n, void *payload)
{
    ct_buf *b = payload;
    return ct_buf_put(b, data, size * n) == 0 ? size * n : 0;
}

static void url_of(char *url, size_t size, unsigned port, const question *q)
{
    char at[48] = "";
    if (q->at != CT_TIME_NONE) {
        char t[32];
        ct_time_format(t, q->at);
        /* "YYYY-MM-DDTHH:MM:SSZ" needs no escaping in a query */
        snprintf(at, sizeof at, "?at=%s", t);
    }
    if (q->kind == 0)
        snprintf(url, size, "http://127.0.0.1:%u/api/v1/units/%s%s", port, q->arg, at);
    else
        snprintf(url, size, "http://127.0.0.1:%u/api/v1/advisories/%s/affected%s", port, q->arg,
                 at);
}

/* GET one question; *status_out the HTTP status, body into b. */
static void http_get(CURL *c, unsigned port, const question *q, ct_buf *b, long *status_out)
{
    char url[256];
    url_of(url, sizeof url, port, q);
    ct_buf_reset(b);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, b);
    if (curl_easy_perform(c) != CURLE_OK)
        die("HTTP request failed");
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status_out);
    if (*status_out != 200 && *status_out != 404) /* 404: the unit did not exist yet then */
        die("HTTP status other than 200/404");
}

/* ---- CLI ------------------------------------------------------------------------------ */

/* Run one question as a new process; stdout into b; exit code returned. */
static int cli_call(const opts *o, const question *q, ct_buf *b)
{
    char at[32];
    char *argv[12];
    int n = 0, fds[2], status = 0;
    pid_t pid;
    posix_spawn_file_actions_t fa;
    argv[n++] = (char *)o->cratrace;
    argv[n++] = "--db";
    argv[n++] = (char *)o->db;
    argv[n++] = "--json";
    argv[n++] = q->kind == 0 ? "unit" : "affected";
    if (q->kind == 0)
        argv[n++] = "show";
    argv[n++] = (char *)q->arg;
    if (q->at != CT_TIME_NONE) {
        ct_time_format(at, q->at);
        argv[n++] = "--at";
        argv[n++] = at;
    }
    argv[n] = NULL;
    if (pipe(fds) != 0)
        die("pipe");
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    if (posix_spawn(&pid, o->cratrace, &fa, NULL, argv, environ) != 0)
        die("cannot run cratrace");
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    ct_buf_reset(b);
    char chunk[65536];
    ssize_t got;
    while ((got = read(fds[0], chunk, sizeof chunk)) > 0)
        ct_buf_put(b, chunk, (size_t)got);
    close(fds[0]);
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* ---- report --------------------------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(const double *sorted, size_t n, double p)
{
    size_t rank = (size_t)(p / 100.0 * (double)n + 0.999999);
    return sorted[(rank < 1 ? 1 : rank > n ? n : rank) - 1];
}

static void report(const char *kase, const char *kind, double *v, size_t n, double cpu_total_s,
                   double pg_total_s, double *p50_out)
{
    char m[64];
    if (!n)
        return;
    qsort(v, n, sizeof *v, cmp_double);
    *p50_out = pct(v, n, 50);
    snprintf(m, sizeof m, "%s_wall_p50", kind);
    bench_row("serve", kase, m, pct(v, n, 50), "ms");
    snprintf(m, sizeof m, "%s_wall_p99", kind);
    bench_row("serve", kase, m, pct(v, n, 99), "ms");
    snprintf(m, sizeof m, "%s_wall_max", kind);
    bench_row("serve", kase, m, v[n - 1], "ms");
    snprintf(m, sizeof m, "%s_cpu_mean", kind);
    bench_row("serve", kase, m, cpu_total_s * 1e3 / (double)n, "ms");
    if (pg_total_s >= 0) {
        snprintf(m, sizeof m, "%s_pg_cpu_mean", kind);
        bench_row("serve", kase, m, pg_total_s * 1e3 / (double)n, "ms");
    }
}

/* Timed HTTP requests: per kind the wall times; the serve process's and PostgreSQL's CPU are
 * read per round (one request of each kind) and shared out by the kinds' wall time. */
static void http_phase(const opts *o, unsigned port, pid_t srv, const question *qs,
                       double p50[KINDS])
{
    size_t rounds = (size_t)o->queries, nq = (size_t)(o->warmup + o->queries) * KINDS;
    double *wall[KINDS], cpu[KINDS] = { 0 }, pgc[KINDS] = { 0 };
    ct_buf b = CT_BUF_INIT;
    long status;
    CURL *c = curl_easy_init();
    struct curl_slist *h = NULL;
    char auth[128];
    const char *tok = getenv("BENCH_SERVE_TOKEN");
    bool have_pg = bench_pg_server_cpu_s() >= 0;

    if (!c || !tok)
        die("curl or token missing");
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", tok);
    h = curl_slist_append(h, auth);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_TCP_NODELAY, 1L);
    for (int k = 0; k < KINDS; k++)
        wall[k] = ct_calloc(rounds, sizeof *wall[k]);
    for (size_t i = 0; i < nq; i++) {
        const question *q = &qs[i];
        size_t round = i / KINDS;
        double c0 = proc_cpu_s(srv), g0 = have_pg ? bench_pg_server_cpu_s() : 0;
        uint64_t t0 = bench_now_ns();
        http_get(c, port, q, &b, &status);
        uint64_t t1 = bench_now_ns();
        if (round < o->warmup)
            continue;
        wall[q->kind][round - o->warmup] = ms_between(t0, t1);
        cpu[q->kind] += proc_cpu_s(srv) - c0;
        if (have_pg)
            pgc[q->kind] += bench_pg_server_cpu_s() - g0;
    }
    for (int k = 0; k < KINDS; k++) {
        char kase[96];
        snprintf(kase, sizeof kase, "%s_http", o->label);
        report(kase, kinds[k], wall[k], rounds, cpu[k], have_pg ? pgc[k] : -1, &p50[k]);
        ct_free(wall[k]);
    }
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    ct_buf_dispose(&b);
}

/* The same questions (the first C rounds after the warm-up) as new processes; each answer must
 * equal the server's body for the question. */
static void cli_phase(const opts *o, unsigned port, const question *qs, double p50[KINDS])
{
    size_t rounds = (size_t)o->cli_queries;
    double *wall[KINDS], cpu[KINDS] = { 0 }, pgc[KINDS] = { 0 };
    ct_buf cli = CT_BUF_INIT, http = CT_BUF_INIT;
    bool have_pg = bench_pg_server_cpu_s() >= 0;
    uint64_t same = 0;
    long status;
    CURL *c = curl_easy_init();
    struct curl_slist *h = NULL;
    char auth[128];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", getenv("BENCH_SERVE_TOKEN"));
    h = curl_slist_append(h, auth);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);

    for (int k = 0; k < KINDS; k++)
        wall[k] = ct_calloc(rounds ? rounds : 1, sizeof *wall[k]);
    for (size_t r = 0; r < rounds; r++) {
        for (int k = 0; k < KINDS; k++) {
            const question *q = &qs[(o->warmup + r) * KINDS + (size_t)k];
            double c0 = children_cpu_s(), g0 = have_pg ? bench_pg_server_cpu_s() : 0;
            uint64_t t0 = bench_now_ns();
            int rc = cli_call(o, q, &cli);
            uint64_t t1 = bench_now_ns();
            wall[k][r] = ms_between(t0, t1);
            cpu[k] += children_cpu_s() - c0;
            if (have_pg)
                pgc[k] += bench_pg_server_cpu_s() - g0;
            http_get(c, port, q, &http, &status);
            if ((rc == 0) != (status == 200))
                die("the CLI and the server disagree on whether a question has an answer");
            if (rc == 0 && (cli.len != http.len || memcmp(cli.ptr, http.ptr, cli.len) != 0))
                die("the CLI's --json output and the server's body differ");
            same += rc == 0;
        }
    }
    for (int k = 0; k < KINDS; k++) {
        char kase[96];
        snprintf(kase, sizeof kase, "%s_cli", o->label);
        report(kase, kinds[k], wall[k], rounds, cpu[k], have_pg ? pgc[k] : -1, &p50[k]);
        ct_free(wall[k]);
    }
    bench_row("serve", o->label, "cli_answers_identical_to_http", (double)same, "answers");
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    ct_buf_dispose(&cli);
    ct_buf_dispose(&http);
}

static void make_token(const opts *o)
{
    ct_ctx *ctx = NULL;
    ct_store *st = NULL;
    char name[64], tok[CT_STORE_TOKEN_SIZE];
    snprintf(name, sizeof name, "bench-serve-%d-%llu", (int)getpid(),
             (unsigned long long)bench_now_ns());
    if (ct_ctx_new(&ctx, NULL) < 0 || ct_store_open(&st, ctx, o->db) < 0 ||
        ct_store_token_create(tok, st, name, "ci") < 0)
        die(ct_error_format());
    setenv("BENCH_SERVE_TOKEN", tok, 1);
    setenv("BENCH_SERVE_TOKEN_NAME", name, 1);
    ct_store_close(st);
    ct_ctx_free(ctx);
}

static void revoke_token(const opts *o)
{
    ct_ctx *ctx = NULL;
    ct_store *st = NULL;
    if (ct_ctx_new(&ctx, NULL) < 0 || ct_store_open(&st, ctx, o->db) < 0 ||
        ct_store_token_revoke(st, getenv("BENCH_SERVE_TOKEN_NAME")) < 0)
        die(ct_error_format());
    ct_store_close(st);
    ct_ctx_free(ctx);
}

int main(int argc, char **argv)
{
    opts o = { NULL, NULL, "serve", 200, 30, 10, 1000000, 10, 4, 11 };
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v)
            goto usage;
        if (strcmp(a, "--cratrace") == 0)
            o.cratrace = v;
        else if (strcmp(a, "--db") == 0)
            o.db = v;
        else if (strcmp(a, "--label") == 0)
            o.label = v;
        else if (strcmp(a, "--queries") == 0)
            o.queries = bench_arg_u64(a, v);
        else if (strcmp(a, "--cli-queries") == 0)
            o.cli_queries = bench_arg_u64(a, v);
        else if (strcmp(a, "--warmup") == 0)
            o.warmup = bench_arg_u64(a, v);
        else if (strcmp(a, "--units") == 0)
            o.units = bench_arg_u64(a, v);
        else if (strcmp(a, "--products") == 0)
            o.products = bench_arg_u64(a, v);
        else if (strcmp(a, "--threads") == 0)
            o.threads = bench_arg_u64(a, v);
        else if (strcmp(a, "--seed") == 0)
            o.seed = bench_arg_u64(a, v);
        else
            goto usage;
        i++;
    }
    if (!o.cratrace || !o.db || !o.queries || o.queries > 100000 || o.cli_queries > o.queries ||
        !o.units || !o.products || o.products > 99 || !o.threads || o.threads > 16)
        goto usage;

    size_t nq = (size_t)(o.warmup + o.queries) * KINDS;
    question *qs = ct_calloc(nq, sizeof *qs);
    double http_p50[KINDS], cli_p50[KINDS];
    unsigned port = 0;
    if (!qs || curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
        die("startup");
    make_questions(qs, nq, &o);
    make_token(&o);
    bench_header();
    pid_t srv = start_server(&port, &o);
    http_phase(&o, port, srv, qs, http_p50);
    if (o.cli_queries) {
        cli_phase(&o, port, qs, cli_p50);
        for (int k = 0; k < KINDS; k++) {
            char m[64];
            snprintf(m, sizeof m, "%s_p50_cli_over_http", kinds[k]);
            bench_row("serve", o.label, m, cli_p50[k] / http_p50[k], "x");
        }
    }
    stop_server(srv);
    revoke_token(&o);
    ct_free(qs);
    curl_global_cleanup();
    return 0;
usage:
    fprintf(stderr, "usage: bench_serve --cratrace PATH --db DSN [--queries Q] [--cli-queries C] "
                    "[--warmup W] [--units N] [--products P] [--threads T] [--seed S] "
                    "[--label L]\n");
    return 2;
}

/* The three fleet questions as a user asks them: one new `cratrace` process per question (new
 * connection, store open, migrations check, statements prepared from scratch), on an existing
 * bench_fleet store (advisories BENCH-PP-A, units SNnnnnnnnnn). Per kind - `unit show SN --at
 * T`, `affected ADV --at T`, `affected ADV` - Q timed calls after W untimed ones: wall p50/p99/
 * max, the child's CPU (user + sys, RUSAGE_CHILDREN), and with CT_BENCH_PG_PID the private server's CPU
 * per call (postmaster tree from /proc, 10 ms ticks; the CPU between one call's start and the
 * next one's, so the backend's exit is counted). The kinds interleave
 * (one call of each per round) so load changes hit all three alike. --dump FILE appends every
 * answer (kind, argument, time, exit code, stdout) for comparing two builds. Not a test: no
 * thresholds.
 *   bench_affected_cli --cratrace PATH --db DSN [--queries Q] [--warmup W] [--units N]
 *                      [--products P] [--seed S] [--label L] [--dump FILE] */
#define _POSIX_C_SOURCE 200809L
#include "bench_util.h"

#include "cratrace/base.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define ADV_PER_PRODUCT 5 /* as bench_fleet */
#define KINDS 3

static const char *const kind_name[KINDS] = { "unit_show_at", "affected_at", "affected_now" };

static void fmt_time(char buf[32], ct_time t)
{
    ct_time_format(buf, t);
}

static double children_cpu_ms(void)
{
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

/* Run argv with stdout to out_fd (stderr to /dev/null); wall ms, child CPU ms, exit code. */
static int run_call(char *const argv[], int out_fd, double *wall_ms, double *cpu_ms)
{
    posix_spawn_file_actions_t fa;
    pid_t pid;
    int status = 0;
    uint64_t t0;
    double c0 = children_cpu_ms();

    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    t0 = bench_now_ns();
    if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ) != 0) {
        fprintf(stderr, "bench_affected_cli: cannot run %s\n", argv[0]);
        exit(1);
    }
    posix_spawn_file_actions_destroy(&fa);
    if (waitpid(pid, &status, 0) != pid) {
        fprintf(stderr, "bench_affected_cli: waitpid failed\n");
        exit(1);
    }
    *wall_ms = (double)(bench_now_ns() - t0) / 1e6;
    *cpu_ms = children_cpu_ms() - c0;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static void report(const char *label, const char *metric, double *v, size_t n, int pct)
{
    char m[64];
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += v[i];
    qsort(v, n, sizeof *v, bench_cmp_double);
    if (pct) {
        size_t p99 = (size_t)((double)n * 0.99);
        snprintf(m, sizeof m, "%s_p50", metric);
        bench_row("affected_cli", label, m, v[n / 2], "ms");
        snprintf(m, sizeof m, "%s_p99", metric);
        bench_row("affected_cli", label, m, v[p99 < n ? p99 : n - 1], "ms");
        snprintf(m, sizeof m, "%s_max", metric);
        bench_row("affected_cli", label, m, v[n - 1], "ms");
    }
    snprintf(m, sizeof m, "%s_mean", metric);
    bench_row("affected_cli", label, m, sum / (double)n, "ms");
}

int main(int argc, char **argv)
{
    const char *cratrace = NULL, *db = NULL, *label = "cli", *dump = NULL;
    uint64_t q = 200, warm = 10, units = 1000000, products = 10, seed = 11;

    const bench_opt opts[] = {
        { "--cratrace", BENCH_OPT_STR, &cratrace }, { "--db", BENCH_OPT_STR, &db },
        { "--queries", BENCH_OPT_U64, &q },         { "--warmup", BENCH_OPT_U64, &warm },
        { "--units", BENCH_OPT_U64, &units },       { "--products", BENCH_OPT_U64, &products },
        { "--seed", BENCH_OPT_U64, &seed },         { "--label", BENCH_OPT_STR, &label },
        { "--dump", BENCH_OPT_STR, &dump },
    };
    if (!bench_parse_args(argc, argv, opts, CT_NELEM(opts))) {
        fprintf(stderr, "usage: bench_affected_cli --cratrace PATH --db DSN [--queries Q] "
                        "[--warmup W] [--units N] [--products P] [--seed S] [--label L] "
                        "[--dump FILE]\n");
        return 2;
    }
    if (!cratrace || !db || !q || !units || !products || products > 99)
        return fprintf(stderr, "bench_affected_cli: --cratrace and --db are required; "
                               "--queries/--units > 0, 1 <= --products <= 99\n"),
               2;

    int out_fd = open(dump ? dump : "/dev/null", dump ? O_WRONLY | O_CREAT | O_APPEND : O_WRONLY,
                      0644);
    if (out_fd < 0)
        return fprintf(stderr, "bench_affected_cli: cannot open %s\n", dump ? dump : "/dev/null"),
               1;
    double *wall[KINDS], *cpu[KINDS], *srv[KINDS];
    for (int k = 0; k < KINDS; k++) {
        wall[k] = ct_calloc(q, sizeof(double));
        cpu[k] = ct_calloc(q, sizeof(double));
        srv[k] = ct_calloc(q, sizeof(double));
        if (!wall[k] || !cpu[k] || !srv[k])
            return fprintf(stderr, "bench_affected_cli: out of memory\n"), 1;
    }
    bench_rng r;
    bench_rng_seed(&r, seed);
    ct_time lo = ct_time_from_civil(2022, 1, 1, 0, 0, 0), span = 3 * 365 * 86400;
    bool have_srv = bench_pg_server_cpu_s() >= 0;
    unsigned failures = 0;
    double prev_s = 0, *prev_slot = NULL;

    bench_header();
    for (uint64_t i = 0; i < q + warm; i++) {
        for (int k = 0; k < KINDS; k++) {
            char arg[48], at[32];
            ct_time t = lo + (ct_time)bench_rng_below(&r, (uint64_t)span);
            if (k == 0)
                snprintf(arg, sizeof arg, "SN%09llu",
                         (unsigned long long)bench_rng_below(&r, units));
            else
                snprintf(arg, sizeof arg, "BENCH-%02llu-%d",
                         (unsigned long long)bench_rng_below(&r, products),
                         (int)bench_rng_below(&r, ADV_PER_PRODUCT));
            fmt_time(at, t);
            char *av[10] = { (char *)cratrace, "--db", (char *)db, "--json", NULL };
            int n = 4;
            if (k == 0) {
                av[n++] = "unit";
                av[n++] = "show";
            } else {
                av[n++] = "affected";
            }
            av[n++] = arg;
            if (k != 2) {
                av[n++] = "--at";
                av[n++] = at;
            }
            av[n] = NULL;
            if (dump) {
                char head[160];
                int len = snprintf(head, sizeof head, "\n%s %s %s ", kind_name[k], arg,
                                   k == 2 ? "-" : at);
                if (write(out_fd, head, (size_t)len) != len)
                    return fprintf(stderr, "bench_affected_cli: cannot write %s\n", dump), 1;
            }
            double w, c, s = have_srv ? bench_pg_server_cpu_s() : 0;
            int rc = run_call(av, out_fd, &w, &c);
            /* the backend exits after its client: its CPU is read at the next call's start */
            if (prev_slot)
                *prev_slot = (s - prev_s) * 1e3;
            prev_slot = i >= warm ? &srv[k][i - warm] : NULL;
            prev_s = s;
            if (rc != 0 && !(k == 0 && rc == 3)) {
                if (failures++ < 5)
                    fprintf(stderr, "bench_affected_cli: %s %s exited %d\n", kind_name[k], arg,
                            rc);
            }
            if (i >= warm) {
                wall[k][i - warm] = w;
                cpu[k][i - warm] = c;
            }
        }
    }
    if (prev_slot) {
        struct timespec pause = { 0, 200000000 };
        nanosleep(&pause, NULL);
        *prev_slot = (bench_pg_server_cpu_s() - prev_s) * 1e3;
    }
    for (int k = 0; k < KINDS; k++) {
        char m[64];
        report(label, kind_name[k], wall[k], q, 1);
        snprintf(m, sizeof m, "%s_client_cpu", kind_name[k]);
        report(label, m, cpu[k], q, 1);
        if (have_srv) {
            snprintf(m, sizeof m, "%s_server_cpu", kind_name[k]);
            report(label, m, srv[k], q, 1);
        }
        ct_free(wall[k]);
        ct_free(cpu[k]);
        ct_free(srv[k]);
    }
    bench_row("affected_cli", label, "failed_calls", (double)failures, "calls");
    close(out_fd);
    return failures ? 1 : 0;
}

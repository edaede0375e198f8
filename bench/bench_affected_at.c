/* `affected ADVISORY --at T` on an existing fleet store (one bench_fleet built: advisories
 * BENCH-PP-A, units SNnnnnnnnnn with event histories): Q answers of ct_store_affected_json_at,
 * p50/p99/max in thread CPU time and wall time, mean units per answer. A third of the times are
 * uniform in 2022-2024 (as bench_fleet), a third are event times of random units (a span
 * boundary) and a third one second before one. The same --seed gives the same queries, so two
 * builds (old and new library) run back to back on one store answer the same questions; --dump
 * writes every answer (advisory, time, JSON) for comparing them. Not a test: no thresholds.
 *   bench_affected_at --store DSN [--queries Q] [--units N] [--products P] [--seed S]
 *                     [--label L] [--dump FILE] */
#define _POSIX_C_SOURCE 200809L
#include "bench_util.h"

#include "cratrace/store.h"

#include <json-c/json.h>

#define ADV_PER_PRODUCT 5 /* as bench_fleet */
#define WARMUP 20

static void die(const char *what)
{
    fprintf(stderr, "bench_affected_at: %s: %s\n", what, ct_error_format());
    exit(1);
}

static double thread_cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The time of a random event of unit u (CT_TIME_NONE when it has none). */
static ct_time event_time(ct_store *st, uint64_t u, bench_rng *r)
{
    char serial[32];
    ct_buf b = CT_BUF_INIT;
    ct_time t = CT_TIME_NONE;
    snprintf(serial, sizeof serial, "SN%09llu", (unsigned long long)u);
    if (ct_store_unit_show_json(&b, st, serial, NULL, CT_TIME_NONE) == 0) {
        json_object *o = json_tokener_parse(b.ptr), *ev = json_object_object_get(o, "events");
        size_t n = json_object_array_length(ev);
        if (n) {
            json_object *e = json_object_array_get_idx(ev, bench_rng_below(r, n));
            const char *s = json_object_get_string(json_object_object_get(e, "time"));
            if (s && ct_time_parse(&t, s, strlen(s)) < 0)
                t = CT_TIME_NONE;
        }
        json_object_put(o);
    }
    ct_error_clear();
    ct_buf_dispose(&b);
    return t;
}

static void report(const char *label, const char *metric, double *v, size_t n)
{
    char m[64];
    qsort(v, n, sizeof *v, bench_cmp_double);
    snprintf(m, sizeof m, "%s_p50", metric);
    bench_row("affected_at", label, m, v[n / 2], "ms");
    snprintf(m, sizeof m, "%s_p99", metric);
    bench_row("affected_at", label, m, v[(size_t)((double)n * 0.99)], "ms");
    snprintf(m, sizeof m, "%s_max", metric);
    bench_row("affected_at", label, m, v[n - 1], "ms");
}

int main(int argc, char **argv)
{
    const char *dsn = NULL, *label = "run", *dump = NULL;
    uint64_t q = 300, units = 1000000, products = 10, seed = 1;
    const bench_opt opts[] = {
        { "--store", BENCH_OPT_STR, &dsn },   { "--queries", BENCH_OPT_U64, &q },
        { "--units", BENCH_OPT_U64, &units }, { "--products", BENCH_OPT_U64, &products },
        { "--seed", BENCH_OPT_U64, &seed },   { "--label", BENCH_OPT_STR, &label },
        { "--dump", BENCH_OPT_STR, &dump },
    };
    if (!bench_parse_args(argc, argv, opts, CT_NELEM(opts))) {
        fprintf(stderr, "usage: bench_affected_at --store DSN [--queries Q] [--units N] "
                        "[--products P] [--seed S] [--label L] [--dump FILE]\n");
        return 2;
    }
    if (!dsn || !q || !units || !products || products > 99)
        return fprintf(stderr, "bench_affected_at: --store, --queries/--units > 0, "
                               "1 <= --products <= 99\n"),
               2;

    ct_ctx *ctx = NULL;
    ct_store *st = NULL;
    FILE *df = NULL;
    if (ct_ctx_new(&ctx, NULL) < 0 || ct_store_open(&st, ctx, dsn) < 0)
        die("open");
    if (dump && !(df = fopen(dump, "w")))
        return perror(dump), 1;

    /* the questions first (unit lookups for event times are not timed) */
    size_t n = (size_t)q + WARMUP;
    char (*ids)[32] = ct_calloc(n, sizeof *ids);
    ct_time *at = ct_calloc(n, sizeof *at);
    double *cpu = ct_calloc(q, sizeof *cpu), *wall = ct_calloc(q, sizeof *wall);
    if (!ids || !at || !cpu || !wall)
        die("out of memory");
    bench_rng r;
    bench_rng_seed(&r, seed);
    ct_time lo = ct_time_from_civil(2022, 1, 1, 0, 0, 0), span = 3 * 365 * 86400;
    for (size_t i = 0; i < n; i++) {
        snprintf(ids[i], sizeof ids[i], "BENCH-%02llu-%d",
                 (unsigned long long)bench_rng_below(&r, products),
                 (int)bench_rng_below(&r, ADV_PER_PRODUCT));
        at[i] = lo + (ct_time)bench_rng_below(&r, (uint64_t)span);
        if (i % 3) {
            ct_time t = event_time(st, bench_rng_below(&r, units), &r);
            if (t != CT_TIME_NONE)
                at[i] = i % 3 == 1 ? t : t - 1;
        }
    }

    ct_buf b = CT_BUF_INIT;
    uint64_t units_seen = 0;
    for (size_t i = 0; i < n; i++) {
        ct_buf_reset(&b);
        uint64_t w0 = bench_now_ns();
        double c0 = thread_cpu_ms();
        if (ct_store_affected_json_at(&b, st, ids[i], at[i]) < 0)
            die("affected --at");
        double c1 = thread_cpu_ms();
        uint64_t w1 = bench_now_ns();
        if (i < WARMUP)
            continue;
        cpu[i - WARMUP] = c1 - c0;
        wall[i - WARMUP] = (double)(w1 - w0) / 1e6;
        const char *ut = strstr(b.ptr, "\"units_total\":");
        units_seen += ut ? strtoull(ut + 14, NULL, 10) : 0;
        if (df)
            fprintf(df, "%s\t%lld\t%s\n", ids[i], (long long)at[i], b.ptr);
    }
    bench_header();
    report(label, "cpu", cpu, q);
    report(label, "wall", wall, q);
    bench_row("affected_at", label, "mean_units", (double)units_seen / (double)q, "units");
    if (df)
        fclose(df);
    ct_buf_dispose(&b);
    ct_free(ids);
    ct_free(at);
    ct_free(cpu);
    ct_free(wall);
    ct_store_close(st);
    ct_ctx_free(ctx);
    return 0;
}

/* Shared helpers for the benchmarks: xorshift RNG, monotonic timing, percentiles, TSV rows. */
#ifndef CT_BENCH_UTIL_H
#define CT_BENCH_UTIL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* xorshift64*: deterministic for a given seed, independent of libc. */
typedef struct {
    uint64_t s;
} bench_rng;

static inline void bench_rng_seed(bench_rng *r, uint64_t seed)
{
    r->s = seed ? seed * 0x9E3779B97F4A7C15ull : 0x853C49E6748FEA9Bull;
}

static inline uint64_t bench_rng_next(bench_rng *r)
{
    uint64_t x = r->s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    r->s = x;
    return x * 0x2545F4914F6CDD1Dull;
}

/** Uniform in [0, n); n > 0. */
static inline uint64_t bench_rng_below(bench_rng *r, uint64_t n)
{
    return bench_rng_next(r) % n;
}

/** Uniform in [0, 1). */
static inline double bench_rng_unit(bench_rng *r)
{
    return (double)(bench_rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/** Monotonic nanoseconds. */
static inline uint64_t bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static inline int bench_cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static inline int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/** Nearest-rank percentile (0 < p <= 100) of a sorted array of n > 0 values. */
static inline uint64_t bench_pct_u64(const uint64_t *sorted, size_t n, double p)
{
    size_t rank = (size_t)((p / 100.0) * (double)n + 0.999999);
    if (rank < 1)
        rank = 1;
    if (rank > n)
        rank = n;
    return sorted[rank - 1];
}

static inline double bench_median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, bench_cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

/** One TSV result row: bench, case, metric, value, unit. */
static inline void bench_row(const char *bench, const char *kase, const char *metric, double value,
                             const char *unit)
{
    printf("%s\t%s\t%s\t%.6g\t%s\n", bench, kase, metric, value, unit);
    fflush(stdout);
}

static inline void bench_header(void)
{
    printf("bench\tcase\tmetric\tvalue\tunit\n");
    fflush(stdout);
}

/** Parse an unsigned decimal argument; exits with a message on junk. */
static inline uint64_t bench_arg_u64(const char *flag, const char *s)
{
    char *end = NULL;
    unsigned long long v;
    if (!s || !*s)
        goto bad;
    v = strtoull(s, &end, 10);
    if (*end != '\0')
        goto bad;
    return (uint64_t)v;
bad:
    fprintf(stderr, "bench: %s needs a non-negative integer, got '%s'\n", flag, s ? s : "");
    exit(2);
}

/* PostgreSQL server CPU seconds (user + system): the postmaster given by CT_BENCH_PG_PID (a
 * private server, nothing else on it), its reaped children and its live children (backends,
 * autovacuum, WAL writer), from /proc. -1 when CT_BENCH_PG_PID is not set or unreadable. */
static inline double bench_pg_server_cpu_s(void)
{
    const char *pm = getenv("CT_BENCH_PG_PID");
    long hz = sysconf(_SC_CLK_TCK);
    unsigned long long total = 0;
    char path[64], line[1024];
    FILE *ps;
    long pmid;
    char *end;
    if (!pm || !*pm || hz <= 0)
        return -1;
    pmid = strtol(pm, &end, 10);
    if (*end || pmid <= 0)
        return -1;
    /* stat fields 14-17: utime stime cutime cstime; children listed by ps */
    snprintf(path, sizeof path, "/proc/%ld/task/%ld/children", pmid, pmid);
    if (!(ps = fopen(path, "r")))
        return -1;
    for (int self = 1;; self = 0) {
        char statp[64];
        FILE *f;
        int pid = 0;
        if (self)
            pid = (int)pmid;
        else if (fscanf(ps, "%d", &pid) != 1 || pid <= 0)
            break;
        snprintf(statp, sizeof statp, "/proc/%d/stat", pid);
        if ((f = fopen(statp, "r")) && fgets(line, sizeof line, f)) {
            const char *p = strrchr(line, ')');
            unsigned long long v[4] = { 0, 0, 0, 0 };
            /* after ") ": state ppid pgrp session tty tpgid flags minflt cminflt majflt
             * cmajflt utime stime cutime cstime */
            if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %llu %llu",
                            &v[0], &v[1], &v[2], &v[3]) == 4)
                total += v[0] + v[1] + (self ? v[2] + v[3] : 0);
        }
        if (f)
            fclose(f);
    }
    fclose(ps);
    return (double)total / (double)hz;
}


/* ---- command-line options: one table per benchmark instead of a strcmp chain each ----------- */

/** What an option takes and where it goes. */
typedef enum {
    BENCH_OPT_STR,    /* the next argument as is: const char ** */
    BENCH_OPT_U64,    /* the next argument, bench_arg_u64 (exit 2 on junk): uint64_t * */
    BENCH_OPT_SIZE,   /* the same into a size_t * */
    BENCH_OPT_DOUBLE, /* the next argument, strtod: double * */
    BENCH_OPT_TRUE,   /* no argument: *(bool *) = true */
    BENCH_OPT_FALSE,  /* no argument: *(bool *) = false */
} bench_opt_kind;

typedef struct {
    const char *name; /* "--queries" */
    bench_opt_kind kind;
    void *dst;
} bench_opt;

/** Apply argv[1..argc-1] to the n options. False at the first argument that is none of them or
 * that lacks its value (the caller prints its usage); later options win over earlier ones. */
static inline bool bench_parse_args(int argc, char **argv, const bench_opt *opts, size_t n)
{
    for (int i = 1; i < argc; i++) {
        const bench_opt *o = NULL;
        for (size_t k = 0; k < n && !o; k++)
            if (strcmp(argv[i], opts[k].name) == 0)
                o = &opts[k];
        if (!o)
            return false;
        if (o->kind == BENCH_OPT_TRUE || o->kind == BENCH_OPT_FALSE) {
            *(bool *)o->dst = o->kind == BENCH_OPT_TRUE;
            continue;
        }
        if (i + 1 >= argc)
            return false;
        const char *v = argv[++i];
        switch (o->kind) {
        case BENCH_OPT_STR:
            *(const char **)o->dst = v;
            break;
        case BENCH_OPT_U64:
            *(uint64_t *)o->dst = bench_arg_u64(o->name, v);
            break;
        case BENCH_OPT_SIZE:
            *(size_t *)o->dst = (size_t)bench_arg_u64(o->name, v);
            break;
        case BENCH_OPT_DOUBLE:
            *(double *)o->dst = strtod(v, NULL);
            break;
        default:
            break;
        }
    }
    return true;
}

#endif

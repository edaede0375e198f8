/* Shared helpers for the benchmarks: xorshift RNG, monotonic timing, percentiles, TSV rows. */
#ifndef CT_BENCH_UTIL_H
#define CT_BENCH_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

#endif

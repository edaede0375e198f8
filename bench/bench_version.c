/* Version comparison and purl parse+canonicalise throughput, next to the reference oracles.
 *
 *   bench_version [--pairs N] [--rounds R] [--seed S] [--shared DIR] [--no-oracle]
 *
 * For each scheme of tests/version/version_gen.h it generates N seeded pairs (the corpora of the
 * differential test), times R passes of ct_version_compare_n() over them (median pass), and
 * times shared/oracles/vercmp on the same pairs (one process, wall clock, start-up included).
 * Then it times ct_purl_parse() + ct_purl_format() + ct_purl_free() on N generated purls
 * (tests/ident/purl_gen.h) and, for reference, shared/oracles/purl on them; then on 8 typical
 * purls and on every purl of the real SBOMs in shared/conformance/sboms (JSON "pkg:..." strings).
 * Heap allocations are counted with -Wl,--wrap for malloc, calloc and realloc, see bench/CMakeLists.txt:
 * every call from libcratrace during a timed loop is counted and reported per operation.
 * Output: TSV rows (bench, case, metric, value, unit) as the other benchmarks. */
#define _DEFAULT_SOURCE 1 /* wait4() */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_util.h"
#include "cratrace/base.h"
#include "cratrace/ident.h"
#include "cratrace/version.h"

#include "../tests/ident/purl_gen.h"
#include "../tests/version/version_gen.h"

#ifndef CT_BENCH_SHARED_DIR
#define CT_BENCH_SHARED_DIR "../shared"
#endif

/* ---- allocation counting (linker --wrap) ------------------------------------------------ */

static size_t n_allocs;
void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);

void *__wrap_malloc(size_t n)
{
    n_allocs++;
    return __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
    n_allocs++;
    return __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
    n_allocs++;
    return __real_realloc(p, n);
}

/* CPU time of this thread in ns: the machine is shared (2 cores, other jobs), so rates are per
 * CPU-second of the benchmark thread, i.e. per core, not per wall-clock second. */
static uint64_t cpu_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ---- corpora ------------------------------------------------------------------------------ */

typedef struct corpus {
    ct_buf text;   /* "a\tb\n" lines (versions) or "purl\n" lines */
    size_t *off;   /* per item: offset of a (and b) in text */
    size_t *len;   /* per item: length of a (and b) */
    size_t n;      /* items */
    size_t fields; /* 2 for pairs, 1 for purls */
} corpus;

static void corpus_init(corpus *c, size_t n, size_t fields)
{
    ct_buf init = CT_BUF_INIT;
    c->text = init;
    c->off = ct_calloc(n * fields, sizeof *c->off);
    c->len = ct_calloc(n * fields, sizeof *c->len);
    c->n = n;
    c->fields = fields;
    if (!c->off || !c->len) {
        fprintf(stderr, "bench_version: out of memory\n");
        exit(1);
    }
}

static void corpus_add(corpus *c, size_t i, size_t f, const ct_buf *v)
{
    c->off[i * c->fields + f] = c->text.len;
    c->len[i * c->fields + f] = v->len;
    ct_buf_put(&c->text, v->ptr, v->len);
    ct_buf_putc(&c->text, f + 1 < c->fields ? '\t' : '\n');
}

static void corpus_dispose(corpus *c)
{
    ct_buf_dispose(&c->text);
    ct_free(c->off);
    ct_free(c->len);
}

/* ---- the oracle, timed -------------------------------------------------------------------- */

/* Run argv with stdin = the corpus text (via a temp file) and stdout discarded; wall seconds
 * (return) and user+system CPU seconds of the oracle and its children (*cpu), -1 on failure. */
static double time_oracle(char *const argv[], const corpus *c, double *cpu)
{
    char path[] = "/tmp/ct-bench-version-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    size_t off = 0;
    while (off < c->text.len) {
        ssize_t w = write(fd, c->text.ptr + off, c->text.len - off);
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    lseek(fd, 0, SEEK_SET);
    uint64_t t0 = bench_now_ns();
    pid_t pid = fork();
    if (pid == 0) {
        int devnull = open("/dev/null", O_WRONLY);
        dup2(fd, 0);
        dup2(devnull, 1);
        execv(argv[0], argv);
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    if (pid > 0)
        wait4(pid, &status, 0, &ru);
    uint64_t t1 = bench_now_ns();
    *cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    close(fd);
    unlink(path);
    if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return -1;
    return (double)(t1 - t0) / 1e9;
}

/* ---- benchmarks --------------------------------------------------------------------------- */

static volatile int sink;

static void bench_scheme(const version_gen_scheme *s, size_t pairs, unsigned rounds,
                         uint64_t seed, const char *shared, bool oracle)
{
    corpus c;
    ct_buf a = CT_BUF_INIT, b = CT_BUF_INIT;
    version_gen g;
    size_t valid = 0;
    double *secs = ct_calloc(rounds, sizeof *secs), *vsecs = ct_calloc(rounds, sizeof *vsecs);
    unsigned char *ok = ct_calloc(pairs, 1);

    corpus_init(&c, pairs, 2);
    version_gen_seed(&g, seed);
    for (size_t i = 0; i < pairs; i++) {
        version_gen_pair(&g, s, &a, &b);
        corpus_add(&c, i, 0, &a);
        corpus_add(&c, i, 1, &b);
    }
    for (size_t i = 0; i < pairs; i++) {
        int cmp;
        ok[i] = ct_version_compare_n(&cmp, s->scheme, c.text.ptr + c.off[2 * i], c.len[2 * i],
                                     c.text.ptr + c.off[2 * i + 1], c.len[2 * i + 1]) == 0;
        valid += ok[i];
    }
    ct_error_clear();
    size_t allocs0 = n_allocs;
    for (unsigned r = 0; r < rounds; r++) {
        int acc = 0, cmp = 0;
        uint64_t t0 = cpu_now_ns();
        for (size_t i = 0; i < pairs; i++) {
            if (ct_version_compare_n(&cmp, s->scheme, c.text.ptr + c.off[2 * i], c.len[2 * i],
                                     c.text.ptr + c.off[2 * i + 1], c.len[2 * i + 1]) == 0)
                acc += cmp;
        }
        uint64_t t1 = cpu_now_ns();
        for (size_t i = 0; i < pairs; i++) {
            if (ok[i] && ct_version_compare_n(&cmp, s->scheme, c.text.ptr + c.off[2 * i],
                                              c.len[2 * i], c.text.ptr + c.off[2 * i + 1],
                                              c.len[2 * i + 1]) == 0)
                acc += cmp;
        }
        uint64_t t2 = cpu_now_ns();
        sink = acc;
        secs[r] = (double)(t1 - t0) / 1e9;
        vsecs[r] = (double)(t2 - t1) / 1e9;
    }
    size_t allocs = n_allocs - allocs0;
    double all = bench_median(secs, rounds), v = bench_median(vsecs, rounds);
    bench_row("version", s->scheme, "pairs", (double)pairs, "count");
    bench_row("version", s->scheme, "valid_pairs", (double)valid, "count");
    bench_row("version", s->scheme, "compares_per_s", (double)pairs / all, "1/s (CPU)");
    bench_row("version", s->scheme, "valid_compares_per_s", valid ? (double)valid / v : 0, "1/s (CPU)");
    bench_row("version", s->scheme, "allocs_per_compare",
              (double)allocs / ((double)rounds * (double)(pairs + valid)), "count");
    if (oracle) {
        char prog[4096];
        snprintf(prog, sizeof prog, "%s/oracles/vercmp", shared);
        char *const argv[] = { prog, (char *)s->scheme, NULL };
        double cpu = 0, t = time_oracle(argv, &c, &cpu);
        bench_row("version", s->scheme, "oracle_compares_per_s", t > 0 ? (double)pairs / t : -1,
                  "1/s (wall, start-up included)");
        bench_row("version", s->scheme, "oracle_compares_per_cpu_s",
                  t > 0 && cpu > 0 ? (double)pairs / cpu : -1, "1/s (CPU)");
    }
    corpus_dispose(&c);
    ct_buf_dispose(&a);
    ct_buf_dispose(&b);
    ct_free(secs);
    ct_free(vsecs);
    ct_free(ok);
}

static void bench_purl(size_t n, unsigned rounds, uint64_t seed, const char *shared, bool oracle)
{
    corpus c, cv; /* all generated purls; the valid ones */
    ct_buf one = CT_BUF_INIT, out = CT_BUF_INIT;
    purl_gen g;
    size_t valid = 0;
    double *secs = ct_calloc(rounds, sizeof *secs), *vsecs = ct_calloc(rounds, sizeof *vsecs);

    corpus_init(&c, n, 1);
    corpus_init(&cv, n, 1);
    purl_gen_seed(&g, seed);
    for (size_t i = 0; i < n; i++) {
        ct_buf_reset(&one);
        purl_gen_one(&g, &one);
        corpus_add(&c, i, 0, &one);
        ct_purl *p = NULL;
        if (ct_purl_parse(&p, one.ptr, one.len) == 0) {
            ct_buf_reset(&out);
            if (ct_purl_format(&out, p) == 0)
                corpus_add(&cv, valid++, 0, &one);
        }
        ct_purl_free(p);
    }
    cv.n = valid;
    ct_error_clear();
    ct_buf_reset(&out);
    (void)ct_buf_grow(&out, 4096);
    size_t allocs0 = n_allocs, allocs_valid = 0;
    for (unsigned r = 0; r < rounds; r++) {
        const corpus *sets[2] = { &c, &cv };
        for (int k = 0; k < 2; k++) {
            const corpus *s = sets[k];
            size_t before = n_allocs;
            uint64_t t0 = cpu_now_ns();
            for (size_t i = 0; i < s->n; i++) {
                ct_purl *p = NULL;
                if (ct_purl_parse(&p, s->text.ptr + s->off[i], s->len[i]) == 0) {
                    out.len = 0;
                    (void)ct_purl_format(&out, p);
                }
                ct_purl_free(p);
            }
            uint64_t t1 = cpu_now_ns();
            (k ? vsecs : secs)[r] = (double)(t1 - t0) / 1e9;
            if (k)
                allocs_valid += n_allocs - before;
        }
    }
    double all = bench_median(secs, rounds), v = bench_median(vsecs, rounds);
    bench_row("purl", "parse+format", "purls", (double)n, "count");
    bench_row("purl", "parse+format", "valid_purls", (double)valid, "count");
    bench_row("purl", "parse+format", "per_s", (double)n / all, "1/s (CPU)");
    bench_row("purl", "parse+format", "valid_per_s", valid ? (double)valid / v : 0, "1/s (CPU)");
    bench_row("purl", "parse+format", "allocs_per_valid_purl",
              valid ? (double)allocs_valid / ((double)rounds * (double)valid) : 0, "count");
    (void)allocs0;
    if (oracle) {
        char prog[4096];
        snprintf(prog, sizeof prog, "%s/oracles/purl", shared);
        char *const argv[] = { prog, NULL };
        double cpu = 0, t = time_oracle(argv, &c, &cpu);
        bench_row("purl", "parse+format", "oracle_per_s", t > 0 ? (double)n / t : -1,
                  "1/s (wall, start-up included)");
        bench_row("purl", "parse+format", "oracle_per_cpu_s", t > 0 && cpu > 0 ? (double)n / cpu : -1,
                  "1/s (CPU)");
    }
    corpus_dispose(&c);
    corpus_dispose(&cv);
    ct_buf_dispose(&one);
    ct_buf_dispose(&out);
    ct_free(secs);
    ct_free(vsecs);
}

/* ---- purls from the real SBOMs ------------------------------------------------------- */

/* Collect every "pkg:..." JSON string value (no escapes) of the *.json files under dir. */
static void collect_purls(corpus *c, size_t *cap, const char *dir, int depth)
{
    DIR *d = depth < 8 ? opendir(dir) : NULL;
    struct dirent *e;
    if (!d)
        return;
    while ((e = readdir(d)) != NULL) {
        char path[4096];
        struct stat st;
        size_t nl = strlen(e->d_name);
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            collect_purls(c, cap, path, depth + 1);
            continue;
        }
        if (nl < 5 || strcmp(e->d_name + nl - 5, ".json") != 0 || st.st_size > (64 << 20))
            continue;
        FILE *f = fopen(path, "rb");
        char *text = f ? ct_malloc((size_t)st.st_size + 1) : NULL;
        size_t got = text ? fread(text, 1, (size_t)st.st_size, f) : 0;
        if (f)
            fclose(f);
        if (!text)
            continue;
        text[got] = '\0';
        for (char *q = strstr(text, "\"pkg:"); q; q = strstr(q + 1, "\"pkg:")) {
            char *end = strchr(q + 1, '"');
            if (!end)
                break;
            if (memchr(q + 1, '\\', (size_t)(end - q - 1)))
                continue; /* JSON escapes: not the raw purl */
            if (c->n == *cap) {
                *cap = *cap ? 2 * *cap : 4096;
                c->off = ct_reallocarray(c->off, *cap, sizeof *c->off);
                c->len = ct_reallocarray(c->len, *cap, sizeof *c->len);
                if (!c->off || !c->len) {
                    fprintf(stderr, "bench_version: out of memory\n");
                    exit(1);
                }
            }
            ct_buf one = { q + 1, (size_t)(end - q - 1), 0, 0, false };
            corpus_add(c, c->n++, 0, &one);
        }
        ct_free(text);
    }
    closedir(d);
}

/* parse+format over every purl found in shared/conformance/sboms, repeated to ~n purls. */
static void bench_purl_sboms(size_t n, unsigned rounds, const char *shared)
{
    corpus c;
    size_t cap = 0, valid = 0;
    char dir[4096];
    ct_buf out = CT_BUF_INIT;
    memset(&c, 0, sizeof c);
    c.fields = 1;
    c.text = out;
    snprintf(dir, sizeof dir, "%s/conformance/sboms", shared);
    collect_purls(&c, &cap, dir, 0);
    if (c.n == 0) {
        fprintf(stderr, "bench_version: no purls under %s, skipping the real-SBOM purl bench\n",
                dir);
        corpus_dispose(&c);
        return;
    }
    for (size_t i = 0; i < c.n; i++) {
        ct_purl *p = NULL;
        if (ct_purl_parse(&p, c.text.ptr + c.off[i], c.len[i]) == 0) {
            out.len = 0;
            valid += ct_purl_format(&out, p) == 0;
        }
        ct_purl_free(p);
    }
    size_t reps = n / c.n + 1;
    double *secs = ct_calloc(rounds, sizeof *secs);
    (void)ct_buf_grow(&out, 4096);
    size_t before = n_allocs;
    for (unsigned r = 0; r < rounds; r++) {
        uint64_t t0 = cpu_now_ns();
        for (size_t k = 0; k < reps; k++)
            for (size_t i = 0; i < c.n; i++) {
                ct_purl *p = NULL;
                if (ct_purl_parse(&p, c.text.ptr + c.off[i], c.len[i]) == 0) {
                    out.len = 0;
                    (void)ct_purl_format(&out, p);
                }
                ct_purl_free(p);
            }
        secs[r] = (double)(cpu_now_ns() - t0) / 1e9;
    }
    double ops = (double)reps * (double)c.n;
    bench_row("purl", "sboms", "purls", (double)c.n, "count");
    bench_row("purl", "sboms", "valid_purls", (double)valid, "count");
    bench_row("purl", "sboms", "per_s", ops / bench_median(secs, rounds), "1/s (CPU)");
    bench_row("purl", "sboms", "allocs_per_purl",
              (double)(n_allocs - before) / ((double)rounds * ops), "count");
    corpus_dispose(&c);
    ct_buf_dispose(&out);
    ct_free(secs);
}

/* 8 typical purls round-robin, as the standalone loop in docs/identifiers.md measured before. */
static void bench_purl_typical(size_t n, unsigned rounds)
{
    static const char *const typical[] = {
        "pkg:npm/%40angular/core@16.2.0",
        "pkg:pypi/django@4.2.7",
        "pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1?type=jar",
        "pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12",
        "pkg:rpm/redhat/openssl@1.1.1k-12.el8_9?arch=x86_64&epoch=1",
        "pkg:golang/github.com/gorilla/mux@v1.8.0",
        "pkg:cargo/serde@1.0.188",
        "pkg:gem/rails@7.0.8",
    };
    size_t lens[8];
    double *secs = ct_calloc(rounds, sizeof *secs);
    ct_buf out = CT_BUF_INIT;
    (void)ct_buf_grow(&out, 4096);
    for (size_t k = 0; k < 8; k++)
        lens[k] = strlen(typical[k]);
    size_t before = n_allocs;
    for (unsigned r = 0; r < rounds; r++) {
        uint64_t t0 = cpu_now_ns();
        for (size_t i = 0; i < n; i++) {
            ct_purl *p = NULL;
            if (ct_purl_parse(&p, typical[i & 7], lens[i & 7]) == 0) {
                out.len = 0;
                (void)ct_purl_format(&out, p);
            }
            ct_purl_free(p);
        }
        secs[r] = (double)(cpu_now_ns() - t0) / 1e9;
    }
    bench_row("purl", "typical8", "per_s", (double)n / bench_median(secs, rounds), "1/s (CPU)");
    bench_row("purl", "typical8", "allocs_per_purl",
              (double)(n_allocs - before) / ((double)rounds * (double)n), "count");
    ct_buf_dispose(&out);
    ct_free(secs);
}

int main(int argc, char **argv)
{
    size_t pairs = 100000;
    uint64_t rounds_arg = 5;
    uint64_t seed = 20240611;
    const char *shared = CT_BENCH_SHARED_DIR, *only = NULL;
    bool oracle = true;
    const bench_opt opts[] = {
        { "--pairs", BENCH_OPT_SIZE, &pairs },
        { "--rounds", BENCH_OPT_U64, &rounds_arg },
        { "--seed", BENCH_OPT_U64, &seed },
        { "--shared", BENCH_OPT_STR, &shared },
        { "--only", BENCH_OPT_STR, &only },
        { "--no-oracle", BENCH_OPT_FALSE, &oracle },
    };
    if (!bench_parse_args(argc, argv, opts, CT_NELEM(opts))) {
        fprintf(stderr, "usage: bench_version [--pairs N] [--rounds R] [--seed S] "
                        "[--shared DIR] [--only scheme,...|purl] [--no-oracle]\n");
        return 2;
    }
    unsigned rounds = (unsigned)rounds_arg;
    if (pairs == 0 || rounds == 0) {
        fprintf(stderr, "bench_version: --pairs and --rounds must be positive\n");
        return 2;
    }
    bench_header();
    for (size_t k = 0; k < CT_NELEM(version_gen_schemes); k++)
        if (!only || strstr(only, version_gen_schemes[k].scheme))
            bench_scheme(&version_gen_schemes[k], pairs, rounds, seed + k, shared, oracle);
    if (!only || strstr(only, "purl")) {
        bench_purl(pairs, rounds, seed, shared, oracle);
        bench_purl_typical(pairs * 10, rounds);
        bench_purl_sboms(pairs * 10, rounds, shared);
    }
    return 0;
}

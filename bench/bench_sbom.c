/* SBOM parse + validate throughput and peak memory (docs/PERFORMANCE.md, "SBOM parse and
 * validate"), next to ../shared/oracles/cdx-validate on the same files in the same run.
 *
 * Files: the 3 largest real SBOMs under SHARED/conformance/sboms that cratrace reads, and
 * generated CycloneDX 1.6 JSON documents of 1, 10 and 100 MB (cached in --dir). Each cratrace
 * run is a fork()ed child that reads the file and runs ct_sbom_parse_validate() (one JSON tape
 * for reader and validator); the parent takes wall time, the child's CPU time (user + sys)
 * and peak RSS (wait4). Baseline in the same run: a child that only builds a json-c DOM of the
 * file (the previous code built two, plus the walks). cdx-validate runs as a
 * subprocess the same way (time and peak RSS include its node start-up; a 1-component document
 * is timed too, so its start-up can be read off).
 *
 *   bench_sbom [--shared DIR] [--dir DIR] [--sizes 1,10,100] [--runs N] [--no-oracle]
 *              [--oracle-max-mb N]   (cdx-validate only on generated files up to N MB, default
 *                                     10: it took 285 s for 10 MB on the loaded project VM)
 *              [--oracle-timeout S]  (kill a cdx-validate run after S seconds, default 900;
 *                                     the row cdx_validate_timed_out says it happened)
 * Output: TSV rows (bench, case, metric, value, unit). */
#define _DEFAULT_SOURCE /* wait4 */
#include "bench_util.h"
#include "bench_sbom_gen.h"

#include "cratrace/sbom.h"
#include "cratrace/sbom_validate.h"

#include <json-c/json.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#ifndef CT_BENCH_SHARED_DIR
#define CT_BENCH_SHARED_DIR "../shared"
#endif

typedef struct {
    char path[4096];
    off_t size;
} sfile;

static int cmp_size_desc(const void *a, const void *b)
{
    const sfile *x = a, *y = b;
    return (x->size < y->size) - (x->size > y->size);
}

static void collect(sfile **v, size_t *n, size_t *cap, const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    if (!d)
        return;
    while ((e = readdir(d))) {
        char path[4096];
        struct stat sb;
        size_t len;
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode)) {
            collect(v, n, cap, path);
            continue;
        }
        len = strlen(path);
        if (!(len > 5 && (strcmp(path + len - 5, ".json") == 0 ||
                          strcmp(path + len - 4, ".xml") == 0)))
            continue;
        if (*n == *cap) {
            *cap = *cap ? *cap * 2 : 64;
            *v = ct_reallocarray(*v, *cap, sizeof **v);
            if (!*v)
                exit(4);
        }
        snprintf((*v)[*n].path, sizeof(*v)[*n].path, "%s", path);
        (*v)[(*n)++].size = sb.st_size;
    }
    closedir(d);
}

/* In this process: mode 0 = ct_sbom_parse_validate() (one JSON tape for the reader and the
 * validator, what `sbom validate`/import need); mode 1 = only a json-c DOM of the document (the
 * baseline: the previous code built two of these). 0 when it worked and the document is
 * valid. */
static int parse_validate(const char *path, int *valid, int mode)
{
    ct_ctx *ctx = NULL;
    ct_ctx_options o = CT_CTX_OPTIONS_INIT;
    char *data = NULL;
    size_t len = 0;
    ct_sbom *s = NULL;
    ct_sbom_report *r = NULL;
    int rc;
    o.progress = false;
    *valid = 0;
    if (ct_ctx_new(&ctx, &o) < 0)
        return -1;
    rc = ct_file_read(&data, &len, path, ct_ctx_limits(ctx)->max_doc_bytes);
    if (rc == 0 && mode == 1) {
        json_tokener *tok = json_tokener_new_ex(64);
        json_object *doc = NULL;
        if (tok && len <= INT32_MAX)
            doc = json_tokener_parse_ex(tok, data, (int)len);
        *valid = doc != NULL;
        rc = doc ? 0 : -1;
        json_object_put(doc);
        json_tokener_free(tok);
    } else if (rc == 0) {
        rc = ct_sbom_parse_validate(&s, &r, ctx, data, len, path, NULL);
        if (rc == 0 && !s)
            rc = -1;
        *valid = r && r->valid;
    }
    if (r && !r->valid && r->nerrors)
        fprintf(stderr, "  %s: %s %s\n", path, r->errors[0].location, r->errors[0].message);
    ct_sbom_free(s);
    ct_sbom_report_free(r);
    ct_free(data);
    ct_ctx_free(ctx);
    return rc;
}

/* cdx-validate takes CycloneDX only: the real files must read as CycloneDX */
static bool is_cyclonedx(const char *path)
{
    ct_ctx *ctx = NULL;
    ct_ctx_options o = CT_CTX_OPTIONS_INIT;
    char *data = NULL;
    size_t len = 0;
    ct_sbom *s = NULL;
    bool yes = false;
    o.progress = false;
    if (ct_ctx_new(&ctx, &o) < 0)
        return false;
    if (ct_file_read(&data, &len, path, ct_ctx_limits(ctx)->max_doc_bytes) == 0 &&
        ct_sbom_parse(&s, ctx, data, len, path) == 0)
        yes = strncmp(s->format, "cyclonedx", 9) == 0;
    else
        ct_error_clear();
    ct_sbom_free(s);
    ct_free(data);
    ct_ctx_free(ctx);
    return yes;
}

typedef struct {
    double seconds; /* wall */
    double cpu;     /* user + system of the child and its waited-for descendants */
    double rss_mb;
    int status;
    bool timed_out; /* killed after the timeout */
} run_result;

static double g_oracle_timeout = 900; /* seconds, --oracle-timeout */

/* fork: child runs parse_validate in mode (argv == NULL) or execs argv (killed after
 * g_oracle_timeout seconds); wall time, CPU time and peak RSS */
static run_result run_child(const char *path, char *const *argv, int mode)
{
    run_result res = { 0, 0, 0, -1, false };
    struct rusage ru;
    int st = 0;
    uint64_t t0 = bench_now_ns();
    pid_t pid = fork();
    if (pid < 0)
        return res;
    if (pid == 0) {
        if (argv) {
            int fd = open("/dev/null", O_WRONLY);
            if (fd >= 0) {
                dup2(fd, 1);
                dup2(fd, 2);
            }
            execvp(argv[0], argv);
            _exit(127);
        }
        int valid = 0;
        int rc = parse_validate(path, &valid, mode);
        _exit(rc < 0 ? 2 : valid ? 0 : 1);
    }
    if (bench_wait_bounded(pid, &st, &ru, argv ? g_oracle_timeout : 0, 50, &res.timed_out) < 0)
        return res;
    res.seconds = (double)(bench_now_ns() - t0) / 1e9;
    res.cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
              (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    res.rss_mb = (double)ru.ru_maxrss / 1024.0; /* KiB on Linux */
    res.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return res;
}


static void bench_file(const char *kase, const char *path, off_t size, int runs,
                       const char *oracle)
{
    double mb = (double)size / (1024.0 * 1024.0), best = 1e30, cpu = 1e30, rss = 0;
    int status = 0;
    for (int i = 0; i < runs; i++) {
        run_result r = run_child(path, NULL, 0);
        if (r.seconds < best)
            best = r.seconds;
        if (r.cpu < cpu)
            cpu = r.cpu;
        if (r.rss_mb > rss)
            rss = r.rss_mb;
        status = r.status;
    }
    bench_row("sbom", kase, "file_size", mb, "MB");
    bench_row("sbom", kase, "cratrace_valid", status == 0, "bool");
    bench_row("sbom", kase, "cratrace_seconds", best, "s");
    bench_row("sbom", kase, "cratrace_throughput", mb / best, "MB/s");
    bench_row("sbom", kase, "cratrace_cpu_seconds", cpu, "s");
    bench_row("sbom", kase, "cratrace_cpu_throughput", mb / cpu, "MB/s");
    bench_row("sbom", kase, "cratrace_peak_rss", rss, "MB");
    bench_row("sbom", kase, "cratrace_rss_per_file_size", rss / mb, "x");
    {
        /* baseline in the same run: one json-c DOM of the file (the old path built two) */
        run_result j = run_child(path, NULL, 1);
        bench_row("sbom", kase, "jsonc_dom_cpu_seconds", j.cpu, "s");
        bench_row("sbom", kase, "jsonc_dom_rss_per_file_size", j.rss_mb / mb, "x");
        bench_row("sbom", kase, "cpu_speedup_vs_one_jsonc_dom", j.cpu / cpu, "x");
    }
    if (oracle) {
        char *argv[] = { (char *)oracle, (char *)path, NULL };
        run_result o = run_child(NULL, argv, 0);
        bench_row("sbom", kase, "cdx_validate_exit", o.status, "code");
        bench_row("sbom", kase, "cdx_validate_timed_out", o.timed_out, "bool");
        bench_row("sbom", kase, "cdx_validate_seconds", o.seconds, "s");
        bench_row("sbom", kase, "cdx_validate_throughput", mb / o.seconds, "MB/s");
        bench_row("sbom", kase, "cdx_validate_cpu_seconds", o.cpu, "s");
        bench_row("sbom", kase, "cdx_validate_peak_rss", o.rss_mb, "MB");
        bench_row("sbom", kase, "speedup_vs_cdx_validate", o.seconds / best, "x");
        bench_row("sbom", kase, "cpu_speedup_vs_cdx_validate", o.cpu / cpu, "x");
    }
}

int main(int argc, char **argv)
{
    const char *shared = CT_BENCH_SHARED_DIR, *dir = "bench-tmp/sbom", *sizes = "1,10,100";
    uint64_t runs_arg = 3, timeout_arg = (uint64_t)g_oracle_timeout;
    size_t oracle_max_mb = 10;
    bool use_oracle = true;
    char oracle[4096], root[4096];
    const bench_opt opts[] = {
        { "--shared", BENCH_OPT_STR, &shared },
        { "--dir", BENCH_OPT_STR, &dir },
        { "--sizes", BENCH_OPT_STR, &sizes },
        { "--runs", BENCH_OPT_U64, &runs_arg },
        { "--oracle-max-mb", BENCH_OPT_SIZE, &oracle_max_mb },
        { "--oracle-timeout", BENCH_OPT_U64, &timeout_arg },
        { "--no-oracle", BENCH_OPT_FALSE, &use_oracle },
    };
    if (!bench_parse_args(argc, argv, opts, CT_NELEM(opts))) {
        fprintf(stderr, "usage: bench_sbom [--shared DIR] [--dir DIR] [--sizes 1,10,100] "
                        "[--runs N] [--oracle-max-mb N] [--oracle-timeout S] [--no-oracle]\n");
        return 2;
    }
    int runs = (int)runs_arg;
    g_oracle_timeout = (double)timeout_arg;
    if (runs < 1)
        runs = 1;
    snprintf(oracle, sizeof oracle, "%s/oracles/cdx-validate", shared);
    if (use_oracle && access(oracle, X_OK) != 0) {
        fprintf(stderr, "bench_sbom: %s not found: cratrace only\n", oracle);
        use_oracle = false;
    }
    if (use_oracle) {
        const char *home = getenv("ORACLES_HOME"), *h = getenv("HOME");
        char stamp[4096];
        if (home && *home)
            snprintf(stamp, sizeof stamp, "%s/stamp", home);
        else
            snprintf(stamp, sizeof stamp, "%s/.cache/cratrace-oracles/stamp", h ? h : "");
        if (access(stamp, R_OK) != 0) {
            fprintf(stderr, "bench_sbom: oracles not installed (%s): cratrace only\n", stamp);
            use_oracle = false;
        }
    }
    bench_header();

    /* the 3 largest real SBOMs cratrace reads */
    sfile *v = NULL;
    size_t n = 0, cap = 0, taken = 0;
    snprintf(root, sizeof root, "%s/conformance/sboms", shared);
    collect(&v, &n, &cap, root);
    if (n)
        qsort(v, n, sizeof *v, cmp_size_desc);
    for (size_t i = 0; i < n && taken < 3; i++) {
        int valid;
        char kase[256];
        const char *base = strrchr(v[i].path, '/');
        ct_error_clear();
        if (!is_cyclonedx(v[i].path) || parse_validate(v[i].path, &valid, 0) < 0) {
            fprintf(stderr, "bench_sbom: skipping %s (%s)\n", v[i].path,
                    ct_error_last()->code ? ct_error_format()
                                             : "not read as CycloneDX 1.4-1.7");
            continue;
        }
        /* "real:<parent dir>/<file>" keeps the bom.json cases apart */
        const char *start = base;
        while (start > v[i].path && start[-1] != '/')
            start--;
        snprintf(kase, sizeof kase, "real:%s", start > v[i].path ? start : base + 1);
        bench_file(kase, v[i].path, v[i].size, runs, use_oracle ? oracle : NULL);
        taken++;
    }
    ct_free(v);

    /* generated */
    char spec[256];
    snprintf(spec, sizeof spec, "%s", sizes);
    mkdir(dir, 0755);
    for (char *tok = spec, *next; tok && *tok; tok = next) {
        if ((next = strchr(tok, ',')))
            *next++ = '\0';
        size_t mb = (size_t)bench_arg_u64("--sizes", tok);
        char path[4096], kase[64];
        struct stat sb;
        snprintf(path, sizeof path, "%s/gen-%zumb.cdx.json", dir, mb);
        if (stat(path, &sb) != 0) {
            fprintf(stderr, "bench_sbom: generating %s\n", path);
            if (bench_sbom_generate(path, mb) < 0 || stat(path, &sb) != 0) {
                fprintf(stderr, "bench_sbom: cannot write %s\n", path);
                return 4;
            }
        }
        snprintf(kase, sizeof kase, "generated:%zuMB", mb);
        if (use_oracle && mb > oracle_max_mb)
            fprintf(stderr, "bench_sbom: %s: cdx-validate not run above --oracle-max-mb %zu\n",
                    kase, oracle_max_mb);
        bench_file(kase, path, sb.st_size, runs,
                   use_oracle && mb <= oracle_max_mb ? oracle : NULL);
    }
    if (use_oracle) {
        /* the oracle's start-up: a one-component document */
        char path[4096];
        FILE *f;
        snprintf(path, sizeof path, "%s/tiny.cdx.json", dir);
        if ((f = fopen(path, "w"))) {
            fputs("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"version\":1,"
                  "\"components\":[{\"type\":\"library\",\"name\":\"x\"}]}\n",
                  f);
            fclose(f);
            char *av[] = { oracle, path, NULL };
            run_result o = run_child(NULL, av, 0);
            bench_row("sbom", "tiny", "cdx_validate_startup_seconds", o.seconds, "s");
        }
    }
    return 0;
}

/* SBOM reader memory and speed per format (docs/PERFORMANCE.md §7, "Issue 5, XML and SPDX
 * memory (sbomxml)"): CycloneDX 1.6 XML, SPDX 2.3 JSON and SPDX 2.3 tag-value next to the
 * CycloneDX JSON they are made from.
 *
 * Files: generated CycloneDX 1.6 JSON of about 1, 10 and 100 MB (the generator of
 * bench_sbom.c: components with purl, hash, licence and a dependency chain; cached in --dir as
 * gen-Nmb.cdx.json, shared with bench_sbom), written by cratrace's own writers as
 * gen-Nmb.cdx.xml (CycloneDX 1.6), gen-Nmb.spdx.json and gen-Nmb.spdx (SPDX 2.3), so every
 * format holds the same model; plus the largest real CycloneDX XML, SPDX JSON and SPDX
 * tag-value files under SHARED/conformance/sboms.
 *
 * Each measurement is a fresh process (this program re-executed with --child, so its peak RSS
 * is that of the work alone, not of a forked parent): "parse" = read the file +
 * ct_sbom_parse() (what `sbom import` does), "pv" = read + ct_sbom_parse_validate() (what
 * `sbom validate --profile` does: the format's validator, then its reader), "v" = read +
 * ct_sbom_validate_ex() with the C rules only (what `sbom validate` does), "vxsd" = the same
 * with the XSD (`sbom validate --xsd`; xmlval, PERFORMANCE.md §7). The parent takes
 * wall time and the child's CPU time (user + sys) and peak RSS (wait4). Oracles in the same
 * run: cdx-validate (XML) and spdx-validate (SPDX JSON) on files up to --oracle-max-mb,
 * killed after --oracle-timeout seconds.
 *
 *   bench_sbom_formats [--shared DIR] [--dir DIR] [--sizes 1,10,100] [--runs N]
 *                      [--formats cdx-json,cdx-xml,spdx-json,spdx-tv] [--modes parse,pv,v,vxsd]
 *                      [--no-real] [--all-real] [--no-oracle] [--oracle-max-mb N]
 *                      [--oracle-timeout S] [--map]
 * (--all-real: every real file of a format, not only the largest; --map: the child maps the file
 * read-only, as `cratrace sbom validate` does, instead of reading it into the heap)
 * Output: TSV rows (bench, case, metric, value, unit); per mode also the child's minor page
 * faults (*_minor_faults) and, measured with getrusage inside the child around the read, the
 * library call and the frees, *_work_minor_faults and *_work_cpu_seconds (spdx8). */
#define _DEFAULT_SOURCE /* wait4 */
#include "bench_util.h"
#include "bench_sbom_gen.h"

#include "cratrace/sbom.h"
#include "cratrace/sbom_validate.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef CT_BENCH_SHARED_DIR
#define CT_BENCH_SHARED_DIR "../shared"
#endif

typedef struct {
    const char *name;   /* --formats name and case prefix */
    const char *writer; /* ct_sbom_write format; NULL = the generated source itself */
    const char *spec;
    const char *ext;    /* generated file suffix */
    const char *oracle; /* oracle script under SHARED/oracles, or NULL */
} fmt;

static const fmt fmts[] = {
    { "cdx-json", NULL, NULL, "cdx.json", NULL },
    { "cdx-xml", "cyclonedx-xml", "1.6", "cdx.xml", "cdx-validate" },
    { "spdx-json", "spdx-json", "2.3", "spdx.json", "spdx-validate" },
    { "spdx-tv", "spdx-tv", "2.3", "spdx", NULL },
};

/* ---- child: one measured run --------------------------------------------------------------- */

/* The file mapped read-only (--map); *out NULL and -1 when it cannot be. */
static int map_file(char **out, size_t *len, const char *path)
{
    struct stat sb;
    int fd = open(path, O_RDONLY);
    void *m = MAP_FAILED;
    *out = NULL;
    *len = 0;
    if (fd >= 0 && fstat(fd, &sb) == 0 && sb.st_size > 0)
        m = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (fd >= 0)
        close(fd);
    if (m == MAP_FAILED) {
        fprintf(stderr, "  %s: cannot map\n", path);
        return -1;
    }
    *out = m;
    *len = (size_t)sb.st_size;
    return 0;
}

static int child(const char *mode, const char *path)
{
    ct_ctx *ctx = NULL;
    ct_ctx_options o = CT_CTX_OPTIONS_INIT;
    char *data = NULL;
    size_t len = 0;
    ct_sbom *s = NULL;
    ct_sbom_report *r = NULL;
    int rc, valid = 1;
    struct rusage ru0, ru1; /* the work alone (spdx8): page faults and CPU, no process start */
    o.progress = false;
    if (ct_ctx_new(&ctx, &o) < 0)
        return 2;
    getrusage(RUSAGE_SELF, &ru0);
    if (getenv("CT_BENCH_MAP")) /* --map: the file's pages, no heap copy (xmlfast) */
        rc = map_file(&data, &len, path);
    else
        rc = ct_file_read(&data, &len, path, ct_ctx_limits(ctx)->max_doc_bytes);
    if (rc == 0 && strcmp(mode, "parse") == 0) {
        rc = ct_sbom_parse(&s, ctx, data, len, path);
    } else if (rc == 0 && (strcmp(mode, "v") == 0 || strcmp(mode, "vxsd") == 0)) {
        /* the validator alone: its C rules, or with vxsd the XSD (default folder) */
        ct_sbom_validate_options vo = CT_SBOM_VALIDATE_OPTIONS_INIT;
        vo.xsd = mode[1] ? CT_SBOM_XSD_ON : CT_SBOM_XSD_OFF;
        rc = ct_sbom_validate_ex(&r, ctx, data, len, path, &vo);
        valid = r && r->valid;
        if (r && !r->valid && r->nerrors)
            fprintf(stderr, "  %s: %s %s\n", path, r->errors[0].location,
                    r->errors[0].message);
        if (r && mode[1] && !r->schema_checked)
            fprintf(stderr, "  %s: the XSD did not run\n", path);
    } else if (rc == 0) {
        rc = ct_sbom_parse_validate(&s, &r, ctx, data, len, path, NULL);
        if (rc == 0 && !s)
            rc = -1;
        valid = r && r->valid;
        if (r && !r->valid && r->nerrors)
            fprintf(stderr, "  %s: %s %s\n", path, r->errors[0].location,
                    r->errors[0].message);
    }
    if (rc < 0)
        fprintf(stderr, "  %s: %s\n", path, ct_error_format());
    size_t ncomp = s ? s->ncomponents : 0, ndeps = s ? s->ndeps : 0;
    ct_sbom_free(s);
    ct_sbom_report_free(r);
    getrusage(RUSAGE_SELF, &ru1);
    /* the model's size, so a reader that drops components would show (0 0 without a model),
     * then the work's minor faults and CPU seconds (read + call + free; spdx8) */
    printf("%zu %zu %ld %.6f\n", ncomp, ndeps,
           ru1.ru_minflt - ru0.ru_minflt,
           (double)(ru1.ru_utime.tv_sec - ru0.ru_utime.tv_sec) +
               (double)(ru1.ru_utime.tv_usec - ru0.ru_utime.tv_usec) / 1e6 +
               (double)(ru1.ru_stime.tv_sec - ru0.ru_stime.tv_sec) +
               (double)(ru1.ru_stime.tv_usec - ru0.ru_stime.tv_usec) / 1e6);
    if (getenv("CT_BENCH_MAP"))
        munmap(data, len ? len : 1);
    else
        ct_free(data);
    ct_ctx_free(ctx);
    return rc < 0 ? 2 : valid ? 0 : 1;
}

/* ---- parent -------------------------------------------------------------------------------- */

typedef struct {
    double seconds, cpu, rss_mb;
    int status;
    bool timed_out;
    size_t ncomp, ndeps;
    double minflt, work_minflt, work_cpu; /* spdx8: whole child / the work inside it */
} run_result;

static double g_oracle_timeout = 900;
static char g_self[4096];

/* run argv (stdout captured to read "ncomp ndeps" when want_counts), bounded by timeout */
static run_result run(char *const *argv, double timeout, bool want_counts)
{
    run_result res = { 0, 0, 0, -1, false, 0, 0, 0, 0, 0 };
    struct rusage ru;
    int st = 0, pfd[2] = { -1, -1 };
    uint64_t t0;
    pid_t pid;
    if (want_counts && pipe(pfd) != 0)
        return res;
    t0 = bench_now_ns();
    if ((pid = fork()) < 0)
        return res;
    if (pid == 0) {
        int fd = open("/dev/null", O_WRONLY);
        if (want_counts) {
            dup2(pfd[1], 1);
            close(pfd[0]);
            close(pfd[1]);
        } else if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        execv(argv[0], argv);
        execvp(argv[0], argv);
        _exit(127);
    }
    if (want_counts) {
        char buf[128];
        ssize_t n, got = 0;
        close(pfd[1]);
        while ((n = read(pfd[0], buf + got, sizeof buf - 1 - (size_t)got)) > 0)
            got += n;
        buf[got > 0 ? got : 0] = '\0';
        close(pfd[0]);
        if (sscanf(buf, "%zu %zu %lf %lf", &res.ncomp, &res.ndeps, &res.work_minflt,
                   &res.work_cpu) < 2)
            res.ncomp = res.ndeps = 0;
    }
    if (bench_wait_bounded(pid, &st, &ru, timeout, 20, &res.timed_out) < 0)
        return res;
    res.seconds = (double)(bench_now_ns() - t0) / 1e9;
    res.cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
              (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    res.rss_mb = (double)ru.ru_maxrss / 1024.0;
    res.minflt = (double)ru.ru_minflt;
    res.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return res;
}


/* src (CycloneDX JSON) → dst in format f, with cratrace's writer; in a forked child so the
 * parent stays small (forked children's peak RSS would include it) */
static int convert(const char *src, const char *dst, const fmt *f)
{
    pid_t pid = fork();
    int st = 0;
    if (pid < 0)
        return -1;
    if (pid == 0) {
        ct_ctx *ctx = NULL;
        ct_ctx_options o = CT_CTX_OPTIONS_INIT;
        char *data = NULL;
        size_t len = 0;
        ct_sbom *s = NULL;
        ct_buf b = CT_BUF_INIT;
        ct_sbom_write_options wo = CT_SBOM_WRITE_OPTIONS_INIT;
        FILE *out;
        o.progress = false;
        wo.spec_version = f->spec;
        wo.created = 1764288000; /* fixed: deterministic output */
        if (ct_ctx_new(&ctx, &o) < 0 || ct_file_read(&data, &len, src, (size_t)1 << 30) < 0 ||
            ct_sbom_parse(&s, ctx, data, len, src) < 0 ||
            ct_sbom_write_ex(&b, s, f->writer, &wo) < 0 || !(out = fopen(dst, "w")) ||
            fwrite(b.ptr, 1, b.len, out) != b.len || fclose(out) != 0) {
            fprintf(stderr, "bench_sbom_formats: %s → %s: %s\n", src, dst, ct_error_format());
            unlink(dst);
            _exit(1);
        }
        _exit(0);
    }
    if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        return -1;
    return 0;
}

static bool listed(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; (p = strstr(p, name)); p += n)
        if ((p == list || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
            return true;
    return false;
}

static void bench_one(const char *kase, const char *path, const char *modes, int runs,
                      const char *oracle)
{
    struct stat sb;
    double mb;
    if (stat(path, &sb) != 0)
        return;
    mb = (double)sb.st_size / (1024.0 * 1024.0);
    bench_row("sbomfmt", kase, "file_size", mb, "MB");
    static const char *const all[] = { "parse", "pv", "v", "vxsd" };
    run_result o = { 0, 0, 0, -1, false, 0, 0, 0, 0, 0 };
    if (oracle) { /* once per file, before the modes it is compared with */
        char *argv[] = { (char *)oracle, (char *)path, NULL };
        o = run(argv, g_oracle_timeout, false);
        bench_row("sbomfmt", kase, "oracle_exit", o.status, "code");
        bench_row("sbomfmt", kase, "oracle_timed_out", o.timed_out, "bool");
        bench_row("sbomfmt", kase, "oracle_seconds", o.seconds, "s");
        bench_row("sbomfmt", kase, "oracle_cpu_seconds", o.cpu, "s");
        bench_row("sbomfmt", kase, "oracle_peak_rss", o.rss_mb, "MB");
    }
    for (size_t m = 0; m < CT_NELEM(all); m++) {
        double best = 1e30, cpu = 1e30, rss = 0, flt = 1e30, wflt = 1e30, wcpu = 1e30;
        run_result r = { 0, 0, 0, -1, false, 0, 0, 0, 0, 0 };
        char metric[64];
        if (!listed(modes, all[m]))
            continue;
        for (int i = 0; i < runs; i++) {
            char *argv[] = { g_self, "--child", (char *)all[m], (char *)path, NULL };
            r = run(argv, 0, true);
            if (r.seconds < best)
                best = r.seconds;
            if (r.cpu < cpu)
                cpu = r.cpu;
            if (r.rss_mb > rss)
                rss = r.rss_mb;
            if (r.minflt < flt)
                flt = r.minflt;
            if (r.work_minflt < wflt)
                wflt = r.work_minflt;
            if (r.work_cpu < wcpu)
                wcpu = r.work_cpu;
        }
#define ROW(name, v, unit)                                                                   \
    do {                                                                                     \
        snprintf(metric, sizeof metric, "%s_%s", all[m], name);                              \
        bench_row("sbomfmt", kase, metric, v, unit);                                         \
    } while (0)
        ROW("exit", r.status, "code");
        ROW("components", (double)r.ncomp, "n");
        ROW("dependencies", (double)r.ndeps, "n");
        ROW("seconds", best, "s");
        ROW("cpu_seconds", cpu, "s");
        ROW("cpu_throughput", mb / cpu, "MB/s");
        ROW("peak_rss", rss, "MB");
        ROW("rss_per_file_size", rss / mb, "x");
        ROW("minor_faults", flt, "n");      /* whole child, fewest of the runs (spdx8) */
        ROW("work_minor_faults", wflt, "n"); /* read + library call + free, in the child */
        ROW("work_cpu_seconds", wcpu, "s");  /* the same work's CPU, best of the runs */
        if (m >= 1 && oracle && !o.timed_out) {
            ROW("cpu_speedup_vs_oracle", o.cpu / cpu, "x");
            ROW("wall_speedup_vs_oracle", o.seconds / best, "x");
        }
#undef ROW
    }
}

/* the largest file under dir whose name ends in suffix (recursive) */
static void largest(char *best, off_t *best_size, const char *dir, const char *suffix)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    if (!d)
        return;
    while ((e = readdir(d))) {
        char path[4096];
        struct stat sb;
        size_t len, sl = strlen(suffix);
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode)) {
            largest(best, best_size, path, suffix);
            continue;
        }
        len = strlen(path);
        if (len > sl && strcmp(path + len - sl, suffix) == 0 && sb.st_size > *best_size) {
            *best_size = sb.st_size;
            snprintf(best, 4096, "%s", path);
        }
    }
    closedir(d);
}

typedef struct {
    char **paths;
    size_t n;
} bench_files;

/* every file under dir whose name ends in suffix (recursive; order of readdir) */
static void collect_files(bench_files *l, const char *dir, const char *suffix)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    if (!d)
        return;
    while ((e = readdir(d))) {
        char path[4096], **np;
        struct stat sb;
        size_t len, sl = strlen(suffix);
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode)) {
            collect_files(l, path, suffix);
            continue;
        }
        len = strlen(path);
        if (len > sl && strcmp(path + len - sl, suffix) == 0 &&
            (np = ct_reallocarray(l->paths, l->n + 1, sizeof *np))) {
            l->paths = np;
            if ((l->paths[l->n] = ct_strdup(path)))
                l->n++;
        }
    }
    closedir(d);
}

int main(int argc, char **argv)
{
    const char *shared = CT_BENCH_SHARED_DIR, *dir = "bench-tmp/sbom", *sizes = "1,10,100";
    const char *formats = "cdx-json,cdx-xml,spdx-json,spdx-tv", *modes = "parse,pv";
    int runs = 1;
    size_t oracle_max_mb = 1;
    bool use_oracle = true, real = true, all_real = false;
    char root[4096];

    if (argc == 4 && strcmp(argv[1], "--child") == 0)
        return child(argv[2], argv[3]);
    if (!realpath("/proc/self/exe", g_self))
        snprintf(g_self, sizeof g_self, "%s", argv[0]);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--shared") == 0 && i + 1 < argc)
            shared = argv[++i];
        else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
            dir = argv[++i];
        else if (strcmp(argv[i], "--sizes") == 0 && i + 1 < argc)
            sizes = argv[++i];
        else if (strcmp(argv[i], "--formats") == 0 && i + 1 < argc)
            formats = argv[++i];
        else if (strcmp(argv[i], "--modes") == 0 && i + 1 < argc)
            modes = argv[++i];
        else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
            runs = (int)bench_arg_u64("--runs", argv[++i]);
        else if (strcmp(argv[i], "--oracle-max-mb") == 0 && i + 1 < argc)
            oracle_max_mb = (size_t)bench_arg_u64("--oracle-max-mb", argv[++i]);
        else if (strcmp(argv[i], "--oracle-timeout") == 0 && i + 1 < argc)
            g_oracle_timeout = (double)bench_arg_u64("--oracle-timeout", argv[++i]);
        else if (strcmp(argv[i], "--no-oracle") == 0)
            use_oracle = false;
        else if (strcmp(argv[i], "--no-real") == 0)
            real = false;
        else if (strcmp(argv[i], "--all-real") == 0)
            all_real = true;
        else if (strcmp(argv[i], "--map") == 0)
            setenv("CT_BENCH_MAP", "1", 1); /* inherited by the children */
        else {
            fprintf(stderr,
                    "usage: bench_sbom_formats [--shared DIR] [--dir DIR] [--sizes 1,10,100] "
                    "[--runs N] [--formats cdx-json,cdx-xml,spdx-json,spdx-tv] [--modes "
                    "parse,pv,v,vxsd] [--no-real] [--all-real] [--no-oracle] [--oracle-max-mb N] "
                    "[--oracle-timeout S] [--map]\n");
            return 2;
        }
    }
    if (runs < 1)
        runs = 1;
    if (use_oracle) {
        const char *home = getenv("ORACLES_HOME"), *h = getenv("HOME");
        char stamp[4096];
        if (home && *home)
            snprintf(stamp, sizeof stamp, "%s/stamp", home);
        else
            snprintf(stamp, sizeof stamp, "%s/.cache/cratrace-oracles/stamp", h ? h : "");
        if (access(stamp, R_OK) != 0) {
            fprintf(stderr, "bench_sbom_formats: oracles not installed (%s)\n", stamp);
            use_oracle = false;
        }
    }
    bench_header();
    {
        double l[1];
        if (getloadavg(l, 1) == 1)
            bench_row("env", "machine", "loadavg_1m_start", l[0], "load");
    }

    if (real) {
        static const struct {
            const char *suffix, *format;
        } reals[] = { { ".xml", "cdx-xml" }, { ".spdx.json", "spdx-json" }, { ".spdx", "spdx-tv" } };
        snprintf(root, sizeof root, "%s/conformance/sboms", shared);
        for (size_t i = 0; i < CT_NELEM(reals); i++) {
            char best[4096] = "", kase[4200], oracle[4096];
            off_t size = 0;
            const fmt *f = NULL;
            for (size_t k = 0; k < CT_NELEM(fmts); k++)
                if (strcmp(fmts[k].name, reals[i].format) == 0)
                    f = &fmts[k];
            if (!listed(formats, reals[i].format))
                continue;
            if (all_real) {
                bench_files list = { NULL, 0 };
                collect_files(&list, root, reals[i].suffix);
                for (size_t j = 0; j < list.n; j++) {
                    snprintf(kase, sizeof kase, "real:%s:%s", reals[i].format,
                             strrchr(list.paths[j], '/') + 1);
                    snprintf(oracle, sizeof oracle, "%s/oracles/%s", shared,
                             f->oracle ? f->oracle : "");
                    bench_one(kase, list.paths[j], modes, runs,
                              use_oracle && f->oracle ? oracle : NULL);
                    ct_free(list.paths[j]);
                }
                ct_free(list.paths);
                continue;
            }
            largest(best, &size, root, reals[i].suffix);
            if (!*best) {
                fprintf(stderr, "bench_sbom_formats: no %s file under %s\n", reals[i].suffix,
                        root);
                continue;
            }
            snprintf(kase, sizeof kase, "real:%s:%s", reals[i].format, strrchr(best, '/') + 1);
            snprintf(oracle, sizeof oracle, "%s/oracles/%s", shared, f->oracle ? f->oracle : "");
            bench_one(kase, best, modes, runs, use_oracle && f->oracle ? oracle : NULL);
        }
    }

    char spec[256];
    snprintf(spec, sizeof spec, "%s", sizes);
    mkdir(dir, 0755);
    for (char *tok = spec, *next; tok && *tok; tok = next) {
        if ((next = strchr(tok, ',')))
            *next++ = '\0';
        size_t mb = (size_t)bench_arg_u64("--sizes", tok);
        char src[4096];
        struct stat sb;
        snprintf(src, sizeof src, "%s/gen-%zumb.cdx.json", dir, mb);
        if (stat(src, &sb) != 0) {
            fprintf(stderr, "bench_sbom_formats: generating %s\n", src);
            if (bench_sbom_generate(src, mb) < 0) {
                fprintf(stderr, "bench_sbom_formats: cannot write %s\n", src);
                return 4;
            }
        }
        for (size_t k = 0; k < CT_NELEM(fmts); k++) {
            const fmt *f = &fmts[k];
            char path[4096], kase[128], oracle[4096];
            if (!listed(formats, f->name))
                continue;
            snprintf(path, sizeof path, "%s/gen-%zumb.%s", dir, mb, f->ext);
            if (f->writer && stat(path, &sb) != 0) {
                fprintf(stderr, "bench_sbom_formats: writing %s\n", path);
                if (convert(src, path, f) < 0)
                    return 4;
            }
            snprintf(kase, sizeof kase, "generated:%s:%zuMB", f->name, mb);
            snprintf(oracle, sizeof oracle, "%s/oracles/%s", shared, f->oracle ? f->oracle : "");
            bench_one(kase, path, modes, runs,
                      use_oracle && f->oracle && mb <= oracle_max_mb ? oracle : NULL);
        }
    }
    {
        double l[1];
        if (getloadavg(l, 1) == 1)
            bench_row("env", "machine", "loadavg_1m_end", l[0], "load");
    }
    return 0;
}

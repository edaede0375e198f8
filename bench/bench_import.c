/* Benchmark of CycloneDX JSON import: ct_sbom_parse alone and ct_import_sbom_file into a fresh
 * SQLite store, against the raw json-c parse of the same bytes, on the largest real CycloneDX
 * 1.4-1.6 JSON SBOMs of the shared conformance corpus (read in place, never copied). */
#include "bench_util.h"

#include "cratrace/store.h"

#include <dirent.h>
#include <errno.h>
#include <json-c/json.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef CT_BENCH_SHARED_DIR
#define CT_BENCH_SHARED_DIR "../shared"
#endif

typedef struct {
    char *path;
    size_t size;
} sbom_file;

typedef struct {
    sbom_file *v;
    size_t n, cap;
} file_list;

typedef struct {
    const char *dir, *tmp_dir;
    size_t top, min_rounds;
    double min_seconds;
} config;

static void die_ct(const char *what)
{
    fprintf(stderr, "bench_import: %s: %s\n", what, ct_error_format());
    exit(1);
}

static void die_oom(void)
{
    fprintf(stderr, "bench_import: out of memory\n");
    exit(1);
}

/* ---- finding the files ----------------------------------------------------------------- */

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* CycloneDX JSON with specVersion 1.4, 1.5 or 1.6 (the versions the reader supports). */
static bool is_cdx_14_16(const char *data, size_t len)
{
    json_tokener *tok = json_tokener_new();
    json_object *o, *f, *v;
    bool ok = false;

    if (!tok)
        die_oom();
    o = json_tokener_parse_ex(tok, data, (int)len);
    if (o && json_object_object_get_ex(o, "bomFormat", &f) &&
        json_object_object_get_ex(o, "specVersion", &v) && json_object_is_type(f, json_type_string) &&
        json_object_is_type(v, json_type_string) &&
        strcmp(json_object_get_string(f), "CycloneDX") == 0) {
        const char *sv = json_object_get_string(v);
        ok = strcmp(sv, "1.4") == 0 || strcmp(sv, "1.5") == 0 || strcmp(sv, "1.6") == 0;
    }
    json_object_put(o);
    json_tokener_free(tok);
    return ok;
}

static void consider(file_list *fl, const char *path)
{
    char *data = NULL;
    size_t len = 0;
    if (ct_file_read(&data, &len, path, 64u << 20) < 0) {
        ct_error_clear();
        return;
    }
    if (len <= INT32_MAX && is_cdx_14_16(data, len)) {
        if (fl->n == fl->cap) {
            size_t ncap = fl->cap ? fl->cap * 2 : 32;
            sbom_file *nv = ct_reallocarray(fl->v, ncap, sizeof *nv);
            if (!nv)
                die_oom();
            fl->v = nv;
            fl->cap = ncap;
        }
        if (!(fl->v[fl->n].path = ct_strdup(path)))
            die_oom();
        fl->v[fl->n++].size = len;
    }
    ct_free(data);
}

static void scan(file_list *fl, const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    if (!d)
        return;
    while ((e = readdir(d)) != NULL) {
        char path[4096];
        struct stat sb;
        if (e->d_name[0] == '.')
            continue;
        int n = snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (n < 0 || (size_t)n >= sizeof path || lstat(path, &sb) < 0)
            continue;
        if (S_ISDIR(sb.st_mode))
            scan(fl, path);
        else if (S_ISREG(sb.st_mode) && ends_with(e->d_name, ".json"))
            consider(fl, path);
    }
    closedir(d);
}

static int by_size_desc(const void *a, const void *b)
{
    const sbom_file *x = a, *y = b;
    if (x->size != y->size)
        return x->size < y->size ? 1 : -1;
    return strcmp(x->path, y->path);
}

/* ---- one round of each measurement ------------------------------------------------------ */

static double time_raw(const char *data, size_t len)
{
    uint64_t t0 = bench_now_ns();
    json_tokener *tok = json_tokener_new();
    json_object *o;
    if (!tok)
        die_oom();
    o = json_tokener_parse_ex(tok, data, (int)len);
    if (!o) {
        fprintf(stderr, "bench_import: json-c failed to parse a file it parsed before\n");
        exit(1);
    }
    json_object_put(o);
    json_tokener_free(tok);
    return (double)(bench_now_ns() - t0) / 1e9;
}

static double time_parse(const ct_ctx *ctx, const char *data, size_t len, const char *path,
                         size_t *ncomp)
{
    uint64_t t0 = bench_now_ns();
    ct_sbom *sb = NULL;
    if (ct_sbom_parse(&sb, ctx, data, len, path) < 0)
        die_ct("ct_sbom_parse");
    *ncomp = sb->ncomponents;
    ct_sbom_free(sb);
    return (double)(bench_now_ns() - t0) / 1e9;
}

static void remove_db(const char *path)
{
    char side[4200];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

/* Fresh store per round; times[0] = open + migrate, times[1] = import, times[2] = close. */
static void time_import(const ct_ctx *ctx, const config *cfg, const char *path, double times[3])
{
    char db[4096];
    ct_store *st;
    ct_import_stats stats;
    uint64_t t0, t1, t2;

    snprintf(db, sizeof db, "%s/bench-import-%ld.db", cfg->tmp_dir, (long)getpid());
    remove_db(db);
    memset(&stats, 0, sizeof stats);
    t0 = bench_now_ns();
    if (ct_store_open(&st, ctx, db) < 0)
        die_ct("ct_store_open");
    t1 = bench_now_ns();
    if (ct_import_sbom_file(NULL, st, path, "bench-product", "1.0.0", CT_TIME_NONE, &stats) < 0)
        die_ct("ct_import_sbom_file");
    t2 = bench_now_ns();
    ct_store_close(st);
    times[0] = (double)(t1 - t0) / 1e9;
    times[1] = (double)(t2 - t1) / 1e9;
    times[2] = (double)(bench_now_ns() - t2) / 1e9;
    remove_db(db);
}

/* ---- per file --------------------------------------------------------------------------- */

typedef struct {
    double bytes, comps, raw, parse, import;
} totals;

static void report(const char *kase, double bytes, double comps, double raw, double parse,
                   double import)
{
    double mb = bytes / 1e6;
    bench_row("import", kase, "bytes", bytes, "B");
    bench_row("import", kase, "components", comps, "comp");
    bench_row("import", kase, "raw_jsonc_MBps", mb / raw, "MB/s");
    bench_row("import", kase, "sbom_parse_MBps", mb / parse, "MB/s");
    bench_row("import", kase, "sbom_parse_comp_per_s", comps / parse, "comp/s");
    bench_row("import", kase, "import_sqlite_MBps", mb / import, "MB/s");
    bench_row("import", kase, "import_sqlite_comp_per_s", comps / import, "comp/s");
    bench_row("import", kase, "sbom_parse_speed_ratio", raw / parse, "x_raw");
    bench_row("import", kase, "import_speed_ratio", raw / import, "x_raw");
}

static void bench_file(const ct_ctx *ctx, const config *cfg, const sbom_file *f, totals *tot)
{
    size_t cap = 4096, n = 0, ncomp = 0;
    double *raw = ct_calloc(cap, sizeof *raw), *parse = ct_calloc(cap, sizeof *parse);
    double *imp = ct_calloc(cap, sizeof *imp), *open = ct_calloc(cap, sizeof *open);
    double spent = 0, t[3];
    char *data = NULL;
    size_t len = 0;
    const char *kase = f->path + strlen(cfg->dir) + (f->path[strlen(cfg->dir)] == '/');

    if (!raw || !parse || !imp || !open)
        die_oom();
    if (ct_file_read(&data, &len, f->path, 64u << 20) < 0)
        die_ct("read");
    time_raw(data, len); /* warm-up round for all three, not counted */
    time_parse(ctx, data, len, f->path, &ncomp);
    time_import(ctx, cfg, f->path, t);
    while (n < cap && (n < cfg->min_rounds || spent < cfg->min_seconds)) {
        raw[n] = time_raw(data, len);
        parse[n] = time_parse(ctx, data, len, f->path, &ncomp);
        time_import(ctx, cfg, f->path, t);
        open[n] = t[0];
        imp[n] = t[1];
        spent += raw[n] + parse[n] + t[0] + t[1] + t[2];
        n++;
    }
    bench_row("import", kase, "rounds", (double)n, "rounds");
    bench_row("import", kase, "store_open_migrate_ms", bench_median(open, n) * 1e3, "ms");
    double mr = bench_median(raw, n), mp = bench_median(parse, n), mi = bench_median(imp, n);
    bench_row("import", kase, "raw_jsonc_ms", mr * 1e3, "ms");
    bench_row("import", kase, "sbom_parse_ms", mp * 1e3, "ms");
    bench_row("import", kase, "import_sqlite_ms", mi * 1e3, "ms");
    report(kase, (double)len, (double)ncomp, mr, mp, mi);
    tot->bytes += (double)len;
    tot->comps += (double)ncomp;
    tot->raw += mr;
    tot->parse += mp;
    tot->import += mi;
    ct_free(data);
    ct_free(raw);
    ct_free(parse);
    ct_free(imp);
    ct_free(open);
}

/* ---- main ------------------------------------------------------------------------------ */

static void usage(void)
{
    fprintf(stderr, "usage: bench_import [--shared DIR] [--top N] [--min-seconds S] "
                    "[--min-rounds N] [--tmp DIR]\n"
                    "  --shared DIR   the shared/ folder (default " CT_BENCH_SHARED_DIR ");\n"
                    "                 SBOMs are taken from DIR/conformance/sboms\n"
                    "  --top N        the N largest CycloneDX 1.4-1.6 JSON files (default 4)\n");
    exit(2);
}

static void parse_args(config *cfg, char *sboms, size_t cap, int argc, char **argv)
{
    const char *shared = CT_BENCH_SHARED_DIR;
    const bench_opt opts[] = {
        { "--shared", BENCH_OPT_STR, &shared },
        { "--top", BENCH_OPT_SIZE, &cfg->top },
        { "--min-rounds", BENCH_OPT_SIZE, &cfg->min_rounds },
        { "--min-seconds", BENCH_OPT_DOUBLE, &cfg->min_seconds },
        { "--tmp", BENCH_OPT_STR, &cfg->tmp_dir },
    };
    if (!bench_parse_args(argc, argv, opts, CT_NELEM(opts)))
        usage();
    int n = snprintf(sboms, cap, "%s/conformance/sboms", shared);
    if (n < 0 || (size_t)n >= cap)
        usage();
    cfg->dir = sboms;
}

int main(int argc, char **argv)
{
    config cfg = { NULL, ".", 4, 5, 1.0 };
    char sboms[4096];
    file_list fl = { NULL, 0, 0 };
    totals tot = { 0, 0, 0, 0, 0 };
    ct_ctx_options opts = CT_CTX_OPTIONS_INIT;
    ct_ctx *ctx;
    struct stat sb;

    parse_args(&cfg, sboms, sizeof sboms, argc, argv);
    if (stat(cfg.dir, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
        fprintf(stderr, "bench_import: SKIP: %s is absent (the shared/ folder is needed for the "
                        "real SBOMs; pass --shared DIR)\n", cfg.dir);
        return 0;
    }
    opts.progress = false;
    if (ct_ctx_new(&ctx, &opts) < 0)
        die_ct("ctx");
    scan(&fl, cfg.dir);
    if (!fl.n) {
        fprintf(stderr, "bench_import: SKIP: no CycloneDX 1.4-1.6 JSON under %s\n", cfg.dir);
        ct_ctx_free(ctx);
        return 0;
    }
    qsort(fl.v, fl.n, sizeof *fl.v, by_size_desc);
    bench_header();
    for (size_t i = 0; i < fl.n && i < cfg.top; i++)
        bench_file(ctx, &cfg, &fl.v[i], &tot);
    report("ALL", tot.bytes, tot.comps, tot.raw, tot.parse, tot.import);
    for (size_t i = 0; i < fl.n; i++)
        ct_free(fl.v[i].path);
    ct_free(fl.v);
    ct_ctx_free(ctx);
    return 0;
}

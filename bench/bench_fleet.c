/* Fleet benchmark: CSV import of N units with E events each (default 1,000,000 x 10) through
 * ct_import_units_csv / ct_import_events_csv, against a raw load of the same rows into bare
 * tables in the same run (sqlite3 CLI `.import`; psql `\copy` when CT_BENCH_PG_DSN is set), then
 * p50/p99 of `unit show SERIAL --at T` and `affected ADVISORY --at T` over random queries via the
 * library API. Max RSS is read with getrusage. Not a test: no thresholds. TSV on stdout.
 *   bench_fleet [--units N] [--events E] [--products P] [--queries Q] [--dir DIR] [--no-raw]
 *               [--sqlite-only] [--pg-only] */
#define _POSIX_C_SOURCE 200809L
#include "bench_util.h"

#include "cratrace/fleet.h"
#include "cratrace/store.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define RELEASES 10
#define CUSTOMERS 2000
#define ADV_PER_PRODUCT 5

typedef struct {
    uint64_t units, events, products, queries;
    const char *dir;
    bool raw, sqlite, pg;
} opts;

static double max_rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

static double child_rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

/* CPU seconds (user + system) of this process or of its finished children: on a shared,
 * overloaded machine wall time mostly measures the other jobs; CPU time is what the import
 * itself costs. Both are reported. */
static double cpu_s(int who)
{
    struct rusage ru;
    getrusage(who, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}


/* CPU time of this thread in ms (CLOCK_THREAD_CPUTIME_ID): the query latencies are also given
 * in CPU time, which the other jobs on the machine do not inflate. */
static double thread_cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void die(const char *what)
{
    fprintf(stderr, "bench_fleet: %s: %s\n", what, ct_error_format());
    exit(1);
}

static FILE *open_out(const opts *o, const char *name, char *path, size_t cap)
{
    FILE *f;
    snprintf(path, cap, "%s/%s", o->dir, name);
    if (!(f = fopen(path, "w"))) {
        fprintf(stderr, "bench_fleet: cannot write %s\n", path);
        exit(1);
    }
    return f;
}

static void fmt_time(char buf[32], ct_time t)
{
    ct_time_format(buf, t);
}

/* Deterministic data: units spread over products, each with `events` events in time order:
 * ship, updates through the releases, a parameter change, an RMA with a board swap, a transfer
 * and (for 2 %) a decommission. */
static void generate(const opts *o)
{
    char path[4096], t[32], m[32];
    bench_rng r;
    FILE *cu = open_out(o, "customers.csv", path, sizeof path);
    FILE *un = open_out(o, "units.csv", path, sizeof path);
    FILE *ev = open_out(o, "events.csv", path, sizeof path);
    ct_time base = ct_time_from_civil(2022, 1, 1, 0, 0, 0);

    bench_rng_seed(&r, 42);
    fprintf(cu, "code,name,country,email,channel\n");
    for (int c = 0; c < CUSTOMERS; c++)
        fprintf(cu, "C%04d,Customer %d,DE,sec@c%d.example,email\n", c, c, c);
    fprintf(un, "serial,product,hardware_revision,release,customer,manufactured,state\n");
    fprintf(ev, "serial,product,time,kind,from_release,to_release,detail,customer,rma,"
                "other_serial,hardware_revision,result,param_set\n");
    for (uint64_t u = 0; u < o->units; u++) {
        uint64_t p = u % o->products;
        unsigned cust = (unsigned)bench_rng_below(&r, CUSTOMERS);
        ct_time tm = base + (ct_time)bench_rng_below(&r, 365 * 86400);
        ct_time te = tm;
        int rel = 0, last = (int)bench_rng_below(&r, 3);
        bool decom = bench_rng_below(&r, 50) == 0;
        fmt_time(m, tm);
        for (uint64_t k = 0; k < o->events; k++) {
            te += 3600 + (ct_time)bench_rng_below(&r, 40 * 86400);
            fmt_time(t, te);
            fprintf(ev, "SN%09llu,prod-%02llu,%s,", (unsigned long long)u,
                    (unsigned long long)p, t);
            int step = (int)(k % 10);
            if (k == 0) {
                fprintf(ev, "ship,,,,C%04u,,,,,\n", cust);
            } else if (k + 1 == o->events && decom) {
                fprintf(ev, "decommission,,,end of life,,,,,,\n");
            } else if (step == 2) {
                fprintf(ev, "param_change,,,,,,,,,cfg@%d\n", (int)bench_rng_below(&r, 5));
            } else if (step == 4) {
                fprintf(ev, "rma_open,,,display dead,,RMA-%llu,,,,\n", (unsigned long long)u);
            } else if (step == 5) {
                fprintf(ev, "swap,,,mainboard,,RMA-%llu,MB-%llu,rev-B,,\n",
                        (unsigned long long)u, (unsigned long long)u);
            } else if (step == 6) {
                fprintf(ev, "rma_close,,,,,RMA-%llu,,,,\n", (unsigned long long)u);
            } else if (step == 8) {
                fprintf(ev, "transfer,,,resold,C%04u,,,,,\n",
                        (unsigned)bench_rng_below(&r, CUSTOMERS));
            } else if (rel + 1 < RELEASES - last) {
                bool failed = bench_rng_below(&r, 10) == 0;
                fprintf(ev, "update,1.%d,1.%d,OTA,,,,,%s,\n", rel, rel + 1,
                        failed ? "failed" : "ok");
                if (!failed)
                    rel++;
            } else {
                fprintf(ev, "param_change,,,,,,,,,cfg@%d\n", (int)bench_rng_below(&r, 5));
            }
        }
        fprintf(un, "SN%09llu,prod-%02llu,rev-A,1.%d,C%04u,%s,%s\n", (unsigned long long)u,
                (unsigned long long)p, rel, cust, m, decom ? "decommissioned" : "in_service");
    }
    fclose(cu);
    fclose(un);
    fclose(ev);
}

/* Products, releases (each with one component libfleet-P at 1.0.R) and advisories, each
 * affecting two consecutive releases of one product. */
static void setup_catalog(ct_store *st, const ct_ctx *ctx, const opts *o)
{
    ct_time base = ct_time_from_civil(2021, 6, 1, 0, 0, 0);
    if (ct_store_begin(st) < 0)
        die("begin");
    for (uint64_t p = 0; p < o->products; p++) {
        char name[32], ver[16], sb[512], key[64], pkg[64], vers[96], id[48];
        int64_t pid;
        snprintf(name, sizeof name, "prod-%02llu", (unsigned long long)p);
        if (ct_store_product_add(&pid, st, name, "Bench", NULL, CT_TIME_NONE) < 0)
            die("product");
        for (int rl = 0; rl < RELEASES; rl++) {
            ct_sbom *sbom = NULL;
            int n = snprintf(sb, sizeof sb,
                             "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":"
                             "[{\"type\":\"library\",\"name\":\"libfleet-%llu\",\"version\":"
                             "\"1.0.%d\",\"purl\":\"pkg:npm/libfleet-%llu@1.0.%d\"}]}",
                             (unsigned long long)p, rl, (unsigned long long)p, rl);
            snprintf(ver, sizeof ver, "1.%d", rl);
            if (ct_sbom_parse(&sbom, ctx, sb, (size_t)n, "bench") < 0 ||
                ct_store_release_add(NULL, st, pid, ver, base + rl * 30 * 86400, sbom, NULL,
                                     NULL) < 0)
                die("release");
            ct_sbom_free(sbom);
        }
        snprintf(pkg, sizeof pkg, "libfleet-%llu", (unsigned long long)p);
        snprintf(key, sizeof key, "npm/libfleet-%llu", (unsigned long long)p);
        for (int a = 0; a < ADV_PER_PRODUCT; a++) {
            ct_affected_range rg = { "npm", pkg, key, "npm", "ECOSYSTEM", vers };
            ct_advisory adv;
            ct_advisory_put_result res;
            snprintf(vers, sizeof vers, "vers:npm/>=1.0.%d|<1.0.%d", a * 2, a * 2 + 2);
            snprintf(id, sizeof id, "BENCH-%02llu-%d", (unsigned long long)p, a);
            memset(&adv, 0, sizeof adv);
            adv.id = id;
            adv.source = "osv";
            adv.published = CT_TIME_NONE;
            adv.modified = base;
            adv.withdrawn = CT_TIME_NONE;
            adv.ranges = &rg;
            adv.nranges = 1;
            if (ct_store_advisory_put(&res, st, &adv, NULL) < 0)
                die("advisory");
        }
    }
    if (ct_store_commit(st) < 0)
        die("commit");
}

static double run_child(char *const argv[], const char *stdin_path)
{
    posix_spawn_file_actions_t fa;
    pid_t pid;
    int status;
    uint64_t t0 = bench_now_ns();
    posix_spawn_file_actions_init(&fa);
    if (stdin_path)
        posix_spawn_file_actions_addopen(&fa, 0, stdin_path, O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    if (posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ) != 0) {
        fprintf(stderr, "bench_fleet: cannot run %s\n", argv[0]);
        posix_spawn_file_actions_destroy(&fa);
        return -1;
    }
    posix_spawn_file_actions_destroy(&fa);
    if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "bench_fleet: %s failed\n", argv[0]);
        return -1;
    }
    return (double)(bench_now_ns() - t0) / 1e9;
}

static const char units_cols[] = "serial TEXT, product TEXT, hardware_revision TEXT, release TEXT,"
                                 " customer TEXT, manufactured TEXT, state TEXT";
static const char events_cols[] =
    "serial TEXT, product TEXT, time TEXT, kind TEXT, from_release TEXT, to_release TEXT, "
    "detail TEXT, customer TEXT, rma TEXT, other_serial TEXT, hardware_revision TEXT, "
    "result TEXT, param_set TEXT";

/* The same rows into bare tables (no keys, no indexes, no checks) with the databases' own
 * loaders: what the rows cost without our validation, lookups, history and indexes. */
static double raw_sqlite(const opts *o)
{
    char script[4096], db[4096];
    FILE *f = open_out(o, "raw.sql", script, sizeof script);
    snprintf(db, sizeof db, "%s/raw.db", o->dir);
    unlink(db);
    fprintf(f, "PRAGMA journal_mode=WAL;\nPRAGMA synchronous=OFF;\n"
               "CREATE TABLE units_raw (%s);\nCREATE TABLE events_raw (%s);\n.mode csv\n"
               ".import --skip 1 %s/units.csv units_raw\n.import --skip 1 %s/events.csv events_raw\n",
            units_cols, events_cols, o->dir, o->dir);
    fclose(f);
    char *argv[] = { "sqlite3", db, NULL };
    return run_child(argv, script);
}

static double raw_pg(const opts *o, const char *dsn)
{
    char c1[8192];
    snprintf(c1, sizeof c1,
             "DROP TABLE IF EXISTS units_raw, events_raw; CREATE UNLOGGED TABLE units_raw (%s); "
             "CREATE UNLOGGED TABLE events_raw (%s);",
             units_cols, events_cols);
    char *a1[] = { "psql", (char *)dsn, "-q", "-v", "ON_ERROR_STOP=1", "-c", c1, NULL };
    if (run_child(a1, NULL) < 0)
        return -1;
    char c2[4200], c3[4200];
    snprintf(c2, sizeof c2, "\\copy units_raw FROM '%s/units.csv' CSV HEADER", o->dir);
    snprintf(c3, sizeof c3, "\\copy events_raw FROM '%s/events.csv' CSV HEADER", o->dir);
    char *a2[] = { "psql", (char *)dsn, "-q", "-v", "ON_ERROR_STOP=1", "-c", c2, "-c", c3, NULL };
    double s = run_child(a2, NULL);
    char *a3[] = { "psql", (char *)dsn, "-q", "-c", "DROP TABLE units_raw, events_raw", NULL };
    run_child(a3, NULL);
    return s;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void report_lat(const char *kase, const char *metric, double *v, size_t n)
{
    char m[64];
    qsort(v, n, sizeof *v, cmp_d);
    snprintf(m, sizeof m, "%s_p50", metric);
    bench_row("fleet", kase, m, v[n / 2], "ms");
    snprintf(m, sizeof m, "%s_p99", metric);
    bench_row("fleet", kase, m, v[(size_t)((double)n * 0.99) < n ? (size_t)((double)n * 0.99) : n - 1],
              "ms");
    snprintf(m, sizeof m, "%s_max", metric);
    bench_row("fleet", kase, m, v[n - 1], "ms");
}

static void run_backend(const opts *o, const char *kase, const char *dsn)
{
    ct_ctx *ctx = NULL;
    ct_store *st = NULL;
    ct_import_stats stats;
    char path[4096];
    uint64_t t0;
    double tu, te, cu, ce, c0, rows = (double)o->units * (double)(1 + o->events);

    if (ct_ctx_new(&ctx, NULL) < 0 || ct_store_open(&st, ctx, dsn) < 0)
        die("open");
    setup_catalog(st, ctx, o);
    snprintf(path, sizeof path, "%s/customers.csv", o->dir);
    if (ct_import_customers_csv(st, path, NULL) < 0)
        die("customers import");

    snprintf(path, sizeof path, "%s/units.csv", o->dir);
    memset(&stats, 0, sizeof stats);
    bool pg = strcmp(kase, "pg") == 0;
    double s0 = pg ? bench_pg_server_cpu_s() : -1, s1 = -1;
    t0 = bench_now_ns();
    c0 = cpu_s(RUSAGE_SELF);
    double m0 = thread_cpu_ms(); /* this thread: the store's (the critical path) */
    if (ct_import_units_csv(st, path, &stats) < 0)
        die("units import");
    tu = (double)(bench_now_ns() - t0) / 1e9;
    cu = cpu_s(RUSAGE_SELF) - c0;
    bench_row("fleet", kase, "units_import_main_cpu", (thread_cpu_ms() - m0) / 1e3, "s");
    bench_row("fleet", kase, "units_import", tu, "s");
    bench_row("fleet", kase, "units_import_cpu", cu, "s");
    bench_row("fleet", kase, "units_rows", (double)stats.inserted, "rows");
    if (s0 >= 0) {
        s1 = bench_pg_server_cpu_s();
        bench_row("fleet", kase, "units_import_server_cpu", s1 - s0, "s");
    }
    snprintf(path, sizeof path, "%s/events.csv", o->dir);
    memset(&stats, 0, sizeof stats);
    t0 = bench_now_ns();
    c0 = cpu_s(RUSAGE_SELF);
    m0 = thread_cpu_ms();
    if (ct_import_events_csv(st, path, &stats) < 0)
        die("events import");
    te = (double)(bench_now_ns() - t0) / 1e9;
    ce = cpu_s(RUSAGE_SELF) - c0;
    bench_row("fleet", kase, "events_import_main_cpu", (thread_cpu_ms() - m0) / 1e3, "s");
    bench_row("fleet", kase, "events_import", te, "s");
    bench_row("fleet", kase, "events_import_cpu", ce, "s");
    bench_row("fleet", kase, "import_cpu_total", cu + ce, "s");
    bench_row("fleet", kase, "events_rows", (double)stats.inserted, "rows");
    if (s1 >= 0) {
        double s2 = bench_pg_server_cpu_s();
        bench_row("fleet", kase, "events_import_server_cpu", s2 - s1, "s");
        bench_row("fleet", kase, "import_server_cpu_total", s2 - s0, "s");
        bench_row("fleet", kase, "import_rows_per_cpu_s", rows / (s2 - s0 + cu + ce),
                  "rows/s");
    }
    bench_row("fleet", kase, "import_total", tu + te, "s");
    bench_row("fleet", kase, "import_rows_per_s", rows / (tu + te), "rows/s");
    bench_row("fleet", kase, "import_max_rss", max_rss_mb(), "MiB");

    /* point-in-time queries: random unit / advisory, random instant in the events' years */
    size_t q = (size_t)o->queries;
    double *ls = ct_calloc(q, sizeof *ls), *la = ct_calloc(q, sizeof *la);
    double *cs = ct_calloc(q, sizeof *cs), *ca = ct_calloc(q, sizeof *ca), cpu0;
    bench_rng r;
    ct_buf b = CT_BUF_INIT;
    ct_time lo = ct_time_from_civil(2022, 1, 1, 0, 0, 0), span = 3 * 365 * 86400;
    uint64_t answered = 0, units_seen = 0;
    bench_rng_seed(&r, 7);
    for (size_t i = 0; i < q + 50; i++) { /* the first 50 warm up */
        char serial[32];
        uint64_t u = bench_rng_below(&r, o->units);
        ct_time at = lo + (ct_time)bench_rng_below(&r, (uint64_t)span);
        snprintf(serial, sizeof serial, "SN%09llu", (unsigned long long)u);
        ct_buf_reset(&b);
        t0 = bench_now_ns();
        cpu0 = thread_cpu_ms();
        int rc = ct_store_unit_show_json(&b, st, serial, NULL, at);
        if (rc < 0 && rc != CT_ENOTFOUND)
            die("unit show");
        answered += rc == 0;
        ct_error_clear();
        if (i >= 50) {
            ls[i - 50] = (double)(bench_now_ns() - t0) / 1e6;
            cs[i - 50] = thread_cpu_ms() - cpu0;
        }
    }
    for (size_t i = 0; i < q + 50; i++) {
        char id[48];
        uint64_t p = bench_rng_below(&r, o->products), a = bench_rng_below(&r, ADV_PER_PRODUCT);
        ct_time at = lo + (ct_time)bench_rng_below(&r, (uint64_t)span);
        snprintf(id, sizeof id, "BENCH-%02llu-%d", (unsigned long long)p, (int)a);
        ct_buf_reset(&b);
        t0 = bench_now_ns();
        cpu0 = thread_cpu_ms();
        if (ct_store_affected_json_at(&b, st, id, at) < 0)
            die("affected --at");
        if (i >= 50) {
            la[i - 50] = (double)(bench_now_ns() - t0) / 1e6;
            ca[i - 50] = thread_cpu_ms() - cpu0;
            const char *ut = strstr(b.ptr, "\"units_total\":");
            units_seen += ut ? strtoull(ut + 14, NULL, 10) : 0;
        }
    }
    report_lat(kase, "unit_show_at", ls, q);
    bench_row("fleet", kase, "unit_show_at_found", (double)answered, "answers");
    report_lat(kase, "unit_show_at_cpu", cs, q);
    report_lat(kase, "affected_at", la, q);
    report_lat(kase, "affected_at_cpu", ca, q);
    bench_row("fleet", kase, "affected_at_mean_units", (double)units_seen / (double)q, "units");
    ct_buf_dispose(&b);
    ct_free(ls);
    ct_free(la);
    ct_free(cs);
    ct_free(ca);
    ct_store_close(st);
    ct_ctx_free(ctx);
}

int main(int argc, char **argv)
{
    opts o = { 1000000, 10, 10, 1000, NULL, true, true, true };
    char dirbuf[4096];
    const char *pg = getenv("CT_BENCH_PG_DSN");

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--units") == 0 && v)
            o.units = bench_arg_u64(a, argv[++i]);
        else if (strcmp(a, "--events") == 0 && v)
            o.events = bench_arg_u64(a, argv[++i]);
        else if (strcmp(a, "--products") == 0 && v)
            o.products = bench_arg_u64(a, argv[++i]);
        else if (strcmp(a, "--queries") == 0 && v)
            o.queries = bench_arg_u64(a, argv[++i]);
        else if (strcmp(a, "--dir") == 0 && v)
            o.dir = argv[++i];
        else if (strcmp(a, "--no-raw") == 0)
            o.raw = false;
        else if (strcmp(a, "--sqlite-only") == 0)
            o.pg = false;
        else if (strcmp(a, "--pg-only") == 0)
            o.sqlite = false;
        else {
            fprintf(stderr, "usage: bench_fleet [--units N] [--events E] [--products P] "
                            "[--queries Q] [--dir DIR] [--no-raw] [--sqlite-only|--pg-only]\n");
            return 2;
        }
    }
    if (!o.units || !o.products || !o.queries || o.products > 99)
        return fprintf(stderr, "bench_fleet: --units/--queries > 0, 1 <= --products <= 99\n"), 2;
    if (!o.dir) {
        snprintf(dirbuf, sizeof dirbuf, "/tmp/bench-fleet-%llu", (unsigned long long)o.units);
        o.dir = dirbuf;
    }
    mkdir(o.dir, 0755);
    bench_header();
    uint64_t t0 = bench_now_ns();
    generate(&o);
    bench_row("fleet", "data", "generate", (double)(bench_now_ns() - t0) / 1e9, "s");
    bench_row("fleet", "data", "rows", (double)o.units * (double)(1 + o.events), "rows");
    double rows = (double)o.units * (double)(1 + o.events);
    if (o.sqlite) {
        char db[4200];
        if (o.raw) {
            double c0 = cpu_s(RUSAGE_CHILDREN), s = raw_sqlite(&o);
            bench_row("fleet", "sqlite_raw", "import_total", s, "s");
            bench_row("fleet", "sqlite_raw", "import_cpu_total", cpu_s(RUSAGE_CHILDREN) - c0, "s");
            bench_row("fleet", "sqlite_raw", "import_rows_per_s", rows / s, "rows/s");
            bench_row("fleet", "sqlite_raw", "child_max_rss", child_rss_mb(), "MiB");
            snprintf(db, sizeof db, "%s/raw.db", o.dir);
            unlink(db);
        }
        snprintf(db, sizeof db, "%s/fleet.db", o.dir);
        unlink(db);
        run_backend(&o, "sqlite", db);
    }
    if (o.pg && pg && *pg) {
        if (o.raw) {
            double c0 = cpu_s(RUSAGE_CHILDREN), s0 = bench_pg_server_cpu_s(), s = raw_pg(&o, pg);
            bench_row("fleet", "pg_raw", "import_total", s, "s");
            bench_row("fleet", "pg_raw", "import_client_cpu", cpu_s(RUSAGE_CHILDREN) - c0, "s");
            if (s0 >= 0) {
                double s1 = bench_pg_server_cpu_s();
                bench_row("fleet", "pg_raw", "import_server_cpu", s1 - s0, "s");
                bench_row("fleet", "pg_raw", "import_rows_per_cpu_s",
                          rows / (s1 - s0 + cpu_s(RUSAGE_CHILDREN) - c0), "rows/s");
            }
            bench_row("fleet", "pg_raw", "import_rows_per_s", rows / s, "rows/s");
        }
        run_backend(&o, "pg", pg);
    }
    return 0;
}

/* Benchmark of `affected ID` (ct_store_affected_json) on a large synthetic fleet: generates (and
 * caches) products, releases with 300-component SBOMs, customers, units and advisories through
 * the library, then times the answer for random advisories against a trivial indexed lookup. */
#include "bench_util.h"

#include "cratrace/store.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#define GEN_VERSION 3 /* bump when the generator changes: old cached files are not reused */
#define MAX_COMPONENTS 5000

typedef struct {
    uint64_t units, releases, components, advisories, pkgs, queries, seed;
    uint64_t releases_per_product, customers;
    const char *cache_dir;
    const char *pg_dsn;
    bool skip_sqlite, regen;
} config;

typedef struct {
    int64_t *rel_id, *rel_prod; /* per release index */
    uint64_t nrel;
    int64_t *cust_id;
    uint64_t ncust;
} fleet;

static void die_ct(const char *what)
{
    fprintf(stderr, "bench_affected: %s: %s\n", what, ct_error_format());
    exit(1);
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = ct_calloc(n ? n : 1, size);
    if (!p) {
        fprintf(stderr, "bench_affected: out of memory\n");
        exit(1);
    }
    return p;
}

static void fmt(char *buf, size_t cap, const char *f, ...) CT_PRINTF(3, 4);
static void fmt(char *buf, size_t cap, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    int n = vsnprintf(buf, cap, f, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= cap) {
        fprintf(stderr, "bench_affected: internal buffer too small\n");
        exit(1);
    }
}

/* ---- generation ------------------------------------------------------------------------ */

/* Popular packages (low indices) appear in many products: density ~ 1/sqrt(index). */
static uint64_t pick_component_pkg(bench_rng *r, uint64_t npkgs)
{
    double u = bench_rng_unit(r);
    return (uint64_t)((double)npkgs * u * u);
}

static void commit_begin(ct_store *st)
{
    if (ct_store_commit(st) < 0 || ct_store_begin(st) < 0)
        die_ct("commit");
}

/* One advisory: a package drawn half from the component popularity (well-used packages get more
 * scrutiny), half uniformly from the pool; mostly "everything below the fix", else one or two
 * minor-version windows. */
static void put_advisory(ct_store *st, bench_rng *r, const config *cfg, uint64_t i)
{
    char id[32], alias[32], key[32], pkg[32], vers[96], sum[64];
    char *aliases[1] = { alias };
    ct_affected_range range = { "npm", pkg, key, "npm", "ECOSYSTEM", vers };
    ct_advisory adv;
    ct_advisory_put_result res;
    uint64_t p = bench_rng_below(r, 2) ? pick_component_pkg(r, cfg->pkgs)
                                       : bench_rng_below(r, cfg->pkgs);
    unsigned maj = (unsigned)bench_rng_below(r, 4), lo = (unsigned)bench_rng_below(r, 22);
    unsigned w = 1 + (unsigned)bench_rng_below(r, 4);

    fmt(id, sizeof id, "BENCH-%06llu", (unsigned long long)i);
    fmt(alias, sizeof alias, "CVE-2099-%06llu", (unsigned long long)i);
    fmt(pkg, sizeof pkg, "pkg%05llu", (unsigned long long)p);
    fmt(key, sizeof key, "npm/pkg%05llu", (unsigned long long)p);
    fmt(sum, sizeof sum, "synthetic advisory %llu", (unsigned long long)i);
    uint64_t shape = bench_rng_below(r, 10);
    if (shape < 6) /* OSV "introduced: 0, fixed: X", the most common shape */
        fmt(vers, sizeof vers, "vers:npm/<%u.%u.0", maj + 1, lo);
    else if (shape < 9)
        fmt(vers, sizeof vers, "vers:npm/>=%u.%u.0|<%u.%u.0", maj, lo, maj, lo + w);
    else
        fmt(vers, sizeof vers, "vers:npm/>=%u.%u.0|<%u.%u.0|>=%u.0.0|<%u.2.0", maj, lo, maj,
            lo + w, maj + 1, maj + 1);
    memset(&adv, 0, sizeof adv);
    adv.id = id;
    adv.source = "bench";
    adv.summary = sum;
    adv.severity = "HIGH";
    adv.published = 1700000000 + (ct_time)i * 60;
    adv.modified = adv.published;
    adv.withdrawn = CT_TIME_NONE;
    adv.aliases = aliases;
    adv.naliases = 1;
    adv.ranges = &range;
    adv.nranges = 1;
    if (ct_store_advisory_put(&res, st, &adv, NULL) < 0)
        die_ct("advisory_put");
}

static void gen_advisories(ct_store *st, const config *cfg)
{
    bench_rng r;
    bench_rng_seed(&r, cfg->seed * 31 + 1);
    for (uint64_t i = 0; i < cfg->advisories; i++) {
        put_advisory(st, &r, cfg, i);
        if (i % 5000 == 4999)
            commit_begin(st);
    }
}

/* The evolving component set of one product: package index and version per slot. */
typedef struct {
    uint32_t pkg[MAX_COMPONENTS];
    uint16_t maj[MAX_COMPONENTS], min[MAX_COMPONENTS], pat[MAX_COMPONENTS];
    char purl[MAX_COMPONENTS][48], name[MAX_COMPONENTS][16], ver[MAX_COMPONENTS][24];
    ct_component comp[MAX_COMPONENTS];
} product_state;

static bool has_pkg(const product_state *ps, size_t n, uint32_t p)
{
    for (size_t i = 0; i < n; i++)
        if (ps->pkg[i] == p)
            return true;
    return false;
}

static void product_init(product_state *ps, bench_rng *r, const config *cfg)
{
    for (size_t i = 0; i < cfg->components; i++) {
        uint32_t p;
        do
            p = (uint32_t)pick_component_pkg(r, cfg->pkgs);
        while (has_pkg(ps, i, p));
        ps->pkg[i] = p;
        ps->maj[i] = (uint16_t)bench_rng_below(r, 4);
        ps->min[i] = (uint16_t)bench_rng_below(r, 20);
        ps->pat[i] = (uint16_t)bench_rng_below(r, 10);
    }
}

/* Between releases about 15 % of the components move: mostly patches, some minors, few majors. */
static void product_evolve(product_state *ps, bench_rng *r, const config *cfg)
{
    for (size_t i = 0; i < cfg->components; i++) {
        uint64_t x = bench_rng_below(r, 1000);
        if (x >= 150)
            continue;
        if (x < 105) {
            ps->pat[i]++;
        } else if (x < 143) {
            ps->min[i]++;
            ps->pat[i] = 0;
        } else {
            ps->maj[i]++;
            ps->min[i] = ps->pat[i] = 0;
        }
    }
}

static void product_sbom(ct_sbom *sb, product_state *ps, const config *cfg)
{
    memset(sb, 0, sizeof *sb);
    sb->format = "cyclonedx-json";
    sb->spec_version = "1.5";
    for (size_t i = 0; i < cfg->components; i++) {
        ct_component *c = &ps->comp[i];
        fmt(ps->name[i], sizeof ps->name[i], "pkg%05u", (unsigned)ps->pkg[i]);
        fmt(ps->ver[i], sizeof ps->ver[i], "%u.%u.%u", (unsigned)ps->maj[i],
            (unsigned)ps->min[i], (unsigned)ps->pat[i]);
        fmt(ps->purl[i], sizeof ps->purl[i], "pkg:npm/%s@%s", ps->name[i], ps->ver[i]);
        memset(c, 0, sizeof *c);
        c->bom_ref = ps->purl[i];
        c->type = "library";
        c->name = ps->name[i];
        c->version = ps->ver[i];
        c->purl = ps->purl[i];
    }
    sb->components = ps->comp;
    sb->ncomponents = sb->components_cap = cfg->components;
}

static void gen_releases(ct_store *st, const config *cfg, fleet *fl)
{
    static const char *const cats[] = { "default", "default", "class-i", "class-ii" };
    product_state *ps = xcalloc(1, sizeof *ps);
    uint64_t nprod = (cfg->releases + cfg->releases_per_product - 1) / cfg->releases_per_product;
    bench_rng r;
    ct_sbom sb;

    bench_rng_seed(&r, cfg->seed * 31 + 2);
    fl->nrel = 0;
    for (uint64_t p = 0; p < nprod; p++) {
        char name[32], ver[32];
        int64_t pid;
        fmt(name, sizeof name, "product-%04llu", (unsigned long long)p);
        if (ct_store_product_add(&pid, st, name, "Bench GmbH", cats[p % 4],
                                 1900000000 + (ct_time)p * 86400) < 0)
            die_ct("product_add");
        product_init(ps, &r, cfg);
        for (uint64_t k = 0; k < cfg->releases_per_product && fl->nrel < cfg->releases; k++) {
            if (k)
                product_evolve(ps, &r, cfg);
            product_sbom(&sb, ps, cfg);
            fmt(ver, sizeof ver, "1.%llu.0", (unsigned long long)k);
            if (ct_store_release_add(&fl->rel_id[fl->nrel], st, pid, ver,
                                     1600000000 + (ct_time)k * 30 * 86400, &sb, NULL, NULL) < 0)
                die_ct("release_add");
            fl->rel_prod[fl->nrel++] = pid;
        }
        commit_begin(st);
        if (p % 10 == 9)
            fprintf(stderr, "  releases: %llu/%llu\n", (unsigned long long)fl->nrel,
                    (unsigned long long)cfg->releases);
    }
    ct_free(ps);
}

static void gen_customers(ct_store *st, const config *cfg, fleet *fl)
{
    static const char *const countries[] = { "DE", "FR", "NL", "AT", "IT", "ES", "PL", "SE" };
    fl->ncust = cfg->customers;
    for (uint64_t i = 0; i < fl->ncust; i++) {
        char code[32], name[48], mail[64];
        fmt(code, sizeof code, "C%06llu", (unsigned long long)i);
        fmt(name, sizeof name, "Customer %llu AG", (unsigned long long)i);
        fmt(mail, sizeof mail, "psirt@c%llu.example", (unsigned long long)i);
        if (ct_store_customer_upsert(&fl->cust_id[i], st, code, name, countries[i % 8], mail,
                                     "email") < 0)
            die_ct("customer_upsert");
    }
}

static uint64_t gcd_u64(uint64_t a, uint64_t b)
{
    while (b) {
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

static const char *pick_state(bench_rng *r)
{
    uint64_t x = bench_rng_below(r, 100);
    if (x < 90)
        return "in_service";
    if (x < 94)
        return "shipped";
    if (x < 96)
        return "in_stock";
    if (x < 98)
        return "in_rma";
    return x < 99 ? "replaced" : "decommissioned";
}

/* Units per release are skewed (a few releases carry thousands of units) and the heavy releases
 * are spread over products by a fixed permutation of the release index. */
static void gen_units(ct_store *st, const config *cfg, const fleet *fl)
{
    uint64_t mul = 7919;
    bench_rng r;

    while (gcd_u64(mul, fl->nrel) != 1)
        mul += 2;
    bench_rng_seed(&r, cfg->seed * 31 + 3);
    for (uint64_t i = 0; i < cfg->units; i++) {
        char serial[32];
        double u = bench_rng_unit(&r), v = bench_rng_unit(&r);
        uint64_t ri = ((uint64_t)((double)fl->nrel * u * u * 0.5 + (double)fl->nrel * u * 0.5) *
                           mul + 13) % fl->nrel;
        uint64_t ci = (uint64_t)((double)fl->ncust * v * v);
        const char *state = pick_state(&r);
        int64_t cust = bench_rng_below(&r, 20) == 0 ? 0 : fl->cust_id[ci];
        fmt(serial, sizeof serial, "SN%010llu", (unsigned long long)i);
        if (ct_store_unit_upsert(NULL, st, fl->rel_prod[ri], serial, i % 3 ? "rev-B" : "rev-A",
                                 fl->rel_id[ri], cust, 1600000000 + (ct_time)(i % 100000) * 600,
                                 state) < 0)
            die_ct("unit_upsert");
        if (i % 50000 == 49999) {
            commit_begin(st);
            if (i % 200000 == 199999)
                fprintf(stderr, "  units: %llu/%llu\n", (unsigned long long)i + 1,
                        (unsigned long long)cfg->units);
        }
    }
}

static void key_of(char *buf, size_t cap, const config *cfg)
{
    fmt(buf, cap, "bench-affected-g%d-u%llu-r%llu-c%llu-a%llu-p%llu-rp%llu-cu%llu-s%llu",
        GEN_VERSION, (unsigned long long)cfg->units, (unsigned long long)cfg->releases,
        (unsigned long long)cfg->components, (unsigned long long)cfg->advisories,
        (unsigned long long)cfg->pkgs, (unsigned long long)cfg->releases_per_product,
        (unsigned long long)cfg->customers, (unsigned long long)cfg->seed);
}

/* Sum of units_total over the first probe advisories: stored in the marker product's vendor at
 * generation time and checked on reuse, so a cached file that the current library answers
 * differently (e.g. a schema change since it was generated) is regenerated, not measured. */
static void fingerprint(char *buf, size_t cap, ct_store *st, const config *cfg)
{
    ct_buf out = CT_BUF_INIT;
    int64_t sum = 0;
    for (uint64_t i = 0; i < cfg->advisories && i < 300; i++) {
        char id[32];
        fmt(id, sizeof id, "BENCH-%06llu", (unsigned long long)i);
        ct_buf_reset(&out);
        if (ct_store_affected_json(&out, st, id) < 0)
            die_ct("affected_json (fingerprint)");
        const char *p = strstr(out.ptr, "\"units_total\":");
        sum += p ? strtoll(p + 14, NULL, 10) : -1;
    }
    ct_buf_dispose(&out);
    fmt(buf, cap, "bench-fingerprint:%lld", (long long)sum);
}

/* Generate everything; the marker product (named by the parameter key) is added last, in the
 * last transaction, so its presence means the data set is complete. */
static double generate(ct_store *st, const config *cfg, const char *key)
{
    fleet fl;
    char fp[64];
    double t0 = ct_clock_mono(), t;

    memset(&fl, 0, sizeof fl);
    fl.rel_id = xcalloc(cfg->releases, sizeof *fl.rel_id);
    fl.rel_prod = xcalloc(cfg->releases, sizeof *fl.rel_prod);
    fl.cust_id = xcalloc(cfg->customers, sizeof *fl.cust_id);
    if (ct_store_bulk_mode(st, true) < 0 || ct_store_begin(st) < 0)
        die_ct("begin");
    gen_advisories(st, cfg);
    t = ct_clock_mono();
    fprintf(stderr, "  advisories: %.1f s\n", t - t0);
    gen_releases(st, cfg, &fl);
    fprintf(stderr, "  releases+components+findings: %.1f s\n", ct_clock_mono() - t);
    t = ct_clock_mono();
    gen_customers(st, cfg, &fl);
    commit_begin(st);
    gen_units(st, cfg, &fl);
    fprintf(stderr, "  customers+units: %.1f s\n", ct_clock_mono() - t);
    fingerprint(fp, sizeof fp, st, cfg);
    if (ct_store_product_add(NULL, st, key, fp, NULL, CT_TIME_NONE) < 0 ||
        ct_store_commit(st) < 0 || ct_store_bulk_mode(st, false) < 0)
        die_ct("final commit");
    ct_free(fl.rel_id);
    ct_free(fl.rel_prod);
    ct_free(fl.cust_id);
    return ct_clock_mono() - t0;
}

/* ---- opening (cached) data sets -------------------------------------------------------- */

static bool has_marker(ct_store *st, const config *cfg, const char *key)
{
    char fp[64], want[128];
    ct_buf list = CT_BUF_INIT;
    int64_t id;
    bool ok;

    if (ct_store_product_find(&id, st, key) < 0) {
        ct_error_clear();
        return false;
    }
    if (ct_store_products_json(&list, st) < 0)
        die_ct("products_json");
    fingerprint(fp, sizeof fp, st, cfg);
    fmt(want, sizeof want, "\"vendor\":\"%s\"", fp);
    ok = strstr(list.ptr, want) != NULL;
    ct_buf_dispose(&list);
    if (!ok)
        fprintf(stderr, "bench_affected: cached data set answers differently now (%s): "
                        "regenerating\n", fp);
    return ok;
}

static void remove_db(const char *path)
{
    char side[4096];
    unlink(path);
    fmt(side, sizeof side, "%s-wal", path);
    unlink(side);
    fmt(side, sizeof side, "%s-shm", path);
    unlink(side);
}

/* SQLite: DIR/KEY.db, generated into DIR/KEY.db.tmp and renamed once complete. */
static ct_store *open_sqlite(const ct_ctx *ctx, const config *cfg, const char *key,
                             double *gen_s, char *path, size_t cap)
{
    char tmp[4096];
    ct_store *st;
    struct stat sb;

    *gen_s = -1;
    if (mkdir(cfg->cache_dir, 0777) < 0 && errno != EEXIST) {
        fprintf(stderr, "bench_affected: cannot create %s: %s\n", cfg->cache_dir,
                strerror(errno));
        exit(1);
    }
    fmt(path, cap, "%s/%s.db", cfg->cache_dir, key);
    if (cfg->regen)
        remove_db(path);
    if (stat(path, &sb) == 0) {
        if (ct_store_open(&st, ctx, path) < 0)
            die_ct("open cached store");
        if (has_marker(st, cfg, key))
            return st;
        ct_store_close(st);
        remove_db(path);
    }
    fmt(tmp, sizeof tmp, "%s.tmp", path);
    remove_db(tmp);
    fprintf(stderr, "bench_affected: generating %s (cached for reruns)\n", path);
    if (ct_store_open(&st, ctx, tmp) < 0)
        die_ct("open new store");
    *gen_s = generate(st, cfg, key);
    ct_store_close(st); /* last connection: checkpoints and removes the WAL */
    if (rename(tmp, path) < 0) {
        fprintf(stderr, "bench_affected: rename %s: %s\n", tmp, strerror(errno));
        exit(1);
    }
    remove_db(tmp);
    if (ct_store_open(&st, ctx, path) < 0)
        die_ct("reopen store");
    return st;
}

/* PostgreSQL: the marker product says the database already holds this data set. */
static ct_store *open_pg(const ct_ctx *ctx, const config *cfg, const char *key, double *gen_s)
{
    ct_store *st;
    int64_t id;

    *gen_s = -1;
    if (ct_store_open(&st, ctx, cfg->pg_dsn) < 0)
        die_ct("open PostgreSQL store");
    if (has_marker(st, cfg, key))
        return st;
    if (ct_store_product_find(&id, st, "product-0000") == 0) {
        fprintf(stderr, "bench_affected: the database at CT_BENCH_PG_DSN holds another data set"
                        " (different parameters); use a fresh database\n");
        exit(1);
    }
    ct_error_clear();
    fprintf(stderr, "bench_affected: generating into PostgreSQL (marker %s)\n", key);
    *gen_s = generate(st, cfg, key);
    return st;
}

/* Read the file once so the measurement sees a warm OS page cache on every run. */
static void warm_file(const char *path)
{
    static char buf[1 << 20];
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return;
    while (read(fd, buf, sizeof buf) > 0)
        ;
    close(fd);
}

/* ---- measurement ----------------------------------------------------------------------- */

/* CPU time of this thread (user + system), in ns: on a loaded machine the wall clock also
 * counts the time spent waiting for a CPU. */
static uint64_t cpu_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static double bench_cpu_seconds(void)
{
    return (double)cpu_now_ns() / 1e9;
}

static int64_t units_total(const ct_buf *b)
{
    const char *p = strstr(b->ptr, "\"units_total\":");
    return p ? strtoll(p + 14, NULL, 10) : -1;
}

/* p50 of one ct_store_product_find over random product names, in ns. */
static uint64_t baseline_ns(ct_store *st, const config *cfg, bench_rng *r, size_t n)
{
    uint64_t nprod = (cfg->releases + cfg->releases_per_product - 1) / cfg->releases_per_product;
    uint64_t *t = xcalloc(n, sizeof *t), res;
    for (size_t i = 0; i < n; i++) {
        char name[32];
        int64_t id;
        fmt(name, sizeof name, "product-%04llu",
            (unsigned long long)bench_rng_below(r, nprod));
        uint64_t t0 = bench_now_ns();
        if (ct_store_product_find(&id, st, name) < 0)
            die_ct("product_find");
        t[i] = bench_now_ns() - t0;
    }
    qsort(t, n, sizeof *t, bench_cmp_u64);
    res = bench_pct_u64(t, n, 50);
    ct_free(t);
    return res;
}

static void report_latency(const char *kase, const char *prefix, uint64_t *ns, size_t n,
                           double base_ns)
{
    char m[64];
    if (!n)
        return;
    qsort(ns, n, sizeof *ns, bench_cmp_u64);
    fmt(m, sizeof m, "%s_n", prefix);
    bench_row("affected", kase, m, (double)n, "queries");
    fmt(m, sizeof m, "%s_p50", prefix);
    bench_row("affected", kase, m, (double)bench_pct_u64(ns, n, 50) / 1e6, "ms");
    fmt(m, sizeof m, "%s_p99", prefix);
    bench_row("affected", kase, m, (double)bench_pct_u64(ns, n, 99) / 1e6, "ms");
    fmt(m, sizeof m, "%s_max", prefix);
    bench_row("affected", kase, m, (double)ns[n - 1] / 1e6, "ms");
    fmt(m, sizeof m, "%s_p50_ratio", prefix);
    bench_row("affected", kase, m, (double)bench_pct_u64(ns, n, 50) / base_ns, "x_baseline");
    fmt(m, sizeof m, "%s_p99_ratio", prefix);
    bench_row("affected", kase, m, (double)bench_pct_u64(ns, n, 99) / base_ns, "x_baseline");
}

static void report_units(const char *kase, const char *prefix, int64_t *u, size_t n)
{
    char m[64];
    static const double pcts[] = { 50, 90, 99 };
    size_t zero = 0, small = 0;
    qsort(u, n, sizeof *u, bench_cmp_u64); /* values are >= 0 */
    for (size_t i = 0; i < n; i++) {
        zero += u[i] == 0;
        small += u[i] <= 10000;
    }
    fmt(m, sizeof m, "%sunits_zero", prefix);
    bench_row("affected", kase, m, (double)zero, "queries");
    fmt(m, sizeof m, "%sunits_le_10k", prefix);
    bench_row("affected", kase, m, (double)small, "queries");
    for (size_t i = 0; i < CT_NELEM(pcts); i++) {
        fmt(m, sizeof m, "%sunits_p%.0f", prefix, pcts[i]);
        bench_row("affected", kase, m, (double)bench_pct_u64((uint64_t *)u, n, pcts[i]),
                  "units");
    }
    fmt(m, sizeof m, "%sunits_max", prefix);
    bench_row("affected", kase, m, (double)u[n - 1], "units");
}

static void measure(ct_store *st, const config *cfg, const char *kase)
{
    size_t n = cfg->queries, nsmall = 0, nbig = 0, nhit = 0;
    uint64_t *all = xcalloc(n, sizeof *all), *small = xcalloc(n, sizeof *small);
    uint64_t *hit = xcalloc(n, sizeof *hit);
    uint64_t *big = xcalloc(n, sizeof *big), b1, b2;
    int64_t *units = xcalloc(n, sizeof *units);
    ct_buf out = CT_BUF_INIT;
    bench_rng r;
    double base, bytes = 0;

    bench_rng_seed(&r, cfg->seed * 31 + 4);
    b1 = baseline_ns(st, cfg, &r, 20000);
    for (size_t i = 0; i < n + 50; i++) { /* the first 50 are warm-up, not counted */
        char id[32];
        fmt(id, sizeof id, "BENCH-%06llu",
            (unsigned long long)bench_rng_below(&r, cfg->advisories));
        ct_buf_reset(&out);
        uint64_t t0 = bench_now_ns();
        if (ct_store_affected_json(&out, st, id) < 0)
            die_ct("affected_json");
        uint64_t dt = bench_now_ns() - t0;
        if (i < 50)
            continue;
        all[i - 50] = dt;
        units[i - 50] = units_total(&out);
        bytes += (double)out.len;
        if (units[i - 50] > 0 && units[i - 50] <= 10000)
            hit[nhit++] = dt;
        if (units[i - 50] <= 10000)
            small[nsmall++] = dt;
        else
            big[nbig++] = dt;
    }
    b2 = baseline_ns(st, cfg, &r, 20000);
    base = (double)(b1 < b2 ? b1 : b2);
    bench_row("affected", kase, "baseline_product_find_p50", base / 1e3, "us");
    report_latency(kase, "all", all, n, base);
    report_latency(kase, "le10k", small, nsmall, base);
    report_latency(kase, "hit_le10k", hit, nhit, base);
    report_latency(kase, "gt10k", big, nbig, base);
    bench_row("affected", kase, "answer_bytes_mean", bytes / (double)n, "bytes");
    report_units(kase, "", units, n);
    ct_buf_dispose(&out);
    ct_free(all);
    ct_free(small);
    ct_free(hit);
    ct_free(big);
    ct_free(units);
}

/* Issue 6: "one new advisory -> findings and affected units". Each round, inside a transaction
 * that is rolled back (the cached data set stays as it was): store one new advisory, which
 * matches it against the components it names (incremental match), then answer `affected` for it.
 * Timed together; the same baseline as above. */
static void measure_new_advisory(ct_store *st, const config *cfg, const char *kase)
{
    size_t n = cfg->queries < 200 ? cfg->queries : 200;
    uint64_t *ns = xcalloc(n, sizeof *ns), *put_ns = xcalloc(n, sizeof *put_ns);
    uint64_t *cpu = xcalloc(n, sizeof *cpu), *cpu_small = xcalloc(n, sizeof *cpu_small);
    uint64_t *cpu_big = xcalloc(n, sizeof *cpu_big);
    int64_t *units = xcalloc(n, sizeof *units);
    ct_buf out = CT_BUF_INIT;
    bench_rng r, rb;

    bench_rng_seed(&r, cfg->seed * 31 + 7);
    bench_rng_seed(&rb, cfg->seed * 31 + 8);
    uint64_t base = baseline_ns(st, cfg, &rb, 20000);
    for (size_t i = 0; i < n + 10; i++) { /* the first 10 are warm-up */
        char id[32];
        uint64_t k = cfg->advisories + 100000 + i;
        fmt(id, sizeof id, "BENCH-%06llu", (unsigned long long)k);
        if (ct_store_begin(st) < 0)
            die_ct("begin");
        ct_buf_reset(&out);
        uint64_t c0 = cpu_now_ns();
        uint64_t t0 = bench_now_ns();
        put_advisory(st, &r, cfg, k);
        uint64_t t1 = bench_now_ns();
        if (ct_store_affected_json(&out, st, id) < 0)
            die_ct("affected_json");
        uint64_t t2 = bench_now_ns();
        uint64_t c2 = cpu_now_ns();
        ct_store_rollback(st);
        if (i < 10)
            continue;
        ns[i - 10] = t2 - t0;
        cpu[i - 10] = c2 - c0;
        put_ns[i - 10] = t1 - t0;
        units[i - 10] = units_total(&out);
    }
    uint64_t *small = xcalloc(n, sizeof *small), *big = xcalloc(n, sizeof *big);
    size_t nsmall = 0, nbig = 0;
    for (size_t i = 0; i < n; i++) {
        if (units[i] <= 10000) {
            cpu_small[nsmall] = cpu[i];
            small[nsmall++] = ns[i];
        } else {
            cpu_big[nbig] = cpu[i];
            big[nbig++] = ns[i];
        }
    }
    report_latency(kase, "new_advisory_le10k", small, nsmall, (double)base);
    report_latency(kase, "new_advisory_gt10k", big, nbig, (double)base);
    report_latency(kase, "new_advisory_le10k_cpu", cpu_small, nsmall, (double)base);
    report_latency(kase, "new_advisory_gt10k_cpu", cpu_big, nbig, (double)base);
    report_latency(kase, "new_advisory_total_cpu", cpu, n, (double)base);
    ct_free(cpu);
    ct_free(cpu_small);
    ct_free(cpu_big);
    ct_free(small);
    ct_free(big);
    report_latency(kase, "new_advisory_total", ns, n, (double)base);
    report_latency(kase, "new_advisory_put_match", put_ns, n, (double)base);
    report_units(kase, "new_advisory_", units, n);
    ct_buf_dispose(&out);
    ct_free(ns);
    ct_free(put_ns);
    ct_free(units);
}

/* The units-per-(release, customer) cache (migration 0013) after a fleet change: inside a
 * transaction that is rolled back, register one new unit (which marks the cache stale) and time
 * the next `affected`, which recomputes the cache with one GROUP BY over the current spans, then
 * the same answer again from the current cache. Three rounds; CPU time too. */
static void measure_recompute(ct_store *st, const config *cfg, const char *kase)
{
    ct_buf out = CT_BUF_INIT;
    int64_t product = 0;
    double stale_ms = 0, stale_cpu = 0, warm_ms = 0;
    (void)cfg;
    if (ct_store_product_find(&product, st, "product-0000") < 0)
        die_ct("product_find");
    for (int round = 0; round < 3; round++) {
        char serial[32];
        fmt(serial, sizeof serial, "BENCH-RECOMPUTE-%d", round);
        if (ct_store_begin(st) < 0 ||
            ct_store_unit_upsert(NULL, st, product, serial, NULL, 0, 0, CT_TIME_NONE, NULL) < 0)
            die_ct("unit_upsert");
        ct_buf_reset(&out);
        double c0 = bench_cpu_seconds();
        uint64_t t0 = bench_now_ns();
        if (ct_store_affected_json(&out, st, "BENCH-000001") < 0)
            die_ct("affected_json (stale)");
        uint64_t t1 = bench_now_ns();
        double c1 = bench_cpu_seconds();
        ct_buf_reset(&out);
        if (ct_store_affected_json(&out, st, "BENCH-000001") < 0)
            die_ct("affected_json (current)");
        uint64_t t2 = bench_now_ns();
        ct_store_rollback(st);
        stale_ms += (double)(t1 - t0) / 1e6 / 3;
        stale_cpu += (c1 - c0) * 1e3 / 3;
        warm_ms += (double)(t2 - t1) / 1e6 / 3;
    }
    bench_row("affected", kase, "counts_recompute_first_answer_mean", stale_ms, "ms");
    bench_row("affected", kase, "counts_recompute_first_answer_cpu_mean", stale_cpu, "ms");
    bench_row("affected", kase, "counts_current_same_answer_mean", warm_ms, "ms");
    ct_buf_dispose(&out);
}

/* ---- main ------------------------------------------------------------------------------ */

static void usage(void)
{
    fprintf(stderr,
            "usage: bench_affected [--units N] [--releases N] [--components N] [--advisories N]\n"
            "         [--pkgs N] [--releases-per-product N] [--customers N] [--queries N]\n"
            "         [--seed N] [--cache-dir DIR] [--regen] [--skip-sqlite]\n"
            "defaults: 1,000,000 units, 2,000 releases x 300 components, 50,000 advisories,\n"
            "20,000 packages, 20 releases per product, units/200 customers, 1,000 queries.\n"
            "CT_BENCH_PG_DSN=postgresql://... also runs on PostgreSQL.\n");
    exit(2);
}

static void parse_args(config *cfg, int argc, char **argv)
{
    const bench_opt opts[] = {
        { "--units", BENCH_OPT_U64, &cfg->units },
        { "--releases", BENCH_OPT_U64, &cfg->releases },
        { "--components", BENCH_OPT_U64, &cfg->components },
        { "--advisories", BENCH_OPT_U64, &cfg->advisories },
        { "--pkgs", BENCH_OPT_U64, &cfg->pkgs },
        { "--releases-per-product", BENCH_OPT_U64, &cfg->releases_per_product },
        { "--customers", BENCH_OPT_U64, &cfg->customers },
        { "--queries", BENCH_OPT_U64, &cfg->queries },
        { "--seed", BENCH_OPT_U64, &cfg->seed },
        { "--cache-dir", BENCH_OPT_STR, &cfg->cache_dir },
        { "--regen", BENCH_OPT_TRUE, &cfg->regen },
        { "--skip-sqlite", BENCH_OPT_TRUE, &cfg->skip_sqlite },
    };
    if (!bench_parse_args(argc, argv, opts, CT_NELEM(opts)))
        usage();
    if (!cfg->customers)
        cfg->customers = cfg->units / 200 ? cfg->units / 200 : 1;
    if (!cfg->units || !cfg->releases || !cfg->advisories || !cfg->pkgs || !cfg->queries ||
        !cfg->releases_per_product || !cfg->components || cfg->components > MAX_COMPONENTS ||
        cfg->components > cfg->pkgs / 2 || cfg->pkgs > 99999) {
        fprintf(stderr, "bench_affected: sizes must be > 0, components <= min(%d, pkgs/2), "
                        "pkgs <= 99999\n", MAX_COMPONENTS);
        exit(2);
    }
}

static void run_case(const ct_ctx *ctx, const config *cfg, const char *kase, const char *key)
{
    char path[4096];
    double gen_s;
    ct_store *st = strcmp(kase, "sqlite") == 0
                       ? open_sqlite(ctx, cfg, key, &gen_s, path, sizeof path)
                       : open_pg(ctx, cfg, key, &gen_s);
    if (gen_s >= 0)
        bench_row("affected", kase, "generate", gen_s, "s");
    else
        bench_row("affected", kase, "generate_cached", 1, "bool");
    if (strcmp(kase, "sqlite") == 0) {
        struct stat sb;
        if (stat(path, &sb) == 0)
            bench_row("affected", kase, "db_size", (double)sb.st_size / 1048576.0, "MiB");
        warm_file(path);
    }
    measure(st, cfg, kase);
    measure_new_advisory(st, cfg, kase);
    measure_recompute(st, cfg, kase);
    ct_store_close(st);
}

int main(int argc, char **argv)
{
    config cfg = { 1000000, 2000, 300, 50000, 20000, 1000, 1, 20, 0, "bench-cache", NULL,
                   false, false };
    ct_ctx_options opts = CT_CTX_OPTIONS_INIT;
    ct_ctx *ctx;
    char key[256];

    parse_args(&cfg, argc, argv);
    cfg.pg_dsn = getenv("CT_BENCH_PG_DSN");
    if (cfg.pg_dsn && !*cfg.pg_dsn)
        cfg.pg_dsn = NULL;
    opts.progress = false;
    if (ct_ctx_new(&ctx, &opts) < 0)
        die_ct("ctx");
    ct_ctx_set_now(ctx, 1750000000);
    key_of(key, sizeof key, &cfg);
    bench_header();
    bench_row("affected", "params", "units", (double)cfg.units, "units");
    bench_row("affected", "params", "releases", (double)cfg.releases, "releases");
    bench_row("affected", "params", "components_per_release", (double)cfg.components, "comp");
    bench_row("affected", "params", "advisories", (double)cfg.advisories, "advisories");
    bench_row("affected", "params", "pkgs", (double)cfg.pkgs, "packages");
    bench_row("affected", "params", "queries", (double)cfg.queries, "queries");
    if (!cfg.skip_sqlite)
        run_case(ctx, &cfg, "sqlite", key);
    if (cfg.pg_dsn)
        run_case(ctx, &cfg, "pg", key);
    else
        fprintf(stderr, "bench_affected: CT_BENCH_PG_DSN not set: PostgreSQL skipped\n");
    ct_ctx_free(ctx);
    return 0;
}

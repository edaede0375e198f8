/* `affected ADVISORY --at T` (src/store/queries.c, AFFECTED_SPANS_AT / AFFECTED_COUNTS_AT): the
 * units per release, per customer and in total equal, for 3 advisories at 100 times (event times,
 * one second before them, and random times: 300 answers), the count of the units whose
 * `unit show --at T` (one span per unit, read by unit and time: another query path) puts them
 * on an affected release and in the field. The fleet is imported from CSV with random event
 * histories whose gaps run from 1 s to 8.5 years (every span length class of migration 0015,
 * class widths and width + 1 included), units without a customer, shared event times and every
 * event kind that changes release, customer or state. CT_TEST_USES_STORE: runs on SQLite and
 * PostgreSQL. */
#include "ct_test.h"

#include "cratrace/fleet.h"
#include "cratrace/store.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#define NREL 5
#define NCUST 7
#define NUNIT 80
#define NEV 8   /* events per unit at most */
#define NTIME 100
#define NADV 3

static const char sbom_json[] =
    "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"serialNumber\":\"urn:uuid:%d\","
    "\"components\":[{\"type\":\"library\",\"name\":\"lodash\",\"version\":\"%s\","
    "\"purl\":\"pkg:npm/lodash@%s\"}]}";
static const char *const versions[NREL] = { "1.0", "1.1", "1.2", "1.3", "1.4" };
/* codes chosen so that equal counts sort by code */
static const char *const codes[NCUST] = { "B2", "A1", "C3", "a0", "B10", "Z9", "b1" };
static const char *const adv_ids[NADV] = { "GHSA-at01-aaaa-bbbb", "GHSA-at02-aaaa-bbbb",
                                           "GHSA-at03-aaaa-bbbb" };
/* lodash 4.17.1R in release R: advisory 0 affects 1.0 and 1.1, 1 affects 1.2 and 1.3, 2 all */
static const char *const adv_vers[NADV] = { "vers:npm/<4.17.12", "vers:npm/>=4.17.12|<4.17.14",
                                            "vers:npm/<5.0.0" };
/* span length class widths of migration 0015 (seconds) */
static const int64_t widths[] = { 3600, 14400, 57600, 230400, 921600, 3686400, 14745600,
                                  58982400, 235929600 };

typedef struct {
    ct_ctx *ctx;
    ct_store *st;
    char *dsn, *dir;
    uint64_t rng;
    ct_time times[NTIME];
} fixture;

static uint64_t rnd(fixture *f, uint64_t below)
{
    f->rng = f->rng * 6364136223846793005u + 1442695040888963407u;
    return (f->rng >> 33) % below;
}

/* a gap between two events: 1 s to 2^28 s (8.5 years), log-uniform, or a class width (+1) */
static int64_t gap(fixture *f)
{
    if (rnd(f, 6) == 0)
        return widths[rnd(f, CT_NELEM(widths))] + (int64_t)rnd(f, 2);
    return (int64_t)1 << rnd(f, 29) | (int64_t)rnd(f, 1024);
}

static void put_time_csv(ct_buf *b, ct_time t)
{
    char s[32];
    ct_time_format(s, t);
    ct_buf_puts(b, s);
}

static int setup(void **state)
{
    fixture *f = ct_calloc(1, sizeof *f);
    char sbom[512], ver[16];
    int64_t product;
    ct_time base = ct_time_from_civil(2020, 1, 1, 0, 0, 0), shared[16], all[NUNIT * NEV];
    size_t nall = 0;
    ct_buf cu = CT_BUF_INIT, un = CT_BUF_INIT, ev = CT_BUF_INIT;
    ct_import_stats stats;

    f->ctx = ct_test_ctx();
    f->dsn = ct_test_fresh_dsn();
    f->dir = ct_test_tmpdir();
    f->rng = 20261128;
    assert_int_equal(ct_store_open(&f->st, f->ctx, f->dsn), CT_OK);
    assert_int_equal(ct_store_product_add(&product, f->st, "gw", "Vendor", NULL, CT_TIME_NONE),
                     CT_OK);
    for (int r = 0; r < NREL; r++) {
        ct_sbom *s = NULL;
        snprintf(ver, sizeof ver, "4.17.1%d", r);
        snprintf(sbom, sizeof sbom, sbom_json, r, ver, ver);
        assert_int_equal(ct_sbom_parse(&s, f->ctx, sbom, strlen(sbom), "sbom.json"), CT_OK);
        assert_int_equal(ct_store_release_add(NULL, f->st, product, versions[r],
                                              base + r * 86400, s, NULL, NULL),
                         CT_OK);
        ct_sbom_free(s);
    }
    for (int a = 0; a < NADV; a++) {
        ct_affected_range rg = { "npm", "lodash", "npm/lodash", "npm", "ECOSYSTEM",
                                 (char *)adv_vers[a] };
        ct_advisory adv;
        ct_advisory_put_result res;
        memset(&adv, 0, sizeof adv);
        adv.id = (char *)adv_ids[a];
        adv.source = "osv";
        adv.modified = base;
        adv.published = CT_TIME_NONE;
        adv.withdrawn = CT_TIME_NONE;
        adv.ranges = &rg;
        adv.nranges = 1;
        assert_int_equal(ct_store_advisory_put(&res, f->st, &adv, NULL), CT_OK);
    }

    ct_buf_puts(&cu, "code,name,country,email,channel\n");
    for (int c = 0; c < NCUST; c++)
        ct_buf_printf(&cu, "%s,Customer %s,DE,sec@%d.example,email\n", codes[c], codes[c], c);
    for (size_t i = 0; i < CT_NELEM(shared); i++)
        shared[i] = base + (ct_time)rnd(f, 6u * 365 * 86400);
    ct_buf_puts(&un, "serial,product,hardware_revision,release,customer,manufactured,state\n");
    ct_buf_puts(&ev, "serial,product,time,kind,from_release,to_release,detail,customer,result\n");
    for (int u = 0; u < NUNIT; u++) {
        ct_time t = base + (ct_time)rnd(f, 365 * 86400);
        int rel = (int)rnd(f, NREL), cust = (int)rnd(f, NCUST + 1) - 1; /* -1: none */
        ct_buf_printf(&un, "U%03d,gw,rev1,%s,%s,", u, versions[rel], cust < 0 ? "" : codes[cust]);
        put_time_csv(&un, t);
        ct_buf_puts(&un, ",in_stock\n");
        for (int e = 0, n = 1 + (int)rnd(f, NEV); e < n; e++) {
            static const char *const kinds[] = { "ship",     "update",  "update",   "transfer",
                                                 "rma_open", "rma_close", "decommission",
                                                 "replace",  "update" };
            size_t k = rnd(f, CT_NELEM(kinds));
            /* a quarter of the events at a time other units share (a shared boundary) */
            t = rnd(f, 4) == 0 && shared[e % CT_NELEM(shared)] > t ? shared[e % CT_NELEM(shared)]
                                                                   : t + gap(f);
            all[nall++] = t;
            ct_buf_printf(&ev, "U%03d,gw,", u);
            put_time_csv(&ev, t);
            ct_buf_printf(&ev, ",%s,,%s,,%s,%s\n", kinds[k],
                          strcmp(kinds[k], "update") == 0 ? versions[rnd(f, NREL)] : "",
                          strcmp(kinds[k], "ship") == 0 || strcmp(kinds[k], "transfer") == 0
                              ? codes[rnd(f, NCUST)]
                              : "",
                          k == CT_NELEM(kinds) - 1 ? "failed" : "");
        }
    }
    assert_false(cu.failed || un.failed || ev.failed);
    char *pc = ct_test_write_file(f->dir, "customers.csv", cu.ptr);
    char *pu = ct_test_write_file(f->dir, "units.csv", un.ptr);
    char *pe = ct_test_write_file(f->dir, "events.csv", ev.ptr);
    memset(&stats, 0, sizeof stats);
    assert_int_equal(ct_import_customers_csv(f->st, pc, &stats), CT_OK);
    assert_int_equal(ct_import_units_csv(f->st, pu, &stats), CT_OK);
    memset(&stats, 0, sizeof stats);
    assert_int_equal(ct_import_events_csv(f->st, pe, &stats), CT_OK);
    assert_true(stats.inserted > NUNIT); /* the events went in */
    ct_free(pc);
    ct_free(pu);
    ct_free(pe);
    ct_buf_dispose(&cu);
    ct_buf_dispose(&un);
    ct_buf_dispose(&ev);

    /* query times: event times, one second before event times, random times (2019-2035) */
    for (int i = 0; i < NTIME; i++) {
        ct_time t = all[rnd(f, nall)];
        f->times[i] = i % 3 == 0 ? t : i % 3 == 1 ? t - 1
                                                  : base - 365 * 86400 +
                                                        (ct_time)rnd(f, 16u * 365 * 86400);
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ct_store_close(f->st);
    ct_ctx_free(f->ctx);
    ct_free(f->dsn);
    ct_free(f->dir);
    ct_free(f);
    return 0;
}

static int index_of(const char *const *names, size_t n, const char *s)
{
    for (size_t i = 0; s && i < n; i++)
        if (strcmp(names[i], s) == 0)
            return (int)i;
    fail_msg("unexpected name '%s'", s ? s : "(null)");
    return -1;
}

typedef struct {
    int64_t rel[NREL], cust[NCUST], total;
    bool listed[NREL]; /* releases in the answer (the advisory affects them) */
} counts;

static counts parse_answer(const char *text, const char *what)
{
    counts c;
    json_object *o = json_tokener_parse(text), *a;
    int64_t prev_units = INT64_MAX;
    const char *prev_code = NULL;
    memset(&c, 0, sizeof c);
    if (!o)
        fail_msg("%s: not JSON: %s", what, text);
    a = json_object_object_get(o, "releases");
    for (size_t i = 0; i < json_object_array_length(a); i++) {
        json_object *r = json_object_array_get_idx(a, i);
        int k = index_of(versions, NREL,
                         json_object_get_string(json_object_object_get(r, "release")));
        c.listed[k] = true;
        c.rel[k] = json_object_get_int64(json_object_object_get(r, "units"));
    }
    a = json_object_object_get(o, "customers");
    for (size_t i = 0; i < json_object_array_length(a); i++) {
        json_object *r = json_object_array_get_idx(a, i);
        const char *code = json_object_get_string(json_object_object_get(r, "id"));
        int k = index_of(codes, NCUST, code);
        c.cust[k] = json_object_get_int64(json_object_object_get(r, "units"));
        if (c.cust[k] <= 0)
            fail_msg("%s: customer %s listed with %lld units", what, code, (long long)c.cust[k]);
        /* most units first, then by code (byte order) */
        if (c.cust[k] > prev_units || (c.cust[k] == prev_units && strcmp(prev_code, code) >= 0))
            fail_msg("%s: customer %s (%lld) out of order after %s (%lld)", what, code,
                     (long long)c.cust[k], prev_code, (long long)prev_units);
        prev_units = c.cust[k];
        prev_code = codes[k];
    }
    c.total = json_object_get_int64(json_object_object_get(o, "units_total"));
    json_object_put(o);
    return c;
}

/* The fleet at t as `unit show --at t` gives it, one unit at a time. */
typedef struct {
    int rel[NUNIT], cust[NUNIT]; /* -1: no release / customer, or not in the field */
} fleet_at;

static void model_at(fixture *f, ct_time t, fleet_at *m)
{
    ct_buf b = CT_BUF_INIT;
    for (int u = 0; u < NUNIT; u++) {
        char serial[16];
        snprintf(serial, sizeof serial, "U%03d", u);
        m->rel[u] = m->cust[u] = -1;
        ct_buf_reset(&b);
        int rc = ct_store_unit_show_json(&b, f->st, serial, NULL, t);
        if (rc == CT_ENOTFOUND) { /* not made yet */
            ct_error_clear();
            continue;
        }
        assert_int_equal(rc, CT_OK);
        json_object *o = json_tokener_parse(b.ptr);
        assert_non_null(o);
        const char *state = json_object_get_string(json_object_object_get(o, "state"));
        const char *rel = json_object_get_string(json_object_object_get(o, "release"));
        const char *cust = json_object_get_string(json_object_object_get(o, "customer"));
        if (strcmp(state, "decommissioned") != 0 && strcmp(state, "replaced") != 0 && rel) {
            m->rel[u] = index_of(versions, NREL, rel);
            m->cust[u] = cust ? index_of(codes, NCUST, cust) : -1;
        }
        json_object_put(o);
    }
    ct_buf_dispose(&b);
}

static void test_affected_at__equals_unit_show(void **state)
{
    fixture *f = *state;
    fleet_at m;
    ct_buf b = CT_BUF_INIT;
    int64_t seen = 0, with_customers = 0, empty = 0;

    for (int i = 0; i < NTIME; i++) {
        model_at(f, f->times[i], &m);
        for (int a = 0; a < NADV; a++) {
            char what[96], ts[32];
            ct_time_format(ts, f->times[i]);
            snprintf(what, sizeof what, "%s at %s", adv_ids[a], ts);
            ct_buf_reset(&b);
            assert_int_equal(ct_store_affected_json_at(&b, f->st, adv_ids[a], f->times[i]),
                             CT_OK);
            counts got = parse_answer(b.ptr, what), want;
            memset(&want, 0, sizeof want);
            for (int u = 0; u < NUNIT; u++) {
                if (m.rel[u] < 0 || !got.listed[m.rel[u]])
                    continue;
                want.rel[m.rel[u]]++;
                want.total++;
                if (m.cust[u] >= 0)
                    want.cust[m.cust[u]]++;
            }
            for (int r = 0; r < NREL; r++)
                if (got.rel[r] != want.rel[r])
                    fail_msg("%s: release %s: %lld units, unit show gives %lld", what,
                             versions[r], (long long)got.rel[r], (long long)want.rel[r]);
            for (int c = 0; c < NCUST; c++)
                if (got.cust[c] != want.cust[c])
                    fail_msg("%s: customer %s: %lld units, unit show gives %lld", what,
                             codes[c], (long long)got.cust[c], (long long)want.cust[c]);
            if (got.total != want.total)
                fail_msg("%s: units_total %lld, unit show gives %lld", what,
                         (long long)got.total, (long long)want.total);
            seen += got.total;
            empty += got.total == 0;
            for (int c = 0; c < NCUST; c++)
                with_customers += got.cust[c] > 0;
        }
    }
    print_message("%d answers: %lld units, %lld empty, %lld (answer, customer) counts\n",
                  NTIME * NADV, (long long)seen, (long long)empty, (long long)with_customers);
    /* the checks compared real fleets: most answers have units, spread over customers */
    assert_true(seen > NTIME * NADV * 10);
    assert_true(empty < NTIME * NADV / 4);
    assert_true(with_customers > NTIME * NADV);
    ct_buf_dispose(&b);
}

/* The advisory affects releases 1.0 and 1.1 only: the listed releases, whatever the time. */
static void test_affected_at__releases_of_advisory(void **state)
{
    fixture *f = *state;
    ct_buf b = CT_BUF_INIT;
    assert_int_equal(ct_store_affected_json_at(&b, f->st, adv_ids[0], f->times[0]), CT_OK);
    counts c = parse_answer(b.ptr, adv_ids[0]);
    assert_true(c.listed[0] && c.listed[1] && !c.listed[2] && !c.listed[3] && !c.listed[4]);
    ct_buf_dispose(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_affected_at__equals_unit_show, setup, teardown),
        cmocka_unit_test_setup_teardown(test_affected_at__releases_of_advisory, setup, teardown),
    };
    if (!ct_test_backend_available()) {
        printf("skipped: CT_TEST_PG_DSN not set\n");
        return CT_TEST_SKIP;
    }
    return cmocka_run_group_tests_name(ct_test_backend(), tests, NULL, NULL);
}

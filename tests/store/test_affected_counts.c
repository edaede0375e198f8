/* Unit tests for the units-per-(release, customer) cache behind `affected` (migration 0013,
 * src/store/queries.c): the counts equal a direct computation from the fleet the test built,
 * and equal the history-based answer (`--at` a time after every change, read from unit_span),
 * before and after fleet changes made by unit registration, by unit events, inside a
 * transaction that is rolled back, and from a second connection. A stale cache must never be
 * served. CT_TEST_USES_STORE: runs on SQLite and PostgreSQL. */
#include "ct_test.h"

#include "cratrace/fleet.h"
#include "cratrace/store.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#define T(y, m, d) ct_time_from_civil(y, m, d, 0, 0, 0)
#define NREL 4
#define NCUST 5
#define NUNIT 240

static const char sbom_json[] =
    "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"serialNumber\":\"urn:uuid:1\","
    "\"components\":[{\"type\":\"library\",\"name\":\"lodash\",\"version\":\"%s\","
    "\"purl\":\"pkg:npm/lodash@%s\"}]}";

static const char *const states[] = { "in_stock", "shipped", "in_service", "in_rma",
                                      "replaced", "decommissioned" };
static const char *const codes[NCUST] = { "C0", "C1", "C2", "C3", "C4" };

/* The fleet as the test registered it: what a direct count must give. */
typedef struct {
    ct_ctx *ctx;
    ct_store *st;
    char *dsn;
    int64_t product, rel[NREL], cust[NCUST];
    struct {
        int rel;  /* index into rel, -1: none */
        int cust; /* index into cust, -1: none */
        int state;
    } unit[NUNIT];
    uint64_t rng;
} fixture;

static uint32_t rnd(fixture *f, uint32_t below)
{
    f->rng = f->rng * 6364136223846793005u + 1442695040888963407u;
    return (uint32_t)(f->rng >> 33) % below;
}

static void register_unit(fixture *f, ct_store *st, size_t i)
{
    char serial[16];
    snprintf(serial, sizeof serial, "S%03zu", i);
    assert_int_equal(ct_store_unit_upsert(NULL, st, f->product, serial, "rev1",
                                          f->unit[i].rel < 0 ? 0 : f->rel[f->unit[i].rel],
                                          f->unit[i].cust < 0 ? 0 : f->cust[f->unit[i].cust],
                                          T(2024, 1, 1), states[f->unit[i].state]),
                     CT_OK);
}

static void randomize_unit(fixture *f, size_t i)
{
    f->unit[i].rel = (int)rnd(f, NREL + 1) - 1;
    f->unit[i].cust = (int)rnd(f, NCUST + 1) - 1;
    f->unit[i].state = (int)rnd(f, CT_NELEM(states));
}

static int setup(void **state)
{
    fixture *f = ct_calloc(1, sizeof *f);
    char sbom[512], ver[16], name[16];
    f->ctx = ct_test_ctx();
    f->dsn = ct_test_fresh_dsn();
    assert_int_equal(ct_store_open(&f->st, f->ctx, f->dsn), CT_OK);
    f->rng = 42;
    assert_int_equal(ct_store_product_add(&f->product, f->st, "gw", "Vendor", NULL, CT_TIME_NONE),
                     CT_OK);
    /* releases 0..2 carry lodash 4.17.1x (affected by <4.17.21), release 3 carries 4.17.21 */
    for (int r = 0; r < NREL; r++) {
        ct_sbom *s = NULL;
        snprintf(ver, sizeof ver, "4.17.%d", r == NREL - 1 ? 21 : 10 + r);
        snprintf(sbom, sizeof sbom, sbom_json, ver, ver);
        snprintf(name, sizeof name, "1.%d", r);
        assert_int_equal(ct_sbom_parse(&s, f->ctx, sbom, strlen(sbom), "sbom.json"), CT_OK);
        assert_int_equal(ct_store_release_add(&f->rel[r], f->st, f->product, name,
                                              T(2024, 1, 1 + r), s, NULL, NULL),
                         CT_OK);
        ct_sbom_free(s);
    }
    for (int c = 0; c < NCUST; c++)
        assert_int_equal(ct_store_customer_upsert(&f->cust[c], f->st, codes[c], codes[c], NULL,
                                                  NULL, NULL),
                         CT_OK);
    for (size_t i = 0; i < NUNIT; i++) {
        randomize_unit(f, i);
        register_unit(f, f->st, i);
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
    ct_free(f);
    return 0;
}

static void put_advisory(fixture *f, ct_store *st)
{
    ct_affected_range r = { "npm", "lodash", "npm/lodash", "npm", "ECOSYSTEM",
                            (char *)"vers:npm/<4.17.21" };
    ct_advisory adv;
    ct_advisory_put_result res;
    (void)f;
    memset(&adv, 0, sizeof adv);
    adv.id = (char *)"GHSA-aaaa-bbbb-cccc";
    adv.source = "osv";
    adv.modified = T(2024, 6, 1);
    adv.published = T(2024, 5, 1);
    adv.withdrawn = CT_TIME_NONE;
    adv.ranges = &r;
    adv.nranges = 1;
    assert_int_equal(ct_store_advisory_put(&res, st, &adv, NULL), CT_OK);
}

/* The counts of an answer: per release version, per customer code, total. */
typedef struct {
    int64_t rel[NREL], cust[NCUST], total;
} counts;

static int index_of(const char *const *names, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], s) == 0)
            return (int)i;
    fail_msg("unexpected name '%s' in the answer", s);
    return -1;
}

static counts parse_answer(const char *text)
{
    static const char *const versions[NREL] = { "1.0", "1.1", "1.2", "1.3" };
    counts c;
    json_object *o = json_tokener_parse(text), *a;
    memset(&c, 0, sizeof c);
    if (!o)
        fail_msg("not JSON: %s", text);
    a = json_object_object_get(o, "releases");
    for (size_t i = 0; i < json_object_array_length(a); i++) {
        json_object *r = json_object_array_get_idx(a, i);
        int k = index_of(versions, NREL, json_object_get_string(json_object_object_get(r, "release")));
        c.rel[k] = json_object_get_int64(json_object_object_get(r, "units"));
    }
    a = json_object_object_get(o, "customers");
    for (size_t i = 0; i < json_object_array_length(a); i++) {
        json_object *r = json_object_array_get_idx(a, i);
        int k = index_of(codes, NCUST, json_object_get_string(json_object_object_get(r, "id")));
        c.cust[k] = json_object_get_int64(json_object_object_get(r, "units"));
        /* listed customers have units: a zero row would be a stale or wrong cache row */
        assert_true(c.cust[k] > 0);
    }
    c.total = json_object_get_int64(json_object_object_get(o, "units_total"));
    json_object_put(o);
    return c;
}

/* Units the test registered that are in the field on an affected release (0..2). */
static counts direct(const fixture *f)
{
    counts c;
    memset(&c, 0, sizeof c);
    for (size_t i = 0; i < NUNIT; i++) {
        int r = f->unit[i].rel, s = f->unit[i].state;
        if (r < 0 || r == NREL - 1 || strcmp(states[s], "replaced") == 0 ||
            strcmp(states[s], "decommissioned") == 0)
            continue;
        c.rel[r]++;
        c.total++;
        if (f->unit[i].cust >= 0)
            c.cust[f->unit[i].cust]++;
    }
    return c;
}

static void assert_counts_equal(const char *what, counts got, counts want)
{
    for (int r = 0; r < NREL; r++)
        if (got.rel[r] != want.rel[r])
            fail_msg("%s: release %d: %lld units, expected %lld (total %lld)", what, r,
                     (long long)got.rel[r], (long long)want.rel[r], (long long)got.total);
    for (int c = 0; c < NCUST; c++)
        if (got.cust[c] != want.cust[c])
            fail_msg("%s: customer %s: %lld units, expected %lld", what, codes[c],
                     (long long)got.cust[c], (long long)want.cust[c]);
    if (got.total != want.total)
        fail_msg("%s: units_total %lld, expected %lld", what, (long long)got.total,
                 (long long)want.total);
}

static counts answer_now(ct_store *st)
{
    ct_buf b = CT_BUF_INIT;
    assert_int_equal(ct_store_affected_json(&b, st, "GHSA-aaaa-bbbb-cccc"), CT_OK);
    counts c = parse_answer(b.ptr);
    ct_buf_dispose(&b);
    return c;
}

/* From unit_span directly, at a time after every change the tests make. */
static counts answer_history(ct_store *st)
{
    ct_buf b = CT_BUF_INIT;
    assert_int_equal(ct_store_affected_json_at(&b, st, "GHSA-aaaa-bbbb-cccc", T(2030, 1, 1)),
                     CT_OK);
    counts c = parse_answer(b.ptr);
    ct_buf_dispose(&b);
    return c;
}

static void check(fixture *f, ct_store *st, const char *what)
{
    counts want = direct(f);
    assert_true(want.total > 0); /* the random fleet has affected units */
    assert_counts_equal(what, answer_now(st), want);
    assert_counts_equal(what, answer_history(st), want);
}

static void test_affected_counts__registration_changes(void **state)
{
    fixture *f = *state;
    put_advisory(f, f->st);
    check(f, f->st, "first answer");
    check(f, f->st, "second answer (cache current)");
    /* every round re-registers some units with another release, customer or state */
    for (int round = 0; round < 6; round++) {
        char what[64];
        for (int k = 0; k < 25; k++) {
            size_t i = rnd(f, NUNIT);
            randomize_unit(f, i);
            register_unit(f, f->st, i);
        }
        snprintf(what, sizeof what, "after re-registration round %d", round);
        check(f, f->st, what);
    }
    /* one unit changes state only: the smallest change must be seen */
    for (size_t i = 0; i < NUNIT; i++) {
        if (f->unit[i].rel < 0 || f->unit[i].rel == NREL - 1 || f->unit[i].state > 3)
            continue;
        f->unit[i].state = 5; /* decommissioned */
        register_unit(f, f->st, i);
        break;
    }
    check(f, f->st, "after one unit was decommissioned");
    /* a new unit */
    assert_int_equal(ct_store_unit_upsert(NULL, f->st, f->product, "NEW1", NULL, f->rel[0],
                                          f->cust[2], T(2024, 2, 1), "in_service"),
                     CT_OK);
    counts want = direct(f);
    want.rel[0]++;
    want.cust[2]++;
    want.total++;
    assert_counts_equal("after a new unit", answer_now(f->st), want);
}

static void test_affected_counts__events_change_current_release(void **state)
{
    fixture *f = *state;
    put_advisory(f, f->st);
    check(f, f->st, "before events");
    /* update events move units in the field from release 3 (not affected) to release 0; the
     * history rebuilt from them rewrites their unit_span rows */
    int moved = 0;
    for (size_t i = 0; i < NUNIT && moved < 10; i++) {
        char serial[16];
        int64_t unit_id = 0;
        bool added = false;
        if (f->unit[i].rel != NREL - 1 || f->unit[i].state > 3)
            continue;
        snprintf(serial, sizeof serial, "S%03zu", i);
        assert_int_equal(ct_store_unit_find(&unit_id, f->st, f->product, serial), CT_OK);
        assert_int_equal(ct_store_unit_event_add(&added, f->st, unit_id, f->product,
                                                 T(2024, 3, 1), "update", f->rel[NREL - 1],
                                                 f->rel[0], NULL),
                         CT_OK);
        assert_true(added);
        /* the unit's history (unit_span) follows its events */
        assert_int_equal(ct_fleet_rebuild_unit(f->st, unit_id), CT_OK);
        moved++;
    }
    assert_true(moved > 0);
    counts now = answer_now(f->st), hist = answer_history(f->st), before = direct(f);
    assert_counts_equal("after update events: cache vs unit_span", now, hist);
    /* the moved units are now counted on release 0 */
    assert_int_equal(now.rel[0], before.rel[0] + moved);
    assert_int_equal(now.total, before.total + moved);
}

static void test_affected_counts__rolled_back_change(void **state)
{
    fixture *f = *state;
    put_advisory(f, f->st);
    check(f, f->st, "before the transaction");
    counts before = direct(f);
    assert_int_equal(ct_store_begin(f->st), CT_OK);
    for (size_t i = 0; i < NUNIT; i++) {
        if (f->unit[i].rel >= 0 && f->unit[i].rel < NREL - 1 && f->unit[i].state <= 3) {
            f->unit[i].state = 4; /* replaced */
            register_unit(f, f->st, i);
        }
    }
    /* inside the transaction: the change is seen (the cache is recomputed inside it) */
    counts inside = answer_now(f->st);
    assert_int_equal(inside.total, 0);
    ct_store_rollback(f->st);
    /* after the rollback: the old fleet again, not the counts computed inside */
    assert_counts_equal("after rollback", answer_now(f->st), before);
    assert_counts_equal("after rollback (unit_span)", answer_history(f->st), before);
}

static void test_affected_counts__second_connection_changes(void **state)
{
    fixture *f = *state;
    ct_store *other = NULL;
    put_advisory(f, f->st);
    check(f, f->st, "before");
    assert_int_equal(ct_store_open(&other, f->ctx, f->dsn), CT_OK);
    for (int k = 0; k < 40; k++) {
        size_t i = rnd(f, NUNIT);
        randomize_unit(f, i);
        register_unit(f, other, i);
    }
    /* the first connection computed the cache before; it must not serve it now */
    check(f, f->st, "first connection after the second changed the fleet");
    check(f, other, "second connection");
    ct_store_close(other);
}

int main(void)
{
#define TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        TEST(test_affected_counts__registration_changes),
        TEST(test_affected_counts__events_change_current_release),
        TEST(test_affected_counts__rolled_back_change),
        TEST(test_affected_counts__second_connection_changes),
    };
#undef TEST
    if (!ct_test_backend_available()) {
        printf("skipped: CT_TEST_PG_DSN not set\n");
        return CT_TEST_SKIP;
    }
    return cmocka_run_group_tests_name(ct_test_backend(), tests, NULL, NULL);
}

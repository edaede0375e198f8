/* Unit tests for src/store: migrations, products and releases, incremental matching in both
 * directions, advisory replacement and withdrawal, the affected/findings answers, transactions
 * and hostile strings. CT_TEST_USES_STORE: runs on SQLite and PostgreSQL. */
#include "ct_store_fixture.h"

#include "cratrace/store.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

typedef ct_store_fixture fixture;

/* ---- helpers --------------------------------------------------------------------------- */

static const char sbom_json[] =
    "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"serialNumber\":\"urn:uuid:1\","
    "\"components\":["
    "{\"type\":\"library\",\"name\":\"lodash\",\"version\":\"4.17.20\","
    "\"purl\":\"pkg:npm/lodash@4.17.20\"},"
    "{\"type\":\"library\",\"name\":\"django\",\"version\":\"4.1\",\"purl\":\"pkg:pypi/Django@4.1\"},"
    "{\"type\":\"library\",\"name\":\"nopurl\",\"version\":\"1.0\"}],"
    "\"dependencies\":[{\"ref\":\"a\",\"dependsOn\":[\"b\"]}]}";

static ct_sbom *test_sbom(const ct_ctx *ctx)
{
    ct_sbom *s = NULL;
    assert_int_equal(ct_sbom_parse(&s, ctx, sbom_json, strlen(sbom_json), "sbom.json"), CT_OK);
    return s;
}

static int64_t add_product(fixture *f, const char *name)
{
    int64_t id = 0;
    assert_int_equal(ct_store_product_add(&id, f->st, name, "Vendor", NULL, CT_TIME_NONE), CT_OK);
    assert_true(id > 0);
    return id;
}

static int64_t add_release(fixture *f, int64_t product, const char *version, ct_time released,
                           ct_match_stats *stats)
{
    ct_sbom *s = test_sbom(f->ctx);
    int64_t id = 0;
    assert_int_equal(ct_store_release_add(&id, f->st, product, version, released, s, NULL, stats),
                     CT_OK);
    ct_sbom_free(s);
    assert_true(id > 0);
    return id;
}

/* An advisory for npm/lodash with one range; alias optional; withdrawn CT_TIME_NONE = no. */
static int put_advisory(fixture *f, ct_advisory_put_result *res, const char *id,
                        const char *vers, const char *alias, ct_time modified, ct_time withdrawn,
                        ct_match_stats *stats)
{
    ct_affected_range r = { "npm", "lodash", "npm/lodash", "npm", "ECOSYSTEM", NULL };
    char *aliases[1];
    ct_advisory adv;

    r.vers = (char *)vers;
    memset(&adv, 0, sizeof adv);
    adv.id = (char *)id;
    adv.source = "osv";
    adv.summary = "Prototype pollution";
    adv.severity = "HIGH";
    adv.published = ct_time_from_civil(2024, 1, 1, 0, 0, 0);
    adv.modified = modified;
    adv.withdrawn = withdrawn;
    if (alias) {
        aliases[0] = (char *)alias;
        adv.aliases = aliases;
        adv.naliases = 1;
    }
    adv.ranges = &r;
    adv.nranges = 1;
    return ct_store_advisory_put(res, f->st, &adv, stats);
}

static char *findings(fixture *f, const char *product, const char *state)
{
    ct_buf b = CT_BUF_INIT;
    assert_int_equal(ct_store_findings_json(&b, f->st, product, state), CT_OK);
    return ct_buf_detach(&b);
}

/* The findings (of product and state when not NULL) as `findings --json` gives them are want. */
static void expect_findings(fixture *f, const char *product, const char *state, const char *want)
{
    char *got = findings(f, product, state);
    assert_string_equal(got, want);
    ct_free(got);
}

static int64_t count(fixture *f, const char *what)
{
    ct_buf b = CT_BUF_INIT;
    json_object *root, *counts;
    int64_t v;
    assert_int_equal(ct_store_summary_json(&b, f->st), CT_OK);
    root = json_tokener_parse(b.ptr);
    assert_non_null(root);
    assert_true(json_object_object_get_ex(root, "counts", &counts));
    assert_true(json_object_object_get_ex(counts, what, NULL));
    v = json_object_get_int64(json_object_object_get(counts, what));
    json_object_put(root);
    ct_buf_dispose(&b);
    return v;
}

#define T(y, m, d) ct_time_from_civil(y, m, d, 0, 0, 0)

static const char finding_1_0[] =
    "{\"product\":\"gw\",\"release\":\"1.0\",\"purl\":\"pkg:npm/lodash@4.17.20\","
    "\"component\":\"lodash\",\"version\":\"4.17.20\",\"advisory\":\"GHSA-1\","
    "\"aliases\":[\"CVE-2024-1\"],\"severity\":\"HIGH\",\"severity_source\":\"advisory\","
    "\"cvss\":null,\"cvss_score\":null,\"kev\":null,\"epss\":null,\"epss_percentile\":null,"
    "\"state\":\"in_triage\","
    "\"rule\":\"pkg_key+vers:npm\",\"range\":\"vers:npm/<4.17.21\","
    "\"severity_record\":{\"id\":\"GHSA-1\",\"source\":\"osv\"},\"justification\":null,"
    "\"triage\":null,\"records\":[{\"advisory\":\"GHSA-1\",\"source\":\"osv\",\"origin\":null,"
    "\"range\":\"vers:npm/<4.17.21\",\"rule\":\"pkg_key+vers:npm\"}]}";

/* ---- migrations ------------------------------------------------------------------------ */

static void test_store_migrate__idempotent(void **state)
{
    fixture local = { ct_test_ctx(), NULL, NULL }, *f = &local;
    char *dsn = ct_test_fresh_dsn();
    ct_store *a = NULL, *b = NULL;
    int applied = -1;
    int64_t id = 0, id2 = 0;

    assert_int_equal(ct_store_open(&a, f->ctx, dsn), CT_OK);
    assert_string_equal(ct_store_backend(a), ct_test_backend());
    assert_ptr_equal(ct_store_ctx(a), f->ctx);
    assert_int_equal(ct_store_migrate(a, &applied), CT_OK);
    assert_int_equal(applied, 0);
    assert_int_equal(ct_store_product_add(&id, a, "persisted", NULL, NULL, CT_TIME_NONE), CT_OK);
    ct_store_close(a);

    /* open the same database again: nothing left to apply, data still there */
    assert_int_equal(ct_store_open(&b, f->ctx, dsn), CT_OK);
    applied = -1;
    assert_int_equal(ct_store_migrate(b, &applied), CT_OK);
    assert_int_equal(applied, 0);
    assert_int_equal(ct_store_migrate(b, NULL), CT_OK);
    assert_int_equal(ct_store_product_find(&id2, b, "persisted"), CT_OK);
    assert_int_equal(id2, id);
    ct_store_close(b);
    ct_free(dsn);

    a = NULL;
    assert_int_equal(ct_store_open(&a, f->ctx, ""), CT_EINVAL);
    assert_null(a);
    ct_ctx_free(local.ctx);
    (void)state;
}

/* ---- products and releases ------------------------------------------------------------- */

static void test_store_product_add__duplicate_is_eexists(void **state)
{
    fixture *f = *state;
    int64_t id = add_product(f, "gw"), again = 0, found = 0;

    assert_int_equal(ct_store_product_add(&again, f->st, "gw", NULL, NULL, CT_TIME_NONE),
                     CT_EEXISTS);
    assert_int_equal(ct_error_last()->code, CT_EEXISTS);
    assert_non_null(strstr(ct_error_last()->message, "'gw'"));
    assert_int_equal(ct_store_product_find(&found, f->st, "gw"), CT_OK);
    assert_int_equal(found, id);
    assert_int_equal(ct_store_product_find(&found, f->st, "GW"), CT_ENOTFOUND);
    assert_int_equal(count(f, "products"), 1);

    /* the store keeps working after the constraint violation */
    add_product(f, "gw2");
    assert_int_equal(count(f, "products"), 2);

    /* release duplicates too */
    int64_t r = 0, r2 = 0;
    assert_int_equal(ct_store_release_add(&r, f->st, id, "1.0", CT_TIME_NONE, NULL, NULL, NULL),
                     CT_OK);
    assert_int_equal(ct_store_release_add(&r2, f->st, id, "1.0", CT_TIME_NONE, NULL, NULL, NULL),
                     CT_EEXISTS);
    assert_int_equal(ct_store_release_find(&r2, f->st, id, "1.0"), CT_OK);
    assert_int_equal(r2, r);
    assert_int_equal(ct_store_release_find(&r2, f->st, id, "2.0"), CT_ENOTFOUND);
}

static void test_store_products_json__shape(void **state)
{
    fixture *f = *state;
    ct_buf b = CT_BUF_INIT;
    int64_t id;
    assert_int_equal(ct_store_product_add(&id, f->st, "b-router", "", "class-i",
                                          ct_time_from_civil(2030, 6, 30, 12, 0, 0)),
                     CT_OK);
    assert_int_equal(ct_store_product_add(&id, f->st, "a-cam", "Cams Ltd", NULL, CT_TIME_NONE),
                     CT_OK);
    add_release(f, id, "1.0", CT_TIME_NONE, NULL);
    assert_int_equal(ct_store_products_json(&b, f->st), CT_OK);
    assert_string_equal(b.ptr,
                        "[{\"name\":\"a-cam\",\"vendor\":\"Cams Ltd\",\"category\":\"default\","
                        "\"support_until\":null,\"releases\":1,\"units\":0},"
                        "{\"name\":\"b-router\",\"vendor\":null,\"category\":\"class-i\","
                        "\"support_until\":\"2030-06-30\",\"releases\":0,\"units\":0}]");
    ct_buf_dispose(&b);
    assert_int_equal(count(f, "components"), 3);
}

/* ---- matching -------------------------------------------------------------------------- */

static void test_store_advisory_put__matches_existing_release(void **state)
{
    fixture *f = *state;
    ct_advisory_put_result res = CT_ADV_UNCHANGED;
    ct_match_stats ms = { 0, 0, 0 };
    int64_t gw = add_product(f, "gw");
    add_release(f, gw, "1.0", T(2024, 1, 10), NULL);

    expect_findings(f, NULL, NULL, "[]");

    assert_int_equal(put_advisory(f, &res, "GHSA-1", "vers:npm/<4.17.21", "CVE-2024-1",
                                  T(2024, 2, 1), CT_TIME_NONE, &ms),
                     CT_OK);
    assert_int_equal(res, CT_ADV_INSERTED);
    assert_int_equal(ms.candidates, 1);
    assert_int_equal(ms.findings, 1);
    assert_int_equal(ms.unmatchable, 0);

    ct_buf want = CT_BUF_INIT;
    ct_buf_printf(&want, "[%s]", finding_1_0);
    expect_findings(f, NULL, NULL, want.ptr);

    /* filters */
    expect_findings(f, "gw", "in_triage", want.ptr);
    expect_findings(f, "other", NULL, "[]");
    expect_findings(f, NULL, "fixed", "[]");
    ct_buf_dispose(&want);
    assert_int_equal(count(f, "findings"), 1);
}

static void test_store_release_add__matches_existing_advisory(void **state)
{
    fixture *f = *state;
    ct_advisory_put_result res;
    ct_match_stats ms = { 0, 0, 0 };

    assert_int_equal(put_advisory(f, &res, "GHSA-1", "vers:npm/<4.17.21", "CVE-2024-1",
                                  T(2024, 2, 1), CT_TIME_NONE, &ms),
                     CT_OK);
    assert_int_equal(res, CT_ADV_INSERTED);
    assert_int_equal(ms.findings, 0);
    assert_int_equal(count(f, "findings"), 0);

    int64_t gw = add_product(f, "gw");
    add_release(f, gw, "1.0", T(2024, 1, 10), &ms);
    assert_int_equal(ms.candidates, 1);
    assert_int_equal(ms.findings, 1);

    ct_buf want = CT_BUF_INIT;
    ct_buf_printf(&want, "[%s]", finding_1_0);
    expect_findings(f, NULL, NULL, want.ptr);

    /* recomputing from scratch agrees with the incremental result */
    ct_match_stats all_stats = { 0, 0, 0 };
    assert_int_equal(ct_store_match_all(f->st, &all_stats), CT_OK);
    assert_int_equal(all_stats.findings, 1);
    expect_findings(f, NULL, NULL, want.ptr);
    ct_buf_dispose(&want);
}

static void test_store_advisory_put__newer_replaces_older_is_unchanged(void **state)
{
    fixture *f = *state;
    ct_advisory_put_result res;
    int64_t gw = add_product(f, "gw");
    add_release(f, gw, "1.0", T(2024, 1, 10), NULL);

    assert_int_equal(put_advisory(f, &res, "GHSA-1", "vers:npm/<4.17.21", "CVE-2024-1",
                                  T(2024, 2, 1), CT_TIME_NONE, NULL),
                     CT_OK);
    assert_int_equal(count(f, "findings"), 1);

    /* same modified: unchanged, even with different content */
    assert_int_equal(put_advisory(f, &res, "GHSA-1", "vers:npm/<4.17.19", NULL, T(2024, 2, 1),
                                  CT_TIME_NONE, NULL),
                     CT_OK);
    assert_int_equal(res, CT_ADV_UNCHANGED);
    assert_int_equal(count(f, "findings"), 1);
    /* older modified: unchanged */
    assert_int_equal(put_advisory(f, &res, "GHSA-1", "vers:npm/<4.17.19", NULL, T(2023, 1, 1),
                                  CT_TIME_NONE, NULL),
                     CT_OK);
    assert_int_equal(res, CT_ADV_UNCHANGED);
    char *all = findings(f, NULL, NULL);
    assert_non_null(strstr(all, "\"range\":\"vers:npm/<4.17.21\""));
    assert_non_null(strstr(all, "\"aliases\":[\"CVE-2024-1\"]"));
    ct_free(all);

    /* newer: the range now excludes 4.17.20, so the finding goes away */
    assert_int_equal(put_advisory(f, &res, "GHSA-1", "vers:npm/<4.17.19", "CVE-2024-1b",
                                  T(2024, 3, 1), CT_TIME_NONE, NULL),
                     CT_OK);
    assert_int_equal(res, CT_ADV_UPDATED);
    assert_int_equal(count(f, "findings"), 0);
    assert_int_equal(count(f, "advisories"), 1);
    expect_findings(f, NULL, NULL, "[]");

    /* newer again, range includes it again: the finding comes back with the new range */
    assert_int_equal(put_advisory(f, &res, "GHSA-1", "vers:npm/>=4.0.0|<4.17.22", "CVE-2024-1",
                                  T(2024, 4, 1), CT_TIME_NONE, NULL),
                     CT_OK);
    assert_int_equal(res, CT_ADV_UPDATED);
    all = findings(f, NULL, NULL);
    assert_non_null(strstr(all, "\"range\":\"vers:npm/>=4.0.0|<4.17.22\""));
    assert_non_null(strstr(all, "\"aliases\":[\"CVE-2024-1\"]"));
    ct_free(all);
    assert_int_equal(count(f, "findings"), 1);

    /* the old alias was replaced, not accumulated */
    ct_buf b = CT_BUF_INIT;
    assert_int_equal(ct_store_affected_json(&b, f->st, "CVE-2024-1b"), CT_ENOTFOUND);
    ct_buf_dispose(&b);
}

static void test_store_advisory_put__withdrawn_retracts(void **state)
{
    fixture *f = *state;
    ct_advisory_put_result res;
    ct_buf b = CT_BUF_INIT;
    int64_t gw = add_product(f, "gw");
    add_release(f, gw, "1.0", T(2024, 1, 10), NULL);

    assert_int_equal(put_advisory(f, &res, "GHSA-1", "vers:npm/<4.17.21", "CVE-2024-1",
                                  T(2024, 2, 1), CT_TIME_NONE, NULL),
                     CT_OK);
    assert_int_equal(count(f, "findings"), 1);
    assert_int_equal(put_advisory(f, &res, "GHSA-1", "vers:npm/<4.17.21", "CVE-2024-1",
                                  T(2024, 3, 1), T(2024, 3, 1), NULL),
                     CT_OK);
    assert_int_equal(res, CT_ADV_UPDATED);
    assert_int_equal(count(f, "findings"), 0);

    /* the record stays, marked withdrawn, with nothing affected */
    assert_int_equal(ct_store_affected_json(&b, f->st, "GHSA-1"), CT_OK);
    ct_test_json_has(b.ptr,
                     "{\"advisory\":\"GHSA-1\",\"source\":\"osv\",\"summary\":\"Prototype "
                     "pollution\",\"severity\":\"HIGH\",\"published\":\"2024-01-01T00:00:00Z\","
                     "\"modified\":\"2024-03-01T00:00:00Z\",\"withdrawn\":"
                     "\"2024-03-01T00:00:00Z\",\"aliases\":[\"CVE-2024-1\"],\"releases\":[],"
                     "\"units_total\":0,\"customers\":[]}");
    ct_buf_dispose(&b);

    /* a release added later does not match a withdrawn advisory, nor does match_all */
    add_release(f, gw, "1.1", T(2024, 4, 1), NULL);
    assert_int_equal(count(f, "findings"), 0);
    assert_int_equal(ct_store_match_all(f->st, NULL), CT_OK);
    assert_int_equal(count(f, "findings"), 0);

    /* a withdrawn advisory seen for the first time never matches */
    assert_int_equal(put_advisory(f, &res, "GHSA-2", "vers:npm/<5", NULL, T(2024, 2, 1),
                                  T(2024, 2, 2), NULL),
                     CT_OK);
    assert_int_equal(res, CT_ADV_INSERTED);
    assert_int_equal(count(f, "findings"), 0);
    assert_int_equal(count(f, "advisories"), 2);
}

/* ---- affected answer ------------------------------------------------------------------- */

static void test_store_affected_json__fleet_counts(void **state)
{
    fixture *f = *state;
    ct_advisory_put_result res;
    ct_buf b = CT_BUF_INIT, by_alias = CT_BUF_INIT;
    int64_t gw = add_product(f, "gw"), cam = add_product(f, "cam");
    int64_t r10 = add_release(f, gw, "1.0", T(2024, 1, 10), NULL);
    int64_t r11 = 0, rcam = add_release(f, cam, "3.0", T(2023, 5, 1), NULL);
    int64_t acme, beta, gamma;

    assert_int_equal(ct_store_release_add(&r11, f->st, gw, "1.1", T(2024, 2, 10), NULL, NULL,
                                          NULL),
                     CT_OK);
    assert_int_equal(ct_store_customer_upsert(&acme, f->st, "ACME", "Acme \"Inc\"", "DE", NULL,
                                              NULL),
                     CT_OK);
    assert_int_equal(ct_store_customer_upsert(&beta, f->st, "BETA", "Beta", NULL, NULL, NULL),
                     CT_OK);
    assert_int_equal(ct_store_customer_upsert(&gamma, f->st, "GAMMA", "Gamma", NULL, NULL, NULL),
                     CT_OK);
    /* gw 1.0: 2 x ACME in service, 1 x BETA shipped, 1 x BETA decommissioned, 1 x ACME
     * replaced, 1 without customer in stock; gw 1.1 (not affected): 1 x GAMMA; cam 3.0:
     * 1 x BETA in_rma */
    struct {
        int64_t product;
        const char *serial;
        int64_t release, customer;
        const char *state;
    } units[] = {
        { gw, "G1", r10, acme, "in_service" }, { gw, "G2", r10, acme, NULL },
        { gw, "G3", r10, beta, "shipped" },    { gw, "G4", r10, beta, "decommissioned" },
        { gw, "G5", r10, acme, "replaced" },   { gw, "G6", r10, 0, "in_stock" },
        { gw, "G7", r11, gamma, "in_service" }, { cam, "C1", rcam, beta, "in_rma" },
    };
    for (size_t i = 0; i < CT_NELEM(units); i++)
        assert_int_equal(ct_store_unit_upsert(NULL, f->st, units[i].product, units[i].serial,
                                              "rev1", units[i].release, units[i].customer,
                                              CT_TIME_NONE, units[i].state),
                         CT_OK);
    /* a unit without a release is never affected */
    assert_int_equal(ct_store_unit_upsert(NULL, f->st, gw, "G8", NULL, 0, gamma, CT_TIME_NONE,
                                          NULL),
                     CT_OK);
    assert_int_equal(count(f, "units"), 9);

    assert_int_equal(put_advisory(f, &res, "GHSA-1", "vers:npm/<4.17.21", "CVE-2024-1",
                                  T(2024, 2, 1), CT_TIME_NONE, NULL),
                     CT_OK);
    assert_int_equal(ct_store_affected_json(&b, f->st, "GHSA-1"), CT_OK);
    static const char comp[] = "\"components\":[{\"purl\":\"pkg:npm/lodash@4.17.20\",\"name\":"
                               "\"lodash\",\"version\":\"4.17.20\",\"range\":\"vers:npm/<4.17.21\","
                               "\"rule\":\"pkg_key+vers:npm\",\"state\":\"in_triage\"}]";
    ct_buf want = CT_BUF_INIT;
    ct_buf_printf(&want,
                  "{\"advisory\":\"GHSA-1\",\"source\":\"osv\",\"summary\":\"Prototype pollution\","
                  "\"severity\":\"HIGH\",\"published\":\"2024-01-01T00:00:00Z\",\"modified\":"
                  "\"2024-02-01T00:00:00Z\",\"withdrawn\":null,\"aliases\":[\"CVE-2024-1\"],"
                  "\"releases\":[{\"product\":\"cam\",\"release\":\"3.0\",%s,\"units\":1},"
                  "{\"product\":\"gw\",\"release\":\"1.0\",%s,\"units\":4}],"
                  "\"units_total\":5,\"customers\":["
                  "{\"id\":\"ACME\",\"name\":\"Acme \\\"Inc\\\"\",\"units\":2},"
                  "{\"id\":\"BETA\",\"name\":\"Beta\",\"units\":2}]}",
                  comp, comp);
    ct_test_json_has(b.ptr, want.ptr);

    /* the answer parses as JSON */
    json_object *o = json_tokener_parse(b.ptr);
    assert_non_null(o);
    json_object_put(o);

    /* lookup by alias gives the same answer */
    assert_int_equal(ct_store_affected_json(&by_alias, f->st, "CVE-2024-1"), CT_OK);
    assert_string_equal(by_alias.ptr, b.ptr);

    /* an unknown ID */
    ct_buf_reset(&by_alias);
    assert_int_equal(ct_store_affected_json(&by_alias, f->st, "CVE-0000-0000"), CT_ENOTFOUND);
    assert_non_null(strstr(ct_error_last()->message, "CVE-0000-0000"));

    /* moving a unit to a decommissioned state updates the counts */
    assert_int_equal(ct_store_unit_upsert(NULL, f->st, gw, "G3", "rev1", r10, beta, CT_TIME_NONE,
                                          "decommissioned"),
                     CT_OK);
    ct_buf_reset(&b);
    assert_int_equal(ct_store_affected_json(&b, f->st, "GHSA-1"), CT_OK);
    assert_int_equal(ct_test_aff_units(b.ptr, 0, NULL), 1);
    assert_int_equal(ct_test_aff_units(b.ptr, 1, NULL), 3);
    assert_int_equal(ct_test_aff_units(b.ptr, -1, NULL), 4);
    assert_int_equal(ct_test_aff_units(b.ptr, -1, "ACME"), 2);
    assert_int_equal(ct_test_aff_units(b.ptr, -1, "BETA"), 1);
    assert_int_equal(count(f, "units"), 9);

    ct_buf_dispose(&want);
    ct_buf_dispose(&b);
    ct_buf_dispose(&by_alias);
}

static void test_store_unit_event_add__dedup(void **state)
{
    fixture *f = *state;
    int64_t gw = add_product(f, "gw"), unit = 0;
    bool added = false;
    assert_int_equal(ct_store_unit_upsert(&unit, f->st, gw, "S1", NULL, 0, 0, CT_TIME_NONE,
                                          NULL),
                     CT_OK);
    assert_int_equal(ct_store_unit_event_add(&added, f->st, unit, gw, T(2024, 1, 1), "ship", 0, 0,
                                             NULL),
                     CT_OK);
    assert_true(added);
    assert_int_equal(ct_store_unit_event_add(&added, f->st, unit, gw, T(2024, 1, 1), "ship", 0, 0,
                                             "again"),
                     CT_OK);
    assert_false(added);
    assert_int_equal(ct_store_unit_event_add(&added, f->st, unit, gw, T(2024, 1, 1), "update", 0,
                                             0, NULL),
                     CT_OK);
    assert_true(added);
}

/* ---- transactions ---------------------------------------------------------------------- */

static void test_store_rollback__leaves_nothing(void **state)
{
    fixture *f = *state;
    ct_advisory_put_result res;
    int64_t id = 0, cust = 0;

    assert_int_equal(ct_store_begin(f->st), CT_OK);
    assert_int_equal(ct_store_begin(f->st), CT_OK); /* nested */
    int64_t gw = add_product(f, "gw");
    add_release(f, gw, "1.0", T(2024, 1, 10), NULL);
    assert_int_equal(put_advisory(f, &res, "GHSA-1", "vers:npm/<4.17.21", "CVE-2024-1",
                                  T(2024, 2, 1), CT_TIME_NONE, NULL),
                     CT_OK);
    assert_int_equal(ct_store_customer_upsert(&cust, f->st, "C", "C", NULL, NULL, NULL), CT_OK);
    assert_int_equal(ct_store_unit_upsert(NULL, f->st, gw, "S1", NULL, 0, cust, CT_TIME_NONE,
                                          NULL),
                     CT_OK);
    assert_int_equal(ct_store_commit(f->st), CT_OK); /* inner commit: still open */
    assert_int_equal(count(f, "findings"), 1);
    ct_store_rollback(f->st);

    static const char *const tables[] = { "products",  "releases",   "components", "units",
                                          "customers", "advisories", "findings" };
    for (size_t i = 0; i < CT_NELEM(tables); i++)
        assert_int_equal(count(f, tables[i]), 0);
    assert_int_equal(ct_store_product_find(&id, f->st, "gw"), CT_ENOTFOUND);
    ct_buf b = CT_BUF_INIT;
    assert_int_equal(ct_store_affected_json(&b, f->st, "GHSA-1"), CT_ENOTFOUND);
    ct_buf_dispose(&b);

    /* commit without begin is an error; rollback without begin is harmless */
    assert_int_equal(ct_store_commit(f->st), CT_EINVAL);
    ct_store_rollback(f->st);

    /* committed work stays */
    assert_int_equal(ct_store_begin(f->st), CT_OK);
    add_product(f, "kept");
    assert_int_equal(ct_store_commit(f->st), CT_OK);
    ct_store_rollback(f->st);
    assert_int_equal(count(f, "products"), 1);
}

/* ---- hostile strings ------------------------------------------------------------------- */

static void test_store_product_add__injection_strings_round_trip(void **state)
{
    fixture *f = *state;
    static const char *const names[] = {
        "x'); DROP TABLE product; --",
        "Robert\"); DELETE FROM release WHERE (\"1\"=\"1",
        "$1 ?1 ?2 %s %n \\x00",
        "tab\tnewline\nquote\"back\\slash",
        "\xc3\xa9t\xc3\xa9 \xe2\x82\xac",
    };
    int64_t ids[CT_NELEM(names)];

    for (size_t i = 0; i < CT_NELEM(names); i++) {
        int64_t found = 0, rel = 0, unit = 0, u2 = 0;
        assert_int_equal(ct_store_product_add(&ids[i], f->st, names[i], names[i], NULL,
                                              CT_TIME_NONE),
                         CT_OK);
        assert_int_equal(ct_store_product_find(&found, f->st, names[i]), CT_OK);
        assert_int_equal(found, ids[i]);
        assert_int_equal(ct_store_release_add(&rel, f->st, ids[i], names[i], CT_TIME_NONE, NULL,
                                              NULL, NULL),
                         CT_OK);
        assert_int_equal(ct_store_release_find(&found, f->st, ids[i], names[i]), CT_OK);
        assert_int_equal(found, rel);
        assert_int_equal(ct_store_unit_upsert(&unit, f->st, ids[i], names[i], names[i], rel, 0,
                                              CT_TIME_NONE, NULL),
                         CT_OK);
        assert_int_equal(ct_store_unit_find(&u2, f->st, ids[i], names[i]), CT_OK);
        assert_int_equal(u2, unit);
    }
    assert_int_equal(count(f, "products"), (int64_t)CT_NELEM(names));
    assert_int_equal(count(f, "releases"), (int64_t)CT_NELEM(names));
    assert_int_equal(count(f, "units"), (int64_t)CT_NELEM(names));

    /* the JSON answer escapes them and parses back to the same strings */
    ct_buf b = CT_BUF_INIT;
    assert_int_equal(ct_store_products_json(&b, f->st), CT_OK);
    json_object *arr = json_tokener_parse(b.ptr);
    assert_non_null(arr);
    assert_int_equal(json_object_array_length(arr), CT_NELEM(names));
    for (size_t i = 0; i < CT_NELEM(names); i++) {
        bool seen = false;
        for (size_t k = 0; k < CT_NELEM(names); k++) {
            json_object *p = json_object_array_get_idx(arr, k);
            const char *n = json_object_get_string(json_object_object_get(p, "name"));
            if (strcmp(n, names[i]) == 0) {
                seen = true;
                assert_string_equal(json_object_get_string(json_object_object_get(p, "vendor")),
                                    names[i]);
                assert_int_equal(json_object_get_int(json_object_object_get(p, "units")), 1);
            }
        }
        assert_true(seen);
    }
    json_object_put(arr);
    ct_buf_dispose(&b);

    /* an advisory ID that looks like SQL is just an unknown ID */
    assert_int_equal(ct_store_affected_json(&b, f->st, "' OR '1'='1"), CT_ENOTFOUND);
    ct_buf_dispose(&b);
}

int main(void)
{
#define TEST(fn)                                                                                  \
    cmocka_unit_test_setup_teardown(fn, ct_store_fixture_setup, ct_store_fixture_teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_store_migrate__idempotent), /* opens its own database */
        TEST(test_store_product_add__duplicate_is_eexists),
        TEST(test_store_products_json__shape),
        TEST(test_store_advisory_put__matches_existing_release),
        TEST(test_store_release_add__matches_existing_advisory),
        TEST(test_store_advisory_put__newer_replaces_older_is_unchanged),
        TEST(test_store_advisory_put__withdrawn_retracts),
        TEST(test_store_affected_json__fleet_counts),
        TEST(test_store_unit_event_add__dedup),
        TEST(test_store_rollback__leaves_nothing),
        TEST(test_store_product_add__injection_strings_round_trip),
    };
#undef TEST
    if (!ct_test_backend_available()) {
        printf("skipped: CT_TEST_PG_DSN not set\n");
        return CT_TEST_SKIP;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests for src/fleet/csv.c and src/fleet/import_csv.c: customer, unit and unit-event CSV
 * imports (RFC 4180 quoting, BOM, CRLF, header order), located row errors, all-or-nothing
 * transactions and idempotent re-import. CT_TEST_USES_STORE: runs on SQLite and PostgreSQL. */
#include "ct_store_fixture.h"

#include "cratrace/store.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    ct_ctx *ctx;
    ct_store *st;
    char *dir;
} fixture;

static const char lodash_sbom[] =
    "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":["
    "{\"type\":\"library\",\"name\":\"lodash\",\"version\":\"4.17.20\","
    "\"purl\":\"pkg:npm/lodash@4.17.20\"}]}";

static int setup(void **state)
{
    fixture *f = ct_calloc(1, sizeof *f);
    ct_sbom *sbom = NULL;
    int64_t gw, sensor;
    ct_affected_range r = { "npm", "lodash", "npm/lodash", "npm", "ECOSYSTEM",
                            "vers:npm/<4.17.21" };
    ct_advisory adv;
    ct_advisory_put_result res;

    f->ctx = ct_test_ctx();
    f->st = ct_test_store_open(f->ctx);
    f->dir = ct_test_tmpdir();
    assert_int_equal(ct_sbom_parse(&sbom, f->ctx, lodash_sbom, strlen(lodash_sbom), "sbom"),
                     CT_OK);
    assert_int_equal(ct_store_product_add(&gw, f->st, "gw-100", "ACME Devices", NULL,
                                          CT_TIME_NONE),
                     CT_OK);
    assert_int_equal(ct_store_product_add(&sensor, f->st, "sensor", NULL, NULL, CT_TIME_NONE),
                     CT_OK);
    assert_int_equal(ct_store_release_add(NULL, f->st, gw, "1.0", ct_time_from_civil(2024, 1, 1,
                                                                                    0, 0, 0),
                                          sbom, NULL, NULL),
                     CT_OK);
    assert_int_equal(ct_store_release_add(NULL, f->st, gw, "1.1", ct_time_from_civil(2024, 2, 1,
                                                                                    0, 0, 0),
                                          NULL, NULL, NULL),
                     CT_OK);
    assert_int_equal(ct_store_release_add(NULL, f->st, sensor, "2.0", CT_TIME_NONE, sbom, NULL,
                                          NULL),
                     CT_OK);
    ct_sbom_free(sbom);

    memset(&adv, 0, sizeof adv);
    adv.id = "GHSA-TEST";
    adv.source = "osv";
    adv.published = CT_TIME_NONE;
    adv.modified = ct_time_from_civil(2024, 1, 1, 0, 0, 0);
    adv.withdrawn = CT_TIME_NONE;
    adv.ranges = &r;
    adv.nranges = 1;
    assert_int_equal(ct_store_advisory_put(&res, f->st, &adv, NULL), CT_OK);
    assert_int_equal(res, CT_ADV_INSERTED);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ct_store_close(f->st);
    ct_ctx_free(f->ctx);
    ct_free(f->dir);
    ct_free(f);
    return 0;
}

/* ---- helpers --------------------------------------------------------------------------- */

typedef struct {
    int64_t products, releases, components, units, customers, advisories, findings;
} counts;

static counts get_counts(ct_store *st)
{
    ct_buf b = CT_BUF_INIT;
    counts c;
    json_object *root, *cnt;
    assert_int_equal(ct_store_summary_json(&b, st), CT_OK);
    root = json_tokener_parse(b.ptr);
    assert_non_null(root);
    assert_true(json_object_object_get_ex(root, "counts", &cnt));
#define GET(field)                                                                                \
    c.field = json_object_get_int64(json_object_object_get(cnt, #field))
    GET(products);
    GET(releases);
    GET(components);
    GET(units);
    GET(customers);
    GET(advisories);
    GET(findings);
#undef GET
    json_object_put(root);
    ct_buf_dispose(&b);
    return c;
}

static void assert_counts_equal(counts a, counts b)
{
    assert_int_equal(a.products, b.products);
    assert_int_equal(a.releases, b.releases);
    assert_int_equal(a.components, b.components);
    assert_int_equal(a.units, b.units);
    assert_int_equal(a.customers, b.customers);
    assert_int_equal(a.advisories, b.advisories);
    assert_int_equal(a.findings, b.findings);
}

static char *affected(ct_store *st)
{
    ct_buf b = CT_BUF_INIT;
    assert_int_equal(ct_store_affected_json(&b, st, "GHSA-TEST"), CT_OK);
    return ct_buf_detach(&b);
}

static char *products(ct_store *st)
{
    ct_buf b = CT_BUF_INIT;
    assert_int_equal(ct_store_products_json(&b, st), CT_OK);
    return ct_buf_detach(&b);
}

static char *write_csv(fixture *f, const char *name, const char *text)
{
    return ct_test_write_file(f->dir, name, text);
}

/* Run an import that must fail with CT_EPARSE at line; the store must be unchanged. */
typedef int (*import_fn)(ct_store *, const char *, ct_import_stats *);

static void expect_import_fails(fixture *f, import_fn fn, const char *text, uint32_t line,
                                const char *msg_part)
{
    counts before = get_counts(f->st);
    char *aff_before = affected(f->st), *prod_before = products(f->st);
    char *path = write_csv(f, "bad.csv", text);
    ct_import_stats stats;

    memset(&stats, 0, sizeof stats);
    ct_error_clear();
    assert_int_equal(fn(f->st, path, &stats), CT_EPARSE);
    assert_int_equal(ct_error_last()->code, CT_EPARSE);
    assert_string_equal(ct_error_last()->source, path);
    if (ct_error_last()->line != line)
        fail_msg("error on line %u, expected %u: %s", ct_error_last()->line, line,
                 ct_error_format());
    if (msg_part && !strstr(ct_error_last()->message, msg_part))
        fail_msg("message '%s' lacks '%s'", ct_error_last()->message, msg_part);

    /* nothing changed, and the store still works */
    assert_counts_equal(get_counts(f->st), before);
    char *aff_after = affected(f->st), *prod_after = products(f->st);
    assert_string_equal(aff_after, aff_before);
    assert_string_equal(prod_after, prod_before);
    ct_free(aff_after);
    ct_free(prod_after);
    ct_free(aff_before);
    ct_free(prod_before);
    ct_free(path);
}

static void import_ok(fixture *f, import_fn fn, const char *name, const char *text,
                      ct_import_stats *stats)
{
    char *path = write_csv(f, name, text);
    memset(stats, 0, sizeof *stats);
    if (fn(f->st, path, stats) != CT_OK)
        fail_msg("import %s: %s", name, ct_error_format());
    ct_free(path);
}

static const char customers_csv[] =
    "\xEF\xBB\xBF"
    "code,email,channel,name,country\r\n"
    "ACME,ops@acme.example,email,\"Acme, Inc.\",DE\r\n"
    "\r\n"
    "BETA,,,\"Beta \"\"Best\"\" GmbH\",AT\r\n"
    "GAMMA,\"multi\nline@example\",portal,Gamma,\r\n"
    "\n";

static const char units_csv[] =
    "state,serial,product,release,customer,manufactured,hardware_revision\n"
    "in_service,SN-001,gw-100,1.0,ACME,2024-01-15,revA\n"
    "shipped,SN-002,gw-100,1.0,BETA,2024-01-16T10:00:00+02:00,revA\n"
    "decommissioned,SN-003,gw-100,1.0,ACME,,revB\n"
    "replaced,SN-005,gw-100,1.0,BETA,,revB\n"
    ",SN-004,gw-100,1.1,,,\n"
    "in_stock,SN-001,sensor,2.0,GAMMA,,\n"
    "in_rma,\"SN,006\",gw-100,1.0,,,\n";

static const char affected_after_units[] =
    "{\"advisory\":\"GHSA-TEST\",\"source\":\"osv\",\"summary\":null,\"severity\":null,"
    "\"published\":null,\"modified\":\"2024-01-01T00:00:00Z\",\"withdrawn\":null,"
    "\"aliases\":[],\"releases\":["
    "{\"product\":\"gw-100\",\"release\":\"1.0\",\"components\":[{\"purl\":"
    "\"pkg:npm/lodash@4.17.20\",\"name\":\"lodash\",\"version\":\"4.17.20\",\"range\":"
    "\"vers:npm/<4.17.21\",\"rule\":\"pkg_key+vers:npm\",\"state\":\"in_triage\"}],"
    "\"units\":3},"
    "{\"product\":\"sensor\",\"release\":\"2.0\",\"components\":[{\"purl\":"
    "\"pkg:npm/lodash@4.17.20\",\"name\":\"lodash\",\"version\":\"4.17.20\",\"range\":"
    "\"vers:npm/<4.17.21\",\"rule\":\"pkg_key+vers:npm\",\"state\":\"in_triage\"}],"
    "\"units\":1}],"
    "\"units_total\":4,\"customers\":["
    "{\"id\":\"ACME\",\"name\":\"Acme, Inc.\",\"units\":1},"
    "{\"id\":\"BETA\",\"name\":\"Beta \\\"Best\\\" GmbH\",\"units\":1},"
    "{\"id\":\"GAMMA\",\"name\":\"Gamma\",\"units\":1}]}";

static void load_customers_and_units(fixture *f)
{
    ct_import_stats stats;
    import_ok(f, ct_import_customers_csv, "customers.csv", customers_csv, &stats);
    import_ok(f, ct_import_units_csv, "units.csv", units_csv, &stats);
}

/* ---- customers ------------------------------------------------------------------------- */

static void test_import_customers_csv__bom_crlf_quotes_any_order(void **state)
{
    fixture *f = *state;
    ct_import_stats stats;
    int64_t id = 0;

    import_ok(f, ct_import_customers_csv, "customers.csv", customers_csv, &stats);
    assert_int_equal(stats.records, 3);
    assert_int_equal(stats.inserted, 3);
    assert_int_equal(stats.rejected, 0);
    assert_int_equal(get_counts(f->st).customers, 3);
    assert_int_equal(ct_store_customer_find(&id, f->st, "ACME"), CT_OK);
    assert_true(id > 0);
    assert_int_equal(ct_store_customer_find(&id, f->st, "BETA"), CT_OK);
    assert_int_equal(ct_store_customer_find(&id, f->st, "GAMMA"), CT_OK);
    /* the BOM is not part of the first header name ("code" was found) */

    /* names with commas and doubled quotes survive: seen through the affected answer */
    import_ok(f, ct_import_units_csv, "units.csv", units_csv, &stats);
    char *aff = affected(f->st);
    ct_test_json_has(aff, affected_after_units);
    ct_free(aff);

    /* re-import updates in place */
    import_ok(f, ct_import_customers_csv, "c2.csv", "code,name\nACME,Acme Renamed\n", &stats);
    assert_int_equal(get_counts(f->st).customers, 3);
    aff = affected(f->st);
    ct_test_json_has(aff, "{\"customers\":[{\"id\":\"ACME\",\"name\":\"Acme Renamed\",\"units\":1},"
                     "{\"id\":\"BETA\",\"name\":\"Beta \\\"Best\\\" GmbH\",\"units\":1},"
                     "{\"id\":\"GAMMA\",\"name\":\"Gamma\",\"units\":1}]}");
    ct_free(aff);
}

static void test_import_customers_csv__header_case_insensitive_and_minimal(void **state)
{
    fixture *f = *state;
    ct_import_stats stats;
    int64_t id;
    import_ok(f, ct_import_customers_csv, "c.csv", "NAME,Code\nDelta Corp,DELTA", &stats);
    assert_int_equal(stats.records, 1);
    assert_int_equal(ct_store_customer_find(&id, f->st, "DELTA"), CT_OK);

    /* a header only: nothing to import, success */
    import_ok(f, ct_import_customers_csv, "h.csv", "code,name\r\n", &stats);
    assert_int_equal(stats.records, 0);
    assert_int_equal(get_counts(f->st).customers, 1);
}

static void test_import_customers_csv__errors_leave_store_unchanged(void **state)
{
    fixture *f = *state;

    /* wrong column count on line 3 after a good line 2 */
    expect_import_fails(f, ct_import_customers_csv,
                        "code,name,country\nC1,One,DE\nC2,Two\nC3,Three,FR\n", 3,
                        "row has 2 fields, the header has 3");
    expect_import_fails(f, ct_import_customers_csv,
                        "code,name,country\nC1,One,DE\nC2,Two,DE,extra\n", 3, "4 fields");
    /* a quoted field spanning lines shifts the line of the next row */
    expect_import_fails(f, ct_import_customers_csv,
                        "code,name\nC1,\"two\nlines\"\n\nC2\n", 5, NULL);
    /* empty code */
    expect_import_fails(f, ct_import_customers_csv, "code,name\nC1,One\n,Nameless\n", 3,
                        "empty code");
    /* missing required column */
    expect_import_fails(f, ct_import_customers_csv, "code,country\nC1,DE\n", 1, "'name'");
    /* empty file */
    expect_import_fails(f, ct_import_customers_csv, "", 1, "header");
    expect_import_fails(f, ct_import_customers_csv, "\n\r\n\n", 1, "header");
    /* malformed quoting: the column is reported too */
    expect_import_fails(f, ct_import_customers_csv, "code,name\nC1,\"open\n", 2,
                        "unterminated quoted field");
    assert_int_equal(ct_error_last()->column, 4);
    expect_import_fails(f, ct_import_customers_csv, "code,name\nC1,\"Acme\" Inc\n", 2,
                        "after a closing quote");
    assert_int_equal(ct_error_last()->column, 10);
    expect_import_fails(f, ct_import_customers_csv, "code,name\nC1,Ac\"me\n", 2,
                        "quote inside an unquoted field");
    assert_int_equal(ct_error_last()->column, 6);
    assert_int_equal(get_counts(f->st).customers, 0);
}

static void test_import_customers_csv__missing_file(void **state)
{
    fixture *f = *state;
    char *path = write_csv(f, "exists.csv", "code,name\n");
    ct_buf missing = CT_BUF_INIT;
    ct_buf_printf(&missing, "%s/none.csv", f->dir);
    assert_int_equal(ct_import_customers_csv(f->st, missing.ptr, NULL), CT_ENOTFOUND);
    assert_int_equal(ct_import_units_csv(f->st, missing.ptr, NULL), CT_ENOTFOUND);
    assert_int_equal(ct_import_events_csv(f->st, missing.ptr, NULL), CT_ENOTFOUND);
    /* the store is usable afterwards (no transaction left open) */
    assert_int_equal(ct_import_customers_csv(f->st, path, NULL), CT_OK);
    ct_buf_dispose(&missing);
    ct_free(path);
}

/* ---- units ----------------------------------------------------------------------------- */

static void test_import_units_csv__fleet_counts_and_idempotent(void **state)
{
    fixture *f = *state;
    ct_import_stats stats;
    int64_t gw, sensor, u1, u2;

    import_ok(f, ct_import_customers_csv, "customers.csv", customers_csv, &stats);
    import_ok(f, ct_import_units_csv, "units.csv", units_csv, &stats);
    assert_int_equal(stats.records, 7);
    assert_int_equal(get_counts(f->st).units, 7);

    /* same serial under two products is two units */
    assert_int_equal(ct_store_product_find(&gw, f->st, "gw-100"), CT_OK);
    assert_int_equal(ct_store_product_find(&sensor, f->st, "sensor"), CT_OK);
    assert_int_equal(ct_store_unit_find(&u1, f->st, gw, "SN-001"), CT_OK);
    assert_int_equal(ct_store_unit_find(&u2, f->st, sensor, "SN-001"), CT_OK);
    assert_true(u1 != u2);
    assert_int_equal(ct_store_unit_find(&u2, f->st, gw, "SN,006"), CT_OK);

    /* decommissioned and replaced units do not count as affected */
    char *aff = affected(f->st);
    ct_test_json_has(aff, affected_after_units);
    char *prod = products(f->st);
    assert_string_equal(prod, "[{\"name\":\"gw-100\",\"vendor\":\"ACME Devices\",\"category\":"
                              "\"default\",\"support_until\":null,\"releases\":2,\"units\":6},"
                              "{\"name\":\"sensor\",\"vendor\":null,\"category\":\"default\","
                              "\"support_until\":null,\"releases\":1,\"units\":1}]");
    counts before = get_counts(f->st);

    /* importing the same file again changes nothing */
    import_ok(f, ct_import_units_csv, "units.csv", units_csv, &stats);
    assert_int_equal(stats.records, 7);
    assert_counts_equal(get_counts(f->st), before);
    char *aff2 = affected(f->st), *prod2 = products(f->st);
    assert_string_equal(aff2, aff);
    assert_string_equal(prod2, prod);
    assert_int_equal(ct_store_unit_find(&u2, f->st, gw, "SN-001"), CT_OK);
    assert_int_equal(u2, u1); /* same row, not a new one */
    ct_free(aff2);
    ct_free(prod2);

    /* an update moves a unit: SN-001 decommissioned drops out of the affected count */
    import_ok(f, ct_import_units_csv, "u2.csv",
              "serial,product,state,release,customer\nSN-001,gw-100,decommissioned,1.0,ACME\n",
              &stats);
    assert_int_equal(get_counts(f->st).units, 7);
    aff2 = affected(f->st);
    assert_int_equal(ct_test_aff_units(aff2, 0, NULL), 2);
    assert_int_equal(ct_test_aff_units(aff2, 1, NULL), 1);
    assert_int_equal(ct_test_aff_units(aff2, -1, NULL), 3);
    assert_int_equal(ct_test_aff_units(aff2, -1, "ACME"), -1);
    assert_int_equal(ct_test_aff_units(aff2, -1, "BETA"), 1);
    ct_free(aff2);
    ct_free(aff);
    ct_free(prod);
}

static void test_import_units_csv__duplicate_serial_names_second_line(void **state)
{
    fixture *f = *state;
    ct_import_stats stats;
    import_ok(f, ct_import_customers_csv, "customers.csv", customers_csv, &stats);
    expect_import_fails(f, ct_import_units_csv,
                        "serial,product,release\n"
                        "SN-1,gw-100,1.0\n"
                        "SN-2,gw-100,1.0\n"
                        "SN-1,sensor,2.0\n"
                        "\n"
                        "SN-1,gw-100,1.1\n",
                        6, "duplicate serial number 'SN-1'");
    assert_int_equal(get_counts(f->st).units, 0);
}

static void test_import_units_csv__row_errors_roll_back(void **state)
{
    fixture *f = *state;
    /* a first, valid import that the failing imports would otherwise modify */
    load_customers_and_units(f);

    expect_import_fails(f, ct_import_units_csv,
                        "serial,product,release,state\n"
                        "SN-001,gw-100,1.0,decommissioned\n"
                        "SN-100,no-such-product,1.0,in_service\n",
                        3, "unknown product 'no-such-product'");
    expect_import_fails(f, ct_import_units_csv,
                        "serial,product,release,state\n"
                        "SN-001,gw-100,1.0,decommissioned\n"
                        "SN-100,gw-100,9.9,in_service\n",
                        3, "missing release '9.9'");
    /* release 2.0 exists, but for another product */
    expect_import_fails(f, ct_import_units_csv,
                        "serial,product,release\nSN-100,gw-100,2.0\n", 2, "missing release");
    expect_import_fails(f, ct_import_units_csv,
                        "serial,product,release,customer\n"
                        "SN-001,gw-100,1.1,BETA\n"
                        "SN-101,gw-100,1.0,NOBODY\n",
                        3, "unknown customer 'NOBODY'");
    expect_import_fails(f, ct_import_units_csv,
                        "serial,product,state\nSN-001,gw-100,in_stock\nSN-102,gw-100,broken\n", 3,
                        "invalid state 'broken'");
    expect_import_fails(f, ct_import_units_csv,
                        "serial,product,state\nSN-102,gw-100,In_Service\n", 2, "invalid state");
    expect_import_fails(f, ct_import_units_csv,
                        "serial,product,manufactured\n"
                        "SN-001,gw-100,2024-01-01\n"
                        "SN-103,gw-100,2023-02-29\n",
                        3, "invalid manufactured time");
    expect_import_fails(f, ct_import_units_csv,
                        "serial,product,manufactured\nSN-103,gw-100,last tuesday\n", 2,
                        "manufactured");
    expect_import_fails(f, ct_import_units_csv,
                        "serial,product\nSN-001,gw-100\n,gw-100\n", 3, "empty serial");
    expect_import_fails(f, ct_import_units_csv,
                        "serial,product,release\nSN-001,gw-100,1.0\nSN-104,gw-100\n", 3,
                        "row has 2 fields, the header has 3");
    expect_import_fails(f, ct_import_units_csv, "product,release\ngw-100,1.0\n", 1,
                        "'serial'");
}

/* ---- events ---------------------------------------------------------------------------- */

static const char events_csv[] =
    "serial,product,time,kind,from_release,to_release,detail\n"
    "SN-001,gw-100,2024-02-01T00:00:00Z,ship,,,\"shipped to ACME, Berlin\"\n"
    "SN-001,gw-100,2024-03-01T00:00:00Z,update,1.0,1.1,OTA\n"
    "SN-002,gw-100,2024-03-02,rma_open,,,\n";

static void test_import_events_csv__insert_then_unchanged(void **state)
{
    fixture *f = *state;
    ct_import_stats stats;
    load_customers_and_units(f);

    import_ok(f, ct_import_events_csv, "events.csv", events_csv, &stats);
    assert_int_equal(stats.records, 3);
    assert_int_equal(stats.inserted, 3);
    assert_int_equal(stats.unchanged, 0);

    import_ok(f, ct_import_events_csv, "events.csv", events_csv, &stats);
    assert_int_equal(stats.records, 3);
    assert_int_equal(stats.inserted, 0);
    assert_int_equal(stats.unchanged, 3);

    /* the same instant given with an offset is the same event */
    import_ok(f, ct_import_events_csv, "e2.csv",
              "kind,time,product,serial\nship,2024-02-01T02:00:00+02:00,gw-100,SN-001\n"
              "ship,2024-02-01T02:00:00Z,gw-100,SN-001\n",
              &stats);
    assert_int_equal(stats.unchanged, 1);
    assert_int_equal(stats.inserted, 1);
}

static void test_import_events_csv__errors_roll_back(void **state)
{
    fixture *f = *state;
    ct_import_stats stats;
    static const char new_event[] = "serial,product,time,kind\n"
                                    "SN-002,gw-100,2024-05-05T05:05:05Z,rma_close\n";
    load_customers_and_units(f);

    expect_import_fails(f, ct_import_events_csv,
                        "serial,product,time,kind\n"
                        "SN-002,gw-100,2024-05-05T05:05:05Z,rma_close\n"
                        "SN-999,gw-100,2024-05-06,ship\n",
                        3, "unknown unit 'SN-999'");
    expect_import_fails(f, ct_import_events_csv,
                        "serial,product,time,kind\n"
                        "SN-002,gw-100,2024-05-05T05:05:05Z,rma_close\n"
                        "SN-001,gw-100,2024-05-06,explode\n",
                        3, "unknown event kind 'explode'");
    expect_import_fails(f, ct_import_events_csv,
                        "serial,product,time,kind\n"
                        "SN-002,gw-100,2024-05-05T05:05:05Z,rma_close\n"
                        "SN-001,gw-100,2024-05-06T25:00:00Z,ship\n",
                        3, "invalid event time");
    expect_import_fails(f, ct_import_events_csv,
                        "serial,product,time,kind\n"
                        "SN-002,gw-100,2024-05-05T05:05:05Z,rma_close\n"
                        "SN-001,gw-100,,ship\n",
                        3, "no time");
    expect_import_fails(f, ct_import_events_csv,
                        "serial,product,time,kind,to_release\n"
                        "SN-002,gw-100,2024-05-05T05:05:05Z,rma_close,\n"
                        "SN-001,gw-100,2024-05-06,update,7.7\n",
                        3, "missing release '7.7'");
    expect_import_fails(f, ct_import_events_csv,
                        "serial,product,time,kind\n"
                        "SN-002,gw-100,2024-05-05T05:05:05Z,rma_close\n"
                        "SN-001,nope,2024-05-06,ship\n",
                        3, "unknown product 'nope'");
    expect_import_fails(f, ct_import_events_csv, "serial,product,time\nSN-001,gw-100,2024-01-01\n",
                        1, "'kind'");

    /* none of the failed files left their good first row behind */
    import_ok(f, ct_import_events_csv, "new.csv", new_event, &stats);
    assert_int_equal(stats.inserted, 1);
    assert_int_equal(stats.unchanged, 0);
}

static void test_import_units_csv__injection_strings_are_data(void **state)
{
    fixture *f = *state;
    ct_import_stats stats;
    int64_t gw, id;
    import_ok(f, ct_import_customers_csv, "c.csv",
              "code,name\n\"X'); DROP TABLE unit; --\",\"Robert'); DROP TABLE customer;--\"\n",
              &stats);
    import_ok(f, ct_import_units_csv, "u.csv",
              "serial,product,release,customer\n"
              "\"'; DELETE FROM unit WHERE '1'='1\",gw-100,1.0,\"X'); DROP TABLE unit; --\"\n",
              &stats);
    assert_int_equal(ct_store_product_find(&gw, f->st, "gw-100"), CT_OK);
    assert_int_equal(ct_store_unit_find(&id, f->st, gw, "'; DELETE FROM unit WHERE '1'='1"),
                     CT_OK);
    assert_int_equal(get_counts(f->st).units, 1);
    assert_int_equal(get_counts(f->st).customers, 1);
    char *aff = affected(f->st);
    ct_test_json_has(aff, "{\"customers\":[{\"id\":\"X'); DROP TABLE unit; --\",\"name\":"
                     "\"Robert'); DROP TABLE customer;--\",\"units\":1}]}");
    ct_free(aff);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_import_customers_csv__bom_crlf_quotes_any_order,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_import_customers_csv__header_case_insensitive_and_minimal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_customers_csv__errors_leave_store_unchanged,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_customers_csv__missing_file, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_import_units_csv__fleet_counts_and_idempotent,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_units_csv__duplicate_serial_names_second_line,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_units_csv__row_errors_roll_back, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_import_events_csv__insert_then_unchanged, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_import_events_csv__errors_roll_back, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_import_units_csv__injection_strings_are_data, setup,
                                        teardown),
    };
    if (!ct_test_backend_available()) {
        printf("skipped: CT_TEST_PG_DSN not set\n");
        return CT_TEST_SKIP;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}

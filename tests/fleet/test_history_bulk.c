/* Fleet imports at a size that takes the bulk paths (src/fleet/history.c,
 * src/store/fleet_store.c): more than CT_SPAN_REINDEX_MIN units whose histories are rebuilt at
 * once, which on SQLite drops unit_span's secondary indexes and creates them again after the
 * spans are written (PostgreSQL: COPY). Checked against a model of the documented event rules
 * computed here, against the per-unit rebuild, and for all-or-nothing on a bad last row.
 * CT_TEST_USES_STORE: runs on SQLite and PostgreSQL. */
#include "ct_test.h"

#include "cratrace/fleet.h"
#include "cratrace/store.h"

#include <json-c/json.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#define NUNITS 21000 /* > CT_SPAN_REINDEX_MIN (20000, src/fleet/fleet_bulk.h) */
#define NCUST 10

typedef struct {
    ct_ctx *ctx;
    ct_store *st;
    char *dir, *dsn;
} fixture;

static const char lodash_sbom[] =
    "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":["
    "{\"type\":\"library\",\"name\":\"lodash\",\"version\":\"4.17.20\","
    "\"purl\":\"pkg:npm/lodash@4.17.20\"}]}";

static ct_time t_ship, t_update, t_param, t_transfer, t_decom;

static int setup(void **state)
{
    fixture *f = ct_calloc(1, sizeof *f);
    ct_sbom *sbom = NULL;
    int64_t gw;
    ct_affected_range r = { "npm", "lodash", "npm/lodash", "npm", "ECOSYSTEM",
                            "vers:npm/<4.17.21" };
    ct_advisory adv;
    ct_advisory_put_result res;

    t_ship = ct_time_from_civil(2023, 2, 1, 0, 0, 0);
    t_update = ct_time_from_civil(2023, 6, 1, 0, 0, 0);
    t_param = ct_time_from_civil(2023, 7, 1, 0, 0, 0);
    t_transfer = ct_time_from_civil(2023, 9, 1, 0, 0, 0);
    t_decom = ct_time_from_civil(2023, 12, 1, 0, 0, 0);
    f->ctx = ct_test_ctx();
    f->dsn = ct_test_fresh_dsn();
    assert_int_equal(ct_store_open(&f->st, f->ctx, f->dsn), CT_OK);
    f->dir = ct_test_tmpdir();
    assert_int_equal(ct_sbom_parse(&sbom, f->ctx, lodash_sbom, strlen(lodash_sbom), "sbom"),
                     CT_OK);
    assert_int_equal(ct_store_product_add(&gw, f->st, "gw", "ACME", NULL, CT_TIME_NONE), CT_OK);
    assert_int_equal(ct_store_release_add(NULL, f->st, gw, "1.0",
                                          ct_time_from_civil(2022, 6, 1, 0, 0, 0), sbom, NULL,
                                          NULL),
                     CT_OK);
    assert_int_equal(ct_store_release_add(NULL, f->st, gw, "1.1",
                                          ct_time_from_civil(2023, 5, 1, 0, 0, 0), NULL, NULL,
                                          NULL),
                     CT_OK);
    ct_sbom_free(sbom);
    memset(&adv, 0, sizeof adv);
    adv.id = "GHSA-BULK";
    adv.source = "osv";
    adv.published = CT_TIME_NONE;
    adv.modified = ct_time_from_civil(2024, 1, 1, 0, 0, 0);
    adv.withdrawn = CT_TIME_NONE;
    adv.ranges = &r;
    adv.nranges = 1;
    assert_int_equal(ct_store_advisory_put(&res, f->st, &adv, NULL), CT_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ct_store_close(f->st);
    ct_ctx_free(f->ctx);
    ct_free(f->dir);
    ct_free(f->dsn);
    ct_free(f);
    return 0;
}

/* ---- the fleet: unit i ships to C(i%10) at t_ship + i s; i%8 == 0 updates to 1.1, i%8 == 4
 * tries and fails; i%5 == 0 gets parameter set cfg@(i%3); i%3 == 0 is transferred to
 * C((i+1)%10); i%50 == 1 is decommissioned. ---------------------------------------------- */

static void fmt(char buf[32], ct_time t)
{
    ct_time_format(buf, t);
}

static char *write_fleet(const fixture *f, bool bad_tail)
{
    ct_buf b = CT_BUF_INIT;
    char t[32], *path;

    ct_buf_puts(&b, "code,name,country,email,channel\n");
    for (int c = 0; c < NCUST; c++)
        ct_buf_printf(&b, "C%d,Customer %d,DE,sec@c%d.example,email\n", c, c, c);
    ct_free(ct_test_write_file(f->dir, "customers.csv", b.ptr));
    ct_buf_reset(&b);
    ct_buf_puts(&b, "serial,product,hardware_revision,release,customer,manufactured,state\n");
    for (int i = 0; i < NUNITS; i++)
        ct_buf_printf(&b, "SN%06d,gw,rev-A,1.0,C%d,2023-01-01T00:00:00Z,in_service\n", i,
                      i % NCUST);
    ct_free(ct_test_write_file(f->dir, "units.csv", b.ptr));
    ct_buf_reset(&b);
    ct_buf_puts(&b, "serial,product,time,kind,from_release,to_release,customer,result,"
                    "param_set,param_hash\n");
    for (int i = 0; i < NUNITS; i++) {
        fmt(t, t_ship + i);
        ct_buf_printf(&b, "SN%06d,gw,%s,ship,,,C%d,,,\n", i, t, i % NCUST);
        fmt(t, t_update);
        if (i % 8 == 0 || i % 8 == 4)
            ct_buf_printf(&b, "SN%06d,gw,%s,update,1.0,1.1,,%s,,\n", i, t,
                          i % 8 == 0 ? "ok" : "failed");
        fmt(t, t_param);
        if (i % 5 == 0)
            ct_buf_printf(&b, "SN%06d,gw,%s,param_change,,,,,cfg@%d,sha256:%d\n", i, t, i % 3,
                          i % 3);
        fmt(t, t_transfer);
        if (i % 3 == 0)
            ct_buf_printf(&b, "SN%06d,gw,%s,transfer,,,C%d,,,\n", i, t, (i + 1) % NCUST);
        fmt(t, t_decom);
        if (i % 50 == 1)
            ct_buf_printf(&b, "SN%06d,gw,%s,decommission,,,,,,\n", i, t);
    }
    if (bad_tail)
        ct_buf_puts(&b, "SN000001,gw,2024-05-01T00:00:00Z,explode,,,,,,\n");
    assert_false(b.failed);
    path = ct_test_write_file(f->dir, bad_tail ? "events-bad.csv" : "events.csv", b.ptr);
    ct_buf_dispose(&b);
    return path;
}

/* Units on 1.0 in the field at time t, per customer (index NCUST: without a customer). */
static int64_t model(int64_t per_cust[NCUST + 1], ct_time t)
{
    int64_t total = 0;
    memset(per_cust, 0, sizeof(int64_t) * (NCUST + 1));
    for (int i = 0; i < NUNITS; i++) {
        int cust = NCUST; /* in stock before shipping */
        if (t >= t_ship + i)
            cust = i % NCUST;
        if (t >= t_update && i % 8 == 0)
            continue; /* on 1.1 */
        if (t >= t_transfer && i % 3 == 0)
            cust = (i + 1) % NCUST;
        if (t >= t_decom && i % 50 == 1)
            continue;
        per_cust[cust]++;
        total++;
    }
    return total;
}

static void check_affected(const fixture *f, ct_time t)
{
    ct_buf b = CT_BUF_INIT;
    int64_t want[NCUST + 1], total = model(want, t);
    json_object *o, *cs;
    char ts[32];

    fmt(ts, t);
    assert_int_equal(ct_store_affected_json_at(&b, f->st, "GHSA-BULK", t), CT_OK);
    assert_non_null(o = json_tokener_parse(b.ptr));
    if (json_object_get_int64(json_object_object_get(o, "units_total")) != total)
        fail_msg("at %s: units_total %s, model %lld", ts,
                 json_object_to_json_string(json_object_object_get(o, "units_total")),
                 (long long)total);
    cs = json_object_object_get(o, "customers");
    for (int c = 0; c < NCUST; c++) {
        char code[16];
        int64_t got = 0;
        snprintf(code, sizeof code, "C%d", c);
        for (size_t k = 0; cs && k < json_object_array_length(cs); k++) {
            json_object *e = json_object_array_get_idx(cs, k);
            if (strcmp(json_object_get_string(json_object_object_get(e, "id")), code) == 0)
                got = json_object_get_int64(json_object_object_get(e, "units"));
        }
        if (got != want[c])
            fail_msg("at %s: customer %s has %lld units, model %lld", ts, code, (long long)got,
                     (long long)want[c]);
    }
    json_object_put(o);
    ct_buf_dispose(&b);
}

static const ct_time *query_times(size_t *n)
{
    static ct_time ts[7];
    ts[0] = ct_time_from_civil(2023, 1, 15, 0, 0, 0); /* all in stock */
    ts[1] = t_ship + NUNITS / 2;                        /* half shipped */
    ts[2] = ct_time_from_civil(2023, 3, 1, 0, 0, 0);
    ts[3] = t_update;                                   /* the instant of the updates */
    ts[4] = ct_time_from_civil(2023, 10, 1, 0, 0, 0);
    ts[5] = ct_time_from_civil(2024, 1, 1, 0, 0, 0);
    ts[6] = t_decom - 1;
    *n = CT_NELEM(ts);
    return ts;
}

static void import_fleet(fixture *f)
{
    ct_import_stats s;
    char *ev = write_fleet(f, false);
    size_t plen = strlen(f->dir) + 32;
    char *p = ct_calloc(1, plen);
    snprintf(p, plen, "%s/customers.csv", f->dir);
    assert_int_equal(ct_import_customers_csv(f->st, p, NULL), CT_OK);
    snprintf(p, plen, "%s/units.csv", f->dir);
    memset(&s, 0, sizeof s);
    assert_int_equal(ct_import_units_csv(f->st, p, &s), CT_OK);
    assert_int_equal(s.inserted, NUNITS);
    memset(&s, 0, sizeof s);
    assert_int_equal(ct_import_events_csv(f->st, ev, &s), CT_OK);
    assert_true(s.inserted > (uint64_t)NUNITS);
    assert_int_equal(s.unchanged, 0);
    ct_free(p);
    ct_free(ev);
}

/* SQLite only: the names of unit_span's indexes, comma-separated (the reindex path must leave
 * exactly the migrations' indexes). Empty on PostgreSQL. */
static void span_indexes(const fixture *f, char *out, size_t cap)
{
    sqlite3 *db;
    sqlite3_stmt *q;
    out[0] = '\0';
    if (strcmp(ct_test_backend(), "sqlite") != 0)
        return;
    assert_int_equal(sqlite3_open_v2(f->dsn, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT name FROM sqlite_master WHERE type = 'index' "
                                        "AND tbl_name = 'unit_span' ORDER BY name",
                                        -1, &q, NULL),
                     SQLITE_OK);
    while (sqlite3_step(q) == SQLITE_ROW) {
        size_t len = strlen(out);
        snprintf(out + len, cap - len, "%s%s", len ? "," : "", sqlite3_column_text(q, 0));
    }
    sqlite3_finalize(q);
    sqlite3_close(db);
}

/* affected --at matches the model at every time asked; the indexes are back (SQLite); and the
 * bulk rebuild and the one-unit rebuild (ct_fleet_rebuild_unit) give the same history. One
 * import for all three (it is the slow part). */
static void test_bulk_history__model_indexes_and_per_unit_rebuild(void **state)
{
    fixture *f = *state;
    size_t nt;
    const ct_time *ts = query_times(&nt);
    static const int sample[] = { 0, 1, 3, 4, 5, 8, 15, 40, 51, 120, 9999, NUNITS - 1 };
    ct_buf before = CT_BUF_INIT, after = CT_BUF_INIT;
    char idx[512];

    import_fleet(f);
    for (size_t k = 0; k < nt; k++)
        check_affected(f, ts[k]);
    span_indexes(f, idx, sizeof idx);
    if (strcmp(ct_test_backend(), "sqlite") == 0)
        assert_string_equal(idx, "unit_span_alive,unit_span_open");
    for (size_t s = 0; s < CT_NELEM(sample); s++) {
        char serial[16];
        int64_t pid, uid;
        snprintf(serial, sizeof serial, "SN%06d", sample[s]);
        ct_buf_reset(&before);
        for (size_t k = 0; k < nt; k++)
            assert_int_equal(ct_store_unit_show_json(&before, f->st, serial, NULL, ts[k]), CT_OK);
        assert_int_equal(ct_store_unit_show_json(&before, f->st, serial, NULL, CT_TIME_NONE),
                         CT_OK);
        assert_int_equal(ct_store_product_find(&pid, f->st, "gw"), CT_OK);
        assert_int_equal(ct_store_unit_find(&uid, f->st, pid, serial), CT_OK);
        assert_int_equal(ct_store_begin(f->st), CT_OK);
        assert_int_equal(ct_fleet_rebuild_unit(f->st, uid), CT_OK);
        assert_int_equal(ct_store_commit(f->st), CT_OK);
        ct_buf_reset(&after);
        for (size_t k = 0; k < nt; k++)
            assert_int_equal(ct_store_unit_show_json(&after, f->st, serial, NULL, ts[k]), CT_OK);
        assert_int_equal(ct_store_unit_show_json(&after, f->st, serial, NULL, CT_TIME_NONE),
                         CT_OK);
        assert_string_equal(after.ptr, before.ptr);
    }
    /* unit 0 got cfg@0 with its hash at t_param, and was on no set before */
    ct_buf_reset(&before);
    assert_int_equal(ct_store_unit_show_json(&before, f->st, "SN000000", NULL, t_param), CT_OK);
    assert_non_null(strstr(before.ptr, "\"param_set\":{\"name\":\"cfg\",\"version\":\"0\","
                                       "\"content_hash\":\"sha256:0\"}"));
    ct_buf_reset(&before);
    assert_int_equal(ct_store_unit_show_json(&before, f->st, "SN000000", NULL, t_param - 1),
                     CT_OK);
    assert_non_null(strstr(before.ptr, "\"param_set\":null"));
    ct_buf_dispose(&before);
    ct_buf_dispose(&after);
}

/* A bad last row of a bulk-sized file (found while reading, before the rebuild starts) rolls
 * the whole import back: no events, every unit its registered record, and on SQLite exactly the
 * migrations' unit_span indexes. */
static void test_bulk_history__bad_row_rolls_back_everything(void **state)
{
    fixture *f = *state;
    size_t plen = strlen(f->dir) + 32;
    char *p = ct_calloc(1, plen), *ev, idx[512];
    ct_buf b = CT_BUF_INIT;
    ct_import_stats s;

    ev = write_fleet(f, true);
    snprintf(p, plen, "%s/customers.csv", f->dir);
    assert_int_equal(ct_import_customers_csv(f->st, p, NULL), CT_OK);
    snprintf(p, plen, "%s/units.csv", f->dir);
    assert_int_equal(ct_import_units_csv(f->st, p, NULL), CT_OK);
    memset(&s, 0, sizeof s);
    assert_int_equal(ct_import_events_csv(f->st, ev, &s), CT_EPARSE);
    /* the error names the file and the last line (header + every good row + 1) */
    assert_non_null(strstr(ct_error_last()->source, "events-bad.csv"));
    assert_int_equal(ct_error_last()->line, s.records + 2);
    ct_error_clear();
    /* no events: every unit is its registered record (on 1.0, in service, its customer) */
    assert_int_equal(ct_store_affected_json_at(&b, f->st, "GHSA-BULK",
                                               ct_time_from_civil(2024, 1, 1, 0, 0, 0)),
                     CT_OK);
    assert_non_null(strstr(b.ptr, "\"units_total\":21000"));
    ct_buf_reset(&b);
    assert_int_equal(ct_store_unit_show_json(&b, f->st, "SN000008", NULL, CT_TIME_NONE), CT_OK);
    assert_non_null(strstr(b.ptr, "\"release\":\"1.0\""));
    assert_non_null(strstr(b.ptr, "\"events\":[]"));
    span_indexes(f, idx, sizeof idx);
    if (strcmp(ct_test_backend(), "sqlite") == 0)
        assert_string_equal(idx, "unit_span_alive,unit_span_open");
    ct_buf_dispose(&b);
    ct_free(ev);
    ct_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_bulk_history__model_indexes_and_per_unit_rebuild,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_bulk_history__bad_row_rolls_back_everything, setup,
                                        teardown),
    };
    if (!ct_test_backend_available()) {
        printf("skipped: CT_TEST_PG_DSN not set\n");
        return CT_TEST_SKIP;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}

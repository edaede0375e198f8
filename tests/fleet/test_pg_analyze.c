/* Statistics after a large import (docs/fleet.md, "Statistics after a large import"): on
 * PostgreSQL an events import that added at least CT_PG_ANALYZE_MIN_ROWS events ends with
 * ANALYZE unit_event, unit_span in its transaction; a smaller one does not. Autovacuum never
 * analyses a partitioned parent, so the parent's inherited statistics (pg_stats, inherited)
 * exist only when the import ran ANALYZE. On both backends the import itself must store every
 * event (checked by count and by one unit's history); SQLite has no such step.
 * CT_TEST_USES_STORE: runs on SQLite and PostgreSQL. */
#include "ct_test.h"

#include "cratrace/fleet.h"
#include "cratrace/store.h"
#include "fleet/fleet_bulk.h"
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>

#define BIG_UNITS (CT_PG_ANALYZE_MIN_ROWS / 10) /* x 10 events: exactly the threshold */

typedef struct {
    ct_ctx *ctx;
    ct_store *st;
    char *dir, *dsn;
} fixture;

static int setup(void **state)
{
    fixture *f = ct_calloc(1, sizeof *f);
    int64_t gw = 0, rel = 0;
    char *p;

    f->ctx = ct_test_ctx();
    f->dsn = ct_test_fresh_dsn();
    assert_int_equal(ct_store_open(&f->st, f->ctx, f->dsn), CT_OK);
    f->dir = ct_test_tmpdir();
    assert_int_equal(ct_store_product_add(&gw, f->st, "gw", "ACME", NULL, CT_TIME_NONE), CT_OK);
    for (int r = 0; r < 2; r++)
        assert_int_equal(ct_store_release_add(&rel, f->st, gw, r ? "2.0" : "1.0",
                                              ct_time_from_civil(2022, 1 + r, 1, 0, 0, 0), NULL,
                                              NULL, NULL),
                         CT_OK);
    p = ct_test_write_file(f->dir, "customers.csv", "code,name\nC0,Customer 0\n");
    assert_int_equal(ct_import_customers_csv(f->st, p, NULL), CT_OK);
    ct_free(p);
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

/* n units U<i>, each with 10 events (a ship, then updates alternating 1.0 -> 2.0 -> 1.0 ...,
 * one day apart); imports both files, checks the counts. */
static void import_fleet(fixture *f, int n)
{
    ct_buf units = CT_BUF_INIT, events = CT_BUF_INIT;
    ct_import_stats s;
    char *p;

    ct_buf_puts(&units, "serial,product,hardware_revision,release,customer,manufactured,state\n");
    ct_buf_puts(&events, "serial,product,time,kind,from_release,to_release,detail,customer\n");
    for (int i = 0; i < n; i++) {
        ct_buf_printf(&units, "U%d,gw,A,1.0,C0,2022-03-01T00:00:00Z,in_stock\n", i);
        ct_buf_printf(&events, "U%d,gw,2022-04-01T00:00:00Z,ship,,,,C0\n", i);
        for (int k = 1; k < 10; k++)
            ct_buf_printf(&events, "U%d,gw,2022-04-%02dT00:00:00Z,update,%s,%s,,\n", i, 1 + k,
                          k % 2 ? "1.0" : "2.0", k % 2 ? "2.0" : "1.0");
    }
    assert_false(units.failed || events.failed);
    p = ct_test_write_file(f->dir, "units.csv", units.ptr);
    memset(&s, 0, sizeof s);
    assert_int_equal(ct_import_units_csv(f->st, p, &s), CT_OK);
    assert_int_equal(s.inserted, (uint64_t)n);
    ct_free(p);
    p = ct_test_write_file(f->dir, "events.csv", events.ptr);
    memset(&s, 0, sizeof s);
    assert_int_equal(ct_import_events_csv(f->st, p, &s), CT_OK);
    assert_int_equal(s.inserted, (uint64_t)n * 10);
    ct_free(p);
    ct_buf_dispose(&units);
    ct_buf_dispose(&events);
}

/* PostgreSQL: rows of pg_stats for the partitioned parent `table` (inherited statistics). */
static int64_t parent_stats(fixture *f, const char *table)
{
    ct_stmt *q = NULL;
    int64_t n = -1;
    assert_int_equal(f->st->drv->prepare(&q, f->st->conn,
                                         "SELECT count(*) FROM pg_stats WHERE inherited AND "
                                         "schemaname = current_schema() AND tablename = ?1"),
                     0);
    assert_int_equal(f->st->drv->bind_text(q, 1, table, strlen(table)), 0);
    assert_int_equal(f->st->drv->step(q), 1);
    n = f->st->drv->column_int64(q, 0);
    f->st->drv->finalize(q);
    return n;
}

/* U<last>'s history: after its 10 events (last update, day 10: to 1.0) it runs 1.0 */
static void check_last_unit(fixture *f, int n)
{
    ct_buf out = CT_BUF_INIT;
    char serial[32];
    snprintf(serial, sizeof serial, "U%d", n - 1);
    assert_int_equal(ct_store_unit_show_json(&out, f->st, serial, "gw",
                                             ct_time_from_civil(2022, 4, 9, 12, 0, 0)),
                     CT_OK);
    /* day 9: the 8th update (k = 8, 2.0 -> 1.0) */
    assert_non_null(strstr(out.ptr, "\"release\":\"1.0\""));
    ct_buf_reset(&out);
    assert_int_equal(ct_store_unit_show_json(&out, f->st, serial, "gw",
                                             ct_time_from_civil(2022, 4, 10, 12, 0, 0)),
                     CT_OK);
    assert_non_null(strstr(out.ptr, "\"release\":\"2.0\""));
    ct_buf_dispose(&out);
}

static void test_pg_analyze__large_events_import_analyses(void **state)
{
    fixture *f = *state;
    import_fleet(f, BIG_UNITS);
    check_last_unit(f, BIG_UNITS);
    if (!ct_store__has_copy(f->st))
        return; /* SQLite: no ANALYZE step; the import's result is checked above */
    assert_true(parent_stats(f, "unit_event") > 0);
    assert_true(parent_stats(f, "unit_span") > 0);
    assert_int_equal(parent_stats(f, "unit"), 0); /* 10,000 units: below the threshold */
}

static void test_pg_analyze__small_import_does_not(void **state)
{
    fixture *f = *state;
    import_fleet(f, 100);
    check_last_unit(f, 100);
    if (!ct_store__has_copy(f->st))
        return;
    assert_int_equal(parent_stats(f, "unit_event"), 0);
    assert_int_equal(parent_stats(f, "unit_span"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pg_analyze__large_events_import_analyses, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_pg_analyze__small_import_does_not, setup, teardown),
    };
    if (!ct_test_backend_available()) {
        printf("skipped: backend %s not available (CT_TEST_PG_DSN)\n", ct_test_backend());
        return CT_TEST_SKIP;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Statistics after a large import (docs/fleet.md, "Statistics after a large import"): on
 * PostgreSQL an events import that added at least CT_PG_ANALYZE_MIN_ROWS events ends with
 * ANALYZE unit_event, unit_span in its transaction; a smaller one does not. Autovacuum never
 * analyses a partitioned parent, so the parent's inherited statistics (pg_stats, inherited)
 * exist only when the import ran ANALYZE. On both backends the import itself must store every
 * event (checked by count and by one unit's history); SQLite has no such step.
 * CT_TEST_USES_STORE: runs on SQLite and PostgreSQL. */
#include "ct_fleet_fixture.h"

#include "cratrace/fleet.h"
#include "cratrace/store.h"
#include "fleet/fleet_bulk.h"
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>

#define BIG_UNITS (CT_PG_ANALYZE_MIN_ROWS / 10) /* x 10 events: exactly the threshold */

typedef ct_fleet_fixture fixture;

/* product gw (releases 1.0, 2.0), customer C0 */
static int setup(void **state)
{
    fixture *f = ct_fleet_fixture_new();
    ct_fleet_fixture_u_gw(f);
    *state = f;
    return 0;
}

/* n units U<i>, each with 10 events (a ship, then updates alternating 1.0 -> 2.0 -> 1.0 ...,
 * one day apart); imports both files, checks the counts. */
static void import_fleet(fixture *f, int n)
{
    ct_fleet_fixture_u_units(f, 0, n);
    ct_fleet_fixture_u_events(f, 0, n);
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

static void test_pg_analyze__large_events_import_analyses(void **state)
{
    fixture *f = *state;
    import_fleet(f, BIG_UNITS);
    ct_fleet_fixture_u_check_history(f, BIG_UNITS - 1); /* U<last> */
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
    ct_fleet_fixture_u_check_history(f, 99);
    if (!ct_store__has_copy(f->st))
        return;
    assert_int_equal(parent_stats(f, "unit_event"), 0);
    assert_int_equal(parent_stats(f, "unit_span"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pg_analyze__large_events_import_analyses, setup,
                                        ct_fleet_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_pg_analyze__small_import_does_not, setup,
                                        ct_fleet_fixture_teardown),
    };
    return CT_FLEET_FIXTURE_RUN(tests);
}

/* Pages all-visible after large imports on PostgreSQL (docs/fleet.md, "First units import of a
 * fleet on PostgreSQL" and "Right after a large import"): a first units import of at least
 * CT_SPAN_REINDEX_MIN units goes by COPY ... FREEZE into unit's and unit_span's partitions, with
 * their keys built at the end; other imports that wrote at least CT_PG_ANALYZE_MIN_ROWS rows
 * unfrozen (an events import into a fleet of fewer units, a units import into a fleet) VACUUM
 * the partitions they wrote after their commit; a small import does neither (the control that
 * shows the check can fail). On both backends every import's rows are checked (counts, one
 * unit's history, the keys still rejecting what they rejected); the visibility map is checked
 * on PostgreSQL only (ANALYZE's relallvisible, autovacuum off for the fleet partitions, each
 * test in a database of its own).
 * CT_TEST_USES_STORE: runs on SQLite and PostgreSQL. CT_TEST_RUN_SERIAL: its PostgreSQL run has
 * the server to itself (another test's open transaction would keep pages from all-visible). */
#include "ct_fleet_fixture.h"

#include "cratrace/fleet.h"
#include "cratrace/store.h"
#include "fleet/fleet_bulk.h"
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    ct_fleet_fixture fl; /* first: the fixture helpers take &f->fl */
    char db[64];         /* PostgreSQL: the test's own database, dropped by teardown */
} fixture;

static int db_seq;

static void admin_exec(const char *sql)
{
    void *conn = NULL;
    if (ct_store__driver_pg.open(&conn, getenv("CT_TEST_PG_DSN")) < 0)
        fail_msg("pg open: %s", ct_error_last()->message);
    if (ct_store__driver_pg.exec(conn, sql) < 0)
        fail_msg("%s: %s", sql, ct_error_last()->message);
    ct_store__driver_pg.close(conn);
}

/* PostgreSQL: a database of its own per test, the DSN of CT_TEST_PG_DSN with its path
 * replaced. VACUUM cannot mark a page all-visible while any session of the server, in any
 * database, holds a snapshot older than the rows (measured on PostgreSQL 15): the test runs
 * alone on the server (CT_TEST_RUN_SERIAL), and the import waits a bounded time for other
 * snapshots, such as an autovacuum worker's, before its VACUUM. */
static char *fresh_database(fixture *f)
{
    const char *dsn = getenv("CT_TEST_PG_DSN"), *host = strstr(dsn, "://"), *path, *query;
    ct_buf b = CT_BUF_INIT;
    char sql[128];
    if (!host || !(path = strchr(host + 3, '/')))
        fail_msg("CT_TEST_PG_DSN is not a postgresql:// URL with a database: %s", dsn);
    query = strchr(path, '?');
    snprintf(f->db, sizeof f->db, "ct_visible_%ld_%d", (long)getpid(), ++db_seq);
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", f->db);
    admin_exec(sql);
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", f->db);
    admin_exec(sql);
    ct_buf_put(&b, dsn, (size_t)(path - dsn));
    ct_buf_printf(&b, "/%s%s", f->db, query ? query : "");
    return ct_buf_detach(&b);
}

static int setup(void **state)
{
    fixture *f = ct_calloc(1, sizeof *f);

    assert_non_null(f);
    ct_fleet_fixture_open_dsn(&f->fl, strcmp(ct_test_backend(), "pg") == 0 ? fresh_database(f)
                                                                          : ct_test_fresh_dsn());
    ct_fleet_fixture_u_gw(&f->fl);
    /* PostgreSQL: no autovacuum on the fleet partitions (it would set the visibility map) */
    if (ct_store__has_copy(f->fl.st))
        ct_fleet_fixture_exec(
            &f->fl, "DO $$ DECLARE t regclass; BEGIN FOR t IN SELECT inhrelid::regclass FROM "
                    "pg_inherits WHERE inhparent IN ('unit'::regclass, 'unit_event'::regclass, "
                    "'unit_span'::regclass) LOOP EXECUTE format('ALTER TABLE %s SET "
                    "(autovacuum_enabled = false)', t); END LOOP; END $$");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ct_store_close(f->fl.st);
    f->fl.st = NULL;
    if (*f->db) {
        char sql[128];
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", f->db);
        admin_exec(sql);
    }
    ct_fleet_fixture_close(&f->fl);
    ct_free(f);
    return 0;
}

static void import_units(fixture *f, int first, int n)
{
    ct_fleet_fixture_u_units(&f->fl, first, n);
}

static void import_events(fixture *f, int first, int n)
{
    ct_fleet_fixture_u_events(&f->fl, first, n);
}

static int64_t count_of(fixture *f, const char *sql)
{
    return ct_fleet_fixture_count(&f->fl, sql);
}

/* PostgreSQL: the partitions of table with pages, and those with pages not all-visible */
static void visibility(fixture *f, const char *table, int64_t *with_pages,
                       int64_t *not_all_visible)
{
    char sql[512];
    snprintf(sql, sizeof sql, "ANALYZE %s", table);
    ct_fleet_fixture_exec(&f->fl, sql);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE "
             "i.inhparent = '%s'::regclass AND c.relpages > 0",
             table);
    *with_pages = count_of(f, sql);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE "
             "i.inhparent = '%s'::regclass AND c.relpages > 0 AND c.relallvisible < c.relpages",
             table);
    *not_all_visible = count_of(f, sql);
}

static void assert_all_visible(fixture *f, const char *table)
{
    int64_t pages = 0, not_visible = 0;
    visibility(f, table, &pages, &not_visible);
    assert_true(pages > 0);
    assert_int_equal(not_visible, 0);
}

/* A first units import of CT_SPAN_REINDEX_MIN + 500 units: frozen rows, keys built again. */
static void test_pg_visible__first_units_import_frozen(void **state)
{
    fixture *f = *state;
    int n = CT_SPAN_REINDEX_MIN + 500;
    ct_import_stats s;
    char *p;

    import_units(f, 0, n);
    assert_int_equal(count_of(f, "SELECT count(*) FROM unit"), n);
    assert_int_equal(count_of(f, "SELECT count(*) FROM unit_span WHERE valid_to IS NULL AND "
                                 "state = 'in_stock'"),
                     n);
    /* the same file again changes nothing (the unique (product, serial) finds every unit) */
    p = ct_test_write_file(f->fl.dir, "one.csv",
                           "serial,product,hardware_revision,release,customer,manufactured,"
                           "state\nU7,gw,A,1.0,C0,2022-03-01T00:00:00Z,in_stock\n");
    memset(&s, 0, sizeof s);
    assert_int_equal(ct_import_units_csv(f->fl.st, p, &s), CT_OK);
    assert_int_equal(s.unchanged, 1);
    assert_int_equal(count_of(f, "SELECT count(*) FROM unit"), n);
    ct_free(p);
    import_events(f, 0, 3);
    ct_fleet_fixture_u_check_history(&f->fl, 2);
    if (!ct_store__has_copy(f->fl.st))
        return;
    /* the keys are back: unit's primary key and unique (product, serial), unit_span's key */
    assert_int_equal(count_of(f, "SELECT count(*) FROM pg_constraint WHERE conrelid = "
                                 "'unit'::regclass AND contype IN ('p', 'u')"),
                     2);
    assert_int_equal(count_of(f, "SELECT count(*) FROM pg_constraint WHERE conrelid = "
                                 "'unit_span'::regclass AND contype = 'p'"),
                     1);
    assert_int_equal(count_of(f, "SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND "
                                 "tablename = 'unit' AND "
                                 "indexname IN ('unit_release', 'unit_serial')"),
                     2);
    assert_all_visible(f, "unit");
}

/* A first units import with a serial given twice fails naming the line; nothing is stored. */
static void test_pg_visible__first_units_import_duplicate_fails(void **state)
{
    fixture *f = *state;
    int n = CT_SPAN_REINDEX_MIN + 10;
    ct_buf b = CT_BUF_INIT;
    char *p;

    ct_buf_puts(&b, CT_FLEET_UNITS_HEADER);
    for (int i = 0; i < n; i++)
        ct_buf_printf(&b, "U%d,gw,A,1.0,C0,2022-03-01T00:00:00Z,in_stock\n", i == n - 1 ? 5 : i);
    assert_false(b.failed);
    p = ct_test_write_file(f->fl.dir, "dup.csv", b.ptr);
    assert_int_equal(ct_import_units_csv(f->fl.st, p, NULL), CT_EPARSE);
    assert_non_null(strstr(ct_error_last()->message, "duplicate serial"));
    assert_int_equal(ct_error_last()->line, (uint32_t)n + 1);
    assert_int_equal(count_of(f, "SELECT count(*) FROM unit"), 0);
    assert_int_equal(count_of(f, "SELECT count(*) FROM unit_span"), 0);
    ct_free(p);
    ct_buf_dispose(&b);
    /* the store took the rollback whole: the same units without the duplicate go in */
    import_units(f, 0, n - 1);
}

/* An events import of CT_PG_ANALYZE_MIN_ROWS events into a fleet too small for the frozen
 * path: its partitions are vacuumed after the commit. */
static void test_pg_visible__large_events_import_vacuumed(void **state)
{
    fixture *f = *state;
    int n = CT_PG_ANALYZE_MIN_ROWS / 10;
    import_units(f, 0, n);
    import_events(f, 0, n);
    ct_fleet_fixture_u_check_history(&f->fl, n - 1);
    if (!ct_store__has_copy(f->fl.st))
        return;
    assert_all_visible(f, "unit_event");
    assert_all_visible(f, "unit_span");
}

/* A units import of CT_PG_ANALYZE_MIN_ROWS units into a fleet: unit's and unit_span's
 * partitions vacuumed after the commit. */
static void test_pg_visible__large_units_import_vacuumed(void **state)
{
    fixture *f = *state;
    import_units(f, 0, 1);
    import_units(f, 1, CT_PG_ANALYZE_MIN_ROWS);
    assert_int_equal(count_of(f, "SELECT count(*) FROM unit"), CT_PG_ANALYZE_MIN_ROWS + 1);
    if (!ct_store__has_copy(f->fl.st))
        return;
    assert_all_visible(f, "unit");
    assert_all_visible(f, "unit_span");
}

/* The control: a small events import into a fleet leaves its pages to autovacuum. */
static void test_pg_visible__small_import_not_vacuumed(void **state)
{
    fixture *f = *state;
    int64_t pages = 0, not_visible = 0;
    import_units(f, 0, 200);
    import_events(f, 0, 100);
    ct_fleet_fixture_u_check_history(&f->fl, 99);
    if (!ct_store__has_copy(f->fl.st))
        return;
    visibility(f, "unit_event", &pages, &not_visible);
    assert_true(pages > 0);
    assert_true(not_visible > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pg_visible__first_units_import_frozen, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_pg_visible__first_units_import_duplicate_fails,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_pg_visible__large_events_import_vacuumed, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_pg_visible__large_units_import_vacuumed, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_pg_visible__small_import_not_vacuumed, setup,
                                        teardown),
    };
    if (!ct_test_backend_available()) {
        printf("skipped: backend %s not available (CT_TEST_PG_DSN)\n", ct_test_backend());
        return CT_TEST_SKIP;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}

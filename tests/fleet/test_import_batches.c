/* The two write paths of the SQLite events import (src/fleet/import_csv.c, unit_batch): a
 * unit whose rows follow each other and that has no stored events is de-duplicated in C and
 * gets its spans from the rows as read; a unit with stored events, or met again later in the
 * file, goes through INSERT ... ON CONFLICT and a rebuild from the store. Each test checks the
 * stored history against ct_fleet_rebuild_unit (the read-back rebuild) unit by unit, the
 * import counts, and which row of a duplicate wins. On PostgreSQL the same files take the
 * staged path and must give the same answers. CT_TEST_USES_STORE: runs on SQLite and
 * PostgreSQL. */
#include "ct_fleet_fixture.h"

#include "cratrace/fleet.h"
#include "cratrace/store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#define NUNITS 8

typedef ct_fleet_fixture fixture;

static int setup(void **state)
{
    fixture *f = ct_fleet_fixture_new();
    ct_buf b = CT_BUF_INIT;

    ct_fleet_fixture_gw(f, 3);
    ct_fleet_fixture_customers(f, 3);
    ct_buf_puts(&b, CT_FLEET_UNITS_HEADER);
    for (int i = 0; i < NUNITS; i++)
        ct_buf_printf(&b, "SN%d,gw,rev-A,1.0,C%d,2023-01-01T00:00:00Z,in_service\n", i, i % 3);
    assert_false(b.failed);
    ct_fleet_fixture_import_units(f, "units.csv", b.ptr);
    ct_buf_dispose(&b);
    *state = f;
    return 0;
}

static void import_events(fixture *f, const char *name, const char *csv, ct_import_stats *s)
{
    char *p = ct_test_write_file(f->dir, name, csv);
    memset(s, 0, sizeof *s);
    if (ct_import_events_csv(f->st, p, s) != CT_OK)
        fail_msg("import %s: %s", name, ct_error_format());
    ct_free(p);
}

/* Every unit as `unit show` answers at each day of 2023-2024 where anything happens in these
 * files (and a second before and after), and now. */
static void history(const fixture *f, const char *serial, ct_buf *out)
{
    static const int days[][2] = { { 1, 1 }, { 2, 1 }, { 3, 1 }, { 4, 1 }, { 5, 1 },
                                   { 6, 1 }, { 7, 1 }, { 8, 1 }, { 9, 1 }, { 12, 1 } };
    ct_time at[2 * CT_NELEM(days)];
    size_t n = 0;
    for (int y = 2023; y <= 2024; y++)
        for (size_t d = 0; d < CT_NELEM(days); d++)
            at[n++] = ct_time_from_civil(y, days[d][0], days[d][1], 0, 0, 0);
    ct_fleet_fixture_history(f, serial, at, n, out);
}

/* The stored history of every unit equals what the read-back rebuild makes of its events. */
static void check_against_rebuild(fixture *f)
{
    for (int i = 0; i < NUNITS; i++) {
        char serial[16];
        snprintf(serial, sizeof serial, "SN%d", i);
        ct_fleet_fixture_check_rebuild(f, serial, history);
    }
}

static void show_now(fixture *f, const char *serial, ct_buf *out)
{
    ct_buf_reset(out);
    assert_int_equal(ct_store_unit_show_json(out, f->st, serial, "gw", CT_TIME_NONE), CT_OK);
}

/* SQLite: after an import unit_span has exactly the migrations' indexes and triggers. */
static void check_schema(const fixture *f)
{
    sqlite3 *db;
    sqlite3_stmt *q;
    ct_buf names = CT_BUF_INIT;
    if (strcmp(ct_test_backend(), "sqlite") != 0)
        return;
    assert_int_equal(sqlite3_open_v2(f->dsn, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT name FROM sqlite_master WHERE tbl_name = "
                                        "'unit_span' AND type IN ('index', 'trigger') "
                                        "ORDER BY name",
                                        -1, &q, NULL),
                     SQLITE_OK);
    while (sqlite3_step(q) == SQLITE_ROW)
        ct_buf_printf(&names, "%s ", sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    /* migration 0021: unit_span is WITHOUT ROWID, unit_span_open partial on the open spans,
     * unit_event_unit gone; an import that drops and re-creates indexes keeps all of that */
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT (SELECT sql FROM sqlite_master WHERE name = "
                                        "'unit_span'), (SELECT sql FROM sqlite_master WHERE "
                                        "name = 'unit_span_open'), (SELECT group_concat(name) "
                                        "FROM sqlite_master WHERE tbl_name = 'unit_event' AND "
                                        "type = 'index'), (SELECT sql FROM sqlite_master "
                                        "WHERE name = 'unit_event')",
                                        -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_non_null(strstr((const char *)sqlite3_column_text(q, 0), "WITHOUT ROWID"));
    assert_non_null(strstr((const char *)sqlite3_column_text(q, 1), "WHERE valid_to IS NULL"));
    /* migration 0030: unit_event is WITHOUT ROWID on (unit_id, product_id, time, kind), its
     * only key; no other index */
    assert_null(sqlite3_column_text(q, 2));
    assert_non_null(strstr((const char *)sqlite3_column_text(q, 3), "WITHOUT ROWID"));
    sqlite3_finalize(q);
    sqlite3_close(db);
    assert_string_equal(names.ptr, "unit_span_alive unit_span_open unit_span_stale_del "
                                   "unit_span_stale_ins unit_span_stale_upd ");
    ct_buf_dispose(&names);
}

/* SN0: a full life in time order. SN1: its rows out of time order and an update given twice
 * at the same instant (the first row wins: 1.0 -> 1.1, not 1.2). SN2: ship and transfer at
 * the same instant. SN3: rows split by SN4's, with a duplicate of its first row after the
 * split (the general path). SN4: a swap without a hardware revision (keeps rev-A). SN5: a
 * failed update. SN6, SN7: no events. */
static const char events_a[] =
    "serial,product,time,kind,from_release,to_release,detail,customer,result,hardware_revision\n"
    "SN0,gw,2023-02-01T00:00:00Z,ship,,,,C1,,\n"
    "SN0,gw,2023-03-01T00:00:00Z,update,1.0,1.1,OTA,,ok,\n"
    "SN0,gw,2023-05-01T00:00:00Z,swap,,,mainboard,,,rev-B\n"
    "SN0,gw,2023-12-01T00:00:00Z,decommission,,,,,,\n"
    "SN1,gw,2023-04-01T00:00:00Z,update,1.0,1.1,first,,ok,\n"
    "SN1,gw,2023-02-01T00:00:00Z,ship,,,,C2,,\n"
    "SN1,gw,2023-04-01T00:00:00Z,update,1.0,1.2,second,,ok,\n"
    "SN2,gw,2023-02-01T00:00:00Z,ship,,,,C0,,\n"
    "SN2,gw,2023-02-01T00:00:00Z,transfer,,,,C2,,\n"
    "SN3,gw,2023-02-01T00:00:00Z,ship,,,,C1,,\n"
    "SN4,gw,2023-02-01T00:00:00Z,ship,,,,C1,,\n"
    "SN4,gw,2023-06-01T00:00:00Z,swap,,,,,,\n"
    "SN3,gw,2023-02-01T00:00:00Z,ship,,,,C0,,\n"
    "SN3,gw,2023-07-01T00:00:00Z,update,1.0,1.2,,,ok,\n"
    "SN5,gw,2023-02-01T00:00:00Z,ship,,,,C2,,\n"
    "SN5,gw,2023-03-01T00:00:00Z,update,1.0,1.1,,,failed,\n";

static void test_import_batches__both_paths_match_the_rebuild(void **state)
{
    fixture *f = *state;
    ct_import_stats s;
    ct_buf b = CT_BUF_INIT;

    import_events(f, "a.csv", events_a, &s);
    assert_int_equal(s.records, 16);
    assert_int_equal(s.inserted, 14); /* SN1's second update and SN3's second ship */
    assert_int_equal(s.unchanged, 2);
    check_schema(f);

    show_now(f, "SN1", &b); /* the first of the two updates at one instant was kept */
    assert_non_null(strstr(b.ptr, "\"release\":\"1.1\""));
    assert_non_null(strstr(b.ptr, "\"detail\":\"first\""));
    assert_null(strstr(b.ptr, "\"detail\":\"second\""));
    show_now(f, "SN3", &b); /* its first ship row was kept: C1, then updated to 1.2 */
    assert_non_null(strstr(b.ptr, "\"customer\":\"C1\""));
    assert_non_null(strstr(b.ptr, "\"release\":\"1.2\""));
    show_now(f, "SN4", &b);
    assert_non_null(strstr(b.ptr, "\"hardware_revision\":\"rev-A\""));
    show_now(f, "SN2", &b);
    assert_non_null(strstr(b.ptr, "\"customer\":\"C2\""));
    show_now(f, "SN5", &b);
    assert_non_null(strstr(b.ptr, "\"release\":\"1.0\""));
    show_now(f, "SN0", &b);
    assert_non_null(strstr(b.ptr, "\"state\":\"decommissioned\""));
    assert_non_null(strstr(b.ptr, "\"hardware_revision\":\"rev-B\""));
    show_now(f, "SN6", &b); /* no events: the registered record */
    assert_non_null(strstr(b.ptr, "\"state\":\"in_service\""));
    assert_non_null(strstr(b.ptr, "\"events\":[]"));
    check_against_rebuild(f);
    ct_buf_dispose(&b);
}

/* A second import into a store with history: new events of units that have some (SN0, SN1),
 * of units without any (SN6, SN7), events already stored (SN2's ship) and a duplicate within
 * the file (SN7); then the same file again changes nothing. */
static const char events_b[] =
    "serial,product,time,kind,from_release,to_release,detail,customer,result,hardware_revision\n"
    "SN6,gw,2023-03-01T00:00:00Z,ship,,,,C0,,\n"
    "SN6,gw,2023-08-01T00:00:00Z,update,1.0,1.2,,,ok,\n"
    "SN0,gw,2023-06-01T00:00:00Z,transfer,,,,C2,,\n"
    "SN2,gw,2023-02-01T00:00:00Z,ship,,,,C0,,\n"
    "SN2,gw,2023-09-01T00:00:00Z,rma_open,,,,,,\n"
    "SN7,gw,2023-04-01T00:00:00Z,ship,,,,C1,,\n"
    "SN7,gw,2023-04-01T00:00:00Z,ship,,,,C0,,\n"
    "SN1,gw,2023-01-15T00:00:00Z,param_change,,,,,,\n";

static void test_import_batches__reimport_into_history_mixed_units(void **state)
{
    fixture *f = *state;
    ct_import_stats s;
    ct_buf b = CT_BUF_INIT, all1 = CT_BUF_INIT, all2 = CT_BUF_INIT;

    import_events(f, "a.csv", events_a, &s);
    import_events(f, "b.csv", events_b, &s);
    assert_int_equal(s.records, 8);
    assert_int_equal(s.inserted, 6); /* not SN2's ship (stored), not SN7's second ship */
    assert_int_equal(s.unchanged, 2);
    check_schema(f);
    show_now(f, "SN0", &b); /* decommissioned in December, transferred in June */
    assert_non_null(strstr(b.ptr, "\"state\":\"decommissioned\""));
    assert_non_null(strstr(b.ptr, "\"customer\":\"C2\""));
    show_now(f, "SN2", &b);
    assert_non_null(strstr(b.ptr, "\"state\":\"in_rma\""));
    show_now(f, "SN6", &b);
    assert_non_null(strstr(b.ptr, "\"release\":\"1.2\""));
    show_now(f, "SN7", &b);
    assert_non_null(strstr(b.ptr, "\"customer\":\"C1\""));
    check_against_rebuild(f);

    for (int i = 0; i < NUNITS; i++) {
        char serial[16];
        snprintf(serial, sizeof serial, "SN%d", i);
        history(f, serial, &b);
        ct_buf_puts(&all1, b.ptr);
    }
    import_events(f, "a.csv", events_a, &s);
    assert_int_equal(s.inserted, 0);
    assert_int_equal(s.unchanged, 16);
    import_events(f, "b.csv", events_b, &s);
    assert_int_equal(s.inserted, 0);
    assert_int_equal(s.unchanged, 8);
    for (int i = 0; i < NUNITS; i++) {
        char serial[16];
        snprintf(serial, sizeof serial, "SN%d", i);
        history(f, serial, &b);
        ct_buf_puts(&all2, b.ptr);
    }
    assert_string_equal(all1.ptr, all2.ptr);
    check_schema(f);
    ct_buf_dispose(&b);
    ct_buf_dispose(&all1);
    ct_buf_dispose(&all2);
}

/* A bad row after some units were written by the fast path rolls everything back, triggers
 * and indexes included; with --skip-bad the same file imports the good rows. */
static void test_import_batches__bad_row_after_written_units(void **state)
{
    fixture *f = *state;
    ct_import_stats s;
    ct_import_options o;
    ct_buf b = CT_BUF_INIT;
    char *p, *rej;
    static const char bad[] = "serial,product,time,kind\n"
                              "SN0,gw,2023-02-01T00:00:00Z,ship\n"
                              "SN1,gw,2023-02-01T00:00:00Z,ship\n"
                              "SN2,gw,2023-02-01T00:00:00Z,teleport\n"
                              "SN3,gw,2023-02-01T00:00:00Z,ship\n";

    p = ct_test_write_file(f->dir, "bad.csv", bad);
    memset(&s, 0, sizeof s);
    assert_int_equal(ct_import_events_csv(f->st, p, &s), CT_EPARSE);
    assert_int_equal(ct_error_last()->line, 4);
    ct_error_clear();
    check_schema(f);
    show_now(f, "SN0", &b);
    assert_non_null(strstr(b.ptr, "\"events\":[]"));
    assert_non_null(strstr(b.ptr, "\"state\":\"in_service\""));

    memset(&o, 0, sizeof o);
    rej = ct_calloc(1, strlen(f->dir) + 16);
    snprintf(rej, strlen(f->dir) + 16, "%s/rejects.csv", f->dir);
    o.skip_bad = true;
    o.reject_path = rej;
    memset(&s, 0, sizeof s);
    assert_int_equal(ct_import_events_csv_ex(f->st, p, &o, &s), CT_OK);
    assert_int_equal(s.inserted, 3);
    assert_int_equal(s.rejected, 1);
    show_now(f, "SN3", &b);
    assert_non_null(strstr(b.ptr, "\"state\":\"shipped\""));
    check_against_rebuild(f);
    check_schema(f);
    ct_free(rej);
    ct_free(p);
    ct_buf_dispose(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_import_batches__both_paths_match_the_rebuild, setup,
                                        ct_fleet_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_import_batches__reimport_into_history_mixed_units,
                                        setup, ct_fleet_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_import_batches__bad_row_after_written_units, setup,
                                        ct_fleet_fixture_teardown),
    };
    return CT_FLEET_FIXTURE_RUN(tests);
}

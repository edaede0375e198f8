/* Migration 0030 (docs/fleet.md, "Large imports"): on SQLite unit_event has no rowid, so the
 * writers number events (store_state 'unit_event_id'), and unit_span carries alive_class, which
 * unit_span_alive is built over. Checked here, through every writer of each table:
 *  - event ids: the import's fast path, its general path (a unit met again, a re-import), one
 *    event at a time (ct_store_unit_event_add, new and already stored); ids follow the order of
 *    the writes, same-instant events keep that order in `unit show`; on SQLite the ids are
 *    1..n without a gap and the counter is n, as a rowid table would have numbered them;
 *  - alive_class equals the rule (the CASE of migration 0015, NULL out of the field) for every
 *    span written by the units import, the events import (fast path, general path with the
 *    rebuild, spans cleared at once with the default spans given back), ct_store_unit_upsert
 *    and ct_fleet_rebuild_unit;
 *  - the statement of `affected --at` reads unit_span_alive as a covering index, and no query of
 *    the store that SQLite can prepare scans unit_event or unit_span in full.
 * CT_TEST_USES_STORE: runs on SQLite and PostgreSQL (PostgreSQL: the answers; its schema is
 * unchanged by 0030). */
#include "ct_fleet_fixture.h"

#include "cratrace/fleet.h"
#include "cratrace/store.h"
#include "store/store_int.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

typedef ct_fleet_fixture fixture;

static ct_time at(const char *iso8601)
{
    ct_time t = 0;
    assert_int_equal(ct_time_parse(&t, iso8601, strlen(iso8601)), CT_OK);
    return t;
}

/* t as ISO 8601 (four buffers in turn: several in one call's arguments) */
static const char *iso(long long t)
{
    static char buf[4][32];
    static unsigned k;
    char *b = buf[k++ % 4];
    ct_time_format(b, (ct_time)t);
    return b;
}

static int setup(void **state)
{
    fixture *f = ct_fleet_fixture_new();
    ct_fleet_fixture_gw(f, 3);
    ct_fleet_fixture_customers(f, 3);
    *state = f;
    return 0;
}

static void import_events(fixture *f, const char *name, const char *csv)
{
    ct_import_stats s;
    char *p = ct_test_write_file(f->dir, name, csv);
    memset(&s, 0, sizeof s);
    if (ct_import_events_csv(f->st, p, &s) != CT_OK)
        fail_msg("import %s: %s", name, ct_error_last()->message);
    ct_free(p);
}

/* SQLite: one value of sql (first row, first column) as text, "" for none. */
static char *one(const fixture *f, const char *sql)
{
    char *t = ct_fleet_fixture_sql_text(f, sql);
    char *nl = strchr(t, '\n');
    if (nl)
        *nl = '\0';
    return t;
}

static void assert_sql(const fixture *f, const char *sql, const char *want)
{
    char *got = one(f, sql);
    if (strcmp(got, want) != 0)
        fail_msg("%s: got '%s', want '%s'", sql, got, want);
    ct_free(got);
}

/* The details of the events of serial as `unit show` lists them, comma-separated. */
static void shown_details(fixture *f, const char *serial, ct_buf *out)
{
    ct_buf js = CT_BUF_INIT;
    const char *p;
    ct_buf_reset(out);
    assert_int_equal(ct_store_unit_show_json(&js, f->st, serial, "gw", CT_TIME_NONE), CT_OK);
    for (p = js.ptr; (p = strstr(p, "\"detail\":\"")) != NULL;) {
        const char *e;
        p += strlen("\"detail\":\"");
        e = strchr(p, '"');
        assert_non_null(e);
        ct_buf_printf(out, "%s%.*s", out->len ? "," : "", (int)(e - p), p);
        p = e;
    }
    ct_buf_dispose(&js);
}

static void test_fleet_model__event_ids_follow_the_writes(void **state)
{
    fixture *f = *state;
    ct_buf got = CT_BUF_INIT;
    bool added = false;

    ct_fleet_fixture_import_units(f, "units.csv",
                                  CT_FLEET_UNITS_HEADER
                                  "A,gw,rev-A,1.0,C0,2023-01-01T00:00:00Z,in_service\n"
                                  "B,gw,rev-A,1.0,C1,2023-01-01T00:00:00Z,in_service\n"
                                  "C,gw,rev-A,1.0,C2,2023-01-01T00:00:00Z,in_service\n");
    /* A: fast path, a duplicate (a2 again: not written), a ship and a transfer at one instant;
     * B: split by C's rows, so its second run takes the general path */
    import_events(f, "e1.csv",
                  CT_FLEET_EVENTS_HEADER "A,gw,2023-02-01T00:00:00Z,ship,,,a1,C0\n"
                                         "A,gw,2023-02-01T00:00:00Z,transfer,,,a2,C1\n"
                                         "A,gw,2023-02-01T00:00:00Z,transfer,,,a2dup,C2\n"
                                         "B,gw,2023-02-01T00:00:00Z,ship,,,b1,C1\n"
                                         "C,gw,2023-02-03T00:00:00Z,ship,,,c1,C2\n"
                                         "B,gw,2023-02-01T00:00:00Z,transfer,,,b2,C2\n"
                                         "B,gw,2023-02-01T00:00:00Z,ship,,,b1dup,C0\n");
    /* one at a time: a new event of C at C's instant, then the same again (nothing written) */
    assert_int_equal(ct_store_unit_event_add(&added, f->st, 3, f->gw,
                                             at("2023-02-03T00:00:00Z"), "update",
                                             f->rel, f->rel + 1, "c2"),
                     CT_OK);
    assert_true(added);
    assert_int_equal(ct_store_unit_event_add(&added, f->st, 3, f->gw,
                                             at("2023-02-03T00:00:00Z"), "update",
                                             f->rel, f->rel + 1, "c2again"),
                     CT_OK);
    assert_false(added);
    /* a re-import: A's stored rows (nothing), a new one of A at its instant (general path) */
    import_events(f, "e2.csv",
                  CT_FLEET_EVENTS_HEADER "A,gw,2023-02-01T00:00:00Z,ship,,,a1,C0\n"
                                         "A,gw,2023-02-01T00:00:00Z,rma_open,,,a3,\n");

    shown_details(f, "A", &got);
    assert_string_equal(got.ptr, "a1,a2,a3");
    shown_details(f, "B", &got);
    assert_string_equal(got.ptr, "b1,b2");
    shown_details(f, "C", &got);
    assert_string_equal(got.ptr, "c1,c2");
    if (ct_fleet_fixture_is_sqlite()) {
        char *d = ct_fleet_fixture_sql_text(f, "SELECT detail FROM unit_event ORDER BY id");
        assert_string_equal(d, "a1\na2\nb1\nc1\nb2\nc2\na3\n");
        ct_free(d);
        assert_sql(f, "SELECT count(*) || ' ' || min(id) || ' ' || max(id) || ' ' || "
                      "count(DISTINCT id) FROM unit_event",
                   "7 1 7 7");
        assert_sql(f, "SELECT value FROM store_state WHERE name = 'unit_event_id'", "7");
        assert_sql(f, "PRAGMA integrity_check", "ok");
    }
    ct_buf_dispose(&got);
}

/* SQLite: spans whose alive_class differs from the rule (0 expected). */
#define CLASS_WRONG                                                                               \
    "SELECT count(*) FROM unit_span WHERE alive_class IS NOT (CASE WHEN state = "                \
    "'decommissioned' OR state = 'replaced' THEN NULL WHEN valid_to IS NULL THEN 0 "             \
    "WHEN valid_to - valid_from <= 3600 THEN 1 WHEN valid_to - valid_from <= 14400 THEN 2 "      \
    "WHEN valid_to - valid_from <= 57600 THEN 3 WHEN valid_to - valid_from <= 230400 THEN 4 "    \
    "WHEN valid_to - valid_from <= 921600 THEN 5 WHEN valid_to - valid_from <= 3686400 THEN 6 "  \
    "WHEN valid_to - valid_from <= 14745600 THEN 7 WHEN valid_to - valid_from <= 58982400 "      \
    "THEN 8 WHEN valid_to - valid_from <= 235929600 THEN 9 ELSE 10 END)"

static void check_classes(const fixture *f, const char *classes)
{
    if (!ct_fleet_fixture_is_sqlite())
        return;
    assert_sql(f, CLASS_WRONG, "0");
    if (classes)
        assert_sql(f,
                   "SELECT group_concat(c) FROM (SELECT DISTINCT COALESCE(alive_class, -1) AS c "
                   "FROM unit_span ORDER BY c)",
                   classes);
}

static void test_fleet_model__alive_class_from_every_writer(void **state)
{
    fixture *f = *state;
    ct_buf csv = CT_BUF_INIT;
    /* span lengths: 1 h, 4 h, 4 h + 1 s, 64 h, 10 d, 40 d, 160 d, 300 d, 2 y, 9 y: the
     * classes 1-10 (each at or below its upper bound) */
    static const long long gap[] = { 3600,    14400,    14401,    230400,   864000,
                                     3456000, 13824000, 25920000, 63072000, 283824000 };
    long long t = 1675209600; /* 2023-02-01 */
    int64_t id = 0;

    ct_fleet_fixture_import_units(f, "units.csv",
                                  CT_FLEET_UNITS_HEADER
                                  "K,gw,rev-A,1.0,C0,2023-01-01T00:00:00Z,in_service\n"
                                  "D,gw,rev-A,1.0,C0,2023-01-01T00:00:00Z,decommissioned\n"
                                  "R,gw,rev-A,1.0,C1,2023-01-01T00:00:00Z,replaced\n"
                                  "S,gw,rev-A,1.0,C1,2023-01-01T00:00:00Z,in_stock\n"
                                  "X,gw,rev-A,1.0,C2,2023-01-01T00:00:00Z,in_service\n");
    check_classes(f, "-1,0");
    /* K: transfers spaced so that its spans fall in every class, then decommissioned (its last
     * span out of the field); X: a ship only */
    ct_buf_puts(&csv, CT_FLEET_EVENTS_HEADER);
    ct_buf_printf(&csv, "K,gw,%s,ship,,,k0,C0\n", iso(t));
    for (size_t i = 0; i < CT_NELEM(gap); i++) {
        t += gap[i];
        ct_buf_printf(&csv, "K,gw,%s,transfer,,,k%zu,C%zu\n", iso(t), i + 1, (i + 1) % 3);
    }
    ct_buf_printf(&csv, "K,gw,%s,decommission,,,kend,\n", iso(t + 60));
    ct_buf_printf(&csv, "X,gw,%s,ship,,,x0,C2\n", iso(1675209600));
    import_events(f, "e1.csv", csv.ptr);
    check_classes(f, "-1,0,1,2,3,4,5,6,7,8,9,10");
    /* the general path and its rebuild: X met again with an update an hour after its ship */
    ct_buf_reset(&csv);
    ct_buf_puts(&csv, CT_FLEET_EVENTS_HEADER);
    ct_buf_printf(&csv, "X,gw,%s,update,1.0,1.1,x1,\n", iso(1675209600 + 3600));
    import_events(f, "e2.csv", csv.ptr);
    check_classes(f, NULL);
    /* unit upsert: a new unit and a changed one without events (their open span again) */
    assert_int_equal(ct_store_unit_upsert(&id, f->st, f->gw, "N", "rev-A", f->rel, f->cust,
                                          at("2023-01-01T00:00:00Z"), "replaced"),
                     CT_OK);
    assert_int_equal(ct_store_unit_upsert(&id, f->st, f->gw, "S", "rev-A", f->rel, f->cust,
                                          at("2023-01-01T00:00:00Z"), "in_service"),
                     CT_OK);
    check_classes(f, NULL);
    /* one event and a rebuild of that unit's history */
    {
        bool added = false;
        assert_int_equal(ct_store_unit_event_add(&added, f->st, id, f->gw,
                                                 at("2023-03-01T00:00:00Z"),
                                                 "decommission", 0, 0, "s1"),
                         CT_OK);
        assert_true(added);
        assert_int_equal(ct_fleet_rebuild_unit(f->st, id), CT_OK);
    }
    check_classes(f, NULL);
    if (ct_fleet_fixture_is_sqlite()) {
        assert_sql(f, "SELECT alive_class IS NULL FROM unit_span u JOIN unit x ON x.id = "
                      "u.unit_id WHERE x.serial = 'S' AND u.valid_to IS NULL",
                   "1");
        assert_sql(f, "PRAGMA integrity_check", "ok");
    }
    ct_buf_dispose(&csv);
}

/* SQLite: a first events import into 20,000 units takes the bulk path (spans cleared at once,
 * indexes dropped and created again, default spans given back to the units without rows). */
static void test_fleet_model__alive_class_bulk_import(void **state)
{
    fixture *f = *state;
    ct_buf units = CT_BUF_INIT, ev = CT_BUF_INIT;
    enum { N = 20000 };
    ct_buf_puts(&units, CT_FLEET_UNITS_HEADER);
    ct_buf_puts(&ev, CT_FLEET_EVENTS_HEADER);
    for (int i = 0; i < N; i++) {
        ct_buf_printf(&units, "B%05d,gw,rev-A,1.0,C%d,2023-01-01T00:00:00Z,%s\n", i, i % 3,
                      i % 50 == 7 ? "decommissioned" : "in_service");
        if (i % 100 == 3)
            continue; /* no rows: its default span is given back at the end */
        /* (details long enough for the bulk path: 64 file bytes per unit) */
        ct_buf_printf(&ev,
                      "B%05d,gw,2023-02-01T00:00:00Z,ship,,,shipped-from-the-plant,C%d\n"
                      "B%05d,gw,%s,update,1.0,1.1,over-the-air-update,\n",
                      i, i % 3, i, iso(1675209600 + 60 * (i % 5000)));
        if (i % 10 == 1)
            ct_buf_printf(&ev, "B%05d,gw,2023-06-01T00:00:00Z,decommission,,,,\n", i);
    }
    ct_fleet_fixture_import_units(f, "units.csv", units.ptr);
    check_classes(f, "-1,0");
    import_events(f, "events.csv", ev.ptr);
    check_classes(f, NULL);
    /* 19,800 units with 2 rows, 2,000 of them with a third (ids 1..41,600) */
    if (ct_fleet_fixture_is_sqlite()) {
        assert_sql(f, "SELECT count(*) FROM unit_event", "41600");
        assert_sql(f, "SELECT value FROM store_state WHERE name = 'unit_event_id'", "41600");
        assert_sql(f, "SELECT max(id) || ' ' || count(DISTINCT id) FROM unit_event", "41600 41600");
        assert_sql(f,
                   "SELECT group_concat(name) FROM (SELECT name FROM sqlite_master WHERE "
                   "tbl_name = 'unit_span' AND type = 'index' ORDER BY name)",
                   "unit_span_alive,unit_span_open");
        assert_sql(f, "PRAGMA integrity_check", "ok");
    }
    ct_buf_dispose(&units);
    ct_buf_dispose(&ev);
}

/* SQLite: the plans. AFFECTED_SPANS_AT reads unit_span_alive alone (covering); no statement of
 * the store's query list that SQLite prepares scans unit_event or unit_span in full (a SCAN of
 * either without an index), except the one-row probe UNIT_EVENTS_ANY (LIMIT 1) and
 * SPANS_DELETE_ALL (no WHERE: SQLite clears the B-tree). */
static void test_fleet_model__plans(void **state)
{
    fixture *f = *state;
#define CT_X_(id, sql) { #id, sql },
    static const struct {
        const char *name, *sql;
    } q[] = { CT_QUERY_MAP(CT_X_) };
#undef CT_X_
    sqlite3 *db;
    int checked = 0;

    if (!ct_fleet_fixture_is_sqlite())
        return;
    assert_int_equal(sqlite3_open_v2(f->dsn, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    for (size_t i = 0; i < CT_NELEM(q); i++) {
        ct_buf sql = CT_BUF_INIT, plan = CT_BUF_INIT;
        sqlite3_stmt *s = NULL;
        if ((!strstr(q[i].sql, "unit_span") && !strstr(q[i].sql, "unit_event")) ||
            strcmp(q[i].name, "AFFECTED_COUNTS_AT") == 0) /* PostgreSQL's (queries.c) */
            continue;
        ct_buf_printf(&sql, "EXPLAIN QUERY PLAN %s", q[i].sql);
        if (sqlite3_prepare_v2(db, sql.ptr, -1, &s, NULL) != SQLITE_OK) {
            ct_buf_dispose(&sql); /* PostgreSQL's own texts */
            continue;
        }
        while (sqlite3_step(s) == SQLITE_ROW)
            ct_buf_printf(&plan, "%s\n", (const char *)sqlite3_column_text(s, 3));
        sqlite3_finalize(s);
        checked++;
        if (strcmp(q[i].name, "AFFECTED_SPANS_AT") == 0 &&
            !strstr(plan.ptr, "USING COVERING INDEX unit_span_alive"))
            fail_msg("AFFECTED_SPANS_AT: %s", plan.ptr);
        if (strcmp(q[i].name, "UNIT_EVENTS_ANY") != 0 &&
            strcmp(q[i].name, "SPANS_DELETE_ALL") != 0) { /* LIMIT 1; the B-tree cleared */
            const char *p = plan.ptr;
            while ((p = strstr(p, "SCAN ")) != NULL) {
                const char *nl = strchr(p, '\n');
                const char *u = strstr(p, "USING");
                bool tbl = strncmp(p, "SCAN unit_span", 14) == 0 ||
                           strncmp(p, "SCAN unit_event", 15) == 0 ||
                           strncmp(p, "SCAN s\n", 7) == 0 || strncmp(p, "SCAN e\n", 7) == 0;
                if (tbl && (!u || (nl && u > nl)))
                    fail_msg("%s scans a history table in full:\n%s", q[i].name, plan.ptr);
                p += 5;
            }
        }
        ct_buf_dispose(&plan);
        ct_buf_dispose(&sql);
    }
    sqlite3_close(db);
    assert_true(checked > 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_fleet_model__event_ids_follow_the_writes, setup,
                                        ct_fleet_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_fleet_model__alive_class_from_every_writer, setup,
                                        ct_fleet_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_fleet_model__alive_class_bulk_import, setup,
                                        ct_fleet_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_fleet_model__plans, setup,
                                        ct_fleet_fixture_teardown),
    };
    return CT_FLEET_FIXTURE_RUN(tests);
}

/* A fresh fleet's first events import (docs/fleet.md, "PostgreSQL events import"): on
 * PostgreSQL it truncates unit_event and unit_span in its transaction, keeps the units' spans
 * aside, and COPYs the rows of units met for the first time with FREEZE into each table's
 * partition (src/fleet/events_copy.c). Checked on both backends: every unit's spans equal what
 * the history code derives from its row and events (ct_fleet__rebuild_units over every unit,
 * the dumps compared), units the file does not have keep their registered span, units met again
 * later in the file (staged rows) and duplicate rows are handled as before. On PostgreSQL also:
 * every page of unit_event's and unit_span's partitions is all-visible right after the import
 * (ANALYZE's relallvisible, autovacuum off for them), which plain COPY does not give.
 * CT_TEST_USES_STORE: runs on SQLite and PostgreSQL. */
#include "ct_fleet_fixture.h"

#include "cratrace/fleet.h"
#include "cratrace/store.h"
#include "fleet/fleet_bulk.h"
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NUNITS 21000 /* > CT_SPAN_REINDEX_MIN (20000, src/fleet/fleet_bulk.h) */
#define NCUST 7

typedef ct_fleet_fixture fixture;

static bool is_pg(void)
{
    return strcmp(ct_test_backend(), "pg") == 0;
}

static void exec_sql(fixture *f, const char *sql)
{
    assert_int_equal(f->st->drv->exec(f->st->conn, sql), 0);
}

static int setup(void **state)
{
    fixture *f = ct_fleet_fixture_new();
    int64_t cam = 0;

    ct_fleet_fixture_gw(f, 3);
    assert_int_equal(ct_store_product_add(&cam, f->st, "cam", "ACME", NULL, CT_TIME_NONE), CT_OK);
    assert_int_equal(ct_store_release_add(NULL, f->st, cam, "7.0",
                                          ct_time_from_civil(2022, 1, 1, 0, 0, 0), NULL, NULL,
                                          NULL),
                     CT_OK);
    ct_fleet_fixture_customers(f, NCUST);
    /* PostgreSQL: no autovacuum on the fleet partitions (it would set the visibility map) */
    if (is_pg())
        exec_sql(f, "DO $$ DECLARE t regclass; BEGIN FOR t IN SELECT inhrelid::regclass FROM "
                    "pg_inherits WHERE inhparent IN ('unit_event'::regclass, "
                    "'unit_span'::regclass) LOOP EXECUTE format('ALTER TABLE %s SET "
                    "(autovacuum_enabled = false)', t); END LOOP; END $$");
    *state = f;
    return 0;
}

/* Unit i (SN<i>; product cam when i % 10 == 9, else gw) in the units file; in the events file
 * (mixed: i % 7 == 3 has no events) a ship, an update (gw, i % 4: 1.0 -> 1.1 -> 1.2 steps), a
 * transfer for i % 5 == 0; mixed also repeats unit i's ship row (a duplicate) for i % 11 == 0
 * and gives units i < 50 one more event at the end of the file (met again: staged). */
static void import_fleet(fixture *f, bool mixed, uint64_t *events_out)
{
    ct_buf u = CT_BUF_INIT, e = CT_BUF_INIT;
    ct_import_stats s;
    uint64_t n = 0;
    char *p;

    ct_buf_puts(&u, CT_FLEET_UNITS_HEADER);
    ct_buf_puts(&e, CT_FLEET_EVENTS_HEADER);
    for (int i = 0; i < NUNITS; i++) {
        bool cam = i % 10 == 9;
        ct_buf_printf(&u, "SN%05d,%s,A,%s,C%d,2022-01-15T00:00:00Z,in_stock\n", i,
                      cam ? "cam" : "gw", cam ? "7.0" : "1.0", i % NCUST);
        if (mixed && i % 7 == 3)
            continue;
        ct_buf_printf(&e, "SN%05d,%s,2022-02-%02dT00:00:00Z,ship,,,,C%d\n", i,
                      cam ? "cam" : "gw", 1 + i % 20, i % NCUST);
        n++;
        if (mixed && i % 11 == 0)
            ct_buf_printf(&e, "SN%05d,%s,2022-02-%02dT00:00:00Z,ship,,,dup,C%d\n", i,
                          cam ? "cam" : "gw", 1 + i % 20, (i + 1) % NCUST);
        if (!cam && i % 4) {
            ct_buf_printf(&e, "SN%05d,gw,2022-03-%02dT00:00:00Z,update,1.0,1.%d,,\n", i,
                          1 + i % 25, i % 4 == 3 ? 2 : 1);
            n++;
        }
        if (i % 5 == 0) {
            ct_buf_printf(&e, "SN%05d,%s,2022-04-%02dT12:00:00Z,transfer,,,,C%d\n", i,
                          cam ? "cam" : "gw", 1 + i % 28, (i + 3) % NCUST);
            n++;
        }
    }
    for (int i = 0; mixed && i < 50; i++) {
        if (i % 7 == 3 || i % 10 == 9)
            continue;
        ct_buf_printf(&e, "SN%05d,gw,2022-05-01T00:00:00Z,update,,1.2,late,\n", i);
        n++;
    }
    assert_false(u.failed || e.failed);
    p = ct_test_write_file(f->dir, "units.csv", u.ptr);
    memset(&s, 0, sizeof s);
    if (ct_import_units_csv(f->st, p, &s) != CT_OK)
        fail_msg("units import: %s", ct_error_last()->message);
    assert_int_equal(s.inserted, (uint64_t)NUNITS);
    ct_free(p);
    p = ct_test_write_file(f->dir, "events.csv", e.ptr);
    memset(&s, 0, sizeof s);
    if (ct_import_events_csv(f->st, p, &s) != CT_OK)
        fail_msg("events import: %s", ct_error_last()->message);
    assert_int_equal(s.inserted, n);
    ct_free(p);
    ct_buf_dispose(&u);
    ct_buf_dispose(&e);
    *events_out = n;
}

/* One line per row of sql's result (every column as text, NULL as \N). */
static void dump(fixture *f, ct_buf *out, const char *sql, int ncols)
{
    ct_stmt *q = NULL;
    int rc;
    ct_buf_reset(out);
    assert_int_equal(f->st->drv->prepare(&q, f->st->conn, sql), 0);
    while ((rc = f->st->drv->step(q)) == 1) {
        for (int c = 0; c < ncols; c++) {
            const char *v = f->st->drv->column_is_null(q, c) ? "\\N"
                                                             : f->st->drv->column_text(q, c);
            ct_buf_printf(out, "%s%s", c ? "|" : "", v);
        }
        ct_buf_putc(out, '\n');
    }
    assert_int_equal(rc, 0);
    f->st->drv->finalize(q);
    assert_false(out->failed);
}

#define SPANS_SQL                                                                                 \
    "SELECT unit_id, product_id, valid_from, valid_to, release_id, customer_id, state, "          \
    "hardware_revision, param_set_id FROM unit_span ORDER BY unit_id, valid_from"

/* The spans as stored equal the spans the history code derives for every unit. */
static void check_spans_derived(fixture *f)
{
    ct_buf before = CT_BUF_INIT, after = CT_BUF_INIT, ids = CT_BUF_INIT;
    int64_t *v;
    size_t n = 0;
    char *line, *save = NULL;

    dump(f, &before, SPANS_SQL, 9);
    dump(f, &ids, "SELECT id FROM unit ORDER BY id", 1);
    assert_non_null(v = ct_calloc(NUNITS, sizeof *v));
    for (line = strtok_r(ids.ptr, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
        v[n++] = strtoll(line, NULL, 10);
    assert_int_equal(n, NUNITS);
    assert_int_equal(ct_store_begin(f->st), CT_OK);
    assert_int_equal(ct_fleet__rebuild_units(f->st, v, n), CT_OK);
    assert_int_equal(ct_store_commit(f->st), CT_OK);
    dump(f, &after, SPANS_SQL, 9);
    assert_true(before.len > (size_t)NUNITS * 20);
    if (strcmp(before.ptr, after.ptr) != 0)
        fail_msg("stored spans differ from the rebuilt ones (%zu vs %zu bytes)", before.len,
                 after.len);
    ct_free(v);
    ct_buf_dispose(&before);
    ct_buf_dispose(&after);
    ct_buf_dispose(&ids);
}

/* PostgreSQL: partitions of unit_event and unit_span with pages / with pages not all visible */
static void visibility(fixture *f, int64_t *with_pages, int64_t *not_all_visible)
{
    ct_buf out = CT_BUF_INIT;
    exec_sql(f, "ANALYZE unit_event, unit_span");
    dump(f, &out,
         "SELECT count(*) FILTER (WHERE c.relpages > 0), count(*) FILTER (WHERE c.relpages > 0 "
         "AND c.relallvisible < c.relpages) FROM pg_inherits i JOIN pg_class c ON c.oid = "
         "i.inhrelid WHERE i.inhparent IN ('unit_event'::regclass, 'unit_span'::regclass)",
         2);
    assert_int_equal(sscanf(out.ptr, "%lld|%lld", (long long *)with_pages,
                            (long long *)not_all_visible),
                     2);
    ct_buf_dispose(&out);
}

static int64_t count_of(fixture *f, const char *sql)
{
    ct_buf out = CT_BUF_INIT;
    int64_t n;
    dump(f, &out, sql, 1);
    n = strtoll(out.ptr, NULL, 10);
    ct_buf_dispose(&out);
    return n;
}

/* Every unit in the file once, in order: all rows go the direct (frozen) way. */
static void test_pg_freeze__first_import_is_frozen_and_derived(void **state)
{
    fixture *f = *state;
    uint64_t n = 0;
    import_fleet(f, false, &n);
    assert_int_equal(count_of(f, "SELECT count(*) FROM unit_event"), (int64_t)n);
    if (is_pg()) {
        int64_t pages = 0, not_visible = -1;
        visibility(f, &pages, &not_visible);
        assert_true(pages >= 4); /* two products: at least two partitions per table */
        assert_int_equal(not_visible, 0);
    }
    check_spans_derived(f);
}

/* Units without events keep their span, units met again and duplicate rows as before. */
static void test_pg_freeze__mixed_file(void **state)
{
    fixture *f = *state;
    ct_buf b = CT_BUF_INIT;
    uint64_t n = 0;
    import_fleet(f, true, &n);
    assert_int_equal(count_of(f, "SELECT count(*) FROM unit_event"), (int64_t)n);
    /* SN00003 (3 % 7 == 3): no events, its registered record on 1.0, in stock at C3 */
    assert_int_equal(count_of(f, "SELECT count(*) FROM unit_span s JOIN unit u ON u.id = "
                                 "s.unit_id WHERE u.serial = 'SN00003'"),
                     1);
    assert_int_equal(ct_store_unit_show_json(&b, f->st, "SN00003", "gw", CT_TIME_NONE), CT_OK);
    assert_non_null(strstr(b.ptr, "\"release\":\"1.0\""));
    assert_non_null(strstr(b.ptr, "\"state\":\"in_stock\""));
    /* SN00011: the duplicate ship row (detail "dup", another customer) lost to the first */
    ct_buf_reset(&b);
    assert_int_equal(ct_store_unit_show_json(&b, f->st, "SN00011", "gw", CT_TIME_NONE), CT_OK);
    assert_null(strstr(b.ptr, "dup"));
    /* SN00001: its late update (staged) counts: on 1.2 since May */
    ct_buf_reset(&b);
    assert_int_equal(ct_store_unit_show_json(&b, f->st, "SN00001", "gw",
                                             ct_time_from_civil(2022, 5, 2, 0, 0, 0)),
                     CT_OK);
    assert_non_null(strstr(b.ptr, "\"release\":\"1.2\""));
    ct_buf_dispose(&b);
    check_spans_derived(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pg_freeze__first_import_is_frozen_and_derived, setup,
                                        ct_fleet_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_pg_freeze__mixed_file, setup,
                                        ct_fleet_fixture_teardown),
    };
    return CT_FLEET_FIXTURE_RUN(tests);
}

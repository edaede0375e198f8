/* SQLite events import on two threads (round 5, docs/fleet.md "Large imports"): a reader thread
 * parses, checks and looks up the rows and hands them on in batches of about a thousand rows;
 * the calling thread writes them in file order. Checked here with files of many batches:
 * a bad row far beyond the first batches still fails the import naming its file and line and
 * leaves the store unchanged (a row error, a CSV syntax error at the end of the file, and the
 * first of two errors winning); --skip-bad writes the rejects in file order, with their lines,
 * and stores every other row. On PostgreSQL the same files take the COPY path (one thread) and
 * must give the same answers. Also the first events import into a large fleet that clears every
 * span at once (SQLite, round 5): units without events in the file, with only rejected rows, or
 * met twice, all end with the history the read-back rebuild gives them.
 * CT_TEST_USES_STORE: runs on SQLite and PostgreSQL. */
#include "ct_fleet_fixture.h"

#include "cratrace/fleet.h"
#include "cratrace/store.h"

#include <stdio.h>
#include <string.h>

#define NUNITS 3000
#define PER_UNIT 10
#define NROWS (NUNITS * PER_UNIT) /* 30,000 rows: ~30 of the reader's batches */

typedef ct_fleet_fixture fixture;

/* A store with product gw (releases 1.0, 1.1), customers C0..C2 and n units SN000000.. on 1.0,
 * made 2022-06-01 and in stock: without customer on rev-A, or (big) on rev-A / rev-B
 * alternating, every fifth at C1. */
static fixture *fleet(int n, bool big)
{
    fixture *f = ct_fleet_fixture_new();
    ct_buf b = CT_BUF_INIT;

    ct_fleet_fixture_gw(f, 2);
    ct_fleet_fixture_customers(f, 3);
    ct_buf_puts(&b, CT_FLEET_UNITS_HEADER);
    for (int i = 0; i < n; i++)
        ct_buf_printf(&b, "SN%06d,gw,rev-%c,1.0,%s,2022-06-01T00:00:00Z,in_stock\n", i,
                      big ? 'A' + i % 2 : 'A', big && i % 5 == 0 ? "C1" : "");
    assert_false(b.failed);
    ct_fleet_fixture_import_units(f, "units.csv", b.ptr);
    ct_buf_dispose(&b);
    return f;
}

static int setup(void **state)
{
    *state = fleet(NUNITS, false);
    return 0;
}

/* One bad row to put before good row `before` (0-based); its line is reported back. */
typedef struct {
    int before;
    const char *row;
    int line;
} bad_row;

/* NUNITS x PER_UNIT good rows (unit i: a ship to C(i % 3), then updates 1.0 -> 1.1 -> 1.0 ...
 * a day apart) with bad[] put in; tail: appended as is after the last row (no newline added) */
static char *events_file(const fixture *f, const char *name, bad_row *bad, size_t nbad,
                         const char *tail)
{
    ct_buf b = CT_BUF_INIT;
    int line = 1;
    size_t k = 0;
    char *p;

    ct_buf_puts(&b, CT_FLEET_EVENTS_HEADER);
    for (int r = 0; r < NROWS; r++) {
        int i = r / PER_UNIT, e = r % PER_UNIT;
        for (; k < nbad && bad[k].before == r; k++) {
            ct_buf_printf(&b, "%s\n", bad[k].row);
            bad[k].line = ++line;
        }
        if (e == 0)
            ct_buf_printf(&b, "SN%06d,gw,2023-01-%02dT%02d:%02d:00Z,ship,,,shipped,C%d\n", i,
                          1 + e, i / 60 % 24, i % 60, i % 3);
        else
            ct_buf_printf(&b, "SN%06d,gw,2023-01-%02dT%02d:%02d:00Z,update,1.%d,1.%d,\"r%d, ok\",\n",
                          i, 1 + e, i / 60 % 24, i % 60, (e + 1) % 2, e % 2, e);
        line++;
    }
    if (tail)
        ct_buf_puts(&b, tail);
    assert_false(b.failed);
    p = ct_test_write_file(f->dir, name, b.ptr);
    ct_buf_dispose(&b);
    return p;
}

static size_t events_of(const fixture *f, int i)
{
    char serial[16];
    int64_t id = 0;
    ct_unit_event_rec *ev = NULL;
    size_t n = 0;
    snprintf(serial, sizeof serial, "SN%06d", i);
    assert_int_equal(ct_store_unit_find(&id, f->st, f->gw, serial), CT_OK);
    assert_int_equal(ct_store_unit_events_load(&ev, &n, f->st, id), CT_OK);
    ct_unit_events_free(ev, n);
    return n;
}

/* the store holds no event (sampled across the file) */
static void assert_no_events(const fixture *f)
{
    for (int i = 0; i < NUNITS; i += 149)
        assert_int_equal(events_of(f, i), 0);
    assert_int_equal(events_of(f, NUNITS - 1), 0);
}

/* the good rows, all of them: every unit's PER_UNIT events, and its state now */
static void import_good_and_check(const fixture *f)
{
    char *p = events_file(f, "good.csv", NULL, 0, NULL);
    ct_import_stats s;
    ct_buf show = CT_BUF_INIT;

    memset(&s, 0, sizeof s);
    assert_int_equal(ct_import_events_csv(f->st, p, &s), CT_OK);
    assert_int_equal(s.inserted, NROWS);
    for (int i = 0; i < NUNITS; i += 149)
        assert_int_equal(events_of(f, i), PER_UNIT);
    /* last event (e = 9): update 1.0 -> 1.1; shipped to C(2999 % 3) */
    assert_int_equal(ct_store_unit_show_json(&show, f->st, "SN002999", "gw", CT_TIME_NONE),
                     CT_OK);
    assert_non_null(strstr(show.ptr, "\"release\":\"1.1\""));
    assert_non_null(strstr(show.ptr, "\"customer\":\"C2\""));
    ct_buf_dispose(&show);
    ct_free(p);
}

static void expect_error(const char *path, int code, int line, const char *msg)
{
    assert_int_equal(ct_error_last()->code, code);
    assert_string_equal(ct_error_last()->source, path);
    assert_int_equal(ct_error_last()->line, line);
    if (!strstr(ct_error_last()->message, msg))
        fail_msg("message '%s' lacks '%s'", ct_error_last()->message, msg);
}

static void test_late_bad_row_fails_naming_its_line(void **state)
{
    fixture *f = *state;
    bad_row bad[] = { { 25000, "SN000042,gw,2023-02-01T00:00:00Z,explode,,,,", 0 } };
    char *p = events_file(f, "late.csv", bad, 1, NULL);
    ct_import_stats s;

    memset(&s, 0, sizeof s);
    ct_error_clear();
    assert_int_equal(ct_import_events_csv(f->st, p, &s), CT_EPARSE);
    assert_int_equal(bad[0].line, 25002);
    expect_error(p, CT_EPARSE, bad[0].line, "unknown event kind 'explode'");
    ct_error_clear();
    assert_no_events(f);
    ct_free(p);
    import_good_and_check(f);
}

static void test_first_of_two_errors_wins(void **state)
{
    fixture *f = *state;
    /* an unknown unit (a lookup in the reader), then a CSV syntax error at the end of the file
     * (the reader stops reading there): the import names the first */
    bad_row bad[] = { { 21000, "SN999999,gw,2023-02-01T00:00:00Z,update,1.0,1.1,,", 0 } };
    char *p = events_file(f, "two.csv", bad, 1, "SN000001,gw,2023-03-01T00:00:00Z,update,\"1.0\n");
    ct_import_stats s;

    memset(&s, 0, sizeof s);
    ct_error_clear();
    assert_int_equal(ct_import_events_csv(f->st, p, &s), CT_EPARSE);
    expect_error(p, CT_EPARSE, bad[0].line, "event for unknown unit 'SN999999'");
    ct_error_clear();
    assert_no_events(f);
    ct_free(p);
    /* the syntax error alone: its line is the last row's (1 + NROWS + 1) */
    p = events_file(f, "tail.csv", NULL, 0, "SN000001,gw,2023-03-01T00:00:00Z,update,\"1.0\n");
    memset(&s, 0, sizeof s);
    assert_int_equal(ct_import_events_csv(f->st, p, &s), CT_EPARSE);
    expect_error(p, CT_EPARSE, NROWS + 2, "unterminated quoted field");
    ct_error_clear();
    assert_no_events(f);
    ct_free(p);
    import_good_and_check(f);
}

static void test_skip_bad_rejects_in_file_order(void **state)
{
    fixture *f = *state;
    /* spread over the reader's batches (1,024 rows each), every kind of row error the reader
     * finds: kind, unit, time, customer, release */
    bad_row bad[] = {
        { 3, "SN000000,gw,2023-02-01T00:00:00Z,explode,,,,", 0 },
        { 1023, "SN999999,gw,2023-02-01T00:00:00Z,update,1.0,1.1,,", 0 },
        { 1024, "SN000100,gw,not-a-time,update,1.0,1.1,,", 0 },
        { 17000, "SN001700,gw,2023-02-01T00:00:00Z,ship,,,,C9", 0 },
        { NROWS - 1, "SN002999,gw,2023-02-01T00:00:00Z,update,1.0,9.9,\"x,\"\"y\"\"\",", 0 },
    };
    const char *want[] = { "unknown event kind 'explode'", "event for unknown unit 'SN999999'",
                           "invalid event time", "unknown customer 'C9'",
                           "missing release '9.9'" };
    char *p = events_file(f, "skip.csv", bad, CT_NELEM(bad), NULL);
    char rej[4096];
    ct_import_options o = { .skip_bad = true, .reject_path = rej };
    ct_import_stats s;
    size_t len = 0;
    char *text, *at;

    snprintf(rej, sizeof rej, "%s/rejects.csv", f->dir);
    memset(&s, 0, sizeof s);
    assert_int_equal(ct_import_events_csv_ex(f->st, p, &o, &s), CT_OK);
    assert_int_equal(s.rejected, CT_NELEM(bad));
    assert_int_equal(s.inserted, NROWS);
    for (int i = 0; i < NUNITS; i += 149)
        assert_int_equal(events_of(f, i), PER_UNIT);
    text = ct_test_read(rej, &len);
    /* the header, then one line per bad row in file order: the row as read and the error
     * naming file:line */
    at = strstr(text, "serial,product,time,kind,from_release,to_release,detail,customer,error\n");
    assert_ptr_equal(at, text);
    at = strchr(at, '\n') + 1;
    for (size_t k = 0; k < CT_NELEM(bad); k++) {
        char loc[4200];
        char *eol = strchr(at, '\n');
        assert_non_null(eol);
        *eol = '\0';
        snprintf(loc, sizeof loc, "%s:%d:", p, bad[k].line);
        if (strncmp(at, bad[k].row, strlen(bad[k].row)) != 0 || !strstr(at, loc) ||
            !strstr(at, want[k]))
            fail_msg("reject %zu: '%s' (want row '%s', '%s', '%s')", k, at, bad[k].row, loc,
                     want[k]);
        at = eol + 1;
    }
    assert_string_equal(at, "");
    ct_free(text);
    ct_free(p);
    /* the same file again: nothing new, the same rejects */
    p = events_file(f, "skip2.csv", bad, CT_NELEM(bad), NULL);
    memset(&s, 0, sizeof s);
    assert_int_equal(ct_import_events_csv_ex(f->st, p, &o, &s), CT_OK);
    assert_int_equal(s.rejected, CT_NELEM(bad));
    assert_int_equal(s.inserted, 0);
    assert_int_equal(s.unchanged, NROWS);
    ct_free(p);
}

/* ---- a first events import that rewrites the spans of a large fleet ---- */

#define NBIG 24000    /* units: past CT_SPAN_REINDEX_MIN (20,000) */
#define NBIG_EV 20000 /* units 0..19999 get events, but 100..199 none */

#define SCHEMA_SQL                                                                                \
    "SELECT type || ' ' || name || ': ' || COALESCE(sql, '') FROM sqlite_master "                 \
    "WHERE tbl_name = 'unit_span' ORDER BY type, name"

static int setup_big(void **state)
{
    *state = fleet(NBIG, true);
    return 0;
}

/* unit show at each instant where something happens in this file (and a second before and
 * after), and now */
static void big_history(const fixture *f, const char *serial, ct_buf *out)
{
    static const int days[][3] = { { 2022, 6, 1 }, { 2023, 1, 1 }, { 2023, 1, 2 },
                                   { 2023, 1, 3 }, { 2023, 1, 4 } };
    ct_time at[CT_NELEM(days)];
    for (size_t d = 0; d < CT_NELEM(days); d++)
        at[d] = ct_time_from_civil(days[d][0], (unsigned)days[d][1], (unsigned)days[d][2], 0, 0,
                                   0);
    ct_fleet_fixture_history(f, serial, at, CT_NELEM(at), out);
}

static void test_first_import_rewrites_all_spans(void **state)
{
    fixture *f = *state;
    static const int special[] = { 0, 4, 5, 6, 99, 100, 150, 199, 200, 19999, 20000, 23999 };
    ct_buf b = CT_BUF_INIT, after = CT_BUF_INIT;
    char rej[4096], *p, *schema0 = NULL;
    ct_import_options o = { .skip_bad = true, .reject_path = rej };
    ct_import_stats s;

    if (ct_fleet_fixture_is_sqlite())
        schema0 = ct_fleet_fixture_sql_text(f, SCHEMA_SQL);
    snprintf(rej, sizeof rej, "%s/rejects.csv", f->dir);
    ct_buf_puts(&b, CT_FLEET_EVENTS_HEADER);
    for (int i = 0; i < NBIG_EV; i++) {
        if (i == 150) /* only a rejected row: keeps its registered record */
            ct_buf_puts(&b, "SN000150,gw,2023-01-01T00:00:00Z,explode,,,,\n");
        if (i >= 100 && i < 200)
            continue;
        ct_buf_printf(&b, "SN%06d,gw,2023-01-01T00:00:00Z,ship,,,,C%d\n", i, i % 3);
        ct_buf_printf(&b, "SN%06d,gw,2023-01-02T00:00:00Z,update,1.0,1.1,,\n", i);
    }
    /* unit 5 met again: the general path and a rebuild. The file has ~80 bytes per stored
     * unit: SQLite clears every span first (SPANS_CLEAR_BYTES, import_csv.c) */
    ct_buf_puts(&b, "SN000005,gw,2023-01-03T00:00:00Z,update,1.1,1.0,,\n");
    assert_false(b.failed);
    p = ct_test_write_file(f->dir, "big.csv", b.ptr);
    /* without --skip-bad the rejected row fails the file (header + units 0..99: line 202) and
     * the cleared spans, dropped indexes and triggers all come back */
    memset(&s, 0, sizeof s);
    ct_error_clear();
    assert_int_equal(ct_import_events_csv(f->st, p, &s), CT_EPARSE);
    expect_error(p, CT_EPARSE, 202, "unknown event kind 'explode'");
    ct_error_clear();
    if (ct_fleet_fixture_is_sqlite()) {
        char *schema = ct_fleet_fixture_sql_text(f, SCHEMA_SQL),
             *ok = ct_fleet_fixture_sql_text(f, "PRAGMA integrity_check");
        char *n = ct_fleet_fixture_sql_text(f, "SELECT count(*) FROM unit_span");
        char want[32];
        snprintf(want, sizeof want, "%d\n", NBIG);
        assert_string_equal(schema, schema0);
        assert_string_equal(ok, "ok\n");
        assert_string_equal(n, want);
        ct_free(n);
        ct_free(ok);
        ct_free(schema);
    }
    assert_int_equal(events_of(f, 0), 0);
    ct_buf_reset(&after);
    assert_int_equal(ct_store_unit_show_json(&after, f->st, "SN000000", "gw", CT_TIME_NONE),
                     CT_OK);
    assert_non_null(strstr(after.ptr, "\"release\":\"1.0\""));
    memset(&s, 0, sizeof s);
    assert_int_equal(ct_import_events_csv_ex(f->st, p, &o, &s), CT_OK);
    assert_int_equal(s.rejected, 1);
    assert_int_equal(s.inserted, (NBIG_EV - 100) * 2 + 1);
    /* each unit's history as stored equals what the rebuild from its events makes of it */
    for (int k = 0; k < (int)CT_NELEM(special) + NBIG / 397; k++) {
        int i = k < (int)CT_NELEM(special) ? special[k] : (k - (int)CT_NELEM(special)) * 397;
        char serial[16];
        snprintf(serial, sizeof serial, "SN%06d", i);
        ct_fleet_fixture_check_rebuild(f, serial, big_history);
        /* and what it is now */
        ct_buf_reset(&after);
        assert_int_equal(ct_store_unit_show_json(&after, f->st, serial, "gw", CT_TIME_NONE),
                         CT_OK);
        if (i != 5)
            assert_non_null(strstr(after.ptr, (i >= 100 && i < 200) || i >= NBIG_EV
                                                  ? "\"release\":\"1.0\""
                                                  : "\"release\":\"1.1\""));
    }
    if (ct_fleet_fixture_is_sqlite()) {
        char *schema = ct_fleet_fixture_sql_text(f, SCHEMA_SQL),
             *ok = ct_fleet_fixture_sql_text(f, "PRAGMA integrity_check");
        char *none =
            ct_fleet_fixture_sql_text(f, "SELECT count(*) FROM unit u WHERE NOT EXISTS "
                                         "(SELECT 1 FROM unit_span s WHERE s.unit_id = u.id)");
        char *open =
            ct_fleet_fixture_sql_text(f, "SELECT count(*) FROM unit_span WHERE valid_to IS NULL");
        char want[32];
        assert_string_equal(schema, schema0);
        assert_string_equal(ok, "ok\n");
        assert_string_equal(none, "0\n");
        snprintf(want, sizeof want, "%d\n", NBIG); /* one open span per unit */
        assert_string_equal(open, want);
        ct_free(open);
        ct_free(none);
        ct_free(ok);
        ct_free(schema);
    }
    /* the same file again changes nothing */
    memset(&s, 0, sizeof s);
    assert_int_equal(ct_import_events_csv_ex(f->st, p, &o, &s), CT_OK);
    assert_int_equal(s.inserted, 0);
    assert_int_equal(s.rejected, 1);
    ct_free(schema0);
    ct_free(p);
    ct_buf_dispose(&b);
    ct_buf_dispose(&after);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_late_bad_row_fails_naming_its_line, setup,
                                        ct_fleet_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_first_of_two_errors_wins, setup,
                                        ct_fleet_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_skip_bad_rejects_in_file_order, setup,
                                        ct_fleet_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_first_import_rewrites_all_spans, setup_big,
                                        ct_fleet_fixture_teardown),
    };
    return CT_FLEET_FIXTURE_RUN(tests);
}

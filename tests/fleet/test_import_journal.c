/* The SQLite import round 3 (docs/fleet.md, "Large imports"): the first import into an empty
 * fleet table runs with a rollback journal and the store goes back to WAL after it (also after
 * a failed import, and not at all while another connection is open); a unit's new events and
 * spans are written several rows per statement (8, 4, 2, 1), in file order. Each test checks
 * the answers (every unit against ct_fleet_rebuild_unit, the event order of same-instant
 * events, counts) and, on SQLite, the journal mode and the integrity of the file. On
 * PostgreSQL the same files take the COPY path and must give the same answers.
 * CT_TEST_USES_STORE: runs on SQLite and PostgreSQL. */
#include "ct_fleet_fixture.h"

#include "cratrace/fleet.h"
#include "cratrace/store.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define NUNITS 20 /* unit i gets i + 1 event rows: every split into 8, 4, 2 and 1 row(s) */

typedef ct_fleet_fixture fixture;

static int setup(void **state)
{
    fixture *f = ct_fleet_fixture_new();
    ct_fleet_fixture_gw(f, 3);
    ct_fleet_fixture_customers(f, 3);
    *state = f;
    return 0;
}

/* SQLite: the store is in WAL mode and its file passes the integrity check. */
static void check_wal_and_intact(const fixture *f)
{
    char *mode, *ok;
    if (!ct_fleet_fixture_is_sqlite())
        return;
    mode = ct_fleet_fixture_sql_text(f, "PRAGMA journal_mode");
    ok = ct_fleet_fixture_sql_text(f, "PRAGMA integrity_check");
    assert_string_equal(mode, "wal\n");
    assert_string_equal(ok, "ok\n");
    ct_free(mode);
    ct_free(ok);
}

/* SQLite: the size of the store's WAL file (-1: none). An import that ran with a rollback
 * journal leaves it empty or absent; one that ran in WAL leaves its pages in it (the import's
 * connection stays open, so nothing truncates or deletes the file). */
static long long wal_size(const fixture *f)
{
    struct stat sb;
    char path[4096];
    snprintf(path, sizeof path, "%s-wal", f->dsn);
    return stat(path, &sb) == 0 ? (long long)sb.st_size : -1;
}

static int import_units(fixture *f, const char *name, int n, bool bad_last, ct_import_stats *s)
{
    ct_buf b = CT_BUF_INIT;
    char *p;
    int rc;
    ct_buf_puts(&b, CT_FLEET_UNITS_HEADER);
    for (int i = 0; i < n; i++)
        ct_buf_printf(&b, "SN%d,gw,rev-A,1.0,C%d,2023-01-01T00:00:00Z,in_service\n", i, i % 3);
    if (bad_last)
        ct_buf_puts(&b, "SNX,gw,rev-A,9.9,C0,2023-01-01T00:00:00Z,in_service\n");
    p = ct_test_write_file(f->dir, name, b.ptr);
    memset(s, 0, sizeof *s);
    rc = ct_import_units_csv(f->st, p, s);
    ct_free(p);
    ct_buf_dispose(&b);
    return rc;
}

/* Unit i: i + 1 rows in time order, a row's detail names its line ("L<line>"). Every third
 * unit has a ship and a transfer at the same instant (the file order decides which applies
 * last); SN5 and SN10 repeat their second row (a duplicate: the first row wins, not written).
 * *expect = the details of the rows written, in file order (the order of their ids). */
static char *events_csv(ct_buf *expect, int *ndup, bool bad_last)
{
    ct_buf b = CT_BUF_INIT;
    int line = 1;
    ct_buf_puts(&b, "serial,product,time,kind,from_release,to_release,detail,customer,result\n");
    for (int u = 0; u < NUNITS; u++) {
        for (int k = 0; k <= u; k++) {
            int day = 1 + k, dup = u % 5 == 0 && u % 3 != 0 && k == 2;
            line++;
            if (dup) /* the row of k == 1 again, with another detail */
                ct_buf_printf(&b, "SN%d,gw,2023-02-02T00:00:00Z,update,1.0,1.1,L%d,,ok\n", u,
                              line);
            else if (k == 0)
                ct_buf_printf(&b, "SN%d,gw,2023-02-01T00:00:00Z,ship,,,L%d,C%d,\n", u, line,
                              (u + 1) % 3);
            else if (k == 1 && u % 3 == 0)
                ct_buf_printf(&b, "SN%d,gw,2023-02-01T00:00:00Z,transfer,,,L%d,C%d,\n", u, line,
                              (u + 2) % 3);
            else if (k == 1)
                ct_buf_printf(&b, "SN%d,gw,2023-02-02T00:00:00Z,update,1.0,1.1,L%d,,ok\n", u,
                              line);
            else
                ct_buf_printf(&b, "SN%d,gw,2023-03-%02dT00:00:00Z,%s,%s,%s,L%d,,%s\n", u, day,
                              k % 2 ? "update" : "param_change", k % 2 ? "1.1" : "",
                              k % 2 ? (k % 4 == 1 ? "1.2" : "1.1") : "", line,
                              k % 2 ? "ok" : "");
            if (!dup && expect)
                ct_buf_printf(expect, "%sL%d", expect->len ? "," : "", line);
            if (dup && ndup)
                ++*ndup;
        }
    }
    if (bad_last)
        ct_buf_puts(&b, "SN0,gw,2023-09-01T00:00:00Z,explode,,,,,\n");
    assert_false(b.failed);
    return b.ptr;
}

static int import_events(fixture *f, const char *name, const char *csv, ct_import_stats *s)
{
    char *p = ct_test_write_file(f->dir, name, csv);
    int rc;
    memset(s, 0, sizeof *s);
    rc = ct_import_events_csv(f->st, p, s);
    ct_free(p);
    return rc;
}

static void show(fixture *f, const char *serial, ct_time at, ct_buf *out)
{
    ct_buf_reset(out);
    assert_int_equal(ct_store_unit_show_json(out, f->st, serial, "gw", at), CT_OK);
}

/* As show, but "<not yet>" before the unit was made (unit show: not found at that time). */
static void show_at(fixture *f, const char *serial, ct_time at, ct_buf *out)
{
    int rc;
    ct_buf_reset(out);
    if ((rc = ct_store_unit_show_json(out, f->st, serial, "gw", at)) == CT_ENOTFOUND) {
        ct_error_clear();
        ct_buf_reset(out);
        ct_buf_puts(out, "<not yet>");
        return;
    }
    assert_int_equal(rc, CT_OK);
}

/* Every unit as `unit show` answers it at every day of its events (and a second before and
 * after) and now equals what the read-back rebuild makes of its stored events. */
static void check_against_rebuild(fixture *f)
{
    ct_buf before = CT_BUF_INIT, after = CT_BUF_INIT, one = CT_BUF_INIT;
    int64_t pid;
    assert_int_equal(ct_store_product_find(&pid, f->st, "gw"), CT_OK);
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < NUNITS; i++) {
            char serial[16];
            ct_buf *b = pass ? &after : &before;
            snprintf(serial, sizeof serial, "SN%d", i);
            if (pass && i == 0) {
                for (int k = 0; k < NUNITS; k++) {
                    int64_t uid;
                    snprintf(serial, sizeof serial, "SN%d", k);
                    assert_int_equal(ct_store_unit_find(&uid, f->st, pid, serial), CT_OK);
                    assert_int_equal(ct_store_begin(f->st), CT_OK);
                    assert_int_equal(ct_fleet_rebuild_unit(f->st, uid), CT_OK);
                    assert_int_equal(ct_store_commit(f->st), CT_OK);
                }
                snprintf(serial, sizeof serial, "SN%d", i);
            }
            for (int d = 0; d <= 25; d++) {
                ct_time t = ct_time_from_civil(2023, d == 0 ? 1 : d <= 2 ? 2 : 3,
                                               d <= 1 ? 1 : d == 2 ? 2 : d - 2, 0, 0, 0);
                for (ct_time dt = -1; dt <= 1; dt++) {
                    show_at(f, serial, t + dt, &one);
                    ct_buf_puts(b, one.ptr);
                    ct_buf_putc(b, '\n');
                }
            }
            show(f, serial, CT_TIME_NONE, &one);
            ct_buf_puts(b, one.ptr);
            ct_buf_putc(b, '\n');
        }
    }
    assert_false(before.failed || after.failed);
    if (strcmp(before.ptr, after.ptr) != 0)
        fail_msg("imported history differs from the rebuild:\n%s\n---\n%s", before.ptr,
                 after.ptr);
    ct_buf_dispose(&before);
    ct_buf_dispose(&after);
    ct_buf_dispose(&one);
}

/* A fresh fleet: units, then events with 1..20 rows per unit; ids in file order, the same
 * answers as the rebuild, a unit's same-instant ship and transfer applied in file order, the
 * store back in WAL; importing both files again changes nothing. */
static void test_import_journal__first_import_multi_row(void **state)
{
    fixture *f = *state;
    ct_import_stats s;
    ct_buf expect = CT_BUF_INIT, b = CT_BUF_INIT;
    int rows = NUNITS * (NUNITS + 1) / 2, dups = 0;
    char *csv = events_csv(&expect, &dups, false);

    assert_int_equal(import_units(f, "units.csv", NUNITS, false, &s), CT_OK);
    assert_int_equal(s.inserted, NUNITS);
    if (ct_fleet_fixture_is_sqlite()) /* the units went to the database file, not into the WAL */
        assert_true(wal_size(f) <= 0);
    check_wal_and_intact(f);
    assert_int_equal(import_events(f, "events.csv", csv, &s), CT_OK);
    if (ct_fleet_fixture_is_sqlite())
        assert_true(wal_size(f) <= 0);
    assert_int_equal(dups, 2);
    assert_int_equal(s.records, rows);
    assert_int_equal(s.inserted, rows - dups);
    assert_int_equal(s.unchanged, dups);
    check_wal_and_intact(f);
    if (ct_fleet_fixture_is_sqlite()) {
        char *ids = ct_fleet_fixture_sql_text(f, "SELECT group_concat(detail) FROM "
                                                 "(SELECT detail FROM unit_event ORDER BY id)");
        ct_buf_putc(&expect, '\n'); /* one row */
        assert_false(expect.failed);
        assert_string_equal(ids, expect.ptr);
        ct_free(ids);
    }
    /* SN3: ship to C1 and transfer to C2 at the same instant: the transfer (later line) wins */
    show(f, "SN3", ct_time_from_civil(2023, 2, 1, 12, 0, 0), &b);
    assert_non_null(strstr(b.ptr, "\"customer\":\"C2\""));
    /* SN5 (lines 17-22): its repeated update (line 19) was not written, the first (18) was */
    show(f, "SN5", CT_TIME_NONE, &b);
    assert_non_null(strstr(b.ptr, "\"detail\":\"L18\""));
    assert_null(strstr(b.ptr, "\"detail\":\"L19\""));
    assert_non_null(strstr(b.ptr, "\"detail\":\"L22\""));
    check_against_rebuild(f);

    assert_int_equal(import_units(f, "units.csv", NUNITS, false, &s), CT_OK);
    assert_int_equal(s.unchanged, NUNITS);
    assert_int_equal(import_events(f, "events.csv", csv, &s), CT_OK);
    assert_int_equal(s.inserted, 0);
    assert_int_equal(s.unchanged, rows);
    check_wal_and_intact(f);
    check_against_rebuild(f);
    ct_free(csv);
    ct_buf_dispose(&expect);
    ct_buf_dispose(&b);
}

/* A bad last row fails a first import: nothing is stored, the store is back in WAL and a good
 * import afterwards works (units, then events). */
static void test_import_journal__failed_first_import(void **state)
{
    fixture *f = *state;
    ct_import_stats s;
    ct_buf b = CT_BUF_INIT;
    char *bad = events_csv(NULL, NULL, true), *good = events_csv(NULL, NULL, false);
    int64_t pid, uid;

    assert_int_equal(import_units(f, "bad-units.csv", NUNITS, true, &s), CT_EPARSE);
    ct_error_clear();
    assert_int_equal(ct_store_product_find(&pid, f->st, "gw"), CT_OK);
    assert_int_equal(ct_store_unit_find(&uid, f->st, pid, "SN0"), CT_ENOTFOUND);
    ct_error_clear();
    check_wal_and_intact(f);

    assert_int_equal(import_units(f, "units.csv", NUNITS, false, &s), CT_OK);
    assert_int_equal(import_events(f, "bad-events.csv", bad, &s), CT_EPARSE);
    ct_error_clear();
    check_wal_and_intact(f);
    show(f, "SN7", CT_TIME_NONE, &b); /* the registered record, no events */
    assert_non_null(strstr(b.ptr, "\"events\":[]"));
    assert_non_null(strstr(b.ptr, "\"customer\":\"C1\""));
    if (ct_fleet_fixture_is_sqlite()) {
        char *n = ct_fleet_fixture_sql_text(
            f, "SELECT count(*) || ' ' || (SELECT count(*) FROM unit_span) "
               "FROM unit_event");
        assert_string_equal(n, "0 20\n");
        ct_free(n);
    }
    assert_int_equal(import_events(f, "events.csv", good, &s), CT_OK);
    check_wal_and_intact(f);
    check_against_rebuild(f);
    ct_free(bad);
    ct_free(good);
    ct_buf_dispose(&b);
}

/* Another connection open on the store during the imports: SQLite keeps WAL (a switch needs
 * the only connection), the imports work, and that connection reads their result. */
static void test_import_journal__other_connection_open(void **state)
{
    fixture *f = *state;
    ct_import_stats s;
    ct_store *other;
    ct_buf b = CT_BUF_INIT;
    char *csv = events_csv(NULL, NULL, false);

    assert_int_equal(ct_store_open(&other, f->ctx, f->dsn), CT_OK);
    ct_buf_reset(&b);
    assert_int_equal(ct_store_unit_show_json(&b, other, "SN1", "gw", CT_TIME_NONE), CT_ENOTFOUND);
    ct_error_clear();
    assert_int_equal(import_units(f, "units.csv", NUNITS, false, &s), CT_OK);
    if (ct_fleet_fixture_is_sqlite()) /* refused to leave WAL: the units are in the WAL */
        assert_true(wal_size(f) > 0);
    check_wal_and_intact(f);
    assert_int_equal(import_events(f, "events.csv", csv, &s), CT_OK);
    if (ct_fleet_fixture_is_sqlite())
        assert_true(wal_size(f) > 0);
    check_wal_and_intact(f);
    ct_buf_reset(&b);
    assert_int_equal(ct_store_unit_show_json(&b, other, "SN1", "gw", CT_TIME_NONE), CT_OK);
    assert_non_null(strstr(b.ptr, "\"release\":\"1.1\""));
    ct_store_close(other);
    check_against_rebuild(f);
    ct_free(csv);
    ct_buf_dispose(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_import_journal__first_import_multi_row, setup,
                                        ct_fleet_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_import_journal__failed_first_import, setup,
                                        ct_fleet_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_import_journal__other_connection_open, setup,
                                        ct_fleet_fixture_teardown),
    };
    return CT_FLEET_FIXTURE_RUN(tests);
}

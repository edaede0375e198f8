/* SQLite import round 4 (docs/fleet.md, "Large imports"): a units import into a store without
 * units drops unit's secondary indexes (unit_release, unit_serial) once it has inserted
 * CT_SPAN_REINDEX_MIN units and creates them again at the end of its transaction. Checked here
 * with files just past that point: every unit is stored (ids in file order), a re-import
 * changes nothing, a duplicate serial after the drop still fails the file naming its line and
 * leaves nothing (indexes included), and --skip-bad rejects only that row. On SQLite the schema
 * (every index's CREATE statement) is the same after each import as before it and the file
 * passes PRAGMA integrity_check (which compares each index with its table). On PostgreSQL the
 * same files take the COPY path and must give the same answers.
 * CT_TEST_USES_STORE: runs on SQLite and PostgreSQL. */
#include "ct_fleet_fixture.h"

#include "cratrace/fleet.h"
#include "cratrace/store.h"

#include <stdio.h>
#include <string.h>

#define NUNITS 25000 /* past CT_SPAN_REINDEX_MIN (20,000): the drop happens mid-file */

typedef struct {
    ct_fleet_fixture fl;
    char *schema0; /* SQLite: SCHEMA_SQL's answer before any import */
} fixture;

#define SCHEMA_SQL                                                                                \
    "SELECT type || ' ' || name || ': ' || COALESCE(sql, '') FROM sqlite_master "                 \
    "WHERE tbl_name IN ('unit', 'unit_span') ORDER BY type, name"

static int setup(void **state)
{
    fixture *f = ct_calloc(1, sizeof *f);

    assert_non_null(f);
    ct_fleet_fixture_open(&f->fl);
    ct_fleet_fixture_gw(&f->fl, 2);
    ct_fleet_fixture_customers(&f->fl, 3);
    if (ct_fleet_fixture_is_sqlite())
        f->schema0 = ct_fleet_fixture_sql_text(&f->fl, SCHEMA_SQL);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ct_fleet_fixture_close(&f->fl);
    ct_free(f->schema0);
    ct_free(f);
    return 0;
}

/* NUNITS units SN000000.., release and customer varying; dup >= 0: one more row repeating
 * the serial of unit dup (line NUNITS + 2) */
static char *units_file(const fixture *f, const char *name, int dup)
{
    ct_buf b = CT_BUF_INIT;
    char *p;
    ct_buf_puts(&b, CT_FLEET_UNITS_HEADER);
    for (int i = 0; i < NUNITS; i++)
        ct_buf_printf(&b, "SN%06d,gw,rev-%c,1.%d,C%d,2023-01-01T00:00:00Z,in_service\n", i,
                      'A' + i % 2, i % 2, i % 3);
    if (dup >= 0)
        ct_buf_printf(&b, "SN%06d,gw,rev-A,1.0,C0,2023-01-01T00:00:00Z,in_service\n", dup);
    assert_false(b.failed);
    p = ct_test_write_file(f->fl.dir, name, b.ptr);
    ct_buf_dispose(&b);
    return p;
}

/* SQLite: the schema of unit and unit_span is as before the first import, the file intact,
 * and the indexes answer what the table holds */
static void check_schema(const fixture *f, int64_t units)
{
    char *schema, *ok, *n, want[64];
    if (!ct_fleet_fixture_is_sqlite())
        return;
    schema = ct_fleet_fixture_sql_text(&f->fl, SCHEMA_SQL);
    ok = ct_fleet_fixture_sql_text(&f->fl, "PRAGMA integrity_check");
    assert_string_equal(schema, f->schema0);
    assert_string_equal(ok, "ok\n");
    /* answered from the re-created indexes alone (INDEXED BY) */
    n = ct_fleet_fixture_sql_text(
        &f->fl, "SELECT (SELECT count(*) FROM unit INDEXED BY unit_release "
                "WHERE release_id IS NOT NULL) || ' ' || (SELECT count(*) FROM unit "
                "INDEXED BY unit_serial WHERE serial >= 'SN')");
    snprintf(want, sizeof want, "%lld %lld\n", (long long)units, (long long)units);
    assert_string_equal(n, want);
    ct_free(n);
    ct_free(ok);
    ct_free(schema);
}

static int64_t unit_id(const fixture *f, int i)
{
    char serial[16];
    int64_t id = 0;
    snprintf(serial, sizeof serial, "SN%06d", i);
    assert_int_equal(ct_store_unit_find(&id, f->fl.st, f->fl.gw, serial), CT_OK);
    return id;
}

static void test_large_first_import_reindexes_units(void **state)
{
    fixture *f = *state;
    char *p = units_file(f, "units.csv", -1);
    ct_import_stats s;
    ct_buf show = CT_BUF_INIT;
    int64_t prev = 0;

    memset(&s, 0, sizeof s);
    assert_int_equal(ct_import_units_csv(f->fl.st, p, &s), CT_OK);
    assert_int_equal(s.records, NUNITS);
    assert_int_equal(s.inserted, NUNITS);
    check_schema(f, NUNITS);
    /* every unit stored, ids in file order (SQLite: 1..N) */
    for (int i = 0; i < NUNITS; i += 997) {
        int64_t id = unit_id(f, i);
        assert_true(id > prev);
        if (ct_fleet_fixture_is_sqlite())
            assert_int_equal(id, i + 1);
        prev = id;
    }
    assert_true(unit_id(f, NUNITS - 1) > prev);
    /* the last unit: registered record as its history (release 1.1 for odd i) */
    assert_int_equal(ct_store_unit_show_json(&show, f->fl.st, "SN024999", "gw", CT_TIME_NONE),
                     CT_OK);
    assert_non_null(strstr(show.ptr, "\"release\":\"1.1\""));
    assert_non_null(strstr(show.ptr, "\"customer\":\"C0\""));
    /* the same file again: nothing changes (compared unit by unit through the indexes) */
    memset(&s, 0, sizeof s);
    assert_int_equal(ct_import_units_csv(f->fl.st, p, &s), CT_OK);
    assert_int_equal(s.unchanged, NUNITS);
    assert_int_equal(s.inserted, 0);
    check_schema(f, NUNITS);
    ct_buf_dispose(&show);
    ct_free(p);
}

static void test_duplicate_after_drop_fails_and_leaves_nothing(void **state)
{
    fixture *f = *state;
    char *p = units_file(f, "dup.csv", 7);
    ct_import_stats s;
    int64_t id = 0;

    memset(&s, 0, sizeof s);
    ct_error_clear();
    assert_int_equal(ct_import_units_csv(f->fl.st, p, &s), CT_EPARSE);
    assert_int_equal(ct_error_last()->line, NUNITS + 2);
    assert_string_equal(ct_error_last()->source, p);
    assert_non_null(strstr(ct_error_last()->message, "duplicate serial number 'SN000007'"));
    assert_int_equal(ct_store_unit_find(&id, f->fl.st, f->fl.gw, "SN000000"), CT_ENOTFOUND);
    assert_int_equal(ct_store_unit_find(&id, f->fl.st, f->fl.gw, "SN024999"), CT_ENOTFOUND);
    ct_error_clear();
    check_schema(f, 0);
    /* the store still takes the file without the bad row */
    ct_free(p);
    p = units_file(f, "good.csv", -1);
    memset(&s, 0, sizeof s);
    assert_int_equal(ct_import_units_csv(f->fl.st, p, &s), CT_OK);
    assert_int_equal(s.inserted, NUNITS);
    check_schema(f, NUNITS);
    ct_free(p);
}

static void test_skip_bad_rejects_only_the_duplicate(void **state)
{
    fixture *f = *state;
    char *p = units_file(f, "dup.csv", 12);
    char rej[4096];
    ct_import_options o = { .skip_bad = true, .reject_path = rej };
    ct_import_stats s;
    size_t len = 0;
    char *text;

    snprintf(rej, sizeof rej, "%s/rejects.csv", f->fl.dir);
    memset(&s, 0, sizeof s);
    assert_int_equal(ct_import_units_csv_ex(f->fl.st, p, &o, &s), CT_OK);
    assert_int_equal(s.rejected, 1);
    assert_int_equal(s.inserted, NUNITS);
    assert_int_equal(unit_id(f, 12) < unit_id(f, NUNITS - 1), true);
    check_schema(f, NUNITS);
    text = ct_test_read(rej, &len);
    assert_non_null(strstr(text, "SN000012,gw,rev-A,1.0,C0,"));
    assert_non_null(strstr(text, "duplicate serial number"));
    ct_free(text);
    ct_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_large_first_import_reindexes_units, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_after_drop_fails_and_leaves_nothing, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_skip_bad_rejects_only_the_duplicate, setup,
                                        teardown),
    };
    return CT_FLEET_FIXTURE_RUN(tests);
}

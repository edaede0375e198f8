/* Fleet test fixture (ct_fleet_fixture.h). */
#include "ct_fleet_fixture.h"

#include "cratrace/fleet.h"
#include "cratrace/store.h"
#include "store/store_int.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

void ct_fleet_fixture_open_dsn(ct_fleet_fixture *f, char *dsn)
{
    f->ctx = ct_test_ctx();
    f->dsn = dsn;
    if (ct_store_open(&f->st, f->ctx, f->dsn) < 0)
        fail_msg("store open %s: %s", f->dsn, ct_error_format());
    f->dir = ct_test_tmpdir();
}

void ct_fleet_fixture_open(ct_fleet_fixture *f)
{
    ct_fleet_fixture_open_dsn(f, ct_test_fresh_dsn());
}

void ct_fleet_fixture_close(ct_fleet_fixture *f)
{
    ct_store_close(f->st);
    ct_ctx_free(f->ctx);
    ct_free(f->dir);
    ct_free(f->dsn);
}

ct_fleet_fixture *ct_fleet_fixture_new(void)
{
    ct_fleet_fixture *f = ct_calloc(1, sizeof *f);
    if (!f)
        fail_msg("out of memory");
    ct_fleet_fixture_open(f);
    return f;
}

int ct_fleet_fixture_teardown(void **state)
{
    ct_fleet_fixture *f = *state;
    ct_fleet_fixture_close(f);
    ct_free(f);
    return 0;
}

void ct_fleet_fixture_gw_versions(ct_fleet_fixture *f, const char *const *versions, int n)
{
    assert_int_equal(ct_store_product_add(&f->gw, f->st, "gw", "ACME", NULL, CT_TIME_NONE), CT_OK);
    for (int r = 0; r < n; r++) {
        int64_t id = 0;
        assert_int_equal(ct_store_release_add(&id, f->st, f->gw, versions[r],
                                              ct_time_from_civil(2022, 1 + r, 1, 0, 0, 0), NULL,
                                              NULL, NULL),
                         CT_OK);
        if (r == 0)
            f->rel = id;
    }
}

void ct_fleet_fixture_gw(ct_fleet_fixture *f, int nreleases)
{
    char names[12][16];
    const char *v[12];
    assert_true(nreleases >= 0 && nreleases <= 12);
    for (int r = 0; r < nreleases; r++) {
        snprintf(names[r], sizeof names[r], "1.%d", r);
        v[r] = names[r];
    }
    ct_fleet_fixture_gw_versions(f, v, nreleases);
}

void ct_fleet_fixture_u_gw(ct_fleet_fixture *f)
{
    static const char *const versions[] = { "1.0", "2.0" };
    ct_fleet_fixture_gw_versions(f, versions, 2);
    ct_fleet_fixture_customers(f, 1);
}

void ct_fleet_fixture_u_units(ct_fleet_fixture *f, int first, int n)
{
    ct_buf b = CT_BUF_INIT;
    ct_import_stats s;
    char *p;
    ct_buf_puts(&b, CT_FLEET_UNITS_HEADER);
    for (int i = first; i < first + n; i++)
        ct_buf_printf(&b, "U%d,gw,A,1.0,C0,2022-03-01T00:00:00Z,in_stock\n", i);
    assert_false(b.failed);
    p = ct_test_write_file(f->dir, "units.csv", b.ptr);
    memset(&s, 0, sizeof s);
    if (ct_import_units_csv(f->st, p, &s) < 0)
        fail_msg("units import: %s", ct_error_format());
    assert_int_equal(s.inserted, (uint64_t)n);
    ct_free(p);
    ct_buf_dispose(&b);
}

void ct_fleet_fixture_u_events(ct_fleet_fixture *f, int first, int n)
{
    ct_buf b = CT_BUF_INIT;
    ct_import_stats s;
    char *p;
    ct_buf_puts(&b, CT_FLEET_EVENTS_HEADER);
    for (int i = first; i < first + n; i++) {
        ct_buf_printf(&b, "U%d,gw,2022-04-01T00:00:00Z,ship,,,,C0\n", i);
        for (int k = 1; k < 10; k++)
            ct_buf_printf(&b, "U%d,gw,2022-04-%02dT00:00:00Z,update,%s,%s,,\n", i, 1 + k,
                          k % 2 ? "1.0" : "2.0", k % 2 ? "2.0" : "1.0");
    }
    assert_false(b.failed);
    p = ct_test_write_file(f->dir, "events.csv", b.ptr);
    memset(&s, 0, sizeof s);
    if (ct_import_events_csv(f->st, p, &s) < 0)
        fail_msg("events import: %s", ct_error_format());
    assert_int_equal(s.inserted, (uint64_t)n * 10);
    ct_free(p);
    ct_buf_dispose(&b);
}

void ct_fleet_fixture_u_check_history(const ct_fleet_fixture *f, int i)
{
    ct_buf out = CT_BUF_INIT;
    char serial[32];
    snprintf(serial, sizeof serial, "U%d", i);
    /* day 9: the 8th update (2.0 -> 1.0); day 10: the 9th (1.0 -> 2.0) */
    assert_int_equal(ct_store_unit_show_json(&out, f->st, serial, "gw",
                                             ct_time_from_civil(2022, 4, 9, 12, 0, 0)),
                     CT_OK);
    assert_non_null(strstr(out.ptr, "\"release\":\"1.0\""));
    ct_buf_reset(&out);
    assert_int_equal(ct_store_unit_show_json(&out, f->st, serial, "gw",
                                             ct_time_from_civil(2022, 4, 10, 12, 0, 0)),
                     CT_OK);
    assert_non_null(strstr(out.ptr, "\"release\":\"2.0\""));
    ct_buf_dispose(&out);
}

int64_t ct_fleet_fixture_count(const ct_fleet_fixture *f, const char *sql)
{
    ct_stmt *q = NULL;
    int64_t n;
    if (f->st->drv->prepare(&q, f->st->conn, sql) < 0)
        fail_msg("%s: %s", sql, ct_error_format());
    assert_int_equal(f->st->drv->step(q), 1);
    n = f->st->drv->column_int64(q, 0);
    f->st->drv->finalize(q);
    return n;
}

void ct_fleet_fixture_exec(const ct_fleet_fixture *f, const char *sql)
{
    if (f->st->drv->exec(f->st->conn, sql) < 0)
        fail_msg("%s: %s", sql, ct_error_format());
}

void ct_fleet_fixture_check_rebuild(ct_fleet_fixture *f, const char *serial,
                                    void (*history)(const ct_fleet_fixture *f,
                                                    const char *serial, ct_buf *out))
{
    ct_buf before = CT_BUF_INIT, after = CT_BUF_INIT;
    int64_t uid;
    history(f, serial, &before);
    assert_int_equal(ct_store_unit_find(&uid, f->st, f->gw, serial), CT_OK);
    assert_int_equal(ct_store_begin(f->st), CT_OK);
    assert_int_equal(ct_fleet_rebuild_unit(f->st, uid), CT_OK);
    assert_int_equal(ct_store_commit(f->st), CT_OK);
    history(f, serial, &after);
    if (strcmp(before.ptr, after.ptr) != 0)
        fail_msg("%s: imported history differs from the rebuild:\n%s\n---\n%s", serial,
                 before.ptr, after.ptr);
    ct_buf_dispose(&before);
    ct_buf_dispose(&after);
}

void ct_fleet_fixture_customers(ct_fleet_fixture *f, int n)
{
    ct_buf b = CT_BUF_INIT;
    char *p;
    ct_buf_puts(&b, "code,name\n");
    for (int c = 0; c < n; c++)
        ct_buf_printf(&b, "C%d,Customer %d\n", c, c);
    assert_false(b.failed);
    p = ct_test_write_file(f->dir, "customers.csv", b.ptr);
    if (ct_import_customers_csv(f->st, p, NULL) < 0)
        fail_msg("customers import: %s", ct_error_format());
    ct_free(p);
    ct_buf_dispose(&b);
    assert_int_equal(ct_store_customer_find(&f->cust, f->st, "C0"), CT_OK);
}

void ct_fleet_fixture_import_units(ct_fleet_fixture *f, const char *name, const char *csv)
{
    char *p = ct_test_write_file(f->dir, name, csv);
    if (ct_import_units_csv(f->st, p, NULL) < 0)
        fail_msg("units import %s: %s", name, ct_error_format());
    ct_free(p);
}

void ct_fleet_fixture_history(const ct_fleet_fixture *f, const char *serial, const ct_time *at,
                              size_t n, ct_buf *out)
{
    ct_buf_reset(out);
    for (size_t i = 0; i < n; i++) {
        for (ct_time dt = -1; dt <= 1; dt++) {
            int rc = ct_store_unit_show_json(out, f->st, serial, "gw", at[i] + dt);
            if (rc == CT_ENOTFOUND) {
                ct_error_clear();
                ct_buf_puts(out, "<not yet>");
            } else {
                assert_int_equal(rc, CT_OK);
            }
            ct_buf_putc(out, '\n');
        }
    }
    assert_int_equal(ct_store_unit_show_json(out, f->st, serial, "gw", CT_TIME_NONE), CT_OK);
    assert_false(out->failed);
}

bool ct_fleet_fixture_is_sqlite(void)
{
    return strcmp(ct_test_backend(), "sqlite") == 0;
}

char *ct_fleet_fixture_sql_text(const ct_fleet_fixture *f, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *q;
    ct_buf b = CT_BUF_INIT;
    int rc;
    assert_int_equal(sqlite3_open_v2(f->dsn, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(q, 0);
        ct_buf_puts(&b, t ? (const char *)t : "");
        ct_buf_putc(&b, '\n');
    }
    assert_int_equal(rc, SQLITE_DONE);
    sqlite3_finalize(q);
    sqlite3_close(db);
    ct_buf_putc(&b, '\0');
    assert_false(b.failed);
    return b.ptr;
}

int ct_fleet_fixture_skip(void)
{
    fprintf(stderr, "skipped: backend %s not available (CT_TEST_PG_DSN not set)\n",
            ct_test_backend());
    return CT_TEST_SKIP;
}

/* Fleet test fixture (ct_fleet_fixture.h). */
#include "ct_fleet_fixture.h"

#include "cratrace/fleet.h"
#include "cratrace/store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

void ct_fleet_fixture_open(ct_fleet_fixture *f)
{
    f->ctx = ct_test_ctx();
    f->dsn = ct_test_fresh_dsn();
    if (ct_store_open(&f->st, f->ctx, f->dsn) < 0)
        fail_msg("store open %s: %s", f->dsn, ct_error_format());
    f->dir = ct_test_tmpdir();
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

void ct_fleet_fixture_gw(ct_fleet_fixture *f, int nreleases)
{
    assert_int_equal(ct_store_product_add(&f->gw, f->st, "gw", "ACME", NULL, CT_TIME_NONE), CT_OK);
    for (int r = 0; r < nreleases; r++) {
        char v[16];
        int64_t id = 0;
        snprintf(v, sizeof v, "1.%d", r);
        assert_int_equal(ct_store_release_add(&id, f->st, f->gw, v,
                                              ct_time_from_civil(2022, 1 + r, 1, 0, 0, 0), NULL,
                                              NULL, NULL),
                         CT_OK);
        if (r == 0)
            f->rel = id;
    }
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

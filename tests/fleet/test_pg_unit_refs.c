/* unit's references (migration 0022): PostgreSQL has no foreign keys on unit, so every library
 * write path checks them itself; each must refuse a dangling product, release or customer and
 * write nothing. Paths: ct_store_unit_upsert (both backends; SQLite refuses through its foreign
 * keys), and the COPY units import (PostgreSQL only): units not in the store, written straight
 * into unit (src/fleet/events_copy.c, ids checked as sets at the end), and stored units through
 * the staging table (anti-join before the upsert). The accepted case checks what the COPY path
 * writes: the unit row, its default span, ids the sequence does not hand out again.
 * CT_TEST_USES_STORE: runs on SQLite and PostgreSQL. */
#include "ct_fleet_fixture.h"

#include "cratrace/fleet.h"
#include "cratrace/store.h"
#include "fleet/fleet_bulk.h"

#include <stdio.h>
#include <string.h>

#define MISSING 999999

typedef ct_fleet_fixture fixture;

static int setup(void **state)
{
    fixture *f = ct_fleet_fixture_new();
    ct_fleet_fixture_gw(f, 1);
    ct_fleet_fixture_customers(f, 1);
    *state = f;
    return 0;
}

enum { BAD_PRODUCT, BAD_RELEASE, BAD_CUSTOMER, BAD_N };
static const char *const bad_name[] = { "product", "release", "customer" };

typedef struct {
    int64_t product, release, customer;
} refs;

static refs good_refs(const fixture *f)
{
    return (refs){ f->gw, f->rel, f->cust };
}

static refs bad_refs(const fixture *f, int which)
{
    refs r = good_refs(f);
    if (which == BAD_PRODUCT)
        r.product = MISSING;
    else if (which == BAD_RELEASE)
        r.release = MISSING;
    else
        r.customer = MISSING;
    return r;
}

/* Is a unit with this serial stored (under any product)? */
static bool unit_stored(fixture *f, const char *serial)
{
    ct_buf b = CT_BUF_INIT;
    int rc = ct_store_unit_show_json(&b, f->st, serial, NULL, CT_TIME_NONE);
    ct_buf_dispose(&b);
    if (rc != CT_OK) {
        assert_int_equal(rc, CT_ENOTFOUND);
        ct_error_clear();
    }
    return rc == CT_OK;
}

static void test_unit_refs__upsert_refuses_dangling(void **state)
{
    fixture *f = *state;
    ct_time made = ct_time_from_civil(2023, 1, 1, 0, 0, 0);
    int64_t id = 0;

    assert_int_equal(ct_store_unit_upsert(&id, f->st, f->gw, "OK1", NULL, f->rel, f->cust, made,
                                          "in_service"),
                     CT_OK);
    assert_true(unit_stored(f, "OK1"));
    for (int k = 0; k < BAD_N; k++) {
        refs r = bad_refs(f, k);
        char serial[16];
        snprintf(serial, sizeof serial, "BAD%d", k);
        if (ct_store_unit_upsert(NULL, f->st, r.product, serial, NULL, r.release, r.customer,
                                 made, "in_service") == CT_OK)
            fail_msg("a unit with a dangling %s was accepted", bad_name[k]);
        ct_error_clear();
        assert_false(unit_stored(f, serial));
        /* an existing unit changed to a dangling reference: refused, unchanged */
        if (ct_store_unit_upsert(NULL, f->st, k == BAD_PRODUCT ? MISSING : f->gw, "OK1", NULL,
                                 r.release, r.customer, made, "in_service") == CT_OK)
            fail_msg("an update to a dangling %s was accepted", bad_name[k]);
        ct_error_clear();
        ct_unit_rec u;
        assert_int_equal(ct_store_unit_load(&u, f->st, id), CT_OK);
        assert_int_equal(u.release_id, f->rel);
        assert_int_equal(u.customer_id, f->cust);
        ct_unit_rec_dispose(&u);
    }
}

/* One COPY units import (as ct_import_units_csv_ex runs it, in a transaction): a good unit
 * straight into unit, then the bad one either straight in (staged false) or, as a change of
 * the stored unit OK0, through the staging table. Must fail and leave nothing behind. */
static void copy_import_refused(fixture *f, int bad_kind, bool staged)
{
    ct_time made = ct_time_from_civil(2023, 1, 1, 0, 0, 0);
    ct_fleet_copy_units *cu = NULL;
    refs g = good_refs(f), r = bad_refs(f, bad_kind);
    uint64_t added = 0, unchanged = 0;
    int64_t id = 0;
    int rc;

    assert_int_equal(ct_store_begin(f->st), CT_OK);
    assert_int_equal(ct_store__units_stage_open(f->st), CT_OK);
    assert_int_equal(ct_fleet__copy_units_new(&cu, f->st), CT_OK);
    rc = ct_fleet__copy_units_add(&id, cu, f->st, g.product, "N1", "rev1", g.release, g.customer,
                                  made, "shipped");
    assert_int_equal(rc, CT_OK);
    if (staged) {
        ct_buf row = CT_BUF_INIT;
        ct_copy_int(&row, 3);
        ct_copy_int(&row, r.product);
        ct_copy_text(&row, "OK0");
        ct_copy_text(&row, "rev2");
        ct_copy_int(&row, r.release);
        ct_copy_int(&row, r.customer);
        ct_copy_int(&row, made);
        ct_copy_text(&row, "in_service");
        ct_copy_end_row(&row);
        rc = ct_store__units_stage_flush(f->st, &row);
        ct_buf_dispose(&row);
        assert_int_equal(rc, CT_OK);
        if ((rc = ct_fleet__copy_units_finish(cu, f->st, &added)) == CT_OK)
            rc = ct_store__units_stage_apply(f->st, &unchanged);
    } else {
        rc = ct_fleet__copy_units_add(&id, cu, f->st, r.product, "N2", NULL, r.release,
                                      r.customer, made, NULL);
        if (rc == CT_OK)
            rc = ct_fleet__copy_units_finish(cu, f->st, &added);
    }
    ct_fleet__copy_units_free(cu);
    if (rc == CT_OK) {
        ct_store_rollback(f->st);
        fail_msg("COPY units import accepted a dangling %s (%s path)", bad_name[bad_kind],
                 staged ? "staged" : "direct");
    }
    assert_int_equal(ct_error_last()->code, CT_ENOTFOUND);
    ct_error_clear();
    ct_store_rollback(f->st);
    assert_false(unit_stored(f, "N1"));
    assert_false(unit_stored(f, "N2"));
}

static void test_unit_refs__copy_import_refuses_dangling(void **state)
{
    fixture *f = *state;
    ct_time made = ct_time_from_civil(2023, 1, 1, 0, 0, 0);
    int64_t id = 0;
    ct_unit_rec u;

    if (!ct_store__has_copy(f->st))
        skip(); /* the COPY path is PostgreSQL's; SQLite keeps its foreign keys */
    assert_int_equal(ct_store_unit_upsert(&id, f->st, f->gw, "OK0", "rev1", f->rel, f->cust,
                                          made, "in_service"),
                     CT_OK);
    for (int k = 0; k < BAD_N; k++) {
        copy_import_refused(f, k, false); /* straight into unit */
        copy_import_refused(f, k, true);  /* through the staging table */
        assert_int_equal(ct_store_unit_load(&u, f->st, id), CT_OK);
        assert_string_equal(u.hardware_revision, "rev1");
        assert_int_equal(u.customer_id, f->cust);
        ct_unit_rec_dispose(&u);
    }
}

/* A CSV import of new units goes straight into unit: the rows, their default spans (what unit
 * show --at answers) and ids that later writes do not get again. */
static void test_unit_refs__copy_import_accepts_valid(void **state)
{
    fixture *f = *state;
    ct_import_stats stats;
    ct_buf b = CT_BUF_INIT;
    int64_t a = 0, c = 0, n = 0;
    ct_unit_rec u;
    char *p;

    memset(&stats, 0, sizeof stats);
    p = ct_test_write_file(f->dir, "units.csv",
                           CT_FLEET_UNITS_HEADER
                           "A1,gw,rev1,1.0,C0,2023-01-01T00:00:00Z,shipped\n"
                           "A2,gw,,,,2023-02-01T00:00:00Z,\n");
    assert_int_equal(ct_import_units_csv(f->st, p, &stats), CT_OK);
    assert_int_equal(stats.inserted, 2);
    assert_int_equal(stats.unchanged, 0);
    /* the same file again: both stored now, both unchanged */
    memset(&stats, 0, sizeof stats);
    assert_int_equal(ct_import_units_csv(f->st, p, &stats), CT_OK);
    ct_free(p);
    assert_int_equal(stats.inserted, 0);
    assert_int_equal(stats.unchanged, 2);
    assert_int_equal(ct_store_unit_find(&a, f->st, f->gw, "A1"), CT_OK);
    assert_int_equal(ct_store_unit_find(&c, f->st, f->gw, "A2"), CT_OK);
    assert_true(a != c);
    assert_int_equal(ct_store_unit_load(&u, f->st, a), CT_OK);
    assert_string_equal(u.hardware_revision, "rev1");
    assert_string_equal(u.state, "shipped");
    assert_int_equal(u.release_id, f->rel);
    assert_int_equal(u.customer_id, f->cust);
    assert_int_equal(u.manufactured, ct_time_from_civil(2023, 1, 1, 0, 0, 0));
    ct_unit_rec_dispose(&u);
    assert_int_equal(ct_store_unit_load(&u, f->st, c), CT_OK);
    assert_null(u.hardware_revision);
    assert_string_equal(u.state, "in_service");
    assert_int_equal(u.release_id, 0);
    assert_int_equal(u.customer_id, 0);
    ct_unit_rec_dispose(&u);
    /* the default span: the registered record from manufactured on */
    assert_int_equal(ct_store_unit_show_json(&b, f->st, "A1", NULL,
                                             ct_time_from_civil(2023, 6, 1, 0, 0, 0)),
                     CT_OK);
    assert_non_null(strstr(b.ptr, "\"state\":\"shipped\""));
    assert_non_null(strstr(b.ptr, "\"release\":\"1.0\""));
    ct_buf_reset(&b);
    assert_int_equal(ct_store_unit_show_json(&b, f->st, "A2", NULL,
                                             ct_time_from_civil(2023, 6, 1, 0, 0, 0)),
                     CT_OK);
    assert_non_null(strstr(b.ptr, "\"state\":\"in_service\""));
    ct_buf_dispose(&b);
    /* a later single write gets a new id */
    assert_int_equal(ct_store_unit_upsert(&n, f->st, f->gw, "A3", NULL, f->rel, 0, CT_TIME_NONE,
                                          NULL),
                     CT_OK);
    assert_true(n != a && n != c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_unit_refs__upsert_refuses_dangling, setup,
                                        ct_fleet_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_unit_refs__copy_import_refuses_dangling, setup,
                                        ct_fleet_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_unit_refs__copy_import_accepts_valid, setup,
                                        ct_fleet_fixture_teardown),
    };
    return CT_FLEET_FIXTURE_RUN(tests);
}

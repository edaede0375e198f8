/* unit_event's references (migration 0017): PostgreSQL has no foreign keys on unit_event, so
 * every library write path checks them itself; each must refuse a dangling unit, release,
 * customer or parameter set and write nothing. Paths: ct_store_unit_event_add_ex (both
 * backends; SQLite refuses through its foreign keys), and the COPY events import
 * (src/fleet/events_copy.c, PostgreSQL only): units written straight into unit_event (checked
 * by the unit read and, as sets, at the end) and staged rows (anti-join before the INSERT).
 * CT_TEST_USES_STORE: runs on SQLite and PostgreSQL. */
#include "ct_fleet_fixture.h"

#include "cratrace/fleet.h"
#include "cratrace/store.h"
#include "fleet/fleet_bulk.h"

#include <stdio.h>
#include <string.h>

#define MISSING 999999

typedef struct {
    ct_fleet_fixture fl; /* gw, its release 1.0 (rel), customer C0 (cust) */
    int64_t other, ps, u0, u1, u_other;
} fixture;

static int setup(void **state)
{
    fixture *f = ct_calloc(1, sizeof *f);

    assert_non_null(f);
    ct_fleet_fixture_open(&f->fl);
    ct_fleet_fixture_gw(&f->fl, 1);
    assert_int_equal(
        ct_store_product_add(&f->other, f->fl.st, "other", "ACME", NULL, CT_TIME_NONE), CT_OK);
    ct_fleet_fixture_customers(&f->fl, 1);
    ct_fleet_fixture_import_units(&f->fl, "units.csv",
                                  "serial,product,release,customer,manufactured\n"
                                  "U0,gw,1.0,C0,2023-01-01T00:00:00Z\n"
                                  "U1,gw,1.0,C0,2023-01-01T00:00:00Z\n"
                                  "X0,other,,,2023-01-01T00:00:00Z\n");
    assert_int_equal(ct_store_unit_find(&f->u0, f->fl.st, f->fl.gw, "U0"), CT_OK);
    assert_int_equal(ct_store_unit_find(&f->u1, f->fl.st, f->fl.gw, "U1"), CT_OK);
    assert_int_equal(ct_store_unit_find(&f->u_other, f->fl.st, f->other, "X0"), CT_OK);
    assert_int_equal(ct_store_param_set_upsert(&f->ps, f->fl.st, f->fl.gw, "cfg", "1", NULL),
                     CT_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ct_fleet_fixture_close(&f->fl);
    ct_free(f);
    return 0;
}

static size_t events_of(fixture *f, int64_t unit)
{
    ct_unit_event_rec *ev = NULL;
    size_t n = 0;
    assert_int_equal(ct_store_unit_events_load(&ev, &n, f->fl.st, unit), CT_OK);
    ct_unit_events_free(ev, n);
    return n;
}

/* A valid event of unit u at t (an update 1.0 -> 1.0 to C0 with the parameter set). */
static ct_unit_event_rec good_event(const fixture *f, int64_t u, ct_time t)
{
    ct_unit_event_rec ev;
    memset(&ev, 0, sizeof ev);
    ev.unit_id = u;
    ev.product_id = f->fl.gw;
    ev.time = t;
    ev.kind = "update";
    ev.from_release = f->fl.rel;
    ev.to_release = f->fl.rel;
    ev.customer_id = f->fl.cust;
    ev.param_set_id = f->ps;
    return ev;
}

enum { BAD_UNIT, BAD_PRODUCT, BAD_FROM, BAD_TO, BAD_CUSTOMER, BAD_PARAM_SET, BAD_N };
static const char *const bad_name[] = { "unit", "product", "from_release", "to_release",
                                        "customer", "param_set" };

static void make_bad(ct_unit_event_rec *ev, int which)
{
    switch (which) {
    case BAD_UNIT: ev->unit_id = MISSING; break;
    case BAD_PRODUCT: ev->product_id = ev->product_id + 1; break; /* "other": the unit is gw's */
    case BAD_FROM: ev->from_release = MISSING; break;
    case BAD_TO: ev->to_release = MISSING; break;
    case BAD_CUSTOMER: ev->customer_id = MISSING; break;
    default: ev->param_set_id = MISSING; break;
    }
}

static void test_event_refs__single_add_refuses_dangling(void **state)
{
    fixture *f = *state;
    ct_time t = ct_time_from_civil(2023, 3, 1, 0, 0, 0);
    ct_unit_event_rec ev = good_event(f, f->u0, t);
    bool added = false;

    assert_int_equal(ct_store_unit_event_add_ex(&added, f->fl.st, &ev), CT_OK);
    assert_true(added);
    assert_int_equal(events_of(f, f->u0), 1);
    for (int k = 0; k < BAD_N; k++) {
        /* SQLite's foreign key on unit_event.unit_id does not include the product */
        if (k == BAD_PRODUCT && strcmp(ct_test_backend(), "pg") != 0)
            continue;
        ev = good_event(f, f->u0, t + 3600 * (k + 1));
        make_bad(&ev, k);
        added = true;
        if (ct_store_unit_event_add_ex(&added, f->fl.st, &ev) == CT_OK)
            fail_msg("a dangling %s was accepted", bad_name[k]);
        ct_error_clear();
        assert_false(added);
        assert_int_equal(events_of(f, f->u0), 1);
        assert_int_equal(events_of(f, f->u_other), 0);
    }
}

/* One COPY import (as ct_import_events_csv_ex runs it, in a transaction): U0's rows, then U1's
 * with its second row dangling (make_bad(bad_kind)), or, when staged_bad, U1's rows intact and
 * then U0 met again (a staged row) carrying the dangling reference. Must fail and leave
 * nothing behind. */
static void copy_import_refused(fixture *f, int bad_kind, bool staged_bad)
{
    ct_time t = ct_time_from_civil(2023, 3, 1, 0, 0, 0);
    ct_fleet_copy_events *ce = NULL;
    uint64_t inserted = 0;
    int64_t *touched = NULL;
    size_t ntouched = 0;
    int rc = CT_OK;
    int64_t line = 2;

    assert_int_equal(ct_store_begin(f->fl.st), CT_OK);
    assert_int_equal(ct_store__events_stage_open(f->fl.st), CT_OK);
    assert_int_equal(ct_fleet__copy_events_new(&ce, f->fl.st), CT_OK);
    for (int i = 0; i < 3 && rc == CT_OK; i++) {
        ct_unit_event_rec ev = good_event(f, f->u0, t + i);
        rc = ct_fleet__copy_events_add(ce, f->fl.st, &ev, line++);
    }
    for (int i = 0; i < 3 && rc == CT_OK; i++) {
        ct_unit_event_rec ev = good_event(f, f->u1, t + i);
        if (i == 1 && !staged_bad)
            make_bad(&ev, bad_kind);
        rc = ct_fleet__copy_events_add(ce, f->fl.st, &ev, line++);
    }
    if (staged_bad && rc == CT_OK) {
        ct_unit_event_rec ev = good_event(f, f->u0, t + 100);
        make_bad(&ev, bad_kind);
        rc = ct_fleet__copy_events_add(ce, f->fl.st, &ev, line++);
    }
    if (rc == CT_OK)
        rc = ct_fleet__copy_events_finish(ce, f->fl.st, &inserted, &touched, &ntouched);
    ct_fleet__copy_events_free(ce);
    ct_free(touched);
    if (rc == CT_OK) {
        ct_store_rollback(f->fl.st);
        fail_msg("COPY import accepted a dangling %s (%s path)", bad_name[bad_kind],
                 staged_bad ? "staged" : "direct");
    }
    assert_int_equal(ct_error_last()->code, CT_ENOTFOUND);
    ct_error_clear();
    ct_store_rollback(f->fl.st);
    assert_int_equal(events_of(f, f->u0), 0);
    assert_int_equal(events_of(f, f->u1), 0);
}

static void test_event_refs__copy_import_refuses_dangling(void **state)
{
    fixture *f = *state;
    if (!ct_store__has_copy(f->fl.st))
        skip(); /* the COPY path is PostgreSQL's; SQLite keeps its foreign keys */
    for (int k = 0; k < BAD_N; k++) {
        copy_import_refused(f, k, false); /* written straight into unit_event */
        copy_import_refused(f, k, true);  /* through the staging table */
    }
}

/* The same rows without a dangling reference go in: the refusals above are not the path
 * failing on its own. */
static void test_event_refs__copy_import_accepts_valid(void **state)
{
    fixture *f = *state;
    ct_time t = ct_time_from_civil(2023, 3, 1, 0, 0, 0);
    ct_fleet_copy_events *ce = NULL;
    uint64_t inserted = 0;
    int64_t *touched = NULL;
    size_t ntouched = 0;
    int64_t line = 2;

    if (!ct_store__has_copy(f->fl.st))
        skip();
    assert_int_equal(ct_store_begin(f->fl.st), CT_OK);
    assert_int_equal(ct_store__events_stage_open(f->fl.st), CT_OK);
    assert_int_equal(ct_fleet__copy_events_new(&ce, f->fl.st), CT_OK);
    for (int u = 0; u < 2; u++) {
        for (int i = 0; i < 3; i++) {
            ct_unit_event_rec ev = good_event(f, u ? f->u1 : f->u0, t + i);
            assert_int_equal(ct_fleet__copy_events_add(ce, f->fl.st, &ev, line++), CT_OK);
        }
    }
    {
        ct_unit_event_rec ev = good_event(f, f->u0, t + 100); /* U0 again: staged */
        assert_int_equal(ct_fleet__copy_events_add(ce, f->fl.st, &ev, line++), CT_OK);
    }
    assert_int_equal(ct_fleet__copy_events_finish(ce, f->fl.st, &inserted, &touched, &ntouched),
                     CT_OK);
    ct_fleet__copy_events_free(ce);
    assert_int_equal(inserted, 7);
    assert_int_equal(ntouched, 1);
    assert_int_equal(touched[0], f->u0);
    ct_free(touched);
    assert_int_equal(ct_store_commit(f->fl.st), CT_OK);
    assert_int_equal(events_of(f, f->u0), 4);
    assert_int_equal(events_of(f, f->u1), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_event_refs__single_add_refuses_dangling, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_event_refs__copy_import_refuses_dangling, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_event_refs__copy_import_accepts_valid, setup,
                                        teardown),
    };
    return CT_FLEET_FIXTURE_RUN(tests);
}

/* Fleet test fixture: a context with the test clock, a fresh store on the backend
 * CT_TEST_BACKEND selects (a DSN of its own: a temp SQLite file or a new PostgreSQL schema, so
 * a test can open a second connection) and a temp directory; product "gw" with its releases,
 * customers and units imported from CSV text; SQLite queries through a connection of its own.
 * Every helper fails the test (naming what failed and the error) instead of returning one. */
#ifndef CT_FLEET_FIXTURE_H
#define CT_FLEET_FIXTURE_H

#include "ct_test.h"

/** The header rows of the units and events CSV files (docs/fleet.md). */
#define CT_FLEET_UNITS_HEADER                                                                     \
    "serial,product,hardware_revision,release,customer,manufactured,state\n"
#define CT_FLEET_EVENTS_HEADER "serial,product,time,kind,from_release,to_release,detail,customer\n"

typedef struct ct_fleet_fixture {
    ct_ctx *ctx;
    ct_store *st;
    char *dir;             /* temp directory for the files the helpers and tests write */
    char *dsn;             /* the store's DSN */
    int64_t gw, rel, cust; /* ct_fleet_fixture_gw: product "gw", its release "1.0"; customer C0 */
} ct_fleet_fixture;

/** Fill f (zeroed by the caller): ct_test_ctx, ct_test_fresh_dsn, ct_store_open, ct_test_tmpdir. */
void ct_fleet_fixture_open(ct_fleet_fixture *f);
/** Close the store and free what ct_fleet_fixture_open made (f itself is the caller's). */
void ct_fleet_fixture_close(ct_fleet_fixture *f);
/** cmocka teardown for a fixture made by ct_fleet_fixture_new. */
int ct_fleet_fixture_teardown(void **state);
/** A NEW fixture, opened (ct_fleet_fixture_open). */
ct_fleet_fixture *ct_fleet_fixture_new(void);

/** Product "gw" (vendor ACME) with releases "1.0", "1.1", ... (nreleases of them), release
 * "1.r" out on 2022-(1+r)-01; sets f->gw and f->rel (the id of "1.0"). */
void ct_fleet_fixture_gw(ct_fleet_fixture *f, int nreleases);
/** Import customers C0..C(n-1) named "Customer <i>" (customers.csv); sets f->cust (C0). */
void ct_fleet_fixture_customers(ct_fleet_fixture *f, int n);
/** Write csv to dir/name and import it as units, failing the test unless it imports. */
void ct_fleet_fixture_import_units(ct_fleet_fixture *f, const char *name, const char *csv);

/** `unit show` of serial (product gw) at each instant of at[0..n), a second before and after
 * ("<not yet>" where the unit did not exist), then now: one line each, into out (reset). */
void ct_fleet_fixture_history(const ct_fleet_fixture *f, const char *serial, const ct_time *at,
                              size_t n, ct_buf *out);

/** True when the store is SQLite. */
bool ct_fleet_fixture_is_sqlite(void);
/** SQLite: every row of sql's first column (NULL as "") each ending in '\n', through a
 * connection of its own on f->dsn. NEW. */
char *ct_fleet_fixture_sql_text(const ct_fleet_fixture *f, const char *sql);

/** main(): skip (exit CT_TEST_SKIP, saying why) unless the backend can run here, else run the
 * cmocka group tests. */
#define CT_FLEET_FIXTURE_RUN(tests)                                                               \
    (ct_test_backend_available() ? cmocka_run_group_tests(tests, NULL, NULL)                      \
                                 : ct_fleet_fixture_skip())
/** Say the backend is not available; returns CT_TEST_SKIP. */
int ct_fleet_fixture_skip(void);

#endif

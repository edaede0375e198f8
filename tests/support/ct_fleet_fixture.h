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
/** ct_fleet_fixture_open on a store of the caller's: dsn (NEW, now f's) instead of a fresh one. */
void ct_fleet_fixture_open_dsn(ct_fleet_fixture *f, char *dsn);
/** Close the store and free what ct_fleet_fixture_open made (f itself is the caller's). */
void ct_fleet_fixture_close(ct_fleet_fixture *f);
/** cmocka teardown for a fixture made by ct_fleet_fixture_new. */
int ct_fleet_fixture_teardown(void **state);
/** A NEW fixture, opened (ct_fleet_fixture_open). */
ct_fleet_fixture *ct_fleet_fixture_new(void);

/** Product "gw" (vendor ACME) with releases "1.0", "1.1", ... (nreleases of them), release
 * "1.r" out on 2022-(1+r)-01; sets f->gw and f->rel (the id of "1.0"). */
void ct_fleet_fixture_gw(ct_fleet_fixture *f, int nreleases);
/** ct_fleet_fixture_gw with the releases named versions[0..n) (versions[r] out on
 * 2022-(1+r)-01); f->rel is the id of versions[0]. */
void ct_fleet_fixture_gw_versions(ct_fleet_fixture *f, const char *const *versions, int n);
/** Import customers C0..C(n-1) named "Customer <i>" (customers.csv); sets f->cust (C0). */
void ct_fleet_fixture_customers(ct_fleet_fixture *f, int n);
/** Write csv to dir/name and import it as units, failing the test unless it imports. */
void ct_fleet_fixture_import_units(ct_fleet_fixture *f, const char *name, const char *csv);

/* The "U" fleet of the PostgreSQL bulk-path tests (test_pg_analyze, test_pg_visible): product
 * gw with releases "1.0" and "2.0" (ct_fleet_fixture_u_gw, which also imports customer C0),
 * units U<i> on 1.0 made 2022-03-01 and in stock, and ten events each: a ship to C0 on
 * 2022-04-01, then updates a day apart, 1.0 -> 2.0 -> 1.0 ... (the last, on 2022-04-10, to 2.0). */
void ct_fleet_fixture_u_gw(ct_fleet_fixture *f);
/** Import units U<first>..U<first + n - 1>; the import must insert n. */
void ct_fleet_fixture_u_units(ct_fleet_fixture *f, int first, int n);
/** Import the ten events of each of U<first>..U<first + n - 1>; the import must insert 10 n. */
void ct_fleet_fixture_u_events(ct_fleet_fixture *f, int first, int n);
/** U<i> with its ten events runs 1.0 on 2022-04-09 12:00 and 2.0 on 2022-04-10 12:00. */
void ct_fleet_fixture_u_check_history(const ct_fleet_fixture *f, int i);

/** The first column of the first row of sql (an integer, e.g. a count), through the store's
 * own connection (store_int.h driver). */
int64_t ct_fleet_fixture_count(const ct_fleet_fixture *f, const char *sql);
/** Run sql through the store's own connection; fails the test with the error. */
void ct_fleet_fixture_exec(const ct_fleet_fixture *f, const char *sql);

/** The stored history of serial (product gw) equals what ct_fleet_rebuild_unit (the read-back
 * rebuild, committed) makes of its events, history(f, serial, out) telling both; fails the test
 * naming serial and showing both otherwise. */
void ct_fleet_fixture_check_rebuild(ct_fleet_fixture *f, const char *serial,
                                    void (*history)(const ct_fleet_fixture *f,
                                                    const char *serial, ct_buf *out));

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

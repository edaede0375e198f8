/* The events import's lock (docs/fleet.md, "First events import of a fleet on PostgreSQL"):
 * every events import on PostgreSQL first takes SHARE ROW EXCLUSIVE on unit_event and unit_span
 * (ct_store__pg_events_lock) and only then asks whether any event is stored; with no event and
 * >= 20,000 units it TRUNCATEs both tables. A second session that has written an event and
 * holds its transaction open when the import starts must make the import wait for its commit,
 * and its event must be there afterwards (asked first, the import saw no event, took the
 * TRUNCATE path once the lock was free and lost that committed event).
 * Here: a second connection adds an event to a unit the file does not have (and rebuilds that
 * unit's spans) and keeps its transaction open; a thread watches pg_locks from a third
 * connection until the import's backend waits for a lock on unit_event, and only then commits
 * the second connection's transaction.
 * PostgreSQL only (the lock and the TRUNCATE path are PostgreSQL's); skips without
 * CT_TEST_PG_DSN. */
#include "ct_fleet_fixture.h"

#include "cratrace/fleet.h"
#include "cratrace/store.h"
#include "store/store_int.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NUNITS 20500   /* >= CT_SPAN_REINDEX_MIN (20000): the TRUNCATE path's condition */
#define NFILE 300      /* units SN00000.. with events in the file */
#define OTHER 20499    /* SN20499: its event comes from the second connection */
#define WAIT_POLLS 1200 /* 50 ms each: at most a minute for the import to reach its lock */

typedef struct {
    const char *dsn;
    ct_store *st2; /* in a transaction with the other event written; committed by the thread */
    bool saw_wait; /* a backend other than the watcher's waited for unit_event's lock */
    int commit_rc;
    char err[256];
} watcher;

/* The first column of sql's one row as an integer (-1 on failure). */
static int64_t query_int(const ct_store_driver *drv, void *conn, const char *sql)
{
    ct_stmt *q = NULL;
    int64_t v = -1;
    if (drv->prepare(&q, conn, sql) < 0)
        return -1;
    if (drv->step(q) == 1)
        v = drv->column_int64(q, 0);
    drv->finalize(q);
    return v;
}

static void *watch_then_commit(void *arg)
{
    watcher *w = arg;
    const ct_store_driver *drv = &ct_store__driver_pg;
    void *conn = NULL;
    struct timespec pause = { 0, 50 * 1000 * 1000 };

    if (drv->open(&conn, w->dsn) < 0) {
        snprintf(w->err, sizeof w->err, "watcher connection: %s", ct_error_last()->message);
    } else {
        for (int i = 0; i < WAIT_POLLS && !w->saw_wait; i++) {
            int64_t n = query_int(drv, conn,
                                  "SELECT count(*) FROM pg_locks WHERE NOT granted AND "
                                  "relation = 'unit_event'::regclass AND pid <> "
                                  "pg_backend_pid()");
            if (n < 0) {
                snprintf(w->err, sizeof w->err, "pg_locks: %s", ct_error_last()->message);
                break;
            }
            if (n > 0)
                w->saw_wait = true;
            else
                nanosleep(&pause, NULL);
        }
        drv->close(conn);
    }
    /* commit in every case: the import must not wait for ever when something above failed */
    w->commit_rc = ct_store_commit(w->st2);
    return NULL;
}

static void test_events_lock__import_waits_for_open_writer(void **state)
{
    ct_fleet_fixture *f = *state;
    ct_buf u = CT_BUF_INIT, e = CT_BUF_INIT;
    ct_store *st2 = NULL;
    ct_unit_event_rec ev, *got = NULL;
    ct_import_stats s;
    int64_t other = 0;
    size_t ngot = 0;
    pthread_t th;
    watcher w;
    char *p;
    int rc;

    ct_fleet_fixture_gw(f, 2);
    ct_fleet_fixture_customers(f, 3);
    ct_buf_puts(&u, CT_FLEET_UNITS_HEADER);
    for (int i = 0; i < NUNITS; i++)
        ct_buf_printf(&u, "SN%05d,gw,A,1.0,C%d,2022-01-15T00:00:00Z,in_stock\n", i, i % 3);
    ct_buf_puts(&e, CT_FLEET_EVENTS_HEADER);
    for (int i = 0; i < NFILE; i++)
        ct_buf_printf(&e,
                      "SN%05d,gw,2022-02-%02dT00:00:00Z,ship,,,,C%d\n"
                      "SN%05d,gw,2022-03-%02dT00:00:00Z,update,1.0,1.1,,\n",
                      i, 1 + i % 20, (i + 1) % 3, i, 1 + i % 25);
    assert_false(u.failed || e.failed);
    ct_fleet_fixture_import_units(f, "units.csv", u.ptr);
    assert_int_equal(ct_store_unit_find(&other, f->st, f->gw, "SN20499"), CT_OK);

    /* the second session: an event of a unit the file does not have, transaction left open */
    if (ct_store_open(&st2, f->ctx, f->dsn) != CT_OK)
        fail_msg("second connection: %s", ct_error_format());
    assert_int_equal(ct_store_begin(st2), CT_OK);
    memset(&ev, 0, sizeof ev);
    ev.unit_id = other;
    ev.product_id = f->gw;
    ev.time = ct_time_from_civil(2022, 6, 1, 0, 0, 0);
    ev.kind = "ship";
    ev.customer_id = f->cust;
    {
        bool added = false;
        if (ct_store_unit_event_add_ex(&added, st2, &ev) != CT_OK)
            fail_msg("second connection's event: %s", ct_error_format());
        assert_true(added);
        /* and its history, as `unit event add` writes it: unit_span too */
        if (ct_fleet_rebuild_unit(st2, other) != CT_OK)
            fail_msg("second connection's rebuild: %s", ct_error_format());
    }

    memset(&w, 0, sizeof w);
    w.dsn = f->dsn;
    w.st2 = st2;
    assert_int_equal(pthread_create(&th, NULL, watch_then_commit, &w), 0);
    p = ct_test_write_file(f->dir, "events.csv", e.ptr);
    memset(&s, 0, sizeof s);
    rc = ct_import_events_csv(f->st, p, &s); /* waits for the second session's commit */
    if (rc != CT_OK)
        fprintf(stderr, "events import: %s\n", ct_error_format());
    assert_int_equal(pthread_join(th, NULL), 0);
    ct_store_close(st2);
    ct_free(p);
    ct_buf_dispose(&u);
    ct_buf_dispose(&e);

    if (w.err[0])
        fail_msg("%s", w.err);
    assert_int_equal(w.commit_rc, CT_OK);
    assert_true(w.saw_wait); /* the import waited for a lock on unit_event ... */
    assert_int_equal(rc, CT_OK);
    assert_int_equal(s.inserted, (uint64_t)(2 * NFILE));
    /* ... and the second session's committed event is still there, with the file's */
    assert_int_equal(ct_store_unit_events_load(&got, &ngot, f->st, other), CT_OK);
    assert_int_equal(ngot, 1);
    assert_int_equal(got[0].time, ev.time);
    assert_string_equal(got[0].kind, "ship");
    ct_unit_events_free(got, ngot);
    assert_int_equal(query_int(f->st->drv, f->st->conn, "SELECT count(*) FROM unit_event"),
                     2 * NFILE + 1);
    /* the unit's history follows its event: its open span is the shipped one */
    assert_int_equal(query_int(f->st->drv, f->st->conn,
                               "SELECT count(*) FROM unit_span s JOIN unit u ON u.id = s.unit_id "
                               "WHERE u.serial = 'SN20499' AND s.valid_to IS NULL AND s.valid_from "
                               "= (SELECT max(time) FROM unit_event WHERE unit_id = u.id)"),
                     1);
}

static int setup(void **state)
{
    *state = ct_fleet_fixture_new();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_events_lock__import_waits_for_open_writer, setup,
                                        ct_fleet_fixture_teardown),
    };
    const char *dsn = getenv("CT_TEST_PG_DSN");

    if (!dsn || !*dsn) {
        fprintf(stderr, "skipped: test_pg_events_lock needs PostgreSQL (set CT_TEST_PG_DSN)\n");
        return CT_TEST_SKIP;
    }
    setenv("CT_TEST_BACKEND", "pg", 1); /* the fixture's store on PostgreSQL */
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The PostgreSQL driver ends a COPY without waiting for the server (pg_copy_end in
 * src/store/driver_pg.c, docs/PERFORMANCE.md fleetpg9): the next call that sends anything reads
 * the COPY's result first. A COPY that failed must be that call's error (never lost, never a
 * COMMIT that silently rolled back: the driver reports a COMMIT that the server answered with
 * ROLLBACK as an error), a ROLLBACK right after it must still roll back and keep the caller's
 * error, and rows of a COPY that went through are there for the next statement. A close right
 * after an autocommit COPY reads the result too: a failure is ct_error_last() after the close.
 * PostgreSQL only; skips without CT_TEST_PG_DSN. */
#include "ct_test.h"

#include "store/driver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const ct_store_driver *drv = &ct_store__driver_pg;

typedef struct {
    void *conn;
    char *dsn; /* the test's own schema, to look again after a close */
} fixture;

static int setup(void **state)
{
    fixture *f = ct_calloc(1, sizeof *f);
    char *dsn;

    assert_non_null(f);
    setenv("CT_TEST_BACKEND", "pg", 1);
    dsn = ct_test_fresh_dsn(); /* a schema of its own */
    if (drv->open(&f->conn, dsn) < 0)
        fail_msg("open: %s", ct_error_last()->message);
    f->dsn = dsn;
    assert_int_equal(drv->exec(f->conn, "CREATE TABLE t (k BIGINT PRIMARY KEY, v TEXT)"), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    drv->close(f->conn);
    ct_free(f->dsn);
    ct_free(f);
    return 0;
}

static int64_t rows_in_t(fixture *f)
{
    ct_stmt *q = NULL;
    int64_t n = -1;
    assert_int_equal(drv->prepare(&q, f->conn, "SELECT count(*) FROM t"), 0);
    assert_int_equal(drv->step(q), 1);
    n = drv->column_int64(q, 0);
    drv->finalize(q);
    return n;
}

/* COPY rows (text format) into t; returns copy_end's result. */
static int copy_t(fixture *f, const char *rows)
{
    assert_int_equal(drv->copy_begin(f->conn, "COPY t (k, v) FROM STDIN"), 0);
    assert_int_equal(drv->copy_data(f->conn, rows, strlen(rows)), 0);
    return drv->copy_end(f->conn);
}

static void test_pg_copy_defer__rows_there_for_next_statement(void **state)
{
    fixture *f = *state;
    assert_int_equal(copy_t(f, "1\ta\n2\tb\n3\t\\N\n"), 0);
    assert_int_equal(rows_in_t(f), 3);
    assert_int_equal(copy_t(f, "4\td\n"), 0);
    assert_int_equal(copy_t(f, "5\te\n"), 0); /* a COPY after a COPY */
    assert_int_equal(rows_in_t(f), 5);
}

static void test_pg_copy_defer__failed_copy_is_next_calls_error(void **state)
{
    fixture *f = *state;
    ct_stmt *q = NULL;

    assert_int_equal(drv->exec(f->conn, "BEGIN"), 0);
    assert_int_equal(copy_t(f, "1\ta\n"), 0);
    /* a bad value: the server refuses the COPY; the next call says so, whatever it is */
    (void)copy_t(f, "2\tb\nnot-a-number\tc\n");
    assert_true(drv->prepare(&q, f->conn, "SELECT 1") < 0);
    assert_int_equal(ct_error_last()->code, CT_EDB);
    assert_non_null(strstr(ct_error_last()->message, "COPY"));
    assert_non_null(strstr(ct_error_last()->message, "not-a-number"));
    assert_null(q);
    /* the transaction failed: COMMIT must not report success */
    assert_true(drv->exec(f->conn, "COMMIT") < 0);
    assert_int_equal(drv->exec(f->conn, "ROLLBACK"), 0);
    assert_int_equal(rows_in_t(f), 0);

    /* the same with COMMIT as the next call */
    assert_int_equal(drv->exec(f->conn, "BEGIN"), 0);
    (void)copy_t(f, "x\ty\n");
    assert_true(drv->exec(f->conn, "COMMIT") < 0);
    assert_non_null(strstr(ct_error_last()->message, "COPY"));
    assert_int_equal(drv->exec(f->conn, "ROLLBACK"), 0);
    assert_int_equal(rows_in_t(f), 0);
}

static void test_pg_copy_defer__unique_violation_is_eexists(void **state)
{
    fixture *f = *state;
    assert_int_equal(copy_t(f, "7\ta\n"), 0);
    (void)copy_t(f, "7\tagain\n");
    assert_true(drv->exec(f->conn, "SELECT 1") < 0);
    assert_int_equal(ct_error_last()->code, CT_EEXISTS);
    assert_int_equal(rows_in_t(f), 1); /* autocommit: the first COPY stands */
}

static void test_pg_copy_defer__rollback_after_failed_copy(void **state)
{
    fixture *f = *state;
    assert_int_equal(drv->exec(f->conn, "BEGIN"), 0);
    assert_int_equal(copy_t(f, "1\ta\n"), 0);
    (void)copy_t(f, "oops\tb\n");
    /* the caller failed for its own reason and rolls back: its error stays the last one */
    ct_error_set(CT_EPARSE, "caller's own error");
    assert_int_equal(drv->exec(f->conn, "ROLLBACK"), 0);
    assert_string_equal(ct_error_last()->message, "caller's own error");
    assert_int_equal(rows_in_t(f), 0);
    /* and the connection works on */
    assert_int_equal(copy_t(f, "9\tz\n"), 0);
    assert_int_equal(rows_in_t(f), 1);
}

/* Close the fixture's connection and open a new one on the same schema. */
static void reopen(fixture *f)
{
    drv->close(f->conn);
    f->conn = NULL;
    if (drv->open(&f->conn, f->dsn) < 0)
        fail_msg("reopen: %s", ct_error_last()->message);
}

static void test_pg_copy_defer__close_reports_failed_copy(void **state)
{
    fixture *f = *state;

    assert_int_equal(copy_t(f, "1\ta\n"), 0);
    (void)copy_t(f, "2\tb\nbad-key\tc\n"); /* autocommit; close is the next call */
    ct_error_clear();
    drv->close(f->conn);
    f->conn = NULL;
    assert_int_equal(ct_error_last()->code, CT_EDB);
    assert_non_null(strstr(ct_error_last()->message, "COPY"));
    assert_non_null(strstr(ct_error_last()->message, "bad-key"));
    if (drv->open(&f->conn, f->dsn) < 0)
        fail_msg("reopen: %s", ct_error_last()->message);
    assert_int_equal(rows_in_t(f), 1); /* the failed COPY left nothing */
}

static void test_pg_copy_defer__close_after_good_copy_keeps_rows(void **state)
{
    fixture *f = *state;

    assert_int_equal(copy_t(f, "1\ta\n2\tb\n"), 0);
    ct_error_set(CT_EPARSE, "earlier error");
    reopen(f);
    assert_string_equal(ct_error_last()->message, "earlier error"); /* close added none */
    assert_int_equal(rows_in_t(f), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pg_copy_defer__rows_there_for_next_statement, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_pg_copy_defer__failed_copy_is_next_calls_error,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_pg_copy_defer__unique_violation_is_eexists, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_pg_copy_defer__rollback_after_failed_copy, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_pg_copy_defer__close_reports_failed_copy, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_pg_copy_defer__close_after_good_copy_keeps_rows,
                                        setup, teardown),
    };
    const char *dsn = getenv("CT_TEST_PG_DSN");

    if (!dsn || !*dsn) {
        fprintf(stderr, "skipped: test_pg_copy_defer needs PostgreSQL (set CT_TEST_PG_DSN)\n");
        return CT_TEST_SKIP;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}

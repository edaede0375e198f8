/* `cratrace serve` survives a lost PostgreSQL connection (src/server/mhd.c): the worker's
 * backend is terminated with pg_terminate_backend from a second connection between two
 * requests, and the next request is still answered, byte for byte as before, after the store
 * is reopened once (and logged). With the token cache off the authentication query meets the
 * dead connection first; with it on, the handler's query does. /healthz asks the store: after
 * a lost connection it reopens it and answers 200, and while the PostgreSQL server refuses the
 * worker's new connection (its login role is switched to NOLOGIN from a second connection) it
 * answers 503 with a JSON reason, and 200 again once the server lets it in. CT_TEST_USES_STORE:
 * runs on both backends; SQLite has no connection to lose, so there it only checks that nothing
 * is reopened and that /healthz answers 200. */
#include "ct_http_client.h"

#include "cratrace/server.h"
#include "store/driver.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    ct_ctx *ctx;
    char *dsn;  /* the fresh store, with an application_name of this process */
    char app[48];
    char token[CT_STORE_TOKEN_SIZE];
    ct_buf products; /* what the library says, plus the newline of the API */
    pthread_mutex_t log_lock;
    ct_buf log; /* the server's log lines */
    ct_server *srv;
    char base[64];
} fixture;

static void capture_log(int level, const char *msg, void *payload)
{
    fixture *f = payload;
    (void)level;
    pthread_mutex_lock(&f->log_lock);
    ct_buf_printf(&f->log, "%s\n", msg);
    pthread_mutex_unlock(&f->log_lock);
}

/* The log so far (NEW), and the log emptied. */
static char *take_log(fixture *f)
{
    char *s;
    pthread_mutex_lock(&f->log_lock);
    s = ct_strdup(f->log.ptr);
    ct_buf_reset(&f->log);
    pthread_mutex_unlock(&f->log_lock);
    assert_non_null(s);
    return s;
}

static fixture *start_as(unsigned token_ttl_s, const char *pg_role)
{
    fixture *f = ct_calloc(1, sizeof *f);
    ct_ctx_options co = CT_CTX_OPTIONS_INIT;
    ct_server_options o = CT_SERVER_OPTIONS_INIT;
    ct_store *st = NULL;
    ct_buf dsn = CT_BUF_INIT;
    char *fresh;
    int64_t id;

    assert_non_null(f);
    assert_int_equal(pthread_mutex_init(&f->log_lock, NULL), 0);
    f->log = (ct_buf)CT_BUF_INIT;
    f->products = (ct_buf)CT_BUF_INIT;
    co.progress = false;
    co.log = capture_log;
    co.log_payload = f;
    assert_int_equal(ct_ctx_new(&f->ctx, &co), 0);
    snprintf(f->app, sizeof f->app, "ct_reconnect_%ld", (long)getpid());
    fresh = ct_test_fresh_dsn();
    if (strcmp(ct_test_backend(), "pg") == 0)
        ct_buf_printf(&dsn, "%s&application_name=%s", fresh, f->app);
    else
        ct_buf_puts(&dsn, fresh);
    ct_free(fresh);
    assert_false(dsn.failed);
    f->dsn = ct_buf_detach(&dsn);
    assert_int_equal(ct_store_open(&st, f->ctx, f->dsn), 0);
    assert_int_equal(ct_store_product_add(&id, st, "router", "ACME", "class-i", CT_TIME_NONE), 0);
    assert_int_equal(ct_store_product_add(&id, st, "camera", NULL, NULL, CT_TIME_NONE), 0);
    assert_int_equal(ct_store_token_create(f->token, st, "admin-1", "admin"), 0);
    assert_int_equal(ct_store_products_json(&f->products, st), 0);
    ct_buf_putc(&f->products, '\n');
    ct_store_close(st);
    if (pg_role) { /* the server logs in as pg_role; the fixture's store was made as the owner */
        ct_buf_printf(&dsn, "%s&user=%s", f->dsn, pg_role);
        assert_false(dsn.failed);
        ct_free(f->dsn);
        f->dsn = ct_buf_detach(&dsn);
    }
    o.dsn = f->dsn;
    o.listen = "127.0.0.1:0";
    o.threads = 1; /* one worker, one store handle: the one whose backend is terminated */
    o.token_ttl_s = token_ttl_s;
    assert_int_equal(ct_server_start(&f->srv, f->ctx, &o), 0);
    snprintf(f->base, sizeof f->base, "http://127.0.0.1:%u", ct_server_port(f->srv));
    return f;
}

static fixture *start(unsigned token_ttl_s)
{
    return start_as(token_ttl_s, NULL);
}

static void stop(fixture *f)
{
    ct_server_stop(f->srv);
    ct_buf_dispose(&f->products);
    ct_buf_dispose(&f->log);
    pthread_mutex_destroy(&f->log_lock);
    ct_free(f->dsn);
    ct_ctx_free(f->ctx);
    ct_free(f);
}

/* GET path with the admin token on a new connection; the status, the body into b. */
static long get(const fixture *f, const char *path, ct_buf *b)
{
    CURL *c = curl_easy_init();
    long status;
    assert_non_null(c);
    status = ct_test_http_get(c, f->base, path, f->token, b);
    curl_easy_cleanup(c);
    return status;
}

/* Terminate the server's backends (those with this process's application_name) from a second
 * connection, waiting until they are gone; returns how many there were. OFFSET 0 keeps the
 * filter ahead of pg_terminate_backend (SQL does not order the terms of a WHERE). */
static int64_t terminate_backends(const fixture *f)
{
    const ct_store_driver *drv = &ct_store__driver_pg;
    void *conn = NULL;
    ct_stmt *q = NULL;
    int64_t n;

    assert_int_equal(drv->open(&conn, getenv("CT_TEST_PG_DSN")), 0);
    assert_int_equal(drv->prepare(&q, conn,
                                  "SELECT count(*) FROM (SELECT pg_terminate_backend(pid, "
                                  "10000) AS gone FROM pg_stat_activity WHERE application_name"
                                  " = ?1 AND pid <> pg_backend_pid() OFFSET 0) t WHERE gone"),
                     0);
    assert_int_equal(drv->bind_text(q, 1, f->app, strlen(f->app)), 0);
    if (drv->step(q) != 1)
        fail_msg("terminating the server's backends: %s", ct_error_format());
    n = drv->column_int64(q, 0);
    drv->finalize(q);
    drv->close(conn);
    return n;
}

static void lose_and_answer(unsigned token_ttl_s)
{
    bool pg = strcmp(ct_test_backend(), "pg") == 0;
    fixture *f = start(token_ttl_s);
    ct_buf b = CT_BUF_INIT;
    char *log;

    assert_int_equal(get(f, "/api/v1/products", &b), 200);
    assert_string_equal(b.ptr, f->products.ptr);
    log = take_log(f);
    assert_string_equal(log, ""); /* nothing reopened while the connection is there */
    ct_free(log);

    for (int round = 0; round < 2; round++) { /* and again on the reopened handle */
        if (pg)
            assert_int_equal(terminate_backends(f), 1);
        assert_int_equal(get(f, "/api/v1/products", &b), 200);
        assert_string_equal(b.ptr, f->products.ptr);
        log = take_log(f);
        if (pg) {
            assert_non_null(strstr(log, "serve: GET /api/v1/products: the store connection is "
                                        "lost"));
            assert_non_null(strstr(log, "store reopened; retrying"));
        } else {
            assert_string_equal(log, "");
        }
        ct_free(log);
        /* the reopened handle serves the next requests without reopening again */
        assert_int_equal(get(f, "/api/v1/tokens", &b), 200);
        assert_non_null(strstr(b.ptr, "\"name\":\"admin-1\""));
        assert_int_equal(get(f, "/api/v1/units/NOPE", &b), 404);
        log = take_log(f);
        assert_string_equal(log, "");
        ct_free(log);
    }
    ct_buf_dispose(&b);
    stop(f);
}

/* Token cache off: the token lookup is the first query on the dead connection. */
static void test_server_reconnect__auth_query_after_lost_connection(void **state)
{
    (void)state;
    lose_and_answer(0);
}

/* Token cache on: the token is cached, so the handler's query meets the dead connection. */
static void test_server_reconnect__handler_query_after_lost_connection(void **state)
{
    (void)state;
    lose_and_answer(30);
}

/* Run one parameterless statement on a second connection (as the test server's user). */
static void admin_exec(const char *sql)
{
    const ct_store_driver *drv = &ct_store__driver_pg;
    void *conn = NULL;

    assert_int_equal(drv->open(&conn, getenv("CT_TEST_PG_DSN")), 0);
    if (drv->exec(conn, sql) < 0)
        fail_msg("%s: %s", sql, ct_error_format());
    drv->close(conn);
}

static void assert_healthy(fixture *f, bool pg)
{
    ct_buf b = CT_BUF_INIT;
    assert_int_equal(get(f, "/healthz", &b), 200);
    assert_string_equal(b.ptr, pg ? "{\"ok\":true,\"store\":\"postgresql\"}\n"
                                  : "{\"ok\":true,\"store\":\"sqlite\"}\n");
    ct_buf_dispose(&b);
}

/* The login role of the /healthz test's server (PostgreSQL): this process's own. */
static void healthz_role(char role[48])
{
    snprintf(role, 48, "ct_healthz_%ld", (long)getpid());
}

/* Dropped after the test, also when it failed half-way (a role is not in a schema). */
static int drop_healthz_role(void **state)
{
    char role[48], sql[96];

    (void)state;
    if (strcmp(ct_test_backend(), "pg") == 0) {
        healthz_role(role);
        snprintf(sql, sizeof sql, "DROP ROLE IF EXISTS %s", role);
        admin_exec(sql);
    }
    return 0;
}

static void test_server_reconnect__healthz_asks_the_store(void **state)
{
    bool pg = strcmp(ct_test_backend(), "pg") == 0;
    char role[48], sql[160];
    ct_buf b = CT_BUF_INIT;
    fixture *f;
    char *log;

    (void)state;
    healthz_role(role);
    if (pg) {
        snprintf(sql, sizeof sql, "DROP ROLE IF EXISTS %s; CREATE ROLE %s LOGIN SUPERUSER", role,
                 role);
        admin_exec(sql);
    }
    f = start_as(30, pg ? role : NULL);
    assert_healthy(f, pg);
    log = take_log(f);
    assert_string_equal(log, ""); /* the store answered: nothing logged, nothing reopened */
    ct_free(log);
    if (!pg) {
        stop(f);
        return;
    }

    /* the backend is gone, the server is up: reopened, and healthy */
    assert_int_equal(terminate_backends(f), 1);
    assert_healthy(f, pg);
    log = take_log(f);
    assert_non_null(strstr(log, "serve: GET /healthz: the store connection is lost"));
    assert_non_null(strstr(log, "store reopened; retrying"));
    ct_free(log);

    /* the backend is gone and the server refuses a new one: 503 with the reason, twice (the
     * worker keeps trying on each request) */
    snprintf(sql, sizeof sql, "ALTER ROLE %s NOLOGIN", role);
    admin_exec(sql);
    assert_int_equal(terminate_backends(f), 1);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(get(f, "/healthz", &b), 503);
        assert_string_equal(b.ptr, "{\"ok\":false,\"store\":\"postgresql\",\"error\":\"the "
                                   "store is unreachable (details in the server log)\"}\n");
        log = take_log(f);
        assert_non_null(strstr(log, "serve: GET /healthz: answered 503: reopening the store "
                                    "after a lost connection"));
        assert_non_null(strstr(log, "not permitted to log in"));
        assert_null(strchr(log, '\t'));
        ct_free(log);
    }

    /* the server lets it in again: the next request reopens the store and is healthy */
    snprintf(sql, sizeof sql, "ALTER ROLE %s LOGIN", role);
    admin_exec(sql);
    assert_healthy(f, pg);
    log = take_log(f);
    assert_non_null(strstr(log, "store reopened; retrying"));
    ct_free(log);
    assert_int_equal(get(f, "/api/v1/products", &b), 200);
    assert_string_equal(b.ptr, f->products.ptr);
    ct_buf_dispose(&b);
    stop(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_server_reconnect__auth_query_after_lost_connection),
        cmocka_unit_test(test_server_reconnect__handler_query_after_lost_connection),
        cmocka_unit_test_teardown(test_server_reconnect__healthz_asks_the_store,
                                  drop_healthz_role),
    };
    if (!ct_test_backend_available()) {
        printf("skipped: backend %s not available (CT_TEST_PG_DSN)\n", ct_test_backend());
        return CT_TEST_SKIP;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}

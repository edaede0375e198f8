/* Unit tests for src/server/mhd.c in process: start on a free port, answers over keep-alive and
 * from several client threads at once equal the library's JSON, statuses of the dispatcher,
 * option checks, a port in use, one thread without a pool, stop. CT_TEST_USES_STORE: runs on
 * SQLite and PostgreSQL. */
#include "ct_http_client.h"
#include "ct_test.h"

#include "cratrace/server.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    ct_ctx *ctx;
    char *dsn;
    char token[CT_STORE_TOKEN_SIZE], support[CT_STORE_TOKEN_SIZE];
    ct_buf products; /* what the library says, plus the CLI's newline */
    ct_server *srv;
    char base[64];
} fixture;

static int setup(void **state)
{
    fixture *f = ct_calloc(1, sizeof *f);
    ct_store *st = NULL;
    ct_server_options o = CT_SERVER_OPTIONS_INIT;
    int64_t id;

    f->ctx = ct_test_ctx();
    f->dsn = ct_test_fresh_dsn();
    f->products = (ct_buf)CT_BUF_INIT;
    assert_int_equal(ct_store_open(&st, f->ctx, f->dsn), 0);
    assert_int_equal(ct_store_product_add(&id, st, "router", "ACME", "class-i", CT_TIME_NONE), 0);
    assert_int_equal(ct_store_product_add(&id, st, "camera", NULL, NULL, CT_TIME_NONE), 0);
    assert_int_equal(ct_store_token_create(f->token, st, "admin-1", "admin"), 0);
    assert_int_equal(ct_store_token_create(f->support, st, "support-1", "support"), 0);
    assert_int_equal(ct_store_products_json(&f->products, st), 0);
    ct_buf_putc(&f->products, '\n');
    ct_store_close(st);
    o.dsn = f->dsn;
    o.listen = "127.0.0.1:0";
    o.threads = 3;
    assert_int_equal(ct_server_start(&f->srv, f->ctx, &o), 0);
    assert_int_not_equal(ct_server_port(f->srv), 0);
    snprintf(f->base, sizeof f->base, "http://127.0.0.1:%u", ct_server_port(f->srv));
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ct_server_stop(f->srv);
    ct_buf_dispose(&f->products);
    ct_free(f->dsn);
    ct_ctx_free(f->ctx);
    ct_free(f);
    return 0;
}

/* GET base+path with token (NULL: none) on handle c; the status, body into b. */
static long get(CURL *c, const fixture *f, const char *path, const char *token, ct_buf *b)
{
    return ct_test_http_get(c, f->base, path, token, b);
}

static void test_server__answers_and_statuses(void **state)
{
    fixture *f = *state;
    CURL *c = curl_easy_init();
    ct_buf b = CT_BUF_INIT;
    long reused = 0;

    assert_int_equal(get(c, f, "/healthz", NULL, &b), 200);
    assert_string_equal(b.ptr, strcmp(ct_test_backend(), "pg") == 0
                                   ? "{\"ok\":true,\"store\":\"postgresql\"}\n"
                                   : "{\"ok\":true,\"store\":\"sqlite\"}\n");
    assert_int_equal(get(c, f, "/api/v1/products", f->token, &b), 200);
    assert_string_equal(b.ptr, f->products.ptr);
    curl_easy_getinfo(c, CURLINFO_NUM_CONNECTS, &reused);
    assert_int_equal(reused, 0); /* the second request went over the first connection */
    assert_int_equal(get(c, f, "/api/v1/products", NULL, &b), 401);
    assert_non_null(strstr(b.ptr, "{\"error\":"));
    assert_int_equal(get(c, f, "/api/v1/products", "ct_wrong", &b), 401);
    assert_int_equal(get(c, f, "/api/v1/tokens", f->support, &b), 403);
    assert_int_equal(get(c, f, "/api/v1/tokens", f->token, &b), 200);
    assert_non_null(strstr(b.ptr, "\"name\":\"support-1\""));
    assert_null(strstr(b.ptr, f->support + 3));
    assert_int_equal(get(c, f, "/api/v1/units/NOPE%2F1", f->token, &b), 404);
    assert_non_null(strstr(b.ptr, "NOPE/1"));
    assert_int_equal(get(c, f, "/api/v1/units/X?at=never", f->token, &b), 400);
    assert_non_null(strstr(b.ptr, "ISO 8601"));
    assert_int_equal(get(c, f, "/api/v1/advisories/CVE-0000-0000/affected", f->token, &b), 404);
    assert_int_equal(get(c, f, "/nothing", NULL, &b), 404);
    ct_buf_dispose(&b);
    curl_easy_cleanup(c);
}

typedef struct {
    const fixture *f;
    int ok;
} client;

static void *client_run(void *arg)
{
    client *cl = arg;
    CURL *c = curl_easy_init();
    ct_buf b = CT_BUF_INIT;
    for (int i = 0; i < 25; i++)
        cl->ok += get(c, cl->f, "/api/v1/products", cl->f->token, &b) == 200 &&
                  strcmp(b.ptr, cl->f->products.ptr) == 0;
    ct_buf_dispose(&b);
    curl_easy_cleanup(c);
    return NULL;
}

/* More clients than workers, each on its own connection: every answer is the store's. */
static void test_server__parallel_clients(void **state)
{
    fixture *f = *state;
    pthread_t th[6];
    client cl[6];
    for (int i = 0; i < 6; i++) {
        cl[i] = (client){ f, 0 };
        assert_int_equal(pthread_create(&th[i], NULL, client_run, &cl[i]), 0);
    }
    for (int i = 0; i < 6; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(cl[i].ok, 25);
    }
}

static void test_server__bad_options_and_port_in_use(void **state)
{
    fixture *f = *state;
    ct_server_options o = CT_SERVER_OPTIONS_INIT;
    ct_server *srv = NULL;
    char listen[64];

    o.dsn = f->dsn;
    o.listen = "localhost:80";
    assert_int_equal(ct_server_start(&srv, f->ctx, &o), CT_EINVAL);
    o.listen = "127.0.0.1";
    assert_int_equal(ct_server_start(&srv, f->ctx, &o), CT_EINVAL);
    o.listen = "127.0.0.1:70000";
    assert_int_equal(ct_server_start(&srv, f->ctx, &o), CT_EINVAL);
    o.listen = "127.0.0.1:0";
    o.dsn = ":memory:"; /* one empty store per worker connection: refused */
    assert_int_equal(ct_server_start(&srv, f->ctx, &o), CT_EINVAL);
    o.dsn = f->dsn;
    o.threads = 0;
    assert_int_equal(ct_server_start(&srv, f->ctx, &o), CT_EINVAL);
    o.threads = 2;
    snprintf(listen, sizeof listen, "127.0.0.1:%u", ct_server_port(f->srv));
    o.listen = listen;
    assert_int_equal(ct_server_start(&srv, f->ctx, &o), CT_EIO);
    assert_null(srv);
    o.listen = "[::1]:0"; /* IPv6 loopback, where the machine has it */
    if (ct_server_start(&srv, f->ctx, &o) == 0) {
        assert_int_not_equal(ct_server_port(srv), 0);
        ct_server_stop(srv);
    }
    ct_server_stop(NULL);
}

/* threads = 1: no thread pool (libmicrohttpd's own polling thread answers), so libmicrohttpd
 * prints nothing while starting (it used to warn that a pool size of 1 "is ignored"), and the
 * one thread answers. */
static void test_server__one_thread_starts_quietly(void **state)
{
    fixture *f = *state;
    ct_server_options o = CT_SERVER_OPTIONS_INIT;
    ct_server *srv = NULL;
    CURL *c = curl_easy_init();
    ct_buf b = CT_BUF_INIT;
    FILE *cap = tmpfile();
    char said[512] = "";
    char base[64];
    size_t n;
    int saved;
    int rc;

    assert_non_null(c);
    assert_non_null(cap);
    o.dsn = f->dsn;
    o.listen = "127.0.0.1:0";
    o.threads = 1;
    fflush(stderr);
    saved = dup(STDERR_FILENO);
    assert_true(saved >= 0);
    assert_true(dup2(fileno(cap), STDERR_FILENO) >= 0);
    rc = ct_server_start(&srv, f->ctx, &o);
    fflush(stderr);
    assert_true(dup2(saved, STDERR_FILENO) >= 0);
    close(saved);
    assert_int_equal(rc, 0);
    rewind(cap);
    n = fread(said, 1, sizeof said - 1, cap);
    said[n] = '\0';
    fclose(cap);
    assert_string_equal(said, "");

    snprintf(base, sizeof base, "http://127.0.0.1:%u", ct_server_port(srv));
    assert_int_equal(ct_test_http_get(c, base, "/healthz", NULL, &b), 200);
    for (int i = 0; i < 3; i++) { /* keep-alive on the one thread */
        assert_int_equal(ct_test_http_get(c, base, "/api/v1/products", f->token, &b), 200);
        assert_string_equal(b.ptr, f->products.ptr);
    }
    ct_buf_dispose(&b);
    curl_easy_cleanup(c);
    ct_server_stop(srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_server__answers_and_statuses, setup, teardown),
        cmocka_unit_test_setup_teardown(test_server__parallel_clients, setup, teardown),
        cmocka_unit_test_setup_teardown(test_server__bad_options_and_port_in_use, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_server__one_thread_starts_quietly, setup,
                                        teardown),
    };
    if (!ct_test_backend_available()) {
        printf("skipped: CT_TEST_PG_DSN not set\n");
        return CT_TEST_SKIP;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}

/* Test support implementation. */
#include "ct_test.h"
#include "store/driver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static ct_time fixed_clock(void *payload)
{
    (void)payload;
    return ct_time_from_civil(2025, 1, 1, 0, 0, 0);
}

ct_ctx *ct_test_ctx(void)
{
    ct_ctx_options o = CT_CTX_OPTIONS_INIT;
    ct_ctx *ctx = NULL;
    o.clock = fixed_clock;
    o.progress = false;
    if (ct_ctx_new(&ctx, &o) < 0)
        fail_msg("ct_ctx_new: %s", ct_error_last()->message);
    return ctx;
}

const char *ct_test_backend(void)
{
    const char *b = getenv("CT_TEST_BACKEND");
    return b && strcmp(b, "pg") == 0 ? "pg" : "sqlite";
}

bool ct_test_backend_available(void)
{
    if (strcmp(ct_test_backend(), "pg") != 0)
        return true;
    const char *dsn = getenv("CT_TEST_PG_DSN");
    return dsn && *dsn;
}

static int schema_seq;

char *ct_test_fresh_dsn(void)
{
    ct_buf b = CT_BUF_INIT;
    if (strcmp(ct_test_backend(), "pg") == 0) {
        const char *dsn = getenv("CT_TEST_PG_DSN");
        void *conn = NULL;
        char schema[64], sql[256];
        snprintf(schema, sizeof schema, "t_%ld_%d", (long)getpid(), ++schema_seq);
        if (ct_store__driver_pg.open(&conn, dsn) < 0)
            fail_msg("pg open: %s", ct_error_last()->message);
        snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s;", schema,
                 schema);
        if (ct_store__driver_pg.exec(conn, sql) < 0)
            fail_msg("pg schema: %s", ct_error_last()->message);
        ct_store__driver_pg.close(conn);
        ct_buf_printf(&b, "%s%soptions=-csearch_path%%3D%s", dsn, strchr(dsn, '?') ? "&" : "?",
                      schema);
    } else {
        char *dir = ct_test_tmpdir();
        ct_buf_printf(&b, "%s/test.db", dir);
        ct_free(dir);
    }
    return ct_buf_detach(&b);
}

ct_store *ct_test_store_open(const ct_ctx *ctx)
{
    ct_store *st = NULL;
    if (strcmp(ct_test_backend(), "pg") == 0) {
        char *dsn = ct_test_fresh_dsn();
        if (ct_store_open(&st, ctx, dsn) < 0)
            fail_msg("store open %s: %s", dsn, ct_error_format());
        ct_free(dsn);
    } else if (ct_store_open(&st, ctx, ":memory:") < 0) {
        fail_msg("store open: %s", ct_error_format());
    }
    return st;
}

char *ct_test_shared_path(const char *rel)
{
    const char *root = getenv("CT_SHARED_DIR");
    ct_buf b = CT_BUF_INIT;
    struct stat sb;
    ct_buf_printf(&b, "%s/%s", root && *root ? root : CT_SHARED_DIR, rel);
    if (stat(b.ptr, &sb) != 0) {
        ct_buf_dispose(&b);
        return NULL;
    }
    return ct_buf_detach(&b);
}

char *ct_test_tmpdir(void)
{
    char tmpl[] = "/tmp/cratrace-test-XXXXXX";
    if (!mkdtemp(tmpl))
        fail_msg("mkdtemp failed");
    return ct_strdup(tmpl);
}

char *ct_test_write_file(const char *dir, const char *name, const char *text)
{
    ct_buf b = CT_BUF_INIT;
    ct_buf_printf(&b, "%s/%s", dir, name);
    if (ct_file_write(b.ptr, text, strlen(text)) < 0)
        fail_msg("write %s: %s", b.ptr, ct_error_last()->message);
    return ct_buf_detach(&b);
}

/* Feed reader test fixture (ct_feed_fixture.h). */
#include "ct_feed_fixture.h"

#include <string.h>

ct_ctx *ct_feed_ctx;

int ct_feed_fixture_setup(void **state)
{
    (void)state;
    ct_feed_ctx = ct_test_ctx();
    return 0;
}

int ct_feed_fixture_teardown(void **state)
{
    (void)state;
    ct_ctx_free(ct_feed_ctx);
    ct_feed_ctx = NULL;
    return 0;
}

void ct_feed_fixture_put_time(ct_buf *b, const char *label, ct_time t)
{
    char s[32] = "-";
    if (t != CT_TIME_NONE)
        ct_time_format(s, t);
    ct_buf_printf(b, " %s=%s", label, s);
}

static int count_advisory(const ct_advisory *a, void *payload)
{
    (void)a;
    ++*(size_t *)payload;
    return 0;
}

void ct_feed_fixture_expect_error(ct_feed_fixture_reader rd, const char *text, const char *pointer,
                                  const char *msg)
{
    size_t n = 0;
    const ct_error *e;
    assert_int_equal(rd(ct_feed_ctx, text, strlen(text), "mem", count_advisory, &n), CT_EPARSE);
    e = ct_error_last();
    if (!e->pointer || strcmp(e->pointer, pointer) != 0 || !strstr(e->message, msg))
        fail_msg("%s: expected %s \"%s\", got %s", text, pointer, msg, ct_error_format());
    assert_int_equal(n, 0);
}

void ct_feed_fixture_read_shared(ct_feed_fixture_path_reader rd, const char *dir, const char *name,
                                 ct_advisory_cb cb, void *payload)
{
    ct_buf rel = CT_BUF_INIT;
    char *path;
    ct_buf_printf(&rel, "conformance/advisories/%s/%s", dir, name);
    assert_false(rel.failed);
    path = ct_test_shared_path(rel.ptr);
    ct_buf_dispose(&rel);
    if (!path)
        skip();
    if (rd(ct_feed_ctx, path, cb, payload) != 0)
        fail_msg("%s", ct_error_format());
    ct_free(path);
}

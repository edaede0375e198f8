/* Unit tests for src/base: ct_buf, time parse/format, integer parsing, UTF-8 validation, the
 * error slot and whole-file reads with transparent gunzip. */
#include "ct_test.h"

#include <stdio.h>
#include <string.h>
#include <zlib.h>

/* ---- ct_buf ---------------------------------------------------------------------------- */

static void test_buf_put__grows_and_keeps_content(void **state)
{
    ct_buf b = CT_BUF_INIT;
    char chunk[100];
    (void)state;

    assert_string_equal(b.ptr, "");
    assert_int_equal(b.cap, 0);
    memset(chunk, 'x', sizeof chunk);
    for (int i = 0; i < 50; i++)
        assert_int_equal(ct_buf_put(&b, chunk, sizeof chunk), CT_OK);
    assert_int_equal(b.len, 5000);
    assert_true(b.cap >= 5001);
    assert_int_equal(strlen(b.ptr), 5000);
    assert_int_equal(b.ptr[0], 'x');
    assert_int_equal(b.ptr[4999], 'x');
    assert_false(b.failed);

    assert_int_equal(ct_buf_putc(&b, 'y'), CT_OK);
    assert_int_equal(ct_buf_puts(&b, "zz"), CT_OK);
    assert_string_equal(b.ptr + 5000, "yzz");
    ct_buf_dispose(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.ptr, "");
}

static void test_buf_printf__long_output_and_detach(void **state)
{
    ct_buf b = CT_BUF_INIT;
    char *s;
    (void)state;

    /* longer than the 256-byte fast path */
    assert_int_equal(ct_buf_printf(&b, "%0300d|%s", 7, "end"), CT_OK);
    assert_int_equal(b.len, 304);
    assert_int_equal(b.ptr[0], '0');
    assert_string_equal(b.ptr + 299, "7|end");
    s = ct_buf_detach(&b);
    assert_int_equal(strlen(s), 304);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    ct_free(s);

    /* detaching an untouched buffer gives a fresh empty string */
    s = ct_buf_detach(&b);
    assert_non_null(s);
    assert_string_equal(s, "");
    assert_ptr_not_equal(s, ct_buf__empty);
    ct_free(s);
}

static void test_buf_put__cap_is_elimit_and_sticky(void **state)
{
    ct_buf b = CT_BUF_INIT;
    (void)state;

    b.max = 10;
    assert_int_equal(ct_buf_puts(&b, "0123456789"), CT_OK); /* exactly max fits */
    assert_int_equal(b.len, 10);
    ct_error_clear();
    assert_int_equal(ct_buf_putc(&b, 'a'), CT_ELIMIT);
    assert_int_equal(ct_error_last()->code, CT_ELIMIT);
    assert_true(b.failed);
    assert_int_equal(b.len, 10);
    assert_string_equal(b.ptr, "0123456789");

    /* sticky: even an empty append fails now, and the content stays as it was */
    assert_true(ct_buf_put(&b, "", 0) < 0);
    assert_true(ct_buf_printf(&b, "%d", 1) < 0);
    assert_true(b.failed);
    assert_int_equal(b.len, 10);

    /* reset clears the failure */
    ct_buf_reset(&b);
    assert_false(b.failed);
    assert_int_equal(b.len, 0);
    assert_int_equal(ct_buf_puts(&b, "ok"), CT_OK);
    assert_string_equal(b.ptr, "ok");
    ct_buf_dispose(&b);
}

static void test_buf_printf__over_cap_fails(void **state)
{
    ct_buf b = CT_BUF_INIT;
    (void)state;

    b.max = 300;
    assert_int_equal(ct_buf_printf(&b, "%0400d", 1), CT_ELIMIT);
    assert_true(b.failed);
    assert_int_equal(b.len, 0);
    ct_buf_dispose(&b);
}

static void test_buf_json_str__escapes(void **state)
{
    ct_buf b = CT_BUF_INIT;
    (void)state;

    assert_int_equal(ct_buf_json_str(&b, "a\"b\\c\nd\re\tf\x01g\x1f" "h\x7f" "\xc3\xa9"), CT_OK);
    assert_string_equal(b.ptr, "\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u001fh\x7f\xc3\xa9\"");
    ct_buf_reset(&b);
    assert_int_equal(ct_buf_json_str(&b, ""), CT_OK);
    assert_string_equal(b.ptr, "\"\"");
    ct_buf_reset(&b);
    assert_int_equal(ct_buf_json_str(&b, NULL), CT_OK);
    assert_string_equal(b.ptr, "\"\"");
    ct_buf_reset(&b);
    assert_int_equal(ct_buf_json_str(&b, "'; DROP TABLE x; --"), CT_OK);
    assert_string_equal(b.ptr, "\"'; DROP TABLE x; --\"");
    ct_buf_dispose(&b);
}

static void test_buf_json_str__over_cap_reports_failure(void **state)
{
    ct_buf b = CT_BUF_INIT;
    (void)state;

    b.max = 4;
    assert_true(ct_buf_json_str(&b, "abcdef") < 0);
    assert_true(b.failed);
    ct_buf_dispose(&b);
}

/* ---- time ------------------------------------------------------------------------------ */

static ct_time parse_ok(const char *s)
{
    ct_time t = 0;
    if (ct_time_parse(&t, s, strlen(s)) != CT_OK)
        fail_msg("ct_time_parse('%s') failed: %s", s, ct_error_last()->message);
    return t;
}

static void expect_time(const char *in, const char *want_utc)
{
    char buf[32];
    ct_time_format(buf, parse_ok(in));
    if (strcmp(buf, want_utc) != 0)
        fail_msg("'%s' -> '%s', expected '%s'", in, buf, want_utc);
}

static void expect_time_bad(const char *in)
{
    ct_time t = 12345;
    ct_error_clear();
    if (ct_time_parse(&t, in, strlen(in)) != CT_EPARSE)
        fail_msg("'%s' was accepted", in);
    assert_int_equal(ct_error_last()->code, CT_EPARSE);
    assert_int_equal(t, 12345); /* untouched on failure */
}

static void test_time_parse__utc_and_offsets(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("1970-01-01T00:00:00Z"), 0);
    assert_int_equal(parse_ok("2025-01-01T00:00:00Z"), 1735689600);
    assert_int_equal(parse_ok("2025-03-07T14:05:00Z"), ct_time_from_civil(2025, 3, 7, 14, 5, 0));
    expect_time("2025-03-07T14:05:00Z", "2025-03-07T14:05:00Z");
    expect_time("2025-03-07t14:05:00z", "2025-03-07T14:05:00Z");
    expect_time("2025-03-07 14:05:00Z", "2025-03-07T14:05:00Z");
    expect_time("2025-03-07T14:05:00+02:00", "2025-03-07T12:05:00Z");
    expect_time("2025-03-07T14:05:00-05:30", "2025-03-07T19:35:00Z");
    expect_time("2025-03-07T14:05:00+0200", "2025-03-07T12:05:00Z");
    /* offsets crossing a day, month and year boundary */
    expect_time("2025-01-01T01:00:00+02:00", "2024-12-31T23:00:00Z");
    expect_time("2024-12-31T22:00:00-05:30", "2025-01-01T03:30:00Z");
    /* no zone designator is UTC; seconds optional */
    expect_time("2025-03-07T14:05:59", "2025-03-07T14:05:59Z");
    expect_time("2025-03-07T14:05Z", "2025-03-07T14:05:00Z");
}

static void test_time_parse__date_only_and_fractions(void **state)
{
    (void)state;
    expect_time("2025-03-07", "2025-03-07T00:00:00Z");
    assert_int_equal(parse_ok("2025-03-07"), ct_time_from_civil(2025, 3, 7, 0, 0, 0));
    /* fractions are truncated, never rounded */
    expect_time("2025-03-07T14:05:00.999999Z", "2025-03-07T14:05:00Z");
    expect_time("2025-03-07T14:05:59.9+01:00", "2025-03-07T13:05:59Z");
    expect_time("2025-03-07T14:05:00,5Z", "2025-03-07T14:05:00Z");
    /* a leap second is clamped to :59 */
    expect_time("2016-12-31T23:59:60Z", "2016-12-31T23:59:59Z");
}

static void test_time_parse__leap_days(void **state)
{
    (void)state;
    expect_time("2024-02-29T12:00:00Z", "2024-02-29T12:00:00Z");
    expect_time("2000-02-29", "2000-02-29T00:00:00Z"); /* divisible by 400 */
    assert_int_equal(parse_ok("2024-03-01") - parse_ok("2024-02-28"), 2 * 86400);
    expect_time_bad("2023-02-29");
    expect_time_bad("2023-02-29T00:00:00Z");
    expect_time_bad("1900-02-29"); /* divisible by 100, not 400 */
    expect_time_bad("2024-02-30");
    expect_time_bad("2024-04-31");
}

static void test_time_parse__garbage_rejected(void **state)
{
    static const char *const bad[] = {
        "",
        "garbage",
        "2025",
        "2025-03",
        "25-03-07",
        "2025/03/07",
        "2025-3-7",
        "2025-00-10",
        "2025-13-01",
        "2025-01-00",
        "2025-01-32",
        "2025-03-07T",
        "2025-03-07T14",
        "2025-03-07T14:5",
        "2025-03-07T24:00:00Z",
        "2025-03-07T14:60:00Z",
        "2025-03-07T14:05:61Z",
        "2025-03-07T14:05:00.Z",
        "2025-03-07T14:05:00+",
        "2025-03-07T14:05:00+2",
        "2025-03-07T14:05:00+24:00",
        "2025-03-07T14:05:00+02:60",
        "2025-03-07T14:05:00ZZ",
        "2025-03-07T14:05:00Z ",
        " 2025-03-07",
        "2025-03-07X14:05:00Z",
        "2025-03-07T14:05:00 UTC",
        "２０２５-03-07",
    };
    (void)state;
    for (size_t i = 0; i < CT_NELEM(bad); i++)
        expect_time_bad(bad[i]);
}

static void test_time_parse__length_bounds_input(void **state)
{
    ct_time t = 0;
    const char *s = "2025-03-07T14:05:00Zjunk";
    (void)state;
    /* only s[0..len) is read, so a prefix parses and the whole string does not */
    assert_int_equal(ct_time_parse(&t, s, 20), CT_OK);
    assert_int_equal(t, ct_time_from_civil(2025, 3, 7, 14, 5, 0));
    assert_int_equal(ct_time_parse(&t, s, strlen(s)), CT_EPARSE);
    assert_int_equal(ct_time_parse(&t, s, 10), CT_OK);
    assert_int_equal(t, ct_time_from_civil(2025, 3, 7, 0, 0, 0));
}

static void test_time_format__epoch_and_negative(void **state)
{
    char buf[32];
    (void)state;
    ct_time_format(buf, 0);
    assert_string_equal(buf, "1970-01-01T00:00:00Z");
    ct_time_format(buf, -1);
    assert_string_equal(buf, "1969-12-31T23:59:59Z");
    ct_time_format(buf, -86400);
    assert_string_equal(buf, "1969-12-31T00:00:00Z");
    ct_time_format(buf, 951782400); /* 2000-02-29 */
    assert_string_equal(buf, "2000-02-29T00:00:00Z");
    ct_time_format(buf, 253402300799); /* last second of 9999 */
    assert_string_equal(buf, "9999-12-31T23:59:59Z");
    assert_int_equal(ct_time_from_civil(2024, 2, 29, 23, 59, 59), 1709251199);
}

static void test_time_format__round_trips(void **state)
{
    char buf[32];
    (void)state;
    for (ct_time t = -400LL * 86400; t < 3LL * 366 * 86400 * 40; t += 86400 * 7 + 3607) {
        ct_time back = 0;
        ct_time_format(buf, t);
        assert_int_equal(ct_time_parse(&back, buf, strlen(buf)), CT_OK);
        assert_int_equal(back, t);
    }
}

/* ---- ct_parse_i64 ---------------------------------------------------------------------- */

static void test_parse_i64__values(void **state)
{
    int64_t v = 0;
    (void)state;
    assert_int_equal(ct_parse_i64(&v, "0", 1, 0, 10), CT_OK);
    assert_int_equal(v, 0);
    assert_int_equal(ct_parse_i64(&v, "-42", 3, -100, 100), CT_OK);
    assert_int_equal(v, -42);
    assert_int_equal(ct_parse_i64(&v, "+42", 3, -100, 100), CT_OK);
    assert_int_equal(v, 42);
    assert_int_equal(ct_parse_i64(&v, "123456", 3, 0, 1000), CT_OK); /* length-bounded */
    assert_int_equal(v, 123);
    assert_int_equal(ct_parse_i64(&v, "9223372036854775807", 19, INT64_MIN, INT64_MAX), CT_OK);
    assert_true(v == INT64_MAX);
    assert_int_equal(ct_parse_i64(&v, "-9223372036854775808", 20, INT64_MIN, INT64_MAX), CT_OK);
    assert_true(v == INT64_MIN);
}

static void test_parse_i64__overflow_and_range(void **state)
{
    int64_t v = 7;
    (void)state;
    assert_int_equal(ct_parse_i64(&v, "9223372036854775808", 19, INT64_MIN, INT64_MAX),
                     CT_ELIMIT);
    assert_int_equal(ct_parse_i64(&v, "-9223372036854775809", 20, INT64_MIN, INT64_MAX),
                     CT_ELIMIT);
    assert_int_equal(ct_parse_i64(&v, "99999999999999999999999", 23, INT64_MIN, INT64_MAX),
                     CT_ELIMIT);
    assert_int_equal(ct_parse_i64(&v, "101", 3, 0, 100), CT_ELIMIT);
    assert_non_null(strstr(ct_error_last()->message, "101"));
    assert_int_equal(ct_parse_i64(&v, "-1", 2, 0, 100), CT_ELIMIT);
    assert_int_equal(ct_parse_i64(&v, "100", 3, 0, 100), CT_OK);
    assert_int_equal(v, 100);
    v = 7;
    assert_int_equal(ct_parse_i64(&v, "", 0, 0, 100), CT_EPARSE);
    assert_int_equal(ct_parse_i64(&v, "-", 1, -10, 100), CT_EPARSE);
    assert_int_equal(ct_parse_i64(&v, "+", 1, -10, 100), CT_EPARSE);
    assert_int_equal(ct_parse_i64(&v, "12a", 3, 0, 100), CT_EPARSE);
    assert_int_equal(ct_parse_i64(&v, " 12", 3, 0, 100), CT_EPARSE);
    assert_int_equal(ct_parse_i64(&v, "1.5", 3, 0, 100), CT_EPARSE);
    assert_int_equal(ct_parse_i64(&v, "0x10", 4, 0, 100), CT_EPARSE);
    assert_int_equal(v, 7); /* untouched on failure */
}

/* ---- ct_utf8_valid --------------------------------------------------------------------- */

static void expect_utf8(const char *s, size_t len, bool ok, size_t bad)
{
    size_t at = 999;
    bool got = ct_utf8_valid(s, len, &at);
    if (got != ok)
        fail_msg("utf8_valid(len %zu) = %d, expected %d", len, got, ok);
    if (!ok && at != bad)
        fail_msg("bad_at = %zu, expected %zu", at, bad);
    if (ok)
        assert_int_equal(at, 999);
}

static void test_text_excerpt__cuts_at_words_never_inside_utf8(void **state)
{
    (void)state;
    char *e = ct_text_excerpt("short line\nsecond line", 200);
    assert_string_equal(e, "short line");
    ct_free(e);
    e = ct_text_excerpt("alpha beta gamma delta", 14);
    assert_string_equal(e, "alpha beta\xe2\x80\xa6");
    ct_free(e);
    /* 100 x "\xc3\xa9" (e-acute, 2 bytes) without spaces: a cut at byte 151 would split one */
    char s[256];
    for (int i = 0; i < 100; i++)
        memcpy(s + 2 * i, "\xc3\xa9", 2);
    s[200] = '\0';
    e = ct_text_excerpt(s, 151);
    size_t n = strlen(e), bad;
    assert_true(ct_utf8_valid(e, n, &bad));
    assert_int_equal(n, 150 + 3);
    assert_memory_equal(e + 150, "\xe2\x80\xa6", 3);
    ct_free(e);
}

static void test_utf8_valid__accepts_valid(void **state)
{
    (void)state;
    expect_utf8("", 0, true, 0);
    expect_utf8("plain ascii", 11, true, 0);
    expect_utf8("\xc3\xa9", 2, true, 0);                 /* U+00E9 */
    expect_utf8("\xc2\x80", 2, true, 0);                 /* U+0080, smallest 2-byte */
    expect_utf8("\xe0\xa0\x80", 3, true, 0);             /* U+0800, smallest 3-byte */
    expect_utf8("\xed\x9f\xbf", 3, true, 0);             /* U+D7FF, below surrogates */
    expect_utf8("\xee\x80\x80", 3, true, 0);             /* U+E000, above surrogates */
    expect_utf8("\xef\xbb\xbf", 3, true, 0);             /* BOM */
    expect_utf8("\xf0\x90\x80\x80", 4, true, 0);         /* U+10000 */
    expect_utf8("\xf4\x8f\xbf\xbf", 4, true, 0);         /* U+10FFFF */
    expect_utf8("a\xe2\x82\xac" "b", 5, true, 0);        /* euro sign */
    assert_true(ct_utf8_valid("x", 1, NULL));
}

static void test_utf8_valid__rejects_invalid(void **state)
{
    (void)state;
    /* overlong forms */
    expect_utf8("\xc0\xaf", 2, false, 0);
    expect_utf8("ab\xc1\xbf", 4, false, 2);
    expect_utf8("\xe0\x80\xaf", 3, false, 0);
    expect_utf8("\xe0\x9f\xbf", 3, false, 0);
    expect_utf8("\xf0\x80\x80\xaf", 4, false, 0);
    expect_utf8("\xf0\x8f\xbf\xbf", 4, false, 0);
    /* surrogates */
    expect_utf8("x\xed\xa0\x80", 4, false, 1);
    expect_utf8("\xed\xbf\xbf", 3, false, 0);
    /* beyond U+10FFFF */
    expect_utf8("\xf4\x90\x80\x80", 4, false, 0);
    expect_utf8("\xf5\x80\x80\x80", 4, false, 0);
    expect_utf8("\xff", 1, false, 0);
    /* NUL */
    expect_utf8("ab\0cd", 5, false, 2);
    /* lone continuation bytes, bad continuations */
    expect_utf8("\x80", 1, false, 0);
    expect_utf8("\xc3\x28", 2, false, 0);
    expect_utf8("\xe2\x82\x28", 3, false, 0);
    /* truncated sequences at the end */
    expect_utf8("abc\xc3", 4, false, 3);
    expect_utf8("\xe2\x82", 2, false, 0);
    expect_utf8("ok\xf0\x90\x80", 5, false, 2);
    /* the length bounds the check: the valid prefix passes */
    expect_utf8("ok\xf0\x90\x80", 2, true, 0);
}

/* ---- errors ---------------------------------------------------------------------------- */

static void test_error_set_at__fields_and_format(void **state)
{
    ct_loc loc = CT_LOC_INIT;
    const ct_error *e;
    (void)state;

    loc.source = "sbom.json";
    loc.line = 3;
    loc.column = 14;
    loc.offset = 40;
    loc.pointer = "/components/2/purl";
    assert_int_equal(ct_error_set_at(&loc, CT_EPARSE, "expected %s", "a string"), CT_EPARSE);
    e = ct_error_last();
    assert_int_equal(e->code, CT_EPARSE);
    assert_string_equal(e->message, "expected a string");
    assert_string_equal(e->source, "sbom.json");
    assert_int_equal(e->line, 3);
    assert_int_equal(e->column, 14);
    assert_int_equal(e->offset, 40);
    assert_string_equal(e->pointer, "/components/2/purl");
    assert_string_equal(ct_error_format(),
                        "sbom.json:3:14: /components/2/purl: expected a string");

    /* the slot owns copies: the caller's strings may go away */
    char src[16] = "tmp.json";
    loc.source = src;
    loc.pointer = NULL;
    loc.line = 0;
    loc.offset = 77;
    ct_error_set_at(&loc, CT_EIO, "boom");
    src[0] = 'X';
    assert_string_equal(ct_error_last()->source, "tmp.json");
    assert_null(ct_error_last()->pointer);
    assert_string_equal(ct_error_format(), "tmp.json: byte 77: boom");

    src[0] = 't';
    loc.offset = -1;
    ct_error_set_at(&loc, CT_EIO, "boom");
    assert_string_equal(ct_error_format(), "tmp.json: boom");

    /* root pointer is shown as "/" */
    ct_loc root = { "a.json", 0, 0, -1, "" };
    ct_error_set_at(&root, CT_EPARSE, "not an object");
    assert_string_equal(ct_error_format(), "a.json: /: not an object");

    /* line without a source */
    ct_loc noline = { NULL, 5, 2, -1, NULL };
    ct_error_set_at(&noline, CT_EPARSE, "x");
    assert_string_equal(ct_error_format(), "line 5:2: x");

    /* plain ct_error_set forgets the previous location */
    ct_error_set(CT_EINVAL, "bad %d", 42);
    e = ct_error_last();
    assert_int_equal(e->code, CT_EINVAL);
    assert_null(e->source);
    assert_null(e->pointer);
    assert_int_equal(e->line, 0);
    assert_int_equal(e->offset, -1);
    assert_string_equal(ct_error_format(), "bad 42");
}

/* A lazy error reads back exactly as the eager one would, whichever reader comes first, and
 * the slot keeps its own copy of the argument (bounded by CT_ERROR_LAZY_ARG_MAX). */
static void test_error_set_lazy__formats_on_first_read(void **state)
{
    char eager[256], arg[16] = "major";
    char longarg[CT_ERROR_LAZY_ARG_MAX + 40];
    (void)state;

    ct_loc loc = { "old.json", 4, 2, 9, "/x" };
    ct_error_set_at(&loc, CT_EIO, "old message");
    assert_int_equal(CT_ERROR_SET_LAZY(CT_EPARSE, "invalid %.*s at offset %zu", arg, 5, (size_t)7),
                     CT_EPARSE);
    arg[0] = 'X'; /* copied at set time */
    snprintf(eager, sizeof eager, "invalid %s at offset %zu", "major", (size_t)7);
    assert_string_equal(ct_error_format(), eager); /* no stale location either */
    assert_int_equal(ct_error_last()->code, CT_EPARSE);
    assert_null(ct_error_last()->source);
    assert_int_equal(ct_error_last()->offset, -1);
    assert_string_equal(ct_error_last()->message, eager);

    /* n bounds the argument: no NUL needed */
    CT_ERROR_SET_LAZY(CT_EPARSE, "[%.*s] %zu", "abcdef", 3, (size_t)0);
    assert_string_equal(ct_error_last()->message, "[abc] 0");

    /* ct_error_prefix() reads the deferred message first */
    CT_ERROR_SET_LAZY(CT_EPARSE, "invalid semver: %.*s at offset %zu", "empty version", 13,
                      (size_t)0);
    assert_int_equal(ct_error_prefix("pair %d", 3), CT_EPARSE);
    assert_string_equal(ct_error_last()->message, "pair 3: invalid semver: empty version at offset 0");

    /* a later eager error replaces a pending lazy one, and clear forgets it */
    CT_ERROR_SET_LAZY(CT_EPARSE, "lazy %.*s %zu", "x", 1, (size_t)1);
    ct_error_set(CT_EINVAL, "eager");
    assert_string_equal(ct_error_format(), "eager");
    CT_ERROR_SET_LAZY(CT_EPARSE, "lazy %.*s %zu", "x", 1, (size_t)1);
    ct_error_clear();
    assert_int_equal(ct_error_last()->code, 0);
    assert_string_equal(ct_error_last()->message, "no error");

    /* an argument longer than the slot keeps its first CT_ERROR_LAZY_ARG_MAX bytes */
    memset(longarg, 'a', sizeof longarg);
    CT_ERROR_SET_LAZY(CT_EPARSE, "%.*s%zu", longarg, sizeof longarg, (size_t)9);
    assert_int_equal(strlen(ct_error_last()->message), CT_ERROR_LAZY_ARG_MAX + 1);
    assert_int_equal(ct_error_last()->message[CT_ERROR_LAZY_ARG_MAX], '9');
}

static void test_error_prefix__adds_context(void **state)
{
    ct_loc loc = { "units.csv", 7, 1, -1, NULL };
    (void)state;

    ct_error_set_at(&loc, CT_EPARSE, "unknown product 'x'");
    assert_int_equal(ct_error_prefix("import %s", "units.csv"), CT_EPARSE);
    assert_int_equal(ct_error_prefix("step %d", 2), CT_EPARSE);
    assert_string_equal(ct_error_last()->message,
                        "step 2: import units.csv: unknown product 'x'");
    /* the location survives the prefix */
    assert_int_equal(ct_error_last()->line, 7);
    assert_string_equal(ct_error_format(),
                        "units.csv:7:1: step 2: import units.csv: unknown product 'x'");

    /* prefixing with no error set yields a failure code, never CT_OK */
    ct_error_clear();
    assert_int_equal(ct_error_last()->code, CT_OK);
    assert_string_equal(ct_error_last()->message, "no error");
    assert_int_equal(ct_error_prefix("ctx"), CT_EFAIL);
    assert_string_equal(ct_error_last()->message, "ctx: no error");
}

static void test_error_set__long_message_truncated_safely(void **state)
{
    char big[5000];
    (void)state;
    memset(big, 'm', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    ct_error_set(CT_EPARSE, "%s", big);
    assert_int_equal(strlen(ct_error_last()->message), 2047);
    ct_error_prefix("%s", big);
    assert_int_equal(strlen(ct_error_last()->message), 2047);
    assert_int_equal(ct_error_last()->code, CT_EPARSE);
    assert_true(strlen(ct_error_format()) >= 2047);
}

static void test_error_name__table(void **state)
{
    (void)state;
    assert_string_equal(ct_error_name(CT_OK), "CT_OK");
    assert_string_equal(ct_error_name(CT_EPARSE), "CT_EPARSE");
    assert_string_equal(ct_error_name(CT_EAUTH), "CT_EAUTH");
    assert_string_equal(ct_error_name(-999), "CT_EFAIL");
    assert_string_equal(ct_strerror(CT_ENOTFOUND), "not found");
    assert_int_equal(ct_error_http_status(CT_ENOTFOUND), 404);
    assert_int_equal(ct_error_http_status(CT_ELIMIT), 413);
    assert_int_equal(ct_error_http_status(CT_OK), 200);
    assert_int_equal(ct_error_http_status(12345), 500);
}

/* ---- files ----------------------------------------------------------------------------- */

static char *path_in(const char *dir, const char *name)
{
    ct_buf b = CT_BUF_INIT;
    assert_int_equal(ct_buf_printf(&b, "%s/%s", dir, name), CT_OK);
    return ct_buf_detach(&b);
}

static void write_gz(const char *path, const char *text, size_t len)
{
    gzFile gz = gzopen(path, "wb");
    assert_non_null(gz);
    assert_int_equal(gzwrite(gz, text, (unsigned)len), (int)len);
    assert_int_equal(gzclose(gz), Z_OK);
}

static const char gz_text[] = "{\"id\":\"OSV-1\",\"modified\":\"2024-01-01T00:00:00Z\"}\n"
                              "second line with bytes \xc3\xa9\n";

static void test_file_read_any__gunzips(void **state)
{
    char *dir = ct_test_tmpdir(), *gz = path_in(dir, "data.json.gz"), *out = NULL;
    size_t len = 0;
    (void)state;

    write_gz(gz, gz_text, strlen(gz_text));
    assert_int_equal(ct_file_read_any(&out, &len, gz, 1 << 20), CT_OK);
    assert_int_equal(len, strlen(gz_text));
    assert_memory_equal(out, gz_text, len);
    assert_int_equal(out[len], '\0');
    ct_free(out);

    /* plain ct_file_read returns the compressed bytes */
    assert_int_equal(ct_file_read(&out, &len, gz, 1 << 20), CT_OK);
    assert_true(len >= 2);
    assert_int_equal((unsigned char)out[0], 0x1f);
    assert_int_equal((unsigned char)out[1], 0x8b);
    ct_free(out);

    /* the decompressed size obeys the limit */
    assert_int_equal(ct_file_read_any(&out, &len, gz, 10), CT_ELIMIT);
    assert_null(out);

    /* a plain file passes through unchanged */
    char *plain = ct_test_write_file(dir, "plain.json", "{}\n");
    assert_int_equal(ct_file_read_any(&out, &len, plain, 1 << 20), CT_OK);
    assert_int_equal(len, 3);
    assert_string_equal(out, "{}\n");
    ct_free(out);

    remove(plain);
    remove(gz);
    remove(dir);
    ct_free(plain);
    ct_free(gz);
    ct_free(dir);
}

static void test_file_read_any__truncated_gzip_is_eparse(void **state)
{
    char *dir = ct_test_tmpdir(), *gz = path_in(dir, "full.gz"), *cut = NULL, *raw = NULL,
         *out = NULL;
    char big[8192];
    size_t len = 0;
    (void)state;

    /* incompressible-ish content so the stream has a body worth cutting */
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (char)('a' + (i * 7919 % 26));
    write_gz(gz, big, sizeof big);
    assert_int_equal(ct_file_read(&raw, &len, gz, 1 << 20), CT_OK);
    assert_true(len > 20);
    size_t full = len;

    /* drop the trailer and part of the body */
    cut = path_in(dir, "cut.gz");
    assert_int_equal(ct_file_write(cut, raw, full / 2), CT_OK);
    ct_error_clear();
    assert_int_equal(ct_file_read_any(&out, &len, cut, 1 << 20), CT_EPARSE);
    assert_null(out);
    assert_int_equal(ct_error_last()->code, CT_EPARSE);
    assert_string_equal(ct_error_last()->source, cut);

    /* only the 8-byte trailer missing is also truncated */
    assert_int_equal(ct_file_write(cut, raw, full - 8), CT_OK);
    assert_int_equal(ct_file_read_any(&out, &len, cut, 1 << 20), CT_EPARSE);
    assert_null(out);

    /* corrupt body bytes */
    raw[12] ^= 0x55;
    raw[13] ^= 0x55;
    raw[14] ^= 0x55;
    assert_int_equal(ct_file_write(cut, raw, full), CT_OK);
    assert_int_equal(ct_file_read_any(&out, &len, cut, 1 << 20), CT_EPARSE);
    assert_null(out);

    /* the magic alone */
    assert_int_equal(ct_file_write(cut, "\x1f\x8b", 2), CT_OK);
    assert_int_equal(ct_file_read_any(&out, &len, cut, 1 << 20), CT_EPARSE);

    remove(cut);
    remove(gz);
    remove(dir);
    ct_free(raw);
    ct_free(cut);
    ct_free(gz);
    ct_free(dir);
}

static void test_file_read__missing_and_limit(void **state)
{
    char *dir = ct_test_tmpdir(), *missing = path_in(dir, "nope.json"), *out = NULL;
    size_t len = 0;
    (void)state;

    assert_int_equal(ct_file_read(&out, &len, missing, 100), CT_ENOTFOUND);
    assert_null(out);
    assert_string_equal(ct_error_last()->source, missing);
    assert_int_equal(ct_file_read_any(&out, &len, missing, 100), CT_ENOTFOUND);

    char *f = ct_test_write_file(dir, "ten.txt", "0123456789");
    assert_int_equal(ct_file_read(&out, &len, f, 10), CT_OK);
    assert_int_equal(len, 10);
    ct_free(out);
    out = NULL;
    assert_int_equal(ct_file_read(&out, &len, f, 9), CT_ELIMIT);
    assert_null(out);

    char *empty = ct_test_write_file(dir, "empty.txt", "");
    assert_int_equal(ct_file_read(&out, &len, empty, 10), CT_OK);
    assert_int_equal(len, 0);
    assert_string_equal(out, "");
    ct_free(out);

    remove(f);
    remove(empty);
    remove(dir);
    ct_free(f);
    ct_free(empty);
    ct_free(missing);
    ct_free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_put__grows_and_keeps_content),
        cmocka_unit_test(test_buf_printf__long_output_and_detach),
        cmocka_unit_test(test_buf_put__cap_is_elimit_and_sticky),
        cmocka_unit_test(test_buf_printf__over_cap_fails),
        cmocka_unit_test(test_buf_json_str__escapes),
        cmocka_unit_test(test_buf_json_str__over_cap_reports_failure),
        cmocka_unit_test(test_time_parse__utc_and_offsets),
        cmocka_unit_test(test_time_parse__date_only_and_fractions),
        cmocka_unit_test(test_time_parse__leap_days),
        cmocka_unit_test(test_time_parse__garbage_rejected),
        cmocka_unit_test(test_time_parse__length_bounds_input),
        cmocka_unit_test(test_time_format__epoch_and_negative),
        cmocka_unit_test(test_time_format__round_trips),
        cmocka_unit_test(test_parse_i64__values),
        cmocka_unit_test(test_parse_i64__overflow_and_range),
        cmocka_unit_test(test_utf8_valid__accepts_valid),
        cmocka_unit_test(test_utf8_valid__rejects_invalid),
        cmocka_unit_test(test_error_set_at__fields_and_format),
        cmocka_unit_test(test_error_set_lazy__formats_on_first_read),
        cmocka_unit_test(test_error_prefix__adds_context),
        cmocka_unit_test(test_error_set__long_message_truncated_safely),
        cmocka_unit_test(test_error_name__table),
        cmocka_unit_test(test_file_read_any__gunzips),
        cmocka_unit_test(test_file_read_any__truncated_gzip_is_eparse),
        cmocka_unit_test(test_file_read__missing_and_limit),
        cmocka_unit_test(test_text_excerpt__cuts_at_words_never_inside_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

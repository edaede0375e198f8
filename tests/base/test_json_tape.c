/* Unit tests for src/base/json_tape.c: the tape against json-c on every JSON file under
 * ../shared/conformance (same accept/reject, same values), located syntax errors, the depth
 * limit, escapes, duplicate names, pointers, and the deliberate differences from json-c's
 * "strict" mode (NaN, Infinity, "1." and single quotes are not JSON; a bare top-level number is). Error
 * offsets may differ from json-c's by a few bytes (the tape points at the offending byte;
 * printed, not compared). */
#include "ct_test.h"

#include "base/json_int.h"

#include <stdio.h>
#include <string.h>

static ct_ctx *g_ctx;

static int tape(ct_jtape *t, const char *doc)
{
    return ct_jtape_parse(t, g_ctx, doc, strlen(doc), "t.json", 0);
}

/* accept/reject as json-c (through ct_json_parse) and the same values */
static void same_as_jsonc(const char *what, const char *doc, size_t len)
{
    ct_jtape t = CT_JTAPE_INIT;
    json_object *o = NULL;
    char why[512];
    int trc = ct_jtape_parse(&t, g_ctx, doc, len, what, 0);
    int64_t toff = ct_error_last()->offset;
    int jrc = ct_json_parse(&o, g_ctx, doc, len, what, 0);
    int64_t joff = ct_error_last()->offset;
    if ((trc == 0) != (jrc == 0))
        fail_msg("%s: tape %s (%d), json-c %s (%d)", what, trc ? "rejects" : "accepts", trc,
                 jrc ? "rejects" : "accepts", jrc);
    if (trc == 0 && !ct_json__tape_same(&t, 0, o, why, sizeof why))
        fail_msg("%s: values differ at %s", what, why);
    if (trc != 0 && toff != joff)
        printf("  %s: error offset %lld, json-c %lld\n", what, (long long)toff, (long long)joff);
    json_object_put(o);
    ct_jtape_dispose(&t);
}

static void test_jtape__same_as_jsonc_on_all_conformance_json(void **state)
{
    static const char *const exts[] = { ".json", NULL };
    char *root = ct_test_shared_path("conformance");
    ct_test_files fl = CT_TEST_FILES_INIT;
    size_t bytes = 0;
    (void)state;
    if (!root)
        skip();
    ct_test_collect(&fl, root, exts);
    for (size_t i = 0; i < fl.n; i++) {
        size_t len = 0;
        char *data = ct_test_read(fl.paths[i], &len);
        same_as_jsonc(fl.paths[i], data, len);
        bytes += len;
        ct_free(data);
    }
    printf("tape = json-c on %zu JSON files (%zu bytes)\n", fl.n, bytes);
    assert_true(fl.n >= 500);
    ct_test_files_free(&fl);
    ct_free(root);
}

static void test_jtape__same_as_jsonc_on_edge_cases(void **state)
{
    static const char *const docs[] = {
        "{}", "[]", "\"s\"", " [ 1 , 2 ] ", "{\"a\":{\"b\":[{}]}}",
        "[-0, 0.5, -1.25e-3, 1E+2, 9223372036854775807, 9223372036854775808, "
        "-9223372036854775809, 99999999999999999999]",
        "[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]", "[\"\\u00e9\\u20ac\\ud83d\\ude00\"]",
        "[\"\\ud800\", \"\\udc00x\", \"\\ud800\\u0041\", \"\\ud800\\ud800\"]",
        "[\"a\\u0000b\"]", "{\"a\\u0000b\":1,\"c\":[]}", "{\"a\":1,\"a\":2,\"b\":3}", "[\"a\tb\"]", "{\"\\u0061\":1,\"a\":2}",
        /* rejected by both, at the same byte */
        "", "   ", "[01]", "[-]", "[1e]", "[1,]", "{\"a\":1,}", "[TRUE]", "[nan]", "[\"\\x\"]",
        "[\"\\u12\"]", "[1 2]", "{\"a\" 1}", "{1:2}", "[1]x", "[", "{\"a\":",
        "[\"abc", "[+1]", "[.5]", "[0x1]", "{\"a\":1}}", "[tru]", "[\"\xc3\"]",
    };
    (void)state;
    for (size_t i = 0; i < CT_NELEM(docs); i++)
        same_as_jsonc(docs[i], docs[i], strlen(docs[i]));
}

/* json-c's STRICT mode still takes these; RFC 8259 §6-7 does not, nor does the tape */
static void test_jtape__stricter_than_jsonc(void **state)
{
    static const char *const docs[] = { "[NaN]", "[Infinity]", "[-Infinity]", "[1.]",
                                        "{'a':1}" };
    (void)state;
    for (size_t i = 0; i < CT_NELEM(docs); i++) {
        ct_jtape t = CT_JTAPE_INIT;
        json_object *o = NULL;
        assert_int_equal(ct_json_parse(&o, g_ctx, docs[i], strlen(docs[i]), "t", 0), 0);
        json_object_put(o);
        assert_int_equal(tape(&t, docs[i]), CT_EPARSE);
        assert_int_equal(ct_error_last()->line, 1);
        ct_jtape_dispose(&t);
    }
    /* the other way round: a bare top-level number or literal is complete JSON; json-c waits
     * for more input ("continue") and ct_json_parse calls that an unexpected end */
    static const char *const bare[] = { "1", "-2.5", "true", "null" };
    for (size_t i = 0; i < CT_NELEM(bare); i++) {
        ct_jtape t = CT_JTAPE_INIT;
        json_object *o = NULL;
        assert_int_equal(ct_json_parse(&o, g_ctx, bare[i], strlen(bare[i]), "t", 0), CT_EPARSE);
        assert_int_equal(tape(&t, bare[i]), 0);
        ct_jtape_dispose(&t);
    }
}

static void test_jtape__errors_have_line_column_offset(void **state)
{
    ct_jtape t = CT_JTAPE_INIT;
    (void)state;
    assert_int_equal(tape(&t, "{\n  \"a\": [1,\n   2 3]}"), CT_EPARSE);
    assert_int_equal(ct_error_last()->line, 3);
    assert_int_equal(ct_error_last()->column, 6);
    assert_int_equal(ct_error_last()->offset, 18);
    assert_string_equal(ct_error_last()->source, "t.json");
    assert_non_null(strstr(ct_error_last()->message, "malformed JSON"));
    ct_jtape_dispose(&t);
    /* columns count code points */
    assert_int_equal(tape(&t, "[\"\xc3\xa9\xc3\xa9\" x]"), CT_EPARSE);
    assert_int_equal(ct_error_last()->column, 7);
    ct_jtape_dispose(&t);
    assert_int_equal(tape(&t, "[1,\n"), CT_EPARSE);
    assert_int_equal(ct_error_last()->line, 2);
    assert_non_null(strstr(ct_error_last()->message, "unexpected end"));
    ct_jtape_dispose(&t);
    assert_int_equal(tape(&t, "[\"a\x80\"]"), CT_EPARSE);
    assert_non_null(strstr(ct_error_last()->message, "UTF-8"));
    ct_jtape_dispose(&t);
}

/* UTF-8 is checked inside strings as they are scanned (spdxone), no longer in a pass over the
 * whole input first; the error must stay the one that pass gave: whenever the input holds a byte
 * that does not start valid UTF-8 (or a NUL), anywhere (in a string, a name, between values,
 * after a syntax error or before one), the error is "invalid UTF-8" at the first such byte, as
 * ct_utf8_valid (str.c) finds it. Valid multi-byte text at every alignment to the scan's 8-byte
 * steps reads back as json-c reads it. */
static void test_jtape__utf8_errors_as_one_check_of_the_input(void **state)
{
    static const struct {
        const char *s;
        size_t n;
    } bad[] = {
        { "\x80", 1 },         { "\xc3", 1 },         { "\xc0\xaf", 2 },
        { "\xe0\x80\xaf", 3 }, { "\xed\xa0\x80", 3 }, { "\xf4\x90\x80\x80", 4 },
        { "\xf5\x80\x80\x80", 4 }, { "\xff", 1 },     { "\0", 1 },
        { "\xe2\x82", 2 },     { "\xc3\xa9\x80", 3 },
    };
    static const char *const docs[] = {
        "{\"name\":\"abcdefghijklmnop\",\"k\":[1,\"x\\ny\",true],\"e\":\"\xc3\xa9\"}",
        "{\"name\":\"abc\" \"k\":[1,2]}",        /* a syntax error early */
        "[\"abcdefghijklmnopqrstuvwxyz\",1,]", /* a syntax error late */
        "[\"unterminated",
    };
    static const char *const good[] = { "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80",
                                        "\xf4\x8f\xbf\xbf", "\xed\x9f\xbf", "\xef\xbf\xbd" };
    size_t nbad = 0;
    (void)state;
    for (size_t d = 0; d < CT_NELEM(docs); d++) {
        size_t dl = strlen(docs[d]);
        for (size_t b = 0; b < CT_NELEM(bad); b++) {
            for (size_t at = 0; at <= dl; at++) {
                char doc[256];
                size_t n = 0, first = 0;
                ct_jtape t = CT_JTAPE_INIT;
                memcpy(doc, docs[d], at);
                memcpy(doc + at, bad[b].s, bad[b].n);
                memcpy(doc + at + bad[b].n, docs[d] + at, dl - at);
                n = dl + bad[b].n;
                assert_false(ct_utf8_valid(doc, n, &first));
                if (ct_jtape_parse(&t, g_ctx, doc, n, "t.json", 0) != CT_EPARSE ||
                    !strstr(ct_error_last()->message, "invalid UTF-8") ||
                    ct_error_last()->offset != (int64_t)first)
                    fail_msg("doc %zu, bad %zu at %zu: %s (offset %lld, first bad byte %zu)", d,
                             b, at, ct_error_last()->message,
                             (long long)ct_error_last()->offset, first);
                ct_jtape_dispose(&t);
                nbad++;
            }
        }
    }
    /* valid text in a string and in a name, at every offset into the 8-byte steps */
    for (size_t g = 0; g < CT_NELEM(good); g++) {
        for (size_t pad = 0; pad < 17; pad++) {
            char doc[256];
            int n = snprintf(doc, sizeof doc, "{\"%.*s%s\":[\"%.*s%s%s\\t%s\"]}", (int)pad,
                             "abcdefghijklmnopq", good[g], (int)pad, "ABCDEFGHIJKLMNOPQ",
                             good[g], good[g], good[g]);
            same_as_jsonc(doc, doc, (size_t)n);
        }
    }
    printf("%zu inputs with a bad byte: the first one reported\n", nbad);
}

static void test_jtape__depth_limit_as_jsonc(void **state)
{
    ct_buf b = CT_BUF_INIT;
    (void)state;
    /* ctx max_depth 64: 64 nested arrays are fine, a value at depth 64 is not (json-c's rule) */
    for (int extra = 0; extra < 3; extra++) {
        int n = 63 + extra;
        ct_buf_reset(&b);
        for (int i = 0; i < n; i++)
            ct_buf_putc(&b, '[');
        if (extra == 2)
            ct_buf_putc(&b, '1');
        for (int i = 0; i < n; i++)
            ct_buf_putc(&b, ']');
        same_as_jsonc("nested", b.ptr, b.len);
    }
    ct_buf_reset(&b);
    for (int i = 0; i < 100000; i++)
        ct_buf_putc(&b, '[');
    ct_jtape t = CT_JTAPE_INIT;
    assert_int_equal(ct_jtape_parse(&t, g_ctx, b.ptr, b.len, "deep", 0), CT_EPARSE);
    assert_int_equal(ct_error_last()->offset, 64);
    ct_jtape_dispose(&t);
    ct_buf_dispose(&b);
}

static void test_jtape__navigation(void **state)
{
    ct_jtape t = CT_JTAPE_INIT;
    ct_jiter it;
    ct_jval k, v, c;
    size_t n;
    char p[64];
    (void)state;
    assert_int_equal(tape(&t, "{\"a\":[10,{\"x/y~\":\"q\\\"\"},[]],\"a\":7,\"b\":true}"), 0);
    assert_int_equal(ct_jt_type_of(&t, 0), CT_JT_OBJECT);
    assert_int_equal(ct_jt_count(&t, 0), 3);
    v = ct_jt_get(&t, 0, "a"); /* the last "a", as json-c keeps it */
    assert_true(ct_jt_is_int(&t, v));
    assert_int_equal(ct_jt_int64(&t, v), 7);
    assert_true(ct_jt_bool(&t, ct_jt_get(&t, 0, "b")));
    assert_int_equal(ct_jt_get(&t, 0, "c"), CT_JNONE);
    assert_int_equal(ct_jt_get(&t, v, "c"), CT_JNONE); /* not an object */
    ct_jt_iter(&it, &t, 0);
    assert_true(ct_jt_next_member(&it, &t, &k, &v));
    assert_true(ct_jt_str_eq(&t, k, "a"));
    assert_int_equal(ct_jt_type_of(&t, v), CT_JT_ARRAY);
    assert_int_equal(ct_jt_count(&t, v), 3);
    ct_jt_iter(&it, &t, v);
    assert_true(ct_jt_next(&it, &t, &c));
    assert_true(ct_jt_next(&it, &t, &c));
    c = ct_jt_get(&t, c, "x/y~");
    assert_non_null(ct_jt_str(&t, c, &n));
    assert_int_equal(n, 2);
    assert_memory_equal(ct_jt_str(&t, c, &n), "q\"", 2);
    ct_jt_pointer(p, sizeof p, &t, c);
    assert_string_equal(p, "/a/1/x~1y~0");
    ct_jt_pointer(p, sizeof p, &t, 0);
    assert_string_equal(p, "");
    assert_int_equal(ct_jt_offset(&t, c), strchr(t.doc, 'q') - t.doc - 1);
    ct_jtape_dispose(&t);
}

static int setup(void **state)
{
    (void)state;
    g_ctx = ct_test_ctx();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ct_ctx_free(g_ctx);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jtape__same_as_jsonc_on_all_conformance_json),
        cmocka_unit_test(test_jtape__same_as_jsonc_on_edge_cases),
        cmocka_unit_test(test_jtape__stricter_than_jsonc),
        cmocka_unit_test(test_jtape__errors_have_line_column_offset),
        cmocka_unit_test(test_jtape__depth_limit_as_jsonc),
        cmocka_unit_test(test_jtape__utf8_errors_as_one_check_of_the_input),
        cmocka_unit_test(test_jtape__navigation),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

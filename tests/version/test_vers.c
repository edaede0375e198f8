/* Unit tests for vers ranges (src/version/vers.c) and OSV event conversion (osv_events.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cratrace/version.h"

static ct_vers *parse_ok(const char *text, unsigned flags)
{
    ct_vers *v = NULL;
    int rc = ct_vers_parse_ex(&v, text, strlen(text), flags);
    if (rc != CT_OK)
        print_error("'%s': %s\n", text, ct_error_last()->message);
    assert_int_equal(rc, CT_OK);
    assert_non_null(v);
    return v;
}

static void assert_format(const ct_vers *v, const char *want)
{
    ct_buf b = CT_BUF_INIT;
    assert_int_equal(ct_vers_format(&b, v), CT_OK);
    assert_string_equal(b.ptr, want);
    ct_buf_dispose(&b);
}

static bool contains(const ct_vers *v, const char *version)
{
    bool in = false;
    int rc = ct_vers_contains(&in, v, version, strlen(version));
    if (rc != CT_OK)
        print_error("contains '%s': %s\n", version, ct_error_last()->message);
    assert_int_equal(rc, CT_OK);
    return in;
}

static void test_vers_parse__canonical(void **state)
{
    (void)state;
    ct_vers *v = parse_ok("vers:npm/>=1.0.0|<2.0.0", CT_VERS_STRICT);
    ct_vers_op op;
    const char *ver;
    assert_string_equal(ct_vers_scheme(v), "npm");
    assert_int_equal(ct_vers_count(v), 2);
    assert_int_equal(ct_vers_constraint(&op, &ver, v, 0), CT_OK);
    assert_int_equal(op, CT_VERS_GE);
    assert_string_equal(ver, "1.0.0");
    assert_int_equal(ct_vers_constraint(&op, &ver, v, 1), CT_OK);
    assert_int_equal(op, CT_VERS_LT);
    assert_string_equal(ver, "2.0.0");
    assert_int_equal(ct_vers_constraint(&op, &ver, v, 2), CT_ENOTFOUND);
    assert_format(v, "vers:npm/>=1.0.0|<2.0.0");
    ct_vers_free(v);
}

static void test_vers_parse__sorts_and_normalises(void **state)
{
    (void)state;
    ct_vers *v = parse_ok("VERS:PyPI/0.0.2|0.0.6|>=3.0.0|0.0.1|=0.0.4|!=0.0.5|<0.0.0.1", 0);
    assert_string_equal(ct_vers_scheme(v), "pypi");
    assert_format(v, "vers:pypi/<0.0.0.1|0.0.1|0.0.2|0.0.4|!=0.0.5|0.0.6|>=3.0.0");
    ct_vers_free(v);
}

/* Lenient parsing keeps a literal repeat (same comparator and version text) where it sorts;
 * the strict parser rejects it (see the invalid list). */
static void test_vers_parse__lenient_keeps_literal_repeats(void **state)
{
    (void)state;
    ct_vers *v = parse_ok("vers:pypi/<0.0.5|>=0.0.1|>0.0.0|>=0.0.1", 0);
    assert_int_equal(ct_vers_count(v), 4);
    assert_format(v, "vers:pypi/>0.0.0|>=0.0.1|>=0.0.1|<0.0.5");
    ct_vers_free(v);
}

static void test_vers_parse__percent_decoding(void **state)
{
    (void)state;
    ct_vers *v = parse_ok("vers:generic/1.0%252F0", 0);
    const char *ver;
    ct_vers_op op;
    assert_int_equal(ct_vers_constraint(&op, &ver, v, 0), CT_OK);
    assert_string_equal(ver, "1.0%2F0");
    assert_format(v, "vers:generic/1.0%252F0");
    ct_vers_free(v);
    v = parse_ok("vers:generic/1.0%7cx", 0);
    assert_int_equal(ct_vers_constraint(&op, &ver, v, 0), CT_OK);
    assert_string_equal(ver, "1.0|x");
    assert_format(v, "vers:generic/1.0%7Cx");
    ct_vers_free(v);
}

static void test_vers_parse__star(void **state)
{
    (void)state;
    ct_vers *v = parse_ok("vers:deb/*", CT_VERS_STRICT);
    assert_format(v, "vers:deb/*");
    assert_true(contains(v, "1:2.3-4"));
    bool in = true;
    assert_int_equal(ct_vers_contains(&in, v, "", 0), CT_EPARSE);
    ct_vers_free(v);
}

static void test_vers_parse__invalid(void **state)
{
    static const struct {
        const char *text;
        unsigned flags;
        int rc;
    } bad[] = {
        { "", 0, CT_EPARSE },
        { "vers", 0, CT_EPARSE },
        { "vers:npm", 0, CT_EPARSE },
        { "vers:npm/", 0, CT_EPARSE },
        { "vers:/1.0.0", 0, CT_EPARSE },
        { "verz:npm/1.0.0", 0, CT_EPARSE },
        { "vers:npm/>=1.0.0| <2.0.0", 0, CT_EPARSE },
        { "vers:npm/|>=1.0.0|<2.0.0", 0, CT_EPARSE },
        { "vers:npm/>=1.0.0|<2.0.0|", 0, CT_EPARSE },
        { "vers:npm/>=1.0.0||<2.0.0", 0, CT_EPARSE },
        { "vers:npm/>=2.0.0|<1.0.0", CT_VERS_STRICT, CT_EPARSE },
        { "vers:npm/1.0%2G0", 0, CT_EPARSE },
        { "vers:npm/1.0.0%", 0, CT_EPARSE },
        { "vers:npm/1.0.0%0", 0, CT_EPARSE },
        { "vers:npm/1.0.0%00", 0, CT_EPARSE },
        { "vers:npm/*|1.0.0", 0, CT_EPARSE },
        { "vers:npm/1.0.0|*", 0, CT_EPARSE },
        { "vers:npm/**", 0, CT_EPARSE },
        { "vers:npm/>=", 0, CT_EPARSE },
        { "vers:npm/=1.0.0", CT_VERS_STRICT, CT_EPARSE },
        { "vers:npm/>=1.0.0<2", 0, CT_EPARSE },
        { "vers:npm/1.0.0|v1.0.0", 0, CT_EPARSE },       /* same version twice */
        { "vers:npm/>=1.0.0|<=1.0.0", 0, CT_EPARSE },    /* one version, two comparators */
        { "vers:npm/>=1.0.0|>=1.0.0", CT_VERS_STRICT, CT_EPARSE }, /* strict: no repeats */
        { "vers:pypi/1.0|1.0.0", 0, CT_EPARSE },         /* equal under PEP 440 */
        { "vers:npm/not-a-version", 0, CT_EPARSE },
        { "vers:NPM/1.0.0", CT_VERS_STRICT, CT_EPARSE },
        { "vers:invalid/1.0.0", 0, CT_EPARSE },
        { "vers:1npm/1.0.0", 0, CT_EPARSE },
        { "vers:no_such/1.0.0", 0, CT_EPARSE },
        { "vers:nosuch/1.0.0", 0, CT_EUNSUPPORTED },
        { "vers:test/1.0.0", 0, CT_EUNSUPPORTED },
        { "vers:npm/1.0.0\t", 0, CT_EPARSE },
        { "vers:npm/>=1.0.0|>=2.0.0", CT_VERS_STRICT, CT_EPARSE },
        { "vers:npm/1.0.0|<2.0.0", CT_VERS_STRICT, CT_EPARSE },
    };
    (void)state;
    for (size_t i = 0; i < CT_NELEM(bad); i++) {
        ct_vers *v = (ct_vers *)&v;
        int rc = ct_vers_parse_ex(&v, bad[i].text, strlen(bad[i].text), bad[i].flags);
        if (rc != bad[i].rc)
            print_error("'%s': expected %d got %d\n", bad[i].text, bad[i].rc, rc);
        assert_int_equal(rc, bad[i].rc);
        assert_null(v);
    }
    /* length-bounded: a NUL-free prefix is parsed, the rest ignored */
    ct_vers *v = NULL;
    assert_int_equal(ct_vers_parse(&v, "vers:npm/1.0.0|garbage", 14), CT_OK);
    assert_format(v, "vers:npm/1.0.0");
    ct_vers_free(v);
    ct_vers_free(NULL);
}

static void test_vers_parse__strict_accepts_valid_sequences(void **state)
{
    static const char *const ok[] = {
        "vers:npm/1.2.3|>=2.0.0|<5.0.0",
        "vers:pypi/>0.0.1|<0.1",
        "vers:pypi/!=0.0.1|>0.1",
        "vers:pypi/<0.0.1|>0.1",
        "vers:deb/<1.0|1.5|>=2.0|!=2.1|<3.0",
        "vers:golang/>=v1.0.0|<v1.2.3",
    };
    (void)state;
    for (size_t i = 0; i < CT_NELEM(ok); i++)
        ct_vers_free(parse_ok(ok[i], CT_VERS_STRICT));
}

static void test_vers_contains__spec_algorithm(void **state)
{
    (void)state;
    ct_vers *v = parse_ok("vers:npm/<1.2.3|>=2.0.0|<2.0.6|3.0.0|>=4.0.0|!=4.1.0", 0);
    assert_true(contains(v, "0.0.1"));
    assert_true(contains(v, "1.2.3-rc.1"));
    assert_false(contains(v, "1.2.3"));
    assert_false(contains(v, "1.9.9"));
    assert_true(contains(v, "2.0.0"));
    assert_true(contains(v, "2.0.5"));
    assert_false(contains(v, "2.0.6"));
    assert_true(contains(v, "3.0.0"));
    assert_false(contains(v, "3.0.1"));
    assert_true(contains(v, "4.0.0"));
    assert_false(contains(v, "4.1.0"));
    assert_true(contains(v, "99.0.0"));
    bool in = true;
    assert_int_equal(ct_vers_contains(&in, v, "nope", 4), CT_EPARSE);
    ct_vers_free(v);

    v = parse_ok("vers:pypi/>0.0.2", 0);
    assert_true(contains(v, "0.0.3"));
    assert_false(contains(v, "0.0.2"));
    ct_vers_free(v);
    v = parse_ok("vers:pypi/<=1.3.0|3.0.0", 0);
    assert_true(contains(v, "1.0.0"));
    assert_true(contains(v, "1.3"));
    assert_false(contains(v, "2.0"));
    assert_true(contains(v, "3.0"));
    ct_vers_free(v);
    v = parse_ok("vers:pypi/!=1.0", 0);
    assert_false(contains(v, "1.0.0"));
    assert_false(contains(v, "2.0"));
    ct_vers_free(v);
}

static void test_vers_contains__deb_and_rpm(void **state)
{
    (void)state;
    ct_vers *v = parse_ok("vers:deb/>=1:1.0|<1:1.2~rc1", 0);
    assert_false(contains(v, "9.9"));
    assert_true(contains(v, "1:1.1-3+deb12u1"));
    assert_true(contains(v, "1:1.2~beta"));
    assert_false(contains(v, "1:1.2~rc1"));
    ct_vers_free(v);
    v = parse_ok("vers:rpm/<2:1.0-1.el9", 0);
    assert_true(contains(v, "1:99"));
    assert_false(contains(v, "2:1.0-1.el10"));
    ct_vers_free(v);
}

static void test_vers_from_osv_events__intervals(void **state)
{
    static const ct_osv_event ev[] = {
        { CT_OSV_FIXED, "2.0.6" },
        { CT_OSV_INTRODUCED, "2.0.0" },
        { CT_OSV_INTRODUCED, "0" },
        { CT_OSV_FIXED, "1.2.3" },
    };
    ct_buf b = CT_BUF_INIT;
    (void)state;
    assert_int_equal(ct_vers_from_osv_events(&b, "npm", ev, CT_NELEM(ev)), CT_OK);
    assert_string_equal(b.ptr, "vers:npm/<1.2.3|>=2.0.0|<2.0.6");
    ct_vers *v = parse_ok(b.ptr, CT_VERS_STRICT);
    assert_true(contains(v, "2.0.1"));
    assert_false(contains(v, "1.5.0"));
    ct_vers_free(v);
    ct_buf_dispose(&b);
}

static void check_events(const char *scheme, const ct_osv_event *ev, size_t n, const char *want)
{
    ct_buf b = CT_BUF_INIT;
    int rc = ct_vers_from_osv_events(&b, scheme, ev, n);
    if (rc != CT_OK)
        print_error("%s: %s\n", want, ct_error_last()->message);
    assert_int_equal(rc, CT_OK);
    assert_string_equal(b.ptr, want);
    ct_vers_free(parse_ok(b.ptr, CT_VERS_STRICT));
    ct_buf_dispose(&b);
}

static void test_vers_from_osv_events__open_last_affected_limit(void **state)
{
    (void)state;
    check_events("pypi", (const ct_osv_event[]){ { CT_OSV_INTRODUCED, "1.0" } }, 1,
                 "vers:pypi/>=1.0");
    check_events("pypi", (const ct_osv_event[]){ { CT_OSV_INTRODUCED, "0" } }, 1, "vers:pypi/*");
    check_events("pypi",
                 (const ct_osv_event[]){ { CT_OSV_INTRODUCED, "0" },
                                         { CT_OSV_LAST_AFFECTED, "1.4" } },
                 2, "vers:pypi/<=1.4");
    check_events("deb",
                 (const ct_osv_event[]){ { CT_OSV_INTRODUCED, "1:1.0" },
                                         { CT_OSV_LAST_AFFECTED, "1:1.0" } },
                 2, "vers:deb/1:1.0");
    check_events("semver",
                 (const ct_osv_event[]){ { CT_OSV_INTRODUCED, "0" },
                                         { CT_OSV_LIMIT, "3.0.0" },
                                         { CT_OSV_FIXED, "1.0.0" },
                                         { CT_OSV_INTRODUCED, "2.0.0" } },
                 4, "vers:semver/<1.0.0|>=2.0.0|<3.0.0");
    /* touching intervals merge; redundant events are ignored */
    check_events("npm",
                 (const ct_osv_event[]){ { CT_OSV_INTRODUCED, "1.0.0" },
                                         { CT_OSV_FIXED, "2.0.0" },
                                         { CT_OSV_INTRODUCED, "2.0.0" },
                                         { CT_OSV_INTRODUCED, "2.1.0" },
                                         { CT_OSV_FIXED, "3.0.0" },
                                         { CT_OSV_FIXED, "4.0.0" } },
                 6, "vers:npm/>=1.0.0|<3.0.0");
    /* tilde and percent-encoding of special characters */
    check_events("deb",
                 (const ct_osv_event[]){ { CT_OSV_INTRODUCED, "0" },
                                         { CT_OSV_FIXED, "1.0~rc1+dfsg" } },
                 2, "vers:deb/<1.0~rc1+dfsg");
}

static void test_vers_from_osv_events__errors(void **state)
{
    ct_buf b = CT_BUF_INIT;
    (void)state;
    const ct_osv_event fixed_only[] = { { CT_OSV_FIXED, "1.0.0" } };
    assert_int_equal(ct_vers_from_osv_events(&b, "npm", fixed_only, 1), CT_ENOTFOUND);
    const ct_osv_event empty_iv[] = { { CT_OSV_INTRODUCED, "1.0.0" }, { CT_OSV_FIXED, "1.0.0" } };
    assert_int_equal(ct_vers_from_osv_events(&b, "npm", empty_iv, 2), CT_ENOTFOUND);
    const ct_osv_event bad[] = { { CT_OSV_INTRODUCED, "0" }, { CT_OSV_FIXED, "x.y" } };
    assert_int_equal(ct_vers_from_osv_events(&b, "npm", bad, 2), CT_EPARSE);
    assert_int_equal(ct_vers_from_osv_events(&b, "nosuch", bad, 2), CT_EUNSUPPORTED);
    assert_int_equal(ct_vers_from_osv_events(&b, "npm", NULL, 0), CT_ENOTFOUND);
    assert_int_equal(b.len, 0);
    ct_buf_dispose(&b);
}

static void test_vers_from_versions__sorted_unique(void **state)
{
    ct_buf b = CT_BUF_INIT;
    (void)state;
    const char *const vs[] = { "1.1", "1.0", "1.0.0", "1!0.1", "2.0rc1" };
    assert_int_equal(ct_vers_from_versions(&b, "pypi", vs, CT_NELEM(vs)), CT_OK);
    assert_string_equal(b.ptr, "vers:pypi/1.0|1.1|2.0rc1|1%210.1");
    ct_vers *v = parse_ok(b.ptr, CT_VERS_STRICT);
    assert_true(contains(v, "1.0.0"));
    assert_false(contains(v, "1.2"));
    ct_vers_free(v);
    const char *const bad[] = { "1.0", "not a version" };
    assert_int_equal(ct_vers_from_versions(&b, "pypi", bad, 2), CT_EPARSE);
    assert_int_equal(ct_vers_from_versions(&b, "pypi", bad, 0), CT_EINVAL);
    ct_buf_dispose(&b);
}

/* gem takes "" as version 0 (RubyGems), but a vers cannot carry an empty version: the
 * generators refuse it instead of writing "vers:gem/", which does not parse (fuzz_version). */
static void test_vers_from_versions__empty_version(void **state)
{
    ct_buf b = CT_BUF_INIT;
    ct_vers *v = NULL;
    (void)state;
    assert_int_equal(ct_version_validate("gem", ""), CT_OK);
    assert_int_equal(ct_vers_parse(&v, "vers:gem/", 9), CT_EPARSE);
    const char *const vs[] = { "" };
    assert_int_equal(ct_vers_from_versions(&b, "gem", vs, 1), CT_EPARSE);
    const ct_osv_event ev[] = { { CT_OSV_INTRODUCED, "" }, { CT_OSV_FIXED, "1.0" } };
    assert_int_equal(ct_vers_from_osv_events(&b, "gem", ev, 2), CT_EPARSE);
    assert_int_equal(b.len, 0);
    ct_buf_dispose(&b);
}

/* npm_range_from_native_test.json#165 (listed) expects univers' reading of "~0.8.0-pre"
 * (python-semanticversion: the range ends at <0.8.1). cratrace keeps node-semver's, which
 * shared/oracles' semver 7.7.3 gives as ">=0.8.0-pre <0.9.0-0": 0.8.5 is inside. */
static void test_vers_from_native__npm_prerelease_tilde(void **state)
{
    ct_buf b = CT_BUF_INIT;
    (void)state;
    assert_int_equal(ct_vers_from_native(&b, "npm", "~0.8.0-pre", 10), CT_OK);
    ct_vers *v = parse_ok(b.ptr, 0);
    assert_true(contains(v, "0.8.0-pre"));
    assert_true(contains(v, "0.8.0"));
    assert_true(contains(v, "0.8.5"));
    assert_false(contains(v, "0.9.0"));
    assert_false(contains(v, "0.7.9"));
    ct_vers_free(v);
    ct_buf_dispose(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vers_parse__canonical),
        cmocka_unit_test(test_vers_parse__sorts_and_normalises),
        cmocka_unit_test(test_vers_parse__lenient_keeps_literal_repeats),
        cmocka_unit_test(test_vers_parse__percent_decoding),
        cmocka_unit_test(test_vers_parse__star),
        cmocka_unit_test(test_vers_parse__invalid),
        cmocka_unit_test(test_vers_parse__strict_accepts_valid_sequences),
        cmocka_unit_test(test_vers_contains__spec_algorithm),
        cmocka_unit_test(test_vers_contains__deb_and_rpm),
        cmocka_unit_test(test_vers_from_osv_events__intervals),
        cmocka_unit_test(test_vers_from_osv_events__open_last_affected_limit),
        cmocka_unit_test(test_vers_from_osv_events__errors),
        cmocka_unit_test(test_vers_from_versions__sorted_unique),
        cmocka_unit_test(test_vers_from_versions__empty_version),
        cmocka_unit_test(test_vers_from_native__npm_prerelease_tilde),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

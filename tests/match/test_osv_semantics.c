/* match: the examples of the OSV schema's "Evaluation" and "Examples" sections
 * (ossf/osv-schema docs/schema.md), turned into vers by ct_vers_from_osv_events and evaluated
 * by the matcher. tests/e2e/osv_semantics.sh checks the same semantics on real data. */
#include "ct_test.h"
#include "cratrace/match.h"
#include "cratrace/version.h"

#include <string.h>

/* Whether `version` is affected by one range with these events, through the matcher. */
static bool affected(const char *scheme, const ct_osv_event *ev, size_t n, const char *version)
{
    ct_buf b = CT_BUF_INIT;
    ct_matcher *m = NULL;
    bool hit = false;
    int rc = ct_vers_from_osv_events(&b, scheme, ev, n);
    if (rc == CT_ENOTFOUND) { /* the events affect no version */
        ct_error_clear();
        ct_buf_dispose(&b);
        return false;
    }
    if (rc < 0)
        fail_msg("events -> vers: %s", ct_error_last()->message);
    assert_int_equal(ct_matcher_new(&m), 0);
    if (ct_matcher_test(&hit, m, b.ptr, version) < 0)
        fail_msg("%s contains %s: %s", b.ptr, version, ct_error_last()->message);
    ct_matcher_free(m);
    ct_buf_dispose(&b);
    return hit;
}

#define EV(...) (const ct_osv_event[]){ __VA_ARGS__ }, sizeof((const ct_osv_event[]){ __VA_ARGS__ }) / sizeof(ct_osv_event)

static void test_osv_schema__unfixed_and_fixed(void **state)
{
    (void)state;
    /* "every possible version is affected" */
    assert_true(affected("semver", EV({ CT_OSV_INTRODUCED, "0" }), "0.0.1"));
    assert_true(affected("semver", EV({ CT_OSV_INTRODUCED, "0" }), "99.0.0"));
    /* "everything before 1.0.2" */
    assert_true(affected("semver", EV({ CT_OSV_INTRODUCED, "0" }, { CT_OSV_FIXED, "1.0.2" }),
                         "1.0.1"));
    assert_false(affected("semver", EV({ CT_OSV_INTRODUCED, "0" }, { CT_OSV_FIXED, "1.0.2" }),
                          "1.0.2"));
}

static void test_osv_schema__multiple_ranges(void **state)
{
    (void)state;
    /* [1.0.0, 1.0.2) and [3.0.0, 3.2.5); events given unsorted, as the schema allows */
#define MULTI EV({ CT_OSV_INTRODUCED, "3.0.0" }, { CT_OSV_FIXED, "1.0.2" }, \
                 { CT_OSV_FIXED, "3.2.5" }, { CT_OSV_INTRODUCED, "1.0.0" })
    assert_false(affected("semver", MULTI, "0.9.9"));
    assert_true(affected("semver", MULTI, "1.0.0"));
    assert_true(affected("semver", MULTI, "1.0.1"));
    assert_false(affected("semver", MULTI, "1.0.2"));
    assert_false(affected("semver", MULTI, "2.9.9"));
    assert_true(affected("semver", MULTI, "3.0.0"));
    assert_true(affected("semver", MULTI, "3.2.5-rc.1"));
    assert_false(affected("semver", MULTI, "3.2.5"));
#undef MULTI
}

static void test_osv_schema__last_affected_vs_fixed(void **state)
{
    (void)state;
    /* last_affected 2.1.214: 2.1.214 is affected, above it is not */
    assert_true(affected("pypi", EV({ CT_OSV_INTRODUCED, "0" }, { CT_OSV_LAST_AFFECTED, "2.1.214" }),
                         "2.1.214"));
    assert_false(affected("pypi", EV({ CT_OSV_INTRODUCED, "0" }, { CT_OSV_LAST_AFFECTED, "2.1.214" }),
                          "2.1.215"));
    /* fixed 2.1.214: 2.1.214 is not */
    assert_false(affected("semver", EV({ CT_OSV_INTRODUCED, "0" }, { CT_OSV_FIXED, "2.1.214" }),
                          "2.1.214"));
}

static void test_osv_schema__limit(void **state)
{
    (void)state;
    /* BeforeLimits: v < some limit; the largest limit decides */
#define LIM EV({ CT_OSV_INTRODUCED, "1.0.0" }, { CT_OSV_LIMIT, "2.0.0" }, { CT_OSV_LIMIT, "1.5.0" })
    assert_true(affected("semver", LIM, "1.9.9"));
    assert_false(affected("semver", LIM, "2.0.0"));
    assert_false(affected("semver", LIM, "0.9.0"));
#undef LIM
    /* "limit allows versions containing the string * to represent infinity" */
    assert_true(affected("semver", EV({ CT_OSV_INTRODUCED, "1.0.0" }, { CT_OSV_LIMIT, "*" }),
                         "7.0.0"));
    assert_true(affected("semver",
                         EV({ CT_OSV_INTRODUCED, "0" }, { CT_OSV_FIXED, "1.0.0" },
                            { CT_OSV_LIMIT, "*" }, { CT_OSV_LIMIT, "0.5.0" }),
                         "0.7.0"));
    assert_false(affected("semver",
                          EV({ CT_OSV_INTRODUCED, "0" }, { CT_OSV_FIXED, "1.0.0" },
                             { CT_OSV_LIMIT, "*" }),
                          "1.0.0"));
    /* a limit alone affects nothing: no introduced event */
    assert_false(affected("semver", EV({ CT_OSV_LIMIT, "*" }), "1.0.0"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_osv_schema__unfixed_and_fixed),
        cmocka_unit_test(test_osv_schema__multiple_ranges),
        cmocka_unit_test(test_osv_schema__last_affected_vs_fixed),
        cmocka_unit_test(test_osv_schema__limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

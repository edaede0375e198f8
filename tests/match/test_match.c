/* match: range evaluation through the scheme table, the parsed-range cache, and the version a
 * component is matched with. */
#include "ct_test.h"
#include "cratrace/match.h"

#include <stdio.h>
#include <string.h>

static bool hit(ct_matcher *m, const char *vers, const char *version)
{
    bool h = false;
    int rc = ct_matcher_test(&h, m, vers, version);
    if (rc < 0)
        fail_msg("%s contains %s: %s", vers, version, ct_error_last()->message);
    return h;
}

static void test_matcher_test__npm_two_windows(void **state)
{
    ct_matcher *m = NULL;
    (void)state;
    assert_int_equal(ct_matcher_new(&m), 0);
    const char *v = "vers:npm/>=0.8.1|<0.28.0|>=1.0.0|<1.6.0";
    assert_false(hit(m, v, "0.8.0"));
    assert_true(hit(m, v, "0.8.1"));
    assert_true(hit(m, v, "0.21.4"));
    assert_false(hit(m, v, "0.28.0"));
    assert_false(hit(m, v, "0.99.0"));
    assert_true(hit(m, v, "1.0.0"));
    assert_true(hit(m, v, "1.5.1"));
    assert_false(hit(m, v, "1.6.0"));
    assert_false(hit(m, v, "1.6.2"));
    /* a prerelease of the fix is still below the fix */
    assert_true(hit(m, v, "1.6.0-beta.1"));
    ct_matcher_free(m);
}

static void test_matcher_test__deb_epoch_and_tilde(void **state)
{
    ct_matcher *m = NULL;
    (void)state;
    assert_int_equal(ct_matcher_new(&m), 0);
    const char *zlib = "vers:deb/<1:1.2.11.dfsg-2+deb11u2";
    assert_true(hit(m, zlib, "1:1.2.11.dfsg-2+deb11u1"));
    assert_false(hit(m, zlib, "1:1.2.11.dfsg-2+deb11u2"));
    /* without the epoch the version is older than anything with epoch 1 */
    assert_true(hit(m, zlib, "1.2.13.dfsg-1"));
    assert_false(hit(m, zlib, "2:1.0-1"));
    const char *ssl = "vers:deb/<1.1.1n-0+deb11u4";
    assert_true(hit(m, ssl, "1.1.1n-0+deb11u3"));
    assert_true(hit(m, ssl, "1.1.1n-0+deb11u4~bpo1"));
    assert_false(hit(m, ssl, "1.1.1n-0+deb11u4"));
    assert_false(hit(m, ssl, "1.1.1w-0+deb11u1"));
    ct_matcher_free(m);
}

static void test_matcher_test__pypi_normalised_and_lists(void **state)
{
    ct_matcher *m = NULL;
    (void)state;
    assert_int_equal(ct_matcher_new(&m), 0);
    assert_true(hit(m, "vers:pypi/>=2.3.0|<2.31.0", "2.28.2"));
    assert_false(hit(m, "vers:pypi/>=2.3.0|<2.31.0", "2.31.0"));
    assert_true(hit(m, "vers:pypi/>=2.3.0|<2.31.0", "2.31.0rc1"));
    assert_false(hit(m, "vers:pypi/>=2.3.0|<2.31.0", "2.31.0.post1"));
    /* explicit version lists compare by PEP 440 equality: 1.0 == 1.0.0 */
    assert_true(hit(m, "vers:pypi/1.0|1.1", "1.0.0"));
    assert_false(hit(m, "vers:pypi/1.0|1.1", "1.0.1"));
    ct_matcher_free(m);
}

static void test_matcher_test__unevaluable(void **state)
{
    ct_matcher *m = NULL;
    bool h = true;
    (void)state;
    assert_int_equal(ct_matcher_new(&m), 0);
    /* an invalid version for the scheme is reported, never silently compared */
    assert_true(ct_matcher_test(&h, m, "vers:semver/<1.2.3", "not-a-version") < 0);
    assert_false(h);
    /* a range that does not parse stays unevaluable on every later use (cached) */
    assert_true(ct_matcher_test(&h, m, "vers:nosuchscheme/<1", "0.5") < 0);
    assert_true(ct_matcher_test(&h, m, "vers:nosuchscheme/<1", "0.5") < 0);
    assert_true(ct_matcher_test(&h, m, "garbage", "1.0") < 0);
    ct_matcher_free(m);
}

static void test_matcher_test__cache_grows(void **state)
{
    ct_matcher *m = NULL;
    char vers[64], ver[32];
    (void)state;
    assert_int_equal(ct_matcher_new(&m), 0);
    /* more distinct ranges than the initial table holds: answers stay right */
    for (int i = 0; i < 3000; i++) {
        snprintf(vers, sizeof vers, "vers:npm/<%d.0.0", i + 1);
        snprintf(ver, sizeof ver, "%d.5.0", i);
        assert_true(hit(m, vers, ver));
        snprintf(ver, sizeof ver, "%d.0.0", i + 1);
        assert_false(hit(m, vers, ver));
    }
    for (int i = 0; i < 3000; i += 97) {
        snprintf(vers, sizeof vers, "vers:npm/<%d.0.0", i + 1);
        snprintf(ver, sizeof ver, "%d.9.9", i);
        assert_true(hit(m, vers, ver));
    }
    ct_matcher_free(m);
}

static void check_version(const char *purl, const char *version, const char *want)
{
    ct_buf b = CT_BUF_INIT;
    assert_int_equal(ct_match_component_version(&b, purl, version), 0);
    assert_string_equal(b.ptr, want);
    ct_buf_dispose(&b);
}

static void test_match_component_version__sources(void **state)
{
    (void)state;
    /* the purl's version wins over the component's own field */
    check_version("pkg:npm/lodash@4.17.20", "4.17.19", "4.17.20");
    /* rpm: the epoch qualifier becomes part of the version */
    check_version("pkg:rpm/almalinux/openssl@3.0.7-1.el9?epoch=1", NULL, "1:3.0.7-1.el9");
    /* an epoch already in the version is not doubled */
    check_version("pkg:rpm/fedora/curl@2:8.0-1?epoch=2", NULL, "2:8.0-1");
    /* Go: OSV ranges are SemVer without the "v" */
    check_version("pkg:golang/github.com/gin-gonic/gin@v1.9.0", NULL, "1.9.0");
    /* percent-encoded versions are decoded */
    check_version("pkg:deb/debian/openssl@1.1.1n-0%2Bdeb11u3?arch=armhf", NULL,
                  "1.1.1n-0+deb11u3");
    /* no purl, or an invalid one: the component's version field */
    check_version(NULL, "2.0", "2.0");
    check_version("not a purl", "3.1", "3.1");
    check_version("pkg:npm/left-pad", "1.3.0", "1.3.0");
    check_version(NULL, NULL, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matcher_test__npm_two_windows),
        cmocka_unit_test(test_matcher_test__deb_epoch_and_tilde),
        cmocka_unit_test(test_matcher_test__pypi_normalised_and_lists),
        cmocka_unit_test(test_matcher_test__unevaluable),
        cmocka_unit_test(test_matcher_test__cache_grows),
        cmocka_unit_test(test_match_component_version__sources),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* CycloneDX conformance: every valid-* fixture of the CycloneDX tools test resources for 1.4 to
 * 1.7 (JSON and XML) passes ct_sbom_validate and every invalid-* one is rejected, except the
 * fixtures listed in tests/conformance/cdx-expected-failures.txt. An unlisted failure or an
 * unexpected pass (a listed fixture that now behaves) fails the test. XML is validated against
 * the XSDs of the shared schema directory, passed explicitly. Valid fixtures also parse with
 * ct_sbom_parse. */
#include "ct_test.h"

#include "cratrace/sbom.h"
#include "cratrace/sbom_validate.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *res_root, *schema_dir;
static char **expected;
static size_t nexpected;
static bool *expected_seen;

static void load_expected(void)
{
    char *text = NULL;
    size_t len;
    if (ct_file_read(&text, &len, CT_SOURCE_DIR "/tests/conformance/cdx-expected-failures.txt",
                     1u << 20) < 0)
        return;
    for (char *line = text; line && *line;) {
        char *nl = strchr(line, '\n'), *sp;
        if (nl)
            *nl = '\0';
        if (*line && *line != '#') {
            if ((sp = strchr(line, ' ')))
                *sp = '\0';
            expected = ct_reallocarray(expected, nexpected + 1, sizeof *expected);
            expected[nexpected++] = ct_strdup(line);
        }
        line = nl ? nl + 1 : NULL;
    }
    expected_seen = ct_calloc(nexpected ? nexpected : 1, sizeof *expected_seen);
    ct_free(text);
}

static bool is_expected(const char *rel)
{
    for (size_t i = 0; i < nexpected; i++)
        if (strcmp(expected[i], rel) == 0) {
            expected_seen[i] = true;
            return true;
        }
    return false;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_cdx_fixtures__valid_accepted_invalid_rejected(void **state)
{
    static const char *const versions[] = { "1.4", "1.5", "1.6", "1.7" };
    static const char *const exts[] = { ".json", ".xml" };
    ct_ctx *ctx = ct_test_ctx();
    ct_sbom_validate_options opts = CT_SBOM_VALIDATE_OPTIONS_INIT;
    size_t unexpected = 0, total_ok = 0, total = 0;
    (void)state;

    opts.schema_dir = schema_dir;
    load_expected();
    for (size_t vi = 0; vi < CT_NELEM(versions); vi++) {
        char dir[4096];
        DIR *d;
        struct dirent *e;
        char **names = NULL;
        size_t n = 0;
        snprintf(dir, sizeof dir, "%s/%s", res_root, versions[vi]);
        if (!(d = opendir(dir)))
            continue;
        while ((e = readdir(d))) {
            if (strncmp(e->d_name, "valid-", 6) != 0 && strncmp(e->d_name, "invalid-", 8) != 0)
                continue;
            names = ct_reallocarray(names, n + 1, sizeof *names);
            names[n++] = ct_strdup(e->d_name);
        }
        closedir(d);
        qsort(names, n, sizeof *names, cmp_str);
        for (size_t xi = 0; xi < CT_NELEM(exts); xi++) {
            size_t ok[2] = { 0, 0 }, cnt[2] = { 0, 0 };
            for (size_t i = 0; i < n; i++) {
                size_t nl = strlen(names[i]), el = strlen(exts[xi]);
                char path[8192], rel[512];
                char *text = NULL;
                size_t len;
                ct_sbom_report *rep = NULL;
                bool want_valid = names[i][0] == 'v', pass;
                if (nl < el || strcmp(names[i] + nl - el, exts[xi]) != 0)
                    continue;
                snprintf(path, sizeof path, "%s/%s", dir, names[i]);
                snprintf(rel, sizeof rel, "%s/%s", versions[vi], names[i]);
                assert_int_equal(ct_file_read(&text, &len, path, 64u << 20), CT_OK);
                assert_int_equal(ct_sbom_validate_ex(&rep, ctx, text, len, rel, &opts), CT_OK);
                pass = rep->valid == want_valid;
                if (pass && want_valid) {
                    ct_sbom *s = NULL;
                    if (ct_sbom_parse(&s, ctx, text, len, rel) != CT_OK) {
                        printf("  %s: valid but ct_sbom_parse fails: %s\n", rel,
                               ct_error_format());
                        pass = false;
                    }
                    ct_sbom_free(s);
                }
                cnt[!want_valid]++;
                ok[!want_valid] += pass;
                if (pass == is_expected(rel)) {
                    unexpected++;
                    if (pass)
                        printf("  UNEXPECTED PASS %s (remove it from the expected failures)\n",
                               rel);
                    else
                        printf("  FAIL %s: %s%s%s\n", rel,
                               want_valid ? "rejected: " : "accepted",
                               rep->nerrors ? rep->errors[0].location : "",
                               rep->nerrors ? rep->errors[0].message : "");
                }
                ct_sbom_report_free(rep);
                ct_free(text);
            }
            printf("CycloneDX %s %-4s valid %zu/%zu invalid %zu/%zu\n", versions[vi],
                   exts[xi] + 1, ok[0], cnt[0], ok[1], cnt[1]);
            total_ok += ok[0] + ok[1];
            total += cnt[0] + cnt[1];
        }
        for (size_t i = 0; i < n; i++)
            ct_free(names[i]);
        ct_free(names);
    }
    for (size_t i = 0; i < nexpected; i++) {
        if (!expected_seen[i]) {
            printf("  listed but no such fixture: %s\n", expected[i]);
            unexpected++;
        }
        ct_free(expected[i]);
    }
    ct_free(expected);
    ct_free(expected_seen);
    printf("CycloneDX fixtures: %zu/%zu as expected by the spec (%zu listed gaps)\n", total_ok,
           total, nexpected);
    ct_ctx_free(ctx);
    assert_true(total > 0);
    if (unexpected)
        fail_msg("%zu fixture(s) differ from tests/conformance/cdx-expected-failures.txt",
                 unexpected);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cdx_fixtures__valid_accepted_invalid_rejected),
    };
    int rc;
    res_root = ct_test_shared_path("conformance/cyclonedx/tools/src/test/resources");
    schema_dir = ct_test_shared_path("conformance/cyclonedx/schema");
    if (!res_root || !schema_dir) {
        ct_free(res_root);
        ct_free(schema_dir);
        return CT_TEST_SKIP;
    }
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    ct_free(res_root);
    ct_free(schema_dir);
    return rc;
}

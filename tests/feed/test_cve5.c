/* Unit tests for src/feed/cve5.c: the 61 sample records and all 44,130 Vulnrichment records
 * read without error (counts checked against independent counts), specific records from
 * cve5-sample/INDEX.tsv mapped exactly, inline edge cases and located errors. */
#include "ct_feed_fixture.h"

#include "cratrace/feed.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    size_t n, withdrawn, ranges, unmatchable, with_cvss;
    ct_buf dump;
} collector;

static int collect(const ct_advisory *a, void *payload)
{
    collector *c = payload;
    c->n++;
    c->withdrawn += a->withdrawn != CT_TIME_NONE;
    c->ranges += a->nranges;
    c->unmatchable += a->unmatchable;
    c->with_cvss += a->cvss != NULL;
    assert_non_null(a->id);
    assert_string_equal(a->source, "cve5");
    assert_int_equal(a->naliases, 0);
    if (getenv("CT_CVE5_DUMP") || c->n < 3) {
        ct_buf *d = &c->dump;
        ct_buf_printf(d, "id=%s severity=%s cvss=%s", a->id, a->severity ? a->severity : "-",
                      a->cvss ? a->cvss : "-");
        ct_feed_fixture_put_time(d, "published", a->published);
        ct_feed_fixture_put_time(d, "modified", a->modified);
        ct_feed_fixture_put_time(d, "withdrawn", a->withdrawn);
        ct_buf_printf(d, " unmatchable=%zu summary=%.60s\n", a->unmatchable,
                      a->summary ? a->summary : "-");
        for (size_t i = 0; i < a->nranges; i++) {
            const ct_affected_range *r = &a->ranges[i];
            ct_buf_printf(d, "  %s|%s|%s|%s|%s|%s\n", r->ecosystem, r->package, r->pkg_key,
                          r->scheme, r->range_type, r->vers);
        }
    }
    return 0;
}

static collector read_sample(const char *name)
{
    collector c;
    memset(&c, 0, sizeof c);
    c.dump = (ct_buf)CT_BUF_INIT;
    ct_feed_fixture_read_shared(ct_feed_read_cve5_path, "cve5-sample", name, collect, &c);
    return c;
}

/* Every CVE-*.json in cve5-sample reads without error; one advisory per file. */
static void test_cve5__sample_all(void **state)
{
    char *dir = ct_test_shared_path("conformance/advisories/cve5-sample");
    DIR *d;
    struct dirent *e;
    size_t files = 0;
    collector c;
    (void)state;
    if (!dir)
        skip();
    assert_non_null(d = opendir(dir));
    while ((e = readdir(d)))
        files += strncmp(e->d_name, "CVE-", 4) == 0 && strstr(e->d_name, ".json") != NULL;
    closedir(d);
    memset(&c, 0, sizeof c);
    c.dump = (ct_buf)CT_BUF_INIT;
    /* the directory reader visits *.json in sorted order and skips INDEX.tsv, LICENSE */
    if (ct_feed_read_cve5_path(ct_feed_ctx, dir, collect, &c) != 0)
        fail_msg("%s", ct_error_format());
    assert_int_equal(files, 61);
    assert_int_equal(c.n, files);
    assert_int_equal(c.withdrawn, 7); /* INDEX.tsv: 7 state:REJECTED */
    ct_buf_dispose(&c.dump);
    ct_free(dir);
}

static void expect_sample(const char *file, const char *dump)
{
    collector c = read_sample(file);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.dump.ptr, dump);
    ct_buf_dispose(&c.dump);
}

/* REJECTED (5.1, dateRejected): withdrawn at dateRejected, summary from rejectedReasons. */
static void test_cve5__rejected(void **state)
{
    (void)state;
    expect_sample("CVE-2024-4542.json",
                  "id=CVE-2024-4542 severity=- cvss=- published=2024-05-09T20:03:31Z "
                  "modified=2024-05-16T13:23:54Z withdrawn=2024-05-16T13:23:54Z unmatchable=0 "
                  "summary=** REJECT ** DO NOT USE THIS CANDIDATE NUMBER. ConsultIDs: C\n");
}

/* lessThanOrEqual with changes[] (Patchstack, WordPress plugin: no registry → cpe key). */
static void test_cve5__less_than_or_equal(void **state)
{
    (void)state;
    expect_sample("CVE-2022-46860.json",
                  "id=CVE-2022-46860 severity=- cvss=- published=2023-11-06T07:53:42Z "
                  "modified=2024-09-05T14:11:31Z withdrawn=- unmatchable=0 summary=Improper "
                  "Neutralization of Special Elements used in an SQL C\n"
                  "  |shorten-url|cpe/kaizencoders/short_url|generic|range|"
                  "vers:generic/<=1.6.4\n");
}

/* Maven versionType, lessThan and lessThanOrEqual; "unknown" entries are not ranges. */
static void test_cve5__maven_ranges(void **state)
{
    (void)state;
    expect_sample(
        "CVE-2023-40312.json",
        "id=CVE-2023-40312 severity=MEDIUM cvss=CVSS:3.1/AV:A/AC:L/PR:L/UI:R/S:U/C:H/I:H/A:N "
        "published=2023-08-14T17:35:26Z modified=2024-09-27T21:57:09Z withdrawn=- "
        "unmatchable=0 summary=Multiple reflected XSS were found on different JSP files wit\n"
        "  |Horizon|cpe/the_opennms_group/horizon|maven|range|vers:maven/>=31.0.8|<32.0.2\n"
        "  |Meridian|cpe/the_opennms_group/meridian|maven|range|"
        "vers:maven/>=2020.0.0|<=2020.1.37\n"
        "  |Meridian|cpe/the_opennms_group/meridian|maven|range|"
        "vers:maven/>=2021.0.0|<=2021.1.29\n"
        "  |Meridian|cpe/the_opennms_group/meridian|maven|range|"
        "vers:maven/>=2022.0.0|<=2022.1.18\n"
        "  |Meridian|cpe/the_opennms_group/meridian|maven|range|"
        "vers:maven/>=2023.0.0|<=2023.1.5\n");
}

/* Linux kernel: git commit ranges and "4.4.*" wildcards are unmatchable, never guessed. */
static void test_cve5__linux_git_unmatchable(void **state)
{
    collector c = read_sample("CVE-2021-47353.json");
    (void)state;
    assert_int_equal(c.ranges, 0);
    assert_int_equal(c.unmatchable, 2); /* the git block and the wildcard custom block */
    assert_int_equal(c.withdrawn, 0);
    ct_buf_dispose(&c.dump);
}

/* rpm with defaultStatus affected and "unaffected from the fix on": affected below it. */
static void test_cve5__rpm_default_affected(void **state)
{
    collector c = read_sample("CVE-2023-33951.json");
    (void)state;
    assert_int_equal(c.ranges, 8);
    assert_non_null(strstr(c.dump.ptr, "  |kernel|cpe/red_hat/red_hat_enterprise_linux_8|rpm|"
                                       "complement|vers:rpm/<0:4.18.0-513.5.1.el8_9\n"));
    ct_buf_dispose(&c.dump);
}

/* collectionURL pypi.org: the PyPI package key shared with SBOM components. */
static void test_cve5__pypi_package_key(void **state)
{
    collector c = read_sample("CVE-2024-27132.json");
    (void)state;
    assert_non_null(strstr(c.dump.ptr, "  PyPI|mlflow|pypi/mlflow|pypi|range|vers:pypi/<=2.9.2\n"));
    ct_buf_dispose(&c.dump);
}

/* CNA cvssV4_0 preferred over V3_1; no CNA score: the CISA-ADP one. */
static void test_cve5__cvss_preference(void **state)
{
    collector c = read_sample("CVE-2024-10069.json");
    (void)state;
    assert_non_null(strstr(c.dump.ptr, " cvss=CVSS:4.0/"));
    ct_buf_dispose(&c.dump);
    c = read_sample("CVE-2012-5380.json");
    assert_non_null(strstr(c.dump.ptr, " cvss=CVSS:3.1/"));
    assert_int_equal(c.with_cvss, 1);
    ct_buf_dispose(&c.dump);
}

static int read_text(const char *text, collector *c)
{
    memset(c, 0, sizeof *c);
    c->dump = (ct_buf)CT_BUF_INIT;
    return ct_feed_read_cve5(ct_feed_ctx, text, strlen(text), "mem", collect, c);
}

#define META(id, state) "\"cveMetadata\":{\"cveId\":\"" id "\",\"state\":\"" state "\"}"

static void test_cve5__inline(void **state)
{
    collector c;
    (void)state;
    /* JSON lines, defaultStatus affected without versions: every version */
    assert_int_equal(read_text("{" META("CVE-2024-0001", "PUBLISHED") ",\"containers\":{"
                               "\"cna\":{\"affected\":[{\"vendor\":\"Acme\",\"product\":"
                               "\"Widget\",\"defaultStatus\":\"affected\"}]}}}\n"
                               "{" META("CVE-2024-0002", "REJECTED") "}\n",
                               &c),
                     0);
    assert_int_equal(c.n, 2);
    assert_non_null(strstr(c.dump.ptr, "|Widget|cpe/acme/widget|generic|default|vers:generic/*"));
    ct_buf_dispose(&c.dump);
    /* an array of records; npm registry, semver type, timestamps without a zone */
    assert_int_equal(
        read_text("[{\"cveMetadata\":{\"cveId\":\"CVE-2024-0003\",\"state\":\"PUBLISHED\","
                  "\"datePublished\":\"2024-01-02T03:04:05\"},\"containers\":{\"cna\":{"
                  "\"affected\":[{\"collectionURL\":\"https://www.npmjs.com\","
                  "\"packageName\":\"@scope/pkg\",\"versions\":[{\"version\":\"1.0.0\","
                  "\"lessThan\":\"1.2.0\",\"status\":\"affected\",\"versionType\":"
                  "\"semver\"}]}]}}}]",
                  &c),
        0);
    assert_string_equal(c.dump.ptr,
                        "id=CVE-2024-0003 severity=- cvss=- published=2024-01-02T03:04:05Z "
                        "modified=- withdrawn=- unmatchable=0 summary=-\n"
                        "  npm|@scope/pkg|npm/@scope/pkg|semver|range|"
                        "vers:semver/>=1.0.0|<1.2.0\n");
    ct_buf_dispose(&c.dump);
}

static void expect_error(const char *text, const char *pointer, const char *msg)
{
    ct_feed_fixture_expect_error(ct_feed_read_cve5, text, pointer, msg);
}

static void test_cve5__errors(void **state)
{
    collector c;
    (void)state;
    expect_error("{\"containers\":{}}", "/cveMetadata", "needs cveMetadata");
    expect_error("{\"cveMetadata\":{\"cveId\":\"X-1\",\"state\":\"PUBLISHED\"}}",
                 "/cveMetadata/cveId", "cveId");
    expect_error("{" META("CVE-2024-0001", "DRAFT") "}", "/cveMetadata/state", "PUBLISHED");
    expect_error("{\"cveMetadata\":{\"cveId\":\"CVE-2024-0001\",\"state\":\"PUBLISHED\","
                 "\"dateUpdated\":\"yesterday\"}}",
                 "/cveMetadata/dateUpdated", "RFC 3339");
    expect_error("{" META("CVE-2024-0001", "PUBLISHED") ",\"containers\":{\"cna\":{"
                 "\"affected\":[7]}}}",
                 "/containers/cna/affected/0", "expected an object");
    expect_error("{" META("CVE-2024-0001", "PUBLISHED") ",\"containers\":{\"adp\":[{"
                 "\"affected\":{}}]}}",
                 "/containers/adp/0/affected", "");
    /* JSON syntax error on line 2 of JSON lines */
    assert_int_equal(read_text("{" META("CVE-2024-0001", "PUBLISHED") "}\n{\"x\":\n", &c),
                     CT_EPARSE);
    assert_int_equal(ct_error_last()->line, 2);
    ct_buf_dispose(&c.dump);
}

static void test_cve5__bulk(void **state)
{
    char *path = ct_test_shared_path("conformance/advisories/cve5/cve5-vulnrichment.jsonl.gz");
    char *data = NULL;
    size_t len = 0, lines = 0;
    collector c;
    double t0;
    (void)state;
    if (!path)
        skip();
    memset(&c, 0, sizeof c);
    c.dump = (ct_buf)CT_BUF_INIT;
    assert_int_equal(ct_file_read_any(&data, &len, path, (size_t)1 << 30), 0);
    for (size_t i = 0; i < len; i++)
        lines += data[i] == '\n' && i > 0 && data[i - 1] != '\n';
    lines += len && data[len - 1] != '\n';
    t0 = ct_clock_mono();
    if (ct_feed_read_cve5(ct_feed_ctx, data, len, path, collect, &c) != 0)
        fail_msg("%s", ct_error_format());
    print_message("bulk: %zu records in %.2f s: %zu withdrawn, %zu ranges, %zu unmatchable, "
                  "%zu with CVSS\n",
                  c.n, ct_clock_mono() - t0, c.withdrawn, c.ranges, c.unmatchable, c.with_cvss);
    assert_int_equal(c.n, lines);
    assert_int_equal(c.n, 44130);
    assert_int_equal(c.withdrawn, 104);
    ct_buf_dispose(&c.dump);
    ct_free(data);
    ct_free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cve5__sample_all),
        cmocka_unit_test(test_cve5__rejected),
        cmocka_unit_test(test_cve5__less_than_or_equal),
        cmocka_unit_test(test_cve5__maven_ranges),
        cmocka_unit_test(test_cve5__linux_git_unmatchable),
        cmocka_unit_test(test_cve5__rpm_default_affected),
        cmocka_unit_test(test_cve5__pypi_package_key),
        cmocka_unit_test(test_cve5__cvss_preference),
        cmocka_unit_test(test_cve5__inline),
        cmocka_unit_test(test_cve5__errors),
        cmocka_unit_test(test_cve5__bulk),
    };
    return cmocka_run_group_tests(tests, ct_feed_fixture_setup, ct_feed_fixture_teardown);
}

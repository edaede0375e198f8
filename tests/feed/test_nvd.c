/* Unit tests for src/feed/nvd.c: every NVD sample (3 API pages, 53 cve objects) reads without
 * error with as many advisories as records counted independently with json-c; specific
 * records mapped exactly; inline edge cases and located errors. */
#include "ct_feed_fixture.h"

#include "cratrace/feed.h"

#include <dirent.h>
#include <json-c/json.h>
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
    ct_buf *d = &c->dump;
    c->n++;
    c->withdrawn += a->withdrawn != CT_TIME_NONE;
    c->ranges += a->nranges;
    c->unmatchable += a->unmatchable;
    c->with_cvss += a->cvss != NULL;
    assert_non_null(a->id);
    assert_string_equal(a->source, "nvd");
    assert_int_equal(a->naliases, 0);
    ct_buf_printf(d, "id=%s severity=%s cvss=%s", a->id, a->severity ? a->severity : "-",
                  a->cvss ? a->cvss : "-");
    ct_feed_fixture_put_time(d, "published", a->published);
    ct_feed_fixture_put_time(d, "modified", a->modified);
    ct_feed_fixture_put_time(d, "withdrawn", a->withdrawn);
    ct_buf_printf(d, " unmatchable=%zu summary=%.40s\n", a->unmatchable,
                  a->summary ? a->summary : "-");
    for (size_t i = 0; i < a->nranges; i++) {
        const ct_affected_range *r = &a->ranges[i];
        ct_buf_printf(d, "  %s|%s|%s|%s|%s|%s\n", r->ecosystem, r->package, r->pkg_key,
                      r->scheme, r->range_type, r->vers);
    }
    return 0;
}

static void collector_init(collector *c)
{
    memset(c, 0, sizeof *c);
    c->dump = (ct_buf)CT_BUF_INIT;
}

static collector read_sample(const char *name)
{
    collector c;
    collector_init(&c);
    ct_feed_fixture_read_shared(ct_feed_read_nvd_path, "nvd-sample", name, collect, &c);
    if (getenv("CT_NVD_DUMP"))
        print_message("%s", c.dump.ptr);
    return c;
}

/* Independent count: vulnerabilities[] entries of a page, 1 for a bare cve object. */
static size_t count_records(const char *path, size_t *rejected)
{
    json_object *o = json_object_from_file(path), *v;
    size_t n = 0;
    assert_non_null(o);
    if (json_object_object_get_ex(o, "vulnerabilities", &v)) {
        n = json_object_array_length(v);
        for (size_t i = 0; i < n; i++) {
            json_object *cve, *st;
            if (json_object_object_get_ex(json_object_array_get_idx(v, i), "cve", &cve) &&
                json_object_object_get_ex(cve, "vulnStatus", &st) &&
                strcmp(json_object_get_string(st), "Rejected") == 0)
                (*rejected)++;
        }
    } else {
        json_object *st;
        n = 1;
        if (json_object_object_get_ex(o, "vulnStatus", &st) &&
            strcmp(json_object_get_string(st), "Rejected") == 0)
            (*rejected)++;
    }
    json_object_put(o);
    return n;
}

static void check_dir(const char *sub, size_t expect_files, size_t expect_records,
                      size_t expect_rejected)
{
    ct_buf rel = CT_BUF_INIT;
    char *dir;
    DIR *d;
    struct dirent *e;
    size_t files = 0, records = 0, rejected = 0;
    collector c;

    ct_buf_printf(&rel, "conformance/advisories/nvd-sample/%s", sub);
    dir = ct_test_shared_path(rel.ptr);
    ct_buf_dispose(&rel);
    if (!dir)
        skip();
    assert_non_null(d = opendir(dir));
    while ((e = readdir(d))) {
        ct_buf full = CT_BUF_INIT;
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 5, ".json") != 0)
            continue;
        files++;
        ct_buf_printf(&full, "%s/%s", dir, e->d_name);
        records += count_records(full.ptr, &rejected);
        /* each file on its own, too */
        collector_init(&c);
        if (ct_feed_read_nvd_path(ct_feed_ctx, full.ptr, collect, &c) != 0)
            fail_msg("%s", ct_error_format());
        ct_buf_dispose(&c.dump);
        ct_buf_dispose(&full);
    }
    closedir(d);
    collector_init(&c);
    if (ct_feed_read_nvd_path(ct_feed_ctx, dir, collect, &c) != 0)
        fail_msg("%s", ct_error_format());
    print_message("nvd %s: %zu files, %zu records, %zu withdrawn, %zu ranges, %zu unmatchable, "
                  "%zu with CVSS\n",
                  sub, files, c.n, c.withdrawn, c.ranges, c.unmatchable, c.with_cvss);
    assert_int_equal(files, expect_files);
    assert_int_equal(c.n, records);
    assert_int_equal(records, expect_records);
    assert_int_equal(c.withdrawn, rejected);
    assert_int_equal(rejected, expect_rejected);
    ct_buf_dispose(&c.dump);
    ct_free(dir);
}

static void test_nvd__cves_all(void **state)
{
    (void)state;
    check_dir("cves", 53, 53, 1); /* INDEX.tsv: 53 records, vulnStatus Rejected 1 */
}

static void test_nvd__pages_all(void **state)
{
    (void)state;
    check_dir("pages", 3, 52, 0); /* counted with python json: 13 + 38 + 1 */
}

/* vulnStatus Rejected: withdrawn at lastModified; no metrics, no configurations. */
static void test_nvd__rejected(void **state)
{
    collector c = read_sample("cves/CVE-2024-4542.json");
    (void)state;
    assert_string_equal(c.dump.ptr,
                        "id=CVE-2024-4542 severity=- cvss=- published=2024-05-14T15:44:02Z "
                        "modified=2024-05-16T14:15:08Z withdrawn=2024-05-16T14:15:08Z "
                        "unmatchable=0 summary=Rejected reason: ** REJECT ** DO NOT USE\n");
    ct_buf_dispose(&c.dump);
}

/* versionStartIncluding + versionEndExcluding → one exact generic vers per cpeMatch. */
static void test_nvd__cpe_match_range(void **state)
{
    collector c = read_sample("cves/CVE-2024-31497.json");
    (void)state;
    assert_int_equal(c.n, 1);
    assert_non_null(strstr(c.dump.ptr, "\n  |putty|cpe/putty/putty|generic|NVD-CPE|"
                                       "vers:generic/>=0.68|<0.81\n"));
    assert_non_null(strstr(c.dump.ptr, "\n  |fedora|cpe/fedoraproject/fedora|generic|NVD-CPE|"
                                       "vers:generic/40\n"));
    assert_int_equal(c.ranges, 8);
    ct_buf_dispose(&c.dump);
}

/* AND configuration (application running on macOS/Windows): only the vulnerable entry, marked
 * NVD-CPE-AND; the two platform CPEs count as unmatchable. */
static void test_nvd__and_node(void **state)
{
    collector c = read_sample("cves/CVE-2021-20581.json");
    (void)state;
    assert_int_equal(c.ranges, 1);
    assert_int_equal(c.unmatchable, 2);
    assert_non_null(strstr(c.dump.ptr,
                           "\n  |security_verify_privilege_on-premises|"
                           "cpe/ibm/security_verify_privilege_on-premises|generic|"
                           "NVD-CPE-AND|vers:generic/<11.5\n"));
    ct_buf_dispose(&c.dump);
}

/* cvssMetricV40 preferred over V31; V30 Primary (nvd@nist.gov) over the Secondary one. */
static void test_nvd__metrics_preference(void **state)
{
    collector c = read_sample("cves/CVE-2025-4565.json");
    (void)state;
    assert_non_null(strstr(c.dump.ptr, " severity=HIGH cvss=CVSS:4.0/AV:N/AC:L/AT:P/"));
    ct_buf_dispose(&c.dump);
    c = read_sample("cves/CVE-2018-14618.json");
    assert_non_null(strstr(c.dump.ptr, "id=CVE-2018-14618 severity=CRITICAL "
                                       "cvss=CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H "));
    assert_non_null(strstr(c.dump.ptr, "  |libcurl|cpe/haxx/libcurl|generic|NVD-CPE|"
                                       "vers:generic/<7.61.1\n"));
    ct_buf_dispose(&c.dump);
}

static int read_text(const char *text, collector *c)
{
    collector_init(c);
    return ct_feed_read_nvd(ct_feed_ctx, text, strlen(text), "mem", collect, c);
}

#define CPE(crit, extra) "{\"vulnerable\":true,\"criteria\":\"" crit "\"" extra "}"

static void test_nvd__inline(void **state)
{
    collector c;
    (void)state;
    /* {"cve": ...} wrapper and JSON lines; V2 severity beside cvssData; quoted WFN chars;
     * "*" version without bounds = every version; wildcard versions are unmatchable */
    assert_int_equal(
        read_text("{\"cve\":{\"id\":\"CVE-2024-0001\",\"published\":\"2024-01-02T03:04:05.123\","
                  "\"metrics\":{\"cvssMetricV2\":[{\"type\":\"Primary\",\"baseSeverity\":\"LOW\","
                  "\"cvssData\":{\"vectorString\":\"AV:N/AC:L/Au:N/C:P/I:N/A:N\"}}]},"
                  "\"configurations\":[{\"nodes\":[{\"operator\":\"OR\",\"cpeMatch\":["
                  CPE("cpe:2.3:a:notepad-plus-plus:notepad\\\\+\\\\+:*:*:*:*:*:*:*:*",
                      ",\"versionStartExcluding\":\"8.0\",\"versionEndIncluding\":\"8.5.1\"")
                  "," CPE("cpe:2.3:h:Acme:Router_X:-:*:*:*:*:*:*:*", "")
                  "," CPE("cpe:2.3:a:acme:lib:1.*:*:*:*:*:*:*:*", "")
                  "]}]}]}}\n"
                  "{\"id\":\"CVE-2024-0002\",\"vulnStatus\":\"Rejected\","
                  "\"published\":\"2024-02-01T00:00:00.000\"}\n",
                  &c),
        0);
    assert_string_equal(c.dump.ptr,
                        "id=CVE-2024-0001 severity=LOW cvss=AV:N/AC:L/Au:N/C:P/I:N/A:N "
                        "published=2024-01-02T03:04:05Z modified=- withdrawn=- unmatchable=1 "
                        "summary=-\n"
                        "  |notepad++|cpe/notepad-plus-plus/notepad++|generic|NVD-CPE|"
                        "vers:generic/>8.0|<=8.5.1\n"
                        "  |Router_X|cpe/acme/router_x|generic|NVD-CPE|vers:generic/*\n"
                        "id=CVE-2024-0002 severity=- cvss=- published=2024-02-01T00:00:00Z "
                        "modified=- withdrawn=2024-02-01T00:00:00Z unmatchable=0 summary=-\n");
    ct_buf_dispose(&c.dump);
}

static void expect_error(const char *text, const char *pointer, const char *msg)
{
    ct_feed_fixture_expect_error(ct_feed_read_nvd, text, pointer, msg);
}

static void test_nvd__errors(void **state)
{
    (void)state;
    expect_error("{\"vulnerabilities\":[{\"cve\":{\"id\":\"X-1\"}}]}",
                 "/vulnerabilities/0/cve/id", "CVE-");
    expect_error("{\"vulnerabilities\":[{}]}", "/vulnerabilities/0/cve", "needs a cve");
    expect_error("{\"vulnerabilities\":{}}", "/vulnerabilities", "expected an array");
    expect_error("{\"id\":\"CVE-2024-0001\",\"published\":\"soon\"}", "/published", "RFC 3339");
    expect_error("{\"id\":\"CVE-2024-0001\",\"configurations\":[{\"nodes\":[7]}]}",
                 "/configurations/0/nodes/0", "JSON object");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nvd__cves_all),
        cmocka_unit_test(test_nvd__pages_all),
        cmocka_unit_test(test_nvd__rejected),
        cmocka_unit_test(test_nvd__cpe_match_range),
        cmocka_unit_test(test_nvd__and_node),
        cmocka_unit_test(test_nvd__metrics_preference),
        cmocka_unit_test(test_nvd__inline),
        cmocka_unit_test(test_nvd__errors),
    };
    char *dir = ct_test_shared_path("conformance/advisories/nvd-sample");
    if (!dir)
        return CT_TEST_SKIP;
    ct_free(dir);
    return cmocka_run_group_tests(tests, ct_feed_fixture_setup, ct_feed_fixture_teardown);
}

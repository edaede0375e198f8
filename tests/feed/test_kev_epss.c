/* Unit tests for src/feed/kev.c and src/feed/epss.c: the real CISA KEV catalog (JSON and
 * CSV) and FIRST EPSS files read completely (counts checked against independent counts of
 * the files' records), inline edge cases, and malformed files rejected at the right line. */
#include "ct_feed_fixture.h"

#include "cratrace/feed.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Records counted without the readers: lines starting with prefix, or substring hits. */
static size_t count_line_prefix(const char *data, size_t len, const char *prefix)
{
    size_t n = 0, pl = strlen(prefix);
    for (size_t i = 0; i < len; i++)
        if ((i == 0 || data[i - 1] == '\n') && len - i >= pl && memcmp(data + i, prefix, pl) == 0)
            n++;
    return n;
}

static size_t count_substr(const char *data, size_t len, const char *needle)
{
    size_t n = 0, nl = strlen(needle);
    for (size_t i = 0; i + nl <= len; i++)
        if (memcmp(data + i, needle, nl) == 0)
            n++;
    return n;
}

static char *shared(const char *rel, size_t *len)
{
    char *path = ct_test_shared_path(rel), *data = NULL;
    if (!path)
        return NULL;
    assert_int_equal(ct_file_read_any(&data, len, path, (size_t)1 << 30), 0);
    ct_free(path);
    return data;
}

/* ---- KEV -------------------------------------------------------------------------------- */

typedef struct {
    size_t n, ransomware_known;
    ct_buf first;
} kev_tally;

static int on_kev(const ct_kev_entry *e, void *payload)
{
    kev_tally *t = payload;
    char added[32], due[32];
    if (t->n++ == 0) {
        ct_time_format(added, e->date_added);
        ct_time_format(due, e->due_date);
        ct_buf_printf(&t->first, "%s|%s|%s|%s|%s|%s|%s|%s|%.40s", e->cve_id, e->vendor_project,
                      e->product, e->vulnerability_name, added, due, e->known_ransomware,
                      e->cwes, e->notes);
    }
    assert_true(strncmp(e->cve_id, "CVE-", 4) == 0);
    assert_true(e->date_added != CT_TIME_NONE && e->due_date != CT_TIME_NONE);
    t->ransomware_known += strcmp(e->known_ransomware, "Known") == 0;
    return 0;
}

static void check_kev_file(const char *rel, bool json)
{
    size_t len = 0, expect;
    char *data = shared(rel, &len), *path = ct_test_shared_path(rel);
    kev_tally t = { 0, 0, CT_BUF_INIT };
    if (!data)
        skip();
    expect = json ? count_substr(data, len, "\"cveID\"") : count_line_prefix(data, len, "CVE-");
    assert_int_equal(ct_feed_read_kev_path(ct_feed_ctx, path, on_kev, &t), 0);
    assert_int_equal(t.n, expect);
    assert_int_equal(t.n, 1404);
    assert_string_equal(t.first.ptr,
                        "CVE-2025-48384|Git|Git|Git Link Following Vulnerability|"
                        "2025-08-25T00:00:00Z|2025-09-15T00:00:00Z|Unknown|CWE-59, CWE-436|"
                        "This vulnerability affects a common open");
    assert_true(t.ransomware_known > 0);
    ct_buf_dispose(&t.first);
    ct_free(data);
    ct_free(path);
}

static void test_kev__real_json(void **state)
{
    (void)state;
    check_kev_file("conformance/kev/known_exploited_vulnerabilities.json", true);
}

static void test_kev__real_csv(void **state)
{
    (void)state;
    check_kev_file("conformance/kev/known_exploited_vulnerabilities.csv", false);
}

static int read_kev_text(const char *text, kev_tally *t)
{
    return ct_feed_read_kev(ct_feed_ctx, text, strlen(text), "kev", on_kev, t);
}

static void test_kev__inline_and_errors(void **state)
{
    kev_tally t = { 0, 0, CT_BUF_INIT };
    const ct_error *e;
    (void)state;
    /* quoted fields with commas, doubled quotes, CRLF, optional columns absent */
    assert_int_equal(read_kev_text("cveID,vendorProject,product,vulnerabilityName,dateAdded,"
                                   "shortDescription,requiredAction,dueDate\r\n"
                                   "CVE-2024-0001,\"A, Inc.\",\"P \"\"x\"\"\",N,2024-01-02,"
                                   "d,r,2024-01-23\r\n",
                                   &t),
                     0);
    assert_int_equal(t.n, 1);
    assert_string_equal(t.first.ptr, "CVE-2024-0001|A, Inc.|P \"x\"|N|2024-01-02T00:00:00Z|"
                                     "2024-01-23T00:00:00Z|||");
    /* CSV: missing required column */
    assert_int_equal(read_kev_text("cveID,vendorProject\nCVE-2024-0001,x\n", &t), CT_EPARSE);
    e = ct_error_last();
    assert_int_equal(e->line, 1);
    assert_non_null(strstr(e->message, "product"));
    /* CSV: bad date on line 3 */
    assert_int_equal(read_kev_text("cveID,vendorProject,product,vulnerabilityName,dateAdded,"
                                   "shortDescription,requiredAction,dueDate\n"
                                   "CVE-2024-0001,v,p,n,2024-01-02,d,r,2024-01-23\n"
                                   "CVE-2024-0002,v,p,n,yesterday,d,r,2024-01-23\n",
                                   &t),
                     CT_EPARSE);
    e = ct_error_last();
    assert_int_equal(e->line, 3);
    assert_non_null(strstr(e->message, "dateAdded"));
    /* CSV: unterminated quote */
    assert_int_equal(read_kev_text("cveID,vendorProject,product,vulnerabilityName,dateAdded,"
                                   "shortDescription,requiredAction,dueDate\n"
                                   "CVE-2024-0001,\"v,p\n",
                                   &t),
                     CT_EPARSE);
    assert_int_equal(ct_error_last()->line, 2);
    /* JSON: a missing required field names the entry by JSON pointer */
    assert_int_equal(read_kev_text("{\"vulnerabilities\":[{\"cveID\":\"CVE-2024-0001\","
                                   "\"vendorProject\":\"v\",\"product\":\"p\","
                                   "\"vulnerabilityName\":\"n\",\"dateAdded\":\"2024-01-02\","
                                   "\"shortDescription\":\"d\",\"requiredAction\":\"r\"}]}",
                                   &t),
                     CT_EPARSE);
    e = ct_error_last();
    assert_non_null(strstr(e->message, "dueDate"));
    assert_string_equal(e->pointer, "/vulnerabilities/0");
    /* JSON: wrong type */
    assert_int_equal(read_kev_text("{\"vulnerabilities\":[{\"cveID\":7}]}", &t), CT_EPARSE);
    assert_string_equal(ct_error_last()->pointer, "/vulnerabilities/0/cveID");
    assert_int_equal(read_kev_text("{\"title\":\"x\"}", &t), CT_EPARSE);
    assert_int_equal(read_kev_text("[1]", &t), CT_EPARSE);
    ct_buf_dispose(&t.first);
}

/* ---- EPSS ------------------------------------------------------------------------------- */

typedef struct {
    size_t n;
    double first_epss, first_pct;
    char first_cve[32], model[64];
    ct_time date;
} epss_tally;

static int on_epss(const ct_epss_entry *e, void *payload)
{
    epss_tally *t = payload;
    if (t->n++ == 0) {
        snprintf(t->first_cve, sizeof t->first_cve, "%s", e->cve_id);
        snprintf(t->model, sizeof t->model, "%s", e->model_version);
        t->first_epss = e->epss;
        t->first_pct = e->percentile;
        t->date = e->score_date;
    }
    assert_true(e->epss >= 0 && e->epss <= 1 && e->percentile >= 0 && e->percentile <= 1);
    return 0;
}

static void test_epss__official_csv(void **state)
{
    const char *rel = "conformance/advisories/epss/vunnel-fixtures/example-1.csv";
    size_t len = 0;
    char *data = shared(rel, &len), *path = ct_test_shared_path(rel), when[32];
    epss_tally t;
    (void)state;
    if (!data)
        skip();
    memset(&t, 0, sizeof t);
    assert_int_equal(ct_feed_read_epss_path(ct_feed_ctx, path, on_epss, &t), 0);
    assert_int_equal(t.n, count_line_prefix(data, len, "CVE-"));
    assert_string_equal(t.first_cve, "CVE-1999-0001");
    assert_string_equal(t.model, "v2023.03.01");
    assert_true(fabs(t.first_epss - 0.00383) < 1e-12);
    assert_true(fabs(t.first_pct - 0.73075) < 1e-12);
    ct_time_format(when, t.date);
    assert_string_equal(when, "2025-02-20T00:00:00Z");
    ct_free(data);
    ct_free(path);
}

static void test_epss__semicolon_bulk(void **state)
{
    const char *rel = "conformance/advisories/epss/epss-first-api-via-emba.csv.gz";
    size_t len = 0, lines = 0;
    char *data = shared(rel, &len), *path = ct_test_shared_path(rel);
    epss_tally t;
    (void)state;
    if (!data)
        skip();
    memset(&t, 0, sizeof t);
    for (size_t i = 0; i < len; i++)
        lines += data[i] == '\n';
    lines += len && data[len - 1] != '\n';
    assert_int_equal(ct_feed_read_epss_path(ct_feed_ctx, path, on_epss, &t), 0);
    assert_int_equal(t.n, lines);
    assert_int_equal(t.n, 360142);
    assert_string_equal(t.first_cve, "CVE-1999-1593");
    assert_string_equal(t.model, "");
    assert_true(t.date == CT_TIME_NONE);
    assert_true(fabs(t.first_epss - 0.18126) < 1e-12);
    ct_free(data);
    ct_free(path);
}

static void expect_epss_error(const char *rel, uint32_t line, const char *msg)
{
    char *path = ct_test_shared_path(rel);
    epss_tally t;
    const ct_error *e;
    if (!path)
        skip();
    memset(&t, 0, sizeof t);
    assert_int_equal(ct_feed_read_epss_path(ct_feed_ctx, path, on_epss, &t), CT_EPARSE);
    e = ct_error_last();
    if (e->line != line || !strstr(e->message, msg) || strcmp(e->source, path) != 0)
        fail_msg("%s: expected line %u \"%s\", got %s", rel, line, msg, ct_error_format());
    assert_int_equal(t.n, 0);
    ct_free(path);
}

static void test_epss__malformed_fixtures(void **state)
{
    (void)state;
    expect_epss_error("conformance/advisories/epss/vunnel-fixtures/invalid-header.csv", 2,
                      "expected the header cve,epss,percentile");
    expect_epss_error("conformance/advisories/epss/vunnel-fixtures/missing-date.csv", 1,
                      "score_date");
}

static int read_epss_text(const char *text, epss_tally *t)
{
    memset(t, 0, sizeof *t);
    return ct_feed_read_epss(ct_feed_ctx, text, strlen(text), "epss", on_epss, t);
}

static void test_epss__inline_errors(void **state)
{
    epss_tally t;
    const ct_error *e;
    (void)state;
    assert_int_equal(read_epss_text("", &t), 0);
    assert_int_equal(t.n, 0);
    assert_int_equal(read_epss_text("cve,epss,percentile\r\nCVE-2024-1234,1,0.5\r\n\r\n", &t),
                     0);
    assert_int_equal(t.n, 1);
    assert_int_equal(read_epss_text("CVE-2024-1234;0.1;0.2\nCVE-2024-1235;1.5;0.2\n", &t),
                     CT_EPARSE);
    e = ct_error_last();
    assert_int_equal(e->line, 2);
    assert_int_equal(e->column, 15);
    assert_non_null(strstr(e->message, "invalid epss"));
    assert_int_equal(read_epss_text("CVE-2024-1234;0.1\n", &t), CT_EPARSE);
    assert_int_equal(ct_error_last()->line, 1);
    assert_int_equal(read_epss_text("cve,epss,percentile\nGHSA-1,0.1,0.2\n", &t), CT_EPARSE);
    assert_int_equal(ct_error_last()->line, 2);
    assert_int_equal(read_epss_text("cve,epss,percentile\nCVE-2024-1234,0.1,.\n", &t),
                     CT_EPARSE);
    assert_int_equal(read_epss_text("#model_version:v1,score_date:nope\ncve,epss,percentile\n",
                                    &t),
                     CT_EPARSE);
    assert_int_equal(ct_error_last()->line, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kev__real_json),
        cmocka_unit_test(test_kev__real_csv),
        cmocka_unit_test(test_kev__inline_and_errors),
        cmocka_unit_test(test_epss__official_csv),
        cmocka_unit_test(test_epss__semicolon_bulk),
        cmocka_unit_test(test_epss__malformed_fixtures),
        cmocka_unit_test(test_epss__inline_errors),
    };
    return cmocka_run_group_tests(tests, ct_feed_fixture_setup, ct_feed_fixture_teardown);
}

/* Unit tests for src/feed/csaf.c: all 50 csaf-real documents and the 2,383-document CISA bulk
 * read without error, one advisory per vulnerability (counted independently with json-c);
 * specific mappings exactly; the CSAF 2.0 examples and validator test documents never crash. */
#include "ct_feed_fixture.h"

#include "cratrace/feed.h"

#include <dirent.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
    size_t n, ranges, unmatchable, with_cvss, docs;
    char last_doc[256];
    ct_buf dump;
} collector;

static int collect(const ct_advisory *a, void *payload)
{
    collector *c = payload;
    ct_buf *d = &c->dump;
    c->n++;
    c->ranges += a->nranges;
    c->unmatchable += a->unmatchable;
    c->with_cvss += a->cvss != NULL;
    assert_non_null(a->id);
    assert_string_equal(a->source, "csaf");
    assert_int_equal(a->withdrawn, CT_TIME_NONE);
    assert_true(a->naliases >= 1 || strncmp(a->id, "CVE-", 4) == 0);
    /* documents: the tracking id (before '#', else the first alias) changes */
    {
        const char *hash = strchr(a->id, '#');
        const char *doc = a->naliases ? a->aliases[0] : a->id;
        size_t n = hash ? (size_t)(hash - a->id) : strlen(doc);
        if (hash)
            doc = a->id;
        if (n >= sizeof c->last_doc || strncmp(doc, c->last_doc, n) != 0 || c->last_doc[n]) {
            c->docs++;
            snprintf(c->last_doc, sizeof c->last_doc, "%.*s", (int)n, doc);
        }
    }
    if (c->n > 50 && !getenv("CT_CSAF_DUMP"))
        return 0;
    ct_buf_printf(d, "id=%s severity=%s cvss=%s unmatchable=%zu summary=%.40s\n", a->id,
                  a->severity ? a->severity : "-", a->cvss ? a->cvss : "-", a->unmatchable,
                  a->summary ? a->summary : "-");
    for (size_t i = 0; i < a->naliases; i++)
        ct_buf_printf(d, "  alias %s\n", a->aliases[i]);
    for (size_t i = 0; i < a->nranges; i++) {
        const ct_affected_range *r = &a->ranges[i];
        ct_buf_printf(d, "  %s|%s|%s|%s|%s\n", r->package, r->pkg_key, r->scheme, r->range_type,
                      r->vers);
    }
    return 0;
}

static void collector_init(collector *c)
{
    memset(c, 0, sizeof *c);
    c->dump = (ct_buf)CT_BUF_INIT;
}

static size_t count_vulns(json_object *doc)
{
    json_object *v;
    return json_object_object_get_ex(doc, "vulnerabilities", &v) &&
                   json_object_is_type(v, json_type_array)
               ? json_object_array_length(v)
               : 0;
}

static collector read_doc(const char *rel)
{
    collector c;
    collector_init(&c);
    ct_feed_fixture_read_shared(ct_feed_read_csaf_path, "csaf-real", rel, collect, &c);
    if (getenv("CT_CSAF_DUMP"))
        print_message("%s", c.dump.ptr);
    return c;
}

/* Every document listed in csaf-real/INDEX.tsv: as many advisories as vulnerabilities. */
static void test_csaf__real_all(void **state)
{
    char *index = ct_test_shared_path("conformance/advisories/csaf-real/INDEX.tsv");
    char *text = NULL, *line, *save = NULL;
    size_t len = 0, docs = 0, vulns = 0, n = 0;
    collector all;
    (void)state;
    if (!index)
        skip();
    assert_int_equal(ct_file_read_any(&text, &len, index, (size_t)1 << 20), 0);
    collector_init(&all);
    for (line = text; line && *line; line = save) {
        char *tab, *nl = strchr(line, '\n');
        save = nl ? nl + 1 : NULL;
        if (nl)
            *nl = '\0';
        tab = strchr(line, '\t');
        ct_buf rel = CT_BUF_INIT;
        char *path;
        json_object *o;
        if (!tab || strncmp(line, "file\t", 5) == 0)
            continue;
        *tab = '\0';
        ct_buf_printf(&rel, "conformance/advisories/csaf-real/%s", line);
        assert_non_null(path = ct_test_shared_path(rel.ptr));
        assert_non_null(o = json_object_from_file(path));
        vulns += count_vulns(o);
        json_object_put(o);
        n = all.n;
        if (ct_feed_read_csaf_path(ct_feed_ctx, path, collect, &all) != 0)
            fail_msg("%s", ct_error_format());
        assert_true(all.n >= n);
        docs++;
        ct_free(path);
        ct_buf_dispose(&rel);
    }
    print_message("csaf-real: %zu documents, %zu advisories, %zu ranges, %zu unmatchable, "
                  "%zu with CVSS\n",
                  docs, all.n, all.ranges, all.unmatchable, all.with_cvss);
    assert_int_equal(docs, 50);
    assert_int_equal(all.n, vulns);
    ct_buf_dispose(&all.dump);
    ct_free(text);
    ct_free(index);
}

/* The CISA bulk: every line a document, one advisory per vulnerability, well under 10 s. */
static void test_csaf__bulk(void **state)
{
    char *path =
        ct_test_shared_path("conformance/advisories/csaf-real/cisa/cisa-csaf-ot-it-all.jsonl.gz");
    char *data = NULL;
    size_t len = 0, lines = 0, vulns = 0, with_vulns = 0;
    collector c;
    double t0, dt;
    (void)state;
    if (!path)
        skip();
    assert_int_equal(ct_file_read_any(&data, &len, path, (size_t)1 << 30), 0);
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(data + i, '\n', len - i);
        size_t n = nl ? (size_t)(nl - (data + i)) : len - i;
        if (n) {
            json_object *o;
            char *one = ct_strndup(data + i, n);
            assert_non_null(one);
            assert_non_null(o = json_tokener_parse(one));
            lines++;
            vulns += count_vulns(o);
            with_vulns += count_vulns(o) > 0;
            json_object_put(o);
            ct_free(one);
        }
        i += n + 1;
    }
    collector_init(&c);
    t0 = ct_clock_mono();
    if (ct_feed_read_csaf(ct_feed_ctx, data, len, path, collect, &c) != 0)
        fail_msg("%s", ct_error_format());
    dt = ct_clock_mono() - t0;
    print_message("bulk: %zu documents, %zu advisories in %.2f s: %zu ranges, %zu unmatchable, "
                  "%zu with CVSS\n",
                  lines, c.n, dt, c.ranges, c.unmatchable, c.with_cvss);
    assert_int_equal(lines, 2383);
    assert_int_equal(c.n, vulns);
    assert_int_equal(c.docs, with_vulns);
    ct_buf_dispose(&c.dump);
    ct_free(data);
    ct_free(path);
}

/* CISA: vendor/product_name branches give the cpe-style key, product_version an exact
 * version, the range "all versions" every version, "fixed" 4.8.4 everything below it. */
static void test_csaf__cisa_versions(void **state)
{
    collector c = read_doc("cisa/IT/white/2024/va-24-201-01.json");
    (void)state;
    assert_non_null(strstr(c.dump.ptr,
                           "id=CVE-2023-45195 severity=MEDIUM "
                           "cvss=CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N unmatchable=0 "
                           "summary=Adminer and AdminerEvo SSRF\n"
                           "  alias VA-24-201-01\n"
                           "  AdminerEvo|cpe/adminerevo/adminerevo|generic|known_affected|"
                           "vers:generic/4.8.2\n"
                           "  AdminerEvo|cpe/adminerevo/adminerevo|generic|known_affected|"
                           "vers:generic/4.8.3\n"
                           "  Adminer|cpe/adminer/adminer|generic|known_affected|"
                           "vers:generic/*\n"
                           "  AdminerEvo|cpe/adminerevo/adminerevo|generic|fixed|"
                           "vers:generic/<4.8.4\n"));
    ct_buf_dispose(&c.dump);
}

/* Red Hat VEX: purl helper → purl package key, rpm scheme, epoch qualifier in the version;
 * "fixed" through a default_component_of relationship → affected below the fix. */
static void test_csaf__redhat_purl(void **state)
{
    collector c = read_doc("redhat/cve-2023-20593.json");
    (void)state;
    assert_int_equal(c.n, 1);
    assert_non_null(strstr(c.dump.ptr, "  alias 2217845\n"));
    /* Red Hat keys carry the RHEL major release (platform CPE / ".el7_9"; docs/feeds.md) */
    assert_non_null(strstr(c.dump.ptr, "\n  iwl1000-firmware|rpm/redhat/iwl1000-firmware?distro="
                                       "redhat-7|rpm|fixed/default_component_of|"
                                       "vers:rpm/<1:39.31.5.1-81.el7_9\n"));
    ct_buf_dispose(&c.dump);
}

static int read_text(const char *text, collector *c)
{
    collector_init(c);
    return ct_feed_read_csaf(ct_feed_ctx, text, strlen(text), "mem", collect, c);
}

static void test_csaf__inline(void **state)
{
    collector c;
    (void)state;
    assert_int_equal(
        read_text("{\"document\":{\"category\":\"csaf_security_advisory\",\"title\":\"Doc\","
                  "\"tracking\":{\"id\":\"ACME-2024-1\",\"current_release_date\":"
                  "\"2024-03-01T00:00:00Z\",\"initial_release_date\":\"2024-01-01T00:00:00Z\"}},"
                  "\"product_tree\":{\"branches\":[{\"category\":\"vendor\",\"name\":\"Acme\","
                  "\"branches\":[{\"category\":\"product_name\",\"name\":\"Lib\",\"branches\":["
                  "{\"category\":\"product_version_range\",\"name\":\"vers:npm/>=1.0.0|<1.4.2\","
                  "\"product\":{\"product_id\":\"P1\",\"name\":\"lib\","
                  "\"product_identification_helper\":{\"purl\":\"pkg:npm/%40acme/lib\"}}},"
                  "{\"category\":\"product_version\",\"name\":\"2.0\",\"product\":{"
                  "\"product_id\":\"P2\",\"name\":\"Lib 2.0\"}},"
                  "{\"category\":\"product_version_range\",\"name\":\"<= V3.1\",\"product\":{"
                  "\"product_id\":\"P3\",\"name\":\"Lib old\"}}]}]}],"
                  "\"full_product_names\":[{\"product_id\":\"P4\",\"name\":\"Box\","
                  "\"product_identification_helper\":{\"cpe\":"
                  "\"cpe:2.3:h:acme:box:5.1:*:*:*:*:*:*:*\"}}]},"
                  "\"vulnerabilities\":[{\"ids\":[{\"system_name\":\"x\",\"text\":\"X-7\"}],"
                  "\"notes\":[{\"category\":\"summary\",\"text\":\"Overflow\"}],"
                  "\"scores\":[{\"products\":[\"P1\"],\"cvss_v3\":{\"vectorString\":"
                  "\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"}}],"
                  "\"product_status\":{\"known_affected\":[\"P1\",\"P3\",\"P9\"],"
                  "\"first_affected\":[\"P2\"],\"last_affected\":[\"P4\"],"
                  "\"known_not_affected\":[\"P2\"]}}]}",
                  &c),
        0);
    assert_string_equal(c.dump.ptr,
                        "id=ACME-2024-1#1 severity=Critical "
                        "cvss=CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H unmatchable=2 "
                        "summary=Overflow\n"
                        "  alias ACME-2024-1\n"
                        "  alias X-7\n"
                        "  lib|npm/@acme/lib|npm|known_affected|vers:npm/>=1.0.0|<1.4.2\n"
                        "  Lib|cpe/acme/lib|generic|first_affected|vers:generic/>=2.0\n"
                        "  box|cpe/acme/box|generic|last_affected|vers:generic/<=5.1\n");
    ct_buf_dispose(&c.dump);
}

static void expect_error(const char *text, const char *pointer, const char *msg)
{
    ct_feed_fixture_expect_error(ct_feed_read_csaf, text, pointer, msg);
}

static void test_csaf__errors(void **state)
{
    (void)state;
    expect_error("{\"vulnerabilities\":[]}", "/document", "needs a document");
    expect_error("{\"document\":{}}", "/document/tracking", "tracking");
    expect_error("{\"document\":{\"tracking\":{\"id\":7}}}", "/document/tracking/id", "");
    expect_error("{\"document\":{\"tracking\":{\"id\":\"A\"}},\"vulnerabilities\":[1]}",
                 "/vulnerabilities/0", "JSON object");
    expect_error("{\"document\":{\"tracking\":{\"id\":\"A\",\"current_release_date\":\"x\"}},"
                 "\"vulnerabilities\":[{}]}",
                 "/document/tracking/current_release_date", "RFC 3339");
}

static int never_crash_cb(const ct_advisory *a, void *payload)
{
    (void)a;
    (*(size_t *)payload)++;
    return 0;
}

static void walk_never_crash(const char *dir, size_t *files, int depth)
{
    ct_buf full = CT_BUF_INIT;
    DIR *d = opendir(dir);
    struct dirent *e;
    if (!d || depth > 8) {
        if (d)
            closedir(d);
        return;
    }
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name), advs = 0;
        struct stat sb;
        if (e->d_name[0] == '.')
            continue;
        ct_buf_reset(&full);
        ct_buf_printf(&full, "%s/%s", dir, e->d_name);
        if (stat(full.ptr, &sb) == 0 && S_ISDIR(sb.st_mode)) {
            walk_never_crash(full.ptr, files, depth + 1);
            continue;
        }
        if (n < 5 || strcmp(e->d_name + n - 5, ".json") != 0)
            continue;
        (*files)++;
        if (ct_feed_read_csaf_path(ct_feed_ctx, full.ptr, never_crash_cb, &advs) != 0)
            assert_non_null(ct_error_format());
    }
    closedir(d);
    ct_buf_dispose(&full);
}

/* The OASIS CSAF 2.0 examples and validator test documents (valid and invalid): reading them
 * either succeeds or fails with an error, never crashes (run under ASan in CI). */
static void test_csaf__oasis_never_crash(void **state)
{
    char *dir = ct_test_shared_path("conformance/csaf/csaf_2.0");
    size_t files = 0;
    (void)state;
    if (!dir)
        skip();
    walk_never_crash(dir, &files, 0);
    print_message("oasis csaf_2.0: %zu JSON files read\n", files);
    assert_true(files > 100);
    ct_free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csaf__real_all),
        cmocka_unit_test(test_csaf__bulk),
        cmocka_unit_test(test_csaf__cisa_versions),
        cmocka_unit_test(test_csaf__redhat_purl),
        cmocka_unit_test(test_csaf__inline),
        cmocka_unit_test(test_csaf__errors),
        cmocka_unit_test(test_csaf__oasis_never_crash),
    };
    char *dir = ct_test_shared_path("conformance/advisories/csaf-real");
    if (!dir)
        return CT_TEST_SKIP;
    ct_free(dir);
    return cmocka_run_group_tests(tests, ct_feed_fixture_setup, ct_feed_fixture_teardown);
}

/* Distro-aware matching on real distribution data: the Debian security tracker JSON and DSA
 * list, the Alpine secdb v3.9 main YAML, the Wolfi secdb and one AlmaLinux OSV record
 * (ALSA-2024:0265, AlmaLinux:8 and :9), all from ../shared/conformance/advisories, against an
 * SBOM of deb/apk/rpm components with distro qualifiers. Exact findings; a patched package is
 * not vulnerable; another release is not matched; a component without a distro qualifier meets
 * no release-scoped data; a finding from another source on a package the distribution says is
 * fixed / not affected carries a "distro:<source>" statement, also when the distro data comes
 * last and `match` runs. CT_TEST_USES_STORE: runs on SQLite and PostgreSQL. */
#include "ct_store_fixture.h"

#include "cratrace/feed.h"
#include "cratrace/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *alsa_line; /* ALSA-2024:0265, cut once from the shared JSON-lines file */

static const char *const distro_files[] = {
    "conformance/advisories/distro/vunnel-fixtures/debian/debian.json",
    "conformance/advisories/distro/vunnel-fixtures/debian/DSA",
    "conformance/advisories/distro/vunnel-fixtures/wolfi/security.json",
    "conformance/advisories/distro/alpine-secdb/v3.9/main.yaml",
};

static bool have_data(void)
{
    for (size_t i = 0; i < CT_NELEM(distro_files); i++) {
        char *p = ct_test_shared_path(distro_files[i]);
        if (!p)
            return false;
        ct_free(p);
    }
    return alsa_line != NULL;
}

static void import_distro(ct_store_fixture *f)
{
    for (size_t i = 0; i < CT_NELEM(distro_files); i++) {
        char *p = ct_test_shared_path(distro_files[i]);
        ct_import_stats s;
        memset(&s, 0, sizeof s);
        assert_int_equal(ct_import_advisories_ex(f->st, p, "auto", &s), CT_OK);
        assert_true(s.records > 0);
        ct_free(p);
    }
    ct_store_fixture_import_advisories(f, "alsa.json", "auto", alsa_line);
}

/* Records from another source than the distribution: coarse ranges for Debian 9 that a
 * patched (CVE-2008-7220) or never affected (CVE-2007-2383) package falls into. */
static void import_upstream(ct_store_fixture *f)
{
    static const char rec[] =
        "{\"id\":\"CVE-2008-7220\",\"modified\":\"2024-01-01T00:00:00Z\",\"affected\":[{"
        "\"package\":{\"ecosystem\":\"Debian:9\",\"name\":\"prototypejs\"},\"ranges\":[{\"type\":"
        "\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"1.7.2\"}]}]}]}\n"
        "{\"id\":\"CVE-2007-2383\",\"modified\":\"2024-01-01T00:00:00Z\",\"affected\":[{"
        "\"package\":{\"ecosystem\":\"Debian:9\",\"name\":\"prototypejs\"},\"ranges\":[{\"type\":"
        "\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"1.7.2\"}]}]}]}\n";
    ct_store_fixture_import_advisories(f, "upstream.jsonl", "osv", rec);
}

#define PURL_PROTO_10 "pkg:deb/debian/libjs-prototype@1.5.0-1?distro=debian-10&upstream=prototypejs"
#define PURL_PROTO_9 "pkg:deb/debian/libjs-prototype@1.7.1-3?distro=debian-9&upstream=prototypejs"
#define PURL_PROTO_13 "pkg:deb/debian/libjs-prototype@1.5.0-1?distro=debian-13&upstream=prototypejs"
#define PURL_BB_OLD "pkg:apk/alpine/busybox@1.29.3-r9?distro=alpine-3.9.4"
#define PURL_BB_NEW "pkg:apk/alpine/busybox@1.29.3-r10?distro=alpine-3.9.4"
#define PURL_BB_NONE "pkg:apk/alpine/busybox@1.29.3-r9"
#define PURL_WOLFI "pkg:apk/wolfi/busybox@1.35.0-r2?distro=wolfi-20230201"
#define PURL_JAVA8 "pkg:rpm/almalinux/java-1.8.0-openjdk@1.8.0.392.b08-4.el8?epoch=1&distro=almalinux-8.9"
#define PURL_JAVA9 "pkg:rpm/almalinux/java-1.8.0-openjdk@1.8.0.402.b06-2.el9?epoch=1&distro=almalinux-9"
#define PURL_JAVA10 "pkg:rpm/almalinux/java-1.8.0-openjdk@1.8.0.392.b08-4.el8?epoch=1&distro=almalinux-10"

static void import_sbom(ct_store_fixture *f)
{
    static const char *const purls[] = { PURL_PROTO_10, PURL_PROTO_9, PURL_PROTO_13,
                                         PURL_BB_OLD,   PURL_BB_NEW,  PURL_BB_NONE,
                                         PURL_WOLFI,    PURL_JAVA8,   PURL_JAVA9,
                                         PURL_JAVA10 };
    ct_store_fixture_import_sbom(f, "1.0", purls, CT_NELEM(purls));
}

/* "purl advisory state [by justification]" lines, sorted. */
static char *findings_text(ct_store *st)
{
    return ct_store_fixture_findings(st, NULL, CT_FINDING_LINE_STATE);
}

/* Fail unless every finding is as expected (findings_text lines). */
static void expect_all(ct_store_fixture *f, const char *want)
{
    char *got = findings_text(f->st);
    assert_string_equal(got, want);
    ct_free(got);
}

/* The whole expected answer, derived by hand from the data files (see the comments). */
static const char expected[] =
    /* Alpine v3.9 main: busybox CVE-2018-20679 and CVE-2019-5747 fixed in 1.29.3-r10 */
    PURL_BB_OLD " ALPINE-v3.9-main-CVE-2018-20679 in_triage\n"
    PURL_BB_OLD " ALPINE-v3.9-main-CVE-2019-5747 in_triage\n"
    /* Wolfi: busybox CVE-2022-28391 and CVE-2022-30065 fixed in 1.35.0-r3 */
    PURL_WOLFI " WOLFI-CVE-2022-28391 in_triage\n"
    PURL_WOLFI " WOLFI-CVE-2022-30065 in_triage\n"
    /* Debian tracker: prototypejs CVE-2008-7220 in buster fixed in 1.6.0.2-1 */
    PURL_PROTO_10 " CVE-2008-7220 in_triage\n" /* identity with the other record: its ID */
    /* stretch: CVE-2007-2383 fixed_version "0", CVE-2008-7220 fixed in 1.6.0.2-1 */
    PURL_PROTO_9 " CVE-2007-2383 not_affected by distro:debian-tracker vulnerable_code_not_present\n"
    PURL_PROTO_9 " CVE-2008-7220 fixed by distro:debian-tracker\n"
    /* ALSA-2024:0265: AlmaLinux:8 java-1.8.0-openjdk fixed in 1:1.8.0.402.b06-2.el8 */
    PURL_JAVA8 " ALSA-2024:0265 in_triage\n";

static void test_distro__findings_exact_and_verdicts(void **state)
{
    ct_store_fixture *f = *state;
    if (!have_data())
        skip();
    import_distro(f);
    import_upstream(f);
    import_sbom(f);
    expect_all(f, expected);

    /* the statement names the record, its origin and the range; --explain shows it */
    ct_buf b = CT_BUF_INIT;
    assert_int_equal(ct_store_findings_json(&b, f->st, NULL, "fixed"), CT_OK);
    assert_non_null(strstr(b.ptr, "debian-tracker record DEBIAN-CVE-2008-7220"));
    assert_non_null(strstr(b.ptr, "debian.json"));
    assert_non_null(strstr(b.ptr, "vers:deb/<1.6.0.2-1"));
    ct_buf_dispose(&b);

    /* a full rematch gives the same answer (statements are kept, not duplicated) */
    ct_store_fixture_rematch(f);
    expect_all(f, expected);
}

/* Distro data imported after the other source's findings: `match` applies the verdicts. */
static void test_distro__verdict_after_rematch(void **state)
{
    ct_store_fixture *f = *state;
    if (!have_data())
        skip();
    import_upstream(f);
    import_sbom(f);
    char *got = findings_text(f->st);
    assert_string_equal(got, PURL_PROTO_9 " CVE-2007-2383 in_triage\n" PURL_PROTO_9
                             " CVE-2008-7220 in_triage\n");
    ct_free(got);
    import_distro(f);
    ct_store_fixture_rematch(f);
    expect_all(f, expected);
}

/* A distribution's own record for CVE-2008-7220 in Debian 9 (stretch) as OSV JSON (the form
 * of OSV's DEBIAN-CVE-* records), at a given modified time and fixed version (NULL: no fix). */
/* The same record, withdrawn at a time (or NULL), naming package (Debian 9 source package). */
static void import_debian_record_ex(ct_store_fixture *f, const char *modified, const char *fixed,
                                    const char *withdrawn, const char *package)
{
    ct_buf b = CT_BUF_INIT;
    ct_buf_printf(&b,
                  "{\"id\":\"DEBIAN-CVE-2008-7220\",\"aliases\":[\"CVE-2008-7220\"],"
                  "\"modified\":\"%s\",%s%s%s\"affected\":[{\"package\":{\"ecosystem\":"
                  "\"Debian:9\",\"name\":\"%s\"},\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":["
                  "{\"introduced\":\"0\"}%s%s%s]}]}]}\n",
                  modified, withdrawn ? "\"withdrawn\":\"" : "", withdrawn ? withdrawn : "",
                  withdrawn ? "\"," : "", package, fixed ? ",{\"fixed\":\"" : "",
                  fixed ? fixed : "", fixed ? "\"}" : "");
    ct_store_fixture_import_advisories(f, "debian-cve.jsonl", "osv", b.ptr);
    ct_buf_dispose(&b);
}

static void import_debian_record(ct_store_fixture *f, const char *modified, const char *fixed)
{
    import_debian_record_ex(f, modified, fixed, NULL, "prototypejs");
}

/* The findings of PURL_PROTO_9 only, as findings_text lines. */
static char *proto9_text(ct_store_fixture *f)
{
    char *all = findings_text(f->st);
    ct_buf b = CT_BUF_INIT;
    char *save = NULL;
    for (char *line = strtok_r(all, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
        if (strncmp(line, PURL_PROTO_9 " ", strlen(PURL_PROTO_9) + 1) == 0)
            ct_buf_printf(&b, "%s\n", line + strlen(PURL_PROTO_9) + 1);
    char *out = ct_strdup(b.len ? b.ptr : "");
    ct_buf_dispose(&b);
    ct_free(all);
    return out;
}

/* PURL_PROTO_9's two findings: both open, or CVE-2008-7220 fixed by the distribution's record */
#define PROTO9_OPEN "CVE-2007-2383 in_triage\nCVE-2008-7220 in_triage\n"
#define PROTO9_FIXED "CVE-2007-2383 in_triage\nCVE-2008-7220 fixed by distro:osv\n"

/* Fail unless the findings of PURL_PROTO_9 are want (proto9_text lines). */
static void expect_proto9(ct_store_fixture *f, const char *want)
{
    char *got = proto9_text(f);
    assert_string_equal(got, want);
    ct_free(got);
}

/* Fail when a "fixed" statement still names the record DEBIAN-CVE-2008-7220. */
static void expect_no_debian_statement(ct_store_fixture *f)
{
    ct_buf b = CT_BUF_INIT;
    assert_int_equal(ct_store_findings_json(&b, f->st, NULL, "fixed"), CT_OK);
    assert_null(strstr(b.ptr, "DEBIAN-CVE-2008-7220"));
    ct_buf_dispose(&b);
}

/* Distro data imported after the SBOM applies its verdicts on import, with no `match` run. */
static void test_distro__verdict_on_import_without_match(void **state)
{
    ct_store_fixture *f = *state;
    if (!have_data())
        skip();
    import_upstream(f);
    import_sbom(f);
    import_distro(f);
    expect_all(f, expected);
}

/* The distribution's data changes: a verdict it no longer supports is withdrawn (the finding is
 * open again, and the distribution's own record now matches), a fix added later brings it back;
 * a full rematch agrees at every step; a person's statement is never touched. */
static void test_distro__verdict_follows_distro_changes(void **state)
{
    ct_store_fixture *f = *state;
    if (!have_data())
        skip();
    import_upstream(f);
    import_sbom(f);
    expect_proto9(f, PROTO9_OPEN);

    /* fixed in 1.6.0.2-1: 1.7.1-3 is fixed */
    import_debian_record(f, "2024-02-01T00:00:00Z", "1.6.0.2-1");
    expect_proto9(f, PROTO9_FIXED);

    /* the fix is gone (unfixed in stretch): the verdict is withdrawn */
    import_debian_record(f, "2024-03-01T00:00:00Z", NULL);
    expect_proto9(f, PROTO9_OPEN);
    expect_no_debian_statement(f);
    ct_store_fixture_rematch(f);
    expect_proto9(f, PROTO9_OPEN);

    /* fixed again, in 1.7.0-1 this time: the verdict comes back, naming the new range */
    import_debian_record(f, "2024-04-01T00:00:00Z", "1.7.0-1");
    expect_proto9(f, PROTO9_FIXED);
    ct_buf b = CT_BUF_INIT;
    assert_int_equal(ct_store_findings_json(&b, f->st, NULL, "fixed"), CT_OK);
    assert_non_null(strstr(b.ptr, "vers:deb/<1.7.0-1"));
    assert_null(strstr(b.ptr, "vers:deb/<1.6.0.2-1"));
    ct_buf_dispose(&b);
    ct_store_fixture_rematch(f);
    expect_proto9(f, PROTO9_FIXED);
}

/* The distribution's record is withdrawn, or stops naming the package: the import itself
 * withdraws the verdict it supported (no `match` needed), a full rematch agrees, and the record
 * coming back restores it. */
static void test_distro__withdrawn_record_retracts_verdict_on_import(void **state)
{
    ct_store_fixture *f = *state;
    if (!have_data())
        skip();
    import_upstream(f);
    import_sbom(f);
    import_debian_record(f, "2024-02-01T00:00:00Z", "1.6.0.2-1");
    expect_proto9(f, PROTO9_FIXED);

    /* withdrawn: the finding is open again at once, the statement is gone */
    import_debian_record_ex(f, "2024-03-01T00:00:00Z", "1.6.0.2-1", "2024-03-01T00:00:00Z",
                            "prototypejs");
    expect_proto9(f, PROTO9_OPEN);
    expect_no_debian_statement(f);
    ct_store_fixture_rematch(f);
    expect_proto9(f, PROTO9_OPEN);

    /* back (no longer withdrawn): the verdict returns on import */
    import_debian_record(f, "2024-04-01T00:00:00Z", "1.6.0.2-1");
    expect_proto9(f, PROTO9_FIXED);

    /* the record now names another package only: nothing supports the verdict on prototypejs */
    import_debian_record_ex(f, "2024-05-01T00:00:00Z", "1.6.0.2-1", NULL, "prototypejs-other");
    expect_proto9(f, PROTO9_OPEN);
    ct_store_fixture_rematch(f);
    expect_proto9(f, PROTO9_OPEN);
}

/* Withdrawal through ct_store_advisory_put outside an import applies at once as well. */
static void test_distro__withdrawn_record_put_retracts_verdict(void **state)
{
    ct_store_fixture *f = *state;
    if (!have_data())
        skip();
    import_upstream(f);
    import_sbom(f);
    import_debian_record(f, "2024-02-01T00:00:00Z", "1.6.0.2-1");
    expect_proto9(f, PROTO9_FIXED);
    ct_advisory adv;
    char *aliases[] = { "CVE-2008-7220" };
    memset(&adv, 0, sizeof adv);
    adv.id = "DEBIAN-CVE-2008-7220";
    adv.aliases = aliases;
    adv.naliases = 1;
    adv.published = CT_TIME_NONE;
    assert_int_equal(ct_time_parse(&adv.modified, "2024-03-01T00:00:00Z", 20), CT_OK);
    adv.withdrawn = adv.modified;
    ct_advisory_put_result res;
    assert_int_equal(ct_store_begin(f->st), CT_OK);
    assert_int_equal(ct_store_advisory_put(&res, f->st, &adv, NULL), CT_OK);
    assert_int_equal(ct_store_commit(f->st), CT_OK);
    assert_int_equal(res, CT_ADV_UPDATED);
    expect_proto9(f, PROTO9_OPEN);
}

int main(void)
{
    if (!ct_test_backend_available())
        return CT_TEST_SKIP;
    alsa_line = ct_test_shared_line_with("conformance/advisories/osv/almalinux/osv-almalinux.jsonl.gz",
                          "\"id\": \"ALSA-2024:0265\"");
    if (!alsa_line)
        alsa_line = ct_test_shared_line_with("conformance/advisories/osv/almalinux/osv-almalinux.jsonl.gz",
                              "\"id\":\"ALSA-2024:0265\"");
    if (!alsa_line)
        fprintf(stderr, "test_distro_match: ../shared/conformance data absent: tests skip\n");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_distro__findings_exact_and_verdicts,
                                        ct_store_fixture_setup, ct_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_distro__verdict_after_rematch, ct_store_fixture_setup,
                                        ct_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_distro__verdict_on_import_without_match,
                                        ct_store_fixture_setup, ct_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_distro__verdict_follows_distro_changes,
                                        ct_store_fixture_setup, ct_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_distro__withdrawn_record_retracts_verdict_on_import,
                                        ct_store_fixture_setup, ct_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_distro__withdrawn_record_put_retracts_verdict,
                                        ct_store_fixture_setup, ct_store_fixture_teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    ct_free(alsa_line);
    return rc;
}

/* CSAF and CVE 5 ranges that name a distro package by purl are keyed like OSV distro ranges
 * (docs/feeds.md "Distributions"): in the release their platform (CSAF relationship, CVE 5
 * cpes) or their version's distro suffix names, and by source package, so a binary package
 * built from that source in that release meets them and another release does not. Hand-made
 * records whose answer is known (a distributor's CSAF for Debian 11 and 12, a CVE 5 record with
 * a Debian packageURL), the same facts as an OSV "Debian:12" record for comparison, and Red Hat's
 * real CSAF from ../shared/conformance/advisories/csaf-real (binary RPM purls, unscoped keys).
 * CT_TEST_USES_STORE: runs on SQLite and PostgreSQL. */
#include "ct_store_fixture.h"

#include "cratrace/feed.h"
#include "cratrace/store.h"

/* Debian binary packages built from openssl (and zlib) in three releases. */
#define SSL12_OLD "pkg:deb/debian/libssl3@3.0.11-1~deb12u1?distro=debian-12&upstream=openssl"
#define SSL12_NEW "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?distro=debian-12&upstream=openssl"
#define SSL11_OLD "pkg:deb/debian/libssl1.1@1.1.1n-0+deb11u5?distro=debian-11&upstream=openssl"
#define SSL13 "pkg:deb/debian/libssl3@3.0.9-1?distro=debian-13&upstream=openssl"
#define ZLIB12_OLD "pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?distro=debian-12&upstream=zlib"
#define ZLIB11_OLD "pkg:deb/debian/zlib1g@1:1.2.11.dfsg-2?distro=debian-11&upstream=zlib"

static const char *const debian_purls[] = { SSL12_OLD, SSL12_NEW, SSL11_OLD,
                                            SSL13,     ZLIB12_OLD, ZLIB11_OLD };

/* A distributor's CSAF: openssl fixed in Debian 12 (3.0.11-1~deb12u2) and Debian 11
 * (1.1.1w-1: no suffix, so only the relationship to the OS product and its CPE name the
 * release), each product put in its release by a relationship; zlib fixed in 1:1.2.13.dfsg-1+deb12u1, a product with no relationship, whose release
 * only the "+deb12u1" suffix names. */
static const char csaf_doc[] =
    "{\"document\":{\"category\":\"csaf_security_advisory\",\"csaf_version\":\"2.0\","
    "\"title\":\"openssl and zlib\",\"publisher\":{\"category\":\"vendor\",\"name\":\"Example "
    "distributor\",\"namespace\":\"https://example.org\"},\"tracking\":{\"id\":\"EX-2099-1\","
    "\"current_release_date\":\"2099-01-02T00:00:00Z\",\"initial_release_date\":"
    "\"2099-01-01T00:00:00Z\",\"status\":\"final\",\"version\":\"1\",\"revision_history\":[]}},"
    "\"product_tree\":{\"branches\":[{\"category\":\"vendor\",\"name\":\"Debian\",\"branches\":["
    "{\"category\":\"product_name\",\"name\":\"Debian 12\",\"product\":{\"name\":\"Debian 12\","
    "\"product_id\":\"deb12\",\"product_identification_helper\":{\"cpe\":"
    "\"cpe:/o:debian:debian_linux:12\"}}},"
    "{\"category\":\"product_name\",\"name\":\"Debian 11\",\"product\":{\"name\":\"Debian 11\","
    "\"product_id\":\"deb11\",\"product_identification_helper\":{\"cpe\":"
    "\"cpe:2.3:o:debian:debian_linux:11:*:*:*:*:*:*:*\"}}},"
    "{\"category\":\"product_version\",\"name\":\"openssl 3.0.11-1~deb12u2\",\"product\":{"
    "\"name\":\"openssl\",\"product_id\":\"ossl-12\",\"product_identification_helper\":{"
    "\"purl\":\"pkg:deb/debian/openssl@3.0.11-1~deb12u2\"}}},"
    "{\"category\":\"product_version\",\"name\":\"openssl 1.1.1w-1\",\"product\":{"
    "\"name\":\"openssl\",\"product_id\":\"ossl-11\",\"product_identification_helper\":{"
    "\"purl\":\"pkg:deb/debian/openssl@1.1.1w-1\"}}}]}],"
    "\"full_product_names\":[{\"name\":\"zlib\",\"product_id\":\"zlib-12\","
    "\"product_identification_helper\":{\"purl\":"
    "\"pkg:deb/debian/zlib@1:1.2.13.dfsg-1%2Bdeb12u1\"}}],"
    "\"relationships\":[{\"category\":\"default_component_of\",\"product_reference\":"
    "\"ossl-12\",\"relates_to_product_reference\":\"deb12\",\"full_product_name\":{\"name\":"
    "\"openssl in Debian 12\",\"product_id\":\"deb12:ossl\"}},{\"category\":"
    "\"default_component_of\",\"product_reference\":\"ossl-11\",\"relates_to_product_reference\":"
    "\"deb11\",\"full_product_name\":{\"name\":\"openssl in Debian 11\",\"product_id\":"
    "\"deb11:ossl\"}}]},"
    "\"vulnerabilities\":[{\"cve\":\"CVE-2099-1111\",\"product_status\":{\"fixed\":["
    "\"deb12:ossl\",\"deb11:ossl\"]}},{\"cve\":\"CVE-2099-3333\",\"product_status\":{"
    "\"fixed\":[\"zlib-12\"]}}]}";

/* Binary packages of openssl before the fix in 12 and 11; zlib before the fix in 12 only (the
 * record says nothing of 11); nothing in 13. */
static const char csaf_expected[] = SSL11_OLD " CVE-2099-1111\n" SSL12_OLD " CVE-2099-1111\n"
                                    ZLIB12_OLD " CVE-2099-3333\n";

static void test_distro_purl__csaf_keyed_by_release_and_source(void **state)
{
    ct_store_fixture *f = *state;
    ct_store_fixture_import_sbom(f, "1.0", debian_purls, CT_NELEM(debian_purls));
    ct_store_fixture_import_advisories(f, "ex.json", "csaf", csaf_doc);
    char *got = ct_store_fixture_findings(f->st, NULL, CT_FINDING_LINE_PURL_ADVISORY);
    assert_string_equal(got, csaf_expected);
    ct_free(got);
    /* a full rematch gives the same answer */
    ct_store_fixture_rematch(f);
    got = ct_store_fixture_findings(f->st, NULL, CT_FINDING_LINE_PURL_ADVISORY);
    assert_string_equal(got, csaf_expected);
    ct_free(got);
}

/* The same facts for openssl in Debian 12 as a CVE 5 record (packageURL + the OS in cpes) and
 * as an OSV "Debian:12" record: the same components match. */
static void test_distro_purl__cve5_same_as_osv(void **state)
{
    ct_store_fixture *f = *state;
    static const char cve5[] =
        "{\"dataType\":\"CVE_RECORD\",\"dataVersion\":\"5.1\",\"cveMetadata\":{\"cveId\":"
        "\"CVE-2099-2222\",\"assignerOrgId\":\"00000000-0000-4000-8000-000000000000\","
        "\"state\":\"PUBLISHED\",\"dateUpdated\":\"2099-01-01T00:00:00Z\"},\"containers\":{"
        "\"cna\":{\"providerMetadata\":{\"orgId\":\"00000000-0000-4000-8000-000000000000\"},"
        "\"descriptions\":[{\"lang\":\"en\",\"value\":\"test\"}],\"affected\":[{\"vendor\":"
        "\"Debian\",\"product\":\"openssl\",\"packageURL\":\"pkg:deb/debian/openssl\","
        "\"cpes\":[\"cpe:2.3:o:debian:debian_linux:12:*:*:*:*:*:*:*\"],\"defaultStatus\":"
        "\"unaffected\",\"versions\":[{\"version\":\"0\",\"lessThan\":\"3.0.11-1~deb12u2\","
        "\"status\":\"affected\",\"versionType\":\"deb\"}]}],\"references\":[{\"url\":"
        "\"https://example.org\"}]}}}";
    static const char osv[] =
        "{\"id\":\"DEBIAN-CVE-2099-4444\",\"modified\":\"2099-01-01T00:00:00Z\",\"affected\":[{"
        "\"package\":{\"ecosystem\":\"Debian:12\",\"name\":\"openssl\"},\"ranges\":[{\"type\":"
        "\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"3.0.11-1~deb12u2\"}]}]}]}\n";
    ct_store_fixture_import_sbom(f, "1.0", debian_purls, CT_NELEM(debian_purls));
    ct_store_fixture_import_advisories(f, "cve.json", "cve5", cve5);
    ct_store_fixture_import_advisories(f, "osv.jsonl", "osv", osv);
    char *got = ct_store_fixture_findings(f->st, NULL, CT_FINDING_LINE_PURL_ADVISORY);
    assert_string_equal(got, SSL12_OLD " CVE-2099-2222\n" SSL12_OLD " DEBIAN-CVE-2099-4444\n");
    ct_free(got);
}

/* Red Hat's own CSAF (CVE-2022-0001, fixed in kernel 4.18.0-372.9.1.el8 for RHEL 8): purls name
 * binary RPMs, keyed by name as RPM components are; a binary built before the fix matches, the
 * fixed build and another package do not. */
static void test_distro_purl__redhat_csaf_real(void **state)
{
    ct_store_fixture *f = *state;
    char *p = ct_test_shared_path("conformance/advisories/csaf-real/redhat/cve-2022-0001.json");
    if (!p)
        skip();
    static const char *const purls[] = {
        "pkg:rpm/redhat/bpftool@4.18.0-348.el8?arch=x86_64&distro=rhel-8.5",
        "pkg:rpm/redhat/bpftool@4.18.0-372.9.1.el8?arch=x86_64&distro=rhel-8.6",
        "pkg:rpm/redhat/kernel-core@4.18.0-305.el8?arch=x86_64&distro=rhel-8.4",
        "pkg:rpm/redhat/openssl-libs@1.1.1k-5.el8?arch=x86_64&distro=rhel-8.6",
    };
    ct_store_fixture_import_sbom(f, "1.0", purls, CT_NELEM(purls));
    int rc = ct_import_advisories_ex(f->st, p, "csaf", NULL);
    if (rc < 0)
        fail_msg("import: %s", ct_error_format());
    char *got = ct_store_fixture_findings(f->st, NULL, CT_FINDING_LINE_PURL_ADVISORY);
    assert_string_equal(got, "pkg:rpm/redhat/bpftool@4.18.0-348.el8?arch=x86_64&distro=rhel-8.5"
                             " CVE-2022-0001\n"
                             "pkg:rpm/redhat/kernel-core@4.18.0-305.el8?arch=x86_64&distro="
                             "rhel-8.4 CVE-2022-0001\n");
    ct_free(got);
    ct_free(p);
}

int main(void)
{
    if (!ct_test_backend_available())
        return CT_TEST_SKIP;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_distro_purl__csaf_keyed_by_release_and_source,
                                        ct_store_fixture_setup, ct_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_distro_purl__cve5_same_as_osv, ct_store_fixture_setup,
                                        ct_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_distro_purl__redhat_csaf_real, ct_store_fixture_setup,
                                        ct_store_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

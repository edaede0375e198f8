/* Unit tests for src/sbom/profile.c and profile_facts.c: the NTIA and BSI TR-03183-2 profiles
 * on real SBOMs from ../shared/conformance/sboms, each finding count checked against facts
 * counted here independently (a plain json-c walk or a line scan of the document), plus small
 * documents written here for the rules real SBOMs do not reach, and waivers. */
#include "ct_test.h"

#include "cratrace/sbom_profile.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

static char *sbom_root;

typedef struct {
    ct_ctx *ctx;
    char *data;
    size_t len;
    ct_sbom *sbom;
    ct_sbom_facts *facts;
    json_object *json; /* the document, for independent counts (JSON formats) */
} doc;

static void doc_load(doc *d, const char *rel)
{
    char path[4096];
    memset(d, 0, sizeof *d);
    snprintf(path, sizeof path, "%s/%s", sbom_root, rel);
    d->ctx = ct_test_ctx();
    if (ct_file_read(&d->data, &d->len, path, 64u << 20) < 0)
        fail_msg("%s: %s", path, ct_error_last()->message);
    if (ct_sbom_parse(&d->sbom, d->ctx, d->data, d->len, path) < 0)
        fail_msg("%s: %s", path, ct_error_last()->message);
    if (ct_sbom_facts_read(&d->facts, d->ctx, d->data, d->len, path) < 0)
        fail_msg("%s: facts: %s", path, ct_error_last()->message);
    d->json = json_tokener_parse(d->data);
}

static void doc_text(doc *d, const char *text)
{
    memset(d, 0, sizeof *d);
    d->ctx = ct_test_ctx();
    d->data = ct_strdup(text);
    d->len = strlen(text);
    if (ct_sbom_parse(&d->sbom, d->ctx, d->data, d->len, "inline") < 0)
        fail_msg("inline: %s", ct_error_last()->message);
    if (ct_sbom_facts_read(&d->facts, d->ctx, d->data, d->len, "inline") < 0)
        fail_msg("inline facts: %s", ct_error_last()->message);
    d->json = json_tokener_parse(d->data);
}

static void doc_free(doc *d)
{
    ct_sbom_facts_free(d->facts);
    ct_sbom_free(d->sbom);
    json_object_put(d->json);
    ct_free(d->data);
    ct_ctx_free(d->ctx);
}

static ct_sbom_profile_report *check(const doc *d, const char *profile,
                                     const ct_sbom_waiver *w, size_t nw)
{
    ct_sbom_profile_report *r = NULL;
    if (ct_sbom_profile_check(&r, d->sbom, d->facts, profile, w, nw) < 0)
        fail_msg("profile %s: %s", profile, ct_error_last()->message);
    /* the bookkeeping every report must satisfy */
    assert_int_equal(r->satisfied + r->failed + r->waived, r->checks);
    assert_int_equal(r->nfindings, r->failed + r->waived);
    assert_true(r->passed == (r->failed == 0));
    if (r->checks)
        assert_true(r->score == (double)r->satisfied / (double)r->checks);
    return r;
}

static size_t findings_of(const ct_sbom_profile_report *r, const char *field, bool document)
{
    size_t n = 0;
    for (size_t i = 0; i < r->nfindings; i++)
        if (strcmp(r->findings[i].field, field) == 0 &&
            (r->findings[i].component == NULL) == document)
            n++;
    return n;
}

/* ---- independent counts over CycloneDX JSON ------------------------------------------------ */

typedef bool (*comp_pred)(json_object *c, void *arg);

static size_t count_cdx(json_object *o, comp_pred pred, void *arg)
{
    json_object *arr;
    size_t n = 0;
    if (!json_object_object_get_ex(o, "components", &arr))
        return 0;
    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        json_object *c = json_object_array_get_idx(arr, i);
        n += (pred(c, arg) ? 1 : 0) + count_cdx(c, pred, arg);
    }
    return n;
}

static bool any(json_object *c, void *arg)
{
    (void)c;
    (void)arg;
    return true;
}

static bool no_version(json_object *c, void *arg)
{
    json_object *v;
    (void)arg;
    return !json_object_object_get_ex(c, "version", &v) || !json_object_get_string_len(v);
}

static bool no_supplier_name(json_object *c, void *arg)
{
    json_object *s, *n;
    (void)arg;
    return !json_object_object_get_ex(c, "supplier", &s) ||
           !json_object_object_get_ex(s, "name", &n) || !json_object_get_string_len(n);
}

static bool no_sha512(json_object *c, void *arg)
{
    json_object *hs;
    (void)arg;
    if (!json_object_object_get_ex(c, "hashes", &hs))
        return true;
    for (size_t i = 0; i < json_object_array_length(hs); i++) {
        json_object *h = json_object_array_get_idx(hs, i), *a, *v;
        if (json_object_object_get_ex(h, "alg", &a) && json_object_object_get_ex(h, "content", &v) &&
            strcmp(json_object_get_string(a), "SHA-512") == 0 &&
            json_object_get_string_len(v) == 128)
            return false;
    }
    return true;
}

/* its bom-ref has no entry in dependencies[] (arg: the dependencies array) */
static bool no_dep_entry(json_object *c, void *arg)
{
    json_object *deps = arg, *ref;
    if (!json_object_object_get_ex(c, "bom-ref", &ref))
        return true;
    for (size_t i = 0; deps && i < json_object_array_length(deps); i++) {
        json_object *r;
        if (json_object_object_get_ex(json_object_array_get_idx(deps, i), "ref", &r) &&
            strcmp(json_object_get_string(r), json_object_get_string(ref)) == 0)
            return false;
    }
    return true;
}

static const char *REDIS = "bom-shelter/in-the-wild/cyclonedx/redis-commander-sbom-cdx.json";
static const char *KAWIPIKO = "bom-shelter/in-the-wild/cyclonedx/kawipiko-sbom-cdx.json";

static void test_profile__ntia_cyclonedx_counts(void **state)
{
    doc d;
    (void)state;
    doc_load(&d, REDIS);
    ct_sbom_profile_report *r = check(&d, "ntia", NULL, 0);
    size_t n = count_cdx(d.json, any, NULL);
    assert_int_equal(d.sbom->ncomponents, n);
    assert_int_equal(r->checks, 2 + 5 * n);
    assert_int_equal(findings_of(r, "version", false), count_cdx(d.json, no_version, NULL));
    assert_int_equal(findings_of(r, "supplier", false),
                     count_cdx(d.json, no_supplier_name, NULL));
    assert_true(findings_of(r, "supplier", false) > 0); /* cyclonedx-npm names no suppliers */
    /* metadata.timestamp is there; no author is named (only a tool) */
    assert_int_equal(findings_of(r, "timestamp", true), 0);
    assert_int_equal(findings_of(r, "author", true), 1);
    assert_false(r->passed);
    for (size_t i = 0; i < r->nfindings; i++)
        assert_true(strncmp(r->findings[i].requirement, "SBOM-NTIA-", 10) == 0);
    ct_sbom_profile_report_free(r);
    doc_free(&d);
}

static void test_profile__bsi_cyclonedx_counts(void **state)
{
    doc d;
    json_object *deps = NULL;
    (void)state;
    doc_load(&d, KAWIPIKO);
    ct_sbom_profile_report *r = check(&d, "bsi", NULL, 0);
    json_object_object_get_ex(d.json, "dependencies", &deps);
    assert_int_equal(findings_of(r, "hash-sha512", false), count_cdx(d.json, no_sha512, NULL));
    assert_int_equal(findings_of(r, "dependencies", false),
                     count_cdx(d.json, no_dep_entry, deps));
    assert_int_equal(findings_of(r, "version", false), count_cdx(d.json, no_version, NULL));
    /* a 1.4 document: BSI TR-03183-2 v2.0.0 wants CycloneDX 1.5 or later */
    assert_int_equal(findings_of(r, "format", true), 1);
    /* no bsi:component:* properties in this document: every component fails each */
    assert_int_equal(findings_of(r, "executable", false), d.sbom->ncomponents);
    assert_int_equal(findings_of(r, "structured", false), d.sbom->ncomponents);
    assert_false(r->passed);
    assert_true(r->score > 0.0 && r->score < 1.0);
    ct_sbom_profile_report_free(r);
    doc_free(&d);
}

/* SPDX tag-value 2.3 (Kubernetes release SBOM): counts by a line scan of the document. */
static void test_profile__bsi_spdx_tag_value(void **state)
{
    doc d;
    size_t pkgs = 0, fnames = 0, versions = 0, fileless = 0;
    (void)state;
    doc_load(&d, "bom-shelter/in-the-wild/spdx/k8s-release-sbom.spdx");
    for (const char *p = d.data; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
        pkgs += strncmp(p, "PackageName:", 12) == 0;
        fnames += strncmp(p, "PackageFileName:", 16) == 0;
        versions += strncmp(p, "PackageVersion:", 15) == 0;
        fileless += strncmp(p, "PrimaryPackagePurpose: DEVICE", 29) == 0 ||
                    strncmp(p, "PrimaryPackagePurpose: PLATFORM", 31) == 0;
    }
    assert_int_equal(d.sbom->ncomponents, pkgs);
    ct_sbom_profile_report *r = check(&d, "bsi", NULL, 0);
    assert_int_equal(findings_of(r, "filename", false), pkgs - fnames);
    assert_int_equal(findings_of(r, "version", false), pkgs - versions);
    /* SPDX 2.3 has no place for the BSI properties: not applicable, so not counted */
    assert_int_equal(findings_of(r, "executable", false), 0);
    assert_int_equal(findings_of(r, "archive", false), 0);
    /* 4 document checks; per package 8 (11 component rules less the 3 properties), the
     * filename not asked of devices and platforms */
    assert_int_equal(r->checks, 4 + 8 * pkgs - fileless);
    assert_int_equal(findings_of(r, "timestamp", true), 0);
    assert_int_equal(findings_of(r, "format", true), 0);
    ct_sbom_profile_report_free(r);
    doc_free(&d);
}

/* SPDX JSON (Julia): packageFileName on 2 of 34 packages; creators without an email. */
static void test_profile__spdx_json_julia(void **state)
{
    doc d;
    json_object *pkgs;
    size_t n, with_fname = 0, no_version_n = 0;
    (void)state;
    doc_load(&d, "bom-shelter/in-the-wild/spdx/julia.spdx.json");
    assert_true(json_object_object_get_ex(d.json, "packages", &pkgs));
    n = json_object_array_length(pkgs);
    for (size_t i = 0; i < n; i++) {
        json_object *p = json_object_array_get_idx(pkgs, i), *v;
        with_fname += json_object_object_get_ex(p, "packageFileName", &v);
        no_version_n += !json_object_object_get_ex(p, "versionInfo", &v);
    }
    ct_sbom_profile_report *r = check(&d, "bsi", NULL, 0);
    assert_int_equal(findings_of(r, "filename", false), n - with_fname);
    assert_int_equal(findings_of(r, "version", false), no_version_n);
    /* "Organization: julialang.org ()": an author, but no email of the creator */
    assert_int_equal(findings_of(r, "creator", true), 1);
    ct_sbom_profile_report_free(r);
    r = check(&d, "ntia", NULL, 0);
    assert_int_equal(findings_of(r, "author", true), 0);
    assert_int_equal(findings_of(r, "version", false), no_version_n);
    ct_sbom_profile_report_free(r);
    doc_free(&d);
}

/* "Creator: Tool: ..." only: NTIA's author is missing, and the message says why. */
static void test_profile__tool_is_no_author(void **state)
{
    doc d;
    (void)state;
    doc_load(&d, "bom-shelter/in-the-wild/spdx/mqtt-client-sbom.spdx");
    ct_sbom_profile_report *r = check(&d, "ntia", NULL, 0);
    assert_int_equal(findings_of(r, "author", true), 1);
    assert_non_null(strstr(r->findings[0].message, "only a tool"));
    ct_sbom_profile_report_free(r);
    doc_free(&d);
}

/* A waiver per failing field (every component) makes the profile pass with the same score;
 * a component waiver covers exactly that component. */
static void test_profile__waivers(void **state)
{
    doc d;
    const char *fields[16];
    size_t nf = 0;
    ct_sbom_waiver w[17];
    (void)state;
    doc_load(&d, REDIS);
    ct_sbom_profile_report *base = check(&d, "ntia", NULL, 0);
    assert_true(base->failed > 0);
    for (size_t i = 0; i < base->nfindings; i++) {
        size_t k;
        for (k = 0; k < nf && strcmp(fields[k], base->findings[i].field) != 0; k++)
            ;
        if (k == nf && nf < CT_NELEM(fields))
            fields[nf++] = base->findings[i].field;
    }
    memset(w, 0, sizeof w);
    for (size_t k = 0; k < nf; k++) {
        w[k].id = (int64_t)k + 1;
        w[k].profile = (char *)(uintptr_t)"ntia";
        w[k].field = (char *)(uintptr_t)fields[k];
        w[k].reason = (char *)(uintptr_t)"accepted";
        w[k].actor = (char *)(uintptr_t)"tester";
    }
    /* a bsi waiver never applies to ntia */
    w[nf] = w[0];
    w[nf].profile = (char *)(uintptr_t)"bsi";
    ct_sbom_profile_report *all = check(&d, "ntia", w + nf, 1);
    assert_int_equal(all->waived, 0);
    ct_sbom_profile_report_free(all);
    all = check(&d, "ntia", w, nf);
    assert_true(all->passed);
    assert_int_equal(all->waived, base->failed);
    assert_true(all->score == base->score);
    for (size_t i = 0; i < all->nfindings; i++)
        assert_non_null(all->findings[i].waiver);
    ct_sbom_profile_report_free(all);

    /* one component: the first component finding */
    const ct_sbom_profile_finding *first = NULL;
    for (size_t i = 0; i < base->nfindings && !first; i++)
        if (base->findings[i].component)
            first = &base->findings[i];
    assert_non_null(first);
    ct_sbom_waiver one;
    memset(&one, 0, sizeof one);
    one.profile = (char *)(uintptr_t)"ntia";
    one.field = (char *)(uintptr_t)first->field;
    one.component = first->component;
    one.reason = (char *)(uintptr_t)"upstream gives none";
    one.actor = (char *)(uintptr_t)"tester";
    ct_sbom_profile_report *r = check(&d, "ntia", &one, 1);
    assert_int_equal(r->waived, 1);
    assert_int_equal(r->failed, base->failed - 1);
    for (size_t i = 0; i < r->nfindings; i++)
        if (r->findings[i].waiver)
            assert_string_equal(r->findings[i].component, first->component);
    ct_sbom_profile_report_free(r);
    ct_sbom_profile_report_free(base);
    doc_free(&d);
}

/* ---- documents written here for the remaining rules ---------------------------------------- */

#define SHA512_A                                                                                  \
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"                            \
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

static char *complete_cdx(const char *licence, const char *alg, const char *extra)
{
    ct_buf b = CT_BUF_INIT;
    ct_buf_printf(
        &b,
        "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"version\":1,"
        "\"metadata\":{\"timestamp\":\"2025-01-01T00:00:00Z\","
        "\"authors\":[{\"name\":\"Build Team\",\"email\":\"sbom@example.org\"}],"
        "\"component\":{\"type\":\"firmware\",\"name\":\"fw\",\"version\":\"1.0\"}},"
        "\"components\":[{\"type\":\"library\",\"bom-ref\":\"lib-a\",\"name\":\"liba\","
        "\"version\":\"2.1\",\"purl\":\"pkg:generic/liba@2.1\","
        "\"supplier\":{\"name\":\"A Corp\",\"url\":[\"https://a.example\"]},"
        "\"licenses\":[{\"expression\":\"%s\"}],"
        "\"hashes\":[{\"alg\":\"%s\",\"content\":\"" SHA512_A "\"}],"
        "\"properties\":[{\"name\":\"bsi:component:filename\",\"value\":\"liba.so.2\"},"
        "{\"name\":\"bsi:component:executable\",\"value\":\"executable\"},"
        "{\"name\":\"bsi:component:archive\",\"value\":\"no archive\"},"
        "{\"name\":\"bsi:component:structured\",\"value\":\"unstructured\"}]}],"
        "\"dependencies\":[{\"ref\":\"lib-a\",\"dependsOn\":[]}]%s}",
        licence, alg, extra);
    assert_false(b.failed);
    return ct_buf_detach(&b);
}

static void test_profile__bsi_complete_document_passes(void **state)
{
    doc d;
    (void)state;
    char *text = complete_cdx("(MIT OR Apache-2.0) AND GPL-2.0-or-later WITH Classpath-exception-2.0",
                              "SHA-512", "");
    doc_text(&d, text);
    ct_sbom_profile_report *r = check(&d, "bsi", NULL, 0);
    for (size_t i = 0; i < r->nfindings; i++)
        print_message("unexpected: %s %s\n", r->findings[i].field, r->findings[i].message);
    assert_true(r->passed);
    assert_int_equal(r->checks, 4 + 11);
    assert_true(r->score == 1.0);
    ct_sbom_profile_report_free(r);
    r = check(&d, "ntia", NULL, 0);
    assert_true(r->passed);
    assert_int_equal(r->checks, 2 + 5);
    ct_sbom_profile_report_free(r);
    doc_free(&d);
    ct_free(text);
}

static void test_profile__bsi_rules_fail_where_they_should(void **state)
{
    doc d;
    (void)state;
    char *text = complete_cdx("Apache License 2.0", "SHA-256",
                              ",\"vulnerabilities\":[{\"id\":\"CVE-2024-0001\"}]");
    doc_text(&d, text);
    ct_sbom_profile_report *r = check(&d, "bsi", NULL, 0);
    assert_int_equal(findings_of(r, "licenses", false), 1);
    assert_int_equal(findings_of(r, "hash-sha512", false), 1);
    assert_int_equal(findings_of(r, "no-vulnerabilities", true), 1);
    assert_int_equal(r->failed, 3);
    assert_false(r->passed);
    ct_sbom_profile_report_free(r);
    doc_free(&d);
    ct_free(text);

    /* licence expression grammar: dangling operators and unbalanced parentheses */
    static const char *const bad[] = { "MIT AND", "(MIT", "MIT)", "AND MIT", "MIT WITH",
                                       "MIT Apache-2.0" };
    for (size_t i = 0; i < CT_NELEM(bad); i++) {
        text = complete_cdx(bad[i], "SHA-512", "");
        doc_text(&d, text);
        r = check(&d, "bsi", NULL, 0);
        if (findings_of(r, "licenses", false) != 1)
            fail_msg("licence \"%s\" accepted", bad[i]);
        ct_sbom_profile_report_free(r);
        doc_free(&d);
        ct_free(text);
    }
}

/* Without facts (a model from the store) the fields only the document has fail, and say so. */
static void test_profile__no_facts_never_passes_silently(void **state)
{
    doc d;
    ct_sbom_profile_report *r = NULL;
    (void)state;
    char *text = complete_cdx("MIT", "SHA-512", "");
    doc_text(&d, text);
    assert_int_equal(ct_sbom_profile_check(&r, d.sbom, NULL, "bsi", NULL, 0), 0);
    assert_false(r->passed);
    assert_int_equal(findings_of(r, "timestamp", true), 1);
    assert_int_equal(findings_of(r, "creator", true), 1);
    assert_int_equal(findings_of(r, "filename", false), 1);
    assert_non_null(strstr(r->findings[0].message, "not available"));
    ct_sbom_profile_report_free(r);
    assert_true(ct_sbom_profile_check(&r, d.sbom, d.facts, "nope", NULL, 0) == CT_EINVAL);
    assert_null(r);
    doc_free(&d);
    ct_free(text);
}

/* SPDX tag-value written here: DEPENDS_ON NONE states "no dependencies", NOASSERTION does not;
 * the creator's email in parentheses is the BSI contact; a multi-line <text> is skipped. */
static void test_profile__spdx_tv_relationships(void **state)
{
    static const char tv[] =
        "SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\n"
        "DocumentName: t\nDocumentNamespace: https://example.org/t\n"
        "Creator: Organization: ACME (sbom@acme.example)\nCreator: Tool: gen-1\n"
        "Created: 2025-01-01T00:00:00Z\n"
        "DocumentComment: <text>PackageName: not-a-package\n"
        "PackageFileName: nope</text>\n\n"
        "PackageName: a\nSPDXID: SPDXRef-a\nPackageVersion: 1\n"
        "PackageDownloadLocation: NOASSERTION\nPackageFileName: a.tar.gz\n"
        "PackageSupplier: Organization: A (a@a.example)\n\n"
        "PackageName: b\nSPDXID: SPDXRef-b\nPackageVersion: 2\n"
        "PackageDownloadLocation: NOASSERTION\n\n"
        "Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-a\n"
        "Relationship: SPDXRef-a DEPENDS_ON NONE\n"
        "Relationship: SPDXRef-b DEPENDS_ON NOASSERTION\n";
    doc d;
    (void)state;
    doc_text(&d, tv);
    assert_int_equal(d.sbom->ncomponents, 2);
    assert_int_equal(d.facts->ncomponents, 2);
    assert_string_equal(d.facts->author_contact, "sbom@acme.example");
    ct_sbom_profile_report *r = check(&d, "bsi", NULL, 0);
    assert_int_equal(findings_of(r, "creator", true), 0);
    assert_int_equal(findings_of(r, "timestamp", true), 0);
    assert_int_equal(findings_of(r, "dependencies", false), 1);
    assert_int_equal(findings_of(r, "filename", false), 1);
    assert_int_equal(findings_of(r, "component-creator", false), 1);
    for (size_t i = 0; i < r->nfindings; i++)
        if (!strcmp(r->findings[i].field, "dependencies") ||
            !strcmp(r->findings[i].field, "filename") ||
            !strcmp(r->findings[i].field, "component-creator"))
            assert_string_equal(r->findings[i].component, "SPDXRef-b");
    ct_sbom_profile_report_free(r);
    doc_free(&d);
}

static void test_profile__fields(void **state)
{
    (void)state;
    assert_true(ct_sbom_profile_field_known("bsi", "hash-sha512"));
    assert_false(ct_sbom_profile_field_known("ntia", "hash-sha512"));
    assert_true(ct_sbom_profile_field_known("ntia", "supplier"));
    assert_null(ct_sbom_profile_fields("spdx"));
}

/* The same SBOM published as CycloneDX 1.4 JSON and XML (Laravel, bom-examples): both give the
 * same checks and the same findings, field by field. */
static void test_profile__xml_equals_json(void **state)
{
    static const char *const profiles[] = { "ntia", "bsi" };
    doc j, x;
    (void)state;
    doc_load(&j, "cyclonedx-bom-examples/SBOM/laravel-7.12.0/bom.1.4.json");
    doc_load(&x, "cyclonedx-bom-examples/SBOM/laravel-7.12.0/bom.1.4.xml");
    assert_string_equal(x.facts->format, "cyclonedx-xml");
    assert_int_equal(x.sbom->ncomponents, j.sbom->ncomponents);
    assert_true(j.sbom->ncomponents > 0);
    for (size_t p = 0; p < CT_NELEM(profiles); p++) {
        ct_sbom_profile_report *rj = check(&j, profiles[p], NULL, 0);
        ct_sbom_profile_report *rx = check(&x, profiles[p], NULL, 0);
        assert_int_equal(rx->checks, rj->checks);
        assert_int_equal(rx->nfindings, rj->nfindings);
        assert_true(rj->nfindings > 0);
        for (size_t i = 0; i < rj->nfindings; i++) {
            assert_string_equal(rx->findings[i].field, rj->findings[i].field);
            if (rj->findings[i].component)
                assert_string_equal(rx->findings[i].component, rj->findings[i].component);
        }
        ct_sbom_profile_report_free(rj);
        ct_sbom_profile_report_free(rx);
    }
    doc_free(&j);
    doc_free(&x);
}

/* CycloneDX XML written here with every BSI field: passes, like its JSON twin. */
static void test_profile__xml_complete_document_passes(void **state)
{
    static const char xml[] =
        "<?xml version=\"1.0\"?>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\" "
        "version=\"1\"><metadata><timestamp>2025-01-01T00:00:00Z</timestamp><authors><author>"
        "<name>Build</name><email>sbom@example.org</email></author></authors></metadata>"
        "<components><component type=\"library\" bom-ref=\"lib-a\"><supplier><name>A</name>"
        "<url>https://a.example</url></supplier><name>liba</name><version>2.1</version>"
        "<hashes><hash alg=\"SHA-512\">" SHA512_A "</hash></hashes><licenses><expression>MIT"
        "</expression></licenses><purl>pkg:generic/liba@2.1</purl><properties>"
        "<property name=\"bsi:component:filename\">liba.so</property>"
        "<property name=\"bsi:component:executable\">executable</property>"
        "<property name=\"bsi:component:archive\">no archive</property>"
        "<property name=\"bsi:component:structured\">unstructured</property></properties>"
        "</component></components><dependencies><dependency ref=\"lib-a\"/></dependencies>"
        "</bom>\n";
    doc d;
    (void)state;
    doc_text(&d, xml);
    ct_sbom_profile_report *r = check(&d, "bsi", NULL, 0);
    for (size_t i = 0; i < r->nfindings; i++)
        print_message("unexpected: %s %s\n", r->findings[i].field, r->findings[i].message);
    assert_true(r->passed);
    assert_int_equal(r->checks, 4 + 11);
    ct_sbom_profile_report_free(r);
    doc_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_profile__ntia_cyclonedx_counts),
        cmocka_unit_test(test_profile__bsi_cyclonedx_counts),
        cmocka_unit_test(test_profile__bsi_spdx_tag_value),
        cmocka_unit_test(test_profile__spdx_json_julia),
        cmocka_unit_test(test_profile__tool_is_no_author),
        cmocka_unit_test(test_profile__waivers),
        cmocka_unit_test(test_profile__bsi_complete_document_passes),
        cmocka_unit_test(test_profile__bsi_rules_fail_where_they_should),
        cmocka_unit_test(test_profile__no_facts_never_passes_silently),
        cmocka_unit_test(test_profile__spdx_tv_relationships),
        cmocka_unit_test(test_profile__fields),
        cmocka_unit_test(test_profile__xml_equals_json),
        cmocka_unit_test(test_profile__xml_complete_document_passes),
    };
    if (!(sbom_root = ct_test_shared_path("conformance/sboms"))) {
        printf("skipped: ../shared/conformance/sboms is absent\n");
        return CT_TEST_SKIP;
    }
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    ct_free(sbom_root);
    return rc;
}

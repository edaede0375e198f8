/* Tests for src/sbom/spdx_validate.c (SPDX 2.x validation through ct_sbom_validate_ex):
 * - every SPDX JSON document under ../shared/conformance/{spdx,sboms} gets the verdict of
 *   ../shared/oracles/spdx-validate (run on the same files, with the schema of the document's
 *   version), apart from the documented deliberate differences (docs/sbom-validate.md);
 * - every SPDX tag-value document there is valid, apart from the documented known-bad ones;
 * - the tools-java known-bad files are rejected for the right reason;
 * - mutations of the official 2.3 examples (JSON and tag-value) give the exact pointer / line;
 * - documents cratrace writes (spdx-json, spdx-tv, 2.2 and 2.3, from real CycloneDX SBOMs)
 *   validate clean here and (JSON) in spdx-validate.
 * Exit 77 when ../shared/conformance is absent; the oracle comparisons are skipped (with a
 * message) when the oracles are not installed. */
#include "ct_test.h"

#include "cratrace/sbom.h"
#include "cratrace/sbom_validate.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static ct_ctx *g_ctx;
static char *g_spdx;   /* ../shared/conformance/spdx */
static char *g_tmp;

/* ---- helpers ----------------------------------------------------------------------------- */

static ct_sbom_report *validate_text(const char *text, size_t len, const char *name)
{
    ct_sbom_report *r = NULL;
    assert_int_equal(ct_sbom_validate_ex(&r, g_ctx, text, len, name, NULL), 0);
    assert_non_null(r);
    return r;
}

static ct_sbom_report *validate_file(const char *path)
{
    size_t len;
    char *text = ct_test_read(path, &len);
    ct_sbom_report *r = validate_text(text, len, path);
    ct_free(text);
    return r;
}

static void print_report(const char *what, const ct_sbom_report *r)
{
    printf("  %s: %s %s %s (%zu errors)\n", what, r->format ? r->format : "?",
           r->spec_version ? r->spec_version : "?", r->valid ? "valid" : "INVALID", r->nerrors);
    for (size_t i = 0; i < r->nerrors && i < 8; i++)
        printf("    %s: %s\n", r->errors[i].location, r->errors[i].message);
}

/* The finding at exactly `where` whose message contains `needle`, or a test failure. */
static void expect_error(const ct_sbom_report *r, const char *where, const char *needle)
{
    for (size_t i = 0; i < r->nerrors; i++)
        if (strcmp(r->errors[i].location, where) == 0 && strstr(r->errors[i].message, needle))
            return;
    print_report("report", r);
    fail_msg("no error at %s containing \"%s\"", where, needle);
}

static bool is_spdx_json_file(const char *path)
{
    size_t len;
    char *t = ct_test_read(path, &len);
    bool yes = strstr(t, "\"spdxVersion\"") != NULL;
    ct_free(t);
    return yes;
}

/* Run argv (NULL-terminated) with SPDX_SCHEMA=schema when not NULL; stdout into out. */
static int run_capture(ct_buf *out, char *const argv[], const char *schema)
{
    int fd[2];
    if (pipe(fd) < 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        close(fd[0]);
        dup2(fd[1], 1);
        close(fd[1]);
        if (schema)
            setenv("SPDX_SCHEMA", schema, 1);
        execv(argv[0], argv);
        _exit(127);
    }
    close(fd[1]);
    char buf[8192];
    ssize_t n;
    while ((n = read(fd[0], buf, sizeof buf)) > 0)
        ct_buf_put(out, buf, (size_t)n);
    close(fd[0]);
    int st = 0;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Oracle verdicts for paths[0..n): valid_out[i]. The 2.3 schema (the oracle's default) for
 * "SPDX-2.3" files, tools-java's 2.2 schema for "SPDX-2.2" ones (schema22). */
static void oracle_verdicts(bool *valid_out, char **paths, size_t n, const char *schema)
{
    char *oracle = ct_test_shared_path("oracles/spdx-validate");
    char **argv = ct_calloc(n + 2, sizeof *argv);
    ct_buf out = CT_BUF_INIT;
    assert_non_null(oracle);
    argv[0] = oracle;
    for (size_t i = 0; i < n; i++)
        argv[i + 1] = paths[i];
    int rc = run_capture(&out, argv, schema);
    assert_true(rc == 0 || rc == 1);
    for (size_t i = 0; i < n; i++) {
        char ok[4200], bad[4200];
        snprintf(ok, sizeof ok, "OK %s\n", paths[i]);
        snprintf(bad, sizeof bad, "INVALID %s ", paths[i]);
        bool v = strstr(out.ptr, ok) != NULL, iv = strstr(out.ptr, bad) != NULL;
        if (v == iv)
            fail_msg("oracle gave no single verdict for %s:\n%s", paths[i], out.ptr);
        valid_out[i] = v;
    }
    ct_buf_dispose(&out);
    ct_free(argv);
    ct_free(oracle);
}

/* Deliberate differences from spdx-validate (docs/sbom-validate.md, "SPDX"). */
typedef struct {
    const char *suffix;
    bool ours_valid;
    const char *where, *needle; /* one finding we must report */
    const char *why;
} difference;

static const difference json_diffs[] = {
    { "tools-java/testResources/SPDXWrongVersion.spdx.json", false, "/spdxVersion",
      "unsupported spdxVersion \"SPDX-2.2.1\"",
      "spdx-validate does not read spdxVersion; tools-java rejects SPDX-2.2.1" },
    { "spdx-examples/software/example9/spdx2.2/appbomination.spdx.json", true, NULL, NULL,
      "2.2 referenceCategory PACKAGE-MANAGER (the 2.2 spec text's spelling; the 2.2 schema "
      "only has PACKAGE_MANAGER) is accepted" },
    { "in-the-wild/spdx/missionlz.spdx.json", false, "/packages/0/externalRefs/0/referenceLocator",
      "invalid purl \"https://github.com/actions/virtual-environments\"",
      "a purl external ref whose locator is a URL; spdx-validate does not check purls" },
};

static const difference *json_diff_for(const char *path)
{
    size_t pl = strlen(path);
    for (size_t i = 0; i < CT_NELEM(json_diffs); i++) {
        size_t sl = strlen(json_diffs[i].suffix);
        if (pl >= sl && strcmp(path + pl - sl, json_diffs[i].suffix) == 0)
            return &json_diffs[i];
    }
    return NULL;
}

static void collect_json(ct_test_files *fl)
{
    static const char *const json_ext[] = { ".json", NULL };
    ct_test_files all = CT_TEST_FILES_INIT;
    char *wild = ct_test_shared_path("conformance/sboms/bom-shelter/in-the-wild/spdx");
    ct_test_collect(&all, g_spdx, json_ext);
    if (wild)
        ct_test_collect(&all, wild, json_ext);
    for (size_t i = 0; i < all.n; i++) {
        if (strstr(all.paths[i], "schema") || !is_spdx_json_file(all.paths[i]))
            continue;
        if (fl->n == fl->cap) {
            fl->cap = fl->cap ? fl->cap * 2 : 64;
            fl->paths = ct_reallocarray(fl->paths, fl->cap, sizeof *fl->paths);
            assert_non_null(fl->paths);
        }
        fl->paths[fl->n++] = ct_strdup(all.paths[i]);
    }
    ct_test_files_free(&all);
    ct_free(wild);
}

/* ---- conformance: JSON ------------------------------------------------------------------- */

/* Every SPDX JSON document: our verdict equals the oracle's (schema of the document's own
 * version), except the documented differences, which must show the documented finding. */
static void test_spdx_validate__json_conformance_vs_oracle(void **state)
{
    ct_test_files fl = CT_TEST_FILES_INIT;
    (void)state;
    collect_json(&fl);
    assert_true(fl.n >= 25);
    bool *ours = ct_calloc(fl.n, sizeof *ours), *theirs = ct_calloc(fl.n, sizeof *theirs);
    bool have_oracle = ct_test_oracles_installed();
    char **p22 = ct_calloc(fl.n, sizeof *p22), **p23 = ct_calloc(fl.n, sizeof *p23);
    size_t *i22 = ct_calloc(fl.n, sizeof *i22), *i23 = ct_calloc(fl.n, sizeof *i23), n22 = 0,
           n23 = 0;
    size_t agree = 0, differ = 0;

    for (size_t i = 0; i < fl.n; i++) {
        ct_sbom_report *r = validate_file(fl.paths[i]);
        const difference *d = json_diff_for(fl.paths[i]);
        ours[i] = r->valid;
        assert_string_equal(r->format, "spdx-json");
        /* every SPDX example reads without error, except tools-java's three known-bad files */
        if (strncmp(fl.paths[i], g_spdx, strlen(g_spdx)) == 0 && !strstr(fl.paths[i], "BadJSON") &&
            !strstr(fl.paths[i], "rongVersion") && !strstr(fl.paths[i], "wrongversion")) {
            if (!r->valid)
                print_report(fl.paths[i], r);
            assert_true(r->valid);
        }
        if (d) {
            if (r->valid != d->ours_valid)
                print_report(fl.paths[i], r);
            assert_int_equal(r->valid, d->ours_valid);
            if (d->where)
                expect_error(r, d->where, d->needle);
        }
        /* a 2.2 document goes to the oracle with the 2.2 schema, everything else with 2.3 */
        if (r->spec_version && strcmp(r->spec_version, "2.2") == 0) {
            i22[n22] = i;
            p22[n22++] = fl.paths[i];
        } else {
            i23[n23] = i;
            p23[n23++] = fl.paths[i];
        }
        if (r->spec_version && (strcmp(r->spec_version, "2.2") == 0 ||
                                strcmp(r->spec_version, "2.3") == 0))
            assert_true(r->schema_checked); /* the official schema was used */
        ct_sbom_report_free(r);
    }
    if (!have_oracle) {
        printf("skipped: oracle comparison (run ../shared/oracles/install.sh)\n");
    } else {
        char *s22 = ct_test_shared_path("conformance/spdx/tools-java/resources/spdx-schema-v2.2.json");
        bool *v22 = ct_calloc(n22 + 1, sizeof *v22), *v23 = ct_calloc(n23 + 1, sizeof *v23);
        assert_non_null(s22);
        if (n22)
            oracle_verdicts(v22, p22, n22, s22);
        if (n23)
            oracle_verdicts(v23, p23, n23, NULL);
        for (size_t k = 0; k < n22; k++)
            theirs[i22[k]] = v22[k];
        for (size_t k = 0; k < n23; k++)
            theirs[i23[k]] = v23[k];
        for (size_t i = 0; i < fl.n; i++) {
            const difference *d = json_diff_for(fl.paths[i]);
            if (d) {
                differ++;
                printf("  documented difference: %s (ours %s, spdx-validate %s): %s\n",
                       fl.paths[i], ours[i] ? "valid" : "invalid",
                       theirs[i] ? "valid" : "invalid", d->why);
                continue;
            }
            if (ours[i] != theirs[i]) {
                ct_sbom_report *r = validate_file(fl.paths[i]);
                print_report(fl.paths[i], r);
                ct_sbom_report_free(r);
                fail_msg("%s: cratrace says %s, spdx-validate says %s", fl.paths[i],
                         ours[i] ? "valid" : "invalid", theirs[i] ? "valid" : "invalid");
            }
            agree++;
        }
        printf("  %zu SPDX JSON documents: %zu agree with spdx-validate, %zu documented "
               "differences\n",
               fl.n, agree, differ);
        ct_free(v22);
        ct_free(v23);
        ct_free(s22);
    }
    ct_free(ours);
    ct_free(theirs);
    ct_free(p22);
    ct_free(p23);
    ct_free(i22);
    ct_free(i23);
    ct_test_files_free(&fl);
}

/* The known-bad tools-java files and the scraped PowerShell SBOM fail for their reason. */
static void test_spdx_validate__known_bad_json(void **state)
{
    ct_sbom_report *r;
    char *p;
    (void)state;
    p = ct_test_shared_path("conformance/spdx/tools-java/testResources/BadJSON.spdx.json");
    assert_non_null(p);
    r = validate_file(p);
    assert_false(r->valid);
    expect_error(r, "/creationInfo/creators", "expected array, found string");
    expect_error(r, "/packages/0/filesAnalyzed", "expected boolean, found string");
    expect_error(r, "/packages/0/fileName", "not allowed here");
    ct_sbom_report_free(r);
    ct_free(p);
    /* 2.3 content labelled SPDX-2.2: the 2.2 schema has no primaryPackagePurpose */
    p = ct_test_shared_path(
        "conformance/spdx/tools-java/testResources/SPDXJSONExample-wrongversion.spdx.json");
    assert_non_null(p);
    r = validate_file(p);
    assert_false(r->valid);
    assert_string_equal(r->spec_version, "2.2");
    expect_error(r, "/packages/0/primaryPackagePurpose", "not allowed here in SPDX 2.2");
    ct_sbom_report_free(r);
    ct_free(p);
    if ((p = ct_test_shared_path(
             "conformance/sboms/bom-shelter/in-the-wild/spdx/powershell-2.2.6.spdx.json"))) {
        r = validate_file(p);
        assert_false(r->valid);
        assert_int_equal(r->nerrors, 1);
        assert_non_null(strstr(r->errors[0].message, "JSON"));
        ct_sbom_report_free(r);
        ct_free(p);
    }
    if ((p = ct_test_shared_path(
             "conformance/sboms/bom-shelter/in-the-wild/spdx/flux_0.26.3_sbom.spdx.json"))) {
        r = validate_file(p);
        assert_false(r->valid);
        expect_error(r, "/files/0/name", "not allowed here in SPDX 2.2");
        expect_error(r, "/files/0/checksums/0/algorithm", "\"sha256\" is not allowed here");
        ct_sbom_report_free(r);
        ct_free(p);
    }
}

/* ---- conformance: tag-value -------------------------------------------------------------- */

typedef struct {
    const char *suffix;
    const char *needle; /* in one finding */
} tv_bad;

/* Tag-value documents we reject (docs/sbom-validate.md lists why). */
static const tv_bad tv_known_bad[] = {
    { "in-the-wild/spdx/usbutils.spdx", "\"describes\" is not an SPDX relationship type" },
    { "in-the-wild/spdx/fatbom-sbom.spdx", "lacks the required tag Created" },
    { "in-the-wild/spdx/vast-sbom.spdx", "lacks the required tag Creator" },
};

static void test_spdx_validate__tag_value_conformance(void **state)
{
    static const char *const tv_ext[] = { ".spdx", NULL };
    ct_test_files fl = CT_TEST_FILES_INIT;
    char *wild = ct_test_shared_path("conformance/sboms/bom-shelter/in-the-wild/spdx");
    size_t nvalid = 0;
    (void)state;
    ct_test_collect(&fl, g_spdx, tv_ext);
    if (wild)
        ct_test_collect(&fl, wild, tv_ext);
    assert_true(fl.n >= 20);
    for (size_t i = 0; i < fl.n; i++) {
        ct_sbom_report *r = validate_file(fl.paths[i]);
        const tv_bad *bad = NULL;
        size_t pl = strlen(fl.paths[i]);
        for (size_t k = 0; k < CT_NELEM(tv_known_bad); k++) {
            size_t sl = strlen(tv_known_bad[k].suffix);
            if (pl >= sl && strcmp(fl.paths[i] + pl - sl, tv_known_bad[k].suffix) == 0)
                bad = &tv_known_bad[k];
        }
        assert_string_equal(r->format, "spdx-tv");
        if (bad) {
            bool found = false;
            assert_false(r->valid);
            for (size_t e = 0; e < r->nerrors; e++)
                found |= strstr(r->errors[e].message, bad->needle) != NULL;
            if (!found)
                print_report(fl.paths[i], r);
            assert_true(found);
        } else {
            if (!r->valid)
                print_report(fl.paths[i], r);
            assert_true(r->valid);
            nvalid++;
        }
        ct_sbom_report_free(r);
    }
    printf("  %zu tag-value documents, %zu valid\n", fl.n, nvalid);
    ct_test_files_free(&fl);
    ct_free(wild);
}

/* ---- mutations: JSON --------------------------------------------------------------------- */

typedef void (*mutate_fn)(json_object *root);

static json_object *at(json_object *o, const char *key, int idx)
{
    json_object *m = NULL;
    assert_true(json_object_object_get_ex(o, key, &m));
    if (idx >= 0) {
        assert_true(json_object_is_type(m, json_type_array));
        m = json_object_array_get_idx(m, (size_t)idx);
        assert_non_null(m);
    }
    return m;
}

static void m_no_name(json_object *r) { json_object_object_del(r, "name"); }
static void m_no_pkg_download(json_object *r)
{
    json_object_object_del(at(r, "packages", 1), "downloadLocation");
}
static void m_bad_rel_type(json_object *r)
{
    json_object_object_add(at(r, "relationships", 2), "relationshipType",
                           json_object_new_string("DEPENDS_ONN"));
}
static void m_bad_alg(json_object *r)
{
    json_object *c = json_object_array_get_idx(at(at(r, "packages", 0), "checksums", -1), 0);
    json_object_object_add(c, "algorithm", json_object_new_string("SHA-256"));
}
static void m_bad_category(json_object *r)
{
    json_object *e = json_object_array_get_idx(at(at(r, "packages", 0), "externalRefs", -1), 0);
    json_object_object_add(e, "referenceCategory", json_object_new_string("PACKAGE MANAGER"));
}
static void m_bad_purpose(json_object *r)
{
    json_object_object_add(at(r, "packages", 0), "primaryPackagePurpose",
                           json_object_new_string("OPERATING-SYSTEM"));
}
static void m_bad_annotation(json_object *r)
{
    json_object_object_add(at(r, "annotations", 0), "annotationType",
                           json_object_new_string("NOTE"));
}
static void m_files_analyzed_string(json_object *r)
{
    json_object_object_add(at(r, "packages", 0), "filesAnalyzed",
                           json_object_new_string("true"));
}
static void m_extra_member(json_object *r)
{
    json_object_object_add(at(r, "creationInfo", -1), "tool", json_object_new_string("x"));
}
static void m_creators_empty(json_object *r)
{
    json_object_object_add(at(r, "creationInfo", -1), "creators", json_object_new_array());
}
static void m_dangling_rel(json_object *r)
{
    json_object_object_add(at(r, "relationships", 1), "relatedSpdxElement",
                           json_object_new_string("SPDXRef-nowhere"));
}
static void m_dangling_describes(json_object *r)
{
    json_object_array_put_idx(at(r, "documentDescribes", -1), 0,
                              json_object_new_string("SPDXRef-Missing"));
}
static void m_dup_spdxid(json_object *r)
{
    /* a new file with package 0's SPDXID (nothing else changes) */
    json_object *f = NULL, *files = at(r, "files", -1);
    json_object_deep_copy(json_object_array_get_idx(files, 0), &f, NULL);
    json_object_object_add(f, "SPDXID", json_object_get(at(at(r, "packages", 0), "SPDXID", -1)));
    json_object_array_add(files, f);
}
static void m_bad_spdxid(json_object *r)
{
    json_object_object_add(at(r, "snippets", 0), "SPDXID",
                           json_object_new_string("SPDXRef-snip_1"));
}
static void m_bad_purl(json_object *r)
{
    /* a third external ref: a purl without a name */
    json_object *e = json_object_new_object();
    json_object_object_add(e, "referenceCategory", json_object_new_string("PACKAGE-MANAGER"));
    json_object_object_add(e, "referenceType", json_object_new_string("purl"));
    json_object_object_add(e, "referenceLocator", json_object_new_string("pkg:maven/@1.0"));
    json_object_array_add(at(at(r, "packages", 0), "externalRefs", -1), e);
}
static void m_bad_licence(json_object *r)
{
    json_object_object_add(at(r, "packages", 0), "licenseDeclared",
                           json_object_new_string("MIT AND (Apache-2.0"));
}
static void m_bad_checksum_len(json_object *r)
{
    json_object *c = json_object_array_get_idx(at(at(r, "files", 0), "checksums", -1), 0);
    json_object_object_add(c, "checksumValue", json_object_new_string("d6a770ba38583ed4bb4525bd"));
}
static void m_bad_created(json_object *r)
{
    json_object_object_add(at(r, "creationInfo", -1), "created",
                           json_object_new_string("2010-01-29 18:30:22"));
}
/* SPDX 2.3 §6.9 gives Created as YYYY-MM-DDThh:mm:ssZ: no fractional seconds (as syft writes
 * them); the schema types it as a plain string, so spdx-validate accepts it (docs/sbom-validate.md) */
static void m_fraction_created(json_object *r)
{
    json_object_object_add(at(r, "creationInfo", -1), "created",
                           json_object_new_string("2023-01-01T00:00:00.123Z"));
}
static void m_bad_data_licence(json_object *r)
{
    json_object_object_add(r, "dataLicense", json_object_new_string("CC-BY-4.0"));
}

typedef struct {
    const char *what;
    mutate_fn fn;
    const char *where, *needle;
    bool structural; /* the JSON schema (and so spdx-validate) rejects it too */
} mutation;

static const mutation json_mutations[] = {
    { "remove required name", m_no_name, "/", "missing required member \"name\"", true },
    { "remove package downloadLocation", m_no_pkg_download, "/packages/1",
      "missing required member \"downloadLocation\"", true },
    { "wrong relationship type", m_bad_rel_type, "/relationships/2/relationshipType",
      "\"DEPENDS_ONN\" is not allowed here", true },
    { "wrong checksum algorithm", m_bad_alg, "/packages/0/checksums/0/algorithm",
      "\"SHA-256\" is not allowed here", true },
    { "wrong external ref category", m_bad_category,
      "/packages/0/externalRefs/0/referenceCategory", "\"PACKAGE MANAGER\" is not allowed", true },
    { "wrong primaryPackagePurpose", m_bad_purpose, "/packages/0/primaryPackagePurpose",
      "\"OPERATING-SYSTEM\" is not allowed here", true },
    { "wrong annotation type", m_bad_annotation, "/annotations/0/annotationType",
      "\"NOTE\" is not allowed here", true },
    { "wrong type", m_files_analyzed_string, "/packages/0/filesAnalyzed",
      "expected boolean, found string", true },
    { "additional member", m_extra_member, "/creationInfo/tool",
      "member \"tool\" is not allowed here in SPDX 2.3", true },
    { "empty creators", m_creators_empty, "/creationInfo/creators",
      "expected at least 1 item, found 0", true },
    { "dangling relationship", m_dangling_rel, "/relationships/1/relatedSpdxElement",
      "\"SPDXRef-nowhere\" names no element", false },
    { "dangling documentDescribes", m_dangling_describes, "/documentDescribes/0",
      "\"SPDXRef-Missing\" names no element", false },
    { "duplicate SPDXID", m_dup_spdxid, "/files/5/SPDXID",
      "duplicate SPDXID \"SPDXRef-Package\" (first at /packages/0/SPDXID)", false },
    { "bad SPDXID", m_bad_spdxid, "/snippets/0/SPDXID", "is not an SPDX identifier", false },
    { "bad purl", m_bad_purl, "/packages/0/externalRefs/2/referenceLocator",
      "invalid purl \"pkg:maven/@1.0\"", false },
    { "bad licence", m_bad_licence, "/packages/0/licenseDeclared",
      "\"MIT AND (Apache-2.0\" is not a valid SPDX licence expression", false },
    { "checksum length", m_bad_checksum_len, "/files/0/checksums/0/checksumValue",
      "has 40 hex digits, found 24", false },
    { "created date", m_bad_created, "/creationInfo/created", "YYYY-MM-DDThh:mm:ssZ", false },
    { "created with fractional seconds", m_fraction_created, "/creationInfo/created",
      "YYYY-MM-DDThh:mm:ssZ", false },
    { "dataLicense", m_bad_data_licence, "/dataLicense", "must be \"CC0-1.0\"", false },
};

static void test_spdx_validate__json_mutations(void **state)
{
    char *path = ct_test_shared_path("conformance/spdx/spdx-spec/examples/SPDXJSONExample-v2.3.spdx.json");
    size_t len;
    char *text;
    bool have_oracle = ct_test_oracles_installed();
    char *files[CT_NELEM(json_mutations)] = { NULL };
    (void)state;
    assert_non_null(path);
    text = ct_test_read(path, &len);
    {
        ct_sbom_report *r = validate_text(text, len, path);
        if (!r->valid)
            print_report(path, r);
        assert_true(r->valid); /* the base document is clean */
        ct_sbom_report_free(r);
    }
    for (size_t i = 0; i < CT_NELEM(json_mutations); i++) {
        const mutation *m = &json_mutations[i];
        json_object *root = json_tokener_parse(text);
        assert_non_null(root);
        m->fn(root);
        const char *out = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY);
        ct_sbom_report *r = validate_text(out, strlen(out), m->what);
        assert_false(r->valid);
        expect_error(r, m->where, m->needle);
        /* a semantic mutation must not disturb the structure; a structural one is reported
         * once (no cascade) */
        if (r->nerrors != 1)
            print_report(m->what, r);
        assert_int_equal(r->nerrors, 1);
        if (have_oracle) {
            char name[64];
            snprintf(name, sizeof name, "mut%zu.spdx.json", i);
            files[i] = ct_test_write_file(g_tmp, name, out);
        }
        ct_sbom_report_free(r);
        json_object_put(root);
    }
    /* spdx-validate (one call for all) rejects exactly the structural mutations */
    if (have_oracle) {
        bool v[CT_NELEM(json_mutations)];
        oracle_verdicts(v, files, CT_NELEM(json_mutations), NULL);
        for (size_t i = 0; i < CT_NELEM(json_mutations); i++) {
            if (v[i] == json_mutations[i].structural)
                fail_msg("%s: spdx-validate says %s", json_mutations[i].what,
                         v[i] ? "valid" : "invalid");
            ct_free(files[i]);
        }
    } else {
        printf("skipped: spdx-validate on the mutations (oracles not installed)\n");
    }
    ct_free(text);
    ct_free(path);
}

/* Without the schema files (no_schema) the built-in rules still catch the structural
 * mutations, at the same pointer. */
static void test_spdx_validate__builtin_rules(void **state)
{
    char *path = ct_test_shared_path("conformance/spdx/spdx-spec/examples/SPDXJSONExample-v2.3.spdx.json");
    ct_sbom_validate_options o = CT_SBOM_VALIDATE_OPTIONS_INIT;
    size_t len;
    char *text;
    (void)state;
    o.no_schema = true;
    assert_non_null(path);
    text = ct_test_read(path, &len);
    {
        ct_sbom_report *r = NULL;
        assert_int_equal(ct_sbom_validate_ex(&r, g_ctx, text, len, path, &o), 0);
        if (!r->valid)
            print_report(path, r);
        assert_true(r->valid);
        assert_false(r->schema_checked);
        ct_sbom_report_free(r);
    }
    for (size_t i = 0; i < CT_NELEM(json_mutations); i++) {
        const mutation *m = &json_mutations[i];
        if (m->fn == m_extra_member) /* additionalProperties come from the schema file only */
            continue;
        json_object *root = json_tokener_parse(text);
        m->fn(root);
        const char *out = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN);
        ct_sbom_report *r = NULL;
        assert_int_equal(ct_sbom_validate_ex(&r, g_ctx, out, strlen(out), m->what, &o), 0);
        if (r->valid)
            printf("  built-in rules miss: %s\n", m->what);
        assert_false(r->valid);
        expect_error(r, m->where, m->needle);
        ct_sbom_report_free(r);
        json_object_put(root);
    }
    ct_free(text);
    ct_free(path);
}

/* ---- mutations: tag-value ---------------------------------------------------------------- */

/* Line number (1-based) of the first line starting with prefix, or 0. */
static size_t line_of(const char *text, const char *prefix)
{
    size_t line = 1, pl = strlen(prefix);
    for (const char *p = text; *p; line++) {
        if (strncmp(p, prefix, pl) == 0)
            return line;
        const char *nl = strchr(p, '\n');
        if (!nl)
            break;
        p = nl + 1;
    }
    return 0;
}

/* text with the first line starting with `prefix` replaced by `repl` (NULL: deleted). NEW. */
static char *replace_line(const char *text, const char *prefix, const char *repl)
{
    size_t ln = line_of(text, prefix);
    const char *p = text;
    ct_buf b = CT_BUF_INIT;
    assert_true(ln > 0);
    for (size_t l = 1; l < ln; l++)
        p = strchr(p, '\n') + 1;
    ct_buf_put(&b, text, (size_t)(p - text));
    if (repl) {
        ct_buf_puts(&b, repl);
        ct_buf_putc(&b, '\n');
    }
    const char *nl = strchr(p, '\n');
    ct_buf_puts(&b, nl ? nl + 1 : "");
    return ct_buf_detach(&b);
}

static void test_spdx_validate__tag_value_mutations(void **state)
{
    char *path = ct_test_shared_path("conformance/spdx/spdx-spec/examples/SPDXTagExample-v2.3.spdx");
    size_t len;
    char *text, *m, where[32];
    ct_sbom_report *r;
    (void)state;
    assert_non_null(path);
    text = ct_test_read(path, &len);
    r = validate_text(text, len, path);
    if (!r->valid)
        print_report(path, r);
    assert_true(r->valid);
    assert_string_equal(r->spec_version, "2.3");
    ct_sbom_report_free(r);

    struct {
        const char *prefix, *repl; /* the line changed */
        const char *at_prefix;     /* the line of the error (NULL: the changed line) */
        const char *needle;
    } cases[] = {
        { "DocumentName:", NULL, "SPDXVersion:", "lacks the required tag DocumentName" },
        { "PackageDownloadLocation:", NULL, "PackageName:",
          "lacks the required tag PackageDownloadLocation" },
        { "Relationship: SPDXRef-DOCUMENT DESCRIBES", "Relationship: SPDXRef-DOCUMENT DESCRIBE SPDXRef-File",
          NULL, "\"DESCRIBE\" is not an SPDX relationship type" },
        { "Relationship: SPDXRef-DOCUMENT DESCRIBES",
          "Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-Nope", NULL,
          "\"SPDXRef-Nope\" names no element" },
        { "PackageChecksum: SHA1", "PackageChecksum: SHA1: 85ed0817af83a24ad8da68c2b5094de69833983",
          NULL, "a SHA1 checksum has 40 hex digits, found 39" },
        { "PackageChecksum: SHA1", "PackageChecksum: SHA-1: 85ed0817af83a24ad8da68c2b5094de69833983c",
          NULL, "with a known algorithm" },
        { "PackageLicenseDeclared:", "PackageLicenseDeclared: (LGPL-2.0-only AND", NULL,
          "not a valid SPDX licence expression" },
        { "ExternalRef: PACKAGE-MANAGER purl", "ExternalRef: PACKAGE-MANAGER purl pkg:/x", NULL,
          "invalid purl" },
        { "ExternalRef: SECURITY", "ExternalRef: SECURE cpe23Type cpe:2.3:a:x:y:1:*:*:*:*:*:*:*",
          NULL, "ExternalRef category \"SECURE\"" },
        { "Created:", "Created: 2010-02-03", NULL, "YYYY-MM-DDThh:mm:ssZ" },
        { "FileType:", "FileType: SOURCECODE", NULL, "FileType \"SOURCECODE\"" },
        { "PrimaryPackagePurpose:", "PrimaryPackagePurpose: APP", NULL,
          "PrimaryPackagePurpose \"APP\"" },
        { "DataLicense:", "DataLicens: CC0-1.0", NULL, "unknown tag \"DataLicens\"" },
        { "PackageVersion:", "PackageVersion: 1\nPackageVersion: 2", NULL,
          "PackageVersion repeated" },
        { "SPDXID: SPDXRef-DOCUMENT", "SPDXID: SPDXRef-DOCUMENT_1", NULL,
          "is not an SPDX identifier" },
    };
    for (size_t i = 0; i < CT_NELEM(cases); i++) {
        size_t changed = line_of(text, cases[i].prefix), errline;
        m = replace_line(text, cases[i].prefix, cases[i].repl);
        if (cases[i].at_prefix)
            errline = line_of(m, cases[i].at_prefix);
        else
            errline = changed + (strchr(cases[i].repl, '\n') ? 1 : 0);
        assert_true(errline > 0);
        r = validate_text(m, strlen(m), cases[i].needle);
        snprintf(where, sizeof where, "line %zu", errline);
        expect_error(r, where, cases[i].needle);
        ct_sbom_report_free(r);
        ct_free(m);
    }
    /* a duplicate SPDXID: the second package gets the first one's id */
    {
        size_t first = line_of(text, "SPDXID: SPDXRef-Package");
        const char *p = text;
        for (size_t l = 1; l < first; l++)
            p = strchr(p, '\n') + 1;
        char id[128];
        sscanf(p, "SPDXID: %127s", id);
        m = replace_line(text, "SPDXID: SPDXRef-fromDoap", NULL);
        size_t ln = line_of(text, "SPDXID: SPDXRef-fromDoap");
        char *m2 = NULL;
        {
            ct_buf b = CT_BUF_INIT;
            ct_buf_printf(&b, "SPDXID: %s", id);
            m2 = replace_line(text, "SPDXID: SPDXRef-fromDoap", b.ptr);
            ct_buf_dispose(&b);
        }
        r = validate_text(m2, strlen(m2), "dup");
        snprintf(where, sizeof where, "line %zu", ln);
        expect_error(r, where, "duplicate SPDXID");
        ct_sbom_report_free(r);
        ct_free(m2);
        ct_free(m);
    }
    ct_free(text);
    ct_free(path);
}

/* ---- what cratrace writes ---------------------------------------------------------------- */

static void test_spdx_validate__written_documents(void **state)
{
    static const char *const ext[] = { ".json", NULL };
    ct_test_files fl = CT_TEST_FILES_INIT;
    char *dir = ct_test_shared_path("conformance/sboms/bom-shelter/in-the-wild/cyclonedx");
    char **written = NULL;
    size_t nwritten = 0, cap = 0, ndocs = 0;
    static const char *const specs[] = { "2.2", "2.3" };
    (void)state;
    if (!dir) {
        printf("skipped: no in-the-wild CycloneDX SBOMs\n");
        return;
    }
    ct_test_collect(&fl, dir, ext);
    for (size_t i = 0; i < fl.n; i++) {
        size_t len;
        char *text = ct_test_read(fl.paths[i], &len);
        ct_sbom *s = NULL;
        if (ct_sbom_parse(&s, g_ctx, text, len, fl.paths[i]) < 0) {
            ct_free(text);
            continue;
        }
        ndocs++;
        for (size_t k = 0; k < CT_NELEM(specs); k++)
            for (int tv = 0; tv < 2; tv++) {
                ct_buf out = CT_BUF_INIT;
                ct_sbom_write_options o = CT_SBOM_WRITE_OPTIONS_INIT;
                o.spec_version = specs[k];
                o.created = ct_time_from_civil(2025, 1, 2, 3, 4, 5);
                assert_true(ct_sbom_write_ex(&out, s, tv ? "spdx-tv" : "spdx-json", &o) >= 0);
                ct_sbom_report *r = validate_text(out.ptr, out.len, fl.paths[i]);
                if (!r->valid)
                    print_report(fl.paths[i], r);
                assert_true(r->valid);
                assert_string_equal(r->format, tv ? "spdx-tv" : "spdx-json");
                assert_string_equal(r->spec_version, specs[k]);
                ct_sbom_report_free(r);
                if (!tv) {
                    char name[64];
                    snprintf(name, sizeof name, "w%zu-%s.spdx.json", i, specs[k]);
                    if (nwritten == cap) {
                        cap = cap ? cap * 2 : 16;
                        written = ct_reallocarray(written, cap, sizeof *written);
                    }
                    written[nwritten++] = ct_test_write_file(g_tmp, name, out.ptr);
                }
                ct_buf_dispose(&out);
            }
        ct_sbom_free(s);
        ct_free(text);
    }
    assert_true(ndocs >= 3);
    if (ct_test_oracles_installed() && nwritten) {
        bool *v = ct_calloc(nwritten, sizeof *v);
        char *s22 = ct_test_shared_path("conformance/spdx/tools-java/resources/spdx-schema-v2.2.json");
        char **p22 = ct_calloc(nwritten, sizeof *p22), **p23 = ct_calloc(nwritten, sizeof *p23);
        size_t n22 = 0, n23 = 0;
        for (size_t i = 0; i < nwritten; i++) {
            if (strstr(written[i], "-2.2."))
                p22[n22++] = written[i];
            else
                p23[n23++] = written[i];
        }
        oracle_verdicts(v, p22, n22, s22);
        for (size_t i = 0; i < n22; i++)
            if (!v[i])
                fail_msg("spdx-validate (2.2 schema) rejects %s", p22[i]);
        oracle_verdicts(v, p23, n23, NULL);
        for (size_t i = 0; i < n23; i++)
            if (!v[i])
                fail_msg("spdx-validate rejects %s", p23[i]);
        printf("  %zu written SPDX JSON documents (from %zu SBOMs) valid in spdx-validate\n",
               nwritten, ndocs);
        ct_free(v);
        ct_free(s22);
        ct_free(p22);
        ct_free(p23);
    } else {
        printf("skipped: spdx-validate on written documents (oracles not installed)\n");
    }
    for (size_t i = 0; i < nwritten; i++)
        ct_free(written[i]);
    ct_free(written);
    ct_test_files_free(&fl);
    ct_free(dir);
}

/* Small hand-written documents: version checks and reports on the edges. */
static void test_spdx_validate__edges(void **state)
{
    static const char tv21[] =
        "SPDXVersion: SPDX-2.1\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\n"
        "DocumentName: d\nDocumentNamespace: https://example.com/d\n"
        "Creator: Tool: t\nCreated: 2020-01-01T00:00:00Z\n\n"
        "PackageName: p\nSPDXID: SPDXRef-p\nPackageDownloadLocation: NOASSERTION\n"
        "PrimaryPackagePurpose: LIBRARY\n"
        "Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-p\n"
        "Relationship: SPDXRef-DOCUMENT AMENDS DocumentRef-x:SPDXRef-y\n";
    static const char json22[] =
        "{\"spdxVersion\":\"SPDX-2.2\",\"SPDXID\":\"SPDXRef-DOCUMENT\",\"name\":\"d\","
        "\"dataLicense\":\"CC0-1.0\",\"documentNamespace\":\"https://example.com/d\","
        "\"creationInfo\":{\"created\":\"2020-01-01T00:00:00Z\",\"creators\":[\"Tool: t\"]},"
        "\"packages\":[{\"SPDXID\":\"SPDXRef-p\",\"name\":\"p\",\"downloadLocation\":\"NONE\","
        "\"licenseConcluded\":\"NOASSERTION\",\"licenseDeclared\":\"MIT OR Apache-2.0\","
        "\"copyrightText\":\"NONE\"}],"
        "\"relationships\":[{\"spdxElementId\":\"SPDXRef-DOCUMENT\",\"relationshipType\":"
        "\"DESCRIBES\",\"relatedSpdxElement\":\"SPDXRef-p\"}]}";
    ct_sbom_report *r;
    (void)state;
    r = validate_text(tv21, strlen(tv21), "tv21");
    assert_string_equal(r->format, "spdx-tv");
    assert_string_equal(r->spec_version, "2.1");
    expect_error(r, "line 12", "PrimaryPackagePurpose is new in SPDX 2.3");
    expect_error(r, "line 14", "relationship type AMENDS is new in SPDX 2.3");
    assert_int_equal(r->nerrors, 2);
    ct_sbom_report_free(r);
    r = validate_text(json22, strlen(json22), "json22");
    if (!r->valid)
        print_report("json22", r);
    assert_true(r->valid);
    assert_string_equal(r->spec_version, "2.2");
    ct_sbom_report_free(r);
    /* the 2.2 schema requires licenseConcluded, licenseDeclared and copyrightText */
    {
        char *m = ct_strdup(json22);
        char *p = strstr(m, "\"copyrightText\":\"NONE\"");
        memcpy(p, "\"copyrightTexx\"", 15);
        r = validate_text(m, strlen(m), "json22b");
        expect_error(r, "/packages/0", "missing required member \"copyrightText\"");
        expect_error(r, "/packages/0/copyrightTexx", "not allowed here in SPDX 2.2");
        ct_sbom_report_free(r);
        ct_free(m);
    }
    /* not JSON after all */
    r = validate_text("{\"spdxVersion\": \"SPDX-2.3\",", 27, "trunc");
    assert_false(r->valid);
    assert_int_equal(r->nerrors, 1);
    assert_string_equal(r->format, "spdx-json");
    ct_sbom_report_free(r);
    /* an unterminated <text> */
    r = validate_text("SPDXVersion: SPDX-2.3\nDocumentComment: <text>x\n", 46, "text");
    expect_error(r, "line 2", "<text> without </text>");
    ct_sbom_report_free(r);
}

/* References before and after the definitions they name, NONE / NOASSERTION, external
 * DocumentRefs and a repeated SPDXID (spdx9: references to ids defined before them are no
 * longer kept, the defined ids are hashed as they come): the findings and their order, from
 * ct_sbom_validate_ex and ct_sbom_parse_validate alike, and the model the latter reads (its
 * packages' members come from the validator's look-ups). */
static void test_spdx_validate__references_in_document_order(void **state)
{
    static const char doc[] =
        "{\"spdxVersion\":\"SPDX-2.3\",\"SPDXID\":\"SPDXRef-DOCUMENT\",\"name\":\"d\","
        "\"dataLicense\":\"CC0-1.0\",\"documentNamespace\":\"https://example.com/d\","
        "\"creationInfo\":{\"created\":\"2020-01-01T00:00:00Z\",\"creators\":[\"Tool: t\"]},"
        "\"documentDescribes\":[\"SPDXRef-b\",\"SPDXRef-gone1\"],\"relationships\":["
        "{\"spdxElementId\":\"SPDXRef-DOCUMENT\",\"relationshipType\":\"DESCRIBES\","
        "\"relatedSpdxElement\":\"SPDXRef-a\"},"
        "{\"spdxElementId\":\"SPDXRef-a\",\"relationshipType\":\"DEPENDS_ON\","
        "\"relatedSpdxElement\":\"NONE\"},"
        "{\"spdxElementId\":\"SPDXRef-a\",\"relationshipType\":\"DEPENDS_ON\","
        "\"relatedSpdxElement\":\"NOASSERTION\"},"
        "{\"spdxElementId\":\"SPDXRef-a\",\"relationshipType\":\"DEPENDS_ON\","
        "\"relatedSpdxElement\":\"DocumentRef-x:SPDXRef-y\"},"
        "{\"spdxElementId\":\"SPDXRef-a\",\"relationshipType\":\"DEPENDS_ON\","
        "\"relatedSpdxElement\":\"DocumentRef-x:nope\"},"
        "{\"spdxElementId\":\"SPDXRef-gone2\",\"relationshipType\":\"DEPENDS_ON\","
        "\"relatedSpdxElement\":\"SPDXRef-b\"}],\"packages\":["
        "{\"SPDXID\":\"SPDXRef-a\",\"name\":\"a\",\"downloadLocation\":\"NONE\","
        "\"versionInfo\":\"1\",\"name\":\"a1\"},"
        "{\"SPDXID\":\"SPDXRef-b\",\"name\":\"b\",\"downloadLocation\":\"NONE\"},"
        "{\"SPDXID\":\"SPDXRef-a\",\"name\":\"a2\",\"downloadLocation\":\"NONE\"}]}";
    static const char *const expect[][2] = {
        { "/packages/2/SPDXID", "duplicate SPDXID \"SPDXRef-a\" (first at /packages/0/SPDXID)" },
        { "/documentDescribes/1",
          "\"SPDXRef-gone1\" names no element of this document (no such SPDXID)" },
        { "/relationships/4/relatedSpdxElement",
          "\"DocumentRef-x:nope\": expected DocumentRef-<id>:SPDXRef-<id>" },
        { "/relationships/5/spdxElementId",
          "\"SPDXRef-gone2\" names no element of this document (no such SPDXID)" },
    };
    ct_sbom_report *r = validate_text(doc, sizeof doc - 1, "refs"), *r2 = NULL;
    ct_sbom *s = NULL;
    (void)state;
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) {
            assert_int_equal(ct_sbom_parse_validate(&s, &r2, g_ctx, doc, sizeof doc - 1, "refs",
                                                    NULL),
                             0);
            assert_non_null(r2);
            ct_sbom_report_free(r);
            r = r2;
        }
        if (r->nerrors != CT_NELEM(expect))
            print_report("refs", r);
        assert_int_equal(r->nerrors, CT_NELEM(expect));
        for (size_t i = 0; i < CT_NELEM(expect); i++) {
            assert_string_equal(r->errors[i].location, expect[i][0]);
            assert_string_equal(r->errors[i].message, expect[i][1]);
        }
    }
    /* the model: every package, a repeated member's last value, in order */
    assert_non_null(s);
    assert_int_equal(s->ncomponents, 3);
    assert_string_equal(s->components[0].bom_ref, "SPDXRef-a");
    assert_string_equal(s->components[0].name, "a1");
    assert_string_equal(s->components[0].version, "1");
    assert_string_equal(s->components[1].name, "b");
    assert_null(s->components[1].version);
    assert_string_equal(s->components[2].name, "a2");
    assert_string_equal(s->components[2].bom_ref, "SPDXRef-a");
    ct_sbom_free(s);
    ct_sbom_report_free(r);
}

/* A package wider than the validator's member records hold (a member 70,000 tape slots after
 * the package's start; spdx9): the reader reads it itself, and the packages after it from the
 * records; the model is the one ct_sbom_parse reads. */
static void test_spdx_validate__wide_package_read_alike(void **state)
{
    ct_buf b = CT_BUF_INIT;
    ct_sbom *pv = NULL, *ps = NULL;
    ct_sbom_report *r = NULL;
    (void)state;
    ct_buf_puts(&b, "{\"spdxVersion\":\"SPDX-2.3\",\"SPDXID\":\"SPDXRef-DOCUMENT\",\"name\":\"d\","
                    "\"dataLicense\":\"CC0-1.0\",\"documentNamespace\":\"https://example.com/d\","
                    "\"creationInfo\":{\"created\":\"2020-01-01T00:00:00Z\",\"creators\":"
                    "[\"Tool: t\"]},\"packages\":[{\"SPDXID\":\"SPDXRef-w\",\"name\":\"wide\","
                    "\"downloadLocation\":\"NONE\",\"licenseInfoFromFiles\":[");
    for (int i = 0; i < 70000; i++)
        ct_buf_puts(&b, i ? ",\"MIT\"" : "\"MIT\"");
    ct_buf_puts(&b, "],\"versionInfo\":\"9\"},{\"SPDXID\":\"SPDXRef-n\",\"name\":\"narrow\","
                    "\"downloadLocation\":\"NONE\",\"versionInfo\":\"1\"}]}");
    assert_false(b.failed);
    assert_int_equal(ct_sbom_parse_validate(&pv, &r, g_ctx, b.ptr, b.len, "wide", NULL), 0);
    if (!r->valid)
        print_report("wide", r);
    assert_true(r->valid);
    assert_int_equal(ct_sbom_parse(&ps, g_ctx, b.ptr, b.len, "wide"), 0);
    assert_non_null(pv);
    assert_int_equal(pv->ncomponents, 2);
    assert_int_equal(ps->ncomponents, 2);
    for (size_t i = 0; i < 2; i++) {
        assert_string_equal(pv->components[i].bom_ref, ps->components[i].bom_ref);
        assert_string_equal(pv->components[i].name, ps->components[i].name);
        assert_string_equal(pv->components[i].version, ps->components[i].version);
    }
    assert_string_equal(pv->components[0].version, "9");
    assert_string_equal(pv->components[1].name, "narrow");
    ct_sbom_free(pv);
    ct_sbom_free(ps);
    ct_sbom_report_free(r);
    ct_buf_dispose(&b);
}

static int setup(void **state)
{
    (void)state;
    g_ctx = ct_test_ctx();
    g_tmp = ct_test_tmpdir();
    /* schema files from ../shared, whatever the working directory */
    setenv(CT_SPDX_SCHEMA_ENV, g_spdx, 1);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ct_ctx_free(g_ctx);
    ct_free(g_tmp);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spdx_validate__json_conformance_vs_oracle),
        cmocka_unit_test(test_spdx_validate__known_bad_json),
        cmocka_unit_test(test_spdx_validate__tag_value_conformance),
        cmocka_unit_test(test_spdx_validate__json_mutations),
        cmocka_unit_test(test_spdx_validate__builtin_rules),
        cmocka_unit_test(test_spdx_validate__tag_value_mutations),
        cmocka_unit_test(test_spdx_validate__written_documents),
        cmocka_unit_test(test_spdx_validate__edges),
        cmocka_unit_test(test_spdx_validate__references_in_document_order),
        cmocka_unit_test(test_spdx_validate__wide_package_read_alike),
    };
    if (!(g_spdx = ct_test_shared_path("conformance/spdx"))) {
        printf("skipped: ../shared/conformance/spdx is absent\n");
        return CT_TEST_SKIP;
    }
    int rc = cmocka_run_group_tests(tests, setup, teardown);
    ct_free(g_spdx);
    return rc;
}

/* Advisory identity and triage on real records: the Go vulnerability database's OSV record
 * GO-2023-1627 (aliases CVE-2023-27561 and GHSA-vpvm-3wq2-2wvm, runc) and CVE-2023-27561 from
 * CISA Vulnrichment (CVE JSON 5), both read from ../shared/conformance/advisories. Imported in
 * either order they form one identity with two source records and one finding; VEX statements
 * carry over to the next release while the component version is unchanged; a withdrawn record
 * retracts its findings. CT_TEST_USES_STORE: runs on SQLite and PostgreSQL. */
#include "ct_store_fixture.h"

#include "cratrace/feed.h"
#include "cratrace/store.h"
#include "store/store_int.h" /* ct_store__identity_rebuild: the full regroup itself */

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GO_ID "GO-2023-1627"
#define CVE_ID "CVE-2023-27561"

/* The two records as JSON lines, cut once from the shared bulk files. */
static char *go_line, *cve_line;

/* ---- helpers --------------------------------------------------------------------------- */

/* A full regroup of every record (`match` runs one only on a store marked stale, migration
 * 0023), committed. */
static void full_regroup(ct_store *st)
{
    assert_int_equal(ct_store_begin(st), CT_OK);
    assert_int_equal(ct_store__identity_rebuild(st), CT_OK);
    assert_int_equal(ct_store_commit(st), CT_OK);
}

static const char sbom_fmt[] =
    "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"version\":1,"
    "\"metadata\":{\"component\":{\"type\":\"firmware\",\"name\":\"edge\",\"version\":\"%s\"}},"
    "\"components\":[{\"type\":\"library\",\"name\":\"github.com/opencontainers/runc\","
    "\"version\":\"%s\",\"purl\":\"pkg:golang/github.com/opencontainers/runc@%s\"},"
    "{\"type\":\"library\",\"name\":\"golang.org/x/text\",\"version\":\"v0.3.8\","
    "\"purl\":\"pkg:golang/golang.org/x/text@v0.3.8\"}]}";

/* Release VERSION of product "edge" shipping runc in runc_version. */
static void add_release(ct_store_fixture *f, ct_store *st, const char *version,
                        const char *runc_version)
{
    char text[1024], name[64];
    snprintf(text, sizeof text, sbom_fmt, version, runc_version, runc_version);
    snprintf(name, sizeof name, "edge-%s.cdx.json", version);
    char *path = ct_test_write_file(f->dir, name, text);
    assert_int_equal(ct_import_sbom_file(NULL, st, path, "edge", version, CT_TIME_NONE, NULL),
                     CT_OK);
    ct_free(path);
}

/* Import one record (a JSON line) from a file named name; returns the path (NEW). */
static char *import_record(ct_store_fixture *f, ct_store *st, const char *name, const char *line,
                           const char *format, ct_import_stats *stats)
{
    char *path = ct_test_write_file(f->dir, name, line);
    ct_import_stats local;
    memset(&local, 0, sizeof local);
    assert_int_equal(ct_import_advisories_ex(st, path, format, stats ? stats : &local), CT_OK);
    return path;
}

static json_object *findings(ct_store *st, const char *product, const char *state)
{
    ct_buf b = CT_BUF_INIT;
    assert_int_equal(ct_store_findings_json(&b, st, product, state), CT_OK);
    json_object *o = json_tokener_parse(b.ptr);
    if (!o)
        fail_msg("findings not JSON: %s", b.ptr);
    ct_buf_dispose(&b);
    return o;
}

static json_object *affected(ct_store *st, const char *id)
{
    ct_buf b = CT_BUF_INIT;
    assert_int_equal(ct_store_affected_json(&b, st, id), CT_OK);
    json_object *o = json_tokener_parse(b.ptr);
    if (!o)
        fail_msg("affected not JSON: %s", b.ptr);
    ct_buf_dispose(&b);
    return o;
}

static const char *str(json_object *o, const char *key)
{
    json_object *v;
    return json_object_object_get_ex(o, key, &v) && v ? json_object_get_string(v) : NULL;
}

static bool array_has(json_object *arr, const char *s)
{
    for (size_t i = 0; i < json_object_array_length(arr); i++)
        if (strcmp(json_object_get_string(json_object_array_get_idx(arr, i)), s) == 0)
            return true;
    return false;
}

/* The GHSA alias of the Go record, from the data. */
static char *go_ghsa(void)
{
    json_object *o = json_tokener_parse(go_line), *al;
    char *ghsa = NULL;
    assert_non_null(o);
    assert_true(json_object_object_get_ex(o, "aliases", &al));
    for (size_t i = 0; i < json_object_array_length(al); i++) {
        const char *a = json_object_get_string(json_object_array_get_idx(al, i));
        if (strncmp(a, "GHSA-", 5) == 0)
            ghsa = ct_strdup(a);
    }
    json_object_put(o);
    assert_non_null(ghsa);
    return ghsa;
}

/* The Go record with "modified" set and "withdrawn" set (or not), as a JSON line (NEW). */
static char *go_line_as(const char *modified, const char *withdrawn)
{
    json_object *o = json_tokener_parse(go_line);
    assert_non_null(o);
    if (withdrawn)
        json_object_object_add(o, "withdrawn", json_object_new_string(withdrawn));
    json_object_object_add(o, "modified", json_object_new_string(modified));
    ct_buf b = CT_BUF_INIT;
    ct_buf_printf(&b, "%s\n", json_object_to_json_string(o));
    json_object_put(o);
    assert_false(b.failed);
    return ct_buf_detach(&b);
}

static char *go_withdrawn_line(void)
{
    return go_line_as("2025-02-01T00:00:00Z", "2025-02-01T00:00:00Z");
}

/* Checks shared by both import orders: one identity, two records, one finding. */
static void check_one_identity(ct_store *st, const char *go_path, const char *cve_path)
{
    char *ghsa = go_ghsa();
    json_object *a = affected(st, ghsa), *recs, *al, *fs, *f, *frecs;

    /* the GHSA alias (known only from the OSV record) leads to the CVE identity */
    assert_string_equal(str(a, "advisory"), CVE_ID);
    assert_true(json_object_object_get_ex(a, "aliases", &al));
    assert_true(array_has(al, GO_ID));
    assert_true(array_has(al, ghsa));
    assert_false(array_has(al, CVE_ID));
    assert_true(json_object_object_get_ex(a, "records", &recs));
    assert_int_equal(json_object_array_length(recs), 2);
    for (size_t i = 0; i < 2; i++) {
        json_object *r = json_object_array_get_idx(recs, i);
        bool is_cve = strcmp(str(r, "id"), CVE_ID) == 0;
        assert_true(is_cve || strcmp(str(r, "id"), GO_ID) == 0);
        assert_string_equal(str(r, "source"), is_cve ? "cve5" : "osv");
        assert_string_equal(str(r, "origin"), is_cve ? cve_path : go_path);
    }
    /* severity from the best source, named: the CVE record (CNA metrics) */
    json_object *sr;
    assert_true(json_object_object_get_ex(a, "severity_record", &sr));
    assert_string_equal(str(sr, "id"), CVE_ID);
    assert_string_equal(str(sr, "source"), "cve5");
    assert_non_null(str(a, "severity"));
    json_object_put(a);

    /* one finding for runc in release 1.0, produced by the Go record's range */
    fs = findings(st, "edge", NULL);
    assert_int_equal(json_object_array_length(fs), 1);
    f = json_object_array_get_idx(fs, 0);
    assert_string_equal(str(f, "advisory"), CVE_ID);
    assert_string_equal(str(f, "purl"), "pkg:golang/github.com/opencontainers/runc@v1.1.4");
    assert_string_equal(str(f, "state"), "in_triage");
    assert_true(json_object_object_get_ex(f, "aliases", &al));
    assert_true(array_has(al, GO_ID) && array_has(al, ghsa));
    assert_true(json_object_object_get_ex(f, "records", &frecs));
    assert_int_equal(json_object_array_length(frecs), 1);
    assert_string_equal(str(json_object_array_get_idx(frecs, 0), "advisory"), GO_ID);
    assert_string_equal(str(json_object_array_get_idx(frecs, 0), "origin"), go_path);
    assert_string_equal(str(f, "range"), str(json_object_array_get_idx(frecs, 0), "range"));
    json_object_put(fs);
    ct_free(ghsa);
}

static char *findings_text(ct_store *st)
{
    ct_buf b = CT_BUF_INIT;
    assert_int_equal(ct_store_findings_json(&b, st, NULL, NULL), CT_OK);
    return ct_buf_detach(&b);
}

static char *affected_text(ct_store *st, const char *id)
{
    ct_buf b = CT_BUF_INIT;
    assert_int_equal(ct_store_affected_json(&b, st, id), CT_OK);
    return ct_buf_detach(&b);
}

/* ---- identity -------------------------------------------------------------------------- */

static void test_identity__osv_and_cve5_merge_in_either_order(void **state)
{
    ct_store_fixture *f = *state;
    ct_store *other = ct_test_store_open(f->ctx);
    ct_import_stats stats;
    char *go_path, *cve_path;

    /* order 1: OSV first, then CVE 5 */
    add_release(f, f->st, "1.0", "v1.1.4");
    go_path = import_record(f, f->st, "go.json", go_line, "osv", NULL);
    cve_path = import_record(f, f->st, "cve.json", cve_line, "cve5", NULL);
    check_one_identity(f->st, go_path, cve_path);

    /* order 2, in a second store: CVE 5 first, then OSV, and the release last */
    ct_free(import_record(f, other, "cve.json", cve_line, "cve5", NULL));
    ct_free(import_record(f, other, "go.json", go_line, "osv", NULL));
    add_release(f, other, "1.0", "v1.1.4");
    check_one_identity(other, go_path, cve_path);

    /* the same answers, byte for byte */
    char *fa = findings_text(f->st), *fb = findings_text(other);
    char *aa = affected_text(f->st, GO_ID), *ab = affected_text(other, CVE_ID);
    assert_string_equal(fa, fb);
    assert_string_equal(aa, ab);

    /* re-import is idempotent: nothing changes, the answers stay the same */
    memset(&stats, 0, sizeof stats);
    ct_free(import_record(f, f->st, "go.json", go_line, "osv", &stats));
    ct_free(import_record(f, f->st, "cve.json", cve_line, "cve5", &stats));
    assert_int_equal(stats.unchanged, 2);
    assert_int_equal(stats.inserted + stats.updated, 0);
    char *fc = findings_text(f->st);
    assert_string_equal(fa, fc);

    /* a full regroup and a full rematch give the same identity */
    full_regroup(other);
    assert_int_equal(ct_store_match_all(other, NULL), CT_OK);
    char *fd = findings_text(other);
    assert_string_equal(fa, fd);

    ct_free(fa);
    ct_free(fb);
    ct_free(fc);
    ct_free(fd);
    ct_free(aa);
    ct_free(ab);
    ct_free(go_path);
    ct_free(cve_path);
    ct_store_close(other);
}

static void test_identity__withdrawn_record_retracts_its_findings(void **state)
{
    ct_store_fixture *f = *state;
    char *withdrawn = go_withdrawn_line();
    json_object *fs, *a, *recs;
    ct_import_stats stats;

    add_release(f, f->st, "1.0", "v1.1.4");
    ct_free(import_record(f, f->st, "go.json", go_line, "osv", NULL));
    ct_free(import_record(f, f->st, "cve.json", cve_line, "cve5", NULL));
    fs = findings(f->st, NULL, NULL);
    assert_int_equal(json_object_array_length(fs), 1);
    json_object_put(fs);

    memset(&stats, 0, sizeof stats);
    ct_free(import_record(f, f->st, "go-withdrawn.json", withdrawn, "osv", &stats));
    assert_int_equal(stats.updated, 1);
    fs = findings(f->st, NULL, NULL);
    assert_int_equal(json_object_array_length(fs), 0);
    json_object_put(fs);

    /* the record stays, marked withdrawn, in the identity; nothing is affected any more */
    a = affected(f->st, GO_ID);
    assert_string_equal(str(a, "advisory"), CVE_ID);
    assert_true(json_object_object_get_ex(a, "records", &recs));
    assert_int_equal(json_object_array_length(recs), 2);
    for (size_t i = 0; i < 2; i++) {
        json_object *r = json_object_array_get_idx(recs, i);
        if (strcmp(str(r, "id"), GO_ID) == 0)
            assert_string_equal(str(r, "withdrawn"), "2025-02-01T00:00:00Z");
        else
            assert_null(str(r, "withdrawn"));
    }
    assert_int_equal(json_object_array_length(json_object_object_get(a, "releases")), 0);
    json_object_put(a);
    ct_free(withdrawn);
}

/* ---- triage ---------------------------------------------------------------------------- */

static void vex_set(ct_store *st, const char *version, const char *advisory, const char *vstate,
                    const char *justification, const char *want_primary, uint64_t want_findings)
{
    ct_vex_statement v;
    ct_vex_set_result res;
    memset(&v, 0, sizeof v);
    v.product = "edge";
    v.version = version;
    v.advisory = advisory;
    v.state = vstate;
    v.justification = justification;
    v.note = justification ? NULL : "triaged in test";
    v.actor = "tester";
    assert_int_equal(ct_store_vex_set(&res, st, &v), CT_OK);
    assert_string_equal(res.advisory, want_primary);
    assert_int_equal(res.findings, want_findings);
}

/* state and inherited_from (NULL when own or none) of the finding in release version */
static void expect_state(ct_store *st, const char *version, const char *want_state,
                         const char *want_inherited)
{
    json_object *fs = findings(st, "edge", NULL);
    bool seen = false;
    for (size_t i = 0; i < json_object_array_length(fs); i++) {
        json_object *fi = json_object_array_get_idx(fs, i), *t;
        if (strcmp(str(fi, "release"), version) != 0)
            continue;
        seen = true;
        assert_string_equal(str(fi, "state"), want_state);
        if (!json_object_object_get_ex(fi, "triage", &t) || !t) {
            assert_null(want_inherited);
            assert_string_equal(want_state, "in_triage");
            continue;
        }
        assert_string_equal(str(t, "by"), "tester");
        if (want_inherited)
            assert_string_equal(str(t, "inherited_from"), want_inherited);
        else
            assert_null(str(t, "inherited_from"));
    }
    json_object_put(fs);
    assert_true(seen);
}

static void test_triage__carries_over_while_version_unchanged(void **state)
{
    ct_store_fixture *f = *state;
    char *ghsa = go_ghsa();
    ct_vex_statement bad;
    ct_vex_set_result res;
    json_object *fs;

    add_release(f, f->st, "1.0", "v1.1.4");
    ct_free(import_record(f, f->st, "go.json", go_line, "osv", NULL));
    ct_free(import_record(f, f->st, "cve.json", cve_line, "cve5", NULL));
    expect_state(f->st, "1.0", "in_triage", NULL);

    /* a statement by any alias applies to the identity */
    vex_set(f->st, "1.0", ghsa, "not_affected", "vulnerable_code_not_in_execute_path", CVE_ID, 1);
    expect_state(f->st, "1.0", "not_affected", NULL);

    /* 1.1 ships the same runc: inherits; 1.2 changes the version: does not */
    add_release(f, f->st, "1.1", "v1.1.4");
    add_release(f, f->st, "1.2", "v1.1.3");
    expect_state(f->st, "1.1", "not_affected", "1.0");
    expect_state(f->st, "1.2", "in_triage", NULL);

    /* --state filters on the resolved state */
    fs = findings(f->st, "edge", "not_affected");
    assert_int_equal(json_object_array_length(fs), 2);
    json_object_put(fs);
    fs = findings(f->st, "edge", "in_triage");
    assert_int_equal(json_object_array_length(fs), 1);
    assert_string_equal(str(json_object_array_get_idx(fs, 0), "release"), "1.2");
    json_object_put(fs);
    fs = findings(f->st, "other-product", NULL);
    assert_int_equal(json_object_array_length(fs), 0);
    json_object_put(fs);

    /* a newer statement on 1.1 overrides what it inherited; 1.0 keeps its own */
    vex_set(f->st, "1.1", GO_ID, "affected", NULL, CVE_ID, 1);
    expect_state(f->st, "1.1", "affected", NULL);
    expect_state(f->st, "1.0", "not_affected", NULL);

    /* a statement made later on 1.0 does not pass 1.1's own statement */
    vex_set(f->st, "1.0", CVE_ID, "fixed", NULL, CVE_ID, 1);
    expect_state(f->st, "1.1", "affected", NULL);

    /* triage survives a full rematch (findings are recomputed) */
    assert_int_equal(ct_store_match_all(f->st, NULL), CT_OK);
    expect_state(f->st, "1.0", "fixed", NULL);
    expect_state(f->st, "1.1", "affected", NULL);
    expect_state(f->st, "1.2", "in_triage", NULL);

    /* bad statements change nothing */
    memset(&bad, 0, sizeof bad);
    bad.product = "edge";
    bad.version = "1.2";
    bad.advisory = CVE_ID;
    bad.actor = "tester";
    bad.state = "exploitable";
    assert_int_equal(ct_store_vex_set(&res, f->st, &bad), CT_EINVAL);
    bad.state = "not_affected"; /* needs a justification or a note */
    assert_int_equal(ct_store_vex_set(&res, f->st, &bad), CT_EINVAL);
    bad.state = "affected";
    bad.advisory = "GHSA-0000-0000-0000";
    assert_int_equal(ct_store_vex_set(&res, f->st, &bad), CT_ENOTFOUND);
    bad.advisory = CVE_ID;
    bad.version = "9.9";
    assert_int_equal(ct_store_vex_set(&res, f->st, &bad), CT_ENOTFOUND);
    bad.version = "1.2";
    bad.component_purl = "pkg:golang/github.com/opencontainers/runc@v9";
    assert_int_equal(ct_store_vex_set(&res, f->st, &bad), CT_ENOTFOUND);
    expect_state(f->st, "1.2", "in_triage", NULL);

    /* a component-scoped statement */
    bad.component_purl = "pkg:golang/github.com/opencontainers/runc@v1.1.3";
    assert_int_equal(ct_store_vex_set(&res, f->st, &bad), CT_OK);
    assert_int_equal(res.findings, 1);
    ct_error_clear();
    ct_free(ghsa);
}

static void test_triage__kept_when_the_advisory_is_withdrawn_and_restored(void **state)
{
    ct_store_fixture *f = *state;
    char *withdrawn = go_withdrawn_line(), *restored = go_line_as("2025-03-01T00:00:00Z", NULL);
    json_object *fs;

    add_release(f, f->st, "1.0", "v1.1.4");
    ct_free(import_record(f, f->st, "go.json", go_line, "osv", NULL));
    vex_set(f->st, "1.0", GO_ID, "under_investigation", NULL, GO_ID, 1);
    expect_state(f->st, "1.0", "under_investigation", NULL);
    ct_free(import_record(f, f->st, "go-w.json", withdrawn, "osv", NULL));
    fs = findings(f->st, NULL, NULL);
    assert_int_equal(json_object_array_length(fs), 0);
    json_object_put(fs);
    /* the CVE record arrives, then the Go record is restored (newer, not withdrawn): the
     * finding comes back with the statement made before, under the identity's new primary */
    ct_free(import_record(f, f->st, "cve.json", cve_line, "cve5", NULL));
    ct_free(import_record(f, f->st, "go-r.json", restored, "osv", NULL));
    fs = findings(f->st, NULL, NULL);
    assert_int_equal(json_object_array_length(fs), 1);
    assert_string_equal(str(json_object_array_get_idx(fs, 0), "advisory"), CVE_ID);
    json_object_put(fs);
    expect_state(f->st, "1.0", "under_investigation", NULL);
    ct_free(withdrawn);
    ct_free(restored);
}

/* Two records of one vulnerability that both match a component are one open advisory in the
 * rollout and in the customer view, not two (counts are per identity, not per record). */
static void test_identity__rollout_counts_identities_not_records(void **state)
{
    ct_store_fixture *f = *state;
    static const char rec_fmt[] =
        "{\"id\":\"%s\",\"modified\":\"2024-01-01T00:00:00Z\",\"aliases\":[%s],"
        "\"affected\":[{\"package\":{\"ecosystem\":\"Go\","
        "\"name\":\"github.com/opencontainers/runc\"},\"ranges\":[{\"type\":\"SEMVER\","
        "\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"1.1.5\"}]}]}]}";
    char line[1024];
    ct_buf b = CT_BUF_INIT;

    add_release(f, f->st, "1.0", "v1.1.4");
    snprintf(line, sizeof line, rec_fmt, "GO-2099-0001", "\"CVE-2099-0001\"");
    ct_free(import_record(f, f->st, "go.json", line, "osv", NULL));
    snprintf(line, sizeof line, rec_fmt, "CVE-2099-0001", "");
    ct_free(import_record(f, f->st, "cve.json", line, "osv", NULL));

    assert_int_equal(ct_store_rollout_json(&b, f->st, "edge"), CT_OK);
    json_object *o = json_tokener_parse(b.ptr), *rels, *rel;
    assert_non_null(o);
    assert_true(json_object_object_get_ex(o, "releases", &rels));
    assert_int_equal(json_object_array_length(rels), 1);
    rel = json_object_array_get_idx(rels, 0);
    json_object *open;
    assert_true(json_object_object_get_ex(rel, "advisories_open", &open));
    assert_int_equal(json_object_get_int64(open), 1);
    json_object_put(o);

    /* and both records did produce a finding: the count is not 1 by accident */
    ct_buf_reset(&b);
    assert_int_equal(ct_store_findings_json(&b, f->st, NULL, NULL), CT_OK);
    o = json_tokener_parse(b.ptr);
    assert_non_null(o);
    assert_int_equal(json_object_array_length(o), 1);
    json_object *recs;
    assert_true(json_object_object_get_ex(json_object_array_get_idx(o, 0), "records", &recs));
    assert_int_equal(json_object_array_length(recs), 2);
    json_object_put(o);
    ct_buf_dispose(&b);
}

/* ---- one record per source (migration 0020) --------------------------------------------- */

static json_object *show(ct_store *st, const char *id)
{
    ct_buf b = CT_BUF_INIT;
    assert_int_equal(ct_store_advisory_show_json(&b, st, id), CT_OK);
    json_object *o = json_tokener_parse(b.ptr);
    if (!o)
        fail_msg("advisories show not JSON: %s", b.ptr);
    ct_buf_dispose(&b);
    return o;
}

static char *show_text(ct_store *st, const char *id)
{
    ct_buf b = CT_BUF_INIT;
    assert_int_equal(ct_store_advisory_show_json(&b, st, id), CT_OK);
    return ct_buf_detach(&b);
}

/* The record of source src in a show answer (NULL when absent). */
static json_object *record_of(json_object *shown, const char *src)
{
    json_object *recs;
    assert_true(json_object_object_get_ex(shown, "records", &recs));
    for (size_t i = 0; i < json_object_array_length(recs); i++)
        if (strcmp(str(json_object_array_get_idx(recs, i), "source"), src) == 0)
            return json_object_array_get_idx(recs, i);
    return NULL;
}

/* The summary the reader itself gives a record (NEW). */
static int keep_summary(const ct_advisory *adv, void *payload)
{
    char **out = payload;
    ct_free(*out);
    *out = ct_strdup(adv->summary ? adv->summary : "");
    return 0;
}

static void test_identity__same_id_from_two_sources_keeps_both(void **state)
{
    ct_store_fixture *f = *state;
    char *cve5 = ct_test_shared_path("conformance/advisories/cve5-sample/CVE-2024-4542.json");
    char *nvd = ct_test_shared_path("conformance/advisories/nvd-sample/cves/CVE-2024-4542.json");
    char *cve5_summary = NULL, *nvd_summary = NULL;
    ct_import_stats stats;
    json_object *o, *r;

    if (!cve5 || !nvd) {
        ct_free(cve5);
        ct_free(nvd);
        skip();
    }
    assert_int_equal(ct_feed_read_cve5_path(f->ctx, cve5, keep_summary, &cve5_summary), CT_OK);
    assert_int_equal(ct_feed_read_nvd_path(f->ctx, nvd, keep_summary, &nvd_summary), CT_OK);
    assert_string_not_equal(cve5_summary, nvd_summary); /* the two sources say it differently */

    memset(&stats, 0, sizeof stats);
    assert_int_equal(ct_import_advisories_ex(f->st, cve5, "cve5", &stats), CT_OK);
    assert_int_equal(ct_import_advisories_ex(f->st, nvd, "nvd", &stats), CT_OK);
    assert_int_equal(stats.records, 2);
    assert_int_equal(stats.inserted, 2); /* before migration 0020: 1 inserted, 1 updated */
    assert_int_equal(stats.updated, 0);

    o = show(f->st, "CVE-2024-4542");
    assert_string_equal(str(o, "advisory"), "CVE-2024-4542");
    assert_int_equal(json_object_array_length(json_object_object_get(o, "records")), 2);
    assert_non_null(r = record_of(o, "cve5"));
    assert_string_equal(str(r, "origin"), cve5);
    assert_string_equal(str(r, "summary"), cve5_summary);
    assert_non_null(str(r, "withdrawn")); /* REJECTED */
    assert_non_null(r = record_of(o, "nvd"));
    assert_string_equal(str(r, "origin"), nvd);
    assert_string_equal(str(r, "summary"), nvd_summary);
    char *cve5_before = ct_strdup(json_object_to_json_string(record_of(o, "cve5")));
    json_object_put(o);

    /* re-import of one source: unchanged; a newer record of one source updates only it */
    memset(&stats, 0, sizeof stats);
    assert_int_equal(ct_import_advisories_ex(f->st, nvd, "nvd", &stats), CT_OK);
    assert_int_equal(stats.unchanged, 1);
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(ct_file_read(&text, &len, nvd, 1u << 24), CT_OK);
    json_object *doc = json_tokener_parse(text);
    assert_non_null(doc);
    json_object_object_add(doc, "lastModified", json_object_new_string("2030-01-01T00:00:00.000"));
    char *newer = ct_test_write_file(f->dir, "nvd-newer.json", json_object_to_json_string(doc));
    json_object_put(doc);
    ct_free(text);
    memset(&stats, 0, sizeof stats);
    assert_int_equal(ct_import_advisories_ex(f->st, newer, "nvd", &stats), CT_OK);
    assert_int_equal(stats.updated, 1);
    assert_int_equal(stats.inserted, 0);
    o = show(f->st, "CVE-2024-4542");
    assert_int_equal(json_object_array_length(json_object_object_get(o, "records")), 2);
    assert_string_equal(str(record_of(o, "nvd"), "origin"), newer);
    assert_string_equal(str(record_of(o, "nvd"), "modified"), "2030-01-01T00:00:00Z");
    assert_string_equal(json_object_to_json_string(record_of(o, "cve5")), cve5_before);
    json_object_put(o);

    /* a full regroup (one pass) gives the same identity as the imports did */
    char *before = show_text(f->st, "CVE-2024-4542");
    full_regroup(f->st);
    assert_int_equal(ct_store_match_all(f->st, NULL), CT_OK);
    char *after = show_text(f->st, "CVE-2024-4542");
    assert_string_equal(before, after);

    ct_free(before);
    ct_free(after);
    ct_free(newer);
    ct_free(cve5_before);
    ct_free(cve5_summary);
    ct_free(nvd_summary);
    ct_free(cve5);
    ct_free(nvd);
}

/* The Go record and the same vulnerability's GHSA record (the Go record re-keyed to its GHSA
 * ID, naming the Go ID and the CVE) both match runc: one finding with two records. Withdrawing
 * one retracts only its part; the finding stays while the other record supports it. */
static void test_identity__withdrawal_keeps_what_another_record_supports(void **state)
{
    ct_store_fixture *f = *state;
    char *ghsa = go_ghsa(), *withdrawn = go_withdrawn_line();
    json_object *o = json_tokener_parse(go_line), *al, *fs, *recs;
    ct_buf b = CT_BUF_INIT;

    assert_non_null(o);
    json_object_object_add(o, "id", json_object_new_string(ghsa));
    al = json_object_new_array();
    json_object_array_add(al, json_object_new_string(GO_ID));
    json_object_array_add(al, json_object_new_string(CVE_ID));
    json_object_object_add(o, "aliases", al);
    ct_buf_printf(&b, "%s\n", json_object_to_json_string(o));
    json_object_put(o);

    add_release(f, f->st, "1.0", "v1.1.4");
    ct_free(import_record(f, f->st, "go.json", go_line, "osv", NULL));
    ct_free(import_record(f, f->st, "ghsa.json", b.ptr, "osv", NULL));
    fs = findings(f->st, NULL, NULL);
    assert_int_equal(json_object_array_length(fs), 1);
    assert_true(json_object_object_get_ex(json_object_array_get_idx(fs, 0), "records", &recs));
    assert_int_equal(json_object_array_length(recs), 2);
    json_object_put(fs);

    ct_free(import_record(f, f->st, "go-w.json", withdrawn, "osv", NULL));
    fs = findings(f->st, NULL, NULL);
    assert_int_equal(json_object_array_length(fs), 1);
    assert_true(json_object_object_get_ex(json_object_array_get_idx(fs, 0), "records", &recs));
    assert_int_equal(json_object_array_length(recs), 1);
    assert_string_equal(str(json_object_array_get_idx(recs, 0), "advisory"), ghsa);
    json_object_put(fs);

    /* the GHSA record withdrawn as well: nothing supports the finding any more */
    o = json_tokener_parse(b.ptr);
    json_object_object_add(o, "modified", json_object_new_string("2025-02-01T00:00:00Z"));
    json_object_object_add(o, "withdrawn", json_object_new_string("2025-02-01T00:00:00Z"));
    ct_buf_reset(&b);
    ct_buf_printf(&b, "%s\n", json_object_to_json_string(o));
    json_object_put(o);
    ct_free(import_record(f, f->st, "ghsa-w.json", b.ptr, "osv", NULL));
    fs = findings(f->st, NULL, NULL);
    assert_int_equal(json_object_array_length(fs), 0);
    json_object_put(fs);

    ct_buf_dispose(&b);
    ct_free(withdrawn);
    ct_free(ghsa);
}

/* OSV "related" (AlmaLinux): ALSA-2025:1671 and ALSA-2025:1673 both list CVE-2024-7264 (and
 * 48 more CVEs) as related. Kept and shown, but no identity joins through them: as aliases
 * (CVE IDs link globally) the two ALSA records and NVD's CVE-2024-7264 would be one. */
static void test_identity__related_is_shown_never_joined(void **state)
{
    ct_store_fixture *f = *state;
    static const char alma[] = "conformance/advisories/osv/almalinux/osv-almalinux.jsonl.gz";
    char *l1 = ct_test_shared_line_with(alma, "\"id\":\"ALSA-2025:1671\"");
    char *l2 = ct_test_shared_line_with(alma, "\"id\":\"ALSA-2025:1673\"");
    char *nvd = ct_test_shared_path("conformance/advisories/nvd-sample/cves/CVE-2024-7264.json");
    ct_import_stats stats;

    if (!l1 || !l2 || !nvd) {
        ct_free(l1);
        ct_free(l2);
        ct_free(nvd);
        skip();
    }
    ct_free(import_record(f, f->st, "alsa1.json", l1, "osv", NULL));
    ct_free(import_record(f, f->st, "alsa2.json", l2, "osv", NULL));
    memset(&stats, 0, sizeof stats);
    assert_int_equal(ct_import_advisories_ex(f->st, nvd, "nvd", &stats), CT_OK);

    for (int pass = 0; pass < 2; pass++) { /* as imported, then after a full regroup */
        json_object *line = json_tokener_parse(l1), *want, *o, *r, *got;
        assert_true(json_object_object_get_ex(line, "related", &want));
        o = show(f->st, "ALSA-2025:1671");
        assert_string_equal(str(o, "advisory"), "ALSA-2025:1671");
        assert_int_equal(json_object_array_length(json_object_object_get(o, "aliases")), 0);
        assert_int_equal(json_object_array_length(json_object_object_get(o, "records")), 1);
        r = json_object_array_get_idx(json_object_object_get(o, "records"), 0);
        assert_true(json_object_object_get_ex(r, "related", &got));
        assert_int_equal(json_object_array_length(got), json_object_array_length(want));
        for (size_t i = 0; i < json_object_array_length(want); i++)
            assert_true(array_has(got, json_object_get_string(json_object_array_get_idx(want, i))));
        assert_true(array_has(got, "CVE-2024-7264"));
        json_object_put(o);
        json_object_put(line);

        o = show(f->st, "CVE-2024-7264");
        assert_string_equal(str(o, "advisory"), "CVE-2024-7264");
        assert_int_equal(json_object_array_length(json_object_object_get(o, "records")), 1);
        assert_true(json_object_object_get_ex(o, "related_by", &got));
        assert_int_equal(json_object_array_length(got), 2);
        assert_string_equal(str(json_object_array_get_idx(got, 0), "id"), "ALSA-2025:1671");
        assert_string_equal(str(json_object_array_get_idx(got, 1), "id"), "ALSA-2025:1673");
        json_object_put(o);
        full_regroup(f->st);
        assert_int_equal(ct_store_match_all(f->st, NULL), CT_OK);
    }
    ct_free(l1);
    ct_free(l2);
    ct_free(nvd);
}

/* ---- rejects reach the context's log callback --------------------------------------- */

typedef struct {
    size_t n, bad;
} log_count;

static void count_log(int level, const char *msg, void *payload)
{
    log_count *c = payload;
    c->n++;
    if (level != CT_LOG_WARN || strncmp(msg, "rejected ", 9) != 0 || !strstr(msg, "debian.json#/"))
        c->bad++;
}

/* The library prints nothing itself: a distro entry the reader rejects (the Debian tracker
 * fixture has an issue whose "releases" is not an object) is counted in the stats and handed
 * to the log callback with its location; the CLI prints it (tests/e2e/distro.sh). */
static void test_import__rejects_go_to_the_log_callback(void **state)
{
    ct_store_fixture *f = *state;
    char *path =
        ct_test_shared_path("conformance/advisories/distro/vunnel-fixtures/debian/debian.json");
    ct_ctx_options o = CT_CTX_OPTIONS_INIT;
    log_count c = { 0, 0 };
    ct_import_stats stats;
    ct_ctx *ctx = NULL;

    if (!path)
        skip();
    o.progress = false;
    o.log = count_log;
    o.log_payload = &c;
    assert_int_equal(ct_ctx_new(&ctx, &o), CT_OK);
    ct_store *st = ct_test_store_open(ctx);
    memset(&stats, 0, sizeof stats);
    assert_int_equal(ct_import_advisories_ex(st, path, NULL, &stats), CT_OK);
    assert_true(stats.rejected > 0);
    assert_int_equal(c.n, stats.rejected);
    assert_int_equal(c.bad, 0);
    /* the context of the fixture has no callback: the same import reports nothing, fails not */
    memset(&stats, 0, sizeof stats);
    assert_int_equal(ct_import_advisories_ex(f->st, path, NULL, &stats), CT_OK);
    assert_int_equal(c.n, stats.rejected);
    ct_store_close(st);
    ct_ctx_free(ctx);
    ct_free(path);
}

/* ---- batched regrouping --------------------------------------------------------------- */

typedef struct {
    ct_store *st;
    char **ids;
    size_t n, cap;
} put_job;

static int put_record(const ct_advisory *adv, void *payload)
{
    put_job *job = payload;
    ct_advisory_put_result res;
    if (job->n == job->cap) {
        job->cap = job->cap ? job->cap * 2 : 256;
        job->ids = ct_reallocarray(job->ids, job->cap, sizeof *job->ids);
        assert_non_null(job->ids);
    }
    job->ids[job->n++] = ct_strdup(adv->id);
    return ct_store_advisory_put(&res, job->st, adv, NULL);
}

/* "primary|alias,alias|record,record" of the identity an ID belongs to. */
static char *identity_of(ct_store *st, const char *id)
{
    json_object *o = affected(st, id), *a, *recs;
    ct_buf b = CT_BUF_INIT;
    ct_buf_printf(&b, "%s|", str(o, "advisory"));
    assert_true(json_object_object_get_ex(o, "aliases", &a));
    for (size_t i = 0; i < json_object_array_length(a); i++)
        ct_buf_printf(&b, "%s,", json_object_get_string(json_object_array_get_idx(a, i)));
    ct_buf_puts(&b, "|");
    assert_true(json_object_object_get_ex(o, "records", &recs));
    for (size_t i = 0; i < json_object_array_length(recs); i++)
        ct_buf_printf(&b, "%s,", str(json_object_array_get_idx(recs, i), "id"));
    json_object_put(o);
    return ct_buf_detach(&b);
}

/* Imports regroup identities once at the end (one pass over every record when the import
 * is large against the store: here the first file; else from the records stored: the later
 * ones); storing the same real records one by one regroups after each. Both must give every ID
 * the same identity. */
static void test_identity__batched_regroup_equals_record_by_record(void **state)
{
    ct_store_fixture *f = *state;
    /* GO-2023-1627 (OSV) and CVE-2023-27561 (CVE 5), which join (the second import is half
     * the store: regrouped in one pass), then the shared files (the first one pass, the
     * smaller ones from their records) */
    struct {
        const char *rel, *format;
        char *path;
    } files[] = {
        { NULL, "osv", ct_test_write_file(f->dir, "go.jsonl", go_line) },
        { NULL, "cve5", ct_test_write_file(f->dir, "cve.jsonl", cve_line) },
        { "conformance/advisories/osv/haskell-hsec/osv-hackage.jsonl.gz", "osv", NULL },
        { "conformance/advisories/ghsa-sample", "osv", NULL },
        { "conformance/advisories/cve5-sample", "cve5", NULL },
        { "conformance/advisories/nvd-sample/cves", "nvd", NULL },
    };
    ct_store *one = ct_test_store_open(f->ctx);
    put_job job = { one, NULL, 0, 0 };
    size_t merged = 0;

    for (size_t i = 0; i < CT_NELEM(files); i++) {
        char *path = files[i].rel ? ct_test_shared_path(files[i].rel) : files[i].path;
        ct_import_stats stats;
        if (!path) {
            ct_store_close(one);
            for (size_t k = i; k < CT_NELEM(files); k++)
                ct_free(files[k].path);
            skip();
        }
        memset(&stats, 0, sizeof stats);
        assert_int_equal(ct_import_advisories_ex(f->st, path, files[i].format, &stats), CT_OK);
        assert_true(stats.records > 0);
        assert_int_equal(strcmp(files[i].format, "osv") == 0
                             ? ct_feed_read_osv_path(f->ctx, path, put_record, &job)
                         : strcmp(files[i].format, "cve5") == 0
                             ? ct_feed_read_cve5_path(f->ctx, path, put_record, &job)
                             : ct_feed_read_nvd_path(f->ctx, path, put_record, &job),
                         CT_OK);
        ct_free(path);
    }
    assert_true(job.n > 100);
    for (size_t i = 0; i < job.n; i++) {
        char *a = identity_of(f->st, job.ids[i]), *b = identity_of(one, job.ids[i]);
        if (strcmp(a, b) != 0)
            fail_msg("%s: imported %s, stored one by one %s", job.ids[i], a, b);
        merged += strchr(strrchr(a, '|'), ',') != strrchr(a, ',');
        ct_free(a);
        ct_free(b);
        ct_free(job.ids[i]);
    }
    /* the data links records across sources: some identities have several records */
    assert_true(merged > 0);
    ct_free(job.ids);
    ct_store_close(one);
}

int main(void)
{
#define TEST(fn)                                                                                  \
    cmocka_unit_test_setup_teardown(fn, ct_store_fixture_setup, ct_store_fixture_teardown)
    const struct CMUnitTest tests[] = {
        TEST(test_identity__osv_and_cve5_merge_in_either_order),
        TEST(test_identity__withdrawn_record_retracts_its_findings),
        TEST(test_triage__carries_over_while_version_unchanged),
        TEST(test_triage__kept_when_the_advisory_is_withdrawn_and_restored),
        TEST(test_identity__rollout_counts_identities_not_records),
        TEST(test_identity__same_id_from_two_sources_keeps_both),
        TEST(test_identity__withdrawal_keeps_what_another_record_supports),
        TEST(test_identity__related_is_shown_never_joined),
        TEST(test_import__rejects_go_to_the_log_callback),
        TEST(test_identity__batched_regroup_equals_record_by_record),
    };
#undef TEST
    int rc;
    if (!ct_test_backend_available()) {
        printf("skipped: CT_TEST_PG_DSN not set\n");
        return CT_TEST_SKIP;
    }
    go_line = ct_test_shared_line_with("conformance/advisories/osv/go-vulndb/osv-go.jsonl.gz",
                        "\"id\":\"" GO_ID "\"");
    cve_line = ct_test_shared_line_with("conformance/advisories/cve5/cve5-vulnrichment.jsonl.gz",
                         "\"cveId\":\"" CVE_ID "\"");
    if (!go_line || !cve_line) {
        printf("skipped: ../shared/conformance/advisories (osv-go, cve5-vulnrichment) absent\n");
        ct_free(go_line);
        ct_free(cve_line);
        return CT_TEST_SKIP;
    }
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    ct_free(go_line);
    ct_free(cve_line);
    return rc;
}

/* match: the in-memory match index (src/match/match_index.c) against the per-range matcher,
 * and the store's findings computed through the index against the previous per-pair path
 * (CT_MATCH_PER_PAIR=1) on real data: the OSV records of the Go vulnerability database,
 * RustSec and the PyPA advisory database, and every SBOM under ../shared/conformance/sboms.
 * Both runs do the same steps (advisories, SBOMs, more advisories against the existing index,
 * more SBOMs, a triage statement that later releases inherit, a full rematch) and must leave
 * the same findings, compared as multisets. CT_TEST_USES_STORE: runs on SQLite and PostgreSQL. */
#include "ct_test.h"

#include "cratrace/match.h"
#include "cratrace/store.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the index alone ------------------------------------------------------------------- */

typedef struct {
    int64_t ranges[16];
    size_t n;
} hits;

static int collect(const ct_match_hit *h, void *payload)
{
    hits *hs = payload;
    assert_true(hs->n < CT_NELEM(hs->ranges));
    hs->ranges[hs->n++] = h->range_id;
    return 0;
}

static hits lookup(ct_match_index *ix, const char *key, const char *version, ct_match_stats *ms)
{
    hits hs = { { 0 }, 0 };
    assert_int_equal(ct_match_index_lookup(ix, key, version, ms, collect, &hs), 0);
    return hs;
}

/* Each (range, version) pair gives the same answer through the index as through
 * ct_matcher_test, including the pairs the matcher cannot evaluate. */
static void test_match_index__agrees_with_matcher(void **state)
{
    static const char *const ranges[] = {
        "vers:semver/>=1.0.0|<1.0.2|>=3.0.0|<3.2.5", "vers:pypi/<=2.1.214",
        "vers:golang/<v1.4.0", "vers:semver/*", "vers:deb/>=1:1.2-1|<1:1.2-5",
        "vers:nosuchscheme/<1", "vers:semver/>=1.0.0|<1.5.0",
    };
    static const char *const versions[] = { "0.9.9", "1.0.1", "1.0.2", "3.2.5-rc.1", "2.1.214",
                                            "2.1.215", "1:1.2-3", "not a version" };
    ct_match_index *ix;
    ct_matcher *m;
    (void)state;

    assert_int_equal(ct_match_index_new(&ix), 0);
    assert_int_equal(ct_matcher_new(&m), 0);
    for (size_t r = 0; r < CT_NELEM(ranges); r++)
        assert_int_equal(ct_match_index_add(ix, "pkg", (int64_t)r + 1, 100, ranges[r]), 0);
    for (size_t v = 0; v < CT_NELEM(versions); v++) {
        ct_match_stats ms = { 0 };
        hits hs = lookup(ix, "pkg", versions[v], &ms);
        size_t k = 0, bad = 0;
        for (size_t r = 0; r < CT_NELEM(ranges); r++) {
            bool hit = false;
            if (ct_matcher_test(&hit, m, ranges[r], versions[v]) < 0) {
                ct_error_clear();
                bad++;
                continue;
            }
            if (hit) {
                assert_true(k < hs.n);
                assert_int_equal(hs.ranges[k], (int64_t)r + 1);
                k++;
            }
        }
        assert_int_equal(k, hs.n);
        assert_int_equal(ms.candidates, CT_NELEM(ranges));
        assert_int_equal(ms.unmatchable, bad);
    }
    ct_matcher_free(m);
    ct_match_index_free(ix);
}

/* Removing an advisory hides the ranges it had; ranges added after the removal (its new
 * version) are found; other packages and advisories are untouched. */
static void test_match_index__remove_then_readd(void **state)
{
    ct_match_index *ix;
    ct_match_stats ms = { 0 };
    hits hs;
    (void)state;

    assert_int_equal(ct_match_index_new(&ix), 0);
    assert_int_equal(ct_match_index_add(ix, "golang/a", 1, 10, "vers:semver/<1.5.0"), 0);
    assert_int_equal(ct_match_index_add(ix, "golang/a", 2, 11, "vers:semver/<2.0.0"), 0);
    assert_int_equal(ct_match_index_add(ix, "golang/b", 3, 10, "vers:semver/<9.0.0"), 0);
    hs = lookup(ix, "golang/a", "1.2.0", &ms);
    assert_int_equal(hs.n, 2);
    assert_int_equal(ct_match_index_remove_advisory(ix, 10), 0);
    hs = lookup(ix, "golang/a", "1.2.0", &ms);
    assert_int_equal(hs.n, 1);
    assert_int_equal(hs.ranges[0], 2);
    assert_int_equal(lookup(ix, "golang/b", "1.2.0", &ms).n, 0);
    /* the record's new version: same advisory, new range */
    assert_int_equal(ct_match_index_add(ix, "golang/a", 4, 10, "vers:semver/<1.3.0"), 0);
    hs = lookup(ix, "golang/a", "1.2.0", &ms);
    assert_int_equal(hs.n, 2);
    assert_int_equal(hs.ranges[0], 2);
    assert_int_equal(hs.ranges[1], 4);
    assert_int_equal(lookup(ix, "golang/none", "1.2.0", &ms).n, 0);
    assert_true(ct_match_index_bytes(ix) > 0);
    ct_match_index_free(ix);
}

/* ---- the store: index against per pair on real data ------------------------------------- */

typedef struct {
    char **v;
    size_t n;
} strset;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char *jstr(json_object *o, const char *k)
{
    json_object *x;
    return json_object_object_get_ex(o, k, &x) && json_object_is_type(x, json_type_string)
               ? json_object_get_string(x)
               : "-";
}

/* Every (finding, source record) of the store as one line, sorted. */
static strset findings_of(ct_store *st)
{
    ct_buf out = CT_BUF_INIT, line = CT_BUF_INIT;
    strset s = { NULL, 0 };
    json_object *arr;

    if (ct_store_findings_json(&out, st, NULL, NULL) < 0)
        fail_msg("findings: %s", ct_error_format());
    assert_non_null(arr = json_tokener_parse(out.ptr));
    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        json_object *f = json_object_array_get_idx(arr, i), *recs;
        assert_true(json_object_object_get_ex(f, "records", &recs));
        for (size_t k = 0; k < json_object_array_length(recs); k++) {
            json_object *r = json_object_array_get_idx(recs, k);
            ct_buf_reset(&line);
            ct_buf_printf(&line, "%s|%s|%s|%s|%s|%s|%s|%s|%s", jstr(f, "product"),
                          jstr(f, "release"), jstr(f, "purl"), jstr(f, "version"),
                          jstr(f, "state"), jstr(r, "advisory"), jstr(r, "range"),
                          jstr(r, "rule"), jstr(f, "advisory"));
            s.v = ct_reallocarray(s.v, s.n + 1, sizeof *s.v);
            s.v[s.n++] = ct_buf_detach(&line);
        }
    }
    json_object_put(arr);
    ct_buf_dispose(&out);
    ct_buf_dispose(&line);
    if (s.n)
        qsort(s.v, s.n, sizeof *s.v, cmp_str);
    return s;
}

static void strset_free(strset *s)
{
    for (size_t i = 0; i < s->n; i++)
        ct_free(s->v[i]);
    ct_free(s->v);
}

static void same_sets(const char *what, const strset *a, const strset *b)
{
    size_t i = 0, j = 0, shown = 0;
    while ((i < a->n || j < b->n) && shown < 10) {
        int c = i == a->n ? 1 : j == b->n ? -1 : strcmp(a->v[i], b->v[j]);
        if (c == 0) {
            i++, j++;
            continue;
        }
        print_message("%s: only %s: %s\n", what, c < 0 ? "index" : "per-pair",
                      c < 0 ? a->v[i] : b->v[j]);
        c < 0 ? i++ : j++;
        shown++;
    }
    if (shown)
        fail_msg("%s: index and per-pair findings differ (%zu vs %zu lines)", what, a->n, b->n);
    assert_int_equal(a->n, b->n);
}

static void import_osv(ct_store *st, const char *rel, ct_match_stats *ms)
{
    char *p = ct_test_shared_path(rel);
    ct_import_stats is;
    memset(&is, 0, sizeof is);
    assert_non_null(p);
    if (ct_import_advisories(st, p, &is) < 0)
        fail_msg("import %s: %s", p, ct_error_format());
    ms->candidates += is.match.candidates;
    ms->findings += is.match.findings;
    ct_free(p);
}

/* SBOMs [from, to) of the list, each as release rel of product "p<i>"; SBOMs the readers
 * refuse (VEX documents, unsupported formats) fail the same way on both paths. */
static size_t import_sboms(ct_store *st, const ct_test_files *fl, size_t from, size_t to,
                           const char *rel, ct_time when, ct_match_stats *ms)
{
    size_t ok = 0;
    for (size_t i = from; i < to && i < fl->n; i++) {
        char product[32];
        ct_import_stats is;
        memset(&is, 0, sizeof is);
        snprintf(product, sizeof product, "p%03zu", i);
        if (ct_import_sbom_file(NULL, st, fl->paths[i], product, rel, when, &is) < 0) {
            ct_error_clear();
            continue;
        }
        ms->candidates += is.match.candidates;
        ms->findings += is.match.findings;
        ok++;
    }
    return ok;
}

typedef struct {
    strset incremental, all;
    ct_match_stats ms_inc, ms_all;
    size_t sboms;
} run_result;

static run_result run(const ct_ctx *ctx, bool by_pair, const ct_test_files *fl)
{
    run_result r;
    ct_store *st;
    size_t half = fl->n / 2;
    ct_buf out = CT_BUF_INIT;

    memset(&r, 0, sizeof r);
    if (by_pair)
        setenv("CT_MATCH_PER_PAIR", "1", 1);
    else
        unsetenv("CT_MATCH_PER_PAIR");
    st = ct_test_store_open(ctx);
    import_osv(st, "conformance/advisories/osv/go-vulndb/osv-go.jsonl.gz", &r.ms_inc);
    r.sboms += import_sboms(st, fl, 0, half, "1.0", 1700000000, &r.ms_inc);
    /* advisories arriving after the index was built: rematched per advisory, index kept */
    import_osv(st, "conformance/advisories/osv/rustsec/osv-crates.io.jsonl.gz", &r.ms_inc);
    import_osv(st, "conformance/advisories/osv/pypa-advisory-database/osv-pypi.jsonl.gz",
               &r.ms_inc);
    r.sboms += import_sboms(st, fl, half, fl->n, "1.0", 1700000000, &r.ms_inc);
    /* a triage statement on the first finding's release, inherited by the next release */
    if (ct_store_findings_json(&out, st, NULL, NULL) < 0)
        fail_msg("findings: %s", ct_error_format());
    json_object *arr = json_tokener_parse(out.ptr);
    assert_non_null(arr);
    assert_true(json_object_array_length(arr) > 0);
    json_object *f0 = json_object_array_get_idx(arr, 0);
    ct_vex_statement v = { jstr(f0, "product"), jstr(f0, "release"), jstr(f0, "advisory"),
                           "not_affected", "vulnerable_code_not_present", NULL, "test",
                           "matchidx" };
    ct_vex_set_result vr;
    if (ct_store_vex_set(&vr, st, &v) < 0)
        fail_msg("vex: %s", ct_error_format());
    size_t p0 = (size_t)strtoul(jstr(f0, "product") + 1, NULL, 10);
    json_object_put(arr);
    ct_buf_dispose(&out);
    r.sboms += import_sboms(st, fl, p0, p0 + 1, "2.0", 1800000000, &r.ms_inc);
    r.incremental = findings_of(st);
    if (ct_store_match_all(st, &r.ms_all) < 0)
        fail_msg("match_all: %s", ct_error_format());
    r.all = findings_of(st);
    ct_store_close(st);
    unsetenv("CT_MATCH_PER_PAIR");
    return r;
}

static void test_match_index__same_findings_as_per_pair(void **state)
{
    static const char *const exts[] = { ".json", ".xml", ".spdx", ".sbom", NULL };
    char *dir = ct_test_shared_path("conformance/sboms");
    char *go = ct_test_shared_path("conformance/advisories/osv/go-vulndb/osv-go.jsonl.gz");
    ct_test_files fl = CT_TEST_FILES_INIT;
    ct_ctx *ctx;
    (void)state;

    if (!dir || !go) {
        ct_free(dir);
        ct_free(go);
        skip(); /* ../shared/conformance absent: reported as skipped */
    }
    ct_test_collect(&fl, dir, exts);
    ctx = ct_test_ctx();
    run_result ix = run(ctx, false, &fl), pp = run(ctx, true, &fl);
    print_message("%zu SBOMs; incremental: %zu finding records (index), %zu (per pair); "
                  "after match_all %zu / %zu\n",
                  ix.sboms, ix.incremental.n, pp.incremental.n, ix.all.n, pp.all.n);
    assert_int_equal(ix.sboms, pp.sboms);
    assert_true(ix.sboms > 50);
    assert_true(ix.incremental.n > 100); /* real SBOMs meet real advisories */
    same_sets("incremental", &ix.incremental, &pp.incremental);
    same_sets("match_all", &ix.all, &pp.all);
    /* the same pairs were examined */
    assert_int_equal(ix.ms_all.candidates, pp.ms_all.candidates);
    assert_int_equal(ix.ms_all.unmatchable, pp.ms_all.unmatchable);
    /* the inherited statement shows on both paths */
    bool inherited = false;
    for (size_t i = 0; i < ix.incremental.n && !inherited; i++)
        inherited = strstr(ix.incremental.v[i], "|2.0|") && strstr(ix.incremental.v[i],
                                                                    "|not_affected|");
    assert_true(inherited);
    strset_free(&ix.incremental);
    strset_free(&ix.all);
    strset_free(&pp.incremental);
    strset_free(&pp.all);
    ct_ctx_free(ctx);
    ct_test_files_free(&fl);
    ct_free(dir);
    ct_free(go);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_match_index__agrees_with_matcher),
        cmocka_unit_test(test_match_index__remove_then_readd),
        cmocka_unit_test(test_match_index__same_findings_as_per_pair),
    };
    if (!ct_test_backend_available()) {
        printf("skipped: backend %s not available (CT_TEST_PG_DSN unset)\n", ct_test_backend());
        return CT_TEST_SKIP;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}

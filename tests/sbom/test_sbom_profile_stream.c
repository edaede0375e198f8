/* `sbom validate --profile` in one pass (issue 5, valprof): on every real SBOM under
 * ../shared/conformance/sboms and on its first half (truncated), read from a file mapping whose
 * pages are dropped as the readers go,
 * - ct_sbom__parse_validate_tape (one tape for report, model and CycloneDX JSON facts) gives
 *   ct_sbom_parse_validate()'s report and model and ct_sbom_facts_read()'s facts on a heap copy;
 * - ct_sbom__facts_read_released on the mapping gives ct_sbom_facts_read()'s facts;
 * - ct_sbom__profile_check_each hands over the findings of ct_sbom_profile_check, in order,
 *   with the same counts, keeping none. */
#include "ct_test.h"

#include "base/file_map.h"
#include "cratrace/sbom_profile.h"
#include "cratrace/sbom_validate.h"
#include "sbom/profile_int.h"

#include <stdio.h>
#include <string.h>

static char *sbom_root;

static void same_report(const char *what, const ct_sbom_report *a, const ct_sbom_report *b)
{
    if (a->valid != b->valid || a->schema_checked != b->schema_checked ||
        a->nerrors != b->nerrors)
        fail_msg("%s: reports differ (valid %d/%d, %zu/%zu errors)", what, a->valid, b->valid,
                 a->nerrors, b->nerrors);
    ct_test_same_str("format", 0, a->format, b->format);
    ct_test_same_str("spec_version", 0, a->spec_version, b->spec_version);
    for (size_t i = 0; i < a->nerrors; i++) {
        ct_test_same_str("location", i, a->errors[i].location, b->errors[i].location);
        ct_test_same_str("message", i, a->errors[i].message, b->errors[i].message);
    }
}

static void same_facts(const ct_sbom_facts *a, const ct_sbom_facts *b)
{
    assert_non_null(a);
    assert_non_null(b);
    ct_test_same_str("facts format", 0, a->format, b->format);
    ct_test_same_str("facts author", 0, a->author, b->author);
    ct_test_same_str("facts author_contact", 0, a->author_contact, b->author_contact);
    ct_test_same_str("facts timestamp", 0, a->timestamp, b->timestamp);
    assert_true(a->tool_only == b->tool_only);
    assert_true(a->has_vulnerabilities == b->has_vulnerabilities);
    assert_true(a->has_properties == b->has_properties);
    assert_int_equal(a->ncomponents, b->ncomponents);
    for (size_t i = 0; i < a->ncomponents; i++) {
        const ct_sbom_facts_component *x = &a->components[i], *y = &b->components[i];
        ct_test_same_str("facts ref", i, x->ref, y->ref);
        ct_test_same_str("facts filename", i, x->filename, y->filename);
        ct_test_same_str("facts creator_contact", i, x->creator_contact, y->creator_contact);
        ct_test_same_str("facts executable", i, x->executable, y->executable);
        ct_test_same_str("facts archive", i, x->archive, y->archive);
        ct_test_same_str("facts structured", i, x->structured, y->structured);
        assert_true(x->deps_stated == y->deps_stated);
    }
}

typedef struct {
    const ct_ctx *ctx;
    ct_sbom_facts *facts;
    int calls;
} tape_facts;

static int on_tape(void *payload, const ct_jtape *t)
{
    tape_facts *tf = payload;
    tf->calls++;
    return ct_sbom__facts_from_tape(&tf->facts, tf->ctx, t);
}

/* The findings handed over by ct_sbom__profile_check_each, compared with a report's, in order. */
typedef struct {
    const ct_sbom_profile_report *want;
    size_t n;
} each_cmp;

static int cmp_finding(void *payload, const ct_sbom_profile_finding *f)
{
    each_cmp *ec = payload;
    assert_true(ec->n < ec->want->nfindings);
    const ct_sbom_profile_finding *w = &ec->want->findings[ec->n];
    ct_test_same_str("finding component", ec->n, w->component, f->component);
    ct_test_same_str("finding purl", ec->n, w->purl, f->purl);
    ct_test_same_str("finding field", ec->n, w->field, f->field);
    ct_test_same_str("finding requirement", ec->n, w->requirement, f->requirement);
    ct_test_same_str("finding message", ec->n, w->message, f->message);
    assert_ptr_equal(w->waiver, f->waiver);
    ec->n++;
    return 0;
}

static void same_profile(const ct_sbom *m, const ct_sbom_facts *facts, const char *profile,
                         const ct_sbom_waiver *w, size_t nw)
{
    ct_sbom_profile_report *want = NULL, *counted = NULL, *streamed = NULL;
    each_cmp ec;
    assert_int_equal(ct_sbom_profile_check(&want, m, facts, profile, w, nw), 0);
    assert_int_equal(ct_sbom__profile_check_each(&counted, m, facts, profile, w, nw, NULL, NULL),
                     0);
    ec.want = want;
    ec.n = 0;
    assert_int_equal(
        ct_sbom__profile_check_each(&streamed, m, facts, profile, w, nw, cmp_finding, &ec), 0);
    assert_int_equal(ec.n, want->nfindings);
    for (int k = 0; k < 2; k++) {
        const ct_sbom_profile_report *r = k ? streamed : counted;
        assert_null(r->findings);
        assert_int_equal(r->nfindings, want->nfindings);
        assert_int_equal(r->checks, want->checks);
        assert_int_equal(r->satisfied, want->satisfied);
        assert_int_equal(r->failed, want->failed);
        assert_int_equal(r->waived, want->waived);
        assert_true(r->passed == want->passed);
        assert_true(r->score == want->score);
        assert_string_equal(r->profile, want->profile);
    }
    ct_sbom_profile_report_free(want);
    ct_sbom_profile_report_free(counted);
    ct_sbom_profile_report_free(streamed);
}

/* One input: path's first len bytes (the whole file, or a truncated copy written to dir). */
static void one(const ct_ctx *ctx, const char *path, size_t *nvalid)
{
    ct_file_map in;
    ct_sbom *m1 = NULL, *m2 = NULL;
    ct_sbom_report *r1 = NULL, *r2 = NULL;
    ct_sbom_facts *f2 = NULL, *fr = NULL;
    tape_facts tf = { ctx, NULL, 0 };
    size_t len = 0;
    char *heap = ct_test_read(path, &len);

    assert_int_equal(ct_file_map_open(&in, path, (size_t)64 << 20, 0), 0);
    assert_true(ct_file_map_mapped(&in) || len == 0);
    assert_int_equal(ct_sbom__parse_validate_tape(&m1, &r1, ctx, in.data, in.len, path, NULL,
                                                  ct_file_map_release, &in, on_tape, &tf),
                     0);
    ct_error_clear();
    assert_int_equal(ct_sbom_parse_validate(&m2, &r2, ctx, heap, len, path, NULL), 0);
    ct_error_clear();
    same_report(path, r1, r2);
    assert_true((m1 == NULL) == (m2 == NULL));
    if (m1)
        ct_test_same_sbom(m2, m1);
    /* the facts: from the tape only for a valid CycloneDX JSON document that was read */
    assert_true(tf.calls <= 1);
    if (tf.calls)
        assert_true(r1->valid && m1 && r1->format && strcmp(r1->format, "cyclonedx-json") == 0);
    if (r1->valid && m1 && ct_sbom_facts_read(&f2, ctx, heap, len, path) == 0) {
        if (tf.calls)
            same_facts(f2, tf.facts);
        assert_int_equal(ct_sbom__facts_read_released(&fr, ctx, in.data, in.len, path,
                                                      ct_file_map_release, &in),
                         0);
        same_facts(f2, fr);
        same_profile(m1, f2, "ntia", NULL, 0);
        same_profile(m1, f2, "bsi", NULL, 0);
        (*nvalid)++;
    }
    ct_error_clear();
    assert_int_equal(ct_file_map_check(&in, path), 0);
    ct_file_map_close(&in);
    ct_sbom_facts_free(tf.facts);
    ct_sbom_facts_free(f2);
    ct_sbom_facts_free(fr);
    ct_sbom_free(m1);
    ct_sbom_free(m2);
    ct_sbom_report_free(r1);
    ct_sbom_report_free(r2);
    ct_free(heap);
}

static void test_profile_stream__real_sboms_and_their_halves(void **state)
{
    static const char *const exts[] = { ".json", ".xml", ".spdx", NULL };
    ct_test_files fl = CT_TEST_FILES_INIT;
    ct_ctx *ctx = ct_test_ctx();
    char *dir = ct_test_tmpdir();
    size_t nvalid = 0, nhalves = 0;
    (void)state;

    ct_test_collect(&fl, sbom_root, exts);
    assert_true(fl.n >= 20);
    for (size_t i = 0; i < fl.n; i++) {
        size_t len = 0;
        char *text = ct_test_read(fl.paths[i], &len), name[64], *cut;
        one(ctx, fl.paths[i], &nvalid);
        if (len >= 64) { /* the first half: malformed, reported where it ends */
            text[len / 2] = '\0';
            snprintf(name, sizeof name, "half-%zu", i);
            cut = ct_test_write_file(dir, name, text);
            one(ctx, cut, &nvalid);
            ct_free(cut);
            nhalves++;
        }
        ct_free(text);
    }
    /* the comparisons ran on documents with a model and facts, not only on refusals */
    assert_true(nvalid >= 20);
    assert_true(nhalves >= 20);
    ct_test_files_free(&fl);
    ct_free(dir);
    ct_ctx_free(ctx);
}

/* Waivers (a document-wide one and one for a component) through the stream: the same waived
 * findings as the report. */
static void test_profile_stream__waivers(void **state)
{
    char path[4096];
    ct_ctx *ctx = ct_test_ctx();
    ct_sbom *m = NULL;
    ct_sbom_facts *f = NULL;
    size_t len = 0;
    char *text;
    ct_sbom_waiver w[2];
    (void)state;

    snprintf(path, sizeof path, "%s/bom-shelter/in-the-wild/cyclonedx/redis-commander-sbom-cdx.json",
             sbom_root);
    text = ct_test_read(path, &len);
    assert_int_equal(ct_sbom_parse(&m, ctx, text, len, path), 0);
    assert_int_equal(ct_sbom_facts_read(&f, ctx, text, len, path), 0);
    memset(w, 0, sizeof w);
    w[0].profile = (char *)"ntia";
    w[0].field = (char *)"author";
    w[0].reason = (char *)"test";
    w[1].profile = (char *)"ntia";
    w[1].field = (char *)"supplier";
    w[1].component = m->ncomponents ? m->components[0].purl : NULL;
    w[1].reason = (char *)"test";
    assert_non_null(w[1].component);
    same_profile(m, f, "ntia", w, 2);
    ct_sbom_facts_free(f);
    ct_sbom_free(m);
    ct_free(text);
    ct_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_profile_stream__real_sboms_and_their_halves),
        cmocka_unit_test(test_profile_stream__waivers),
    };
    if (!(sbom_root = ct_test_shared_path("conformance/sboms"))) {
        printf("skipped: ../shared/conformance/sboms is absent\n");
        return CT_TEST_SKIP;
    }
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    ct_free(sbom_root);
    return rc;
}

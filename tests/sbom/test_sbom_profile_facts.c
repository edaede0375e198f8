/* Unit tests for the profile facts readers (src/sbom/profile_facts.c: CycloneDX and SPDX JSON
 * over a JSON tape; profile_facts_xml.c: CycloneDX XML streamed with xmlTextReader) and for the
 * engine's facts lookup by ref (profile.c). The JSON and XML forms of one SBOM must give the
 * same facts, field by field: the real Laravel pair of bom-examples, and real CycloneDX JSON
 * SBOMs written as CycloneDX JSON and XML by cratrace's writers (the facts of both outputs
 * compared; each checked against the model it was written from). */
#include "ct_test.h"

#include "cratrace/sbom_profile.h"

#include <stdio.h>
#include <string.h>

static char *sbom_root;

static bool seq(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* every fact but the format name; *ndeps_out counts components with deps_stated */
static void assert_same_facts(const ct_sbom_facts *a, const ct_sbom_facts *b, size_t *ndeps_out)
{
    size_t ndeps = 0;
    assert_true(seq(a->author, b->author));
    assert_true(seq(a->author_contact, b->author_contact));
    assert_true(seq(a->timestamp, b->timestamp));
    assert_int_equal(a->tool_only, b->tool_only);
    assert_int_equal(a->has_vulnerabilities, b->has_vulnerabilities);
    assert_int_equal(a->has_properties, b->has_properties);
    assert_int_equal(a->ncomponents, b->ncomponents);
    for (size_t i = 0; i < a->ncomponents; i++) {
        const ct_sbom_facts_component *x = &a->components[i], *y = &b->components[i];
        if (!seq(x->ref, y->ref) || !seq(x->filename, y->filename) ||
            !seq(x->creator_contact, y->creator_contact) || !seq(x->executable, y->executable) ||
            !seq(x->archive, y->archive) || !seq(x->structured, y->structured) ||
            x->deps_stated != y->deps_stated)
            fail_msg("component %zu (%s / %s) differs", i, x->ref ? x->ref : "-",
                     y->ref ? y->ref : "-");
        ndeps += x->deps_stated;
    }
    if (ndeps_out)
        *ndeps_out = ndeps;
}

static ct_sbom_facts *facts_of_file(ct_ctx *ctx, const char *rel, ct_sbom **model_out)
{
    char path[4096];
    char *data = NULL;
    size_t len = 0;
    ct_sbom_facts *f = NULL;
    snprintf(path, sizeof path, "%s/%s", sbom_root, rel);
    if (ct_file_read(&data, &len, path, 64u << 20) < 0)
        fail_msg("%s: %s", path, ct_error_last()->message);
    if (model_out && ct_sbom_parse(model_out, ctx, data, len, path) < 0)
        fail_msg("%s: %s", path, ct_error_last()->message);
    if (ct_sbom_facts_read(&f, ctx, data, len, path) < 0)
        fail_msg("%s: facts: %s", path, ct_error_last()->message);
    ct_free(data);
    return f;
}

/* The same SBOM published by its authors as CycloneDX 1.4 JSON and XML. */
static void test_facts__laravel_json_equals_xml(void **state)
{
    ct_ctx *ctx = ct_test_ctx();
    size_t ndeps = 0;
    (void)state;
    ct_sbom_facts *j = facts_of_file(ctx, "cyclonedx-bom-examples/SBOM/laravel-7.12.0/bom.1.4.json",
                                     NULL);
    ct_sbom_facts *x = facts_of_file(ctx, "cyclonedx-bom-examples/SBOM/laravel-7.12.0/bom.1.4.xml",
                                     NULL);
    assert_string_equal(j->format, "cyclonedx-json");
    assert_string_equal(x->format, "cyclonedx-xml");
    assert_true(j->ncomponents > 10);
    assert_same_facts(j, x, &ndeps);
    assert_true(ndeps > 0); /* the pair states dependencies: the comparison covers them */
    ct_sbom_facts_free(j);
    ct_sbom_facts_free(x);
    ct_ctx_free(ctx);
}

/* A real SBOM converted by cratrace to CycloneDX JSON and to CycloneDX XML: the facts of the
 * two outputs are equal, and both match the model they were written from (refs in order, a
 * stated dependency list exactly for the refs the model's edges start from). */
static void convert_both(const char *rel)
{
    ct_ctx *ctx = ct_test_ctx();
    ct_sbom *model = NULL;
    ct_buf js = CT_BUF_INIT, xs = CT_BUF_INIT;
    ct_sbom_facts *fj = NULL, *fx = NULL, *orig;
    size_t ndeps = 0;

    orig = facts_of_file(ctx, rel, &model);
    assert_true(ct_sbom_write(&js, model, "cyclonedx-json", "1.6") >= 0);
    assert_true(ct_sbom_write(&xs, model, "cyclonedx-xml", "1.6") >= 0);
    if (ct_sbom_facts_read(&fj, ctx, js.ptr, js.len, "written.json") < 0 ||
        ct_sbom_facts_read(&fx, ctx, xs.ptr, xs.len, "written.xml") < 0)
        fail_msg("%s: facts of the written documents: %s", rel, ct_error_last()->message);
    assert_string_equal(fj->format, "cyclonedx-json");
    assert_string_equal(fx->format, "cyclonedx-xml");
    assert_same_facts(fj, fx, &ndeps);
    /* what the writers keep: one facts component per model component, same refs */
    assert_int_equal(fj->ncomponents, model->ncomponents);
    assert_true(model->ncomponents > 0);
    for (size_t i = 0; i < model->ncomponents; i++) {
        bool from = false;
        assert_true(seq(fj->components[i].ref, model->components[i].bom_ref));
        for (size_t d = 0; d < model->ndeps && !from; d++)
            from = model->components[i].bom_ref &&
                   strcmp(model->deps[d].ref, model->components[i].bom_ref) == 0;
        assert_int_equal(fj->components[i].deps_stated, from);
    }
    if (model->ndeps)
        assert_true(ndeps > 0);
    ct_sbom_facts_free(orig);
    ct_sbom_facts_free(fj);
    ct_sbom_facts_free(fx);
    ct_buf_dispose(&js);
    ct_buf_dispose(&xs);
    ct_sbom_free(model);
    ct_ctx_free(ctx);
}

static void test_facts__converted_json_equals_xml(void **state)
{
    (void)state;
    convert_both("bom-shelter/in-the-wild/cyclonedx/kawipiko-sbom-cdx.json");
    convert_both("bom-shelter/in-the-wild/cyclonedx/redis-commander-sbom-cdx.json");
    convert_both("cyclonedx-bom-examples/SBOM/laravel-7.12.0/bom.1.4.json");
}

/* The XML reader streams the document: its errors keep the DOM reader's order (not
 * well-formed anywhere, then DOCTYPE, then the root element), and a facts error found early
 * still loses to a syntax error later in the document. */
static void test_facts__xml_errors(void **state)
{
    static const struct {
        const char *doc, *msg;
    } cases[] = {
        { "<?xml version=\"1.0\"?><bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\">"
          "<components><component type=\"library\"><name>a</name></component></components>",
          "not well-formed" },
        { "<?xml version=\"1.0\"?><!DOCTYPE bom><bom "
          "xmlns=\"http://cyclonedx.org/schema/bom/1.6\"/>",
          "DOCTYPE declarations are not allowed" },
        { "<?xml version=\"1.0\"?><bom xmlns=\"urn:other\"><components/></bom>",
          "not a CycloneDX XML document" },
        { "<?xml version=\"1.0\"?><bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\">"
          "<metadata/></bom><trailing/>",
          "not well-formed" },
    };
    ct_ctx *ctx = ct_test_ctx();
    (void)state;
    for (size_t i = 0; i < CT_NELEM(cases); i++) {
        ct_sbom_facts *f = NULL;
        int rc = ct_sbom_facts_read(&f, ctx, cases[i].doc, strlen(cases[i].doc), "t.xml");
        assert_int_equal(rc, CT_EPARSE);
        assert_null(f);
        if (!strstr(ct_error_last()->message, cases[i].msg))
            fail_msg("case %zu: %s", i, ct_error_last()->message);
    }
    ct_ctx_free(ctx);
}

/* Only the first <components>, <dependencies> and <vulnerabilities> of <bom> count (as the
 * DOM reader's first-child lookup had it); dependency refs are attributes, read without
 * expanding the element; nested components are facts components in document order. */
static void test_facts__xml_first_lists_only(void **state)
{
    static const char xml[] =
        "<?xml version=\"1.0\"?><bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\">"
        "<components><component type=\"library\" bom-ref=\"a\"><name>a</name><components>"
        "<component type=\"library\" bom-ref=\"a1\"><name>a1</name></component></components>"
        "</component></components>"
        "<components><component type=\"library\" bom-ref=\"b\"><name>b</name></component>"
        "</components>"
        "<dependencies><dependency ref=\"a1\"><dependency ref=\"a\"/></dependency>"
        "</dependencies><dependencies><dependency ref=\"a\"/></dependencies>"
        "<vulnerabilities/><vulnerabilities><vulnerability/></vulnerabilities></bom>";
    ct_ctx *ctx = ct_test_ctx();
    ct_sbom_facts *f = NULL;
    (void)state;
    if (ct_sbom_facts_read(&f, ctx, xml, strlen(xml), "t.xml") < 0)
        fail_msg("%s", ct_error_last()->message);
    assert_int_equal(f->ncomponents, 2);
    assert_string_equal(f->components[0].ref, "a");
    assert_string_equal(f->components[1].ref, "a1");
    assert_false(f->components[0].deps_stated); /* only in the second <dependencies> */
    assert_true(f->components[1].deps_stated);
    assert_false(f->has_vulnerabilities); /* the first <vulnerabilities> is empty */
    ct_sbom_facts_free(f);
    ct_ctx_free(ctx);
}

/* The engine finds a component's facts by ref when the lists do not line up (an index built
 * once, not a scan per component): reversing the facts gives the same report. */
static void test_facts__lookup_by_ref(void **state)
{
    ct_ctx *ctx = ct_test_ctx();
    ct_sbom *model = NULL;
    ct_sbom_facts *f = facts_of_file(ctx, "bom-shelter/in-the-wild/cyclonedx/kawipiko-sbom-cdx.json",
                                     &model);
    ct_sbom_profile_report *a = NULL, *b = NULL;
    size_t n = f->ncomponents, moved = 0;
    (void)state;
    assert_true(n > 2);
    assert_int_equal(n, model->ncomponents);
    assert_int_equal(ct_sbom_profile_check(&a, model, f, "bsi", NULL, 0), 0);
    for (size_t i = 0; i < n / 2; i++) { /* reverse: the same facts, other positions */
        ct_sbom_facts_component t = f->components[i];
        f->components[i] = f->components[n - 1 - i];
        f->components[n - 1 - i] = t;
    }
    for (size_t i = 0; i < n; i++)
        moved += !seq(f->components[i].ref, model->components[i].bom_ref);
    assert_true(moved > 0);
    f->ncomponents--; /* and the lists differ in length: every lookup goes by ref */
    assert_int_equal(ct_sbom_profile_check(&b, model, f, "bsi", NULL, 0), 0);
    f->ncomponents++;
    /* the one facts component left out (the model's first) now has none */
    size_t lost_first = 0;
    for (size_t i = 0; i < b->nfindings; i++)
        lost_first += b->findings[i].component && model->components[0].bom_ref &&
                      strcmp(b->findings[i].component, model->components[0].bom_ref) == 0;
    assert_int_equal(b->checks, a->checks);
    for (size_t i = 0, k = 0; i < a->nfindings; i++) {
        const ct_sbom_profile_finding *x = &a->findings[i];
        if (x->component && model->components[0].bom_ref &&
            strcmp(x->component, model->components[0].bom_ref) == 0)
            continue;
        while (k < b->nfindings && b->findings[k].component && model->components[0].bom_ref &&
               strcmp(b->findings[k].component, model->components[0].bom_ref) == 0)
            k++;
        assert_true(k < b->nfindings);
        assert_string_equal(x->field, b->findings[k].field);
        assert_true(seq(x->component, b->findings[k].component));
        assert_string_equal(x->message, b->findings[k].message);
        k++;
    }
    assert_true(lost_first > 0);
    ct_sbom_profile_report_free(a);
    ct_sbom_profile_report_free(b);
    ct_sbom_facts_free(f);
    ct_sbom_free(model);
    ct_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_facts__laravel_json_equals_xml),
        cmocka_unit_test(test_facts__converted_json_equals_xml),
        cmocka_unit_test(test_facts__xml_errors),
        cmocka_unit_test(test_facts__xml_first_lists_only),
        cmocka_unit_test(test_facts__lookup_by_ref),
    };
    if (!(sbom_root = ct_test_shared_path("conformance/sboms"))) {
        printf("skipped: ../shared/conformance/sboms is absent\n");
        return CT_TEST_SKIP;
    }
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    ct_free(sbom_root);
    return rc;
}

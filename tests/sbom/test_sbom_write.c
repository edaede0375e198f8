/* Tests for src/sbom/sbom_write.c and cyclonedx_xml_write.c: lost values are reported, output
 * reads back, values XML or the XSD cannot hold are left out, and every real CycloneDX JSON/XML
 * SBOM under ../shared survives read -> write (same format and version) -> read unchanged.
 * The full format x version matrix with the oracles is tests/conformance/test_roundtrip.c. */
#include "ct_test.h"

#include "cratrace/sbom.h"
#include "cratrace/sbom_validate.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ct_ctx *g_ctx;

static void count_lost(void *payload, const char *field, const char *ref)
{
    (void)field;
    (void)ref;
    (*(int *)payload)++;
}

typedef struct {
    char from[64], to[64];
    int n;
} rename_note;

static void on_renamed(void *payload, const char *from, const char *to)
{
    rename_note *r = payload;
    snprintf(r->from, sizeof r->from, "%s", from);
    snprintf(r->to, sizeof r->to, "%s", to);
    r->n++;
}

static const char cdx_doc[] =
    "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.5\",\n"
    " \"metadata\": {\"component\": {\"type\": \"firmware\", \"name\": \"gw\"}},\n"
    " \"components\": [{\"type\": \"library\", \"bom-ref\": \"a b\", \"group\": \"g\",\n"
    "   \"name\": \"n\\\"q\\n\", \"hashes\": [{\"alg\": \"SHA-256\", \"content\":\n"
    "   \"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"}],\n"
    "   \"components\": [{\"type\": \"data\", \"name\": \"inner\"}]}],\n"
    " \"dependencies\": [{\"ref\": \"a b\", \"dependsOn\": [\"x\"]}]}";

static void test_sbom_write__lost_and_escaping(void **state)
{
    ct_sbom *s = NULL, *back = NULL;
    ct_buf out = CT_BUF_INIT;
    int n = 0;
    ct_sbom_write_options o = CT_SBOM_WRITE_OPTIONS_INIT;
    (void)state;
    assert_int_equal(ct_sbom_parse(&s, g_ctx, cdx_doc, strlen(cdx_doc), "w.json"), 0);
    o.lost = count_lost;
    o.payload = &n;
    /* SPDX cannot hold: group, depth of "inner", type "data", the name "gw" (no such package),
     * and the dependency on "x", which names no package (a relationship to an undefined
     * SPDXID is invalid); "a b" is no SPDXID: renamed, not lost */
    rename_note rn = { "", "", 0 };
    int rc = ct_sbom_write_ex(&out, s, "spdx-json", &o);
    assert_int_equal(rc, 5);
    assert_int_equal(n, 5);
    o.payload = &rn; /* shared by both callbacks: only renames now */
    o.lost = NULL;
    o.renamed = on_renamed;
    ct_buf_reset(&out);
    assert_int_equal(ct_sbom_write_ex(&out, s, "spdx-json", &o), 5);
    assert_int_equal(rn.n, 1);
    assert_string_equal(rn.from, "a b");
    assert_string_equal(rn.to, "SPDXRef-C0-a-b");
    assert_int_equal(ct_sbom_parse(&back, g_ctx, out.ptr, out.len, "w2"), 0);
    assert_int_equal(back->ncomponents, 2);
    assert_string_equal(back->components[0].bom_ref, "SPDXRef-C0-a-b");
    assert_string_equal(back->components[0].name, "n\"q\n");
    assert_string_equal(back->components[0].hashes, s->components[0].hashes);
    assert_int_equal(back->ndeps, 0);
    ct_sbom_free(back);
    ct_sbom_report *r = NULL;
    assert_int_equal(ct_sbom_validate(&r, g_ctx, out.ptr, out.len, "w2"), 0);
    if (!r->valid)
        fail_msg("written SPDX JSON invalid: %s: %s", r->errors[0].location,
                 r->errors[0].message);
    ct_sbom_report_free(r);
    ct_buf_reset(&out);
    assert_int_equal(ct_sbom_write(&out, s, "spdx-tv", NULL), 5);
    assert_int_equal(ct_sbom_parse(&back, g_ctx, out.ptr, out.len, "w3"), 0);
    assert_string_equal(back->components[0].name, "n\"q\n");
    ct_sbom_free(back);
    ct_buf_reset(&out);
    /* CycloneDX 1.4 has no "data" type */
    assert_int_equal(ct_sbom_write(&out, s, "cyclonedx-json", "1.4"), 1);
    ct_buf_reset(&out);
    assert_int_equal(ct_sbom_write(&out, s, "cyclonedx-json", NULL), 0);
    assert_int_equal(ct_sbom_parse(&back, g_ctx, out.ptr, out.len, "w4"), 0);
    assert_int_equal(back->components[1].depth, 1);
    ct_sbom_free(back);
    /* deterministic */
    ct_buf again = CT_BUF_INIT;
    assert_int_equal(ct_sbom_write(&again, s, "cyclonedx-json", NULL), 0);
    assert_string_equal(again.ptr, out.ptr);
    assert_int_equal(ct_sbom_write(&again, s, "cyclonedx-json", "1.3"), CT_EUNSUPPORTED);
    assert_int_equal(ct_sbom_write(&again, s, "cyclonedx-xml", "1.8"), CT_EUNSUPPORTED);
    assert_int_equal(ct_sbom_write(&again, s, "spdx-json", "2.1"), CT_EUNSUPPORTED);
    ct_buf_dispose(&again);
    ct_buf_dispose(&out);
    ct_sbom_free(s);
}

/* SPDX ids: an invalid bom_ref ("/"), a repeated one and a made id that would clash with a kept
 * one each get a valid, unique id; relationships follow the rename; both SPDX serialisations
 * pass our validator and read back with those ids. */
static const char ids_doc[] =
    "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\", \"components\": [\n"
    " {\"type\": \"library\", \"bom-ref\": \"SPDXRef-a\", \"name\": \"a\"},\n"
    " {\"type\": \"library\", \"bom-ref\": \"SPDXRef-a\", \"name\": \"a2\"},\n"
    " {\"type\": \"library\", \"bom-ref\": \"SPDXRef-x/y\", \"name\": \"xy\"},\n"
    " {\"type\": \"library\", \"bom-ref\": \"SPDXRef-x-y\", \"name\": \"x-y\"}],\n"
    " \"dependencies\": [{\"ref\": \"SPDXRef-a\", \"dependsOn\": [\"SPDXRef-x/y\"]},\n"
    "                  {\"ref\": \"SPDXRef-x/y\", \"dependsOn\": [\"SPDXRef-x-y\"]}]}";

typedef struct {
    char from[8][32], to[8][32];
    int n;
} rename_list;

static void on_renamed_list(void *payload, const char *from, const char *to)
{
    rename_list *l = payload;
    assert_true(l->n < 8);
    snprintf(l->from[l->n], sizeof l->from[0], "%s", from);
    snprintf(l->to[l->n], sizeof l->to[0], "%s", to);
    l->n++;
}

static void test_sbom_write__spdx_ids_valid_and_unique(void **state)
{
    static const char *const formats[] = { "spdx-json", "spdx-tv" };
    static const char *const want[] = { "SPDXRef-a", "SPDXRef-a-2", "SPDXRef-x-y-2",
                                        "SPDXRef-x-y" };
    ct_sbom *s = NULL;
    (void)state;
    assert_int_equal(ct_sbom_parse(&s, g_ctx, ids_doc, strlen(ids_doc), "ids.json"), 0);
    for (size_t f = 0; f < CT_NELEM(formats); f++) {
        rename_list rl;
        ct_sbom_write_options o = CT_SBOM_WRITE_OPTIONS_INIT;
        ct_buf out = CT_BUF_INIT;
        ct_sbom *back = NULL;
        ct_sbom_report *r = NULL;
        memset(&rl, 0, sizeof rl);
        o.renamed = on_renamed_list;
        o.payload = &rl;
        assert_int_equal(ct_sbom_write_ex(&out, s, formats[f], &o), 0);
        /* the second "SPDXRef-a" and "SPDXRef-x/y", in model order */
        assert_int_equal(rl.n, 2);
        assert_string_equal(rl.from[0], "SPDXRef-a");
        assert_string_equal(rl.to[0], "SPDXRef-a-2");
        assert_string_equal(rl.from[1], "SPDXRef-x/y");
        assert_string_equal(rl.to[1], "SPDXRef-x-y-2");
        assert_int_equal(ct_sbom_validate(&r, g_ctx, out.ptr, out.len, formats[f]), 0);
        if (!r->valid)
            fail_msg("%s: %s: %s", formats[f], r->errors[0].location, r->errors[0].message);
        ct_sbom_report_free(r);
        assert_int_equal(ct_sbom_parse(&back, g_ctx, out.ptr, out.len, formats[f]), 0);
        assert_int_equal(back->ncomponents, 4);
        for (size_t i = 0; i < 4; i++)
            assert_string_equal(back->components[i].bom_ref, want[i]);
        /* a dependency follows its end's first component: "SPDXRef-a" is the first one */
        assert_int_equal(back->ndeps, 2);
        assert_string_equal(back->deps[0].ref, "SPDXRef-a");
        assert_string_equal(back->deps[0].depends_on, "SPDXRef-x-y-2");
        assert_string_equal(back->deps[1].ref, "SPDXRef-x-y-2");
        assert_string_equal(back->deps[1].depends_on, "SPDXRef-x-y");
        ct_sbom_free(back);
        ct_buf_dispose(&out);
    }
    ct_sbom_free(s);
}

/* CycloneDX XML: the same model back (format aside), type "data" lost in 1.4, characters XML
 * cannot hold and a CPE the XSD pattern refuses are left out and reported */
static void test_sbom_write__cyclonedx_xml(void **state)
{
    ct_sbom *s = NULL, *back = NULL;
    ct_buf out = CT_BUF_INIT;
    (void)state;
    assert_int_equal(ct_sbom_parse(&s, g_ctx, cdx_doc, strlen(cdx_doc), "w.json"), 0);
    assert_int_equal(ct_sbom_write(&out, s, "cyclonedx-xml", "1.5"), 0);
    assert_non_null(strstr(out.ptr, "xmlns=\"http://cyclonedx.org/schema/bom/1.5\""));
    assert_int_equal(ct_sbom_parse(&back, g_ctx, out.ptr, out.len, "w.xml"), 0);
    ct_sbom tmp = *s;
    tmp.format = (char *)"cyclonedx-xml";
    ct_test_same_sbom(&tmp, back);
    ct_sbom_free(back);
    ct_buf_reset(&out);
    assert_int_equal(ct_sbom_write(&out, s, "cyclonedx-xml", "1.4"), 1);
    ct_buf_reset(&out);

    assert_int_equal(ct_sbom_set_str(s, &s->components[1].version, "1\x01"), 0);
    assert_int_equal(
        ct_sbom_set_str(s, &s->components[0].cpe, "cpe:2.3:a:x:y:v1+incompatible:*:*:*:*:*:*:*"),
        0);
    assert_int_equal(
        ct_sbom_set_str(s, &s->components[1].cpe, "cpe:2.3:a:x:y:1\\+2:*:*:en-us:*:*:*:*"), 0);
    int n = 0;
    ct_sbom_write_options o = CT_SBOM_WRITE_OPTIONS_INIT;
    o.lost = count_lost;
    o.payload = &n;
    assert_int_equal(ct_sbom_write_ex(&out, s, "cyclonedx-xml", &o), 2);
    assert_int_equal(n, 2);
    assert_null(strstr(out.ptr, "incompatible"));
    assert_non_null(strstr(out.ptr, "<cpe>cpe:2.3:a:x:y:1\\+2:*:*:en-us:*:*:*:*</cpe>"));
    assert_int_equal(ct_sbom_parse(&back, g_ctx, out.ptr, out.len, "w2.xml"), 0);
    assert_null(back->components[1].version);
    assert_null(back->components[0].cpe);
    ct_sbom_free(back);
    ct_buf_dispose(&out);
    ct_sbom_free(s);
}

/* duplicate bom-refs are left out after the first; repeated dependency edges are written once */
static void test_sbom_write__duplicates(void **state)
{
    static const char doc[] =
        "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"components\":["
        "{\"type\":\"library\",\"bom-ref\":\"a\",\"name\":\"a\"},"
        "{\"type\":\"library\",\"bom-ref\":\"a\",\"name\":\"b\"},"
        "{\"type\":\"library\",\"name\":\"c\"},{\"type\":\"library\",\"name\":\"c\"}],"
        "\"dependencies\":[{\"ref\":\"a\",\"dependsOn\":[\"x\"]},"
        "{\"ref\":\"y\",\"dependsOn\":[\"a\"]},{\"ref\":\"a\",\"dependsOn\":[\"x\",\"z\"]}]}";
    ct_sbom *s = NULL, *back = NULL;
    ct_buf out = CT_BUF_INIT;
    (void)state;
    assert_int_equal(ct_sbom_parse(&s, g_ctx, doc, strlen(doc), "d.json"), 0);
    assert_int_equal(s->ndeps, 4);
    /* JSON: the second "a" loses its bom-ref, the second "c" (same as its sibling) is left out */
    assert_int_equal(ct_sbom_write(&out, s, "cyclonedx-json", "1.6"), 2);
    assert_int_equal(ct_sbom_parse(&back, g_ctx, out.ptr, out.len, "d2.json"), 0);
    assert_int_equal(back->ncomponents, 3);
    assert_null(back->components[1].bom_ref);
    assert_int_equal(back->ndeps, 3); /* a->x, a->z, y->a: grouped by ref, once each */
    assert_string_equal(back->deps[0].ref, "a");
    assert_string_equal(back->deps[0].depends_on, "x");
    assert_string_equal(back->deps[1].depends_on, "z");
    assert_string_equal(back->deps[2].ref, "y");
    ct_sbom_free(back);
    ct_buf_reset(&out);
    /* XML has no uniqueItems: only the bom-ref is lost */
    assert_int_equal(ct_sbom_write(&out, s, "cyclonedx-xml", "1.6"), 1);
    assert_int_equal(ct_sbom_parse(&back, g_ctx, out.ptr, out.len, "d2.xml"), 0);
    assert_int_equal(back->ncomponents, 4);
    assert_int_equal(back->ndeps, 3);
    ct_sbom_free(back);
    ct_buf_dispose(&out);
    ct_sbom_free(s);
}

static void test_sbom_write__cyclonedx_round_trip(void **state)
{
    static const char *const exts[] = { ".json", ".sbom", ".xml", NULL };
    char *root = ct_test_shared_path("conformance/sboms");
    ct_test_files fl = CT_TEST_FILES_INIT;
    size_t done = 0;
    (void)state;
    if (!root)
        skip();
    ct_test_collect(&fl, root, exts);
    for (size_t i = 0; i < fl.n; i++) {
        size_t len = 0;
        char *data = ct_test_read(fl.paths[i], &len);
        ct_sbom *s = NULL, *back = NULL;
        ct_buf out = CT_BUF_INIT;
        if (ct_sbom_parse(&s, g_ctx, data, len, fl.paths[i]) == 0 &&
            strncmp(s->format, "cyclonedx-", 10) == 0 &&
            /* 1.2/1.3 are read but not written (1.4 is the oldest writer): test_roundtrip
             * compares them across versions */
            strcmp(s->spec_version, "1.4") >= 0) {
            int n = ct_sbom_write(&out, s, s->format, s->spec_version);
            if (n < 0)
                fail_msg("%s: %s", fl.paths[i], ct_error_format());
            if (ct_sbom_parse(&back, g_ctx, out.ptr, out.len, "written") != 0)
                fail_msg("%s: reading back: %s", fl.paths[i], ct_error_format());
            if (n == 0)
                ct_test_same_sbom(s, back);
            else
                printf("  %s: %d values not expressible, compared in test_roundtrip\n",
                       fl.paths[i], n);
            done++;
        }
        ct_error_clear();
        ct_sbom_free(s);
        ct_sbom_free(back);
        ct_buf_dispose(&out);
        ct_free(data);
    }
    ct_test_files_free(&fl);
    ct_free(root);
    printf("CycloneDX round trips: %zu\n", done);
    assert_true(done >= 10);
}

static int setup(void **state)
{
    (void)state;
    g_ctx = ct_test_ctx();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ct_ctx_free(g_ctx);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sbom_write__lost_and_escaping),
        cmocka_unit_test(test_sbom_write__cyclonedx_xml),
        cmocka_unit_test(test_sbom_write__duplicates),
        cmocka_unit_test(test_sbom_write__spdx_ids_valid_and_unique),
        cmocka_unit_test(test_sbom_write__cyclonedx_round_trip),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

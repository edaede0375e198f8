/* The model's huge-page arena path (xml9): a CycloneDX XML input of 4 MiB and more is read by the
 * SAX builder (cyclonedx_xml_sax.c) into an arena of 2 MiB huge-page-advised ct_bigmem blocks
 * and ct_bigmem component/dependency arrays (ct_sbom__arena_setup(.., CT_SBOM_ARENA_HUGE |
 * CT_SBOM_ARENA_BIGARRAYS)), which before this test only the 10 MB benchmark went through.
 * A document of ~5 MiB made here (components with every field the model holds, nested ones,
 * long texts that get an arena block of their own, references, dependencies) is read:
 *  - through that path (ct_sbom__xml_sax_model and ct_sbom_parse_validate), which must take
 *    huge-page blocks and big arrays, and
 *  - through the ordinary heap path (the tree reader: 16 KiB-1 MiB heap blocks, heap arrays),
 * and the two models must be equal field by field (ct_test_same_sbom_ex, every bom_ref); the
 * facts kept with the huge model equal the facts reader's; the huge model can then be edited
 * (strings set, components added and removed, arrays grown) and freed (ASan builds check the
 * ct_bigmem frees). */
#include "ct_test.h"

#include "cratrace/sbom_profile.h"
#include "cratrace/sbom_validate.h"
#include "sbom/model_int.h"
#include "sbom/profile_int.h"
#include "sbom/xml_reader_int.h"

#include <stdio.h>
#include <string.h>

#define HUGE_MIN ((size_t)4 << 20) /* cyclonedx_xml_sax.c XB_HUGE_MIN */

static ct_ctx *g_ctx;

/* a CycloneDX 1.6 document of at least min bytes */
static char *make_doc(size_t min, size_t *len)
{
    ct_buf b = CT_BUF_INIT;
    size_t i = 0;
    ct_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\" serialNumber=\"urn:uuid:"
                    "3e671687-395b-41f5-a30f-a58921a69b79\" version=\"1\">\n<metadata><timestamp>"
                    "2025-11-28T00:00:00Z</timestamp><authors><author><name>A &amp; B</name>"
                    "<email>a@example.org</email></author></authors><component type=\"application\""
                    " bom-ref=\"root\"><name>huge</name><version>1</version></component>"
                    "</metadata>\n<components>\n");
    while (b.len < min) {
        ct_buf_printf(&b,
                      "<component type=\"library\" bom-ref=\"c%zu\"><supplier><name>S%zu</name>"
                      "<url>https://s%zu.example</url></supplier><group>org.example.g%zu</group>"
                      "<name>component-%zu</name><version>%zu.%zu</version><hashes><hash "
                      "alg=\"SHA-256\">%064zx</hash></hashes><licenses>%s</licenses>"
                      "<purl>pkg:maven/org.example.g%zu/component-%zu@%zu.%zu</purl>"
                      "<cpe>cpe:2.3:a:example:c%zu:%zu:*:*:*:*:*:*:*</cpe>",
                      i, i % 7, i % 7, i % 13, i, i % 5, i % 3, i,
                      i % 2 ? "<expression>Apache-2.0 OR MIT</expression>"
                            : "<license><id>MIT</id></license>",
                      i % 13, i, i % 5, i % 3, i, i % 5);
        if (i % 50 == 0) /* nested, with properties */
            ct_buf_printf(&b,
                          "<components><component type=\"file\" bom-ref=\"c%zu.n\"><name>n%zu "
                          "&lt;x&gt;</name><properties><property name=\"bsi:component:filename"
                          "\">f%zu.jar</property></properties></component></components>",
                          i, i, i);
        if (i % 997 == 0) { /* a text longer than a quarter block: a block of its own */
            ct_buf_puts(&b, "<description>");
            for (int k = 0; k < 4000; k++)
                ct_buf_puts(&b, "long text ");
            ct_buf_puts(&b, "</description>");
        }
        ct_buf_puts(&b, "</component>\n");
        i++;
    }
    ct_buf_puts(&b, "</components>\n<dependencies>\n");
    for (size_t k = 0; k + 1 < i; k += 2)
        ct_buf_printf(&b, "<dependency ref=\"c%zu\"><dependency ref=\"c%zu\"/></dependency>\n", k,
                      k + 1);
    ct_buf_puts(&b, "<dependency ref=\"root\"/>\n</dependencies>\n</bom>\n");
    assert_false(b.failed);
    *len = b.len;
    return ct_buf_detach(&b);
}

static void test_huge_arena_model_equals_heap_model(void **state)
{
    ct_sbom *huge = NULL, *heap = NULL, *pv = NULL;
    ct_sbom_report *rep = NULL;
    ct_sbom_facts *read = NULL, *kept = NULL;
    ct_sbom_validate_options vo = CT_SBOM_VALIDATE_OPTIONS_INIT;
    ct_component *c = NULL;
    size_t len = 0, n;
    char *doc = make_doc(HUGE_MIN + (HUGE_MIN >> 2), &len);
    (void)state;

    assert_true(len >= HUGE_MIN);
    /* the huge path: big arrays and huge-page arena blocks */
    assert_int_equal(ct_sbom__xml_sax_model(&huge, g_ctx, doc, len), 1);
    assert_true(ct_sbom__arrays_big(huge));
    assert_true(ct_sbom__arena_big_blocks(huge) > 0);
    /* the heap path: the tree reader's model, ordinary blocks and arrays */
    assert_int_equal(ct_sbom__xml_tree_read(&heap, g_ctx, doc, len, "huge.xml"), 0);
    assert_false(ct_sbom__arrays_big(heap));
    assert_int_equal(ct_sbom__arena_big_blocks(heap), 0);
    assert_true(huge->ncomponents > 5000);
    ct_test_same_sbom_ex("huge vs heap", huge, heap, true);

    /* the validator's pass (ct_sbom_parse_validate) takes the same path and model */
    vo.no_schema = true;
    assert_int_equal(ct_sbom_parse_validate(&pv, &rep, g_ctx, doc, len, "huge.xml", &vo), 0);
    if (!rep->valid)
        fail_msg("not valid: %s: %s", rep->nerrors ? rep->errors[0].location : "",
                 rep->nerrors ? rep->errors[0].message : "");
    assert_true(ct_sbom__arena_big_blocks(pv) > 0);
    ct_test_same_sbom_ex("parse_validate vs heap", pv, heap, true);

    /* the profile facts kept with the huge model are the facts reader's */
    assert_int_equal(ct_sbom__facts_from_xml_model(&kept, pv), 1);
    assert_int_equal(ct_sbom_facts_read(&read, g_ctx, doc, len, "huge.xml"), 0);
    assert_int_equal(kept->ncomponents, read->ncomponents);
    ct_test_same_str("author", 0, kept->author, read->author);
    ct_test_same_str("author_contact", 0, kept->author_contact, read->author_contact);
    for (size_t i = 0; i < kept->ncomponents; i++) {
        ct_test_same_str("ref", i, kept->components[i].ref, read->components[i].ref);
        ct_test_same_str("creator_contact", i, kept->components[i].creator_contact,
                         read->components[i].creator_contact);
        ct_test_same_str("filename", i, kept->components[i].filename,
                         read->components[i].filename);
        assert_int_equal(kept->components[i].deps_stated, read->components[i].deps_stated);
    }

    /* the huge model edited: strings into its arena, components past the array's end (a
     * ct_bigmem_realloc), one removed; then freed as a whole */
    n = huge->ncomponents;
    assert_int_equal(ct_sbom_set_str(huge, &huge->components[0].name, "renamed"), 0);
    assert_string_equal(huge->components[0].name, "renamed");
    for (size_t want = huge->components_cap + 1; huge->ncomponents < want;) {
        assert_int_equal(ct_sbom_component_add(&c, huge), 0);
        assert_int_equal(ct_sbom_set_str(huge, &c->name, "added"), 0);
    }
    assert_int_equal(ct_sbom_component_remove(huge, 1), 0);
    assert_string_equal(huge->components[huge->ncomponents - 1].name, "added");
    assert_true(huge->ncomponents > n);
    /* the edited model no longer matches what was kept for the facts: none given */
    ct_sbom_facts_free(kept);
    kept = NULL;
    assert_int_equal(ct_sbom__facts_from_xml_model(&kept, huge), 0);

    ct_sbom_facts_free(read);
    ct_sbom_report_free(rep);
    ct_sbom_free(pv);
    ct_sbom_free(huge);
    ct_sbom_free(heap);
    ct_free(doc);
}

/* Just under the threshold: ordinary blocks (the huge path is the large input's only). */
static void test_small_input_takes_heap_blocks(void **state)
{
    ct_sbom *m = NULL;
    size_t len = 0;
    char *doc = make_doc(HUGE_MIN / 4, &len);
    (void)state;
    assert_true(len < HUGE_MIN);
    assert_int_equal(ct_sbom__xml_sax_model(&m, g_ctx, doc, len), 1);
    assert_int_equal(ct_sbom__arena_big_blocks(m), 0);
    ct_sbom_free(m);
    ct_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_huge_arena_model_equals_heap_model),
        cmocka_unit_test(test_small_input_takes_heap_blocks),
    };
    int rc;
    g_ctx = ct_test_ctx();
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    ct_ctx_free(g_ctx);
    return rc;
}

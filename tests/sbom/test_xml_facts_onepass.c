/* The profile facts of CycloneDX XML from the one SAX pass (xml9: what the builder keeps beside
 * the model, cyclonedx_xml.c, made into facts by ct_sbom__facts_from_xml_model) against the
 * facts reader's own parse of the bytes (ct_sbom_facts_read: xmlTextReader with
 * XML_PARSE_NOBLANKS, a tree per item, text() = the first text or CDATA child with content):
 *  - hand-made documents aimed at what the two could differ on (which child is the first, which
 *    text node is the first non-empty one next to comments, PIs, CDATA, child elements and the
 *    blank runs the tree drops; the order metadata's authors and organisations are chosen in;
 *    properties, contacts, stated dependency lists, vulnerabilities, nested components): the
 *    model carries the facts, and they are equal field by field;
 *  - a model that does not come from the SAX pass (the tree reader's; one edited since) carries
 *    none, so `sbom validate --profile` reads them from the bytes as before;
 *  - every CycloneDX XML file under ../shared/conformance and fuzz/corpus/sbom_cdx_xml: where
 *    the SAX pass's model carries facts they equal the facts reader's (skips with a message
 *    when ../shared is absent). */
#include "ct_test.h"

#include "cratrace/sbom_profile.h"
#include "sbom/profile_int.h"
#include "sbom/xml_reader_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ct_ctx *g_ctx;

static void same_facts(const char *what, const ct_sbom_facts *a, const ct_sbom_facts *b)
{
    ct_test_same_str("format", 0, a->format, b->format);
    ct_test_same_str("author", 0, a->author, b->author);
    ct_test_same_str("author_contact", 0, a->author_contact, b->author_contact);
    ct_test_same_str("timestamp", 0, a->timestamp, b->timestamp);
    if (a->tool_only != b->tool_only || a->has_vulnerabilities != b->has_vulnerabilities ||
        a->has_properties != b->has_properties)
        fail_msg("%s: tool_only %d/%d, has_vulnerabilities %d/%d, has_properties %d/%d", what,
                 a->tool_only, b->tool_only, a->has_vulnerabilities, b->has_vulnerabilities,
                 a->has_properties, b->has_properties);
    if (a->ncomponents != b->ncomponents)
        fail_msg("%s: %zu/%zu components", what, a->ncomponents, b->ncomponents);
    for (size_t i = 0; i < a->ncomponents; i++) {
        const ct_sbom_facts_component *x = &a->components[i], *y = &b->components[i];
        ct_test_same_str("ref", i, x->ref, y->ref);
        ct_test_same_str("filename", i, x->filename, y->filename);
        ct_test_same_str("creator_contact", i, x->creator_contact, y->creator_contact);
        ct_test_same_str("executable", i, x->executable, y->executable);
        ct_test_same_str("archive", i, x->archive, y->archive);
        ct_test_same_str("structured", i, x->structured, y->structured);
        if (x->deps_stated != y->deps_stated)
            fail_msg("%s: component %zu deps_stated %d/%d", what, i, x->deps_stated,
                     y->deps_stated);
    }
}

/* 1: the SAX pass's model carried facts equal to the reader's; 0: it carried none, or the
 * document is one the reader or the SAX pass refuses */
static int compare(const char *what, const char *text, size_t len)
{
    ct_sbom_facts *tree = NULL, *sax = NULL;
    ct_sbom *model = NULL;
    int got = 0;
    if (ct_sbom_parse(&model, g_ctx, text, len, "t.xml") < 0 || !model) {
        ct_error_clear();
        return 0;
    }
    got = ct_sbom__facts_from_xml_model(&sax, model);
    assert_true(got >= 0);
    if (got == 1) {
        if (ct_sbom_facts_read(&tree, g_ctx, text, len, "t.xml") < 0)
            fail_msg("%s: the facts reader refuses what the SAX pass read: %s", what,
                     ct_error_format());
        same_facts(what, tree, sax);
    }
    ct_sbom_facts_free(tree);
    ct_sbom_facts_free(sax);
    ct_sbom_free(model);
    return got;
}

static void expect_same(const char *text)
{
    if (compare(text, text, strlen(text)) != 1)
        fail_msg("the SAX pass's model carries no facts:\n%s", text);
}

#define BOM(v) "<bom xmlns=\"http://cyclonedx.org/schema/bom/" v "\" xmlns:o=\"urn:o\">"
#define COMP(ref, inner) "<component type=\"library\" bom-ref=\"" ref "\"><name>n</name>" inner \
                         "</component>"

static void test_document_facts(void **state)
{
    (void)state;
    /* no metadata; empty metadata; a timestamp split by a comment and CDATA */
    expect_same(BOM("1.6") "</bom>");
    expect_same(BOM("1.6") "<metadata/></bom>");
    expect_same(BOM("1.5") "<metadata><timestamp>2025<!--c-->-01</timestamp>"
                           "<timestamp>second</timestamp></metadata></bom>");
    expect_same(BOM("1.5") "<metadata><timestamp>  <![CDATA[]]>  <![CDATA[x]]><![CDATA[y]]>"
                           " z</timestamp></metadata></bom>");
    expect_same(BOM("1.5") "<metadata><timestamp>\n  <?pi?>  t  </timestamp></metadata></bom>");
    expect_same(BOM("1.5") "<metadata><timestamp><x/>  </timestamp></metadata></bom>");
    /* authors: the first name (else email) of any author, the first email with text */
    expect_same(BOM("1.6") "<metadata><authors><author><name></name><email>  </email></author>"
                           "<o:author><name>other ns</name></o:author>"
                           "<author><email>e2@x</email><name>second</name></author>"
                           "<author><name>third</name><email>e3@x</email></author></authors>"
                           "<authors><author><name>not read</name></author></authors>"
                           "</metadata></bom>");
    expect_same(BOM("1.6") "<metadata><authors><author><name><![CDATA[]]></name>"
                           "<email><!--c--></email></author></authors>"
                           "<supplier><name>S</name><url>https://s</url></supplier>"
                           "<manufacturer><contact><email></email></contact>"
                           "<contact><email>m@x</email><email>m2@x</email></contact></manufacturer>"
                           "</metadata></bom>");
    /* organisations in the reader's order (manufacturer, manufacture, supplier), whatever the
     * document's; a contact without a name names the author */
    expect_same(BOM("1.5") "<metadata><supplier><contact><email>s@x</email></contact></supplier>"
                           "<manufacture><url> </url><name></name></manufacture></metadata></bom>");
    expect_same(BOM("1.6") "<metadata><supplier><name>Sup</name></supplier><manufacturer>"
                           "<url>https://m</url></manufacturer><manufacturer><name>no</name>"
                           "</manufacturer></metadata></bom>");
    /* tools: an element of any namespace makes a tool-only document without an author */
    expect_same(BOM("1.5") "<metadata><tools><o:tool/></tools></metadata></bom>");
    expect_same(BOM("1.5") "<metadata><tools>text <!--only--></tools></metadata></bom>");
    expect_same(BOM("1.5") "<metadata><tools/><tools><tool/></tools></metadata></bom>");
    expect_same(BOM("1.5") "<metadata><tools><tool/></tools><authors><author><name>a</name>"
                           "</author></authors></metadata></bom>");
    /* vulnerabilities: the first list, with a <vulnerability> of the namespace */
    expect_same(BOM("1.5") "<vulnerabilities/><vulnerabilities><vulnerability/>"
                           "</vulnerabilities></bom>");
    expect_same(BOM("1.5") "<vulnerabilities><o:vulnerability/></vulnerabilities></bom>");
    expect_same(BOM("1.5") "<vulnerabilities><vulnerability><id>x</id></vulnerability>"
                           "</vulnerabilities></bom>");
    /* references in the texts */
    expect_same(BOM("1.6") "<metadata><authors><author><name>A &amp; B &#233;</name>"
                           "</author></authors></metadata></bom>");
}

static void test_component_facts(void **state)
{
    (void)state;
    /* contact: the first supplier's url, else its contacts' first email with text; else the
     * first manufacturer's; else the first email with text of the first authors */
    expect_same(BOM("1.6") "<components>"
                COMP("a", "<supplier><url></url><contact><email/></contact><contact><email>"
                          "s@x</email></contact></supplier><manufacturer><url>m</url>"
                          "</manufacturer>")
                COMP("b", "<supplier><name>only a name</name></supplier><manufacturer><contact>"
                          "<email>m@x</email></contact></manufacturer>")
                COMP("c", "<authors><author><email> </email></author><author><email>a2@x"
                          "</email></author></authors><authors><author><email>no</email>"
                          "</author></authors>")
                COMP("d", "<supplier/><supplier><url>second supplier</url></supplier>"
                          "<manufacturer/><authors/>")
                COMP("", "<o:supplier><url>other ns</url></o:supplier>")
                "</components></bom>");
    /* properties: the four BSI names, first value with text wins, other names skipped */
    expect_same(BOM("1.6") "<components>"
                COMP("p", "<properties><property name=\"bsi:component:filename\"></property>"
                          "<property name=\"bsi:component:filename\">f.jar</property>"
                          "<property name=\"bsi:component:filename\">g.jar</property>"
                          "<property name=\"bsi:component:executable\"><!--c-->  yes</property>"
                          "<property name=\"bsi:component:archive\"><![CDATA[no]]> x"
                          "</property><property name=\"bsi:component:structured\">"
                          "<o:x/>yes</property><property name=\"other\">o</property>"
                          "<property>no name</property><o:property name=\"bsi:component:"
                          "filename\">ns</o:property></properties><properties><property "
                          "name=\"bsi:component:archive\">second list</property></properties>")
                COMP("q", "<properties><property name=\"bsi:component:archive\">  "
                          "</property><property name=\"bsi:component:\">bare</property>"
                          "<property name=\"bsi:component:filenames\">longer</property>"
                          "<property name=\"xbsi:component:filename\">prefixed</property>"
                          "<property name=\"bsi:component:file&#110;ame\">ref.jar</property>"
                          "</properties>")
                "</components></bom>");
    /* nested components in document pre-order, their facts after the parent's children */
    expect_same(BOM("1.5") "<components>"
                COMP("outer", "<components>"
                              COMP("inner", "<supplier><url>iu</url></supplier><components>"
                                            COMP("deep", "<manufacturer><url>du</url>"
                                                         "</manufacturer>") "</components>")
                              "</components><supplier><url>ou</url></supplier>")
                COMP("next", "") "</components></bom>");
    /* stated dependency lists: with and without children, unknown refs, empty refs */
    expect_same(BOM("1.5") "<components>" COMP("a", "") COMP("b", "") COMP("c", "") COMP("", "")
                           "</components><dependencies><dependency ref=\"a\"><dependency "
                           "ref=\"b\"/></dependency><dependency ref=\"c\"/><dependency "
                           "ref=\"zz\"/><dependency ref=\"\"/></dependencies>"
                           "<dependencies><dependency ref=\"b\"/></dependencies></bom>");
    /* duplicate bom-refs both get the mark */
    expect_same(BOM("1.6") "<components>" COMP("d", "") COMP("d", "") "</components>"
                           "<dependencies><dependency ref=\"d\"/></dependencies></bom>");
    /* blank runs the tree drops and keeps, CRLF */
    expect_same(BOM("1.5") "\r\n<components>\r\n"
                COMP("w", "\r\n<supplier>\r\n<url>\r\n  <!--c-->\r\n u \r\n</url>\r\n"
                          "</supplier>\r\n<properties>\r\n<property name=\"bsi:component:"
                          "filename\">  \r\n</property>\r\n</properties>\r\n")
                "\r\n</components>\r\n</bom>\r\n");
}

/* A model the SAX pass did not make carries no facts: the tree reader's, one edited since. */
static void test_other_models_carry_none(void **state)
{
    static const char doc[] = BOM("1.5") "<components>" COMP("a", "") COMP("b", "")
        "</components></bom>";
    ct_sbom *model = NULL;
    ct_sbom_facts *f = NULL;
    (void)state;
    assert_int_equal(ct_sbom__xml_tree_read(&model, g_ctx, doc, strlen(doc), "t.xml"), 0);
    assert_int_equal(ct_sbom__facts_from_xml_model(&f, model), 0);
    assert_null(f);
    ct_sbom_free(model);
    assert_int_equal(ct_sbom_parse(&model, g_ctx, doc, strlen(doc), "t.xml"), 0);
    assert_non_null(ct_sbom__xml_facts_of(model));
    assert_int_equal(ct_sbom_component_remove(model, 1), 0);
    assert_int_equal(ct_sbom__facts_from_xml_model(&f, model), 0);
    assert_null(f);
    ct_sbom_free(model);
    /* 1.1: its dependency graph is an extension the facts reader does not read */
    static const char v11[] = "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.1\"><components>"
                              "<component type=\"library\"><name>n</name><version>1</version>"
                              "</component></components></bom>";
    assert_int_equal(ct_sbom_parse(&model, g_ctx, v11, strlen(v11), "t.xml"), 0);
    assert_int_equal(ct_sbom__facts_from_xml_model(&f, model), 0);
    ct_sbom_free(model);
}

static void test_every_xml_file(void **state)
{
    static const char *const exts[] = { ".xml", NULL };
    static const char *const shared[] = { "conformance" };
    ct_test_files fl = CT_TEST_FILES_INIT;
    size_t carried = 0;
    (void)state;
    for (size_t i = 0; i < CT_NELEM(shared); i++) {
        char *dir = ct_test_shared_path(shared[i]);
        if (dir)
            ct_test_collect(&fl, dir, exts);
        ct_free(dir);
    }
    if (!fl.n) {
        printf("skipped: ../shared/conformance (real SBOMs, CycloneDX fixtures) is absent\n");
        skip();
    }
    ct_test_collect(&fl, CT_SOURCE_DIR "/fuzz/corpus/sbom_cdx_xml", exts);
    for (size_t i = 0; i < fl.n; i++) {
        size_t len = 0;
        char *text = ct_test_read(fl.paths[i], &len);
        carried += (size_t)compare(fl.paths[i], text, len);
        ct_free(text);
    }
    printf("  %zu XML files, %zu with facts from the SAX pass, all equal to the reader's\n",
           fl.n, carried);
    assert_true(carried > 0);
    ct_test_files_free(&fl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_document_facts),
        cmocka_unit_test(test_component_facts),
        cmocka_unit_test(test_other_models_carry_none),
        cmocka_unit_test(test_every_xml_file),
    };
    int rc;
    g_ctx = ct_test_ctx();
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    ct_ctx_free(g_ctx);
    return rc;
}

/* The one-pass CycloneDX XML model (xmlone: the model read from the SAX events of the
 * validator's parse, cyclonedx_xml.c ct_sbom__xmb_*) against the tree reader it stands in for
 * (ct_sbom__xml_tree_read: xmlTextReader with XML_PARSE_NOBLANKS, a subtree per list item):
 *  - hand-made documents aimed at what the two could differ on (blank runs next to comments,
 *    processing instructions, CDATA and child elements, xml:space, CRLF, references; 1.0
 *    licences, the 1.1 dependency-graph namespace, metadata and supplier from 1.2, first-only
 *    children, nested components): the SAX pass gives a model, equal field by field;
 *  - documents the reader refuses: the SAX pass gives none, and ct_sbom_parse_cyclonedx_xml
 *    reports the reader's error word for word;
 *  - every CycloneDX XML file under ../shared/conformance (real SBOMs, the CycloneDX tools
 *    fixtures): where the reader gives a model the SAX pass gives the same one (never leaves it
 *    to the reader), and ct_sbom_parse_validate gives ct_sbom_validate_ex's report and
 *    ct_sbom_parse's model. That part skips with a message when ../shared is absent. */
#include "ct_test.h"

#include "cratrace/sbom_validate.h"
#include "sbom/xml_reader_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ct_ctx *g_main; /* the default limits */
static const ct_ctx *g_ctx; /* the one the checks use */

/* a and b hold the same model, every field (a bom_ref too) */
static void same_model(const char *what, const ct_sbom *a, const ct_sbom *b)
{
    ct_test_same_sbom_ex(what, a, b, true);
}

/* the SAX pass reads text and gives the tree reader's model */
static void expect_same(const char *text)
{
    ct_sbom *sax = NULL, *tree = NULL;
    size_t len = strlen(text);
    int got = ct_sbom__xml_sax_model(&sax, g_ctx, text, len);
    if (ct_sbom__xml_tree_read(&tree, g_ctx, text, len, "t.xml") < 0)
        fail_msg("the tree reader refuses: %s\n%s", ct_error_format(), text);
    if (got != 1)
        fail_msg("the SAX pass left a document the reader takes:\n%s", text);
    same_model(text, sax, tree);
    ct_sbom_free(sax);
    ct_sbom_free(tree);
}

#define BOM(v) "<bom xmlns=\"http://cyclonedx.org/schema/bom/" v "\">"

static void test_texts_as_the_tree_holds_them(void **state)
{
    (void)state;
    /* blank runs: before a comment / PI / CDATA / child element (dropped by NOBLANKS), alone
     * before the end tag (kept), after text (kept), under xml:space="preserve" (kept) */
    expect_same(BOM("1.5") "<components><component type=\"library\">"
                           "<name>  <!--c-->x</name><version>  </version>"
                           "<group>\n  <![CDATA[g]]>\n</group>"
                           "<purl xml:space=\"preserve\">  <!--c-->pkg:npm/p@1</purl>"
                           "<cpe>a <?pi x?>  <x/>  b</cpe></component></components></bom>");
    expect_same(BOM("1.6") "<components><component type=\"library\"><name><!--a-->  <!--b-->n"
                           "</name><version><![CDATA[1]]>  <?p?>  </version>"
                           "<group>g<!--c-->  </group><purl>  <x>i</x>  </purl>"
                           "</component></components></bom>");
    /* CRLF: a blank run before "\r\n" at the start of an element is dropped, the "\n" kept */
    expect_same(BOM("1.5") "\r\n<components>\r\n<component type=\"library\">\r\n<name>  \r\n"
                           "</name>\r\n<version>\r\n  v\r\n</version>\r\n</component>\r\n"
                           "</components>\r\n</bom>\r\n");
    /* references: predefined entities and character references in text and attributes */
    expect_same(BOM("1.4") "<components><component type=\"library\" bom-ref=\"a&amp;b&#38;c\">"
                           "<name>x &amp; y &lt;z&gt; &#233;&#x263A;</name><version>1&#46;0"
                           "</version><purl>pkg:npm/%40s/p@1?a=1&amp;b=2</purl></component>"
                           "</components><dependencies><dependency ref=\"a&amp;b&#38;c\">"
                           "<dependency ref=\"q&quot;\"/></dependency></dependencies></bom>");
    /* non-ASCII text (the parser's slow path) next to blanks */
    expect_same(BOM("1.5") "<components><component type=\"library\"><name>  \xc3\xa9t\xc3\xa9  "
                           "</name><version>\xe2\x98\xba</version></component></components>"
                           "</bom>");
}

static void test_elements_as_the_reader_reads_them(void **state)
{
    (void)state;
    /* 1.6: first-only children, supplier, hashes, licences (id, name, expression), nested
     * components after the parent's licences and before them, metadata, a second
     * <components> (skipped), dependencies, elements in another namespace (skipped) */
    expect_same(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\" xmlns:o=\"urn:other\" "
        "serialNumber=\"urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79\" version=\"1\">\n"
        "  <metadata><timestamp>2025-01-01T00:00:00Z</timestamp><component type=\"application\">"
        "<name>app</name><version>2</version><name>second</name></component>"
        "<component type=\"library\"><name>not this</name></component></metadata>\n"
        "  <metadata><component type=\"library\"><name>nor this</name></component></metadata>\n"
        "  <components>\n"
        "    <component type=\"library\" bom-ref=\"r1\">\n"
        "      <supplier><url>u</url><name>S1</name><name>S2</name></supplier>\n"
        "      <supplier><name>not S3</name></supplier>\n"
        "      <group>g</group><name>one</name><name>two</name><version>1.0</version>\n"
        "      <hashes><hash alg=\"SHA-256\">"
        "3942447fac867ae5cdb3229b658f4d483942447fac867ae5cdb3229b658f4d48</hash>"
        "<o:hash alg=\"x\">skipped</o:hash><hash alg=\"MD5\">3942447fac867ae5cdb3229b658f4d48"
        "</hash></hashes><hashes><hash alg=\"SHA-1\">not read</hash></hashes>\n"
        "      <components><component type=\"library\" bom-ref=\"r1.1\"><name>inner</name>"
        "<licenses><license><name>Inner Licence</name></license></licenses>"
        "<components><component type=\"file\"><name>deep</name></component></components>"
        "</component></components>\n"
        "      <components><component type=\"library\"><name>skipped</name></component>"
        "</components>\n"
        "      <licenses><license><name>N</name><id>MIT</id></license>"
        "<license><name>Only Name</name></license><license><id>Apache-2.0</id><id>GPL-2.0</id>"
        "</license><expression>BSD-3-Clause OR MIT</expression><license/></licenses>\n"
        "      <licenses><license><id>not read</id></license></licenses>\n"
        "      <purl>pkg:maven/g/one@1.0</purl><cpe>cpe:2.3:a:g:one:1.0:*:*:*:*:*:*:*</cpe>\n"
        "    </component>\n"
        "    <o:component type=\"library\"><o:name>other namespace</o:name></o:component>\n"
        "    <component type=\"library\"><name></name><version/></component>\n"
        "  </components>\n"
        "  <components><component type=\"library\"><name>second list</name></component>"
        "</components>\n"
        "  <dependencies><dependency ref=\"r1\"><dependency ref=\"r1.1\"/><dependency ref=\"x\">"
        "<dependency ref=\"not read\"/></dependency></dependency><dependency ref=\"r1.1\"/>"
        "</dependencies>\n"
        "  <dependencies><dependency ref=\"second\"><dependency ref=\"list\"/></dependency>"
        "</dependencies>\n"
        "</bom>\n");
    /* 1.0: several <id>s (or <name>s) in one <license>, no bom-ref, serialNumber, metadata,
     * supplier, expression or dependencies */
    expect_same("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.0\" version=\"1\" "
                "serialNumber=\"urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79\">"
                "<metadata><component type=\"library\"><name>m</name></component></metadata>"
                "<components><component type=\"library\" bom-ref=\"ignored\"><name>a</name>"
                "<version>1</version><supplier><name>s</name></supplier><licenses>"
                "<license><id>MIT</id><name>N</name><id>Apache-2.0</id></license>"
                "<license><name>A</name><name></name><name>B</name></license>"
                "<expression>ignored</expression></licenses></component></components>"
                "<dependencies><dependency ref=\"a\"><dependency ref=\"b\"/></dependency>"
                "</dependencies></bom>");
    /* 1.1: the dependency graph in its extension namespace (the core one is not read) */
    expect_same("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.1\" "
                "xmlns:dg=\"http://cyclonedx.org/schema/ext/dependency-graph/1.0\" version=\"1\">"
                "<components><component type=\"library\" bom-ref=\"a\"><name>a</name>"
                "<licenses><license><name>N</name><id>MIT</id></license><expression>X</expression>"
                "</licenses></component></components>"
                "<dependencies><dependency ref=\"core\"><dependency ref=\"no\"/></dependency>"
                "</dependencies>"
                "<dg:dependencies><dg:dependency ref=\"a\"><dg:dependency ref=\"b\"/>"
                "<dependency ref=\"core ns: not read\"/></dg:dependency></dg:dependencies></bom>");
    /* 1.2 / 1.3 (metadata, supplier, core dependencies) and 1.7; a prefixed root */
    expect_same("<c:bom xmlns:c=\"http://cyclonedx.org/schema/bom/1.2\"><c:metadata><c:component "
                "type=\"library\"><c:name>m</c:name><c:version>v</c:version></c:component>"
                "</c:metadata><c:components><c:component type=\"library\"><c:name>a</c:name>"
                "<c:supplier><c:name>s</c:name></c:supplier></c:component></c:components>"
                "<c:dependencies><c:dependency ref=\"a\"/></c:dependencies></c:bom>");
    expect_same(BOM("1.3") "<components/><dependencies/></bom>");
    expect_same(BOM("1.7") "</bom>");
    expect_same("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.7\"/>");
}

/* the reader refuses text: so does the SAX pass (it gives no model), and the public reader
 * reports the tree reader's error */
static void expect_refused(const char *text)
{
    ct_sbom *sax = NULL, *tree = NULL, *pub = NULL;
    size_t len = strlen(text);
    char *want;
    int code;
    if (ct_sbom__xml_tree_read(&tree, g_ctx, text, len, "t.xml") == 0)
        fail_msg("the tree reader takes:\n%s", text);
    code = ct_error_last()->code;
    want = ct_strdup(ct_error_format());
    assert_int_equal(ct_sbom__xml_sax_model(&sax, g_ctx, text, len), 0);
    assert_null(sax);
    assert_int_equal(ct_sbom_parse_cyclonedx_xml(&pub, g_ctx, text, len, "t.xml"), code);
    assert_null(pub);
    assert_string_equal(ct_error_format(), want);
    ct_free(want);
}

static void test_refused_as_the_reader_refuses(void **state)
{
    (void)state;
    expect_refused(BOM("1.5") "<components><component type=\"library\"/></components></bom>");
    expect_refused(BOM("1.5") "<components><component><name>n</name></component></components>"
                              "</bom>");
    expect_refused(BOM("1.5") "<components><component type=\"library\"><name>n</name><hashes>"
                              "<hash>00</hash></hashes></component></components></bom>");
    expect_refused(BOM("1.5") "<components><component type=\"library\"><name>n</name><hashes>"
                              "<hash alg=\"MD5\"></hash></hashes></component></components></bom>");
    expect_refused(BOM("1.5") "<dependencies><dependency/></dependencies></bom>");
    expect_refused(BOM("1.5") "<dependencies><dependency ref=\"a\"><dependency/></dependency>"
                              "</dependencies></bom>");
    /* a nested component's error, and its parent's missing name after it: the parent's first */
    expect_refused(BOM("1.5") "<components><component type=\"library\"><components>"
                              "<component type=\"library\"/></components></component>"
                              "</components></bom>");
    expect_refused(BOM("1.9") "</bom>");
    expect_refused("<sbom xmlns=\"http://cyclonedx.org/schema/bom/1.5\"/>");
    expect_refused("<bom/>");
    expect_refused("<p:bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\"/>");
    expect_refused("");
    expect_refused("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\"><components>");
    expect_refused(BOM("1.5") "</bom><trailing/>");
    expect_refused("<!DOCTYPE bom [<!ENTITY e \"x\">]>" BOM("1.5") "</bom>");
    expect_refused("<!DOCTYPE bom>\n" BOM("1.5") "<a>&undefined;</a></bom>");
}

static void test_limits_as_the_reader(void **state)
{
    ct_ctx_options o = CT_CTX_OPTIONS_INIT;
    ct_ctx *small = NULL;
    (void)state;
    o.progress = false;
    o.limits.max_string_bytes = 8;
    o.limits.max_components = 3;
    o.limits.max_depth = 2;
    assert_int_equal(ct_ctx_new(&small, &o), 0);
    g_ctx = small;
    expect_refused(BOM("1.5") "<components><component type=\"library\"><name>123456789</name>"
                              "</component></components></bom>");
    expect_refused(BOM("1.5") "<components><component type=\"library\"><name>n</name>"
                              "</component><component type=\"library\"><name>n</name></component>"
                              "<component type=\"library\"><name>n</name><components><component "
                              "type=\"library\"><name>n</name></component></components>"
                              "</component></components></bom>");
    expect_refused(BOM("1.5") "<components><component type=\"library\"><name>n</name><components>"
                              "<component type=\"library\"><name>n</name><components><component "
                              "type=\"library\"><name>n</name><components><component "
                              "type=\"library\"><name>n</name></component></components>"
                              "</component></components></component></components></component>"
                              "</components></bom>");
    /* an over-long licence <name> beside an <id> (1.5: the id is read, the name not) */
    expect_same(BOM("1.5") "<components><component type=\"library\"><name>n</name><licenses>"
                           "<license><id>MIT</id><name>much too long</name></license>"
                           "</licenses></component></components></bom>");
    expect_refused(BOM("1.5") "<components><component type=\"library\"><name>n</name><licenses>"
                              "<license><name>much too long</name></license></licenses>"
                              "</component></components></bom>");
    g_ctx = g_main;
    ct_ctx_free(small);
}

/* one shared file: SAX model == tree model where the tree reader takes it; the validator's pass
 * gives ct_sbom_validate_ex's report and ct_sbom_parse's model */
static void check_file(const char *path, size_t *read, size_t *left)
{
    size_t len = 0;
    char *text = ct_test_read(path, &len);
    ct_sbom *sax = NULL, *tree = NULL, *pv = NULL, *parsed = NULL;
    ct_sbom_report *r1 = NULL, *r2 = NULL;
    ct_sbom_validate_options vo = CT_SBOM_VALIDATE_OPTIONS_INIT;
    size_t i = 0;
    int got, trc;
    while (i < len && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t'))
        i++;
    if (i == len || text[i] != '<' || !strstr(text, "cyclonedx.org/schema/bom")) {
        ct_free(text);
        return;
    }
    got = ct_sbom__xml_sax_model(&sax, g_ctx, text, len);
    trc = ct_sbom__xml_tree_read(&tree, g_ctx, text, len, path);
    if (got == 1) {
        if (trc < 0)
            fail_msg("%s: the SAX pass took a document the reader refuses", path);
        same_model(path, sax, tree);
        (*read)++;
    } else if (trc == 0) {
        (*left)++;
        printf("  left to the reader: %s\n", path);
    } else if (getenv("CT_TEST_VERBOSE")) {
        printf("  refused: %s: %s\n", path, ct_error_format());
    }
    vo.no_schema = true;
    assert_int_equal(ct_sbom_validate_ex(&r1, g_ctx, text, len, path, &vo), 0);
    assert_int_equal(ct_sbom_parse_validate(&pv, &r2, g_ctx, text, len, path, &vo), 0);
    assert_int_equal(r1->valid, r2->valid);
    ct_test_same_str("format", 0, r1->format, r2->format);
    ct_test_same_str("spec_version", 0, r1->spec_version, r2->spec_version);
    assert_int_equal(r1->nerrors, r2->nerrors);
    for (size_t k = 0; k < r1->nerrors; k++) {
        ct_test_same_str("location", k, r1->errors[k].location, r2->errors[k].location);
        ct_test_same_str("message", k, r1->errors[k].message, r2->errors[k].message);
    }
    if (ct_sbom_parse(&parsed, g_ctx, text, len, path) == 0)
        same_model(path, pv, parsed);
    else if (pv)
        fail_msg("%s: ct_sbom_parse_validate read a model ct_sbom_parse refuses", path);
    ct_sbom_report_free(r1);
    ct_sbom_report_free(r2);
    ct_sbom_free(sax);
    ct_sbom_free(tree);
    ct_sbom_free(pv);
    ct_sbom_free(parsed);
    ct_free(text);
}

static void test_shared_files(void **state)
{
    static const char *const exts[] = { ".xml", NULL };
    ct_test_files fl = CT_TEST_FILES_INIT;
    char *sboms = ct_test_shared_path("conformance/sboms");
    char *tools = ct_test_shared_path("conformance/cyclonedx/tools/src/test/resources");
    size_t read = 0, left = 0, left_real;
    (void)state;
    g_ctx = g_main;
    if (!sboms && !tools) {
        printf("skipped: ../shared/conformance (real SBOMs, CycloneDX fixtures) is absent\n");
        skip();
    }
    if (sboms)
        ct_test_collect(&fl, sboms, exts);
    for (size_t i = 0; i < fl.n; i++)
        check_file(fl.paths[i], &read, &left);
    left_real = left;
    ct_test_files_free(&fl);
    fl = (ct_test_files)CT_TEST_FILES_INIT;
    if (tools)
        ct_test_collect(&fl, tools, exts);
    for (size_t i = 0; i < fl.n; i++)
        check_file(fl.paths[i], &read, &left);
    printf("  %zu documents read in one pass, identical to the reader; %zu left to it\n", read,
           left);
    /* the real SBOMs are all read in one pass (none has a blank character reference) */
    assert_int_equal(left_real, 0);
    assert_true(read > 0);
    ct_test_files_free(&fl);
    ct_free(sboms);
    ct_free(tools);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_texts_as_the_tree_holds_them),
        cmocka_unit_test(test_elements_as_the_reader_reads_them),
        cmocka_unit_test(test_refused_as_the_reader_refuses),
        cmocka_unit_test(test_limits_as_the_reader),
        cmocka_unit_test(test_shared_files),
    };
    int rc;
    g_ctx = g_main = ct_test_ctx();
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    ct_ctx_free(g_main);
    return rc;
}

/* Tests for the low-memory readers (issue 5): the streaming CycloneDX XML reader
 * (src/sbom/cyclonedx_xml.c, xmlTextReader) reports what a libxml2 DOM parse of the same bytes
 * reports (the oracle: xmlCtxtReadMemory with the reader's options), in the DOM reader's order,
 * with exact lines past 65535; the XML, SPDX JSON (json tape) and SPDX tag-value readers build
 * their models in the arena (src/sbom/model.c) and such models can be edited. */
#include "ct_test.h"

#include "cratrace/sbom.h"

#include <libxml/parser.h>
#include <stdio.h>
#include <string.h>

static ct_ctx *g_ctx;

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

static const char doc16[] =
    "<?xml version=\"1.0\"?>\n"
    "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\" xmlns:x=\"urn:ext\"\n"
    "     serialNumber=\"urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79\" version=\"1\">\n"
    "  <metadata><component type=\"firmware\"><name>gateway-fw</name>"
    "<version>2.4.1</version></component></metadata>\n"
    "  <components>\n"
    "    <component type=\"library\" bom-ref=\"lodash-ref\">\n"
    "      <supplier><name>OpenJS Foundation</name></supplier>\n"
    "      <name>lodash</name><version>4.17.20</version>\n"
    "      <hashes><hash alg=\"MD5\">3942447fac867ae5cdb3229b658f4d48</hash></hashes>\n"
    "      <licenses><license><id>MIT</id></license></licenses>\n"
    "      <purl>pkg:npm/lodash@4.17.20</purl>\n"
    "      <x:ignored>extension <![CDATA[<b>]]></x:ignored>\n"
    "      <components><component type=\"file\"><name>lodash.min.js</name></component>"
    "</components>\n"
    "    </component>\n"
    "    <component type=\"library\" bom-ref=\"openssl-ref\"><group>org.openssl</group>"
    "<name>openssl</name>\n"
    "      <cpe>cpe:2.3:a:openssl:openssl:3.0.7:*:*:*:*:*:*:*</cpe>\n"
    "      <licenses><expression>Apache-2.0 OR MIT</expression></licenses></component>\n"
    "  </components>\n"
    "  <dependencies><dependency ref=\"lodash-ref\"><dependency ref=\"openssl-ref\"/>"
    "</dependency><dependency ref=\"openssl-ref\"/></dependencies>\n"
    "</bom>\n";

/* The same document with the sections in another order, comments, an unknown element between
 * them and a second <components> (not read: the first one counts, as with the DOM reader). */
static const char doc16_reordered[] =
    "<?xml version=\"1.0\"?>\n"
    "<!-- a comment -->\n"
    "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\" xmlns:x=\"urn:ext\"\n"
    "     serialNumber=\"urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79\" version=\"1\">\n"
    "  <dependencies><dependency ref=\"lodash-ref\"><dependency ref=\"openssl-ref\"/>"
    "</dependency><!-- c --><dependency ref=\"openssl-ref\"/></dependencies>\n"
    "  <x:ext><components><component type=\"library\"><name>not read</name></component>"
    "</components></x:ext>\n"
    "  <components>\n"
    "    <component type=\"library\" bom-ref=\"lodash-ref\">\n"
    "      <supplier><name>OpenJS Foundation</name></supplier>\n"
    "      <name>lodash</name><version>4.17.20</version>\n"
    "      <hashes><hash alg=\"MD5\">3942447fac867ae5cdb3229b658f4d48</hash></hashes>\n"
    "      <licenses><license><id>MIT</id></license></licenses>\n"
    "      <purl>pkg:npm/lodash@4.17.20</purl>\n"
    "      <components><component type=\"file\"><name>lodash.min.js</name></component>"
    "</components>\n"
    "    </component>\n"
    "    text between <!-- c -->\n"
    "    <component type=\"library\" bom-ref=\"openssl-ref\"><group>org.openssl</group>"
    "<name>openssl</name>\n"
    "      <cpe>cpe:2.3:a:openssl:openssl:3.0.7:*:*:*:*:*:*:*</cpe>\n"
    "      <licenses><expression>Apache-2.0 OR MIT</expression></licenses></component>\n"
    "  </components>\n"
    "  <components><component type=\"library\"><name>second list</name></component>"
    "</components>\n"
    "  <metadata><component type=\"firmware\"><name>gateway-fw</name>"
    "<version>2.4.1</version></component></metadata>\n"
    "</bom>\n";

/* libxml2 DOM parse of text with the reader's options: true when not well-formed, *line and
 * msg (trailing blanks cut) from the context's last error */
static bool dom_error(const char *text, size_t len, int *line, char *msg, size_t cap)
{
    xmlParserCtxtPtr pc = xmlNewParserCtxt();
    xmlDocPtr doc;
    bool bad;
    assert_non_null(pc);
    doc = xmlCtxtReadMemory(pc, text, (int)len, NULL, NULL,
                            XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR |
                                XML_PARSE_NOWARNING);
    bad = !doc || !pc->wellFormed;
    if (bad) {
        const xmlError *e = xmlCtxtGetLastError(pc);
        size_t n = e && e->message ? strlen(e->message) : 0;
        while (n && (e->message[n - 1] == '\n' || e->message[n - 1] == ' '))
            n--;
        snprintf(msg, cap, "XML: %.*s", (int)n, n ? e->message : "not well-formed");
        *line = e && e->line > 0 ? e->line : 0;
    }
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(pc);
    return bad;
}

/* text[0..len): a document the DOM finds not well-formed gives its error and line; any other
 * gives no "XML:" error. Returns 1 when it was not well-formed. */
static int same_as_dom(const char *text, size_t len, const char *what)
{
    char msg[600];
    int line = 0;
    ct_sbom *s = NULL;
    int rc = ct_sbom_parse_cyclonedx_xml(&s, g_ctx, text, len, "t.xml");
    if (dom_error(text, len, &line, msg, sizeof msg)) {
        if (rc != CT_EPARSE || strcmp(ct_error_last()->message, msg) != 0 ||
            ct_error_last()->line != (uint32_t)line)
            fail_msg("%s: DOM says line %d \"%s\", reader %d: %s", what, line, msg, rc,
                     rc < 0 ? ct_error_format() : "parsed");
        assert_null(s);
        return 1;
    }
    if (rc < 0 && strncmp(ct_error_last()->message, "XML:", 4) == 0)
        fail_msg("%s: well-formed for the DOM, reader: %s", what, ct_error_format());
    ct_sbom_free(s);
    return 0;
}

/* Every prefix of doc16 (most are not well-formed), and a byte changed at every offset. */
static void test_sbom_stream__xml_errors_as_dom(void **state)
{
    size_t len = sizeof doc16 - 1, bad = 0;
    char what[64], *buf = ct_malloc(len + 1);
    (void)state;
    assert_non_null(buf);
    for (size_t n = 0; n < len; n++) {
        snprintf(what, sizeof what, "prefix of %zu bytes", n);
        bad += (size_t)same_as_dom(doc16, n, what);
    }
    for (size_t i = 0; i < len; i++) {
        memcpy(buf, doc16, len);
        buf[i] = buf[i] == '<' ? '&' : '<';
        snprintf(what, sizeof what, "byte %zu changed", i);
        bad += (size_t)same_as_dom(buf, len, what);
    }
    printf("doc16: %zu of %zu variants not well-formed, all reported as the DOM does\n", bad,
           2 * len);
    assert_true(bad > len); /* the comparison ran on errors, not only on good documents */
    ct_free(buf);
}

/* The largest real CycloneDX XML SBOM in ../shared: prefixes at 257 offsets. */
static void test_sbom_stream__xml_real_prefixes(void **state)
{
    char *path = ct_test_shared_path(
        "conformance/sboms/cyclonedx-bom-examples/SBOM/laravel-7.12.0/bom.1.4.xml");
    size_t len, bad = 0;
    char what[64];
    (void)state;
    if (!path) {
        printf("skipped: ../shared/conformance/sboms is absent\n");
        skip();
    }
    char *data = ct_test_read(path, &len);
    for (size_t k = 0; k <= 256; k++) {
        size_t n = len * k / 256;
        snprintf(what, sizeof what, "prefix of %zu bytes", n);
        bad += (size_t)same_as_dom(data, n, what);
    }
    assert_int_equal(bad, 256); /* all but the whole file */
    ct_free(data);
    ct_free(path);
}

static void expect_xml(const char *text, int code, uint32_t line, const char *needle)
{
    ct_sbom *s = NULL;
    assert_int_equal(ct_sbom_parse_cyclonedx_xml(&s, g_ctx, text, strlen(text), "o.xml"), code);
    assert_null(s);
    assert_int_equal(ct_error_last()->line, line);
    if (!strstr(ct_error_last()->message, needle))
        fail_msg("\"%s\" not in \"%s\"", needle, ct_error_last()->message);
}

/* The DOM reader's order: not well-formed anywhere first, then a DOCTYPE, then the model. */
static void test_sbom_stream__xml_error_order(void **state)
{
    (void)state;
    /* a component without <name> on line 2, the document broken on line 4 */
    expect_xml("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\"><components>\n"
               "<component type=\"library\"/></components>\n<x>\n</bom>",
               CT_EPARSE, 4, "XML:");
    expect_xml("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\"><components>\n"
               "<component type=\"library\"/></components>\n<x/>\n</bom>",
               CT_EPARSE, 2, "<name>");
    /* a DOCTYPE (line 2) comes before the model's error and after an XML error */
    expect_xml("<?xml version=\"1.0\"?>\n<!DOCTYPE bom>\n"
               "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\"><components>"
               "<component type=\"library\"/></components></bom>",
               CT_EPARSE, 2, "DOCTYPE");
    expect_xml("<?xml version=\"1.0\"?>\n<!DOCTYPE bom>\n"
               "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\">\n</bomb>",
               CT_EPARSE, 4, "XML:");
    /* an unsupported version is reported after the whole document was checked */
    expect_xml("<bom xmlns=\"http://cyclonedx.org/schema/bom/9.9\">\n<a>\n</bom>", CT_EPARSE,
               3, "XML:");
    expect_xml("<bom xmlns=\"http://cyclonedx.org/schema/bom/9.9\">\n<a/>\n</bom>",
               CT_EUNSUPPORTED, 1, "9.9");
    expect_xml("", CT_EPARSE, 1, "Document is empty");
    expect_xml("<!-- only a comment -->", CT_EPARSE, 1, "XML:");
}

/* Sections in any order, with comments, text and unknown elements around them: the model of
 * doc16. */
static void test_sbom_stream__xml_order_free(void **state)
{
    ct_sbom *a = NULL, *b = NULL;
    (void)state;
    assert_int_equal(ct_sbom_parse(&a, g_ctx, doc16, sizeof doc16 - 1, "a.xml"), CT_OK);
    if (ct_sbom_parse(&b, g_ctx, doc16_reordered, sizeof doc16_reordered - 1, "b.xml") != CT_OK)
        fail_msg("%s", ct_error_format());
    assert_int_equal(a->ncomponents, 3);
    assert_int_equal(a->ndeps, 1);
    assert_string_equal(a->name, "gateway-fw");
    ct_test_same_sbom(a, b);
    ct_sbom_free(a);
    ct_sbom_free(b);
}

/* 70,000 components on lines of their own: the model holds all, and an error past line 65535
 * (where libxml2 nodes without XML_PARSE_BIG_LINES stop counting) has its real line. (With
 * libxml2 2.9 an element past that line is placed by the text inside it: an element with no
 * text at all there still says 65535, as the DOM reader did.) */
static void test_sbom_stream__xml_big_lines(void **state)
{
    ct_buf b = CT_BUF_INIT;
    ct_sbom *s = NULL;
    const size_t n = 70000;
    char tail[128];
    (void)state;
    ct_buf_puts(&b, "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\">\n<components>\n");
    for (size_t i = 0; i < n; i++) {
        char line[96];
        snprintf(line, sizeof line,
                 "<component type=\"library\" bom-ref=\"c%zu\"><name>c%zu</name></component>\n",
                 i, i);
        ct_buf_puts(&b, line);
    }
    size_t body = b.len;
    ct_buf_puts(&b, "</components>\n</bom>\n");
    assert_false(b.failed);
    if (ct_sbom_parse_cyclonedx_xml(&s, g_ctx, b.ptr, b.len, "big.xml") != CT_OK)
        fail_msg("%s", ct_error_format());
    assert_int_equal(s->ncomponents, n);
    assert_string_equal(s->components[n - 1].name, "c69999");
    assert_string_equal(s->components[n - 1].bom_ref, "c69999");
    assert_non_null(s->arena);
    ct_sbom_free(s);
    /* one more component, without a name, on line 3 + n */
    b.len = body;
    snprintf(tail, sizeof tail,
             "<component type=\"library\"><version>1</version></component>\n</components>\n"
             "</bom>\n");
    ct_buf_puts(&b, tail);
    assert_int_equal(ct_sbom_parse_cyclonedx_xml(&s, g_ctx, b.ptr, b.len, "big.xml"),
                     CT_EPARSE);
    assert_int_equal(ct_error_last()->line, (uint32_t)(3 + n));
    assert_non_null(strstr(ct_error_last()->message, "<name>"));
    ct_buf_dispose(&b);
}

/* Each reader's model lives in the arena; it can be edited through the setters and written
 * out again; nothing leaks (ASan build). */
static void test_sbom_stream__arena_models(void **state)
{
    static const char *const fmts[] = { "cyclonedx-xml", "spdx-json", "spdx-tv" };
    ct_sbom *src = NULL;
    (void)state;
    assert_int_equal(ct_sbom_parse(&src, g_ctx, doc16, sizeof doc16 - 1, "a.xml"), CT_OK);
    assert_non_null(src->arena);
    for (size_t f = 0; f < CT_NELEM(fmts); f++) {
        ct_buf out = CT_BUF_INIT, again = CT_BUF_INIT;
        ct_sbom *s = NULL, *back = NULL;
        ct_component *c;
        assert_true(ct_sbom_write(&out, src, fmts[f], NULL) >= 0);
        if (ct_sbom_parse(&s, g_ctx, out.ptr, out.len, fmts[f]) != CT_OK)
            fail_msg("%s: %s", fmts[f], ct_error_format());
        assert_non_null(s->arena);
        assert_true(s->ncomponents >= 3);
        /* strings may be shared: an edit changes one field only */
        const char *old_type = s->components[1].type;
        assert_int_equal(ct_sbom_set_str(s, &s->components[0].type, "framework"), 0);
        assert_string_equal(s->components[0].type, "framework");
        assert_string_equal(s->components[1].type, old_type);
        assert_int_equal(ct_sbom_set_str(s, &s->components[0].version, NULL), 0);
        assert_int_equal(ct_sbom_component_add(&c, s), 0);
        assert_int_equal(ct_sbom_set_str(s, &c->name, "added"), 0);
        assert_int_equal(ct_sbom_set_str(s, &c->type, "library"), 0);
        assert_int_equal(ct_sbom_component_remove(s, 1), 0);
        assert_true(ct_sbom_write(&again, s, fmts[f], NULL) >= 0);
        if (ct_sbom_parse(&back, g_ctx, again.ptr, again.len, fmts[f]) != CT_OK)
            fail_msg("%s again: %s", fmts[f], ct_error_format());
        assert_int_equal(back->ncomponents, s->ncomponents);
        assert_string_equal(back->components[back->ncomponents - 1].name, "added");
        assert_null(back->components[0].version);
        ct_sbom_free(back);
        ct_sbom_free(s);
        ct_buf_dispose(&out);
        ct_buf_dispose(&again);
    }
    ct_sbom_free(src);
}

/* The SPDX JSON reader runs on the JSON tape and reads strings as json-c did: the last of
 * repeated members wins, a string is cut at an escaped U+0000. */
static void test_sbom_stream__spdx_json_as_jsonc(void **state)
{
    static const char doc[] =
        "{\"spdxVersion\": \"SPDX-2.3\", \"documentNamespace\": \"https://x/\\u00e9\",\n"
        " \"packages\": [{\"SPDXID\": \"SPDXRef-a\", \"name\": \"first\", \"name\": \"ab\\u0000c\","
        " \"versionInfo\": \"1\\\"2\", \"checksums\": [{\"algorithm\": \"SHA1\", "
        "\"checksumValue\": \"da39a3ee5e6b4b0d3255bfef95601890afd80709\"}],"
        " \"licenseConcluded\": \"NOASSERTION\", \"licenseDeclared\": \"MIT\","
        " \"primaryPackagePurpose\": \"OPERATING_SYSTEM\","
        " \"supplier\": \"Organization: Acme \"}],\n"
        " \"relationships\": [{\"spdxElementId\": \"SPDXRef-DOCUMENT\", \"relationshipType\": "
        "\"DESCRIBES\", \"relatedSpdxElement\": \"SPDXRef-a\"}]}";
    ct_sbom *s = NULL;
    (void)state;
    if (ct_sbom_parse(&s, g_ctx, doc, sizeof doc - 1, "j.json") != CT_OK)
        fail_msg("%s", ct_error_format());
    assert_string_equal(s->format, "spdx-json");
    assert_string_equal(s->serial_number, "https://x/\xc3\xa9");
    assert_int_equal(s->ncomponents, 1);
    assert_string_equal(s->components[0].name, "ab");
    assert_string_equal(s->components[0].version, "1\"2");
    assert_string_equal(s->components[0].licenses, "MIT");
    assert_string_equal(s->components[0].type, "operating-system");
    assert_string_equal(s->components[0].supplier, "Acme");
    assert_string_equal(s->components[0].hashes,
                        "[{\"alg\":\"SHA-1\",\"content\":"
                        "\"da39a3ee5e6b4b0d3255bfef95601890afd80709\"}]");
    assert_string_equal(s->name, "ab");
    assert_non_null(s->arena);
    ct_sbom_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sbom_stream__xml_errors_as_dom),
        cmocka_unit_test(test_sbom_stream__xml_real_prefixes),
        cmocka_unit_test(test_sbom_stream__xml_error_order),
        cmocka_unit_test(test_sbom_stream__xml_order_free),
        cmocka_unit_test(test_sbom_stream__xml_big_lines),
        cmocka_unit_test(test_sbom_stream__arena_models),
        cmocka_unit_test(test_sbom_stream__spdx_json_as_jsonc),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

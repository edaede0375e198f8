/* Unit tests for src/sbom/cyclonedx_xml.c (CycloneDX XML 1.0-1.7 into the common model: inline
 * documents per version, the real 1.1 laravel SBOM checked field by field against libxml2 XPath)
 * and for src/sbom/validate.c without schema files (C structural and semantic checks). */
#include "ct_test.h"

#include "cratrace/sbom.h"
#include "cratrace/sbom_validate.h"

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <stdio.h>
#include <string.h>

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
    "      <x:ignored>extension</x:ignored>\n"
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

static void test_cyclonedx_xml__model(void **state)
{
    ct_sbom *s = NULL;
    (void)state;
    assert_int_equal(ct_sbom_parse(&s, g_ctx, doc16, sizeof doc16 - 1, "bom.xml"), CT_OK);
    assert_string_equal(s->format, "cyclonedx-xml");
    assert_string_equal(s->spec_version, "1.6");
    assert_string_equal(s->serial_number, "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79");
    assert_string_equal(s->name, "gateway-fw");
    assert_string_equal(s->version, "2.4.1");
    assert_int_equal(s->ncomponents, 3);
    assert_string_equal(s->components[0].name, "lodash");
    assert_string_equal(s->components[0].bom_ref, "lodash-ref");
    assert_string_equal(s->components[0].supplier, "OpenJS Foundation");
    assert_string_equal(s->components[0].purl, "pkg:npm/lodash@4.17.20");
    assert_string_equal(s->components[0].hashes,
                        "[{\"alg\":\"MD5\",\"content\":\"3942447fac867ae5cdb3229b658f4d48\"}]");
    assert_string_equal(s->components[0].licenses, "MIT");
    assert_int_equal(s->components[1].depth, 1);
    assert_string_equal(s->components[1].type, "file");
    assert_string_equal(s->components[2].group, "org.openssl");
    assert_string_equal(s->components[2].licenses, "Apache-2.0 OR MIT");
    assert_non_null(s->components[2].cpe);
    assert_int_equal(s->ndeps, 1);
    assert_string_equal(s->deps[0].ref, "lodash-ref");
    assert_string_equal(s->deps[0].depends_on, "openssl-ref");
    ct_sbom_free(s);
}

static void expect_fail(const char *text, int code, uint32_t line, const char *needle)
{
    ct_sbom *s = NULL;
    assert_int_equal(ct_sbom_parse_cyclonedx_xml(&s, g_ctx, text, strlen(text), "b.xml"), code);
    assert_null(s);
    assert_string_equal(ct_error_last()->source, "b.xml");
    assert_int_equal(ct_error_last()->line, line);
    if (needle && !strstr(ct_error_last()->message, needle))
        fail_msg("\"%s\" not in \"%s\"", needle, ct_error_last()->message);
}

static void test_cyclonedx_xml__errors(void **state)
{
    (void)state;
    expect_fail("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\">\n<components>\n</bom>",
                CT_EPARSE, 3, "XML");
    expect_fail("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\">\n<components>\n"
                "<component type=\"library\"><version>1</version></component>"
                "</components></bom>",
                CT_EPARSE, 3, "<name>");
    expect_fail("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\"><components>\n\n"
                "<component><name>x</name></component></components></bom>",
                CT_EPARSE, 3, "type");
    expect_fail("<bom xmlns=\"http://cyclonedx.org/schema/bom/2.0\"/>", CT_EUNSUPPORTED, 1,
                "2.0");
    expect_fail("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.\"/>", CT_EUNSUPPORTED, 1,
                "1.0 to 1.7");
    /* 1.1: the dependency-graph extension has the same required "ref" */
    expect_fail("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.1\"\n"
                " xmlns:dg=\"http://cyclonedx.org/schema/ext/dependency-graph/1.0\">\n"
                "<dg:dependencies><dg:dependency ref=\"a\">\n<dg:dependency/>"
                "</dg:dependency></dg:dependencies></bom>",
                CT_EPARSE, 4, "ref");
    expect_fail("<bom/>", CT_EUNSUPPORTED, 1, "namespace");
    expect_fail("<?xml version=\"1.0\"?>\n<!DOCTYPE bom [<!ENTITY a \"aaaa\">]>\n"
                "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\"/>",
                CT_EPARSE, 2, "DOCTYPE");
    expect_fail("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\"><dependencies>\n"
                "<dependency/></dependencies></bom>",
                CT_EPARSE, 2, "ref");
}

/* ---- CycloneDX XML 1.0-1.3 ------------------------------------------------------------------ */

static ct_sbom *parse_ok(const char *text, const char *source)
{
    ct_sbom *s = NULL;
    if (ct_sbom_parse(&s, g_ctx, text, strlen(text), source) != CT_OK)
        fail_msg("%s: %s", source, ct_error_format());
    assert_string_equal(s->format, "cyclonedx-xml");
    return s;
}

/* Write s as CycloneDX XML 1.4 (the oldest the writer has), read it back: nothing lost and the
 * model equal but for spec_version. */
static void same_as_1_4(const ct_sbom *s)
{
    ct_buf out = CT_BUF_INIT;
    ct_sbom *back = NULL;
    int n = ct_sbom_write(&out, s, "cyclonedx-xml", "1.4");
    if (n != 0)
        fail_msg("cyclonedx-xml 1.4: %d lost (%s)", n, n < 0 ? ct_error_format() : "");
    if (ct_sbom_parse(&back, g_ctx, out.ptr, out.len, "written.xml") != CT_OK)
        fail_msg("reading back: %s", ct_error_format());
    assert_string_equal(back->spec_version, "1.4");
    ct_sbom same = *back;
    same.spec_version = s->spec_version;
    ct_test_same_sbom(s, &same);
    ct_sbom_free(back);
    ct_buf_dispose(&out);
}

/* 1.0: no bom-ref, serialNumber or licence <expression> (not 1.0, so not read), several <id>s
 * in one <license>, no metadata, no dependencies; modified, publisher, description, scope and
 * copyright are not in the model. */
static const char doc10[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.0\" version=\"1\"\n"
    "     serialNumber=\"urn:uuid:0f2c5b1e-7d47-4c1a-9a57-1f7e5d3c8b21\">\n"
    "  <components>\n"
    "    <component type=\"library\" bom-ref=\"not-in-1.0\">\n"
    "      <publisher>Acme</publisher><group>org.acme</group><name>tls</name>\n"
    "      <version>1.0.2</version><description>TLS</description><scope>required</scope>\n"
    "      <hashes><hash alg=\"SHA-1\">da39a3ee5e6b4b0d3255bfef95601890afd80709</hash>"
    "<hash alg=\"MD5\">d41d8cd98f00b204e9800998ecf8427e</hash></hashes>\n"
    "      <licenses><license><name>Acme Licence</name></license>"
    "<license><id>MIT</id><id>BSD-3-Clause</id></license></licenses>\n"
    "      <copyright>(c) Acme</copyright><cpe>cpe:/a:acme:tls:1.0.2</cpe>\n"
    "      <purl>pkg:maven/org.acme/tls@1.0.2</purl><modified>false</modified>\n"
    "      <components><component type=\"library\"><name>asn1</name><version>0.1</version>"
    "<licenses><expression>GPL-2.0-only</expression></licenses>"
    "<modified>true</modified></component></components>\n"
    "    </component>\n"
    "    <component type=\"device\"><name>board</name><version>B</version>"
    "<modified>false</modified></component>\n"
    "  </components>\n"
    "</bom>\n";

/* 1.1: bom-ref, serialNumber, licence expressions, externalReferences, and the graph in the
 * dependency-graph extension namespace; a <dependencies> in the bom namespace and a
 * <metadata> are not 1.1 and are not read. */
static const char doc11[] =
    "<?xml version=\"1.0\"?>\n"
    "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.1\"\n"
    "     xmlns:dg=\"http://cyclonedx.org/schema/ext/dependency-graph/1.0\"\n"
    "     serialNumber=\"urn:uuid:0f2c5b1e-7d47-4c1a-9a57-1f7e5d3c8b21\" version=\"2\">\n"
    "  <metadata><component type=\"firmware\"><name>not-1.1</name></component></metadata>\n"
    "  <components>\n"
    "    <component type=\"application\" bom-ref=\"app\"><name>gateway</name>"
    "<version>2.0</version>\n"
    "      <licenses><expression>MIT OR Apache-2.0</expression></licenses>\n"
    "      <externalReferences><reference type=\"website\"><url>https://example.com/</url>"
    "</reference></externalReferences>\n"
    "    </component>\n"
    "    <component type=\"file\" bom-ref=\"fw\"><name>fw.bin</name><version>7</version>\n"
    "      <hashes><hash alg=\"SHA-256\">"
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855</hash></hashes>\n"
    "      <pedigree><notes>patched</notes></pedigree>\n"
    "    </component>\n"
    "    <component type=\"library\" bom-ref=\"zlib\"><name>zlib</name>"
    "<version>1.3</version></component>\n"
    "  </components>\n"
    "  <dg:dependencies>\n"
    "    <dg:dependency ref=\"app\"><dg:dependency ref=\"fw\"/><dg:dependency ref=\"zlib\"/>"
    "</dg:dependency>\n"
    "    <dg:dependency ref=\"fw\"><dg:dependency ref=\"zlib\"/></dg:dependency>\n"
    "    <dg:dependency ref=\"zlib\"/>\n"
    "  </dg:dependencies>\n"
    "  <dependencies><dependency ref=\"zlib\"><dependency ref=\"app\"/></dependency>"
    "</dependencies>\n"
    "</bom>\n";

/* 1.2 and 1.3: metadata, supplier and the core <dependencies> (the 1.1 extension is not read) */
static const char doc12_fmt[] =
    "<bom xmlns=\"http://cyclonedx.org/schema/bom/%s\"\n"
    "     xmlns:dg=\"http://cyclonedx.org/schema/ext/dependency-graph/1.0\" version=\"1\">\n"
    "  <metadata><component type=\"firmware\" bom-ref=\"root\"><name>gw-fw</name>"
    "<version>3.1</version></component></metadata>\n"
    "  <components><component type=\"container\" bom-ref=\"c\">"
    "<supplier><name>Acme</name><url>https://acme.example</url></supplier>"
    "<name>base</name><version>12</version><purl>pkg:oci/base@sha256%%3Aabc</purl>"
    "</component></components>\n"
    "  <dependencies><dependency ref=\"root\"><dependency ref=\"c\"/></dependency>"
    "<dependency ref=\"c\"/></dependencies>\n"
    "  <dg:dependencies><dg:dependency ref=\"c\"><dg:dependency ref=\"root\"/>"
    "</dg:dependency></dg:dependencies>\n"
    "</bom>\n";

static void test_cyclonedx_xml__legacy_versions(void **state)
{
    ct_sbom *s;
    (void)state;

    s = parse_ok(doc10, "bom10.xml");
    assert_string_equal(s->spec_version, "1.0");
    assert_null(s->serial_number);
    assert_null(s->name);
    assert_int_equal(s->ncomponents, 3);
    assert_null(s->components[0].bom_ref);
    assert_string_equal(s->components[0].group, "org.acme");
    assert_string_equal(s->components[0].name, "tls");
    assert_string_equal(s->components[0].version, "1.0.2");
    assert_string_equal(s->components[0].cpe, "cpe:/a:acme:tls:1.0.2");
    assert_string_equal(s->components[0].purl, "pkg:maven/org.acme/tls@1.0.2");
    assert_string_equal(s->components[0].licenses, "Acme Licence AND MIT AND BSD-3-Clause");
    assert_string_equal(s->components[0].hashes,
                        "[{\"alg\":\"SHA-1\",\"content\":"
                        "\"da39a3ee5e6b4b0d3255bfef95601890afd80709\"},"
                        "{\"alg\":\"MD5\",\"content\":\"d41d8cd98f00b204e9800998ecf8427e\"}]");
    assert_null(s->components[0].supplier);
    assert_string_equal(s->components[1].name, "asn1");
    assert_int_equal(s->components[1].depth, 1);
    assert_null(s->components[1].licenses);
    assert_string_equal(s->components[2].type, "device");
    assert_int_equal(s->components[2].depth, 0);
    assert_int_equal(s->ndeps, 0);
    same_as_1_4(s);
    ct_sbom_free(s);

    s = parse_ok(doc11, "bom11.xml");
    assert_string_equal(s->spec_version, "1.1");
    assert_string_equal(s->serial_number, "urn:uuid:0f2c5b1e-7d47-4c1a-9a57-1f7e5d3c8b21");
    assert_null(s->name); /* <metadata> is 1.2 on */
    assert_null(s->version);
    assert_int_equal(s->ncomponents, 3);
    assert_string_equal(s->components[0].bom_ref, "app");
    assert_string_equal(s->components[0].type, "application");
    assert_string_equal(s->components[0].licenses, "MIT OR Apache-2.0");
    assert_string_equal(s->components[1].type, "file");
    assert_non_null(strstr(s->components[1].hashes, "\"SHA-256\""));
    /* the extension's three edges; the core <dependencies> (zlib -> app) is not 1.1 */
    assert_int_equal(s->ndeps, 3);
    assert_string_equal(s->deps[0].ref, "app");
    assert_string_equal(s->deps[0].depends_on, "fw");
    assert_string_equal(s->deps[1].ref, "app");
    assert_string_equal(s->deps[1].depends_on, "zlib");
    assert_string_equal(s->deps[2].ref, "fw");
    assert_string_equal(s->deps[2].depends_on, "zlib");
    same_as_1_4(s);
    ct_sbom_free(s);

    for (const char *const *v = (const char *const[]){ "1.2", "1.3", NULL }; *v; v++) {
        char doc[2048];
        snprintf(doc, sizeof doc, doc12_fmt, *v);
        s = parse_ok(doc, *v);
        assert_string_equal(s->spec_version, *v);
        assert_string_equal(s->name, "gw-fw");
        assert_string_equal(s->version, "3.1");
        assert_int_equal(s->ncomponents, 1);
        assert_string_equal(s->components[0].type, "container");
        assert_string_equal(s->components[0].supplier, "Acme");
        assert_string_equal(s->components[0].purl, "pkg:oci/base@sha256%3Aabc");
        assert_int_equal(s->ndeps, 1); /* root -> c; the 1.1 extension's c -> root is not read */
        assert_string_equal(s->deps[0].ref, "root");
        assert_string_equal(s->deps[0].depends_on, "c");
        same_as_1_4(s);
        ct_sbom_free(s);
    }
}

/* The node set of expr below n, or NULL when empty; free with xmlXPathFreeObject. */
static xmlXPathObjectPtr xp(xmlXPathContextPtr xc, xmlNodePtr n, const char *expr)
{
    xmlXPathObjectPtr o = xmlXPathNodeEval(n, (const xmlChar *)expr, xc);
    assert_non_null(o);
    if (!o->nodesetval || o->nodesetval->nodeNr == 0) {
        xmlXPathFreeObject(o);
        return NULL;
    }
    return o;
}

/* the text of the first node of expr below n, joined with sep over all nodes; NEW or NULL */
static char *xp_text(xmlXPathContextPtr xc, xmlNodePtr n, const char *expr, const char *sep)
{
    xmlXPathObjectPtr o = xp(xc, n, expr);
    ct_buf b = CT_BUF_INIT;
    if (!o)
        return NULL;
    for (int i = 0; i < o->nodesetval->nodeNr; i++) {
        xmlChar *t = xmlNodeGetContent(o->nodesetval->nodeTab[i]);
        if (i)
            ct_buf_puts(&b, sep);
        ct_buf_puts(&b, (const char *)t);
        xmlFree(t);
        if (!sep)
            break;
    }
    xmlXPathFreeObject(o);
    char *r = ct_buf_detach(&b);
    ct_buf_dispose(&b);
    return r;
}

static void same_text(const char *what, size_t i, const char *model, char *expected)
{
    ct_test_same_str(what, i, expected, model);
    ct_free(expected);
}

/* The real CycloneDX 1.1 SBOM (laravel 7.12.0, cyclonedx-php-composer): every component's
 * fields as libxml2 XPath reads them from the file, then the 1.4 round trip. */
static void test_cyclonedx_xml__laravel_1_1(void **state)
{
    char *path = ct_test_shared_path(
        "conformance/sboms/cyclonedx-bom-examples/SBOM/laravel-7.12.0/bom.1.1.xml");
    size_t len;
    (void)state;
    if (!path) {
        printf("skipped: ../shared/conformance/sboms is absent\n");
        skip();
    }
    char *data = ct_test_read(path, &len);
    ct_sbom *s = parse_ok(data, path);
    xmlDocPtr doc = xmlReadMemory(data, (int)len, NULL, NULL, XML_PARSE_NONET);
    xmlXPathContextPtr xc = xmlXPathNewContext(doc);
    assert_non_null(xc);
    assert_int_equal(xmlXPathRegisterNs(xc, (const xmlChar *)"b",
                                        (const xmlChar *)"http://cyclonedx.org/schema/bom/1.1"),
                     0);
    assert_int_equal(
        xmlXPathRegisterNs(xc, (const xmlChar *)"dg",
                           (const xmlChar *)"http://cyclonedx.org/schema/ext/dependency-graph/1.0"),
        0);
    xmlNodePtr root = xmlDocGetRootElement(doc);

    assert_string_equal(s->spec_version, "1.1");
    same_text("serial_number", 0, s->serial_number,
              xp_text(xc, root, "/b:bom/@serialNumber", NULL));
    assert_null(s->name);
    /* document order of //b:component is the reader's order (pre-order, nested after parent) */
    xmlXPathObjectPtr comps = xp(xc, root, "//b:component");
    assert_non_null(comps);
    assert_int_equal(s->ncomponents, (size_t)comps->nodesetval->nodeNr);
    assert_true(s->ncomponents >= 60);
    size_t with_purl = 0, with_licence = 0;
    for (size_t i = 0; i < s->ncomponents; i++) {
        xmlNodePtr c = comps->nodesetval->nodeTab[i];
        const ct_component *m = &s->components[i];
        same_text("type", i, m->type, xp_text(xc, c, "@type", NULL));
        same_text("bom_ref", i, m->bom_ref, xp_text(xc, c, "@bom-ref", NULL));
        same_text("group", i, m->group, xp_text(xc, c, "b:group", NULL));
        same_text("name", i, m->name, xp_text(xc, c, "b:name", NULL));
        same_text("version", i, m->version, xp_text(xc, c, "b:version", NULL));
        same_text("purl", i, m->purl, xp_text(xc, c, "b:purl", NULL));
        same_text("cpe", i, m->cpe, xp_text(xc, c, "b:cpe", NULL));
        same_text("licenses", i, m->licenses,
                  xp_text(xc, c, "b:licenses/b:license/b:id | b:licenses/b:license/b:name | "
                                 "b:licenses/b:expression",
                          " AND "));
        xmlXPathObjectPtr h = xp(xc, c, "b:hashes/b:hash");
        if (h) /* laravel's 1.1 SBOM has none; the shape is checked inline above */
            assert_non_null(m->hashes);
        else
            assert_null(m->hashes);
        xmlXPathFreeObject(h);
        assert_null(m->supplier); /* 1.1 has no supplier */
        xmlXPathObjectPtr anc = xp(xc, c, "ancestor::b:component");
        assert_int_equal(m->depth, anc ? (uint32_t)anc->nodesetval->nodeNr : 0);
        xmlXPathFreeObject(anc);
        with_purl += m->purl != NULL;
        with_licence += m->licenses != NULL;
    }
    xmlXPathFreeObject(comps);
    /* edges: one per inner dg:dependency (the file has no graph) */
    xmlXPathObjectPtr edges = xp(xc, root, "/b:bom/dg:dependencies/dg:dependency/dg:dependency");
    assert_int_equal(s->ndeps, edges ? (size_t)edges->nodesetval->nodeNr : 0);
    xmlXPathFreeObject(edges);
    printf("laravel bom.1.1.xml: %zu components (%zu with purl, %zu with a licence), %zu edges\n",
           s->ncomponents, with_purl, with_licence, s->ndeps);
    same_as_1_4(s);

    xmlXPathFreeContext(xc);
    xmlFreeDoc(doc);
    ct_sbom_free(s);
    ct_free(data);
    ct_free(path);
}

static ct_sbom_report *validate(const char *text)
{
    ct_sbom_validate_options o = CT_SBOM_VALIDATE_OPTIONS_INIT;
    ct_sbom_report *r = NULL;
    o.no_schema = true;
    assert_int_equal(ct_sbom_validate_ex(&r, g_ctx, text, strlen(text), "t", &o), CT_OK);
    return r;
}

static void test_validate__no_schema(void **state)
{
    ct_sbom_report *r;
    (void)state;
    r = validate(doc16);
    assert_true(r->valid);
    assert_string_equal(r->format, "cyclonedx-xml");
    assert_false(r->schema_checked);
    ct_sbom_report_free(r);

    r = validate("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\">\n<components>\n"
                 "<component type=\"foo\" bom-ref=\"a\"><name>x</name>"
                 "<purl>not-a-purl</purl></component>\n"
                 "<component type=\"library\" bom-ref=\"a\"><name>y</name></component>"
                 "</components>\n<dependencies><dependency ref=\"zz\"/></dependencies></bom>");
    assert_false(r->valid);
    assert_int_equal(r->nerrors, 4); /* type, purl, dangling ref, duplicate bom-ref */
    assert_string_equal(r->errors[0].location, "line 3");
    ct_sbom_report_free(r);

    r = validate("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.7\",\"serialNumber\":\"x\","
                 "\"version\":0,\"components\":[{\"type\":\"library\",\"name\":\"a\","
                 "\"bom-ref\":\"r\",\"hashes\":[{\"alg\":\"MD5\",\"content\":\"foo\"}]}],"
                 "\"dependencies\":[{\"ref\":\"r\",\"dependsOn\":[\"q\"]}]}");
    assert_false(r->valid);
    assert_string_equal(r->spec_version, "1.7");
    assert_int_equal(r->nerrors, 4);
    assert_string_equal(r->errors[0].location, "/serialNumber");
    assert_string_equal(r->errors[1].location, "/version");
    assert_string_equal(r->errors[2].location, "/components/0/hashes/0/content");
    assert_string_equal(r->errors[3].location, "/dependencies/0/dependsOn/0");
    ct_sbom_report_free(r);

    r = validate("{\"bomFormat\":");
    assert_false(r->valid);
    assert_int_equal(r->nerrors, 1);
    ct_sbom_report_free(r);
}

/* The streaming validator (validate_xml.c): a document that turns out not to be well-formed
 * after rule findings, or that has a DOCTYPE, gets that one finding only; locations past line
 * 65535 are exact; the XSD runs only when asked and schema_checked says so. */
static void test_validate__xml_stream(void **state)
{
    ct_sbom_validate_options o = CT_SBOM_VALIDATE_OPTIONS_INIT;
    ct_sbom_report *r;
    ct_buf b = CT_BUF_INIT;
    char *dir;
    (void)state;
    r = validate("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\">\n<components>\n"
                 "<component type=\"foo\"><name>x</name></component>\n"
                 "<component type=\"library\"><name>y</name>\n</components>\n</bom>");
    assert_false(r->valid);
    assert_int_equal(r->nerrors, 1);
    assert_string_equal(r->errors[0].location, "line 6"); /* as a DOM parse says */
    assert_string_equal(r->errors[0].message, "XML: Premature end of data in tag bom line 1");
    assert_null(r->spec_version);
    ct_sbom_report_free(r);

    r = validate("<?xml version=\"1.0\"?>\n<!DOCTYPE bom>\n"
                 "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\"><components>"
                 "<component type=\"foo\"><name>x</name></component></components></bom>");
    assert_int_equal(r->nerrors, 1);
    assert_string_equal(r->errors[0].message, "DOCTYPE declarations are not allowed");
    ct_sbom_report_free(r);

    /* a bad hash on line 70,002 */
    ct_buf_puts(&b, "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\">\n<components>\n");
    for (int i = 0; i < 70000; i++)
        ct_buf_putc(&b, '\n');
    ct_buf_puts(&b, "<component type=\"library\"><name>a</name><hashes><hash alg=\"MD5\">xyz"
                    "</hash></hashes></component></components></bom>");
    assert_false(b.failed);
    r = validate(b.ptr);
    assert_int_equal(r->nerrors, 1);
    assert_string_equal(r->errors[0].location, "line 70003");
    ct_sbom_report_free(r);
    ct_buf_dispose(&b);

    /* 1.7 lets <licenses> mix <license> and <expression>; 1.6 does not */
    r = validate("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.7\"><components>"
                 "<component type=\"library\"><name>a</name><licenses><license><name>x</name>"
                 "</license><expression>MIT</expression></licenses></component></components></bom>");
    assert_true(r->valid);
    ct_sbom_report_free(r);

    if (!(dir = ct_test_shared_path("conformance/cyclonedx/schema"))) {
        printf("skipped the XSD part: ../shared/conformance/cyclonedx/schema is absent\n");
        return;
    }
    o.schema_dir = dir;
    o.xsd = CT_SBOM_XSD_OFF;
    assert_int_equal(ct_sbom_validate_ex(&r, g_ctx, doc16, strlen(doc16), "t", &o), CT_OK);
    assert_false(r->schema_checked);
    ct_sbom_report_free(r);
    o.xsd = CT_SBOM_XSD_AUTO; /* a named folder: the XSD runs */
    assert_int_equal(ct_sbom_validate_ex(&r, g_ctx, doc16, strlen(doc16), "t", &o), CT_OK);
    assert_true(r->schema_checked);
    ct_sbom_report_free(r);
    ct_free(dir);
}

/* The SAX stream (validate_xml.c, xmlfast) keeps the tree walk's findings: a rule that needs an
 * element's children (a missing <name>, <metadata> counts) reports before the element's
 * descendants, in document pre-order; attribute values with references compare decoded; an
 * element past line 65535 without text is placed on its own line; libxml2's depth limit still
 * makes a document not well-formed. */
static void test_validate__xml_stream_order(void **state)
{
    ct_sbom_report *r;
    ct_buf b = CT_BUF_INIT;
    (void)state;
    r = validate("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\">\n"
                 "<metadata><foo/>\n<timestamp>x</timestamp><timestamp>2020-01-01T00:00:00Z"
                 "</timestamp></metadata>\n<components>\n"
                 "<component type=\"library\">\n<hashes><hash alg=\"MD5\">zz</hash></hashes>"
                 "\n<version>1</version><version>2</version></component>\n</components></bom>");
    assert_int_equal(r->nerrors, 6);
    assert_string_equal(r->errors[0].message, "<metadata> holds at most one <timestamp>");
    assert_string_equal(r->errors[0].location, "line 2");
    assert_string_equal(r->errors[1].message,
                        "<foo> is not allowed in <metadata> in CycloneDX 1.6");
    assert_string_equal(r->errors[2].message, "timestamp must be an xs:dateTime");
    assert_string_equal(r->errors[2].location, "line 3");
    assert_string_equal(r->errors[3].message, "component lacks the required <name>");
    assert_string_equal(r->errors[3].location, "line 5");
    assert_string_equal(r->errors[4].message,
                        "a component holds at most one of <version> and <versionRange>");
    assert_string_equal(r->errors[5].message,
                        "hash content must be 32, 40, 64, 96 or 128 hex digits");
    assert_string_equal(r->errors[5].location, "line 6");
    ct_sbom_report_free(r);

    r = validate("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\"><components>"
                 "<component type=\"library\" bom-ref=\"a&amp;b&lt;c\"><name>x</name></component>"
                 "</components><dependencies><dependency ref=\"a&#38;b&#60;c\"/>"
                 "<dependency ref=\"a&amp;\"/></dependencies></bom>");
    assert_int_equal(r->nerrors, 1);
    assert_string_equal(r->errors[0].message, "dependency ref \"a&\" names no bom-ref");
    ct_sbom_report_free(r);

    /* a <dependency/> without ref on line 70,003 (no text: the tree's line said 65535) */
    ct_buf_puts(&b, "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\">\n<dependencies>\n");
    for (int i = 0; i < 70000; i++)
        ct_buf_putc(&b, '\n');
    ct_buf_puts(&b, "<dependency/></dependencies></bom>");
    assert_false(b.failed);
    r = validate(b.ptr);
    assert_int_equal(r->nerrors, 1);
    assert_string_equal(r->errors[0].location, "line 70003");
    assert_string_equal(r->errors[0].message, "<dependency> needs a non-empty \"ref\" attribute");
    ct_sbom_report_free(r);

    /* 257 open elements are well-formed, 258 are not (libxml2 without XML_PARSE_HUGE) */
    for (int depth = 257; depth <= 258; depth++) {
        ct_buf_reset(&b);
        ct_buf_puts(&b, "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\">");
        for (int i = 1; i < depth; i++)
            ct_buf_puts(&b, "<x>");
        for (int i = 1; i < depth; i++)
            ct_buf_puts(&b, "</x>");
        ct_buf_puts(&b, "</bom>");
        assert_false(b.failed);
        r = validate(b.ptr);
        if (depth == 257) {
            assert_true(r->valid);
        } else {
            assert_int_equal(r->nerrors, 1);
            assert_string_equal(r->errors[0].message,
                                "XML: Excessive depth in document: 256 use XML_PARSE_HUGE option");
        }
        ct_sbom_report_free(r);
    }
    ct_buf_dispose(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cyclonedx_xml__model),
        cmocka_unit_test(test_cyclonedx_xml__errors),
        cmocka_unit_test(test_cyclonedx_xml__legacy_versions),
        cmocka_unit_test(test_cyclonedx_xml__laravel_1_1),
        cmocka_unit_test(test_validate__no_schema),
        cmocka_unit_test(test_validate__xml_stream),
        cmocka_unit_test(test_validate__xml_stream_order),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

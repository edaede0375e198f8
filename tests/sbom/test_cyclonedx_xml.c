/* Unit tests for src/sbom/cyclonedx_xml.c (CycloneDX XML 1.4-1.7 into the common model) and
 * for src/sbom/validate.c without schema files (C structural and semantic checks). */
#include "ct_test.h"

#include "cratrace/sbom.h"
#include "cratrace/sbom_validate.h"

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
    expect_fail("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.3\"/>", CT_EUNSUPPORTED, 1,
                "1.3");
    expect_fail("<bom/>", CT_EUNSUPPORTED, 1, "namespace");
    expect_fail("<?xml version=\"1.0\"?>\n<!DOCTYPE bom [<!ENTITY a \"aaaa\">]>\n"
                "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\"/>",
                CT_EPARSE, 2, "DOCTYPE");
    expect_fail("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\"><dependencies>\n"
                "<dependency/></dependencies></bom>",
                CT_EPARSE, 2, "ref");
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cyclonedx_xml__model),
        cmocka_unit_test(test_cyclonedx_xml__errors),
        cmocka_unit_test(test_validate__no_schema),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

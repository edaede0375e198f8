/* Unit tests for src/sbom/cyclonedx_json.c: the model built from CycloneDX 1.4-1.6 JSON, and
 * errors with exact codes, JSON pointers and line/column positions. */
#include "ct_test.h"

#include "cratrace/sbom.h"

#include <stdio.h>
#include <string.h>

static const char valid_doc[] =
    "{\n"
    "  \"bomFormat\": \"CycloneDX\",\n"
    "  \"specVersion\": \"%s\",\n"
    "  \"serialNumber\": \"urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79\",\n"
    "  \"version\": 1,\n"
    "  \"metadata\": {\"timestamp\": \"2024-05-01T10:00:00Z\",\n"
    "    \"component\": {\"type\": \"firmware\", \"name\": \"gateway-fw\", \"version\": "
    "\"2.4.1\"}},\n"
    "  \"components\": [\n"
    "    {\"type\": \"library\", \"bom-ref\": \"lodash-ref\", \"group\": \"\", \"name\": "
    "\"lodash\",\n"
    "     \"version\": \"4.17.20\", \"purl\": \"pkg:npm/lodash@4.17.20\",\n"
    "     \"supplier\": {\"name\": \"OpenJS Foundation\", \"url\": [\"https://openjsf.org\"]},\n"
    "     \"hashes\": [{\"alg\": \"SHA-256\", \"content\": \"abc123\"},\n"
    "                {\"alg\": \"SHA-1\", \"content\": \"def\\\"456\"}],\n"
    "     \"licenses\": [{\"license\": {\"id\": \"MIT\"}}],\n"
    "     \"components\": [\n"
    "       {\"type\": \"file\", \"name\": \"lodash.min.js\",\n"
    "        \"hashes\": [{\"alg\": \"MD5\", \"content\": \"00ff\"}],\n"
    "        \"components\": [{\"type\": \"file\", \"name\": \"deep.txt\"}]}\n"
    "     ]},\n"
    "    {\"type\": \"library\", \"bom-ref\": \"openssl-ref\", \"group\": \"org.openssl\",\n"
    "     \"name\": \"openssl\", \"version\": \"3.0.7\",\n"
    "     \"cpe\": \"cpe:2.3:a:openssl:openssl:3.0.7:*:*:*:*:*:*:*\",\n"
    "     \"licenses\": [{\"license\": {\"name\": \"Custom OpenSSL\"}},\n"
    "                  {\"expression\": \"Apache-2.0 OR MIT\"}]},\n"
    "    {\"type\": \"library\", \"bom-ref\": \"zlib-ref\", \"name\": \"zlib\", \"version\": "
    "\"1.3\",\n"
    "     \"purl\": \"pkg:generic/zlib@1.3\",\n"
    "     \"licenses\": [{\"license\": {\"id\": \"Zlib\", \"name\": \"ignored\"}},\n"
    "                  {\"license\": {\"name\": \"zlib-acknowledgement\"}}]}\n"
    "  ],\n"
    "  \"dependencies\": [\n"
    "    {\"ref\": \"lodash-ref\", \"dependsOn\": [\"openssl-ref\", \"zlib-ref\"]},\n"
    "    {\"ref\": \"openssl-ref\"},\n"
    "    {\"ref\": \"zlib-ref\", \"dependsOn\": []},\n"
    "    {\"ref\": \"gateway\", \"dependsOn\": [\"lodash-ref\"]}\n"
    "  ]\n"
    "}\n";

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

static char *doc_with_spec(const char *spec)
{
    ct_buf b = CT_BUF_INIT;
    assert_int_equal(ct_buf_printf(&b, valid_doc, spec), CT_OK);
    return ct_buf_detach(&b);
}

/* Parse text that must fail; returns the error code and leaves the error in place. */
static int parse_fail(const char *text, size_t len)
{
    ct_sbom *s = (ct_sbom *)0x1;
    int rc = ct_sbom_parse_cyclonedx_json(&s, g_ctx, text, len, "bom.json");
    if (rc == CT_OK) {
        ct_sbom_free(s);
        fail_msg("parse succeeded unexpectedly");
    }
    assert_null(s);
    assert_int_equal(ct_error_last()->code, rc);
    return rc;
}

static void expect_pointer_error(const char *text, int code, const char *pointer)
{
    ct_error_clear();
    assert_int_equal(parse_fail(text, strlen(text)), code);
    assert_non_null(ct_error_last()->pointer);
    assert_string_equal(ct_error_last()->pointer, pointer);
    assert_string_equal(ct_error_last()->source, "bom.json");
}

static void check_model(const ct_sbom *s, const char *spec)
{
    const ct_component *c;

    assert_string_equal(s->format, "cyclonedx-json");
    assert_string_equal(s->spec_version, spec);
    assert_string_equal(s->serial_number, "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79");
    assert_string_equal(s->name, "gateway-fw");
    assert_string_equal(s->version, "2.4.1");
    assert_int_equal(s->ncomponents, 5);
    assert_int_equal(s->ndeps, 3);

    /* depth-first, document order; nesting depth recorded */
    c = &s->components[0];
    assert_string_equal(c->name, "lodash");
    assert_int_equal(c->depth, 0);
    assert_string_equal(c->type, "library");
    assert_string_equal(c->bom_ref, "lodash-ref");
    assert_string_equal(c->group, "");
    assert_string_equal(c->version, "4.17.20");
    assert_string_equal(c->purl, "pkg:npm/lodash@4.17.20");
    assert_null(c->cpe);
    assert_string_equal(c->supplier, "OpenJS Foundation");
    assert_string_equal(c->hashes, "[{\"alg\":\"SHA-256\",\"content\":\"abc123\"},"
                                   "{\"alg\":\"SHA-1\",\"content\":\"def\\\"456\"}]");
    assert_string_equal(c->licenses, "MIT");

    c = &s->components[1];
    assert_string_equal(c->name, "lodash.min.js");
    assert_int_equal(c->depth, 1);
    assert_string_equal(c->type, "file");
    assert_null(c->version);
    assert_null(c->purl);
    assert_null(c->bom_ref);
    assert_null(c->supplier);
    assert_null(c->licenses);
    assert_string_equal(c->hashes, "[{\"alg\":\"MD5\",\"content\":\"00ff\"}]");

    c = &s->components[2];
    assert_string_equal(c->name, "deep.txt");
    assert_int_equal(c->depth, 2);
    assert_null(c->hashes);

    c = &s->components[3];
    assert_string_equal(c->name, "openssl");
    assert_int_equal(c->depth, 0);
    assert_string_equal(c->group, "org.openssl");
    assert_string_equal(c->cpe, "cpe:2.3:a:openssl:openssl:3.0.7:*:*:*:*:*:*:*");
    assert_string_equal(c->licenses, "Custom OpenSSL AND Apache-2.0 OR MIT");
    assert_null(c->hashes);

    c = &s->components[4];
    assert_string_equal(c->name, "zlib");
    assert_int_equal(c->depth, 0);
    assert_string_equal(c->purl, "pkg:generic/zlib@1.3");
    /* id wins over name inside one licence */
    assert_string_equal(c->licenses, "Zlib AND zlib-acknowledgement");

    assert_string_equal(s->deps[0].ref, "lodash-ref");
    assert_string_equal(s->deps[0].depends_on, "openssl-ref");
    assert_string_equal(s->deps[1].ref, "lodash-ref");
    assert_string_equal(s->deps[1].depends_on, "zlib-ref");
    assert_string_equal(s->deps[2].ref, "gateway");
    assert_string_equal(s->deps[2].depends_on, "lodash-ref");
}

static void test_parse_cyclonedx_json__valid_all_specs(void **state)
{
    static const char *const specs[] = { "1.4", "1.5", "1.6" };
    (void)state;
    for (size_t i = 0; i < CT_NELEM(specs); i++) {
        char *doc = doc_with_spec(specs[i]);
        ct_sbom *s = NULL;
        assert_int_equal(ct_sbom_parse_cyclonedx_json(&s, g_ctx, doc, strlen(doc), "bom.json"),
                         CT_OK);
        check_model(s, specs[i]);
        ct_sbom_free(s);

        /* ct_sbom_parse detects the format and yields the same model */
        assert_int_equal(ct_sbom_parse(&s, g_ctx, doc, strlen(doc), "bom.json"), CT_OK);
        check_model(s, specs[i]);
        ct_sbom_free(s);
        ct_free(doc);
    }
}

static void test_parse_cyclonedx_json__minimal(void **state)
{
    static const char doc[] = "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\"}";
    ct_sbom *s = NULL;
    (void)state;
    assert_int_equal(ct_sbom_parse_cyclonedx_json(&s, g_ctx, doc, strlen(doc), NULL), CT_OK);
    assert_string_equal(s->spec_version, "1.6");
    assert_null(s->serial_number);
    assert_null(s->name);
    assert_null(s->version);
    assert_int_equal(s->ncomponents, 0);
    assert_int_equal(s->ndeps, 0);
    ct_sbom_free(s);
    ct_sbom_free(NULL);
}

static void test_parse_cyclonedx_json__many_components_grow(void **state)
{
    ct_buf b = CT_BUF_INIT;
    ct_sbom *s = NULL;
    (void)state;
    ct_buf_puts(&b, "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":[");
    for (int i = 0; i < 300; i++)
        ct_buf_printf(&b, "%s{\"type\":\"library\",\"name\":\"c%d\",\"components\":"
                          "[{\"type\":\"file\",\"name\":\"f%d\"}]}",
                      i ? "," : "", i, i);
    ct_buf_puts(&b, "]}");
    assert_int_equal(ct_sbom_parse_cyclonedx_json(&s, g_ctx, b.ptr, b.len, "big.json"), CT_OK);
    assert_int_equal(s->ncomponents, 600);
    assert_string_equal(s->components[0].name, "c0");
    assert_string_equal(s->components[1].name, "f0");
    assert_int_equal(s->components[1].depth, 1);
    assert_string_equal(s->components[598].name, "c299");
    assert_string_equal(s->components[599].name, "f299");
    ct_sbom_free(s);
    ct_buf_dispose(&b);
}

static void test_parse_cyclonedx_json__malformed_json_line_column(void **state)
{
    /* missing comma between "library" and "name" on line 4, column 39 */
    static const char doc[] = "{\n"
                              "  \"bomFormat\": \"CycloneDX\",\n"
                              "  \"specVersion\": \"1.5\",\n"
                              "  \"components\": [ { \"type\": \"library\" \"name\": \"x\" } ]\n"
                              "}\n";
    (void)state;
    ct_error_clear();
    assert_int_equal(parse_fail(doc, strlen(doc)), CT_EPARSE);
    assert_int_equal(ct_error_last()->line, 4);
    assert_int_equal(ct_error_last()->column, 39);
    assert_string_equal(ct_error_last()->source, "bom.json");
    assert_null(ct_error_last()->pointer);
    assert_int_equal(ct_error_last()->offset, (int64_t)(strstr(doc, "\"name\"") - doc));
    assert_true(strncmp(ct_error_format(), "bom.json:4:39: ", 15) == 0);
}

static void test_parse_cyclonedx_json__malformed_columns_count_characters(void **state)
{
    /* two-byte characters before the error count as one column each */
    static const char doc[] = "{\"bomFormat\": \"CycloneDX\", \"x\": \"\xc3\xa9\xc3\xa9\" ]}";
    (void)state;
    assert_int_equal(parse_fail(doc, strlen(doc)), CT_EPARSE);
    assert_int_equal(ct_error_last()->line, 1);
    assert_int_equal(ct_error_last()->column, 38);
    assert_int_equal(ct_error_last()->offset, (int64_t)(strchr(doc, ']') - doc));
    assert_int_equal(ct_error_last()->offset, 39);
}

static void test_parse_cyclonedx_json__truncated_and_trailing(void **state)
{
    static const char trunc[] = "{\n  \"bomFormat\": \"CycloneDX\",\n  \"components\": [";
    static const char trailing[] = "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\"}\n  x";
    (void)state;

    assert_int_equal(parse_fail(trunc, strlen(trunc)), CT_EPARSE);
    assert_int_equal(ct_error_last()->line, 3);
    assert_int_equal(ct_error_last()->column, 18);
    assert_int_equal(ct_error_last()->offset, (int64_t)strlen(trunc));

    assert_int_equal(parse_fail(trailing, strlen(trailing)), CT_EPARSE);
    assert_int_equal(ct_error_last()->line, 2);
    assert_int_equal(ct_error_last()->column, 3);

    assert_int_equal(parse_fail("", 0), CT_EPARSE);
    assert_int_equal(parse_fail("   ", 3), CT_EPARSE);
    /* strict mode: single quotes and trailing commas are not JSON */
    assert_int_equal(parse_fail("{'bomFormat':'CycloneDX'}", 25), CT_EPARSE);
    assert_int_equal(parse_fail("{\"a\":[1,]}", 10), CT_EPARSE);
}

static void test_parse_cyclonedx_json__components_not_array(void **state)
{
    (void)state;
    expect_pointer_error(
        "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":{\"name\":\"a\"}}",
        CT_EPARSE, "/components");
    assert_non_null(strstr(ct_error_last()->message, "an array"));
    expect_pointer_error("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":\"x\"}",
                         CT_EPARSE, "/components");
}

static void test_parse_cyclonedx_json__component_errors_have_pointers(void **state)
{
    (void)state;
    /* no name on the second component */
    expect_pointer_error("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":["
                         "{\"type\":\"library\",\"name\":\"a\"},{\"type\":\"library\"}]}",
                         CT_EPARSE, "/components/1");
    assert_non_null(strstr(ct_error_last()->message, "name"));
    assert_string_equal(ct_error_format(),
                        "bom.json: /components/1: component has no \"name\" (required)");

    /* purl as a number */
    expect_pointer_error("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":["
                         "{\"type\":\"library\",\"name\":\"a\",\"purl\":5}]}",
                         CT_EPARSE, "/components/0/purl");
    assert_string_equal(ct_error_last()->message, "expected a string, found a number");

    /* name null counts as missing */
    expect_pointer_error("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":["
                         "{\"type\":\"library\",\"name\":null}]}",
                         CT_EPARSE, "/components/0");

    /* no type */
    expect_pointer_error("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":["
                         "{\"name\":\"a\"}]}",
                         CT_EPARSE, "/components/0");

    /* a component that is not an object */
    expect_pointer_error("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":["
                         "{\"type\":\"library\",\"name\":\"a\"}, 7]}",
                         CT_EPARSE, "/components/1");

    /* nested: the pointer walks into nested components and hashes */
    expect_pointer_error("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":["
                         "{\"type\":\"library\",\"name\":\"a\",\"components\":["
                         "{\"type\":\"file\",\"name\":\"b\"},"
                         "{\"type\":\"file\",\"name\":\"c\",\"hashes\":[{\"alg\":\"MD5\"}]}]}]}",
                         CT_EPARSE, "/components/0/components/1/hashes/0");

    expect_pointer_error("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":["
                         "{\"type\":\"library\",\"name\":\"a\","
                         "\"hashes\":[{\"alg\":\"MD5\",\"content\":7}]}]}",
                         CT_EPARSE, "/components/0/hashes/0/content");

    expect_pointer_error("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":["
                         "{\"type\":\"library\",\"name\":\"a\","
                         "\"licenses\":[{\"license\":{\"id\":\"MIT\"}},{\"license\":{\"id\":1}}]}]}",
                         CT_EPARSE, "/components/0/licenses/1/license/id");

    expect_pointer_error("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":["
                         "{\"type\":\"library\",\"name\":\"a\",\"supplier\":{\"name\":[]}}]}",
                         CT_EPARSE, "/components/0/supplier/name");

    /* pointers stay balanced after hashes, licences and nested components were read */
    expect_pointer_error("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":["
                         "{\"type\":\"library\",\"name\":\"a\","
                         "\"hashes\":[{\"alg\":\"MD5\",\"content\":\"00\"}],"
                         "\"licenses\":[{\"license\":{\"id\":\"MIT\"}}],"
                         "\"components\":[{\"type\":\"file\",\"name\":\"n\"}]},"
                         "{\"type\":\"library\",\"name\":\"b\",\"version\":1.5}]}",
                         CT_EPARSE, "/components/1/version");

    /* errors inside metadata.component */
    expect_pointer_error("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"metadata\":"
                         "{\"component\":{\"name\":\"x\",\"version\":false}}}",
                         CT_EPARSE, "/metadata/component/version");
}

static void test_parse_cyclonedx_json__dependency_errors(void **state)
{
    (void)state;
    expect_pointer_error("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"dependencies\":["
                         "{\"ref\":\"a\",\"dependsOn\":[\"b\",2]}]}",
                         CT_EPARSE, "/dependencies/0/dependsOn/1");
    expect_pointer_error("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"dependencies\":["
                         "{\"ref\":\"a\"},{\"dependsOn\":[\"b\"]}]}",
                         CT_EPARSE, "/dependencies/1");
    expect_pointer_error("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"dependencies\":"
                         "{}}",
                         CT_EPARSE, "/dependencies");
}

static void test_parse_cyclonedx_json__spec_and_format(void **state)
{
    (void)state;
    expect_pointer_error("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"9.9\"}", CT_EUNSUPPORTED,
                         "/specVersion");
    assert_non_null(strstr(ct_error_last()->message, "\"9.9\""));
    expect_pointer_error("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.1\"}", CT_EUNSUPPORTED,
                         "/specVersion");
    expect_pointer_error("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.0\"}", CT_EUNSUPPORTED,
                         "/specVersion");
    /* 1.2 and 1.3 are read (the members the model takes are the same as in 1.4) */
    for (int minor = 2; minor <= 3; minor++) {
        char doc[200];
        ct_sbom *s = NULL;
        snprintf(doc, sizeof doc,
                 "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.%d\",\"components\":"
                 "[{\"type\":\"library\",\"name\":\"a\",\"version\":\"1\"}]}",
                 minor);
        assert_int_equal(ct_sbom_parse(&s, g_ctx, doc, strlen(doc), "bom.json"), 0);
        assert_string_equal(s->spec_version, minor == 2 ? "1.2" : "1.3");
        assert_int_equal(s->ncomponents, 1);
        assert_string_equal(s->components[0].name, "a");
        ct_sbom_free(s);
    }
    expect_pointer_error("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5.0\"}",
                         CT_EUNSUPPORTED, "/specVersion");
    expect_pointer_error("{\"bomFormat\":\"CycloneDX\",\"specVersion\":1.5}", CT_EPARSE,
                         "/specVersion");
    expect_pointer_error("{\"bomFormat\":\"CycloneDX\"}", CT_EPARSE, "/specVersion");
    expect_pointer_error("{\"bomFormat\":\"SPDX\",\"specVersion\":\"1.5\"}", CT_EPARSE,
                         "/bomFormat");
    expect_pointer_error("{\"bomFormat\":\"cyclonedx\",\"specVersion\":\"1.5\"}", CT_EPARSE,
                         "/bomFormat");
    expect_pointer_error("{\"specVersion\":\"1.5\"}", CT_EPARSE, "/bomFormat");
    expect_pointer_error("[{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\"}]", CT_EPARSE, "");
}

static void test_parse_cyclonedx_json__depth_bomb(void **state)
{
    ct_buf b = CT_BUF_INIT;
    int rc;
    (void)state;

    /* 100,000 nested arrays: rejected by the depth limit, without recursion */
    ct_buf_puts(&b, "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":");
    for (int i = 0; i < 100000; i++)
        ct_buf_putc(&b, '[');
    for (int i = 0; i < 100000; i++)
        ct_buf_putc(&b, ']');
    ct_buf_putc(&b, '}');
    assert_false(b.failed);
    rc = parse_fail(b.ptr, b.len);
    assert_true(rc == CT_EPARSE || rc == CT_ELIMIT);
    assert_int_equal(ct_error_last()->line, 1);
    assert_true(ct_error_last()->column > 60 && ct_error_last()->column < 200);

    /* deeply nested components (objects inside arrays) hit the same limit */
    ct_buf_reset(&b);
    ct_buf_puts(&b, "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":");
    for (int i = 0; i < 5000; i++)
        ct_buf_puts(&b, "[{\"type\":\"library\",\"name\":\"n\",\"components\":");
    ct_buf_puts(&b, "[]");
    for (int i = 0; i < 5000; i++)
        ct_buf_puts(&b, "}]");
    ct_buf_putc(&b, '}');
    rc = parse_fail(b.ptr, b.len);
    assert_true(rc == CT_EPARSE || rc == CT_ELIMIT);

    /* nesting within the limit parses, with exact depths */
    ct_buf_reset(&b);
    ct_buf_puts(&b, "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":");
    for (int i = 0; i < 20; i++)
        ct_buf_puts(&b, "[{\"type\":\"library\",\"name\":\"n\",\"components\":");
    ct_buf_puts(&b, "[]");
    for (int i = 0; i < 20; i++)
        ct_buf_puts(&b, "}]");
    ct_buf_putc(&b, '}');
    ct_sbom *s = NULL;
    assert_int_equal(ct_sbom_parse_cyclonedx_json(&s, g_ctx, b.ptr, b.len, "x"), CT_OK);
    assert_int_equal(s->ncomponents, 20);
    assert_int_equal(s->components[19].depth, 19);
    ct_sbom_free(s);
    ct_buf_dispose(&b);
}

static void test_parse_cyclonedx_json__component_limit(void **state)
{
    ct_ctx_options o = CT_CTX_OPTIONS_INIT;
    ct_ctx *small = NULL;
    ct_sbom *s = NULL;
    static const char doc[] = "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":["
                              "{\"type\":\"library\",\"name\":\"a\"},"
                              "{\"type\":\"library\",\"name\":\"b\"},"
                              "{\"type\":\"library\",\"name\":\"c\"}]}";
    (void)state;
    o.limits.max_components = 2;
    o.progress = false;
    assert_int_equal(ct_ctx_new(&small, &o), CT_OK);
    assert_int_equal(ct_sbom_parse_cyclonedx_json(&s, small, doc, strlen(doc), "lim.json"),
                     CT_ELIMIT);
    assert_null(s);
    assert_string_equal(ct_error_last()->pointer, "/components/2");

    o.limits.max_doc_bytes = 16;
    ct_ctx_free(small);
    assert_int_equal(ct_ctx_new(&small, &o), CT_OK);
    assert_int_equal(ct_sbom_parse_cyclonedx_json(&s, small, doc, strlen(doc), "lim.json"),
                     CT_ELIMIT);
    ct_ctx_free(small);
}

static void test_parse_sbom__utf8_bom_accepted(void **state)
{
    char *doc = doc_with_spec("1.5");
    ct_buf b = CT_BUF_INIT;
    ct_sbom *s = NULL;
    (void)state;
    ct_buf_puts(&b, "\xEF\xBB\xBF");
    ct_buf_puts(&b, doc);
    assert_int_equal(ct_sbom_parse(&s, g_ctx, b.ptr, b.len, "bom.json"), CT_OK);
    check_model(s, "1.5");
    ct_sbom_free(s);

    /* BOM followed by whitespace before the object */
    ct_buf_reset(&b);
    ct_buf_puts(&b, "\xEF\xBB\xBF \r\n\t{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.4\"}");
    assert_int_equal(ct_sbom_parse(&s, g_ctx, b.ptr, b.len, "bom.json"), CT_OK);
    assert_string_equal(s->spec_version, "1.4");
    ct_sbom_free(s);
    ct_buf_dispose(&b);
    ct_free(doc);
}

static void test_parse_cyclonedx_json__invalid_utf8_rejected(void **state)
{
    static const char doc[] = "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\n"
                              "\"components\":[{\"type\":\"library\",\"name\":\"b\xc3\x28\"}]}";
    static const char surrogate[] = "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\","
                                    "\"x\":\"\xed\xa0\x80\"}";
    static const char nul[] = "{\"bomFormat\":\"CycloneDX\",\0\"specVersion\":\"1.5\"}";
    ct_sbom *s = NULL;
    (void)state;

    assert_int_equal(parse_fail(doc, strlen(doc)), CT_EPARSE);
    assert_int_equal(ct_error_last()->line, 2);
    assert_int_equal(ct_error_last()->column, 42);
    assert_int_equal(ct_error_last()->offset, (int64_t)(strchr(doc, '\xc3') - doc));
    assert_non_null(strstr(ct_error_last()->message, "UTF-8"));

    assert_int_equal(parse_fail(surrogate, strlen(surrogate)), CT_EPARSE);
    assert_int_equal(ct_error_last()->offset, (int64_t)(strchr(surrogate, '\xed') - surrogate));

    assert_int_equal(parse_fail(nul, sizeof nul - 1), CT_EPARSE);
    assert_int_equal(ct_error_last()->offset, 25);

    /* through the detecting entry point as well */
    assert_int_equal(ct_sbom_parse(&s, g_ctx, doc, strlen(doc), "bom.json"), CT_EPARSE);
    assert_null(s);
}

static void test_parse_sbom__unrecognised_formats(void **state)
{
    ct_sbom *s = NULL;
    (void)state;
    assert_int_equal(ct_sbom_parse(&s, g_ctx, "<?xml version=\"1.0\"?><bom/>", 27, "bom.xml"),
                     CT_EUNSUPPORTED);
    assert_null(s);
    assert_string_equal(ct_error_last()->source, "bom.xml");
    /* SPDX tag-value is recognised now (src/sbom/spdx_tv.c); SPDX 3.0 is not supported */
    assert_int_equal(ct_sbom_parse(&s, g_ctx, "SPDXVersion: SPDX-3.0", 21, "bom.spdx"),
                     CT_EUNSUPPORTED);
    assert_int_equal(ct_sbom_parse(&s, g_ctx, "", 0, "empty"), CT_EUNSUPPORTED);
    assert_int_equal(ct_sbom_parse(&s, g_ctx, "[]", 2, "arr"), CT_EUNSUPPORTED);
    assert_null(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_cyclonedx_json__valid_all_specs),
        cmocka_unit_test(test_parse_cyclonedx_json__minimal),
        cmocka_unit_test(test_parse_cyclonedx_json__many_components_grow),
        cmocka_unit_test(test_parse_cyclonedx_json__malformed_json_line_column),
        cmocka_unit_test(test_parse_cyclonedx_json__malformed_columns_count_characters),
        cmocka_unit_test(test_parse_cyclonedx_json__truncated_and_trailing),
        cmocka_unit_test(test_parse_cyclonedx_json__components_not_array),
        cmocka_unit_test(test_parse_cyclonedx_json__component_errors_have_pointers),
        cmocka_unit_test(test_parse_cyclonedx_json__dependency_errors),
        cmocka_unit_test(test_parse_cyclonedx_json__spec_and_format),
        cmocka_unit_test(test_parse_cyclonedx_json__depth_bomb),
        cmocka_unit_test(test_parse_cyclonedx_json__component_limit),
        cmocka_unit_test(test_parse_sbom__utf8_bom_accepted),
        cmocka_unit_test(test_parse_cyclonedx_json__invalid_utf8_rejected),
        cmocka_unit_test(test_parse_sbom__unrecognised_formats),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

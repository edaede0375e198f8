/* Unit tests for src/server/router.c (percent-decoding, matching a raw request target against
 * the route table, query parameters, limits, hostile input) and for the agreement of the route
 * table with the OpenAPI description (src/server/openapi.c) and the token roles. */
#include "ct_test.h"

#include "server/server_int.h"

#include <json-c/json.h>
#include <string.h>

static ct_http_target t;

static int route(const char *method, const char *raw)
{
    return ct_server__route(&t, ct_server__routes, ct_server__nroutes, method, raw, strlen(raw),
                            2048);
}

static void decoded(const char *in, bool plus, const char *want)
{
    char *out = NULL;
    assert_int_equal(ct_server__pct_decode(&out, in, strlen(in), plus, NULL), 0);
    assert_string_equal(out, want);
    ct_free(out);
}

static void rejected(const char *in, size_t len, size_t want_at)
{
    char *out = (char *)"unchanged";
    size_t at = 999;
    assert_int_equal(ct_server__pct_decode(&out, in, len, false, &at), CT_EINVAL);
    assert_null(out);
    assert_int_equal(at, want_at);
}

static void test_pct_decode__escapes_and_plus(void **state)
{
    (void)state;
    decoded("A%2FB%20C", false, "A/B C");
    decoded("%25", false, "%");
    decoded("a+b", false, "a+b");        /* a path keeps "+" */
    decoded("a+b", true, "a b");         /* a query does not */
    decoded("%2B02:00", true, "+02:00"); /* an encoded "+" stays one */
    decoded("%c3%A9t%C3%A9", false, "\xc3\xa9t\xc3\xa9");
    decoded("", false, "");
    decoded("'; DROP TABLE unit;--", false, "'; DROP TABLE unit;--");
}

static void test_pct_decode__rejects_bad_escapes_nul_and_utf8(void **state)
{
    (void)state;
    rejected("ab%zz", 5, 2);
    rejected("ab%4", 4, 2);   /* truncated at the end */
    rejected("%", 1, 0);
    rejected("a%00b", 5, 1);  /* an encoded NUL */
    rejected("a\0b", 3, 1);   /* a raw NUL */
    rejected("%C3", 3, 0);    /* a lone lead byte */
    rejected("x%C0%AF", 7, 1); /* overlong "/" */
    rejected("%ED%A0%80", 9, 0); /* a surrogate */
    rejected("%F4%90%80%80", 12, 0); /* above U+10FFFF */
    rejected("%41%42%FF", 9, 6);       /* the offset is in the raw text */
}

static void test_route__unit_serial_with_slash_space_and_percent(void **state)
{
    (void)state;
    assert_int_equal(route("GET", "/api/v1/units/SN%2F00%2012%25x?at=2025-03-07T14%3A05%3A00Z"
                                  "&product=edge-gateway"),
                     0);
    assert_string_equal(t.route->pattern, "/api/v1/units/{serial}");
    assert_int_equal(t.nparams, 1);
    assert_string_equal(t.params[0], "SN/00 12%x");
    assert_string_equal(ct_server__query(&t, "at"), "2025-03-07T14:05:00Z");
    assert_string_equal(ct_server__query(&t, "product"), "edge-gateway");
    assert_null(ct_server__query(&t, "other"));
    ct_server__target_dispose(&t);
}

static void test_route__advisory_affected_and_head(void **state)
{
    (void)state;
    assert_int_equal(route("HEAD", "/api/v1/advisories/GHSA-35jh-r3h4-6jhm/affected"), 0);
    assert_string_equal(t.route->pattern, "/api/v1/advisories/{id}/affected");
    assert_string_equal(t.params[0], "GHSA-35jh-r3h4-6jhm");
    assert_int_equal(t.nquery, 0);
    ct_server__target_dispose(&t);
    /* an empty query and empty pairs are nothing; "at" without "=" is an empty value */
    assert_int_equal(route("GET", "/api/v1/advisories/X/affected?&&at"), 0);
    assert_string_equal(ct_server__query(&t, "at"), "");
    ct_server__target_dispose(&t);
    assert_int_equal(route("GET", "/api/v1/products?"), 0);
    ct_server__target_dispose(&t);
}

static void test_route__not_found(void **state)
{
    static const char *const paths[] = {
        "/", "/api", "/api/v1", "/api/v1/units", "/api/v1/units/", "/api/v1/units/a/b",
        "/api/v1/units//", "/api/v1/products/", "/api//v1/products", "/API/v1/products",
        "/api/v1/%70roducts", /* an escaped literal is another path */
        "/api/v1/advisories//affected", "/api/v1/advisories/X", "/healthz/", "/index.html",
        "/../etc/passwd",
    };
    (void)state;
    for (size_t i = 0; i < CT_NELEM(paths); i++) {
        int rc = route("GET", paths[i]);
        if (rc != 404)
            fail_msg("%s: %d, expected 404", paths[i], rc);
        assert_null(t.route);
        assert_non_null(strstr(t.error, "no such path"));
        ct_server__target_dispose(&t);
    }
}

static void test_route__method_not_allowed(void **state)
{
    (void)state;
    assert_int_equal(route("POST", "/api/v1/products"), 405);
    assert_string_equal(t.allow, "GET, HEAD");
    ct_server__target_dispose(&t);
    assert_int_equal(route("DELETE", "/api/v1/units/SN1"), 405);
    ct_server__target_dispose(&t);
    /* an unknown path with another method is still 404 */
    assert_int_equal(route("POST", "/api/v1/sboms"), 404);
    ct_server__target_dispose(&t);
}

static void test_route__bad_query(void **state)
{
    (void)state;
    assert_int_equal(route("GET", "/api/v1/units/SN1?when=now"), 400);
    assert_non_null(strstr(t.error, "unknown query parameter 'when'"));
    assert_non_null(strstr(t.error, "expected: at, product"));
    ct_server__target_dispose(&t);
    assert_int_equal(route("GET", "/api/v1/units/SN1?at=1&at=2"), 400);
    assert_non_null(strstr(t.error, "repeated query parameter 'at'"));
    ct_server__target_dispose(&t);
    assert_int_equal(route("GET", "/healthz?verbose=1"), 400);
    assert_non_null(strstr(t.error, "takes no query parameters"));
    ct_server__target_dispose(&t);
    assert_int_equal(route("GET", "/api/v1/units/SN1?at=%ZZ"), 400);
    ct_server__target_dispose(&t);
    assert_int_equal(route("GET", "/api/v1/units/SN1?at=%00"), 400);
    ct_server__target_dispose(&t);
    assert_int_equal(route("GET", "/api/v1/units/SN1?product=%FF"), 400);
    assert_non_null(strstr(t.error, "UTF-8"));
    ct_server__target_dispose(&t);
}

static void test_route__hostile_targets(void **state)
{
    char big[5000];
    (void)state;
    memset(big, 'a', sizeof big);
    memcpy(big, "/api/v1/units/", 14);
    big[sizeof big - 1] = '\0';
    assert_int_equal(route("GET", big), 414);
    ct_server__target_dispose(&t);
    assert_int_equal(route("GET", "/api/v1/units/%FF%FE"), 400);
    assert_non_null(strstr(t.error, "path segment 4 (serial)"));
    ct_server__target_dispose(&t);
    assert_int_equal(route("GET", "/api/v1/units/a%00b"), 400);
    ct_server__target_dispose(&t);
    assert_int_equal(route("GET", "/api/v1/units/x#frag"), 400);
    ct_server__target_dispose(&t);
    assert_int_equal(route("GET", "api/v1/products"), 400);
    ct_server__target_dispose(&t);
    assert_int_equal(ct_server__route(&t, ct_server__routes, ct_server__nroutes, "GET",
                                      "/api/v1/units/a\0b", 17, 2048),
                     400);
    ct_server__target_dispose(&t);
    assert_int_equal(route("GET", ""), 400);
    ct_server__target_dispose(&t);
    /* SQL in a serial is a value like any other: it reaches the handler intact */
    assert_int_equal(route("GET", "/api/v1/units/1'%20OR%20'1'%3D'1"), 0);
    assert_string_equal(t.params[0], "1' OR '1'='1");
    ct_server__target_dispose(&t);
}

/* The OpenAPI description names exactly the paths of the route table, each with its method. */
static void test_openapi__paths_are_the_route_table(void **state)
{
    ct_buf b = CT_BUF_INIT;
    json_object *doc, *paths;
    (void)state;
    assert_int_equal(ct_server__openapi_put(&b), 0);
    doc = json_tokener_parse(b.ptr);
    assert_non_null(doc);
    assert_string_equal(json_object_get_string(json_object_object_get(doc, "openapi")), "3.0.3");
    paths = json_object_object_get(doc, "paths");
    assert_non_null(paths);
    assert_int_equal((size_t)json_object_object_length(paths), ct_server__nroutes);
    for (size_t i = 0; i < ct_server__nroutes; i++) {
        const ct_route *r = &ct_server__routes[i];
        json_object *p = json_object_object_get(paths, r->pattern), *op;
        char m[8];
        size_t k = 0;
        if (!p)
            fail_msg("%s is not in the OpenAPI paths", r->pattern);
        for (; r->method[k] && k < sizeof m - 1; k++)
            m[k] = ct_ascii_lower(r->method[k]);
        m[k] = '\0';
        op = json_object_object_get(p, m);
        if (!op)
            fail_msg("%s %s is not in the OpenAPI paths", r->method, r->pattern);
        /* routes without authentication say so with an empty security list */
        json_object *sec = json_object_object_get(op, "security");
        assert_int_equal(r->roles == 0, sec && json_object_array_length(sec) == 0);
        /* every query parameter the route takes is documented */
        json_object *params = json_object_object_get(op, "parameters");
        for (const char *const *q = r->query_names; q && *q; q++) {
            bool found = false;
            for (size_t j = 0; params && j < json_object_array_length(params); j++) {
                json_object *pj = json_object_array_get_idx(params, j);
                found |= strcmp(json_object_get_string(json_object_object_get(pj, "name")), *q) ==
                             0 &&
                         strcmp(json_object_get_string(json_object_object_get(pj, "in")),
                                "query") == 0;
            }
            if (!found)
                fail_msg("%s: query parameter %s is not documented", r->pattern, *q);
        }
    }
    json_object_put(doc);
    ct_buf_dispose(&b);
}

static void test_roles__bits_match_token_roles(void **state)
{
    static const char *const names[] = { "admin", "analyst", "support", "auditor", "ci" };
    unsigned all = 0;
    (void)state;
    for (size_t i = 0; i < CT_NELEM(names); i++) {
        unsigned bit = ct_server__role_bit(names[i]);
        assert_true(ct_store_token_role_valid(names[i]));
        assert_int_not_equal(bit, 0);
        assert_int_equal(all & bit, 0);
        all |= bit;
        assert_non_null(strstr(CT_STORE_TOKEN_ROLES, names[i]));
    }
    assert_int_equal(all, CT_ROLES_ALL);
    assert_int_equal(ct_server__role_bit("root"), 0);
    assert_int_equal(ct_server__role_bit("Admin"), 0);
    assert_false(ct_store_token_role_valid("root"));
    assert_false(ct_store_token_role_valid(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pct_decode__escapes_and_plus),
        cmocka_unit_test(test_pct_decode__rejects_bad_escapes_nul_and_utf8),
        cmocka_unit_test(test_route__unit_serial_with_slash_space_and_percent),
        cmocka_unit_test(test_route__advisory_affected_and_head),
        cmocka_unit_test(test_route__not_found),
        cmocka_unit_test(test_route__method_not_allowed),
        cmocka_unit_test(test_route__bad_query),
        cmocka_unit_test(test_route__hostile_targets),
        cmocka_unit_test(test_openapi__paths_are_the_route_table),
        cmocka_unit_test(test_roles__bits_match_token_roles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

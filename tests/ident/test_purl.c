/* Unit tests for src/ident/purl.c, pkgkey.c and types.c, including hostile input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "cratrace/base.h"
#include "cratrace/ident.h"

static ct_purl *parse_ok(const char *s)
{
    ct_purl *p = NULL;
    int rc = ct_purl_parse(&p, s, strlen(s));
    if (rc != 0)
        fail_msg("parse '%s': %s", s, ct_error_last()->message);
    assert_non_null(p);
    return p;
}

static void assert_parse_fails(const char *s, size_t len, int code)
{
    ct_purl *p = (ct_purl *)(uintptr_t)1;
    assert_int_equal(ct_purl_parse(&p, s, len), code);
    assert_null(p);
    assert_int_equal(ct_error_last()->code, code);
}

/* Canonical form of s, checked against want. */
static void assert_canonical(const char *s, const char *want)
{
    ct_purl *p = parse_ok(s);
    ct_buf b = CT_BUF_INIT;
    assert_int_equal(ct_purl_format(&b, p), 0);
    assert_string_equal(b.ptr, want);
    ct_buf_dispose(&b);
    ct_purl_free(p);
}

static void assert_key(const char *s, const char *want)
{
    ct_purl *p = parse_ok(s);
    ct_buf b = CT_BUF_INIT;
    assert_int_equal(ct_purl_package_key(&b, p), 0);
    assert_string_equal(b.ptr, want);
    ct_buf_dispose(&b);
    ct_purl_free(p);
}

/* ---- ct_purl_parse ----------------------------------------------------------------------- */

static void test_ct_purl_parse__all_components(void **state)
{
    ct_purl *p;
    (void)state;
    p = parse_ok("pkg:Maven/org.apache/commons-io@2.11.0?type=jar&Classifier=sources#src/main");
    assert_string_equal(p->type, "maven");
    assert_string_equal(p->namespace_, "org.apache");
    assert_string_equal(p->name, "commons-io");
    assert_string_equal(p->version, "2.11.0");
    assert_string_equal(p->subpath, "src/main");
    assert_int_equal(p->nqualifiers, 2);
    assert_string_equal(p->qualifiers[0].key, "classifier");
    assert_string_equal(p->qualifiers[0].value, "sources");
    assert_string_equal(p->qualifiers[1].key, "type");
    ct_purl_free(p);
}

static void test_ct_purl_parse__npm_scope_encoded_and_raw(void **state)
{
    ct_purl *p;
    (void)state;
    p = parse_ok("pkg:npm/%40angular/core@1.0.0");
    assert_string_equal(p->namespace_, "@angular");
    assert_string_equal(p->name, "core");
    assert_string_equal(p->version, "1.0.0");
    ct_purl_free(p);
    p = parse_ok("pkg:npm/@angular/core"); /* the '@' before the last '/' is not a version */
    assert_string_equal(p->namespace_, "@angular");
    assert_string_equal(p->name, "core");
    assert_null(p->version);
    ct_purl_free(p);
}

static void test_ct_purl_parse__absent_parts_are_null(void **state)
{
    ct_purl *p;
    (void)state;
    p = parse_ok("pkg:generic/openssl");
    assert_null(p->namespace_);
    assert_null(p->version);
    assert_null(p->subpath);
    assert_null(p->qualifiers);
    assert_int_equal(p->nqualifiers, 0);
    ct_purl_free(p);
}

static void test_ct_purl_parse__qualifiers_sorted_lowercased_empty_dropped(void **state)
{
    ct_purl *p;
    (void)state;
    p = parse_ok("pkg:deb/debian/curl@7.0?Distro=debian-12&arch=amd64&empty=&&repository_url=");
    assert_int_equal(p->nqualifiers, 2);
    assert_string_equal(p->qualifiers[0].key, "arch");
    assert_string_equal(p->qualifiers[1].key, "distro");
    assert_string_equal(ct_purl_qualifier(p, "DISTRO"), "debian-12");
    assert_null(ct_purl_qualifier(p, "empty"));
    assert_null(ct_purl_qualifier(NULL, "arch"));
    ct_purl_free(p);
}

static void test_ct_purl_parse__subpath_cleaned(void **state)
{
    ct_purl *p;
    (void)state;
    p = parse_ok("pkg:golang/google.golang.org/genproto#/googleapis/./api/../annotations//x%20y/");
    assert_string_equal(p->subpath, "googleapis/api/annotations/x y");
    ct_purl_free(p);
    p = parse_ok("pkg:generic/a#/./../");
    assert_null(p->subpath);
    ct_purl_free(p);
}

static void test_ct_purl_parse__percent_decoding(void **state)
{
    ct_purl *p;
    (void)state;
    p = parse_ok("pkg:generic/a%20b@1.0%2Bbuild?checksum=sha1:ab%2Csha256:cd");
    assert_string_equal(p->name, "a b");
    assert_string_equal(p->version, "1.0+build");
    assert_string_equal(ct_purl_qualifier(p, "checksum"), "sha1:ab,sha256:cd");
    ct_purl_free(p);
    p = parse_ok("pkg:generic/caf%C3%A9");
    assert_string_equal(p->name, "caf\xc3\xa9");
    ct_purl_free(p);
}

static void test_ct_purl_parse__type_rules(void **state)
{
    ct_purl *p;
    (void)state;
    p = parse_ok("pkg:PYPI/Django_Package@1.0");
    assert_string_equal(p->type, "pypi");
    assert_string_equal(p->name, "django-package");
    ct_purl_free(p);
    p = parse_ok("pkg:github/Package-URL/Purl-Spec@v1");
    assert_string_equal(p->namespace_, "package-url");
    assert_string_equal(p->name, "purl-spec");
    ct_purl_free(p);
    p = parse_ok("pkg:golang/github.com/Gin-Gonic/Gin@v1.9.0");
    assert_string_equal(p->namespace_, "github.com/Gin-Gonic"); /* golang keeps case */
    assert_string_equal(p->name, "Gin");
    ct_purl_free(p);
    p = parse_ok("pkg:git/codeberg.org/forgejo/forgejo");
    assert_string_equal(p->namespace_, "codeberg.org");
    assert_string_equal(p->name, "forgejo/forgejo");
    ct_purl_free(p);
    assert_parse_fails("pkg:maven/commons-io@1", 20, CT_EPARSE);     /* namespace required */
    assert_parse_fails("pkg:cargo/ns/serde@1", 20, CT_EPARSE);       /* namespace prohibited */
    assert_parse_fails("pkg:julia/Example@1.0", 21, CT_EPARSE);      /* uuid qualifier needed */
}

static void test_ct_purl_parse__not_nul_terminated(void **state)
{
    const char buf[] = "pkg:npm/left-pad@1.3.0XXXX";
    ct_purl *p = NULL;
    (void)state;
    assert_int_equal(ct_purl_parse(&p, buf, sizeof(buf) - 5), 0);
    assert_string_equal(p->version, "1.3.0");
    ct_purl_free(p);
}

static void test_ct_purl_parse__missing_scheme(void **state)
{
    (void)state;
    assert_parse_fails("npm/left-pad@1.0", 16, CT_EPARSE);
    assert_parse_fails("pkg%3Anpm/left-pad", 18, CT_EPARSE);
    assert_parse_fails("", 0, CT_EPARSE);
    assert_parse_fails("pkg", 3, CT_EPARSE);
    assert_non_null(strstr(ct_error_last()->message, "pkg:"));
}

static void test_ct_purl_parse__empty_or_missing_name(void **state)
{
    (void)state;
    assert_parse_fails("pkg:npm/", 8, CT_EPARSE);
    assert_parse_fails("pkg:npm", 7, CT_EPARSE);
    assert_parse_fails("pkg:maven/@1.3.4", 16, CT_EPARSE);
    assert_parse_fails("pkg:swift/github.com/Alamofire/@5.4.3", 37, CT_EPARSE);
}

static void test_ct_purl_parse__bad_type(void **state)
{
    (void)state;
    assert_parse_fails("pkg:3nginx/nginx@1", 18, CT_EPARSE);
    assert_parse_fails("pkg:ng:x/nginx@1", 16, CT_EPARSE);
    assert_parse_fails("pkg:/nginx", 10, CT_EPARSE);
}

static void test_ct_purl_parse__bad_percent_escapes(void **state)
{
    (void)state;
    assert_parse_fails("pkg:generic/a%2", 15, CT_EPARSE);
    assert_int_equal(ct_error_last()->offset, 13);
    assert_parse_fails("pkg:generic/a%", 14, CT_EPARSE);
    assert_parse_fails("pkg:generic/a%zz", 16, CT_EPARSE);
    assert_parse_fails("pkg:generic/a?k=%G1", 19, CT_EPARSE);
    assert_parse_fails("pkg:generic/a#x%", 16, CT_EPARSE);
    assert_parse_fails("pkg:generic/a%00b", 17, CT_EPARSE);  /* decodes to NUL */
    assert_parse_fails("pkg:generic/a%FF", 16, CT_EPARSE);   /* decodes to bad UTF-8 */
    assert_parse_fails("pkg:generic/a%C0%AF", 19, CT_EPARSE); /* overlong '/' */
}

static void test_ct_purl_parse__embedded_nul_and_bad_utf8(void **state)
{
    (void)state;
    assert_parse_fails("pkg:npm/a\0b@1", 13, CT_EPARSE);
    assert_parse_fails("pkg:npm/a\xff", 10, CT_EPARSE);
    assert_int_equal(ct_error_last()->offset, 9);
}

static void test_ct_purl_parse__qualifier_errors(void **state)
{
    (void)state;
    assert_parse_fails("pkg:npm/a@1?in%20production=true", 32, CT_EPARSE);
    assert_parse_fails("pkg:npm/a@1?1key=v", 18, CT_EPARSE);
    assert_parse_fails("pkg:npm/a@1?novalue", 19, CT_EPARSE);
    assert_parse_fails("pkg:npm/a@1?=v", 14, CT_EPARSE);
    assert_parse_fails("pkg:npm/a@1?k=1&K=2", 19, CT_EPARSE); /* duplicate after folding */
}

static void test_ct_purl_parse__very_long_input(void **state)
{
    size_t n = CT_PURL_MAX_LEN + 1;
    char *s = ct_malloc(n);
    ct_purl *p = NULL;
    (void)state;
    assert_non_null(s);
    memcpy(s, "pkg:generic/", 12);
    memset(s + 12, 'a', n - 12);
    assert_parse_fails(s, n, CT_ELIMIT);
    /* At the limit it still parses. */
    assert_int_equal(ct_purl_parse(&p, s, CT_PURL_MAX_LEN), 0);
    assert_int_equal(strlen(p->name), CT_PURL_MAX_LEN - 12);
    ct_purl_free(p);
    /* Many qualifiers. */
    ct_buf b = CT_BUF_INIT;
    ct_buf_puts(&b, "pkg:generic/x?");
    for (int i = 0; i < 2000; i++)
        ct_buf_printf(&b, "k%d=v&", i);
    assert_int_equal(ct_purl_parse(&p, b.ptr, b.len), 0);
    assert_int_equal(p->nqualifiers, 2000);
    assert_string_equal(p->qualifiers[0].key, "k0");
    assert_string_equal(p->qualifiers[1].key, "k1");
    ct_purl_free(p);
    ct_buf_dispose(&b);
    ct_free(s);
}

static void test_ct_purl_parse__bad_args(void **state)
{
    ct_purl *p = NULL;
    (void)state;
    assert_int_equal(ct_purl_parse(NULL, "pkg:a/b", 7), CT_EINVAL);
    assert_int_equal(ct_purl_parse(&p, NULL, 3), CT_EINVAL);
    ct_purl_free(NULL);
}

/* ---- ct_purl_format ------------------------------------------------------------------------ */

static void test_ct_purl_format__canonical(void **state)
{
    (void)state;
    /* npm names keep their case: the current npm definition says case_sensitive (keys fold) */
    assert_canonical("PKG:NPM/%40Angular/Core@1.0.0", "pkg:npm/%40Angular/Core@1.0.0");
    assert_canonical("pkg:pypi/Django_Rest@1", "pkg:pypi/django-rest@1");
    assert_canonical("pkg://maven/org.x/y@1?b=2&a=1#/./s/../t/",
                     "pkg:maven/org.x/y@1?a=1&b=2#s/t");
    assert_canonical("pkg:generic/a%20b@1+2?url=https://x.org/y&c=",
                     "pkg:generic/a%20b@1%2B2?url=https:%2F%2Fx.org%2Fy");
    assert_canonical("pkg:generic/caf%c3%a9", "pkg:generic/caf%C3%A9");
    assert_canonical("pkg:deb/Debian/openssl@3.0.11-1?distro=debian-12",
                     "pkg:deb/debian/openssl@3.0.11-1?distro=debian-12");
}

static void test_ct_purl_format__hand_built(void **state)
{
    struct ct_purl_qualifier q[] = { { "Z", "last" }, { "a", "x/y" }, { "m", "" } };
    ct_purl p = { 0 };
    ct_buf b = CT_BUF_INIT;
    (void)state;
    p.type = "NuGet";
    p.name = "EnterpriseLibrary.Common";
    p.version = "6.0.1304";
    p.qualifiers = q;
    p.nqualifiers = 3;
    p.subpath = "/lib/../net45/";
    assert_int_equal(ct_purl_format(&b, &p), 0);
    assert_string_equal(b.ptr, "pkg:nuget/EnterpriseLibrary.Common@6.0.1304?a=x%2Fy&z=last#lib/net45");
    ct_buf_dispose(&b);
}

static void test_ct_purl_format__invalid_components(void **state)
{
    struct ct_purl_qualifier bad[] = { { "in production", "true" } };
    struct ct_purl_qualifier dup[] = { { "a", "1" }, { "A", "2" } };
    ct_purl p = { 0 };
    ct_buf b = CT_BUF_INIT;
    (void)state;
    p.name = "nginx";
    assert_int_equal(ct_purl_format(&b, &p), CT_EINVAL); /* no type */
    p.type = "3x";
    assert_int_equal(ct_purl_format(&b, &p), CT_EINVAL);
    p.type = "npm";
    p.qualifiers = bad;
    p.nqualifiers = 1;
    assert_int_equal(ct_purl_format(&b, &p), CT_EINVAL);
    p.qualifiers = dup;
    p.nqualifiers = 2;
    assert_int_equal(ct_purl_format(&b, &p), CT_EINVAL);
    p.qualifiers = NULL;
    p.nqualifiers = 0;
    p.name = "";
    assert_int_equal(ct_purl_format(&b, &p), CT_EINVAL);
    p.type = "otp";
    p.namespace_ = "ns";
    p.name = "hex";
    assert_int_equal(ct_purl_format(&b, &p), CT_EINVAL); /* otp has no namespace */
    assert_int_equal(ct_purl_format(NULL, &p), CT_EINVAL);
    ct_buf_dispose(&b);
}

/* ---- package keys and schemes -------------------------------------------------------------- */

static void test_ct_purl_package_key__per_type(void **state)
{
    (void)state;
    assert_key("pkg:npm/%40angular/core@1.0.0", "npm/@angular/core");
    assert_key("pkg:npm/Left-Pad@1", "npm/left-pad");
    assert_key("pkg:pypi/Django_Rest@1", "pypi/django-rest");
    assert_key("pkg:pypi/zope.Interface__x@1", "pypi/zope-interface-x");
    assert_key("pkg:golang/github.com/Gin-Gonic/gin@v1", "golang/github.com/Gin-Gonic/gin");
    assert_key("pkg:nuget/Newtonsoft.Json@13", "nuget/newtonsoft.json");
    assert_key("pkg:composer/Laravel/Framework@9", "composer/laravel/framework");
    assert_key("pkg:rpm/AlmaLinux/OpenSSL@3?epoch=1", "rpm/almalinux/OpenSSL");
    assert_key("pkg:maven/org.Apache/Log4j@2?type=jar#x", "maven/org.Apache/Log4j");
    assert_key("pkg:cargo/serde", "cargo/serde");
}

static void test_ct_purl_package_key__bad_args(void **state)
{
    ct_purl p = { 0 };
    ct_buf b = CT_BUF_INIT;
    (void)state;
    assert_int_equal(ct_purl_package_key(&b, &p), CT_EINVAL);
    assert_int_equal(ct_purl_package_key(NULL, &p), CT_EINVAL);
    ct_buf_dispose(&b);
}

static void test_ct_purl_type_scheme__table(void **state)
{
    (void)state;
    assert_string_equal(ct_purl_type_scheme("npm"), "npm");
    assert_string_equal(ct_purl_type_scheme("NPM"), "npm");
    assert_string_equal(ct_purl_type_scheme("pypi"), "pypi");
    assert_string_equal(ct_purl_type_scheme("deb"), "deb");
    assert_string_equal(ct_purl_type_scheme("golang"), "golang");
    assert_string_equal(ct_purl_type_scheme("bitnami"), "semver");
    assert_string_equal(ct_purl_type_scheme("alpm"), "alpm");
    assert_string_equal(ct_purl_type_scheme("generic"), "generic");
    assert_string_equal(ct_purl_type_scheme("no-such-type"), "generic");
    assert_string_equal(ct_purl_type_scheme("a-type-name-much-longer-than-any-known-one"),
                        "generic");
    assert_string_equal(ct_purl_type_scheme(NULL), "generic");
}

/* ---- strict parsing and validation ------------------------------------------------------ */

static void test_ct_purl_parse_ex__strict_rejects_upper_case_keys(void **state)
{
    ct_purl *p = NULL;
    const char *s = "pkg:gem/jruby-launcher@1.1.2?Platform=java";
    (void)state;
    assert_int_equal(ct_purl_parse_ex(&p, s, strlen(s), CT_PURL_STRICT), CT_EPARSE);
    assert_null(p);
    assert_int_equal(ct_purl_parse_ex(&p, s, strlen(s), 0), 0);
    assert_string_equal(ct_purl_qualifier(p, "platform"), "java");
    ct_purl_free(p);
}

static void test_ct_purl_parse_ex__git_lowercased_only_when_lenient(void **state)
{
    ct_purl *p = NULL;
    const char *s = "pkg:git/github/Package-url/purl-Spec@244fd47";
    (void)state;
    assert_int_equal(ct_purl_parse_ex(&p, s, strlen(s), CT_PURL_STRICT), 0);
    assert_string_equal(p->namespace_, "github");
    assert_string_equal(p->name, "Package-url/purl-Spec");
    ct_purl_free(p);
    assert_int_equal(ct_purl_parse_ex(&p, s, strlen(s), 0), 0);
    assert_string_equal(p->name, "package-url/purl-spec");
    ct_purl_free(p);
}

static void test_ct_purl_validate__canonical_or_not(void **state)
{
    ct_buf b = CT_BUF_INIT;
    const char *canon = "pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1?classifier=dist&type=zip";
    const char *other = "pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1?type=zip&classifier=dist";
    (void)state;
    assert_int_equal(ct_purl_validate(&b, canon, strlen(canon), CT_PURL_STRICT), 0);
    assert_string_equal(b.ptr, canon);
    ct_buf_reset(&b);
    assert_int_equal(ct_purl_validate(&b, other, strlen(other), CT_PURL_STRICT), 1);
    assert_string_equal(b.ptr, canon);
    assert_int_equal(ct_purl_validate(NULL, "pkg:npm", 7, 0), CT_EPARSE);
    ct_buf_dispose(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ct_purl_parse_ex__strict_rejects_upper_case_keys),
        cmocka_unit_test(test_ct_purl_parse_ex__git_lowercased_only_when_lenient),
        cmocka_unit_test(test_ct_purl_validate__canonical_or_not),
        cmocka_unit_test(test_ct_purl_parse__all_components),
        cmocka_unit_test(test_ct_purl_parse__npm_scope_encoded_and_raw),
        cmocka_unit_test(test_ct_purl_parse__absent_parts_are_null),
        cmocka_unit_test(test_ct_purl_parse__qualifiers_sorted_lowercased_empty_dropped),
        cmocka_unit_test(test_ct_purl_parse__subpath_cleaned),
        cmocka_unit_test(test_ct_purl_parse__percent_decoding),
        cmocka_unit_test(test_ct_purl_parse__type_rules),
        cmocka_unit_test(test_ct_purl_parse__not_nul_terminated),
        cmocka_unit_test(test_ct_purl_parse__missing_scheme),
        cmocka_unit_test(test_ct_purl_parse__empty_or_missing_name),
        cmocka_unit_test(test_ct_purl_parse__bad_type),
        cmocka_unit_test(test_ct_purl_parse__bad_percent_escapes),
        cmocka_unit_test(test_ct_purl_parse__embedded_nul_and_bad_utf8),
        cmocka_unit_test(test_ct_purl_parse__qualifier_errors),
        cmocka_unit_test(test_ct_purl_parse__very_long_input),
        cmocka_unit_test(test_ct_purl_parse__bad_args),
        cmocka_unit_test(test_ct_purl_format__canonical),
        cmocka_unit_test(test_ct_purl_format__hand_built),
        cmocka_unit_test(test_ct_purl_format__invalid_components),
        cmocka_unit_test(test_ct_purl_package_key__per_type),
        cmocka_unit_test(test_ct_purl_package_key__bad_args),
        cmocka_unit_test(test_ct_purl_type_scheme__table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

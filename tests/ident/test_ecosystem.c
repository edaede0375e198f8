/* Unit tests for src/ident/ecosystem.c: OSV (ecosystem, name) keys must equal purl keys. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "cratrace/base.h"
#include "cratrace/ident.h"

typedef struct equiv {
    const char *purl, *ecosystem, *name, *key, *scheme;
} equiv;

static const equiv equivs[] = {
    { "pkg:npm/%40angular/core@1.0.0", "npm", "@angular/core", "npm/@angular/core", "npm" },
    { "pkg:npm/left-pad@1.3.0", "npm", "left-pad", "npm/left-pad", "npm" },
    { "pkg:pypi/Django_Rest@1", "PyPI", "django-rest", "pypi/django-rest", "pypi" },
    { "pkg:pypi/zope.interface@5", "PyPI", "zope-interface", "pypi/zope-interface", "pypi" },
    { "pkg:deb/debian/openssl@3.0.11-1?distro=debian-12", "Debian:12", "openssl",
      "deb/debian/openssl?distro=debian-12", "deb" }, /* release-scoped (docs/feeds.md) */
    { "pkg:deb/debian/openssl@3.0.11-1", "Debian", "openssl", "deb/debian/openssl", "deb" },
    { "pkg:deb/ubuntu/openssl@3.0.2-0ubuntu1.10?distro=jammy", "Ubuntu:22.04:LTS", "openssl",
      "deb/ubuntu/openssl?distro=ubuntu-22.04", "deb" },
    { "pkg:golang/github.com/gin-gonic/gin@v1.9.0", "Go", "github.com/gin-gonic/gin",
      "golang/github.com/gin-gonic/gin", "golang" },
    { "pkg:golang/stdlib@1.21.0", "Go", "stdlib", "golang/stdlib", "golang" },
    { "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "Maven",
      "org.apache.logging.log4j:log4j-core", "maven/org.apache.logging.log4j/log4j-core",
      "maven" },
    /* a repository suffix scopes the key to that repository (purl repository_url); the
     * default repository keeps the plain key */
    { "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?repository_url=https://repo1.maven.org/",
      "Maven:https://repo1.maven.org", "org.apache.logging.log4j:log4j-core",
      "maven/org.apache.logging.log4j/log4j-core?repository_url=https://repo1.maven.org", "maven" },
    { "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?repository_url=https://repo.maven.apache.org/maven2/",
      "Maven:https://repo.maven.apache.org/maven2", "org.apache.logging.log4j:log4j-core",
      "maven/org.apache.logging.log4j/log4j-core", "maven" },
    { "pkg:composer/laravel/framework@8.0.0?repository_url=https://repo.example.com",
      "Packagist:https://repo.example.com", "laravel/framework",
      "composer/laravel/framework?repository_url=https://repo.example.com", "composer" },
    { "pkg:rpm/redhat/openssl-libs@1.1.1k-5.el8?arch=x86_64&distro=rhel-8.6",
      "Red Hat:rhel_aus:8.6::appstream", "openssl-libs", "rpm/redhat/openssl-libs?distro=redhat-8",
      "rpm" },
    { "pkg:rpm/redhat/openssl-libs@1.1.1k-5.el8?distro=el8",
      "Red Hat:cpe:/a:redhat:enterprise_linux:8::appstream", "openssl-libs",
      "rpm/redhat/openssl-libs?distro=redhat-8", "rpm" },
    /* another Red Hat product's number is no RHEL release: release-less */
    { "pkg:rpm/redhat/cri-o@1.25.0-1.rhaos4.12.el8", "Red Hat:openshift:4.12::el8", "cri-o",
      "rpm/redhat/cri-o", "rpm" },
    { "pkg:rpm/almalinux/openssl@3.0.7-1.el9?epoch=1&distro=almalinux-9.3", "AlmaLinux:9",
      "openssl", "rpm/almalinux/openssl?distro=almalinux-9", "rpm" },
    { "pkg:rpm/rocky-linux/openssl@3.0.7", "Rocky Linux:9", "openssl", "rpm/rocky-linux/openssl",
      "rpm" },
    /* (a purl without distro keeps "rpm/redhat/openssl" and still meets every stream: the
     * matcher's any-release rule, tests/store/test_osv_suffix.c) */
    { "pkg:rpm/redhat/openssl@3.0.7?distro=rhel-9.2", "Red Hat:enterprise_linux:9::appstream",
      "openssl", "rpm/redhat/openssl?distro=redhat-9", "rpm" },
    { "pkg:rpm/opensuse/curl@8.0", "openSUSE:Tumbleweed", "curl", "rpm/opensuse/curl", "rpm" },
    { "pkg:rpm/suse/curl@8.0", "SUSE:Linux Enterprise Server 15 SP5", "curl", "rpm/suse/curl",
      "rpm" },
    { "pkg:apk/alpine/busybox@1.36.1-r2?arch=x86_64&distro=alpine-3.18.4", "Alpine:v3.18",
      "busybox", "apk/alpine/busybox?distro=alpine-3.18", "apk" },
    { "pkg:apk/wolfi/glibc@2.38", "Wolfi", "glibc", "apk/wolfi/glibc", "apk" },
    { "pkg:apk/chainguard/glibc@2.38", "Chainguard", "glibc", "apk/chainguard/glibc", "apk" },
    { "pkg:cargo/serde@1.0.0", "crates.io", "serde", "cargo/serde", "cargo" },
    { "pkg:gem/rails@7.0.0", "RubyGems", "rails", "gem/rails", "gem" },
    { "pkg:nuget/Newtonsoft.Json@13.0.1", "NuGet", "Newtonsoft.Json", "nuget/newtonsoft.json",
      "nuget" },
    { "pkg:composer/laravel/framework@9.0.0", "Packagist", "laravel/framework",
      "composer/laravel/framework", "composer" },
    { "pkg:hex/phoenix@1.7.0", "Hex", "phoenix", "hex/phoenix", "hex" },
    { "pkg:pub/http@1.1.0", "Pub", "http", "pub/http", "pub" },
    { "pkg:hackage/aeson@2.1.0", "Hackage", "aeson", "hackage/aeson", "hackage" },
    { "pkg:bitnami/wordpress@6.2.0", "Bitnami", "wordpress", "bitnami/wordpress", "semver" },
    { "pkg:swift/github.com/apple/swift-nio@2.0.0", "SwiftURL",
      "https://github.com/apple/swift-nio.git", "swift/github.com/apple/swift-nio", "swift" },
    { "pkg:generic/linux@6.1.0", "Linux", "Kernel", "generic/linux", "generic" },
    { "pkg:conan/openssl@3.0.0", "ConanCenter", "openssl", "conan/openssl", "conan" },
};

static void key_of_purl(ct_buf *b, const char *s)
{
    ct_purl *p = NULL;
    if (ct_purl_parse(&p, s, strlen(s)) < 0)
        fail_msg("parse '%s': %s", s, ct_error_last()->message);
    assert_int_equal(ct_purl_package_key(b, p), 0);
    ct_purl_free(p);
}

static void test_ct_osv_package_key__matches_purl_key(void **state)
{
    (void)state;
    for (size_t i = 0; i < CT_NELEM(equivs); i++) {
        const equiv *e = &equivs[i];
        ct_buf from_purl = CT_BUF_INIT, from_osv = CT_BUF_INIT;
        const char *scheme = NULL;

        key_of_purl(&from_purl, e->purl);
        assert_int_equal(ct_osv_package_key(&from_osv, &scheme, e->ecosystem, e->name), 0);
        if (strcmp(from_purl.ptr, from_osv.ptr) != 0 || strcmp(from_osv.ptr, e->key) != 0)
            fail_msg("#%zu %s vs %s/%s: purl key '%s', OSV key '%s', want '%s'", i, e->purl,
                     e->ecosystem, e->name, from_purl.ptr, from_osv.ptr, e->key);
        assert_string_equal(scheme, e->scheme);
        /* The purl type's own scheme agrees with the ecosystem's. */
        char type[32] = { 0 };
        memcpy(type, e->purl + 4, strcspn(e->purl + 4, "/"));
        assert_string_equal(ct_purl_type_scheme(type), e->scheme);
        ct_buf_dispose(&from_purl);
        ct_buf_dispose(&from_osv);
    }
}

static void test_ct_osv_package_key__oss_fuzz(void **state)
{
    ct_buf b = CT_BUF_INIT;
    const char *scheme = NULL;
    (void)state;
    assert_int_equal(ct_osv_package_key(&b, &scheme, "OSS-Fuzz", "libxml2"), 0);
    assert_string_equal(b.ptr, "oss-fuzz/libxml2");
    assert_string_equal(scheme, "generic");
    ct_buf_dispose(&b);
}

static void test_ct_osv_package_key__unknown_ecosystem(void **state)
{
    ct_buf b = CT_BUF_INIT;
    const char *scheme = NULL;
    (void)state;
    assert_int_equal(ct_osv_package_key(&b, &scheme, "Imaginary:1.0", "Thing"), 1);
    assert_string_equal(b.ptr, "imaginary/Thing");
    assert_string_equal(scheme, "generic");
    ct_buf_reset(&b);
    assert_int_equal(ct_osv_package_key(&b, NULL, "", "x"), 1);
    assert_string_equal(b.ptr, "/x");
    ct_buf_dispose(&b);
}

static void test_ct_osv_package_key__case_and_scheme_out_optional(void **state)
{
    ct_buf b = CT_BUF_INIT;
    (void)state;
    assert_int_equal(ct_osv_package_key(&b, NULL, "pypi", "Foo_Bar"), 0);
    assert_string_equal(b.ptr, "pypi/foo-bar");
    ct_buf_dispose(&b);
}

static void test_ct_osv_package_key__odd_names(void **state)
{
    ct_buf b = CT_BUF_INIT;
    (void)state;
    /* No separator where one is expected: the whole name is the name. */
    assert_int_equal(ct_osv_package_key(&b, NULL, "Maven", "justartifact"), 0);
    assert_string_equal(b.ptr, "maven/justartifact");
    ct_buf_reset(&b);
    assert_int_equal(ct_osv_package_key(&b, NULL, "npm", "@scope"), 0);
    assert_string_equal(b.ptr, "npm/@scope");
    ct_buf_reset(&b);
    assert_int_equal(ct_osv_package_key(&b, NULL, "Go", "github.com/x/"), 0);
    assert_string_equal(b.ptr, "golang/github.com/x/");
    ct_buf_dispose(&b);
}

static void test_ct_osv_package_key__bad_args(void **state)
{
    ct_buf b = CT_BUF_INIT;
    (void)state;
    assert_int_equal(ct_osv_package_key(NULL, NULL, "npm", "x"), CT_EINVAL);
    assert_int_equal(ct_osv_package_key(&b, NULL, NULL, "x"), CT_EINVAL);
    assert_int_equal(ct_osv_package_key(&b, NULL, "npm", NULL), CT_EINVAL);
    assert_int_equal(ct_osv_package_key(&b, NULL, "npm", ""), CT_EINVAL);
    ct_buf_dispose(&b);
}

/* How keys meet: release-less / release-scoped distro keys and the Red Hat any-release flag. */
static void test_ct_package_key_distro__kinds(void **state)
{
    size_t base = 0;
    bool any = true;
    (void)state;
    assert_int_equal(ct_package_key_distro(&base, &any, "deb/debian/openssl?distro=debian-12"),
                     CT_PKGKEY_DISTRO_RELEASE);
    assert_int_equal(base, strlen("deb/debian/openssl"));
    assert_false(any);
    assert_int_equal(ct_package_key_distro(&base, &any, "deb/debian/openssl"),
                     CT_PKGKEY_DISTRO_ANY);
    assert_int_equal(base, strlen("deb/debian/openssl"));
    assert_int_equal(ct_package_key_distro(&base, &any, "rpm/redhat/openssl?distro=redhat-9"),
                     CT_PKGKEY_DISTRO_RELEASE);
    assert_true(any);
    assert_int_equal(ct_package_key_distro(NULL, &any, "rpm/redhat/openssl"),
                     CT_PKGKEY_DISTRO_ANY);
    assert_true(any);
    /* not release-scoped distributions, and other qualifiers */
    assert_int_equal(ct_package_key_distro(&base, &any, "apk/wolfi/glibc"), CT_PKGKEY_PLAIN);
    assert_false(any);
    assert_int_equal(ct_package_key_distro(NULL, NULL, "maven/g/a?repository_url=https://x"),
                     CT_PKGKEY_PLAIN);
    assert_int_equal(ct_package_key_distro(NULL, NULL, "pypi/requests"), CT_PKGKEY_PLAIN);
    assert_int_equal(ct_package_key_distro(NULL, NULL, "golang/x"), CT_PKGKEY_PLAIN);
    assert_int_equal(ct_package_key_distro(NULL, NULL, ""), CT_PKGKEY_PLAIN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ct_osv_package_key__matches_purl_key),
        cmocka_unit_test(test_ct_osv_package_key__oss_fuzz),
        cmocka_unit_test(test_ct_osv_package_key__unknown_ecosystem),
        cmocka_unit_test(test_ct_osv_package_key__case_and_scheme_out_optional),
        cmocka_unit_test(test_ct_osv_package_key__odd_names),
        cmocka_unit_test(test_ct_osv_package_key__bad_args),
        cmocka_unit_test(test_ct_package_key_distro__kinds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

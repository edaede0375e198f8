/* Unit tests for src/ident/cpe.c, cpe_match.c and cpe_hint.c. The vectors are the worked
 * examples of NISTIR 7695 (binding / unbinding, sections 6.1 and 6.2) and of the NISTIR 7696
 * attribute comparison table, written out by hand from the documents' text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "cratrace/base.h"
#include "cratrace/ident.h"

static ct_cpe *parse_ok(const char *s)
{
    ct_cpe *c = NULL;
    if (ct_cpe_parse(&c, s, strlen(s)) != 0)
        fail_msg("parse '%s': %s", s, ct_error_last()->message);
    assert_non_null(c);
    return c;
}

static void assert_parse_fails(const char *s, size_t len, int code)
{
    ct_cpe *c = (ct_cpe *)(uintptr_t)1;
    int rc = ct_cpe_parse(&c, s, len);
    if (rc != code)
        fail_msg("'%.*s': expected %d, got %d", (int)(len > 200 ? 200 : len), s, code, rc);
    assert_null(c);
}

static void assert_format(const ct_cpe *c, ct_cpe_binding binding, const char *want)
{
    ct_buf b = CT_BUF_INIT;
    assert_int_equal(ct_cpe_format(&b, c, binding), 0);
    assert_string_equal(b.ptr, want);
    ct_buf_dispose(&b);
}

/* text (any binding) must give the same WFN as wfn, and bind back to text when canonical. */
static void assert_same_wfn(const char *text, const char *wfn)
{
    ct_cpe *a = parse_ok(text), *b = parse_ok(wfn);
    ct_buf x = CT_BUF_INIT, y = CT_BUF_INIT;
    assert_int_equal(ct_cpe_format(&x, a, CT_CPE_BIND_WFN), 0);
    assert_int_equal(ct_cpe_format(&y, b, CT_CPE_BIND_WFN), 0);
    assert_string_equal(x.ptr, y.ptr);
    ct_buf_dispose(&x);
    ct_buf_dispose(&y);
    ct_cpe_free(a);
    ct_cpe_free(b);
}

static void assert_binds(const char *wfn, const char *uri, const char *fs)
{
    ct_cpe *c = parse_ok(wfn);
    if (uri)
        assert_format(c, CT_CPE_BIND_URI, uri);
    if (fs)
        assert_format(c, CT_CPE_BIND_FS, fs);
    ct_cpe_free(c);
}

/* ---- NISTIR 7695 6.1.2: binding a WFN to a URI --------------------------------------------- */

static void test_ct_cpe_format__uri_examples(void **state)
{
    (void)state;
    assert_binds("wfn:[part=\"a\",vendor=\"microsoft\",product=\"internet_explorer\","
                 "version=\"8\\.0\\.6001\",update=\"beta\",edition=ANY]",
                 "cpe:/a:microsoft:internet_explorer:8.0.6001:beta", NULL);
    assert_binds("wfn:[part=\"a\",vendor=\"microsoft\",product=\"internet_explorer\","
                 "version=\"8\\.*\",update=\"sp?\"]",
                 "cpe:/a:microsoft:internet_explorer:8.%02:sp%01", NULL);
    assert_binds("wfn:[part=\"a\",vendor=\"hp\",product=\"insight_diagnostics\","
                 "version=\"7\\.4\\.0\\.1570\",update=NA,sw_edition=\"online\","
                 "target_sw=\"win2003\",target_hw=\"x64\"]",
                 "cpe:/a:hp:insight_diagnostics:7.4.0.1570:-:~~online~win2003~x64~", NULL);
    assert_binds("wfn:[part=\"a\",vendor=\"hp\",product=\"openview_network_manager\","
                 "version=\"7\\.51\",target_sw=\"linux\"]",
                 "cpe:/a:hp:openview_network_manager:7.51::~~~linux~~", NULL);
    assert_binds("wfn:[part=\"a\",vendor=\"foo\\\\bar\",product=\"big\\$money_manager_2010\","
                 "sw_edition=\"special\",target_sw=\"ipod_touch\",target_hw=\"80gb\"]",
                 "cpe:/a:foo%5cbar:big%24money_manager_2010:::~~special~ipod_touch~80gb~", NULL);
}

/* ---- NISTIR 7695 6.1.3: unbinding a URI ---------------------------------------------------- */

static void test_ct_cpe_parse__uri_examples(void **state)
{
    (void)state;
    assert_same_wfn("cpe:/a:microsoft:internet_explorer:8.0.6001:beta",
                    "wfn:[part=\"a\",vendor=\"microsoft\",product=\"internet_explorer\","
                    "version=\"8\\.0\\.6001\",update=\"beta\",edition=ANY,language=ANY]");
    assert_same_wfn("cpe:/a:microsoft:internet_explorer:8.%2a:sp%3f",
                    "wfn:[part=\"a\",vendor=\"microsoft\",product=\"internet_explorer\","
                    "version=\"8\\.\\*\",update=\"sp\\?\"]");
    assert_same_wfn("cpe:/a:microsoft:internet_explorer:8.%02:sp%01",
                    "wfn:[part=\"a\",vendor=\"microsoft\",product=\"internet_explorer\","
                    "version=\"8\\.*\",update=\"sp?\"]");
    assert_same_wfn("cpe:/a:hp:insight_diagnostics:7.4.0.1570::~~online~win2003~x64~",
                    "wfn:[part=\"a\",vendor=\"hp\",product=\"insight_diagnostics\","
                    "version=\"7\\.4\\.0\\.1570\",update=ANY,edition=ANY,sw_edition=\"online\","
                    "target_sw=\"win2003\",target_hw=\"x64\",other=ANY,language=ANY]");
    assert_same_wfn("cpe:/a:hp:openview_network_manager:7.51:-:~~~linux~~",
                    "wfn:[part=\"a\",vendor=\"hp\",product=\"openview_network_manager\","
                    "version=\"7\\.51\",update=NA,edition=ANY,sw_edition=ANY,"
                    "target_sw=\"linux\",target_hw=ANY,other=ANY,language=ANY]");
    assert_same_wfn("cpe:/a:foo~bar:big%7emoney_2010",
                    "wfn:[part=\"a\",vendor=\"foo\\~bar\",product=\"big\\~money_2010\"]");
    /* URI unbinding lowercases. */
    assert_same_wfn("cpe:/A:Microsoft:IE", "wfn:[part=\"a\",vendor=\"microsoft\",product=\"ie\"]");
    /* %07 is not a character a CPE can hold; %02 may not sit inside a value. */
    {
        const char *b1 = "cpe:/a:foo%5cbar:big%24money_2010%07:::~~special~ipod_touch~80gb~";
        const char *b2 = "cpe:/a:foo:bar:12.%02.1234";
        assert_parse_fails(b1, strlen(b1), CT_EPARSE);
        assert_parse_fails(b2, strlen(b2), CT_EPARSE);
    }
}

/* ---- NISTIR 7695 6.2.2: binding a WFN to a formatted string -------------------------------- */

static void test_ct_cpe_format__fs_examples(void **state)
{
    (void)state;
    assert_binds("wfn:[part=\"a\",vendor=\"microsoft\",product=\"internet_explorer\","
                 "version=\"8\\.0\\.6001\",update=\"beta\",edition=ANY]",
                 NULL, "cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*");
    assert_binds("wfn:[part=\"a\",vendor=\"microsoft\",product=\"internet_explorer\","
                 "version=\"8\\.*\",update=\"sp?\",edition=ANY]",
                 NULL, "cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*");
    assert_binds("wfn:[part=\"a\",vendor=\"hp\",product=\"insight\",version=\"7\\.4\\.0\\.1570\","
                 "update=NA,sw_edition=\"online\",target_sw=\"win2003\",target_hw=\"x64\"]",
                 NULL, "cpe:2.3:a:hp:insight:7.4.0.1570:-:*:*:online:win2003:x64:*");
    assert_binds("wfn:[part=\"a\",vendor=\"hp\",product=\"openview_network_manager\","
                 "version=\"7\\.51\",target_sw=\"linux\"]",
                 NULL, "cpe:2.3:a:hp:openview_network_manager:7.51:*:*:*:*:linux:*:*");
    assert_binds("wfn:[part=\"a\",vendor=\"foo\\\\bar\",product=\"big\\$money_2010\","
                 "sw_edition=\"special\",target_sw=\"ipod_touch\",target_hw=\"80gb\"]",
                 NULL, "cpe:2.3:a:foo\\\\bar:big\\$money_2010:*:*:*:*:special:ipod_touch:80gb:*");
}

/* ---- NISTIR 7695 6.2.3: unbinding a formatted string --------------------------------------- */

static void test_ct_cpe_parse__fs_examples(void **state)
{
    const char *bad;
    (void)state;
    assert_same_wfn("cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*",
                    "wfn:[part=\"a\",vendor=\"microsoft\",product=\"internet_explorer\","
                    "version=\"8\\.0\\.6001\",update=\"beta\"]");
    assert_same_wfn("cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*",
                    "wfn:[part=\"a\",vendor=\"microsoft\",product=\"internet_explorer\","
                    "version=\"8\\.*\",update=\"sp?\"]");
    assert_same_wfn("cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:-:*:*:online:win2003:x64:*",
                    "wfn:[part=\"a\",vendor=\"hp\",product=\"insight_diagnostics\","
                    "version=\"7\\.4\\.0\\.1570\",update=NA,sw_edition=\"online\","
                    "target_sw=\"win2003\",target_hw=\"x64\"]");
    assert_same_wfn("cpe:2.3:a:foo\\\\bar:big\\$money_2010:*:*:*:*:special:ipod_touch:80gb:*",
                    "wfn:[part=\"a\",vendor=\"foo\\\\bar\",product=\"big\\$money_2010\","
                    "sw_edition=\"special\",target_sw=\"ipod_touch\",target_hw=\"80gb\"]");
    /* A quoted ':' stays inside its component. */
    assert_same_wfn("cpe:2.3:a:a\\:b:c:*:*:*:*:*:*:*:*",
                    "wfn:[part=\"a\",vendor=\"a\\:b\",product=\"c\"]");
    /* An embedded unquoted '*' is an error. */
    bad = "cpe:2.3:a:hp:insight_diagnostics:7.4.*.1570:*:*:*:*:*:*:*";
    assert_parse_fails(bad, strlen(bad), CT_EPARSE);
}

static void test_ct_cpe__round_trips(void **state)
{
    static const char *const fs[] = {
        "cpe:2.3:o:linux:linux_kernel:5.10.0:-:*:*:*:*:*:*",
        "cpe:2.3:a:denx:u-boot:2023.01:rc1:*:*:*:*:arm64:*",
        "cpe:2.3:a:haxx:curl:7.88.1:*:*:en-us:*:*:*:*",
        "cpe:2.3:h:*:*:*:*:*:*:*:*:*:*",
        "cpe:2.3:a:x\\!y:p\\@q:1\\:2:*:*:*:*:*:*:*",
    };
    static const char *const uri[] = {
        "cpe:/o:linux:linux_kernel:5.10.0:-",
        "cpe:/a:denx:u-boot:2023.01:rc1:~~~~arm64~",
        "cpe:/a:x%21y:p%40q:1%3a2",
        "cpe:/h",
        "cpe:/",
        "cpe:/a:::::en-us",
    };
    (void)state;
    for (size_t i = 0; i < sizeof(fs) / sizeof(fs[0]); i++) {
        ct_cpe *c = parse_ok(fs[i]);
        assert_format(c, CT_CPE_BIND_FS, fs[i]);
        ct_cpe_free(c);
    }
    for (size_t i = 0; i < sizeof(uri) / sizeof(uri[0]); i++) {
        ct_cpe *c = parse_ok(uri[i]);
        assert_format(c, CT_CPE_BIND_URI, uri[i]);
        ct_cpe_free(c);
    }
    /* FS -> URI -> FS across bindings. */
    {
        ct_cpe *c = parse_ok("cpe:2.3:a:x\\!y:p\\@q:1\\:2:*:*:*:*:*:*:*");
        assert_format(c, CT_CPE_BIND_URI, "cpe:/a:x%21y:p%40q:1%3a2");
        ct_cpe_free(c);
    }
}

/* ---- hostile input -------------------------------------------------------------------------- */

static void test_ct_cpe_parse__hostile(void **state)
{
    static const char *const bad[] = {
        "cpe:2.3:x:vendor:product:1:*:*:*:*:*:*:*",   /* wrong part */
        "cpe:2.3:-:vendor:product:1:*:*:*:*:*:*:*",   /* part NA */
        "cpe:2.3:a:vendor:product:1:*:*:*:*:*:*",     /* too few components */
        "cpe:2.3:a:vendor:product:1:*:*:*:*:*:*:*:*", /* too many components */
        "cpe:2.3:a:vendor:product::*:*:*:*:*:*:*",    /* empty component */
        "cpe:2.3:a:ven\\dor:product:1:*:*:*:*:*:*:*", /* quoted letter */
        "cpe:2.3:a:vendor\\:product:1:*:*:*:*:*:*:*", /* escape eats a separator: too few */
        "cpe:2.3:a:vendor:prod uct:1:*:*:*:*:*:*:*",  /* space */
        "cpe:2.3:a:vendor:product:1**:*:*:*:*:*:*:*", /* "**" at the end */
        "cpe:2.3:a:vendor:pro?duct:1:*:*:*:*:*:*:*",  /* embedded '?' */
        "cpe:2.3:a:vendor:product:1:*:*:*:*:*:*:\\",  /* trailing backslash */
        "cpe:/x:vendor",                              /* wrong part */
        "cpe:/a:v:p:1:u:e:en:extra",                  /* too many components */
        "cpe:/a:v:p:1:u:~a~b~c",                      /* packed edition too short */
        "cpe:/a:v:p:1:u:~a~b~c~d~e~f",                /* packed edition too long */
        "cpe:/a:v%zz",                                /* bad percent escape */
        "cpe:/a:v%2",                                 /* truncated escape */
        "cpe:/a:v!",                                  /* unencoded special */
        "cpe:/a:v%20",                                /* space */
        "cpe:/a:v:p:1%022",                           /* embedded %02 */
        "cpe:2.3",                                    /* truncated prefix */
        "cpe:2.3:",                                   /* no components */
        "cpe:2.2:a:v:p",                              /* not 2.3 */
        "pkg:npm/x",                                  /* not a CPE */
        "wfn:[part=\"a\",part=\"o\"]",                /* duplicate attribute */
        "wfn:[vendor=\"a b\"]",                       /* space */
        "wfn:[colour=\"red\"]",                       /* unknown attribute */
        "wfn:[vendor=\"x\"",                          /* unterminated */
        "wfn:[vendor=\"*\"]",                         /* lone star */
        "",
    };
    char *big;
    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_parse_fails(bad[i], strlen(bad[i]), CT_EPARSE);
    assert_parse_fails("cpe:/a:v\0x", 10, CT_EPARSE);
    assert_parse_fails("cpe:/a:\xc3\xa9", 9, CT_EPARSE);
    big = test_malloc(CT_CPE_MAX_LEN + 2);
    memset(big, 'a', CT_CPE_MAX_LEN + 1);
    memcpy(big, "cpe:/a:", 7);
    big[CT_CPE_MAX_LEN + 1] = '\0';
    assert_parse_fails(big, CT_CPE_MAX_LEN + 1, CT_ELIMIT);
    assert_int_equal(ct_error_last()->code, CT_ELIMIT);
    big[CT_CPE_MAX_LEN] = '\0'; /* exactly at the limit: fine */
    {
        ct_cpe *c = parse_ok(big);
        ct_cpe_free(c);
    }
    test_free(big);
}

static void test_ct_cpe_format__rejects_bad_values(void **state)
{
    ct_cpe c;
    ct_buf b = CT_BUF_INIT;
    (void)state;
    memset(&c, 0, sizeof(c));
    c.attr[CT_CPE_VENDOR].kind = CT_CPE_VALUE;
    c.attr[CT_CPE_VENDOR].value = (char *)(uintptr_t) "a-b"; /* '-' must be quoted */
    assert_int_equal(ct_cpe_format(&b, &c, CT_CPE_BIND_FS), CT_EINVAL);
    c.attr[CT_CPE_VENDOR].value = (char *)(uintptr_t) "a\\-b";
    assert_int_equal(ct_cpe_format(&b, &c, CT_CPE_BIND_FS), 0);
    assert_string_equal(b.ptr, "cpe:2.3:*:a-b:*:*:*:*:*:*:*:*:*");
    c.attr[CT_CPE_PART].kind = CT_CPE_VALUE;
    c.attr[CT_CPE_PART].value = (char *)(uintptr_t) "x";
    assert_int_equal(ct_cpe_format(&b, &c, CT_CPE_BIND_URI), CT_EINVAL);
    c.attr[CT_CPE_PART].kind = CT_CPE_NA;
    c.attr[CT_CPE_PART].value = NULL;
    assert_int_equal(ct_cpe_format(&b, &c, CT_CPE_BIND_URI), CT_EINVAL);
    ct_buf_dispose(&b);
}

/* ---- NISTIR 7696 matching ------------------------------------------------------------------- */

static ct_cpe_relation rel_of(const char *src_text, const char *tgt_text, int attr)
{
    ct_cpe *s = parse_ok(src_text), *t = parse_ok(tgt_text);
    ct_cpe_relation overall, attrs[CT_CPE_NATTR];
    assert_int_equal(ct_cpe_compare(&overall, attrs, s, t), 0);
    ct_cpe_free(s);
    ct_cpe_free(t);
    return attr < 0 ? overall : attrs[attr];
}

/* The attribute comparison table: rows ANY, NA, i (plain), j (wildcards) against ANY, NA,
 * i, k (another plain string) and m + wildcards. */
static void test_ct_cpe_compare__attribute_table(void **state)
{
    static const struct {
        const char *s, *t;
        ct_cpe_relation want;
    } rows[] = {
        { "ANY", "ANY", CT_CPE_EQUAL },         /* 1 */
        { "ANY", "NA", CT_CPE_SUPERSET },       /* 2 */
        { "ANY", "\"i\"", CT_CPE_SUPERSET },    /* 3 */
        { "ANY", "\"m*\"", CT_CPE_UNDEFINED },  /* 4 */
        { "NA", "ANY", CT_CPE_SUBSET },         /* 5 */
        { "NA", "NA", CT_CPE_EQUAL },           /* 6 */
        { "NA", "\"i\"", CT_CPE_DISJOINT },     /* 7 */
        { "NA", "\"m*\"", CT_CPE_UNDEFINED },   /* 8 */
        { "\"i\"", "ANY", CT_CPE_SUBSET },      /* 9 */
        { "\"i\"", "NA", CT_CPE_DISJOINT },     /* 10 */
        { "\"i\"", "\"i\"", CT_CPE_EQUAL },     /* 11 */
        { "\"i\"", "\"k\"", CT_CPE_DISJOINT },  /* 12 */
        { "\"i\"", "\"m*\"", CT_CPE_UNDEFINED },/* 13 */
        { "\"j*\"", "ANY", CT_CPE_SUBSET },     /* 14 */
        { "\"j*\"", "NA", CT_CPE_DISJOINT },    /* 15 */
        { "\"j*\"", "\"jx\"", CT_CPE_SUPERSET },/* 16, matches */
        { "\"j*\"", "\"kx\"", CT_CPE_DISJOINT },/* 16, does not match */
        { "\"j*\"", "\"m?\"", CT_CPE_UNDEFINED },/* 17 */
    };
    char s[128], t[128];
    (void)state;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        snprintf(s, sizeof(s), "wfn:[part=\"a\",vendor=\"v\",update=%s]", rows[i].s);
        snprintf(t, sizeof(t), "wfn:[part=\"a\",vendor=\"v\",update=%s]", rows[i].t);
        ct_cpe_relation got = rel_of(s, t, CT_CPE_UPDATE);
        if (got != rows[i].want)
            fail_msg("row %zu: %s vs %s: want %s, got %s", i + 1, rows[i].s, rows[i].t,
                     ct_cpe_relation_name(rows[i].want), ct_cpe_relation_name(got));
    }
}

static void test_ct_cpe_compare__wildcards(void **state)
{
    (void)state;
    /* '*' at either end absorbs any run; '?' runs absorb up to that many characters. */
    assert_int_equal(rel_of("wfn:[version=\"8\\.*\"]", "wfn:[version=\"8\\.0\\.6001\"]",
                            CT_CPE_VERSION), CT_CPE_SUPERSET);
    assert_int_equal(rel_of("wfn:[version=\"8\\.*\"]", "wfn:[version=\"9\\.0\"]", CT_CPE_VERSION),
                     CT_CPE_DISJOINT);
    assert_int_equal(rel_of("wfn:[version=\"*\\.0\"]", "wfn:[version=\"10\\.0\"]",
                            CT_CPE_VERSION), CT_CPE_SUPERSET);
    assert_int_equal(rel_of("wfn:[update=\"sp?\"]", "wfn:[update=\"sp1\"]", CT_CPE_UPDATE),
                     CT_CPE_SUPERSET);
    assert_int_equal(rel_of("wfn:[update=\"sp?\"]", "wfn:[update=\"sp12\"]", CT_CPE_UPDATE),
                     CT_CPE_DISJOINT);
    assert_int_equal(rel_of("wfn:[update=\"??a\"]", "wfn:[update=\"xya\"]", CT_CPE_UPDATE),
                     CT_CPE_SUPERSET);
    assert_int_equal(rel_of("wfn:[update=\"??a\"]", "wfn:[update=\"wxya\"]", CT_CPE_UPDATE),
                     CT_CPE_DISJOINT);
    assert_int_equal(rel_of("wfn:[update=\"*b*\"]", "wfn:[update=\"abc\"]", CT_CPE_UPDATE),
                     CT_CPE_SUPERSET);
    /* A quoted wildcard is a literal. */
    assert_int_equal(rel_of("wfn:[update=\"a\\*\"]", "wfn:[update=\"ab\"]", CT_CPE_UPDATE),
                     CT_CPE_DISJOINT);
    assert_int_equal(rel_of("wfn:[update=\"a\\*\"]", "wfn:[update=\"a\\*\"]", CT_CPE_UPDATE),
                     CT_CPE_EQUAL);
    /* Comparison is case-insensitive. */
    assert_int_equal(rel_of("wfn:[vendor=\"Microsoft\"]", "wfn:[vendor=\"microsoft\"]",
                            CT_CPE_VENDOR), CT_CPE_EQUAL);
}

static void test_ct_cpe_compare__names(void **state)
{
    (void)state;
    /* A vulnerability's CPE with a version wildcard matches a concrete installed name. */
    assert_int_equal(rel_of("cpe:2.3:a:adobe:*:9.*:*:*:-:*:*:*:*",
                            "cpe:2.3:a:adobe:reader:9.3.2:-:*:-:*:*:*:*", -1),
                     CT_CPE_SUPERSET);
    assert_int_equal(rel_of("cpe:2.3:a:adobe:reader:9.3.2:-:*:-:*:*:*:*",
                            "cpe:2.3:a:adobe:*:9.*:*:*:-:*:*:*:*", -1),
                     CT_CPE_UNDEFINED); /* the target now carries the wildcard */
    assert_int_equal(rel_of("cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*",
                            "cpe:2.3:a:microsoft:internet_explorer:8.0.6001:sp1:*:*:*:*:*:*", -1),
                     CT_CPE_DISJOINT);
    assert_int_equal(rel_of("cpe:/a:microsoft:internet_explorer:8.0.6001",
                            "cpe:2.3:a:microsoft:internet_explorer:8.0.6001:*:*:*:*:*:*:*", -1),
                     CT_CPE_EQUAL);
    assert_int_equal(rel_of("cpe:2.3:a:haxx:curl:7.88.1:*:*:*:*:*:*:*",
                            "cpe:2.3:a:haxx:curl:*:*:*:*:*:*:*:*", -1),
                     CT_CPE_SUBSET);
    assert_int_equal(rel_of("cpe:2.3:a:haxx:*:7.88.1:*:*:*:*:*:*:*",
                            "cpe:2.3:a:haxx:curl:*:*:*:*:*:*:*:*", -1),
                     CT_CPE_UNDEFINED); /* SUPERSET on product, SUBSET on version */
}

/* ---- hints ---------------------------------------------------------------------------------- */

static void test_ct_cpe_hint__both_ways(void **state)
{
    static const char *const pairs[][3] = {
        { "openssl", "openssl", "openssl" },   { "busybox", "busybox", "busybox" },
        { "curl", "haxx", "curl" },            { "zlib", "zlib", "zlib" },
        { "linux", "linux", "linux_kernel" },  { "u-boot", "denx", "u-boot" },
        { "libxml2", "xmlsoft", "libxml2" },   { "sqlite", "sqlite", "sqlite" },
        { "dropbear", "dropbear_ssh_project", "dropbear_ssh" },
        { "dnsmasq", "thekelleys", "dnsmasq" }, { "openssh", "openbsd", "openssh" },
        { "glibc", "gnu", "glibc" },           { "musl", "musl-libc", "musl" },
        { "expat", "libexpat_project", "libexpat" },
        { "libpng", "libpng", "libpng" },
    };
    const char *v, *p, *t, *n;
    (void)state;
    for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
        assert_int_equal(ct_cpe_from_purl_hint(&v, &p, "generic", pairs[i][0]), 0);
        assert_string_equal(v, pairs[i][1]);
        assert_string_equal(p, pairs[i][2]);
        assert_int_equal(ct_cpe_to_purl_hint(&t, &n, pairs[i][1], pairs[i][2]), 0);
        assert_string_equal(t, "generic");
        assert_string_equal(n, pairs[i][0]);
    }
    assert_int_equal(ct_cpe_from_purl_hint(&v, &p, "deb", "zlib1g"), 0);
    assert_string_equal(v, "zlib");
    assert_int_equal(ct_cpe_from_purl_hint(&v, &p, NULL, "OpenSSL"), 0);
    assert_int_equal(ct_cpe_from_purl_hint(&v, &p, "npm", "left-pad"), 1);
    assert_int_equal(ct_cpe_to_purl_hint(&t, &n, "acme", "widget"), 1);
    assert_int_equal(ct_cpe_from_purl_hint(NULL, &p, "npm", "x"), CT_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ct_cpe_format__uri_examples),
        cmocka_unit_test(test_ct_cpe_parse__uri_examples),
        cmocka_unit_test(test_ct_cpe_format__fs_examples),
        cmocka_unit_test(test_ct_cpe_parse__fs_examples),
        cmocka_unit_test(test_ct_cpe__round_trips),
        cmocka_unit_test(test_ct_cpe_parse__hostile),
        cmocka_unit_test(test_ct_cpe_format__rejects_bad_values),
        cmocka_unit_test(test_ct_cpe_compare__attribute_table),
        cmocka_unit_test(test_ct_cpe_compare__wildcards),
        cmocka_unit_test(test_ct_cpe_compare__names),
        cmocka_unit_test(test_ct_cpe_hint__both_ways),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

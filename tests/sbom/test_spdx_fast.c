/* Tests for the spdxfast changes (docs/PERFORMANCE.md §7, "Issue 5, SPDX JSON speed"):
 * - ct_sbom__is_spdx_json looks at the root object's top-level member names only; on every
 *   JSON file under ../shared/conformance/{spdx,sboms,cyclonedx} it gives the answer of the
 *   previous whole-input scan (a copy of which is kept here as the reference), and on crafted
 *   edge cases too, apart from the one documented difference (a CycloneDX bomFormat /
 *   specVersion before any spdxVersion decides);
 * - SPDX ids for a repeated bom_ref are the ids the previous quadratic search gave (a copy of
 *   it is the reference, at 3,000 repeats and on a mix of clashing refs) and, at 50,000
 *   repeats, the ids that search gives spelled out;
 * - the SPDX JSON reader's one pass over each object's members keeps ct_jt_get's meaning:
 *   the last of repeated members wins, escaped names match, type errors name the member.
 * Exit 77 when ../shared/conformance is absent. */
#include "ct_test.h"

#include "cratrace/sbom.h"
#include "sbom/spdx_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static ct_ctx *g_ctx;

static int setup(void **state)
{
    (void)state;
    g_ctx = ct_test_ctx();
    return g_ctx ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ct_ctx_free(g_ctx);
    return 0;
}

/* ---- detection --------------------------------------------------------------------------- */

/* The sniffer before spdxfast (spdx_json.c at 832a294): a "spdxVersion" string at depth 1
 * followed by ':' anywhere in the input. */
static bool old_scan(const char *data, size_t len)
{
    static const char key[] = "spdxVersion";
    int depth = 0;
    for (size_t i = 0; i < len; i++) {
        char c = data[i];
        if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            if (--depth <= 0)
                return false;
        } else if (c == '"') {
            size_t start = ++i;
            while (i < len && data[i] != '"')
                i += data[i] == '\\' ? 2 : 1;
            if (i >= len)
                return false;
            if (depth == 1 && i - start == sizeof key - 1 &&
                memcmp(data + start, key, sizeof key - 1) == 0) {
                size_t j = i + 1;
                while (j < len && (data[j] == ' ' || data[j] == '\t' || data[j] == '\n' ||
                                   data[j] == '\r'))
                    j++;
                if (j < len && data[j] == ':')
                    return true;
            }
        }
    }
    return false;
}

/* as the callers (validate.c, cyclonedx_json.c) hand the input over: from the '{' */
static bool sniff(const char *data, size_t len, bool old)
{
    size_t i = 0;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r'))
        i++;
    if (i >= len || data[i] != '{')
        return false;
    return old ? old_scan(data + i, len - i) : ct_sbom__is_spdx_json(data + i, len - i);
}

static void test_spdx_fast__sniff_same_on_every_file(void **state)
{
    static const char *const dirs[] = { "conformance/spdx", "conformance/sboms",
                                        "conformance/cyclonedx" };
    static const char *const ext[] = { ".json", NULL };
    size_t yes = 0, no = 0, files = 0;
    (void)state;
    for (size_t d = 0; d < CT_NELEM(dirs); d++) {
        ct_test_files fl = CT_TEST_FILES_INIT;
        char *dir = ct_test_shared_path(dirs[d]);
        if (!dir)
            continue;
        ct_test_collect(&fl, dir, ext);
        for (size_t i = 0; i < fl.n; i++) {
            size_t len;
            char *t = ct_test_read(fl.paths[i], &len);
            bool want = sniff(t, len, true), got = sniff(t, len, false);
            if (want != got)
                fail_msg("%s: the old scan says %d, the top-level walk %d", fl.paths[i], want,
                         got);
            want ? yes++ : no++;
            files++;
            ct_free(t);
        }
        ct_test_files_free(&fl);
        ct_free(dir);
    }
    printf("  %zu JSON files: %zu SPDX, %zu not\n", files, yes, no);
    /* both answers are exercised */
    assert_true(yes >= 20);
    assert_true(no >= 100);
}

static void test_spdx_fast__sniff_edges(void **state)
{
    /* text, the answer; every case but the last is also the old scan's answer */
    static const struct {
        const char *text;
        bool spdx;
    } cases[] = {
        { "{\"spdxVersion\":\"SPDX-2.3\"}", true },
        { "{ \"spdxVersion\" \t:\n\"x\"}", true },
        { "{}", false },
        { "{ }", false },
        { "{\"a\":{\"spdxVersion\":\"SPDX-2.3\"}}", false },           /* nested: not top level */
        { "{\"a\":[\"spdxVersion\",1],\"b\":2}", false },               /* a value, not a name */
        { "{\"a\":\"spdxVersion\"}", false },
        { "{\"a\":\"x\\\"}\\\\\",\"spdxVersion\":1}", true },             /* escapes in a value */
        { "{\"a\":{\"b\":[1,{\"c\":\"]}\"}]},\"spdxVersion\":1}", true }, /* nesting skipped */
        { "{\"a\":-1.5e3,\"b\":true,\"c\":null,\"spdxVersion\":1}", true },
        { "{\"spdx\\u0056ersion\":\"SPDX-2.3\"}", false }, /* the raw bytes are compared */
        { "{\"spdxVersion\"}", false },                    /* malformed: the old scan judges */
        { "{\"a\" 1, \"spdxVersion\": 2}", true },         /* malformed: the old scan judges */
        { "{\"a\":1 \"spdxVersion\": 2}", true },
        { "{\"a\":\"unterminated", false },
        { "{\"a\":[1,2", false },
        { "{\"specVersion\":\"1.6\",\"spdxVersion\":\"SPDX-2.3\"}", false }, /* decisive */
    };
    (void)state;
    for (size_t i = 0; i < CT_NELEM(cases); i++) {
        const char *t = cases[i].text;
        size_t n = strlen(t);
        if (ct_sbom__is_spdx_json(t, n) != cases[i].spdx)
            fail_msg("case %zu %s: expected %d", i, t, cases[i].spdx);
        if (i + 1 < CT_NELEM(cases) && old_scan(t, n) != cases[i].spdx)
            fail_msg("case %zu %s: the old scan differs", i, t);
    }
    /* the documented difference: a CycloneDX key first decides, the old scan did not stop */
    assert_true(old_scan(cases[CT_NELEM(cases) - 1].text, strlen(cases[CT_NELEM(cases) - 1].text)));
}

/* ---- SPDX ids ------------------------------------------------------------------------------ */

/* The uniqueness search before spdxfast (spdx_ids.c make_unique at 832a294): "-2", "-3", ...
 * tried from 2 on every call, over a set of the ids made so far. */
typedef struct {
    char **v;
    size_t cap;
} refset;

static size_t ref_hash(const char *s, size_t cap)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h & (cap - 1);
}

static bool ref_taken(const refset *t, const char *id)
{
    for (size_t i = ref_hash(id, t->cap); t->v[i]; i = (i + 1) & (t->cap - 1))
        if (strcmp(t->v[i], id) == 0)
            return true;
    return false;
}

static void ref_add(refset *t, char *id)
{
    size_t i = ref_hash(id, t->cap);
    while (t->v[i])
        i = (i + 1) & (t->cap - 1);
    t->v[i] = id;
}

static bool ref_ok(const char *s)
{
    if (strncmp(s, "SPDXRef-", 8) != 0 || !s[8])
        return false;
    for (s += 8; *s; s++)
        if (!ct_ascii_isalnum(*s) && *s != '.' && *s != '-')
            return false;
    return true;
}

/* ids[i] (NEW) for refs[0..n) as the old code gave them (no root package) */
static void old_ids(char **ids, const char *const *refs, size_t n)
{
    refset t = { NULL, 16 };
    while (t.cap < 2 * (n + 1))
        t.cap *= 2;
    t.v = ct_calloc(t.cap, sizeof *t.v);
    assert_non_null(t.v);
    for (size_t i = 0; i < n; i++)
        if (ref_ok(refs[i]) && !ref_taken(&t, refs[i]))
            ref_add(&t, ids[i] = ct_strdup(refs[i]));
    for (size_t i = 0; i < n; i++) {
        char base[300], id[320];
        const char *p = refs[i];
        size_t bl;
        if (ids[i])
            continue;
        if (strncmp(p, "SPDXRef-", 8) == 0 && p[8]) {
            memcpy(base, "SPDXRef-", sizeof "SPDXRef-");
            p += 8;
        } else {
            snprintf(base, sizeof base, "SPDXRef-C%zu-", i);
        }
        bl = strlen(base);
        for (; *p && bl < 200; p++)
            base[bl++] = ct_ascii_isalnum(*p) || *p == '.' || *p == '-' ? *p : '-';
        base[bl] = '\0';
        snprintf(id, sizeof id, "%s", base);
        for (unsigned k = 2; ref_taken(&t, id); k++)
            snprintf(id, sizeof id, "%s-%u", base, k);
        ref_add(&t, ids[i] = ct_strdup(id));
    }
    ct_free(t.v);
}

static void check_ids(const char *const *refs, size_t n, bool with_reference)
{
    ct_sbom s;
    ct_spdx_ids t;
    char **want = with_reference ? ct_calloc(n, sizeof *want) : NULL;
    memset(&s, 0, sizeof s);
    s.components = ct_calloc(n, sizeof *s.components);
    assert_non_null(s.components);
    s.ncomponents = s.components_cap = n;
    for (size_t i = 0; i < n; i++)
        s.components[i].bom_ref = (char *)refs[i];
    assert_int_equal(ct_spdx__ids_make(&t, &s, NULL, NULL), 0);
    if (want) {
        old_ids(want, refs, n);
        for (size_t i = 0; i < n; i++) {
            if (strcmp(t.ids[i], want[i]) != 0)
                fail_msg("component %zu (%s): %s, the old search gave %s", i, refs[i],
                         t.ids[i], want[i]);
            ct_free(want[i]);
        }
    }
    for (size_t i = 0; i < n; i++)
        assert_true(ct_spdx__id_ok(t.ids[i]));
    ct_spdx__ids_dispose(&t);
    ct_free(want);
    ct_free(s.components);
}

static void test_spdx_fast__ids_repeated_ref(void **state)
{
    enum { N = 50000 };
    const char **refs = ct_calloc(N, sizeof *refs);
    ct_sbom s;
    ct_spdx_ids t;
    char want[64];
    clock_t c0;
    (void)state;
    assert_non_null(refs);
    /* the old search (the reference) is quadratic: 3,000 repeats against it; 50,000 below,
     * spelled out */
    for (size_t i = 0; i < 3000; i++)
        refs[i] = "SPDXRef-x y";
    check_ids(refs, 3000, true);
    for (size_t i = 0; i < 3000; i++)
        refs[i] = i == 7 ? "SPDXRef-a-3" : "SPDXRef-a";
    check_ids(refs, 3000, true);
    /* the ids themselves, spelled out */
    memset(&s, 0, sizeof s);
    s.components = ct_calloc(N, sizeof *s.components);
    assert_non_null(s.components);
    s.ncomponents = s.components_cap = N;
    for (size_t i = 0; i < N; i++)
        s.components[i].bom_ref = (char *)"SPDXRef-x y";
    c0 = clock();
    assert_int_equal(ct_spdx__ids_make(&t, &s, "SPDXRef-x y", NULL), 0);
    printf("  50,000 repeats of one bom-ref: %.3f s CPU\n",
           (double)(clock() - c0) / CLOCKS_PER_SEC);
    assert_string_equal(t.ids[0], "SPDXRef-x-y");
    for (size_t i = 1; i < N; i++) {
        snprintf(want, sizeof want, "SPDXRef-x-y-%zu", i + 1);
        assert_string_equal(t.ids[i], want);
    }
    snprintf(want, sizeof want, "SPDXRef-x-y-%d", N + 1); /* the root package comes last */
    assert_string_equal(t.root_id, want);
    ct_spdx__ids_dispose(&t);
    ct_free(s.components);
    ct_free(refs);
}

static void test_spdx_fast__ids_mixed_refs(void **state)
{
    /* bases that are suffixed forms of each other, made ids that clash with kept ones, long
     * refs cut at 200 bytes, refs without the SPDXRef- prefix */
    static const char *const pool[] = {
        "SPDXRef-a", "SPDXRef-a-2", "SPDXRef-a b", "SPDXRef-a-2-2", "SPDXRef-a_2", "pkg:npm/a@1",
        "SPDXRef-", "", "SPDXRef-x/y", "SPDXRef-x-y", "SPDXRef-x-y-3", "a b",
        "SPDXRef-Lorem-ipsum-dolor-sit-amet-consectetur-adipiscing-elit-sed-do-eiusmod-tempor-"
        "incididunt-ut-labore-et-dolore-magna-aliqua-Ut-enim-ad-minim-veniam-quis-nostrud-"
        "exercitation-ullamco-laboris-nisi-ut-aliquip-ex-ea-commodo-consequat-Duis x",
    };
    enum { N = 3000 };
    const char *refs[N];
    unsigned r = 12345;
    (void)state;
    for (size_t i = 0; i < N; i++) {
        r = r * 1103515245u + 12345u;
        refs[i] = pool[(r >> 16) % CT_NELEM(pool)];
    }
    check_ids(refs, N, true);
}

/* ---- the reader's one pass over members ------------------------------------------------- */

static ct_sbom *parse_ok(const char *text)
{
    ct_sbom *s = NULL;
    if (ct_sbom_parse(&s, g_ctx, text, strlen(text), "t.json") != 0)
        fail_msg("%s: %s", text, ct_error_format());
    return s;
}

#define DOC_HEAD                                                                          \
    "{\"spdxVersion\":\"SPDX-2.3\",\"SPDXID\":\"SPDXRef-DOCUMENT\",\"name\":\"d\","       \
    "\"dataLicense\":\"CC0-1.0\",\"documentNamespace\":\"urn:x\",\"creationInfo\":{"      \
    "\"created\":\"2025-01-01T00:00:00Z\",\"creators\":[\"Tool: t\"]},\"packages\":["

static void test_spdx_fast__reader_members(void **state)
{
    ct_sbom *s;
    (void)state;
    /* repeated members: the last wins (json-c's and ct_jt_get's answer); an escaped name */
    s = parse_ok(DOC_HEAD
                 "{\"SPDXID\":\"SPDXRef-p\",\"name\":\"first\",\"versionInfo\":\"1\","
                 "\"na\\u006de\":\"last\",\"checksums\":[{\"algorithm\":\"MD5\",\"checksumValue\":"
                 "\"x\",\"checksumValue\":\"d41d8cd98f00b204e9800998ecf8427e\"}],"
                 "\"externalRefs\":[{\"referenceCategory\":\"PACKAGE-MANAGER\","
                 "\"referenceType\":\"purl\",\"referenceLocator\":\"pkg:npm/a@1\"}],"
                 "\"versionInfo\":\"2\",\"downloadLocation\":\"NONE\"}]}");
    assert_int_equal(s->ncomponents, 1);
    assert_string_equal(s->components[0].name, "last");
    assert_string_equal(s->components[0].version, "2");
    assert_string_equal(s->components[0].purl, "pkg:npm/a@1");
    assert_string_equal(s->components[0].hashes,
                        "[{\"alg\":\"MD5\",\"content\":\"d41d8cd98f00b204e9800998ecf8427e\"}]");
    ct_sbom_free(s);
    /* a null member counts as absent; a name cut at an escaped U+0000 is that name */
    s = parse_ok(DOC_HEAD "{\"SPDXID\":\"SPDXRef-p\",\"name\":\"n\",\"versionInfo\":null,"
                          "\"supplier\\u0000x\":\"Organization: O\"}],\"relationships\":["
                          "{\"spdxElementId\":\"SPDXRef-DOCUMENT\",\"relationshipType\":"
                          "\"DESCRIBES\",\"relatedSpdxElement\":\"SPDXRef-p\"}]}");
    assert_null(s->components[0].version);
    assert_string_equal(s->components[0].supplier, "O");
    assert_string_equal(s->name, "n");
    ct_sbom_free(s);
}

static void test_spdx_fast__reader_errors(void **state)
{
    static const struct {
        const char *pkg, *message;
    } cases[] = {
        { "{\"name\":\"n\"}", "/packages/0/SPDXID: missing \"SPDXID\" (required)" },
        { "{\"SPDXID\":\"SPDXRef-p\",\"name\":\"n\",\"versionInfo\":1}",
          "/packages/0/versionInfo: expected a string, found a number" },
        { "{\"SPDXID\":\"SPDXRef-p\",\"name\":\"n\",\"checksums\":{}}",
          "/packages/0/checksums: expected an array, found an object" },
        { "{\"SPDXID\":\"SPDXRef-p\",\"name\":\"n\",\"checksums\":[{\"algorithm\":\"MD5\"}]}",
          "/packages/0/checksums/0/checksumValue: missing \"checksumValue\" (required)" },
        { "{\"SPDXID\":\"SPDXRef-p\",\"name\":\"n\",\"externalRefs\":[{\"referenceCategory\":"
          "\"OTHER\",\"referenceType\":[],\"referenceLocator\":\"x\"}]}",
          "/packages/0/externalRefs/0/referenceType: expected a string, found an array" },
    };
    (void)state;
    for (size_t i = 0; i < CT_NELEM(cases); i++) {
        ct_buf b = CT_BUF_INIT;
        ct_sbom *s = NULL;
        ct_buf_printf(&b, DOC_HEAD "%s]}", cases[i].pkg);
        assert_false(b.failed);
        assert_int_equal(ct_sbom_parse(&s, g_ctx, b.ptr, b.len, "t.json"), CT_EPARSE);
        assert_null(s);
        if (!strstr(ct_error_format(), cases[i].message))
            fail_msg("case %zu: \"%s\" does not hold \"%s\"", i, ct_error_format(),
                     cases[i].message);
        ct_buf_dispose(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spdx_fast__sniff_same_on_every_file),
        cmocka_unit_test(test_spdx_fast__sniff_edges),
        cmocka_unit_test(test_spdx_fast__ids_repeated_ref),
        cmocka_unit_test(test_spdx_fast__ids_mixed_refs),
        cmocka_unit_test(test_spdx_fast__reader_members),
        cmocka_unit_test(test_spdx_fast__reader_errors),
    };
    char *spdx = ct_test_shared_path("conformance/spdx");
    if (!spdx) {
        printf("skipped: ../shared/conformance/spdx is absent\n");
        return CT_TEST_SKIP;
    }
    ct_free(spdx);
    return cmocka_run_group_tests(tests, setup, teardown);
}

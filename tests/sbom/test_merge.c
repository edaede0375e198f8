/* Tests for src/sbom/merge.c: three real SBOMs merged under a new root (component count = the
 * union of identities computed here, every edge kept and resolvable, output reads back as the
 * same model), bom-ref collisions and hash conflicts on inline documents. */
#include "ct_test.h"

#include "cratrace/sbom.h"
#include "cratrace/sbom_diff.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WILD "conformance/sboms/bom-shelter/in-the-wild/cyclonedx/"
static const char *const g_real[] = {
    WILD "redis-commander-sbom-cdx.json",
    WILD "harp-darwin-amd64.sbom.json",
    WILD "kawipiko-sbom-cdx.json",
};

static ct_ctx *g_ctx;

static ct_sbom *load(const char *rel)
{
    char *path = ct_test_shared_path(rel), *data = NULL;
    size_t len = 0;
    ct_sbom *s = NULL;
    assert_non_null(path);
    assert_int_equal(ct_file_read(&data, &len, path, 64u << 20), 0);
    if (ct_sbom_parse(&s, g_ctx, data, len, path) < 0)
        fail_msg("%s", ct_error_format());
    ct_free(data);
    ct_free(path);
    return s;
}

/* ---- a plain list of strings (sizes here are small: linear search is fine) -------------- */

typedef struct {
    char **v;
    size_t n;
} strlist;

static bool has(const strlist *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i], s) == 0)
            return true;
    return false;
}

/* adds s (taking it) unless present; returns whether it was new */
static bool add(strlist *l, char *s)
{
    if (has(l, s)) {
        ct_free(s);
        return false;
    }
    l->v = ct_reallocarray(l->v, l->n + 1, sizeof *l->v);
    l->v[l->n++] = s;
    return true;
}

static void strlist_free(strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        ct_free(l->v[i]);
    ct_free(l->v);
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* the documented identity: the purl (canonical in these documents), else name, version and the
 * set of (alg, content) pairs */
static char *identity_of(const ct_component *c)
{
    ct_buf b = CT_BUF_INIT;
    if (c->purl) {
        ct_buf_printf(&b, "p:%s", c->purl);
        return ct_buf_detach(&b);
    }
    ct_buf_printf(&b, "n:%s|%s|", c->name ? c->name : "", c->version ? c->version : "");
    json_object *arr = c->hashes ? json_tokener_parse(c->hashes) : NULL;
    size_t n = arr ? json_object_array_length(arr) : 0;
    char **pairs = ct_calloc(n + 1, sizeof *pairs);
    for (size_t i = 0; i < n; i++) {
        json_object *h = json_object_array_get_idx(arr, i), *a, *v;
        ct_buf p = CT_BUF_INIT;
        json_object_object_get_ex(h, "alg", &a);
        json_object_object_get_ex(h, "content", &v);
        ct_buf_printf(&p, "%s=%s", json_object_get_string(a), json_object_get_string(v));
        pairs[i] = ct_buf_detach(&p);
    }
    qsort(pairs, n, sizeof *pairs, cmp_str);
    for (size_t i = 0; i < n; i++) {
        ct_buf_printf(&b, "%s;", pairs[i]);
        ct_free(pairs[i]);
    }
    ct_free(pairs);
    json_object_put(arr);
    return ct_buf_detach(&b);
}

static const ct_component *by_ref(const ct_sbom *s, const char *ref)
{
    for (size_t i = 0; i < s->ncomponents; i++)
        if (s->components[i].bom_ref && strcmp(s->components[i].bom_ref, ref) == 0)
            return &s->components[i];
    return NULL;
}

/* the part's root as the merge documents it: the component named like the document, else a new
 * one (name, version, no purl, no hashes) */
static bool root_is_component(const ct_sbom *p)
{
    for (size_t i = 0; p->name && i < p->ncomponents; i++)
        if (p->components[i].name && strcmp(p->components[i].name, p->name) == 0 &&
            ((!p->version && !p->components[i].version) ||
             (p->version && p->components[i].version &&
              strcmp(p->version, p->components[i].version) == 0)))
            return true;
    return false;
}

static void same_str(const char *what, size_t i, const char *a, const char *b)
{
    if ((a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0))
        fail_msg("%s[%zu]: \"%s\" != \"%s\"", what, i, a ? a : "(null)", b ? b : "(null)");
}

static void same_model(const ct_sbom *a, const ct_sbom *b)
{
    same_str("name", 0, a->name, b->name);
    same_str("version", 0, a->version, b->version);
    assert_int_equal(a->ncomponents, b->ncomponents);
    for (size_t i = 0; i < a->ncomponents; i++) {
        const ct_component *x = &a->components[i], *y = &b->components[i];
        same_str("bom_ref", i, x->bom_ref, y->bom_ref);
        same_str("type", i, x->type, y->type);
        same_str("group", i, x->group, y->group);
        same_str("name", i, x->name, y->name);
        same_str("version", i, x->version, y->version);
        same_str("purl", i, x->purl, y->purl);
        same_str("cpe", i, x->cpe, y->cpe);
        same_str("supplier", i, x->supplier, y->supplier);
        same_str("hashes", i, x->hashes, y->hashes);
        same_str("licenses", i, x->licenses, y->licenses);
        assert_int_equal(x->depth, y->depth);
    }
    assert_int_equal(a->ndeps, b->ndeps);
    for (size_t i = 0; i < a->ndeps; i++) {
        same_str("dep.ref", i, a->deps[i].ref, b->deps[i].ref);
        same_str("dep.depends_on", i, a->deps[i].depends_on, b->deps[i].depends_on);
    }
}

static void test_sbom_merge__three_real_sboms(void **state)
{
    ct_sbom *parts[3];
    ct_sbom *m = NULL, *back = NULL;
    ct_sbom_merge_stats st;
    strlist ids = { NULL, 0 }, refs = { NULL, 0 };
    size_t in = 0, synth = 0;
    (void)state;

    for (size_t i = 0; i < 3; i++) {
        parts[i] = load(g_real[i]);
        in += parts[i]->ncomponents;
        if (!root_is_component(parts[i])) {
            ct_component r = { 0 };
            r.name = parts[i]->name;
            r.version = parts[i]->version;
            add(&ids, identity_of(&r));
            synth++;
        }
        for (size_t k = 0; k < parts[i]->ncomponents; k++)
            add(&ids, identity_of(&parts[i]->components[k]));
    }
    assert_int_equal(ct_sbom_merge(&m, (const ct_sbom *const *)parts, 3, "fw", "1.0", &st, NULL,
                                   NULL),
                     0);
    printf("merged %zu components (+%zu part roots made) into %zu; %zu collapsed\n", in, synth,
           m->ncomponents, st.collapsed);
    assert_true(ids.n < in + synth); /* the parts do share packages */
    assert_int_equal(m->ncomponents, ids.n);
    assert_int_equal(st.components_in, in);
    assert_int_equal(st.collapsed, in + synth - ids.n);

    /* no duplicate identity or bom-ref; every edge end resolves */
    strlist seen = { NULL, 0 };
    for (size_t i = 0; i < m->ncomponents; i++) {
        assert_true(add(&seen, identity_of(&m->components[i])));
        if (m->components[i].bom_ref) /* real documents have components without one */
            assert_true(add(&refs, ct_strdup(m->components[i].bom_ref)));
    }
    size_t from_root = 0;
    for (size_t i = 0; i < m->ndeps; i++) {
        if (strcmp(m->deps[i].ref, "fw@1.0") == 0)
            from_root++;
        else if (!has(&refs, m->deps[i].ref))
            fail_msg("edge %zu: ref %s names no component", i, m->deps[i].ref);
        if (!has(&refs, m->deps[i].depends_on))
            fail_msg("edge %zu: depends_on %s names no component", i, m->deps[i].depends_on);
    }
    assert_int_equal(from_root, 3);

    /* every edge between components of a part is kept, between the same identities */
    strlist medges = { NULL, 0 };
    for (size_t i = 0; i < m->ndeps; i++) {
        const ct_component *x = by_ref(m, m->deps[i].ref), *y = by_ref(m, m->deps[i].depends_on);
        if (!x)
            continue;
        char *a = identity_of(x), *b = identity_of(y);
        ct_buf e = CT_BUF_INIT;
        ct_buf_printf(&e, "%s -> %s", a, b);
        add(&medges, ct_buf_detach(&e));
        ct_free(a);
        ct_free(b);
    }
    size_t checked = 0;
    for (size_t p = 0; p < 3; p++)
        for (size_t i = 0; i < parts[p]->ndeps; i++) {
            const ct_component *x = by_ref(parts[p], parts[p]->deps[i].ref);
            const ct_component *y = by_ref(parts[p], parts[p]->deps[i].depends_on);
            if (!x || !y)
                continue; /* the root's edges: checked through the part roots below */
            char *a = identity_of(x), *b = identity_of(y);
            ct_buf e = CT_BUF_INIT;
            ct_buf_printf(&e, "%s -> %s", a, b);
            if (strcmp(a, b) != 0 && !has(&medges, e.ptr))
                fail_msg("part %zu edge lost: %s", p, e.ptr);
            checked++;
            ct_buf_dispose(&e);
            ct_free(a);
            ct_free(b);
        }
    assert_true(checked > 100);

    /* the written CycloneDX reads back as the same model */
    ct_buf out = CT_BUF_INIT;
    assert_int_equal(ct_sbom_write(&out, m, "cyclonedx-json", "1.6"), 0);
    assert_int_equal(ct_sbom_parse(&back, g_ctx, out.ptr, out.len, "merged.cdx.json"), 0);
    same_model(m, back);

    ct_buf_dispose(&out);
    strlist_free(&medges);
    strlist_free(&seen);
    strlist_free(&ids);
    strlist_free(&refs);
    ct_sbom_free(back);
    ct_sbom_free(m);
    for (size_t i = 0; i < 3; i++)
        ct_sbom_free(parts[i]);
}

typedef struct {
    size_t conflict, renamed, dangling;
} warn_count;

static void count_warn(void *payload, const char *kind, size_t part, const char *ref,
                       const char *detail)
{
    warn_count *w = payload;
    (void)part;
    (void)ref;
    (void)detail;
    if (strcmp(kind, "conflict") == 0)
        w->conflict++;
    else if (strcmp(kind, "renamed") == 0)
        w->renamed++;
    else if (strcmp(kind, "dangling") == 0)
        w->dangling++;
}

static ct_sbom *parse_text(const char *doc)
{
    ct_sbom *s = NULL;
    if (ct_sbom_parse(&s, g_ctx, doc, strlen(doc), "inline") < 0)
        fail_msg("%s", ct_error_format());
    return s;
}

/* the same bom-ref for different packages is renamed in the later part (edges follow); the
 * same purl with other hashes collapses and warns */
static void test_sbom_merge__collisions_and_conflicts(void **state)
{
    ct_sbom *p[2];
    ct_sbom *m = NULL;
    ct_sbom_merge_stats st;
    warn_count w = { 0, 0, 0 };
    (void)state;

    p[0] = parse_text(
        "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"version\":1,"
        "\"metadata\":{\"component\":{\"type\":\"firmware\",\"name\":\"kernel\",\"version\":\"6.1\","
        "\"bom-ref\":\"root\"}},\"components\":["
        "{\"bom-ref\":\"a\",\"type\":\"library\",\"name\":\"zlib\",\"purl\":\"pkg:generic/zlib@1.3\","
        "\"hashes\":[{\"alg\":\"SHA-256\",\"content\":\"" "1111111111111111111111111111111111111111111111111111111111111111" "\"}]}],"
        "\"dependencies\":[{\"ref\":\"root\",\"dependsOn\":[\"a\"]}]}");
    p[1] = parse_text(
        "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"version\":1,"
        "\"metadata\":{\"component\":{\"type\":\"firmware\",\"name\":\"rootfs\",\"version\":\"2\","
        "\"bom-ref\":\"root\"}},\"components\":["
        "{\"bom-ref\":\"a\",\"type\":\"library\",\"name\":\"busybox\",\"purl\":\"pkg:generic/busybox@1.36\"},"
        "{\"bom-ref\":\"z\",\"type\":\"library\",\"name\":\"zlib\",\"purl\":\"pkg:generic/zlib@1.3\","
        "\"hashes\":[{\"alg\":\"SHA-256\",\"content\":\"" "2222222222222222222222222222222222222222222222222222222222222222" "\"}]}],"
        "\"dependencies\":[{\"ref\":\"root\",\"dependsOn\":[\"a\"]},"
        "{\"ref\":\"a\",\"dependsOn\":[\"z\",\"gone\"]}]}");
    assert_int_equal(ct_sbom_merge(&m, (const ct_sbom *const *)p, 2, "fw", "3", &st, count_warn,
                                   &w),
                     0);
    /* kernel root, zlib, rootfs root, busybox */
    assert_int_equal(m->ncomponents, 4);
    assert_int_equal(st.collapsed, 1);
    assert_int_equal(st.conflicts, 1);
    assert_int_equal(w.conflict, 1);
    assert_int_equal(st.dangling, 1);
    assert_int_equal(w.dangling, 1);
    /* "root" and "a" of part 2 were taken by part 1 */
    assert_int_equal(st.renamed, 2);
    assert_int_equal(w.renamed, 2);
    assert_string_equal(m->components[0].bom_ref, "root");
    assert_string_equal(m->components[0].name, "kernel");
    assert_string_equal(m->components[1].bom_ref, "a");
    assert_string_equal(m->components[2].bom_ref, "root-part2");
    assert_string_equal(m->components[2].name, "rootfs");
    assert_string_equal(m->components[3].bom_ref, "a-part2");
    assert_non_null(strstr(m->components[1].hashes, "1111")); /* the first kept */

    static const char *const want[][2] = {
        { "a-part2", "a" }, /* busybox -> zlib, re-pointed to the kept zlib */
        { "fw@3", "root" }, { "fw@3", "root-part2" },
        { "root", "a" },    { "root-part2", "a-part2" },
    };
    assert_int_equal(m->ndeps, CT_NELEM(want));
    for (size_t i = 0; i < CT_NELEM(want); i++) {
        assert_string_equal(m->deps[i].ref, want[i][0]);
        assert_string_equal(m->deps[i].depends_on, want[i][1]);
    }
    ct_sbom_free(m);
    ct_sbom_free(p[0]);
    ct_sbom_free(p[1]);
}

/* SPDX parts: the described package is the part's root; the same document twice folds away */
static void test_sbom_merge__spdx_part_twice(void **state)
{
    ct_sbom *s = load("conformance/sboms/bom-shelter/in-the-wild/spdx/julia.spdx.json");
    const ct_sbom *p[2] = { s, s };
    ct_sbom *m = NULL;
    ct_sbom_merge_stats st;
    strlist ids = { NULL, 0 };
    (void)state;

    assert_true(root_is_component(s));
    for (size_t k = 0; k < s->ncomponents; k++)
        add(&ids, identity_of(&s->components[k]));
    assert_int_equal(ct_sbom_merge(&m, p, 2, "fw", NULL, &st, NULL, NULL), 0);
    assert_int_equal(m->ncomponents, ids.n);
    assert_int_equal(st.collapsed, 2 * s->ncomponents - ids.n);
    assert_int_equal(st.renamed, 0);
    size_t from_root = 0;
    for (size_t i = 0; i < m->ndeps; i++)
        if (strcmp(m->deps[i].ref, "fw") == 0) {
            from_root++;
            assert_string_equal(by_ref(m, m->deps[i].depends_on)->name, s->name);
        }
    assert_int_equal(from_root, 1);

    ct_buf out = CT_BUF_INIT;
    ct_sbom *back = NULL;
    assert_true(ct_sbom_write(&out, m, "spdx-json", NULL) >= 0);
    assert_int_equal(ct_sbom_parse(&back, g_ctx, out.ptr, out.len, "merged.spdx.json"), 0);
    assert_string_equal(back->name, "fw");
    assert_int_equal(back->ncomponents, m->ncomponents + 1); /* + the described root package */
    ct_sbom_free(back);
    ct_buf_dispose(&out);
    strlist_free(&ids);
    ct_sbom_free(m);
    ct_sbom_free(s);
}

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sbom_merge__three_real_sboms),
        cmocka_unit_test(test_sbom_merge__collisions_and_conflicts),
        cmocka_unit_test(test_sbom_merge__spdx_part_twice),
    };
    for (size_t i = 0; i < CT_NELEM(g_real); i++) {
        char *p = ct_test_shared_path(g_real[i]);
        if (!p) {
            printf("skipped: ../shared/%s is absent\n", g_real[i]);
            return CT_TEST_SKIP;
        }
        ct_free(p);
    }
    return cmocka_run_group_tests(tests, setup, teardown);
}

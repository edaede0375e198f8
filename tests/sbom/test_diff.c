/* Tests for src/sbom/diff.c: a real SBOM against a copy modified here (each kind of change
 * once, exact delta), the same across formats (SPDX A, CycloneDX B), and identity fallbacks. */
#include "ct_test.h"

#include "cratrace/sbom.h"
#include "cratrace/sbom_diff.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REAL "conformance/sboms/bom-shelter/in-the-wild/cyclonedx/redis-commander-sbom-cdx.json"

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

static ct_sbom *parse_text(const char *doc)
{
    ct_sbom *s = NULL;
    if (ct_sbom_parse(&s, g_ctx, doc, strlen(doc), "inline") < 0)
        fail_msg("%s", ct_error_format());
    return s;
}

/* a parsed model's strings may live in its arena: edited through the model's setter */
static void set(ct_sbom *s, char **field, const char *v)
{
    assert_int_equal(ct_sbom_set_str(s, field, v), 0);
    assert_true(v ? *field && strcmp(*field, v) == 0 : *field == NULL);
}

/* independent of the library: the purl text up to its version, qualifiers or subpath */
static char *bare_purl(const char *purl)
{
    size_t n = strcspn(purl, "@?#");
    return ct_strndup(purl, n);
}

static size_t count_bare(const ct_sbom *s, const char *bare)
{
    size_t n = 0;
    for (size_t i = 0; i < s->ncomponents; i++) {
        if (!s->components[i].purl)
            continue;
        char *b = bare_purl(s->components[i].purl);
        n += strcmp(b, bare) == 0;
        ct_free(b);
    }
    return n;
}

/* "X.Y.Z" with decimal parts */
static bool semver3(const char *v, int *x, int *y, int *z)
{
    char tail;
    return v && sscanf(v, "%d.%d.%d%c", x, y, z, &tail) == 3;
}

/* replace "@old" by "@new" in c's purl and the version */
static void set_version(ct_sbom *s, ct_component *c, const char *v)
{
    char buf[1024];
    char *at = strchr(c->purl, '@');
    const char *rest = at + 1 + strlen(c->version);
    snprintf(buf, sizeof buf, "%.*s@%s%s", (int)(at - c->purl), c->purl, v, rest);
    set(s, &c->purl, buf);
    set(s, &c->version, v);
}

static const ct_sbom_diff_entry *find(const ct_sbom_diff_result *d, const char *identity)
{
    for (size_t i = 0; i < d->nentries; i++)
        if (strcmp(d->entries[i].identity, identity) == 0)
            return &d->entries[i];
    fail_msg("no diff entry for %s", identity);
    return NULL;
}

typedef struct {
    char *id_up, *id_down, *id_chg, *id_rm, *id_lic, *id_hash, *id_sup;
    char *from_up, *to_up, *from_down, *to_down, *hash_alg, *hash_old, *hash_new;
    size_t touched;
} plan;

static void plan_free(plan *p)
{
    char **f[] = { &p->id_up,   &p->id_down,   &p->id_chg,   &p->id_rm,    &p->id_lic,
                   &p->id_hash, &p->id_sup,    &p->from_up,  &p->to_up,    &p->from_down,
                   &p->to_down, &p->hash_alg,  &p->hash_old, &p->hash_new };
    for (size_t i = 0; i < CT_NELEM(f); i++)
        ct_free(*f[i]);
}

/* flip the last character of the first hash's content */
static void change_hash(plan *p, ct_sbom *s, ct_component *c)
{
    json_object *arr = json_tokener_parse(c->hashes);
    json_object *h = json_object_array_get_idx(arr, 0), *alg, *content;
    assert_true(json_object_object_get_ex(h, "alg", &alg));
    assert_true(json_object_object_get_ex(h, "content", &content));
    char *v = ct_strdup(json_object_get_string(content));
    size_t n = strlen(v);
    p->hash_alg = ct_strdup(json_object_get_string(alg));
    p->hash_old = ct_strdup(v);
    v[n - 1] = v[n - 1] == '0' ? '1' : '0';
    p->hash_new = ct_strdup(v);
    json_object_object_add(h, "content", json_object_new_string(v));
    set(s, &c->hashes, json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PLAIN));
    ct_free(v);
    json_object_put(arr);
}

/* one change of each kind on distinct components with a unique purl identity */
static void modify(plan *p, ct_sbom *b)
{
    size_t rm = SIZE_MAX;
    char ver[64];
    memset(p, 0, sizeof *p);
    for (size_t i = 0; i < b->ncomponents; i++) {
        ct_component *c = &b->components[i];
        int x, y, z;
        if (!c->purl || !strchr(c->purl, '@') || !semver3(c->version, &x, &y, &z))
            continue;
        char *id = bare_purl(c->purl);
        if (count_bare(b, id) != 1) {
            ct_free(id);
            continue;
        }
        if (!p->id_up) {
            p->id_up = id;
            p->from_up = ct_strdup(c->version);
            snprintf(ver, sizeof ver, "%d.%d.%d", x, y, z + 1);
            p->to_up = ct_strdup(ver);
            set_version(b, c, ver);
        } else if (!p->id_down && z > 0) {
            p->id_down = id;
            p->from_down = ct_strdup(c->version);
            snprintf(ver, sizeof ver, "%d.%d.%d", x, y, z - 1);
            p->to_down = ct_strdup(ver);
            set_version(b, c, ver);
        } else if (!p->id_chg) {
            p->id_chg = id;
            set_version(b, c, "not-a-version");
        } else if (!p->id_rm) {
            p->id_rm = id;
            rm = i;
        } else if (!p->id_lic && c->licenses && strcmp(c->licenses, "0BSD") != 0) {
            p->id_lic = id;
            set(b, &c->licenses, "0BSD");
        } else if (!p->id_hash && c->hashes) {
            p->id_hash = id;
            change_hash(p, b, c);
        } else if (!p->id_sup && !c->supplier) {
            p->id_sup = id;
            set(b, &c->supplier, "ACME Test Supplier");
        } else {
            ct_free(id);
        }
    }
    assert_non_null(p->id_sup);
    p->touched = 7;
    /* remove one component (its nested ones, if any, stay in the flat model) */
    size_t n = b->ncomponents;
    assert_int_equal(ct_sbom_component_remove(b, rm), 0);
    assert_int_equal(b->ncomponents, n - 1);
    /* add one */
    ct_component *c = NULL;
    assert_int_equal(ct_sbom_component_add(&c, b), 0);
    set(b, &c->name, "cratrace-diff-test-added");
    set(b, &c->version, "1.0.0");
    set(b, &c->purl, "pkg:npm/cratrace-diff-test-added@1.0.0");
    set(b, &c->type, "library");
}

static void check_delta(const ct_sbom_diff_result *d, const plan *p)
{
    const ct_sbom_diff_entry *e;
    assert_int_equal(d->count[CT_SBOM_ADDED], 1);
    assert_int_equal(d->count[CT_SBOM_REMOVED], 1);
    assert_int_equal(d->count[CT_SBOM_UPGRADED], 1);
    assert_int_equal(d->count[CT_SBOM_DOWNGRADED], 1);
    assert_int_equal(d->count[CT_SBOM_CHANGED], 1);
    assert_int_equal(d->nlicense, 1);
    assert_int_equal(d->nhashes, 1);
    assert_int_equal(d->nsupplier, 1);

    e = find(d, p->id_up);
    assert_int_equal(e->change, CT_SBOM_UPGRADED);
    assert_string_equal(e->a_version, p->from_up);
    assert_string_equal(e->b_version, p->to_up);
    assert_string_equal(e->scheme, "npm");
    e = find(d, p->id_down);
    assert_int_equal(e->change, CT_SBOM_DOWNGRADED);
    assert_string_equal(e->a_version, p->from_down);
    assert_string_equal(e->b_version, p->to_down);
    e = find(d, p->id_chg);
    assert_int_equal(e->change, CT_SBOM_CHANGED);
    assert_string_equal(e->b_version, "not-a-version");
    e = find(d, p->id_rm);
    assert_int_equal(e->change, CT_SBOM_REMOVED);
    assert_null(e->b_version);
    e = find(d, "pkg:npm/cratrace-diff-test-added");
    assert_int_equal(e->change, CT_SBOM_ADDED);
    assert_string_equal(e->b_version, "1.0.0");
    e = find(d, p->id_lic);
    assert_int_equal(e->change, CT_SBOM_SAME);
    assert_int_equal(e->fields, CT_SBOM_DIFF_LICENSE);
    assert_string_equal(e->b_license, "0BSD");
    e = find(d, p->id_hash);
    assert_int_equal(e->fields, CT_SBOM_DIFF_HASHES);
    assert_int_equal(e->nhashes, 1);
    assert_string_equal(e->hashes[0].alg, p->hash_alg);
    assert_string_equal(e->hashes[0].old_value, p->hash_old);
    assert_string_equal(e->hashes[0].new_value, p->hash_new);
    e = find(d, p->id_sup);
    assert_int_equal(e->fields, CT_SBOM_DIFF_SUPPLIER);
    assert_null(e->a_supplier);
    assert_string_equal(e->b_supplier, "ACME Test Supplier");
}

static void test_sbom_diff__modified_copy_exact_delta(void **state)
{
    ct_sbom *a = load(REAL), *b = load(REAL);
    ct_sbom_diff_result *d = NULL;
    plan p;
    (void)state;

    modify(&p, b);
    assert_int_equal(ct_sbom_diff(&d, a, b), 0);
    check_delta(d, &p);
    assert_int_equal(d->nentries, 8);
    assert_int_equal(d->unchanged, a->ncomponents - p.touched);

    /* the JSON form carries the same numbers */
    ct_buf j = CT_BUF_INIT;
    assert_int_equal(ct_sbom_diff_json(&j, d), 0);
    ct_buf doc = CT_BUF_INIT;
    ct_buf_printf(&doc, "{%s}", j.ptr);
    json_object *o = json_tokener_parse(doc.ptr), *sum, *v, *comps;
    assert_non_null(o);
    assert_true(json_object_object_get_ex(o, "summary", &sum));
    assert_true(json_object_object_get_ex(sum, "upgraded", &v));
    assert_int_equal(json_object_get_int(v), 1);
    assert_true(json_object_object_get_ex(o, "components", &comps));
    assert_int_equal(json_object_array_length(comps), 8);
    json_object_put(o);
    ct_buf_dispose(&j);
    ct_buf_dispose(&doc);

    plan_free(&p);
    ct_sbom_diff_free(d);
    ct_sbom_free(a);
    ct_sbom_free(b);
}

/* A as SPDX JSON (written and read back), B CycloneDX: the same delta, plus the SPDX root
 * package (CycloneDX keeps it as metadata.component, not as a component) */
static void test_sbom_diff__spdx_against_cyclonedx(void **state)
{
    ct_sbom *a = load(REAL), *b = load(REAL), *as = NULL;
    ct_sbom_diff_result *d = NULL;
    ct_buf out = CT_BUF_INIT;
    plan p;
    (void)state;

    modify(&p, b);
    assert_true(ct_sbom_write(&out, a, "spdx-json", NULL) >= 0);
    assert_int_equal(ct_sbom_parse(&as, g_ctx, out.ptr, out.len, "a.spdx.json"), 0);
    assert_string_equal(as->format, "spdx-json");
    assert_int_equal(ct_sbom_diff(&d, as, b), 0);
    assert_int_equal(d->count[CT_SBOM_UPGRADED], 1);
    assert_int_equal(d->count[CT_SBOM_DOWNGRADED], 1);
    assert_int_equal(d->count[CT_SBOM_CHANGED], 1);
    assert_int_equal(d->count[CT_SBOM_ADDED], 1);
    assert_int_equal(d->count[CT_SBOM_REMOVED], 2);
    const ct_sbom_diff_entry *e = find(d, "name:/redis-commander/application");
    assert_int_equal(e->change, CT_SBOM_REMOVED);
    assert_string_equal(find(d, p.id_up)->b_version, p.to_up);
    assert_int_equal(find(d, p.id_rm)->change, CT_SBOM_REMOVED);
    assert_int_equal(find(d, p.id_hash)->fields & CT_SBOM_DIFF_HASHES, CT_SBOM_DIFF_HASHES);
    assert_int_equal(find(d, p.id_sup)->fields & CT_SBOM_DIFF_SUPPLIER, CT_SBOM_DIFF_SUPPLIER);

    plan_free(&p);
    ct_buf_dispose(&out);
    ct_sbom_diff_free(d);
    ct_sbom_free(as);
    ct_sbom_free(a);
    ct_sbom_free(b);
}

static void test_sbom_diff__same_document_is_empty(void **state)
{
    ct_sbom *a = load(REAL), *b = load(REAL);
    ct_sbom_diff_result *d = NULL;
    (void)state;
    assert_int_equal(ct_sbom_diff(&d, a, b), 0);
    assert_int_equal(d->nentries, 0);
    assert_int_equal(d->unchanged, a->ncomponents);
    ct_sbom_diff_free(d);
    ct_sbom_free(a);
    ct_sbom_free(b);
}

#define DOC(comps)                                                                                 \
    "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"version\":1,\"components\":[" comps "]}"

/* purl type scheme (deb epoch, generic), unknown type, CPE without version, name+group+type */
static void test_sbom_diff__identity_fallbacks(void **state)
{
    ct_sbom *a = parse_text(DOC(
        "{\"type\":\"library\",\"name\":\"openssl\",\"purl\":\"pkg:deb/debian/openssl@1:1.0\"},"
        "{\"type\":\"library\",\"name\":\"zlib\",\"purl\":\"pkg:generic/zlib@1.2.11\"},"
        "{\"type\":\"library\",\"name\":\"x\",\"purl\":\"pkg:nosuchtype/x@2\"},"
        "{\"type\":\"firmware\",\"name\":\"bl\",\"version\":\"2020.10\","
        "\"cpe\":\"cpe:2.3:a:denx:u-boot:2020.10:*:*:*:*:*:*:*\"},"
        "{\"type\":\"file\",\"group\":\"g\",\"name\":\"blob\",\"version\":\"1\"},"
        "{\"type\":\"library\",\"name\":\"dup\",\"purl\":\"pkg:npm/dup@1.0.0\"},"
        "{\"type\":\"library\",\"name\":\"dup\",\"purl\":\"pkg:npm/dup@2.0.0\"}"));
    ct_sbom *b = parse_text(DOC(
        "{\"type\":\"library\",\"name\":\"dup\",\"purl\":\"pkg:npm/dup@2.0.0\"},"
        "{\"type\":\"library\",\"name\":\"dup\",\"purl\":\"pkg:npm/dup@1.5.0\"},"
        "{\"type\":\"file\",\"group\":\"g\",\"name\":\"blob\",\"version\":\"2\"},"
        "{\"type\":\"firmware\",\"name\":\"bl\",\"version\":\"2023.01\","
        "\"cpe\":\"cpe:2.3:a:denx:u-boot:2023.01:*:*:*:*:*:*:*\"},"
        "{\"type\":\"library\",\"name\":\"x\",\"purl\":\"pkg:nosuchtype/x@1\"},"
        "{\"type\":\"library\",\"name\":\"zlib\",\"purl\":\"pkg:generic/zlib@1.2.13\"},"
        "{\"type\":\"library\",\"name\":\"openssl\",\"purl\":\"pkg:deb/debian/openssl@2.0\"}"));
    ct_sbom_diff_result *d = NULL;
    const ct_sbom_diff_entry *e;
    (void)state;

    assert_int_equal(ct_sbom_diff(&d, a, b), 0);
    assert_int_equal(d->nentries, 6);
    assert_int_equal(d->unchanged, 1); /* dup 2.0.0 pairs with 2.0.0 first */
    e = find(d, "pkg:deb/debian/openssl");
    assert_int_equal(e->change, CT_SBOM_DOWNGRADED); /* the epoch wins */
    e = find(d, "pkg:generic/zlib");
    assert_int_equal(e->change, CT_SBOM_UPGRADED);
    e = find(d, "pkg:nosuchtype/x");
    assert_int_equal(e->change, CT_SBOM_CHANGED);
    assert_null(e->scheme);
    e = find(d, "cpe:2.3:a:denx:u-boot:*:*:*:*:*:*:*:*");
    assert_int_equal(e->change, CT_SBOM_CHANGED);
    assert_string_equal(e->a_version, "2020.10");
    e = find(d, "name:g/blob/file");
    assert_int_equal(e->change, CT_SBOM_CHANGED);
    e = find(d, "pkg:npm/dup");
    assert_int_equal(e->change, CT_SBOM_UPGRADED);
    assert_string_equal(e->a_version, "1.0.0");
    assert_string_equal(e->b_version, "1.5.0");
    ct_sbom_diff_free(d);
    ct_sbom_free(a);
    ct_sbom_free(b);
}

/* a model built here: components named name (no purl: the name identity) with versions v[] */
static ct_sbom *group_model(const char *name, const char *const *v, size_t n)
{
    ct_sbom *s = ct_calloc(1, sizeof *s);
    assert_non_null(s);
    for (size_t i = 0; i < n; i++) {
        ct_component *c = NULL;
        assert_int_equal(ct_sbom_component_add(&c, s), 0);
        set(s, &c->type, "library");
        set(s, &c->name, name);
        set(s, &c->version, v[i]);
    }
    return s;
}

/* Many components of one identity (the sorted pairing of large groups): every version present
 * on both sides pairs as unchanged whatever the order, repeats pair one to one, the rest are
 * added; the same answers a small group gets from the plain loop. */
static void test_sbom_diff__large_identity_group(void **state)
{
    char va[30][8], vb[33][8];
    const char *pa[30], *pb[33];
    (void)state;
    for (int i = 0; i < 30; i++) {
        snprintf(va[i], sizeof va[i], "v%d", i);
        snprintf(vb[i], sizeof vb[i], "v%d", 29 - i); /* reversed */
        pa[i] = va[i];
        pb[i] = vb[i];
    }
    snprintf(vb[30], sizeof vb[30], "v0"); /* a second v0: added */
    snprintf(vb[31], sizeof vb[31], "n1");
    snprintf(vb[32], sizeof vb[32], "n2");
    for (int i = 30; i < 33; i++)
        pb[i] = vb[i];
    ct_sbom *a = group_model("lib", pa, 30), *b = group_model("lib", pb, 33);
    ct_sbom_diff_result *d = NULL;
    assert_int_equal(ct_sbom_diff(&d, a, b), 0);
    assert_int_equal(d->unchanged, 30);
    assert_int_equal(d->nentries, 3);
    assert_int_equal(d->count[CT_SBOM_ADDED], 3);
    ct_sbom_diff_free(d);
    /* the other way round: 3 removed; and a small group (plain loop) agrees */
    assert_int_equal(ct_sbom_diff(&d, b, a), 0);
    assert_int_equal(d->unchanged, 30);
    assert_int_equal(d->count[CT_SBOM_REMOVED], 3);
    ct_sbom_diff_free(d);
    ct_sbom_free(a);
    ct_sbom_free(b);
    a = group_model("lib", pa + 27, 3);
    b = group_model("lib", pb, 3); /* v29 v28 v27 */
    assert_int_equal(ct_sbom_diff(&d, a, b), 0);
    assert_int_equal(d->unchanged, 3);
    assert_int_equal(d->nentries, 0);
    ct_sbom_diff_free(d);
    ct_sbom_free(a);
    ct_sbom_free(b);
    /* repeats: ten "1" against twelve "1" */
    const char *ones[12] = { "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1" };
    a = group_model("rep", ones, 10);
    b = group_model("rep", ones, 12);
    assert_int_equal(ct_sbom_diff(&d, a, b), 0);
    assert_int_equal(d->unchanged, 10);
    assert_int_equal(d->count[CT_SBOM_ADDED], 2);
    assert_int_equal(d->nentries, 2);
    ct_sbom_diff_free(d);
    ct_sbom_free(a);
    ct_sbom_free(b);
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
        cmocka_unit_test(test_sbom_diff__modified_copy_exact_delta),
        cmocka_unit_test(test_sbom_diff__spdx_against_cyclonedx),
        cmocka_unit_test(test_sbom_diff__same_document_is_empty),
        cmocka_unit_test(test_sbom_diff__identity_fallbacks),
        cmocka_unit_test(test_sbom_diff__large_identity_group),
    };
    char *real = ct_test_shared_path(REAL);
    if (!real) {
        printf("skipped: ../shared/%s is absent\n", REAL);
        return CT_TEST_SKIP;
    }
    ct_free(real);
    return cmocka_run_group_tests(tests, setup, teardown);
}

/* The CycloneDX XML C rules (src/sbom/validate_xml.c, no schema engine) against libxml2's XSD
 * validator on bom-1.x.xsd, compiled here once per version as the oracle:
 *  - every valid-* fixture of the CycloneDX tools test resources (1.4-1.7) is accepted and every
 *    invalid-* one rejected by the C rules alone (the folder supplies only the SPDX licence ids);
 *  - over every fixture and deterministic mutations of the valid ones (drop, duplicate, rename an
 *    element, swap siblings, bad attribute value, unknown or dropped attribute, bad or empty
 *    text, non-hex hash), the C rules never reject a document the XSD accepts (no false
 *    positives; the semantic checks, which the XSD does not make, are counted apart), and what
 *    the XSD rejects but the C rules accept is counted by mutation kind and printed
 *    (docs/sbom.md lists those classes).
 * Skips (77) when ../shared is absent. */
#include "ct_test.h"

#include "cratrace/sbom_validate.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *res_root, *schema_dir;
static xmlSchemaPtr xsd[8]; /* by minor */
static ct_ctx *g_ctx;

#define MUTATIONS_PER_FIXTURE 20

static void quiet(void *payload, xmlErrorPtr e)
{
    (void)payload;
    (void)e;
}

/* bom-1.x.xsd with its spdx import pointed at the local spdx.xsd (never the network) */
static xmlSchemaPtr compile_xsd(int minor)
{
    static const char remote[] = "schemaLocation=\"http://cyclonedx.org/schema/spdx\"";
    char path[PATH_MAX], spdx[PATH_MAX], abs[PATH_MAX];
    char *text, *hit;
    size_t len;
    ct_buf b = CT_BUF_INIT;
    xmlDocPtr doc;
    xmlSchemaParserCtxtPtr pc;
    xmlSchemaPtr s;

    snprintf(path, sizeof path, "%s/bom-1.%d.xsd", schema_dir, minor);
    snprintf(spdx, sizeof spdx, "%s/spdx.xsd", schema_dir);
    if (spdx[0] == '/')
        snprintf(abs, sizeof abs, "%s", spdx);
    else {
        assert_non_null(getcwd(abs, sizeof abs));
        strncat(abs, "/", sizeof abs - strlen(abs) - 1);
        strncat(abs, spdx, sizeof abs - strlen(abs) - 1);
    }
    text = ct_test_read(path, &len);
    hit = strstr(text, remote);
    assert_non_null(hit);
    ct_buf_put(&b, text, (size_t)(hit - text));
    ct_buf_printf(&b, "schemaLocation=\"file://%s\"", abs);
    ct_buf_puts(&b, hit + sizeof remote - 1);
    assert_false(b.failed);
    doc = xmlReadMemory(b.ptr, (int)b.len, path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR);
    assert_non_null(doc);
    pc = xmlSchemaNewDocParserCtxt(doc);
    xmlSchemaSetParserStructuredErrors(pc, quiet, NULL);
    s = xmlSchemaParse(pc);
    assert_non_null(s);
    xmlSchemaFreeParserCtxt(pc);
    xmlFreeDoc(doc);
    ct_buf_dispose(&b);
    ct_free(text);
    return s;
}

static bool xsd_accepts(xmlDocPtr doc, int minor)
{
    xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(xsd[minor]);
    int rc;
    assert_non_null(vc);
    xmlSchemaSetValidStructuredErrors(vc, quiet, NULL);
    rc = xmlSchemaValidateDoc(vc, doc);
    xmlSchemaFreeValidCtxt(vc);
    return rc == 0;
}

/* findings of the semantic checks, which no XSD makes */
static bool semantic(const char *msg)
{
    return strstr(msg, "invalid purl") || strstr(msg, "names no bom-ref") ||
           strstr(msg, "duplicate bom-ref");
}

typedef struct {
    bool valid;      /* no finding at all */
    bool structural; /* no finding but semantic ones */
    char first[300]; /* the first structural finding */
} verdict;

static verdict c_rules(const char *data, size_t len, const char *name)
{
    ct_sbom_validate_options o = CT_SBOM_VALIDATE_OPTIONS_INIT;
    ct_sbom_report *r = NULL;
    verdict v = { true, true, "" };
    o.schema_dir = schema_dir;
    o.xsd = CT_SBOM_XSD_OFF;
    assert_int_equal(ct_sbom_validate_ex(&r, g_ctx, data, len, name, &o), CT_OK);
    assert_false(r->schema_checked);
    v.valid = r->valid;
    for (size_t i = 0; i < r->nerrors; i++)
        if (!semantic(r->errors[i].message) && v.structural) {
            v.structural = false;
            snprintf(v.first, sizeof v.first, "%s: %s", r->errors[i].location,
                     r->errors[i].message);
        }
    ct_sbom_report_free(r);
    return v;
}

/* 4..7 for a <bom> root in http://cyclonedx.org/schema/bom/1.x, else 0 (no schema of ours
 * declares that root: the XSD rejects it) */
static int minor_of(xmlDocPtr doc)
{
    static const char prefix[] = "http://cyclonedx.org/schema/bom/1.";
    xmlNodePtr root = xmlDocGetRootElement(doc);
    const char *href = root && root->ns ? (const char *)root->ns->href : "";
    if (!root || strcmp((const char *)root->name, "bom") != 0 ||
        strncmp(href, prefix, sizeof prefix - 1) != 0 || strlen(href) != sizeof prefix ||
        href[sizeof prefix - 1] < '4' || href[sizeof prefix - 1] > '7')
        return 0;
    return href[sizeof prefix - 1] - '0';
}

/* ---- fixtures -------------------------------------------------------------------------------- */

typedef struct {
    char **paths;
    size_t n;
} fixture_list;

static fixture_list list_fixtures(void)
{
    static const char *const versions[] = { "1.4", "1.5", "1.6", "1.7" };
    fixture_list fl = { NULL, 0 };
    for (size_t vi = 0; vi < CT_NELEM(versions); vi++) {
        char dir[PATH_MAX];
        ct_test_files files = CT_TEST_FILES_INIT;
        static const char *const exts[] = { ".xml", NULL };
        snprintf(dir, sizeof dir, "%s/%s", res_root, versions[vi]);
        ct_test_collect(&files, dir, exts);
        for (size_t i = 0; i < files.n; i++) {
            const char *base = strrchr(files.paths[i], '/') + 1;
            if (strncmp(base, "valid-", 6) != 0 && strncmp(base, "invalid-", 8) != 0)
                continue;
            fl.paths = ct_reallocarray(fl.paths, fl.n + 1, sizeof *fl.paths);
            fl.paths[fl.n++] = ct_strdup(files.paths[i]);
        }
        ct_test_files_free(&files);
    }
    return fl;
}

static void fixture_list_free(fixture_list *fl)
{
    for (size_t i = 0; i < fl->n; i++)
        ct_free(fl->paths[i]);
    ct_free(fl->paths);
}

static bool want_valid(const char *path)
{
    return strncmp(strrchr(path, '/') + 1, "valid-", 6) == 0;
}

/* All fixtures, C rules alone: 100 % (and the XSD oracle agrees with every fixture's name). */
static void test_validate_xml_rules__fixtures(void **state)
{
    fixture_list fl = list_fixtures();
    size_t ok[2] = { 0, 0 }, cnt[2] = { 0, 0 }, xsd_ok = 0;
    (void)state;
    assert_true(fl.n > 250);
    for (size_t i = 0; i < fl.n; i++) {
        size_t len;
        char *text = ct_test_read(fl.paths[i], &len);
        bool want = want_valid(fl.paths[i]);
        verdict v = c_rules(text, len, fl.paths[i]);
        xmlDocPtr doc = xmlReadMemory(text, (int)len, NULL, NULL,
                                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
        cnt[!want]++;
        if (v.valid == want)
            ok[!want]++;
        else
            printf("  C rules %s %s (%s)\n", want ? "reject" : "accept", fl.paths[i], v.first);
        if (doc && minor_of(doc) && xsd_accepts(doc, minor_of(doc)) == want)
            xsd_ok++;
        else if ((!doc || !minor_of(doc)) && !want)
            xsd_ok++; /* not well-formed, or no CycloneDX root: no schema accepts it */
        else
            printf("  XSD oracle %s %s\n", want ? "rejects" : "accepts", fl.paths[i]);
        xmlFreeDoc(doc);
        ct_free(text);
    }
    printf("C rules, no XSD: valid %zu/%zu accepted, invalid %zu/%zu rejected; "
           "XSD oracle %zu/%zu\n",
           ok[0], cnt[0], ok[1], cnt[1], xsd_ok, fl.n);
    assert_int_equal(ok[0], cnt[0]);
    assert_int_equal(ok[1], cnt[1]);
    assert_int_equal(xsd_ok, fl.n);
    fixture_list_free(&fl);
}

/* ---- mutations ------------------------------------------------------------------------------- */

enum {
    M_DROP,       /* remove an element */
    M_DUP,        /* duplicate an element next to itself */
    M_RENAME,     /* rename an element to one the schema does not know */
    M_SWAP,       /* swap an element with its next element sibling */
    M_BAD_VALUE,  /* an attribute's value becomes "bogus" */
    M_NEW_ATTR,   /* an unknown attribute is added */
    M_DROP_ATTR,  /* an attribute is removed */
    M_BAD_TEXT,   /* a leaf element's text becomes "bogus value" */
    M_EMPTY_TEXT, /* a leaf element's text is emptied */
    M_NONHEX,     /* a hash's content gets a non-hex digit */
    M_KINDS
};
static const char *const kind_names[M_KINDS] = {
    "drop element", "duplicate element", "rename element", "swap siblings",
    "bad attribute value", "unknown attribute", "drop attribute", "bad text value",
    "empty text", "non-hex hash",
};

static uint64_t next_rand(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

typedef struct {
    xmlNodePtr *v;
    size_t n, cap;
} nodes;

static void collect(nodes *ns, xmlNodePtr n, bool (*want)(xmlNodePtr))
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (want(n)) {
            if (ns->n == ns->cap) {
                ns->cap = ns->cap ? ns->cap * 2 : 64;
                ns->v = ct_reallocarray(ns->v, ns->cap, sizeof *ns->v);
            }
            ns->v[ns->n++] = n;
        }
        collect(ns, n->children, want);
    }
}

static bool any_el(xmlNodePtr n)
{
    return n->parent && n->parent->type == XML_ELEMENT_NODE; /* not the root */
}
static bool with_attr(xmlNodePtr n)
{
    return n->properties != NULL;
}
static bool leaf(xmlNodePtr n)
{
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            return false;
    return n->parent && n->parent->type == XML_ELEMENT_NODE;
}
static bool with_next(xmlNodePtr n)
{
    for (xmlNodePtr c = n->next; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            return strcmp((const char *)c->name, (const char *)n->name) != 0;
    return false;
}
static bool is_hash(xmlNodePtr n)
{
    return strcmp((const char *)n->name, "hash") == 0;
}

static xmlNodePtr pick(xmlDocPtr doc, bool (*want)(xmlNodePtr), uint64_t *rs)
{
    nodes ns = { NULL, 0, 0 };
    xmlNodePtr r = NULL;
    collect(&ns, xmlDocGetRootElement(doc), want);
    if (ns.n)
        r = ns.v[next_rand(rs) % ns.n];
    ct_free(ns.v);
    return r;
}

static xmlAttrPtr pick_attr(xmlNodePtr n, uint64_t *rs)
{
    size_t k = 0;
    xmlAttrPtr a;
    for (a = n->properties; a; a = a->next)
        k++;
    k = next_rand(rs) % k;
    for (a = n->properties; k; a = a->next)
        k--;
    return a;
}

/* Apply mutation kind to doc; false when the document offers no place for it. */
static bool mutate(xmlDocPtr doc, int kind, uint64_t *rs)
{
    xmlNodePtr n, m;
    xmlAttrPtr a;
    switch (kind) {
    case M_DROP:
        if (!(n = pick(doc, any_el, rs)))
            return false;
        xmlUnlinkNode(n);
        xmlFreeNode(n);
        return true;
    case M_DUP:
        if (!(n = pick(doc, any_el, rs)))
            return false;
        m = xmlCopyNode(n, 1);
        xmlAddNextSibling(n, m);
        return true;
    case M_RENAME: {
        char name[200];
        if (!(n = pick(doc, any_el, rs)))
            return false;
        snprintf(name, sizeof name, "%sX", (const char *)n->name);
        xmlNodeSetName(n, (const xmlChar *)name);
        return true;
    }
    case M_SWAP:
        if (!(n = pick(doc, with_next, rs)))
            return false;
        for (m = n->next; m->type != XML_ELEMENT_NODE; m = m->next)
            ;
        xmlUnlinkNode(n);
        xmlAddNextSibling(m, n);
        return true;
    case M_BAD_VALUE:
        if (!(n = pick(doc, with_attr, rs)) || !(a = pick_attr(n, rs)) || a->ns)
            return false;
        xmlSetProp(n, a->name, (const xmlChar *)"bogus");
        return true;
    case M_NEW_ATTR:
        if (!(n = pick(doc, any_el, rs)))
            return false;
        xmlSetProp(n, (const xmlChar *)"bogus", (const xmlChar *)"1");
        return true;
    case M_DROP_ATTR:
        if (!(n = pick(doc, with_attr, rs)) || !(a = pick_attr(n, rs)))
            return false;
        xmlRemoveProp(a);
        return true;
    case M_BAD_TEXT:
    case M_EMPTY_TEXT:
        if (!(n = pick(doc, leaf, rs)))
            return false;
        xmlNodeSetContent(n, (const xmlChar *)(kind == M_BAD_TEXT ? "bogus value" : ""));
        return true;
    case M_NONHEX:
        if (!(n = pick(doc, is_hash, rs)))
            return false;
        {
            xmlChar *t = xmlNodeGetContent(n);
            size_t len = t ? strlen((const char *)t) : 0;
            if (len)
                t[next_rand(rs) % len] = 'g';
            xmlNodeSetContent(n, t ? t : (const xmlChar *)"g");
            xmlFree(t);
        }
        return true;
    default:
        return false;
    }
}

typedef struct {
    size_t total, xsd_rejects, c_rejects, missed, false_pos, semantic_only;
} kind_stats;

static void test_validate_xml_rules__mutations(void **state)
{
    fixture_list fl = list_fixtures();
    kind_stats st[M_KINDS];
    size_t nvalid = 0, false_pos = 0, total = 0;
    (void)state;
    memset(st, 0, sizeof st);
    for (size_t i = 0; i < fl.n; i++) {
        size_t len;
        char *text;
        xmlDocPtr orig;
        int minor;
        if (!want_valid(fl.paths[i]))
            continue;
        text = ct_test_read(fl.paths[i], &len);
        orig = xmlReadMemory(text, (int)len, NULL, NULL,
                             XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
        assert_non_null(orig);
        minor = minor_of(orig);
        assert_true(minor >= 4 && minor <= 7);
        nvalid++;
        for (int k = 0; k < MUTATIONS_PER_FIXTURE; k++) {
            uint64_t rs = (uint64_t)i * 1000003u + (uint64_t)k;
            int kind = (int)(next_rand(&rs) % M_KINDS);
            xmlDocPtr doc = xmlCopyDoc(orig, 1);
            xmlChar *out = NULL;
            int outlen = 0;
            bool xsd_ok;
            verdict v;
            if (!mutate(doc, kind, &rs)) {
                xmlFreeDoc(doc);
                continue;
            }
            xmlDocDumpMemory(doc, &out, &outlen);
            assert_non_null(out);
            xsd_ok = xsd_accepts(doc, minor);
            v = c_rules((const char *)out, (size_t)outlen, fl.paths[i]);
            st[kind].total++;
            total++;
            st[kind].xsd_rejects += !xsd_ok;
            st[kind].c_rejects += !v.structural;
            if (!xsd_ok && v.structural)
                st[kind].missed++;
            if (xsd_ok && !v.structural) {
                st[kind].false_pos++;
                false_pos++;
                printf("  FALSE POSITIVE %s, mutation %d (%s): %s\n", fl.paths[i], k,
                       kind_names[kind], v.first);
            }
            if (xsd_ok && v.structural && !v.valid)
                st[kind].semantic_only++;
            xmlFree(out);
            xmlFreeDoc(doc);
        }
        xmlFreeDoc(orig);
        ct_free(text);
    }
    printf("%zu mutations of %zu valid fixtures (C rules vs the XSD):\n", total, nvalid);
    printf("  %-20s %6s %6s %6s %8s %6s %9s\n", "kind", "total", "XSD-", "C-", "missed",
           "C-only", "semantic");
    for (int k = 0; k < M_KINDS; k++)
        printf("  %-20s %6zu %6zu %6zu %8zu %6zu %9zu\n", kind_names[k], st[k].total,
               st[k].xsd_rejects, st[k].c_rejects, st[k].missed, st[k].false_pos,
               st[k].semantic_only);
    assert_true(total > 2000);
    assert_int_equal(false_pos, 0);
    fixture_list_free(&fl);
}

static int setup(void **state)
{
    (void)state;
    g_ctx = ct_test_ctx();
    for (int m = 4; m <= 7; m++)
        xsd[m] = compile_xsd(m);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (int m = 4; m <= 7; m++)
        xmlSchemaFree(xsd[m]);
    ct_ctx_free(g_ctx);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_validate_xml_rules__fixtures),
        cmocka_unit_test(test_validate_xml_rules__mutations),
    };
    int rc;
    res_root = ct_test_shared_path("conformance/cyclonedx/tools/src/test/resources");
    schema_dir = ct_test_shared_path("conformance/cyclonedx/schema");
    if (!res_root || !schema_dir) {
        printf("skipped: ../shared/conformance/cyclonedx (fixtures and schema) is absent\n");
        ct_free(res_root);
        ct_free(schema_dir);
        return CT_TEST_SKIP;
    }
    rc = cmocka_run_group_tests(tests, setup, teardown);
    ct_free(res_root);
    ct_free(schema_dir);
    return rc;
}

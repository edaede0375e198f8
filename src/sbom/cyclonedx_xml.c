/* CycloneDX XML 1.0-1.7 reader into the format-neutral model (the same one the JSON reader
 * fills). Per spec version only the elements that version defines are read (xml_specs below:
 * bom-ref, serialNumber and licence expressions from 1.1, several <id>s or <name>s in one
 * <license> in 1.0 only, metadata and supplier from 1.2, dependencies in the core namespace from
 * 1.2 and in the dependency-graph extension namespace in 1.1); what the model does not hold
 * (description, scope, copyright, modified, pedigree, externalReferences, properties, ...) is
 * skipped, as for 1.4-1.7. libxml2 with XML_PARSE_NONET | XML_PARSE_NOBLANKS, never
 * NOENT/DTDLOAD/HUGE; a document with a DOCTYPE is refused outright, and entity references
 * are never expanded (only text and CDATA children are read). Errors carry the libxml2 line.
 *
 * One pass (issue 5, xmlone): ct_sbom_parse_cyclonedx_xml first reads the model from the SAX
 * events of a push parser that builds no tree (validate_xml.c drives it; ct_sbom_parse_validate
 * uses the validator's own pass), with the builder below ("the same model from SAX2 events");
 * only a document that builder leaves (one the tree reader refuses, or cannot be sure of) is read
 * by the tree reader, whose errors are the ones reported.
 *
 * Memory (issue 5): the tree reader streams with libxml2's xmlTextReader, not one DOM; only one
 * top-level <component> (with its nested ones), one <dependency> or <metadata> is expanded into
 * a tree at a time, read by the tree code below and freed by the reader as it moves on. Model strings go to the model's arena (model.c). Errors keep the DOM reader's
 * order: a document that is not well-formed (anywhere) reports the libxml2 error, then a
 * DOCTYPE, then the first error of the model (after the rest of the document was checked). */
#include "cratrace/sbom.h"
#include "base/bigmem.h"
#include "sbom/model_int.h"
#include "sbom/xml_reader_int.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h> /* IS_BLANK_CH */
#include <libxml/tree.h>
#include <libxml/xmlreader.h>
#include <limits.h>
#include <string.h>

#define CDX_NS_PREFIX "http://cyclonedx.org/schema/bom/"
/* CycloneDX 1.1 only: the dependency graph is an extension (core <dependencies> from 1.2) */
#define CDX_DG_NS "http://cyclonedx.org/schema/ext/dependency-graph/1.0"

/* What each XML spec version defines of what the model holds (bom-1.0.xsd .. bom-1.7.xsd). */
typedef struct {
    const char *spec;
    bool v11;      /* 1.1 on: component/@bom-ref, bom/@serialNumber, licenses/expression, one
                    * <id> or <name> per <license> (1.0: one or more <id>, or of <name>) */
    bool metadata; /* bom/metadata/component and component/supplier: 1.2 on */
    int deps;      /* 0 none (1.0), 1 dependency-graph extension (1.1), 2 core (1.2 on) */
} xml_spec;

static const xml_spec xml_specs[] = {
    { "1.0", false, false, 0 }, { "1.1", true, false, 1 }, { "1.2", true, true, 2 },
    { "1.3", true, true, 2 },   { "1.4", true, true, 2 },  { "1.5", true, true, 2 },
    { "1.6", true, true, 2 },   { "1.7", true, true, 2 },
};

typedef struct {
    const ct_ctx *ctx;
    const char *source;
    ct_sbom *sbom;
    ct_buf tmp, out; /* element text; hashes / licences being joined */
    const xml_spec *spec;
    ct_sbom_intern cache; /* short model strings stored once */
} xreader;

static int oom(void)
{
    return ct_error_set(CT_ENOMEM, "out of memory");
}

static int xerr(const xreader *r, const xmlNode *n, int code, const char *what)
{
    ct_loc loc = CT_LOC_INIT;
    loc.source = r->source;
    loc.line = n ? (uint32_t)xmlGetLineNo(n) : 0;
    return ct_error_set_at(&loc, code, "%s", what);
}

/* An element in the document's CycloneDX namespace with this local name. */
static bool is_el(const xmlNode *n, const char *ns, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           strcmp((const char *)n->ns->href, ns) == 0 &&
           strcmp((const char *)n->name, name) == 0;
}

static const xmlNode *child(const xmlNode *n, const char *ns, const char *name)
{
    for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (is_el(c, ns, name))
            return c;
    return NULL;
}

/* Text of element n into r->tmp (NUL-terminated): its text and CDATA children only (entity
 * references are not expanded). */
static int text_tmp(xreader *r, const xmlNode *n)
{
    ct_buf_reset(&r->tmp);
    for (const xmlNode *c = n->children; c; c = c->next)
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
            ct_buf_puts(&r->tmp, (const char *)c->content);
    ct_buf_putc(&r->tmp, '\0');
    if (r->tmp.failed)
        return oom();
    r->tmp.len--;
    if (r->tmp.len > ct_ctx_limits(r->ctx)->max_string_bytes)
        return xerr(r, n, CT_ELIMIT, "element text longer than max_string_bytes");
    return 0;
}

/* Text of an element (text_tmp) in the model's arena; *out NULL when n is NULL. */
static int text_of(char **out, xreader *r, const xmlNode *n)
{
    int rc;
    *out = NULL;
    if (!n)
        return 0;
    if ((rc = text_tmp(r, n)) < 0)
        return rc;
    if (!(*out = ct_sbom__arena_str(r->sbom, &r->cache, r->tmp.ptr, r->tmp.len)))
        return oom();
    return 0;
}

static int child_text(char **out, xreader *r, const xmlNode *n, const char *ns, const char *name)
{
    return text_of(out, r, child(n, ns, name));
}

/* Attribute value without a namespace in the model's arena; *out NULL when absent. */
static int attr(char **out, xreader *r, const xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
    *out = NULL;
    if (!v)
        return 0;
    *out = ct_sbom__arena_str(r->sbom, &r->cache, (const char *)v, strlen((const char *)v));
    xmlFree(v);
    return *out ? 0 : oom();
}

/* <hashes><hash alg="SHA-256">hex</hash></hashes> → the JSON text the JSON reader produces */
static int read_hashes(char **out, xreader *r, const xmlNode *comp, const char *ns)
{
    const xmlNode *hs = child(comp, ns, "hashes");
    ct_buf *b = &r->out;
    bool any = false;
    int rc = 0;

    *out = NULL;
    if (!hs)
        return 0;
    ct_buf_reset(b);
    ct_buf_putc(b, '[');
    for (const xmlNode *h = hs->children; h && rc == 0; h = h->next) {
        xmlChar *alg;
        if (!is_el(h, ns, "hash"))
            continue;
        alg = xmlGetNoNsProp(h, (const xmlChar *)"alg");
        if ((rc = text_tmp(r, h)) == 0) {
            if (!alg || !r->tmp.len) {
                rc = xerr(r, h, CT_EPARSE, "a <hash> needs an \"alg\" attribute and content");
            } else {
                if (any)
                    ct_buf_putc(b, ',');
                ct_buf_puts(b, "{\"alg\":");
                ct_buf_json_str(b, (const char *)alg);
                ct_buf_puts(b, ",\"content\":");
                ct_buf_json_str(b, r->tmp.ptr);
                ct_buf_putc(b, '}');
                any = true;
            }
        }
        xmlFree(alg);
    }
    ct_buf_putc(b, ']');
    if (rc == 0 && b->failed)
        rc = oom();
    if (rc == 0 && any && !(*out = ct_sbom__arena_strndup(r->sbom, b->ptr, b->len)))
        rc = oom();
    return rc;
}

/* Append v to b, " AND "-separated; empty or NULL v adds nothing. */
static void and_join(ct_buf *b, const char *v)
{
    if (!v || !*v)
        return;
    if (b->len)
        ct_buf_puts(b, " AND ");
    ct_buf_puts(b, v);
}

/* <licenses><license><id|name/></license><expression/></licenses> → "A AND B"; 1.0 has no
 * <expression> and allows several <id> (or several <name>) in one <license>. */
static int read_licenses(char **out, xreader *r, const xmlNode *comp, const char *ns)
{
    const xmlNode *ls = child(comp, ns, "licenses");
    ct_buf *b = &r->out;
    int rc = 0;

    *out = NULL;
    if (!ls)
        return 0;
    ct_buf_reset(b);
    for (const xmlNode *l = ls->children; l && rc == 0; l = l->next) {
        const xmlNode *t = NULL;
        if (r->spec->v11 && is_el(l, ns, "expression")) {
            t = l;
        } else if (r->spec->v11 && is_el(l, ns, "license")) {
            const xmlNode *id = child(l, ns, "id");
            t = id ? id : child(l, ns, "name");
        } else if (is_el(l, ns, "license")) {
            const char *which = child(l, ns, "id") ? "id" : "name";
            for (const xmlNode *x = l->children; x && rc == 0; x = x->next)
                if (is_el(x, ns, which) && (rc = text_tmp(r, x)) == 0)
                    and_join(b, r->tmp.ptr);
            continue;
        }
        if (t && (rc = text_tmp(r, t)) == 0)
            and_join(b, r->tmp.ptr);
    }
    if (rc == 0 && b->failed)
        rc = oom();
    if (rc == 0 && b->len &&
        !(*out = ct_sbom__arena_str(r->sbom, &r->cache, b->ptr, b->len)))
        rc = oom();
    return rc;
}

static int read_components(xreader *r, const xmlNode *list, const char *ns, uint32_t depth);

static int read_component(xreader *r, const xmlNode *c, const char *ns, uint32_t depth)
{
    ct_sbom *s = r->sbom;
    ct_component *comp;
    const xmlNode *nested;
    int rc;

    if (s->ncomponents >= ct_ctx_limits(r->ctx)->max_components)
        return xerr(r, c, CT_ELIMIT, "more components than max_components");
    if (s->ncomponents == s->components_cap) {
        size_t ncap = s->components_cap ? s->components_cap * 2 : 64;
        ct_component *nc = ct_reallocarray(s->components, ncap, sizeof *nc);
        if (!nc)
            return oom();
        s->components = nc;
        s->components_cap = ncap;
    }
    comp = &s->components[s->ncomponents++];
    memset(comp, 0, sizeof *comp);
    comp->depth = depth;
    if ((rc = attr(&comp->type, r, c, "type")) < 0 ||
        (r->spec->v11 && (rc = attr(&comp->bom_ref, r, c, "bom-ref")) < 0) ||
        (rc = child_text(&comp->name, r, c, ns, "name")) < 0 ||
        (rc = child_text(&comp->group, r, c, ns, "group")) < 0 ||
        (rc = child_text(&comp->version, r, c, ns, "version")) < 0 ||
        (rc = child_text(&comp->purl, r, c, ns, "purl")) < 0 ||
        (rc = child_text(&comp->cpe, r, c, ns, "cpe")) < 0 ||
        (r->spec->metadata &&
         (rc = child_text(&comp->supplier, r, child(c, ns, "supplier"), ns, "name")) < 0) ||
        (rc = read_hashes(&comp->hashes, r, c, ns)) < 0 ||
        (rc = read_licenses(&comp->licenses, r, c, ns)) < 0)
        return rc;
    if (!comp->name)
        return xerr(r, c, CT_EPARSE, "component has no <name> (required)");
    if (!comp->type)
        return xerr(r, c, CT_EPARSE, "component has no \"type\" attribute (required)");
    /* comp may move when nested components grow the array: done with it here */
    if ((nested = child(c, ns, "components")))
        return read_components(r, nested, ns, depth + 1);
    return 0;
}

static int read_components(xreader *r, const xmlNode *list, const char *ns, uint32_t depth)
{
    int rc = 0;
    if ((int)depth > ct_ctx_limits(r->ctx)->max_depth)
        return xerr(r, list, CT_ELIMIT, "components nested too deep");
    for (const xmlNode *c = list->children; c && rc == 0; c = c->next)
        if (is_el(c, ns, "component"))
            rc = read_component(r, c, ns, depth);
    return rc;
}

/* ref is an arena string shared by all dependencies of one <dependency> */
static int add_dep(xreader *r, char *ref, const char *on)
{
    ct_sbom *s = r->sbom;
    ct_dependency *d;
    if (s->ndeps == s->deps_cap) {
        size_t ncap = s->deps_cap ? s->deps_cap * 2 : 64;
        ct_dependency *nd = ct_reallocarray(s->deps, ncap, sizeof *nd);
        if (!nd)
            return oom();
        s->deps = nd;
        s->deps_cap = ncap;
    }
    d = &s->deps[s->ndeps];
    d->ref = ref;
    if (!(d->depends_on = ct_sbom__arena_str(s, &r->cache, on, strlen(on))))
        return oom();
    s->ndeps++;
    return 0;
}

/* One <dependency ref="a"><dependency ref="b"/></dependency> of the graph, in namespace ns */
static int read_dependency(xreader *r, const xmlNode *d, const char *ns)
{
    char *ref = NULL;
    int rc;
    if ((rc = attr(&ref, r, d, "ref")) < 0)
        return rc;
    if (!ref)
        return xerr(r, d, CT_EPARSE, "<dependency> has no \"ref\" attribute");
    for (const xmlNode *t = d->children; t && rc == 0; t = t->next) {
        xmlChar *on;
        if (!is_el(t, ns, "dependency"))
            continue;
        if (!(on = xmlGetNoNsProp(t, (const xmlChar *)"ref")))
            return xerr(r, t, CT_EPARSE, "<dependency> has no \"ref\" attribute");
        rc = add_dep(r, ref, (const char *)on);
        xmlFree(on);
    }
    return rc;
}

/* The root element (attributes only: its children are streamed by read_children) */
static int read_bom(xreader *r, const xmlNode *bom, const char **ns_out)
{
    const char *ns, *spec;
    size_t i;

    if (!bom || strcmp((const char *)bom->name, "bom") != 0)
        return xerr(r, bom, CT_EUNSUPPORTED,
                    "not a CycloneDX document: the root element is not <bom>");
    if (!bom->ns || !bom->ns->href ||
        strncmp((const char *)bom->ns->href, CDX_NS_PREFIX, strlen(CDX_NS_PREFIX)) != 0)
        return xerr(r, bom, CT_EUNSUPPORTED,
                    "<bom> is not in a CycloneDX namespace (http://cyclonedx.org/schema/bom/1.x)");
    ns = (const char *)bom->ns->href;
    spec = ns + strlen(CDX_NS_PREFIX);
    for (i = 0; i < CT_NELEM(xml_specs) && strcmp(spec, xml_specs[i].spec) != 0; i++)
        ;
    if (i == CT_NELEM(xml_specs)) {
        ct_loc loc = CT_LOC_INIT;
        loc.source = r->source;
        loc.line = (uint32_t)xmlGetLineNo(bom);
        return ct_error_set_at(&loc, CT_EUNSUPPORTED,
                               "unsupported CycloneDX XML version \"%.20s\" (expected 1.0 to 1.7)",
                               spec);
    }
    r->spec = &xml_specs[i];
    *ns_out = ns;
    if (!(r->sbom->format = ct_sbom__arena_strndup(r->sbom, "cyclonedx-xml", 13)) ||
        !(r->sbom->spec_version = ct_sbom__arena_strndup(r->sbom, spec, strlen(spec))))
        return oom();
    if (r->spec->v11)
        return attr(&r->sbom->serial_number, r, bom, "serialNumber");
    return 0;
}

typedef int (*item_fn)(xreader *r, const xmlNode *n, const char *ns);

static int item_component(xreader *r, const xmlNode *n, const char *ns)
{
    return read_component(r, n, ns, 0);
}

/* The reader is on the list element (depth 1, not empty): each child element name in
 * item_ns is expanded into a tree, given to fn and freed as the reader moves on. *ret gets the
 * reader's last result (1 = more to read, 0 = end, -1 = XML error). */
static int read_list(xreader *r, xmlTextReaderPtr rd, int *ret, const char *item_ns,
                     const char *name, item_fn fn, const char *ns)
{
    int rc = 0;
    *ret = xmlTextReaderRead(rd); /* into the list */
    while (*ret == 1 && rc == 0 && xmlTextReaderDepth(rd) > 1) {
        if (ct_sbom__xr_at_el(rd, item_ns, name)) {
            const xmlNode *n = xmlTextReaderExpand(rd);
            if (!n) {
                *ret = -1;
                break;
            }
            rc = fn(r, n, ns);
        }
        if (rc == 0)
            *ret = xmlTextReaderNext(rd);
    }
    return rc;
}

/* Everything below <bom>: the first <metadata>, <components> and <dependencies> (in the
 * namespace of the version) are read, the rest is skipped. The reader is on <bom>. */
static int read_children(xreader *r, xmlTextReaderPtr rd, int *ret, const char *ns)
{
    const char *dep_ns = r->spec->deps == 1 ? CDX_DG_NS : ns;
    bool meta = false, comps = false, deps = false;
    int rc = 0;

    if (xmlTextReaderIsEmptyElement(rd))
        return 0;
    *ret = xmlTextReaderRead(rd);
    while (*ret == 1 && rc == 0 && xmlTextReaderDepth(rd) > 0) {
        bool empty = xmlTextReaderIsEmptyElement(rd) == 1;
        if (!meta && r->spec->metadata && ct_sbom__xr_at_el(rd, ns, "metadata")) {
            const xmlNode *m = xmlTextReaderExpand(rd), *mc;
            meta = true;
            if (!m) {
                *ret = -1;
                break;
            }
            mc = child(m, ns, "component");
            if ((rc = child_text(&r->sbom->name, r, mc, ns, "name")) < 0 ||
                (rc = child_text(&r->sbom->version, r, mc, ns, "version")) < 0)
                break;
        } else if (!comps && ct_sbom__xr_at_el(rd, ns, "components")) {
            comps = true;
            if (!empty &&
                ((rc = read_list(r, rd, ret, ns, "component", item_component, ns)) < 0 ||
                 *ret != 1))
                break;
        } else if (!deps && r->spec->deps && ct_sbom__xr_at_el(rd, dep_ns, "dependencies")) {
            deps = true;
            if (!empty &&
                ((rc = read_list(r, rd, ret, dep_ns, "dependency", read_dependency, dep_ns)) <
                     0 ||
                 *ret != 1))
                break;
        }
        *ret = xmlTextReaderNext(rd);
    }
    return rc;
}

/* The document is not well-formed: report it as a libxml2 DOM parse does. The push parser
 * behind xmlTextReader can word (or place) an error differently from the pull parser (an empty
 * document, the end of the input), so the pull parser runs once more over the bytes with a
 * SAX handler that builds nothing: the DOM's error without the DOM's memory. */
static int xml_error(const xreader *r, const char *data, size_t len)
{
    xmlParserCtxtPtr pc = xmlNewParserCtxt();
    const xmlError *e;
    ct_loc loc = CT_LOC_INIT;
    size_t mlen;
    int rc;
    if (!pc)
        return oom();
    memset(pc->sax, 0, sizeof *pc->sax);
    pc->sax->initialized = XML_SAX2_MAGIC;
    xmlFreeDoc(xmlCtxtReadMemory(pc, data, (int)len, NULL, NULL,
                                 XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR |
                                     XML_PARSE_NOWARNING));
    e = xmlCtxtGetLastError(pc);
    loc.source = r->source;
    loc.line = e && e->line > 0 ? (uint32_t)e->line : 0;
    loc.column = e && e->int2 > 0 ? (uint32_t)e->int2 : 0;
    mlen = e && e->message ? strlen(e->message) : 0;
    while (mlen && (e->message[mlen - 1] == '\n' || e->message[mlen - 1] == ' '))
        mlen--;
    rc = ct_error_set_at(&loc, CT_EPARSE, "XML: %.*s", (int)mlen,
                         mlen ? e->message : "not well-formed");
    xmlFreeParserCtxt(pc);
    return rc;
}

static void quiet(void *payload, xmlErrorPtr e)
{
    (void)payload;
    (void)e;
}

/* ---- the same model from SAX2 events: one parse beside the validator (issue 5, xmlone) -------
 * (xml_reader_int.h) Each open element has a frame saying what the tree reader above does with
 * it; elements it never looks at are counted past (skip), not pushed. The text of an element the
 * reader reads is built as its tree holds it: libxml2 with XML_PARSE_NOBLANKS drops a run of
 * blanks when its heuristic (parser.c areBlanks) says the run is formatting; the builder's
 * parser keeps every run (no tree to look at), so the heuristic is replayed here from the same
 * parser state (xml:space, the character after the run) and the text element's children so
 * far. A run it cannot place (a blank run not read from the input buffer) ends the attempt: the
 * reader reads the document instead. So does anything the reader refuses (a missing name or
 * type, a hash without alg or content, too long a text, too many or too deeply nested
 * components, a dependency without ref, not a CycloneDX root), so its error is the one
 * reported, word for word. */

/* what the reader does with an open element */
enum {
    XB_BOM,       /* the root */
    XB_META,      /* the first <metadata> */
    XB_META_COMP, /* its first <component> */
    XB_TEXT,      /* an element whose text is read (target: XT_*) */
    XB_LIST,      /* <components>: its <component>s are read */
    XB_COMP,      /* a component */
    XB_SUPPLIER,  /* a component's first <supplier> */
    XB_HASHES,    /* a component's first <hashes> */
    XB_LICENSES,  /* a component's first <licenses> */
    XB_LICENSE,   /* one <license> in it */
    XB_DEPS,      /* the first <dependencies> */
    XB_DEP,       /* one <dependency> of the graph */
    XB_LEAF,      /* a <dependency> inside one (its ref read at the start) */
};

/* where a text goes */
enum {
    XT_NAME, XT_GROUP, XT_VERSION, XT_PURL, XT_CPE, /* component fields: keep this order */
    XT_SUPPLIER, XT_HASH, XT_EXPR, XT_LIC_ID, XT_LIC_NAME, XT_META_NAME, XT_META_VERSION,
};

/* first-child bits of a frame (seen) */
#define SEEN_FIELD(t) (1u << (t)) /* XT_NAME .. XT_CPE; XB_META_COMP: name, version */
#define SEEN_SUPPLIER (1u << 8)
#define SEEN_HASHES (1u << 9)
#define SEEN_LICENSES (1u << 10)
#define SEEN_COMPONENTS (1u << 11)
#define SEEN_META (1u << 12)
#define SEEN_DEPS (1u << 13)
#define SEEN_ID (1u << 14)
#define SEEN_NAME (1u << 15)

typedef struct {
    uint8_t role, target;
    uint32_t seen;
    uint32_t depth; /* XB_COMP: its depth; XB_LIST: its items' */
    size_t comp;    /* XB_COMP: index in sbom->components */
    char *ref;      /* XB_DEP: the ref (arena) */
} xbframe;

/* names the reader looks at, interned in the parser's dictionary */
#define XB_NAMES(X)                                                                               \
    X(bom) X(metadata) X(components) X(component) X(dependencies) X(dependency) X(name)           \
    X(group) X(version) X(purl) X(cpe) X(supplier) X(hashes) X(hash) X(licenses) X(license)       \
    X(expression) X(id) X(type) X(alg) X(ref) X(serialNumber)

struct ct_sbom__xmb {
    xreader r;             /* the tree reader's state: ctx, sbom, spec, buffers, cache */
    xmlParserCtxtPtr pc;
    struct {
#define X(n) const xmlChar *n;
        XB_NAMES(X)
#undef X
        const xmlChar *bom_ref;
    } nm;
    const xmlChar *ns, *dep_ns; /* the version's namespace; that of its dependency graph */
    xbframe *st;
    size_t depth, cap;     /* frames */
    size_t skip;           /* open elements below the top frame that the reader skips */
    bool failed;           /* the reader reads it (refused, unsure or out of memory) */
    bool root_done;
    /* the open text element (XB_TEXT on top): its text and what its tree children are so far */
    ct_buf text;           /* texts joined later (licence ids and names, expressions) */
    size_t tlen;           /* bytes of the open text (the arena's open string or text) */
    bool t_direct;         /* the open text goes straight to the arena's open string */
    bool t_child, t_first_text, t_last_text;
    /* the <hash> being read: its alg */
    ct_buf alg;
    bool have_alg, hash_any;
    /* the <license> being read: first (1.1 on) or all (1.0) <id> and <name> texts */
    ct_buf lic_id, lic_name;
    bool id_long, name_long;
    size_t run; /* bytes of the text run in progress (libxml2's text node size limit) */
    bool big;   /* a large input (XB_HUGE_MIN): huge-page blocks from the start */
    size_t max_string, max_components; /* the ctx's limits, read once */
};

static void xb_fail(ct_sbom__xmb *m)
{
    m->failed = true;
}

static bool xb_is(const xmlChar *uri, const xmlChar *ns)
{
    return uri && ns && (uri == ns || strcmp((const char *)uri, (const char *)ns) == 0);
}

/* attribute name (no namespace) of the start tag, decoded as the tree holds it (the parser hands
 * a value holding a reference over with each '&' as "&#38;"); NULL when absent. Not
 * NUL-terminated: *len bytes, valid until the next call. */
static const char *xb_attr(ct_sbom__xmb *m, const xmlChar **at, int nat, const xmlChar *name,
                           size_t *len)
{
    ct_buf *b = &m->r.tmp;
    for (int i = 0; i < nat; i++, at += 5) {
        const char *s = (const char *)at[3], *e = (const char *)at[4], *amp;
        if (at[0] != name || at[1] || at[2])
            continue;
        if (!memchr(s, '&', (size_t)(e - s))) { /* as it stands in the parser's buffer */
            *len = (size_t)(e - s);
            return s;
        }
        ct_buf_reset(b);
        while (s < e && (amp = memchr(s, '&', (size_t)(e - s)))) {
            ct_buf_put(b, s, (size_t)(amp - s));
            ct_buf_putc(b, '&');
            s = (size_t)(e - amp) >= 5 && memcmp(amp, "&#38;", 5) == 0 ? amp + 5 : amp + 1;
        }
        ct_buf_put(b, s, (size_t)(e - s));
        if (b->failed) {
            xb_fail(m);
            return NULL;
        }
        *len = b->len;
        return b->ptr;
    }
    return NULL;
}

/* s[0..n) as a model string: copied once into the arena, shared with an equal short string
 * seen before when intern (values that repeat: types, versions, refs), else not looked up
 * (bom-refs, purls, hashes: unique by nature) */
static char *xb_str(ct_sbom__xmb *m, const char *v, size_t len, bool intern)
{
    char *d = NULL;
    if (ct_sbom__arena_put(m->r.sbom, v, len) < 0 ||
        !(d = ct_sbom__arena_close(m->r.sbom, intern ? &m->r.cache : NULL)))
        xb_fail(m);
    return d;
}

/* the attribute in the model's arena (*out NULL when absent); false when out of memory */
static bool xb_attr_arena(ct_sbom__xmb *m, char **out, const xmlChar **at, int nat,
                          const xmlChar *name, bool intern)
{
    size_t len = 0;
    const char *v = xb_attr(m, at, nat, name, &len);
    *out = NULL;
    if (!v)
        return !m->failed;
    return (*out = xb_str(m, v, len, intern)) != NULL;
}

static xbframe *xb_push(ct_sbom__xmb *m, uint8_t role)
{
    xbframe *f;
    if (m->depth == m->cap) {
        size_t ncap = m->cap ? m->cap * 2 : 16;
        xbframe *nf = ct_reallocarray(m->st, ncap, sizeof *nf);
        if (!nf) {
            xb_fail(m);
            return NULL;
        }
        m->st = nf;
        m->cap = ncap;
    }
    f = &m->st[m->depth++];
    memset(f, 0, sizeof *f);
    f->role = role;
    return f;
}

/* an element whose text is read: a model string or a hash's content goes straight to the
 * arena's open string (t_direct), licence texts and expressions to m->text (joined later) */
static void xb_text_begin(ct_sbom__xmb *m, uint8_t target)
{
    xbframe *f = xb_push(m, XB_TEXT);
    if (!f)
        return;
    f->target = target;
    m->tlen = 0;
    m->t_direct = target != XT_EXPR && target != XT_LIC_ID && target != XT_LIC_NAME;
    if (!m->t_direct)
        ct_buf_reset(&m->text);
    m->t_child = m->t_first_text = m->t_last_text = false;
}

/* a <component> in a list whose items are at depth d: appended now (document pre-order, as the
 * reader appends a component before its nested ones), its fields as their elements end */
static void xb_component(ct_sbom__xmb *m, uint32_t d, const xmlChar **at, int nat)
{
    ct_sbom *s = m->r.sbom;
    ct_component *comp;
    xbframe *f;
    if (s->ncomponents >= m->max_components) {
        xb_fail(m);
        return;
    }
    if (s->ncomponents == s->components_cap) {
        /* a ct_bigmem block (CT_SBOM_ARENA_BIGARRAYS): huge pages once large, grown by
         * moving pages, its slack used */
        size_t ncap = s->components_cap ? s->components_cap * 2
                      : m->big ? ct_bigmem_threshold() / sizeof(ct_component) + 1 /* a huge page */
                               : 64;
        ct_component *nc = ct_bigmem_realloc(s->components, ncap, sizeof *nc);
        if (!nc) {
            xb_fail(m);
            return;
        }
        s->components = nc;
        s->components_cap = ct_bigmem_usable(nc) / sizeof *nc;
    }
    comp = &s->components[s->ncomponents++];
    memset(comp, 0, sizeof *comp);
    comp->depth = d;
    if (!xb_attr_arena(m, &comp->type, at, nat, m->nm.type, true) ||
        (m->r.spec->v11 && !xb_attr_arena(m, &comp->bom_ref, at, nat, m->nm.bom_ref, false)))
        return;
    if (!(f = xb_push(m, XB_COMP)))
        return;
    f->depth = d;
    f->comp = s->ncomponents - 1;
}

/* add_dep: ref is the arena string of the enclosing <dependency> */
static bool xb_dep(ct_sbom__xmb *m, char *ref, const char *on, size_t len)
{
    ct_sbom *s = m->r.sbom;
    ct_dependency *d;
    if (memchr(on, '\0', len)) { /* the tree's string ends at a NUL; never in XML */
        xb_fail(m);
        return false;
    }
    if (s->ndeps == s->deps_cap) {
        size_t ncap = s->deps_cap ? s->deps_cap * 2 : 64;
        ct_dependency *nd = ct_bigmem_realloc(s->deps, ncap, sizeof *nd);
        if (!nd) {
            xb_fail(m);
            return false;
        }
        s->deps = nd;
        s->deps_cap = ct_bigmem_usable(nd) / sizeof *nd;
    }
    d = &s->deps[s->ndeps];
    d->ref = ref;
    if (!(d->depends_on = xb_str(m, on, len, true)))
        return false;
    s->ndeps++;
    return true;
}

/* 8 bytes of s hold a byte < 0x20, '"' or '\\' (the bytes ct_buf_json_str escapes) */
static bool xb_esc8(const char *s)
{
    const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
    uint64_t w, q, b;
    memcpy(&w, s, 8);
    q = w ^ (ones * '"');
    b = w ^ (ones * '\\');
    /* a zero byte in w - 0x20.., q or b (bytes >= 0x80 excluded: they are never escaped) */
    return (((w - ones * 0x20) | (q - ones) | (b - ones)) & ~w & high) != 0;
}

/* s[0..n) appended to the arena's open string escaped as ct_buf_json_str escapes it (a piece
 * of a string: the quotes are the caller's; XML text holds no NUL) */
static void xb_json_put(ct_sbom__xmb *m, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    ct_sbom *sb = m->r.sbom;
    size_t i = 0, run = 0;
    while (i < n) {
        unsigned char c;
        if (n - i >= 8 && !xb_esc8(s + i)) {
            i += 8;
            continue;
        }
        c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') {
            i++;
            continue;
        }
        {
            char esc[6] = { '\\', (char)c, 0, 0, 0, 0 };
            size_t elen = 2;
            switch (c) {
            case '"':
            case '\\':
                break;
            case '\n':
                esc[1] = 'n';
                break;
            case '\r':
                esc[1] = 'r';
                break;
            case '\t':
                esc[1] = 't';
                break;
            default:
                memcpy(esc + 1, "u00", 3);
                esc[4] = hex[c >> 4];
                esc[5] = hex[c & 15];
                elen = 6;
            }
            if (ct_sbom__arena_put(sb, s + run, i - run) < 0 ||
                ct_sbom__arena_put(sb, esc, elen) < 0) {
                xb_fail(m);
                return;
            }
        }
        run = ++i;
    }
    if (ct_sbom__arena_put(sb, s + run, n - run) < 0)
        xb_fail(m);
}

/* a literal piece of the open string */
static void xb_lit(ct_sbom__xmb *m, const char *s)
{
    if (ct_sbom__arena_put(m->r.sbom, s, strlen(s)) < 0)
        xb_fail(m);
}

/* the root: read_bom's checks and attributes */
static void xb_root(ct_sbom__xmb *m, const xmlChar *local, const xmlChar *prefix,
                    const xmlChar *uri, int nat, const xmlChar **at)
{
    const char *spec;
    size_t i;
    xbframe *f;
    m->root_done = true;
    if (local != m->nm.bom || (prefix && !uri) || !uri ||
        strncmp((const char *)uri, CDX_NS_PREFIX, strlen(CDX_NS_PREFIX)) != 0) {
        xb_fail(m);
        return;
    }
    spec = (const char *)uri + strlen(CDX_NS_PREFIX);
    for (i = 0; i < CT_NELEM(xml_specs) && strcmp(spec, xml_specs[i].spec) != 0; i++)
        ;
    if (i == CT_NELEM(xml_specs)) {
        xb_fail(m);
        return;
    }
    m->r.spec = &xml_specs[i];
    m->ns = uri;
    if (m->r.spec->deps == 1) {
        if (!(m->dep_ns = xmlDictLookup(m->pc->dict, (const xmlChar *)CDX_DG_NS, -1))) {
            xb_fail(m);
            return;
        }
    } else {
        m->dep_ns = uri;
    }
    if (!(m->r.sbom->format = ct_sbom__arena_strndup(m->r.sbom, "cyclonedx-xml", 13)) ||
        !(m->r.sbom->spec_version = ct_sbom__arena_strndup(m->r.sbom, spec, strlen(spec)))) {
        xb_fail(m);
        return;
    }
    if (m->r.spec->v11 && !xb_attr_arena(m, &m->r.sbom->serial_number, at, nat,
                                         m->nm.serialNumber, false))
        return;
    if ((f = xb_push(m, XB_BOM)))
        f->depth = 0;
}

/* first child `bit` of frame f: true the first time */
static bool xb_first(xbframe *f, uint32_t bit)
{
    if (f->seen & bit)
        return false;
    f->seen |= bit;
    return true;
}

void ct_sbom__xmb_start(ct_sbom__xmb *m, const xmlChar *local, const xmlChar *prefix,
                        const xmlChar *uri, int nat, const xmlChar **at)
{
    xbframe *f;
    const xmlChar *n = local;
    bool in_ns, in_dep;
    m->run = 0;
    if (m->failed)
        return;
    if (m->skip) {
        m->skip++;
        return;
    }
    if (!m->root_done) {
        xb_root(m, local, prefix, uri, nat, at);
        return;
    }
    if (!m->depth) { /* a second root: not well-formed, the caller knows */
        xb_fail(m);
        return;
    }
    f = &m->st[m->depth - 1];
    if (f->role == XB_TEXT) { /* an element child of a text element: not text */
        m->t_child = true;
        m->t_last_text = false;
        m->skip = 1;
        return;
    }
    /* an undefined prefix has no namespace (the tree named it "prefix:local") */
    in_ns = xb_is(uri, m->ns) && !(prefix && !uri);
    in_dep = xb_is(uri, m->dep_ns) && !(prefix && !uri);
    switch (f->role) {
    case XB_BOM:
        if (in_ns && n == m->nm.metadata && m->r.spec->metadata && xb_first(f, SEEN_META)) {
            xb_push(m, XB_META);
            return;
        }
        if (in_ns && n == m->nm.components && xb_first(f, SEEN_COMPONENTS)) {
            if ((f = xb_push(m, XB_LIST)))
                f->depth = 0;
            return;
        }
        if (in_dep && n == m->nm.dependencies && m->r.spec->deps && xb_first(f, SEEN_DEPS)) {
            xb_push(m, XB_DEPS);
            return;
        }
        break;
    case XB_META:
        if (in_ns && n == m->nm.component && xb_first(f, SEEN_COMPONENTS)) {
            xb_push(m, XB_META_COMP);
            return;
        }
        break;
    case XB_META_COMP:
        if (in_ns && n == m->nm.name && xb_first(f, SEEN_FIELD(XT_NAME))) {
            xb_text_begin(m, XT_META_NAME);
            return;
        }
        if (in_ns && n == m->nm.version && xb_first(f, SEEN_FIELD(XT_VERSION))) {
            xb_text_begin(m, XT_META_VERSION);
            return;
        }
        break;
    case XB_LIST:
        if (in_ns && n == m->nm.component) {
            xb_component(m, f->depth, at, nat);
            return;
        }
        break;
    case XB_COMP: {
        uint8_t field = n == m->nm.name      ? XT_NAME
                        : n == m->nm.group   ? XT_GROUP
                        : n == m->nm.version ? XT_VERSION
                        : n == m->nm.purl    ? XT_PURL
                        : n == m->nm.cpe     ? XT_CPE
                                             : UINT8_MAX;
        if (!in_ns)
            break;
        if (field != UINT8_MAX) {
            if (xb_first(f, SEEN_FIELD(field))) {
                xb_text_begin(m, field);
                return;
            }
            m->skip = 1;
            return;
        }
        if (n == m->nm.supplier && m->r.spec->metadata && xb_first(f, SEEN_SUPPLIER)) {
            xb_push(m, XB_SUPPLIER);
            return;
        }
        if (n == m->nm.hashes && xb_first(f, SEEN_HASHES)) {
            /* the JSON text is built in the arena's open string (nothing else is made in the
             * arena before </hashes>): kept when a <hash> was read, else dropped */
            xb_lit(m, "[");
            m->hash_any = false;
            xb_push(m, XB_HASHES);
            return;
        }
        if (n == m->nm.licenses && xb_first(f, SEEN_LICENSES)) {
            ct_buf_reset(&m->r.out);
            xb_push(m, XB_LICENSES);
            return;
        }
        if (n == m->nm.components && xb_first(f, SEEN_COMPONENTS)) {
            uint32_t d = f->depth + 1;
            if ((int)d > ct_ctx_limits(m->r.ctx)->max_depth) {
                xb_fail(m);
                return;
            }
            if ((f = xb_push(m, XB_LIST)))
                f->depth = d;
            return;
        }
        break;
    }
    case XB_SUPPLIER:
        if (in_ns && n == m->nm.name && xb_first(f, SEEN_NAME)) {
            xb_text_begin(m, XT_SUPPLIER);
            return;
        }
        break;
    case XB_HASHES:
        if (in_ns && n == m->nm.hash) {
            /* {"alg":"A","content":"TEXT"} as the reader writes it; no alg: the reader refuses
             * it (when the hash ends, for it; here, for the builder: the same outcome) */
            size_t len = 0;
            const char *alg = xb_attr(m, at, nat, m->nm.alg, &len);
            if (!alg) {
                xb_fail(m);
                return;
            }
            xb_lit(m, m->hash_any ? ",{\"alg\":\"" : "{\"alg\":\"");
            xb_json_put(m, alg, len);
            xb_lit(m, "\",\"content\":\"");
            m->hash_any = true;
            xb_text_begin(m, XT_HASH);
            return;
        }
        break;
    case XB_LICENSES:
        if (in_ns && m->r.spec->v11 && n == m->nm.expression) {
            xb_text_begin(m, XT_EXPR);
            return;
        }
        if (in_ns && n == m->nm.license) {
            ct_buf_reset(&m->lic_id);
            ct_buf_reset(&m->lic_name);
            m->id_long = m->name_long = false;
            xb_push(m, XB_LICENSE);
            return;
        }
        break;
    case XB_LICENSE:
        /* 1.1 on: the first <id> and the first <name>; 1.0: all of them */
        if (in_ns && n == m->nm.id && (!m->r.spec->v11 || !(f->seen & SEEN_ID))) {
            f->seen |= SEEN_ID;
            xb_text_begin(m, XT_LIC_ID);
            return;
        }
        if (in_ns && n == m->nm.name && (!m->r.spec->v11 || !(f->seen & SEEN_NAME))) {
            f->seen |= SEEN_NAME;
            xb_text_begin(m, XT_LIC_NAME);
            return;
        }
        break;
    case XB_DEPS:
        if (in_dep && n == m->nm.dependency) {
            char *ref = NULL;
            if (!xb_attr_arena(m, &ref, at, nat, m->nm.ref, true))
                return;
            if (!ref) {
                xb_fail(m);
                return;
            }
            if ((f = xb_push(m, XB_DEP)))
                f->ref = ref;
            return;
        }
        break;
    case XB_DEP:
        if (in_dep && n == m->nm.dependency) {
            size_t len = 0;
            const char *on = xb_attr(m, at, nat, m->nm.ref, &len);
            if (!on) {
                xb_fail(m);
                return;
            }
            /* add_dep's work, with the value's length (it is not NUL-terminated here) */
            if (!xb_dep(m, f->ref, on, len))
                return;
            xb_push(m, XB_LEAF);
            return;
        }
        break;
    default:
        break;
    }
    m->skip = 1;
}

/* text t (NUL-terminated, t.len bytes) checked as text_tmp checks it */
static bool xb_len_ok(const ct_sbom__xmb *m, const ct_buf *t)
{
    return !t->failed && t->len <= m->max_string;
}

/* the open string closed into a model string (xb_str) */
static char *xb_str_close(ct_sbom__xmb *m, bool intern)
{
    char *d = ct_sbom__arena_close(m->r.sbom, intern ? &m->r.cache : NULL);
    if (!d)
        xb_fail(m);
    return d;
}

static char *xb_arena(ct_sbom__xmb *m, const ct_buf *t)
{
    char *s = ct_sbom__arena_str(m->r.sbom, &m->r.cache, t->ptr, t->len);
    if (!s)
        xb_fail(m);
    return s;
}

static void xb_text_end(ct_sbom__xmb *m, uint8_t target)
{
    ct_sbom *s = m->r.sbom;
    ct_buf *b = &m->r.out;
    ct_component *comp = NULL;
    bool v11 = m->r.spec->v11;
    char **field = NULL;

    if (target == XT_LIC_ID || target == XT_LIC_NAME) {
        /* checked and joined when the <license> ends: only the <id>s or the <name>s count */
        ct_buf *dst = target == XT_LIC_ID ? &m->lic_id : &m->lic_name;
        bool *lng = target == XT_LIC_ID ? &m->id_long : &m->name_long;
        if (!xb_len_ok(m, &m->text))
            *lng = true;
        if (v11) {
            ct_buf_reset(dst);
            ct_buf_put(dst, m->text.ptr, m->text.len);
        } else {
            and_join(dst, m->text.ptr);
        }
        if (dst->failed)
            xb_fail(m);
        return;
    }
    if (m->t_direct ? m->tlen > m->max_string
                    : !xb_len_ok(m, &m->text)) {
        xb_fail(m);
        return;
    }
    /* the component the text belongs to: 1 (field), 2 (supplier/hashes/licenses) up */
    if (target <= XT_CPE)
        comp = &s->components[m->st[m->depth - 1].comp];
    else if (target == XT_SUPPLIER)
        comp = &s->components[m->st[m->depth - 2].comp];
    switch (target) {
    case XT_NAME:
        field = &comp->name;
        break;
    case XT_GROUP:
        field = &comp->group;
        break;
    case XT_VERSION:
        field = &comp->version;
        break;
    case XT_PURL:
        field = &comp->purl;
        break;
    case XT_CPE:
        field = &comp->cpe;
        break;
    case XT_SUPPLIER:
        field = &comp->supplier;
        break;
    case XT_META_NAME:
        field = &s->name;
        break;
    case XT_META_VERSION:
        field = &s->version;
        break;
    case XT_HASH: /* its content went to the open string, escaped */
        if (!m->tlen) {
            xb_fail(m);
            return;
        }
        xb_lit(m, "\"}");
        return;
    case XT_EXPR:
        and_join(b, m->text.ptr);
        if (b->failed)
            xb_fail(m);
        return;
    default:
        return;
    }
    /* purls and CPEs are long and rarely repeat: not looked up */
    *field = xb_str_close(m, target != XT_PURL && target != XT_CPE);
}

void ct_sbom__xmb_end(ct_sbom__xmb *m)
{
    xbframe f;
    ct_sbom *s = m->r.sbom;
    m->run = 0;
    if (m->failed)
        return;
    if (m->skip) {
        m->skip--;
        return;
    }
    if (!m->depth)
        return;
    f = m->st[--m->depth];
    switch (f.role) {
    case XB_TEXT:
        xb_text_end(m, f.target);
        break;
    case XB_COMP: {
        const ct_component *c = &s->components[f.comp];
        if (!c->name || !c->type)
            xb_fail(m);
        break;
    }
    case XB_HASHES:
        if (!m->hash_any) {
            ct_sbom__arena_drop(s); /* "[" */
            break;
        }
        xb_lit(m, "]");
        if (!m->failed)
            s->components[m->st[m->depth - 1].comp].hashes = xb_str_close(m, false);
        break;
    case XB_LICENSES:
        if (m->r.out.failed)
            xb_fail(m);
        else if (m->r.out.len &&
                 !(s->components[m->st[m->depth - 1].comp].licenses = xb_arena(m, &m->r.out)))
            xb_fail(m);
        break;
    case XB_LICENSE: {
        /* 1.1 on: the <id>, else the <name>; 1.0: the <id>s, else the <name>s */
        bool id = (f.seen & SEEN_ID) != 0, nm = (f.seen & SEEN_NAME) != 0;
        if (id ? m->id_long : nm && m->name_long) {
            xb_fail(m);
            break;
        }
        if (id)
            and_join(&m->r.out, m->lic_id.ptr);
        else if (nm)
            and_join(&m->r.out, m->lic_name.ptr);
        if (m->r.out.failed)
            xb_fail(m);
        break;
    }
    default:
        break;
    }
}

/* a piece of the open text element's text (XB_TEXT on top) */
static void xb_text_put(ct_sbom__xmb *m, const xmlChar *s, int len)
{
    m->tlen += (size_t)len;
    if (!m->t_direct) {
        if (ct_buf_put(&m->text, s, (size_t)len) < 0)
            xb_fail(m);
    } else if (m->st[m->depth - 1].target == XT_HASH) {
        xb_json_put(m, (const char *)s, (size_t)len);
    } else if (ct_sbom__arena_put(m->r.sbom, (const char *)s, (size_t)len) < 0) {
        xb_fail(m);
    }
}

/* libxml2's limit on one text node without XML_PARSE_HUGE (parserInternals.h) */
#define XB_MAX_TEXT 10000000u

/* The run s[0..len) is blanks the reader's tree drops (parser.c areBlanks with the tree's
 * state replayed: the parser's xml:space, the character after the run, the element's children
 * so far); -1 when that cannot be told (the run was not read from the input buffer). */
static int xb_dropped(ct_sbom__xmb *m, const xmlChar *s, int len)
{
    const xmlParserInputPtr in = m->pc->input;
    xmlChar raw, nxt;
    for (int i = 0; i < len; i++)
        if (!IS_BLANK_CH(s[i]))
            return 0;
    if (!m->pc->space || *m->pc->space == 1 || *m->pc->space == -2)
        return 0;
    if (!in || !in->base || !in->end || s < in->base || s + len > in->end)
        return -1; /* a character reference, or the parser's own copy of non-ASCII text */
    raw = s[len];
    nxt = raw ? s[len + 1] : 0;
    if (raw != '<' && raw != 0xD)
        return 0;
    if (!m->t_child && raw == '<' && nxt == '/')
        return 0;
    if (!m->t_child)
        return 1; /* no last child: an element with no children yet */
    if (m->t_last_text || m->t_first_text)
        return 0;
    return 1;
}

void ct_sbom__xmb_text(ct_sbom__xmb *m, const xmlChar *s, int len)
{
    int drop;
    if (len <= 0)
        return;
    if ((m->run += (size_t)len) > XB_MAX_TEXT)
        xb_fail(m);
    if (m->failed || m->skip || !m->depth || m->st[m->depth - 1].role != XB_TEXT)
        return;
    if ((drop = xb_dropped(m, s, len)) < 0) {
        xb_fail(m);
        return;
    }
    if (drop)
        return;
    if (!m->t_child)
        m->t_first_text = true;
    m->t_child = true;
    m->t_last_text = true;
    xb_text_put(m, s, len);
}

void ct_sbom__xmb_cdata(ct_sbom__xmb *m, const xmlChar *s, int len)
{
    m->run = 0;
    if (m->failed || m->skip || !m->depth || m->st[m->depth - 1].role != XB_TEXT)
        return;
    m->t_child = true;
    m->t_last_text = false;
    if (len > 0)
        xb_text_put(m, s, len);
}

void ct_sbom__xmb_node(ct_sbom__xmb *m)
{
    m->run = 0;
    if (m->failed || m->skip || !m->depth || m->st[m->depth - 1].role != XB_TEXT)
        return;
    m->t_child = true;
    m->t_last_text = false;
}

/* inputs from this size on put the model's strings on huge-page-advised blocks from the start
 * (the strings of a CycloneDX XML document are ~0.45 of it: 2 MiB and more) */
#define XB_HUGE_MIN ((size_t)4 << 20)
#define XB_STR_PCT 45 /* model string bytes per 100 input bytes expected (at most) */

ct_sbom__xmb *ct_sbom__xmb_new(const ct_ctx *ctx, xmlParserCtxtPtr pc, size_t len)
{
    ct_sbom__xmb *m = ct_calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->r.ctx = ctx;
    m->r.source = "-";
    m->r.tmp = m->r.out = m->text = m->alg = m->lic_id = m->lic_name = (ct_buf)CT_BUF_INIT;
    m->pc = pc;
    m->big = len >= XB_HUGE_MIN;
    m->max_string = ct_ctx_limits(ctx)->max_string_bytes;
    m->max_components = ct_ctx_limits(ctx)->max_components;
#define X(n) m->nm.n = xmlDictLookup(pc->dict, (const xmlChar *)#n, -1);
    XB_NAMES(X)
#undef X
    m->nm.bom_ref = xmlDictLookup(pc->dict, (const xmlChar *)"bom-ref", -1);
    /* the arena exists from the start (the open string needs it), and the arrays are ct_bigmem
     * blocks: huge pages once large (a fault costs 13-19 us on the project's VMs) */
    if (!(m->r.sbom = ct_calloc(1, sizeof *m->r.sbom)) ||
        ct_sbom__arena_setup_expect(m->r.sbom,
                                    CT_SBOM_ARENA_BIGARRAYS | (m->big ? CT_SBOM_ARENA_HUGE : 0u),
                                    len / 100 * XB_STR_PCT) < 0 ||
        !m->nm.bom || !m->nm.serialNumber || !m->nm.bom_ref) {
        ct_sbom__xmb_finish(m, false);
        return NULL;
    }
    return m;
}

ct_sbom *ct_sbom__xmb_finish(ct_sbom__xmb *m, bool complete)
{
    ct_sbom *s = NULL;
    if (!m)
        return NULL;
    if (complete && !m->failed && m->root_done && !m->depth && !m->skip) {
        s = m->r.sbom;
        m->r.sbom = NULL;
    }
    ct_sbom_free(m->r.sbom);
    ct_buf_dispose(&m->r.tmp);
    ct_buf_dispose(&m->r.out);
    ct_buf_dispose(&m->text);
    ct_buf_dispose(&m->alg);
    ct_buf_dispose(&m->lic_id);
    ct_buf_dispose(&m->lic_name);
    ct_free(m->st);
    ct_free(m);
    return s;
}

static int parse_xml(ct_sbom **out, const ct_ctx *ctx, const char *data, size_t len,
                     const char *source, bool sax)
{
    xmlTextReaderPtr rd = NULL;
    xreader *r;
    const char *ns = NULL;
    bool doctype = false;
    int rc = 0, ret;

    *out = NULL;
    if (!(r = ct_calloc(1, sizeof *r)))
        return oom();
    r->ctx = ctx;
    r->source = source ? source : "-";
    r->tmp = (ct_buf)CT_BUF_INIT;
    r->out = (ct_buf)CT_BUF_INIT;
    if (len > ct_ctx_limits(ctx)->max_doc_bytes || len > INT_MAX) {
        ct_loc loc = { r->source, 0, 0, -1, NULL };
        rc = ct_error_set_at(&loc, CT_ELIMIT, "document larger than max_doc_bytes");
        goto cleanup;
    }
    /* one SAX pass (no tree) when it can read the document; the tree reader below otherwise */
    if (sax && (rc = ct_sbom__xml_sax_model(out, ctx, data, len)) != 0) {
        rc = rc > 0 ? 0 : rc;
        goto cleanup;
    }
    if (!(r->sbom = ct_calloc(1, sizeof *r->sbom)) ||
        !(rd = xmlReaderForMemory(data, (int)len, NULL, NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR |
                                      XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES))) {
        rc = oom();
        goto cleanup;
    }
    xmlTextReaderSetStructuredErrorHandler(rd, quiet, NULL);
    ret = ct_sbom__xr_to_root(rd, &doctype); /* up to the root element */
    if (ret == 1 && !doctype &&
        (rc = read_bom(r, xmlTextReaderCurrentNode(rd), &ns)) == 0)
        rc = read_children(r, rd, &ret, ns);
    /* the rest of the document: a libxml2 error anywhere comes first, as with a DOM */
    if (rc != CT_ENOMEM)
        while (ret == 1)
            ret = xmlTextReaderNext(rd);
    if (ret < 0 || (!ns && !doctype && rc == 0)) {
        rc = xml_error(r, data, len);
        goto cleanup;
    }
    if (doctype) {
        ct_loc loc = CT_LOC_INIT;
        const char *dt = NULL;
        loc.source = r->source;
        loc.line = 1;
        for (size_t i = 0; i + 9 <= len && !dt; i++)
            if (memcmp(data + i, "<!DOCTYPE", 9) == 0)
                dt = data + i;
        for (const char *p = data; dt && p < dt; p++)
            loc.line += *p == '\n';
        rc = ct_error_set_at(&loc, CT_EPARSE,
                             "DOCTYPE declarations are not allowed in a CycloneDX document");
        goto cleanup;
    }
    if (rc < 0)
        goto cleanup;
    *out = r->sbom;
    r->sbom = NULL;
cleanup:
    xmlFreeTextReader(rd);
    ct_sbom_free(r->sbom);
    ct_buf_dispose(&r->tmp);
    ct_buf_dispose(&r->out);
    ct_free(r);
    return rc;
}

int ct_sbom_parse_cyclonedx_xml(ct_sbom **out, const ct_ctx *ctx, const char *data, size_t len,
                                const char *source)
{
    return parse_xml(out, ctx, data, len, source, true);
}

int ct_sbom__xml_tree_read(ct_sbom **out, const ct_ctx *ctx, const char *data, size_t len,
                           const char *source)
{
    return parse_xml(out, ctx, data, len, source, false);
}

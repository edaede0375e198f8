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
 * uses the validator's own pass), with the builder of cyclonedx_xml_sax.c;
 * only a document that builder leaves (one the tree reader refuses, or cannot be sure of) is read
 * by the tree reader, whose errors are the ones reported.
 *
 * Memory (issue 5): the tree reader streams with libxml2's xmlTextReader, not one DOM; only one
 * top-level <component> (with its nested ones), one <dependency> or <metadata> is expanded into
 * a tree at a time, read by the tree code below and freed by the reader as it moves on. Model strings go to the model's arena (model.c). Errors keep the DOM reader's
 * order: a document that is not well-formed (anywhere) reports the libxml2 error, then a
 * DOCTYPE, then the first error of the model (after the rest of the document was checked). */
#include "cratrace/sbom.h"
#include "sbom/model_int.h"
#include "sbom/xml_reader_int.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>
#include <limits.h>
#include <string.h>

#define CDX_NS_PREFIX CT_SBOM_CDX_NS_PREFIX
#define CDX_DG_NS CT_SBOM_CDX_DG_NS
typedef ct_sbom__xml_spec xml_spec;

static const xml_spec xml_specs[] = {
    { "1.0", false, false, 0 }, { "1.1", true, false, 1 }, { "1.2", true, true, 2 },
    { "1.3", true, true, 2 },   { "1.4", true, true, 2 },  { "1.5", true, true, 2 },
    { "1.6", true, true, 2 },   { "1.7", true, true, 2 },
};

const ct_sbom__xml_spec *ct_sbom__xml_spec_of(const char *version)
{
    for (size_t i = 0; i < CT_NELEM(xml_specs); i++)
        if (strcmp(version, xml_specs[i].spec) == 0)
            return &xml_specs[i];
    return NULL;
}

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

void ct_sbom__and_join(ct_buf *b, const char *v)
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
                    ct_sbom__and_join(b, r->tmp.ptr);
            continue;
        }
        if (t && (rc = text_tmp(r, t)) == 0)
            ct_sbom__and_join(b, r->tmp.ptr);
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

    if (!bom || strcmp((const char *)bom->name, "bom") != 0)
        return xerr(r, bom, CT_EUNSUPPORTED,
                    "not a CycloneDX document: the root element is not <bom>");
    if (!bom->ns || !bom->ns->href ||
        strncmp((const char *)bom->ns->href, CDX_NS_PREFIX, strlen(CDX_NS_PREFIX)) != 0)
        return xerr(r, bom, CT_EUNSUPPORTED,
                    "<bom> is not in a CycloneDX namespace (http://cyclonedx.org/schema/bom/1.x)");
    ns = (const char *)bom->ns->href;
    spec = ns + strlen(CDX_NS_PREFIX);
    if (!(r->spec = ct_sbom__xml_spec_of(spec))) {
        ct_loc loc = CT_LOC_INIT;
        loc.source = r->source;
        loc.line = (uint32_t)xmlGetLineNo(bom);
        return ct_error_set_at(&loc, CT_EUNSUPPORTED,
                               "unsupported CycloneDX XML version \"%.20s\" (expected 1.0 to 1.7)",
                               spec);
    }
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

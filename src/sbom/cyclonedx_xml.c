/* CycloneDX XML 1.0-1.7 reader into the format-neutral model (the same one the JSON reader
 * fills). Per spec version only the elements that version defines are read (xml_specs below:
 * bom-ref, serialNumber and licence expressions from 1.1, several <id>s or <name>s in one
 * <license> in 1.0 only, metadata and supplier from 1.2, dependencies in the core namespace from
 * 1.2 and in the dependency-graph extension namespace in 1.1); what the model does not hold
 * (description, scope, copyright, modified, pedigree, externalReferences, properties, ...) is
 * skipped, as for 1.4-1.7. libxml2 with XML_PARSE_NONET | XML_PARSE_NOBLANKS, never
 * NOENT/DTDLOAD/HUGE; a document with a DOCTYPE is refused outright, and entity references
 * are never expanded (only text and CDATA children are read). Errors carry the libxml2 line. */
#include "cratrace/sbom.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
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
    ct_buf tmp;
    const xml_spec *spec;
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

/* Text of an element: its text and CDATA children only (entity references are not expanded).
 * *out NEW (NULL when n is NULL). */
static int text_of(char **out, xreader *r, const xmlNode *n)
{
    *out = NULL;
    if (!n)
        return 0;
    ct_buf_reset(&r->tmp);
    for (const xmlNode *c = n->children; c; c = c->next)
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
            ct_buf_puts(&r->tmp, (const char *)c->content);
    if (r->tmp.failed)
        return oom();
    if (r->tmp.len > ct_ctx_limits(r->ctx)->max_string_bytes)
        return xerr(r, n, CT_ELIMIT, "element text longer than max_string_bytes");
    if (!(*out = ct_strndup(r->tmp.ptr, r->tmp.len)))
        return oom();
    return 0;
}

static int child_text(char **out, xreader *r, const xmlNode *n, const char *ns, const char *name)
{
    return text_of(out, r, child(n, ns, name));
}

/* Attribute value without a namespace; *out NEW or NULL when absent. */
static int attr(char **out, const xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
    *out = NULL;
    if (!v)
        return 0;
    *out = ct_strdup((const char *)v);
    xmlFree(v);
    return *out ? 0 : oom();
}

/* <hashes><hash alg="SHA-256">hex</hash></hashes> → the JSON text the JSON reader produces */
static int read_hashes(char **out, xreader *r, const xmlNode *comp, const char *ns)
{
    const xmlNode *hs = child(comp, ns, "hashes");
    ct_buf b = CT_BUF_INIT;
    bool any = false;
    int rc = 0;

    *out = NULL;
    if (!hs)
        return 0;
    ct_buf_putc(&b, '[');
    for (const xmlNode *h = hs->children; h && rc == 0; h = h->next) {
        char *alg = NULL, *content = NULL;
        if (!is_el(h, ns, "hash"))
            continue;
        if ((rc = attr(&alg, h, "alg")) == 0 && (rc = text_of(&content, r, h)) == 0) {
            if (!alg || !content || !*content) {
                rc = xerr(r, h, CT_EPARSE, "a <hash> needs an \"alg\" attribute and content");
            } else {
                if (any)
                    ct_buf_putc(&b, ',');
                ct_buf_puts(&b, "{\"alg\":");
                ct_buf_json_str(&b, alg);
                ct_buf_puts(&b, ",\"content\":");
                ct_buf_json_str(&b, content);
                ct_buf_putc(&b, '}');
                any = true;
            }
        }
        ct_free(alg);
        ct_free(content);
    }
    ct_buf_putc(&b, ']');
    if (rc == 0 && b.failed)
        rc = oom();
    if (rc == 0 && any && !(*out = ct_buf_detach(&b)))
        rc = oom();
    ct_buf_dispose(&b);
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
    ct_buf b = CT_BUF_INIT;
    int rc = 0;

    *out = NULL;
    if (!ls)
        return 0;
    for (const xmlNode *l = ls->children; l && rc == 0; l = l->next) {
        char *v = NULL;
        if (r->spec->v11 && is_el(l, ns, "expression")) {
            rc = text_of(&v, r, l);
        } else if (r->spec->v11 && is_el(l, ns, "license")) {
            const xmlNode *id = child(l, ns, "id");
            rc = text_of(&v, r, id ? id : child(l, ns, "name"));
        } else if (is_el(l, ns, "license")) {
            const char *which = child(l, ns, "id") ? "id" : "name";
            for (const xmlNode *x = l->children; x && rc == 0; x = x->next) {
                if (!is_el(x, ns, which))
                    continue;
                if ((rc = text_of(&v, r, x)) == 0)
                    and_join(&b, v);
                ct_free(v);
                v = NULL;
            }
            continue;
        } else {
            continue;
        }
        if (rc == 0)
            and_join(&b, v);
        ct_free(v);
    }
    if (rc == 0 && b.failed)
        rc = oom();
    if (rc == 0 && b.len && !(*out = ct_buf_detach(&b)))
        rc = oom();
    ct_buf_dispose(&b);
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
    if ((rc = attr(&comp->type, c, "type")) < 0 ||
        (r->spec->v11 && (rc = attr(&comp->bom_ref, c, "bom-ref")) < 0) ||
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

static int add_dep(ct_sbom *s, const char *ref, const char *on)
{
    if (s->ndeps == s->deps_cap) {
        size_t ncap = s->deps_cap ? s->deps_cap * 2 : 64;
        ct_dependency *nd = ct_reallocarray(s->deps, ncap, sizeof *nd);
        if (!nd)
            return oom();
        s->deps = nd;
        s->deps_cap = ncap;
    }
    ct_dependency *d = &s->deps[s->ndeps];
    d->ref = ct_strdup(ref);
    d->depends_on = ct_strdup(on);
    if (!d->ref || !d->depends_on) {
        ct_free(d->ref);
        ct_free(d->depends_on);
        return oom();
    }
    s->ndeps++;
    return 0;
}

/* <dependencies><dependency ref="a"><dependency ref="b"/></dependency></dependencies>, in the
 * bom namespace (1.2 on) or, in 1.1, in the dependency-graph extension namespace */
static int read_dependencies(xreader *r, const xmlNode *bom, const char *bom_ns)
{
    const char *ns = r->spec->deps == 1 ? CDX_DG_NS : bom_ns;
    const xmlNode *deps = r->spec->deps ? child(bom, ns, "dependencies") : NULL;
    int rc = 0;

    for (const xmlNode *d = deps ? deps->children : NULL; d && rc == 0; d = d->next) {
        char *ref = NULL;
        if (!is_el(d, ns, "dependency"))
            continue;
        if ((rc = attr(&ref, d, "ref")) < 0)
            return rc;
        if (!ref) {
            rc = xerr(r, d, CT_EPARSE, "<dependency> has no \"ref\" attribute");
        } else {
            for (const xmlNode *t = d->children; t && rc == 0; t = t->next) {
                char *on = NULL;
                if (!is_el(t, ns, "dependency"))
                    continue;
                if ((rc = attr(&on, t, "ref")) == 0 && !on)
                    rc = xerr(r, t, CT_EPARSE, "<dependency> has no \"ref\" attribute");
                else if (rc == 0)
                    rc = add_dep(r->sbom, ref, on);
                ct_free(on);
            }
        }
        ct_free(ref);
    }
    return rc;
}

static int read_bom(xreader *r, const xmlNode *bom)
{
    const char *ns, *spec;
    const xmlNode *meta, *comps;
    size_t i;
    int rc;

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
    if (!(r->sbom->format = ct_strdup("cyclonedx-xml")) ||
        !(r->sbom->spec_version = ct_strdup(spec)))
        return oom();
    if (r->spec->v11 && (rc = attr(&r->sbom->serial_number, bom, "serialNumber")) < 0)
        return rc;
    if (r->spec->metadata && (meta = child(bom, ns, "metadata"))) {
        const xmlNode *mc = child(meta, ns, "component");
        if ((rc = child_text(&r->sbom->name, r, mc, ns, "name")) < 0 ||
            (rc = child_text(&r->sbom->version, r, mc, ns, "version")) < 0)
            return rc;
    }
    if ((comps = child(bom, ns, "components")) && (rc = read_components(r, comps, ns, 0)) < 0)
        return rc;
    return read_dependencies(r, bom, ns);
}

int ct_sbom_parse_cyclonedx_xml(ct_sbom **out, const ct_ctx *ctx, const char *data, size_t len,
                                const char *source)
{
    xmlParserCtxtPtr pctx = NULL;
    xmlDocPtr doc = NULL;
    xreader r;
    int rc;

    *out = NULL;
    memset(&r, 0, sizeof r);
    r.ctx = ctx;
    r.source = source ? source : "-";
    r.tmp = (ct_buf)CT_BUF_INIT;
    if (len > ct_ctx_limits(ctx)->max_doc_bytes || len > INT_MAX) {
        ct_loc loc = { r.source, 0, 0, -1, NULL };
        return ct_error_set_at(&loc, CT_ELIMIT, "document larger than max_doc_bytes");
    }
    if (!(pctx = xmlNewParserCtxt()))
        return oom();
    doc = xmlCtxtReadMemory(pctx, data, (int)len, NULL, NULL,
                            XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR |
                                XML_PARSE_NOWARNING);
    if (!doc || !pctx->wellFormed) {
        const xmlError *e = xmlCtxtGetLastError(pctx);
        ct_loc loc = CT_LOC_INIT;
        size_t mlen;
        loc.source = r.source;
        loc.line = e && e->line > 0 ? (uint32_t)e->line : 0;
        loc.column = e && e->int2 > 0 ? (uint32_t)e->int2 : 0;
        mlen = e && e->message ? strlen(e->message) : 0;
        while (mlen && (e->message[mlen - 1] == '\n' || e->message[mlen - 1] == ' '))
            mlen--;
        rc = ct_error_set_at(&loc, CT_EPARSE, "XML: %.*s", (int)mlen,
                             mlen ? e->message : "not well-formed");
        goto cleanup;
    }
    if (doc->intSubset || doc->extSubset) {
        ct_loc loc = CT_LOC_INIT;
        const char *dt = NULL;
        loc.source = r.source;
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
    if (!(r.sbom = ct_calloc(1, sizeof *r.sbom))) {
        rc = oom();
        goto cleanup;
    }
    if ((rc = read_bom(&r, xmlDocGetRootElement(doc))) < 0)
        goto cleanup;
    *out = r.sbom;
    r.sbom = NULL;
cleanup:
    ct_sbom_free(r.sbom);
    ct_buf_dispose(&r.tmp);
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(pctx);
    return rc;
}

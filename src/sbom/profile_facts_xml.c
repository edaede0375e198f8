/* Profile facts from CycloneDX XML: the same facts profile_facts.c reads from JSON (SBOM
 * author and contact, timestamp, BSI component properties, component creator contacts, stated
 * dependency lists, vulnerabilities). libxml2 with XML_PARSE_NONET | XML_PARSE_NOBLANKS; a
 * document with a DOCTYPE is refused and entity references are never expanded (text and
 * CDATA children only), as in cyclonedx_xml.c. */
#include "sbom/profile_int.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <limits.h>
#include <string.h>

#define CDX_NS_PREFIX "http://cyclonedx.org/schema/bom/"

static int oom(void)
{
    return ct_error_set(CT_ENOMEM, "out of memory");
}

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

/* The first text or CDATA child's content (borrowed), or NULL. */
static const char *text(const xmlNode *n)
{
    for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content &&
            *c->content)
            return (const char *)c->content;
    return NULL;
}

static int set_text(char **dst, const xmlNode *n)
{
    const char *t = text(n);
    return t ? ct_sbom__facts_set(dst, t, strlen(t)) : 0;
}

/* Attribute without a namespace: *dst set (first value wins) when present. */
static int set_attr(char **dst, const xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
    int rc = 0;
    if (v) {
        rc = ct_sbom__facts_set(dst, (const char *)v, strlen((const char *)v));
        xmlFree(v);
    }
    return rc;
}

/* organizationalEntity: <url> or <contact><email> */
static const xmlNode *entity_contact(const xmlNode *ent, const char *ns)
{
    const xmlNode *u = child(ent, ns, "url");
    if (u && text(u))
        return u;
    for (const xmlNode *c = ent ? ent->children : NULL; c; c = c->next) {
        const xmlNode *e = is_el(c, ns, "contact") ? child(c, ns, "email") : NULL;
        if (e && text(e))
            return e;
    }
    return NULL;
}

/* <authors><author><name/><email/></author></authors>: first email; *name_out first name */
static const xmlNode *authors_contact(const xmlNode *n, const char *ns, const xmlNode **name_out)
{
    const xmlNode *found = NULL;
    for (const xmlNode *a = child(child(n, ns, "authors"), ns, "author"); a; a = a->next) {
        if (!is_el(a, ns, "author"))
            continue;
        const xmlNode *nm = child(a, ns, "name"), *em = child(a, ns, "email");
        if (name_out && !*name_out)
            *name_out = text(nm) ? nm : (text(em) ? em : NULL);
        if (!found && text(em))
            found = em;
    }
    return found;
}

static int components(ct_sbom_facts *f, const ct_ctx *ctx, const xmlNode *list, const char *ns,
                      int depth);

static int component(ct_sbom_facts *f, const ct_ctx *ctx, const xmlNode *c, const char *ns,
                     int depth)
{
    static const char *const props[] = { "bsi:component:filename", "bsi:component:executable",
                                         "bsi:component:archive", "bsi:component:structured" };
    ct_sbom_facts_component *fc;
    const xmlNode *contact;
    int rc;

    if ((rc = ct_sbom__facts_new_component(&fc, f, ct_ctx_limits(ctx)->max_components)) < 0 ||
        (rc = set_attr(&fc->ref, c, "bom-ref")) < 0)
        return rc;
    if (!(contact = entity_contact(child(c, ns, "supplier"), ns)) &&
        !(contact = entity_contact(child(c, ns, "manufacturer"), ns)))
        contact = authors_contact(c, ns, NULL);
    if ((rc = set_text(&fc->creator_contact, contact)) < 0)
        return rc;
    for (const xmlNode *p = child(child(c, ns, "properties"), ns, "property"); p; p = p->next) {
        char *name = NULL;
        if (!is_el(p, ns, "property"))
            continue;
        if ((rc = set_attr(&name, p, "name")) < 0)
            return rc;
        char **dst[] = { &fc->filename, &fc->executable, &fc->archive, &fc->structured };
        for (size_t k = 0; name && k < CT_NELEM(props) && rc == 0; k++)
            if (strcmp(name, props[k]) == 0)
                rc = set_text(dst[k], p);
        ct_free(name);
        if (rc < 0)
            return rc;
    }
    /* fc may move when nested components grow the array: done with it here */
    return components(f, ctx, child(c, ns, "components"), ns, depth + 1);
}

static int components(ct_sbom_facts *f, const ct_ctx *ctx, const xmlNode *list, const char *ns,
                      int depth)
{
    int rc = 0;
    if (depth > ct_ctx_limits(ctx)->max_depth)
        return ct_error_set(CT_ELIMIT, "components nested too deep");
    for (const xmlNode *c = list ? list->children : NULL; c && rc == 0; c = c->next)
        if (is_el(c, ns, "component"))
            rc = component(f, ctx, c, ns, depth);
    return rc;
}

static int metadata(ct_sbom_facts *f, const xmlNode *meta, const char *ns)
{
    static const char *const orgs[] = { "manufacturer", "manufacture", "supplier" };
    const xmlNode *name = NULL, *contact = authors_contact(meta, ns, &name), *tools;
    int rc;

    for (size_t i = 0; i < CT_NELEM(orgs); i++) {
        const xmlNode *org = child(meta, ns, orgs[i]);
        if (!org)
            continue;
        if (!name && text(child(org, ns, "name")))
            name = child(org, ns, "name");
        if (!contact)
            contact = entity_contact(org, ns);
        if (!name)
            name = contact;
    }
    if ((rc = set_text(&f->timestamp, child(meta, ns, "timestamp"))) < 0 ||
        (rc = set_text(&f->author, name)) < 0 || (rc = set_text(&f->author_contact, contact)) < 0)
        return rc;
    tools = child(meta, ns, "tools");
    f->tool_only = !name && tools && xmlFirstElementChild((xmlNode *)(uintptr_t)tools);
    return 0;
}

static int read_bom(ct_sbom_facts *f, const ct_ctx *ctx, const xmlNode *root)
{
    const char *ns;
    const xmlNode *deps, *vulns;
    const char **refs = NULL;
    size_t n = 0, cap = 0;
    int rc;

    if (!root || !root->ns || !root->ns->href ||
        strncmp((const char *)root->ns->href, CDX_NS_PREFIX, strlen(CDX_NS_PREFIX)) != 0 ||
        strcmp((const char *)root->name, "bom") != 0)
        return ct_error_set(CT_EPARSE, "not a CycloneDX XML document");
    ns = (const char *)root->ns->href;
    f->has_properties = true;
    if ((rc = metadata(f, child(root, ns, "metadata"), ns)) < 0 ||
        (rc = components(f, ctx, child(root, ns, "components"), ns, 0)) < 0)
        return rc;
    vulns = child(root, ns, "vulnerabilities");
    f->has_vulnerabilities = vulns && child(vulns, ns, "vulnerability");
    deps = child(root, ns, "dependencies");
    for (const xmlNode *d = deps ? deps->children : NULL; d; d = d->next) {
        if (!is_el(d, ns, "dependency"))
            continue;
        xmlChar *ref = xmlGetNoNsProp(d, (const xmlChar *)"ref");
        if (!ref)
            continue;
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            const char **nr = ct_reallocarray(refs, ncap, sizeof *nr);
            if (!nr) {
                xmlFree(ref);
                rc = oom();
                goto cleanup;
            }
            refs = nr;
            cap = ncap;
        }
        refs[n++] = (const char *)ref;
    }
    rc = ct_sbom__facts_mark_stated(f, refs, n);
cleanup:
    for (size_t i = 0; i < n; i++)
        xmlFree((xmlChar *)(uintptr_t)refs[i]);
    ct_free(refs);
    return rc;
}

int ct_sbom__facts_cdx_xml(ct_sbom_facts *f, const ct_ctx *ctx, const char *data, size_t len,
                           const char *source)
{
    xmlParserCtxtPtr pctx = NULL;
    xmlDocPtr doc = NULL;
    int rc;

    if (len > ct_ctx_limits(ctx)->max_doc_bytes || len > INT_MAX)
        return ct_error_set(CT_ELIMIT, "%s: document larger than max_doc_bytes", source);
    if (!(pctx = xmlNewParserCtxt()))
        return oom();
    doc = xmlCtxtReadMemory(pctx, data, (int)len, NULL, NULL,
                            XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR |
                                XML_PARSE_NOWARNING);
    if (!doc || !pctx->wellFormed)
        rc = ct_error_set(CT_EPARSE, "%s: not well-formed XML", source);
    else if (doc->intSubset || doc->extSubset)
        rc = ct_error_set(CT_EPARSE, "%s: DOCTYPE declarations are not allowed", source);
    else
        rc = read_bom(f, ctx, xmlDocGetRootElement(doc));
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(pctx);
    return rc;
}

/* Profile facts from CycloneDX XML: the same facts profile_facts.c reads from JSON (SBOM
 * author and contact, timestamp, BSI component properties, component creator contacts, stated
 * dependency lists, vulnerabilities). libxml2 with XML_PARSE_NONET | XML_PARSE_NOBLANKS; a
 * document with a DOCTYPE is refused and entity references are never expanded (text and
 * CDATA children only), as in cyclonedx_xml.c.
 *
 * Memory (issue 5): the document is streamed with libxml2's xmlTextReader, as cyclonedx_xml.c
 * reads it, not built into one DOM: only <metadata> or one top-level <component> (with its
 * nested ones) is expanded into a tree at a time; <dependency> and <vulnerability> elements are
 * only looked at (an attribute, their presence), never expanded. The first <metadata>,
 * <components>, <vulnerabilities> and <dependencies> children of <bom> are read, as the DOM
 * code's child() found them. Errors keep the DOM's order: not well-formed (anywhere) first,
 * then a DOCTYPE, then the root element, then the facts' own errors.
 *
 * One pass (issue 5, xml9): `sbom validate --profile` does not run this walk for a model the
 * validator's SAX pass read; ct_sbom__facts_from_xml_model (below) makes the same facts from
 * that model and what the pass kept beside it (cyclonedx_xml_sax.c, xml_reader_int.h). This walk
 * stays for ct_sbom_facts_read and for the documents the SAX pass leaves to the tree reader. */
#include "sbom/profile_int.h"
#include "sbom/xml_reader_int.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>
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

typedef struct {
    const char **v; /* xmlChar strings, xmlFree'd */
    size_t n, cap;
} refvec;

static int refvec_add(refvec *rv, xmlChar *ref)
{
    if (rv->n == rv->cap) {
        size_t ncap = rv->cap ? rv->cap * 2 : 64;
        const char **nr = ct_reallocarray(rv->v, ncap, sizeof *nr);
        if (!nr) {
            xmlFree(ref);
            return oom();
        }
        rv->v = nr;
        rv->cap = ncap;
    }
    rv->v[rv->n++] = (const char *)ref;
    return 0;
}

static void refvec_free(refvec *rv)
{
    for (size_t i = 0; i < rv->n; i++)
        xmlFree((xmlChar *)(uintptr_t)rv->v[i]);
    ct_free(rv->v);
    memset(rv, 0, sizeof *rv);
}

/* The reader is on a list element at depth 1 (not empty): its children at depth 2 are visited
 * one by one (each skipped whole by xmlTextReaderNext). An element <name> in ns is handed to
 * the caller's step: components are expanded and read, dependencies give their ref attribute,
 * vulnerabilities are only seen. *ret gets the reader's last result. */
enum { LIST_COMPONENTS, LIST_DEPENDENCIES, LIST_VULNERABILITIES };

static int read_list(ct_sbom_facts *f, const ct_ctx *ctx, xmlTextReaderPtr rd, int *ret,
                     const char *ns, int kind, refvec *refs)
{
    static const char *const names[] = { "component", "dependency", "vulnerability" };
    int rc = 0;
    *ret = xmlTextReaderRead(rd); /* into the list */
    while (*ret == 1 && rc == 0 && xmlTextReaderDepth(rd) > 1) {
        if (ct_sbom__xr_at_el(rd, ns, names[kind])) {
            if (kind == LIST_COMPONENTS) {
                const xmlNode *n = xmlTextReaderExpand(rd);
                if (!n) {
                    *ret = -1;
                    break;
                }
                rc = component(f, ctx, n, ns, 0);
            } else if (kind == LIST_DEPENDENCIES) {
                xmlChar *ref = xmlTextReaderGetAttribute(rd, (const xmlChar *)"ref");
                if (ref)
                    rc = refvec_add(refs, ref);
            } else {
                f->has_vulnerabilities = true;
            }
        }
        if (rc == 0)
            *ret = xmlTextReaderNext(rd);
    }
    return rc;
}

/* Everything below <bom> (the reader is on it); see the file comment. */
static int read_children(ct_sbom_facts *f, const ct_ctx *ctx, xmlTextReaderPtr rd, int *ret,
                         const char *ns, refvec *refs)
{
    static const char *const lists[] = { "components", "dependencies", "vulnerabilities" };
    bool meta = false, seen[3] = { false, false, false };
    int rc = 0;

    if (xmlTextReaderIsEmptyElement(rd))
        return metadata(f, NULL, ns);
    *ret = xmlTextReaderRead(rd);
    while (*ret == 1 && rc == 0 && xmlTextReaderDepth(rd) > 0) {
        bool empty = xmlTextReaderIsEmptyElement(rd) == 1, list = false;
        if (!meta && ct_sbom__xr_at_el(rd, ns, "metadata")) {
            const xmlNode *m = xmlTextReaderExpand(rd);
            meta = true;
            if (!m) {
                *ret = -1;
                break;
            }
            rc = metadata(f, m, ns);
        }
        for (int k = 0; k < 3 && rc == 0 && !list; k++)
            if (!seen[k] && ct_sbom__xr_at_el(rd, ns, lists[k])) {
                seen[k] = list = true;
                if (!empty && ((rc = read_list(f, ctx, rd, ret, ns, k, refs)) < 0 || *ret != 1))
                    return rc;
            }
        if (rc == 0)
            *ret = xmlTextReaderNext(rd);
    }
    if (rc == 0 && !meta)
        rc = metadata(f, NULL, ns); /* no <metadata>: the same (empty) facts the DOM gave */
    return rc;
}

/* ---- from the SAX pass's model (issue 5, xml9) ---------------------------------------------- */

int ct_sbom__facts_from_xml_model(ct_sbom_facts **out, const ct_sbom *sb)
{
    const ct_sbom__xml_facts *x = ct_sbom__xml_facts_of(sb);
    const char **refs = NULL;
    ct_sbom_facts *f = NULL;
    size_t nrefs = 0;
    int rc = 0;

    *out = NULL;
    if (!x || x->ncomponents != sb->ncomponents)
        return 0;
    if (!(f = ct_calloc(1, sizeof *f)) || !(f->format = ct_strdup("cyclonedx-xml")) ||
        (x->timestamp && !(f->timestamp = ct_strdup(x->timestamp))) ||
        (x->author && !(f->author = ct_strdup(x->author))) ||
        (x->author_contact && !(f->author_contact = ct_strdup(x->author_contact))) ||
        (sb->ncomponents &&
         !(f->components = ct_calloc(sb->ncomponents, sizeof *f->components)))) {
        rc = oom();
        goto cleanup;
    }
    f->tool_only = x->tool_only;
    f->has_vulnerabilities = x->has_vulnerabilities;
    f->has_properties = true;
    f->components_cap = sb->ncomponents;
    /* the components in the model's order (the facts reader's: the same lists, the same
     * limits), each with its bom-ref */
    for (size_t i = 0; i < sb->ncomponents; i++) {
        const char *ref = sb->components[i].bom_ref;
        f->ncomponents++;
        if (ref && (rc = ct_sbom__facts_set(&f->components[i].ref, ref, strlen(ref))) < 0)
            goto cleanup;
    }
    /* the creator contact: the supplier's, else the manufacturer's, else the authors' */
    for (int field = CT_XF_SUPPLIER_CONTACT; field <= CT_XF_STRUCTURED; field++) {
        for (size_t i = 0; i < x->nitems; i++) {
            const ct_sbom__xf_item *it = &x->items[i];
            ct_sbom_facts_component *fc = &f->components[it->comp];
            char **dst[] = { &fc->creator_contact, &fc->creator_contact, &fc->creator_contact,
                             &fc->filename,        &fc->executable,      &fc->archive,
                             &fc->structured };
            if (it->field == field && it->comp < f->ncomponents &&
                (rc = ct_sbom__facts_set(dst[field], it->value, strlen(it->value))) < 0)
                goto cleanup;
        }
    }
    /* stated: every <dependency>'s ref (the model's graph, and those with none inside) */
    if (sb->ndeps + x->nstated &&
        !(refs = ct_reallocarray(NULL, sb->ndeps + x->nstated, sizeof *refs))) {
        rc = oom();
        goto cleanup;
    }
    for (size_t i = 0; i < sb->ndeps; i++)
        if (!nrefs || refs[nrefs - 1] != sb->deps[i].ref) /* one ref shared by its deps */
            refs[nrefs++] = sb->deps[i].ref;
    for (size_t i = 0; i < x->nstated; i++)
        refs[nrefs++] = x->stated[i];
    if ((rc = ct_sbom__facts_mark_stated(f, refs, nrefs)) < 0)
        goto cleanup;
    *out = f;
    f = NULL;
    rc = 1;
cleanup:
    ct_free(refs);
    ct_sbom_facts_free(f);
    return rc;
}

static void quiet(void *payload, xmlErrorPtr e)
{
    (void)payload;
    (void)e;
}

int ct_sbom__facts_cdx_xml(ct_sbom_facts *f, const ct_ctx *ctx, const char *data, size_t len,
                           const char *source)
{
    xmlTextReaderPtr rd = NULL;
    refvec refs = { NULL, 0, 0 };
    const xmlNode *root = NULL;
    char *ns = NULL;
    bool doctype = false, is_bom = false;
    int rc = 0, ret;

    if (len > ct_ctx_limits(ctx)->max_doc_bytes || len > INT_MAX)
        return ct_error_set(CT_ELIMIT, "%s: document larger than max_doc_bytes", source);
    if (!(rd = xmlReaderForMemory(data, (int)len, NULL, NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR |
                                      XML_PARSE_NOWARNING)))
        return oom();
    xmlTextReaderSetStructuredErrorHandler(rd, quiet, NULL);
    ret = ct_sbom__xr_to_root(rd, &doctype); /* up to the root element */
    if (ret == 1 && !doctype) {
        root = xmlTextReaderCurrentNode(rd);
        is_bom = root && root->ns && root->ns->href &&
                 strncmp((const char *)root->ns->href, CDX_NS_PREFIX,
                         strlen(CDX_NS_PREFIX)) == 0 &&
                 strcmp((const char *)root->name, "bom") == 0;
        if (is_bom && !(ns = ct_strdup((const char *)root->ns->href)))
            rc = oom();
        if (rc == 0 && is_bom) {
            f->has_properties = true;
            rc = read_children(f, ctx, rd, &ret, ns, &refs);
        }
    }
    /* the rest of the document: a libxml2 error anywhere comes first, as with a DOM */
    if (rc != CT_ENOMEM)
        while (ret == 1)
            ret = xmlTextReaderNext(rd);
    if (ret < 0 || (!root && !doctype && rc == 0))
        rc = ct_error_set(CT_EPARSE, "%s: not well-formed XML", source);
    else if (doctype)
        rc = ct_error_set(CT_EPARSE, "%s: DOCTYPE declarations are not allowed", source);
    else if (rc == 0 && !is_bom)
        rc = ct_error_set(CT_EPARSE, "not a CycloneDX XML document");
    else if (rc == 0)
        rc = ct_sbom__facts_mark_stated(f, refs.v, refs.n);
    refvec_free(&refs);
    ct_free(ns);
    xmlFreeTextReader(rd);
    return rc;
}

/* CycloneDX XML validation (1.4-1.7), streamed: libxml2's xmlTextReader walks the document and
 * expands one small subtree at a time (each <component>/<service>/<dependency>/<vulnerability>
 * of the top-level lists, every other top-level element whole), so memory is the refs table plus
 * one subtree, not a DOM. On each subtree: the C structural rules (the constraints of
 * bom-1.x.xsd that matter for interchange, no schema engine) and the semantic checks (duplicate
 * bom-refs, dangling dependency refs, invalid purls). On request the XSD (bom-1.x.xsd with
 * spdx.xsd) validates the same stream instead of the C structural rules. A document that is not
 * well-formed, or that has a DOCTYPE, gets that one finding only, worded as a libxml2 DOM parse
 * words it. */
#include "spdx_int.h"          /* ct_sbom__hash_content_ok */
#include "spdx_validate_int.h" /* ct_sbom__report_add */
#include "validate_int.h"
#include "sbom/xml_reader_int.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CDX_NS_PREFIX "http://cyclonedx.org/schema/bom/"
#define PARSE_OPTS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES)

static void xmlerr_at(vstate *v, const xmlNode *n, const char *fmt, ...) CT_PRINTF(3, 4);

static void xmlerr_at(vstate *v, const xmlNode *n, const char *fmt, ...)
{
    char msg[512], where[32];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(where, sizeof where, "line %ld", n ? xmlGetLineNo(n) : 0L);
    ct_sbom__verr(v, where, "%s", msg);
}

/* ---- tree helpers (on one expanded subtree) ------------------------------------------------ */

static bool x_is(const xmlNode *n, const char *ns, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           strcmp((const char *)n->ns->href, ns) == 0 &&
           (!name || strcmp((const char *)n->name, name) == 0);
}

static const xmlNode *x_child(const xmlNode *n, const char *ns, const char *name)
{
    for (const xmlNode *c = n->children; c; c = c->next)
        if (x_is(c, ns, name))
            return c;
    return NULL;
}

static size_t x_count(const xmlNode *n, const char *ns, const char *name)
{
    size_t k = 0;
    for (const xmlNode *c = n->children; c; c = c->next)
        k += x_is(c, ns, name);
    return k;
}

/* parent is <name> in the CycloneDX namespace */
static bool x_parent_is(const xmlNode *n, const char *ns, const char *name)
{
    return n->parent && x_is(n->parent, ns, name);
}

/* Text children only (no entity expansion); NEW. */
static char *x_text(const xmlNode *n)
{
    ct_buf b = CT_BUF_INIT;
    for (const xmlNode *c = n->children; c; c = c->next)
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
            ct_buf_puts(&b, (const char *)c->content);
    if (b.failed) {
        ct_buf_dispose(&b);
        return NULL;
    }
    return ct_buf_detach(&b);
}

static char *x_attr(const xmlNode *n, const char *name)
{
    xmlChar *a = xmlGetNoNsProp(n, (const xmlChar *)name);
    char *s = a ? ct_strdup((const char *)a) : NULL;
    xmlFree(a);
    return s;
}

static void x_enum_attr(vstate *v, const xmlNode *n, const char *attr, const ct_sbom__enumtab *e,
                        bool req, const char *what)
{
    char *s = x_attr(n, attr);
    if (!s) {
        if (req)
            xmlerr_at(v, n, "<%s> lacks the required \"%s\" attribute", n->name, attr);
    } else if (!ct_sbom__in_enum(e, s, v->minor)) {
        xmlerr_at(v, n, "\"%.100s\" is not a valid %s in CycloneDX 1.%d", s, what, v->minor);
    }
    ct_free(s);
}

static void x_required_attr(vstate *v, const xmlNode *n, const char *attr)
{
    xmlChar *a = xmlGetNoNsProp(n, (const xmlChar *)attr);
    if (!a)
        xmlerr_at(v, n, "<%s> lacks the required \"%s\" attribute", n->name, attr);
    xmlFree(a);
}

/* ---- the C rules ---------------------------------------------------------------------------- */

/* children of <metadata> (bom-1.x.xsd, type metadata: a sequence, each at most once) and the
 * minor version that introduced them */
static const enumval metadata_children[] = {
    { "timestamp", 4 },    { "lifecycles", 5 }, { "tools", 4 },     { "authors", 4 },
    { "component", 4 },    { "manufacturer", 6 }, { "manufacture", 4 }, { "supplier", 4 },
    { "licenses", 4 },     { "properties", 4 }, { "distributionConstraints", 7 },
};

static void x_metadata(vstate *v, const xmlNode *n)
{
    const char *ns = v->ns;
    for (size_t i = 0; i < CT_NELEM(metadata_children); i++)
        if (metadata_children[i].since <= v->minor &&
            x_count(n, ns, metadata_children[i].name) > 1)
            xmlerr_at(v, n, "<metadata> holds at most one <%s>", metadata_children[i].name);
    for (const xmlNode *c = n->children; c; c = c->next) {
        size_t i = 0;
        if (!x_is(c, ns, NULL))
            continue;
        while (i < CT_NELEM(metadata_children) &&
               strcmp(metadata_children[i].name, (const char *)c->name) != 0)
            i++;
        if (i == CT_NELEM(metadata_children) || metadata_children[i].since > v->minor)
            xmlerr_at(v, c, "<%.100s> is not allowed in <metadata> in CycloneDX 1.%d", c->name,
                      v->minor);
    }
}

/* <license>: one <id> (an SPDX licence id when the id list is loaded) or one <name>; 1.4 and
 * 1.5 also allow neither */
static void x_license(vstate *v, const xmlNode *n)
{
    const char *ns = v->ns;
    const xmlNode *id = x_child(n, ns, "id");
    size_t k = x_count(n, ns, "id") + x_count(n, ns, "name");
    char *s;
    if (k > 1 || (k == 0 && v->minor >= 6)) {
        xmlerr_at(v, n, "a license needs exactly one of <id> and <name>");
        return;
    }
    if (id && (s = x_text(id))) {
        if (!ct_sbom__spdx_id_known(v, s))
            xmlerr_at(v, id, "\"%.100s\" is not an SPDX license id", s);
        ct_free(s);
    }
}

/* <licenses>: up to 1.6 either <license> elements or one <expression> (1.7 mixes them) */
static void x_licenses(vstate *v, const xmlNode *n)
{
    const char *ns = v->ns;
    size_t nexpr;
    if (v->minor > 6)
        return;
    nexpr = x_count(n, ns, "expression");
    if (nexpr && x_child(n, ns, "license"))
        xmlerr_at(v, n, "<licenses> holds either <license> elements or one <expression>");
    else if (nexpr > 1)
        xmlerr_at(v, n, "<licenses> holds at most one <expression> in CycloneDX 1.%d", v->minor);
}

/* <citation> (1.7): one of <pointers>/<expressions>, one <timestamp>, at most one
 * <attributedTo> and one <process> */
static void x_citation(vstate *v, const xmlNode *n)
{
    const char *ns = v->ns;
    if (x_count(n, ns, "pointers") + x_count(n, ns, "expressions") != 1)
        xmlerr_at(v, n, "a citation holds exactly one of <pointers> and <expressions>");
    if (x_count(n, ns, "timestamp") != 1)
        xmlerr_at(v, n, "a citation needs exactly one <timestamp>");
    if (x_count(n, ns, "attributedTo") > 1)
        xmlerr_at(v, n, "a citation holds at most one <attributedTo>");
    if (x_count(n, ns, "process") > 1)
        xmlerr_at(v, n, "a citation holds at most one <process>");
}

static void x_component(vstate *v, const xmlNode *n)
{
    const char *ns = v->ns;
    const xmlNode *c;
    char *s;
    x_enum_attr(v, n, "type", &ct_sbom__enum_component_types, true, "component type");
    if (!x_child(n, ns, "name"))
        xmlerr_at(v, n, "component lacks the required <name>");
    /* an empty <scope/> takes the schema's default ("required") */
    if ((c = x_child(n, ns, "scope")) && (s = x_text(c))) {
        if (*s && !ct_sbom__in_enum(&ct_sbom__enum_scopes, s, v->minor))
            xmlerr_at(v, c, "\"%.100s\" is not a valid scope", s);
        ct_free(s);
    }
    if (x_count(n, ns, "version") + x_count(n, ns, "versionRange") > 1)
        xmlerr_at(v, n, "a component holds at most one of <version> and <versionRange>");
}

/* Rules of one element whose name matches no table row: data classification, swid, text. */
static void x_misc(vstate *v, const xmlNode *n, const char *name)
{
    const char *ns = v->ns;
    xmlChar *a;
    if (strcmp(name, "classification") == 0 &&
        ((x_parent_is(n, ns, "data") && n->parent->parent &&
          x_is(n->parent->parent, ns, "service")) ||
         x_parent_is(n, ns, "dataflow"))) {
        x_enum_attr(v, n, "flow", &ct_sbom__enum_flows, true, "data flow");
    } else if (strcmp(name, "swid") == 0 && x_parent_is(n, ns, "component")) {
        x_required_attr(v, n, "tagId");
        x_required_attr(v, n, "name");
    } else if (strcmp(name, "text") == 0 &&
               (a = xmlGetNoNsProp(n, (const xmlChar *)"encoding"))) {
        /* an attachment's encoding; the other <text> elements take no attributes at all */
        if (!ct_sbom__in_enum(&ct_sbom__enum_encodings, (const char *)a, v->minor))
            xmlerr_at(v, n, "\"%.100s\" is not a valid encoding in CycloneDX 1.%d",
                      (const char *)a, v->minor);
        xmlFree(a);
    } else if (strcmp(name, "citation") == 0 && v->minor >= 7 &&
               x_parent_is(n, ns, "citations")) {
        x_citation(v, n);
    } else if (strcmp(name, "metadata") == 0 && x_parent_is(n, ns, "bom")) {
        x_metadata(v, n);
    }
}

static void x_bom_ref(vstate *v, const xmlNode *n, bool structural)
{
    char *s;
    if ((s = x_attr(n, "bom-ref"))) {
        char where[32];
        snprintf(where, sizeof where, "line %ld", xmlGetLineNo(n));
        if (!*s && structural && v->minor >= 5)
            xmlerr_at(v, n, "bom-ref must not be empty");
        else
            ct_sbom__note_ref(v, false, s, where);
        ct_free(s);
    }
}

static void x_walk(vstate *v, const xmlNode *n, bool structural, int depth);

/* Semantic checks (both modes) and, when structural, the C rules of element n and below. */
static void x_node(vstate *v, const xmlNode *n, bool structural, int depth)
{
    const char *ns = v->ns;
    char *s;
    if (!x_is(n, ns, NULL) || depth > 256)
        return;
    const char *name = (const char *)n->name;
    x_bom_ref(v, n, structural);
    if (strcmp(name, "component") == 0 && n->parent &&
        (x_is(n->parent, ns, "components") || x_is(n->parent, ns, "metadata") ||
         x_is(n->parent, ns, "ancestors") || x_is(n->parent, ns, "descendants") ||
         x_is(n->parent, ns, "variants"))) {
        const xmlNode *c;
        if (structural)
            x_component(v, n);
        if ((c = x_child(n, ns, "purl")) && (s = x_text(c))) {
            if (!ct_sbom__purl_ok(s))
                xmlerr_at(v, c, "invalid purl \"%.200s\"", s);
            ct_free(s);
        }
    } else if (structural && strcmp(name, "hash") == 0) {
        x_enum_attr(v, n, "alg", &ct_sbom__enum_hash_algs, true, "hash algorithm");
        if ((s = x_text(n))) {
            if (!ct_sbom__hash_content_ok(s))
                xmlerr_at(v, n, "hash content must be 32, 40, 64, 96 or 128 hex digits");
            ct_free(s);
        }
    } else if (structural && strcmp(name, "license") == 0 && x_parent_is(n, ns, "licenses")) {
        x_license(v, n);
    } else if (structural && strcmp(name, "licenses") == 0) {
        x_licenses(v, n);
    } else if (structural && strcmp(name, "timestamp") == 0) {
        if ((s = x_text(n))) {
            if (!ct_sbom__datetime_ok(s))
                xmlerr_at(v, n, "timestamp must be an xs:dateTime");
            ct_free(s);
        }
    } else if (structural && strcmp(name, "reference") == 0 &&
               x_parent_is(n, ns, "externalReferences")) {
        x_enum_attr(v, n, "type", &ct_sbom__enum_extref_types, true, "external reference type");
    } else if (structural && strcmp(name, "patch") == 0) {
        x_enum_attr(v, n, "type", &ct_sbom__enum_patch_types, true, "patch type");
    } else if (structural && strcmp(name, "issue") == 0) {
        x_enum_attr(v, n, "type", &ct_sbom__enum_issue_types, true, "issue type");
    } else if (structural && strcmp(name, "property") == 0 && v->minor >= 5) {
        if (!(s = x_attr(n, "name")))
            xmlerr_at(v, n, "<property> lacks the required \"name\" attribute");
        ct_free(s);
    } else if (strcmp(name, "dependency") == 0 && n->parent &&
               ((x_is(n->parent, ns, "dependencies") && n->parent->parent &&
                 x_is(n->parent->parent, ns, "bom")) ||
                (x_is(n->parent, ns, "dependency") && n->parent->parent &&
                 n->parent->parent->parent && x_is(n->parent->parent->parent, ns, "bom")))) {
        char where[32];
        snprintf(where, sizeof where, "line %ld", xmlGetLineNo(n));
        if (!(s = x_attr(n, "ref")) || !*s) {
            if (structural)
                xmlerr_at(v, n, "<dependency> needs a non-empty \"ref\" attribute");
        } else {
            ct_sbom__note_ref(v, true, s, where);
        }
        ct_free(s);
    } else if (structural) {
        x_misc(v, n, name);
    }
    x_walk(v, n->children, structural, depth + 1);
}

static void x_walk(vstate *v, const xmlNode *n, bool structural, int depth)
{
    for (; n; n = n->next)
        x_node(v, n, structural, depth);
}

/* ---- the XSD (on request) ------------------------------------------------------------------ */

typedef struct {
    vstate *v;
    ct_sbom_report *schema_rep; /* schema findings go here (the walk's may go elsewhere) */
} xerr;

/* libxml2's errors: schema validity findings are kept; parser errors are taken again from a
 * pull parse when the document turns out not to be well-formed (xml_error) */
static void on_error(void *payload, xmlErrorPtr e)
{
    xerr *x = payload;
    char where[32];
    size_t mlen;
    if (!e || e->domain != XML_FROM_SCHEMASV)
        return;
    mlen = e->message ? strlen(e->message) : 0;
    while (mlen && (e->message[mlen - 1] == '\n' || e->message[mlen - 1] == ' '))
        mlen--;
    snprintf(where, sizeof where, "line %d", e->line);
    {
        char msg[512];
        snprintf(msg, sizeof msg, "%.*s", (int)(mlen > 400 ? 400 : mlen),
                 e->message ? e->message : "");
        if (ct_sbom__report_add(x->schema_rep, where, msg) < 0)
            x->v->failed = true;
    }
}

static void schema_quiet(void *payload, xmlErrorPtr e)
{
    (void)payload;
    (void)e;
}

/* Compile dir/bom-1.x.xsd with its spdx import redirected to dir/spdx.xsd (never the network).
 * NULL when unavailable. */
static xmlSchemaPtr load_xsd(const char *dir, int minor)
{
    static const char remote[] = "schemaLocation=\"http://cyclonedx.org/schema/spdx\"";
    char name[32], *path, *text = NULL, *spdx = NULL, abs[PATH_MAX];
    ct_buf b = CT_BUF_INIT;
    xmlDocPtr doc = NULL;
    xmlSchemaParserCtxtPtr pc = NULL;
    xmlSchemaPtr schema = NULL;
    size_t len;
    const char *hit;

    snprintf(name, sizeof name, "bom-1.%d.xsd", minor);
    path = ct_sbom__path_join(dir, name);
    spdx = ct_sbom__path_join(dir, "spdx.xsd");
    if (!path || !spdx || ct_file_read(&text, &len, path, 16u << 20) < 0)
        goto done;
    if (spdx[0] == '/')
        snprintf(abs, sizeof abs, "%s", spdx);
    else if (!getcwd(abs, sizeof abs) ||
             (size_t)snprintf(abs + strlen(abs), sizeof abs - strlen(abs), "/%s", spdx) >=
                 sizeof abs - strlen(abs))
        goto done;
    if ((hit = strstr(text, remote))) {
        ct_buf_put(&b, text, (size_t)(hit - text));
        ct_buf_puts(&b, "schemaLocation=\"file://");
        ct_buf_puts(&b, abs);
        ct_buf_putc(&b, '"');
        ct_buf_puts(&b, hit + sizeof remote - 1);
    } else {
        ct_buf_put(&b, text, len);
    }
    if (b.failed || b.len > INT_MAX)
        goto done;
    doc = xmlReadMemory(b.ptr, (int)b.len, path, NULL,
                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc || !(pc = xmlSchemaNewDocParserCtxt(doc)))
        goto done;
    xmlSchemaSetParserStructuredErrors(pc, schema_quiet, NULL);
    schema = xmlSchemaParse(pc);
done:
    ct_error_clear();
    xmlSchemaFreeParserCtxt(pc);
    xmlFreeDoc(doc);
    ct_buf_dispose(&b);
    ct_free(text);
    ct_free(path);
    ct_free(spdx);
    return schema;
}

/* The minor version of a CycloneDX 1.4-1.7 root, read from the prolog and the root's start tag
 * only; 0 when the root is something else (or there is a DOCTYPE). */
static int sniff_minor(const char *data, size_t len)
{
    xmlTextReaderPtr rd = xmlReaderForMemory(data, (int)len, NULL, NULL, PARSE_OPTS);
    int ret, minor = 0;
    if (!rd)
        return 0;
    xmlTextReaderSetStructuredErrorHandler(rd, schema_quiet, NULL);
    while ((ret = xmlTextReaderRead(rd)) == 1) {
        int type = xmlTextReaderNodeType(rd);
        if (type == XML_READER_TYPE_DOCUMENT_TYPE)
            break;
        if (type == XML_READER_TYPE_ELEMENT) {
            const char *uri = (const char *)xmlTextReaderConstNamespaceUri(rd);
            const char *local = (const char *)xmlTextReaderConstLocalName(rd);
            size_t pl = strlen(CDX_NS_PREFIX);
            if (uri && local && strcmp(local, "bom") == 0 && strncmp(uri, CDX_NS_PREFIX, pl) == 0 &&
                strlen(uri + pl) == 3 && uri[pl] == '1' && uri[pl + 1] == '.' &&
                uri[pl + 2] >= '4' && uri[pl + 2] <= '7')
                minor = uri[pl + 2] - '0';
            break;
        }
    }
    xmlFreeTextReader(rd);
    return minor;
}

/* ---- the stream ------------------------------------------------------------------------------ */

static void report_clear(ct_sbom_report *r)
{
    for (size_t i = 0; i < r->nerrors; i++) {
        ct_free(r->errors[i].location);
        ct_free(r->errors[i].message);
    }
    r->nerrors = 0;
}

/* Not well-formed: the finding a libxml2 DOM parse gives, taken from a pull parse with a SAX
 * handler that builds nothing (the push parser behind xmlTextReader can word or place an error
 * differently). */
static void xml_error(vstate *v, const char *data, size_t len)
{
    xmlParserCtxtPtr pc = xmlNewParserCtxt();
    const xmlError *e;
    char where[48];
    size_t mlen;
    if (!pc) {
        v->failed = true;
        return;
    }
    memset(pc->sax, 0, sizeof *pc->sax);
    pc->sax->initialized = XML_SAX2_MAGIC;
    xmlFreeDoc(xmlCtxtReadMemory(pc, data, (int)len, NULL, NULL,
                                 XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
    e = pc->wellFormed ? NULL : xmlCtxtGetLastError(pc);
    mlen = e && e->message ? strlen(e->message) : 0;
    while (mlen && (e->message[mlen - 1] == '\n' || e->message[mlen - 1] == ' '))
        mlen--;
    snprintf(where, sizeof where, "line %d", e ? e->line : 0);
    ct_sbom__verr(v, where, "XML: %.*s", (int)(mlen > 400 ? 400 : mlen),
                  mlen ? e->message : "not well-formed");
    xmlFreeParserCtxt(pc);
}

/* The root element: CycloneDX 1.4-1.7 (sets v->ns, v->minor, spec_version) and, with the C
 * rules, its attributes. false when it is not one (the finding is made). */
static bool x_root(vstate *v, const xmlNode *root, bool structural)
{
    const char *spec;
    char *s;
    if (!root || strcmp((const char *)root->name, "bom") != 0 || !root->ns || !root->ns->href ||
        strncmp((const char *)root->ns->href, CDX_NS_PREFIX, strlen(CDX_NS_PREFIX)) != 0) {
        xmlerr_at(v, root, "not a CycloneDX document: the root must be <bom> in "
                           "http://cyclonedx.org/schema/bom/1.x");
        return false;
    }
    v->ns = (const char *)root->ns->href;
    spec = v->ns + strlen(CDX_NS_PREFIX);
    v->rep->spec_version = ct_strdup(spec);
    if (!(strlen(spec) == 3 && spec[0] == '1' && spec[1] == '.' && spec[2] >= '4' &&
          spec[2] <= '7')) {
        xmlerr_at(v, root, "unsupported CycloneDX XML version \"%.20s\" (1.4 to 1.7)", spec);
        return false;
    }
    v->minor = spec[2] - '0';
    if (!structural)
        return true;
    if ((s = x_attr(root, "serialNumber"))) {
        if (!ct_sbom__serial_ok(s))
            xmlerr_at(v, root, "serialNumber must match urn:uuid:<RFC 4122 UUID>");
        ct_free(s);
    }
    if ((s = x_attr(root, "version"))) {
        int64_t ver;
        if (ct_parse_i64(&ver, s, strlen(s), 1, INT64_MAX) < 0)
            xmlerr_at(v, root, "version must be an integer >= 1");
        ct_error_clear();
        ct_free(s);
    }
    return true;
}

/* top-level lists whose items are expanded one at a time */
static bool is_list(const char *name)
{
    static const char *const lists[] = { "components", "services", "dependencies",
                                         "vulnerabilities" };
    for (size_t i = 0; i < CT_NELEM(lists); i++)
        if (strcmp(name, lists[i]) == 0)
            return true;
    return false;
}

/* The root's children, the reader on the root's start tag; returns the last read status. */
static int x_stream(vstate *v, xmlTextReaderPtr rd, bool structural)
{
    int ret;
    if (xmlTextReaderIsEmptyElement(rd) == 1)
        return xmlTextReaderRead(rd);
    ret = xmlTextReaderRead(rd);
    while (ret == 1 && xmlTextReaderDepth(rd) > 0 && !v->failed) {
        const xmlNode *n;
        if (xmlTextReaderNodeType(rd) != XML_READER_TYPE_ELEMENT) {
            ret = xmlTextReaderRead(rd);
            continue;
        }
        n = xmlTextReaderCurrentNode(rd);
        if (!x_is(n, v->ns, NULL)) {
            ret = xmlTextReaderNext(rd);
            continue;
        }
        if (is_list((const char *)n->name)) {
            x_bom_ref(v, n, structural); /* no list has a rule of its own */
            if (xmlTextReaderIsEmptyElement(rd) == 1) {
                ret = xmlTextReaderRead(rd);
                continue;
            }
            ret = xmlTextReaderRead(rd);
            while (ret == 1 && xmlTextReaderDepth(rd) > 1 && !v->failed) {
                const xmlNode *item;
                if (xmlTextReaderNodeType(rd) != XML_READER_TYPE_ELEMENT ||
                    xmlTextReaderDepth(rd) != 2) {
                    ret = xmlTextReaderRead(rd);
                    continue;
                }
                if (!(item = xmlTextReaderExpand(rd)))
                    return -1;
                x_node(v, item, structural, 1);
                ret = xmlTextReaderNext(rd);
            }
            continue; /* on the list's end tag: read past it next round */
        }
        if (!(n = xmlTextReaderExpand(rd)))
            return -1;
        x_node(v, n, structural, 0);
        ret = xmlTextReaderNext(rd);
    }
    return ret;
}

void ct_sbom__validate_xml(vstate *v, const char *data, size_t len, const char *xsd_dir,
                           const char *spdx_dir)
{
    xmlTextReaderPtr rd = NULL;
    xmlSchemaPtr schema = NULL;
    xmlSchemaValidCtxtPtr vc = NULL;
    ct_sbom_report *main_rep = v->rep, side;
    xerr xe = { v, main_rep };
    bool doctype = false, root_seen = false, root_ok = false;
    int ret, minor;

    memset(&side, 0, sizeof side);
    main_rep->format = ct_strdup("cyclonedx-xml");
    if (len > INT_MAX) {
        v->failed = true;
        return;
    }
    if (xsd_dir && (minor = sniff_minor(data, len)) > 0)
        schema = load_xsd(xsd_dir, minor);
    if (!schema && spdx_dir)
        ct_sbom__load_spdx_ids(v, spdx_dir);
    if (!(rd = xmlReaderForMemory(data, (int)len, NULL, NULL, PARSE_OPTS))) {
        v->failed = true;
        goto done;
    }
    if (schema) {
        if (!(vc = xmlSchemaNewValidCtxt(schema))) {
            v->failed = true;
            goto done;
        }
        xmlSchemaSetValidStructuredErrors(vc, on_error, &xe);
        if (xmlTextReaderSchemaValidateCtxt(rd, vc, 0) != 0) {
            v->failed = true;
            goto done;
        }
        main_rep->schema_checked = true;
        v->rep = &side; /* the walk's semantic findings follow the schema's, as with a DOM */
    }
    xmlTextReaderSetStructuredErrorHandler(rd, on_error, &xe);
    ret = ct_sbom__xr_to_root(rd, &doctype); /* up to the root element */
    if (ret == 1 && !doctype) {
        root_seen = true;
        /* the root's findings come first in either mode */
        v->rep = main_rep;
        root_ok = x_root(v, xmlTextReaderCurrentNode(rd), !schema);
        if (schema)
            v->rep = &side;
        if (root_ok)
            ret = x_stream(v, rd, !schema);
    }
    /* the rest of the document: a libxml2 error anywhere comes first, as with a DOM */
    while (ret == 1 && !v->failed)
        ret = xmlTextReaderNext(rd);
    v->rep = main_rep;
    if (v->failed)
        goto done;
    if (ret < 0 || (!root_seen && !doctype)) {
        report_clear(main_rep);
        ct_free(main_rep->spec_version);
        main_rep->spec_version = NULL;
        main_rep->schema_checked = false;
        xml_error(v, data, len);
        goto done;
    }
    if (doctype) {
        report_clear(main_rep);
        main_rep->schema_checked = false;
        ct_sbom__verr(v, "line 1", "DOCTYPE declarations are not allowed");
        goto done;
    }
    if (!root_ok) {
        main_rep->schema_checked = false;
        goto done;
    }
    if (schema && xmlTextReaderIsValid(rd) != 1 && main_rep->nerrors == 0)
        ct_sbom__verr(v, "line 1", "the document does not validate against bom-1.%d.xsd",
                      v->minor);
    for (size_t i = 0; i < side.nerrors && !v->failed; i++)
        if (ct_sbom__report_add(main_rep, side.errors[i].location, side.errors[i].message) < 0)
            v->failed = true;
    ct_sbom__check_refs(v);
done:
    v->rep = main_rep;
    report_clear(&side);
    ct_free(side.errors);
    xmlFreeTextReader(rd);
    if (vc)
        xmlSchemaFreeValidCtxt(vc);
    if (schema)
        xmlSchemaFree(schema);
}

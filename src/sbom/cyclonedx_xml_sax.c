/* CycloneDX XML into the format-neutral model from the SAX2 events of one libxml2 push parse
 * that builds no tree (issue 5, xmlone; split out of cyclonedx_xml.c in xml9): validate_xml.c
 * drives it beside the validator's rules (ct_sbom_parse_validate) or alone (ct_sbom_parse), and
 * it reads what cyclonedx_xml.c's tree reader reads, so a document it leaves (one the reader
 * refuses, or one it cannot be sure of) is read by that reader, whose error is reported. It
 * also keeps, beside the model, what the profile facts need that the model does not hold
 * (xml_reader_int.h; profile_facts_xml.c), so `sbom validate --profile` parses once (xml9).
 * Model strings go straight into the model's arena (model.c). */
#include "cratrace/sbom.h"
#include "base/bigmem.h"
#include "sbom/model_int.h"
#include "sbom/xml_reader_int.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h> /* IS_BLANK_CH */
#include <string.h>

#define CDX_NS_PREFIX CT_SBOM_CDX_NS_PREFIX
#define CDX_DG_NS CT_SBOM_CDX_DG_NS

/* ---- the builder (xml_reader_int.h) ----------------------------------------------------------
 * Each open element has a frame saying what the tree reader above does with
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
    /* the profile facts' inputs (xml_reader_int.h; profile_facts_xml.c reads the same) */
    XB_FTEXT,     /* an element whose first non-empty text child is a fact (target: FT_*) */
    XB_AUTHORS,   /* the first <authors> of <metadata> (target 0) or of a component (1) */
    XB_AUTHOR,    /* one <author> in it */
    XB_ORG,       /* metadata's first <manufacturer>, <manufacture>, <supplier> (target 0-2),
                   * a component's first <manufacturer> (ORG_COMP_MANUFACTURER); a component's
                   * <supplier> is XB_SUPPLIER, which is one too */
    XB_CONTACT,   /* a <contact> of one */
    XB_PROPS,     /* a component's first <properties> */
    XB_TOOLS,     /* metadata's first <tools>: has it an element? */
    XB_VULNS,     /* the first <vulnerabilities>: has it a <vulnerability>? */
};

/* where a fact's text goes (XB_FTEXT) */
enum {
    FT_TIMESTAMP, FT_AUTHOR_NAME, FT_AUTHOR_EMAIL, FT_ORG_NAME, FT_URL, FT_EMAIL,
    FT_PROP, /* + 0..3: the BSI properties, in CT_XF_FILENAME.. order */
};
#define ORG_COMP_MANUFACTURER 3

/* the kind of the last child node of the open fact text (a tree node boundary) */
enum { FTN_NONE, FTN_TEXT, FTN_CDATA, FTN_OTHER };

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
#define SEEN_TIMESTAMP (1u << 16)
#define SEEN_AUTHORS (1u << 17)
#define SEEN_ORG(k) (1u << (18 + (k))) /* metadata's organisations, 0-2 */
#define SEEN_TOOLS (1u << 21)
#define SEEN_VULNS (1u << 22)
#define SEEN_URL (1u << 23)
#define SEEN_EMAIL (1u << 24)
#define SEEN_PROPS (1u << 25)
#define SEEN_MANUFACTURER (1u << 26)
#define SEEN_FOUND (1u << 27) /* XB_AUTHORS of a component: its contact was taken */

typedef struct {
    uint8_t role, target;
    uint32_t seen;
    uint32_t depth; /* XB_COMP: its depth; XB_LIST: its items' */
    size_t comp;    /* XB_COMP: index in sbom->components; XB_DEP: sbom->ndeps at its start */
    char *ref;      /* XB_DEP: the ref (arena) */
} xbframe;

/* names the reader looks at, interned in the parser's dictionary */
#define XB_NAMES(X)                                                                               \
    X(bom) X(metadata) X(components) X(component) X(dependencies) X(dependency) X(name)           \
    X(group) X(version) X(purl) X(cpe) X(supplier) X(hashes) X(hash) X(licenses) X(license)       \
    X(expression) X(id) X(type) X(alg) X(ref) X(serialNumber) X(timestamp) X(authors) X(author) \
    X(email) X(url) X(contact) X(manufacturer) X(manufacture) X(tools) X(properties)             \
    X(property) X(vulnerabilities) X(vulnerability)

struct ct_sbom__xmb {
    const ct_ctx *ctx;
    ct_sbom *sbom;         /* the model being read */
    const ct_sbom__xml_spec *spec; /* the root's version */
    ct_buf tmp, out;       /* a decoded attribute; licences being joined */
    ct_sbom_intern cache;  /* short model strings stored once */
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
    bool hash_any; /* a <hash> was read into the open "[" of <hashes> */
    /* the <license> being read: first (1.1 on) or all (1.0) <id> and <name> texts */
    ct_buf lic_id, lic_name;
    bool id_long, name_long;
    size_t run; /* bytes of the text run in progress (libxml2's text node size limit) */
    bool big;   /* a large input (XB_HUGE_MIN): huge-page blocks from the start */
    size_t max_string, max_components; /* the ctx's limits, read once */
    /* the profile facts' inputs (xml_reader_int.h): kept with the model it gives */
    ct_sbom__xml_facts *xf;
    ct_buf ft;      /* the open fact text (XB_FTEXT): its first non-empty child so far */
    uint8_t ft_node; /* the kind of that element's last child (FTN_*) */
    bool ft_done;   /* the first non-empty child is complete */
    ct_buf au_name, au_email;            /* the open <author>'s first <name> and <email> */
    ct_buf org_name, org_url, org_email; /* the open organisation's <name>, <url>, first
                                          * <contact> <email> */
    ct_buf ct_email;                     /* the open <contact>'s first <email> */
    char *meta_name[3], *meta_contact[3]; /* metadata's organisations (ORG targets 0-2) */
    bool meta_org[3];
    char *au_meta_name, *au_meta_contact; /* metadata's authors' */
    bool tools, tools_el;                 /* metadata's <tools>; it holds an element */
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
    ct_buf *b = &m->tmp;
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
    if (ct_sbom__arena_put(m->sbom, v, len) < 0 ||
        !(d = ct_sbom__arena_close(m->sbom, intern ? &m->cache : NULL)))
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
    ct_sbom *s = m->sbom;
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
        (m->spec->v11 && !xb_attr_arena(m, &comp->bom_ref, at, nat, m->nm.bom_ref, false)))
        return;
    if (!(f = xb_push(m, XB_COMP)))
        return;
    f->depth = d;
    f->comp = s->ncomponents - 1;
}

/* add_dep: ref is the arena string of the enclosing <dependency> */
static bool xb_dep(ct_sbom__xmb *m, char *ref, const char *on, size_t len)
{
    ct_sbom *s = m->sbom;
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
    ct_sbom *sb = m->sbom;
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
    if (ct_sbom__arena_put(m->sbom, s, strlen(s)) < 0)
        xb_fail(m);
}

/* the root: read_bom's checks and attributes */
static void xb_root(ct_sbom__xmb *m, const xmlChar *local, const xmlChar *prefix,
                    const xmlChar *uri, int nat, const xmlChar **at)
{
    const char *spec;
    xbframe *f;
    m->root_done = true;
    if (local != m->nm.bom || (prefix && !uri) || !uri ||
        strncmp((const char *)uri, CDX_NS_PREFIX, strlen(CDX_NS_PREFIX)) != 0) {
        xb_fail(m);
        return;
    }
    spec = (const char *)uri + strlen(CDX_NS_PREFIX);
    if (!(m->spec = ct_sbom__xml_spec_of(spec))) {
        xb_fail(m);
        return;
    }
    m->ns = uri;
    if (m->spec->deps == 1) {
        if (!(m->dep_ns = xmlDictLookup(m->pc->dict, (const xmlChar *)CDX_DG_NS, -1))) {
            xb_fail(m);
            return;
        }
    } else {
        m->dep_ns = uri;
    }
    if (!(m->sbom->format = ct_sbom__arena_strndup(m->sbom, "cyclonedx-xml", 13)) ||
        !(m->sbom->spec_version = ct_sbom__arena_strndup(m->sbom, spec, strlen(spec)))) {
        xb_fail(m);
        return;
    }
    if (m->spec->v11 && !xb_attr_arena(m, &m->sbom->serial_number, at, nat,
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

/* ---- the profile facts' inputs (xml_reader_int.h) ------------------------------------------
 * What profile_facts_xml.c's tree walk takes, taken here from the same events: the text of a
 * fact is the element's first text or CDATA child with content (text() there), so the tree's
 * child nodes are told apart as they come (consecutive text runs make one text node, as do
 * consecutive CDATA sections; a comment, PI or element ends one), with the blank runs the tree
 * drops left out (xb_dropped). */

static void xf_free(void *p)
{
    ct_sbom__xml_facts *x = p;
    if (!x)
        return;
    for (size_t i = 0; i < x->nitems; i++)
        ct_free(x->items[i].value);
    ct_free(x->items);
    ct_free(x->stated);
    ct_free(x->timestamp);
    ct_free(x->author);
    ct_free(x->author_contact);
    ct_free(x);
}

const ct_sbom__xml_facts *ct_sbom__xml_facts_of(const ct_sbom *sb)
{
    return ct_sbom__arena_attached(sb, xf_free);
}

/* *dst = a copy of the text in b unless *dst is set or b is empty (first value wins) */
static void xf_dup(ct_sbom__xmb *m, char **dst, const ct_buf *b)
{
    if (*dst || !b->len)
        return;
    if (!(*dst = ct_strndup(b->ptr, b->len)))
        xb_fail(m);
}

/* b into dst (the text of the element that just ended) */
static void xf_keep(ct_sbom__xmb *m, ct_buf *dst, const ct_buf *b)
{
    ct_buf_reset(dst);
    if (ct_buf_put(dst, b->ptr, b->len) < 0)
        xb_fail(m);
}

/* a component's fact (its text in b; nothing when empty) */
static void xf_item(ct_sbom__xmb *m, size_t comp, int field, const ct_buf *b)
{
    ct_sbom__xml_facts *x = m->xf;
    char *v;
    if (!b->len)
        return;
    if (x->nitems == x->items_cap) {
        size_t ncap = x->items_cap ? x->items_cap * 2 : 16;
        ct_sbom__xf_item *ni = ct_reallocarray(x->items, ncap, sizeof *ni);
        if (!ni) {
            xb_fail(m);
            return;
        }
        x->items = ni;
        x->items_cap = ncap;
    }
    if (!(v = ct_strndup(b->ptr, b->len))) {
        xb_fail(m);
        return;
    }
    x->items[x->nitems++] = (ct_sbom__xf_item){ comp, field, v };
}

/* the ref of a <dependency> with none inside (an arena string of the model) */
static void xf_stated(ct_sbom__xmb *m, const char *ref)
{
    ct_sbom__xml_facts *x = m->xf;
    if (x->nstated == x->stated_cap) {
        size_t ncap = x->stated_cap ? x->stated_cap * 2 : 16;
        const char **ns = ct_reallocarray(x->stated, ncap, sizeof *ns);
        if (!ns) {
            xb_fail(m);
            return;
        }
        x->stated = ns;
        x->stated_cap = ncap;
    }
    x->stated[x->nstated++] = ref;
}

/* an element whose first non-empty text child is a fact */
static void ft_begin(ct_sbom__xmb *m, uint8_t target)
{
    xbframe *f = xb_push(m, XB_FTEXT);
    if (!f)
        return;
    f->target = target;
    ct_buf_reset(&m->ft);
    m->ft_node = FTN_NONE;
    m->ft_done = false;
    m->t_child = m->t_first_text = m->t_last_text = false;
}

/* a child node of kind FTN_* (text or CDATA s[0..len), or another node: s NULL) */
static void ft_piece(ct_sbom__xmb *m, uint8_t kind, const xmlChar *s, int len)
{
    if (m->ft_node != kind || kind == FTN_OTHER) { /* a new child node */
        m->ft_done = m->ft_done || m->ft.len;
        m->ft_node = kind;
    }
    if (!m->ft_done && s && len > 0 && ct_buf_put(&m->ft, s, (size_t)len) < 0)
        xb_fail(m);
}

/* an organisation (XB_ORG, XB_SUPPLIER) starts: entity_contact's inputs cleared */
static void org_begin(ct_sbom__xmb *m)
{
    ct_buf_reset(&m->org_name);
    ct_buf_reset(&m->org_url);
    ct_buf_reset(&m->org_email);
}

/* the fact text f (popped) ended: to the element it belongs to */
static void ft_end(ct_sbom__xmb *m, uint8_t target)
{
    switch (target) {
    case FT_TIMESTAMP:
        xf_dup(m, &m->xf->timestamp, &m->ft);
        break;
    case FT_AUTHOR_NAME:
        xf_keep(m, &m->au_name, &m->ft);
        break;
    case FT_AUTHOR_EMAIL:
        xf_keep(m, &m->au_email, &m->ft);
        break;
    case FT_ORG_NAME:
        xf_keep(m, &m->org_name, &m->ft);
        break;
    case FT_URL:
        xf_keep(m, &m->org_url, &m->ft);
        break;
    case FT_EMAIL:
        xf_keep(m, &m->ct_email, &m->ft);
        break;
    default: /* a BSI property: <properties> is the parent, its component above */
        xf_item(m, m->st[m->depth - 2].comp, CT_XF_FILENAME + (target - FT_PROP), &m->ft);
        break;
    }
}

/* an organisation f (popped) ended: entity_contact is its <url>, else a contact's <email> */
static void org_end(ct_sbom__xmb *m, const xbframe *f)
{
    const ct_buf *contact = m->org_url.len ? &m->org_url : &m->org_email;
    if (f->role == XB_SUPPLIER) {
        xf_item(m, m->st[m->depth - 1].comp, CT_XF_SUPPLIER_CONTACT, contact);
    } else if (f->target == ORG_COMP_MANUFACTURER) {
        xf_item(m, m->st[m->depth - 1].comp, CT_XF_MANUFACTURER_CONTACT, contact);
    } else {
        m->meta_org[f->target] = true;
        xf_dup(m, &m->meta_name[f->target], &m->org_name);
        xf_dup(m, &m->meta_contact[f->target], contact);
    }
}

/* an <author> ended (its <authors> on top): metadata's name and contact, a component's
 * contact (authors_contact) */
static void author_end(ct_sbom__xmb *m)
{
    xbframe *a = &m->st[m->depth - 1];
    if (a->target == 0) {
        xf_dup(m, &m->au_meta_name, m->au_name.len ? &m->au_name : &m->au_email);
        xf_dup(m, &m->au_meta_contact, &m->au_email);
    } else if (!(a->seen & SEEN_FOUND) && m->au_email.len) {
        a->seen |= SEEN_FOUND;
        xf_item(m, m->st[m->depth - 2].comp, CT_XF_AUTHORS_CONTACT, &m->au_email);
    }
}

/* <metadata> ended: the document's author and contact as the facts reader's metadata()
 * chooses them (authors, then manufacturer, manufacture, supplier) */
static void meta_end(ct_sbom__xmb *m)
{
    ct_sbom__xml_facts *x = m->xf;
    const char *name = m->au_meta_name, *contact = m->au_meta_contact;
    for (int k = 0; k < 3; k++) {
        if (!m->meta_org[k])
            continue;
        if (!name && m->meta_name[k])
            name = m->meta_name[k];
        if (!contact)
            contact = m->meta_contact[k];
        if (!name)
            name = contact;
    }
    if ((name && !(x->author = ct_strdup(name))) ||
        (contact && !(x->author_contact = ct_strdup(contact))))
        xb_fail(m);
    x->tool_only = !name && m->tools && m->tools_el;
}

/* the facts' children of a start tag below frame f (the model's were looked at first): true
 * when it was taken */
static bool xf_start(ct_sbom__xmb *m, xbframe *f, const xmlChar *n, bool in_ns, int nat,
                     const xmlChar **at)
{
    static const char *const props[] = { "bsi:component:filename", "bsi:component:executable",
                                         "bsi:component:archive", "bsi:component:structured" };
    switch (f->role) {
    case XB_BOM:
        if (in_ns && n == m->nm.vulnerabilities && xb_first(f, SEEN_VULNS)) {
            xb_push(m, XB_VULNS);
            return true;
        }
        return false;
    case XB_META:
        if (!in_ns)
            return false;
        if (n == m->nm.timestamp && xb_first(f, SEEN_TIMESTAMP)) {
            ft_begin(m, FT_TIMESTAMP);
            return true;
        }
        if (n == m->nm.authors && xb_first(f, SEEN_AUTHORS)) {
            xb_push(m, XB_AUTHORS);
            return true;
        }
        if (n == m->nm.tools && xb_first(f, SEEN_TOOLS)) {
            m->tools = true;
            xb_push(m, XB_TOOLS);
            return true;
        }
        for (int k = 0; k < 3; k++) {
            const xmlChar *org = k == 0 ? m->nm.manufacturer
                                 : k == 1 ? m->nm.manufacture
                                          : m->nm.supplier;
            if (n == org && xb_first(f, SEEN_ORG(k))) {
                xbframe *o = xb_push(m, XB_ORG);
                if (o)
                    o->target = (uint8_t)k;
                org_begin(m);
                return true;
            }
        }
        return false;
    case XB_COMP:
        if (!in_ns)
            return false;
        if (n == m->nm.manufacturer && xb_first(f, SEEN_MANUFACTURER)) {
            xbframe *o = xb_push(m, XB_ORG);
            if (o)
                o->target = ORG_COMP_MANUFACTURER;
            org_begin(m);
            return true;
        }
        if (n == m->nm.authors && xb_first(f, SEEN_AUTHORS)) {
            xbframe *a = xb_push(m, XB_AUTHORS);
            if (a)
                a->target = 1;
            return true;
        }
        if (n == m->nm.properties && xb_first(f, SEEN_PROPS)) {
            xb_push(m, XB_PROPS);
            return true;
        }
        return false;
    case XB_SUPPLIER:
    case XB_ORG:
        if (!in_ns)
            return false;
        if (n == m->nm.url && xb_first(f, SEEN_URL)) {
            ft_begin(m, FT_URL);
            return true;
        }
        if (n == m->nm.contact) {
            ct_buf_reset(&m->ct_email);
            xb_push(m, XB_CONTACT);
            return true;
        }
        if (f->role == XB_ORG && f->target < 3 && n == m->nm.name && xb_first(f, SEEN_NAME)) {
            ft_begin(m, FT_ORG_NAME);
            return true;
        }
        return false;
    case XB_CONTACT:
        if (in_ns && n == m->nm.email && xb_first(f, SEEN_EMAIL)) {
            ft_begin(m, FT_EMAIL);
            return true;
        }
        return false;
    case XB_AUTHORS:
        if (in_ns && n == m->nm.author) {
            ct_buf_reset(&m->au_name);
            ct_buf_reset(&m->au_email);
            xb_push(m, XB_AUTHOR);
            return true;
        }
        return false;
    case XB_AUTHOR:
        if (in_ns && n == m->nm.name && xb_first(f, SEEN_NAME)) {
            ft_begin(m, FT_AUTHOR_NAME);
            return true;
        }
        if (in_ns && n == m->nm.email && xb_first(f, SEEN_EMAIL)) {
            ft_begin(m, FT_AUTHOR_EMAIL);
            return true;
        }
        return false;
    case XB_PROPS:
        if (in_ns && n == m->nm.property) {
            static const char bsi[] = "bsi:component:";
            size_t len = 0;
            const char *v = xb_attr(m, at, nat, m->nm.name, &len);
            /* most properties are someone else's: their prefix is told apart first */
            if (!v || len <= sizeof bsi - 1 || memcmp(v, bsi, sizeof bsi - 1) != 0)
                return false;
            for (size_t k = 0; k < CT_NELEM(props); k++)
                if (len == strlen(props[k]) && memcmp(v, props[k], len) == 0) {
                    ft_begin(m, (uint8_t)(FT_PROP + k));
                    return true;
                }
        }
        return false;
    case XB_TOOLS: /* an element of any name or namespace (xmlFirstElementChild) */
        m->tools_el = true;
        return false;
    case XB_VULNS:
        if (in_ns && n == m->nm.vulnerability)
            m->xf->has_vulnerabilities = true;
        return false;
    default:
        return false;
    }
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
    if (f->role == XB_TEXT || f->role == XB_FTEXT) { /* an element child: not text */
        if (f->role == XB_FTEXT)
            ft_piece(m, FTN_OTHER, NULL, 0);
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
        if (in_ns && n == m->nm.metadata && m->spec->metadata && xb_first(f, SEEN_META)) {
            xb_push(m, XB_META);
            return;
        }
        if (in_ns && n == m->nm.components && xb_first(f, SEEN_COMPONENTS)) {
            if ((f = xb_push(m, XB_LIST)))
                f->depth = 0;
            return;
        }
        if (in_dep && n == m->nm.dependencies && m->spec->deps && xb_first(f, SEEN_DEPS)) {
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
        if (n == m->nm.supplier && m->spec->metadata && xb_first(f, SEEN_SUPPLIER)) {
            xb_push(m, XB_SUPPLIER);
            org_begin(m); /* the facts read its contact */
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
            ct_buf_reset(&m->out);
            xb_push(m, XB_LICENSES);
            return;
        }
        if (n == m->nm.components && xb_first(f, SEEN_COMPONENTS)) {
            uint32_t d = f->depth + 1;
            if ((int)d > ct_ctx_limits(m->ctx)->max_depth) {
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
        if (in_ns && m->spec->v11 && n == m->nm.expression) {
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
        if (in_ns && n == m->nm.id && (!m->spec->v11 || !(f->seen & SEEN_ID))) {
            f->seen |= SEEN_ID;
            xb_text_begin(m, XT_LIC_ID);
            return;
        }
        if (in_ns && n == m->nm.name && (!m->spec->v11 || !(f->seen & SEEN_NAME))) {
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
            if ((f = xb_push(m, XB_DEP))) {
                f->ref = ref;
                f->comp = m->sbom->ndeps;
            }
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
    if (!xf_start(m, f, n, in_ns, nat, at))
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
    char *d = ct_sbom__arena_close(m->sbom, intern ? &m->cache : NULL);
    if (!d)
        xb_fail(m);
    return d;
}

static char *xb_arena(ct_sbom__xmb *m, const ct_buf *t)
{
    char *s = ct_sbom__arena_str(m->sbom, &m->cache, t->ptr, t->len);
    if (!s)
        xb_fail(m);
    return s;
}

static void xb_text_end(ct_sbom__xmb *m, uint8_t target)
{
    ct_sbom *s = m->sbom;
    ct_buf *b = &m->out;
    ct_component *comp = NULL;
    bool v11 = m->spec->v11;
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
            ct_sbom__and_join(dst, m->text.ptr);
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
        ct_sbom__and_join(b, m->text.ptr);
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
    ct_sbom *s = m->sbom;
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
        if (m->out.failed)
            xb_fail(m);
        else if (m->out.len &&
                 !(s->components[m->st[m->depth - 1].comp].licenses = xb_arena(m, &m->out)))
            xb_fail(m);
        break;
    case XB_FTEXT:
        ft_end(m, f.target);
        break;
    case XB_SUPPLIER:
    case XB_ORG:
        org_end(m, &f);
        break;
    case XB_CONTACT: /* the first contact with an email is the organisation's */
        if (!m->org_email.len && m->ct_email.len)
            xf_keep(m, &m->org_email, &m->ct_email);
        break;
    case XB_AUTHOR:
        author_end(m);
        break;
    case XB_META:
        meta_end(m);
        break;
    case XB_DEP:
        if (s->ndeps == f.comp) /* none inside: stated all the same */
            xf_stated(m, f.ref);
        break;
    case XB_LICENSE: {
        /* 1.1 on: the <id>, else the <name>; 1.0: the <id>s, else the <name>s */
        bool id = (f.seen & SEEN_ID) != 0, nm = (f.seen & SEEN_NAME) != 0;
        if (id ? m->id_long : nm && m->name_long) {
            xb_fail(m);
            break;
        }
        if (id)
            ct_sbom__and_join(&m->out, m->lic_id.ptr);
        else if (nm)
            ct_sbom__and_join(&m->out, m->lic_name.ptr);
        if (m->out.failed)
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
    } else if (ct_sbom__arena_put(m->sbom, (const char *)s, (size_t)len) < 0) {
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
    uint8_t role;
    int drop;
    if (len <= 0)
        return;
    if ((m->run += (size_t)len) > XB_MAX_TEXT)
        xb_fail(m);
    if (m->failed || m->skip || !m->depth)
        return;
    role = m->st[m->depth - 1].role;
    if (role != XB_TEXT && role != XB_FTEXT)
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
    if (role == XB_FTEXT)
        ft_piece(m, FTN_TEXT, s, len);
    else
        xb_text_put(m, s, len);
}

void ct_sbom__xmb_cdata(ct_sbom__xmb *m, const xmlChar *s, int len)
{
    uint8_t role;
    m->run = 0;
    if (m->failed || m->skip || !m->depth)
        return;
    role = m->st[m->depth - 1].role;
    if (role != XB_TEXT && role != XB_FTEXT)
        return;
    m->t_child = true;
    m->t_last_text = false;
    if (role == XB_FTEXT)
        ft_piece(m, FTN_CDATA, s, len);
    else if (len > 0)
        xb_text_put(m, s, len);
}

void ct_sbom__xmb_node(ct_sbom__xmb *m)
{
    uint8_t role;
    m->run = 0;
    if (m->failed || m->skip || !m->depth)
        return;
    role = m->st[m->depth - 1].role;
    if (role != XB_TEXT && role != XB_FTEXT)
        return;
    m->t_child = true;
    m->t_last_text = false;
    if (role == XB_FTEXT)
        ft_piece(m, FTN_OTHER, NULL, 0);
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
    m->ctx = ctx;
    m->tmp = m->out = m->text = m->lic_id = m->lic_name = (ct_buf)CT_BUF_INIT;
    m->ft = m->au_name = m->au_email = m->org_name = m->org_url = m->org_email = m->ct_email =
        (ct_buf)CT_BUF_INIT;
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
    if (!(m->xf = ct_calloc(1, sizeof *m->xf)) || !(m->sbom = ct_calloc(1, sizeof *m->sbom)) ||
        ct_sbom__arena_setup_expect(m->sbom,
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
        s = m->sbom;
        m->sbom = NULL;
        /* the facts' inputs go with it (1.2 on: metadata and core dependencies, as the facts
         * reader reads them) */
        if (m->spec->metadata && m->dep_ns == m->ns) {
            m->xf->ncomponents = s->ncomponents;
            if (ct_sbom__arena_attach(s, m->xf, xf_free) == 0)
                m->xf = NULL;
        }
    }
    ct_sbom_free(m->sbom);
    xf_free(m->xf);
    ct_buf_dispose(&m->tmp);
    ct_buf_dispose(&m->out);
    ct_buf_dispose(&m->text);
    ct_buf_dispose(&m->lic_id);
    ct_buf_dispose(&m->lic_name);
    ct_buf_dispose(&m->ft);
    ct_buf_dispose(&m->au_name);
    ct_buf_dispose(&m->au_email);
    ct_buf_dispose(&m->org_name);
    ct_buf_dispose(&m->org_url);
    ct_buf_dispose(&m->org_email);
    ct_buf_dispose(&m->ct_email);
    for (int k = 0; k < 3; k++) {
        ct_free(m->meta_name[k]);
        ct_free(m->meta_contact[k]);
    }
    ct_free(m->au_meta_name);
    ct_free(m->au_meta_contact);
    ct_free(m->st);
    ct_free(m);
    return s;
}


/* CycloneDX XML validation (1.4-1.7), streamed: libxml2's parser feeds SAX2 callbacks
 * (startElementNs / endElementNs / characters) and no tree is built (the pull parser fed through
 * I/O callbacks when only the rules run, the push parser when the model is read too: sax_walk). A
 * stack of open elements (names interned in the parser's dictionary, so they compare by pointer)
 * carries what each rule needs of an element's children (counts, the first <scope>/<purl>/<id> and
 * its text); a rule that needs the children reports when its element ends, and its findings are
 * inserted where the element began, so findings keep document (pre-)order as in a tree walk.
 * Memory is the refs table, the open-element stack and the parser's window, not a DOM. The rules:
 * the C structural rules (the constraints of bom-1.x.xsd that matter for interchange, no schema
 * engine) and the semantic checks (duplicate bom-refs, dangling dependency refs, invalid purls).
 * On request the XSD (bom-1.x.xsd with spdx.xsd) validates the document on libxml2's xmlTextReader
 * instead of the C structural rules, and the semantic checks stream as above. A document that is
 * not well-formed, or that has a DOCTYPE, gets that one finding only, worded as a libxml2 DOM
 * parse words it. On request the same events also feed the model builder of cyclonedx_xml.c
 * (xmlone: ct_sbom_parse_validate parses once), or feed it alone (ct_sbom_parse_cyclonedx_xml). A
 * read-only private file mapping's pages are dropped once the parser has them (ct_mem_drop). */
#define _DEFAULT_SOURCE
#include "spdx_int.h"          /* ct_sbom__hash_content_ok */
#include "spdx_validate_int.h" /* ct_sbom__report_add */
#include "validate_int.h"
#include "sbom/xml_reader_int.h"
#include "base/file_map.h" /* ct_mem_file_backed */

#include <libxml/parser.h>
#include <libxml/parserInternals.h> /* xmlParserMaxDepth */
#include <libxml/tree.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CDX_NS_PREFIX "http://cyclonedx.org/schema/bom/"
#define PARSE_OPTS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES)
/* bytes handed to the push parser per call */
#define PUSH_CHUNK (64u << 10)
/* a subtree deeper than this below the root's children is not walked (as the tree walk did) */
#define MAX_WALK_DEPTH 256

static void schema_quiet(void *payload, xmlErrorPtr e);

/* ---- the stream: names, rule kinds, open elements ----------------------------------------- */

/* element and attribute names the rules look at, interned in the parser's dictionary */
#define XV_NAMES(X)                                                                               \
    X(bom) X(components) X(services) X(dependencies) X(vulnerabilities) X(component)              \
    X(metadata) X(ancestors) X(descendants) X(variants) X(name) X(scope) X(version)               \
    X(versionRange) X(purl) X(hash) X(license) X(licenses) X(id) X(expression) X(timestamp)       \
    X(reference) X(externalReferences) X(patch) X(issue) X(property) X(dependency)                \
    X(classification) X(data) X(service) X(dataflow) X(swid) X(text) X(citation) X(citations)     \
    X(pointers) X(expressions) X(attributedTo) X(process) X(type) X(alg) X(flow) X(tagId)         \
    X(encoding) X(ref) X(serialNumber)

typedef struct {
#define X(n) const xmlChar *n;
    XV_NAMES(X)
#undef X
    const xmlChar *bom_ref; /* "bom-ref" */
} xnames;

/* what an element's rule needs to see of it when it ends */
enum {
    K_NONE,
    K_COMPONENT, /* name, version/versionRange count, first scope and purl */
    K_HASH,      /* own text */
    K_LICENSE,   /* id/name counts, first id's text */
    K_LICENSES,  /* expression count, a license */
    K_TIMESTAMP, /* own text */
    K_CITATION,  /* counts */
    K_METADATA,  /* counts per allowed child */
};

/* children of <metadata> (bom-1.x.xsd, type metadata: a sequence, each at most once) and the
 * minor version that introduced them */
static const enumval metadata_children[] = {
    { "timestamp", 4 },    { "lifecycles", 5 }, { "tools", 4 },     { "authors", 4 },
    { "component", 4 },    { "manufacturer", 6 }, { "manufacture", 4 }, { "supplier", 4 },
    { "licenses", 4 },     { "properties", 4 }, { "distributionConstraints", 7 },
};
#define NCOUNT CT_NELEM(metadata_children)

/* where an element's text goes (T_HEX: checked as it comes, a <hash>'s hex digits; xml10) */
enum { T_NONE, T_OWN, T_PARENT_A, T_PARENT_B, T_HEX };

/* citation counts (cnt[] slots) */
enum { C_POINTERS, C_EXPRESSIONS, C_TIMESTAMP, C_ATTRIBUTED, C_PROCESS };

typedef struct {
    const xmlChar *name; /* local name (dictionary); NULL for a prefix without a namespace */
    bool cdx;            /* in the document's CycloneDX namespace */
    bool active;         /* the walk looks at it (and at its children) */
    uint8_t kind;
    long line;
    size_t ins0, ins;    /* report index of the element's late findings: first, next */
    uint8_t text;        /* where this element's text goes: T_* (the stack may move: no pointer) */
    ct_buf a, b;         /* own text (hash, timestamp); first scope / id text; first purl text */
    long line_a, line_b; /* line of that first scope / id, purl */
    bool have_a, have_b;
    bool hex_bad;        /* T_HEX: a character that is not a hex digit came */
    size_t hex_n;        /* T_HEX: characters so far */
    uint32_t cnt[NCOUNT];
} xframe;

/* a bom-ref or dependency ref: its bytes in xrefs.bytes, the line of its element (12 bytes a
 * ref: a large document has tens of thousands, and every page of them costs a fault) */
typedef struct {
    uint32_t off, len; /* the input is at most INT_MAX bytes, and so are its refs */
    uint32_t line;
} xref;

/* a duplicated ref, sorted with its bytes at hand */
typedef struct {
    const char *p;
    size_t len;
    long line;
} xdup;

/* The refs of one walk, compact (one byte buffer, no allocation per ref): checked after the walk
 * as validate.c's ct_sbom__check_refs checks its table (duplicates, then dangling uses). */
typedef struct {
    ct_buf bytes;
    xref *v;
    size_t n, cap;
} xrefs;

/* a value an enum took (the walk's minor version is fixed): the same value again is taken
 * without a look through the table (a component type or hash algorithm per element; xml10) */
#define ECACHE 4
typedef struct {
    const ct_sbom__enumtab *t;
    size_t len;
    char val[32];
} xenum;

typedef struct {
    vstate *v;
    xmlParserCtxtPtr pc;
    const char *spdx_dir; /* the SPDX licence list, read when a licence id is first checked */
    xenum ecache[ECACHE];
    unsigned enext;
    xrefs refs, uses;   /* bom-refs; dependency refs */
    xnames nm;
    uint64_t rule_bits[4]; /* a filter of the names begin_rules acts on (rule_name) */
    bool structural;     /* C rules (else the semantic checks only: the XSD runs elsewhere) */
    bool rules;          /* the validator's walk runs (else the model alone: depth counted) */
    bool want_model;     /* sax_walk makes mb: the model read from the same events */
    ct_sbom__xmb *mb;
    bool root_findings;  /* the root's findings are made here */
    bool root_seen, root_ok, doctype, too_deep;
    const xmlChar *ns;   /* the root's namespace (dictionary) */
    xframe *st;          /* open elements; st[0] is the root */
    size_t depth, cap;   /* open count */
    ct_buf attr;         /* one attribute value, decoded (one that holds a reference, or long) */
    char abuf[128];      /* one short attribute value without a reference, NUL-terminated */
    size_t alen;         /* the length of the value attr_of returned */
    char *msgbuf;
} xstream;

static void stop(xstream *x)
{
    x->v->failed = true;
    xmlStopParser(x->pc);
}

static long cur_line(const xstream *x)
{
    return x->pc->input ? (long)x->pc->input->line : 0L;
}

/* "line N" into buf (>= 32 bytes), as snprintf "line %ld" writes it (a ref's place, per ref) */
static const char *where_line(char *buf, long line)
{
    char tmp[24];
    size_t n = 0;
    unsigned long u = line < 0 ? 0UL - (unsigned long)line : (unsigned long)line;
    do
        tmp[n++] = (char)('0' + u % 10);
    while ((u /= 10) && n < sizeof tmp);
    memcpy(buf, "line ", 5);
    buf += 5;
    if (line < 0)
        *buf++ = '-';
    while (n)
        *buf++ = tmp[--n];
    *buf = '\0';
    return buf;
}

static void note(xstream *x, xrefs *t, const char *ref, size_t len, long line)
{
    xref *e;
    if (t->n == t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 256;
        xref *nv = ct_reallocarray(t->v, ncap, sizeof *nv);
        if (!nv) {
            stop(x);
            return;
        }
        t->v = nv;
        t->cap = ncap;
    }
    e = &t->v[t->n];
    e->off = (uint32_t)t->bytes.len;
    e->len = (uint32_t)len;
    e->line = line < 0 ? 0u : line > (long)UINT32_MAX ? UINT32_MAX : (uint32_t)line;
    if (!t->bytes.failed && len < t->bytes.cap - t->bytes.len) {
        /* room reserved (refs_reserve): the bytes go in without a call per ref (xml10) */
        memcpy(t->bytes.ptr + t->bytes.len, ref, len);
        t->bytes.len += len;
        t->bytes.ptr[t->bytes.len] = '\0';
    } else if (ct_buf_put(&t->bytes, ref, len) < 0) {
        stop(x);
        return;
    }
    t->n++;
}

/* room for n refs (and ~8 bytes each) in t; a hint: nothing happens when out of memory */
static void refs_reserve(xrefs *t, size_t n)
{
    xref *nv;
    if (n <= t->cap || !(nv = ct_reallocarray(t->v, n, sizeof *nv)))
        return;
    t->v = nv;
    t->cap = n;
    if (ct_buf_grow(&t->bytes, n * 8) < 0) {
        t->bytes.failed = false; /* unchanged and still usable: it grows as it goes */
        ct_error_clear();
    }
}

static int cmp_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
    int c = memcmp(a, b, alen < blen ? alen : blen);
    return c ? c : (alen > blen) - (alen < blen);
}

/* refs by bytes, then by their place as text ("line 13" before "line 4"), as validate.c sorts */
static int cmp_xref(const void *a, const void *b)
{
    const xdup *x = a, *y = b;
    char wx[32], wy[32];
    int c = cmp_bytes(x->p, x->len, y->p, y->len);
    if (c)
        return c;
    where_line(wx, x->line);
    where_line(wy, y->line);
    return strcmp(wx, wy);
}

static uint64_t ref_hash(const char *p, size_t len)
{
    uint64_t h = 14695981039346656037ULL; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
    return h;
}

/* Index + 1 of the first ref equal to (p, len) in the table (slots: a power of two), or of the
 * empty slot where it goes (returned negated). */
static int64_t ref_slot_of(const uint32_t *tab, size_t mask, const xrefs *refs, const char *p,
                           size_t len, size_t *slot)
{
    size_t i = (size_t)ref_hash(p, len) & mask;
    for (;; i = (i + 1) & mask) {
        uint32_t k = tab[i];
        if (!k) {
            *slot = i;
            return -1;
        }
        if (cmp_bytes(refs->bytes.ptr + refs->v[k - 1].off, refs->v[k - 1].len, p, len) == 0) {
            *slot = i;
            return k;
        }
    }
}

/* Duplicate bom-refs and dependency refs that name no bom-ref: ct_sbom__check_refs' findings,
 * worded and ordered as it makes them (duplicates in the order of the refs sorted by bytes, then
 * by place as text; uses in document order), found with a hash table so that only the
 * duplicated refs are sorted. */
static void check_xrefs(xstream *x, xrefs *refs, xrefs *uses)
{
    vstate *v = x->v;
    char w1[32], w2[32];
    size_t cap = 16, mask, ndup = 0, slot;
    uint32_t *tab = NULL;
    bool *dup = NULL;
    xdup *dups = NULL;

    if (refs->n > UINT32_MAX - 1) {
        v->failed = true;
        return;
    }
    while (cap < refs->n * 2)
        cap *= 2;
    mask = cap - 1;
    if (!(tab = ct_calloc(cap, sizeof *tab)) || !(dup = ct_calloc(refs->n + 1, sizeof *dup))) {
        v->failed = true;
        goto done;
    }
    for (size_t i = 0; i < refs->n; i++) {
        int64_t k = ref_slot_of(tab, mask, refs, refs->bytes.ptr + refs->v[i].off, refs->v[i].len,
                                &slot);
        if (k < 0) {
            tab[slot] = (uint32_t)(i + 1);
        } else {
            ndup += !dup[k - 1] + 1;
            dup[k - 1] = dup[i] = true;
        }
    }
    if (ndup) {
        size_t n = 0;
        if (!(dups = ct_calloc(ndup, sizeof *dups))) {
            v->failed = true;
            goto done;
        }
        for (size_t i = 0; i < refs->n; i++)
            if (dup[i]) {
                dups[n].p = refs->bytes.ptr + refs->v[i].off;
                dups[n].len = refs->v[i].len;
                dups[n++].line = (long)refs->v[i].line;
            }
        qsort(dups, n, sizeof *dups, cmp_xref);
        for (size_t i = 1; i < n; i++) {
            const xdup *a = &dups[i - 1], *b = &dups[i];
            if (cmp_bytes(a->p, a->len, b->p, b->len) == 0) {
                where_line(w1, b->line);
                where_line(w2, a->line);
                ct_sbom__verr(v, w1, "duplicate bom-ref \"%.*s\" (first at %.200s)",
                              (int)(b->len < 200 ? b->len : 200), b->p, w2);
            }
        }
    }
    for (size_t i = 0; i < uses->n; i++) {
        const xref *u = &uses->v[i];
        const char *up = uses->bytes.ptr + u->off;
        if (ref_slot_of(tab, mask, refs, up, u->len, &slot) < 0) {
            where_line(w1, u->line);
            ct_sbom__verr(v, w1, "dependency ref \"%.*s\" names no bom-ref",
                          (int)(u->len < 200 ? u->len : 200), up);
        }
    }
done:
    ct_free(tab);
    ct_free(dup);
    ct_free(dups);
}

static void xmlerr_line(vstate *v, long line, const char *fmt, ...) CT_PRINTF(3, 4);

static void xmlerr_line(vstate *v, long line, const char *fmt, ...)
{
    char msg[512], where[32];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(where, sizeof where, "line %ld", line);
    ct_sbom__verr(v, where, "%s", msg);
}

/* A finding of element f made when it ends: moved to f's place (after what f reported when it
 * began and before its descendants' findings). */
static void late_err(vstate *v, xframe *f, long line, const char *fmt, ...) CT_PRINTF(4, 5);

static void late_err(vstate *v, xframe *f, long line, const char *fmt, ...)
{
    char msg[512], where[32];
    ct_sbom_report *r = v->rep;
    size_t n0 = r->nerrors;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(where, sizeof where, "line %ld", line);
    ct_sbom__verr(v, where, "%s", msg);
    if (r->nerrors != n0 + 1)
        return;
    if (f->ins < n0) {
        ct_sbom_finding t = r->errors[n0];
        memmove(&r->errors[f->ins + 1], &r->errors[f->ins], (n0 - f->ins) * sizeof t);
        r->errors[f->ins] = t;
    }
    f->ins++;
}

/* The value of attribute name (no namespace) of the current start tag, NUL-terminated in
 * x->abuf or x->attr, its length in x->alen; NULL when absent. libxml2 hands a value holding a
 * reference over with each '&' as "&#38;" (XML_PARSE_NOENT off); the tree turned that back into
 * '&', and so does this. */
static const char *attr_of(xstream *x, const xmlChar **at, int nat, const xmlChar *name)
{
    for (int i = 0; i < nat; i++, at += 5) {
        const char *s = (const char *)at[3], *e = (const char *)at[4], *amp;
        size_t n = (size_t)(e - s);
        if (at[0] != name || at[1] || at[2])
            continue;
        if (n < sizeof x->abuf && !memchr(s, '&', n)) { /* the common case: no copy to grow */
            memcpy(x->abuf, s, n);
            x->abuf[n] = '\0';
            x->alen = n;
            return x->abuf;
        }
        ct_buf_reset(&x->attr);
        while (s < e && (amp = memchr(s, '&', (size_t)(e - s)))) {
            ct_buf_put(&x->attr, s, (size_t)(amp - s));
            ct_buf_putc(&x->attr, '&');
            s = (size_t)(e - amp) >= 5 && memcmp(amp, "&#38;", 5) == 0 ? amp + 5 : amp + 1;
        }
        ct_buf_put(&x->attr, s, (size_t)(e - s));
        if (x->attr.failed) {
            stop(x);
            return NULL;
        }
        x->alen = x->attr.len;
        return x->attr.ptr;
    }
    return NULL;
}

/* ct_sbom__in_enum(e, s, minor) for s of len bytes, with the values taken before cached */
static bool enum_ok(xstream *x, const ct_sbom__enumtab *e, const char *s, size_t len)
{
    xenum *c;
    for (unsigned i = 0; i < ECACHE; i++)
        if (x->ecache[i].t == e && x->ecache[i].len == len && memcmp(x->ecache[i].val, s, len) == 0)
            return true;
    if (!ct_sbom__in_enum(e, s, x->v->minor))
        return false;
    if (len < sizeof c->val) {
        c = &x->ecache[x->enext++ % ECACHE];
        c->t = e;
        c->len = len;
        memcpy(c->val, s, len);
    }
    return true;
}

static void enum_attr(xstream *x, const xframe *f, const xmlChar **at, int nat,
                      const xmlChar *attr, const ct_sbom__enumtab *e, bool req, const char *what)
{
    vstate *v = x->v;
    const char *s = attr_of(x, at, nat, attr);
    if (!s) {
        if (req)
            xmlerr_line(v, f->line, "<%s> lacks the required \"%s\" attribute", f->name, attr);
    } else if (!enum_ok(x, e, s, x->alen)) {
        xmlerr_line(v, f->line, "\"%.100s\" is not a valid %s in CycloneDX 1.%d", s, what,
                    v->minor);
    }
}

static void required_attr(xstream *x, const xframe *f, const xmlChar **at, int nat,
                          const xmlChar *attr)
{
    if (!attr_of(x, at, nat, attr))
        xmlerr_line(x->v, f->line, "<%s> lacks the required \"%s\" attribute", f->name, attr);
}

/* the open element i levels below the top of the stack (0 = the top) is CycloneDX name */
static bool up_is(const xstream *x, size_t i, const xmlChar *name)
{
    return x->depth > i && x->st[x->depth - 1 - i].cdx && x->st[x->depth - 1 - i].name == name;
}

/* ---- the rules: when an element begins --------------------------------------------------- */

static void on_bom_ref(xstream *x, const xframe *f, const xmlChar **at, int nat)
{
    vstate *v = x->v;
    const char *s = attr_of(x, at, nat, x->nm.bom_ref);
    if (s) {
        if (!*s && x->structural && v->minor >= 5)
            xmlerr_line(v, f->line, "bom-ref must not be empty");
        else
            note(x, &x->refs, s, x->alen, f->line);
    }
}

/* a rule body kept out of a per-element callback, whose every call would otherwise save the
 * registers the body needs (xml10: most elements have
 * nothing to check) */
#if defined(__GNUC__)
#define XV_NOINLINE __attribute__((noinline))
#else
#define XV_NOINLINE
#endif

/* the bit of a dictionary name in xstream.rule_bits (multiplicative hash of the pointer) */
static unsigned rule_bit(const xmlChar *name)
{
    return (unsigned)(((uint64_t)(uintptr_t)name * 0x9E3779B97F4A7C15ULL) >> 56);
}

/* name may be one begin_rules acts on (false: it is not; true: look, a few are not) */
static bool rule_name(const xstream *x, const xmlChar *name)
{
    unsigned b = rule_bit(name);
    return (x->rule_bits[b >> 6] >> (b & 63)) & 1u;
}

/* the element names begin_rules compares with, into the filter */
static void rule_names_set(xstream *x)
{
    const xnames *nm = &x->nm;
    const xmlChar *const names[] = {
        nm->component, nm->hash,       nm->license,        nm->licenses, nm->timestamp,
        nm->reference, nm->patch,      nm->issue,          nm->property, nm->dependency,
        nm->classification, nm->swid,  nm->text,           nm->citation, nm->metadata,
    };
    for (size_t i = 0; i < CT_NELEM(names); i++) {
        unsigned b = rule_bit(names[i]);
        x->rule_bits[b >> 6] |= (uint64_t)1 << (b & 63);
    }
}

/* The rules of a walked element f (pushed, not yet the parent of anything) that need only its
 * start tag, and its kind for those that need its children. The same exclusive chain as the
 * tree walk had (the bom-ref, which any element may carry, is noted before: on_start). */
static void begin_rules(xstream *x, xframe *f, const xmlChar **at, int nat)
{
    const xnames *nm = &x->nm;
    const xmlChar *name = f->name;
    vstate *v = x->v;
    bool st = x->structural;
    /* f is already on the stack: its parent is 1 below the top */
#define PARENT(n) up_is(x, 1, nm->n)
    if (name == nm->component && (PARENT(components) || PARENT(metadata) || PARENT(ancestors) ||
                                  PARENT(descendants) || PARENT(variants))) {
        f->kind = K_COMPONENT;
        if (st)
            enum_attr(x, f, at, nat, nm->type, &ct_sbom__enum_component_types, true,
                      "component type");
    } else if (st && name == nm->hash) {
        f->kind = K_HASH;
        f->text = T_HEX;
        f->hex_bad = false;
        f->hex_n = 0;
        enum_attr(x, f, at, nat, nm->alg, &ct_sbom__enum_hash_algs, true, "hash algorithm");
    } else if (st && name == nm->license && PARENT(licenses)) {
        f->kind = K_LICENSE;
    } else if (st && name == nm->licenses) {
        f->kind = v->minor > 6 ? K_NONE : K_LICENSES;
    } else if (st && name == nm->timestamp) {
        f->kind = K_TIMESTAMP;
        f->text = T_OWN;
        ct_buf_reset(&f->a);
    } else if (st && name == nm->reference && PARENT(externalReferences)) {
        enum_attr(x, f, at, nat, nm->type, &ct_sbom__enum_extref_types, true,
                  "external reference type");
    } else if (st && name == nm->patch) {
        enum_attr(x, f, at, nat, nm->type, &ct_sbom__enum_patch_types, true, "patch type");
    } else if (st && name == nm->issue) {
        enum_attr(x, f, at, nat, nm->type, &ct_sbom__enum_issue_types, true, "issue type");
    } else if (st && name == nm->property && v->minor >= 5) {
        if (!attr_of(x, at, nat, nm->name))
            xmlerr_line(v, f->line, "<property> lacks the required \"name\" attribute");
    } else if (name == nm->dependency &&
               ((PARENT(dependencies) && up_is(x, 2, nm->bom)) ||
                (PARENT(dependency) && up_is(x, 3, nm->bom)))) {
        const char *s = attr_of(x, at, nat, nm->ref);
        if (!s || !*s) {
            if (st)
                xmlerr_line(v, f->line, "<dependency> needs a non-empty \"ref\" attribute");
        } else {
            note(x, &x->uses, s, x->alen, f->line);
        }
    } else if (st) {
        const char *s;
        if (name == nm->classification &&
            ((PARENT(data) && up_is(x, 2, nm->service)) || PARENT(dataflow))) {
            enum_attr(x, f, at, nat, nm->flow, &ct_sbom__enum_flows, true, "data flow");
        } else if (name == nm->swid && PARENT(component)) {
            required_attr(x, f, at, nat, nm->tagId);
            required_attr(x, f, at, nat, nm->name);
        } else if (name == nm->text && (s = attr_of(x, at, nat, nm->encoding))) {
            /* an attachment's encoding; the other <text> elements take no attributes at all */
            if (!ct_sbom__in_enum(&ct_sbom__enum_encodings, s, v->minor))
                xmlerr_line(v, f->line, "\"%.100s\" is not a valid encoding in CycloneDX 1.%d", s,
                            v->minor);
        } else if (name == nm->citation && v->minor >= 7 && PARENT(citations)) {
            f->kind = K_CITATION;
        } else if (name == nm->metadata && PARENT(bom)) {
            f->kind = K_METADATA;
        }
    }
#undef PARENT
}

/* A CycloneDX element c begins inside p (walked, with a kind): what p's rule counts of it. */
static void child_of(xstream *x, xframe *p, xframe *c)
{
    const xnames *nm = &x->nm;
    const xmlChar *n = c->name;
    switch (p->kind) {
    case K_COMPONENT:
        if (n == nm->name)
            p->cnt[0]++;
        else if (n == nm->version || n == nm->versionRange)
            p->cnt[1]++;
        else if (n == nm->scope && !p->have_a && x->structural) {
            p->have_a = true;
            p->line_a = c->line;
            ct_buf_reset(&p->a);
            c->text = T_PARENT_A;
        } else if (n == nm->purl && !p->have_b) {
            p->have_b = true;
            p->line_b = c->line;
            ct_buf_reset(&p->b);
            c->text = T_PARENT_B;
        }
        break;
    case K_LICENSE:
        if (n == nm->id) {
            if (!p->cnt[0]++) {
                p->have_a = true;
                p->line_a = c->line;
                ct_buf_reset(&p->a);
                c->text = T_PARENT_A;
            }
        } else if (n == nm->name) {
            p->cnt[1]++;
        }
        break;
    case K_LICENSES:
        if (n == nm->expression)
            p->cnt[0]++;
        else if (n == nm->license)
            p->cnt[1]++;
        break;
    case K_CITATION:
        if (n == nm->pointers)
            p->cnt[C_POINTERS]++;
        else if (n == nm->expressions)
            p->cnt[C_EXPRESSIONS]++;
        else if (n == nm->timestamp)
            p->cnt[C_TIMESTAMP]++;
        else if (n == nm->attributedTo)
            p->cnt[C_ATTRIBUTED]++;
        else if (n == nm->process)
            p->cnt[C_PROCESS]++;
        break;
    case K_METADATA: {
        size_t i = 0;
        while (i < NCOUNT && strcmp(metadata_children[i].name, (const char *)n) != 0)
            i++;
        if (i < NCOUNT)
            p->cnt[i]++;
        if (i == NCOUNT || metadata_children[i].since > x->v->minor)
            late_err(x->v, p, c->line, "<%.100s> is not allowed in <metadata> in CycloneDX 1.%d",
                     (const char *)n, x->v->minor);
        break;
    }
    default:
        break;
    }
}

/* ---- the rules: when an element ends ------------------------------------------------------ */

/* a collected text, or NULL when it could not be held (the tree walk skipped the check then) */
static const char *text(const ct_buf *b)
{
    return b->failed ? NULL : b->ptr;
}

/* ct_sbom__hash_content_ok (32, 40, 64, 96 or 128 hex digits) of a <hash>'s text, checked
 * piece by piece as the parser hands it over (no copy; XML text holds no NUL, so the joined
 * pieces are the C string the check took) */
static bool hash_hex_ok(const xframe *f)
{
    size_t n = f->hex_n;
    return !f->hex_bad && (n == 32 || n == 40 || n == 64 || n == 96 || n == 128);
}

/* true when s[0..len) are all hex digits: eight at a time (SWAR), then one by one */
static bool all_hex(const xmlChar *s, size_t len)
{
    static const bool hex[256] = {
        ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
        ['8'] = 1, ['9'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
        ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
    };
    const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w, l, digit, alpha;
        memcpy(&w, s + i, 8);
        if (w & high)
            return false;
        /* bytes < 0x80 here: each test below keeps its byte's high bit (no carries across) */
        l = w | (0x20 * ones); /* 'A'-'F' -> 'a'-'f' (digits already have 0x20) */
        digit = ((w + (0x80 - '0') * ones) & ~(w + (0x80 - '9' - 1) * ones)) & high;
        alpha = ((l + (0x80 - 'a') * ones) & ~(l + (0x80 - 'f' - 1) * ones)) & high;
        if ((digit | alpha) != high)
            return false;
    }
    for (; i < len; i++)
        if (!hex[s[i]])
            return false;
    return true;
}

/* the SPDX licence list, read once, when the first licence id is checked (a document without
 * one does not pay for the read; xml10) */
static void spdx_ids_load(xstream *x)
{
    if (x->spdx_dir) {
        ct_sbom__load_spdx_ids(x->v, x->spdx_dir);
        x->spdx_dir = NULL;
    }
}

static XV_NOINLINE void end_rules(xstream *x, xframe *f)
{
    vstate *v = x->v;
    const char *s;
    f->ins = f->ins0;
    switch (f->kind) {
    case K_COMPONENT:
        if (x->structural) {
            if (!f->cnt[0])
                late_err(v, f, f->line, "component lacks the required <name>");
            /* an empty <scope/> takes the schema's default ("required") */
            if (f->have_a && (s = text(&f->a)) && *s &&
                !ct_sbom__in_enum(&ct_sbom__enum_scopes, s, v->minor))
                late_err(v, f, f->line_a, "\"%.100s\" is not a valid scope", s);
            if (f->cnt[1] > 1)
                late_err(v, f, f->line,
                         "a component holds at most one of <version> and <versionRange>");
        }
        if (f->have_b && (s = text(&f->b)) && !ct_sbom__purl_ok(s))
            late_err(v, f, f->line_b, "invalid purl \"%.200s\"", s);
        break;
    case K_HASH:
        if (!hash_hex_ok(f))
            late_err(v, f, f->line, "hash content must be 32, 40, 64, 96 or 128 hex digits");
        break;
    case K_LICENSE: {
        uint32_t k = f->cnt[0] + f->cnt[1];
        if (k > 1 || (k == 0 && v->minor >= 6))
            late_err(v, f, f->line, "a license needs exactly one of <id> and <name>");
        else if (f->have_a && (s = text(&f->a))) {
            spdx_ids_load(x);
            if (!ct_sbom__spdx_id_known(v, s))
                late_err(v, f, f->line_a, "\"%.100s\" is not an SPDX license id", s);
        }
        break;
    }
    case K_LICENSES:
        if (f->cnt[0] && f->cnt[1])
            late_err(v, f, f->line,
                     "<licenses> holds either <license> elements or one <expression>");
        else if (f->cnt[0] > 1)
            late_err(v, f, f->line, "<licenses> holds at most one <expression> in CycloneDX 1.%d",
                     v->minor);
        break;
    case K_TIMESTAMP:
        if ((s = text(&f->a)) && !ct_sbom__datetime_ok(s))
            late_err(v, f, f->line, "timestamp must be an xs:dateTime");
        break;
    case K_CITATION:
        if (f->cnt[C_POINTERS] + f->cnt[C_EXPRESSIONS] != 1)
            late_err(v, f, f->line, "a citation holds exactly one of <pointers> and <expressions>");
        if (f->cnt[C_TIMESTAMP] != 1)
            late_err(v, f, f->line, "a citation needs exactly one <timestamp>");
        if (f->cnt[C_ATTRIBUTED] > 1)
            late_err(v, f, f->line, "a citation holds at most one <attributedTo>");
        if (f->cnt[C_PROCESS] > 1)
            late_err(v, f, f->line, "a citation holds at most one <process>");
        break;
    case K_METADATA:
        /* before the children the start tags already reported as not allowed */
        for (size_t i = 0; i < NCOUNT; i++)
            if (metadata_children[i].since <= v->minor && f->cnt[i] > 1)
                late_err(v, f, f->line, "<metadata> holds at most one <%s>",
                         metadata_children[i].name);
        break;
    default:
        break;
    }
}

/* ---- the root ------------------------------------------------------------------------------ */

/* The root element: CycloneDX 1.4-1.7 (sets v->ns, v->minor and, with findings on, the
 * report's spec_version) and, with the C rules, its attributes. false when it is not one (the
 * finding is made when findings are on). The root's getters: name/uri (uri NULL: none), its
 * line, and a lookup of its no-namespace attributes. */
typedef const char *(*root_attr_fn)(void *payload, const char *name);

static bool check_root(vstate *v, const char *name, const char *uri, long line, bool findings,
                       bool structural, root_attr_fn attr, void *payload)
{
    const char *spec, *s;
    if (!name || strcmp(name, "bom") != 0 || !uri ||
        strncmp(uri, CDX_NS_PREFIX, strlen(CDX_NS_PREFIX)) != 0) {
        if (findings)
            xmlerr_line(v, line, "not a CycloneDX document: the root must be <bom> in "
                                 "http://cyclonedx.org/schema/bom/1.x");
        return false;
    }
    v->ns = uri;
    spec = uri + strlen(CDX_NS_PREFIX);
    if (findings && !(v->rep->spec_version = ct_strdup(spec)))
        v->failed = true;
    if (!(strlen(spec) == 3 && spec[0] == '1' && spec[1] == '.' && spec[2] >= '4' &&
          spec[2] <= '7')) {
        if (findings)
            xmlerr_line(v, line, "unsupported CycloneDX XML version \"%.20s\" (1.4 to 1.7)", spec);
        return false;
    }
    v->minor = spec[2] - '0';
    if (!structural || !findings)
        return true;
    if ((s = attr(payload, "serialNumber")) && !ct_sbom__serial_ok(s))
        xmlerr_line(v, line, "serialNumber must match urn:uuid:<RFC 4122 UUID>");
    if ((s = attr(payload, "version"))) {
        int64_t ver;
        if (ct_parse_i64(&ver, s, strlen(s), 1, INT64_MAX) < 0)
            xmlerr_line(v, line, "version must be an integer >= 1");
        ct_error_clear();
    }
    return true;
}

typedef struct {
    xstream *x;
    const xmlChar **at;
    int nat;
} sax_root;

static const char *sax_root_attr(void *payload, const char *name)
{
    sax_root *r = payload;
    const xmlChar *n = xmlDictLookup(r->x->pc->dict, (const xmlChar *)name, -1);
    return n ? attr_of(r->x, r->at, r->nat, n) : NULL;
}

/* ---- SAX callbacks ------------------------------------------------------------------------- */

static xframe *push_frame(xstream *x)
{
    xframe *f;
    if (x->depth == x->cap) {
        size_t ncap = x->cap ? x->cap * 2 : 32;
        xframe *nf = ct_reallocarray(x->st, ncap, sizeof *nf);
        if (!nf)
            return NULL;
        for (size_t i = x->cap; i < ncap; i++) {
            nf[i].a = (ct_buf)CT_BUF_INIT;
            nf[i].b = (ct_buf)CT_BUF_INIT;
        }
        x->st = nf;
        x->cap = ncap;
    }
    f = &x->st[x->depth++];
    f->kind = K_NONE;
    f->text = T_NONE;
    f->have_a = f->have_b = false;
    f->active = false;
    memset(f->cnt, 0, sizeof f->cnt);
    return f;
}

static void on_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
                     int nns, const xmlChar **nsdecl, int nat, int ndef, const xmlChar **at)
{
    xstream *x = ctx;
    vstate *v = x->v;
    xframe *f, *p;
    (void)nns;
    (void)nsdecl;
    (void)ndef; /* defaulted attributes come from a DTD: a DOCTYPE ends the walk */
    if (x->mb)
        ct_sbom__xmb_start(x->mb, local, prefix, uri, nat, at);
    if (!x->rules) { /* the model alone: the tree's depth limit, as below */
        if (x->depth > xmlParserMaxDepth && !(x->pc->options & XML_PARSE_HUGE)) {
            x->too_deep = true;
            xmlStopParser(x->pc);
        } else {
            x->depth++;
        }
        return;
    }
    if (x->doctype || v->failed)
        return;
    if (x->depth > xmlParserMaxDepth && !(x->pc->options & XML_PARSE_HUGE)) {
        /* the limit libxml2's tree builder enforces (nodePush): not well-formed for it */
        x->too_deep = true;
        xmlStopParser(x->pc);
        return;
    }
    if (!(f = push_frame(x))) {
        stop(x);
        return;
    }
    f->line = cur_line(x);
    /* an undefined prefix: the tree named the element "prefix:local" in no namespace */
    f->name = prefix && !uri ? NULL : local;
    f->cdx = false;
    if (x->depth == 1) {
        sax_root r = { x, at, nat };
        char qname[256];
        const char *name = (const char *)local;
        if (prefix && !uri) {
            snprintf(qname, sizeof qname, "%s:%s", prefix, local);
            name = qname;
        }
        x->root_seen = true;
        x->root_ok = check_root(v, name, (const char *)uri, f->line, x->root_findings,
                                x->structural, sax_root_attr, &r);
        if (x->root_ok) {
            x->ns = uri;
            f->cdx = true;
            f->active = true;
        }
        f->ins0 = f->ins = v->rep->nerrors;
        return;
    }
    p = &x->st[x->depth - 2];
    f->cdx = uri && x->ns && (uri == x->ns || strcmp((const char *)uri, (const char *)x->ns) == 0) &&
             f->name;
    if (!f->cdx || !p->active)
        return;
    if (p->kind != K_NONE)
        child_of(x, p, f);
    if (x->depth - 2 > MAX_WALK_DEPTH)
        return;
    f->active = true;
    if (nat)
        on_bom_ref(x, f, at, nat);
    if (rule_name(x, f->name)) /* most elements: none of the rules names them */
        begin_rules(x, f, at, nat);
    f->ins0 = f->ins = v->rep->nerrors;
}

static void on_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
    xstream *x = ctx;
    xframe *f;
    (void)local;
    (void)prefix;
    (void)uri;
    if (x->mb)
        ct_sbom__xmb_end(x->mb);
    if (!x->rules) {
        x->depth -= x->depth > 0;
        return;
    }
    if (x->doctype || x->v->failed || !x->depth)
        return;
    f = &x->st[x->depth - 1];
    if (f->active && f->kind != K_NONE)
        end_rules(x, f);
    x->depth--;
}

/* the validator's side of a text or CDATA run */
static void rules_text(xstream *x, const xmlChar *s, int len)
{
    xframe *f;
    ct_buf *t;
    if (!x->rules || !x->depth || len <= 0)
        return;
    f = &x->st[x->depth - 1];
    switch (f->text) {
    case T_HEX:
        f->hex_n += (size_t)len;
        if (!f->hex_bad && !all_hex(s, (size_t)len))
            f->hex_bad = true;
        return;
    case T_OWN:
        t = &f->a;
        break;
    case T_PARENT_A:
        t = &f[-1].a;
        break;
    case T_PARENT_B:
        t = &f[-1].b;
        break;
    default:
        return;
    }
    ct_buf_put(t, s, (size_t)len); /* a failed buffer skips its check, as the tree walk did */
}

/* text and CDATA without the model: the rules' side only, one call less per run (xml10) */
static void on_rules_text(void *ctx, const xmlChar *s, int len)
{
    rules_text(ctx, s, len);
}

static void on_text(void *ctx, const xmlChar *s, int len)
{
    xstream *x = ctx;
    if (x->mb)
        ct_sbom__xmb_text(x->mb, s, len);
    rules_text(x, s, len);
}

static void on_cdata(void *ctx, const xmlChar *s, int len)
{
    xstream *x = ctx;
    if (x->mb)
        ct_sbom__xmb_cdata(x->mb, s, len);
    rules_text(x, s, len);
}

/* a comment or processing instruction: a child node that is not text (the model's texts) */
static void on_comment(void *ctx, const xmlChar *value)
{
    xstream *x = ctx;
    (void)value;
    if (x->mb)
        ct_sbom__xmb_node(x->mb);
}

static void on_pi(void *ctx, const xmlChar *target, const xmlChar *data)
{
    xstream *x = ctx;
    (void)target;
    (void)data;
    if (x->mb)
        ct_sbom__xmb_node(x->mb);
}

static void on_dtd(void *ctx, const xmlChar *name, const xmlChar *eid, const xmlChar *sid)
{
    xstream *x = ctx;
    (void)name;
    (void)eid;
    (void)sid;
    x->doctype = true;
}

/* ---- the input's pages ----------------------------------------------------------------------
 * The push parser copies what it is handed into its own window and never looks back, so when
 * the input is a read-only private file mapping (`sbom validate`, `sbom import`, the bench's
 * --map) the pages it has been handed are dropped as the parse moves on (MADV_DONTNEED: they
 * come back from the page cache, unchanged, if anything reads them again, e.g. the pull parse
 * that words a well-formedness error). Resident memory is then the window and what the walk
 * keeps, not the whole file besides. Anything else (heap, stack, a writable or anonymous
 * mapping) is never touched: dropping those pages would lose the bytes. */
#define DROP_MIN ((size_t)1 << 20)   /* smaller inputs are not worth a look at /proc */
#define DROP_EVERY ((size_t)256 << 10) /* drop in steps of this (xml8: was 1 MiB) */

/* where dropping starts (the first page wholly inside the input: nothing else is dropped), or
 * NULL when the pages are not to be dropped */
static const char *drop_start(const char *data, size_t len)
{
    long page = sysconf(_SC_PAGESIZE);
    if (len < DROP_MIN || page <= 0 || !ct_mem_file_backed(data, len))
        return NULL;
    return (const char *)(((uintptr_t)data + (uintptr_t)page - 1) & ~(uintptr_t)(page - 1));
}

/* The input of a pull parse (the rules without the model, issue 5 xml10): handed to libxml2's
 * input buffer as it asks (xmlCreateIOParserCtxt), the pages behind dropped as with the push
 * parser. */
typedef struct {
    const char *data, *drop;
    size_t len, off;
} pull_in;

static int pull_read(void *payload, char *buf, int cap)
{
    pull_in *in = payload;
    size_t n = in->len - in->off;
    if (cap <= 0)
        return 0;
    if (n > (size_t)cap)
        n = (size_t)cap;
    memcpy(buf, in->data + in->off, n);
    in->off += n;
    if (in->drop && in->data + in->off > in->drop &&
        (size_t)(in->data + in->off - in->drop) >= DROP_EVERY)
        in->drop = ct_mem_drop(in->drop, in->data + in->off);
    return (int)n;
}

static int pull_close(void *payload)
{
    (void)payload;
    return 0;
}

/* Stream data[0..len) through the rules (x set up but for the parser). Returns false when the
 * document is not well-formed (libxml2 error anywhere: the parser's own verdict). With the model
 * the push parser reads it (the builder replays the reader's blank dropping from the push
 * parser's window, where a text run is whole); the rules alone run on the pull parser
 * (xmlParseDocument fed through xmlCreateIOParserCtxt), which does the same SAX2 events with
 * ~13 % fewer instructions than the push parser's look-ahead for each token (xml10). A text run
 * may then come in more pieces; the rules only join them. */
static bool sax_walk(xstream *x, const char *data, size_t len)
{
    xmlSAXHandler h;
    size_t off, first = len < 4 ? len : 4;
    const char *drop;
    pull_in in;
    int r = 0;

    memset(&h, 0, sizeof h);
    h.initialized = XML_SAX2_MAGIC;
    h.startElementNs = on_start;
    h.endElementNs = on_end;
    h.characters = on_text;
    h.ignorableWhitespace = on_text;
    h.cdataBlock = on_cdata;
    h.internalSubset = on_dtd;
    if (x->want_model) {
        h.comment = on_comment;
        h.processingInstruction = on_pi;
    } else {
        h.characters = h.ignorableWhitespace = h.cdataBlock = on_rules_text;
    }
    h.serror = schema_quiet;
    in.data = data;
    in.len = len;
    in.off = 0;
    in.drop = NULL;
    if (!(x->pc = x->want_model ? xmlCreatePushParserCtxt(&h, x, data, (int)first, NULL)
                                : xmlCreateIOParserCtxt(&h, x, pull_read, pull_close, &in,
                                                        XML_CHAR_ENCODING_NONE))) {
        x->v->failed = true;
        return true;
    }
    xmlCtxtUseOptions(x->pc, PARSE_OPTS);
#define X(n) x->nm.n = xmlDictLookup(x->pc->dict, (const xmlChar *)#n, -1);
    XV_NAMES(X)
#undef X
    x->nm.bom_ref = xmlDictLookup(x->pc->dict, (const xmlChar *)"bom-ref", -1);
    rule_names_set(x);
    if (!x->nm.bom || !x->nm.bom_ref ||
        (x->want_model && !(x->mb = ct_sbom__xmb_new(x->v->ctx, x->pc, len)))) {
        x->v->failed = true;
        return true;
    }
    drop = drop_start(data, len);
    if (x->rules && len >= DROP_MIN) {
        /* a large document: the ref tables at a size that need not grow (a ref per ~400 input
         * bytes in the generated ones; more than that grows them): no copies of them on fresh
         * pages as they double, and the pages that are never written cost nothing */
        refs_reserve(&x->refs, len / 256);
        refs_reserve(&x->uses, len / 256);
    }
    if (!x->want_model) {
        in.drop = drop;
        r = xmlParseDocument(x->pc);
        return r == 0 && x->pc->wellFormed && !x->too_deep;
    }
    for (off = first; r == 0 && x->pc->wellFormed && off < len && !x->v->failed;) {
        size_t n = len - off < PUSH_CHUNK ? len - off : PUSH_CHUNK;
        r = xmlParseChunk(x->pc, data + off, (int)n, 0);
        off += n;
        if (drop && data + off > drop && (size_t)(data + off - drop) >= DROP_EVERY)
            drop = ct_mem_drop(drop, data + off);
    }
    if (r == 0 && x->pc->wellFormed && !x->v->failed)
        r = xmlParseChunk(x->pc, NULL, 0, 1);
    return r == 0 && x->pc->wellFormed && !x->too_deep;
}

static void stream_free(xstream *x)
{
    ct_sbom__xmb_finish(x->mb, false);
    x->mb = NULL;
    for (size_t i = 0; i < x->cap; i++) {
        ct_buf_dispose(&x->st[i].a);
        ct_buf_dispose(&x->st[i].b);
    }
    ct_free(x->st);
    ct_buf_dispose(&x->attr);
    ct_buf_dispose(&x->refs.bytes);
    ct_buf_dispose(&x->uses.bytes);
    ct_free(x->refs.v);
    ct_free(x->uses.v);
    if (x->pc) {
        xmlFreeDoc(x->pc->myDoc); /* made by libxml2 for a DTD's entity declarations */
        x->pc->myDoc = NULL;
        xmlFreeParserCtxt(x->pc);
    }
    x->pc = NULL;
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

/* ---- the entry ------------------------------------------------------------------------------ */

/* libxml2's own verdict when a DOCTYPE came first (the walk stops there): the document read
 * through with xmlTextReader, whose SAX2 handlers take the DTD's declarations as a DOM parse
 * does; < 0 when it is not well-formed. */
static int reader_read_through(const char *data, size_t len)
{
    xmlTextReaderPtr rd = xmlReaderForMemory(data, (int)len, NULL, NULL, PARSE_OPTS);
    int ret;
    if (!rd)
        return -1;
    xmlTextReaderSetStructuredErrorHandler(rd, schema_quiet, NULL);
    while ((ret = xmlTextReaderRead(rd)) == 1)
        ;
    xmlFreeTextReader(rd);
    return ret;
}

static const char *tree_root_attr(void *payload, const char *name)
{
    (void)payload;
    (void)name;
    return NULL; /* the XSD checks the root's attributes */
}

/* The C rules and the semantic checks, streamed; with model (not NULL) the model is read from
 * the same events (*model NULL when the tree reader must read it). */
static void validate_c_rules(vstate *v, const char *data, size_t len, const char *spdx_dir,
                             ct_sbom **model)
{
    ct_sbom_report *rep = v->rep;
    xstream x;
    bool wf;

    memset(&x, 0, sizeof x);
    x.v = v;
    x.spdx_dir = spdx_dir;
    x.structural = true;
    x.root_findings = true;
    x.rules = true;
    x.want_model = model != NULL;
    x.attr = x.refs.bytes = x.uses.bytes = (ct_buf)CT_BUF_INIT;
    wf = sax_walk(&x, data, len);
    if (model)
        *model = ct_sbom__xmb_finish(x.mb, wf && !x.doctype && !v->failed);
    x.mb = NULL;
    if (v->failed)
        goto done;
    if (x.doctype) {
        report_clear(rep);
        if (reader_read_through(data, len) < 0) {
            ct_free(rep->spec_version);
            rep->spec_version = NULL;
            xml_error(v, data, len);
        } else {
            ct_sbom__verr(v, "line 1", "DOCTYPE declarations are not allowed");
        }
        goto done;
    }
    if (!wf || !x.root_seen) {
        report_clear(rep);
        ct_free(rep->spec_version);
        rep->spec_version = NULL;
        xml_error(v, data, len);
        goto done;
    }
    if (x.root_ok)
        check_xrefs(&x, &x.refs, &x.uses);
done:
    stream_free(&x);
    v->ns = NULL;
}

/* With the XSD: libxml2's xmlTextReader validates the document against the schema while it
 * streams (schema findings first, as with a DOM); then the semantic checks stream (sax_walk). */
static void validate_xsd(vstate *v, const char *data, size_t len, xmlSchemaPtr schema,
                         ct_sbom **model)
{
    xmlTextReaderPtr rd = NULL;
    xmlSchemaValidCtxtPtr vc = NULL;
    ct_sbom_report *main_rep = v->rep, side;
    xerr xe = { v, main_rep };
    xstream x;
    bool doctype = false, root_seen = false, root_ok = false;
    int ret;

    memset(&side, 0, sizeof side);
    memset(&x, 0, sizeof x);
    if (!(rd = xmlReaderForMemory(data, (int)len, NULL, NULL, PARSE_OPTS)) ||
        !(vc = xmlSchemaNewValidCtxt(schema))) {
        v->failed = true;
        goto done;
    }
    xmlSchemaSetValidStructuredErrors(vc, on_error, &xe);
    if (xmlTextReaderSchemaValidateCtxt(rd, vc, 0) != 0) {
        v->failed = true;
        goto done;
    }
    main_rep->schema_checked = true;
    /* no reader error handler: with the schema plugged into the parser, libxml2 2.9's reader
     * relay took the parser's user data for the reader and crashed on a parser error (a
     * document too deep, ...); schema errors reach on_error through vc, parser errors are
     * worded by xml_error */
    ret = ct_sbom__xr_to_root(rd, &doctype); /* up to the root element */
    if (ret == 1 && !doctype) {
        const xmlNode *root = xmlTextReaderCurrentNode(rd);
        root_seen = true;
        /* the root's findings come first */
        root_ok = root && check_root(v, (const char *)root->name,
                                     root->ns ? (const char *)root->ns->href : NULL,
                                     xmlGetLineNo(root), true, false, tree_root_attr, NULL);
        v->ns = NULL;
    }
    /* the rest of the document: a libxml2 error anywhere comes first, as with a DOM */
    while (ret == 1 && !v->failed)
        ret = xmlTextReaderRead(rd);
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
    if (xmlTextReaderIsValid(rd) != 1 && main_rep->nerrors == 0)
        ct_sbom__verr(v, "line 1", "the document does not validate against bom-1.%d.xsd",
                      v->minor);
    /* the semantic checks, their findings after the schema's (and the model, on request) */
    x.v = v;
    x.rules = true;
    x.want_model = model != NULL;
    x.attr = x.refs.bytes = x.uses.bytes = (ct_buf)CT_BUF_INIT;
    v->rep = &side;
    {
        bool wf = sax_walk(&x, data, len);
        if (model)
            *model = ct_sbom__xmb_finish(x.mb, wf && !x.doctype && !v->failed);
        x.mb = NULL;
    }
    v->rep = main_rep;
    for (size_t i = 0; i < side.nerrors && !v->failed; i++)
        if (ct_sbom__report_add(main_rep, side.errors[i].location, side.errors[i].message) < 0)
            v->failed = true;
    if (!v->failed)
        check_xrefs(&x, &x.refs, &x.uses);
done:
    stream_free(&x);
    v->ns = NULL;
    v->rep = main_rep;
    report_clear(&side);
    ct_free(side.errors);
    xmlFreeTextReader(rd);
    if (vc)
        xmlSchemaFreeValidCtxt(vc);
}

void ct_sbom__validate_xml_model(vstate *v, const char *data, size_t len, const char *xsd_dir,
                                 const char *spdx_dir, ct_sbom **model)
{
    xmlSchemaPtr schema = NULL;
    int minor;

    if (model)
        *model = NULL;
    if (!(v->rep->format = ct_strdup("cyclonedx-xml")) || len > INT_MAX) {
        v->failed = true;
        return;
    }
    if (xsd_dir && (minor = sniff_minor(data, len)) > 0)
        schema = load_xsd(xsd_dir, minor);
    if (schema) {
        validate_xsd(v, data, len, schema, model);
        xmlSchemaFree(schema);
        return;
    }
    validate_c_rules(v, data, len, spdx_dir, model); /* reads the licence list when needed */
}

void ct_sbom__validate_xml(vstate *v, const char *data, size_t len, const char *xsd_dir,
                           const char *spdx_dir)
{
    ct_sbom__validate_xml_model(v, data, len, xsd_dir, spdx_dir, NULL);
}

int ct_sbom__xml_sax_model(ct_sbom **out, const ct_ctx *ctx, const char *data, size_t len)
{
    ct_sbom_report rep;
    vstate v;
    xstream x;
    bool wf;

    *out = NULL;
    if (len > INT_MAX)
        return 0;
    memset(&rep, 0, sizeof rep);
    memset(&v, 0, sizeof v);
    memset(&x, 0, sizeof x);
    v.ctx = ctx;
    v.rep = &rep;
    x.v = &v;
    x.want_model = true; /* x.rules off: the model alone */
    x.attr = x.refs.bytes = x.uses.bytes = (ct_buf)CT_BUF_INIT;
    wf = sax_walk(&x, data, len);
    *out = ct_sbom__xmb_finish(x.mb, wf && !x.doctype && !v.failed);
    x.mb = NULL;
    stream_free(&x);
    return *out ? 1 : 0;
}

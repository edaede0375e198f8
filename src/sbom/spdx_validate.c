/* SPDX 2.x validation ("cratrace sbom validate" on SPDX JSON and tag-value).
 *
 * JSON is tokenized once into the flat JSON tape (base/json_tape.h; no DOM, issue 5) and every
 * check below walks it; ct_sbom_parse_validate reads the model from the same tape.
 *
 * JSON structure: a small interpreter for the JSON-Schema subset the official SPDX 2.2/2.3
 * schemas use (type, properties, required, additionalProperties, items, minItems, enum), driven
 * by the schema file of the document's version when it can be read (rep->schema_checked), else
 * by a reduced built-in schema (required members, types, enumerations; no additionalProperties)
 * written here. A schema file using any other constraining keyword is not trusted and the
 * built-in rules apply. Interpreting the file keeps us identical to the official rules (and to
 * ajv) without copying them into the project.
 *
 * Tag-value 2.1-2.3: tags known per section, required tags per section, value formats; "line N".
 *
 * Both: SPDXID syntax and uniqueness, references (relationships, documentDescribes, hasFiles,
 * snippetFromFile, annotations) to unknown SPDXIDs (DocumentRef-... and NONE/NOASSERTION are
 * allowed), spdxVersion, dataLicense, created dates, creators, purls of purl external refs
 * (ident module), licence expression syntax, checksum value length per algorithm. Every finding
 * is collected; none stops the walk. */
#include "spdx_validate_int.h"
#include "sbom/spdx_int.h"
#include "cratrace/ident.h"
#include "base/json_int.h"
#include "base/bigmem.h"
#include "base/file_map.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_ERRORS 10000
#define MAX_SCHEMA_DEPTH 32

/* Where an SPDXID was defined or used, kept small (issue 5, memory; no copies of the id or of
 * its location): the JSON pointer is made of the walk's fixed member names (P_*) and at most
 * two array indices, and is rebuilt only for a finding; a tag-value location is a line. */
enum { P_END, P_SPDXID, P_PACKAGES, P_FILES, P_SNIPPETS, P_DESCRIBES, P_ANNOTATIONS,
       P_HASFILES, P_ELEMENT, P_FROMFILE, P_RELATIONSHIPS, P_RELATED, P_OTHER, P_INDEX = 15 };
static const char *const pkeys[] = { "", "SPDXID", "packages", "files", "snippets",
                                     "documentDescribes", "annotations", "hasFiles",
                                     "spdxElementId", "snippetFromFile", "relationships",
                                     "relatedSpdxElement" };
#define PATH_TOKENS 6 /* 4-bit P_* tokens in a uint32_t shape, first in the low bits */
#define SHAPE_LINE UINT32_MAX

typedef struct {
    const char *id; /* borrowed: the tape's string or the tag-value text, cut at a NUL */
    size_t n;
    uint32_t seq;
    uint32_t shape; /* P_* tokens, or SHAPE_LINE */
    uint32_t a, b;  /* the pointer's indices; or the line (low, high 32 bits) */
} idref;

typedef struct {
    idref *v;
    size_t n, cap;
} idvec;

/* One step of the JSON walks' current path (spdxone): a member name (k, kn: tape bytes, cut at
 * a NUL) or, with k NULL, an array index. The JSON pointer text is made from these only for a
 * finding (path_text), as ct_jptr_push_key / ct_jptr_push_index would have made it. */
typedef struct {
    const char *k;
    size_t kn; /* or the index */
} pseg;
#define PATH_SEGS 128 /* the walks go at most MAX_SCHEMA_DEPTH + 2 deep */

typedef struct {
    const ct_ctx *ctx;
    ct_sbom_report *rep;
    int minor;    /* 1, 2, 3 (2.x) */
    bool failed;  /* out of memory */
    ct_jptr ptr;  /* the path's text, made by path_text */
    pseg path[PATH_SEGS];
    int depth;
    const char *pk_ptr[16]; /* sp_key: the P_* code of key strings seen (by address) */
    unsigned char pk_code[16];
    const ct_jtape *tape; /* JSON: the document */
    uint32_t shape;       /* JSON: ptr's tokens while the semantic walk runs */
    int ntok, nidx;
    uint32_t idx[2];
    idvec ids;    /* every SPDXID defined */
    idvec uses;   /* every SPDXID referred to that check_ids may report (note_kept) */
    uint32_t *dtab; /* the defined ids hashed as they are noted (spdx9): indices into ids.v */
    size_t dcap, dn;
    bool ddup;    /* an id was defined twice */
    bool big;     /* a large document: the id lists start as huge-page blocks (spdx8) */
    struct cslot *cs; /* JSON: the schema nodes read so far (csch_of) */
    size_t ncs, cscap;
    uint32_t objs;    /* objects sch_object_props has looked at (its cprop.seen marks) */
    ct_spdx_pkg_hints *hints; /* the packages' members for the reader (ct_sbom_parse_validate) */
} sv;

/* ---- the walks' path ---------------------------------------------------------------------- */

static void path_key(sv *v, const char *k, size_t kn)
{
    if (v->depth < PATH_SEGS)
        v->path[v->depth] = (pseg){ k, kn };
    v->depth++;
}

static void path_index(sv *v, size_t i)
{
    if (v->depth < PATH_SEGS)
        v->path[v->depth] = (pseg){ NULL, i };
    v->depth++;
}

/* a C string key (a literal) */
static void path_key0(sv *v, const char *k)
{
    path_key(v, k, strlen(k));
}

static void path_pop(sv *v)
{
    if (v->depth > 0)
        v->depth--;
}

/* The current path as JSON pointer text (v->ptr.buf), plus key when not NULL: the pushes of
 * ct_jptr replayed (a name is escaped from at most its first 254 bytes, so a copy of 300 is
 * exact). */
static const char *path_text(sv *v, const char *key)
{
    char kb[301];
    ct_jptr_init(&v->ptr);
    for (int i = 0; i < v->depth && i < PATH_SEGS; i++) {
        const pseg *g = &v->path[i];
        if (!g->k) {
            ct_jptr_push_index(&v->ptr, g->kn);
            continue;
        }
        size_t n = g->kn < sizeof kb - 1 ? g->kn : sizeof kb - 1;
        memcpy(kb, g->k, n);
        kb[n] = '\0';
        ct_jptr_push_key(&v->ptr, kb);
    }
    if (key)
        ct_jptr_push_key(&v->ptr, key);
    return v->ptr.buf;
}

/* ---- findings ---------------------------------------------------------------------------- */

static void add_error(sv *v, const char *where, const char *fmt, ...) CT_PRINTF(3, 4);

static void add_error(sv *v, const char *where, const char *fmt, ...)
{
    ct_sbom_report *r = v->rep;
    char msg[512];
    va_list ap;

    r->valid = false;
    if (v->failed || r->nerrors > MAX_ERRORS)
        return;
    if (r->nerrors == MAX_ERRORS) {
        where = "/";
        snprintf(msg, sizeof msg, "more than %d errors; the rest are not listed", MAX_ERRORS);
    } else {
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
    }
    if (ct_sbom__report_add(r, where, msg) < 0)
        v->failed = true;
}

/* Error at the current JSON pointer plus an optional key. */
static void jerr(sv *v, const char *key, const char *fmt, ...) CT_PRINTF(3, 4);

static void jerr(sv *v, const char *key, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    add_error(v, path_text(v, key), "%s", msg);
}

static void lerr(sv *v, size_t line, const char *fmt, ...) CT_PRINTF(3, 4);

static void lerr(sv *v, size_t line, const char *fmt, ...)
{
    char msg[512], where[32];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(where, sizeof where, "line %zu", line);
    add_error(v, where, "%s", msg);
}

/* ---- SPDXIDs ----------------------------------------------------------------------------- */

/* id[0..idlen) holds no NUL: cut where a C string (json-c, strndup) would end */
static void note_id(sv *v, idvec *vec, const char *id, size_t idlen, uint32_t shape, uint32_t a,
                    uint32_t b)
{
    if (vec->n == vec->cap) {
        size_t ncap = vec->cap ? vec->cap * 2 : 64;
        /* a large document's lists skip the heap sizes (each doubling there is a copy onto
         * fresh 4 KiB pages, every one a fault): one 2 MiB block at once */
        if (v->big && ncap * sizeof *vec->v < ct_bigmem_threshold())
            ncap = ct_bigmem_threshold() / sizeof *vec->v;
        /* spdx8: a large list on huge pages, grown without a copy; spdx9: a tight block (a
         * huge page only for whole 2 MiB of it: the 10 MB document's lists took 2 MiB each) */
        idref *nv = ncap <= UINT32_MAX ? ct_bigmem_realloc_tight(vec->v, ncap, sizeof *nv) : NULL;
        if (!nv) {
            v->failed = true;
            return;
        }
        vec->v = nv;
        vec->cap = ct_bigmem_usable(nv) / sizeof *nv;
        if (vec->cap > UINT32_MAX)
            vec->cap = UINT32_MAX;
    }
    idref *e = &vec->v[vec->n];
    e->id = id;
    e->n = idlen;
    e->seq = (uint32_t)vec->n;
    e->shape = shape;
    e->a = a;
    e->b = b;
    vec->n++;
}

static uint32_t key_hash(const char *k, size_t kn);
static bool docref_ok(const char *s, size_t n);

/* Insert the id just noted (ids.v[ids.n - 1]) into the defined set (spdx9: built as the ids
 * come, so that a reference to an id defined before it needs no record; check_ids built it at
 * the end before, with the same answer); v->ddup set when it repeats one. */
static void define_noted(sv *v)
{
    const idvec *ids = &v->ids;
    const idref *r = &ids->v[ids->n - 1];
    size_t h;
    if ((v->dn + 1) * 2 > v->dcap) {
        size_t ncap = v->dcap ? v->dcap * 2 : 64;
        uint32_t *nt = ct_reallocarray(NULL, ncap, sizeof *nt);
        if (!nt) {
            v->failed = true;
            return;
        }
        memset(nt, 0xff, ncap * sizeof *nt);
        for (size_t i = 0; i < v->dcap; i++) {
            if (v->dtab[i] == UINT32_MAX)
                continue;
            const idref *o = &ids->v[v->dtab[i]];
            for (h = key_hash(o->id, o->n) & (ncap - 1); nt[h] != UINT32_MAX; h = (h + 1) & (ncap - 1))
                ;
            nt[h] = v->dtab[i];
        }
        ct_free(v->dtab);
        v->dtab = nt;
        v->dcap = ncap;
    }
    for (h = key_hash(r->id, r->n) & (v->dcap - 1);; h = (h + 1) & (v->dcap - 1)) {
        if (v->dtab[h] == UINT32_MAX) {
            v->dtab[h] = (uint32_t)(ids->n - 1);
            v->dn++;
            return;
        }
        const idref *o = &ids->v[v->dtab[h]];
        if (o->n == r->n && ct_spdx__eq(o->id, r->id, r->n)) {
            v->ddup = true;
            return;
        }
    }
}

/* id is among the ids defined so far */
static bool defined_yet(const sv *v, const char *id, size_t n)
{
    if (!v->dcap)
        return false;
    for (size_t h = key_hash(id, n) & (v->dcap - 1);; h = (h + 1) & (v->dcap - 1)) {
        if (v->dtab[h] == UINT32_MAX)
            return false;
        const idref *o = &v->ids.v[v->dtab[h]];
        if (o->n == n && ct_spdx__eq(o->id, id, n))
            return true;
    }
}

/* A definition (vec == &v->ids) is kept and hashed; a reference only when check_ids could
 * report it (spdx9, peak RSS: most references name an id defined before them, and check_ids
 * says nothing about those, nor about NONE / NOASSERTION; the rest keep their order). */
static void note_kept(sv *v, idvec *vec, const char *id, size_t idlen, uint32_t shape,
                      uint32_t a, uint32_t b)
{
    if (vec == &v->ids) {
        size_t n0 = vec->n;
        note_id(v, vec, id, idlen, shape, a, b);
        if (vec->n > n0)
            define_noted(v);
        return;
    }
    if ((idlen == 4 && memcmp(id, "NONE", 4) == 0) ||
        (idlen == 11 && memcmp(id, "NOASSERTION", 11) == 0))
        return;
    const char *colon = memchr(id, ':', idlen);
    if (!(colon && docref_ok(id, (size_t)(colon - id))) && defined_yet(v, id, idlen))
        return;
    note_id(v, vec, id, idlen, shape, a, b);
}

/* An id at the semantic walk's current JSON pointer. */
static void note_here(sv *v, idvec *vec, const char *id, size_t idlen)
{
    note_kept(v, vec, id, idlen, v->shape, v->idx[0], v->idx[1]);
}

static void note_line(sv *v, idvec *vec, const char *id, size_t idlen, size_t line)
{
    const char *z = memchr(id, '\0', idlen);
    if (z)
        idlen = (size_t)(z - id);
    note_kept(v, vec, id, idlen, SHAPE_LINE, (uint32_t)line, (uint32_t)((uint64_t)line >> 32));
}

/* The semantic walk's pointer: ptr plus the tokens note_here records. */
static void sp_key(sv *v, const char *key)
{
    unsigned code = P_OTHER;
    size_t c = ((uintptr_t)key >> 3) & 15u;
    if (v->pk_ptr[c] == key) { /* the callers pass string literals: one lookup per key */
        code = v->pk_code[c];
    } else {
        for (unsigned i = 1; i < CT_NELEM(pkeys); i++)
            if (strcmp(pkeys[i], key) == 0) {
                code = i;
                break;
            }
        v->pk_ptr[c] = key;
        v->pk_code[c] = (unsigned char)code;
    }
    path_key(v, key, strlen(key));
    if (v->ntok < PATH_TOKENS)
        v->shape |= (uint32_t)code << (4 * v->ntok);
    v->ntok++;
}

static void sp_index(sv *v, size_t i)
{
    path_index(v, i);
    if (v->ntok < PATH_TOKENS)
        v->shape |= (uint32_t)P_INDEX << (4 * v->ntok);
    if (v->nidx < 2)
        v->idx[v->nidx] = (uint32_t)i;
    v->ntok++;
    v->nidx++;
}

static void sp_pop(sv *v)
{
    path_pop(v);
    if (v->ntok <= 0)
        return;
    v->ntok--;
    if (v->ntok < PATH_TOKENS) {
        if (((v->shape >> (4 * v->ntok)) & 15u) == P_INDEX && --v->nidx < 2)
            v->idx[v->nidx] = 0;
        v->shape &= ~((uint32_t)15 << (4 * v->ntok));
    }
}

/* The location text of r in p (JSON) or line[cap] (tag-value). */
static const char *where_of(const idref *r, ct_jptr *p, char *line, size_t cap)
{
    int ni = 0;
    if (r->shape == SHAPE_LINE) {
        snprintf(line, cap, "line %zu", (size_t)((uint64_t)r->a | (uint64_t)r->b << 32));
        return line;
    }
    ct_jptr_init(p);
    for (int t = 0; t < PATH_TOKENS; t++) {
        unsigned c = (r->shape >> (4 * t)) & 15u;
        if (c == P_END)
            break;
        if (c == P_INDEX)
            ct_jptr_push_index(p, ni++ ? r->b : r->a);
        else
            ct_jptr_push_key(p, c < CT_NELEM(pkeys) ? pkeys[c] : "?");
    }
    return p->buf;
}

static void idvec_free(idvec *vec)
{
    ct_bigmem_free(vec->v);
    memset(vec, 0, sizeof *vec);
}

/* The id lists and the defined set */
static void ids_free(sv *v)
{
    idvec_free(&v->ids);
    idvec_free(&v->uses);
    ct_free(v->dtab);
    v->dtab = NULL;
    v->dcap = v->dn = 0;
}

/* strcmp order of two byte strings without NULs */
static int cmp_bytes(const char *a, size_t an, const char *b, size_t bn)
{
    int c = memcmp(a, b, an < bn ? an : bn);
    return c ? c : (an > bn) - (an < bn);
}

static int cmp_idref(const void *a, const void *b)
{
    const idref *x = a, *y = b;
    int c = cmp_bytes(x->id, x->n, y->id, y->n);
    return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

/* [A-Za-z0-9.-] by table (spdx9: a check per byte of every SPDXID) */
static const bool idchar[256] = {
    ['-'] = 1, ['.'] = 1, ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,
    ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1,
    ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1,
    ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1,
    ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1, ['a'] = 1, ['b'] = 1,
    ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1,
    ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
    ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
};

/* SPDXRef-[A-Za-z0-9.-]+ */
static bool spdxref_ok(const char *s, size_t n)
{
    bool all = true;
    if (n <= 8 || memcmp(s, "SPDXRef-", 8) != 0)
        return false;
    for (size_t i = 8; i < n; i++)
        all &= idchar[(unsigned char)s[i]];
    return all;
}

/* DocumentRef-[A-Za-z0-9.-]+ */
static bool docref_ok(const char *s, size_t n)
{
    if (n <= 12 || memcmp(s, "DocumentRef-", 12) != 0)
        return false;
    for (size_t i = 12; i < n; i++)
        if (!ct_ascii_isalnum(s[i]) && s[i] != '.' && s[i] != '-')
            return false;
    return true;
}

static int cut100(size_t n)
{
    return (int)(n < 100 ? n : 100);
}

static uint32_t key_hash(const char *k, size_t kn);

/* The defined ids hashed (spdxfast: sorting them and a binary search per reference was ~10 %
 * of validating a large document): tab[cap] holds indices into ids->v, UINT32_MAX = free; one
 * entry per distinct id. *dup set when an id is defined twice. false when out of memory. */
typedef struct {
    uint32_t *tab;
    size_t cap;
} idset;

static bool idset_build(idset *s, const idvec *ids, bool *dup)
{
    s->cap = 64;
    while (s->cap < ids->n * 2)
        s->cap *= 2;
    if (!(s->tab = ct_reallocarray(NULL, s->cap, sizeof *s->tab)))
        return false;
    memset(s->tab, 0xff, s->cap * sizeof *s->tab);
    for (size_t i = 0; i < ids->n; i++) {
        const idref *r = &ids->v[i];
        for (size_t h = key_hash(r->id, r->n) & (s->cap - 1);; h = (h + 1) & (s->cap - 1)) {
            if (s->tab[h] == UINT32_MAX) {
                s->tab[h] = (uint32_t)i;
                break;
            }
            const idref *o = &ids->v[s->tab[h]];
            if (o->n == r->n && ct_spdx__eq(o->id, r->id, r->n)) {
                *dup = true;
                break;
            }
        }
    }
    return true;
}

static bool idset_has(const idset *s, const idvec *ids, const char *id, size_t n)
{
    for (size_t h = key_hash(id, n) & (s->cap - 1);; h = (h + 1) & (s->cap - 1)) {
        if (s->tab[h] == UINT32_MAX)
            return false;
        const idref *o = &ids->v[s->tab[h]];
        if (o->n == n && ct_spdx__eq(o->id, id, n))
            return true;
    }
}

/* Duplicates among the definitions (in id order, each against the one before it), then
 * references to ids that nobody defines. */
static void check_ids(sv *v)
{
    ct_jptr p, q;
    char l1[48], l2[48];
    idset set = { NULL, 0 };
    bool dup = false;
    if (v->failed)
        return;
    /* the set made as the ids were noted (define_noted); an empty one when there are none */
    dup = v->ddup;
    if (v->dcap) {
        set.tab = v->dtab;
        set.cap = v->dcap;
        v->dtab = NULL;
        v->dcap = v->dn = 0;
    } else if (!idset_build(&set, &v->ids, &dup)) {
        v->failed = true;
        return;
    }
    /* sorted only when some id repeats: the findings come in sorted order */
    if (dup) {
        ct_free(set.tab);
        set.tab = NULL;
        qsort(v->ids.v, v->ids.n, sizeof *v->ids.v, cmp_idref);
        if (!idset_build(&set, &v->ids, &dup)) {
            v->failed = true;
            return;
        }
    }
    for (size_t i = 1; dup && i < v->ids.n; i++) {
        const idref *r = &v->ids.v[i], *f = &v->ids.v[i - 1];
        if (cmp_bytes(r->id, r->n, f->id, f->n) == 0)
            add_error(v, where_of(r, &p, l1, sizeof l1),
                      "duplicate SPDXID \"%.*s\" (first at %.100s)", cut100(r->n), r->id,
                      where_of(f, &q, l2, sizeof l2));
    }
    for (size_t i = 0; i < v->uses.n; i++) {
        const idref *u = &v->uses.v[i];
        const char *id = u->id, *colon = memchr(id, ':', u->n);
        size_t n = u->n;
        if ((n == 4 && memcmp(id, "NONE", 4) == 0) || (n == 11 && memcmp(id, "NOASSERTION", 11) == 0))
            continue;
        if (colon && docref_ok(id, (size_t)(colon - id))) {
            if (!spdxref_ok(colon + 1, n - (size_t)(colon + 1 - id)))
                add_error(v, where_of(u, &p, l1, sizeof l1),
                          "\"%.*s\": expected DocumentRef-<id>:SPDXRef-<id>", cut100(n), id);
            continue;
        }
        if (!idset_has(&set, &v->ids, id, n))
            add_error(v, where_of(u, &p, l1, sizeof l1),
                      "\"%.*s\" names no element of this document (no such SPDXID)", cut100(n),
                      id);
    }
    ct_free(set.tab);
}

/* ---- value formats ----------------------------------------------------------------------- */

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!ct_ascii_isdigit(s[i]))
            return false;
    return true;
}

/* YYYY-MM-DDThh:mm:ssZ (SPDX 2.x "Created", annotation and package dates) */
static bool date_ok(const char *s, size_t n)
{
    return n == 20 && digits(s, 4) && s[4] == '-' && digits(s + 5, 2) && s[7] == '-' &&
           digits(s + 8, 2) && s[10] == 'T' && digits(s + 11, 2) && s[13] == ':' &&
           digits(s + 14, 2) && s[16] == ':' && digits(s + 17, 2) && s[19] == 'Z' &&
           (s[5] - '0') * 10 + (s[6] - '0') >= 1 && (s[5] - '0') * 10 + (s[6] - '0') <= 12 &&
           (s[8] - '0') * 10 + (s[9] - '0') >= 1 && (s[8] - '0') * 10 + (s[9] - '0') <= 31 &&
           (s[11] - '0') * 10 + (s[12] - '0') <= 23 && (s[14] - '0') * 10 + (s[15] - '0') <= 59 &&
           (s[17] - '0') * 10 + (s[18] - '0') <= 60;
}

static bool starts(const char *s, size_t n, const char *prefix)
{
    size_t p = strlen(prefix);
    return n >= p && memcmp(s, prefix, p) == 0;
}

/* Creator / annotator: "Person: ...", "Organization: ...", "Tool: ..." */
static bool creator_ok(const char *s, size_t n, bool tool)
{
    return (starts(s, n, "Person:") && n > 7) || (starts(s, n, "Organization:") && n > 13) ||
           (tool && starts(s, n, "Tool:") && n > 5);
}

typedef struct {
    const char *alg;
    unsigned hexlen; /* 0: any length */
    bool at_least;   /* hexlen is a minimum */
    size_t n;        /* strlen(alg) (spdx9: no strlen per lookup) */
} algdef;

#define ALGDEF(a, len, least) { a, len, least, sizeof a - 1 }
static const algdef algs[] = {
    ALGDEF("ADLER32", 8, false),      ALGDEF("BLAKE2b-256", 64, false),
    ALGDEF("BLAKE2b-384", 96, false), ALGDEF("BLAKE2b-512", 128, false),
    ALGDEF("BLAKE3", 64, true),       ALGDEF("MD2", 32, false),
    ALGDEF("MD4", 32, false),         ALGDEF("MD5", 32, false),
    ALGDEF("MD6", 0, false),          ALGDEF("SHA1", 40, false),
    ALGDEF("SHA224", 56, false),      ALGDEF("SHA256", 64, false),
    ALGDEF("SHA3-256", 64, false),    ALGDEF("SHA3-384", 96, false),
    ALGDEF("SHA3-512", 128, false),   ALGDEF("SHA384", 96, false),
    ALGDEF("SHA512", 128, false),
};

static const algdef *alg_find(const char *s, size_t n)
{
    for (size_t i = 0; i < CT_NELEM(algs); i++)
        if (algs[i].n == n && memcmp(algs[i].alg, s, n) == 0)
            return &algs[i];
    return NULL;
}

/* Message for a checksum value that does not fit its algorithm, or NULL. */
static const char *checksum_problem(const algdef *a, const char *val, size_t n, char *buf,
                                    size_t bufsz)
{
    static const bool hex[256] = {
        ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
        ['8'] = 1, ['9'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
        ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
    };
    /* four bytes a step, no branch per byte (spdx9) */
    bool all = true;
    size_t i = 0;
    const unsigned char *u = (const unsigned char *)val;
    for (; i + 4 <= n; i += 4)
        all &= hex[u[i]] & hex[u[i + 1]] & hex[u[i + 2]] & hex[u[i + 3]];
    for (; i < n; i++)
        all &= hex[u[i]];
    if (!all)
        return "checksum value must be hexadecimal";
    if (!n || (a->hexlen && !a->at_least && n != a->hexlen) ||
        (a->hexlen && a->at_least && n < a->hexlen)) {
        snprintf(buf, bufsz, "a %s checksum has %s%u hex digits, found %zu", a->alg,
                 a->at_least ? "at least " : "", a->hexlen ? a->hexlen : 1, n);
        return buf;
    }
    return NULL;
}

static bool licence_ok(const char *s)
{
    return strcmp(s, "NONE") == 0 || strcmp(s, "NOASSERTION") == 0 ||
           ct_sbom__spdx_expression_ok(s);
}

static const char *purl_problem(const char *s, size_t n)
{
    ct_purl *p = NULL;
    int rc = ct_purl_parse(&p, s, n);
    ct_purl_free(p);
    if (rc == 0)
        return NULL;
    const char *m = ct_error_last()->message;
    return m && *m ? m : "malformed";
}

static bool word_in(const char *const *list, size_t n, const char *s, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(list[i]) == len && memcmp(list[i], s, len) == 0)
            return true;
    return false;
}

/* Enumerations of the SPDX 2.3 specification (a superset of 2.1/2.2). Tag-value documents are
 * checked against these; JSON against the schema (built-in rules: these). */
static const char *const rel_types[] = {
    "AMENDS", "ANCESTOR_OF", "BUILD_DEPENDENCY_OF", "BUILD_TOOL_OF", "CONTAINED_BY", "CONTAINS",
    "COPY_OF", "DATA_FILE_OF", "DEPENDENCY_MANIFEST_OF", "DEPENDENCY_OF", "DEPENDS_ON",
    "DESCENDANT_OF", "DESCRIBED_BY", "DESCRIBES", "DEV_DEPENDENCY_OF", "DEV_TOOL_OF",
    "DISTRIBUTION_ARTIFACT", "DOCUMENTATION_OF", "DYNAMIC_LINK", "EXAMPLE_OF",
    "EXPANDED_FROM_ARCHIVE", "FILE_ADDED", "FILE_DELETED", "FILE_MODIFIED", "GENERATED_FROM",
    "GENERATES", "HAS_PREREQUISITE", "METAFILE_OF", "OPTIONAL_COMPONENT_OF",
    "OPTIONAL_DEPENDENCY_OF", "OTHER", "PACKAGE_OF", "PATCH_APPLIED", "PATCH_FOR",
    "PREREQUISITE_FOR", "PROVIDED_DEPENDENCY_OF", "REQUIREMENT_DESCRIPTION_FOR",
    "RUNTIME_DEPENDENCY_OF", "SPECIFICATION_FOR", "STATIC_LINK", "TEST_CASE_OF",
    "TEST_DEPENDENCY_OF", "TEST_OF", "TEST_TOOL_OF", "VARIANT_OF",
};
/* relationship types new in 2.3 */
static const char *const rel_types_23[] = { "AMENDS", "REQUIREMENT_DESCRIPTION_FOR",
                                            "SPECIFICATION_FOR" };
static const char *const ref_categories[] = { "OTHER", "PERSISTENT-ID", "PERSISTENT_ID", "SECURITY",
                                              "PACKAGE-MANAGER", "PACKAGE_MANAGER" };
static const char *const purposes[] = { "APPLICATION", "ARCHIVE", "CONTAINER", "DEVICE",
                                        "FILE", "FIRMWARE", "FRAMEWORK", "INSTALL", "LIBRARY",
                                        "OPERATING-SYSTEM", "OPERATING_SYSTEM", "OTHER", "SOURCE" };
static const char *const file_types[] = { "APPLICATION", "ARCHIVE", "AUDIO", "BINARY",
                                          "DOCUMENTATION", "IMAGE", "OTHER", "SOURCE", "SPDX",
                                          "TEXT", "VIDEO" };
static const char *const annotation_types[] = { "OTHER", "REVIEW" };


/* ---- JSON: schema interpreter ------------------------------------------------------------- 
 * The schema stays a json-c tree (a small file); the document is walked on the JSON tape
 * (base/json_tape.h; issue 5: tokenized once, no DOM) with json-c's view of it: an object
 * holds each member name (up to an escaped U+0000) once, at its first position, with the
 * value of its last occurrence; numbers written with a fraction or an exponent are doubles. */

#define TP(v, x) ct_jt_type_of((v)->tape, (x))

static const char *jtype(const sv *v, ct_jval x)
{
    switch (TP(v, x)) {
    case CT_JT_NULL: return "null";
    case CT_JT_BOOL: return "boolean";
    case CT_JT_NUMBER: return ct_jt_is_int(v->tape, x) ? "integer" : "number";
    case CT_JT_STRING: return "string";
    case CT_JT_ARRAY: return "array";
    case CT_JT_OBJECT: return "object";
    default: return "?";
    }
}

static void type_text(ct_buf *b, json_object *types)
{
    if (json_object_is_type(types, json_type_string)) {
        ct_buf_puts(b, json_object_get_string(types));
        return;
    }
    size_t n = json_object_array_length(types);
    for (size_t i = 0; i < n; i++) {
        ct_buf_puts(b, i ? (i + 1 == n ? " or " : ", ") : "");
        ct_buf_puts(b, json_object_get_string(json_object_array_get_idx(types, i)));
    }
}

static void enum_text(ct_buf *b, json_object *e)
{
    size_t n = json_object_array_length(e);
    for (size_t i = 0; i < n && b->len < 400; i++) {
        ct_buf_puts(b, i ? ", " : "");
        ct_buf_puts(b, json_object_to_json_string_ext(json_object_array_get_idx(e, i),
                                                      JSON_C_TO_STRING_PLAIN));
    }
    if (b->len >= 400)
        ct_buf_puts(b, ", ...");
}

/* End of the (valid) JSON value starting at d[i]. */
static size_t value_end(const char *d, size_t len, size_t i)
{
    int depth = 0;
    bool str = false;
    for (; i < len; i++) {
        char c = d[i];
        if (str) {
            if (c == '\\')
                i++;
            else if (c == '"' && (str = false, depth == 0))
                return i + 1;
            continue;
        }
        if (c == '"')
            str = true;
        else if (c == '{' || c == '[')
            depth++;
        else if (c == '}' || c == ']') {
            if (--depth <= 0)
                return depth ? i : i + 1;
        } else if (depth == 0 && (c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r'))
            return i;
    }
    return len;
}

/* Document value x as json-c prints it (NEW): its own bytes parsed again by json-c, for a
 * message (rare: an enum mismatch). NULL when out of memory. */
static char *value_text(sv *v, ct_jval x)
{
    const char *d = v->tape->doc;
    size_t b = ct_jt_offset(v->tape, x), e = value_end(d, v->tape->len, b);
    json_object *o = NULL;
    ct_buf b2 = CT_BUF_INIT;
    char *s = NULL;
    if (TP(v, x) == CT_JT_NULL) /* json-c's NULL object (ct_json_parse refuses it alone) */
        return ct_strdup("null");
    /* a space after it: json-c ends a number at the next byte, not at the end of input */
    ct_buf_put(&b2, d + b, e - b);
    ct_buf_putc(&b2, ' ');
    if (b2.failed)
        return NULL;
    if (ct_json_parse(&o, v->ctx, b2.ptr, b2.len, "-", 0) == 0)
        s = ct_strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
    else
        s = ct_strdup("?");
    ct_error_clear();
    json_object_put(o);
    ct_buf_dispose(&b2);
    return s;
}

/* One member as json-c keeps it. */
typedef struct {
    const char *k; /* name bytes, cut at a NUL */
    size_t kn;
    ct_jval val; /* the last occurrence's value */
} jmem;

#define MEMBERS_STACK 32

/* An object as json-c holds it: its members in order, each name once, at its first position,
 * with the value of its last occurrence (ct_jt_get's answer), and a hash index of the names:
 * built in one pass, so that the checks look members up without walking the object again. */
typedef struct {
    jmem *mem;     /* mem_stack or NEW */
    uint32_t *tab; /* tab_stack or NEW: indices into mem, UINT32_MAX = free */
    size_t n, tcap;
    ct_jval x;     /* the object */
    jmem mem_stack[MEMBERS_STACK];
    uint32_t tab_stack[MEMBERS_STACK * 2]; /* load <= 1/2: a smaller table to clear per object */
} jobj;

/* A member name's hash for the per-object indices and the schema's property tables (spdxone:
 * FNV over every byte was ~10 % of validating; names differ in length or in their first, middle
 * or last byte): four bytes, mixed. */
/* Lookups by a literal name are inlined into their callers (spdxone): the name's length and
 * hash are then constants. */
#define LOOKUP static inline __attribute__((always_inline))

static inline uint32_t name_hash(const char *k, size_t kn)
{
    uint32_t h;
    if (!kn)
        return 0;
    h = (uint32_t)kn * 0x9E3779B1u ^ (unsigned char)k[0] * 0x85EBCA6Bu ^
        (unsigned char)k[kn / 2] * 0xC2B2AE35u ^ (unsigned char)k[kn - 1] * 0x27D4EB2Fu;
    return h ^ (h >> 15);
}

/* The hash of an SPDXID for the id sets (only their layout depends on it): eight bytes at a
 * time, multiplied and folded (spdx9: FNV byte by byte was 2 % of `pv`). */
static uint32_t key_hash(const char *k, size_t kn)
{
    uint64_t h = (uint64_t)kn * 0x9E3779B97F4A7C15u, w;
    size_t i = 0;
    for (; i + 8 <= kn; i += 8) {
        memcpy(&w, k + i, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDu;
        h ^= h >> 29;
    }
    if (i < kn) {
        w = 0;
        memcpy(&w, k + i, kn - i);
        h = (h ^ w) * 0xC4CEB9FE1A85EC53u;
        h ^= h >> 29;
    }
    return (uint32_t)(h ^ (h >> 32));
}

static void jobj_close(jobj *o)
{
    if (o->mem != o->mem_stack)
        ct_free(o->mem);
    if (o->tab != o->tab_stack)
        ct_free(o->tab);
    o->mem = o->mem_stack;
    o->tab = o->tab_stack;
    o->n = 0;
}

/* Fill o from x into room for cap members; false when more are needed. */
static bool jobj_fill(sv *v, jobj *o, ct_jval x, size_t cap)
{
    ct_jiter it;
    ct_jval val;
    size_t raw = 0, kn;
    const char *ks;
    o->n = 0;
    memset(o->tab, 0xff, o->tcap * sizeof *o->tab);
    ct_jt_iter(&it, v->tape, x);
    while (ct_jt_next_member_name(&it, v->tape, &ks, &kn, &val)) {
        if (++raw > cap)
            return false;
        for (size_t h = name_hash(ks, kn) & (o->tcap - 1);; h = (h + 1) & (o->tcap - 1)) {
            if (o->tab[h] == UINT32_MAX) {
                o->tab[h] = (uint32_t)o->n;
                o->mem[o->n++] = (jmem){ ks, kn, val };
                break;
            }
            jmem *m = &o->mem[o->tab[h]];
            if (m->kn == kn && ct_spdx__eq(m->k, ks, kn)) {
                m->val = val;
                break;
            }
        }
    }
    return true;
}

/* Open x (no members when it is not an object); close with jobj_close. v->failed when out of
 * memory (o then empty). */
static void jobj_open(sv *v, jobj *o, ct_jval x)
{
    o->x = x;
    o->mem = o->mem_stack;
    o->tab = o->tab_stack;
    o->tcap = CT_NELEM(o->tab_stack);
    o->n = 0;
    if (ct_jt_type_of(v->tape, x) != CT_JT_OBJECT)
        return;
    /* a small object gets a small table to clear (spdxone): it has at most half as many
     * members as it spans slots */
    size_t span = (ct_jt_skip(v->tape, x) - x - 2) / 2;
    while (o->tcap > 8 && o->tcap / 4 >= span)
        o->tcap /= 2;
    if (jobj_fill(v, o, x, MEMBERS_STACK))
        return;
    o->tcap = CT_NELEM(o->tab_stack);
    size_t raw = ct_jt_count(v->tape, x), tcap = 64;
    while (tcap < raw * 2)
        tcap *= 2;
    o->mem = ct_reallocarray(NULL, raw, sizeof *o->mem);
    o->tab = ct_reallocarray(NULL, tcap, sizeof *o->tab);
    o->tcap = tcap;
    if (!o->mem || !o->tab) {
        if (!o->mem)
            o->mem = o->mem_stack;
        if (!o->tab)
            o->tab = o->tab_stack;
        jobj_close(o);
        v->failed = true;
        return;
    }
    (void)jobj_fill(v, o, x, raw);
}

/* The member named key (a C string) or CT_JNONE: ct_jt_get's answer. */
LOOKUP ct_jval jobj_get(const jobj *o, const char *key)
{
    size_t kn = strlen(key);
    if (!o->n)
        return CT_JNONE;
    for (size_t h = name_hash(key, kn) & (o->tcap - 1);; h = (h + 1) & (o->tcap - 1)) {
        if (o->tab[h] == UINT32_MAX)
            return CT_JNONE;
        const jmem *m = &o->mem[o->tab[h]];
        if (m->kn == kn && ct_spdx__eq(m->k, key, kn))
            return m->val;
    }
}

/* A member name as a C string: buf[cap] or NEW (*heap set); NULL when out of memory. */
static const char *key_cstr(sv *v, const jmem *m, char *buf, size_t cap, char **heap)
{
    *heap = NULL;
    if (m->kn < cap) {
        memcpy(buf, m->k, m->kn);
        buf[m->kn] = '\0';
        return buf;
    }
    if (!(*heap = ct_strndup(m->k, m->kn)))
        v->failed = true;
    return *heap;
}

/* A schema node read once (issue 5: no json-c lookups per document value); made on first use
 * and kept by node in v->cs, for the one validation. The fields hold what sch_check and
 * sch_object looked up in the node, with the same meaning. */
enum { TY_NULL = 1, TY_BOOL = 2, TY_STRING = 4, TY_ARRAY = 8, TY_OBJECT = 16, TY_INT = 32,
       TY_DINT = 64 /* a double with an integral value */, TY_DBL = 128 };

typedef struct csch csch;

typedef struct {
    const char *k;
    size_t kn;
    json_object *sub;
    csch *cc; /* sub compiled, once looked up (spdxone: no csch_of per member) */
    uint32_t seen; /* the object (sv.objs) that last had this member (sch_object_props) */
} cprop;

typedef struct {
    enum json_type t;
    const char *s; /* json_type_string */
    size_t sn;
    int64_t i;
    bool b;
} cenum;

struct csch {
    bool is_obj;           /* else the node checks nothing */
    json_object *type;     /* "type", or NULL */
    unsigned tmask;        /* TY_* the type accepts */
    json_object *enm;      /* "enum" when an array, or NULL */
    cenum *ev;
    size_t nev;
    uint32_t *etab;        /* the string enum values hashed (indices into ev, UINT32_MAX free) */
    size_t ecap;
    const char **req;      /* "required" when an array: each element's json_object_get_string */
    size_t nreq;
    bool has_req;
    cprop *props;          /* "properties" when an object: hashed by name */
    size_t pcap;           /* 0: no properties to match */
    bool has_props;
    cprop **req_p;         /* per required name: its property, NULL when not one (or NULL) */
    bool req_all_props;    /* every required name is a property (sch_object_props) */
    int addl;              /* 0 none, 1 false, 2 a schema (addl_sch) */
    json_object *addl_sch;
    bool has_min;
    int64_t min_items;
    json_object *items;    /* when an object, or NULL */
    csch *addl_c;          /* addl_sch compiled, once looked up */
    csch *items_c;         /* items compiled, once looked up */
};

typedef struct cslot {
    json_object *node;
    csch *c;
} cslot;

static unsigned type_bits(const char *t)
{
    static const struct {
        const char *name;
        unsigned bits;
    } m[] = { { "null", TY_NULL },     { "boolean", TY_BOOL }, { "string", TY_STRING },
              { "array", TY_ARRAY },   { "object", TY_OBJECT },
              { "integer", TY_INT | TY_DINT }, { "number", TY_INT | TY_DINT | TY_DBL } };
    for (size_t i = 0; t && i < CT_NELEM(m); i++)
        if (strcmp(t, m[i].name) == 0)
            return m[i].bits;
    return 0;
}

static void csch_free(csch *c)
{
    if (!c)
        return;
    ct_free(c->ev);
    ct_free(c->etab);
    ct_free(c->req);
    ct_free(c->req_p);
    ct_free(c->props);
    ct_free(c);
}

static inline cprop *prop_get(const csch *c, const char *k, size_t kn);

static csch *csch_make(json_object *sch)
{
    csch *c = ct_calloc(1, sizeof *c);
    json_object *k;
    if (!c)
        return NULL;
    if (!json_object_is_type(sch, json_type_object))
        return c;
    c->is_obj = true;
    if (json_object_object_get_ex(sch, "type", &k)) {
        c->type = k;
        if (json_object_is_type(k, json_type_string)) {
            c->tmask = type_bits(json_object_get_string(k));
        } else if (json_object_is_type(k, json_type_array)) {
            for (size_t i = 0; i < json_object_array_length(k); i++) {
                json_object *t = json_object_array_get_idx(k, i);
                if (json_object_is_type(t, json_type_string))
                    c->tmask |= type_bits(json_object_get_string(t));
            }
        }
    }
    if (json_object_object_get_ex(sch, "enum", &k) && json_object_is_type(k, json_type_array)) {
        c->enm = k;
        c->nev = json_object_array_length(k);
        if (c->nev && !(c->ev = ct_calloc(c->nev, sizeof *c->ev)))
            goto oom;
        for (size_t i = 0; i < c->nev; i++) {
            json_object *e = json_object_array_get_idx(k, i);
            cenum *ce = &c->ev[i];
            ce->t = json_object_get_type(e);
            if (ce->t == json_type_string) {
                ce->s = json_object_get_string(e);
                ce->sn = (size_t)json_object_get_string_len(e);
            } else if (ce->t == json_type_int) {
                ce->i = json_object_get_int64(e);
            } else if (ce->t == json_type_boolean) {
                ce->b = json_object_get_boolean(e);
            }
        }
        /* string values hashed (spdxone: relationshipType lists 45) */
        for (c->ecap = 16; c->ecap < c->nev * 2; c->ecap *= 2)
            ;
        if (!(c->etab = ct_reallocarray(NULL, c->ecap, sizeof *c->etab)))
            goto oom;
        memset(c->etab, 0xff, c->ecap * sizeof *c->etab);
        for (size_t i = 0; i < c->nev; i++) {
            if (c->ev[i].t != json_type_string)
                continue;
            size_t h = name_hash(c->ev[i].s, c->ev[i].sn) & (c->ecap - 1);
            while (c->etab[h] != UINT32_MAX)
                h = (h + 1) & (c->ecap - 1);
            c->etab[h] = (uint32_t)i;
        }
    }
    if (json_object_object_get_ex(sch, "required", &k) && json_object_is_type(k, json_type_array)) {
        c->has_req = true;
        c->nreq = json_object_array_length(k);
        if (c->nreq && !(c->req = ct_calloc(c->nreq, sizeof *c->req)))
            goto oom;
        for (size_t i = 0; i < c->nreq; i++)
            c->req[i] = json_object_get_string(json_object_array_get_idx(k, i));
    }
    if (json_object_object_get_ex(sch, "properties", &k)) {
        c->has_props = true;
        if (json_object_is_type(k, json_type_object)) {
            size_t n = (size_t)json_object_object_length(k);
            for (c->pcap = 8; c->pcap < n * 2; c->pcap *= 2)
                ;
            if (!(c->props = ct_calloc(c->pcap, sizeof *c->props)))
                goto oom;
            json_object_object_foreach(k, pk, pv)
            {
                size_t kn = strlen(pk), h = name_hash(pk, kn) & (c->pcap - 1);
                while (c->props[h].k)
                    h = (h + 1) & (c->pcap - 1);
                c->props[h] = (cprop){ pk, kn, pv, NULL, 0 };
            }
        }
    }
    /* the required names' properties, for sch_object_props */
    c->req_all_props = true;
    if (c->nreq && !(c->req_p = ct_calloc(c->nreq, sizeof *c->req_p)))
        goto oom;
    for (size_t i = 0; i < c->nreq; i++) {
        cprop *p = c->req[i] ? prop_get(c, c->req[i], strlen(c->req[i])) : NULL;
        c->req_p[i] = p;
        if (c->req[i] && !p)
            c->req_all_props = false;
    }
    if (json_object_object_get_ex(sch, "additionalProperties", &k)) {
        if (json_object_is_type(k, json_type_boolean) && !json_object_get_boolean(k))
            c->addl = 1;
        else if (json_object_is_type(k, json_type_object)) {
            c->addl = 2;
            c->addl_sch = k;
        }
    }
    if (json_object_object_get_ex(sch, "minItems", &k) && json_object_is_type(k, json_type_int)) {
        c->has_min = true;
        c->min_items = json_object_get_int64(k);
    }
    if (json_object_object_get_ex(sch, "items", &k) && json_object_is_type(k, json_type_object))
        c->items = k;
    return c;
oom:
    csch_free(c);
    return NULL;
}

/* The compiled form of node sch (made on first use); NULL when out of memory (v->failed). */
static csch *csch_of(sv *v, json_object *sch)
{
    size_t h;
    if (v->ncs * 2 >= v->cscap) {
        size_t ncap = v->cscap ? v->cscap * 2 : 256;
        cslot *nt = ct_calloc(ncap, sizeof *nt);
        if (!nt) {
            v->failed = true;
            return NULL;
        }
        for (size_t i = 0; i < v->cscap; i++) {
            if (!v->cs[i].node)
                continue;
            for (h = ((uintptr_t)v->cs[i].node >> 4) & (ncap - 1); nt[h].node; h = (h + 1) & (ncap - 1))
                ;
            nt[h] = v->cs[i];
        }
        ct_free(v->cs);
        v->cs = nt;
        v->cscap = ncap;
    }
    for (h = ((uintptr_t)sch >> 4) & (v->cscap - 1); v->cs[h].node; h = (h + 1) & (v->cscap - 1))
        if (v->cs[h].node == sch)
            return v->cs[h].c;
    csch *c = csch_make(sch);
    if (!c) {
        v->failed = true;
        return NULL;
    }
    v->cs[h] = (cslot){ sch, c };
    v->ncs++;
    return c;
}

static void cs_free(sv *v)
{
    for (size_t i = 0; i < v->cscap; i++)
        csch_free(v->cs[i].c);
    ct_free(v->cs);
    v->cs = NULL;
    v->cscap = v->ncs = 0;
}

/* TY_* of document value x, as json-c types it */
static unsigned val_bits(const sv *v, ct_jval x)
{
    switch (TP(v, x)) {
    case CT_JT_NULL: return TY_NULL;
    case CT_JT_BOOL: return TY_BOOL;
    case CT_JT_STRING: return TY_STRING;
    case CT_JT_ARRAY: return TY_ARRAY;
    case CT_JT_OBJECT: return TY_OBJECT;
    case CT_JT_NUMBER: {
        if (ct_jt_is_int(v->tape, x))
            return TY_INT;
        /* an integral double (the cast's range checked first: as x86 converts, without
         * undefined behaviour) */
        double d = ct_jt_double(v->tape, x);
        return d >= -9223372036854775808.0 && d < 9223372036854775808.0 &&
                       d == (double)(long long)d
                   ? TY_DINT
                   : TY_DBL;
    }
    default: return 0;
    }
}

static bool enum_has(const sv *v, const csch *c, ct_jval x)
{
    size_t n = 0;
    const char *s = NULL;
    ct_jt_type t = TP(v, x);
    if (t == CT_JT_STRING) {
        /* only a string value can equal a string; the hashed ones are all of them */
        s = ct_jt_str(v->tape, x, &n);
        for (size_t h = name_hash(s, n) & (c->ecap - 1); c->etab[h] != UINT32_MAX;
             h = (h + 1) & (c->ecap - 1)) {
            const cenum *e = &c->ev[c->etab[h]];
            if (n == e->sn && ct_spdx__eq(s, e->s, n))
                return true;
        }
        return false;
    }
    for (size_t i = 0; i < c->nev; i++) {
        const cenum *e = &c->ev[i];
        switch (e->t) {
        case json_type_string:
            if (s && n == e->sn && memcmp(s, e->s, n) == 0)
                return true;
            break;
        case json_type_int:
            if (t == CT_JT_NUMBER && ct_jt_is_int(v->tape, x) && e->i == ct_jt_int64(v->tape, x))
                return true;
            break;
        case json_type_boolean:
            if (t == CT_JT_BOOL && ct_jt_bool(v->tape, x) == e->b)
                return true;
            break;
        case json_type_null:
            if (t == CT_JT_NULL)
                return true;
            break;
        default: break;
        }
    }
    return false;
}

/* The "properties" entry named k[0..kn), or NULL */
static inline cprop *prop_get(const csch *c, const char *k, size_t kn)
{
    if (!c->pcap)
        return NULL;
    for (size_t h = name_hash(k, kn) & (c->pcap - 1); c->props[h].k; h = (h + 1) & (c->pcap - 1))
        if (c->props[h].kn == kn && ct_spdx__eq(c->props[h].k, k, kn))
            return &c->props[h];
    return NULL;
}

static void sch_check(sv *v, json_object *sch, ct_jval val, int depth);
static void sch_check_c(sv *v, csch *c, ct_jval val, int depth);

/* True when sch_check_c(c, val) has nothing to report and nothing to walk: val is a scalar
 * of an accepted type and value (spdxfast: most members are; their JSON pointer is then not
 * built). False also whenever sch_check might say anything: it then runs as before. */
static bool scalar_passes_c(sv *v, const csch *c, ct_jval val)
{
    ct_jt_type t = TP(v, val);
    if (t == CT_JT_OBJECT || t == CT_JT_ARRAY || v->failed)
        return false;
    if (!c->is_obj)
        return true;
    return (!c->type || (val_bits(v, val) & c->tmask)) && (!c->enm || enum_has(v, c, val));
}

/* sch_object without a per-object index (spdx9: building one was a quarter of the schema
 * walk): the members are looked up in the schema's property table once, each property marked
 * with the object's number as it is seen. Only for the usual object: every member a property
 * (or, without additionalProperties, ignored) and none repeated, at most MEMBERS_STACK of
 * them, every required name a property; then it does what sch_object does, in the same order
 * (jobj's order is the members' order when no name repeats), and returns true. False, having
 * done nothing, for any other object. */
static bool sch_object_props(sv *v, csch *c, ct_jval val, int depth)
{
    struct {
        cprop *p;
        const char *k;
        size_t kn;
        ct_jval val;
    } m[MEMBERS_STACK];
    size_t n = 0, kn;
    const char *ks;
    ct_jiter it;
    ct_jval mv;
    uint32_t id;

    if (!c->has_props || !c->pcap || !c->req_all_props || ct_jt_type_of(v->tape, val) != CT_JT_OBJECT)
        return false;
    if (++v->objs == 0) { /* 2^32 objects: start the marks again */
        for (size_t i = 0; i < c->pcap; i++)
            c->props[i].seen = 0;
        v->objs = 1;
    }
    id = v->objs;
    ct_jt_iter(&it, v->tape, val);
    while (ct_jt_next_member_name(&it, v->tape, &ks, &kn, &mv)) {
        cprop *p = prop_get(c, ks, kn);
        if (!p) {
            if (c->addl)
                return false;
            continue; /* no additionalProperties: an unknown member is not looked at */
        }
        if (p->seen == id || n == MEMBERS_STACK)
            return false;
        p->seen = id;
        m[n].p = p;
        m[n].k = ks;
        m[n].kn = kn;
        m[n].val = mv;
        n++;
    }
    for (size_t i = 0; i < c->nreq; i++)
        if (c->req[i] && c->req_p[i]->seen != id)
            jerr(v, NULL, "missing required member \"%s\"", c->req[i]);
    for (size_t i = 0; i < n && !v->failed; i++) {
        cprop *p = m[i].p;
        csch *pc = p->cc ? p->cc : (p->cc = csch_of(v, p->sub));
        if (!pc || scalar_passes_c(v, pc, m[i].val))
            continue;
        path_key(v, m[i].k, m[i].kn);
        sch_check_c(v, pc, m[i].val, depth + 1);
        path_pop(v);
    }
    return true;
}

static void sch_object(sv *v, csch *c, ct_jval val, int depth)
{
    jobj o;

    if (sch_object_props(v, c, val, depth))
        return;
    jobj_open(v, &o, val);
    for (size_t i = 0; i < c->nreq; i++) {
        const char *k = c->req[i];
        if (k && jobj_get(&o, k) == CT_JNONE)
            jerr(v, NULL, "missing required member \"%s\"", k);
    }
    for (size_t i = 0; i < o.n && !v->failed; i++) {
        char kbuf[512], *heap = NULL;
        const jmem *m = &o.mem[i];
        cprop *p = c->has_props ? prop_get(c, m->k, m->kn) : NULL;
        if (p) {
            /* the property's node compiled once (csch_of(NULL) is the node that checks
             * nothing, as sch_check and scalar_passes treat a null schema) */
            csch *pc = p->cc ? p->cc : (p->cc = csch_of(v, p->sub));
            if (!pc || scalar_passes_c(v, pc, m->val))
                continue;
            path_key(v, m->k, m->kn);
            sch_check_c(v, pc, m->val, depth + 1);
            path_pop(v);
        } else if (c->addl == 1) {
            const char *key = key_cstr(v, m, kbuf, sizeof kbuf, &heap);
            if (!key)
                break;
            jerr(v, key, "member \"%.100s\" is not allowed here in SPDX 2.%d", key, v->minor);
        } else if (c->addl == 2) {
            csch *ac = c->addl_c ? c->addl_c : (c->addl_c = csch_of(v, c->addl_sch));
            if (!ac || scalar_passes_c(v, ac, m->val))
                continue;
            path_key(v, m->k, m->kn);
            sch_check_c(v, ac, m->val, depth + 1);
            path_pop(v);
        }
        ct_free(heap);
    }
    jobj_close(&o);
}

static void sch_check(sv *v, json_object *sch, ct_jval val, int depth)
{
    csch *c;
    if (depth > MAX_SCHEMA_DEPTH || v->failed || !(c = csch_of(v, sch)))
        return;
    sch_check_c(v, c, val, depth);
}

static void sch_check_c(sv *v, csch *c, ct_jval val, int depth)
{
    if (depth > MAX_SCHEMA_DEPTH || v->failed || !c->is_obj)
        return;
    if (c->type && !(val_bits(v, val) & c->tmask)) {
        ct_buf b = CT_BUF_INIT;
        type_text(&b, c->type);
        jerr(v, NULL, "expected %s, found %s", b.failed ? "?" : b.ptr, jtype(v, val));
        ct_buf_dispose(&b);
        return;
    }
    if (c->enm && !enum_has(v, c, val)) {
        size_t sn;
        const char *s;
        bool ok = false;
        if (v->minor == 2 && (s = ct_jt_str(v->tape, val, &sn)) && path_text(v, NULL) &&
            v->ptr.len >= 18 && strcmp(v->ptr.buf + v->ptr.len - 18, "/referenceCategory") == 0 &&
            word_in(ref_categories, CT_NELEM(ref_categories), s, sn))
            ok = true; /* 2.2: the spec text's PACKAGE-MANAGER / PERSISTENT-ID, which the 2.2
                        * schema misses (2.3 lists both spellings; spdx-examples example9 uses
                        * it) */
        if (!ok) {
            ct_buf b = CT_BUF_INIT;
            char *text = value_text(v, val);
            enum_text(&b, c->enm);
            if (!text)
                v->failed = true;
            else
                jerr(v, NULL, "%.100s is not allowed here; expected one of: %s", text,
                     b.failed ? "?" : b.ptr);
            ct_free(text);
            ct_buf_dispose(&b);
        }
    }
    if (TP(v, val) == CT_JT_OBJECT) {
        sch_object(v, c, val, depth);
    } else if (TP(v, val) == CT_JT_ARRAY) {
        size_t n = c->has_min ? ct_jt_count(v->tape, val) : 0, i = 0;
        if (c->has_min && (int64_t)n < c->min_items)
            jerr(v, NULL, "expected at least %lld item%s, found %zu", (long long)c->min_items,
                 c->min_items == 1 ? "" : "s", n);
        if (c->items) {
            ct_jiter it;
            ct_jval x;
            ct_jt_iter(&it, v->tape, val);
            csch *ic = c->items_c ? c->items_c : (c->items_c = csch_of(v, c->items));
            for (; ic && ct_jt__next(&it, v->tape, &x) && !v->failed; i++) {
                path_index(v, i);
                sch_check_c(v, ic, x, depth + 1);
                path_pop(v);
                if ((i & 4095) == 4095)
                    ct_jt_release(v->tape);
            }
        }
    }
}

/* True when every keyword of the schema is one the interpreter implements or an annotation. */
static bool sch_supported(json_object *sch, int depth)
{
    static const char *const known[] = { "type", "properties", "required", "additionalProperties",
                                         "items", "minItems", "enum", "$schema", "$id", "title",
                                         "description", "$comment", "deprecated", "examples",
                                         "default" };
    if (!json_object_is_type(sch, json_type_object) || depth > MAX_SCHEMA_DEPTH)
        return false;
    json_object_object_foreach(sch, key, m)
    {
        if (!word_in(known, CT_NELEM(known), key, strlen(key)))
            return false;
        if (strcmp(key, "properties") == 0) {
            if (!json_object_is_type(m, json_type_object))
                return false;
            json_object_object_foreach(m, pk, pv)
            {
                (void)pk;
                if (!sch_supported(pv, depth + 1))
                    return false;
            }
        } else if (strcmp(key, "items") == 0 ||
                   (strcmp(key, "additionalProperties") == 0 &&
                    !json_object_is_type(m, json_type_boolean))) {
            if (!sch_supported(m, depth + 1))
                return false;
        } else if (strcmp(key, "type") == 0 && !json_object_is_type(m, json_type_string) &&
                   !json_object_is_type(m, json_type_array)) {
            return false;
        }
    }
    return true;
}

/* The built-in reduced schema (no schema file): required members, member types and the
 * enumerations of SPDX 2.3; additionalProperties are not checked. Written for cratrace. */
static const char *const builtin_parts[] = {
    "{\"type\":\"object\",\"required\":[\"spdxVersion\",\"SPDXID\",\"name\",\"dataLicense\","
    "\"creationInfo\"],\"properties\":{"
    "\"spdxVersion\":{\"type\":\"string\"},\"SPDXID\":{\"type\":\"string\"},"
    "\"name\":{\"type\":\"string\"},\"dataLicense\":{\"type\":\"string\"},"
    "\"documentNamespace\":{\"type\":\"string\"},\"comment\":{\"type\":\"string\"},"
    "\"documentDescribes\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
    "\"creationInfo\":{\"type\":\"object\",\"required\":[\"created\"],\"properties\":{"
    "\"created\":{\"type\":\"string\"},\"comment\":{\"type\":\"string\"},"
    "\"licenseListVersion\":{\"type\":\"string\"},"
    "\"creators\":{\"type\":\"array\",\"minItems\":1,\"items\":{\"type\":\"string\"}}}},",
    "\"externalDocumentRefs\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":["
    "\"externalDocumentId\",\"checksum\",\"spdxDocument\"],\"properties\":{"
    "\"externalDocumentId\":{\"type\":\"string\"},\"spdxDocument\":{\"type\":\"string\"},"
    "\"checksum\":@CHECKSUM@}}},"
    "\"hasExtractedLicensingInfos\":{\"type\":\"array\",\"items\":{\"type\":\"object\","
    "\"required\":[\"licenseId\",\"extractedText\"],\"properties\":{"
    "\"licenseId\":{\"type\":\"string\"},\"extractedText\":{\"type\":\"string\"},"
    "\"name\":{\"type\":\"string\"},\"seeAlsos\":{\"type\":\"array\",\"items\":{\"type\":"
    "\"string\"}}}}},"
    "\"annotations\":{\"type\":\"array\",\"items\":@ANNOTATION@},",
    "\"packages\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":[\"SPDXID\","
    "\"name\",\"downloadLocation\"],\"properties\":{"
    "\"SPDXID\":{\"type\":\"string\"},\"name\":{\"type\":\"string\"},"
    "\"downloadLocation\":{\"type\":\"string\"},\"versionInfo\":{\"type\":\"string\"},"
    "\"filesAnalyzed\":{\"type\":\"boolean\"},\"licenseConcluded\":{\"type\":\"string\"},"
    "\"licenseDeclared\":{\"type\":\"string\"},\"copyrightText\":{\"type\":\"string\"},"
    "\"supplier\":{\"type\":\"string\"},\"originator\":{\"type\":\"string\"},"
    "\"licenseInfoFromFiles\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
    "\"hasFiles\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
    "\"checksums\":{\"type\":\"array\",\"items\":@CHECKSUM@},"
    "\"annotations\":{\"type\":\"array\",\"items\":@ANNOTATION@},"
    "\"primaryPackagePurpose\":{\"enum\":[@PURPOSES@]},"
    "\"packageVerificationCode\":{\"type\":\"object\",\"required\":["
    "\"packageVerificationCodeValue\"],\"properties\":{\"packageVerificationCodeValue\":{"
    "\"type\":\"string\"}}},"
    "\"externalRefs\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":["
    "\"referenceCategory\",\"referenceLocator\",\"referenceType\"],\"properties\":{"
    "\"referenceCategory\":{\"enum\":[@CATEGORIES@]},\"referenceLocator\":{\"type\":\"string\"},"
    "\"referenceType\":{\"type\":\"string\"}}}}}}},",
    "\"files\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":[\"SPDXID\","
    "\"fileName\",\"checksums\"],\"properties\":{"
    "\"SPDXID\":{\"type\":\"string\"},\"fileName\":{\"type\":\"string\"},"
    "\"checksums\":{\"type\":\"array\",\"minItems\":1,\"items\":@CHECKSUM@},"
    "\"fileTypes\":{\"type\":\"array\",\"items\":{\"enum\":[@FILETYPES@]}},"
    "\"licenseConcluded\":{\"type\":\"string\"},"
    "\"licenseInfoInFiles\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
    "\"annotations\":{\"type\":\"array\",\"items\":@ANNOTATION@}}}},"
    "\"snippets\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":[\"SPDXID\","
    "\"name\",\"ranges\",\"snippetFromFile\"],\"properties\":{"
    "\"SPDXID\":{\"type\":\"string\"},\"name\":{\"type\":\"string\"},"
    "\"snippetFromFile\":{\"type\":\"string\"},\"licenseConcluded\":{\"type\":\"string\"},"
    "\"ranges\":{\"type\":\"array\",\"minItems\":1,\"items\":{\"type\":\"object\",\"required\":["
    "\"startPointer\",\"endPointer\"]}},"
    "\"annotations\":{\"type\":\"array\",\"items\":@ANNOTATION@}}}},",
    "\"relationships\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":["
    "\"spdxElementId\",\"relationshipType\",\"relatedSpdxElement\"],\"properties\":{"
    "\"spdxElementId\":{\"type\":\"string\"},\"relatedSpdxElement\":{\"type\":\"string\"},"
    "\"comment\":{\"type\":\"string\"},\"relationshipType\":{\"enum\":[@RELTYPES@]}}}}}}",
};

static void put_words(ct_buf *b, const char *const *list, size_t n, bool json_purpose)
{
    for (size_t i = 0; i < n; i++) {
        if (json_purpose && strcmp(list[i], "OPERATING-SYSTEM") == 0)
            continue; /* the JSON spelling is OPERATING_SYSTEM (spdx-spec schema) */
        ct_buf_printf(b, "%s\"%s\"", b->len && b->ptr[b->len - 1] != '[' ? "," : "", list[i]);
    }
}

static json_object *builtin_schema(void)
{
    ct_buf b = CT_BUF_INIT;
    json_object *o = NULL;
    for (size_t i = 0; i < CT_NELEM(builtin_parts); i++) {
        for (const char *p = builtin_parts[i]; *p;) {
            const char *at = strchr(p, '@');
            if (!at) {
                ct_buf_puts(&b, p);
                break;
            }
            ct_buf_put(&b, p, (size_t)(at - p));
            const char *end = strchr(at + 1, '@');
            size_t n = (size_t)(end - at - 1);
            if (strncmp(at + 1, "CHECKSUM", n) == 0) {
                ct_buf_puts(&b, "{\"type\":\"object\",\"required\":[\"algorithm\","
                                "\"checksumValue\"],\"properties\":{\"algorithm\":{\"enum\":[");
                for (size_t k = 0; k < CT_NELEM(algs); k++)
                    ct_buf_printf(&b, "%s\"%s\"", k ? "," : "", algs[k].alg);
                ct_buf_puts(&b, "]},\"checksumValue\":{\"type\":\"string\"}}}");
            } else if (strncmp(at + 1, "ANNOTATION", n) == 0) {
                ct_buf_puts(&b, "{\"type\":\"object\",\"required\":[\"annotationDate\","
                                "\"annotationType\",\"annotator\",\"comment\"],\"properties\":{"
                                "\"annotationDate\":{\"type\":\"string\"},\"annotator\":{\"type\":"
                                "\"string\"},\"comment\":{\"type\":\"string\"},"
                                "\"annotationType\":{\"enum\":[\"OTHER\",\"REVIEW\"]}}}");
            } else if (strncmp(at + 1, "PURPOSES", n) == 0) {
                put_words(&b, purposes, CT_NELEM(purposes), true);
            } else if (strncmp(at + 1, "CATEGORIES", n) == 0) {
                put_words(&b, ref_categories, CT_NELEM(ref_categories), false);
            } else if (strncmp(at + 1, "FILETYPES", n) == 0) {
                put_words(&b, file_types, CT_NELEM(file_types), false);
            } else {
                put_words(&b, rel_types, CT_NELEM(rel_types), false);
            }
            p = end + 1;
        }
    }
    if (!b.failed)
        o = json_tokener_parse(b.ptr);
    ct_buf_dispose(&b);
    return o;
}

static char *path_join(const char *dir, const char *name)
{
    ct_buf b = CT_BUF_INIT;
    ct_buf_printf(&b, "%s/%s", dir, name);
    return b.failed ? (ct_buf_dispose(&b), NULL) : ct_buf_detach(&b);
}

/* The official schema for SPDX 2.minor from dir, or NULL. */
static json_object *load_schema(const ct_ctx *ctx, const char *dir, int minor)
{
    static const char *const names23[] = { "spdx-spec/schemas/spdx-schema.json",
                                           "spdx-schema-v2.3.json",
                                           "tools-java/resources/spdx-schema-v2.3.json" };
    static const char *const names22[] = { "tools-java/resources/spdx-schema-v2.2.json",
                                           "spdx-schema-v2.2.json" };
    const char *const *names = minor == 3 ? names23 : names22;
    size_t n = minor == 3 ? CT_NELEM(names23) : CT_NELEM(names22);
    for (size_t i = 0; i < n; i++) {
        char *path = path_join(dir, names[i]), *text = NULL;
        size_t len = 0;
        json_object *o = NULL;
        if (path && ct_file_read(&text, &len, path, 4u << 20) == 0 &&
            ct_json_parse(&o, ctx, text, len, path, 0) == 0 && !sch_supported(o, 0)) {
            json_object_put(o);
            o = NULL;
        }
        ct_error_clear();
        ct_free(text);
        ct_free(path);
        if (o)
            return o;
    }
    return NULL;
}

const char *ct_sbom__spdx_schema_dir(const ct_sbom_validate_options *o)
{
    const char *d;
    struct stat sb;
    if (o && o->no_schema)
        return NULL;
    if ((d = getenv(CT_SPDX_SCHEMA_ENV)) && *d)
        return d;
    if (stat(CT_SPDX_SCHEMA_DEFAULT, &sb) == 0 && S_ISDIR(sb.st_mode))
        return CT_SPDX_SCHEMA_DEFAULT;
    return NULL;
}

/* ---- JSON: semantic checks --------------------------------------------------------------- */

LOOKUP ct_jval member(const sv *v, const jobj *o, const char *key, ct_jt_type t)
{
    ct_jval m = jobj_get(o, key);
    return m != CT_JNONE && TP(v, m) == t ? m : CT_JNONE;
}

/* String x as json-c's C string reads it: cut at a NUL; *n set. */
static const char *cstr_of(const sv *v, ct_jval x, size_t *n)
{
    return ct_jt_cstr(v->tape, x, n);
}

/* A string member, cut at a NUL; NULL when absent or not a string. */
LOOKUP const char *mstr(const sv *v, const jobj *o, const char *key, size_t *n)
{
    ct_jval m = member(v, o, key, CT_JT_STRING);
    *n = 0;
    return m != CT_JNONE ? cstr_of(v, m, n) : NULL;
}

static bool eq(const char *s, size_t n, const char *lit)
{
    return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

/* An SPDXID member: syntax, recorded as a definition. */
static void j_define(sv *v, const jobj *o)
{
    size_t n;
    const char *id = mstr(v, o, "SPDXID", &n);
    if (!id)
        return;
    sp_key(v, "SPDXID");
    if (!spdxref_ok(id, n))
        add_error(v, path_text(v, NULL), "\"%.*s\" is not an SPDX identifier (SPDXRef-[A-Za-z0-9.-]+)",
                  cut100(n), id);
    note_here(v, &v->ids, id, n);
    sp_pop(v);
}

/* A string member naming an element (recorded as a use). */
LOOKUP void j_use(sv *v, const jobj *o, const char *key)
{
    size_t n;
    const char *id = mstr(v, o, key, &n);
    if (!id)
        return;
    sp_key(v, key);
    note_here(v, &v->uses, id, n);
    sp_pop(v);
}

/* Every string of an array member naming elements. */
static void j_use_all(sv *v, const jobj *o, const char *key)
{
    ct_jval a = member(v, o, key, CT_JT_ARRAY), s;
    ct_jiter it;
    size_t i = 0, n;
    if (a == CT_JNONE)
        return;
    sp_key(v, key);
    ct_jt_iter(&it, v->tape, a);
    for (; ct_jt__next(&it, v->tape, &s); i++) {
        if (TP(v, s) != CT_JT_STRING)
            continue;
        const char *id = cstr_of(v, s, &n);
        sp_index(v, i);
        note_here(v, &v->uses, id, n);
        sp_pop(v);
    }
    sp_pop(v);
}

/* licence_ok of s[0..n) (no NUL inside) */
static bool licence_ok_n(sv *v, const char *s, size_t n)
{
    char buf[512], *heap = NULL;
    bool ok;
    if (n < sizeof buf) {
        memcpy(buf, s, n);
        buf[n] = '\0';
    } else if (!(heap = ct_strndup(s, n))) {
        v->failed = true;
        return true;
    }
    ok = licence_ok(heap ? heap : buf);
    ct_free(heap);
    return ok;
}

LOOKUP void j_licence(sv *v, const jobj *o, const char *key)
{
    size_t n;
    const char *s = mstr(v, o, key, &n);
    if (s && !licence_ok_n(v, s, n))
        jerr(v, key, "\"%.*s\" is not a valid SPDX licence expression", cut100(n), s);
}

static void j_licence_all(sv *v, const jobj *o, const char *key)
{
    ct_jval a = member(v, o, key, CT_JT_ARRAY), x;
    ct_jiter it;
    size_t i = 0, n;
    if (a == CT_JNONE)
        return;
    path_key0(v, key);
    ct_jt_iter(&it, v->tape, a);
    for (; ct_jt__next(&it, v->tape, &x); i++) {
        const char *s = TP(v, x) == CT_JT_STRING ? cstr_of(v, x, &n) : NULL;
        if (!s || licence_ok_n(v, s, n))
            continue;
        path_index(v, i);
        jerr(v, NULL, "\"%.*s\" is not a valid SPDX licence expression", cut100(n), s);
        path_pop(v);
    }
    path_pop(v);
}

/* fn on each object element of root's array member key, with the JSON pointer kept. */
typedef void (*elem_fn)(sv *v, const jobj *o);

static void each(sv *v, const jobj *root, const char *key, elem_fn fn)
{
    ct_jval a = member(v, root, key, CT_JT_ARRAY), o;
    ct_jiter it;
    size_t i = 0;
    if (a == CT_JNONE)
        return;
    sp_key(v, key);
    ct_jt_iter(&it, v->tape, a);
    for (; ct_jt__next(&it, v->tape, &o); i++) {
        jobj e;
        if (TP(v, o) != CT_JT_OBJECT)
            continue;
        jobj_open(v, &e, o);
        sp_index(v, i);
        fn(v, &e);
        sp_pop(v);
        jobj_close(&e);
        if ((i & 4095) == 4095)
            ct_jt_release(v->tape);
    }
    sp_pop(v);
}

static void j_checksum(sv *v, const jobj *c)
{
    char buf[96];
    size_t an, vn;
    const char *alg = mstr(v, c, "algorithm", &an), *val = mstr(v, c, "checksumValue", &vn), *why;
    const algdef *a = alg ? alg_find(alg, an) : NULL;
    if (a && val && (why = checksum_problem(a, val, vn, buf, sizeof buf)))
        jerr(v, "checksumValue", "%s", why);
}

static void j_checksums(sv *v, const jobj *o, const char *key)
{
    each(v, o, key, j_checksum);
}

LOOKUP void j_date(sv *v, const jobj *o, const char *key)
{
    size_t n;
    const char *s = mstr(v, o, key, &n);
    if (s && !date_ok(s, n))
        jerr(v, key, "\"%.*s\" is not a date of the form YYYY-MM-DDThh:mm:ssZ",
             (int)(n < 60 ? n : 60), s);
}

static void j_annotation(sv *v, const jobj *an)
{
    size_t n;
    const char *s;
    j_date(v, an, "annotationDate");
    if ((s = mstr(v, an, "annotator", &n)) && !creator_ok(s, n, true))
        jerr(v, "annotator", "\"%.*s\": expected \"Person: ...\", \"Organization: ...\" "
                             "or \"Tool: ...\"", cut100(n), s);
    j_use(v, an, "spdxElementId");
}

static void j_annotations(sv *v, const jobj *o)
{
    each(v, o, "annotations", j_annotation);
}

static void j_external_ref(sv *v, const jobj *r)
{
    size_t tn, ln;
    const char *type = mstr(v, r, "referenceType", &tn), *loc = mstr(v, r, "referenceLocator", &ln),
               *why;
    if (type && loc && eq(type, tn, "purl") && (why = purl_problem(loc, ln)))
        jerr(v, "referenceLocator", "invalid purl \"%.*s\": %.200s", cut100(ln), loc, why);
}

static void j_external_refs(sv *v, const jobj *p)
{
    each(v, p, "externalRefs", j_external_ref);
}

/* The reader's members of package p, looked up here once for it (spdx9) */
static void j_hint(sv *v, const jobj *p)
{
    ct_spdx_pkg_hints *h = v->hints;
    ct_spdx_pkg_members *e;
    ct_jval m[CT_SPDX_PKG_NMEMBERS];
    size_t k = 0;
    if (h->n == h->cap) {
        size_t ncap = h->cap ? h->cap * 2 : 256;
        ct_spdx_pkg_members *nv = ct_reallocarray(h->v, ncap, sizeof *nv);
        if (!nv) {
            v->failed = true;
            return;
        }
        h->v = nv;
        h->cap = ncap;
    }
    e = &h->v[h->n++];
    e->obj = p->x;
    /* the names as literals: each look-up's hash is a constant */
#define J_HINT_GET(name) m[k++] = jobj_get(p, #name);
    CT_SPDX_PKG_MEMBERS(J_HINT_GET)
#undef J_HINT_GET
    for (size_t i = 0; i < CT_SPDX_PKG_NMEMBERS; i++) {
        e->d[i] = 0;
        if (m[i] == CT_JNONE)
            continue;
        if (m[i] - p->x >= UINT16_MAX) { /* does not fit: the reader looks for itself */
            e->d[0] = UINT16_MAX;
            return;
        }
        e->d[i] = (uint16_t)(m[i] - p->x);
    }
}

static void j_package(sv *v, const jobj *p)
{
    if (v->hints)
        j_hint(v, p);
    j_define(v, p);
    j_licence(v, p, "licenseConcluded");
    j_licence(v, p, "licenseDeclared");
    j_licence_all(v, p, "licenseInfoFromFiles");
    j_checksums(v, p, "checksums");
    j_use_all(v, p, "hasFiles");
    j_external_refs(v, p);
    j_annotations(v, p);
    j_date(v, p, "releaseDate");
    j_date(v, p, "builtDate");
    j_date(v, p, "validUntilDate");
}

static void j_file(sv *v, const jobj *f)
{
    j_define(v, f);
    j_licence(v, f, "licenseConcluded");
    j_licence_all(v, f, "licenseInfoInFiles");
    j_checksums(v, f, "checksums");
    j_annotations(v, f);
}

static void j_snippet(sv *v, const jobj *s)
{
    j_define(v, s);
    j_use(v, s, "snippetFromFile");
    j_licence(v, s, "licenseConcluded");
    j_licence_all(v, s, "licenseInfoInSnippets");
    j_annotations(v, s);
}

static void j_relationship(sv *v, const jobj *r)
{
    size_t n;
    const char *t = mstr(v, r, "relationshipType", &n);
    j_use(v, r, "spdxElementId");
    j_use(v, r, "relatedSpdxElement");
    if (t && v->minor < 3 && word_in(rel_types_23, CT_NELEM(rel_types_23), t, n))
        jerr(v, "relationshipType", "relationship type %.*s is new in SPDX 2.3", (int)n, t);
}

static void j_extref_doc(sv *v, const jobj *d)
{
    size_t n;
    const char *id = mstr(v, d, "externalDocumentId", &n);
    ct_jval c = member(v, d, "checksum", CT_JT_OBJECT);
    if (id && !docref_ok(id, n))
        jerr(v, "externalDocumentId", "\"%.*s\": expected DocumentRef-[A-Za-z0-9.-]+",
             cut100(n), id);
    if (c != CT_JNONE) {
        jobj co;
        jobj_open(v, &co, c);
        path_key0(v, "checksum");
        j_checksum(v, &co);
        path_pop(v);
        jobj_close(&co);
    }
}

static void j_extracted(sv *v, const jobj *l)
{
    size_t n;
    const char *id = mstr(v, l, "licenseId", &n);
    if (id && (!starts(id, n, "LicenseRef-") || n == 11))
        jerr(v, "licenseId", "\"%.*s\": expected LicenseRef-<id>", cut100(n), id);
}

static void j_semantic(sv *v, const jobj *root)
{
    ct_jval ci = member(v, root, "creationInfo", CT_JT_OBJECT), cr;
    const char *s;
    size_t n;
    jobj cio;

    if ((s = mstr(v, root, "SPDXID", &n)) && !eq(s, n, "SPDXRef-DOCUMENT"))
        jerr(v, "SPDXID", "the document's SPDXID must be \"SPDXRef-DOCUMENT\", found \"%.*s\"",
             cut100(n), s);
    j_define(v, root);
    if ((s = mstr(v, root, "dataLicense", &n)) && !eq(s, n, "CC0-1.0"))
        jerr(v, "dataLicense", "dataLicense must be \"CC0-1.0\", found \"%.*s\"", cut100(n), s);
    if (ci != CT_JNONE) {
        jobj_open(v, &cio, ci);
        path_key0(v, "creationInfo");
        j_date(v, &cio, "created");
        if ((cr = member(v, &cio, "creators", CT_JT_ARRAY)) != CT_JNONE) {
            ct_jiter it;
            ct_jval c;
            size_t i = 0, full;
            path_key0(v, "creators");
            ct_jt_iter(&it, v->tape, cr);
            for (; ct_jt__next(&it, v->tape, &c); i++) {
                /* json_object_get_string_len: the whole string, NULs included */
                const char *whole = ct_jt_str(v->tape, c, &full);
                if (!whole || creator_ok(whole, full, true))
                    continue;
                s = cstr_of(v, c, &n);
                path_index(v, i);
                jerr(v, NULL,
                     "\"%.*s\": expected \"Person: ...\", \"Organization: ...\" or \"Tool: "
                     "...\"",
                     cut100(n), s);
                path_pop(v);
            }
            path_pop(v);
        }
        path_pop(v);
        jobj_close(&cio);
    }
    j_use_all(v, root, "documentDescribes");
    j_annotations(v, root);
    each(v, root, "externalDocumentRefs", j_extref_doc);
    each(v, root, "hasExtractedLicensingInfos", j_extracted);
    each(v, root, "packages", j_package);
    each(v, root, "files", j_file);
    each(v, root, "snippets", j_snippet);
    each(v, root, "relationships", j_relationship);
    check_ids(v);
}

/* The validation of the tokenized document v->tape. */
static void validate_tape(sv *v, const char *dir)
{
    json_object *schema = NULL;
    ct_jval root = 0, m;
    const char *ver;
    size_t n;

    if (TP(v, root) != CT_JT_OBJECT) {
        add_error(v, "/", "an SPDX document is a JSON object");
        return;
    }
    if ((m = ct_jt_get(v->tape, root, "spdxVersion")) == CT_JNONE || TP(v, m) != CT_JT_STRING) {
        jerr(v, "spdxVersion", "missing or non-string spdxVersion");
        return;
    }
    ver = cstr_of(v, m, &n);
    v->rep->spec_version = starts(ver, n, "SPDX-") ? ct_strndup(ver + 5, n - 5)
                                                   : ct_strndup(ver, n);
    if (eq(ver, n, "SPDX-2.2") || eq(ver, n, "SPDX-2.3")) {
        v->minor = ver[7] - '0';
    } else {
        jerr(v, "spdxVersion",
             "unsupported spdxVersion \"%.*s\": SPDX JSON is \"SPDX-2.2\" or \"SPDX-2.3\"",
             (int)(n < 40 ? n : 40), ver);
        return;
    }
    if (dir && (schema = load_schema(v->ctx, dir, v->minor)))
        v->rep->schema_checked = true;
    else if (!(schema = builtin_schema()))
        v->failed = true;
    if (schema)
        sch_check(v, schema, root, 0);
    cs_free(v);
    json_object_put(schema);
    jobj ro;
    jobj_open(v, &ro, root);
    j_semantic(v, &ro);
    jobj_close(&ro);
}

/* Documents from this size on keep their id lists on huge pages (spdx8) */
#define BIG_DOC ((size_t)4 << 20)

/* Tokenize data[0..len) into *tape and validate it. false when the JSON does not parse: the
 * finding is json-c's syntax error (ct_json_parse: the finding's text did not change with the
 * tape, whose messages differ in places, e.g. on data after the value) and ct_error_last() holds
 * the tape's, as the reader (ct_sbom_parse) reports it. */
static bool validate_json(sv *v, ct_jtape *tape, const char *data, size_t len,
                          const char *source, const char *dir)
{
    v->rep->format = ct_strdup("spdx-json");
    /* every byte is read, none dropped: a file mapping's pages in one call (spdx8) */
    ct_mem_will_read(data, len);
    v->big = len >= BIG_DOC;
    if (ct_jtape_parse(tape, v->ctx, data, len, source, 0) < 0) {
        json_object *o = NULL;
        char where[48];
        bool jc = ct_json_parse(&o, v->ctx, data, len, source, 0) < 0;
        json_object_put(o);
        if (!jc) { /* json-c reads it: the tape's message after all */
            ct_jtape_dispose(tape);
            (void)ct_jtape_parse(tape, v->ctx, data, len, source, 0);
        }
        const ct_error *e = ct_error_last();
        snprintf(where, sizeof where, "%u:%u", e->line, e->column);
        add_error(v, where, "%s", e->message);
        if (jc) { /* the tape's error again, for the reader's caller */
            ct_jtape_dispose(tape);
            (void)ct_jtape_parse(tape, v->ctx, data, len, source, 0);
        }
        return false;
    }
    v->tape = tape;
    validate_tape(v, dir);
    return true;
}

/* ---- tag-value --------------------------------------------------------------------------- */

enum { S_DOC, S_PKG, S_FILE, S_SNIP, S_LIC, S_ANY };

/* Tag flags */
#define T_ONE 1u   /* at most once per section */
#define T_LIC 2u   /* licence expression */
#define T_DATE 4u  /* YYYY-MM-DDThh:mm:ssZ */
#define T_SUM 8u   /* "ALG: hex" */
#define T_ID 16u   /* names an element */
#define T_23 32u   /* new in SPDX 2.3 */
#define T_TEXT 64u /* may be <text>...</text> */

typedef struct {
    const char *tag;
    unsigned char sect; /* S_* where it belongs; S_ANY anywhere */
    unsigned flags;
} tagdef;

static const tagdef tags[] = {
    { "SPDXVersion", S_DOC, T_ONE },
    { "DataLicense", S_DOC, T_ONE },
    { "DocumentName", S_DOC, T_ONE },
    { "DocumentNamespace", S_DOC, T_ONE },
    { "ExternalDocumentRef", S_DOC, 0 },
    { "LicenseListVersion", S_DOC, T_ONE },
    { "Creator", S_DOC, 0 },
    { "Created", S_DOC, T_ONE | T_DATE },
    { "CreatorComment", S_DOC, T_ONE | T_TEXT },
    { "DocumentComment", S_DOC, T_ONE | T_TEXT },
    { "SPDXID", S_ANY, T_ONE },
    { "PackageName", S_PKG, T_ONE },
    { "PackageVersion", S_PKG, T_ONE },
    { "PackageFileName", S_PKG, T_ONE },
    { "PackageSupplier", S_PKG, T_ONE },
    { "PackageOriginator", S_PKG, T_ONE },
    { "PackageDownloadLocation", S_PKG, T_ONE },
    { "FilesAnalyzed", S_PKG, T_ONE },
    { "PackageVerificationCode", S_PKG, T_ONE },
    { "PackageChecksum", S_PKG, T_SUM },
    { "PackageHomePage", S_PKG, T_ONE },
    { "PackageSourceInfo", S_PKG, T_ONE | T_TEXT },
    { "PackageLicenseConcluded", S_PKG, T_ONE | T_LIC },
    { "PackageLicenseInfoFromFiles", S_PKG, T_LIC },
    { "PackageLicenseDeclared", S_PKG, T_ONE | T_LIC },
    { "PackageLicenseComments", S_PKG, T_ONE | T_TEXT },
    { "PackageCopyrightText", S_PKG, T_ONE | T_TEXT },
    { "PackageSummary", S_PKG, T_ONE | T_TEXT },
    { "PackageDescription", S_PKG, T_ONE | T_TEXT },
    { "PackageComment", S_PKG, T_ONE | T_TEXT },
    { "ExternalRef", S_PKG, 0 },
    { "ExternalRefComment", S_PKG, T_TEXT },
    { "PackageAttributionText", S_PKG, T_TEXT },
    { "PrimaryPackagePurpose", S_PKG, T_ONE | T_23 },
    { "ReleaseDate", S_PKG, T_ONE | T_DATE | T_23 },
    { "BuiltDate", S_PKG, T_ONE | T_DATE | T_23 },
    { "ValidUntilDate", S_PKG, T_ONE | T_DATE | T_23 },
    { "FileName", S_FILE, T_ONE },
    { "FileType", S_FILE, 0 },
    { "FileChecksum", S_FILE, T_SUM },
    { "LicenseConcluded", S_FILE, T_ONE | T_LIC },
    { "LicenseInfoInFile", S_FILE, T_LIC },
    { "LicenseComments", S_FILE, T_ONE | T_TEXT },
    { "FileCopyrightText", S_FILE, T_ONE | T_TEXT },
    { "FileComment", S_FILE, T_ONE | T_TEXT },
    { "FileNotice", S_FILE, T_ONE | T_TEXT },
    { "FileContributor", S_FILE, T_TEXT },
    { "FileAttributionText", S_FILE, T_TEXT },
    { "FileDependency", S_FILE, T_ID },
    { "ArtifactOfProjectName", S_FILE, 0 },
    { "ArtifactOfProjectHomePage", S_FILE, 0 },
    { "ArtifactOfProjectURI", S_FILE, 0 },
    { "SnippetSPDXID", S_SNIP, T_ONE },
    { "SnippetFromFileSPDXID", S_SNIP, T_ONE | T_ID },
    { "SnippetByteRange", S_SNIP, T_ONE },
    { "SnippetLineRange", S_SNIP, T_ONE },
    { "SnippetLicenseConcluded", S_SNIP, T_ONE | T_LIC },
    { "LicenseInfoInSnippet", S_SNIP, T_LIC },
    { "SnippetLicenseComments", S_SNIP, T_ONE | T_TEXT },
    { "SnippetCopyrightText", S_SNIP, T_ONE | T_TEXT },
    { "SnippetComment", S_SNIP, T_ONE | T_TEXT },
    { "SnippetName", S_SNIP, T_ONE },
    { "SnippetAttributionText", S_SNIP, T_TEXT },
    { "LicenseID", S_LIC, T_ONE },
    { "ExtractedText", S_LIC, T_ONE | T_TEXT },
    { "LicenseName", S_LIC, T_ONE },
    { "LicenseCrossReference", S_LIC, 0 },
    { "LicenseComment", S_LIC, T_ONE | T_TEXT },
    { "Relationship", S_ANY, 0 },
    { "RelationshipComment", S_ANY, T_TEXT },
    { "Annotator", S_ANY, 0 },
    { "AnnotationDate", S_ANY, T_DATE },
    { "AnnotationType", S_ANY, 0 },
    { "SPDXREF", S_ANY, T_ID },
    { "AnnotationComment", S_ANY, T_TEXT },
    { "Reviewer", S_ANY, 0 },
    { "ReviewDate", S_ANY, T_DATE },
    { "ReviewComment", S_ANY, T_TEXT },
};

static const char *const sect_names[] = { "document creation information", "package", "file",
                                          "snippet", "other licensing information" };

/* Required tags per section (start tag first). */
static const char *const req_doc[] = { "SPDXVersion", "DataLicense", "SPDXID", "DocumentName",
                                       "DocumentNamespace", "Creator", "Created" };
static const char *const req_pkg[] = { "PackageName", "SPDXID", "PackageDownloadLocation" };
static const char *const req_file[] = { "FileName", "SPDXID", "FileChecksum" };
static const char *const req_snip[] = { "SnippetSPDXID", "SnippetFromFileSPDXID",
                                        "SnippetByteRange" };
static const char *const req_lic[] = { "LicenseID", "ExtractedText" };

typedef struct {
    int kind;          /* S_* */
    size_t line;       /* where it starts */
    unsigned char seen[CT_NELEM(tags)];
} tvsect;

static const tagdef *tag_find(const char *s, size_t n)
{
    for (size_t i = 0; i < CT_NELEM(tags); i++)
        if (strlen(tags[i].tag) == n && memcmp(tags[i].tag, s, n) == 0)
            return &tags[i];
    return NULL;
}

static void tv_close(sv *v, const tvsect *s)
{
    static const struct {
        const char *const *req;
        size_t n;
    } reqs[] = { { req_doc, CT_NELEM(req_doc) },   { req_pkg, CT_NELEM(req_pkg) },
                 { req_file, CT_NELEM(req_file) }, { req_snip, CT_NELEM(req_snip) },
                 { req_lic, CT_NELEM(req_lic) } };
    if (s->kind == S_ANY)
        return;
    for (size_t i = 0; i < reqs[s->kind].n; i++) {
        const tagdef *t = tag_find(reqs[s->kind].req[i], strlen(reqs[s->kind].req[i]));
        if (t && !s->seen[t - tags])
            lerr(v, s->line, "%s starting here lacks the required tag %s", sect_names[s->kind],
                 t->tag);
    }
}

static bool blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* Trim blanks at both ends of [*s, *s + *n). */
static void trim(const char **s, size_t *n)
{
    while (*n && blank(**s))
        (*s)++, (*n)--;
    while (*n && blank((*s)[*n - 1]))
        (*n)--;
}

/* The next blank-separated word of [*p, end); advances *p. */
static size_t next_word(const char **p, const char *end, const char **w)
{
    while (*p < end && blank(**p))
        (*p)++;
    *w = *p;
    while (*p < end && !blank(**p))
        (*p)++;
    return (size_t)(*p - *w);
}

static void tv_value(sv *v, const tagdef *t, size_t line, const char *val, size_t n,
                     const tvsect *sect)
{
    char buf[96];
    const char *w, *p = val, *end = val + n, *why, *extra;
    size_t wn;

    /* an empty value is an empty string (as "" in JSON), except where a format is required */
    if (!n && (t->flags & (T_DATE | T_LIC | T_SUM | T_ID) || strcmp(t->tag, "SPDXID") == 0 ||
               strcmp(t->tag, "SnippetSPDXID") == 0 || strcmp(t->tag, "Relationship") == 0 ||
               strcmp(t->tag, "ExternalRef") == 0)) {
        lerr(v, line, "%s has no value", t->tag);
        return;
    }
    if (!n)
        return;
    if (t->flags & T_DATE && !date_ok(val, n))
        lerr(v, line, "%s \"%.*s\" is not a date of the form YYYY-MM-DDThh:mm:ssZ", t->tag,
             (int)(n > 60 ? 60 : n), val);
    if (t->flags & T_LIC) {
        char *s = ct_strndup(val, n);
        if (!s)
            v->failed = true;
        else if (!licence_ok(s))
            lerr(v, line, "%s \"%.100s\" is not a valid SPDX licence expression", t->tag, s);
        ct_free(s);
    }
    if (t->flags & T_SUM) {
        const char *colon = memchr(val, ':', n);
        const algdef *a = colon ? alg_find(val, (size_t)(colon - val)) : NULL;
        if (!a) {
            lerr(v, line, "%s \"%.*s\": expected \"<algorithm>: <hex value>\" with a known "
                          "algorithm (SHA1, SHA256, ...)",
                 t->tag, (int)(n > 60 ? 60 : n), val);
        } else {
            const char *cv = colon + 1;
            size_t cn = (size_t)(end - cv);
            trim(&cv, &cn);
            if ((why = checksum_problem(a, cv, cn, buf, sizeof buf)))
                lerr(v, line, "%s: %s", t->tag, why);
        }
    }
    if (t->flags & T_ID)
        note_line(v, &v->uses, val, n, line);

    if (strcmp(t->tag, "SPDXVersion") == 0) {
        /* handled by the caller */
    } else if (strcmp(t->tag, "DataLicense") == 0) {
        if (n != 7 || memcmp(val, "CC0-1.0", 7) != 0)
            lerr(v, line, "DataLicense must be CC0-1.0, found \"%.*s\"", (int)(n > 60 ? 60 : n),
                 val);
    } else if (strcmp(t->tag, "SPDXID") == 0 || strcmp(t->tag, "SnippetSPDXID") == 0) {
        if (!spdxref_ok(val, n))
            lerr(v, line, "\"%.*s\" is not an SPDX identifier (SPDXRef-[A-Za-z0-9.-]+)",
                 (int)(n > 100 ? 100 : n), val);
        else if (sect->kind == S_DOC && (n != 16 || memcmp(val, "SPDXRef-DOCUMENT", 16) != 0))
            lerr(v, line, "the document's SPDXID must be SPDXRef-DOCUMENT");
        snprintf(buf, sizeof buf, "line %zu", line);
        note_line(v, &v->ids, val, n, line);
    } else if (strcmp(t->tag, "Creator") == 0 || strcmp(t->tag, "Annotator") == 0 ||
               strcmp(t->tag, "Reviewer") == 0) {
        if (!creator_ok(val, n, true))
            lerr(v, line, "%s \"%.*s\": expected \"Person: ...\", \"Organization: ...\" or "
                          "\"Tool: ...\"",
                 t->tag, (int)(n > 60 ? 60 : n), val);
    } else if (strcmp(t->tag, "FilesAnalyzed") == 0) {
        if (!((n == 4 && memcmp(val, "true", 4) == 0) || (n == 5 && memcmp(val, "false", 5) == 0)))
            lerr(v, line, "FilesAnalyzed must be true or false");
    } else if (strcmp(t->tag, "PrimaryPackagePurpose") == 0) {
        if (!word_in(purposes, CT_NELEM(purposes), val, n))
            lerr(v, line, "PrimaryPackagePurpose \"%.*s\" is not one of APPLICATION, FRAMEWORK, "
                          "LIBRARY, CONTAINER, OPERATING-SYSTEM, DEVICE, FIRMWARE, SOURCE, "
                          "ARCHIVE, FILE, INSTALL, OTHER",
                 (int)(n > 60 ? 60 : n), val);
    } else if (strcmp(t->tag, "FileType") == 0) {
        if (!word_in(file_types, CT_NELEM(file_types), val, n))
            lerr(v, line, "FileType \"%.*s\" is not one of SOURCE, BINARY, ARCHIVE, APPLICATION, "
                          "AUDIO, IMAGE, TEXT, VIDEO, DOCUMENTATION, SPDX, OTHER",
                 (int)(n > 60 ? 60 : n), val);
    } else if (strcmp(t->tag, "AnnotationType") == 0) {
        if (!word_in(annotation_types, CT_NELEM(annotation_types), val, n))
            lerr(v, line, "AnnotationType must be REVIEW or OTHER");
    } else if (strcmp(t->tag, "LicenseID") == 0) {
        if (n <= 11 || memcmp(val, "LicenseRef-", 11) != 0)
            lerr(v, line, "LicenseID \"%.*s\": expected LicenseRef-<id>", (int)(n > 60 ? 60 : n),
                 val);
    } else if (strcmp(t->tag, "ExternalDocumentRef") == 0) {
        /* DocumentRef-<id> <namespace URI> <ALG>: <hex> */
        const char *u, *sum;
        size_t un;
        wn = next_word(&p, end, &w);
        un = next_word(&p, end, &u);
        sum = p;
        while (sum < end && blank(*sum))
            sum++;
        const char *colon = memchr(sum, ':', (size_t)(end - sum));
        if (!docref_ok(w, wn) || !un || !colon || !alg_find(sum, (size_t)(colon - sum)))
            lerr(v, line, "ExternalDocumentRef: expected \"DocumentRef-<id> <document "
                          "namespace> <algorithm>: <checksum>\"");
    } else if (strcmp(t->tag, "ExternalRef") == 0) {
        /* <category> <type> <locator> */
        const char *ty, *loc;
        size_t tn, ln;
        wn = next_word(&p, end, &w);
        tn = next_word(&p, end, &ty);
        ln = next_word(&p, end, &loc);
        if (!wn || !tn || !ln || next_word(&p, end, &extra))
            lerr(v, line, "ExternalRef: expected \"<category> <type> <locator>\"");
        else if (!word_in(ref_categories, CT_NELEM(ref_categories), w, wn))
            lerr(v, line, "ExternalRef category \"%.*s\" is not one of SECURITY, "
                          "PACKAGE-MANAGER, PERSISTENT-ID, OTHER",
                 (int)(wn > 40 ? 40 : wn), w);
        else if (tn == 4 && memcmp(ty, "purl", 4) == 0 && (why = purl_problem(loc, ln)))
            lerr(v, line, "invalid purl \"%.*s\": %.200s", (int)(ln > 100 ? 100 : ln), loc, why);
    } else if (strcmp(t->tag, "Relationship") == 0) {
        const char *ty, *b;
        size_t tn, bn;
        snprintf(buf, sizeof buf, "line %zu", line);
        wn = next_word(&p, end, &w);
        tn = next_word(&p, end, &ty);
        bn = next_word(&p, end, &b);
        if (!wn || !tn || !bn || next_word(&p, end, &extra)) {
            lerr(v, line, "Relationship: expected \"<SPDXID> <TYPE> <SPDXID>\"");
            return;
        }
        if (!word_in(rel_types, CT_NELEM(rel_types), ty, tn))
            lerr(v, line, "\"%.*s\" is not an SPDX relationship type (DESCRIBES, CONTAINS, "
                          "DEPENDS_ON, ...)",
                 (int)(tn > 60 ? 60 : tn), ty);
        else if (v->minor < 3 && word_in(rel_types_23, CT_NELEM(rel_types_23), ty, tn))
            lerr(v, line, "relationship type %.*s is new in SPDX 2.3", (int)tn, ty);
        note_line(v, &v->uses, w, wn, line);
        note_line(v, &v->uses, b, bn, line);
    }
}

static void validate_tv(sv *v, const char *data, size_t len)
{
    const char *p = data, *end = data + len;
    size_t line = 0;
    tvsect sect;
    bool first = true;

    v->rep->format = ct_strdup("spdx-tv");
    memset(&sect, 0, sizeof sect);
    sect.kind = S_DOC;
    sect.line = 1;
    while (p < end && !v->failed) {
        const char *nl = p, *s = p, *colon, *val, *le;
        size_t n, tline = ++line, vn;
        while (nl < end && *nl != '\n' && *nl != '\r') /* LF, CRLF or CR line ends */
            nl++;
        le = nl;
        n = (size_t)(le - p);
        p = nl < end && *nl == '\r' && nl + 1 < end && nl[1] == '\n' ? nl + 2
            : nl < end                                                 ? nl + 1
                                                                       : end;
        trim(&s, &n);
        if (!n || *s == '#')
            continue;
        colon = memchr(s, ':', n);
        if (!colon) {
            lerr(v, tline, "expected \"Tag: value\"");
            continue;
        }
        size_t tn = (size_t)(colon - s);
        const char *tagname = s;
        while (tn && blank(tagname[tn - 1]))
            tn--;
        val = colon + 1;
        vn = (size_t)(s + n - val);
        trim(&val, &vn);
        /* <text>...</text>, possibly over several lines */
        if (vn >= 6 && memcmp(val, "<text>", 6) == 0) {
            const char *close = NULL;
            for (const char *q = val + 6; q + 7 <= end; q++)
                if (memcmp(q, "</text>", 7) == 0) {
                    close = q;
                    break;
                }
            if (!close) {
                lerr(v, tline, "<text> without </text>");
                break;
            }
            for (const char *q = val; q < close; q++)
                line += *q == '\n' || (*q == '\r' && (q + 1 == close || q[1] != '\n'));
            val += 6;
            vn = (size_t)(close - val);
            for (nl = close; nl < end && *nl != '\n' && *nl != '\r'; nl++)
                ;
            p = nl < end && *nl == '\r' && nl + 1 < end && nl[1] == '\n' ? nl + 2
                : nl < end                                                 ? nl + 1
                                                                           : end;
        }
        const tagdef *t = tag_find(tagname, tn);
        if (first) {
            first = false;
            if (!t || strcmp(t->tag, "SPDXVersion") != 0) {
                lerr(v, tline, "the first tag of an SPDX tag-value document is SPDXVersion");
            }
        }
        if (!t) {
            lerr(v, tline, "unknown tag \"%.*s\"", (int)(tn > 60 ? 60 : tn), tagname);
            continue;
        }
        if (strcmp(t->tag, "SPDXVersion") == 0) {
            if (v->rep->spec_version) {
                lerr(v, tline, "SPDXVersion repeated");
            } else if (vn == 8 && memcmp(val, "SPDX-2.", 7) == 0 && val[7] >= '1' &&
                       val[7] <= '3') {
                v->minor = val[7] - '0';
                v->rep->spec_version = ct_strndup(val + 5, 3);
            } else {
                bool pre = starts(val, vn, "SPDX-");
                v->rep->spec_version = ct_strndup(pre ? val + 5 : val, pre ? vn - 5 : vn);
                lerr(v, tline, "unsupported SPDXVersion \"%.*s\" (SPDX-2.1, SPDX-2.2, SPDX-2.3)",
                     (int)(vn > 40 ? 40 : vn), val);
                v->minor = 3;
            }
        }
        if ((t->flags & T_23) && v->minor && v->minor < 3)
            lerr(v, tline, "%s is new in SPDX 2.3", t->tag);
        /* section starts */
        int start = strcmp(t->tag, "PackageName") == 0     ? S_PKG
                    : strcmp(t->tag, "FileName") == 0      ? S_FILE
                    : strcmp(t->tag, "SnippetSPDXID") == 0 ? S_SNIP
                    : strcmp(t->tag, "LicenseID") == 0     ? S_LIC
                                                           : -1;
        if (start >= 0) {
            tv_close(v, &sect);
            memset(&sect, 0, sizeof sect);
            sect.kind = start;
            sect.line = tline;
        } else if (t->sect != S_ANY && t->sect != sect.kind) {
            lerr(v, tline, "%s belongs to a %s section, not to the %s starting at line %zu",
                 t->tag, sect_names[t->sect], sect_names[sect.kind], sect.line);
            continue;
        }
        if ((t->flags & T_ONE) && sect.seen[t - tags])
            lerr(v, tline, "%s repeated in one %s", t->tag,
                 t->sect == S_ANY ? sect_names[sect.kind] : sect_names[t->sect]);
        if (sect.seen[t - tags] < 255)
            sect.seen[t - tags]++;
        tv_value(v, t, tline, val, vn, &sect);
    }
    tv_close(v, &sect);
    if (!v->rep->spec_version)
        add_error(v, "line 1", "no SPDXVersion tag");
    check_ids(v);
}

/* ---- entry ------------------------------------------------------------------------------- */

int ct_sbom__validate_spdx(ct_sbom_report *rep, const ct_ctx *ctx, const char *data, size_t len,
                           const char *source, bool json, const ct_sbom_validate_options *opts)
{
    ct_jtape tape = CT_JTAPE_INIT;
    sv v;
    memset(&v, 0, sizeof v);
    v.ctx = ctx;
    v.rep = rep;
    v.minor = 0;
    ct_jptr_init(&v.ptr);
    if (json) {
        if (!validate_json(&v, &tape, data, len, source ? source : "-",
                           ct_sbom__spdx_schema_dir(opts)))
            ct_error_clear();
        ct_jtape_dispose(&tape);
    } else {
        validate_tv(&v, data, len);
    }
    ids_free(&v);
    if (v.failed)
        return ct_error_set(CT_ENOMEM, "out of memory");
    rep->valid = rep->nerrors == 0;
    return CT_OK;
}

int ct_sbom__parse_validate_spdx_json(ct_sbom **sbom_out, ct_sbom_report **out,
                                      const ct_ctx *ctx, const char *data, size_t len,
                                      const char *source, const ct_sbom_validate_options *opts)
{
    ct_jtape tape = CT_JTAPE_INIT;
    ct_sbom *model = NULL;
    ct_spdx_pkg_hints hints = { NULL, 0, 0 };
    size_t bom = 0;
    sv v;

    *sbom_out = NULL;
    *out = NULL;
    if (len > ct_ctx_limits(ctx)->max_doc_bytes) {
        ct_loc loc = { source, 0, 0, -1, NULL };
        return ct_error_set_at(&loc, CT_ELIMIT, "document larger than max_doc_bytes");
    }
    bom = ct_sbom__bom_len(data, len);
    memset(&v, 0, sizeof v);
    v.ctx = ctx;
    ct_jptr_init(&v.ptr);
    if (!(v.rep = ct_calloc(1, sizeof *v.rep)))
        return ct_error_set(CT_ENOMEM, "out of memory");
    v.rep->valid = true;
    v.hints = &hints;
    source = source ? source : "-";
    if (validate_json(&v, &tape, data + bom, len - bom, source, ct_sbom__spdx_schema_dir(opts))) {
        /* the id lists are done with (check_ids ran): freed before the model is read, so that
         * they do not add to the peak */
        ids_free(&v);
        if (!v.failed && ct_sbom__spdx_json_read(&model, ctx, &tape, source, true, &hints) < 0)
            model = NULL; /* the reader's error stays in ct_error_last() */
    } /* else the reader's error would be the same syntax error: it stays */
    ct_jtape_dispose(&tape);
    ids_free(&v);
    ct_free(hints.v);
    if (v.failed) {
        ct_sbom_free(model);
        ct_sbom_report_free(v.rep);
        return ct_error_set(CT_ENOMEM, "out of memory");
    }
    v.rep->valid = v.rep->nerrors == 0;
    *out = v.rep;
    *sbom_out = model;
    return CT_OK;
}

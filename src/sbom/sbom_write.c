/* SBOM writers: the format-neutral model as CycloneDX JSON 1.4-1.7, SPDX 2.2/2.3 JSON and
 * tag-value (CycloneDX XML: cyclonedx_xml_write.c). Output is deterministic (model order, fixed key order, no clock reads). Values a
 * target cannot hold are left out and reported (callback and returned count). */
#include "sbom/spdx_int.h"
#include "sbom/spdx_validate_int.h"
#include "cratrace/ident.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    ct_buf *out;
    const ct_sbom *s;
    const ct_sbom_write_options *o;
    int lost;
    ct_spdx_ids ids;  /* SPDX: package ids (spdx_ids.c) */
    size_t root;      /* SPDX: described() */
    size_t cdx_nalgs; /* CycloneDX: hash algorithms of the target version */
    bool spdx22;      /* SPDX 2.2: no primaryPackagePurpose, copyrightText required */
    bool *dup_edge;   /* SPDX: edge i repeats an earlier one (built on the first dangling end) */
    bool dup_built;
    int sink_rc;      /* the first error of o->sink */
} wr;

/* With o->sink: what out holds goes to the sink once it passes a MiB (final: whatever is
 * left); the first sink error is kept in *sink_rc and stops further calls. */
#define SINK_AT (1u << 20)

static void sink_flush(ct_buf *out, const ct_sbom_write_options *o, int *sink_rc, bool final)
{
    if (!o->sink || *sink_rc < 0 || out->failed || !out->len || (!final && out->len < SINK_AT))
        return;
    if ((*sink_rc = o->sink(o->sink_payload, out->ptr, out->len)) >= 0)
        ct_buf_reset(out);
}

static void flush(wr *w)
{
    sink_flush(w->out, w->o, &w->sink_rc, false);
}

static int oom(void)
{
    return ct_error_set(CT_ENOMEM, "out of memory");
}

static void lost(wr *w, const char *field, const char *ref)
{
    w->lost++;
    if (w->o->lost)
        w->o->lost(w->o->payload, field, ref);
}

static bool streq(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool in_list(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s && strcmp(s, list[i]) == 0)
            return true;
    return false;
}

static bool is_hex(char c)
{
    return ct_ascii_isdigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* urn:uuid:xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, as the CycloneDX schema wants */
bool ct_sbom__is_urn_uuid(const char *s)
{
    static const char pat[] = "urn:uuid:########-####-####-####-############";
    size_t i;
    for (i = 0; pat[i]; i++) {
        if (!s[i])
            return false;
        if (pat[i] == '#' ? !is_hex(s[i]) : pat[i] != s[i])
            return false;
    }
    return s[i] == '\0';
}

bool ct_sbom__hash_content_ok(const char *s)
{
    size_t n = 0;
    while (s[n] && is_hex(s[n]))
        n++;
    return !s[n] && (n == 32 || n == 40 || n == 64 || n == 96 || n == 128);
}

typedef struct {
    const char *ref, *on;
    size_t idx, first;
    bool dup;
} dep_key;

static int cmp_dep_ref_on(const void *a, const void *b)
{
    const dep_key *x = a, *y = b;
    int c = strcmp(x->ref, y->ref);
    if (!c)
        c = strcmp(x->on, y->on);
    return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

static int cmp_dep_first(const void *a, const void *b)
{
    const dep_key *x = a, *y = b;
    if (x->first != y->first)
        return (x->first > y->first) - (x->first < y->first);
    return (x->idx > y->idx) - (x->idx < y->idx);
}

int ct_sbom__dep_order(size_t **out, size_t *n_out, const ct_sbom *s)
{
    dep_key *k;
    size_t n = 0;
    *out = NULL;
    *n_out = 0;
    if (!s->ndeps)
        return 0;
    if (!(k = ct_calloc(s->ndeps, sizeof *k)) || !(*out = ct_calloc(s->ndeps, sizeof **out))) {
        ct_free(k);
        return oom();
    }
    for (size_t i = 0; i < s->ndeps; i++)
        k[i] = (dep_key){ s->deps[i].ref, s->deps[i].depends_on, i, i, false };
    qsort(k, s->ndeps, sizeof *k, cmp_dep_ref_on);
    /* first index of each ref group; exact duplicates are adjacent */
    for (size_t i = 0, g = 0; i < s->ndeps; i++) {
        if (i && strcmp(k[i].ref, k[g].ref) != 0) {
            for (size_t j = g; j < i; j++)
                k[j].first = k[g].first;
            g = i;
        }
        if (k[i].idx < k[g].first)
            k[g].first = k[i].idx;
        k[i].dup = i > g && strcmp(k[i].on, k[i - 1].on) == 0;
        if (i + 1 == s->ndeps)
            for (size_t j = g; j <= i; j++)
                k[j].first = k[g].first;
    }
    qsort(k, s->ndeps, sizeof *k, cmp_dep_first);
    for (size_t i = 0; i < s->ndeps; i++)
        if (!k[i].dup)
            (*out)[n++] = k[i].idx;
    *n_out = n;
    ct_free(k);
    return 0;
}

typedef struct {
    const char *ref;
    size_t idx;
} ref_key;

static int cmp_ref_key(const void *a, const void *b)
{
    const ref_key *x = a, *y = b;
    int c = strcmp(x->ref, y->ref);
    return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

int ct_sbom__dup_refs(bool **out, const ct_sbom *s)
{
    ref_key *k;
    size_t n = 0;
    *out = NULL;
    if (!s->ncomponents)
        return 0;
    if (!(k = ct_calloc(s->ncomponents, sizeof *k)) ||
        !(*out = ct_calloc(s->ncomponents, sizeof **out))) {
        ct_free(k);
        return oom();
    }
    for (size_t i = 0; i < s->ncomponents; i++)
        if (s->components[i].bom_ref)
            k[n++] = (ref_key){ s->components[i].bom_ref, i };
    qsort(k, n, sizeof *k, cmp_ref_key);
    for (size_t i = 1; i < n; i++)
        if (strcmp(k[i].ref, k[i - 1].ref) == 0)
            (*out)[k[i].idx] = true;
    ct_free(k);
    return 0;
}

typedef struct {
    const ct_component *c;
    const char *ref; /* as written: NULL when left out */
    size_t idx, parent;
} comp_key;

static int cmp_nstr(const char *a, const char *b)
{
    return a && b ? strcmp(a, b) : (a != NULL) - (b != NULL);
}

static int cmp_comp_key(const void *a, const void *b)
{
    const comp_key *x = a, *y = b;
    const ct_component *p = x->c, *q = y->c;
    int c;
    if (x->parent != y->parent)
        return (x->parent > y->parent) - (x->parent < y->parent);
    if ((c = cmp_nstr(x->ref, y->ref)) || (c = cmp_nstr(p->type, q->type)) ||
        (c = cmp_nstr(p->group, q->group)) || (c = cmp_nstr(p->name, q->name)) ||
        (c = cmp_nstr(p->version, q->version)) || (c = cmp_nstr(p->purl, q->purl)) ||
        (c = cmp_nstr(p->cpe, q->cpe)) || (c = cmp_nstr(p->supplier, q->supplier)) ||
        (c = cmp_nstr(p->hashes, q->hashes)) || (c = cmp_nstr(p->licenses, q->licenses)))
        return c;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

/* CycloneDX JSON arrays are uniqueItems: mark leaf components that would be written exactly
 * like an earlier leaf sibling (the model keeps fewer fields than the source had). */
static int same_siblings(bool **out, const ct_sbom *s, const bool *dup_refs)
{
    comp_key *k;
    size_t *stack, n = 0;
    *out = NULL;
    if (!s->ncomponents)
        return 0;
    k = ct_calloc(s->ncomponents, sizeof *k);
    stack = ct_calloc(s->ncomponents + 1, sizeof *stack);
    *out = ct_calloc(s->ncomponents, sizeof **out);
    if (!k || !stack || !*out) {
        ct_free(k);
        ct_free(stack);
        ct_free(*out);
        *out = NULL;
        return oom();
    }
    for (size_t i = 0, depth = 0; i < s->ncomponents; i++) {
        const ct_component *c = &s->components[i];
        size_t d = c->depth > depth ? depth : c->depth;
        bool leaf = i + 1 == s->ncomponents || s->components[i + 1].depth <= d;
        stack[d] = i;
        depth = d + 1;
        if (leaf)
            k[n++] = (comp_key){ c, dup_refs && dup_refs[i] ? NULL : c->bom_ref, i,
                                 d ? stack[d - 1] : SIZE_MAX };
    }
    qsort(k, n, sizeof *k, cmp_comp_key);
    for (size_t i = 1; i < n; i++) {
        comp_key a = k[i - 1], b = k[i];
        a.idx = b.idx = 0;
        if (cmp_comp_key(&a, &b) == 0)
            (*out)[k[i].idx] = true;
    }
    ct_free(k);
    ct_free(stack);
    return 0;
}

/* ---- hashes (JSON text in the model) ---------------------------------------------------- */

typedef void (*hash_fn)(wr *w, const char *alg, const char *content, void *arg);

/* call fn for every {"alg","content"} of the component's hash text */
static void each_hash(wr *w, const ct_component *c, hash_fn fn, void *arg)
{
    json_object *arr;
    if (!c->hashes)
        return;
    arr = json_tokener_parse(c->hashes);
    if (!arr || !json_object_is_type(arr, json_type_array)) {
        lost(w, "component.hashes", c->bom_ref);
        json_object_put(arr);
        return;
    }
    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        json_object *h = json_object_array_get_idx(arr, i), *a, *v;
        if (json_object_object_get_ex(h, "alg", &a) && json_object_object_get_ex(h, "content", &v))
            fn(w, json_object_get_string(a), json_object_get_string(v), arg);
        else
            lost(w, "component.hashes", c->bom_ref);
    }
    json_object_put(arr);
}

/* ---- CycloneDX JSON ------------------------------------------------------------------------ */

static const char *const cdx_algs[] = { "MD5",      "SHA-1",       "SHA-256",     "SHA-384",
                                        "SHA-512",  "SHA3-256",    "SHA3-384",    "SHA3-512",
                                        "BLAKE2b-256", "BLAKE2b-384", "BLAKE2b-512", "BLAKE3",
                                        /* 1.7 */ "Streebog-256", "Streebog-512" };
static const char *const cdx_types[] = { "application", "framework", "library", "container",
                                         "operating-system", "device", "firmware", "file",
                                         /* 1.5 */ "platform", "device-driver",
                                         "machine-learning-model", "data",
                                         /* 1.6 */ "cryptographic-asset" };

typedef struct {
    const ct_component *c;
    size_t n;
    size_t nalgs; /* CycloneDX: algorithms of the target version */
} hash_state;

static void cdx_hash(wr *w, const char *alg, const char *content, void *arg)
{
    hash_state *hs = arg;
    if (!in_list(alg, cdx_algs, hs->nalgs) || !ct_sbom__hash_content_ok(content)) {
        lost(w, "component.hashes", hs->c->bom_ref);
        return;
    }
    ct_buf_puts(w->out, hs->n++ ? "," : ",\"hashes\":[");
    ct_buf_puts(w->out, "{\"alg\":");
    ct_buf_json_str(w->out, alg);
    ct_buf_puts(w->out, ",\"content\":");
    ct_buf_json_str(w->out, content);
    ct_buf_putc(w->out, '}');
}

static void cdx_field(ct_buf *b, const char *key, const char *v)
{
    if (!v)
        return;
    ct_buf_printf(b, ",\"%s\":", key);
    ct_buf_json_str(b, v);
}

/* one component without its closing brace (children may follow); dup_ref: its bom-ref repeats
 * an earlier one (left out: bom-refs are unique) */
static void cdx_component(wr *w, const ct_component *c, size_t ntypes, bool dup_ref)
{
    ct_buf *b = w->out;
    const char *type = c->type ? c->type : "library";
    if (!in_list(type, cdx_types, ntypes)) {
        lost(w, "component.type", c->bom_ref);
        type = "library";
    }
    ct_buf_puts(b, "{\"type\":");
    ct_buf_json_str(b, type);
    if (c->bom_ref && (dup_ref || !*c->bom_ref))
        lost(w, "component.bom_ref", c->bom_ref);
    else
        cdx_field(b, "bom-ref", c->bom_ref);
    if (c->supplier) {
        ct_buf_puts(b, ",\"supplier\":{\"name\":");
        ct_buf_json_str(b, c->supplier);
        ct_buf_putc(b, '}');
    }
    cdx_field(b, "group", c->group);
    ct_buf_puts(b, ",\"name\":");
    ct_buf_json_str(b, c->name ? c->name : "");
    cdx_field(b, "version", c->version);
    hash_state hs = { c, 0, w->cdx_nalgs };
    each_hash(w, c, cdx_hash, &hs);
    if (hs.n)
        ct_buf_putc(b, ']');
    if (c->licenses) {
        ct_buf_puts(b, ",\"licenses\":[{\"expression\":");
        ct_buf_json_str(b, c->licenses);
        ct_buf_puts(b, "}]");
    }
    cdx_field(b, "cpe", c->cpe);
    cdx_field(b, "purl", c->purl);
}

static int cmp_str_ptr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The one dependency ref that names no component: in CycloneDX that is metadata.component's
 * bom-ref (the model keeps the root's name and version, not its ref). NULL when there is none
 * or more than one. Component refs are sorted once: O((d + c) log c), not O(d * c)
 * (a 100 MB SBOM took minutes to write). */
const char *ct_sbom__root_ref(const ct_sbom *s)
{
    const char *root = NULL;
    const char **refs = s->ncomponents ? ct_reallocarray(NULL, s->ncomponents, sizeof *refs) : NULL;
    size_t nrefs = 0;

    for (size_t k = 0; refs && k < s->ncomponents; k++)
        if (s->components[k].bom_ref)
            refs[nrefs++] = s->components[k].bom_ref;
    if (nrefs > 1)
        qsort(refs, nrefs, sizeof *refs, cmp_str_ptr);
    for (size_t i = 0; i < s->ndeps; i++) {
        const char *r = s->deps[i].ref;
        if (root && strcmp(r, root) == 0)
            continue;
        bool known = false;
        if (refs) /* else out of memory: the same answer by a linear scan */
            known = nrefs && bsearch(&r, refs, nrefs, sizeof *refs, cmp_str_ptr);
        for (size_t k = 0; !refs && k < s->ncomponents && !known; k++)
            known = s->components[k].bom_ref && strcmp(s->components[k].bom_ref, r) == 0;
        if (known)
            continue;
        if (root) {
            root = NULL;
            break;
        }
        root = r;
    }
    ct_free(refs);
    return root;
}

static int write_cdx(wr *w, const char *spec)
{
    const ct_sbom *s = w->s;
    ct_buf *b = w->out;
    size_t ntypes = strcmp(spec, "1.4") == 0 ? 8 : strcmp(spec, "1.5") == 0 ? 12 : 13;
    size_t *kids = NULL, k = 0, roots = 0;

    w->cdx_nalgs = strcmp(spec, "1.7") == 0 ? CT_NELEM(cdx_algs) : CT_NELEM(cdx_algs) - 2;

    ct_buf_puts(b, "{\"bomFormat\":\"CycloneDX\",\"specVersion\":");
    ct_buf_json_str(b, spec);
    if (s->serial_number && ct_sbom__is_urn_uuid(s->serial_number))
        cdx_field(b, "serialNumber", s->serial_number);
    else if (s->serial_number)
        lost(w, "serial_number", NULL);
    ct_buf_puts(b, ",\"version\":1");
    if (s->name || w->o->created != CT_TIME_NONE) {
        ct_buf_puts(b, ",\"metadata\":{");
        if (w->o->created != CT_TIME_NONE) {
            char ts[32];
            ct_time_format(ts, w->o->created);
            ct_buf_printf(b, "\"timestamp\":\"%s\"%s", ts, s->name ? "," : "");
        }
        if (s->name) {
            const char *rr = ct_sbom__root_ref(s);
            ct_buf_puts(b, "\"component\":{\"type\":\"application\",\"name\":");
            ct_buf_json_str(b, s->name);
            cdx_field(b, "version", s->version);
            cdx_field(b, "bom-ref", rr);
            ct_buf_putc(b, '}');
        }
        ct_buf_putc(b, '}');
    }
    if (!s->name && s->version)
        lost(w, "version", NULL);
    if (s->ncomponents) {
        bool *dups = NULL, *same = NULL;
        if (ct_sbom__dup_refs(&dups, s) < 0 || same_siblings(&same, s, dups) < 0) {
            ct_free(dups);
            return CT_ENOMEM;
        }
        if (!(kids = ct_calloc(s->ncomponents, sizeof *kids))) {
            ct_free(dups);
            ct_free(same);
            return oom();
        }
        ct_buf_puts(b, ",\n\"components\":[\n");
        for (size_t i = 0; i < s->ncomponents; i++) {
            const ct_component *c = &s->components[i];
            if (same && same[i]) { /* a leaf: nothing nested is skipped with it */
                lost(w, "component (same as an earlier sibling)", c->bom_ref ? c->bom_ref
                                                                             : c->name);
                continue;
            }
            size_t d = c->depth > k ? k : c->depth; /* no skipped levels */
            while (k > d) {
                if (kids[--k])
                    ct_buf_putc(b, ']');
                ct_buf_putc(b, '}');
            }
            if (d == 0)
                ct_buf_puts(b, roots++ ? ",\n" : "");
            else
                ct_buf_puts(b, kids[d - 1]++ ? "," : ",\"components\":[");
            cdx_component(w, c, ntypes, dups && dups[i]);
            kids[k++] = 0;
            flush(w);
        }
        while (k > 0) {
            if (kids[--k])
                ct_buf_putc(b, ']');
            ct_buf_putc(b, '}');
        }
        ct_buf_puts(b, "\n]");
        ct_free(kids);
        ct_free(dups);
        ct_free(same);
    }
    if (s->ndeps) {
        /* grouped by ref, duplicates dropped: the 1.5+ schemas want unique dependsOn items */
        size_t *order = NULL, n = 0;
        const char *cur = NULL;
        if (ct_sbom__dep_order(&order, &n, s) < 0)
            return CT_ENOMEM;
        ct_buf_puts(b, ",\n\"dependencies\":[\n");
        for (size_t j = 0; j < n; j++) {
            const ct_dependency *d = &s->deps[order[j]];
            if (!*d->ref || !*d->depends_on) {
                lost(w, "dependency", d->ref);
                continue;
            }
            if (!cur || strcmp(d->ref, cur) != 0) {
                ct_buf_puts(b, cur ? "]},\n{\"ref\":" : "{\"ref\":");
                ct_buf_json_str(b, d->ref);
                ct_buf_puts(b, ",\"dependsOn\":[");
                cur = d->ref;
            } else {
                ct_buf_putc(b, ',');
            }
            ct_buf_json_str(b, d->depends_on);
            flush(w);
        }
        ct_buf_puts(b, cur ? "]}\n]" : "]");
        ct_free(order);
    }
    ct_buf_puts(b, "}\n");
    return 0;
}

/* ---- SPDX: identifiers ---------------------------------------------------------------------- */

static bool id_char_ok(char c)
{
    return ct_ascii_isalnum(c) || c == '.' || c == '-';
}

static int cmp_nstr(const char *a, const char *b);

static int cmp_edge_idx(const void *a, const void *b)
{
    const dep_key *x = a, *y = b;
    int c = cmp_nstr(x->ref, y->ref);
    if (!c)
        c = cmp_nstr(x->on, y->on);
    return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

/* w->dup_edge[i]: an earlier edge has the same ref and depends_on (sorted once: the scan back
 * over all earlier edges per dangling one was O(d^2)); left NULL when out of memory */
static void build_dup_edges(wr *w)
{
    const ct_sbom *s = w->s;
    dep_key *k = s->ndeps ? ct_calloc(s->ndeps, sizeof *k) : NULL;
    w->dup_built = true;
    if (!k || !(w->dup_edge = ct_calloc(s->ndeps, sizeof *w->dup_edge))) {
        ct_free(k);
        return;
    }
    for (size_t i = 0; i < s->ndeps; i++)
        k[i] = (dep_key){ s->deps[i].ref, s->deps[i].depends_on, i, i, false };
    qsort(k, s->ndeps, sizeof *k, cmp_edge_idx);
    for (size_t i = 1; i < s->ndeps; i++)
        if (!cmp_nstr(k[i].ref, k[i - 1].ref) && !cmp_nstr(k[i].on, k[i - 1].on))
            w->dup_edge[k[i].idx] = true;
    ct_free(k);
}

/* the id of a dependency end; NULL (and the edge reported lost once) when it names nothing
 * in the document: a relationship to an undefined SPDXID is invalid (SPDX 2.3 §11.1) */
static const char *dep_end(wr *w, size_t i, const char *ref)
{
    const char *id = ct_spdx__ids_ref(&w->ids, ref);
    if (!id) {
        const ct_dependency *d = &w->s->deps[i];
        bool repeated = false;
        if (!w->dup_built)
            build_dup_edges(w);
        if (w->dup_edge) {
            repeated = w->dup_edge[i];
        } else { /* out of memory: the same answer by a scan */
            for (size_t j = 0; j < i && !repeated; j++)
                repeated = streq(w->s->deps[j].ref, d->ref) &&
                           streq(w->s->deps[j].depends_on, d->depends_on);
        }
        if (!repeated) /* a repeated edge is one loss */
            lost(w, "dependency", d->ref);
    }
    return id;
}

static const char *const purposes[] = { "APPLICATION", "FRAMEWORK", "LIBRARY", "CONTAINER",
                                        "OPERATING-SYSTEM", "DEVICE", "FIRMWARE", "SOURCE",
                                        "ARCHIVE", "FILE", "INSTALL", "OTHER" };

/* upper-case SPDX purpose for a component type, or NULL (type lost) */
static bool purpose_of(char out[32], const char *type)
{
    size_t n = strlen(type);
    if (n >= 32)
        return false;
    for (size_t i = 0; i <= n; i++)
        out[i] = (type[i] >= 'a' && type[i] <= 'z') ? (char)(type[i] - 32) : type[i];
    return in_list(out, purposes, CT_NELEM(purposes));
}

#define ROOT_SYNTH (SIZE_MAX - 1)

/* the component the document DESCRIBES, ROOT_SYNTH for a root package made from the model's
 * name/version and the dependency graph's root ref, or SIZE_MAX */
static size_t described(wr *w)
{
    const ct_sbom *s = w->s;
    if (s->name)
        for (size_t i = 0; i < s->ncomponents; i++)
            if (streq(s->components[i].name, s->name) &&
                streq(s->components[i].version, s->version))
                return i;
    /* a CycloneDX root (metadata.component) named by the dependency graph becomes a package */
    if (s->name && ct_sbom__root_ref(s))
        return ROOT_SYNTH;
    if (s->name || s->version)
        lost(w, "name", NULL);
    return SIZE_MAX;
}

static void spdx_component_losses(wr *w, const ct_component *c)
{
    char p[32];
    if (c->group && *c->group)
        lost(w, "component.group", c->bom_ref);
    if (c->depth)
        lost(w, "component.depth", c->bom_ref);
    if (c->type && (w->spdx22 || !purpose_of(p, c->type)))
        lost(w, "component.type", c->bom_ref);
}

/* the purl an SPDX purl external reference may carry: one that parses (SPDX 2.3 Annex F);
 * another value is reported lost */
static const char *spdx_purl(wr *w, const ct_component *c)
{
    ct_purl *p = NULL;
    if (!c->purl)
        return NULL;
    int rc = ct_purl_parse(&p, c->purl, strlen(c->purl));
    ct_purl_free(p);
    if (rc == 0)
        return c->purl;
    ct_error_clear();
    lost(w, "component.purl", c->bom_ref);
    return NULL;
}

/* licenseConcluded: the model's licences when they are an SPDX licence expression, else
 * NOASSERTION and the value reported lost (e.g. a CycloneDX licence name) */
static const char *spdx_licence(wr *w, const ct_component *c)
{
    if (!c->licenses)
        return "NOASSERTION";
    if (ct_sbom__spdx_expression_ok(c->licenses))
        return c->licenses;
    lost(w, "component.licenses", c->bom_ref);
    return "NOASSERTION";
}

static const char *doc_name(const ct_sbom *s)
{
    return s->name ? s->name : "cratrace-sbom";
}

/* documentNamespace: the serial number, else a URL made from the name (deterministic) */
static char *doc_namespace(const ct_sbom *s)
{
    ct_buf b = CT_BUF_INIT;
    if (s->serial_number)
        return ct_strdup(s->serial_number);
    ct_buf_puts(&b, "https://cratrace.invalid/spdxdocs/");
    for (const char *p = doc_name(s); *p && b.len < 240; p++)
        ct_buf_putc(&b, id_char_ok(*p) ? *p : '-');
    if (b.failed) {
        ct_buf_dispose(&b);
        return NULL;
    }
    return ct_buf_detach(&b);
}

/* ---- SPDX JSON ------------------------------------------------------------------------------ */

/* the checksum algorithms of the SPDX 2.2 schema */
static const char *const spdx22_algs[] = { "SHA256", "SHA1", "SHA384", "MD2", "MD4",
                                           "SHA512", "MD6",  "MD5",    "SHA224" };

static const char *spdx_alg(wr *w, const char *alg)
{
    const char *a = ct_spdx__alg_from_cdx(alg);
    return a && w->spdx22 && !in_list(a, spdx22_algs, CT_NELEM(spdx22_algs)) ? NULL : a;
}

static void spdx_json_hash(wr *w, const char *alg, const char *content, void *arg)
{
    hash_state *hs = arg;
    const char *a = spdx_alg(w, alg);
    if (!a) {
        lost(w, "component.hashes", hs->c->bom_ref);
        return;
    }
    ct_buf_puts(w->out, hs->n++ ? "," : ",\"checksums\":[");
    ct_buf_puts(w->out, "{\"algorithm\":");
    ct_buf_json_str(w->out, a);
    ct_buf_puts(w->out, ",\"checksumValue\":");
    ct_buf_json_str(w->out, content);
    ct_buf_putc(w->out, '}');
}

static void json_kv(ct_buf *b, const char *key, const char *v)
{
    ct_buf_printf(b, ",\"%s\":", key);
    ct_buf_json_str(b, v);
}

static void json_ext_ref(ct_buf *b, bool first, const char *cat, const char *type,
                         const char *loc)
{
    ct_buf_puts(b, first ? ",\"externalRefs\":[" : ",");
    ct_buf_printf(b, "{\"referenceCategory\":\"%s\",\"referenceType\":\"%s\","
                     "\"referenceLocator\":",
                  cat, type);
    ct_buf_json_str(b, loc);
    ct_buf_putc(b, '}');
}

static const char *cpe_type(const char *cpe)
{
    return strncmp(cpe, "cpe:2.3:", 8) == 0 ? "cpe23Type" : "cpe22Type";
}

static int write_spdx_json(wr *w, const char *created, const char *ns)
{
    const ct_sbom *s = w->s;
    ct_buf *b = w->out;
    size_t root = w->root;
    int rc = 0;

    ct_buf_printf(b, "{\"spdxVersion\":\"SPDX-%s\",\"dataLicense\":\"CC0-1.0\",", w->spdx22 ? "2.2" : "2.3");
    ct_buf_puts(b, ""
                   "\"SPDXID\":\"SPDXRef-DOCUMENT\"");
    json_kv(b, "name", doc_name(s));
    json_kv(b, "documentNamespace", ns);
    ct_buf_printf(b, ",\"creationInfo\":{\"created\":\"%s\",\"creators\":[\"Tool: cratrace\"]}",
                  created);
    ct_buf_puts(b, ",\n\"packages\":[");
    for (size_t i = 0; i < s->ncomponents; i++) {
        const ct_component *c = &s->components[i];
        char p[32];
        spdx_component_losses(w, c);
        ct_buf_puts(b, i ? ",\n{" : "\n{");
        ct_buf_puts(b, "\"SPDXID\":");
        ct_buf_json_str(b, w->ids.ids[i]);
        json_kv(b, "name", c->name ? c->name : "");
        if (c->version)
            json_kv(b, "versionInfo", c->version);
        if (c->supplier) {
            ct_buf sup = CT_BUF_INIT;
            ct_buf_printf(&sup, "Organization: %s", c->supplier);
            if (sup.failed)
                return oom();
            json_kv(b, "supplier", sup.ptr);
            ct_buf_dispose(&sup);
        }
        ct_buf_puts(b, ",\"downloadLocation\":\"NOASSERTION\",\"filesAnalyzed\":false");
        hash_state hs = { c, 0, 0 };
        each_hash(w, c, spdx_json_hash, &hs);
        if (hs.n)
            ct_buf_putc(b, ']');
        json_kv(b, "licenseConcluded", spdx_licence(w, c));
        ct_buf_puts(b, ",\"licenseDeclared\":\"NOASSERTION\"");
        if (w->spdx22)
            ct_buf_puts(b, ",\"copyrightText\":\"NOASSERTION\"");
        const char *purl = spdx_purl(w, c);
        if (purl) /* the 2.2 JSON schema spells PACKAGE_MANAGER */
            json_ext_ref(b, true, w->spdx22 ? "PACKAGE_MANAGER" : "PACKAGE-MANAGER", "purl",
                         purl);
        if (c->cpe)
            json_ext_ref(b, !purl, "SECURITY", cpe_type(c->cpe), c->cpe);
        if (purl || c->cpe)
            ct_buf_putc(b, ']');
        if (c->type && !w->spdx22 && purpose_of(p, c->type)) {
            if (strcmp(p, "OPERATING-SYSTEM") == 0) /* the spdx-spec 2.3 JSON schema's enum */
                p[9] = '_';
            json_kv(b, "primaryPackagePurpose", p);
        }
        ct_buf_putc(b, '}');
        flush(w);
    }
    const char *root_id = root == ROOT_SYNTH ? w->ids.root_id
                          : root != SIZE_MAX ? w->ids.ids[root]
                                             : NULL;
    if (root == ROOT_SYNTH) {
        ct_buf_puts(b, s->ncomponents ? ",\n{\"SPDXID\":" : "\n{\"SPDXID\":");
        ct_buf_json_str(b, root_id);
        json_kv(b, "name", s->name);
        if (s->version)
            json_kv(b, "versionInfo", s->version);
        ct_buf_puts(b, ",\"downloadLocation\":\"NOASSERTION\",\"filesAnalyzed\":false,"
                       "\"licenseConcluded\":\"NOASSERTION\",\"licenseDeclared\":\"NOASSERTION\"");
        ct_buf_puts(b, w->spdx22 ? ",\"copyrightText\":\"NOASSERTION\"}"
                                 : ",\"primaryPackagePurpose\":\"APPLICATION\"}");
    }
    ct_buf_puts(b, "\n],\n\"relationships\":[");
    bool first = true;
    if (root_id) {
        ct_buf_puts(b, "\n{\"spdxElementId\":\"SPDXRef-DOCUMENT\",\"relationshipType\":"
                       "\"DESCRIBES\",\"relatedSpdxElement\":");
        ct_buf_json_str(b, root_id);
        ct_buf_putc(b, '}');
        first = false;
    }
    for (size_t i = 0; i < s->ndeps; i++) {
        const char *a = dep_end(w, i, s->deps[i].ref);
        const char *z = a ? dep_end(w, i, s->deps[i].depends_on) : NULL;
        if (!a || !z)
            continue;
        ct_buf_puts(b, first ? "\n{\"spdxElementId\":" : ",\n{\"spdxElementId\":");
        ct_buf_json_str(b, a);
        ct_buf_puts(b, ",\"relationshipType\":\"DEPENDS_ON\",\"relatedSpdxElement\":");
        ct_buf_json_str(b, z);
        ct_buf_putc(b, '}');
        first = false;
        flush(w);
    }
    ct_buf_puts(b, "\n]}\n");
    return rc;
}

/* ---- SPDX tag-value ------------------------------------------------------------------------- */

/* "Tag: value", wrapped in <text> when the plain form would not read back */
static void tv_line(wr *w, const char *tag, const char *v, const char *ref)
{
    ct_buf *b = w->out;
    size_t n = strlen(v);
    bool wrap = n == 0 || strchr(v, '\n') || strchr(v, '\r') || v[0] == ' ' || v[0] == '\t' ||
                v[n - 1] == ' ' || v[n - 1] == '\t' || strncmp(v, "<text>", 6) == 0;
    if (wrap && strstr(v, "</text>")) {
        lost(w, tag, ref);
        return;
    }
    ct_buf_printf(b, "%s: %s%s%s\n", tag, wrap ? "<text>" : "", v, wrap ? "</text>" : "");
}

static void tv_hash(wr *w, const char *alg, const char *content, void *arg)
{
    hash_state *hs = arg;
    const char *a = spdx_alg(w, alg);
    if (!a || !*content || strchr(content, '\n') || strchr(content, '\r')) {
        lost(w, "component.hashes", hs->c->bom_ref);
        return;
    }
    ct_buf_printf(w->out, "PackageChecksum: %s: %s\n", a, content);
    hs->n++;
}

static void tv_ext_ref(wr *w, const char *cat, const char *type, const char *loc,
                       const char *field, const char *ref)
{
    for (const char *p = loc; *p; p++)
        if ((unsigned char)*p <= ' ') {
            lost(w, field, ref);
            return;
        }
    if (!*loc) {
        lost(w, field, ref);
        return;
    }
    ct_buf_printf(w->out, "ExternalRef: %s %s %s\n", cat, type, loc);
}

static int write_spdx_tv(wr *w, const char *created, const char *ns)
{
    const ct_sbom *s = w->s;
    ct_buf *b = w->out;
    size_t root = w->root;

    ct_buf_printf(b, "SPDXVersion: SPDX-%s\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\n",
                  w->spdx22 ? "2.2" : "2.3");
    tv_line(w, "DocumentName", doc_name(s), NULL);
    tv_line(w, "DocumentNamespace", ns, NULL);
    ct_buf_printf(b, "Creator: Tool: cratrace\nCreated: %s\n", created);
    for (size_t i = 0; i < s->ncomponents; i++) {
        const ct_component *c = &s->components[i];
        char p[32];
        spdx_component_losses(w, c);
        ct_buf_putc(b, '\n');
        tv_line(w, "PackageName", c->name ? c->name : "", c->bom_ref);
        ct_buf_printf(b, "SPDXID: %s\n", w->ids.ids[i]);
        if (c->version)
            tv_line(w, "PackageVersion", c->version, c->bom_ref);
        if (c->supplier) {
            ct_buf sup = CT_BUF_INIT;
            ct_buf_printf(&sup, "Organization: %s", c->supplier);
            if (sup.failed)
                return oom();
            tv_line(w, "PackageSupplier", sup.ptr, c->bom_ref);
            ct_buf_dispose(&sup);
        }
        ct_buf_puts(b, "PackageDownloadLocation: NOASSERTION\nFilesAnalyzed: false\n");
        hash_state hs = { c, 0, 0 };
        each_hash(w, c, tv_hash, &hs);
        tv_line(w, "PackageLicenseConcluded", spdx_licence(w, c), c->bom_ref);
        ct_buf_puts(b, "PackageLicenseDeclared: NOASSERTION\n");
        if (w->spdx22)
            ct_buf_puts(b, "PackageCopyrightText: NOASSERTION\n");
        const char *purl = spdx_purl(w, c);
        if (purl)
            tv_ext_ref(w, "PACKAGE-MANAGER", "purl", purl, "component.purl", c->bom_ref);
        if (c->cpe)
            tv_ext_ref(w, "SECURITY", cpe_type(c->cpe), c->cpe, "component.cpe", c->bom_ref);
        if (c->type && !w->spdx22 && purpose_of(p, c->type))
            ct_buf_printf(b, "PrimaryPackagePurpose: %s\n", p);
        flush(w);
    }
    if (root == ROOT_SYNTH) {
        const char *id = w->ids.root_id;
        ct_buf_putc(b, '\n');
        tv_line(w, "PackageName", s->name, NULL);
        ct_buf_printf(b, "SPDXID: %s\n", id);
        if (s->version)
            tv_line(w, "PackageVersion", s->version, NULL);
        ct_buf_puts(b, "PackageDownloadLocation: NOASSERTION\nFilesAnalyzed: false\n"
                       "PackageLicenseConcluded: NOASSERTION\nPackageLicenseDeclared: NOASSERTION\n");
        ct_buf_puts(b, w->spdx22 ? "PackageCopyrightText: NOASSERTION\n\n"
                                 : "PrimaryPackagePurpose: APPLICATION\n\n");
        ct_buf_printf(b, "Relationship: SPDXRef-DOCUMENT DESCRIBES %s\n", id);
    } else {
        ct_buf_putc(b, '\n');
    }
    if (root != SIZE_MAX && root != ROOT_SYNTH)
        ct_buf_printf(b, "Relationship: SPDXRef-DOCUMENT DESCRIBES %s\n", w->ids.ids[root]);
    for (size_t i = 0; i < s->ndeps; i++) {
        const char *a = dep_end(w, i, s->deps[i].ref);
        const char *z = a ? dep_end(w, i, s->deps[i].depends_on) : NULL;
        if (a && z)
            ct_buf_printf(b, "Relationship: %s DEPENDS_ON %s\n", a, z);
        flush(w);
    }
    return 0;
}

/* ---- entry points ----------------------------------------------------------------------- */

int ct_sbom_write_ex(ct_buf *out, const ct_sbom *sbom, const char *format,
                     const ct_sbom_write_options *opts)
{
    static const ct_sbom_write_options defaults = CT_SBOM_WRITE_OPTIONS_INIT;
    const char *spec;
    wr w;
    int rc;

    if (!out || !sbom || !format)
        return ct_error_set(CT_EINVAL, "ct_sbom_write: NULL argument");
    memset(&w, 0, sizeof w);
    w.out = out;
    w.s = sbom;
    w.o = opts ? opts : &defaults;
    spec = w.o->spec_version;
    if (strcmp(format, "cyclonedx-json") == 0 || strcmp(format, "cyclonedx-xml") == 0) {
        static const char *const specs[] = { "1.4", "1.5", "1.6", "1.7" };
        if (!spec)
            spec = "1.6";
        if (!in_list(spec, specs, CT_NELEM(specs)))
            return ct_error_set(CT_EUNSUPPORTED,
                                "cannot write CycloneDX %.20s (1.4, 1.5, 1.6 and 1.7 can be)",
                                spec);
        if (format[10] == 'x') {
            /* flushes to the sink as it goes; the rest is handed over below */
            if ((rc = ct_sbom__write_cdx_xml(out, sbom, spec, w.o)) >= 0) {
                sink_flush(out, w.o, &w.sink_rc, true);
                if (w.sink_rc < 0)
                    rc = w.sink_rc;
            }
            return rc;
        }
        rc = write_cdx(&w, spec);
    } else if (strcmp(format, "spdx-json") == 0 || strcmp(format, "spdx-tv") == 0) {
        char created[32] = "1970-01-01T00:00:00Z";
        char *ns = NULL;
        if (spec && strncmp(spec, "SPDX-", 5) == 0)
            spec += 5;
        if (spec && strcmp(spec, "2.3") != 0 && strcmp(spec, "2.2") != 0)
            return ct_error_set(CT_EUNSUPPORTED, "cannot write SPDX %.20s (2.2 and 2.3 can be)",
                                spec);
        w.spdx22 = spec && strcmp(spec, "2.2") == 0;
        if (w.o->created != CT_TIME_NONE)
            ct_time_format(created, w.o->created);
        ns = doc_namespace(sbom);
        w.root = described(&w);
        if (!ns)
            rc = oom();
        else if ((rc = ct_spdx__ids_make(&w.ids, sbom,
                                         w.root == ROOT_SYNTH ? ct_sbom__root_ref(sbom) : NULL,
                                         w.o)) == 0)
            rc = format[5] == 'j' ? write_spdx_json(&w, created, ns)
                                  : write_spdx_tv(&w, created, ns);
        ct_free(ns);
    } else {
        return ct_error_set(CT_EUNSUPPORTED,
                            "unknown SBOM output format \"%.40s\" (cyclonedx-json, "
                            "cyclonedx-xml, spdx-json, spdx-tv)",
                            format);
    }
    ct_spdx__ids_dispose(&w.ids);
    ct_free(w.dup_edge);
    if (rc == 0 && out->failed)
        rc = oom();
    if (rc == 0)
        sink_flush(out, w.o, &w.sink_rc, true);
    if (rc == 0 && w.sink_rc < 0)
        rc = w.sink_rc;
    return rc < 0 ? rc : w.lost;
}

int ct_sbom_write(ct_buf *out, const ct_sbom *sbom, const char *format, const char *spec_version)
{
    ct_sbom_write_options o = CT_SBOM_WRITE_OPTIONS_INIT;
    o.spec_version = spec_version;
    return ct_sbom_write_ex(out, sbom, format, &o);
}

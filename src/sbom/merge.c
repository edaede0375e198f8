/* SBOM merge: compose a firmware SBOM from sub-SBOMs (bootloader, kernel, rootfs, ...) under a
 * new root, folding components with the same identity into one and keeping every edge. */
#include "cratrace/sbom_diff.h"
#include "cratrace/ident.h"
#include "sbom/model_int.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NO_IDX SIZE_MAX

static int oom(void)
{
    return ct_error_set(CT_ENOMEM, "out of memory");
}

static bool streq(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* ---- string -> index map (open addressing; keys owned, or borrowed when told) -------------- */

typedef struct {
    char *key;
    size_t val;
} slot;

typedef struct {
    slot *v;
    size_t cap, n;
    bool borrow; /* keys are the caller's (they outlive the map), not copies */
} strmap;

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 1099511628211u;
    return h;
}

static slot *map_find(const strmap *m, const char *key)
{
    if (!m->cap)
        return NULL;
    for (size_t i = (size_t)hash_str(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (!m->v[i].key)
            return &m->v[i];
        if (strcmp(m->v[i].key, key) == 0)
            return &m->v[i];
    }
}

static bool map_get(const strmap *m, const char *key, size_t *val)
{
    slot *s = map_find(m, key);
    if (!s || !s->key)
        return false;
    *val = s->val;
    return true;
}

/* key must be absent */
static int map_put(strmap *m, const char *key, size_t val)
{
    if ((m->n + 1) * 2 > m->cap) {
        strmap g = { NULL, m->cap ? m->cap * 2 : 64, 0, m->borrow };
        if (!(g.v = ct_calloc(g.cap, sizeof *g.v)))
            return oom();
        for (size_t i = 0; i < m->cap; i++)
            if (m->v[i].key) {
                *map_find(&g, m->v[i].key) = m->v[i];
                g.n++;
            }
        ct_free(m->v);
        *m = g;
    }
    slot *s = map_find(m, key);
    if (!(s->key = m->borrow ? (char *)(uintptr_t)key : ct_strdup(key)))
        return oom();
    s->val = val;
    m->n++;
    return 0;
}

static void map_free(strmap *m)
{
    for (size_t i = 0; i < m->cap && !m->borrow; i++)
        ct_free(m->v[i].key);
    ct_free(m->v);
    memset(m, 0, sizeof *m);
}

/* ---- merge state ------------------------------------------------------------------------ */

/* The merged model keeps its strings in its arena (model_int.h), as parsed models do: one
 * copy per distinct short value, edges pointing at the components' bom-refs; heap strings
 * one by one took twice the memory at 154,203 components (issue 5). */
typedef struct {
    ct_sbom *out;
    ct_sbom_intern cache; /* short output strings stored once */
    strmap ident; /* identity -> out component */
    strmap refs;  /* bom-ref in the output (borrowed: arena strings) -> out component (NO_IDX:
                   * the new root) */
    ct_dependency *edges;
    size_t nedges, edges_cap;
    ct_sbom_merge_stats st;
    ct_sbom_merge_warn_fn warn;
    void *payload;
} merger;

static void warn(merger *m, const char *kind, size_t part, const char *ref, const char *detail)
{
    if (m->warn)
        m->warn(m->payload, kind, part, ref, detail);
}

static int line_cmp(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* the hashes as "alg=content\n" lines, sorted: the same set reads the same from any format */
static int hashes_norm(ct_buf *out, const char *text)
{
    json_object *arr = text ? json_tokener_parse(text) : NULL;
    size_t n = arr && json_object_is_type(arr, json_type_array) ? json_object_array_length(arr)
                                                                : 0;
    char **lines = n ? ct_calloc(n, sizeof *lines) : NULL;
    size_t k = 0;
    int rc = 0;

    if (n && !lines)
        rc = oom();
    for (size_t i = 0; rc == 0 && i < n; i++) {
        json_object *h = json_object_array_get_idx(arr, i), *a, *c;
        ct_buf l = CT_BUF_INIT;
        if (!json_object_object_get_ex(h, "alg", &a) || !json_object_object_get_ex(h, "content", &c))
            continue;
        ct_buf_printf(&l, "%s=%s\n", json_object_get_string(a), json_object_get_string(c));
        if (l.failed || !(lines[k++] = ct_buf_detach(&l)))
            rc = oom();
        ct_buf_dispose(&l);
    }
    if (rc == 0 && k)
        qsort(lines, k, sizeof *lines, line_cmp);
    for (size_t i = 0; i < k; i++) {
        if (lines[i])
            ct_buf_puts(out, lines[i]);
        ct_free(lines[i]);
    }
    ct_free(lines);
    json_object_put(arr);
    return rc < 0 ? rc : out->failed ? oom() : 0;
}

/* "p:<canonical purl>" (an invalid purl as written), else "n:name US version US hashes" (US =
 * the 0x1f unit separator) */
static int identity(ct_buf *out, const ct_component *c)
{
    ct_buf_reset(out);
    if (c->purl && *c->purl) {
        ct_buf_puts(out, "p:");
        int rc = ct_purl_validate(out, c->purl, strlen(c->purl), 0);
        if (rc == CT_ENOMEM)
            return rc;
        if (rc < 0) {
            ct_error_clear();
            ct_buf_reset(out);
            ct_buf_puts(out, "p:");
            ct_buf_puts(out, c->purl);
        }
        return out->failed ? oom() : 0;
    }
    ct_buf_printf(out, "n:%s\x1f%s\x1f", c->name ? c->name : "", c->version ? c->version : "");
    return hashes_norm(out, c->hashes);
}

static bool same_hashes(const char *a, const char *b, int *rc)
{
    ct_buf x = CT_BUF_INIT, y = CT_BUF_INIT;
    bool same = true;
    if (a && b && !streq(a, b)) {
        if ((*rc = hashes_norm(&x, a)) == 0 && (*rc = hashes_norm(&y, b)) == 0)
            same = strcmp(x.ptr, y.ptr) == 0;
    }
    ct_buf_dispose(&x);
    ct_buf_dispose(&y);
    return same;
}

/* a bom-ref no other output component has: want, else want-part<N>[-<k>] */
static int unique_ref(char **out, merger *m, const char *want, size_t part, size_t idx)
{
    ct_buf b = CT_BUF_INIT;
    size_t dummy;
    int rc;

    ct_buf_puts(&b, want);
    for (unsigned k = 1; !b.failed && map_get(&m->refs, b.ptr, &dummy); k++) {
        ct_buf_reset(&b);
        ct_buf_printf(&b, k == 1 ? "%s-part%zu" : "%s-part%zu-%u", want, part + 1, k);
    }
    if (b.failed) {
        ct_buf_dispose(&b);
        return oom();
    }
    if (strcmp(b.ptr, want) != 0) {
        m->st.renamed++;
        warn(m, "renamed", part, want, b.ptr);
    }
    if (!(*out = ct_sbom__arena_strndup(m->out, b.ptr, b.len)))
        rc = oom();
    else
        rc = map_put(&m->refs, *out, idx);
    ct_buf_dispose(&b);
    return rc;
}

/* *dst = a copy of src in the output's arena (NULL stays NULL) */
static int copy_str(merger *m, char **dst, const char *src)
{
    if (!src)
        return 0;
    return (*dst = ct_sbom__arena_str(m->out, &m->cache, src, strlen(src))) ? 0 : oom();
}

/* fields the kept component lacks are taken from its duplicate */
static int fill_missing(merger *m, ct_component *k, const ct_component *c)
{
    int rc = 0;
    if (!k->hashes)
        rc = copy_str(m, &k->hashes, c->hashes);
    if (rc == 0 && !k->licenses)
        rc = copy_str(m, &k->licenses, c->licenses);
    if (rc == 0 && !k->supplier)
        rc = copy_str(m, &k->supplier, c->supplier);
    if (rc == 0 && !k->cpe)
        rc = copy_str(m, &k->cpe, c->cpe);
    return rc;
}

/* *idx_out gets the output component c became or was folded into; *dropped whether folded */
static int add_component(size_t *idx_out, bool *dropped, merger *m, size_t part,
                         const ct_component *c, uint32_t depth)
{
    ct_buf key = CT_BUF_INIT;
    ct_sbom *o = m->out;
    size_t idx;
    int rc;

    *dropped = false;
    if ((rc = identity(&key, c)) < 0)
        goto done;
    if (map_get(&m->ident, key.ptr, &idx)) {
        ct_component *k = &o->components[idx];
        *dropped = true;
        m->st.collapsed++;
        if (key.ptr[0] == 'p' && !same_hashes(k->hashes, c->hashes, &rc)) {
            m->st.conflicts++;
            warn(m, "conflict", part, c->bom_ref, c->purl);
        }
        if (rc == 0 && !k->bom_ref && c->bom_ref)
            rc = unique_ref(&k->bom_ref, m, c->bom_ref, part, idx);
        if (rc == 0)
            rc = fill_missing(m, k, c);
        *idx_out = idx;
        goto done;
    }
    if (o->ncomponents == o->components_cap) {
        size_t ncap = o->components_cap ? o->components_cap * 2 : 64;
        ct_component *nc = ct_reallocarray(o->components, ncap, sizeof *nc);
        if (!nc) {
            rc = oom();
            goto done;
        }
        o->components = nc;
        o->components_cap = ncap;
    }
    idx = o->ncomponents;
    ct_component *n = &o->components[o->ncomponents++];
    memset(n, 0, sizeof *n);
    n->depth = depth;
    if ((rc = copy_str(m, &n->type, c->type)) < 0 ||
        (rc = copy_str(m, &n->group, c->group)) < 0 || (rc = copy_str(m, &n->name, c->name)) < 0 ||
        (rc = copy_str(m, &n->version, c->version)) < 0 ||
        (rc = copy_str(m, &n->purl, c->purl)) < 0 || (rc = copy_str(m, &n->cpe, c->cpe)) < 0 ||
        (rc = copy_str(m, &n->supplier, c->supplier)) < 0 ||
        (rc = copy_str(m, &n->hashes, c->hashes)) < 0 ||
        (rc = copy_str(m, &n->licenses, c->licenses)) < 0)
        goto done;
    if (c->bom_ref && (rc = unique_ref(&n->bom_ref, m, c->bom_ref, part, idx)) < 0)
        goto done;
    if ((rc = map_put(&m->ident, key.ptr, idx)) < 0)
        goto done;
    *idx_out = idx;
done:
    ct_buf_dispose(&key);
    return rc;
}

/* from and to are output strings (arena): the edge points at them */
static int add_edge(merger *m, const char *from, const char *to)
{
    if (!from || !to || strcmp(from, to) == 0)
        return 0;
    if (m->nedges == m->edges_cap) {
        size_t ncap = m->edges_cap ? m->edges_cap * 2 : 64;
        ct_dependency *ne = ct_reallocarray(m->edges, ncap, sizeof *ne);
        if (!ne)
            return oom();
        m->edges = ne;
        m->edges_cap = ncap;
    }
    ct_dependency *d = &m->edges[m->nedges];
    d->ref = (char *)(uintptr_t)from;
    d->depends_on = (char *)(uintptr_t)to;
    m->nedges++;
    return 0;
}

/* The one dependency ref that names no component: CycloneDX metadata.component's bom-ref (the
 * model keeps the root's name and version, not its ref). NULL when none or several. */
static const char *root_ref(const ct_sbom *s, const strmap *local)
{
    const char *root = NULL;
    size_t k;
    for (size_t i = 0; i < s->ndeps; i++) {
        const char *r = s->deps[i].ref;
        if ((root && strcmp(r, root) == 0) || map_get(local, r, &k))
            continue;
        if (root)
            return NULL;
        root = r;
    }
    return root;
}

typedef struct {
    const ct_sbom *p;
    size_t part;
    strmap local;       /* part bom-ref -> part component */
    size_t *out_idx;    /* part component -> output component */
    const char *rr;     /* root_ref */
    size_t root;        /* output component of the part's root */
} part_ctx;

/* the output bom-ref an edge end of the part names, NULL when dangling */
static const char *edge_end(merger *m, part_ctx *pc, const char *ref)
{
    size_t k;
    if (map_get(&pc->local, ref, &k))
        return m->out->components[pc->out_idx[k]].bom_ref;
    if (streq(ref, pc->rr) || strcmp(ref, "SPDXRef-DOCUMENT") == 0)
        return m->out->components[pc->root].bom_ref;
    return NULL;
}

/* a new root for a part whose document names no component as its root (CycloneDX
 * metadata.component, or no root at all): bom-ref from the dependency graph when it has one */
static int synth_root(merger *m, part_ctx *pc)
{
    const ct_sbom *p = pc->p;
    ct_component r;
    char name[32];
    ct_buf ref = CT_BUF_INIT;
    bool dropped;
    int rc;

    snprintf(name, sizeof name, "part-%zu", pc->part + 1);
    memset(&r, 0, sizeof r);
    r.type = (char *)(uintptr_t) "application";
    r.name = p->name ? p->name : name;
    r.version = p->version;
    if (pc->rr)
        ct_buf_puts(&ref, pc->rr);
    else
        ct_buf_printf(&ref, "%s%s%s", r.name, r.version ? "@" : "", r.version ? r.version : "");
    if (ref.failed)
        return oom();
    r.bom_ref = ref.ptr;
    rc = add_component(&pc->root, &dropped, m, pc->part, &r, 0);
    ct_buf_dispose(&ref);
    return rc;
}

/* components in document order; a folded component's nested subtree moves up one level */
static int part_components(merger *m, part_ctx *pc)
{
    const ct_sbom *p = pc->p;
    uint32_t *stack_depth = ct_calloc(p->ncomponents + 1, sizeof *stack_depth);
    bool *stack_drop = ct_calloc(p->ncomponents + 1, sizeof *stack_drop);
    size_t top = 0, ndropped = 0;
    int rc = 0;

    if (!stack_depth || !stack_drop)
        rc = oom();
    for (size_t k = 0; rc == 0 && k < p->ncomponents; k++) {
        const ct_component *c = &p->components[k];
        bool dropped;
        while (top > 0 && stack_depth[top - 1] >= c->depth)
            ndropped -= stack_drop[--top];
        uint32_t depth = c->depth >= ndropped ? (uint32_t)(c->depth - ndropped) : 0;
        rc = add_component(&pc->out_idx[k], &dropped, m, pc->part, c, depth);
        stack_depth[top] = c->depth;
        stack_drop[top++] = dropped;
        ndropped += dropped;
    }
    ct_free(stack_depth);
    ct_free(stack_drop);
    return rc;
}

/* a root made here depends on the part's top-level components no edge points to */
static int synth_edges(merger *m, part_ctx *pc)
{
    const ct_sbom *p = pc->p;
    strmap targets = { NULL, 0, 0, true }; /* keys: the part's strings */
    size_t k;
    int rc = 0;

    for (size_t i = 0; rc == 0 && i < p->ndeps; i++)
        if (!map_get(&targets, p->deps[i].depends_on, &k))
            rc = map_put(&targets, p->deps[i].depends_on, i);
    for (size_t i = 0; rc == 0 && i < p->ncomponents; i++) {
        const ct_component *c = &p->components[i];
        if (c->depth == 0 && !(c->bom_ref && map_get(&targets, c->bom_ref, &k)))
            rc = add_edge(m, m->out->components[pc->root].bom_ref,
                          m->out->components[pc->out_idx[i]].bom_ref);
    }
    map_free(&targets);
    return rc;
}

static int part_edges(merger *m, part_ctx *pc)
{
    const ct_sbom *p = pc->p;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < p->ndeps; i++) {
        const char *from = edge_end(m, pc, p->deps[i].ref);
        const char *to = edge_end(m, pc, p->deps[i].depends_on);
        if (!from || !to) {
            m->st.dangling++;
            warn(m, "dangling", pc->part, from ? p->deps[i].depends_on : p->deps[i].ref,
                 "names no component of its document; edge dropped");
            continue;
        }
        rc = add_edge(m, from, to);
    }
    return rc;
}

static int merge_part(merger *m, const ct_sbom *p, size_t part, const char *root_ref_out)
{
    part_ctx pc;
    size_t rootk = NO_IDX, k;
    int rc = 0;

    memset(&pc, 0, sizeof pc);
    pc.local.borrow = true; /* keys: the part's bom-refs */
    pc.p = p;
    pc.part = part;
    if (p->ncomponents && !(pc.out_idx = ct_calloc(p->ncomponents, sizeof *pc.out_idx)))
        return oom();
    for (size_t i = 0; rc == 0 && i < p->ncomponents; i++) {
        const char *r = p->components[i].bom_ref;
        if (r && !map_get(&pc.local, r, &k))
            rc = map_put(&pc.local, r, i);
    }
    pc.rr = rc == 0 ? root_ref(p, &pc.local) : NULL;
    for (size_t i = 0; p->name && i < p->ncomponents && rootk == NO_IDX; i++)
        if (streq(p->components[i].name, p->name) && streq(p->components[i].version, p->version))
            rootk = i;
    if (rc == 0 && rootk == NO_IDX)
        rc = synth_root(m, &pc);
    if (rc == 0)
        rc = part_components(m, &pc);
    if (rc == 0 && rootk != NO_IDX)
        pc.root = pc.out_idx[rootk];
    if (rc == 0)
        rc = part_edges(m, &pc);
    if (rc == 0 && rootk == NO_IDX && !pc.rr)
        rc = synth_edges(m, &pc);
    if (rc == 0)
        rc = add_edge(m, root_ref_out, m->out->components[pc.root].bom_ref);
    map_free(&pc.local);
    ct_free(pc.out_idx);
    return rc;
}

static int edge_cmp(const void *x, const void *y)
{
    const ct_dependency *a = x, *b = y;
    int c = strcmp(a->ref, b->ref);
    return c ? c : strcmp(a->depends_on, b->depends_on);
}

/* sorted by (ref, depends_on) without repeats: the writers group edges by consecutive ref */
static void finish_edges(merger *m)
{
    size_t n = 0;
    if (m->nedges)
        qsort(m->edges, m->nedges, sizeof *m->edges, edge_cmp);
    for (size_t i = 0; i < m->nedges; i++) {
        if (n && edge_cmp(&m->edges[n - 1], &m->edges[i]) == 0)
            continue; /* a repeat (its strings are the arena's) */
        m->edges[n++] = m->edges[i];
    }
    m->out->deps = m->edges;
    m->out->ndeps = n;
    m->out->deps_cap = m->edges_cap;
    m->edges = NULL;
    m->nedges = m->edges_cap = 0;
}

int ct_sbom_merge(ct_sbom **out, const ct_sbom *const *parts, size_t nparts, const char *name,
                  const char *version, ct_sbom_merge_stats *stats, ct_sbom_merge_warn_fn warn_fn,
                  void *payload)
{
    merger m;
    ct_buf root = CT_BUF_INIT;
    const char *root_ref = NULL;
    int rc = 0;

    if (!out || !parts || !nparts || !name || !*name)
        return ct_error_set(CT_EINVAL, "sbom merge: needs at least one part and a root name");
    *out = NULL;
    memset(&m, 0, sizeof m);
    m.warn = warn_fn;
    m.payload = payload;
    m.refs.borrow = true;
    if (!(m.out = ct_calloc(1, sizeof *m.out)) || copy_str(&m, &m.out->name, name) < 0 ||
        copy_str(&m, &m.out->version, version) < 0) {
        rc = oom();
        goto done;
    }
    /* the new root's bom-ref is taken first, so only parts get renamed */
    ct_buf_printf(&root, "%s%s%s", name, version ? "@" : "", version ? version : "");
    if (root.failed || !(root_ref = ct_sbom__arena_strndup(m.out, root.ptr, root.len))) {
        rc = oom();
        goto done;
    }
    if ((rc = map_put(&m.refs, root_ref, NO_IDX)) < 0)
        goto done;
    for (size_t i = 0; rc == 0 && i < nparts; i++) {
        m.st.components_in += parts[i]->ncomponents;
        rc = merge_part(&m, parts[i], i, root_ref);
    }
    if (rc < 0)
        goto done;
    finish_edges(&m);
    if (stats)
        *stats = m.st;
    *out = m.out;
    m.out = NULL;
done:
    ct_free(m.edges); /* the edges' strings are the arena's */
    ct_sbom_free(m.out);
    map_free(&m.ident);
    map_free(&m.refs);
    ct_buf_dispose(&root);
    return rc;
}

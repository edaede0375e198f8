/* SPDX identifiers for the SPDX writers: one valid (SPDX 2.3 §3.2 / §7.2:
 * "SPDXRef-"[A-Za-z0-9.-]+), unique id per package, made deterministically from the model's
 * bom_refs; renames are reported; dependency ends are mapped through the same table. */
#include "sbom/spdx_int.h"

#include <stdlib.h>
#include <string.h>

#define ID_MAX 200 /* bytes of a made id before a uniqueness suffix */

static bool id_char_ok(char c)
{
    return ct_ascii_isalnum(c) || c == '.' || c == '-';
}

bool ct_spdx__id_ok(const char *s)
{
    if (!s || strncmp(s, "SPDXRef-", 8) != 0 || !s[8])
        return false;
    for (const char *p = s + 8; *p; p++)
        if (!id_char_ok(*p))
            return false;
    return true;
}

/* DocumentRef-[A-Za-z0-9.-]+:SPDXRef-[A-Za-z0-9.-]+ (an element of another document) */
static bool external_ok(const char *s)
{
    const char *colon = strchr(s, ':');
    if (strncmp(s, "DocumentRef-", 12) != 0 || !colon || colon == s + 12)
        return false;
    for (const char *p = s + 12; p < colon; p++)
        if (!id_char_ok(*p))
            return false;
    return ct_spdx__id_ok(colon + 1);
}

static uint32_t hash_str(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* the taken-id set: open addressing over the ids made so far (borrowed strings) */
static const char **slot_of(const ct_spdx_ids *t, const char *id)
{
    size_t mask = t->nset - 1, i = hash_str(id) & mask;
    while (t->set[i] && strcmp(t->set[i], id) != 0)
        i = (i + 1) & mask;
    return &t->set[i];
}

static bool taken(const ct_spdx_ids *t, const char *id)
{
    return *slot_of(t, id) != NULL;
}

/* A made id's base (before any "-k") and the suffix its next clash starts from: every
 * candidate below it is taken already (the set only grows), so a bom_ref repeated n times
 * costs n probes, not n^2 / 2 (spdxfast). */
struct ct_spdx_base {
    char *base; /* NEW */
    unsigned next;
};

/* The entry of base (a free one, base NULL, when it has none yet); NULL when out of memory. */
static struct ct_spdx_base *base_of(ct_spdx_ids *t, const char *base)
{
    size_t mask, i;
    if (t->nbases * 2 >= t->bases_cap) {
        size_t ncap = t->bases_cap ? t->bases_cap * 2 : 64;
        struct ct_spdx_base *nb = ct_calloc(ncap, sizeof *nb);
        if (!nb)
            return NULL;
        for (size_t j = 0; j < t->bases_cap; j++) {
            if (!t->bases[j].base)
                continue;
            for (i = hash_str(t->bases[j].base) & (ncap - 1); nb[i].base; i = (i + 1) & (ncap - 1))
                ;
            nb[i] = t->bases[j];
        }
        ct_free(t->bases);
        t->bases = nb;
        t->bases_cap = ncap;
    }
    mask = t->bases_cap - 1;
    for (i = hash_str(base) & mask; t->bases[i].base && strcmp(t->bases[i].base, base) != 0;
         i = (i + 1) & mask)
        ;
    return &t->bases[i];
}

/* raw made valid: "SPDXRef-" + its tail sanitised when it has that prefix, else
 * "SPDXRef-<prefix><i>-" + raw sanitised; then "-2", "-3", ... until no other id has it.
 * NEW (added to the set), NULL when out of memory. */
static char *make_unique(ct_spdx_ids *t, const char *prefix, size_t i, const char *raw)
{
    ct_buf b = CT_BUF_INIT;
    const char *p = raw ? raw : "";
    struct ct_spdx_base *e;
    unsigned k = 2;
    if (strncmp(p, "SPDXRef-", 8) == 0 && p[8]) {
        ct_buf_puts(&b, "SPDXRef-");
        p += 8;
    } else {
        ct_buf_printf(&b, "SPDXRef-%s%zu-", prefix, i);
    }
    for (; *p && b.len < ID_MAX; p++)
        ct_buf_putc(&b, id_char_ok(*p) ? *p : '-');
    size_t base = b.len;
    if (b.failed || !(e = base_of(t, b.ptr))) {
        ct_buf_dispose(&b);
        return NULL;
    }
    if (e->base) { /* made before: base and every suffix below e->next are taken */
        k = e->next;
        ct_buf_printf(&b, "-%u", k++);
    } else if (!(e->base = ct_strdup(b.ptr))) {
        ct_buf_dispose(&b);
        return NULL;
    } else {
        t->nbases++;
    }
    for (; !b.failed && taken(t, b.ptr); k++) {
        b.len = base;
        b.ptr[base] = '\0';
        ct_buf_printf(&b, "-%u", k);
    }
    if (b.failed) {
        ct_buf_dispose(&b);
        return NULL;
    }
    /* the id given is base (k still 2) or base-(k - 1): the next clash tries k first */
    e->next = k;
    char *id = ct_buf_detach(&b);
    if (id)
        *slot_of(t, id) = id;
    return id;
}

/* by bom_ref, then model order: the first component of a repeated bom_ref comes first */
static int cmp_byref(const void *a, const void *b)
{
    const ct_spdx_byref *x = a, *y = b;
    int c = strcmp(x->ref, y->ref);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

static void renamed(const ct_sbom_write_options *o, const char *from, const char *to)
{
    if (o && o->renamed && from && strcmp(from, to) != 0)
        o->renamed(o->payload, from, to);
}

int ct_spdx__ids_make(ct_spdx_ids *t, const ct_sbom *s, const char *root_ref,
                      const ct_sbom_write_options *o)
{
    size_t n = s->ncomponents, want = 16;
    memset(t, 0, sizeof *t);
    t->s = s;
    while (want < 2 * (n + 1))
        want *= 2;
    t->nset = want;
    if (!(t->set = ct_calloc(want, sizeof *t->set)) ||
        (n && (!(t->ids = ct_calloc(n, sizeof *t->ids)) ||
               !(t->byref = ct_calloc(n, sizeof *t->byref)))))
        return ct_error_set(CT_ENOMEM, "out of memory");
    /* valid bom_refs are kept, each by the first component that has it */
    for (size_t i = 0; i < n; i++) {
        const char *r = s->components[i].bom_ref;
        if (ct_spdx__id_ok(r) && !taken(t, r)) {
            if (!(t->ids[i] = ct_strdup(r)))
                return ct_error_set(CT_ENOMEM, "out of memory");
            *slot_of(t, t->ids[i]) = t->ids[i];
        }
    }
    if (root_ref && ct_spdx__id_ok(root_ref) && !taken(t, root_ref)) {
        if (!(t->root_id = ct_strdup(root_ref)))
            return ct_error_set(CT_ENOMEM, "out of memory");
        *slot_of(t, t->root_id) = t->root_id;
    }
    /* then every other id is made, in model order */
    for (size_t i = 0; i < n; i++) {
        const ct_component *c = &s->components[i];
        if (!t->ids[i]) {
            if (!(t->ids[i] = make_unique(t, "C", i, c->bom_ref ? c->bom_ref : c->name)))
                return ct_error_set(CT_ENOMEM, "out of memory");
            renamed(o, c->bom_ref, t->ids[i]);
        }
        if (c->bom_ref)
            t->byref[t->nbyref++] = (ct_spdx_byref){ c->bom_ref, i };
    }
    if (root_ref && !t->root_id) {
        if (!(t->root_id = make_unique(t, "R", 0, root_ref)))
            return ct_error_set(CT_ENOMEM, "out of memory");
        renamed(o, root_ref, t->root_id);
    }
    t->root_ref = root_ref;
    if (t->nbyref > 1) /* byref is NULL without components */
        qsort(t->byref, t->nbyref, sizeof *t->byref, cmp_byref);
    return 0;
}

const char *ct_spdx__ids_ref(const ct_spdx_ids *t, const char *ref)
{
    size_t lo = 0, hi = t->nbyref;
    if (!ref)
        return NULL;
    while (lo < hi) { /* the first component with that bom_ref */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(t->byref[mid].ref, ref) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < t->nbyref && strcmp(t->byref[lo].ref, ref) == 0)
        return t->ids[t->byref[lo].i];
    if (t->root_ref && strcmp(ref, t->root_ref) == 0)
        return t->root_id;
    if (strcmp(ref, "NONE") == 0 || strcmp(ref, "NOASSERTION") == 0 || external_ok(ref))
        return ref;
    return NULL;
}

void ct_spdx__ids_dispose(ct_spdx_ids *t)
{
    if (t->ids)
        for (size_t i = 0; i < t->s->ncomponents; i++)
            ct_free(t->ids[i]);
    ct_free(t->ids);
    ct_free(t->byref);
    ct_free(t->root_id);
    ct_free(t->set);
    for (size_t i = 0; i < t->bases_cap; i++)
        ct_free(t->bases[i].base);
    ct_free(t->bases);
    memset(t, 0, sizeof *t);
}

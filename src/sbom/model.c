/* The model's memory: the string arena of parsed models, ct_sbom_free, and the setters that let
 * callers edit a parsed model whichever way its strings are allocated (issue 5). */
#include "cratrace/sbom.h"
#include "sbom/model_int.h"

#include <string.h>

/* A list of blocks, the newest first; strings are packed byte by byte (no alignment, no
 * per-string header). Blocks grow from 16 KiB to 1 MiB so a small SBOM stays small; a string
 * longer than a quarter block gets a block of its own, linked behind the current one so the
 * current block keeps filling. */
struct ct_sbom_arena {
    struct ct_sbom_arena *next;
    size_t used, cap;
    char data[];
};

#define ARENA_MIN ((size_t)16 << 10)
#define ARENA_MAX ((size_t)1 << 20)

static void arena_free(struct ct_sbom_arena *a)
{
    while (a) {
        struct ct_sbom_arena *next = a->next;
        ct_free(a);
        a = next;
    }
}

char *ct_sbom__arena_strndup(ct_sbom *sb, const char *s, size_t n)
{
    struct ct_sbom_arena *a = sb->arena, *b;
    char *d;
    if (n >= SIZE_MAX / 2)
        return NULL;
    if (!a || a->cap - a->used < n + 1) {
        size_t cap = a ? a->cap * 2 : ARENA_MIN;
        bool own = false;
        if (cap > ARENA_MAX)
            cap = ARENA_MAX;
        if (n + 1 > cap / 4) {
            cap = n + 1; /* a block of its own */
            own = true;
        }
        if (!(b = ct_malloc(sizeof *b + cap)))
            return NULL;
        b->used = 0;
        b->cap = cap;
        if (a && own) {
            b->next = a->next;
            a->next = b;
        } else {
            b->next = a;
            sb->arena = b;
        }
        a = b;
    }
    d = a->data + a->used;
    memcpy(d, s, n);
    d[n] = '\0';
    a->used += n + 1;
    return d;
}

char *ct_sbom__arena_str(ct_sbom *sb, ct_sbom_intern *cache, const char *s, size_t n)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    const char **slot;
    char *d;
    if (n > CT_SBOM_INTERN_MAX)
        return ct_sbom__arena_strndup(sb, s, n);
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    slot = &cache->slot[h % CT_SBOM_INTERN_SLOTS];
    if (*slot && strncmp(*slot, s, n) == 0 && (*slot)[n] == '\0')
        return (char *)(uintptr_t)*slot;
    if ((d = ct_sbom__arena_strndup(sb, s, n)))
        *slot = d;
    return d;
}

static void component_release(ct_component *c)
{
    ct_free(c->bom_ref);
    ct_free(c->type);
    ct_free(c->group);
    ct_free(c->name);
    ct_free(c->version);
    ct_free(c->purl);
    ct_free(c->cpe);
    ct_free(c->supplier);
    ct_free(c->hashes);
    ct_free(c->licenses);
}

void ct_sbom_free(ct_sbom *s)
{
    if (!s)
        return;
    if (s->arena) { /* every string is in the arena */
        arena_free(s->arena);
        ct_free(s->components);
        ct_free(s->deps);
        ct_free(s);
        return;
    }
    for (size_t i = 0; i < s->ncomponents; i++)
        component_release(&s->components[i]);
    for (size_t i = 0; i < s->ndeps; i++) {
        ct_free(s->deps[i].ref);
        ct_free(s->deps[i].depends_on);
    }
    ct_free(s->components);
    ct_free(s->deps);
    ct_free(s->format);
    ct_free(s->spec_version);
    ct_free(s->serial_number);
    ct_free(s->name);
    ct_free(s->version);
    ct_free(s);
}

int ct_sbom_set_str(ct_sbom *sbom, char **field, const char *value)
{
    char *d = NULL;
    if (!sbom || !field)
        return ct_error_set(CT_EINVAL, "ct_sbom_set_str: NULL argument");
    if (value) {
        d = sbom->arena ? ct_sbom__arena_strndup(sbom, value, strlen(value)) : ct_strdup(value);
        if (!d)
            return ct_error_set(CT_ENOMEM, "out of memory");
    }
    /* an arena string may be shared with other fields (sbom.h): it stays where it is */
    if (!sbom->arena)
        ct_free(*field);
    *field = d;
    return 0;
}

int ct_sbom_component_remove(ct_sbom *sbom, size_t i)
{
    if (!sbom || i >= sbom->ncomponents)
        return ct_error_set(CT_EINVAL, "ct_sbom_component_remove: no component %zu", i);
    if (!sbom->arena)
        component_release(&sbom->components[i]);
    memmove(&sbom->components[i], &sbom->components[i + 1],
            (sbom->ncomponents - i - 1) * sizeof *sbom->components);
    sbom->ncomponents--;
    return 0;
}

int ct_sbom_component_add(ct_component **out, ct_sbom *sbom)
{
    if (!out || !sbom)
        return ct_error_set(CT_EINVAL, "ct_sbom_component_add: NULL argument");
    *out = NULL;
    if (sbom->ncomponents == sbom->components_cap) {
        size_t ncap = sbom->components_cap ? sbom->components_cap * 2 : 16;
        ct_component *nc = ct_reallocarray(sbom->components, ncap, sizeof *nc);
        if (!nc)
            return ct_error_set(CT_ENOMEM, "out of memory");
        sbom->components = nc;
        sbom->components_cap = ncap;
    }
    *out = &sbom->components[sbom->ncomponents++];
    memset(*out, 0, sizeof **out);
    return 0;
}

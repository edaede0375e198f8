/* The model's memory: the string arena of parsed models, ct_sbom_free, and the setters that let
 * callers edit a parsed model whichever way its strings are allocated (issue 5). */
#include "cratrace/sbom.h"
#include "sbom/model_int.h"
#include "base/bigmem.h"

#include <string.h>

/* A list of blocks, the newest first; strings are packed byte by byte (no alignment, no
 * per-string header). Blocks grow from 16 KiB to 1 MiB so a small SBOM stays small; a string
 * longer than a quarter block gets a block of its own, linked behind the current one so the
 * current block keeps filling. */
struct ct_sbom_arena {
    struct ct_sbom_arena *next;
    size_t used, cap;
    size_t open;   /* bytes of the open string after used (ct_sbom__arena_put) */
    size_t total;  /* head block: bytes of all blocks (CT_SBOM_ARENA_HUGE's budget) */
    size_t expect; /* head block: string bytes expected (ct_sbom__arena_setup) */
    uint8_t flags; /* ARENA_BIGBLOCK for this block; the model's CT_SBOM_ARENA_* policy */
    void *side;    /* head block: what a reader keeps beside the model (ct_sbom__arena_attach) */
    void (*side_free)(void *);
    char data[];
};

#define ARENA_BIGBLOCK 0x80u /* this block is a ct_bigmem block */
#define ARENA_MODEL_FLAGS (CT_SBOM_ARENA_HUGE | CT_SBOM_ARENA_BIGARRAYS)

#define ARENA_MIN ((size_t)16 << 10)
#define ARENA_MAX ((size_t)1 << 20)

static void arena_free(struct ct_sbom_arena *a)
{
    while (a) {
        struct ct_sbom_arena *next = a->next;
        if (a->flags & ARENA_BIGBLOCK)
            ct_bigmem_free(a);
        else
            ct_free(a);
        a = next;
    }
}

/* A block of at least cap bytes for the arena whose head is head (NULL: none yet; its policy
 * and budget are carried over): with CT_SBOM_ARENA_HUGE a block of ARENA_MAX bytes or more is
 * a ct_bigmem block (2 MiB, huge-page advised; its slack is used) while at least 3/4 of it is
 * expected to be filled (a huge page is resident as a whole). NULL when out of memory. */
static struct ct_sbom_arena *block_new(size_t cap, const struct ct_sbom_arena *head)
{
    struct ct_sbom_arena *b;
    uint8_t flags = head ? (uint8_t)(head->flags & ARENA_MODEL_FLAGS) : 0u;
    size_t total = head ? head->total : 0, expect = head ? head->expect : 0;
    void *side = head ? head->side : NULL;
    void (*side_free)(void *) = head ? head->side_free : NULL;
    if ((flags & CT_SBOM_ARENA_HUGE) && cap >= ARENA_MAX && cap < SIZE_MAX / 2 &&
        total < expect && expect - total >= (ARENA_MAX / 2) * 3) {
        if (!(b = ct_bigmem_alloc(sizeof *b + cap)))
            return NULL;
        cap = ct_bigmem_usable(b) - sizeof *b;
        flags |= ARENA_BIGBLOCK;
    } else if (!(b = ct_malloc(sizeof *b + cap))) {
        return NULL;
    }
    b->next = NULL;
    b->used = 0;
    b->open = 0;
    b->cap = cap;
    b->flags = flags;
    b->total = total + cap;
    b->expect = expect;
    b->side = side; /* the head's; a block that becomes the head carries it on */
    b->side_free = side_free;
    return b;
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
        if (!(b = block_new(cap, a)))
            return NULL;
        if (a && own) {
            a->total = b->total; /* a stays the head */
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

int ct_sbom__arena_setup(ct_sbom *sb, unsigned flags)
{
    return ct_sbom__arena_setup_expect(sb, flags, SIZE_MAX);
}

int ct_sbom__arena_setup_expect(ct_sbom *sb, unsigned flags, size_t expect)
{
    struct ct_sbom_arena policy, *b;
    memset(&policy, 0, sizeof policy);
    policy.flags = (uint8_t)(flags & ARENA_MODEL_FLAGS);
    policy.expect = expect;
    if (sb->arena) {
        sb->arena->flags = (uint8_t)((sb->arena->flags & ~ARENA_MODEL_FLAGS) | policy.flags);
        sb->arena->expect = expect;
        return 0;
    }
    if (!(b = block_new(flags & CT_SBOM_ARENA_HUGE ? ARENA_MAX : ARENA_MIN, &policy)))
        return CT_ENOMEM;
    sb->arena = b;
    return 0;
}

int ct_sbom__arena_attach(ct_sbom *sb, void *side, void (*side_free)(void *))
{
    if (!sb->arena || sb->arena->side)
        return CT_EINVAL;
    sb->arena->side = side;
    sb->arena->side_free = side_free;
    return 0;
}

void *ct_sbom__arena_attached(const ct_sbom *sb, void (*side_free)(void *))
{
    return sb && sb->arena && sb->arena->side_free == side_free ? sb->arena->side : NULL;
}

size_t ct_sbom__arena_big_blocks(const ct_sbom *sb)
{
    size_t n = 0;
    for (const struct ct_sbom_arena *a = sb->arena; a; a = a->next)
        n += (a->flags & ARENA_BIGBLOCK) != 0;
    return n;
}

bool ct_sbom__arrays_big(const ct_sbom *sb)
{
    return sb->arena && (sb->arena->flags & CT_SBOM_ARENA_BIGARRAYS);
}

int ct_sbom__arena_put(ct_sbom *sb, const char *s, size_t n)
{
    struct ct_sbom_arena *a = sb->arena, *b;
    if (!a || n >= SIZE_MAX / 4 || a->open >= SIZE_MAX / 4)
        return CT_ENOMEM;
    if (a->cap - a->used - a->open < n + 1) {
        /* the open string moves to a new head block big enough for it and n more */
        size_t need = a->open + n + 1, cap = a->cap * 2;
        if (cap > ARENA_MAX)
            cap = ARENA_MAX;
        while (cap < need)
            cap *= 2;
        if (!(b = block_new(cap, a)))
            return CT_ENOMEM;
        memcpy(b->data, a->data + a->used, a->open);
        b->open = a->open;
        a->open = 0;
        b->next = a;
        sb->arena = a = b;
    }
    memcpy(a->data + a->used + a->open, s, n);
    a->open += n;
    return 0;
}

size_t ct_sbom__arena_open_len(const ct_sbom *sb)
{
    return sb->arena ? sb->arena->open : 0;
}

char *ct_sbom__arena_close(ct_sbom *sb, ct_sbom_intern *cache)
{
    struct ct_sbom_arena *a = sb->arena;
    size_t n;
    char *d;
    if (!a)
        return NULL;
    n = a->open;
    d = a->data + a->used;
    d[n] = '\0'; /* put keeps room for it */
    a->open = 0;
    if (cache && n <= CT_SBOM_INTERN_MAX) {
        /* a cheap hash of the length and the first and last (up to) 8 bytes */
        uint64_t h = 0, t = 0;
        const char **slot;
        memcpy(&h, d, n < 8 ? n : 8);
        if (n > 8)
            memcpy(&t, d + n - 8, 8);
        h = (h * 0x9E3779B97F4A7C15ull) ^ (t * 0xC2B2AE3D27D4EB4Full) ^ n;
        h ^= h >> 29;
        slot = &cache->slot[(size_t)((h * 0x165667B19E3779F9ull) >> 32) % CT_SBOM_INTERN_SLOTS];
        if (*slot && (*slot)[0] == d[0] && strncmp(*slot, d, n) == 0 && (*slot)[n] == '\0')
            return (char *)(uintptr_t)*slot; /* the open bytes are given back */
        *slot = d;
    }
    a->used += n + 1;
    return d;
}

void ct_sbom__arena_drop(ct_sbom *sb)
{
    if (sb->arena)
        sb->arena->open = 0;
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
        bool big = (s->arena->flags & CT_SBOM_ARENA_BIGARRAYS) != 0;
        if (s->arena->side && s->arena->side_free)
            s->arena->side_free(s->arena->side);
        arena_free(s->arena);
        if (big) {
            ct_bigmem_free(s->components);
            ct_bigmem_free(s->deps);
        } else {
            ct_free(s->components);
            ct_free(s->deps);
        }
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
        ct_component *nc = ct_sbom__arrays_big(sbom)
                               ? ct_bigmem_realloc(sbom->components, ncap, sizeof *nc)
                               : ct_reallocarray(sbom->components, ncap, sizeof *nc);
        if (!nc)
            return ct_error_set(CT_ENOMEM, "out of memory");
        sbom->components = nc;
        sbom->components_cap = ncap;
    }
    *out = &sbom->components[sbom->ncomponents++];
    memset(*out, 0, sizeof **out);
    return 0;
}

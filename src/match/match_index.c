/* The match index: package key -> affected ranges, each vers text parsed once and shared by
 * every range that carries it. Built by the store from affected_range and kept current as
 * advisories are stored; a lookup tests only the ranges of one package, in memory. Removing an
 * advisory is lazy: its entries stay but are skipped (epoch marks), so removal costs O(1). */
#include "cratrace/match.h"
#include "cratrace/version.h"

#include <string.h>

typedef struct {
    ct_vers *vers; /* NULL when the text did not parse: the range is unevaluable */
    int err;
    char text[]; /* NUL-terminated */
} vers_ent;

typedef struct {
    int64_t range_id, advisory_id;
    const vers_ent *v;
    uint32_t epoch; /* index epoch when added; see dead marks */
} ix_range;

typedef struct {
    ix_range *r;
    uint32_t n, cap;
    char key[]; /* NUL-terminated */
} ix_pkg;

struct ct_match_index {
    ix_pkg **pkgs; /* open addressing by key */
    size_t pcap, pused;
    vers_ent **vers; /* open addressing by text */
    size_t vcap, vused;
    int64_t *dead_id; /* advisory id -> epoch of its removal (0 id = empty slot) */
    uint32_t *dead_epoch;
    size_t dcap, dused;
    uint32_t epoch;
    size_t nranges;
    size_t bytes;
};

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static uint64_t hash_id(int64_t id)
{
    uint64_t x = (uint64_t)id * 0x9E3779B97F4A7C15ull;
    return x ^ (x >> 29);
}

static int oom(void)
{
    return ct_error_set(CT_ENOMEM, "out of memory");
}

int ct_match_index_new(ct_match_index **out)
{
    ct_match_index *ix = ct_calloc(1, sizeof *ix);
    *out = NULL;
    if (!ix || !(ix->pkgs = ct_calloc(1024, sizeof *ix->pkgs)) ||
        !(ix->vers = ct_calloc(1024, sizeof *ix->vers))) {
        ct_match_index_free(ix);
        return oom();
    }
    ix->pcap = ix->vcap = 1024;
    ix->epoch = 1;
    ix->bytes = sizeof *ix + 2048 * sizeof(void *);
    *out = ix;
    return 0;
}

void ct_match_index_free(ct_match_index *ix)
{
    if (!ix)
        return;
    for (size_t i = 0; ix->pkgs && i < ix->pcap; i++)
        if (ix->pkgs[i]) {
            ct_free(ix->pkgs[i]->r);
            ct_free(ix->pkgs[i]);
        }
    for (size_t i = 0; ix->vers && i < ix->vcap; i++)
        if (ix->vers[i]) {
            ct_vers_free(ix->vers[i]->vers);
            ct_free(ix->vers[i]);
        }
    ct_free(ix->pkgs);
    ct_free(ix->vers);
    ct_free(ix->dead_id);
    ct_free(ix->dead_epoch);
    ct_free(ix);
}

/* Double an open-addressing table of pointers whose key is at key_of(p). */
#define GROW_TABLE(tab, cap, type, keyexpr)                                                       \
    do {                                                                                           \
        size_t ncap_ = (cap) * 2;                                                                  \
        type **nt_ = ct_calloc(ncap_, sizeof *nt_);                                                \
        if (!nt_)                                                                                  \
            return oom();                                                                          \
        for (size_t i_ = 0; i_ < (cap); i_++) {                                                    \
            type *p_ = (tab)[i_];                                                                  \
            if (!p_)                                                                               \
                continue;                                                                          \
            size_t j_ = hash_str(keyexpr) & (ncap_ - 1);                                           \
            while (nt_[j_])                                                                        \
                j_ = (j_ + 1) & (ncap_ - 1);                                                       \
            nt_[j_] = p_;                                                                          \
        }                                                                                          \
        ct_free(tab);                                                                              \
        ix->bytes += ((cap)) * sizeof(void *);                                                     \
        (tab) = nt_;                                                                               \
        (cap) = ncap_;                                                                             \
    } while (0)

static int intern_vers(const vers_ent **out, ct_match_index *ix, const char *text)
{
    size_t i, len = strlen(text);
    vers_ent *e;
    int rc;

    if (ix->vused * 2 >= ix->vcap)
        GROW_TABLE(ix->vers, ix->vcap, vers_ent, p_->text);
    i = hash_str(text) & (ix->vcap - 1);
    while (ix->vers[i]) {
        if (strcmp(ix->vers[i]->text, text) == 0) {
            *out = ix->vers[i];
            return 0;
        }
        i = (i + 1) & (ix->vcap - 1);
    }
    if (!(e = ct_calloc(1, sizeof *e + len + 1)))
        return oom();
    memcpy(e->text, text, len + 1);
    if ((rc = ct_vers_parse(&e->vers, text, len)) < 0) {
        if (rc == CT_ENOMEM) {
            ct_free(e);
            return rc;
        }
        ct_error_clear(); /* remembered: every test of this range reports it unevaluable */
        e->vers = NULL;
        e->err = rc;
    }
    ix->vers[i] = e;
    ix->vused++;
    /* the parsed form is about four times its text (constraints, decoded versions) */
    ix->bytes += sizeof *e + len + 1 + (e->vers ? 4 * len + 64 : 0);
    *out = e;
    return 0;
}

static ix_pkg *find_pkg(const ct_match_index *ix, const char *key, size_t *slot_out)
{
    size_t i = hash_str(key) & (ix->pcap - 1);
    while (ix->pkgs[i]) {
        if (strcmp(ix->pkgs[i]->key, key) == 0)
            return ix->pkgs[i];
        i = (i + 1) & (ix->pcap - 1);
    }
    if (slot_out)
        *slot_out = i;
    return NULL;
}

int ct_match_index_add(ct_match_index *ix, const char *pkg_key, int64_t range_id,
                       int64_t advisory_id, const char *vers)
{
    const vers_ent *v = NULL;
    ix_pkg *p;
    size_t slot = 0;
    int rc;

    if (!ix || !pkg_key || !vers)
        return ct_error_set(CT_EINVAL, "ct_match_index_add: NULL argument");
    if ((rc = intern_vers(&v, ix, vers)) < 0)
        return rc;
    if (ix->pused * 2 >= ix->pcap)
        GROW_TABLE(ix->pkgs, ix->pcap, ix_pkg, p_->key);
    if (!(p = find_pkg(ix, pkg_key, &slot))) {
        size_t len = strlen(pkg_key);
        if (!(p = ct_calloc(1, sizeof *p + len + 1)))
            return oom();
        memcpy(p->key, pkg_key, len + 1);
        ix->pkgs[slot] = p;
        ix->pused++;
        ix->bytes += sizeof *p + len + 1;
    }
    if (p->n == p->cap) {
        uint32_t ncap = p->cap ? p->cap * 2 : 2;
        ix_range *nr = ct_reallocarray(p->r, ncap, sizeof *nr);
        if (!nr)
            return oom();
        ix->bytes += (size_t)(ncap - p->cap) * sizeof *nr;
        p->r = nr;
        p->cap = ncap;
    }
    p->r[p->n++] = (ix_range){ range_id, advisory_id, v, ix->epoch };
    ix->nranges++;
    return 0;
}

static size_t dead_slot(const ct_match_index *ix, int64_t advisory_id)
{
    size_t i = hash_id(advisory_id) & (ix->dcap - 1);
    while (ix->dead_id[i] && ix->dead_id[i] != advisory_id)
        i = (i + 1) & (ix->dcap - 1);
    return i;
}

int ct_match_index_remove_advisory(ct_match_index *ix, int64_t advisory_id)
{
    size_t i;

    if (!ix || advisory_id == 0)
        return ct_error_set(CT_EINVAL, "ct_match_index_remove_advisory: bad argument");
    if ((ix->dused + 1) * 2 > ix->dcap) {
        size_t ncap = ix->dcap ? ix->dcap * 2 : 64;
        int64_t *nid = ct_calloc(ncap, sizeof *nid);
        uint32_t *nep = ct_calloc(ncap, sizeof *nep);
        if (!nid || !nep) {
            ct_free(nid);
            ct_free(nep);
            return oom();
        }
        for (size_t k = 0; k < ix->dcap; k++) {
            if (!ix->dead_id[k])
                continue;
            size_t j = hash_id(ix->dead_id[k]) & (ncap - 1);
            while (nid[j])
                j = (j + 1) & (ncap - 1);
            nid[j] = ix->dead_id[k];
            nep[j] = ix->dead_epoch[k];
        }
        ct_free(ix->dead_id);
        ct_free(ix->dead_epoch);
        ix->bytes += (ncap - ix->dcap) * (sizeof *nid + sizeof *nep);
        ix->dead_id = nid;
        ix->dead_epoch = nep;
        ix->dcap = ncap;
    }
    i = dead_slot(ix, advisory_id);
    if (!ix->dead_id[i]) {
        ix->dead_id[i] = advisory_id;
        ix->dused++;
    }
    /* entries added before now are dead; ranges added from now on (a new version of the
     * record) carry a later epoch and live */
    ix->dead_epoch[i] = ix->epoch++;
    return 0;
}

static bool live(const ct_match_index *ix, const ix_range *r)
{
    if (!ix->dused)
        return true;
    size_t i = dead_slot(ix, r->advisory_id);
    return !ix->dead_id[i] || r->epoch > ix->dead_epoch[i];
}

int ct_match_index_lookup(ct_match_index *ix, const char *pkg_key, const char *version,
                          ct_match_stats *stats, ct_match_hit_fn fn, void *payload)
{
    const ix_pkg *p;
    size_t vlen;
    int rc;

    if (!ix || !pkg_key || !version || !fn)
        return ct_error_set(CT_EINVAL, "ct_match_index_lookup: NULL argument");
    if (!(p = find_pkg(ix, pkg_key, NULL)))
        return 0;
    vlen = strlen(version);
    for (uint32_t i = 0; i < p->n; i++) {
        const ix_range *r = &p->r[i];
        bool hit = false;
        if (!live(ix, r))
            continue;
        if (stats)
            stats->candidates++;
        if (!r->v->vers) {
            if (stats)
                stats->unmatchable++;
            continue;
        }
        if ((rc = ct_vers_contains(&hit, r->v->vers, version, vlen)) < 0) {
            if (rc == CT_ENOMEM)
                return rc;
            ct_error_clear(); /* invalid version for the scheme: skipped, never fatal */
            if (stats)
                stats->unmatchable++;
            continue;
        }
        if (hit) {
            ct_match_hit h = { r->range_id, r->advisory_id, r->v->text };
            if ((rc = fn(&h, payload)) < 0)
                return rc;
        }
    }
    return 0;
}

size_t ct_match_index_ranges(const ct_match_index *ix)
{
    return ix ? ix->nranges : 0;
}

size_t ct_match_index_bytes(const ct_match_index *ix)
{
    return ix ? ix->bytes : 0;
}

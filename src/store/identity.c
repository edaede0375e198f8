/* Advisory identity: the records of all sources (OSV, CVE 5, NVD, CSAF, distro feeds) that name
 * one vulnerability, found as the transitive closure of record IDs and aliases. Every record is
 * kept as imported, one per (ID, source) (migration 0020): records of one ID from several
 * sources are one identity. A record's own ID and its CVE and GHSA aliases link it to every
 * record that names them; its other aliases (a CSAF document's tracking ID, vendor IDs) link it
 * only to a record with that ID; OSV "related" IDs never link (they name other
 * vulnerabilities). The group gets identity_id (its smallest advisory.id) and a primary ID:
 * among the records that are not withdrawn (all of them when every one is), a CVE record's ID,
 * else a GHSA record's, else the smallest record ID. The choice depends only on the IDs, never
 * on the order the records arrived in. */
#include "store_int.h"

#include <string.h>

/* ---- a set of int64 (open addressing; ids are > 0, 0 marks an empty slot) --------------- */

typedef struct {
    int64_t *slot;
    size_t cap, n;
} id_set;

static size_t id_hash(int64_t v, size_t cap)
{
    uint64_t x = (uint64_t)v * 0x9E3779B97F4A7C15u;
    return (size_t)(x >> 17) & (cap - 1);
}

static bool id_set_has(const id_set *s, int64_t v)
{
    if (!s->cap)
        return false;
    for (size_t i = id_hash(v, s->cap);; i = (i + 1) & (s->cap - 1)) {
        if (s->slot[i] == v)
            return true;
        if (s->slot[i] == 0)
            return false;
    }
}

/* Add v; *added_out tells whether it was new. */
static int id_set_add(bool *added_out, id_set *s, int64_t v)
{
    if ((s->n + 1) * 2 > s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 64;
        int64_t *ns = ct_calloc(ncap, sizeof *ns);
        if (!ns)
            return ct_error_set(CT_ENOMEM, "out of memory");
        for (size_t i = 0; i < s->cap; i++) {
            if (!s->slot[i])
                continue;
            size_t k = id_hash(s->slot[i], ncap);
            while (ns[k])
                k = (k + 1) & (ncap - 1);
            ns[k] = s->slot[i];
        }
        ct_free(s->slot);
        s->slot = ns;
        s->cap = ncap;
    }
    size_t i = id_hash(v, s->cap);
    while (s->slot[i] && s->slot[i] != v)
        i = (i + 1) & (s->cap - 1);
    *added_out = s->slot[i] == 0;
    if (*added_out) {
        s->slot[i] = v;
        s->n++;
    }
    return 0;
}

/* ---- growable lists --------------------------------------------------------------------- */

typedef struct {
    int64_t *v;
    size_t n, cap;
} id_list;

static int id_list_push(id_list *l, int64_t v)
{
    int rc = ct_store__grow((void **)&l->v, &l->cap, l->n, sizeof *l->v, 16);
    if (rc < 0)
        return rc;
    l->v[l->n++] = v;
    return 0;
}

typedef struct {
    char **v;
    size_t n, cap;
} str_list;

static int str_list_push(str_list *l, const char *s)
{
    int rc = ct_store__grow((void **)&l->v, &l->cap, l->n, sizeof *l->v, 8);
    if (rc < 0)
        return rc;
    if (!(l->v[l->n] = ct_strdup(s ? s : "")))
        return ct_error_set(CT_ENOMEM, "out of memory");
    l->n++;
    return 0;
}

static void str_list_clear(str_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        ct_free(l->v[i]);
    l->n = 0;
}

/* ---- the group of one record ------------------------------------------------------------ */

/* Rank of a record ID for the primary choice: lower wins. */
static int id_rank(const char *ext_id, bool withdrawn)
{
    int r = strncmp(ext_id, "CVE-", 4) == 0 ? 0 : strncmp(ext_id, "GHSA-", 5) == 0 ? 1 : 2;
    return withdrawn ? r + 10 : r;
}

/* Whether a name identifies one vulnerability wherever it appears: CVE and GHSA IDs. Other
 * aliases (a CSAF document's tracking ID that all its vulnerabilities carry, vendor bulletin
 * IDs) link a record only to the record that bears that name as its own ID. */
static bool global_name(const char *name)
{
    return strncmp(name, "CVE-", 4) == 0 || strncmp(name, "GHSA-", 5) == 0;
}

/* Names of record id that link it to others, appended to names; a leading '=' marks a name
 * that links only to the record with that ID. */
static int names_of(str_list *names, ct_store *st, int64_t id)
{
    ct_stmt *q;
    ct_buf tmp = CT_BUF_INIT;
    int rc;
    if ((rc = ct_store__prepare(&q, st, CT_Q_ADV_NAMES)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, id)) < 0)
        return rc;
    while ((rc = ct_stmt_step(q)) == 1) {
        const char *name = ct_stmt_text(q, 0);
        bool own = ct_stmt_int64(q, 1) == 1;
        if (!name)
            continue;
        ct_buf_reset(&tmp);
        ct_buf_printf(&tmp, "%s%s", own || global_name(name) ? "" : "=", name);
        if (tmp.failed) {
            rc = ct_error_set(CT_ENOMEM, "out of memory");
            break;
        }
        if ((rc = str_list_push(names, tmp.ptr)) < 0)
            break;
    }
    st->drv->reset(q);
    ct_buf_dispose(&tmp);
    return rc;
}

/* The connected component of seed (records sharing an ID or alias, transitively) into comp;
 * every record reached is added to seen. */
static int component_of(id_list *comp, id_set *seen, ct_store *st, int64_t seed)
{
    str_list names = { 0 };
    ct_stmt *q;
    bool added;
    int rc;

    comp->n = 0;
    if ((rc = id_set_add(&added, seen, seed)) < 0 || (rc = id_list_push(comp, seed)) < 0)
        return rc;
    for (size_t head = 0; rc == 0 && head < comp->n; head++) {
        str_list_clear(&names);
        if ((rc = names_of(&names, st, comp->v[head])) < 0)
            break;
        for (size_t k = 0; rc == 0 && k < names.n; k++) {
            /* its own ID and CVE/GHSA aliases meet records naming them as ID or alias; other
             * aliases meet only the record with that ID */
            bool only_id = names.v[k][0] == '=';
            if ((rc = ct_store__prepare(&q, st, only_id ? CT_Q_ADVISORY_BY_EXT
                                                        : CT_Q_ADV_BY_NAME)) < 0 ||
                (rc = ct_stmt_bind_text(q, 1, names.v[k] + (only_id ? 1 : 0))) < 0)
                break;
            while ((rc = ct_stmt_step(q)) == 1) {
                int64_t other = ct_stmt_int64(q, 0);
                if ((rc = id_set_add(&added, seen, other)) < 0)
                    break;
                if (added && (rc = id_list_push(comp, other)) < 0)
                    break;
            }
            st->drv->reset(q);
        }
    }
    str_list_clear(&names);
    ct_free(names.v);
    return rc < 0 ? rc : 0;
}

/* Give every record of comp the group's identity and primary ID; the identities whose
 * membership changed are added to touched. */
static int assign(id_list *touched, ct_store *st, const id_list *comp)
{
    str_list ext = { 0 }, old_primary = { 0 };
    int64_t *old_ident = NULL, ident = 0;
    size_t best = 0;
    int best_rank = 1000;
    bool changed = false;
    ct_stmt *q;
    int rc = 0;

    if (!(old_ident = ct_calloc(comp->n ? comp->n : 1, sizeof *old_ident)))
        return ct_error_set(CT_ENOMEM, "out of memory");
    for (size_t i = 0; i < comp->n; i++) {
        if ((rc = ct_store__prepare(&q, st, CT_Q_ADV_BRIEF)) < 0 ||
            (rc = ct_stmt_bind_int64(q, 1, comp->v[i])) < 0 || (rc = ct_stmt_step(q)) < 0)
            goto cleanup;
        if (rc == 0) {
            st->drv->reset(q);
            rc = ct_error_set(CT_EDB, "advisory %lld vanished while grouping",
                              (long long)comp->v[i]);
            goto cleanup;
        }
        const char *id = ct_stmt_text(q, 0);
        int rank = id_rank(id ? id : "", !ct_stmt_is_null(q, 1));
        old_ident[i] = ct_stmt_is_null(q, 2) ? 0 : ct_stmt_int64(q, 2);
        rc = str_list_push(&ext, id);
        if (rc == 0)
            rc = str_list_push(&old_primary, ct_stmt_text(q, 3));
        st->drv->reset(q);
        if (rc < 0)
            goto cleanup;
        if (rank < best_rank || (rank == best_rank && strcmp(ext.v[i], ext.v[best]) < 0)) {
            best = i;
            best_rank = rank;
        }
        if (!ident || comp->v[i] < ident)
            ident = comp->v[i];
    }
    for (size_t i = 0; i < comp->n; i++) {
        if (old_ident[i] == ident && strcmp(old_primary.v[i], ext.v[best]) == 0)
            continue;
        changed = true;
        if (old_ident[i] && old_ident[i] != ident && (rc = id_list_push(touched, old_ident[i])) < 0)
            goto cleanup;
        if ((rc = ct_store__prepare(&q, st, CT_Q_ADV_SET_IDENTITY)) < 0 ||
            (rc = ct_stmt_bind_int64(q, 1, comp->v[i])) < 0 ||
            (rc = ct_stmt_bind_int64(q, 2, ident)) < 0 ||
            (rc = ct_stmt_bind_text(q, 3, ext.v[best])) < 0 || (rc = ct_store__exec_stmt(q)) < 0)
            goto cleanup;
    }
    if (changed)
        rc = id_list_push(touched, ident);
cleanup:
    str_list_clear(&ext);
    str_list_clear(&old_primary);
    ct_free(ext.v);
    ct_free(old_primary.v);
    ct_free(old_ident);
    return rc < 0 ? rc : 0;
}

/* Findings carry the triage of their identity: re-resolve those of regrouped identities
 * (nothing to re-resolve while the store holds no VEX statement at all). */
static int refresh_touched(ct_store *st, id_list *touched)
{
    id_set done = { 0 };
    ct_stmt *q;
    bool added;
    int rc;

    if (!touched->n)
        return 0;
    if ((rc = ct_store__prepare(&q, st, CT_Q_VEX_ANY)) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    st->drv->reset(q);
    if (rc == 0)
        return 0;
    rc = 0;
    for (size_t i = 0; rc == 0 && i < touched->n; i++)
        if ((rc = id_set_add(&added, &done, touched->v[i])) == 0 && added)
            rc = ct_store__triage_refresh(st, false, touched->v[i]);
    ct_free(done.slot);
    return rc;
}

/* Regroup the identities of the advisories in ids (and of the groups they were in). */
static int regroup_some(ct_store *st, const int64_t *ids, size_t nids)
{
    id_set seen = { 0 };
    id_list seeds = { 0 }, comp = { 0 }, touched = { 0 };
    ct_stmt *q;
    int64_t old;
    int rc = 0;

    /* each record, and every record of the group it was in (an update may have dropped the
     * alias that held that group together) */
    for (size_t k = 0; rc == 0 && k < nids; k++) {
        if ((rc = id_list_push(&seeds, ids[k])) < 0 ||
            (rc = ct_store__prepare(&q, st, CT_Q_ADV_BRIEF)) < 0 ||
            (rc = ct_stmt_bind_int64(q, 1, ids[k])) < 0 || (rc = ct_stmt_step(q)) < 0)
            goto cleanup;
        old = rc == 1 && !ct_stmt_is_null(q, 2) ? ct_stmt_int64(q, 2) : 0;
        st->drv->reset(q);
        rc = 0;
        if (old) {
            bool added;
            /* a group is listed once however many of its records were stored */
            if ((rc = id_set_add(&added, &seen, -old)) < 0)
                goto cleanup;
            if (!added)
                continue;
        }
        if (old) {
            if ((rc = ct_store__prepare(&q, st, CT_Q_IDENTITY_MEMBERS)) < 0 ||
                (rc = ct_stmt_bind_int64(q, 1, old)) < 0)
                goto cleanup;
            while ((rc = ct_stmt_step(q)) == 1)
                if ((rc = id_list_push(&seeds, ct_stmt_int64(q, 0))) < 0)
                    break;
            st->drv->reset(q);
            if (rc < 0)
                goto cleanup;
            rc = 0;
        }
    }
    for (size_t i = 0; rc == 0 && i < seeds.n; i++) {
        if (id_set_has(&seen, seeds.v[i]))
            continue;
        if ((rc = component_of(&comp, &seen, st, seeds.v[i])) == 0)
            rc = assign(&touched, st, &comp);
    }
    if (rc == 0)
        rc = refresh_touched(st, &touched);
cleanup:
    ct_free(seen.slot);
    ct_free(seeds.v);
    ct_free(comp.v);
    ct_free(touched.v);
    return rc < 0 ? rc : 0;
}

int ct_store__identity_update(ct_store *st, int64_t advisory_id)
{
    if (st->identity_deferred) {
        int rc = ct_store__grow((void **)&st->identity_pending, &st->identity_cap,
                                st->identity_npending, sizeof *st->identity_pending, 256);
        if (rc < 0)
            return rc;
        st->identity_pending[st->identity_npending++] = advisory_id;
        return 0;
    }
    return regroup_some(st, &advisory_id, 1);
}

/* ---- every identity in one pass ----------------------------------------------------------
 * The same grouping as component_of + assign, computed in memory from two table scans: a
 * union-find over the records, joined by (a) records with the same ID (from different sources),
 * (b) a record whose alias is another record's ID and (c) records sharing a CVE or GHSA alias.
 * Only records whose identity or primary ID changes are written. Used for imports that store
 * many records and for `cratrace match`. */

typedef struct {
    const char **key; /* borrowed from the record and alias arenas */
    uint32_t *val;
    size_t cap, n;
} name_map;

static uint64_t name_hash(const char *s)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

/* The slot of key (found or empty). */
static size_t name_slot(const name_map *m, const char *key)
{
    size_t i = (size_t)name_hash(key) & (m->cap - 1);
    while (m->key[i] && strcmp(m->key[i], key) != 0)
        i = (i + 1) & (m->cap - 1);
    return i;
}

/* *val_out = the value of key, or val when key was new (then stored). */
static int name_map_get_or_put(uint32_t *val_out, name_map *m, const char *key, uint32_t val)
{
    if ((m->n + 1) * 2 > m->cap) {
        name_map nm = { NULL, NULL, m->cap ? m->cap * 2 : 1024, 0 };
        if (!(nm.key = ct_calloc(nm.cap, sizeof *nm.key)) ||
            !(nm.val = ct_calloc(nm.cap, sizeof *nm.val))) {
            ct_free(nm.key);
            return ct_error_set(CT_ENOMEM, "out of memory");
        }
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->key[i])
                continue;
            size_t k = name_slot(&nm, m->key[i]);
            nm.key[k] = m->key[i];
            nm.val[k] = m->val[i];
        }
        nm.n = m->n;
        ct_free(m->key);
        ct_free(m->val);
        *m = nm;
    }
    size_t i = name_slot(m, key);
    if (!m->key[i]) {
        m->key[i] = key;
        m->val[i] = val;
        m->n++;
    }
    *val_out = m->val[i];
    return 0;
}

static bool name_map_find(uint32_t *val_out, const name_map *m, const char *key)
{
    if (!m->cap)
        return false;
    size_t i = name_slot(m, key);
    if (!m->key[i])
        return false;
    *val_out = m->val[i];
    return true;
}

/* Strings kept for the pass, in large blocks. */
typedef struct arena_block {
    struct arena_block *next;
    size_t used, cap;
    char data[];
} arena_block;

static const char *arena_dup(arena_block **a, const char *s)
{
    size_t n = strlen(s) + 1;
    if (!*a || (*a)->cap - (*a)->used < n) {
        size_t cap = n > ((size_t)1 << 20) ? n : (size_t)1 << 20;
        arena_block *b = ct_malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->next = *a;
        b->used = 0;
        b->cap = cap;
        *a = b;
    }
    char *p = (*a)->data + (*a)->used;
    memcpy(p, s, n);
    (*a)->used += n;
    return p;
}

static void arena_free(arena_block *a)
{
    while (a) {
        arena_block *next = a->next;
        ct_free(a);
        a = next;
    }
}

typedef struct {
    int64_t id, old_ident;
    const char *ext, *old_primary;
    uint32_t parent;
    uint32_t best; /* at a root: the member whose ID is the primary */
    int rank;
} rec;

static uint32_t uf_find(rec *r, uint32_t i)
{
    while (r[i].parent != i) {
        r[i].parent = r[r[i].parent].parent;
        i = r[i].parent;
    }
    return i;
}

/* Union by the smaller index (the smaller advisory.id: records are loaded in id order). */
static void uf_union(rec *r, uint32_t a, uint32_t b)
{
    a = uf_find(r, a);
    b = uf_find(r, b);
    if (a < b)
        r[b].parent = a;
    else if (b < a)
        r[a].parent = b;
}

static uint32_t rec_index(const rec *r, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && r[lo].id == id ? (uint32_t)lo : UINT32_MAX;
}

/* ---- whether identities may be stale (migration 0023) -----------------------------------
 * Every advisory write regroups the records it stored before its transaction commits
 * (ct_store__identity_update, or identity_flush at the end of an import), with the same result
 * as a full regroup. So a full pass is needed only for records stored before that held (a
 * store migrated from before 0023 with advisories) or after a write that does not regroup
 * (ct_store__identity_mark_stale): store_state row identity_stale, read by match_all. */

static int set_stale(ct_store *st, int64_t value)
{
    ct_stmt *q;
    int rc;
    if ((rc = ct_store__prepare(&q, st, CT_Q_STATE_SET)) < 0 ||
        (rc = ct_stmt_bind_text(q, 1, "identity_stale")) < 0 ||
        (rc = ct_stmt_bind_int64(q, 2, value)) < 0)
        return rc;
    return ct_store__exec_stmt(q);
}

int ct_store__identity_mark_stale(ct_store *st)
{
    return set_stale(st, 1);
}

static int regroup_all(ct_store *st)
{
    rec *r = NULL;
    size_t n = 0, cap = 0;
    arena_block *arena = NULL;
    name_map by_id = { 0 }, by_alias = { 0 };
    id_list touched = { 0 };
    ct_stmt *q;
    int rc;

    if ((rc = ct_store__prepare(&q, st, CT_Q_ADV_ALL_BRIEF)) < 0)
        return rc;
    while ((rc = ct_stmt_step(q)) == 1) {
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 1024;
            rec *nr = ncap < UINT32_MAX ? ct_reallocarray(r, ncap, sizeof *nr) : NULL;
            if (!nr) {
                rc = ct_error_set(CT_ENOMEM, "out of memory");
                break;
            }
            r = nr;
            cap = ncap;
        }
        rec *x = &r[n];
        const char *ext = ct_stmt_text(q, 1), *prim = ct_stmt_text(q, 4);
        x->id = ct_stmt_int64(q, 0);
        x->ext = arena_dup(&arena, ext ? ext : "");
        x->rank = id_rank(x->ext, ct_stmt_int64(q, 2) != 0);
        x->old_ident = ct_stmt_int64(q, 3);
        x->old_primary = prim ? arena_dup(&arena, prim) : NULL;
        x->parent = x->best = (uint32_t)n;
        if (!x->ext || (prim && !x->old_primary)) {
            rc = ct_error_set(CT_ENOMEM, "out of memory");
            break;
        }
        uint32_t first;
        if ((rc = name_map_get_or_put(&first, &by_id, x->ext, (uint32_t)n)) < 0)
            break;
        /* the same ID from another source (migration 0020): one identity */
        if (first != (uint32_t)n)
            uf_union(r, first, (uint32_t)n);
        n++;
    }
    st->drv->reset(q);
    if (rc < 0)
        goto cleanup;

    /* (a) an alias that is another record's ID; (b) a CVE or GHSA alias two records share */
    if ((rc = ct_store__prepare(&q, st, CT_Q_ALIAS_ALL)) < 0)
        goto cleanup;
    while ((rc = ct_stmt_step(q)) == 1) {
        const char *alias = ct_stmt_text(q, 1);
        uint32_t i = rec_index(r, n, ct_stmt_int64(q, 0)), j;
        if (!alias || i == UINT32_MAX)
            continue;
        if (name_map_find(&j, &by_id, alias))
            uf_union(r, i, j);
        if (global_name(alias)) {
            const char *key;
            if (name_map_find(&j, &by_alias, alias)) {
                uf_union(r, i, j);
            } else if (!(key = arena_dup(&arena, alias))) {
                rc = ct_error_set(CT_ENOMEM, "out of memory");
                break;
            } else if ((rc = name_map_get_or_put(&j, &by_alias, key, i)) < 0) {
                break;
            }
        }
    }
    st->drv->reset(q);
    if (rc < 0)
        goto cleanup;
    rc = 0;

    /* the primary of each group: lowest rank, then the smallest ID */
    for (uint32_t i = 0; i < n; i++) {
        uint32_t root = uf_find(r, i), b = r[root].best;
        if (r[i].rank < r[b].rank || (r[i].rank == r[b].rank && strcmp(r[i].ext, r[b].ext) < 0))
            r[root].best = i;
    }
    for (uint32_t i = 0; rc == 0 && i < n; i++) {
        uint32_t root = uf_find(r, i);
        int64_t ident = r[root].id; /* the root has the smallest index, so the smallest id */
        const char *primary = r[r[root].best].ext;
        if (r[i].old_ident == ident && r[i].old_primary && strcmp(r[i].old_primary, primary) == 0)
            continue;
        if ((r[i].old_ident && r[i].old_ident != ident &&
             (rc = id_list_push(&touched, r[i].old_ident)) < 0) ||
            (rc = id_list_push(&touched, ident)) < 0 ||
            (rc = ct_store__prepare(&q, st, CT_Q_ADV_SET_IDENTITY)) < 0 ||
            (rc = ct_stmt_bind_int64(q, 1, r[i].id)) < 0 ||
            (rc = ct_stmt_bind_int64(q, 2, ident)) < 0 ||
            (rc = ct_stmt_bind_text(q, 3, primary)) < 0 || (rc = ct_store__exec_stmt(q)) < 0)
            break;
    }
    if (rc == 0)
        rc = refresh_touched(st, &touched);
    if (rc == 0) /* in the same transaction: identities are a full regroup now */
        rc = set_stale(st, 0);
cleanup:
    ct_free(r);
    ct_free(by_id.key);
    ct_free(by_id.val);
    ct_free(by_alias.key);
    ct_free(by_alias.val);
    ct_free(touched.v);
    arena_free(arena);
    return rc < 0 ? rc : 0;
}

void ct_store__identity_defer(ct_store *st)
{
    st->identity_deferred = true;
    st->identity_npending = 0;
}

void ct_store__identity_abort(ct_store *st)
{
    st->identity_deferred = false;
    ct_free(st->identity_pending);
    st->identity_pending = NULL;
    st->identity_npending = st->identity_cap = 0;
}

int ct_store__identity_flush(ct_store *st)
{
    ct_stmt *q;
    int64_t total = 0;
    int rc = 0;

    size_t n = st->identity_npending;
    st->identity_deferred = false;
    if (n) {
        /* many records: one pass over all is cheaper than following each record's names */
        if ((rc = ct_store__prepare(&q, st, CT_Q_ADVISORY_COUNT)) == 0 &&
            (rc = ct_stmt_step(q)) >= 0) {
            total = rc == 1 ? ct_stmt_int64(q, 0) : 0;
            st->drv->reset(q);
            rc = n >= 20000 || (int64_t)n * 4 >= total
                     ? regroup_all(st)
                     : regroup_some(st, st->identity_pending, n);
        }
    }
    ct_store__identity_abort(st);
    return rc < 0 ? rc : 0;
}

int ct_store__identity_rebuild(ct_store *st)
{
    return regroup_all(st);
}

int ct_store__identity_refresh(ct_store *st, bool *full_out)
{
    ct_stmt *q;
    bool stale = true; /* no row: unknown, so regroup */
    int rc;

    if (full_out)
        *full_out = false;
    if ((rc = ct_store__prepare(&q, st, CT_Q_STATE_GET)) < 0 ||
        (rc = ct_stmt_bind_text(q, 1, "identity_stale")) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    if (rc == 1)
        stale = ct_stmt_int64(q, 0) != 0;
    st->drv->reset(q);
    if (!stale)
        return 0;
    if (full_out)
        *full_out = true;
    return regroup_all(st);
}

/* ---- read side ------------------------------------------------------------------------- */

int ct_store__identity_aliases_json(ct_buf *out, ct_store *st, int64_t identity_id,
                                    const char *primary)
{
    ct_stmt *q;
    int rc, n = 0;
    if ((rc = ct_store__prepare(&q, st, CT_Q_IDENTITY_NAMES)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, identity_id)) < 0)
        return rc;
    ct_buf_putc(out, '[');
    while ((rc = ct_stmt_step(q)) == 1) {
        const char *name = ct_stmt_text(q, 0);
        if (!name || (primary && strcmp(name, primary) == 0))
            continue;
        if (n++)
            ct_buf_putc(out, ',');
        ct_buf_json_str(out, name);
    }
    st->drv->reset(q);
    ct_buf_putc(out, ']');
    if (rc < 0)
        return rc;
    return out->failed ? ct_error_set(CT_ENOMEM, "out of memory") : 0;
}

int ct_store__identity_records_json(ct_buf *out, ct_store *st, int64_t identity_id)
{
    ct_stmt *q;
    int rc, n = 0;
    char t[32];
    if ((rc = ct_store__prepare(&q, st, CT_Q_IDENTITY_RECORDS)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, identity_id)) < 0)
        return rc;
    ct_buf_putc(out, '[');
    while ((rc = ct_stmt_step(q)) == 1) {
        if (n++)
            ct_buf_putc(out, ',');
        ct_buf_puts(out, "{\"id\":");
        ct_buf_json_str(out, ct_stmt_text(q, 1));
        ct_buf_puts(out, ",\"source\":");
        ct_buf_json_str(out, ct_stmt_text(q, 2) ? ct_stmt_text(q, 2) : "");
        ct_buf_puts(out, ",\"origin\":");
        if (ct_stmt_text(q, 3))
            ct_buf_json_str(out, ct_stmt_text(q, 3));
        else
            ct_buf_puts(out, "null");
        ct_buf_puts(out, ",\"withdrawn\":");
        if (ct_stmt_is_null(q, 6)) {
            ct_buf_puts(out, "null");
        } else {
            ct_time_format(t, ct_stmt_int64(q, 6));
            ct_buf_json_str(out, t);
        }
        ct_buf_putc(out, '}');
    }
    st->drv->reset(q);
    ct_buf_putc(out, ']');
    if (rc < 0)
        return rc;
    return out->failed ? ct_error_set(CT_ENOMEM, "out of memory") : 0;
}

/* Which source's severity counts first: the CVE program's own record, then NVD's analysis,
 * then the ecosystem databases (OSV: GHSA, Go, PyPI, ...), then vendor CSAF. */
static int source_rank(const char *source)
{
    static const char *const order[] = { "cve5", "nvd", "osv", "csaf" };
    for (size_t i = 0; source && i < CT_NELEM(order); i++)
        if (strcmp(source, order[i]) == 0)
            return (int)i;
    return (int)CT_NELEM(order);
}

/* Which record speaks for an identity, from its records in IDENTITY_RECORDS order (the primary
 * record first): the first non-withdrawn one with a severity or CVSS vector of the best source
 * rank, else the primary record. One rule for ct_store__identity_best (one identity) and
 * ct_store__identity_best_list (every identity of a findings list), whose queries place the
 * columns differently. */
typedef struct {
    int id, ext_id, source, severity, cvss, withdrawn;
} best_cols;

/* the columns of IDENTITY_RECORDS and of FINDINGS_IDENTITY_RECORDS (store_int.h) */
static const best_cols identity_records_cols = { 0, 1, 2, 4, 5, 6 };
static const best_cols findings_records_cols = { 1, 2, 3, 4, 5, 6 };

typedef struct {
    int best_rank;
    bool have_first, have_best;
    ct_identity_best first, best;
} best_acc;

static char *dup_opt(const char *s, bool *oom)
{
    char *d = s ? ct_strdup(s) : NULL;
    if (s && !d)
        *oom = true;
    return d;
}

static void best_fields_free(ct_identity_best *b)
{
    ct_free(b->severity);
    ct_free(b->ext_id);
    ct_free(b->source);
    ct_free(b->cvss);
    memset(b, 0, sizeof *b);
}

/* Fill b from the row's columns c. */
static int best_fields(ct_identity_best *b, ct_stmt *q, const best_cols *c)
{
    bool oom = false;
    best_fields_free(b);
    b->advisory_id = ct_stmt_int64(q, c->id);
    b->ext_id = dup_opt(ct_stmt_text(q, c->ext_id), &oom);
    b->source = dup_opt(ct_stmt_text(q, c->source), &oom);
    b->severity = dup_opt(ct_stmt_text(q, c->severity), &oom);
    b->cvss = dup_opt(ct_stmt_text(q, c->cvss), &oom);
    return oom ? ct_error_set(CT_ENOMEM, "out of memory") : 0;
}

static void best_init(best_acc *a)
{
    memset(a, 0, sizeof *a);
    a->best_rank = 1000;
}

/* The next record row of the identity a accumulates. */
static int best_step(best_acc *a, ct_stmt *q, const best_cols *c)
{
    int rc, rank;
    if (!a->have_first) { /* the primary record comes first */
        if ((rc = best_fields(&a->first, q, c)) < 0)
            return rc;
        a->have_first = true;
    }
    if (!ct_stmt_is_null(q, c->withdrawn) ||
        (!ct_stmt_text(q, c->severity) && !ct_stmt_text(q, c->cvss)))
        return 0;
    if ((rank = source_rank(ct_stmt_text(q, c->source))) >= a->best_rank)
        return 0;
    a->best_rank = rank;
    a->have_best = true;
    return best_fields(&a->best, q, c);
}

static void best_dispose(best_acc *a)
{
    best_fields_free(&a->first);
    best_fields_free(&a->best);
    best_init(a);
}

/* The chosen record into *out (moved), the accumulator emptied. */
static void best_take(ct_identity_best *out, best_acc *a, int64_t identity_id)
{
    ct_identity_best *b = a->have_best ? &a->best : &a->first;
    *out = *b;
    out->identity_id = identity_id;
    memset(b, 0, sizeof *b);
    best_dispose(a);
}

void ct_store__identity_best_list_free(ct_identity_best *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        best_fields_free(&v[i]);
    ct_free(v);
}

int ct_store__identity_best_list(ct_identity_best **out, size_t *n_out, ct_store *st,
                                 const char *product, const char *state)
{
    ct_stmt *q;
    ct_identity_best *v = NULL;
    size_t n = 0, cap = 0;
    best_acc a;
    int64_t cur = 0;
    bool any = false;
    int rc;

    best_init(&a);
    *out = NULL;
    *n_out = 0;
    if ((rc = ct_store__prepare(&q, st, CT_Q_FINDINGS_IDENTITY_RECORDS)) < 0 ||
        (rc = ct_stmt_bind_text(q, 1, product)) < 0 || (rc = ct_stmt_bind_text(q, 2, state)) < 0)
        return rc;
    for (;;) {
        rc = ct_stmt_step(q);
        int64_t ident = rc == 1 ? ct_stmt_int64(q, 0) : 0;
        if (rc < 0)
            break;
        if (any && (rc == 0 || ident != cur)) { /* the previous identity is complete */
            int grown = ct_store__grow((void **)&v, &cap, n, sizeof *v, 256);
            if (grown < 0) { /* rc (the step's answer) decides below: kept otherwise */
                rc = grown;
                break;
            }
            best_take(&v[n++], &a, cur);
        }
        if (rc == 0)
            break;
        cur = ident;
        any = true;
        if ((rc = best_step(&a, q, &findings_records_cols)) < 0)
            break;
    }
    st->drv->reset(q);
    best_dispose(&a);
    if (rc < 0) {
        ct_store__identity_best_list_free(v, n);
        return rc;
    }
    *out = v;
    *n_out = n;
    return 0;
}

int ct_store__identity_best(int64_t *advisory_out, char **severity_out, ct_store *st,
                            int64_t identity_id)
{
    ct_stmt *q;
    ct_identity_best b;
    best_acc a;
    int rc;

    *advisory_out = 0;
    *severity_out = NULL;
    best_init(&a);
    if ((rc = ct_store__prepare(&q, st, CT_Q_IDENTITY_RECORDS)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, identity_id)) < 0)
        return rc;
    while ((rc = ct_stmt_step(q)) == 1)
        if ((rc = best_step(&a, q, &identity_records_cols)) < 0)
            break;
    st->drv->reset(q);
    if (rc < 0) {
        best_dispose(&a);
        return rc;
    }
    best_take(&b, &a, identity_id);
    *advisory_out = b.advisory_id;
    *severity_out = b.severity; /* moved */
    b.severity = NULL;
    best_fields_free(&b);
    return 0;
}

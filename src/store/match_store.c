/* Incremental matching against the store: a new component meets the ranges naming its
 * package; a new advisory meets the components of the packages it names. Every finding keeps
 * the range and rule that produced it. */
#include "store_int.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    int64_t range_id, advisory_id;
    char *vers;
} range_row;

typedef struct {
    int64_t id, release_id, product_id;
    char *version;
} comp_row;

/* A finding waiting to be written; vers is borrowed (index entry or the caller's row). */
typedef struct {
    int64_t advisory_id, component_id, release_id, product_id, range_id;
    const char *vers;
} pending;

struct ct_match_batch {
    pending *v;
    size_t n, cap;
    int64_t release_id; /* the release ct_store__match_component is collecting for */
};

/* The previous path (one ranges query per component, one insert and one triage resolution per
 * finding) when CT_MATCH_PER_PAIR is set to anything but "0": the baseline of
 * bench/bench_feed.c and of tests/match/test_match_index.c. */
static bool per_pair(ct_store *st)
{
    if (!st->match_mode) {
        const char *e = getenv("CT_MATCH_PER_PAIR");
        st->match_mode = e && *e && strcmp(e, "0") != 0 ? 2 : 1;
    }
    return st->match_mode == 2;
}

static void batch_free(struct ct_match_batch *b)
{
    if (b) {
        ct_free(b->v);
        ct_free(b);
    }
}

void ct_store__match_state_free(ct_store *st)
{
    ct_match_index_free(st->mindex);
    st->mindex = NULL;
    st->mindex_seen = 0;
    batch_free(st->mbatch);
    st->mbatch = NULL;
}

static int batch_push(struct ct_match_batch *b, const pending *p)
{
    if (b->n == b->cap) {
        size_t ncap = b->cap ? b->cap * 2 : 256;
        pending *nv = ct_reallocarray(b->v, ncap, sizeof *nv);
        if (!nv)
            return ct_error_set(CT_ENOMEM, "out of memory");
        b->v = nv;
        b->cap = ncap;
    }
    b->v[b->n++] = *p;
    return 0;
}

/* Build the index from the live ranges of the store, or catch up with ranges stored since it
 * was built (by another connection, or withdrawn records, which are skipped). */
static int index_ready(ct_store *st, bool *rebuilt)
{
    ct_stmt *q;
    int64_t max_id;
    int rc;

    if (rebuilt)
        *rebuilt = false;
    if ((rc = ct_store__prepare(&q, st, CT_Q_RANGE_MAX_ID)) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    max_id = rc == 1 ? ct_stmt_int64(q, 0) : 0;
    st->drv->reset(q);
    if (st->mindex && max_id == st->mindex_seen)
        return 0;
    if (st->mindex && max_id < st->mindex_seen) { /* ranges deleted at the top: ids may be reused */
        ct_match_index_free(st->mindex);
        st->mindex = NULL;
    }
    if (!st->mindex) {
        if ((rc = ct_match_index_new(&st->mindex)) < 0)
            return rc;
        st->mindex_seen = 0;
        if (rebuilt)
            *rebuilt = true;
    }
    if ((rc = ct_store__prepare(&q, st, CT_Q_RANGES_LIVE_SINCE)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, st->mindex_seen)) < 0)
        goto fail;
    while ((rc = ct_stmt_step(q)) == 1) {
        const char *key = ct_stmt_text(q, 2), *vers = ct_stmt_text(q, 3);
        if ((rc = ct_match_index_add(st->mindex, key ? key : "", ct_stmt_int64(q, 0),
                                     ct_stmt_int64(q, 1), vers ? vers : "")) < 0)
            break;
    }
    st->drv->reset(q);
    if (rc < 0)
        goto fail;
    st->mindex_seen = max_id;
    return 0;
fail:
    ct_match_index_free(st->mindex); /* half built: rebuilt on next use */
    st->mindex = NULL;
    st->mindex_seen = 0;
    return rc;
}

static int cmp_pending(const void *a, const void *b)
{
    const pending *x = a, *y = b;
    if (x->advisory_id != y->advisory_id)
        return x->advisory_id < y->advisory_id ? -1 : 1;
    if (x->component_id != y->component_id)
        return x->component_id < y->component_id ? -1 : 1;
    if (x->range_id != y->range_id)
        return x->range_id < y->range_id ? -1 : 1;
    return 0;
}

/* The rule: how the pair was joined (package key) and which scheme evaluated the range. */
static void rule_of(char rule[64], const char *vers)
{
    const char *slash = strchr(vers, '/');
    size_t n = slash && slash > vers + 5 ? (size_t)(slash - vers - 5) : 0;
    if (n > 40)
        n = 40;
    memcpy(rule, "pkg_key+vers:", 13);
    memcpy(rule + 13, vers + 5, n);
    rule[13 + n] = '\0';
}

/* Write a batch sorted by (advisory, component, range): one prepared insert in a loop, the
 * lowest range id of an advisory wins a component (as the per-pair path, which meets ranges in
 * id order), then one statement check per product and triage only where statements exist. */
static int batch_write(ct_store *st, struct ct_match_batch *b, ct_query_id insert,
                       ct_match_stats *stats)
{
    ct_stmt *q;
    char rule[64];
    int64_t now = ct_ctx_now(st->ctx);
    int64_t yes[16], no[16]; /* products with / without VEX statements, in this batch */
    size_t nyes = 0, nno = 0;
    int rc = 0;

    if (!b || !b->n)
        return 0;
    qsort(b->v, b->n, sizeof *b->v, cmp_pending);
    for (size_t i = 0; i < b->n; i++) {
        const pending *p = &b->v[i];
        if (i && cmp_pending(p, p - 1) == 0)
            continue; /* the same range met twice (index caught up with its own additions) */
        rule_of(rule, p->vers);
        if ((rc = ct_store__prepare(&q, st, insert)) < 0 ||
            (rc = ct_stmt_bind_int64(q, 1, p->advisory_id)) < 0 ||
            (rc = ct_stmt_bind_int64(q, 2, p->component_id)) < 0 ||
            (rc = ct_stmt_bind_int64(q, 3, p->release_id)) < 0 ||
            (rc = ct_stmt_bind_int64(q, 4, p->product_id)) < 0 ||
            (rc = ct_stmt_bind_int64(q, 5, p->range_id)) < 0 ||
            (rc = ct_stmt_bind_text(q, 6, rule)) < 0 ||
            (rc = ct_stmt_bind_int64(q, 7, now)) < 0 || (rc = ct_store__exec_stmt(q)) < 0)
            goto done;
        if (stats)
            stats->findings++;
        /* a distro's own "fixed / not affected" becomes a statement (store/distro_verdict.c) */
        if ((rc = ct_store__distro_verdict(st, p->advisory_id, p->component_id, p->release_id,
                                           p->product_id, p->vers)) < 0)
            goto done;
    }
    /* triage: the findings carry the state of their identity (own release or inherited);
     * nothing to resolve in a product without statements */
    for (size_t i = 0; i < b->n; i++) {
        const pending *p = &b->v[i];
        bool any = false, known = false;
        if (i && cmp_pending(p, p - 1) == 0)
            continue;
        for (size_t k = 0; !known && k < nyes; k++)
            known = any = yes[k] == p->product_id;
        for (size_t k = 0; !known && k < nno; k++)
            known = no[k] == p->product_id;
        if (!known) {
            if ((rc = ct_store__prepare(&q, st, CT_Q_VEX_ANY_OF_PRODUCT)) < 0 ||
                (rc = ct_stmt_bind_int64(q, 1, p->product_id)) < 0 ||
                (rc = ct_stmt_step(q)) < 0)
                goto done;
            any = rc == 1;
            st->drv->reset(q);
            rc = 0;
            if (any && nyes < CT_NELEM(yes))
                yes[nyes++] = p->product_id;
            else if (!any && nno < CT_NELEM(no))
                no[nno++] = p->product_id;
        }
        if (any &&
            (rc = ct_store__triage_resolve_pair(st, p->advisory_id, p->component_id,
                                                p->product_id)) < 0)
            goto done;
    }
done:
    b->n = 0;
    return rc;
}

typedef struct {
    struct ct_match_batch *b;
    int64_t component_id, release_id, product_id;
} hit_ctx;

static int on_hit(const ct_match_hit *h, void *payload)
{
    hit_ctx *c = payload;
    pending p = { h->advisory_id, c->component_id, c->release_id, c->product_id, h->range_id,
                  h->vers };
    return batch_push(c->b, &p);
}

int ct_store__match_flush(ct_store *st, ct_match_stats *stats)
{
    if (!st->mbatch)
        return 0;
    st->mbatch->release_id = 0;
    return batch_write(st, st->mbatch, CT_Q_FINDING_INSERT_LIVE, stats);
}

static int matcher(ct_matcher **out, ct_store *st)
{
    int rc;
    if (!st->matcher && (rc = ct_matcher_new(&st->matcher)) < 0)
        return rc;
    *out = st->matcher;
    return 0;
}

static int insert_finding(ct_store *st, int64_t advisory_id, int64_t component_id,
                          int64_t release_id, int64_t product_id, int64_t range_id,
                          const char *vers, ct_match_stats *stats)
{
    ct_stmt *q;
    char rule[64];
    const char *slash = strchr(vers, '/');
    size_t n = slash && slash > vers + 5 ? (size_t)(slash - vers - 5) : 0;
    int rc;

    /* rule: how the pair was joined (package key) and which scheme evaluated the range */
    if (n > 40)
        n = 40;
    memcpy(rule, "pkg_key+vers:", 13);
    memcpy(rule + 13, vers + 5, n);
    rule[13 + n] = '\0';
    if ((rc = ct_store__prepare(&q, st, CT_Q_FINDING_INSERT)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, advisory_id)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 2, component_id)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 3, release_id)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 4, product_id)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 5, range_id)) < 0 ||
        (rc = ct_stmt_bind_text(q, 6, rule)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 7, ct_ctx_now(st->ctx))) < 0 ||
        (rc = ct_store__exec_stmt(q)) < 0)
        return rc;
    if (stats)
        stats->findings++;
    /* a distro's own "fixed / not affected" becomes a statement first (store/distro_verdict.c) */
    if ((rc = ct_store__distro_verdict(st, advisory_id, component_id, release_id, product_id,
                                       vers)) < 0)
        return rc;
    /* the finding carries the triage of its identity (own release or inherited) */
    return ct_store__triage_resolve_pair(st, advisory_id, component_id, product_id);
}

/* Test one pair; an unevaluable pair is counted and skipped, never fatal. */
static int test_pair(bool *hit, ct_store *st, const char *vers, const char *version,
                     ct_match_stats *stats)
{
    ct_matcher *m;
    int rc;

    *hit = false;
    if ((rc = matcher(&m, st)) < 0)
        return rc;
    if (stats)
        stats->candidates++;
    rc = ct_matcher_test(hit, m, vers, version);
    if (rc == CT_ENOMEM)
        return rc;
    if (rc < 0) {
        ct_error_clear();
        *hit = false;
        if (stats)
            stats->unmatchable++;
    }
    return 0;
}

int ct_store__match_component(ct_store *st, int64_t component_id, int64_t release_id,
                              int64_t product_id, const char *pkg_key, const char *version,
                              ct_match_stats *stats)
{
    ct_stmt *q;
    range_row *rows = NULL;
    size_t n = 0, cap = 0;
    int rc;

    if (!per_pair(st)) {
        hit_ctx c = { st->mbatch, component_id, release_id, product_id };
        if (!c.b) {
            if (!(c.b = st->mbatch = ct_calloc(1, sizeof *c.b)))
                return ct_error_set(CT_ENOMEM, "out of memory");
        }
        if (c.b->release_id != release_id) {
            /* a new release: leftovers of a failed one are dropped, the index is brought up
             * to date once */
            c.b->n = 0;
            c.b->release_id = release_id;
            if ((rc = index_ready(st, NULL)) < 0) {
                c.b->release_id = 0;
                return rc;
            }
        }
        return ct_match_index_lookup(st->mindex, pkg_key, version, stats, on_hit, &c);
    }
    if ((rc = ct_store__prepare(&q, st, CT_Q_RANGES_BY_PKG)) < 0 ||
        (rc = ct_stmt_bind_text(q, 1, pkg_key)) < 0)
        return rc;
    while ((rc = ct_stmt_step(q)) == 1) {
        bool hit;
        const char *vers = ct_stmt_text(q, 3);
        if ((rc = test_pair(&hit, st, vers ? vers : "", version, stats)) < 0)
            break;
        if (!hit)
            continue;
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            range_row *nr = ct_reallocarray(rows, ncap, sizeof *rows);
            if (!nr) {
                rc = ct_error_set(CT_ENOMEM, "out of memory");
                break;
            }
            rows = nr;
            cap = ncap;
        }
        rows[n].range_id = ct_stmt_int64(q, 0);
        rows[n].advisory_id = ct_stmt_int64(q, 1);
        if (!(rows[n].vers = ct_strdup(vers ? vers : ""))) {
            rc = ct_error_set(CT_ENOMEM, "out of memory");
            break;
        }
        n++;
    }
    st->drv->reset(q);
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = insert_finding(st, rows[i].advisory_id, component_id, release_id, product_id,
                            rows[i].range_id, rows[i].vers, stats);
    for (size_t i = 0; i < n; i++)
        ct_free(rows[i].vers);
    ct_free(rows);
    return rc;
}

static int match_range(ct_store *st, int64_t advisory_id, int64_t range_id, const char *pkg_key,
                       const char *vers, struct ct_match_batch *batch, ct_match_stats *stats)
{
    ct_stmt *q;
    comp_row *rows = NULL;
    size_t n = 0, cap = 0;
    int rc;

    if ((rc = ct_store__prepare(&q, st, CT_Q_COMPONENTS_BY_PKG)) < 0 ||
        (rc = ct_stmt_bind_text(q, 1, pkg_key)) < 0)
        return rc;
    while ((rc = ct_stmt_step(q)) == 1) {
        bool hit;
        const char *cv = ct_stmt_text(q, 3);
        if ((rc = test_pair(&hit, st, vers, cv ? cv : "", stats)) < 0)
            break;
        if (!hit)
            continue;
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            comp_row *nr = ct_reallocarray(rows, ncap, sizeof *rows);
            if (!nr) {
                rc = ct_error_set(CT_ENOMEM, "out of memory");
                break;
            }
            rows = nr;
            cap = ncap;
        }
        rows[n].id = ct_stmt_int64(q, 0);
        rows[n].release_id = ct_stmt_int64(q, 1);
        rows[n].product_id = ct_stmt_int64(q, 2);
        rows[n].version = NULL;
        n++;
    }
    st->drv->reset(q);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        pending p = { advisory_id, rows[i].id, rows[i].release_id, rows[i].product_id, range_id,
                      vers };
        if (batch)
            rc = batch_push(batch, &p);
        else
            rc = insert_finding(st, advisory_id, rows[i].id, rows[i].release_id,
                                rows[i].product_id, range_id, vers, stats);
    }
    ct_free(rows);
    return rc;
}

int ct_store__match_advisory(ct_store *st, int64_t advisory_id, ct_match_stats *stats)
{
    ct_stmt *q;
    struct {
        int64_t id;
        char *key, *vers;
    } *rows = NULL;
    size_t n = 0, cap = 0;
    int rc;

    if ((rc = ct_store__prepare(&q, st, CT_Q_RANGES_OF_ADVISORY)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, advisory_id)) < 0)
        return rc;
    while ((rc = ct_stmt_step(q)) == 1) {
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            void *nr = ct_reallocarray(rows, ncap, sizeof *rows);
            if (!nr) {
                rc = ct_error_set(CT_ENOMEM, "out of memory");
                break;
            }
            rows = nr;
            cap = ncap;
        }
        rows[n].id = ct_stmt_int64(q, 0);
        rows[n].key = ct_strdup(ct_stmt_text(q, 1));
        rows[n].vers = ct_strdup(ct_stmt_text(q, 2));
        n++;
        if (!rows[n - 1].key || !rows[n - 1].vers) {
            rc = ct_error_set(CT_ENOMEM, "out of memory");
            break;
        }
    }
    st->drv->reset(q);
    struct ct_match_batch batch = { 0 };
    bool batched = !per_pair(st);
    if (rc == 0 && batched && st->mindex) {
        /* keep the index current: this record's earlier ranges go, its new ones come in (by
         * the catch-up when their ids are new, explicitly when SQLite reused the ids) */
        int64_t seen = st->mindex_seen;
        bool rebuilt;
        if ((rc = ct_match_index_remove_advisory(st->mindex, advisory_id)) == 0 &&
            (rc = index_ready(st, &rebuilt)) == 0 && !rebuilt)
            for (size_t i = 0; rc == 0 && i < n; i++)
                if (rows[i].id <= seen)
                    rc = ct_match_index_add(st->mindex, rows[i].key, rows[i].id, advisory_id,
                                            rows[i].vers);
    }
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = match_range(st, advisory_id, rows[i].id, rows[i].key, rows[i].vers,
                         batched ? &batch : NULL, stats);
    if (rc == 0)
        rc = batch_write(st, &batch, CT_Q_FINDING_INSERT, stats);
    ct_free(batch.v);
    for (size_t i = 0; i < n; i++) {
        ct_free(rows[i].key);
        ct_free(rows[i].vers);
    }
    ct_free(rows);
    return rc;
}

/* Every matchable component through the index, a page of components at a time: the page is
 * read to the end (lookups only, no writes while the statement is open), then its findings
 * are written. */
static int match_all_index(ct_store *st, ct_match_stats *stats)
{
    struct ct_match_batch batch = { 0 };
    ct_stmt *q;
    int64_t last = 0;
    int rc;

    if ((rc = index_ready(st, NULL)) < 0)
        return rc;
    for (;;) {
        size_t rows = 0;
        if ((rc = ct_store__prepare(&q, st, CT_Q_COMPONENTS_MATCHABLE)) < 0 ||
            (rc = ct_stmt_bind_int64(q, 1, last)) < 0)
            break;
        while ((rc = ct_stmt_step(q)) == 1) {
            hit_ctx c = { &batch, ct_stmt_int64(q, 0), ct_stmt_int64(q, 1), ct_stmt_int64(q, 2) };
            const char *key = ct_stmt_text(q, 3), *ver = ct_stmt_text(q, 4);
            last = c.component_id;
            rows++;
            if ((rc = ct_match_index_lookup(st->mindex, key ? key : "", ver ? ver : "", stats,
                                            on_hit, &c)) < 0)
                break;
        }
        st->drv->reset(q);
        if (rc < 0 || (rc = batch_write(st, &batch, CT_Q_FINDING_INSERT_LIVE, stats)) < 0 ||
            rows < 2048)
            break;
    }
    ct_free(batch.v);
    return rc;
}

int ct_store_match_all(ct_store *st, ct_match_stats *stats)
{
    ct_stmt *q;
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    uint64_t rekeyed = 0;
    int rc;

    if ((rc = ct_store_begin(st)) < 0)
        return rc;
    if ((rc = ct_store__prepare(&q, st, CT_Q_FINDINGS_CLEAR_ALL)) < 0 ||
        (rc = ct_store__exec_stmt(q)) < 0 || (rc = ct_store__identity_rebuild(st)) < 0 ||
        (rc = ct_store__distro_rekey(st, &rekeyed)) < 0) /* keys stored before distro scoping */
        goto done;
    if (rekeyed)
        ct_store__match_state_free(st); /* the index holds the old package keys */
    if (!per_pair(st))
        goto by_index;
    if ((rc = ct_store__prepare(&q, st, CT_Q_ADVISORY_IDS)) < 0)
        goto done;
    while ((rc = ct_stmt_step(q)) == 1) {
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 256;
            int64_t *ni = ct_reallocarray(ids, ncap, sizeof *ids);
            if (!ni) {
                rc = ct_error_set(CT_ENOMEM, "out of memory");
                break;
            }
            ids = ni;
            cap = ncap;
        }
        ids[n++] = ct_stmt_int64(q, 0);
    }
    st->drv->reset(q);
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = ct_store__match_advisory(st, ids[i], stats);
    goto done;
by_index:
    rc = match_all_index(st, stats);
done:
    ct_free(ids);
    if (rc < 0) {
        ct_store_rollback(st);
        return rc;
    }
    return ct_store_commit(st);
}

/* Incremental matching against the store: a new component meets the ranges naming its
 * package; a new advisory meets the components of the packages it names. Every finding keeps
 * the range and rule that produced it. */
#include "store_int.h"

#include "cratrace/ident.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    int64_t range_id, advisory_id;
    char *vers;
} range_row;

typedef struct {
    int64_t id, release_id, product_id;
    char *version;
} comp_row;

/* A finding waiting to be written; vers is borrowed (index entry or the caller's row). distro:
 * the range is a distro scheme and the component's key has distro data (a verdict to make). */
typedef struct {
    int64_t advisory_id, component_id, release_id, product_id, range_id;
    const char *vers;
    bool distro;
    int64_t reset_id; /* match_all: a kept finding whose state came from statements */
} pending;

/* A set of strings (package keys), open addressing. */
typedef struct {
    char **slot;
    size_t cap, used;
} keyset;

struct ct_match_batch {
    pending *v;
    size_t n, cap;
    int64_t release_id; /* the release ct_store__match_component is collecting for */
    /* package keys with ranges of a distribution's own records (live, alias d of
     * CT_DISTRO_SOURCE_D); valid while dkeys_loaded, kept with the index */
    keyset dkeys;
    bool dkeys_loaded;
    bool dkeys_releaseless; /* dkeys holds a distro key without a release (needs_verdict) */
    keyset dirty; /* keys distro records named since the last ct_store__distro_refresh */
    /* the stored keys follow this code's rules (ct_store__keys_ready ran in a transaction that
     * is committed or still open: a rollback frees the batch, so the check runs again) */
    bool keys_current;
};

static uint64_t hash_key(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static void keyset_clear(keyset *k)
{
    for (size_t i = 0; i < k->cap; i++)
        ct_free(k->slot[i]);
    ct_free(k->slot);
    memset(k, 0, sizeof *k);
}

static bool keyset_has(const keyset *k, const char *key)
{
    if (!k->used)
        return false;
    for (size_t i = hash_key(key) & (k->cap - 1); k->slot[i]; i = (i + 1) & (k->cap - 1))
        if (strcmp(k->slot[i], key) == 0)
            return true;
    return false;
}

static int keyset_add(keyset *k, const char *key)
{
    size_t i;
    if ((k->used + 1) * 2 > k->cap) {
        size_t ncap = k->cap ? k->cap * 2 : 64;
        char **ns = ct_calloc(ncap, sizeof *ns);
        if (!ns)
            return ct_error_set(CT_ENOMEM, "out of memory");
        for (size_t j = 0; j < k->cap; j++) {
            if (!k->slot[j])
                continue;
            for (i = hash_key(k->slot[j]) & (ncap - 1); ns[i]; i = (i + 1) & (ncap - 1))
                ;
            ns[i] = k->slot[j];
        }
        ct_free(k->slot);
        k->slot = ns;
        k->cap = ncap;
    }
    for (i = hash_key(key) & (k->cap - 1); k->slot[i]; i = (i + 1) & (k->cap - 1))
        if (strcmp(k->slot[i], key) == 0)
            return 0;
    if (!(k->slot[i] = ct_strdup(key)))
        return ct_error_set(CT_ENOMEM, "out of memory");
    k->used++;
    return 0;
}

static bool distro_scheme(const char *vers)
{
    return vers && (strncmp(vers, "vers:deb/", 9) == 0 || strncmp(vers, "vers:apk/", 9) == 0 ||
                    strncmp(vers, "vers:rpm/", 9) == 0);
}

/* ---- how package keys meet (docs/feeds.md "Distributions"; ct_package_key_distro) ----------
 * Data without a release applies to every release of its distribution: a component keyed
 * "deb/debian/openssl?distro=debian-12" meets the ranges of "deb/debian/openssl" too. Red Hat
 * also lets a component that names no release meet the data of every release (name-only, as
 * before streams were told apart): each release-scoped Red Hat range is indexed a second time
 * under "<base>?distro=*" ('*' is no release character), which such a component looks up. */
#define ANY_RELEASE "?distro=*"

/* The other key a component keyed `key` looks up, into out: 1 when there is one, else 0. */
static int component_alt_key(ct_buf *out, const char *key)
{
    size_t base;
    bool any;
    ct_pkgkey_kind k = ct_package_key_distro(&base, &any, key);

    ct_buf_reset(out);
    if (k == CT_PKGKEY_DISTRO_RELEASE)
        ct_buf_put(out, key, base);
    else if (k == CT_PKGKEY_DISTRO_ANY && any)
        ct_buf_printf(out, "%s" ANY_RELEASE, key);
    else
        return 0;
    return out->failed ? ct_error_set(CT_ENOMEM, "out of memory") : 1;
}

/* Add a range to the index under its key and, for a Red Hat release, the any-release alias. */
static int index_add(ct_match_index *ix, const char *key, int64_t range_id, int64_t advisory_id,
                     const char *vers)
{
    size_t base;
    bool any;
    int rc;

    if ((rc = ct_match_index_add(ix, key, range_id, advisory_id, vers)) < 0)
        return rc;
    if (ct_package_key_distro(&base, &any, key) == CT_PKGKEY_DISTRO_RELEASE && any) {
        ct_buf alias = CT_BUF_INIT;
        ct_buf_put(&alias, key, base);
        ct_buf_puts(&alias, ANY_RELEASE);
        rc = alias.failed ? ct_error_set(CT_ENOMEM, "out of memory")
                          : ct_match_index_add(ix, alias.ptr, range_id, advisory_id, vers);
        ct_buf_dispose(&alias);
    }
    return rc;
}

/* The matching state of the handle (batch, key sets), created on first use. */
static struct ct_match_batch *mstate(ct_store *st)
{
    if (!st->mbatch)
        st->mbatch = ct_calloc(1, sizeof *st->mbatch);
    if (!st->mbatch)
        ct_error_set(CT_ENOMEM, "out of memory");
    return st->mbatch;
}

/* Whether a finding on key through range vers needs a distro verdict: a distro scheme and,
 * once the keys with distro data are known, a key among them (without the set: always). */
static bool needs_verdict(ct_store *st, const char *key, const char *vers)
{
    if (!distro_scheme(vers))
        return false;
    if (!st->mindex || !st->mbatch || !st->mbatch->dkeys_loaded)
        return true;
    if (keyset_has(&st->mbatch->dkeys, key))
        return true;
    /* distro data without a release speaks for every release (distro_verdict.c) */
    size_t base;
    char buf[256];
    if (!st->mbatch->dkeys_releaseless ||
        ct_package_key_distro(&base, NULL, key) != CT_PKGKEY_DISTRO_RELEASE)
        return false;
    if (base >= sizeof buf)
        return true; /* no room to ask: the verdict looks itself */
    memcpy(buf, key, base);
    buf[base] = '\0';
    return keyset_has(&st->mbatch->dkeys, buf);
}

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
        keyset_clear(&b->dkeys);
        keyset_clear(&b->dirty);
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
    int rc = ct_store__grow((void **)&b->v, &b->cap, b->n, sizeof *b->v, 256);
    if (rc < 0)
        return rc;
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
    if (st->mindex && max_id == st->mindex_seen && st->mbatch && st->mbatch->dkeys_loaded)
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
        if ((rc = index_add(st->mindex, key ? key : "", ct_stmt_int64(q, 0),
                            ct_stmt_int64(q, 1), vers ? vers : "")) < 0)
            break;
    }
    st->drv->reset(q);
    if (rc < 0)
        goto fail;
    /* the keys with distro data, from the same ranges (a verdict is looked up only there) */
    struct ct_match_batch *ms = mstate(st);
    if (!ms) {
        rc = CT_ENOMEM;
        goto fail;
    }
    if (!ms->dkeys_loaded || st->mindex_seen == 0) { /* first load, or the index rebuilt */
        keyset_clear(&ms->dkeys);
        ms->dkeys_loaded = false;
        ms->dkeys_releaseless = false;
    }
    if (ms->dkeys_loaded ? (rc = ct_store__prepare(&q, st, CT_Q_DISTRO_KEYS_SINCE)) < 0 ||
                               (rc = ct_stmt_bind_int64(q, 1, st->mindex_seen)) < 0
                         : (rc = ct_store__prepare(&q, st, CT_Q_DISTRO_KEYS_ALL)) < 0)
        goto fail;
    while ((rc = ct_stmt_step(q)) == 1) {
        const char *key = ct_stmt_text(q, 0);
        if (key && ct_package_key_distro(NULL, NULL, key) == CT_PKGKEY_DISTRO_ANY)
            ms->dkeys_releaseless = true;
        if ((rc = keyset_add(&ms->dkeys, key ? key : "")) < 0)
            break;
    }
    st->drv->reset(q);
    if (rc < 0)
        goto fail;
    ms->dkeys_loaded = true;
    st->mindex_seen = max_id;
    return 0;
fail:
    if (st->mbatch) {
        keyset_clear(&st->mbatch->dkeys);
        st->mbatch->dkeys_loaded = false;
    }
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
    if (b->n > 1)
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
        if (p->distro &&
            (rc = ct_store__distro_verdict(st, p->advisory_id, p->component_id, p->release_id,
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
    ct_store *st;
    const char *key;
} hit_ctx;

static int on_hit(const ct_match_hit *h, void *payload)
{
    hit_ctx *c = payload;
    pending p = { h->advisory_id, c->component_id, c->release_id, c->product_id, h->range_id,
                  h->vers, needs_verdict(c->st, c->key, h->vers), 0 };
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

/* The per-pair path: the ranges of key (CT_Q_RANGES_BY_PKG) or of every key starting with it
 * (CT_Q_RANGES_BY_PKG_PREFIX) that contain version, appended to *rows. */
static int pair_ranges(range_row **rows, size_t *n, size_t *cap, ct_store *st, ct_query_id qid,
                       const char *key, const char *version, ct_match_stats *stats)
{
    ct_stmt *q;
    int rc;

    if ((rc = ct_store__prepare(&q, st, qid)) < 0 || (rc = ct_stmt_bind_text(q, 1, key)) < 0 ||
        (qid == CT_Q_RANGES_BY_PKG_PREFIX &&
         (rc = ct_stmt_bind_int64(q, 2, (int64_t)strlen(key))) < 0))
        return rc;
    while ((rc = ct_stmt_step(q)) == 1) {
        bool hit;
        const char *vers = ct_stmt_text(q, 3);
        if ((rc = test_pair(&hit, st, vers ? vers : "", version, stats)) < 0)
            break;
        if (!hit)
            continue;
        if ((rc = ct_store__grow((void **)rows, cap, *n, sizeof **rows, 8)) < 0)
            break;
        (*rows)[*n].range_id = ct_stmt_int64(q, 0);
        (*rows)[*n].advisory_id = ct_stmt_int64(q, 1);
        if (!((*rows)[*n].vers = ct_strdup(vers ? vers : ""))) {
            rc = ct_error_set(CT_ENOMEM, "out of memory");
            break;
        }
        (*n)++;
    }
    st->drv->reset(q);
    return rc < 0 ? rc : 0;
}

int ct_store__match_component(ct_store *st, int64_t component_id, int64_t release_id,
                              int64_t product_id, const char *pkg_key, const char *version,
                              ct_match_stats *stats)
{
    range_row *rows = NULL;
    size_t n = 0, cap = 0;
    int rc;

    if ((!st->mbatch || !st->mbatch->keys_current) && (rc = ct_store__keys_ready(st)) < 0)
        return rc;
    if (!per_pair(st)) {
        hit_ctx c = { mstate(st), component_id, release_id, product_id, st, pkg_key };
        if (!c.b)
            return CT_ENOMEM;
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
        if ((rc = ct_match_index_lookup(st->mindex, pkg_key, version, stats, on_hit, &c)) < 0)
            return rc;
        ct_buf alt = CT_BUF_INIT;
        if ((rc = component_alt_key(&alt, pkg_key)) == 1)
            rc = ct_match_index_lookup(st->mindex, alt.ptr, version, stats, on_hit, &c);
        ct_buf_dispose(&alt);
        return rc;
    }
    /* per pair: the component's key, then the other key it meets (the release-less one, or
     * every release of a Red Hat package: by prefix, no index here) */
    ct_buf alt = CT_BUF_INIT;
    int alt_rc = component_alt_key(&alt, pkg_key);
    if (alt_rc < 0)
        return alt_rc;
    rc = pair_ranges(&rows, &n, &cap, st, CT_Q_RANGES_BY_PKG, pkg_key, version, stats);
    if (rc == 0 && alt_rc == 1) {
        bool prefix = alt.ptr[alt.len - 1] == '*';
        if (prefix)
            alt.ptr[--alt.len] = '\0'; /* "<base>?distro=" */
        rc = pair_ranges(&rows, &n, &cap, st, prefix ? CT_Q_RANGES_BY_PKG_PREFIX : CT_Q_RANGES_BY_PKG,
                         alt.ptr, version, stats);
    }
    ct_buf_dispose(&alt);
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = insert_finding(st, rows[i].advisory_id, component_id, release_id, product_id,
                            rows[i].range_id, rows[i].vers, stats);
    for (size_t i = 0; i < n; i++)
        ct_free(rows[i].vers);
    ct_free(rows);
    return rc;
}

/* The components of one query (CT_Q_COMPONENTS_BY_PKG: pkg_key = key, CT_Q_COMPONENTS_BY_PKG_BASE:
 * pkg_base = key) whose version the range contains, appended to *rows. */
static int range_components(comp_row **rows, size_t *n, size_t *cap, ct_store *st,
                            ct_query_id qid, const char *key, const char *vers,
                            ct_match_stats *stats)
{
    ct_stmt *q;
    int rc;

    if ((rc = ct_store__prepare(&q, st, qid)) < 0 || (rc = ct_stmt_bind_text(q, 1, key)) < 0)
        return rc;
    while ((rc = ct_stmt_step(q)) == 1) {
        bool hit;
        const char *cv = ct_stmt_text(q, 3);
        if ((rc = test_pair(&hit, st, vers, cv ? cv : "", stats)) < 0)
            break;
        if (!hit)
            continue;
        if ((rc = ct_store__grow((void **)rows, cap, *n, sizeof **rows, 16)) < 0)
            break;
        (*rows)[*n].id = ct_stmt_int64(q, 0);
        (*rows)[*n].release_id = ct_stmt_int64(q, 1);
        (*rows)[*n].product_id = ct_stmt_int64(q, 2);
        (*rows)[*n].version = NULL;
        (*n)++;
    }
    st->drv->reset(q);
    return rc < 0 ? rc : 0;
}

static int match_range(ct_store *st, int64_t advisory_id, int64_t range_id, const char *pkg_key,
                       const char *vers, struct ct_match_batch *batch, ct_match_stats *stats)
{
    comp_row *rows = NULL;
    size_t n = 0, cap = 0, own, base;
    bool any;
    ct_pkgkey_kind kind = ct_package_key_distro(&base, &any, pkg_key);
    int rc;

    /* the components keyed as the range; for a release-less distro range also those of every
     * release (pkg_base, migration 0026); for a Red Hat release also those naming no release */
    rc = range_components(&rows, &n, &cap, st, CT_Q_COMPONENTS_BY_PKG, pkg_key, vers, stats);
    own = n;
    if (rc == 0 && kind == CT_PKGKEY_DISTRO_ANY)
        rc = range_components(&rows, &n, &cap, st, CT_Q_COMPONENTS_BY_PKG_BASE, pkg_key, vers,
                              stats);
    if (rc == 0 && kind == CT_PKGKEY_DISTRO_RELEASE && any) {
        char *b = ct_strndup(pkg_key, base);
        rc = b ? range_components(&rows, &n, &cap, st, CT_Q_COMPONENTS_BY_PKG, b, vers, stats)
               : ct_error_set(CT_ENOMEM, "out of memory");
        ct_free(b);
    }
    for (size_t i = 0; rc == 0 && i < n; i++) {
        /* met through another key: the verdict finds the component's own key itself */
        pending p = { advisory_id, rows[i].id, rows[i].release_id, rows[i].product_id, range_id,
                      vers, i < own ? needs_verdict(st, pkg_key, vers) : distro_scheme(vers), 0 };
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

    if ((rc = ct_store__keys_ready(st)) < 0 || /* stored keys by the current rules */
        (rc = ct_store__prepare(&q, st, CT_Q_RANGES_OF_ADVISORY)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, advisory_id)) < 0)
        return rc;
    while ((rc = ct_stmt_step(q)) == 1) {
        if ((rc = ct_store__grow((void **)&rows, &cap, n, sizeof *rows, 8)) < 0)
            break;
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
                    rc = index_add(st->mindex, rows[i].key, rows[i].id, advisory_id,
                                   rows[i].vers);
    }
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = match_range(st, advisory_id, rows[i].id, rows[i].key, rows[i].vers,
                         batched ? &batch : NULL, stats);
    if (rc == 0)
        rc = batch_write(st, &batch, CT_Q_FINDING_INSERT, stats);
    ct_free(batch.v);
    /* a distribution's own record: the verdicts on the keys it names are recomputed (now, or
     * by the import once identities are regrouped) */
    bool distro = false;
    for (size_t i = 0; rc == 0 && !distro && i < n; i++)
        distro = distro_scheme(rows[i].vers);
    if (rc == 0 && distro) {
        if ((rc = ct_store__prepare(&q, st, CT_Q_DISTRO_ADV_IS_SOURCE)) == 0) {
            if ((rc = ct_stmt_bind_int64(q, 1, advisory_id)) == 0 &&
                (rc = ct_stmt_step(q)) >= 0) {
                distro = rc == 1;
                rc = 0;
            }
            st->drv->reset(q);
        }
        struct ct_match_batch *ms = rc == 0 && distro ? mstate(st) : NULL;
        if (rc == 0 && distro && !ms)
            rc = CT_ENOMEM;
        for (size_t i = 0; rc == 0 && ms && i < n; i++)
            if (distro_scheme(rows[i].vers) && (rc = keyset_add(&ms->dirty, rows[i].key)) == 0 &&
                ms->dkeys_loaded) {
                rc = keyset_add(&ms->dkeys, rows[i].key);
                if (ct_package_key_distro(NULL, NULL, rows[i].key) == CT_PKGKEY_DISTRO_ANY)
                    ms->dkeys_releaseless = true;
            }
        if (rc == 0 && distro && !st->identity_deferred)
            rc = ct_store__distro_refresh(st);
    }
    for (size_t i = 0; i < n; i++) {
        ct_free(rows[i].key);
        ct_free(rows[i].vers);
    }
    ct_free(rows);
    return rc;
}

int ct_store__distro_note_record(ct_store *st, int64_t advisory_id)
{
    ct_stmt *q;
    struct ct_match_batch *ms;
    int rc;

    if ((rc = ct_store__keys_ready(st)) < 0 || /* the keys noted are those of the rules now */
        (rc = ct_store__prepare(&q, st, CT_Q_DISTRO_ADV_IS_SOURCE)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, advisory_id)) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    st->drv->reset(q);
    if (rc == 0) /* not a distribution's own record: it decides no verdict */
        return 0;
    if (!(ms = mstate(st)))
        return CT_ENOMEM;
    if ((rc = ct_store__prepare(&q, st, CT_Q_RANGES_OF_ADVISORY)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, advisory_id)) < 0)
        return rc;
    while ((rc = ct_stmt_step(q)) == 1) {
        const char *key = ct_stmt_text(q, 1);
        if (key && distro_scheme(ct_stmt_text(q, 2)) && (rc = keyset_add(&ms->dirty, key)) < 0)
            break;
    }
    st->drv->reset(q);
    return rc < 0 ? rc : 0;
}

int ct_store__distro_refresh(ct_store *st)
{
    typedef struct {
        int64_t advisory_id, component_id, release_id, product_id;
        char *vers;
    } frow;
    struct ct_match_batch *ms = st->mbatch;
    frow *rows = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;

    if (!ms || !ms->dirty.used)
        return 0;
    if ((rc = ct_store__keys_ready(st)) < 0)
        return rc;
    /* each dirty key; a release-less one also for the components of every release */
    for (size_t k = 0; rc == 0 && k < ms->dirty.cap; k++) {
        const char *dk = ms->dirty.slot[k];
        int npass = dk && ct_package_key_distro(NULL, NULL, dk) == CT_PKGKEY_DISTRO_ANY ? 2 : 1;
        for (int pass = 0; dk && rc == 0 && pass < npass; pass++) {
            ct_stmt *q;
            if ((rc = ct_store__prepare(&q, st, pass ? CT_Q_DISTRO_FINDINGS_OF_BASE
                                                     : CT_Q_DISTRO_FINDINGS_OF_KEY)) < 0 ||
                (rc = ct_stmt_bind_text(q, 1, dk)) < 0)
                break;
            while ((rc = ct_stmt_step(q)) == 1) {
                const char *vers = ct_stmt_text(q, 4);
                if (!distro_scheme(vers))
                    continue;
                if ((rc = ct_store__grow((void **)&rows, &cap, n, sizeof *rows, 16)) < 0)
                    break;
                rows[n] = (frow){ ct_stmt_int64(q, 0), ct_stmt_int64(q, 1), ct_stmt_int64(q, 2),
                                  ct_stmt_int64(q, 3), ct_strdup(vers) };
                if (!rows[n++].vers)
                    rc = ct_error_set(CT_ENOMEM, "out of memory");
                if (rc < 0)
                    break;
            }
            st->drv->reset(q);
        }
    }
    if (rc > 0)
        rc = 0;
    /* every verdict first (each withdrawal re-resolves its product), then the triage of each
     * finding from the statements as they now are */
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = ct_store__distro_verdict(st, rows[i].advisory_id, rows[i].component_id,
                                      rows[i].release_id, rows[i].product_id, rows[i].vers);
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = ct_store__triage_resolve_pair(st, rows[i].advisory_id, rows[i].component_id,
                                           rows[i].product_id);
    for (size_t i = 0; i < n; i++)
        ct_free(rows[i].vers);
    ct_free(rows);
    if (rc == 0)
        keyset_clear(&ms->dirty);
    return rc;
}

/* Per-phase CPU and wall time of ct_store_match_all, printed to stderr as bench TSV rows when
 * CT_MATCH_PROFILE is set (bench/bench_feed.c, docs/PERFORMANCE.md section 4). */
enum { PH_PREPARE, PH_INDEX, PH_LOOKUP, PH_READ, PH_WRITE, PH_VERDICT, PH_TRIAGE, PH__N };
static const char *const phase_name[PH__N] = {
    "clear_identity_rekey", "index", "components_lookup", "findings_read", "write",
    "distro_verdict",       "triage"
};
typedef struct {
    bool on;
    double cpu[PH__N], wall[PH__N], cpu0, wall0;
} profile;

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void prof_mark(profile *p)
{
    if (p->on) {
        p->cpu0 = cpu_seconds();
        p->wall0 = ct_clock_mono();
    }
}

static void prof_add(profile *p, int ph)
{
    if (p->on) {
        double c = cpu_seconds(), w = ct_clock_mono();
        p->cpu[ph] += c - p->cpu0;
        p->wall[ph] += w - p->wall0;
        p->cpu0 = c;
        p->wall0 = w;
    }
}

/* A finding already stored, read back for the comparison. */
typedef struct {
    int64_t id, advisory_id, component_id, range_id;
    char rule[64];
    bool plain; /* state in_triage, no statement */
    bool seen;
} stored;

static int cmp_stored(const void *a, const void *b)
{
    const stored *x = a, *y = b;
    if (x->component_id != y->component_id)
        return x->component_id < y->component_id ? -1 : 1;
    if (x->advisory_id != y->advisory_id)
        return x->advisory_id < y->advisory_id ? -1 : 1;
    return 0;
}

static int cmp_pending_cpt(const void *a, const void *b)
{
    const pending *x = a, *y = b;
    if (x->component_id != y->component_id)
        return x->component_id < y->component_id ? -1 : 1;
    if (x->advisory_id != y->advisory_id)
        return x->advisory_id < y->advisory_id ? -1 : 1;
    if (x->range_id != y->range_id)
        return x->range_id < y->range_id ? -1 : 1;
    return 0;
}

static int exec_id(ct_store *st, ct_query_id qid, int64_t id, int64_t range_id, const char *rule)
{
    ct_stmt *q;
    int rc;
    if ((rc = ct_store__prepare(&q, st, qid)) < 0 || (rc = ct_stmt_bind_int64(q, 1, id)) < 0 ||
        (rule && ((rc = ct_stmt_bind_int64(q, 2, range_id)) < 0 ||
                  (rc = ct_stmt_bind_text(q, 3, rule)) < 0)))
        return rc;
    return ct_store__exec_stmt(q);
}

/* The stored findings of components in (lo, hi], sorted by (component, advisory). */
static int read_stored(stored **v, size_t *n, size_t *cap, ct_store *st, int64_t lo, int64_t hi)
{
    ct_stmt *q;
    int rc;

    *n = 0;
    if ((rc = ct_store__prepare(&q, st, CT_Q_FINDINGS_OF_COMPONENTS)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, lo)) < 0 || (rc = ct_stmt_bind_int64(q, 2, hi)) < 0)
        return rc;
    while ((rc = ct_stmt_step(q)) == 1) {
        if ((rc = ct_store__grow((void **)v, cap, *n, sizeof **v, 1024)) < 0)
            break;
        stored *e = &(*v)[(*n)++];
        const char *rule = ct_stmt_text(q, 4), *state = ct_stmt_text(q, 5);
        e->id = ct_stmt_int64(q, 0);
        e->advisory_id = ct_stmt_int64(q, 1);
        e->component_id = ct_stmt_int64(q, 2);
        e->range_id = ct_stmt_int64(q, 3);
        snprintf(e->rule, sizeof e->rule, "%s", rule ? rule : "");
        e->plain = state && strcmp(state, "in_triage") == 0 && ct_stmt_is_null(q, 6);
        e->seen = false;
    }
    st->drv->reset(q);
    if (rc < 0)
        return rc;
    if (*n > 1)
        qsort(*v, *n, sizeof **v, cmp_stored);
    return 0;
}

/* Every component through the index, a page of components at a time, compared with the
 * findings stored for the same components: only the difference is written (new findings
 * inserted, vanished ones deleted, a changed range updated), so the findings that stay keep
 * their id, creation time and triage. Verdicts and triage as for new findings. */
static int match_all_index(ct_store *st, ct_match_stats *stats, profile *pf)
{
    struct ct_match_batch batch = { 0 };
    ct_buf alt = CT_BUF_INIT; /* the other key a component meets (component_alt_key) */
    stored *old = NULL;
    size_t nold = 0, capold = 0;
    ct_stmt *q;
    int64_t last = 0, now = ct_ctx_now(st->ctx);
    int rc;

    if ((rc = index_ready(st, NULL)) < 0)
        return rc;
    prof_add(pf, PH_INDEX);
    for (;;) {
        size_t rows = 0;
        int64_t lo = last;
        if ((rc = ct_store__prepare(&q, st, CT_Q_COMPONENTS_MATCHABLE)) < 0 ||
            (rc = ct_stmt_bind_int64(q, 1, last)) < 0)
            break;
        while ((rc = ct_stmt_step(q)) == 1) {
            const char *key = ct_stmt_text(q, 3), *ver = ct_stmt_text(q, 4);
            hit_ctx c = { &batch, ct_stmt_int64(q, 0), ct_stmt_int64(q, 1), ct_stmt_int64(q, 2),
                          st, key ? key : "" };
            last = c.component_id;
            rows++;
            if ((rc = ct_match_index_lookup(st->mindex, c.key, ver ? ver : "", stats, on_hit,
                                            &c)) < 0 ||
                (rc = component_alt_key(&alt, c.key)) < 0 ||
                (rc == 1 && (rc = ct_match_index_lookup(st->mindex, alt.ptr, ver ? ver : "",
                                                        stats, on_hit, &c)) < 0))
                break;
            rc = 1;
        }
        st->drv->reset(q);
        if (rc < 0)
            break;
        prof_add(pf, PH_LOOKUP);
        /* the last page reaches past every component: findings of components gone or no
         * longer matchable are deleted too */
        if ((rc = read_stored(&old, &nold, &capold, st, lo, rows < 2048 ? INT64_MAX : last)) < 0)
            break;
        prof_add(pf, PH_READ);
        if (batch.n > 1)
            qsort(batch.v, batch.n, sizeof *batch.v, cmp_pending_cpt);
        /* merge: pending sorted by (component, advisory, range), stored by (component,
         * advisory); the lowest range of an advisory wins a component, as on the per-pair path */
        size_t j = 0, keep = 0;
        for (size_t i = 0; rc == 0 && i < batch.n; i++) {
            pending *p = &batch.v[i];
            char rule[64];
            if (i && cmp_pending_cpt(p, p - 1) == 0)
                continue; /* the same range met twice */
            if (stats)
                stats->findings++;
            if (i && p->component_id == p[-1].component_id &&
                p->advisory_id == p[-1].advisory_id)
                continue; /* a higher range of the same advisory */
            batch.v[keep++] = *p;
            while (j < nold && (old[j].component_id < p->component_id ||
                                (old[j].component_id == p->component_id &&
                                 old[j].advisory_id < p->advisory_id)))
                j++;
            rule_of(rule, p->vers);
            if (j < nold && old[j].component_id == p->component_id &&
                old[j].advisory_id == p->advisory_id) {
                old[j].seen = true;
                if (old[j].range_id != p->range_id || strcmp(old[j].rule, rule) != 0)
                    rc = exec_id(st, CT_Q_FINDING_SET_RANGE, old[j].id, p->range_id, rule);
                batch.v[keep - 1].reset_id = old[j].plain ? 0 : old[j].id; /* triage below */
                continue;
            }
            if ((rc = ct_store__prepare(&q, st, CT_Q_FINDING_INSERT_LIVE)) < 0 ||
                (rc = ct_stmt_bind_int64(q, 1, p->advisory_id)) < 0 ||
                (rc = ct_stmt_bind_int64(q, 2, p->component_id)) < 0 ||
                (rc = ct_stmt_bind_int64(q, 3, p->release_id)) < 0 ||
                (rc = ct_stmt_bind_int64(q, 4, p->product_id)) < 0 ||
                (rc = ct_stmt_bind_int64(q, 5, p->range_id)) < 0 ||
                (rc = ct_stmt_bind_text(q, 6, rule)) < 0 ||
                (rc = ct_stmt_bind_int64(q, 7, now)) < 0 || (rc = ct_store__exec_stmt(q)) < 0)
                break;
            batch.v[keep - 1].reset_id = 0; /* new: in_triage */
        }
        for (size_t k = 0; rc == 0 && k < nold; k++)
            if (!old[k].seen)
                rc = exec_id(st, CT_Q_FINDING_DELETE, old[k].id, 0, NULL);
        if (rc < 0)
            break;
        prof_add(pf, PH_WRITE);
        /* a distro's own "fixed / not affected" becomes a statement, or is withdrawn */
        for (size_t i = 0; rc == 0 && i < keep; i++)
            if (batch.v[i].distro)
                rc = ct_store__distro_verdict(st, batch.v[i].advisory_id, batch.v[i].component_id,
                                              batch.v[i].release_id, batch.v[i].product_id,
                                              batch.v[i].vers);
        prof_add(pf, PH_VERDICT);
        /* triage: resolved where the product has statements; elsewhere a finding that kept a
         * state from statements since removed goes back to in_triage */
        int64_t yes[16], no[16];
        size_t nyes = 0, nno = 0;
        for (size_t i = 0; rc == 0 && i < keep; i++) {
            const pending *p = &batch.v[i];
            bool any = false, known = false;
            for (size_t k = 0; !known && k < nyes; k++)
                known = any = yes[k] == p->product_id;
            for (size_t k = 0; !known && k < nno; k++)
                known = no[k] == p->product_id;
            if (!known) {
                if ((rc = ct_store__prepare(&q, st, CT_Q_VEX_ANY_OF_PRODUCT)) < 0 ||
                    (rc = ct_stmt_bind_int64(q, 1, p->product_id)) < 0 ||
                    (rc = ct_stmt_step(q)) < 0)
                    break;
                any = rc == 1;
                st->drv->reset(q);
                rc = 0;
                if (any && nyes < CT_NELEM(yes))
                    yes[nyes++] = p->product_id;
                else if (!any && nno < CT_NELEM(no))
                    no[nno++] = p->product_id;
            }
            if (any)
                rc = ct_store__triage_resolve_pair(st, p->advisory_id, p->component_id,
                                                   p->product_id);
            else if (p->reset_id &&
                     (rc = ct_store__prepare(&q, st, CT_Q_FINDING_SET_STATE)) == 0 &&
                     (rc = ct_stmt_bind_int64(q, 1, p->reset_id)) == 0 &&
                     (rc = ct_stmt_bind_text(q, 2, "in_triage")) == 0 &&
                     (rc = ct_stmt_bind_text(q, 3, NULL)) == 0 &&
                     (rc = ct_stmt_bind_text(q, 4, NULL)) == 0)
                rc = ct_store__exec_stmt(q);
        }
        prof_add(pf, PH_TRIAGE);
        batch.n = 0;
        if (rc < 0 || rows < 2048)
            break;
    }
    ct_free(batch.v);
    ct_free(old);
    ct_buf_dispose(&alt);
    return rc;
}

static int keys_ready(ct_store *st, bool rematch);

int ct_store_match_all(ct_store *st, ct_match_stats *stats)
{
    ct_stmt *q;
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    int rc;

    profile pf;
    const char *prof_env = getenv("CT_MATCH_PROFILE");

    memset(&pf, 0, sizeof pf);
    pf.on = prof_env && *prof_env && strcmp(prof_env, "0") != 0;
    prof_mark(&pf);
    if ((rc = ct_store_begin(st)) < 0)
        return rc;
    /* per pair: every finding is cleared and written again; the index path writes only the
     * difference (match_all_index) */
    if ((per_pair(st) && ((rc = ct_store__prepare(&q, st, CT_Q_FINDINGS_CLEAR_ALL)) < 0 ||
                          (rc = ct_store__exec_stmt(q)) < 0)) ||
        (rc = ct_store__identity_refresh(st, NULL)) < 0 || /* full pass only when stale */
        (rc = keys_ready(st, false)) < 0) /* re-key only: the whole store is rematched below */
        goto done;
    prof_add(&pf, PH_PREPARE);
    if (!per_pair(st))
        goto by_index;
    if ((rc = ct_store__prepare(&q, st, CT_Q_ADVISORY_IDS)) < 0)
        goto done;
    while ((rc = ct_stmt_step(q)) == 1) {
        if ((rc = ct_store__grow((void **)&ids, &cap, n, sizeof *ids, 256)) < 0)
            break;
        ids[n++] = ct_stmt_int64(q, 0);
    }
    st->drv->reset(q);
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = ct_store__match_advisory(st, ids[i], stats);
    goto done;
by_index:
    rc = match_all_index(st, stats, &pf);
    if (rc == 0 && st->mbatch)
        keyset_clear(&st->mbatch->dirty); /* every verdict was just recomputed */
done:
    ct_free(ids);
    for (int i = 0; pf.on && i < PH__N; i++)
        fprintf(stderr, "feed\tmatch_all_phase_%s\tcpu_seconds\t%.3f\ts\nfeed\tmatch_all_phase_%s"
                        "\twall_seconds\t%.3f\ts\n",
                phase_name[i], pf.cpu[i], phase_name[i], pf.wall[i]);
    if (rc < 0) {
        ct_store_rollback(st);
        return rc;
    }
    return ct_store_commit(st);
}

/* Stored keys by this code's rules (store_state keys_version, migration 0029), once per handle
 * and transaction: when the store's rules are older, every row is re-keyed
 * (ct_store__distro_rekey); when a key changed, the index is dropped and, with rematch, every
 * component is matched again the way match_all does (the difference written, triage kept), so the
 * findings of stored rows follow the new keys too, with no `cratrace match`. Runs in the
 * caller's transaction (one of its own outside one): a rollback undoes it with the write. */
static int keys_ready(ct_store *st, bool rematch)
{
    struct ct_match_batch *ms = mstate(st);
    bool own = st->tx_depth == 0, stale = false;
    uint64_t changed = 0;
    int rc;

    if (!ms)
        return CT_ENOMEM;
    if (ms->keys_current)
        return 0;
    if (own && (rc = ct_store_begin(st)) < 0)
        return rc;
    if ((rc = ct_store__keys_claim(&stale, st)) == 0 && stale &&
        (rc = ct_store__distro_rekey(st, &changed)) == 0 && changed) {
        ct_match_index_free(st->mindex); /* it holds the old keys; rebuilt on use */
        st->mindex = NULL;
        st->mindex_seen = 0;
        keyset_clear(&ms->dkeys);
        ms->dkeys_loaded = false;
        ms->dkeys_releaseless = false;
        if (rematch) {
            profile pf;
            memset(&pf, 0, sizeof pf);
            rc = match_all_index(st, NULL, &pf);
        }
    }
    if (rc < 0) {
        if (own)
            ct_store_rollback(st);
        return rc;
    }
    if (own && (rc = ct_store_commit(st)) < 0)
        return rc;
    if (st->mbatch) /* a failed commit frees it: checked again next time */
        st->mbatch->keys_current = true;
    return 0;
}

int ct_store__keys_ready(ct_store *st)
{
    return keys_ready(st, true);
}

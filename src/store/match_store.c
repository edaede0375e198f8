/* Incremental matching against the store: a new component meets the ranges naming its
 * package; a new advisory meets the components of the packages it names. Every finding keeps
 * the range and rule that produced it. */
#include "store_int.h"

#include <string.h>

typedef struct {
    int64_t range_id, advisory_id;
    char *vers;
} range_row;

typedef struct {
    int64_t id, release_id, product_id;
    char *version;
} comp_row;

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
                       const char *vers, ct_match_stats *stats)
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
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = insert_finding(st, advisory_id, rows[i].id, rows[i].release_id, rows[i].product_id,
                            range_id, vers, stats);
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
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = match_range(st, advisory_id, rows[i].id, rows[i].key, rows[i].vers, stats);
    for (size_t i = 0; i < n; i++) {
        ct_free(rows[i].key);
        ct_free(rows[i].vers);
    }
    ct_free(rows);
    return rc;
}

int ct_store_match_all(ct_store *st, ct_match_stats *stats)
{
    ct_stmt *q;
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    int rc;

    if ((rc = ct_store_begin(st)) < 0)
        return rc;
    if ((rc = ct_store__prepare(&q, st, CT_Q_FINDINGS_CLEAR_ALL)) < 0 ||
        (rc = ct_store__exec_stmt(q)) < 0 || (rc = ct_store__identity_rebuild(st)) < 0)
        goto done;
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
done:
    ct_free(ids);
    if (rc < 0) {
        ct_store_rollback(st);
        return rc;
    }
    return ct_store_commit(st);
}

/* Advisories: insert or replace by ID (newer `modified` wins), aliases, affected ranges, and
 * the rematch of just the packages the advisory names. Withdrawn advisories keep their record
 * but retract their findings. */
#include "store_int.h"

static int put_children(ct_store *st, int64_t id, const ct_advisory *adv)
{
    ct_stmt *q;
    int rc;

    for (size_t i = 0; i < adv->naliases; i++) {
        if ((rc = ct_store__prepare(&q, st, CT_Q_ALIAS_INSERT)) < 0 ||
            (rc = ct_stmt_bind_int64(q, 1, id)) < 0 ||
            (rc = ct_stmt_bind_text(q, 2, adv->aliases[i])) < 0 ||
            (rc = ct_store__exec_stmt(q)) < 0)
            return rc;
    }
    for (size_t i = 0; i < adv->nranges; i++) {
        const ct_affected_range *r = &adv->ranges[i];
        if ((rc = ct_store__prepare(&q, st, CT_Q_RANGE_INSERT)) < 0 ||
            (rc = ct_stmt_bind_int64(q, 1, id)) < 0 ||
            (rc = ct_stmt_bind_text(q, 2, r->pkg_key)) < 0 ||
            (rc = ct_stmt_bind_text(q, 3, r->ecosystem ? r->ecosystem : "")) < 0 ||
            (rc = ct_stmt_bind_text(q, 4, r->scheme)) < 0 ||
            (rc = ct_stmt_bind_text(q, 5, r->range_type)) < 0 ||
            (rc = ct_stmt_bind_text(q, 6, r->vers)) < 0 || (rc = ct_stmt_step(q)) < 0)
            return rc;
        st->drv->reset(q);
    }
    return 0;
}

static int bind_fields(ct_stmt *q, const ct_advisory *adv)
{
    int rc;
    if ((rc = ct_stmt_bind_text(q, 2, adv->source ? adv->source : "osv")) < 0 ||
        (rc = ct_stmt_bind_text(q, 3, adv->summary)) < 0 ||
        (rc = ct_stmt_bind_text(q, 4, adv->severity)) < 0 ||
        (rc = ct_stmt_bind_text(q, 5, adv->cvss)) < 0 ||
        (rc = ct_stmt_bind_opt_int64(q, 6, adv->published, CT_TIME_NONE)) < 0 ||
        (rc = ct_stmt_bind_opt_int64(q, 7, adv->modified, CT_TIME_NONE)) < 0 ||
        (rc = ct_stmt_bind_opt_int64(q, 8, adv->withdrawn, CT_TIME_NONE)) < 0)
        return rc;
    return 0;
}

int ct_store_advisory_put(ct_advisory_put_result *result_out, ct_store *st,
                          const ct_advisory *adv, ct_match_stats *stats)
{
    ct_stmt *q;
    int64_t id = 0;
    ct_time old_modified = CT_TIME_NONE;
    bool exists;
    int rc;

    if ((rc = ct_store__prepare(&q, st, CT_Q_ADVISORY_BY_EXT)) < 0 ||
        (rc = ct_stmt_bind_text(q, 1, adv->id)) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    exists = rc == 1;
    if (exists) {
        id = ct_stmt_int64(q, 0);
        old_modified = ct_stmt_is_null(q, 1) ? CT_TIME_NONE : ct_stmt_int64(q, 1);
    }
    st->drv->reset(q);

    if (exists) {
        /* Same or older record: nothing changes (idempotent re-import). */
        if (adv->modified == CT_TIME_NONE || (old_modified != CT_TIME_NONE &&
                                              adv->modified <= old_modified)) {
            *result_out = CT_ADV_UNCHANGED;
            return 0;
        }
        if ((rc = ct_store__prepare(&q, st, CT_Q_ADVISORY_CLEAR_FINDINGS)) < 0 ||
            (rc = ct_stmt_bind_int64(q, 1, id)) < 0 || (rc = ct_store__exec_stmt(q)) < 0 ||
            (rc = ct_store__prepare(&q, st, CT_Q_ADVISORY_CLEAR_RANGES)) < 0 ||
            (rc = ct_stmt_bind_int64(q, 1, id)) < 0 || (rc = ct_store__exec_stmt(q)) < 0 ||
            (rc = ct_store__prepare(&q, st, CT_Q_ADVISORY_CLEAR_ALIASES)) < 0 ||
            (rc = ct_stmt_bind_int64(q, 1, id)) < 0 || (rc = ct_store__exec_stmt(q)) < 0 ||
            (rc = ct_store__prepare(&q, st, CT_Q_ADVISORY_UPDATE)) < 0 ||
            (rc = ct_stmt_bind_int64(q, 1, id)) < 0 || (rc = bind_fields(q, adv)) < 0 ||
            (rc = ct_store__exec_stmt(q)) < 0)
            return rc;
        *result_out = CT_ADV_UPDATED;
    } else {
        if ((rc = ct_store__prepare(&q, st, CT_Q_ADVISORY_INSERT)) < 0 ||
            (rc = ct_stmt_bind_text(q, 1, adv->id)) < 0 || (rc = bind_fields(q, adv)) < 0 ||
            (rc = ct_stmt_step(q)) < 0)
            return rc;
        id = ct_stmt_int64(q, 0);
        st->drv->reset(q);
        *result_out = CT_ADV_INSERTED;
    }
    if ((rc = put_children(st, id, adv)) < 0)
        return rc;
    /* where the record came from, and the identity it belongs to (before matching, so new
     * findings pick up the identity's triage) */
    if (st->origin && ((rc = ct_store__prepare(&q, st, CT_Q_ADV_SET_ORIGIN)) < 0 ||
                       (rc = ct_stmt_bind_int64(q, 1, id)) < 0 ||
                       (rc = ct_stmt_bind_text(q, 2, st->origin)) < 0 ||
                       (rc = ct_store__exec_stmt(q)) < 0))
        return rc;
    if ((rc = ct_store__identity_update(st, id)) < 0)
        return rc;
    if (adv->withdrawn != CT_TIME_NONE)
        return 0;
    return ct_store__match_advisory(st, id, stats);
}

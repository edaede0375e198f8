/* Advisories: one record per (ID, source) (migration 0020), inserted or replaced when a newer
 * `modified` arrives from the same source, with its aliases, related IDs, affected ranges, and
 * the rematch of just the packages the record names. The same ID from another source is another
 * record of the same identity (store/identity.c). Withdrawn records keep their row but retract
 * their findings. Also `advisories show`: every record of an identity, as imported. */
#include "store_int.h"

#include <string.h>

/* The source a record is stored under: the reader's feed name ("osv" when it named none). */
static const char *source_of(const ct_advisory *adv)
{
    return adv->source && *adv->source ? adv->source : "osv";
}

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
    /* OSV "related": kept as relations, shown by advisories show, never joining identities */
    for (size_t i = 0; i < adv->nrelated; i++) {
        if (!adv->related[i] || strcmp(adv->related[i], adv->id) == 0)
            continue;
        if ((rc = ct_store__prepare(&q, st, CT_Q_RELATED_INSERT)) < 0 ||
            (rc = ct_stmt_bind_int64(q, 1, id)) < 0 ||
            (rc = ct_stmt_bind_text(q, 2, adv->related[i])) < 0 ||
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
    if ((rc = ct_stmt_bind_text(q, 2, source_of(adv))) < 0 ||
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

    /* this source's record of the ID; another source's record of it is left alone */
    if ((rc = ct_store__prepare(&q, st, CT_Q_ADVISORY_BY_SOURCE_EXT)) < 0 ||
        (rc = ct_stmt_bind_text(q, 1, adv->id)) < 0 ||
        (rc = ct_stmt_bind_text(q, 2, source_of(adv))) < 0 || (rc = ct_stmt_step(q)) < 0)
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
        /* a distribution's own record: the verdicts on the keys it named so far are
         * recomputed with what it says now (withdrawn: nothing) */
        if ((rc = ct_store__distro_note_record(st, id)) < 0)
            return rc;
        if ((rc = ct_store__prepare(&q, st, CT_Q_ADVISORY_CLEAR_FINDINGS)) < 0 ||
            (rc = ct_stmt_bind_int64(q, 1, id)) < 0 || (rc = ct_store__exec_stmt(q)) < 0 ||
            (rc = ct_store__prepare(&q, st, CT_Q_ADVISORY_CLEAR_RANGES)) < 0 ||
            (rc = ct_stmt_bind_int64(q, 1, id)) < 0 || (rc = ct_store__exec_stmt(q)) < 0 ||
            (rc = ct_store__prepare(&q, st, CT_Q_ADVISORY_CLEAR_ALIASES)) < 0 ||
            (rc = ct_stmt_bind_int64(q, 1, id)) < 0 || (rc = ct_store__exec_stmt(q)) < 0 ||
            (rc = ct_store__prepare(&q, st, CT_Q_RELATED_CLEAR)) < 0 ||
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
    if (adv->withdrawn != CT_TIME_NONE) /* no findings; verdicts it made are withdrawn (now,
                                         * or by the import once identities are regrouped) */
        return st->identity_deferred ? 0 : ct_store__distro_refresh(st);
    return ct_store__match_advisory(st, id, stats);
}

/* ---- advisories show -------------------------------------------------------------------- */

static int put_ranges(ct_buf *out, ct_store *st, int64_t id)
{
    ct_stmt *q;
    int rc, n = 0;
    if ((rc = ct_store__prepare(&q, st, CT_Q_RANGES_OF_RECORD)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, id)) < 0)
        return rc;
    ct_buf_putc(out, '[');
    while ((rc = ct_stmt_step(q)) == 1) {
        if (n++)
            ct_buf_putc(out, ',');
        ct_buf_puts(out, "{\"ecosystem\":");
        ct_store__json_text(out, ct_stmt_text(q, 0));
        ct_buf_puts(out, ",\"package\":");
        ct_store__json_text(out, ct_stmt_text(q, 1));
        ct_buf_puts(out, ",\"type\":");
        ct_store__json_text(out, ct_stmt_text(q, 2));
        ct_buf_puts(out, ",\"range\":");
        ct_store__json_text(out, ct_stmt_text(q, 3));
        ct_buf_putc(out, '}');
    }
    st->drv->reset(q);
    ct_buf_putc(out, ']');
    return rc;
}

/* The record ids of identity ident, primary first (NEW array in *ids_out). */
static int record_ids(int64_t **ids_out, size_t *n_out, ct_store *st, int64_t ident)
{
    ct_stmt *q;
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    int rc;

    *ids_out = NULL;
    *n_out = 0;
    if ((rc = ct_store__prepare(&q, st, CT_Q_IDENTITY_RECORD_IDS)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, ident)) < 0)
        return rc;
    while ((rc = ct_stmt_step(q)) == 1) {
        if ((rc = ct_store__grow((void **)&ids, &cap, n, sizeof *ids, 8)) < 0)
            break;
        ids[n++] = ct_stmt_int64(q, 0);
    }
    st->drv->reset(q);
    if (rc < 0) {
        ct_free(ids);
        return rc;
    }
    *ids_out = ids;
    *n_out = n;
    return 0;
}

/* One record as a JSON object: its fields as imported, aliases, related IDs and ranges. */
static int put_record(ct_buf *out, ct_store *st, int64_t id)
{
    ct_stmt *q;
    int rc;
    if ((rc = ct_store__prepare(&q, st, CT_Q_RECORD_FULL)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, id)) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    if (rc == 0) {
        st->drv->reset(q);
        return ct_error_set(CT_EDB, "advisory %lld vanished", (long long)id);
    }
    ct_buf_puts(out, "{\"id\":");
    ct_store__json_text(out, ct_stmt_text(q, 0));
    ct_buf_puts(out, ",\"source\":");
    ct_store__json_text(out, ct_stmt_text(q, 1));
    ct_buf_puts(out, ",\"origin\":");
    ct_store__json_text(out, ct_stmt_text(q, 2));
    ct_buf_puts(out, ",\"summary\":");
    ct_store__json_text(out, ct_stmt_text(q, 3));
    ct_buf_puts(out, ",\"severity\":");
    ct_store__json_text(out, ct_stmt_text(q, 4));
    ct_buf_puts(out, ",\"cvss\":");
    ct_store__json_text(out, ct_stmt_text(q, 5));
    ct_buf_puts(out, ",\"published\":");
    ct_store__json_col_time(out, q, 6);
    ct_buf_puts(out, ",\"modified\":");
    ct_store__json_col_time(out, q, 7);
    ct_buf_puts(out, ",\"withdrawn\":");
    ct_store__json_col_time(out, q, 8);
    st->drv->reset(q);
    ct_buf_puts(out, ",\"aliases\":");
    if ((rc = ct_store__json_names(out, st, CT_Q_ALIASES_OF, id)) < 0)
        return rc;
    ct_buf_puts(out, ",\"related\":");
    if ((rc = ct_store__json_names(out, st, CT_Q_RELATED_OF, id)) < 0)
        return rc;
    ct_buf_puts(out, ",\"ranges\":");
    if ((rc = put_ranges(out, st, id)) < 0)
        return rc;
    ct_buf_putc(out, '}');
    return 0;
}

int ct_store_advisory_show_json(ct_buf *out, ct_store *st, const char *advisory_id)
{
    ct_stmt *q;
    int64_t rec = 0, ident = 0, best = 0, *ids = NULL;
    size_t nids = 0;
    char *primary = NULL, *sev = NULL;
    int rc;

    if ((rc = ct_store__prepare(&q, st, CT_Q_ADV_BY_NAME)) < 0 ||
        (rc = ct_stmt_bind_text(q, 1, advisory_id)) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    if (rc == 1)
        rec = ct_stmt_int64(q, 0);
    st->drv->reset(q);
    if (!rec)
        return ct_error_set(CT_ENOTFOUND, "no advisory with ID or alias '%s'", advisory_id);
    if ((rc = ct_store__prepare(&q, st, CT_Q_ADV_BRIEF)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, rec)) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    ident = rc == 1 && !ct_stmt_is_null(q, 2) ? ct_stmt_int64(q, 2) : rec;
    primary = ct_strdup(rc == 1 && ct_stmt_text(q, 3) ? ct_stmt_text(q, 3) : advisory_id);
    st->drv->reset(q);
    if (!primary)
        return ct_error_set(CT_ENOMEM, "out of memory");

    ct_buf_puts(out, "{\"advisory\":");
    ct_buf_json_str(out, primary);
    ct_buf_puts(out, ",\"aliases\":");
    if ((rc = ct_store__identity_aliases_json(out, st, ident, primary)) < 0 ||
        (rc = ct_store__identity_best(&best, &sev, st, ident)) < 0)
        goto cleanup;
    ct_buf_puts(out, ",\"severity\":");
    ct_store__json_text(out, sev);
    ct_buf_puts(out, ",\"severity_record\":");
    if (best && (rc = ct_store__prepare(&q, st, CT_Q_ADVISORY_GET)) == 0 &&
        (rc = ct_stmt_bind_int64(q, 1, best)) == 0 && (rc = ct_stmt_step(q)) == 1) {
        ct_buf_puts(out, "{\"id\":");
        ct_store__json_text(out, ct_stmt_text(q, 0));
        ct_buf_puts(out, ",\"source\":");
        ct_store__json_text(out, ct_stmt_text(q, 1));
        ct_buf_putc(out, '}');
        st->drv->reset(q);
    } else if (rc < 0) {
        goto cleanup;
    } else {
        if (best)
            st->drv->reset(q);
        ct_buf_puts(out, "null");
    }
    /* every record of the identity, as its source gave it */
    if ((rc = record_ids(&ids, &nids, st, ident)) < 0)
        goto cleanup;
    ct_buf_puts(out, ",\"records\":[");
    for (size_t k = 0; k < nids; k++) {
        if (k)
            ct_buf_putc(out, ',');
        if ((rc = put_record(out, st, ids[k])) < 0)
            goto cleanup;
    }
    ct_buf_putc(out, ']');
    /* other identities' records that list one of this identity's IDs as related */
    ct_buf_puts(out, ",\"related_by\":[");
    if ((rc = ct_store__prepare(&q, st, CT_Q_RELATED_BY)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, ident)) < 0)
        goto cleanup;
    for (int n = 0; (rc = ct_stmt_step(q)) == 1; n++) {
        if (n)
            ct_buf_putc(out, ',');
        ct_buf_puts(out, "{\"id\":");
        ct_store__json_text(out, ct_stmt_text(q, 0));
        ct_buf_puts(out, ",\"source\":");
        ct_store__json_text(out, ct_stmt_text(q, 1));
        ct_buf_putc(out, '}');
    }
    st->drv->reset(q);
    if (rc < 0)
        goto cleanup;
    ct_buf_puts(out, "]}");
    rc = out->failed ? ct_error_set(CT_ENOMEM, "out of memory") : 0;
cleanup:
    ct_free(ids);
    ct_free(primary);
    ct_free(sev);
    return rc;
}

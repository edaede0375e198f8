/* SBOM profile waivers: a manufacturer's accepted gaps (profile, field, component) with the
 * reason, who accepted them and when; per product or per release. */
#include "store_int.h"

#include <string.h>

static bool blank(const char *s)
{
    return !s || !*s;
}

int ct_store_waiver_add(int64_t *id_out, ct_store *st, const ct_sbom_waiver *w)
{
    ct_stmt *q;
    int64_t pid = 0, rid = 0, id = 0;
    ct_time at;
    int rc;

    if (!st || !w)
        return ct_error_set(CT_EINVAL, "ct_store_waiver_add: invalid argument");
    if (blank(w->product))
        return ct_error_set(CT_EINVAL, "a waiver needs a product");
    if (!ct_sbom_profile_known(w->profile))
        return ct_error_set(CT_EINVAL, "unknown profile '%s' (expected ntia or bsi)",
                            w->profile ? w->profile : "");
    if (!ct_sbom_profile_field_known(w->profile, w->field))
        return ct_error_set(CT_EINVAL, "unknown field '%s' of profile %s (one of: %s)",
                            w->field ? w->field : "", w->profile,
                            ct_sbom_profile_fields(w->profile));
    if (blank(w->reason))
        return ct_error_set(CT_EINVAL, "a waiver needs a reason");
    if (blank(w->actor))
        return ct_error_set(CT_EINVAL, "a waiver needs the name of who accepts it");
    if (w->component && !*w->component)
        return ct_error_set(CT_EINVAL, "an empty component reference");
    at = w->created == CT_TIME_NONE ? ct_ctx_now(st->ctx) : w->created;
    if ((rc = ct_store_product_find(&pid, st, w->product)) < 0 ||
        (w->release && (rc = ct_store_release_find(&rid, st, pid, w->release)) < 0))
        return rc;
    if ((rc = ct_store_begin(st)) < 0)
        return rc;
    if ((rc = ct_store__prepare(&q, st, CT_Q_WAIVER_FIND)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, pid)) < 0 || (rc = ct_stmt_bind_int64(q, 2, rid)) < 0 ||
        (rc = ct_stmt_bind_text(q, 3, w->profile)) < 0 ||
        (rc = ct_stmt_bind_text(q, 4, w->field)) < 0 ||
        (rc = ct_stmt_bind_text(q, 5, w->component ? w->component : "")) < 0 ||
        (rc = ct_stmt_step(q)) < 0)
        goto fail;
    if (rc == 1) {
        id = ct_stmt_int64(q, 0);
        st->drv->reset(q);
        if ((rc = ct_store__prepare(&q, st, CT_Q_WAIVER_UPDATE)) < 0 ||
            (rc = ct_stmt_bind_int64(q, 1, id)) < 0 ||
            (rc = ct_stmt_bind_text(q, 2, w->reason)) < 0 ||
            (rc = ct_stmt_bind_text(q, 3, w->actor)) < 0 ||
            (rc = ct_stmt_bind_int64(q, 4, at)) < 0 || (rc = ct_store__exec_stmt(q)) < 0)
            goto fail;
    } else {
        st->drv->reset(q);
        if ((rc = ct_store__prepare(&q, st, CT_Q_WAIVER_INSERT)) < 0 ||
            (rc = ct_stmt_bind_int64(q, 1, pid)) < 0 ||
            (rc = ct_stmt_bind_opt_int64(q, 2, rid, 0)) < 0 ||
            (rc = ct_stmt_bind_text(q, 3, w->profile)) < 0 ||
            (rc = ct_stmt_bind_text(q, 4, w->field)) < 0 ||
            (rc = ct_stmt_bind_text(q, 5, w->component)) < 0 ||
            (rc = ct_stmt_bind_text(q, 6, w->reason)) < 0 ||
            (rc = ct_stmt_bind_text(q, 7, w->actor)) < 0 ||
            (rc = ct_stmt_bind_int64(q, 8, at)) < 0 || (rc = ct_stmt_step(q)) < 0)
            goto fail;
        id = ct_stmt_int64(q, 0);
        st->drv->reset(q);
    }
    if ((rc = ct_store_commit(st)) < 0)
        return rc;
    if (id_out)
        *id_out = id;
    return 0;
fail:
    ct_store_rollback(st);
    return rc;
}

static char *dup_col(ct_stmt *q, int col, bool *oom)
{
    const char *t = ct_stmt_text(q, col);
    char *d = t ? ct_strdup(t) : NULL;
    if (t && !d)
        *oom = true;
    return d;
}

int ct_store_waivers_list(ct_sbom_waiver **out, size_t *n_out, ct_store *st,
                          const char *product, const char *release, const char *profile)
{
    ct_stmt *q;
    ct_sbom_waiver *w = NULL;
    size_t n = 0, cap = 0;
    int64_t pid, rid;
    bool oom = false;
    int rc;

    if (!out || !n_out || !st || !product)
        return ct_error_set(CT_EINVAL, "ct_store_waivers_list: invalid argument");
    *out = NULL;
    *n_out = 0;
    if ((rc = ct_store_product_find(&pid, st, product)) < 0 ||
        (release && (rc = ct_store_release_find(&rid, st, pid, release)) < 0))
        return rc;
    if ((rc = ct_store__prepare(&q, st, CT_Q_WAIVER_LIST)) < 0 ||
        (rc = ct_stmt_bind_text(q, 1, product)) < 0 ||
        (rc = ct_stmt_bind_text(q, 2, release)) < 0 ||
        (rc = ct_stmt_bind_text(q, 3, profile)) < 0)
        return rc;
    while ((rc = ct_stmt_step(q)) == 1) {
        if ((rc = ct_store__grow((void **)&w, &cap, n, sizeof *w, 16)) < 0)
            break;
        ct_sbom_waiver *x = &w[n++];
        memset(x, 0, sizeof *x);
        x->id = ct_stmt_int64(q, 0);
        x->product = dup_col(q, 1, &oom);
        x->release = dup_col(q, 2, &oom);
        x->profile = dup_col(q, 3, &oom);
        x->field = dup_col(q, 4, &oom);
        x->component = dup_col(q, 5, &oom);
        x->reason = dup_col(q, 6, &oom);
        x->actor = dup_col(q, 7, &oom);
        x->created = ct_stmt_int64(q, 8);
    }
    st->drv->reset(q);
    if (rc == 0 && oom)
        rc = ct_error_set(CT_ENOMEM, "out of memory");
    if (rc < 0) {
        ct_sbom_waivers_free(w, n);
        return rc;
    }
    *out = w;
    *n_out = n;
    return 0;
}

int ct_store_waiver_remove(ct_store *st, int64_t id)
{
    ct_stmt *q;
    int rc;

    if (!st)
        return ct_error_set(CT_EINVAL, "ct_store_waiver_remove: invalid argument");
    if ((rc = ct_store__prepare(&q, st, CT_Q_WAIVER_DELETE)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, id)) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    st->drv->reset(q);
    return rc == 1 ? 0 : ct_error_set(CT_ENOTFOUND, "no waiver with id %lld", (long long)id);
}

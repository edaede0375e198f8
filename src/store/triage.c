/* Triage: VEX statements (state, justification, note, who, when) per release and advisory
 * identity, optionally narrowed to one component; the state each finding carries, stated for
 * its own release or inherited from the previous releases of the product while the component
 * (package key) and its version stay the same. Statements are history: the newest that applies
 * wins. Findings keep the resolved state (finding.state, vex_id, inherited_from) so every
 * reader sees the same answer; it is re-resolved when findings are made, when statements are
 * added and when advisory identities regroup. */
#include "store_int.h"

#include <stdio.h>
#include <string.h>

/* OpenVEX 0.2.0 status and justification names (CycloneDX maps onto them). */
static const char *const vex_states[] = { "not_affected", "affected", "fixed",
                                          "under_investigation" };
static const char *const vex_justifications[] = {
    "component_not_present",
    "vulnerable_code_not_present",
    "vulnerable_code_not_in_execute_path",
    "vulnerable_code_cannot_be_controlled_by_adversary",
    "inline_mitigations_already_exist",
};

/* The state of a finding no statement covers (CycloneDX analysis state "in_triage"). */
#define UNTRIAGED "in_triage"
/* Releases walked back at most when looking for an inherited statement. */
#define MAX_HOPS 10000

static bool in_table(const char *s, const char *const *t, size_t n)
{
    for (size_t i = 0; s && i < n; i++)
        if (strcmp(s, t[i]) == 0)
            return true;
    return false;
}

bool ct_store_vex_state_valid(const char *state)
{
    return in_table(state, vex_states, CT_NELEM(vex_states));
}

bool ct_store_vex_justification_valid(const char *justification)
{
    return in_table(justification, vex_justifications, CT_NELEM(vex_justifications));
}

typedef struct {
    int64_t fid, release, product, identity;
    char *pkg_key, *version, *purl;
} frow;

static void frow_dispose(frow *f)
{
    ct_free(f->pkg_key);
    ct_free(f->version);
    ct_free(f->purl);
}

static char *dup_or_null(const char *s, bool *oom)
{
    char *d = s ? ct_strdup(s) : NULL;
    if (s && !d)
        *oom = true;
    return d;
}

/* Read a finding row (FINDING_PAIR / FINDINGS_OF_* column layout). */
static int frow_read(frow *f, ct_stmt *q)
{
    bool oom = false;
    f->fid = ct_stmt_int64(q, 0);
    f->release = ct_stmt_int64(q, 1);
    f->product = ct_stmt_int64(q, 2);
    f->pkg_key = dup_or_null(ct_stmt_text(q, 3), &oom);
    f->version = dup_or_null(ct_stmt_text(q, 4), &oom);
    f->purl = dup_or_null(ct_stmt_text(q, 5), &oom);
    f->identity = ct_stmt_is_null(q, 6) ? 0 : ct_stmt_int64(q, 6);
    if (oom) {
        frow_dispose(f);
        return ct_error_set(CT_ENOMEM, "out of memory");
    }
    return 0;
}

/* The newest statement about identity in release that covers a component with this purl. */
static int vex_for(int64_t *vex_out, char state[32], ct_store *st, int64_t release,
                   int64_t identity, const char *purl)
{
    ct_stmt *q;
    int rc;
    *vex_out = 0;
    if ((rc = ct_store__prepare(&q, st, CT_Q_VEX_FOR)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, release)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 2, identity)) < 0 ||
        (rc = ct_stmt_bind_text(q, 3, purl ? purl : "")) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    if (rc == 1) {
        const char *s = ct_stmt_text(q, 1);
        *vex_out = ct_stmt_int64(q, 0);
        snprintf(state, 32, "%s", s ? s : UNTRIAGED);
    }
    st->drv->reset(q);
    return 0;
}

/* The release before release in its product (by release date, then insertion); 0 if none. */
static int prev_release(int64_t *out, ct_store *st, int64_t release)
{
    ct_stmt *q;
    int rc;
    *out = 0;
    if ((rc = ct_store__prepare(&q, st, CT_Q_RELEASE_PREV)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, release)) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    if (rc == 1)
        *out = ct_stmt_int64(q, 0);
    st->drv->reset(q);
    return 0;
}

/* Whether release ships the package pkg_key in exactly this version; *purl_out NEW. */
static int same_component(bool *found, char **purl_out, ct_store *st, int64_t release,
                          const char *pkg_key, const char *version)
{
    ct_stmt *q;
    int rc;
    *found = false;
    *purl_out = NULL;
    if ((rc = ct_store__prepare(&q, st, CT_Q_COMPONENT_SAME)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, release)) < 0 ||
        (rc = ct_stmt_bind_text(q, 2, pkg_key)) < 0 ||
        (rc = ct_stmt_bind_text(q, 3, version)) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    if (rc == 1) {
        bool oom = false;
        *found = true;
        *purl_out = dup_or_null(ct_stmt_text(q, 0), &oom);
        if (oom)
            rc = ct_error_set(CT_ENOMEM, "out of memory");
    }
    st->drv->reset(q);
    return rc < 0 ? rc : 0;
}

static int resolve(ct_store *st, const frow *f)
{
    char state[32] = UNTRIAGED;
    int64_t vex = 0, from = 0, cur = f->release;
    ct_stmt *q;
    int rc;

    if ((rc = vex_for(&vex, state, st, f->release, f->identity, f->purl)) < 0)
        return rc;
    /* inherit: walk back while each earlier release ships the same package in the same
     * version; the first one with a statement gives the state */
    for (int hop = 0; !vex && f->pkg_key && f->version && hop < MAX_HOPS; hop++) {
        int64_t prev;
        bool found;
        char *purl;
        if ((rc = prev_release(&prev, st, cur)) < 0)
            return rc;
        if (!prev)
            break;
        if ((rc = same_component(&found, &purl, st, prev, f->pkg_key, f->version)) < 0)
            return rc;
        if (found)
            rc = vex_for(&vex, state, st, prev, f->identity, purl);
        ct_free(purl);
        if (rc < 0)
            return rc;
        if (!found)
            break;
        if (vex)
            from = prev;
        cur = prev;
    }
    if ((rc = ct_store__prepare(&q, st, CT_Q_FINDING_SET_STATE)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, f->fid)) < 0 || (rc = ct_stmt_bind_text(q, 2, state)) < 0 ||
        (rc = ct_stmt_bind_opt_int64(q, 3, vex, 0)) < 0 ||
        (rc = ct_stmt_bind_opt_int64(q, 4, from, 0)) < 0 || (rc = ct_store__exec_stmt(q)) < 0)
        return rc;
    return 0;
}

static int product_has_statements(bool *out, ct_store *st, int64_t product)
{
    ct_stmt *q;
    int rc;
    if ((rc = ct_store__prepare(&q, st, CT_Q_VEX_ANY_OF_PRODUCT)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, product)) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    *out = rc == 1;
    st->drv->reset(q);
    return 0;
}

int ct_store__triage_resolve_pair(ct_store *st, int64_t advisory_id, int64_t component_id,
                                  int64_t product_id)
{
    ct_stmt *q;
    frow f;
    bool any;
    int rc;

    if ((rc = product_has_statements(&any, st, product_id)) < 0 || !any)
        return rc;
    if ((rc = ct_store__prepare(&q, st, CT_Q_FINDING_PAIR)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, advisory_id)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 2, component_id)) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    if (rc == 0) {
        st->drv->reset(q);
        return 0;
    }
    rc = frow_read(&f, q);
    st->drv->reset(q);
    if (rc < 0)
        return rc;
    rc = resolve(st, &f);
    frow_dispose(&f);
    return rc;
}

int ct_store__triage_refresh(ct_store *st, bool by_product, int64_t id)
{
    ct_stmt *q;
    frow *rows = NULL;
    size_t n = 0, cap = 0;
    int64_t yes[16], no[16]; /* small caches of products with / without statements */
    size_t nyes = 0, nno = 0;
    int rc;

    if (by_product) {
        bool any;
        if ((rc = product_has_statements(&any, st, id)) < 0 || !any)
            return rc;
    }
    if ((rc = ct_store__prepare(&q, st, by_product ? CT_Q_FINDINGS_OF_PRODUCT
                                                   : CT_Q_FINDINGS_OF_IDENTITY)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, id)) < 0)
        return rc;
    while ((rc = ct_stmt_step(q)) == 1) {
        if ((rc = ct_store__grow((void **)&rows, &cap, n, sizeof *rows, 16)) < 0)
            break;
        if ((rc = frow_read(&rows[n], q)) < 0)
            break;
        n++;
    }
    st->drv->reset(q);
    for (size_t i = 0; rc >= 0 && i < n; i++) {
        bool any = by_product, known = by_product;
        for (size_t k = 0; !known && k < nyes; k++)
            known = any = yes[k] == rows[i].product;
        for (size_t k = 0; !known && k < nno; k++)
            known = no[k] == rows[i].product;
        if (!known) {
            if ((rc = product_has_statements(&any, st, rows[i].product)) < 0)
                break;
            if (any && nyes < CT_NELEM(yes))
                yes[nyes++] = rows[i].product;
            else if (!any && nno < CT_NELEM(no))
                no[nno++] = rows[i].product;
        }
        if (any)
            rc = resolve(st, &rows[i]);
    }
    for (size_t i = 0; i < n; i++)
        frow_dispose(&rows[i]);
    ct_free(rows);
    return rc < 0 ? rc : 0;
}

void ct_store__triage_members_put(ct_buf *out, const char *const fields[7], ct_time created,
                                  const char *inherited_from)
{
    static const char *const name[] = { ",\"note\":", ",\"by\":" };
    char t[32];

    ct_buf_puts(out, ",\"justification\":");
    ct_store__json_text(out, fields[1]);
    ct_buf_puts(out, ",\"triage\":{\"state\":");
    ct_store__json_text(out, fields[0]);
    ct_buf_puts(out, ",\"justification\":");
    ct_store__json_text(out, fields[1]);
    for (int i = 0; i < 2; i++) {
        ct_buf_puts(out, name[i]);
        ct_store__json_text(out, fields[2 + i]);
    }
    ct_time_format(t, created);
    ct_buf_puts(out, ",\"at\":");
    ct_buf_json_str(out, t);
    ct_buf_puts(out, ",\"component\":");
    ct_store__json_text(out, fields[4]);
    ct_buf_puts(out, ",\"advisory\":");
    ct_store__json_text(out, fields[5]);
    ct_buf_puts(out, ",\"stated_for_release\":");
    ct_store__json_text(out, fields[6]);
    ct_buf_puts(out, ",\"inherited_from\":");
    ct_store__json_text(out, inherited_from);
    ct_buf_putc(out, '}');
}

/* The identity an advisory ID or alias belongs to, and its primary ID (NEW). */
static int identity_of(int64_t *identity_out, char **primary_out, ct_store *st, const char *id)
{
    ct_stmt *q;
    int64_t rec = 0;
    int rc;

    if ((rc = ct_store__prepare(&q, st, CT_Q_ADV_BY_NAME)) < 0 ||
        (rc = ct_stmt_bind_text(q, 1, id)) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    if (rc == 1)
        rec = ct_stmt_int64(q, 0);
    st->drv->reset(q);
    if (!rec)
        return ct_error_set(CT_ENOTFOUND, "no advisory with ID or alias '%s'", id);
    if ((rc = ct_store__prepare(&q, st, CT_Q_ADV_BRIEF)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, rec)) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    *identity_out = rc == 1 && !ct_stmt_is_null(q, 2) ? ct_stmt_int64(q, 2) : rec;
    const char *p = rc == 1 ? ct_stmt_text(q, 3) : NULL;
    *primary_out = ct_strdup(p ? p : id);
    st->drv->reset(q);
    return *primary_out ? 0 : ct_error_set(CT_ENOMEM, "out of memory");
}

int ct_store_vex_set(ct_vex_set_result *result_out, ct_store *st, const ct_vex_statement *v)
{
    int64_t product = 0, release = 0, identity = 0, vex = 0;
    char *primary = NULL;
    ct_stmt *q;
    int rc;

    memset(result_out, 0, sizeof *result_out);
    if (!v->product || !v->version || !v->advisory)
        return ct_error_set(CT_EINVAL, "vex set needs a product, a release and an advisory");
    if (!ct_store_vex_state_valid(v->state))
        return ct_error_set(CT_EINVAL,
                            "VEX state '%s' is not one of not_affected, affected, fixed, "
                            "under_investigation",
                            v->state ? v->state : "");
    if (v->justification && !ct_store_vex_justification_valid(v->justification))
        return ct_error_set(CT_EINVAL, "'%s' is not an OpenVEX justification",
                            v->justification);
    if (v->justification && strcmp(v->state, "not_affected") != 0)
        return ct_error_set(CT_EINVAL, "a justification goes only with state not_affected");
    if (strcmp(v->state, "not_affected") == 0 && !v->justification && !v->note)
        return ct_error_set(CT_EINVAL, "not_affected needs a justification or a note (the "
                                       "impact statement), as OpenVEX requires");
    if (!v->actor || !*v->actor)
        return ct_error_set(CT_EINVAL, "vex set needs who made the statement");

    if ((rc = ct_store_begin(st)) < 0)
        return rc;
    if ((rc = ct_store_product_find(&product, st, v->product)) < 0 ||
        (rc = ct_store_release_find(&release, st, product, v->version)) < 0 ||
        (rc = identity_of(&identity, &primary, st, v->advisory)) < 0)
        goto fail;
    if (v->component_purl) {
        if ((rc = ct_store__prepare(&q, st, CT_Q_COMPONENT_BY_PURL)) < 0 ||
            (rc = ct_stmt_bind_int64(q, 1, release)) < 0 ||
            (rc = ct_stmt_bind_text(q, 2, v->component_purl)) < 0 || (rc = ct_stmt_step(q)) < 0)
            goto fail;
        st->drv->reset(q);
        if (rc == 0) {
            rc = ct_error_set(CT_ENOTFOUND, "%s %s has no component %s", v->product,
                              v->version, v->component_purl);
            goto fail;
        }
    }
    if ((rc = ct_store__prepare(&q, st, CT_Q_VEX_INSERT)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, product)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 2, release)) < 0 ||
        (rc = ct_stmt_bind_text(q, 3, primary)) < 0 ||
        (rc = ct_stmt_bind_text(q, 4, v->component_purl)) < 0 ||
        (rc = ct_stmt_bind_text(q, 5, v->state)) < 0 ||
        (rc = ct_stmt_bind_text(q, 6, v->justification)) < 0 ||
        (rc = ct_stmt_bind_text(q, 7, v->note)) < 0 ||
        (rc = ct_stmt_bind_text(q, 8, v->actor)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 9, ct_ctx_now(st->ctx))) < 0 || (rc = ct_stmt_step(q)) < 0)
        goto fail;
    vex = ct_stmt_int64(q, 0);
    st->drv->reset(q);
    if ((rc = ct_store__triage_refresh(st, true, product)) < 0)
        goto fail;
    if ((rc = ct_store__prepare(&q, st, CT_Q_VEX_COUNT_APPLIED)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, release)) < 0 || (rc = ct_stmt_bind_int64(q, 2, vex)) < 0 ||
        (rc = ct_stmt_step(q)) < 0)
        goto fail;
    result_out->findings = (uint64_t)ct_stmt_int64(q, 0);
    st->drv->reset(q);
    if ((rc = ct_store_commit(st)) < 0)
        goto done;
    result_out->statement_id = vex;
    snprintf(result_out->advisory, sizeof result_out->advisory, "%s", primary);
    goto done;
fail:
    ct_store_rollback(st);
done:
    ct_free(primary);
    return rc < 0 ? rc : 0;
}

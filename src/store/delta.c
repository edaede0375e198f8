/* The vulnerability delta between two releases (`sbom diff P@A P@B`): advisories with open
 * findings fixed, introduced and still open, from the stored findings. */
#include "store_int.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    char *adv, *sev, *comp;
} row;

typedef struct {
    row *v;
    size_t n, cap;
} rows;

static int oom(void)
{
    return ct_error_set(CT_ENOMEM, "out of memory");
}

static void rows_free(rows *r)
{
    for (size_t i = 0; i < r->n; i++) {
        ct_free(r->v[i].adv);
        ct_free(r->v[i].sev);
        ct_free(r->v[i].comp);
    }
    ct_free(r->v);
}

static int row_cmp(const void *x, const void *y)
{
    const row *a = x, *b = y;
    int c = strcmp(a->adv, b->adv);
    return c ? c : strcmp(a->comp, b->comp);
}

static char *dup_opt(const char *s, bool *failed)
{
    char *d = s ? ct_strdup(s) : NULL;
    if (s && !d)
        *failed = true;
    return d;
}

/* rows sorted here, not in SQL: PostgreSQL collations need not order like strcmp */
static int load(rows *out, ct_store *st, const char *product, const char *version)
{
    ct_stmt *q;
    int64_t pid, rid;
    bool failed = false;
    int rc;

    if ((rc = ct_store_product_find(&pid, st, product)) < 0 ||
        (rc = ct_store_release_find(&rid, st, pid, version)) < 0)
        return ct_error_prefix("release %s@%s", product, version);
    if ((rc = ct_store__prepare(&q, st, CT_Q_RELEASE_OPEN_FINDINGS)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, rid)) < 0)
        return rc;
    while ((rc = ct_stmt_step(q)) == 1) {
        ct_buf comp = CT_BUF_INIT;
        const char *purl = ct_stmt_text(q, 2);
        if ((rc = ct_store__grow((void **)&out->v, &out->cap, out->n, sizeof *out->v, 32)) < 0)
            break;
        if (purl)
            ct_buf_puts(&comp, purl);
        else
            ct_buf_printf(&comp, "%s@%s", ct_stmt_text(q, 3) ? ct_stmt_text(q, 3) : "",
                          ct_stmt_text(q, 4) ? ct_stmt_text(q, 4) : "");
        row *r = &out->v[out->n++];
        r->adv = dup_opt(ct_stmt_text(q, 0) ? ct_stmt_text(q, 0) : "", &failed);
        r->sev = dup_opt(ct_stmt_text(q, 1), &failed);
        r->comp = comp.failed ? NULL : ct_buf_detach(&comp);
        failed = failed || !r->comp;
        ct_buf_dispose(&comp);
        if (failed) {
            rc = oom();
            break;
        }
    }
    st->drv->reset(q);
    if (rc < 0)
        return rc;
    if (out->n)
        qsort(out->v, out->n, sizeof *out->v, row_cmp);
    return 0;
}

/* the components of rows [i, j) (one advisory), distinct, joined by " " */
static char *join_comps(const rows *r, size_t i, size_t j)
{
    ct_buf b = CT_BUF_INIT;
    for (size_t k = i; k < j; k++) {
        if (k > i && strcmp(r->v[k].comp, r->v[k - 1].comp) == 0)
            continue;
        if (b.len)
            ct_buf_putc(&b, ' ');
        ct_buf_puts(&b, r->v[k].comp);
    }
    char *s = b.failed ? NULL : ct_buf_detach(&b);
    ct_buf_dispose(&b);
    return s;
}

static size_t group_end(const rows *r, size_t i)
{
    size_t j = i + 1;
    while (j < r->n && strcmp(r->v[j].adv, r->v[i].adv) == 0)
        j++;
    return j;
}

static int push(ct_vuln_delta_entry **v, size_t *n, const rows *ra, size_t ai, size_t aj,
                const rows *rb, size_t bi, size_t bj)
{
    const row *any = ai < aj ? &ra->v[ai] : &rb->v[bi];
    ct_vuln_delta_entry *nv = ct_reallocarray(*v, *n + 1, sizeof *nv);
    bool failed = false;
    if (!nv)
        return oom();
    *v = nv;
    ct_vuln_delta_entry *e = &nv[(*n)++];
    memset(e, 0, sizeof *e);
    e->advisory = dup_opt(any->adv, &failed);
    e->severity = dup_opt(bi < bj && rb->v[bi].sev ? rb->v[bi].sev : any->sev, &failed);
    if (ai < aj && !(e->a_components = join_comps(ra, ai, aj)))
        failed = true;
    if (bi < bj && !(e->b_components = join_comps(rb, bi, bj)))
        failed = true;
    return failed ? oom() : 0;
}

int ct_store_vuln_delta(ct_vuln_delta *out, ct_store *st, const char *product_a,
                        const char *version_a, const char *product_b, const char *version_b)
{
    rows ra = { NULL, 0, 0 }, rb = { NULL, 0, 0 };
    ct_vuln_delta d;
    size_t i = 0, k = 0;
    int rc;

    memset(out, 0, sizeof *out);
    memset(&d, 0, sizeof d);
    if ((rc = load(&ra, st, product_a, version_a)) < 0 ||
        (rc = load(&rb, st, product_b, version_b)) < 0)
        goto done;
    while (rc == 0 && (i < ra.n || k < rb.n)) {
        int c = i == ra.n ? 1 : k == rb.n ? -1 : strcmp(ra.v[i].adv, rb.v[k].adv);
        size_t ie = c <= 0 ? group_end(&ra, i) : i, ke = c >= 0 ? group_end(&rb, k) : k;
        if (c < 0)
            rc = push(&d.fixed, &d.nfixed, &ra, i, ie, &rb, k, k);
        else if (c > 0)
            rc = push(&d.introduced, &d.nintroduced, &ra, i, i, &rb, k, ke);
        else
            rc = push(&d.still_open, &d.nstill_open, &ra, i, ie, &rb, k, ke);
        i = ie;
        k = ke;
    }
    if (rc == 0) {
        *out = d;
        memset(&d, 0, sizeof d);
    }
done:
    ct_vuln_delta_dispose(&d);
    rows_free(&ra);
    rows_free(&rb);
    return rc;
}

static void entries_free(ct_vuln_delta_entry *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ct_free(v[i].advisory);
        ct_free(v[i].severity);
        ct_free(v[i].a_components);
        ct_free(v[i].b_components);
    }
    ct_free(v);
}

void ct_vuln_delta_dispose(ct_vuln_delta *d)
{
    if (!d)
        return;
    entries_free(d->fixed, d->nfixed);
    entries_free(d->introduced, d->nintroduced);
    entries_free(d->still_open, d->nstill_open);
    memset(d, 0, sizeof *d);
}

/* A release's stored SBOM back as a model, for export in any supported format. */
#include "store_int.h"

#include <string.h>

static char *dup_col(ct_stmt *q, int col, bool *oom)
{
    const char *t = ct_stmt_text(q, col);
    char *d = t ? ct_strdup(t) : NULL;
    if (t && !d)
        *oom = true;
    return d;
}

int ct_store_release_sbom(ct_sbom **out, ct_store *st, const char *product, const char *version)
{
    ct_stmt *q;
    ct_sbom *s = NULL;
    int64_t pid, rid;
    bool oom = false;
    int rc;

    *out = NULL;
    if ((rc = ct_store_product_find(&pid, st, product)) < 0 ||
        (rc = ct_store_release_find(&rid, st, pid, version)) < 0)
        return rc;
    if (!(s = ct_calloc(1, sizeof *s)))
        return ct_error_set(CT_ENOMEM, "out of memory");
    if ((rc = ct_store__prepare(&q, st, CT_Q_RELEASE_GET)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, rid)) < 0 || (rc = ct_stmt_step(q)) < 0)
        goto fail;
    s->format = dup_col(q, 0, &oom);
    s->spec_version = dup_col(q, 1, &oom);
    s->serial_number = dup_col(q, 2, &oom);
    s->name = dup_col(q, 3, &oom);
    s->version = dup_col(q, 4, &oom);
    st->drv->reset(q);

    if ((rc = ct_store__prepare(&q, st, CT_Q_RELEASE_COMPONENTS)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, rid)) < 0)
        goto fail;
    while ((rc = ct_stmt_step(q)) == 1) {
        if ((rc = ct_store__grow((void **)&s->components, &s->components_cap, s->ncomponents,
                                 sizeof *s->components, 64)) < 0)
            break;
        ct_component *c = &s->components[s->ncomponents++];
        memset(c, 0, sizeof *c);
        c->bom_ref = dup_col(q, 0, &oom);
        c->type = dup_col(q, 1, &oom);
        c->group = dup_col(q, 2, &oom);
        c->name = dup_col(q, 3, &oom);
        c->version = dup_col(q, 4, &oom);
        c->purl = dup_col(q, 5, &oom);
        c->cpe = dup_col(q, 6, &oom);
        c->supplier = dup_col(q, 7, &oom);
        c->hashes = dup_col(q, 8, &oom);
        c->licenses = dup_col(q, 9, &oom);
    }
    st->drv->reset(q);
    if (rc < 0)
        goto fail;
    if ((rc = ct_store__prepare(&q, st, CT_Q_RELEASE_DEPS)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, rid)) < 0)
        goto fail;
    while ((rc = ct_stmt_step(q)) == 1) {
        if ((rc = ct_store__grow((void **)&s->deps, &s->deps_cap, s->ndeps, sizeof *s->deps,
                                 64)) < 0)
            break;
        ct_dependency *d = &s->deps[s->ndeps++];
        d->ref = dup_col(q, 0, &oom);
        d->depends_on = dup_col(q, 1, &oom);
    }
    st->drv->reset(q);
    if (rc < 0)
        goto fail;
    if (oom) {
        rc = ct_error_set(CT_ENOMEM, "out of memory");
        goto fail;
    }
    *out = s;
    return 0;
fail:
    ct_sbom_free(s);
    return rc;
}

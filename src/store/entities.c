/* Products, releases (with their SBOM components), customers, units and unit events. */
#include "store_int.h"
#include "cratrace/ident.h"

#include <string.h>

static const char *nz(const char *s)
{
    return s && *s ? s : NULL;
}

int ct_store_product_add(int64_t *id_out, ct_store *st, const char *name, const char *vendor,
                         const char *category, ct_time support_until)
{
    ct_stmt *q;
    int rc;

    if ((rc = ct_store__prepare(&q, st, CT_Q_PRODUCT_INSERT)) < 0 ||
        (rc = ct_stmt_bind_text(q, 1, name)) < 0 ||
        (rc = ct_stmt_bind_text(q, 2, nz(vendor))) < 0 ||
        (rc = ct_stmt_bind_text(q, 3, category ? category : "default")) < 0 ||
        (rc = ct_stmt_bind_opt_int64(q, 4, support_until, CT_TIME_NONE)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 5, ct_ctx_now(st->ctx))) < 0)
        return rc;
    if ((rc = ct_stmt_step(q)) < 0) {
        if (rc == CT_EEXISTS)
            return ct_error_set(CT_EEXISTS, "product '%s' already exists", name);
        return rc;
    }
    if (id_out)
        *id_out = ct_stmt_int64(q, 0);
    st->drv->reset(q);
    return 0;
}

static int find_id(int64_t *id_out, ct_store *st, ct_query_id qid, int64_t key_int,
                   const char *key_text)
{
    ct_stmt *q;
    int rc, idx = 1;

    if ((rc = ct_store__prepare(&q, st, qid)) < 0)
        return rc;
    if (key_int >= 0 && (rc = ct_stmt_bind_int64(q, idx++, key_int)) < 0)
        return rc;
    if ((rc = ct_stmt_bind_text(q, idx, key_text)) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    if (rc == 0)
        return CT_ENOTFOUND;
    *id_out = ct_stmt_int64(q, 0);
    st->drv->reset(q);
    return 0;
}

int ct_store_product_find(int64_t *id_out, ct_store *st, const char *name)
{
    int rc = find_id(id_out, st, CT_Q_PRODUCT_BY_NAME, -1, name);
    if (rc == CT_ENOTFOUND)
        return ct_error_set(CT_ENOTFOUND, "no product named '%s'", name);
    return rc;
}

int ct_store_release_find(int64_t *id_out, ct_store *st, int64_t product_id, const char *version)
{
    int rc = find_id(id_out, st, CT_Q_RELEASE_FIND, product_id, version);
    if (rc == CT_ENOTFOUND)
        return ct_error_set(CT_ENOTFOUND, "no release '%s' of that product", version);
    return rc;
}

int ct_store_release_component_count(int64_t *out, ct_store *st, int64_t release_id)
{
    ct_stmt *q;
    int rc;
    if ((rc = ct_store__prepare(&q, st, CT_Q_COMPONENT_COUNT)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, release_id)) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    *out = rc == 1 ? ct_stmt_int64(q, 0) : 0;
    st->drv->reset(q);
    return 0;
}

int ct_store_customer_find(int64_t *id_out, ct_store *st, const char *code)
{
    int rc = find_id(id_out, st, CT_Q_CUSTOMER_BY_CODE, -1, code);
    if (rc == CT_ENOTFOUND)
        return ct_error_set(CT_ENOTFOUND, "no customer with code '%s'", code);
    return rc;
}

int ct_store_unit_find(int64_t *id_out, ct_store *st, int64_t product_id, const char *serial)
{
    int rc = find_id(id_out, st, CT_Q_UNIT_BY_SERIAL, product_id, serial);
    if (rc == CT_ENOTFOUND)
        return ct_error_set(CT_ENOTFOUND, "no unit with serial '%s'", serial);
    return rc;
}

static int insert_component(int64_t *id_out, ct_store *st, int64_t release_id,
                            int64_t product_id, const ct_component *c, const char *pkg_key,
                            const char *mversion)
{
    ct_stmt *q;
    int rc;

    if ((rc = ct_store__prepare(&q, st, CT_Q_COMPONENT_INSERT)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, release_id)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 2, product_id)) < 0 ||
        (rc = ct_stmt_bind_text(q, 3, c->bom_ref)) < 0 ||
        (rc = ct_stmt_bind_text(q, 4, c->type)) < 0 ||
        (rc = ct_stmt_bind_text(q, 5, c->group)) < 0 ||
        (rc = ct_stmt_bind_text(q, 6, c->name ? c->name : "")) < 0 ||
        (rc = ct_stmt_bind_text(q, 7, c->version)) < 0 ||
        (rc = ct_stmt_bind_text(q, 8, c->purl)) < 0 ||
        (rc = ct_stmt_bind_text(q, 9, pkg_key)) < 0 ||
        (rc = ct_stmt_bind_text(q, 10, c->cpe)) < 0 ||
        (rc = ct_stmt_bind_text(q, 11, c->supplier)) < 0 ||
        (rc = ct_stmt_bind_text(q, 12, c->hashes)) < 0 ||
        (rc = ct_stmt_bind_text(q, 13, c->licenses)) < 0 ||
        (rc = ct_stmt_bind_text(q, 14, mversion)) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    *id_out = ct_stmt_int64(q, 0);
    st->drv->reset(q);
    return 0;
}

/* The package key of a component's purl, or NULL (cleared error) when it has no usable purl. */
static int component_key(ct_buf *key, const char *purl)
{
    ct_purl *p = NULL;
    int rc;

    ct_buf_reset(key);
    if (!purl || !*purl)
        return 0;
    if (ct_purl_parse(&p, purl, strlen(purl)) < 0) {
        ct_error_clear(); /* kept without a key: an invalid purl cannot be matched */
        return 0;
    }
    rc = ct_purl_package_key(key, p);
    ct_purl_free(p);
    return rc;
}

int ct_store_release_add(int64_t *id_out, ct_store *st, int64_t product_id, const char *version,
                         ct_time released, const ct_sbom *sbom, const char *sbom_sha256,
                         ct_match_stats *stats)
{
    ct_stmt *q;
    ct_buf key = CT_BUF_INIT, ver = CT_BUF_INIT;
    int64_t release_id, cid;
    int rc;

    if ((rc = ct_store__prepare(&q, st, CT_Q_RELEASE_INSERT)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, product_id)) < 0 ||
        (rc = ct_stmt_bind_text(q, 2, version)) < 0 ||
        (rc = ct_stmt_bind_opt_int64(q, 3, released, CT_TIME_NONE)) < 0 ||
        (rc = ct_stmt_bind_text(q, 4, sbom ? sbom->format : NULL)) < 0 ||
        (rc = ct_stmt_bind_text(q, 5, sbom ? sbom->spec_version : NULL)) < 0 ||
        (rc = ct_stmt_bind_text(q, 6, sbom ? sbom->serial_number : NULL)) < 0 ||
        (rc = ct_stmt_bind_text(q, 7, sbom_sha256)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 8, ct_ctx_now(st->ctx))) < 0)
        return rc;
    if ((rc = ct_stmt_step(q)) < 0) {
        if (rc == CT_EEXISTS)
            return ct_error_set(CT_EEXISTS, "release '%s' already exists for this product",
                                version);
        return rc;
    }
    release_id = ct_stmt_int64(q, 0);
    st->drv->reset(q);
    /* with no advisory ranges in the store there is nothing to match each component against */
    bool any_range;
    if ((rc = ct_store__prepare(&q, st, CT_Q_ANY_RANGE)) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    any_range = rc == 1;
    st->drv->reset(q);
    rc = 0; /* step returned 1 (the RETURNING row); without components that leaked out */

    for (size_t i = 0; sbom && i < sbom->ncomponents; i++) {
        const ct_component *c = &sbom->components[i];
        bool keyed;
        ct_buf_reset(&ver);
        if ((rc = component_key(&key, c->purl)) < 0 ||
            (rc = ct_match_component_version(&ver, c->purl, c->version)) < 0)
            goto cleanup;
        keyed = key.len && ver.len;
        if ((rc = insert_component(&cid, st, release_id, product_id, c, keyed ? key.ptr : NULL,
                                   keyed ? ver.ptr : NULL)) < 0)
            goto cleanup;
        if (keyed && any_range &&
            (rc = ct_store__match_component(st, cid, release_id, product_id, key.ptr, ver.ptr,
                                            stats)) < 0)
            goto cleanup;
    }
    if (any_range && (rc = ct_store__match_flush(st, stats)) < 0) /* the release's findings */
        goto cleanup;
    for (size_t i = 0; sbom && i < sbom->ndeps; i++) {
        if ((rc = ct_store__prepare(&q, st, CT_Q_DEP_INSERT)) < 0 ||
            (rc = ct_stmt_bind_int64(q, 1, release_id)) < 0 ||
            (rc = ct_stmt_bind_text(q, 2, sbom->deps[i].ref)) < 0 ||
            (rc = ct_stmt_bind_text(q, 3, sbom->deps[i].depends_on)) < 0 ||
            (rc = ct_store__exec_stmt(q)) < 0)
            goto cleanup;
    }
    if (id_out)
        *id_out = release_id;
cleanup:
    ct_buf_dispose(&key);
    ct_buf_dispose(&ver);
    return rc;
}

int ct_store_customer_upsert(int64_t *id_out, ct_store *st, const char *code, const char *name,
                             const char *country, const char *email, const char *channel)
{
    ct_stmt *q;
    int rc;

    if ((rc = ct_store__prepare(&q, st, CT_Q_CUSTOMER_UPSERT)) < 0 ||
        (rc = ct_stmt_bind_text(q, 1, code)) < 0 ||
        (rc = ct_stmt_bind_text(q, 2, name ? name : code)) < 0 ||
        (rc = ct_stmt_bind_text(q, 3, nz(country))) < 0 ||
        (rc = ct_stmt_bind_text(q, 4, nz(email))) < 0 ||
        (rc = ct_stmt_bind_text(q, 5, nz(channel) ? channel : "email")) < 0 ||
        (rc = ct_stmt_step(q)) < 0)
        return rc;
    if (id_out)
        *id_out = ct_stmt_int64(q, 0);
    st->drv->reset(q);
    return 0;
}

int ct_store_unit_upsert(int64_t *id_out, ct_store *st, int64_t product_id, const char *serial,
                         const char *hardware_revision, int64_t release_id, int64_t customer_id,
                         ct_time manufactured, const char *state)
{
    ct_stmt *q;
    int rc;

    /* PostgreSQL: unit has no foreign keys (migration 0022) */
    if ((rc = ct_store__unit_refs_check(st, product_id, release_id, customer_id)) < 0)
        return rc;
    if ((rc = ct_store__prepare(&q, st, CT_Q_UNIT_UPSERT)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, product_id)) < 0 ||
        (rc = ct_stmt_bind_text(q, 2, serial)) < 0 ||
        (rc = ct_stmt_bind_text(q, 3, nz(hardware_revision))) < 0 ||
        (rc = ct_stmt_bind_opt_int64(q, 4, release_id, 0)) < 0 ||
        (rc = ct_stmt_bind_opt_int64(q, 5, customer_id, 0)) < 0 ||
        (rc = ct_stmt_bind_opt_int64(q, 6, manufactured, CT_TIME_NONE)) < 0 ||
        (rc = ct_stmt_bind_text(q, 7, nz(state) ? state : "in_service")) < 0 ||
        (rc = ct_stmt_step(q)) < 0)
        return rc;
    int64_t id = ct_stmt_int64(q, 0);
    st->drv->reset(q);
    /* a unit without events has one history span: its registered record */
    if ((rc = ct_store__prepare(&q, st, CT_Q_SPAN_DEFAULT_DELETE)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, id)) < 0 || (rc = ct_store__exec_stmt(q)) < 0 ||
        (rc = ct_store__prepare(&q, st,
                                strcmp(st->drv->name, "sqlite") == 0 /* alive_class: 0030 */
                                    ? CT_Q_SQLITE_SPAN_DEFAULT_INSERT
                                    : CT_Q_SPAN_DEFAULT_INSERT)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, id)) < 0 || (rc = ct_store__exec_stmt(q)) < 0)
        return rc;
    if (id_out)
        *id_out = id;
    return 0;
}

int ct_store_unit_event_add(bool *added_out, ct_store *st, int64_t unit_id, int64_t product_id,
                            ct_time time, const char *kind, int64_t from_release,
                            int64_t to_release, const char *detail)
{
    ct_unit_event_rec ev;
    memset(&ev, 0, sizeof ev);
    ev.unit_id = unit_id;
    ev.product_id = product_id;
    ev.time = time;
    ev.kind = kind;
    ev.from_release = from_release;
    ev.to_release = to_release;
    ev.detail = detail;
    return ct_store_unit_event_add_ex(added_out, st, &ev);
}

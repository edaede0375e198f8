/* Read-side answers as JSON: affected releases/units/customers, findings, products. */
#include "store_int.h"
#include "cratrace/cvss.h"

#include <string.h>

static int resolve_advisory(int64_t *id_out, ct_store *st, const char *ext)
{
    ct_stmt *q;
    int rc;

    if ((rc = ct_store__prepare(&q, st, CT_Q_ADVISORY_BY_EXT)) < 0 ||
        (rc = ct_stmt_bind_text(q, 1, ext)) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    if (rc == 1) {
        *id_out = ct_stmt_int64(q, 0);
        st->drv->reset(q);
        return 0;
    }
    if ((rc = ct_store__prepare(&q, st, CT_Q_ADVISORY_BY_ALIAS)) < 0 ||
        (rc = ct_stmt_bind_text(q, 1, ext)) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    if (rc == 0)
        return ct_error_set(CT_ENOTFOUND, "no advisory with ID or alias '%s'", ext);
    *id_out = ct_stmt_int64(q, 0);
    st->drv->reset(q);
    return 0;
}

static void put_time(ct_buf *out, ct_stmt *q, int col)
{
    char t[32];
    if (ct_stmt_is_null(q, col)) {
        ct_buf_puts(out, "null");
        return;
    }
    ct_time_format(t, ct_stmt_int64(q, col));
    ct_buf_json_str(out, t);
}

static void put_text(ct_buf *out, const char *s)
{
    if (s)
        ct_buf_json_str(out, s);
    else
        ct_buf_puts(out, "null");
}

static int put_aliases(ct_buf *out, ct_store *st, int64_t adv)
{
    ct_stmt *q;
    int rc, n = 0;
    if ((rc = ct_store__prepare(&q, st, CT_Q_ALIASES_OF)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, adv)) < 0)
        return rc;
    ct_buf_putc(out, '[');
    while ((rc = ct_stmt_step(q)) == 1) {
        if (n++)
            ct_buf_putc(out, ',');
        ct_buf_json_str(out, ct_stmt_text(q, 0));
    }
    ct_buf_putc(out, ']');
    st->drv->reset(q);
    return rc;
}

/* Severity (stored, else rated from the CVSS vector, with its source named), the CVSS vector
 * and score, KEV membership and the EPSS score of advisory adv, as JSON members. */
static int put_intel(ct_buf *out, ct_store *st, int64_t adv, const char *stored_severity)
{
    ct_stmt *q;
    ct_cvss cv;
    bool scored = false;
    int rc;

    if ((rc = ct_store__prepare(&q, st, CT_Q_ADVISORY_INTEL)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, adv)) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    const char *vec = rc == 1 ? ct_stmt_text(q, 3) : NULL;
    /* an unparsable vector is shown as text without a score (its error is not the caller's) */
    if (vec && ct_cvss_parse(&cv, vec, strlen(vec)) == 0)
        scored = true;
    ct_buf_puts(out, ",\"severity\":");
    if (stored_severity)
        ct_buf_json_str(out, stored_severity);
    else if (scored)
        ct_buf_json_str(out, ct_cvss_severity_name(cv.severity));
    else
        ct_buf_puts(out, "null");
    ct_buf_puts(out, ",\"severity_source\":");
    ct_buf_puts(out, stored_severity ? "\"advisory\"" : scored ? "\"cvss\"" : "null");
    ct_buf_puts(out, ",\"cvss\":");
    put_text(out, vec);
    if (scored)
        ct_buf_printf(out, ",\"cvss_score\":%d.%d", cv.score10 / 10, cv.score10 % 10);
    else
        ct_buf_puts(out, ",\"cvss_score\":null");
    ct_buf_puts(out, ",\"kev\":");
    if (rc == 1 && !ct_stmt_is_null(q, 0)) {
        char t[32];
        ct_time_format(t, ct_stmt_int64(q, 0));
        t[10] = '\0';
        ct_buf_puts(out, "{\"date_added\":");
        ct_buf_json_str(out, t);
        ct_buf_putc(out, '}');
    } else {
        ct_buf_puts(out, "null");
    }
    if (rc == 1 && !ct_stmt_is_null(q, 1)) {
        int64_t e = ct_stmt_int64(q, 1), p = ct_stmt_int64(q, 2);
        ct_buf_printf(out, ",\"epss\":%lld.%06lld,\"epss_percentile\":%lld.%06lld",
                      (long long)(e / 1000000), (long long)(e % 1000000),
                      (long long)(p / 1000000), (long long)(p % 1000000));
    } else {
        ct_buf_puts(out, ",\"epss\":null,\"epss_percentile\":null");
    }
    st->drv->reset(q);
    return out->failed ? ct_error_set(CT_ENOMEM, "out of memory") : 0;
}

/* Which source record the severity came from: ",\"severity_record\":{id, source}". */
static int put_record_ref(ct_buf *out, ct_store *st, int64_t adv)
{
    ct_stmt *q;
    int rc;
    if ((rc = ct_store__prepare(&q, st, CT_Q_ADVISORY_GET)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, adv)) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    ct_buf_puts(out, ",\"severity_record\":");
    if (rc == 1) {
        ct_buf_puts(out, "{\"id\":");
        put_text(out, ct_stmt_text(q, 0));
        ct_buf_puts(out, ",\"source\":");
        put_text(out, ct_stmt_text(q, 1));
        ct_buf_putc(out, '}');
    } else {
        ct_buf_puts(out, "null");
    }
    st->drv->reset(q);
    return out->failed ? ct_error_set(CT_ENOMEM, "out of memory") : 0;
}

typedef struct {
    int64_t release_id;
    int64_t units;
} rel_units;

static int64_t units_of(const rel_units *ru, size_t n, int64_t release_id)
{
    for (size_t i = 0; i < n; i++)
        if (ru[i].release_id == release_id)
            return ru[i].units;
    return 0;
}

static int affected(ct_buf *out, ct_store *st, const char *advisory_id, ct_time at)
{
    ct_stmt *q;
    int64_t adv = 0, total = 0, cur_release = -1, ident = 0, last_comp = 0, best = 0;
    char *primary = NULL, *sev = NULL;
    rel_units *ru = NULL;
    size_t nru = 0, cap = 0;
    int rc, nrel = 0, ncomp = 0, ncust = 0;

    if ((rc = resolve_advisory(&adv, st, advisory_id)) < 0)
        return rc;
    /* the identity the ID belongs to, answered by its primary record */
    if ((rc = ct_store__prepare(&q, st, CT_Q_ADV_PRIMARY_RECORD)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, adv)) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    if (rc == 1) {
        adv = ct_stmt_int64(q, 0);
        ident = ct_stmt_int64(q, 1);
    }
    st->drv->reset(q);
    /* units per affected release */
    /* now: the registered record of each unit; at a time: the unit's history span then */
    if ((rc = ct_store__prepare(&q, st, at == CT_TIME_NONE ? CT_Q_AFFECTED_UNITS
                                                           : CT_Q_AFFECTED_UNITS_AT)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, adv)) < 0 ||
        (at != CT_TIME_NONE && (rc = ct_stmt_bind_int64(q, 2, at)) < 0))
        return rc;
    while ((rc = ct_stmt_step(q)) == 1) {
        if (nru == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            rel_units *n = ct_reallocarray(ru, ncap, sizeof *n);
            if (!n) {
                rc = ct_error_set(CT_ENOMEM, "out of memory");
                break;
            }
            ru = n;
            cap = ncap;
        }
        ru[nru].release_id = ct_stmt_int64(q, 0);
        ru[nru].units = ct_stmt_int64(q, 1);
        total += ru[nru].units;
        nru++;
    }
    st->drv->reset(q);
    if (rc < 0)
        goto cleanup;

    if ((rc = ct_store__prepare(&q, st, CT_Q_ADVISORY_GET)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, adv)) < 0 || (rc = ct_stmt_step(q)) < 0)
        goto cleanup;
    ct_buf_puts(out, "{\"advisory\":");
    ct_buf_json_str(out, ct_stmt_text(q, 0));
    if (!(primary = ct_strdup(ct_stmt_text(q, 0) ? ct_stmt_text(q, 0) : ""))) {
        st->drv->reset(q);
        rc = ct_error_set(CT_ENOMEM, "out of memory");
        goto cleanup;
    }
    ct_buf_puts(out, ",\"source\":");
    put_text(out, ct_stmt_text(q, 1));
    ct_buf_puts(out, ",\"summary\":");
    put_text(out, ct_stmt_text(q, 2));
    ct_buf_puts(out, ",\"published\":");
    put_time(out, q, 4);
    ct_buf_puts(out, ",\"modified\":");
    put_time(out, q, 5);
    ct_buf_puts(out, ",\"withdrawn\":");
    put_time(out, q, 6);
    st->drv->reset(q);
    /* severity: the best source record of the identity, named */
    if (ident) {
        if ((rc = ct_store__identity_best(&best, &sev, st, ident)) < 0)
            goto cleanup;
    } else if ((rc = ct_store__prepare(&q, st, CT_Q_ADVISORY_GET)) == 0 &&
               (rc = ct_stmt_bind_int64(q, 1, adv)) == 0 && (rc = ct_stmt_step(q)) >= 0) {
        best = adv;
        sev = rc == 1 && ct_stmt_text(q, 3) ? ct_strdup(ct_stmt_text(q, 3)) : NULL;
        st->drv->reset(q);
    }
    if (rc < 0 || (rc = put_intel(out, st, best ? best : adv, sev)) < 0 ||
        (rc = put_record_ref(out, st, best ? best : adv)) < 0)
        goto cleanup;
    if (ident) {
        ct_buf_puts(out, ",\"records\":");
        if ((rc = ct_store__identity_records_json(out, st, ident)) < 0)
            goto cleanup;
    }
    ct_buf_puts(out, ",\"at\":");
    if (at == CT_TIME_NONE) {
        ct_buf_puts(out, "null");
    } else {
        char t[32];
        ct_time_format(t, at);
        ct_buf_json_str(out, t);
    }
    ct_buf_puts(out, ",\"aliases\":");
    if ((rc = ident ? ct_store__identity_aliases_json(out, st, ident, primary)
                    : put_aliases(out, st, adv)) < 0)
        goto cleanup;

    ct_buf_puts(out, ",\"releases\":[");
    if ((rc = ct_store__prepare(&q, st, CT_Q_AFFECTED_COMPONENTS)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, adv)) < 0)
        goto cleanup;
    while ((rc = ct_stmt_step(q)) == 1) {
        int64_t rel = ct_stmt_int64(q, 2);
        if (rel != cur_release) {
            if (nrel++)
                ct_buf_printf(out, "],\"units\":%lld},",
                              (long long)units_of(ru, nru, cur_release));
            cur_release = rel;
            ncomp = 0;
            ct_buf_puts(out, "{\"product\":");
            ct_buf_json_str(out, ct_stmt_text(q, 0));
            ct_buf_puts(out, ",\"release\":");
            ct_buf_json_str(out, ct_stmt_text(q, 1));
            ct_buf_puts(out, ",\"components\":[");
        }
        /* a component two records of the identity match is listed once (primary first) */
        if (ncomp && ct_stmt_int64(q, 9) == last_comp)
            continue;
        last_comp = ct_stmt_int64(q, 9);
        if (ncomp++)
            ct_buf_putc(out, ',');
        ct_buf_puts(out, "{\"purl\":");
        put_text(out, ct_stmt_text(q, 3));
        ct_buf_puts(out, ",\"name\":");
        put_text(out, ct_stmt_text(q, 4));
        ct_buf_puts(out, ",\"version\":");
        put_text(out, ct_stmt_text(q, 5));
        ct_buf_puts(out, ",\"range\":");
        put_text(out, ct_stmt_text(q, 6));
        ct_buf_puts(out, ",\"rule\":");
        put_text(out, ct_stmt_text(q, 7));
        ct_buf_puts(out, ",\"state\":");
        put_text(out, ct_stmt_text(q, 8));
        ct_buf_putc(out, '}');
    }
    st->drv->reset(q);
    if (rc < 0)
        goto cleanup;
    if (nrel)
        ct_buf_printf(out, "],\"units\":%lld}", (long long)units_of(ru, nru, cur_release));
    ct_buf_printf(out, "],\"units_total\":%lld,\"customers\":[", (long long)total);

    if ((rc = ct_store__prepare(&q, st, at == CT_TIME_NONE ? CT_Q_AFFECTED_CUSTOMERS
                                                           : CT_Q_AFFECTED_CUSTOMERS_AT)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, adv)) < 0 ||
        (at != CT_TIME_NONE && (rc = ct_stmt_bind_int64(q, 2, at)) < 0))
        goto cleanup;
    while ((rc = ct_stmt_step(q)) == 1) {
        if (ncust++)
            ct_buf_putc(out, ',');
        ct_buf_puts(out, "{\"id\":");
        ct_buf_json_str(out, ct_stmt_text(q, 0));
        ct_buf_puts(out, ",\"name\":");
        ct_buf_json_str(out, ct_stmt_text(q, 1));
        ct_buf_printf(out, ",\"units\":%lld}", (long long)ct_stmt_int64(q, 2));
    }
    st->drv->reset(q);
    if (rc < 0)
        goto cleanup;
    ct_buf_puts(out, "]}");
    rc = out->failed ? ct_error_set(CT_ENOMEM, "out of memory") : 0;
cleanup:
    ct_free(primary);
    ct_free(sev);
    ct_free(ru);
    return rc;
}

int ct_store_affected_json(ct_buf *out, ct_store *st, const char *advisory_id)
{
    return affected(out, st, advisory_id, CT_TIME_NONE);
}

int ct_store_affected_json_at(ct_buf *out, ct_store *st, const char *advisory_id, ct_time at)
{
    return affected(out, st, advisory_id, at);
}

/* The head of one finding (component x advisory identity): where, what, the identity's primary
 * ID, aliases, best severity, the triage; "records" follows, one per source record. */
static int finding_head(ct_buf *out, ct_store *st, ct_stmt *q)
{
    int64_t ident = ct_stmt_int64(q, 10), best = 0;
    char *primary = ct_strdup(ct_stmt_text(q, 5) ? ct_stmt_text(q, 5) : "");
    char *inherited = ct_stmt_text(q, 16) ? ct_strdup(ct_stmt_text(q, 16)) : NULL;
    char *sev = NULL;
    int64_t vex = ct_stmt_is_null(q, 15) ? 0 : ct_stmt_int64(q, 15);
    int rc;

    if (!primary || (ct_stmt_text(q, 16) && !inherited)) {
        rc = ct_error_set(CT_ENOMEM, "out of memory");
        goto cleanup;
    }
    ct_buf_puts(out, "{\"product\":");
    ct_buf_json_str(out, ct_stmt_text(q, 0));
    ct_buf_puts(out, ",\"release\":");
    ct_buf_json_str(out, ct_stmt_text(q, 1));
    ct_buf_puts(out, ",\"purl\":");
    put_text(out, ct_stmt_text(q, 2));
    ct_buf_puts(out, ",\"component\":");
    put_text(out, ct_stmt_text(q, 3));
    ct_buf_puts(out, ",\"version\":");
    put_text(out, ct_stmt_text(q, 4));
    ct_buf_puts(out, ",\"advisory\":");
    ct_buf_json_str(out, primary);
    /* the other statements run while the list statement stays positioned */
    ct_buf_puts(out, ",\"aliases\":");
    if ((rc = ct_store__identity_aliases_json(out, st, ident, primary)) < 0 ||
        (rc = ct_store__identity_best(&best, &sev, st, ident)) < 0 ||
        (rc = put_intel(out, st, best, sev)) < 0)
        goto cleanup;
    ct_buf_puts(out, ",\"state\":");
    put_text(out, ct_stmt_text(q, 6));
    ct_buf_puts(out, ",\"rule\":");
    put_text(out, ct_stmt_text(q, 7));
    ct_buf_puts(out, ",\"range\":");
    put_text(out, ct_stmt_text(q, 8));
    if ((rc = put_record_ref(out, st, best)) < 0 ||
        (rc = ct_store__triage_members_json(out, st, vex, inherited)) < 0)
        goto cleanup;
    ct_buf_puts(out, ",\"records\":[");
cleanup:
    ct_free(primary);
    ct_free(inherited);
    ct_free(sev);
    return rc;
}

int ct_store_findings_json(ct_buf *out, ct_store *st, const char *product, const char *state)
{
    ct_stmt *q;
    int64_t cur_comp = 0, cur_ident = 0;
    int rc, n = 0, nrec = 0;

    if ((rc = ct_store__prepare(&q, st, CT_Q_FINDINGS_LIST_IDENTITY)) < 0 ||
        (rc = ct_stmt_bind_text(q, 1, product)) < 0 || (rc = ct_stmt_bind_text(q, 2, state)) < 0)
        return rc;
    ct_buf_putc(out, '[');
    while ((rc = ct_stmt_step(q)) == 1) {
        int64_t comp = ct_stmt_int64(q, 11), ident = ct_stmt_int64(q, 10);
        /* one finding per (component, identity); rows of one come together, primary first */
        if (!n || comp != cur_comp || ident != cur_ident) {
            if (n++)
                ct_buf_puts(out, "]},");
            cur_comp = comp;
            cur_ident = ident;
            nrec = 0;
            if ((rc = finding_head(out, st, q)) < 0)
                break;
        }
        if (nrec++)
            ct_buf_putc(out, ',');
        ct_buf_puts(out, "{\"advisory\":");
        put_text(out, ct_stmt_text(q, 12));
        ct_buf_puts(out, ",\"source\":");
        put_text(out, ct_stmt_text(q, 13));
        ct_buf_puts(out, ",\"origin\":");
        put_text(out, ct_stmt_text(q, 14));
        ct_buf_puts(out, ",\"range\":");
        put_text(out, ct_stmt_text(q, 8));
        ct_buf_puts(out, ",\"rule\":");
        put_text(out, ct_stmt_text(q, 7));
        ct_buf_putc(out, '}');
    }
    st->drv->reset(q);
    if (n && rc >= 0)
        ct_buf_puts(out, "]}");
    ct_buf_putc(out, ']');
    if (rc < 0)
        return rc;
    return out->failed ? ct_error_set(CT_ENOMEM, "out of memory") : 0;
}

int ct_store_products_json(ct_buf *out, ct_store *st)
{
    ct_stmt *q;
    int rc, n = 0;
    char t[32];

    if ((rc = ct_store__prepare(&q, st, CT_Q_PRODUCT_LIST)) < 0)
        return rc;
    ct_buf_putc(out, '[');
    while ((rc = ct_stmt_step(q)) == 1) {
        if (n++)
            ct_buf_putc(out, ',');
        ct_buf_puts(out, "{\"name\":");
        ct_buf_json_str(out, ct_stmt_text(q, 1));
        ct_buf_puts(out, ",\"vendor\":");
        put_text(out, ct_stmt_text(q, 2));
        ct_buf_puts(out, ",\"category\":");
        ct_buf_json_str(out, ct_stmt_text(q, 3));
        ct_buf_puts(out, ",\"support_until\":");
        if (ct_stmt_is_null(q, 4)) {
            ct_buf_puts(out, "null");
        } else {
            ct_time_format(t, ct_stmt_int64(q, 4));
            t[10] = '\0';
            ct_buf_json_str(out, t);
        }
        ct_buf_printf(out, ",\"releases\":%lld,\"units\":%lld}", (long long)ct_stmt_int64(q, 5),
                      (long long)ct_stmt_int64(q, 6));
    }
    st->drv->reset(q);
    ct_buf_putc(out, ']');
    if (rc < 0)
        return rc;
    return out->failed ? ct_error_set(CT_ENOMEM, "out of memory") : 0;
}

int ct_store_summary_json(ct_buf *out, ct_store *st)
{
    static const char *const names[] = { "products",  "releases",   "components", "units",
                                         "customers", "advisories", "findings" };
    ct_stmt *q;
    int rc, n = 0;

    if ((rc = ct_store__prepare(&q, st, CT_Q_SUMMARY_COUNTS)) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    ct_buf_puts(out, "{\"counts\":{");
    for (size_t i = 0; i < CT_NELEM(names); i++)
        ct_buf_printf(out, "%s\"%s\":%lld", i ? "," : "", names[i],
                      (long long)ct_stmt_int64(q, (int)i));
    st->drv->reset(q);
    ct_buf_puts(out, "},\"advisories_with_findings\":[");
    if ((rc = ct_store__prepare(&q, st, CT_Q_ADVISORIES_WITH_FINDINGS)) < 0)
        return rc;
    while ((rc = ct_stmt_step(q)) == 1) {
        if (n++)
            ct_buf_putc(out, ',');
        ct_buf_puts(out, "{\"advisory\":");
        ct_buf_json_str(out, ct_stmt_text(q, 0));
        ct_buf_printf(out, ",\"releases\":%lld}", (long long)ct_stmt_int64(q, 1));
    }
    st->drv->reset(q);
    ct_buf_puts(out, "]}");
    if (rc < 0)
        return rc;
    return out->failed ? ct_error_set(CT_ENOMEM, "out of memory") : 0;
}

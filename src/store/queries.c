/* Read-side answers as JSON: affected releases/units/customers, findings, products. */
#include "store_int.h"
#include "cratrace/cvss.h"

#include <stdlib.h>
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

/* KEV date added and EPSS score / percentile (micro units) of an identity; has_*: not NULL. */
typedef struct {
    bool has_kev, has_epss;
    int64_t kev, epss, pct;
} intel_vals;

/* The members put_intel writes, from the stored severity, the CVSS vector and the KEV / EPSS
 * values (NULL iv: none). */
static void intel_members(ct_buf *out, const char *stored_severity, const char *vec,
                          const intel_vals *iv)
{
    ct_cvss cv;
    bool scored = false;

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
    ct_store__json_text(out, vec);
    if (scored)
        ct_buf_printf(out, ",\"cvss_score\":%d.%d", cv.score10 / 10, cv.score10 % 10);
    else
        ct_buf_puts(out, ",\"cvss_score\":null");
    ct_buf_puts(out, ",\"kev\":");
    if (iv && iv->has_kev) {
        char t[32];
        ct_time_format(t, iv->kev);
        t[10] = '\0';
        ct_buf_puts(out, "{\"date_added\":");
        ct_buf_json_str(out, t);
        ct_buf_putc(out, '}');
    } else {
        ct_buf_puts(out, "null");
    }
    if (iv && iv->has_epss)
        ct_buf_printf(out, ",\"epss\":%lld.%06lld,\"epss_percentile\":%lld.%06lld",
                      (long long)(iv->epss / 1000000), (long long)(iv->epss % 1000000),
                      (long long)(iv->pct / 1000000), (long long)(iv->pct % 1000000));
    else
        ct_buf_puts(out, ",\"epss\":null,\"epss_percentile\":null");
}

/* Severity (stored, else rated from the CVSS vector, with its source named), the CVSS vector
 * and score, KEV membership and the EPSS score of advisory adv, as JSON members. */
static int put_intel(ct_buf *out, ct_store *st, int64_t adv, const char *stored_severity)
{
    ct_stmt *q;
    intel_vals iv;
    int rc;

    if ((rc = ct_store__prepare(&q, st, CT_Q_ADVISORY_INTEL)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, adv)) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    memset(&iv, 0, sizeof iv);
    if (rc == 1) {
        iv.has_kev = !ct_stmt_is_null(q, 0);
        iv.kev = iv.has_kev ? ct_stmt_int64(q, 0) : 0;
        iv.has_epss = !ct_stmt_is_null(q, 1);
        iv.epss = iv.has_epss ? ct_stmt_int64(q, 1) : 0;
        iv.pct = iv.has_epss ? ct_stmt_int64(q, 2) : 0;
    }
    intel_members(out, stored_severity, rc == 1 ? ct_stmt_text(q, 3) : NULL, &iv);
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
        ct_store__json_text(out, ct_stmt_text(q, 0));
        ct_buf_puts(out, ",\"source\":");
        ct_store__json_text(out, ct_stmt_text(q, 1));
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

static int rel_units_push(rel_units **ru, size_t *n, size_t *cap, int64_t release_id,
                          int64_t units)
{
    int rc = ct_store__grow((void **)ru, cap, *n, sizeof **ru, 16);
    if (rc < 0)
        return rc;
    (*ru)[*n].release_id = release_id;
    (*ru)[(*n)++].units = units;
    return 0;
}

static int put_release_count(ct_store *st, int64_t release_id, int64_t units, const ct_buf *by)
{
    ct_stmt *q;
    int rc;
    if (by->failed)
        return ct_error_set(CT_ENOMEM, "out of memory");
    if ((rc = ct_store__prepare(&q, st, CT_Q_UNIT_COUNT_INSERT)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, release_id)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 2, units)) < 0 ||
        (rc = ct_stmt_bind_text(q, 3, by->len ? by->ptr : "")) < 0 ||
        (rc = ct_store__exec_stmt(q)) < 0)
        return rc;
    return 0;
}

/* unit_count from one GROUP BY over the current spans: per release its units, and its units
 * per customer as "id:n id:n ..." (customer 0, none, counts for the release only). */
static int fill_unit_counts(ct_store *st)
{
    ct_stmt *q;
    ct_buf by = CT_BUF_INIT;
    int64_t release_id = 0, units = 0;
    int rc;

    if ((rc = ct_store__prepare(&q, st, CT_Q_UNIT_COUNT_PAIRS)) < 0)
        return rc;
    while ((rc = ct_stmt_step(q)) == 1) {
        int64_t r = ct_stmt_int64(q, 0), c = ct_stmt_int64(q, 1), n = ct_stmt_int64(q, 2);
        if (r != release_id) {
            if (units && (rc = put_release_count(st, release_id, units, &by)) < 0)
                break;
            release_id = r;
            units = 0;
            ct_buf_reset(&by);
        }
        units += n;
        if (c)
            ct_buf_printf(&by, "%s%lld:%lld", by.len ? " " : "", (long long)c, (long long)n);
    }
    st->drv->reset(q);
    if (rc == 0 && units)
        rc = put_release_count(st, release_id, units, &by);
    ct_buf_dispose(&by);
    return rc < 0 ? rc : 0;
}

/* Units per customer, summed in memory over the affected releases (open addressing; customer
 * ids are > 0, 0 marks an empty slot). */
typedef struct {
    int64_t *id, *n;
    size_t cap, used;
} cust_sum;

static int cust_sum_add(cust_sum *m, int64_t id, int64_t n)
{
    if ((m->used + 1) * 2 > m->cap) {
        size_t ncap = m->cap ? m->cap * 2 : 1024;
        int64_t *nid = ct_calloc(ncap, sizeof *nid), *nn = ct_calloc(ncap, sizeof *nn);
        if (!nid || !nn) {
            ct_free(nid);
            ct_free(nn);
            return ct_error_set(CT_ENOMEM, "out of memory");
        }
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->id[i])
                continue;
            size_t k = (size_t)((uint64_t)m->id[i] * 0x9E3779B97F4A7C15u >> 20) & (ncap - 1);
            while (nid[k])
                k = (k + 1) & (ncap - 1);
            nid[k] = m->id[i];
            nn[k] = m->n[i];
        }
        ct_free(m->id);
        ct_free(m->n);
        m->id = nid;
        m->n = nn;
        m->cap = ncap;
    }
    size_t k = (size_t)((uint64_t)id * 0x9E3779B97F4A7C15u >> 20) & (m->cap - 1);
    while (m->id[k] && m->id[k] != id)
        k = (k + 1) & (m->cap - 1);
    if (!m->id[k]) {
        m->id[k] = id;
        m->used++;
    }
    m->n[k] += n;
    return 0;
}

static int64_t cust_sum_get(const cust_sum *m, int64_t id)
{
    if (!m->cap)
        return 0;
    size_t k = (size_t)((uint64_t)id * 0x9E3779B97F4A7C15u >> 20) & (m->cap - 1);
    while (m->id[k] && m->id[k] != id)
        k = (k + 1) & (m->cap - 1);
    return m->id[k] ? m->n[k] : 0;
}

/* Add "id:n id:n ..." to m. */
static int cust_sum_parse(cust_sum *m, const char *s)
{
    int rc;
    while (s && *s) {
        char *end;
        long long id = strtoll(s, &end, 10), n;
        if (*end != ':')
            return ct_error_set(CT_EDB, "unit_count: malformed customer counts");
        n = strtoll(end + 1, &end, 10);
        if ((rc = cust_sum_add(m, id, n)) < 0)
            return rc;
        s = *end == ' ' ? end + 1 : end;
    }
    return 0;
}

typedef struct {
    char *code, *name;
    int64_t units;
} cust_row;

static int cust_row_cmp(const void *a, const void *b)
{
    const cust_row *x = a, *y = b;
    if (x->units != y->units)
        return x->units > y->units ? -1 : 1;
    return strcmp(x->code, y->code);
}

/* One customer of `affected` as a JSON object. */
static void put_customer(ct_buf *out, const char *code, const char *name, int64_t units)
{
    ct_buf_puts(out, "{\"id\":");
    ct_buf_json_str(out, code);
    ct_buf_puts(out, ",\"name\":");
    ct_buf_json_str(out, name);
    ct_buf_printf(out, ",\"units\":%lld}", (long long)units);
}

/* A row of AFFECTED_CUSTOMERS (code, name, units) as put_customer writes it. */
static int customer_row(ct_buf *out, ct_stmt *q, void *payload)
{
    (void)payload;
    put_customer(out, ct_stmt_text(q, 0), ct_stmt_text(q, 1), ct_stmt_int64(q, 2));
    return 0;
}

/* The customers with units in sums, as the JSON array members of `affected` (most units
 * first, then by code). */
static int put_customers_summed(ct_buf *out, ct_store *st, const cust_sum *sums)
{
    ct_stmt *q;
    cust_row *rows = NULL;
    size_t n = 0, cap = 0;
    int rc;

    if (!sums->used)
        return 0;
    if ((rc = ct_store__prepare(&q, st, CT_Q_CUSTOMERS_ALL)) < 0)
        return rc;
    while ((rc = ct_stmt_step(q)) == 1) {
        int64_t units = cust_sum_get(sums, ct_stmt_int64(q, 0));
        if (!units)
            continue;
        if ((rc = ct_store__grow((void **)&rows, &cap, n, sizeof *rows, 64)) < 0)
            break;
        rows[n].code = ct_strdup(ct_stmt_text(q, 1) ? ct_stmt_text(q, 1) : "");
        rows[n].name = ct_strdup(ct_stmt_text(q, 2) ? ct_stmt_text(q, 2) : "");
        rows[n].units = units;
        n++;
        if (!rows[n - 1].code || !rows[n - 1].name) {
            rc = ct_error_set(CT_ENOMEM, "out of memory");
            break;
        }
    }
    st->drv->reset(q);
    if (rc == 0) {
        qsort(rows, n, sizeof *rows, cust_row_cmp);
        for (size_t i = 0; i < n; i++) {
            if (i)
                ct_buf_putc(out, ',');
            put_customer(out, rows[i].code, rows[i].name, rows[i].units);
        }
    }
    for (size_t i = 0; i < n; i++) {
        ct_free(rows[i].code);
        ct_free(rows[i].name);
    }
    ct_free(rows);
    return rc < 0 ? rc : 0;
}

/* Units in the field now per (release, customer) are read from unit_count, a cache of one
 * GROUP BY over the current unit spans (migration 0013). Any change to unit_span marks it stale
 * (triggers); a stale cache is recomputed here, in one transaction, before it is read, so an
 * answer never uses counts older than the fleet it sees. Returns 1 when the cache may be read,
 * 0 when it is stale and cannot be recomputed here (a read-only store outside a transaction:
 * the caller counts the spans directly), < 0 on error. */
static int unit_counts_ready(ct_store *st)
{
    ct_stmt *q;
    bool own = st->tx_depth == 0;
    int rc;

    if ((rc = ct_store__prepare(&q, st, CT_Q_UNIT_COUNT_STATE)) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    bool current = rc == 1 && ct_stmt_int64(q, 0) == ct_stmt_int64(q, 1);
    st->drv->reset(q);
    if (current)
        return 1;
    if ((rc = ct_store_begin(st)) < 0)
        return rc;
    /* claiming the state row serialises recomputes and (PostgreSQL) waits for fleet writers
     * that marked it stale; no row: another connection has just recomputed it */
    if ((rc = ct_store__prepare(&q, st, CT_Q_UNIT_COUNT_CLAIM)) < 0 || (rc = ct_stmt_step(q)) < 0)
        goto fail;
    st->drv->reset(q);
    if (rc == 1 && ((rc = ct_store__prepare(&q, st, CT_Q_UNIT_COUNT_CLEAR)) < 0 ||
                    (rc = ct_store__exec_stmt(q)) < 0 || (rc = fill_unit_counts(st)) < 0))
        goto fail;
    if ((rc = ct_store_commit(st)) < 0)
        return own ? (ct_error_clear(), 0) : rc;
    return 1;
fail:
    if (!own)
        return rc;
    ct_store_rollback(st);
    ct_error_clear();
    return 0;
}

/* At a time: the units of the spans alive at `at` in each release advisory adv affects, into
 * ru (one entry per release) and summed per customer into cust. One statement per release
 * (AFFECTED_SPANS_AT on SQLite: a row per span, no GROUP BY temp B-tree; AFFECTED_COUNTS_AT on
 * PostgreSQL: counts per customer from a hash aggregate, fewer rows over the wire). */
static int count_alive_at(rel_units **ru, size_t *nru, size_t *cap, cust_sum *cust,
                          int64_t *total, ct_store *st, int64_t adv, ct_time at)
{
    ct_stmt *q;
    int rc;
    size_t first = *nru;
    ct_query_id id = strcmp(st->drv->name, "sqlite") == 0 ? CT_Q_AFFECTED_SPANS_AT
                                                           : CT_Q_AFFECTED_COUNTS_AT;

    if ((rc = ct_store__prepare(&q, st, CT_Q_AFFECTED_RELEASE_IDS)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, adv)) < 0)
        return rc;
    while ((rc = ct_stmt_step(q)) == 1)
        if ((rc = rel_units_push(ru, nru, cap, ct_stmt_int64(q, 0), 0)) < 0)
            break;
    st->drv->reset(q);
    for (size_t i = first; rc == 0 && i < *nru; i++) {
        if ((rc = ct_store__prepare(&q, st, id)) < 0 ||
            (rc = ct_stmt_bind_int64(q, 1, (*ru)[i].release_id)) < 0 ||
            (rc = ct_stmt_bind_int64(q, 2, at)) < 0)
            return rc;
        while ((rc = ct_stmt_step(q)) == 1) {
            int64_t c = ct_stmt_int64(q, 0), n = ct_stmt_int64(q, 1);
            (*ru)[i].units += n;
            if (c && (rc = cust_sum_add(cust, c, n)) < 0)
                break;
        }
        st->drv->reset(q);
        *total += (*ru)[i].units;
    }
    return rc < 0 ? rc : 0;
}

static int affected(ct_buf *out, ct_store *st, const char *advisory_id, ct_time at)
{
    ct_stmt *q;
    int64_t adv = 0, total = 0, cur_release = -1, ident = 0, last_comp = 0, best = 0;
    char *primary = NULL, *sev = NULL;
    rel_units *ru = NULL;
    size_t nru = 0, cap = 0;
    int rc, nrel = 0, ncomp = 0;
    cust_sum sums = { NULL, NULL, 0, 0 };
    bool cached = false;

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
    /* now: from the unit count cache when it is current (summed per customer here), else
     * from the spans; at a time: from the spans valid then */
    if (at == CT_TIME_NONE && (rc = unit_counts_ready(st)) < 0)
        return rc;
    cached = at == CT_TIME_NONE && rc == 1;
    if (at != CT_TIME_NONE) {
        /* at a time: units per release and per customer from one scan of the spans then */
        if ((rc = count_alive_at(&ru, &nru, &cap, &sums, &total, st, adv, at)) < 0)
            goto cleanup;
    } else {
        /* now: the registered record of each unit (cached counts or the open spans) */
        if ((rc = ct_store__prepare(&q, st, cached ? CT_Q_AFFECTED_UNITS_NOW
                                                   : CT_Q_AFFECTED_UNITS)) < 0 ||
            (rc = ct_stmt_bind_int64(q, 1, adv)) < 0)
            return rc;
        while ((rc = ct_stmt_step(q)) == 1) {
            if ((rc = rel_units_push(&ru, &nru, &cap, ct_stmt_int64(q, 0),
                                     ct_stmt_int64(q, 1))) < 0)
                break;
            total += ru[nru - 1].units;
            if (cached && (rc = cust_sum_parse(&sums, ct_stmt_text(q, 2))) < 0)
                break;
        }
        st->drv->reset(q);
        if (rc < 0)
            goto cleanup;
    }

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
    ct_store__json_text(out, ct_stmt_text(q, 1));
    ct_buf_puts(out, ",\"summary\":");
    ct_store__json_text(out, ct_stmt_text(q, 2));
    ct_buf_puts(out, ",\"published\":");
    ct_store__json_col_time(out, q, 4);
    ct_buf_puts(out, ",\"modified\":");
    ct_store__json_col_time(out, q, 5);
    ct_buf_puts(out, ",\"withdrawn\":");
    ct_store__json_col_time(out, q, 6);
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
                    : ct_store__json_names(out, st, CT_Q_ALIASES_OF, adv)) < 0)
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
        ct_store__json_text(out, ct_stmt_text(q, 3));
        ct_buf_puts(out, ",\"name\":");
        ct_store__json_text(out, ct_stmt_text(q, 4));
        ct_buf_puts(out, ",\"version\":");
        ct_store__json_text(out, ct_stmt_text(q, 5));
        ct_buf_puts(out, ",\"range\":");
        ct_store__json_text(out, ct_stmt_text(q, 6));
        ct_buf_puts(out, ",\"rule\":");
        ct_store__json_text(out, ct_stmt_text(q, 7));
        ct_buf_puts(out, ",\"state\":");
        ct_store__json_text(out, ct_stmt_text(q, 8));
        ct_buf_putc(out, '}');
    }
    st->drv->reset(q);
    if (rc < 0)
        goto cleanup;
    if (nrel)
        ct_buf_printf(out, "],\"units\":%lld}", (long long)units_of(ru, nru, cur_release));
    ct_buf_printf(out, "],\"units_total\":%lld,\"customers\":", (long long)total);

    if (cached || at != CT_TIME_NONE) {
        ct_buf_putc(out, '[');
        if ((rc = put_customers_summed(out, st, &sums)) < 0)
            goto cleanup;
        ct_buf_puts(out, "]}");
        rc = out->failed ? ct_error_set(CT_ENOMEM, "out of memory") : 0;
        goto cleanup;
    }
    if ((rc = ct_store__prepare(&q, st, CT_Q_AFFECTED_CUSTOMERS)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, adv)) < 0 ||
        (rc = ct_store__json_rows(out, st, q, customer_row, NULL)) < 0)
        goto cleanup;
    ct_buf_putc(out, '}');
    rc = out->failed ? ct_error_set(CT_ENOMEM, "out of memory") : 0;
cleanup:
    ct_free(sums.id);
    ct_free(sums.n);
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

/* The IDs and aliases of the identities a findings list names, read by one query
 * (FINDINGS_IDENTITY_NAMES) instead of one per finding: (identity, name) sorted as the query
 * returns them, names in one arena. */
typedef struct {
    int64_t *ident;
    size_t *off; /* name i at arena.ptr + off[i] */
    size_t n, cap;
    ct_buf arena;
} ident_names;

static void ident_names_free(ident_names *v)
{
    ct_free(v->ident);
    ct_free(v->off);
    ct_buf_dispose(&v->arena);
}

static int ident_names_load(ident_names *v, ct_store *st, const char *product, const char *state)
{
    ct_stmt *q;
    int rc;

    if ((rc = ct_store__prepare(&q, st, CT_Q_FINDINGS_IDENTITY_NAMES)) < 0 ||
        (rc = ct_stmt_bind_text(q, 1, product)) < 0 || (rc = ct_stmt_bind_text(q, 2, state)) < 0)
        return rc;
    while ((rc = ct_stmt_step(q)) == 1) {
        const char *name = ct_stmt_text(q, 1);
        if (!name)
            continue;
        if (v->n == v->cap) {
            size_t ncap = v->cap ? v->cap * 2 : 256;
            int64_t *ni = ct_reallocarray(v->ident, ncap, sizeof *ni);
            if (ni)
                v->ident = ni;
            size_t *no = ni ? ct_reallocarray(v->off, ncap, sizeof *no) : NULL;
            if (!no) {
                rc = ct_error_set(CT_ENOMEM, "out of memory");
                break;
            }
            v->off = no;
            v->cap = ncap;
        }
        v->ident[v->n] = ct_stmt_int64(q, 0);
        v->off[v->n++] = v->arena.len;
        ct_buf_put(&v->arena, name, strlen(name) + 1);
    }
    st->drv->reset(q);
    if (rc < 0)
        return rc;
    return v->arena.failed ? ct_error_set(CT_ENOMEM, "out of memory") : 0;
}

/* The identity's IDs and aliases but its primary ID, as ct_store__identity_aliases_json. */
static void ident_names_json(ct_buf *out, const ident_names *v, int64_t identity_id,
                             const char *primary)
{
    size_t lo = 0, hi = v->n;
    int n = 0;
    while (lo < hi) { /* first row of the identity */
        size_t mid = lo + (hi - lo) / 2;
        if (v->ident[mid] < identity_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    ct_buf_putc(out, '[');
    for (size_t i = lo; i < v->n && v->ident[i] == identity_id; i++) {
        const char *name = v->arena.ptr + v->off[i];
        if (primary && strcmp(name, primary) == 0)
            continue;
        if (n++)
            ct_buf_putc(out, ',');
        ct_buf_json_str(out, name);
    }
    ct_buf_putc(out, ']');
}

/* What a findings list needs per identity and per VEX statement, read by one query per kind
 * keyed by the whole list (FINDINGS_IDENTITY_RECORDS, _INTEL, FINDINGS_VEX) instead of three or
 * four per finding; each sorted by id for bsearch. */
typedef struct {
    int64_t iid;
    intel_vals v;
} ident_intel;

typedef struct {
    int64_t id, created;
    size_t off[7]; /* field i at arena.ptr + off[i]; SIZE_MAX: NULL */
} vex_row;

typedef struct {
    ident_names names;
    ct_identity_best *best;
    size_t nbest;
    ident_intel *intel;
    size_t nintel, capintel;
    vex_row *vex;
    size_t nvex, capvex;
    ct_buf arena; /* VEX fields */
} findings_ctx;

static void findings_ctx_free(findings_ctx *c)
{
    ident_names_free(&c->names);
    ct_store__identity_best_list_free(c->best, c->nbest);
    ct_free(c->intel);
    ct_free(c->vex);
    ct_buf_dispose(&c->arena);
}

int ct_store__grow(void **v, size_t *cap, size_t n, size_t size, size_t first)
{
    if (n < *cap)
        return 0;
    size_t ncap = *cap ? *cap * 2 : first;
    void *nv = ct_reallocarray(*v, ncap, size);
    if (!nv)
        return ct_error_set(CT_ENOMEM, "out of memory");
    *v = nv;
    *cap = ncap;
    return 0;
}

static int findings_ctx_load(findings_ctx *c, ct_store *st, const char *product, const char *state)
{
    ct_stmt *q;
    int rc;

    if ((rc = ident_names_load(&c->names, st, product, state)) < 0 ||
        (rc = ct_store__identity_best_list(&c->best, &c->nbest, st, product, state)) < 0)
        return rc;
    if ((rc = ct_store__prepare(&q, st, CT_Q_FINDINGS_IDENTITY_INTEL)) < 0 ||
        (rc = ct_stmt_bind_text(q, 1, product)) < 0 || (rc = ct_stmt_bind_text(q, 2, state)) < 0)
        return rc;
    while ((rc = ct_stmt_step(q)) == 1) {
        if ((rc = ct_store__grow((void **)&c->intel, &c->capintel, c->nintel, sizeof *c->intel,
                                 64)) < 0)
            break;
        ident_intel *e = &c->intel[c->nintel++];
        memset(e, 0, sizeof *e);
        e->iid = ct_stmt_int64(q, 0);
        e->v.has_kev = !ct_stmt_is_null(q, 1);
        e->v.kev = e->v.has_kev ? ct_stmt_int64(q, 1) : 0;
        e->v.has_epss = !ct_stmt_is_null(q, 2);
        e->v.epss = e->v.has_epss ? ct_stmt_int64(q, 2) : 0;
        e->v.pct = e->v.has_epss ? ct_stmt_int64(q, 3) : 0;
    }
    st->drv->reset(q);
    if (rc < 0)
        return rc;
    if ((rc = ct_store__prepare(&q, st, CT_Q_FINDINGS_VEX)) < 0 ||
        (rc = ct_stmt_bind_text(q, 1, product)) < 0 || (rc = ct_stmt_bind_text(q, 2, state)) < 0)
        return rc;
    while ((rc = ct_stmt_step(q)) == 1) {
        if ((rc = ct_store__grow((void **)&c->vex, &c->capvex, c->nvex, sizeof *c->vex, 64)) < 0)
            break;
        vex_row *e = &c->vex[c->nvex++];
        e->id = ct_stmt_int64(q, 0);
        e->created = ct_stmt_int64(q, 8);
        for (int i = 0; i < 7; i++) {
            const char *t = ct_stmt_text(q, 1 + i);
            e->off[i] = t ? c->arena.len : SIZE_MAX;
            if (t)
                ct_buf_put(&c->arena, t, strlen(t) + 1);
        }
    }
    st->drv->reset(q);
    if (rc < 0)
        return rc;
    return c->arena.failed ? ct_error_set(CT_ENOMEM, "out of memory") : 0;
}

/* Binary search over an array sorted by an int64 id at offset 0 of each element. */
static const void *find_id(const void *base, size_t n, size_t size, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int64_t v;
        memcpy(&v, (const char *)base + mid * size, sizeof v);
        if (v == id)
            return (const char *)base + mid * size;
        if (v < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* The head of one finding (component x advisory identity): where, what, the identity's primary
 * ID, aliases, best severity, the triage; "records" follows, one per source record. */
static int finding_head(ct_buf *out, ct_stmt *q, const findings_ctx *c)
{
    int64_t ident = ct_stmt_int64(q, 10);
    const char *primary = ct_stmt_text(q, 5) ? ct_stmt_text(q, 5) : "";
    int64_t vex = ct_stmt_is_null(q, 15) ? 0 : ct_stmt_int64(q, 15);
    const ct_identity_best *best = find_id(c->best, c->nbest, sizeof *c->best, ident);
    const ident_intel *ii = find_id(c->intel, c->nintel, sizeof *c->intel, ident);

    ct_buf_puts(out, "{\"product\":");
    ct_buf_json_str(out, ct_stmt_text(q, 0));
    ct_buf_puts(out, ",\"release\":");
    ct_buf_json_str(out, ct_stmt_text(q, 1));
    ct_buf_puts(out, ",\"purl\":");
    ct_store__json_text(out, ct_stmt_text(q, 2));
    ct_buf_puts(out, ",\"component\":");
    ct_store__json_text(out, ct_stmt_text(q, 3));
    ct_buf_puts(out, ",\"version\":");
    ct_store__json_text(out, ct_stmt_text(q, 4));
    ct_buf_puts(out, ",\"advisory\":");
    ct_buf_json_str(out, primary);
    ct_buf_puts(out, ",\"aliases\":");
    ident_names_json(out, &c->names, ident, primary);
    /* the record that speaks for the identity (ct_store__identity_best), as put_intel and
     * put_record_ref would show it */
    intel_members(out, best ? best->severity : NULL, best ? best->cvss : NULL,
                  best && ii ? &ii->v : NULL);
    ct_buf_puts(out, ",\"state\":");
    ct_store__json_text(out, ct_stmt_text(q, 6));
    ct_buf_puts(out, ",\"rule\":");
    ct_store__json_text(out, ct_stmt_text(q, 7));
    ct_buf_puts(out, ",\"range\":");
    ct_store__json_text(out, ct_stmt_text(q, 8));
    ct_buf_puts(out, ",\"severity_record\":");
    if (best) {
        ct_buf_puts(out, "{\"id\":");
        ct_store__json_text(out, best->ext_id);
        ct_buf_puts(out, ",\"source\":");
        ct_store__json_text(out, best->source);
        ct_buf_putc(out, '}');
    } else {
        ct_buf_puts(out, "null");
    }
    if (!vex) {
        ct_buf_puts(out, ",\"justification\":null,\"triage\":null");
    } else {
        const vex_row *v = find_id(c->vex, c->nvex, sizeof *c->vex, vex);
        if (!v)
            return ct_error_set(CT_EDB, "VEX statement %lld is missing", (long long)vex);
        const char *fields[7];
        for (int i = 0; i < 7; i++)
            fields[i] = v->off[i] == SIZE_MAX ? NULL : c->arena.ptr + v->off[i];
        ct_store__triage_members_put(out, fields, v->created, ct_stmt_text(q, 16));
    }
    ct_buf_puts(out, ",\"records\":[");
    return out->failed ? ct_error_set(CT_ENOMEM, "out of memory") : 0;
}

int ct_store_findings_json(ct_buf *out, ct_store *st, const char *product, const char *state)
{
    ct_stmt *q;
    int64_t cur_comp = 0, cur_ident = 0;
    int rc, n = 0, nrec = 0;
    findings_ctx c;

    memset(&c, 0, sizeof c);
    c.names.arena = (ct_buf)CT_BUF_INIT;
    c.arena = (ct_buf)CT_BUF_INIT;
    if ((rc = findings_ctx_load(&c, st, product, state)) < 0 ||
        (rc = ct_store__prepare(&q, st, CT_Q_FINDINGS_LIST_IDENTITY)) < 0 ||
        (rc = ct_stmt_bind_text(q, 1, product)) < 0 || (rc = ct_stmt_bind_text(q, 2, state)) < 0) {
        findings_ctx_free(&c);
        return rc;
    }
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
            if ((rc = finding_head(out, q, &c)) < 0)
                break;
        }
        if (nrec++)
            ct_buf_putc(out, ',');
        ct_buf_puts(out, "{\"advisory\":");
        ct_store__json_text(out, ct_stmt_text(q, 12));
        ct_buf_puts(out, ",\"source\":");
        ct_store__json_text(out, ct_stmt_text(q, 13));
        ct_buf_puts(out, ",\"origin\":");
        ct_store__json_text(out, ct_stmt_text(q, 14));
        ct_buf_puts(out, ",\"range\":");
        ct_store__json_text(out, ct_stmt_text(q, 8));
        ct_buf_puts(out, ",\"rule\":");
        ct_store__json_text(out, ct_stmt_text(q, 7));
        ct_buf_putc(out, '}');
    }
    st->drv->reset(q);
    findings_ctx_free(&c);
    if (n && rc >= 0)
        ct_buf_puts(out, "]}");
    ct_buf_putc(out, ']');
    if (rc < 0)
        return rc;
    return out->failed ? ct_error_set(CT_ENOMEM, "out of memory") : 0;
}

static int product_row(ct_buf *out, ct_stmt *q, void *payload)
{
    char t[32];
    (void)payload;
    ct_buf_puts(out, "{\"name\":");
    ct_buf_json_str(out, ct_stmt_text(q, 1));
    ct_buf_puts(out, ",\"vendor\":");
    ct_store__json_text(out, ct_stmt_text(q, 2));
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
    return 0;
}

int ct_store_products_json(ct_buf *out, ct_store *st)
{
    ct_stmt *q;
    int rc;

    if ((rc = ct_store__prepare(&q, st, CT_Q_PRODUCT_LIST)) < 0 ||
        (rc = ct_store__json_rows(out, st, q, product_row, NULL)) < 0)
        return rc;
    return out->failed ? ct_error_set(CT_ENOMEM, "out of memory") : 0;
}

static int advisory_count_row(ct_buf *out, ct_stmt *q, void *payload)
{
    (void)payload;
    ct_buf_puts(out, "{\"advisory\":");
    ct_buf_json_str(out, ct_stmt_text(q, 0));
    ct_buf_printf(out, ",\"releases\":%lld}", (long long)ct_stmt_int64(q, 1));
    return 0;
}

int ct_store_summary_json(ct_buf *out, ct_store *st)
{
    static const char *const names[] = { "products",  "releases",   "components", "units",
                                         "customers", "advisories", "findings" };
    ct_stmt *q;
    int rc;

    if ((rc = ct_store__prepare(&q, st, CT_Q_SUMMARY_COUNTS)) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    ct_buf_puts(out, "{\"counts\":{");
    for (size_t i = 0; i < CT_NELEM(names); i++)
        ct_buf_printf(out, "%s\"%s\":%lld", i ? "," : "", names[i],
                      (long long)ct_stmt_int64(q, (int)i));
    st->drv->reset(q);
    ct_buf_puts(out, "},\"advisories_with_findings\":");
    if ((rc = ct_store__prepare(&q, st, CT_Q_ADVISORIES_WITH_FINDINGS)) < 0 ||
        (rc = ct_store__json_rows(out, st, q, advisory_count_row, NULL)) < 0)
        return rc;
    ct_buf_putc(out, '}');
    return out->failed ? ct_error_set(CT_ENOMEM, "out of memory") : 0;
}

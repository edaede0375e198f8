/* OSV ranges[].events (introduced / fixed / last_affected / limit) and plain version lists to
 * canonical vers strings. Events are evaluated in the scheme's order (OSV schema, "Evaluation"). */
#include "version/scheme.h"

#include <string.h>

typedef struct {
    ct_osv_event_kind kind;
    const char *v;
    size_t len;
    bool zero; /* introduced "0": before every version */
} item;

#define NONE SIZE_MAX

typedef struct {
    size_t lo;  /* item index of ">=", NONE = unbounded */
    size_t hi;  /* item index of the upper bound, NONE = unbounded */
    bool hi_le; /* "<=" instead of "<" */
} interval;

typedef struct {
    const ct_version_scheme *s;
    const item *items;
} ctx;

static int cmp_items(int *cmp_out, const void *a, const void *b, void *payload)
{
    const ctx *c = payload;
    const item *x = a, *y = b;
    if (x->zero || y->zero) {
        *cmp_out = (int)y->zero - (int)x->zero;
        return 0;
    }
    return c->s->compare(cmp_out, x->v, x->len, y->v, y->len);
}

static int cmp_idx(int *out, const ctx *c, size_t i, size_t j)
{
    return cmp_items(out, &c->items[i], &c->items[j], (void *)(uintptr_t)c);
}

/* Loads the events (or versions) into *out; *n_out may be smaller than n: a "limit" whose
 * version contains "*" stands for infinity (OSV schema, "Special values"), and a version below
 * infinity is below *some* limit ("BeforeLimits"), so then every limit event is dropped. */
static int load_items(item **out, size_t *n_out, const ct_version_scheme *s,
                      const ct_osv_event *ev, const char *const *versions, size_t n)
{
    item *it = ct_reallocarray(NULL, n ? n : 1, sizeof *it);
    size_t k = 0;
    bool no_limit = false;
    int rc;
    if (it == NULL)
        return ct_error_set(CT_ENOMEM, "out of memory");
    for (size_t i = 0; ev && i < n; i++)
        if (ev[i].kind == CT_OSV_LIMIT && ev[i].version && strchr(ev[i].version, '*'))
            no_limit = true;
    for (size_t i = 0; i < n; i++) {
        const char *v = ev ? ev[i].version : versions[i];
        if (v == NULL || (ev && (unsigned)ev[i].kind > CT_OSV_LIMIT)) {
            ct_free(it);
            return ct_error_set(CT_EINVAL, "event %zu: NULL version or bad kind", i);
        }
        if (ev && ev[i].kind == CT_OSV_LIMIT && no_limit)
            continue;
        it[k].kind = ev ? ev[i].kind : CT_OSV_INTRODUCED;
        it[k].v = v;
        it[k].len = strlen(v);
        it[k].zero = ev && ev[i].kind == CT_OSV_INTRODUCED && strcmp(v, "0") == 0;
        if (!it[k].zero && (rc = s->validate(v, it[k].len)) < 0) {
            ct_free(it);
            return ct_error_prefix("%s %zu", ev ? "event" : "version", i);
        }
        if (it[k].len == 0) { /* gem takes "" as 0, but a vers has no empty version (found by
                               * fuzz_version: "vers:gem/" did not parse back) */
            ct_free(it);
            return ct_error_set(CT_EPARSE, "%s %zu: an empty version cannot be written in a vers",
                                ev ? "event" : "version", i);
        }
        k++;
    }
    *out = it;
    *n_out = k;
    return 0;
}

/* Walk sorted events into intervals; the limit (largest "limit" event) is returned apart. */
static size_t build_intervals(interval *iv, size_t *limit, const ctx *c, size_t n, int *rc)
{
    size_t k = 0;
    bool open = false;
    *limit = NONE;
    *rc = 0;
    for (size_t i = 0; i < n; i++) {
        switch (c->items[i].kind) {
        case CT_OSV_INTRODUCED:
            if (!open) {
                iv[k].lo = c->items[i].zero ? NONE : i;
                iv[k].hi = NONE;
                iv[k].hi_le = false;
                open = true;
            }
            break;
        case CT_OSV_FIXED:
        case CT_OSV_LAST_AFFECTED:
            if (open) {
                iv[k].hi = i;
                iv[k++].hi_le = c->items[i].kind == CT_OSV_LAST_AFFECTED;
                open = false;
            }
            break;
        case CT_OSV_LIMIT:
            *limit = i; /* sorted: the last one is the largest */
            break;
        }
    }
    if (open)
        k++;
    return k;
}

/* Clip at the limit, drop empty intervals, join touching ones. */
static int tidy(interval *iv, size_t *count, const ctx *c, size_t limit)
{
    size_t k = 0;
    int cmp = 0, rc = 0;
    for (size_t i = 0; i < *count; i++) {
        interval x = iv[i];
        if (limit != NONE) {
            if (x.lo != NONE && ((rc = cmp_idx(&cmp, c, x.lo, limit)) < 0 || cmp >= 0)) {
                if (rc < 0)
                    return rc;
                continue;
            }
            if (x.hi == NONE ||
                ((rc = cmp_idx(&cmp, c, x.hi, limit)) == 0 && (cmp > 0 || (cmp == 0 && x.hi_le))))
                x.hi = limit, x.hi_le = false;
            else if (rc < 0)
                return rc;
        }
        if (x.lo != NONE && x.hi != NONE) {
            if ((rc = cmp_idx(&cmp, c, x.lo, x.hi)) < 0)
                return rc;
            if (cmp > 0 || (cmp == 0 && !x.hi_le))
                continue; /* empty */
        }
        if (k > 0 && iv[k - 1].hi != NONE && x.lo != NONE) {
            if ((rc = cmp_idx(&cmp, c, iv[k - 1].hi, x.lo)) < 0)
                return rc;
            if (cmp >= 0) {
                iv[k - 1].hi = x.hi;
                iv[k - 1].hi_le = x.hi_le;
                continue;
            }
        }
        iv[k++] = x;
    }
    *count = k;
    return 0;
}

static int put_item(ct_buf *out, const char *op, const item *it)
{
    int rc;
    if ((rc = ct_buf_puts(out, op)) < 0)
        return rc;
    return ct_version__put_vers_version(out, it->v, it->len);
}

static int emit(ct_buf *out, const char *scheme, const interval *iv, size_t k, const ctx *c)
{
    int rc, cmp = 0;
    if ((rc = ct_buf_puts(out, "vers:")) < 0 || (rc = ct_buf_puts(out, scheme)) < 0 ||
        (rc = ct_buf_putc(out, '/')) < 0)
        return rc;
    for (size_t i = 0; i < k; i++) {
        const interval *x = &iv[i];
        if (i > 0 && (rc = ct_buf_putc(out, '|')) < 0)
            return rc;
        if (x->lo == NONE && x->hi == NONE) {
            rc = ct_buf_putc(out, '*');
        } else if (x->lo != NONE && x->hi != NONE && x->hi_le &&
                   (rc = cmp_idx(&cmp, c, x->lo, x->hi)) == 0 && cmp == 0) {
            rc = put_item(out, "", &c->items[x->lo]); /* [X, X] */
        } else if (rc == 0) {
            if (x->lo != NONE && (rc = put_item(out, ">=", &c->items[x->lo])) == 0 &&
                x->hi != NONE)
                rc = ct_buf_putc(out, '|');
            if (rc == 0 && x->hi != NONE)
                rc = put_item(out, x->hi_le ? "<=" : "<", &c->items[x->hi]);
        }
        if (rc < 0)
            return rc;
    }
    return 0;
}

static void rollback(ct_buf *out, size_t mark)
{
    if (out->ptr != ct_buf__empty && out->len >= mark) {
        out->len = mark;
        out->ptr[mark] = '\0';
    }
}

int ct_vers_from_osv_events(ct_buf *out, const char *scheme, const ct_osv_event *ev, size_t n)
{
    const ct_version_scheme *s;
    item *items = NULL;
    interval *iv = NULL;
    size_t k, limit, mark;
    int rc;

    if (out == NULL || scheme == NULL || (ev == NULL && n > 0))
        return ct_error_set(CT_EINVAL, "ct_vers_from_osv_events: NULL argument");
    if ((s = ct_version_scheme_find(scheme)) == NULL)
        return ct_error_set(CT_EUNSUPPORTED, "unknown version scheme '%.64s'", scheme);
    mark = out->len;
    if ((rc = load_items(&items, &n, s, ev, NULL, n)) < 0)
        return rc;
    ctx c = { s, items };
    if ((rc = ct_version__sort(items, n, sizeof *items, cmp_items, &c)) < 0)
        goto cleanup;
    if ((iv = ct_reallocarray(NULL, n ? n : 1, sizeof *iv)) == NULL) {
        rc = ct_error_set(CT_ENOMEM, "out of memory");
        goto cleanup;
    }
    k = build_intervals(iv, &limit, &c, n, &rc);
    if ((rc = tidy(iv, &k, &c, limit)) < 0)
        goto cleanup;
    if (k == 0) {
        rc = ct_error_set(CT_ENOTFOUND, "OSV events affect no version");
        goto cleanup;
    }
    if ((rc = emit(out, scheme, iv, k, &c)) < 0)
        rollback(out, mark);
cleanup:
    ct_free(iv);
    ct_free(items);
    return rc;
}

int ct_vers_from_versions(ct_buf *out, const char *scheme, const char *const *versions,
                          size_t n)
{
    const ct_version_scheme *s;
    item *items = NULL;
    size_t mark;
    int rc;

    if (out == NULL || scheme == NULL || versions == NULL)
        return ct_error_set(CT_EINVAL, "ct_vers_from_versions: NULL argument");
    if (n == 0)
        return ct_error_set(CT_EINVAL, "ct_vers_from_versions: no versions");
    if ((s = ct_version_scheme_find(scheme)) == NULL)
        return ct_error_set(CT_EUNSUPPORTED, "unknown version scheme '%.64s'", scheme);
    mark = out->len;
    if ((rc = load_items(&items, &n, s, NULL, versions, n)) < 0)
        return rc;
    ctx c = { s, items };
    if ((rc = ct_version__sort(items, n, sizeof *items, cmp_items, &c)) < 0)
        goto cleanup;
    if ((rc = ct_buf_puts(out, "vers:")) < 0 || (rc = ct_buf_puts(out, scheme)) < 0 ||
        (rc = ct_buf_putc(out, '/')) < 0)
        goto fail;
    for (size_t i = 0; i < n; i++) {
        int cmp = 1;
        if (i > 0 && (rc = cmp_idx(&cmp, &c, i - 1, i)) < 0)
            goto fail;
        if (cmp == 0)
            continue; /* equal under the scheme: keep the first spelling */
        if ((i > 0 && (rc = ct_buf_putc(out, '|')) < 0) ||
            (rc = put_item(out, "", &items[i])) < 0)
            goto fail;
    }
    goto cleanup;
fail:
    rollback(out, mark);
cleanup:
    ct_free(items);
    return rc;
}

/* Fleet CSV imports (units, customers, unit events): header mapping, per-row located errors,
 * all-or-nothing in one transaction, idempotent re-import. */
#include "cratrace/store.h"
#include "cratrace/fleet.h"
#include "csv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A small open-addressing set of strings, for duplicate detection within one file. */
typedef struct {
    char **slots;
    size_t cap, used;
} strset;

static uint64_t fnv(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* 1 = added, 0 = already present, < 0 = error */
static int strset_add(strset *s, const char *key)
{
    if (s->used * 2 >= s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 1024;
        char **ns = ct_calloc(ncap, sizeof *ns);
        if (!ns)
            return ct_error_set(CT_ENOMEM, "out of memory");
        for (size_t i = 0; i < s->cap; i++) {
            if (!s->slots[i])
                continue;
            size_t j = fnv(s->slots[i]) & (ncap - 1);
            while (ns[j])
                j = (j + 1) & (ncap - 1);
            ns[j] = s->slots[i];
        }
        ct_free(s->slots);
        s->slots = ns;
        s->cap = ncap;
    }
    size_t i = fnv(key) & (s->cap - 1);
    while (s->slots[i]) {
        if (strcmp(s->slots[i], key) == 0)
            return 0;
        i = (i + 1) & (s->cap - 1);
    }
    if (!(s->slots[i] = ct_strdup(key)))
        return ct_error_set(CT_ENOMEM, "out of memory");
    s->used++;
    return 1;
}

static void strset_free(strset *s)
{
    for (size_t i = 0; i < s->cap; i++)
        ct_free(s->slots[i]);
    ct_free(s->slots);
}

static int row_error(const ct_csv *c, int code, const char *fmt, ...) CT_PRINTF(3, 4);

static int row_error(const ct_csv *c, int code, const char *fmt, ...)
{
    ct_loc loc = CT_LOC_INIT;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    loc.source = c->source;
    loc.line = c->line;
    loc.column = 1;
    return ct_error_set_at(&loc, code, "%s", msg);
}

typedef struct {
    ct_csv csv;
    char *data;
    int idx[16];
    const ct_import_options *opts;
    ct_buf rejects; /* rejected rows (CSV) when skipping bad rows */
    size_t width;   /* fields in the header row */
} csv_job;

/* The header name to look for: ours, or what --map says the file calls it. */
static bool mapped_name(char *out, size_t cap, const char *map, const char *ours)
{
    size_t n = strlen(ours);
    for (const char *p = map; p && *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        if (eq && (size_t)(eq - p) == n && strncmp(p, ours, n) == 0) {
            size_t m = len - n - 1;
            if (m + 1 > cap)
                return false;
            memcpy(out, eq + 1, m);
            out[m] = '\0';
            return true;
        }
        p = end ? end + 1 : p + len;
    }
    return false;
}

static void csv_quote(ct_buf *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        ct_buf_puts(b, s);
        return;
    }
    ct_buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"')
            ct_buf_putc(b, '"');
        ct_buf_putc(b, *s);
    }
    ct_buf_putc(b, '"');
}

static void put_row(ct_buf *b, const ct_csv *c)
{
    for (size_t i = 0; i < c->nfields; i++) {
        if (i)
            ct_buf_putc(b, ',');
        csv_quote(b, ct_csv_field(c, i));
    }
}

static int open_csv(csv_job *j, ct_store *st, const char *path, const char *const *cols,
                    size_t ncols, size_t nrequired, const ct_import_options *opts)
{
    const ct_ctx *ctx = ct_store_ctx(st);
    size_t len;
    int rc;

    memset(j, 0, sizeof *j);
    j->rejects = (ct_buf)CT_BUF_INIT;
    j->opts = opts;
    if ((rc = ct_file_read(&j->data, &len, path, ct_ctx_limits(ctx)->max_doc_bytes)) < 0)
        return rc;
    ct_csv_init(&j->csv, j->data, len, path, ct_ctx_limits(ctx)->max_string_bytes);
    if ((rc = ct_csv_next(&j->csv)) < 0)
        return rc;
    if (rc == 0) {
        ct_loc loc = { path, 1, 1, 0, NULL };
        return ct_error_set_at(&loc, CT_EPARSE, "empty file: expected a header row");
    }
    j->width = j->csv.nfields;
    for (size_t k = 0; k < ncols && k < CT_NELEM(j->idx); k++) {
        char name[128];
        const char *want = cols[k];
        if (opts && mapped_name(name, sizeof name, opts->map, cols[k]))
            want = name;
        ct_csv_map_header(&j->idx[k], &j->csv, &want, 1);
    }
    for (size_t k = 0; k < nrequired; k++)
        if (j->idx[k] < 0)
            return row_error(&j->csv, CT_EPARSE, "missing required column '%s' in the header",
                             cols[k]);
    if (opts && opts->skip_bad) {
        put_row(&j->rejects, &j->csv);
        ct_buf_puts(&j->rejects, ",error\n");
    }
    return 0;
}

/* A bad row: with --skip-bad it goes to the rejects and the import goes on (returns 0). */
static int bad_row(csv_job *j, int rc, ct_import_stats *stats)
{
    if (!j->opts || !j->opts->skip_bad || (rc != CT_EPARSE && rc != CT_ELIMIT))
        return rc;
    put_row(&j->rejects, &j->csv);
    ct_buf_putc(&j->rejects, ',');
    csv_quote(&j->rejects, ct_error_format());
    ct_buf_putc(&j->rejects, '\n');
    ct_error_clear();
    if (stats)
        stats->rejected++;
    return j->rejects.failed ? ct_error_set(CT_ENOMEM, "out of memory") : 0;
}

static int finish_csv(csv_job *j, ct_store *st, int rc)
{
    if (rc < 0) {
        ct_store_rollback(st);
        return rc;
    }
    if (j->opts && j->opts->skip_bad && j->opts->reject_path &&
        (rc = ct_file_write(j->opts->reject_path, j->rejects.ptr, j->rejects.len)) < 0) {
        ct_store_rollback(st);
        return rc;
    }
    return ct_store_commit(st);
}

static void close_csv(csv_job *j)
{
    ct_csv_dispose(&j->csv);
    ct_buf_dispose(&j->rejects);
    ct_free(j->data);
}

static const char *col(const csv_job *j, int k)
{
    return j->idx[k] < 0 ? "" : ct_csv_field(&j->csv, (size_t)j->idx[k]);
}

static int check_width(const csv_job *j)
{
    if (j->csv.nfields != j->width) {
        ct_loc loc = { j->csv.source, j->csv.line, 1, -1, NULL };
        return ct_error_set_at(&loc, CT_EPARSE, "row has %zu fields, the header has %zu",
                               j->csv.nfields, j->width);
    }
    return 0;
}

static int parse_opt_time(ct_time *out, const csv_job *j, const char *s, const char *what)
{
    *out = CT_TIME_NONE;
    if (!*s)
        return 0;
    if (ct_time_parse(out, s, strlen(s)) < 0)
        return row_error(&j->csv, CT_EPARSE, "invalid %s time: expected ISO 8601", what);
    return 0;
}

static const char *const unit_states[] = { "in_stock", "shipped",  "in_service",
                                           "in_rma",   "replaced", "decommissioned" };

static bool one_of(const char *s, const char *const *set, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, set[i]) == 0)
            return true;
    return false;
}

static int customer_row(csv_job *j, ct_store *st, ct_import_stats *stats)
{
    int rc;
    if ((rc = check_width(j)) < 0)
        return rc;
    if (!*col(j, 0))
        return row_error(&j->csv, CT_EPARSE, "empty %s", "code");
    if ((rc = ct_store_customer_upsert(NULL, st, col(j, 0), col(j, 1), col(j, 2), col(j, 3),
                                       col(j, 4))) < 0)
        return rc;
    if (stats) {
        stats->records++;
        stats->inserted++;
    }
    return 0;
}

int ct_import_customers_csv_ex(ct_store *st, const char *path, const ct_import_options *opts,
                               ct_import_stats *stats)
{
    static const char *const cols[] = { "code", "name", "country", "email", "channel" };
    csv_job j;
    int rc;

    if ((rc = open_csv(&j, st, path, cols, CT_NELEM(cols), 2, opts)) < 0)
        goto out;
    if ((rc = ct_store_begin(st)) < 0)
        goto out;
    while ((rc = ct_csv_next(&j.csv)) == 1)
        if ((rc = customer_row(&j, st, stats)) < 0 && (rc = bad_row(&j, rc, stats)) < 0)
            break;
    rc = finish_csv(&j, st, rc);
out:
    close_csv(&j);
    return rc;
}

int ct_import_customers_csv(ct_store *st, const char *path, ct_import_stats *stats)
{
    return ct_import_customers_csv_ex(st, path, NULL, stats);
}

/* Cache of the last product looked up: imports are usually grouped by product. */
typedef struct {
    char name[256];
    int64_t id;
} product_cache;

static int product_id(int64_t *out, ct_store *st, product_cache *pc, const csv_job *j,
                      const char *name)
{
    if (pc->id && strcmp(pc->name, name) == 0) {
        *out = pc->id;
        return 0;
    }
    if (ct_store_product_find(out, st, name) < 0)
        return row_error(&j->csv, CT_EPARSE, "unknown product '%s'", name);
    if (strlen(name) < sizeof pc->name) {
        memcpy(pc->name, name, strlen(name) + 1);
        pc->id = *out;
    }
    return 0;
}

static int release_id(int64_t *out, ct_store *st, int64_t product, const csv_job *j,
                      const char *version)
{
    *out = 0;
    if (!*version)
        return 0;
    if (ct_store_release_find(out, st, product, version) < 0)
        return row_error(&j->csv, CT_EPARSE,
                         "unit points at a missing release '%s' of its product", version);
    return 0;
}

typedef struct {
    strset seen;
    product_cache pc;
    ct_buf key;
} units_job;

/* 1 when the stored unit already says exactly this (re-import), 0 otherwise. */
static int unit_same(ct_store *st, int64_t pid, const char *serial, const char *hw, int64_t rid,
                     int64_t cid, ct_time made, const char *state)
{
    int64_t uid;
    ct_unit_rec u;
    int same;
    if (ct_store_unit_find(&uid, st, pid, serial) < 0) {
        ct_error_clear();
        return 0;
    }
    if (ct_store_unit_load(&u, st, uid) < 0)
        return ct_error_last()->code;
    same = u.release_id == rid && u.customer_id == cid && u.manufactured == made &&
           strcmp(u.state, *state ? state : "in_service") == 0 &&
           strcmp(u.hardware_revision ? u.hardware_revision : "", hw) == 0;
    ct_unit_rec_dispose(&u);
    return same;
}

static int unit_row(csv_job *j, units_job *uj, ct_store *st, ct_import_stats *stats)
{
    int64_t pid, rid, cid = 0;
    ct_time made;
    const char *state = col(j, 6);
    int rc;

    if ((rc = check_width(j)) < 0)
        return rc;
    if (!*col(j, 0))
        return row_error(&j->csv, CT_EPARSE, "empty %s", "serial");
    ct_buf_reset(&uj->key);
    ct_buf_printf(&uj->key, "%s\x1f%s", col(j, 1), col(j, 0));
    if ((rc = strset_add(&uj->seen, uj->key.ptr)) <= 0)
        return rc < 0 ? rc
                      : row_error(&j->csv, CT_EPARSE, "duplicate serial number '%s' in this file",
                                  col(j, 0));
    if (*state && !one_of(state, unit_states, CT_NELEM(unit_states)))
        return row_error(&j->csv, CT_EPARSE,
                         "invalid state '%s' (expected in_stock, shipped, in_service, in_rma, "
                         "replaced or decommissioned)",
                         state);
    if ((rc = product_id(&pid, st, &uj->pc, j, col(j, 1))) < 0 ||
        (rc = release_id(&rid, st, pid, j, col(j, 3))) < 0 ||
        (rc = parse_opt_time(&made, j, col(j, 5), "manufactured")) < 0)
        return rc;
    if (*col(j, 4) && ct_store_customer_find(&cid, st, col(j, 4)) < 0)
        return row_error(&j->csv, CT_EPARSE, "unknown customer '%s'", col(j, 4));
    if ((rc = unit_same(st, pid, col(j, 0), col(j, 2), rid, cid, made, state)) < 0)
        return rc;
    if (rc == 1) {
        if (stats) {
            stats->records++;
            stats->unchanged++;
        }
        return 0;
    }
    if ((rc = ct_store_unit_upsert(NULL, st, pid, col(j, 0), col(j, 2), rid, cid, made,
                                   *state ? state : NULL)) < 0)
        return rc;
    if (stats) {
        stats->records++;
        stats->inserted++;
    }
    return 0;
}

int ct_import_units_csv_ex(ct_store *st, const char *path, const ct_import_options *opts,
                           ct_import_stats *stats)
{
    static const char *const cols[] = { "serial",  "product",  "hardware_revision",
                                        "release", "customer", "manufactured",
                                        "state" };
    csv_job j;
    units_job uj = { { NULL, 0, 0 }, { "", 0 }, CT_BUF_INIT };
    int rc;

    if ((rc = open_csv(&j, st, path, cols, CT_NELEM(cols), 2, opts)) < 0)
        goto out;
    ct_store_bulk_mode(st, true);
    if ((rc = ct_store_begin(st)) < 0)
        goto out;
    while ((rc = ct_csv_next(&j.csv)) == 1)
        if ((rc = unit_row(&j, &uj, st, stats)) < 0 && (rc = bad_row(&j, rc, stats)) < 0)
            break;
    rc = finish_csv(&j, st, rc);
out:
    ct_store_bulk_mode(st, false);
    ct_buf_dispose(&uj.key);
    strset_free(&uj.seen);
    close_csv(&j);
    return rc;
}

int ct_import_units_csv(ct_store *st, const char *path, ct_import_stats *stats)
{
    return ct_import_units_csv_ex(st, path, NULL, stats);
}

static const char *const event_kinds[] = { "ship",     "update",  "param_change",
                                           "rma_open", "rma_close", "swap",
                                           "replace",  "transfer", "decommission" };

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* "name@version" → a parameter set of the product (created on first use). */
static int param_set_id(int64_t *out, ct_store *st, int64_t product, const csv_job *j,
                        const char *spec, const char *hash)
{
    const char *at = strrchr(spec, '@');
    char name[256];
    *out = 0;
    if (!*spec)
        return 0;
    if (!at || at == spec || !at[1] || (size_t)(at - spec) >= sizeof name)
        return row_error(&j->csv, CT_EPARSE, "param_set '%s': expected NAME@VERSION", spec);
    memcpy(name, spec, (size_t)(at - spec));
    name[at - spec] = '\0';
    return ct_store_param_set_upsert(out, st, product, name, at + 1, hash);
}

typedef struct {
    product_cache pc;
    int64_t *touched;
    size_t ntouched, cap;
} events_job;

static int event_row(csv_job *j, events_job *ej, ct_store *st, ct_import_stats *stats)
{
    ct_unit_event_rec ev;
    bool added;
    int rc;

    memset(&ev, 0, sizeof ev);
    if ((rc = check_width(j)) < 0)
        return rc;
    if (!one_of(col(j, 3), event_kinds, CT_NELEM(event_kinds)))
        return row_error(&j->csv, CT_EPARSE, "unknown event kind '%s'", col(j, 3));
    if ((rc = product_id(&ev.product_id, st, &ej->pc, j, col(j, 1))) < 0)
        return rc;
    if (ct_store_unit_find(&ev.unit_id, st, ev.product_id, col(j, 0)) < 0)
        return row_error(&j->csv, CT_EPARSE, "event for unknown unit '%s'", col(j, 0));
    if ((rc = parse_opt_time(&ev.time, j, col(j, 2), "event")) < 0)
        return rc;
    if (ev.time == CT_TIME_NONE)
        return row_error(&j->csv, CT_EPARSE, "event has no %s", "time");
    if (*col(j, 7) && ct_store_customer_find(&ev.customer_id, st, col(j, 7)) < 0)
        return row_error(&j->csv, CT_EPARSE, "unknown customer '%s'", col(j, 7));
    ev.kind = col(j, 3);
    ev.detail = col(j, 6);
    ev.actor = col(j, 8);
    ev.result = col(j, 9);
    ev.rma = col(j, 10);
    ev.other_serial = col(j, 11);
    ev.hardware_revision = col(j, 12);
    if ((rc = release_id(&ev.from_release, st, ev.product_id, j, col(j, 4))) < 0 ||
        (rc = release_id(&ev.to_release, st, ev.product_id, j, col(j, 5))) < 0 ||
        (rc = param_set_id(&ev.param_set_id, st, ev.product_id, j, col(j, 13), col(j, 14))) <
            0 ||
        (rc = ct_store_unit_event_add_ex(&added, st, &ev)) < 0)
        return rc;
    if (added) {
        if (ej->ntouched == ej->cap) {
            size_t ncap = ej->cap ? ej->cap * 2 : 1024;
            int64_t *nt = ct_reallocarray(ej->touched, ncap, sizeof *nt);
            if (!nt)
                return ct_error_set(CT_ENOMEM, "out of memory");
            ej->touched = nt;
            ej->cap = ncap;
        }
        ej->touched[ej->ntouched++] = ev.unit_id;
    }
    if (stats) {
        stats->records++;
        if (added)
            stats->inserted++;
        else
            stats->unchanged++;
    }
    return 0;
}

int ct_import_events_csv_ex(ct_store *st, const char *path, const ct_import_options *opts,
                            ct_import_stats *stats)
{
    static const char *const cols[] = {
        "serial", "product", "time", "kind", "from_release", "to_release", "detail",
        "customer", "actor", "result", "rma", "other_serial", "hardware_revision",
        "param_set", "param_hash",
    };
    csv_job j;
    events_job ej = { { "", 0 }, NULL, 0, 0 };
    int rc;

    if ((rc = open_csv(&j, st, path, cols, CT_NELEM(cols), 4, opts)) < 0)
        goto out;
    ct_store_bulk_mode(st, true);
    if ((rc = ct_store_begin(st)) < 0)
        goto out;
    while ((rc = ct_csv_next(&j.csv)) == 1)
        if ((rc = event_row(&j, &ej, st, stats)) < 0 && (rc = bad_row(&j, rc, stats)) < 0)
            break;
    /* each unit whose events changed gets its history rebuilt once */
    if (rc == 0 && ej.ntouched) {
        qsort(ej.touched, ej.ntouched, sizeof *ej.touched, cmp_i64);
        for (size_t i = 0; i < ej.ntouched && rc == 0; i++)
            if (i == 0 || ej.touched[i] != ej.touched[i - 1])
                rc = ct_fleet_rebuild_unit(st, ej.touched[i]);
    }
    rc = finish_csv(&j, st, rc);
out:
    ct_store_bulk_mode(st, false);
    ct_free(ej.touched);
    close_csv(&j);
    return rc;
}

int ct_import_events_csv(ct_store *st, const char *path, ct_import_stats *stats)
{
    return ct_import_events_csv_ex(st, path, NULL, stats);
}

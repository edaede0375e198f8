/* Unit history in the store: events with all their fields, derived spans (what a unit was,
 * ran and belonged to when), and the point-in-time view of one unit. */
#include "store_int.h"
#include "fleet/fleet_bulk.h"

#include <stdio.h>
#include <string.h>

static const char *nz(const char *s)
{
    return s && *s ? s : NULL;
}

static char *dup_col(ct_stmt *q, int col)
{
    const char *t = ct_stmt_text(q, col);
    return t ? ct_strdup(t) : NULL;
}

static int64_t opt_id(ct_stmt *q, int col)
{
    return ct_stmt_is_null(q, col) ? 0 : ct_stmt_int64(q, col);
}

static bool is_sqlite(const ct_store *st)
{
    return strcmp(st->drv->name, "sqlite") == 0;
}

/* unit_span.alive_class (SQLite, migration 0030; the rule of its CHECK and of the 0015 index
 * expression): -1 (NULL) for a span out of the field, 0 open, 1-9 closed and at most
 * 3600 * 4^(class - 1) seconds long, 10 longer */
static int64_t span_alive_class(const ct_unit_span *s)
{
    int64_t w = 3600;
    if (strcmp(s->state, "decommissioned") == 0 || strcmp(s->state, "replaced") == 0)
        return -1;
    if (s->to == CT_TIME_NONE)
        return 0;
    for (int64_t c = 1; c <= 9; c++, w *= 4)
        if (s->to - s->from <= w)
            return c;
    return 10;
}

static int bind_span_at(ct_stmt *q, int b, const ct_unit_rec *unit, const ct_unit_span *s);
static int sqlite_event_add(bool *added_out, ct_store *st, const ct_unit_event_rec *ev);

/* PostgreSQL has no foreign keys on unit_event (migration 0017): one query finds a missing
 * unit (id and product), release, customer or parameter set before an event is written. */
static int event_refs_check(ct_store *st, const ct_unit_event_rec *ev)
{
    ct_stmt *q;
    char what[16] = "";
    int rc;
    if ((rc = ct_store__prepare(&q, st, CT_Q_UNIT_EVENT_REF_MISSING)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, ev->unit_id)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 2, ev->product_id)) < 0 ||
        (rc = ct_stmt_bind_opt_int64(q, 3, ev->from_release, 0)) < 0 ||
        (rc = ct_stmt_bind_opt_int64(q, 4, ev->to_release, 0)) < 0 ||
        (rc = ct_stmt_bind_opt_int64(q, 5, ev->customer_id, 0)) < 0 ||
        (rc = ct_stmt_bind_opt_int64(q, 6, ev->param_set_id, 0)) < 0 ||
        (rc = ct_stmt_step(q)) < 0)
        return rc;
    if (rc == 1 && ct_stmt_text(q, 0)) {
        const char *t = ct_stmt_text(q, 0);
        size_t n = strlen(t) < sizeof what - 1 ? strlen(t) : sizeof what - 1;
        memcpy(what, t, n);
        what[n] = '\0';
    }
    st->drv->reset(q);
    if (*what)
        return ct_error_set(CT_ENOTFOUND, "event of unit %lld refers to a missing %s",
                            (long long)ev->unit_id, what);
    return 0;
}

/* id: UNIT_EVENT_INSERT_EX / _BULK (ON CONFLICT DO NOTHING) or _NEW (plain) */
static int event_insert(ct_stmt **q_out, ct_store *st, ct_query_id id, const ct_unit_event_rec *ev)
{
    ct_stmt *q;
    int rc;
    *q_out = NULL;
    if (ct_store__has_copy(st) && (rc = event_refs_check(st, ev)) < 0)
        return rc;
    if ((rc = ct_store__prepare(&q, st, id)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, ev->unit_id)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 2, ev->product_id)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 3, ev->time)) < 0 ||
        (rc = ct_stmt_bind_text(q, 4, ev->kind)) < 0 ||
        (rc = ct_stmt_bind_opt_int64(q, 5, ev->from_release, 0)) < 0 ||
        (rc = ct_stmt_bind_opt_int64(q, 6, ev->to_release, 0)) < 0 ||
        (rc = ct_stmt_bind_text(q, 7, nz(ev->detail))) < 0 ||
        (rc = ct_stmt_bind_opt_int64(q, 8, ev->customer_id, 0)) < 0 ||
        (rc = ct_stmt_bind_text(q, 9, nz(ev->actor))) < 0 ||
        (rc = ct_stmt_bind_text(q, 10, nz(ev->result))) < 0 ||
        (rc = ct_stmt_bind_text(q, 11, nz(ev->rma))) < 0 ||
        (rc = ct_stmt_bind_text(q, 12, nz(ev->other_serial))) < 0 ||
        (rc = ct_stmt_bind_text(q, 13, nz(ev->hardware_revision))) < 0 ||
        (rc = ct_stmt_bind_opt_int64(q, 14, ev->param_set_id, 0)) < 0)
        return rc;
    *q_out = q;
    return ct_stmt_step(q);
}

int ct_store_unit_event_add_ex(bool *added_out, ct_store *st, const ct_unit_event_rec *ev)
{
    ct_stmt *q;
    int rc;

    *added_out = false;
    if (is_sqlite(st))
        return sqlite_event_add(added_out, st, ev);
    /* (unit, time, kind) is unique: a re-imported event inserts nothing and returns no row
     * (or, where the driver counts changes, changes nothing: no RETURNING, which costs SQLite
     * a temporary b-tree per execution) */
    bool counted = st->drv->changes != NULL;
    if ((rc = event_insert(&q, st,
                           counted ? CT_Q_UNIT_EVENT_INSERT_BULK : CT_Q_UNIT_EVENT_INSERT_EX, ev)) <
        0) {
        if (q)
            st->drv->reset(q);
        return rc;
    }
    *added_out = counted ? st->drv->changes(q) > 0 : rc == 1;
    st->drv->reset(q);
    return 0;
}

int ct_store__event_insert_new(ct_store *st, const ct_unit_event_rec *ev)
{
    ct_stmt *q;
    if (is_sqlite(st))
        return ct_store__events_insert_new(st, &ev, 1);
    int rc = event_insert(&q, st, CT_Q_UNIT_EVENT_INSERT_NEW, ev);
    if (q)
        st->drv->reset(q);
    return rc < 0 ? rc : 0;
}

int ct_store_param_set_upsert(int64_t *id_out, ct_store *st, int64_t product_id, const char *name,
                              const char *version, const char *content_hash)
{
    ct_stmt *q;
    int rc;
    if ((rc = ct_store__prepare(&q, st, CT_Q_PARAM_SET_UPSERT)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, product_id)) < 0 ||
        (rc = ct_stmt_bind_text(q, 2, name)) < 0 || (rc = ct_stmt_bind_text(q, 3, version)) < 0 ||
        (rc = ct_stmt_bind_text(q, 4, nz(content_hash))) < 0 ||
        (rc = ct_stmt_bind_int64(q, 5, ct_ctx_now(st->ctx))) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    *id_out = ct_stmt_int64(q, 0);
    st->drv->reset(q);
    return 0;
}

void ct_unit_rec_dispose(ct_unit_rec *u)
{
    if (!u)
        return;
    ct_free(u->serial);
    ct_free(u->hardware_revision);
    ct_free(u->state);
    ct_free(u->site);
    memset(u, 0, sizeof *u);
}

/* One unit and one unit's events are the range loaders below with lo = hi: one row decoder. */
int ct_store_unit_load(ct_unit_rec *out, ct_store *st, int64_t unit_id)
{
    ct_unit_rec *u = NULL;
    size_t n = 0;
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = ct_store__units_load_range(&u, &n, st, unit_id, unit_id)) < 0)
        return rc;
    if (n == 0) {
        ct_store__units_free(u, n);
        return ct_error_set(CT_ENOTFOUND, "no unit with id %lld", (long long)unit_id);
    }
    *out = u[0]; /* the strings move to the caller */
    ct_free(u);
    return 0;
}

void ct_unit_events_free(ct_unit_event_rec *ev, size_t n)
{
    for (size_t i = 0; ev && i < n; i++) {
        ct_free((char *)(uintptr_t)ev[i].kind);
        ct_free((char *)(uintptr_t)ev[i].detail);
        ct_free((char *)(uintptr_t)ev[i].actor);
        ct_free((char *)(uintptr_t)ev[i].result);
        ct_free((char *)(uintptr_t)ev[i].rma);
        ct_free((char *)(uintptr_t)ev[i].other_serial);
        ct_free((char *)(uintptr_t)ev[i].hardware_revision);
    }
    ct_free(ev);
}

int ct_store_unit_events_load(ct_unit_event_rec **out, size_t *n_out, ct_store *st,
                              int64_t unit_id)
{
    return ct_store__events_load_range(out, n_out, st, unit_id, unit_id);
}

int ct_store_unit_history_replace(ct_store *st, const ct_unit_rec *unit, const ct_unit_span *spans,
                                  size_t n)
{
    ct_stmt *q;
    int rc;

    if ((rc = ct_store__prepare(&q, st, CT_Q_SPANS_DELETE)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, unit->id)) < 0 || (rc = ct_store__exec_stmt(q)) < 0)
        return rc;
    for (size_t i = 0; i < n; i++) {
        const ct_unit_span *s = &spans[i];
        if (is_sqlite(st)) { /* alive_class (migration 0030) */
            if ((rc = ct_store__prepare(&q, st, CT_Q_SQLITE_SPAN_INSERT)) < 0 ||
                (rc = bind_span_at(q, 0, unit, s)) < 0 || (rc = ct_store__exec_stmt(q)) < 0)
                return rc;
            continue;
        }
        if ((rc = ct_store__prepare(&q, st, CT_Q_SPAN_INSERT)) < 0 ||
            (rc = ct_stmt_bind_int64(q, 1, unit->id)) < 0 ||
            (rc = ct_stmt_bind_int64(q, 2, unit->product_id)) < 0 ||
            (rc = ct_stmt_bind_int64(q, 3, s->from)) < 0 ||
            (rc = ct_stmt_bind_opt_int64(q, 4, s->to, CT_TIME_NONE)) < 0 ||
            (rc = ct_stmt_bind_opt_int64(q, 5, s->release_id, 0)) < 0 ||
            (rc = ct_stmt_bind_opt_int64(q, 6, s->customer_id, 0)) < 0 ||
            (rc = ct_stmt_bind_text(q, 7, s->state)) < 0 ||
            (rc = ct_stmt_bind_text(q, 8, nz(s->hardware_revision))) < 0 ||
            (rc = ct_stmt_bind_opt_int64(q, 9, s->param_set_id, 0)) < 0 ||
            (rc = ct_store__exec_stmt(q)) < 0)
            return rc;
    }
    return 0;
}

static int find_unit(int64_t *id_out, ct_store *st, const char *serial, const char *product)
{
    ct_stmt *q;
    int rc, n = 0;

    if ((rc = ct_store__prepare(&q, st, CT_Q_UNITS_BY_SERIAL)) < 0 ||
        (rc = ct_stmt_bind_text(q, 1, serial)) < 0 || (rc = ct_stmt_bind_text(q, 2, product)) < 0)
        return rc;
    while ((rc = ct_stmt_step(q)) == 1) {
        if (n++ == 0)
            *id_out = ct_stmt_int64(q, 0);
    }
    st->drv->reset(q);
    if (rc < 0)
        return rc;
    if (n == 0)
        return ct_error_set(CT_ENOTFOUND, "no unit with serial '%s'%s%s", serial,
                            product ? " in product " : "", product ? product : "");
    if (n > 1)
        return ct_error_set(CT_EINVAL, "serial '%s' exists in %d products: name one with --product",
                            serial, n);
    return 0;
}

/* {"name", "version", "content_hash"} from columns col..col+2, or null. */
static void put_param_set(ct_buf *out, ct_stmt *q, int col)
{
    if (ct_stmt_is_null(q, col)) {
        ct_buf_puts(out, "null");
        return;
    }
    ct_buf_puts(out, "{\"name\":");
    ct_store__json_text(out, ct_stmt_text(q, col));
    ct_buf_puts(out, ",\"version\":");
    ct_store__json_text(out, ct_stmt_text(q, col + 1));
    ct_buf_puts(out, ",\"content_hash\":");
    ct_store__json_text(out, ct_stmt_text(q, col + 2));
    ct_buf_putc(out, '}');
}

int ct_store_unit_show_json(ct_buf *out, ct_store *st, const char *serial, const char *product,
                            ct_time at)
{
    ct_buf prev_ps = CT_BUF_INIT; /* NAME@VERSION in effect before the event being written */
    ct_stmt *q;
    int64_t uid = 0;
    /* no time: the open span, i.e. the unit as its events leave it */
    ct_time when = at == CT_TIME_NONE ? INT64_MAX - 1 : at;
    int rc, n = 0;

    if ((rc = find_unit(&uid, st, serial, product)) < 0)
        return rc;
    if ((rc = ct_store__prepare(&q, st, CT_Q_UNIT_SHOW)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, uid)) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    ct_buf_puts(out, "{\"serial\":");
    ct_store__json_text(out, ct_stmt_text(q, 0));
    ct_buf_puts(out, ",\"product\":");
    ct_store__json_text(out, ct_stmt_text(q, 1));
    ct_buf_puts(out, ",\"manufactured\":");
    ct_store__json_time(out, ct_stmt_is_null(q, 7) ? CT_TIME_NONE : ct_stmt_int64(q, 7));
    ct_buf_puts(out, ",\"site\":");
    ct_store__json_text(out, ct_stmt_text(q, 8));
    /* the parameter set before the first event: the registered one (if any) */
    if (!ct_stmt_is_null(q, 9))
        ct_buf_printf(&prev_ps, "%s@%s", ct_stmt_text(q, 9), ct_stmt_text(q, 10));
    st->drv->reset(q);
    ct_buf_puts(out, ",\"at\":");
    ct_store__json_time(out, at);

    if ((rc = ct_store__prepare(&q, st, CT_Q_SPAN_AT)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, uid)) < 0 || (rc = ct_stmt_bind_int64(q, 2, when)) < 0 ||
        (rc = ct_stmt_step(q)) < 0)
        goto cleanup;
    if (rc == 0) {
        char t[32];
        ct_time_format(t, when);
        rc = ct_error_set(CT_ENOTFOUND, "unit '%s' did not exist yet at %s", serial, t);
        goto cleanup;
    }
    ct_buf_puts(out, ",\"hardware_revision\":");
    ct_store__json_text(out, ct_stmt_text(q, 0));
    ct_buf_puts(out, ",\"release\":");
    ct_store__json_text(out, ct_stmt_text(q, 1));
    ct_buf_puts(out, ",\"customer\":");
    ct_store__json_text(out, ct_stmt_text(q, 2));
    ct_buf_puts(out, ",\"customer_name\":");
    ct_store__json_text(out, ct_stmt_text(q, 3));
    ct_buf_puts(out, ",\"state\":");
    ct_store__json_text(out, ct_stmt_text(q, 4));
    ct_buf_puts(out, ",\"since\":");
    ct_store__json_time(out, ct_stmt_int64(q, 5));
    ct_buf_puts(out, ",\"param_set\":");
    put_param_set(out, q, 6);
    st->drv->reset(q);

    static const char *const ev_keys[] = { NULL,    "kind",  "from_release", "to_release",
                                           "detail", "customer", "actor",     "result",
                                           "rma",    "other_serial", "hardware_revision" };
    ct_buf_puts(out, ",\"events\":[");
    if ((rc = ct_store__prepare(&q, st, CT_Q_EVENTS_SHOW)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, uid)) < 0 || (rc = ct_stmt_bind_int64(q, 2, when)) < 0)
        goto cleanup;
    while ((rc = ct_stmt_step(q)) == 1) {
        ct_buf_puts(out, n++ ? ",{\"time\":" : "{\"time\":");
        ct_store__json_time(out, ct_stmt_int64(q, 0));
        for (int c = 1; c < (int)CT_NELEM(ev_keys); c++) {
            const char *v = ct_stmt_text(q, c);
            if (!v)
                continue;
            ct_buf_printf(out, ",\"%s\":", ev_keys[c]);
            ct_buf_json_str(out, v);
        }
        /* a parameter change names the set it replaced (as the history replays it) and the
         * new one; a change without a set changes nothing */
        if (strcmp(ct_stmt_text(q, 1), "param_change") == 0 && !ct_stmt_is_null(q, 11)) {
            ct_buf_puts(out, ",\"param_set_from\":");
            ct_store__json_text(out, prev_ps.len ? prev_ps.ptr : NULL);
            ct_buf_reset(&prev_ps);
            ct_buf_printf(&prev_ps, "%s@%s", ct_stmt_text(q, 11), ct_stmt_text(q, 12));
            ct_buf_puts(out, ",\"param_set_to\":");
            ct_store__json_text(out, prev_ps.ptr);
            ct_buf_puts(out, ",\"param_hash\":");
            ct_store__json_text(out, ct_stmt_text(q, 13));
        }
        ct_buf_putc(out, '}');
    }
    st->drv->reset(q);
    if (rc < 0)
        goto cleanup;
    ct_buf_puts(out, "]}");
    rc = out->failed || prev_ps.failed ? ct_error_set(CT_ENOMEM, "out of memory") : 0;
cleanup:
    ct_buf_dispose(&prev_ps);
    return rc;
}

/* ---- bulk paths (fleet_bulk.h) --------------------------------------------------------- */

bool ct_store__has_copy(const ct_store *st)
{
    return st->drv->copy_begin && st->drv->copy_data && st->drv->copy_end;
}

void ct_copy_text(ct_buf *b, const char *s)
{
    if (!s) {
        ct_buf_put(b, "\\N\t", 3);
        return;
    }
    for (const char *p = s;; p++) {
        const char *run = p;
        while (*p && *p != '\\' && *p != '\t' && *p != '\n' && *p != '\r')
            p++;
        ct_buf_put(b, run, (size_t)(p - run));
        if (!*p)
            break;
        ct_buf_putc(b, '\\');
        ct_buf_putc(b, *p == '\\' ? '\\' : *p == '\t' ? 't' : *p == '\n' ? 'n' : 'r');
    }
    ct_buf_putc(b, '\t');
}

void ct_copy_int(ct_buf *b, int64_t v)
{
    char tmp[24];
    size_t n = 0;
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    char out[24];
    size_t k = 0;
    do {
        tmp[n++] = (char)('0' + (int)(mag % 10));
        mag /= 10;
    } while (mag);
    if (v < 0)
        out[k++] = '-';
    while (n)
        out[k++] = tmp[--n];
    out[k++] = '\t';
    ct_buf_put(b, out, k);
}

void ct_copy_opt_int(ct_buf *b, int64_t v, int64_t none)
{
    if (v == none)
        ct_buf_put(b, "\\N\t", 3);
    else
        ct_copy_int(b, v);
}

void ct_copy_end_row(ct_buf *b)
{
    if (b->len && b->ptr[b->len - 1] == '\t')
        b->ptr[b->len - 1] = '\n';
}

static int copy_rows(ct_store *st, const char *sql, ct_buf *rows)
{
    int rc;
    if (rows->failed)
        return ct_error_set(CT_ENOMEM, "out of memory");
    if (!rows->len)
        return 0;
    if ((rc = st->drv->copy_begin(st->conn, sql)) < 0)
        return rc;
    rc = st->drv->copy_data(st->conn, rows->ptr, rows->len);
    int rc2 = st->drv->copy_end(st->conn);
    ct_buf_reset(rows);
    return rc < 0 ? rc : rc2;
}

/* A one-off statement (temporary tables change between imports: no cached plan). */
static int run_once(ct_store *st, const char *sql, int64_t *first_out)
{
    ct_stmt *q;
    int rc;
    if ((rc = st->drv->prepare(&q, st->conn, sql)) < 0)
        return rc;
    rc = st->drv->step(q);
    if (rc == 1 && first_out)
        *first_out = st->drv->column_int64(q, 0);
    st->drv->finalize(q);
    return rc < 0 ? rc : 0;
}

int ct_store__unit_find_full(ct_unit_rec *out, ct_store *st, int64_t product_id,
                             const char *serial)
{
    ct_stmt *q;
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = ct_store__prepare(&q, st, CT_Q_UNIT_FIND_FULL)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, product_id)) < 0 ||
        (rc = ct_stmt_bind_text(q, 2, serial)) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    if (rc == 0)
        return 0;
    out->id = ct_stmt_int64(q, 0);
    out->product_id = product_id;
    out->release_id = opt_id(q, 1);
    out->customer_id = opt_id(q, 2);
    out->manufactured = ct_stmt_is_null(q, 3) ? CT_TIME_NONE : ct_stmt_int64(q, 3);
    out->state = dup_col(q, 4);
    out->hardware_revision = dup_col(q, 5);
    st->drv->reset(q);
    if (!out->state) {
        ct_unit_rec_dispose(out);
        return ct_error_set(CT_ENOMEM, "out of memory");
    }
    return 1;
}

int ct_store__unit_insert_bulk(ct_store *st, int64_t product_id, const char *serial,
                               const char *hardware_revision, int64_t release_id,
                               int64_t customer_id, ct_time manufactured, const char *state)
{
    ct_stmt *q;
    int rc;
    if ((rc = ct_store__prepare(&q, st, CT_Q_UNIT_INSERT_BULK)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, product_id)) < 0 ||
        (rc = ct_stmt_bind_text(q, 2, serial)) < 0 ||
        (rc = ct_stmt_bind_text(q, 3, nz(hardware_revision))) < 0 ||
        (rc = ct_stmt_bind_opt_int64(q, 4, release_id, 0)) < 0 ||
        (rc = ct_stmt_bind_opt_int64(q, 5, customer_id, 0)) < 0 ||
        (rc = ct_stmt_bind_opt_int64(q, 6, manufactured, CT_TIME_NONE)) < 0 ||
        (rc = ct_stmt_bind_text(q, 7, nz(state) ? state : "in_service")) < 0 ||
        (rc = ct_store__exec_stmt(q)) < 0)
        return rc;
    return 0;
}

int ct_store__unit_max_id(int64_t *out, ct_store *st)
{
    ct_stmt *q;
    int rc;
    *out = 0;
    if ((rc = ct_store__prepare(&q, st, CT_Q_UNIT_MAX_ID)) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    if (rc == 1)
        *out = ct_stmt_int64(q, 0);
    st->drv->reset(q);
    return 0;
}

int ct_store__spans_of_new_units(ct_store *st, int64_t after_id)
{
    ct_stmt *q;
    int rc;
    if ((rc = ct_store__prepare(&q, st, CT_Q_SPANS_OF_NEW_UNITS)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, after_id)) < 0 || (rc = ct_store__exec_stmt(q)) < 0)
        return rc;
    return 0;
}

int ct_store__spans_delete_all(ct_store *st)
{
    ct_stmt *q;
    int rc;
    if ((rc = ct_store__prepare(&q, st, CT_Q_SPANS_DELETE_ALL)) < 0 ||
        (rc = ct_store__exec_stmt(q)) < 0)
        return rc;
    return 0;
}

int ct_store__spans_of_units_without(ct_store *st)
{
    ct_stmt *q;
    int rc;
    if ((rc = ct_store__prepare(&q, st, CT_Q_SPANS_OF_UNITS_WITHOUT)) < 0 ||
        (rc = ct_store__exec_stmt(q)) < 0)
        return rc;
    return 0;
}

int ct_store__units_of_product(ct_store *st, int64_t product_id,
                               int (*fn)(void *arg, const char *serial, int64_t id), void *arg)
{
    ct_stmt *q;
    int rc;
    if ((rc = ct_store__prepare(&q, st, CT_Q_UNITS_OF_PRODUCT)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, product_id)) < 0)
        return rc;
    while ((rc = ct_stmt_step(q)) == 1)
        if ((rc = fn(arg, ct_stmt_text(q, 0), ct_stmt_int64(q, 1))) < 0)
            break;
    st->drv->reset(q);
    return rc < 0 ? rc : 0;
}

/* ---- staged unit import (COPY) --------------------------------------------------------- */

#define UNIT_SAME_SQL                                                                             \
    "u.product_id = s.product_id AND u.serial = s.serial "                                        \
    "AND u.release_id IS NOT DISTINCT FROM s.release_id "                                         \
    "AND u.customer_id IS NOT DISTINCT FROM s.customer_id "                                       \
    "AND u.manufactured IS NOT DISTINCT FROM s.manufactured AND u.state = s.state "               \
    "AND COALESCE(u.hardware_revision, '') = COALESCE(s.hardware_revision, '')"
#define NO_EVENTS_SQL                                                                             \
    "NOT EXISTS (SELECT 1 FROM unit_event e WHERE e.unit_id = u.id "                              \
    "AND e.product_id = u.product_id)"

int ct_store__units_stage_open(ct_store *st)
{
    return st->drv->exec(st->conn,
                         "CREATE TEMP TABLE IF NOT EXISTS ct_stage_unit (line BIGINT NOT NULL, "
                         "product_id BIGINT NOT NULL, serial TEXT NOT NULL, "
                         "hardware_revision TEXT, release_id BIGINT, customer_id BIGINT, "
                         "manufactured BIGINT, state TEXT NOT NULL); TRUNCATE ct_stage_unit");
}

int ct_store__units_stage_flush(ct_store *st, ct_buf *rows)
{
    return copy_rows(st,
                     "COPY ct_stage_unit (line, product_id, serial, hardware_revision, "
                     "release_id, customer_id, manufactured, state) FROM STDIN",
                     rows);
}

int ct_store__units_stage_apply(ct_store *st, uint64_t *unchanged_out)
{
    int64_t unchanged = 0, bad = 0;
    int rc;

    *unchanged_out = 0;
    /* unit has no foreign keys (migration 0022): the staged rows' references are checked here,
     * as sets, before any of them is written */
    if ((rc = st->drv->exec(st->conn, "ANALYZE ct_stage_unit")) < 0 ||
        (rc = run_once(st,
                       "SELECT min(s.line) FROM ct_stage_unit s WHERE NOT EXISTS (SELECT 1 "
                       "FROM product p WHERE p.id = s.product_id) OR (s.release_id IS NOT NULL "
                       "AND NOT EXISTS (SELECT 1 FROM release r WHERE r.id = s.release_id)) OR "
                       "(s.customer_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM customer c "
                       "WHERE c.id = s.customer_id))",
                       &bad)) < 0)
        return rc;
    if (bad > 0)
        return ct_error_set(CT_ENOTFOUND,
                            "the unit row at line %lld refers to a missing product, release or "
                            "customer",
                            (long long)bad);
    if ((rc = run_once(st,
                       "WITH gone AS (DELETE FROM ct_stage_unit s USING unit u WHERE "
                       UNIT_SAME_SQL " RETURNING 1) SELECT count(*) FROM gone",
                       &unchanged)) < 0 ||
        (rc = st->drv->exec(
             st->conn,
             "INSERT INTO unit (product_id, serial, hardware_revision, release_id, customer_id, "
             "manufactured, state) SELECT product_id, serial, NULLIF(hardware_revision, ''), "
             "release_id, customer_id, manufactured, state FROM ct_stage_unit ORDER BY line "
             "ON CONFLICT (product_id, serial) DO UPDATE SET "
             "hardware_revision = excluded.hardware_revision, "
             "release_id = excluded.release_id, customer_id = excluded.customer_id, "
             "manufactured = excluded.manufactured, state = excluded.state")) < 0 ||
        (rc = st->drv->exec(
             st->conn,
             "DELETE FROM unit_span sp USING ct_stage_unit s JOIN unit u "
             "ON u.product_id = s.product_id AND u.serial = s.serial "
             "WHERE sp.unit_id = u.id AND sp.product_id = u.product_id AND " NO_EVENTS_SQL)) < 0 ||
        (rc = st->drv->exec(
             st->conn,
             "INSERT INTO unit_span (unit_id, product_id, valid_from, valid_to, release_id, "
             "customer_id, state, hardware_revision, param_set_id) SELECT u.id, u.product_id, "
             "COALESCE(u.manufactured, 0), NULL, u.release_id, u.customer_id, u.state, "
             "u.hardware_revision, u.param_set_id FROM ct_stage_unit s JOIN unit u "
             "ON u.product_id = s.product_id AND u.serial = s.serial WHERE " NO_EVENTS_SQL)) < 0 ||
        (rc = st->drv->exec(st->conn, "TRUNCATE ct_stage_unit")) < 0)
        return rc;
    *unchanged_out = (uint64_t)unchanged;
    return 0;
}

/* ---- staged event import (COPY) -------------------------------------------------------- */

int ct_store__events_stage_open(ct_store *st)
{
    return st->drv->exec(
        st->conn, "CREATE TEMP TABLE IF NOT EXISTS ct_stage_event (line BIGINT NOT NULL, "
                  "unit_id BIGINT NOT NULL, product_id BIGINT NOT NULL, time BIGINT NOT NULL, "
                  "kind TEXT NOT NULL, from_release BIGINT, to_release BIGINT, detail TEXT, "
                  "customer_id BIGINT, actor TEXT, result TEXT, rma TEXT, other_serial TEXT, "
                  "hardware_revision TEXT, param_set_id BIGINT); TRUNCATE ct_stage_event");
}

int ct_store__events_stage_flush(ct_store *st, ct_buf *rows)
{
    return copy_rows(st,
                     "COPY ct_stage_event (line, unit_id, product_id, time, kind, from_release, "
                     "to_release, detail, customer_id, actor, result, rma, other_serial, "
                     "hardware_revision, param_set_id) FROM STDIN",
                     rows);
}

int ct_store__events_stage_apply(ct_store *st, uint64_t *inserted_out, int64_t **touched_out,
                                 size_t *ntouched_out)
{
    ct_stmt *q = NULL;
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    uint64_t inserted = 0;
    int rc;

    int64_t bad = 0;

    *inserted_out = 0;
    *touched_out = NULL;
    *ntouched_out = 0;
    /* unit_event has no foreign keys (migration 0017): the staged rows' references are checked
     * here, as sets (an anti-join per kind), before any of them is inserted */
    if ((rc = st->drv->exec(st->conn, "ANALYZE ct_stage_event")) < 0 ||
        (rc = run_once(st,
                       "SELECT min(line) FROM (SELECT s.line FROM ct_stage_event s WHERE NOT "
                       "EXISTS (SELECT 1 FROM unit u WHERE u.id = s.unit_id AND u.product_id = "
                       "s.product_id) UNION ALL SELECT s.line FROM ct_stage_event s WHERE "
                       "(s.from_release IS NOT NULL AND s.from_release NOT IN (SELECT id FROM "
                       "release)) OR (s.to_release IS NOT NULL AND s.to_release NOT IN (SELECT "
                       "id FROM release)) OR (s.customer_id IS NOT NULL AND s.customer_id NOT IN "
                       "(SELECT id FROM customer)) OR (s.param_set_id IS NOT NULL AND "
                       "s.param_set_id NOT IN (SELECT id FROM param_set))) b",
                       &bad)) < 0)
        return rc;
    if (bad > 0)
        return ct_error_set(CT_ENOTFOUND,
                            "the event row at line %lld refers to a missing unit, release, "
                            "customer or parameter set",
                            (long long)bad);
    if ((rc = st->drv->prepare(
             &q, st->conn,
             "WITH ins AS (INSERT INTO unit_event (unit_id, product_id, time, kind, "
             "from_release, to_release, detail, customer_id, actor, result, rma, other_serial, "
             "hardware_revision, param_set_id) SELECT unit_id, product_id, time, kind, "
             "from_release, to_release, detail, customer_id, actor, result, rma, other_serial, "
             "hardware_revision, param_set_id FROM ct_stage_event ORDER BY line "
             "ON CONFLICT DO NOTHING RETURNING unit_id) "
             "SELECT unit_id, count(*) FROM ins GROUP BY unit_id ORDER BY unit_id")) < 0)
        return rc;
    while ((rc = st->drv->step(q)) == 1) {
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 1024;
            int64_t *ni = ct_reallocarray(ids, ncap, sizeof *ni);
            if (!ni) {
                rc = ct_error_set(CT_ENOMEM, "out of memory");
                break;
            }
            ids = ni;
            cap = ncap;
        }
        ids[n++] = st->drv->column_int64(q, 0);
        inserted += (uint64_t)st->drv->column_int64(q, 1);
    }
    st->drv->finalize(q);
    if (rc == 0)
        rc = st->drv->exec(st->conn, "TRUNCATE ct_stage_event");
    if (rc < 0) {
        ct_free(ids);
        return rc;
    }
    *inserted_out = inserted;
    *touched_out = ids;
    *ntouched_out = n;
    return 0;
}

/* ---- events by COPY straight into unit_event (PostgreSQL) ------------------------------ */

int ct_store__events_copy(ct_store *st, ct_buf *rows)
{
    return copy_rows(st,
                     "COPY unit_event (unit_id, product_id, time, kind, from_release, to_release, "
                     "detail, customer_id, actor, result, rma, other_serial, hardware_revision, "
                     "param_set_id) FROM STDIN",
                     rows);
}

/* '{1,2,3}': a BIGINT[] parameter */
static int bind_ids(ct_stmt *q, int idx, ct_buf *tmp, const int64_t *ids, size_t n)
{
    ct_buf_reset(tmp);
    ct_buf_putc(tmp, '{');
    for (size_t i = 0; i < n; i++) {
        if (i)
            ct_buf_putc(tmp, ',');
        ct_buf_printf(tmp, "%lld", (long long)ids[i]);
    }
    ct_buf_putc(tmp, '}');
    if (tmp->failed)
        return ct_error_set(CT_ENOMEM, "out of memory");
    return ct_stmt_bind_text(q, idx, tmp->ptr);
}

int ct_store__units_with_events(ct_store *st, const int64_t *ids, size_t n,
                                int (*fn)(void *arg, int64_t unit_id), void *arg)
{
    ct_buf tmp = CT_BUF_INIT;
    ct_stmt *q;
    int rc;
    if (n == 0)
        return 0;
    if ((rc = ct_store__prepare(&q, st, CT_Q_PG_UNITS_WITH_EVENTS)) < 0 ||
        (rc = bind_ids(q, 1, &tmp, ids, n)) < 0)
        goto out;
    while ((rc = ct_stmt_step(q)) == 1)
        if ((rc = fn(arg, ct_stmt_int64(q, 0))) < 0)
            break;
    st->drv->reset(q);
out:
    ct_buf_dispose(&tmp);
    return rc < 0 ? rc : 0;
}

int ct_store__event_refs_missing(int64_t *missing_out, ct_store *st, int kind, const int64_t *ids,
                                 size_t n)
{
    static const ct_query_id qid[] = { CT_Q_PG_RELEASES_MISSING, CT_Q_PG_CUSTOMERS_MISSING,
                                       CT_Q_PG_PARAM_SETS_MISSING, CT_Q_PG_PRODUCTS_MISSING };
    ct_buf tmp = CT_BUF_INIT;
    ct_stmt *q;
    int rc;
    *missing_out = 0;
    if (n == 0)
        return 0;
    if (kind < 0 || kind >= (int)CT_NELEM(qid))
        return ct_error_set(CT_EINVAL, "unknown reference kind %d", kind);
    if ((rc = ct_store__prepare(&q, st, qid[kind])) < 0 ||
        (rc = bind_ids(q, 1, &tmp, ids, n)) < 0 || (rc = ct_stmt_step(q)) < 0)
        goto out;
    if (rc == 1)
        *missing_out = ct_stmt_int64(q, 0);
    st->drv->reset(q);
out:
    ct_buf_dispose(&tmp);
    return rc < 0 ? rc : 0;
}

int ct_store__spans_delete_ids(ct_store *st, const int64_t *ids, size_t n)
{
    ct_buf tmp = CT_BUF_INIT;
    ct_stmt *q;
    int rc;
    if (n == 0)
        return 0;
    if ((rc = ct_store__prepare(&q, st, CT_Q_PG_SPANS_DELETE_ANY)) == 0 &&
        (rc = bind_ids(q, 1, &tmp, ids, n)) == 0)
        rc = ct_store__exec_stmt(q);
    ct_buf_dispose(&tmp);
    return rc < 0 ? rc : 0;
}

/* Parallel workers for building index name again after a large import (leader + workers;
 * docs/fleet.md "Indexes on PostgreSQL", docs/PERFORMANCE.md fleetpg8): one for the wide
 * unit_span_alive, whose build a second core up to halved for 5-27 % more CPU while the client
 * waits; none for the narrow ones (keys, unit_span_open, unit_event_once, unit's), where a
 * worker cost 30-150 % more CPU for little or no wall time. */
static int pg_build_workers(const char *name)
{
    return strcmp(name, "unit_span_alive") == 0 ? 1 : 0;
}

/* Drop the indexes of table that query qid lists, their CREATE statements into *saved, each
 * after the SET LOCAL of its parallel workers. */
static int pg_indexes_drop(bool *dropped_out, ct_store *st, ct_query_id qid, const char *table,
                           ct_buf *saved)
{
    ct_buf drop = CT_BUF_INIT;
    ct_stmt *q;
    int rc;

    *dropped_out = false;
    if (!ct_store__has_copy(st))
        return 0;
    if ((rc = ct_store__prepare(&q, st, qid)) < 0 || (rc = ct_stmt_bind_text(q, 1, table)) < 0)
        return rc;
    while ((rc = ct_stmt_step(q)) == 1) {
        const char *name = ct_stmt_text(q, 0), *def = ct_stmt_text(q, 1);
        const char *only = strstr(def, " ON ONLY ");
        /* the names are the migrations' own (plain identifiers); quoted all the same */
        ct_buf_puts(&drop, "DROP INDEX \"");
        for (; *name; name++) {
            if (*name == '"')
                ct_buf_putc(&drop, '"');
            ct_buf_putc(&drop, *name);
        }
        ct_buf_puts(&drop, "\";\n");
        ct_buf_printf(saved, "SET LOCAL max_parallel_maintenance_workers = %d;\n",
                      pg_build_workers(ct_stmt_text(q, 0)));
        /* a partitioned table's index definition reads "ON ONLY t": created again on the
         * parent it must cover the partitions too */
        if (only) {
            ct_buf_put(saved, def, (size_t)(only - def));
            ct_buf_puts(saved, " ON ");
            ct_buf_puts(saved, only + 9);
        } else {
            ct_buf_puts(saved, def);
        }
        ct_buf_puts(saved, ";\n");
    }
    st->drv->reset(q);
    if (rc == 0 && (drop.failed || saved->failed))
        rc = ct_error_set(CT_ENOMEM, "out of memory");
    if (rc == 0 && drop.len && (rc = st->drv->exec(st->conn, drop.ptr)) == 0)
        *dropped_out = true;
    ct_buf_dispose(&drop);
    return rc < 0 ? rc : 0;
}

int ct_store__pg_span_indexes_drop(bool *dropped_out, ct_store *st, ct_buf *saved)
{
    return pg_indexes_drop(dropped_out, st, CT_Q_PG_TABLE_INDEXES, "unit_span", saved);
}

int ct_store__pg_event_indexes_drop(bool *dropped_out, ct_store *st, ct_buf *saved)
{
    return pg_indexes_drop(dropped_out, st, CT_Q_PG_TABLE_INDEXES_NO_KEY, "unit_event", saved);
}

int ct_store__pg_unit_indexes_drop(bool *dropped_out, ct_store *st, ct_buf *saved)
{
    return pg_indexes_drop(dropped_out, st, CT_Q_PG_TABLE_INDEXES_NO_KEY, "unit", saved);
}

int ct_store__pg_indexes_restore(ct_store *st, const ct_buf *saved, const char *table)
{
    if (saved->len && st->drv->exec(st->conn, saved->ptr) < 0)
        return ct_error_prefix("recreating the %s indexes", table);
    return 0;
}

int ct_store__pg_maintenance_mem(ct_store *st)
{
    char sql[64];
    if (!ct_store__has_copy(st))
        return 0;
    snprintf(sql, sizeof sql, "SET LOCAL maintenance_work_mem = '%dMB'", CT_PG_INDEX_BUILD_MIB);
    return st->drv->exec(st->conn, sql);
}

/* The statistics target of the import's ANALYZE (docs/PERFORMANCE.md, fleetpg9). Those
 * statistics bridge the time until autovacuum's own ANALYZE of the partitions, which follows
 * every such import at the default target (the import's inserted rows reach the statistics
 * counters at its commit, after its ANALYZE): a third of the default's sample (9,000 rows per
 * table instead of 30,000) cost 63 % less CPU and 77 % less wall time at 1M units x 10 events. */
#define PG_IMPORT_STATS_TARGET 30

int ct_store__pg_analyze_fleet(ct_store *st, bool units)
{
    char sql[192];
    if (!ct_store__has_copy(st))
        return 0;
    snprintf(sql, sizeof sql,
             "SET LOCAL default_statistics_target = %d; ANALYZE %s; "
             "SET LOCAL default_statistics_target TO DEFAULT",
             PG_IMPORT_STATS_TARGET, units ? "unit, unit_span" : "unit_event, unit_span");
    if (st->drv->exec(st->conn, sql) < 0)
        return ct_error_prefix("analysing the imported %s", units ? "units" : "events");
    return 0;
}

/* ---- a fresh fleet's first events import: TRUNCATE + COPY ... FREEZE (PostgreSQL) ------ */

int ct_store__pg_events_lock(ct_store *st)
{
    if (!ct_store__has_copy(st))
        return 0;
    if (st->drv->exec(st->conn, "LOCK TABLE unit_event, unit_span IN SHARE ROW EXCLUSIVE MODE") <
        0)
        return ct_error_prefix("locking unit_event and unit_span for an events import");
    return 0;
}

int ct_store__pg_events_truncate(bool *done_out, ct_store *st)
{
    *done_out = false;
    if (!ct_store__has_copy(st))
        return 0;
    /* unit_event is empty (the caller checked it under ct_store__pg_events_lock); unit_span
     * holds the units' spans (without events: one per unit), kept aside for the units the
     * file does not have */
    if (st->drv->exec(st->conn, "CREATE TEMP TABLE ct_keep_span ON COMMIT DROP AS "
                                "SELECT * FROM unit_span; TRUNCATE unit_event, unit_span") < 0)
        return ct_error_prefix("truncating unit_event and unit_span for a first import");
    *done_out = true;
    return 0;
}

/* "name" quoted as an identifier */
static void put_ident(ct_buf *b, const char *name)
{
    ct_buf_putc(b, '"');
    for (; *name; name++) {
        if (*name == '"')
            ct_buf_putc(b, '"');
        ct_buf_putc(b, *name);
    }
    ct_buf_putc(b, '"');
}

/* Drop the constraints of table that query qid lists (name, definition), their ADD
 * CONSTRAINT statements appended to *saved. */
static int pg_constraints_drop(ct_store *st, ct_query_id qid, const char *table, ct_buf *saved)
{
    ct_buf drop = CT_BUF_INIT;
    ct_stmt *q;
    int rc;
    if (!ct_store__has_copy(st))
        return 0;
    if ((rc = ct_store__prepare(&q, st, qid)) < 0 ||
        (rc = ct_stmt_bind_text(q, 1, table)) < 0)
        return rc;
    while ((rc = ct_stmt_step(q)) == 1) {
        const char *name = ct_stmt_text(q, 0), *def = ct_stmt_text(q, 1);
        ct_buf_printf(&drop, "ALTER TABLE %s DROP CONSTRAINT ", table);
        put_ident(&drop, name);
        ct_buf_puts(&drop, ";\n");
        ct_buf_printf(saved,
                      "SET LOCAL max_parallel_maintenance_workers = %d;\n"
                      "ALTER TABLE %s ADD CONSTRAINT ",
                      pg_build_workers(name), table);
        put_ident(saved, name);
        ct_buf_printf(saved, " %s;\n", def);
    }
    st->drv->reset(q);
    if (rc == 0 && (drop.failed || saved->failed))
        rc = ct_error_set(CT_ENOMEM, "out of memory");
    if (rc == 0 && drop.len)
        rc = st->drv->exec(st->conn, drop.ptr);
    ct_buf_dispose(&drop);
    return rc < 0 ? rc : 0;
}

int ct_store__pg_pkey_drop(ct_store *st, const char *table, ct_buf *saved)
{
    return pg_constraints_drop(st, CT_Q_PG_TABLE_PKEY, table, saved);
}

int ct_store__pg_keys_drop(ct_store *st, const char *table, ct_buf *saved)
{
    return pg_constraints_drop(st, CT_Q_PG_TABLE_KEYS, table, saved);
}

int ct_store__pg_vacuum_later(ct_store *st, const char *table, const int64_t *product_ids,
                              size_t n)
{
    ct_stmt *q;
    int rc = 0;
    if (!ct_store__has_copy(st))
        return 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        int64_t oid = 0;
        size_t k;
        if ((rc = ct_store__prepare(&q, st, CT_Q_PG_PARTITION_OID)) < 0 ||
            (rc = ct_stmt_bind_text(q, 1, table)) < 0 ||
            (rc = ct_stmt_bind_int64(q, 2, product_ids[i])) < 0 || (rc = ct_stmt_step(q)) < 0)
            break;
        if (rc == 1)
            oid = ct_stmt_int64(q, 0);
        st->drv->reset(q);
        rc = 0;
        for (k = 0; k < st->pg_nvacuum && st->pg_vacuum[k] != oid; k++)
            ;
        /* past CT_PG_VACUUM_MAX partitions the rest is left to autovacuum */
        if (oid > 0 && k == st->pg_nvacuum && k < CT_PG_VACUUM_MAX)
            st->pg_vacuum[st->pg_nvacuum++] = oid;
    }
    /* VACUUM marks a page all-visible only once its rows' commit is on disk (the hint bit
     * waits for the WAL flush): with synchronous_commit off on the server, a VACUUM right
     * after the commit left most pages as they were. This commit waits for its flush. */
    if (rc == 0 && n)
        rc = st->drv->exec(st->conn, "SET LOCAL synchronous_commit = on");
    return rc < 0 ? rc : 0;
}

/* Before the post-commit VACUUM: wait up to 2 s while another session of the server, in any
 * database (PostgreSQL 15 measured: a snapshot in another database also keeps pages from
 * becoming all-visible), holds a snapshot that may not see the import as committed
 * (backend_xmin at or before the first xid not yet assigned when the wait starts), such as an
 * autovacuum worker's ANALYZE that began during the import. Without the privilege to see other
 * sessions' xmin (pg_read_all_stats) nothing is waited for. The backend-status snapshot is
 * cleared on every round (it is cached per transaction). */
static const char PG_VACUUM_WAIT_SQL[] =
    "DO $$ DECLARE x xid := pg_snapshot_xmax(pg_current_snapshot())::text::xid; "
    "t0 timestamptz := clock_timestamp(); BEGIN "
    "WHILE clock_timestamp() < t0 + interval '2 seconds' AND EXISTS (SELECT 1 FROM "
    "pg_stat_activity WHERE pid <> pg_backend_pid() AND "
    "backend_xmin IS NOT NULL AND age(backend_xmin) >= age(x)) LOOP "
    "PERFORM pg_sleep(0.01); PERFORM pg_stat_clear_snapshot(); END LOOP; END $$";

int ct_store__pg_vacuum_after_commit(ct_store *st, int rc)
{
    ct_buf sql = CT_BUF_INIT, tmp = CT_BUF_INIT;
    size_t n = st->pg_nvacuum;
    ct_stmt *q;
    int vr;

    st->pg_nvacuum = 0;
    if (rc < 0 || n == 0 || st->tx_depth > 0 || !ct_store__has_copy(st))
        return rc;
    ct_buf_puts(&sql, "VACUUM ");
    if ((vr = ct_store__prepare(&q, st, CT_Q_PG_REL_NAMES)) == 0 &&
        (vr = bind_ids(q, 1, &tmp, st->pg_vacuum, n)) == 0) {
        for (int first = 1; (vr = ct_stmt_step(q)) == 1; first = 0) {
            if (!first)
                ct_buf_puts(&sql, ", ");
            ct_buf_puts(&sql, ct_stmt_text(q, 0)); /* regclass text: quoted as needed */
        }
        st->drv->reset(q);
    }
    if (vr == 0 && sql.failed)
        vr = ct_error_set(CT_ENOMEM, "out of memory");
    if (vr == 0 && sql.len > 7) {
        (void)st->drv->exec(st->conn, PG_VACUUM_WAIT_SQL); /* best effort, like the VACUUM */
        vr = st->drv->exec(st->conn, sql.ptr);
    }
    /* the import stands: a failure here only leaves the pages to autovacuum */
    if (vr < 0)
        ct_ctx_log(st->ctx, CT_LOG_WARN,
                   "the import is committed; vacuuming its partitions failed: %s",
                   ct_error_format());
    ct_buf_dispose(&sql);
    ct_buf_dispose(&tmp);
    return rc;
}

int ct_store__pg_partition_of(char **out, ct_store *st, const char *table, int64_t product_id)
{
    ct_stmt *q;
    int rc;
    *out = NULL;
    if ((rc = ct_store__prepare(&q, st, CT_Q_PG_PARTITION_OF)) < 0 ||
        (rc = ct_stmt_bind_text(q, 1, table)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 2, product_id)) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    if (rc == 1 && ct_stmt_text(q, 0) && !(*out = ct_strdup(ct_stmt_text(q, 0))))
        rc = ct_error_set(CT_ENOMEM, "out of memory");
    st->drv->reset(q);
    return rc < 0 ? rc : 0;
}

/* COPY rows into partition rel (a name from ct_store__pg_partition_of), with FREEZE when
 * freeze; rel NULL: into table, plain */
static int copy_frozen(ct_store *st, const char *rel, bool freeze, const char *table,
                       const char *cols, ct_buf *rows)
{
    ct_buf sql = CT_BUF_INIT;
    int rc;
    if (!rows->len)
        return 0;
    ct_buf_printf(&sql, "COPY %s (%s) FROM STDIN%s", rel ? rel : table, cols,
                  rel && freeze ? " (FREEZE)" : "");
    rc = sql.failed ? ct_error_set(CT_ENOMEM, "out of memory") : copy_rows(st, sql.ptr, rows);
    ct_buf_dispose(&sql);
    return rc;
}

int ct_store__event_ids_reserve(int64_t *first_out, ct_store *st, size_t n)
{
    ct_stmt *q;
    int rc;
    *first_out = 0;
    if ((rc = ct_store__prepare(&q, st, CT_Q_PG_EVENT_IDS_RESERVE)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, (int64_t)n)) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    if (rc == 1)
        *first_out = ct_stmt_int64(q, 0) - (int64_t)n + 1;
    st->drv->reset(q);
    return *first_out > 0 ? 0 : ct_error_set(CT_EDB, "reserving %zu event ids", n);
}

int ct_store__events_copy_frozen(ct_store *st, const char *rel, ct_buf *rows)
{
    return copy_frozen(st, rel, true, "unit_event",
                       "id, unit_id, product_id, time, kind, from_release, to_release, detail, "
                       "customer_id, actor, result, rma, other_serial, hardware_revision, "
                       "param_set_id",
                       rows);
}

int ct_store__spans_copy_frozen(ct_store *st, const char *rel, ct_buf *rows)
{
    return ct_store__spans_copy_part(st, rel, true, rows);
}

int ct_store__spans_copy_part(ct_store *st, const char *rel, bool freeze, ct_buf *rows)
{
    return copy_frozen(st, rel, freeze, "unit_span",
                       "unit_id, product_id, valid_from, valid_to, release_id, customer_id, "
                       "state, hardware_revision, param_set_id",
                       rows);
}

int ct_store__units_copy_part(ct_store *st, const char *rel, bool freeze, ct_buf *rows)
{
    return copy_frozen(st, rel, freeze, "unit",
                       "id, product_id, serial, hardware_revision, release_id, customer_id, "
                       "manufactured, state",
                       rows);
}

int ct_store__pg_units_truncate(bool *done_out, ct_store *st)
{
    int64_t any = 0;
    int rc;
    *done_out = false;
    if (!ct_store__has_copy(st))
        return 0;
    /* the lock first, then the check: a unit another session committed meanwhile is seen
     * (a new snapshot per statement) and keeps this import off the TRUNCATE */
    if ((rc = st->drv->exec(st->conn, "LOCK TABLE unit, unit_span IN ACCESS EXCLUSIVE MODE")) <
            0 ||
        (rc = run_once(st,
                       "SELECT CAST(EXISTS (SELECT 1 FROM unit) OR EXISTS (SELECT 1 FROM "
                       "unit_span) AS INT)",
                       &any)) < 0)
        return rc;
    if (any)
        return 0;
    if (st->drv->exec(st->conn, "TRUNCATE unit, unit_span") < 0)
        return ct_error_prefix("truncating unit and unit_span for a first units import");
    *done_out = true;
    return 0;
}

int ct_store__pg_kept_spans_restore(ct_store *st, const int64_t *ids, size_t n)
{
    ct_buf tmp = CT_BUF_INIT;
    ct_stmt *q;
    int rc = 0;
    if (n && (rc = ct_store__prepare(&q, st, CT_Q_PG_KEPT_SPANS_RESTORE)) == 0 &&
        (rc = bind_ids(q, 1, &tmp, ids, n)) == 0)
        rc = ct_store__exec_stmt(q);
    ct_buf_dispose(&tmp);
    if (rc == 0 && (rc = st->drv->exec(st->conn, "DROP TABLE ct_keep_span")) < 0)
        return ct_error_prefix("dropping the kept spans");
    return rc < 0 ? rc : 0;
}

/* ---- units by COPY straight into unit (PostgreSQL, migration 0022) -------------------- */

int ct_store__unit_refs_check(ct_store *st, int64_t product_id, int64_t release_id,
                              int64_t customer_id)
{
    ct_stmt *q;
    char what[16] = "";
    int rc;
    if (!ct_store__has_copy(st)) /* SQLite keeps unit's foreign keys */
        return 0;
    if ((rc = ct_store__prepare(&q, st, CT_Q_PG_UNIT_REF_MISSING)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, product_id)) < 0 ||
        (rc = ct_stmt_bind_opt_int64(q, 2, release_id, 0)) < 0 ||
        (rc = ct_stmt_bind_opt_int64(q, 3, customer_id, 0)) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    if (rc == 1 && ct_stmt_text(q, 0)) {
        const char *t = ct_stmt_text(q, 0);
        size_t n = strlen(t) < sizeof what - 1 ? strlen(t) : sizeof what - 1;
        memcpy(what, t, n);
        what[n] = '\0';
    }
    st->drv->reset(q);
    if (*what)
        return ct_error_set(CT_ENOTFOUND, "unit refers to a missing %s", what);
    return 0;
}

int ct_store__unit_ids_reserve(int64_t *ids, ct_store *st, size_t n)
{
    ct_stmt *q;
    size_t k = 0;
    int rc;
    if ((rc = ct_store__prepare(&q, st, CT_Q_PG_UNIT_IDS_RESERVE)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, (int64_t)n)) < 0)
        return rc;
    while (k < n && (rc = ct_stmt_step(q)) == 1)
        ids[k++] = ct_stmt_int64(q, 0);
    st->drv->reset(q);
    if (rc < 0)
        return rc;
    if (k != n)
        return ct_error_set(CT_EDB, "reserved %zu of %zu unit ids", k, n);
    return 0;
}

int ct_store__units_copy(ct_store *st, ct_buf *rows)
{
    return copy_rows(st,
                     "COPY unit (id, product_id, serial, hardware_revision, release_id, "
                     "customer_id, manufactured, state) FROM STDIN",
                     rows);
}

/* ---- history in bulk ------------------------------------------------------------------- */

void ct_store__units_free(ct_unit_rec *u, size_t n)
{
    for (size_t i = 0; u && i < n; i++)
        ct_unit_rec_dispose(&u[i]);
    ct_free(u);
}

int ct_store__units_load_range(ct_unit_rec **out, size_t *n_out, ct_store *st, int64_t lo,
                               int64_t hi)
{
    ct_stmt *q;
    ct_unit_rec *u = NULL;
    size_t n = 0, cap = 0;
    int rc;

    *out = NULL;
    *n_out = 0;
    if ((rc = ct_store__prepare(&q, st, CT_Q_UNITS_LOAD_RANGE)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, lo)) < 0 || (rc = ct_stmt_bind_int64(q, 2, hi)) < 0)
        return rc;
    while ((rc = ct_stmt_step(q)) == 1) {
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 256;
            ct_unit_rec *nu = ct_reallocarray(u, ncap, sizeof *nu);
            if (!nu) {
                rc = ct_error_set(CT_ENOMEM, "out of memory");
                break;
            }
            u = nu;
            cap = ncap;
        }
        ct_unit_rec *r = &u[n++];
        memset(r, 0, sizeof *r);
        r->id = ct_stmt_int64(q, 0);
        r->product_id = ct_stmt_int64(q, 1);
        r->release_id = opt_id(q, 2);
        r->customer_id = opt_id(q, 3);
        r->param_set_id = opt_id(q, 4);
        r->serial = dup_col(q, 5);
        r->hardware_revision = dup_col(q, 6);
        r->state = dup_col(q, 7);
        r->site = dup_col(q, 8);
        r->manufactured = ct_stmt_is_null(q, 9) ? CT_TIME_NONE : ct_stmt_int64(q, 9);
        if (!r->serial || !r->state) {
            rc = ct_error_set(CT_ENOMEM, "out of memory");
            break;
        }
    }
    st->drv->reset(q);
    if (rc < 0) {
        ct_store__units_free(u, n);
        return rc;
    }
    *out = u;
    *n_out = n;
    return 0;
}

int ct_store__events_load_range(ct_unit_event_rec **out, size_t *n_out, ct_store *st,
                                int64_t lo, int64_t hi)
{
    ct_stmt *q;
    ct_unit_event_rec *ev = NULL;
    size_t n = 0, cap = 0;
    int rc;

    *out = NULL;
    *n_out = 0;
    if ((rc = ct_store__prepare(&q, st, CT_Q_UNIT_EVENTS_LOAD_RANGE)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, lo)) < 0 || (rc = ct_stmt_bind_int64(q, 2, hi)) < 0)
        return rc;
    while ((rc = ct_stmt_step(q)) == 1) {
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 1024;
            ct_unit_event_rec *ne = ct_reallocarray(ev, ncap, sizeof *ne);
            if (!ne) {
                rc = ct_error_set(CT_ENOMEM, "out of memory");
                break;
            }
            ev = ne;
            cap = ncap;
        }
        ct_unit_event_rec *e = &ev[n++];
        memset(e, 0, sizeof *e);
        e->id = ct_stmt_int64(q, 0);
        e->time = ct_stmt_int64(q, 1);
        e->kind = dup_col(q, 2);
        e->from_release = opt_id(q, 3);
        e->to_release = opt_id(q, 4);
        e->customer_id = opt_id(q, 5);
        e->param_set_id = opt_id(q, 6);
        e->detail = dup_col(q, 7);
        e->actor = dup_col(q, 8);
        e->result = dup_col(q, 9);
        e->rma = dup_col(q, 10);
        e->other_serial = dup_col(q, 11);
        e->hardware_revision = dup_col(q, 12);
        e->unit_id = ct_stmt_int64(q, 13);
        if (!e->kind) {
            rc = ct_error_set(CT_ENOMEM, "out of memory");
            break;
        }
    }
    st->drv->reset(q);
    if (rc < 0) {
        ct_unit_events_free(ev, n);
        return rc;
    }
    *out = ev;
    *n_out = n;
    return 0;
}

int ct_store__spans_delete_range(ct_store *st, int64_t lo, int64_t hi)
{
    ct_stmt *q;
    int rc;
    if (lo == hi)
        return (rc = ct_store__prepare(&q, st, CT_Q_SPANS_DELETE)) < 0 ||
                       (rc = ct_stmt_bind_int64(q, 1, lo)) < 0 ||
                       (rc = ct_store__exec_stmt(q)) < 0
                   ? rc
                   : 0;
    if ((rc = ct_store__prepare(&q, st, CT_Q_SPANS_DELETE_RANGE)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, lo)) < 0 || (rc = ct_stmt_bind_int64(q, 2, hi)) < 0 ||
        (rc = ct_store__exec_stmt(q)) < 0)
        return rc;
    return 0;
}

int ct_store__span_put(ct_store *st, ct_buf *copy, const ct_unit_rec *unit, const ct_unit_span *s)
{
    ct_stmt *q;
    int rc;
    if (ct_store__has_copy(st)) {
        ct_copy_int(copy, unit->id);
        ct_copy_int(copy, unit->product_id);
        ct_copy_int(copy, s->from);
        ct_copy_opt_int(copy, s->to, CT_TIME_NONE);
        ct_copy_opt_int(copy, s->release_id, 0);
        ct_copy_opt_int(copy, s->customer_id, 0);
        ct_copy_text(copy, s->state);
        ct_copy_text(copy, nz(s->hardware_revision));
        ct_copy_opt_int(copy, s->param_set_id, 0);
        ct_copy_end_row(copy);
        return copy->failed ? ct_error_set(CT_ENOMEM, "out of memory") : 0;
    }
    /* SQLite: with alive_class (migration 0030) */
    if ((rc = ct_store__prepare(&q, st, CT_Q_SQLITE_SPAN_INSERT)) < 0 ||
        (rc = bind_span_at(q, 0, unit, s)) < 0 || (rc = ct_store__exec_stmt(q)) < 0)
        return rc;
    return 0;
}

int ct_store__spans_flush(ct_store *st, ct_buf *copy)
{
    if (!ct_store__has_copy(st))
        return 0;
    return copy_rows(st,
                     "COPY unit_span (unit_id, product_id, valid_from, valid_to, release_id, "
                     "customer_id, state, hardware_revision, param_set_id) FROM STDIN",
                     copy);
}

/* SQLite: drop the indexes of a table that back no constraint (the autoindexes of PRIMARY KEY
 * and UNIQUE have no sql), their CREATE statements appended to saved */
static int sqlite_indexes_drop(bool *dropped_out, ct_store *st, ct_buf *saved, const char *table)
{
    ct_stmt *q;
    ct_buf drop = CT_BUF_INIT;
    int rc;

    *dropped_out = false;
    if ((rc = ct_store__prepare(&q, st, CT_Q_SQLITE_TABLE_INDEXES)) < 0 ||
        (rc = ct_stmt_bind_text(q, 1, table)) < 0)
        return rc;
    while ((rc = ct_stmt_step(q)) == 1) {
        const char *name = ct_stmt_text(q, 0);
        /* the names are the migrations' own (plain identifiers); quoted all the same */
        ct_buf_puts(&drop, "DROP INDEX \"");
        for (; *name; name++) {
            if (*name == '"')
                ct_buf_putc(&drop, '"');
            ct_buf_putc(&drop, *name);
        }
        ct_buf_puts(&drop, "\";\n");
        ct_buf_puts(saved, ct_stmt_text(q, 1));
        ct_buf_puts(saved, ";\n");
    }
    st->drv->reset(q);
    if (rc == 0 && (drop.failed || saved->failed))
        rc = ct_error_set(CT_ENOMEM, "out of memory");
    if (rc == 0 && drop.len && (rc = st->drv->exec(st->conn, drop.ptr)) == 0)
        *dropped_out = true;
    ct_buf_dispose(&drop);
    return rc < 0 ? rc : 0;
}

int ct_store__span_indexes_drop(bool *dropped_out, ct_store *st, ct_buf *saved, size_t touched)
{
    ct_stmt *q;
    int64_t units = 0;
    int rc;

    *dropped_out = false;
    if (ct_store__has_copy(st) || strcmp(st->drv->name, "sqlite") != 0 ||
        touched < CT_SPAN_REINDEX_MIN)
        return 0;
    if ((rc = ct_store__prepare(&q, st, CT_Q_UNIT_MAX_ID)) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    units = rc == 1 ? ct_stmt_int64(q, 0) : 0;
    st->drv->reset(q);
    if ((int64_t)touched * 3 < units)
        return 0;
    return sqlite_indexes_drop(dropped_out, st, saved, "unit_span");
}

int ct_store__unit_indexes_drop(bool *dropped_out, ct_store *st, ct_buf *saved)
{
    *dropped_out = false;
    if (ct_store__has_copy(st) || strcmp(st->drv->name, "sqlite") != 0)
        return 0;
    return sqlite_indexes_drop(dropped_out, st, saved, "unit");
}

static int sqlite_indexes_restore(ct_store *st, const ct_buf *saved, const char *table)
{
    int rc;
    if (!saved->len)
        return 0;
    /* statements are cached per connection: they were prepared against the dropped indexes,
     * and SQLite re-prepares them on the next step (schema change), so nothing to do here.
     * The sorter runs without helper threads (PRAGMA threads: no wall gain, more CPU and
     * memory, measured idle in round 5, docs/fleet.md) */
    if ((rc = st->drv->exec(st->conn, saved->ptr)) < 0)
        return ct_error_prefix("recreating the %s indexes", table);
    return 0;
}

int ct_store__span_indexes_restore(ct_store *st, const ct_buf *saved)
{
    return sqlite_indexes_restore(st, saved, "unit_span");
}

int ct_store__unit_indexes_restore(ct_store *st, const ct_buf *saved)
{
    return sqlite_indexes_restore(st, saved, "unit");
}

int ct_store__foreign_keys(ct_store *st, bool on)
{
    if (strcmp(st->drv->name, "sqlite") != 0 || st->tx_depth > 0)
        return 0;
    return st->drv->exec(st->conn, on ? "PRAGMA foreign_keys=ON" : "PRAGMA foreign_keys=OFF");
}

int ct_store__temp_on_disk(ct_store *st, bool on)
{
    if (strcmp(st->drv->name, "sqlite") != 0 || st->tx_depth > 0)
        return 0;
    return st->drv->exec(st->conn, on ? "PRAGMA temp_store=FILE" : "PRAGMA temp_store=MEMORY");
}

/* ---- SQLite event import: stored history and the span triggers ------------------------- */

static int probe(bool *out, ct_store *st, ct_query_id id, int64_t arg, bool bind)
{
    ct_stmt *q;
    int rc;
    *out = false;
    if ((rc = ct_store__prepare(&q, st, id)) < 0 ||
        (bind && (rc = ct_stmt_bind_int64(q, 1, arg)) < 0) || (rc = ct_stmt_step(q)) < 0)
        return rc;
    *out = rc == 1;
    st->drv->reset(q);
    return 0;
}

int ct_store__events_any(bool *out, ct_store *st)
{
    return probe(out, st, CT_Q_UNIT_EVENTS_ANY, 0, false);
}

int ct_store__unit_has_events(bool *out, ct_store *st, int64_t unit_id)
{
    return probe(out, st, CT_Q_UNIT_HAS_EVENTS, unit_id, true);
}

/* The unit_count cache's triggers (migration 0013): each marks the cache stale when a current
 * span changes. Their UPDATE makes every span write a statement with a trigger, which SQLite
 * runs with a statement journal (a copy of each page it touches); one explicit mark does what
 * they would do for the whole import. */
static const char *const span_stale_triggers[] = { "unit_span_stale_ins", "unit_span_stale_del",
                                                   "unit_span_stale_upd" };

int ct_store__span_triggers_drop(bool *dropped_out, ct_store *st, ct_buf *saved)
{
    ct_buf drop = CT_BUF_INIT;
    int rc = 0;

    *dropped_out = false;
    if (ct_store__has_copy(st) || strcmp(st->drv->name, "sqlite") != 0)
        return 0;
    for (size_t i = 0; i < CT_NELEM(span_stale_triggers) && rc == 0; i++) {
        ct_stmt *q;
        if ((rc = ct_store__prepare(&q, st, CT_Q_SQLITE_TRIGGER_SQL)) < 0 ||
            (rc = ct_stmt_bind_text(q, 1, span_stale_triggers[i])) < 0 ||
            (rc = ct_stmt_step(q)) < 0)
            break;
        if (rc == 1) {
            ct_buf_puts(saved, ct_stmt_text(q, 0));
            ct_buf_puts(saved, ";\n");
            ct_buf_printf(&drop, "DROP TRIGGER \"%s\";\n", span_stale_triggers[i]);
        }
        st->drv->reset(q);
        rc = rc < 0 ? rc : 0;
    }
    if (rc == 0 && (drop.failed || saved->failed))
        rc = ct_error_set(CT_ENOMEM, "out of memory");
    if (rc == 0 && drop.len) {
        ct_stmt *q;
        if ((rc = ct_store__prepare(&q, st, CT_Q_UNIT_COUNT_MARK_STALE)) == 0 &&
            (rc = ct_store__exec_stmt(q)) == 0 && (rc = st->drv->exec(st->conn, drop.ptr)) == 0)
            *dropped_out = true;
    }
    ct_buf_dispose(&drop);
    return rc < 0 ? rc : 0;
}

int ct_store__span_triggers_restore(ct_store *st, const ct_buf *saved)
{
    if (!saved->len)
        return 0;
    if (st->drv->exec(st->conn, saved->ptr) < 0)
        return ct_error_prefix("recreating the unit_span triggers");
    return 0;
}

int ct_store__check_constraints(ct_store *st, bool on)
{
    if (strcmp(st->drv->name, "sqlite") != 0 || st->tx_depth > 0)
        return 0;
    return st->drv->exec(st->conn, on ? "PRAGMA ignore_check_constraints=OFF"
                                      : "PRAGMA ignore_check_constraints=ON");
}

int ct_store__cache_mib(ct_store *st, int mib)
{
    ct_buf sql = CT_BUF_INIT;
    int rc;
    if (strcmp(st->drv->name, "sqlite") != 0 || mib <= 0)
        return 0;
    ct_buf_printf(&sql, "PRAGMA cache_size=-%d", mib * 1024);
    rc = sql.failed ? ct_error_set(CT_ENOMEM, "out of memory") : st->drv->exec(st->conn, sql.ptr);
    ct_buf_dispose(&sql);
    return rc;
}

/* The first import into an empty fleet table writes almost only new pages (past the end of the
 * database file when the transaction began). A rollback journal keeps nothing for such pages,
 * while WAL writes every page twice (into the WAL, then the checkpoint copies it into the
 * database). So such an import runs with journal_mode=DELETE and synchronous=FULL (a rollback
 * journal is only as safe as WAL with synchronous=NORMAL when it is synced at every step), and
 * the store goes back to WAL after it. Switching out of WAL needs the only connection: with
 * another one open SQLite keeps WAL and nothing changes. */
int ct_store__rollback_journal(bool *switched_out, ct_store *st, bool on)
{
    ct_stmt *q = NULL;
    int rc;
    if (on)
        *switched_out = false;
    if (strcmp(st->drv->name, "sqlite") != 0 || st->tx_depth > 0 || (!on && !*switched_out))
        return 0;
    if (!on) {
        *switched_out = false;
        if ((rc = st->drv->exec(st->conn, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL")) < 0)
            return ct_error_prefix("switching the store back to WAL");
        return 0;
    }
    if ((rc = st->drv->prepare(&q, st->conn, "PRAGMA journal_mode=DELETE")) < 0)
        return rc;
    rc = st->drv->step(q);
    if (rc == 1 && ct_stmt_text(q, 0) && strcmp(ct_stmt_text(q, 0), "delete") == 0)
        *switched_out = true;
    st->drv->finalize(q);
    if (rc < 0) { /* busy: another connection; stay in WAL */
        ct_error_clear();
        return 0;
    }
    if (*switched_out && (rc = st->drv->exec(st->conn, "PRAGMA synchronous=FULL")) < 0)
        return rc;
    return 0;
}

/* ---- SQLite event import: a unit's new events and spans, several rows per statement ---- */

/* EVENT_COLS from parameter b + 1: id (SQLite, migration 0030), then the event's columns */
static int bind_event_at(ct_stmt *q, int b, int64_t id, const ct_unit_event_rec *ev)
{
    int rc;
    if ((rc = ct_stmt_bind_int64(q, b + 1, id)) < 0 ||
        (rc = ct_stmt_bind_int64(q, b + 2, ev->unit_id)) < 0 ||
        (rc = ct_stmt_bind_int64(q, b + 3, ev->product_id)) < 0 ||
        (rc = ct_stmt_bind_int64(q, b + 4, ev->time)) < 0 ||
        (rc = ct_stmt_bind_text(q, b + 5, ev->kind)) < 0 ||
        (rc = ct_stmt_bind_opt_int64(q, b + 6, ev->from_release, 0)) < 0 ||
        (rc = ct_stmt_bind_opt_int64(q, b + 7, ev->to_release, 0)) < 0 ||
        (rc = ct_stmt_bind_text(q, b + 8, nz(ev->detail))) < 0 ||
        (rc = ct_stmt_bind_opt_int64(q, b + 9, ev->customer_id, 0)) < 0 ||
        (rc = ct_stmt_bind_text(q, b + 10, nz(ev->actor))) < 0 ||
        (rc = ct_stmt_bind_text(q, b + 11, nz(ev->result))) < 0 ||
        (rc = ct_stmt_bind_text(q, b + 12, nz(ev->rma))) < 0 ||
        (rc = ct_stmt_bind_text(q, b + 13, nz(ev->other_serial))) < 0 ||
        (rc = ct_stmt_bind_text(q, b + 14, nz(ev->hardware_revision))) < 0 ||
        (rc = ct_stmt_bind_opt_int64(q, b + 15, ev->param_set_id, 0)) < 0)
        return rc;
    return 0;
}

static int bind_span_at(ct_stmt *q, int b, const ct_unit_rec *unit, const ct_unit_span *s)
{
    int rc;
    if ((rc = ct_stmt_bind_int64(q, b + 1, unit->id)) < 0 ||
        (rc = ct_stmt_bind_int64(q, b + 2, unit->product_id)) < 0 ||
        (rc = ct_stmt_bind_int64(q, b + 3, s->from)) < 0 ||
        (rc = ct_stmt_bind_opt_int64(q, b + 4, s->to, CT_TIME_NONE)) < 0 ||
        (rc = ct_stmt_bind_opt_int64(q, b + 5, s->release_id, 0)) < 0 ||
        (rc = ct_stmt_bind_opt_int64(q, b + 6, s->customer_id, 0)) < 0 ||
        (rc = ct_stmt_bind_text(q, b + 7, s->state)) < 0 ||
        (rc = ct_stmt_bind_text(q, b + 8, nz(s->hardware_revision))) < 0 ||
        (rc = ct_stmt_bind_opt_int64(q, b + 9, s->param_set_id, 0)) < 0 ||
        (rc = ct_stmt_bind_opt_int64(q, b + 10, span_alive_class(s), -1)) < 0)
        return rc;
    return 0;
}

/* rows: 8, 4, 2 per statement, then one (the statements of one width each) */
static ct_query_id rows_query(size_t left, size_t *rows_out, const ct_query_id q8[3],
                              ct_query_id q1)
{
    static const size_t width[3] = { 8, 4, 2 };
    for (int k = 0; k < 3; k++)
        if (left >= width[k]) {
            *rows_out = width[k];
            return q8[k];
        }
    *rows_out = 1;
    return q1;
}

int ct_store__events_insert_new(ct_store *st, const ct_unit_event_rec *const *ev, size_t n)
{
    size_t i = 0;
    int64_t last = 0;
    int rc = 0;
    if (ct_store__has_copy(st)) {
        for (; i < n && rc == 0; i++)
            rc = ct_store__event_insert_new(st, ev[i]);
        return rc;
    }
    /* SQLite: numbered from the store's counter (the import numbers its rows itself) */
    if ((rc = ct_store__event_id_last(&last, st)) < 0 ||
        (rc = ct_store__events_insert_ids(st, ev, n, last + 1)) < 0)
        return rc;
    return ct_store__event_id_set_last(st, last + (int64_t)n);
}

/* ---- SQLite, unit_event without rowid (migration 0030): the writer numbers events -------- */

static int event_id_query(ct_store *st, ct_query_id id, int64_t arg, int64_t *out)
{
    ct_stmt *q;
    int rc;
    if ((rc = ct_store__prepare(&q, st, id)) < 0 ||
        (id == CT_Q_SQLITE_EVENT_ID_SET && (rc = ct_stmt_bind_int64(q, 1, arg)) < 0))
        return rc;
    if (!out)
        return ct_store__exec_stmt(q);
    if ((rc = ct_stmt_step(q)) < 0)
        return rc;
    if (rc == 0 || ct_stmt_is_null(q, 0)) {
        st->drv->reset(q);
        return ct_error_set(CT_EDB, "sqlite: store_state has no unit_event_id (migration 0030)");
    }
    *out = ct_stmt_int64(q, 0);
    st->drv->reset(q);
    return 0;
}

int ct_store__event_id_last(int64_t *out, ct_store *st)
{
    *out = 0;
    return event_id_query(st, CT_Q_SQLITE_EVENT_ID_LAST, 0, out);
}

int ct_store__event_id_set_last(ct_store *st, int64_t last)
{
    return event_id_query(st, CT_Q_SQLITE_EVENT_ID_SET, last, NULL);
}

/* One event numbered max + 1 in one statement and the counter raised only when it was written
 * (a stored (unit, time, kind) keeps the id free, as a rowid table would): both in one
 * transaction, so two connections cannot take the same id. */
static int sqlite_event_add(bool *added_out, ct_store *st, const ct_unit_event_rec *ev)
{
    ct_stmt *q = NULL;
    bool own = st->tx_depth == 0; /* inside a caller's transaction its rollback undoes both */
    int rc, rc2;
    if ((rc = ct_store_begin(st)) < 0)
        return rc;
    if ((rc = event_insert(&q, st, CT_Q_SQLITE_EVENT_ADD, ev)) >= 0) {
        *added_out = st->drv->changes(q) > 0;
        rc = 0;
    }
    if (q)
        st->drv->reset(q);
    if (rc == 0 && *added_out)
        rc = event_id_query(st, CT_Q_SQLITE_EVENT_ID_RAISE, 0, NULL);
    if (rc < 0) {
        *added_out = false;
        if (own)
            ct_store_rollback(st);
        else
            ct_store_commit(st); /* leaves only this level: the caller's transaction decides */
        return rc;
    }
    rc2 = ct_store_commit(st);
    if (rc2 < 0)
        *added_out = false;
    return rc2;
}

int ct_store__event_add_id(bool *added_out, ct_store *st, const ct_unit_event_rec *ev, int64_t id)
{
    ct_stmt *q;
    int rc;
    *added_out = false;
    if ((rc = ct_store__prepare(&q, st, CT_Q_SQLITE_EVENT_ADD_ID)) < 0)
        return rc;
    if ((rc = bind_event_at(q, 0, id, ev)) < 0 || (rc = ct_stmt_step(q)) < 0) {
        st->drv->reset(q);
        return rc;
    }
    *added_out = st->drv->changes(q) > 0;
    st->drv->reset(q);
    return 0;
}

int ct_store__events_insert_ids(ct_store *st, const ct_unit_event_rec *const *ev, size_t n,
                                int64_t first_id)
{
    static const ct_query_id multi[3] = { CT_Q_UNIT_EVENTS_INSERT_NEW_8,
                                          CT_Q_UNIT_EVENTS_INSERT_NEW_4,
                                          CT_Q_UNIT_EVENTS_INSERT_NEW_2 };
    size_t i = 0;
    int rc = 0;
    if (!is_sqlite(st))
        return ct_error_set(CT_EINVAL, "events_insert_ids: SQLite only");
    while (i < n) {
        size_t rows;
        ct_stmt *q;
        if ((rc = ct_store__prepare(&q, st, rows_query(n - i, &rows, multi,
                                                       CT_Q_SQLITE_EVENT_INSERT_ID))) < 0)
            return rc;
        for (size_t r = 0; r < rows; r++)
            if ((rc = bind_event_at(q, (int)(r * 15), first_id + (int64_t)(i + r), ev[i + r])) <
                0)
                return rc;
        if ((rc = ct_store__exec_stmt(q)) < 0)
            return rc;
        if (rows > 1 && st->drv->changes(q) != (int64_t)rows) /* OR IGNORE skipped one */
            return ct_error_set(CT_EEXISTS, "sqlite: unit %lld: an event is stored already",
                                (long long)ev[i]->unit_id);
        i += rows;
    }
    return 0;
}

int ct_store__spans_put_new(ct_store *st, const ct_unit_rec *unit, const ct_unit_span *s,
                            size_t n)
{
    static const ct_query_id multi[3] = { CT_Q_SPANS_INSERT_8, CT_Q_SPANS_INSERT_4,
                                          CT_Q_SPANS_INSERT_2 };
    size_t i = 0;
    int rc = 0;
    if (ct_store__has_copy(st))
        return ct_error_set(CT_EINVAL, "spans_put_new: SQLite only");
    while (i < n) {
        size_t rows;
        ct_stmt *q;
        if ((rc = ct_store__prepare(&q, st, rows_query(n - i, &rows, multi,
                                                       CT_Q_SQLITE_SPAN_INSERT))) < 0)
            return rc;
        for (size_t r = 0; r < rows; r++)
            if ((rc = bind_span_at(q, (int)(r * 10), unit, &s[i + r])) < 0)
                return rc;
        if ((rc = ct_store__exec_stmt(q)) < 0)
            return rc;
        if (rows > 1 && st->drv->changes(q) != (int64_t)rows) /* OR IGNORE skipped one */
            return ct_error_set(CT_EEXISTS, "sqlite: unit %lld: a span is stored already",
                                (long long)unit->id);
        i += rows;
    }
    return 0;
}

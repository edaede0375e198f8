/* Unit history in the store: events with all their fields, derived spans (what a unit was,
 * ran and belonged to when), and the point-in-time view of one unit. */
#include "store_int.h"

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

int ct_store_unit_event_add_ex(bool *added_out, ct_store *st, const ct_unit_event_rec *ev)
{
    ct_stmt *q;
    int rc;

    *added_out = false;
    /* (unit, time, kind) is unique: a re-imported event inserts nothing and returns no row */
    if ((rc = ct_store__prepare(&q, st, CT_Q_UNIT_EVENT_INSERT_EX)) < 0 ||
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
        (rc = ct_stmt_bind_opt_int64(q, 14, ev->param_set_id, 0)) < 0 ||
        (rc = ct_stmt_step(q)) < 0)
        return rc;
    *added_out = rc == 1;
    st->drv->reset(q);
    return 0;
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

int ct_store_unit_load(ct_unit_rec *out, ct_store *st, int64_t unit_id)
{
    ct_stmt *q;
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = ct_store__prepare(&q, st, CT_Q_UNIT_LOAD)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, unit_id)) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    if (rc == 0)
        return ct_error_set(CT_ENOTFOUND, "no unit with id %lld", (long long)unit_id);
    out->id = ct_stmt_int64(q, 0);
    out->product_id = ct_stmt_int64(q, 1);
    out->release_id = opt_id(q, 2);
    out->customer_id = opt_id(q, 3);
    out->param_set_id = opt_id(q, 4);
    out->serial = dup_col(q, 5);
    out->hardware_revision = dup_col(q, 6);
    out->state = dup_col(q, 7);
    out->site = dup_col(q, 8);
    out->manufactured = ct_stmt_is_null(q, 9) ? CT_TIME_NONE : ct_stmt_int64(q, 9);
    st->drv->reset(q);
    if (!out->serial || !out->state) {
        ct_unit_rec_dispose(out);
        return ct_error_set(CT_ENOMEM, "out of memory");
    }
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
    ct_stmt *q;
    ct_unit_event_rec *ev = NULL;
    size_t n = 0, cap = 0;
    int rc;

    *out = NULL;
    *n_out = 0;
    if ((rc = ct_store__prepare(&q, st, CT_Q_UNIT_EVENTS_LOAD)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, unit_id)) < 0)
        return rc;
    while ((rc = ct_stmt_step(q)) == 1) {
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
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
        e->unit_id = unit_id;
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

static void put_text(ct_buf *out, const char *s)
{
    if (s)
        ct_buf_json_str(out, s);
    else
        ct_buf_puts(out, "null");
}

static void put_time(ct_buf *out, ct_time t)
{
    char buf[32];
    if (t == CT_TIME_NONE) {
        ct_buf_puts(out, "null");
        return;
    }
    ct_time_format(buf, t);
    ct_buf_json_str(out, buf);
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

int ct_store_unit_show_json(ct_buf *out, ct_store *st, const char *serial, const char *product,
                            ct_time at)
{
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
    put_text(out, ct_stmt_text(q, 0));
    ct_buf_puts(out, ",\"product\":");
    put_text(out, ct_stmt_text(q, 1));
    ct_buf_puts(out, ",\"manufactured\":");
    put_time(out, ct_stmt_is_null(q, 7) ? CT_TIME_NONE : ct_stmt_int64(q, 7));
    ct_buf_puts(out, ",\"site\":");
    put_text(out, ct_stmt_text(q, 8));
    st->drv->reset(q);
    ct_buf_puts(out, ",\"at\":");
    put_time(out, at);

    if ((rc = ct_store__prepare(&q, st, CT_Q_SPAN_AT)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, uid)) < 0 || (rc = ct_stmt_bind_int64(q, 2, when)) < 0 ||
        (rc = ct_stmt_step(q)) < 0)
        return rc;
    if (rc == 0) {
        char t[32];
        ct_time_format(t, when);
        return ct_error_set(CT_ENOTFOUND, "unit '%s' did not exist yet at %s", serial, t);
    }
    ct_buf_puts(out, ",\"hardware_revision\":");
    put_text(out, ct_stmt_text(q, 0));
    ct_buf_puts(out, ",\"release\":");
    put_text(out, ct_stmt_text(q, 1));
    ct_buf_puts(out, ",\"customer\":");
    put_text(out, ct_stmt_text(q, 2));
    ct_buf_puts(out, ",\"customer_name\":");
    put_text(out, ct_stmt_text(q, 3));
    ct_buf_puts(out, ",\"state\":");
    put_text(out, ct_stmt_text(q, 4));
    ct_buf_puts(out, ",\"since\":");
    put_time(out, ct_stmt_int64(q, 5));
    st->drv->reset(q);

    static const char *const ev_keys[] = { NULL,    "kind",  "from_release", "to_release",
                                           "detail", "customer", "actor",     "result",
                                           "rma",    "other_serial", "hardware_revision" };
    ct_buf_puts(out, ",\"events\":[");
    if ((rc = ct_store__prepare(&q, st, CT_Q_EVENTS_SHOW)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, uid)) < 0 || (rc = ct_stmt_bind_int64(q, 2, when)) < 0)
        return rc;
    while ((rc = ct_stmt_step(q)) == 1) {
        ct_buf_puts(out, n++ ? ",{\"time\":" : "{\"time\":");
        put_time(out, ct_stmt_int64(q, 0));
        for (int c = 1; c < (int)CT_NELEM(ev_keys); c++) {
            const char *v = ct_stmt_text(q, c);
            if (!v)
                continue;
            ct_buf_printf(out, ",\"%s\":", ev_keys[c]);
            ct_buf_json_str(out, v);
        }
        ct_buf_putc(out, '}');
    }
    st->drv->reset(q);
    if (rc < 0)
        return rc;
    ct_buf_puts(out, "]}");
    return out->failed ? ct_error_set(CT_ENOMEM, "out of memory") : 0;
}

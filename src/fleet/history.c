/* Unit history: replay a unit's events into spans of what it was, ran and belonged to. */
#include "cratrace/fleet.h"
#include "fleet_bulk.h"

#include <string.h>

typedef struct {
    int64_t release_id, customer_id, param_set_id;
    const char *state, *hw;
} unit_state;

static const char *const states[] = { "in_stock", "shipped", "in_service", "in_rma",
                                      "replaced", "decommissioned" };

static const char *static_state(const char *s)
{
    for (size_t i = 0; i < CT_NELEM(states); i++)
        if (s && strcmp(s, states[i]) == 0)
            return states[i];
    return states[2];
}

static bool update_failed(const char *result)
{
    return result && (strcmp(result, "failed") == 0 || strcmp(result, "failure") == 0 ||
                      strcmp(result, "error") == 0 || strcmp(result, "rolled_back") == 0);
}

static bool same(const unit_state *a, const unit_state *b)
{
    return a->release_id == b->release_id && a->customer_id == b->customer_id &&
           a->param_set_id == b->param_set_id && a->state == b->state &&
           (a->hw == b->hw || (a->hw && b->hw && strcmp(a->hw, b->hw) == 0));
}

static void apply(unit_state *s, const ct_unit_event_rec *e, const ct_unit_rec *u)
{
    const char *k = e->kind;
    if (strcmp(k, "ship") == 0) {
        s->state = states[1];
        s->customer_id = e->customer_id ? e->customer_id : u->customer_id;
    } else if (strcmp(k, "update") == 0) {
        if (update_failed(e->result))
            return;
        if (e->to_release)
            s->release_id = e->to_release;
        if (s->state == states[0] || s->state == states[1])
            s->state = states[2];
    } else if (strcmp(k, "param_change") == 0) {
        if (e->param_set_id)
            s->param_set_id = e->param_set_id;
    } else if (strcmp(k, "rma_open") == 0) {
        s->state = states[3];
    } else if (strcmp(k, "rma_close") == 0) {
        s->state = states[2];
    } else if (strcmp(k, "swap") == 0) {
        if (e->hardware_revision)
            s->hw = e->hardware_revision;
    } else if (strcmp(k, "replace") == 0) {
        s->state = states[4];
    } else if (strcmp(k, "transfer") == 0) {
        if (e->customer_id)
            s->customer_id = e->customer_id;
    } else if (strcmp(k, "decommission") == 0) {
        s->state = states[5];
    }
}

int ct_fleet_spans(ct_unit_span **out, size_t *n_out, const ct_unit_rec *u,
                   const ct_unit_event_rec *ev, size_t n)
{
    ct_unit_span *sp;
    size_t ns = 0;
    unit_state cur;
    ct_time from;

    *out = NULL;
    *n_out = 0;
    if (!(sp = ct_calloc(n + 1, sizeof *sp)))
        return ct_error_set(CT_ENOMEM, "out of memory");
    memset(&cur, 0, sizeof cur);
    cur.release_id = u->release_id;
    cur.customer_id = u->customer_id;
    cur.param_set_id = u->param_set_id;
    cur.hw = u->hardware_revision;
    if (n == 0) {
        cur.state = static_state(u->state);
    } else {
        /* before its first event a unit is in stock, on the release its first update left */
        cur.state = states[0];
        cur.customer_id = 0;
        for (size_t i = 0; i < n; i++) {
            if (strcmp(ev[i].kind, "update") == 0 && ev[i].from_release) {
                cur.release_id = ev[i].from_release;
                break;
            }
        }
    }
    from = u->manufactured != CT_TIME_NONE ? u->manufactured : 0;
    if (n && ev[0].time < from)
        from = ev[0].time;
    for (size_t i = 0; i <= n; i++) {
        unit_state next = cur;
        if (i < n)
            apply(&next, &ev[i], u);
        if (i < n && same(&next, &cur))
            continue;
        if (i < n && ev[i].time == from && ns == 0) {
            cur = next; /* first event at the very start: no empty span before it */
            continue;
        }
        sp[ns].from = from;
        sp[ns].to = i < n ? ev[i].time : CT_TIME_NONE;
        sp[ns].release_id = cur.release_id;
        sp[ns].customer_id = cur.customer_id;
        sp[ns].param_set_id = cur.param_set_id;
        sp[ns].state = cur.state;
        sp[ns].hardware_revision = cur.hw;
        if (i < n && sp[ns].to == sp[ns].from) {
            cur = next; /* two changes at one instant: the later one wins */
            continue;
        }
        ns++;
        if (i < n) {
            from = ev[i].time;
            cur = next;
        }
    }
    *out = sp;
    *n_out = ns;
    return 0;
}

int ct_fleet_rebuild_unit(ct_store *st, int64_t unit_id)
{
    ct_unit_rec u;
    ct_unit_event_rec *ev = NULL;
    ct_unit_span *spans = NULL;
    size_t n = 0, ns = 0;
    int rc;

    if ((rc = ct_store_unit_load(&u, st, unit_id)) < 0)
        return rc;
    if ((rc = ct_store_unit_events_load(&ev, &n, st, unit_id)) < 0 ||
        (rc = ct_fleet_spans(&spans, &ns, &u, ev, n)) < 0)
        goto cleanup;
    rc = ct_store_unit_history_replace(st, &u, spans, ns);
cleanup:
    ct_free(spans);
    ct_unit_events_free(ev, n);
    ct_unit_rec_dispose(&u);
    return rc;
}

/* Units per bulk chunk, and how sparse a chunk's id range may be: the range queries read the
 * events of every unit in [lo, hi], touched or not. */
#define REBUILD_CHUNK 4096

int ct_fleet__rebuild_units(ct_store *st, const int64_t *ids, size_t n)
{
    ct_buf copy = CT_BUF_INIT, indexes = CT_BUF_INIT;
    bool dropped = false;
    int rc;

    /* most of the fleet at once (a first import): index the new spans after writing them */
    rc = ct_store__span_indexes_drop(&dropped, st, &indexes, n);

    for (size_t i = 0; i < n && rc == 0;) {
        size_t j = i + 1;
        while (j < n && j - i < REBUILD_CHUNK && ids[j] - ids[i] < (int64_t)(2 * (j - i) + 64))
            j++;
        int64_t lo = ids[i], hi = ids[j - 1];
        ct_unit_rec *units = NULL;
        ct_unit_event_rec *ev = NULL;
        size_t nu = 0, ne = 0, ui = 0, ei = 0;

        if ((rc = ct_store__units_load_range(&units, &nu, st, lo, hi)) < 0 ||
            (rc = ct_store__events_load_range(&ev, &ne, st, lo, hi)) < 0)
            goto chunk_done;
        /* the old spans go first: all of a dense range at once, else unit by unit */
        if (hi - lo + 1 == (int64_t)(j - i)) {
            rc = ct_store__spans_delete_range(st, lo, hi);
        } else {
            for (size_t k = i; k < j && rc == 0; k++)
                rc = ct_store__spans_delete_range(st, ids[k], ids[k]);
        }
        for (size_t k = i; k < j && rc == 0; k++) {
            ct_unit_span *spans = NULL;
            size_t ns = 0, e0;
            while (ui < nu && units[ui].id < ids[k])
                ui++;
            if (ui == nu || units[ui].id != ids[k]) {
                rc = ct_error_set(CT_ENOTFOUND, "no unit with id %lld", (long long)ids[k]);
                break;
            }
            while (ei < ne && ev[ei].unit_id < ids[k])
                ei++;
            e0 = ei;
            while (ei < ne && ev[ei].unit_id == ids[k])
                ei++;
            if ((rc = ct_fleet_spans(&spans, &ns, &units[ui], ev + e0, ei - e0)) < 0)
                break;
            for (size_t s = 0; s < ns && rc == 0; s++)
                rc = ct_store__span_put(st, &copy, &units[ui], &spans[s]);
            ct_free(spans);
        }
        if (rc == 0)
            rc = ct_store__spans_flush(st, &copy);
    chunk_done:
        ct_unit_events_free(ev, ne);
        ct_store__units_free(units, nu);
        i = j;
    }
    if (rc == 0 && dropped)
        rc = ct_store__span_indexes_restore(st, &indexes);
    ct_buf_dispose(&indexes);
    ct_buf_dispose(&copy);
    return rc;
}

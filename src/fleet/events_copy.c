/* The events import on a backend with COPY (PostgreSQL): units met for the first time, without
 * stored events, are written straight into unit_event and unit_span (spans derived in C from
 * the rows just read); every other row goes through the staging table. The units import's new
 * units go the same way into unit (ids reserved from its sequence) and unit_span. */
#include "cratrace/fleet.h"
#include "fleet_bulk.h"

#include <stdlib.h>
#include <string.h>

/* Units per chunk: one span delete, one events COPY and one spans COPY per chunk. */
#define COPY_CHUNK_UNITS 4096
#define STAGE_FLUSH_BYTES ((size_t)4 << 20)

enum { F_KIND, F_DETAIL, F_ACTOR, F_RESULT, F_RMA, F_OTHER, F_HW, F_N };

typedef struct {
    ct_unit_event_rec ev; /* strings: offsets + 1 into text in off[], 0 = NULL */
    size_t off[F_N];
    int64_t line;
    size_t i; /* sort key: position in the chunk (file order) */
} pend_ev;

typedef struct {
    int64_t id, product_id;
    size_t first, n; /* its events: ev[first, first + n) */
    bool stored;     /* has stored events: goes to the staging table instead */
} pend_unit;

/* The frozen path (a fresh fleet's first events import or first large units import,
 * docs/fleet.md): rows of one partition of unit_event, unit_span or unit wait in rows until
 * FROZEN_FLUSH_BYTES, then go by COPY ... FREEZE into that partition (rel NULL: the table has
 * no such partition, plain COPY into it). */
#define FROZEN_FLUSH_BYTES ((size_t)2 << 20)

enum { PT_EVENT, PT_SPAN, PT_UNIT, PT_N };
static const char *const pt_table[PT_N] = { "unit_event", "unit_span", "unit" };

typedef struct {
    char *rel;
    int table; /* PT_* */
    ct_buf rows;
} part_buf;

typedef struct {
    int64_t product_id;
    size_t part[PT_N]; /* its partitions: indexes into parts (SIZE_MAX: not asked yet) */
} prod_part;

/* the partitions' buffers of one import */
typedef struct {
    part_buf *parts;
    size_t nparts;
    prod_part *pp;
    size_t npp;
} part_set;

typedef struct {
    ct_unit_event_rec e; /* strings point into the chunk's text */
    size_t part;
} chunk_ev;

/* a set of ids (releases, customers, parameter sets the import wrote): open addressing,
 * 0 = empty slot (ids are > 0) */
typedef struct {
    int64_t *v;
    size_t n, cap;
} idset;

static void part_set_dispose(part_set *ps);

struct ct_fleet_copy_events {
    pend_ev *ev;
    size_t nev, evcap;
    ct_buf text;
    pend_unit *units;
    size_t nunits, ucap;
    int64_t run_unit; /* the unit of the current run of rows (0: none) */
    bool run_direct;
    uint8_t *seen; /* units met in this file, bitmap over ids 1..max_id */
    int64_t max_id;
    bool stored_any; /* unit_event had rows when the import began */
    ct_buf events, spans, stage;
    uint64_t inserted;
    idset refs[3]; /* CT_REF_RELEASE, CT_REF_CUSTOMER, CT_REF_PARAM_SET */
    ct_unit_rec *recs;
    size_t nrecs;
    int64_t *ids; /* scratch: unit ids of a chunk */
    ct_unit_event_rec *sorted;
    size_t sorted_cap;
    bool idx_dropped; /* unit_span's secondary indexes, re-created by finish */
    ct_buf idx_saved;
    bool ev_idx_dropped; /* unit_event's indexes but its primary key, re-created by finish */
    ct_buf ev_idx_saved;
    bool frozen; /* unit_event and unit_span truncated by this import: COPY ... FREEZE */
    bool froze;  /* frozen was set once (it is cleared when the kept spans are back) */
    idset prods; /* products of the units in the file: their partitions get a VACUUM */
    ct_buf pk_saved; /* their primary keys, dropped on the frozen path */
    part_set ps;
    chunk_ev *cev; /* the frozen path's events of the current chunk */
    size_t ncev, cevcap;
};

static int idset_add(idset *s, int64_t id)
{
    size_t i;
    if (id == 0)
        return 0;
    if ((s->n + 1) * 2 > s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 256;
        int64_t *nv = ct_calloc(ncap, sizeof *nv);
        if (!nv)
            return ct_error_set(CT_ENOMEM, "out of memory");
        for (size_t k = 0; k < s->cap; k++) {
            if (!s->v[k])
                continue;
            for (i = ((uint64_t)s->v[k] * 0x9E3779B97F4A7C15ull) & (ncap - 1); nv[i];
                 i = (i + 1) & (ncap - 1))
                ;
            nv[i] = s->v[k];
        }
        ct_free(s->v);
        s->v = nv;
        s->cap = ncap;
    }
    for (i = ((uint64_t)id * 0x9E3779B97F4A7C15ull) & (s->cap - 1); s->v[i];
         i = (i + 1) & (s->cap - 1))
        if (s->v[i] == id)
            return 0;
    s->v[i] = id;
    s->n++;
    return 0;
}

/* The set's ids packed to the front of v (the set is not used after this). */
static size_t idset_pack(idset *s)
{
    size_t n = 0;
    for (size_t k = 0; k < s->cap; k++)
        if (s->v[k])
            s->v[n++] = s->v[k];
    return n;
}

int ct_fleet__copy_events_new(ct_fleet_copy_events **out, ct_store *st)
{
    ct_fleet_copy_events *ce;
    bool any = false;
    int rc;

    *out = NULL;
    if (!(ce = ct_calloc(1, sizeof *ce)))
        return ct_error_set(CT_ENOMEM, "out of memory");
    ce->text = (ct_buf)CT_BUF_INIT;
    ce->events = (ct_buf)CT_BUF_INIT;
    ce->spans = (ct_buf)CT_BUF_INIT;
    ce->stage = (ct_buf)CT_BUF_INIT;
    ce->idx_saved = (ct_buf)CT_BUF_INIT;
    ce->ev_idx_saved = (ct_buf)CT_BUF_INIT;
    ce->pk_saved = (ct_buf)CT_BUF_INIT;
    if ((rc = ct_store__unit_max_id(&ce->max_id, st)) < 0 ||
        (rc = ct_store__pg_events_lock(st)) < 0 || /* first: the answer below holds */
        (rc = ct_store__events_any(&any, st)) < 0) {
        ct_fleet__copy_events_free(ce);
        return rc;
    }
    ce->stored_any = any;
    /* the first events of a large fleet: most spans are rewritten and every event is new,
     * index them afterwards (no duplicate events: each unit's rows are de-duplicated in C and
     * a unit goes straight in once; the staged rows wait for unit_event_once) */
    if (!any && ce->max_id >= CT_SPAN_REINDEX_MIN &&
        ((rc = ct_store__pg_span_indexes_drop(&ce->idx_dropped, st, &ce->idx_saved)) < 0 ||
         (rc = ct_store__pg_event_indexes_drop(&ce->ev_idx_dropped, st, &ce->ev_idx_saved)) <
             0 ||
         (rc = ct_store__pg_events_truncate(&ce->frozen, st)) < 0 ||
         (ce->frozen && ((rc = ct_store__pg_pkey_drop(st, "unit_event", &ce->pk_saved)) < 0 ||
                         (rc = ct_store__pg_pkey_drop(st, "unit_span", &ce->pk_saved)) < 0)))) {
        ct_fleet__copy_events_free(ce);
        return rc;
    }
    ce->froze = ce->frozen;
    if (ce->max_id > 0 && !(ce->seen = ct_calloc((size_t)(ce->max_id / 8) + 1, 1))) {
        ct_fleet__copy_events_free(ce);
        return ct_error_set(CT_ENOMEM, "out of memory");
    }
    *out = ce;
    return 0;
}

void ct_fleet__copy_events_free(ct_fleet_copy_events *ce)
{
    if (!ce)
        return;
    ct_free(ce->ev);
    ct_buf_dispose(&ce->text);
    ct_free(ce->units);
    ct_free(ce->seen);
    ct_buf_dispose(&ce->events);
    ct_buf_dispose(&ce->spans);
    ct_buf_dispose(&ce->stage);
    for (size_t i = 0; i < CT_NELEM(ce->refs); i++)
        ct_free(ce->refs[i].v);
    ct_free(ce->prods.v);
    ct_store__units_free(ce->recs, ce->nrecs);
    ct_free(ce->ids);
    ct_free(ce->sorted);
    ct_buf_dispose(&ce->idx_saved);
    ct_buf_dispose(&ce->ev_idx_saved);
    ct_buf_dispose(&ce->pk_saved);
    part_set_dispose(&ce->ps);
    ct_free(ce->cev);
    ct_free(ce);
}

static const char *nz(const char *s)
{
    return s && *s ? s : NULL;
}

/* The 14 columns of an event (unit_id .. param_set_id, as unit_event and the staging table
 * name them) and the row's end; an empty string is NULL (the direct path's strings are NULL or
 * non-empty already, text_off). */
static void put_event_cols(ct_buf *b, const ct_unit_event_rec *e)
{
    ct_copy_int(b, e->unit_id);
    ct_copy_int(b, e->product_id);
    ct_copy_int(b, e->time);
    ct_copy_text(b, e->kind);
    ct_copy_opt_int(b, e->from_release, 0);
    ct_copy_opt_int(b, e->to_release, 0);
    ct_copy_text(b, nz(e->detail));
    ct_copy_opt_int(b, e->customer_id, 0);
    ct_copy_text(b, nz(e->actor));
    ct_copy_text(b, nz(e->result));
    ct_copy_text(b, nz(e->rma));
    ct_copy_text(b, nz(e->other_serial));
    ct_copy_text(b, nz(e->hardware_revision));
    ct_copy_opt_int(b, e->param_set_id, 0);
    ct_copy_end_row(b);
}

/* One row for the staging table (ct_store__events_stage_flush's columns): its line, then the
 * event. */
static int stage_row(ct_fleet_copy_events *ce, ct_store *st, const ct_unit_event_rec *ev,
                     int64_t line)
{
    ct_buf *b = &ce->stage;
    ct_copy_int(b, line);
    put_event_cols(b, ev);
    if (b->failed)
        return ct_error_set(CT_ENOMEM, "out of memory");
    return b->len >= STAGE_FLUSH_BYTES ? ct_store__events_stage_flush(st, b) : 0;
}

static size_t text_off(ct_buf *t, const char *s)
{
    size_t off;
    if (!s || !*s)
        return 0;
    off = t->len + 1;
    ct_buf_put(t, s, strlen(s) + 1);
    return off;
}

/* The pending event with its strings pointing into the chunk's text. */
static void resolve(ct_unit_event_rec *out, const ct_fleet_copy_events *ce, const pend_ev *p)
{
    const char **f[F_N] = { &out->kind,   &out->detail,       &out->actor,
                            &out->result, &out->rma,          &out->other_serial,
                            &out->hardware_revision };
    *out = p->ev;
    for (int k = 0; k < F_N; k++)
        *f[k] = p->off[k] ? ce->text.ptr + p->off[k] - 1 : NULL;
}

static int mark_stored(void *arg, int64_t unit_id)
{
    ct_fleet_copy_events *ce = arg;
    for (size_t i = 0; i < ce->nunits; i++)
        if (ce->units[i].id == unit_id)
            ce->units[i].stored = true;
    return 0;
}

static int cmp_time_kind_pos(const void *a, const void *b)
{
    const ct_unit_event_rec *x = a, *y = b;
    int c;
    if (x->time != y->time)
        return x->time < y->time ? -1 : 1;
    if ((c = strcmp(x->kind, y->kind)) != 0)
        return c;
    return x->id < y->id ? -1 : x->id > y->id; /* id holds the file position here */
}

static int cmp_time_pos(const void *a, const void *b)
{
    const ct_unit_event_rec *x = a, *y = b;
    if (x->time != y->time)
        return x->time < y->time ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static int cmp_pos(const void *a, const void *b)
{
    const ct_unit_event_rec *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* The stored record of unit id among recs (sorted by id), or NULL. */
static const ct_unit_rec *find_rec(const ct_fleet_copy_events *ce, int64_t id)
{
    size_t lo = 0, hi = ce->nrecs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ce->recs[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < ce->nrecs && ce->recs[lo].id == id ? &ce->recs[lo] : NULL;
}

/* Read the stored records of the chunk's direct units: one range when their ids are dense,
 * else unit by unit. */
static int load_recs(ct_fleet_copy_events *ce, ct_store *st, const int64_t *ids, size_t n,
                     int64_t lo, int64_t hi)
{
    ct_store__units_free(ce->recs, ce->nrecs);
    ce->recs = NULL;
    ce->nrecs = 0;
    if (n == 0)
        return 0;
    if (hi - lo < (int64_t)(4 * n + 64))
        return ct_store__units_load_range(&ce->recs, &ce->nrecs, st, lo, hi);
    if (!(ce->recs = ct_calloc(n, sizeof *ce->recs)))
        return ct_error_set(CT_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) { /* ids are sorted: recs stay sorted */
        ct_unit_rec *one = NULL;
        size_t k = 0;
        int rc = ct_store__units_load_range(&one, &k, st, ids[i], ids[i]);
        if (rc < 0)
            return rc;
        if (k == 1) {
            ce->recs[ce->nrecs++] = one[0]; /* its strings move */
            ct_free(one);
        } else {
            ct_store__units_free(one, k);
        }
    }
    return 0;
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static void part_set_dispose(part_set *ps)
{
    for (size_t i = 0; i < ps->nparts; i++) {
        ct_free(ps->parts[i].rel);
        ct_buf_dispose(&ps->parts[i].rows);
    }
    ct_free(ps->parts);
    ct_free(ps->pp);
    memset(ps, 0, sizeof *ps);
}

/* The index into ps->parts of table's partition for product_id (products that share a
 * partition share its buffer). */
static int part_of(size_t *out, part_set *ps, ct_store *st, int table, int64_t product_id)
{
    char *rel = NULL;
    int rc;
    if ((rc = ct_store__pg_partition_of(&rel, st, pt_table[table], product_id)) < 0)
        return rc;
    for (size_t i = 0; i < ps->nparts; i++)
        if (ps->parts[i].table == table &&
            (rel && ps->parts[i].rel ? strcmp(rel, ps->parts[i].rel) == 0
                                     : !rel && !ps->parts[i].rel)) {
            ct_free(rel);
            *out = i;
            return 0;
        }
    part_buf *np = ct_reallocarray(ps->parts, ps->nparts + 1, sizeof *np);
    if (!np) {
        ct_free(rel);
        return ct_error_set(CT_ENOMEM, "out of memory");
    }
    ps->parts = np;
    ps->parts[ps->nparts] = (part_buf){ rel, table, CT_BUF_INIT };
    *out = ps->nparts++;
    return 0;
}

/* The buffer of table's partition for product_id (the catalog is asked once per product and
 * table); out and idx_out may be NULL. *out is valid until the next lookup (which may move
 * ps->parts). */
static int part_rows(ct_buf **out, size_t *idx_out, part_set *ps, ct_store *st, int table,
                     int64_t product_id)
{
    prod_part *p = NULL;
    int rc;
    for (size_t i = 0; i < ps->npp && !p; i++)
        if (ps->pp[i].product_id == product_id)
            p = &ps->pp[i];
    if (!p) {
        prod_part *npp = ct_reallocarray(ps->pp, ps->npp + 1, sizeof *npp);
        if (!npp)
            return ct_error_set(CT_ENOMEM, "out of memory");
        ps->pp = npp;
        p = &ps->pp[ps->npp++];
        p->product_id = product_id;
        for (int t = 0; t < PT_N; t++)
            p->part[t] = SIZE_MAX;
    }
    if (p->part[table] == SIZE_MAX && (rc = part_of(&p->part[table], ps, st, table,
                                                    product_id)) < 0)
        return rc;
    if (idx_out)
        *idx_out = p->part[table];
    if (out)
        *out = &ps->parts[p->part[table]].rows;
    return 0;
}

/* COPY the buffers that reached min bytes (0: all of them), with FREEZE when freeze. */
static int parts_flush(part_set *ps, ct_store *st, size_t min, bool freeze)
{
    int rc = 0;
    for (size_t i = 0; i < ps->nparts && rc == 0; i++) {
        part_buf *p = &ps->parts[i];
        if (p->rows.failed)
            return ct_error_set(CT_ENOMEM, "out of memory");
        if (!p->rows.len || p->rows.len < min)
            continue;
        switch (p->table) {
        case PT_EVENT:
            rc = ct_store__events_copy_frozen(st, p->rel, &p->rows);
            break;
        case PT_SPAN:
            rc = ct_store__spans_copy_part(st, p->rel, freeze, &p->rows);
            break;
        default:
            rc = ct_store__units_copy_part(st, p->rel, freeze, &p->rows);
            break;
        }
    }
    return rc;
}

/* One unit_event COPY row; id 0: without the id column (the sequence's default). */
static void put_event_row(ct_buf *b, const ct_unit_event_rec *e, int64_t id)
{
    if (id)
        ct_copy_int(b, id);
    put_event_cols(b, e);
}

/* The frozen path's events of a chunk, in the order one COPY into unit_event would have
 * numbered them: ids reserved for all at once, then each row into its partition's buffer. */
static int chunk_events_put(ct_fleet_copy_events *ce, ct_store *st)
{
    int64_t first = 0;
    int rc;
    if (ce->ncev == 0)
        return 0;
    if ((rc = ct_store__event_ids_reserve(&first, st, ce->ncev)) < 0)
        return rc;
    for (size_t i = 0; i < ce->ncev; i++)
        put_event_row(&ce->ps.parts[ce->cev[i].part].rows, &ce->cev[i].e, first + (int64_t)i);
    ce->ncev = 0;
    return 0;
}

/* Write the chunk: units with stored events to the staging table, the others straight into
 * unit_event (file order, duplicates dropped) with their spans. */
static int flush_chunk(ct_fleet_copy_events *ce, ct_store *st)
{
    size_t nd = 0;
    int64_t lo = INT64_MAX, hi = 0;
    int rc = 0;

    if (ce->nunits == 0)
        return 0;
    int64_t *nids = ct_reallocarray(ce->ids, ce->nunits, sizeof *nids);
    if (!nids)
        return ct_error_set(CT_ENOMEM, "out of memory");
    ce->ids = nids;
    for (size_t u = 0; u < ce->nunits; u++)
        ce->ids[u] = ce->units[u].id;
    if (ce->stored_any &&
        (rc = ct_store__units_with_events(st, ce->ids, ce->nunits, mark_stored, ce)) < 0)
        return rc;
    for (size_t u = 0; u < ce->nunits; u++) {
        pend_unit *pu = &ce->units[u];
        if (pu->stored) {
            for (size_t k = pu->first; k < pu->first + pu->n && rc == 0; k++) {
                ct_unit_event_rec ev;
                resolve(&ev, ce, &ce->ev[k]);
                rc = stage_row(ce, st, &ev, ce->ev[k].line);
            }
            if (rc < 0)
                return rc;
            continue;
        }
        ce->ids[nd++] = pu->id;
        lo = pu->id < lo ? pu->id : lo;
        hi = pu->id > hi ? pu->id : hi;
    }
    qsort(ce->ids, nd, sizeof *ce->ids, cmp_id);
    if ((rc = load_recs(ce, st, ce->ids, nd, lo, hi)) < 0)
        return rc;
    /* the old spans (a unit without events has its default span) go first; on the frozen
     * path unit_span was truncated (and kept aside for the units the file does not have) */
    if (ce->frozen)
        rc = 0;
    else if (nd && hi - lo + 1 == (int64_t)nd)
        rc = ct_store__spans_delete_range(st, lo, hi);
    else
        rc = ct_store__spans_delete_ids(st, ce->ids, nd);
    if (rc < 0)
        return rc;
    for (size_t u = 0; u < ce->nunits; u++) {
        pend_unit *pu = &ce->units[u];
        const ct_unit_rec *rec;
        size_t ev_part = 0;
        ct_unit_span *sp = NULL;
        size_t n = pu->n, nk = 0, ns = 0;
        ct_buf *b = &ce->events, *sb = &ce->spans;

        if (pu->stored)
            continue;
        /* the unit's row is read here anyway (for its spans): it is the reference check */
        if (!(rec = find_rec(ce, pu->id)) || rec->product_id != pu->product_id)
            return ct_error_set(CT_ENOTFOUND, "event refers to a missing unit (id %lld)",
                                (long long)pu->id);
        if (ce->frozen) {
            if ((rc = part_rows(NULL, &ev_part, &ce->ps, st, PT_EVENT, rec->product_id)) < 0 ||
                (rc = part_rows(&sb, NULL, &ce->ps, st, PT_SPAN, rec->product_id)) < 0)
                return rc;
        }
        if (n > ce->sorted_cap) {
            ct_unit_event_rec *ns2 = ct_reallocarray(ce->sorted, n, sizeof *ns2);
            if (!ns2)
                return ct_error_set(CT_ENOMEM, "out of memory");
            ce->sorted = ns2;
            ce->sorted_cap = n;
        }
        for (size_t k = 0; k < n; k++) {
            resolve(&ce->sorted[k], ce, &ce->ev[pu->first + k]);
            ce->sorted[k].id = (int64_t)k; /* file position, for the ties */
        }
        /* (unit, time, kind) is unique: the first row of each wins, as ON CONFLICT would */
        qsort(ce->sorted, n, sizeof *ce->sorted, cmp_time_kind_pos);
        for (size_t k = 0; k < n; k++) {
            if (nk && ce->sorted[nk - 1].time == ce->sorted[k].time &&
                strcmp(ce->sorted[nk - 1].kind, ce->sorted[k].kind) == 0)
                continue;
            ce->sorted[nk++] = ce->sorted[k];
        }
        /* ids follow file order (history ties are broken by id) */
        qsort(ce->sorted, nk, sizeof *ce->sorted, cmp_pos);
        for (size_t k = 0; k < nk; k++) {
            const ct_unit_event_rec *e = &ce->sorted[k];
            if (e->product_id != rec->product_id)
                return ct_error_set(CT_ENOTFOUND,
                                    "event refers to unit id %lld of another product",
                                    (long long)pu->id);
            if (ce->frozen) {
                /* written below, once the chunk's ids are reserved */
                if (ce->ncev == ce->cevcap) {
                    size_t ncap = ce->cevcap ? ce->cevcap * 2 : 4096;
                    chunk_ev *nc = ct_reallocarray(ce->cev, ncap, sizeof *nc);
                    if (!nc)
                        return ct_error_set(CT_ENOMEM, "out of memory");
                    ce->cev = nc;
                    ce->cevcap = ncap;
                }
                ce->cev[ce->ncev++] = (chunk_ev){ *e, ev_part };
            } else {
                put_event_row(b, e, 0);
            }
            if ((rc = idset_add(&ce->refs[CT_REF_RELEASE], e->from_release)) < 0 ||
                (rc = idset_add(&ce->refs[CT_REF_RELEASE], e->to_release)) < 0 ||
                (rc = idset_add(&ce->refs[CT_REF_CUSTOMER], e->customer_id)) < 0 ||
                (rc = idset_add(&ce->refs[CT_REF_PARAM_SET], e->param_set_id)) < 0)
                return rc;
        }
        ce->inserted += nk;
        qsort(ce->sorted, nk, sizeof *ce->sorted, cmp_time_pos);
        if ((rc = ct_fleet_spans(&sp, &ns, rec, ce->sorted, nk)) < 0)
            return rc;
        for (size_t s = 0; s < ns && rc == 0; s++)
            rc = ct_store__span_put(st, sb, rec, &sp[s]);
        ct_free(sp);
        if (rc < 0)
            return rc;
    }
    if (ce->events.failed)
        return ct_error_set(CT_ENOMEM, "out of memory");
    if ((rc = ct_store__events_copy(st, &ce->events)) < 0 ||
        (rc = ct_store__spans_flush(st, &ce->spans)) < 0 ||
        (ce->frozen && ((rc = chunk_events_put(ce, st)) < 0 ||
                        (rc = parts_flush(&ce->ps, st, FROZEN_FLUSH_BYTES, true)) < 0)))
        return rc;
    ce->nunits = 0;
    ce->nev = 0;
    ct_buf_reset(&ce->text);
    return 0;
}

int ct_fleet__copy_events_add(ct_fleet_copy_events *ce, ct_store *st, const ct_unit_event_rec *ev,
                              int64_t line)
{
    pend_ev *p;
    int rc;

    if (ev->unit_id != ce->run_unit) {
        int64_t id = ev->unit_id;
        ce->run_unit = id;
        ce->run_direct = false;
        if ((rc = idset_add(&ce->prods, ev->product_id)) < 0)
            return rc;
        if (id >= 1 && id <= ce->max_id && !(ce->seen[id / 8] & (1u << (id % 8)))) {
            ce->seen[id / 8] |= (uint8_t)(1u << (id % 8));
            ce->run_direct = true;
            if (ce->nunits == COPY_CHUNK_UNITS && (rc = flush_chunk(ce, st)) < 0)
                return rc;
            if (ce->nunits == ce->ucap) {
                size_t ncap = ce->ucap ? ce->ucap * 2 : 256;
                pend_unit *nu = ct_reallocarray(ce->units, ncap, sizeof *nu);
                if (!nu)
                    return ct_error_set(CT_ENOMEM, "out of memory");
                ce->units = nu;
                ce->ucap = ncap;
            }
            ce->units[ce->nunits++] = (pend_unit){ id, ev->product_id, ce->nev, 0, false };
        }
    }
    /* met before in this file (or not a unit id the store had): the staging table decides */
    if (!ce->run_direct)
        return stage_row(ce, st, ev, line);
    if (ce->nev == ce->evcap) {
        size_t ncap = ce->evcap ? ce->evcap * 2 : 4096;
        pend_ev *ne = ct_reallocarray(ce->ev, ncap, sizeof *ne);
        if (!ne)
            return ct_error_set(CT_ENOMEM, "out of memory");
        ce->ev = ne;
        ce->evcap = ncap;
    }
    p = &ce->ev[ce->nev++];
    p->ev = *ev;
    p->line = line;
    p->off[F_KIND] = text_off(&ce->text, ev->kind);
    p->off[F_DETAIL] = text_off(&ce->text, ev->detail);
    p->off[F_ACTOR] = text_off(&ce->text, ev->actor);
    p->off[F_RESULT] = text_off(&ce->text, ev->result);
    p->off[F_RMA] = text_off(&ce->text, ev->rma);
    p->off[F_OTHER] = text_off(&ce->text, ev->other_serial);
    p->off[F_HW] = text_off(&ce->text, ev->hardware_revision);
    ce->units[ce->nunits - 1].n++;
    return ce->text.failed ? ct_error_set(CT_ENOMEM, "out of memory") : 0;
}

/* The frozen path's last rows, then the kept spans of the units the file did not have (ids up
 * to the largest when the import began; ids that are no unit match no kept span). */
static int kept_spans_restore(ct_fleet_copy_events *ce, ct_store *st)
{
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    int rc;
    if ((rc = parts_flush(&ce->ps, st, 0, true)) < 0)
        return rc;
    for (int64_t id = 1; id <= ce->max_id; id++) {
        if (ce->seen[id / 8] & (1u << (id % 8)))
            continue;
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 1024;
            int64_t *ni = ct_reallocarray(ids, ncap, sizeof *ni);
            if (!ni) {
                ct_free(ids);
                return ct_error_set(CT_ENOMEM, "out of memory");
            }
            ids = ni;
            cap = ncap;
        }
        ids[n++] = id;
    }
    rc = ct_store__pg_kept_spans_restore(st, ids, n);
    ct_free(ids);
    ce->frozen = false;
    /* the primary keys back (a sorted build each, by the backend alone: the saved statements
     * set the workers per index) before anything reads by them */
    if (rc == 0 && ce->pk_saved.len &&
        ((rc = ct_store__pg_maintenance_mem(st)) < 0 ||
         (rc = ct_store__pg_indexes_restore(st, &ce->pk_saved, "unit_event and unit_span "
                                                               "primary key")) < 0))
        return rc;
    return rc;
}

int ct_fleet__copy_events_finish(ct_fleet_copy_events *ce, ct_store *st, uint64_t *inserted_out,
                                 int64_t **touched_out, size_t *ntouched_out)
{
    static const char *const what[] = { "release", "customer", "parameter set" };
    uint64_t staged = 0;
    int rc;

    *inserted_out = 0;
    *touched_out = NULL;
    *ntouched_out = 0;
    if ((rc = flush_chunk(ce, st)) < 0 || (ce->frozen && (rc = kept_spans_restore(ce, st)) < 0))
        return rc;
    /* the ids written straight into unit_event, checked as sets (migration 0017) */
    for (int k = 0; k < (int)CT_NELEM(ce->refs); k++) {
        int64_t missing = 0;
        size_t n = idset_pack(&ce->refs[k]);
        if ((rc = ct_store__event_refs_missing(&missing, st, k, ce->refs[k].v, n)) < 0)
            return rc;
        if (missing)
            return ct_error_set(CT_ENOTFOUND, "an event refers to a missing %s (id %lld)",
                                what[k], (long long)missing);
    }
    if ((ce->idx_dropped || ce->ev_idx_dropped) && (rc = ct_store__pg_maintenance_mem(st)) < 0)
        return rc;
    if (ce->ev_idx_dropped) {
        ce->ev_idx_dropped = false;
        if ((rc = ct_store__pg_indexes_restore(st, &ce->ev_idx_saved, "unit_event")) < 0)
            return rc;
    }
    if ((rc = ct_store__events_stage_flush(st, &ce->stage)) < 0 ||
        (rc = ct_store__events_stage_apply(st, &staged, touched_out, ntouched_out)) < 0)
        return rc;
    if (ce->idx_dropped) {
        ce->idx_dropped = false;
        if ((rc = ct_store__span_indexes_restore(st, &ce->idx_saved)) < 0)
            return rc;
    }
    /* a large import: statistics for the first queries after it (docs/fleet.md) */
    if (ce->inserted + staged >= CT_PG_ANALYZE_MIN_ROWS &&
        (rc = ct_store__pg_analyze_fleet(st, false)) < 0)
        return rc;
    /* ... and, unless its rows went in frozen, a VACUUM of the partitions it wrote once it
     * has committed (the visibility map: index-only scans right after the import) */
    if (!ce->froze && ce->inserted + staged >= CT_PG_ANALYZE_MIN_ROWS) {
        size_t n = idset_pack(&ce->prods);
        if ((rc = ct_store__pg_vacuum_later(st, "unit_event", ce->prods.v, n)) < 0 ||
            (rc = ct_store__pg_vacuum_later(st, "unit_span", ce->prods.v, n)) < 0)
            return rc;
    }
    *inserted_out = ce->inserted + staged;
    return 0;
}

/* ---- units by COPY straight into unit (migration 0022) --------------------------------- */

/* Ids reserved from unit's sequence per query; rows sent per COPY. */
#define UNIT_IDS_CHUNK 65536
#define UNIT_COPY_BYTES ((size_t)8 << 20)

struct ct_fleet_copy_units {
    ct_buf units, spans;
    int64_t *ids; /* reserved, ids[next..nids) unused */
    size_t next, nids;
    uint64_t added;
    idset refs[4]; /* CT_REF_RELEASE, CT_REF_CUSTOMER, (unused), CT_REF_PRODUCT */
    bool fresh;       /* the store had no unit when the import began */
    bool idx_dropped; /* unit_span's and unit's secondary indexes, re-created by finish */
    ct_buf idx_saved, unit_idx_saved;
    /* fresh: rows wait per partition (units and spans) in ps, none sent before the
     * CT_SPAN_REINDEX_MIN-th unit; from there on, when frozen (unit and unit_span truncated by
     * this transaction, their keys dropped into keys_saved), they go by COPY ... FREEZE */
    part_set ps;
    bool frozen;
    ct_buf keys_saved;
};

int ct_fleet__copy_units_new(ct_fleet_copy_units **out, ct_store *st)
{
    ct_fleet_copy_units *cu;
    int64_t max_id = 0;
    int rc;
    *out = NULL;
    if ((rc = ct_store__unit_max_id(&max_id, st)) < 0)
        return rc;
    if (!(cu = ct_calloc(1, sizeof *cu)))
        return ct_error_set(CT_ENOMEM, "out of memory");
    cu->units = (ct_buf)CT_BUF_INIT;
    cu->spans = (ct_buf)CT_BUF_INIT;
    cu->idx_saved = (ct_buf)CT_BUF_INIT;
    cu->unit_idx_saved = (ct_buf)CT_BUF_INIT;
    cu->keys_saved = (ct_buf)CT_BUF_INIT;
    cu->fresh = max_id == 0;
    *out = cu;
    return 0;
}

void ct_fleet__copy_units_free(ct_fleet_copy_units *cu)
{
    if (!cu)
        return;
    ct_buf_dispose(&cu->units);
    ct_buf_dispose(&cu->spans);
    ct_buf_dispose(&cu->idx_saved);
    ct_buf_dispose(&cu->unit_idx_saved);
    ct_buf_dispose(&cu->keys_saved);
    part_set_dispose(&cu->ps);
    ct_free(cu->ids);
    for (size_t i = 0; i < CT_NELEM(cu->refs); i++)
        ct_free(cu->refs[i].v);
    ct_free(cu);
}

static int copy_units_flush(ct_fleet_copy_units *cu, ct_store *st)
{
    int rc;
    if (cu->fresh)
        return parts_flush(&cu->ps, st, 0, cu->frozen);
    if ((rc = ct_store__units_copy(st, &cu->units)) < 0)
        return rc;
    return ct_store__spans_flush(st, &cu->spans);
}

/* A fresh fleet's CT_SPAN_REINDEX_MIN-th unit (nothing sent yet): the secondary indexes of
 * unit_span and unit go; unit and unit_span are truncated when still empty, and then their
 * keys go too (built once at the end; the rows go frozen). */
static int copy_units_large(ct_fleet_copy_units *cu, ct_store *st)
{
    bool unit_dropped = false;
    int rc;
    /* a default span per unit into unit_span's secondary indexes cost about 20 us each (a
     * random insert per index), building them once at the end about 4 us in all; unit's two
     * plain indexes likewise (docs/PERFORMANCE.md, fleetpg2) */
    if ((rc = ct_store__pg_units_truncate(&cu->frozen, st)) < 0 ||
        (rc = ct_store__pg_span_indexes_drop(&cu->idx_dropped, st, &cu->idx_saved)) < 0 ||
        (rc = ct_store__pg_unit_indexes_drop(&unit_dropped, st, &cu->unit_idx_saved)) < 0)
        return rc;
    cu->idx_dropped = cu->idx_dropped || unit_dropped;
    /* unique by construction: ids from the sequence, (product, serial) checked in C (a serial
     * given twice in the file is a row error) */
    if (cu->frozen && ((rc = ct_store__pg_keys_drop(st, "unit", &cu->keys_saved)) < 0 ||
                       (rc = ct_store__pg_pkey_drop(st, "unit_span", &cu->keys_saved)) < 0))
        return rc;
    return 0;
}

int ct_fleet__copy_units_add(int64_t *id_out, ct_fleet_copy_units *cu, ct_store *st,
                             int64_t product_id, const char *serial, const char *hardware_revision,
                             int64_t release_id, int64_t customer_id, ct_time manufactured,
                             const char *state)
{
    ct_buf *b = &cu->units;
    ct_unit_rec rec;
    ct_unit_span sp;
    ct_buf *sb = &cu->spans;
    int64_t id;
    int rc;

    if (cu->fresh) {
        size_t ub = 0, sbi = 0; /* indexes: a lookup may move cu->ps.parts */
        if ((rc = part_rows(NULL, &ub, &cu->ps, st, PT_UNIT, product_id)) < 0 ||
            (rc = part_rows(NULL, &sbi, &cu->ps, st, PT_SPAN, product_id)) < 0)
            return rc;
        b = &cu->ps.parts[ub].rows;
        sb = &cu->ps.parts[sbi].rows;
    }
    if (cu->next == cu->nids) {
        /* as many as written so far (64 at first, at most UNIT_IDS_CHUNK): a small import
         * leaves few unused ids behind */
        size_t n = cu->added < 64 ? 64 : cu->added < UNIT_IDS_CHUNK ? (size_t)cu->added
                                                                    : UNIT_IDS_CHUNK;
        if (!cu->ids && !(cu->ids = ct_calloc(UNIT_IDS_CHUNK, sizeof *cu->ids)))
            return ct_error_set(CT_ENOMEM, "out of memory");
        if ((rc = ct_store__unit_ids_reserve(cu->ids, st, n)) < 0)
            return rc;
        cu->next = 0;
        cu->nids = n;
    }
    id = cu->ids[cu->next++];
    state = nz(state) ? state : "in_service";
    ct_copy_int(b, id);
    ct_copy_int(b, product_id);
    ct_copy_text(b, serial);
    ct_copy_text(b, nz(hardware_revision));
    ct_copy_opt_int(b, release_id, 0);
    ct_copy_opt_int(b, customer_id, 0);
    ct_copy_opt_int(b, manufactured, CT_TIME_NONE);
    ct_copy_text(b, state);
    ct_copy_end_row(b);
    if (b->failed)
        return ct_error_set(CT_ENOMEM, "out of memory");
    /* its one history span: the registered record (as SPAN_DEFAULT_INSERT writes it) */
    memset(&rec, 0, sizeof rec);
    rec.id = id;
    rec.product_id = product_id;
    sp = (ct_unit_span){ manufactured == CT_TIME_NONE ? 0 : manufactured,
                         CT_TIME_NONE,
                         release_id,
                         customer_id,
                         0,
                         state,
                         nz(hardware_revision) };
    if ((rc = ct_store__span_put(st, sb, &rec, &sp)) < 0 ||
        (rc = idset_add(&cu->refs[CT_REF_PRODUCT], product_id)) < 0 ||
        (rc = idset_add(&cu->refs[CT_REF_RELEASE], release_id)) < 0 ||
        (rc = idset_add(&cu->refs[CT_REF_CUSTOMER], customer_id)) < 0)
        return rc;
    cu->added++;
    *id_out = id;
    if (!cu->fresh)
        return b->len + sb->len >= UNIT_COPY_BYTES ? copy_units_flush(cu, st) : 0;
    /* a fresh fleet: nothing is sent before its size is known to be large */
    if (cu->added < CT_SPAN_REINDEX_MIN)
        return 0;
    if (cu->added == CT_SPAN_REINDEX_MIN && (rc = copy_units_large(cu, st)) < 0)
        return rc;
    return parts_flush(&cu->ps, st, FROZEN_FLUSH_BYTES, cu->frozen);
}

int ct_fleet__copy_units_finish(ct_fleet_copy_units *cu, ct_store *st, uint64_t *added_out)
{
    static const int kinds[] = { CT_REF_PRODUCT, CT_REF_RELEASE, CT_REF_CUSTOMER };
    static const char *const what[] = { "product", "release", "customer" };
    size_t nprod = 0;
    int rc;

    *added_out = 0;
    if ((rc = copy_units_flush(cu, st)) < 0)
        return rc;
    /* the ids written straight into unit, checked as sets (migration 0022) */
    for (size_t k = 0; k < CT_NELEM(kinds); k++) {
        int64_t missing = 0;
        size_t n = idset_pack(&cu->refs[kinds[k]]);
        if (kinds[k] == CT_REF_PRODUCT)
            nprod = n;
        if ((rc = ct_store__event_refs_missing(&missing, st, kinds[k], cu->refs[kinds[k]].v,
                                               n)) < 0)
            return rc;
        if (missing)
            return ct_error_set(CT_ENOTFOUND, "a unit refers to a missing %s (id %lld)",
                                what[k], (long long)missing);
    }
    /* the keys first (unit's, then unit_span's; without parallel workers), then the rest */
    if (cu->keys_saved.len &&
        ((rc = ct_store__pg_maintenance_mem(st)) < 0 ||
         (rc = ct_store__pg_indexes_restore(st, &cu->keys_saved, "unit and unit_span key")) < 0))
        return rc;
    if (cu->idx_dropped) {
        cu->idx_dropped = false;
        if ((rc = ct_store__pg_maintenance_mem(st)) < 0 ||
            (rc = ct_store__pg_indexes_restore(st, &cu->unit_idx_saved, "unit")) < 0 ||
            (rc = ct_store__pg_indexes_restore(st, &cu->idx_saved, "unit_span")) < 0)
            return rc;
    }
    if (cu->added >= CT_PG_ANALYZE_MIN_ROWS && (rc = ct_store__pg_analyze_fleet(st, true)) < 0)
        return rc;
    /* rows that did not go in frozen: a VACUUM of their partitions after the commit */
    if (!cu->frozen && cu->added >= CT_PG_ANALYZE_MIN_ROWS &&
        ((rc = ct_store__pg_vacuum_later(st, "unit", cu->refs[CT_REF_PRODUCT].v, nprod)) < 0 ||
         (rc = ct_store__pg_vacuum_later(st, "unit_span", cu->refs[CT_REF_PRODUCT].v, nprod)) <
             0))
        return rc;
    *added_out = cu->added;
    return 0;
}

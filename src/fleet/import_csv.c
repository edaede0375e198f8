/* Fleet CSV imports (units, customers, unit events): header mapping, per-row located errors,
 * all-or-nothing in one transaction, idempotent re-import. */
#include "cratrace/store.h"
#include "cratrace/fleet.h"
#include "csv.h"
#include "fleet_bulk.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

/* A map from string keys to ids, keys kept in an arena: the lookup caches of one import. */
typedef struct arena_block {
    struct arena_block *next;
    size_t used, cap;
    char data[];
} arena_block;

typedef struct {
    const char *key;
    int64_t val;
} idmap_slot;

typedef struct {
    idmap_slot *slots;
    size_t cap, used;
    arena_block *arena;
} idmap;

static const char *arena_dup(arena_block **a, const char *s, size_t n)
{
    if (!*a || (*a)->cap - (*a)->used < n + 1) {
        size_t cap = n + 1 > (1u << 20) ? n + 1 : (1u << 20);
        arena_block *b = ct_malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->next = *a;
        b->used = 0;
        b->cap = cap;
        *a = b;
    }
    char *p = (*a)->data + (*a)->used;
    memcpy(p, s, n);
    p[n] = '\0';
    (*a)->used += n + 1;
    return p;
}

static const idmap_slot *idmap_get(const idmap *m, const char *key)
{
    if (!m->cap)
        return NULL;
    for (size_t i = fnv(key) & (m->cap - 1); m->slots[i].key; i = (i + 1) & (m->cap - 1))
        if (strcmp(m->slots[i].key, key) == 0)
            return &m->slots[i];
    return NULL;
}

static int idmap_put(idmap *m, const char *key, int64_t val)
{
    idmap_slot *sl;
    size_t i;
    if (m->used * 2 >= m->cap) {
        size_t ncap = m->cap ? m->cap * 2 : 256;
        idmap_slot *ns = ct_calloc(ncap, sizeof *ns);
        if (!ns)
            return ct_error_set(CT_ENOMEM, "out of memory");
        for (size_t k = 0; k < m->cap; k++) {
            if (!m->slots[k].key)
                continue;
            size_t j = fnv(m->slots[k].key) & (ncap - 1);
            while (ns[j].key)
                j = (j + 1) & (ncap - 1);
            ns[j] = m->slots[k];
        }
        ct_free(m->slots);
        m->slots = ns;
        m->cap = ncap;
    }
    for (i = fnv(key) & (m->cap - 1); m->slots[i].key; i = (i + 1) & (m->cap - 1)) {
        if (strcmp(m->slots[i].key, key) == 0) {
            m->slots[i].val = val;
            return 0;
        }
    }
    sl = &m->slots[i];
    if (!(sl->key = arena_dup(&m->arena, key, strlen(key))))
        return ct_error_set(CT_ENOMEM, "out of memory");
    sl->val = val;
    m->used++;
    return 0;
}

static void idmap_free(idmap *m)
{
    while (m->arena) {
        arena_block *n = m->arena->next;
        ct_free(m->arena);
        m->arena = n;
    }
    ct_free(m->slots);
    memset(m, 0, sizeof *m);
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
    char *data; /* the current chunk of the file: [0, cut) is being parsed, [cut, len) waits */
    size_t len, cap, cut;
    int64_t base; /* file offset of data[0] */
    FILE *f;
    bool eof;
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

/* The input is read in chunks of about CSV_CHUNK bytes, each cut after the last line end that
 * lies outside quotes, so that memory stays flat however large the file is. */
#define CSV_CHUNK ((size_t)8 << 20)

/* Read more of the file and find the next cut; 0 or a CT_E* code. */
static int csv_fill(csv_job *j, const char *path)
{
    for (;;) {
        size_t last = 0;
        bool quoted = false, found = false;
        for (size_t i = 0; i < j->len; i++) {
            char ch = j->data[i];
            if (ch == '"')
                quoted = !quoted;
            else if (ch == '\n' && !quoted) {
                last = i + 1;
                found = true;
            }
        }
        if (j->eof) {
            j->cut = j->len;
            return 0;
        }
        if (found && j->len >= CSV_CHUNK / 2) {
            j->cut = last;
            return 0;
        }
        if (j->cap - j->len < CSV_CHUNK / 2) {
            size_t ncap = j->cap ? j->cap * 2 : CSV_CHUNK;
            char *nd = ct_reallocarray(j->data, ncap, 1);
            if (!nd)
                return ct_error_set(CT_ENOMEM, "out of memory");
            j->data = nd;
            j->cap = ncap;
        }
        size_t n = fread(j->data + j->len, 1, j->cap - j->len, j->f);
        j->len += n;
        if (n == 0) {
            if (ferror(j->f)) {
                ct_loc loc = { path, 0, 0, -1, NULL };
                return ct_error_set_at(&loc, CT_EIO, "read error: %s", strerror(errno));
            }
            j->eof = true;
        }
    }
}

/* The next row of the file (1), the end (0) or an error. */
static int next_row(csv_job *j)
{
    int rc;
    while ((rc = ct_csv_next(&j->csv)) == 0 && !(j->eof && j->cut == j->len)) {
        memmove(j->data, j->data + j->cut, j->len - j->cut);
        j->base += (int64_t)j->cut;
        j->len -= j->cut;
        j->cut = 0;
        if ((rc = csv_fill(j, j->csv.source)) < 0)
            return rc;
        ct_csv_feed(&j->csv, j->data, j->cut, j->base);
    }
    return rc;
}

static int open_csv(csv_job *j, ct_store *st, const char *path, const char *const *cols,
                    size_t ncols, size_t nrequired, const ct_import_options *opts)
{
    const ct_ctx *ctx = ct_store_ctx(st);
    int rc;

    memset(j, 0, sizeof *j);
    j->rejects = (ct_buf)CT_BUF_INIT;
    j->opts = opts;
    if (strcmp(path, "-") == 0) {
        j->f = stdin;
    } else if (!(j->f = fopen(path, "rb"))) {
        ct_loc loc = { path, 0, 0, -1, NULL };
        return ct_error_set_at(&loc, errno == ENOENT ? CT_ENOTFOUND : CT_EIO, "cannot open: %s",
                               strerror(errno));
    }
    if ((rc = csv_fill(j, path)) < 0)
        return rc;
    ct_csv_init(&j->csv, j->data ? j->data : "", j->cut, path,
                ct_ctx_limits(ctx)->max_string_bytes);
    if ((rc = next_row(j)) < 0)
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
    /* fleetpg8: once committed, PostgreSQL vacuums the partitions a large import wrote
     * unfrozen (store/fleet_store.c; a failure there is a warning, the import stands) */
    return ct_store__pg_vacuum_after_commit(st, ct_store_commit(st));
}

static void close_csv(csv_job *j)
{
    ct_csv_dispose(&j->csv);
    ct_buf_dispose(&j->rejects);
    ct_free(j->data);
    if (j->f && j->f != stdin)
        fclose(j->f);
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
    while ((rc = next_row(&j)) == 1)
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

/* The lookups of one import, cached: products, releases, customers, parameter sets and units
 * are each asked of the store once. A product's units are read all at once after
 * UNIT_BULK_AFTER single lookups (large imports), so that per-row lookups stay in memory. */
#define UNIT_BULK_AFTER 512
#define STAGE_FLUSH ((size_t)8 << 20)

typedef struct {
    int64_t product_id;
    size_t misses;
    bool loaded;
} unit_product;

/* The SQLite events import runs its reading, checks and lookups on a second thread (the
 * reader, below: ev_pipe) while the calling thread writes. Both use the one connection, never at
 * the same time: the reader asks for it (req) and the writer hands it over between two batches of
 * rows (writer: the writer holds it; reader: the reader does). */
typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t cv; /* any change below */
    bool req, reader, writer;
} store_gate;

static void gate_reader_enter(store_gate *g)
{
    if (!g)
        return;
    pthread_mutex_lock(&g->mu);
    g->req = true;
    while (g->writer)
        pthread_cond_wait(&g->cv, &g->mu);
    g->req = false;
    g->reader = true;
    pthread_mutex_unlock(&g->mu);
}

static void gate_reader_leave(store_gate *g)
{
    if (!g)
        return;
    pthread_mutex_lock(&g->mu);
    g->reader = false;
    pthread_cond_broadcast(&g->cv);
    pthread_mutex_unlock(&g->mu);
}

typedef struct {
    idmap products, releases, customers, params, units;
    unit_product *up;
    size_t nup;
    ct_buf key;
    store_gate *gate; /* NULL: the import has one thread */
} lookups;

static void lookups_free(lookups *lk)
{
    idmap_free(&lk->products);
    idmap_free(&lk->releases);
    idmap_free(&lk->customers);
    idmap_free(&lk->params);
    idmap_free(&lk->units);
    ct_free(lk->up);
    ct_buf_dispose(&lk->key);
}

static const char *id_key(lookups *lk, int64_t id, const char *name)
{
    ct_buf_reset(&lk->key);
    ct_buf_printf(&lk->key, "%lld\x1f%s", (long long)id, name);
    return lk->key.failed ? NULL : lk->key.ptr;
}

static int product_id(int64_t *out, ct_store *st, lookups *lk, const csv_job *j,
                      const char *name)
{
    const idmap_slot *sl = idmap_get(&lk->products, name);
    if (sl) {
        *out = sl->val;
        return 0;
    }
    gate_reader_enter(lk->gate);
    int rc = ct_store_product_find(out, st, name);
    gate_reader_leave(lk->gate);
    if (rc < 0)
        return row_error(&j->csv, CT_EPARSE, "unknown product '%s'", name);
    return idmap_put(&lk->products, name, *out);
}

static int release_id(int64_t *out, ct_store *st, lookups *lk, int64_t product,
                      const csv_job *j, const char *version)
{
    const char *key;
    const idmap_slot *sl;
    *out = 0;
    if (!*version)
        return 0;
    if (!(key = id_key(lk, product, version)))
        return ct_error_set(CT_ENOMEM, "out of memory");
    if ((sl = idmap_get(&lk->releases, key))) {
        *out = sl->val;
        return 0;
    }
    gate_reader_enter(lk->gate);
    int rc = ct_store_release_find(out, st, product, version);
    gate_reader_leave(lk->gate);
    if (rc < 0)
        return row_error(&j->csv, CT_EPARSE,
                         "unit points at a missing release '%s' of its product", version);
    return idmap_put(&lk->releases, id_key(lk, product, version), *out);
}

/* 0 with *out set, or CT_ENOTFOUND (error cleared: the caller words the row error). */
static int customer_id(int64_t *out, ct_store *st, lookups *lk, const char *code)
{
    const idmap_slot *sl = idmap_get(&lk->customers, code);
    if (sl) {
        *out = sl->val;
        return 0;
    }
    gate_reader_enter(lk->gate);
    int rc = ct_store_customer_find(out, st, code);
    gate_reader_leave(lk->gate);
    if (rc < 0) {
        if (ct_error_last()->code != CT_ENOTFOUND)
            return ct_error_last()->code;
        ct_error_clear();
        return CT_ENOTFOUND;
    }
    return idmap_put(&lk->customers, code, *out);
}

static int unit_loaded(void *arg, const char *serial, int64_t id)
{
    lookups *lk = arg;
    const idmap_slot *sl;
    const char *key = id_key(lk, lk->up[lk->nup - 1].product_id, serial);
    if (!key)
        return ct_error_set(CT_ENOMEM, "out of memory");
    sl = idmap_get(&lk->units, key);
    return sl ? 0 : idmap_put(&lk->units, key, id);
}

/* A unit of a product by serial: 0 with *out set, CT_ENOTFOUND (no error set) when unknown. */
static int unit_id(int64_t *out, ct_store *st, lookups *lk, int64_t product, const char *serial)
{
    const char *key = id_key(lk, product, serial);
    const idmap_slot *sl;
    unit_product *p = NULL;
    int rc;

    if (!key)
        return ct_error_set(CT_ENOMEM, "out of memory");
    if ((sl = idmap_get(&lk->units, key))) {
        *out = sl->val;
        return 0;
    }
    for (size_t i = 0; i < lk->nup; i++)
        if (lk->up[i].product_id == product)
            p = &lk->up[i];
    if (!p) {
        unit_product *np = ct_reallocarray(lk->up, lk->nup + 1, sizeof *np);
        if (!np)
            return ct_error_set(CT_ENOMEM, "out of memory");
        lk->up = np;
        p = &lk->up[lk->nup++];
        memset(p, 0, sizeof *p);
        p->product_id = product;
    }
    if (p->loaded)
        return CT_ENOTFOUND;
    if (++p->misses > UNIT_BULK_AFTER) {
        /* keep the product being loaded last, where unit_loaded finds it */
        unit_product tmp = *p;
        *p = lk->up[lk->nup - 1];
        lk->up[lk->nup - 1] = tmp;
        gate_reader_enter(lk->gate);
        rc = ct_store__units_of_product(st, product, unit_loaded, lk);
        gate_reader_leave(lk->gate);
        if (rc < 0)
            return rc;
        lk->up[lk->nup - 1].loaded = true;
        if (!(key = id_key(lk, product, serial)))
            return ct_error_set(CT_ENOMEM, "out of memory");
        if ((sl = idmap_get(&lk->units, key))) {
            *out = sl->val;
            return 0;
        }
        return CT_ENOTFOUND;
    }
    gate_reader_enter(lk->gate);
    rc = ct_store_unit_find(out, st, product, serial);
    gate_reader_leave(lk->gate);
    if (rc < 0) {
        if (ct_error_last()->code != CT_ENOTFOUND)
            return ct_error_last()->code;
        ct_error_clear();
        return CT_ENOTFOUND;
    }
    return idmap_put(&lk->units, id_key(lk, product, serial), *out);
}

typedef struct {
    strset seen;
    lookups lk;
    ct_buf key;
    ct_buf stage; /* COPY rows not yet sent (PostgreSQL) */
    bool staged;
    bool journal; /* SQLite: this import runs with a rollback journal (an empty fleet) */
    int64_t nstaged;
    int64_t max_id; /* SQLite: units with a higher id are new in this import */
    ct_fleet_copy_units *cu; /* PostgreSQL: units not in the store, by COPY into unit */
    size_t added;     /* SQLite: units inserted (a store without units) */
    bool idx_dropped; /* SQLite: unit's secondary indexes, created again at the end */
    ct_buf idx_saved;
} units_job;

static bool unit_same(const ct_unit_rec *u, const char *hw, int64_t rid, int64_t cid,
                      ct_time made, const char *state)
{
    return u->release_id == rid && u->customer_id == cid && u->manufactured == made &&
           strcmp(u->state, *state ? state : "in_service") == 0 &&
           strcmp(u->hardware_revision ? u->hardware_revision : "", hw) == 0;
}

static int unit_row(csv_job *j, units_job *uj, ct_store *st, ct_import_stats *stats)
{
    int64_t pid, rid, cid = 0;
    ct_time made;
    const char *state = col(j, 6);
    ct_unit_rec u;
    int rc;

    if ((rc = check_width(j)) < 0)
        return rc;
    if (!*col(j, 0))
        return row_error(&j->csv, CT_EPARSE, "empty %s", "serial");
    ct_buf_reset(&uj->key);
    ct_buf_printf(&uj->key, "%s\x1f%s", col(j, 1), col(j, 0));
    if (uj->key.failed)
        return ct_error_set(CT_ENOMEM, "out of memory");
    if ((rc = strset_add(&uj->seen, uj->key.ptr)) <= 0)
        return rc < 0 ? rc
                      : row_error(&j->csv, CT_EPARSE, "duplicate serial number '%s' in this file",
                                  col(j, 0));
    if (*state && !one_of(state, unit_states, CT_NELEM(unit_states)))
        return row_error(&j->csv, CT_EPARSE,
                         "invalid state '%s' (expected in_stock, shipped, in_service, in_rma, "
                         "replaced or decommissioned)",
                         state);
    if ((rc = product_id(&pid, st, &uj->lk, j, col(j, 1))) < 0 ||
        (rc = release_id(&rid, st, &uj->lk, pid, j, col(j, 3))) < 0 ||
        (rc = parse_opt_time(&made, j, col(j, 5), "manufactured")) < 0)
        return rc;
    if (*col(j, 4) && (rc = customer_id(&cid, st, &uj->lk, col(j, 4))) < 0)
        return rc == CT_ENOTFOUND
                   ? row_error(&j->csv, CT_EPARSE, "unknown customer '%s'", col(j, 4))
                   : rc;
    if (uj->staged) {
        /* PostgreSQL: a unit not in the store goes by COPY straight into unit (migration
         * 0022); a stored one is staged, and the store compares and writes those at the end */
        ct_buf *b = &uj->stage;
        int64_t uid = 0;
        rc = uj->max_id ? unit_id(&uid, st, &uj->lk, pid, col(j, 0)) : CT_ENOTFOUND;
        if (rc == CT_ENOTFOUND) {
            if ((rc = ct_fleet__copy_units_add(&uid, uj->cu, st, pid, col(j, 0), col(j, 2), rid,
                                               cid, made, state)) < 0)
                return rc;
            if (stats)
                stats->records++;
            return 0;
        }
        if (rc < 0)
            return rc;
        ct_copy_int(b, (int64_t)j->csv.line);
        ct_copy_int(b, pid);
        ct_copy_text(b, col(j, 0));
        ct_copy_text(b, col(j, 2));
        ct_copy_opt_int(b, rid, 0);
        ct_copy_opt_int(b, cid, 0);
        ct_copy_opt_int(b, made, CT_TIME_NONE);
        ct_copy_text(b, *state ? state : "in_service");
        ct_copy_end_row(b);
        if (b->failed)
            return ct_error_set(CT_ENOMEM, "out of memory");
        uj->nstaged++;
        if (b->len >= STAGE_FLUSH && (rc = ct_store__units_stage_flush(st, b)) < 0)
            return rc;
        if (stats)
            stats->records++;
        return 0;
    }
    /* a fleet without units when the import began has none to compare with (a serial given
     * twice in the file is an error above) */
    memset(&u, 0, sizeof u);
    if (uj->max_id && (rc = ct_store__unit_find_full(&u, st, pid, col(j, 0))) < 0)
        return rc;
    if (!uj->max_id || rc == 0) {
        /* its default span is written with all the others at the end */
        rc = ct_store__unit_insert_bulk(st, pid, col(j, 0), col(j, 2), rid, cid, made,
                                        *state ? state : NULL);
        /* a store without units: a large import indexes them once, at the end */
        if (rc == 0 && !uj->max_id && ++uj->added == CT_SPAN_REINDEX_MIN)
            rc = ct_store__unit_indexes_drop(&uj->idx_dropped, st, &uj->idx_saved);
    } else if (unit_same(&u, col(j, 2), rid, cid, made, state)) {
        ct_unit_rec_dispose(&u);
        if (stats) {
            stats->records++;
            stats->unchanged++;
        }
        return 0;
    } else {
        rc = ct_store_unit_upsert(NULL, st, pid, col(j, 0), col(j, 2), rid, cid, made,
                                  *state ? state : NULL);
    }
    ct_unit_rec_dispose(&u);
    if (rc < 0)
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
    units_job uj;
    int rc;

    memset(&uj, 0, sizeof uj);
    uj.key = (ct_buf)CT_BUF_INIT;
    uj.lk.key = (ct_buf)CT_BUF_INIT;
    uj.stage = (ct_buf)CT_BUF_INIT;
    uj.idx_saved = (ct_buf)CT_BUF_INIT;
    uj.staged = ct_store__has_copy(st);
    if ((rc = open_csv(&j, st, path, cols, CT_NELEM(cols), 2, opts)) < 0)
        goto out;
    ct_store_bulk_mode(st, true);
    /* SQLite, a fleet without units: every page the import writes is new (rollback journal) */
    if (!uj.staged && (rc = ct_store__unit_max_id(&uj.max_id, st)) == 0 && uj.max_id == 0)
        rc = ct_store__rollback_journal(&uj.journal, st, true);
    if (rc < 0)
        goto out;
    /* SQLite: the span indexes may be created again (below): a bounded cache, which also
     * bounds the sorter, and the sorter's data on disk (as in the events import) */
    if ((rc = ct_store__temp_on_disk(st, true)) < 0 ||
        (rc = ct_store__cache_mib(st, CT_EVENTS_IMPORT_CACHE_MIB)) < 0 ||
        (rc = ct_store__foreign_keys(st, false)) < 0 ||
        (rc = ct_store__check_constraints(st, false)) < 0 || (rc = ct_store_begin(st)) < 0)
        goto out;
    if ((uj.staged && ((rc = ct_store__units_stage_open(st)) < 0 ||
                       (rc = ct_store__unit_max_id(&uj.max_id, st)) < 0 ||
                       (rc = ct_fleet__copy_units_new(&uj.cu, st)) < 0)) ||
        (!uj.staged && (rc = ct_store__unit_max_id(&uj.max_id, st)) < 0)) {
        ct_store_rollback(st);
        goto out;
    }
    while ((rc = next_row(&j)) == 1)
        if ((rc = unit_row(&j, &uj, st, stats)) < 0 && (rc = bad_row(&j, rc, stats)) < 0)
            break;
    if (rc == 0 && uj.idx_dropped)
        rc = ct_store__unit_indexes_restore(st, &uj.idx_saved);
    if (rc == 0 && !uj.staged) {
        /* one INSERT ... SELECT of every new unit's open span: without the unit_count triggers
         * (one stale mark instead of a trigger run per span) and, when the new units are a
         * large share of the fleet, without unit_span's secondary indexes (created again right
         * after: one sort each instead of a random B-tree insert per span and index) */
        ct_buf saved = CT_BUF_INIT, idx = CT_BUF_INIT;
        bool dropped = false, idx_dropped = false;
        int64_t top = 0;
        if ((rc = ct_store__span_triggers_drop(&dropped, st, &saved)) == 0 &&
            (rc = ct_store__unit_max_id(&top, st)) == 0 &&
            (rc = ct_store__span_indexes_drop(&idx_dropped, st, &idx,
                                              (size_t)(top - uj.max_id))) == 0 &&
            (rc = ct_store__spans_of_new_units(st, uj.max_id)) == 0 &&
            (!idx_dropped || (rc = ct_store__span_indexes_restore(st, &idx)) == 0) && dropped)
            rc = ct_store__span_triggers_restore(st, &saved);
        ct_buf_dispose(&idx);
        ct_buf_dispose(&saved);
    }
    if (rc == 0 && uj.staged) {
        uint64_t unchanged = 0, added = 0;
        if ((rc = ct_fleet__copy_units_finish(uj.cu, st, &added)) == 0 && stats)
            stats->inserted += added;
        if (rc == 0 && (rc = ct_store__units_stage_flush(st, &uj.stage)) == 0 &&
            (rc = ct_store__units_stage_apply(st, &unchanged)) == 0 && stats) {
            stats->unchanged += unchanged;
            stats->inserted += (uint64_t)uj.nstaged - unchanged;
        }
    }
    rc = finish_csv(&j, st, rc);
out:
    ct_store__check_constraints(st, true);
    ct_store__foreign_keys(st, true);
    ct_store__temp_on_disk(st, false);
    ct_store__rollback_journal(&uj.journal, st, false);
    ct_store_bulk_mode(st, false);
    ct_buf_dispose(&uj.key);
    ct_buf_dispose(&uj.stage);
    ct_buf_dispose(&uj.idx_saved);
    ct_fleet__copy_units_free(uj.cu);
    lookups_free(&uj.lk);
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

/* "name@version" → a parameter set of the product (created on first use). A row that names a
 * content hash always goes to the store (it may change the hash); others are cached. */
static int param_set_id(int64_t *out, ct_store *st, lookups *lk, int64_t product,
                        const csv_job *j, const char *spec, const char *hash)
{
    const char *at = strrchr(spec, '@');
    const idmap_slot *sl;
    const char *key;
    char name[256];
    int rc;
    *out = 0;
    if (!*spec)
        return 0;
    if (!at || at == spec || !at[1] || (size_t)(at - spec) >= sizeof name)
        return row_error(&j->csv, CT_EPARSE, "param_set '%s': expected NAME@VERSION", spec);
    if (!(key = id_key(lk, product, spec)))
        return ct_error_set(CT_ENOMEM, "out of memory");
    if (!*hash && (sl = idmap_get(&lk->params, key))) {
        *out = sl->val;
        return 0;
    }
    memcpy(name, spec, (size_t)(at - spec));
    name[at - spec] = '\0';
    gate_reader_enter(lk->gate);
    rc = ct_store_param_set_upsert(out, st, product, name, at + 1, hash);
    gate_reader_leave(lk->gate);
    if (rc < 0)
        return rc;
    return idmap_put(&lk->params, id_key(lk, product, spec), *out);
}

/* SQLite events import. The rows of one unit that follow each other in the file are kept
 * here until the next unit's row (or the end) and then written at once: when the store has no
 * events of that unit and the import has not met it before, its events are de-duplicated in C
 * (first row wins, as the unique index would), inserted in file order, and its spans derived
 * from them right away (no read-back). Any other unit (stored history, or met again later in
 * the file) takes the general path: INSERT ... ON CONFLICT DO NOTHING per row and a rebuild
 * from the store at the end. */
typedef struct {
    ct_unit_event_rec ev;
    size_t off[6]; /* detail, actor, result, rma, other_serial, hardware_revision: 1 + offset
                      into text; 0 = NULL */
} pend_ev;

/* sort keys of a batch: kinds point into event_kinds, one pointer per kind; i = file order */
typedef struct {
    ct_time time;
    uintptr_t kind;
    size_t i;
} ev_key;

#define UNIT_CHUNK 1024 /* unit records read per range query when units come in id order */
#define SPANS_CLEAR_BYTES 64 /* file bytes per stored unit from which batch_open clears spans */

typedef struct {
    int64_t unit_id; /* the unit being collected (0: none) */
    bool fast;       /* collected here, written when the unit's rows end */
    pend_ev *ev;
    size_t n, cap;
    ct_buf text;
    ev_key *order;
    size_t ocap;
    ct_unit_event_rec *sorted;
    const ct_unit_event_rec **put; /* the rows to insert, file order */
    size_t pcap;
    uint8_t *seen; /* bitmap over unit ids 1..max_id: units this import has met */
    int64_t max_id;
    bool stored_any; /* unit_event had rows when the import began */
    ct_unit_rec *units;
    size_t nunits;
    int64_t lo, hi; /* the id range units[] was read for */
    size_t fast_units;
    int64_t file_size; /* -1: unknown (a pipe) */
    bool idx_tried, idx_dropped, trg_tried, trg_dropped;
    bool cleared; /* every span deleted when the import began (batch_open) */
    ct_buf idx_saved, trg_saved;
    int64_t event_id; /* the highest unit_event id handed out (migration 0030: ids from C) */
} unit_batch;

typedef struct {
    lookups lk;
    int64_t *touched;
    size_t ntouched, cap;
    ct_buf stage; /* COPY rows not yet sent (PostgreSQL) */
    bool staged;
    ct_fleet_copy_events *ce; /* PostgreSQL: events_copy.c */
    unit_batch ub; /* SQLite */
    bool journal; /* SQLite: this import runs with a rollback journal (no events stored) */
} events_job;

static void batch_dispose(unit_batch *b)
{
    ct_free(b->ev);
    ct_buf_dispose(&b->text);
    ct_free(b->order);
    ct_free(b->sorted);
    ct_free(b->put);
    ct_free(b->seen);
    ct_store__units_free(b->units, b->nunits);
    ct_buf_dispose(&b->idx_saved);
    ct_buf_dispose(&b->trg_saved);
}

static int touch(events_job *ej, int64_t unit_id)
{
    if (ej->ntouched && ej->touched[ej->ntouched - 1] == unit_id)
        return 0;
    if (ej->ntouched == ej->cap) {
        size_t ncap = ej->cap ? ej->cap * 2 : 1024;
        int64_t *nt = ct_reallocarray(ej->touched, ncap, sizeof *nt);
        if (!nt)
            return ct_error_set(CT_ENOMEM, "out of memory");
        ej->touched = nt;
        ej->cap = ncap;
    }
    ej->touched[ej->ntouched++] = unit_id;
    return 0;
}

static int batch_open(unit_batch *b, ct_store *st, FILE *f)
{
    struct stat sb;
    int rc;

    b->file_size = -1;
    if (f && fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode))
        b->file_size = (int64_t)sb.st_size;
    if ((rc = ct_store__unit_max_id(&b->max_id, st)) < 0 ||
        (rc = ct_store__events_any(&b->stored_any, st)) < 0 ||
        (rc = ct_store__event_id_last(&b->event_id, st)) < 0)
        return rc;
    if (b->max_id > 0 && !(b->seen = ct_calloc((size_t)(b->max_id / 8) + 1, 1)))
        return ct_error_set(CT_ENOMEM, "out of memory");
    /* no events stored and a file of at least SPANS_CLEAR_BYTES per unit: it will likely give
     * most units events, and each such unit's default span would be deleted one by one and its
     * new spans inserted among the other units' default spans. Instead every span goes at once
     * (triggers and secondary indexes dropped first: SQLite clears the B-trees; keeping the
     * partial unit_span_open and writing it row by row measured 6 % slower), new spans are
     * appended in file order, and the units left without one get their default span back at
     * the end (ct_store__spans_of_units_without) */
    if (!b->stored_any && b->max_id >= CT_SPAN_REINDEX_MIN && b->file_size > 0 &&
        b->file_size / b->max_id >= SPANS_CLEAR_BYTES) {
        b->trg_tried = b->idx_tried = true;
        if ((rc = ct_store__span_triggers_drop(&b->trg_dropped, st, &b->trg_saved)) < 0 ||
            (rc = ct_store__span_indexes_drop(&b->idx_dropped, st, &b->idx_saved,
                                              (size_t)b->max_id)) < 0 ||
            (rc = ct_store__spans_delete_all(st)) < 0)
            return rc;
        b->cleared = true;
    }
    return 0;
}

/* A unit's first row in a run of rows: may its events take the fast path? */
static int batch_start(unit_batch *b, ct_store *st, int64_t unit_id)
{
    bool stored = false;
    int rc;

    b->unit_id = unit_id;
    b->n = 0;
    ct_buf_reset(&b->text);
    b->fast = false;
    if (unit_id < 1 || unit_id > b->max_id)
        return 0;
    if (b->seen[unit_id / 8] & (1u << (unit_id % 8)))
        return 0; /* met before in this file: its events are stored already */
    b->seen[unit_id / 8] |= (uint8_t)(1u << (unit_id % 8));
    if (b->stored_any && (rc = ct_store__unit_has_events(&stored, st, unit_id)) < 0)
        return rc;
    b->fast = !stored;
    return 0;
}

static size_t text_off(ct_buf *t, const char *s)
{
    size_t off;
    if (!*s)
        return 0;
    off = t->len + 1;
    ct_buf_put(t, s, strlen(s) + 1);
    return off;
}

static int batch_add(unit_batch *b, const ct_unit_event_rec *ev)
{
    pend_ev *p;
    if (b->n == b->cap) {
        size_t ncap = b->cap ? b->cap * 2 : 64;
        pend_ev *ne = ct_reallocarray(b->ev, ncap, sizeof *ne);
        if (!ne)
            return ct_error_set(CT_ENOMEM, "out of memory");
        b->ev = ne;
        b->cap = ncap;
    }
    p = &b->ev[b->n++];
    p->ev = *ev;
    p->off[0] = text_off(&b->text, ev->detail);
    p->off[1] = text_off(&b->text, ev->actor);
    p->off[2] = text_off(&b->text, ev->result);
    p->off[3] = text_off(&b->text, ev->rma);
    p->off[4] = text_off(&b->text, ev->other_serial);
    p->off[5] = text_off(&b->text, ev->hardware_revision);
    return b->text.failed ? ct_error_set(CT_ENOMEM, "out of memory") : 0;
}

/* qsort comparators of ev_key (file order breaks ties) */
static int cmp_time_kind(const void *a, const void *b)
{
    const ev_key *x = a, *y = b;
    if (x->time != y->time)
        return x->time < y->time ? -1 : 1;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

static int cmp_time(const void *a, const void *b)
{
    const ev_key *x = a, *y = b;
    if (x->time != y->time)
        return x->time < y->time ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* The unit's stored record, from a range read once per UNIT_CHUNK units in id order. */
static int batch_unit(const ct_unit_rec **out, unit_batch *b, ct_store *st, int64_t id)
{
    size_t lo = 0, hi;
    int rc;
    if (!b->nunits || id < b->lo || id > b->hi) {
        int64_t top = id > b->hi && id - b->hi <= UNIT_CHUNK ? id + UNIT_CHUNK - 1 : id;
        ct_store__units_free(b->units, b->nunits);
        b->units = NULL;
        b->nunits = 0;
        if ((rc = ct_store__units_load_range(&b->units, &b->nunits, st, id, top)) < 0)
            return rc;
        b->lo = id;
        b->hi = top;
    }
    hi = b->nunits;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (b->units[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == b->nunits || b->units[lo].id != id)
        return ct_error_set(CT_ENOTFOUND, "no unit with id %lld", (long long)id);
    *out = &b->units[lo];
    return 0;
}

/* Large first imports: once CT_SPAN_REINDEX_MIN units went the fast path, guess from the part
 * of the file read how many will, and let the store drop the span indexes if that is a large
 * share of the fleet (they are created again at the end, one sort each). */
static int batch_maybe_reindex(unit_batch *b, ct_store *st, int64_t done)
{
    double est = (double)b->fast_units;
    b->idx_tried = true;
    if (b->file_size > done && done > 0)
        est = est * (double)b->file_size / (double)done;
    return ct_store__span_indexes_drop(&b->idx_dropped, st, &b->idx_saved,
                                       est > (double)SIZE_MAX / 2 ? SIZE_MAX / 2 : (size_t)est);
}

/* Write the collected unit: its events (file order, duplicates dropped) and its spans. done:
 * the file offset after the row being read (the share of the file read, batch_maybe_reindex). */
static int batch_finish(events_job *ej, ct_store *st, int64_t done, ct_import_stats *stats)
{
    unit_batch *b = &ej->ub;
    const ct_unit_rec *u = NULL;
    ct_unit_span *spans = NULL;
    size_t n = b->n, nk = 0, ns = 0;
    int rc;

    if (!b->unit_id || !b->fast || n == 0) {
        b->unit_id = 0;
        return 0;
    }
    b->unit_id = 0;
    if (n > b->ocap) {
        ev_key *no = ct_reallocarray(b->order, n, sizeof *no);
        ct_unit_event_rec *ns2 = no ? ct_reallocarray(b->sorted, n, sizeof *ns2) : NULL;
        if (no)
            b->order = no;
        if (!ns2)
            return ct_error_set(CT_ENOMEM, "out of memory");
        b->sorted = ns2;
        b->ocap = n;
    }
    for (size_t i = 0; i < n; i++) {
        ct_unit_event_rec *e = &b->ev[i].ev;
        const char **f[6] = { &e->detail, &e->actor, &e->result, &e->rma, &e->other_serial,
                              &e->hardware_revision };
        for (int k = 0; k < 6; k++)
            *f[k] = b->ev[i].off[k] ? b->text.ptr + b->ev[i].off[k] - 1 : NULL;
        b->order[i].time = e->time;
        b->order[i].kind = (uintptr_t)e->kind;
        b->order[i].i = i;
    }
    /* (unit, time, kind) is unique: the first row of each wins */
    if (n > 1)
        qsort(b->order, n, sizeof *b->order, cmp_time_kind);
    for (size_t i = 0; i < n; i++) {
        const ev_key *k = &b->order[i];
        bool dup = i > 0 && k[-1].time == k->time && k[-1].kind == k->kind;
        b->ev[k->i].ev.id = dup ? -1 : 0; /* -1: a duplicate, not written */
    }
    if (!b->trg_tried) {
        b->trg_tried = true;
        if ((rc = ct_store__span_triggers_drop(&b->trg_dropped, st, &b->trg_saved)) < 0)
            return rc;

    }
    /* no stored events of this unit, duplicates gone: every insert is new (file order) */
    for (size_t i = 0; i < n; i++) {
        if (b->ev[i].ev.id < 0)
            continue;
        b->order[nk].time = b->ev[i].ev.time;
        b->order[nk++].i = i;
    }
    if (nk > b->pcap) {
        const ct_unit_event_rec **np = ct_reallocarray(b->put, nk, sizeof *np);
        if (!np)
            return ct_error_set(CT_ENOMEM, "out of memory");
        b->put = np;
        b->pcap = nk;
    }
    for (size_t i = 0; i < nk; i++)
        b->put[i] = &b->ev[b->order[i].i].ev;
    /* numbered in insert order, as a rowid table numbered them (written back at the end) */
    if ((rc = ct_store__events_insert_ids(st, b->put, nk, b->event_id + 1)) < 0)
        return rc;
    b->event_id += (int64_t)nk;
    if (stats) {
        stats->inserted += nk;
        stats->unchanged += n - nk;
    }
    if (nk > 1)
        qsort(b->order, nk, sizeof *b->order, cmp_time);
    for (size_t i = 0; i < nk; i++)
        b->sorted[i] = b->ev[b->order[i].i].ev;
    if (!b->idx_tried && ++b->fast_units >= CT_SPAN_REINDEX_MIN &&
        (rc = batch_maybe_reindex(b, st, done)) < 0)
        return rc;
    if ((rc = batch_unit(&u, b, st, b->sorted[0].unit_id)) < 0 ||
        (!b->cleared && (rc = ct_store__spans_delete_range(st, u->id, u->id)) < 0) ||
        (rc = ct_fleet_spans(&spans, &ns, u, b->sorted, nk)) < 0)
        return rc;
    rc = ct_store__spans_put_new(st, u, spans, ns);
    ct_free(spans);
    return rc;
}

/* A row's checks and lookups: ev's strings point into the row's fields. */
static int event_parse(ct_unit_event_rec *out, csv_job *j, lookups *lk, ct_store *st)
{
    ct_unit_event_rec ev;
    int rc;

    memset(&ev, 0, sizeof ev);
    if ((rc = check_width(j)) < 0)
        return rc;
    for (size_t k = 0; k < CT_NELEM(event_kinds) && !ev.kind; k++)
        if (strcmp(col(j, 3), event_kinds[k]) == 0)
            ev.kind = event_kinds[k]; /* one pointer per kind (the batches sort by it) */
    if (!ev.kind)
        return row_error(&j->csv, CT_EPARSE, "unknown event kind '%s'", col(j, 3));
    if ((rc = product_id(&ev.product_id, st, lk, j, col(j, 1))) < 0)
        return rc;
    if ((rc = unit_id(&ev.unit_id, st, lk, ev.product_id, col(j, 0))) < 0)
        return rc == CT_ENOTFOUND
                   ? row_error(&j->csv, CT_EPARSE, "event for unknown unit '%s'", col(j, 0))
                   : rc;
    if ((rc = parse_opt_time(&ev.time, j, col(j, 2), "event")) < 0)
        return rc;
    if (ev.time == CT_TIME_NONE)
        return row_error(&j->csv, CT_EPARSE, "event has no %s", "time");
    if (*col(j, 7) && (rc = customer_id(&ev.customer_id, st, lk, col(j, 7))) < 0)
        return rc == CT_ENOTFOUND
                   ? row_error(&j->csv, CT_EPARSE, "unknown customer '%s'", col(j, 7))
                   : rc;
    ev.detail = col(j, 6);
    ev.actor = col(j, 8);
    ev.result = col(j, 9);
    ev.rma = col(j, 10);
    ev.other_serial = col(j, 11);
    ev.hardware_revision = col(j, 12);
    if ((rc = release_id(&ev.from_release, st, lk, ev.product_id, j, col(j, 4))) < 0 ||
        (rc = release_id(&ev.to_release, st, lk, ev.product_id, j, col(j, 5))) < 0 ||
        (rc = param_set_id(&ev.param_set_id, st, lk, ev.product_id, j, col(j, 13),
                           col(j, 14))) < 0)
        return rc;
    *out = ev;
    return 0;
}

/* A checked row into the store: SQLite; done = the file offset after it. */
static int event_apply(events_job *ej, ct_store *st, const ct_unit_event_rec *evp, int64_t done,
                       ct_import_stats *stats)
{
    ct_unit_event_rec ev = *evp;
    bool added;
    int rc;

    /* SQLite: a unit's rows are collected while they follow each other (unit_batch) */
    if (ev.unit_id != ej->ub.unit_id && ((rc = batch_finish(ej, st, done, stats)) < 0 ||
                                         (rc = batch_start(&ej->ub, st, ev.unit_id)) < 0))
        return rc;
    if (stats)
        stats->records++;
    if (ej->ub.fast)
        return batch_add(&ej->ub, &ev);
    if ((rc = ct_store__event_add_id(&added, st, &ev, ej->ub.event_id + 1)) < 0 ||
        (added && (rc = touch(ej, ev.unit_id)) < 0))
        return rc;
    if (added)
        ej->ub.event_id++;
    if (stats) {
        if (added)
            stats->inserted++;
        else
            stats->unchanged++;
    }
    return 0;
}

/* A row of the single-threaded loop (PostgreSQL: checked rows go by COPY, straight in or
 * through a staging table; SQLite without the reader thread). */
static int event_row(csv_job *j, events_job *ej, ct_store *st, ct_import_stats *stats)
{
    ct_unit_event_rec ev;
    int rc;

    if ((rc = event_parse(&ev, j, &ej->lk, st)) < 0)
        return rc;
    if (!ej->staged)
        return event_apply(ej, st, &ev, j->base + (int64_t)(j->csv.p - j->csv.data), stats);
    if ((rc = ct_fleet__copy_events_add(ej->ce, st, &ev, (int64_t)j->csv.line)) < 0)
        return rc;
    if (stats)
        stats->records++;
    return 0;
}

/* ---- SQLite events import on two threads ------------------------------------------------
 * The reader thread (pipe_reader) reads the file, parses and checks each row and resolves its
 * names to ids (event_parse: the lookup caches are the reader's; a cache miss asks the store
 * through the gate while the writer waits between two batches), and hands the rows on in file
 * order, PIPE_ROWS per batch, through a ring of PIPE_DEPTH batches (memory stays bounded: the
 * reader waits while all are full). The calling thread (the writer) takes them in order and does
 * everything else exactly as the one-thread loop did: per-unit batches, inserts, spans, the
 * --skip-bad rejects, and the first error it meets ends the import (a row's error carries its
 * file:line). The reader stops at the first row whose error ends the import. */
#define PIPE_ROWS 1024
#define PIPE_DEPTH 8

enum { PS_DETAIL, PS_ACTOR, PS_RESULT, PS_RMA, PS_OTHER, PS_HW, PS_RAW, PS_MSG, PS_SRC, PS_PTR, PS_N };

typedef struct {
    ct_unit_event_rec ev; /* strings: off[], set by pipe_push */
    int64_t pos;          /* file offset after the row */
    int err;              /* 0, or the row's error (code; loc and off[PS_MSG..]) */
    bool fatal;           /* the error ends the import (also with --skip-bad) */
    ct_loc loc;
    size_t off[PS_N]; /* 1 + offset into the batch's text; 0 = none */
} prow;

typedef struct {
    prow *rows;
    size_t n;
    ct_buf text;
} pbatch;

typedef struct {
    store_gate gate; /* first: the lookups' gate; mu and cv also guard the ring */
    pbatch slot[PIPE_DEPTH];
    size_t head, count; /* filled batches: slot[head], ... (count of them) */
    bool done;          /* the reader has pushed its last batch */
    bool stop;          /* the writer gave up: the reader ends at its next wait */
    csv_job *j;
    lookups *lk;
    ct_store *st;
    bool skip_bad;
    pthread_t thread;
    bool started;
} ev_pipe;

static size_t pipe_str(ct_buf *t, const char *s)
{
    size_t off;
    if (!s)
        return 0;
    off = t->len + 1;
    ct_buf_put(t, s, strlen(s) + 1);
    return off;
}

/* A free slot to fill (the reader), or NULL when the writer stopped. */
static pbatch *pipe_slot(ev_pipe *p)
{
    pbatch *b = NULL;
    pthread_mutex_lock(&p->gate.mu);
    while (p->count == PIPE_DEPTH && !p->stop)
        pthread_cond_wait(&p->gate.cv, &p->gate.mu);
    if (!p->stop)
        b = &p->slot[(p->head + p->count) % PIPE_DEPTH];
    pthread_mutex_unlock(&p->gate.mu);
    if (b) {
        b->n = 0;
        ct_buf_reset(&b->text);
    }
    return b;
}

static void pipe_push(ev_pipe *p, pbatch *b, bool last)
{
    for (size_t i = 0; i < b->n; i++) {
        prow *r = &b->rows[i];
        const char **f[PS_RAW] = { &r->ev.detail, &r->ev.actor, &r->ev.result, &r->ev.rma,
                                   &r->ev.other_serial, &r->ev.hardware_revision };
        for (int k = 0; k < PS_RAW; k++)
            *f[k] = r->off[k] ? b->text.ptr + r->off[k] - 1 : "";
        r->loc.source = r->off[PS_SRC] ? b->text.ptr + r->off[PS_SRC] - 1 : NULL;
        r->loc.pointer = r->off[PS_PTR] ? b->text.ptr + r->off[PS_PTR] - 1 : NULL;
    }
    pthread_mutex_lock(&p->gate.mu);
    p->count++;
    p->done = last;
    pthread_cond_broadcast(&p->gate.cv);
    pthread_mutex_unlock(&p->gate.mu);
}

static void pipe_end(ev_pipe *p)
{
    pthread_mutex_lock(&p->gate.mu);
    p->done = true;
    pthread_cond_broadcast(&p->gate.cv);
    pthread_mutex_unlock(&p->gate.mu);
}

/* The reader thread's error of row r (then cleared on the reader), for the writer to raise. */
static void prow_keep_error(pbatch *b, prow *r, int rc)
{
    const ct_error *e = ct_error_last();
    r->err = rc;
    r->loc = (ct_loc){ NULL, e->line, e->column, e->offset, NULL };
    r->off[PS_MSG] = pipe_str(&b->text, e->message);
    r->off[PS_SRC] = pipe_str(&b->text, e->source);
    r->off[PS_PTR] = pipe_str(&b->text, e->pointer);
    ct_error_clear();
}

static void *pipe_reader(void *arg)
{
    ev_pipe *p = arg;
    csv_job *j = p->j;
    pbatch *b = NULL;
    bool last = false;
    int rc;

    while (!last) {
        prow *r;
        if (!b && !(b = pipe_slot(p)))
            return NULL;
        rc = next_row(j);
        if (rc == 0)
            break;
        r = &b->rows[b->n++];
        memset(r, 0, sizeof *r);
        if (rc < 0) {
            /* the file cannot be read on: ends the import after the rows before */
            r->fatal = last = true;
        } else if ((rc = event_parse(&r->ev, j, p->lk, p->st)) == 0) {
            const char *s[PS_RAW] = { r->ev.detail, r->ev.actor, r->ev.result, r->ev.rma,
                                      r->ev.other_serial, r->ev.hardware_revision };
            for (int k = 0; k < PS_RAW; k++)
                r->off[k] = *s[k] ? pipe_str(&b->text, s[k]) : 0;
        } else {
            r->fatal = last = !p->skip_bad || (rc != CT_EPARSE && rc != CT_ELIMIT);
        }
        if (rc < 0)
            prow_keep_error(b, r, rc);
        if (p->skip_bad && rc != 0 && !r->fatal) {
            /* the writer may reject it: the row as read, quoted again */
            r->off[PS_RAW] = b->text.len + 1;
            put_row(&b->text, &j->csv);
            ct_buf_putc(&b->text, '\0');
        }
        r->pos = j->base + (int64_t)(j->csv.p - j->csv.data);
        if (b->text.failed) {
            /* this row fails for want of memory (the rows before it are whole) */
            memset(r, 0, sizeof *r);
            r->loc = (ct_loc)CT_LOC_INIT;
            r->err = CT_ENOMEM;
            r->fatal = last = true;
        }
        if (b->n == PIPE_ROWS || last) {
            pipe_push(p, b, last);
            b = NULL;
        }
    }
    if (b)
        pipe_push(p, b, true);
    else
        pipe_end(p);
    return NULL;
}

/* Raise on this thread the error the reader kept for row r. */
static int prow_error(const prow *r, const pbatch *b)
{
    const char *msg = r->off[PS_MSG] ? b->text.ptr + r->off[PS_MSG] - 1 : "out of memory";
    return ct_error_set_at(&r->loc, r->err, "%s", msg);
}

/* A bad row of the reader's batches: with --skip-bad it goes to the rejects (bad_row). */
static int pipe_bad_row(csv_job *j, const prow *r, const pbatch *b, int rc,
                        ct_import_stats *stats)
{
    if (r->fatal || !j->opts || !j->opts->skip_bad || (rc != CT_EPARSE && rc != CT_ELIMIT) ||
        !r->off[PS_RAW])
        return rc;
    ct_buf_puts(&j->rejects, b->text.ptr + r->off[PS_RAW] - 1);
    ct_buf_putc(&j->rejects, ',');
    csv_quote(&j->rejects, ct_error_format());
    ct_buf_putc(&j->rejects, '\n');
    ct_error_clear();
    if (stats)
        stats->rejected++;
    return j->rejects.failed ? ct_error_set(CT_ENOMEM, "out of memory") : 0;
}

static int pipe_start(ev_pipe *p, csv_job *j, lookups *lk, ct_store *st)
{
    memset(p, 0, sizeof *p);
    p->j = j;
    p->lk = lk;
    p->st = st;
    p->skip_bad = j->opts && j->opts->skip_bad;
    for (size_t i = 0; i < PIPE_DEPTH; i++) {
        p->slot[i].text = (ct_buf)CT_BUF_INIT;
        if (!(p->slot[i].rows = ct_calloc(PIPE_ROWS, sizeof *p->slot[i].rows)))
            return ct_error_set(CT_ENOMEM, "out of memory");
    }
    if (pthread_mutex_init(&p->gate.mu, NULL) != 0)
        return ct_error_set(CT_ENOMEM, "cannot create a mutex");
    if (pthread_cond_init(&p->gate.cv, NULL) != 0) {
        pthread_mutex_destroy(&p->gate.mu);
        return ct_error_set(CT_ENOMEM, "cannot create a condition variable");
    }
    lk->gate = &p->gate;
    p->gate.writer = true; /* until the writer waits for its first batch */
    if (pthread_create(&p->thread, NULL, pipe_reader, p) != 0) {
        lk->gate = NULL;
        pthread_cond_destroy(&p->gate.cv);
        pthread_mutex_destroy(&p->gate.mu);
        return ct_error_set(CT_ENOMEM, "cannot start the reader thread");
    }
    p->started = true;
    return 0;
}

/* The writer's loop: every row the reader hands on, in file order; 0 at the end of the file. */
static int pipe_run(ev_pipe *p, events_job *ej, ct_store *st, ct_import_stats *stats)
{
    int rc = 0;
    for (;;) {
        pbatch *b;
        pthread_mutex_lock(&p->gate.mu);
        p->gate.writer = false; /* the store is free while the writer waits */
        pthread_cond_broadcast(&p->gate.cv);
        while ((p->count == 0 && !p->done) || p->gate.req || p->gate.reader)
            pthread_cond_wait(&p->gate.cv, &p->gate.mu);
        if (p->count == 0) {
            pthread_mutex_unlock(&p->gate.mu);
            return 0;
        }
        p->gate.writer = true;
        b = &p->slot[p->head];
        pthread_mutex_unlock(&p->gate.mu);
        for (size_t i = 0; i < b->n && rc == 0; i++) {
            const prow *r = &b->rows[i];
            rc = r->err ? prow_error(r, b) : event_apply(ej, st, &r->ev, r->pos, stats);
            if (rc < 0)
                rc = pipe_bad_row(p->j, r, b, rc, stats);
        }
        pthread_mutex_lock(&p->gate.mu);
        p->head = (p->head + 1) % PIPE_DEPTH;
        p->count--;
        pthread_cond_broadcast(&p->gate.cv);
        pthread_mutex_unlock(&p->gate.mu);
        if (rc < 0)
            return rc;
    }
}

/* Stop the reader (if it still runs), wait for it and free the ring. */
static void pipe_finish(ev_pipe *p)
{
    if (p->started) {
        pthread_mutex_lock(&p->gate.mu);
        p->stop = true;
        p->gate.writer = false;
        pthread_cond_broadcast(&p->gate.cv);
        pthread_mutex_unlock(&p->gate.mu);
        pthread_join(p->thread, NULL);
        pthread_cond_destroy(&p->gate.cv);
        pthread_mutex_destroy(&p->gate.mu);
        p->lk->gate = NULL;
        p->started = false;
    }
    for (size_t i = 0; i < PIPE_DEPTH; i++) {
        ct_free(p->slot[i].rows);
        ct_buf_dispose(&p->slot[i].text);
    }
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
    events_job ej;
    ev_pipe pipe;
    uint64_t records0 = stats ? stats->records : 0;
    int rc;

    memset(&ej, 0, sizeof ej);
    memset(&pipe, 0, sizeof pipe);
    ej.lk.key = (ct_buf)CT_BUF_INIT;
    ej.stage = (ct_buf)CT_BUF_INIT;
    ej.staged = ct_store__has_copy(st);
    ej.ub.text = (ct_buf)CT_BUF_INIT;
    ej.ub.idx_saved = (ct_buf)CT_BUF_INIT;
    ej.ub.trg_saved = (ct_buf)CT_BUF_INIT;
    if ((rc = open_csv(&j, st, path, cols, CT_NELEM(cols), 4, opts)) < 0)
        goto out;
    ct_store_bulk_mode(st, true);
    /* SQLite, no event stored: the event pages and nearly all span pages are new (the spans
     * of the units import are deleted and written again: rollback journal) */
    if (!ej.staged && (rc = ct_store__events_any(&ej.ub.stored_any, st)) == 0 &&
        !ej.ub.stored_any)
        rc = ct_store__rollback_journal(&ej.journal, st, true);
    if (rc < 0)
        goto out;
    /* a large history rebuild re-creates the span indexes: sort on disk, not in memory */
    if ((rc = ct_store__temp_on_disk(st, true)) < 0 ||
        (rc = ct_store__cache_mib(st, CT_EVENTS_IMPORT_CACHE_MIB)) < 0 ||
        (rc = ct_store__foreign_keys(st, false)) < 0 ||
        (rc = ct_store__check_constraints(st, false)) < 0 || (rc = ct_store_begin(st)) < 0)
        goto out;
    if ((ej.staged && ((rc = ct_store__events_stage_open(st)) < 0 ||
                       (rc = ct_fleet__copy_events_new(&ej.ce, st)) < 0)) ||
        (!ej.staged && (rc = batch_open(&ej.ub, st, j.f)) < 0)) {
        ct_store_rollback(st);
        goto out;
    }
    if (ej.staged) {
        while ((rc = next_row(&j)) == 1)
            if ((rc = event_row(&j, &ej, st, stats)) < 0 && (rc = bad_row(&j, rc, stats)) < 0)
                break;
    } else {
        /* SQLite: the reader thread parses, checks and looks up; this one writes */
        if ((rc = pipe_start(&pipe, &j, &ej.lk, st)) == 0)
            rc = pipe_run(&pipe, &ej, st, stats);
        pipe_finish(&pipe);
        if (rc == 0)
            rc = batch_finish(&ej, st, j.base + (int64_t)(j.csv.p - j.csv.data), stats);
    }
    if (rc == 0 && ej.staged) {
        uint64_t inserted = 0;
        if ((rc = ct_fleet__copy_events_finish(ej.ce, st, &inserted, &ej.touched,
                                               &ej.ntouched)) == 0 &&
            stats) {
            stats->inserted += inserted;
            stats->unchanged += stats->records - records0 - inserted;
        }
    }
    /* each unit whose events changed gets its history rebuilt once, in bulk */
    if (rc == 0 && ej.ntouched) {
        size_t n = 1;
        qsort(ej.touched, ej.ntouched, sizeof *ej.touched, cmp_i64);
        for (size_t i = 1; i < ej.ntouched; i++)
            if (ej.touched[i] != ej.touched[n - 1])
                ej.touched[n++] = ej.touched[i];
        rc = ct_fleet__rebuild_units(st, ej.touched, n);
    }
    if (rc == 0 && ej.ub.cleared)
        rc = ct_store__spans_of_units_without(st);
    if (rc == 0 && ej.ub.idx_dropped)
        rc = ct_store__span_indexes_restore(st, &ej.ub.idx_saved);
    if (rc == 0 && ej.ub.trg_dropped)
        rc = ct_store__span_triggers_restore(st, &ej.ub.trg_saved);
    if (rc == 0 && !ej.staged) /* SQLite: the ids this import handed out (batch_open) */
        rc = ct_store__event_id_set_last(st, ej.ub.event_id);
    rc = finish_csv(&j, st, rc);
out:
    ct_store__check_constraints(st, true);
    ct_store__foreign_keys(st, true);
    ct_store__temp_on_disk(st, false);
    ct_store__rollback_journal(&ej.journal, st, false);
    ct_store_bulk_mode(st, false);
    ct_free(ej.touched);
    ct_buf_dispose(&ej.stage);
    ct_fleet__copy_events_free(ej.ce);
    batch_dispose(&ej.ub);
    lookups_free(&ej.lk);
    close_csv(&j);
    return rc;
}

int ct_import_events_csv(ct_store *st, const char *path, ct_import_stats *stats)
{
    return ct_import_events_csv_ex(st, path, NULL, stats);
}

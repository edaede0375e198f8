/* SQLite floor of the fleet import (issue 7, docs/PERFORMANCE.md "Issue 7, SQLite floor and round
 * 6"): writes, with the sqlite3 API, prepared statements and one transaction per import, exactly
 * the rows and B-trees a fleet store holds after `units import` + `unit event import`, read into
 * memory first from a store the fleet bench left (nothing parsed while timed), with the import's
 * pragmas (16 KiB pages, rollback journal + synchronous=FULL for a first import, 128 MiB cache,
 * temp_store=FILE, foreign keys and CHECKs off). Times each B-tree part in CPU (user+sys) and
 * wall. Then the same for candidate data models (computed in C from the same rows):
 *   base      the schema of migrations 0021/0025 on SQLite (the store's model before 0030)
 *   interleave base, but each unit's events then its spans (the import's order)
 *   classcol  unit_span with the length class as an integer column, unit_span_alive over it
 *   narrow    classcol + an in-field flag column instead of state in unit_span_alive
 *   partial   unit_span_alive WHERE state NOT IN ('decommissioned','replaced'), without state
 *   aclass    unit_span with an integer column alive_class (the length class, NULL for a span not
 *             in the field) written in C; unit_span_alive over it, without state, partial on
 *             alive_class IS NOT NULL (covering on SQLite 3.40: a generated column is not)
 *   evwr      unit_event WITHOUT ROWID on (unit_id, product_id, time, kind), id a plain column
 *   m0030     evwr + aclass: the B-trees of migration 0030 (the store's model since round 9)
 *   coarse    only the spans whose (release, customer, in-field) differ from the unit's previous
 *   nosort    base without unit_span_alive (what the index costs in all)
 * Not a test (built with -DCT_BENCH=ON):
 *   bench_sqlite_floor SRC.db DIR [variant...]      (SRC.db: the fleet.db bench_fleet left)
 * Env: FLOOR_ROWS=1 one row per INSERT (default 8, 4, 2, 1 rows per statement as the import);
 * FLOOR_VERB="INSERT OR IGNORE" the import's verb (default INSERT);
 * FLOOR_CACHE_KIB cache size (default 131072, the import's). Instruction counts per part: build
 * with -DFLOOR_CALLGRIND and run under valgrind --tool=callgrind --instr-atstart=no.
 * TSV on stdout: variant, part, cpu_s, wall_s, rows. */
#define _POSIX_C_SOURCE 200809L
#include "cratrace/base.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#ifdef FLOOR_CALLGRIND
/* instruction counts per part (load-insensitive): valgrind --tool=callgrind --instr-atstart=no;
 * each part is instrumented alone and dumped under its name */
#include <valgrind/callgrind.h>
#endif

typedef struct {
    int type; /* SQLITE_INTEGER, SQLITE_TEXT, SQLITE_NULL */
    int len;  /* text: bytes */
    sqlite3_int64 i;
    const char *s; /* text: into the image's arena, in row order (read sequentially) */
} cell;

typedef struct {
    int ncol;
    size_t nrow;
    cell *c; /* nrow * ncol */
} img;

static void die(sqlite3 *db, const char *what)
{
    fprintf(stderr, "bench_sqlite_floor: %s: %s\n", what, db ? sqlite3_errmsg(db) : "");
    exit(1);
}

static void ex(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "bench_sqlite_floor: %s: %s\n", sql, err);
        exit(1);
    }
}

/* Allocation that ends the bench on failure (a measurement tool: nothing to recover). */
static void *xrealloc(void *p, size_t n)
{
    void *q = ct_reallocarray(p, n, 1);
    if (!q) {
        fprintf(stderr, "bench_sqlite_floor: out of memory (%zu bytes)\n", n);
        exit(4);
    }
    return q;
}

/* A positive integer from the environment, or dflt. */
static int env_int(const char *name, int dflt)
{
    const char *v = getenv(name);
    char *end;
    long n;
    if (!v)
        return dflt;
    n = strtol(v, &end, 10);
    return (end != v && *end == '\0' && n > 0 && n < (1L << 30)) ? (int)n : dflt;
}

static void load(img *m, sqlite3 *db, const char *sql)
{
    sqlite3_stmt *q;
    size_t cap = 1 << 16;
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
        die(db, sql);
    m->ncol = sqlite3_column_count(q);
    size_t acap = (size_t)1 << 24, alen = 0;
    char *arena = xrealloc(NULL, acap);
    m->nrow = 0;
    m->c = xrealloc(NULL, cap * (size_t)m->ncol * sizeof *m->c);
    while (sqlite3_step(q) == SQLITE_ROW) {
        if (m->nrow == cap) {
            cap *= 2;
            m->c = xrealloc(m->c, cap * (size_t)m->ncol * sizeof *m->c);
        }
        for (int k = 0; k < m->ncol; k++) {
            cell *c = &m->c[m->nrow * (size_t)m->ncol + (size_t)k];
            c->type = sqlite3_column_type(q, k);
            c->s = NULL;
            c->i = 0;
            c->len = 0;
            if (c->type == SQLITE_INTEGER)
                c->i = sqlite3_column_int64(q, k);
            else if (c->type != SQLITE_NULL) {
                const char *t = (const char *)sqlite3_column_text(q, k);
                c->type = SQLITE_TEXT;
                c->len = sqlite3_column_bytes(q, k);
                if (alen + (size_t)c->len + 1 > acap) {
                    while (alen + (size_t)c->len + 1 > acap)
                        acap *= 2;
                    arena = xrealloc(arena, acap);
                }
                memcpy(arena + alen, t, (size_t)c->len + 1);
                c->i = (sqlite3_int64)alen; /* offset until the arena stops moving */
                alen += (size_t)c->len + 1;
            }
        }
        m->nrow++;
    }
    sqlite3_finalize(q);
    for (size_t r = 0; r < m->nrow * (size_t)m->ncol; r++)
        if (m->c[r].type == SQLITE_TEXT)
            m->c[r].s = arena + m->c[r].i;
}

static const cell *at(const img *m, size_t r, int k)
{
    return &m->c[r * (size_t)m->ncol + (size_t)k];
}

typedef struct {
    double cpu, wall;
} tick;

static tick now(void)
{
    struct rusage ru;
    struct timespec ts;
    tick t;
    getrusage(RUSAGE_SELF, &ru);
    clock_gettime(CLOCK_MONOTONIC, &ts);
    t.cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
            (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
    t.wall = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
    return t;
}

static const char *variant;
static tick t0;
static double sum_cpu, sum_wall;

static void start(void)
{
#ifdef FLOOR_CALLGRIND
    CALLGRIND_START_INSTRUMENTATION;
#endif
    t0 = now();
}

static void stop(const char *part, size_t rows)
{
    tick t = now();
#ifdef FLOOR_CALLGRIND
    char name[256];
    CALLGRIND_STOP_INSTRUMENTATION;
    snprintf(name, sizeof name, "%s: %s", variant, part);
    CALLGRIND_DUMP_STATS_AT(name);
#endif
    sum_cpu += t.cpu - t0.cpu;
    sum_wall += t.wall - t0.wall;
    printf("%s\t%s\t%.3f\t%.3f\t%zu\n", variant, part, t.cpu - t0.cpu, t.wall - t0.wall, rows);
    fflush(stdout);
}

static void timed_exec(sqlite3 *db, const char *part, const char *sql)
{
    start();
    ex(db, sql);
    stop(part, 0);
}

/* rows per INSERT statement (the import writes a unit's rows 8, 4, 2, 1 at a time: SQLite keeps
 * the cursor on the page it appended to within one statement); FLOOR_ROWS=1: one per statement */
static int rows_per_stmt = 8;

static void bind_row(sqlite3_stmt *q, const img *m, size_t r, int base)
{
    for (int k = 0; k < m->ncol; k++) {
        const cell *c = at(m, r, k);
        if (c->type == SQLITE_INTEGER)
            sqlite3_bind_int64(q, base + k + 1, c->i);
        else if (c->type == SQLITE_TEXT)
            sqlite3_bind_text(q, base + k + 1, c->s, c->len, SQLITE_STATIC);
        else
            sqlite3_bind_null(q, base + k + 1);
    }
}

typedef struct {
    sqlite3_stmt *q[4]; /* 1, 2, 4, 8 rows */
} ins;

/* insert rows [lo, hi) of m (columns of m in order), 8, 4, 2, 1 rows per statement */
static void put_rows(sqlite3 *db, ins *in, const img *m, size_t lo, size_t hi)
{
    size_t r = lo;
    while (r < hi) {
        int k = 3;
        while (k > 0 && ((size_t)1 << k > hi - r || (1 << k) > rows_per_stmt))
            k--;
        for (int j = 0; j < 1 << k; j++)
            bind_row(in->q[k], m, r + (size_t)j, j * m->ncol);
        if (sqlite3_step(in->q[k]) != SQLITE_DONE)
            die(db, "insert");
        sqlite3_reset(in->q[k]);
        r += (size_t)1 << k;
    }
}

static ins prep_insert(sqlite3 *db, const char *table, const char *cols, int ncol)
{
    ins in;
    for (int k = 0; k < 4; k++) {
        static char sql[65536];
        /* FLOOR_VERB="INSERT OR IGNORE": the import's statements (no statement journal) */
        const char *verb = getenv("FLOOR_VERB") ? getenv("FLOOR_VERB") : "INSERT";
        int n = snprintf(sql, sizeof sql, "%s INTO %s(%s) VALUES ", verb, table, cols);
        for (int r = 0; r < 1 << k; r++)
            for (int c = 0; c < ncol; c++)
                n += snprintf(sql + n, sizeof sql - (size_t)n, "%s?%s", c ? ", " : r ? ", (" : "(",
                              c == ncol - 1 ? ")" : "");
        if (sqlite3_prepare_v2(db, sql, -1, &in.q[k], NULL) != SQLITE_OK)
            die(db, sql);
    }
    return in;
}

static void fin(ins *in)
{
    for (int k = 0; k < 4; k++)
        sqlite3_finalize(in->q[k]);
}

static void timed_rows(sqlite3 *db, const char *part, const char *table, const char *cols,
                       const img *m)
{
    ins in = prep_insert(db, table, cols, m->ncol);
    start();
    put_rows(db, &in, m, 0, m->nrow);
    stop(part, m->nrow);
    fin(&in);
}

/* ---- the rows ---------------------------------------------------------------------------- */

#define UNIT_COLS_SQL "id, product_id, serial, hardware_revision, release_id, customer_id, " \
                      "manufactured, state, site, param_set_id"
#define EVENT_COLS_SQL "id, unit_id, product_id, time, kind, from_release, to_release, detail, " \
                       "customer_id, actor, result, rma, other_serial, hardware_revision, " \
                       "param_set_id"
#define SPAN_COLS_SQL "unit_id, product_id, valid_from, valid_to, release_id, customer_id, " \
                      "state, hardware_revision, param_set_id"

static img units, events, spans;

static const char *const unit_sql =
    "CREATE TABLE unit (id INTEGER PRIMARY KEY, product_id INTEGER NOT NULL REFERENCES "
    "product(id), serial TEXT NOT NULL, hardware_revision TEXT, release_id INTEGER REFERENCES "
    "release(id), customer_id INTEGER REFERENCES customer(id), manufactured INTEGER, state TEXT "
    "NOT NULL DEFAULT 'in_service' CHECK (state IN ('in_stock', 'shipped', 'in_service', "
    "'in_rma', 'replaced', 'decommissioned')), site TEXT, param_set_id INTEGER REFERENCES "
    "param_set(id), "
    "UNIQUE (product_id, serial))";
static const char *const unit_idx_release = "CREATE INDEX unit_release ON unit(release_id, customer_id)";
static const char *const unit_idx_serial = "CREATE INDEX unit_serial ON unit(serial)";
static const char *const event_cols_def =
    "unit_id INTEGER NOT NULL REFERENCES unit(id), product_id INTEGER NOT NULL, time INTEGER NOT "
    "NULL, kind TEXT NOT NULL CHECK (kind IN ('ship', 'update', 'param_change', 'rma_open', "
    "'rma_close', 'swap', 'replace', 'transfer', 'decommission')), from_release INTEGER "
    "REFERENCES release(id), to_release INTEGER REFERENCES release(id), detail TEXT, customer_id "
    "INTEGER, actor TEXT, result TEXT, rma TEXT, other_serial TEXT, hardware_revision TEXT, "
    "param_set_id INTEGER";
static const char *const span_cols_def =
    "unit_id INTEGER NOT NULL REFERENCES unit(id) ON DELETE CASCADE, product_id INTEGER NOT NULL, "
    "valid_from INTEGER NOT NULL, valid_to INTEGER, release_id INTEGER REFERENCES release(id), "
    "customer_id INTEGER REFERENCES customer(id), state TEXT NOT NULL, hardware_revision TEXT, "
    "param_set_id INTEGER REFERENCES param_set(id)";
#define LEN_CLASS(vf, vt)                                                                         \
    "(CASE WHEN " vt " IS NULL THEN 0 WHEN " vt " - " vf " <= 3600 THEN 1 "                      \
    "WHEN " vt " - " vf " <= 14400 THEN 2 WHEN " vt " - " vf " <= 57600 THEN 3 "                 \
    "WHEN " vt " - " vf " <= 230400 THEN 4 WHEN " vt " - " vf " <= 921600 THEN 5 "               \
    "WHEN " vt " - " vf " <= 3686400 THEN 6 WHEN " vt " - " vf " <= 14745600 THEN 7 "            \
    "WHEN " vt " - " vf " <= 58982400 THEN 8 WHEN " vt " - " vf " <= 235929600 THEN 9 "          \
    "ELSE 10 END)"
static const char *const alive_base =
    "CREATE INDEX unit_span_alive ON unit_span(release_id, " LEN_CLASS("valid_from", "valid_to")
    ", valid_from, valid_to, state, customer_id)";
static const char *const open_base =
    "CREATE INDEX unit_span_open ON unit_span(release_id, valid_to, state, customer_id) "
    "WHERE valid_to IS NULL";

static int64_t len_class(const cell *vf, const cell *vt)
{
    static const int64_t w[] = { 3600, 14400, 57600, 230400, 921600, 3686400, 14745600,
                                 58982400, 235929600 };
    if (vt->type == SQLITE_NULL)
        return 0;
    for (int k = 0; k < 9; k++)
        if (vt->i - vf->i <= w[k])
            return k + 1;
    return 10;
}

static int in_field(const cell *state)
{
    return strcmp(state->s, "decommissioned") != 0 && strcmp(state->s, "replaced") != 0;
}

/* spans + extra integer columns: len_class (and in_field) */
static img spans_plus(int extra)
{
    img m = { spans.ncol + (extra == 3 ? 1 : extra), spans.nrow, NULL };
    m.c = xrealloc(NULL, m.nrow * (size_t)m.ncol * sizeof *m.c);
    for (size_t r = 0; r < m.nrow; r++) {
        for (int k = 0; k < spans.ncol; k++)
            m.c[r * (size_t)m.ncol + (size_t)k] = *at(&spans, r, k);
        m.c[r * (size_t)m.ncol + (size_t)spans.ncol] =
            (cell){ SQLITE_INTEGER, 0, len_class(at(&spans, r, 2), at(&spans, r, 3)), NULL };
        if (extra == 3 && !in_field(at(&spans, r, 6)))
            m.c[r * (size_t)m.ncol + (size_t)spans.ncol] = (cell){ SQLITE_NULL, 0, 0, NULL };
        if (extra == 2)
            m.c[r * (size_t)m.ncol + (size_t)spans.ncol + 1] =
                (cell){ SQLITE_INTEGER, 0, in_field(at(&spans, r, 6)), NULL };
    }
    return m;
}

/* coarse spans: a unit's spans merged while (release, customer, in-field) stay the same:
 * unit_id, valid_from, valid_to, release_id, customer_id, in_field, len_class */
static img spans_coarse(void)
{
    img m = { 7, 0, NULL };
    m.c = xrealloc(NULL, spans.nrow * 7 * sizeof *m.c);
    for (size_t r = 0; r < spans.nrow; r++) {
        const cell *u = at(&spans, r, 0);
        bool same = false;
        if (m.nrow) {
            cell *p = &m.c[(m.nrow - 1) * 7];
            const cell *rel = at(&spans, r, 4), *cu = at(&spans, r, 5);
            same = p[0].i == u->i && p[3].type == rel->type && p[3].i == rel->i &&
                   p[4].type == cu->type && p[4].i == cu->i && p[5].i == in_field(at(&spans, r, 6));
            if (same) {
                p[2] = *at(&spans, r, 3);
                p[6] = (cell){ SQLITE_INTEGER, 0, len_class(&p[1], &p[2]), NULL };
            }
        }
        if (!same) {
            cell *p = &m.c[m.nrow++ * 7];
            p[0] = *u;
            p[1] = *at(&spans, r, 2);
            p[2] = *at(&spans, r, 3);
            p[3] = *at(&spans, r, 4);
            p[4] = *at(&spans, r, 5);
            p[5] = (cell){ SQLITE_INTEGER, 0, in_field(at(&spans, r, 6)), NULL };
            p[6] = (cell){ SQLITE_INTEGER, 0, len_class(&p[1], &p[2]), NULL };
        }
    }
    return m;
}

static sqlite3 *open_dst(const char *dir, const char *name)
{
    char path[4096];
    sqlite3 *db;
    snprintf(path, sizeof path, "%s/%s.db", dir, name);
    unlink(path);
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) /* as the store opens it (driver_sqlite.c) */
        die(db, path);
    char prag[512];
    /* FLOOR_CACHE_KIB: a smaller store with the 1M import's ratio of index data to cache */
    snprintf(prag, sizeof prag, "PRAGMA page_size=16384; PRAGMA journal_mode=DELETE; "
             "PRAGMA synchronous=FULL; PRAGMA cache_size=-%d; PRAGMA temp_store=FILE; "
             "PRAGMA foreign_keys=OFF; PRAGMA ignore_check_constraints=ON",
             env_int("FLOOR_CACHE_KIB", 131072));
    ex(db, prag);
    return db;
}

/* the units import: unit rows (+ UNIQUE autoindex), then its two indexes by one sort each */
static void units_part(sqlite3 *db)
{
    ex(db, unit_sql);
    ex(db, "BEGIN");
    timed_rows(db, "unit rows + autoindex (product_id, serial)", "unit", UNIT_COLS_SQL, &units);
    timed_exec(db, "index unit_release", unit_idx_release);
    timed_exec(db, "index unit_serial", unit_idx_serial);
    timed_exec(db, "commit (units)", "COMMIT");
}

static void run(const char *dir, const char *v)
{
    sqlite3 *db = open_dst(dir, v);
    char sql[4096];
    variant = v;
    sum_cpu = sum_wall = 0;
    units_part(db);
    ex(db, "PRAGMA journal_mode=DELETE");
    if (strcmp(v, "evwr") == 0 || strcmp(v, "m0030") == 0) {
        snprintf(sql, sizeof sql, "CREATE TABLE unit_event (id INTEGER NOT NULL, %s, PRIMARY KEY "
                 "(unit_id, product_id, time, kind)) WITHOUT ROWID", event_cols_def);
        ex(db, sql);
    } else {
        snprintf(sql, sizeof sql, "CREATE TABLE unit_event (id INTEGER PRIMARY KEY, %s)",
                 event_cols_def);
        ex(db, sql);
        ex(db, "CREATE UNIQUE INDEX unit_event_once ON unit_event(unit_id, product_id, time, kind)");
    }
    ex(db, "BEGIN");
    if (strcmp(v, "coarse") == 0) {
        img c = spans_coarse();
        ex(db, "CREATE TABLE unit_span (unit_id INTEGER NOT NULL, valid_from INTEGER NOT NULL, "
               "valid_to INTEGER, release_id INTEGER, customer_id INTEGER, in_field INTEGER NOT "
               "NULL, len_class INTEGER NOT NULL, PRIMARY KEY (unit_id, valid_from)) WITHOUT ROWID");
        timed_rows(db, "unit_event rows + unit_event_once", "unit_event", EVENT_COLS_SQL, &events);
        timed_rows(db, "unit_span rows (coarse)", "unit_span",
                   "unit_id, valid_from, valid_to, release_id, customer_id, in_field, len_class",
                   &c);
        timed_exec(db, "index unit_span_alive (coarse, len_class col, WHERE in_field)",
                   "CREATE INDEX unit_span_alive ON unit_span(release_id, len_class, valid_from, "
                   "valid_to, customer_id) WHERE in_field");
        /* the open state per unit: the spans table no longer has it; one row per unit */
        ex(db, "CREATE TABLE unit_now (unit_id INTEGER PRIMARY KEY, release_id INTEGER, "
               "customer_id INTEGER, state TEXT NOT NULL, since INTEGER NOT NULL)");
        {
            img o = { 5, 0, NULL };
            o.c = xrealloc(NULL, units.nrow * 5 * sizeof *o.c);
            for (size_t r = 0; r < spans.nrow; r++)
                if (at(&spans, r, 3)->type == SQLITE_NULL) {
                    cell *p = &o.c[o.nrow++ * 5];
                    p[0] = *at(&spans, r, 0);
                    p[1] = *at(&spans, r, 4);
                    p[2] = *at(&spans, r, 5);
                    p[3] = *at(&spans, r, 6);
                    p[4] = *at(&spans, r, 2);
                }
            timed_rows(db, "unit_now rows (open state)", "unit_now",
                       "unit_id, release_id, customer_id, state, since", &o);
        }
        timed_exec(db, "index unit_now_open (release_id, state, customer_id)",
                   "CREATE INDEX unit_now_open ON unit_now(release_id, state, customer_id)");
    } else {
        int extra = strcmp(v, "classcol") == 0 ? 1 : strcmp(v, "narrow") == 0 ? 2
                    : strcmp(v, "aclass") == 0 || strcmp(v, "m0030") == 0 ? 3 : 0;
        img s = extra ? spans_plus(extra) : spans;
        snprintf(sql, sizeof sql, "CREATE TABLE unit_span (%s%s%s, PRIMARY KEY (unit_id, "
                 "valid_from)) WITHOUT ROWID", span_cols_def,
                 extra == 3 ? ", alive_class INTEGER" : extra ? ", len_class INTEGER NOT NULL" : "",
                 extra == 2 ? ", in_field INTEGER NOT NULL" : "");
        ex(db, sql);
        const char *cols = extra == 0   ? SPAN_COLS_SQL
                           : extra == 1 ? SPAN_COLS_SQL ", len_class"
                           : extra == 2 ? SPAN_COLS_SQL ", len_class, in_field"
                                        : SPAN_COLS_SQL ", alive_class";
        if (strcmp(v, "interleave") == 0) {
            /* per unit: its events, then its spans (the import's order) */
            ins qe = prep_insert(db, "unit_event", EVENT_COLS_SQL, events.ncol);
            ins qs = prep_insert(db, "unit_span", cols, s.ncol);
            size_t e = 0, p = 0;
            start();
            while (e < events.nrow || p < s.nrow) {
                sqlite3_int64 u = e < events.nrow ? at(&events, e, 1)->i : INT64_MAX;
                sqlite3_int64 us = p < s.nrow ? at(&s, p, 0)->i : INT64_MAX;
                size_t e2 = e, p2 = p;
                if (us < u)
                    u = us;
                while (e2 < events.nrow && at(&events, e2, 1)->i == u)
                    e2++;
                while (p2 < s.nrow && at(&s, p2, 0)->i == u)
                    p2++;
                put_rows(db, &qe, &events, e, e2);
                put_rows(db, &qs, &s, p, p2);
                e = e2;
                p = p2;
            }
            stop("unit_event + unit_span rows, per unit", events.nrow + s.nrow);
            fin(&qe);
            fin(&qs);
        } else {
            timed_rows(db, "unit_event rows + unit_event_once", "unit_event", EVENT_COLS_SQL,
                       &events);
            timed_rows(db, "unit_span rows", "unit_span", cols, &s);
        }
        if (extra == 1)
            timed_exec(db, "index unit_span_alive (len_class column)",
                       "CREATE INDEX unit_span_alive ON unit_span(release_id, len_class, "
                       "valid_from, valid_to, state, customer_id)");
        else if (extra == 3)
            timed_exec(db, "index unit_span_alive (alive_class column, no state, partial)",
                       "CREATE INDEX unit_span_alive ON unit_span(release_id, alive_class, "
                       "valid_from, valid_to, customer_id) WHERE alive_class IS NOT NULL");
        else if (extra == 2)
            timed_exec(db, "index unit_span_alive (len_class, in_field columns, no state)",
                       "CREATE INDEX unit_span_alive ON unit_span(release_id, len_class, "
                       "valid_from, valid_to, in_field, customer_id)");
        else if (strcmp(v, "partial") == 0)
            timed_exec(db, "index unit_span_alive (partial, no state)",
                       "CREATE INDEX unit_span_alive ON unit_span(release_id, "
                       LEN_CLASS("valid_from", "valid_to") ", valid_from, valid_to, customer_id) "
                       "WHERE state NOT IN ('decommissioned', 'replaced')");
        else if (strcmp(v, "nosort") != 0)
            timed_exec(db, "index unit_span_alive", alive_base);
        timed_exec(db, "index unit_span_open", open_base);
    }
    timed_exec(db, "commit (events)", "COMMIT");
    printf("%s\tTOTAL\t%.3f\t%.3f\t0\n", v, sum_cpu, sum_wall);
    fflush(stdout);
    sqlite3_close(db);
}

int main(int argc, char **argv)
{
    sqlite3 *src;
    tick l;
    if (argc < 3) {
        fprintf(stderr, "usage: bench_sqlite_floor SRC.db DIR [variant...]\n");
        return 2;
    }
    if (sqlite3_open_v2(argv[1], &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        die(src, argv[1]);
    rows_per_stmt = env_int("FLOOR_ROWS", rows_per_stmt);
    l = now();
    load(&units, src, "SELECT " UNIT_COLS_SQL " FROM unit ORDER BY id");
    load(&events, src, "SELECT " EVENT_COLS_SQL " FROM unit_event ORDER BY id");
    load(&spans, src, "SELECT " SPAN_COLS_SQL " FROM unit_span ORDER BY unit_id, valid_from");
    sqlite3_close(src);
    fprintf(stderr, "loaded %zu units, %zu events, %zu spans in %.1f s CPU\n", units.nrow,
            events.nrow, spans.nrow, now().cpu - l.cpu);
    printf("variant\tpart\tcpu_s\twall_s\trows\n");
    for (int a = 3; a < argc; a++)
        run(argv[2], argv[a]);
    if (argc == 3)
        run(argv[2], "base");
    return 0;
}

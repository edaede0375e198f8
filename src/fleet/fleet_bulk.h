/* Internal: the bulk paths of the fleet imports (src/fleet/import_csv.c, history.c) into the
 * store (src/store/fleet_store.c). PostgreSQL loads through COPY into temporary staging tables
 * and set-based statements; SQLite through cached prepared statements in one transaction. */
#ifndef CT_FLEET_BULK_H
#define CT_FLEET_BULK_H

#include "cratrace/store.h"

/** True when the backend has COPY (the staged, set-based import path). */
bool ct_store__has_copy(const ct_store *st);

/* COPY text format: tab-separated, "\N" for NULL, backslash escapes; one row per line. */
void ct_copy_text(ct_buf *b, const char *s); /* NULL -> \N */
void ct_copy_int(ct_buf *b, int64_t v);
void ct_copy_opt_int(ct_buf *b, int64_t v, int64_t none); /* v == none -> \N */
void ct_copy_end_row(ct_buf *b);                          /* replaces the last tab by '\n' */

/** A unit by (product, serial) with the fields an import compares: 1 found, 0 absent. */
int ct_store__unit_find_full(ct_unit_rec *out, ct_store *st, int64_t product_id,
                             const char *serial);
/** SQLite bulk unit import: insert a unit that does not exist yet, without its history span
 * (ct_store__spans_of_new_units writes them all at the end, in id order). */
int ct_store__unit_insert_bulk(ct_store *st, int64_t product_id, const char *serial,
                               const char *hardware_revision, int64_t release_id,
                               int64_t customer_id, ct_time manufactured, const char *state);
/** The highest unit id (0: none). New units get higher ids (SQLite rowids: max + 1). */
int ct_store__unit_max_id(int64_t *out, ct_store *st);
/** The one default span (the registered record) of every unit with id > after_id: units the
 * running import inserted, which have no events and no spans yet. */
int ct_store__spans_of_new_units(ct_store *st, int64_t after_id);
/** SQLite: foreign-key enforcement on/off. The bulk imports switch it off for their
 * transaction: every id they write was looked up in (or inserted into) the store by the same
 * transaction, so the per-row parent lookups re-check what holds by construction. Must be
 * called outside a transaction; a no-op elsewhere. */
int ct_store__foreign_keys(ct_store *st, bool on);
/** SQLite: CHECK constraint enforcement on/off (PRAGMA ignore_check_constraints). The CHECKs
 * of the tables the fleet imports write (unit.state, unit_event.kind: "x IN (list)") test what
 * the imports check in C against the same lists before any write; SQLite evaluates such an IN
 * list through a temporary b-tree built afresh for every executed INSERT (a third of a
 * one-row event insert). Must be called outside a transaction; a no-op elsewhere. */
int ct_store__check_constraints(ct_store *st, bool on);
/** SQLite: the page cache of this connection, in MiB (PRAGMA cache_size; ct_store_bulk_mode
 * sets it back when bulk mode ends). It also bounds the sorter's memory when an index is
 * created (SQLite sorts up to cache_size bytes in memory, then spills to a temporary file), so
 * a large import's peak is about twice this. A no-op elsewhere. */
#define CT_EVENTS_IMPORT_CACHE_MIB 128
int ct_store__cache_mib(ct_store *st, int mib);
/** SQLite events import into a store without events (every unit has only its default span,
 * the registered record): delete every span at once (with the unit_count triggers dropped,
 * SQLite clears the B-trees instead of deleting row by row), write the spans of the units the
 * import gives events, then ct_store__spans_of_units_without: the default span of every unit
 * left without a span (ordered by id), as ct_store__spans_of_new_units writes it. */
int ct_store__spans_delete_all(ct_store *st);
int ct_store__spans_of_units_without(ct_store *st);
/** Call fn for every unit (serial, id) of a product. */
int ct_store__units_of_product(ct_store *st, int64_t product_id,
                               int (*fn)(void *arg, const char *serial, int64_t id), void *arg);

/* Staged unit import (COPY backends). Rows: line, product_id, serial, hardware_revision,
 * release_id, customer_id, manufactured, state (the effective state). */
int ct_store__units_stage_open(ct_store *st);
int ct_store__units_stage_flush(ct_store *st, ct_buf *rows);
/** Upsert the staged rows; *unchanged_out = rows that matched the stored unit exactly. */
int ct_store__units_stage_apply(ct_store *st, uint64_t *unchanged_out);

/* Staged event import (COPY backends). Rows: line, unit_id, product_id, time, kind,
 * from_release, to_release, detail, customer_id, actor, result, rma, other_serial,
 * hardware_revision, param_set_id. */
int ct_store__events_stage_open(ct_store *st);
int ct_store__events_stage_flush(ct_store *st, ct_buf *rows);
/** Insert the staged events once per (unit, time, kind), first row in the file wins;
 * *inserted_out = new events, *touched_out = the units that got any (sorted, unique, NEW). */
int ct_store__events_stage_apply(ct_store *st, uint64_t *inserted_out, int64_t **touched_out,
                                 size_t *ntouched_out);

/* History in bulk: units and their events by id range (ordered by id / unit, time, id). */
int ct_store__units_load_range(ct_unit_rec **out, size_t *n_out, ct_store *st, int64_t lo,
                               int64_t hi);
void ct_store__units_free(ct_unit_rec *u, size_t n);
int ct_store__events_load_range(ct_unit_event_rec **out, size_t *n_out, ct_store *st,
                                int64_t lo, int64_t hi);
/** Delete the spans of unit ids lo..hi (all of them) or of unit lo only (hi == lo). */
int ct_store__spans_delete_range(ct_store *st, int64_t lo, int64_t hi);
/** Write one span: straight away (SQLite) or into copy for ct_store__spans_flush (COPY). */
int ct_store__span_put(ct_store *st, ct_buf *copy, const ct_unit_rec *unit,
                       const ct_unit_span *s);
int ct_store__spans_flush(ct_store *st, ct_buf *copy);

/** A large rebuild on a backend without COPY (SQLite): drop unit_span's secondary indexes and
 * keep their definitions in *saved (CREATE statements); ct_store__span_indexes_restore creates
 * them again in the same transaction (one sort each instead of a random insert per span).
 * *dropped_out = false (nothing done) when the store has COPY or the rebuild is small:
 * touched units < CT_SPAN_REINDEX_MIN or less than a third of the units. */
#define CT_SPAN_REINDEX_MIN 20000
int ct_store__span_indexes_drop(bool *dropped_out, ct_store *st, ct_buf *saved, size_t touched);
int ct_store__span_indexes_restore(ct_store *st, const ct_buf *saved);
/** SQLite units import into a store without units: drop unit's secondary indexes
 * (unit_release, unit_serial; the UNIQUE (product_id, serial) autoindex stays and is checked on
 * every insert), keeping their CREATE statements in *saved for ct_store__unit_indexes_restore in
 * the same transaction (one sort each instead of a random B-tree insert per unit and index).
 * *dropped_out = false (nothing done) with COPY. */
int ct_store__unit_indexes_drop(bool *dropped_out, ct_store *st, ct_buf *saved);
int ct_store__unit_indexes_restore(ct_store *st, const ct_buf *saved);

/** SQLite: run the next transaction with a rollback journal instead of WAL (on), and go back
 * to WAL after it (off; a no-op unless on switched). For the first import into an empty fleet
 * table: its pages are new, and a rollback journal keeps nothing for new pages while WAL
 * writes each twice. *switched_out = false (nothing done) on other backends, inside a
 * transaction, or when another connection keeps the store in WAL. */
int ct_store__rollback_journal(bool *switched_out, ct_store *st, bool on);

/** SQLite: keep the sorter's temporary data on disk (on) or in memory (off, the default).
 * Creating the unit_span indexes again after a large rebuild sorts every span; in memory that
 * took over 1 GB at 1M units. Must be called outside a transaction; a no-op elsewhere. */
int ct_store__temp_on_disk(ct_store *st, bool on);

/** SQLite event import: does unit_event hold any row / any row of this unit? */
int ct_store__events_any(bool *out, ct_store *st);
int ct_store__unit_has_events(bool *out, ct_store *st, int64_t unit_id);
/** Insert an event known to be new (plain INSERT, no ON CONFLICT clause: SQLite then runs it
 * without a statement journal). The unique index still rejects a duplicate (CT_EEXISTS). */
int ct_store__event_insert_new(ct_store *st, const ct_unit_event_rec *ev);
/** The same for ev[0..n) in this order (ids follow it), several rows per statement on SQLite
 * (8, 4, 2, then 1: the table cursor appends without a descent from the root per row). */
int ct_store__events_insert_new(ct_store *st, const ct_unit_event_rec *const *ev, size_t n);
/** SQLite: write spans s[0..n) of a unit that has none stored, several rows per statement. */
int ct_store__spans_put_new(ct_store *st, const ct_unit_rec *unit, const ct_unit_span *s,
                            size_t n);
/** SQLite: drop unit_span's unit_count stale triggers (migration 0013) for a bulk import,
 * marking the cache stale once instead (what they would do on the first current-span change),
 * and keep their definitions in *saved; ct_store__span_triggers_restore creates them again in
 * the same transaction. Without a trigger a one-row span INSERT or DELETE needs no statement
 * journal. *dropped_out = false (nothing done) on a backend with COPY. */
int ct_store__span_triggers_drop(bool *dropped_out, ct_store *st, ct_buf *saved);
int ct_store__span_triggers_restore(ct_store *st, const ct_buf *saved);

/* PostgreSQL events import without staging (migration 0017: unit_event has no foreign keys;
 * docs/fleet.md "Large imports"). COPY rows as for ct_store__events_stage_flush without the
 * line column, straight into unit_event. */
int ct_store__events_copy(ct_store *st, ct_buf *rows);
/** Call fn for each of units ids[0..n) that has any stored event. */
int ct_store__units_with_events(ct_store *st, const int64_t *ids, size_t n,
                                int (*fn)(void *arg, int64_t unit_id), void *arg);
/** *missing_out = an id of ids[0..n) that is not in the table (0: all there); kind 0 release,
 * 1 customer, 2 parameter set. */
#define CT_REF_RELEASE 0
#define CT_REF_CUSTOMER 1
#define CT_REF_PARAM_SET 2
#define CT_REF_PRODUCT 3
int ct_store__event_refs_missing(int64_t *missing_out, ct_store *st, int kind, const int64_t *ids,
                                 size_t n);
/** Delete the spans of units ids[0..n) (any order). */
int ct_store__spans_delete_ids(ct_store *st, const int64_t *ids, size_t n);
/** PostgreSQL, first events import of a fleet: drop unit_span's secondary (non-unique)
 * indexes, keeping their CREATE statements in *saved for ct_store__span_indexes_restore in the
 * same transaction (one sorted build per partition instead of a random insert per span and
 * index). The primary key stays. *dropped_out = false without COPY. */
int ct_store__pg_span_indexes_drop(bool *dropped_out, ct_store *st, ct_buf *saved);
/** The same for unit_event's indexes that back no constraint, unique ones included
 * (unit_event_once: the caller re-creates it before anything relies on it, e.g. ON CONFLICT). */
int ct_store__pg_event_indexes_drop(bool *dropped_out, ct_store *st, ct_buf *saved);
/** The same for unit's indexes that back no constraint (unit_release, unit_serial). */
int ct_store__pg_unit_indexes_drop(bool *dropped_out, ct_store *st, ct_buf *saved);
/** Run the CREATE statements saved by a ct_store__pg_*_indexes_drop (table: for the error). */
int ct_store__pg_indexes_restore(ct_store *st, const ct_buf *saved, const char *table);
/** PostgreSQL: maintenance_work_mem for the rest of the import's transaction (SET LOCAL,
 * CT_PG_INDEX_BUILD_MIB): the index builds after a first large import sort in memory. */
#define CT_PG_INDEX_BUILD_MIB 256
int ct_store__pg_maintenance_mem(ct_store *st);
/** PostgreSQL: ANALYZE the tables a large import wrote, in its transaction (the statistics
 * commit with the rows), so that the first queries after it are planned on them instead of
 * waiting for autovacuum. units: unit and unit_span, else unit_event and unit_span. A no-op
 * without COPY. CT_PG_ANALYZE_MIN_ROWS: rows an import writes before it does this. It samples
 * at default_statistics_target 30 (PG_IMPORT_STATS_TARGET in fleet_store.c) and sets the
 * default back; autovacuum later re-analyses the written partitions at the server's target. */
#define CT_PG_ANALYZE_MIN_ROWS 100000
int ct_store__pg_analyze_fleet(ct_store *st, bool units);
/** PostgreSQL, first events import of a large fleet (unit_event empty; docs/fleet.md
 * "PostgreSQL events import"): copy unit_span's rows into the temporary table ct_keep_span and
 * TRUNCATE unit_event and unit_span, so that this transaction may COPY ... FREEZE into their
 * partitions (frozen, all-visible rows). *done_out = false (nothing done) without COPY. */
/** PostgreSQL: lock unit_event and unit_span against other writers (SHARE ROW EXCLUSIVE, until
 *  the import's transaction ends; readers go on) before the import asks whether any event is
 *  stored, so that the answer holds until the commit: events another session commits between
 *  the question and a TRUNCATE would otherwise be lost. Nothing on SQLite (the import's write
 *  transaction already excludes other writers). */
int ct_store__pg_events_lock(ct_store *st);
int ct_store__pg_events_truncate(bool *done_out, ct_store *st);
/** The leaf partition of the hash-partitioned table that holds product_id's rows (quoted,
 * qualified; NEW into *out), or *out = NULL when there is none. */
int ct_store__pg_partition_of(char **out, ct_store *st, const char *table, int64_t product_id);
/** n ids of unit_event's sequence in a row, the first into *first_out; only while this
 * transaction holds unit_event's lock (after ct_store__pg_events_truncate). */
int ct_store__event_ids_reserve(int64_t *first_out, ct_store *st, size_t n);
/** COPY rows into partition rel with FREEZE: ct_store__spans_flush's columns, for events id
 * and then ct_store__events_copy's. rel must have been truncated by this transaction (no
 * savepoint since); rel NULL: a plain COPY into the table. */
int ct_store__events_copy_frozen(ct_store *st, const char *rel, ct_buf *rows);
int ct_store__spans_copy_frozen(ct_store *st, const char *rel, ct_buf *rows);
/** PostgreSQL: drop table's primary key (on every partition), its ALTER TABLE ... ADD
 * CONSTRAINT statement appended to *saved for ct_store__pg_indexes_restore. For tables this
 * transaction truncated: one sorted build at the end instead of a B-tree insert per row. */
int ct_store__pg_pkey_drop(ct_store *st, const char *table, ct_buf *saved);
/** The same for table's primary key and unique constraints (unit: (id, product_id) and
 * (product_id, serial)). */
int ct_store__pg_keys_drop(ct_store *st, const char *table, ct_buf *saved);
/** PostgreSQL, first units import of a large fleet (fleetpg8): lock unit and unit_span, and
 * when both are empty TRUNCATE them (*done_out = true), so that this transaction may COPY ...
 * FREEZE into their partitions. *done_out = false (nothing truncated) without COPY or when
 * either table has a row. */
int ct_store__pg_units_truncate(bool *done_out, ct_store *st);
/** PostgreSQL: remember the partitions of table that hold products product_ids[0..n) for a
 * VACUUM once the import has committed (a large import whose rows did not go in frozen: the
 * visibility map of its new pages, docs/fleet.md). A no-op without COPY. */
int ct_store__pg_vacuum_later(ct_store *st, const char *table, const int64_t *product_ids,
                              size_t n);
/** After an import's commit (rc: its result): VACUUM the remembered partitions when rc == 0
 * and no caller's transaction is open; a failure there is logged as a warning (CT_LOG_WARN),
 * the import stays committed. Forgets them in any case; returns rc. */
int ct_store__pg_vacuum_after_commit(ct_store *st, int rc);
/** COPY rows into partition rel of unit_span (ct_store__spans_flush's columns) or of unit
 * (ct_store__units_copy's columns), with FREEZE when freeze (rel truncated by this transaction,
 * no savepoint since); rel NULL: a plain COPY into the table. */
int ct_store__spans_copy_part(ct_store *st, const char *rel, bool freeze, ct_buf *rows);
int ct_store__units_copy_part(ct_store *st, const char *rel, bool freeze, ct_buf *rows);
/** After ct_store__pg_events_truncate: the kept spans of units ids[0..n) back into unit_span,
 * then drop ct_keep_span. */
int ct_store__pg_kept_spans_restore(ct_store *st, const int64_t *ids, size_t n);

/* The events import on a backend with COPY (src/fleet/events_copy.c). Rows are added in file
 * order. The consecutive rows of a unit met for the first time in the file that has no stored
 * events are de-duplicated in C (first row per time and kind wins), COPYed straight into
 * unit_event in file order, and the unit's spans derived from them in C and COPYed, in chunks
 * of units; every other row goes to the staging table (ct_store__events_stage_*). */
typedef struct ct_fleet_copy_events ct_fleet_copy_events;
int ct_fleet__copy_events_new(ct_fleet_copy_events **out, ct_store *st);
int ct_fleet__copy_events_add(ct_fleet_copy_events *ce, ct_store *st, const ct_unit_event_rec *ev,
                              int64_t line);
/** Write what is pending, check the references, apply the staged rows. *inserted_out = new
 * events; *touched_out = units whose staged rows added events (their history is to be
 * rebuilt; sorted, unique, NEW). */
int ct_fleet__copy_events_finish(ct_fleet_copy_events *ce, ct_store *st, uint64_t *inserted_out,
                                 int64_t **touched_out, size_t *ntouched_out);
void ct_fleet__copy_events_free(ct_fleet_copy_events *ce);

/* PostgreSQL units import without staging (migration 0022: unit has no foreign keys). */
/** ids[0..n) = n new unit ids from unit's sequence (not necessarily consecutive). */
int ct_store__unit_ids_reserve(int64_t *ids, ct_store *st, size_t n);
/** COPY rows id, product_id, serial, hardware_revision, release_id, customer_id, manufactured,
 * state straight into unit (rows is emptied). */
int ct_store__units_copy(ct_store *st, ct_buf *rows);

/* The units import on a backend with COPY (src/fleet/events_copy.c): a unit not in the store
 * gets an id reserved from unit's sequence and goes by COPY straight into unit, its default
 * span (the registered record) by COPY into unit_span; the product, release and customer ids
 * written are checked as sets by finish. Units already stored take the staging table. */
typedef struct ct_fleet_copy_units ct_fleet_copy_units;
int ct_fleet__copy_units_new(ct_fleet_copy_units **out, ct_store *st);
/** Add a unit known not to be stored; *id_out = its new id. */
int ct_fleet__copy_units_add(int64_t *id_out, ct_fleet_copy_units *cu, ct_store *st,
                             int64_t product_id, const char *serial, const char *hardware_revision,
                             int64_t release_id, int64_t customer_id, ct_time manufactured,
                             const char *state);
/** Write what is pending and check the references; *added_out = units written. */
int ct_fleet__copy_units_finish(ct_fleet_copy_units *cu, ct_store *st, uint64_t *added_out);
void ct_fleet__copy_units_free(ct_fleet_copy_units *cu);

/** Rebuild the histories of units ids[0..n) (sorted, unique) in bulk. */
int ct_fleet__rebuild_units(ct_store *st, const int64_t *ids, size_t n);

/* SQLite, unit_event without rowid (migration 0030): the writer numbers new events. A bulk
 * import reads the highest id handed out once, numbers its rows in C (in the order it inserts
 * them, the order a rowid table would have numbered them) and writes the counter back before it
 * commits. Defined in src/store/fleet_store.c. */
/** SQLite: *out = store_state 'unit_event_id', the highest event id handed out. */
int ct_store__event_id_last(int64_t *out, ct_store *st);
/** SQLite: store last as the highest event id handed out (before the import commits). */
int ct_store__event_id_set_last(ct_store *st, int64_t last);
/** SQLite: ct_store_unit_event_add_ex with the caller's id (*added_out: a row was written; a
 * stored (unit, time, kind) writes nothing and the id stays free). */
int ct_store__event_add_id(bool *added_out, ct_store *st, const ct_unit_event_rec *ev, int64_t id);
/** SQLite: a unit's new events (none stored, no duplicates), numbered first_id, first_id + 1,
 * ... in the order given; 8, 4, 2 rows per statement, then one (ct_store__events_insert_new). */
int ct_store__events_insert_ids(ct_store *st, const ct_unit_event_rec *const *ev, size_t n,
                                int64_t first_id);

#endif

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

/** SQLite: keep the sorter's temporary data on disk (on) or in memory (off, the default).
 * Creating the unit_span indexes again after a large rebuild sorts every span; in memory that
 * took over 1 GB at 1M units. Must be called outside a transaction; a no-op elsewhere. */
int ct_store__temp_on_disk(ct_store *st, bool on);

/** Rebuild the histories of units ids[0..n) (sorted, unique) in bulk. */
int ct_fleet__rebuild_units(ct_store *st, const int64_t *ids, size_t n);

#endif

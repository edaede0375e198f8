/* SQLite, unit_event without rowid (migration 0030): the writer numbers new events. A bulk
 * import reads the highest id handed out once, numbers its rows in C (in the order it inserts
 * them, the order a rowid table would have numbered them) and writes the counter back before it
 * commits. Declared here for src/fleet/import_csv.c; defined in src/store/fleet_store.c. */
#ifndef CT_FLEET_EVENT_IDS_H
#define CT_FLEET_EVENT_IDS_H

#include "cratrace/store.h"

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

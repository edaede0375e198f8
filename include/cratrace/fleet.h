/* fleet: unit history (spans derived from events) and point-in-time reasoning. */
#ifndef CRATRACE_FLEET_H
#define CRATRACE_FLEET_H

#include "cratrace/store.h"

/** Derive a unit's history spans from its registered record and its events (sorted by time).
 * Rules: before the first event a unit is in stock on the release its first update started
 * from; ship → shipped (to the event's customer, else the unit's); a successful update or
 * install → new release, in service; param_change → new parameter set; rma_open → in RMA,
 * rma_close → in service; swap → new hardware revision; replace → replaced; transfer → new
 * customer; decommission → decommissioned. An event at time t takes effect at t.
 * *out NEW (ct_free). */
CT_EXTERN int ct_fleet_spans(ct_unit_span **out, size_t *n_out, const ct_unit_rec *unit,
                             const ct_unit_event_rec *ev, size_t n);

/** Recompute and store the history of one unit from its events. */
CT_EXTERN int ct_fleet_rebuild_unit(ct_store *st, int64_t unit_id);

#endif

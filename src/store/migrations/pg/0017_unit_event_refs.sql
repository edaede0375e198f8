-- 0017_unit_event_refs (issue 7): unit_event's foreign keys go; the store checks an event's
-- references itself, once per write instead of once per row and key in a trigger.
-- Each key was an AFTER trigger running one query per row (for the unit: on the partitioned
-- unit table); a 1M-unit events import writes 10M rows, five checks each, and they took most
-- of the import (docs/PERFORMANCE.md, fleet section). Every library write path checks:
--   * ct_store_unit_event_add_ex (one event): one query before the insert that finds a missing
--     unit (id and product), release (from/to), customer or parameter set; refused, nothing
--     written (CT_ENOTFOUND naming the reference).
--   * the CSV events import, direct COPY of units met for the first time: the unit's row is
--     read (id and product compared in C) to derive its spans; the release, customer and
--     parameter-set ids it wrote are checked as sets at the end (one anti-join each).
--   * the CSV events import, staged rows (units with stored events): one anti-join over the
--     staging table before its INSERT.
-- Any failure rolls the import back. Nothing deletes units, releases, customers or parameter
-- sets; code that starts to must delete or check the events that point at them (the ON DELETE
-- CASCADE of the unit key goes with it, as for unit_span in 0012).
-- Tests: tests/fleet/test_pg_event_refs.c (both backends; SQLite keeps its keys, sqlite/0017).
ALTER TABLE unit_event
    DROP CONSTRAINT IF EXISTS unit_event_p_unit_id_product_id_fkey,
    DROP CONSTRAINT IF EXISTS unit_event_p_from_release_fkey,
    DROP CONSTRAINT IF EXISTS unit_event_p_to_release_fkey,
    DROP CONSTRAINT IF EXISTS unit_event_p_customer_id_fkey,
    DROP CONSTRAINT IF EXISTS unit_event_p_param_set_id_fkey;

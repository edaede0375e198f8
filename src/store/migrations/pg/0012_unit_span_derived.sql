-- 0012_unit_span_derived (issue 7): unit_span is derived data, rebuilt from a unit's row and its
-- events by the history code (src/fleet/history.c), which reads them in the same transaction.
-- Its foreign keys re-checked, per span row, what unit and unit_event (which keep theirs)
-- already guarantee: every release, customer and parameter set id in a span comes from the
-- unit or one of its events, and every span's unit was just read. On PostgreSQL each check is
-- a trigger running a query per row (for the unit: on the partitioned parent); a 1M-unit import
-- writes ~10M spans. Nothing deletes units, releases, customers or parameter sets today; code
-- that starts to must delete the units' spans itself (the ON DELETE CASCADE goes with the key).
ALTER TABLE unit_span
    DROP CONSTRAINT IF EXISTS unit_span_p_release_id_fkey,
    DROP CONSTRAINT IF EXISTS unit_span_p_customer_id_fkey,
    DROP CONSTRAINT IF EXISTS unit_span_p_param_set_id_fkey,
    DROP CONSTRAINT IF EXISTS unit_span_p_unit_id_product_id_fkey;

-- 0022_unit_refs (issue 7): unit's foreign keys go; the store checks a unit's references itself,
-- once per write instead of once per row and key in a trigger (as 0017 did for unit_event).
-- Each key was an AFTER trigger queued and run per inserted or updated row (product, release,
-- customer, parameter set: four per unit, the last even when NULL); a 1M-unit import queued 4M
-- of them. Every library write path checks:
--   * ct_store_unit_upsert (one unit): one query before the write that finds a missing product,
--     release or customer; refused, nothing written (CT_ENOTFOUND naming the reference).
--   * the CSV units import, units not in the store (COPY straight into unit): every id was
--     resolved from a name by the same transaction; the product, release and customer ids it
--     wrote are checked again as sets at the end (one anti-join each, src/fleet/events_copy.c).
--   * the CSV units import, stored units (staging table): one anti-join over the staging table
--     before its INSERT ... ON CONFLICT DO UPDATE.
-- No path writes unit.param_set_id (always NULL). Nothing deletes products, releases or
-- customers; code that starts to must check the units that point at them.
-- Tests: tests/fleet/test_pg_unit_refs.c (both backends; SQLite keeps its keys, sqlite/0022).
ALTER TABLE unit
    DROP CONSTRAINT IF EXISTS unit_p_product_id_fkey,
    DROP CONSTRAINT IF EXISTS unit_p_release_id_fkey,
    DROP CONSTRAINT IF EXISTS unit_p_customer_id_fkey,
    DROP CONSTRAINT IF EXISTS unit_p_param_set_id_fkey;

-- Two indexes no PostgreSQL plan needs (EXPLAIN on a 100k-unit fleet, docs/PERFORMANCE.md
-- "Issue 7, PostgreSQL COPY round 2"): unit_span_at (0010) was chosen for `affected --at` in
-- some partitions only by cost ties with unit_span_alive (0015), which serves it as well, and
-- for "now" counts interchangeably with unit_span_affected (0005); unit_event_unit (0003) is
-- the prefix of unit_event_once (0004), which serves the unit's events (unit show, history
-- rebuilds). Building them costs 1.4 s (spans) and 0.7 s (events) of CPU per million rows
-- after a first large import, and each insert outside it.
DROP INDEX IF EXISTS unit_span_at;
DROP INDEX IF EXISTS unit_event_unit;

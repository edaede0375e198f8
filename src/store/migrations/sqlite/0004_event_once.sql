-- 0004_event_once: an event is recorded once per (unit, time, kind), enforced by the store so
-- that re-imports are one statement per row.
CREATE UNIQUE INDEX unit_event_once ON unit_event(unit_id, product_id, time, kind);

-- 0025_span_open (issue 7): on PostgreSQL unit_span_affected (0005: every span, keyed
-- (release_id, valid_to, state, customer_id)) becomes unit_span_open, a partial index on the open
-- spans only: one entry per unit instead of one per span (about 10 on a fleet with 10 events per
-- unit). Every query it served states s.valid_to IS NULL ("now": affected and its customers,
-- rollout, the unit_count recount, customers show), and the planner answers them from the
-- partial index (index-only: valid_to is implied by the predicate). The --at questions read
-- unit_span_alive (0015), unit show --at the primary key. Building it after a first large import
-- sorts ~1M entries per 1M units instead of ~10M (docs/PERFORMANCE.md, "Issue 7, PostgreSQL
-- round 3 (fleetpg3)"); each span written outside such an import updates it only while open.
-- SQLite made the same change in 0021 (sqlite/0021_fleet_btrees.sql: unit_span_open).
CREATE INDEX IF NOT EXISTS unit_span_open ON unit_span (release_id, state, customer_id)
    WHERE valid_to IS NULL;
DROP INDEX IF EXISTS unit_span_affected;

-- 0021_fleet_btrees (issue 7): on SQLite unit_span becomes WITHOUT ROWID on its primary key,
-- unit_span_at goes, unit_span_affected becomes a partial index on the open spans
-- (unit_span_open) and unit_event_unit goes (see sqlite/0021_fleet_btrees.sql). PostgreSQL's
-- fleet tables, indexes and their query plans are tuned on their own (the COPY path; the
-- partitioned tables): nothing changes here, the number is kept in step.
SELECT 1;

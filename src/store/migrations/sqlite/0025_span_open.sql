-- 0025_span_open (issue 7): on PostgreSQL unit_span_affected becomes the partial index
-- unit_span_open on the open spans (see pg/0025_span_open.sql). SQLite made that change in 0021
-- (sqlite/0021_fleet_btrees.sql). Nothing to change: the number is kept in step.
SELECT 1;

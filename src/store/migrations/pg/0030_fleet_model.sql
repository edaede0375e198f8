-- 0030_fleet_model (issue 7): on SQLite unit_event becomes WITHOUT ROWID on its unique key and
-- unit_span gets the plain column alive_class that unit_span_alive is built over (see
-- sqlite/0030_fleet_model.sql). Both changes are SQLite storage cuts measured on SQLite's floor
-- (bench/bench_sqlite_floor.c): PostgreSQL tables are heaps, so a row and its unique key are
-- two structures in any schema, and its ids come from the table's sequence. PostgreSQL's import
-- and unit_span_alive were not measured for them: nothing changes here, the number is kept in
-- step.
SELECT 1;

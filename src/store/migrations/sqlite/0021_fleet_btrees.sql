-- 0021_fleet_btrees (issue 7, SQLite): fewer B-trees per history row, so that a large fleet
-- import writes and sorts less (docs/PERFORMANCE.md, "Issue 7, SQLite import round 2").
-- unit_span was a rowid table with PRIMARY KEY (unit_id, valid_from) (a second B-tree, the
-- autoindex) and three secondary indexes: five B-trees per span. Now:
--  * unit_span is WITHOUT ROWID on its primary key: the rows live in (unit_id, valid_from)
--    order, one B-tree for the row and its key (SPAN_AT, the per-unit deletes read it).
--  * unit_span_at (0010) goes: since 0015 the `--at` questions read unit_span_alive, and its
--    last user, UNIT_COUNT_PAIRS (valid_to IS NULL), reads unit_span_open below.
--  * unit_span_affected (0005, every span) becomes unit_span_open, partial on the open spans
--    (valid_to IS NULL: one per unit instead of ~11 per unit with 10 events): every query that
--    used it (AFFECTED_UNITS, AFFECTED_CUSTOMERS, ROLLOUT_RELEASES, UNIT_COUNT_PAIRS) states
--    s.valid_to IS NULL, which is what lets SQLite use a partial index. valid_to (always NULL
--    here, one byte) stays a column: SQLite 3.40 counts an index as covering only when it holds
--    every column the query names, and without it the planner takes unit_span_alive instead.
--  * unit_span_alive (0015) stays as it is.
-- unit_event keeps its rowid (ids order same-time events) and unit_event_once (unit_id,
-- product_id, time, kind); unit_event_unit (unit_id, time) goes: every query that used it pins
-- unit_id, which unit_event_once starts with (a unit's ~10 events are sorted by time in a few
-- microseconds where a query orders them).
-- The same rows stay: the table is copied in key order, the triggers of 0013 are created again
-- word for word. PostgreSQL: see pg/0021_fleet_btrees.sql.
CREATE TABLE unit_span_0021 (
    unit_id            INTEGER NOT NULL REFERENCES unit(id) ON DELETE CASCADE,
    product_id         INTEGER NOT NULL,
    valid_from         INTEGER NOT NULL,
    valid_to           INTEGER,
    release_id         INTEGER REFERENCES release(id),
    customer_id        INTEGER REFERENCES customer(id),
    state              TEXT NOT NULL,
    hardware_revision  TEXT,
    param_set_id       INTEGER REFERENCES param_set(id),
    PRIMARY KEY (unit_id, valid_from)
) WITHOUT ROWID;
INSERT INTO unit_span_0021(unit_id, product_id, valid_from, valid_to, release_id, customer_id,
                           state, hardware_revision, param_set_id)
    SELECT unit_id, product_id, valid_from, valid_to, release_id, customer_id, state,
           hardware_revision, param_set_id FROM unit_span ORDER BY unit_id, valid_from;
DROP TABLE unit_span;
ALTER TABLE unit_span_0021 RENAME TO unit_span;
CREATE INDEX unit_span_open ON unit_span(release_id, valid_to, state, customer_id)
    WHERE valid_to IS NULL;
CREATE INDEX unit_span_alive ON unit_span(release_id,
    (CASE WHEN valid_to IS NULL THEN 0 WHEN valid_to - valid_from <= 3600 THEN 1
     WHEN valid_to - valid_from <= 14400 THEN 2 WHEN valid_to - valid_from <= 57600 THEN 3
     WHEN valid_to - valid_from <= 230400 THEN 4 WHEN valid_to - valid_from <= 921600 THEN 5
     WHEN valid_to - valid_from <= 3686400 THEN 6 WHEN valid_to - valid_from <= 14745600 THEN 7
     WHEN valid_to - valid_from <= 58982400 THEN 8 WHEN valid_to - valid_from <= 235929600 THEN 9
     ELSE 10 END),
    valid_from, valid_to, state, customer_id);
CREATE TRIGGER unit_span_stale_ins AFTER INSERT ON unit_span WHEN NEW.valid_to IS NULL
BEGIN
    UPDATE unit_count_state SET gen = counted + 1 WHERE id = 1 AND gen = counted;
END;
CREATE TRIGGER unit_span_stale_del AFTER DELETE ON unit_span WHEN OLD.valid_to IS NULL
BEGIN
    UPDATE unit_count_state SET gen = counted + 1 WHERE id = 1 AND gen = counted;
END;
CREATE TRIGGER unit_span_stale_upd AFTER UPDATE ON unit_span
WHEN OLD.valid_to IS NULL OR NEW.valid_to IS NULL
BEGIN
    UPDATE unit_count_state SET gen = counted + 1 WHERE id = 1 AND gen = counted;
END;
DROP INDEX unit_event_unit;

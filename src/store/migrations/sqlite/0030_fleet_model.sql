-- 0030_fleet_model (issue 7, SQLite): two fewer B-tree costs per history row for a large fleet
-- import (docs/PERFORMANCE.md, "SQLite floor and round 6 (fleetsql8)": measured on the floor).
--  * unit_event becomes WITHOUT ROWID on its unique key (unit_id, product_id, time, kind): one
--    B-tree for the row and the key instead of the rowid table plus unit_event_once. id stays a
--    column with the same values (it orders same-time events: EVENTS_SHOW and the read-back
--    sort by time, id). Without a rowid nothing numbers new rows: the writers do, from
--    store_state 'unit_event_id' (the highest id handed out; rows are never deleted, so this is
--    the max(id) + 1 a rowid table would have given). One event (ct_store_unit_event_add_ex)
--    takes max + 1 and raises the counter in the same transaction; a bulk import reads the
--    counter once, numbers its rows in C and writes it back before it commits.
--  * unit_span gets alive_class, a plain column: the span length class of 0015 (0 open, 1-9
--    closed and at most 3600 * 4^(class - 1) seconds long, 10 longer), NULL for a span whose
--    state is not in the field (decommissioned, replaced). unit_span_alive is built over it,
--    partial on alive_class IS NOT NULL and without state: `affected --at` (AFFECTED_SPANS_AT)
--    joins on alive_class and reads only spans in the field. The 0015 index held a CASE
--    expression and state: its build evaluated the CASE per span and sorted wider entries. An
--    index on a generated column is not covering in SQLite 3.40, so every SQLite writer of
--    unit_span fills the column (the import's statements in C, the INSERT ... SELECT texts with
--    the same rule in SQL); the CHECK says what it must hold (the bulk imports run with
--    ignore_check_constraints, their value is computed in C by the same rule).
-- Rows stay the same: both tables are copied in key order, unit_span_open and the unit_count
-- triggers of 0013 are created again word for word. PostgreSQL: see pg/0030_fleet_model.sql.
CREATE TABLE unit_event_0030 (
    id                 INTEGER NOT NULL,
    unit_id            INTEGER NOT NULL REFERENCES unit(id),
    product_id         INTEGER NOT NULL,
    time               INTEGER NOT NULL,
    kind               TEXT NOT NULL
                       CHECK (kind IN ('ship', 'update', 'param_change', 'rma_open', 'rma_close',
                                       'swap', 'replace', 'transfer', 'decommission')),
    from_release       INTEGER REFERENCES release(id),
    to_release         INTEGER REFERENCES release(id),
    detail             TEXT,
    customer_id        INTEGER REFERENCES customer(id),
    actor              TEXT,
    result             TEXT,
    rma                TEXT,
    other_serial       TEXT,
    hardware_revision  TEXT,
    param_set_id       INTEGER REFERENCES param_set(id),
    PRIMARY KEY (unit_id, product_id, time, kind)
) WITHOUT ROWID;
INSERT INTO unit_event_0030(id, unit_id, product_id, time, kind, from_release, to_release,
                            detail, customer_id, actor, result, rma, other_serial,
                            hardware_revision, param_set_id)
    SELECT id, unit_id, product_id, time, kind, from_release, to_release, detail, customer_id,
           actor, result, rma, other_serial, hardware_revision, param_set_id
    FROM unit_event ORDER BY unit_id, product_id, time, kind;
INSERT INTO store_state (name, value) SELECT 'unit_event_id', COALESCE(max(id), 0) FROM unit_event;
DROP TABLE unit_event;
ALTER TABLE unit_event_0030 RENAME TO unit_event;
CREATE TABLE unit_span_0030 (
    unit_id            INTEGER NOT NULL REFERENCES unit(id) ON DELETE CASCADE,
    product_id         INTEGER NOT NULL,
    valid_from         INTEGER NOT NULL,
    valid_to           INTEGER,
    release_id         INTEGER REFERENCES release(id),
    customer_id        INTEGER REFERENCES customer(id),
    state              TEXT NOT NULL,
    hardware_revision  TEXT,
    param_set_id       INTEGER REFERENCES param_set(id),
    alive_class        INTEGER
                       CHECK (alive_class IS (CASE WHEN state = 'decommissioned'
                              OR state = 'replaced' THEN NULL WHEN valid_to IS NULL THEN 0
                              WHEN valid_to - valid_from <= 3600 THEN 1
                              WHEN valid_to - valid_from <= 14400 THEN 2
                              WHEN valid_to - valid_from <= 57600 THEN 3
                              WHEN valid_to - valid_from <= 230400 THEN 4
                              WHEN valid_to - valid_from <= 921600 THEN 5
                              WHEN valid_to - valid_from <= 3686400 THEN 6
                              WHEN valid_to - valid_from <= 14745600 THEN 7
                              WHEN valid_to - valid_from <= 58982400 THEN 8
                              WHEN valid_to - valid_from <= 235929600 THEN 9 ELSE 10 END)),
    PRIMARY KEY (unit_id, valid_from)
) WITHOUT ROWID;
INSERT INTO unit_span_0030(unit_id, product_id, valid_from, valid_to, release_id, customer_id,
                           state, hardware_revision, param_set_id, alive_class)
    SELECT unit_id, product_id, valid_from, valid_to, release_id, customer_id, state,
           hardware_revision, param_set_id,
           CASE WHEN state = 'decommissioned' OR state = 'replaced' THEN NULL
           WHEN valid_to IS NULL THEN 0 WHEN valid_to - valid_from <= 3600 THEN 1
           WHEN valid_to - valid_from <= 14400 THEN 2 WHEN valid_to - valid_from <= 57600 THEN 3
           WHEN valid_to - valid_from <= 230400 THEN 4 WHEN valid_to - valid_from <= 921600 THEN 5
           WHEN valid_to - valid_from <= 3686400 THEN 6
           WHEN valid_to - valid_from <= 14745600 THEN 7
           WHEN valid_to - valid_from <= 58982400 THEN 8
           WHEN valid_to - valid_from <= 235929600 THEN 9 ELSE 10 END
    FROM unit_span ORDER BY unit_id, valid_from;
DROP TABLE unit_span;
ALTER TABLE unit_span_0030 RENAME TO unit_span;
CREATE INDEX unit_span_open ON unit_span(release_id, valid_to, state, customer_id)
    WHERE valid_to IS NULL;
CREATE INDEX unit_span_alive ON unit_span(release_id, alive_class, valid_from, valid_to,
    customer_id) WHERE alive_class IS NOT NULL;
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

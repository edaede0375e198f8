-- 0013_unit_count (issue 6): units in the field per (release, customer), kept
-- as a cache for `affected` (current state only; `--at` answers read unit_span).
-- unit_count holds, per release, the units whose current span (valid_to IS NULL) is not
-- decommissioned or replaced, and the same units per customer as text "id:n id:n ..." (one row
-- per release: a big answer reads some thousand rows, not a row per release and customer). unit_count_state says whether it is
-- current: every change to a current span (valid_to IS NULL before or after) marks it stale
-- (gen <> counted), and the next `affected` recomputes it with one GROUP BY and sets
-- counted = gen (src/store/queries.c). A stale cache is never read. Closed spans (history) do
-- not count now, so writing them fires nothing; the triggers write only while the cache is
-- still marked current, so a bulk fleet import pays one row lookup per unit and one write.
CREATE TABLE unit_count (
    release_id   INTEGER PRIMARY KEY,
    units        INTEGER NOT NULL,
    by_customer  TEXT NOT NULL
);
CREATE TABLE unit_count_state (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    gen      INTEGER NOT NULL,
    counted  INTEGER NOT NULL
);
INSERT INTO unit_count_state(id, gen, counted) VALUES (1, 1, 0);
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

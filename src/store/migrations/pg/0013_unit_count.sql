-- 0013_unit_count (issue 6): units in the field per (release, customer), kept
-- as a cache for `affected` (current state only; `--at` answers read unit_span).
-- unit_count holds, per release, the units whose current span (valid_to IS NULL) is not
-- decommissioned or replaced, and the same units per customer as text "id:n id:n ..." (one row
-- per release: a big answer reads some thousand rows, not a row per release and customer). unit_count_state says whether it is
-- current: every statement that changes unit_span (on the partitioned table or on one of its
-- partitions) marks it stale (gen <> counted), and the next `affected` recomputes it with one
-- GROUP BY and sets counted = gen (src/store/queries.c). A stale cache is never read. The
-- statement-level trigger costs one row update per statement, not per row; it holds the row
-- lock of unit_count_state until the fleet transaction commits, so a recompute never labels
-- counts older than the change it has seen.
CREATE TABLE unit_count (
    release_id   BIGINT PRIMARY KEY,
    units        BIGINT NOT NULL,
    by_customer  TEXT NOT NULL
);
CREATE TABLE unit_count_state (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    gen      BIGINT NOT NULL,
    counted  BIGINT NOT NULL
);
INSERT INTO unit_count_state(id, gen, counted) VALUES (1, 1, 0);
CREATE FUNCTION unit_count_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE unit_count_state SET gen = gen + 1 WHERE id = 1;
    RETURN NULL;
END
$$;
DO $$
DECLARE
    t regclass;
BEGIN
    FOR t IN SELECT 'unit_span'::regclass UNION ALL
             SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'unit_span'::regclass
    LOOP
        EXECUTE format('CREATE TRIGGER unit_span_stale AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE '
                       'ON %s FOR EACH STATEMENT EXECUTE FUNCTION unit_count_stale()', t);
    END LOOP;
END
$$;

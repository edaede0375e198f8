-- 0002_fleet_history: unit history as intervals (point-in-time answers), richer events,
-- parameter sets and sites.

CREATE TABLE param_set (
    id            INTEGER PRIMARY KEY,
    product_id    INTEGER NOT NULL REFERENCES product(id),
    name          TEXT NOT NULL,
    version       TEXT NOT NULL,
    content_hash  TEXT,
    created       INTEGER NOT NULL,
    UNIQUE (product_id, name, version)
);

ALTER TABLE unit ADD COLUMN site TEXT;
ALTER TABLE unit ADD COLUMN param_set_id INTEGER REFERENCES param_set(id);

ALTER TABLE unit_event ADD COLUMN customer_id INTEGER REFERENCES customer(id);
ALTER TABLE unit_event ADD COLUMN actor TEXT;
ALTER TABLE unit_event ADD COLUMN result TEXT;
ALTER TABLE unit_event ADD COLUMN rma TEXT;
ALTER TABLE unit_event ADD COLUMN other_serial TEXT;
ALTER TABLE unit_event ADD COLUMN hardware_revision TEXT;
ALTER TABLE unit_event ADD COLUMN param_set_id INTEGER REFERENCES param_set(id);

-- What a unit was, ran and belonged to over [valid_from, valid_to); derived from its events,
-- rebuilt whenever they change. valid_to NULL = still true.
CREATE TABLE unit_span (
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
);
CREATE INDEX unit_span_release ON unit_span(release_id, valid_from);
CREATE INDEX unit_span_current ON unit_span(release_id, customer_id) WHERE valid_to IS NULL;

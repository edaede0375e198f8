-- 0003_partition_fleet (PostgreSQL): the fleet-sized tables (units, unit events, unit history,
-- findings) become hash-partitioned by product_id, so they scale past one table's comfort and
-- can later be sharded by product (Citus) without a redesign. PostgreSQL 15 has no identity
-- columns on partitioned tables: ids come from sequences.

CREATE SEQUENCE unit_p_id_seq;
CREATE TABLE unit_p (
    id                 BIGINT NOT NULL DEFAULT nextval('unit_p_id_seq'),
    product_id         BIGINT NOT NULL REFERENCES product(id),
    serial             TEXT NOT NULL,
    hardware_revision  TEXT,
    release_id         BIGINT REFERENCES release(id),
    customer_id        BIGINT REFERENCES customer(id),
    manufactured       BIGINT,
    state              TEXT NOT NULL DEFAULT 'in_service'
                       CHECK (state IN ('in_stock', 'shipped', 'in_service', 'in_rma',
                                        'replaced', 'decommissioned')),
    site               TEXT,
    param_set_id       BIGINT REFERENCES param_set(id),
    PRIMARY KEY (id, product_id),
    UNIQUE (product_id, serial)
) PARTITION BY HASH (product_id);

CREATE SEQUENCE unit_event_p_id_seq;
CREATE TABLE unit_event_p (
    id                 BIGINT NOT NULL DEFAULT nextval('unit_event_p_id_seq'),
    unit_id            BIGINT NOT NULL,
    product_id         BIGINT NOT NULL,
    time               BIGINT NOT NULL,
    kind               TEXT NOT NULL
                       CHECK (kind IN ('ship', 'update', 'param_change', 'rma_open', 'rma_close',
                                       'swap', 'replace', 'transfer', 'decommission')),
    from_release       BIGINT REFERENCES release(id),
    to_release         BIGINT REFERENCES release(id),
    detail             TEXT,
    customer_id        BIGINT REFERENCES customer(id),
    actor              TEXT,
    result             TEXT,
    rma                TEXT,
    other_serial       TEXT,
    hardware_revision  TEXT,
    param_set_id       BIGINT REFERENCES param_set(id),
    PRIMARY KEY (id, product_id),
    FOREIGN KEY (unit_id, product_id) REFERENCES unit_p(id, product_id) ON DELETE CASCADE
) PARTITION BY HASH (product_id);

CREATE TABLE unit_span_p (
    unit_id            BIGINT NOT NULL,
    product_id         BIGINT NOT NULL,
    valid_from         BIGINT NOT NULL,
    valid_to           BIGINT,
    release_id         BIGINT REFERENCES release(id),
    customer_id        BIGINT REFERENCES customer(id),
    state              TEXT NOT NULL,
    hardware_revision  TEXT,
    param_set_id       BIGINT REFERENCES param_set(id),
    PRIMARY KEY (unit_id, valid_from, product_id),
    FOREIGN KEY (unit_id, product_id) REFERENCES unit_p(id, product_id) ON DELETE CASCADE
) PARTITION BY HASH (product_id);

CREATE SEQUENCE finding_p_id_seq;
CREATE TABLE finding_p (
    id            BIGINT NOT NULL DEFAULT nextval('finding_p_id_seq'),
    advisory_id   BIGINT NOT NULL REFERENCES advisory(id) ON DELETE CASCADE,
    component_id  BIGINT NOT NULL REFERENCES component(id) ON DELETE CASCADE,
    release_id    BIGINT NOT NULL,
    product_id    BIGINT NOT NULL,
    range_id      BIGINT NOT NULL REFERENCES affected_range(id) ON DELETE CASCADE,
    rule          TEXT NOT NULL,
    state         TEXT NOT NULL DEFAULT 'in_triage',
    created       BIGINT NOT NULL,
    PRIMARY KEY (id, product_id),
    UNIQUE (advisory_id, component_id, product_id)
) PARTITION BY HASH (product_id);

DO $$
DECLARE
    t text;
    i int;
BEGIN
    FOREACH t IN ARRAY ARRAY['unit', 'unit_event', 'unit_span', 'finding'] LOOP
        FOR i IN 0..7 LOOP
            EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES WITH (MODULUS 8, REMAINDER %s)',
                           t || '_h' || i, t || '_p', i);
        END LOOP;
    END LOOP;
END
$$;

INSERT INTO unit_p (id, product_id, serial, hardware_revision, release_id, customer_id,
                    manufactured, state, site, param_set_id)
    SELECT id, product_id, serial, hardware_revision, release_id, customer_id, manufactured,
           state, site, param_set_id FROM unit;
INSERT INTO unit_event_p (id, unit_id, product_id, time, kind, from_release, to_release, detail,
                          customer_id, actor, result, rma, other_serial, hardware_revision,
                          param_set_id)
    SELECT id, unit_id, product_id, time, kind, from_release, to_release, detail, customer_id,
           actor, result, rma, other_serial, hardware_revision, param_set_id FROM unit_event;
INSERT INTO unit_span_p SELECT unit_id, product_id, valid_from, valid_to, release_id,
                               customer_id, state, hardware_revision, param_set_id FROM unit_span;
INSERT INTO finding_p (id, advisory_id, component_id, release_id, product_id, range_id, rule,
                       state, created)
    SELECT id, advisory_id, component_id, release_id, product_id, range_id, rule, state, created
    FROM finding;

SELECT setval('unit_p_id_seq', COALESCE((SELECT max(id) FROM unit_p), 0) + 1, false);
SELECT setval('unit_event_p_id_seq', COALESCE((SELECT max(id) FROM unit_event_p), 0) + 1, false);
SELECT setval('finding_p_id_seq', COALESCE((SELECT max(id) FROM finding_p), 0) + 1, false);

DROP TABLE unit_span, unit_event, finding, unit;
ALTER TABLE unit_p RENAME TO unit;
ALTER TABLE unit_event_p RENAME TO unit_event;
ALTER TABLE unit_span_p RENAME TO unit_span;
ALTER TABLE finding_p RENAME TO finding;
ALTER SEQUENCE unit_p_id_seq OWNED BY unit.id;
ALTER SEQUENCE unit_event_p_id_seq OWNED BY unit_event.id;
ALTER SEQUENCE finding_p_id_seq OWNED BY finding.id;

CREATE INDEX unit_release ON unit(release_id, customer_id);
CREATE INDEX unit_serial ON unit(serial);
CREATE INDEX unit_event_unit ON unit_event(unit_id, time);
CREATE INDEX unit_span_release ON unit_span(release_id, valid_from);
CREATE INDEX unit_span_current ON unit_span(release_id, customer_id) WHERE valid_to IS NULL;
CREATE INDEX finding_release ON finding(release_id);
CREATE INDEX finding_component ON finding(component_id);

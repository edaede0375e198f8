-- 0001_init: the data model for products, releases, SBOM components, fleet and advisories.
-- Times are UTC seconds since the epoch (INTEGER). Bound parameters only.

CREATE TABLE product (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    vendor         TEXT,
    category       TEXT NOT NULL DEFAULT 'default'
                   CHECK (category IN ('default', 'class-i', 'class-ii', 'critical')),
    support_until  INTEGER,
    created        INTEGER NOT NULL
);

CREATE TABLE release (
    id           INTEGER PRIMARY KEY,
    product_id   INTEGER NOT NULL REFERENCES product(id),
    version      TEXT NOT NULL,
    released     INTEGER,
    sbom_format  TEXT,
    sbom_spec    TEXT,
    sbom_serial  TEXT,
    sbom_sha256  TEXT,
    created      INTEGER NOT NULL,
    UNIQUE (product_id, version)
);

CREATE TABLE component (
    id          INTEGER PRIMARY KEY,
    release_id  INTEGER NOT NULL REFERENCES release(id) ON DELETE CASCADE,
    product_id  INTEGER NOT NULL,
    bom_ref     TEXT,
    type        TEXT,
    grp         TEXT,
    name        TEXT NOT NULL,
    version     TEXT,
    purl        TEXT,
    pkg_key     TEXT,
    mversion    TEXT,
    cpe         TEXT,
    supplier    TEXT,
    hashes      TEXT,
    licenses    TEXT
);
CREATE INDEX component_release ON component(release_id);
CREATE INDEX component_pkg_key ON component(pkg_key);

CREATE TABLE dependency (
    release_id  INTEGER NOT NULL REFERENCES release(id) ON DELETE CASCADE,
    ref         TEXT NOT NULL,
    depends_on  TEXT NOT NULL,
    PRIMARY KEY (release_id, ref, depends_on)
);

CREATE TABLE customer (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    country     TEXT,
    email       TEXT,
    channel     TEXT NOT NULL DEFAULT 'email'
);

CREATE TABLE unit (
    id                 INTEGER PRIMARY KEY,
    product_id         INTEGER NOT NULL REFERENCES product(id),
    serial             TEXT NOT NULL,
    hardware_revision  TEXT,
    release_id         INTEGER REFERENCES release(id),
    customer_id        INTEGER REFERENCES customer(id),
    manufactured       INTEGER,
    state              TEXT NOT NULL DEFAULT 'in_service'
                       CHECK (state IN ('in_stock', 'shipped', 'in_service', 'in_rma',
                                        'replaced', 'decommissioned')),
    UNIQUE (product_id, serial)
);
CREATE INDEX unit_release ON unit(release_id, customer_id);
CREATE INDEX unit_serial ON unit(serial);

CREATE TABLE unit_event (
    id            INTEGER PRIMARY KEY,
    unit_id       INTEGER NOT NULL REFERENCES unit(id),
    product_id    INTEGER NOT NULL,
    time          INTEGER NOT NULL,
    kind          TEXT NOT NULL
                  CHECK (kind IN ('ship', 'update', 'param_change', 'rma_open', 'rma_close',
                                  'swap', 'replace', 'transfer', 'decommission')),
    from_release  INTEGER REFERENCES release(id),
    to_release    INTEGER REFERENCES release(id),
    detail        TEXT
);
CREATE INDEX unit_event_unit ON unit_event(unit_id, time);

CREATE TABLE advisory (
    id          INTEGER PRIMARY KEY,
    ext_id      TEXT NOT NULL UNIQUE,
    source      TEXT NOT NULL,
    summary     TEXT,
    severity    TEXT,
    cvss        TEXT,
    published   INTEGER,
    modified    INTEGER,
    withdrawn   INTEGER
);

CREATE TABLE advisory_alias (
    advisory_id INTEGER NOT NULL REFERENCES advisory(id) ON DELETE CASCADE,
    alias       TEXT NOT NULL,
    PRIMARY KEY (advisory_id, alias)
);
CREATE INDEX advisory_alias_alias ON advisory_alias(alias);

CREATE TABLE affected_range (
    id           INTEGER PRIMARY KEY,
    advisory_id  INTEGER NOT NULL REFERENCES advisory(id) ON DELETE CASCADE,
    pkg_key      TEXT NOT NULL,
    ecosystem    TEXT NOT NULL,
    scheme       TEXT NOT NULL,
    range_type   TEXT NOT NULL,
    vers         TEXT NOT NULL
);
CREATE INDEX affected_range_advisory ON affected_range(advisory_id);
CREATE INDEX affected_range_pkg ON affected_range(pkg_key);

CREATE TABLE finding (
    id            INTEGER PRIMARY KEY,
    advisory_id   INTEGER NOT NULL REFERENCES advisory(id) ON DELETE CASCADE,
    component_id  INTEGER NOT NULL REFERENCES component(id) ON DELETE CASCADE,
    release_id    INTEGER NOT NULL,
    product_id    INTEGER NOT NULL,
    range_id      INTEGER NOT NULL REFERENCES affected_range(id) ON DELETE CASCADE,
    rule          TEXT NOT NULL,
    state         TEXT NOT NULL DEFAULT 'in_triage',
    created       INTEGER NOT NULL,
    UNIQUE (advisory_id, component_id)
);
CREATE INDEX finding_release ON finding(release_id);
CREATE INDEX finding_component ON finding(component_id);

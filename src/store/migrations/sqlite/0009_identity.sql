-- 0009_identity: one advisory identity across sources, and triage (VEX) statements.
-- An identity groups the advisory records (one per source record, as imported) that are linked
-- by IDs and aliases, transitively. identity_id is the smallest advisory.id of the group and
-- primary_id its display ID (see docs/feeds.md, "Identity"); origin names the file or feed a
-- record was imported from. Existing records start as their own identity; `cratrace match`
-- regroups everything.
ALTER TABLE advisory ADD COLUMN identity_id INTEGER;
ALTER TABLE advisory ADD COLUMN primary_id TEXT;
ALTER TABLE advisory ADD COLUMN origin TEXT;
UPDATE advisory SET identity_id = id, primary_id = ext_id;
CREATE INDEX advisory_identity ON advisory(identity_id);

-- Triage: who said what about an advisory (by any of its IDs) in one release, for one
-- component (purl) or all of them. Rows are history: the newest statement wins.
CREATE TABLE vex_statement (
    id             INTEGER PRIMARY KEY,
    product_id     INTEGER NOT NULL REFERENCES product(id),
    release_id     INTEGER NOT NULL REFERENCES release(id) ON DELETE CASCADE,
    advisory       TEXT NOT NULL,
    component_purl TEXT,
    state          TEXT NOT NULL
                   CHECK (state IN ('not_affected', 'affected', 'fixed', 'under_investigation')),
    justification  TEXT
                   CHECK (justification IS NULL OR justification IN
                          ('component_not_present', 'vulnerable_code_not_present',
                           'vulnerable_code_not_in_execute_path',
                           'vulnerable_code_cannot_be_controlled_by_adversary',
                           'inline_mitigations_already_exist')),
    note           TEXT,
    actor          TEXT NOT NULL,
    created        INTEGER NOT NULL
);
CREATE INDEX vex_statement_release ON vex_statement(release_id, advisory);
CREATE INDEX vex_statement_product ON vex_statement(product_id);

-- The statement a finding's state comes from, and the earlier release it was inherited from
-- (NULL: stated for this release itself, or no statement).
ALTER TABLE finding ADD COLUMN vex_id INTEGER;
ALTER TABLE finding ADD COLUMN inherited_from INTEGER;

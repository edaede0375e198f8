-- 0020_advisory_source: one advisory record per (record ID, source), so the same ID from two
-- sources (CVE-2024-4542 from CVE 5 and from NVD, a GHSA ID from OSV and from CSAF) is two
-- records of one identity instead of one row the later import overwrites (issue 6,
-- docs/feeds.md "Identity"). And OSV "related" IDs, kept as relations, never as aliases.
--
-- SQLite cannot drop the UNIQUE of advisory.ext_id in place: the table is rebuilt (SQLite's
-- documented 12-step procedure). advisory_alias, affected_range and finding reference
-- advisory(id) ON DELETE CASCADE, so dropping the old table with foreign keys on would delete
-- their rows; foreign keys can only be switched off outside a transaction, hence the COMMIT and
-- BEGIN around the rebuild (the runner's transaction is empty at that point). The rebuild
-- commits just before the migration is recorded; every statement may run twice (a crash in
-- between repeats it harmlessly). ids, data and every reference are kept.
COMMIT;
PRAGMA foreign_keys = OFF;
BEGIN;
DROP TABLE IF EXISTS advisory_0020;
CREATE TABLE advisory_0020 (
    id          INTEGER PRIMARY KEY,
    ext_id      TEXT NOT NULL,
    source      TEXT NOT NULL,
    summary     TEXT,
    severity    TEXT,
    cvss        TEXT,
    published   INTEGER,
    modified    INTEGER,
    withdrawn   INTEGER,
    identity_id INTEGER,
    primary_id  TEXT,
    origin      TEXT,
    UNIQUE (ext_id, source)
);
INSERT INTO advisory_0020 (id, ext_id, source, summary, severity, cvss, published, modified,
                           withdrawn, identity_id, primary_id, origin)
    SELECT id, ext_id, source, summary, severity, cvss, published, modified, withdrawn,
           identity_id, primary_id, origin FROM advisory;
DROP TABLE advisory;
ALTER TABLE advisory_0020 RENAME TO advisory;
CREATE INDEX advisory_identity ON advisory(identity_id);

-- OSV "related": closely related, not identical records (AlmaLinux ALSA-* name the CVEs they
-- fix). Shown by `advisories show`; identities never join through them.
CREATE TABLE IF NOT EXISTS advisory_related (
    advisory_id INTEGER NOT NULL REFERENCES advisory(id) ON DELETE CASCADE,
    related     TEXT NOT NULL,
    PRIMARY KEY (advisory_id, related)
);
CREATE INDEX IF NOT EXISTS advisory_related_related ON advisory_related(related);
COMMIT;
PRAGMA foreign_keys = ON;
BEGIN;

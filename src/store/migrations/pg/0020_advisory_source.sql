-- 0020_advisory_source: one advisory record per (record ID, source), so the same ID from two
-- sources (CVE-2024-4542 from CVE 5 and from NVD, a GHSA ID from OSV and from CSAF) is two
-- records of one identity instead of one row the later import overwrites (issue 6,
-- docs/feeds.md "Identity"). And OSV "related" IDs, kept as relations, never as aliases.
-- The unique (ext_id, source) index also serves lookups by ext_id alone.
ALTER TABLE advisory DROP CONSTRAINT IF EXISTS advisory_ext_id_key;
ALTER TABLE advisory ADD CONSTRAINT advisory_ext_id_source_key UNIQUE (ext_id, source);

-- OSV "related": closely related, not identical records (AlmaLinux ALSA-* name the CVEs they
-- fix). Shown by `advisories show`; identities never join through them.
CREATE TABLE advisory_related (
    advisory_id BIGINT NOT NULL REFERENCES advisory(id) ON DELETE CASCADE,
    related     TEXT NOT NULL,
    PRIMARY KEY (advisory_id, related)
);
CREATE INDEX advisory_related_related ON advisory_related(related);

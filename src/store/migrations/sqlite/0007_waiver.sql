-- 0007_waiver: accepted gaps in an SBOM quality profile (sbom waive). A waiver names the
-- profile (ntia, bsi), the field, optionally one component (bom-ref/SPDXID or purl; NULL: every
-- subject) and optionally one release (NULL: every release of the product), with the reason,
-- who accepted it and when. Waived findings are still reported, marked waived.
CREATE TABLE sbom_waiver (
    id          INTEGER PRIMARY KEY,
    product_id  INTEGER NOT NULL REFERENCES product(id) ON DELETE CASCADE,
    release_id  INTEGER REFERENCES release(id) ON DELETE CASCADE,
    profile     TEXT NOT NULL,
    field       TEXT NOT NULL,
    component   TEXT,
    reason      TEXT NOT NULL,
    actor       TEXT NOT NULL,
    created     INTEGER NOT NULL
);
CREATE INDEX sbom_waiver_product ON sbom_waiver(product_id, profile);

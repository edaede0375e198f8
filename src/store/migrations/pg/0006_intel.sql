-- 0006_intel: exploitation intelligence for prioritising findings: CISA KEV membership and
-- FIRST EPSS scores, keyed by CVE ID (joined to advisories by ID or alias). EPSS values are
-- stored in millionths (integer) so both back ends compare them exactly.
CREATE TABLE kev (
    cve            TEXT PRIMARY KEY,
    vendor         TEXT,
    product        TEXT,
    name           TEXT,
    date_added     BIGINT,
    due_date       BIGINT,
    ransomware     TEXT
);

CREATE TABLE epss (
    cve            TEXT PRIMARY KEY,
    epss_micro     BIGINT NOT NULL,
    pct_micro      BIGINT NOT NULL,
    score_date     BIGINT
);

-- 0006_intel: exploitation intelligence for prioritising findings: CISA KEV membership and
-- FIRST EPSS scores, keyed by CVE ID (joined to advisories by ID or alias). EPSS values are
-- stored in millionths (integer) so both back ends compare them exactly.
CREATE TABLE kev (
    cve            TEXT PRIMARY KEY,
    vendor         TEXT,
    product        TEXT,
    name           TEXT,
    date_added     INTEGER,
    due_date       INTEGER,
    ransomware     TEXT
);

CREATE TABLE epss (
    cve            TEXT PRIMARY KEY,
    epss_micro     INTEGER NOT NULL,
    pct_micro      INTEGER NOT NULL,
    score_date     INTEGER
);

-- 0008_feed_source: advisory sources that `advisories sync` downloads (issue 6). The HTTP
-- validators (etag, last_modified) change only together with a successful import, in the same
-- transaction; last_* columns describe the most recent attempt, failed or not.
CREATE TABLE feed_source (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    url            TEXT NOT NULL,
    format         TEXT NOT NULL DEFAULT 'auto'
                   CHECK (format IN ('auto', 'osv', 'nvd', 'cve5', 'csaf', 'kev', 'epss')),
    sha256_url     TEXT,
    etag           TEXT,
    last_modified  TEXT,
    created        INTEGER NOT NULL,
    last_sync      INTEGER,
    last_result    TEXT,
    last_error     TEXT,
    last_bytes     INTEGER,
    last_records   INTEGER,
    last_success   INTEGER
);

-- 0027_api_token: API tokens of `cratrace serve` (`cratrace token create NAME --role ROLE`).
-- Only a BLAKE2b-256 hash of the token is kept (hex): the token itself is printed once and
-- never stored. role is one of the five roles of ARCHITECTURE.md; revoked is the time of
-- `token revoke` (NULL: valid). A name is never reused, revoked or not.
CREATE TABLE api_token (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    role       TEXT NOT NULL CHECK (role IN ('admin', 'analyst', 'support', 'auditor', 'ci')),
    token_hash TEXT NOT NULL UNIQUE,
    created    INTEGER NOT NULL,
    revoked    INTEGER
);

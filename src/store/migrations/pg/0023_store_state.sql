-- 0023_store_state: named counters and flags of the store as a whole, written in the same
-- transaction as the change they describe.
-- identity_stale: 1 while advisory identities (store/identity.c) may differ from a full
-- regroup of every record; `cratrace match` then regroups all and sets it to 0. Every import and
-- advisory write regroups the records it stored before it commits, so a store keeps 0 from then
-- on and `match` skips the full pass. A store that already holds advisories when this migration
-- runs starts at 1 (its records may predate 0009 or 0020 grouping); an empty one at 0.
CREATE TABLE store_state (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO store_state (name, value)
    SELECT 'identity_stale', CASE WHEN EXISTS (SELECT 1 FROM advisory) THEN 1 ELSE 0 END;

-- 0022_unit_refs (issue 7): on PostgreSQL unit loses its foreign keys and the store checks a
-- unit's references itself (see pg/0022_unit_refs.sql). SQLite keeps them: dropping a foreign
-- key there means copying the table; its small writes keep checking them and its bulk imports
-- run with enforcement off (every id they write was read from the store in the same
-- transaction). Nothing to change: the number is kept in step.
SELECT 1;

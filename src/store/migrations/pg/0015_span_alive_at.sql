-- 0015_span_alive_at (issue 7): `affected --at T` reads only about the spans alive at T.
-- unit_span_at (0010) finds, per affected release, every span with valid_from <= T: all of the
-- release's history before T, about 10x the spans alive at T on a fleet with 10 events per
-- unit. This index files each span under a length class as well: class 0 is an open span
-- (valid_to IS NULL), classes 1-9 a closed span of at most 3600 * 4^(class - 1) seconds (1 h,
-- 4 h, 16 h, ... 65,536 h), class 10 a longer one. A closed span of class k that is alive at T
-- began after T - 3600 * 4^(k - 1), so per release and class the query (AFFECTED_*_AT in
-- src/store/store_int.h, which repeats this CASE expression word for word so that the planner
-- matches it) reads one index range of valid_from in that window: the alive spans plus the
-- class's spans that ended in it, about 1.6x the alive ones when lengths spread evenly within
-- a class. Classes 0 and 10 read valid_from <= T like before (open spans with valid_from <= T
-- are all alive). valid_to, state and customer_id are read from the index itself.
-- The same expression and index exist on SQLite (sqlite/0015_span_alive_at.sql); on the
-- partitioned unit_span it is one index per partition.
CREATE INDEX unit_span_alive ON unit_span(release_id,
    (CASE WHEN valid_to IS NULL THEN 0 WHEN valid_to - valid_from <= 3600 THEN 1
     WHEN valid_to - valid_from <= 14400 THEN 2 WHEN valid_to - valid_from <= 57600 THEN 3
     WHEN valid_to - valid_from <= 230400 THEN 4 WHEN valid_to - valid_from <= 921600 THEN 5
     WHEN valid_to - valid_from <= 3686400 THEN 6 WHEN valid_to - valid_from <= 14745600 THEN 7
     WHEN valid_to - valid_from <= 58982400 THEN 8 WHEN valid_to - valid_from <= 235929600 THEN 9
     ELSE 10 END),
    valid_from, valid_to, state, customer_id);

-- 0010_fleet_perf: a covering index for the point-in-time questions (`affected --at`,
-- rollout/customers as of a time): per affected release the spans with valid_from <= T are one
-- index range, and valid_to/state/customer are read from the index itself instead of one table
-- lookup per span (bench/bench_fleet: docs/PERFORMANCE.md, fleet section). It makes
-- unit_span_release (its prefix) redundant, and unit_span_affected (0005) already serves the
-- "now" questions that unit_span_current was for: both go, so each span write updates two
-- secondary indexes instead of three.
CREATE INDEX unit_span_at ON unit_span(release_id, valid_from, valid_to, state, customer_id);
DROP INDEX unit_span_release;
DROP INDEX unit_span_current;

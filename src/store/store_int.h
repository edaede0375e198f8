/* Internal store definitions: the connection object, named queries, statement cache. */
#ifndef CT_STORE_INT_H
#define CT_STORE_INT_H

#include "cratrace/store.h"
#include "driver.h"

/* The advisory records of the identity of advisory ?1, and every ID and alias of them. */
#define IDENTITY_OF_1                                                                              \
    "(SELECT b.id FROM advisory b WHERE b.identity_id = "                                          \
    "(SELECT x.identity_id FROM advisory x WHERE x.id = ?1))"
/* The length class of a span, word for word the expression of index unit_span_alive (migration
 * 0015; the planners match it only as written there): 0 open, 1-9 closed and at most
 * 3600 * 4^(class - 1) seconds long, 10 longer. PostgreSQL; SQLite stores the class in the column
 * unit_span.alive_class since migration 0030. */
#define SPAN_LEN_CLASS                                                                             \
    "(CASE WHEN s.valid_to IS NULL THEN 0 WHEN s.valid_to - s.valid_from <= 3600 THEN 1 "          \
    "WHEN s.valid_to - s.valid_from <= 14400 THEN 2 WHEN s.valid_to - s.valid_from <= 57600 THEN 3 " \
    "WHEN s.valid_to - s.valid_from <= 230400 THEN 4 "                                             \
    "WHEN s.valid_to - s.valid_from <= 921600 THEN 5 "                                             \
    "WHEN s.valid_to - s.valid_from <= 3686400 THEN 6 "                                            \
    "WHEN s.valid_to - s.valid_from <= 14745600 THEN 7 "                                           \
    "WHEN s.valid_to - s.valid_from <= 58982400 THEN 8 "                                           \
    "WHEN s.valid_to - s.valid_from <= 235929600 THEN 9 ELSE 10 END)"
/* Per class c the longest span w: a span of class c alive at T began after T - w (2^62: no bound
 * for open spans and class 10). */
#define SPAN_CLASS_WIDTHS                                                                          \
    "WITH span_class(c, w) AS (VALUES (0, 4611686018427387904), (1, 3600), (2, 14400), "           \
    "(3, 57600), (4, 230400), (5, 921600), (6, 3686400), (7, 14745600), (8, 58982400), "           \
    "(9, 235929600), (10, 4611686018427387904)) "
/* span s (of class k) alive at ?2 and counted as a unit in the field */
#define SPAN_ALIVE_AT_2                                                                            \
    "s.valid_from > ?2 - k.w AND s.valid_from <= ?2 AND (s.valid_to IS NULL OR s.valid_to > ?2) "  \
    "AND s.state NOT IN ('decommissioned', 'replaced')"
/* Inserts of SQLite event and span rows (UNIT_EVENTS_INSERT_NEW_n, SPANS_INSERT_n and the
 * SQLITE_* one-row texts), "?" numbered left to right. Since migration 0030 unit_event has no
 * rowid: the writer gives id (SQLite's column order: id first, then UNIT_EVENT_INSERT_NEW's);
 * unit_span.alive_class (last) is the span's class, NULL out of the field. */
#define EVENT_COLS                                                                                 \
    "id, unit_id, product_id, time, kind, from_release, to_release, detail, customer_id, actor, " \
    "result, rma, other_serial, hardware_revision, param_set_id"
#define EVENT_ROW "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define EVENT_ROWS_2 EVENT_ROW ", " EVENT_ROW
#define EVENT_ROWS_4 EVENT_ROWS_2 ", " EVENT_ROWS_2
#define EVENT_ROWS_8 EVENT_ROWS_4 ", " EVENT_ROWS_4
#define SPAN_COLS                                                                                  \
    "unit_id, product_id, valid_from, valid_to, release_id, customer_id, state, "                 \
    "hardware_revision, param_set_id, alive_class"
#define SPAN_ROW "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
/* alive_class of a new open span with state column col (SQLite, migration 0030) */
#define SPAN_OPEN_CLASS(col)                                                                       \
    "CASE WHEN " col " = 'decommissioned' OR " col " = 'replaced' THEN NULL ELSE 0 END"
#define SPAN_ROWS_2 SPAN_ROW ", " SPAN_ROW
#define SPAN_ROWS_4 SPAN_ROWS_2 ", " SPAN_ROWS_2
#define SPAN_ROWS_8 SPAN_ROWS_4 ", " SPAN_ROWS_4
#define NAMES_OF_IDENTITY_OF_1                                                                     \
    "(SELECT b.ext_id FROM advisory b WHERE b.id IN " IDENTITY_OF_1 " UNION "                      \
    "SELECT al.alias FROM advisory_alias al WHERE al.advisory_id IN " IDENTITY_OF_1 ")"

/* The order in which sources speak for an identity (severity, summary of the primary record):
 * the CVE program's own record, then NVD, the ecosystem databases (OSV), vendor CSAF, others;
 * the same order as source_rank in store/identity.c. */
#define SOURCE_RANK(col)                                                                           \
    "(CASE " col " WHEN 'cve5' THEN 0 WHEN 'nvd' THEN 1 WHEN 'osv' THEN 2 WHEN 'csaf' THEN 3 "     \
    "ELSE 4 END)"

/* The identities of the findings FINDINGS_LIST_IDENTITY lists (product ?1, state ?2). */
#define FINDINGS_LISTED_IDENTITIES                                                                 \
    "(SELECT a.identity_id FROM finding f JOIN product p ON p.id = f.product_id "                  \
    "JOIN advisory a ON a.id = f.advisory_id WHERE (CAST(?1 AS TEXT) IS NULL OR p.name = ?1) "     \
    "AND (CAST(?2 AS TEXT) IS NULL OR f.state = ?2))"
/* Named queries: id and SQL text with ?N placeholders, valid on both backends. */
/* The advisories whose ranges are a distribution's own verdicts (alias d), as in DISTRO_RANGES. */
#define CT_DISTRO_SOURCE_D                                                                        \
    "(d.source IN ('alpine-secdb', 'wolfi-secdb', 'chainguard-secdb', 'debian-tracker', "         \
    "'debian-dsa') OR d.ext_id LIKE 'DEBIAN-CVE-%' OR d.ext_id LIKE 'DSA-%' OR "                  \
    "d.ext_id LIKE 'DLA-%' OR d.ext_id LIKE 'ALPINE-CVE-%')"

#define CT_QUERY_MAP(X)                                                                            \
    X(MIGRATION_LIST, "SELECT version FROM schema_migrations")                                    \
    X(MIGRATION_RECORD, "INSERT INTO schema_migrations(version, applied) VALUES (?1, ?2)")        \
    /* feed sources (store/feed_source.c, issue 6) */                                            \
    X(FEED_SOURCE_INSERT, "INSERT INTO feed_source(name, url, format, sha256_url, created) "       \
                          "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (name) DO NOTHING RETURNING id") \
    X(FEED_SOURCE_DELETE, "DELETE FROM feed_source WHERE name = ?1 RETURNING id")                  \
    X(FEED_SOURCE_LIST, "SELECT name, url, format, sha256_url, etag, last_modified, last_sync, "   \
                        "last_result, last_error, last_bytes, last_records, last_success "        \
                        "FROM feed_source WHERE (CAST(?1 AS TEXT) IS NULL OR name = ?1) "          \
                        "ORDER BY name")                                                          \
    X(FEED_SOURCE_SYNCED, "UPDATE feed_source SET etag = ?2, last_modified = ?3, last_sync = ?4, " \
                          "last_result = ?5, last_error = NULL, last_bytes = ?6, "                 \
                          "last_records = ?7, last_success = ?4 WHERE name = ?1")                 \
    X(FEED_SOURCE_FAILED, "UPDATE feed_source SET last_sync = ?2, last_result = 'failed', "        \
                          "last_error = ?3 WHERE name = ?1")                                      \
    X(PRODUCT_INSERT, "INSERT INTO product(name, vendor, category, support_until, created) "      \
                      "VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id")                                 \
    X(PRODUCT_BY_NAME, "SELECT id, name, vendor, category, support_until FROM product "           \
                       "WHERE name = ?1")                                                         \
    X(PRODUCT_LIST, "SELECT p.id, p.name, p.vendor, p.category, p.support_until, "                \
                    "(SELECT count(*) FROM release r WHERE r.product_id = p.id), "                \
                    "(SELECT count(*) FROM unit u WHERE u.product_id = p.id) "                    \
                    "FROM product p ORDER BY p.name")                                             \
    /* API tokens of `cratrace serve` (store/token.c, migration 0027): only hashes are stored */ \
    X(TOKEN_INSERT, "INSERT INTO api_token(name, role, token_hash, created) "                     \
                    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (name) DO NOTHING RETURNING id")         \
    X(TOKEN_REVOKE, "UPDATE api_token SET revoked = ?2 WHERE name = ?1 AND revoked IS NULL "      \
                    "RETURNING id")                                                               \
    X(TOKEN_BY_NAME, "SELECT revoked FROM api_token WHERE name = ?1")                             \
    X(TOKEN_BY_HASH, "SELECT name, role, token_hash FROM api_token WHERE token_hash = ?1 "        \
                     "AND revoked IS NULL")                                                       \
    X(TOKEN_LIST, "SELECT name, role, created, revoked FROM api_token ORDER BY name")             \
    X(RELEASE_INSERT, "INSERT INTO release(product_id, version, released, sbom_format, "          \
                      "sbom_spec, sbom_serial, sbom_sha256, created) "                            \
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id")                     \
    X(RELEASE_FIND, "SELECT id FROM release WHERE product_id = ?1 AND version = ?2")              \
    X(COMPONENT_INSERT, "INSERT INTO component(release_id, product_id, bom_ref, type, grp, "      \
                        "name, version, purl, pkg_key, cpe, supplier, hashes, licenses, "         \
                        "mversion) VALUES "                                                       \
                        "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) "          \
                        "RETURNING id")                                                           \
    X(DEP_INSERT, "INSERT INTO dependency(release_id, ref, depends_on) VALUES (?1, ?2, ?3) "      \
                  "ON CONFLICT DO NOTHING")                                                       \
    X(COMPONENT_COUNT, "SELECT count(*) FROM component WHERE release_id = ?1")                   \
    /* SBOM profile waivers (store/waiver.c, issue 5) */                                       \
    X(WAIVER_FIND, "SELECT id FROM sbom_waiver WHERE product_id = ?1 AND "                        \
                   "COALESCE(release_id, 0) = ?2 AND profile = ?3 AND field = ?4 AND "           \
                   "COALESCE(component, '') = ?5")                                                \
    X(WAIVER_INSERT, "INSERT INTO sbom_waiver(product_id, release_id, profile, field, component, " \
                     "reason, actor, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "           \
                     "RETURNING id")                                                              \
    X(WAIVER_UPDATE, "UPDATE sbom_waiver SET reason = ?2, actor = ?3, created = ?4 WHERE id = ?1") \
    X(WAIVER_DELETE, "DELETE FROM sbom_waiver WHERE id = ?1 RETURNING id")                        \
    X(WAIVER_LIST, "SELECT w.id, p.name, r.version, w.profile, w.field, w.component, w.reason, "  \
                   "w.actor, w.created FROM sbom_waiver w JOIN product p ON p.id = w.product_id " \
                   "LEFT JOIN release r ON r.id = w.release_id WHERE p.name = ?1 AND "            \
                   "(CAST(?2 AS TEXT) IS NULL OR w.release_id IS NULL OR r.version = ?2) AND "    \
                   "(CAST(?3 AS TEXT) IS NULL OR w.profile = ?3) ORDER BY w.id")                  \
    X(CUSTOMER_UPSERT, "INSERT INTO customer(code, name, country, email, channel) "               \
                       "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (code) DO UPDATE SET "            \
                       "name = excluded.name, country = excluded.country, "                       \
                       "email = excluded.email, channel = excluded.channel RETURNING id")         \
    X(CUSTOMER_BY_CODE, "SELECT id FROM customer WHERE code = ?1")                                \
    X(UNIT_UPSERT, "INSERT INTO unit(product_id, serial, hardware_revision, release_id, "         \
                   "customer_id, manufactured, state) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "       \
                   "ON CONFLICT (product_id, serial) DO UPDATE SET "                              \
                   "hardware_revision = excluded.hardware_revision, "                             \
                   "release_id = excluded.release_id, customer_id = excluded.customer_id, "       \
                   "manufactured = excluded.manufactured, state = excluded.state RETURNING id")  \
    X(UNIT_BY_SERIAL, "SELECT id FROM unit WHERE product_id = ?1 AND serial = ?2")                \
    X(UNIT_EVENT_EXISTS, "SELECT 1 FROM unit_event WHERE unit_id = ?1 AND time = ?2 AND "         \
                         "kind = ?3")                                                             \
    X(UNIT_EVENT_INSERT_EX,                                                                       \
      "INSERT INTO unit_event(unit_id, product_id, time, kind, from_release, to_release, detail, " \
      "customer_id, actor, result, rma, other_serial, hardware_revision, param_set_id) "          \
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) "                    \
      "ON CONFLICT DO NOTHING RETURNING id")                                                      \
    X(UNIT_EVENT_INSERT_BULK,                                                                     \
      "INSERT INTO unit_event(unit_id, product_id, time, kind, from_release, to_release, detail, " \
      "customer_id, actor, result, rma, other_serial, hardware_revision, param_set_id) "          \
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) "                    \
      "ON CONFLICT DO NOTHING")                                                                   \
    X(UNIT_INSERT_BULK, "INSERT INTO unit(product_id, serial, hardware_revision, release_id, "    \
                        "customer_id, manufactured, state) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")  \
    /* SQLite only (the units import's open spans; unit_span.alive_class: migration 0030) */   \
    X(SPANS_OF_NEW_UNITS,                                                                         \
      "INSERT INTO unit_span(" SPAN_COLS ") SELECT id, product_id, COALESCE(manufactured, 0), "   \
      "NULL, release_id, customer_id, state, hardware_revision, param_set_id, "                   \
      SPAN_OPEN_CLASS("state") " FROM unit WHERE id > ?1 ORDER BY id")                            \
    X(SPANS_DELETE, "DELETE FROM unit_span WHERE unit_id = ?1")                                   \
    X(SPANS_DELETE_ALL, "DELETE FROM unit_span")                                                  \
    /* SQLite only (the events import, spans cleared at once) */                               \
    X(SPANS_OF_UNITS_WITHOUT,                                                                     \
      "INSERT INTO unit_span(" SPAN_COLS ") SELECT id, product_id, COALESCE(manufactured, 0), "   \
      "NULL, release_id, customer_id, state, hardware_revision, param_set_id, "                   \
      SPAN_OPEN_CLASS("state") " FROM unit u "                                                    \
      "WHERE NOT EXISTS (SELECT 1 FROM unit_span s WHERE s.unit_id = u.id) ORDER BY id")          \
    X(SPAN_INSERT, "INSERT INTO unit_span(unit_id, product_id, valid_from, valid_to, release_id, " \
                   "customer_id, state, hardware_revision, param_set_id) "                        \
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")                                 \
    /* SQLite: SPAN_INSERT with alive_class (?10, from C) */                                   \
    X(SQLITE_SPAN_INSERT, "INSERT INTO unit_span(" SPAN_COLS ") VALUES " SPAN_ROW)                 \
    /* SQLite: SPAN_DEFAULT_INSERT with alive_class */                                          \
    X(SQLITE_SPAN_DEFAULT_INSERT,                                                                 \
      "INSERT INTO unit_span(" SPAN_COLS ") SELECT u.id, u.product_id, "                          \
      "COALESCE(u.manufactured, 0), NULL, u.release_id, u.customer_id, u.state, "                 \
      "u.hardware_revision, u.param_set_id, " SPAN_OPEN_CLASS("u.state") " FROM unit u "          \
      "WHERE u.id = ?1 AND NOT EXISTS (SELECT 1 FROM unit_event e WHERE e.unit_id = ?1)")         \
    /* SQLite, unit_event without rowid (migration 0030): the highest id handed out, one event  \
     * numbered max + 1 (?1..?14 as UNIT_EVENT_INSERT_BULK) and the counter raised after it,    \
     * and events numbered by the caller (the import: ids in C, the counter written at its end) */ \
    X(SQLITE_EVENT_ID_LAST, "SELECT value FROM store_state WHERE name = 'unit_event_id'")         \
    X(SQLITE_EVENT_ID_SET, "UPDATE store_state SET value = ?1 WHERE name = 'unit_event_id'")      \
    X(SQLITE_EVENT_ID_RAISE, "UPDATE store_state SET value = value + 1 "                          \
                             "WHERE name = 'unit_event_id'")                                      \
    X(SQLITE_EVENT_ADD,                                                                           \
      "INSERT INTO unit_event(" EVENT_COLS ") VALUES ((SELECT value + 1 FROM store_state WHERE "  \
      "name = 'unit_event_id'), ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) "    \
      "ON CONFLICT DO NOTHING")                                                                   \
    X(SQLITE_EVENT_ADD_ID,                                                                        \
      "INSERT INTO unit_event(" EVENT_COLS ") VALUES " EVENT_ROW " ON CONFLICT DO NOTHING")       \
    X(SQLITE_EVENT_INSERT_ID, "INSERT INTO unit_event(" EVENT_COLS ") VALUES " EVENT_ROW)         \
    X(SPAN_DEFAULT_DELETE, "DELETE FROM unit_span WHERE unit_id = ?1 AND NOT EXISTS "             \
                           "(SELECT 1 FROM unit_event e WHERE e.unit_id = ?1)")                   \
    X(SPAN_DEFAULT_INSERT,                                                                        \
      "INSERT INTO unit_span(unit_id, product_id, valid_from, valid_to, release_id, customer_id, " \
      "state, hardware_revision, param_set_id) SELECT u.id, u.product_id, "                       \
      "COALESCE(u.manufactured, 0), NULL, u.release_id, u.customer_id, u.state, "                 \
      "u.hardware_revision, u.param_set_id FROM unit u WHERE u.id = ?1 AND NOT EXISTS "           \
      "(SELECT 1 FROM unit_event e WHERE e.unit_id = ?1)")                                        \
    X(UNIT_FIND_FULL, "SELECT id, release_id, customer_id, manufactured, state, "              \
                      "hardware_revision FROM unit WHERE product_id = ?1 AND serial = ?2")        \
    X(UNITS_OF_PRODUCT, "SELECT serial, id FROM unit WHERE product_id = ?1")                      \
    X(UNITS_LOAD_RANGE, "SELECT id, product_id, release_id, customer_id, param_set_id, serial, "  \
                        "hardware_revision, state, site, manufactured FROM unit "                 \
                        "WHERE id BETWEEN ?1 AND ?2 ORDER BY id")                                 \
    X(UNIT_EVENTS_LOAD_RANGE,                                                                     \
      "SELECT id, time, kind, from_release, to_release, customer_id, param_set_id, detail, "      \
      "actor, result, rma, other_serial, hardware_revision, unit_id FROM unit_event "             \
      "WHERE unit_id BETWEEN ?1 AND ?2 ORDER BY unit_id, time, id")                               \
    X(SPANS_DELETE_RANGE, "DELETE FROM unit_span WHERE unit_id BETWEEN ?1 AND ?2")                \
    X(UNIT_MAX_ID, "SELECT COALESCE(max(id), 0) FROM unit")                                       \
    X(SQLITE_TABLE_INDEXES, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "       \
                            "tbl_name = ?1 AND sql IS NOT NULL ORDER BY name")                   \
    /* SQLite event import (fleet_bulk.h): stored history, the unit_count stale triggers */      \
    X(UNIT_EVENTS_ANY, "SELECT 1 FROM unit_event LIMIT 1")                                        \
    X(UNIT_HAS_EVENTS, "SELECT 1 FROM unit_event WHERE unit_id = ?1 LIMIT 1")                     \
    X(UNIT_EVENT_INSERT_NEW,                                                                      \
      "INSERT INTO unit_event(unit_id, product_id, time, kind, from_release, to_release, detail, " \
      "customer_id, actor, result, rma, other_serial, hardware_revision, param_set_id) "          \
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)")                    \
    /* SQLite event import, several rows per statement (one unit's new events and spans): the   \
     * table cursor stays on the page it appended to, so the next row needs no descent from the \
     * root. Parameters numbered in order (row r, column c: r * width + c). OR IGNORE: a        \
     * statement that writes several rows and may abort halfway runs with a statement journal   \
     * (temp_store=FILE: pwrite per page); the caller counts the rows written instead. */       \
    X(UNIT_EVENTS_INSERT_NEW_2,                                                                   \
      "INSERT OR IGNORE INTO unit_event(" EVENT_COLS ") VALUES " EVENT_ROWS_2)                    \
    X(UNIT_EVENTS_INSERT_NEW_4,                                                                   \
      "INSERT OR IGNORE INTO unit_event(" EVENT_COLS ") VALUES " EVENT_ROWS_4)                    \
    X(UNIT_EVENTS_INSERT_NEW_8,                                                                   \
      "INSERT OR IGNORE INTO unit_event(" EVENT_COLS ") VALUES " EVENT_ROWS_8)                    \
    X(SPANS_INSERT_2, "INSERT OR IGNORE INTO unit_span(" SPAN_COLS ") VALUES " SPAN_ROWS_2)       \
    X(SPANS_INSERT_4, "INSERT OR IGNORE INTO unit_span(" SPAN_COLS ") VALUES " SPAN_ROWS_4)       \
    X(SPANS_INSERT_8, "INSERT OR IGNORE INTO unit_span(" SPAN_COLS ") VALUES " SPAN_ROWS_8)       \
    X(SQLITE_TRIGGER_SQL, "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1")   \
    X(UNIT_COUNT_MARK_STALE, "UPDATE unit_count_state SET gen = counted + 1 "                     \
                             "WHERE id = 1 AND gen = counted")                                    \
    /* PostgreSQL, unit_event without foreign keys (migration 0017): the references of one     \
     * event (NULL: all there, else which one is missing), and the first id of a set that is   \
     * missing (?1 = '{1,2,...}'). unit_event rows of the given units (COPY import). */          \
    X(UNIT_EVENT_REF_MISSING,                                                                     \
      "SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM unit WHERE id = CAST(?1 AS BIGINT) "            \
      "AND product_id = CAST(?2 AS BIGINT)) THEN 'unit' "                                         \
      "WHEN CAST(?3 AS BIGINT) IS NOT NULL AND NOT EXISTS (SELECT 1 FROM release "                \
      "WHERE id = CAST(?3 AS BIGINT)) THEN 'from_release' "                                       \
      "WHEN CAST(?4 AS BIGINT) IS NOT NULL AND NOT EXISTS (SELECT 1 FROM release "                \
      "WHERE id = CAST(?4 AS BIGINT)) THEN 'to_release' "                                         \
      "WHEN CAST(?5 AS BIGINT) IS NOT NULL AND NOT EXISTS (SELECT 1 FROM customer "               \
      "WHERE id = CAST(?5 AS BIGINT)) THEN 'customer' "                                           \
      "WHEN CAST(?6 AS BIGINT) IS NOT NULL AND NOT EXISTS (SELECT 1 FROM param_set "              \
      "WHERE id = CAST(?6 AS BIGINT)) THEN 'param_set' END")                                      \
    X(PG_RELEASES_MISSING, "SELECT x FROM unnest(CAST(?1 AS BIGINT[])) AS t(x) WHERE NOT EXISTS " \
                           "(SELECT 1 FROM release r WHERE r.id = t.x) LIMIT 1")                  \
    X(PG_CUSTOMERS_MISSING, "SELECT x FROM unnest(CAST(?1 AS BIGINT[])) AS t(x) WHERE NOT "       \
                            "EXISTS (SELECT 1 FROM customer c WHERE c.id = t.x) LIMIT 1")         \
    X(PG_PARAM_SETS_MISSING, "SELECT x FROM unnest(CAST(?1 AS BIGINT[])) AS t(x) WHERE NOT "      \
                             "EXISTS (SELECT 1 FROM param_set p WHERE p.id = t.x) LIMIT 1")       \
    X(PG_UNITS_WITH_EVENTS, "SELECT DISTINCT unit_id FROM unit_event "                            \
                            "WHERE unit_id = ANY(CAST(?1 AS BIGINT[]))")                          \
    X(PG_SPANS_DELETE_ANY, "DELETE FROM unit_span WHERE unit_id = ANY(CAST(?1 AS BIGINT[]))")    \
    /* PostgreSQL, unit without foreign keys (migration 0022): the references of one unit      \
     * (NULL: all there, else which one is missing), products of a set that are missing, and   \
     * ?1 unit ids reserved from unit's sequence for the COPY units import. */                  \
    X(PG_UNIT_REF_MISSING,                                                                        \
      "SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM product WHERE id = CAST(?1 AS BIGINT)) "       \
      "THEN 'product' WHEN CAST(?2 AS BIGINT) IS NOT NULL AND NOT EXISTS (SELECT 1 FROM release " \
      "WHERE id = CAST(?2 AS BIGINT)) THEN 'release' WHEN CAST(?3 AS BIGINT) IS NOT NULL AND "    \
      "NOT EXISTS (SELECT 1 FROM customer WHERE id = CAST(?3 AS BIGINT)) THEN 'customer' END")   \
    X(PG_PRODUCTS_MISSING, "SELECT x FROM unnest(CAST(?1 AS BIGINT[])) AS t(x) WHERE NOT EXISTS " \
                           "(SELECT 1 FROM product p WHERE p.id = t.x) LIMIT 1")                  \
    X(PG_UNIT_IDS_RESERVE, "SELECT nextval('unit_p_id_seq') FROM "                                \
                           "generate_series(1, CAST(?1 AS BIGINT))")                              \
    /* PostgreSQL, a fresh fleet's first import (COPY ... FREEZE, docs/fleet.md): the leaf      \
     * partition of hash-partitioned table ?1 that holds product ?2's rows, as a quoted,         \
     * qualified name (no row: not hash-partitioned that way). */                                \
    X(PG_PARTITION_OF,                                                                            \
      "SELECT CAST(CAST(c.oid AS regclass) AS TEXT) FROM pg_inherits i JOIN pg_class c "          \
      "ON c.oid = i.inhrelid WHERE i.inhparent = CAST(CAST(?1 AS TEXT) AS regclass) "             \
      "AND c.relkind = 'r' AND satisfies_hash_partition(i.inhparent, "                            \
      "CAST(substring(pg_get_expr(c.relpartbound, c.oid) FROM 'modulus (\\d+)') AS INT), "        \
      "CAST(substring(pg_get_expr(c.relpartbound, c.oid) FROM 'remainder (\\d+)') AS INT), "      \
      "CAST(?2 AS BIGINT))")                                                                      \
    /* ... ?1 unit_event ids in a row (the caller holds the table's lock: TRUNCATE), the last  \
     * of them ... */                                                                            \
    X(PG_EVENT_IDS_RESERVE, "SELECT setval('unit_event_p_id_seq', "                               \
                            "nextval('unit_event_p_id_seq') + CAST(?1 AS BIGINT) - 1)")          \
    /* ... the primary key of table ?1 (name, definition) ... */                                 \
    X(PG_TABLE_PKEY, "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "              \
                     "WHERE conrelid = CAST(CAST(?1 AS TEXT) AS regclass) AND contype = 'p'")     \
    /* ... the oid of that partition (for a VACUUM after the commit), their names again ... */   \
    X(PG_PARTITION_OID,                                                                           \
      "SELECT CAST(c.oid AS BIGINT) FROM pg_inherits i JOIN pg_class c "                          \
      "ON c.oid = i.inhrelid WHERE i.inhparent = CAST(CAST(?1 AS TEXT) AS regclass) "             \
      "AND c.relkind = 'r' AND satisfies_hash_partition(i.inhparent, "                            \
      "CAST(substring(pg_get_expr(c.relpartbound, c.oid) FROM 'modulus (\\d+)') AS INT), "        \
      "CAST(substring(pg_get_expr(c.relpartbound, c.oid) FROM 'remainder (\\d+)') AS INT), "      \
      "CAST(?2 AS BIGINT))")                                                                      \
    X(PG_REL_NAMES, "SELECT CAST(CAST(CAST(x AS oid) AS regclass) AS TEXT) FROM "                 \
                    "unnest(CAST(?1 AS BIGINT[])) AS t(x) WHERE EXISTS (SELECT 1 FROM pg_class "  \
                    "c WHERE c.oid = CAST(x AS oid))")                                            \
    /* ... its primary key and unique constraints (primary key first) ... */                     \
    X(PG_TABLE_KEYS, "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "              \
                     "WHERE conrelid = CAST(CAST(?1 AS TEXT) AS regclass) AND contype IN "        \
                     "('p', 'u') ORDER BY contype, conname")                                      \
    /* ... and the spans kept aside before unit_span was truncated, back for units ?1 */         \
    X(PG_KEPT_SPANS_RESTORE,                                                                      \
      "INSERT INTO unit_span SELECT k.* FROM ct_keep_span k JOIN "                                \
      "unnest(CAST(?1 AS BIGINT[])) AS u(id) ON u.id = k.unit_id")                                \
    X(PG_TABLE_INDEXES_NO_KEY, "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i " \
                               "JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = "      \
                               "CAST(CAST(?1 AS TEXT) AS regclass) AND NOT i.indisprimary AND "   \
                               "NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = "    \
                               "i.indexrelid) ORDER BY c.relname")                                \
    X(PG_TABLE_INDEXES, "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "         \
                        "JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = "              \
                        "CAST(CAST(?1 AS TEXT) AS regclass) AND NOT i.indisprimary "              \
                        "AND NOT i.indisunique ORDER BY c.relname")                               \
    X(UNITS_BY_SERIAL, "SELECT u.id FROM unit u JOIN product p ON p.id = u.product_id "           \
                       "WHERE u.serial = ?1 AND (CAST(?2 AS TEXT) IS NULL OR p.name = ?2) "       \
                       "ORDER BY u.id")                                                           \
    X(UNIT_SHOW, "SELECT u.serial, p.name, u.hardware_revision, r.version, c.code, c.name, "      \
                 "u.state, u.manufactured, u.site, ps.name, ps.version "                          \
                 "FROM unit u JOIN product p ON p.id = u.product_id "                             \
                 "LEFT JOIN param_set ps ON ps.id = u.param_set_id "                              \
                 "LEFT JOIN release r ON r.id = u.release_id "                                    \
                 "LEFT JOIN customer c ON c.id = u.customer_id WHERE u.id = ?1")                  \
    X(SPAN_AT, "SELECT s.hardware_revision, r.version, c.code, c.name, s.state, s.valid_from, "   \
               "ps.name, ps.version, ps.content_hash "                                            \
               "FROM unit_span s LEFT JOIN release r ON r.id = s.release_id "                     \
               "LEFT JOIN customer c ON c.id = s.customer_id "                                    \
               "LEFT JOIN param_set ps ON ps.id = s.param_set_id WHERE s.unit_id = ?1 AND "       \
               "s.valid_from <= ?2 AND (s.valid_to IS NULL OR s.valid_to > ?2)")                  \
    X(EVENTS_SHOW,                                                                                \
      "SELECT e.time, e.kind, fr.version, tr.version, e.detail, c.code, e.actor, e.result, "      \
      "e.rma, e.other_serial, e.hardware_revision, ps.name, ps.version, ps.content_hash "         \
      "FROM unit_event e "                                                                        \
      "LEFT JOIN release fr ON fr.id = e.from_release LEFT JOIN release tr ON tr.id = e.to_release " \
      "LEFT JOIN param_set ps ON ps.id = e.param_set_id "                                         \
      "LEFT JOIN customer c ON c.id = e.customer_id WHERE e.unit_id = ?1 AND e.time <= ?2 "       \
      "ORDER BY e.time, e.id")                                                                    \
    /* at a time: the affected releases first, then per release (?1) and span length class   \
     * one index range (unit_span_alive, migration 0015): the spans alive at ?2 plus few that   \
     * ended shortly before it. With the release bound, PostgreSQL searches the index of each   \
     * partition (an IN over the findings made it scan every partition); one scan answers the   \
     * units per release and per customer: SQLite returns a row per alive span (summed in C,    \
     * no GROUP BY temp B-tree), PostgreSQL counts per customer (hash aggregate). Rows:         \
     * customer id (0: none), units. */                                                        \
    X(AFFECTED_RELEASE_IDS, "SELECT DISTINCT f.release_id FROM finding f WHERE f.advisory_id IN " \
                            IDENTITY_OF_1 " ORDER BY 1")                                          \
    /* (SQLite, migration 0030: the class is the column alive_class, NULL out of the field, and \
     * unit_span_alive is partial on alive_class IS NOT NULL, which the join's equality implies) */ \
    X(AFFECTED_SPANS_AT,                                                                          \
      SPAN_CLASS_WIDTHS "SELECT COALESCE(s.customer_id, 0), 1 FROM span_class k "                 \
      "JOIN unit_span s ON s.alive_class = k.c WHERE s.release_id = ?1 AND "                      \
      "s.valid_from > ?2 - k.w AND s.valid_from <= ?2 AND (s.valid_to IS NULL OR s.valid_to > ?2)") \
    /* (PostgreSQL only: count_alive_at in queries.c runs AFFECTED_SPANS_AT on SQLite and this  \
     * one on PostgreSQL; it is never prepared on SQLite) */                                     \
    X(AFFECTED_COUNTS_AT,                                                                         \
      SPAN_CLASS_WIDTHS "SELECT COALESCE(s.customer_id, 0), count(*) FROM span_class k "          \
      "JOIN unit_span s ON " SPAN_LEN_CLASS " = k.c WHERE s.release_id = ?1 AND " SPAN_ALIVE_AT_2 \
      " GROUP BY COALESCE(s.customer_id, 0)")                                                     \
    /* units per (release, customer) now: a cache for affected (issue 6, migration 0013) */   \
    X(UNIT_COUNT_STATE, "SELECT gen, counted FROM unit_count_state WHERE id = 1")                \
    X(UNIT_COUNT_CLAIM, "UPDATE unit_count_state SET counted = gen WHERE id = 1 AND "            \
                        "counted <> gen RETURNING gen")                                           \
    X(UNIT_COUNT_CLEAR, "DELETE FROM unit_count")                                                 \
    X(UNIT_COUNT_PAIRS,                                                                           \
      "SELECT s.release_id, COALESCE(s.customer_id, 0), count(*) FROM unit_span s "               \
      "WHERE s.release_id IS NOT NULL AND s.valid_to IS NULL "                                    \
      "AND s.state NOT IN ('decommissioned', 'replaced') "                                        \
      "GROUP BY s.release_id, COALESCE(s.customer_id, 0) ORDER BY 1, 2")                          \
    X(UNIT_COUNT_INSERT, "INSERT INTO unit_count(release_id, units, by_customer) "                \
                         "VALUES (?1, ?2, ?3)")                                                   \
    X(AFFECTED_UNITS_NOW,                                                                         \
      "SELECT u.release_id, u.units, u.by_customer FROM unit_count u WHERE u.release_id IN "      \
      "(SELECT DISTINCT f.release_id FROM finding f WHERE f.advisory_id IN " IDENTITY_OF_1 ")")   \
    X(CUSTOMERS_ALL, "SELECT id, code, name FROM customer")                                       \
    X(PARAM_SET_UPSERT, "INSERT INTO param_set(product_id, name, version, content_hash, created) " \
                        "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (product_id, name, version) "    \
                        "DO UPDATE SET content_hash = COALESCE(excluded.content_hash, "            \
                        "param_set.content_hash) RETURNING id")                                   \
    X(ROLLOUT_RELEASES,                                                                           \
      "SELECT r.id, r.version, r.released, "                                                      \
      "(SELECT count(*) FROM unit_span s WHERE s.release_id = r.id AND s.valid_to IS NULL "       \
      "AND s.state NOT IN ('decommissioned', 'replaced')), "                                      \
      "(SELECT count(DISTINCT coalesce(a.identity_id, a.id)) FROM finding f "                     \
      "JOIN advisory a ON a.id = f.advisory_id WHERE f.release_id = r.id "                        \
      "AND f.state NOT IN ('not_affected', 'fixed')) "                                            \
      "FROM release r WHERE r.product_id = ?1 ORDER BY r.released, r.id")                         \
    X(PRODUCT_GET, "SELECT name, vendor, category, support_until FROM product WHERE id = ?1")     \
    X(CUSTOMER_UNITS,                                                                             \
      "SELECT u.serial, p.name, r.version, s.state, s.hardware_revision, "                        \
      "(SELECT count(DISTINCT coalesce(a.identity_id, a.id)) FROM finding f JOIN advisory a "     \
      "ON a.id = f.advisory_id WHERE f.release_id = s.release_id) "                               \
      "FROM unit_span s JOIN unit u ON u.id = s.unit_id JOIN product p ON p.id = s.product_id "   \
      "LEFT JOIN release r ON r.id = s.release_id "                                               \
      "WHERE s.customer_id = ?1 AND s.valid_to IS NULL ORDER BY p.name, u.serial")                \
    X(CUSTOMER_GET, "SELECT code, name, country, email, channel FROM customer WHERE id = ?1")     \
    X(UNITS_EXPORT,                                                                               \
      "SELECT u.serial, p.name, u.hardware_revision, r.version, c.code, u.manufactured, u.state " \
      "FROM unit u JOIN product p ON p.id = u.product_id "                                        \
      "LEFT JOIN release r ON r.id = u.release_id LEFT JOIN customer c ON c.id = u.customer_id "  \
      "WHERE (CAST(?1 AS TEXT) IS NULL OR p.name = ?1) ORDER BY p.name, u.serial")                \
    X(KEV_UPSERT, "INSERT INTO kev(cve, vendor, product, name, date_added, due_date, ransomware) " \
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (cve) DO UPDATE SET "          \
                  "vendor = excluded.vendor, product = excluded.product, name = excluded.name, "  \
                  "date_added = excluded.date_added, due_date = excluded.due_date, "              \
                  "ransomware = excluded.ransomware")                                             \
    X(EPSS_UPSERT, "INSERT INTO epss(cve, epss_micro, pct_micro, score_date) "                    \
                   "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (cve) DO UPDATE SET "                     \
                   "epss_micro = excluded.epss_micro, pct_micro = excluded.pct_micro, "           \
                   "score_date = excluded.score_date")                                            \
    X(ADVISORY_INTEL,                                                                             \
      "SELECT (SELECT min(k.date_added) FROM kev k WHERE k.cve IN " NAMES_OF_IDENTITY_OF_1 "), "  \
      "(SELECT max(e.epss_micro) FROM epss e WHERE e.cve IN " NAMES_OF_IDENTITY_OF_1 "), "        \
      "(SELECT max(e.pct_micro) FROM epss e WHERE e.cve IN " NAMES_OF_IDENTITY_OF_1 "), a.cvss "  \
      "FROM advisory a WHERE a.id = ?1")                                                          \
    X(ANY_RANGE, "SELECT 1 FROM affected_range LIMIT 1")                                         \
    X(RELEASE_COMPONENTS,                                                                         \
      "SELECT bom_ref, type, grp, name, version, purl, cpe, supplier, hashes, licenses "          \
      "FROM component WHERE release_id = ?1 ORDER BY id")                                         \
    X(RELEASE_DEPS, "SELECT ref, depends_on FROM dependency WHERE release_id = ?1 "               \
                    "ORDER BY ref, depends_on")                                                   \
    X(RELEASE_GET, "SELECT r.sbom_format, r.sbom_spec, r.sbom_serial, p.name, r.version "         \
                   "FROM release r JOIN product p ON p.id = r.product_id WHERE r.id = ?1")        \
    /* per finding the identity's primary ID and the severity of its best-ranked record that
     * states one (a component two records of an identity match gives two equal rows) */       \
    X(RELEASE_OPEN_FINDINGS,                                                                      \
      "SELECT a.primary_id, (SELECT b.severity FROM advisory b WHERE b.identity_id = "            \
      "a.identity_id AND b.withdrawn IS NULL AND b.severity IS NOT NULL ORDER BY "                \
      SOURCE_RANK("b.source") ", b.id LIMIT 1), c.purl, c.name, c.version FROM finding f "        \
      "JOIN advisory a ON a.id = f.advisory_id JOIN component c ON c.id = f.component_id "        \
      "WHERE f.release_id = ?1 AND f.state NOT IN ('not_affected', 'fixed')")                      \
    X(ADVISORY_BY_EXT, "SELECT id, modified FROM advisory WHERE ext_id = ?1 ORDER BY "            \
                       SOURCE_RANK("source") ", id")                                              \
    /* a record is keyed by its ID and its source (migration 0020) */                            \
    X(ADVISORY_BY_SOURCE_EXT, "SELECT id, modified FROM advisory WHERE ext_id = ?1 AND "          \
                              "source = ?2")                                                      \
    X(ADVISORY_INSERT, "INSERT INTO advisory(ext_id, source, summary, severity, cvss, "           \
                       "published, modified, withdrawn) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) " \
                       "RETURNING id")                                                            \
    X(ADVISORY_UPDATE, "UPDATE advisory SET source = ?2, summary = ?3, severity = ?4, cvss = ?5, " \
                       "published = ?6, modified = ?7, withdrawn = ?8 WHERE id = ?1")             \
    X(ADVISORY_CLEAR_RANGES, "DELETE FROM affected_range WHERE advisory_id = ?1")                 \
    X(ADVISORY_CLEAR_ALIASES, "DELETE FROM advisory_alias WHERE advisory_id = ?1")                \
    X(ADVISORY_CLEAR_FINDINGS, "DELETE FROM finding WHERE advisory_id = ?1")                      \
    X(ALIAS_INSERT, "INSERT INTO advisory_alias(advisory_id, alias) VALUES (?1, ?2) "             \
                    "ON CONFLICT DO NOTHING")                                                     \
    X(RANGE_INSERT, "INSERT INTO affected_range(advisory_id, pkg_key, ecosystem, scheme, "        \
                    "range_type, vers) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id")            \
    X(COMPONENTS_BY_PKG, "SELECT id, release_id, product_id, mversion FROM component "             \
                         "WHERE pkg_key = ?1 AND mversion IS NOT NULL")                                                    \
    X(RANGES_BY_PKG, "SELECT r.id, r.advisory_id, r.scheme, r.vers FROM affected_range r "        \
                     "JOIN advisory a ON a.id = r.advisory_id "                                   \
                     "WHERE r.pkg_key = ?1 AND a.withdrawn IS NULL")                              \
    X(RANGES_ALL, "SELECT r.id, r.advisory_id, r.pkg_key, r.scheme, r.vers FROM affected_range r " \
                  "JOIN advisory a ON a.id = r.advisory_id WHERE a.withdrawn IS NULL "            \
                  "ORDER BY r.pkg_key")                                                           \
    X(RANGES_OF_ADVISORY, "SELECT id, pkg_key, vers FROM affected_range WHERE advisory_id = ?1")  \
    X(FINDING_INSERT, "INSERT INTO finding(advisory_id, component_id, release_id, product_id, "   \
                      "range_id, rule, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "             \
                      "ON CONFLICT DO NOTHING")                                                   \
    X(FINDINGS_CLEAR_ALL, "DELETE FROM finding")                                                  \
    /* the match index (store/match_store.c): build / catch up, and checked batched inserts */   \
    X(RANGES_LIVE_SINCE, "SELECT r.id, r.advisory_id, r.pkg_key, r.vers FROM affected_range r "   \
                         "JOIN advisory a ON a.id = r.advisory_id "                               \
                         "WHERE r.id > ?1 AND a.withdrawn IS NULL")                               \
    X(RANGE_MAX_ID, "SELECT COALESCE(max(id), 0) FROM affected_range")                            \
    X(FINDING_INSERT_LIVE,                                                                        \
      "INSERT INTO finding(advisory_id, component_id, release_id, product_id, range_id, rule, "   \
      "created) SELECT CAST(?1 AS BIGINT), CAST(?2 AS BIGINT), CAST(?3 AS BIGINT), "              \
      "CAST(?4 AS BIGINT), CAST(?5 AS BIGINT), CAST(?6 AS TEXT), CAST(?7 AS BIGINT) "             \
      "FROM affected_range r JOIN advisory a ON a.id = r.advisory_id WHERE r.id = ?5 AND "        \
      "r.advisory_id = ?1 AND a.withdrawn IS NULL ON CONFLICT DO NOTHING")                        \
    X(COMPONENTS_MATCHABLE, "SELECT id, release_id, product_id, pkg_key, mversion FROM component " \
                            "WHERE id > ?1 AND mversion IS NOT NULL AND pkg_key IS NOT NULL "     \
                            "ORDER BY id LIMIT 2048")                                             \
    X(ADVISORY_IDS, "SELECT id FROM advisory WHERE withdrawn IS NULL ORDER BY id")                                                  \
    X(ADVISORY_BY_ALIAS, "SELECT a.id FROM advisory a JOIN advisory_alias al "                    \
                         "ON al.advisory_id = a.id WHERE al.alias = ?1 ORDER BY a.id LIMIT 1")    \
    X(ADVISORY_GET, "SELECT ext_id, source, summary, severity, published, modified, withdrawn "   \
                    "FROM advisory WHERE id = ?1")                                                \
    X(ALIASES_OF, "SELECT alias FROM advisory_alias WHERE advisory_id = ?1 ORDER BY alias")       \
    X(AFFECTED_COMPONENTS,                                                                        \
      "SELECT p.name, r.version, r.id, c.purl, c.name, c.version, ar.vers, f.rule, f.state, "     \
      "c.id, a.ext_id "                                                                           \
      "FROM finding f JOIN component c ON c.id = f.component_id "                                 \
      "JOIN release r ON r.id = f.release_id JOIN product p ON p.id = f.product_id "              \
      "JOIN affected_range ar ON ar.id = f.range_id JOIN advisory a ON a.id = f.advisory_id "     \
      "WHERE f.advisory_id IN " IDENTITY_OF_1 " "                                                 \
      "ORDER BY p.name, r.released, r.id, c.purl, c.name, c.id, (a.ext_id <> a.primary_id), "     \
      "a.ext_id")                                       \
    X(AFFECTED_UNITS,                                                                             \
      "SELECT s.release_id, count(*) FROM unit_span s WHERE s.release_id IN "                     \
      "(SELECT DISTINCT f.release_id FROM finding f WHERE f.advisory_id IN " IDENTITY_OF_1 ") "                   \
      "AND s.valid_to IS NULL AND s.state NOT IN ('decommissioned', 'replaced') "                 \
      "GROUP BY s.release_id")                                                                    \
    X(AFFECTED_CUSTOMERS,                                                                         \
      "SELECT c.code, c.name, count(*) AS n FROM unit_span s JOIN customer c "                    \
      "ON c.id = s.customer_id WHERE s.release_id IN (SELECT DISTINCT f.release_id FROM finding f " \
      "WHERE f.advisory_id IN " IDENTITY_OF_1 ") AND s.valid_to IS NULL "                                         \
      "AND s.state NOT IN ('decommissioned', 'replaced') "                                        \
      "GROUP BY c.id, c.code, c.name ORDER BY n DESC, c.code")                                    \
    X(FINDINGS_LIST,                                                                              \
      "SELECT p.name, r.version, c.purl, c.name, c.version, a.ext_id, a.severity, f.state, "      \
      "f.rule, ar.vers, a.id FROM finding f JOIN component c ON c.id = f.component_id "           \
      "JOIN release r ON r.id = f.release_id JOIN product p ON p.id = f.product_id "              \
      "JOIN advisory a ON a.id = f.advisory_id JOIN affected_range ar ON ar.id = f.range_id "     \
      "WHERE (CAST(?1 AS TEXT) IS NULL OR p.name = ?1) "                                        \
      "AND (CAST(?2 AS TEXT) IS NULL OR f.state = ?2) "                       \
      "ORDER BY p.name, r.released, r.id, a.ext_id, c.purl")                                      \
    X(ADV_NAMES, "SELECT ext_id, 1 FROM advisory WHERE id = ?1 UNION "                           \
                 "SELECT alias, 0 FROM advisory_alias WHERE advisory_id = ?1")                    \
    X(ADV_BY_NAME, "SELECT id FROM advisory WHERE ext_id = ?1 UNION "                             \
                   "SELECT advisory_id FROM advisory_alias WHERE alias = ?1")                     \
    X(ADV_BRIEF, "SELECT ext_id, withdrawn, identity_id, primary_id FROM advisory WHERE id = ?1") \
    X(ADV_ALL_IDS, "SELECT id FROM advisory ORDER BY id")                                         \
    X(ADV_SET_IDENTITY, "UPDATE advisory SET identity_id = ?2, primary_id = ?3 WHERE id = ?1")    \
    X(ADV_SET_ORIGIN, "UPDATE advisory SET origin = ?2 WHERE id = ?1")                            \
    X(ADV_PRIMARY_RECORD,                                                                         \
      "SELECT b.id, b.identity_id FROM advisory a JOIN advisory b ON b.identity_id = "            \
      "a.identity_id AND b.ext_id = a.primary_id WHERE a.id = ?1 ORDER BY "                       \
      SOURCE_RANK("b.source") ", b.id LIMIT 1")                                                   \
    X(IDENTITY_MEMBERS, "SELECT id FROM advisory WHERE identity_id = ?1 ORDER BY id")             \
    X(IDENTITY_NAMES,                                                                             \
      "SELECT ext_id FROM advisory WHERE identity_id = ?1 UNION SELECT al.alias FROM "            \
      "advisory_alias al JOIN advisory a ON a.id = al.advisory_id WHERE a.identity_id = ?1 "      \
      "ORDER BY 1")                                                                               \
    X(IDENTITY_RECORDS,                                                                           \
      "SELECT id, ext_id, source, origin, severity, cvss, withdrawn, modified FROM advisory "     \
      "WHERE identity_id = ?1 ORDER BY (ext_id <> primary_id), ext_id, " SOURCE_RANK("source")   \
      ", source")                                                                                 \
    /* advisories show (store/advisory_store.c): every record of an identity, in full */        \
    X(IDENTITY_RECORD_IDS,                                                                        \
      "SELECT id FROM advisory WHERE identity_id = ?1 ORDER BY (ext_id <> primary_id), ext_id, "  \
      SOURCE_RANK("source") ", source")                                                           \
    X(RECORD_FULL, "SELECT ext_id, source, origin, summary, severity, cvss, published, "          \
                   "modified, withdrawn FROM advisory WHERE id = ?1")                             \
    X(RANGES_OF_RECORD, "SELECT ecosystem, pkg_key, range_type, vers FROM affected_range "        \
                        "WHERE advisory_id = ?1 ORDER BY id")                                     \
    X(RELATED_INSERT, "INSERT INTO advisory_related(advisory_id, related) VALUES (?1, ?2) "       \
                      "ON CONFLICT DO NOTHING")                                                   \
    X(RELATED_CLEAR, "DELETE FROM advisory_related WHERE advisory_id = ?1")                       \
    X(RELATED_OF, "SELECT related FROM advisory_related WHERE advisory_id = ?1 ORDER BY related") \
    /* records of other identities that name an ID of this one as related */                   \
    X(RELATED_BY,                                                                                 \
      "SELECT DISTINCT a.ext_id, a.source FROM advisory_related r JOIN advisory a "               \
      "ON a.id = r.advisory_id WHERE r.related IN (SELECT ext_id FROM advisory WHERE "            \
      "identity_id = ?1 UNION SELECT al.alias FROM advisory_alias al JOIN advisory b ON "         \
      "b.id = al.advisory_id WHERE b.identity_id = ?1) AND COALESCE(a.identity_id, 0) <> ?1 "     \
      "ORDER BY a.ext_id, a.source")                                                              \
    /* identity regrouping in one pass (store/identity.c) */                                  \
    X(ADV_ALL_BRIEF, "SELECT id, ext_id, CASE WHEN withdrawn IS NULL THEN 0 ELSE 1 END, "         \
                     "COALESCE(identity_id, 0), primary_id FROM advisory ORDER BY id")            \
    X(ALIAS_ALL, "SELECT advisory_id, alias FROM advisory_alias")                                 \
    /* store-wide state (migration 0023): identity_stale tells match_all to regroup all */     \
    X(STATE_GET, "SELECT value FROM store_state WHERE name = ?1")                                 \
    X(STATE_SET, "UPDATE store_state SET value = ?2 WHERE name = ?1")                             \
    X(ADVISORY_COUNT, "SELECT count(*) FROM advisory")                                            \
    X(VEX_ANY, "SELECT 1 FROM vex_statement LIMIT 1")                                             \
    X(VEX_INSERT, "INSERT INTO vex_statement(product_id, release_id, advisory, component_purl, "  \
                  "state, justification, note, actor, created) VALUES "                           \
                  "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id")                            \
    X(VEX_ANY_OF_PRODUCT, "SELECT 1 FROM vex_statement WHERE product_id = ?1 LIMIT 1")            \
    X(VEX_FOR,                                                                                    \
      "SELECT v.id, v.state FROM vex_statement v WHERE v.release_id = ?1 AND "                    \
      "(v.component_purl IS NULL OR v.component_purl = ?3) AND v.advisory IN "                    \
      "(SELECT a.ext_id FROM advisory a WHERE a.identity_id = ?2 UNION SELECT al.alias FROM "     \
      "advisory_alias al JOIN advisory a ON a.id = al.advisory_id WHERE a.identity_id = ?2) "     \
      "ORDER BY v.created DESC, v.id DESC LIMIT 1")                                               \
    X(VEX_GET, "SELECT v.state, v.justification, v.note, v.actor, v.created, v.component_purl, "  \
               "v.advisory, r.version FROM vex_statement v JOIN release r ON r.id = v.release_id " \
               "WHERE v.id = ?1")                                                                 \
    X(RELEASE_PREV,                                                                               \
      "SELECT p.id FROM release p JOIN release c ON c.product_id = p.product_id WHERE c.id = ?1 " \
      "AND (COALESCE(p.released, 0) < COALESCE(c.released, 0) OR (COALESCE(p.released, 0) = "    \
      "COALESCE(c.released, 0) AND p.id < c.id)) "                                                \
      "ORDER BY COALESCE(p.released, 0) DESC, p.id DESC LIMIT 1")                                 \
    X(COMPONENT_SAME, "SELECT purl FROM component WHERE release_id = ?1 AND pkg_key = ?2 AND "    \
                      "version = ?3 ORDER BY id LIMIT 1")                                         \
    X(COMPONENT_BY_PURL, "SELECT 1 FROM component WHERE release_id = ?1 AND purl = ?2 LIMIT 1")   \
    X(FINDING_PAIR,                                                                               \
      "SELECT f.id, f.release_id, f.product_id, c.pkg_key, c.version, c.purl, a.identity_id "     \
      "FROM finding f JOIN component c ON c.id = f.component_id JOIN advisory a "                 \
      "ON a.id = f.advisory_id WHERE f.advisory_id = ?1 AND f.component_id = ?2")                 \
    X(FINDINGS_OF_IDENTITY,                                                                       \
      "SELECT f.id, f.release_id, f.product_id, c.pkg_key, c.version, c.purl, a.identity_id "     \
      "FROM finding f JOIN component c ON c.id = f.component_id JOIN advisory a "                 \
      "ON a.id = f.advisory_id WHERE a.identity_id = ?1")                                         \
    X(FINDINGS_OF_PRODUCT,                                                                        \
      "SELECT f.id, f.release_id, f.product_id, c.pkg_key, c.version, c.purl, a.identity_id "     \
      "FROM finding f JOIN component c ON c.id = f.component_id JOIN advisory a "                 \
      "ON a.id = f.advisory_id WHERE f.product_id = ?1")                                          \
    X(FINDING_SET_STATE, "UPDATE finding SET state = ?2, vex_id = ?3, inherited_from = ?4 "       \
                         "WHERE id = ?1")                                                         \
    X(VEX_COUNT_APPLIED, "SELECT count(*) FROM finding WHERE release_id = ?1 AND vex_id = ?2")    \
    X(FINDINGS_LIST_IDENTITY,                                                                     \
      "SELECT p.name, r.version, c.purl, c.name, c.version, a.primary_id, f.state, f.rule, "      \
      "ar.vers, a.id, a.identity_id, c.id, a.ext_id, a.source, a.origin, f.vex_id, "              \
      "ir.version FROM finding f JOIN component c ON c.id = f.component_id "                      \
      "JOIN release r ON r.id = f.release_id JOIN product p ON p.id = f.product_id "              \
      "JOIN advisory a ON a.id = f.advisory_id JOIN affected_range ar ON ar.id = f.range_id "     \
      "LEFT JOIN release ir ON ir.id = f.inherited_from "                                         \
      "WHERE (CAST(?1 AS TEXT) IS NULL OR p.name = ?1) "                                          \
      "AND (CAST(?2 AS TEXT) IS NULL OR f.state = ?2) "                                           \
      "ORDER BY p.name, r.released, r.id, a.primary_id, a.identity_id, c.purl, c.id, "            \
      "(a.ext_id <> a.primary_id), a.ext_id, ar.id")                                              \
    /* every ID and alias of the identities of the findings FINDINGS_LIST_IDENTITY lists (same \
     * filter), in IDENTITY_NAMES order per identity: one query for the whole list */          \
    X(FINDINGS_IDENTITY_NAMES,                                                                    \
      "SELECT x.identity_id, x.ext_id FROM advisory x WHERE x.identity_id IN "                     \
      FINDINGS_LISTED_IDENTITIES " UNION SELECT x.identity_id, al.alias FROM advisory_alias al "  \
      "JOIN advisory x ON x.id = al.advisory_id WHERE x.identity_id IN "                          \
      FINDINGS_LISTED_IDENTITIES " ORDER BY 1, 2")                                                \
    /* issue 6, findings --json in a constant number of queries (advfix): per listed identity its \
     * records in IDENTITY_RECORDS order (the one that speaks for it), its KEV / EPSS over every \
     * ID and alias as ADVISORY_INTEL, and the VEX statements the listed findings carry */       \
    X(FINDINGS_IDENTITY_RECORDS,                                                                  \
      "SELECT x.identity_id, x.id, x.ext_id, x.source, x.severity, x.cvss, x.withdrawn "          \
      "FROM advisory x WHERE x.identity_id IN " FINDINGS_LISTED_IDENTITIES " ORDER BY "           \
      "x.identity_id, (x.ext_id <> x.primary_id), x.ext_id, " SOURCE_RANK("x.source")             \
      ", x.source")                                                                               \
    X(FINDINGS_IDENTITY_INTEL,                                                                    \
      "SELECT n.iid, min(k.date_added), max(e.epss_micro), max(e.pct_micro) FROM ("               \
      "SELECT x.identity_id AS iid, x.ext_id AS name FROM advisory x WHERE x.identity_id IN "     \
      FINDINGS_LISTED_IDENTITIES " UNION SELECT x.identity_id, al.alias FROM advisory_alias al "  \
      "JOIN advisory x ON x.id = al.advisory_id WHERE x.identity_id IN "                          \
      FINDINGS_LISTED_IDENTITIES ") n LEFT JOIN kev k ON k.cve = n.name LEFT JOIN epss e "        \
      "ON e.cve = n.name GROUP BY n.iid ORDER BY n.iid")                                          \
    X(FINDINGS_VEX,                                                                               \
      "SELECT v.id, v.state, v.justification, v.note, v.actor, v.component_purl, v.advisory, "    \
      "r.version, v.created FROM vex_statement v JOIN release r ON r.id = v.release_id "          \
      "WHERE v.id IN (SELECT f.vex_id FROM finding f JOIN product p ON p.id = f.product_id "      \
      "WHERE (CAST(?1 AS TEXT) IS NULL OR p.name = ?1) "                                          \
      "AND (CAST(?2 AS TEXT) IS NULL OR f.state = ?2)) ORDER BY v.id")                            \
    X(SUMMARY_COUNTS,                                                                             \
      "SELECT (SELECT count(*) FROM product), (SELECT count(*) FROM release), "                   \
      "(SELECT count(*) FROM component), (SELECT count(*) FROM unit), "                           \
      "(SELECT count(*) FROM customer), (SELECT count(*) FROM advisory), "                        \
      "(SELECT count(*) FROM finding)")                                                          \
    X(ADVISORIES_WITH_FINDINGS,                                                                   \
      "SELECT a.primary_id, count(DISTINCT f.release_id) AS nrel FROM finding f "                 \
      "JOIN advisory a ON a.id = f.advisory_id GROUP BY a.identity_id, a.primary_id "             \
      "ORDER BY nrel DESC, a.primary_id")                                                          \
    /* distro verdicts and re-key (store/distro_verdict.c) */                                 \
    X(DISTRO_COMPONENT, "SELECT pkg_key, mversion, purl FROM component WHERE id = ?1")            \
    X(DISTRO_ADV_EXT, "SELECT ext_id FROM advisory WHERE id = ?1")                                \
    X(DISTRO_RANGES,                                                                              \
      "SELECT r.vers, r.range_type, d.ext_id, d.source, d.origin FROM affected_range r "          \
      "JOIN advisory d ON d.id = r.advisory_id WHERE r.pkg_key = ?1 AND d.id <> ?2 AND "          \
      "d.withdrawn IS NULL AND (d.source IN ('alpine-secdb', 'wolfi-secdb', 'chainguard-secdb', " \
      "'debian-tracker', 'debian-dsa') OR d.ext_id LIKE 'DEBIAN-CVE-%' OR d.ext_id LIKE 'DSA-%' " \
      "OR d.ext_id LIKE 'DLA-%' OR d.ext_id LIKE 'ALPINE-CVE-%') AND (d.ext_id IN (SELECT "        \
      "x.ext_id FROM advisory x WHERE x.id = ?2 UNION SELECT xa.alias FROM advisory_alias xa "    \
      "WHERE xa.advisory_id = ?2) OR d.id IN (SELECT al.advisory_id FROM advisory_alias al "      \
      "WHERE al.alias IN (SELECT x.ext_id FROM advisory x WHERE x.id = ?2 UNION SELECT "          \
      "xa.alias FROM advisory_alias xa WHERE xa.advisory_id = ?2))) ORDER BY d.ext_id, r.id")     \
    X(DISTRO_VEX_ANY,                                                                             \
      "SELECT 1 FROM vex_statement v WHERE v.release_id = ?1 AND (v.component_purl IS NULL OR "   \
      "v.component_purl = ?3) AND v.advisory IN (SELECT x.ext_id FROM advisory x WHERE x.id = ?2 " \
      "UNION SELECT xa.alias FROM advisory_alias xa WHERE xa.advisory_id = ?2 UNION SELECT "      \
      "b.ext_id FROM advisory b JOIN advisory x ON x.identity_id = b.identity_id WHERE x.id = ?2 " \
      "UNION SELECT al.alias FROM advisory_alias al JOIN advisory b ON b.id = al.advisory_id "    \
      "JOIN advisory x ON x.identity_id = b.identity_id WHERE x.id = ?2) LIMIT 1")                \
    X(DISTRO_REKEY_COMPONENTS,                                                                    \
      "SELECT id, purl, pkg_key FROM component WHERE id > ?1 AND pkg_key IS NOT NULL AND "        \
      "(purl LIKE 'pkg:deb/%' OR purl LIKE 'pkg:apk/%' OR purl LIKE 'pkg:rpm/%' OR "             \
      "((purl LIKE 'pkg:maven/%' OR purl LIKE 'pkg:composer/%') AND "                             \
      "purl LIKE '%repository_url=%')) ORDER BY id LIMIT 4096")                                   \
    X(DISTRO_COMPONENT_SET_KEY, "UPDATE component SET pkg_key = ?2 WHERE id = ?1")                \
    X(DISTRO_REKEY_RANGES,                                                                        \
      "SELECT id, ecosystem, pkg_key, pkg_key FROM affected_range WHERE id > ?1 AND "             \
      "(ecosystem LIKE 'Debian:%' OR ecosystem LIKE 'Ubuntu:%' OR ecosystem LIKE 'Alpine:%' OR "  \
      "ecosystem LIKE 'AlmaLinux:%' OR ecosystem LIKE 'Red Hat:%' OR ecosystem LIKE 'Maven:%' OR " \
      "ecosystem LIKE 'Packagist:%') ORDER BY id LIMIT 4096")                                     \
    X(DISTRO_RANGE_SET_KEY, "UPDATE affected_range SET pkg_key = ?2 WHERE id = ?1")             \
    /* issue 6, upgrade re-key (advfix, migration 0029): raise keys_version to ?2 when lower; a \
     * row back means this transaction re-keys (a concurrent one waits on the row, then skips) */ \
    X(KEYS_VERSION_CLAIM, "UPDATE store_state SET value = ?2 WHERE name = ?1 AND value < ?2 "     \
                          "RETURNING value")                                                      \
    /* matching round 3 (store/match_store.c, store/distro_verdict.c): full rematch writes only \
     * the difference; distro verdicts only for keys with distro data, kept current */          \
    X(FINDINGS_OF_COMPONENTS,                                                                     \
      "SELECT id, advisory_id, component_id, range_id, rule, state, vex_id FROM finding "         \
      "WHERE component_id > ?1 AND component_id <= ?2")                                           \
    X(FINDING_SET_RANGE, "UPDATE finding SET range_id = ?2, rule = ?3 WHERE id = ?1")             \
    X(FINDING_DELETE, "DELETE FROM finding WHERE id = ?1")                                        \
    /* (CROSS JOIN fixes the join order in SQLite: from the few distro records when loading  \
     * all, from the new ranges by id when catching up) */                                    \
    X(DISTRO_KEYS_ALL,                                                                            \
      "SELECT r.pkg_key FROM advisory d CROSS JOIN affected_range r WHERE r.advisory_id = d.id "  \
      "AND d.withdrawn IS NULL AND " CT_DISTRO_SOURCE_D)                                           \
    X(DISTRO_KEYS_SINCE,                                                                          \
      "SELECT r.pkg_key FROM affected_range r CROSS JOIN advisory d WHERE r.advisory_id = d.id "  \
      "AND r.id > ?1 AND d.withdrawn IS NULL AND " CT_DISTRO_SOURCE_D)                             \
    X(DISTRO_ADV_IS_SOURCE, "SELECT 1 FROM advisory d WHERE d.id = ?1 AND " CT_DISTRO_SOURCE_D)    \
    X(DISTRO_FINDINGS_OF_KEY,                                                                     \
      "SELECT f.advisory_id, f.component_id, f.release_id, f.product_id, r.vers FROM component c " \
      "JOIN finding f ON f.component_id = c.id JOIN affected_range r ON r.id = f.range_id "       \
      "WHERE c.pkg_key = ?1 ORDER BY f.id")                                                       \
    /* issue 6, ecosystem suffixes (osvedge): release-less distro data meets every release */ \
    X(COMPONENTS_BY_PKG_BASE, "SELECT id, release_id, product_id, mversion FROM component "       \
                              "WHERE pkg_base = ?1 AND mversion IS NOT NULL")                     \
    X(RANGES_BY_PKG_PREFIX, "SELECT r.id, r.advisory_id, r.scheme, r.vers FROM affected_range r " \
                            "JOIN advisory a ON a.id = r.advisory_id "                            \
                            "WHERE substr(r.pkg_key, 1, ?2) = ?1 AND a.withdrawn IS NULL")        \
    X(DISTRO_FINDINGS_OF_BASE,                                                                    \
      "SELECT f.advisory_id, f.component_id, f.release_id, f.product_id, r.vers FROM component c " \
      "JOIN finding f ON f.component_id = c.id JOIN affected_range r ON r.id = f.range_id "       \
      "WHERE c.pkg_base = ?1 ORDER BY f.id")                                                      \
    X(DISTRO_VEX_OF,                                                                              \
      "SELECT v.id, v.state, v.note, v.actor FROM vex_statement v WHERE v.release_id = ?1 AND "   \
      "(v.component_purl IS NULL OR v.component_purl = ?3) AND v.advisory IN (SELECT x.ext_id "   \
      "FROM advisory x WHERE x.id = ?2 UNION SELECT xa.alias FROM advisory_alias xa WHERE "       \
      "xa.advisory_id = ?2 UNION SELECT b.ext_id FROM advisory b JOIN advisory x ON "             \
      "x.identity_id = b.identity_id WHERE x.id = ?2 UNION SELECT al.alias FROM advisory_alias al " \
      "JOIN advisory b ON b.id = al.advisory_id JOIN advisory x ON x.identity_id = b.identity_id " \
      "WHERE x.id = ?2) ORDER BY v.id")                                                           \
    X(DISTRO_VEX_DELETE, "DELETE FROM vex_statement WHERE id = ?1 AND actor LIKE 'distro:%'")     \
    X(DISTRO_FINDINGS_UNSET_VEX,                                                                  \
      "UPDATE finding SET state = 'in_triage', vex_id = NULL, inherited_from = NULL "             \
      "WHERE vex_id = ?1 AND release_id IN (SELECT id FROM release WHERE product_id = ?2)")

typedef enum {
#define CT_X_(id, sql) CT_Q_##id,
    CT_QUERY_MAP(CT_X_)
#undef CT_X_
    CT_Q__COUNT
} ct_query_id;

#define CT_PG_VACUUM_MAX 32
struct ct_store {
    const ct_store_driver *drv;
    void *conn;
    const ct_ctx *ctx;
    ct_stmt *cache[CT_Q__COUNT];
    int tx_depth;
    ct_matcher *matcher; /* lazily created; caches parsed ranges */
    ct_match_index *mindex;       /* match index, built on first use (store/match_store.c) */
    int64_t mindex_seen;          /* highest affected_range id the index has seen */
    struct ct_match_batch *mbatch; /* findings collected, not yet written */
    int match_mode;               /* 0 unknown, 1 index, 2 per pair (CT_MATCH_PER_PAIR=1) */
    const char *origin;  /* file or feed the advisories being imported come from (borrowed) */
    /* advisory identity regrouping deferred to the end of an import (store/identity.c) */
    bool identity_deferred;
    int64_t *identity_pending; /* advisories stored since, regrouped by identity_flush */
    size_t identity_npending, identity_cap;
    /* PostgreSQL: partitions (oids) a large import wrote, to VACUUM once it has committed
     * (store/fleet_store.c ct_store__pg_vacuum_*, docs/fleet.md) */
    int64_t pg_vacuum[CT_PG_VACUUM_MAX];
    size_t pg_nvacuum;
};

/** Borrowed, cached, reset statement for a named query. */
int ct_store__prepare(ct_stmt **out, ct_store *st, ct_query_id q);
/** Run a query with no result row expected (bindings already done). */
int ct_store__exec_stmt(ct_stmt *s);

/* Thin wrappers over the vtable. */
int ct_stmt_bind_text(ct_stmt *s, int idx, const char *text);
int ct_stmt_bind_int64(ct_stmt *s, int idx, int64_t v);
/** Bind v, or NULL when v == CT_TIME_NONE / id <= 0 as documented by the caller. */
int ct_stmt_bind_opt_int64(ct_stmt *s, int idx, int64_t v, int64_t none);
int ct_stmt_step(ct_stmt *s);
int64_t ct_stmt_int64(ct_stmt *s, int col);
const char *ct_stmt_text(ct_stmt *s, int col);
bool ct_stmt_is_null(ct_stmt *s, int col);

/* Matching (store/match_store.c). */
int ct_store__match_component(ct_store *st, int64_t component_id, int64_t release_id,
                              int64_t product_id, const char *pkg_key, const char *version,
                              ct_match_stats *stats);
int ct_store__match_advisory(ct_store *st, int64_t advisory_id, ct_match_stats *stats);
/** Write the findings ct_store__match_component collected (sorted, one statement loop) and
 * resolve their triage; call once after the components of a release. */
int ct_store__match_flush(ct_store *st, ct_match_stats *stats);
/** Drop the match index and unwritten findings (on close, and on rollback: rebuilt on use). */
void ct_store__match_state_free(ct_store *st);


/* Distro verdicts (store/distro_verdict.c, docs/feeds.md "Distributions"). */
/** After a finding (advisory, component) with range vers is written: when the distribution's
 * own data for the component's release and source package says fixed / not affected for the
 * same vulnerability, record that as a VEX statement by "distro:<source>" (unless a statement
 * exists). A no-op for non-distro ranges. */
int ct_store__distro_verdict(ct_store *st, int64_t advisory_id, int64_t component_id,
                             int64_t release_id, int64_t product_id, const char *vers);
/** Recompute package keys of distro components and release-scoped ranges stored before keys
 * carried the distro release; *changed_out (may be NULL) counts updated rows. */
int ct_store__distro_rekey(ct_store *st, uint64_t *changed_out);
/** Raise store_state keys_version (migration 0029) to the code's key rules when the store's is
 * lower: *stale_out tells whether it was (then the caller's transaction re-keys). */
int ct_store__keys_claim(bool *stale_out, ct_store *st);
/** Stored package keys by the current rules before a write that uses them: on the first call per
 * handle, a store keyed by older rules is re-keyed and, when a key changed, rematched (the
 * difference only), inside the caller's transaction or one of its own (store/match_store.c). */
int ct_store__keys_ready(ct_store *st);
/** Recompute the distro verdicts of every finding on the package keys that distro records
 * stored since the last call named (noted by ct_store__match_advisory): a verdict the new data
 * no longer supports is withdrawn, a new one recorded (store/match_store.c). Import calls it
 * once after regrouping identities; ct_store_advisory_put outside an import runs it itself. */
int ct_store__distro_refresh(ct_store *st);
/** Note the package keys of the distro ranges advisory_id holds now, when it is a
 * distribution's own record, for the next ct_store__distro_refresh: called before its ranges are
 * replaced (an update, a withdrawal), so verdicts on keys it no longer names are recomputed. */
int ct_store__distro_note_record(ct_store *st, int64_t advisory_id);

/* Advisory identity (store/identity.c): records linked by IDs and aliases, transitively. */
/** Regroup the identity of advisory_id (and of the group it was in) after it was stored. */
int ct_store__identity_update(ct_store *st, int64_t advisory_id);
/** Regroup every advisory. */
int ct_store__identity_rebuild(ct_store *st);
/** Regroup every identity when the store says they may be stale (migration 0023
 * identity_stale), else nothing; *full_out (may be NULL) tells whether the full pass ran. */
int ct_store__identity_refresh(ct_store *st, bool *full_out);
/** Record that identities may differ from a full regroup (a write that does not regroup). */
int ct_store__identity_mark_stale(ct_store *st);
/** From now on ct_store__identity_update only notes the advisory; identity_flush regroups all
 * noted ones at once (same result), identity_abort forgets them (after a rollback). */
void ct_store__identity_defer(ct_store *st);
int ct_store__identity_flush(ct_store *st);
void ct_store__identity_abort(ct_store *st);
/** JSON array of every ID and alias of an identity except primary, sorted. */
int ct_store__identity_aliases_json(ct_buf *out, ct_store *st, int64_t identity_id,
                                    const char *primary);
/** JSON array of the source records of an identity: id, source, origin, withdrawn. */
int ct_store__identity_records_json(ct_buf *out, ct_store *st, int64_t identity_id);
/** The record whose severity stands for the identity (first by source rank with a severity or
 * CVSS vector, else the primary record); *severity_out NEW or NULL. */
int ct_store__identity_best(int64_t *advisory_out, char **severity_out, ct_store *st,
                            int64_t identity_id);
/** The record that speaks for an identity (ct_store__identity_best) and its fields. */
typedef struct ct_identity_best {
    int64_t identity_id, advisory_id;
    char *severity, *ext_id, *source, *cvss; /* NULL when SQL NULL */
} ct_identity_best;
/** ct_store__identity_best for every identity of the findings FINDINGS_LIST_IDENTITY lists
 * (product, state may be NULL), one query; *out NEW (ct_store__identity_best_list_free), sorted
 * by identity_id. */
int ct_store__identity_best_list(ct_identity_best **out, size_t *n_out, ct_store *st,
                                 const char *product, const char *state);
void ct_store__identity_best_list_free(ct_identity_best *v, size_t n);

/* Triage (store/triage.c). */
/** Set the state of the finding (advisory, component) from the VEX statements (own release,
 * else inherited). A no-op while the product has no statements. */
int ct_store__triage_resolve_pair(ct_store *st, int64_t advisory_id, int64_t component_id,
                                  int64_t product_id);
/** Re-resolve the findings of an identity (by_product false) or a product (true). */
int ct_store__triage_refresh(ct_store *st, bool by_product, int64_t id);
/** The triage of one finding as JSON members (",\"justification\":...,\"triage\":{...}") from
 * its statement's fields: state, justification, note, actor, component, advisory, release
 * version (NULL: null), and its time (findings --json reads them for the whole list at once). */
void ct_store__triage_members_put(ct_buf *out, const char *const fields[7], ct_time created,
                                  const char *inherited_from);

/* Units without foreign keys on PostgreSQL (migration 0022, fleet_store.c). */
/** Check one unit's references (product; release and customer when not 0) before a write:
 * CT_ENOTFOUND naming the missing one. A no-op without COPY (SQLite keeps the keys). */
int ct_store__unit_refs_check(ct_store *st, int64_t product_id, int64_t release_id,
                              int64_t customer_id);

/** Room for element n of the array *v of *cap elements of size bytes (queries.c): doubled when
 * full (first elements the first time); CT_ENOMEM leaves *v and *cap as they were. */
int ct_store__grow(void **v, size_t *cap, size_t n, size_t size, size_t first);

/* JSON output helpers (json_out.c): NULL / CT_TIME_NONE / SQL NULL give null. */
void ct_store__json_text(ct_buf *out, const char *s);
void ct_store__json_time(ct_buf *out, ct_time t);
void ct_store__json_col_time(ct_buf *out, ct_stmt *q, int col);
/** A JSON array of the first column of query qid run with ?1 = id. */
int ct_store__json_names(ct_buf *out, ct_store *st, ct_query_id qid, int64_t id);
/** Writes the current row of q as one JSON value into out: 0, or an error (stops the array). */
typedef int (*ct_store__json_row_fn)(ct_buf *out, ct_stmt *q, void *payload);
/** A JSON array of the rows of q (prepared and bound): '[', row() per row with ',' between,
 * ']'; q is reset. 0, or the error of a step or of row (out then holds a partial array). */
int ct_store__json_rows(ct_buf *out, ct_store *st, ct_stmt *q, ct_store__json_row_fn row,
                        void *payload);

/** SQLite page cache of st in MiB (PRAGMA cache_size; fleet_store.c, also declared in
 * fleet/fleet_bulk.h); a no-op on PostgreSQL. Used by import.c around an SBOM import. */
int ct_store__cache_mib(ct_store *st, int mib);

#endif

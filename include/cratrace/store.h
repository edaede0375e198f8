/* store: the evidence store (SQLite default, PostgreSQL scale-out) and its entity operations. */
#ifndef CRATRACE_STORE_H
#define CRATRACE_STORE_H

#include "cratrace/base.h"
#include "cratrace/sbom.h"
#include "cratrace/sbom_profile.h"
#include "cratrace/feed.h"
#include "cratrace/match.h"

typedef struct ct_store ct_store;

/** Open (and create/migrate) the store at dsn: a file path, ":memory:", or
 * "postgresql://..." / "postgres://...". *out NEW; close with ct_store_close. */
CT_EXTERN int ct_store_open(ct_store **out, const ct_ctx *ctx, const char *dsn);
CT_EXTERN void ct_store_close(ct_store *st);
/** The context the store was opened with (borrowed). */
CT_EXTERN const ct_ctx *ct_store_ctx(const ct_store *st);
/** "sqlite" or "pg". */
CT_EXTERN const char *ct_store_backend(const ct_store *st);
/** Whether the store answers: one trivial query ("SELECT 1", one round trip on PostgreSQL; no
 * file access on SQLite). 0, or CT_EDB when the database cannot be reached (a lost PostgreSQL
 * connection stays lost: reopen the store). */
CT_EXTERN int ct_store_ping(ct_store *st);
/** Apply pending migrations; *applied_out gets how many ran (may be NULL). */
CT_EXTERN int ct_store_migrate(ct_store *st, int *applied_out);

/* Transactions nest by counting: only the outermost begin/commit touches the database. */
CT_EXTERN int ct_store_begin(ct_store *st);
CT_EXTERN int ct_store_commit(ct_store *st);
CT_EXTERN void ct_store_rollback(ct_store *st);
CT_EXTERN int ct_store_bulk_mode(ct_store *st, bool on);

/* ---- products and releases ------------------------------------------------------------- */

/** Add a product; category NULL = "default"; support_until CT_TIME_NONE = unknown. */
CT_EXTERN int ct_store_product_add(int64_t *id_out, ct_store *st, const char *name,
                                   const char *vendor, const char *category,
                                   ct_time support_until);
/** Find a product by name; CT_ENOTFOUND when absent. */
CT_EXTERN int ct_store_product_find(int64_t *id_out, ct_store *st, const char *name);

/** Add a release with its SBOM (may be NULL): components, dependency edges and the findings
 * against every advisory already known. Not a transaction of its own. */
CT_EXTERN int ct_store_release_add(int64_t *id_out, ct_store *st, int64_t product_id,
                                   const char *version, ct_time released, const ct_sbom *sbom,
                                   const char *sbom_sha256, ct_match_stats *stats);
CT_EXTERN int ct_store_release_find(int64_t *id_out, ct_store *st, int64_t product_id,
                                    const char *version);
/** The stored SBOM of a release as a model (components, dependency edges, product name and
 * version as the root); *out NEW (ct_sbom_free). */
CT_EXTERN int ct_store_release_sbom(ct_sbom **out, ct_store *st, const char *product,
                                    const char *version);
/** Number of components stored for a release. */
CT_EXTERN int ct_store_release_component_count(int64_t *out, ct_store *st, int64_t release_id);

/** One advisory of a vulnerability delta; components (purl, else name@version) joined by " ",
 * NULL when that release has none. */
typedef struct ct_vuln_delta_entry {
    char *advisory, *severity, *a_components, *b_components;
} ct_vuln_delta_entry;

/** Advisories with open findings (VEX state other than not_affected / fixed) in release A
 * and B: fixed (A only), introduced (B only), still open (both); each sorted by ID. */
typedef struct ct_vuln_delta {
    ct_vuln_delta_entry *fixed, *introduced, *still_open;
    size_t nfixed, nintroduced, nstill_open;
} ct_vuln_delta;

/** Fill *out (zeroed first; free with ct_vuln_delta_dispose) from the stored findings of
 * PRODUCT_A@VERSION_A and PRODUCT_B@VERSION_B. CT_ENOTFOUND for an unknown release. */
CT_EXTERN int ct_store_vuln_delta(ct_vuln_delta *out, ct_store *st, const char *product_a,
                                  const char *version_a, const char *product_b,
                                  const char *version_b);
CT_EXTERN void ct_vuln_delta_dispose(ct_vuln_delta *d);

/* ---- SBOM profile waivers (store/waiver.c) ---------------------------------------------- */

/** Record an accepted profile gap: w->product (and w->release unless NULL: every release) must
 * exist, w->profile and w->field must be known (ct_sbom_profile_field_known), w->reason and
 * w->actor non-empty; w->component NULL = every subject; w->created CT_TIME_NONE = now. The same
 * (product, release, profile, field, component) again replaces reason, actor and time.
 * *id_out (may be NULL) gets the waiver id. CT_EINVAL / CT_ENOTFOUND on bad input. */
CT_EXTERN int ct_store_waiver_add(int64_t *id_out, ct_store *st, const ct_sbom_waiver *w);
/** The waivers of product that apply to release (NULL: all of the product's waivers), for
 * profile (NULL: all); oldest first. *out NEW (ct_sbom_waivers_free). CT_ENOTFOUND for an
 * unknown product or release. */
CT_EXTERN int ct_store_waivers_list(ct_sbom_waiver **out, size_t *n_out, ct_store *st,
                                    const char *product, const char *release,
                                    const char *profile);
/** Remove a waiver by id; CT_ENOTFOUND when there is none. */
CT_EXTERN int ct_store_waiver_remove(ct_store *st, int64_t id);

/* ---- fleet ----------------------------------------------------------------------------- */

CT_EXTERN int ct_store_customer_upsert(int64_t *id_out, ct_store *st, const char *code,
                                       const char *name, const char *country,
                                       const char *email, const char *channel);
CT_EXTERN int ct_store_customer_find(int64_t *id_out, ct_store *st, const char *code);
/** Insert or update a unit (serial unique per product). release_id/customer_id 0 = none. */
CT_EXTERN int ct_store_unit_upsert(int64_t *id_out, ct_store *st, int64_t product_id,
                                   const char *serial, const char *hardware_revision,
                                   int64_t release_id, int64_t customer_id,
                                   ct_time manufactured, const char *state);
CT_EXTERN int ct_store_unit_find(int64_t *id_out, ct_store *st, int64_t product_id,
                                 const char *serial);
/** Append a unit event unless the same (unit, time, kind) is already recorded;
 * *added_out = whether it was new. */
CT_EXTERN int ct_store_unit_event_add(bool *added_out, ct_store *st, int64_t unit_id,
                                      int64_t product_id, ct_time time, const char *kind,
                                      int64_t from_release, int64_t to_release,
                                      const char *detail);

/** A named, versioned parameter set of a product (content_hash may be NULL). */
CT_EXTERN int ct_store_param_set_upsert(int64_t *id_out, ct_store *st, int64_t product_id,
                                        const char *name, const char *version,
                                        const char *content_hash);

/** One unit event as stored. Ids 0 and NULL strings mean "not given". */
typedef struct ct_unit_event_rec {
    int64_t id, unit_id, product_id;
    ct_time time;
    const char *kind; /* ship update param_change rma_open rma_close swap replace transfer
                         decommission */
    int64_t from_release, to_release, customer_id, param_set_id;
    const char *detail, *actor, *result, *rma, *other_serial, *hardware_revision;
} ct_unit_event_rec;

/** Append an event unless the same (unit, time, kind) is recorded; *added_out = new. */
CT_EXTERN int ct_store_unit_event_add_ex(bool *added_out, ct_store *st,
                                         const ct_unit_event_rec *ev);

/** A unit's registered (current) record. Strings are NEW; free with ct_unit_rec_dispose. */
typedef struct ct_unit_rec {
    int64_t id, product_id, release_id, customer_id, param_set_id;
    char *serial, *hardware_revision, *state, *site;
    ct_time manufactured;
} ct_unit_rec;
CT_EXTERN int ct_store_unit_load(ct_unit_rec *out, ct_store *st, int64_t unit_id);
CT_EXTERN void ct_unit_rec_dispose(ct_unit_rec *u);

/** Events of a unit ordered by time (then insertion); strings in *out are NEW: free the whole
 * array with ct_unit_events_free. */
CT_EXTERN int ct_store_unit_events_load(ct_unit_event_rec **out, size_t *n_out, ct_store *st,
                                        int64_t unit_id);
CT_EXTERN void ct_unit_events_free(ct_unit_event_rec *ev, size_t n);

/** What a unit was, ran and belonged to over [from, to); to = CT_TIME_NONE: still true. */
typedef struct ct_unit_span {
    ct_time from, to;
    int64_t release_id, customer_id, param_set_id;
    const char *state;             /* borrowed from a static table */
    const char *hardware_revision; /* borrowed from the unit or its events */
} ct_unit_span;

/** Replace the stored history of a unit. The registered record (the unit row) is left as
 * imported; "now" answers come from the open span (to = none). */
CT_EXTERN int ct_store_unit_history_replace(ct_store *st, const ct_unit_rec *unit,
                                            const ct_unit_span *spans, size_t n);

/** `unit show SERIAL [--at T]` as JSON (serial, product, hardware_revision, release, customer,
 * state as of at, events up to at). product NULL: the serial must be unique across products.
 * at = CT_TIME_NONE: now. CT_ENOTFOUND for an unknown serial; CT_ENOTFOUND also when the unit
 * did not exist yet at that time. */
CT_EXTERN int ct_store_unit_show_json(ct_buf *out, ct_store *st, const char *serial,
                                      const char *product, ct_time at);

/* ---- advisories and findings ----------------------------------------------------------- */

typedef enum { CT_ADV_INSERTED, CT_ADV_UPDATED, CT_ADV_UNCHANGED } ct_advisory_put_result;

/** Insert or replace an advisory (newer `modified` wins) and rematch only the packages it
 * names; a withdrawn advisory retracts its findings. */
CT_EXTERN int ct_store_advisory_put(ct_advisory_put_result *result_out, ct_store *st,
                                    const ct_advisory *adv, ct_match_stats *stats);
/** Recompute every finding from scratch. */
CT_EXTERN int ct_store_match_all(ct_store *st, ct_match_stats *stats);

/* ---- triage (VEX statements) ---------------------------------------------------------- */

/** A triage statement about one advisory in one release (see docs/triage.md). */
typedef struct ct_vex_statement {
    const char *product, *version; /* the release */
    const char *advisory;          /* any ID or alias of the advisory identity */
    const char *state;             /* not_affected, affected, fixed, under_investigation */
    const char *justification;     /* OpenVEX justification (not_affected only) or NULL */
    const char *component_purl;    /* NULL: every component of the release */
    const char *note;              /* free text (the impact statement) or NULL */
    const char *actor;             /* who made the statement */
} ct_vex_statement;

typedef struct ct_vex_set_result {
    int64_t statement_id;
    uint64_t findings; /* findings of the release that now carry this statement */
    char advisory[128]; /* the identity's primary ID the statement was stored under */
} ct_vex_set_result;

/** Record a statement (history is kept; the newest applicable one wins), in one transaction,
 * and re-resolve the states of the product's findings, later releases included (a finding
 * inherits while its component's package and version are unchanged). CT_EINVAL for a bad
 * state or justification, CT_ENOTFOUND for an unknown product, release, advisory or component. */
CT_EXTERN int ct_store_vex_set(ct_vex_set_result *result_out, ct_store *st,
                               const ct_vex_statement *v);
/** Whether state is an OpenVEX status name. */
CT_EXTERN bool ct_store_vex_state_valid(const char *state);
/** Whether justification is an OpenVEX justification name. */
CT_EXTERN bool ct_store_vex_justification_valid(const char *justification);

/* ---- queries --------------------------------------------------------------------------- */

/** Build the JSON answer of `affected ID` (see ARCHITECTURE.md) into out.
 * CT_ENOTFOUND when no advisory has that ID or alias. */
CT_EXTERN int ct_store_affected_json(ct_buf *out, ct_store *st, const char *advisory_id);
/** As ct_store_affected_json, counting each unit as it was at time at (from unit history). */
CT_EXTERN int ct_store_affected_json_at(ct_buf *out, ct_store *st, const char *advisory_id,
                                        ct_time at);
/** Build the JSON of `advisories show ID`: the identity of ID (any record ID or alias) with
 * its primary ID, aliases, best severity and every source record as imported (source, origin,
 * summary, severity, cvss, dates, withdrawn, aliases, related, ranges), plus the records of
 * other identities that name it as related. CT_ENOTFOUND when no record has that ID or alias. */
CT_EXTERN int ct_store_advisory_show_json(ct_buf *out, ct_store *st, const char *advisory_id);
/** Build the `findings --json` array; product/state NULL = all. */
CT_EXTERN int ct_store_findings_json(ct_buf *out, ct_store *st, const char *product,
                                     const char *state);
/** Rollout of one product as JSON: per release the units in the field and the advisories
 * with open findings; units on vulnerable releases, units behind the latest release, and the
 * units still in the field when the support period ends (CRA Art. 13(8)). */
CT_EXTERN int ct_store_rollout_json(ct_buf *out, ct_store *st, const char *product);
/** A customer, its contact and notification channel, and its units now, as JSON. */
CT_EXTERN int ct_store_customer_json(ct_buf *out, ct_store *st, const char *code);
/** Units as registered, as CSV (the `units import` header, re-importable) or a JSON array;
 * product NULL = all. */
CT_EXTERN int ct_store_units_export(ct_buf *out, ct_store *st, const char *product, bool json);
/** Build `product list --json`. */
CT_EXTERN int ct_store_products_json(ct_buf *out, ct_store *st);
/** Overview of the store: counts and the advisories with findings, as JSON. */
CT_EXTERN int ct_store_summary_json(ct_buf *out, ct_store *st);

/* ---- imports: each is one transaction; bad input leaves the store unchanged ------------ */

typedef struct ct_import_stats {
    uint64_t records, inserted, updated, unchanged, rejected;
    uint64_t unmatchable_ranges; /* advisory ranges without version semantics (e.g. GIT) */
    ct_match_stats match;
} ct_import_stats;

/** Import an SBOM file as release VERSION of PRODUCT (created when missing). */
CT_EXTERN int ct_import_sbom_file(int64_t *release_id_out, ct_store *st, const char *path,
                                  const char *product, const char *version,
                                  ct_time released, ct_import_stats *stats);
/** Import OSV advisories from a file or directory. */
CT_EXTERN int ct_import_advisories(ct_store *st, const char *path, ct_import_stats *stats);
/** Import advisories in format "osv", "cve5", or NULL/"auto" (sniffed per file). */
CT_EXTERN int ct_import_advisories_ex(ct_store *st, const char *path, const char *format,
                                      ct_import_stats *stats);
/** How a CSV import reads its input. */
typedef struct ct_import_options {
    const char *map;         /* header mapping "ourcol=theircol,...", e.g. "serial=SerialNo" */
    bool skip_bad;           /* reject bad rows (counted in stats->rejected) and go on */
    const char *reject_path; /* with skip_bad: the rejected rows as CSV plus an error column */
} ct_import_options;

CT_EXTERN int ct_import_units_csv_ex(ct_store *st, const char *path,
                                     const ct_import_options *opts, ct_import_stats *stats);
CT_EXTERN int ct_import_customers_csv_ex(ct_store *st, const char *path,
                                         const ct_import_options *opts, ct_import_stats *stats);
CT_EXTERN int ct_import_events_csv_ex(ct_store *st, const char *path,
                                      const ct_import_options *opts, ct_import_stats *stats);

/** Import units (CSV, header per ARCHITECTURE.md). */
CT_EXTERN int ct_import_units_csv(ct_store *st, const char *path, ct_import_stats *stats);
/** Import customers (CSV: code,name,country,email,channel). */
CT_EXTERN int ct_import_customers_csv(ct_store *st, const char *path, ct_import_stats *stats);
/** Import unit events (CSV: serial,product,time,kind,from_release,to_release,detail). */
CT_EXTERN int ct_import_events_csv(ct_store *st, const char *path, ct_import_stats *stats);

/* ---- advisory feed sources and sync (store/feed_source.c; download in feed/sync.c) ------ */

struct ct_sync_options; /* cratrace/sync.h */

/** Configure a feed source: format "auto" (NULL), osv, nvd, cve5, csaf, kev or epss;
 * sha256_url optional. CT_EEXISTS when the name is taken, CT_EINVAL for a bad URL/format. */
CT_EXTERN int ct_store_feed_source_add(ct_store *st, const char *name, const char *url,
                                       const char *format, const char *sha256_url);
/** Remove a feed source (its imported advisories stay). CT_ENOTFOUND when unknown. */
CT_EXTERN int ct_store_feed_source_remove(ct_store *st, const char *name);
/** The sources as a JSON array (name, url, format, sha256_url, etag, last_modified,
 * last_sync, last_result, last_error, last_bytes, last_records, last_success); name NULL =
 * all, else only that one. */
CT_EXTERN int ct_store_feed_sources_json(ct_buf *out, ct_store *st, const char *name);

/** What one source's sync did. */
typedef struct ct_feed_sync_outcome {
    bool not_modified;     /* the server answered 304: nothing imported */
    uint64_t bytes;        /* body bytes downloaded */
    unsigned attempts, resumed;
    char sha256[65];       /* of the downloaded body, hex; "" when not modified */
    ct_import_stats stats; /* of the import */
} ct_feed_sync_outcome;

/** Sync one source: download (ct_feed_fetch; opts NULL = defaults) and import the file and
 * the source's new validators in ONE transaction. On any failure the advisory data and the
 * validators are exactly as before; only the source's last_sync/last_result/last_error
 * record the failure. */
CT_EXTERN int ct_store_feed_sync(ct_feed_sync_outcome *out, ct_store *st, const char *name,
                                 const struct ct_sync_options *opts);

/** Load a demo data set written by ct_demo_generate (manifest, SBOMs, customers, units, events,
 * advisories) through the normal import paths, in one transaction. */
CT_EXTERN int ct_demo_load(ct_store *st, const char *dir, ct_import_stats *stats);

/* ---- API tokens of `cratrace serve` (store/token.c, docs/server.md) -------------------- */

/** The roles a token may have, for messages. */
#define CT_STORE_TOKEN_ROLES "admin, analyst, support, auditor, ci"
/** Bytes a token needs with its NUL: "ct_" and 43 characters of base64url (32 random bytes). */
#define CT_STORE_TOKEN_SIZE 48
/** Bytes of a token hash (BLAKE2b-256). */
#define CT_STORE_TOKEN_HASH_BYTES 32

/** Whether role is one of CT_STORE_TOKEN_ROLES. */
CT_EXTERN bool ct_store_token_role_valid(const char *role);
/** Hash of token[0..len) as stored: unkeyed BLAKE2b-256 (the token holds 256 random bits). */
CT_EXTERN int ct_store_token_hash(uint8_t out[CT_STORE_TOKEN_HASH_BYTES], const char *token,
                                  size_t len);
/** Create token name (1-64 of A-Z a-z 0-9 . _ -) with role: token_out gets the NEW random
 * token, the only time it exists outside the caller; only its hash is stored. CT_EINVAL for a
 * bad name or role, CT_EEXISTS when the name was ever used. */
CT_EXTERN int ct_store_token_create(char token_out[CT_STORE_TOKEN_SIZE], ct_store *st,
                                    const char *name, const char *role);
/** Revoke token name; CT_ENOTFOUND when there is none, CT_EINVAL when it is already revoked. */
CT_EXTERN int ct_store_token_revoke(ct_store *st, const char *name);
/** The tokens as a JSON array of {name, role, created, revoked} (never a hash), by name. */
CT_EXTERN int ct_store_tokens_json(ct_buf *out, ct_store *st);
/** Who a token is: its name and role. */
typedef struct ct_token_info {
    char name[65];
    char role[16];
} ct_token_info;
/** Find the valid (not revoked) token with this hash; the stored hash is compared in constant
 * time. CT_EAUTH when there is none. */
CT_EXTERN int ct_store_token_find(ct_token_info *out, ct_store *st,
                                  const uint8_t hash[CT_STORE_TOKEN_HASH_BYTES]);

#endif

/* Internal plumbing shared by the advisory readers: one JSON value or JSON lines from memory,
 * and files (.gz included) or directories from a path. */
#ifndef CT_FEED_INT_H
#define CT_FEED_INT_H

#include "cratrace/feed.h"
#include <json-c/json.h>

/** Called per JSON value; source is the file, or "file:line" for JSON lines (valid during the
 * call only). A non-zero return stops and is passed back. */
typedef int (*ct_feed__value_fn)(json_object *v, const char *source, void *state);

/** data is one JSON value, or JSON lines (a first non-blank line that is a whole value, then
 * more lines); parse errors carry the line; a line over max_doc_bytes is CT_ELIMIT. */
int ct_feed__each_value(const ct_ctx *ctx, const char *data, size_t len, const char *source,
                        ct_feed__value_fn fn, void *state);

/** Called per record: the value itself, or each element when the value is an array (index
 * is then its position, else SIZE_MAX). source as for ct_feed__value_fn. */
typedef int (*ct_feed__record_fn)(json_object *rec, const char *source, size_t index,
                                  void *state);

/** ct_feed__each_value, then one call per record of each value. */
int ct_feed__each_record(const ct_ctx *ctx, const char *data, size_t len, const char *source,
                         ct_feed__record_fn fn, void *state);

struct ct_jptr;
/** Reads one record with reader r (whose source and JSON pointer are set for it), handing its
 * advisories to cb. */
typedef int (*ct_feed__read_fn)(void *r, json_object *rec, ct_advisory_cb cb, void *payload);

/** A json-c reader's per-call state for ct_feed__job_record. */
typedef struct ct_feed__record_job {
    void *r;               /* the reader */
    const char **source;   /* the reader's source: the record's during the call */
    struct ct_jptr *ptr;   /* the reader's JSON pointer: reset to the record ([index] or "") */
    ct_feed__read_fn read; /* reads one record */
    ct_advisory_cb cb;
    void *payload;
} ct_feed__record_job;

/** ct_feed__record_fn of the json-c readers (state: a ct_feed__record_job): points the reader
 * at the record, reads it with job->read, restores the reader's source. */
int ct_feed__job_record(json_object *rec, const char *source, size_t index, void *state);

#include "base/json_tape.h"

/** Called per record on the json_tape path: as ct_feed__record_fn, the record being value rec
 * of tape t (valid during the call only). */
typedef int (*ct_feed__tape_record_fn)(const ct_jtape *t, ct_jval rec, const char *source,
                                       size_t index, void *state);

/** ct_feed__each_record through json_tape (one tape per thread reused for the lines of a
 * stream). A document the tape rejects is parsed again by ct_json_parse, so errors read
 * exactly as on the json-c path; should json-c accept it, its records go to json_fn. */
int ct_feed__each_record_tape(const ct_ctx *ctx, const char *data, size_t len,
                              const char *source, ct_feed__tape_record_fn fn,
                              ct_feed__record_fn json_fn, void *state);

/** The OSV reader over json-c, as before json_tape (kept for the differential test). */
int ct_feed__read_osv_jsonc(const ct_ctx *ctx, const char *data, size_t len,
                            const char *source, ct_advisory_cb cb, void *payload);

/** A reader of documents in memory (ct_feed_read_osv and its siblings). */
typedef int (*ct_feed__mem_reader)(const ct_ctx *ctx, const char *data, size_t len,
                                   const char *source, ct_advisory_cb cb, void *payload);

/** Read a path with rd: a file (gzip transparently) or a directory (recursively, in name
 * order, *.json, *.jsonl and their .gz forms). CT_ENOTFOUND for a missing path. */
int ct_feed__read_path(const ct_ctx *ctx, const char *path, ct_feed__mem_reader rd,
                       ct_advisory_cb cb, void *payload);

/* Typed member lookup without allocation: NULL when absent, null or of another type. */
json_object *ct_feed__get(json_object *o, const char *key, json_type type);
/** A string member, or NULL (see ct_feed__get). */
const char *ct_feed__get_str(json_object *o, const char *key);

struct ct_jptr;
/** An optional RFC 3339 time member; a time without a zone (NVD, some CVE CNAs and CSAF
 * producers write those) is read as UTC. Errors are located at ptr/key in source. */
int ct_feed__opt_time_utc(ct_time *out, json_object *o, const char *key,
                          const struct ct_jptr *ptr, const char *source);

/* ---- distro readers (distro.c, secdb.c, debian_tracker.c) -------------------------------- */

/** Advisories built up by ID while a distro path is read, handed out in ID order. */
typedef struct ct_feed__distro_acc ct_feed__distro_acc;

typedef struct ct_feed__distro_job {
    ct_feed__distro_acc *acc;
    ct_feed_reject_cb rej;
    void *payload;
    ct_feed_distro_stats *stats;
} ct_feed__distro_job;

int ct_feed__acc_new(ct_feed__distro_acc **out);
void ct_feed__acc_free(ct_feed__distro_acc *acc);
/** Add to advisory id (created on first use with source and summary; alias added once when
 *  not NULL) one range of (ecosystem, package) from OSV-style events: fixed NULL = every
 *  version affected; fixed "0" = not affected. A version the scheme rejects is a reject.
 *  ecosystem/package NULL: the record and alias only. 1 = added, 0 = rejected, <0 error. */
int ct_feed__acc_add(ct_feed__distro_job *job, const char *where, const char *id,
                     const char *source, const char *alias, const char *summary,
                     const char *ecosystem, const char *package, const char *fixed);
/** Hand every advisory to cb in ID order (stats->records counts them) and empty acc. */
int ct_feed__acc_emit(ct_feed__distro_acc *acc, ct_advisory_cb cb, void *payload,
                      ct_feed_distro_stats *stats);
/** Report a reject (counted in stats). */
void ct_feed__reject(ct_feed__distro_job *job, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/** A vulnerability identifier a distro lists: CVE-YYYY-NNNN+, XSA-N, GHSA-..., TEMP-... */
bool ct_feed__distro_id_ok(const char *s, size_t n);

/** Parse secdb / Debian data into job->acc (the ct_feed_read_* wrappers emit afterwards). */
int ct_feed__secdb_parse(const ct_ctx *ctx, const char *data, size_t len, const char *source,
                         ct_feed__distro_job *job);
int ct_feed__debian_parse(const ct_ctx *ctx, const char *data, size_t len, const char *source,
                          ct_feed__distro_job *job);
/** One distro file in memory: parse it with parse into a fresh accumulator, then emit (the
 * body of ct_feed_read_secdb and ct_feed_read_debian). */
int ct_feed__distro_read_one(int (*parse)(const ct_ctx *, const char *, size_t, const char *,
                                          ct_feed__distro_job *),
                             const ct_ctx *ctx, const char *data, size_t len, const char *source,
                             ct_advisory_cb cb, ct_feed_reject_cb rej, void *payload,
                             ct_feed_distro_stats *stats);
/** What a distro file is, from its name and first bytes: 0 not distro, 1 secdb, 2 Debian. */
int ct_feed__distro_kind(const char *name, const char *data, size_t len);
/** Package key of a product a CSAF or CVE 5 record names by purl p (store/feed keying, docs/
 * feeds.md "Distributions"): a distro purl without a "distro" qualifier is keyed in the release
 * that platform_cpe (the CSAF platform / CVE 5 cpes entry, may be NULL) or else the version's
 * distro suffix ("+deb12u1", ".el8", "ubuntu0.22.04") names, the way OSV "Debian:12" ranges are;
 * otherwise as ct_purl_package_key. */
struct ct_purl;
int ct_feed__distro_purl_key(ct_buf *out, const struct ct_purl *p, const char *platform_cpe);

#endif

/* feed: vulnerability advisory readers (OSV JSON: single, array, JSON-lines, .gz, directory). */
#ifndef CRATRACE_FEED_H
#define CRATRACE_FEED_H

#include "cratrace/base.h"

/** One affected range of one package, already in vers form. */
typedef struct ct_affected_range {
    char *ecosystem; /* as the source names it, e.g. "PyPI", "Debian:11" */
    char *package;   /* name in that ecosystem */
    char *pkg_key;   /* version-less package identity shared with SBOM components */
    char *scheme;    /* version scheme used to evaluate vers */
    char *range_type; /* "ECOSYSTEM", "SEMVER", "versions" */
    char *vers;       /* "vers:npm/>=1.0.0|<1.2.6" */
} ct_affected_range;

typedef struct ct_advisory {
    char *id, *source, *summary, *severity, *cvss;
    ct_time published, modified, withdrawn; /* CT_TIME_NONE when absent */
    char **aliases;
    size_t naliases;
    char **related; /* OSV "related": IDs of closely related, not identical, records */
    size_t nrelated;
    ct_affected_range *ranges;
    size_t nranges, ranges_cap;
    size_t unmatchable; /* ranges that cannot be evaluated by version (e.g. GIT commits) */
} ct_advisory;

CT_EXTERN void ct_advisory_free(ct_advisory *adv);

/** Called once per advisory read; non-zero return stops reading and is passed back. */
typedef int (*ct_advisory_cb)(const ct_advisory *adv, void *payload);

/** Read OSV data from memory: one object, an array of objects, or JSON lines. */
CT_EXTERN int ct_feed_read_osv(const ct_ctx *ctx, const char *data, size_t len,
                               const char *source, ct_advisory_cb cb, void *payload);
/** Read OSV from a path: file (.json, .jsonl, .gz) or directory (recursively, sorted). */
CT_EXTERN int ct_feed_read_osv_path(const ct_ctx *ctx, const char *path, ct_advisory_cb cb,
                                    void *payload);

/* ---- CVE JSON 5.x (CVE Record Format 5.0 / 5.1) ---------------------------------------- */

/** Read CVE 5 records from memory: one record, an array of records, or JSON lines. Each
 *  record becomes a ct_advisory (source "cve5"): id = cveMetadata.cveId, REJECTED records are
 *  withdrawn, severity/cvss from the CNA metrics (cvssV4_0, then V3_1, V3_0) else an ADP's,
 *  affected[].versions[] as vers ranges keyed by package (see docs/feeds.md). */
CT_EXTERN int ct_feed_read_cve5(const ct_ctx *ctx, const char *data, size_t len,
                                const char *source, ct_advisory_cb cb, void *payload);
/** Read CVE 5 records from a path: file (.json, .jsonl, .gz) or directory (recursively,
 *  sorted). */
CT_EXTERN int ct_feed_read_cve5_path(const ct_ctx *ctx, const char *path, ct_advisory_cb cb,
                                     void *payload);

/* ---- CISA Known Exploited Vulnerabilities ---------------------------------------------- */

/** One KEV catalog entry; strings borrowed for the duration of the callback. */
typedef struct ct_kev_entry {
    const char *cve_id, *vendor_project, *product, *vulnerability_name;
    const char *short_description, *required_action;
    ct_time date_added, due_date;
    const char *known_ransomware; /* "Known" or "Unknown" ("" when absent) */
    const char *notes;            /* "" when absent */
    const char *cwes;             /* comma-separated, e.g. "CWE-59, CWE-436"; "" when none */
} ct_kev_entry;

/** Called once per entry; non-zero return stops reading and is passed back. */
typedef int (*ct_kev_cb)(const ct_kev_entry *e, void *payload);

/** Read the KEV catalog: known_exploited_vulnerabilities.json or .csv (sniffed). */
CT_EXTERN int ct_feed_read_kev(const ct_ctx *ctx, const char *data, size_t len,
                               const char *source, ct_kev_cb cb, void *payload);
CT_EXTERN int ct_feed_read_kev_path(const ct_ctx *ctx, const char *path, ct_kev_cb cb,
                                    void *payload);

/* ---- FIRST EPSS ------------------------------------------------------------------------ */

/** One EPSS score; strings borrowed for the duration of the callback. */
typedef struct ct_epss_entry {
    const char *cve_id;
    double epss, percentile;   /* 0..1 */
    const char *model_version; /* "v2023.03.01"; "" for the headerless variant */
    ct_time score_date;        /* CT_TIME_NONE for the headerless variant */
} ct_epss_entry;

typedef int (*ct_epss_cb)(const ct_epss_entry *e, void *payload);

/** Read EPSS scores: the official CSV ("#model_version:...,score_date:..." then
 *  "cve,epss,percentile") or the headerless "CVE;epss;percentile" variant. */
CT_EXTERN int ct_feed_read_epss(const ct_ctx *ctx, const char *data, size_t len,
                                const char *source, ct_epss_cb cb, void *payload);
CT_EXTERN int ct_feed_read_epss_path(const ct_ctx *ctx, const char *path, ct_epss_cb cb,
                                     void *payload);

/* ---- NVD CVE API 2.0 ------------------------------------------------------------------- */

/** Read NVD CVE API 2.0 data from memory: an API response page ({"vulnerabilities":
 *  [{"cve": ...}]}), a {"cve": ...} wrapper, a bare cve object, an array of these, or JSON
 *  lines. Each cve becomes a ct_advisory (source "nvd"): vulnStatus Rejected is withdrawn,
 *  cvss/severity from cvssMetricV40 > V31 > V30 > V2 (Primary first), vulnerable
 *  configurations[].nodes[].cpeMatch[] as "generic" vers ranges keyed "cpe/<vendor>/<product>"
 *  (range_type "NVD-CPE", or "NVD-CPE-AND" under a platform condition; see docs/feeds.md). */
CT_EXTERN int ct_feed_read_nvd(const ct_ctx *ctx, const char *data, size_t len,
                               const char *source, ct_advisory_cb cb, void *payload);
/** Read NVD data from a path: file (.json, .jsonl, .gz) or directory (recursively, sorted). */
CT_EXTERN int ct_feed_read_nvd_path(const ct_ctx *ctx, const char *path, ct_advisory_cb cb,
                                    void *payload);

/* ---- CSAF 2.0 (csaf_security_advisory, csaf_vex, csaf_base) ---------------------------- */

/** Read CSAF 2.0 documents from memory: one document, an array of documents, or JSON lines.
 *  Each vulnerabilities[] entry becomes a ct_advisory (source "csaf"): id = its cve, else
 *  "<tracking id>#<n>" (n from 1); aliases = the tracking id and ids[].text; affected product
 *  statuses mapped through the product_tree to vers ranges (see docs/feeds.md). */
CT_EXTERN int ct_feed_read_csaf(const ct_ctx *ctx, const char *data, size_t len,
                                const char *source, ct_advisory_cb cb, void *payload);
/** Read CSAF from a path: file (.json, .jsonl, .gz) or directory (recursively, sorted). */
CT_EXTERN int ct_feed_read_csaf_path(const ct_ctx *ctx, const char *path, ct_advisory_cb cb,
                                     void *payload);

/* ---- distributions: Alpine/Wolfi secdb, Debian security tracker, DSA/DLA lists ------------ */

/** Counts of one distro read (see docs/feeds.md "Distributions"). */
typedef struct ct_feed_distro_stats {
    uint64_t files;          /* distro files read */
    uint64_t packages;       /* package entries (secdb "pkg", tracker package, DSA fixed line) */
    uint64_t fixed_versions; /* secdb secfixes keys; tracker/DSA (package, release) statements */
    uint64_t records;        /* advisories handed to the callback */
    uint64_t rejected;       /* entries skipped, each reported to the reject callback */
} ct_feed_distro_stats;

/** Called per rejected entry: where ("file:line" or "file#/json/pointer") and why. */
typedef void (*ct_feed_reject_cb)(const char *where, const char *reason, void *payload);

/** Alpine secdb (YAML "packages: - pkg: {name, secfixes}") or its JSON form (Alpine, Wolfi)
 *  from memory: one advisory per (release, repository, identifier), ranges "fixed" at each
 *  secfixes version, "0" = never affected (range_type "DISTRO-NOT-AFFECTED"). rej and stats
 *  may be NULL. */
CT_EXTERN int ct_feed_read_secdb(const ct_ctx *ctx, const char *data, size_t len,
                                 const char *source, ct_advisory_cb cb, ct_feed_reject_cb rej,
                                 void *payload, ct_feed_distro_stats *stats);
/** Debian security tracker JSON (package -> CVE -> releases -> {status, fixed_version,
 *  urgency}) or a DSA/DLA list (sniffed) from memory: one advisory per tracker ID
 *  ("DEBIAN-CVE-..." with the CVE as alias) or per DSA/DLA. */
CT_EXTERN int ct_feed_read_debian(const ct_ctx *ctx, const char *data, size_t len,
                                  const char *source, ct_advisory_cb cb, ct_feed_reject_cb rej,
                                  void *payload, ct_feed_distro_stats *stats);
/** Read a file or directory (recursively, name order) of distro data, each file by its
 *  content; OSV files met on the way are read as OSV. Records of one path are merged by ID
 *  before cb sees them. */
CT_EXTERN int ct_feed_read_distro_path(const ct_ctx *ctx, const char *path, ct_advisory_cb cb,
                                       ct_feed_reject_cb rej, void *payload,
                                       ct_feed_distro_stats *stats);
/** Whether path (file or directory) holds distro data that ct_feed_read_distro_path reads
 *  (ct_feed_read_osv_path hands such paths over to it). */
CT_EXTERN bool ct_feed_is_distro_path(const char *path);

#endif

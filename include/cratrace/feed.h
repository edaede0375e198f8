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

#endif

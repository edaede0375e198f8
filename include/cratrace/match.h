/* match: range evaluation for one component version against affected ranges (pure, no I/O). */
#ifndef CRATRACE_MATCH_H
#define CRATRACE_MATCH_H

#include "cratrace/base.h"

typedef struct ct_match_stats {
    uint64_t candidates;  /* component x range pairs examined */
    uint64_t findings;    /* new findings recorded */
    uint64_t unmatchable; /* pairs skipped: invalid version or unknown scheme */
} ct_match_stats;

typedef struct ct_matcher ct_matcher;

/** NEW matcher with a cache of parsed ranges; free with ct_matcher_free. */
CT_EXTERN int ct_matcher_new(ct_matcher **out);
CT_EXTERN void ct_matcher_free(ct_matcher *m);
/** *hit = whether version lies in vers. Returns CT_EPARSE/CT_EUNSUPPORTED when the pair
 * cannot be evaluated (bad version for the scheme, unknown scheme). */
CT_EXTERN int ct_matcher_test(bool *hit, ct_matcher *m, const char *vers, const char *version);
/** The version to match for a component: purl version (with rpm epoch qualifier applied) or
 * the component's own version. Writes into out. */
CT_EXTERN int ct_match_component_version(ct_buf *out, const char *purl, const char *version);

/* ---- match index: package key -> parsed ranges ------------------------------------------- */

typedef struct ct_match_index ct_match_index;

/** One range that contains the version looked up; vers is borrowed from the index. */
typedef struct ct_match_hit {
    int64_t range_id, advisory_id;
    const char *vers;
} ct_match_hit;

/** Called for each hit; a negative return stops the lookup and is returned. */
typedef int (*ct_match_hit_fn)(const ct_match_hit *hit, void *payload);

/** NEW empty index; free with ct_match_index_free. */
CT_EXTERN int ct_match_index_new(ct_match_index **out);
CT_EXTERN void ct_match_index_free(ct_match_index *ix);
/** Add one affected range of advisory_id for pkg_key. The vers text is parsed once per
 * distinct text; a text that does not parse is kept and counted unmatchable on every lookup. */
CT_EXTERN int ct_match_index_add(ct_match_index *ix, const char *pkg_key, int64_t range_id,
                                 int64_t advisory_id, const char *vers);
/** Drop every range of advisory_id added so far (ranges added later are kept). O(1). */
CT_EXTERN int ct_match_index_remove_advisory(ct_match_index *ix, int64_t advisory_id);
/** Call fn for each live range of pkg_key that contains version, in insertion order. Counts
 * every range tested in stats->candidates and every unevaluable pair (range that did not
 * parse, version invalid for the scheme) in stats->unmatchable, like ct_matcher_test. */
CT_EXTERN int ct_match_index_lookup(ct_match_index *ix, const char *pkg_key, const char *version,
                                    ct_match_stats *stats, ct_match_hit_fn fn, void *payload);
/** Ranges added (removed ones included until the index is rebuilt). */
CT_EXTERN size_t ct_match_index_ranges(const ct_match_index *ix);
/** Estimate of the heap the index holds, in bytes (tables, entries, parsed ranges). */
CT_EXTERN size_t ct_match_index_bytes(const ct_match_index *ix);

#endif

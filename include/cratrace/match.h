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

#endif

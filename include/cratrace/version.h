/* version: per-ecosystem version comparison, vers ranges, OSV event conversion. */
#ifndef CRATRACE_VERSION_H
#define CRATRACE_VERSION_H

#include "cratrace/common.h"
#include "cratrace/base.h"

/* ---- single versions ------------------------------------------------------------------- */

/** Compare a and b under scheme ("deb", "npm", ...); *cmp_out gets <0, 0 or >0.
 *  CT_EUNSUPPORTED for an unknown scheme, CT_EPARSE (message says why) for an invalid version. */
CT_EXTERN int ct_version_compare(int *cmp_out, const char *scheme, const char *a, const char *b);

/** Like ct_version_compare() on byte ranges that need not be NUL-terminated. */
CT_EXTERN int ct_version_compare_n(int *cmp_out, const char *scheme, const char *a, size_t alen,
                                   const char *b, size_t blen);

/** 0 if v is a valid version of scheme; CT_EPARSE with a reason, CT_EUNSUPPORTED. */
CT_EXTERN int ct_version_validate(const char *scheme, const char *v);

/** True if scheme names a registered comparator (exact, lowercase name or alias). */
CT_EXTERN bool ct_version_scheme_known(const char *scheme);

/** *out = whether "a OP b" holds under scheme. OP is "<", "<=", "=", ">=" or ">" (every
 *  scheme), or one of apk's fuzzy operators "~", "<~", ">~" (apk only: "a ~ b" when a's tokens
 *  start with all of b's, "3.6.9 ~ 3.6" but not "3.60 ~ 3.6"; "<~" / ">~" add less / greater);
 *  a leading "!" negates ("!=", "!~"), as apk's conflict marker and its test runner do.
 *  CT_EINVAL for any other OP, CT_EUNSUPPORTED for an unknown scheme or a fuzzy OP under a
 *  scheme without one ("operator '~' not supported by scheme 'deb'"), CT_EPARSE for an invalid
 *  version. */
CT_EXTERN int ct_version_match(bool *out, const char *scheme, const char *a, const char *op,
                               const char *b);

/* ---- vers ranges (package-url/vers-spec) ----------------------------------------------- */

typedef struct ct_vers ct_vers;

typedef enum {
    CT_VERS_EQ,   /* bare version (or "=" in lenient mode) */
    CT_VERS_NE,   /* != */
    CT_VERS_LT,   /* <  */
    CT_VERS_LE,   /* <= */
    CT_VERS_GT,   /* >  */
    CT_VERS_GE,   /* >= */
    CT_VERS_STAR  /* *  (alone) */
} ct_vers_op;

/** Reject anything not already canonical: upper case, "=", unsorted constraints, and comparator
 *  sequences forbidden by the vers spec §5.4. Without it constraints are sorted on parse. */
#define CT_VERS_STRICT 0x1u

/** Parse "vers:npm/>=1.2.0|<2" (lenient: sorts constraints); *out is NEW, free with
 *  ct_vers_free(). CT_EUNSUPPORTED for an unknown type, CT_EPARSE with an offset otherwise. */
CT_EXTERN int ct_vers_parse(ct_vers **out, const char *text, size_t len);

/** ct_vers_parse() with CT_VERS_* flags; *out is NEW. */
CT_EXTERN int ct_vers_parse_ex(ct_vers **out, const char *text, size_t len, unsigned flags);

/** Free a range; NULL is a no-op. */
CT_EXTERN void ct_vers_free(ct_vers *v);

/** The vers type as written (lowercased), e.g. "npm"; borrowed. */
CT_EXTERN const char *ct_vers_scheme(const ct_vers *v);

/** Number of constraints (1 for "*"). */
CT_EXTERN size_t ct_vers_count(const ct_vers *v);

/** Constraint i in version order; *version_out is borrowed, percent-decoded, NUL-terminated. */
CT_EXTERN int ct_vers_constraint(ct_vers_op *op_out, const char **version_out, const ct_vers *v,
                                 size_t i);

/** *out = whether version lies in the range (vers spec containment algorithm); never
 *  allocates. CT_EPARSE if version is invalid for the range's scheme. */
CT_EXTERN int ct_vers_contains(bool *out, const ct_vers *v, const char *version, size_t len);

/** Append the canonical text ("vers:<type>/<sorted constraints>") to out. */
CT_EXTERN int ct_vers_format(ct_buf *out, const ct_vers *v);

/* ---- OSV ranges ------------------------------------------------------------------------ */

typedef enum { CT_OSV_INTRODUCED, CT_OSV_FIXED, CT_OSV_LAST_AFFECTED, CT_OSV_LIMIT } ct_osv_event_kind;

typedef struct ct_osv_event {
    ct_osv_event_kind kind;
    const char *version; /* "0" with CT_OSV_INTRODUCED means "from the beginning" */
} ct_osv_event;

/** Append a vers for OSV ranges[].events (sorted by the scheme first) to out, e.g.
 *  "vers:npm/<1.2.3|>=2.0.0|<2.0.6". CT_ENOTFOUND if the events affect no version. */
CT_EXTERN int ct_vers_from_osv_events(ct_buf *out, const char *scheme, const ct_osv_event *ev,
                                      size_t n);

/** Append a vers of equality constraints ("vers:pypi/1.0|1.1"), sorted, duplicates dropped. */
CT_EXTERN int ct_vers_from_versions(ct_buf *out, const char *scheme,
                                    const char *const *versions, size_t n);

/** Append the vers for a range in the ecosystem's native syntax (npm "^1.2 || 2.x", pypi
 *  ">=1.0,!=1.3", gem "~> 2.0", nuget/maven "[1.0,2.0)", composer, conan, golang, nginx,
 *  openssl), constraints sorted by scheme. CT_EUNSUPPORTED for a scheme without native
 *  syntax, CT_EPARSE (message says why) otherwise. */
CT_EXTERN int ct_vers_from_native(ct_buf *out, const char *scheme, const char *native,
                                  size_t len);

#endif

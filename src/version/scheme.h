/* Internal: the version-scheme vtable, the registry and helpers shared by scheme_*.c. */
#ifndef CT_VERSION_SCHEME_H
#define CT_VERSION_SCHEME_H

#include "cratrace/version.h"

typedef struct ct_version_scheme {
    const char *name; /* vers / purl-type style name */
    int (*validate)(const char *v, size_t len); /* 0 or CT_EPARSE with reason via ct_error_set */
    int (*compare)(int *cmp_out, const char *a, size_t alen, const char *b,
                   size_t blen); /* <0,0,>0; CT_EPARSE if invalid */
} ct_version_scheme;

/* ---- registry (registry.c) ------------------------------------------------------------- */

/** Scheme by exact (lowercase) name or alias; NULL if unknown. */
const ct_version_scheme *ct_version_scheme_find(const char *name);
/** Same for a name that is not NUL-terminated. */
const ct_version_scheme *ct_version_scheme_findn(const char *name, size_t len);
/** Number of registry rows (aliases included). */
size_t ct_version_scheme_count(void);
/** Row i in name order, NULL past the end (tests assert the order). */
const ct_version_scheme *ct_version_scheme_at(size_t i);

/* ---- schemes (scheme_*.c) -------------------------------------------------------------- */

extern const ct_version_scheme ct_version_scheme_semver;
extern const ct_version_scheme ct_version_scheme_npm;
extern const ct_version_scheme ct_version_scheme_golang;
extern const ct_version_scheme ct_version_scheme_go; /* alias of golang */
extern const ct_version_scheme ct_version_scheme_cargo;
extern const ct_version_scheme ct_version_scheme_pypi;
extern const ct_version_scheme ct_version_scheme_deb;
extern const ct_version_scheme ct_version_scheme_debian; /* alias of deb */
extern const ct_version_scheme ct_version_scheme_rpm;
extern const ct_version_scheme ct_version_scheme_generic;
extern const ct_version_scheme ct_version_scheme_lexicographic;
extern const ct_version_scheme ct_version_scheme_alpm;
extern const ct_version_scheme ct_version_scheme_apk;
extern const ct_version_scheme ct_version_scheme_composer;
extern const ct_version_scheme ct_version_scheme_conan;
extern const ct_version_scheme ct_version_scheme_datetime;
extern const ct_version_scheme ct_version_scheme_gem;
extern const ct_version_scheme ct_version_scheme_gentoo;
extern const ct_version_scheme ct_version_scheme_maven;
extern const ct_version_scheme ct_version_scheme_nginx;
extern const ct_version_scheme ct_version_scheme_nuget;
extern const ct_version_scheme ct_version_scheme_openssl;

/* ---- shared helpers -------------------------------------------------------------------- */

/** Compare two ASCII digit strings by value: leading zeros stripped, then length, then bytes. */
int ct_version__numcmp(const char *a, size_t alen, const char *b, size_t blen);

/** SemVer-shaped version as spans into the input (no copies). */
typedef struct ct_semver_parts {
    const char *num[3];
    size_t numlen[3];
    const char *pre; /* identifiers after '-', NULL if none */
    size_t prelen;
} ct_semver_parts;

/** SemVer 2.0.0 §11 precedence of two parsed versions (build metadata ignored). */
int ct_version__semver_cmp_parts(const ct_semver_parts *a, const ct_semver_parts *b);

/** Parse strict SemVer 2.0.0 "MAJOR.MINOR.PATCH[-pre][+build]"; 0 or CT_EPARSE (message set). */
int ct_version__semver_parse(ct_semver_parts *out, const char *v, size_t len);

/** librpm 4.18 rpmvercmp() on two byte strings (no EVR split); result -1, 0 or 1. */
int ct_version__rpmvercmp(const char *a, size_t alen, const char *b, size_t blen);

/* ---- vers helpers (vers.c) ------------------------------------------------------------- */

/** Three-way comparison for ct_version__sort(); <0 return is an error that stops the sort. */
typedef int (*ct_version__cmp_fn)(int *cmp_out, const void *a, const void *b, void *payload);

/** Stable merge sort of n elements of size bytes; scratch memory from ct_malloc. */
int ct_version__sort(void *base, size_t n, size_t size, ct_version__cmp_fn cmp, void *payload);

/** Append a version to a vers string, percent-encoding what vers-spec §5.3.3.2 requires. */
int ct_version__put_vers_version(ct_buf *out, const char *v, size_t len);

static inline bool ct_version__isdigit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static inline bool ct_version__isalpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline unsigned char ct_version__lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + ('a' - 'A')) : c;
}

#endif

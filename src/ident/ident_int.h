/* Internal definitions shared by the ident sources: the per-type purl rule table. */
#ifndef CT_IDENT_INT_H
#define CT_IDENT_INT_H

#include "cratrace/base.h"
#include "cratrace/ident.h"

#define CT_IDENT_ASSERT_ARG(cond)                                                                  \
    do {                                                                                           \
        if (!(cond))                                                                               \
            return ct_error_set(CT_EINVAL, "%s: invalid argument (%s)", __func__, #cond);          \
    } while (0)

/* Rule flags for one purl type, taken from the purl-spec type definitions. */
enum {
    CT_PT_NS_LOWER = 1u << 0,       /* namespace is case-insensitive: lowercase it */
    CT_PT_NAME_LOWER = 1u << 1,     /* name is case-insensitive: lowercase it */
    CT_PT_VER_LOWER = 1u << 2,      /* version is case-insensitive: lowercase it */
    CT_PT_NS_REQUIRED = 1u << 3,    /* a purl without namespace is invalid */
    CT_PT_NS_PROHIBITED = 1u << 4,  /* a purl with a namespace is invalid */
    CT_PT_NAME_PYPI = 1u << 5,      /* '_' -> '-' in names (PEP 503, purl pypi definition) */
    CT_PT_NAME_PUB = 1u << 6,       /* anything but [a-z0-9] -> '_' (purl pub definition) */
    CT_PT_NAME_MLFLOW = 1u << 7,    /* lowercase the name on Databricks (purl mlflow definition) */
    CT_PT_NS_ONE_SEGMENT = 1u << 8, /* git: namespace is the host, the rest of the path is name */
    CT_PT_NO_COLONS = 1u << 9,      /* cpan: a distribution name never contains "::" */
    CT_PT_CONAN = 1u << 10,         /* conan: a channel needs a namespace (user) */
    CT_PT_CHROME = 1u << 11,        /* chrome-extension: 32-letter a-p id, numeric version */
    CT_PT_LENIENT_LOWER = 1u << 12, /* git: lowercase namespace and name when not strict (a
                                       "recommended" purl-spec test; the definition says
                                       case-sensitive, so strict parsing keeps case) */
};

typedef struct ct_ident__type {
    const char *type;       /* lowercase purl type */
    const char *scheme;     /* vers scheme for its versions */
    unsigned flags;         /* CT_PT_* */
    const char *required_q; /* qualifier every purl of this type needs, or NULL */
} ct_ident__type;

/** Borrowed rule row for a lowercase purl type, or NULL when the type has no rules. */
const ct_ident__type *ct_ident__type_find(const char *type);

/** Normalise decoded purl components in place (same length) following the type's rules;
 *  repo_url is the repository_url qualifier or NULL. Any of ns, name, version may be NULL. */
void ct_ident__normalize(const ct_ident__type *t, char *ns, char *name, char *version,
                         const char *repo_url);

/** Lowercase ns and name (either may be NULL) in place: the lenient-only normalisation. */
void ct_ident__normalize_lenient(char *ns, char *name);

/** Append the package key "type/ns/name" (ns may be NULL) to out, applying the canonical purl
 *  normalisation plus the looser matching rules (pypi separator runs, nuget case). */
int ct_ident__key(ct_buf *out, const char *type, const char *ns, const char *name);

#endif

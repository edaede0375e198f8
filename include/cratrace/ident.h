/* ident: package identity. Package URLs (purl), version-less package keys, OSV ecosystems. */
#ifndef CRATRACE_IDENT_H
#define CRATRACE_IDENT_H

#include "cratrace/common.h"

/* ct_buf is defined in base.h; C11 allows repeating the typedef, so this header stands alone. */
typedef struct ct_buf ct_buf;

/** Longest purl text ct_purl_parse() accepts; longer input is CT_ELIMIT. */
#define CT_PURL_MAX_LEN ((size_t)64 * 1024)

/* No typedef: the name ct_purl_qualifier is the getter function below. */
struct ct_purl_qualifier {
    char *key, *value; /* key lowercase; value decoded, never empty */
};

typedef struct ct_purl {
    char *type, *namespace_, *name, *version, *subpath; /* decoded; NULL when absent */
    struct ct_purl_qualifier *qualifiers;               /* sorted by key */
    size_t nqualifiers;
} ct_purl;

/** Parse and normalise purl text s[0..len); *out is NEW, free with ct_purl_free(). CT_EPARSE
 *  with a reason and byte offset on malformed input, CT_ELIMIT beyond CT_PURL_MAX_LEN. */
CT_EXTERN int ct_purl_parse(ct_purl **out, const char *s, size_t len);

/** ct_purl_parse_ex() / ct_purl_validate() flag: apply the ECMA-427 "shall" rules as written
 *  (the purl-spec "required" test group): upper-case qualifier keys are CT_EPARSE instead of
 *  being lowercased, and "recommended"-only repairs (git namespace/name lowercasing) are off.
 *  Without it, parsing is lenient and normalises such input (the "recommended" group). */
#define CT_PURL_STRICT 1u

/** As ct_purl_parse() with CT_PURL_* flags; ct_purl_parse(o, s, n) is flags 0 (lenient). */
CT_EXTERN int ct_purl_parse_ex(ct_purl **out, const char *s, size_t len, unsigned flags);

/** Validate purl text s[0..len) and append its canonical form to canon_out (may be NULL).
 *  Returns 0 when s is valid and already canonical, 1 when valid but not canonical, negative
 *  (as ct_purl_parse_ex) when invalid. */
CT_EXTERN int ct_purl_validate(ct_buf *canon_out, const char *s, size_t len, unsigned flags);

/** Free a purl; NULL is a no-op. */
CT_EXTERN void ct_purl_free(ct_purl *p);

/** Append the canonical purl string for p (which may be hand-built; qualifiers need not be
 *  sorted) to out. CT_EINVAL when the components cannot form a valid purl. */
CT_EXTERN int ct_purl_format(ct_buf *out, const ct_purl *p);

/** Borrowed value of qualifier key (ASCII case-insensitive) or NULL. */
CT_EXTERN const char *ct_purl_qualifier(const ct_purl *p, const char *key);

/** Append the version-less matching key "type/namespace/name" (namespace omitted when absent),
 *  decoded and normalised per type, e.g. "pypi/django-rest", "npm/@angular/core". */
CT_EXTERN int ct_purl_package_key(ct_buf *out, const ct_purl *p);

/** The version scheme (vers name) for a purl type, e.g. "npm", "deb", "semver"; unknown types
 *  give "generic". Borrowed, static. */
CT_EXTERN const char *ct_purl_type_scheme(const char *type);

/** Append the package key for an OSV (ecosystem, name) to key_out and set *scheme_out (may be
 *  NULL) to the version scheme. Returns 0 for a known ecosystem, 1 for an unknown one (key
 *  "<ecosystem lowercased>/<name>", scheme "generic"), negative on error. */
CT_EXTERN int ct_osv_package_key(ct_buf *key_out, const char **scheme_out,
                                 const char *ecosystem, const char *name);

#endif

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

/** What a package key is to the release rule (docs/feeds.md "Distributions"). */
typedef enum ct_pkgkey_kind {
    CT_PKGKEY_PLAIN = 0,          /* no release-scoped distribution */
    CT_PKGKEY_DISTRO_ANY = 1,     /* a release-scoped distribution's key without a release */
    CT_PKGKEY_DISTRO_RELEASE = 2, /* "...?distro=<ns>-<release>" */
} ct_pkgkey_kind;

/** Classify key. *base_len_out (may be NULL) gets the length of its release-less part ("deb/
 *  debian/openssl" of "deb/debian/openssl?distro=debian-12"; the whole key otherwise);
 *  *any_release_out (may be NULL) whether the distribution lets a component that names no
 *  release meet the data of every release (Red Hat). Data without a release applies to every
 *  release of its distribution; data of a release only to that release. */
CT_EXTERN ct_pkgkey_kind ct_package_key_distro(size_t *base_len_out, bool *any_release_out,
                                               const char *key);

/* ---- CPE 2.3 (NISTIR 7695 naming, NISTIR 7696 name matching) ------------------------------ */

/** Longest CPE text (any binding) ct_cpe_parse() accepts; longer input is CT_ELIMIT. */
#define CT_CPE_MAX_LEN ((size_t)4096)

/** The 11 WFN attributes, in binding order. */
typedef enum ct_cpe_attr_id {
    CT_CPE_PART,
    CT_CPE_VENDOR,
    CT_CPE_PRODUCT,
    CT_CPE_VERSION,
    CT_CPE_UPDATE,
    CT_CPE_EDITION,
    CT_CPE_LANGUAGE,
    CT_CPE_SW_EDITION,
    CT_CPE_TARGET_SW,
    CT_CPE_TARGET_HW,
    CT_CPE_OTHER,
    CT_CPE_NATTR
} ct_cpe_attr_id;

/** Kind of a WFN attribute value; ANY is 0 so a zeroed ct_cpe is all-ANY. */
typedef enum ct_cpe_kind { CT_CPE_ANY = 0, CT_CPE_NA, CT_CPE_VALUE } ct_cpe_kind;

typedef struct ct_cpe_value {
    ct_cpe_kind kind;
    char *value; /* CT_CPE_VALUE only: the WFN string, NISTIR 7695 quoting ("8\.0", "foo\\bar"),
                    unquoted '*' / '?' are wildcards; NULL otherwise */
} ct_cpe_value;

/** A well-formed CPE name (WFN); values are owned. May be hand-built (kind + value). */
typedef struct ct_cpe {
    ct_cpe_value attr[CT_CPE_NATTR];
} ct_cpe;

/** The text bindings of a WFN. */
typedef enum ct_cpe_binding {
    CT_CPE_BIND_FS,  /* formatted string "cpe:2.3:a:vendor:product:...", 11 attributes */
    CT_CPE_BIND_URI, /* CPE 2.2 URI "cpe:/a:vendor:product:...", edition packed with '~' */
    CT_CPE_BIND_WFN  /* NISTIR 7695 notation 'wfn:[part="a",vendor="x",...]' */
} ct_cpe_binding;

/** NISTIR 7696 relation of source to target (per attribute and for the whole name). */
typedef enum ct_cpe_relation {
    CT_CPE_DISJOINT,
    CT_CPE_SUBSET,   /* source is a subset of target */
    CT_CPE_SUPERSET, /* source is a superset of (matches) target */
    CT_CPE_EQUAL,
    CT_CPE_UNDEFINED /* target has wildcards, or (whole name) a mix of SUBSET and SUPERSET */
} ct_cpe_relation;

/** Parse s[0..len) in any binding, chosen by prefix ("cpe:2.3:", "cpe:/", "wfn:["); *out is
 *  NEW, free with ct_cpe_free(). CT_EPARSE with reason and offset, CT_ELIMIT beyond
 *  CT_CPE_MAX_LEN. */
CT_EXTERN int ct_cpe_parse(ct_cpe **out, const char *s, size_t len);

/** Free a CPE; NULL is a no-op. */
CT_EXTERN void ct_cpe_free(ct_cpe *cpe);

/** Append cpe in the given binding to out. CT_EINVAL when a value is not a valid WFN string
 *  or the part is not a/o/h/ANY. */
CT_EXTERN int ct_cpe_format(ct_buf *out, const ct_cpe *cpe, ct_cpe_binding binding);

/** Attribute name ("vendor", "sw_edition", ...) or NULL for an out-of-range id. Static. */
CT_EXTERN const char *ct_cpe_attr_name(int id);

/** Relation name ("SUPERSET", ...). Static. */
CT_EXTERN const char *ct_cpe_relation_name(ct_cpe_relation rel);

/** Compare source to target (NISTIR 7696): attrs_out (may be NULL) gets each attribute's
 *  relation, *overall_out the name relation: DISJOINT if any attribute is, else UNDEFINED if
 *  any is, else EQUAL if all are, else SUPERSET/SUBSET if all are that or EQUAL, else
 *  UNDEFINED. Wildcards count in the source only. CT_EINVAL on an invalid value. */
CT_EXTERN int ct_cpe_compare(ct_cpe_relation *overall_out, ct_cpe_relation *attrs_out,
                             const ct_cpe *source, const ct_cpe *target);

/** CPE vendor/product commonly used for an embedded package known by purl (type, name), e.g.
 *  ("generic", "u-boot") -> ("denx", "u-boot"); type may be NULL. Borrowed static strings.
 *  Returns 0 when found, 1 when the table has no hint. */
CT_EXTERN int ct_cpe_from_purl_hint(const char **vendor_out, const char **product_out,
                                    const char *purl_type, const char *purl_name);

/** Reverse hint: purl type and name for a CPE (vendor, product), e.g. ("haxx", "curl") ->
 *  ("generic", "curl"). Borrowed static strings. Returns 0 when found, 1 otherwise. */
CT_EXTERN int ct_cpe_to_purl_hint(const char **type_out, const char **name_out,
                                  const char *vendor, const char *product);

#endif

/* sbom_diff: compare two SBOMs component by component (ct_sbom_diff) and compose one SBOM from
 * several sub-SBOMs (ct_sbom_merge), both on the format-neutral model of sbom.h. */
#ifndef CRATRACE_SBOM_DIFF_H
#define CRATRACE_SBOM_DIFF_H

#include "cratrace/sbom.h"

/* ---- diff ------------------------------------------------------------------------------- */

/** How the version of a component changed from A to B. */
typedef enum ct_sbom_change {
    CT_SBOM_SAME,       /* same version text (other fields may still differ) */
    CT_SBOM_ADDED,      /* only in B */
    CT_SBOM_REMOVED,    /* only in A */
    CT_SBOM_UPGRADED,   /* B's version is newer under the purl type's version scheme */
    CT_SBOM_DOWNGRADED, /* B's version is older */
    CT_SBOM_CHANGED     /* different text, no order: unknown scheme, invalid or equal-ordered */
} ct_sbom_change;

/* ct_sbom_diff_entry.fields bits: what else changed on a component present in both. */
#define CT_SBOM_DIFF_LICENSE  0x1u
#define CT_SBOM_DIFF_HASHES   0x2u
#define CT_SBOM_DIFF_SUPPLIER 0x4u

/** One hash algorithm whose value differs; old/new NULL when the algorithm is absent there. */
typedef struct ct_sbom_hash_change {
    char *alg, *old_value, *new_value;
} ct_sbom_hash_change;

/** One component that differs. Strings are owned by the diff; a_* NULL for ADDED, b_* NULL
 * for REMOVED. */
typedef struct ct_sbom_diff_entry {
    ct_sbom_change change;
    unsigned fields;  /* CT_SBOM_DIFF_* */
    char *identity;   /* the match key: "pkg:type/ns/name[#subpath]", "cpe:2.3:...", or
                       * "name:group/name/type" */
    char *name;       /* B's name, else A's */
    const char *scheme; /* version scheme used to order versions, NULL if none; static */
    char *a_version, *b_version, *a_purl, *b_purl;
    char *a_license, *b_license, *a_supplier, *b_supplier;
    ct_sbom_hash_change *hashes;
    size_t nhashes;
} ct_sbom_diff_entry;

/** The result of ct_sbom_diff: entries sorted by identity, then A's and B's versions. */
typedef struct ct_sbom_diff_result {
    ct_sbom_diff_entry *entries;
    size_t nentries, entries_cap;
    size_t count[6];    /* indexed by ct_sbom_change; count[CT_SBOM_SAME] counts only those
                         * with other field changes */
    size_t nlicense, nhashes, nsupplier; /* entries with that field change */
    size_t unchanged;   /* matched components without any change (not listed) */
} ct_sbom_diff_result;

/** Compare a (old) with b (new). Components are matched by identity: the purl without version,
 * qualifiers (the canonical type/namespace/name and subpath), else the CPE with version ANY,
 * else name + group + type. Components sharing an identity on one side are paired with the
 * other side's by equal version first, then in document order. *out NEW (ct_sbom_diff_free). */
CT_EXTERN int ct_sbom_diff(ct_sbom_diff_result **out, const ct_sbom *a, const ct_sbom *b);
CT_EXTERN void ct_sbom_diff_free(ct_sbom_diff_result *d);
/** "added", "removed", "upgraded", "downgraded", "changed" or "same". Static. */
CT_EXTERN const char *ct_sbom_change_name(ct_sbom_change c);
/** Append the members "summary" and "components" of the JSON object documented in
 * docs/sbom.md, without the enclosing braces, so callers can add members of their own (the CLI
 * adds "a", "b" and the store's "vulnerabilities"). */
CT_EXTERN int ct_sbom_diff_json(ct_buf *out, const ct_sbom_diff_result *d);

/* ---- merge ------------------------------------------------------------------------------ */

/** A merge warning: kind is "conflict" (same purl, different hashes), "renamed" (a bom-ref
 * already used by another part), or "dangling" (an edge end that names no component, dropped);
 * part is the 0-based index of the part; ref the bom-ref concerned; detail says more. */
typedef void (*ct_sbom_merge_warn_fn)(void *payload, const char *kind, size_t part,
                                      const char *ref, const char *detail);

typedef struct ct_sbom_merge_stats {
    size_t components_in;  /* components of all parts */
    size_t collapsed;      /* components folded into an earlier one with the same identity */
    size_t renamed;        /* bom-refs renamed because another part used them */
    size_t conflicts;      /* same purl, different hashes */
    size_t dangling;       /* dependency edges dropped because an end names no component */
} ct_sbom_merge_stats;

/** Compose one SBOM from parts: a new root (name, version; metadata.component in CycloneDX,
 * the described package in SPDX) depends on each part's root; every part keeps its components
 * and edges. A component's identity is its canonical purl, else name + version + hashes;
 * components with the same identity collapse into the first (edges re-pointed). *out NEW
 * (ct_sbom_free); stats and warn may be NULL. CT_EINVAL without parts or name. */
CT_EXTERN int ct_sbom_merge(ct_sbom **out, const ct_sbom *const *parts, size_t nparts,
                            const char *name, const char *version, ct_sbom_merge_stats *stats,
                            ct_sbom_merge_warn_fn warn, void *payload);

#endif

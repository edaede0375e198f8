/* sbom_profile: SBOM quality profiles over the format-neutral model ("sbom validate --profile").
 *
 * Two profiles: "ntia" (the seven NTIA minimum elements, SBOM-NTIA-1..7) and "bsi" (BSI
 * TR-03183-2 v2.0.0: SBOM-BSI20-S1/S2 for the document, C1..C10 and A2 per component, G2 no
 * vulnerability data, format per §4). Every check is one (subject, field) pair, the subject
 * being the document or one component; the score is satisfied / applicable checks.
 *
 * The model (cratrace/sbom.h) does not keep every field a profile needs (who wrote the SBOM,
 * when, file names, BSI properties, whether a component's dependency list was stated). Those
 * come from ct_sbom_facts, read from the same document bytes by ct_sbom_facts_read(). Without
 * facts (a store-only model, a format whose facts are not read) the checks that need them fail
 * with a message saying the value is not available: a profile never passes by not looking.
 *
 * Waivers: a manufacturer's accepted gap (profile, field, optional component) with a reason.
 * A failing check that a waiver covers is reported as waived and does not fail the profile. */
#ifndef CRATRACE_SBOM_PROFILE_H
#define CRATRACE_SBOM_PROFILE_H

#include "cratrace/sbom.h"

/* ---- facts the model does not carry ----------------------------------------------------- */

typedef struct ct_sbom_facts_component {
    char *ref;             /* bom-ref / SPDXID as in the document; may be NULL */
    char *filename;        /* CycloneDX property bsi:component:filename, SPDX packageFileName */
    char *creator_contact; /* email or URL of the component's creator/supplier, or NULL */
    char *executable;      /* CycloneDX property bsi:component:executable (as written) */
    char *archive;         /* bsi:component:archive */
    char *structured;      /* bsi:component:structured */
    bool deps_stated;      /* the document states this component's dependencies (a CycloneDX
                            * dependencies[] entry, possibly empty; SPDX DEPENDS_ON/CONTAINS
                            * from it, to NONE included) */
} ct_sbom_facts_component;

typedef struct ct_sbom_facts {
    char *format;          /* "cyclonedx-json", "cyclonedx-xml", "spdx-json", "spdx-tv" */
    char *author;          /* a person or organisation named as SBOM author, or NULL */
    char *author_contact;  /* an email or URL of the SBOM's creator, or NULL */
    bool tool_only;        /* only a tool is named as creator */
    char *timestamp;       /* as written, or NULL */
    bool has_vulnerabilities; /* CycloneDX vulnerabilities[] with at least one entry */
    bool has_properties;   /* the format can carry the BSI component properties */
    ct_sbom_facts_component *components; /* in document order (as the model's components) */
    size_t ncomponents, components_cap;
} ct_sbom_facts;

/** Read the profile facts of an SBOM document (CycloneDX JSON or XML, SPDX JSON or tag-value;
 * the same detection as ct_sbom_parse). *out NEW (ct_sbom_facts_free). Anything else:
 * CT_EUNSUPPORTED (the engine then reports those fields as not available). */
CT_EXTERN int ct_sbom_facts_read(ct_sbom_facts **out, const ct_ctx *ctx, const char *data,
                                 size_t len, const char *source);
CT_EXTERN void ct_sbom_facts_free(ct_sbom_facts *facts);

/* ---- waivers ---------------------------------------------------------------------------- */

typedef struct ct_sbom_waiver {
    int64_t id;
    char *product;
    char *release;   /* NULL: every release of the product */
    char *profile;   /* "ntia" or "bsi" */
    char *field;     /* a field name of that profile (ct_sbom_profile_fields) */
    char *component; /* bom-ref/SPDXID or purl; NULL: every subject, the document included */
    char *reason;
    char *actor;     /* who accepted the gap */
    ct_time created;
} ct_sbom_waiver;

/** Free the strings of n waivers and the array itself; NULL is a no-op. */
CT_EXTERN void ct_sbom_waivers_free(ct_sbom_waiver *w, size_t n);

/* ---- the engine ------------------------------------------------------------------------- */

typedef struct ct_sbom_profile_finding {
    char *component;          /* bom-ref/SPDXID (else purl, else name@version, else "#index");
                               * NULL: the SBOM document itself */
    char *purl;               /* the component's purl, or NULL */
    const char *field;        /* static: "supplier", "hash-sha512", ... */
    const char *requirement;  /* static: "SBOM-NTIA-1", "SBOM-BSI20-C7", ... */
    char *message;
    const ct_sbom_waiver *waiver; /* borrowed from the waivers passed in, NULL: not waived */
} ct_sbom_profile_finding;

typedef struct ct_sbom_profile_report {
    const char *profile;     /* static: "ntia" or "bsi" */
    bool passed;             /* no failing check without a waiver */
    double score;            /* satisfied / checks (1.0 when there are no checks) */
    size_t checks;           /* applicable checks */
    size_t satisfied, failed, waived; /* failed counts unwaived failures only */
    ct_sbom_profile_finding *findings; /* every unsatisfied check, waived or not */
    size_t nfindings, findings_cap;
    /* private: where the findings' strings live (one copy of a component's label and purl for
     * all its findings, one of each message text); freed by ct_sbom_profile_report_free */
    struct ct_sbom_profile_strings *strings;
} ct_sbom_profile_report;

/** True for "ntia" and "bsi". */
CT_EXTERN bool ct_sbom_profile_known(const char *profile);
/** True when field is one of profile's field names. */
CT_EXTERN bool ct_sbom_profile_field_known(const char *profile, const char *field);
/** The field names of a profile, comma separated (static), or NULL for an unknown profile. */
CT_EXTERN const char *ct_sbom_profile_fields(const char *profile);

/** Check sbom against profile. facts may be NULL (see the file comment); waivers (n may be 0)
 * whose profile differs are ignored, the caller selects product and release. *out NEW
 * (ct_sbom_profile_report_free); findings borrow from waivers, keep them alive as long. */
CT_EXTERN int ct_sbom_profile_check(ct_sbom_profile_report **out, const ct_sbom *sbom,
                                    const ct_sbom_facts *facts, const char *profile,
                                    const ct_sbom_waiver *waivers, size_t nwaivers);
CT_EXTERN void ct_sbom_profile_report_free(ct_sbom_profile_report *report);

#endif

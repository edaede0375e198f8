/* sbom: the format-neutral SBOM model, its readers (CycloneDX JSON 1.2-1.7, SPDX 2.2/2.3 JSON
 * and tag-value) and writers (CycloneDX JSON and XML 1.4-1.7, SPDX 2.2/2.3 JSON and
 * tag-value). */
#ifndef CRATRACE_SBOM_H
#define CRATRACE_SBOM_H

#include "cratrace/base.h"

typedef struct ct_component {
    char *bom_ref, *type, *group, *name, *version, *purl, *cpe, *supplier;
    char *hashes;   /* JSON array text: [{"alg":"SHA-256","content":"..."}] or NULL */
    char *licenses; /* SPDX expression / ids joined with " AND ", or NULL */
    uint32_t depth; /* 0 = top level, > 0 = nested inside another component */
} ct_component;

typedef struct ct_dependency {
    char *ref, *depends_on;
} ct_dependency;

typedef struct ct_sbom {
    char *format;       /* "cyclonedx-json", "spdx-json", "spdx-tv" */
    char *spec_version; /* "1.5", "2.3" */
    char *serial_number;
    char *name, *version; /* metadata.component, when present */
    ct_component *components;
    size_t ncomponents, components_cap;
    ct_dependency *deps;
    size_t ndeps, deps_cap;
    /* Allocation. NULL: every string above is its own ct_malloc (ct_sbom_free frees each).
     * Not NULL (the CycloneDX JSON reader): every string above lives in this arena, freed as
     * a whole by ct_sbom_free; such strings must not be ct_free'd or realloc'd one by one, and
     * dependencies of one "ref" share one ref string. Code that builds or edits a model
     * itself leaves it NULL. */
    struct ct_sbom_arena *arena;
} ct_sbom;

/** Parse an SBOM, detecting the format; *out NEW (ct_sbom_free). Errors carry source and a
 * JSON pointer or line/column. */
CT_EXTERN int ct_sbom_parse(ct_sbom **out, const ct_ctx *ctx, const char *data, size_t len,
                            const char *source);
/** Parse CycloneDX JSON 1.2 to 1.7 (one pass over a JSON tape, no DOM); *out NEW. */
CT_EXTERN int ct_sbom_parse_cyclonedx_json(ct_sbom **out, const ct_ctx *ctx, const char *data,
                                           size_t len, const char *source);
/** Parse CycloneDX XML 1.4-1.7 (version from the bom namespace); *out NEW. Errors carry the
 * libxml2 line. */
CT_EXTERN int ct_sbom_parse_cyclonedx_xml(ct_sbom **out, const ct_ctx *ctx, const char *data,
                                          size_t len, const char *source);
/** Parse SPDX 2.2 or 2.3 JSON; *out NEW. Packages become components (depth 0), DEPENDS_ON,
 * DEPENDENCY_OF and CONTAINS relationships dependencies; the package the document DESCRIBES
 * gives name/version. Other SPDX versions are CT_EUNSUPPORTED. */
CT_EXTERN int ct_sbom_parse_spdx_json(ct_sbom **out, const ct_ctx *ctx, const char *data,
                                      size_t len, const char *source);
/** Parse SPDX 2.2 or 2.3 tag-value; *out NEW; errors carry line:column. */
CT_EXTERN int ct_sbom_parse_spdx_tv(ct_sbom **out, const ct_ctx *ctx, const char *data,
                                    size_t len, const char *source);
CT_EXTERN void ct_sbom_free(ct_sbom *sbom);

/* ---- writers ---------------------------------------------------------------------------- */

/** Called once per model value the target format cannot hold (it is left out of the output):
 * field is e.g. "component.group", ref the component's bom_ref (or NULL). */
typedef void (*ct_sbom_lost_fn)(void *payload, const char *field, const char *ref);

typedef struct ct_sbom_write_options {
    const char *spec_version; /* NULL = "1.6" (CycloneDX), "2.3" (SPDX) */
    ct_time created;          /* SPDX creationInfo.created, CycloneDX metadata.timestamp;
                               * CT_TIME_NONE: omitted where optional, the epoch where required */
    ct_sbom_lost_fn lost;     /* may be NULL */
    void *payload;
} ct_sbom_write_options;
#define CT_SBOM_WRITE_OPTIONS_INIT { NULL, CT_TIME_NONE, NULL, NULL }

/** Append sbom to out as format "cyclonedx-json" or "cyclonedx-xml" (spec 1.4-1.7, default
 * 1.6), "spdx-json" or "spdx-tv" (2.2 or 2.3, default 2.3). Output is deterministic. Returns
 * the number of values the target could not express (>= 0; each also reported to opts->lost),
 * or a negative CT_E* code. */
CT_EXTERN int ct_sbom_write_ex(ct_buf *out, const ct_sbom *sbom, const char *format,
                               const ct_sbom_write_options *opts);
/** ct_sbom_write_ex with default options and the given spec_version (NULL = newest). */
CT_EXTERN int ct_sbom_write(ct_buf *out, const ct_sbom *sbom, const char *format,
                            const char *spec_version);

#endif

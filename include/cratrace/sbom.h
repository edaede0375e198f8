/* sbom: the format-neutral SBOM model and its readers (CycloneDX JSON 1.4-1.6 for now). */
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
    char *format;       /* "cyclonedx-json" */
    char *spec_version; /* "1.5" */
    char *serial_number;
    char *name, *version; /* metadata.component, when present */
    ct_component *components;
    size_t ncomponents, components_cap;
    ct_dependency *deps;
    size_t ndeps, deps_cap;
} ct_sbom;

/** Parse an SBOM, detecting the format; *out NEW (ct_sbom_free). Errors carry source and a
 * JSON pointer or line/column. */
CT_EXTERN int ct_sbom_parse(ct_sbom **out, const ct_ctx *ctx, const char *data, size_t len,
                            const char *source);
/** Parse CycloneDX JSON 1.4, 1.5 or 1.6; *out NEW. */
CT_EXTERN int ct_sbom_parse_cyclonedx_json(ct_sbom **out, const ct_ctx *ctx, const char *data,
                                           size_t len, const char *source);
CT_EXTERN void ct_sbom_free(ct_sbom *sbom);

#endif

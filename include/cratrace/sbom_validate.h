/* sbom_validate: check an SBOM document against its format's rules ("cratrace sbom validate").
 * CycloneDX JSON: the structural rules of the CycloneDX 1.4-1.7 JSON schemas implemented in C,
 * plus semantic checks. CycloneDX XML: XSD validation with libxml2 when the schema directory is
 * available, else the same kind of structural checks in C; plus semantic checks. */
#ifndef CRATRACE_SBOM_VALIDATE_H
#define CRATRACE_SBOM_VALIDATE_H

#include "cratrace/base.h"

/** One problem: where (a JSON pointer such as "/components/0/type", or "line 12" for XML, or
 * "line:column" for a syntax error) and what. */
typedef struct ct_sbom_finding {
    char *location;
    char *message;
} ct_sbom_finding;

typedef struct ct_sbom_report {
    bool valid;           /* no errors */
    char *format;         /* "cyclonedx-json", "cyclonedx-xml"; NULL when not recognised */
    char *spec_version;   /* "1.6"; NULL when unknown */
    bool schema_checked;  /* XML: validated against bom-1.x.xsd (false: C checks only) */
    ct_sbom_finding *errors;
    size_t nerrors, errors_cap;
} ct_sbom_report;

/** Where the CycloneDX schema files (bom-1.x.xsd, spdx.xsd, spdx.schema.json) live. */
#define CT_CYCLONEDX_SCHEMA_ENV "CT_CYCLONEDX_SCHEMA_DIR"
#define CT_CYCLONEDX_SCHEMA_DEFAULT "../shared/conformance/cyclonedx/schema"

typedef struct ct_sbom_validate_options {
    unsigned version;       /* CT_SBOM_VALIDATE_OPTIONS_VERSION */
    const char *schema_dir; /* NULL: $CT_CYCLONEDX_SCHEMA_DIR, else CT_CYCLONEDX_SCHEMA_DEFAULT
                             * when that directory exists, else no schema files */
    bool no_schema;         /* never read schema files: C checks only */
} ct_sbom_validate_options;
#define CT_SBOM_VALIDATE_OPTIONS_VERSION 1
#define CT_SBOM_VALIDATE_OPTIONS_INIT { CT_SBOM_VALIDATE_OPTIONS_VERSION, NULL, false }

/** Validate data[0..len). Returns CT_OK whenever a report was produced (valid or not: look at
 * (*out)->valid); negative only when no report could be made (CT_ENOMEM, CT_ELIMIT on a document
 * larger than max_doc_bytes). *out NEW (ct_sbom_report_free). */
CT_EXTERN int ct_sbom_validate(ct_sbom_report **out, const ct_ctx *ctx, const char *data,
                               size_t len, const char *source);
/** As ct_sbom_validate() with options (opts NULL = defaults). */
CT_EXTERN int ct_sbom_validate_ex(ct_sbom_report **out, const ct_ctx *ctx, const char *data,
                                  size_t len, const char *source,
                                  const ct_sbom_validate_options *opts);
CT_EXTERN void ct_sbom_report_free(ct_sbom_report *report);

#endif

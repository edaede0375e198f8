/* sbom_validate: check an SBOM document against its format's rules ("cratrace sbom validate").
 * CycloneDX JSON: the structural rules of the CycloneDX 1.2-1.7 JSON schemas implemented in C,
 * plus semantic checks. CycloneDX XML: the same kind of structural rules in C over a streamed
 * document, or on request (CT_SBOM_XSD_*) libxml2's XSD validation of bom-1.x.xsd; plus
 * semantic checks. */
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
    char *format;         /* "cyclonedx-json", "cyclonedx-xml", "spdx-json", "spdx-tv"; NULL when
                           * not recognised */
    char *spec_version;   /* "1.6", "2.3"; NULL when unknown */
    bool schema_checked;  /* XML: validated against bom-1.x.xsd (false: the C rules); SPDX JSON:
                           * against the official spdx-schema of its version (false: C checks
                           * only) */
    ct_sbom_finding *errors;
    size_t nerrors, errors_cap;
} ct_sbom_report;

/** Where the CycloneDX schema files (bom-1.x.xsd, spdx.xsd, spdx.schema.json) live. */
#define CT_CYCLONEDX_SCHEMA_ENV "CT_CYCLONEDX_SCHEMA_DIR"
#define CT_CYCLONEDX_SCHEMA_DEFAULT "../shared/conformance/cyclonedx/schema"

/** Where the SPDX JSON schemas live: spdx-spec/schemas/spdx-schema.json (2.3) and
 * tools-java/resources/spdx-schema-v2.2.json / -v2.3.json, or those file names directly in it. */
#define CT_SPDX_SCHEMA_ENV "CT_SPDX_SCHEMA_DIR"
#define CT_SPDX_SCHEMA_DEFAULT "../shared/conformance/spdx"

typedef struct ct_sbom_validate_options {
    unsigned version;       /* CT_SBOM_VALIDATE_OPTIONS_VERSION */
    const char *schema_dir; /* NULL: $CT_CYCLONEDX_SCHEMA_DIR, else CT_CYCLONEDX_SCHEMA_DEFAULT
                             * when that directory exists, else no schema files */
    bool no_schema;         /* never read schema files (CycloneDX or SPDX): C checks only */
    int xsd;                /* CycloneDX XML, one of CT_SBOM_XSD_*: whether bom-1.x.xsd runs */
} ct_sbom_validate_options;
/* CycloneDX XML and the XSD: the C rules always run (streaming); the XSD (libxml2, also
 * streaming; replaces the C structural rules) runs only when asked. AUTO: when the folder was
 * named (schema_dir or $CT_CYCLONEDX_SCHEMA_DIR), not for the default folder. ON: always (the
 * folder as schema_dir says, default included). OFF: never (the folder, when found, still
 * supplies the SPDX licence ids of spdx.schema.json). */
#define CT_SBOM_XSD_AUTO 0
#define CT_SBOM_XSD_ON 1
#define CT_SBOM_XSD_OFF 2
#define CT_SBOM_VALIDATE_OPTIONS_VERSION 1
#define CT_SBOM_VALIDATE_OPTIONS_INIT                                                              \
    { CT_SBOM_VALIDATE_OPTIONS_VERSION, NULL, false, CT_SBOM_XSD_AUTO }

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

struct ct_sbom; /* cratrace/sbom.h */

/** ct_sbom_validate_ex() and ct_sbom_parse() in one: a CycloneDX JSON document is tokenized
 * once and both the rules and the reader run over that one tape (other formats: validator,
 * then reader). Returns as ct_sbom_validate_ex(); *report_out NEW (ct_sbom_report_free);
 * *sbom_out NEW (ct_sbom_free), or NULL when the reader refused the document (its error is
 * then ct_error_last()). */
CT_EXTERN int ct_sbom_parse_validate(struct ct_sbom **sbom_out, ct_sbom_report **report_out,
                                     const ct_ctx *ctx, const char *data, size_t len,
                                     const char *source, const ct_sbom_validate_options *opts);

#endif

/* Internal to SBOM validation: the SPDX 2.x validator (spdx_validate.c), called from the
 * dispatch in validate.c. */
#ifndef CT_SPDX_VALIDATE_INT_H
#define CT_SPDX_VALIDATE_INT_H

#include "cratrace/sbom.h"
#include "cratrace/sbom_validate.h"

/** Validate an SPDX JSON (json = true) or tag-value document data[0..len) (no BOM) into rep,
 * which the caller allocated (valid = true, no errors yet): sets rep->format ("spdx-json",
 * "spdx-tv"), rep->spec_version ("2.3"), rep->schema_checked (JSON checked against the official
 * schema file of its version) and appends every finding. The schema files are looked up as
 * ct_sbom__spdx_schema_dir() says. Returns CT_OK or CT_ENOMEM (rep then incomplete). */
int ct_sbom__validate_spdx(ct_sbom_report *rep, const ct_ctx *ctx, const char *data, size_t len,
                           const char *source, bool json, const ct_sbom_validate_options *opts);

/** ct_sbom_parse_validate on SPDX JSON (the dispatch in validate.c): data[0..len) (a UTF-8 BOM
 * allowed) is tokenized once, validated as ct_sbom__validate_spdx does and read from the same
 * tape (ct_sbom__spdx_json_read). *out NEW report; *sbom_out NEW model, or NULL when the reader
 * failed (its error, or the syntax error, then stays in ct_error_last()). Returns CT_OK,
 * CT_ELIMIT (larger than max_doc_bytes, nothing set) or CT_ENOMEM. */
int ct_sbom__parse_validate_spdx_json(ct_sbom **sbom_out, ct_sbom_report **out,
                                      const ct_ctx *ctx, const char *data, size_t len,
                                      const char *source, const ct_sbom_validate_options *opts);

/** The SPDX schema directory: NULL with opts->no_schema, else $CT_SPDX_SCHEMA_DIR when set,
 * else CT_SPDX_SCHEMA_DEFAULT when it exists, else NULL (built-in rules only). */
const char *ct_sbom__spdx_schema_dir(const ct_sbom_validate_options *opts);

/** Append one finding (where: a JSON pointer or "line N"; "/" when empty) and mark rep invalid.
 * CT_OK, or CT_ENOMEM with rep unchanged but for valid (validate.c). */
int ct_sbom__report_add(ct_sbom_report *rep, const char *where, const char *msg);

/** SPDX licence expression syntax (profile.c): term ((AND|OR) term)*, term = "(" expr ")" |
 * id ["+"] [WITH id]. */
bool ct_sbom__spdx_expression_ok(const char *v);

#endif

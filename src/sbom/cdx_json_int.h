/* Internal: the CycloneDX JSON reader and validator over one shared JSON tape, so that a
 * document is tokenized once for both (ct_sbom_parse_validate). */
#ifndef CT_CDX_JSON_INT_H
#define CT_CDX_JSON_INT_H

#include "cratrace/sbom.h"
#include "base/json_tape.h"

/** Read the model from a tokenized CycloneDX JSON document; *out NEW (ct_sbom_free). */
int ct_sbom__cdx_json_read(ct_sbom **out, const ct_ctx *ctx, const ct_jtape *tape,
                           const char *source);

#endif

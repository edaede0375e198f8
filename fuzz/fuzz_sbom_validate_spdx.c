/* Fuzz the SPDX validator (spdx_validate.c through ct_sbom_validate_ex) on JSON and tag-value
 * input with small limits: the first byte picks the schema source (odd = the built-in rules,
 * even = the schema files of $CT_SPDX_SCHEMA_DIR when set). Every finding of the report is read
 * so ASan sees any dangling or unterminated string. Then ct_sbom_parse_validate (SPDX JSON: one
 * tape for the validator and the reader) must give the same report, finding for finding. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cratrace/base.h"
#include "cratrace/sbom.h"
#include "cratrace/sbom_validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ct_ctx_options opts = CT_CTX_OPTIONS_INIT;
    ct_sbom_validate_options vo = CT_SBOM_VALIDATE_OPTIONS_INIT;
    ct_ctx *ctx = NULL;
    ct_sbom_report *r = NULL;
    volatile size_t sink = 0;

    if (size == 0)
        return 0;
    opts.limits.max_doc_bytes = 1u << 20;
    opts.limits.max_depth = 64;
    opts.limits.max_string_bytes = 64u << 10;
    opts.limits.max_components = 10000;
    opts.progress = false;
    if (ct_ctx_new(&ctx, &opts) < 0)
        abort();
    vo.no_schema = data[0] & 1;
    if (ct_sbom_validate_ex(&r, ctx, (const char *)data + 1, size - 1, "fuzz", &vo) == 0) {
        if (!r || r->valid != (r->nerrors == 0))
            abort(); /* a report, and valid exactly when it lists no error */
        sink += (r->format ? strlen(r->format) : 0) +
                (r->spec_version ? strlen(r->spec_version) : 0);
        for (size_t i = 0; i < r->nerrors; i++) {
            if (!r->errors[i].location || !r->errors[i].message)
                abort();
            sink += strlen(r->errors[i].location) + strlen(r->errors[i].message);
        }
    } else {
        sink += strlen(ct_error_format());
    }
    {
        ct_sbom_report *r2 = NULL;
        ct_sbom *m = NULL;
        int rc2 = ct_sbom_parse_validate(&m, &r2, ctx, (const char *)data + 1, size - 1, "fuzz",
                                         &vo);
        if ((rc2 == 0) != (r != NULL))
            abort();
        if (r && r2) {
            if (r->valid != r2->valid || r->nerrors != r2->nerrors ||
                r->schema_checked != r2->schema_checked)
                abort();
            for (size_t i = 0; i < r->nerrors; i++)
                if (strcmp(r->errors[i].location, r2->errors[i].location) != 0 ||
                    strcmp(r->errors[i].message, r2->errors[i].message) != 0)
                    abort();
        }
        if (m)
            sink += m->ncomponents + m->ndeps;
        ct_sbom_free(m);
        ct_sbom_report_free(r2);
    }
    (void)sink;
    ct_sbom_report_free(r);
    ct_ctx_free(ctx);
    return 0;
}

/* Fuzz the SPDX readers (2.2/2.3 JSON, 2.1/2.2/2.3 tag-value; the first byte picks: odd =
 * JSON) with small limits; every string of a parsed SBOM is read so ASan sees any dangling or
 * unterminated field. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cratrace/base.h"
#include "cratrace/sbom.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t touch(const char *s)
{
    return s ? strlen(s) : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ct_ctx_options opts = CT_CTX_OPTIONS_INIT;
    ct_ctx *ctx = NULL;
    ct_sbom *sbom = NULL;
    volatile size_t sink = 0;

    opts.limits.max_doc_bytes = 1u << 20;
    opts.limits.max_depth = 64;
    opts.limits.max_string_bytes = 64u << 10;
    opts.limits.max_components = 10000;
    opts.progress = false;
    if (ct_ctx_new(&ctx, &opts) < 0)
        abort();
    int rc;
    if (size == 0) {
        ct_ctx_free(ctx);
        return 0;
    }
    if (data[0] & 1)
        rc = ct_sbom_parse_spdx_json(&sbom, ctx, (const char *)data + 1, size - 1, "fuzz");
    else
        rc = ct_sbom_parse_spdx_tv(&sbom, ctx, (const char *)data + 1, size - 1, "fuzz");
    if (rc == 0) {
        if (!sbom)
            abort(); /* success must produce a document */
        sink += touch(sbom->format) + touch(sbom->spec_version) + touch(sbom->serial_number) +
                touch(sbom->name) + touch(sbom->version);
        for (size_t i = 0; i < sbom->ncomponents; i++) {
            const ct_component *c = &sbom->components[i];
            sink += touch(c->bom_ref) + touch(c->type) + touch(c->group) + touch(c->name) +
                    touch(c->version) + touch(c->purl) + touch(c->cpe) + touch(c->supplier) +
                    touch(c->hashes) + touch(c->licenses) + c->depth;
        }
        for (size_t i = 0; i < sbom->ndeps; i++)
            sink += touch(sbom->deps[i].ref) + touch(sbom->deps[i].depends_on);
    } else {
        sink += strlen(ct_error_format()); /* the error must be printable */
    }
    (void)sink;
    ct_sbom_free(sbom);
    ct_ctx_free(ctx);
    return 0;
}

/* Fuzz ct_sbom_parse_cyclonedx_xml (CycloneDX XML 1.0-1.7) with small limits; every
 * string of a parsed SBOM is read so ASan sees any dangling or unterminated field. The same
 * input then goes through the streaming XML validator (validate_xml.c, C rules, no schema
 * files) and every finding of its report is read. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cratrace/base.h"
#include "cratrace/sbom.h"
#include "cratrace/sbom_validate.h"

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
    if (ct_sbom_parse_cyclonedx_xml(&sbom, ctx, (const char *)data, size, "fuzz") == 0) {
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
    {
        ct_sbom_validate_options vo = CT_SBOM_VALIDATE_OPTIONS_INIT;
        ct_sbom_report *r = NULL;
        vo.no_schema = true;
        if (ct_sbom_validate_ex(&r, ctx, (const char *)data, size, "fuzz", &vo) == 0) {
            if (!r || r->valid != (r->nerrors == 0) || r->schema_checked)
                abort(); /* a report, valid exactly when it lists no error, no XSD */
            for (size_t i = 0; i < r->nerrors; i++) {
                if (!r->errors[i].location || !r->errors[i].message)
                    abort();
                sink += strlen(r->errors[i].location) + strlen(r->errors[i].message);
            }
        }
        ct_sbom_report_free(r);
    }
    (void)sink;
    ct_sbom_free(sbom);
    ct_ctx_free(ctx);
    return 0;
}

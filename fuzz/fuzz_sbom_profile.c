/* Fuzz the profile facts readers (CycloneDX JSON/XML, SPDX JSON/tag-value) on any input, and
 * the NTIA and BSI profiles on every input the model reader accepts, with small limits; every
 * finding string is read so ASan sees any dangling or unterminated one. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cratrace/base.h"
#include "cratrace/sbom_profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t touch(const char *s)
{
    return s ? strlen(s) : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const profiles[] = { "ntia", "bsi" };
    ct_ctx_options opts = CT_CTX_OPTIONS_INIT;
    ct_ctx *ctx = NULL;
    ct_sbom *sbom = NULL;
    ct_sbom_facts *facts = NULL;
    volatile size_t sink = 0;

    opts.limits.max_doc_bytes = 1u << 20;
    opts.limits.max_depth = 64;
    opts.limits.max_string_bytes = 64u << 10;
    opts.limits.max_components = 10000;
    opts.progress = false;
    if (ct_ctx_new(&ctx, &opts) < 0)
        abort();
    if (ct_sbom_facts_read(&facts, ctx, (const char *)data, size, "fuzz") == 0) {
        if (!facts)
            abort();
        sink += touch(facts->author) + touch(facts->author_contact) + touch(facts->timestamp);
        for (size_t i = 0; i < facts->ncomponents; i++)
            sink += touch(facts->components[i].ref) + touch(facts->components[i].filename) +
                    touch(facts->components[i].creator_contact) +
                    touch(facts->components[i].executable);
    }
    if (ct_sbom_parse(&sbom, ctx, (const char *)data, size, "fuzz") == 0) {
        ct_sbom_waiver w = { 1, NULL, NULL, (char *)(uintptr_t)"bsi",
                             (char *)(uintptr_t)"filename", NULL, (char *)(uintptr_t)"r",
                             (char *)(uintptr_t)"fuzz", 0 };
        for (size_t p = 0; p < 2; p++) {
            ct_sbom_profile_report *r = NULL;
            if (ct_sbom_profile_check(&r, sbom, facts, profiles[p], &w, 1) < 0)
                continue;
            if (r->satisfied + r->failed + r->waived != r->checks ||
                r->nfindings != r->failed + r->waived)
                abort(); /* the report's bookkeeping must hold for any input */
            for (size_t i = 0; i < r->nfindings; i++)
                sink += touch(r->findings[i].component) + touch(r->findings[i].message) +
                        touch(r->findings[i].purl) + touch(r->findings[i].field);
            ct_sbom_profile_report_free(r);
        }
        ct_sbom_free(sbom);
    }
    ct_sbom_facts_free(facts);
    ct_ctx_free(ctx);
    (void)sink;
    return 0;
}

/* Fuzz the JSON tape (src/base/json_tape.c) against json-c: whatever the tape accepts json-c
 * accepts too (except a bare top-level number or literal, which json-c leaves unfinished) with the same
 * values; every value and pointer is read back. Then the CycloneDX reader and validator run
 * over one tape (ct_sbom_parse_validate). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cratrace/base.h"
#include "cratrace/sbom.h"
#include "cratrace/sbom_validate.h"
#include "base/json_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ct_ctx_options opts = CT_CTX_OPTIONS_INIT;
    ct_ctx *ctx = NULL;
    ct_jtape t = CT_JTAPE_INIT;
    json_object *o = NULL;
    ct_sbom *sbom = NULL;
    ct_sbom_report *rep = NULL;
    ct_sbom_validate_options vo = CT_SBOM_VALIDATE_OPTIONS_INIT;
    const char *d = (const char *)data;
    volatile size_t sink = 0;
    char why[256], ptr[256];

    opts.limits.max_doc_bytes = 1u << 20;
    opts.limits.max_depth = 64;
    opts.limits.max_components = 10000;
    opts.progress = false;
    if (ct_ctx_new(&ctx, &opts) < 0)
        abort();
    int trc = ct_jtape_parse(&t, ctx, d, size, "fuzz", 0);
    int jrc = ct_json_parse(&o, ctx, d, size, "fuzz", 0);
    if (trc == 0) {
        /* every value in document order: into containers, past scalars */
        for (ct_jval v = 0; v < t.n;) {
            size_t n = 0;
            ct_jt_type ty = ct_jt_type_of(&t, v);
            if (ty == CT_JT_STRING) {
                const char *s = ct_jt_str(&t, v, &n);
                for (size_t i = 0; i < n; i++)
                    sink += (unsigned char)s[i];
            }
            sink += (size_t)ct_jt_int64(&t, v) + ct_jt_count(&t, v);
            sink += ct_jt_pointer(ptr, sizeof ptr, &t, v);
            v = ty == CT_JT_ARRAY || ty == CT_JT_OBJECT ? v + 2 : ct_jt_skip(&t, v);
        }
        if (jrc == 0 && !ct_json__tape_same(&t, 0, o, why, sizeof why)) {
            fprintf(stderr, "tape and json-c differ: %s\n", why);
            abort();
        }
        if (jrc != 0 && ct_jt_type_of(&t, 0) != CT_JT_NUMBER &&
            ct_jt_type_of(&t, 0) != CT_JT_BOOL && ct_jt_type_of(&t, 0) != CT_JT_NULL) {
            fprintf(stderr, "tape accepts what json-c rejects: %s\n", ct_error_format());
            abort();
        }
    } else {
        sink += strlen(ct_error_format());
    }
    ct_jtape_dispose(&t);
    json_object_put(o);
    vo.no_schema = true;
    if (ct_sbom_parse_validate(&sbom, &rep, ctx, d, size, "fuzz", &vo) == 0) {
        for (size_t i = 0; i < rep->nerrors; i++)
            sink += strlen(rep->errors[i].location) + strlen(rep->errors[i].message);
        for (size_t i = 0; sbom && i < sbom->ncomponents; i++)
            sink += strlen(sbom->components[i].name) + strlen(sbom->components[i].type);
    }
    (void)sink;
    ct_sbom_free(sbom);
    ct_sbom_report_free(rep);
    ct_ctx_free(ctx);
    return 0;
}

/* Fuzz ct_feed_read_csaf (one document, an array or JSON lines); the callback reads every field
 * of each advisory so ASan sees any dangling or unterminated string. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cratrace/base.h"
#include "cratrace/feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t touch(const char *s)
{
    return s ? strlen(s) : 0;
}

static int on_advisory(const ct_advisory *a, void *payload)
{
    size_t n = touch(a->id) + touch(a->source) + touch(a->summary) + touch(a->severity) +
               touch(a->cvss);
    char buf[32];

    if (a->published != CT_TIME_NONE)
        ct_time_format(buf, a->published);
    if (a->modified != CT_TIME_NONE)
        ct_time_format(buf, a->modified);
    if (a->withdrawn != CT_TIME_NONE)
        ct_time_format(buf, a->withdrawn);
    for (size_t i = 0; i < a->naliases; i++)
        n += touch(a->aliases[i]);
    for (size_t i = 0; i < a->nranges; i++) {
        const ct_affected_range *r = &a->ranges[i];
        n += touch(r->ecosystem) + touch(r->package) + touch(r->pkg_key) + touch(r->scheme) +
             touch(r->range_type) + touch(r->vers);
    }
    *(size_t *)payload += n + a->unmatchable;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ct_ctx_options opts = CT_CTX_OPTIONS_INIT;
    ct_ctx *ctx = NULL;
    size_t sink = 0;

    opts.limits.max_doc_bytes = 1u << 20;
    opts.limits.max_depth = 64;
    opts.limits.max_string_bytes = 64u << 10;
    opts.progress = false;
    if (ct_ctx_new(&ctx, &opts) < 0)
        abort();
    if (ct_feed_read_csaf(ctx, (const char *)data, size, "fuzz", on_advisory, &sink) < 0)
        sink += strlen(ct_error_format()); /* the error must be printable */
    ct_ctx_free(ctx);
    return 0;
}

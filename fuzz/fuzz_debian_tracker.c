/* Fuzz ct_feed_read_debian (Debian security tracker JSON, or a DSA/DLA list); the
 * callbacks read every field of each advisory and reject so ASan sees any dangling string. */
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
    size_t n = touch(a->id) + touch(a->source) + touch(a->summary);
    for (size_t i = 0; i < a->naliases; i++)
        n += touch(a->aliases[i]);
    for (size_t i = 0; i < a->nranges; i++) {
        const ct_affected_range *r = &a->ranges[i];
        n += touch(r->ecosystem) + touch(r->package) + touch(r->pkg_key) + touch(r->scheme) +
             touch(r->range_type) + touch(r->vers);
    }
    *(size_t *)payload += n;
    return 0;
}

static void on_reject(const char *where, const char *reason, void *payload)
{
    *(size_t *)payload += touch(where) + touch(reason);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ct_ctx_options opts = CT_CTX_OPTIONS_INIT;
    ct_ctx *ctx = NULL;
    ct_feed_distro_stats stats = { 0 };
    size_t sink = 0;

    opts.limits.max_doc_bytes = 1u << 20;
    opts.limits.max_depth = 64;
    opts.limits.max_string_bytes = 64u << 10;
    opts.progress = false;
    if (ct_ctx_new(&ctx, &opts) < 0)
        abort();
    if (ct_feed_read_debian(ctx, (const char *)data, size, "fuzz", on_advisory, on_reject, &sink,
                           &stats) < 0)
        sink += strlen(ct_error_format()); /* the error must be printable */
    if (stats.records > stats.fixed_versions + stats.packages + size)
        abort(); /* a record comes from an entry of the input */
    ct_ctx_free(ctx);
    return 0;
}

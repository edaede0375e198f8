/* Fuzz ct_feed_read_secdb (Alpine secdb YAML through libyaml, or its JSON form for Alpine and
 * Wolfi); the callbacks read every field of each advisory and reject so ASan sees any dangling string. */
#include "fuzz_feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ct_ctx *ctx = fuzz_ctx();
    ct_feed_distro_stats stats = { 0 };
    size_t sink = 0;

    if (ct_feed_read_secdb(ctx, (const char *)data, size, "fuzz", fuzz_on_advisory, fuzz_on_reject, &sink,
            &stats) < 0)
        sink += strlen(ct_error_format()); /* the error must be printable */
    if (stats.records > stats.fixed_versions + stats.packages + size)
        abort(); /* a record comes from an entry of the input */
    ct_ctx_free(ctx);
    return 0;
}

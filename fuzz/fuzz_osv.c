/* Fuzz ct_feed_read_osv (one object, an array or JSON lines); the callback reads every field
 * of each advisory so ASan sees any dangling or unterminated string. */
#include "fuzz_feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ct_ctx *ctx = fuzz_ctx();
    size_t sink = 0;

    if (ct_feed_read_osv(ctx, (const char *)data, size, "fuzz", fuzz_on_advisory, &sink) < 0)
        sink += strlen(ct_error_format()); /* the error must be printable */
    ct_ctx_free(ctx);
    return 0;
}

/* Fuzz ct_feed_read_osv (one object, an array or JSON lines); the callback reads every field
 * of each advisory so ASan sees any dangling or unterminated string. Differential: the json_tape
 * reader must emit what the json-c reader it replaced emits (ct_feed__read_osv_jsonc), record
 * for record, and fail with the same code, message and location; any difference aborts. */
#include "fuzz_feed.h"
#include "feed/feed_int.h"

#include <stdio.h>

static int render(const ct_advisory *a, void *payload)
{
    ct_buf *d = payload;
    size_t sink = 0;
    fuzz_on_advisory(a, &sink);
    ct_buf_printf(d, "%s|%s|%s|%s|%s|%lld|%lld|%lld|%zu|%zu|%zu\n", a->id, a->source,
                  a->summary ? a->summary : "-", a->severity ? a->severity : "-",
                  a->cvss ? a->cvss : "-", (long long)a->published, (long long)a->modified,
                  (long long)a->withdrawn, a->naliases, a->nrelated, a->unmatchable);
    for (size_t i = 0; i < a->naliases; i++)
        ct_buf_printf(d, "a %s\n", a->aliases[i]);
    for (size_t i = 0; i < a->nrelated; i++)
        ct_buf_printf(d, "r %s\n", a->related[i]);
    for (size_t i = 0; i < a->nranges; i++) {
        const ct_affected_range *r = &a->ranges[i];
        ct_buf_printf(d, "%s|%s|%s|%s|%s|%s\n", r->ecosystem, r->package, r->pkg_key, r->scheme,
                      r->range_type, r->vers);
    }
    return 0;
}

static void outcome(ct_buf *d, int rc)
{
    const ct_error *e = ct_error_last();
    ct_buf_printf(d, "rc=%d\n", rc);
    if (rc < 0)
        ct_buf_printf(d, "%d %u %u %lld %s %s\n", e->code, e->line, e->column,
                      (long long)e->offset, e->pointer ? e->pointer : "-", ct_error_format());
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ct_ctx *ctx = fuzz_ctx();
    ct_buf a = CT_BUF_INIT, b = CT_BUF_INIT;

    ct_error_clear();
    outcome(&a, ct_feed_read_osv(ctx, (const char *)data, size, "fuzz", render, &a));
    ct_error_clear();
    outcome(&b, ct_feed__read_osv_jsonc(ctx, (const char *)data, size, "fuzz", render, &b));
    if (!a.failed && !b.failed && strcmp(a.ptr, b.ptr) != 0) {
        fprintf(stderr, "tape reader:\n%s\njson-c reader:\n%s\n", a.ptr, b.ptr);
        abort();
    }
    ct_buf_dispose(&a);
    ct_buf_dispose(&b);
    ct_ctx_free(ctx);
    return 0;
}

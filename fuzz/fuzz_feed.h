/* Shared parts of the advisory-reader fuzz targets: a context with small limits and callbacks
 * that read every field of each advisory (and each reject) so ASan sees any dangling or
 * unterminated string. Header-only: each fuzz_*.c is its own executable. */
#ifndef CT_FUZZ_FEED_H
#define CT_FUZZ_FEED_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cratrace/base.h"
#include "cratrace/feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline size_t fuzz_touch(const char *s)
{
    return s ? strlen(s) : 0;
}

static inline int fuzz_on_advisory(const ct_advisory *a, void *payload)
{
    size_t n = fuzz_touch(a->id) + fuzz_touch(a->source) + fuzz_touch(a->summary) +
               fuzz_touch(a->severity) + fuzz_touch(a->cvss);
    char buf[32];

    if (a->published != CT_TIME_NONE)
        ct_time_format(buf, a->published);
    if (a->modified != CT_TIME_NONE)
        ct_time_format(buf, a->modified);
    if (a->withdrawn != CT_TIME_NONE)
        ct_time_format(buf, a->withdrawn);
    for (size_t i = 0; i < a->naliases; i++)
        n += fuzz_touch(a->aliases[i]);
    for (size_t i = 0; i < a->nranges; i++) {
        const ct_affected_range *r = &a->ranges[i];
        n += fuzz_touch(r->ecosystem) + fuzz_touch(r->package) + fuzz_touch(r->pkg_key) +
             fuzz_touch(r->scheme) + fuzz_touch(r->range_type) + fuzz_touch(r->vers);
    }
    *(size_t *)payload += n + a->unmatchable;
    return 0;
}

static inline void fuzz_on_reject(const char *where, const char *reason, void *payload)
{
    *(size_t *)payload += fuzz_touch(where) + fuzz_touch(reason);
}

/* A context with the limits every reader target uses; aborts when it cannot be made. */
static inline ct_ctx *fuzz_ctx(void)
{
    ct_ctx_options opts = CT_CTX_OPTIONS_INIT;
    ct_ctx *ctx = NULL;

    opts.limits.max_doc_bytes = 1u << 20;
    opts.limits.max_depth = 64;
    opts.limits.max_string_bytes = 64u << 10;
    opts.progress = false;
    if (ct_ctx_new(&ctx, &opts) < 0)
        abort();
    return ctx;
}

#endif

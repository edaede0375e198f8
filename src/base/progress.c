/* Progress on a terminal (stderr), silent otherwise; rate-limited to ~10 updates/s. */
#define _POSIX_C_SOURCE 200809L
#include "cratrace/base.h"
#include "base_int.h"

#include <stdio.h>
#include <unistd.h>

struct ct_progress {
    const char *label;
    uint64_t total, done;
    double started, last;
};

ct_progress *ct_progress_start(const ct_ctx *ctx, const char *label, uint64_t total)
{
    ct_progress *p;
    if (!ctx || !ctx->opts.progress || !isatty(STDERR_FILENO))
        return NULL;
    if (!(p = ct_calloc(1, sizeof *p)))
        return NULL;
    p->label = label;
    p->total = total;
    p->started = p->last = ct_clock_mono();
    return p;
}

void ct_progress_update(ct_progress *p, uint64_t done)
{
    double now;
    if (!p)
        return;
    p->done = done;
    now = ct_clock_mono();
    if (now - p->last < 0.1)
        return;
    p->last = now;
    if (p->total)
        fprintf(stderr, "\r%s: %llu/%llu (%.0f%%)", p->label, (unsigned long long)done,
                (unsigned long long)p->total, 100.0 * (double)done / (double)p->total);
    else
        fprintf(stderr, "\r%s: %llu", p->label, (unsigned long long)done);
    fflush(stderr);
}

void ct_progress_end(ct_progress *p)
{
    if (!p)
        return;
    fprintf(stderr, "\r%s: %llu done in %.1f s\n", p->label, (unsigned long long)p->done,
            ct_clock_mono() - p->started);
    ct_free(p);
}

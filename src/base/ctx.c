/* ct_ctx: limits, clock and settings passed explicitly instead of globals. */
#define _POSIX_C_SOURCE 200809L
#include "cratrace/base.h"
#include "base_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

int ct_ctx_new(ct_ctx **out, const ct_ctx_options *opts)
{
    ct_ctx_options defaults = CT_CTX_OPTIONS_INIT;
    ct_ctx *ctx;

    if (!out)
        return ct_error_set(CT_EINVAL, "ct_ctx_new: out is NULL");
    *out = NULL;
    if (opts && opts->version != CT_CTX_OPTIONS_VERSION)
        return ct_error_set(CT_EINVAL, "ct_ctx_options version %u not supported", opts->version);
    if (!(ctx = ct_calloc(1, sizeof *ctx)))
        return ct_error_set(CT_ENOMEM, "out of memory");
    ctx->opts = opts ? *opts : defaults;
    ctx->fixed_now = CT_TIME_NONE;
    *out = ctx;
    return 0;
}

void ct_ctx_free(ct_ctx *ctx)
{
    ct_free(ctx);
}

const ct_limits *ct_ctx_limits(const ct_ctx *ctx)
{
    static const ct_ctx_options defaults = CT_CTX_OPTIONS_INIT;
    return ctx ? &ctx->opts.limits : &defaults.limits;
}

ct_time ct_ctx_now(const ct_ctx *ctx)
{
    if (ctx && ctx->fixed_now != CT_TIME_NONE)
        return ctx->fixed_now;
    if (ctx && ctx->opts.clock)
        return ctx->opts.clock(ctx->opts.clock_payload);
    return (ct_time)time(NULL);
}

void ct_ctx_set_now(ct_ctx *ctx, ct_time now)
{
    if (ctx)
        ctx->fixed_now = now;
}

void ct_ctx_log(const ct_ctx *ctx, int level, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    if (!ctx || !ctx->opts.log)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap); /* a longer report is cut, never dropped */
    va_end(ap);
    ctx->opts.log(level, line, ctx->opts.log_payload);
}

const char *ct_version_string(void)
{
    return CT_VERSION_STRING;
}

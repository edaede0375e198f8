/* The thread-local error slot and the status-code table (STYLE §4). */
#include "cratrace/base.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MSG_MAX 2048

typedef struct {
    ct_error err;
    char msg[MSG_MAX];
    char src[512];
    char ptr[512];
    char formatted[MSG_MAX + 1200];
    /* A deferred message (ct_error_set_lazy): lazy_fmt non-NULL until the first read formats
     * it into msg. Every reader of err goes through ct_error_last() or materialize(). */
    const char *lazy_fmt;
    size_t lazy_n, lazy_at;
    char lazy_arg[CT_ERROR_LAZY_ARG_MAX];
} err_slot;

static _Thread_local err_slot slot = { { 0, "no error", NULL, 0, 0, -1, NULL }, "", "", "", "",
                                       NULL, 0, 0, "" };

/* Format a deferred message into slot.msg; the format was checked when the caller was
 * compiled (see CT_ERROR_SET_LAZY in base.h), so it is not a literal here. */
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#endif
static void materialize(void)
{
    const char *fmt = slot.lazy_fmt;
    slot.lazy_fmt = NULL;
    snprintf(slot.msg, sizeof slot.msg, fmt, (int)slot.lazy_n, slot.lazy_arg, slot.lazy_at);
    slot.err.message = slot.msg;
}
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

const ct_error *ct_error_last(void)
{
    if (__builtin_expect(slot.lazy_fmt != NULL, 0))
        materialize();
    if (slot.err.message == NULL)
        slot.err.message = "no error";
    return &slot.err;
}

int ct_error_set_lazy(int code, const char *fmt, const char *arg, size_t n, size_t at)
{
    if (n > sizeof slot.lazy_arg)
        n = sizeof slot.lazy_arg;
    if (n > 0)
        memcpy(slot.lazy_arg, arg, n);
    slot.lazy_fmt = fmt;
    slot.lazy_n = n;
    slot.lazy_at = at;
    slot.err.code = code;
    slot.err.message = slot.msg; /* filled in by materialize() on the first read */
    slot.err.source = NULL;
    slot.err.pointer = NULL;
    slot.err.line = slot.err.column = 0;
    slot.err.offset = -1;
    return code;
}

static int set_v(const ct_loc *loc, int code, const char *fmt, va_list ap) CT_PRINTF(3, 0);

static int set_v(const ct_loc *loc, int code, const char *fmt, va_list ap)
{
    /* Format into a scratch buffer first: an argument may point into slot.msg itself (a
     * message wrapped in a new one). Copy only what was written: invalid versions set an
     * error per comparison, and a full MSG_MAX copy was 15 % of a semver compare run. */
    char tmp[MSG_MAX];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    size_t len = n < 0 ? 0 : (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1;
    tmp[len] = '\0';
    memcpy(slot.msg, tmp, len + 1);
    slot.lazy_fmt = NULL;
    slot.err.code = code;
    slot.err.message = slot.msg;
    slot.err.source = NULL;
    slot.err.line = slot.err.column = 0;
    slot.err.offset = -1;
    slot.err.pointer = NULL;
    if (loc) {
        if (loc->source) {
            snprintf(slot.src, sizeof slot.src, "%s", loc->source);
            slot.err.source = slot.src;
        }
        if (loc->pointer) {
            snprintf(slot.ptr, sizeof slot.ptr, "%s", loc->pointer);
            slot.err.pointer = slot.ptr;
        }
        slot.err.line = loc->line;
        slot.err.column = loc->column;
        slot.err.offset = loc->offset;
    }
    return code;
}

int ct_error_set(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_v(NULL, code, fmt, ap);
    va_end(ap);
    return code;
}

int ct_error_set_at(const ct_loc *loc, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_v(loc, code, fmt, ap);
    va_end(ap);
    return code;
}

int ct_error_prefix(const char *fmt, ...)
{
    char tmp[MSG_MAX];
    if (slot.lazy_fmt)
        materialize();
    const char *old = slot.err.message ? slot.err.message : "";
    size_t n;
    va_list ap;
    va_start(ap, fmt);
    n = (size_t)vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < sizeof tmp - 3) {
        memcpy(tmp + n, ": ", 2);
        n += 2;
        size_t m = strlen(old);
        if (m > sizeof tmp - 1 - n)
            m = sizeof tmp - 1 - n;
        memmove(tmp + n, old, m);
        tmp[n + m] = '\0';
    }
    memcpy(slot.msg, tmp, sizeof tmp);
    slot.err.message = slot.msg;
    if (slot.err.code == 0)
        slot.err.code = CT_EFAIL;
    return slot.err.code;
}

void ct_error_clear(void)
{
    slot.lazy_fmt = NULL;
    slot.err.code = 0;
    slot.err.message = "no error";
    slot.err.source = NULL;
    slot.err.pointer = NULL;
    slot.err.line = slot.err.column = 0;
    slot.err.offset = -1;
}

const char *ct_error_format(void)
{
    const ct_error *e = ct_error_last();
    char where[1200] = "";
    size_t n = 0;

    if (e->source) {
        if (e->line)
            n = (size_t)snprintf(where, sizeof where, "%s:%u:%u: ", e->source, e->line,
                                 e->column);
        else if (e->offset >= 0)
            n = (size_t)snprintf(where, sizeof where, "%s: byte %lld: ", e->source,
                                 (long long)e->offset);
        else
            n = (size_t)snprintf(where, sizeof where, "%s: ", e->source);
    } else if (e->line) {
        n = (size_t)snprintf(where, sizeof where, "line %u:%u: ", e->line, e->column);
    }
    if (e->pointer && n < sizeof where)
        snprintf(where + n, sizeof where - n, "%s: ", e->pointer[0] ? e->pointer : "/");
    snprintf(slot.formatted, sizeof slot.formatted, "%s%s", where, e->message);
    return slot.formatted;
}

const char *ct_error_name(int code)
{
    switch (code) {
    case CT_OK:
        return "CT_OK";
#define CT_X_(name, val, http, text)                                                               \
    case CT_##name:                                                                                \
        return "CT_" #name;
        CT_ERROR_MAP(CT_X_)
#undef CT_X_
    default:
        return "CT_EFAIL";
    }
}

const char *ct_strerror(int code)
{
    switch (code) {
    case CT_OK:
        return "success";
#define CT_X_(name, val, http, text)                                                               \
    case CT_##name:                                                                                \
        return text;
        CT_ERROR_MAP(CT_X_)
#undef CT_X_
    default:
        return "unspecified failure";
    }
}

int ct_error_http_status(int code)
{
    switch (code) {
    case CT_OK:
        return 200;
#define CT_X_(name, val, http, text)                                                               \
    case CT_##name:                                                                                \
        return http;
        CT_ERROR_MAP(CT_X_)
#undef CT_X_
    default:
        return 500;
    }
}

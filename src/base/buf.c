/* ct_buf: the one growable string, with a hard cap and a sticky failure flag. */
#include "cratrace/base.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

char ct_buf__empty[1] = "";

#define DEFAULT_MAX ((size_t)1 << 30)

int ct_buf_grow(ct_buf *b, size_t extra)
{
    size_t need, cap, max = b->max ? b->max : DEFAULT_MAX;
    char *p;

    if (b->failed)
        return CT_ENOMEM;
    if (__builtin_add_overflow(b->len, extra, &need) || need + 1 > max + 1) {
        b->failed = true;
        return ct_error_set(CT_ELIMIT, "buffer would exceed %zu bytes", max);
    }
    if (need + 1 <= b->cap)
        return 0;
    cap = b->cap ? b->cap : 64;
    while (cap < need + 1)
        cap = cap > SIZE_MAX / 2 ? need + 1 : cap * 2;
    p = ct_reallocarray(b->cap ? b->ptr : NULL, cap, 1);
    if (!p) {
        b->failed = true;
        return ct_error_set(CT_ENOMEM, "out of memory growing a buffer to %zu bytes", cap);
    }
    if (!b->cap)
        p[0] = '\0';
    b->ptr = p;
    b->cap = cap;
    return 0;
}

int ct_buf_put(ct_buf *b, const void *data, size_t len)
{
    int rc;
    if ((rc = ct_buf_grow(b, len)) < 0)
        return rc;
    if (len)
        memcpy(b->ptr + b->len, data, len);
    b->len += len;
    b->ptr[b->len] = '\0';
    return 0;
}

int ct_buf_puts(ct_buf *b, const char *s)
{
    return ct_buf_put(b, s, strlen(s));
}

int ct_buf_putc(ct_buf *b, char c)
{
    return ct_buf_put(b, &c, 1);
}

int ct_buf_printf(ct_buf *b, const char *fmt, ...)
{
    va_list ap;
    int n, rc;
    char small[256];

    va_start(ap, fmt);
    n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return ct_error_set(CT_EFAIL, "formatting failed");
    if ((size_t)n < sizeof small)
        return ct_buf_put(b, small, (size_t)n);
    if ((rc = ct_buf_grow(b, (size_t)n)) < 0)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

int ct_buf_json_str(ct_buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    const unsigned char *run = p;

    ct_buf_putc(b, '"');
    for (; *p; p++) {
        if (*p >= 0x20 && *p != '"' && *p != '\\')
            continue;
        ct_buf_put(b, run, (size_t)(p - run));
        switch (*p) {
        case '"':
            ct_buf_puts(b, "\\\"");
            break;
        case '\\':
            ct_buf_puts(b, "\\\\");
            break;
        case '\n':
            ct_buf_puts(b, "\\n");
            break;
        case '\r':
            ct_buf_puts(b, "\\r");
            break;
        case '\t':
            ct_buf_puts(b, "\\t");
            break;
        default: {
            char esc[7] = { '\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15], 0 };
            ct_buf_puts(b, esc);
        }
        }
        run = p + 1;
    }
    ct_buf_put(b, run, (size_t)(p - run));
    ct_buf_putc(b, '"');
    return b->failed ? CT_ENOMEM : 0;
}

void ct_buf_reset(ct_buf *b)
{
    b->len = 0;
    if (b->cap)
        b->ptr[0] = '\0';
    b->failed = false;
}

char *ct_buf_detach(ct_buf *b)
{
    char *p = b->cap ? b->ptr : ct_strdup("");
    b->ptr = ct_buf__empty;
    b->len = b->cap = 0;
    b->failed = false;
    return p;
}

void ct_buf_dispose(ct_buf *b)
{
    if (b->cap)
        ct_free(b->ptr);
    b->ptr = ct_buf__empty;
    b->len = b->cap = 0;
    b->failed = false;
}

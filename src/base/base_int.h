/* Internal definitions shared by the base module sources. */
#ifndef CT_BASE_INT_H
#define CT_BASE_INT_H

#include "cratrace/base.h"

#ifndef CT_VERSION_STRING
#define CT_VERSION_STRING "0.1.0"
#endif

struct ct_ctx {
    ct_ctx_options opts;
    ct_time fixed_now;
};

/** Length (2-4) of the UTF-8 sequence at u[0..avail) whose first byte is >= 0x80, by RFC 3629:
 * no overlong forms, surrogates or code points past U+10FFFF; 0 when it is not a well-formed
 * one. The one decoding step of ct_utf8_valid (str.c) and the JSON tokenizer's string scan
 * (json_tape.c), so both judge every byte alike (spdx8). */
static inline size_t ct_utf8__seq(const unsigned char *u, size_t avail)
{
    unsigned c = u[0];
    size_t n;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 1;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 2;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 3;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (avail <= n)
        return 0;
    for (size_t k = 1; k <= n; k++) {
        if ((u[k] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (u[k] & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n + 1;
}

#endif

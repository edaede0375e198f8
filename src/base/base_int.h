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

/** The value 0-15 of the hex digit c (either case), -1 when c is not one. The one hex digit
 * reader of the purl and CPE parsers and the HTTP request target decoder (ct_pct_decode). */
static inline int ct_hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/** Decode the %XX escapes of s[0..n) into d, which has room for n + 1 bytes; plus_space: '+'
 * is a space (HTML form / query string rule). d is NUL-terminated and *len_out its length.
 * *nul_at (may be NULL) gets the offset in s of the first raw byte or escape that decodes to
 * NUL, SIZE_MAX when none. Returns false at the first '%' that two hex digits do not follow,
 * with *bad_at its offset in s (nothing after it is decoded); true otherwise. The decoded bytes
 * are not checked as UTF-8: callers do. The one percent decoder of the purl parser and the HTTP
 * request target (router.c); inline, so that the purl parser's call (no '+' rule, no NUL
 * position) compiles to the plain byte loop it had. */
static inline bool ct_pct_decode(char *d, size_t *len_out, const char *s, size_t n,
                                 bool plus_space, size_t *bad_at, size_t *nul_at)
{
    size_t j = 0, nul = SIZE_MAX;
    bool ok = true;

    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '%') {
            int hi = n - i < 3 ? -1 : ct_hexval(s[i + 1]), lo = hi < 0 ? -1 : ct_hexval(s[i + 2]);
            if (lo < 0) {
                *bad_at = i;
                ok = false;
                break;
            }
            c = (char)(hi * 16 + lo);
            if (c == '\0' && nul == SIZE_MAX)
                nul = i;
            i += 2;
        } else if (c == '+' && plus_space) {
            c = ' ';
        } else if (c == '\0' && nul == SIZE_MAX) {
            nul = i;
        }
        d[j++] = c;
    }
    d[j] = '\0';
    *len_out = j;
    if (nul_at)
        *nul_at = nul;
    return ok;
}

#endif

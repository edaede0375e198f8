/* Locale-free ASCII helpers, checked integer parsing, UTF-8 validation. */
#include "cratrace/base.h"
#include "base_int.h"

#include <string.h>

bool ct_ascii_isdigit(char c)
{
    return c >= '0' && c <= '9';
}

bool ct_ascii_isalpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool ct_ascii_isalnum(char c)
{
    return ct_ascii_isdigit(c) || ct_ascii_isalpha(c);
}

char ct_ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

int ct_ascii_casecmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        char ca = ct_ascii_lower(*a), cb = ct_ascii_lower(*b);
        if (ca != cb || !ca)
            return (unsigned char)ca - (unsigned char)cb;
    }
}

int ct_parse_i64(int64_t *out, const char *s, size_t len, int64_t min, int64_t max)
{
    size_t i = 0;
    bool neg = false;
    int64_t v = 0;

    if (len && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        i = 1;
    }
    if (i == len)
        return ct_error_set(CT_EPARSE, "expected a number");
    for (; i < len; i++) {
        if (!ct_ascii_isdigit(s[i]))
            return ct_error_set(CT_EPARSE, "expected a number, found '%c'", s[i]);
        if (__builtin_mul_overflow(v, 10, &v) ||
            __builtin_add_overflow(v, neg ? -(s[i] - '0') : (s[i] - '0'), &v))
            return ct_error_set(CT_ELIMIT, "number out of range");
    }
    if (v < min || v > max)
        return ct_error_set(CT_ELIMIT, "number %lld outside [%lld, %lld]", (long long)v,
                            (long long)min, (long long)max);
    *out = v;
    return 0;
}

bool ct_utf8_valid(const char *s, size_t len, size_t *bad_at)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < len) {
        size_t n;
        if (p[i] == 0)
            goto bad;
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        if (!(n = ct_utf8__seq(p + i, len - i))) /* base_int.h: the tokenizer's step too */
            goto bad;
        i += n;
    }
    return true;
bad:
    if (bad_at)
        *bad_at = i;
    return false;
}

char *ct_text_excerpt(const char *s, size_t max)
{
    static const char ellipsis[] = "\xe2\x80\xa6"; /* U+2026 */
    size_t n = strcspn(s, "\r\n"), cut;
    char *out;

    if (n <= max)
        return ct_strndup(s, n);
    cut = max;
    while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80) /* not inside a sequence */
        cut--;
    for (size_t i = cut; i > max / 2; i--)
        if (s[i] == ' ') {
            cut = i;
            break;
        }
    while (cut > 0 && (s[cut - 1] == ' ' || s[cut - 1] == ',' || s[cut - 1] == ';' ||
                       s[cut - 1] == ':'))
        cut--;
    if (!(out = ct_malloc(cut + sizeof ellipsis)))
        return NULL;
    memcpy(out, s, cut);
    memcpy(out + cut, ellipsis, sizeof ellipsis);
    return out;
}

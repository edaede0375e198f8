/* Fallback schemes. "generic": runs of digits and runs of letters are segments (anything else
 * separates them); two numeric segments compare by value, otherwise bytewise; a version that is
 * a prefix of another sorts first. "lexicographic": plain byte (= code point) order of UTF-8. */
#include "version/scheme.h"

#include <string.h>

static int generic_validate(const char *v, size_t len)
{
    if (len == 0)
        return ct_error_set(CT_EPARSE, "invalid version: empty");
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)v[i];
        if (c <= 0x20 || c == 0x7f)
            return ct_error_set(CT_EPARSE,
                                "invalid version: control character or blank at offset %zu", i);
    }
    return 0;
}

static bool seg_char(unsigned char c)
{
    return ct_version__isdigit(c) || ct_version__isalpha(c) || c >= 0x80;
}

/* Next segment starting at *pos; false when none is left. */
static bool next_segment(const char *v, size_t len, size_t *pos, size_t *start, size_t *n,
                         bool *numeric)
{
    size_t i = *pos;
    while (i < len && !seg_char((unsigned char)v[i]))
        i++;
    if (i >= len) {
        *pos = len;
        return false;
    }
    *start = i;
    *numeric = ct_version__isdigit((unsigned char)v[i]);
    while (i < len && seg_char((unsigned char)v[i]) &&
           ct_version__isdigit((unsigned char)v[i]) == *numeric)
        i++;
    *n = i - *start;
    *pos = i;
    return true;
}

static int generic_compare(int *cmp_out, const char *a, size_t alen, const char *b, size_t blen)
{
    int rc;
    if ((rc = generic_validate(a, alen)) < 0 || (rc = generic_validate(b, blen)) < 0)
        return rc;
    size_t i = 0, j = 0;
    for (;;) {
        size_t as = 0, an = 0, bs = 0, bn = 0;
        bool anum = false, bnum = false;
        bool ha = next_segment(a, alen, &i, &as, &an, &anum);
        bool hb = next_segment(b, blen, &j, &bs, &bn, &bnum);
        if (!ha || !hb) {
            *cmp_out = (int)ha - (int)hb;
            return 0;
        }
        int c;
        if (anum && bnum) {
            c = ct_version__numcmp(a + as, an, b + bs, bn);
        } else {
            c = memcmp(a + as, b + bs, an < bn ? an : bn);
            if (c == 0)
                c = (an > bn) - (an < bn);
        }
        if (c != 0) {
            *cmp_out = c < 0 ? -1 : 1;
            return 0;
        }
    }
}

const ct_version_scheme ct_version_scheme_generic = { "generic", generic_validate,
                                                      generic_compare };

static int lex_validate(const char *v, size_t len)
{
    size_t bad_at = 0;
    if (len == 0)
        return ct_error_set(CT_EPARSE, "invalid version: empty");
    if (!ct_utf8_valid(v, len, &bad_at))
        return ct_error_set(CT_EPARSE, "invalid version: bad UTF-8 at offset %zu", bad_at);
    return 0;
}

static int lex_compare(int *cmp_out, const char *a, size_t alen, const char *b, size_t blen)
{
    int rc;
    if ((rc = lex_validate(a, alen)) < 0 || (rc = lex_validate(b, blen)) < 0)
        return rc;
    int c = memcmp(a, b, alen < blen ? alen : blen);
    if (c == 0)
        c = (alen > blen) - (alen < blen);
    *cmp_out = c < 0 ? -1 : c > 0;
    return 0;
}

const ct_version_scheme ct_version_scheme_lexicographic = { "lexicographic", lex_validate,
                                                            lex_compare };

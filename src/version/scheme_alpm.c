/* Arch Linux package versions as pacman's alpm_pkg_vercmp(): [epoch:]pkgver[-pkgrel], each
 * part ordered by libalpm's rpmvercmp (which, unlike librpm's, knows no '~' or '^' and lets
 * a longer separator run win); pkgrel only counts when both versions have one. */
#include "version/scheme.h"

#include <string.h>

typedef struct {
    const char *s;
    size_t n;
} span;

static bool alnum(unsigned char c)
{
    return ct_version__isdigit(c) || ct_version__isalpha(c);
}

static int alpm_validate(const char *v, size_t len)
{
    if (len == 0)
        return ct_error_set(CT_EPARSE, "invalid alpm version: empty");
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)v[i];
        if (c <= 0x20 || c >= 0x7f)
            return ct_error_set(CT_EPARSE,
                                "invalid alpm version: blank, control or non-ASCII byte at "
                                "offset %zu",
                                i);
    }
    return 0;
}

/* libalpm parseEVR(): epoch only if the leading digits end at ':'; release after the last
 * '-' following them. */
static void parse_evr(const char *v, size_t len, span *e, span *ver, span *rel, bool *has_rel)
{
    size_t s = 0;
    while (s < len && ct_version__isdigit((unsigned char)v[s]))
        s++;
    size_t dash = len;
    for (size_t k = len; k > s; k--)
        if (v[k - 1] == '-') {
            dash = k - 1;
            break;
        }
    size_t vstart = 0;
    if (s < len && v[s] == ':') {
        *e = s ? (span){ v, s } : (span){ "0", 1 };
        vstart = s + 1;
    } else {
        *e = (span){ "0", 1 };
    }
    *has_rel = dash < len;
    *ver = (span){ v + vstart, (dash < len ? dash : len) - vstart };
    *rel = *has_rel ? (span){ v + dash + 1, len - dash - 1 } : (span){ "", 0 };
}

#define AT(x, k) ((k) < (x).n ? (unsigned char)(x).s[k] : 0u)

static int seg_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    int c = memcmp(a, b, an < bn ? an : bn);
    if (c == 0)
        c = (an > bn) - (an < bn);
    return c < 0 ? -1 : c > 0;
}

static int vercmp(span a, span b)
{
    size_t one = 0, two = 0, p1 = 0, p2 = 0;
    if (a.n == b.n && memcmp(a.s, b.s, a.n) == 0)
        return 0;
    while (one < a.n && two < b.n) {
        while (one < a.n && !alnum(AT(a, one)))
            one++;
        while (two < b.n && !alnum(AT(b, two)))
            two++;
        if (one >= a.n || two >= b.n)
            break;
        if (one - p1 != two - p2)
            return one - p1 < two - p2 ? -1 : 1;
        p1 = one;
        p2 = two;
        bool isnum = ct_version__isdigit(AT(a, p1));
        if (isnum) {
            while (ct_version__isdigit(AT(a, p1)))
                p1++;
            while (ct_version__isdigit(AT(b, p2)))
                p2++;
        } else {
            while (ct_version__isalpha(AT(a, p1)))
                p1++;
            while (ct_version__isalpha(AT(b, p2)))
                p2++;
        }
        if (two == p2)
            return isnum ? 1 : -1;
        int c;
        if (isnum)
            c = ct_version__numcmp(a.s + one, p1 - one, b.s + two, p2 - two);
        else
            c = seg_cmp(a.s + one, p1 - one, b.s + two, p2 - two);
        if (c != 0)
            return c;
        one = p1;
        two = p2;
    }
    if (one >= a.n && two >= b.n)
        return 0;
    if ((one >= a.n && !ct_version__isalpha(AT(b, two))) || ct_version__isalpha(AT(a, one)))
        return -1;
    return 1;
}

static int alpm_compare(int *cmp_out, const char *a, size_t alen, const char *b, size_t blen)
{
    int rc;
    if ((rc = alpm_validate(a, alen)) < 0 || (rc = alpm_validate(b, blen)) < 0)
        return rc;
    if (alen == blen && memcmp(a, b, alen) == 0) {
        *cmp_out = 0;
        return 0;
    }
    span ea, va, ra, eb, vb, rb;
    bool ha, hb;
    parse_evr(a, alen, &ea, &va, &ra, &ha);
    parse_evr(b, blen, &eb, &vb, &rb, &hb);
    int c = vercmp(ea, eb);
    if (c == 0)
        c = vercmp(va, vb);
    if (c == 0 && ha && hb)
        c = vercmp(ra, rb);
    *cmp_out = c;
    return 0;
}

const ct_version_scheme ct_version_scheme_alpm = { "alpm", alpm_validate, alpm_compare };

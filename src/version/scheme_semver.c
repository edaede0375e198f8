/* Strict SemVer 2.0.0 (semver.org): validation and §11 precedence, build metadata ignored.
 * Also the shared parts comparator used by npm, golang and cargo. */
#include "version/scheme.h"

#include <string.h>

static int bad(const char *why, size_t at)
{
    return ct_error_set(CT_EPARSE, "invalid semver: %s at offset %zu", why, at);
}

/* A numeric identifier: "0" or [1-9][0-9]* (§2). */
static int parse_core_num(const char **s_out, size_t *n_out, const char *v, size_t len,
                          size_t *pos, const char *what)
{
    size_t i = *pos, start = i;
    while (i < len && ct_version__isdigit((unsigned char)v[i]))
        i++;
    if (i == start)
        return ct_error_set(CT_EPARSE, "invalid semver: %s is not a number (offset %zu)", what,
                            start);
    if (v[start] == '0' && i - start > 1)
        return ct_error_set(CT_EPARSE, "invalid semver: leading zero in %s (offset %zu)", what,
                            start);
    *s_out = v + start;
    *n_out = i - start;
    *pos = i;
    return 0;
}

/* Byte classes for identifiers: bit 0 [0-9A-Za-z-], bit 1 digit, bit 2 '.'. */
static const unsigned char ident_class[256] = {
    ['-'] = 1, ['.'] = 4,
    ['0'] = 3, ['1'] = 3, ['2'] = 3, ['3'] = 3, ['4'] = 3,
    ['5'] = 3, ['6'] = 3, ['7'] = 3, ['8'] = 3, ['9'] = 3,
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1,
    ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1,
    ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
    ['Y'] = 1, ['Z'] = 1,
    ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1,
    ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1,
    ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
    ['y'] = 1, ['z'] = 1,
};

/* Dot-separated identifiers [0-9A-Za-z-]+; numeric ones without leading zeros if strict_num.
 * One table load per byte; the per-identifier checks run at each dot and at the end. */
static int scan_idents(const char *v, size_t len, size_t *pos, bool strict_num)
{
    const unsigned char *s = (const unsigned char *)v;
    size_t i = *pos, start = i;
    unsigned numeric = 2;
    for (;; i++) {
        unsigned c = i < len ? ident_class[s[i]] : 0;
        if (c & 1u) {
            numeric &= c;
            continue;
        }
        if (i == start)
            return bad("empty identifier", start);
        if (strict_num && numeric && s[start] == '0' && i - start > 1)
            return bad("leading zero in numeric pre-release identifier", start);
        if (c != 4)
            break;
        start = i + 1;
        numeric = 2;
    }
    *pos = i;
    return 0;
}

/* MAJOR.MINOR.PATCH of a version of at most 32 bytes from a digit mask: each number ends at
 * the first non-digit (count trailing zeros), so the only branches are the validity checks.
 * *pos_out is where the core ends; false when the core is not valid, for parse_core() to find
 * the exact error. */
static bool fast_core(ct_semver_parts *out, size_t *pos_out, const char *v, size_t len)
{
    unsigned char buf[32];
    if (!ct_version__load32(buf, (const unsigned char *)v, len))
        return false;
    uint64_t nd = ~(uint64_t)ct_version__digit_mask32(buf); /* bits >= 32: not digits */
    size_t start = 0;
    for (int k = 0; k < 3; k++) {
        size_t end = start + (size_t)__builtin_ctzll(nd >> start);
        size_t n = end - start;
        /* empty, or a leading zero, or (k < 2) not followed by '.' */
        if (n == 0 || (buf[start] == '0' && n > 1) || (k < 2 && (end >= len || buf[end] != '.')))
            return false;
        out->num[k] = v + start;
        out->numlen[k] = n;
        start = end + 1;
    }
    *pos_out = start - 1;
    return true;
}

int ct_version__semver_parse(ct_semver_parts *out, const char *v, size_t len)
{
    static const char *const what[3] = { "major", "minor", "patch" };
    size_t pos = 0;
    int rc;

    if (len == 0)
        return bad("empty version", 0);
    if (__builtin_expect(fast_core(out, &pos, v, len), 1))
        goto core_done;
    pos = 0;
    for (int k = 0; k < 3; k++) {
        if (k > 0) {
            if (pos >= len || v[pos] != '.')
                return bad("expected MAJOR.MINOR.PATCH", pos);
            pos++;
        }
        if ((rc = parse_core_num(&out->num[k], &out->numlen[k], v, len, &pos, what[k])) < 0)
            return rc;
    }
core_done:
    out->pre = NULL;
    out->prelen = 0;
    if (pos < len && v[pos] == '-') {
        size_t start = ++pos;
        if ((rc = scan_idents(v, len, &pos, true)) < 0)
            return rc;
        out->pre = v + start;
        out->prelen = pos - start;
    }
    if (pos < len && v[pos] == '+') {
        pos++;
        if ((rc = scan_idents(v, len, &pos, false)) < 0)
            return rc;
    }
    if (pos != len)
        return bad("unexpected character", pos);
    return 0;
}

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!ct_version__isdigit((unsigned char)s[i]))
            return false;
    return true;
}

/* §11.4: identifiers left to right; numeric < alphanumeric; more identifiers win on a tie. */
static int cmp_pre(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t i = 0, j = 0;
    for (;;) {
        if (i >= alen || j >= blen)
            return (i < alen) - (j < blen);
        size_t ai = i, bj = j;
        while (i < alen && a[i] != '.')
            i++;
        while (j < blen && b[j] != '.')
            j++;
        bool an = all_digits(a + ai, i - ai), bn = all_digits(b + bj, j - bj);
        int c;
        if (an && bn) {
            c = ct_version__numcmp(a + ai, i - ai, b + bj, j - bj);
        } else if (an != bn) {
            c = an ? -1 : 1;
        } else {
            size_t la = i - ai, lb = j - bj;
            c = memcmp(a + ai, b + bj, la < lb ? la : lb);
            if (c == 0)
                c = (la > lb) - (la < lb);
        }
        if (c != 0)
            return c < 0 ? -1 : 1;
        if (i < alen)
            i++;
        if (j < blen)
            j++;
        if (i >= alen && j >= blen)
            return 0;
    }
}

int ct_version__semver_cmp_parts(const ct_semver_parts *a, const ct_semver_parts *b)
{
    for (int k = 0; k < 3; k++) {
        int c = ct_version__numcmp(a->num[k], a->numlen[k], b->num[k], b->numlen[k]);
        if (c != 0)
            return c;
    }
    if (a->pre == NULL || b->pre == NULL)
        return (a->pre == NULL) - (b->pre == NULL);
    return cmp_pre(a->pre, a->prelen, b->pre, b->prelen);
}

static int semver_validate(const char *v, size_t len)
{
    ct_semver_parts p;
    return ct_version__semver_parse(&p, v, len);
}

static int semver_compare(int *cmp_out, const char *a, size_t alen, const char *b, size_t blen)
{
    ct_semver_parts pa, pb;
    int rc;
    if (alen == blen && ct_version__common_prefix(a, b, alen) == alen) {
        if ((rc = ct_version__semver_parse(&pa, a, alen)) < 0) /* the same string */
            return rc;
        *cmp_out = 0;
        return 0;
    }
    if ((rc = ct_version__semver_parse(&pa, a, alen)) < 0 ||
        (rc = ct_version__semver_parse(&pb, b, blen)) < 0)
        return rc;
    *cmp_out = ct_version__semver_cmp_parts(&pa, &pb);
    return 0;
}

const ct_version_scheme ct_version_scheme_semver = { "semver", semver_validate, semver_compare };

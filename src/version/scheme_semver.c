/* Strict SemVer 2.0.0 (semver.org): validation and §11 precedence, build metadata ignored.
 * Also the shared parts comparator used by npm, golang and cargo. */
#include "version/scheme.h"

#include <string.h>

/* An invalid version is common in compare loops (38 % of the generated semver pairs): the
 * message is formatted only if someone reads it (ct_error_set_lazy). why is a literal. */
#define bad(why, at)                                                                               \
    CT_ERROR_SET_LAZY(CT_EPARSE, "invalid semver: %.*s at offset %zu", (why), sizeof(why) - 1, (at))

/* A numeric identifier: "0" or [1-9][0-9]* (§2). */
static int parse_core_num(const char **s_out, size_t *n_out, const char *v, size_t len,
                          size_t *pos, const char *what)
{
    size_t i = *pos, start = i;
    while (i < len && ct_version__isdigit((unsigned char)v[i]))
        i++;
    if (i == start)
        return CT_ERROR_SET_LAZY(CT_EPARSE, "invalid semver: %.*s is not a number (offset %zu)",
                                 what, strlen(what), start);
    if (v[start] == '0' && i - start > 1)
        return CT_ERROR_SET_LAZY(CT_EPARSE, "invalid semver: leading zero in %.*s (offset %zu)",
                                 what, strlen(what), start);
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
    if (len == 0 || len > 32)
        return false;
    /* bits >= len: not digits */
    uint64_t nd = ~(uint64_t)ct_version__digit_mask((const unsigned char *)v, len);
    size_t start = 0;
    for (int k = 0; k < 3; k++) {
        size_t end = start + (size_t)__builtin_ctzll(nd >> start);
        size_t n = end - start;
        /* empty, or a leading zero, or (k < 2) not followed by '.' */
        if (n == 0 || (v[start] == '0' && n > 1) || (k < 2 && (end >= len || v[end] != '.')))
            return false;
        out->num[k] = v + start;
        out->numlen[k] = n;
        start = end + 1;
    }
    *pos_out = start - 1;
    return true;
}

/* Byte classes of a version of 4..32 bytes as bit masks (bit k: byte k), from overlapping
 * in-bounds SSE2 loads; false for other lengths or without SSE2. */
typedef struct {
    uint64_t ident, dot, plus, digit, zero;
} tail_masks;

static bool class_masks(tail_masks *m, const unsigned char *s, size_t len)
{
#if defined(__SSE2__)
    uint32_t lo[5], hi[5];
    size_t shift;
    __m128i x[2];
    if (len >= 16 && len <= 32) {
        memcpy(&x[0], s, 16);
        memcpy(&x[1], s + len - 16, 16);
        shift = len - 16;
    } else if (len >= 8 && len < 16) {
        uint64_t a, b;
        memcpy(&a, s, 8);
        memcpy(&b, s + len - 8, 8);
        x[0] = _mm_set_epi64x(0, (long long)a);
        x[1] = _mm_set_epi64x(0, (long long)b);
        shift = len - 8;
    } else if (len >= 4 && len < 8) {
        uint32_t a, b;
        memcpy(&a, s, 4);
        memcpy(&b, s + len - 4, 4);
        x[0] = _mm_set_epi32(0, 0, 0, (int)a);
        x[1] = _mm_set_epi32(0, 0, 0, (int)b);
        shift = len - 4;
    } else {
        return false;
    }
    const __m128i c0 = _mm_set1_epi8('0'), c9 = _mm_set1_epi8(9), ca = _mm_set1_epi8('a'),
                  c25 = _mm_set1_epi8(25), c20 = _mm_set1_epi8(0x20),
                  cdash = _mm_set1_epi8('-'), cdot = _mm_set1_epi8('.'),
                  cplus = _mm_set1_epi8('+');
    for (int k = 0; k < 2; k++) {
        __m128i d = _mm_sub_epi8(x[k], c0), l = _mm_sub_epi8(_mm_or_si128(x[k], c20), ca);
        __m128i isd = _mm_cmpeq_epi8(_mm_min_epu8(d, c9), d);
        __m128i isl = _mm_cmpeq_epi8(_mm_min_epu8(l, c25), l);
        __m128i isid = _mm_or_si128(_mm_or_si128(isd, isl), _mm_cmpeq_epi8(x[k], cdash));
        uint32_t *o = k ? hi : lo;
        o[0] = (uint32_t)_mm_movemask_epi8(isid);
        o[1] = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(x[k], cdot));
        o[2] = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(x[k], cplus));
        o[3] = (uint32_t)_mm_movemask_epi8(isd);
        o[4] = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(x[k], c0));
    }
    uint64_t keep = len >= 16 ? 0xffffu : len >= 8 ? 0xffu : 0xfu, r[5];
    for (int k = 0; k < 5; k++)
        r[k] = ((uint64_t)lo[k] & keep) | (((uint64_t)hi[k] & keep) << shift);
    m->ident = r[0];
    m->dot = r[1];
    m->plus = r[2];
    m->digit = r[3];
    m->zero = r[4];
    return true;
#else
    (void)m, (void)s, (void)len;
    return false;
#endif
}

/* Bits [a, b) of a mask, 0 <= a <= b <= 32. */
static inline uint64_t bits(size_t a, size_t b)
{
    return ((UINT64_C(1) << b) - 1) & ~((UINT64_C(1) << a) - 1);
}

/* Dot-separated identifiers filling [a, b): non-empty, only [0-9A-Za-z-] and '.', no empty
 * identifier. */
static inline bool idents_ok(const tail_masks *m, size_t a, size_t b)
{
    if (a >= b)
        return false;
    uint64_t r = bits(a, b);
    return ((m->ident | m->dot) & r) == r && !(m->dot & (UINT64_C(1) << a)) &&
           !(m->dot & (UINT64_C(1) << (b - 1))) && !(m->dot & (m->dot >> 1) & r);
}

/* Pre-release and build metadata from pos to the end of a version of at most 32 bytes, all in
 * one pass of byte-class masks. False when the tail is not plainly valid, or has a numeric-
 * looking identifier starting with '0' (leading zero?): scan_idents() then decides and finds
 * the exact error. */
static bool fast_tail(ct_semver_parts *out, const char *v, size_t len, size_t pos)
{
    tail_masks m;
    if (!class_masks(&m, (const unsigned char *)v, len))
        return false;
    size_t end = len;
    if (v[pos] == '-') {
        size_t a = pos + 1;
        uint64_t plus = m.plus & bits(a, len);
        end = plus ? (size_t)__builtin_ctzll(plus) : len;
        if (!idents_ok(&m, a, end))
            return false;
        /* identifier starts holding '0' followed by a digit */
        uint64_t starts = ((UINT64_C(1) << a) | (m.dot << 1)) & bits(a, end);
        if (starts & m.zero & (m.digit >> 1) & bits(a, end - 1))
            return false;
        out->pre = v + a;
        out->prelen = end - a;
    } else if (v[pos] == '+') {
        end = pos;
    } else {
        return false;
    }
    if (end < len && !idents_ok(&m, end + 1, len))
        return false;
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
    if (pos == len)
        return 0;
    if (len <= 32 && fast_tail(out, v, len, pos))
        return 0;
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

/* Debian versions [epoch:]upstream[-revision], parsed and ordered exactly as dpkg's
 * parseversion() and verrevcmp() (Debian Policy §5.6.12). Problems dpkg only warns about
 * (no leading digit, odd characters) are accepted, as dpkg --compare-versions does. */
#include "version/scheme.h"

#include <limits.h>

typedef struct {
    int64_t epoch;
    const char *ver;
    size_t verlen;
    const char *rev;
    size_t revlen;
} deb_parts;

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static int bad(const char *why)
{
    return ct_error_set(CT_EPARSE, "invalid Debian version: %s", why);
}

/* Epoch as strtol(…, 10) reads it in dpkg: optional sign, digits, ending at the colon. */
static int parse_epoch(int64_t *out, const char *s, size_t n)
{
    size_t i = 0;
    bool neg = false;
    int64_t val = 0;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        neg = s[i++] == '-';
    if (i == n)
        return bad("epoch is empty");
    for (; i < n; i++) {
        if (!ct_version__isdigit((unsigned char)s[i]))
            return bad("epoch is not a number");
        if (val <= INT_MAX)
            val = val * 10 + (s[i] - '0');
    }
    if (neg && val != 0)
        return bad("epoch is negative");
    if (val > INT_MAX)
        return bad("epoch is too big");
    *out = val;
    return 0;
}

static int deb_parse(deb_parts *p, const char *v, size_t len)
{
    size_t i = 0, end, colon = SIZE_MAX, hyphen = SIZE_MAX;
    int rc;

    while (i < len && (v[i] == ' ' || v[i] == '\t')) /* dpkg trims c_isblank() only */
        i++;
    for (end = i; end < len && !is_space((unsigned char)v[end]); end++) {
        if (v[end] == '\0')
            return bad("contains NUL");
        if (v[end] == ':' && colon == SIZE_MAX)
            colon = end;
        if (v[end] == '-')
            hyphen = end;
    }
    for (size_t k = end; k < len; k++) {
        if (v[k] == '\0')
            return bad("contains NUL");
        if (!is_space((unsigned char)v[k]))
            return bad("embedded spaces");
    }
    if (i == end)
        return bad("empty version");
    p->epoch = 0;
    if (colon != SIZE_MAX) {
        if ((rc = parse_epoch(&p->epoch, v + i, colon - i)) < 0)
            return rc;
        i = colon + 1;
        if (i == end)
            return bad("nothing after the epoch colon");
    }
    p->ver = v + i;
    if (hyphen != SIZE_MAX && hyphen >= i) {
        p->verlen = hyphen - i;
        p->rev = v + hyphen + 1;
        p->revlen = end - hyphen - 1;
        if (p->revlen == 0)
            return bad("revision is empty");
    } else {
        p->verlen = end - i;
        p->rev = "";
        p->revlen = 0;
    }
    if (p->verlen == 0)
        return bad("upstream version is empty");
    return 0;
}

/* Byte kinds for deb_split(): bit 0 ':', bit 1 '-', bit 2 a byte deb_parse() must look at
 * (blank, NUL). */
static const unsigned char split_kind[256] = {
    [0] = 4, ['\t'] = 4, ['\n'] = 4, ['\v'] = 4, ['\f'] = 4, ['\r'] = 4, [' '] = 4,
    [':'] = 1, ['-'] = 2,
};

/* deb_parse() for the usual shape — no blanks, no NUL, an epoch of at most 9 plain digits — in
 * one pass without data-dependent branches (first colon, last hyphen by conditional moves);
 * anything else goes to deb_parse(), which gives the same parts or the error. */
static int deb_split(deb_parts *p, const char *v, size_t len)
{
    const unsigned char *s = (const unsigned char *)v;
    size_t colon = len, hyphen = len;
    unsigned seen = 0;
    uint32_t m[3];
    if (ct_version__scan3(m, s, len, ':', '-')) {
        seen = m[2] ? 4u : 0u; /* any byte <= 0x20: deb_parse() decides */
        colon = m[0] ? (size_t)__builtin_ctz(m[0]) : len;
        hyphen = m[1] ? (size_t)(31 - __builtin_clz(m[1])) : len;
    } else {
        for (size_t k = 0; k < len; k++) {
            unsigned kind = split_kind[s[k]];
            seen |= kind;
            hyphen = (kind & 2u) ? k : hyphen;
            colon = (kind & 1u & (unsigned)(colon == len)) ? k : colon;
        }
    }
    if (__builtin_expect((seen & 4u) != 0 || len == 0 || colon == 0 || (colon != len && colon > 9),
                         0))
        return deb_parse(p, v, len);
    size_t i = 0;
    p->epoch = 0;
    if (colon != len) {
        int64_t e = 0;
        for (; i < colon; i++) {
            if (!ct_version__isdigit(s[i]))
                return deb_parse(p, v, len);
            e = e * 10 + (s[i] - '0');
        }
        p->epoch = e;
        if (++i == len)
            return deb_parse(p, v, len);
    }
    p->ver = v + i;
    if (hyphen != len && hyphen >= i) {
        p->verlen = hyphen - i;
        p->rev = v + hyphen + 1;
        p->revlen = len - hyphen - 1;
        if (p->revlen == 0)
            return deb_parse(p, v, len);
    } else {
        p->verlen = len - i;
        p->rev = "";
        p->revlen = 0;
    }
    if (p->verlen == 0)
        return deb_parse(p, v, len);
    return 0;
}

/* dpkg order(): digits 0, letters themselves, '~' -1, end 0, anything else c + 256 where c is
 * a signed char (x86), so bytes >= 0x80 land at 128..255, between letters and punctuation.
 * As a table indexed by the byte (0 stands for the end of the string: NUL is rejected by
 * deb_parse), generated from that rule; test_schemes.c checks the boundaries. Non-zero exactly
 * for the bytes dpkg's non-digit loop consumes. */
static const int16_t order[256] = {
    0, 257, 258, 259, 260, 261, 262, 263, 264, 265, 266, 267, 268, 269, 270, 271,
    272, 273, 274, 275, 276, 277, 278, 279, 280, 281, 282, 283, 284, 285, 286, 287,
    288, 289, 290, 291, 292, 293, 294, 295, 296, 297, 298, 299, 300, 301, 302, 303,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 314, 315, 316, 317, 318, 319,
    320, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79,
    80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 347, 348, 349, 350, 351,
    352, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111,
    112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 379, 380, 381, -1, 383,
    128, 129, 130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 140, 141, 142, 143,
    144, 145, 146, 147, 148, 149, 150, 151, 152, 153, 154, 155, 156, 157, 158, 159,
    160, 161, 162, 163, 164, 165, 166, 167, 168, 169, 170, 171, 172, 173, 174, 175,
    176, 177, 178, 179, 180, 181, 182, 183, 184, 185, 186, 187, 188, 189, 190, 191,
    192, 193, 194, 195, 196, 197, 198, 199, 200, 201, 202, 203, 204, 205, 206, 207,
    208, 209, 210, 211, 212, 213, 214, 215, 216, 217, 218, 219, 220, 221, 222, 223,
    224, 225, 226, 227, 228, 229, 230, 231, 232, 233, 234, 235, 236, 237, 238, 239,
    240, 241, 242, 243, 244, 245, 246, 247, 248, 249, 250, 251, 252, 253, 254, 255,
};

/* dpkg verrevcmp() on byte ranges: alternate non-digit runs (compared by order) and digit runs
 * (compared by value: leading zeros skipped, then length, then the first differing digit). One
 * table load per byte and no function calls; i and j may step one past their end, as dpkg's
 * pointers step onto the NUL. */
static int verrevcmp(const char *a, size_t alen, const char *b, size_t blen)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    size_t i = 0, j = 0;
    while (i < alen || j < blen) {
        for (;;) {
            int oa = order[i < alen ? x[i] : 0], ob = order[j < blen ? y[j] : 0];
            if ((oa | ob) == 0)
                break;
            if (oa != ob)
                return oa < ob ? -1 : 1;
            i++;
            j++;
        }
        while (i < alen && x[i] == '0')
            i++;
        while (j < blen && y[j] == '0')
            j++;
        size_t si = i, sj = j;
        while (i < alen && ct_version__isdigit(x[i]))
            i++;
        while (j < blen && ct_version__isdigit(y[j]))
            j++;
        if (i - si != j - sj)
            return i - si < j - sj ? -1 : 1;
        for (size_t k = 0; k < i - si; k++)
            if (x[si + k] != y[sj + k])
                return x[si + k] < y[sj + k] ? -1 : 1;
    }
    return 0;
}

/* verrevcmp() started where the two strings part: bytes before the first difference d compare
 * equal, and dpkg's walk over them is the same for both, so it can start at the last segment
 * boundary before d — 0, or a p < d where a digit run ends (a[p - 1] digit, a[p] not): there
 * both walks have just finished a digit run with equal results. */
static int verrevcmp_skip(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t d = ct_version__common_prefix(a, b, alen < blen ? alen : blen), p = d;
    while (p > 0 && !(p < d && !ct_version__isdigit((unsigned char)a[p]) &&
                      ct_version__isdigit((unsigned char)a[p - 1])))
        p--;
    return verrevcmp(a + p, alen - p, b + p, blen - p);
}

static int deb_validate(const char *v, size_t len)
{
    deb_parts p;
    return deb_parse(&p, v, len);
}

static int deb_compare(int *cmp_out, const char *a, size_t alen, const char *b, size_t blen)
{
    deb_parts pa, pb;
    int rc;
    if (alen == blen && ct_version__common_prefix(a, b, alen) == alen) {
        if ((rc = deb_split(&pa, a, alen)) < 0) /* the same string: valid or not, equal */
            return rc;
        *cmp_out = 0;
        return 0;
    }
    if ((rc = deb_split(&pa, a, alen)) < 0 || (rc = deb_split(&pb, b, blen)) < 0)
        return rc;
    if (pa.epoch != pb.epoch) {
        *cmp_out = pa.epoch < pb.epoch ? -1 : 1;
        return 0;
    }
    int c = verrevcmp_skip(pa.ver, pa.verlen, pb.ver, pb.verlen);
    if (c == 0)
        c = verrevcmp_skip(pa.rev, pa.revlen, pb.rev, pb.revlen);
    *cmp_out = c;
    return 0;
}

const ct_version_scheme ct_version_scheme_deb = { "deb", deb_validate, deb_compare };
const ct_version_scheme ct_version_scheme_debian = { "debian", deb_validate, deb_compare };

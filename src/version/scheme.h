/* Internal: the version-scheme vtable, the registry and helpers shared by scheme_*.c. */
#ifndef CT_VERSION_SCHEME_H
#define CT_VERSION_SCHEME_H

#include "cratrace/version.h"

#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

typedef struct ct_version_scheme {
    const char *name; /* vers / purl-type style name */
    int (*validate)(const char *v, size_t len); /* 0 or CT_EPARSE with reason via ct_error_set */
    int (*compare)(int *cmp_out, const char *a, size_t alen, const char *b,
                   size_t blen); /* <0,0,>0; CT_EPARSE if invalid */
} ct_version_scheme;

/* ---- registry (registry.c) ------------------------------------------------------------- */

/** Scheme by exact (lowercase) name or alias; NULL if unknown. */
const ct_version_scheme *ct_version_scheme_find(const char *name);
/** Same for a name that is not NUL-terminated. */
const ct_version_scheme *ct_version_scheme_findn(const char *name, size_t len);
/** Number of registry rows (aliases included). */
size_t ct_version_scheme_count(void);
/** Row i in name order, NULL past the end (tests assert the order). */
const ct_version_scheme *ct_version_scheme_at(size_t i);

/* ---- schemes (scheme_*.c) -------------------------------------------------------------- */

extern const ct_version_scheme ct_version_scheme_semver;
extern const ct_version_scheme ct_version_scheme_npm;
extern const ct_version_scheme ct_version_scheme_golang;
extern const ct_version_scheme ct_version_scheme_go; /* alias of golang */
extern const ct_version_scheme ct_version_scheme_cargo;
extern const ct_version_scheme ct_version_scheme_pypi;
extern const ct_version_scheme ct_version_scheme_deb;
extern const ct_version_scheme ct_version_scheme_debian; /* alias of deb */
extern const ct_version_scheme ct_version_scheme_rpm;
extern const ct_version_scheme ct_version_scheme_generic;
extern const ct_version_scheme ct_version_scheme_lexicographic;
extern const ct_version_scheme ct_version_scheme_alpm;
extern const ct_version_scheme ct_version_scheme_apk;
extern const ct_version_scheme ct_version_scheme_composer;
extern const ct_version_scheme ct_version_scheme_conan;
extern const ct_version_scheme ct_version_scheme_datetime;
extern const ct_version_scheme ct_version_scheme_gem;
extern const ct_version_scheme ct_version_scheme_gentoo;
extern const ct_version_scheme ct_version_scheme_maven;
extern const ct_version_scheme ct_version_scheme_nginx;
extern const ct_version_scheme ct_version_scheme_nuget;
extern const ct_version_scheme ct_version_scheme_openssl;

/* ---- shared helpers -------------------------------------------------------------------- */

/** Compare two ASCII digit strings by value: leading zeros stripped, then length, then bytes.
 *  Inline: it runs several times per comparison in most schemes. */
static inline int ct_version__numcmp(const char *a, size_t alen, const char *b, size_t blen)
{
    while (alen > 0 && *a == '0') {
        a++;
        alen--;
    }
    while (blen > 0 && *b == '0') {
        b++;
        blen--;
    }
    if (alen != blen)
        return alen < blen ? -1 : 1;
    for (size_t k = 0; k < alen; k++)
        if (a[k] != b[k])
            return (unsigned char)a[k] < (unsigned char)b[k] ? -1 : 1;
    return 0;
}

/** SemVer-shaped version as spans into the input (no copies). */
typedef struct ct_semver_parts {
    const char *num[3];
    size_t numlen[3];
    const char *pre; /* identifiers after '-', NULL if none */
    size_t prelen;
} ct_semver_parts;

/** SemVer 2.0.0 §11 precedence of two parsed versions (build metadata ignored). */
int ct_version__semver_cmp_parts(const ct_semver_parts *a, const ct_semver_parts *b);

/** Parse strict SemVer 2.0.0 "MAJOR.MINOR.PATCH[-pre][+build]"; 0 or CT_EPARSE (message set). */
int ct_version__semver_parse(ct_semver_parts *out, const char *v, size_t len);

/** apk-tools' fuzzy comparison (the "~" in "~", "<~", ">~"): as the apk comparator, except
 *  that a equals b once every token of b matched, whatever tokens a has left ("3.6.9" vs "3.6"
 *  gives 0, "3.60" vs "3.6" gives 1). Both versions are validated first (CT_EPARSE). */
int ct_version__apk_compare_fuzzy(int *cmp_out, const char *a, size_t alen, const char *b,
                                  size_t blen);

/** librpm 4.18 rpmvercmp() on two byte strings (no EVR split); result -1, 0 or 1. */
int ct_version__rpmvercmp(const char *a, size_t alen, const char *b, size_t blen);

/* ---- vers helpers (vers.c) ------------------------------------------------------------- */

/** Three-way comparison for ct_version__sort(); <0 return is an error that stops the sort. */
typedef int (*ct_version__cmp_fn)(int *cmp_out, const void *a, const void *b, void *payload);

/** Stable merge sort of n elements of size bytes; scratch memory from ct_malloc. */
int ct_version__sort(void *base, size_t n, size_t size, ct_version__cmp_fn cmp, void *payload);

/** Append a version to a vers string, percent-encoding what vers-spec §5.3.3.2 requires. */
int ct_version__put_vers_version(ct_buf *out, const char *v, size_t len);

static inline bool ct_version__isdigit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static inline bool ct_version__isalpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline unsigned char ct_version__lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + ('a' - 'A')) : c;
}

/** Length of the common prefix of a and b within their first n bytes: 8 bytes per step
 *  (in-bounds loads, xor, count trailing zeros), then bytewise. */
static inline size_t ct_version__common_prefix(const char *a, const char *b, size_t n)
{
    size_t k = 0;
    for (; k + 8 <= n; k += 8) {
        uint64_t x, y;
        memcpy(&x, a + k, 8);
        memcpy(&y, b + k, 8);
        if (x != y) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            return k + (size_t)__builtin_ctzll(x ^ y) / 8;
#else
            break;
#endif
        }
    }
    while (k < n && a[k] == b[k])
        k++;
    return k;
}

/** Copy s[0, len) into buf and zero the rest of buf's 32 bytes, for 1 <= len <= 32, with
 *  overlapping in-bounds loads (no per-byte loop, no libc call); false for other lengths. */
static inline bool ct_version__load32(unsigned char buf[32], const unsigned char *s, size_t len)
{
    memset(buf, 0, 32);
    if (len >= 16 && len <= 32) {
        unsigned char t[16];
        memcpy(buf, s, 16);
        memcpy(t, s + len - 16, 16);
        memcpy(buf + len - 16, t, 16);
    } else if (len >= 8 && len < 16) {
        uint64_t a, b;
        memcpy(&a, s, 8);
        memcpy(&b, s + len - 8, 8);
        memcpy(buf, &a, 8);
        memcpy(buf + len - 8, &b, 8);
    } else if (len >= 4 && len < 8) {
        uint32_t a, b;
        memcpy(&a, s, 4);
        memcpy(&b, s + len - 4, 4);
        memcpy(buf, &a, 4);
        memcpy(buf + len - 4, &b, 4);
    } else if (len >= 1 && len < 4) {
        buf[0] = s[0];
        buf[len / 2] = s[len / 2];
        buf[len - 1] = s[len - 1];
    } else {
        return false;
    }
    return true;
}

/** Bit k set when buf[k] is an ASCII digit, for the 32 bytes of buf. */
static inline uint32_t ct_version__digit_mask32(const unsigned char buf[32])
{
#if defined(__SSE2__)
    __m128i a, b;
    memcpy(&a, buf, 16);
    memcpy(&b, buf + 16, 16);
    /* x - '0' as unsigned bytes <= 9  <=>  min(x - '0', 9) == x - '0' */
    const __m128i z = _mm_set1_epi8('0'), nine = _mm_set1_epi8(9);
    a = _mm_sub_epi8(a, z);
    b = _mm_sub_epi8(b, z);
    uint32_t lo = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(a, nine), a));
    uint32_t hi = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(b, nine), b));
    return lo | (hi << 16);
#else
    uint32_t m = 0;
    for (unsigned k = 0; k < 32; k++)
        m |= (uint32_t)(buf[k] >= '0' && buf[k] <= '9') << k;
    return m;
#endif
}

/** Bit k set when s[k] is an ASCII digit, for k < len and 1 <= len <= 32; bits >= len clear.
 *  Straight from s with overlapping in-bounds loads (no copy to a stack buffer: a wide load of
 *  bytes just stored in pieces stalls on store forwarding, ~15 % of a semver parse by perf). */
static inline uint32_t ct_version__digit_mask(const unsigned char *s, size_t len)
{
#if defined(__SSE2__)
    const __m128i z = _mm_set1_epi8('0'), nine = _mm_set1_epi8(9);
#define CT_DIGITS16(x)                                                                        \
    ((uint32_t)_mm_movemask_epi8(                                                             \
        _mm_cmpeq_epi8(_mm_min_epu8(_mm_sub_epi8((x), z), nine), _mm_sub_epi8((x), z))))
    if (len >= 16) {
        __m128i a, b;
        memcpy(&a, s, 16);
        memcpy(&b, s + len - 16, 16);
        return CT_DIGITS16(a) | (CT_DIGITS16(b) << (len - 16));
    }
    if (len >= 8) {
        uint64_t a, b;
        memcpy(&a, s, 8);
        memcpy(&b, s + len - 8, 8);
        uint32_t m = CT_DIGITS16(_mm_set_epi64x((long long)b, (long long)a));
        return (m & 0xffu) | ((m >> 8) << (len - 8));
    }
    if (len >= 4) {
        uint32_t a, b;
        memcpy(&a, s, 4);
        memcpy(&b, s + len - 4, 4);
        uint32_t m = CT_DIGITS16(_mm_set_epi32(0, 0, (int)b, (int)a));
        return (m & 0xfu) | (((m >> 4) & 0xfu) << (len - 4));
    }
#undef CT_DIGITS16
#endif
    uint32_t m = 0;
    for (size_t k = 0; k < len && k < 32; k++)
        m |= (uint32_t)ct_version__isdigit(s[k]) << k;
    return m;
}

/* ---- short-string scanning ------------------------------------------------------------- */

/** Bit k of out[0] / out[1] / out[2] is set when s[k] is c1 / c2 / a byte <= 0x20 (blank,
 *  control, NUL), for 4 <= len <= 32, with SSE2 loads that stay inside s[0, len) (overlapping
 *  loads of 4, 8 or 16 bytes; no branch per byte). False (out untouched) for other lengths or
 *  without SSE2: the caller scans bytewise. */
static inline bool ct_version__scan3(uint32_t out[3], const unsigned char *s, size_t len,
                                     unsigned char c1, unsigned char c2)
{
#if defined(__SSE2__)
    const __m128i k1 = _mm_set1_epi8((char)c1), k2 = _mm_set1_epi8((char)c2),
                  sp = _mm_set1_epi8(0x20);
#define CT_SCAN3_MASKS(x, m)                                                                  \
    do {                                                                                      \
        (m)[0] = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8((x), k1));                        \
        (m)[1] = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8((x), k2));                        \
        (m)[2] = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8((x), sp), (x)));     \
    } while (0)
    uint32_t lo[3], hi[3];
    if (len >= 16 && len <= 32) {
        __m128i a, b;
        memcpy(&a, s, 16);
        memcpy(&b, s + len - 16, 16);
        CT_SCAN3_MASKS(a, lo);
        CT_SCAN3_MASKS(b, hi);
        for (int k = 0; k < 3; k++)
            out[k] = lo[k] | (hi[k] << (len - 16));
        return true;
    }
    if (len >= 8 && len < 16) {
        uint64_t a, b;
        memcpy(&a, s, 8);
        memcpy(&b, s + len - 8, 8);
        __m128i x = _mm_set_epi64x((long long)b, (long long)a);
        CT_SCAN3_MASKS(x, lo);
        for (int k = 0; k < 3; k++)
            out[k] = (lo[k] & 0xffu) | ((lo[k] >> 8) << (len - 8));
        return true;
    }
    if (len >= 4 && len < 8) {
        uint32_t a, b;
        memcpy(&a, s, 4);
        memcpy(&b, s + len - 4, 4);
        __m128i x = _mm_set_epi32(0, 0, (int)b, (int)a);
        CT_SCAN3_MASKS(x, lo);
        for (int k = 0; k < 3; k++)
            out[k] = (lo[k] & 0xfu) | (((lo[k] >> 4) & 0xfu) << (len - 4));
        return true;
    }
#undef CT_SCAN3_MASKS
#else
    (void)out, (void)s, (void)c1, (void)c2;
#endif
    (void)len;
    return false;
}

#endif

/* Conan 2 versions (conans/model/version.py): main[-pre][+build], each a '.'-list of items;
 * digit items compare as integers, others as strings, mixed pairs as strings; trailing zero
 * items are ignored; a pre-release sorts before the same main version without one. */
#include "version/scheme.h"

#include <string.h>

typedef struct {
    const char *s;
    size_t n;
} span;

typedef struct {
    span main, pre, build;
    bool has_pre, has_build;
} conan_version;

static int conan_parse(conan_version *p, const char *v, size_t len)
{
    memset(p, 0, sizeof *p);
    if (len == 0)
        return ct_error_set(CT_EPARSE, "invalid Conan version: empty");
    size_t plus = len, dash = len;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)v[i];
        if (c <= 0x20 || c == 0x7f)
            return ct_error_set(CT_EPARSE,
                                "invalid Conan version: blank or control byte at offset %zu", i);
        if (c == '+')
            plus = i; /* rsplit("+", 1) */
    }
    for (size_t i = 0; i < plus; i++)
        if (v[i] == '-') {
            dash = i; /* split("-", 1) */
            break;
        }
    p->has_build = plus < len;
    p->has_pre = dash < plus;
    p->main = (span){ v, dash < plus ? dash : plus };
    if (p->has_pre)
        p->pre = (span){ v + dash + 1, plus - dash - 1 };
    if (p->has_build)
        p->build = (span){ v + plus + 1, len - plus - 1 };
    return 0;
}

static bool is_int(span x)
{
    if (x.n == 0)
        return false;
    for (size_t i = 0; i < x.n; i++)
        if (!ct_version__isdigit((unsigned char)x.s[i]))
            return false;
    return true;
}

static bool is_zero(span x)
{
    if (!is_int(x))
        return false;
    for (size_t i = 0; i < x.n; i++)
        if (x.s[i] != '0')
            return false;
    return true;
}

/* Python str(int(x)) for an all-digit item: leading zeros dropped */
static span canon_int(span x)
{
    while (x.n > 1 && x.s[0] == '0') {
        x.s++;
        x.n--;
    }
    return x;
}

static int bytes_cmp(span a, span b)
{
    int c = memcmp(a.s, b.s, a.n < b.n ? a.n : b.n);
    if (c == 0)
        c = (a.n > b.n) - (a.n < b.n);
    return c < 0 ? -1 : c > 0;
}

static int item_cmp(span a, span b)
{
    bool ia = is_int(a), ib = is_int(b);
    if (ia && ib)
        return ct_version__numcmp(a.s, a.n, b.s, b.n);
    return bytes_cmp(ia ? canon_int(a) : a, ib ? canon_int(b) : b);
}

/* Number of '.'-items of x left after dropping trailing zero items ("_nonzero_items"). */
static size_t nonzero_count(span x)
{
    size_t count = 1, keep = 0, idx = 0, b = 0;
    for (size_t i = 0; i < x.n; i++)
        count += x.s[i] == '.';
    for (size_t i = 0; i <= x.n; i++) {
        if (i < x.n && x.s[i] != '.')
            continue;
        idx++;
        if (!is_zero((span){ x.s + b, i - b }))
            keep = idx;
        b = i + 1;
    }
    return keep <= count ? keep : count;
}

static span next_item(span x, size_t *pos)
{
    size_t b = *pos, e = b;
    while (e < x.n && x.s[e] != '.')
        e++;
    *pos = e + 1;
    return (span){ x.s + b, e - b };
}

/* Tuple comparison of the non-zero item lists. */
static int items_cmp(span a, span b)
{
    size_t na = nonzero_count(a), nb = nonzero_count(b), pa = 0, pb = 0;
    for (size_t k = 0; k < na && k < nb; k++) {
        int c = item_cmp(next_item(a, &pa), next_item(b, &pb));
        if (c != 0)
            return c;
    }
    return (na > nb) - (na < nb);
}

static int opt_cmp(bool ha, span a, bool hb, span b)
{
    if (!ha || !hb)
        return (int)ha - (int)hb;
    return items_cmp(a, b);
}

static int conan_validate(const char *v, size_t len)
{
    conan_version p;
    return conan_parse(&p, v, len);
}

static int conan_compare(int *cmp_out, const char *a, size_t alen, const char *b, size_t blen)
{
    conan_version pa, pb;
    int rc;
    if ((rc = conan_parse(&pa, a, alen)) < 0 || (rc = conan_parse(&pb, b, blen)) < 0)
        return rc;
    int c = items_cmp(pa.main, pb.main);
    if (c == 0 && pa.has_pre != pb.has_pre)
        c = pa.has_pre ? -1 : 1;
    if (c == 0)
        c = opt_cmp(pa.has_pre, pa.pre, pb.has_pre, pb.pre);
    if (c == 0)
        c = opt_cmp(pa.has_build, pa.build, pb.has_build, pb.build);
    *cmp_out = c;
    return 0;
}

const ct_version_scheme ct_version_scheme_conan = { "conan", conan_validate, conan_compare };

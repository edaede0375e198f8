/* NuGet versions (NuGet.Versioning NuGetVersion): 1 to 4 numeric parts (missing = 0, leading
 * zeros allowed, each an Int32), SemVer 2 release labels compared case-insensitively,
 * build metadata after '+' ignored. */
#include "version/scheme.h"

#include <string.h>

static const char int32_max[] = "2147483647";

typedef struct {
    const char *part[4];
    size_t partlen[4];
    size_t nparts;
    const char *rel; /* release labels after '-', NULL if none */
    size_t rellen;
} nuget_version;

static int bad(const char *why, size_t off)
{
    return ct_error_set(CT_EPARSE, "invalid NuGet version: %s at offset %zu", why, off);
}

static bool ident_char(unsigned char c)
{
    return ct_version__isdigit(c) || ct_version__isalpha(c) || c == '-';
}

/* dot-separated non-empty [0-9A-Za-z-] identifiers */
static int check_labels(const char *s, size_t n, size_t off, const char *what)
{
    size_t seg = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || s[i] == '.') {
            if (i == seg)
                return bad(what, off + i);
            seg = i + 1;
        } else if (!ident_char((unsigned char)s[i])) {
            return bad("invalid character in label", off + i);
        }
    }
    return 0;
}

static int nuget_parse(nuget_version *p, const char *v, size_t len)
{
    size_t i = 0, end = len;
    int rc;
    memset(p, 0, sizeof *p);
    if (len == 0)
        return bad("empty", 0);
    for (size_t k = 0; k < len; k++)
        if (v[k] == '+') {
            end = k;
            if ((rc = check_labels(v + k + 1, len - k - 1, k + 1, "empty metadata")) < 0)
                return rc;
            break;
        }
    for (;;) {
        size_t b = i;
        while (i < end && ct_version__isdigit((unsigned char)v[i]))
            i++;
        if (i == b)
            return bad("expected a number", i);
        if (p->nparts == 4)
            return bad("more than 4 numeric parts", b);
        size_t n = i - b;
        const char *d = v + b;
        while (n > 1 && *d == '0') {
            d++;
            n--;
        }
        if (ct_version__numcmp(d, n, int32_max, sizeof int32_max - 1) > 0)
            return bad("number above 2147483647", b);
        p->part[p->nparts] = d;
        p->partlen[p->nparts++] = n;
        if (i < end && v[i] == '.') {
            i++;
            continue;
        }
        break;
    }
    if (i < end) {
        if (v[i] != '-')
            return bad("unexpected character", i);
        p->rel = v + i + 1;
        p->rellen = end - i - 1;
        if ((rc = check_labels(p->rel, p->rellen, i + 1, "empty release label")) < 0)
            return rc;
    }
    return 0;
}

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!ct_version__isdigit((unsigned char)s[i]))
            return false;
    return n > 0;
}

static int label_cmp(const char *x, size_t xn, const char *y, size_t yn)
{
    bool dx = all_digits(x, xn), dy = all_digits(y, yn);
    if (dx && dy)
        return ct_version__numcmp(x, xn, y, yn);
    if (dx != dy)
        return dx ? -1 : 1;
    for (size_t k = 0; k < xn && k < yn; k++) {
        unsigned char a = ct_version__lower((unsigned char)x[k]);
        unsigned char b = ct_version__lower((unsigned char)y[k]);
        if (a != b)
            return a < b ? -1 : 1;
    }
    return (xn > yn) - (xn < yn);
}

static int release_cmp(const nuget_version *a, const nuget_version *b)
{
    if (!a->rel || !b->rel)
        return (a->rel == NULL) - (b->rel == NULL);
    size_t i = 0, j = 0;
    for (;;) {
        bool ea = i > a->rellen, eb = j > b->rellen;
        if (ea || eb)
            return (int)eb - (int)ea;
        size_t i0 = i, j0 = j;
        while (i < a->rellen && a->rel[i] != '.')
            i++;
        while (j < b->rellen && b->rel[j] != '.')
            j++;
        int c = label_cmp(a->rel + i0, i - i0, b->rel + j0, j - j0);
        if (c != 0)
            return c;
        i++;
        j++;
    }
}

static int nuget_validate(const char *v, size_t len)
{
    nuget_version p;
    return nuget_parse(&p, v, len);
}

static int nuget_compare(int *cmp_out, const char *a, size_t alen, const char *b, size_t blen)
{
    nuget_version pa, pb;
    int rc;
    if ((rc = nuget_parse(&pa, a, alen)) < 0 || (rc = nuget_parse(&pb, b, blen)) < 0)
        return rc;
    for (size_t k = 0; k < 4; k++) {
        const char *x = k < pa.nparts ? pa.part[k] : "0";
        const char *y = k < pb.nparts ? pb.part[k] : "0";
        size_t xn = k < pa.nparts ? pa.partlen[k] : 1, yn = k < pb.nparts ? pb.partlen[k] : 1;
        int c = ct_version__numcmp(x, xn, y, yn);
        if (c != 0) {
            *cmp_out = c;
            return 0;
        }
    }
    *cmp_out = release_cmp(&pa, &pb);
    return 0;
}

const ct_version_scheme ct_version_scheme_nuget = { "nuget", nuget_validate, nuget_compare };

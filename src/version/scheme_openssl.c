/* OpenSSL release versions: MAJOR.MINOR.PATCH, before 3.0 with letter releases (1.0.2zb:
 * shorter letter runs first), and an optional "-qualifier": alpha/beta/pre[N] sort before
 * the release, anything else (0.9.6-cvs, 1.0.2zc-dev) after it. "nginx" versions are plain
 * dot-separated numbers, missing ones read as 0. */
#include "version/scheme.h"

#include <string.h>

typedef struct {
    const char *num[3];
    size_t numlen[3];
    const char *letters;
    size_t nletters;
    const char *qual; /* after '-', NULL if none */
    size_t quallen;
} openssl_version;

static int bad(const char *scheme, const char *why, size_t off)
{
    return ct_error_set(CT_EPARSE, "invalid %s version: %s at offset %zu", scheme, why, off);
}

static size_t digits(const char *v, size_t len, size_t i)
{
    while (i < len && ct_version__isdigit((unsigned char)v[i]))
        i++;
    return i;
}

static int openssl_parse(openssl_version *p, const char *v, size_t len)
{
    size_t i = 0;
    memset(p, 0, sizeof *p);
    for (int k = 0; k < 3; k++) {
        size_t e = digits(v, len, i);
        if (e == i)
            return bad("OpenSSL", "expected MAJOR.MINOR.PATCH", i);
        p->num[k] = v + i;
        p->numlen[k] = e - i;
        i = e;
        if (k < 2) {
            if (i >= len || v[i] != '.')
                return bad("OpenSSL", "expected MAJOR.MINOR.PATCH", i);
            i++;
        }
    }
    p->letters = v + i;
    while (i < len && v[i] >= 'a' && v[i] <= 'z')
        i++;
    p->nletters = (size_t)(v + i - p->letters);
    if (i < len && v[i] == '-') {
        p->qual = v + i + 1;
        p->quallen = len - i - 1;
        if (p->quallen == 0)
            return bad("OpenSSL", "empty qualifier", i + 1);
        for (size_t k = i + 1; k < len; k++)
            if (!ct_version__isdigit((unsigned char)v[k]) &&
                !ct_version__isalpha((unsigned char)v[k]))
                return bad("OpenSSL", "invalid character in qualifier", k);
        i = len;
    }
    if (i != len)
        return bad("OpenSSL", "unexpected character", i);
    return 0;
}

/* rank: 0 alpha, 1 beta, 2 pre (pre-releases), 3 none, 4 other qualifiers */
static int qual_rank(const openssl_version *p, const char **num, size_t *numlen)
{
    static const char *const pre[] = { "alpha", "beta", "pre" };
    *num = "";
    *numlen = 0;
    if (p->qual == NULL)
        return 3;
    for (int k = 0; k < 3; k++) {
        size_t n = strlen(pre[k]);
        if (p->quallen >= n && memcmp(p->qual, pre[k], n) == 0 &&
            digits(p->qual, p->quallen, n) == p->quallen) {
            *num = p->qual + n;
            *numlen = p->quallen - n;
            return k;
        }
    }
    return 4;
}

static int span_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    int c = memcmp(a, b, an < bn ? an : bn);
    if (c == 0)
        c = (an > bn) - (an < bn);
    return c < 0 ? -1 : c > 0;
}

static int openssl_validate(const char *v, size_t len)
{
    openssl_version p;
    return openssl_parse(&p, v, len);
}

static int openssl_compare(int *cmp_out, const char *a, size_t alen, const char *b, size_t blen)
{
    openssl_version pa, pb;
    int rc, c = 0;
    if ((rc = openssl_parse(&pa, a, alen)) < 0 || (rc = openssl_parse(&pb, b, blen)) < 0)
        return rc;
    for (int k = 0; k < 3 && c == 0; k++)
        c = ct_version__numcmp(pa.num[k], pa.numlen[k], pb.num[k], pb.numlen[k]);
    if (c == 0 && pa.nletters != pb.nletters)
        c = pa.nletters < pb.nletters ? -1 : 1;
    if (c == 0)
        c = span_cmp(pa.letters, pa.nletters, pb.letters, pb.nletters);
    if (c == 0) {
        const char *na, *nb;
        size_t la, lb;
        int ra = qual_rank(&pa, &na, &la), rb = qual_rank(&pb, &nb, &lb);
        if (ra != rb)
            c = ra < rb ? -1 : 1;
        else if (ra < 3)
            c = ct_version__numcmp(na, la, nb, lb);
        else if (ra == 4)
            c = span_cmp(pa.qual, pa.quallen, pb.qual, pb.quallen);
    }
    *cmp_out = c;
    return 0;
}

const ct_version_scheme ct_version_scheme_openssl = { "openssl", openssl_validate,
                                                      openssl_compare };

/* ---- nginx ------------------------------------------------------------------------------ */

static int nginx_validate(const char *v, size_t len)
{
    size_t i = 0;
    for (;;) {
        size_t e = digits(v, len, i);
        if (e == i)
            return bad("nginx", "expected a number", i);
        i = e;
        if (i == len)
            return 0;
        if (v[i] != '.')
            return bad("nginx", "unexpected character", i);
        i++;
    }
}

static int nginx_compare(int *cmp_out, const char *a, size_t alen, const char *b, size_t blen)
{
    int rc;
    if ((rc = nginx_validate(a, alen)) < 0 || (rc = nginx_validate(b, blen)) < 0)
        return rc;
    size_t i = 0, j = 0;
    while (i < alen || j < blen) {
        size_t ie = digits(a, alen, i), je = digits(b, blen, j);
        int c = ct_version__numcmp(a + i, ie - i, b + j, je - j);
        if (c != 0) {
            *cmp_out = c;
            return 0;
        }
        i = ie < alen ? ie + 1 : alen;
        j = je < blen ? je + 1 : blen;
    }
    *cmp_out = 0;
    return 0;
}

const ct_version_scheme ct_version_scheme_nginx = { "nginx", nginx_validate, nginx_compare };

/* Gentoo ebuild versions per PMS §3.2 (syntax) and §3.3 (Algorithms 3.1-3.7):
 * digits{.digits}[a-z]{_alpha|_beta|_pre|_rc|_p[digits]}[-rdigits]. */
#include "version/scheme.h"

#include <string.h>

#define GENTOO_MAX_SUFFIXES 32

enum { SUF_ALPHA, SUF_BETA, SUF_PRE, SUF_RC, SUF_NONE, SUF_P };

typedef struct {
    const char *num; /* "1.2.3" */
    size_t numlen;
    unsigned char letter; /* 0 if none */
    size_t nsuf;
    unsigned char suf[GENTOO_MAX_SUFFIXES];
    const char *sufn[GENTOO_MAX_SUFFIXES];
    size_t sufnlen[GENTOO_MAX_SUFFIXES];
    const char *rev;
    size_t revlen;
} gentoo_version;

static int bad(const char *why, size_t off)
{
    return ct_error_set(CT_EPARSE, "invalid Gentoo version: %s at offset %zu", why, off);
}

static size_t digits(const char *v, size_t len, size_t i)
{
    while (i < len && ct_version__isdigit((unsigned char)v[i]))
        i++;
    return i;
}

static int suffix_at(const char *v, size_t len, size_t i, size_t *n)
{
    static const struct {
        const char *w;
        int kind;
    } names[] = { { "alpha", SUF_ALPHA }, { "beta", SUF_BETA }, { "pre", SUF_PRE },
                  { "rc", SUF_RC },       { "p", SUF_P } };
    for (size_t k = 0; k < CT_NELEM(names); k++) {
        size_t wl = strlen(names[k].w);
        if (len - i >= wl && memcmp(v + i, names[k].w, wl) == 0 &&
            (i + wl == len || !ct_version__isalpha((unsigned char)v[i + wl]))) {
            *n = wl;
            return names[k].kind;
        }
    }
    return -1;
}

static int gentoo_parse(gentoo_version *p, const char *v, size_t len)
{
    size_t i = 0, e;
    memset(p, 0, sizeof *p);
    for (;;) {
        e = digits(v, len, i);
        if (e == i)
            return bad("expected digits", i);
        i = e;
        if (i < len && v[i] == '.') {
            i++;
            continue;
        }
        break;
    }
    p->num = v;
    p->numlen = i;
    if (i < len && v[i] >= 'a' && v[i] <= 'z')
        p->letter = (unsigned char)v[i++];
    while (i < len && v[i] == '_') {
        size_t n = 0;
        int kind = suffix_at(v, len, i + 1, &n);
        if (kind < 0)
            return bad("unknown suffix", i + 1);
        if (p->nsuf == GENTOO_MAX_SUFFIXES)
            return bad("too many suffixes", i);
        i += 1 + n;
        e = digits(v, len, i);
        p->suf[p->nsuf] = (unsigned char)kind;
        p->sufn[p->nsuf] = v + i;
        p->sufnlen[p->nsuf++] = e - i;
        i = e;
    }
    if (i + 1 < len && v[i] == '-' && v[i + 1] == 'r') {
        e = digits(v, len, i + 2);
        if (e == i + 2)
            return bad("expected digits after '-r'", i + 2);
        p->rev = v + i + 2;
        p->revlen = e - i - 2;
        i = e;
    }
    if (i != len)
        return bad("unexpected character", i);
    return 0;
}

static void next_comp(const char **s, size_t *n, const char **cur, const char *end)
{
    const char *b = *cur, *e = b;
    while (e < end && *e != '.')
        e++;
    *s = b;
    *n = (size_t)(e - b);
    *cur = e < end ? e + 1 : end;
}

static int strcmp_n(const char *a, size_t an, const char *b, size_t bn)
{
    int c = memcmp(a, b, an < bn ? an : bn);
    if (c == 0)
        c = (an > bn) - (an < bn);
    return c < 0 ? -1 : c > 0;
}

/* Algorithm 3.2/3.3: the first component as integers; later ones as strings without
 * trailing zeros when either has a leading zero; more components win. */
static int cmp_numeric(const gentoo_version *a, const gentoo_version *b)
{
    const char *ca = a->num, *ea = a->num + a->numlen, *cb = b->num, *eb = b->num + b->numlen;
    bool first = true;
    while (ca < ea && cb < eb) {
        const char *x, *y;
        size_t xn, yn;
        next_comp(&x, &xn, &ca, ea);
        next_comp(&y, &yn, &cb, eb);
        int c;
        if (!first && (x[0] == '0' || y[0] == '0')) {
            while (xn > 0 && x[xn - 1] == '0')
                xn--;
            while (yn > 0 && y[yn - 1] == '0')
                yn--;
            c = strcmp_n(x, xn, y, yn);
        } else {
            c = ct_version__numcmp(x, xn, y, yn);
        }
        if (c != 0)
            return c;
        first = false;
    }
    return (ca < ea) - (cb < eb);
}

/* Algorithm 3.5/3.6 */
static int cmp_suffixes(const gentoo_version *a, const gentoo_version *b)
{
    size_t k = 0;
    for (; k < a->nsuf && k < b->nsuf; k++) {
        if (a->suf[k] != b->suf[k])
            return a->suf[k] < b->suf[k] ? -1 : 1;
        int c = ct_version__numcmp(a->sufn[k], a->sufnlen[k], b->sufn[k], b->sufnlen[k]);
        if (c != 0)
            return c;
    }
    if (k < a->nsuf)
        return a->suf[k] == SUF_P ? 1 : -1;
    if (k < b->nsuf)
        return b->suf[k] == SUF_P ? -1 : 1;
    return 0;
}

static int gentoo_validate(const char *v, size_t len)
{
    gentoo_version p;
    return gentoo_parse(&p, v, len);
}

static int gentoo_compare(int *cmp_out, const char *a, size_t alen, const char *b, size_t blen)
{
    gentoo_version pa, pb;
    int rc;
    if ((rc = gentoo_parse(&pa, a, alen)) < 0 || (rc = gentoo_parse(&pb, b, blen)) < 0)
        return rc;
    int c = cmp_numeric(&pa, &pb);
    if (c == 0)
        c = (pa.letter > pb.letter) - (pa.letter < pb.letter);
    if (c == 0)
        c = cmp_suffixes(&pa, &pb);
    if (c == 0)
        c = ct_version__numcmp(pa.rev ? pa.rev : "", pa.revlen, pb.rev ? pb.rev : "",
                               pb.revlen);
    *cmp_out = c;
    return 0;
}

const ct_version_scheme ct_version_scheme_gentoo = { "gentoo", gentoo_validate,
                                                     gentoo_compare };

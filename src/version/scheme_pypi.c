/* Python package versions per PEP 440, accepting every spelling packaging.version.Version
 * accepts (case, "v", separators, implicit numbers) and ordering exactly as its _cmpkey. */
#include "version/scheme.h"

#include <string.h>

enum { PRE_DEV_ONLY = -1, PRE_A = 0, PRE_B = 1, PRE_RC = 2, PRE_NONE = 3 };

typedef struct {
    const char *epoch, *rel, *pre_n, *post_n, *dev_n, *local;
    size_t epochlen, rellen, pre_nlen, post_nlen, dev_nlen, locallen;
    int pre; /* PRE_A..PRE_RC, or PRE_NONE */
    bool has_post, has_dev, has_local;
} pep440;

typedef struct {
    const char *s;
    size_t pos, end;
} scan;

/* Python's \s for the ASCII range. */
static bool py_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

static unsigned char at(const scan *sc, size_t k)
{
    return k < sc->end ? (unsigned char)sc->s[k] : 0u;
}

static bool is_sep(unsigned char c)
{
    return c == '-' || c == '_' || c == '.';
}

static size_t digits(scan *sc, const char **start)
{
    size_t b = sc->pos;
    while (ct_version__isdigit(at(sc, sc->pos)))
        sc->pos++;
    *start = sc->s + b;
    return sc->pos - b;
}

/* Case-insensitive literal at the cursor; advances on a match. */
static bool word(scan *sc, const char *w)
{
    size_t n = strlen(w);
    if (sc->end - sc->pos < n)
        return false;
    for (size_t k = 0; k < n; k++)
        if (ct_version__lower((unsigned char)sc->s[sc->pos + k]) != (unsigned char)w[k])
            return false;
    sc->pos += n;
    return true;
}

static void opt_sep(scan *sc)
{
    if (is_sep(at(sc, sc->pos)))
        sc->pos++;
}

/* [-_.]? label [-_.]? [0-9]* ; labels are tried in the order of packaging's regex. */
static int labelled(scan *sc, const char *const *labels, const int *kinds, size_t nlab,
                    const char **num, size_t *numlen)
{
    size_t save = sc->pos;
    opt_sep(sc);
    for (size_t k = 0; k < nlab; k++) {
        if (word(sc, labels[k])) {
            opt_sep(sc);
            *numlen = digits(sc, num);
            return kinds[k];
        }
    }
    sc->pos = save;
    return -1;
}

static int bad(const char *why, size_t at_off)
{
    return ct_error_set(CT_EPARSE, "invalid PEP 440 version: %s at offset %zu", why, at_off);
}

static int parse_local(pep440 *p, scan *sc)
{
    size_t start = sc->pos;
    for (;;) {
        size_t seg = sc->pos;
        while (ct_version__isdigit(at(sc, sc->pos)) || ct_version__isalpha(at(sc, sc->pos)))
            sc->pos++;
        if (sc->pos == seg)
            return bad("empty local version segment", seg);
        if (is_sep(at(sc, sc->pos)) && sc->pos + 1 < sc->end) {
            sc->pos++;
            continue;
        }
        break;
    }
    p->has_local = true;
    p->local = sc->s + start;
    p->locallen = sc->pos - start;
    return 0;
}

static int pypi_parse(pep440 *p, const char *v, size_t len)
{
    static const char *const pre_l[] = { "alpha", "a", "beta", "b", "preview", "pre", "c", "rc" };
    static const int pre_k[] = { PRE_A, PRE_A, PRE_B, PRE_B, PRE_RC, PRE_RC, PRE_RC, PRE_RC };
    static const char *const post_l[] = { "post", "rev", "r" };
    static const int post_k[] = { 1, 1, 1 };
    static const char *const dev_l[] = { "dev" };
    static const int dev_k[] = { 1 };
    scan sc = { v, 0, len };
    const char *d;
    size_t n;

    memset(p, 0, sizeof *p);
    p->pre = PRE_NONE;
    while (sc.end > 0 && py_space((unsigned char)v[sc.end - 1]))
        sc.end--;
    while (sc.pos < sc.end && py_space(at(&sc, sc.pos)))
        sc.pos++;
    if (at(&sc, sc.pos) == 'v' || at(&sc, sc.pos) == 'V')
        sc.pos++;
    n = digits(&sc, &d);
    if (n == 0)
        return bad("expected a release number", sc.pos);
    if (at(&sc, sc.pos) == '!') {
        p->epoch = d;
        p->epochlen = n;
        sc.pos++;
        if ((n = digits(&sc, &d)) == 0)
            return bad("expected a release number after the epoch", sc.pos);
    }
    p->rel = d;
    while (at(&sc, sc.pos) == '.' && ct_version__isdigit(at(&sc, sc.pos + 1))) {
        sc.pos++;
        digits(&sc, &d);
    }
    p->rellen = (size_t)(sc.s + sc.pos - p->rel);

    int k = labelled(&sc, pre_l, pre_k, CT_NELEM(pre_l), &p->pre_n, &p->pre_nlen);
    if (k >= 0)
        p->pre = k;
    if (at(&sc, sc.pos) == '-' && ct_version__isdigit(at(&sc, sc.pos + 1))) {
        sc.pos++;
        p->post_nlen = digits(&sc, &p->post_n);
        p->has_post = true;
    } else if (labelled(&sc, post_l, post_k, 3, &p->post_n, &p->post_nlen) >= 0) {
        p->has_post = true;
    }
    if (labelled(&sc, dev_l, dev_k, 1, &p->dev_n, &p->dev_nlen) >= 0)
        p->has_dev = true;
    if (at(&sc, sc.pos) == '+' && sc.pos < sc.end) {
        int rc;
        sc.pos++;
        if ((rc = parse_local(p, &sc)) < 0)
            return rc;
    }
    if (sc.pos != sc.end)
        return bad("unexpected character", sc.pos);
    return 0;
}

/* Next '.'-separated release number; an exhausted release yields "" (= 0). */
static void next_seg(const char **s, size_t *n, const char **cur, const char *end)
{
    const char *b = *cur;
    const char *e = b;
    while (e < end && *e != '.')
        e++;
    *s = b;
    *n = (size_t)(e - b);
    *cur = e < end ? e + 1 : end;
}

static int cmp_release(const pep440 *a, const pep440 *b)
{
    const char *ca = a->rel, *ea = a->rel + a->rellen;
    const char *cb = b->rel, *eb = b->rel + b->rellen;
    while (ca < ea || cb < eb) {
        const char *sa, *sb;
        size_t na, nb;
        next_seg(&sa, &na, &ca, ea);
        next_seg(&sb, &nb, &cb, eb);
        int c = ct_version__numcmp(sa, na, sb, nb);
        if (c != 0)
            return c;
    }
    return 0;
}

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!ct_version__isdigit((unsigned char)s[i]))
            return false;
    return true;
}

/* Local segments: numbers compare as integers and sort after strings (lowercased). */
static int cmp_local(const pep440 *a, const pep440 *b)
{
    if (!a->has_local || !b->has_local)
        return (int)a->has_local - (int)b->has_local;
    size_t i = 0, j = 0;
    const char *x = a->local, *y = b->local;
    size_t xl = a->locallen, yl = b->locallen;
    for (;;) {
        if (i >= xl || j >= yl)
            return (i < xl) - (j < yl);
        size_t i0 = i, j0 = j;
        while (i < xl && !is_sep((unsigned char)x[i]))
            i++;
        while (j < yl && !is_sep((unsigned char)y[j]))
            j++;
        bool xn = all_digits(x + i0, i - i0), yn = all_digits(y + j0, j - j0);
        int c = 0;
        if (xn && yn) {
            c = ct_version__numcmp(x + i0, i - i0, y + j0, j - j0);
        } else if (xn != yn) {
            c = xn ? 1 : -1;
        } else {
            size_t k = 0;
            for (; c == 0 && k < i - i0 && k < j - j0; k++)
                c = (int)ct_version__lower((unsigned char)x[i0 + k]) -
                    (int)ct_version__lower((unsigned char)y[j0 + k]);
            if (c == 0)
                c = (i - i0 > j - j0) - (i - i0 < j - j0);
        }
        if (c != 0)
            return c < 0 ? -1 : 1;
        i += i < xl;
        j += j < yl;
        if (i >= xl && j >= yl)
            return 0;
    }
}

static int pre_rank(const pep440 *p)
{
    if (p->pre == PRE_NONE && !p->has_post && p->has_dev)
        return PRE_DEV_ONLY;
    return p->pre;
}

static int cmp_pep440(const pep440 *a, const pep440 *b)
{
    int c = ct_version__numcmp(a->epoch ? a->epoch : "", a->epochlen, b->epoch ? b->epoch : "",
                               b->epochlen);
    if (c != 0 || (c = cmp_release(a, b)) != 0)
        return c;
    int ra = pre_rank(a), rb = pre_rank(b);
    if (ra != rb)
        return ra < rb ? -1 : 1;
    if (ra >= PRE_A && ra <= PRE_RC &&
        (c = ct_version__numcmp(a->pre_n, a->pre_nlen, b->pre_n, b->pre_nlen)) != 0)
        return c;
    if (a->has_post != b->has_post)
        return a->has_post ? 1 : -1;
    if (a->has_post && (c = ct_version__numcmp(a->post_n, a->post_nlen, b->post_n,
                                                b->post_nlen)) != 0)
        return c;
    if (a->has_dev != b->has_dev)
        return a->has_dev ? -1 : 1;
    if (a->has_dev &&
        (c = ct_version__numcmp(a->dev_n, a->dev_nlen, b->dev_n, b->dev_nlen)) != 0)
        return c;
    return cmp_local(a, b);
}

static int pypi_validate(const char *v, size_t len)
{
    pep440 p;
    return pypi_parse(&p, v, len);
}

static int pypi_compare(int *cmp_out, const char *a, size_t alen, const char *b, size_t blen)
{
    pep440 pa, pb;
    int rc;
    if ((rc = pypi_parse(&pa, a, alen)) < 0 || (rc = pypi_parse(&pb, b, blen)) < 0)
        return rc;
    *cmp_out = cmp_pep440(&pa, &pb);
    return 0;
}

const ct_version_scheme ct_version_scheme_pypi = { "pypi", pypi_validate, pypi_compare };

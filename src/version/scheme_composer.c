/* Composer (PHP) versions: Composer 2's VersionParser::normalize() (classic and date
 * versions, stability suffixes stable/alpha/beta/RC/patch and "-dev", build metadata dropped),
 * then PHP's version_compare() on the normalised strings, as Composer's Comparator does.
 * Branch names (dev-master, 1.x-dev) have no order and are rejected with the reason. */
#include "version/scheme.h"

#include <string.h>

#define COMPOSER_MAX_INPUT 128
#define COMPOSER_BUF 512

static int bad(const char *why)
{
    return ct_error_set(CT_EPARSE, "invalid Composer version: %s", why);
}

static bool ieq_at(const char *s, size_t len, size_t i, const char *w)
{
    size_t n = strlen(w);
    if (len - i < n)
        return false;
    for (size_t k = 0; k < n; k++)
        if (ct_version__lower((unsigned char)s[i + k]) != (unsigned char)w[k])
            return false;
    return true;
}

typedef struct {
    const char *stab; /* stability word as written, NULL if none */
    size_t stablen;
    const char *nums; /* ((?:[.-]?\d+)*+) */
    size_t numslen;
    bool dev;
} modifier;

static bool isdig(const char *s, size_t len, size_t i)
{
    return i < len && ct_version__isdigit((unsigned char)s[i]);
}

/* [._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\d+)*+)?)?([.-]?dev)?$ (case-
 * insensitive), matched from pos with the regex's backtracking order. */
static bool match_modifier(modifier *m, const char *s, size_t len, size_t pos)
{
    static const char *const words[] = { "stable", "beta", "b",     "rc", "alpha",
                                         "a",      "patch", "pl", "p" };
    bool has_sep = pos < len && (s[pos] == '.' || s[pos] == '_' || s[pos] == '-');
    for (int sep = has_sep ? 1 : 0; sep >= 0; sep--) {
        size_t p0 = pos + (size_t)sep;
        for (size_t w = 0; w <= CT_NELEM(words); w++) {
            size_t p = p0;
            memset(m, 0, sizeof *m);
            if (w < CT_NELEM(words)) {
                if (!ieq_at(s, len, p, words[w]))
                    continue;
                m->stab = s + p;
                m->stablen = strlen(words[w]);
                p += m->stablen;
                size_t nb = p;
                for (;;) {
                    size_t q = p;
                    if (q < len && (s[q] == '.' || s[q] == '-'))
                        q++;
                    if (!isdig(s, len, q))
                        break;
                    while (isdig(s, len, q))
                        q++;
                    p = q;
                }
                m->nums = s + nb;
                m->numslen = p - nb;
            }
            if (p < len && (s[p] == '.' || s[p] == '-') && ieq_at(s, len, p + 1, "dev") &&
                p + 4 == len) {
                m->dev = true;
                p = len;
            } else if (ieq_at(s, len, p, "dev") && p + 3 == len) {
                m->dev = true;
                p = len;
            }
            if (p == len)
                return true;
        }
    }
    return false;
}

typedef struct {
    char *buf;
    size_t len, cap;
} out_buf;

static void put(out_buf *o, const char *s, size_t n)
{
    for (size_t k = 0; k < n && o->len + 1 < o->cap; k++)
        o->buf[o->len++] = s[k];
    o->buf[o->len] = '\0';
}

/* \d{4}(?:[.:-]?\d{2}){1,6}(?:[.:-]?\d{1,3}){0,2} followed by a modifier, backtracking. */
static bool match_date(modifier *m, const char *s, size_t len, size_t pos, int n2, int n13,
                       size_t *end)
{
    if (n2 >= 1 && match_modifier(m, s, len, pos)) {
        *end = pos;
        return true;
    }
    size_t q = pos + (pos < len && (s[pos] == '.' || s[pos] == ':' || s[pos] == '-'));
    for (int withsep = q != pos; withsep >= 0; withsep--, q = pos) {
        if (n13 == 0 && n2 < 6 && isdig(s, len, q) && isdig(s, len, q + 1) &&
            match_date(m, s, len, q + 2, n2 + 1, 0, end))
            return true;
        if (n2 >= 1 && n13 < 2)
            for (size_t d = 3; d >= 1; d--) {
                bool ok = true;
                for (size_t k = 0; k < d; k++)
                    ok = ok && isdig(s, len, q + k);
                if (ok && match_date(m, s, len, q + d, n2, n13 + 1, end))
                    return true;
            }
    }
    return false;
}

static void put_modifier(out_buf *o, const modifier *m)
{
    if (m->stab) {
        char low[8];
        size_t n = m->stablen;
        for (size_t k = 0; k < n; k++)
            low[k] = (char)ct_version__lower((unsigned char)m->stab[k]);
        bool exact_stable = n == 6 && memcmp(m->stab, "stable", 6) == 0;
        if (!exact_stable) {
            const char *e = (n == 1 && low[0] == 'a')   ? "alpha"
                            : (n == 1 && low[0] == 'b') ? "beta"
                            : ((n == 1 && low[0] == 'p') || (n == 2 && memcmp(low, "pl", 2) == 0))
                                ? "patch"
                            : (n == 2 && memcmp(low, "rc", 2) == 0) ? "RC"
                                                                    : NULL;
            put(o, "-", 1);
            if (e)
                put(o, e, strlen(e));
            else
                put(o, low, n);
            size_t k = 0;
            while (k < m->numslen && (m->nums[k] == '.' || m->nums[k] == '-'))
                k++;
            put(o, m->nums + k, m->numslen - k);
        } else {
            return; /* 'stable' === $matches[$index]: returned before "-dev" is added */
        }
    }
    if (m->dev)
        put(o, "-dev", 4);
}

static int normalize(out_buf *o, const char *v, size_t len)
{
    size_t b = 0, e = len;
    modifier m;
    while (b < e && (v[b] == ' ' || v[b] == '\t' || v[b] == '\n' || v[b] == '\r'))
        b++;
    while (e > b && (v[e - 1] == ' ' || v[e - 1] == '\t' || v[e - 1] == '\n' || v[e - 1] == '\r'))
        e--;
    v += b;
    len = e - b;
    if (len == 0)
        return bad("empty");
    if (len > COMPOSER_MAX_INPUT)
        return bad("longer than 128 bytes");
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)v[i] <= 0x20 || (unsigned char)v[i] >= 0x7f)
            return bad("blank, control or non-ASCII byte");
    for (size_t i = 0; i < len; i++) /* @stable, @dev, ... stability flags */
        if (v[i] == '@') {
            const char *f = v + i + 1;
            size_t fl = len - i - 1;
            if (!(ieq_at(f, fl, 0, "stable") && fl == 6) && !(ieq_at(f, fl, 0, "rc") && fl == 2) &&
                !(ieq_at(f, fl, 0, "beta") && fl == 4) && !(ieq_at(f, fl, 0, "alpha") && fl == 5) &&
                !(ieq_at(f, fl, 0, "dev") && fl == 3))
                return bad("invalid stability flag");
            len = i;
            break;
        }
    if (ieq_at(v, len, 0, "dev-") || (ieq_at(v, len, 0, "master") && len == 6) ||
        (ieq_at(v, len, 0, "trunk") && len == 5) || (ieq_at(v, len, 0, "default") && len == 7))
        return bad("branch versions (dev-*) have no order");
    for (size_t i = 0; i < len; i++)
        if (v[i] == '+') {
            if (i == 0 || i + 1 == len)
                return bad("empty build metadata or version");
            len = i;
            break;
        }
    size_t i = (v[0] == 'v' || v[0] == 'V') ? 1 : 0;
    /* classic: (\d{1,5}+)(\.\d++)?(\.\d++)?(\.\d++)? */
    size_t p = i;
    while (p < len && p - i < 5 && isdig(v, len, p))
        p++;
    if (p > i && !isdig(v, len, p)) {
        size_t parts[4][2] = { { i, p - i } };
        size_t np = 1;
        while (np < 4 && p + 1 < len && v[p] == '.' && isdig(v, len, p + 1)) {
            size_t q = p + 1;
            while (isdig(v, len, q))
                q++;
            parts[np][0] = p + 1;
            parts[np++][1] = q - p - 1;
            p = q;
        }
        for (; np > 0; np--) { /* the optional groups backtrack from longest to shortest */
            size_t end = np == 1 ? parts[0][0] + parts[0][1] : parts[np - 1][0] + parts[np - 1][1];
            if (match_modifier(&m, v, len, end)) {
                for (size_t k = 0; k < 4; k++) {
                    if (k > 0)
                        put(o, ".", 1);
                    if (k < np)
                        put(o, v + parts[k][0], parts[k][1]);
                    else
                        put(o, "0", 1);
                }
                put_modifier(o, &m);
                return 0;
            }
        }
    }
    size_t end = 0;
    bool d4 = true;
    for (size_t k = 0; k < 4; k++)
        d4 = d4 && isdig(v, len, i + k);
    if (d4 && match_date(&m, v, len, i + 4, 0, 0, &end)) {
        for (size_t k = i; k < end; k++)
            put(o, ct_version__isdigit((unsigned char)v[k]) ? v + k : ".", 1);
        put_modifier(o, &m);
        return 0;
    }
    if (len >= 3 && ieq_at(v, len, len - 3, "dev"))
        return bad("branch versions (*-dev) have no order");
    return bad("not a Composer version");
}

/* ---- PHP version_compare() ------------------------------------------------------------- */

static bool php_isdig(char c)
{
    return c >= '0' && c <= '9';
}

static void canonicalize(out_buf *o, const char *v)
{
    o->len = 0;
    if (!*v) {
        o->buf[0] = '\0';
        return;
    }
    char lp = *v;
    put(o, v++, 1);
    for (; *v; lp = *v++) {
        char c = *v;
        char last = o->buf[o->len - 1];
        bool isdig_c = php_isdig(c), isndig_c = !php_isdig(c) && c != '.';
        bool isdig_lp = php_isdig(lp), isndig_lp = !php_isdig(lp) && lp != '.';
        if (c == '-' || c == '_' || c == '+') {
            if (last != '.')
                put(o, ".", 1);
        } else if ((isndig_lp && isdig_c) || (isdig_lp && isndig_c)) {
            if (last != '.')
                put(o, ".", 1);
            put(o, &c, 1);
        } else if (!ct_version__isdigit((unsigned char)c) && !ct_version__isalpha((unsigned char)c)) {
            if (last != '.')
                put(o, ".", 1);
        } else {
            put(o, &c, 1);
        }
    }
}

static int special(const char *s, size_t n)
{
    static const struct {
        const char *name;
        int order;
    } forms[] = { { "dev", 0 }, { "alpha", 1 }, { "a", 1 }, { "beta", 2 }, { "b", 2 },
                  { "RC", 3 },  { "rc", 3 },    { "#", 4 }, { "pl", 5 },   { "p", 5 } };
    for (size_t k = 0; k < CT_NELEM(forms); k++) {
        size_t l = strlen(forms[k].name);
        if (n >= l && memcmp(s, forms[k].name, l) == 0)
            return forms[k].order;
    }
    return -1;
}

static int elem_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    bool da = an > 0 && php_isdig(a[0]), db = bn > 0 && php_isdig(b[0]);
    int c;
    if (da && db) {
        size_t x = 0, y = 0;
        while (x < an && php_isdig(a[x]))
            x++;
        while (y < bn && php_isdig(b[y]))
            y++;
        return ct_version__numcmp(a, x, b, y);
    }
    if (!da && !db)
        c = special(a, an) - special(b, bn);
    else if (da)
        c = 4 - special(b, bn);
    else
        c = special(a, an) - 4;
    return (c > 0) - (c < 0);
}

static int php_version_compare(const char *x, const char *y)
{
    size_t i = 0, j = 0, xl = strlen(x), yl = strlen(y);
    bool nx = true, ny = true;
    if (!xl || !yl)
        return (xl > 0) - (yl > 0);
    while (i < xl && j < yl && nx && ny) {
        size_t ie = i, je = j;
        while (ie < xl && x[ie] != '.')
            ie++;
        while (je < yl && y[je] != '.')
            je++;
        nx = ie < xl;
        ny = je < yl;
        int c = elem_cmp(x + i, ie - i, y + j, je - j);
        if (c != 0)
            return c;
        if (nx)
            i = ie + 1;
        if (ny)
            j = je + 1;
    }
    /* the longer one: a number wins, otherwise its next element against "#" */
    if (nx) {
        for (; i < xl; ) {
            if (php_isdig(x[i]))
                return 1;
            size_t ie = i;
            while (ie < xl && x[ie] != '.')
                ie++;
            int c = elem_cmp(x + i, ie - i, "#", 1);
            if (c != 0)
                return c;
            i = ie + 1;
        }
    } else if (ny) {
        for (; j < yl; ) {
            if (php_isdig(y[j]))
                return -1;
            size_t je = j;
            while (je < yl && y[je] != '.')
                je++;
            int c = elem_cmp("#", 1, y + j, je - j);
            if (c != 0)
                return c;
            j = je + 1;
        }
    }
    return 0;
}

static int composer_validate(const char *v, size_t len)
{
    char nb[COMPOSER_BUF];
    out_buf o = { nb, 0, sizeof nb };
    return normalize(&o, v, len);
}

static int composer_compare(int *cmp_out, const char *a, size_t alen, const char *b, size_t blen)
{
    char na[COMPOSER_BUF], nb[COMPOSER_BUF], ca[COMPOSER_BUF], cb[COMPOSER_BUF];
    out_buf oa = { na, 0, sizeof na }, ob = { nb, 0, sizeof nb };
    out_buf xa = { ca, 0, sizeof ca }, xb = { cb, 0, sizeof cb };
    int rc;
    if ((rc = normalize(&oa, a, alen)) < 0 || (rc = normalize(&ob, b, blen)) < 0)
        return rc;
    canonicalize(&xa, na);
    canonicalize(&xb, nb);
    *cmp_out = php_version_compare(ca, cb);
    return 0;
}

const ct_version_scheme ct_version_scheme_composer = { "composer", composer_validate,
                                                       composer_compare };

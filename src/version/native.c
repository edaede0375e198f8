/* ct_vers_from_native(): native range syntaxes to vers (vers-spec "from_native"): npm
 * (node-semver), pypi (PEP 440 specifiers), gem, golang, composer, conan, nuget and maven
 * intervals, nginx and openssl advisory lists. Constraints come out sorted by the scheme. */
#include "version/scheme.h"

#include <string.h>

#define NATIVE_MAX_LEN (64u * 1024u)

typedef struct {
    ct_vers_op op;
    size_t off, len; /* in the pool */
} ncons;

typedef struct {
    const ct_version_scheme *scheme;
    const char *name;
    ct_buf pool;
    ncons *c;
    size_t n, cap;
} nstate;

static int nerr(const char *why, size_t off)
{
    return ct_error_set(CT_EPARSE, "invalid native range: %s (offset %zu)", why, off);
}

static bool blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Append a constraint; the version is the concatenation of up to two pieces. */
static int add2(nstate *st, ct_vers_op op, const char *a, size_t alen, const char *b, size_t blen)
{
    int rc;
    if (st->n == st->cap) {
        size_t ncap = st->cap ? st->cap * 2 : 16;
        ncons *nc = ct_reallocarray(st->c, ncap, sizeof *nc);
        if (nc == NULL)
            return ct_error_set(CT_ENOMEM, "out of memory");
        st->c = nc;
        st->cap = ncap;
    }
    size_t off = st->pool.len;
    if ((rc = ct_buf_put(&st->pool, a, alen)) < 0 ||
        (blen && (rc = ct_buf_put(&st->pool, b, blen)) < 0) ||
        (rc = ct_buf_putc(&st->pool, '\0')) < 0)
        return rc;
    st->c[st->n++] = (ncons){ op, off, alen + blen };
    return 0;
}

static int add(nstate *st, ct_vers_op op, const char *v, size_t len)
{
    return add2(st, op, v, len, "", 0);
}

static ct_vers_op op_from(const char *s, size_t n, bool *ok)
{
    *ok = true;
    if (n == 0 || (n == 1 && s[0] == '=') || (n == 2 && memcmp(s, "==", 2) == 0))
        return CT_VERS_EQ;
    if (n == 2 && memcmp(s, "!=", 2) == 0)
        return CT_VERS_NE;
    if (n == 1 && s[0] == '<')
        return CT_VERS_LT;
    if (n == 2 && memcmp(s, "<=", 2) == 0)
        return CT_VERS_LE;
    if (n == 1 && s[0] == '>')
        return CT_VERS_GT;
    if (n == 2 && memcmp(s, ">=", 2) == 0)
        return CT_VERS_GE;
    *ok = false;
    return CT_VERS_EQ;
}

/* ---- dotted numbers --------------------------------------------------------------------- */

typedef struct {
    const char *part[3];
    size_t len[3];
    size_t n;     /* numeric parts present (an x-range part stops the count) */
    bool wild;    /* an x-range part was seen */
    const char *rest; /* after the numeric parts ("-beta", "+b") */
    size_t restlen;
} dotted;

static void split_dotted(dotted *d, const char *v, size_t len)
{
    size_t i = 0;
    memset(d, 0, sizeof *d);
    while (d->n < 3 && i < len) {
        size_t b = i;
        if (v[i] == 'x' || v[i] == 'X' || v[i] == '*') {
            d->wild = true;
            i++;
        } else {
            while (i < len && ct_version__isdigit((unsigned char)v[i]))
                i++;
            if (i == b)
                break;
            if (!d->wild) {
                d->part[d->n] = v + b;
                d->len[d->n++] = i - b;
            }
        }
        if (d->n + (d->wild ? 1u : 0u) < 3 && i < len && v[i] == '.' && i + 1 < len &&
            (ct_version__isdigit((unsigned char)v[i + 1]) || v[i + 1] == 'x' ||
             v[i + 1] == 'X' || v[i + 1] == '*'))
            i++;
        else
            break;
    }
    d->rest = v + i;
    d->restlen = len - i;
}

/* Decimal increment of a digit string into buf (leading zeros dropped). */
static size_t incr(char *buf, size_t cap, const char *s, size_t n)
{
    while (n > 1 && *s == '0') {
        s++;
        n--;
    }
    if (n + 1 >= cap)
        return 0;
    memcpy(buf + 1, s, n);
    buf[0] = '0';
    size_t k = n + 1;
    while (k-- > 0) {
        if (buf[k] == '9') {
            buf[k] = '0';
            continue;
        }
        buf[k]++;
        break;
    }
    if (buf[0] == '0') {
        memmove(buf, buf + 1, n);
        return n;
    }
    return n + 1;
}

/* "M.m.p" from the first n parts, bumping part `bump` (if < n), zero-padded to 3. */
static int put_semver(ct_buf *b, const dotted *d, size_t n, size_t bump)
{
    int rc = 0;
    for (size_t k = 0; k < 3 && rc == 0; k++) {
        if (k > 0)
            rc = ct_buf_putc(b, '.');
        if (rc < 0)
            break;
        if (k < n && k == bump) {
            char t[64];
            size_t tl = incr(t, sizeof t, d->part[k], d->len[k]);
            if (tl == 0)
                return nerr("number too long", 0);
            rc = ct_buf_put(b, t, tl);
        } else if (k < n && k < bump) {
            rc = ct_buf_put(b, d->part[k], d->len[k]);
        } else {
            rc = ct_buf_putc(b, '0');
        }
    }
    return rc;
}

static int add_built(nstate *st, ct_vers_op op, ct_buf *tmp)
{
    int rc = add(st, op, tmp->ptr, tmp->len);
    ct_buf_reset(tmp);
    return rc;
}

/* ---- npm / golang / composer (semver-like) ------------------------------------------------ */

/* Python semantic_version's Version.coerce(), as univers applies it to Composer versions. */
static int coerce(ct_buf *b, const char *v, size_t len)
{
    dotted d;
    int rc;
    split_dotted(&d, v, len);
    if (d.n == 0 || d.wild)
        return nerr("expected a version", 0);
    for (size_t k = 0; k < 3; k++) {
        if (k > 0 && (rc = ct_buf_putc(b, '.')) < 0)
            return rc;
        const char *p = k < d.n ? d.part[k] : "0";
        size_t n = k < d.n ? d.len[k] : 1;
        while (n > 1 && *p == '0') {
            p++;
            n--;
        }
        if ((rc = ct_buf_put(b, p, n)) < 0)
            return rc;
    }
    if (d.restlen == 0)
        return 0;
    const char *r = d.rest;
    size_t rl = d.restlen;
    char sep = r[0] == '+' || r[0] == '.' ? '+' : '-';
    if (r[0] == '+' || r[0] == '.' || r[0] == '-') {
        r++;
        rl--;
    }
    if ((rc = ct_buf_putc(b, sep)) < 0)
        return rc;
    for (size_t k = 0; k < rl; k++) {
        char c = r[k];
        if (!ct_version__isdigit((unsigned char)c) && !ct_version__isalpha((unsigned char)c) &&
            c != '+' && c != '.' && c != '-')
            c = '-';
        if (sep == '+' && c == '+')
            c = '.';
        if ((rc = ct_buf_putc(b, c)) < 0)
            return rc;
    }
    return 0;
}

static int semver_like(nstate *st, const char *op, size_t oplen, const char *v, size_t len,
                       bool composer)
{
    ct_buf tmp = CT_BUF_INIT;
    dotted d;
    bool ok;
    int rc = 0;

    while (len > 0 && (v[0] == 'v' || v[0] == 'V' || v[0] == '=')) {
        v++;
        len--;
    }
    split_dotted(&d, v, len);
    bool caret = oplen == 1 && op[0] == '^';
    bool tilde = (oplen == 1 && op[0] == '~') || (oplen == 2 && memcmp(op, "~>", 2) == 0);
    if (d.n == 0 && d.wild && oplen == 0) /* "*", "x" */
        return add(st, CT_VERS_STAR, "*", 1);
    if (d.n == 0)
        return nerr("expected a version", 0);
    if (caret || tilde || d.wild) {
        size_t bump;
        if (caret) {
            bump = 0;
            while (bump + 1 < d.n && ct_version__numcmp(d.part[bump], d.len[bump], "0", 1) == 0)
                bump++;
        } else if (tilde) {
            bump = d.n > 1 ? 1 : 0;
        } else {
            bump = d.n - 1;
        }
        if ((rc = put_semver(&tmp, &d, d.n, 3)) < 0 ||
            (rc = ct_buf_put(&tmp, d.rest, d.restlen)) < 0 ||
            (rc = add_built(st, CT_VERS_GE, &tmp)) < 0 ||
            (rc = put_semver(&tmp, &d, d.n, bump)) < 0 ||
            (rc = add_built(st, CT_VERS_LT, &tmp)) < 0)
            goto done;
        goto done;
    }
    ct_vers_op o = op_from(op, oplen, &ok);
    if (!ok) {
        rc = nerr("unknown operator", 0);
        goto done;
    }
    if (composer)
        rc = coerce(&tmp, v, len);
    else if ((rc = put_semver(&tmp, &d, d.n, 3)) == 0)
        rc = ct_buf_put(&tmp, d.rest, d.restlen);
    if (rc == 0)
        rc = add_built(st, o, &tmp);
done:
    ct_buf_dispose(&tmp);
    return rc;
}

/* ---- gem / pypi / conan: versions kept as written -------------------------------------- */

/* Gem::Version#bump: drop the last segment (unless it is the only one), increment the new
 * last; letters end the release part. */
static int bump_segments(ct_buf *b, const char *v, size_t len, bool conan)
{
    size_t ends[64], n = 0, i = 0;
    while (i < len && n < CT_NELEM(ends)) {
        size_t s = i;
        while (i < len && v[i] != '.' && v[i] != '-')
            i++;
        bool num = i > s;
        for (size_t k = s; k < i; k++)
            num = num && ct_version__isdigit((unsigned char)v[k]);
        if (!num)
            break;
        ends[n++] = i;
        if (i >= len || v[i] != '.')
            break;
        i++;
    }
    if (n == 0)
        return nerr("expected a numeric version", 0);
    size_t keep = n > 1 ? n - 1 : 1;
    if (conan && n > 1)
        keep = 2;
    size_t start = keep > 1 ? ends[keep - 2] + 1 : 0;
    char t[64];
    size_t tl = incr(t, sizeof t, v + start, ends[keep - 1] - start);
    int rc;
    if (tl == 0)
        return nerr("number too long", 0);
    if ((start && (rc = ct_buf_put(b, v, start)) < 0) || (rc = ct_buf_put(b, t, tl)) < 0)
        return rc;
    return 0;
}

static int gem_one(nstate *st, const char *op, size_t oplen, const char *v, size_t len)
{
    bool ok;
    if (oplen == 2 && memcmp(op, "~>", 2) == 0) {
        ct_buf tmp = CT_BUF_INIT;
        int rc;
        if ((rc = add(st, CT_VERS_GE, v, len)) == 0 && (rc = bump_segments(&tmp, v, len, false)) == 0)
            rc = add_built(st, CT_VERS_LT, &tmp);
        ct_buf_dispose(&tmp);
        return rc;
    }
    ct_vers_op o = op_from(op, oplen, &ok);
    return ok ? add(st, o, v, len) : nerr("unknown gem operator", 0);
}

/* Conan: ^ bumps the first non-zero item, ~ the second (or the only) one; bounds take the
 * "-" suffix so that pre-releases of the bound are excluded. */
static int conan_one(nstate *st, const char *op, size_t oplen, const char *v, size_t len)
{
    bool ok;
    if (len > 0 && v[len - 1] == '-') /* "1.2-": the lowest pre-release of 1.2 */
        len--;
    if (len >= 18 && memcmp(v, "include_prerelease", 18) == 0)
        return 0; /* a range option, not a constraint */
    if (len == 1 && v[0] == '*')
        return add(st, CT_VERS_GE, "0.0.0", 5);
    if (len == 2 && memcmp(v, "*-", 2) == 0)
        return add(st, CT_VERS_GE, "0.0.0", 5);
    if (oplen == 1 && (op[0] == '^' || op[0] == '~')) {
        ct_buf tmp = CT_BUF_INIT;
        dotted d;
        int rc;
        split_dotted(&d, v, len);
        if (d.n == 0)
            return nerr("expected a version", 0);
        size_t bump = 0;
        if (op[0] == '^')
            while (bump + 1 < d.n && ct_version__numcmp(d.part[bump], d.len[bump], "0", 1) == 0)
                bump++;
        else
            bump = d.n > 1 ? 1 : 0;
        rc = add(st, CT_VERS_GE, v, len);
        for (size_t k = 0; rc == 0 && k <= bump; k++) {
            if (k > 0)
                rc = ct_buf_putc(&tmp, '.');
            if (rc == 0 && k < bump)
                rc = ct_buf_put(&tmp, d.part[k], d.len[k]);
            if (rc == 0 && k == bump) {
                char t[64];
                size_t tl = incr(t, sizeof t, d.part[k], d.len[k]);
                rc = tl ? ct_buf_put(&tmp, t, tl) : nerr("number too long", 0);
            }
        }
        if (rc == 0 && (rc = ct_buf_putc(&tmp, '-')) == 0)
            rc = add_built(st, CT_VERS_LT, &tmp);
        ct_buf_dispose(&tmp);
        return rc;
    }
    ct_vers_op o = op_from(op, oplen, &ok);
    return ok ? add(st, o, v, len) : nerr("unknown conan operator", 0);
}

/* PEP 440 pre-release spelling as packaging normalises it: "1.0alpha" -> "1.0a0",
 * "1.7.b1" -> "1.7b1"; everything else is kept as written. */
static int pypi_version(ct_buf *b, const char *v, size_t len)
{
    static const struct {
        const char *w, *norm;
    } labels[] = { { "alpha", "a" }, { "beta", "b" }, { "preview", "rc" }, { "pre", "rc" },
                   { "rc", "rc" },   { "a", "a" },    { "b", "b" },        { "c", "rc" } };
    size_t i = 0;
    int rc;
    while (i < len && (ct_version__isdigit((unsigned char)v[i]) ||
                       (v[i] == '.' && i + 1 < len && ct_version__isdigit((unsigned char)v[i + 1]))))
        i++;
    size_t j = i + (i < len && (v[i] == '.' || v[i] == '-' || v[i] == '_'));
    for (size_t k = 0; i > 0 && k < CT_NELEM(labels); k++) {
        size_t wl = strlen(labels[k].w), m = 0;
        if (len - j < wl)
            continue;
        while (m < wl && ct_version__lower((unsigned char)v[j + m]) == (unsigned char)labels[k].w[m])
            m++;
        if (m < wl || (j + wl < len && ct_version__isalpha((unsigned char)v[j + wl])))
            continue;
        size_t d = j + wl;
        d += d < len && (v[d] == '.' || v[d] == '-' || v[d] == '_') && d + 1 < len &&
             ct_version__isdigit((unsigned char)v[d + 1]);
        size_t de = d;
        while (de < len && ct_version__isdigit((unsigned char)v[de]))
            de++;
        if ((rc = ct_buf_put(b, v, i)) < 0 || (rc = ct_buf_puts(b, labels[k].norm)) < 0)
            return rc;
        if (de == d)
            rc = ct_buf_putc(b, '0');
        else
            rc = ct_buf_put(b, v + d, de - d);
        return rc < 0 ? rc : ct_buf_put(b, v + de, len - de);
    }
    return ct_buf_put(b, v, len);
}

static int pypi_one(nstate *st, const char *op, size_t oplen, const char *v, size_t len)
{
    ct_buf tmp = CT_BUF_INIT;
    bool ok;
    int rc;
    if (oplen == 3 && memcmp(op, "===", 3) == 0) {
        op = "==";
        oplen = 2;
    }
    if (oplen == 2 && memcmp(op, "~=", 2) == 0) {
        if ((rc = add(st, CT_VERS_GE, v, len)) == 0 && (rc = bump_segments(&tmp, v, len, false)) == 0)
            rc = add_built(st, CT_VERS_LT, &tmp);
        ct_buf_dispose(&tmp);
        return rc;
    }
    ct_vers_op o = op_from(op, oplen, &ok);
    if (!ok)
        return nerr("unknown PEP 440 operator", 0);
    if (len >= 2 && v[len - 1] == '*' && v[len - 2] == '.') {
        if (o != CT_VERS_EQ)
            return nerr("a wildcard only works with '==' in vers", 0);
        if ((rc = add(st, CT_VERS_GE, v, len - 2)) == 0) {
            /* "1.0.*" is >=1.0 and <1.1: the last given segment is bumped */
            dotted d;
            split_dotted(&d, v, len - 2);
            size_t last = d.n ? d.n - 1 : 0;
            for (size_t k = 0; rc == 0 && k <= last && d.n; k++) {
                if (k > 0)
                    rc = ct_buf_putc(&tmp, '.');
                if (rc == 0 && k < last)
                    rc = ct_buf_put(&tmp, d.part[k], d.len[k]);
                if (rc == 0 && k == last) {
                    char t[64];
                    size_t tl = incr(t, sizeof t, d.part[k], d.len[k]);
                    rc = tl ? ct_buf_put(&tmp, t, tl) : nerr("number too long", 0);
                }
            }
            if (rc == 0)
                rc = add_built(st, CT_VERS_LT, &tmp);
        }
        ct_buf_dispose(&tmp);
        return rc;
    }
    if ((rc = pypi_version(&tmp, v, len)) == 0)
        rc = add_built(st, o, &tmp);
    ct_buf_dispose(&tmp);
    return rc;
}

/* ---- comparator lists: "||" groups of blank/comma separated "<op><version>" ------------ */

typedef int (*one_fn)(nstate *st, const char *op, size_t oplen, const char *v, size_t len);

static int npm_one(nstate *st, const char *op, size_t oplen, const char *v, size_t len)
{
    return semver_like(st, op, oplen, v, len, false);
}

static int composer_one(nstate *st, const char *op, size_t oplen, const char *v, size_t len)
{
    return semver_like(st, op, oplen, v, len, true);
}

static bool op_char(char c)
{
    return c == '<' || c == '>' || c == '=' || c == '!' || c == '~' || c == '^';
}

static int comparator_list(nstate *st, const char *s, size_t len, one_fn one, bool hyphen)
{
    size_t i = 0;
    int rc;
    while (i < len) {
        while (i < len && (blank(s[i]) || s[i] == ',' || s[i] == '|'))
            i++;
        if (i >= len)
            break;
        size_t ob = i;
        while (i < len && op_char(s[i]))
            i++;
        size_t oe = i;
        while (i < len && blank(s[i]))
            i++;
        size_t vb = i;
        while (i < len && !blank(s[i]) && s[i] != ',' && s[i] != '|')
            i++;
        if (vb == i)
            return nerr("operator without a version", ob);
        /* npm hyphen range "A - B" */
        size_t j = i;
        while (j < len && blank(s[j]))
            j++;
        if (hyphen && oe == ob && j + 1 < len && s[j] == '-' && blank(s[j + 1])) {
            size_t k = j + 1;
            while (k < len && blank(s[k]))
                k++;
            size_t we = k;
            while (we < len && !blank(s[we]) && s[we] != '|')
                we++;
            if (we == k)
                return nerr("hyphen range without an upper bound", k);
            if ((rc = one(st, ">=", 2, s + vb, i - vb)) < 0 ||
                (rc = one(st, "<=", 2, s + k, we - k)) < 0)
                return rc;
            i = we;
            continue;
        }
        if ((rc = one(st, s + ob, oe - ob, s + vb, i - vb)) < 0)
            return ct_error_prefix("offset %zu", vb);
    }
    return 0;
}

/* ---- intervals: nuget / maven "[1.0,2.0)", "(,1.0]", "[1.0]", "1.0" -------------------- */

static int interval_list(nstate *st, const char *s, size_t len, bool bare_is_min)
{
    size_t i = 0;
    int rc;
    while (i < len) {
        while (i < len && (blank(s[i]) || s[i] == ','))
            i++;
        if (i >= len)
            break;
        if (s[i] != '[' && s[i] != '(') {
            size_t b = i;
            while (i < len && s[i] != ',' && !blank(s[i]))
                i++;
            if ((rc = add(st, bare_is_min ? CT_VERS_GE : CT_VERS_EQ, s + b, i - b)) < 0)
                return rc;
            continue;
        }
        bool lo_incl = s[i] == '[';
        size_t b = ++i;
        while (i < len && s[i] != ']' && s[i] != ')')
            i++;
        if (i >= len)
            return nerr("unterminated interval", b);
        bool hi_incl = s[i] == ']';
        size_t e = i++;
        size_t comma = e;
        for (size_t k = b; k < e; k++)
            if (s[k] == ',') {
                comma = k;
                break;
            }
        size_t lb = b, le = comma, hb = comma < e ? comma + 1 : e, he = e;
        while (lb < le && blank(s[lb]))
            lb++;
        while (le > lb && blank(s[le - 1]))
            le--;
        while (hb < he && blank(s[hb]))
            hb++;
        while (he > hb && blank(s[he - 1]))
            he--;
        if (comma == e) {
            if (!lo_incl || !hi_incl || lb == le)
                return nerr("an exact version needs [v]", b);
            if ((rc = add(st, CT_VERS_EQ, s + lb, le - lb)) < 0)
                return rc;
            continue;
        }
        if (lb < le && (rc = add(st, lo_incl ? CT_VERS_GE : CT_VERS_GT, s + lb, le - lb)) < 0)
            return rc;
        if (hb < he && (rc = add(st, hi_incl ? CT_VERS_LE : CT_VERS_LT, s + hb, he - hb)) < 0)
            return rc;
        if (lb == le && hb == he && (rc = add(st, CT_VERS_STAR, "*", 1)) < 0)
            return rc;
    }
    return 0;
}

/* ---- nginx "0.7.52-0.8.39", "1.5.0+", openssl "3.0.0, 1.0.1b" ---------------------------- */

static int nginx_list(nstate *st, const char *s, size_t len)
{
    size_t i = 0;
    int rc;
    while (i < len) {
        while (i < len && (blank(s[i]) || s[i] == ','))
            i++;
        if (i >= len)
            break;
        size_t b = i;
        while (i < len && s[i] != ',' && !blank(s[i]))
            i++;
        size_t e = i, dash = e;
        for (size_t k = b; k < e; k++)
            if (s[k] == '-')
                dash = k;
        if (s[e - 1] == '+') {
            /* nginx numbers stable branches with an even minor and the mainline with an odd
             * one: "1.4.1+" is the rest of the 1.4 stable branch (<1.5.0), "1.5.0+" is 1.5.0
             * and everything after it on the mainline (open-ended) */
            ct_buf tmp = CT_BUF_INIT;
            dotted d;
            split_dotted(&d, s + b, e - 1 - b);
            rc = d.n >= 2 ? add(st, CT_VERS_GE, s + b, e - 1 - b) : nerr("expected X.Y.Z+", b);
            bool stable = d.n >= 2 && d.len[1] > 0 && (d.part[1][d.len[1] - 1] - '0') % 2 == 0;
            if (rc == 0 && stable && (rc = put_semver(&tmp, &d, 2, 1)) == 0)
                rc = add_built(st, CT_VERS_LT, &tmp);
            ct_buf_dispose(&tmp);
        } else if (dash < e) {
            if ((rc = add(st, CT_VERS_GE, s + b, dash - b)) == 0)
                rc = add(st, CT_VERS_LE, s + dash + 1, e - dash - 1);
        } else {
            rc = add(st, CT_VERS_EQ, s + b, e - b);
        }
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int version_list(nstate *st, const char *s, size_t len)
{
    size_t i = 0;
    int rc;
    while (i < len) {
        while (i < len && (blank(s[i]) || s[i] == ','))
            i++;
        size_t b = i;
        while (i < len && s[i] != ',' && !blank(s[i]))
            i++;
        if (i > b && (rc = add(st, CT_VERS_EQ, s + b, i - b)) < 0)
            return rc;
    }
    return 0;
}

/* ---- output ----------------------------------------------------------------------------- */

/* By version; for the very same version text, by comparator text ("!=" < "<" < "<=" < "=" <
 * ">" < ">="), so where one interval ends at the version the next starts at, the upper bound
 * comes first and the sequence keeps alternating: ">=1.4.1|<1.5.0|>=1.5.0", as univers writes
 * it. Versions that are equal but spelt differently (composer "1.14.4.0" / "1.14.4.4" are both
 * 1.14.4 with build metadata) keep their native order (the sort is stable). */
static int cmp_cons(int *cmp_out, const void *a, const void *b, void *payload)
{
    static const int rank[] = { [CT_VERS_NE] = 0, [CT_VERS_LT] = 1, [CT_VERS_LE] = 2,
                                [CT_VERS_EQ] = 3, [CT_VERS_GT] = 4, [CT_VERS_GE] = 5,
                                [CT_VERS_STAR] = 6 };
    const nstate *st = payload;
    const ncons *x = a, *y = b;
    int rc = st->scheme->compare(cmp_out, st->pool.ptr + x->off, x->len, st->pool.ptr + y->off,
                                 y->len);
    if (rc == 0 && *cmp_out == 0 && x->len == y->len &&
        memcmp(st->pool.ptr + x->off, st->pool.ptr + y->off, x->len) == 0)
        *cmp_out = rank[x->op] - rank[y->op];
    return rc;
}

static int emit(ct_buf *out, nstate *st)
{
    static const char *const ops[] = { "", "!=", "<", "<=", ">", ">=", "*" };
    int rc;
    if (st->n == 0)
        return nerr("no constraints", 0);
    for (size_t i = 0; i < st->n; i++)
        if (st->c[i].op == CT_VERS_STAR) {
            st->n = 1;
            st->c[0] = st->c[i];
            break;
        }
    if (st->c[0].op != CT_VERS_STAR) {
        for (size_t i = 0; i < st->n; i++)
            if ((rc = st->scheme->validate(st->pool.ptr + st->c[i].off, st->c[i].len)) < 0)
                return ct_error_prefix("invalid native range");
        if ((rc = ct_version__sort(st->c, st->n, sizeof *st->c, cmp_cons, st)) < 0)
            return rc;
    }
    if ((rc = ct_buf_puts(out, "vers:")) < 0 || (rc = ct_buf_puts(out, st->name)) < 0 ||
        (rc = ct_buf_putc(out, '/')) < 0)
        return rc;
    for (size_t i = 0; i < st->n; i++) {
        const ncons *c = &st->c[i];
        if ((i > 0 && (rc = ct_buf_putc(out, '|')) < 0) || (rc = ct_buf_puts(out, ops[c->op])) < 0)
            return rc;
        if (c->op != CT_VERS_STAR &&
            (rc = ct_version__put_vers_version(out, st->pool.ptr + c->off, c->len)) < 0)
            return rc;
    }
    return 0;
}

int ct_vers_from_native(ct_buf *out, const char *scheme, const char *native, size_t len)
{
    nstate st;
    size_t mark;
    int rc;

    if (out == NULL || scheme == NULL || native == NULL)
        return ct_error_set(CT_EINVAL, "ct_vers_from_native: NULL argument");
    if (len > NATIVE_MAX_LEN)
        return ct_error_set(CT_ELIMIT, "native range longer than %u bytes", NATIVE_MAX_LEN);
    memset(&st, 0, sizeof st);
    st.pool = (ct_buf)CT_BUF_INIT;
    if ((st.scheme = ct_version_scheme_find(scheme)) == NULL)
        return ct_error_set(CT_EUNSUPPORTED, "unknown version scheme '%.64s'", scheme);
    st.name = st.scheme->name;
    if (strcmp(st.name, "go") == 0)
        st.name = "golang";
    /* vers writes Go versions without the "v" the golang comparator insists on; the converted
     * versions are padded to MAJOR.MINOR.PATCH, so SemVer orders them the same way. */
    if (strcmp(st.name, "golang") == 0)
        st.scheme = &ct_version_scheme_semver;
    mark = out->len;
    if (strcmp(st.name, "golang") == 0)
        rc = comparator_list(&st, native, len, composer_one, false);
    else if (strcmp(st.name, "npm") == 0 || strcmp(st.name, "semver") == 0 ||
             strcmp(st.name, "cargo") == 0)
        rc = comparator_list(&st, native, len, npm_one, true);
    else if (strcmp(st.name, "composer") == 0)
        rc = comparator_list(&st, native, len, composer_one, false);
    else if (strcmp(st.name, "gem") == 0)
        rc = comparator_list(&st, native, len, gem_one, false);
    else if (strcmp(st.name, "pypi") == 0)
        rc = comparator_list(&st, native, len, pypi_one, false);
    else if (strcmp(st.name, "conan") == 0)
        rc = comparator_list(&st, native, len, conan_one, false);
    else if (strcmp(st.name, "nuget") == 0)
        rc = interval_list(&st, native, len, true);
    else if (strcmp(st.name, "maven") == 0)
        rc = interval_list(&st, native, len, false);
    else if (strcmp(st.name, "nginx") == 0)
        rc = nginx_list(&st, native, len);
    else if (strcmp(st.name, "openssl") == 0)
        rc = version_list(&st, native, len);
    else
        rc = ct_error_set(CT_EUNSUPPORTED, "no native range syntax for scheme '%s'", st.name);
    if (rc == 0)
        rc = emit(out, &st);
    if (rc < 0 && out->len >= mark && out->ptr != ct_buf__empty) {
        out->len = mark;
        out->ptr[mark] = '\0';
    }
    ct_free(st.c);
    ct_buf_dispose(&st.pool);
    return rc;
}

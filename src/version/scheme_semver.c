/* Strict SemVer 2.0.0 (semver.org): validation and §11 precedence, build metadata ignored.
 * Also the shared parts comparator used by npm, golang and cargo. */
#include "version/scheme.h"

#include <string.h>

static bool is_ident_char(unsigned char c)
{
    return ct_version__isdigit(c) || ct_version__isalpha(c) || c == '-';
}

static int bad(const char *why, size_t at)
{
    return ct_error_set(CT_EPARSE, "invalid semver: %s at offset %zu", why, at);
}

/* A numeric identifier: "0" or [1-9][0-9]* (§2). */
static int parse_core_num(const char **s_out, size_t *n_out, const char *v, size_t len,
                          size_t *pos, const char *what)
{
    size_t i = *pos, start = i;
    while (i < len && ct_version__isdigit((unsigned char)v[i]))
        i++;
    if (i == start)
        return ct_error_set(CT_EPARSE, "invalid semver: %s is not a number (offset %zu)", what,
                            start);
    if (v[start] == '0' && i - start > 1)
        return ct_error_set(CT_EPARSE, "invalid semver: leading zero in %s (offset %zu)", what,
                            start);
    *s_out = v + start;
    *n_out = i - start;
    *pos = i;
    return 0;
}

/* Dot-separated identifiers [0-9A-Za-z-]+; numeric ones without leading zeros if strict_num. */
static int scan_idents(const char *v, size_t len, size_t *pos, bool strict_num)
{
    size_t i = *pos;
    for (;;) {
        size_t start = i;
        bool numeric = true;
        while (i < len && is_ident_char((unsigned char)v[i])) {
            if (!ct_version__isdigit((unsigned char)v[i]))
                numeric = false;
            i++;
        }
        if (i == start)
            return bad("empty identifier", start);
        if (strict_num && numeric && v[start] == '0' && i - start > 1)
            return bad("leading zero in numeric pre-release identifier", start);
        if (i < len && v[i] == '.') {
            i++;
            continue;
        }
        break;
    }
    *pos = i;
    return 0;
}

int ct_version__semver_parse(ct_semver_parts *out, const char *v, size_t len)
{
    static const char *const what[3] = { "major", "minor", "patch" };
    size_t pos = 0;
    int rc;

    if (len == 0)
        return bad("empty version", 0);
    for (int k = 0; k < 3; k++) {
        if (k > 0) {
            if (pos >= len || v[pos] != '.')
                return bad("expected MAJOR.MINOR.PATCH", pos);
            pos++;
        }
        if ((rc = parse_core_num(&out->num[k], &out->numlen[k], v, len, &pos, what[k])) < 0)
            return rc;
    }
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
    if ((rc = ct_version__semver_parse(&pa, a, alen)) < 0 ||
        (rc = ct_version__semver_parse(&pb, b, blen)) < 0)
        return rc;
    *cmp_out = ct_version__semver_cmp_parts(&pa, &pb);
    return 0;
}

const ct_version_scheme ct_version_scheme_semver = { "semver", semver_validate, semver_compare };

/* RubyGems versions as Gem::Version (rubygems 3.3): the correct? pattern, '-' read as
 * ".pre.", segments are runs of digits or letters, trailing zeros of the release part
 * dropped, letters sort before numbers (Gem::Version#<=> and #canonical_segments). */
#include "version/scheme.h"

#include <string.h>

static bool rb_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

static bool alnum(unsigned char c)
{
    return ct_version__isdigit(c) || ct_version__isalpha(c);
}

static int bad(const char *why, size_t off)
{
    return ct_error_set(CT_EPARSE, "invalid gem version: %s at offset %zu", why, off);
}

/* \A\s*([0-9]+(\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?)?\s*\z ; trims v. */
static int gem_parse(const char **v, size_t *len)
{
    const char *s = *v;
    size_t b = 0, e = *len, i;
    while (b < e && rb_space((unsigned char)s[b]))
        b++;
    while (e > b && rb_space((unsigned char)s[e - 1]))
        e--;
    *v = s + b;
    *len = e - b;
    if (b == e)
        return 0; /* "" is version 0 */
    i = b;
    if (!ct_version__isdigit((unsigned char)s[i]))
        return bad("must start with a digit", i);
    while (i < e && ct_version__isdigit((unsigned char)s[i]))
        i++;
    while (i < e && s[i] == '.') {
        size_t seg = ++i;
        while (i < e && alnum((unsigned char)s[i]))
            i++;
        if (i == seg)
            return bad("empty segment", i);
    }
    if (i < e && s[i] == '-') {
        for (;;) {
            size_t seg = ++i;
            while (i < e && (alnum((unsigned char)s[i]) || s[i] == '-'))
                i++;
            if (i == seg)
                return bad("empty pre-release segment", i);
            if (i >= e || s[i] != '.')
                break;
        }
    }
    if (i != e)
        return bad("unexpected character", i);
    return 0;
}

typedef struct {
    const char *s;
    size_t len, pos;
    bool pending_pre; /* a '-' stands for ".pre." */
} seg_iter;

typedef struct {
    const char *s;
    size_t n;
    bool num;
} seg;

static bool next_seg(seg_iter *it, seg *out)
{
    if (it->pending_pre) {
        it->pending_pre = false;
        out->s = "pre";
        out->n = 3;
        out->num = false;
        return true;
    }
    while (it->pos < it->len && !alnum((unsigned char)it->s[it->pos])) {
        if (it->s[it->pos++] == '-') {
            it->pending_pre = true;
            return next_seg(it, out);
        }
    }
    if (it->pos >= it->len)
        return false;
    size_t b = it->pos;
    out->num = ct_version__isdigit((unsigned char)it->s[b]);
    while (it->pos < it->len && alnum((unsigned char)it->s[it->pos]) &&
           ct_version__isdigit((unsigned char)it->s[it->pos]) == out->num)
        it->pos++;
    out->s = it->s + b;
    out->n = it->pos - b;
    if (out->num)
        while (out->n > 1 && out->s[0] == '0') {
            out->s++;
            out->n--;
        }
    return true;
}

/* canonical_segments: numeric prefix without trailing zeros, then the rest from the first
 * letter segment. keep = number of prefix segments kept. */
typedef struct {
    seg_iter it;
    size_t keep, emitted;
    bool in_rest;
} canon;

static void canon_init(canon *c, const char *s, size_t len)
{
    seg_iter it = { s, len, 0, false };
    seg g;
    size_t idx = 0;
    c->keep = 0;
    while (next_seg(&it, &g) && g.num) {
        idx++;
        if (!(g.n == 1 && g.s[0] == '0'))
            c->keep = idx;
    }
    c->it = (seg_iter){ s, len, 0, false };
    c->emitted = 0;
    c->in_rest = false;
}

static bool canon_next(canon *c, seg *out)
{
    while (!c->in_rest) {
        if (!next_seg(&c->it, out))
            return false;
        if (!out->num) {
            c->in_rest = true;
            return true;
        }
        if (c->emitted < c->keep) {
            c->emitted++;
            return true;
        }
    }
    return next_seg(&c->it, out);
}

static int gem_validate(const char *v, size_t len)
{
    return gem_parse(&v, &len);
}

static int gem_compare(int *cmp_out, const char *a, size_t alen, const char *b, size_t blen)
{
    int rc;
    if ((rc = gem_parse(&a, &alen)) < 0 || (rc = gem_parse(&b, &blen)) < 0)
        return rc;
    canon ca, cb;
    canon_init(&ca, a, alen);
    canon_init(&cb, b, blen);
    for (;;) {
        seg x, y;
        bool hx = canon_next(&ca, &x), hy = canon_next(&cb, &y);
        if (!hx && !hy) {
            *cmp_out = 0;
            return 0;
        }
        if (!hx)
            x = (seg){ "0", 1, true };
        if (!hy)
            y = (seg){ "0", 1, true };
        int c;
        if (x.num != y.num) {
            c = x.num ? 1 : -1;
        } else if (x.num) {
            c = ct_version__numcmp(x.s, x.n, y.s, y.n);
        } else {
            c = memcmp(x.s, y.s, x.n < y.n ? x.n : y.n);
            if (c == 0)
                c = (x.n > y.n) - (x.n < y.n);
        }
        if (c != 0) {
            *cmp_out = c < 0 ? -1 : 1;
            return 0;
        }
    }
}

const ct_version_scheme ct_version_scheme_gem = { "gem", gem_validate, gem_compare };

/* Maven versions ordered as ComparableVersion parsed them up to Maven 3.8.6 (the vers-spec
 * maven vectors), with MNG-6964's list-versus-null rule: '.'/'-' and digit/letter transitions
 * split items, '-' and transitions open a nested list, qualifiers rank
 * alpha < beta < milestone < rc = cr < snapshot < "" = ga = final = release < sp < others.
 * Maven 3.8.7 / 3.9.x also open a list before a '.'-separated qualifier at the end or before a
 * digit (MNG-7644); that difference is classified in docs/ecosystems.md. */
#include "version/scheme.h"

#include <string.h>

#define MVN_MAX_ITEMS 192
#define MVN_RANK_RELEASE 5
#define MVN_RANK_OTHER 7

enum { IT_INT, IT_STR, IT_LIST };

typedef struct {
    unsigned char kind;
    unsigned char rank; /* IT_STR: qualifier rank, MVN_RANK_OTHER for unknown qualifiers */
    unsigned short depth;
    const char *s; /* IT_INT: digits without leading zeros; IT_STR other: the qualifier */
    size_t len;
} mvn_item;

/* The nested lists form a chain (a new list is always the last item of the current one),
 * so a version is a flat array of items; items of list d are followed by list d+1. */
typedef struct {
    mvn_item it[MVN_MAX_ITEMS];
    size_t n;
} mvn_version;

static const char *const qualifiers[] = { "alpha", "beta", "milestone", "rc", "snapshot", "",
                                          "sp" };

static bool ieq(const char *s, size_t n, const char *w)
{
    size_t k = 0;
    for (; k < n && w[k]; k++)
        if (ct_version__lower((unsigned char)s[k]) != (unsigned char)w[k])
            return false;
    return k == n && w[k] == '\0';
}

static int add(mvn_version *v, unsigned kind, unsigned depth, const char *s, size_t len)
{
    if (v->n >= MVN_MAX_ITEMS)
        return ct_error_set(CT_EPARSE, "invalid Maven version: more than %d items",
                            MVN_MAX_ITEMS);
    mvn_item *it = &v->it[v->n++];
    it->kind = (unsigned char)kind;
    it->depth = (unsigned short)depth;
    it->rank = 0;
    it->s = s;
    it->len = len;
    return 0;
}

static int add_int(mvn_version *v, unsigned depth, const char *s, size_t len)
{
    while (len > 0 && *s == '0') {
        s++;
        len--;
    }
    return add(v, IT_INT, depth, s, len);
}

/* StringItem: one-letter a/b/m before a digit are alpha/beta/milestone; aliases ga, final,
 * release = "" and cr = rc. */
static int add_str(mvn_version *v, unsigned depth, const char *s, size_t len, bool digit_next)
{
    int rc = add(v, IT_STR, depth, s, len);
    if (rc < 0)
        return rc;
    mvn_item *it = &v->it[v->n - 1];
    unsigned char r = MVN_RANK_OTHER;
    if (digit_next && len == 1) {
        unsigned char c = ct_version__lower((unsigned char)s[0]);
        r = c == 'a' ? 0 : c == 'b' ? 1 : c == 'm' ? 2 : MVN_RANK_OTHER;
    }
    if (r == MVN_RANK_OTHER) {
        if (ieq(s, len, "ga") || ieq(s, len, "final") || ieq(s, len, "release"))
            r = MVN_RANK_RELEASE;
        else if (ieq(s, len, "cr"))
            r = 3;
        for (unsigned k = 0; r == MVN_RANK_OTHER && k < CT_NELEM(qualifiers); k++)
            if (qualifiers[k][0] != '\0' && ieq(s, len, qualifiers[k]))
                r = (unsigned char)k;
    }
    it->rank = r;
    return 0;
}

static int add_item(mvn_version *v, unsigned depth, bool digit, const char *s, size_t len)
{
    return digit ? add_int(v, depth, s, len) : add_str(v, depth, s, len, false);
}

static bool is_null(const mvn_item *it)
{
    return (it->kind == IT_INT && it->len == 0) ||
           (it->kind == IT_STR && it->rank == MVN_RANK_RELEASE);
}

/* ListItem.normalize() applied innermost first: drop trailing null items of each list; a
 * list left empty is itself null and disappears from its parent. */
static void normalize(mvn_version *v, unsigned maxdepth)
{
    size_t end = v->n; /* items of lists deeper than d that survived start at [end..) */
    size_t out_n = v->n;
    for (unsigned d = maxdepth + 1; d-- > 0;) {
        size_t start = end;
        while (start > 0 && v->it[start - 1].depth == d)
            start--;
        size_t keep = end;
        while (keep > start && is_null(&v->it[keep - 1]))
            keep--;
        if (keep < end) {
            memmove(&v->it[keep], &v->it[end], (out_n - end) * sizeof v->it[0]);
            out_n -= end - keep;
        }
        end = start;
    }
    v->n = out_n;
}

static int mvn_parse(mvn_version *v, const char *s, size_t len)
{
    size_t start = 0;
    unsigned depth = 0;
    bool digit = false;
    int rc;

    v->n = 0;
    if (len == 0)
        return ct_error_set(CT_EPARSE, "invalid Maven version: empty");
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f)
            return ct_error_set(CT_EPARSE,
                                "invalid Maven version: control character at offset %zu", i);
        if (c == '.' || c == '-') {
            rc = i == start ? add(v, IT_INT, depth, "", 0)
                            : add_item(v, depth, digit, s + start, i - start);
            if (rc < 0)
                return rc;
            start = i + 1;
            if (c == '-')
                depth++;
        } else if (ct_version__isdigit(c)) {
            if (!digit && i > start) {
                if ((rc = add_str(v, depth, s + start, i - start, true)) < 0)
                    return rc;
                start = i;
                depth++;
            }
            digit = true;
        } else {
            if (digit && i > start) {
                if ((rc = add_int(v, depth, s + start, i - start)) < 0)
                    return rc;
                start = i;
                depth++;
            }
            digit = false;
        }
    }
    if (len > start && (rc = add_item(v, depth, digit, s + start, len - start)) < 0)
        return rc;
    normalize(v, depth);
    return 0;
}

static int str_cmp(const mvn_item *a, const mvn_item *b)
{
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    if (a->rank != MVN_RANK_OTHER)
        return 0;
    for (size_t k = 0; k < a->len && k < b->len; k++) {
        unsigned char x = ct_version__lower((unsigned char)a->s[k]);
        unsigned char y = ct_version__lower((unsigned char)b->s[k]);
        if (x != y)
            return x < y ? -1 : 1;
    }
    return (a->len > b->len) - (a->len < b->len);
}

/* Cursor over one list: items [pos, end) at depth d; the child list, if any, follows. */
typedef struct {
    const mvn_version *v;
    size_t pos;
    unsigned depth;
} cursor;

/* Kind of the next element of the list at c->depth; -1 at its end. */
static int peek(const cursor *c)
{
    if (c->pos >= c->v->n)
        return -1;
    const mvn_item *it = &c->v->it[c->pos];
    if (it->depth == c->depth)
        return it->kind;
    return IT_LIST;
}

static int scalar_null(const mvn_item *it)
{
    if (it->kind == IT_INT)
        return it->len == 0 ? 0 : 1;
    return it->rank == MVN_RANK_RELEASE ? 0 : it->rank < MVN_RANK_RELEASE ? -1 : 1;
}

/* The element at cx compared with null; a ListItem compares each of its elements with null
 * until one differs (MNG-6964, Maven 3.8). */
static int cmp_null(cursor cx)
{
    int k = peek(&cx);
    if (k < 0)
        return 0;
    if (k != IT_LIST)
        return scalar_null(&cx.v->it[cx.pos]);
    cx.depth++;
    for (;;) {
        k = peek(&cx);
        if (k < 0)
            return 0;
        if (k == IT_LIST) {
            cx.depth++; /* the nested list is the last element */
            continue;
        }
        int c = scalar_null(&cx.v->it[cx.pos]);
        if (c != 0)
            return c;
        cx.pos++;
    }
}

static int list_cmp(cursor a, cursor b)
{
    for (;;) {
        int ka = peek(&a), kb = peek(&b);
        if (ka < 0 && kb < 0)
            return 0;
        if (ka < 0 || kb < 0) {
            /* the shorter list is padded with nulls */
            int c = ka < 0 ? -cmp_null(b) : cmp_null(a);
            if (c != 0 || (ka < 0 ? kb : ka) == IT_LIST)
                return c;
            if (ka < 0)
                b.pos++;
            else
                a.pos++;
            continue;
        }
        if (ka == IT_LIST && kb == IT_LIST) {
            a.depth++;
            b.depth++;
            continue; /* a list is the last element: the result is the sublists' order */
        }
        int c;
        if (ka != kb) {
            /* int > list > string */
            int ra = ka == IT_INT ? 2 : ka == IT_LIST ? 1 : 0;
            int rb = kb == IT_INT ? 2 : kb == IT_LIST ? 1 : 0;
            return ra < rb ? -1 : 1;
        }
        const mvn_item *x = &a.v->it[a.pos], *y = &b.v->it[b.pos];
        c = ka == IT_INT ? ct_version__numcmp(x->s, x->len, y->s, y->len) : str_cmp(x, y);
        if (c != 0)
            return c;
        a.pos++;
        b.pos++;
    }
}

static int mvn_validate(const char *v, size_t len)
{
    mvn_version p;
    return mvn_parse(&p, v, len);
}

static int mvn_compare(int *cmp_out, const char *a, size_t alen, const char *b, size_t blen)
{
    mvn_version pa, pb;
    int rc;
    if ((rc = mvn_parse(&pa, a, alen)) < 0 || (rc = mvn_parse(&pb, b, blen)) < 0)
        return rc;
    cursor ca = { &pa, 0, 0 }, cb = { &pb, 0, 0 };
    *cmp_out = list_cmp(ca, cb);
    return 0;
}

const ct_version_scheme ct_version_scheme_maven = { "maven", mvn_validate, mvn_compare };

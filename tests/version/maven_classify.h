/* Classifier for Maven disagreements between cratrace and the oracle (Maven 3.8.7's
 * ComparableVersion, shared/oracles): an independent item-tree model of ComparableVersion with
 * one switch, MNG-7644 (Maven 3.8.7 / 3.9.0: a string token after '.' that ends the version or
 * is followed by a digit opens a new sublist, "treat .X as -X"). Without it the model is the
 * ordering cratrace implements (Maven <= 3.8.6 parsing, the vers-spec maven vectors, with
 * MNG-6964's list-versus-null rule); with it, Maven 3.8.7 (= Debian's 3.9.9, measured).
 *
 * For a disagreeing pair, maven_classify() checks that the old model gives cratrace's answer
 * and the MNG-7644 model gives the oracle's, then names the rule at the first point where the
 * 3.8.7 comparison walk meets a structure MNG-7644 changed (docs/ecosystems.md "Maven and the
 * oracle"). Exactly one rule applies there; a pair for which a check fails or no rule applies
 * is MVN_RULE_NONE and fails the test. Header-only, used by test_oracle.c and test_schemes.c. */
#ifndef CT_TESTS_MAVEN_CLASSIFY_H
#define CT_TESTS_MAVEN_CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#define MVM_MAX_NODES 160
#define MVM_MAX_KIDS 64
#define MVM_RANK_RELEASE 5
#define MVM_RANK_UNKNOWN 7

enum { MVM_INT, MVM_STR, MVM_LIST };

typedef enum maven_rule {
    MVN_RULE_NONE,      /* unexplained: a check failed or no rule applies */
    MVN_RULE_NULL_DROP, /* nulls before the new ".X" sublist are normalised away */
    MVN_RULE_RELEASE,   /* ".ga1"/".final1"/".release1": the sublist keeps an extra level */
    MVN_RULE_VS_STRING, /* the ".X" sublist meets a qualifier string: list > string */
    MVN_RULE_VS_LIST,   /* the ".X" sublist meets a '-'/transition sublist: element-wise */
    MVN_RULE_COUNT
} maven_rule;

static const char *const maven_rule_names[MVN_RULE_COUNT] = {
    "unexplained",
    "MNG-7644 nulls before a .X qualifier dropped (2.0.a = 2.0.0.a = 2-a)",
    "MNG-7644 release alias before a digit keeps a nested sublist (1.final1 = 1-0-1)",
    "MNG-7644 .X sublist ranks above a qualifier string (1.2.cr > 1.2.cr.201)",
    "MNG-7644 .X sublist compared element-wise with a - sublist (1.x > 1_y, 1.alpha = 1-alpha)",
};

typedef struct mvm_node {
    unsigned char kind;
    bool wrap;         /* MVM_LIST opened by MNG-7644 */
    unsigned char rank; /* MVM_STR: alpha 0 .. sp 6, MVM_RANK_UNKNOWN otherwise */
    char dropped[16];  /* wrap lists: kinds of the nulls normalisation removed before it */
    const char *s;     /* MVM_INT: digits without leading zeros; MVM_STR: the qualifier */
    size_t n;
    int kid[MVM_MAX_KIDS];
    size_t nkid;
} mvm_node;

typedef struct mvm_tree {
    mvm_node node[MVM_MAX_NODES]; /* node[0] is the root list */
    size_t n;
    int list_order[MVM_MAX_NODES]; /* lists in creation order, for normalisation */
    size_t nlists;
    bool overflow;
} mvm_tree;

static inline unsigned char mvm_lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static inline bool mvm_isdigit(char c)
{
    return c >= '0' && c <= '9';
}

static inline bool mvm_ieq(const char *s, size_t n, const char *w)
{
    size_t k = 0;
    for (; k < n && w[k]; k++)
        if (mvm_lower((unsigned char)s[k]) != (unsigned char)w[k])
            return false;
    return k == n && w[k] == '\0';
}

static inline int mvm_new(mvm_tree *t, unsigned char kind, const char *s, size_t n)
{
    if (t->n >= MVM_MAX_NODES) {
        t->overflow = true;
        return -1;
    }
    mvm_node *x = &t->node[t->n];
    memset(x, 0, sizeof *x);
    x->kind = kind;
    x->s = s;
    x->n = n;
    if (kind == MVM_LIST)
        t->list_order[t->nlists++] = (int)t->n;
    return (int)t->n++;
}

static inline void mvm_append(mvm_tree *t, int list, int item)
{
    if (list < 0 || item < 0)
        return;
    mvm_node *l = &t->node[list];
    if (l->nkid >= MVM_MAX_KIDS) {
        t->overflow = true;
        return;
    }
    l->kid[l->nkid++] = item;
}

/* StringItem: a/b/m directly before a digit are alpha/beta/milestone; ga, final, release = "";
 * cr = rc; anything else is unknown and compared as lower-case text. */
static inline int mvm_str(mvm_tree *t, const char *s, size_t n, bool digit_next)
{
    static const char *const known[] = { "alpha", "beta", "milestone", "rc", "snapshot" };
    int i = mvm_new(t, MVM_STR, s, n);
    if (i < 0)
        return i;
    unsigned char r = MVM_RANK_UNKNOWN;
    if (digit_next && n == 1) {
        unsigned char c = mvm_lower((unsigned char)s[0]);
        r = c == 'a' ? 0 : c == 'b' ? 1 : c == 'm' ? 2 : MVM_RANK_UNKNOWN;
    }
    for (unsigned k = 0; r == MVM_RANK_UNKNOWN && k < 5; k++)
        if (mvm_ieq(s, n, known[k]))
            r = (unsigned char)k;
    if (r == MVM_RANK_UNKNOWN && (mvm_ieq(s, n, "ga") || mvm_ieq(s, n, "final") ||
                                  mvm_ieq(s, n, "release")))
        r = MVM_RANK_RELEASE;
    if (r == MVM_RANK_UNKNOWN && mvm_ieq(s, n, "cr"))
        r = 3;
    if (r == MVM_RANK_UNKNOWN && mvm_ieq(s, n, "sp"))
        r = 6;
    t->node[i].rank = r;
    return i;
}

static inline int mvm_int(mvm_tree *t, const char *s, size_t n)
{
    while (n > 0 && *s == '0') {
        s++;
        n--;
    }
    return mvm_new(t, MVM_INT, s, n);
}

static inline int mvm_token(mvm_tree *t, const char *s, size_t n, bool digit)
{
    return digit ? mvm_int(t, s, n) : mvm_str(t, s, n, false);
}

static inline bool mvm_is_null(const mvm_tree *t, int i)
{
    const mvm_node *x = &t->node[i];
    return x->kind == MVM_INT ? x->n == 0
           : x->kind == MVM_STR ? x->rank == MVM_RANK_RELEASE
                                : x->nkid == 0;
}

/* A wrap list whose release qualifier was normalised away starts with a list ("1.final1"). */
static inline bool mvm_release_wrap(const mvm_tree *t, int i)
{
    const mvm_node *x = &t->node[i];
    return x->kind == MVM_LIST && x->wrap && x->nkid > 0 &&
           t->node[x->kid[0]].kind == MVM_LIST;
}

/* ListItem.normalize(): from the end drop null items, step over non-null lists, stop at the
 * first other item. Nulls dropped before a wrap list are recorded on it (unless it is a
 * release wrap: then the old parse drops them too). */
static inline void mvm_normalize(mvm_tree *t, int li)
{
    mvm_node *l = &t->node[li];
    int wrap = -1;
    for (size_t k = l->nkid; k-- > 0;) {
        int it = l->kid[k];
        if (mvm_is_null(t, it)) {
            if (wrap >= 0 && !mvm_release_wrap(t, wrap)) {
                mvm_node *w = &t->node[wrap];
                size_t d = strlen(w->dropped);
                if (d + 1 < sizeof w->dropped)
                    w->dropped[d] = t->node[it].kind == MVM_INT ? 'i'
                                    : t->node[it].kind == MVM_STR ? 's'
                                                                  : 'l';
                else
                    t->overflow = true;
            }
            memmove(&l->kid[k], &l->kid[k + 1], (l->nkid - k - 1) * sizeof l->kid[0]);
            l->nkid--;
        } else if (t->node[it].kind == MVM_LIST) {
            if (t->node[it].wrap)
                wrap = it;
        } else {
            break;
        }
    }
}

static inline int mvm_nest(mvm_tree *t, int list, bool wrap)
{
    int n = mvm_new(t, MVM_LIST, NULL, 0);
    if (n < 0)
        return list;
    t->node[n].wrap = wrap;
    mvm_append(t, list, n);
    return n;
}

/* ComparableVersion.parseVersion(); mng7644 adds the two "new sublist before .X" steps. */
static inline bool mvm_parse(mvm_tree *t, const char *s, size_t len, bool mng7644)
{
    t->n = 0;
    t->nlists = 0;
    t->overflow = false;
    int cur = mvm_new(t, MVM_LIST, NULL, 0);
    size_t start = 0;
    bool digit = false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '.' || c == '-') {
            mvm_append(t, cur, i == start ? mvm_new(t, MVM_INT, "", 0)
                                          : mvm_token(t, s + start, i - start, digit));
            start = i + 1;
            if (c == '-')
                cur = mvm_nest(t, cur, false);
        } else if (mvm_isdigit(c)) {
            if (!digit && i > start) {
                if (mng7644 && t->node[cur].nkid > 0)
                    cur = mvm_nest(t, cur, true);
                mvm_append(t, cur, mvm_str(t, s + start, i - start, true));
                start = i;
                cur = mvm_nest(t, cur, false);
            }
            digit = true;
        } else {
            if (digit && i > start) {
                mvm_append(t, cur, mvm_int(t, s + start, i - start));
                start = i;
                cur = mvm_nest(t, cur, false);
            }
            digit = false;
        }
    }
    if (len > start) {
        if (mng7644 && !digit && t->node[cur].nkid > 0)
            cur = mvm_nest(t, cur, true);
        mvm_append(t, cur, mvm_token(t, s + start, len - start, digit));
    }
    for (size_t k = t->nlists; k-- > 0;)
        mvm_normalize(t, t->list_order[k]);
    return !t->overflow;
}

static inline int mvm_sign(int v)
{
    return (v > 0) - (v < 0);
}

static inline int mvm_strcmp(const mvm_node *a, const mvm_node *b)
{
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    if (a->rank != MVM_RANK_UNKNOWN)
        return 0;
    for (size_t k = 0; k < a->n && k < b->n; k++) {
        unsigned char x = mvm_lower((unsigned char)a->s[k]), y = mvm_lower((unsigned char)b->s[k]);
        if (x != y)
            return x < y ? -1 : 1;
    }
    return (a->n > b->n) - (a->n < b->n);
}

/* Item.compareTo(): b < 0 is null. Lists against null compare every element (MNG-6964). */
static inline int mvm_cmp(const mvm_tree *ta, int a, const mvm_tree *tb, int b)
{
    const mvm_node *x = &ta->node[a];
    if (b < 0) {
        if (x->kind == MVM_INT)
            return x->n ? 1 : 0;
        if (x->kind == MVM_STR)
            return x->rank == MVM_RANK_RELEASE ? 0 : x->rank < MVM_RANK_RELEASE ? -1 : 1;
        for (size_t k = 0; k < x->nkid; k++) {
            int c = mvm_cmp(ta, x->kid[k], tb, -1);
            if (c)
                return c;
        }
        return 0;
    }
    const mvm_node *y = &tb->node[b];
    if (x->kind == MVM_INT) {
        if (y->kind != MVM_INT)
            return 1;
        if (x->n != y->n)
            return x->n < y->n ? -1 : 1;
        return mvm_sign(memcmp(x->s, y->s, x->n));
    }
    if (x->kind == MVM_STR)
        return y->kind == MVM_STR ? mvm_strcmp(x, y) : -1;
    if (y->kind != MVM_LIST)
        return y->kind == MVM_INT ? -1 : 1;
    for (size_t k = 0; k < x->nkid || k < y->nkid; k++) {
        int c = k >= x->nkid   ? -mvm_cmp(tb, y->kid[k], ta, -1)
                : k >= y->nkid ? mvm_cmp(ta, x->kid[k], tb, -1)
                               : mvm_cmp(ta, x->kid[k], tb, y->kid[k]);
        if (c)
            return c;
    }
    return 0;
}

/* The first divergence on the 3.8.7 comparison walk of lists la and lb (-1: absent). Returns
 * a rule, MVN_RULE_NONE when the walk is decided before any MNG-7644 structure, or -1 when
 * these lists compare equal without one. */
static inline int mvm_walk(const mvm_tree *ta, int la, const mvm_tree *tb, int lb)
{
    size_t na = la >= 0 ? ta->node[la].nkid : 0, nb = lb >= 0 ? tb->node[lb].nkid : 0;
    for (size_t k = 0; k < na || k < nb; k++) {
        int l = k < na ? ta->node[la].kid[k] : -1, r = k < nb ? tb->node[lb].kid[k] : -1;
        const mvm_node *x = l >= 0 ? &ta->node[l] : NULL, *y = r >= 0 ? &tb->node[r] : NULL;
        bool lw = x && x->kind == MVM_LIST && x->wrap, rw = y && y->kind == MVM_LIST && y->wrap;
        if (strcmp(lw ? x->dropped : "", rw ? y->dropped : "") != 0)
            return MVN_RULE_NULL_DROP;
        if ((lw && mvm_release_wrap(ta, l)) != (rw && mvm_release_wrap(tb, r)))
            return MVN_RULE_RELEASE;
        if (lw != rw) {
            const mvm_node *o = lw ? y : x;
            if (o && o->kind == MVM_STR)
                return MVN_RULE_VS_STRING;
            if (o && o->kind == MVM_LIST)
                return MVN_RULE_VS_LIST;
            return MVN_RULE_NONE; /* against a number or null both parses decide alike */
        }
        if (x && y && x->kind == MVM_LIST && y->kind == MVM_LIST) {
            int res = mvm_walk(ta, l, tb, r);
            if (res >= 0)
                return res;
            continue;
        }
        int c = !x ? -mvm_cmp(tb, r, ta, -1) : mvm_cmp(ta, l, tb, r);
        if (c)
            return MVN_RULE_NONE;
    }
    return -1;
}

typedef struct maven_verdict {
    maven_rule rule;
    int old_cmp, new_cmp; /* the two models' answers */
} maven_verdict;

/* Explain one pair on which cratrace answered `mine` and the oracle `oracle` (-1/0/1). */
static inline maven_verdict maven_classify(const char *a, size_t alen, const char *b,
                                           size_t blen, int mine, int oracle)
{
    static mvm_tree ta, tb; /* ~30 KB each: not on the stack */
    maven_verdict e = { MVN_RULE_NONE, 2, 2 };
    if (!mvm_parse(&ta, a, alen, false) || !mvm_parse(&tb, b, blen, false))
        return e;
    e.old_cmp = mvm_sign(mvm_cmp(&ta, 0, &tb, 0));
    if (!mvm_parse(&ta, a, alen, true) || !mvm_parse(&tb, b, blen, true))
        return e;
    e.new_cmp = mvm_sign(mvm_cmp(&ta, 0, &tb, 0));
    if (e.old_cmp != mine || e.new_cmp != oracle || mine == oracle)
        return e;
    int res = mvm_walk(&ta, 0, &tb, 0);
    e.rule = res > 0 ? (maven_rule)res : MVN_RULE_NONE;
    return e;
}

#endif

/* Alpine apk versions as apk-tools 3 tokenises them (test/unit/version.data):
 * digits{.digits}[letter]{_suffix[digits]}[~hexhash][-rN]. Versions apk-tools would only
 * string-sort are rejected with the reason instead of being compared. Also apk's fuzzy
 * (prefix) comparison behind the "~", "<~" and ">~" operators (ct_version_match). */
#include "version/scheme.h"

#include <string.h>

enum {
    T_INITIAL,
    T_DIGIT,
    T_LETTER,
    T_SUFFIX,
    T_SUFFIX_NO,
    T_HASH,
    T_REVISION,
    T_END,
    T_INVALID
};

#define SUFFIX_NONE 5 /* alpha..rc rank below it, cvs..p above */

typedef struct {
    const char *s;
    size_t pos, len;
    int token;
    int suffix;
    const char *val;
    size_t vlen;
    const char *why; /* reason for T_INVALID */
} tok;

static bool is_lower(unsigned char c)
{
    return c >= 'a' && c <= 'z';
}

static bool is_hex(unsigned char c)
{
    return ct_version__isdigit(c) || (c >= 'a' && c <= 'f');
}

static void take(tok *t, bool (*pred)(unsigned char), int token, const char *why)
{
    size_t b = t->pos;
    while (t->pos < t->len && pred((unsigned char)t->s[t->pos]))
        t->pos++;
    t->val = t->s + b;
    t->vlen = t->pos - b;
    t->token = t->vlen ? token : T_INVALID;
    t->why = why;
}

static bool digit_pred(unsigned char c)
{
    return ct_version__isdigit(c);
}

static int suffix_value(const char *s, size_t n)
{
    static const char *const names[] = { "alpha", "beta", "pre", "rc", "", "cvs",
                                         "svn",   "git",  "hg",  "p" };
    for (size_t k = 0; k < CT_NELEM(names); k++)
        if (names[k][0] && strlen(names[k]) == n && memcmp(names[k], s, n) == 0)
            return (int)k + 1;
    return 0;
}

static void next(tok *t)
{
    if (t->pos >= t->len) {
        t->token = T_END;
        return;
    }
    unsigned char c = (unsigned char)t->s[t->pos];
    int prev = t->token;
    if (prev == T_SUFFIX && ct_version__isdigit(c)) {
        take(t, digit_pred, T_SUFFIX_NO, "");
        return;
    }
    t->token = T_INVALID;
    t->why = "unexpected character";
    if (is_lower(c)) {
        if (prev > T_DIGIT)
            return;
        t->val = t->s + t->pos++;
        t->vlen = 1;
        t->token = T_LETTER;
    } else if (c == '.') {
        if (prev > T_DIGIT)
            return;
        t->pos++;
        take(t, digit_pred, T_DIGIT, "no digits after '.'");
    } else if (c == '_') {
        if (prev > T_SUFFIX_NO)
            return;
        t->pos++;
        take(t, is_lower, T_SUFFIX, "empty suffix");
        if (t->token == T_SUFFIX && (t->suffix = suffix_value(t->val, t->vlen)) == 0) {
            t->token = T_INVALID;
            t->why = "unknown suffix";
        }
    } else if (c == '~') {
        if (prev >= T_HASH)
            return;
        t->pos++;
        take(t, is_hex, T_HASH, "empty or non-hex commit hash");
    } else if (c == '-') {
        if (prev >= T_REVISION || t->pos + 1 >= t->len || t->s[t->pos + 1] != 'r') {
            t->why = "'-' not followed by 'r' or misplaced";
            return;
        }
        t->pos += 2;
        take(t, digit_pred, T_REVISION, "no digits after '-r'");
    }
}

static void first(tok *t, const char *s, size_t len)
{
    memset(t, 0, sizeof *t);
    t->s = s;
    t->len = len;
    take(t, digit_pred, T_INITIAL, "does not start with a digit");
}

static int apk_validate(const char *v, size_t len)
{
    tok t;
    for (first(&t, v, len); t.token < T_END; next(&t))
        ;
    if (t.token == T_INVALID)
        return ct_error_set(CT_EPARSE, "invalid apk version: %s at offset %zu", t.why,
                            t.pos < len ? t.pos : len);
    return 0;
}

static int blob_sort(const tok *a, const tok *b)
{
    size_t n = a->vlen < b->vlen ? a->vlen : b->vlen;
    int c = n ? memcmp(a->val, b->val, n) : 0;
    if (c == 0)
        c = (a->vlen > b->vlen) - (a->vlen < b->vlen);
    return c < 0 ? -1 : c > 0;
}

static int token_cmp(const tok *a, const tok *b)
{
    switch (a->token) {
    case T_DIGIT:
        /* a leading zero means string comparison, as in Gentoo's rules */
        if (a->val[0] == '0' || b->val[0] == '0')
            return blob_sort(a, b);
        return ct_version__numcmp(a->val, a->vlen, b->val, b->vlen);
    case T_INITIAL:
    case T_SUFFIX_NO:
    case T_REVISION:
        return ct_version__numcmp(a->val, a->vlen, b->val, b->vlen);
    case T_LETTER:
        return (a->val[0] > b->val[0]) - (a->val[0] < b->val[0]);
    case T_SUFFIX:
        return (a->suffix > b->suffix) - (a->suffix < b->suffix);
    default:
        return blob_sort(a, b);
    }
}

/* Walk both token streams in step. fuzzy: once b has no tokens left and every token so far was
 * equal, a counts as equal however it goes on (apk-tools' version.c, apk_version_compare_fuzzy:
 * "fuzzy matching the prefix"), so the prefix is matched whole token by whole token. */
static inline int compare_tokens(int *cmp_out, const char *a, size_t alen, const char *b,
                                 size_t blen, bool fuzzy)
{
    tok ta, tb;
    int rc;
    if ((rc = apk_validate(a, alen)) < 0 || (rc = apk_validate(b, blen)) < 0)
        return rc;
    for (first(&ta, a, alen), first(&tb, b, blen); ta.token == tb.token && ta.token < T_END;
         next(&ta), next(&tb)) {
        int c = token_cmp(&ta, &tb);
        if (c != 0) {
            *cmp_out = c;
            return 0;
        }
    }
    /* Equal so far: the longer one is newer unless it continues with a pre-release suffix. */
    if (ta.token == tb.token || (fuzzy && tb.token == T_END))
        *cmp_out = 0;
    else if (ta.token == T_SUFFIX && ta.suffix < SUFFIX_NONE)
        *cmp_out = -1;
    else if (tb.token == T_SUFFIX && tb.suffix < SUFFIX_NONE)
        *cmp_out = 1;
    else
        *cmp_out = ta.token > tb.token ? -1 : 1;
    return 0;
}

static int apk_compare(int *cmp_out, const char *a, size_t alen, const char *b, size_t blen)
{
    return compare_tokens(cmp_out, a, alen, b, blen, false);
}

int ct_version__apk_compare_fuzzy(int *cmp_out, const char *a, size_t alen, const char *b,
                                  size_t blen)
{
    return compare_tokens(cmp_out, a, alen, b, blen, true);
}

const ct_version_scheme ct_version_scheme_apk = { "apk", apk_validate, apk_compare };

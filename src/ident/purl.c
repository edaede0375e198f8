/* Package URL parsing and canonical formatting (purl-spec / ECMA-427: "How to parse",
 * "How to build", character encoding), with the per-type rules from types.c. */
#include "ident/ident_int.h"

#include "base/base_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- character classes and percent-encoding --------------------------------------------- */

/* Local inline character classes: these run on every byte of every purl. */
static inline bool p_isdigit(char c)
{
    return c >= '0' && c <= '9';
}

static inline bool p_isalnum(char c)
{
    return p_isdigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline char p_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c + ('a' - 'A')) : c;
}

/* Left as-is in canonical output; everything else in a component is percent-encoded. One
 * table lookup per byte: put_encoded() runs on every byte of every formatted purl. */
#define PLAIN_DIGITS ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, \
                     ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1
#define PLAIN_UPPER ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, \
                    ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, \
                    ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, \
                    ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1
#define PLAIN_LOWER ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, \
                    ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, \
                    ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, \
                    ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1
static const unsigned char plain_byte[256] = {
    PLAIN_DIGITS, PLAIN_UPPER, PLAIN_LOWER, ['.'] = 1, ['-'] = 1, ['_'] = 1, ['~'] = 1, [':'] = 1,
};

static inline bool is_plain(char c)
{
    return plain_byte[(unsigned char)c] != 0;
}

/* All of s[0..n) is ASCII without NUL: eight bytes per step, so ordinary purls skip the full
 * UTF-8 decoder (which still runs, and locates the error, when this says no). */
static bool ascii_no_nul(const char *s, size_t n)
{
    const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        if ((x & high) || ((x - ones) & ~x & high)) /* a byte >= 0x80, or a zero byte */
            return false;
    }
    for (; i < n; i++)
        if ((unsigned char)s[i] - 1u >= 0x7fu) /* 0 or >= 0x80 */
            return false;
    return true;
}

static int put_encoded(ct_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t run = 0; /* start of the pending run of plain bytes */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (is_plain(s[i]))
            continue;
        char esc[3] = { '%', hex[c >> 4], hex[c & 15] };
        if (i > run)
            ct_buf_put(b, s + run, i - run);
        ct_buf_put(b, esc, 3);
        run = i + 1;
    }
    if (n > run)
        ct_buf_put(b, s + run, n - run);
    return b->failed ? ct_error_last()->code : 0;
}

/* The whole parse input, for error locations. */
typedef struct src {
    const char *s;
    size_t len;
} src;

/* CT_EPARSE "invalid purl: <reason><what>" at the byte 'at' of the input. */
static int fail_at(const src *in, const char *at, const char *reason, const char *what)
{
    ct_loc loc = CT_LOC_INIT;
    loc.offset = at ? (int64_t)(at - in->s) : -1;
    loc.column = at ? (uint32_t)(at - in->s) + 1 : 0;
    return ct_error_set_at(&loc, CT_EPARSE, "invalid purl: %s%s", reason, what);
}

/* All strings of a parsed purl and its qualifier array live in one ct_malloc block after the
 * struct (ct_purl_free() is one ct_free). The block is sized from the input length, which
 * bounds every decoded component; 'cur' is the next free byte. */
typedef struct arena {
    char *cur, *end;
} arena;

/* Percent-decode s[0..n) into the arena as a NUL-terminated string (*out); the result must be
 * UTF-8 without NUL. On error the arena is left as it was. */
static int decode(char **out, arena *a, const src *in, const char *s, size_t n, const char *what)
{
    char *d = a->cur;
    size_t j = 0, bad;

    if ((size_t)(a->end - a->cur) < n + 1) /* cannot happen: the block bounds the input */
        return ct_error_set(CT_ENOMEM, "purl arena exhausted decoding a %s", what);
    if (!memchr(s, '%', n)) {
        /* No escape: a piece of the input, which was checked as UTF-8 without NUL as a whole,
         * cut at ASCII delimiters, so it is still valid. */
        memcpy(d, s, n);
        d[n] = '\0';
        a->cur = d + n + 1;
        *out = d;
        return 0;
    }
    if (!ct_pct_decode(d, &j, s, n, false, &bad, NULL)) /* base_int.h */
        return fail_at(in, s + bad, "bad percent escape in ", what);
    if (!ct_utf8_valid(d, j, &bad))
        return fail_at(in, s, "not UTF-8 or NUL once decoded: ", what);
    a->cur = d + j + 1;
    *out = d;
    return 0;
}

/* Copy s[0..n) into the arena, lowercased. */
static char *arena_lower(arena *a, const char *s, size_t n)
{
    char *d = a->cur;
    if ((size_t)(a->end - a->cur) < n + 1)
        return NULL;
    for (size_t i = 0; i < n; i++)
        d[i] = p_lower(s[i]);
    d[n] = '\0';
    a->cur = d + n + 1;
    return d;
}

static bool valid_type(const char *t, size_t n)
{
    if (n == 0 || p_isdigit(t[0]))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!p_isalnum(t[i]) && t[i] != '.' && t[i] != '+' && t[i] != '-')
            return false;
    return true;
}

/* Qualifier keys: ASCII letters, digits, '.', '-', '_'; not starting with a digit. */
static bool valid_key(const char *k, size_t n)
{
    if (n == 0 || p_isdigit(k[0]))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!p_isalnum(k[i]) && k[i] != '.' && k[i] != '-' && k[i] != '_')
            return false;
    return true;
}

static const char *find_char(const char *s, const char *end, char c)
{
    const void *p = memchr(s, c, (size_t)(end - s));
    return p ? (const char *)p : NULL;
}

/* ---- free / lookup ------------------------------------------------------------------------ */

void ct_purl_free(ct_purl *p)
{
    ct_free(p); /* one block: the struct, its qualifier array and every string */
}

const char *ct_purl_qualifier(const ct_purl *p, const char *key)
{
    if (!p || !key)
        return NULL;
    for (size_t i = 0; i < p->nqualifiers; i++)
        if (p->qualifiers[i].key && ct_ascii_casecmp(p->qualifiers[i].key, key) == 0)
            return p->qualifiers[i].value;
    return NULL;
}

static int qual_cmp(const void *a, const void *b)
{
    return strcmp(((const struct ct_purl_qualifier *)a)->key, ((const struct ct_purl_qualifier *)b)->key);
}

/* ---- parsing ------------------------------------------------------------------------------ */

/* Decode '/'-separated segments of s[0..n) and join them with '/' in the arena, dropping empty
 * segments (and "." / ".." when drop_dots); a segment may not contain '/' once decoded. *out
 * is NULL when no segment remains. */
static int parse_segments(char **out, arena *a, const src *in, const char *s, size_t n,
                          bool drop_dots, const char *what)
{
    const char *end = s + n;
    char *start = a->cur, *w = a->cur; /* w: end of the joined text so far */
    int rc;

    *out = NULL;
    while (s < end) {
        const char *slash = find_char(s, end, '/');
        const char *seg_end = slash ? slash : end;
        if (seg_end > s) {
            char *seg;
            bool sep = w > start;
            a->cur = w + sep; /* decode after the '/' separator, if any */
            if ((rc = decode(&seg, a, in, s, (size_t)(seg_end - s), what)) < 0) {
                a->cur = start;
                return rc;
            }
            size_t sl = (size_t)(a->cur - seg - 1);
            if (memchr(seg, '/', sl)) {
                a->cur = start;
                return fail_at(in, s, "'/' inside a segment of the ", what);
            }
            if (!(drop_dots && ((sl == 1 && seg[0] == '.') ||
                                (sl == 2 && seg[0] == '.' && seg[1] == '.')))) {
                if (sep)
                    w[0] = '/';
                w = seg + sl;
            }
        }
        s = slash ? slash + 1 : end;
    }
    if (w == start) {
        a->cur = start;
        return 0;
    }
    *w = '\0';
    a->cur = w + 1;
    *out = start;
    return 0;
}

static bool has_upper(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] >= 'A' && s[i] <= 'Z')
            return true;
    return false;
}

/* Qualifiers into p->qualifiers (room for every '&'-separated item was reserved). */
static int parse_qualifiers(ct_purl *p, arena *a, const src *in, const char *s, const char *end,
                            bool strict)
{
    while (s < end) {
        const char *amp = find_char(s, end, '&');
        const char *q_end = amp ? amp : end;
        const char *eq = find_char(s, q_end, '=');
        char *mark = a->cur, *value = NULL, *key;

        if (q_end == s) {
            s = q_end + 1;
            continue;
        }
        if (!eq)
            return fail_at(in, s, "qualifier without '='", "");
        if (!valid_key(s, (size_t)(eq - s)))
            return fail_at(in, s, "invalid qualifier key", "");
        if (strict && has_upper(s, (size_t)(eq - s))) /* ECMA-427: keys "shall" be lowercase */
            return fail_at(in, s, "qualifier key not in lowercase", "");
        int rc = decode(&value, a, in, eq + 1, (size_t)(q_end - eq - 1), "qualifier value");
        if (rc < 0)
            return rc;
        if (!*value) { /* empty values are dropped (purl-spec "How to parse") */
            a->cur = mark;
            s = q_end + 1;
            continue;
        }
        if (!(key = arena_lower(a, s, (size_t)(eq - s))))
            return ct_error_set(CT_ENOMEM, "purl arena exhausted parsing qualifiers");
        if (ct_purl_qualifier(p, key))
            return fail_at(in, s, "duplicate qualifier key", "");
        p->qualifiers[p->nqualifiers].key = key;
        p->qualifiers[p->nqualifiers].value = value;
        p->nqualifiers++;
        s = q_end + 1;
    }
    if (p->nqualifiers > 1)
        qsort(p->qualifiers, p->nqualifiers, sizeof(p->qualifiers[0]), qual_cmp);
    return 0;
}

/* Chrome Web Store ids are 32 letters a-p; versions are 1-4 dot-separated numbers. */
static const char *chrome_problem(const ct_purl *p)
{
    size_t n = strlen(p->name), segs = 1, digits = 0;
    if (n != 32)
        return "extension id is not 32 characters";
    for (size_t i = 0; i < n; i++)
        if (p->name[i] < 'a' || p->name[i] > 'p')
            return "extension id has characters outside a-p";
    for (const char *c = p->version; c && *c; c++) {
        if (*c == '.') {
            if (!digits || ++segs > 4)
                return "version is not 1-4 numbers separated by '.'";
            digits = 0;
        } else if (p_isdigit(*c)) {
            digits++;
        } else {
            return "version is not 1-4 numbers separated by '.'";
        }
    }
    if (p->version && !digits)
        return "version is not 1-4 numbers separated by '.'";
    return NULL;
}

/* Check the type's structural rules once everything is decoded and normalised. */
static int check_type_rules(const ct_ident__type *t, const ct_purl *p, int code)
{
    const char *problem = NULL;

    if (!t)
        return 0;
    if ((t->flags & CT_PT_NS_REQUIRED) && !p->namespace_)
        problem = "requires a namespace";
    else if ((t->flags & CT_PT_NS_PROHIBITED) && p->namespace_)
        problem = "has no namespace";
    else if (t->required_q && !ct_purl_qualifier(p, t->required_q))
        problem = "lacks a required qualifier";
    else if ((t->flags & CT_PT_NO_COLONS) && strstr(p->name, "::"))
        problem = "name contains \"::\" (a module, not a distribution)";
    else if ((t->flags & CT_PT_CONAN) && !p->namespace_ && ct_purl_qualifier(p, "channel"))
        problem = "has a channel qualifier but no namespace (user)";
    else if (t->flags & CT_PT_CHROME)
        problem = chrome_problem(p);
    if (problem)
        return ct_error_set(code, "invalid purl: type '%s' %s", t->type, problem);
    return 0;
}

/* git: the namespace is the host alone; the rest of the repository path belongs to the name. */
static int regroup_one_segment(ct_purl *p, arena *a)
{
    char *slash = p->namespace_ ? strchr(p->namespace_, '/') : NULL;
    size_t rest, nl;

    if (!slash)
        return 0;
    rest = strlen(slash + 1);
    nl = strlen(p->name);
    if ((size_t)(a->end - a->cur) < rest + nl + 2)
        return ct_error_set(CT_ENOMEM, "purl arena exhausted parsing a purl");
    memcpy(a->cur, slash + 1, rest);
    a->cur[rest] = '/';
    memcpy(a->cur + rest + 1, p->name, nl + 1);
    p->name = a->cur;
    a->cur += rest + nl + 2;
    *slash = '\0';
    return 0;
}

/* Parse the "type/namespace/name@version" part in[start..end). */
static int parse_path(ct_purl *p, arena *a, const src *in, const char *s, const char *end)
{
    const char *slash = find_char(s, end, '/');
    const char *last_slash, *at, *name_start;
    int rc;

    if (!slash)
        return fail_at(in, s, "missing '/' after the type", "");
    if (!valid_type(s, (size_t)(slash - s)))
        return fail_at(in, s, "invalid type", "");
    if (!(p->type = arena_lower(a, s, (size_t)(slash - s))))
        return ct_error_set(CT_ENOMEM, "purl arena exhausted parsing a purl");
    s = slash + 1;

    /* The version '@' is the last one after the last '/': npm scopes start with '@'. */
    last_slash = NULL;
    for (const char *c = s; c < end; c++)
        if (*c == '/')
            last_slash = c;
    at = NULL;
    for (const char *c = last_slash ? last_slash + 1 : s; c < end; c++)
        if (*c == '@')
            at = c;
    if (at) {
        if (at + 1 < end && (rc = decode(&p->version, a, in, at + 1, (size_t)(end - at - 1),
                                         "version")) < 0)
            return rc;
        if (p->version && !*p->version) {
            a->cur = p->version;
            p->version = NULL;
        }
        end = at;
    }
    while (!at && end > s && end[-1] == '/') /* "ns/@1.0" has an empty name */
        end--;
    name_start = end;
    while (name_start > s && name_start[-1] != '/')
        name_start--;
    if (name_start == end)
        return fail_at(in, end, "missing name", "");
    if ((rc = decode(&p->name, a, in, name_start, (size_t)(end - name_start), "name")) < 0)
        return rc;
    if (name_start > s)
        return parse_segments(&p->namespace_, a, in, s, (size_t)(name_start - s), false,
                              "namespace");
    return 0;
}

int ct_purl_parse(ct_purl **out, const char *s, size_t len)
{
    return ct_purl_parse_ex(out, s, len, 0);
}

int ct_purl_parse_ex(ct_purl **out, const char *s, size_t len, unsigned flags)
{
    bool strict = (flags & CT_PURL_STRICT) != 0;
    src in = { s, len };
    const ct_ident__type *type;
    ct_purl *p = NULL;
    const char *end = s + len, *hash, *qmark;
    size_t bad = 0, nq = 0, head, total;
    arena a;
    int rc;

    CT_IDENT_ASSERT_ARG(out && (s || !len));
    *out = NULL;
    if (len > CT_PURL_MAX_LEN)
        return ct_error_set(CT_ELIMIT, "invalid purl: longer than %zu bytes", CT_PURL_MAX_LEN);
    if (!ascii_no_nul(s, len) && !ct_utf8_valid(s, len, &bad))
        return fail_at(&in, s + bad, "invalid UTF-8 or NUL byte", "");
    if (len < 4 || p_lower(s[0]) != 'p' || p_lower(s[1]) != 'k' ||
        p_lower(s[2]) != 'g' || s[3] != ':')
        return fail_at(&in, s, "missing \"pkg:\"", "");
    hash = find_char(s, end, '#');
    qmark = find_char(s, hash ? hash : end, '?');
    if (qmark) /* qualifier slots: one per '&'-separated item */
        for (const char *c = qmark; c && c < (hash ? hash : end); c = find_char(c + 1, hash ? hash : end, '&'))
            nq++;
    /* One block: struct, qualifier array, strings. Decoded text never exceeds its input, the
     * git regrouping copies at most the path again, plus one NUL per string. */
    head = (sizeof(ct_purl) + sizeof(struct ct_purl_qualifier) * nq + 15) & ~(size_t)15;
    total = head + 2 * len + 2 * nq + 16;
    if (!(p = ct_malloc(total)))
        return ct_error_set(CT_ENOMEM, "out of memory parsing a purl");
    memset(p, 0, sizeof(*p));
    p->qualifiers = nq ? (struct ct_purl_qualifier *)(void *)(p + 1) : NULL;
    a.cur = (char *)p + head;
    a.end = (char *)p + total;

    if (hash) {
        if ((rc = parse_segments(&p->subpath, &a, &in, hash + 1, (size_t)(end - hash - 1), true,
                                 "subpath")) < 0)
            goto cleanup;
        end = hash;
    }
    if (qmark) {
        if ((rc = parse_qualifiers(p, &a, &in, qmark + 1, end, strict)) < 0)
            goto cleanup;
        if (!p->nqualifiers)
            p->qualifiers = NULL;
        end = qmark;
    }
    s += 4;
    while (s < end && *s == '/')
        s++;
    if ((rc = parse_path(p, &a, &in, s, end)) < 0)
        goto cleanup;
    type = ct_ident__type_find(p->type);
    if (type && (type->flags & CT_PT_NS_ONE_SEGMENT)) {
        if (strchr(p->name, '/')) {
            rc = fail_at(&in, s, "'/' inside the name", "");
            goto cleanup;
        }
        if ((rc = regroup_one_segment(p, &a)) < 0)
            goto cleanup;
    }
    ct_ident__normalize(type, p->namespace_, p->name, p->version,
                        ct_purl_qualifier(p, "repository_url"));
    if (!strict && type && (type->flags & CT_PT_LENIENT_LOWER)) /* recommended, not required */
        ct_ident__normalize_lenient(p->namespace_, p->name);
    if ((rc = check_type_rules(type, p, CT_EPARSE)) < 0)
        goto cleanup;

    *out = p;
    p = NULL;
    rc = 0;
cleanup:
    ct_purl_free(p);
    return rc;
}

/* ---- formatting --------------------------------------------------------------------------- */

/* Append '/'-separated segments of s, each encoded, skipping empty ones (and "."/".."). */
static void put_segments(ct_buf *b, const char *s, bool drop_dots, bool trailing_slash)
{
    bool first = true;
    while (*s) {
        size_t n = strcspn(s, "/");
        bool dot = n == 1 && s[0] == '.', dotdot = n == 2 && s[0] == '.' && s[1] == '.';
        if (n && !(drop_dots && (dot || dotdot))) {
            if (!first)
                ct_buf_putc(b, '/');
            put_encoded(b, s, n);
            first = false;
        }
        s += n;
        if (*s == '/')
            s++;
    }
    if (trailing_slash && !first)
        ct_buf_putc(b, '/');
}

static bool has_segment(const char *s)
{
    for (; s && *s; s++)
        if (*s != '/')
            return true;
    return false;
}

static int put_qualifiers(ct_buf *b, const ct_purl *p)
{
    struct ct_purl_qualifier *q = NULL;
    size_t n = 0;
    int rc = 0;

    if (!p->nqualifiers)
        return 0;
    /* Fast path (every parsed purl): keys valid, lowercase and strictly ascending. */
    bool canonical = true;
    for (size_t i = 0; i < p->nqualifiers && canonical; i++) {
        const char *k = p->qualifiers[i].key;
        canonical = k && valid_key(k, strlen(k)) && !has_upper(k, strlen(k)) &&
                    (i == 0 || strcmp(p->qualifiers[i - 1].key, k) < 0);
    }
    if (canonical) {
        bool first = true;
        for (size_t i = 0; i < p->nqualifiers; i++) {
            const struct ct_purl_qualifier *qi = &p->qualifiers[i];
            if (!qi->value || !*qi->value)
                continue;
            ct_buf_putc(b, first ? '?' : '&');
            ct_buf_puts(b, qi->key);
            ct_buf_putc(b, '=');
            put_encoded(b, qi->value, strlen(qi->value));
            first = false;
        }
        return 0;
    }
    if (!(q = ct_calloc(p->nqualifiers, sizeof(*q))))
        return ct_error_set(CT_ENOMEM, "out of memory formatting a purl");
    for (size_t i = 0; i < p->nqualifiers; i++) {
        const struct ct_purl_qualifier *src_q = &p->qualifiers[i];
        if (!src_q->key || !valid_key(src_q->key, strlen(src_q->key))) {
            rc = ct_error_set(CT_EINVAL, "invalid purl: invalid qualifier key '%s'",
                              src_q->key ? src_q->key : "(null)");
            goto cleanup;
        }
        if (!src_q->value || !*src_q->value)
            continue;
        if (!(q[n].key = ct_strdup(src_q->key))) {
            rc = ct_error_set(CT_ENOMEM, "out of memory formatting a purl");
            goto cleanup;
        }
        for (char *c = q[n].key; *c; c++)
            *c = p_lower(*c);
        q[n++].value = src_q->value; /* borrowed */
    }
    qsort(q, n, sizeof(*q), qual_cmp);
    for (size_t i = 0; i < n; i++) {
        if (i && strcmp(q[i - 1].key, q[i].key) == 0) {
            rc = ct_error_set(CT_EINVAL, "invalid purl: duplicate qualifier '%s'", q[i].key);
            goto cleanup;
        }
        ct_buf_putc(b, i ? '&' : '?');
        ct_buf_puts(b, q[i].key);
        ct_buf_putc(b, '=');
        put_encoded(b, q[i].value, strlen(q[i].value));
    }
cleanup:
    for (size_t i = 0; i < p->nqualifiers; i++)
        ct_free(q[i].key);
    ct_free(q);
    return rc;
}

int ct_purl_format(ct_buf *out, const ct_purl *p)
{
    ct_purl tmp = { 0 };
    const ct_ident__type *type;
    char stackbuf[512], *heap = NULL;
    bool name_segments;
    int rc;

    CT_IDENT_ASSERT_ARG(out && p);
    if (!p->type || !valid_type(p->type, strlen(p->type)))
        return ct_error_set(CT_EINVAL, "invalid purl: missing or invalid type");
    if (!p->name || !*p->name)
        return ct_error_set(CT_EINVAL, "invalid purl: missing name");
    /* Work on normalised copies (the caller's struct may be hand-built), all in one buffer:
     * on the stack for ordinary purls, one ct_malloc for long ones. */
    size_t tl = strlen(p->type), nsl = has_segment(p->namespace_) ? strlen(p->namespace_) : 0;
    size_t nl = strlen(p->name), vl = p->version && *p->version ? strlen(p->version) : 0;
    size_t need = tl + nsl + nl + vl + 4;
    char *w = need <= sizeof stackbuf ? stackbuf : (heap = ct_malloc(need));
    if (!w)
        return ct_error_set(CT_ENOMEM, "out of memory formatting a purl");
    tmp.type = w;
    memcpy(w, p->type, tl + 1);
    w += tl + 1;
    if (nsl) {
        tmp.namespace_ = w;
        memcpy(w, p->namespace_, nsl + 1);
        w += nsl + 1;
    }
    tmp.name = w;
    memcpy(w, p->name, nl + 1);
    w += nl + 1;
    if (vl) {
        tmp.version = w;
        memcpy(w, p->version, vl + 1);
    }
    tmp.qualifiers = p->qualifiers;
    tmp.nqualifiers = p->nqualifiers;
    for (char *c = tmp.type; *c; c++)
        *c = p_lower(*c);
    type = ct_ident__type_find(tmp.type);
    ct_ident__normalize(type, tmp.namespace_, tmp.name, tmp.version,
                        ct_purl_qualifier(p, "repository_url"));
    name_segments = type && (type->flags & CT_PT_NS_ONE_SEGMENT);
    if (name_segments && !has_segment(tmp.name)) {
        rc = ct_error_set(CT_EINVAL, "invalid purl: missing name");
        goto cleanup;
    }
    if ((rc = check_type_rules(type, &tmp, CT_EINVAL)) < 0)
        goto cleanup;

    ct_buf_puts(out, "pkg:");
    ct_buf_puts(out, tmp.type);
    ct_buf_putc(out, '/');
    if (tmp.namespace_)
        put_segments(out, tmp.namespace_, false, true);
    if (name_segments)
        put_segments(out, tmp.name, false, false);
    else
        put_encoded(out, tmp.name, nl); /* normalisation keeps lengths */
    if (tmp.version) {
        ct_buf_putc(out, '@');
        put_encoded(out, tmp.version, vl);
    }
    if ((rc = put_qualifiers(out, p)) < 0)
        goto cleanup;
    if (has_segment(p->subpath)) {
        size_t mark = out->len;
        ct_buf_putc(out, '#');
        put_segments(out, p->subpath, true, false);
        if (out->len == mark + 1 && !out->failed) { /* only "." / ".." segments */
            out->len = mark;
            out->ptr[mark] = '\0';
        }
    }
    rc = out->failed ? ct_error_last()->code : 0;
cleanup:
    ct_free(heap);
    return rc;
}

/* ---- validation --------------------------------------------------------------------------- */

int ct_purl_validate(ct_buf *canon_out, const char *s, size_t len, unsigned flags)
{
    ct_purl *p = NULL;
    ct_buf local = CT_BUF_INIT, *b = canon_out ? canon_out : &local;
    size_t mark = b->len;
    int rc;

    CT_IDENT_ASSERT_ARG(s || !len);
    if ((rc = ct_purl_parse_ex(&p, s, len, flags)) < 0)
        return rc;
    if ((rc = ct_purl_format(b, p)) < 0) {
        if (b->len > mark && !b->failed) { /* leave canon_out as it was */
            b->len = mark;
            b->ptr[mark] = '\0';
        }
        goto cleanup;
    }
    rc = (b->len - mark == len && memcmp(b->ptr + mark, s, len) == 0) ? 0 : 1;
cleanup:
    ct_buf_dispose(&local);
    ct_purl_free(p);
    return rc;
}

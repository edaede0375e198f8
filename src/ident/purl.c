/* Package URL parsing and canonical formatting (purl-spec / ECMA-427: "How to parse",
 * "How to build", character encoding), with the per-type rules from types.c. */
#include "ident/ident_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- character classes and percent-encoding --------------------------------------------- */

/* Left as-is in canonical output; everything else in a component is percent-encoded. */
static bool is_plain(char c)
{
    return ct_ascii_isalnum(c) || c == '.' || c == '-' || c == '_' || c == '~' || c == ':';
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int put_encoded(ct_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (is_plain(s[i])) {
            ct_buf_putc(b, s[i]);
        } else {
            char esc[3] = { '%', hex[c >> 4], hex[c & 15] };
            ct_buf_put(b, esc, 3);
        }
    }
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

/* Percent-decode s[0..n) into a NEW string; the result must be UTF-8 without NUL. */
static int decode(char **out, const src *in, const char *s, size_t n, const char *what)
{
    char *d = ct_malloc(n + 1);
    size_t j = 0, bad;

    if (!d)
        return ct_error_set(CT_ENOMEM, "out of memory decoding a purl %s", what);
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '%') {
            d[j++] = s[i];
            continue;
        }
        if (n - i < 3 || hexval(s[i + 1]) < 0 || hexval(s[i + 2]) < 0) {
            ct_free(d);
            return fail_at(in, s + i, "bad percent escape in ", what);
        }
        d[j++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
        i += 2;
    }
    d[j] = '\0';
    if (!ct_utf8_valid(d, j, &bad)) {
        ct_free(d);
        return fail_at(in, s, "not UTF-8 or NUL once decoded: ", what);
    }
    *out = d;
    return 0;
}

static bool valid_type(const char *t, size_t n)
{
    if (n == 0 || ct_ascii_isdigit(t[0]))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!ct_ascii_isalnum(t[i]) && t[i] != '.' && t[i] != '+' && t[i] != '-')
            return false;
    return true;
}

/* Qualifier keys: ASCII letters, digits, '.', '-', '_'; not starting with a digit. */
static bool valid_key(const char *k, size_t n)
{
    if (n == 0 || ct_ascii_isdigit(k[0]))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!ct_ascii_isalnum(k[i]) && k[i] != '.' && k[i] != '-' && k[i] != '_')
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
    if (!p)
        return;
    ct_free(p->type);
    ct_free(p->namespace_);
    ct_free(p->name);
    ct_free(p->version);
    ct_free(p->subpath);
    for (size_t i = 0; i < p->nqualifiers; i++) {
        ct_free(p->qualifiers[i].key);
        ct_free(p->qualifiers[i].value);
    }
    ct_free(p->qualifiers);
    ct_free(p);
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

/* Decode '/'-separated segments of s[0..n) and join them with '/', dropping empty segments
 * (and "." / ".." when drop_dots); a segment may not contain '/' once decoded. *out is NEW,
 * or NULL when no segment remains. */
static int parse_segments(char **out, const src *in, const char *s, size_t n, bool drop_dots,
                          const char *what)
{
    ct_buf b = CT_BUF_INIT;
    const char *end = s + n;
    int rc = 0;

    *out = NULL;
    while (s < end) {
        const char *slash = find_char(s, end, '/');
        const char *seg_end = slash ? slash : end;
        char *seg = NULL;
        if (seg_end > s) {
            if ((rc = decode(&seg, in, s, (size_t)(seg_end - s), what)) < 0)
                goto cleanup;
            if (strchr(seg, '/')) {
                ct_free(seg);
                rc = fail_at(in, s, "'/' inside a segment of the ", what);
                goto cleanup;
            }
            if (!(drop_dots && (strcmp(seg, ".") == 0 || strcmp(seg, "..") == 0))) {
                if (b.len)
                    ct_buf_putc(&b, '/');
                ct_buf_puts(&b, seg);
            }
            ct_free(seg);
        }
        s = slash ? slash + 1 : end;
    }
    if (b.failed) {
        rc = ct_error_last()->code;
        goto cleanup;
    }
    if (b.len && !(*out = ct_buf_detach(&b)))
        rc = ct_error_set(CT_ENOMEM, "out of memory parsing a purl");
cleanup:
    ct_buf_dispose(&b);
    return rc;
}

static bool has_upper(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] >= 'A' && s[i] <= 'Z')
            return true;
    return false;
}

static int parse_qualifiers(ct_purl *p, const src *in, const char *s, const char *end, bool strict)
{
    size_t cap = 0;

    while (s < end) {
        const char *amp = find_char(s, end, '&');
        const char *q_end = amp ? amp : end;
        const char *eq = find_char(s, q_end, '=');
        char *value = NULL, *key;

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
        int rc = decode(&value, in, eq + 1, (size_t)(q_end - eq - 1), "qualifier value");
        if (rc < 0)
            return rc;
        if (!*value) { /* empty values are dropped (purl-spec "How to parse") */
            ct_free(value);
            s = q_end + 1;
            continue;
        }
        if (!(key = ct_strndup(s, (size_t)(eq - s)))) {
            ct_free(value);
            return ct_error_set(CT_ENOMEM, "out of memory parsing purl qualifiers");
        }
        for (char *c = key; *c; c++)
            *c = ct_ascii_lower(*c);
        if (ct_purl_qualifier(p, key)) {
            ct_free(key);
            ct_free(value);
            return fail_at(in, s, "duplicate qualifier key", "");
        }
        if (p->nqualifiers == cap) {
            size_t ncap = cap ? cap * 2 : 4;
            struct ct_purl_qualifier *nq = ct_reallocarray(p->qualifiers, ncap, sizeof(*nq));
            if (!nq) {
                ct_free(key);
                ct_free(value);
                return ct_error_set(CT_ENOMEM, "out of memory parsing purl qualifiers");
            }
            p->qualifiers = nq;
            cap = ncap;
        }
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
        } else if (ct_ascii_isdigit(*c)) {
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
static int check_type_rules(const ct_purl *p, int code)
{
    const ct_ident__type *t = ct_ident__type_find(p->type);
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
static int regroup_one_segment(ct_purl *p)
{
    char *slash = p->namespace_ ? strchr(p->namespace_, '/') : NULL;
    ct_buf b = CT_BUF_INIT;

    if (!slash)
        return 0;
    ct_buf_puts(&b, slash + 1);
    ct_buf_putc(&b, '/');
    ct_buf_puts(&b, p->name);
    if (b.failed)
        return ct_error_last()->code;
    *slash = '\0';
    ct_free(p->name);
    p->name = ct_buf_detach(&b);
    return p->name ? 0 : ct_error_set(CT_ENOMEM, "out of memory parsing a purl");
}

/* Parse the "type/namespace/name@version" part in[start..end). */
static int parse_path(ct_purl *p, const src *in, const char *s, const char *end)
{
    const char *slash = find_char(s, end, '/');
    const char *last_slash, *at, *name_start;
    int rc;

    if (!slash)
        return fail_at(in, s, "missing '/' after the type", "");
    if (!valid_type(s, (size_t)(slash - s)))
        return fail_at(in, s, "invalid type", "");
    if (!(p->type = ct_strndup(s, (size_t)(slash - s))))
        return ct_error_set(CT_ENOMEM, "out of memory parsing a purl");
    for (char *c = p->type; *c; c++)
        *c = ct_ascii_lower(*c);
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
        if (at + 1 < end && (rc = decode(&p->version, in, at + 1, (size_t)(end - at - 1),
                                         "version")) < 0)
            return rc;
        if (p->version && !*p->version) {
            ct_free(p->version);
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
    if ((rc = decode(&p->name, in, name_start, (size_t)(end - name_start), "name")) < 0)
        return rc;
    if (name_start > s)
        return parse_segments(&p->namespace_, in, s, (size_t)(name_start - s), false,
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
    size_t bad = 0;
    int rc;

    CT_IDENT_ASSERT_ARG(out && (s || !len));
    *out = NULL;
    if (len > CT_PURL_MAX_LEN)
        return ct_error_set(CT_ELIMIT, "invalid purl: longer than %zu bytes", CT_PURL_MAX_LEN);
    if (!ct_utf8_valid(s, len, &bad))
        return fail_at(&in, s + bad, "invalid UTF-8 or NUL byte", "");
    if (len < 4 || ct_ascii_lower(s[0]) != 'p' || ct_ascii_lower(s[1]) != 'k' ||
        ct_ascii_lower(s[2]) != 'g' || s[3] != ':')
        return fail_at(&in, s, "missing \"pkg:\"", "");
    if (!(p = ct_calloc(1, sizeof(*p))))
        return ct_error_set(CT_ENOMEM, "out of memory parsing a purl");

    hash = find_char(s, end, '#');
    if (hash) {
        if ((rc = parse_segments(&p->subpath, &in, hash + 1, (size_t)(end - hash - 1), true,
                                 "subpath")) < 0)
            goto cleanup;
        end = hash;
    }
    qmark = find_char(s, end, '?');
    if (qmark) {
        if ((rc = parse_qualifiers(p, &in, qmark + 1, end, strict)) < 0)
            goto cleanup;
        end = qmark;
    }
    s += 4;
    while (s < end && *s == '/')
        s++;
    if ((rc = parse_path(p, &in, s, end)) < 0)
        goto cleanup;
    type = ct_ident__type_find(p->type);
    if (type && (type->flags & CT_PT_NS_ONE_SEGMENT)) {
        if (strchr(p->name, '/')) {
            rc = fail_at(&in, s, "'/' inside the name", "");
            goto cleanup;
        }
        if ((rc = regroup_one_segment(p)) < 0)
            goto cleanup;
    }
    ct_ident__normalize(type, p->namespace_, p->name, p->version,
                        ct_purl_qualifier(p, "repository_url"));
    if (!strict && type && (type->flags & CT_PT_LENIENT_LOWER)) /* recommended, not required */
        ct_ident__normalize_lenient(p->namespace_, p->name);
    if ((rc = check_type_rules(p, CT_EPARSE)) < 0)
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
            *c = ct_ascii_lower(*c);
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
    bool name_segments;
    int rc;

    CT_IDENT_ASSERT_ARG(out && p);
    if (!p->type || !valid_type(p->type, strlen(p->type)))
        return ct_error_set(CT_EINVAL, "invalid purl: missing or invalid type");
    if (!p->name || !*p->name)
        return ct_error_set(CT_EINVAL, "invalid purl: missing name");
    /* Work on normalised copies; the caller's struct may be hand-built. */
    tmp.type = ct_strdup(p->type);
    tmp.namespace_ = has_segment(p->namespace_) ? ct_strdup(p->namespace_) : NULL;
    tmp.name = ct_strdup(p->name);
    tmp.version = p->version && *p->version ? ct_strdup(p->version) : NULL;
    tmp.qualifiers = p->qualifiers;
    tmp.nqualifiers = p->nqualifiers;
    if (!tmp.type || !tmp.name || (has_segment(p->namespace_) && !tmp.namespace_) ||
        (p->version && *p->version && !tmp.version)) {
        rc = ct_error_set(CT_ENOMEM, "out of memory formatting a purl");
        goto cleanup;
    }
    for (char *c = tmp.type; *c; c++)
        *c = ct_ascii_lower(*c);
    type = ct_ident__type_find(tmp.type);
    ct_ident__normalize(type, tmp.namespace_, tmp.name, tmp.version,
                        ct_purl_qualifier(p, "repository_url"));
    name_segments = type && (type->flags & CT_PT_NS_ONE_SEGMENT);
    if (name_segments && !has_segment(tmp.name)) {
        rc = ct_error_set(CT_EINVAL, "invalid purl: missing name");
        goto cleanup;
    }
    if ((rc = check_type_rules(&tmp, CT_EINVAL)) < 0)
        goto cleanup;

    ct_buf_puts(out, "pkg:");
    ct_buf_puts(out, tmp.type);
    ct_buf_putc(out, '/');
    if (tmp.namespace_)
        put_segments(out, tmp.namespace_, false, true);
    if (name_segments)
        put_segments(out, tmp.name, false, false);
    else
        put_encoded(out, tmp.name, strlen(tmp.name));
    if (tmp.version) {
        ct_buf_putc(out, '@');
        put_encoded(out, tmp.version, strlen(tmp.version));
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
    tmp.qualifiers = NULL;
    tmp.nqualifiers = 0;
    ct_free(tmp.type);
    ct_free(tmp.namespace_);
    ct_free(tmp.name);
    ct_free(tmp.version);
    return rc;
}

/* ---- validation --------------------------------------------------------------------------- */

int ct_purl_validate(ct_buf *canon_out, const char *s, size_t len, unsigned flags)
{
    ct_purl *p = NULL;
    ct_buf b = CT_BUF_INIT;
    int rc;

    CT_IDENT_ASSERT_ARG(s || !len);
    if ((rc = ct_purl_parse_ex(&p, s, len, flags)) < 0)
        return rc;
    if ((rc = ct_purl_format(&b, p)) < 0)
        goto cleanup;
    if (canon_out && ct_buf_put(canon_out, b.ptr, b.len) < 0) {
        rc = ct_error_last()->code;
        goto cleanup;
    }
    rc = (b.len == len && memcmp(b.ptr, s, len) == 0) ? 0 : 1;
cleanup:
    ct_buf_dispose(&b);
    ct_purl_free(p);
    return rc;
}

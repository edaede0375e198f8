/* vers ranges (package-url/vers-spec, Clause 5 and "how to parse"): parsing, canonical text and
 * the containment walk. Versions are decoded once into one block so contains() never allocates. */
#include "version/scheme.h"

#include <string.h>

#define VERS_MAX_LEN (1u << 20)
#define VERS_TYPE_MAX 63

typedef struct {
    ct_vers_op op;
    size_t off, len; /* version bytes in ct_vers.text */
} constraint;

struct ct_vers {
    const ct_version_scheme *scheme;
    char type[VERS_TYPE_MAX + 1];
    size_t n;
    constraint *c;
    char *text; /* decoded versions, each NUL-terminated */
};

/* ---- shared helpers -------------------------------------------------------------------- */

static int merge_pass(char *dst, const char *src, size_t n, size_t size, size_t width,
                      ct_version__cmp_fn cmp, void *payload)
{
    for (size_t lo = 0; lo < n; lo += 2 * width) {
        size_t mid = lo + width < n ? lo + width : n;
        size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
        size_t i = lo, j = mid, k = lo;
        while (i < mid && j < hi) {
            int c = 0, rc = cmp(&c, src + j * size, src + i * size, payload);
            if (rc < 0)
                return rc;
            if (c < 0) /* strictly smaller: keeps equal elements in input order */
                memcpy(dst + k++ * size, src + j++ * size, size);
            else
                memcpy(dst + k++ * size, src + i++ * size, size);
        }
        if (i < mid)
            memcpy(dst + k * size, src + i * size, (mid - i) * size);
        else if (j < hi)
            memcpy(dst + k * size, src + j * size, (hi - j) * size);
    }
    return 0;
}

int ct_version__sort(void *base, size_t n, size_t size, ct_version__cmp_fn cmp, void *payload)
{
    char *scratch, *src = base, *dst;
    int rc = 0;

    if (n < 2)
        return 0;
    if ((scratch = ct_reallocarray(NULL, n, size)) == NULL)
        return ct_error_set(CT_ENOMEM, "out of memory sorting %zu versions", n);
    dst = scratch;
    for (size_t width = 1; width < n; width *= 2) {
        if ((rc = merge_pass(dst, src, n, size, width, cmp, payload)) < 0)
            goto cleanup;
        char *t = src;
        src = dst;
        dst = t;
        if (width > n / 2)
            break;
    }
    if (src != base)
        memcpy(base, src, n * size);
cleanup:
    ct_free(scratch);
    return rc;
}

static bool must_encode(unsigned char c)
{
    return c <= 0x20 || c >= 0x7f || c == '>' || c == '<' || c == '=' || c == '!' || c == '*' ||
           c == '|' || c == '%';
}

int ct_version__put_vers_version(ct_buf *out, const char *v, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t i = 0;
    while (i < len) {
        size_t run = i;
        while (run < len && !must_encode((unsigned char)v[run]))
            run++;
        int rc;
        if (run > i && (rc = ct_buf_put(out, v + i, run - i)) < 0)
            return rc;
        if (run >= len)
            break;
        unsigned char c = (unsigned char)v[run];
        char enc[3] = { '%', hex[c >> 4], hex[c & 15] };
        if ((rc = ct_buf_put(out, enc, 3)) < 0)
            return rc;
        i = run + 1;
    }
    return 0;
}

/* ---- parsing --------------------------------------------------------------------------- */

static int perr(size_t off, const char *why)
{
    ct_loc loc = CT_LOC_INIT;
    loc.offset = (int64_t)off;
    loc.column = off < UINT32_MAX ? (uint32_t)off + 1 : 0;
    return ct_error_set_at(&loc, CT_EPARSE, "invalid vers: %s (offset %zu)", why, off);
}

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = ct_version__lower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static int parse_type(ct_vers *v, const char *t, size_t n, size_t off, unsigned flags)
{
    if (n == 0)
        return perr(off, "empty type");
    if (n > VERS_TYPE_MAX)
        return perr(off, "type too long");
    if (!ct_version__isalpha((unsigned char)t[0]))
        return perr(off, "type must start with a letter");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)t[i];
        if (!ct_version__isalpha(c) && !ct_version__isdigit(c) && c != '.' && c != '-')
            return perr(off + i, "invalid character in type");
        if ((flags & CT_VERS_STRICT) && c >= 'A' && c <= 'Z')
            return perr(off + i, "type must be lowercase");
        v->type[i] = (char)ct_version__lower(c);
    }
    v->type[n] = '\0';
    if (strcmp(v->type, "invalid") == 0)
        return perr(off, "the reserved type 'invalid' is always invalid");
    v->scheme = ct_version_scheme_findn(v->type, n);
    if (v->scheme == NULL)
        return ct_error_set(CT_EUNSUPPORTED, "vers type '%s' has no version comparator",
                            v->type);
    return 0;
}

/* One constraint s[0..n) at offset off; decoded version appended at v->text + *tpos. */
static int parse_constraint(ct_vers *v, constraint *c, const char *s, size_t n, size_t off,
                            size_t *tpos, unsigned flags)
{
    size_t k = 0;
    int rc;

    if (n == 0)
        return perr(off, "empty constraint (leading, trailing or repeated '|')");
    if (n >= 2 && s[1] == '=' && (s[0] == '>' || s[0] == '<' || s[0] == '!')) {
        c->op = s[0] == '>' ? CT_VERS_GE : s[0] == '<' ? CT_VERS_LE : CT_VERS_NE;
        k = 2;
    } else if (s[0] == '<' || s[0] == '>') {
        c->op = s[0] == '<' ? CT_VERS_LT : CT_VERS_GT;
        k = 1;
    } else if (s[0] == '=') {
        if (flags & CT_VERS_STRICT)
            return perr(off, "equality is a bare version, without '='");
        c->op = CT_VERS_EQ;
        k = 1;
    } else if (s[0] == '*') {
        return perr(off, "'*' must be the only constraint");
    } else {
        c->op = CT_VERS_EQ;
    }
    if (k == n)
        return perr(off + k, "empty version");
    c->off = *tpos;
    for (; k < n; k++) {
        unsigned char ch = (unsigned char)s[k];
        if (ch == '%') {
            int hi = k + 2 < n ? hexval((unsigned char)s[k + 1]) : -1;
            int lo = k + 2 < n ? hexval((unsigned char)s[k + 2]) : -1;
            if (hi < 0 || lo < 0)
                return perr(off + k, "invalid percent-encoding");
            if (hi == 0 && lo == 0)
                return perr(off + k, "NUL in version");
            ch = (unsigned char)(hi * 16 + lo);
            if ((flags & CT_VERS_STRICT) && !must_encode(ch))
                return perr(off + k, "percent-encoding of a character that needs none");
            if ((flags & CT_VERS_STRICT) && (ct_version__isalpha((unsigned char)s[k + 1]) ||
                                             ct_version__isalpha((unsigned char)s[k + 2])) &&
                (s[k + 1] >= 'a' || s[k + 2] >= 'a'))
                return perr(off + k, "percent-encoding must use upper-case hex digits");
            k += 2;
        } else if (ch == '<' || ch == '>' || ch == '=' || ch == '!' || ch == '*') {
            return perr(off + k, "unencoded comparator character in version");
        }
        v->text[(*tpos)++] = (char)ch;
    }
    c->len = *tpos - c->off;
    v->text[(*tpos)++] = '\0';
    if ((rc = v->scheme->validate(v->text + c->off, c->len)) < 0)
        return ct_error_prefix("invalid vers: version at offset %zu", off);
    return 0;
}

static int cmp_constraints(int *cmp_out, const void *a, const void *b, void *payload)
{
    const ct_vers *v = payload;
    const constraint *x = a, *y = b;
    return v->scheme->compare(cmp_out, v->text + x->off, x->len, v->text + y->off, y->len);
}

/* vers-spec §5.4 comparator sequence rules, on sorted constraints. */
static int check_sequence(const ct_vers *v)
{
    ct_vers_op prev = CT_VERS_STAR; /* none yet */
    ct_vers_op prev_range = CT_VERS_STAR;
    for (size_t i = 0; i < v->n; i++) {
        ct_vers_op op = v->c[i].op;
        if (op == CT_VERS_NE)
            continue;
        if (prev == CT_VERS_EQ && op != CT_VERS_EQ && op != CT_VERS_GT && op != CT_VERS_GE)
            return ct_error_set(CT_EPARSE, "invalid vers: a version is followed by '<' or '<='"
                                           " (constraint %zu)", i + 1);
        prev = op;
        if (op == CT_VERS_EQ)
            continue;
        bool lower = op == CT_VERS_GT || op == CT_VERS_GE;
        if (prev_range != CT_VERS_STAR &&
            lower == (prev_range == CT_VERS_GT || prev_range == CT_VERS_GE))
            return ct_error_set(CT_EPARSE, "invalid vers: '<'/'>' constraints must alternate"
                                           " (constraint %zu)", i + 1);
        prev_range = op;
    }
    return 0;
}

/* Constraint i repeats constraint i - 1 literally: same comparator, same version text. The
 * lenient parser keeps such repeats (the vers-spec "validate" and univers round-trip cases
 * keep ">=0.0.1|>=0.0.1" as written); anything else that names one version twice is an error,
 * and the strict parser rejects every repeat. */
static bool literal_repeat(const ct_vers *v, size_t i)
{
    const constraint *a = &v->c[i - 1], *b = &v->c[i];
    return a->op == b->op && a->len == b->len &&
           memcmp(v->text + a->off, v->text + b->off, a->len) == 0;
}

static int parse_constraints(ct_vers *v, const char *s, size_t n, size_t off, unsigned flags)
{
    size_t count = 1, tpos = 0;
    int rc;

    if (n == 0)
        return perr(off, "no constraints");
    if (n == 1 && s[0] == '*') {
        if ((v->c = ct_calloc(1, sizeof *v->c)) == NULL || (v->text = ct_malloc(1)) == NULL)
            return ct_error_set(CT_ENOMEM, "out of memory");
        v->text[0] = '\0';
        v->c[0].op = CT_VERS_STAR;
        v->n = 1;
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        count += s[i] == '|';
    if ((v->c = ct_calloc(count, sizeof *v->c)) == NULL ||
        (v->text = ct_malloc(n + count)) == NULL)
        return ct_error_set(CT_ENOMEM, "out of memory");
    for (size_t i = 0, start = 0; i <= n; i++) {
        if (i < n && s[i] != '|')
            continue;
        if ((rc = parse_constraint(v, &v->c[v->n], s + start, i - start, off + start, &tpos,
                                   flags)) < 0)
            return rc;
        v->n++;
        start = i + 1;
    }
    if (flags & CT_VERS_STRICT) {
        for (size_t i = 1; i < v->n; i++) {
            int c = 0;
            if ((rc = cmp_constraints(&c, &v->c[i - 1], &v->c[i], v)) < 0)
                return rc;
            if (c >= 0)
                return ct_error_set(CT_EPARSE, "invalid vers: constraints are not sorted by "
                                               "version or repeat one (constraint %zu)", i + 1);
        }
    } else if ((rc = ct_version__sort(v->c, v->n, sizeof *v->c, cmp_constraints, v)) < 0) {
        return rc;
    }
    for (size_t i = 1; i < v->n; i++) {
        int c = 0;
        if ((rc = cmp_constraints(&c, &v->c[i - 1], &v->c[i], v)) < 0)
            return rc;
        if (c == 0 && ((flags & CT_VERS_STRICT) || !literal_repeat(v, i)))
            return ct_error_set(CT_EPARSE, "invalid vers: version '%.100s' appears twice",
                                v->text + v->c[i].off);
    }
    return (flags & CT_VERS_STRICT) ? check_sequence(v) : 0;
}

int ct_vers_parse_ex(ct_vers **out, const char *text, size_t len, unsigned flags)
{
    ct_vers *v = NULL;
    size_t colon, slash;
    int rc;

    if (out == NULL || text == NULL)
        return ct_error_set(CT_EINVAL, "ct_vers_parse: NULL argument");
    *out = NULL;
    if (len > VERS_MAX_LEN)
        return ct_error_set(CT_ELIMIT, "vers longer than %u bytes", VERS_MAX_LEN);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c <= 0x20 || c >= 0x7f)
            return perr(i, c == ' ' || (c >= '\t' && c <= '\r')
                               ? "whitespace is not allowed (use %20 in versions)"
                               : "non-printable or non-ASCII character");
    }
    for (colon = 0; colon < len && text[colon] != ':'; colon++)
        ;
    if (colon != 4 ||
        ((flags & CT_VERS_STRICT) ? memcmp(text, "vers", 4) != 0
                                  : !(ct_version__lower((unsigned char)text[0]) == 'v' &&
                                      ct_version__lower((unsigned char)text[1]) == 'e' &&
                                      ct_version__lower((unsigned char)text[2]) == 'r' &&
                                      ct_version__lower((unsigned char)text[3]) == 's')))
        return perr(0, "does not start with \"vers:\"");
    for (slash = colon + 1; slash < len && text[slash] != '/'; slash++)
        ;
    if (slash >= len)
        return perr(len, "missing '/' after the type");
    if ((v = ct_calloc(1, sizeof *v)) == NULL)
        return ct_error_set(CT_ENOMEM, "out of memory");
    if ((rc = parse_type(v, text + colon + 1, slash - colon - 1, colon + 1, flags)) < 0 ||
        (rc = parse_constraints(v, text + slash + 1, len - slash - 1, slash + 1, flags)) < 0)
        goto cleanup;
    *out = v;
    v = NULL;
cleanup:
    ct_vers_free(v);
    return rc;
}

int ct_vers_parse(ct_vers **out, const char *text, size_t len)
{
    return ct_vers_parse_ex(out, text, len, 0);
}

void ct_vers_free(ct_vers *v)
{
    if (v == NULL)
        return;
    ct_free(v->c);
    ct_free(v->text);
    ct_free(v);
}

const char *ct_vers_scheme(const ct_vers *v)
{
    return v ? v->type : NULL;
}

size_t ct_vers_count(const ct_vers *v)
{
    return v ? v->n : 0;
}

int ct_vers_constraint(ct_vers_op *op_out, const char **version_out, const ct_vers *v, size_t i)
{
    if (op_out == NULL || version_out == NULL || v == NULL)
        return ct_error_set(CT_EINVAL, "ct_vers_constraint: NULL argument");
    if (i >= v->n)
        return ct_error_set(CT_ENOTFOUND, "vers has no constraint %zu", i);
    *op_out = v->c[i].op;
    *version_out = v->text + v->c[i].off;
    return 0;
}

/* ---- containment ("how to parse": checking if a version is contained) ------------------ */

static bool is_range(ct_vers_op op)
{
    return op == CT_VERS_LT || op == CT_VERS_LE || op == CT_VERS_GT || op == CT_VERS_GE;
}

static bool is_upper(ct_vers_op op)
{
    return op == CT_VERS_LT || op == CT_VERS_LE;
}

static int cmp_to(int *c, const ct_vers *v, size_t i, const char *ver, size_t len)
{
    return v->scheme->compare(c, ver, len, v->text + v->c[i].off, v->c[i].len);
}

/* Pairwise walk over the '<', '<=', '>', '>=' constraints. */
static int walk_ranges(bool *in, const ct_vers *v, const char *ver, size_t len)
{
    size_t cur = SIZE_MAX;
    int ccur = 0, rc;
    *in = true;
    for (size_t i = 0; i < v->n; i++) {
        if (!is_range(v->c[i].op))
            continue;
        int cnext = 0;
        if ((rc = cmp_to(&cnext, v, i, ver, len)) < 0)
            return rc;
        if (cur == SIZE_MAX) {
            if (is_upper(v->c[i].op) && cnext < 0)
                return 0; /* below the first upper bound */
        } else if (!is_upper(v->c[cur].op) && is_upper(v->c[i].op) && ccur > 0 && cnext < 0) {
            return 0; /* between a lower and the following upper bound */
        }
        cur = i;
        ccur = cnext;
    }
    /* the last range constraint: ">" / ">=" below the tested version */
    if (cur != SIZE_MAX && !is_upper(v->c[cur].op) && ccur > 0)
        return 0;
    *in = false;
    return 0;
}

int ct_vers_contains(bool *out, const ct_vers *v, const char *version, size_t len)
{
    int rc;

    if (out == NULL || v == NULL || version == NULL)
        return ct_error_set(CT_EINVAL, "ct_vers_contains: NULL argument");
    if (v->n == 1 && v->c[0].op == CT_VERS_STAR) {
        if ((rc = v->scheme->validate(version, len)) < 0)
            return rc;
        *out = true;
        return 0;
    }
    for (size_t i = 0; i < v->n; i++) {
        int c = 0;
        if ((rc = cmp_to(&c, v, i, version, len)) < 0)
            return rc;
        if (c != 0)
            continue;
        ct_vers_op op = v->c[i].op;
        if (op == CT_VERS_EQ || op == CT_VERS_LE || op == CT_VERS_GE) {
            *out = true;
            return 0;
        }
        if (op == CT_VERS_NE) {
            *out = false;
            return 0;
        }
    }
    bool in = false;
    if ((rc = walk_ranges(&in, v, version, len)) < 0)
        return rc;
    *out = in;
    return 0;
}

/* ---- canonical text -------------------------------------------------------------------- */

static const char *op_text(ct_vers_op op)
{
    switch (op) {
    case CT_VERS_NE:
        return "!=";
    case CT_VERS_LT:
        return "<";
    case CT_VERS_LE:
        return "<=";
    case CT_VERS_GT:
        return ">";
    case CT_VERS_GE:
        return ">=";
    case CT_VERS_STAR:
        return "*";
    case CT_VERS_EQ:
        break;
    }
    return "";
}

int ct_vers_format(ct_buf *out, const ct_vers *v)
{
    size_t mark;
    int rc = 0;

    if (out == NULL || v == NULL)
        return ct_error_set(CT_EINVAL, "ct_vers_format: NULL argument");
    mark = out->len;
    if ((rc = ct_buf_puts(out, "vers:")) < 0 || (rc = ct_buf_puts(out, v->type)) < 0 ||
        (rc = ct_buf_putc(out, '/')) < 0)
        goto fail;
    for (size_t i = 0; i < v->n; i++) {
        if ((i > 0 && (rc = ct_buf_putc(out, '|')) < 0) ||
            (rc = ct_buf_puts(out, op_text(v->c[i].op))) < 0 ||
            (rc = ct_version__put_vers_version(out, v->text + v->c[i].off, v->c[i].len)) < 0)
            goto fail;
    }
    return 0;
fail:
    if (out->len >= mark && out->ptr != ct_buf__empty) {
        out->len = mark;
        out->ptr[mark] = '\0';
    }
    return rc;
}

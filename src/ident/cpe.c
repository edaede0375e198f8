/* CPE 2.3 names: the well-formed name (WFN) and its bindings, after NISTIR 7695 (naming):
 * formatted string (section 6.2), URI with the packed edition (6.1) and the WFN notation
 * itself (5.2). Values are kept in WFN form: alphanumerics and '_' plain, every other
 * character quoted with '\', and unquoted '*' / '?' as wildcards at either end. */
#include "ident/ident_int.h"

#include "base/base_int.h"

#include <string.h>

static const char *const attr_names[CT_CPE_NATTR] = {
    "part",     "vendor",     "product",   "version",   "update", "edition",
    "language", "sw_edition", "target_sw", "target_hw", "other",
};

const char *ct_cpe_attr_name(int id)
{
    return id >= 0 && id < CT_CPE_NATTR ? attr_names[id] : NULL;
}

/* ---- characters ----------------------------------------------------------------------------- */

static bool is_word(char c)
{
    return ct_ascii_isalnum(c) || c == '_';
}

/* Printable ASCII other than letters, digits and '_': what WFN strings quote with '\'. */
static bool is_punct(char c)
{
    return c >= 0x21 && c <= 0x7e && !is_word(c);
}

/* ---- WFN value check ------------------------------------------------------------------------ */

/* NULL when v[0..n) is a valid WFN attribute-value string (NISTIR 7695 5.3.2), else why not:
 * non-empty; only alphanumerics, '_' and quoted printable punctuation; one unquoted '*' at the
 * start and/or end; runs of unquoted '?' only at the start and/or end; not a lone '*'. */
static const char *wfn_value_problem(const char *v, size_t n)
{
    size_t i = 0, lead_end, trail_start;

    if (n == 0)
        return "empty value";
    /* Leading wildcards: '*' or a run of '?'. */
    if (v[0] == '*')
        i = 1;
    else
        while (i < n && v[i] == '?')
            i++;
    lead_end = i;
    /* Trailing wildcards, scanning back (a '\' before them makes them literal). */
    trail_start = n;
    if (n > lead_end && v[n - 1] == '*')
        trail_start = n - 1;
    else
        while (trail_start > lead_end && v[trail_start - 1] == '?')
            trail_start--;
    if (trail_start < n) {
        size_t bs = 0; /* count backslashes right before: odd means the first is quoted */
        while (trail_start - bs > lead_end && v[trail_start - bs - 1] == '\\')
            bs++;
        if (bs % 2)
            trail_start++;
    }
    for (i = lead_end; i < trail_start; i++) {
        if (v[i] == '\\') {
            if (i + 1 >= trail_start && i + 1 >= n)
                return "trailing '\\'";
            if (!is_punct(v[i + 1]))
                return "'\\' before a character that is not printable punctuation";
            i++;
        } else if (v[i] == '*' || v[i] == '?') {
            return "unquoted wildcard inside a value";
        } else if (!is_word(v[i])) {
            return "unquoted special character or non-printable byte";
        }
    }
    if (n == 1 && v[0] == '*')
        return "lone '*' (that is ANY)";
    if (n == 2 && v[0] == '*' && v[1] == '*')
        return "'**'";
    return NULL;
}

static const char *value_problem(int id, const ct_cpe_value *a)
{
    if (a->kind == CT_CPE_ANY)
        return a->value ? "ANY with a value" : NULL;
    if (a->kind == CT_CPE_NA)
        return id == CT_CPE_PART ? "part cannot be NA" : a->value ? "NA with a value" : NULL;
    if (a->kind != CT_CPE_VALUE || !a->value)
        return "value missing";
    if (id == CT_CPE_PART && !(a->value[1] == '\0' && (a->value[0] == 'a' || a->value[0] == 'o' ||
                                                      a->value[0] == 'h')))
        return "part is not 'a', 'o' or 'h'";
    return wfn_value_problem(a->value, strlen(a->value));
}

/* ---- common ---------------------------------------------------------------------------------- */

void ct_cpe_free(ct_cpe *cpe)
{
    if (!cpe)
        return;
    for (int i = 0; i < CT_CPE_NATTR; i++)
        ct_free(cpe->attr[i].value);
    ct_free(cpe);
}

typedef struct src {
    const char *s;
    size_t len;
} src;

static int fail_at(const src *in, const char *at, const char *reason, const char *what)
{
    ct_loc loc = CT_LOC_INIT;
    loc.offset = at ? (int64_t)(at - in->s) : -1;
    loc.column = at ? (uint32_t)(at - in->s) + 1 : 0;
    return ct_error_set_at(&loc, CT_EPARSE, "invalid CPE: %s%s", reason, what);
}

/* Store the WFN value held in b into attribute id after checking it; b is reset. */
static int set_value(ct_cpe *c, int id, ct_buf *b, const src *in, const char *at)
{
    const char *problem;

    if (b->failed)
        return ct_error_last()->code;
    c->attr[id].kind = CT_CPE_VALUE;
    c->attr[id].value = ct_buf_detach(b);
    if (!c->attr[id].value)
        return ct_error_set(CT_ENOMEM, "out of memory parsing a CPE");
    if ((problem = value_problem(id, &c->attr[id])))
        return fail_at(in, at, problem, id == CT_CPE_PART ? "" : " in an attribute");
    return 0;
}

/* ---- formatted string binding (NISTIR 7695 6.2) -------------------------------------------- */

/* Unbind one FS component s[0..n): "*" ANY, "-" NA, else quote what needs quoting. */
static int fs_component(ct_cpe *c, int id, const src *in, const char *s, size_t n)
{
    ct_buf b = CT_BUF_INIT;
    int rc;

    if (n == 0)
        return fail_at(in, s, "empty component (use '*' for ANY)", "");
    if (n == 1 && s[0] == '*')
        return 0; /* ANY */
    if (n == 1 && s[0] == '-') {
        c->attr[id].kind = CT_CPE_NA;
        return id == CT_CPE_PART ? fail_at(in, s, "part cannot be NA", "") : 0;
    }
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (is_word(ch) || ch == '*' || ch == '?') {
            ct_buf_putc(&b, ch); /* position rules for wildcards are checked on the value */
        } else if (ch == '\\') {
            if (i + 1 >= n || !is_punct(s[i + 1])) {
                ct_buf_dispose(&b);
                return fail_at(in, s + i, "bad escape", "");
            }
            ct_buf_putc(&b, '\\');
            ct_buf_putc(&b, s[++i]);
        } else if (is_punct(ch)) {
            ct_buf_putc(&b, '\\'); /* '.', '-' and others are quoted in the WFN */
            ct_buf_putc(&b, ch);
        } else {
            ct_buf_dispose(&b);
            return fail_at(in, s + i, "non-printable or non-ASCII byte", "");
        }
    }
    rc = set_value(c, id, &b, in, s);
    ct_buf_dispose(&b);
    return rc;
}

static int parse_fs(ct_cpe *c, const src *in)
{
    const char *s = in->s + 8, *end = in->s + in->len; /* after "cpe:2.3:" */
    int id = 0, rc;

    for (;;) {
        const char *start = s;
        while (s < end && *s != ':') {
            if (*s == '\\' && s + 1 < end)
                s++;
            s++;
        }
        if (s > end)
            s = end;
        if (id >= CT_CPE_NATTR)
            return fail_at(in, start, "too many components (a formatted string has 11)", "");
        if ((rc = fs_component(c, id, in, start, (size_t)(s - start))) < 0)
            return rc;
        id++;
        if (s >= end)
            break;
        s++; /* ':' */
    }
    if (id != CT_CPE_NATTR)
        return fail_at(in, end, "too few components (a formatted string has 11)", "");
    return 0;
}

static void fs_value(ct_buf *out, const ct_cpe_value *a)
{
    if (a->kind == CT_CPE_ANY) {
        ct_buf_putc(out, '*');
        return;
    }
    if (a->kind == CT_CPE_NA) {
        ct_buf_putc(out, '-');
        return;
    }
    for (const char *v = a->value; *v; v++) {
        if (*v == '\\' && (v[1] == '.' || v[1] == '-' || v[1] == '_')) {
            ct_buf_putc(out, *++v); /* these three need no quoting in the FS */
        } else if (*v == '\\') {
            ct_buf_putc(out, '\\');
            ct_buf_putc(out, *++v);
        } else {
            ct_buf_putc(out, *v);
        }
    }
}

/* ---- URI binding (NISTIR 7695 6.1) ----------------------------------------------------------- */

/* Decode one URI component s[0..n) into attribute id: "" ANY, "-" NA; lowercased;
 * '.', '-', '~' quoted; %01 / %02 are '?' / '*'; other %XX must be printable punctuation. */
static int uri_component(ct_cpe *c, int id, const src *in, const char *s, size_t n)
{
    ct_buf b = CT_BUF_INIT;
    int rc;

    if (n == 0)
        return 0;
    if (n == 1 && s[0] == '-') {
        c->attr[id].kind = CT_CPE_NA;
        return id == CT_CPE_PART ? fail_at(in, s, "part cannot be NA", "") : 0;
    }
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (is_word(ch)) {
            ct_buf_putc(&b, ct_ascii_lower(ch));
        } else if (ch == '.' || ch == '-' || ch == '~') {
            ct_buf_putc(&b, '\\');
            ct_buf_putc(&b, ch);
        } else if (ch == '%') {
            int hi = i + 2 < n ? ct_hexval(s[i + 1]) : -1;
            int lo = i + 2 < n ? ct_hexval(s[i + 2]) : -1;
            char d;
            if (hi < 0 || lo < 0) {
                ct_buf_dispose(&b);
                return fail_at(in, s + i, "bad percent escape", "");
            }
            d = (char)(hi * 16 + lo);
            i += 2;
            if (d == 1) {
                ct_buf_putc(&b, '?');
            } else if (d == 2) {
                ct_buf_putc(&b, '*');
            } else if (is_punct(d)) {
                ct_buf_putc(&b, '\\');
                ct_buf_putc(&b, d);
            } else {
                ct_buf_dispose(&b);
                return fail_at(in, s + i - 2, "percent escape of a character a CPE cannot hold",
                               "");
            }
        } else {
            ct_buf_dispose(&b);
            return fail_at(in, s + i, "character not allowed in a CPE URI", "");
        }
    }
    rc = set_value(c, id, &b, in, s);
    ct_buf_dispose(&b);
    return rc;
}

/* The URI edition: "~ed~sw_edition~target_sw~target_hw~other" (packed) or a plain edition. */
static int uri_edition(ct_cpe *c, const src *in, const char *s, size_t n)
{
    static const int ids[5] = { CT_CPE_EDITION, CT_CPE_SW_EDITION, CT_CPE_TARGET_SW,
                                CT_CPE_TARGET_HW, CT_CPE_OTHER };
    const char *end = s + n, *p = s + 1;
    int rc;

    if (n == 0 || s[0] != '~')
        return uri_component(c, CT_CPE_EDITION, in, s, n);
    for (int k = 0; k < 5; k++) {
        const char *q = p;
        while (q < end && *q != '~')
            q++;
        if (k < 4 && q >= end)
            return fail_at(in, s, "packed edition needs 5 '~'-separated fields", "");
        if (k == 4 && q < end)
            return fail_at(in, q, "packed edition has more than 5 fields", "");
        if ((rc = uri_component(c, ids[k], in, p, (size_t)(q - p))) < 0)
            return rc;
        p = q + 1;
    }
    return 0;
}

static int parse_uri(ct_cpe *c, const src *in)
{
    const char *s = in->s + 5, *end = in->s + in->len; /* after "cpe:/" */
    int k = 0, rc;

    for (;;) {
        const char *q = s;
        while (q < end && *q != ':')
            q++;
        if (k >= 7)
            return fail_at(in, s, "too many components (a CPE URI has at most 7)", "");
        if (k == 5)
            rc = uri_edition(c, in, s, (size_t)(q - s));
        else
            rc = uri_component(c, k, in, s, (size_t)(q - s)); /* ids 0..4 and 6 match k */
        if (rc < 0)
            return rc;
        k++;
        if (q >= end)
            return 0;
        s = q + 1;
    }
}

static const char uri_hex[] = "0123456789abcdef";

static void uri_value(ct_buf *out, const ct_cpe_value *a)
{
    if (a->kind == CT_CPE_ANY)
        return;
    if (a->kind == CT_CPE_NA) {
        ct_buf_putc(out, '-');
        return;
    }
    for (const char *v = a->value; *v; v++) {
        if (*v == '\\') {
            unsigned char d = (unsigned char)*++v;
            if (d == '-' || d == '.') {
                ct_buf_putc(out, (char)d);
            } else {
                char esc[3] = { '%', uri_hex[d >> 4], uri_hex[d & 15] };
                ct_buf_put(out, esc, 3);
            }
        } else if (*v == '?') {
            ct_buf_puts(out, "%01");
        } else if (*v == '*') {
            ct_buf_puts(out, "%02");
        } else {
            ct_buf_putc(out, ct_ascii_lower(*v)); /* the URI binding is lowercase (6.1.3) */
        }
    }
}

static void format_uri(ct_buf *out, const ct_cpe *c)
{
    size_t start = out->len, last;
    bool packed = c->attr[CT_CPE_SW_EDITION].kind != CT_CPE_ANY ||
                  c->attr[CT_CPE_TARGET_SW].kind != CT_CPE_ANY ||
                  c->attr[CT_CPE_TARGET_HW].kind != CT_CPE_ANY ||
                  c->attr[CT_CPE_OTHER].kind != CT_CPE_ANY;

    ct_buf_puts(out, "cpe:/");
    for (int k = 0; k < 7; k++) {
        if (k)
            ct_buf_putc(out, ':');
        if (k == CT_CPE_EDITION && packed) {
            static const int ids[5] = { CT_CPE_EDITION, CT_CPE_SW_EDITION, CT_CPE_TARGET_SW,
                                        CT_CPE_TARGET_HW, CT_CPE_OTHER };
            for (int j = 0; j < 5; j++) {
                ct_buf_putc(out, '~');
                uri_value(out, &c->attr[ids[j]]);
            }
        } else {
            uri_value(out, &c->attr[k]);
        }
    }
    if (out->failed)
        return;
    last = out->len; /* trailing empty components (ANY) are dropped */
    while (last > start + 5 && out->ptr[last - 1] == ':')
        last--;
    out->len = last;
    out->ptr[last] = '\0';
}

/* ---- WFN notation (NISTIR 7695 5.2): wfn:[part="a",vendor="x",version=ANY] ------------------ */

static int attr_by_name(const char *s, size_t n)
{
    for (int i = 0; i < CT_CPE_NATTR; i++)
        if (strlen(attr_names[i]) == n && memcmp(attr_names[i], s, n) == 0)
            return i;
    return -1;
}

static int parse_wfn(ct_cpe *c, const src *in)
{
    const char *s = in->s + 5, *end = in->s + in->len; /* after "wfn:[" */
    bool seen[CT_CPE_NATTR] = { false };
    int rc;

    if (end - s < 1 || end[-1] != ']')
        return fail_at(in, end, "WFN does not end with ']'", "");
    end--;
    while (s < end) {
        const char *name = s;
        int id;
        while (s < end && *s != '=')
            s++;
        if (s >= end || (id = attr_by_name(name, (size_t)(s - name))) < 0)
            return fail_at(in, name, "unknown WFN attribute", "");
        if (seen[id])
            return fail_at(in, name, "duplicate WFN attribute", "");
        seen[id] = true;
        s++;
        if (end - s >= 3 && memcmp(s, "ANY", 3) == 0) {
            s += 3;
        } else if (end - s >= 2 && memcmp(s, "NA", 2) == 0) {
            if (id == CT_CPE_PART)
                return fail_at(in, s, "part cannot be NA", "");
            c->attr[id].kind = CT_CPE_NA;
            s += 2;
        } else if (s < end && *s == '"') {
            ct_buf b = CT_BUF_INIT;
            const char *v = ++s;
            while (s < end && *s != '"') {
                if (*s == '\\' && s + 1 < end)
                    s++;
                s++;
            }
            if (s >= end)
                return fail_at(in, v, "unterminated WFN value", "");
            ct_buf_put(&b, v, (size_t)(s - v));
            rc = set_value(c, id, &b, in, v);
            ct_buf_dispose(&b);
            if (rc < 0)
                return rc;
            s++;
        } else {
            return fail_at(in, s, "WFN value is not ANY, NA or a quoted string", "");
        }
        if (s < end && *s++ != ',')
            return fail_at(in, s - 1, "expected ',' between WFN attributes", "");
        if (s == end && s[-1] == ',')
            return fail_at(in, s, "trailing ',' in WFN", "");
    }
    return 0;
}

static void wfn_value(ct_buf *out, const ct_cpe_value *a)
{
    if (a->kind == CT_CPE_ANY) {
        ct_buf_puts(out, "ANY");
    } else if (a->kind == CT_CPE_NA) {
        ct_buf_puts(out, "NA");
    } else {
        ct_buf_putc(out, '"');
        ct_buf_puts(out, a->value);
        ct_buf_putc(out, '"');
    }
}

/* ---- entry points ---------------------------------------------------------------------------- */

static bool has_prefix_ci(const char *s, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    if (len < n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (ct_ascii_lower(s[i]) != prefix[i])
            return false;
    return true;
}

int ct_cpe_parse(ct_cpe **out, const char *s, size_t len)
{
    src in = { s, len };
    ct_cpe *c = NULL;
    int rc;

    CT_IDENT_ASSERT_ARG(out && (s || !len));
    *out = NULL;
    if (len > CT_CPE_MAX_LEN)
        return ct_error_set(CT_ELIMIT, "invalid CPE: longer than %zu bytes", CT_CPE_MAX_LEN);
    if (memchr(s, '\0', len))
        return fail_at(&in, memchr(s, '\0', len), "NUL byte", "");
    if (!(c = ct_calloc(1, sizeof(*c))))
        return ct_error_set(CT_ENOMEM, "out of memory parsing a CPE");
    if (has_prefix_ci(s, len, "cpe:2.3:"))
        rc = parse_fs(c, &in);
    else if (has_prefix_ci(s, len, "cpe:/"))
        rc = parse_uri(c, &in);
    else if (len >= 5 && memcmp(s, "wfn:[", 5) == 0)
        rc = parse_wfn(c, &in);
    else
        rc = fail_at(&in, s, "missing \"cpe:2.3:\", \"cpe:/\" or \"wfn:[\"", "");
    if (rc < 0)
        goto cleanup;
    *out = c;
    c = NULL;
cleanup:
    ct_cpe_free(c);
    return rc;
}

int ct_cpe_format(ct_buf *out, const ct_cpe *cpe, ct_cpe_binding binding)
{
    const char *problem;

    CT_IDENT_ASSERT_ARG(out && cpe);
    for (int i = 0; i < CT_CPE_NATTR; i++)
        if ((problem = value_problem(i, &cpe->attr[i])))
            return ct_error_set(CT_EINVAL, "invalid CPE: %s: %s", attr_names[i], problem);
    switch (binding) {
    case CT_CPE_BIND_FS:
        ct_buf_puts(out, "cpe:2.3");
        for (int i = 0; i < CT_CPE_NATTR; i++) {
            ct_buf_putc(out, ':');
            fs_value(out, &cpe->attr[i]);
        }
        break;
    case CT_CPE_BIND_URI:
        format_uri(out, cpe);
        break;
    case CT_CPE_BIND_WFN:
        ct_buf_puts(out, "wfn:[");
        for (int i = 0; i < CT_CPE_NATTR; i++) {
            if (i)
                ct_buf_putc(out, ',');
            ct_buf_puts(out, attr_names[i]);
            ct_buf_putc(out, '=');
            wfn_value(out, &cpe->attr[i]);
        }
        ct_buf_putc(out, ']');
        break;
    default:
        return ct_error_set(CT_EINVAL, "ct_cpe_format: unknown binding %d", (int)binding);
    }
    return out->failed ? ct_error_last()->code : 0;
}

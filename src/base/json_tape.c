/* A validating JSON tokenizer producing a flat tape of uint32_t slots instead of a DOM, and the
 * navigation over it. Slot layout: bits 31-30 kind, bits 29-0 the value's byte offset.
 * Numbers and literals take one slot (type from the input byte, length by rescanning); plain
 * strings one slot of their own kind (typed without reading the input; their end is found
 * from the next slot's offset, spdxone); containers take two (the second counts the slots
 * inside, bit 31 set for an object); strings with escapes take two (the second is the offset
 * of their unescaped copy in t->side: a u32 length, the bytes, a NUL). */
#include "json_tape.h"
#include "base_int.h"
#include "bigmem.h"

#include <errno.h>
#include <stdio.h>
#if defined(__SSE2__)
#include <emmintrin.h> /* SSE2: part of every x86-64 (spdx9) */
#endif
#include <stdlib.h>
#include <string.h>

#define K_SCALAR CT_JT__SCALAR
#define K_CONT   CT_JT__CONT
#define K_ESC    CT_JT__ESC
#define K_STR    CT_JT__STR
#define OBJ_BIT  CT_JT__OBJ_BIT
#define COUNT_MASK CT_JT__COUNT_MASK
#define OFF_MASK CT_JT__OFF_MASK
#define MAX_DOC  ((size_t)OFF_MASK) /* offsets must fit in 30 bits */

static uint32_t kind_of(uint32_t s)
{
    return s >> 30;
}

/* ---- errors ------------------------------------------------------------------------------ */

typedef struct {
    ct_jtape *t;
    const char *source;
    uint32_t line_base;
    int max_depth;
    size_t released_at; /* input offset of the last t->release call */
} tok;

/* how much input the tokenizer walks between two calls of t->release */
#define RELEASE_EVERY ((size_t)4 << 20)

static void offset_to_linecol(const char *data, size_t off, uint32_t *line, uint32_t *col)
{
    uint32_t l = 1, c = 1;
    for (size_t i = 0; i < off; i++) {
        if (data[i] == '\n') {
            l++;
            c = 1;
        } else if (((unsigned char)data[i] & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

static int fail_at(const tok *k, size_t off, int code, const char *what)
{
    ct_loc loc = CT_LOC_INIT;
    loc.source = k->source;
    offset_to_linecol(k->t->doc, off, &loc.line, &loc.column);
    loc.line += k->line_base ? k->line_base - 1 : 0;
    loc.offset = (int64_t)off;
    if (off >= k->t->len && code == CT_EPARSE)
        return ct_error_set_at(&loc, code, "unexpected end of JSON input");
    return ct_error_set_at(&loc, code, "malformed JSON: %s", what);
}

/* ---- tape building ----------------------------------------------------------------------- */

static int grow(tok *k, size_t more)
{
    ct_jtape *t = k->t;
    if (t->n + more <= t->cap)
        return 0;
    size_t ncap = t->cap ? t->cap * 2 : 256;
    while (ncap < t->n + more)
        ncap *= 2;
    if (ncap > (size_t)UINT32_MAX - 1)
        return ct_error_set(CT_ELIMIT, "JSON document holds too many values");
    /* a large tape is a huge-page-advised mapping (spdx8: its page faults were a third of the
     * tokenizer's CPU), which grows by moving pages; a tight one (spdx9: the 2 MiB rounding of
     * its last part was up to 2 MiB of peak RSS), whose page rounding is used */
    uint32_t *ns = ct_bigmem_realloc_tight(t->slot, ncap, sizeof *ns);
    if (!ns)
        return ct_error_set(CT_ENOMEM, "out of memory");
    t->slot = ns;
    t->cap = ct_bigmem_usable(ns) / sizeof *ns;
    if (t->cap > (size_t)UINT32_MAX - 1)
        t->cap = (size_t)UINT32_MAX - 1;
    return 0;
}

static int side_reserve(tok *k, size_t more)
{
    ct_jtape *t = k->t;
    size_t need;
    if (more > SIZE_MAX - t->side_len)
        return ct_error_set(CT_ENOMEM, "out of memory");
    need = t->side_len + more;
    if (need <= t->side_cap)
        return 0;
    size_t ncap = t->side_cap ? t->side_cap * 2 : 4096;
    while (ncap < need)
        ncap *= 2;
    char *ns = ct_bigmem_realloc_tight(t->side, ncap, 1);
    if (!ns)
        return ct_error_set(CT_ENOMEM, "out of memory");
    t->side = ns;
    t->side_cap = ct_bigmem_usable(ns);
    return 0;
}

static const signed char hexval[256] = {
    ['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7, ['7'] = 8,
    ['8'] = 9, ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15,
    ['f'] = 16, ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

static int hex4(const char *p)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hexval[(unsigned char)p[i]];
        if (!h)
            return -1;
        v = v * 16 + h - 1;
    }
    return v;
}

static size_t put_utf8(char *o, uint32_t cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Unescape the string body d[b..e) (escapes already checked) onto the side; *at gets its
 * offset. Unpaired surrogates become U+FFFD, as json-c makes them. */
static int unescape(tok *k, size_t b, size_t e, uint32_t *at)
{
    ct_jtape *t = k->t;
    const char *d = t->doc;
    size_t start = t->side_len, o;
    int rc;

    /* the output is never longer than the input (\uXXXX: 6 bytes in, <= 3 out; a pair: 12
     * in, 4 out; U+FFFD for a lone "\uD800": 6 in, 3 out) */
    if ((rc = side_reserve(k, 4 + (e - b) + 1 + 3)) < 0)
        return rc;
    if (start > UINT32_MAX)
        return ct_error_set(CT_ELIMIT, "JSON document holds too many escaped strings");
    o = start + 4;
    for (size_t i = b; i < e;) {
        if (d[i] != '\\') {
            t->side[o++] = d[i++];
            continue;
        }
        char c = d[i + 1];
        i += 2;
        switch (c) {
        case 'b':
            t->side[o++] = '\b';
            break;
        case 'f':
            t->side[o++] = '\f';
            break;
        case 'n':
            t->side[o++] = '\n';
            break;
        case 'r':
            t->side[o++] = '\r';
            break;
        case 't':
            t->side[o++] = '\t';
            break;
        case 'u': {
            uint32_t cp = (uint32_t)hex4(d + i);
            i += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 <= e && d[i] == '\\' && d[i + 1] == 'u') {
                int lo = hex4(d + i + 2);
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + ((uint32_t)lo - 0xDC00);
                    i += 6;
                }
            }
            if (cp >= 0xD800 && cp <= 0xDFFF)
                cp = 0xFFFD;
            o += put_utf8(t->side + o, cp);
            break;
        }
        default: /* " \ / */
            t->side[o++] = c;
            break;
        }
    }
    uint32_t n = (uint32_t)(o - start - 4);
    memcpy(t->side + start, &n, 4);
    t->side[o++] = '\0';
    t->side_len = o;
    *at = (uint32_t)start;
    return 0;
}

#define ONES  0x0101010101010101u
#define HIGHS 0x8080808080808080u

/* A string starting at d[*i] == '"': checks it (its UTF-8 too: the only place where input bytes
 * >= 0x80 or NUL can be well-formed JSON), appends its slot(s), moves *i past it. */
static int scan_string(tok *k, size_t *i)
{
    ct_jtape *t = k->t;
    const char *d = t->doc;
    size_t p = *i + 1, len = t->len;
    bool esc = false;
    int rc;

    for (;;) {
#if defined(__SSE2__)
        /* sixteen bytes at a time (spdx9: most names and values fit in one step; the eight-byte
         * loop below took two or three, and the tokenizer was a quarter of `pv`): the first
         * '"', '\\', NUL or byte >= 0x80, exactly as the loop below finds it */
        while (p + 16 <= len) {
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(d + p));
            __m128i e = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
                                                  _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))),
                                     _mm_cmpeq_epi8(x, _mm_setzero_si128()));
            unsigned f = (unsigned)_mm_movemask_epi8(e) | (unsigned)_mm_movemask_epi8(x);
            if (f) {
                p += (size_t)__builtin_ctz(f);
                goto special;
            }
            p += 16;
        }
#endif
        /* fast path: plain ASCII, eight bytes at a time while no '"', '\\', NUL or byte >=
         * 0x80 is among them (spdxfast; spdxone: the UTF-8 check moved here from a separate
         * pass over the whole input) */
        while (p + 8 <= len) {
            uint64_t w, q, b, m;
            memcpy(&w, d + p, 8);
            q = w ^ 0x2222222222222222u; /* '"' bytes become 0 */
            b = w ^ 0x5C5C5C5C5C5C5C5Cu; /* '\\' bytes become 0 */
            /* (w - ONES) | w: a high bit for a NUL or a byte >= 0x80 */
            m = (((q - ONES) & ~q) | ((b - ONES) & ~b) | (w - ONES) | w) & HIGHS;
            if (m) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
                /* the lowest flag is the first such byte (a borrow only runs upwards from a
                 * byte that is flagged itself): no byte loop (spdxone) */
                p += (size_t)__builtin_ctzll(m) >> 3;
                goto special;
#else
                break;
#endif
            }
            p += 8;
        }
        while (p < len && d[p] != '"' && d[p] != '\\' && (unsigned char)d[p] - 1u < 0x7Fu)
            p++;
        if (p >= len)
            return fail_at(k, len, CT_EPARSE, "unterminated string");
    special:
        if (d[p] == '"')
            break;
        if (d[p] != '\\') { /* NUL or a byte >= 0x80 */
            size_t n = d[p] ? ct_utf8__seq((const unsigned char *)d + p, len - p) : 0;
            if (!n) /* parse_doc reports the first bad byte of the input */
                return fail_at(k, p, CT_EPARSE, "invalid UTF-8 (or NUL byte)");
            p += n;
            continue;
        }
        esc = true;
        if (p + 1 >= len)
            return fail_at(k, len, CT_EPARSE, "unterminated string");
        switch (d[p + 1]) {
        case '"':
        case '\\':
        case '/':
        case 'b':
        case 'f':
        case 'n':
        case 'r':
        case 't':
            p += 2;
            break;
        case 'u':
            if (p + 6 > len)
                return fail_at(k, len, CT_EPARSE, "unterminated string");
            if (hex4(d + p + 2) < 0)
                return fail_at(k, p, CT_EPARSE, "invalid string sequence");
            p += 6;
            break;
        default:
            return fail_at(k, p, CT_EPARSE, "invalid string sequence");
        }
    }
    if (k->t->n + 2 > k->t->cap && (rc = grow(k, 2)) < 0)
        return rc;
    if (esc) {
        uint32_t at = 0;
        if ((rc = unescape(k, *i + 1, p, &at)) < 0)
            return rc;
        t->slot[t->n++] = (K_ESC << 30) | (uint32_t)*i;
        t->slot[t->n++] = at;
    } else {
        t->slot[t->n++] = (K_STR << 30) | (uint32_t)*i;
    }
    *i = p + 1;
    return 0;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* RFC 8259 §6 number; returns the end, or fails at the offending byte */
static int scan_number(tok *k, size_t *i)
{
    const char *d = k->t->doc;
    size_t p = *i, len = k->t->len;
    int rc;

    if (p < len && d[p] == '-')
        p++;
    if (p >= len || !is_digit(d[p]))
        return fail_at(k, p, CT_EPARSE, "number expected");
    if (d[p] == '0') {
        p++;
        if (p < len && is_digit(d[p]))
            return fail_at(k, p, CT_EPARSE, "number expected");
    } else {
        while (p < len && is_digit(d[p]))
            p++;
    }
    if (p < len && d[p] == '.') {
        p++;
        if (p >= len || !is_digit(d[p]))
            return fail_at(k, p, CT_EPARSE, "number expected");
        while (p < len && is_digit(d[p]))
            p++;
    }
    if (p < len && (d[p] == 'e' || d[p] == 'E')) {
        p++;
        if (p < len && (d[p] == '+' || d[p] == '-'))
            p++;
        if (p >= len || !is_digit(d[p]))
            return fail_at(k, p, CT_EPARSE, "number expected");
        while (p < len && is_digit(d[p]))
            p++;
    }
    if (k->t->n + 1 > k->t->cap && (rc = grow(k, 1)) < 0)
        return rc;
    k->t->slot[k->t->n++] = (K_SCALAR << 30) | (uint32_t)*i;
    *i = p;
    return 0;
}

static int scan_literal(tok *k, size_t *i, const char *word, const char *what)
{
    size_t n = strlen(word), p = *i;
    int rc;
    for (size_t j = 0; j < n; j++)
        if (p + j >= k->t->len || k->t->doc[p + j] != word[j])
            return fail_at(k, p + j, CT_EPARSE, what);
    if (k->t->n + 1 > k->t->cap && (rc = grow(k, 1)) < 0)
        return rc;
    k->t->slot[k->t->n++] = (K_SCALAR << 30) | (uint32_t)p;
    *i = p + n;
    return 0;
}

static size_t skip_ws(const char *d, size_t i, size_t len)
{
    while (i < len && (d[i] == ' ' || d[i] == '\n' || d[i] == '\r' || d[i] == '\t'))
        i++;
    return i;
}

/* A member name, the ':' and the space after it; *i ends at the member's value. */
static int scan_key(tok *k, size_t *i)
{
    const char *d = k->t->doc;
    int rc;
    if (*i >= k->t->len || d[*i] != '"')
        return fail_at(k, *i, CT_EPARSE, "quoted object property name expected");
    if ((rc = scan_string(k, i)) < 0)
        return rc;
    *i = skip_ws(d, *i, k->t->len);
    if (*i >= k->t->len || d[*i] != ':')
        return fail_at(k, *i, CT_EPARSE, "object property name separator ':' expected");
    *i = skip_ws(d, *i + 1, k->t->len);
    return 0;
}

static int tokenize(tok *k, size_t i)
{
    ct_jtape *t = k->t;
    const char *d = t->doc;
    size_t len = t->len;
    uint32_t local[128];
    uint32_t *stack = local; /* open containers: slot index */
    int depth = 0, rc = 0;

    /* the usual depth limits fit on the C stack: no allocation per document (JSON lines) */
    if ((size_t)k->max_depth + 1 > CT_NELEM(local) &&
        !(stack = ct_calloc((size_t)k->max_depth + 1, sizeof *stack)))
        return ct_error_set(CT_ENOMEM, "out of memory");
    for (;;) {
        /* a value at d[i] */
        if (i >= len) {
            rc = fail_at(k, len, CT_EPARSE, "");
            goto done;
        }
        if (depth >= k->max_depth) {
            rc = fail_at(k, i, CT_EPARSE, "nesting too deep");
            goto done;
        }
        char c = d[i];
        if (c == '{' || c == '[') {
            if (t->release && i - k->released_at >= RELEASE_EVERY) {
                t->release(t->release_payload);
                k->released_at = i;
            }
            if (k->t->n + 2 > k->t->cap && (rc = grow(k, 2)) < 0)
                goto done;
            stack[depth++] = (uint32_t)t->n;
            t->slot[t->n++] = (K_CONT << 30) | (uint32_t)i;
            t->slot[t->n++] = c == '{' ? OBJ_BIT : 0;
            i = skip_ws(d, i + 1, len);
            if (i < len && d[i] == (c == '{' ? '}' : ']')) {
                depth--;
                i++;
            } else {
                if (c == '{' && (rc = scan_key(k, &i)) < 0)
                    goto done;
                continue;
            }
        } else if (c == '"') {
            rc = scan_string(k, &i);
        } else if (c == '-' || is_digit(c)) {
            rc = scan_number(k, &i);
        } else if (c == 't') {
            rc = scan_literal(k, &i, "true", "boolean expected");
        } else if (c == 'f') {
            rc = scan_literal(k, &i, "false", "boolean expected");
        } else if (c == 'n') {
            rc = scan_literal(k, &i, "null", "null expected");
        } else {
            rc = fail_at(k, i, CT_EPARSE, "unexpected character");
        }
        if (rc < 0)
            goto done;
        /* after a value: close containers, or a separator and the next value */
        for (;;) {
            i = skip_ws(d, i, len);
            if (depth == 0)
                goto end;
            uint32_t top = stack[depth - 1];
            bool obj = (t->slot[top + 1] & OBJ_BIT) != 0;
            if (i < len && d[i] == ',') {
                i = skip_ws(d, i + 1, len);
                if (obj && (rc = scan_key(k, &i)) < 0)
                    goto done;
                break;
            }
            if (i < len && d[i] == (obj ? '}' : ']')) {
                t->slot[top + 1] = (t->slot[top + 1] & OBJ_BIT) | (uint32_t)(t->n - top - 2);
                depth--;
                i++;
                continue;
            }
            rc = fail_at(k, i, CT_EPARSE,
                         obj ? "object value separator ',' expected"
                             : "array value separator ',' expected");
            goto done;
        }
    }
end:
    if (i < len)
        rc = fail_at(k, i, CT_EPARSE, "unexpected data after the JSON value");
done:
    if (stack != local)
        ct_free(stack);
    return rc;
}

/* keep: t's buffers are reused (ct_jtape_reparse), neither freed nor shrunk */
static int parse_doc(ct_jtape *t, const ct_ctx *ctx, const char *data, size_t len,
                     const char *source, uint32_t line_base, bool keep,
                     ct_jtape_release_fn release, void *payload)
{
    const ct_limits *lim = ct_ctx_limits(ctx);
    tok k = { t, source, line_base, lim->max_depth, 0 };
    size_t bad;

    if (!keep) {
        memset(t, 0, sizeof *t);
        t->release = release;
        t->release_payload = payload;
    }
    t->n = 0;
    t->side_len = 0;
    t->doc = data;
    t->len = len;
    if (len > lim->max_doc_bytes || len > MAX_DOC) {
        ct_loc loc = CT_LOC_INIT;
        loc.source = source;
        loc.offset = (int64_t)(len > lim->max_doc_bytes ? lim->max_doc_bytes : MAX_DOC);
        loc.line = line_base;
        return ct_error_set_at(&loc, CT_ELIMIT, "document of %zu bytes exceeds the limit of %zu",
                               len, len > lim->max_doc_bytes ? lim->max_doc_bytes : MAX_DOC);
    }
    if (k.max_depth < 1)
        k.max_depth = 1;
    /* a first guess of the tape size avoids most regrowth: ~1 slot per 12 bytes of SBOM */
    int rc = grow(&k, len / 12 + 16) < 0 ? CT_ENOMEM : tokenize(&k, skip_ws(data, 0, len));
    /* UTF-8 is checked inside strings as they are scanned (spdxone; a byte >= 0x80 or a NUL
     * anywhere else is a syntax error). The answer stays that of one check of the whole input
     * before tokenizing: on any failure the first bad byte of the input, if there is one, is
     * the error. */
    if (rc < 0 && !ct_utf8_valid(data, len, &bad)) {
        ct_loc loc = CT_LOC_INIT;
        loc.source = source;
        offset_to_linecol(data, bad, &loc.line, &loc.column);
        loc.line += line_base ? line_base - 1 : 0;
        loc.offset = (int64_t)bad;
        return ct_error_set_at(&loc, CT_EPARSE, "invalid UTF-8 (or NUL byte)");
    }
    if (keep)
        return rc;
    /* shrink to fit before the caller builds anything else (issue 5): the doubling slack is
     * returned (a large block: its tail is unmapped, no copy); a failed shrink keeps the
     * larger block */
    if (rc == 0 && t->n < t->cap) {
        uint32_t *ns = ct_bigmem_realloc_tight(t->slot, t->n, sizeof *ns);
        if (ns) {
            t->slot = ns;
            t->cap = ct_bigmem_usable(ns) / sizeof *ns;
        }
    }
    if (rc == 0 && t->side && t->side_len < t->side_cap) {
        char *ns = ct_bigmem_realloc_tight(t->side, t->side_len, 1);
        if (ns) {
            t->side = ns;
            t->side_cap = ct_bigmem_usable(ns);
        }
    }
    return rc;
}

int ct_jtape_parse(ct_jtape *t, const ct_ctx *ctx, const char *data, size_t len,
                   const char *source, uint32_t line_base)
{
    return parse_doc(t, ctx, data, len, source, line_base, false, NULL, NULL);
}

int ct_jtape_parse_released(ct_jtape *t, const ct_ctx *ctx, const char *data, size_t len,
                            const char *source, ct_jtape_release_fn release, void *payload)
{
    int rc = parse_doc(t, ctx, data, len, source, 0, false, release, payload);
    ct_jt_release(t);
    return rc;
}

void ct_jt_release(const ct_jtape *t)
{
    if (t->release)
        t->release(t->release_payload);
}

int ct_jtape_reparse(ct_jtape *t, const ct_ctx *ctx, const char *data, size_t len,
                     const char *source, uint32_t line_base)
{
    return parse_doc(t, ctx, data, len, source, line_base, true, NULL, NULL);
}

void ct_jtape_dispose(ct_jtape *t)
{
    if (!t)
        return;
    ct_bigmem_free(t->slot);
    ct_bigmem_free(t->side);
    memset(t, 0, sizeof *t);
}

/* ---- navigation -------------------------------------------------------------------------- */

/* ct_jt_type_of and ct_jt_skip are inline in json_tape.h (spdxone: the walks call them for
 * every value) */

size_t ct_jt_offset(const ct_jtape *t, ct_jval v)
{
    return v < t->n ? t->slot[v] & OFF_MASK : 0;
}

/* ct_jt_iter, ct_jt__next, ct_jt_next_member_name, ct_jt_str and ct_jt_cstr are inline in
 * json_tape.h (spdx9), the cases below out of line */

bool ct_jt_next(ct_jiter *it, const ct_jtape *t, ct_jval *val)
{
    return ct_jt__next(it, t, val);
}

bool ct_jt_next_member(ct_jiter *it, const ct_jtape *t, ct_jval *key, ct_jval *val)
{
    if (it->cur >= it->end)
        return false;
    *key = it->cur;
    *val = ct_jt_skip(t, it->cur);
    it->cur = ct_jt_skip(t, *val);
    return true;
}

size_t ct_jt_count(const ct_jtape *t, ct_jval v)
{
    ct_jiter it;
    ct_jval x, y;
    size_t n = 0;
    bool obj = ct_jt_type_of(t, v) == CT_JT_OBJECT;
    ct_jt_iter(&it, t, v);
    while (obj ? ct_jt_next_member(&it, t, &x, &y) : ct_jt_next(&it, t, &x))
        n++;
    return n;
}

const char *ct_jt__str_slow(const ct_jtape *t, ct_jval v, size_t *len)
{
    uint32_t s, k;
    *len = 0;
    if (v == CT_JNONE || v >= t->n)
        return NULL;
    s = t->slot[v];
    k = kind_of(s);
    if (k == K_ESC) {
        uint32_t n;
        memcpy(&n, t->side + t->slot[v + 1], 4);
        *len = n;
        return t->side + t->slot[v + 1] + 4;
    }
    if (k != K_STR)
        return NULL;
    const char *b = t->doc + (s & OFF_MASK) + 1, *e = NULL;
    if (v + 1 < t->n) {
        /* the closing quote is the last '"' before the next value on the tape: only white
         * space, ',', ':', '}' and ']' can stand between them (spdxone: no rescan) */
        const char *q = t->doc + (t->slot[v + 1] & OFF_MASK);
        while (q > b && *(q - 1) != '"')
            q--;
        if (q > b)
            e = q - 1;
    }
    if (!e)
        e = memchr(b, '"', t->len - (size_t)(b - t->doc));
    *len = (size_t)(e - b);
    return b;
}

/* an escaped string (K_ESC) cut at its first U+0000 */
const char *ct_jt__cstr_esc(const ct_jtape *t, ct_jval v, size_t *len)
{
    const char *p = ct_jt__str_slow(t, v, len), *z;
    if (p && (z = memchr(p, '\0', *len)))
        *len = (size_t)(z - p);
    return p;
}

bool ct_jt_str_eq(const ct_jtape *t, ct_jval v, const char *s)
{
    size_t n;
    const char *p = ct_jt_str(t, v, &n);
    return p && strlen(s) == n && memcmp(p, s, n) == 0;
}

ct_jval ct_jt_get(const ct_jtape *t, ct_jval obj, const char *key)
{
    ct_jiter it;
    ct_jval k, v, hit = CT_JNONE;
    size_t klen = strlen(key);
    if (ct_jt_type_of(t, obj) != CT_JT_OBJECT)
        return CT_JNONE;
    ct_jt_iter(&it, t, obj);
    while (ct_jt_next_member(&it, t, &k, &v)) {
        uint32_t s = t->slot[k];
        if (kind_of(s) == K_STR) {
            /* plain key: compare in place; the closing quote must follow */
            const char *b = t->doc + (s & OFF_MASK) + 1;
            if ((size_t)(t->doc + t->len - b) > klen && memcmp(b, key, klen) == 0 &&
                b[klen] == '"')
                hit = v;
        } else {
            /* an escaped name: compared as json-c keeps names, up to a "\u0000" */
            size_t n;
            const char *p = ct_jt_str(t, k, &n), *z = memchr(p, '\0', n);
            if (z)
                n = (size_t)(z - p);
            if (n == klen && memcmp(p, key, n) == 0)
                hit = v;
        }
    }
    return hit;
}

char *ct_jt_strdup(const ct_jtape *t, ct_jval v)
{
    size_t n;
    const char *p = ct_jt_str(t, v, &n);
    const char *z;
    if (!p)
        return NULL;
    if ((z = memchr(p, '\0', n)))
        n = (size_t)(z - p);
    return ct_strndup(p, n);
}

bool ct_jt_bool(const ct_jtape *t, ct_jval v)
{
    return ct_jt_type_of(t, v) == CT_JT_BOOL && t->doc[t->slot[v] & OFF_MASK] == 't';
}

/* the number literal's extent */
static size_t num_len(const ct_jtape *t, ct_jval v, bool *is_int)
{
    const char *d = t->doc;
    size_t b = t->slot[v] & OFF_MASK, p = b;
    *is_int = true;
    while (p < t->len && (is_digit(d[p]) || d[p] == '-' || d[p] == '+' || d[p] == '.' ||
                          d[p] == 'e' || d[p] == 'E')) {
        if (d[p] == '.' || d[p] == 'e' || d[p] == 'E')
            *is_int = false;
        p++;
    }
    return p - b;
}

bool ct_jt_is_int(const ct_jtape *t, ct_jval v)
{
    bool is_int;
    if (ct_jt_type_of(t, v) != CT_JT_NUMBER)
        return false;
    num_len(t, v, &is_int);
    return is_int;
}

int64_t ct_jt_int64(const ct_jtape *t, ct_jval v)
{
    bool is_int;
    size_t n;
    const char *p;
    int64_t acc = 0;
    bool neg;
    if (ct_jt_type_of(t, v) != CT_JT_NUMBER)
        return 0;
    n = num_len(t, v, &is_int);
    if (!is_int)
        return 0;
    p = t->doc + (t->slot[v] & OFF_MASK);
    neg = p[0] == '-';
    for (size_t i = neg ? 1 : 0; i < n; i++) {
        int dgt = p[i] - '0';
        if (neg ? acc < (INT64_MIN + dgt) / 10 : acc > (INT64_MAX - dgt) / 10)
            return neg ? INT64_MIN : INT64_MAX;
        acc = neg ? acc * 10 - dgt : acc * 10 + dgt;
    }
    return acc;
}

double ct_jt_double(const ct_jtape *t, ct_jval v)
{
    char buf[400];
    bool is_int;
    size_t n;
    if (ct_jt_type_of(t, v) != CT_JT_NUMBER)
        return 0;
    n = num_len(t, v, &is_int);
    if (n >= sizeof buf)
        n = sizeof buf - 1;
    memcpy(buf, t->doc + (t->slot[v] & OFF_MASK), n);
    buf[n] = '\0';
    return strtod(buf, NULL);
}

/* append s[0..len) to the pointer, escaped per RFC 6901 §3 unless raw */
static void ptr_put(char *buf, size_t cap, size_t *n, const char *s, size_t len, bool raw)
{
    for (size_t i = 0; i < len && s[i]; i++) {
        const char *rep = raw ? NULL : s[i] == '~' ? "~0" : s[i] == '/' ? "~1" : NULL;
        size_t w = rep ? 2 : 1;
        if (*n + w + 1 > cap)
            return;
        memcpy(buf + *n, rep ? rep : s + i, w);
        *n += w;
    }
    buf[*n] = '\0';
}

size_t ct_jt_pointer(char *buf, size_t cap, const ct_jtape *t, ct_jval target)
{
    ct_jval cur = 0;
    size_t n = 0;

    if (!cap)
        return 0;
    buf[0] = '\0';
    while (cur < target && target < t->n) {
        ct_jt_type ty = ct_jt_type_of(t, cur);
        ct_jiter it;
        ct_jval k = CT_JNONE, val;
        size_t idx = 0;
        bool found = false;
        ct_jt_iter(&it, t, cur);
        while (ty == CT_JT_OBJECT ? ct_jt_next_member(&it, t, &k, &val)
                                  : ct_jt_next(&it, t, &val)) {
            if (target >= val && target < ct_jt_skip(t, val)) {
                found = true;
                break;
            }
            idx++;
        }
        if (!found)
            break;
        ptr_put(buf, cap, &n, "/", 1, true);
        if (ty == CT_JT_OBJECT) {
            size_t kl;
            const char *ks = ct_jt_str(t, k, &kl);
            ptr_put(buf, cap, &n, ks, kl, false);
        } else {
            char num[24];
            int w = snprintf(num, sizeof num, "%zu", idx);
            ptr_put(buf, cap, &n, num, (size_t)w, true);
        }
        cur = val;
    }
    return n;
}

/* Internal: a validating JSON tokenizer that produces a flat tape (no DOM), written for the
 * large-document paths (CycloneDX JSON read + validate). The tape is an array of uint32_t
 * slots, one per scalar and two per container or escaped string; values point into the
 * caller's input, which must outlive the tape. */
#ifndef CT_JSON_TAPE_H
#define CT_JSON_TAPE_H

#include "cratrace/base.h"

/** Index of a value on the tape; CT_JNONE when absent. */
typedef uint32_t ct_jval;
#define CT_JNONE UINT32_MAX

typedef enum {
    CT_JT_NONE = 0, /* absent (CT_JNONE) */
    CT_JT_NULL,
    CT_JT_BOOL,
    CT_JT_NUMBER,
    CT_JT_STRING,
    CT_JT_ARRAY,
    CT_JT_OBJECT,
} ct_jt_type;

/** Told, now and then, that a walk over a large input has moved on (ct_jtape_parse_released,
 * ct_jt_release): the input's owner may drop the resident copies of bytes it can bring back on
 * demand (pages of a read-only file mapping: madvise MADV_DONTNEED). The input must stay
 * readable at every byte: any of them may be read again after the call. */
typedef void (*ct_jtape_release_fn)(void *payload);

typedef struct ct_jtape {
    const char *doc; /* borrowed input */
    size_t len;
    uint32_t *slot; /* the tape (a ct_bigmem block, base/bigmem.h: huge pages when large) */
    size_t n, cap;
    char *side; /* unescaped strings: u32 length, bytes, NUL (a ct_bigmem block too) */
    size_t side_len, side_cap;
    ct_jtape_release_fn release; /* NULL unless ct_jtape_parse_released set it */
    void *release_payload;
} ct_jtape;
#define CT_JTAPE_INIT { NULL, 0, NULL, 0, 0, NULL, 0, 0, NULL, NULL }

/** Tokenize data[0..len) as one strict RFC 8259 JSON value (UTF-8 checked, inside strings as
 * they are scanned; reported as one check of the whole input would: ctx depth limit,
 * trailing non-space bytes rejected). Errors are CT_EPARSE / CT_ELIMIT with source, line,
 * column and byte offset, as ct_json_parse() reports them; line_base is added to lines. On
 * success the root is value 0. Free with ct_jtape_dispose() in every case. */
int ct_jtape_parse(ct_jtape *t, const ct_ctx *ctx, const char *data, size_t len,
                   const char *source, uint32_t line_base);
/** ct_jtape_parse into a tape parsed before (or CT_JTAPE_INIT), reusing its buffers: for
 * many small documents in a row (JSON lines). The buffers are not shrunk; same errors. */
int ct_jtape_reparse(ct_jtape *t, const ct_ctx *ctx, const char *data, size_t len,
                     const char *source, uint32_t line_base);
/** ct_jtape_parse for a large input its owner can page back in (issue 5, peak memory): release
 * (not NULL) is called every few MiB of tokenizing and at the end, and the tape keeps it for
 * ct_jt_release. Same results and errors as ct_jtape_parse. */
int ct_jtape_parse_released(ct_jtape *t, const ct_ctx *ctx, const char *data, size_t len,
                            const char *source, ct_jtape_release_fn release, void *payload);
/** Readers walking a large tape call this every so often; it calls the tape's release hook,
 * if any (a no-op otherwise). */
void ct_jt_release(const ct_jtape *t);
void ct_jtape_dispose(ct_jtape *t);

/* The slot layout (json_tape.c), for the inline navigation below: bits 31-30 of a value's first
 * slot its kind, bits 29-0 its byte offset; a container's second slot counts the slots inside
 * (bit 31: an object), an escaped string's is the offset of its unescaped copy in side. */
#define CT_JT__SCALAR 0u /* a number or a literal */
#define CT_JT__CONT 1u
#define CT_JT__ESC 2u /* a string with escapes */
#define CT_JT__STR 3u /* a string without */
#define CT_JT__OBJ_BIT 0x80000000u
#define CT_JT__COUNT_MASK 0x7FFFFFFFu /* counts stay below 2^30: a slot per input byte at most */
#define CT_JT__OFF_MASK 0x3FFFFFFFu

/** Type of value v (CT_JT_NONE for CT_JNONE or past the end); reads the input only for a number
 * or a literal. */
static inline ct_jt_type ct_jt_type_of(const ct_jtape *t, ct_jval v)
{
    uint32_t s;
    if (v == CT_JNONE || v >= t->n)
        return CT_JT_NONE;
    s = t->slot[v];
    switch (s >> 30) {
    case CT_JT__STR:
    case CT_JT__ESC:
        return CT_JT_STRING;
    case CT_JT__CONT:
        return t->slot[v + 1] & CT_JT__OBJ_BIT ? CT_JT_OBJECT : CT_JT_ARRAY;
    default:
        break;
    }
    switch (t->doc[s & CT_JT__OFF_MASK]) {
    case 't':
    case 'f':
        return CT_JT_BOOL;
    case 'n':
        return CT_JT_NULL;
    default:
        return CT_JT_NUMBER;
    }
}

/** Index just past v and everything inside it. */
static inline ct_jval ct_jt_skip(const ct_jtape *t, ct_jval v)
{
    uint32_t k = t->slot[v] >> 30;
    if (k == CT_JT__CONT)
        return v + 2 + (t->slot[v + 1] & CT_JT__COUNT_MASK);
    return v + (k == CT_JT__ESC ? 2 : 1);
}
/** Member of object obj named key (the last one when repeated, as json-c keeps it; a name is
 * compared up to an escaped U+0000, as json-c's C-string keys); CT_JNONE when obj is not an
 * object or has no such member. */
ct_jval ct_jt_get(const ct_jtape *t, ct_jval obj, const char *key);
/** Number of elements (array) or members (object); 0 otherwise. */
size_t ct_jt_count(const ct_jtape *t, ct_jval v);

/* out of line: the escaped strings and the last value of a tape (json_tape.c) */
const char *ct_jt__str_slow(const ct_jtape *t, ct_jval v, size_t *len);
const char *ct_jt__cstr_esc(const ct_jtape *t, ct_jval v, size_t *len);

/** String bytes (borrowed: from the input, or unescaped on the side), *len set; not
 * NUL-terminated (may hold U+0000 from "\u0000"). NULL when v is not a string. Inline for a
 * plain string (spdx9: the walks call it for every value they read). */
static inline const char *ct_jt_str(const ct_jtape *t, ct_jval v, size_t *len)
{
    uint32_t s;
    if (v == CT_JNONE || v + 1 >= t->n || ((s = t->slot[v]) >> 30) != CT_JT__STR)
        return ct_jt__str_slow(t, v, len);
    /* the closing quote is the last '"' before the next value on the tape: only white space,
     * ',', ':', '}' and ']' can stand between them (spdxone: no rescan) */
    const char *b = t->doc + (s & CT_JT__OFF_MASK) + 1;
    const char *q = t->doc + (t->slot[v + 1] & CT_JT__OFF_MASK);
    while (q > b && *(q - 1) != '"')
        q--;
    if (q <= b)
        return ct_jt__str_slow(t, v, len);
    *len = (size_t)(q - 1 - b);
    return b;
}
/** ct_jt_str cut at the first U+0000, as json-c's C strings (json_object_get_string) read it;
 * no scan for strings without escapes (they cannot hold one). */
static inline const char *ct_jt_cstr(const ct_jtape *t, ct_jval v, size_t *len)
{
    if (v != CT_JNONE && v < t->n && (t->slot[v] >> 30) == CT_JT__ESC)
        return ct_jt__cstr_esc(t, v, len);
    return ct_jt_str(t, v, len);
}
/** v is a string equal to the NUL-terminated s. */
bool ct_jt_str_eq(const ct_jtape *t, ct_jval v, const char *s);
/** Copy of the string v (NEW, NUL-terminated, cut at an embedded NUL as json-c's
 * json_object_get_string() would be read); NULL when not a string or out of memory. */
char *ct_jt_strdup(const ct_jtape *t, ct_jval v);
/** true for the literal true. */
bool ct_jt_bool(const ct_jtape *t, ct_jval v);
/** Number text written without fraction or exponent (json-c's json_type_int). */
bool ct_jt_is_int(const ct_jtape *t, ct_jval v);
/** Integer value, saturated to INT64_MIN/INT64_MAX like json-c; 0 when not an integer. */
int64_t ct_jt_int64(const ct_jtape *t, ct_jval v);
/** Number value as a double (strtod of the literal); 0 when not a number. */
double ct_jt_double(const ct_jtape *t, ct_jval v);
/** Byte offset of v in the input. */
size_t ct_jt_offset(const ct_jtape *t, ct_jval v);

/** RFC 6901 pointer of value target ("/components/3/purl", "" for the root) into buf[cap],
 * NUL-terminated (cut when longer); returns its length. Walks down from the root: for error
 * reports, not hot paths. */
size_t ct_jt_pointer(char *buf, size_t cap, const ct_jtape *t, ct_jval target);

/** Iteration over an array's elements or an object's members. */
typedef struct ct_jiter {
    ct_jval cur, end;
} ct_jiter;
/** Start iterating container v (no elements when v is not a container). Inline (spdx9). */
static inline void ct_jt_iter(ct_jiter *it, const ct_jtape *t, ct_jval v)
{
    if (v != CT_JNONE && v < t->n && (t->slot[v] >> 30) == CT_JT__CONT) {
        it->cur = v + 2;
        it->end = v + 2 + (t->slot[v + 1] & CT_JT__COUNT_MASK);
    } else {
        it->cur = it->end = 0;
    }
}
/** Next array element into *val; false at the end (*val then untouched). */
bool ct_jt_next(ct_jiter *it, const ct_jtape *t, ct_jval *val);
/** ct_jt_next inline, for the hot walks (spdx9). */
static inline bool ct_jt__next(ct_jiter *it, const ct_jtape *t, ct_jval *val)
{
    if (it->cur >= it->end)
        return false;
    *val = it->cur;
    it->cur = ct_jt_skip(t, it->cur);
    return true;
}
/** Next object member: *key (a string value) and *val; false at the end. */
bool ct_jt_next_member(ct_jiter *it, const ct_jtape *t, ct_jval *key, ct_jval *val);
/** ct_jt_next_member giving the name's bytes instead (*name borrowed, *nlen bytes, cut at a
 * U+0000 as ct_jt_cstr): one call per member for the walks that index objects (spdxone). */
static inline bool ct_jt_next_member_name(ct_jiter *it, const ct_jtape *t, const char **name,
                                          size_t *nlen, ct_jval *val)
{
    ct_jval k = it->cur, x;
    uint32_t s, vs;
    if (k >= it->end)
        return false;
    s = t->slot[k];
    if ((s >> 30) == CT_JT__STR) {
        /* the name ends at the last '"' before its value (only ':' and white space between) */
        const char *b = t->doc + (s & CT_JT__OFF_MASK) + 1, *q;
        x = k + 1;
        q = t->doc + (t->slot[x] & CT_JT__OFF_MASK);
        while (*(q - 1) != '"')
            q--;
        *name = b;
        *nlen = (size_t)(q - 1 - b);
    } else { /* escaped: the unescaped copy, cut at a U+0000 */
        x = k + 2;
        *name = ct_jt__cstr_esc(t, k, nlen);
    }
    *val = x;
    vs = t->slot[x] >> 30;
    it->cur = vs == CT_JT__CONT ? x + 2 + (t->slot[x + 1] & CT_JT__COUNT_MASK)
                                : x + (vs == CT_JT__ESC ? 2 : 1);
    return true;
}

#endif

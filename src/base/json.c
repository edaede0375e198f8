/* JSON parsing with line/column errors and typed member access with JSON pointers. */
#include "json_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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

int ct_json_parse(json_object **out, const ct_ctx *ctx, const char *data, size_t len,
                  const char *source, uint32_t line_base)
{
    const ct_limits *lim = ct_ctx_limits(ctx);
    json_tokener *tok;
    json_object *obj;
    enum json_tokener_error jerr;
    size_t end, bad;
    ct_loc loc = CT_LOC_INIT;

    *out = NULL;
    loc.source = source;
    if (len > lim->max_doc_bytes || len > (size_t)INT32_MAX) {
        loc.offset = (int64_t)lim->max_doc_bytes;
        loc.line = line_base ? line_base : 0;
        return ct_error_set_at(&loc, CT_ELIMIT, "document of %zu bytes exceeds the limit of %zu",
                               len, lim->max_doc_bytes);
    }
    if (!ct_utf8_valid(data, len, &bad)) {
        offset_to_linecol(data, bad, &loc.line, &loc.column);
        loc.line += line_base ? line_base - 1 : 0;
        loc.offset = (int64_t)bad;
        return ct_error_set_at(&loc, CT_EPARSE, "invalid UTF-8 (or NUL byte)");
    }
    if (!(tok = json_tokener_new_ex(lim->max_depth)))
        return ct_error_set(CT_ENOMEM, "out of memory");
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
    obj = json_tokener_parse_ex(tok, data, (int)len);
    jerr = json_tokener_get_error(tok);
    end = json_tokener_get_parse_end(tok);
    if (jerr == json_tokener_continue) {
        /* flush: a document that ends early is truncated */
        json_tokener_free(tok);
        json_object_put(obj);
        offset_to_linecol(data, len, &loc.line, &loc.column);
        loc.line += line_base ? line_base - 1 : 0;
        loc.offset = (int64_t)len;
        return ct_error_set_at(&loc, CT_EPARSE, "unexpected end of JSON input");
    }
    if (jerr != json_tokener_success || !obj) {
        int rc;
        offset_to_linecol(data, end, &loc.line, &loc.column);
        loc.line += line_base ? line_base - 1 : 0;
        loc.offset = (int64_t)end;
        rc = ct_error_set_at(&loc, CT_EPARSE, "malformed JSON: %s",
                             jerr != json_tokener_success ? json_tokener_error_desc(jerr)
                                                          : "empty document");
        json_tokener_free(tok);
        json_object_put(obj);
        return rc;
    }
    json_tokener_free(tok);
    for (size_t i = end; i < len; i++) {
        if (data[i] != ' ' && data[i] != '\n' && data[i] != '\r' && data[i] != '\t') {
            offset_to_linecol(data, i, &loc.line, &loc.column);
            loc.line += line_base ? line_base - 1 : 0;
            loc.offset = (int64_t)i;
            json_object_put(obj);
            return ct_error_set_at(&loc, CT_EPARSE, "unexpected data after the JSON value");
        }
    }
    *out = obj;
    return 0;
}

void ct_jptr_init(ct_jptr *p)
{
    p->len = 0;
    p->buf[0] = '\0';
    p->depth = 0;
}

static void push_raw(ct_jptr *p, const char *seg, size_t n)
{
    if (p->depth < (int)CT_NELEM(p->stack))
        p->stack[p->depth] = p->len;
    p->depth++;
    if (p->len + n + 2 >= sizeof p->buf)
        return; /* pointer truncated; still balanced */
    p->buf[p->len++] = '/';
    memcpy(p->buf + p->len, seg, n);
    p->len += n;
    p->buf[p->len] = '\0';
}

void ct_jptr_push_key(ct_jptr *p, const char *key)
{
    char esc[256];
    size_t n = 0;
    for (const char *k = key; *k && n + 2 < sizeof esc; k++) {
        if (*k == '~') {
            esc[n++] = '~';
            esc[n++] = '0';
        } else if (*k == '/') {
            esc[n++] = '~';
            esc[n++] = '1';
        } else {
            esc[n++] = *k;
        }
    }
    push_raw(p, esc, n);
}

void ct_jptr_push_index(ct_jptr *p, size_t i)
{
    char num[24];
    int n = snprintf(num, sizeof num, "%zu", i);
    push_raw(p, num, (size_t)n);
}

void ct_jptr_pop(ct_jptr *p)
{
    if (p->depth <= 0)
        return;
    p->depth--;
    if (p->depth < (int)CT_NELEM(p->stack)) {
        p->len = p->stack[p->depth];
        p->buf[p->len] = '\0';
    }
}

int ct_json_error(const ct_jptr *p, const char *source, const char *key, int code,
                  const char *fmt, ...)
{
    char msg[1024], ptr[1400];
    ct_loc loc = CT_LOC_INIT;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(ptr, sizeof ptr, "%s%s%s", p ? p->buf : "", key ? "/" : "", key ? key : "");
    loc.source = source;
    loc.pointer = ptr;
    return ct_error_set_at(&loc, code, "%s", msg);
}

static const char *type_name(json_type t)
{
    switch (t) {
    case json_type_null:
        return "null";
    case json_type_boolean:
        return "a boolean";
    case json_type_double:
    case json_type_int:
        return "a number";
    case json_type_object:
        return "an object";
    case json_type_array:
        return "an array";
    case json_type_string:
        return "a string";
    }
    return "unknown";
}

static int opt_typed(json_object **out, json_object *obj, const char *key, json_type want,
                     const char *want_name, const ct_jptr *p, const char *source)
{
    json_object *v = NULL;
    *out = NULL;
    if (!json_object_object_get_ex(obj, key, &v) || !v)
        return 0;
    if (!json_object_is_type(v, want))
        return ct_json_error(p, source, key, CT_EPARSE, "expected %s, found %s", want_name,
                             type_name(json_object_get_type(v)));
    *out = v;
    return 0;
}

int ct_json_opt_str(const char **out, json_object *obj, const char *key, const ct_jptr *p,
                    const char *source)
{
    json_object *v;
    int rc = opt_typed(&v, obj, key, json_type_string, "a string", p, source);
    *out = v ? json_object_get_string(v) : NULL;
    return rc;
}

int ct_json_opt_array(json_object **out, json_object *obj, const char *key, const ct_jptr *p,
                      const char *source)
{
    return opt_typed(out, obj, key, json_type_array, "an array", p, source);
}

int ct_json_opt_object(json_object **out, json_object *obj, const char *key, const ct_jptr *p,
                       const char *source)
{
    return opt_typed(out, obj, key, json_type_object, "an object", p, source);
}

int ct_json_dup_str(char **out, json_object *obj, const char *key, const ct_jptr *p,
                    const char *source)
{
    const char *s;
    int rc;
    *out = NULL;
    if ((rc = ct_json_opt_str(&s, obj, key, p, source)) < 0 || !s)
        return rc;
    if (!(*out = ct_strdup(s)))
        return ct_error_set(CT_ENOMEM, "out of memory");
    return 0;
}

/* ---- tape vs json-c (differential tests and fuzzing) ---------------------------------- */

static bool same_fail(char *why, size_t cap, const char *path, const char *what)
{
    if (why && cap)
        snprintf(why, cap, "%s: %s", *path ? path : "/", what);
    return false;
}

static bool tape_same(const ct_jtape *t, ct_jval v, json_object *o, char *why, size_t cap,
                      char *path, size_t plen, size_t pcap)
{
    ct_jt_type ty = ct_jt_type_of(t, v);
    bool ok = true;

    path[plen] = '\0';
    switch (json_object_get_type(o)) {
    case json_type_null:
        return ty == CT_JT_NULL ? true : same_fail(why, cap, path, "json-c null");
    case json_type_boolean:
        if (ty != CT_JT_BOOL || ct_jt_bool(t, v) != (bool)json_object_get_boolean(o))
            return same_fail(why, cap, path, "boolean differs");
        return true;
    case json_type_int:
        if (!ct_jt_is_int(t, v) || ct_jt_int64(t, v) != json_object_get_int64(o))
            return same_fail(why, cap, path, "integer differs");
        return true;
    case json_type_double:
        if (ty != CT_JT_NUMBER || ct_jt_is_int(t, v) ||
            ct_jt_double(t, v) != json_object_get_double(o))
            return same_fail(why, cap, path, "number differs");
        return true;
    case json_type_string: {
        size_t n;
        const char *s = ct_jt_str(t, v, &n);
        if (!s || n != (size_t)json_object_get_string_len(o) ||
            memcmp(s, json_object_get_string(o), n) != 0)
            return same_fail(why, cap, path, "string differs");
        return true;
    }
    case json_type_array: {
        ct_jiter it;
        ct_jval x;
        size_t i = 0, n = json_object_array_length(o);
        if (ty != CT_JT_ARRAY || ct_jt_count(t, v) != n)
            return same_fail(why, cap, path, "array differs");
        ct_jt_iter(&it, t, v);
        for (; ok && ct_jt_next(&it, t, &x); i++) {
            int w = snprintf(path + plen, pcap - plen, "/%zu", i);
            size_t np = plen + (w > 0 && (size_t)w < pcap - plen ? (size_t)w : 0);
            ok = tape_same(t, x, json_object_array_get_idx(o, i), why, cap, path, np, pcap);
        }
        return ok;
    }
    case json_type_object: {
        ct_jiter it;
        ct_jval k, x;
        size_t distinct = 0;
        if (ty != CT_JT_OBJECT)
            return same_fail(why, cap, path, "object differs");
        /* json-c keeps one member per name (the last value): count distinct names */
        ct_jt_iter(&it, t, v);
        while (ct_jt_next_member(&it, t, &k, &x)) {
            ct_jiter it2;
            ct_jval k2, x2;
            bool seen = false;
            ct_jt_iter(&it2, t, v);
            while (!seen && ct_jt_next_member(&it2, t, &k2, &x2) && k2 < k) {
                size_t a, b;
                const char *sa = ct_jt_str(t, k, &a), *sb = ct_jt_str(t, k2, &b);
                a = strnlen(sa, a); /* json-c names end at a "\u0000" */
                b = strnlen(sb, b);
                seen = a == b && memcmp(sa, sb, a) == 0;
            }
            distinct += !seen;
        }
        if (distinct != (size_t)json_object_object_length(o))
            return same_fail(why, cap, path, "member count differs");
        json_object_object_foreach(o, key, val) {
            ct_jval m = ct_jt_get(t, v, key);
            int w = snprintf(path + plen, pcap - plen, "/%s", key);
            size_t np = plen + (w > 0 && (size_t)w < pcap - plen ? (size_t)w : 0);
            if (m == CT_JNONE)
                return same_fail(why, cap, path, "member missing on the tape");
            if (!val) {
                if (ct_jt_type_of(t, m) != CT_JT_NULL)
                    return same_fail(why, cap, path, "json-c null");
                continue;
            }
            if (!tape_same(t, m, val, why, cap, path, np, pcap))
                return false;
        }
        return true;
    }
    }
    return same_fail(why, cap, path, "unknown json-c type");
}

bool ct_json__tape_same(const ct_jtape *t, ct_jval v, json_object *o, char *why, size_t cap)
{
    char path[1024];
    if (!o)
        return ct_jt_type_of(t, v) == CT_JT_NULL ? true
                                                  : same_fail(why, cap, "", "json-c null");
    return tape_same(t, v, o, why, cap, path, 0, sizeof path);
}

const char *ct_jt_type_name(ct_jt_type t)
{
    static const char *const names[] = { "nothing", "null", "a boolean", "a number",
                                         "a string", "an array", "an object" };
    return (size_t)t < CT_NELEM(names) ? names[t] : "nothing";
}

int ct_jt_opt(ct_jval *out, const ct_jtape *t, ct_jval obj, const char *key, ct_jt_type want,
              const ct_jptr *p, const char *source)
{
    ct_jval v = ct_jt_get(t, obj, key);
    ct_jt_type ty = ct_jt_type_of(t, v);
    *out = CT_JNONE;
    if (ty == CT_JT_NONE || ty == CT_JT_NULL)
        return 0;
    if (ty != want)
        return ct_json_error(p, source, key, CT_EPARSE, "expected %s, found %s",
                             ct_jt_type_name(want), ct_jt_type_name(ty));
    *out = v;
    return 0;
}

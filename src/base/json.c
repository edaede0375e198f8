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

/* Internal JSON helpers over json-c: located parse errors, JSON pointers, typed getters. */
#ifndef CT_JSON_INT_H
#define CT_JSON_INT_H

#include "cratrace/base.h"
#include "json_tape.h"
#include <json-c/json.h>

/** Parse one JSON value from data[0..len) with the ctx depth limit and strict mode. Trailing
 * non-space bytes are an error. line_base is added to reported lines (JSON lines input).
 * *out NEW (json_object_put). */
int ct_json_parse(json_object **out, const ct_ctx *ctx, const char *data, size_t len,
                  const char *source, uint32_t line_base);

/** A JSON pointer under construction, e.g. "/components/12/purl". */
typedef struct ct_jptr {
    char buf[1024];
    size_t len;
    size_t stack[64];
    int depth;
} ct_jptr;

void ct_jptr_init(ct_jptr *p);
void ct_jptr_push_key(ct_jptr *p, const char *key);
void ct_jptr_push_index(ct_jptr *p, size_t i);
void ct_jptr_pop(ct_jptr *p);

/** Error at the pointer (with key appended when not NULL). Returns code. */
int ct_json_error(const ct_jptr *p, const char *source, const char *key, int code,
                  const char *fmt, ...) CT_PRINTF(5, 6);

/** The JSON type as an error message names it ("a string", "an object", ...). */
const char *ct_jt_type_name(ct_jt_type t);
/** ct_json_opt_* over a tape: *out the member of type want, CT_JNONE when absent or null;
 * another type → CT_EPARSE at p + key ("expected a string, found a number"). */
int ct_jt_opt(ct_jval *out, const ct_jtape *t, ct_jval obj, const char *key, ct_jt_type want,
              const ct_jptr *p, const char *source);

/** Optional string member: *out borrowed (NULL when absent or null); wrong type → CT_EPARSE. */
int ct_json_opt_str(const char **out, json_object *obj, const char *key, const ct_jptr *p,
                    const char *source);
/** Optional array member: *out NULL when absent; wrong type → CT_EPARSE. */
int ct_json_opt_array(json_object **out, json_object *obj, const char *key, const ct_jptr *p,
                      const char *source);
/** Optional object member. */
int ct_json_opt_object(json_object **out, json_object *obj, const char *key, const ct_jptr *p,
                       const char *source);
/** Duplicate an optional string member into *out (NEW or NULL). */
int ct_json_dup_str(char **out, json_object *obj, const char *key, const ct_jptr *p,
                    const char *source);

#include "json_tape.h"

/** Differential check: tape value v holds the same JSON as json-c's o (strings byte for byte,
 * integers, doubles, one member per name as json-c keeps the last). On a difference: false and
 * "pointer: what" in why[cap]. For tests and fuzzing. */
bool ct_json__tape_same(const ct_jtape *t, ct_jval v, json_object *o, char *why, size_t cap);

#endif

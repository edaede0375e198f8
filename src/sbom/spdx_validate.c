/* SPDX 2.x validation ("cratrace sbom validate" on SPDX JSON and tag-value).
 *
 * JSON structure: a small interpreter for the JSON-Schema subset the official SPDX 2.2/2.3
 * schemas use (type, properties, required, additionalProperties, items, minItems, enum), driven
 * by the schema file of the document's version when it can be read (rep->schema_checked), else
 * by a reduced built-in schema (required members, types, enumerations; no additionalProperties)
 * written here. A schema file using any other constraining keyword is not trusted and the
 * built-in rules apply. Interpreting the file keeps us identical to the official rules (and to
 * ajv) without copying them into the project.
 *
 * Tag-value 2.1-2.3: tags known per section, required tags per section, value formats; "line N".
 *
 * Both: SPDXID syntax and uniqueness, references (relationships, documentDescribes, hasFiles,
 * snippetFromFile, annotations) to unknown SPDXIDs (DocumentRef-... and NONE/NOASSERTION are
 * allowed), spdxVersion, dataLicense, created dates, creators, purls of purl external refs
 * (ident module), licence expression syntax, checksum value length per algorithm. Every finding
 * is collected; none stops the walk. */
#include "spdx_validate_int.h"
#include "cratrace/ident.h"
#include "base/json_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_ERRORS 10000
#define MAX_SCHEMA_DEPTH 32

typedef struct {
    char *id, *where;
    size_t seq;
} idref;

typedef struct {
    idref *v;
    size_t n, cap;
} idvec;

typedef struct {
    const ct_ctx *ctx;
    ct_sbom_report *rep;
    int minor;    /* 1, 2, 3 (2.x) */
    bool failed;  /* out of memory */
    ct_jptr ptr;
    idvec ids;    /* every SPDXID defined */
    idvec uses;   /* every SPDXID referred to */
} sv;

/* ---- findings ---------------------------------------------------------------------------- */

static void add_error(sv *v, const char *where, const char *fmt, ...) CT_PRINTF(3, 4);

static void add_error(sv *v, const char *where, const char *fmt, ...)
{
    ct_sbom_report *r = v->rep;
    char msg[512];
    va_list ap;

    r->valid = false;
    if (v->failed || r->nerrors > MAX_ERRORS)
        return;
    if (r->nerrors == MAX_ERRORS) {
        where = "/";
        snprintf(msg, sizeof msg, "more than %d errors; the rest are not listed", MAX_ERRORS);
    } else {
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
    }
    if (ct_sbom__report_add(r, where, msg) < 0)
        v->failed = true;
}

/* Error at the current JSON pointer plus an optional key. */
static void jerr(sv *v, const char *key, const char *fmt, ...) CT_PRINTF(3, 4);

static void jerr(sv *v, const char *key, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (key)
        ct_jptr_push_key(&v->ptr, key);
    add_error(v, v->ptr.buf, "%s", msg);
    if (key)
        ct_jptr_pop(&v->ptr);
}

static void lerr(sv *v, size_t line, const char *fmt, ...) CT_PRINTF(3, 4);

static void lerr(sv *v, size_t line, const char *fmt, ...)
{
    char msg[512], where[32];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(where, sizeof where, "line %zu", line);
    add_error(v, where, "%s", msg);
}

/* ---- SPDXIDs ----------------------------------------------------------------------------- */

static void note_id(sv *v, idvec *vec, const char *id, size_t idlen, const char *where)
{
    if (vec->n == vec->cap) {
        size_t ncap = vec->cap ? vec->cap * 2 : 64;
        idref *nv = ct_reallocarray(vec->v, ncap, sizeof *nv);
        if (!nv) {
            v->failed = true;
            return;
        }
        vec->v = nv;
        vec->cap = ncap;
    }
    idref *e = &vec->v[vec->n];
    e->id = ct_strndup(id, idlen);
    e->where = ct_strdup(where);
    e->seq = vec->n;
    if (!e->id || !e->where) {
        ct_free(e->id);
        ct_free(e->where);
        v->failed = true;
        return;
    }
    vec->n++;
}

static void idvec_free(idvec *vec)
{
    for (size_t i = 0; i < vec->n; i++) {
        ct_free(vec->v[i].id);
        ct_free(vec->v[i].where);
    }
    ct_free(vec->v);
}

static int cmp_idref(const void *a, const void *b)
{
    const idref *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

static int cmp_idkey(const void *key, const void *elt)
{
    return strcmp(key, ((const idref *)elt)->id);
}

/* SPDXRef-[A-Za-z0-9.-]+ */
static bool spdxref_ok(const char *s, size_t n)
{
    if (n <= 8 || memcmp(s, "SPDXRef-", 8) != 0)
        return false;
    for (size_t i = 8; i < n; i++)
        if (!ct_ascii_isalnum(s[i]) && s[i] != '.' && s[i] != '-')
            return false;
    return true;
}

/* DocumentRef-[A-Za-z0-9.-]+ */
static bool docref_ok(const char *s, size_t n)
{
    if (n <= 12 || memcmp(s, "DocumentRef-", 12) != 0)
        return false;
    for (size_t i = 12; i < n; i++)
        if (!ct_ascii_isalnum(s[i]) && s[i] != '.' && s[i] != '-')
            return false;
    return true;
}

/* Duplicates among the definitions, then references to ids that nobody defines. */
static void check_ids(sv *v)
{
    if (v->failed)
        return;
    if (v->ids.n > 1)
        qsort(v->ids.v, v->ids.n, sizeof *v->ids.v, cmp_idref);
    for (size_t i = 1; i < v->ids.n; i++)
        if (strcmp(v->ids.v[i].id, v->ids.v[i - 1].id) == 0)
            add_error(v, v->ids.v[i].where, "duplicate SPDXID \"%.100s\" (first at %.100s)",
                      v->ids.v[i].id, v->ids.v[i - 1].where);
    for (size_t i = 0; i < v->uses.n; i++) {
        const char *id = v->uses.v[i].id;
        const char *colon = strchr(id, ':');
        if (strcmp(id, "NONE") == 0 || strcmp(id, "NOASSERTION") == 0)
            continue;
        if (colon && docref_ok(id, (size_t)(colon - id))) {
            if (!spdxref_ok(colon + 1, strlen(colon + 1)))
                add_error(v, v->uses.v[i].where,
                          "\"%.100s\": expected DocumentRef-<id>:SPDXRef-<id>", id);
            continue;
        }
        if (!v->ids.n || !bsearch(id, v->ids.v, v->ids.n, sizeof *v->ids.v, cmp_idkey))
            add_error(v, v->uses.v[i].where,
                      "\"%.100s\" names no element of this document (no such SPDXID)", id);
    }
}

/* ---- value formats ----------------------------------------------------------------------- */

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!ct_ascii_isdigit(s[i]))
            return false;
    return true;
}

/* YYYY-MM-DDThh:mm:ssZ (SPDX 2.x "Created", annotation and package dates) */
static bool date_ok(const char *s, size_t n)
{
    return n == 20 && digits(s, 4) && s[4] == '-' && digits(s + 5, 2) && s[7] == '-' &&
           digits(s + 8, 2) && s[10] == 'T' && digits(s + 11, 2) && s[13] == ':' &&
           digits(s + 14, 2) && s[16] == ':' && digits(s + 17, 2) && s[19] == 'Z' &&
           (s[5] - '0') * 10 + (s[6] - '0') >= 1 && (s[5] - '0') * 10 + (s[6] - '0') <= 12 &&
           (s[8] - '0') * 10 + (s[9] - '0') >= 1 && (s[8] - '0') * 10 + (s[9] - '0') <= 31 &&
           (s[11] - '0') * 10 + (s[12] - '0') <= 23 && (s[14] - '0') * 10 + (s[15] - '0') <= 59 &&
           (s[17] - '0') * 10 + (s[18] - '0') <= 60;
}

static bool starts(const char *s, size_t n, const char *prefix)
{
    size_t p = strlen(prefix);
    return n >= p && memcmp(s, prefix, p) == 0;
}

/* Creator / annotator: "Person: ...", "Organization: ...", "Tool: ..." */
static bool creator_ok(const char *s, size_t n, bool tool)
{
    return (starts(s, n, "Person:") && n > 7) || (starts(s, n, "Organization:") && n > 13) ||
           (tool && starts(s, n, "Tool:") && n > 5);
}

typedef struct {
    const char *alg;
    unsigned hexlen; /* 0: any length */
    bool at_least;   /* hexlen is a minimum */
} algdef;

static const algdef algs[] = {
    { "ADLER32", 8, false },      { "BLAKE2b-256", 64, false }, { "BLAKE2b-384", 96, false },
    { "BLAKE2b-512", 128, false }, { "BLAKE3", 64, true },      { "MD2", 32, false },
    { "MD4", 32, false },         { "MD5", 32, false },         { "MD6", 0, false },
    { "SHA1", 40, false },        { "SHA224", 56, false },      { "SHA256", 64, false },
    { "SHA3-256", 64, false },    { "SHA3-384", 96, false },    { "SHA3-512", 128, false },
    { "SHA384", 96, false },      { "SHA512", 128, false },
};

static const algdef *alg_find(const char *s, size_t n)
{
    for (size_t i = 0; i < CT_NELEM(algs); i++)
        if (strlen(algs[i].alg) == n && memcmp(algs[i].alg, s, n) == 0)
            return &algs[i];
    return NULL;
}

/* Message for a checksum value that does not fit its algorithm, or NULL. */
static const char *checksum_problem(const algdef *a, const char *val, size_t n, char *buf,
                                    size_t bufsz)
{
    for (size_t i = 0; i < n; i++)
        if (!((val[i] >= '0' && val[i] <= '9') || (val[i] >= 'a' && val[i] <= 'f') ||
              (val[i] >= 'A' && val[i] <= 'F')))
            return "checksum value must be hexadecimal";
    if (!n || (a->hexlen && !a->at_least && n != a->hexlen) ||
        (a->hexlen && a->at_least && n < a->hexlen)) {
        snprintf(buf, bufsz, "a %s checksum has %s%u hex digits, found %zu", a->alg,
                 a->at_least ? "at least " : "", a->hexlen ? a->hexlen : 1, n);
        return buf;
    }
    return NULL;
}

static bool licence_ok(const char *s)
{
    return strcmp(s, "NONE") == 0 || strcmp(s, "NOASSERTION") == 0 ||
           ct_sbom__spdx_expression_ok(s);
}

static const char *purl_problem(const char *s, size_t n)
{
    ct_purl *p = NULL;
    int rc = ct_purl_parse(&p, s, n);
    ct_purl_free(p);
    if (rc == 0)
        return NULL;
    const char *m = ct_error_last()->message;
    return m && *m ? m : "malformed";
}

static bool word_in(const char *const *list, size_t n, const char *s, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(list[i]) == len && memcmp(list[i], s, len) == 0)
            return true;
    return false;
}

/* Enumerations of the SPDX 2.3 specification (a superset of 2.1/2.2). Tag-value documents are
 * checked against these; JSON against the schema (built-in rules: these). */
static const char *const rel_types[] = {
    "AMENDS", "ANCESTOR_OF", "BUILD_DEPENDENCY_OF", "BUILD_TOOL_OF", "CONTAINED_BY", "CONTAINS",
    "COPY_OF", "DATA_FILE_OF", "DEPENDENCY_MANIFEST_OF", "DEPENDENCY_OF", "DEPENDS_ON",
    "DESCENDANT_OF", "DESCRIBED_BY", "DESCRIBES", "DEV_DEPENDENCY_OF", "DEV_TOOL_OF",
    "DISTRIBUTION_ARTIFACT", "DOCUMENTATION_OF", "DYNAMIC_LINK", "EXAMPLE_OF",
    "EXPANDED_FROM_ARCHIVE", "FILE_ADDED", "FILE_DELETED", "FILE_MODIFIED", "GENERATED_FROM",
    "GENERATES", "HAS_PREREQUISITE", "METAFILE_OF", "OPTIONAL_COMPONENT_OF",
    "OPTIONAL_DEPENDENCY_OF", "OTHER", "PACKAGE_OF", "PATCH_APPLIED", "PATCH_FOR",
    "PREREQUISITE_FOR", "PROVIDED_DEPENDENCY_OF", "REQUIREMENT_DESCRIPTION_FOR",
    "RUNTIME_DEPENDENCY_OF", "SPECIFICATION_FOR", "STATIC_LINK", "TEST_CASE_OF",
    "TEST_DEPENDENCY_OF", "TEST_OF", "TEST_TOOL_OF", "VARIANT_OF",
};
/* relationship types new in 2.3 */
static const char *const rel_types_23[] = { "AMENDS", "REQUIREMENT_DESCRIPTION_FOR",
                                            "SPECIFICATION_FOR" };
static const char *const ref_categories[] = { "OTHER", "PERSISTENT-ID", "PERSISTENT_ID", "SECURITY",
                                              "PACKAGE-MANAGER", "PACKAGE_MANAGER" };
static const char *const purposes[] = { "APPLICATION", "ARCHIVE", "CONTAINER", "DEVICE",
                                        "FILE", "FIRMWARE", "FRAMEWORK", "INSTALL", "LIBRARY",
                                        "OPERATING-SYSTEM", "OPERATING_SYSTEM", "OTHER", "SOURCE" };
static const char *const file_types[] = { "APPLICATION", "ARCHIVE", "AUDIO", "BINARY",
                                          "DOCUMENTATION", "IMAGE", "OTHER", "SOURCE", "SPDX",
                                          "TEXT", "VIDEO" };
static const char *const annotation_types[] = { "OTHER", "REVIEW" };

/* ---- JSON: schema interpreter ------------------------------------------------------------- */

static const char *jtype(json_object *o)
{
    switch (json_object_get_type(o)) {
    case json_type_null: return "null";
    case json_type_boolean: return "boolean";
    case json_type_double: return "number";
    case json_type_int: return "integer";
    case json_type_object: return "object";
    case json_type_array: return "array";
    case json_type_string: return "string";
    }
    return "?";
}

static bool is_type(json_object *o, const char *t)
{
    enum json_type jt = json_object_get_type(o);
    if (strcmp(t, "number") == 0)
        return jt == json_type_int || jt == json_type_double;
    if (strcmp(t, "integer") == 0) {
        if (jt == json_type_double) {
            double d = json_object_get_double(o);
            return d == (double)(long long)d;
        }
        return jt == json_type_int;
    }
    return strcmp(jtype(o), t) == 0;
}

static bool type_matches(json_object *types, json_object *val)
{
    if (json_object_is_type(types, json_type_string))
        return is_type(val, json_object_get_string(types));
    size_t n = json_object_array_length(types);
    for (size_t i = 0; i < n; i++) {
        json_object *t = json_object_array_get_idx(types, i);
        if (json_object_is_type(t, json_type_string) && is_type(val, json_object_get_string(t)))
            return true;
    }
    return false;
}

static void type_text(ct_buf *b, json_object *types)
{
    if (json_object_is_type(types, json_type_string)) {
        ct_buf_puts(b, json_object_get_string(types));
        return;
    }
    size_t n = json_object_array_length(types);
    for (size_t i = 0; i < n; i++) {
        ct_buf_puts(b, i ? (i + 1 == n ? " or " : ", ") : "");
        ct_buf_puts(b, json_object_get_string(json_object_array_get_idx(types, i)));
    }
}

/* JSON equality for enum members (strings, numbers, booleans, null: what the SPDX enums hold). */
static bool json_same(json_object *a, json_object *b)
{
    if (json_object_get_type(a) != json_object_get_type(b))
        return false;
    switch (json_object_get_type(a)) {
    case json_type_string:
        return json_object_get_string_len(a) == json_object_get_string_len(b) &&
               memcmp(json_object_get_string(a), json_object_get_string(b),
                      (size_t)json_object_get_string_len(a)) == 0;
    case json_type_int: return json_object_get_int64(a) == json_object_get_int64(b);
    case json_type_boolean: return json_object_get_boolean(a) == json_object_get_boolean(b);
    case json_type_null: return true;
    default: return false;
    }
}

static void enum_text(ct_buf *b, json_object *e)
{
    size_t n = json_object_array_length(e);
    for (size_t i = 0; i < n && b->len < 400; i++) {
        ct_buf_puts(b, i ? ", " : "");
        ct_buf_puts(b, json_object_to_json_string_ext(json_object_array_get_idx(e, i),
                                                      JSON_C_TO_STRING_PLAIN));
    }
    if (b->len >= 400)
        ct_buf_puts(b, ", ...");
}

static void sch_check(sv *v, json_object *sch, json_object *val, int depth);

static void sch_object(sv *v, json_object *sch, json_object *val, int depth)
{
    json_object *req, *props = NULL, *addl = NULL;
    if (json_object_object_get_ex(sch, "required", &req) &&
        json_object_is_type(req, json_type_array)) {
        size_t n = json_object_array_length(req);
        for (size_t i = 0; i < n; i++) {
            const char *k = json_object_get_string(json_object_array_get_idx(req, i));
            if (k && !json_object_object_get_ex(val, k, NULL))
                jerr(v, NULL, "missing required member \"%s\"", k);
        }
    }
    json_object_object_get_ex(sch, "properties", &props);
    json_object_object_get_ex(sch, "additionalProperties", &addl);
    json_object_object_foreach(val, key, m)
    {
        json_object *sub = NULL;
        if (props && json_object_object_get_ex(props, key, &sub)) {
            ct_jptr_push_key(&v->ptr, key);
            sch_check(v, sub, m, depth + 1);
            ct_jptr_pop(&v->ptr);
        } else if (addl && json_object_is_type(addl, json_type_boolean) &&
                   !json_object_get_boolean(addl)) {
            jerr(v, key, "member \"%.100s\" is not allowed here in SPDX 2.%d", key, v->minor);
        } else if (addl && json_object_is_type(addl, json_type_object)) {
            ct_jptr_push_key(&v->ptr, key);
            sch_check(v, addl, m, depth + 1);
            ct_jptr_pop(&v->ptr);
        }
    }
}

static void sch_check(sv *v, json_object *sch, json_object *val, int depth)
{
    json_object *k;
    if (!json_object_is_type(sch, json_type_object) || depth > MAX_SCHEMA_DEPTH || v->failed)
        return;
    if (json_object_object_get_ex(sch, "type", &k) && !type_matches(k, val)) {
        ct_buf b = CT_BUF_INIT;
        type_text(&b, k);
        jerr(v, NULL, "expected %s, found %s", b.failed ? "?" : b.ptr, jtype(val));
        ct_buf_dispose(&b);
        return;
    }
    if (json_object_object_get_ex(sch, "enum", &k) && json_object_is_type(k, json_type_array)) {
        size_t n = json_object_array_length(k), i;
        for (i = 0; i < n && !json_same(json_object_array_get_idx(k, i), val); i++)
            ;
        if (i == n && v->minor == 2 && json_object_is_type(val, json_type_string) &&
            v->ptr.len >= 18 && strcmp(v->ptr.buf + v->ptr.len - 18, "/referenceCategory") == 0 &&
            word_in(ref_categories, CT_NELEM(ref_categories), json_object_get_string(val),
                    (size_t)json_object_get_string_len(val)))
            i = 0; /* 2.2: the spec text's PACKAGE-MANAGER / PERSISTENT-ID, which the 2.2 schema
                    * misses (2.3 lists both spellings; spdx-examples example9 uses it) */
        if (i == n) {
            ct_buf b = CT_BUF_INIT;
            enum_text(&b, k);
            jerr(v, NULL, "%.100s is not allowed here; expected one of: %s",
                 json_object_to_json_string_ext(val, JSON_C_TO_STRING_PLAIN),
                 b.failed ? "?" : b.ptr);
            ct_buf_dispose(&b);
        }
    }
    if (json_object_is_type(val, json_type_object)) {
        sch_object(v, sch, val, depth);
    } else if (json_object_is_type(val, json_type_array)) {
        size_t n = json_object_array_length(val);
        if (json_object_object_get_ex(sch, "minItems", &k) && json_object_is_type(k, json_type_int) &&
            (int64_t)n < json_object_get_int64(k))
            jerr(v, NULL, "expected at least %lld item%s, found %zu",
                 (long long)json_object_get_int64(k), json_object_get_int64(k) == 1 ? "" : "s",
                 n);
        if (json_object_object_get_ex(sch, "items", &k) && json_object_is_type(k, json_type_object))
            for (size_t i = 0; i < n; i++) {
                ct_jptr_push_index(&v->ptr, i);
                sch_check(v, k, json_object_array_get_idx(val, i), depth + 1);
                ct_jptr_pop(&v->ptr);
            }
    }
}

/* True when every keyword of the schema is one the interpreter implements or an annotation. */
static bool sch_supported(json_object *sch, int depth)
{
    static const char *const known[] = { "type", "properties", "required", "additionalProperties",
                                         "items", "minItems", "enum", "$schema", "$id", "title",
                                         "description", "$comment", "deprecated", "examples",
                                         "default" };
    if (!json_object_is_type(sch, json_type_object) || depth > MAX_SCHEMA_DEPTH)
        return false;
    json_object_object_foreach(sch, key, m)
    {
        if (!word_in(known, CT_NELEM(known), key, strlen(key)))
            return false;
        if (strcmp(key, "properties") == 0) {
            if (!json_object_is_type(m, json_type_object))
                return false;
            json_object_object_foreach(m, pk, pv)
            {
                (void)pk;
                if (!sch_supported(pv, depth + 1))
                    return false;
            }
        } else if (strcmp(key, "items") == 0 ||
                   (strcmp(key, "additionalProperties") == 0 &&
                    !json_object_is_type(m, json_type_boolean))) {
            if (!sch_supported(m, depth + 1))
                return false;
        } else if (strcmp(key, "type") == 0 && !json_object_is_type(m, json_type_string) &&
                   !json_object_is_type(m, json_type_array)) {
            return false;
        }
    }
    return true;
}

/* The built-in reduced schema (no schema file): required members, member types and the
 * enumerations of SPDX 2.3; additionalProperties are not checked. Written for cratrace. */
static const char *const builtin_parts[] = {
    "{\"type\":\"object\",\"required\":[\"spdxVersion\",\"SPDXID\",\"name\",\"dataLicense\","
    "\"creationInfo\"],\"properties\":{"
    "\"spdxVersion\":{\"type\":\"string\"},\"SPDXID\":{\"type\":\"string\"},"
    "\"name\":{\"type\":\"string\"},\"dataLicense\":{\"type\":\"string\"},"
    "\"documentNamespace\":{\"type\":\"string\"},\"comment\":{\"type\":\"string\"},"
    "\"documentDescribes\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
    "\"creationInfo\":{\"type\":\"object\",\"required\":[\"created\"],\"properties\":{"
    "\"created\":{\"type\":\"string\"},\"comment\":{\"type\":\"string\"},"
    "\"licenseListVersion\":{\"type\":\"string\"},"
    "\"creators\":{\"type\":\"array\",\"minItems\":1,\"items\":{\"type\":\"string\"}}}},",
    "\"externalDocumentRefs\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":["
    "\"externalDocumentId\",\"checksum\",\"spdxDocument\"],\"properties\":{"
    "\"externalDocumentId\":{\"type\":\"string\"},\"spdxDocument\":{\"type\":\"string\"},"
    "\"checksum\":@CHECKSUM@}}},"
    "\"hasExtractedLicensingInfos\":{\"type\":\"array\",\"items\":{\"type\":\"object\","
    "\"required\":[\"licenseId\",\"extractedText\"],\"properties\":{"
    "\"licenseId\":{\"type\":\"string\"},\"extractedText\":{\"type\":\"string\"},"
    "\"name\":{\"type\":\"string\"},\"seeAlsos\":{\"type\":\"array\",\"items\":{\"type\":"
    "\"string\"}}}}},"
    "\"annotations\":{\"type\":\"array\",\"items\":@ANNOTATION@},",
    "\"packages\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":[\"SPDXID\","
    "\"name\",\"downloadLocation\"],\"properties\":{"
    "\"SPDXID\":{\"type\":\"string\"},\"name\":{\"type\":\"string\"},"
    "\"downloadLocation\":{\"type\":\"string\"},\"versionInfo\":{\"type\":\"string\"},"
    "\"filesAnalyzed\":{\"type\":\"boolean\"},\"licenseConcluded\":{\"type\":\"string\"},"
    "\"licenseDeclared\":{\"type\":\"string\"},\"copyrightText\":{\"type\":\"string\"},"
    "\"supplier\":{\"type\":\"string\"},\"originator\":{\"type\":\"string\"},"
    "\"licenseInfoFromFiles\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
    "\"hasFiles\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
    "\"checksums\":{\"type\":\"array\",\"items\":@CHECKSUM@},"
    "\"annotations\":{\"type\":\"array\",\"items\":@ANNOTATION@},"
    "\"primaryPackagePurpose\":{\"enum\":[@PURPOSES@]},"
    "\"packageVerificationCode\":{\"type\":\"object\",\"required\":["
    "\"packageVerificationCodeValue\"],\"properties\":{\"packageVerificationCodeValue\":{"
    "\"type\":\"string\"}}},"
    "\"externalRefs\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":["
    "\"referenceCategory\",\"referenceLocator\",\"referenceType\"],\"properties\":{"
    "\"referenceCategory\":{\"enum\":[@CATEGORIES@]},\"referenceLocator\":{\"type\":\"string\"},"
    "\"referenceType\":{\"type\":\"string\"}}}}}}},",
    "\"files\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":[\"SPDXID\","
    "\"fileName\",\"checksums\"],\"properties\":{"
    "\"SPDXID\":{\"type\":\"string\"},\"fileName\":{\"type\":\"string\"},"
    "\"checksums\":{\"type\":\"array\",\"minItems\":1,\"items\":@CHECKSUM@},"
    "\"fileTypes\":{\"type\":\"array\",\"items\":{\"enum\":[@FILETYPES@]}},"
    "\"licenseConcluded\":{\"type\":\"string\"},"
    "\"licenseInfoInFiles\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
    "\"annotations\":{\"type\":\"array\",\"items\":@ANNOTATION@}}}},"
    "\"snippets\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":[\"SPDXID\","
    "\"name\",\"ranges\",\"snippetFromFile\"],\"properties\":{"
    "\"SPDXID\":{\"type\":\"string\"},\"name\":{\"type\":\"string\"},"
    "\"snippetFromFile\":{\"type\":\"string\"},\"licenseConcluded\":{\"type\":\"string\"},"
    "\"ranges\":{\"type\":\"array\",\"minItems\":1,\"items\":{\"type\":\"object\",\"required\":["
    "\"startPointer\",\"endPointer\"]}},"
    "\"annotations\":{\"type\":\"array\",\"items\":@ANNOTATION@}}}},",
    "\"relationships\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":["
    "\"spdxElementId\",\"relationshipType\",\"relatedSpdxElement\"],\"properties\":{"
    "\"spdxElementId\":{\"type\":\"string\"},\"relatedSpdxElement\":{\"type\":\"string\"},"
    "\"comment\":{\"type\":\"string\"},\"relationshipType\":{\"enum\":[@RELTYPES@]}}}}}}",
};

static void put_words(ct_buf *b, const char *const *list, size_t n, bool json_purpose)
{
    for (size_t i = 0; i < n; i++) {
        if (json_purpose && strcmp(list[i], "OPERATING-SYSTEM") == 0)
            continue; /* the JSON spelling is OPERATING_SYSTEM (spdx-spec schema) */
        ct_buf_printf(b, "%s\"%s\"", b->len && b->ptr[b->len - 1] != '[' ? "," : "", list[i]);
    }
}

static json_object *builtin_schema(void)
{
    ct_buf b = CT_BUF_INIT;
    json_object *o = NULL;
    for (size_t i = 0; i < CT_NELEM(builtin_parts); i++) {
        for (const char *p = builtin_parts[i]; *p;) {
            const char *at = strchr(p, '@');
            if (!at) {
                ct_buf_puts(&b, p);
                break;
            }
            ct_buf_put(&b, p, (size_t)(at - p));
            const char *end = strchr(at + 1, '@');
            size_t n = (size_t)(end - at - 1);
            if (strncmp(at + 1, "CHECKSUM", n) == 0) {
                ct_buf_puts(&b, "{\"type\":\"object\",\"required\":[\"algorithm\","
                                "\"checksumValue\"],\"properties\":{\"algorithm\":{\"enum\":[");
                for (size_t k = 0; k < CT_NELEM(algs); k++)
                    ct_buf_printf(&b, "%s\"%s\"", k ? "," : "", algs[k].alg);
                ct_buf_puts(&b, "]},\"checksumValue\":{\"type\":\"string\"}}}");
            } else if (strncmp(at + 1, "ANNOTATION", n) == 0) {
                ct_buf_puts(&b, "{\"type\":\"object\",\"required\":[\"annotationDate\","
                                "\"annotationType\",\"annotator\",\"comment\"],\"properties\":{"
                                "\"annotationDate\":{\"type\":\"string\"},\"annotator\":{\"type\":"
                                "\"string\"},\"comment\":{\"type\":\"string\"},"
                                "\"annotationType\":{\"enum\":[\"OTHER\",\"REVIEW\"]}}}");
            } else if (strncmp(at + 1, "PURPOSES", n) == 0) {
                put_words(&b, purposes, CT_NELEM(purposes), true);
            } else if (strncmp(at + 1, "CATEGORIES", n) == 0) {
                put_words(&b, ref_categories, CT_NELEM(ref_categories), false);
            } else if (strncmp(at + 1, "FILETYPES", n) == 0) {
                put_words(&b, file_types, CT_NELEM(file_types), false);
            } else {
                put_words(&b, rel_types, CT_NELEM(rel_types), false);
            }
            p = end + 1;
        }
    }
    if (!b.failed)
        o = json_tokener_parse(b.ptr);
    ct_buf_dispose(&b);
    return o;
}

static char *path_join(const char *dir, const char *name)
{
    ct_buf b = CT_BUF_INIT;
    ct_buf_printf(&b, "%s/%s", dir, name);
    return b.failed ? (ct_buf_dispose(&b), NULL) : ct_buf_detach(&b);
}

/* The official schema for SPDX 2.minor from dir, or NULL. */
static json_object *load_schema(const ct_ctx *ctx, const char *dir, int minor)
{
    static const char *const names23[] = { "spdx-spec/schemas/spdx-schema.json",
                                           "spdx-schema-v2.3.json",
                                           "tools-java/resources/spdx-schema-v2.3.json" };
    static const char *const names22[] = { "tools-java/resources/spdx-schema-v2.2.json",
                                           "spdx-schema-v2.2.json" };
    const char *const *names = minor == 3 ? names23 : names22;
    size_t n = minor == 3 ? CT_NELEM(names23) : CT_NELEM(names22);
    for (size_t i = 0; i < n; i++) {
        char *path = path_join(dir, names[i]), *text = NULL;
        size_t len = 0;
        json_object *o = NULL;
        if (path && ct_file_read(&text, &len, path, 4u << 20) == 0 &&
            ct_json_parse(&o, ctx, text, len, path, 0) == 0 && !sch_supported(o, 0)) {
            json_object_put(o);
            o = NULL;
        }
        ct_error_clear();
        ct_free(text);
        ct_free(path);
        if (o)
            return o;
    }
    return NULL;
}

const char *ct_sbom__spdx_schema_dir(const ct_sbom_validate_options *o)
{
    const char *d;
    struct stat sb;
    if (o && o->no_schema)
        return NULL;
    if ((d = getenv(CT_SPDX_SCHEMA_ENV)) && *d)
        return d;
    if (stat(CT_SPDX_SCHEMA_DEFAULT, &sb) == 0 && S_ISDIR(sb.st_mode))
        return CT_SPDX_SCHEMA_DEFAULT;
    return NULL;
}

/* ---- JSON: semantic checks --------------------------------------------------------------- */

static json_object *member(json_object *o, const char *key, enum json_type t)
{
    json_object *m;
    return json_object_object_get_ex(o, key, &m) && json_object_is_type(m, t) ? m : NULL;
}

static const char *mstr(json_object *o, const char *key)
{
    json_object *m = member(o, key, json_type_string);
    return m ? json_object_get_string(m) : NULL;
}

/* An SPDXID member: syntax, recorded as a definition. */
static void j_define(sv *v, json_object *o)
{
    const char *id = mstr(o, "SPDXID");
    if (!id)
        return;
    ct_jptr_push_key(&v->ptr, "SPDXID");
    if (!spdxref_ok(id, strlen(id)))
        add_error(v, v->ptr.buf, "\"%.100s\" is not an SPDX identifier (SPDXRef-[A-Za-z0-9.-]+)",
                  id);
    note_id(v, &v->ids, id, strlen(id), v->ptr.buf);
    ct_jptr_pop(&v->ptr);
}

/* A string member naming an element (recorded as a use). */
static void j_use(sv *v, json_object *o, const char *key)
{
    const char *id = mstr(o, key);
    if (!id)
        return;
    ct_jptr_push_key(&v->ptr, key);
    note_id(v, &v->uses, id, strlen(id), v->ptr.buf);
    ct_jptr_pop(&v->ptr);
}

/* Every string of an array member naming elements. */
static void j_use_all(sv *v, json_object *o, const char *key)
{
    json_object *a = member(o, key, json_type_array);
    if (!a)
        return;
    ct_jptr_push_key(&v->ptr, key);
    for (size_t i = 0; i < json_object_array_length(a); i++) {
        json_object *s = json_object_array_get_idx(a, i);
        if (!json_object_is_type(s, json_type_string))
            continue;
        ct_jptr_push_index(&v->ptr, i);
        note_id(v, &v->uses, json_object_get_string(s), (size_t)json_object_get_string_len(s),
                v->ptr.buf);
        ct_jptr_pop(&v->ptr);
    }
    ct_jptr_pop(&v->ptr);
}

static void j_licence(sv *v, json_object *o, const char *key)
{
    const char *s = mstr(o, key);
    if (s && !licence_ok(s))
        jerr(v, key, "\"%.100s\" is not a valid SPDX licence expression", s);
}

static void j_licence_all(sv *v, json_object *o, const char *key)
{
    json_object *a = member(o, key, json_type_array);
    if (!a)
        return;
    ct_jptr_push_key(&v->ptr, key);
    for (size_t i = 0; i < json_object_array_length(a); i++) {
        json_object *s = json_object_array_get_idx(a, i);
        if (!json_object_is_type(s, json_type_string) || licence_ok(json_object_get_string(s)))
            continue;
        ct_jptr_push_index(&v->ptr, i);
        jerr(v, NULL, "\"%.100s\" is not a valid SPDX licence expression",
             json_object_get_string(s));
        ct_jptr_pop(&v->ptr);
    }
    ct_jptr_pop(&v->ptr);
}

/* fn on each object element of root's array member key, with the JSON pointer kept. */
typedef void (*elem_fn)(sv *v, json_object *o);

static void each(sv *v, json_object *root, const char *key, elem_fn fn)
{
    json_object *a = member(root, key, json_type_array);
    if (!a)
        return;
    ct_jptr_push_key(&v->ptr, key);
    for (size_t i = 0; i < json_object_array_length(a); i++) {
        json_object *o = json_object_array_get_idx(a, i);
        if (!json_object_is_type(o, json_type_object))
            continue;
        ct_jptr_push_index(&v->ptr, i);
        fn(v, o);
        ct_jptr_pop(&v->ptr);
    }
    ct_jptr_pop(&v->ptr);
}

static void j_checksum(sv *v, json_object *c)
{
    char buf[96];
    const char *alg = mstr(c, "algorithm"), *val = mstr(c, "checksumValue"), *why;
    const algdef *a = alg ? alg_find(alg, strlen(alg)) : NULL;
    if (a && val && (why = checksum_problem(a, val, strlen(val), buf, sizeof buf)))
        jerr(v, "checksumValue", "%s", why);
}

static void j_checksums(sv *v, json_object *o, const char *key)
{
    each(v, o, key, j_checksum);
}

static void j_date(sv *v, json_object *o, const char *key)
{
    const char *s = mstr(o, key);
    if (s && !date_ok(s, strlen(s)))
        jerr(v, key, "\"%.60s\" is not a date of the form YYYY-MM-DDThh:mm:ssZ", s);
}

static void j_annotation(sv *v, json_object *an)
{
    const char *s;
    j_date(v, an, "annotationDate");
    if ((s = mstr(an, "annotator")) && !creator_ok(s, strlen(s), true))
        jerr(v, "annotator", "\"%.100s\": expected \"Person: ...\", \"Organization: ...\" "
                             "or \"Tool: ...\"", s);
    j_use(v, an, "spdxElementId");
}

static void j_annotations(sv *v, json_object *o)
{
    each(v, o, "annotations", j_annotation);
}

static void j_external_ref(sv *v, json_object *r)
{
    const char *type = mstr(r, "referenceType"), *loc = mstr(r, "referenceLocator"), *why;
    if (type && loc && strcmp(type, "purl") == 0 && (why = purl_problem(loc, strlen(loc))))
        jerr(v, "referenceLocator", "invalid purl \"%.100s\": %.200s", loc, why);
}

static void j_external_refs(sv *v, json_object *p)
{
    each(v, p, "externalRefs", j_external_ref);
}

static void j_package(sv *v, json_object *p)
{
    j_define(v, p);
    j_licence(v, p, "licenseConcluded");
    j_licence(v, p, "licenseDeclared");
    j_licence_all(v, p, "licenseInfoFromFiles");
    j_checksums(v, p, "checksums");
    j_use_all(v, p, "hasFiles");
    j_external_refs(v, p);
    j_annotations(v, p);
    j_date(v, p, "releaseDate");
    j_date(v, p, "builtDate");
    j_date(v, p, "validUntilDate");
}

static void j_file(sv *v, json_object *f)
{
    j_define(v, f);
    j_licence(v, f, "licenseConcluded");
    j_licence_all(v, f, "licenseInfoInFiles");
    j_checksums(v, f, "checksums");
    j_annotations(v, f);
}

static void j_snippet(sv *v, json_object *s)
{
    j_define(v, s);
    j_use(v, s, "snippetFromFile");
    j_licence(v, s, "licenseConcluded");
    j_licence_all(v, s, "licenseInfoInSnippets");
    j_annotations(v, s);
}

static void j_relationship(sv *v, json_object *r)
{
    const char *t = mstr(r, "relationshipType");
    j_use(v, r, "spdxElementId");
    j_use(v, r, "relatedSpdxElement");
    if (t && v->minor < 3 && word_in(rel_types_23, CT_NELEM(rel_types_23), t, strlen(t)))
        jerr(v, "relationshipType", "relationship type %s is new in SPDX 2.3", t);
}

static void j_extref_doc(sv *v, json_object *d)
{
    const char *id = mstr(d, "externalDocumentId");
    json_object *c = member(d, "checksum", json_type_object);
    if (id && !docref_ok(id, strlen(id)))
        jerr(v, "externalDocumentId", "\"%.100s\": expected DocumentRef-[A-Za-z0-9.-]+", id);
    if (c) {
        ct_jptr_push_key(&v->ptr, "checksum");
        j_checksum(v, c);
        ct_jptr_pop(&v->ptr);
    }
}

static void j_extracted(sv *v, json_object *l)
{
    const char *id = mstr(l, "licenseId");
    if (id && (!starts(id, strlen(id), "LicenseRef-") || strlen(id) == 11))
        jerr(v, "licenseId", "\"%.100s\": expected LicenseRef-<id>", id);
}

static void j_semantic(sv *v, json_object *root)
{
    json_object *ci = member(root, "creationInfo", json_type_object), *cr;
    const char *s;

    if ((s = mstr(root, "SPDXID")) && strcmp(s, "SPDXRef-DOCUMENT") != 0)
        jerr(v, "SPDXID", "the document's SPDXID must be \"SPDXRef-DOCUMENT\", found \"%.100s\"",
             s);
    j_define(v, root);
    if ((s = mstr(root, "dataLicense")) && strcmp(s, "CC0-1.0") != 0)
        jerr(v, "dataLicense", "dataLicense must be \"CC0-1.0\", found \"%.100s\"", s);
    if (ci) {
        ct_jptr_push_key(&v->ptr, "creationInfo");
        j_date(v, ci, "created");
        if ((cr = member(ci, "creators", json_type_array))) {
            ct_jptr_push_key(&v->ptr, "creators");
            for (size_t i = 0; i < json_object_array_length(cr); i++) {
                json_object *c = json_object_array_get_idx(cr, i);
                if (!json_object_is_type(c, json_type_string) ||
                    creator_ok(json_object_get_string(c),
                               (size_t)json_object_get_string_len(c), true))
                    continue;
                ct_jptr_push_index(&v->ptr, i);
                jerr(v, NULL,
                     "\"%.100s\": expected \"Person: ...\", \"Organization: ...\" or \"Tool: "
                     "...\"",
                     json_object_get_string(c));
                ct_jptr_pop(&v->ptr);
            }
            ct_jptr_pop(&v->ptr);
        }
        ct_jptr_pop(&v->ptr);
    }
    j_use_all(v, root, "documentDescribes");
    j_annotations(v, root);
    each(v, root, "externalDocumentRefs", j_extref_doc);
    each(v, root, "hasExtractedLicensingInfos", j_extracted);
    each(v, root, "packages", j_package);
    each(v, root, "files", j_file);
    each(v, root, "snippets", j_snippet);
    each(v, root, "relationships", j_relationship);
    check_ids(v);
}

static void validate_json(sv *v, const char *data, size_t len, const char *source,
                          const char *dir)
{
    json_object *root = NULL, *schema = NULL, *m;
    const char *ver;

    v->rep->format = ct_strdup("spdx-json");
    if (ct_json_parse(&root, v->ctx, data, len, source, 0) < 0) {
        const ct_error *e = ct_error_last();
        char where[48];
        snprintf(where, sizeof where, "%u:%u", e->line, e->column);
        add_error(v, where, "%s", e->message);
        ct_error_clear();
        return;
    }
    if (!json_object_is_type(root, json_type_object)) {
        add_error(v, "/", "an SPDX document is a JSON object");
        goto done;
    }
    if (!json_object_object_get_ex(root, "spdxVersion", &m) ||
        !json_object_is_type(m, json_type_string)) {
        jerr(v, "spdxVersion", "missing or non-string spdxVersion");
        goto done;
    }
    ver = json_object_get_string(m);
    v->rep->spec_version = ct_strdup(starts(ver, strlen(ver), "SPDX-") ? ver + 5 : ver);
    if (strcmp(ver, "SPDX-2.2") == 0 || strcmp(ver, "SPDX-2.3") == 0) {
        v->minor = ver[7] - '0';
    } else {
        jerr(v, "spdxVersion",
             "unsupported spdxVersion \"%.40s\": SPDX JSON is \"SPDX-2.2\" or \"SPDX-2.3\"", ver);
        goto done;
    }
    if (dir && (schema = load_schema(v->ctx, dir, v->minor)))
        v->rep->schema_checked = true;
    else if (!(schema = builtin_schema()))
        v->failed = true;
    if (schema)
        sch_check(v, schema, root, 0);
    j_semantic(v, root);
done:
    json_object_put(schema);
    json_object_put(root);
}

/* ---- tag-value --------------------------------------------------------------------------- */

enum { S_DOC, S_PKG, S_FILE, S_SNIP, S_LIC, S_ANY };

/* Tag flags */
#define T_ONE 1u   /* at most once per section */
#define T_LIC 2u   /* licence expression */
#define T_DATE 4u  /* YYYY-MM-DDThh:mm:ssZ */
#define T_SUM 8u   /* "ALG: hex" */
#define T_ID 16u   /* names an element */
#define T_23 32u   /* new in SPDX 2.3 */
#define T_TEXT 64u /* may be <text>...</text> */

typedef struct {
    const char *tag;
    unsigned char sect; /* S_* where it belongs; S_ANY anywhere */
    unsigned flags;
} tagdef;

static const tagdef tags[] = {
    { "SPDXVersion", S_DOC, T_ONE },
    { "DataLicense", S_DOC, T_ONE },
    { "DocumentName", S_DOC, T_ONE },
    { "DocumentNamespace", S_DOC, T_ONE },
    { "ExternalDocumentRef", S_DOC, 0 },
    { "LicenseListVersion", S_DOC, T_ONE },
    { "Creator", S_DOC, 0 },
    { "Created", S_DOC, T_ONE | T_DATE },
    { "CreatorComment", S_DOC, T_ONE | T_TEXT },
    { "DocumentComment", S_DOC, T_ONE | T_TEXT },
    { "SPDXID", S_ANY, T_ONE },
    { "PackageName", S_PKG, T_ONE },
    { "PackageVersion", S_PKG, T_ONE },
    { "PackageFileName", S_PKG, T_ONE },
    { "PackageSupplier", S_PKG, T_ONE },
    { "PackageOriginator", S_PKG, T_ONE },
    { "PackageDownloadLocation", S_PKG, T_ONE },
    { "FilesAnalyzed", S_PKG, T_ONE },
    { "PackageVerificationCode", S_PKG, T_ONE },
    { "PackageChecksum", S_PKG, T_SUM },
    { "PackageHomePage", S_PKG, T_ONE },
    { "PackageSourceInfo", S_PKG, T_ONE | T_TEXT },
    { "PackageLicenseConcluded", S_PKG, T_ONE | T_LIC },
    { "PackageLicenseInfoFromFiles", S_PKG, T_LIC },
    { "PackageLicenseDeclared", S_PKG, T_ONE | T_LIC },
    { "PackageLicenseComments", S_PKG, T_ONE | T_TEXT },
    { "PackageCopyrightText", S_PKG, T_ONE | T_TEXT },
    { "PackageSummary", S_PKG, T_ONE | T_TEXT },
    { "PackageDescription", S_PKG, T_ONE | T_TEXT },
    { "PackageComment", S_PKG, T_ONE | T_TEXT },
    { "ExternalRef", S_PKG, 0 },
    { "ExternalRefComment", S_PKG, T_TEXT },
    { "PackageAttributionText", S_PKG, T_TEXT },
    { "PrimaryPackagePurpose", S_PKG, T_ONE | T_23 },
    { "ReleaseDate", S_PKG, T_ONE | T_DATE | T_23 },
    { "BuiltDate", S_PKG, T_ONE | T_DATE | T_23 },
    { "ValidUntilDate", S_PKG, T_ONE | T_DATE | T_23 },
    { "FileName", S_FILE, T_ONE },
    { "FileType", S_FILE, 0 },
    { "FileChecksum", S_FILE, T_SUM },
    { "LicenseConcluded", S_FILE, T_ONE | T_LIC },
    { "LicenseInfoInFile", S_FILE, T_LIC },
    { "LicenseComments", S_FILE, T_ONE | T_TEXT },
    { "FileCopyrightText", S_FILE, T_ONE | T_TEXT },
    { "FileComment", S_FILE, T_ONE | T_TEXT },
    { "FileNotice", S_FILE, T_ONE | T_TEXT },
    { "FileContributor", S_FILE, T_TEXT },
    { "FileAttributionText", S_FILE, T_TEXT },
    { "FileDependency", S_FILE, T_ID },
    { "ArtifactOfProjectName", S_FILE, 0 },
    { "ArtifactOfProjectHomePage", S_FILE, 0 },
    { "ArtifactOfProjectURI", S_FILE, 0 },
    { "SnippetSPDXID", S_SNIP, T_ONE },
    { "SnippetFromFileSPDXID", S_SNIP, T_ONE | T_ID },
    { "SnippetByteRange", S_SNIP, T_ONE },
    { "SnippetLineRange", S_SNIP, T_ONE },
    { "SnippetLicenseConcluded", S_SNIP, T_ONE | T_LIC },
    { "LicenseInfoInSnippet", S_SNIP, T_LIC },
    { "SnippetLicenseComments", S_SNIP, T_ONE | T_TEXT },
    { "SnippetCopyrightText", S_SNIP, T_ONE | T_TEXT },
    { "SnippetComment", S_SNIP, T_ONE | T_TEXT },
    { "SnippetName", S_SNIP, T_ONE },
    { "SnippetAttributionText", S_SNIP, T_TEXT },
    { "LicenseID", S_LIC, T_ONE },
    { "ExtractedText", S_LIC, T_ONE | T_TEXT },
    { "LicenseName", S_LIC, T_ONE },
    { "LicenseCrossReference", S_LIC, 0 },
    { "LicenseComment", S_LIC, T_ONE | T_TEXT },
    { "Relationship", S_ANY, 0 },
    { "RelationshipComment", S_ANY, T_TEXT },
    { "Annotator", S_ANY, 0 },
    { "AnnotationDate", S_ANY, T_DATE },
    { "AnnotationType", S_ANY, 0 },
    { "SPDXREF", S_ANY, T_ID },
    { "AnnotationComment", S_ANY, T_TEXT },
    { "Reviewer", S_ANY, 0 },
    { "ReviewDate", S_ANY, T_DATE },
    { "ReviewComment", S_ANY, T_TEXT },
};

static const char *const sect_names[] = { "document creation information", "package", "file",
                                          "snippet", "other licensing information" };

/* Required tags per section (start tag first). */
static const char *const req_doc[] = { "SPDXVersion", "DataLicense", "SPDXID", "DocumentName",
                                       "DocumentNamespace", "Creator", "Created" };
static const char *const req_pkg[] = { "PackageName", "SPDXID", "PackageDownloadLocation" };
static const char *const req_file[] = { "FileName", "SPDXID", "FileChecksum" };
static const char *const req_snip[] = { "SnippetSPDXID", "SnippetFromFileSPDXID",
                                        "SnippetByteRange" };
static const char *const req_lic[] = { "LicenseID", "ExtractedText" };

typedef struct {
    int kind;          /* S_* */
    size_t line;       /* where it starts */
    unsigned char seen[CT_NELEM(tags)];
} tvsect;

static const tagdef *tag_find(const char *s, size_t n)
{
    for (size_t i = 0; i < CT_NELEM(tags); i++)
        if (strlen(tags[i].tag) == n && memcmp(tags[i].tag, s, n) == 0)
            return &tags[i];
    return NULL;
}

static void tv_close(sv *v, const tvsect *s)
{
    static const struct {
        const char *const *req;
        size_t n;
    } reqs[] = { { req_doc, CT_NELEM(req_doc) },   { req_pkg, CT_NELEM(req_pkg) },
                 { req_file, CT_NELEM(req_file) }, { req_snip, CT_NELEM(req_snip) },
                 { req_lic, CT_NELEM(req_lic) } };
    if (s->kind == S_ANY)
        return;
    for (size_t i = 0; i < reqs[s->kind].n; i++) {
        const tagdef *t = tag_find(reqs[s->kind].req[i], strlen(reqs[s->kind].req[i]));
        if (t && !s->seen[t - tags])
            lerr(v, s->line, "%s starting here lacks the required tag %s", sect_names[s->kind],
                 t->tag);
    }
}

static bool blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* Trim blanks at both ends of [*s, *s + *n). */
static void trim(const char **s, size_t *n)
{
    while (*n && blank(**s))
        (*s)++, (*n)--;
    while (*n && blank((*s)[*n - 1]))
        (*n)--;
}

/* The next blank-separated word of [*p, end); advances *p. */
static size_t next_word(const char **p, const char *end, const char **w)
{
    while (*p < end && blank(**p))
        (*p)++;
    *w = *p;
    while (*p < end && !blank(**p))
        (*p)++;
    return (size_t)(*p - *w);
}

static void tv_value(sv *v, const tagdef *t, size_t line, const char *val, size_t n,
                     const tvsect *sect)
{
    char buf[96];
    const char *w, *p = val, *end = val + n, *why, *extra;
    size_t wn;

    /* an empty value is an empty string (as "" in JSON), except where a format is required */
    if (!n && (t->flags & (T_DATE | T_LIC | T_SUM | T_ID) || strcmp(t->tag, "SPDXID") == 0 ||
               strcmp(t->tag, "SnippetSPDXID") == 0 || strcmp(t->tag, "Relationship") == 0 ||
               strcmp(t->tag, "ExternalRef") == 0)) {
        lerr(v, line, "%s has no value", t->tag);
        return;
    }
    if (!n)
        return;
    if (t->flags & T_DATE && !date_ok(val, n))
        lerr(v, line, "%s \"%.*s\" is not a date of the form YYYY-MM-DDThh:mm:ssZ", t->tag,
             (int)(n > 60 ? 60 : n), val);
    if (t->flags & T_LIC) {
        char *s = ct_strndup(val, n);
        if (!s)
            v->failed = true;
        else if (!licence_ok(s))
            lerr(v, line, "%s \"%.100s\" is not a valid SPDX licence expression", t->tag, s);
        ct_free(s);
    }
    if (t->flags & T_SUM) {
        const char *colon = memchr(val, ':', n);
        const algdef *a = colon ? alg_find(val, (size_t)(colon - val)) : NULL;
        if (!a) {
            lerr(v, line, "%s \"%.*s\": expected \"<algorithm>: <hex value>\" with a known "
                          "algorithm (SHA1, SHA256, ...)",
                 t->tag, (int)(n > 60 ? 60 : n), val);
        } else {
            const char *cv = colon + 1;
            size_t cn = (size_t)(end - cv);
            trim(&cv, &cn);
            if ((why = checksum_problem(a, cv, cn, buf, sizeof buf)))
                lerr(v, line, "%s: %s", t->tag, why);
        }
    }
    if (t->flags & T_ID)
        note_id(v, &v->uses, val, n, (snprintf(buf, sizeof buf, "line %zu", line), buf));

    if (strcmp(t->tag, "SPDXVersion") == 0) {
        /* handled by the caller */
    } else if (strcmp(t->tag, "DataLicense") == 0) {
        if (n != 7 || memcmp(val, "CC0-1.0", 7) != 0)
            lerr(v, line, "DataLicense must be CC0-1.0, found \"%.*s\"", (int)(n > 60 ? 60 : n),
                 val);
    } else if (strcmp(t->tag, "SPDXID") == 0 || strcmp(t->tag, "SnippetSPDXID") == 0) {
        if (!spdxref_ok(val, n))
            lerr(v, line, "\"%.*s\" is not an SPDX identifier (SPDXRef-[A-Za-z0-9.-]+)",
                 (int)(n > 100 ? 100 : n), val);
        else if (sect->kind == S_DOC && (n != 16 || memcmp(val, "SPDXRef-DOCUMENT", 16) != 0))
            lerr(v, line, "the document's SPDXID must be SPDXRef-DOCUMENT");
        snprintf(buf, sizeof buf, "line %zu", line);
        note_id(v, &v->ids, val, n, buf);
    } else if (strcmp(t->tag, "Creator") == 0 || strcmp(t->tag, "Annotator") == 0 ||
               strcmp(t->tag, "Reviewer") == 0) {
        if (!creator_ok(val, n, true))
            lerr(v, line, "%s \"%.*s\": expected \"Person: ...\", \"Organization: ...\" or "
                          "\"Tool: ...\"",
                 t->tag, (int)(n > 60 ? 60 : n), val);
    } else if (strcmp(t->tag, "FilesAnalyzed") == 0) {
        if (!((n == 4 && memcmp(val, "true", 4) == 0) || (n == 5 && memcmp(val, "false", 5) == 0)))
            lerr(v, line, "FilesAnalyzed must be true or false");
    } else if (strcmp(t->tag, "PrimaryPackagePurpose") == 0) {
        if (!word_in(purposes, CT_NELEM(purposes), val, n))
            lerr(v, line, "PrimaryPackagePurpose \"%.*s\" is not one of APPLICATION, FRAMEWORK, "
                          "LIBRARY, CONTAINER, OPERATING-SYSTEM, DEVICE, FIRMWARE, SOURCE, "
                          "ARCHIVE, FILE, INSTALL, OTHER",
                 (int)(n > 60 ? 60 : n), val);
    } else if (strcmp(t->tag, "FileType") == 0) {
        if (!word_in(file_types, CT_NELEM(file_types), val, n))
            lerr(v, line, "FileType \"%.*s\" is not one of SOURCE, BINARY, ARCHIVE, APPLICATION, "
                          "AUDIO, IMAGE, TEXT, VIDEO, DOCUMENTATION, SPDX, OTHER",
                 (int)(n > 60 ? 60 : n), val);
    } else if (strcmp(t->tag, "AnnotationType") == 0) {
        if (!word_in(annotation_types, CT_NELEM(annotation_types), val, n))
            lerr(v, line, "AnnotationType must be REVIEW or OTHER");
    } else if (strcmp(t->tag, "LicenseID") == 0) {
        if (n <= 11 || memcmp(val, "LicenseRef-", 11) != 0)
            lerr(v, line, "LicenseID \"%.*s\": expected LicenseRef-<id>", (int)(n > 60 ? 60 : n),
                 val);
    } else if (strcmp(t->tag, "ExternalDocumentRef") == 0) {
        /* DocumentRef-<id> <namespace URI> <ALG>: <hex> */
        const char *u, *sum;
        size_t un;
        wn = next_word(&p, end, &w);
        un = next_word(&p, end, &u);
        sum = p;
        while (sum < end && blank(*sum))
            sum++;
        const char *colon = memchr(sum, ':', (size_t)(end - sum));
        if (!docref_ok(w, wn) || !un || !colon || !alg_find(sum, (size_t)(colon - sum)))
            lerr(v, line, "ExternalDocumentRef: expected \"DocumentRef-<id> <document "
                          "namespace> <algorithm>: <checksum>\"");
    } else if (strcmp(t->tag, "ExternalRef") == 0) {
        /* <category> <type> <locator> */
        const char *ty, *loc;
        size_t tn, ln;
        wn = next_word(&p, end, &w);
        tn = next_word(&p, end, &ty);
        ln = next_word(&p, end, &loc);
        if (!wn || !tn || !ln || next_word(&p, end, &extra))
            lerr(v, line, "ExternalRef: expected \"<category> <type> <locator>\"");
        else if (!word_in(ref_categories, CT_NELEM(ref_categories), w, wn))
            lerr(v, line, "ExternalRef category \"%.*s\" is not one of SECURITY, "
                          "PACKAGE-MANAGER, PERSISTENT-ID, OTHER",
                 (int)(wn > 40 ? 40 : wn), w);
        else if (tn == 4 && memcmp(ty, "purl", 4) == 0 && (why = purl_problem(loc, ln)))
            lerr(v, line, "invalid purl \"%.*s\": %.200s", (int)(ln > 100 ? 100 : ln), loc, why);
    } else if (strcmp(t->tag, "Relationship") == 0) {
        const char *ty, *b;
        size_t tn, bn;
        snprintf(buf, sizeof buf, "line %zu", line);
        wn = next_word(&p, end, &w);
        tn = next_word(&p, end, &ty);
        bn = next_word(&p, end, &b);
        if (!wn || !tn || !bn || next_word(&p, end, &extra)) {
            lerr(v, line, "Relationship: expected \"<SPDXID> <TYPE> <SPDXID>\"");
            return;
        }
        if (!word_in(rel_types, CT_NELEM(rel_types), ty, tn))
            lerr(v, line, "\"%.*s\" is not an SPDX relationship type (DESCRIBES, CONTAINS, "
                          "DEPENDS_ON, ...)",
                 (int)(tn > 60 ? 60 : tn), ty);
        else if (v->minor < 3 && word_in(rel_types_23, CT_NELEM(rel_types_23), ty, tn))
            lerr(v, line, "relationship type %.*s is new in SPDX 2.3", (int)tn, ty);
        note_id(v, &v->uses, w, wn, buf);
        note_id(v, &v->uses, b, bn, buf);
    }
}

static void validate_tv(sv *v, const char *data, size_t len)
{
    const char *p = data, *end = data + len;
    size_t line = 0;
    tvsect sect;
    bool first = true;

    v->rep->format = ct_strdup("spdx-tv");
    memset(&sect, 0, sizeof sect);
    sect.kind = S_DOC;
    sect.line = 1;
    while (p < end && !v->failed) {
        const char *nl = p, *s = p, *colon, *val, *le;
        size_t n, tline = ++line, vn;
        while (nl < end && *nl != '\n' && *nl != '\r') /* LF, CRLF or CR line ends */
            nl++;
        le = nl;
        n = (size_t)(le - p);
        p = nl < end && *nl == '\r' && nl + 1 < end && nl[1] == '\n' ? nl + 2
            : nl < end                                                 ? nl + 1
                                                                       : end;
        trim(&s, &n);
        if (!n || *s == '#')
            continue;
        colon = memchr(s, ':', n);
        if (!colon) {
            lerr(v, tline, "expected \"Tag: value\"");
            continue;
        }
        size_t tn = (size_t)(colon - s);
        const char *tagname = s;
        while (tn && blank(tagname[tn - 1]))
            tn--;
        val = colon + 1;
        vn = (size_t)(s + n - val);
        trim(&val, &vn);
        /* <text>...</text>, possibly over several lines */
        if (vn >= 6 && memcmp(val, "<text>", 6) == 0) {
            const char *close = NULL;
            for (const char *q = val + 6; q + 7 <= end; q++)
                if (memcmp(q, "</text>", 7) == 0) {
                    close = q;
                    break;
                }
            if (!close) {
                lerr(v, tline, "<text> without </text>");
                break;
            }
            for (const char *q = val; q < close; q++)
                line += *q == '\n' || (*q == '\r' && (q + 1 == close || q[1] != '\n'));
            val += 6;
            vn = (size_t)(close - val);
            for (nl = close; nl < end && *nl != '\n' && *nl != '\r'; nl++)
                ;
            p = nl < end && *nl == '\r' && nl + 1 < end && nl[1] == '\n' ? nl + 2
                : nl < end                                                 ? nl + 1
                                                                           : end;
        }
        const tagdef *t = tag_find(tagname, tn);
        if (first) {
            first = false;
            if (!t || strcmp(t->tag, "SPDXVersion") != 0) {
                lerr(v, tline, "the first tag of an SPDX tag-value document is SPDXVersion");
            }
        }
        if (!t) {
            lerr(v, tline, "unknown tag \"%.*s\"", (int)(tn > 60 ? 60 : tn), tagname);
            continue;
        }
        if (strcmp(t->tag, "SPDXVersion") == 0) {
            if (v->rep->spec_version) {
                lerr(v, tline, "SPDXVersion repeated");
            } else if (vn == 8 && memcmp(val, "SPDX-2.", 7) == 0 && val[7] >= '1' &&
                       val[7] <= '3') {
                v->minor = val[7] - '0';
                v->rep->spec_version = ct_strndup(val + 5, 3);
            } else {
                bool pre = starts(val, vn, "SPDX-");
                v->rep->spec_version = ct_strndup(pre ? val + 5 : val, pre ? vn - 5 : vn);
                lerr(v, tline, "unsupported SPDXVersion \"%.*s\" (SPDX-2.1, SPDX-2.2, SPDX-2.3)",
                     (int)(vn > 40 ? 40 : vn), val);
                v->minor = 3;
            }
        }
        if ((t->flags & T_23) && v->minor && v->minor < 3)
            lerr(v, tline, "%s is new in SPDX 2.3", t->tag);
        /* section starts */
        int start = strcmp(t->tag, "PackageName") == 0     ? S_PKG
                    : strcmp(t->tag, "FileName") == 0      ? S_FILE
                    : strcmp(t->tag, "SnippetSPDXID") == 0 ? S_SNIP
                    : strcmp(t->tag, "LicenseID") == 0     ? S_LIC
                                                           : -1;
        if (start >= 0) {
            tv_close(v, &sect);
            memset(&sect, 0, sizeof sect);
            sect.kind = start;
            sect.line = tline;
        } else if (t->sect != S_ANY && t->sect != sect.kind) {
            lerr(v, tline, "%s belongs to a %s section, not to the %s starting at line %zu",
                 t->tag, sect_names[t->sect], sect_names[sect.kind], sect.line);
            continue;
        }
        if ((t->flags & T_ONE) && sect.seen[t - tags])
            lerr(v, tline, "%s repeated in one %s", t->tag,
                 t->sect == S_ANY ? sect_names[sect.kind] : sect_names[t->sect]);
        if (sect.seen[t - tags] < 255)
            sect.seen[t - tags]++;
        tv_value(v, t, tline, val, vn, &sect);
    }
    tv_close(v, &sect);
    if (!v->rep->spec_version)
        add_error(v, "line 1", "no SPDXVersion tag");
    check_ids(v);
}

/* ---- entry ------------------------------------------------------------------------------- */

int ct_sbom__validate_spdx(ct_sbom_report *rep, const ct_ctx *ctx, const char *data, size_t len,
                           const char *source, bool json, const ct_sbom_validate_options *opts)
{
    sv v;
    memset(&v, 0, sizeof v);
    v.ctx = ctx;
    v.rep = rep;
    v.minor = 0;
    ct_jptr_init(&v.ptr);
    if (json)
        validate_json(&v, data, len, source ? source : "-", ct_sbom__spdx_schema_dir(opts));
    else
        validate_tv(&v, data, len);
    idvec_free(&v.ids);
    idvec_free(&v.uses);
    if (v.failed)
        return ct_error_set(CT_ENOMEM, "out of memory");
    rep->valid = rep->nerrors == 0;
    return CT_OK;
}

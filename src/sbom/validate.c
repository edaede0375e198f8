/* SBOM validation: CycloneDX JSON structural rules (the parts of the 1.4-1.7 JSON schemas that
 * matter for interchange) in C; CycloneDX XML through libxml2's XSD validator when the schema
 * directory is available, else structural checks in C; semantic checks (duplicate bom-refs,
 * dangling dependency refs, invalid purls) on both. Every finding is collected, none stops the
 * walk. */
#include "cratrace/sbom_validate.h"
#include "cratrace/ident.h"
#include "base/json_int.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CDX_NS_PREFIX "http://cyclonedx.org/schema/bom/"

/* ---- report ------------------------------------------------------------------------------ */

typedef struct {
    char *ref, *where;
} refent;

typedef struct {
    const ct_ctx *ctx;
    ct_sbom_report *rep;
    int minor;              /* 4..7 */
    char **spdx_ids;        /* sorted, from spdx.schema.json; NULL = not checked */
    size_t nspdx;
    refent *refs;           /* every bom-ref */
    size_t nrefs, refs_cap;
    refent *uses;           /* every dependency ref / dependsOn */
    size_t nuses, uses_cap;
    bool failed;            /* out of memory */
    ct_jptr ptr;
    const char *ns;         /* XML namespace */
} vstate;

void ct_sbom_report_free(ct_sbom_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nerrors; i++) {
        ct_free(r->errors[i].location);
        ct_free(r->errors[i].message);
    }
    ct_free(r->errors);
    ct_free(r->format);
    ct_free(r->spec_version);
    ct_free(r);
}

static void add_error(vstate *v, const char *where, const char *fmt, ...) CT_PRINTF(3, 4);

static void add_error(vstate *v, const char *where, const char *fmt, ...)
{
    ct_sbom_report *r = v->rep;
    ct_buf b = CT_BUF_INIT;
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    r->valid = false;
    if (r->nerrors == r->errors_cap) {
        size_t ncap = r->errors_cap ? r->errors_cap * 2 : 16;
        ct_sbom_finding *ne = ct_reallocarray(r->errors, ncap, sizeof *ne);
        if (!ne) {
            v->failed = true;
            return;
        }
        r->errors = ne;
        r->errors_cap = ncap;
    }
    ct_buf_puts(&b, where && *where ? where : "/");
    ct_sbom_finding *f = &r->errors[r->nerrors];
    f->location = b.failed ? NULL : ct_buf_detach(&b);
    f->message = ct_strdup(msg);
    ct_buf_dispose(&b);
    if (!f->location || !f->message) {
        ct_free(f->location);
        ct_free(f->message);
        v->failed = true;
        return;
    }
    r->nerrors++;
}

/* Error at the current JSON pointer plus an optional key. */
static void jerr(vstate *v, const char *key, const char *fmt, ...) CT_PRINTF(3, 4);

static void jerr(vstate *v, const char *key, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (key) {
        ct_jptr_push_key(&v->ptr, key);
        add_error(v, v->ptr.buf, "%s", msg);
        ct_jptr_pop(&v->ptr);
    } else {
        add_error(v, v->ptr.buf, "%s", msg);
    }
}

static void xmlerr_at(vstate *v, const xmlNode *n, const char *fmt, ...) CT_PRINTF(3, 4);

static void xmlerr_at(vstate *v, const xmlNode *n, const char *fmt, ...)
{
    char msg[512], where[32];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(where, sizeof where, "line %ld", n ? xmlGetLineNo(n) : 0L);
    add_error(v, where, "%s", msg);
}

static void note_ref(vstate *v, refent **arr, size_t *n, size_t *cap, const char *ref,
                     const char *where)
{
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        refent *na = ct_reallocarray(*arr, ncap, sizeof *na);
        if (!na) {
            v->failed = true;
            return;
        }
        *arr = na;
        *cap = ncap;
    }
    refent *e = &(*arr)[*n];
    e->ref = ct_strdup(ref);
    e->where = ct_strdup(where && *where ? where : "/");
    if (!e->ref || !e->where) {
        ct_free(e->ref);
        ct_free(e->where);
        v->failed = true;
        return;
    }
    (*n)++;
}

static int cmp_refent(const void *a, const void *b)
{
    const refent *x = a, *y = b;
    int c = strcmp(x->ref, y->ref);
    return c ? c : strcmp(x->where, y->where);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Duplicate bom-refs and dependency refs that name no bom-ref. */
static void check_refs(vstate *v)
{
    if (v->nrefs)
        qsort(v->refs, v->nrefs, sizeof *v->refs, cmp_refent);
    /* formulation re-uses refs of its workflows and tasks (the CycloneDX examples do) */
    for (size_t i = 1; i < v->nrefs; i++)
        if (strcmp(v->refs[i].ref, v->refs[i - 1].ref) == 0 &&
            strncmp(v->refs[i].where, "/formulation/", 13) != 0 &&
            strncmp(v->refs[i - 1].where, "/formulation/", 13) != 0)
            add_error(v, v->refs[i].where, "duplicate bom-ref \"%.200s\" (first at %.200s)",
                      v->refs[i].ref, v->refs[i - 1].where);
    for (size_t i = 0; i < v->nuses; i++) {
        refent key = { v->uses[i].ref, NULL };
        size_t lo = 0, hi = v->nrefs;
        bool found = false;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            int c = strcmp(key.ref, v->refs[mid].ref);
            if (c == 0) {
                found = true;
                break;
            }
            if (c < 0)
                hi = mid;
            else
                lo = mid + 1;
        }
        if (!found)
            add_error(v, v->uses[i].where, "dependency ref \"%.200s\" names no bom-ref",
                      v->uses[i].ref);
    }
}

/* ---- shared value rules ------------------------------------------------------------------ */

typedef struct {
    const char *name;
    int since; /* minor version that introduced it */
} enumval;

static const enumval component_types[] = {
    { "application", 4 }, { "framework", 4 },  { "library", 4 },
    { "container", 4 },   { "platform", 5 },   { "operating-system", 4 },
    { "device", 4 },      { "device-driver", 5 }, { "firmware", 4 },
    { "file", 4 },        { "machine-learning-model", 5 }, { "data", 5 },
    { "cryptographic-asset", 6 },
};
static const enumval hash_algs[] = {
    { "MD5", 4 },         { "SHA-1", 4 },       { "SHA-256", 4 },     { "SHA-384", 4 },
    { "SHA-512", 4 },     { "SHA3-256", 4 },    { "SHA3-384", 4 },    { "SHA3-512", 4 },
    { "BLAKE2b-256", 4 }, { "BLAKE2b-384", 4 }, { "BLAKE2b-512", 4 }, { "BLAKE3", 4 },
    { "Streebog-256", 7 }, { "Streebog-512", 7 },
};
static const enumval scopes[] = { { "required", 4 }, { "optional", 4 }, { "excluded", 4 } };
static const enumval flows[] = {
    { "inbound", 4 }, { "outbound", 4 }, { "bi-directional", 4 }, { "unknown", 4 },
};
static const enumval patch_types[] = {
    { "unofficial", 4 }, { "monkey", 4 }, { "backport", 4 }, { "cherry-pick", 4 },
};
static const enumval issue_types[] = { { "defect", 4 }, { "enhancement", 4 }, { "security", 4 } };
static const enumval encodings[] = { { "base64", 4 } };
static const enumval extref_types[] = {
    { "vcs", 4 }, { "issue-tracker", 4 }, { "website", 4 }, { "advisories", 4 }, { "bom", 4 },
    { "mailing-list", 4 }, { "social", 4 }, { "chat", 4 }, { "documentation", 4 },
    { "support", 4 }, { "source-distribution", 6 }, { "distribution", 4 },
    { "distribution-intake", 5 }, { "license", 4 }, { "build-meta", 4 }, { "build-system", 4 },
    { "release-notes", 4 }, { "security-contact", 5 }, { "model-card", 5 }, { "log", 5 },
    { "configuration", 5 }, { "evidence", 5 }, { "formulation", 5 }, { "attestation", 5 },
    { "threat-model", 5 }, { "adversary-model", 5 }, { "risk-assessment", 5 },
    { "vulnerability-assertion", 5 }, { "exploitability-statement", 5 },
    { "pentest-report", 5 }, { "static-analysis-report", 5 }, { "dynamic-analysis-report", 5 },
    { "runtime-analysis-report", 5 }, { "component-analysis-report", 5 },
    { "maturity-report", 5 }, { "certification-report", 5 }, { "codified-infrastructure", 5 },
    { "quality-metrics", 5 }, { "poam", 5 }, { "electronic-signature", 6 },
    { "digital-signature", 6 }, { "rfc-9116", 6 }, { "patent", 7 }, { "patent-family", 7 },
    { "patent-assertion", 7 }, { "citation", 7 }, { "other", 4 },
};

static bool in_enum(const enumval *e, size_t n, const char *s, int minor)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(e[i].name, s) == 0)
            return e[i].since <= minor;
    return false;
}
#define IN_ENUM(tbl, s, minor) in_enum(tbl, CT_NELEM(tbl), s, minor)

static bool is_hex(char c)
{
    return ct_ascii_isdigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* ^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$ */
static bool serial_ok(const char *s)
{
    static const char tmpl[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
    if (strncmp(s, "urn:uuid:", 9) != 0 || strlen(s + 9) != sizeof tmpl - 1)
        return false;
    for (size_t i = 0; tmpl[i]; i++) {
        char c = s[9 + i];
        if (tmpl[i] == '-' ? c != '-' : !(ct_ascii_isdigit(c) || (c >= 'a' && c <= 'f')))
            return false;
    }
    return true;
}

/* hash-content: 32, 40, 64, 96 or 128 hex digits */
static bool hash_content_ok(const char *s)
{
    size_t n = 0;
    while (s[n] && is_hex(s[n]))
        n++;
    return !s[n] && (n == 32 || n == 40 || n == 64 || n == 96 || n == 128);
}

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!ct_ascii_isdigit(s[i]))
            return false;
    return true;
}

/* RFC 3339 date-time: YYYY-MM-DDTHH:MM:SS[.frac](Z|+hh:mm|-hh:mm) */
static bool datetime_ok(const char *s)
{
    size_t n = strlen(s), i = 19;
    if (n < 20 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' ||
        !digits(s + 8, 2) || (s[10] != 'T' && s[10] != 't') || !digits(s + 11, 2) ||
        s[13] != ':' || !digits(s + 14, 2) || s[16] != ':' || !digits(s + 17, 2))
        return false;
    if (s[i] == '.') {
        size_t j = ++i;
        while (ct_ascii_isdigit(s[i]))
            i++;
        if (i == j)
            return false;
    }
    if ((s[i] == 'Z' || s[i] == 'z') && !s[i + 1])
        return true;
    return (s[i] == '+' || s[i] == '-') && n - i == 6 && digits(s + i + 1, 2) &&
           s[i + 3] == ':' && digits(s + i + 4, 2);
}

static bool purl_ok(const char *s)
{
    ct_purl *p = NULL;
    int rc = ct_purl_parse(&p, s, strlen(s));
    ct_purl_free(p);
    return rc == 0;
}

static bool spdx_id_known(const vstate *v, const char *id)
{
    if (!v->spdx_ids)
        return true;
    return bsearch(&id, v->spdx_ids, v->nspdx, sizeof *v->spdx_ids, cmp_str) != NULL;
}

static char *path_join(const char *dir, const char *name)
{
    ct_buf b = CT_BUF_INIT;
    ct_buf_printf(&b, "%s/%s", dir, name);
    if (b.failed) {
        ct_buf_dispose(&b);
        return NULL;
    }
    return ct_buf_detach(&b);
}

/* The SPDX licence id enum of spdx.schema.json, sorted. */
static void load_spdx_ids(vstate *v, const char *dir)
{
    char *path = path_join(dir, "spdx.schema.json"), *text = NULL;
    json_object *root = NULL, *en;
    size_t len;

    if (!path || ct_file_read(&text, &len, path, 4u << 20) < 0)
        goto done;
    if (ct_json_parse(&root, v->ctx, text, len, path, 0) < 0)
        goto done;
    if (!json_object_object_get_ex(root, "enum", &en) || !json_object_is_type(en, json_type_array))
        goto done;
    len = json_object_array_length(en);
    if (!(v->spdx_ids = ct_calloc(len ? len : 1, sizeof *v->spdx_ids)))
        goto done;
    for (size_t i = 0; i < len; i++) {
        json_object *s = json_object_array_get_idx(en, i);
        if (json_object_is_type(s, json_type_string) &&
            (v->spdx_ids[v->nspdx] = ct_strdup(json_object_get_string(s))))
            v->nspdx++;
    }
    qsort(v->spdx_ids, v->nspdx, sizeof *v->spdx_ids, cmp_str);
done:
    ct_error_clear();
    json_object_put(root);
    ct_free(text);
    ct_free(path);
}

/* ---- CycloneDX JSON ---------------------------------------------------------------------- */

static const char *jstr(json_object *o, const char *key, bool *present, bool *wrong_type)
{
    json_object *m;
    *present = json_object_object_get_ex(o, key, &m);
    *wrong_type = *present && !json_object_is_type(m, json_type_string);
    return *present && !*wrong_type ? json_object_get_string(m) : NULL;
}

/* A string member checked against an enum; required when req. */
static void j_enum(vstate *v, json_object *o, const char *key, const enumval *e, size_t n,
                   bool req, const char *what)
{
    bool present, wrong;
    const char *s = jstr(o, key, &present, &wrong);
    if (!present) {
        if (req)
            jerr(v, NULL, "missing required \"%s\"", key);
    } else if (wrong) {
        jerr(v, key, "%s must be a string", what);
    } else if (!in_enum(e, n, s, v->minor)) {
        jerr(v, key, "\"%.100s\" is not a valid %s in CycloneDX 1.%d", s, what, v->minor);
    }
}

static void j_license(vstate *v, json_object *lic)
{
    json_object *m;
    bool hid = json_object_object_get_ex(lic, "id", NULL);
    bool hname = json_object_object_get_ex(lic, "name", NULL);
    if (hid == hname) {
        jerr(v, NULL, "a license needs exactly one of \"id\" and \"name\"");
    } else if (hid) {
        bool p, w;
        const char *id = jstr(lic, "id", &p, &w);
        if (w)
            jerr(v, "id", "license id must be a string");
        else if (!spdx_id_known(v, id))
            jerr(v, "id", "\"%.100s\" is not an SPDX license id", id);
    }
    if (json_object_object_get_ex(lic, "text", &m) && json_object_is_type(m, json_type_object)) {
        ct_jptr_push_key(&v->ptr, "text");
        j_enum(v, m, "encoding", encodings, CT_NELEM(encodings), false, "encoding");
        ct_jptr_pop(&v->ptr);
    }
}

/* licenses: [{license} | {expression}]; up to 1.6 the schema's oneOf allows either a list of
 * {license} or exactly one {expression} (1.7 lets them mix) */
static void j_licenses(vstate *v, json_object *arr)
{
    size_t n = json_object_array_length(arr), nexpr = 0;
    for (size_t i = 0; i < n; i++) {
        json_object *l = json_object_array_get_idx(arr, i);
        nexpr += json_object_is_type(l, json_type_object) &&
                 json_object_object_get_ex(l, "expression", NULL);
    }
    if (v->minor <= 6 && nexpr && n > 1)
        jerr(v, NULL,
             "CycloneDX 1.%d: licenses holds either {\"license\"} objects or exactly one "
             "{\"expression\"} (found %zu items, %zu expressions)",
             v->minor, n, nexpr);
    for (size_t i = 0; i < n; i++) {
        json_object *l = json_object_array_get_idx(arr, i), *lic;
        ct_jptr_push_index(&v->ptr, i);
        if (!json_object_is_type(l, json_type_object)) {
            jerr(v, NULL, "expected a license choice object");
        } else {
            bool hl = json_object_object_get_ex(l, "license", &lic);
            bool he = json_object_object_get_ex(l, "expression", NULL);
            if (hl == he)
                jerr(v, NULL, "a license choice holds exactly one of \"license\" and "
                              "\"expression\"");
            else if (hl && !json_object_is_type(lic, json_type_object))
                jerr(v, "license", "expected an object");
            else if (hl) {
                ct_jptr_push_key(&v->ptr, "license");
                j_license(v, lic);
                ct_jptr_pop(&v->ptr);
            }
        }
        ct_jptr_pop(&v->ptr);
    }
}

static void j_component(vstate *v, json_object *c)
{
    json_object *m;
    bool p, w;
    const char *s;

    j_enum(v, c, "type", component_types, CT_NELEM(component_types), true, "component type");
    s = jstr(c, "name", &p, &w);
    if (!p)
        jerr(v, NULL, "missing required \"name\"");
    else if (w)
        jerr(v, "name", "name must be a string");
    j_enum(v, c, "scope", scopes, CT_NELEM(scopes), false, "scope");
    if ((s = jstr(c, "purl", &p, &w)) && !purl_ok(s))
        jerr(v, "purl", "invalid purl \"%.200s\"", s);
    else if (w)
        jerr(v, "purl", "purl must be a string");
    if (json_object_object_get_ex(c, "swid", &m) && json_object_is_type(m, json_type_object)) {
        if (!json_object_object_get_ex(m, "tagId", NULL))
            jerr(v, "swid", "missing required \"tagId\"");
        if (!json_object_object_get_ex(m, "name", NULL))
            jerr(v, "swid", "missing required \"name\"");
    }
    if (v->minor >= 7 && json_object_object_get_ex(c, "versionRange", NULL)) {
        json_object *ext;
        if (json_object_object_get_ex(c, "version", NULL))
            jerr(v, NULL, "a component has \"version\" or \"versionRange\", not both");
        if (!json_object_object_get_ex(c, "isExternal", &ext) || !json_object_get_boolean(ext))
            jerr(v, "versionRange", "\"versionRange\" needs \"isExternal\": true");
    }
}

static void j_walk(vstate *v, json_object *o, const char *key, int depth);

/* Rules that depend on the member name, applied to each member of every object. */
static void j_member(vstate *v, json_object *parent, const char *key, json_object *val)
{
    bool arr = json_object_is_type(val, json_type_array);
    size_t n = arr ? json_object_array_length(val) : 0;
    (void)parent;

    if (strcmp(key, "bom-ref") == 0) {
        if (!json_object_is_type(val, json_type_string))
            jerr(v, key, "bom-ref must be a string");
        else if (!json_object_get_string_len(val) && v->minor >= 5)
            jerr(v, key, "bom-ref must not be empty");
        else {
            ct_jptr_push_key(&v->ptr, key);
            note_ref(v, &v->refs, &v->nrefs, &v->refs_cap, json_object_get_string(val),
                     v->ptr.buf);
            ct_jptr_pop(&v->ptr);
        }
    } else if (strcmp(key, "timestamp") == 0) {
        if (!json_object_is_type(val, json_type_string) ||
            !datetime_ok(json_object_get_string(val)))
            jerr(v, key, "timestamp must be an RFC 3339 date-time");
    } else if (strcmp(key, "licenses") == 0 && arr) {
        ct_jptr_push_key(&v->ptr, key);
        j_licenses(v, val);
        ct_jptr_pop(&v->ptr);
    }
    if (!arr)
        return;
    ct_jptr_push_key(&v->ptr, key);
    for (size_t i = 0; i < n; i++) {
        json_object *it = json_object_array_get_idx(val, i);
        bool obj = json_object_is_type(it, json_type_object);
        ct_jptr_push_index(&v->ptr, i);
        if (!obj && (strcmp(key, "components") == 0 || strcmp(key, "hashes") == 0 ||
                     strcmp(key, "services") == 0 || strcmp(key, "externalReferences") == 0 ||
                     strcmp(key, "properties") == 0)) {
            jerr(v, NULL, "expected an object");
        } else if (obj && (strcmp(key, "components") == 0 || strcmp(key, "ancestors") == 0 ||
                           strcmp(key, "descendants") == 0 || strcmp(key, "variants") == 0)) {
            j_component(v, it);
        } else if (obj && strcmp(key, "hashes") == 0) {
            bool p, w;
            const char *c = jstr(it, "content", &p, &w);
            j_enum(v, it, "alg", hash_algs, CT_NELEM(hash_algs), true, "hash algorithm");
            if (!p)
                jerr(v, NULL, "missing required \"content\"");
            else if (w || !hash_content_ok(c))
                jerr(v, "content", "hash content must be 32, 40, 64, 96 or 128 hex digits");
        } else if (obj && strcmp(key, "externalReferences") == 0) {
            j_enum(v, it, "type", extref_types, CT_NELEM(extref_types), true,
                   "external reference type");
            if (!json_object_object_get_ex(it, "url", NULL))
                jerr(v, NULL, "missing required \"url\"");
        } else if (obj && strcmp(key, "services") == 0) {
            json_object *data;
            if (!json_object_object_get_ex(it, "name", NULL))
                jerr(v, NULL, "missing required \"name\"");
            if (json_object_object_get_ex(it, "data", &data) &&
                json_object_is_type(data, json_type_array)) {
                ct_jptr_push_key(&v->ptr, "data");
                for (size_t k = 0; k < json_object_array_length(data); k++) {
                    json_object *d = json_object_array_get_idx(data, k);
                    ct_jptr_push_index(&v->ptr, k);
                    if (json_object_is_type(d, json_type_object))
                        j_enum(v, d, "flow", flows, CT_NELEM(flows), true, "data flow");
                    ct_jptr_pop(&v->ptr);
                }
                ct_jptr_pop(&v->ptr);
            }
        } else if (obj && strcmp(key, "patches") == 0) {
            j_enum(v, it, "type", patch_types, CT_NELEM(patch_types), true, "patch type");
        } else if (obj && strcmp(key, "resolves") == 0) {
            j_enum(v, it, "type", issue_types, CT_NELEM(issue_types), true, "issue type");
        } else if (obj && strcmp(key, "properties") == 0 && v->minor >= 5) {
            json_object_object_foreach(it, pk, pv) {
                (void)pv;
                if (strcmp(pk, "name") != 0 && strcmp(pk, "value") != 0)
                    jerr(v, pk, "unexpected property member");
            }
            if (!json_object_object_get_ex(it, "name", NULL))
                jerr(v, NULL, "missing required \"name\"");
        } else if (obj && strcmp(key, "citations") == 0) {
            if (!json_object_object_get_ex(it, "attributedTo", NULL) &&
                !json_object_object_get_ex(it, "process", NULL))
                jerr(v, NULL, "a citation needs \"attributedTo\" or \"process\"");
        }
        ct_jptr_pop(&v->ptr);
    }
    ct_jptr_pop(&v->ptr);
}

static void j_walk(vstate *v, json_object *o, const char *key, int depth)
{
    (void)key;
    if (depth > 256)
        return;
    if (json_object_is_type(o, json_type_object)) {
        json_object_object_foreach(o, k, val) {
            j_member(v, o, k, val);
            ct_jptr_push_key(&v->ptr, k);
            j_walk(v, val, k, depth + 1);
            ct_jptr_pop(&v->ptr);
        }
    } else if (json_object_is_type(o, json_type_array)) {
        for (size_t i = 0; i < json_object_array_length(o); i++) {
            ct_jptr_push_index(&v->ptr, i);
            j_walk(v, json_object_array_get_idx(o, i), NULL, depth + 1);
            ct_jptr_pop(&v->ptr);
        }
    }
}

static const char *const metadata_keys[] = {
    "authors", "component", "distributionConstraints", "licenses", "lifecycles", "manufacture",
    "manufacturer", "properties", "supplier", "timestamp", "tools",
};

static void j_dependencies(vstate *v, json_object *arr)
{
    ct_jptr_push_key(&v->ptr, "dependencies");
    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        json_object *d = json_object_array_get_idx(arr, i), *on;
        bool p, w;
        const char *ref;
        ct_jptr_push_index(&v->ptr, i);
        if (!json_object_is_type(d, json_type_object)) {
            jerr(v, NULL, "expected a dependency object");
            ct_jptr_pop(&v->ptr);
            continue;
        }
        ref = jstr(d, "ref", &p, &w);
        if (!p)
            jerr(v, NULL, "missing required \"ref\"");
        else if (w || !*ref)
            jerr(v, "ref", "ref must be a non-empty string");
        else {
            ct_jptr_push_key(&v->ptr, "ref");
            note_ref(v, &v->uses, &v->nuses, &v->uses_cap, ref, v->ptr.buf);
            ct_jptr_pop(&v->ptr);
        }
        if (json_object_object_get_ex(d, "dependsOn", &on)) {
            if (!json_object_is_type(on, json_type_array)) {
                jerr(v, "dependsOn", "dependsOn must be an array");
            } else {
                ct_jptr_push_key(&v->ptr, "dependsOn");
                for (size_t k = 0; k < json_object_array_length(on); k++) {
                    json_object *t = json_object_array_get_idx(on, k);
                    ct_jptr_push_index(&v->ptr, k);
                    if (!json_object_is_type(t, json_type_string) ||
                        !json_object_get_string_len(t))
                        jerr(v, NULL, "dependsOn items are non-empty strings");
                    else
                        note_ref(v, &v->uses, &v->nuses, &v->uses_cap,
                                 json_object_get_string(t), v->ptr.buf);
                    for (size_t j = 0; j < k; j++)
                        if (json_object_equal(t, json_object_array_get_idx(on, j)))
                            jerr(v, NULL, "dependsOn items must be unique");
                    ct_jptr_pop(&v->ptr);
                }
                ct_jptr_pop(&v->ptr);
            }
        }
        ct_jptr_pop(&v->ptr);
    }
    ct_jptr_pop(&v->ptr);
}

static void validate_json(vstate *v, const char *data, size_t len, const char *source)
{
    json_object *root = NULL, *m;
    bool p, w;
    const char *s;

    v->rep->format = ct_strdup("cyclonedx-json");
    if (ct_json_parse(&root, v->ctx, data, len, source, 0) < 0) {
        const ct_error *e = ct_error_last();
        char where[48];
        snprintf(where, sizeof where, "%u:%u", e->line, e->column);
        add_error(v, where, "%s", e->message);
        ct_error_clear();
        return;
    }
    if (!json_object_is_type(root, json_type_object)) {
        add_error(v, "/", "a CycloneDX document is a JSON object");
        goto done;
    }
    s = jstr(root, "bomFormat", &p, &w);
    if (!s || strcmp(s, "CycloneDX") != 0)
        jerr(v, "bomFormat", "bomFormat must be \"CycloneDX\"");
    s = jstr(root, "specVersion", &p, &w);
    if (!s) {
        jerr(v, "specVersion", "missing or non-string specVersion");
        goto done;
    }
    v->rep->spec_version = ct_strdup(s);
    if (strlen(s) == 3 && s[0] == '1' && s[1] == '.' && s[2] >= '4' && s[2] <= '7') {
        v->minor = s[2] - '0';
    } else {
        jerr(v, "specVersion", "unsupported specVersion \"%.20s\" (1.4 to 1.7)", s);
        goto done;
    }
    if ((s = jstr(root, "serialNumber", &p, &w)) && !serial_ok(s))
        jerr(v, "serialNumber", "serialNumber must match urn:uuid:<RFC 4122 UUID, lower case>");
    else if (w)
        jerr(v, "serialNumber", "serialNumber must be a string");
    if (json_object_object_get_ex(root, "version", &m) &&
        (!json_object_is_type(m, json_type_int) ||
         (v->minor >= 5 && json_object_get_int64(m) < 1) || json_object_get_int64(m) < 0))
        jerr(v, "version", "version must be an integer >= 1");
    if (json_object_object_get_ex(root, "metadata", &m)) {
        if (!json_object_is_type(m, json_type_object)) {
            jerr(v, "metadata", "metadata must be an object");
        } else {
            json_object *mc;
            ct_jptr_push_key(&v->ptr, "metadata");
            json_object_object_foreach(m, mk, mv) {
                bool ok = false;
                (void)mv;
                for (size_t i = 0; i < CT_NELEM(metadata_keys) && !ok; i++)
                    ok = strcmp(mk, metadata_keys[i]) == 0;
                if (!ok)
                    jerr(v, mk, "\"%.60s\" is not a metadata property", mk);
            }
            if (json_object_object_get_ex(m, "component", &mc) &&
                json_object_is_type(mc, json_type_object)) {
                ct_jptr_push_key(&v->ptr, "component");
                j_component(v, mc);
                ct_jptr_pop(&v->ptr);
            }
            ct_jptr_pop(&v->ptr);
        }
    }
    j_walk(v, root, NULL, 0);
    if (json_object_object_get_ex(root, "dependencies", &m)) {
        if (json_object_is_type(m, json_type_array))
            j_dependencies(v, m);
        else
            jerr(v, "dependencies", "dependencies must be an array");
    }
    check_refs(v);
done:
    json_object_put(root);
}

/* ---- CycloneDX XML ----------------------------------------------------------------------- */

static bool x_is(const xmlNode *n, const char *ns, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           strcmp((const char *)n->ns->href, ns) == 0 &&
           (!name || strcmp((const char *)n->name, name) == 0);
}

static const xmlNode *x_child(const xmlNode *n, const char *ns, const char *name)
{
    for (const xmlNode *c = n->children; c; c = c->next)
        if (x_is(c, ns, name))
            return c;
    return NULL;
}

/* Text children only (no entity expansion); NEW. */
static char *x_text(const xmlNode *n)
{
    ct_buf b = CT_BUF_INIT;
    for (const xmlNode *c = n->children; c; c = c->next)
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
            ct_buf_puts(&b, (const char *)c->content);
    if (b.failed) {
        ct_buf_dispose(&b);
        return NULL;
    }
    return ct_buf_detach(&b);
}

static char *x_attr(const xmlNode *n, const char *name)
{
    xmlChar *a = xmlGetNoNsProp(n, (const xmlChar *)name);
    char *s = a ? ct_strdup((const char *)a) : NULL;
    xmlFree(a);
    return s;
}

static void x_enum_attr(vstate *v, const xmlNode *n, const char *attr, const enumval *e,
                        size_t ne, bool req, const char *what)
{
    char *s = x_attr(n, attr);
    if (!s) {
        if (req)
            xmlerr_at(v, n, "<%s> lacks the required \"%s\" attribute", n->name, attr);
    } else if (!in_enum(e, ne, s, v->minor)) {
        xmlerr_at(v, n, "\"%.100s\" is not a valid %s in CycloneDX 1.%d", s, what, v->minor);
    }
    ct_free(s);
}

/* Semantic checks (both modes) and, when structural, the C rules for each element. */
static void x_walk(vstate *v, const xmlNode *n, bool structural, int depth)
{
    const char *ns = v->ns;
    for (; n; n = n->next) {
        char *s;
        if (!x_is(n, ns, NULL) || depth > 256)
            continue;
        const char *name = (const char *)n->name;
        if ((s = x_attr(n, "bom-ref"))) {
            char where[32];
            snprintf(where, sizeof where, "line %ld", xmlGetLineNo(n));
            if (!*s && structural && v->minor >= 5)
                xmlerr_at(v, n, "bom-ref must not be empty");
            else
                note_ref(v, &v->refs, &v->nrefs, &v->refs_cap, s, where);
            ct_free(s);
        }
        if (strcmp(name, "component") == 0 && n->parent &&
            (x_is(n->parent, ns, "components") || x_is(n->parent, ns, "metadata") ||
             x_is(n->parent, ns, "ancestors") || x_is(n->parent, ns, "descendants") ||
             x_is(n->parent, ns, "variants"))) {
            const xmlNode *c;
            if (structural) {
                x_enum_attr(v, n, "type", component_types, CT_NELEM(component_types), true,
                            "component type");
                if (!x_child(n, ns, "name"))
                    xmlerr_at(v, n, "component lacks the required <name>");
                if ((c = x_child(n, ns, "scope")) && (s = x_text(c))) {
                    if (!IN_ENUM(scopes, s, v->minor))
                        xmlerr_at(v, c, "\"%.100s\" is not a valid scope", s);
                    ct_free(s);
                }
            }
            if ((c = x_child(n, ns, "purl")) && (s = x_text(c))) {
                if (!purl_ok(s))
                    xmlerr_at(v, c, "invalid purl \"%.200s\"", s);
                ct_free(s);
            }
        } else if (structural && strcmp(name, "hash") == 0) {
            x_enum_attr(v, n, "alg", hash_algs, CT_NELEM(hash_algs), true, "hash algorithm");
            if ((s = x_text(n))) {
                if (!hash_content_ok(s))
                    xmlerr_at(v, n, "hash content must be 32, 40, 64, 96 or 128 hex digits");
                ct_free(s);
            }
        } else if (structural && strcmp(name, "license") == 0 && n->parent &&
                   x_is(n->parent, ns, "licenses")) {
            if (!x_child(n, ns, "id") == !x_child(n, ns, "name"))
                xmlerr_at(v, n, "a license needs exactly one of <id> and <name>");
        } else if (structural && strcmp(name, "licenses") == 0) {
            if (x_child(n, ns, "license") && x_child(n, ns, "expression"))
                xmlerr_at(v, n, "<licenses> holds either <license> elements or one "
                                "<expression>");
        } else if (structural && strcmp(name, "timestamp") == 0) {
            if ((s = x_text(n))) {
                if (!datetime_ok(s))
                    xmlerr_at(v, n, "timestamp must be an xs:dateTime");
                ct_free(s);
            }
        } else if (structural && strcmp(name, "reference") == 0 && n->parent &&
                   x_is(n->parent, ns, "externalReferences")) {
            x_enum_attr(v, n, "type", extref_types, CT_NELEM(extref_types), true,
                        "external reference type");
        } else if (structural && strcmp(name, "patch") == 0) {
            x_enum_attr(v, n, "type", patch_types, CT_NELEM(patch_types), true, "patch type");
        } else if (structural && strcmp(name, "issue") == 0) {
            x_enum_attr(v, n, "type", issue_types, CT_NELEM(issue_types), true, "issue type");
        } else if (structural && strcmp(name, "property") == 0 && v->minor >= 5) {
            if (!(s = x_attr(n, "name")))
                xmlerr_at(v, n, "<property> lacks the required \"name\" attribute");
            ct_free(s);
        } else if (strcmp(name, "dependency") == 0 && n->parent &&
                   ((x_is(n->parent, ns, "dependencies") && n->parent->parent &&
                     x_is(n->parent->parent, ns, "bom")) ||
                    (x_is(n->parent, ns, "dependency") && n->parent->parent &&
                     n->parent->parent->parent && x_is(n->parent->parent->parent, ns, "bom")))) {
            char where[32];
            snprintf(where, sizeof where, "line %ld", xmlGetLineNo(n));
            if (!(s = x_attr(n, "ref")) || !*s) {
                if (structural)
                    xmlerr_at(v, n, "<dependency> needs a non-empty \"ref\" attribute");
            } else {
                note_ref(v, &v->uses, &v->nuses, &v->uses_cap, s, where);
            }
            ct_free(s);
        }
        x_walk(v, n->children, structural, depth + 1);
    }
}

static void schema_error(void *payload, xmlErrorPtr e)
{
    vstate *v = payload;
    char where[32];
    size_t mlen;
    if (!e)
        return;
    mlen = e->message ? strlen(e->message) : 0;
    while (mlen && (e->message[mlen - 1] == '\n' || e->message[mlen - 1] == ' '))
        mlen--;
    snprintf(where, sizeof where, "line %d", e->line);
    add_error(v, where, "%.*s", (int)(mlen > 400 ? 400 : mlen), e->message ? e->message : "");
}

static void schema_quiet(void *payload, xmlErrorPtr e)
{
    (void)payload;
    (void)e;
}

/* Compile dir/bom-1.x.xsd with its spdx import redirected to dir/spdx.xsd (never the network).
 * NULL when unavailable. */
static xmlSchemaPtr load_xsd(const char *dir, int minor)
{
    static const char remote[] = "schemaLocation=\"http://cyclonedx.org/schema/spdx\"";
    char name[32], *path, *text = NULL, *spdx = NULL, abs[PATH_MAX];
    ct_buf b = CT_BUF_INIT;
    xmlDocPtr doc = NULL;
    xmlSchemaParserCtxtPtr pc = NULL;
    xmlSchemaPtr schema = NULL;
    size_t len;
    const char *hit;

    snprintf(name, sizeof name, "bom-1.%d.xsd", minor);
    path = path_join(dir, name);
    spdx = path_join(dir, "spdx.xsd");
    if (!path || !spdx || ct_file_read(&text, &len, path, 16u << 20) < 0)
        goto done;
    if (spdx[0] == '/')
        snprintf(abs, sizeof abs, "%s", spdx);
    else if (!getcwd(abs, sizeof abs) ||
             (size_t)snprintf(abs + strlen(abs), sizeof abs - strlen(abs), "/%s", spdx) >=
                 sizeof abs - strlen(abs))
        goto done;
    if ((hit = strstr(text, remote))) {
        ct_buf_put(&b, text, (size_t)(hit - text));
        ct_buf_puts(&b, "schemaLocation=\"file://");
        ct_buf_puts(&b, abs);
        ct_buf_putc(&b, '"');
        ct_buf_puts(&b, hit + sizeof remote - 1);
    } else {
        ct_buf_put(&b, text, len);
    }
    if (b.failed || b.len > INT_MAX)
        goto done;
    doc = xmlReadMemory(b.ptr, (int)b.len, path, NULL,
                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc || !(pc = xmlSchemaNewDocParserCtxt(doc)))
        goto done;
    xmlSchemaSetParserStructuredErrors(pc, schema_quiet, NULL);
    schema = xmlSchemaParse(pc);
done:
    ct_error_clear();
    xmlSchemaFreeParserCtxt(pc);
    xmlFreeDoc(doc);
    ct_buf_dispose(&b);
    ct_free(text);
    ct_free(path);
    ct_free(spdx);
    return schema;
}

static void validate_xml(vstate *v, const char *data, size_t len, const char *source,
                         const char *schema_dir)
{
    xmlParserCtxtPtr pc = NULL;
    xmlDocPtr doc = NULL;
    const xmlNode *root;
    xmlSchemaPtr schema = NULL;

    (void)source;
    v->rep->format = ct_strdup("cyclonedx-xml");
    if (len > INT_MAX || !(pc = xmlNewParserCtxt())) {
        v->failed = true;
        return;
    }
    doc = xmlCtxtReadMemory(pc, data, (int)len, NULL, NULL,
                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc || !pc->wellFormed) {
        const xmlError *e = xmlCtxtGetLastError(pc);
        char where[48];
        size_t mlen = e && e->message ? strlen(e->message) : 0;
        while (mlen && (e->message[mlen - 1] == '\n' || e->message[mlen - 1] == ' '))
            mlen--;
        snprintf(where, sizeof where, "line %d", e ? e->line : 0);
        add_error(v, where, "XML: %.*s", (int)(mlen > 400 ? 400 : mlen),
                  mlen ? e->message : "not well-formed");
        goto done;
    }
    if (doc->intSubset || doc->extSubset) {
        add_error(v, "line 1", "DOCTYPE declarations are not allowed");
        goto done;
    }
    root = xmlDocGetRootElement(doc);
    if (!root || strcmp((const char *)root->name, "bom") != 0 || !root->ns || !root->ns->href ||
        strncmp((const char *)root->ns->href, CDX_NS_PREFIX, strlen(CDX_NS_PREFIX)) != 0) {
        xmlerr_at(v, root, "not a CycloneDX document: the root must be <bom> in "
                           "http://cyclonedx.org/schema/bom/1.x");
        goto done;
    }
    v->ns = (const char *)root->ns->href;
    {
        const char *spec = v->ns + strlen(CDX_NS_PREFIX);
        v->rep->spec_version = ct_strdup(spec);
        if (strlen(spec) == 3 && spec[0] == '1' && spec[1] == '.' && spec[2] >= '4' &&
            spec[2] <= '7') {
            v->minor = spec[2] - '0';
        } else {
            xmlerr_at(v, root, "unsupported CycloneDX XML version \"%.20s\" (1.4 to 1.7)", spec);
            goto done;
        }
    }
    if (schema_dir && (schema = load_xsd(schema_dir, v->minor))) {
        xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(schema);
        if (!vc) {
            v->failed = true;
            goto done;
        }
        xmlSchemaSetValidStructuredErrors(vc, schema_error, v);
        if (xmlSchemaValidateDoc(vc, doc) != 0 && v->rep->nerrors == 0)
            add_error(v, "line 1", "the document does not validate against bom-1.%d.xsd",
                      v->minor);
        xmlSchemaFreeValidCtxt(vc);
        v->rep->schema_checked = true;
    } else {
        char *s;
        if ((s = x_attr(root, "serialNumber"))) {
            if (!serial_ok(s))
                xmlerr_at(v, root, "serialNumber must match urn:uuid:<RFC 4122 UUID>");
            ct_free(s);
        }
        if ((s = x_attr(root, "version"))) {
            int64_t ver;
            if (ct_parse_i64(&ver, s, strlen(s), 1, INT64_MAX) < 0)
                xmlerr_at(v, root, "version must be an integer >= 1");
            ct_error_clear();
            ct_free(s);
        }
    }
    x_walk(v, root->children, !v->rep->schema_checked, 0);
    check_refs(v);
done:
    if (schema)
        xmlSchemaFree(schema);
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(pc);
}

/* ---- entry ------------------------------------------------------------------------------- */

static const char *pick_schema_dir(const ct_sbom_validate_options *o)
{
    const char *d;
    struct stat sb;
    if (o && o->no_schema)
        return NULL;
    if (o && o->schema_dir)
        return o->schema_dir;
    if ((d = getenv(CT_CYCLONEDX_SCHEMA_ENV)) && *d)
        return d;
    if (stat(CT_CYCLONEDX_SCHEMA_DEFAULT, &sb) == 0 && S_ISDIR(sb.st_mode))
        return CT_CYCLONEDX_SCHEMA_DEFAULT;
    return NULL;
}

int ct_sbom_validate_ex(ct_sbom_report **out, const ct_ctx *ctx, const char *data, size_t len,
                        const char *source, const ct_sbom_validate_options *opts)
{
    const char *dir = pick_schema_dir(opts);
    vstate v;
    size_t i = 0, bom = 0;
    int rc = CT_OK;

    *out = NULL;
    if (len > ct_ctx_limits(ctx)->max_doc_bytes) {
        ct_loc loc = { source, 0, 0, -1, NULL };
        return ct_error_set_at(&loc, CT_ELIMIT, "document larger than max_doc_bytes");
    }
    memset(&v, 0, sizeof v);
    v.ctx = ctx;
    ct_jptr_init(&v.ptr);
    if (!(v.rep = ct_calloc(1, sizeof *v.rep)))
        return ct_error_set(CT_ENOMEM, "out of memory");
    v.rep->valid = true;
    if (len >= 3 && (unsigned char)data[0] == 0xEF && (unsigned char)data[1] == 0xBB &&
        (unsigned char)data[2] == 0xBF)
        i = bom = 3;
    while (i < len && (data[i] == ' ' || data[i] == '\n' || data[i] == '\r' || data[i] == '\t'))
        i++;
    if (i < len && data[i] == '{') {
        if (dir)
            load_spdx_ids(&v, dir);
        validate_json(&v, data + bom, len - bom, source ? source : "-");
    } else if (i < len && data[i] == '<') {
        validate_xml(&v, data + bom, len - bom, source ? source : "-", dir);
    } else {
        add_error(&v, "1:1", "not a recognised SBOM format (CycloneDX JSON or XML)");
    }
    for (size_t k = 0; k < v.nrefs; k++) {
        ct_free(v.refs[k].ref);
        ct_free(v.refs[k].where);
    }
    for (size_t k = 0; k < v.nuses; k++) {
        ct_free(v.uses[k].ref);
        ct_free(v.uses[k].where);
    }
    for (size_t k = 0; k < v.nspdx; k++)
        ct_free(v.spdx_ids[k]);
    ct_free(v.spdx_ids);
    ct_free(v.refs);
    ct_free(v.uses);
    if (v.failed) {
        ct_sbom_report_free(v.rep);
        return ct_error_set(CT_ENOMEM, "out of memory");
    }
    v.rep->valid = v.rep->nerrors == 0;
    *out = v.rep;
    return rc;
}

int ct_sbom_validate(ct_sbom_report **out, const ct_ctx *ctx, const char *data, size_t len,
                     const char *source)
{
    return ct_sbom_validate_ex(out, ctx, data, len, source, NULL);
}

/* SBOM validation: CycloneDX JSON structural rules (the parts of the 1.4-1.7 JSON schemas that
 * matter for interchange) in C; CycloneDX XML in validate_xml.c (streamed C rules, the XSD on
 * request); semantic checks (duplicate bom-refs,
 * dangling dependency refs, invalid purls) on both. Every finding is collected, none stops the
 * walk. */
#include "cratrace/sbom_validate.h"
#include "cratrace/ident.h"
#include "base/json_int.h"
#include "sbom/cdx_json_int.h"
#include "sbom/profile_int.h"
#include "spdx_int.h"
#include "spdx_validate_int.h"
#include "validate_int.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- report ------------------------------------------------------------------------------ */

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

int ct_sbom__report_add(ct_sbom_report *r, const char *where, const char *msg)
{
    r->valid = false;
    if (r->nerrors == r->errors_cap) {
        size_t ncap = r->errors_cap ? r->errors_cap * 2 : 16;
        ct_sbom_finding *ne = ct_reallocarray(r->errors, ncap, sizeof *ne);
        if (!ne)
            return CT_ENOMEM;
        r->errors = ne;
        r->errors_cap = ncap;
    }
    ct_sbom_finding *f = &r->errors[r->nerrors];
    f->location = ct_strdup(where && *where ? where : "/");
    f->message = ct_strdup(msg);
    if (!f->location || !f->message) {
        ct_free(f->location);
        ct_free(f->message);
        return CT_ENOMEM;
    }
    r->nerrors++;
    return CT_OK;
}

static void add_error(vstate *v, const char *where, const char *fmt, ...) CT_PRINTF(3, 4);

static void add_error(vstate *v, const char *where, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (ct_sbom__report_add(v->rep, where, msg) < 0)
        v->failed = true;
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

static refent *ref_slot(vstate *v, refent **arr, size_t *n, size_t *cap)
{
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        refent *na = ct_reallocarray(*arr, ncap, sizeof *na);
        if (!na) {
            v->failed = true;
            return NULL;
        }
        *arr = na;
        *cap = ncap;
    }
    refent *e = &(*arr)[*n];
    memset(e, 0, sizeof *e);
    e->at = CT_JNONE;
    return e;
}

/* XML: ref and where copied */
static void note_ref(vstate *v, refent **arr, size_t *n, size_t *cap, const char *ref,
                     const char *where)
{
    refent *e = ref_slot(v, arr, n, cap);
    char *r;
    if (!e)
        return;
    r = ct_strdup(ref);
    e->ref = r;
    e->len = r ? strlen(r) : 0;
    e->where = ct_strdup(where && *where ? where : "/");
    if (!r || !e->where) {
        ct_free(r);
        ct_free(e->where);
        v->failed = true;
        return;
    }
    (*n)++;
}

/* JSON: the string value at on the tape, borrowed (no copy, no pointer string: the pointer
 * is rebuilt from the tape only for a finding) */
static void note_jref(vstate *v, refent **arr, size_t *n, size_t *cap, ct_jval at)
{
    refent *e = ref_slot(v, arr, n, cap);
    const char *z;
    if (!e)
        return;
    e->ref = ct_jt_str(v->tape, at, &e->len);
    if ((z = memchr(e->ref, '\0', e->len)))
        e->len = (size_t)(z - e->ref); /* as a C string */
    e->at = at;
    e->formulation = strncmp(v->ptr.buf, "/formulation/", 13) == 0;
    (*n)++;
}

static void refs_release(refent *arr, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        if (arr[k].where) { /* XML: owned */
            ct_free((char *)(uintptr_t)arr[k].ref);
            ct_free(arr[k].where);
        }
    }
    ct_free(arr);
}

static int cmp_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
    int c = memcmp(a, b, alen < blen ? alen : blen);
    return c ? c : (alen > blen) - (alen < blen);
}

static int cmp_refent(const void *a, const void *b)
{
    const refent *x = a, *y = b;
    int c = cmp_bytes(x->ref, x->len, y->ref, y->len);
    if (c)
        return c;
    if (x->where && y->where)
        return strcmp(x->where, y->where);
    return (x->at > y->at) - (x->at < y->at); /* JSON: document order */
}

/* where a ref was found: XML line, or the JSON pointer rebuilt from the tape */
static const char *ref_where(const vstate *v, const refent *e, char *buf, size_t cap)
{
    if (e->where)
        return e->where;
    ct_jt_pointer(buf, cap, v->tape, e->at);
    return *buf ? buf : "/";
}

static bool ref_in_formulation(const refent *e)
{
    return e->where ? strncmp(e->where, "/formulation/", 13) == 0 : e->formulation;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Duplicate bom-refs and dependency refs that name no bom-ref. */
static void check_refs(vstate *v)
{
    char w1[1024], w2[1024];
    if (v->nrefs)
        qsort(v->refs, v->nrefs, sizeof *v->refs, cmp_refent);
    /* formulation re-uses refs of its workflows and tasks (the CycloneDX examples do) */
    for (size_t i = 1; i < v->nrefs; i++) {
        const refent *a = &v->refs[i - 1], *b = &v->refs[i];
        if (cmp_bytes(a->ref, a->len, b->ref, b->len) == 0 && !ref_in_formulation(a) &&
            !ref_in_formulation(b))
            add_error(v, ref_where(v, b, w1, sizeof w1),
                      "duplicate bom-ref \"%.*s\" (first at %.200s)", (int)(b->len < 200 ? b->len : 200),
                      b->ref, ref_where(v, a, w2, sizeof w2));
    }
    for (size_t i = 0; i < v->nuses; i++) {
        const refent *u = &v->uses[i];
        size_t lo = 0, hi = v->nrefs;
        bool found = false;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            int c = cmp_bytes(u->ref, u->len, v->refs[mid].ref, v->refs[mid].len);
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
            add_error(v, ref_where(v, u, w1, sizeof w1),
                      "dependency ref \"%.*s\" names no bom-ref", (int)(u->len < 200 ? u->len : 200),
                      u->ref);
    }
}

/* ---- shared value rules ------------------------------------------------------------------ */

static const enumval component_types[] = {
    { "application", 2 }, { "framework", 2 },  { "library", 2 },
    { "container", 2 },   { "platform", 5 },   { "operating-system", 2 },
    { "device", 2 },      { "device-driver", 5 }, { "firmware", 2 },
    { "file", 2 },        { "machine-learning-model", 5 }, { "data", 5 },
    { "cryptographic-asset", 6 },
};
static const enumval hash_algs[] = {
    { "MD5", 2 },         { "SHA-1", 2 },       { "SHA-256", 2 },     { "SHA-384", 2 },
    { "SHA-512", 2 },     { "SHA3-256", 2 },    { "SHA3-384", 2 },    { "SHA3-512", 2 },
    { "BLAKE2b-256", 2 }, { "BLAKE2b-384", 2 }, { "BLAKE2b-512", 2 }, { "BLAKE3", 2 },
    { "Streebog-256", 7 }, { "Streebog-512", 7 },
};
static const enumval scopes[] = { { "required", 2 }, { "optional", 2 }, { "excluded", 2 } };
static const enumval flows[] = {
    { "inbound", 2 }, { "outbound", 2 }, { "bi-directional", 2 }, { "unknown", 2 },
};
static const enumval patch_types[] = {
    { "unofficial", 2 }, { "monkey", 2 }, { "backport", 2 }, { "cherry-pick", 2 },
};
static const enumval issue_types[] = { { "defect", 2 }, { "enhancement", 2 }, { "security", 2 } };
static const enumval encodings[] = { { "base64", 2 } };
static const enumval extref_types[] = {
    { "vcs", 2 }, { "issue-tracker", 2 }, { "website", 2 }, { "advisories", 2 }, { "bom", 2 },
    { "mailing-list", 2 }, { "social", 2 }, { "chat", 2 }, { "documentation", 2 },
    { "support", 2 }, { "source-distribution", 6 }, { "distribution", 2 },
    { "distribution-intake", 5 }, { "license", 2 }, { "build-meta", 2 }, { "build-system", 2 },
    { "release-notes", 4 }, { "security-contact", 5 }, { "model-card", 5 }, { "log", 5 },
    { "configuration", 5 }, { "evidence", 5 }, { "formulation", 5 }, { "attestation", 5 },
    { "threat-model", 5 }, { "adversary-model", 5 }, { "risk-assessment", 5 },
    { "vulnerability-assertion", 5 }, { "exploitability-statement", 5 },
    { "pentest-report", 5 }, { "static-analysis-report", 5 }, { "dynamic-analysis-report", 5 },
    { "runtime-analysis-report", 5 }, { "component-analysis-report", 5 },
    { "maturity-report", 5 }, { "certification-report", 5 }, { "codified-infrastructure", 5 },
    { "quality-metrics", 5 }, { "poam", 5 }, { "electronic-signature", 6 },
    { "digital-signature", 6 }, { "rfc-9116", 6 }, { "patent", 7 }, { "patent-family", 7 },
    { "patent-assertion", 7 }, { "citation", 7 }, { "other", 2 },
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

/* ---- shared with validate_xml.c (validate_int.h) ----------------------------------------- */

#define ENUMTAB(t) { t, CT_NELEM(t) }
const ct_sbom__enumtab ct_sbom__enum_component_types = ENUMTAB(component_types),
                       ct_sbom__enum_hash_algs = ENUMTAB(hash_algs),
                       ct_sbom__enum_scopes = ENUMTAB(scopes), ct_sbom__enum_flows = ENUMTAB(flows),
                       ct_sbom__enum_patch_types = ENUMTAB(patch_types),
                       ct_sbom__enum_issue_types = ENUMTAB(issue_types),
                       ct_sbom__enum_encodings = ENUMTAB(encodings),
                       ct_sbom__enum_extref_types = ENUMTAB(extref_types);

void ct_sbom__verr(vstate *v, const char *where, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    add_error(v, where, "%s", msg);
}

void ct_sbom__note_ref(vstate *v, bool use, const char *ref, const char *where)
{
    if (use)
        note_ref(v, &v->uses, &v->nuses, &v->uses_cap, ref, where);
    else
        note_ref(v, &v->refs, &v->nrefs, &v->refs_cap, ref, where);
}

void ct_sbom__check_refs(vstate *v)
{
    check_refs(v);
}

bool ct_sbom__in_enum(const ct_sbom__enumtab *t, const char *s, int minor)
{
    return in_enum(t->v, t->n, s, minor);
}

bool ct_sbom__serial_ok(const char *s)
{
    return serial_ok(s);
}

bool ct_sbom__datetime_ok(const char *s)
{
    return datetime_ok(s);
}

bool ct_sbom__purl_ok(const char *s)
{
    return purl_ok(s);
}

bool ct_sbom__spdx_id_known(const vstate *v, const char *id)
{
    return spdx_id_known(v, id);
}

void ct_sbom__load_spdx_ids(vstate *v, const char *dir)
{
    load_spdx_ids(v, dir);
}

char *ct_sbom__path_join(const char *dir, const char *name)
{
    return path_join(dir, name);
}

/* ---- CycloneDX JSON ---------------------------------------------------------------------- */

/* Over the JSON tape (base/json_tape.h). String values are (bytes, length) into the document;
 * the value rules take C strings, so bounded values are copied into a stack buffer (cut at an
 * embedded NUL, as json-c's C strings were). */

#define JT(v, x) ct_jt_type_of((v)->tape, (x))

/* Copy string x into buf[cap] (cut at cap - 1 bytes or an embedded NUL); returns the length
 * before the cut, or SIZE_MAX when x is not a string. */
static size_t jcopy(const vstate *v, ct_jval x, char *buf, size_t cap)
{
    size_t n;
    const char *s = ct_jt_str(v->tape, x, &n);
    const char *z;
    buf[0] = '\0';
    if (!s)
        return SIZE_MAX;
    if ((z = memchr(s, '\0', n)))
        n = (size_t)(z - s);
    memcpy(buf, s, n < cap ? n : cap - 1);
    buf[n < cap ? n : cap - 1] = '\0';
    return n;
}

/* A string member checked against an enum; required when req. */
static void j_enum(vstate *v, ct_jval o, const char *key, const enumval *e, size_t n, bool req,
                   const char *what)
{
    ct_jval m = ct_jt_get(v->tape, o, key);
    char s[128];
    if (m == CT_JNONE) {
        if (req)
            jerr(v, NULL, "missing required \"%s\"", key);
    } else if (JT(v, m) != CT_JT_STRING) {
        jerr(v, key, "%s must be a string", what);
    } else if (jcopy(v, m, s, sizeof s) >= sizeof s || !in_enum(e, n, s, v->minor)) {
        jerr(v, key, "\"%.100s\" is not a valid %s in CycloneDX 1.%d", s, what, v->minor);
    }
}

static void j_license(vstate *v, ct_jval lic)
{
    ct_jval m, id = ct_jt_get(v->tape, lic, "id");
    bool hid = id != CT_JNONE, hname = ct_jt_get(v->tape, lic, "name") != CT_JNONE;
    if (hid == hname) {
        jerr(v, NULL, "a license needs exactly one of \"id\" and \"name\"");
    } else if (hid) {
        char s[256];
        size_t n = jcopy(v, id, s, sizeof s);
        if (n == SIZE_MAX)
            jerr(v, "id", "license id must be a string");
        else if (n >= sizeof s || !spdx_id_known(v, s))
            jerr(v, "id", "\"%.100s\" is not an SPDX license id", s);
    }
    if ((m = ct_jt_get(v->tape, lic, "text")) != CT_JNONE && JT(v, m) == CT_JT_OBJECT) {
        ct_jptr_push_key(&v->ptr, "text");
        j_enum(v, m, "encoding", encodings, CT_NELEM(encodings), false, "encoding");
        ct_jptr_pop(&v->ptr);
    }
}

/* licenses: [{license} | {expression}]; up to 1.6 the schema's oneOf allows either a list of
 * {license} or exactly one {expression} (1.7 lets them mix) */
static void j_licenses(vstate *v, ct_jval arr)
{
    size_t n = 0, nexpr = 0, i = 0;
    ct_jiter it;
    ct_jval l;
    ct_jt_iter(&it, v->tape, arr);
    while (ct_jt_next(&it, v->tape, &l)) {
        n++;
        nexpr += ct_jt_get(v->tape, l, "expression") != CT_JNONE;
    }
    if (v->minor <= 6 && nexpr && n > 1)
        jerr(v, NULL,
             "CycloneDX 1.%d: licenses holds either {\"license\"} objects or exactly one "
             "{\"expression\"} (found %zu items, %zu expressions)",
             v->minor, n, nexpr);
    ct_jt_iter(&it, v->tape, arr);
    for (; ct_jt_next(&it, v->tape, &l); i++) {
        ct_jptr_push_index(&v->ptr, i);
        if (JT(v, l) != CT_JT_OBJECT) {
            jerr(v, NULL, "expected a license choice object");
        } else {
            ct_jval lic = ct_jt_get(v->tape, l, "license");
            bool hl = lic != CT_JNONE, he = ct_jt_get(v->tape, l, "expression") != CT_JNONE;
            if (hl == he)
                jerr(v, NULL, "a license choice holds exactly one of \"license\" and "
                              "\"expression\"");
            else if (hl && JT(v, lic) != CT_JT_OBJECT)
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

/* json-c's json_object_get_boolean() on any type */
static bool j_truthy(const vstate *v, ct_jval x)
{
    size_t n;
    switch (JT(v, x)) {
    case CT_JT_BOOL:
        return ct_jt_bool(v->tape, x);
    case CT_JT_NUMBER:
        return ct_jt_double(v->tape, x) != 0;
    case CT_JT_STRING:
        return ct_jt_str(v->tape, x, &n) && n > 0;
    default:
        return false;
    }
}

static void j_component(vstate *v, ct_jval c)
{
    ct_jval m;

    j_enum(v, c, "type", component_types, CT_NELEM(component_types), true, "component type");
    if ((m = ct_jt_get(v->tape, c, "name")) == CT_JNONE)
        jerr(v, NULL, "missing required \"name\"");
    else if (JT(v, m) != CT_JT_STRING)
        jerr(v, "name", "name must be a string");
    j_enum(v, c, "scope", scopes, CT_NELEM(scopes), false, "scope");
    if ((m = ct_jt_get(v->tape, c, "purl")) != CT_JNONE) {
        size_t n;
        const char *s = ct_jt_str(v->tape, m, &n), *z;
        if (!s) {
            jerr(v, "purl", "purl must be a string");
        } else {
            ct_purl *p = NULL;
            if ((z = memchr(s, '\0', n)))
                n = (size_t)(z - s);
            if (ct_purl_parse(&p, s, n) < 0)
                jerr(v, "purl", "invalid purl \"%.*s\"", (int)(n < 200 ? n : 200), s);
            ct_purl_free(p);
            ct_error_clear();
        }
    }
    if ((m = ct_jt_get(v->tape, c, "swid")) != CT_JNONE && JT(v, m) == CT_JT_OBJECT) {
        if (ct_jt_get(v->tape, m, "tagId") == CT_JNONE)
            jerr(v, "swid", "missing required \"tagId\"");
        if (ct_jt_get(v->tape, m, "name") == CT_JNONE)
            jerr(v, "swid", "missing required \"name\"");
    }
    if (v->minor >= 7 && ct_jt_get(v->tape, c, "versionRange") != CT_JNONE) {
        ct_jval ext = ct_jt_get(v->tape, c, "isExternal");
        if (ct_jt_get(v->tape, c, "version") != CT_JNONE)
            jerr(v, NULL, "a component has \"version\" or \"versionRange\", not both");
        if (ext == CT_JNONE || !j_truthy(v, ext))
            jerr(v, "versionRange", "\"versionRange\" needs \"isExternal\": true");
    }
}

/* timestamp member value */
static bool j_datetime_ok(vstate *v, ct_jval x)
{
    char buf[64];
    size_t n = jcopy(v, x, buf, sizeof buf);
    if (n == SIZE_MAX)
        return false;
    if (n < sizeof buf)
        return datetime_ok(buf);
    /* a long fraction: check a full copy */
    size_t len;
    const char *s = ct_jt_str(v->tape, x, &len);
    char *d = ct_strndup(s, n);
    bool ok = d && datetime_ok(d);
    if (!d)
        v->failed = true;
    ct_free(d);
    return ok;
}

/* Items of an array member, by the member's name. */
static void j_item(vstate *v, const char *key, ct_jval it)
{
    bool obj = JT(v, it) == CT_JT_OBJECT;
    ct_jval m;

    if (!obj && (strcmp(key, "components") == 0 || strcmp(key, "hashes") == 0 ||
                 strcmp(key, "services") == 0 || strcmp(key, "externalReferences") == 0 ||
                 strcmp(key, "properties") == 0)) {
        jerr(v, NULL, "expected an object");
    } else if (!obj) {
        return;
    } else if (strcmp(key, "components") == 0 || strcmp(key, "ancestors") == 0 ||
               strcmp(key, "descendants") == 0 || strcmp(key, "variants") == 0) {
        j_component(v, it);
    } else if (strcmp(key, "hashes") == 0) {
        char c[160];
        size_t n;
        j_enum(v, it, "alg", hash_algs, CT_NELEM(hash_algs), true, "hash algorithm");
        if ((m = ct_jt_get(v->tape, it, "content")) == CT_JNONE)
            jerr(v, NULL, "missing required \"content\"");
        else if ((n = jcopy(v, m, c, sizeof c)) >= sizeof c || !hash_content_ok(c))
            jerr(v, "content", "hash content must be 32, 40, 64, 96 or 128 hex digits");
    } else if (strcmp(key, "externalReferences") == 0) {
        j_enum(v, it, "type", extref_types, CT_NELEM(extref_types), true,
               "external reference type");
        if (ct_jt_get(v->tape, it, "url") == CT_JNONE)
            jerr(v, NULL, "missing required \"url\"");
    } else if (strcmp(key, "services") == 0) {
        if (ct_jt_get(v->tape, it, "name") == CT_JNONE)
            jerr(v, NULL, "missing required \"name\"");
        if ((m = ct_jt_get(v->tape, it, "data")) != CT_JNONE && JT(v, m) == CT_JT_ARRAY) {
            ct_jiter di;
            ct_jval d;
            size_t k = 0;
            ct_jptr_push_key(&v->ptr, "data");
            ct_jt_iter(&di, v->tape, m);
            for (; ct_jt_next(&di, v->tape, &d); k++) {
                ct_jptr_push_index(&v->ptr, k);
                if (JT(v, d) == CT_JT_OBJECT)
                    j_enum(v, d, "flow", flows, CT_NELEM(flows), true, "data flow");
                ct_jptr_pop(&v->ptr);
            }
            ct_jptr_pop(&v->ptr);
        }
    } else if (strcmp(key, "patches") == 0) {
        j_enum(v, it, "type", patch_types, CT_NELEM(patch_types), true, "patch type");
    } else if (strcmp(key, "resolves") == 0) {
        j_enum(v, it, "type", issue_types, CT_NELEM(issue_types), true, "issue type");
    } else if (strcmp(key, "properties") == 0 && v->minor >= 5) {
        ct_jiter pi;
        ct_jval pk, pv;
        ct_jt_iter(&pi, v->tape, it);
        while (ct_jt_next_member(&pi, v->tape, &pk, &pv)) {
            char kb[256];
            jcopy(v, pk, kb, sizeof kb);
            if (strcmp(kb, "name") != 0 && strcmp(kb, "value") != 0)
                jerr(v, kb, "unexpected property member");
        }
        if (ct_jt_get(v->tape, it, "name") == CT_JNONE)
            jerr(v, NULL, "missing required \"name\"");
    } else if (strcmp(key, "citations") == 0) {
        if (ct_jt_get(v->tape, it, "attributedTo") == CT_JNONE &&
            ct_jt_get(v->tape, it, "process") == CT_JNONE)
            jerr(v, NULL, "a citation needs \"attributedTo\" or \"process\"");
    }
}

/* Rules that depend on the member name, applied to each member of every object. */
static void j_member(vstate *v, const char *key, ct_jval val)
{
    ct_jt_type t = JT(v, val);

    if (strcmp(key, "bom-ref") == 0) {
        size_t n;
        if (t != CT_JT_STRING)
            jerr(v, key, "bom-ref must be a string");
        else if (ct_jt_str(v->tape, val, &n) && !n && v->minor >= 5)
            jerr(v, key, "bom-ref must not be empty");
        else
            note_jref(v, &v->refs, &v->nrefs, &v->refs_cap, val);
    } else if (strcmp(key, "timestamp") == 0) {
        if (t != CT_JT_STRING || !j_datetime_ok(v, val))
            jerr(v, key, "timestamp must be an RFC 3339 date-time");
    } else if (strcmp(key, "licenses") == 0 && t == CT_JT_ARRAY) {
        ct_jptr_push_key(&v->ptr, key);
        j_licenses(v, val);
        ct_jptr_pop(&v->ptr);
    }
    if (t != CT_JT_ARRAY)
        return;
    ct_jiter it;
    ct_jval x;
    size_t i = 0;
    ct_jptr_push_key(&v->ptr, key);
    ct_jt_iter(&it, v->tape, val);
    for (; ct_jt_next(&it, v->tape, &x); i++) {
        ct_jptr_push_index(&v->ptr, i);
        j_item(v, key, x);
        ct_jptr_pop(&v->ptr);
    }
    ct_jptr_pop(&v->ptr);
}

static void j_walk(vstate *v, ct_jval o, int depth)
{
    ct_jiter it;
    ct_jval k, val;
    if (depth > 256)
        return;
    if (JT(v, o) == CT_JT_OBJECT) {
        ct_jt_iter(&it, v->tape, o);
        while (ct_jt_next_member(&it, v->tape, &k, &val)) {
            char kb[256];
            jcopy(v, k, kb, sizeof kb);
            j_member(v, kb, val);
            if (JT(v, val) == CT_JT_OBJECT || JT(v, val) == CT_JT_ARRAY) {
                ct_jptr_push_key(&v->ptr, kb);
                j_walk(v, val, depth + 1);
                ct_jptr_pop(&v->ptr);
            }
        }
    } else if (JT(v, o) == CT_JT_ARRAY) {
        size_t i = 0;
        ct_jt_iter(&it, v->tape, o);
        for (; ct_jt_next(&it, v->tape, &val); i++) {
            if (JT(v, val) != CT_JT_OBJECT && JT(v, val) != CT_JT_ARRAY)
                continue;
            ct_jptr_push_index(&v->ptr, i);
            j_walk(v, val, depth + 1);
            ct_jptr_pop(&v->ptr);
        }
    }
}

/* metadata members by the version that allows them (1.4 and later: the union, as before) */
static const enumval metadata_keys[] = {
    { "authors", 2 },    { "component", 2 },  { "distributionConstraints", 4 },
    { "licenses", 3 },   { "lifecycles", 4 }, { "manufacture", 2 },
    { "manufacturer", 4 }, { "properties", 3 }, { "supplier", 2 },
    { "timestamp", 2 },  { "tools", 2 },
};

typedef struct {
    const char *s;
    size_t len, idx;
} dstr;

static int cmp_dstr(const void *a, const void *b)
{
    const dstr *x = a, *y = b;
    int c = memcmp(x->s, y->s, x->len < y->len ? x->len : y->len);
    if (c)
        return c;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

/* dup[k] = how many earlier string items of arr equal item k (sorted: n log n, not n^2);
 * NEW array of n, NULL when out of memory */
static size_t *dup_counts(vstate *v, ct_jval arr, size_t n)
{
    size_t *dup = ct_calloc(n ? n : 1, sizeof *dup), m = 0, k = 0;
    dstr *d = ct_calloc(n ? n : 1, sizeof *d);
    ct_jiter it;
    ct_jval t;
    if (!dup || !d) {
        ct_free(dup);
        ct_free(d);
        v->failed = true;
        return NULL;
    }
    ct_jt_iter(&it, v->tape, arr);
    for (; ct_jt_next(&it, v->tape, &t); k++) {
        size_t len;
        const char *s = ct_jt_str(v->tape, t, &len);
        if (s)
            d[m++] = (dstr){ s, len, k };
    }
    qsort(d, m, sizeof *d, cmp_dstr);
    for (size_t i = 1, run = 0; i < m; i++) {
        bool same = d[i].len == d[i - 1].len && memcmp(d[i].s, d[i - 1].s, d[i].len) == 0;
        run = same ? run + 1 : 0;
        dup[d[i].idx] = run;
    }
    ct_free(d);
    return dup;
}

static void j_depends_on(vstate *v, ct_jval on)
{
    size_t n = ct_jt_count(v->tape, on), k = 0, *dup = dup_counts(v, on, n);
    ct_jiter it;
    ct_jval t;
    if (!dup)
        return;
    ct_jptr_push_key(&v->ptr, "dependsOn");
    ct_jt_iter(&it, v->tape, on);
    for (; ct_jt_next(&it, v->tape, &t); k++) {
        size_t len;
        const char *s = ct_jt_str(v->tape, t, &len);
        ct_jptr_push_index(&v->ptr, k);
        if (!s || !len)
            jerr(v, NULL, "dependsOn items are non-empty strings");
        else
            note_jref(v, &v->uses, &v->nuses, &v->uses_cap, t);
        for (size_t j = 0; j < dup[k]; j++)
            jerr(v, NULL, "dependsOn items must be unique");
        ct_jptr_pop(&v->ptr);
    }
    ct_jptr_pop(&v->ptr);
    ct_free(dup);
}

static void j_dependencies(vstate *v, ct_jval arr)
{
    ct_jiter it;
    ct_jval d;
    size_t i = 0;
    ct_jptr_push_key(&v->ptr, "dependencies");
    ct_jt_iter(&it, v->tape, arr);
    for (; ct_jt_next(&it, v->tape, &d); i++) {
        ct_jval ref, on;
        size_t len;
        ct_jptr_push_index(&v->ptr, i);
        if (JT(v, d) != CT_JT_OBJECT) {
            jerr(v, NULL, "expected a dependency object");
            ct_jptr_pop(&v->ptr);
            continue;
        }
        if ((ref = ct_jt_get(v->tape, d, "ref")) == CT_JNONE)
            jerr(v, NULL, "missing required \"ref\"");
        else if (!ct_jt_str(v->tape, ref, &len) || !len)
            jerr(v, "ref", "ref must be a non-empty string");
        else
            note_jref(v, &v->uses, &v->nuses, &v->uses_cap, ref);
        if ((on = ct_jt_get(v->tape, d, "dependsOn")) != CT_JNONE) {
            if (JT(v, on) != CT_JT_ARRAY)
                jerr(v, "dependsOn", "dependsOn must be an array");
            else
                j_depends_on(v, on);
        }
        ct_jptr_pop(&v->ptr);
    }
    ct_jptr_pop(&v->ptr);
}

/* The rules over a tokenized document (root value 0). */
static void validate_tape(vstate *v)
{
    ct_jval root = 0, m;
    char s[64];
    size_t n;

    if (JT(v, root) != CT_JT_OBJECT) {
        add_error(v, "/", "a CycloneDX document is a JSON object");
        return;
    }
    m = ct_jt_get(v->tape, root, "bomFormat");
    if (jcopy(v, m, s, sizeof s) == SIZE_MAX || strcmp(s, "CycloneDX") != 0)
        jerr(v, "bomFormat", "bomFormat must be \"CycloneDX\"");
    m = ct_jt_get(v->tape, root, "specVersion");
    if ((n = jcopy(v, m, s, sizeof s)) == SIZE_MAX) {
        jerr(v, "specVersion", "missing or non-string specVersion");
        return;
    }
    v->rep->spec_version = ct_strdup(s);
    if (n == 3 && s[0] == '1' && s[1] == '.' && s[2] >= '2' && s[2] <= '7') {
        v->minor = s[2] - '0';
    } else {
        jerr(v, "specVersion", "unsupported specVersion \"%.20s\" (1.2 to 1.7)", s);
        return;
    }
    if ((m = ct_jt_get(v->tape, root, "serialNumber")) != CT_JNONE) {
        if ((n = jcopy(v, m, s, sizeof s)) == SIZE_MAX)
            jerr(v, "serialNumber", "serialNumber must be a string");
        else if (n >= sizeof s || !serial_ok(s))
            jerr(v, "serialNumber",
                 "serialNumber must match urn:uuid:<RFC 4122 UUID, lower case>");
    }
    if ((m = ct_jt_get(v->tape, root, "version")) != CT_JNONE &&
        (!ct_jt_is_int(v->tape, m) || (v->minor >= 5 && ct_jt_int64(v->tape, m) < 1) ||
         ct_jt_int64(v->tape, m) < 0))
        jerr(v, "version", "version must be an integer >= 1");
    if ((m = ct_jt_get(v->tape, root, "metadata")) != CT_JNONE) {
        if (JT(v, m) != CT_JT_OBJECT) {
            jerr(v, "metadata", "metadata must be an object");
        } else {
            ct_jiter it;
            ct_jval mk, mv, mc;
            ct_jptr_push_key(&v->ptr, "metadata");
            ct_jt_iter(&it, v->tape, m);
            while (ct_jt_next_member(&it, v->tape, &mk, &mv)) {
                char kb[256];
                jcopy(v, mk, kb, sizeof kb);
                if (!IN_ENUM(metadata_keys, kb, v->minor))
                    jerr(v, kb, "\"%.60s\" is not a metadata property", kb);
            }
            if ((mc = ct_jt_get(v->tape, m, "component")) != CT_JNONE &&
                JT(v, mc) == CT_JT_OBJECT) {
                ct_jptr_push_key(&v->ptr, "component");
                j_component(v, mc);
                ct_jptr_pop(&v->ptr);
            }
            ct_jptr_pop(&v->ptr);
        }
    }
    j_walk(v, root, 0);
    if ((m = ct_jt_get(v->tape, root, "dependencies")) != CT_JNONE) {
        if (JT(v, m) == CT_JT_ARRAY)
            j_dependencies(v, m);
        else
            jerr(v, "dependencies", "dependencies must be an array");
    }
    check_refs(v);
}

/* Tokenize once; validate; and when model is not NULL read the model from the same tape
 * (*model NULL when the reader fails: its error stays in ct_error_last()). */
static void validate_json_model(vstate *v, const char *data, size_t len, const char *source,
                                ct_sbom **model)
{
    ct_jtape tape = CT_JTAPE_INIT;

    v->rep->format = ct_strdup("cyclonedx-json");
    if (ct_jtape_parse(&tape, v->ctx, data, len, source, 0) < 0) {
        const ct_error *e = ct_error_last();
        char where[48];
        snprintf(where, sizeof where, "%u:%u", e->line, e->column);
        add_error(v, where, "%s", e->message);
        if (!model) /* else the reader's error: the same syntax error */
            ct_error_clear();
        ct_jtape_dispose(&tape);
        return;
    }
    v->tape = &tape;
    validate_tape(v);
    /* the bom-ref lists are done with (check_refs ran): free them before the model is read,
     * so they do not add to the peak (issue 5) */
    refs_release(v->refs, v->nrefs);
    refs_release(v->uses, v->nuses);
    v->refs = v->uses = NULL;
    v->nrefs = v->nuses = v->refs_cap = v->uses_cap = 0;
    if (model && ct_sbom__cdx_json_read(model, v->ctx, &tape, source) < 0)
        *model = NULL;
    v->tape = NULL;
    ct_jtape_dispose(&tape);
}

static void validate_json(vstate *v, const char *data, size_t len, const char *source)
{
    validate_json_model(v, data, len, source, NULL);
}

static void vstate_release(vstate *v)
{
    refs_release(v->refs, v->nrefs);
    refs_release(v->uses, v->nuses);
    for (size_t k = 0; k < v->nspdx; k++)
        ct_free(v->spdx_ids[k]);
    ct_free(v->spdx_ids);
    v->refs = v->uses = NULL;
    v->spdx_ids = NULL;
    v->nrefs = v->nuses = v->nspdx = 0;
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

/* CycloneDX XML: the XSD folder when the XSD is to run (CT_SBOM_XSD_*), else NULL */
static const char *pick_xsd_dir(const ct_sbom_validate_options *o, const char *dir)
{
    const char *env = getenv(CT_CYCLONEDX_SCHEMA_ENV);
    int mode = o ? o->xsd : CT_SBOM_XSD_AUTO;
    if (!dir || mode == CT_SBOM_XSD_OFF)
        return NULL;
    if (mode == CT_SBOM_XSD_ON || (o && o->schema_dir) || (env && *env))
        return dir;
    return NULL;
}

/* The set-up every validation entry shares: the size limit, an empty state and report. */
static int vstate_start(vstate *v, const ct_ctx *ctx, size_t len, const char *source)
{
    if (len > ct_ctx_limits(ctx)->max_doc_bytes) {
        ct_loc loc = { source, 0, 0, -1, NULL };
        return ct_error_set_at(&loc, CT_ELIMIT, "document larger than max_doc_bytes");
    }
    memset(v, 0, sizeof *v);
    v->ctx = ctx;
    ct_jptr_init(&v->ptr);
    if (!(v->rep = ct_calloc(1, sizeof *v->rep)))
        return ct_error_set(CT_ENOMEM, "out of memory");
    return 0;
}

int ct_sbom_validate_ex(ct_sbom_report **out, const ct_ctx *ctx, const char *data, size_t len,
                        const char *source, const ct_sbom_validate_options *opts)
{
    const char *dir = pick_schema_dir(opts);
    vstate v;
    size_t i = 0, bom = 0;
    int rc = CT_OK;

    *out = NULL;
    if ((rc = vstate_start(&v, ctx, len, source)) < 0)
        return rc;
    v.rep->valid = true;
    bom = ct_sbom__bom_len(data, len);
    i = ct_sbom__doc_start(data, len);
    if ((i < len && data[i] == '{' && ct_sbom__is_spdx_json(data + i, len - i)) ||
        ct_sbom__is_spdx_tv(data + bom, len - bom)) {
        /* SPDX JSON / tag-value: spdx_validate.c */
        if (ct_sbom__validate_spdx(v.rep, ctx, data + bom, len - bom, source,
                                   i < len && data[i] == '{', opts) < 0)
            v.failed = true;
    } else if (i < len && data[i] == '{') {
        if (dir)
            load_spdx_ids(&v, dir);
        validate_json(&v, data + bom, len - bom, source ? source : "-");
    } else if (i < len && data[i] == '<') {
        ct_sbom__validate_xml(&v, data + bom, len - bom, pick_xsd_dir(opts, dir), dir);
    } else {
        add_error(&v, "1:1", "not a recognised SBOM format (CycloneDX JSON or XML)");
    }
    vstate_release(&v);
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

/* CycloneDX XML (ct_sbom_parse_validate): ct_sbom_validate_ex's XML branch with the model read
 * from the validator's SAX pass (validate_xml.c); ct_sbom_parse reads it when that pass leaves it
 * (a document the reader refuses: its error stays in ct_error_last(), as before). */
static int parse_validate_xml(ct_sbom **sbom_out, ct_sbom_report **out, const ct_ctx *ctx,
                              const char *data, size_t len, const char *source,
                              const ct_sbom_validate_options *opts)
{
    const char *dir = pick_schema_dir(opts);
    size_t bom = ct_sbom__bom_len(data, len);
    ct_sbom *model = NULL;
    vstate v;
    int rc;

    if ((rc = vstate_start(&v, ctx, len, source)) < 0)
        return rc;
    v.rep->valid = true;
    ct_sbom__validate_xml_model(&v, data + bom, len - bom, pick_xsd_dir(opts, dir), dir, &model);
    vstate_release(&v);
    if (v.failed) {
        ct_sbom_free(model);
        ct_sbom_report_free(v.rep);
        return ct_error_set(CT_ENOMEM, "out of memory");
    }
    v.rep->valid = v.rep->nerrors == 0;
    *out = v.rep;
    if (!model && ct_sbom_parse(&model, ctx, data, len, source) < 0)
        model = NULL;
    *sbom_out = model;
    return 0;
}

int ct_sbom_parse_validate(ct_sbom **sbom_out, ct_sbom_report **out, const ct_ctx *ctx,
                           const char *data, size_t len, const char *source,
                           const ct_sbom_validate_options *opts)
{
    ct_sbom *model = NULL;
    vstate v;
    size_t i = 0, bom = 0;
    int rc;

    *sbom_out = NULL;
    *out = NULL;
    bom = ct_sbom__bom_len(data, len);
    i = ct_sbom__doc_start(data, len);
    if (i < len && data[i] == '{' && ct_sbom__is_spdx_json(data + i, len - i))
        /* SPDX JSON: tokenized once, validated and read from that tape (spdx_validate.c) */
        return ct_sbom__parse_validate_spdx_json(sbom_out, out, ctx, data, len, source, opts);
    if (i < len && data[i] == '<' && !ct_sbom__is_spdx_tv(data + bom, len - bom))
        /* CycloneDX XML: one SAX pass validates and reads the model */
        return parse_validate_xml(sbom_out, out, ctx, data, len, source, opts);
    if (!(i < len && data[i] == '{')) {
        /* not CycloneDX JSON: the format's validator, then its reader */
        if ((rc = ct_sbom_validate_ex(out, ctx, data, len, source, opts)) < 0)
            return rc;
        if (ct_sbom_parse(&model, ctx, data, len, source) == 0)
            *sbom_out = model;
        return 0;
    }
    if ((rc = vstate_start(&v, ctx, len, source)) < 0)
        return rc;
    {
        const char *dir = pick_schema_dir(opts);
        if (dir)
            load_spdx_ids(&v, dir);
    }
    validate_json_model(&v, data + bom, len - bom, source ? source : "-", &model);
    vstate_release(&v);
    if (v.failed) {
        ct_sbom_free(model);
        ct_sbom_report_free(v.rep);
        return ct_error_set(CT_ENOMEM, "out of memory");
    }
    v.rep->valid = v.rep->nerrors == 0;
    *out = v.rep;
    *sbom_out = model;
    return 0;
}

/* ---- one tape for validation, model and profile facts (sbom validate --profile, valprof) -- */

int ct_sbom__parse_validate_tape(ct_sbom **sbom_out, ct_sbom_report **out, const ct_ctx *ctx,
                                 const char *data, size_t len, const char *source,
                                 const ct_sbom_validate_options *opts,
                                 ct_jtape_release_fn release, void *release_payload,
                                 ct_sbom__tape_fn on_tape, void *payload)
{
    ct_jtape tape = CT_JTAPE_INIT;
    ct_sbom *model = NULL;
    const char *dir;
    vstate v;
    size_t i, bom;
    int rc = 0;

    *sbom_out = NULL;
    *out = NULL;
    bom = ct_sbom__bom_len(data, len);
    i = ct_sbom__doc_start(data, len);
    if (!(i < len && data[i] == '{') || ct_sbom__is_spdx_json(data + i, len - i))
        return ct_sbom_parse_validate(sbom_out, out, ctx, data, len, source, opts);
    /* CycloneDX JSON: as ct_sbom_parse_validate (validate_json_model), with the hooks */
    if ((rc = vstate_start(&v, ctx, len, source)) < 0)
        return rc;
    if ((dir = pick_schema_dir(opts)))
        load_spdx_ids(&v, dir);
    source = source ? source : "-";
    v.rep->format = ct_strdup("cyclonedx-json");
    if (ct_jtape_parse_released(&tape, ctx, data + bom, len - bom, source, release,
                                release_payload) < 0) {
        const ct_error *e = ct_error_last();
        char where[48];
        snprintf(where, sizeof where, "%u:%u", e->line, e->column);
        add_error(&v, where, "%s", e->message); /* the reader's error: the same; it stays */
    } else {
        v.tape = &tape;
        validate_tape(&v);
        refs_release(v.refs, v.nrefs); /* done with (check_refs ran): not beside the model */
        refs_release(v.uses, v.nuses);
        v.refs = v.uses = NULL;
        v.nrefs = v.nuses = v.refs_cap = v.uses_cap = 0;
        ct_jt_release(&tape);
        if (ct_sbom__cdx_json_read(&model, ctx, &tape, source) < 0)
            model = NULL; /* the reader's error stays in ct_error_last() */
        else if (on_tape && !v.failed && v.rep->nerrors == 0)
            rc = on_tape(payload, &tape);
        v.tape = NULL;
    }
    ct_jtape_dispose(&tape);
    vstate_release(&v);
    if (v.failed || rc < 0) {
        ct_sbom_free(model);
        ct_sbom_report_free(v.rep);
        return rc < 0 ? rc : ct_error_set(CT_ENOMEM, "out of memory");
    }
    v.rep->valid = v.rep->nerrors == 0;
    *out = v.rep;
    *sbom_out = model;
    return 0;
}

/* SBOM quality profiles: NTIA minimum elements and BSI TR-03183-2 v2.0.0, as tables of checks
 * over the format-neutral model plus the facts of profile_facts.c. Each rule is evaluated once
 * for the document or once per component; a rule answers satisfied, failed (with a message)
 * or not applicable. Score = satisfied / applicable checks. */
#include "cratrace/sbom_profile.h"
#include "sbom/profile_int.h"
#include "spdx_validate_int.h"

#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { NA = -1, FAIL = 0, OK = 1 };
enum { SCOPE_DOC, SCOPE_COMP };

typedef struct {
    const ct_sbom *sbom;
    const ct_sbom_facts *facts; /* may be NULL */
    const ct_component *c;      /* SCOPE_COMP */
    const ct_sbom_facts_component *fc; /* may be NULL */
    const bool *related;        /* per component: takes part in a dependency edge */
    const bool *has_out;        /* per component: has outgoing edges in the model */
    size_t idx;
    bool no_text; /* the findings are only counted: no message is made (xml9) */
    char msg[256];
} subject;

typedef int (*rule_fn)(subject *s);

typedef struct {
    const char *field, *requirement;
    int scope;
    rule_fn fn;
} rule;

static int fail(subject *s, const char *fmt, ...) CT_PRINTF(2, 3);
static int fail(subject *s, const char *fmt, ...)
{
    va_list ap;
    if (s->no_text)
        return FAIL;
    va_start(ap, fmt);
    vsnprintf(s->msg, sizeof s->msg, fmt, ap);
    va_end(ap);
    return FAIL;
}

static bool empty(const char *v)
{
    if (!v)
        return true;
    while (*v == ' ' || *v == '\t')
        v++;
    return !*v || strcmp(v, "NOASSERTION") == 0;
}

static const char *no_facts(const subject *s)
{
    return s->facts ? "" : " (not available: this input keeps no such data)";
}

/* ---- document rules ------------------------------------------------------------------------ */

static int doc_author(subject *s)
{
    if (s->facts && !empty(s->facts->author))
        return OK;
    if (s->facts && s->facts->tool_only)
        return fail(s, "only a tool is named as creator; NTIA asks for the entity that wrote "
                       "the SBOM data");
    return fail(s, "no author of the SBOM data (CycloneDX metadata.authors/manufacturer/"
                   "supplier, SPDX creationInfo.creators Person/Organization)%s",
                no_facts(s));
}

static int doc_creator_contact(subject *s)
{
    if (s->facts && !empty(s->facts->author_contact))
        return OK;
    return fail(s, "no email or URL of the SBOM creator (CycloneDX metadata.authors[].email or "
                   "manufacturer/supplier url or contact email; SPDX creator \"(email)\")%s",
                no_facts(s));
}

static int doc_timestamp(subject *s)
{
    ct_time t;
    const char *ts = s->facts ? s->facts->timestamp : NULL;
    if (!ts)
        return fail(s, "no timestamp (CycloneDX metadata.timestamp, SPDX creationInfo.created)%s",
                    no_facts(s));
    if (ct_time_parse(&t, ts, strlen(ts)) < 0) {
        ct_error_clear();
        return fail(s, "timestamp \"%.40s\" is not an ISO 8601 date-time", ts);
    }
    return OK;
}

static int doc_format(subject *s)
{
    const char *f = s->sbom->format ? s->sbom->format : "", *v = s->sbom->spec_version;
    int major = 0, minor = 0;
    if (!v || sscanf(v, "%d.%d", &major, &minor) != 2)
        return fail(s, "unknown spec version of %s", *f ? f : "the document");
    if (strncmp(f, "cyclonedx", 9) == 0)
        return (major > 1 || (major == 1 && minor >= 5))
                   ? OK
                   : fail(s, "CycloneDX %s: BSI TR-03183-2 v2.0.0 asks for CycloneDX 1.5 or "
                             "later",
                          v);
    if (strncmp(f, "spdx", 4) == 0)
        /* "SPDX-2.2" is also how SPDX 2.2.1 documents name their version */
        return (major > 2 || (major == 2 && minor >= 2))
                   ? OK
                   : fail(s, "SPDX %s: BSI TR-03183-2 v2.0.0 asks for SPDX 2.2.1 or later", v);
    return fail(s, "format %s is neither CycloneDX nor SPDX", *f ? f : "unknown");
}

static int doc_no_vulns(subject *s)
{
    if (!s->facts)
        return NA; /* the model never holds vulnerability data */
    return s->facts->has_vulnerabilities
               ? fail(s, "the SBOM carries vulnerability information; BSI TR-03183-2 wants it "
                         "in a separate CSAF/VEX document")
               : OK;
}

/* ---- component rules ------------------------------------------------------------------------ */

static int c_supplier(subject *s)
{
    return empty(s->c->supplier) ? fail(s, "no supplier name") : OK;
}

static bool has_contact(const char *v)
{
    return v && (strchr(v, '@') || strstr(v, "://"));
}

static int c_creator(subject *s)
{
    if ((s->fc && has_contact(s->fc->creator_contact)) || has_contact(s->c->supplier))
        return OK;
    return fail(s, "no email or URL of the component creator (supplier/manufacturer url or "
                   "contact email)%s",
                s->fc ? "" : no_facts(s));
}

static int c_name(subject *s)
{
    return empty(s->c->name) ? fail(s, "no component name") : OK;
}

static int c_version(subject *s)
{
    return empty(s->c->version) ? fail(s, "no component version") : OK;
}

static int c_unique_ntia(subject *s)
{
    if (!empty(s->c->purl) || !empty(s->c->cpe) ||
        (s->c->hashes && strcmp(s->c->hashes, "[]") != 0))
        return OK;
    return fail(s, "no other unique identifier (purl, CPE or hash)");
}

static int c_unique_bsi(subject *s)
{
    if (!empty(s->c->purl) || !empty(s->c->cpe))
        return OK;
    return fail(s, "no other unique identifier (purl or CPE)");
}

static int c_related(subject *s)
{
    if (s->related[s->idx] || (s->fc && s->fc->deps_stated) || s->sbom->ncomponents == 1)
        return OK;
    return fail(s, "takes part in no dependency relationship");
}

static int c_deps_stated(subject *s)
{
    if (s->has_out[s->idx] || (s->fc && s->fc->deps_stated))
        return OK;
    return fail(s, "its dependencies are not stated (no dependency entry for it, not even an "
                   "empty one)%s",
                s->fc ? "" : no_facts(s));
}

/* Types that are no file of their own. */
static bool fileless(const char *type)
{
    static const char *const t[] = { "device", "platform", "service", "cryptographic-asset" };
    for (size_t i = 0; type && i < CT_NELEM(t); i++)
        if (strcmp(type, t[i]) == 0)
            return true;
    return false;
}

static int c_filename(subject *s)
{
    if (fileless(s->c->type))
        return NA;
    if (s->fc && !empty(s->fc->filename))
        return OK;
    return fail(s, "no filename (CycloneDX property bsi:component:filename, SPDX "
                   "packageFileName)%s",
                s->fc ? "" : no_facts(s));
}

/* SPDX licence expression syntax: term ((AND|OR) term)*, term = "(" expr ")" | id ["+"]
 * [WITH id]; ids are [A-Za-z0-9.-]+ (LicenseRef-/DocumentRef- forms included). */
typedef struct {
    const char *p;
    int depth;
} lexer;

static size_t word(lexer *l, const char **w)
{
    while (*l->p == ' ')
        l->p++;
    *w = l->p;
    if (*l->p == '(' || *l->p == ')')
        return 1;
    const char *q = l->p;
    while ((*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') ||
           *q == '.' || *q == '-' || *q == ':' || *q == '+')
        q++;
    return (size_t)(q - l->p);
}

static bool is_kw(const char *w, size_t n, const char *kw)
{
    return n == strlen(kw) && memcmp(w, kw, n) == 0;
}

static bool expr(lexer *l);

static bool term(lexer *l)
{
    const char *w;
    size_t n = word(l, &w);
    if (n == 1 && *w == '(') {
        if (++l->depth > 32)
            return false;
        l->p += 1;
        if (!expr(l))
            return false;
        n = word(l, &w);
        if (n != 1 || *w != ')')
            return false;
        l->p += 1;
        l->depth--;
        return true;
    }
    if (!n || *w == '(' || *w == ')' || is_kw(w, n, "AND") || is_kw(w, n, "OR") ||
        is_kw(w, n, "WITH"))
        return false;
    l->p += n;
    n = word(l, &w);
    if (is_kw(w, n, "WITH")) {
        l->p += n;
        n = word(l, &w);
        if (!n || *w == '(' || *w == ')')
            return false;
        l->p += n;
    }
    return true;
}

static bool expr(lexer *l)
{
    const char *w;
    size_t n;
    if (!term(l))
        return false;
    while ((n = word(l, &w)) && (is_kw(w, n, "AND") || is_kw(w, n, "OR"))) {
        l->p += n;
        if (!term(l))
            return false;
    }
    return true;
}

static bool spdx_expression(const char *v)
{
    lexer l = { v, 0 };
    const char *w;
    if (!expr(&l))
        return false;
    return word(&l, &w) == 0 && *l.p == '\0';
}

static int c_licenses(subject *s)
{
    const char *v = s->c->licenses;
    if (empty(v) || strcmp(v, "NONE") == 0)
        return fail(s, "no licence");
    if (!spdx_expression(v))
        return fail(s, "licence \"%.80s\" is not an SPDX licence expression", v);
    return OK;
}

static bool hex(const char *v, size_t n)
{
    if (strlen(v) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((v[i] >= '0' && v[i] <= '9') || (v[i] >= 'a' && v[i] <= 'f') ||
              (v[i] >= 'A' && v[i] <= 'F')))
            return false;
    return true;
}

static int c_sha512(subject *s)
{
    json_object *arr = NULL;
    int r = FAIL;
    bool seen = false;
    /* a text without "SHA-512" and without an escape names no such alg: not parsed (json-c per
     * component was a quarter of a `bsi` run's instructions; xml9) */
    if (s->c->hashes && (strstr(s->c->hashes, "SHA-512") || strchr(s->c->hashes, '\\')))
        arr = json_tokener_parse(s->c->hashes);
    for (size_t i = 0; arr && json_object_is_type(arr, json_type_array) &&
                       i < json_object_array_length(arr) && r != OK;
         i++) {
        json_object *h = json_object_array_get_idx(arr, i), *a, *c;
        if (!json_object_object_get_ex(h, "alg", &a) ||
            !json_object_object_get_ex(h, "content", &c) ||
            strcmp(json_object_get_string(a), "SHA-512") != 0)
            continue;
        seen = true;
        if (hex(json_object_get_string(c), 128))
            r = OK;
    }
    json_object_put(arr);
    if (r == OK)
        return OK;
    return seen ? fail(s, "the SHA-512 hash is not 128 hex digits")
                : fail(s, "no SHA-512 hash of the deployable component");
}

static int property(subject *s, const char *v, const char *name, const char *a, const char *b)
{
    if (!s->facts || !s->facts->has_properties)
        return s->facts ? NA : fail(s, "no %s property%s", name, no_facts(s));
    if (!s->fc || empty(v))
        return fail(s, "no property bsi:component:%s (%s or %s)", name, a, b);
    if (strcmp(v, a) != 0 && strcmp(v, b) != 0)
        return fail(s, "bsi:component:%s is \"%.40s\", expected %s or %s", name, v, a, b);
    return OK;
}

static int c_executable(subject *s)
{
    return property(s, s->fc ? s->fc->executable : NULL, "executable", "executable",
                    "non-executable");
}

static int c_archive(subject *s)
{
    return property(s, s->fc ? s->fc->archive : NULL, "archive", "archive", "no archive");
}

static int c_structured(subject *s)
{
    return property(s, s->fc ? s->fc->structured : NULL, "structured", "structured",
                    "unstructured");
}

/* ---- the profiles ---------------------------------------------------------------------------- */

static const rule ntia_rules[] = {
    { "author", "SBOM-NTIA-6", SCOPE_DOC, doc_author },
    { "timestamp", "SBOM-NTIA-7", SCOPE_DOC, doc_timestamp },
    { "supplier", "SBOM-NTIA-1", SCOPE_COMP, c_supplier },
    { "name", "SBOM-NTIA-2", SCOPE_COMP, c_name },
    { "version", "SBOM-NTIA-3", SCOPE_COMP, c_version },
    { "unique-id", "SBOM-NTIA-4", SCOPE_COMP, c_unique_ntia },
    { "dependencies", "SBOM-NTIA-5", SCOPE_COMP, c_related },
};

static const rule bsi_rules[] = {
    { "format", "CRA-AI-2.1", SCOPE_DOC, doc_format },
    { "creator", "SBOM-BSI20-S1", SCOPE_DOC, doc_creator_contact },
    { "timestamp", "SBOM-BSI20-S2", SCOPE_DOC, doc_timestamp },
    { "no-vulnerabilities", "SBOM-BSI20-G2", SCOPE_DOC, doc_no_vulns },
    { "component-creator", "SBOM-BSI20-C1", SCOPE_COMP, c_creator },
    { "name", "SBOM-BSI20-C2", SCOPE_COMP, c_name },
    { "version", "SBOM-BSI20-C3", SCOPE_COMP, c_version },
    { "filename", "SBOM-BSI20-C4", SCOPE_COMP, c_filename },
    { "dependencies", "SBOM-BSI20-C5", SCOPE_COMP, c_deps_stated },
    { "licenses", "SBOM-BSI20-C6", SCOPE_COMP, c_licenses },
    { "hash-sha512", "SBOM-BSI20-C7", SCOPE_COMP, c_sha512 },
    { "executable", "SBOM-BSI20-C8", SCOPE_COMP, c_executable },
    { "archive", "SBOM-BSI20-C9", SCOPE_COMP, c_archive },
    { "structured", "SBOM-BSI20-C10", SCOPE_COMP, c_structured },
    { "unique-id", "SBOM-BSI20-A2", SCOPE_COMP, c_unique_bsi },
};

typedef struct {
    const char *name, *fields;
    const rule *rules;
    size_t nrules;
} profile_def;

static const profile_def profiles[] = {
    { "ntia", "author, timestamp, supplier, name, version, unique-id, dependencies", ntia_rules,
      CT_NELEM(ntia_rules) },
    { "bsi",
      "format, creator, timestamp, no-vulnerabilities, component-creator, name, version, "
      "filename, dependencies, licenses, hash-sha512, executable, archive, structured, "
      "unique-id",
      bsi_rules, CT_NELEM(bsi_rules) },
};

static const profile_def *find_profile(const char *name)
{
    for (size_t i = 0; name && i < CT_NELEM(profiles); i++)
        if (strcmp(profiles[i].name, name) == 0)
            return &profiles[i];
    return NULL;
}

bool ct_sbom_profile_known(const char *profile)
{
    return find_profile(profile) != NULL;
}

const char *ct_sbom_profile_fields(const char *profile)
{
    const profile_def *p = find_profile(profile);
    return p ? p->fields : NULL;
}

bool ct_sbom_profile_field_known(const char *profile, const char *field)
{
    const profile_def *p = find_profile(profile);
    for (size_t i = 0; p && field && i < p->nrules; i++)
        if (strcmp(p->rules[i].field, field) == 0)
            return true;
    return false;
}

void ct_sbom_waivers_free(ct_sbom_waiver *w, size_t n)
{
    for (size_t i = 0; w && i < n; i++) {
        ct_free(w[i].product);
        ct_free(w[i].release);
        ct_free(w[i].profile);
        ct_free(w[i].field);
        ct_free(w[i].component);
        ct_free(w[i].reason);
        ct_free(w[i].actor);
    }
    ct_free(w);
}

/* ---- the findings' strings ------------------------------------------------------------------ */

/* A 100 MB SBOM (154,203 components) has some 925,000 BSI findings: three heap strings each
 * took more memory than the model (issue 5). The strings live in chunks owned by the report;
 * a component's label and purl are stored once for all its findings, a message text once for
 * the whole report. */
#define STR_CHUNK (256u << 10)
#define MSG_SLOTS_MIN 256

typedef struct str_chunk {
    struct str_chunk *next;
    size_t used, cap;
    char data[];
} str_chunk;

struct ct_sbom_profile_strings {
    str_chunk *chunks;
    const char **msg; /* open addressing over the message texts stored so far */
    size_t nmsg, msg_cap;
    size_t comp_idx; /* the component whose label/purl were stored last (SIZE_MAX: none) */
    char *comp_label, *comp_purl;
    /* ct_sbom__profile_check_each (valprof): no finding kept; each is handed to each() (when
     * not NULL) with strings borrowed from the model and the subject for the call */
    bool stream;
    ct_sbom__finding_fn each;
    void *each_payload;
    ct_buf label; /* a name@version label in stream mode */
    char num[32]; /* a "#index" label in stream mode */
};

static int oom(void)
{
    return ct_error_set(CT_ENOMEM, "out of memory");
}

static void strings_free(struct ct_sbom_profile_strings *st)
{
    if (!st)
        return;
    for (str_chunk *c = st->chunks, *next; c; c = next) {
        next = c->next;
        ct_free(c);
    }
    ct_free(st->msg);
    ct_buf_dispose(&st->label);
    ct_free(st);
}

/* A copy of s[0..n) plus a NUL in st's chunks; NULL when out of memory. */
static char *strings_dup(struct ct_sbom_profile_strings *st, const char *s, size_t n)
{
    str_chunk *c = st->chunks;
    if (!c || c->cap - c->used < n + 1) {
        size_t cap = n + 1 > STR_CHUNK ? n + 1 : STR_CHUNK;
        if (!(c = ct_malloc(sizeof *c + cap)))
            return NULL;
        c->next = st->chunks;
        c->used = 0;
        c->cap = cap;
        st->chunks = c;
    }
    char *d = c->data + c->used;
    memcpy(d, s, n);
    d[n] = '\0';
    c->used += n + 1;
    return d;
}

static uint64_t hash_text(const char *s)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 1099511628211u;
    return h;
}

/* The stored copy of message text m (stored now if new); NULL when out of memory. */
static const char *strings_msg(struct ct_sbom_profile_strings *st, const char *m)
{
    size_t i;
    if ((st->nmsg + 1) * 2 > st->msg_cap) {
        size_t cap = st->msg_cap ? st->msg_cap * 2 : MSG_SLOTS_MIN;
        const char **v = ct_calloc(cap, sizeof *v);
        if (!v)
            return NULL;
        for (size_t k = 0; k < st->msg_cap; k++)
            if (st->msg[k]) {
                for (i = (size_t)hash_text(st->msg[k]) & (cap - 1); v[i]; i = (i + 1) & (cap - 1))
                    ;
                v[i] = st->msg[k];
            }
        ct_free(st->msg);
        st->msg = v;
        st->msg_cap = cap;
    }
    for (i = (size_t)hash_text(m) & (st->msg_cap - 1); st->msg[i]; i = (i + 1) & (st->msg_cap - 1))
        if (strcmp(st->msg[i], m) == 0)
            return st->msg[i];
    if (!(st->msg[i] = strings_dup(st, m, strlen(m))))
        return NULL;
    st->nmsg++;
    return st->msg[i];
}

void ct_sbom_profile_report_free(ct_sbom_profile_report *r)
{
    if (!r)
        return;
    strings_free(r->strings); /* every finding's strings */
    ct_free(r->findings);
    ct_free(r);
}

/* ---- evaluation ---------------------------------------------------------------------------- */

static const ct_sbom_waiver *waiver_for(const ct_sbom_waiver *w, size_t n, const char *profile,
                                        const char *field, const ct_component *c,
                                        const char *label)
{
    for (size_t i = 0; i < n; i++) {
        if (!w[i].profile || strcmp(w[i].profile, profile) != 0 || !w[i].field ||
            strcmp(w[i].field, field) != 0)
            continue;
        if (!w[i].component)
            return &w[i];
        if (c && ((c->bom_ref && strcmp(w[i].component, c->bom_ref) == 0) ||
                  (c->purl && strcmp(w[i].component, c->purl) == 0) ||
                  (label && strcmp(w[i].component, label) == 0)))
            return &w[i];
    }
    return NULL;
}

/* The label findings name a component by (its bom-ref, else purl, else name@version, else
 * "#index") and its purl, stored once per component in r's strings (CT_ENOMEM when out of
 * memory). */
static int component_strings(ct_sbom_profile_report *r, const ct_component *c, size_t idx)
{
    struct ct_sbom_profile_strings *st = r->strings;
    char buf[64];
    const char *label = buf;
    ct_buf b = CT_BUF_INIT;

    if (st->comp_idx == idx)
        return 0;
    st->comp_idx = SIZE_MAX;
    if (st->stream) { /* the same label, borrowed for the call, not stored */
        st->comp_purl = c->purl;
        if (c->bom_ref && *c->bom_ref) {
            st->comp_label = c->bom_ref;
        } else if (c->purl && *c->purl) {
            st->comp_label = c->purl;
        } else if (c->name) {
            ct_buf_reset(&st->label);
            ct_buf_puts(&st->label, c->name);
            if (c->version)
                ct_buf_printf(&st->label, "@%s", c->version);
            if (st->label.failed)
                return oom();
            st->comp_label = st->label.ptr;
        } else {
            snprintf(st->num, sizeof st->num, "#%zu", idx);
            st->comp_label = st->num;
        }
        st->comp_idx = idx;
        return 0;
    }
    if (c->bom_ref && *c->bom_ref) {
        label = c->bom_ref;
    } else if (c->purl && *c->purl) {
        label = c->purl;
    } else if (c->name) {
        ct_buf_puts(&b, c->name);
        if (c->version)
            ct_buf_printf(&b, "@%s", c->version);
        if (b.failed) {
            ct_buf_dispose(&b);
            return oom();
        }
        label = b.ptr;
    } else {
        snprintf(buf, sizeof buf, "#%zu", idx);
    }
    st->comp_label = strings_dup(st, label, strlen(label));
    ct_buf_dispose(&b);
    st->comp_purl = NULL;
    if (!st->comp_label || (c->purl && !(st->comp_purl = strings_dup(st, c->purl, strlen(c->purl)))))
        return oom();
    st->comp_idx = idx;
    return 0;
}

static int add_finding(ct_sbom_profile_report *r, const rule *ru, const subject *s,
                       const ct_sbom_waiver *w)
{
    ct_sbom_profile_finding *f;
    const char *msg;
    if (r->strings->stream) {
        ct_sbom_profile_finding one;
        int rc = 0;
        memset(&one, 0, sizeof one);
        one.field = ru->field;
        one.requirement = ru->requirement;
        one.waiver = w;
        one.message = (char *)(uintptr_t)s->msg;
        if (s->c) {
            one.component = r->strings->comp_label;
            one.purl = r->strings->comp_purl;
        }
        if (r->strings->each)
            rc = r->strings->each(r->strings->each_payload, &one);
        r->nfindings++;
        return rc < 0 ? rc : 0;
    }
    if (r->nfindings == r->findings_cap) {
        size_t ncap = r->findings_cap ? r->findings_cap * 2 : 64;
        ct_sbom_profile_finding *nf = ct_reallocarray(r->findings, ncap, sizeof *nf);
        if (!nf)
            return oom();
        r->findings = nf;
        r->findings_cap = ncap;
    }
    if (!(msg = strings_msg(r->strings, s->msg)))
        return oom();
    f = &r->findings[r->nfindings];
    memset(f, 0, sizeof *f);
    f->field = ru->field;
    f->requirement = ru->requirement;
    f->waiver = w;
    /* shared, never written through: the strings belong to the report as a whole */
    f->message = (char *)(uintptr_t)msg;
    if (s->c) {
        f->component = r->strings->comp_label;
        f->purl = r->strings->comp_purl;
    }
    r->nfindings++;
    return 0;
}

static int eval(ct_sbom_profile_report *r, const rule *ru, subject *s, const ct_sbom_waiver *w,
                size_t nw)
{
    int rc;
    s->msg[0] = '\0';
    int v = ru->fn(s);
    if (v == NA)
        return 0;
    r->checks++;
    if (v == OK) {
        r->satisfied++;
        return 0;
    }
    /* counted only and no waivers to match: the component's label is not needed */
    if (s->c && !(s->no_text && nw == 0) && (rc = component_strings(r, s->c, s->idx)) < 0)
        return rc;
    const ct_sbom_waiver *hit =
        waiver_for(w, nw, r->profile, ru->field, s->c, s->c ? r->strings->comp_label : NULL);
    if (hit)
        r->waived++;
    else
        r->failed++;
    return add_finding(r, ru, s, hit);
}

/* Mark components that take part in an edge, and those with outgoing edges, by ref. */
typedef struct {
    const char *ref;
    size_t idx;
} ref_idx;

static int cmp_ref(const void *a, const void *b)
{
    return strcmp(((const ref_idx *)a)->ref, ((const ref_idx *)b)->ref);
}

static void mark(const ref_idx *ix, size_t m, const char *ref, bool *flags)
{
    ref_idx key = { ref, 0 };
    const ref_idx *hit = (ref && m) ? bsearch(&key, ix, m, sizeof *ix, cmp_ref) : NULL;
    if (!hit)
        return;
    for (const ref_idx *p = hit; p >= ix && strcmp(p->ref, ref) == 0; p--)
        flags[p->idx] = true;
    for (const ref_idx *p = hit + 1; p < ix + m && strcmp(p->ref, ref) == 0; p++)
        flags[p->idx] = true;
}

static int edges(bool *related, bool *has_out, const ct_sbom *sbom)
{
    ref_idx *ix;
    size_t m = 0;
    if (!sbom->ncomponents)
        return 0;
    if (!(ix = ct_reallocarray(NULL, sbom->ncomponents, sizeof *ix)))
        return oom();
    for (size_t i = 0; i < sbom->ncomponents; i++)
        if (sbom->components[i].bom_ref)
            ix[m++] = (ref_idx){ sbom->components[i].bom_ref, i };
    qsort(ix, m, sizeof *ix, cmp_ref);
    for (size_t i = 0; i < sbom->ndeps; i++) {
        const char *on = sbom->deps[i].depends_on;
        /* SPDX: "depends on NOASSERTION" states nothing, "on NONE" states no dependencies */
        if (!on || strcmp(on, "NOASSERTION") == 0)
            continue;
        mark(ix, m, sbom->deps[i].ref, has_out);
        if (strcmp(on, "NONE") == 0)
            continue;
        mark(ix, m, sbom->deps[i].ref, related);
        mark(ix, m, on, related);
    }
    ct_free(ix);
    return 0;
}

/* The facts of component i: same index when the lists line up, else the first facts component
 * with its ref, found in fix (the facts' refs, sorted; built on first need, so a document whose
 * lists line up pays nothing). Was a linear scan per component: O(n^2) on 154,203 components
 * whenever the lists did not line up (issue 5). *fix_failed is set when fix could not be
 * built (out of memory). */
typedef struct {
    ref_idx *v;
    size_t n;
    bool built, failed;
} facts_index;

static int cmp_ref_first(const void *a, const void *b)
{
    const ref_idx *x = a, *y = b;
    int c = strcmp(x->ref, y->ref);
    return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

static const ct_sbom_facts_component *facts_of(const ct_sbom_facts *f, const ct_sbom *sbom,
                                               size_t i, facts_index *fix)
{
    const ct_component *c = &sbom->components[i];
    if (!f)
        return NULL;
    if (f->ncomponents == sbom->ncomponents) {
        const ct_sbom_facts_component *fc = &f->components[i];
        if ((!fc->ref && !c->bom_ref) || (fc->ref && c->bom_ref && !strcmp(fc->ref, c->bom_ref)))
            return fc;
    }
    if (!c->bom_ref)
        return NULL;
    if (!fix->built) {
        fix->built = true;
        if (f->ncomponents && !(fix->v = ct_reallocarray(NULL, f->ncomponents, sizeof *fix->v))) {
            fix->failed = true;
            return NULL;
        }
        for (size_t k = 0; k < f->ncomponents; k++)
            if (f->components[k].ref)
                fix->v[fix->n++] = (ref_idx){ f->components[k].ref, k };
        if (fix->n > 1)
            qsort(fix->v, fix->n, sizeof *fix->v, cmp_ref_first);
    }
    /* the first (lowest index) entry with that ref, as the scan found it */
    size_t lo = 0, hi = fix->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(fix->v[mid].ref, c->bom_ref) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < fix->n && strcmp(fix->v[lo].ref, c->bom_ref) == 0)
        return &f->components[fix->v[lo].idx];
    return NULL;
}

static int check(ct_sbom_profile_report **out, const ct_sbom *sbom, const ct_sbom_facts *facts,
                 const char *profile, const ct_sbom_waiver *waivers, size_t nwaivers,
                 bool stream, ct_sbom__finding_fn each, void *payload)
{
    const profile_def *p = find_profile(profile);
    ct_sbom_profile_report *r = NULL;
    bool *related = NULL, *has_out = NULL;
    facts_index fix = { NULL, 0, false, false };
    subject s;
    int rc = 0;

    if (!out || !sbom || (!waivers && nwaivers))
        return ct_error_set(CT_EINVAL, "ct_sbom_profile_check: invalid argument");
    *out = NULL;
    if (!p)
        return ct_error_set(CT_EINVAL, "unknown SBOM profile \"%.40s\" (expected ntia or bsi)",
                            profile ? profile : "");
    if (!(r = ct_calloc(1, sizeof *r)) || !(r->strings = ct_calloc(1, sizeof *r->strings)) ||
        !(related = ct_calloc(sbom->ncomponents + 1, sizeof *related)) ||
        !(has_out = ct_calloc(sbom->ncomponents + 1, sizeof *has_out))) {
        rc = oom();
        goto cleanup;
    }
    r->profile = p->name;
    r->strings->comp_idx = SIZE_MAX;
    r->strings->stream = stream;
    r->strings->each = each;
    r->strings->each_payload = payload;
    r->strings->label = (ct_buf)CT_BUF_INIT;
    if ((rc = edges(related, has_out, sbom)) < 0)
        goto cleanup;
    memset(&s, 0, sizeof s);
    s.sbom = sbom;
    s.facts = facts;
    s.related = related;
    s.has_out = has_out;
    s.no_text = stream && !each;
    for (size_t k = 0; k < p->nrules && rc == 0; k++)
        if (p->rules[k].scope == SCOPE_DOC)
            rc = eval(r, &p->rules[k], &s, waivers, nwaivers);
    for (size_t i = 0; i < sbom->ncomponents && rc == 0; i++) {
        s.c = &sbom->components[i];
        s.fc = facts_of(facts, sbom, i, &fix);
        if (fix.failed) {
            rc = oom();
            break;
        }
        s.idx = i;
        for (size_t k = 0; k < p->nrules && rc == 0; k++)
            if (p->rules[k].scope == SCOPE_COMP)
                rc = eval(r, &p->rules[k], &s, waivers, nwaivers);
    }
    if (rc < 0)
        goto cleanup;
    r->score = r->checks ? (double)r->satisfied / (double)r->checks : 1.0;
    r->passed = r->failed == 0;
    *out = r;
    r = NULL;
cleanup:
    ct_free(fix.v);
    ct_free(related);
    ct_free(has_out);
    ct_sbom_profile_report_free(r);
    return rc;
}

int ct_sbom_profile_check(ct_sbom_profile_report **out, const ct_sbom *sbom,
                          const ct_sbom_facts *facts, const char *profile,
                          const ct_sbom_waiver *waivers, size_t nwaivers)
{
    return check(out, sbom, facts, profile, waivers, nwaivers, false, NULL, NULL);
}

int ct_sbom__profile_check_each(ct_sbom_profile_report **out, const ct_sbom *sbom,
                                const ct_sbom_facts *facts, const char *profile,
                                const ct_sbom_waiver *waivers, size_t nwaivers,
                                ct_sbom__finding_fn each, void *payload)
{
    return check(out, sbom, facts, profile, waivers, nwaivers, true, each, payload);
}

/* For the SPDX validator (spdx_validate_int.h): the same expression syntax check. */
bool ct_sbom__spdx_expression_ok(const char *v)
{
    return spdx_expression(v);
}

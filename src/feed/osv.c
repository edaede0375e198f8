/* OSV reader (OSV schema 1.x): one object, an array, or JSON lines; from memory, files (.gz
 * included) and directories. Ranges become vers strings keyed by package identity. */
#include "cratrace/feed.h"
#include "cratrace/ident.h"
#include "cratrace/version.h"
#include "base/json_int.h"
#include "feed_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* NUL-terminated copies of tape strings for the record being read (C-string APIs take
 * them); blocks never move, so the copies stay put until the record is done. */
typedef struct scratch_block {
    struct scratch_block *next;
    size_t cap, used;
    char data[];
} scratch_block;

typedef struct {
    const ct_ctx *ctx;
    const char *source;
    ct_jptr ptr;
    ct_buf key, vers;
    const ct_jtape *t;       /* the tape path */
    scratch_block *scratch; /* newest first */
} reader;

void ct_advisory_free(ct_advisory *a)
{
    if (!a)
        return;
    ct_free(a->id);
    ct_free(a->source);
    ct_free(a->summary);
    ct_free(a->severity);
    ct_free(a->cvss);
    for (size_t i = 0; i < a->naliases; i++)
        ct_free(a->aliases[i]);
    ct_free(a->aliases);
    for (size_t i = 0; i < a->nrelated; i++)
        ct_free(a->related[i]);
    ct_free(a->related);
    for (size_t i = 0; i < a->nranges; i++) {
        ct_affected_range *r = &a->ranges[i];
        ct_free(r->ecosystem);
        ct_free(r->package);
        ct_free(r->pkg_key);
        ct_free(r->scheme);
        ct_free(r->range_type);
        ct_free(r->vers);
    }
    ct_free(a->ranges);
    ct_free(a);
}

static int oom(void)
{
    return ct_error_set(CT_ENOMEM, "out of memory");
}

static int opt_time(ct_time *out, reader *r, json_object *o, const char *key)
{
    const char *s;
    int rc;
    *out = CT_TIME_NONE;
    if ((rc = ct_json_opt_str(&s, o, key, &r->ptr, r->source)) < 0 || !s)
        return rc;
    if (ct_time_parse(out, s, strlen(s)) < 0)
        return ct_json_error(&r->ptr, r->source, key, CT_EPARSE,
                             "expected an RFC 3339 time, found \"%.40s\"", s);
    return 0;
}

static int add_range(ct_advisory *a, const char *eco, const char *name, const char *key,
                     const char *scheme, const char *type, const char *vers)
{
    ct_affected_range *r;
    if (a->nranges == a->ranges_cap) {
        size_t ncap = a->ranges_cap ? a->ranges_cap * 2 : 4;
        ct_affected_range *nr = ct_reallocarray(a->ranges, ncap, sizeof *nr);
        if (!nr)
            return oom();
        a->ranges = nr;
        a->ranges_cap = ncap;
    }
    r = &a->ranges[a->nranges];
    r->ecosystem = ct_strdup(eco ? eco : "");
    r->package = ct_strdup(name ? name : "");
    r->pkg_key = ct_strdup(key);
    r->scheme = ct_strdup(scheme);
    r->range_type = ct_strdup(type);
    r->vers = ct_strdup(vers);
    a->nranges++;
    if (!r->ecosystem || !r->package || !r->pkg_key || !r->scheme || !r->range_type || !r->vers)
        return oom();
    return 0;
}

static const struct {
    const char *key;
    ct_osv_event_kind kind;
} kinds[] = { { "introduced", CT_OSV_INTRODUCED },
              { "fixed", CT_OSV_FIXED },
              { "last_affected", CT_OSV_LAST_AFFECTED },
              { "limit", CT_OSV_LIMIT } };

/* The vers of a range's events into r->vers; *usable false when the scheme cannot order them. */
static int events_vers(reader *r, const char *scheme, const ct_osv_event *ev, size_t n,
                       bool *usable)
{
    int rc;
    ct_buf_reset(&r->vers);
    rc = ct_vers_from_osv_events(&r->vers, scheme, ev, n);
    if (rc == CT_ENOMEM)
        return rc;
    if (rc < 0) {
        /* versions this scheme cannot order: kept out of matching, never guessed */
        ct_error_clear();
        return 0;
    }
    *usable = true;
    return 0;
}

/* One event of either reader into ev[*n]: k is its kind's index in kinds (CT_NELEM(kinds) when
 * it named none), v its version. Errors at the event's pointer, the same from both readers. */
static int add_event(reader *r, ct_osv_event *ev, size_t *n, size_t cap, size_t k, const char *v)
{
    if (k == CT_NELEM(kinds))
        return ct_json_error(&r->ptr, r->source, NULL, CT_EPARSE,
                             "event needs introduced, fixed, last_affected or limit");
    if (*n == cap)
        return ct_json_error(&r->ptr, r->source, NULL, CT_ELIMIT, "more than %zu events", cap);
    ev[*n].kind = kinds[k].kind;
    ev[*n].version = v;
    (*n)++;
    return 0;
}

/* events: [{"introduced": "0"}, {"fixed": "1.2"}, ...] */
static int read_events(reader *r, json_object *range, const char *scheme, bool *usable)
{
    json_object *events;
    ct_osv_event ev[256];
    size_t n = 0;
    int rc;

    *usable = false;
    if ((rc = ct_json_opt_array(&events, range, "events", &r->ptr, r->source)) < 0)
        return rc;
    if (!events)
        return ct_json_error(&r->ptr, r->source, "events", CT_EPARSE, "a range needs events");
    ct_jptr_push_key(&r->ptr, "events");
    for (size_t i = 0; i < json_object_array_length(events); i++) {
        json_object *e = json_object_array_get_idx(events, i);
        const char *v = NULL;
        size_t k;
        ct_jptr_push_index(&r->ptr, i);
        if (!json_object_is_type(e, json_type_object)) {
            rc = ct_json_error(&r->ptr, r->source, NULL, CT_EPARSE, "expected an event object");
            goto done;
        }
        for (k = 0; k < CT_NELEM(kinds); k++) {
            if ((rc = ct_json_opt_str(&v, e, kinds[k].key, &r->ptr, r->source)) < 0)
                goto done;
            if (v)
                break;
        }
        if ((rc = add_event(r, ev, &n, CT_NELEM(ev), k, v)) < 0)
            goto done;
        ct_jptr_pop(&r->ptr);
    }
    ct_jptr_pop(&r->ptr);
    return events_vers(r, scheme, ev, n, usable);
done:
    ct_jptr_pop(&r->ptr);
    ct_jptr_pop(&r->ptr);
    return rc;
}

/* The package identity into r->key (empty when there is none) and its version scheme. */
static int package_key(reader *r, const char *eco, const char *name, const char *purl,
                       const char **scheme)
{
    int rc;
    ct_buf_reset(&r->key);
    if (eco && name) {
        if ((rc = ct_osv_package_key(&r->key, scheme, eco, name)) < 0)
            return rc;
    } else if (purl) {
        ct_purl *p = NULL;
        if (ct_purl_parse(&p, purl, strlen(purl)) == 0) {
            rc = ct_purl_package_key(&r->key, p);
            *scheme = ct_purl_type_scheme(p->type);
            ct_purl_free(p);
            if (rc < 0)
                return rc;
        } else {
            ct_error_clear();
        }
    }
    return 0;
}

/* The "versions" list of an affected package as one range (or one more unmatchable). */
static int versions_range(reader *r, ct_advisory *a, const char *eco, const char *name,
                          const char *scheme, const char **list, size_t n)
{
    int rc;
    ct_buf_reset(&r->vers);
    rc = ct_vers_from_versions(&r->vers, scheme, list, n);
    if (rc == CT_ENOMEM)
        return rc;
    if (rc < 0) {
        /* Entries the scheme cannot read (GHSA-9v2f-6vcg-3hgv lists "4.36.-1" next to "4.36.1")
         * do not void the others: the readable ones are still affected. The list counts as
         * unmatchable once, for what was left out. */
        size_t kept = 0;
        ct_error_clear();
        for (size_t i = 0; i < n; i++)
            if (ct_version_validate(scheme, list[i]) == 0)
                list[kept++] = list[i];
            else
                ct_error_clear();
        a->unmatchable++;
        if (kept == 0 || kept == n)
            return 0;
        ct_buf_reset(&r->vers);
        rc = ct_vers_from_versions(&r->vers, scheme, list, kept);
        if (rc == CT_ENOMEM)
            return rc;
        if (rc < 0) {
            ct_error_clear();
            return 0;
        }
    }
    return add_range(a, eco, name, r->key.ptr, scheme, "versions", r->vers.ptr);
}

static int read_affected(reader *r, ct_advisory *a, json_object *aff)
{
    json_object *pkg, *ranges, *versions;
    const char *eco = NULL, *name = NULL, *purl = NULL, *scheme = "generic";
    int rc;

    if (!json_object_is_type(aff, json_type_object))
        return ct_json_error(&r->ptr, r->source, NULL, CT_EPARSE, "expected an object");
    if ((rc = ct_json_opt_object(&pkg, aff, "package", &r->ptr, r->source)) < 0 ||
        (rc = ct_json_opt_array(&ranges, aff, "ranges", &r->ptr, r->source)) < 0 ||
        (rc = ct_json_opt_array(&versions, aff, "versions", &r->ptr, r->source)) < 0)
        return rc;
    if (!pkg) {
        a->unmatchable += (ranges ? json_object_array_length(ranges) : 0) + (versions ? 1 : 0);
        return 0;
    }
    ct_jptr_push_key(&r->ptr, "package");
    if ((rc = ct_json_opt_str(&eco, pkg, "ecosystem", &r->ptr, r->source)) < 0 ||
        (rc = ct_json_opt_str(&name, pkg, "name", &r->ptr, r->source)) < 0 ||
        (rc = ct_json_opt_str(&purl, pkg, "purl", &r->ptr, r->source)) < 0) {
        ct_jptr_pop(&r->ptr);
        return rc;
    }
    ct_jptr_pop(&r->ptr);
    if ((rc = package_key(r, eco, name, purl, &scheme)) < 0)
        return rc;
    if (!r->key.len) {
        a->unmatchable++;
        return 0;
    }
    for (size_t i = 0; ranges && i < json_object_array_length(ranges); i++) {
        json_object *range = json_object_array_get_idx(ranges, i);
        const char *type = NULL, *rscheme = scheme;
        bool usable;
        ct_jptr_push_key(&r->ptr, "ranges");
        ct_jptr_push_index(&r->ptr, i);
        if (!json_object_is_type(range, json_type_object))
            rc = ct_json_error(&r->ptr, r->source, NULL, CT_EPARSE, "expected a range object");
        else if ((rc = ct_json_opt_str(&type, range, "type", &r->ptr, r->source)) == 0 && !type)
            rc = ct_json_error(&r->ptr, r->source, "type", CT_EPARSE, "a range needs a type");
        if (rc == 0 && strcmp(type, "GIT") == 0) {
            a->unmatchable++; /* commit ranges need the source history: not version-matchable */
        } else if (rc == 0) {
            /* SEMVER ranges use SemVer 2.0 order; Go versions drop their "v" on both sides */
            if (strcmp(type, "SEMVER") == 0 && strcmp(scheme, "npm") != 0)
                rscheme = "semver";
            if ((rc = read_events(r, range, rscheme, &usable)) == 0) {
                if (usable)
                    rc = add_range(a, eco, name, r->key.ptr, rscheme, type, r->vers.ptr);
                else
                    a->unmatchable++;
            }
        }
        ct_jptr_pop(&r->ptr);
        ct_jptr_pop(&r->ptr);
        if (rc < 0)
            return rc;
    }
    if (versions && json_object_array_length(versions) > 0) {
        size_t n = json_object_array_length(versions);
        const char **list = ct_calloc(n, sizeof *list);
        if (!list)
            return oom();
        for (size_t i = 0; i < n; i++) {
            json_object *v = json_object_array_get_idx(versions, i);
            if (!json_object_is_type(v, json_type_string)) {
                char key[48];
                snprintf(key, sizeof key, "versions/%zu", i);
                ct_free(list);
                return ct_json_error(&r->ptr, r->source, key, CT_EPARSE, "expected a string");
            }
            list[i] = json_object_get_string(v);
        }
        rc = versions_range(r, a, eco, name, scheme, list, n);
        ct_free(list);
        return rc;
    }
    return 0;
}

static int read_strings(char ***out, size_t *n_out, reader *r, json_object *o, const char *key)
{
    json_object *arr;
    int rc;
    size_t n;

    if ((rc = ct_json_opt_array(&arr, o, key, &r->ptr, r->source)) < 0 || !arr)
        return rc;
    n = json_object_array_length(arr);
    if (!(*out = ct_calloc(n ? n : 1, sizeof **out)))
        return oom();
    for (size_t i = 0; i < n; i++) {
        json_object *v = json_object_array_get_idx(arr, i);
        if (!json_object_is_type(v, json_type_string)) {
            char k[64];
            snprintf(k, sizeof k, "%s/%zu", key, i);
            return ct_json_error(&r->ptr, r->source, k, CT_EPARSE, "expected a string");
        }
        if (!((*out)[i] = ct_strdup(json_object_get_string(v))))
            return oom();
        (*n_out)++;
    }
    return 0;
}

/* "related": IDs of records that are related but not the same vulnerability (AlmaLinux,
 * Rocky, ...). Informational: a list that is not an array, or an entry that is not a string,
 * is skipped rather than rejecting the record. */
static int read_related(ct_advisory *a, json_object *arr)
{
    size_t n = arr ? json_object_array_length(arr) : 0;
    if (!n)
        return 0;
    if (!(a->related = ct_calloc(n, sizeof *a->related)))
        return oom();
    for (size_t i = 0; i < n; i++) {
        json_object *v = json_object_array_get_idx(arr, i);
        if (!json_object_is_type(v, json_type_string))
            continue;
        if (!(a->related[a->nrelated] = ct_strdup(json_object_get_string(v))))
            return oom();
        a->nrelated++;
    }
    return 0;
}

static int read_severity(reader *r, ct_advisory *a, json_object *o)
{
    json_object *sev, *dbs;
    const char *s = NULL;
    int rc;

    if ((rc = ct_json_opt_array(&sev, o, "severity", &r->ptr, r->source)) < 0)
        return rc;
    for (size_t i = 0; sev && i < json_object_array_length(sev) && !a->cvss; i++) {
        json_object *e = json_object_array_get_idx(sev, i);
        const char *score = NULL;
        if (json_object_is_type(e, json_type_object) &&
            json_object_object_get_ex(e, "score", NULL)) {
            json_object *sc = json_object_object_get(e, "score");
            if (json_object_is_type(sc, json_type_string))
                score = json_object_get_string(sc);
        }
        if (score && !(a->cvss = ct_strdup(score)))
            return oom();
    }
    /* GHSA-style textual severity, when the database gives one */
    if ((rc = ct_json_opt_object(&dbs, o, "database_specific", &r->ptr, r->source)) < 0)
        return rc;
    if (dbs) {
        json_object *v;
        if (json_object_object_get_ex(dbs, "severity", &v) &&
            json_object_is_type(v, json_type_string))
            s = json_object_get_string(v);
    }
    if (s && !(a->severity = ct_strdup(s)))
        return oom();
    return 0;
}

static int read_record(void *rv, json_object *o, ct_advisory_cb cb, void *payload)
{
    reader *r = rv;
    ct_advisory *a;
    json_object *affected;
    int rc;

    if (!json_object_is_type(o, json_type_object))
        return ct_json_error(&r->ptr, r->source, NULL, CT_EPARSE,
                             "an OSV record is a JSON object");
    if (!(a = ct_calloc(1, sizeof *a)))
        return oom();
    if ((rc = ct_json_dup_str(&a->id, o, "id", &r->ptr, r->source)) < 0)
        goto cleanup;
    if (!a->id || !*a->id) {
        rc = ct_json_error(&r->ptr, r->source, "id", CT_EPARSE, "an OSV record needs an id");
        goto cleanup;
    }
    if (!(a->source = ct_strdup("osv"))) {
        rc = oom();
        goto cleanup;
    }
    if ((rc = ct_json_dup_str(&a->summary, o, "summary", &r->ptr, r->source)) < 0 ||
        (rc = opt_time(&a->modified, r, o, "modified")) < 0 ||
        (rc = opt_time(&a->published, r, o, "published")) < 0 ||
        (rc = opt_time(&a->withdrawn, r, o, "withdrawn")) < 0 ||
        (rc = read_strings(&a->aliases, &a->naliases, r, o, "aliases")) < 0 ||
        (rc = read_related(a, ct_feed__get(o, "related", json_type_array))) < 0 ||
        (rc = read_severity(r, a, o)) < 0 ||
        (rc = ct_json_opt_array(&affected, o, "affected", &r->ptr, r->source)) < 0)
        goto cleanup;
    if (a->modified == CT_TIME_NONE) {
        rc = ct_json_error(&r->ptr, r->source, "modified", CT_EPARSE,
                           "an OSV record needs \"modified\"");
        goto cleanup;
    }
    if (!a->summary) {
        json_object *d;
        if (json_object_object_get_ex(o, "details", &d) &&
            json_object_is_type(d, json_type_string)) {
            /* the first line of the details, cut at a word (never inside a UTF-8 sequence) */
            if (!(a->summary = ct_text_excerpt(json_object_get_string(d), 200))) {
                rc = oom();
                goto cleanup;
            }
        }
    }
    ct_jptr_push_key(&r->ptr, "affected");
    for (size_t i = 0; affected && i < json_object_array_length(affected) && rc == 0; i++) {
        ct_jptr_push_index(&r->ptr, i);
        rc = read_affected(r, a, json_object_array_get_idx(affected, i));
        ct_jptr_pop(&r->ptr);
    }
    ct_jptr_pop(&r->ptr);
    if (rc == 0)
        rc = cb(a, payload);
cleanup:
    ct_advisory_free(a);
    return rc;
}

int ct_feed__read_osv_jsonc(const ct_ctx *ctx, const char *data, size_t len,
                            const char *source, ct_advisory_cb cb, void *payload)
{
    reader r;
    int rc;

    memset(&r, 0, sizeof r);
    r.ctx = ctx;
    r.source = source ? source : "-";
    r.key = (ct_buf)CT_BUF_INIT;
    r.vers = (ct_buf)CT_BUF_INIT;
    ct_jptr_init(&r.ptr);
    ct_feed__record_job job = { &r, &r.source, &r.ptr, read_record, cb, payload };
    rc = ct_feed__each_record(ctx, data, len, r.source, ct_feed__job_record, &job);
    ct_buf_dispose(&r.key);
    ct_buf_dispose(&r.vers);
    return rc;
}

/* ---- the json_tape path ---------------------------------------------------------------------
 * The same reading as above, decision for decision and message for message, over a flat tape
 * instead of a json-c DOM: no allocation per JSON value, strings read in place and copied
 * (cut at an escaped U+0000, as json-c's C strings are read) only where a C string is needed. */

#define SCRATCH_BLOCK 16384

static const char *s_copy(reader *r, const char *p, size_t n)
{
    scratch_block *b = r->scratch;
    char *o;
    if (!b || b->cap - b->used < n + 1) {
        size_t cap = n + 1 > SCRATCH_BLOCK ? n + 1 : SCRATCH_BLOCK;
        scratch_block *nb = ct_malloc(sizeof *nb + cap);
        if (!nb)
            return NULL;
        nb->next = b;
        nb->cap = cap;
        nb->used = 0;
        r->scratch = b = nb;
    }
    o = b->data + b->used;
    memcpy(o, p, n);
    o[n] = '\0';
    b->used += n + 1;
    return o;
}

/* String value v as a C string (stable until s_reset), or NULL when v is not a string or
 * memory ran out (*nomem set). */
static const char *s_cstr(reader *r, ct_jval v, bool *nomem)
{
    size_t n;
    const char *p = ct_jt_str(r->t, v, &n), *z, *o;
    if (!p)
        return NULL;
    if ((z = memchr(p, '\0', n)))
        n = (size_t)(z - p);
    if (!(o = s_copy(r, p, n)))
        *nomem = true;
    return o;
}

/* Forget the copies; the newest block is kept for the next record. */
static void s_reset(reader *r, bool all)
{
    scratch_block *b = r->scratch, *keep = all ? NULL : b;
    if (b && !all) {
        b->used = 0;
        b = b->next;
        keep->next = NULL;
    }
    while (b) {
        scratch_block *next = b->next;
        ct_free(b);
        b = next;
    }
    r->scratch = keep;
}

/* ct_jptr_push_index without snprintf: a decimal index is a key that needs no escaping */
static void push_idx(ct_jptr *p, size_t i)
{
    char num[24], *e = num + sizeof num - 1;
    *e = '\0';
    do {
        *--e = (char)('0' + i % 10);
        i /= 10;
    } while (i);
    ct_jptr_push_key(p, e);
}

/* ct_json_opt_str/array/object over the tape: CT_JNONE when absent or null. */
static int t_opt(ct_jval *out, reader *r, ct_jval obj, const char *key, ct_jt_type want)
{
    return ct_jt_opt(out, r->t, obj, key, want, &r->ptr, r->source);
}

/* An optional string member as a C string (NULL when absent or null). */
static int t_opt_str(const char **out, reader *r, ct_jval obj, const char *key)
{
    ct_jval v;
    bool nomem = false;
    int rc;
    *out = NULL;
    if ((rc = t_opt(&v, r, obj, key, CT_JT_STRING)) < 0 || v == CT_JNONE)
        return rc;
    if (!(*out = s_cstr(r, v, &nomem)) || nomem)
        return oom();
    return 0;
}

static int t_dup_str(char **out, reader *r, ct_jval obj, const char *key)
{
    ct_jval v;
    int rc;
    *out = NULL;
    if ((rc = t_opt(&v, r, obj, key, CT_JT_STRING)) < 0 || v == CT_JNONE)
        return rc;
    if (!(*out = ct_jt_strdup(r->t, v)))
        return oom();
    return 0;
}

static int t_opt_time(ct_time *out, reader *r, ct_jval o, const char *key)
{
    const char *s;
    int rc;
    *out = CT_TIME_NONE;
    if ((rc = t_opt_str(&s, r, o, key)) < 0 || !s)
        return rc;
    if (ct_time_parse(out, s, strlen(s)) < 0)
        return ct_json_error(&r->ptr, r->source, key, CT_EPARSE,
                             "expected an RFC 3339 time, found \"%.40s\"", s);
    return 0;
}

static int t_read_events(reader *r, ct_jval range, const char *scheme, bool *usable)
{
    ct_jval events, e;
    ct_jiter it;
    ct_osv_event ev[256];
    size_t n = 0, i = 0;
    int rc = 0;

    *usable = false;
    if ((rc = t_opt(&events, r, range, "events", CT_JT_ARRAY)) < 0)
        return rc;
    if (events == CT_JNONE)
        return ct_json_error(&r->ptr, r->source, "events", CT_EPARSE, "a range needs events");
    ct_jptr_push_key(&r->ptr, "events");
    ct_jt_iter(&it, r->t, events);
    for (; ct_jt_next(&it, r->t, &e); i++) {
        const char *v = NULL;
        size_t k;
        push_idx(&r->ptr, i);
        if (ct_jt_type_of(r->t, e) != CT_JT_OBJECT) {
            rc = ct_json_error(&r->ptr, r->source, NULL, CT_EPARSE, "expected an event object");
            goto done;
        }
        for (k = 0; k < CT_NELEM(kinds); k++) {
            if ((rc = t_opt_str(&v, r, e, kinds[k].key)) < 0)
                goto done;
            if (v)
                break;
        }
        if ((rc = add_event(r, ev, &n, CT_NELEM(ev), k, v)) < 0)
            goto done;
        ct_jptr_pop(&r->ptr);
    }
    ct_jptr_pop(&r->ptr);
    return events_vers(r, scheme, ev, n, usable);
done:
    ct_jptr_pop(&r->ptr);
    ct_jptr_pop(&r->ptr);
    return rc;
}

static int t_read_affected(reader *r, ct_advisory *a, ct_jval aff)
{
    const ct_jtape *t = r->t;
    ct_jval pkg, ranges, versions, range;
    ct_jiter it;
    const char *eco = NULL, *name = NULL, *purl = NULL, *scheme = "generic";
    size_t i = 0;
    int rc;

    if (ct_jt_type_of(t, aff) != CT_JT_OBJECT)
        return ct_json_error(&r->ptr, r->source, NULL, CT_EPARSE, "expected an object");
    if ((rc = t_opt(&pkg, r, aff, "package", CT_JT_OBJECT)) < 0 ||
        (rc = t_opt(&ranges, r, aff, "ranges", CT_JT_ARRAY)) < 0 ||
        (rc = t_opt(&versions, r, aff, "versions", CT_JT_ARRAY)) < 0)
        return rc;
    if (pkg == CT_JNONE) {
        a->unmatchable += (ranges != CT_JNONE ? ct_jt_count(t, ranges) : 0) +
                          (versions != CT_JNONE ? 1 : 0);
        return 0;
    }
    ct_jptr_push_key(&r->ptr, "package");
    if ((rc = t_opt_str(&eco, r, pkg, "ecosystem")) < 0 ||
        (rc = t_opt_str(&name, r, pkg, "name")) < 0 ||
        (rc = t_opt_str(&purl, r, pkg, "purl")) < 0) {
        ct_jptr_pop(&r->ptr);
        return rc;
    }
    ct_jptr_pop(&r->ptr);
    if ((rc = package_key(r, eco, name, purl, &scheme)) < 0)
        return rc;
    if (!r->key.len) {
        a->unmatchable++;
        return 0;
    }
    ct_jt_iter(&it, t, ranges);
    for (; ct_jt_next(&it, t, &range); i++) {
        const char *type = NULL, *rscheme = scheme;
        bool usable;
        ct_jptr_push_key(&r->ptr, "ranges");
        push_idx(&r->ptr, i);
        if (ct_jt_type_of(t, range) != CT_JT_OBJECT)
            rc = ct_json_error(&r->ptr, r->source, NULL, CT_EPARSE, "expected a range object");
        else if ((rc = t_opt_str(&type, r, range, "type")) == 0 && !type)
            rc = ct_json_error(&r->ptr, r->source, "type", CT_EPARSE, "a range needs a type");
        if (rc == 0 && strcmp(type, "GIT") == 0) {
            a->unmatchable++; /* commit ranges need the source history: not version-matchable */
        } else if (rc == 0) {
            /* SEMVER ranges use SemVer 2.0 order; Go versions drop their "v" on both sides */
            if (strcmp(type, "SEMVER") == 0 && strcmp(scheme, "npm") != 0)
                rscheme = "semver";
            if ((rc = t_read_events(r, range, rscheme, &usable)) == 0) {
                if (usable)
                    rc = add_range(a, eco, name, r->key.ptr, rscheme, type, r->vers.ptr);
                else
                    a->unmatchable++;
            }
        }
        ct_jptr_pop(&r->ptr);
        ct_jptr_pop(&r->ptr);
        if (rc < 0)
            return rc;
    }
    size_t n = versions != CT_JNONE ? ct_jt_count(t, versions) : 0;
    if (n > 0) {
        const char **list = ct_calloc(n, sizeof *list);
        ct_jval v;
        bool nomem = false;
        if (!list)
            return oom();
        ct_jt_iter(&it, t, versions);
        for (i = 0; ct_jt_next(&it, t, &v); i++) {
            if (ct_jt_type_of(t, v) != CT_JT_STRING) {
                char key[48];
                snprintf(key, sizeof key, "versions/%zu", i);
                ct_free(list);
                return ct_json_error(&r->ptr, r->source, key, CT_EPARSE, "expected a string");
            }
            list[i] = s_cstr(r, v, &nomem);
            if (nomem) {
                ct_free(list);
                return oom();
            }
        }
        rc = versions_range(r, a, eco, name, scheme, list, n);
        ct_free(list);
        return rc;
    }
    return 0;
}

static int t_read_strings(char ***out, size_t *n_out, reader *r, ct_jval o, const char *key)
{
    ct_jval arr, v;
    ct_jiter it;
    size_t n, i = 0;
    int rc;

    if ((rc = t_opt(&arr, r, o, key, CT_JT_ARRAY)) < 0 || arr == CT_JNONE)
        return rc;
    n = ct_jt_count(r->t, arr);
    if (!(*out = ct_calloc(n ? n : 1, sizeof **out)))
        return oom();
    ct_jt_iter(&it, r->t, arr);
    for (; ct_jt_next(&it, r->t, &v); i++) {
        if (ct_jt_type_of(r->t, v) != CT_JT_STRING) {
            char k[64];
            snprintf(k, sizeof k, "%s/%zu", key, i);
            return ct_json_error(&r->ptr, r->source, k, CT_EPARSE, "expected a string");
        }
        if (!((*out)[i] = ct_jt_strdup(r->t, v)))
            return oom();
        (*n_out)++;
    }
    return 0;
}

static int t_read_related(reader *r, ct_advisory *a, ct_jval o)
{
    ct_jval arr = ct_jt_get(r->t, o, "related"), v;
    ct_jiter it;
    size_t n = ct_jt_type_of(r->t, arr) == CT_JT_ARRAY ? ct_jt_count(r->t, arr) : 0;
    if (!n)
        return 0;
    if (!(a->related = ct_calloc(n, sizeof *a->related)))
        return oom();
    ct_jt_iter(&it, r->t, arr);
    while (ct_jt_next(&it, r->t, &v)) {
        if (ct_jt_type_of(r->t, v) != CT_JT_STRING)
            continue;
        if (!(a->related[a->nrelated] = ct_jt_strdup(r->t, v)))
            return oom();
        a->nrelated++;
    }
    return 0;
}

static int t_read_severity(reader *r, ct_advisory *a, ct_jval o)
{
    const ct_jtape *t = r->t;
    ct_jval sev, dbs, e;
    ct_jiter it;
    int rc;

    if ((rc = t_opt(&sev, r, o, "severity", CT_JT_ARRAY)) < 0)
        return rc;
    ct_jt_iter(&it, t, sev);
    while (!a->cvss && ct_jt_next(&it, t, &e)) {
        ct_jval sc = ct_jt_get(t, e, "score");
        if (ct_jt_type_of(t, sc) == CT_JT_STRING && !(a->cvss = ct_jt_strdup(t, sc)))
            return oom();
    }
    /* GHSA-style textual severity, when the database gives one */
    if ((rc = t_opt(&dbs, r, o, "database_specific", CT_JT_OBJECT)) < 0)
        return rc;
    if (dbs != CT_JNONE) {
        ct_jval v = ct_jt_get(t, dbs, "severity");
        if (ct_jt_type_of(t, v) == CT_JT_STRING && !(a->severity = ct_jt_strdup(t, v)))
            return oom();
    }
    return 0;
}

static int t_read_record(reader *r, ct_jval o, ct_advisory_cb cb, void *payload)
{
    const ct_jtape *t = r->t;
    ct_advisory *a;
    ct_jval affected, aff;
    ct_jiter it;
    size_t i = 0;
    int rc;

    if (ct_jt_type_of(t, o) != CT_JT_OBJECT)
        return ct_json_error(&r->ptr, r->source, NULL, CT_EPARSE,
                             "an OSV record is a JSON object");
    if (!(a = ct_calloc(1, sizeof *a)))
        return oom();
    if ((rc = t_dup_str(&a->id, r, o, "id")) < 0)
        goto cleanup;
    if (!a->id || !*a->id) {
        rc = ct_json_error(&r->ptr, r->source, "id", CT_EPARSE, "an OSV record needs an id");
        goto cleanup;
    }
    if (!(a->source = ct_strdup("osv"))) {
        rc = oom();
        goto cleanup;
    }
    if ((rc = t_dup_str(&a->summary, r, o, "summary")) < 0 ||
        (rc = t_opt_time(&a->modified, r, o, "modified")) < 0 ||
        (rc = t_opt_time(&a->published, r, o, "published")) < 0 ||
        (rc = t_opt_time(&a->withdrawn, r, o, "withdrawn")) < 0 ||
        (rc = t_read_strings(&a->aliases, &a->naliases, r, o, "aliases")) < 0 ||
        (rc = t_read_related(r, a, o)) < 0 || (rc = t_read_severity(r, a, o)) < 0 ||
        (rc = t_opt(&affected, r, o, "affected", CT_JT_ARRAY)) < 0)
        goto cleanup;
    if (a->modified == CT_TIME_NONE) {
        rc = ct_json_error(&r->ptr, r->source, "modified", CT_EPARSE,
                           "an OSV record needs \"modified\"");
        goto cleanup;
    }
    if (!a->summary) {
        ct_jval d = ct_jt_get(t, o, "details");
        bool nomem = false;
        const char *details = s_cstr(r, d, &nomem);
        if (nomem) {
            rc = oom();
            goto cleanup;
        }
        /* the first line of the details, cut at a word (never inside a UTF-8 sequence) */
        if (details && !(a->summary = ct_text_excerpt(details, 200))) {
            rc = oom();
            goto cleanup;
        }
    }
    ct_jptr_push_key(&r->ptr, "affected");
    ct_jt_iter(&it, t, affected);
    for (; rc == 0 && ct_jt_next(&it, t, &aff); i++) {
        push_idx(&r->ptr, i);
        rc = t_read_affected(r, a, aff);
        ct_jptr_pop(&r->ptr);
    }
    ct_jptr_pop(&r->ptr);
    if (rc == 0)
        rc = cb(a, payload);
cleanup:
    ct_advisory_free(a);
    s_reset(r, false);
    return rc;
}

static int on_tape_record(const ct_jtape *t, ct_jval v, const char *source, size_t index,
                          void *state)
{
    ct_feed__record_job *job = state;
    reader *r = job->r;
    const char *saved = r->source;
    int rc;
    r->t = t;
    r->source = source;
    ct_jptr_init(&r->ptr);
    if (index != SIZE_MAX)
        push_idx(&r->ptr, index);
    rc = t_read_record(r, v, job->cb, job->payload);
    r->source = saved;
    r->t = NULL;
    return rc;
}

int ct_feed_read_osv(const ct_ctx *ctx, const char *data, size_t len, const char *source,
                     ct_advisory_cb cb, void *payload)
{
    reader r;
    int rc;

    memset(&r, 0, sizeof r);
    r.ctx = ctx;
    r.source = source ? source : "-";
    r.key = (ct_buf)CT_BUF_INIT;
    r.vers = (ct_buf)CT_BUF_INIT;
    ct_jptr_init(&r.ptr);
    ct_feed__record_job job = { &r, &r.source, &r.ptr, read_record, cb, payload };
    rc = ct_feed__each_record_tape(ctx, data, len, r.source, on_tape_record, ct_feed__job_record,
                                   &job);
    s_reset(&r, true);
    ct_buf_dispose(&r.key);
    ct_buf_dispose(&r.vers);
    return rc;
}

/* Rejected distro entries on the path the CLI imports through: listed on stderr, one line
 * each with its location and reason (the import itself goes on; see docs/feeds.md). */
static void print_reject(const char *where, const char *reason, void *payload)
{
    (void)payload;
    fprintf(stderr, "cratrace: rejected %s: %s\n", where, reason);
}

int ct_feed_read_osv_path(const ct_ctx *ctx, const char *path, ct_advisory_cb cb, void *payload)
{
    /* the default reader of `advisories import`: distro data (Alpine/Wolfi secdb, Debian
     * tracker, DSA lists) is recognised by content and read by its own reader */
    if (ct_feed_is_distro_path(path))
        return ct_feed_read_distro_path(ctx, path, cb, print_reject, payload, NULL);
    return ct_feed__read_path(ctx, path, ct_feed_read_osv, cb, payload);
}

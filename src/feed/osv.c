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

typedef struct {
    const ct_ctx *ctx;
    const char *source;
    ct_jptr ptr;
    ct_buf key, vers;
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

/* events: [{"introduced": "0"}, {"fixed": "1.2"}, ...] */
static int read_events(reader *r, json_object *range, const char *scheme, bool *usable)
{
    static const struct {
        const char *key;
        ct_osv_event_kind kind;
    } kinds[] = { { "introduced", CT_OSV_INTRODUCED },
                  { "fixed", CT_OSV_FIXED },
                  { "last_affected", CT_OSV_LAST_AFFECTED },
                  { "limit", CT_OSV_LIMIT } };
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
        if (k == CT_NELEM(kinds)) {
            rc = ct_json_error(&r->ptr, r->source, NULL, CT_EPARSE,
                               "event needs introduced, fixed, last_affected or limit");
            goto done;
        }
        if (n == CT_NELEM(ev)) {
            rc = ct_json_error(&r->ptr, r->source, NULL, CT_ELIMIT, "more than %zu events",
                               CT_NELEM(ev));
            goto done;
        }
        ev[n].kind = kinds[k].kind;
        ev[n].version = v;
        n++;
        ct_jptr_pop(&r->ptr);
    }
    ct_jptr_pop(&r->ptr);
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
done:
    ct_jptr_pop(&r->ptr);
    ct_jptr_pop(&r->ptr);
    return rc;
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
    ct_buf_reset(&r->key);
    if (eco && name) {
        if ((rc = ct_osv_package_key(&r->key, &scheme, eco, name)) < 0)
            return rc;
    } else if (purl) {
        ct_purl *p = NULL;
        if (ct_purl_parse(&p, purl, strlen(purl)) == 0) {
            rc = ct_purl_package_key(&r->key, p);
            scheme = ct_purl_type_scheme(p->type);
            ct_purl_free(p);
            if (rc < 0)
                return rc;
        } else {
            ct_error_clear();
        }
    }
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
        ct_buf_reset(&r->vers);
        rc = ct_vers_from_versions(&r->vers, scheme, list, n);
        ct_free(list);
        if (rc == CT_ENOMEM)
            return rc;
        if (rc < 0) {
            ct_error_clear();
            a->unmatchable++;
        } else if ((rc = add_range(a, eco, name, r->key.ptr, scheme, "versions", r->vers.ptr)) <
                   0) {
            return rc;
        }
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

static int read_record(reader *r, json_object *o, ct_advisory_cb cb, void *payload)
{
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
        if (json_object_object_get_ex(o, "details", &d) && json_object_is_type(d, json_type_string)) {
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

typedef struct {
    reader *r;
    ct_advisory_cb cb;
    void *payload;
} value_job;

static int on_record(json_object *v, const char *source, size_t index, void *state)
{
    value_job *job = state;
    const char *saved = job->r->source;
    int rc;
    job->r->source = source;
    ct_jptr_init(&job->r->ptr);
    if (index != SIZE_MAX)
        ct_jptr_push_index(&job->r->ptr, index);
    rc = read_record(job->r, v, job->cb, job->payload);
    job->r->source = saved;
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
    value_job job = { &r, cb, payload };
    rc = ct_feed__each_record(ctx, data, len, r.source, on_record, &job);
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

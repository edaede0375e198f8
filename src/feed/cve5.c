/* CVE JSON 5.x reader (CVE Record Format 5.0/5.1, cve.org schema "CVE_Record_Format.json"):
 * one record, an array of records or JSON lines; from memory, files (.gz included) and
 * directories. Records become ct_advisory values; affected[].versions[] become vers ranges. */
#include "cratrace/cvss.h"
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
    ct_buf key, vers, tmp;
} reader;

static int oom(void)
{
    return ct_error_set(CT_ENOMEM, "out of memory");
}

static int add_range(ct_advisory *a, const char *eco, const char *name, const char *key,
                     const char *scheme, const char *type, const char *vers)
{
    ct_affected_range *g;
    if (a->nranges == a->ranges_cap) {
        size_t ncap = a->ranges_cap ? a->ranges_cap * 2 : 4;
        ct_affected_range *nr = ct_reallocarray(a->ranges, ncap, sizeof *nr);
        if (!nr)
            return oom();
        a->ranges = nr;
        a->ranges_cap = ncap;
    }
    g = &a->ranges[a->nranges++];
    g->ecosystem = ct_strdup(eco ? eco : "");
    g->package = ct_strdup(name ? name : "");
    g->pkg_key = ct_strdup(key);
    g->scheme = ct_strdup(scheme);
    g->range_type = ct_strdup(type);
    g->vers = ct_strdup(vers);
    if (!g->ecosystem || !g->package || !g->pkg_key || !g->scheme || !g->range_type || !g->vers)
        return oom();
    return 0;
}

/* ---- package identity ------------------------------------------------------------------- */

/* collectionURL prefixes of package registries and their OSV ecosystems. */
static const struct {
    const char *url, *ecosystem;
} registries[] = {
    { "https://api.nuget.org", "NuGet" },
    { "https://central.sonatype.com", "Maven" },
    { "https://crates.io", "crates.io" },
    { "https://hex.pm", "Hex" },
    { "https://packagist.org", "Packagist" },
    { "https://pkg.go.dev", "Go" },
    { "https://proxy.golang.org", "Go" },
    { "https://pub.dev", "Pub" },
    { "https://pypi.org", "PyPI" },
    { "https://pypi.python.org", "PyPI" },
    { "https://registry.npmjs.org", "npm" },
    { "https://repo.maven.apache.org/maven2", "Maven" },
    { "https://repo1.maven.org/maven2", "Maven" },
    { "https://rubygems.org", "RubyGems" },
    { "https://search.maven.org", "Maven" },
    { "https://www.npmjs.com", "npm" },
    { "https://www.nuget.org", "NuGet" },
};

static const char *registry_ecosystem(const char *url)
{
    for (size_t i = 0; url && i < CT_NELEM(registries); i++) {
        size_t n = strlen(registries[i].url);
        if (strncmp(url, registries[i].url, n) == 0 && (url[n] == '\0' || url[n] == '/'))
            return registries[i].ecosystem;
    }
    return NULL;
}

static bool placeholder(const char *s)
{
    return !s || !*s || strcmp(s, "n/a") == 0 || strcmp(s, "N/A") == 0 ||
           strcmp(s, "unspecified") == 0 || strcmp(s, "unknown") == 0;
}

/* Append "cpe/<vendor>/<product>": ASCII lowercased, spaces as "_" (CPE 2.3 style). */
static int cpe_key(ct_buf *out, const char *vendor, const char *product)
{
    ct_buf_puts(out, "cpe/");
    for (const char *s = vendor; *s; s++)
        ct_buf_putc(out, *s == ' ' ? '_' : ct_ascii_lower(*s));
    ct_buf_putc(out, '/');
    for (const char *s = product; *s; s++)
        ct_buf_putc(out, *s == ' ' ? '_' : ct_ascii_lower(*s));
    return out->failed ? oom() : 0;
}

/* Package key and default scheme of one affected[] entry; r->key stays empty when none. */
static int package_identity(reader *r, json_object *aff, const char **eco_out,
                            const char **name_out, const char **scheme_out)
{
    const char *purl = ct_feed__get_str(aff, "packageURL"),
               *pkg = ct_feed__get_str(aff, "packageName");
    const char *eco = registry_ecosystem(ct_feed__get_str(aff, "collectionURL"));
    const char *vendor = ct_feed__get_str(aff, "vendor"),
               *product = ct_feed__get_str(aff, "product");
    int rc;

    ct_buf_reset(&r->key);
    *scheme_out = "generic";
    *eco_out = NULL;
    *name_out = pkg ? pkg : product;
    if (purl) {
        ct_purl *p = NULL;
        if (ct_purl_parse(&p, purl, strlen(purl)) == 0) {
            /* a distro purl: keyed in the release its cpes (the OS) or version name */
            json_object *cpes = ct_feed__get(aff, "cpes", json_type_array);
            const char *os = cpes && json_object_array_length(cpes) ?
                                 json_object_get_string(json_object_array_get_idx(cpes, 0)) :
                                 NULL;
            rc = ct_feed__distro_purl_key(&r->key, p, os);
            *scheme_out = ct_purl_type_scheme(p->type);
            ct_purl_free(p);
            return rc < 0 ? rc : 0;
        }
        ct_error_clear();
    }
    if (eco && pkg && *pkg) {
        if ((rc = ct_osv_package_key(&r->key, scheme_out, eco, pkg)) < 0)
            return rc;
        *eco_out = eco;
        return 0;
    }
    if (!placeholder(vendor) && !placeholder(product))
        return cpe_key(&r->key, vendor, product);
    return 0;
}

/* ---- versions ---------------------------------------------------------------------------- */

/* vers scheme for a versionType: NULL = not version-matchable (commit hashes). */
static const char *type_scheme(const char *vt, const char *deflt)
{
    static const struct {
        const char *type, *scheme;
    } map[] = { { "semver", "semver" }, { "rpm", "rpm" }, { "maven", "maven" },
                { "python", "pypi" },   { "git", NULL },  { "original_commit_for_fix", NULL } };
    for (size_t i = 0; vt && i < CT_NELEM(map); i++)
        if (strcmp(vt, map[i].type) == 0)
            return map[i].scheme;
    return deflt;
}

static bool open_start(const char *v)
{
    return placeholder(v) || strcmp(v, "0") == 0 || strcmp(v, "*") == 0 || strcmp(v, "-") == 0;
}

/* "4.4.*", "5.x"-style wildcards cannot be ordered by any scheme. */
static bool wildcard(const char *v)
{
    return v && strcmp(v, "*") != 0 && strchr(v, '*') != NULL;
}

typedef struct {
    const char *version, *status, *lt, *lte, *type;
    json_object *changes;
} ventry;

static bool read_ventry(ventry *e, json_object *v)
{
    memset(e, 0, sizeof *e);
    if (!json_object_is_type(v, json_type_object))
        return false;
    e->version = ct_feed__get_str(v, "version");
    e->status = ct_feed__get_str(v, "status");
    e->lt = ct_feed__get_str(v, "lessThan");
    e->lte = ct_feed__get_str(v, "lessThanOrEqual");
    e->type = ct_feed__get_str(v, "versionType");
    e->changes = ct_feed__get(v, "changes", json_type_array);
    return e->version && e->status;
}

/* An "affected" entry as a vers: a single version, or events built from version (start),
 * changes[] (status switches at "at") and lessThan / lessThanOrEqual (end). Returns 1 when
 * r->vers holds the range, 0 when it cannot be evaluated, < 0 on error. */
static int affected_vers(reader *r, const ventry *e, const char *scheme, const char **type)
{
    ct_osv_event ev[66];
    size_t n = 0;
    int rc;

    ct_buf_reset(&r->vers);
    if (wildcard(e->version) || wildcard(e->lt) || wildcard(e->lte))
        return 0;
    if (!e->lt && !e->lte && !e->changes) {
        const char *one[1] = { e->version };
        if (open_start(e->version))
            return 0;
        *type = "versions";
        rc = ct_vers_from_versions(&r->vers, scheme, one, 1);
    } else {
        ev[n++] = (ct_osv_event){ CT_OSV_INTRODUCED, open_start(e->version) ? "0" : e->version };
        for (size_t i = 0; e->changes && i < json_object_array_length(e->changes); i++) {
            json_object *c = json_object_array_get_idx(e->changes, i);
            const char *at = ct_feed__get_str(c, "at"), *st = ct_feed__get_str(c, "status");
            if (!at || !st || wildcard(at) || n >= CT_NELEM(ev) - 2)
                return 0;
            ev[n++] = (ct_osv_event){ strcmp(st, "affected") == 0 ? CT_OSV_INTRODUCED
                                                                  : CT_OSV_FIXED, at };
        }
        if (e->lt && strcmp(e->lt, "*") != 0)
            ev[n++] = (ct_osv_event){ CT_OSV_FIXED, e->lt };
        else if (e->lte && strcmp(e->lte, "*") != 0)
            ev[n++] = (ct_osv_event){ CT_OSV_LAST_AFFECTED, e->lte };
        *type = "range";
        rc = ct_vers_from_osv_events(&r->vers, scheme, ev, n);
    }
    if (rc == CT_ENOMEM)
        return rc;
    if (rc < 0) {
        ct_error_clear();
        return 0;
    }
    return 1;
}

/* defaultStatus "affected" with "unaffected" entries: everything outside them is affected. */
static int complement_vers(reader *r, const ventry *u, size_t nu, const char *scheme)
{
    ct_vers *v = NULL;
    ct_buf *b = &r->tmp;
    size_t nc = 0;
    int rc;

    ct_buf_reset(b);
    ct_buf_printf(b, "vers:%s/", scheme);
    for (size_t i = 0; i < nu; i++) {
        const ventry *e = &u[i];
        if (wildcard(e->version) || wildcard(e->lt) || wildcard(e->lte) || e->changes ||
            strchr(e->version, '|') || (e->lt && strchr(e->lt, '|')) ||
            (e->lte && strchr(e->lte, '|')))
            return 0;
        if (!e->lt && !e->lte) {
            if (open_start(e->version))
                return 0;
            ct_buf_printf(b, "%s!=%s", nc++ ? "|" : "", e->version);
            continue;
        }
        if (!open_start(e->version))
            ct_buf_printf(b, "%s<%s", nc++ ? "|" : "", e->version);
        if (e->lt && strcmp(e->lt, "*") != 0)
            ct_buf_printf(b, "%s>=%s", nc++ ? "|" : "", e->lt);
        else if (e->lte && strcmp(e->lte, "*") != 0)
            ct_buf_printf(b, "%s>%s", nc++ ? "|" : "", e->lte);
    }
    if (b->failed)
        return oom();
    if (nc == 0)
        return 0; /* unaffected everywhere */
    ct_buf_reset(&r->vers);
    if ((rc = ct_vers_parse(&v, b->ptr, b->len)) == 0)
        rc = ct_vers_format(&r->vers, v);
    ct_vers_free(v);
    if (rc == CT_ENOMEM)
        return rc;
    if (rc < 0) {
        ct_error_clear();
        return 0;
    }
    return 1;
}

static int read_affected(reader *r, ct_advisory *a, json_object *aff)
{
    json_object *versions;
    const char *eco, *name, *scheme, *deflt;
    ventry *u = NULL;
    size_t nu = 0, nv, produced = 0;
    bool git = false;
    int rc;

    if (!json_object_is_type(aff, json_type_object))
        return ct_json_error(&r->ptr, r->source, NULL, CT_EPARSE, "expected an object");
    if ((rc = ct_json_opt_array(&versions, aff, "versions", &r->ptr, r->source)) < 0 ||
        (rc = package_identity(r, aff, &eco, &name, &scheme)) < 0)
        return rc;
    deflt = ct_feed__get_str(aff, "defaultStatus");
    nv = versions ? json_object_array_length(versions) : 0;
    if (!r->key.len) {
        a->unmatchable += nv ? 1 : 0;
        return 0;
    }
    if (nv && !(u = ct_calloc(nv, sizeof *u)))
        return oom();
    for (size_t i = 0; i < nv && rc == 0; i++) {
        ventry e;
        const char *vs, *type = "range";
        if (!read_ventry(&e, json_object_array_get_idx(versions, i)))
            continue;
        if (!(vs = type_scheme(e.type, scheme))) {
            git = true;
            continue;
        }
        if (strcmp(e.status, "unaffected") == 0) {
            u[nu++] = e;
            continue;
        }
        if (strcmp(e.status, "affected") != 0 || (deflt && strcmp(deflt, "affected") == 0))
            continue; /* "unknown"; affected entries inside a default-affected block */
        if ((rc = affected_vers(r, &e, vs, &type)) == 1) {
            rc = add_range(a, eco, name, r->key.ptr, vs, type, r->vers.ptr);
            produced++;
        } else if (rc == 0) {
            a->unmatchable++;
        }
    }
    if (rc == 0 && deflt && strcmp(deflt, "affected") == 0 && !git) {
        const char *vs = nu ? type_scheme(u[0].type, scheme) : scheme;
        if (!nu && !nv) {
            ct_buf_reset(&r->vers);
            if (ct_buf_printf(&r->vers, "vers:%s/*", vs) < 0)
                rc = oom();
            else
                rc = add_range(a, eco, name, r->key.ptr, vs, "default", r->vers.ptr);
        } else if (nu && (rc = complement_vers(r, u, nu, vs)) == 1) {
            rc = add_range(a, eco, name, r->key.ptr, vs, "complement", r->vers.ptr);
        } else if (rc == 0 && nu) {
            a->unmatchable++;
        }
        produced++;
    }
    if (rc == 0 && git && !produced)
        a->unmatchable++; /* commit ranges need the repository history */
    ct_free(u);
    return rc < 0 ? rc : 0;
}

/* ---- metrics, descriptions ---------------------------------------------------------------- */

/* Take the first of cvssV4_0, cvssV3_1, cvssV3_0 (in that order of preference) from a
 * container's metrics[]. Returns 1 when found. */
static int read_metrics(ct_advisory *a, json_object *container)
{
    static const char *const keys[] = { "cvssV4_0", "cvssV3_1", "cvssV3_0" };
    json_object *metrics = ct_feed__get(container, "metrics", json_type_array);
    for (size_t k = 0; metrics && k < CT_NELEM(keys); k++)
        for (size_t i = 0; i < json_object_array_length(metrics); i++) {
            json_object *m = ct_feed__get(json_object_array_get_idx(metrics, i), keys[k],
                                 json_type_object);
            const char *vec = ct_feed__get_str(m, "vectorString"),
                       *sev = ct_feed__get_str(m, "baseSeverity");
            ct_cvss c;
            if (!vec)
                continue;
            if (!sev && ct_cvss_parse(&c, vec, strlen(vec)) == 0)
                sev = ct_cvss_severity_name(c.severity);
            ct_error_clear();
            if (!(a->cvss = ct_strdup(vec)) || (sev && !(a->severity = ct_strdup(sev))))
                return oom();
            return 1;
        }
    return 0;
}

static bool english(const char *lang)
{
    return lang && (lang[0] == 'e' || lang[0] == 'E') && (lang[1] == 'n' || lang[1] == 'N') &&
           (lang[2] == '\0' || lang[2] == '-' || lang[2] == '_');
}

/* The English entry of a [{lang, value}] array (descriptions, rejectedReasons). */
static int english_text(char **out, json_object *container, const char *key)
{
    json_object *arr = ct_feed__get(container, key, json_type_array);
    for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
        json_object *d = json_object_array_get_idx(arr, i);
        const char *v = ct_feed__get_str(d, "value");
        if (v && english(ct_feed__get_str(d, "lang")))
            return (*out = ct_strdup(v)) ? 0 : oom();
    }
    return 0;
}

static int read_containers(reader *r, ct_advisory *a, json_object *containers, bool rejected)
{
    json_object *cna = ct_feed__get(containers, "cna", json_type_object);
    json_object *adp = ct_feed__get(containers, "adp", json_type_array);
    size_t nadp = adp ? json_object_array_length(adp) : 0;
    int rc;

    if ((rc = english_text(&a->summary, cna, rejected ? "rejectedReasons" : "descriptions")) < 0 ||
        (!a->summary && (rc = english_text(&a->summary, cna, "descriptions")) < 0))
        return rc;
    if ((rc = read_metrics(a, cna)) < 0)
        return rc;
    /* no CNA score: CISA-ADP first, then any other ADP */
    for (int pass = 0; pass < 2 && rc == 0; pass++)
        for (size_t i = 0; i < nadp && rc == 0; i++) {
            json_object *c = json_object_array_get_idx(adp, i);
            const char *sn = ct_feed__get_str(ct_feed__get(c, "providerMetadata", json_type_object),
                                              "shortName");
            bool cisa = sn && strcmp(sn, "CISA-ADP") == 0;
            if (cisa == (pass == 0))
                rc = read_metrics(a, c);
        }
    if (rc < 0)
        return rc;
    rc = 0;
    ct_jptr_push_key(&r->ptr, "containers");
    for (size_t i = 0; i <= nadp && rc == 0; i++) {
        json_object *c = i == 0 ? cna : json_object_array_get_idx(adp, i - 1), *affected;
        if (!c)
            continue;
        if (i == 0) {
            ct_jptr_push_key(&r->ptr, "cna");
        } else {
            ct_jptr_push_key(&r->ptr, "adp");
            ct_jptr_push_index(&r->ptr, i - 1);
        }
        if ((rc = ct_json_opt_array(&affected, c, "affected", &r->ptr, r->source)) == 0) {
            ct_jptr_push_key(&r->ptr, "affected");
            for (size_t k = 0; affected && k < json_object_array_length(affected) && rc == 0;
                 k++) {
                ct_jptr_push_index(&r->ptr, k);
                rc = read_affected(r, a, json_object_array_get_idx(affected, k));
                ct_jptr_pop(&r->ptr);
            }
            ct_jptr_pop(&r->ptr);
        }
        ct_jptr_pop(&r->ptr);
        if (i > 0)
            ct_jptr_pop(&r->ptr);
    }
    ct_jptr_pop(&r->ptr);
    return rc;
}

static int read_record(void *rv, json_object *o, ct_advisory_cb cb, void *payload)
{
    reader *r = rv;
    ct_advisory *a;
    json_object *meta;
    const char *state = NULL;
    ct_time rejected_at = CT_TIME_NONE;
    int rc;

    if (!json_object_is_type(o, json_type_object))
        return ct_json_error(&r->ptr, r->source, NULL, CT_EPARSE,
                             "a CVE record is a JSON object");
    if ((rc = ct_json_opt_object(&meta, o, "cveMetadata", &r->ptr, r->source)) < 0)
        return rc;
    if (!meta)
        return ct_json_error(&r->ptr, r->source, "cveMetadata", CT_EPARSE,
                             "a CVE record needs cveMetadata");
    if (!(a = ct_calloc(1, sizeof *a)))
        return oom();
    a->published = a->modified = a->withdrawn = CT_TIME_NONE;
    ct_jptr_push_key(&r->ptr, "cveMetadata");
    if ((rc = ct_json_dup_str(&a->id, meta, "cveId", &r->ptr, r->source)) == 0 &&
        (!a->id || strncmp(a->id, "CVE-", 4) != 0))
        rc = ct_json_error(&r->ptr, r->source, "cveId", CT_EPARSE,
                           "a CVE record needs a cveId \"CVE-YYYY-NNNN\"");
    if (rc == 0 && (rc = ct_json_opt_str(&state, meta, "state", &r->ptr, r->source)) == 0 &&
        (!state || (strcmp(state, "PUBLISHED") != 0 && strcmp(state, "REJECTED") != 0)))
        rc = ct_json_error(&r->ptr, r->source, "state", CT_EPARSE,
                           "state must be PUBLISHED or REJECTED");
    if (rc == 0 &&
        (rc = ct_feed__opt_time_utc(&a->published, meta, "datePublished", &r->ptr, r->source)) ==
            0 &&
        (rc = ct_feed__opt_time_utc(&a->modified, meta, "dateUpdated", &r->ptr, r->source)) == 0)
        rc = ct_feed__opt_time_utc(&rejected_at, meta, "dateRejected", &r->ptr, r->source);
    ct_jptr_pop(&r->ptr);
    if (rc < 0)
        goto cleanup;
    if (strcmp(state, "REJECTED") == 0)
        a->withdrawn = rejected_at != CT_TIME_NONE ? rejected_at : a->modified;
    if (!(a->source = ct_strdup("cve5"))) {
        rc = oom();
        goto cleanup;
    }
    {
        json_object *containers;
        if ((rc = ct_json_opt_object(&containers, o, "containers", &r->ptr, r->source)) < 0)
            goto cleanup;
        if (containers &&
            (rc = read_containers(r, a, containers, a->withdrawn != CT_TIME_NONE)) < 0)
            goto cleanup;
    }
    rc = cb(a, payload);
cleanup:
    ct_advisory_free(a);
    return rc;
}

int ct_feed_read_cve5(const ct_ctx *ctx, const char *data, size_t len, const char *source,
                      ct_advisory_cb cb, void *payload)
{
    reader r;
    int rc;

    memset(&r, 0, sizeof r);
    r.ctx = ctx;
    r.source = source ? source : "-";
    r.key = (ct_buf)CT_BUF_INIT;
    r.vers = (ct_buf)CT_BUF_INIT;
    r.tmp = (ct_buf)CT_BUF_INIT;
    ct_jptr_init(&r.ptr);
    ct_feed__record_job job = { &r, &r.source, &r.ptr, read_record, cb, payload };
    rc = ct_feed__each_record(ctx, data, len, r.source, ct_feed__job_record, &job);
    ct_buf_dispose(&r.key);
    ct_buf_dispose(&r.vers);
    ct_buf_dispose(&r.tmp);
    return rc;
}

int ct_feed_read_cve5_path(const ct_ctx *ctx, const char *path, ct_advisory_cb cb,
                           void *payload)
{
    return ct_feed__read_path(ctx, path, ct_feed_read_cve5, cb, payload);
}

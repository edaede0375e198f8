/* NVD CVE API 2.0 reader: API response pages ({"vulnerabilities": [{"cve": {...}}]}), single
 * "cve" objects, arrays of either and JSON lines; from memory, files (.gz included) and
 * directories. Each cve becomes a ct_advisory; configurations[].nodes[].cpeMatch[] become
 * "generic" vers ranges keyed "cpe/<vendor>/<product>". */
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
    ct_buf key, name, vers, tmp;
} reader;

static int oom(void)
{
    return ct_error_set(CT_ENOMEM, "out of memory");
}

static int add_range(ct_advisory *a, const char *name, const char *key, const char *type,
                     const char *vers)
{
    ct_affected_range *g;
    for (size_t i = 0; i < a->nranges; i++) /* NVD repeats identical matches across nodes */
        if (strcmp(a->ranges[i].pkg_key, key) == 0 && strcmp(a->ranges[i].vers, vers) == 0 &&
            strcmp(a->ranges[i].range_type, type) == 0)
            return 0;
    if (a->nranges == a->ranges_cap) {
        size_t ncap = a->ranges_cap ? a->ranges_cap * 2 : 4;
        ct_affected_range *nr = ct_reallocarray(a->ranges, ncap, sizeof *nr);
        if (!nr)
            return oom();
        a->ranges = nr;
        a->ranges_cap = ncap;
    }
    g = &a->ranges[a->nranges++];
    g->ecosystem = ct_strdup("");
    g->package = ct_strdup(name);
    g->pkg_key = ct_strdup(key);
    g->scheme = ct_strdup("generic");
    g->range_type = ct_strdup(type);
    g->vers = ct_strdup(vers);
    if (!g->ecosystem || !g->package || !g->pkg_key || !g->scheme || !g->range_type || !g->vers)
        return oom();
    return 0;
}

/* Append a WFN value without its NISTIR 7695 quoting ("notepad\+\+" -> "notepad++"). */
static void unquote(ct_buf *out, const char *v, bool lower)
{
    for (const char *s = v; *s; s++) {
        char c = *s;
        if (c == '\\' && s[1])
            c = *++s;
        ct_buf_putc(out, lower ? (c == ' ' ? '_' : ct_ascii_lower(c)) : c);
    }
}

/* A WFN value with unquoted wildcards ("1.2*", "?") cannot be used as a version. */
static bool has_wildcard(const char *v)
{
    for (const char *s = v; *s; s++) {
        if (*s == '\\' && s[1]) {
            s++;
            continue;
        }
        if (*s == '*' || *s == '?')
            return true;
    }
    return false;
}

/* Versions go into vers text unescaped; characters with a meaning there are refused. */
static bool vers_safe(const char *v)
{
    return v && *v && !strpbrk(v, "|/%<>=!* \t");
}

/* Canonicalise r->tmp ("vers:generic/...") into r->vers. 1 = ok, 0 = unusable. */
static int canon_vers(reader *r)
{
    ct_vers *v = NULL;
    int rc;
    if (r->tmp.failed)
        return oom();
    ct_buf_reset(&r->vers);
    if ((rc = ct_vers_parse(&v, r->tmp.ptr, r->tmp.len)) == 0)
        rc = ct_vers_format(&r->vers, v);
    ct_vers_free(v);
    if (rc == CT_ENOMEM)
        return rc;
    if (rc < 0 || r->vers.failed) {
        ct_error_clear();
        return 0;
    }
    return 1;
}

/* One vulnerable cpeMatch entry → a range. Returns 1 when added, 0 when unmatchable. */
static int read_cpe_match(reader *r, ct_advisory *a, json_object *m, const char *type)
{
    const char *crit = ct_feed__get_str(m, "criteria");
    const char *bounds[4] = { ct_feed__get_str(m, "versionStartIncluding"),
                              ct_feed__get_str(m, "versionStartExcluding"),
                              ct_feed__get_str(m, "versionEndIncluding"),
                              ct_feed__get_str(m, "versionEndExcluding") };
    static const char *const ops[4] = { ">=", ">", "<=", "<" };
    ct_cpe *cpe = NULL;
    const ct_cpe_value *vendor, *product, *version;
    size_t nb = 0;
    int rc = 0;

    if (!crit || ct_cpe_parse(&cpe, crit, strlen(crit)) < 0) {
        ct_error_clear();
        return 0;
    }
    vendor = &cpe->attr[CT_CPE_VENDOR];
    product = &cpe->attr[CT_CPE_PRODUCT];
    version = &cpe->attr[CT_CPE_VERSION];
    if (vendor->kind != CT_CPE_VALUE || product->kind != CT_CPE_VALUE ||
        has_wildcard(vendor->value) || has_wildcard(product->value))
        goto done;
    ct_buf_reset(&r->key);
    ct_buf_puts(&r->key, "cpe/");
    unquote(&r->key, vendor->value, true);
    ct_buf_putc(&r->key, '/');
    unquote(&r->key, product->value, true);
    ct_buf_reset(&r->name);
    unquote(&r->name, product->value, false);
    if (r->key.failed || r->name.failed) {
        rc = oom();
        goto done;
    }
    ct_buf_reset(&r->tmp);
    ct_buf_puts(&r->tmp, "vers:generic/");
    for (size_t i = 0; i < 4; i++) {
        if (!bounds[i])
            continue;
        if (!vers_safe(bounds[i]))
            goto done;
        ct_buf_printf(&r->tmp, "%s%s%s", nb++ ? "|" : "", ops[i], bounds[i]);
    }
    if (nb == 0) {
        if (version->kind == CT_CPE_VALUE) {
            if (has_wildcard(version->value))
                goto done;
            ct_buf_reset(&r->vers);
            unquote(&r->vers, version->value, false);
            if (r->vers.failed) {
                rc = oom();
                goto done;
            }
            if (!vers_safe(r->vers.ptr))
                goto done;
            ct_buf_put(&r->tmp, r->vers.ptr, r->vers.len);
        } else {
            ct_buf_putc(&r->tmp, '*'); /* "*" or "-": every version */
        }
    } else if (version->kind == CT_CPE_VALUE) {
        goto done; /* a fixed version and bounds at once: not meaningful */
    }
    if ((rc = canon_vers(r)) == 1)
        rc = add_range(a, r->name.ptr, r->key.ptr, type, r->vers.ptr) < 0 ? oom() : 1;
done:
    ct_cpe_free(cpe);
    return rc;
}

static int read_node(reader *r, ct_advisory *a, json_object *node, bool and_config)
{
    json_object *matches, *neg = ct_feed__get(node, "negate", json_type_boolean);
    const char *op = ct_feed__get_str(node, "operator");
    bool negate = neg && json_object_get_boolean(neg);
    const char *type = and_config || (op && strcmp(op, "AND") == 0) ? "NVD-CPE-AND" : "NVD-CPE";
    int rc = 0;

    if (!json_object_is_type(node, json_type_object))
        return ct_json_error(&r->ptr, r->source, NULL, CT_EPARSE, "a node is a JSON object");
    if ((rc = ct_json_opt_array(&matches, node, "cpeMatch", &r->ptr, r->source)) < 0)
        return rc;
    for (size_t i = 0; matches && i < json_object_array_length(matches); i++) {
        json_object *m = json_object_array_get_idx(matches, i);
        json_object *vuln = ct_feed__get(m, "vulnerable", json_type_boolean);
        if (negate || !vuln || !json_object_get_boolean(vuln)) {
            a->unmatchable++; /* platform conditions, negations */
            continue;
        }
        if ((rc = read_cpe_match(r, a, m, type)) < 0)
            return rc;
        if (rc == 0)
            a->unmatchable++;
    }
    return 0;
}

static int read_configurations(reader *r, ct_advisory *a, json_object *cve)
{
    json_object *configs;
    int rc;
    if ((rc = ct_json_opt_array(&configs, cve, "configurations", &r->ptr, r->source)) < 0 ||
        !configs)
        return rc;
    ct_jptr_push_key(&r->ptr, "configurations");
    for (size_t i = 0; i < json_object_array_length(configs) && rc == 0; i++) {
        json_object *c = json_object_array_get_idx(configs, i), *nodes;
        const char *op = ct_feed__get_str(c, "operator");
        size_t nn;
        ct_jptr_push_index(&r->ptr, i);
        if (!json_object_is_type(c, json_type_object))
            rc = ct_json_error(&r->ptr, r->source, NULL, CT_EPARSE,
                               "a configuration is a JSON object");
        else if ((rc = ct_json_opt_array(&nodes, c, "nodes", &r->ptr, r->source)) == 0 &&
                 nodes) {
            nn = json_object_array_length(nodes);
            ct_jptr_push_key(&r->ptr, "nodes");
            for (size_t k = 0; k < nn && rc == 0; k++) {
                ct_jptr_push_index(&r->ptr, k);
                rc = read_node(r, a, json_object_array_get_idx(nodes, k),
                               op && strcmp(op, "AND") == 0 && nn > 1);
                ct_jptr_pop(&r->ptr);
            }
            ct_jptr_pop(&r->ptr);
        }
        ct_jptr_pop(&r->ptr);
    }
    ct_jptr_pop(&r->ptr);
    return rc;
}

/* cvssMetricV40 > V31 > V30 > V2; within a version the "Primary" (NVD) entry first. */
static int read_metrics(ct_advisory *a, json_object *cve)
{
    static const char *const keys[] = { "cvssMetricV40", "cvssMetricV31", "cvssMetricV30",
                                        "cvssMetricV2" };
    json_object *metrics = ct_feed__get(cve, "metrics", json_type_object);
    for (size_t k = 0; metrics && k < CT_NELEM(keys); k++) {
        json_object *arr = ct_feed__get(metrics, keys[k], json_type_array), *best = NULL;
        for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
            json_object *m = json_object_array_get_idx(arr, i);
            const char *t = ct_feed__get_str(m, "type");
            if (!ct_feed__get_str(ct_feed__get(m, "cvssData", json_type_object), "vectorString"))
                continue;
            if (!best || (t && strcmp(t, "Primary") == 0 &&
                          !(ct_feed__get_str(best, "type") &&
                            strcmp(ct_feed__get_str(best, "type"), "Primary") == 0)))
                best = m;
        }
        if (best) {
            json_object *d = ct_feed__get(best, "cvssData", json_type_object);
            const char *vec = ct_feed__get_str(d, "vectorString");
            const char *sev = ct_feed__get_str(d, "baseSeverity");
            ct_cvss c;
            if (!sev)
                sev = ct_feed__get_str(best, "baseSeverity"); /* V2 keeps it beside cvssData */
            if (!sev && ct_cvss_parse(&c, vec, strlen(vec)) == 0)
                sev = ct_cvss_severity_name(c.severity);
            ct_error_clear();
            if (!(a->cvss = ct_strdup(vec)) || (sev && !(a->severity = ct_strdup(sev))))
                return oom();
            return 1;
        }
    }
    return 0;
}

static bool english(const char *lang)
{
    return lang && (lang[0] == 'e' || lang[0] == 'E') && (lang[1] == 'n' || lang[1] == 'N') &&
           (lang[2] == '\0' || lang[2] == '-' || lang[2] == '_');
}

static int read_cve(reader *r, json_object *cve, ct_advisory_cb cb, void *payload)
{
    ct_advisory *a;
    const char *status = NULL;
    json_object *descs;
    int rc;

    if (!json_object_is_type(cve, json_type_object))
        return ct_json_error(&r->ptr, r->source, NULL, CT_EPARSE, "a cve is a JSON object");
    if (!(a = ct_calloc(1, sizeof *a)))
        return oom();
    a->published = a->modified = a->withdrawn = CT_TIME_NONE;
    if ((rc = ct_json_dup_str(&a->id, cve, "id", &r->ptr, r->source)) == 0 &&
        (!a->id || strncmp(a->id, "CVE-", 4) != 0))
        rc = ct_json_error(&r->ptr, r->source, "id", CT_EPARSE,
                           "a cve needs an id \"CVE-YYYY-NNNN\"");
    if (rc == 0 && (rc = ct_json_opt_str(&status, cve, "vulnStatus", &r->ptr, r->source)) == 0 &&
        (rc = ct_feed__opt_time_utc(&a->published, cve, "published", &r->ptr, r->source)) == 0)
        rc = ct_feed__opt_time_utc(&a->modified, cve, "lastModified", &r->ptr, r->source);
    if (rc == 0 && (rc = ct_json_opt_array(&descs, cve, "descriptions", &r->ptr, r->source)) == 0)
        for (size_t i = 0; descs && i < json_object_array_length(descs); i++) {
            json_object *d = json_object_array_get_idx(descs, i);
            const char *v = ct_feed__get_str(d, "value");
            if (v && english(ct_feed__get_str(d, "lang"))) {
                if (!(a->summary = ct_strdup(v)))
                    rc = oom();
                break;
            }
        }
    if (rc < 0)
        goto cleanup;
    if (status && strcmp(status, "Rejected") == 0)
        a->withdrawn = a->modified != CT_TIME_NONE ? a->modified : a->published;
    if (!(a->source = ct_strdup("nvd"))) {
        rc = oom();
        goto cleanup;
    }
    if ((rc = read_metrics(a, cve)) < 0 || (rc = read_configurations(r, a, cve)) < 0)
        goto cleanup;
    rc = cb(a, payload);
cleanup:
    ct_advisory_free(a);
    return rc;
}

/* An API page, a {"cve": ...} wrapper or a bare cve object. */
static int read_object(void *rv, json_object *o, ct_advisory_cb cb, void *payload)
{
    reader *r = rv;
    json_object *v;
    int rc = 0;
    if (!json_object_is_type(o, json_type_object))
        return ct_json_error(&r->ptr, r->source, NULL, CT_EPARSE,
                             "expected an NVD API response or a cve object");
    if (json_object_object_get_ex(o, "vulnerabilities", &v)) {
        if (!json_object_is_type(v, json_type_array))
            return ct_json_error(&r->ptr, r->source, "vulnerabilities", CT_EPARSE,
                                 "expected an array");
        ct_jptr_push_key(&r->ptr, "vulnerabilities");
        for (size_t i = 0; i < json_object_array_length(v) && rc == 0; i++) {
            json_object *w = json_object_array_get_idx(v, i), *cve;
            ct_jptr_push_index(&r->ptr, i);
            if ((rc = ct_json_opt_object(&cve, w, "cve", &r->ptr, r->source)) == 0) {
                if (!cve)
                    rc = ct_json_error(&r->ptr, r->source, "cve", CT_EPARSE,
                                       "a vulnerabilities[] entry needs a cve object");
                else {
                    ct_jptr_push_key(&r->ptr, "cve");
                    rc = read_cve(r, cve, cb, payload);
                    ct_jptr_pop(&r->ptr);
                }
            }
            ct_jptr_pop(&r->ptr);
        }
        ct_jptr_pop(&r->ptr);
        return rc;
    }
    if (json_object_object_get_ex(o, "cve", &v) && json_object_is_type(v, json_type_object)) {
        ct_jptr_push_key(&r->ptr, "cve");
        rc = read_cve(r, v, cb, payload);
        ct_jptr_pop(&r->ptr);
        return rc;
    }
    return read_cve(r, o, cb, payload);
}

int ct_feed_read_nvd(const ct_ctx *ctx, const char *data, size_t len, const char *source,
                     ct_advisory_cb cb, void *payload)
{
    reader r;
    int rc;

    memset(&r, 0, sizeof r);
    r.ctx = ctx;
    r.source = source ? source : "-";
    r.key = (ct_buf)CT_BUF_INIT;
    r.name = (ct_buf)CT_BUF_INIT;
    r.vers = (ct_buf)CT_BUF_INIT;
    r.tmp = (ct_buf)CT_BUF_INIT;
    ct_jptr_init(&r.ptr);
    ct_feed__record_job job = { &r, &r.source, &r.ptr, read_object, cb, payload };
    rc = ct_feed__each_record(ctx, data, len, r.source, ct_feed__job_record, &job);
    ct_buf_dispose(&r.key);
    ct_buf_dispose(&r.name);
    ct_buf_dispose(&r.vers);
    ct_buf_dispose(&r.tmp);
    return rc;
}

int ct_feed_read_nvd_path(const ct_ctx *ctx, const char *path, ct_advisory_cb cb, void *payload)
{
    return ct_feed__read_path(ctx, path, ct_feed_read_nvd, cb, payload);
}

/* CSAF 2.0 reader (csaf_security_advisory, csaf_vex, csaf_base): one document, an array of
 * documents or JSON lines; from memory, files (.gz included) and directories. Each
 * vulnerabilities[] entry becomes a ct_advisory; the affected product statuses are mapped
 * through the product_tree (branches, full_product_names, relationships) to vers ranges. */
#include "cratrace/cvss.h"
#include "cratrace/feed.h"
#include "cratrace/ident.h"
#include "cratrace/version.h"
#include "base/json_int.h"
#include "feed_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One product_id of the product_tree; strings borrowed from the parsed document. */
typedef struct {
    const char *vendor, *name, *version, *range, *purl, *cpe;
    const char *rel, *ref; /* relationship category and product_reference, else NULL */
    const char *to;        /* relationship relates_to_product_reference (the platform) */
} product;

typedef struct {
    const ct_ctx *ctx;
    const char *source;
    ct_jptr ptr;
    ct_buf key, name, vers, tmp, type;
    product *prods;
    size_t nprods, cap;
    json_object *index; /* product_id -> index into prods */
} reader;

static int oom(void)
{
    return ct_error_set(CT_ENOMEM, "out of memory");
}

static int add_range(ct_advisory *a, const char *name, const char *key, const char *scheme,
                     const char *type, const char *vers)
{
    ct_affected_range *g;
    for (size_t i = 0; i < a->nranges; i++) /* many product ids share one package and range */
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
    g->package = ct_strdup(name ? name : "");
    g->pkg_key = ct_strdup(key);
    g->scheme = ct_strdup(scheme);
    g->range_type = ct_strdup(type);
    g->vers = ct_strdup(vers);
    if (!g->ecosystem || !g->package || !g->pkg_key || !g->scheme || !g->range_type || !g->vers)
        return oom();
    return 0;
}

static int add_alias(ct_advisory *a, const char *s)
{
    char **na;
    if (!s || !*s || (a->id && strcmp(a->id, s) == 0))
        return 0;
    for (size_t i = 0; i < a->naliases; i++)
        if (strcmp(a->aliases[i], s) == 0)
            return 0;
    if (!(na = ct_reallocarray(a->aliases, a->naliases + 1, sizeof *na)))
        return oom();
    a->aliases = na;
    if (!(a->aliases[a->naliases] = ct_strdup(s)))
        return oom();
    a->naliases++;
    return 0;
}

/* ---- product tree ------------------------------------------------------------------------ */

static int add_product(reader *r, json_object *fpn, const product *ctxp)
{
    const char *id = ct_feed__get_str(fpn, "product_id");
    json_object *helper = ct_feed__get(fpn, "product_identification_helper", json_type_object);
    json_object *idx;
    product *p;

    if (!id || json_object_object_get_ex(r->index, id, NULL))
        return 0; /* first definition wins */
    if (r->nprods == r->cap) {
        size_t ncap = r->cap ? r->cap * 2 : 32;
        product *np = ct_reallocarray(r->prods, ncap, sizeof *np);
        if (!np)
            return oom();
        r->prods = np;
        r->cap = ncap;
    }
    p = &r->prods[r->nprods];
    *p = *ctxp;
    p->purl = ct_feed__get_str(helper, "purl");
    p->cpe = ct_feed__get_str(helper, "cpe");
    if (!(idx = json_object_new_int((int32_t)r->nprods)))
        return oom();
    if (json_object_object_add(r->index, id, idx) != 0) {
        json_object_put(idx);
        return oom();
    }
    r->nprods++;
    return 0;
}

static int walk_branches(reader *r, json_object *branches, const product *up, int depth)
{
    int rc = 0;
    if (depth > 64)
        return 0;
    for (size_t i = 0; branches && i < json_object_array_length(branches) && rc == 0; i++) {
        json_object *b = json_object_array_get_idx(branches, i), *prod;
        const char *cat = ct_feed__get_str(b, "category"), *name = ct_feed__get_str(b, "name");
        product here = *up;
        if (cat && name) {
            if (strcmp(cat, "vendor") == 0) {
                here.vendor = name;
            } else if (strcmp(cat, "product_name") == 0) {
                here.name = name;
            } else if (strcmp(cat, "product_version") == 0) {
                here.version = name;
                here.range = NULL;
            } else if (strcmp(cat, "product_version_range") == 0) {
                here.range = name;
                here.version = NULL;
            }
        }
        if ((prod = ct_feed__get(b, "product", json_type_object)) &&
            (rc = add_product(r, prod, &here)) < 0)
            return rc;
        rc = walk_branches(r, ct_feed__get(b, "branches", json_type_array), &here, depth + 1);
    }
    return rc;
}

static int read_product_tree(reader *r, json_object *tree)
{
    json_object *fpns = ct_feed__get(tree, "full_product_names", json_type_array);
    json_object *rels = ct_feed__get(tree, "relationships", json_type_array);
    product none;
    int rc;

    memset(&none, 0, sizeof none);
    if ((rc = walk_branches(r, ct_feed__get(tree, "branches", json_type_array), &none, 0)) < 0)
        return rc;
    for (size_t i = 0; fpns && i < json_object_array_length(fpns) && rc == 0; i++)
        rc = add_product(r, json_object_array_get_idx(fpns, i), &none);
    for (size_t i = 0; rels && i < json_object_array_length(rels) && rc == 0; i++) {
        json_object *rel = json_object_array_get_idx(rels, i);
        product p = none;
        p.rel = ct_feed__get_str(rel, "category");
        p.ref = ct_feed__get_str(rel, "product_reference");
        p.to = ct_feed__get_str(rel, "relates_to_product_reference");
        if (p.rel && p.ref)
            rc = add_product(r, ct_feed__get(rel, "full_product_name", json_type_object), &p);
    }
    return rc;
}

static const product *lookup(const reader *r, const char *id)
{
    json_object *idx;
    if (!id || !json_object_object_get_ex(r->index, id, &idx))
        return NULL;
    return &r->prods[json_object_get_int(idx)];
}

/* ---- product → range --------------------------------------------------------------------- */

static bool placeholder(const char *s)
{
    return !s || !*s || strcmp(s, "n/a") == 0 || strcmp(s, "N/A") == 0 ||
           strcmp(s, "unspecified") == 0 || strcmp(s, "unknown") == 0;
}

/* Append s lowercased, spaces as "_" (the cve5.c "cpe/<vendor>/<product>" rule); with wfn,
 * drop the NISTIR 7695 quoting backslashes first. */
static void key_part(ct_buf *out, const char *s, bool wfn, bool lower)
{
    for (; *s; s++) {
        char c = *s;
        if (wfn && c == '\\' && s[1])
            c = *++s;
        ct_buf_putc(out, !lower ? c : c == ' ' ? '_' : ct_ascii_lower(c));
    }
}

static bool wfn_wild(const char *v)
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

/* Package key of p into r->key and display name into r->name; *scheme_out, and the version
 * the identifier itself carries into r->tmp (empty when none). platform_cpe: the CPE of the
 * platform a relationship puts p in (a distro purl is keyed in that release), or NULL.
 * 1 = key found, 0 = none. */
static int identity(reader *r, const product *p, const char *platform_cpe,
                    const char **scheme_out)
{
    int rc;
    ct_buf_reset(&r->key);
    ct_buf_reset(&r->name);
    ct_buf_reset(&r->tmp);
    *scheme_out = "generic";
    if (p->purl) {
        ct_purl *u = NULL;
        if (ct_purl_parse(&u, p->purl, strlen(p->purl)) == 0) {
            rc = ct_feed__distro_purl_key(&r->key, u, platform_cpe);
            *scheme_out = ct_purl_type_scheme(u->type);
            ct_buf_puts(&r->name, u->name ? u->name : "");
            if (u->version) { /* rpm: the epoch qualifier belongs to the version */
                const char *epoch = ct_purl_qualifier(u, "epoch");
                if (epoch && strcmp(u->type, "rpm") == 0)
                    ct_buf_printf(&r->tmp, "%s:", epoch);
                ct_buf_puts(&r->tmp, u->version);
            }
            ct_purl_free(u);
            if (rc < 0)
                return rc;
            return r->key.failed || r->name.failed || r->tmp.failed ? oom() : 1;
        }
        ct_error_clear();
    }
    if (p->cpe) {
        ct_cpe *c = NULL;
        if (ct_cpe_parse(&c, p->cpe, strlen(p->cpe)) == 0) {
            const ct_cpe_value *ve = &c->attr[CT_CPE_VENDOR], *pr = &c->attr[CT_CPE_PRODUCT],
                               *vs = &c->attr[CT_CPE_VERSION];
            bool ok = ve->kind == CT_CPE_VALUE && pr->kind == CT_CPE_VALUE &&
                      !wfn_wild(ve->value) && !wfn_wild(pr->value);
            if (ok) {
                ct_buf_puts(&r->key, "cpe/");
                key_part(&r->key, ve->value, true, true);
                ct_buf_putc(&r->key, '/');
                key_part(&r->key, pr->value, true, true);
                key_part(&r->name, pr->value, true, false);
                if (vs->kind == CT_CPE_VALUE && !wfn_wild(vs->value))
                    key_part(&r->tmp, vs->value, true, false);
            }
            ct_cpe_free(c);
            if (ok)
                return r->key.failed || r->name.failed || r->tmp.failed ? oom() : 1;
        }
        ct_error_clear();
    }
    if (!placeholder(p->vendor) && !placeholder(p->name)) {
        ct_buf_puts(&r->key, "cpe/");
        key_part(&r->key, p->vendor, false, true);
        ct_buf_putc(&r->key, '/');
        key_part(&r->key, p->name, false, true);
        ct_buf_puts(&r->name, p->name);
        return r->key.failed || r->name.failed ? oom() : 1;
    }
    return 0;
}

/* r->vers = the range for version (or every version when NULL) under status. 1 = ok, 0 = not
 * evaluable. */
static int status_vers(reader *r, const char *scheme, const char *status, const char *version)
{
    int rc;
    ct_buf_reset(&r->vers);
    if (!version || !*version) {
        if (strcmp(status, "known_affected") != 0)
            return 0; /* first/last affected or fixed without a version say nothing */
        rc = ct_buf_printf(&r->vers, "vers:%s/*", scheme);
    } else if (strcmp(status, "first_affected") == 0) {
        ct_osv_event ev[1] = { { CT_OSV_INTRODUCED, version } };
        rc = ct_vers_from_osv_events(&r->vers, scheme, ev, 1);
    } else if (strcmp(status, "fixed") == 0 || strcmp(status, "first_fixed") == 0) {
        ct_osv_event ev[2] = { { CT_OSV_INTRODUCED, "0" }, { CT_OSV_FIXED, version } };
        rc = ct_vers_from_osv_events(&r->vers, scheme, ev, 2);
    } else if (strcmp(status, "last_affected") == 0) {
        ct_osv_event ev[2] = { { CT_OSV_INTRODUCED, "0" }, { CT_OSV_LAST_AFFECTED, version } };
        rc = ct_vers_from_osv_events(&r->vers, scheme, ev, 2);
    } else {
        const char *one[1] = { version };
        rc = ct_vers_from_versions(&r->vers, scheme, one, 1);
    }
    if (rc == CT_ENOMEM || r->vers.failed)
        return oom();
    if (rc < 0) {
        ct_error_clear();
        return 0;
    }
    return 1;
}

/* A product_version_range: vers text is taken as written when it parses (the CSAF "all"
 * type with a star is every version); free text is not evaluable. 1 = r->vers holds it,
 * 0 = unmatchable. */
static int range_vers(reader *r, const char *range, const char **scheme_io)
{
    ct_vers *v = NULL;
    int rc;
    ct_buf_reset(&r->vers);
    if (strcmp(range, "vers:all/*") == 0 || strcmp(range, "all versions") == 0 ||
        strcmp(range, "All versions") == 0) {
        rc = ct_buf_printf(&r->vers, "vers:%s/*", *scheme_io);
        return rc < 0 || r->vers.failed ? oom() : 1;
    }
    if (strncmp(range, "vers:", 5) != 0)
        return 0;
    if ((rc = ct_vers_parse(&v, range, strlen(range))) < 0) {
        if (rc == CT_ENOMEM)
            return rc;
        ct_error_clear();
        return 0;
    }
    *scheme_io = ct_vers_scheme(v);
    ct_buf_puts(&r->vers, range);
    ct_buf_reset(&r->type);
    ct_buf_puts(&r->type, *scheme_io); /* scheme outlives v */
    ct_vers_free(v);
    if (r->vers.failed || r->type.failed)
        return oom();
    *scheme_io = r->type.ptr;
    return 1;
}

static int map_product(reader *r, ct_advisory *a, const char *id, const char *status)
{
    const product *p = lookup(r, id), *target = p, *platform = NULL;
    const char *scheme, *rel = NULL;
    char type[96];
    int rc;

    for (int hops = 0; target && target->rel && hops < 4; hops++) {
        if (!rel) {
            rel = target->rel;
            platform = lookup(r, target->to); /* "AppStream-8.6.0.GA", "Debian 12" */
        }
        target = lookup(r, target->ref);
    }
    bool fixed = strcmp(status, "fixed") == 0 || strcmp(status, "first_fixed") == 0;
    if (!target || target->rel ||
        (rc = identity(r, target, platform ? platform->cpe : NULL, &scheme)) == 0) {
        a->unmatchable += !fixed;
        return 0;
    }
    if (rc < 0)
        return rc;
    if (target->range) {
        if (strcmp(status, "known_affected") != 0)
            rc = 0;
        else
            rc = range_vers(r, target->range, &scheme);
    } else {
        /* a purl's own version, else the product_version branch, else the CPE's */
        bool own = target->purl && r->tmp.len && strncmp(r->key.ptr, "cpe/", 4) != 0;
        char *ver = ct_strdup(own || !target->version ? r->tmp.ptr : target->version);
        if (!ver)
            return oom();
        rc = status_vers(r, scheme, status, ver);
        ct_free(ver);
    }
    if (rc < 0)
        return rc;
    if (rc == 0) {
        a->unmatchable += !fixed;
        return 0;
    }
    snprintf(type, sizeof type, "%s%s%.40s", status, rel ? "/" : "", rel ? rel : "");
    return add_range(a, r->name.ptr, r->key.ptr, scheme, type, r->vers.ptr);
}

/* ---- vulnerabilities --------------------------------------------------------------------- */

static int read_scores(ct_advisory *a, json_object *vuln)
{
    static const char *const keys[] = { "cvss_v4", "cvss_v3", "cvss_v2" };
    json_object *scores = ct_feed__get(vuln, "scores", json_type_array);
    for (size_t k = 0; scores && k < CT_NELEM(keys); k++)
        for (size_t i = 0; i < json_object_array_length(scores); i++) {
            json_object *m = ct_feed__get(json_object_array_get_idx(scores, i), keys[k],
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

static const char *note_text(json_object *container, const char *category)
{
    json_object *notes = ct_feed__get(container, "notes", json_type_array);
    for (size_t i = 0; notes && i < json_object_array_length(notes); i++) {
        json_object *n = json_object_array_get_idx(notes, i);
        const char *cat = ct_feed__get_str(n, "category"), *text = ct_feed__get_str(n, "text");
        if (cat && text && strcmp(cat, category) == 0)
            return text;
    }
    return NULL;
}

static int read_vuln(reader *r, json_object *doc, json_object *vuln, size_t n,
                     ct_advisory_cb cb, void *payload)
{
    static const char *const statuses[] = { "known_affected", "first_affected",
                                            "last_affected", "first_fixed", "fixed" };
    json_object *tracking = ct_feed__get(doc, "tracking", json_type_object), *ids, *ps;
    const char *tid = ct_feed__get_str(tracking, "id"), *cve, *summary;
    ct_advisory *a;
    int rc;

    if (!json_object_is_type(vuln, json_type_object))
        return ct_json_error(&r->ptr, r->source, NULL, CT_EPARSE,
                             "a vulnerability is a JSON object");
    if ((rc = ct_json_opt_str(&cve, vuln, "cve", &r->ptr, r->source)) < 0)
        return rc;
    if (!(a = ct_calloc(1, sizeof *a)))
        return oom();
    a->published = a->modified = a->withdrawn = CT_TIME_NONE;
    if (cve && *cve) {
        a->id = ct_strdup(cve);
    } else {
        ct_buf_reset(&r->tmp);
        ct_buf_printf(&r->tmp, "%s#%zu", tid, n + 1);
        a->id = r->tmp.failed ? NULL : ct_strdup(r->tmp.ptr);
    }
    summary = ct_feed__get_str(vuln, "title");
    if (!summary)
        summary = note_text(vuln, "summary");
    if (!summary)
        summary = note_text(vuln, "description");
    if (!summary)
        summary = ct_feed__get_str(doc, "title");
    if (!a->id || !(a->source = ct_strdup("csaf")) ||
        (summary && !(a->summary = ct_strdup(summary)))) {
        rc = oom();
        goto cleanup;
    }
    if ((rc = add_alias(a, tid)) < 0)
        goto cleanup;
    ids = ct_feed__get(vuln, "ids", json_type_array);
    for (size_t i = 0; ids && i < json_object_array_length(ids) && rc == 0; i++)
        rc = add_alias(a, ct_feed__get_str(json_object_array_get_idx(ids, i), "text"));
    if (rc < 0 ||
        (rc = ct_feed__opt_time_utc(&a->published, vuln, "release_date", &r->ptr, r->source)) < 0)
        goto cleanup;
    if (a->published == CT_TIME_NONE) {
        ct_jptr saved = r->ptr;
        ct_jptr_init(&r->ptr);
        ct_jptr_push_key(&r->ptr, "document");
        ct_jptr_push_key(&r->ptr, "tracking");
        rc = ct_feed__opt_time_utc(&a->published, tracking, "initial_release_date", &r->ptr,
                                   r->source);
        r->ptr = saved;
        if (rc < 0)
            goto cleanup;
    }
    {
        ct_jptr saved = r->ptr;
        ct_jptr_init(&r->ptr);
        ct_jptr_push_key(&r->ptr, "document");
        ct_jptr_push_key(&r->ptr, "tracking");
        rc = ct_feed__opt_time_utc(&a->modified, tracking, "current_release_date", &r->ptr,
                                   r->source);
        r->ptr = saved;
        if (rc < 0)
            goto cleanup;
    }
    if ((rc = read_scores(a, vuln)) < 0)
        goto cleanup;
    rc = 0;
    ps = ct_feed__get(vuln, "product_status", json_type_object);
    for (size_t s = 0; ps && s < CT_NELEM(statuses) && rc == 0; s++) {
        json_object *list = ct_feed__get(ps, statuses[s], json_type_array);
        for (size_t i = 0; list && i < json_object_array_length(list) && rc == 0; i++) {
            json_object *e = json_object_array_get_idx(list, i);
            if (!json_object_is_type(e, json_type_string)) {
                a->unmatchable++;
                continue;
            }
            rc = map_product(r, a, json_object_get_string(e), statuses[s]);
        }
    }
    if (rc < 0)
        goto cleanup;
    rc = cb(a, payload);
cleanup:
    ct_advisory_free(a);
    return rc;
}

static int read_doc(void *rv, json_object *o, ct_advisory_cb cb, void *payload)
{
    reader *r = rv;
    json_object *doc, *tracking, *tree, *vulns;
    const char *tid;
    int rc;

    if (!json_object_is_type(o, json_type_object))
        return ct_json_error(&r->ptr, r->source, NULL, CT_EPARSE,
                             "a CSAF document is a JSON object");
    if ((rc = ct_json_opt_object(&doc, o, "document", &r->ptr, r->source)) < 0)
        return rc;
    if (!doc)
        return ct_json_error(&r->ptr, r->source, "document", CT_EPARSE,
                             "a CSAF document needs a document object");
    ct_jptr_push_key(&r->ptr, "document");
    if ((rc = ct_json_opt_object(&tracking, doc, "tracking", &r->ptr, r->source)) == 0) {
        if (!tracking) {
            rc = ct_json_error(&r->ptr, r->source, "tracking", CT_EPARSE,
                               "a CSAF document needs document.tracking");
        } else {
            ct_jptr_push_key(&r->ptr, "tracking");
            if ((rc = ct_json_opt_str(&tid, tracking, "id", &r->ptr, r->source)) == 0 &&
                (!tid || !*tid))
                rc = ct_json_error(&r->ptr, r->source, "id", CT_EPARSE,
                                   "a CSAF document needs document.tracking.id");
            ct_jptr_pop(&r->ptr);
        }
    }
    ct_jptr_pop(&r->ptr);
    if (rc < 0 || (rc = ct_json_opt_object(&tree, o, "product_tree", &r->ptr, r->source)) < 0 ||
        (rc = ct_json_opt_array(&vulns, o, "vulnerabilities", &r->ptr, r->source)) < 0)
        return rc;
    r->nprods = 0;
    if (!(r->index = json_object_new_object()))
        return oom();
    if (tree)
        rc = read_product_tree(r, tree);
    ct_jptr_push_key(&r->ptr, "vulnerabilities");
    for (size_t i = 0; vulns && i < json_object_array_length(vulns) && rc == 0; i++) {
        ct_jptr_push_index(&r->ptr, i);
        rc = read_vuln(r, doc, json_object_array_get_idx(vulns, i), i, cb, payload);
        ct_jptr_pop(&r->ptr);
    }
    ct_jptr_pop(&r->ptr);
    json_object_put(r->index);
    r->index = NULL;
    return rc;
}

int ct_feed_read_csaf(const ct_ctx *ctx, const char *data, size_t len, const char *source,
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
    r.type = (ct_buf)CT_BUF_INIT;
    ct_jptr_init(&r.ptr);
    ct_feed__record_job job = { &r, &r.source, &r.ptr, read_doc, cb, payload };
    rc = ct_feed__each_record(ctx, data, len, r.source, ct_feed__job_record, &job);
    ct_buf_dispose(&r.key);
    ct_buf_dispose(&r.name);
    ct_buf_dispose(&r.vers);
    ct_buf_dispose(&r.tmp);
    ct_buf_dispose(&r.type);
    ct_free(r.prods);
    return rc;
}

int ct_feed_read_csaf_path(const ct_ctx *ctx, const char *path, ct_advisory_cb cb, void *payload)
{
    return ct_feed__read_path(ctx, path, ct_feed_read_csaf, cb, payload);
}

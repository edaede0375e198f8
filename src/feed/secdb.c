/* Alpine secdb (YAML, read with libyaml) and its JSON form (Alpine, Wolfi): for each package,
 * secfixes maps the package version that fixed a vulnerability to the identifiers fixed there;
 * version "0" means the package was never affected (Alpine secdb README / aports wiki). */
#include "cratrace/feed.h"
#include "feed_int.h"

#include <stdio.h>
#include <string.h>
#include <yaml.h>

typedef struct {
    ct_feed__distro_job *job;
    const char *source;
    char ecosystem[64]; /* "Alpine:v3.11", "Wolfi" */
    char prefix[96];    /* "ALPINE-v3.11-main", "WOLFI" */
    const char *feed;   /* "alpine-secdb", "wolfi-secdb" */
} secdb;

/* One secfixes entry ("CVE-2019-14904", "CVE-2016-6258 XSA-182", "XSA-207 (partial)"): the
 * first well-formed identifier names the record, the others are aliases. */
static int entry(secdb *s, const char *where, const char *pkg, const char *version,
                 const char *text)
{
    const char *ids[8];
    size_t lens[8], n = 0;
    char id[200], first[80], other[80];
    int rc = 0;

    for (const char *p = text; *p && n < CT_NELEM(ids);) {
        size_t k;
        while (*p == ' ' || *p == '\t')
            p++;
        k = strcspn(p, " \t");
        if (k && ct_feed__distro_id_ok(p, k)) {
            ids[n] = p;
            lens[n++] = k;
        }
        p += k;
    }
    if (n == 0) {
        ct_feed__reject(s->job, where, "%s %s: \"%.80s\" names no CVE, XSA or GHSA identifier",
                        pkg, version, text);
        return 0;
    }
    snprintf(first, sizeof first, "%.*s", (int)lens[0], ids[0]);
    snprintf(id, sizeof id, "%s-%s", s->prefix, first);
    if ((rc = ct_feed__acc_add(s->job, where, id, s->feed, first, NULL, s->ecosystem, pkg,
                               version)) <= 0)
        return rc; /* an error, or rejected (reported once) */
    for (size_t i = 1; i < n && rc >= 0; i++) {
        snprintf(other, sizeof other, "%.*s", (int)lens[i], ids[i]);
        rc = ct_feed__acc_add(s->job, where, id, s->feed, other, NULL, NULL, NULL, NULL);
    }
    return rc < 0 ? rc : 0;
}

static void setup(secdb *s, const char *distroversion, const char *reponame, const char *urlprefix)
{
    bool wolfi = urlprefix && strstr(urlprefix, "wolfi.dev");
    bool chainguard = urlprefix && strstr(urlprefix, "chainguard");
    if (wolfi || chainguard) {
        snprintf(s->ecosystem, sizeof s->ecosystem, "%s", wolfi ? "Wolfi" : "Chainguard");
        snprintf(s->prefix, sizeof s->prefix, "%s", wolfi ? "WOLFI" : "CHAINGUARD");
        s->feed = wolfi ? "wolfi-secdb" : "chainguard-secdb";
        return;
    }
    s->feed = "alpine-secdb";
    if (distroversion && *distroversion)
        snprintf(s->ecosystem, sizeof s->ecosystem, "Alpine:%.40s", distroversion);
    else
        snprintf(s->ecosystem, sizeof s->ecosystem, "Alpine");
    snprintf(s->prefix, sizeof s->prefix, "ALPINE%s%.40s%s%.40s",
             distroversion && *distroversion ? "-" : "", distroversion ? distroversion : "",
             reponame && *reponame ? "-" : "", reponame ? reponame : "");
}

/* ---- YAML ------------------------------------------------------------------------------ */

static yaml_node_t *map_get(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
    if (!map || map->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(doc, p->key);
        if (k && k->type == YAML_SCALAR_NODE &&
            strcmp((const char *)k->data.scalar.value, key) == 0)
            return yaml_document_get_node(doc, p->value);
    }
    return NULL;
}

static const char *scalar(yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static void where_at(char *out, size_t cap, const char *source, yaml_node_t *n)
{
    snprintf(out, cap, "%s:%lu", source, n ? (unsigned long)n->start_mark.line + 1 : 0ul);
}

static int yaml_packages(secdb *s, yaml_document_t *doc, yaml_node_t *pkgs)
{
    char where[600];
    int rc = 0;

    for (yaml_node_item_t *it = pkgs->data.sequence.items.start;
         rc == 0 && it < pkgs->data.sequence.items.top; it++) {
        yaml_node_t *item = yaml_document_get_node(doc, *it);
        yaml_node_t *pkg = map_get(doc, item, "pkg");
        const char *name = scalar(map_get(doc, pkg, "name"));
        yaml_node_t *fixes = map_get(doc, pkg, "secfixes");
        where_at(where, sizeof where, s->source, item);
        if (!name || !*name) {
            ct_feed__reject(s->job, where, "package entry without pkg.name");
            continue;
        }
        if (s->job->stats)
            s->job->stats->packages++;
        if (!fixes || (fixes->type == YAML_SCALAR_NODE && !*scalar(fixes)))
            continue; /* no secfixes: nothing fixed yet */
        if (fixes->type != YAML_MAPPING_NODE) {
            ct_feed__reject(s->job, where, "%s: secfixes is not a mapping", name);
            continue;
        }
        for (yaml_node_pair_t *p = fixes->data.mapping.pairs.start;
             rc == 0 && p < fixes->data.mapping.pairs.top; p++) {
            yaml_node_t *k = yaml_document_get_node(doc, p->key);
            yaml_node_t *v = yaml_document_get_node(doc, p->value);
            const char *version = scalar(k);
            where_at(where, sizeof where, s->source, k);
            if (!version || !*version) {
                ct_feed__reject(s->job, where, "%s: a secfixes key is not a version", name);
                continue;
            }
            if (s->job->stats)
                s->job->stats->fixed_versions++;
            if (v && v->type == YAML_SCALAR_NODE && !*scalar(v))
                continue; /* "1.2-r0:" with nothing listed */
            if (!v || v->type != YAML_SEQUENCE_NODE) {
                ct_feed__reject(s->job, where, "%s %s: expected a list of identifiers", name,
                                version);
                continue;
            }
            for (yaml_node_item_t *e = v->data.sequence.items.start;
                 rc == 0 && e < v->data.sequence.items.top; e++) {
                yaml_node_t *en = yaml_document_get_node(doc, *e);
                const char *text = scalar(en);
                where_at(where, sizeof where, s->source, en);
                if (!text)
                    ct_feed__reject(s->job, where, "%s %s: an entry is not a string", name,
                                    version);
                else
                    rc = entry(s, where, name, version, text);
            }
        }
    }
    return rc;
}

static int read_yaml(secdb *s, const char *data, size_t len)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    yaml_node_t *root, *pkgs;
    int rc = 0;

    if (!yaml_parser_initialize(&parser))
        return ct_error_set(CT_ENOMEM, "out of memory");
    yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
    if (!yaml_parser_load(&parser, &doc)) {
        ct_loc loc = { s->source, (uint32_t)parser.problem_mark.line + 1,
                       (uint32_t)parser.problem_mark.column + 1, (int64_t)parser.problem_offset,
                       NULL };
        rc = ct_error_set_at(&loc, parser.error == YAML_MEMORY_ERROR ? CT_ENOMEM : CT_EPARSE,
                             "YAML: %s", parser.problem ? parser.problem : "malformed");
        yaml_parser_delete(&parser);
        return rc;
    }
    root = yaml_document_get_root_node(&doc);
    if (!root || root->type != YAML_MAPPING_NODE) {
        ct_loc loc = { s->source, 1, 1, 0, NULL };
        rc = ct_error_set_at(&loc, CT_EPARSE, "secdb: expected a mapping with \"packages\"");
        goto done;
    }
    setup(s, scalar(map_get(&doc, root, "distroversion")),
          scalar(map_get(&doc, root, "reponame")), scalar(map_get(&doc, root, "urlprefix")));
    pkgs = map_get(&doc, root, "packages");
    if (!pkgs || (pkgs->type == YAML_SCALAR_NODE && !*scalar(pkgs)))
        goto done; /* "packages:" empty (v3.3 community) */
    if (pkgs->type != YAML_SEQUENCE_NODE) {
        ct_loc loc = { s->source, (uint32_t)pkgs->start_mark.line + 1, 1, 0, NULL };
        rc = ct_error_set_at(&loc, CT_EPARSE, "secdb: \"packages\" is not a list");
        goto done;
    }
    rc = yaml_packages(s, &doc, pkgs);
done:
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    return rc;
}

/* ---- JSON ------------------------------------------------------------------------------ */

static int json_packages(secdb *s, json_object *pkgs)
{
    char where[600];
    int rc = 0;

    for (size_t i = 0; rc == 0 && i < json_object_array_length(pkgs); i++) {
        json_object *item = json_object_array_get_idx(pkgs, i);
        json_object *pkg = ct_feed__get(item, "pkg", json_type_object);
        const char *name = pkg ? ct_feed__get_str(pkg, "name") : NULL;
        json_object *fixes = pkg ? json_object_object_get(pkg, "secfixes") : NULL;
        snprintf(where, sizeof where, "%s#/packages/%zu", s->source, i);
        if (!name || !*name) {
            ct_feed__reject(s->job, where, "package entry without pkg.name");
            continue;
        }
        if (s->job->stats)
            s->job->stats->packages++;
        if (!fixes)
            continue;
        if (!json_object_is_type(fixes, json_type_object)) {
            ct_feed__reject(s->job, where, "%s: secfixes is not an object", name);
            continue;
        }
        json_object_object_foreach(fixes, version, list)
        {
            if (rc < 0)
                break;
            if (s->job->stats)
                s->job->stats->fixed_versions++;
            if (!list)
                continue;
            if (!json_object_is_type(list, json_type_array)) {
                ct_feed__reject(s->job, where, "%s %s: expected a list of identifiers", name,
                                version);
                continue;
            }
            for (size_t k = 0; rc == 0 && k < json_object_array_length(list); k++) {
                json_object *e = json_object_array_get_idx(list, k);
                if (!json_object_is_type(e, json_type_string))
                    ct_feed__reject(s->job, where, "%s %s: an entry is not a string", name,
                                    version);
                else
                    rc = entry(s, where, name, version, json_object_get_string(e));
            }
        }
    }
    return rc;
}

static int on_json(json_object *v, const char *source, void *state)
{
    secdb *s = state;
    json_object *pkgs;
    const char *saved = s->source;
    int rc = 0;

    s->source = source;
    if (!json_object_is_type(v, json_type_object)) {
        ct_loc loc = { source, 0, 0, -1, "" };
        rc = ct_error_set_at(&loc, CT_EPARSE, "secdb: expected an object with \"packages\"");
    } else {
        setup(s, ct_feed__get_str(v, "distroversion"), ct_feed__get_str(v, "reponame"),
              ct_feed__get_str(v, "urlprefix"));
        pkgs = json_object_object_get(v, "packages");
        if (pkgs && !json_object_is_type(pkgs, json_type_array)) {
            ct_loc loc = { source, 0, 0, -1, "/packages" };
            rc = ct_error_set_at(&loc, CT_EPARSE, "secdb: \"packages\" is not an array");
        } else if (pkgs) {
            rc = json_packages(s, pkgs);
        }
    }
    s->source = saved;
    return rc;
}

int ct_feed__secdb_parse(const ct_ctx *ctx, const char *data, size_t len, const char *source,
                         ct_feed__distro_job *job)
{
    secdb s;
    size_t i = 0;

    memset(&s, 0, sizeof s);
    s.job = job;
    s.source = source ? source : "-";
    while (i < len && (data[i] == ' ' || data[i] == '\n' || data[i] == '\r' || data[i] == '\t'))
        i++;
    if (i < len && data[i] == '{')
        return ct_feed__each_value(ctx, data, len, s.source, on_json, &s);
    if (len > ct_ctx_limits(ctx)->max_doc_bytes)
        return ct_error_set(CT_ELIMIT, "%s: %zu bytes exceed the document limit", s.source, len);
    return read_yaml(&s, data, len);
}

int ct_feed_read_secdb(const ct_ctx *ctx, const char *data, size_t len, const char *source,
                       ct_advisory_cb cb, ct_feed_reject_cb rej, void *payload,
                       ct_feed_distro_stats *stats)
{
    return ct_feed__distro_read_one(ct_feed__secdb_parse, ctx, data, len, source, cb, rej,
                                    payload, stats);
}

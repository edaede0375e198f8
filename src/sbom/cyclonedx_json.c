/* CycloneDX JSON 1.4-1.6 reader into the format-neutral model (components with nesting,
 * hashes, licences, supplier, dependencies). Type errors carry a JSON pointer. */
#include "cratrace/sbom.h"
#include "base/json_int.h"
#include "sbom/spdx_int.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    const ct_ctx *ctx;
    const char *source;
    ct_sbom *sbom;
    ct_jptr ptr;
    ct_buf tmp;
} reader;

static const char *const known_specs[] = { "1.4", "1.5", "1.6", "1.7" };

void ct_sbom_free(ct_sbom *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->ncomponents; i++) {
        ct_component *c = &s->components[i];
        ct_free(c->bom_ref);
        ct_free(c->type);
        ct_free(c->group);
        ct_free(c->name);
        ct_free(c->version);
        ct_free(c->purl);
        ct_free(c->cpe);
        ct_free(c->supplier);
        ct_free(c->hashes);
        ct_free(c->licenses);
    }
    for (size_t i = 0; i < s->ndeps; i++) {
        ct_free(s->deps[i].ref);
        ct_free(s->deps[i].depends_on);
    }
    ct_free(s->components);
    ct_free(s->deps);
    ct_free(s->format);
    ct_free(s->spec_version);
    ct_free(s->serial_number);
    ct_free(s->name);
    ct_free(s->version);
    ct_free(s);
}

static int oom(void)
{
    return ct_error_set(CT_ENOMEM, "out of memory");
}

/* hashes: [{"alg": "SHA-256", "content": "..."}] kept as compact JSON text */
static int read_hashes(char **out, reader *r, json_object *comp)
{
    json_object *arr;
    int rc;

    *out = NULL;
    if ((rc = ct_json_opt_array(&arr, comp, "hashes", &r->ptr, r->source)) < 0 || !arr)
        return rc;
    ct_buf_reset(&r->tmp);
    ct_buf_putc(&r->tmp, '[');
    ct_jptr_push_key(&r->ptr, "hashes");
    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        json_object *h = json_object_array_get_idx(arr, i);
        const char *alg, *content;
        ct_jptr_push_index(&r->ptr, i);
        if (!json_object_is_type(h, json_type_object)) {
            rc = ct_json_error(&r->ptr, r->source, NULL, CT_EPARSE, "expected a hash object");
            goto done;
        }
        if ((rc = ct_json_opt_str(&alg, h, "alg", &r->ptr, r->source)) < 0 ||
            (rc = ct_json_opt_str(&content, h, "content", &r->ptr, r->source)) < 0)
            goto done;
        if (!alg || !content) {
            rc = ct_json_error(&r->ptr, r->source, NULL, CT_EPARSE,
                               "a hash needs \"alg\" and \"content\"");
            goto done;
        }
        if (i)
            ct_buf_putc(&r->tmp, ',');
        ct_buf_puts(&r->tmp, "{\"alg\":");
        ct_buf_json_str(&r->tmp, alg);
        ct_buf_puts(&r->tmp, ",\"content\":");
        ct_buf_json_str(&r->tmp, content);
        ct_buf_putc(&r->tmp, '}');
        ct_jptr_pop(&r->ptr);
    }
    ct_buf_putc(&r->tmp, ']');
    if (r->tmp.failed)
        rc = oom();
    else if (!(*out = ct_strdup(r->tmp.ptr)))
        rc = oom();
    ct_jptr_pop(&r->ptr);
    return rc;
done:
    ct_jptr_pop(&r->ptr);
    ct_jptr_pop(&r->ptr);
    return rc;
}

/* licenses: [{"license": {"id"|"name"}} | {"expression": "..."}] → "A AND B" */
static int read_licenses(char **out, reader *r, json_object *comp)
{
    json_object *arr;
    int rc;

    *out = NULL;
    if ((rc = ct_json_opt_array(&arr, comp, "licenses", &r->ptr, r->source)) < 0 || !arr)
        return rc;
    ct_buf_reset(&r->tmp);
    ct_jptr_push_key(&r->ptr, "licenses");
    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        json_object *l = json_object_array_get_idx(arr, i), *lic;
        const char *expr = NULL, *id = NULL;
        ct_jptr_push_index(&r->ptr, i);
        if (!json_object_is_type(l, json_type_object)) {
            rc = ct_json_error(&r->ptr, r->source, NULL, CT_EPARSE, "expected a licence object");
            ct_jptr_pop(&r->ptr);
            break;
        }
        if ((rc = ct_json_opt_str(&expr, l, "expression", &r->ptr, r->source)) < 0 ||
            (rc = ct_json_opt_object(&lic, l, "license", &r->ptr, r->source)) < 0) {
            ct_jptr_pop(&r->ptr);
            break;
        }
        if (lic) {
            ct_jptr_push_key(&r->ptr, "license");
            if ((rc = ct_json_opt_str(&id, lic, "id", &r->ptr, r->source)) == 0 && !id)
                rc = ct_json_opt_str(&id, lic, "name", &r->ptr, r->source);
            ct_jptr_pop(&r->ptr);
            if (rc < 0) {
                ct_jptr_pop(&r->ptr);
                break;
            }
        }
        const char *v = expr ? expr : id;
        if (v) {
            if (r->tmp.len)
                ct_buf_puts(&r->tmp, " AND ");
            ct_buf_puts(&r->tmp, v);
        }
        ct_jptr_pop(&r->ptr);
    }
    ct_jptr_pop(&r->ptr);
    if (rc < 0)
        return rc;
    if (r->tmp.failed)
        return oom();
    if (r->tmp.len && !(*out = ct_strdup(r->tmp.ptr)))
        return oom();
    return 0;
}

static int read_components(reader *r, json_object *arr, uint32_t depth);

static int read_component(reader *r, json_object *c, uint32_t depth)
{
    ct_sbom *s = r->sbom;
    ct_component *comp;
    json_object *sup, *nested;
    const char *name;
    int rc;

    if (!json_object_is_type(c, json_type_object))
        return ct_json_error(&r->ptr, r->source, NULL, CT_EPARSE, "expected a component object");
    if ((rc = ct_json_opt_str(&name, c, "name", &r->ptr, r->source)) < 0)
        return rc;
    if (!name)
        return ct_json_error(&r->ptr, r->source, NULL, CT_EPARSE,
                             "component has no \"name\" (required)");
    if (s->ncomponents >= ct_ctx_limits(r->ctx)->max_components)
        return ct_json_error(&r->ptr, r->source, NULL, CT_ELIMIT,
                             "more than %zu components", ct_ctx_limits(r->ctx)->max_components);
    if (s->ncomponents == s->components_cap) {
        size_t ncap = s->components_cap ? s->components_cap * 2 : 64;
        ct_component *nc = ct_reallocarray(s->components, ncap, sizeof *nc);
        if (!nc)
            return oom();
        s->components = nc;
        s->components_cap = ncap;
    }
    comp = &s->components[s->ncomponents++];
    memset(comp, 0, sizeof *comp);
    comp->depth = depth;
    if ((rc = ct_json_dup_str(&comp->name, c, "name", &r->ptr, r->source)) < 0 ||
        (rc = ct_json_dup_str(&comp->bom_ref, c, "bom-ref", &r->ptr, r->source)) < 0 ||
        (rc = ct_json_dup_str(&comp->type, c, "type", &r->ptr, r->source)) < 0 ||
        (rc = ct_json_dup_str(&comp->group, c, "group", &r->ptr, r->source)) < 0 ||
        (rc = ct_json_dup_str(&comp->version, c, "version", &r->ptr, r->source)) < 0 ||
        (rc = ct_json_dup_str(&comp->purl, c, "purl", &r->ptr, r->source)) < 0 ||
        (rc = ct_json_dup_str(&comp->cpe, c, "cpe", &r->ptr, r->source)) < 0 ||
        (rc = ct_json_opt_object(&sup, c, "supplier", &r->ptr, r->source)) < 0)
        return rc;
    if (sup) {
        ct_jptr_push_key(&r->ptr, "supplier");
        rc = ct_json_dup_str(&comp->supplier, sup, "name", &r->ptr, r->source);
        ct_jptr_pop(&r->ptr);
        if (rc < 0)
            return rc;
    }
    if (!comp->type)
        return ct_json_error(&r->ptr, r->source, NULL, CT_EPARSE,
                             "component has no \"type\" (required)");
    if ((rc = read_hashes(&comp->hashes, r, c)) < 0 ||
        (rc = read_licenses(&comp->licenses, r, c)) < 0)
        return rc;
    /* comp may move when nested components grow the array: done with it here */
    if ((rc = ct_json_opt_array(&nested, c, "components", &r->ptr, r->source)) < 0)
        return rc;
    if (nested) {
        ct_jptr_push_key(&r->ptr, "components");
        rc = read_components(r, nested, depth + 1);
        ct_jptr_pop(&r->ptr);
    }
    return rc;
}

static int read_components(reader *r, json_object *arr, uint32_t depth)
{
    int rc = 0;
    if ((int)depth > ct_ctx_limits(r->ctx)->max_depth)
        return ct_json_error(&r->ptr, r->source, NULL, CT_ELIMIT, "components nested too deep");
    for (size_t i = 0; i < json_object_array_length(arr) && rc == 0; i++) {
        ct_jptr_push_index(&r->ptr, i);
        rc = read_component(r, json_object_array_get_idx(arr, i), depth);
        ct_jptr_pop(&r->ptr);
    }
    return rc;
}

static int add_dep(ct_sbom *s, const char *ref, const char *on)
{
    if (s->ndeps == s->deps_cap) {
        size_t ncap = s->deps_cap ? s->deps_cap * 2 : 64;
        ct_dependency *nd = ct_reallocarray(s->deps, ncap, sizeof *nd);
        if (!nd)
            return oom();
        s->deps = nd;
        s->deps_cap = ncap;
    }
    ct_dependency *d = &s->deps[s->ndeps];
    d->ref = ct_strdup(ref);
    d->depends_on = ct_strdup(on);
    if (!d->ref || !d->depends_on) {
        ct_free(d->ref);
        ct_free(d->depends_on);
        return oom();
    }
    s->ndeps++;
    return 0;
}

static int read_dependencies(reader *r, json_object *root)
{
    json_object *arr, *on;
    const char *ref;
    int rc;

    if ((rc = ct_json_opt_array(&arr, root, "dependencies", &r->ptr, r->source)) < 0 || !arr)
        return rc;
    ct_jptr_push_key(&r->ptr, "dependencies");
    for (size_t i = 0; i < json_object_array_length(arr) && rc == 0; i++) {
        json_object *d = json_object_array_get_idx(arr, i);
        ct_jptr_push_index(&r->ptr, i);
        if (!json_object_is_type(d, json_type_object))
            rc = ct_json_error(&r->ptr, r->source, NULL, CT_EPARSE, "expected an object");
        else if ((rc = ct_json_opt_str(&ref, d, "ref", &r->ptr, r->source)) == 0 && !ref)
            rc = ct_json_error(&r->ptr, r->source, NULL, CT_EPARSE, "missing \"ref\"");
        else if (rc == 0 &&
                 (rc = ct_json_opt_array(&on, d, "dependsOn", &r->ptr, r->source)) == 0 && on) {
            for (size_t k = 0; k < json_object_array_length(on) && rc == 0; k++) {
                json_object *t = json_object_array_get_idx(on, k);
                if (!json_object_is_type(t, json_type_string)) {
                    char key[40];
                    snprintf(key, sizeof key, "dependsOn/%zu", k);
                    rc = ct_json_error(&r->ptr, r->source, key, CT_EPARSE, "expected a string");
                } else {
                    rc = add_dep(r->sbom, ref, json_object_get_string(t));
                }
            }
        }
        ct_jptr_pop(&r->ptr);
    }
    ct_jptr_pop(&r->ptr);
    return rc;
}

static int read_root(reader *r, json_object *root)
{
    const char *fmt, *spec;
    json_object *meta, *mcomp, *comps;
    size_t i;
    int rc;

    if (!json_object_is_type(root, json_type_object))
        return ct_json_error(&r->ptr, r->source, NULL, CT_EPARSE,
                             "a CycloneDX document is a JSON object");
    if ((rc = ct_json_opt_str(&fmt, root, "bomFormat", &r->ptr, r->source)) < 0)
        return rc;
    if (!fmt || strcmp(fmt, "CycloneDX") != 0)
        return ct_json_error(&r->ptr, r->source, "bomFormat", CT_EPARSE,
                             "expected \"CycloneDX\"");
    if ((rc = ct_json_opt_str(&spec, root, "specVersion", &r->ptr, r->source)) < 0)
        return rc;
    if (!spec)
        return ct_json_error(&r->ptr, r->source, "specVersion", CT_EPARSE,
                             "missing specVersion");
    for (i = 0; i < CT_NELEM(known_specs) && strcmp(spec, known_specs[i]) != 0; i++)
        ;
    if (i == CT_NELEM(known_specs))
        return ct_json_error(&r->ptr, r->source, "specVersion", CT_EUNSUPPORTED,
                             "unsupported CycloneDX specVersion \"%.20s\" (expected 1.4, 1.5, "
                             "1.6 or 1.7)",
                             spec);
    if (!(r->sbom->format = ct_strdup("cyclonedx-json")) ||
        !(r->sbom->spec_version = ct_strdup(spec)))
        return oom();
    if ((rc = ct_json_dup_str(&r->sbom->serial_number, root, "serialNumber", &r->ptr,
                              r->source)) < 0 ||
        (rc = ct_json_opt_object(&meta, root, "metadata", &r->ptr, r->source)) < 0)
        return rc;
    if (meta) {
        ct_jptr_push_key(&r->ptr, "metadata");
        rc = ct_json_opt_object(&mcomp, meta, "component", &r->ptr, r->source);
        if (rc == 0 && mcomp) {
            ct_jptr_push_key(&r->ptr, "component");
            if ((rc = ct_json_dup_str(&r->sbom->name, mcomp, "name", &r->ptr, r->source)) == 0)
                rc = ct_json_dup_str(&r->sbom->version, mcomp, "version", &r->ptr, r->source);
            ct_jptr_pop(&r->ptr);
        }
        ct_jptr_pop(&r->ptr);
        if (rc < 0)
            return rc;
    }
    if ((rc = ct_json_opt_array(&comps, root, "components", &r->ptr, r->source)) < 0)
        return rc;
    if (comps) {
        ct_jptr_push_key(&r->ptr, "components");
        rc = read_components(r, comps, 0);
        ct_jptr_pop(&r->ptr);
        if (rc < 0)
            return rc;
    }
    return read_dependencies(r, root);
}

int ct_sbom_parse_cyclonedx_json(ct_sbom **out, const ct_ctx *ctx, const char *data, size_t len,
                                 const char *source)
{
    json_object *root = NULL;
    reader r;
    int rc;

    *out = NULL;
    memset(&r, 0, sizeof r);
    r.ctx = ctx;
    r.source = source ? source : "-";
    r.tmp = (ct_buf)CT_BUF_INIT;
    ct_jptr_init(&r.ptr);
    if ((rc = ct_json_parse(&root, ctx, data, len, r.source, 0)) < 0)
        return rc;
    if (!(r.sbom = ct_calloc(1, sizeof *r.sbom))) {
        rc = oom();
        goto cleanup;
    }
    if ((rc = read_root(&r, root)) < 0)
        goto cleanup;
    *out = r.sbom;
    r.sbom = NULL;
cleanup:
    ct_sbom_free(r.sbom);
    ct_buf_dispose(&r.tmp);
    json_object_put(root);
    return rc;
}

int ct_sbom_parse(ct_sbom **out, const ct_ctx *ctx, const char *data, size_t len,
                  const char *source)
{
    size_t i = 0, bom = 0;
    /* UTF-8 BOM and leading space are tolerated before the JSON value */
    if (len >= 3 && (unsigned char)data[0] == 0xEF && (unsigned char)data[1] == 0xBB &&
        (unsigned char)data[2] == 0xBF)
        i = bom = 3;
    while (i < len && (data[i] == ' ' || data[i] == '\n' || data[i] == '\r' || data[i] == '\t'))
        i++;
    if (i < len && data[i] == '{') {
        /* SPDX JSON: a top-level "spdxVersion" member (json-c stays the judge of syntax) */
        if (ct_sbom__is_spdx_json(data + i, len - i))
            return ct_sbom_parse_spdx_json(out, ctx, data + bom, len - bom, source);
        return ct_sbom_parse_cyclonedx_json(out, ctx, data + bom, len - bom, source);
    }
    if (ct_sbom__is_spdx_tv(data + bom, len - bom))
        return ct_sbom_parse_spdx_tv(out, ctx, data + bom, len - bom, source);
    if (i < len && data[i] == '<')
        return ct_sbom_parse_cyclonedx_xml(out, ctx, data + bom, len - bom, source);
    ct_loc loc = { source, 1, 1, (int64_t)i, NULL };
    return ct_error_set_at(&loc, CT_EUNSUPPORTED,
                           "not a recognised SBOM format (expected CycloneDX JSON or SPDX "
                           "2.2/2.3 JSON or tag-value)");
}

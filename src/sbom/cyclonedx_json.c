/* CycloneDX JSON 1.2-1.7 reader into the format-neutral model (components with nesting,
 * hashes, licences, supplier, dependencies), over the JSON tape (base/json_tape.h), not a DOM.
 * Type errors carry a JSON pointer. */
#include "cratrace/sbom.h"
#include "base/json_int.h"
#include "sbom/cdx_json_int.h"
#include "sbom/model_int.h"
#include "sbom/spdx_int.h"

#include <stdio.h>
#include <string.h>

#define INTERN_SLOTS 1024 /* direct-mapped cache of short model strings */
#define INTERN_MAX 32     /* longest string looked up there */
#define RELEASE_EVERY 1024 /* components or dependencies between two ct_jt_release calls */

typedef struct {
    const ct_ctx *ctx;
    const char *source;
    ct_sbom *sbom;
    ct_jptr ptr;
    ct_buf tmp;
    ct_jtape tape;                   /* borrowed */
    const char *intern[INTERN_SLOTS]; /* arena strings, NULL = empty slot */
} reader;

static const char *const known_specs[] = { "1.2", "1.3", "1.4", "1.5", "1.6", "1.7" };

static int oom(void)
{
    return ct_error_set(CT_ENOMEM, "out of memory");
}

/* Optional member of type want: *out CT_JNONE when absent or null; another type is an error at
 * the member's pointer. */
static int opt_typed(ct_jval *out, reader *r, ct_jval obj, const char *key, ct_jt_type want)
{
    return ct_jt_opt(out, &r->tape, obj, key, want, &r->ptr, r->source);
}

/* Optional string member: *out borrowed bytes (not NUL-terminated) or NULL. */
static int opt_str(const char **out, size_t *len, reader *r, ct_jval obj, const char *key)
{
    ct_jval v;
    int rc = opt_typed(&v, r, obj, key, CT_JT_STRING);
    *out = v != CT_JNONE ? ct_jt_str(&r->tape, v, len) : NULL;
    return rc;
}

/* s[0..n) in the model's arena; short strings that repeat (types, licences, versions) are
 * stored once and shared, which is safe as arena strings are never freed or edited one by one
 * (sbom.h). NULL when out of memory. */
static char *model_str(reader *r, const char *s, size_t n)
{
    if (n > INTERN_MAX)
        return ct_sbom__arena_strndup(r->sbom, s, n);
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    const char **slot = &r->intern[h % INTERN_SLOTS];
    if (*slot && strncmp(*slot, s, n) == 0 && (*slot)[n] == '\0')
        return (char *)(uintptr_t)*slot;
    char *d = ct_sbom__arena_strndup(r->sbom, s, n);
    if (d)
        *slot = d;
    return d;
}

/* Optional string member copied into the model: NEW or NULL. */
static int dup_str(char **out, reader *r, ct_jval obj, const char *key)
{
    ct_jval v;
    int rc;
    *out = NULL;
    if ((rc = opt_typed(&v, r, obj, key, CT_JT_STRING)) < 0 || v == CT_JNONE)
        return rc;
    size_t n;
    const char *s = ct_jt_str(&r->tape, v, &n);
    /* cut at an embedded NUL, as ct_jt_strdup() / json-c's C strings */
    const char *z = memchr(s, '\0', n);
    if (!(*out = model_str(r, s, z ? (size_t)(z - s) : n)))
        return oom();
    return 0;
}

/* up to an embedded NUL, as the json-c reader saw C strings */
static size_t cstr_len(const char *s, size_t n)
{
    const char *z = memchr(s, '\0', n);
    return z ? (size_t)(z - s) : n;
}

/* a JSON string of s[0..n) as ct_buf_json_str() writes it */
static void put_json_strn(ct_buf *b, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (unsigned char)s[i] >= 0x20 && s[i] != '"' && s[i] != '\\')
        i++;
    if (i == n) {
        ct_buf_putc(b, '"');
        ct_buf_put(b, s, n);
        ct_buf_putc(b, '"');
        return;
    }
    char *c = ct_strndup(s, n);
    if (!c) {
        b->failed = true;
        return;
    }
    ct_buf_json_str(b, c);
    ct_free(c);
}

/* hashes: [{"alg": "SHA-256", "content": "..."}] kept as compact JSON text */
static int read_hashes(char **out, reader *r, ct_jval comp)
{
    ct_jval arr, h;
    ct_jiter it;
    size_t i = 0;
    int rc;

    *out = NULL;
    if ((rc = opt_typed(&arr, r, comp, "hashes", CT_JT_ARRAY)) < 0 || arr == CT_JNONE)
        return rc;
    ct_buf_reset(&r->tmp);
    ct_buf_putc(&r->tmp, '[');
    ct_jptr_push_key(&r->ptr, "hashes");
    ct_jt_iter(&it, &r->tape, arr);
    for (; ct_jt_next(&it, &r->tape, &h); i++) {
        const char *alg, *content;
        size_t alen = 0, clen = 0;
        ct_jptr_push_index(&r->ptr, i);
        if (ct_jt_type_of(&r->tape, h) != CT_JT_OBJECT) {
            rc = ct_json_error(&r->ptr, r->source, NULL, CT_EPARSE, "expected a hash object");
            goto done;
        }
        if ((rc = opt_str(&alg, &alen, r, h, "alg")) < 0 ||
            (rc = opt_str(&content, &clen, r, h, "content")) < 0)
            goto done;
        if (!alg || !content) {
            rc = ct_json_error(&r->ptr, r->source, NULL, CT_EPARSE,
                               "a hash needs \"alg\" and \"content\"");
            goto done;
        }
        if (i)
            ct_buf_putc(&r->tmp, ',');
        ct_buf_puts(&r->tmp, "{\"alg\":");
        put_json_strn(&r->tmp, alg, cstr_len(alg, alen));
        ct_buf_puts(&r->tmp, ",\"content\":");
        put_json_strn(&r->tmp, content, cstr_len(content, clen));
        ct_buf_putc(&r->tmp, '}');
        ct_jptr_pop(&r->ptr);
    }
    ct_buf_putc(&r->tmp, ']');
    if (r->tmp.failed)
        rc = oom();
    else if (!(*out = model_str(r, r->tmp.ptr, r->tmp.len)))
        rc = oom();
    ct_jptr_pop(&r->ptr);
    return rc;
done:
    ct_jptr_pop(&r->ptr);
    ct_jptr_pop(&r->ptr);
    return rc;
}

/* licenses: [{"license": {"id"|"name"}} | {"expression": "..."}] → "A AND B" */
static int read_licenses(char **out, reader *r, ct_jval comp)
{
    ct_jval arr, l;
    ct_jiter it;
    size_t i = 0;
    int rc;

    *out = NULL;
    if ((rc = opt_typed(&arr, r, comp, "licenses", CT_JT_ARRAY)) < 0 || arr == CT_JNONE)
        return rc;
    ct_buf_reset(&r->tmp);
    ct_jptr_push_key(&r->ptr, "licenses");
    ct_jt_iter(&it, &r->tape, arr);
    for (; ct_jt_next(&it, &r->tape, &l); i++) {
        ct_jval lic;
        const char *expr = NULL, *id = NULL;
        size_t elen = 0, ilen = 0;
        ct_jptr_push_index(&r->ptr, i);
        if (ct_jt_type_of(&r->tape, l) != CT_JT_OBJECT) {
            rc = ct_json_error(&r->ptr, r->source, NULL, CT_EPARSE, "expected a licence object");
            ct_jptr_pop(&r->ptr);
            break;
        }
        if ((rc = opt_str(&expr, &elen, r, l, "expression")) < 0 ||
            (rc = opt_typed(&lic, r, l, "license", CT_JT_OBJECT)) < 0) {
            ct_jptr_pop(&r->ptr);
            break;
        }
        if (lic != CT_JNONE) {
            ct_jptr_push_key(&r->ptr, "license");
            if ((rc = opt_str(&id, &ilen, r, lic, "id")) == 0 && !id)
                rc = opt_str(&id, &ilen, r, lic, "name");
            ct_jptr_pop(&r->ptr);
            if (rc < 0) {
                ct_jptr_pop(&r->ptr);
                break;
            }
        }
        const char *v = expr ? expr : id;
        size_t vlen = cstr_len(v ? v : "", expr ? elen : ilen);
        if (v && vlen) {
            if (r->tmp.len)
                ct_buf_puts(&r->tmp, " AND ");
            ct_buf_put(&r->tmp, v, vlen);
        }
        ct_jptr_pop(&r->ptr);
    }
    ct_jptr_pop(&r->ptr);
    if (rc < 0)
        return rc;
    if (r->tmp.failed)
        return oom();
    if (r->tmp.len && !(*out = model_str(r, r->tmp.ptr, r->tmp.len)))
        return oom();
    return 0;
}

static int read_components(reader *r, ct_jval arr, uint32_t depth);

static int read_component(reader *r, ct_jval c, uint32_t depth)
{
    ct_sbom *s = r->sbom;
    ct_component *comp;
    ct_jval sup, nested, name;
    int rc;

    if (ct_jt_type_of(&r->tape, c) != CT_JT_OBJECT)
        return ct_json_error(&r->ptr, r->source, NULL, CT_EPARSE, "expected a component object");
    if ((rc = opt_typed(&name, r, c, "name", CT_JT_STRING)) < 0)
        return rc;
    if (name == CT_JNONE)
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
    if ((rc = dup_str(&comp->name, r, c, "name")) < 0 ||
        (rc = dup_str(&comp->bom_ref, r, c, "bom-ref")) < 0 ||
        (rc = dup_str(&comp->type, r, c, "type")) < 0 ||
        (rc = dup_str(&comp->group, r, c, "group")) < 0 ||
        (rc = dup_str(&comp->version, r, c, "version")) < 0 ||
        (rc = dup_str(&comp->purl, r, c, "purl")) < 0 ||
        (rc = dup_str(&comp->cpe, r, c, "cpe")) < 0 ||
        (rc = opt_typed(&sup, r, c, "supplier", CT_JT_OBJECT)) < 0)
        return rc;
    if (sup != CT_JNONE) {
        ct_jptr_push_key(&r->ptr, "supplier");
        rc = dup_str(&comp->supplier, r, sup, "name");
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
    if ((rc = opt_typed(&nested, r, c, "components", CT_JT_ARRAY)) < 0)
        return rc;
    if (nested != CT_JNONE) {
        ct_jptr_push_key(&r->ptr, "components");
        rc = read_components(r, nested, depth + 1);
        ct_jptr_pop(&r->ptr);
    }
    return rc;
}

static int read_components(reader *r, ct_jval arr, uint32_t depth)
{
    ct_jiter it;
    ct_jval c;
    size_t i = 0;
    int rc = 0;
    if ((int)depth > ct_ctx_limits(r->ctx)->max_depth)
        return ct_json_error(&r->ptr, r->source, NULL, CT_ELIMIT, "components nested too deep");
    ct_jt_iter(&it, &r->tape, arr);
    while (rc == 0 && ct_jt_next(&it, &r->tape, &c)) {
        if (i && i % RELEASE_EVERY == 0)
            ct_jt_release(&r->tape);
        ct_jptr_push_index(&r->ptr, i++);
        rc = read_component(r, c, depth);
        ct_jptr_pop(&r->ptr);
    }
    return rc;
}

/* ref is an arena string shared by all dependencies of one "ref" */
static int add_dep(reader *r, char *ref, const char *on, size_t olen)
{
    ct_sbom *s = r->sbom;
    if (s->ndeps == s->deps_cap) {
        size_t ncap = s->deps_cap ? s->deps_cap * 2 : 64;
        ct_dependency *nd = ct_reallocarray(s->deps, ncap, sizeof *nd);
        if (!nd)
            return oom();
        s->deps = nd;
        s->deps_cap = ncap;
    }
    ct_dependency *d = &s->deps[s->ndeps];
    d->ref = ref;
    if (!(d->depends_on = model_str(r, on, cstr_len(on, olen))))
        return oom();
    s->ndeps++;
    return 0;
}

static int read_dependency(reader *r, ct_jval d)
{
    ct_jval on, t;
    ct_jiter it;
    const char *ref;
    char *aref = NULL; /* ref in the arena, made at the first target */
    size_t rlen = 0, k = 0;
    int rc;

    if (ct_jt_type_of(&r->tape, d) != CT_JT_OBJECT)
        return ct_json_error(&r->ptr, r->source, NULL, CT_EPARSE, "expected an object");
    if ((rc = opt_str(&ref, &rlen, r, d, "ref")) < 0)
        return rc;
    if (!ref)
        return ct_json_error(&r->ptr, r->source, NULL, CT_EPARSE, "missing \"ref\"");
    if ((rc = opt_typed(&on, r, d, "dependsOn", CT_JT_ARRAY)) < 0 || on == CT_JNONE)
        return rc;
    ct_jt_iter(&it, &r->tape, on);
    for (; rc == 0 && ct_jt_next(&it, &r->tape, &t); k++) {
        size_t olen;
        const char *s = ct_jt_str(&r->tape, t, &olen);
        if (!s) {
            char key[40];
            snprintf(key, sizeof key, "dependsOn/%zu", k);
            rc = ct_json_error(&r->ptr, r->source, key, CT_EPARSE, "expected a string");
        } else if (!aref && !(aref = model_str(r, ref, cstr_len(ref, rlen)))) {
            rc = oom();
        } else {
            rc = add_dep(r, aref, s, olen);
        }
    }
    return rc;
}

static int read_dependencies(reader *r, ct_jval root)
{
    ct_jval arr, d;
    ct_jiter it;
    size_t i = 0;
    int rc;

    if ((rc = opt_typed(&arr, r, root, "dependencies", CT_JT_ARRAY)) < 0 || arr == CT_JNONE)
        return rc;
    ct_jptr_push_key(&r->ptr, "dependencies");
    ct_jt_iter(&it, &r->tape, arr);
    while (rc == 0 && ct_jt_next(&it, &r->tape, &d)) {
        if (i && i % RELEASE_EVERY == 0)
            ct_jt_release(&r->tape);
        ct_jptr_push_index(&r->ptr, i++);
        rc = read_dependency(r, d);
        ct_jptr_pop(&r->ptr);
    }
    ct_jptr_pop(&r->ptr);
    return rc;
}

/* Components in arr and nested below it (a capacity hint: wrong types are counted as they
 * come and reported by the reader); the tape's depth limit bounds the recursion. */
static size_t count_components(const ct_jtape *t, ct_jval arr)
{
    ct_jiter it;
    ct_jval c, nested;
    size_t n = 0;
    ct_jt_iter(&it, t, arr);
    while (ct_jt_next(&it, t, &c)) {
        if (++n % RELEASE_EVERY == 0)
            ct_jt_release(t);
        if (ct_jt_type_of(t, c) == CT_JT_OBJECT &&
            ct_jt_type_of(t, nested = ct_jt_get(t, c, "components")) == CT_JT_ARRAY)
            n += count_components(t, nested);
    }
    return n;
}

/* dependsOn targets in the dependencies array arr (a capacity hint) */
static size_t count_deps(const ct_jtape *t, ct_jval arr)
{
    ct_jiter it;
    ct_jval d;
    size_t n = 0;
    size_t i = 0;
    ct_jt_iter(&it, t, arr);
    while (ct_jt_next(&it, t, &d)) {
        if (++i % RELEASE_EVERY == 0)
            ct_jt_release(t);
        if (ct_jt_type_of(t, d) == CT_JT_OBJECT)
            n += ct_jt_count(t, ct_jt_get(t, d, "dependsOn"));
    }
    return n;
}

/* Allocate the component and dependency arrays once at their final size (no doubling slack,
 * no copy on growth: issue 5); the readers still grow them should the hint be short. */
static int presize(reader *r, ct_jval comps, ct_jval root)
{
    ct_sbom *s = r->sbom;
    ct_jval deps = ct_jt_get(&r->tape, root, "dependencies");
    size_t nc = comps != CT_JNONE ? count_components(&r->tape, comps) : 0;
    size_t nd = ct_jt_type_of(&r->tape, deps) == CT_JT_ARRAY ? count_deps(&r->tape, deps) : 0;
    size_t maxc = ct_ctx_limits(r->ctx)->max_components;
    if (nc > maxc)
        nc = maxc;
    if (nc && !(s->components = ct_reallocarray(NULL, nc, sizeof *s->components)))
        return oom();
    s->components_cap = nc;
    if (nd && !(s->deps = ct_reallocarray(NULL, nd, sizeof *s->deps)))
        return oom();
    s->deps_cap = nd;
    return 0;
}

static int read_root(reader *r, ct_jval root)
{
    const char *fmt, *spec;
    size_t flen = 0, slen = 0, i;
    ct_jval meta, mcomp, comps;
    int rc;

    if (ct_jt_type_of(&r->tape, root) != CT_JT_OBJECT)
        return ct_json_error(&r->ptr, r->source, NULL, CT_EPARSE,
                             "a CycloneDX document is a JSON object");
    if ((rc = opt_str(&fmt, &flen, r, root, "bomFormat")) < 0)
        return rc;
    if (!fmt || flen != 9 || memcmp(fmt, "CycloneDX", 9) != 0)
        return ct_json_error(&r->ptr, r->source, "bomFormat", CT_EPARSE,
                             "expected \"CycloneDX\"");
    if ((rc = opt_str(&spec, &slen, r, root, "specVersion")) < 0)
        return rc;
    if (!spec)
        return ct_json_error(&r->ptr, r->source, "specVersion", CT_EPARSE,
                             "missing specVersion");
    for (i = 0; i < CT_NELEM(known_specs) && !(slen == strlen(known_specs[i]) &&
                                               memcmp(spec, known_specs[i], slen) == 0);
         i++)
        ;
    if (i == CT_NELEM(known_specs))
        return ct_json_error(&r->ptr, r->source, "specVersion", CT_EUNSUPPORTED,
                             "unsupported CycloneDX specVersion \"%.*s\" (expected 1.2 to 1.7)",
                             (int)cstr_len(spec, slen < 20 ? slen : 20), spec);
    if (!(r->sbom->format = model_str(r, "cyclonedx-json", 14)) ||
        !(r->sbom->spec_version = model_str(r, known_specs[i], strlen(known_specs[i]))))
        return oom();
    if ((rc = dup_str(&r->sbom->serial_number, r, root, "serialNumber")) < 0 ||
        (rc = opt_typed(&meta, r, root, "metadata", CT_JT_OBJECT)) < 0)
        return rc;
    if (meta != CT_JNONE) {
        ct_jptr_push_key(&r->ptr, "metadata");
        rc = opt_typed(&mcomp, r, meta, "component", CT_JT_OBJECT);
        if (rc == 0 && mcomp != CT_JNONE) {
            ct_jptr_push_key(&r->ptr, "component");
            if ((rc = dup_str(&r->sbom->name, r, mcomp, "name")) == 0)
                rc = dup_str(&r->sbom->version, r, mcomp, "version");
            ct_jptr_pop(&r->ptr);
        }
        ct_jptr_pop(&r->ptr);
        if (rc < 0)
            return rc;
    }
    if ((rc = opt_typed(&comps, r, root, "components", CT_JT_ARRAY)) < 0 ||
        (rc = presize(r, comps, root)) < 0)
        return rc;
    if (comps != CT_JNONE) {
        ct_jptr_push_key(&r->ptr, "components");
        rc = read_components(r, comps, 0);
        ct_jptr_pop(&r->ptr);
        if (rc < 0)
            return rc;
    }
    return read_dependencies(r, root);
}

/* every model string in the model's arena (sbom.h; issue 5) */
static int cdx_read(ct_sbom **out, const ct_ctx *ctx, const ct_jtape *tape, const char *source)
{
    reader r;
    int rc;

    *out = NULL;
    memset(&r, 0, sizeof r);
    r.ctx = ctx;
    r.source = source ? source : "-";
    r.tmp = (ct_buf)CT_BUF_INIT;
    r.tape = *tape;
    ct_jptr_init(&r.ptr);
    if (!(r.sbom = ct_calloc(1, sizeof *r.sbom))) {
        rc = oom();
        goto cleanup;
    }
    if ((rc = read_root(&r, 0)) < 0)
        goto cleanup;
    *out = r.sbom;
    r.sbom = NULL;
cleanup:
    ct_sbom_free(r.sbom);
    ct_buf_dispose(&r.tmp);
    return rc;
}

int ct_sbom__cdx_json_read(ct_sbom **out, const ct_ctx *ctx, const ct_jtape *tape,
                           const char *source)
{
    return cdx_read(out, ctx, tape, source);
}

static int cdx_parse(ct_sbom **out, const ct_ctx *ctx, const char *data, size_t len,
                     const char *source, ct_jtape_release_fn release, void *payload)
{
    ct_jtape tape = CT_JTAPE_INIT;
    int rc;

    *out = NULL;
    source = source ? source : "-";
    rc = release ? ct_jtape_parse_released(&tape, ctx, data, len, source, release, payload)
                 : ct_jtape_parse(&tape, ctx, data, len, source, 0);
    if (rc == 0)
        rc = cdx_read(out, ctx, &tape, source);
    ct_jtape_dispose(&tape);
    return rc;
}

int ct_sbom_parse_cyclonedx_json(ct_sbom **out, const ct_ctx *ctx, const char *data, size_t len,
                                 const char *source)
{
    return cdx_parse(out, ctx, data, len, source, NULL, NULL);
}

/* ct_sbom_parse; release (may be NULL) is handed to the CycloneDX JSON tape only: the other
 * readers build a DOM of their own and do not walk the input twice */
static int parse_any(ct_sbom **out, const ct_ctx *ctx, const char *data, size_t len,
                     const char *source, ct_jtape_release_fn release, void *payload)
{
    size_t i = 0, bom = 0;
    /* UTF-8 BOM and leading space are tolerated before the JSON value */
    bom = ct_sbom__bom_len(data, len);
    i = ct_sbom__doc_start(data, len);
    if (i < len && data[i] == '{') {
        /* SPDX JSON: a top-level "spdxVersion" member (json-c stays the judge of syntax) */
        if (ct_sbom__is_spdx_json(data + i, len - i))
            return ct_sbom_parse_spdx_json(out, ctx, data + bom, len - bom, source);
        return cdx_parse(out, ctx, data + bom, len - bom, source, release, payload);
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

int ct_sbom_parse(ct_sbom **out, const ct_ctx *ctx, const char *data, size_t len,
                  const char *source)
{
    return parse_any(out, ctx, data, len, source, NULL, NULL);
}

int ct_sbom__parse_released(ct_sbom **out, const ct_ctx *ctx, const char *data, size_t len,
                            const char *source, ct_jtape_release_fn release, void *payload)
{
    return parse_any(out, ctx, data, len, source, release, payload);
}

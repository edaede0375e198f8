/* Facts the quality profiles need and the format-neutral model does not keep: SBOM author and
 * timestamp, file names, BSI component properties, stated dependency lists. Read from the
 * document bytes of CycloneDX JSON, SPDX JSON and SPDX tag-value (CycloneDX XML:
 * profile_facts_xml.c). The document has already
 * been read by ct_sbom_parse (types checked there); members of an unexpected type are simply
 * not facts. */
#include "sbom/profile_int.h"
#include "base/json_int.h"
#include "sbom/spdx_int.h"

#include <stdlib.h>
#include <string.h>

static int oom(void)
{
    return ct_error_set(CT_ENOMEM, "out of memory");
}

void ct_sbom_facts_free(ct_sbom_facts *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->ncomponents; i++) {
        ct_sbom_facts_component *c = &f->components[i];
        ct_free(c->ref);
        ct_free(c->filename);
        ct_free(c->creator_contact);
        ct_free(c->executable);
        ct_free(c->archive);
        ct_free(c->structured);
    }
    ct_free(f->components);
    ct_free(f->format);
    ct_free(f->author);
    ct_free(f->author_contact);
    ct_free(f->timestamp);
    ct_free(f);
}

int ct_sbom__facts_set(char **dst, const char *s, size_t n)
{
    if (*dst || !s || !n)
        return 0; /* first value wins */
    return (*dst = ct_strndup(s, n)) ? 0 : oom();
}

#define set_n ct_sbom__facts_set /* first value wins */

static int set(char **dst, const char *s)
{
    return s ? set_n(dst, s, strlen(s)) : 0;
}

int ct_sbom__facts_new_component(ct_sbom_facts_component **out, ct_sbom_facts *f, size_t max)
{
    if (f->ncomponents >= max)
        return ct_error_set(CT_ELIMIT, "more than %zu components", max);
    if (f->ncomponents == f->components_cap) {
        size_t ncap = f->components_cap ? f->components_cap * 2 : 64;
        ct_sbom_facts_component *nc = ct_reallocarray(f->components, ncap, sizeof *nc);
        if (!nc)
            return oom();
        f->components = nc;
        f->components_cap = ncap;
    }
    *out = &f->components[f->ncomponents++];
    memset(*out, 0, sizeof **out);
    return 0;
}

/* ---- lookup by ref (sorted index) --------------------------------------------------------- */

typedef struct {
    const char *ref;
    size_t idx;
} ref_idx;

static int cmp_ref(const void *a, const void *b)
{
    return strcmp(((const ref_idx *)a)->ref, ((const ref_idx *)b)->ref);
}

/* Mark deps_stated on every component whose ref is in refs[0..n). */
int ct_sbom__facts_mark_stated(ct_sbom_facts *f, const char *const *refs, size_t n)
{
    ref_idx *ix = NULL;
    size_t m = 0;
    if (!f->ncomponents || !n)
        return 0;
    if (!(ix = ct_reallocarray(NULL, f->ncomponents, sizeof *ix)))
        return oom();
    for (size_t i = 0; i < f->ncomponents; i++)
        if (f->components[i].ref)
            ix[m++] = (ref_idx){ f->components[i].ref, i };
    qsort(ix, m, sizeof *ix, cmp_ref);
    for (size_t k = 0; k < n; k++) {
        ref_idx key = { refs[k], 0 };
        ref_idx *hit = m ? bsearch(&key, ix, m, sizeof *ix, cmp_ref) : NULL;
        if (!hit)
            continue;
        /* equal refs (a malformed document) all get the mark */
        for (ref_idx *p = hit; p >= ix && strcmp(p->ref, refs[k]) == 0; p--)
            f->components[p->idx].deps_stated = true;
        for (ref_idx *p = hit + 1; p < ix + m && strcmp(p->ref, refs[k]) == 0; p++)
            f->components[p->idx].deps_stated = true;
    }
    ct_free(ix);
    return 0;
}

/* ---- CycloneDX JSON ----------------------------------------------------------------------- */

static json_object *member(json_object *o, const char *key, json_type type)
{
    json_object *v;
    if (!o || !json_object_is_type(o, json_type_object) ||
        !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, type))
        return NULL;
    return v;
}

static const char *str_member(json_object *o, const char *key)
{
    json_object *v = member(o, key, json_type_string);
    const char *s = v ? json_object_get_string(v) : NULL;
    return s && *s ? s : NULL;
}

/* An organizationalEntity's (supplier, manufacturer) contact: url[0] or contact[].email. */
static const char *entity_contact(json_object *ent)
{
    json_object *arr = member(ent, "url", json_type_array);
    for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
        json_object *u = json_object_array_get_idx(arr, i);
        if (json_object_is_type(u, json_type_string) && json_object_get_string_len(u))
            return json_object_get_string(u);
    }
    arr = member(ent, "contact", json_type_array);
    for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
        const char *e = str_member(json_object_array_get_idx(arr, i), "email");
        if (e)
            return e;
    }
    return NULL;
}

/* authors: [{name, email}] → first email; *name_out the first name or email */
static const char *authors_contact(json_object *o, const char **name_out)
{
    json_object *arr = member(o, "authors", json_type_array);
    const char *contact = NULL;
    for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
        json_object *a = json_object_array_get_idx(arr, i);
        const char *n = str_member(a, "name"), *e = str_member(a, "email");
        if (name_out && !*name_out)
            *name_out = n ? n : e;
        if (!contact && e)
            contact = e;
    }
    return contact;
}

static int cdx_component(ct_sbom_facts *f, const ct_ctx *ctx, json_object *c, int depth);

static int cdx_components(ct_sbom_facts *f, const ct_ctx *ctx, json_object *arr, int depth)
{
    int rc = 0;
    if (depth > ct_ctx_limits(ctx)->max_depth)
        return ct_error_set(CT_ELIMIT, "components nested too deep");
    for (size_t i = 0; arr && i < json_object_array_length(arr) && rc == 0; i++)
        rc = cdx_component(f, ctx, json_object_array_get_idx(arr, i), depth);
    return rc;
}

static int cdx_component(ct_sbom_facts *f, const ct_ctx *ctx, json_object *c, int depth)
{
    static const char *const props[] = { "bsi:component:filename", "bsi:component:executable",
                                         "bsi:component:archive", "bsi:component:structured" };
    ct_sbom_facts_component *fc;
    json_object *arr;
    const char *contact;
    int rc;

    if (!json_object_is_type(c, json_type_object))
        return 0; /* the reader refused such documents already */
    if ((rc = ct_sbom__facts_new_component(&fc, f, ct_ctx_limits(ctx)->max_components)) < 0 ||
        (rc = set(&fc->ref, str_member(c, "bom-ref"))) < 0)
        return rc;
    contact = entity_contact(member(c, "supplier", json_type_object));
    if (!contact)
        contact = entity_contact(member(c, "manufacturer", json_type_object));
    if (!contact)
        contact = authors_contact(c, NULL);
    if ((rc = set(&fc->creator_contact, contact)) < 0)
        return rc;
    arr = member(c, "properties", json_type_array);
    for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
        json_object *p = json_object_array_get_idx(arr, i);
        const char *name = str_member(p, "name"), *value = str_member(p, "value");
        char **dst[] = { &fc->filename, &fc->executable, &fc->archive, &fc->structured };
        for (size_t k = 0; name && k < CT_NELEM(props); k++)
            if (strcmp(name, props[k]) == 0 && (rc = set(dst[k], value)) < 0)
                return rc;
    }
    /* fc may move when nested components grow the array: done with it here */
    return cdx_components(f, ctx, member(c, "components", json_type_array), depth + 1);
}

static int cdx_metadata(ct_sbom_facts *f, json_object *meta)
{
    static const char *const orgs[] = { "manufacturer", "manufacture", "supplier" };
    const char *name = NULL, *contact = authors_contact(meta, &name);
    json_object *tools;
    int rc;

    for (size_t i = 0; i < CT_NELEM(orgs); i++) {
        json_object *org = member(meta, orgs[i], json_type_object);
        if (!org)
            continue;
        if (!name)
            name = str_member(org, "name");
        if (!contact)
            contact = entity_contact(org);
        if (!name)
            name = contact;
    }
    if ((rc = set(&f->timestamp, str_member(meta, "timestamp"))) < 0 ||
        (rc = set(&f->author, name)) < 0 || (rc = set(&f->author_contact, contact)) < 0)
        return rc;
    tools = member(meta, "tools", json_type_array);
    if (!tools && (tools = member(meta, "tools", json_type_object)))
        f->tool_only = !name && (json_object_object_length(tools) > 0);
    else
        f->tool_only = !name && tools && json_object_array_length(tools) > 0;
    return 0;
}

static int cdx_read(ct_sbom_facts *f, const ct_ctx *ctx, json_object *root)
{
    json_object *deps, *vulns, *meta;
    const char **refs = NULL;
    size_t n = 0;
    int rc;

    f->has_properties = true;
    if ((meta = member(root, "metadata", json_type_object)) && (rc = cdx_metadata(f, meta)) < 0)
        return rc;
    vulns = member(root, "vulnerabilities", json_type_array);
    f->has_vulnerabilities = vulns && json_object_array_length(vulns) > 0;
    if ((rc = cdx_components(f, ctx, member(root, "components", json_type_array), 0)) < 0)
        return rc;
    deps = member(root, "dependencies", json_type_array);
    if (!deps || !json_object_array_length(deps))
        return 0;
    if (!(refs = ct_reallocarray(NULL, json_object_array_length(deps), sizeof *refs)))
        return oom();
    for (size_t i = 0; i < json_object_array_length(deps); i++) {
        const char *ref = str_member(json_object_array_get_idx(deps, i), "ref");
        if (ref)
            refs[n++] = ref;
    }
    rc = ct_sbom__facts_mark_stated(f, refs, n);
    ct_free(refs);
    return rc;
}

/* ---- SPDX (JSON and tag-value share these) ------------------------------------------------- */

/* "Person: Jane (jane@example.org)" / "Organization: ACME ()" / "Tool: x-1.0" */
static int spdx_creator(ct_sbom_facts *f, const char *s, size_t n)
{
    bool tool = n >= 5 && memcmp(s, "Tool:", 5) == 0;
    const char *open = memchr(s, '(', n), *at;
    int rc;

    if (tool) {
        f->tool_only = !f->author;
        return 0;
    }
    f->tool_only = false;
    if ((rc = set_n(&f->author, s, n)) < 0)
        return rc;
    if (open && (at = memchr(open, '@', n - (size_t)(open - s)))) {
        const char *close = memchr(open, ')', n - (size_t)(open - s));
        if (close && close > at)
            return set_n(&f->author_contact, open + 1, (size_t)(close - open - 1));
    }
    return 0;
}

/* SPDX "Organization: X (email)" supplier or originator → the email, when there is one */
static int spdx_contact(ct_sbom_facts_component *fc, const char *s, size_t n)
{
    const char *open = memchr(s, '(', n), *close, *at;
    if (!open)
        return 0;
    close = memchr(open, ')', n - (size_t)(open - s));
    at = memchr(open, '@', n - (size_t)(open - s));
    if (close && at && at < close)
        return set_n(&fc->creator_contact, open + 1, (size_t)(close - open - 1));
    return 0;
}

static bool eqn(const char *s, size_t n, const char *lit)
{
    return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

/* Which side of a relationship has its dependency list stated: 1 the element, 2 the related
 * element, 0 neither. */
static int stated_side(const char *type, size_t n)
{
    if (eqn(type, n, "DEPENDS_ON") || eqn(type, n, "CONTAINS"))
        return 1;
    if (eqn(type, n, "DEPENDENCY_OF") || eqn(type, n, "CONTAINED_BY"))
        return 2;
    return 0;
}

static int spdx_json_read(ct_sbom_facts *f, const ct_ctx *ctx, json_object *root)
{
    json_object *ci = member(root, "creationInfo", json_type_object), *arr;
    const char **refs = NULL;
    size_t n = 0;
    int rc;

    if ((rc = set(&f->timestamp, str_member(ci, "created"))) < 0)
        return rc;
    arr = member(ci, "creators", json_type_array);
    for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
        json_object *c = json_object_array_get_idx(arr, i);
        if (json_object_is_type(c, json_type_string) &&
            (rc = spdx_creator(f, json_object_get_string(c),
                               (size_t)json_object_get_string_len(c))) < 0)
            return rc;
    }
    arr = member(root, "packages", json_type_array);
    for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
        json_object *p = json_object_array_get_idx(arr, i);
        const char *sup = str_member(p, "supplier"), *orig = str_member(p, "originator");
        ct_sbom_facts_component *fc;
        if (!json_object_is_type(p, json_type_object))
            continue;
        if ((rc = ct_sbom__facts_new_component(&fc, f, ct_ctx_limits(ctx)->max_components)) < 0 ||
            (rc = set(&fc->ref, str_member(p, "SPDXID"))) < 0 ||
            (rc = set(&fc->filename, str_member(p, "packageFileName"))) < 0 ||
            (sup && (rc = spdx_contact(fc, sup, strlen(sup))) < 0) ||
            (orig && (rc = spdx_contact(fc, orig, strlen(orig))) < 0))
            return rc;
    }
    arr = member(root, "relationships", json_type_array);
    if (!arr || !json_object_array_length(arr))
        return 0;
    if (!(refs = ct_reallocarray(NULL, json_object_array_length(arr), sizeof *refs)))
        return oom();
    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        json_object *r = json_object_array_get_idx(arr, i);
        const char *type = str_member(r, "relationshipType");
        int side = type ? stated_side(type, strlen(type)) : 0;
        const char *other = side == 1 ? str_member(r, "relatedSpdxElement")
                                      : str_member(r, "spdxElementId");
        const char *who = side == 1 ? str_member(r, "spdxElementId")
                          : side == 2 ? str_member(r, "relatedSpdxElement")
                                      : NULL;
        if (other && strcmp(other, "NOASSERTION") == 0)
            who = NULL; /* "not known" states nothing */
        if (who)
            refs[n++] = who;
    }
    rc = ct_sbom__facts_mark_stated(f, refs, n);
    ct_free(refs);
    return rc;
}

typedef struct {
    char **v;
    size_t n, cap;
} strvec;

static int strvec_add(strvec *sv, const char *s, size_t n)
{
    if (sv->n == sv->cap) {
        size_t ncap = sv->cap ? sv->cap * 2 : 64;
        char **nv = ct_reallocarray(sv->v, ncap, sizeof *nv);
        if (!nv)
            return oom();
        sv->v = nv;
        sv->cap = ncap;
    }
    if (!(sv->v[sv->n] = ct_strndup(s, n)))
        return oom();
    sv->n++;
    return 0;
}

static bool has_sub(const char *s, size_t n, const char *lit)
{
    size_t ln = strlen(lit);
    for (size_t i = 0; i + ln <= n; i++)
        if (memcmp(s + i, lit, ln) == 0)
            return true;
    return false;
}

static void trim(const char **s, size_t *n)
{
    while (*n && (**s == ' ' || **s == '\t'))
        (*s)++, (*n)--;
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' || (*s)[*n - 1] == '\r'))
        (*n)--;
}

/* One "Tag: value" line of tag-value; *pkg is the package being read (NULL outside one). */
static int tv_line(ct_sbom_facts *f, const ct_ctx *ctx, ct_sbom_facts_component **pkg,
                   bool *pkg_id, strvec *stated, const char *tag, size_t tn, const char *v,
                   size_t vn)
{
    int rc;
    if (eqn(tag, tn, "Created"))
        return set_n(&f->timestamp, v, vn);
    if (eqn(tag, tn, "Creator"))
        return spdx_creator(f, v, vn);
    if (eqn(tag, tn, "PackageName")) {
        if ((rc = ct_sbom__facts_new_component(pkg, f, ct_ctx_limits(ctx)->max_components)) < 0)
            return rc;
        *pkg_id = false;
        return 0;
    }
    if (eqn(tag, tn, "FileName") || eqn(tag, tn, "SnippetSPDXID") ||
        eqn(tag, tn, "LicenseID")) {
        *pkg = NULL;
        return 0;
    }
    if (eqn(tag, tn, "Relationship")) {
        const char *a = v, *end = v + vn, *p = v, *type;
        size_t an, tyn;
        while (p < end && *p != ' ' && *p != '\t')
            p++;
        an = (size_t)(p - a);
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        type = p;
        while (p < end && *p != ' ' && *p != '\t')
            p++;
        tyn = (size_t)(p - type);
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        int side = stated_side(type, tyn);
        const char *b = p;
        size_t bn = (size_t)(end - p);
        if ((side == 1 && eqn(b, bn, "NOASSERTION")) || (side == 2 && eqn(a, an, "NOASSERTION")))
            return 0; /* "not known" states nothing */
        if (side == 1)
            return strvec_add(stated, a, an);
        if (side == 2 && bn)
            return strvec_add(stated, b, bn);
        return 0;
    }
    if (!*pkg)
        return 0;
    if (eqn(tag, tn, "SPDXID") && !*pkg_id) {
        *pkg_id = true;
        /* the array may have moved since the package began: it is the last one */
        return set_n(&f->components[f->ncomponents - 1].ref, v, vn);
    }
    ct_sbom_facts_component *fc = &f->components[f->ncomponents - 1];
    if (eqn(tag, tn, "PackageFileName"))
        return set_n(&fc->filename, v, vn);
    if (eqn(tag, tn, "PackageSupplier") || eqn(tag, tn, "PackageOriginator"))
        return spdx_contact(fc, v, vn);
    return 0;
}

static int spdx_tv_read(ct_sbom_facts *f, const ct_ctx *ctx, const char *data, size_t len)
{
    const char *p = data, *end = data + len;
    ct_sbom_facts_component *pkg = NULL;
    bool pkg_id = false, in_text = false;
    strvec stated = { NULL, 0, 0 };
    int rc = 0;

    while (p < end && rc == 0) {
        const char *nl = memchr(p, '\n', (size_t)(end - p)), *line = p, *colon;
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        p = nl ? nl + 1 : end;
        if (in_text) { /* inside a multi-line <text> value */
            in_text = !has_sub(line, n, "</text>");
            continue;
        }
        trim(&line, &n);
        if (!n || line[0] == '#' || !(colon = memchr(line, ':', n)))
            continue;
        const char *tag = line, *v = colon + 1;
        size_t tn = (size_t)(colon - line), vn = n - tn - 1;
        trim(&v, &vn);
        if (vn >= 6 && memcmp(v, "<text>", 6) == 0) {
            in_text = !has_sub(v, vn, "</text>");
            continue;
        }
        rc = tv_line(f, ctx, &pkg, &pkg_id, &stated, tag, tn, v, vn);
    }
    if (rc == 0)
        rc = ct_sbom__facts_mark_stated(f, (const char *const *)stated.v, stated.n);
    for (size_t i = 0; i < stated.n; i++)
        ct_free(stated.v[i]);
    ct_free(stated.v);
    return rc;
}

/* ---- entry point ------------------------------------------------------------------------- */

int ct_sbom_facts_read(ct_sbom_facts **out, const ct_ctx *ctx, const char *data, size_t len,
                       const char *source)
{
    ct_sbom_facts *f = NULL;
    json_object *root = NULL;
    size_t i = 0, bom = 0;
    int rc;

    if (!out || !ctx || (!data && len))
        return ct_error_set(CT_EINVAL, "ct_sbom_facts_read: invalid argument");
    *out = NULL;
    if (len >= 3 && (unsigned char)data[0] == 0xEF && (unsigned char)data[1] == 0xBB &&
        (unsigned char)data[2] == 0xBF)
        i = bom = 3;
    while (i < len && (data[i] == ' ' || data[i] == '\n' || data[i] == '\r' || data[i] == '\t'))
        i++;
    if (!(f = ct_calloc(1, sizeof *f)))
        return oom();
    if (i < len && data[i] == '{') {
        bool spdx = ct_sbom__is_spdx_json(data + i, len - i);
        if ((rc = ct_json_parse(&root, ctx, data + bom, len - bom, source ? source : "-", 0)) <
            0)
            goto cleanup;
        if (!(f->format = ct_strdup(spdx ? "spdx-json" : "cyclonedx-json"))) {
            rc = oom();
            goto cleanup;
        }
        rc = spdx ? spdx_json_read(f, ctx, root) : cdx_read(f, ctx, root);
    } else if (ct_sbom__is_spdx_tv(data + bom, len - bom)) {
        if (!(f->format = ct_strdup("spdx-tv"))) {
            rc = oom();
            goto cleanup;
        }
        rc = spdx_tv_read(f, ctx, data + bom, len - bom);
    } else if (i < len && data[i] == '<') {
        if (!(f->format = ct_strdup("cyclonedx-xml"))) {
            rc = oom();
            goto cleanup;
        }
        rc = ct_sbom__facts_cdx_xml(f, ctx, data + bom, len - bom, source ? source : "-");
    } else {
        rc = ct_error_set(CT_EUNSUPPORTED, "%s: not a CycloneDX or SPDX document",
                          source ? source : "-");
    }
    if (rc < 0)
        goto cleanup;
    *out = f;
    f = NULL;
cleanup:
    json_object_put(root);
    ct_sbom_facts_free(f);
    return rc;
}

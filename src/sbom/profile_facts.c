/* Facts the quality profiles need and the format-neutral model does not keep: SBOM author and
 * timestamp, file names, BSI component properties, stated dependency lists. Read from the
 * document bytes of CycloneDX JSON, SPDX JSON and SPDX tag-value (CycloneDX XML:
 * profile_facts_xml.c). The document has already
 * been read by ct_sbom_parse (types checked there); members of an unexpected type are simply
 * not facts. */
#include "sbom/profile_int.h"
#include "base/json_tape.h"
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

/* Strings (copied, NUL-terminated) to mark as stated once the components are known. */
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

static void strvec_free(strvec *sv)
{
    for (size_t i = 0; i < sv->n; i++)
        ct_free(sv->v[i]);
    ct_free(sv->v);
    memset(sv, 0, sizeof *sv);
}

/* ---- CycloneDX JSON ----------------------------------------------------------------------- */

/* The JSON forms are read from a JSON tape (base/json_tape.h), not a json-c DOM: a DOM of a
 * 100 MB document took over a gigabyte (issue 5). Same facts: a member is the last one of its
 * name (as json-c keeps it) and a string ends at an escaped U+0000 (as json-c's C string). */

typedef struct {
    const char *s; /* NULL: absent, not a string or empty */
    size_t n;
} jstr;

static ct_jval member(const ct_jtape *t, ct_jval o, const char *key, ct_jt_type type)
{
    ct_jval v = (o == CT_JNONE) ? CT_JNONE : ct_jt_get(t, o, key);
    return ct_jt_type_of(t, v) == type ? v : CT_JNONE;
}

static jstr str_of(const ct_jtape *t, ct_jval v)
{
    jstr r = { NULL, 0 };
    size_t n = 0;
    const char *s = ct_jt_type_of(t, v) == CT_JT_STRING ? ct_jt_str(t, v, &n) : NULL;
    const char *nul = s ? memchr(s, '\0', n) : NULL;
    if (nul)
        n = (size_t)(nul - s);
    if (s && n) {
        r.s = s;
        r.n = n;
    }
    return r;
}

static jstr str_member(const ct_jtape *t, ct_jval o, const char *key)
{
    return str_of(t, member(t, o, key, CT_JT_STRING));
}

static int set_j(char **dst, jstr v)
{
    return set_n(dst, v.s, v.n);
}

/* An organizationalEntity's (supplier, manufacturer) contact: url[0] or contact[].email. */
static jstr entity_contact(const ct_jtape *t, ct_jval ent)
{
    ct_jiter it;
    ct_jval v;
    jstr r = { NULL, 0 };
    ct_jt_iter(&it, t, member(t, ent, "url", CT_JT_ARRAY));
    while (ct_jt_next(&it, t, &v)) {
        size_t n = 0;
        const char *u = ct_jt_type_of(t, v) == CT_JT_STRING ? ct_jt_str(t, v, &n) : NULL;
        /* json-c: the first string of non-zero length, even when its C string is cut short
         * by an escaped U+0000 (then no contact is set, and no other is looked for) */
        if (u && n) {
            r = str_of(t, v);
            return r.s ? r : (jstr){ u, 0 };
        }
    }
    ct_jt_iter(&it, t, member(t, ent, "contact", CT_JT_ARRAY));
    while (ct_jt_next(&it, t, &v))
        if ((r = str_member(t, v, "email")).s)
            return r;
    return r;
}

/* authors: [{name, email}] → first email; *name_out the first name or email */
static jstr authors_contact(const ct_jtape *t, ct_jval o, jstr *name_out)
{
    ct_jiter it;
    ct_jval a;
    jstr contact = { NULL, 0 };
    ct_jt_iter(&it, t, member(t, o, "authors", CT_JT_ARRAY));
    while (ct_jt_next(&it, t, &a)) {
        jstr n = str_member(t, a, "name"), e = str_member(t, a, "email");
        if (name_out && !name_out->s)
            *name_out = n.s ? n : e;
        if (!contact.s && e.s)
            contact = e;
    }
    return contact;
}

static int cdx_component(ct_sbom_facts *f, const ct_ctx *ctx, const ct_jtape *t, ct_jval c,
                         int depth);

static int cdx_components(ct_sbom_facts *f, const ct_ctx *ctx, const ct_jtape *t, ct_jval arr,
                          int depth)
{
    ct_jiter it;
    ct_jval c;
    size_t k = 0;
    int rc = 0;
    if (depth > ct_ctx_limits(ctx)->max_depth)
        return ct_error_set(CT_ELIMIT, "components nested too deep");
    ct_jt_iter(&it, t, arr);
    while (rc == 0 && ct_jt_next(&it, t, &c)) {
        rc = cdx_component(f, ctx, t, c, depth);
        if (depth == 0 && ++k % 1024 == 0)
            ct_jt_release(t); /* a mapped input's pages may go (issue 5) */
    }
    return rc;
}

static int cdx_component(ct_sbom_facts *f, const ct_ctx *ctx, const ct_jtape *t, ct_jval c,
                         int depth)
{
    static const char *const props[] = { "bsi:component:filename", "bsi:component:executable",
                                         "bsi:component:archive", "bsi:component:structured" };
    ct_sbom_facts_component *fc;
    ct_jiter it;
    ct_jval p;
    jstr contact;
    int rc;

    if (ct_jt_type_of(t, c) != CT_JT_OBJECT)
        return 0; /* the reader refused such documents already */
    if ((rc = ct_sbom__facts_new_component(&fc, f, ct_ctx_limits(ctx)->max_components)) < 0 ||
        (rc = set_j(&fc->ref, str_member(t, c, "bom-ref"))) < 0)
        return rc;
    contact = entity_contact(t, member(t, c, "supplier", CT_JT_OBJECT));
    if (!contact.s)
        contact = entity_contact(t, member(t, c, "manufacturer", CT_JT_OBJECT));
    if (!contact.s)
        contact = authors_contact(t, c, NULL);
    if ((rc = set_j(&fc->creator_contact, contact)) < 0)
        return rc;
    ct_jt_iter(&it, t, member(t, c, "properties", CT_JT_ARRAY));
    while (ct_jt_next(&it, t, &p)) {
        jstr name = str_member(t, p, "name"), value = str_member(t, p, "value");
        char **dst[] = { &fc->filename, &fc->executable, &fc->archive, &fc->structured };
        for (size_t k = 0; name.s && k < CT_NELEM(props); k++)
            if (name.n == strlen(props[k]) && memcmp(name.s, props[k], name.n) == 0 &&
                (rc = set_j(dst[k], value)) < 0)
                return rc;
    }
    /* fc may move when nested components grow the array: done with it here */
    return cdx_components(f, ctx, t, member(t, c, "components", CT_JT_ARRAY), depth + 1);
}

static int cdx_metadata(ct_sbom_facts *f, const ct_jtape *t, ct_jval meta)
{
    static const char *const orgs[] = { "manufacturer", "manufacture", "supplier" };
    jstr name = { NULL, 0 }, contact = authors_contact(t, meta, &name);
    ct_jval tools;
    int rc;

    for (size_t i = 0; i < CT_NELEM(orgs); i++) {
        ct_jval org = member(t, meta, orgs[i], CT_JT_OBJECT);
        if (org == CT_JNONE)
            continue;
        if (!name.s)
            name = str_member(t, org, "name");
        if (!contact.s)
            contact = entity_contact(t, org);
        if (!name.s)
            name = contact;
    }
    if ((rc = set_j(&f->timestamp, str_member(t, meta, "timestamp"))) < 0 ||
        (rc = set_j(&f->author, name)) < 0 || (rc = set_j(&f->author_contact, contact)) < 0)
        return rc;
    tools = member(t, meta, "tools", CT_JT_ARRAY);
    if (tools == CT_JNONE)
        tools = member(t, meta, "tools", CT_JT_OBJECT);
    f->tool_only = !name.s && tools != CT_JNONE && ct_jt_count(t, tools) > 0;
    return 0;
}

static int cdx_read(ct_sbom_facts *f, const ct_ctx *ctx, const ct_jtape *t)
{
    ct_jval root = 0, deps, vulns, meta;
    ct_jiter it;
    ct_jval d;
    strvec refs = { NULL, 0, 0 };
    int rc;

    f->has_properties = true;
    if ((meta = member(t, root, "metadata", CT_JT_OBJECT)) != CT_JNONE &&
        (rc = cdx_metadata(f, t, meta)) < 0)
        return rc;
    vulns = member(t, root, "vulnerabilities", CT_JT_ARRAY);
    f->has_vulnerabilities = vulns != CT_JNONE && ct_jt_count(t, vulns) > 0;
    if ((rc = cdx_components(f, ctx, t, member(t, root, "components", CT_JT_ARRAY), 0)) < 0)
        return rc;
    ct_jt_release(t);
    deps = member(t, root, "dependencies", CT_JT_ARRAY);
    ct_jt_iter(&it, t, deps);
    while (rc == 0 && ct_jt_next(&it, t, &d)) {
        jstr ref = str_member(t, d, "ref");
        if (ref.s)
            rc = strvec_add(&refs, ref.s, ref.n);
    }
    if (rc == 0)
        rc = ct_sbom__facts_mark_stated(f, (const char *const *)refs.v, refs.n);
    strvec_free(&refs);
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

static bool jeq(jstr v, const char *lit)
{
    return v.s && eqn(v.s, v.n, lit);
}

static int spdx_json_read(ct_sbom_facts *f, const ct_ctx *ctx, const ct_jtape *t)
{
    ct_jval root = 0, ci = member(t, root, "creationInfo", CT_JT_OBJECT), v;
    ct_jiter it;
    strvec refs = { NULL, 0, 0 };
    size_t k = 0;
    int rc;

    if ((rc = set_j(&f->timestamp, str_member(t, ci, "created"))) < 0)
        return rc;
    ct_jt_iter(&it, t, member(t, ci, "creators", CT_JT_ARRAY));
    while (ct_jt_next(&it, t, &v)) {
        size_t n = 0;
        const char *c = ct_jt_type_of(t, v) == CT_JT_STRING ? ct_jt_str(t, v, &n) : NULL;
        if (c && (rc = spdx_creator(f, c, n)) < 0)
            return rc;
    }
    ct_jt_iter(&it, t, member(t, root, "packages", CT_JT_ARRAY));
    while (ct_jt_next(&it, t, &v)) {
        jstr sup = str_member(t, v, "supplier"), orig = str_member(t, v, "originator");
        ct_sbom_facts_component *fc;
        if (++k % 1024 == 0)
            ct_jt_release(t); /* a mapped input's pages may go (issue 5) */
        if (ct_jt_type_of(t, v) != CT_JT_OBJECT)
            continue;
        if ((rc = ct_sbom__facts_new_component(&fc, f, ct_ctx_limits(ctx)->max_components)) < 0 ||
            (rc = set_j(&fc->ref, str_member(t, v, "SPDXID"))) < 0 ||
            (rc = set_j(&fc->filename, str_member(t, v, "packageFileName"))) < 0 ||
            (sup.s && (rc = spdx_contact(fc, sup.s, sup.n)) < 0) ||
            (orig.s && (rc = spdx_contact(fc, orig.s, orig.n)) < 0))
            return rc;
    }
    ct_jt_release(t);
    ct_jt_iter(&it, t, member(t, root, "relationships", CT_JT_ARRAY));
    while (rc == 0 && ct_jt_next(&it, t, &v)) {
        jstr type = str_member(t, v, "relationshipType");
        int side = type.s ? stated_side(type.s, type.n) : 0;
        jstr other = side == 1 ? str_member(t, v, "relatedSpdxElement")
                               : str_member(t, v, "spdxElementId");
        jstr who = side == 1   ? str_member(t, v, "spdxElementId")
                   : side == 2 ? str_member(t, v, "relatedSpdxElement")
                               : (jstr){ NULL, 0 };
        if (jeq(other, "NOASSERTION"))
            who.s = NULL; /* "not known" states nothing */
        if (who.s)
            rc = strvec_add(&refs, who.s, who.n);
    }
    if (rc == 0)
        rc = ct_sbom__facts_mark_stated(f, (const char *const *)refs.v, refs.n);
    strvec_free(&refs);
    return rc;
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

/* The root object has a member written "spdxVersion" (raw bytes, as ct_sbom__is_spdx_json
 * sniffs it, which is a scan of the whole document for a CycloneDX one: the tape is there). */
static bool has_spdx_version(const ct_jtape *t)
{
    static const char key[] = "\"spdxVersion\"";
    ct_jiter it;
    ct_jval k, v;
    ct_jt_iter(&it, t, 0);
    while (ct_jt_next_member(&it, t, &k, &v)) {
        size_t off = ct_jt_offset(t, k);
        if (off + sizeof key - 1 <= t->len && memcmp(t->doc + off, key, sizeof key - 1) == 0)
            return true;
    }
    return false;
}

/* ---- entry point ------------------------------------------------------------------------- */

/* The facts of a tokenized JSON document (ct_sbom__facts_from_tape) into f. */
static int facts_tape(ct_sbom_facts *f, const ct_ctx *ctx, const ct_jtape *t)
{
    bool spdx = has_spdx_version(t);
    if (!(f->format = ct_strdup(spdx ? "spdx-json" : "cyclonedx-json")))
        return oom();
    return spdx ? spdx_json_read(f, ctx, t) : cdx_read(f, ctx, t);
}

int ct_sbom__facts_from_tape(ct_sbom_facts **out, const ct_ctx *ctx, const ct_jtape *t)
{
    ct_sbom_facts *f;
    int rc;

    *out = NULL;
    if (!(f = ct_calloc(1, sizeof *f)))
        return oom();
    if ((rc = facts_tape(f, ctx, t)) < 0) {
        ct_sbom_facts_free(f);
        return rc;
    }
    *out = f;
    return 0;
}

int ct_sbom__facts_read_released(ct_sbom_facts **out, const ct_ctx *ctx, const char *data,
                                 size_t len, const char *source, ct_jtape_release_fn release,
                                 void *payload)
{
    ct_sbom_facts *f = NULL;
    ct_jtape tape = CT_JTAPE_INIT;
    size_t i = 0, bom = 0;
    int rc;

    if (!out || !ctx || (!data && len))
        return ct_error_set(CT_EINVAL, "ct_sbom_facts_read: invalid argument");
    *out = NULL;
    bom = ct_sbom__bom_len(data, len);
    i = ct_sbom__doc_start(data, len);
    if (!(f = ct_calloc(1, sizeof *f)))
        return oom();
    if (i < len && data[i] == '{') {
        /* release NULL: as ct_jtape_parse */
        if ((rc = ct_jtape_parse_released(&tape, ctx, data + bom, len - bom,
                                          source ? source : "-", release, payload)) < 0)
            goto cleanup;
        rc = facts_tape(f, ctx, &tape);
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
    ct_jtape_dispose(&tape);
    ct_sbom_facts_free(f);
    return rc;
}

int ct_sbom_facts_read(ct_sbom_facts **out, const ct_ctx *ctx, const char *data, size_t len,
                       const char *source)
{
    return ct_sbom__facts_read_released(out, ctx, data, len, source, NULL, NULL);
}

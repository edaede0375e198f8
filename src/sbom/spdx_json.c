/* SPDX 2.2 / 2.3 JSON reader into the format-neutral model, and the helpers the SPDX
 * tag-value reader shares (spdx_int.h; ct_spdx__spec also knows SPDX-2.1, which is tag-value
 * only). Type errors carry a JSON pointer. */
#include "sbom/spdx_int.h"
#include "base/json_int.h"

#include <stdio.h>
#include <string.h>

static int oom(void)
{
    return ct_error_set(CT_ENOMEM, "out of memory");
}

static bool eqn(const char *s, size_t len, const char *lit)
{
    return strlen(lit) == len && memcmp(s, lit, len) == 0;
}

const char *ct_spdx__spec(const char *v, size_t len)
{
    if (eqn(v, len, "SPDX-2.1"))
        return "2.1";
    if (eqn(v, len, "SPDX-2.2"))
        return "2.2";
    if (eqn(v, len, "SPDX-2.3"))
        return "2.3";
    return NULL;
}

int ct_spdx__new_component(ct_component **out, ct_sbom *s, size_t max)
{
    if (s->ncomponents >= max)
        return CT_ELIMIT;
    if (s->ncomponents == s->components_cap) {
        size_t ncap = s->components_cap ? s->components_cap * 2 : 64;
        ct_component *nc = ct_reallocarray(s->components, ncap, sizeof *nc);
        if (!nc)
            return oom();
        s->components = nc;
        s->components_cap = ncap;
    }
    *out = &s->components[s->ncomponents++];
    memset(*out, 0, sizeof **out);
    return 0;
}

int ct_spdx__add_dep(ct_sbom *s, const char *ref, const char *on)
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

/* SPDX spelling, CycloneDX spelling (NULL: CycloneDX has no such algorithm) */
static const char *const algs[][2] = {
    { "ADLER32", NULL },           { "BLAKE2b-256", "BLAKE2b-256" },
    { "BLAKE2b-384", "BLAKE2b-384" }, { "BLAKE2b-512", "BLAKE2b-512" },
    { "BLAKE3", "BLAKE3" },        { "MD2", NULL },
    { "MD4", NULL },               { "MD5", "MD5" },
    { "MD6", NULL },               { "SHA1", "SHA-1" },
    { "SHA224", NULL },            { "SHA256", "SHA-256" },
    { "SHA3-256", "SHA3-256" },    { "SHA3-384", "SHA3-384" },
    { "SHA3-512", "SHA3-512" },    { "SHA384", "SHA-384" },
    { "SHA512", "SHA-512" },
};

const char *ct_spdx__alg_to_cdx(const char *alg, size_t len)
{
    for (size_t i = 0; i < CT_NELEM(algs); i++)
        if (eqn(alg, len, algs[i][0]))
            return algs[i][1] ? algs[i][1] : algs[i][0];
    return NULL;
}

const char *ct_spdx__alg_from_cdx(const char *alg)
{
    for (size_t i = 0; i < CT_NELEM(algs); i++)
        if ((algs[i][1] && strcmp(alg, algs[i][1]) == 0) ||
            (!algs[i][1] && strcmp(alg, algs[i][0]) == 0))
            return algs[i][0];
    return NULL;
}

int ct_spdx__add_hash(char **hashes, const char *alg, size_t alen, const char *content,
                      size_t clen)
{
    ct_buf b = CT_BUF_INIT;
    char *a = ct_strndup(alg, alen), *c = ct_strndup(content, clen);
    if (!a || !c) {
        ct_free(a);
        ct_free(c);
        return oom();
    }
    if (*hashes) {
        ct_buf_put(&b, *hashes, strlen(*hashes) - 1); /* drop ']' */
        ct_buf_putc(&b, ',');
    } else {
        ct_buf_putc(&b, '[');
    }
    ct_buf_puts(&b, "{\"alg\":");
    ct_buf_json_str(&b, a);
    ct_buf_puts(&b, ",\"content\":");
    ct_buf_json_str(&b, c);
    ct_buf_puts(&b, "}]");
    ct_free(a);
    ct_free(c);
    if (b.failed) {
        ct_buf_dispose(&b);
        return oom();
    }
    ct_free(*hashes);
    *hashes = ct_buf_detach(&b);
    return *hashes ? 0 : oom();
}

static bool meaningful(const char *s)
{
    return s && *s && strcmp(s, "NOASSERTION") != 0 && strcmp(s, "NONE") != 0;
}

int ct_spdx__pick_licence(char **out, const char *concluded, const char *declared)
{
    const char *v = meaningful(concluded) ? concluded : meaningful(declared) ? declared : NULL;
    ct_free(*out);
    *out = NULL;
    if (v && !(*out = ct_strdup(v)))
        return oom();
    return 0;
}

int ct_spdx__supplier(char **out, const char *s, size_t len)
{
    static const char *const prefixes[] = { "Organization:", "Person:" };
    for (size_t i = 0; i < CT_NELEM(prefixes); i++) {
        size_t n = strlen(prefixes[i]);
        if (len >= n && memcmp(s, prefixes[i], n) == 0) {
            s += n;
            len -= n;
            break;
        }
    }
    while (len && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    ct_free(*out);
    *out = NULL;
    if (!len || eqn(s, len, "NOASSERTION") || eqn(s, len, "NONE"))
        return 0;
    return (*out = ct_strndup(s, len)) ? 0 : oom();
}

int ct_spdx__purpose(char **out, const char *s, size_t len)
{
    ct_free(*out);
    if (!(*out = ct_strndup(s, len)))
        return oom();
    /* the 2.3 JSON schema spells OPERATING_SYSTEM, tag-value OPERATING-SYSTEM */
    for (char *p = *out; *p; p++)
        *p = *p == '_' ? '-' : ct_ascii_lower(*p);
    return 0;
}

int ct_spdx__relationship(ct_sbom *s, char **described, const char *a, const char *type,
                          const char *b)
{
    if (strcmp(type, "DEPENDS_ON") == 0 || strcmp(type, "CONTAINS") == 0)
        return ct_spdx__add_dep(s, a, b);
    if (strcmp(type, "DEPENDENCY_OF") == 0)
        return ct_spdx__add_dep(s, b, a);
    const char *target = NULL;
    if (strcmp(type, "DESCRIBES") == 0 && strcmp(a, "SPDXRef-DOCUMENT") == 0)
        target = b;
    else if (strcmp(type, "DESCRIBED_BY") == 0 && strcmp(b, "SPDXRef-DOCUMENT") == 0)
        target = a;
    if (target && !*described && !(*described = ct_strdup(target)))
        return oom();
    return 0;
}

int ct_spdx__finish(ct_sbom *s, const char *described)
{
    if (!described)
        return 0;
    for (size_t i = 0; i < s->ncomponents; i++) {
        const ct_component *c = &s->components[i];
        if (c->bom_ref && strcmp(c->bom_ref, described) == 0) {
            if ((c->name && !(s->name = ct_strdup(c->name))) ||
                (c->version && !(s->version = ct_strdup(c->version))))
                return oom();
            return 0;
        }
    }
    return 0;
}

/* ---- JSON -------------------------------------------------------------------------------- */

typedef struct {
    const ct_ctx *ctx;
    const char *source;
    ct_sbom *sbom;
    char *described;
    ct_jptr ptr;
} reader;

/* a required string member */
static int req_str(const char **out, reader *r, json_object *o, const char *key)
{
    int rc = ct_json_opt_str(out, o, key, &r->ptr, r->source);
    if (rc == 0 && !*out)
        rc = ct_json_error(&r->ptr, r->source, key, CT_EPARSE, "missing \"%s\" (required)", key);
    return rc;
}

static int read_checksums(reader *r, ct_component *c, json_object *pkg)
{
    json_object *arr;
    int rc;
    if ((rc = ct_json_opt_array(&arr, pkg, "checksums", &r->ptr, r->source)) < 0 || !arr)
        return rc;
    ct_jptr_push_key(&r->ptr, "checksums");
    for (size_t i = 0; i < json_object_array_length(arr) && rc == 0; i++) {
        json_object *h = json_object_array_get_idx(arr, i);
        const char *alg, *val;
        ct_jptr_push_index(&r->ptr, i);
        if (!json_object_is_type(h, json_type_object))
            rc = ct_json_error(&r->ptr, r->source, NULL, CT_EPARSE, "expected a checksum object");
        else if ((rc = req_str(&alg, r, h, "algorithm")) == 0 &&
                 (rc = req_str(&val, r, h, "checksumValue")) == 0) {
            const char *cdx = ct_spdx__alg_to_cdx(alg, strlen(alg));
            if (!cdx)
                rc = ct_json_error(&r->ptr, r->source, "algorithm", CT_EPARSE,
                                   "unknown checksum algorithm \"%.40s\"", alg);
            else
                rc = ct_spdx__add_hash(&c->hashes, cdx, strlen(cdx), val, strlen(val));
        }
        ct_jptr_pop(&r->ptr);
    }
    ct_jptr_pop(&r->ptr);
    return rc;
}

static int read_external_refs(reader *r, ct_component *c, json_object *pkg)
{
    json_object *arr;
    int rc;
    if ((rc = ct_json_opt_array(&arr, pkg, "externalRefs", &r->ptr, r->source)) < 0 || !arr)
        return rc;
    ct_jptr_push_key(&r->ptr, "externalRefs");
    for (size_t i = 0; i < json_object_array_length(arr) && rc == 0; i++) {
        json_object *e = json_object_array_get_idx(arr, i);
        const char *cat, *type, *loc;
        ct_jptr_push_index(&r->ptr, i);
        if (!json_object_is_type(e, json_type_object))
            rc = ct_json_error(&r->ptr, r->source, NULL, CT_EPARSE,
                               "expected an external reference object");
        else if ((rc = req_str(&cat, r, e, "referenceCategory")) == 0 &&
                 (rc = req_str(&type, r, e, "referenceType")) == 0 &&
                 (rc = req_str(&loc, r, e, "referenceLocator")) == 0) {
            char **dst = NULL;
            if ((strcmp(cat, "PACKAGE-MANAGER") == 0 || strcmp(cat, "PACKAGE_MANAGER") == 0) &&
                strcmp(type, "purl") == 0)
                dst = &c->purl;
            else if (strcmp(cat, "SECURITY") == 0 &&
                     (strcmp(type, "cpe23Type") == 0 || strcmp(type, "cpe22Type") == 0))
                dst = &c->cpe;
            if (dst && !*dst && !(*dst = ct_strdup(loc)))
                rc = oom();
        }
        ct_jptr_pop(&r->ptr);
    }
    ct_jptr_pop(&r->ptr);
    return rc;
}

static int read_package(reader *r, json_object *pkg)
{
    ct_component *c;
    const char *id, *name, *sup, *concl, *decl, *purpose;
    int rc;

    if (!json_object_is_type(pkg, json_type_object))
        return ct_json_error(&r->ptr, r->source, NULL, CT_EPARSE, "expected a package object");
    if ((rc = req_str(&id, r, pkg, "SPDXID")) < 0 || (rc = req_str(&name, r, pkg, "name")) < 0)
        return rc;
    if ((rc = ct_spdx__new_component(&c, r->sbom, ct_ctx_limits(r->ctx)->max_components)) < 0)
        return rc == CT_ELIMIT ? ct_json_error(&r->ptr, r->source, NULL, CT_ELIMIT,
                                               "more than %zu packages",
                                               ct_ctx_limits(r->ctx)->max_components)
                               : rc;
    if (!(c->bom_ref = ct_strdup(id)) || !(c->name = ct_strdup(name)))
        return oom();
    if ((rc = ct_json_dup_str(&c->version, pkg, "versionInfo", &r->ptr, r->source)) < 0 ||
        (rc = ct_json_opt_str(&sup, pkg, "supplier", &r->ptr, r->source)) < 0 ||
        (rc = ct_json_opt_str(&concl, pkg, "licenseConcluded", &r->ptr, r->source)) < 0 ||
        (rc = ct_json_opt_str(&decl, pkg, "licenseDeclared", &r->ptr, r->source)) < 0 ||
        (rc = ct_json_opt_str(&purpose, pkg, "primaryPackagePurpose", &r->ptr, r->source)) < 0)
        return rc;
    if ((sup && (rc = ct_spdx__supplier(&c->supplier, sup, strlen(sup))) < 0) ||
        (rc = ct_spdx__pick_licence(&c->licenses, concl, decl)) < 0 ||
        (purpose && (rc = ct_spdx__purpose(&c->type, purpose, strlen(purpose))) < 0))
        return rc;
    if ((rc = read_checksums(r, c, pkg)) < 0)
        return rc;
    return read_external_refs(r, c, pkg);
}

static int read_relationships(reader *r, json_object *root)
{
    json_object *arr;
    int rc;
    if ((rc = ct_json_opt_array(&arr, root, "documentDescribes", &r->ptr, r->source)) < 0)
        return rc;
    for (size_t i = 0; arr && i < json_object_array_length(arr) && rc == 0; i++) {
        json_object *t = json_object_array_get_idx(arr, i);
        if (!json_object_is_type(t, json_type_string)) {
            char key[48];
            snprintf(key, sizeof key, "documentDescribes/%zu", i);
            return ct_json_error(&r->ptr, r->source, key, CT_EPARSE, "expected a string");
        }
        rc = ct_spdx__relationship(r->sbom, &r->described, "SPDXRef-DOCUMENT", "DESCRIBES",
                                   json_object_get_string(t));
    }
    if (rc < 0 ||
        (rc = ct_json_opt_array(&arr, root, "relationships", &r->ptr, r->source)) < 0 || !arr)
        return rc;
    ct_jptr_push_key(&r->ptr, "relationships");
    for (size_t i = 0; i < json_object_array_length(arr) && rc == 0; i++) {
        json_object *e = json_object_array_get_idx(arr, i);
        const char *a, *type, *b;
        ct_jptr_push_index(&r->ptr, i);
        if (!json_object_is_type(e, json_type_object))
            rc = ct_json_error(&r->ptr, r->source, NULL, CT_EPARSE,
                               "expected a relationship object");
        else if ((rc = req_str(&a, r, e, "spdxElementId")) == 0 &&
                 (rc = req_str(&type, r, e, "relationshipType")) == 0 &&
                 (rc = req_str(&b, r, e, "relatedSpdxElement")) == 0)
            rc = ct_spdx__relationship(r->sbom, &r->described, a, type, b);
        ct_jptr_pop(&r->ptr);
    }
    ct_jptr_pop(&r->ptr);
    return rc;
}

static int read_root(reader *r, json_object *root)
{
    const char *ver, *spec;
    json_object *pkgs;
    int rc;

    if (!json_object_is_type(root, json_type_object))
        return ct_json_error(&r->ptr, r->source, NULL, CT_EPARSE,
                             "an SPDX JSON document is a JSON object");
    if ((rc = req_str(&ver, r, root, "spdxVersion")) < 0)
        return rc;
    if (!(spec = ct_spdx__spec(ver, strlen(ver))))
        return ct_json_error(&r->ptr, r->source, "spdxVersion", CT_EUNSUPPORTED,
                             "unsupported spdxVersion \"%.20s\" (expected SPDX-2.2 or SPDX-2.3)",
                             ver);
    /* SPDX 2.1 defines tag-value and RDF/XML only; JSON (and YAML, XML) came with 2.2 */
    if (strcmp(spec, "2.1") == 0)
        return ct_json_error(&r->ptr, r->source, "spdxVersion", CT_EUNSUPPORTED,
                             "SPDX-2.1 has no JSON serialisation (JSON came with SPDX-2.2; "
                             "2.1 is read as tag-value)");
    if (!(r->sbom->format = ct_strdup("spdx-json")) ||
        !(r->sbom->spec_version = ct_strdup(spec)))
        return oom();
    if ((rc = ct_json_dup_str(&r->sbom->serial_number, root, "documentNamespace", &r->ptr,
                              r->source)) < 0 ||
        (rc = ct_json_opt_array(&pkgs, root, "packages", &r->ptr, r->source)) < 0)
        return rc;
    if (pkgs) {
        ct_jptr_push_key(&r->ptr, "packages");
        for (size_t i = 0; i < json_object_array_length(pkgs) && rc == 0; i++) {
            ct_jptr_push_index(&r->ptr, i);
            rc = read_package(r, json_object_array_get_idx(pkgs, i));
            ct_jptr_pop(&r->ptr);
        }
        ct_jptr_pop(&r->ptr);
        if (rc < 0)
            return rc;
    }
    if ((rc = read_relationships(r, root)) < 0)
        return rc;
    return ct_spdx__finish(r->sbom, r->described);
}

int ct_sbom_parse_spdx_json(ct_sbom **out, const ct_ctx *ctx, const char *data, size_t len,
                            const char *source)
{
    json_object *root = NULL;
    reader r;
    int rc;

    *out = NULL;
    memset(&r, 0, sizeof r);
    r.ctx = ctx;
    r.source = source ? source : "-";
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
    ct_free(r.described);
    json_object_put(root);
    return rc;
}

/* ---- sniffing ---------------------------------------------------------------------------- */

bool ct_sbom__is_spdx_json(const char *data, size_t len)
{
    static const char key[] = "spdxVersion";
    int depth = 0;
    for (size_t i = 0; i < len; i++) {
        char c = data[i];
        if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            if (--depth <= 0)
                return false;
        } else if (c == '"') {
            size_t start = ++i;
            while (i < len && data[i] != '"')
                i += data[i] == '\\' ? 2 : 1;
            if (i >= len)
                return false;
            if (depth == 1 && i - start == sizeof key - 1 &&
                memcmp(data + start, key, sizeof key - 1) == 0) {
                size_t j = i + 1;
                while (j < len && (data[j] == ' ' || data[j] == '\t' || data[j] == '\n' ||
                                   data[j] == '\r'))
                    j++;
                if (j < len && data[j] == ':')
                    return true;
            }
        }
    }
    return false;
}

bool ct_sbom__is_spdx_tv(const char *data, size_t len)
{
    static const char tag[] = "SPDXVersion:";
    size_t i = 0;
    while (i < len) {
        while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' ||
                           data[i] == '\n'))
            i++;
        if (i < len && data[i] == '#') {
            while (i < len && data[i] != '\n' && data[i] != '\r')
                i++;
            continue;
        }
        break;
    }
    return len - i >= sizeof tag - 1 && memcmp(data + i, tag, sizeof tag - 1) == 0;
}

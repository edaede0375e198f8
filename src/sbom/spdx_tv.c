/* SPDX 2.1 / 2.2 / 2.3 tag-value reader into the format-neutral model. The tags the model reads
 * are spelled alike in all three (2.2 added attribution texts, more relationship types, NONE /
 * NOASSERTION relationship ends and the purl reference type; 2.3 PrimaryPackagePurpose and
 * more checksum algorithms): whatever tags a document has are read, whatever its version. A
 * pointer-advancing line scanner ("Tag: value", multi-line <text>...</text>, '#' comments, LF,
 * CRLF or CR line ends); errors carry line:column. */
#include "sbom/spdx_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    const ct_ctx *ctx;
    const char *source;
    const char *data, *end;
    ct_sbom *sbom;
    char *described;
    bool in_pkg, seen_version;
    size_t pkg;          /* index of the current package */
    char *concl, *decl;  /* its licences, decided when the package ends */
    char *pending_id;    /* an SPDXID written before its PackageName (seen in the wild) */
    ct_sbom_intern cache; /* short model strings stored once (model_int.h) */
} tv;

static int oom(void)
{
    return ct_error_set(CT_ENOMEM, "out of memory");
}

static int tv_err(const tv *t, uint32_t line, uint32_t col, int code, const char *fmt, ...)
    CT_PRINTF(5, 6);
static int tv_err(const tv *t, uint32_t line, uint32_t col, int code, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    ct_loc loc = { t->source, line, col, -1, NULL };
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return ct_error_set_at(&loc, code, "%s", msg);
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

static bool eq(const char *s, size_t n, const char *lit)
{
    return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

/* next blank-separated word of [*p, end) */
static bool next_word(const char **p, const char *end, const char **w, size_t *wn)
{
    const char *s = *p;
    while (s < end && is_space(*s))
        s++;
    *w = s;
    while (s < end && !is_space(*s))
        s++;
    *wn = (size_t)(s - *w);
    *p = s;
    return *wn > 0;
}

static void trim(const char **s, size_t *n)
{
    while (*n && is_space(**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n && is_space((*s)[*n - 1]))
        (*n)--;
}

static int end_package(tv *t)
{
    int rc = 0;
    if (t->in_pkg) {
        ct_component *c = &t->sbom->components[t->pkg];
        rc = ct_spdx__pick_licence(&c->licenses, t->sbom, &t->cache, t->concl, t->decl);
    }
    ct_free(t->concl);
    ct_free(t->decl);
    t->concl = t->decl = NULL;
    t->in_pkg = false;
    return rc;
}

/* the reader's own heap strings (licences until the package ends, a pending SPDXID) */
static int set_heap(char **dst, const char *v, size_t n)
{
    ct_free(*dst);
    return (*dst = ct_strndup(v, n)) ? 0 : oom();
}

/* a model string: in the model's arena (a replaced value stays there) */
static int set_str(tv *t, char **dst, const char *v, size_t n)
{
    return ct_spdx__set(dst, t->sbom, &t->cache, v, n);
}

static int on_checksum(tv *t, ct_component *c, const char *v, size_t n, uint32_t line,
                       uint32_t col)
{
    const char *colon = memchr(v, ':', n), *alg = v, *val;
    size_t alen, vlen;
    if (!colon)
        return tv_err(t, line, col, CT_EPARSE, "expected \"ALGORITHM: value\"");
    alen = (size_t)(colon - v);
    val = colon + 1;
    vlen = n - alen - 1;
    trim(&alg, &alen);
    trim(&val, &vlen);
    const char *cdx = ct_spdx__alg_to_cdx(alg, alen);
    if (!cdx)
        return tv_err(t, line, col, CT_EPARSE, "unknown checksum algorithm \"%.*s\"",
                      (int)(alen > 40 ? 40 : alen), alg);
    if (!vlen)
        return tv_err(t, line, col + (uint32_t)(val - v), CT_EPARSE, "empty checksum value");
    return ct_spdx__add_hash(&c->hashes, t->sbom, cdx, strlen(cdx), val, vlen);
}

static int on_external_ref(tv *t, ct_component *c, const char *v, size_t n, uint32_t line,
                           uint32_t col)
{
    const char *p = v, *end = v + n, *cat, *type, *loc;
    size_t cn, tn, ln;
    if (!next_word(&p, end, &cat, &cn) || !next_word(&p, end, &type, &tn) ||
        !next_word(&p, end, &loc, &ln))
        return tv_err(t, line, col + (uint32_t)(p - v), CT_EPARSE,
                      "expected \"CATEGORY TYPE LOCATOR\"");
    char **dst = NULL;
    if ((eq(cat, cn, "PACKAGE-MANAGER") || eq(cat, cn, "PACKAGE_MANAGER")) &&
        eq(type, tn, "purl"))
        dst = &c->purl;
    else if (eq(cat, cn, "SECURITY") && (eq(type, tn, "cpe23Type") || eq(type, tn, "cpe22Type")))
        dst = &c->cpe;
    if (dst && !*dst)
        return set_str(t, dst, loc, ln);
    return 0;
}

static int on_relationship(tv *t, const char *v, size_t n, uint32_t line, uint32_t col)
{
    const char *p = v, *end = v + n, *w[3];
    size_t wn[3];
    for (int i = 0; i < 3; i++)
        if (!next_word(&p, end, &w[i], &wn[i]))
            return tv_err(t, line, col + (uint32_t)(p - v), CT_EPARSE,
                          "expected \"SPDXID TYPE SPDXID\"");
    return ct_spdx__relationship(t->sbom, &t->cache, &t->described, w[0], wn[0], w[1], wn[1],
                                 w[2], wn[2]);
}

static int on_tag(tv *t, const char *tag, size_t tn, const char *v, size_t n, uint32_t line,
                  uint32_t col)
{
    ct_component *c = t->in_pkg ? &t->sbom->components[t->pkg] : NULL;
    int rc;

    if (eq(tag, tn, "SPDXVersion")) {
        const char *spec = ct_spdx__spec(v, n);
        if (!spec)
            return tv_err(t, line, col, CT_EUNSUPPORTED,
                          "unsupported SPDXVersion \"%.*s\" (expected SPDX-2.1, SPDX-2.2 or "
                          "SPDX-2.3)",
                          (int)(n > 20 ? 20 : n), v);
        if (t->seen_version)
            return tv_err(t, line, 1, CT_EPARSE, "a second SPDXVersion");
        t->seen_version = true;
        return set_str(t, &t->sbom->spec_version, spec, strlen(spec));
    }
    if (eq(tag, tn, "DocumentNamespace"))
        return set_str(t, &t->sbom->serial_number, v, n);
    if (eq(tag, tn, "Relationship"))
        return on_relationship(t, v, n, line, col);
    if (eq(tag, tn, "PackageName")) {
        if ((rc = end_package(t)) < 0)
            return rc;
        if (!n)
            return tv_err(t, line, col, CT_EPARSE, "empty PackageName");
        rc = ct_spdx__new_component(&c, t->sbom, ct_ctx_limits(t->ctx)->max_components);
        if (rc == CT_ELIMIT)
            return tv_err(t, line, 1, CT_ELIMIT, "more than %zu packages",
                          ct_ctx_limits(t->ctx)->max_components);
        if (rc < 0)
            return rc;
        t->in_pkg = true;
        t->pkg = t->sbom->ncomponents - 1;
        if (t->pending_id) {
            rc = set_str(t, &c->bom_ref, t->pending_id, strlen(t->pending_id));
            ct_free(t->pending_id);
            t->pending_id = NULL;
            if (rc < 0)
                return rc;
        }
        return set_str(t, &c->name, v, n);
    }
    if (eq(tag, tn, "FileName") || eq(tag, tn, "SnippetSPDXID") || eq(tag, tn, "LicenseID")) {
        ct_free(t->pending_id);
        t->pending_id = NULL;
        return end_package(t);
    }
    if (!c)
        return 0; /* document, file, snippet and licence fields are not part of the model */
    if (eq(tag, tn, "SPDXID"))
        /* a second one belongs to the package that follows */
        return c->bom_ref ? set_heap(&t->pending_id, v, n) : set_str(t, &c->bom_ref, v, n);
    if (eq(tag, tn, "PackageVersion"))
        return set_str(t, &c->version, v, n);
    if (eq(tag, tn, "PackageSupplier"))
        return ct_spdx__supplier(&c->supplier, t->sbom, &t->cache, v, n);
    if (eq(tag, tn, "PackageChecksum"))
        return on_checksum(t, c, v, n, line, col);
    if (eq(tag, tn, "PackageLicenseConcluded"))
        return set_heap(&t->concl, v, n);
    if (eq(tag, tn, "PackageLicenseDeclared"))
        return set_heap(&t->decl, v, n);
    if (eq(tag, tn, "ExternalRef"))
        return on_external_ref(t, c, v, n, line, col);
    if (eq(tag, tn, "PrimaryPackagePurpose"))
        return ct_spdx__purpose(&c->type, t->sbom, &t->cache, v, n);
    return 0;
}

/* one line end (LF, CRLF or CR) at *p, if any */
static bool skip_eol(const char **p, const char *end)
{
    if (*p < end && **p == '\r') {
        (*p)++;
        if (*p < end && **p == '\n')
            (*p)++;
        return true;
    }
    if (*p < end && **p == '\n') {
        (*p)++;
        return true;
    }
    return false;
}

static int scan(tv *t)
{
    const char *p = t->data, *end = t->end;
    size_t max = ct_ctx_limits(t->ctx)->max_string_bytes;
    uint32_t line = 1;
    int rc;

    while (p < end) {
        const char *ls = p, *le = p, *colon;
        uint32_t this_line = line;
        while (le < end && *le != '\n' && *le != '\r')
            le++;
        p = le;
        skip_eol(&p, end);
        line++;
        const char *s = ls;
        size_t n = (size_t)(le - ls);
        trim(&s, &n);
        if (!n || *s == '#')
            continue;
        if (!(colon = memchr(s, ':', n)))
            return tv_err(t, this_line, (uint32_t)(s - ls) + 1, CT_EPARSE,
                          "expected \"Tag: value\"");
        const char *tag = s, *v = colon + 1;
        size_t tn = (size_t)(colon - s), vn = (size_t)(le - v);
        trim(&tag, &tn);
        while (vn && is_space(*v)) {
            v++;
            vn--;
        }
        if (!tn)
            return tv_err(t, this_line, (uint32_t)(s - ls) + 1, CT_EPARSE, "empty tag");
        uint32_t col = (uint32_t)(v - ls) + 1;
        if (vn >= 6 && memcmp(v, "<text>", 6) == 0) {
            /* the value runs to </text>, possibly over several lines */
            const char *q = v + 6, *close = NULL;
            for (const char *x = q; x + 7 <= end; x++)
                if (*x == '<' && memcmp(x, "</text>", 7) == 0) {
                    close = x;
                    break;
                }
            if (!close)
                return tv_err(t, this_line, col, CT_EPARSE, "<text> without </text>");
            for (const char *x = p; x < close;) /* count the lines inside */
                if (skip_eol(&x, close))
                    line++;
                else
                    x++;
            v = q;
            vn = (size_t)(close - q);
            if (close >= le) { /* continue after the line that holds </text> */
                p = close + 7;
                while (p < end && *p != '\n' && *p != '\r')
                    p++;
                if (skip_eol(&p, end))
                    line++;
            }
        } else {
            trim(&v, &vn);
        }
        if (vn > max)
            return tv_err(t, this_line, col, CT_ELIMIT, "value of %zu bytes exceeds %zu", vn,
                          max);
        if ((rc = on_tag(t, tag, tn, v, vn, this_line, col)) < 0)
            return rc;
    }
    if ((rc = end_package(t)) < 0)
        return rc;
    if (!t->seen_version)
        return tv_err(t, 1, 1, CT_EPARSE, "no SPDXVersion: not an SPDX tag-value document");
    return ct_spdx__finish(t->sbom, t->described);
}

int ct_sbom_parse_spdx_tv(ct_sbom **out, const ct_ctx *ctx, const char *data, size_t len,
                          const char *source)
{
    tv t;
    size_t bad = 0;
    int rc;

    *out = NULL;
    memset(&t, 0, sizeof t);
    t.ctx = ctx;
    t.source = source ? source : "-";
    if (len > ct_ctx_limits(ctx)->max_doc_bytes)
        return tv_err(&t, 0, 0, CT_ELIMIT, "document of %zu bytes exceeds the limit of %zu", len,
                      ct_ctx_limits(ctx)->max_doc_bytes);
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    if (!ct_utf8_valid(data, len, &bad)) {
        uint32_t line = 1, col = 1;
        for (const char *x = data, *e = data + bad; x < e;)
            if (skip_eol(&x, e)) {
                line++;
                col = 1;
            } else {
                x++;
                col++;
            }
        return tv_err(&t, line, col, CT_EPARSE, "invalid UTF-8 (or NUL byte)");
    }
    t.data = data;
    t.end = data + len;
    if (!(t.sbom = ct_calloc(1, sizeof *t.sbom)) ||
        !(t.sbom->format = ct_sbom__arena_strndup(t.sbom, "spdx-tv", 7))) {
        rc = oom();
        goto cleanup;
    }
    if ((rc = scan(&t)) < 0)
        goto cleanup;
    *out = t.sbom;
    t.sbom = NULL;
cleanup:
    ct_free(t.concl);
    ct_free(t.decl);
    ct_free(t.described);
    ct_free(t.pending_id);
    ct_sbom_free(t.sbom);
    return rc;
}

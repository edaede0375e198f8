/* Version-less package keys ("type/namespace/name") that join SBOM components to advisories;
 * both purls and OSV (ecosystem, name) pairs go through ct_ident__key so they agree. */
#include "ident/ident_int.h"

#include <string.h>

/* Defined in ecosystem.c (the distro release table lives next to the OSV ecosystem table). */
int ct_ident__distro_row(const char *type, const char *ns, bool *source_name_out);
int ct_ident__distro_scope(ct_buf *out, const char *type, const char *ns, const char *release);
int ct_ident__repo_scope(ct_buf *out, const char *type, const char *url);

static void lower_inplace(char *s)
{
    for (; s && *s; s++)
        *s = ct_ascii_lower(*s);
}

/* PEP 503: runs of '-', '_' and '.' compare equal to a single '-'. */
static void put_pypi_name(ct_buf *out, const char *name)
{
    bool in_run = false;
    for (const char *c = name; *c; c++) {
        if (*c == '-' || *c == '_' || *c == '.') {
            if (!in_run)
                ct_buf_putc(out, '-');
            in_run = true;
        } else {
            ct_buf_putc(out, ct_ascii_lower(*c));
            in_run = false;
        }
    }
}

int ct_ident__key(ct_buf *out, const char *type, const char *ns, const char *name)
{
    char *t = NULL, *n = NULL, *nm = NULL;
    const ct_ident__type *row;
    int rc = 0;

    t = ct_strdup(type);
    n = ns && *ns ? ct_strdup(ns) : NULL;
    nm = ct_strdup(name);
    if (!t || !nm || (ns && *ns && !n)) {
        rc = ct_error_set(CT_ENOMEM, "out of memory building a package key");
        goto cleanup;
    }
    lower_inplace(t);
    row = ct_ident__type_find(t);
    ct_ident__normalize(row, n, nm, NULL, NULL);
    if (strcmp(t, "nuget") == 0 || strcmp(t, "npm") == 0 || strcmp(t, "rpm") == 0 ||
        strcmp(t, "deb") == 0 || strcmp(t, "apk") == 0)
        lower_inplace(n);
    if (strcmp(t, "nuget") == 0 || strcmp(t, "npm") == 0) /* registries fold case */
        lower_inplace(nm);

    ct_buf_puts(out, t);
    ct_buf_putc(out, '/');
    if (n) {
        ct_buf_puts(out, n);
        ct_buf_putc(out, '/');
    }
    if (strcmp(t, "pypi") == 0)
        put_pypi_name(out, nm);
    else
        ct_buf_puts(out, nm);
    if (out->failed)
        rc = ct_error_last()->code;
cleanup:
    ct_free(t);
    ct_free(n);
    ct_free(nm);
    return rc;
}

/* A distro binary package keys to its source package ("upstream" qualifier, as syft writes it:
 * "openssl" or "glibc@2.36-9"), in the release its "distro" qualifier names ("debian-12",
 * "bookworm", "alpine-3.18.4"); see docs/feeds.md "Distributions". */
static int distro_key(ct_buf *out, const ct_purl *p, bool *done)
{
    bool source_name = false;
    const char *up, *distro;
    char *name = NULL;
    int rc;

    *done = false;
    if (ct_ident__distro_row(p->type, p->namespace_, &source_name) < 0)
        return 0;
    up = source_name ? ct_purl_qualifier(p, "upstream") : NULL;
    distro = ct_purl_qualifier(p, "distro");
    if (up && *up && *up != '@')
        name = ct_strndup(up, strcspn(up, "@ "));
    else
        name = ct_strdup(p->name);
    if (!name)
        return ct_error_set(CT_ENOMEM, "out of memory building a package key");
    if ((rc = ct_ident__key(out, p->type, p->namespace_, name)) == 0 && distro)
        rc = ct_ident__distro_scope(out, p->type, p->namespace_, distro);
    ct_free(name);
    *done = true;
    return rc < 0 ? rc : 0;
}

int ct_purl_package_key(ct_buf *out, const ct_purl *p)
{
    bool done;
    int rc;
    CT_IDENT_ASSERT_ARG(out && p);
    if (!p->type || !*p->type || !p->name || !*p->name)
        return ct_error_set(CT_EINVAL, "package key: purl without type or name");
    if ((rc = distro_key(out, p, &done)) < 0 || done)
        return rc;
    if ((rc = ct_ident__key(out, p->type, p->namespace_, p->name)) < 0)
        return rc;
    /* Maven / Composer from another than the default repository (ecosystem.c) */
    rc = ct_ident__repo_scope(out, p->type, ct_purl_qualifier(p, "repository_url"));
    return rc < 0 ? rc : 0;
}

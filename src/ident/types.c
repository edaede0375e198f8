/* The per-type purl rules (case folding, required/prohibited parts, vers scheme), one const
 * table derived from the purl-spec type definition files. */
#include "ident/ident_int.h"

#include <stdlib.h>
#include <string.h>

#define NSL CT_PT_NS_LOWER
#define NML CT_PT_NAME_LOWER
#define VRL CT_PT_VER_LOWER
#define NSR CT_PT_NS_REQUIRED
#define NSP CT_PT_NS_PROHIBITED

/* Sorted by type (bytewise) for the binary search in ct_ident__type_find(). */
static const ct_ident__type types[] = {
    { "alpm", "alpm", NSR | NSL, NULL },
    { "apk", "apk", NSR | NSL | NML, NULL },
    { "bazel", "generic", NSP, NULL },
    { "bitbucket", "generic", NSR | NSL | NML, NULL },
    { "bitnami", "semver", NSP | NML, NULL },
    { "brew", "generic", NSL | NML, NULL },
    { "cargo", "cargo", NSP, NULL },
    { "chrome-extension", "generic", NSP | NML | CT_PT_CHROME, NULL },
    { "cocoapods", "generic", NSP, NULL },
    { "composer", "composer", NSR | NSL | NML, NULL },
    { "conan", "conan", CT_PT_CONAN, NULL },
    { "conda", "conda", NSP, NULL },
    { "cpan", "generic", CT_PT_NO_COLONS, NULL },
    { "cran", "generic", NSP, NULL },
    { "deb", "deb", NSR | NSL | NML, NULL },
    { "docker", "generic", 0, NULL },
    { "gem", "gem", NSP, NULL },
    { "generic", "generic", 0, NULL },
    { "git", "generic", NSR | CT_PT_NS_ONE_SEGMENT | CT_PT_LENIENT_LOWER, NULL },
    { "github", "generic", NSR | NSL | NML, NULL },
    { "golang", "golang", 0, NULL }, /* spec: namespace required; SBOMs say pkg:golang/stdlib */
    { "hackage", "hackage", NSP, NULL },
    { "hex", "hex", NSL | NML, NULL },
    { "huggingface", "generic", NSR | VRL, NULL },
    { "julia", "generic", NSP, "uuid" },
    { "luarocks", "generic", NSL | NML, NULL },
    { "maven", "maven", NSR, NULL },
    { "mlflow", "generic", NSP | CT_PT_NAME_MLFLOW, NULL },
    { "npm", "npm", 0, NULL }, /* case-sensitive per the current definition; keys lowercase */
    { "nuget", "nuget", NSP, NULL },
    { "oci", "generic", NSP | NML | VRL, NULL },
    { "opam", "generic", NSP, NULL },
    { "otp", "generic", NSP | NML, NULL },
    { "pub", "pub", NSP | NML | CT_PT_NAME_PUB, NULL },
    { "pypi", "pypi", NSP | NML | CT_PT_NAME_PYPI | VRL, NULL },
    { "qpkg", "generic", NSR | NSL, NULL },
    { "rpm", "rpm", NSR | NSL, NULL },
    { "swid", "generic", 0, "tag_id" },
    { "swift", "swift", NSR, NULL },
    { "vcpkg", "generic", NSP, NULL },
    { "vscode-extension", "generic", NSR | NSL | NML | VRL, NULL },
    { "yocto", "generic", NSL, NULL },
};

/* A binary search written out rather than bsearch() + strcmp(): it runs twice for every purl
 * parsed and formatted, and the inlined byte loop is cheaper than the calls. */
const ct_ident__type *ct_ident__type_find(const char *type)
{
    size_t lo = 0, hi = CT_NELEM(types);
    if (!type)
        return NULL;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const unsigned char *k = (const unsigned char *)type;
        const unsigned char *r = (const unsigned char *)types[mid].type;
        while (*k && *k == *r) {
            k++;
            r++;
        }
        if (*k == *r)
            return &types[mid];
        if (*k < *r)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

const char *ct_purl_type_scheme(const char *type)
{
    char low[32];
    size_t i;
    const ct_ident__type *t;

    if (!type)
        return "generic";
    for (i = 0; type[i] && i + 1 < sizeof(low); i++)
        low[i] = ct_ascii_lower(type[i]);
    if (type[i])
        return "generic";
    low[i] = '\0';
    t = ct_ident__type_find(low);
    return t ? t->scheme : "generic";
}

/* ASCII lowercase in place; inline (ct_ascii_lower() is a call per byte in another file). */
static void lower_inplace(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s + ('a' - 'A'));
}

void ct_ident__normalize(const ct_ident__type *t, char *ns, char *name, char *version,
                         const char *repo_url)
{
    if (!t)
        return;
    if (ns && (t->flags & CT_PT_NS_LOWER))
        lower_inplace(ns);
    if (version && (t->flags & CT_PT_VER_LOWER))
        lower_inplace(version);
    if (!name)
        return;
    if (t->flags & CT_PT_NAME_LOWER)
        lower_inplace(name);
    if ((t->flags & CT_PT_NAME_MLFLOW) && repo_url && strstr(repo_url, "azuredatabricks.net"))
        lower_inplace(name);
    /* flags read once: the char stores below may alias *t as far as the compiler knows */
    const unsigned flags = t->flags;
    if (flags & CT_PT_NAME_PYPI) {
        for (char *c = name; *c; c++)
            if (*c == '_')
                *c = '-';
    } else if (flags & CT_PT_NAME_PUB) {
        for (char *c = name; *c; c++)
            if (!(*c >= '0' && *c <= '9') && !(*c >= 'a' && *c <= 'z'))
                *c = '_';
    }
}

void ct_ident__normalize_lenient(char *ns, char *name)
{
    if (ns)
        lower_inplace(ns);
    if (name)
        lower_inplace(name);
}

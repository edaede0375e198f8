/* OSV ecosystems (osv-schema "ecosystems" list) mapped to purl type, namespace and version
 * scheme, so an advisory's (ecosystem, name) yields the same package key as the SBOM purl. */
#include "ident/ident_int.h"

#include <string.h>

/* How an OSV package name splits into purl namespace and name. */
typedef enum split_mode {
    SPLIT_NONE,       /* name as-is */
    SPLIT_LAST_SLASH, /* Go modules: "github.com/foo/bar" -> "github.com/foo" + "bar" */
    SPLIT_SCOPE,      /* npm: "@scope/pkg" -> "@scope" + "pkg"; others unsplit */
    SPLIT_FIRST_SLASH,/* Packagist, GitHub Actions: "vendor/pkg" */
    SPLIT_COLON,      /* Maven: "group:artifact" */
    SPLIT_FIRST_DOT,  /* VSCode: "publisher.extension" */
    SPLIT_URL,        /* SwiftURL: drop "https://" and ".git", then as SPLIT_LAST_SLASH */
} split_mode;

typedef struct eco_row {
    const char *ecosystem; /* OSV name, before any ":<release>" suffix */
    const char *type;      /* purl type, or pseudo-type for the key when no purl type fits */
    const char *ns;        /* fixed namespace (distro) or NULL */
    const char *scheme;    /* vers scheme */
    split_mode split;
    const char *fixed_name; /* replaces the OSV name (Linux "Kernel" -> "linux") */
} eco_row;

static const eco_row ecosystems[] = {
    { "AlmaLinux", "rpm", "almalinux", "rpm", SPLIT_NONE, NULL },
    { "Alpaquita", "apk", "alpaquita", "apk", SPLIT_NONE, NULL },
    { "Alpine", "apk", "alpine", "apk", SPLIT_NONE, NULL },
    { "Azure Linux", "rpm", "azurelinux", "rpm", SPLIT_NONE, NULL },
    { "Bitnami", "bitnami", NULL, "semver", SPLIT_NONE, NULL },
    { "Chainguard", "apk", "chainguard", "apk", SPLIT_NONE, NULL },
    { "ConanCenter", "conan", NULL, "conan", SPLIT_NONE, NULL },
    { "CRAN", "cran", NULL, "generic", SPLIT_NONE, NULL },
    { "crates.io", "cargo", NULL, "cargo", SPLIT_NONE, NULL },
    { "Debian", "deb", "debian", "deb", SPLIT_NONE, NULL },
    { "GHC", "generic", "ghc", "generic", SPLIT_NONE, NULL },
    { "GitHub Actions", "github", NULL, "generic", SPLIT_FIRST_SLASH, NULL },
    { "Go", "golang", NULL, "golang", SPLIT_LAST_SLASH, NULL },
    { "Hackage", "hackage", NULL, "hackage", SPLIT_NONE, NULL },
    { "Hex", "hex", NULL, "hex", SPLIT_NONE, NULL },
    { "Julia", "julia", NULL, "generic", SPLIT_NONE, NULL },
    { "Kubernetes", "golang", NULL, "golang", SPLIT_LAST_SLASH, NULL },
    { "Linux", "generic", NULL, "generic", SPLIT_NONE, "linux" },
    { "Mageia", "rpm", "mageia", "rpm", SPLIT_NONE, NULL },
    { "Maven", "maven", NULL, "maven", SPLIT_COLON, NULL },
    { "MinimOS", "apk", "minimos", "apk", SPLIT_NONE, NULL },
    { "npm", "npm", NULL, "npm", SPLIT_SCOPE, NULL },
    { "NuGet", "nuget", NULL, "nuget", SPLIT_NONE, NULL },
    { "opam", "opam", NULL, "generic", SPLIT_NONE, NULL },
    { "openEuler", "rpm", "openeuler", "rpm", SPLIT_NONE, NULL },
    { "openSUSE", "rpm", "opensuse", "rpm", SPLIT_NONE, NULL },
    { "OSS-Fuzz", "oss-fuzz", NULL, "generic", SPLIT_NONE, NULL },
    { "Packagist", "composer", NULL, "composer", SPLIT_FIRST_SLASH, NULL },
    { "Photon OS", "rpm", "photon", "rpm", SPLIT_NONE, NULL },
    { "Pub", "pub", NULL, "pub", SPLIT_NONE, NULL },
    { "PyPI", "pypi", NULL, "pypi", SPLIT_NONE, NULL },
    { "Red Hat", "rpm", "redhat", "rpm", SPLIT_NONE, NULL },
    { "Rocky Linux", "rpm", "rocky-linux", "rpm", SPLIT_NONE, NULL },
    { "RubyGems", "gem", NULL, "gem", SPLIT_NONE, NULL },
    { "SUSE", "rpm", "suse", "rpm", SPLIT_NONE, NULL },
    { "SwiftURL", "swift", NULL, "swift", SPLIT_URL, NULL },
    { "Ubuntu", "deb", "ubuntu", "deb", SPLIT_NONE, NULL },
    { "VSCode", "vscode-extension", NULL, "generic", SPLIT_FIRST_DOT, NULL },
    { "Wolfi", "apk", "wolfi", "apk", SPLIT_NONE, NULL },
};

static const eco_row *eco_find(const char *base)
{
    for (size_t i = 0; i < CT_NELEM(ecosystems); i++)
        if (ct_ascii_casecmp(ecosystems[i].ecosystem, base) == 0)
            return &ecosystems[i];
    return NULL;
}

static bool has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The separator between namespace and name, or NULL when the name has no namespace. */
static const char *split_at(const char *name, split_mode mode)
{
    switch (mode) {
    case SPLIT_LAST_SLASH:
    case SPLIT_URL:
        return strrchr(name, '/');
    case SPLIT_SCOPE:
        return name[0] == '@' ? strchr(name, '/') : NULL;
    case SPLIT_FIRST_SLASH:
        return strchr(name, '/');
    case SPLIT_COLON:
        return strchr(name, ':');
    case SPLIT_FIRST_DOT:
        return strchr(name, '.');
    case SPLIT_NONE:
        break;
    }
    return NULL;
}

static int known_key(ct_buf *key_out, const eco_row *row, const char *name)
{
    char *owned = NULL, *ns = NULL;
    const char *nm = row->fixed_name ? row->fixed_name : name;
    size_t len;
    int rc;

    if (row->split == SPLIT_URL) {
        if (has_prefix(nm, "https://"))
            nm += 8;
        else if (has_prefix(nm, "http://"))
            nm += 7;
    }
    len = strlen(nm);
    if (row->split == SPLIT_URL && len > 4 && strcmp(nm + len - 4, ".git") == 0)
        len -= 4;
    if (!(owned = ct_strndup(nm, len)))
        return ct_error_set(CT_ENOMEM, "out of memory building a package key");
    const char *cut = split_at(owned, row->split);
    if (row->ns) {
        rc = ct_ident__key(key_out, row->type, row->ns, owned);
    } else if (cut && cut > owned && cut[1]) {
        if (!(ns = ct_strndup(owned, (size_t)(cut - owned)))) {
            rc = ct_error_set(CT_ENOMEM, "out of memory building a package key");
        } else {
            rc = ct_ident__key(key_out, row->type, ns, cut + 1);
        }
    } else {
        rc = ct_ident__key(key_out, row->type, NULL, owned);
    }
    ct_free(ns);
    ct_free(owned);
    return rc;
}

int ct_osv_package_key(ct_buf *key_out, const char **scheme_out, const char *ecosystem,
                       const char *name)
{
    char base[64];
    size_t n;
    const eco_row *row;
    int rc;

    CT_IDENT_ASSERT_ARG(key_out && ecosystem && name);
    if (!*name)
        return ct_error_set(CT_EINVAL, "OSV package without a name");
    n = strcspn(ecosystem, ":");
    row = NULL;
    if (n < sizeof(base)) {
        memcpy(base, ecosystem, n);
        base[n] = '\0';
        row = eco_find(base);
    }
    if (row) {
        if ((rc = known_key(key_out, row, name)) < 0)
            return rc;
        if (scheme_out)
            *scheme_out = row->scheme;
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        ct_buf_putc(key_out, ct_ascii_lower(ecosystem[i]));
    ct_buf_putc(key_out, '/');
    ct_buf_puts(key_out, name);
    if (key_out->failed)
        return ct_error_last()->code;
    if (scheme_out)
        *scheme_out = "generic";
    return 1;
}

/* OSV ecosystems (osv-schema "ecosystems" list) mapped to purl type, namespace and version
 * scheme, so an advisory's (ecosystem, name) yields the same package key as the SBOM purl. */
#include "ident/ident_int.h"

#include <stdio.h>
#include <string.h>

/* Shared with pkgkey.c (declared there too: ident_int.h belongs to the purl code). */
int ct_ident__distro_row(const char *type, const char *ns, bool *source_name_out);
int ct_ident__distro_scope(ct_buf *out, const char *type, const char *ns, const char *release);
int ct_ident__repo_scope(ct_buf *out, const char *type, const char *url);

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

/* A Red Hat suffix scopes the key only when its CPE names an Enterprise Linux stream
 * ("enterprise_linux:8::appstream", "rhel_aus:8.6::appstream", with or without "cpe:/a:redhat:"):
 * the number of another product (OpenShift 4.12) is no RHEL release, so those stay release-less. */
static bool rhel_stream(const eco_row *row, const char *suffix)
{
    const char *p = suffix;
    if (strcmp(row->ecosystem, "Red Hat") != 0)
        return true;
    if (has_prefix(p, "cpe:/a:redhat:") || has_prefix(p, "cpe:/o:redhat:"))
        p += 14;
    return has_prefix(p, "enterprise_linux:") || has_prefix(p, "rhel_") ||
           has_prefix(p, "rhel:");
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
        /* "Debian:12", "Alpine:v3.18", "AlmaLinux:8", "Red Hat:rhel_aus:8.6::appstream": the
         * release scopes the key; "Maven:https://maven.google.com": the repository does */
        if (ecosystem[n] == ':' && row->ns && rhel_stream(row, ecosystem + n + 1) &&
            (rc = ct_ident__distro_scope(key_out, row->type, row->ns, ecosystem + n + 1)) < 0)
            return rc;
        if (ecosystem[n] == ':' && !row->ns &&
            (rc = ct_ident__repo_scope(key_out, row->type, ecosystem + n + 1)) < 0)
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

/* ---- distribution releases ------------------------------------------------------------------
 * A distro package's key carries the release it was built for ("?distro=debian-12"), so data
 * for Debian 11 never meets a Debian 12 component. Only distributions whose advisories name a
 * release are scoped; rolling ones (Wolfi, Chainguard) and the rest keep the plain key. */

typedef struct distro_row {
    const char *ns;   /* key namespace (purl namespace, OSV row ns) */
    const char *type; /* purl type */
    int parts;        /* numeric release components kept: Debian "12.4" -> "12" */
    bool source_name; /* key by the source package (purl "upstream" qualifier) */
    bool any_release; /* a component naming no release meets the data of every release */
    const char *alias[2]; /* other prefixes of purl distro qualifiers ("rhel-8", "el8") */
} distro_row;

static const distro_row distros[] = {
    { "almalinux", "rpm", 1, false, false, { NULL } }, /* OSV AlmaLinux names binary RPMs */
    { "alpine", "apk", 2, true, false, { NULL } },     /* secdb names the aport (origin) */
    { "debian", "deb", 1, true, false, { NULL } },     /* tracker, DSAs: source packages */
    /* Red Hat: OSV names a product stream by CPE ("Red Hat:rhel_aus:8.6::appstream"), CSAF by
     * its platform CPE; both are scoped by the major release. Components without a release
     * keep meeting every stream by name (docs/feeds.md "Distributions"). */
    { "redhat", "rpm", 1, false, true, { "rhel", "el" } },
    { "ubuntu", "deb", 2, true, false, { NULL } },
};

/* Debian and Ubuntu code names (tracker release names, purl distro=bookworm / jammy). */
static const struct {
    const char *name, *number;
} ubuntu_codenames[] = {
    { "bionic", "18.04" }, { "focal", "20.04" }, { "jammy", "22.04" },
    { "noble", "24.04" },  { "trusty", "14.04" }, { "xenial", "16.04" },
}, debian_codenames[] = {
    { "bookworm", "12" }, { "bullseye", "11" }, { "buster", "10" }, { "etch", "4" },
    { "forky", "14" },    { "jessie", "8" },    { "lenny", "5" },   { "potato", "2.2" },
    { "sarge", "3.1" },   { "squeeze", "6" },   { "stretch", "9" }, { "trixie", "13" },
    { "wheezy", "7" },    { "woody", "3.0" },
};

static int casecmp_n(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char x = ct_ascii_lower(a[i]), y = ct_ascii_lower(b[i]);
        if (x != y || !x)
            return x < y ? -1 : x > y;
    }
    return 0;
}

/* Index of the scoped distro for (type, ns), or -1. */
int ct_ident__distro_row(const char *type, const char *ns, bool *source_name_out)
{
    for (size_t i = 0; type && ns && i < CT_NELEM(distros); i++) {
        if (ct_ascii_casecmp(distros[i].type, type) == 0 &&
            ct_ascii_casecmp(distros[i].ns, ns) == 0) {
            if (source_name_out)
                *source_name_out = distros[i].source_name;
            return (int)i;
        }
    }
    return -1;
}

/* Append "<ns>-<release>" for release as purls ("debian-12", "bookworm", "alpine-3.18.4") or
 * OSV suffixes ("12", "v3.18", "22.04:LTS") write it. Returns 1 when appended, 0 when the
 * distro is not scoped or the release is unusable (the key then stays unscoped). */
int ct_ident__distro_scope(ct_buf *out, const char *type, const char *ns, const char *release)
{
    char rel[48];
    size_t n = 0, nslen;
    int row = ct_ident__distro_row(type, ns, NULL);
    const char *r = release;

    if (row < 0 || !r || !*r)
        return 0;
    nslen = strlen(distros[row].ns);
    /* "debian-12" / "Debian:12": drop the distro name; "rhel-8" / "rhel8" / "el8" too */
    if (casecmp_n(r, distros[row].ns, nslen) == 0 && (r[nslen] == '-' || r[nslen] == ':'))
        r += nslen + 1;
    else
        for (size_t k = 0; k < CT_NELEM(distros[row].alias) && distros[row].alias[k]; k++) {
            size_t an = strlen(distros[row].alias[k]);
            if (casecmp_n(r, distros[row].alias[k], an) != 0)
                continue;
            if (r[an] == '-' && r[an + 1] >= '0' && r[an + 1] <= '9')
                r += an + 1;
            else if (r[an] >= '0' && r[an] <= '9')
                r += an;
            else
                continue;
            break;
        }
    /* OSV suffixes may have several ':' parts ("Ubuntu:Pro:18.04:LTS"): the first starting with
     * a digit (or "v" and a digit), else the first */
    for (const char *seg = r; seg; seg = strchr(seg, ':') ? strchr(seg, ':') + 1 : NULL) {
        if ((seg[0] >= '0' && seg[0] <= '9') ||
            ((seg[0] == 'v' || seg[0] == 'V') && seg[1] >= '0' && seg[1] <= '9')) {
            r = seg;
            break;
        }
    }
    if ((r[0] == 'v' || r[0] == 'V') && r[1] >= '0' && r[1] <= '9')
        r++;
    for (; r[n] && r[n] != ':' && n + 1 < sizeof rel; n++) {
        char c = ct_ascii_lower(r[n]);
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
              c == '_'))
            return 0;
        rel[n] = c;
    }
    if (n == 0 || n + 1 >= sizeof rel)
        return 0;
    rel[n] = '\0';
    if (strcmp(distros[row].ns, "debian") == 0) {
        for (size_t i = 0; i < CT_NELEM(debian_codenames); i++)
            if (strcmp(rel, debian_codenames[i].name) == 0)
                snprintf(rel, sizeof rel, "%s", debian_codenames[i].number);
    } else if (strcmp(distros[row].ns, "ubuntu") == 0) {
        for (size_t i = 0; i < CT_NELEM(ubuntu_codenames); i++)
            if (strcmp(rel, ubuntu_codenames[i].name) == 0)
                snprintf(rel, sizeof rel, "%s", ubuntu_codenames[i].number);
    }
    /* keep the release's own components: Debian "12.4" -> "12", Alpine "3.18.4" -> "3.18" */
    if (rel[0] >= '0' && rel[0] <= '9') {
        int dots = 0;
        for (char *c = rel; *c; c++)
            if (*c == '.' && ++dots >= distros[row].parts) {
                *c = '\0';
                break;
            }
    }
    ct_buf_puts(out, "?distro=");
    ct_buf_puts(out, distros[row].ns);
    ct_buf_putc(out, '-');
    ct_buf_puts(out, rel);
    if (out->failed)
        return ct_error_last()->code;
    return 1;
}

/* ---- repositories: Maven and Packagist ------------------------------------------------------
 * OSV "Maven:<URL>" / "Packagist:<URL>" names the remote repository (no suffix: the default,
 * Maven Central / packagist.org); a purl says it in its repository_url qualifier. The key of a
 * package from another repository carries "?repository_url=<URL>" (trailing '/' dropped), so
 * it meets only data of that repository; the default repository keeps the plain key. */

static const struct {
    const char *type, *default_url;
} repos[] = {
    { "maven", "https://repo.maven.apache.org/maven2" },
    { "composer", "https://packagist.org" },
};

/* Append "?repository_url=<url>" for a maven / composer key when url names another than the
 * default repository. Returns 1 when appended, 0 when not (default, empty, other type). */
int ct_ident__repo_scope(ct_buf *out, const char *type, const char *url)
{
    size_t n;
    for (size_t i = 0; type && url && i < CT_NELEM(repos); i++) {
        if (ct_ascii_casecmp(repos[i].type, type) != 0)
            continue;
        n = strlen(url);
        while (n && url[n - 1] == '/')
            n--;
        if (n == 0 || (n == strlen(repos[i].default_url) &&
                       memcmp(url, repos[i].default_url, n) == 0))
            return 0;
        ct_buf_puts(out, "?repository_url=");
        ct_buf_put(out, url, n);
        if (out->failed)
            return ct_error_last()->code;
        return 1;
    }
    return 0;
}

/* ---- how keys meet -------------------------------------------------------------------------- */

ct_pkgkey_kind ct_package_key_distro(size_t *base_len_out, bool *any_release_out, const char *key)
{
    char type[16], ns[32];
    const char *s1, *s2, *scope;
    bool source_name, distro_type = false;
    int row;

    if (any_release_out)
        *any_release_out = false;
    /* most keys are of no distribution's type: answered before any copy (match_all asks this
     * once per component) */
    for (size_t i = 0; key && !distro_type && i < CT_NELEM(distros); i++) {
        size_t tl = strlen(distros[i].type);
        distro_type = strncmp(key, distros[i].type, tl) == 0 && key[tl] == '/';
    }
    if (base_len_out)
        *base_len_out = key ? strlen(key) : 0;
    if (!distro_type || !(s1 = strchr(key, '/')) || !(s2 = strchr(s1 + 1, '/')) ||
        (size_t)(s1 - key) >= sizeof type || (size_t)(s2 - s1 - 1) >= sizeof ns)
        return CT_PKGKEY_PLAIN;
    memcpy(type, key, (size_t)(s1 - key));
    type[s1 - key] = '\0';
    memcpy(ns, s1 + 1, (size_t)(s2 - s1 - 1));
    ns[s2 - s1 - 1] = '\0';
    if ((row = ct_ident__distro_row(type, ns, &source_name)) < 0)
        return CT_PKGKEY_PLAIN;
    if (any_release_out)
        *any_release_out = distros[row].any_release;
    if (!(scope = strstr(s2 + 1, "?distro=")))
        return CT_PKGKEY_DISTRO_ANY;
    if (base_len_out)
        *base_len_out = (size_t)(scope - key);
    return CT_PKGKEY_DISTRO_RELEASE;
}

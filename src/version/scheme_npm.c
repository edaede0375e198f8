/* npm (node-semver) versions: SemVer 2.0.0 ordering, tolerant of surrounding blanks and a
 * leading "v" / "=" (node-semver's loose prefix); node-semver's 256-byte and 2^53-1 limits. */
#include "version/scheme.h"

#define NPM_MAX_LENGTH 256
static const char max_safe[] = "9007199254740991"; /* Number.MAX_SAFE_INTEGER */

static bool is_blank(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static int npm_parse(ct_semver_parts *p, const char *v, size_t len)
{
    int rc;
    if (len > NPM_MAX_LENGTH)
        return ct_error_set(CT_EPARSE, "invalid npm version: longer than %d bytes",
                            NPM_MAX_LENGTH);
    while (len > 0 && is_blank((unsigned char)v[len - 1]))
        len--;
    while (len > 0 && (is_blank((unsigned char)*v) || *v == 'v' || *v == '=')) {
        v++;
        len--;
    }
    if ((rc = ct_version__semver_parse(p, v, len)) < 0)
        return ct_error_prefix("npm");
    for (int k = 0; k < 3; k++)
        if (ct_version__numcmp(p->num[k], p->numlen[k], max_safe, sizeof max_safe - 1) > 0)
            return ct_error_set(CT_EPARSE, "invalid npm version: component above 2^53-1");
    return 0;
}

static int npm_validate(const char *v, size_t len)
{
    ct_semver_parts p;
    return npm_parse(&p, v, len);
}

static int npm_compare(int *cmp_out, const char *a, size_t alen, const char *b, size_t blen)
{
    ct_semver_parts pa, pb;
    int rc;
    if ((rc = npm_parse(&pa, a, alen)) < 0 || (rc = npm_parse(&pb, b, blen)) < 0)
        return rc;
    *cmp_out = ct_version__semver_cmp_parts(&pa, &pb);
    return 0;
}

const ct_version_scheme ct_version_scheme_npm = { "npm", npm_validate, npm_compare };

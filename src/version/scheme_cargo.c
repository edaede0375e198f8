/* Cargo (crates.io) versions: strict SemVer 2.0.0 as the Rust semver crate parses it, with
 * MAJOR/MINOR/PATCH limited to u64; precedence ignores build metadata. */
#include "version/scheme.h"

static const char max_u64[] = "18446744073709551615";

static int cargo_parse(ct_semver_parts *p, const char *v, size_t len)
{
    int rc;
    if ((rc = ct_version__semver_parse(p, v, len)) < 0)
        return ct_error_prefix("cargo");
    for (int k = 0; k < 3; k++)
        if (ct_version__numcmp(p->num[k], p->numlen[k], max_u64, sizeof max_u64 - 1) > 0)
            return ct_error_set(CT_EPARSE, "invalid cargo version: component exceeds u64");
    return 0;
}

static int cargo_validate(const char *v, size_t len)
{
    ct_semver_parts p;
    return cargo_parse(&p, v, len);
}

static int cargo_compare(int *cmp_out, const char *a, size_t alen, const char *b, size_t blen)
{
    ct_semver_parts pa, pb;
    int rc;
    if ((rc = cargo_parse(&pa, a, alen)) < 0 || (rc = cargo_parse(&pb, b, blen)) < 0)
        return rc;
    *cmp_out = ct_version__semver_cmp_parts(&pa, &pb);
    return 0;
}

const ct_version_scheme ct_version_scheme_cargo = { "cargo", cargo_validate, cargo_compare };

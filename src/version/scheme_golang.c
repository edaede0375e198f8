/* Go module versions as golang.org/x/mod/semver reads them: required "v", shorthands "v1" and
 * "v1.2", pseudo-versions are ordinary pre-releases, "+incompatible" is ignored build metadata. */
#include "version/scheme.h"

/* Formatted only when read (ct_error_set_lazy): compare loops meet many invalid versions. */
#define bad(why, at)                                                                               \
    CT_ERROR_SET_LAZY(CT_EPARSE, "invalid Go version: %.*s at offset %zu", (why),                \
                      sizeof(why) - 1, (at))

/* "0" or [1-9][0-9]*. */
static int go_num(const char **s, size_t *n, const char *v, size_t len, size_t *pos)
{
    size_t i = *pos, start = i;
    while (i < len && ct_version__isdigit((unsigned char)v[i]))
        i++;
    if (i == start)
        return bad("expected a number", start);
    if (v[start] == '0' && i - start > 1)
        return bad("leading zero", start);
    *s = v + start;
    *n = i - start;
    *pos = i;
    return 0;
}

/* '.'-separated non-empty [0-9A-Za-z-]+ identifiers after the '-' or '+' at *pos. */
static int go_idents(const char *v, size_t len, size_t *pos, bool check_zero)
{
    size_t i = *pos + 1;
    for (;;) {
        size_t start = i;
        bool numeric = true;
        while (i < len && (ct_version__isdigit((unsigned char)v[i]) ||
                           ct_version__isalpha((unsigned char)v[i]) || v[i] == '-')) {
            if (!ct_version__isdigit((unsigned char)v[i]))
                numeric = false;
            i++;
        }
        if (i == start)
            return bad("empty identifier", start);
        if (check_zero && numeric && i - start > 1 && v[start] == '0')
            return bad("leading zero in pre-release", start);
        if (i < len && v[i] == '.') {
            i++;
            continue;
        }
        break;
    }
    *pos = i;
    return 0;
}

static int go_parse(ct_semver_parts *p, const char *v, size_t len)
{
    static const char zero[] = "0";
    size_t pos = 1;
    int rc;

    if (len == 0 || v[0] != 'v')
        return bad("missing leading 'v'", 0);
    p->pre = NULL;
    p->prelen = 0;
    if ((rc = go_num(&p->num[0], &p->numlen[0], v, len, &pos)) < 0)
        return rc;
    p->num[1] = p->num[2] = zero;
    p->numlen[1] = p->numlen[2] = 1;
    if (pos == len)
        return 0; /* "v1" = v1.0.0 */
    if (v[pos] != '.')
        return bad("expected '.'", pos);
    pos++;
    if ((rc = go_num(&p->num[1], &p->numlen[1], v, len, &pos)) < 0)
        return rc;
    if (pos == len)
        return 0; /* "v1.2" = v1.2.0 */
    if (v[pos] != '.')
        return bad("expected '.'", pos);
    pos++;
    if ((rc = go_num(&p->num[2], &p->numlen[2], v, len, &pos)) < 0)
        return rc;
    if (pos < len && v[pos] == '-') {
        size_t start = pos + 1;
        if ((rc = go_idents(v, len, &pos, true)) < 0)
            return rc;
        p->pre = v + start;
        p->prelen = pos - start;
    }
    if (pos < len && v[pos] == '+' && (rc = go_idents(v, len, &pos, false)) < 0)
        return rc;
    if (pos != len)
        return bad("unexpected character", pos);
    return 0;
}

static int go_validate(const char *v, size_t len)
{
    ct_semver_parts p;
    return go_parse(&p, v, len);
}

static int go_compare(int *cmp_out, const char *a, size_t alen, const char *b, size_t blen)
{
    ct_semver_parts pa, pb;
    int rc;
    if ((rc = go_parse(&pa, a, alen)) < 0 || (rc = go_parse(&pb, b, blen)) < 0)
        return rc;
    *cmp_out = ct_version__semver_cmp_parts(&pa, &pb);
    return 0;
}

const ct_version_scheme ct_version_scheme_golang = { "golang", go_validate, go_compare };
const ct_version_scheme ct_version_scheme_go = { "go", go_validate, go_compare };

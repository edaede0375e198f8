/* CPE name matching after NISTIR 7696: attribute comparison (its table of ANY / NA / string /
 * wildcard cases) and the name relation built from the eleven attribute relations. */
#include "ident/ident_int.h"

#include <string.h>

const char *ct_cpe_relation_name(ct_cpe_relation rel)
{
    switch (rel) {
    case CT_CPE_DISJOINT:
        return "DISJOINT";
    case CT_CPE_SUBSET:
        return "SUBSET";
    case CT_CPE_SUPERSET:
        return "SUPERSET";
    case CT_CPE_EQUAL:
        return "EQUAL";
    case CT_CPE_UNDEFINED:
        return "UNDEFINED";
    }
    return "?";
}

/* A WFN value taken apart: leading / trailing wildcard (-1 for '*', else the number of '?')
 * and the literal middle with quoting removed and ASCII lowercased. */
typedef struct pattern {
    int lead, trail;
    char *mid; /* NEW */
    size_t n;
} pattern;

static int split_value(pattern *p, const char *v)
{
    size_t len = strlen(v), i = 0, end = len;

    p->lead = p->trail = 0;
    p->n = 0;
    if (!(p->mid = ct_malloc(len + 1)))
        return ct_error_set(CT_ENOMEM, "out of memory comparing CPE names");
    if (v[0] == '*') {
        p->lead = -1;
        i = 1;
    } else {
        while (i < len && v[i] == '?') {
            p->lead++;
            i++;
        }
    }
    while (i < end) {
        if (v[i] == '\\' && i + 1 < len) {
            p->mid[p->n++] = ct_ascii_lower(v[i + 1]);
            i += 2;
        } else if (v[i] == '*' && i + 1 == len) {
            p->trail = -1;
            i++;
        } else if (v[i] == '?') {
            p->trail++; /* only at the end in a valid value */
            i++;
        } else {
            p->mid[p->n++] = ct_ascii_lower(v[i]);
            i++;
        }
    }
    p->mid[p->n] = '\0';
    return 0;
}

static bool has_wildcard(const pattern *p)
{
    return p->lead != 0 || p->trail != 0;
}

/* Does the source pattern s match the literal target t? As NISTIR 7696 compare_strings: a
 * leading / trailing '*' absorbs any number of characters, a run of k '?' up to k of them. */
static bool pattern_matches(const pattern *s, const pattern *t)
{
    if (s->n > t->n)
        return false;
    for (size_t i = 0; i + s->n <= t->n; i++) {
        size_t before = i, after = t->n - i - s->n;
        if (s->lead >= 0 && before > (size_t)s->lead)
            break;
        if (s->trail >= 0 && after > (size_t)s->trail)
            continue;
        if (memcmp(t->mid + i, s->mid, s->n) == 0)
            return true;
    }
    return false;
}

static int compare_attr(ct_cpe_relation *out, const ct_cpe_value *s, const ct_cpe_value *t)
{
    pattern ps = { 0, 0, NULL, 0 }, pt = { 0, 0, NULL, 0 };
    int rc = 0;

    if (t->kind == CT_CPE_VALUE) {
        if ((rc = split_value(&pt, t->value)) < 0)
            goto cleanup;
        if (has_wildcard(&pt)) { /* wildcards in the target: undefined in every row */
            *out = CT_CPE_UNDEFINED;
            goto cleanup;
        }
    }
    if (s->kind == CT_CPE_ANY) {
        *out = t->kind == CT_CPE_ANY ? CT_CPE_EQUAL : CT_CPE_SUPERSET;
    } else if (s->kind == CT_CPE_NA) {
        *out = t->kind == CT_CPE_ANY  ? CT_CPE_SUBSET
               : t->kind == CT_CPE_NA ? CT_CPE_EQUAL
                                      : CT_CPE_DISJOINT;
    } else if (t->kind == CT_CPE_ANY) {
        *out = CT_CPE_SUBSET;
    } else if (t->kind == CT_CPE_NA) {
        *out = CT_CPE_DISJOINT;
    } else {
        if ((rc = split_value(&ps, s->value)) < 0)
            goto cleanup;
        if (!has_wildcard(&ps))
            *out = ps.n == pt.n && memcmp(ps.mid, pt.mid, ps.n) == 0 ? CT_CPE_EQUAL
                                                                    : CT_CPE_DISJOINT;
        else
            *out = pattern_matches(&ps, &pt) ? CT_CPE_SUPERSET : CT_CPE_DISJOINT;
    }
cleanup:
    ct_free(ps.mid);
    ct_free(pt.mid);
    return rc;
}

int ct_cpe_compare(ct_cpe_relation *overall_out, ct_cpe_relation *attrs_out,
                   const ct_cpe *source, const ct_cpe *target)
{
    ct_cpe_relation rel[CT_CPE_NATTR];
    bool any_disjoint = false, any_undefined = false, any_subset = false, any_superset = false;
    ct_buf scratch = CT_BUF_INIT;
    int rc;

    CT_IDENT_ASSERT_ARG(overall_out && source && target);
    /* Validate both names the way formatting does. */
    if ((rc = ct_cpe_format(&scratch, source, CT_CPE_BIND_WFN)) < 0 ||
        (rc = ct_cpe_format(&scratch, target, CT_CPE_BIND_WFN)) < 0) {
        ct_buf_dispose(&scratch);
        return rc;
    }
    ct_buf_dispose(&scratch);
    for (int i = 0; i < CT_CPE_NATTR; i++) {
        if ((rc = compare_attr(&rel[i], &source->attr[i], &target->attr[i])) < 0)
            return rc;
        any_disjoint |= rel[i] == CT_CPE_DISJOINT;
        any_undefined |= rel[i] == CT_CPE_UNDEFINED;
        any_subset |= rel[i] == CT_CPE_SUBSET;
        any_superset |= rel[i] == CT_CPE_SUPERSET;
    }
    if (attrs_out)
        memcpy(attrs_out, rel, sizeof(rel));
    if (any_disjoint)
        *overall_out = CT_CPE_DISJOINT;
    else if (any_undefined || (any_subset && any_superset))
        *overall_out = CT_CPE_UNDEFINED;
    else if (any_superset)
        *overall_out = CT_CPE_SUPERSET;
    else if (any_subset)
        *overall_out = CT_CPE_SUBSET;
    else
        *overall_out = CT_CPE_EQUAL;
    return 0;
}

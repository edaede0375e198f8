/* The sorted table of version schemes, looked up by name with bsearch (STYLE §10). */
#include "version/scheme.h"

#include <stdlib.h>
#include <string.h>

/* Keep sorted by name (bytewise); test_schemes.c asserts it. */
static const ct_version_scheme *const schemes[] = {
    &ct_version_scheme_alpm,
    &ct_version_scheme_apk,
    &ct_version_scheme_cargo,
    &ct_version_scheme_composer,
    &ct_version_scheme_conan,
    &ct_version_scheme_datetime,
    &ct_version_scheme_deb,
    &ct_version_scheme_debian,
    &ct_version_scheme_gem,
    &ct_version_scheme_generic,
    &ct_version_scheme_gentoo,
    &ct_version_scheme_go,
    &ct_version_scheme_golang,
    &ct_version_scheme_lexicographic,
    &ct_version_scheme_maven,
    &ct_version_scheme_nginx,
    &ct_version_scheme_npm,
    &ct_version_scheme_nuget,
    &ct_version_scheme_openssl,
    &ct_version_scheme_pypi,
    &ct_version_scheme_rpm,
    &ct_version_scheme_semver,
};

typedef struct {
    const char *name;
    size_t len;
} name_key;

static int cmp_key(const void *k, const void *elem)
{
    const name_key *key = k;
    const ct_version_scheme *const *s = elem;
    const unsigned char *name = (const unsigned char *)(*s)->name;
    const unsigned char *kn = (const unsigned char *)key->name;
    size_t i = 0;

    /* bytewise, without strlen: this runs on every comparison */
    for (; i < key->len && name[i]; i++)
        if (kn[i] != name[i])
            return kn[i] < name[i] ? -1 : 1;
    if (i < key->len)
        return 1; /* key is longer */
    return name[i] ? -1 : 0;
}

const ct_version_scheme *ct_version_scheme_findn(const char *name, size_t len)
{
    if (name == NULL)
        return NULL;
    name_key key = { name, len };
    const ct_version_scheme *const *hit =
        bsearch(&key, schemes, CT_NELEM(schemes), sizeof schemes[0], cmp_key);
    return hit ? *hit : NULL;
}

const ct_version_scheme *ct_version_scheme_find(const char *name)
{
    return name ? ct_version_scheme_findn(name, strlen(name)) : NULL;
}

size_t ct_version_scheme_count(void)
{
    return CT_NELEM(schemes);
}

const ct_version_scheme *ct_version_scheme_at(size_t i)
{
    return i < CT_NELEM(schemes) ? schemes[i] : NULL;
}

/* The scheme looked up last in this thread: a caller comparing many versions names the same
 * scheme every time, and one strcmp is cheaper than the bsearch (strlen + ~5 comparisons). */
static _Thread_local const ct_version_scheme *last_scheme;

/* strcmp(a, b) == 0 for the short scheme names, inline: a libc call per comparison cost ~5 %
 * of a deb compare (perf record, bench_version). */
static inline bool name_eq(const char *a, const char *b)
{
    while (*a == *b && *b) {
        a++;
        b++;
    }
    return *a == *b;
}

static int lookup(const ct_version_scheme **out, const char *scheme)
{
    if (scheme == NULL)
        return ct_error_set(CT_EINVAL, "version scheme is NULL");
    if (__builtin_expect(last_scheme != NULL, 1) && name_eq(scheme, last_scheme->name)) {
        *out = last_scheme;
        return 0;
    }
    *out = last_scheme = ct_version_scheme_find(scheme);
    if (*out == NULL)
        return ct_error_set(CT_EUNSUPPORTED, "unknown version scheme '%.64s'", scheme);
    return 0;
}

int ct_version_compare_n(int *cmp_out, const char *scheme, const char *a, size_t alen,
                         const char *b, size_t blen)
{
    const ct_version_scheme *s;
    int rc, cmp = 0;

    if (cmp_out == NULL || a == NULL || b == NULL)
        return ct_error_set(CT_EINVAL, "ct_version_compare: NULL argument");
    if ((rc = lookup(&s, scheme)) < 0)
        return rc;
    if ((rc = s->compare(&cmp, a, alen, b, blen)) < 0)
        return rc;
    *cmp_out = cmp < 0 ? -1 : cmp > 0;
    return 0;
}

int ct_version_compare(int *cmp_out, const char *scheme, const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return ct_error_set(CT_EINVAL, "ct_version_compare: NULL argument");
    return ct_version_compare_n(cmp_out, scheme, a, strlen(a), b, strlen(b));
}

int ct_version_validate(const char *scheme, const char *v)
{
    const ct_version_scheme *s;
    int rc;

    if (v == NULL)
        return ct_error_set(CT_EINVAL, "ct_version_validate: NULL version");
    if ((rc = lookup(&s, scheme)) < 0)
        return rc;
    return s->validate(v, strlen(v));
}

bool ct_version_scheme_known(const char *scheme)
{
    return ct_version_scheme_find(scheme) != NULL;
}

/* ---- ct_version_match ------------------------------------------------------------------ */

enum { M_LT = 1, M_EQ = 2, M_GT = 4, M_FUZZY = 8 };

/* The operators apk-tools prints (apk_version_op_string), as result masks. */
static const struct {
    const char *text;
    unsigned mask;
} match_ops[] = {
    { "<", M_LT },  { "<=", M_LT | M_EQ }, { "<~", M_LT | M_EQ | M_FUZZY },
    { "=", M_EQ },  { ">", M_GT },         { ">=", M_GT | M_EQ },
    { ">~", M_GT | M_EQ | M_FUZZY },       { "~", M_EQ | M_FUZZY },
};

/* Schemes with a fuzzy (prefix) comparison for "~", "<~", ">~". */
static const struct {
    const ct_version_scheme *scheme;
    int (*compare)(int *cmp_out, const char *a, size_t alen, const char *b, size_t blen);
} fuzzy_schemes[] = {
    { &ct_version_scheme_apk, ct_version__apk_compare_fuzzy },
};

int ct_version_match(bool *out, const char *scheme, const char *a, const char *op, const char *b)
{
    const ct_version_scheme *s;
    const char *body;
    unsigned mask = 0;
    int rc, cmp = 0;

    if (out == NULL || a == NULL || op == NULL || b == NULL)
        return ct_error_set(CT_EINVAL, "ct_version_match: NULL argument");
    body = op[0] == '!' ? op + 1 : op;
    for (size_t k = 0; k < CT_NELEM(match_ops); k++)
        if (strcmp(body, match_ops[k].text) == 0)
            mask = match_ops[k].mask;
    if (mask == 0)
        return ct_error_set(CT_EINVAL,
                            "unknown version operator '%.16s' (want <, <=, =, >=, >, ~, <~ or "
                            ">~, each optionally after !)",
                            op);
    if ((rc = lookup(&s, scheme)) < 0)
        return rc;
    if (mask & M_FUZZY) {
        size_t k = 0;
        while (k < CT_NELEM(fuzzy_schemes) && fuzzy_schemes[k].scheme != s)
            k++;
        if (k == CT_NELEM(fuzzy_schemes))
            return ct_error_set(CT_EUNSUPPORTED,
                                "operator '%s' not supported by scheme '%s' (fuzzy matching is "
                                "apk's)",
                                op, s->name);
        rc = fuzzy_schemes[k].compare(&cmp, a, strlen(a), b, strlen(b));
    } else {
        rc = s->compare(&cmp, a, strlen(a), b, strlen(b));
    }
    if (rc == CT_EPARSE) { /* name the side (only on this path: validation runs again) */
        if (s->validate(a, strlen(a)) < 0)
            return ct_error_prefix("'%.64s'", a);
        if (s->validate(b, strlen(b)) < 0)
            return ct_error_prefix("'%.64s'", b);
    }
    if (rc < 0)
        return rc;
    bool hit = (mask & (cmp < 0 ? M_LT : cmp > 0 ? M_GT : M_EQ)) != 0;
    *out = op[0] == '!' ? !hit : hit;
    return 0;
}

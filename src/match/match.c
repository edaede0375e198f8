/* Range evaluation with a cache of parsed vers ranges, so each range text is parsed once. */
#include "cratrace/match.h"
#include "cratrace/version.h"
#include "cratrace/ident.h"

#include <string.h>

typedef struct {
    char *text;
    ct_vers *vers; /* NULL when the text did not parse: remembered as unevaluable */
    int err;
} entry;

struct ct_matcher {
    entry *slots;
    size_t cap, used;
};

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

int ct_matcher_new(ct_matcher **out)
{
    ct_matcher *m = ct_calloc(1, sizeof *m);
    if (!m || !(m->slots = ct_calloc(1024, sizeof *m->slots))) {
        ct_free(m);
        return ct_error_set(CT_ENOMEM, "out of memory");
    }
    m->cap = 1024;
    *out = m;
    return 0;
}

void ct_matcher_free(ct_matcher *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->cap; i++) {
        ct_free(m->slots[i].text);
        ct_vers_free(m->slots[i].vers);
    }
    ct_free(m->slots);
    ct_free(m);
}

static int grow(ct_matcher *m)
{
    size_t ncap = m->cap * 2;
    entry *ns = ct_calloc(ncap, sizeof *ns);
    if (!ns)
        return ct_error_set(CT_ENOMEM, "out of memory");
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->slots[i].text)
            continue;
        size_t j = hash_str(m->slots[i].text) & (ncap - 1);
        while (ns[j].text)
            j = (j + 1) & (ncap - 1);
        ns[j] = m->slots[i];
    }
    ct_free(m->slots);
    m->slots = ns;
    m->cap = ncap;
    return 0;
}

static int lookup(entry **out, ct_matcher *m, const char *text)
{
    size_t i;
    int rc;

    if (m->used * 2 >= m->cap && (rc = grow(m)) < 0)
        return rc;
    i = hash_str(text) & (m->cap - 1);
    while (m->slots[i].text) {
        if (strcmp(m->slots[i].text, text) == 0) {
            *out = &m->slots[i];
            return 0;
        }
        i = (i + 1) & (m->cap - 1);
    }
    if (!(m->slots[i].text = ct_strdup(text)))
        return ct_error_set(CT_ENOMEM, "out of memory");
    m->used++;
    if ((rc = ct_vers_parse(&m->slots[i].vers, text, strlen(text))) < 0) {
        if (rc == CT_ENOMEM)
            return rc;
        m->slots[i].vers = NULL;
        m->slots[i].err = rc;
    }
    *out = &m->slots[i];
    return 0;
}

int ct_matcher_test(bool *hit, ct_matcher *m, const char *vers, const char *version)
{
    entry *e = NULL;
    int rc;

    *hit = false;
    if ((rc = lookup(&e, m, vers)) < 0)
        return rc;
    if (!e->vers)
        return ct_error_set(e->err, "range '%s' cannot be evaluated", vers);
    return ct_vers_contains(hit, e->vers, version, strlen(version));
}

int ct_match_component_version(ct_buf *out, const char *purl, const char *version)
{
    ct_purl *p = NULL;
    int rc = 0;

    if (purl && *purl && ct_purl_parse(&p, purl, strlen(purl)) == 0 && p->version) {
        const char *epoch = ct_purl_qualifier(p, "epoch");
        /* rpm purls carry the epoch as a qualifier (purl-spec rpm type) */
        if (epoch && !strchr(p->version, ':'))
            ct_buf_printf(out, "%s:%s", epoch, p->version);
        else if (strcmp(p->type, "golang") == 0 && p->version[0] == 'v')
            ct_buf_puts(out, p->version + 1); /* OSV Go ranges are SemVer without the "v" */
        else
            ct_buf_puts(out, p->version);
        rc = out->failed ? CT_ENOMEM : 0;
    } else {
        ct_error_clear();
        if (version && *version)
            rc = ct_buf_puts(out, version);
    }
    ct_purl_free(p);
    return rc;
}

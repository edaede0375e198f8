/* SBOM diff: match the components of two models by identity and classify each change (version
 * order under the purl type's scheme, licence, hashes per algorithm, supplier). */
#include "cratrace/sbom_diff.h"
#include "cratrace/ident.h"
#include "cratrace/version.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *key;
    const ct_component *c;
    const char *scheme; /* static, NULL = no order */
    char *version;      /* the component's version, else its purl's; owned */
    size_t idx;
    bool paired;
} item;

static int oom(void)
{
    return ct_error_set(CT_ENOMEM, "out of memory");
}

static bool streq(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static int strcmp_null(const char *a, const char *b)
{
    if (!a || !b)
        return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

static char *dup_or_null(const char *s, bool *failed)
{
    char *d = s ? ct_strdup(s) : NULL;
    if (s && !d)
        *failed = true;
    return d;
}

/* identity from a purl: canonical type/namespace/name and subpath, no version or qualifiers */
static int purl_identity(ct_buf *out, item *it, const char *purl)
{
    ct_purl *p = NULL;
    int rc = ct_purl_parse(&p, purl, strlen(purl));
    if (rc == CT_ENOMEM)
        return rc;
    if (rc < 0) {
        ct_error_clear();
        return 1;
    }
    ct_purl bare = *p;
    bare.version = NULL;
    bare.qualifiers = NULL;
    bare.nqualifiers = 0;
    rc = ct_purl_format(out, &bare);
    if (rc == 0) {
        const char *s = ct_purl_type_scheme(p->type);
        /* an unknown purl type falls back to "generic" there: no order for it here */
        if (strcmp(s, "generic") == 0 && ct_ascii_casecmp(p->type, "generic") != 0)
            s = NULL;
        it->scheme = s && ct_version_scheme_known(s) ? s : NULL;
        if (!it->version && p->version && !(it->version = ct_strdup(p->version)))
            rc = oom();
    } else if (rc != CT_ENOMEM) {
        ct_error_clear();
        ct_buf_reset(out);
        rc = 1;
    }
    ct_purl_free(p);
    return rc;
}

static int cpe_identity(ct_buf *out, const char *text)
{
    ct_cpe *cpe = NULL;
    int rc = ct_cpe_parse(&cpe, text, strlen(text));
    if (rc == CT_ENOMEM)
        return rc;
    if (rc < 0) {
        ct_error_clear();
        return 1;
    }
    ct_free(cpe->attr[CT_CPE_VERSION].value);
    cpe->attr[CT_CPE_VERSION].value = NULL;
    cpe->attr[CT_CPE_VERSION].kind = CT_CPE_ANY;
    rc = ct_cpe_format(out, cpe, CT_CPE_BIND_FS);
    if (rc < 0 && rc != CT_ENOMEM) {
        ct_error_clear();
        ct_buf_reset(out);
        rc = 1;
    }
    ct_cpe_free(cpe);
    return rc;
}

static int identify(item *it, const ct_component *c, size_t idx)
{
    ct_buf b = CT_BUF_INIT;
    int rc = 1;

    memset(it, 0, sizeof *it);
    it->c = c;
    it->idx = idx;
    if (c->version && !(it->version = ct_strdup(c->version)))
        return oom();
    if (c->purl && *c->purl && (rc = purl_identity(&b, it, c->purl)) < 0)
        goto done;
    if (rc > 0 && c->cpe && *c->cpe && (rc = cpe_identity(&b, c->cpe)) < 0)
        goto done;
    if (rc > 0) {
        ct_buf_printf(&b, "name:%s/%s/%s", c->group ? c->group : "", c->name ? c->name : "",
                      c->type ? c->type : "");
        rc = b.failed ? oom() : 0;
    }
    if (rc == 0 && !(it->key = ct_buf_detach(&b)))
        rc = oom();
done:
    ct_buf_dispose(&b);
    return rc;
}

static int item_cmp(const void *x, const void *y)
{
    const item *a = x, *b = y;
    int c = strcmp(a->key, b->key);
    if (c)
        return c;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static void items_free(item *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        ct_free(v[i].key);
        ct_free(v[i].version);
    }
    ct_free(v);
}

static int items_of(item **out, const ct_sbom *s)
{
    item *v = s->ncomponents ? ct_calloc(s->ncomponents, sizeof *v) : NULL;
    int rc = 0;
    if (s->ncomponents && !v)
        return oom();
    for (size_t i = 0; i < s->ncomponents && rc == 0; i++)
        rc = identify(&v[i], &s->components[i], i);
    if (rc < 0) {
        items_free(v, s->ncomponents);
        return rc;
    }
    if (v)
        qsort(v, s->ncomponents, sizeof *v, item_cmp);
    *out = v;
    return 0;
}

/* ---- hashes: the model keeps them as JSON text [{"alg":..,"content":..}] ---------------- */

typedef struct {
    const char *alg, *content;
} hash_kv;

static int kv_cmp(const void *x, const void *y)
{
    return strcmp(((const hash_kv *)x)->alg, ((const hash_kv *)y)->alg);
}

/* *out borrowed from *arr_out (json_object_put it); unreadable text counts as no hashes */
static int hash_list(hash_kv **out, size_t *n_out, json_object **arr_out, const char *text)
{
    json_object *arr = text ? json_tokener_parse(text) : NULL;
    size_t n = 0, len;
    hash_kv *v;

    *out = NULL;
    *n_out = 0;
    *arr_out = arr;
    if (!arr || !json_object_is_type(arr, json_type_array) ||
        !(len = json_object_array_length(arr)))
        return 0;
    if (!(v = ct_calloc(len, sizeof *v)))
        return oom();
    for (size_t i = 0; i < len; i++) {
        json_object *h = json_object_array_get_idx(arr, i), *a, *c;
        if (json_object_object_get_ex(h, "alg", &a) && json_object_object_get_ex(h, "content", &c) &&
            json_object_is_type(a, json_type_string) && json_object_is_type(c, json_type_string)) {
            v[n].alg = json_object_get_string(a);
            v[n++].content = json_object_get_string(c);
        }
    }
    qsort(v, n, sizeof *v, kv_cmp);
    *out = v;
    *n_out = n;
    return 0;
}

static int add_hash_change(ct_sbom_diff_entry *e, const char *alg, const char *o, const char *n)
{
    bool failed = false;
    ct_sbom_hash_change *nh = ct_reallocarray(e->hashes, e->nhashes + 1, sizeof *nh);
    if (!nh)
        return oom();
    e->hashes = nh;
    nh = &e->hashes[e->nhashes++];
    nh->alg = dup_or_null(alg, &failed);
    nh->old_value = dup_or_null(o, &failed);
    nh->new_value = dup_or_null(n, &failed);
    return failed ? oom() : 0;
}

/* per algorithm (the first value of an algorithm listed twice counts) */
static int diff_hashes(ct_sbom_diff_entry *e, const char *ha, const char *hb)
{
    json_object *ja = NULL, *jb = NULL;
    hash_kv *va = NULL, *vb = NULL;
    size_t na = 0, nb = 0, i = 0, k = 0;
    int rc;

    if (streq(ha, hb))
        return 0;
    if ((rc = hash_list(&va, &na, &ja, ha)) < 0 || (rc = hash_list(&vb, &nb, &jb, hb)) < 0)
        goto done;
    while (rc == 0 && (i < na || k < nb)) {
        int c = i == na ? 1 : k == nb ? -1 : strcmp(va[i].alg, vb[k].alg);
        if (c < 0) {
            rc = add_hash_change(e, va[i].alg, va[i].content, NULL);
        } else if (c > 0) {
            rc = add_hash_change(e, vb[k].alg, NULL, vb[k].content);
        } else if (strcmp(va[i].content, vb[k].content) != 0) {
            rc = add_hash_change(e, va[i].alg, va[i].content, vb[k].content);
        }
        const char *alg = c <= 0 ? va[i].alg : vb[k].alg;
        while (i < na && strcmp(va[i].alg, alg) == 0)
            i++;
        while (k < nb && strcmp(vb[k].alg, alg) == 0)
            k++;
    }
    if (rc == 0 && e->nhashes)
        e->fields |= CT_SBOM_DIFF_HASHES;
done:
    ct_free(va);
    ct_free(vb);
    json_object_put(ja);
    json_object_put(jb);
    return rc;
}

/* ---- classification --------------------------------------------------------------------- */

static ct_sbom_change version_change(const item *a, const item *b)
{
    int cmp = 0;
    if (streq(a->version, b->version))
        return CT_SBOM_SAME;
    if (!a->version || !b->version || !a->scheme || !streq(a->scheme, b->scheme))
        return CT_SBOM_CHANGED;
    if (ct_version_compare(&cmp, a->scheme, a->version, b->version) < 0) {
        ct_error_clear();
        return CT_SBOM_CHANGED;
    }
    return cmp < 0 ? CT_SBOM_UPGRADED : cmp > 0 ? CT_SBOM_DOWNGRADED : CT_SBOM_CHANGED;
}

static void entry_dispose(ct_sbom_diff_entry *e)
{
    ct_free(e->identity);
    ct_free(e->name);
    ct_free(e->a_version);
    ct_free(e->b_version);
    ct_free(e->a_purl);
    ct_free(e->b_purl);
    ct_free(e->a_license);
    ct_free(e->b_license);
    ct_free(e->a_supplier);
    ct_free(e->b_supplier);
    for (size_t i = 0; i < e->nhashes; i++) {
        ct_free(e->hashes[i].alg);
        ct_free(e->hashes[i].old_value);
        ct_free(e->hashes[i].new_value);
    }
    ct_free(e->hashes);
}

/* a or b may be NULL (added / removed) */
static int emit(ct_sbom_diff_result *d, const item *a, const item *b)
{
    ct_sbom_diff_entry e;
    const ct_component *ca = a ? a->c : NULL, *cb = b ? b->c : NULL;
    bool failed = false;
    int rc = 0;

    memset(&e, 0, sizeof e);
    e.change = !a ? CT_SBOM_ADDED : !b ? CT_SBOM_REMOVED : version_change(a, b);
    if (a && b) {
        if (!streq(ca->licenses, cb->licenses))
            e.fields |= CT_SBOM_DIFF_LICENSE;
        if (!streq(ca->supplier, cb->supplier))
            e.fields |= CT_SBOM_DIFF_SUPPLIER;
        if ((rc = diff_hashes(&e, ca->hashes, cb->hashes)) < 0)
            goto fail;
        if (e.change == CT_SBOM_SAME && !e.fields) {
            entry_dispose(&e);
            d->unchanged++;
            return 0;
        }
        e.scheme = streq(a->scheme, b->scheme) ? a->scheme : NULL;
    }
    e.identity = dup_or_null(a ? a->key : b->key, &failed);
    e.name = dup_or_null(cb ? cb->name : ca->name, &failed);
    if (ca) {
        e.a_version = dup_or_null(a->version, &failed);
        e.a_purl = dup_or_null(ca->purl, &failed);
        e.a_license = dup_or_null(ca->licenses, &failed);
        e.a_supplier = dup_or_null(ca->supplier, &failed);
    }
    if (cb) {
        e.b_version = dup_or_null(b->version, &failed);
        e.b_purl = dup_or_null(cb->purl, &failed);
        e.b_license = dup_or_null(cb->licenses, &failed);
        e.b_supplier = dup_or_null(cb->supplier, &failed);
    }
    if (failed) {
        rc = oom();
        goto fail;
    }
    if (d->nentries == d->entries_cap) {
        size_t ncap = d->entries_cap ? d->entries_cap * 2 : 32;
        ct_sbom_diff_entry *ne = ct_reallocarray(d->entries, ncap, sizeof *ne);
        if (!ne) {
            rc = oom();
            goto fail;
        }
        d->entries = ne;
        d->entries_cap = ncap;
    }
    d->entries[d->nentries++] = e;
    d->count[e.change]++;
    d->nlicense += (e.fields & CT_SBOM_DIFF_LICENSE) != 0;
    d->nhashes += (e.fields & CT_SBOM_DIFF_HASHES) != 0;
    d->nsupplier += (e.fields & CT_SBOM_DIFF_SUPPLIER) != 0;
    return 0;
fail:
    entry_dispose(&e);
    return rc;
}

static int item_ptr_version_cmp(const void *x, const void *y)
{
    const item *a = *(item *const *)x, *b = *(item *const *)y;
    int c = strcmp_null(a->version, b->version);
    return c ? c : (a->idx > b->idx) - (a->idx < b->idx);
}

/* The equal-version pairs of a large group: each of A's items (in document order) takes the
 * first unpaired B item with its version, as the nested loop below does, found by a binary
 * search over B sorted by (version, document order) and a cursor per version run: O((na + nb)
 * log nb) instead of O(na * nb) (many components of one identity, e.g. name-only keys).
 * CT_ENOMEM leaves the group to the nested loop. */
static int pair_equal_sorted(ct_sbom_diff_result *d, item *ga, size_t na, item *gb, size_t nb,
                             bool *done)
{
    item **sb = ct_calloc(nb, sizeof *sb);
    size_t *cur = ct_calloc(nb, sizeof *cur);
    int rc = 0;

    *done = false;
    if (!sb || !cur) {
        ct_free(sb);
        ct_free(cur);
        return 0;
    }
    for (size_t k = 0; k < nb; k++)
        sb[k] = &gb[k];
    qsort(sb, nb, sizeof *sb, item_ptr_version_cmp);
    for (size_t k = 0; k < nb; k++)
        cur[k] = k; /* used at the first index of each version run */
    for (size_t i = 0; i < na && rc == 0; i++) {
        size_t lo = 0, hi = nb;
        while (lo < hi) { /* first B item with a version >= A's */
            size_t mid = lo + (hi - lo) / 2;
            if (strcmp_null(sb[mid]->version, ga[i].version) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo == nb || strcmp_null(sb[lo]->version, ga[i].version) != 0)
            continue;
        size_t k = cur[lo];
        if (k < nb && strcmp_null(sb[k]->version, ga[i].version) == 0) {
            cur[lo] = k + 1;
            ga[i].paired = sb[k]->paired = true;
            rc = emit(d, &ga[i], sb[k]);
        }
    }
    ct_free(sb);
    ct_free(cur);
    *done = true;
    return rc;
}

/* one identity: pair equal versions first, then the rest in document order */
static int diff_group(ct_sbom_diff_result *d, item *ga, size_t na, item *gb, size_t nb)
{
    bool sorted = false;
    int rc = 0;
    if (na > 8 && nb > 8 && (rc = pair_equal_sorted(d, ga, na, gb, nb, &sorted)) < 0)
        return rc;
    for (size_t i = 0; i < na && rc == 0 && !sorted; i++)
        for (size_t k = 0; k < nb && !ga[i].paired; k++)
            if (!gb[k].paired && streq(ga[i].version, gb[k].version)) {
                ga[i].paired = gb[k].paired = true;
                rc = emit(d, &ga[i], &gb[k]);
            }
    size_t i = 0, k = 0;
    while (rc == 0) {
        while (i < na && ga[i].paired)
            i++;
        while (k < nb && gb[k].paired)
            k++;
        if (i == na && k == nb)
            break;
        rc = emit(d, i < na ? &ga[i] : NULL, k < nb ? &gb[k] : NULL);
        if (i < na)
            ga[i++].paired = true;
        if (k < nb)
            gb[k++].paired = true;
    }
    return rc;
}

static int entry_cmp(const void *x, const void *y)
{
    const ct_sbom_diff_entry *a = x, *b = y;
    int c = strcmp(a->identity, b->identity);
    if (!c)
        c = strcmp_null(a->a_version, b->a_version);
    if (!c)
        c = strcmp_null(a->b_version, b->b_version);
    return c;
}

int ct_sbom_diff(ct_sbom_diff_result **out, const ct_sbom *a, const ct_sbom *b)
{
    item *va = NULL, *vb = NULL;
    ct_sbom_diff_result *d = NULL;
    size_t i = 0, k = 0;
    int rc;

    if (!out || !a || !b)
        return ct_error_set(CT_EINVAL, "ct_sbom_diff: NULL argument");
    *out = NULL;
    if (!(d = ct_calloc(1, sizeof *d)))
        return oom();
    if ((rc = items_of(&va, a)) < 0 || (rc = items_of(&vb, b)) < 0)
        goto done;
    while (rc == 0 && (i < a->ncomponents || k < b->ncomponents)) {
        const char *key = i == a->ncomponents   ? vb[k].key
                          : k == b->ncomponents ? va[i].key
                          : strcmp(va[i].key, vb[k].key) <= 0 ? va[i].key
                                                              : vb[k].key;
        size_t i0 = i, k0 = k;
        while (i < a->ncomponents && strcmp(va[i].key, key) == 0)
            i++;
        while (k < b->ncomponents && strcmp(vb[k].key, key) == 0)
            k++;
        rc = diff_group(d, va + i0, i - i0, vb + k0, k - k0);
    }
    if (rc == 0 && d->nentries)
        qsort(d->entries, d->nentries, sizeof *d->entries, entry_cmp);
    if (rc == 0) {
        *out = d;
        d = NULL;
    }
done:
    items_free(va, a->ncomponents);
    items_free(vb, b->ncomponents);
    ct_sbom_diff_free(d);
    return rc;
}

void ct_sbom_diff_free(ct_sbom_diff_result *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->nentries; i++)
        entry_dispose(&d->entries[i]);
    ct_free(d->entries);
    ct_free(d);
}

const char *ct_sbom_change_name(ct_sbom_change c)
{
    static const char *const names[] = { "same",     "added",      "removed",
                                         "upgraded", "downgraded", "changed" };
    return (size_t)c < CT_NELEM(names) ? names[c] : "unknown";
}

/* ---- JSON ------------------------------------------------------------------------------- */

/* sep: what goes before the key ("," or "{") */
static void json_opt(ct_buf *b, const char *sep, const char *key, const char *v)
{
    ct_buf_printf(b, "%s\"%s\":", sep, key);
    if (v)
        ct_buf_json_str(b, v);
    else
        ct_buf_puts(b, "null");
}

static void json_side(ct_buf *b, const char *key, bool present, const char *version,
                      const char *purl, const char *license, const char *supplier)
{
    ct_buf_printf(b, ",\"%s\":", key);
    if (!present) {
        ct_buf_puts(b, "null");
        return;
    }
    json_opt(b, "{", "version", version);
    json_opt(b, ",", "purl", purl);
    json_opt(b, ",", "license", license);
    json_opt(b, ",", "supplier", supplier);
    ct_buf_putc(b, '}');
}

int ct_sbom_diff_json(ct_buf *b, const ct_sbom_diff_result *d)
{
    ct_buf_printf(b,
                  "\"summary\":{\"added\":%zu,\"removed\":%zu,\"upgraded\":%zu,"
                  "\"downgraded\":%zu,\"changed\":%zu,\"license_changed\":%zu,"
                  "\"hashes_changed\":%zu,\"supplier_changed\":%zu,\"unchanged\":%zu},"
                  "\"components\":[",
                  d->count[CT_SBOM_ADDED], d->count[CT_SBOM_REMOVED], d->count[CT_SBOM_UPGRADED],
                  d->count[CT_SBOM_DOWNGRADED], d->count[CT_SBOM_CHANGED], d->nlicense,
                  d->nhashes, d->nsupplier, d->unchanged);
    for (size_t i = 0; i < d->nentries; i++) {
        const ct_sbom_diff_entry *e = &d->entries[i];
        ct_buf_puts(b, i ? ",\n{\"identity\":" : "\n{\"identity\":");
        ct_buf_json_str(b, e->identity);
        json_opt(b, ",", "name", e->name);
        ct_buf_printf(b, ",\"change\":\"%s\"", ct_sbom_change_name(e->change));
        json_opt(b, ",", "scheme", e->scheme);
        json_side(b, "from", e->change != CT_SBOM_ADDED, e->a_version, e->a_purl, e->a_license,
                  e->a_supplier);
        json_side(b, "to", e->change != CT_SBOM_REMOVED, e->b_version, e->b_purl, e->b_license,
                  e->b_supplier);
        ct_buf_printf(b, ",\"license_changed\":%s,\"supplier_changed\":%s,\"hashes\":[",
                      e->fields & CT_SBOM_DIFF_LICENSE ? "true" : "false",
                      e->fields & CT_SBOM_DIFF_SUPPLIER ? "true" : "false");
        for (size_t h = 0; h < e->nhashes; h++) {
            json_opt(b, h ? ",{" : "{", "alg", e->hashes[h].alg);
            json_opt(b, ",", "from", e->hashes[h].old_value);
            json_opt(b, ",", "to", e->hashes[h].new_value);
            ct_buf_putc(b, '}');
        }
        ct_buf_puts(b, "]}");
    }
    ct_buf_puts(b, "]");
    return b->failed ? ct_error_set(CT_ENOMEM, "out of memory") : 0;
}

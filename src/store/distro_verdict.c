/* Distro verdicts: a finding on a distro package (key scoped to a release, docs/feeds.md
 * "Distributions") that the distribution's own tracker or secdb says is fixed (or never
 * affected) in that release and source package does not stay open. The verdict is recorded as
 * a VEX statement (state fixed, or not_affected + vulnerable_code_not_present) by actor
 * "distro:<source>", with the record, range and version in its note, so `findings --explain`
 * shows who decided and why, and a person's own statement always wins. Also the re-key of
 * package keys stored before keys carried the distro release. */
#include "store_int.h"

#include "cratrace/ident.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    char *vers, *type, *ext_id, *source, *origin;
} drange;

static void dranges_free(void *rows, size_t n)
{
    drange *v = rows;
    for (size_t i = 0; i < n; i++) {
        ct_free(v[i].vers);
        ct_free(v[i].type);
        ct_free(v[i].ext_id);
        ct_free(v[i].source);
        ct_free(v[i].origin);
    }
    ct_free(v);
}

static bool distro_scheme(const char *vers)
{
    return vers && (strncmp(vers, "vers:deb/", 9) == 0 || strncmp(vers, "vers:apk/", 9) == 0 ||
                    strncmp(vers, "vers:rpm/", 9) == 0);
}

static char *dup_text(ct_stmt *q, int col, bool *oom)
{
    const char *s = ct_stmt_text(q, col);
    char *d = ct_strdup(s ? s : "");
    if (!d)
        *oom = true;
    return d;
}

/* Sets element e from the current row of q (strings through dup_text); arg as rows_read got. */
typedef void (*row_fill_fn)(void *e, ct_stmt *q, const void *arg, bool *oom);

/* Every row of q (prepared and bound) as an element (size bytes, set by fill) of a NEW array
 * *out of *n_out; q is reset. On an error the elements read are released with drop. */
static int rows_read(void **out, size_t *n_out, ct_store *st, ct_stmt *q, size_t size,
                     row_fill_fn fill, const void *arg, void (*drop)(void *v, size_t n))
{
    char *v = NULL;
    size_t n = 0;
    bool oom = false;
    int rc;

    while ((rc = ct_stmt_step(q)) == 1) {
        char *nv = ct_reallocarray(v, n + 1, size);
        if (!nv) {
            oom = true;
            break;
        }
        v = nv;
        fill(v + n * size, q, arg, &oom);
        n++;
        if (oom)
            break;
    }
    st->drv->reset(q);
    if (oom)
        rc = ct_error_set(CT_ENOMEM, "out of memory");
    if (rc < 0) {
        drop(v, n);
        return rc;
    }
    *out = v;
    *n_out = n;
    return 0;
}

static void drange_fill(void *e, ct_stmt *q, const void *arg, bool *oom)
{
    drange *d = e;
    (void)arg;
    d->vers = dup_text(q, 0, oom);
    d->type = dup_text(q, 1, oom);
    d->ext_id = dup_text(q, 2, oom);
    d->source = dup_text(q, 3, oom);
    d->origin = dup_text(q, 4, oom);
}

/* The authoritative distro ranges for the component's key naming the same vulnerability. */
static int load_ranges(drange **out, size_t *n_out, ct_store *st, const char *pkg_key,
                       int64_t advisory_id)
{
    ct_stmt *q;
    int rc;

    *out = NULL;
    *n_out = 0;
    if ((rc = ct_store__prepare(&q, st, CT_Q_DISTRO_RANGES)) < 0 ||
        (rc = ct_stmt_bind_text(q, 1, pkg_key)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 2, advisory_id)) < 0)
        return rc;
    return rows_read((void **)out, n_out, st, q, sizeof **out, drange_fill, NULL, dranges_free);
}

/* Withdraw the statements this rule made for the finding (ids in del[0..n)): the findings they
 * had set go back to in_triage and the product's findings are resolved again (another
 * statement may apply, or one inherited from an earlier release). */
static int withdraw(ct_store *st, const int64_t *del, size_t n, int64_t product_id)
{
    ct_stmt *q;
    int rc;

    for (size_t i = 0; i < n; i++)
        if ((rc = ct_store__prepare(&q, st, CT_Q_DISTRO_VEX_DELETE)) < 0 ||
            (rc = ct_stmt_bind_int64(q, 1, del[i])) < 0 || (rc = ct_store__exec_stmt(q)) < 0 ||
            (rc = ct_store__prepare(&q, st, CT_Q_DISTRO_FINDINGS_UNSET_VEX)) < 0 ||
            (rc = ct_stmt_bind_int64(q, 1, del[i])) < 0 ||
            (rc = ct_stmt_bind_int64(q, 2, product_id)) < 0 || (rc = ct_store__exec_stmt(q)) < 0)
            return rc;
    return n ? ct_store__triage_refresh(st, true, product_id) : 0;
}

int ct_store__distro_verdict(ct_store *st, int64_t advisory_id, int64_t component_id,
                             int64_t release_id, int64_t product_id, const char *vers)
{
    ct_stmt *q;
    char *key = NULL, *version = NULL, *purl = NULL, *ext_id = NULL;
    drange *rs = NULL;
    size_t nrs = 0, ndel = 0;
    int64_t del[8]; /* this rule's statements on the finding (one, unless raced) */
    ct_matcher *m = NULL;
    ct_buf note = CT_BUF_INIT;
    bool oom = false, all_na = true, verdict = false, person = false, same = false;
    const char *state = NULL;
    char actor[96] = "";
    int rc;

    if (!distro_scheme(vers)) /* only distro packages (deb, apk, rpm ranges) can have one */
        return 0;
    if ((rc = ct_store__prepare(&q, st, CT_Q_DISTRO_COMPONENT)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, component_id)) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    if (rc == 1 && !ct_stmt_is_null(q, 0) && !ct_stmt_is_null(q, 1) && !ct_stmt_is_null(q, 2)) {
        key = dup_text(q, 0, &oom);
        version = dup_text(q, 1, &oom);
        purl = dup_text(q, 2, &oom);
    }
    st->drv->reset(q);
    rc = 0;
    if (oom) {
        rc = ct_error_set(CT_ENOMEM, "out of memory");
        goto done;
    }
    if (!key)
        goto done;
    if ((rc = load_ranges(&rs, &nrs, st, key, advisory_id)) < 0)
        goto done;
    /* the distribution's data without a release speaks for every release (docs/feeds.md) */
    size_t base_len;
    if (ct_package_key_distro(&base_len, NULL, key) == CT_PKGKEY_DISTRO_RELEASE) {
        drange *more = NULL, *all = NULL;
        size_t nmore = 0;
        key[base_len] = '\0';
        rc = load_ranges(&more, &nmore, st, key, advisory_id);
        key[base_len] = '?';
        if (rc < 0)
            goto done;
        if (nmore && !(all = ct_reallocarray(rs, nrs + nmore, sizeof *rs))) {
            dranges_free(more, nmore);
            rc = ct_error_set(CT_ENOMEM, "out of memory");
            goto done;
        }
        if (nmore) {
            memcpy(all + nrs, more, nmore * sizeof *more);
            rs = all;
            nrs += nmore;
        }
        ct_free(more);
    }
    /* the distro says affected when the version lies in any of its ranges: no verdict; an
     * unevaluable range decides nothing: no verdict either */
    if (nrs && (rc = ct_matcher_new(&m)) < 0)
        goto done;
    verdict = nrs > 0;
    for (size_t i = 0; verdict && i < nrs; i++) {
        bool hit = false;
        if ((rc = ct_matcher_test(&hit, m, rs[i].vers, version)) < 0) {
            if (rc == CT_ENOMEM)
                goto done;
            ct_error_clear();
            rc = 0;
            verdict = false;
            break;
        }
        if (hit)
            verdict = false;
        if (strcmp(rs[i].type, "DISTRO-NOT-AFFECTED") != 0)
            all_na = false;
    }
    if (verdict) {
        if ((rc = ct_store__prepare(&q, st, CT_Q_DISTRO_ADV_EXT)) < 0 ||
            (rc = ct_stmt_bind_int64(q, 1, advisory_id)) < 0 || (rc = ct_stmt_step(q)) < 0)
            goto done;
        if (rc == 1)
            ext_id = dup_text(q, 0, &oom);
        st->drv->reset(q);
        rc = 0;
        if (oom) {
            rc = ct_error_set(CT_ENOMEM, "out of memory");
            goto done;
        }
        verdict = ext_id != NULL;
    }
    if (verdict) {
        state = all_na ? "not_affected" : "fixed";
        ct_buf_printf(&note, "%s: %s %s by the distribution for %s: ",
                      all_na ? "not affected" : "fixed", key, version, ext_id);
        for (size_t i = 0; i < nrs; i++)
            ct_buf_printf(&note, "%s%s record %s (%s) range %s%s", i ? "; " : "", rs[i].source,
                          rs[i].ext_id, *rs[i].origin ? rs[i].origin : "origin not recorded",
                          rs[i].vers,
                          strcmp(rs[i].type, "DISTRO-NOT-AFFECTED") == 0 ? " (not affected)"
                                                                         : "");
        ct_buf_printf(&note, "; the version is in none of them");
        snprintf(actor, sizeof actor, "distro:%.80s", rs[0].source);
        if (note.failed) {
            rc = ct_error_set(CT_ENOMEM, "out of memory");
            goto done;
        }
    }
    /* the statements already made on the finding: a person's always wins and is never
     * touched; this rule's own stay while the data still says the same, else are withdrawn */
    if ((rc = ct_store__prepare(&q, st, CT_Q_DISTRO_VEX_OF)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, release_id)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 2, advisory_id)) < 0 ||
        (rc = ct_stmt_bind_text(q, 3, purl)) < 0)
        goto done;
    while ((rc = ct_stmt_step(q)) == 1) {
        const char *vs = ct_stmt_text(q, 1), *vn = ct_stmt_text(q, 2), *va = ct_stmt_text(q, 3);
        if (!va || strncmp(va, "distro:", 7) != 0) {
            person = true;
            continue;
        }
        if (verdict && !same && vs && strcmp(vs, state) == 0 && vn && strcmp(vn, note.ptr) == 0 &&
            strcmp(va, actor) == 0)
            same = true; /* kept: the data says the same */
        else if (ndel < CT_NELEM(del))
            del[ndel++] = ct_stmt_int64(q, 0);
    }
    st->drv->reset(q);
    if (rc < 0)
        goto done;
    rc = 0;
    if (!verdict) {
        rc = withdraw(st, del, ndel, product_id);
        goto done;
    }
    if (person) /* a person's statement decides; this rule's older ones are left alone */
        goto done;
    if ((rc = withdraw(st, del, ndel, product_id)) < 0 || same)
        goto done;
    if ((rc = ct_store__prepare(&q, st, CT_Q_VEX_INSERT)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, product_id)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 2, release_id)) < 0 ||
        (rc = ct_stmt_bind_text(q, 3, ext_id)) < 0 || (rc = ct_stmt_bind_text(q, 4, purl)) < 0 ||
        (rc = ct_stmt_bind_text(q, 5, state)) < 0 ||
        (rc = ct_stmt_bind_text(q, 6, all_na ? "vulnerable_code_not_present" : NULL)) < 0 ||
        (rc = ct_stmt_bind_text(q, 7, note.ptr)) < 0 ||
        (rc = ct_stmt_bind_text(q, 8, actor)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 9, ct_ctx_now(st->ctx))) < 0 || (rc = ct_stmt_step(q)) < 0)
        goto done;
    st->drv->reset(q);
    rc = 0;
done:
    ct_matcher_free(m);
    dranges_free(rs, nrs);
    ct_buf_dispose(&note);
    ct_free(key);
    ct_free(version);
    ct_free(purl);
    ct_free(ext_id);
    return rc;
}

/* ---- re-key ------------------------------------------------------------------------------ */

typedef struct {
    int64_t id;
    char *a, *b, *key;
} rk_row;

static void rk_free(void *rows, size_t n)
{
    rk_row *v = rows;
    for (size_t i = 0; i < n; i++) {
        ct_free(v[i].a);
        ct_free(v[i].b);
        ct_free(v[i].key);
    }
    ct_free(v);
}

/* arg: the bool ranges of rk_page */
static void rk_fill(void *e, ct_stmt *q, const void *arg, bool *oom)
{
    rk_row *r = e;
    bool ranges = *(const bool *)arg;
    r->id = ct_stmt_int64(q, 0);
    r->a = dup_text(q, 1, oom);
    r->b = ranges ? dup_text(q, 2, oom) : NULL;
    r->key = dup_text(q, ranges ? 3 : 2, oom);
}

/* One page of rows (id > after): components (purl, -, key) or ranges (ecosystem, package, key). */
static int rk_page(rk_row **out, size_t *n_out, ct_store *st, ct_query_id qid, int64_t after,
                   bool ranges)
{
    ct_stmt *q;
    int rc;

    if ((rc = ct_store__prepare(&q, st, qid)) < 0 || (rc = ct_stmt_bind_int64(q, 1, after)) < 0)
        return rc;
    return rows_read((void **)out, n_out, st, q, sizeof **out, rk_fill, &ranges, rk_free);
}

static int rekey(ct_store *st, bool ranges, uint64_t *changed)
{
    int64_t after = 0;
    ct_buf key = CT_BUF_INIT;
    int rc = 0;

    for (;;) {
        rk_row *v = NULL;
        size_t n = 0;
        ct_query_id qid = ranges ? CT_Q_DISTRO_REKEY_RANGES : CT_Q_DISTRO_REKEY_COMPONENTS;
        if ((rc = rk_page(&v, &n, st, qid, after, ranges)) < 0)
            break;
        for (size_t i = 0; rc == 0 && i < n; i++) {
            ct_stmt *q;
            after = v[i].id;
            ct_buf_reset(&key);
            if (ranges) {
                /* ranges keep no package name: the key they were stored with plus the scope
                 * the ecosystem's suffix gives a placeholder name ("?distro=debian-12",
                 * "?repository_url=https://maven.google.com"), if any */
                const char *scope;
                if (strchr(v[i].b, '?'))
                    continue; /* scoped already */
                if ((rc = ct_osv_package_key(&key, NULL, v[i].a, "x")) >= 0) {
                    scope = strchr(key.ptr, '?');
                    char *sc = ct_strdup(scope ? scope : "");
                    ct_buf_reset(&key);
                    if (!sc)
                        rc = ct_error_set(CT_ENOMEM, "out of memory");
                    else if (ct_buf_puts(&key, v[i].b) < 0 || ct_buf_puts(&key, sc) < 0)
                        rc = CT_ENOMEM;
                    ct_free(sc);
                }
            } else {
                ct_purl *p = NULL;
                if ((rc = ct_purl_parse(&p, v[i].a, strlen(v[i].a))) == 0)
                    rc = ct_purl_package_key(&key, p);
                ct_purl_free(p);
            }
            if (rc == CT_ENOMEM)
                break;
            if (rc < 0) { /* unchanged: the row was keyed by an older rule we cannot redo */
                ct_error_clear();
                rc = 0;
                continue;
            }
            rc = 0;
            if (strcmp(key.ptr, v[i].key) == 0)
                continue;
            if ((rc = ct_store__prepare(&q, st, ranges ? CT_Q_DISTRO_RANGE_SET_KEY
                                                       : CT_Q_DISTRO_COMPONENT_SET_KEY)) < 0 ||
                (rc = ct_stmt_bind_int64(q, 1, v[i].id)) < 0 ||
                (rc = ct_stmt_bind_text(q, 2, key.ptr)) < 0 || (rc = ct_store__exec_stmt(q)) < 0)
                break;
            (*changed)++;
        }
        rk_free(v, n);
        if (rc < 0 || n == 0)
            break;
    }
    ct_buf_dispose(&key);
    return rc;
}

int ct_store__distro_rekey(ct_store *st, uint64_t *changed_out)
{
    uint64_t changed = 0;
    int rc;
    if ((rc = rekey(st, false, &changed)) == 0)
        rc = rekey(st, true, &changed);
    if (changed_out)
        *changed_out = changed;
    return rc;
}

/* The package-key rules of this code (store_state keys_version, migration 0029): 1 = release-less
 * distro keys, Maven/Packagist repository keys, Red Hat streams (0026). Raise it with every
 * change to ct_purl_package_key / ct_osv_package_key that changes a stored key: the next write
 * that matches re-keys the store (ct_store__keys_ready). */
#define CT_STORE_KEYS_VERSION 1

int ct_store__keys_claim(bool *stale_out, ct_store *st)
{
    ct_stmt *q;
    int rc;

    *stale_out = false;
    if ((rc = ct_store__prepare(&q, st, CT_Q_KEYS_VERSION_CLAIM)) < 0 ||
        (rc = ct_stmt_bind_text(q, 1, "keys_version")) < 0 ||
        (rc = ct_stmt_bind_int64(q, 2, CT_STORE_KEYS_VERSION)) < 0 ||
        (rc = ct_stmt_step(q)) < 0)
        return rc;
    *stale_out = rc == 1;
    st->drv->reset(q);
    return 0;
}

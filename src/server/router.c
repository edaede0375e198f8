/* The request target parser: a raw "/path?query" against the route table. Pure (no I/O), so
 * the fuzz target drives exactly what the server runs (fuzz/fuzz_http_route.c). */
#include "server_int.h"

#include "base/base_int.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

int ct_server__pct_decode(char **out, const char *s, size_t len, bool plus_space,
                          size_t *bad_at)
{
    char *d;
    size_t n = 0, bad = 0, nul = SIZE_MAX;
    bool ok;

    *out = NULL;
    if (!(d = ct_malloc(len + 1)))
        return ct_error_set(CT_ENOMEM, "out of memory");
    ok = ct_pct_decode(d, &n, s, len, plus_space, &bad, &nul);
    if (nul != SIZE_MAX) { /* before any malformed escape: decoding stops there */
        ct_free(d);
        if (bad_at)
            *bad_at = nul;
        return ct_error_set(CT_EINVAL, "NUL byte at byte %zu", nul);
    }
    if (!ok) {
        ct_free(d);
        if (bad_at)
            *bad_at = bad;
        return ct_error_set(CT_EINVAL, "malformed percent escape at byte %zu", bad);
    }
    if (!ct_utf8_valid(d, n, &bad)) {
        size_t raw = 0; /* the offset in s of decoded byte bad */
        for (size_t k = 0; k < bad; k++)
            raw += s[raw] == '%' ? 3 : 1;
        ct_free(d);
        if (bad_at)
            *bad_at = raw;
        return ct_error_set(CT_EINVAL, "invalid UTF-8 at byte %zu", raw);
    }
    *out = d;
    return 0;
}

void ct_server__target_dispose(ct_http_target *t)
{
    for (size_t i = 0; i < t->nparams; i++)
        ct_free(t->params[i]);
    for (size_t i = 0; i < t->nquery; i++) {
        ct_free(t->qname[i]);
        ct_free(t->qvalue[i]);
    }
    t->nparams = t->nquery = 0;
    t->route = NULL;
}

const char *ct_server__query(const ct_http_target *t, const char *name)
{
    for (size_t i = 0; i < t->nquery; i++)
        if (strcmp(t->qname[i], name) == 0)
            return t->qvalue[i];
    return NULL;
}

/* Whether the raw path matches pattern segment by segment; literal segments compare bytes
 * (an escaped literal is another path), "{x}" takes one non-empty segment. */
static bool path_matches(const char *pattern, const char *path, size_t plen)
{
    const char *p = pattern, *s = path, *end = path + plen;
    while (*p && s < end) {
        if (*p != '/' || *s != '/')
            return false;
        p++;
        s++;
        const char *pe = strchr(p, '/'), *se = memchr(s, '/', (size_t)(end - s));
        size_t pn = pe ? (size_t)(pe - p) : strlen(p);
        size_t sn = se ? (size_t)(se - s) : (size_t)(end - s);
        if (pn >= 2 && p[0] == '{' && p[pn - 1] == '}') {
            if (sn == 0)
                return false;
        } else if (pn != sn || memcmp(p, s, pn) != 0) {
            return false;
        }
        p += pn;
        s += sn;
    }
    return !*p && s == end;
}

/* The parameter segments of path (already matched against pattern), decoded, into t. */
static int take_params(ct_http_target *t, const char *pattern, const char *path, size_t plen)
{
    const char *p = pattern, *s = path, *end = path + plen;
    int rc;
    size_t seg = 0;
    while (*p) {
        p++;
        s++;
        seg++;
        const char *pe = strchr(p, '/'), *se = memchr(s, '/', (size_t)(end - s));
        size_t pn = pe ? (size_t)(pe - p) : strlen(p);
        size_t sn = se ? (size_t)(se - s) : (size_t)(end - s);
        if (p[0] == '{') {
            size_t bad = 0;
            if (t->nparams == CT_HTTP_MAX_PARAMS)
                return ct_error_set(CT_EINVAL, "route %s has too many parameters", pattern);
            if ((rc = ct_server__pct_decode(&t->params[t->nparams], s, sn, false, &bad)) < 0) {
                if (rc == CT_ENOMEM)
                    return rc;
                snprintf(t->error, sizeof t->error,
                         "path segment %zu (%.*s): %s; expected UTF-8 text with %%XX escapes",
                         seg, (int)(pn - 2), p + 1, ct_error_last()->message);
                ct_error_clear();
                return 400;
            }
            t->nparams++;
        }
        p += pn;
        s += sn;
    }
    return 0;
}

static void expected_names(char *buf, size_t size, const ct_route *r)
{
    size_t n = 0;
    buf[0] = '\0';
    for (const char *const *q = r->query_names; q && *q && n < size; q++)
        n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? ", " : "", *q);
}

static bool name_allowed(const ct_route *r, const char *name)
{
    for (const char *const *q = r->query_names; q && *q; q++)
        if (strcmp(*q, name) == 0)
            return true;
    return false;
}

/* One "name=value" pair of the query; 0, 400 with t->error, or CT_ENOMEM. */
static int take_query_pair(ct_http_target *t, const char *s, size_t n)
{
    const char *eq = memchr(s, '=', n);
    size_t kn = eq ? (size_t)(eq - s) : n, bad = 0;
    char *name = NULL, *value = NULL, expect[96];
    int rc;

    expected_names(expect, sizeof expect, t->route);
    if ((rc = ct_server__pct_decode(&name, s, kn, true, &bad)) < 0 ||
        (rc = ct_server__pct_decode(&value, eq ? eq + 1 : s + n, eq ? n - kn - 1 : 0, true,
                                    &bad)) < 0) {
        ct_free(name);
        if (rc == CT_ENOMEM)
            return rc;
        snprintf(t->error, sizeof t->error, "query parameter: %s; expected UTF-8 text with %%XX "
                 "escapes", ct_error_last()->message);
        ct_error_clear();
        return 400;
    }
    if (!name_allowed(t->route, name) || ct_server__query(t, name)) {
        bool repeated = name_allowed(t->route, name);
        if (strlen(name) <= 40)
            snprintf(t->error, sizeof t->error, "%s query parameter '%s' (%s%s)",
                     repeated ? "repeated" : "unknown", name, *expect ? "expected: " : "",
                     *expect ? expect : "this path takes no query parameters");
        else
            snprintf(t->error, sizeof t->error, "unknown query parameter (%s%s)",
                     *expect ? "expected: " : "", *expect ? expect : "this path takes none");
        ct_free(name);
        ct_free(value);
        return 400;
    }
    if (t->nquery == CT_HTTP_MAX_QUERY) { /* unreachable while routes take fewer names */
        ct_free(name);
        ct_free(value);
        snprintf(t->error, sizeof t->error, "too many query parameters");
        return 400;
    }
    t->qname[t->nquery] = name;
    t->qvalue[t->nquery++] = value;
    return 0;
}

static int take_query(ct_http_target *t, const char *q, size_t n)
{
    const char *end = q + n;
    int rc;
    while (q < end) {
        const char *amp = memchr(q, '&', (size_t)(end - q));
        size_t pn = amp ? (size_t)(amp - q) : (size_t)(end - q);
        if (pn && (rc = take_query_pair(t, q, pn)) != 0)
            return rc;
        q += pn + (amp ? 1 : 0);
    }
    return 0;
}

int ct_server__route(ct_http_target *t, const ct_route *routes, size_t nroutes,
                     const char *method, const char *raw, size_t len, size_t max_len)
{
    const ct_route *path_hit = NULL;
    const char *qm;
    size_t plen;
    int rc;

    memset(t, 0, sizeof *t);
    if (len > max_len) {
        snprintf(t->error, sizeof t->error, "request target longer than %zu bytes", max_len);
        return 414;
    }
    if (!raw || len == 0 || raw[0] != '/' || memchr(raw, '\0', len)) {
        snprintf(t->error, sizeof t->error, "malformed request target: expected /path[?query]");
        return 400;
    }
    qm = memchr(raw, '?', len);
    plen = qm ? (size_t)(qm - raw) : len;
    if (memchr(raw, '#', len)) {
        snprintf(t->error, sizeof t->error, "a request target has no fragment ('#')");
        return 400;
    }
    bool head = strcmp(method, "HEAD") == 0;
    for (size_t i = 0; i < nroutes; i++) {
        if (!path_matches(routes[i].pattern, raw, plen))
            continue;
        path_hit = &routes[i];
        if (strcmp(routes[i].method, method) == 0 ||
            (head && strcmp(routes[i].method, "GET") == 0)) {
            t->route = &routes[i];
            break;
        }
    }
    if (!t->route) {
        if (path_hit) {
            t->allow = strcmp(path_hit->method, "GET") == 0 ? "GET, HEAD" : path_hit->method;
            snprintf(t->error, sizeof t->error, "method not allowed here (allowed: %s)", t->allow);
            return 405;
        }
        snprintf(t->error, sizeof t->error, "no such path (the API is described at "
                                            "/api/openapi.json)");
        return 404;
    }
    if ((rc = take_params(t, t->route->pattern, raw, plen)) != 0 ||
        (qm && (rc = take_query(t, qm + 1, len - plen - 1)) != 0)) {
        ct_server__target_dispose(t);
        return rc;
    }
    return 0;
}

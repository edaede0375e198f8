/* FIRST EPSS scores: the official daily CSV
 *   #model_version:v2023.03.01,score_date:2025-02-20T00:00:00+0000
 *   cve,epss,percentile
 *   CVE-1999-0001,0.00383,0.73075
 * and the headerless "CVE;epss;percentile" variant (EPSS API dumps). Anything else is
 * rejected with file:line. */
#include "cratrace/feed.h"

#include <string.h>

typedef struct {
    const char *source;
    uint32_t line;
    const char *p, *end;
} epss_rd;

static int epss_err(const epss_rd *r, uint32_t col, const char *msg, const char *what,
                    size_t wlen)
{
    ct_loc loc = { r->source, r->line, col, -1, NULL };
    return ct_error_set_at(&loc, CT_EPARSE, "%s \"%.*s\"", msg, (int)(wlen > 60 ? 60 : wlen),
                           what);
}

/* Next line without its CR/LF; false at the end. */
static bool next_line(epss_rd *r, const char **s, size_t *n)
{
    const char *nl;
    if (r->p >= r->end)
        return false;
    nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
    *s = r->p;
    *n = nl ? (size_t)(nl - r->p) : (size_t)(r->end - r->p);
    r->p += *n + (nl ? 1 : 0);
    if (*n && (*s)[*n - 1] == '\r')
        (*n)--;
    r->line++;
    return true;
}

/* A probability "0.00383" / "1" / "0.181260000": digits [. digits], in [0, 1]. */
static bool parse_prob(double *out, const char *s, size_t n)
{
    double v = 0, scale = 1;
    size_t i = 0;
    bool digits = false;
    for (; i < n && ct_ascii_isdigit(s[i]); i++, digits = true)
        v = v * 10 + (s[i] - '0');
    if (i < n && s[i] == '.')
        for (i++; i < n && ct_ascii_isdigit(s[i]); i++, digits = true) {
            scale /= 10;
            v += (s[i] - '0') * scale;
        }
    if (!digits || i != n || v > 1.0)
        return false;
    *out = v;
    return true;
}

static bool valid_cve(const char *s, size_t n)
{
    size_t i;
    if (n < 13 || memcmp(s, "CVE-", 4) != 0)
        return false;
    for (i = 4; i < 8; i++)
        if (!ct_ascii_isdigit(s[i]))
            return false;
    if (s[8] != '-')
        return false;
    for (i = 9; i < n; i++)
        if (!ct_ascii_isdigit(s[i]))
            return false;
    return true;
}

/* "#model_version:v2023.03.01,score_date:2025-02-20T00:00:00+0000" */
static int parse_comment(epss_rd *r, const char *s, size_t n, char *model, size_t msz,
                         ct_time *date)
{
    const char *mv = NULL, *sd = NULL;
    size_t mvn = 0, sdn = 0;
    const char *p = s + 1, *end = s + n;
    while (p < end) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *e = comma ? comma : end;
        if ((size_t)(e - p) > 14 && memcmp(p, "model_version:", 14) == 0) {
            mv = p + 14;
            mvn = (size_t)(e - mv);
        } else if ((size_t)(e - p) > 11 && memcmp(p, "score_date:", 11) == 0) {
            sd = p + 11;
            sdn = (size_t)(e - sd);
        }
        p = comma ? comma + 1 : end;
    }
    if (!mv || mvn >= msz)
        return epss_err(r, 1, "EPSS comment line lacks model_version:", s, n);
    if (!sd)
        return epss_err(r, 1, "EPSS comment line lacks score_date:", s, n);
    memcpy(model, mv, mvn);
    model[mvn] = '\0';
    {
        /* "+0000" (no colon) is the official form; ct_time_parse wants "+00:00" */
        char t[40];
        if (sdn >= sizeof t - 1)
            return epss_err(r, (uint32_t)(sd - s) + 1, "invalid score_date", sd, sdn);
        memcpy(t, sd, sdn);
        t[sdn] = '\0';
        if (sdn >= 5 && (t[sdn - 5] == '+' || t[sdn - 5] == '-') && ct_ascii_isdigit(t[sdn - 1])) {
            memmove(t + sdn - 1, t + sdn - 2, 3);
            t[sdn - 2] = ':';
            sdn++;
        }
        if (ct_time_parse(date, t, sdn) < 0)
            return epss_err(r, (uint32_t)(sd - s) + 1, "invalid score_date", sd, sdn);
    }
    return 0;
}

static int split3(const char *s, size_t n, char sep, const char *f[3], size_t fl[3])
{
    size_t k = 0, start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || s[i] == sep) {
            if (k == 3)
                return -1;
            f[k] = s + start;
            fl[k++] = i - start;
            start = i + 1;
        }
    }
    return k == 3 ? 0 : -1;
}

/* The header: "#model_version:...,score_date:..." then "cve,epss,percentile" (official),
 * "cve,epss,percentile" alone, or nothing ("CVE;epss;percentile" rows). Sets *sep. */
static int read_header(epss_rd *r, char *model, size_t msz, ct_time *date, char *sep)
{
    const char *save = r->p, *s;
    uint32_t line = r->line;
    size_t n;

    while (next_line(r, &s, &n) && n == 0)
        ;
    if (r->line == line || n == 0)
        return 0; /* empty input */
    if (s[0] == '#') {
        int rc = parse_comment(r, s, n, model, msz, date);
        if (rc < 0)
            return rc;
        if (!next_line(r, &s, &n) || n != 19 || memcmp(s, "cve,epss,percentile", 19) != 0)
            return epss_err(r, 1, "expected the header cve,epss,percentile, found", s, n);
        *sep = ',';
        return 0;
    }
    if (n == 19 && memcmp(s, "cve,epss,percentile", 19) == 0) {
        *sep = ',';
        return 0;
    }
    r->p = save; /* headerless: the line is a record */
    r->line = line;
    *sep = ';';
    return 0;
}

int ct_feed_read_epss(const ct_ctx *ctx, const char *data, size_t len, const char *source,
                      ct_epss_cb cb, void *payload)
{
    epss_rd r = { source ? source : "-", 0, data, data + len };
    char model[64] = "", cve[32];
    ct_time date = CT_TIME_NONE;
    const char *s;
    size_t n;
    char sep = ';';
    int rc;

    (void)ctx;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        r.p += 3;
    if ((rc = read_header(&r, model, sizeof model, &date, &sep)) < 0)
        return rc;
    while (next_line(&r, &s, &n)) {
        const char *f[3];
        size_t fl[3];
        ct_epss_entry e;
        if (n == 0)
            continue;
        if (split3(s, n, sep, f, fl) < 0)
            return epss_err(&r, 1,
                            sep == ',' ? "expected cve,epss,percentile, found"
                                       : "expected CVE;epss;percentile, found",
                            s, n);
        if (!valid_cve(f[0], fl[0]) || fl[0] >= sizeof cve)
            return epss_err(&r, 1, "invalid CVE id", f[0], fl[0]);
        if (!parse_prob(&e.epss, f[1], fl[1]))
            return epss_err(&r, (uint32_t)(f[1] - s) + 1, "invalid epss", f[1], fl[1]);
        if (!parse_prob(&e.percentile, f[2], fl[2]))
            return epss_err(&r, (uint32_t)(f[2] - s) + 1, "invalid percentile", f[2], fl[2]);
        memcpy(cve, f[0], fl[0]);
        cve[fl[0]] = '\0';
        e.cve_id = cve;
        e.model_version = model;
        e.score_date = date;
        if ((rc = cb(&e, payload)) != 0)
            return rc;
    }
    return 0;
}

int ct_feed_read_epss_path(const ct_ctx *ctx, const char *path, ct_epss_cb cb, void *payload)
{
    char *data = NULL;
    size_t len = 0;
    int rc;
    if ((rc = ct_file_read_any(&data, &len, path, ct_ctx_limits(ctx)->max_doc_bytes)) < 0)
        return rc;
    rc = ct_feed_read_epss(ctx, data, len, path, cb, payload);
    ct_free(data);
    return rc;
}

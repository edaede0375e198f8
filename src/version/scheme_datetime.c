/* "datetime" versions: RFC 3339 §5.6 date-time timestamps (the ISO 8601 profile) with upper-case
 * 'T' and 'Z' only (vers-spec), ordered as instants: offsets applied, fractions digit by digit. */
#include "version/scheme.h"

typedef struct {
    int64_t secs; /* seconds since 0000-03-01, offset applied */
    const char *frac;
    size_t fraclen; /* trailing zeros dropped */
} instant;

static int bad(const char *why, size_t off)
{
    return ct_error_set(CT_EPARSE, "invalid datetime version: %s at offset %zu", why, off);
}

static bool num(const char *v, size_t len, size_t i, size_t n, int *out)
{
    int val = 0;
    if (i + n > len)
        return false;
    for (size_t k = i; k < i + n; k++) {
        if (!ct_version__isdigit((unsigned char)v[k]))
            return false;
        val = val * 10 + (v[k] - '0');
    }
    *out = val;
    return true;
}

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days from 0000-03-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t day_number(int y, int m, int d)
{
    if (m <= 2)
        y--;
    int64_t era_y = y; /* y >= -1 here */
    int mp = (m + 9) % 12; /* March = 0 */
    int64_t doy = (153 * mp + 2) / 5 + d - 1;
    return era_y * 365 + era_y / 4 - era_y / 100 + era_y / 400 + doy;
}

static int parse(instant *t, const char *v, size_t len)
{
    static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int y, mo, d, h, mi, s, oh = 0, om = 0;
    size_t i;
    if (!num(v, len, 0, 4, &y) || len < 5 || v[4] != '-' || !num(v, len, 5, 2, &mo) ||
        len < 8 || v[7] != '-' || !num(v, len, 8, 2, &d))
        return bad("expected YYYY-MM-DD", 0);
    if (mo < 1 || mo > 12)
        return bad("month out of range", 5);
    if (d < 1 || d > mdays[mo - 1] + (mo == 2 && leap(y)))
        return bad("day out of range", 8);
    if (len < 11 || v[10] != 'T')
        return bad("expected 'T' and a time", 10);
    if (!num(v, len, 11, 2, &h) || len < 14 || v[13] != ':' || !num(v, len, 14, 2, &mi) ||
        len < 17 || v[16] != ':' || !num(v, len, 17, 2, &s))
        return bad("expected hh:mm:ss", 11);
    if (h > 23 || mi > 59 || s > 60)
        return bad("time out of range", 11);
    i = 19;
    t->frac = "";
    t->fraclen = 0;
    if (i < len && v[i] == '.') {
        size_t b = ++i;
        while (i < len && ct_version__isdigit((unsigned char)v[i]))
            i++;
        if (i == b)
            return bad("empty fraction", b);
        t->frac = v + b;
        t->fraclen = i - b;
        while (t->fraclen > 0 && t->frac[t->fraclen - 1] == '0')
            t->fraclen--;
    }
    if (i < len && v[i] == 'Z') {
        i++;
    } else if (i < len && (v[i] == '+' || v[i] == '-')) {
        int sign = v[i] == '-' ? -1 : 1;
        if (!num(v, len, i + 1, 2, &oh) || i + 3 >= len || v[i + 3] != ':' ||
            !num(v, len, i + 4, 2, &om) || oh > 23 || om > 59)
            return bad("invalid UTC offset", i);
        oh *= sign;
        om *= sign;
        i += 6;
    } else {
        return bad("expected 'Z' or a UTC offset", i);
    }
    if (i != len)
        return bad("unexpected character", i);
    t->secs = day_number(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - (oh * 3600 + om * 60);
    return 0;
}

static int dt_validate(const char *v, size_t len)
{
    instant t;
    return parse(&t, v, len);
}

static int dt_compare(int *cmp_out, const char *a, size_t alen, const char *b, size_t blen)
{
    instant x, y;
    int rc;
    if ((rc = parse(&x, a, alen)) < 0 || (rc = parse(&y, b, blen)) < 0)
        return rc;
    int c = (x.secs > y.secs) - (x.secs < y.secs);
    for (size_t k = 0; c == 0 && (k < x.fraclen || k < y.fraclen); k++) {
        char p = k < x.fraclen ? x.frac[k] : '0', q = k < y.fraclen ? y.frac[k] : '0';
        c = (p > q) - (p < q);
    }
    *cmp_out = c;
    return 0;
}

const ct_version_scheme ct_version_scheme_datetime = { "datetime", dt_validate, dt_compare };

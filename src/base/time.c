/* UTC time: ISO 8601 parse/format with days-from-civil arithmetic; no TZ, no localtime. */
#define _POSIX_C_SOURCE 200809L
#include "cratrace/base.h"

#include <time.h>

/* Howard Hinnant's days_from_civil algorithm (public domain description). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

ct_time ct_time_from_civil(int64_t y, unsigned m, unsigned d, unsigned hh, unsigned mm,
                           unsigned ss)
{
    return days_from_civil(y, m, d) * 86400 + (int64_t)hh * 3600 + (int64_t)mm * 60 + ss;
}

static int digits(const char *s, size_t len, size_t *pos, size_t n, unsigned *out)
{
    unsigned v = 0;
    if (*pos + n > len)
        return -1;
    for (size_t i = 0; i < n; i++) {
        char c = s[*pos + i];
        if (c < '0' || c > '9')
            return -1;
        v = v * 10 + (unsigned)(c - '0');
    }
    *pos += n;
    *out = v;
    return 0;
}

static bool leap(unsigned y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int ct_time_parse(ct_time *out, const char *s, size_t len)
{
    static const unsigned mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    unsigned y, mo, d, hh = 0, mi = 0, ss = 0, oh = 0, om = 0;
    size_t p = 0;
    int sign = 0;

    if (digits(s, len, &p, 4, &y) || p >= len || s[p++] != '-' || digits(s, len, &p, 2, &mo) ||
        p >= len || s[p++] != '-' || digits(s, len, &p, 2, &d))
        goto bad;
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] + (mo == 2 && leap(y)))
        goto bad;
    if (p < len) {
        if (s[p] != 'T' && s[p] != 't' && s[p] != ' ')
            goto bad;
        p++;
        if (digits(s, len, &p, 2, &hh) || p >= len || s[p++] != ':' ||
            digits(s, len, &p, 2, &mi))
            goto bad;
        if (p < len && s[p] == ':') {
            p++;
            if (digits(s, len, &p, 2, &ss))
                goto bad;
            if (p < len && (s[p] == '.' || s[p] == ',')) {
                p++;
                if (p >= len || s[p] < '0' || s[p] > '9')
                    goto bad;
                while (p < len && s[p] >= '0' && s[p] <= '9')
                    p++;
            }
        }
        if (hh > 23 || mi > 59 || ss > 60)
            goto bad;
        if (p < len && (s[p] == 'Z' || s[p] == 'z')) {
            p++;
        } else if (p < len && (s[p] == '+' || s[p] == '-')) {
            sign = s[p++] == '+' ? 1 : -1;
            if (digits(s, len, &p, 2, &oh))
                goto bad;
            if (p < len && s[p] == ':')
                p++;
            if (digits(s, len, &p, 2, &om) || oh > 23 || om > 59)
                goto bad;
        } else if (p == len) {
            /* no zone designator: taken as UTC */
        } else {
            goto bad;
        }
    }
    if (p != len)
        goto bad;
    if (ss == 60)
        ss = 59;
    *out = ct_time_from_civil(y, mo, d, hh, mi, ss) - sign * ((int64_t)oh * 3600 + om * 60);
    return 0;
bad:
    return ct_error_set(CT_EPARSE, "invalid ISO 8601 time '%.*s'", (int)(len > 64 ? 64 : len),
                        s);
}

void ct_time_format(char buf[32], ct_time t)
{
    int64_t days = t / 86400, secs = t % 86400, y;
    unsigned m, d;
    if (secs < 0) {
        secs += 86400;
        days--;
    }
    civil_from_days(days, &y, &m, &d);
    if (y < 0)
        y = 0;
    if (y > 9999)
        y = 9999;
    /* fixed-width digits by hand: no truncation cases for the compiler to doubt */
    unsigned f[6] = { (unsigned)y, m, d, (unsigned)(secs / 3600), (unsigned)(secs / 60 % 60),
                      (unsigned)(secs % 60) };
    static const char sep[] = "--T::Z";
    char *p = buf;
    for (int i = 0; i < 6; i++) {
        if (i == 0) {
            *p++ = (char)('0' + f[0] / 1000);
            *p++ = (char)('0' + f[0] / 100 % 10);
        }
        *p++ = (char)('0' + f[i] / 10 % 10);
        *p++ = (char)('0' + f[i] % 10);
        *p++ = sep[i];
    }
    *p = '\0';
}

double ct_clock_mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

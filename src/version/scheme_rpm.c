/* RPM versions [epoch:]version[-release], ordered as librpm 4.18: rpmvercmp() on each part
 * (with '~' sorting first and '^' after the base), EVR split as rpmverParse(), a missing epoch
 * equal to 0, and a missing release before any release. */
#include "version/scheme.h"

#include <string.h>

typedef struct {
    const char *e, *v, *r; /* e and r NULL when absent */
    size_t elen, vlen, rlen;
} evr_parts;

static bool rpm_alnum(unsigned char c)
{
    return ct_version__isdigit(c) || ct_version__isalpha(c);
}

int ct_version__rpmvercmp(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t i = 0, j = 0;

    if (alen == blen && memcmp(a, b, alen) == 0)
        return 0;
#define A(k) ((k) < alen ? (unsigned char)a[k] : 0u)
#define B(k) ((k) < blen ? (unsigned char)b[k] : 0u)
    while (i < alen || j < blen) {
        while (i < alen && !rpm_alnum(A(i)) && A(i) != '~' && A(i) != '^')
            i++;
        while (j < blen && !rpm_alnum(B(j)) && B(j) != '~' && B(j) != '^')
            j++;
        if (A(i) == '~' || B(j) == '~') {
            if (A(i) != '~')
                return 1;
            if (B(j) != '~')
                return -1;
            i++;
            j++;
            continue;
        }
        if (A(i) == '^' || B(j) == '^') {
            if (i >= alen)
                return -1;
            if (j >= blen)
                return 1;
            if (A(i) != '^')
                return 1;
            if (B(j) != '^')
                return -1;
            i++;
            j++;
            continue;
        }
        if (i >= alen || j >= blen)
            break;
        size_t ie = i, je = j;
        bool isnum = ct_version__isdigit(A(i));
        if (isnum) {
            while (ct_version__isdigit(A(ie)))
                ie++;
            while (ct_version__isdigit(B(je)))
                je++;
        } else {
            while (ct_version__isalpha(A(ie)))
                ie++;
            while (ct_version__isalpha(B(je)))
                je++;
        }
        if (je == j) /* numeric segments are newer than alpha ones */
            return isnum ? 1 : -1;
        int c;
        if (isnum) {
            c = ct_version__numcmp(a + i, ie - i, b + j, je - j);
        } else {
            size_t la = ie - i, lb = je - j;
            c = memcmp(a + i, b + j, la < lb ? la : lb);
            if (c == 0)
                c = (la > lb) - (la < lb);
        }
        if (c != 0)
            return c < 0 ? -1 : 1;
        i = ie;
        j = je;
    }
#undef A
#undef B
    if (i >= alen && j >= blen)
        return 0;
    return i >= alen ? -1 : 1;
}

static int rpm_check(const char *v, size_t len)
{
    if (len == 0)
        return ct_error_set(CT_EPARSE, "invalid RPM version: empty");
    if (memchr(v, '\0', len) != NULL)
        return ct_error_set(CT_EPARSE, "invalid RPM version: contains NUL");
    return 0;
}

/* rpmverParse()/parseEVR(): leading digits then ':' make the epoch; the last '-' after the
 * epoch digits starts the release. */
static void split_evr(evr_parts *p, const char *s, size_t len)
{
    size_t i = 0, dash = SIZE_MAX;
    while (i < len && ct_version__isdigit((unsigned char)s[i]))
        i++;
    for (size_t k = i; k < len; k++)
        if (s[k] == '-')
            dash = k;
    size_t vstart = 0;
    p->e = NULL;
    p->elen = 0;
    if (i < len && s[i] == ':') {
        p->e = i ? s : "0";
        p->elen = i ? i : 1;
        vstart = i + 1;
    }
    p->v = s + vstart;
    p->r = NULL;
    p->rlen = 0;
    if (dash != SIZE_MAX) {
        p->vlen = dash - vstart;
        p->r = s + dash + 1;
        p->rlen = len - dash - 1;
    } else {
        p->vlen = len - vstart;
    }
}

static int rpm_validate(const char *v, size_t len)
{
    return rpm_check(v, len);
}

static int rpm_compare(int *cmp_out, const char *a, size_t alen, const char *b, size_t blen)
{
    evr_parts pa, pb;
    int rc;
    if ((rc = rpm_check(a, alen)) < 0 || (rc = rpm_check(b, blen)) < 0)
        return rc;
    split_evr(&pa, a, alen);
    split_evr(&pb, b, blen);
    int c = ct_version__rpmvercmp(pa.e ? pa.e : "0", pa.e ? pa.elen : 1, pb.e ? pb.e : "0",
                                  pb.e ? pb.elen : 1);
    if (c == 0)
        c = ct_version__rpmvercmp(pa.v, pa.vlen, pb.v, pb.vlen);
    if (c == 0) {
        if (pa.r && pb.r)
            c = ct_version__rpmvercmp(pa.r, pa.rlen, pb.r, pb.rlen);
        else
            c = (pa.r != NULL) - (pb.r != NULL);
    }
    *cmp_out = c;
    return 0;
}

const ct_version_scheme ct_version_scheme_rpm = { "rpm", rpm_validate, rpm_compare };

/* Debian versions [epoch:]upstream[-revision], parsed and ordered exactly as dpkg's
 * parseversion() and verrevcmp() (Debian Policy §5.6.12). Problems dpkg only warns about
 * (no leading digit, odd characters) are accepted, as dpkg --compare-versions does. */
#include "version/scheme.h"

#include <limits.h>

typedef struct {
    int64_t epoch;
    const char *ver;
    size_t verlen;
    const char *rev;
    size_t revlen;
} deb_parts;

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static int bad(const char *why)
{
    return ct_error_set(CT_EPARSE, "invalid Debian version: %s", why);
}

/* Epoch as strtol(…, 10) reads it in dpkg: optional sign, digits, ending at the colon. */
static int parse_epoch(int64_t *out, const char *s, size_t n)
{
    size_t i = 0;
    bool neg = false;
    int64_t val = 0;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        neg = s[i++] == '-';
    if (i == n)
        return bad("epoch is empty");
    for (; i < n; i++) {
        if (!ct_version__isdigit((unsigned char)s[i]))
            return bad("epoch is not a number");
        if (val <= INT_MAX)
            val = val * 10 + (s[i] - '0');
    }
    if (neg && val != 0)
        return bad("epoch is negative");
    if (val > INT_MAX)
        return bad("epoch is too big");
    *out = val;
    return 0;
}

static int deb_parse(deb_parts *p, const char *v, size_t len)
{
    size_t i = 0, end, colon = SIZE_MAX, hyphen = SIZE_MAX;
    int rc;

    while (i < len && (v[i] == ' ' || v[i] == '\t')) /* dpkg trims c_isblank() only */
        i++;
    for (end = i; end < len && !is_space((unsigned char)v[end]); end++) {
        if (v[end] == '\0')
            return bad("contains NUL");
        if (v[end] == ':' && colon == SIZE_MAX)
            colon = end;
        if (v[end] == '-')
            hyphen = end;
    }
    for (size_t k = end; k < len; k++) {
        if (v[k] == '\0')
            return bad("contains NUL");
        if (!is_space((unsigned char)v[k]))
            return bad("embedded spaces");
    }
    if (i == end)
        return bad("empty version");
    p->epoch = 0;
    if (colon != SIZE_MAX) {
        if ((rc = parse_epoch(&p->epoch, v + i, colon - i)) < 0)
            return rc;
        i = colon + 1;
        if (i == end)
            return bad("nothing after the epoch colon");
    }
    p->ver = v + i;
    if (hyphen != SIZE_MAX && hyphen >= i) {
        p->verlen = hyphen - i;
        p->rev = v + hyphen + 1;
        p->revlen = end - hyphen - 1;
        if (p->revlen == 0)
            return bad("revision is empty");
    } else {
        p->verlen = end - i;
        p->rev = "";
        p->revlen = 0;
    }
    if (p->verlen == 0)
        return bad("upstream version is empty");
    return 0;
}

/* dpkg order(): digits 0, letters themselves, '~' -1, end 0, anything else c + 256 where c is
 * a signed char (x86), so bytes >= 0x80 land at 128..255, between letters and punctuation. */
static int order(unsigned char c)
{
    if (ct_version__isdigit(c) || c == 0)
        return 0;
    if (ct_version__isalpha(c))
        return c;
    if (c == '~')
        return -1;
    return c >= 0x80 ? c : c + 256;
}

static int verrevcmp(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t i = 0, j = 0;
#define AT(s, n, k) ((k) < (n) ? (unsigned char)(s)[k] : 0u)
    while (i < alen || j < blen) {
        int first_diff = 0;
        while ((i < alen && !ct_version__isdigit(AT(a, alen, i))) ||
               (j < blen && !ct_version__isdigit(AT(b, blen, j)))) {
            int ac = order(AT(a, alen, i)), bc = order(AT(b, blen, j));
            if (ac != bc)
                return ac < bc ? -1 : 1;
            i++;
            j++;
        }
        while (i < alen && a[i] == '0')
            i++;
        while (j < blen && b[j] == '0')
            j++;
        while (ct_version__isdigit(AT(a, alen, i)) && ct_version__isdigit(AT(b, blen, j))) {
            if (!first_diff)
                first_diff = (int)AT(a, alen, i) - (int)AT(b, blen, j);
            i++;
            j++;
        }
        if (ct_version__isdigit(AT(a, alen, i)))
            return 1;
        if (ct_version__isdigit(AT(b, blen, j)))
            return -1;
        if (first_diff)
            return first_diff < 0 ? -1 : 1;
    }
#undef AT
    return 0;
}

static int deb_validate(const char *v, size_t len)
{
    deb_parts p;
    return deb_parse(&p, v, len);
}

static int deb_compare(int *cmp_out, const char *a, size_t alen, const char *b, size_t blen)
{
    deb_parts pa, pb;
    int rc;
    if ((rc = deb_parse(&pa, a, alen)) < 0 || (rc = deb_parse(&pb, b, blen)) < 0)
        return rc;
    if (pa.epoch != pb.epoch) {
        *cmp_out = pa.epoch < pb.epoch ? -1 : 1;
        return 0;
    }
    int c = verrevcmp(pa.ver, pa.verlen, pb.ver, pb.verlen);
    if (c == 0)
        c = verrevcmp(pa.rev, pa.revlen, pb.rev, pb.revlen);
    *cmp_out = c;
    return 0;
}

const ct_version_scheme ct_version_scheme_deb = { "deb", deb_validate, deb_compare };
const ct_version_scheme ct_version_scheme_debian = { "debian", deb_validate, deb_compare };

/* Fuzz target: byte 0 picks a scheme (every registered comparator, aliases included), the rest
 * is "A<TAB>B" -> validate and compare both ways (antisymmetry checked); the whole rest is also
 * parsed as a vers, leniently (formatted, re-parsed, every constraint read, probed with A) and
 * strictly (what the strict parser accepts is canonical: formatting must give it back byte for
 * byte); the rest is also converted with ct_vers_from_native(), and A and B with
 * ct_vers_from_versions() and ct_vers_from_osv_events() (introduced A, fixed B), whose output
 * must parse; A and B also go through ct_version_match() with every operator (check_match). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cratrace/version.h"
#include "version/scheme.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ct_version_match() on A and B (as C strings) with every operator, plain and negated: it fails
 * exactly when ct_version_compare() does, plain operators agree with the comparison, and apk's
 * fuzzy ones differ from it only by also calling "A ~ B" equal; other schemes refuse them. */
static void check_match(const char *scheme, const char *a, const char *b)
{
    static const char *const ops[] = { "<", "<=", "=", ">=", ">", "~", "<~", ">~" };
    bool r[CT_NELEM(ops)] = { false };
    int cmp = 0;
    int rc = ct_version_compare(&cmp, scheme, a, b);
    bool fuzzy = strcmp(scheme, "apk") == 0;
    for (size_t k = 0; k < CT_NELEM(ops); k++) {
        char neg[4] = "!";
        bool hit = false, nhit = false;
        int mrc = ct_version_match(&hit, scheme, a, ops[k], b);
        memcpy(neg + 1, ops[k], strlen(ops[k]) + 1);
        int nrc = ct_version_match(&nhit, scheme, a, neg, b);
        if (nrc != mrc || (mrc == 0 && hit == nhit))
            abort(); /* "!op" is not the negation of op */
        if (k >= 5 && !fuzzy) {
            if (mrc != CT_EUNSUPPORTED)
                abort(); /* a fuzzy operator outside apk */
            continue;
        }
        if ((mrc == 0) != (rc == 0) || (mrc < 0 && mrc != rc))
            abort(); /* match and compare disagree on validity */
        r[k] = hit;
    }
    if (rc < 0)
        return;
    if (r[0] != (cmp < 0) || r[1] != (cmp <= 0) || r[2] != (cmp == 0) || r[3] != (cmp >= 0) ||
        r[4] != (cmp > 0))
        abort(); /* plain operators disagree with the comparison */
    if (!fuzzy)
        return;
    if ((r[2] && !r[5]) || (r[6] != (r[0] || r[5])) || (r[7] != (r[4] || r[5])))
        abort(); /* ~ must contain =, <~ be < or ~, >~ be > or ~ */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const ct_version_scheme *s = ct_version_scheme_at(data[0] % ct_version_scheme_count());
    const char *rest = (const char *)data + 1;
    size_t len = size - 1;
    const char *tab = memchr(rest, '\t', len);
    size_t alen = tab ? (size_t)(tab - rest) : len;
    const char *b = tab ? tab + 1 : rest;
    size_t blen = tab ? len - alen - 1 : len;

    int va = s->validate(rest, alen), vb = s->validate(b, blen);
    int ab = 0, ba = 0;
    int r1 = s->compare(&ab, rest, alen, b, blen);
    int r2 = s->compare(&ba, b, blen, rest, alen);
    if ((r1 == 0) != (va == 0 && vb == 0) || (r1 == 0) != (r2 == 0))
        abort(); /* compare and validate disagree */
    if (r1 == 0 && ((ab < 0) != (ba > 0) || (ab == 0) != (ba == 0)))
        abort(); /* not antisymmetric */

    ct_vers *v = NULL;
    if (ct_vers_parse(&v, rest, len) == 0) {
        ct_buf out = CT_BUF_INIT;
        bool in = false;
        (void)ct_vers_contains(&in, v, rest, alen);
        if (ct_vers_format(&out, v) == 0) {
            ct_vers *again = NULL;
            if (ct_vers_parse_ex(&again, out.ptr, out.len, 0) != 0)
                abort(); /* canonical text must parse */
            ct_vers_free(again);
        }
        ct_buf_dispose(&out);
        for (size_t i = 0; i < ct_vers_count(v); i++) {
            ct_vers_op op;
            const char *ver = NULL;
            if (ct_vers_constraint(&op, &ver, v, i) != 0 || ver == NULL)
                abort(); /* every counted constraint is readable */
        }
        ct_vers_free(v);
    }

    ct_vers *sv = NULL; /* strict: only canonical text is accepted, so it is a fixed point */
    if (ct_vers_parse_ex(&sv, rest, len, CT_VERS_STRICT) == 0) {
        ct_buf out = CT_BUF_INIT;
        ct_vers *lv = NULL;
        if (ct_vers_format(&out, sv) != 0 || out.len != len || memcmp(out.ptr, rest, len) != 0)
            abort(); /* strict input is not canonical */
        if (ct_vers_parse(&lv, rest, len) != 0)
            abort(); /* strict accepts what lenient rejects */
        ct_vers_free(lv);
        ct_buf_dispose(&out);
        ct_vers_free(sv);
    }

    ct_buf native = CT_BUF_INIT; /* the rest as a native range of the scheme */
    if (ct_vers_from_native(&native, s->name, rest, len) == 0) {
        ct_vers *nv = NULL;
        if (ct_vers_parse(&nv, native.ptr, native.len) == 0)
            ct_vers_free(nv);
    }
    ct_buf_dispose(&native);

    char *va_s = ct_malloc(alen + 1), *vb_s = ct_malloc(blen + 1);
    if (va_s && vb_s) {
        memcpy(va_s, rest, alen);
        va_s[alen] = '\0';
        memcpy(vb_s, b, blen);
        vb_s[blen] = '\0';
        check_match(s->name, va_s, vb_s);
        const char *const vs[2] = { va_s, vb_s };
        ct_osv_event ev[2] = { { CT_OSV_INTRODUCED, va_s }, { CT_OSV_FIXED, vb_s } };
        ct_buf gen = CT_BUF_INIT;
        ct_vers *gv = NULL;
        if (ct_vers_from_versions(&gen, s->name, vs, 2) == 0) {
            if (ct_vers_parse(&gv, gen.ptr, gen.len) != 0)
                abort(); /* generated vers must parse */
            ct_vers_free(gv);
            gv = NULL;
        }
        ct_buf_dispose(&gen);
        if (ct_vers_from_osv_events(&gen, s->name, ev, 2) == 0) {
            if (ct_vers_parse(&gv, gen.ptr, gen.len) != 0)
                abort(); /* generated vers must parse */
            ct_vers_free(gv);
        }
        ct_buf_dispose(&gen);
    }
    ct_free(va_s);
    ct_free(vb_s);
    return 0;
}

/* Fuzz target: byte 0 picks a scheme (every registered comparator, aliases included), the rest
 * is "A<TAB>B" -> validate and compare both ways (antisymmetry checked); the whole rest is also
 * parsed as a vers, leniently (formatted, re-parsed, every constraint read, probed with A) and
 * strictly (what the strict parser accepts is canonical: formatting must give it back byte for
 * byte); the rest is also converted with ct_vers_from_native(), and A and B with
 * ct_vers_from_versions() and ct_vers_from_osv_events() (introduced A, fixed B), whose output
 * must parse. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cratrace/version.h"
#include "version/scheme.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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

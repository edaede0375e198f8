/* Fuzz target: byte 0 picks a scheme, the rest is "A<TAB>B" -> validate and compare both ways
 * (antisymmetry checked); the whole rest is also parsed as a vers and, if valid, formatted,
 * re-parsed and probed with A; the rest is also converted with ct_vers_from_native(). */
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
        ct_vers_free(v);
    }

    ct_buf native = CT_BUF_INIT; /* the rest as a native range of the scheme */
    if (ct_vers_from_native(&native, s->name, rest, len) == 0) {
        ct_vers *nv = NULL;
        if (ct_vers_parse(&nv, native.ptr, native.len) == 0)
            ct_vers_free(nv);
    }
    ct_buf_dispose(&native);
    return 0;
}

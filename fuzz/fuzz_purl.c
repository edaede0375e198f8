/* Fuzz ct_purl_parse: whatever parses must format, and the canonical form must be a fixed
 * point (parse(format(x)) formats to the same string); keys must build for it too.
 * ct_purl_validate must agree with the parser (invalid exactly when parsing fails, the same
 * canonical form, 0 exactly when the input is that form, and 0 on the canonical form), and
 * whatever the strict parser accepts the lenient one accepts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cratrace/base.h"
#include "cratrace/ident.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ct_purl *p = NULL, *again = NULL;
    ct_buf canon = CT_BUF_INIT, canon2 = CT_BUF_INIT, key = CT_BUF_INIT, key2 = CT_BUF_INIT;

    ct_buf vcanon = CT_BUF_INIT;
    ct_purl *sp = NULL;
    int parsed = ct_purl_parse(&p, (const char *)data, size);
    int valid = ct_purl_validate(&vcanon, (const char *)data, size, 0);
    if (ct_purl_parse_ex(&sp, (const char *)data, size, CT_PURL_STRICT) == 0 && parsed < 0)
        abort(); /* strict accepts what lenient rejects */
    ct_purl_free(sp);
    if ((valid < 0) != (parsed < 0))
        abort(); /* validate and parse disagree */
    if (parsed < 0) {
        ct_buf_dispose(&vcanon);
        return 0;
    }
    if (ct_purl_format(&canon, p) < 0 || ct_purl_package_key(&key, p) < 0)
        abort(); /* a parsed purl must always format */
    if (vcanon.len != canon.len || memcmp(vcanon.ptr, canon.ptr, canon.len) != 0)
        abort(); /* validate gives another canonical form */
    if ((valid == 0) != (canon.len == size && memcmp(canon.ptr, data, size) == 0))
        abort(); /* 0 exactly when the input is canonical */
    ct_buf_dispose(&vcanon);
    if (canon.len <= CT_PURL_MAX_LEN && ct_purl_validate(NULL, canon.ptr, canon.len, 0) != 0)
        abort(); /* the canonical form validates as canonical */
    (void)ct_purl_qualifier(p, "distro");
    (void)ct_purl_type_scheme(p->type);
    if (canon.len <= CT_PURL_MAX_LEN) { /* encoding may grow it past the input limit */
        if (ct_purl_parse(&again, canon.ptr, canon.len) < 0)
            abort(); /* canonical output must reparse */
        if (ct_purl_format(&canon2, again) < 0 || strcmp(canon.ptr, canon2.ptr) != 0)
            abort(); /* and be a fixed point */
        if (ct_purl_package_key(&key2, again) < 0 || strcmp(key.ptr, key2.ptr) != 0)
            abort(); /* the key survives canonicalisation */
    }
    ct_purl_free(again);
    ct_purl_free(p);
    ct_buf_dispose(&canon);
    ct_buf_dispose(&canon2);
    ct_buf_dispose(&key);
    ct_buf_dispose(&key2);
    return 0;
}

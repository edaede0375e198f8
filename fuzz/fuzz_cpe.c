/* Fuzz ct_cpe_parse: whatever parses (any binding) must format in all three bindings, and
 * each binding must reparse and format to itself (fixed point); comparing a name with itself
 * must never be DISJOINT. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cratrace/base.h"
#include "cratrace/ident.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fixed_point(const ct_cpe *c, ct_cpe_binding binding)
{
    ct_buf a = CT_BUF_INIT, b = CT_BUF_INIT;
    ct_cpe *again = NULL;

    if (ct_cpe_format(&a, c, binding) < 0)
        abort(); /* a parsed name must always bind */
    if (a.len <= CT_CPE_MAX_LEN) { /* quoting may grow it past the input limit */
        if (ct_cpe_parse(&again, a.ptr, a.len) < 0)
            abort(); /* a bound name must reparse */
        if (ct_cpe_format(&b, again, binding) < 0 || strcmp(a.ptr, b.ptr) != 0)
            abort(); /* and be a fixed point */
    }
    ct_cpe_free(again);
    ct_buf_dispose(&a);
    ct_buf_dispose(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ct_cpe *c = NULL;
    ct_cpe_relation overall, attrs[CT_CPE_NATTR];

    if (ct_cpe_parse(&c, (const char *)data, size) < 0)
        return 0;
    fixed_point(c, CT_CPE_BIND_FS);
    fixed_point(c, CT_CPE_BIND_URI);
    fixed_point(c, CT_CPE_BIND_WFN);
    if (ct_cpe_compare(&overall, attrs, c, c) < 0 || overall == CT_CPE_DISJOINT)
        abort();
    ct_cpe_free(c);
    return 0;
}

/* Fuzz ct_cvss_parse on arbitrary bytes (no NUL terminator): a parsed vector must score in
 * 0..100 and every metric it reports must be readable; errors must be printable. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cratrace/base.h"
#include "cratrace/cvss.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = { "AV", "AC", "AT", "PR", "UI", "S",  "C",  "I",
                                         "A",  "VC", "VI", "VA", "SC", "SI", "SA", "E",
                                         "U",  "MSI", "MS", "CR", "RL", "RC" };
    ct_cvss c;
    size_t sink = 0;
    char *copy = ct_malloc(size ? size : 1); /* exact-size copy: ASan catches over-reads */

    if (!copy)
        abort();
    memcpy(copy, data, size);
    if (ct_cvss_parse(&c, copy, size) == 0) {
        if (c.score10 < 0 || c.score10 > 100 || (c.version != 30 && c.version != 31 &&
                                                 c.version != 40))
            abort();
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
            const char *v = ct_cvss_metric(&c, names[i]);
            sink += v ? strlen(v) : 0;
        }
        sink += strlen(ct_cvss_severity_name(c.severity));
    } else {
        sink += strlen(ct_error_format());
    }
    ct_free(copy);
    return (int)(sink & 0);
}

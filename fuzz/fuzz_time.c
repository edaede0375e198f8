/* Fuzz ct_time_parse: whatever parses formats to RFC 3339 text that re-parses to the same
 * instant (within the years 0000-9999 that the formatter can represent). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cratrace/base.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ct_time t = 0, again = 0;
    char buf[32];

    if (ct_time_parse(&t, (const char *)data, size) < 0)
        return 0;
    ct_time_format(buf, t);
    if (strlen(buf) != 20)
        abort(); /* always "YYYY-MM-DDTHH:MM:SSZ" */
    if (ct_time_parse(&again, buf, strlen(buf)) < 0)
        abort(); /* formatted text must parse */
    /* offsets can move a time just outside 0000-9999, where the formatter clamps the year */
    if (t >= ct_time_from_civil(0, 1, 1, 0, 0, 0) &&
        t < ct_time_from_civil(10000, 1, 1, 0, 0, 0) && again != t)
        abort(); /* round trip must be exact */
    return 0;
}

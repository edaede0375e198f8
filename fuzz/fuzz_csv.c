/* Fuzz the internal RFC 4180 reader (src/fleet/csv.c): read rows until the end or an error,
 * read every field, and check the row invariants. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cratrace/base.h"
#include "fleet/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = { "purl", "name", "version", "host" };
    int idx[4];
    ct_csv c;
    int rc;
    size_t sink = 0;
    uint32_t last_line = 0;

    /* a small field limit so the "field exceeds the size limit" path is reachable */
    ct_csv_init(&c, (const char *)data, size, "fuzz", 256);
    while ((rc = ct_csv_next(&c)) == 1) {
        if (c.nfields < 1 || c.nfields > CT_CSV_MAX_FIELDS || c.line <= last_line ||
            c.next_line <= c.line)
            abort(); /* rows are non-empty and move forward */
        last_line = c.line;
        for (size_t i = 0; i < c.nfields; i++) {
            const char *f = ct_csv_field(&c, i);
            if (!f || strlen(f) > 256)
                abort();
            sink += strlen(f);
        }
        if (*ct_csv_field(&c, c.nfields) != '\0')
            abort(); /* out-of-range fields read as "" */
        ct_csv_map_header(idx, &c, names, 4);
        for (size_t k = 0; k < 4; k++)
            if (idx[k] < -1 || idx[k] >= (int)c.nfields)
                abort();
    }
    if (rc < 0 && ct_error_last()->code != CT_EPARSE && ct_error_last()->code != CT_ENOMEM)
        abort(); /* errors are parse errors */
    (void)sink;
    ct_csv_dispose(&c);
    return 0;
}

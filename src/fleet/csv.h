/* Internal RFC 4180 CSV reader: quotes, CRLF, UTF-8 BOM, empty lines; rows with line numbers. */
#ifndef CT_FLEET_CSV_H
#define CT_FLEET_CSV_H

#include "cratrace/base.h"

#define CT_CSV_MAX_FIELDS 64

typedef struct ct_csv {
    const char *data, *end, *p;
    const char *source;
    uint32_t line;     /* line where the current row starts */
    uint32_t next_line;
    size_t max_field;
    ct_buf fields[CT_CSV_MAX_FIELDS];
    size_t nfields;
    int64_t base; /* file offset of data (streamed input: data is one chunk of the file) */
} ct_csv;

void ct_csv_init(ct_csv *c, const char *data, size_t len, const char *source, size_t max_field);
void ct_csv_dispose(ct_csv *c);
/** Go on with the next chunk of the same file: data starts a row, at file offset base; line
 * numbers and field buffers carry over. */
void ct_csv_feed(ct_csv *c, const char *data, size_t len, int64_t base);
/** Read the next non-empty row: 1 = row, 0 = end, < 0 = error (CT_EPARSE with line:column). */
int ct_csv_next(ct_csv *c);
const char *ct_csv_field(const ct_csv *c, size_t i);

/** Map header names to column indexes: idx_out[k] = column of names[k] or -1. */
void ct_csv_map_header(int *idx_out, const ct_csv *c, const char *const *names, size_t n);

#endif

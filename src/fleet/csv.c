/* RFC 4180 CSV scanning with located errors. */
#include "csv.h"

#include <string.h>

void ct_csv_init(ct_csv *c, const char *data, size_t len, const char *source, size_t max_field)
{
    memset(c, 0, sizeof *c);
    c->data = c->p = data;
    c->end = data + len;
    c->source = source;
    c->next_line = 1;
    c->max_field = max_field;
    for (size_t i = 0; i < CT_CSV_MAX_FIELDS; i++)
        c->fields[i] = (ct_buf)CT_BUF_INIT;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        c->p += 3;
}

void ct_csv_feed(ct_csv *c, const char *data, size_t len, int64_t base)
{
    c->data = c->p = data;
    c->end = data + len;
    c->base = base;
}

void ct_csv_dispose(ct_csv *c)
{
    for (size_t i = 0; i < CT_CSV_MAX_FIELDS; i++)
        ct_buf_dispose(&c->fields[i]);
}

const char *ct_csv_field(const ct_csv *c, size_t i)
{
    return i < c->nfields ? c->fields[i].ptr : "";
}

static int csv_error(ct_csv *c, const char *at, const char *msg)
{
    const char *ls = at;
    ct_loc loc = CT_LOC_INIT;
    while (ls > c->data && ls[-1] != '\n')
        ls--;
    loc.source = c->source;
    loc.line = c->next_line;
    loc.column = (uint32_t)(at - ls) + 1;
    loc.offset = c->base + (int64_t)(at - c->data);
    return ct_error_set_at(&loc, CT_EPARSE, "%s", msg);
}

static int put(ct_csv *c, ct_buf *f, const char *s, size_t n)
{
    if (f->len + n > c->max_field)
        return csv_error(c, s, "field exceeds the size limit");
    return ct_buf_put(f, s, n);
}

int ct_csv_next(ct_csv *c)
{
    int rc;
    for (;;) {
        if (c->p >= c->end)
            return 0;
        /* skip empty lines */
        if (*c->p == '\n' || (*c->p == '\r' && c->p + 1 < c->end && c->p[1] == '\n')) {
            c->p += *c->p == '\r' ? 2 : 1;
            c->next_line++;
            continue;
        }
        break;
    }
    c->line = c->next_line;
    c->nfields = 0;
    for (;;) {
        ct_buf *f;
        if (c->nfields == CT_CSV_MAX_FIELDS)
            return csv_error(c, c->p, "too many fields in a row");
        f = &c->fields[c->nfields++];
        ct_buf_reset(f);
        if (c->p < c->end && *c->p == '"') {
            const char *open = c->p++;
            for (;;) {
                const char *q = memchr(c->p, '"', (size_t)(c->end - c->p));
                if (!q)
                    return csv_error(c, open, "unterminated quoted field");
                for (const char *k = c->p; k < q; k++)
                    if (*k == '\n')
                        c->next_line++;
                if ((rc = put(c, f, c->p, (size_t)(q - c->p))) < 0)
                    return rc;
                c->p = q + 1;
                if (c->p < c->end && *c->p == '"') {
                    if ((rc = put(c, f, "\"", 1)) < 0)
                        return rc;
                    c->p++;
                    continue;
                }
                break;
            }
            if (c->p < c->end && *c->p != ',' && *c->p != '\n' && *c->p != '\r')
                return csv_error(c, c->p, "unexpected character after a closing quote");
        } else {
            const char *s = c->p;
            while (c->p < c->end && *c->p != ',' && *c->p != '\n' && *c->p != '\r') {
                if (*c->p == '"')
                    return csv_error(c, c->p, "quote inside an unquoted field");
                c->p++;
            }
            if ((rc = put(c, f, s, (size_t)(c->p - s))) < 0)
                return rc;
        }
        if (f->failed)
            return ct_error_set(CT_ENOMEM, "out of memory");
        if (c->p < c->end && *c->p == ',') {
            c->p++;
            continue;
        }
        if (c->p < c->end && *c->p == '\r')
            c->p++;
        if (c->p < c->end && *c->p == '\n')
            c->p++;
        c->next_line++;
        return 1;
    }
}

void ct_csv_map_header(int *idx_out, const ct_csv *c, const char *const *names, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        idx_out[k] = -1;
        for (size_t i = 0; i < c->nfields; i++) {
            if (ct_ascii_casecmp(c->fields[i].ptr, names[k]) == 0) {
                idx_out[k] = (int)i;
                break;
            }
        }
    }
}

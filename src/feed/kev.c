/* CISA Known Exploited Vulnerabilities catalog: the JSON feed
 * (known_exploited_vulnerabilities.json, schema known_exploited_vulnerabilities_schema.json)
 * and its CSV twin (RFC 4180, header row with the same field names). */
#include "cratrace/feed.h"
#include "base/json_int.h"

#include <string.h>

#define KEV_FIELDS 11

static const char *const kev_names[KEV_FIELDS] = {
    "cveID",   "vendorProject",  "product", "vulnerabilityName",         "dateAdded",
    "shortDescription", "requiredAction", "dueDate", "knownRansomwareCampaignUse", "notes",
    "cwes",
};

static int kev_date(ct_time *out, const char *s, const ct_loc *loc, const char *what)
{
    if (ct_time_parse(out, s, strlen(s)) < 0)
        return ct_error_set_at(loc, CT_EPARSE, "%s: expected a date, found \"%.40s\"", what, s);
    return 0;
}

static int kev_emit(const char *const f[KEV_FIELDS], const ct_loc *loc, ct_kev_cb cb,
                    void *payload)
{
    ct_kev_entry e;
    int rc;
    for (size_t i = 0; i < 8; i++)
        if (!f[i] || !*f[i])
            return ct_error_set_at(loc, CT_EPARSE, "missing required field %s", kev_names[i]);
    if (strncmp(f[0], "CVE-", 4) != 0)
        return ct_error_set_at(loc, CT_EPARSE, "cveID: expected CVE-YYYY-NNNN, found \"%.40s\"",
                               f[0]);
    e.cve_id = f[0];
    e.vendor_project = f[1];
    e.product = f[2];
    e.vulnerability_name = f[3];
    e.short_description = f[5];
    e.required_action = f[6];
    e.known_ransomware = f[8] ? f[8] : "";
    e.notes = f[9] ? f[9] : "";
    e.cwes = f[10] ? f[10] : "";
    if ((rc = kev_date(&e.date_added, f[4], loc, "dateAdded")) < 0 ||
        (rc = kev_date(&e.due_date, f[7], loc, "dueDate")) < 0)
        return rc;
    return cb(&e, payload);
}

/* ---- JSON ------------------------------------------------------------------------------ */

static int kev_json(const ct_ctx *ctx, const char *data, size_t len, const char *source,
                    ct_kev_cb cb, void *payload)
{
    json_object *root = NULL, *vulns;
    ct_jptr ptr;
    ct_buf cwes = CT_BUF_INIT;
    int rc;

    ct_jptr_init(&ptr);
    if ((rc = ct_json_parse(&root, ctx, data, len, source, 0)) < 0)
        return rc;
    if (!json_object_is_type(root, json_type_object)) {
        rc = ct_json_error(&ptr, source, NULL, CT_EPARSE, "a KEV catalog is a JSON object");
        goto done;
    }
    if ((rc = ct_json_opt_array(&vulns, root, "vulnerabilities", &ptr, source)) < 0)
        goto done;
    if (!vulns) {
        rc = ct_json_error(&ptr, source, "vulnerabilities", CT_EPARSE,
                           "a KEV catalog needs \"vulnerabilities\"");
        goto done;
    }
    ct_jptr_push_key(&ptr, "vulnerabilities");
    for (size_t i = 0; i < json_object_array_length(vulns) && rc == 0; i++) {
        json_object *v = json_object_array_get_idx(vulns, i), *cw;
        const char *f[KEV_FIELDS] = { NULL };
        ct_loc loc = { source, 0, 0, -1, NULL };
        ct_jptr_push_index(&ptr, i);
        loc.pointer = ptr.buf;
        if (!json_object_is_type(v, json_type_object))
            rc = ct_json_error(&ptr, source, NULL, CT_EPARSE, "expected an object");
        for (size_t k = 0; k < KEV_FIELDS - 1 && rc == 0; k++)
            rc = ct_json_opt_str(&f[k], v, kev_names[k], &ptr, source);
        ct_buf_reset(&cwes);
        if (rc == 0 && (rc = ct_json_opt_array(&cw, v, "cwes", &ptr, source)) == 0 && cw) {
            for (size_t k = 0; k < json_object_array_length(cw); k++) {
                json_object *s = json_object_array_get_idx(cw, k);
                if (!json_object_is_type(s, json_type_string))
                    continue;
                if (k)
                    ct_buf_puts(&cwes, ", ");
                ct_buf_puts(&cwes, json_object_get_string(s));
            }
            if (cwes.failed)
                rc = ct_error_set(CT_ENOMEM, "out of memory");
        }
        f[10] = cwes.ptr;
        if (rc == 0)
            rc = kev_emit(f, &loc, cb, payload);
        ct_jptr_pop(&ptr);
    }
done:
    ct_buf_dispose(&cwes);
    json_object_put(root);
    return rc;
}

/* ---- CSV (RFC 4180) -------------------------------------------------------------------- */

typedef struct {
    const char *p, *end, *source;
    uint32_t line, row_line; /* current line; line where the last record started */
    ct_buf field[KEV_FIELDS + 1];
    size_t n;
} kev_csv;

/* One record into c->field[]: 1 = record, 0 = end of input, < 0 = error. */
static int csv_row(kev_csv *c)
{
    while (c->p < c->end && (*c->p == '\n' || *c->p == '\r')) {
        c->line += *c->p == '\n';
        c->p++;
    }
    if (c->p >= c->end)
        return 0;
    c->row_line = c->line;
    c->n = 0;
    for (;;) {
        ct_buf *f = &c->field[c->n < KEV_FIELDS ? c->n : KEV_FIELDS];
        uint32_t start_line = c->line;
        c->n++;
        ct_buf_reset(f);
        if (c->p < c->end && *c->p == '"') {
            c->p++;
            for (;;) {
                if (c->p >= c->end) {
                    ct_loc loc = { c->source, start_line, 0, -1, NULL };
                    return ct_error_set_at(&loc, CT_EPARSE, "unterminated quoted field");
                }
                if (*c->p == '"' && c->p + 1 < c->end && c->p[1] == '"') {
                    ct_buf_putc(f, '"');
                    c->p += 2;
                } else if (*c->p == '"') {
                    c->p++;
                    break;
                } else {
                    c->line += *c->p == '\n';
                    ct_buf_putc(f, *c->p++);
                }
            }
        } else {
            while (c->p < c->end && *c->p != ',' && *c->p != '\n' && *c->p != '\r')
                ct_buf_putc(f, *c->p++);
        }
        if (f->failed)
            return ct_error_set(CT_ENOMEM, "out of memory");
        if (c->p < c->end && *c->p == ',') {
            c->p++;
            continue;
        }
        if (c->p < c->end && *c->p == '\r')
            c->p++;
        if (c->p < c->end && *c->p != '\n') {
            ct_loc loc = { c->source, c->line, 0, -1, NULL };
            return ct_error_set_at(&loc, CT_EPARSE, "unexpected byte after a quoted field");
        }
        return 1;
    }
}

static int kev_csv_read(const char *data, size_t len, const char *source, ct_kev_cb cb,
                        void *payload)
{
    kev_csv c;
    int col[KEV_FIELDS], rc;

    memset(&c, 0, sizeof c);
    c.p = data;
    c.end = data + len;
    c.source = source;
    c.line = 1;
    for (size_t i = 0; i <= KEV_FIELDS; i++)
        c.field[i] = (ct_buf)CT_BUF_INIT;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        c.p += 3;
    if ((rc = csv_row(&c)) <= 0) {
        if (rc == 0) {
            ct_loc loc = { source, 1, 1, 0, NULL };
            rc = ct_error_set_at(&loc, CT_EPARSE, "empty KEV CSV: expected a header row");
        }
        goto done;
    }
    for (size_t k = 0; k < KEV_FIELDS; k++) {
        col[k] = -1;
        for (size_t i = 0; i < c.n && i < KEV_FIELDS; i++)
            if (strcmp(c.field[i].ptr, kev_names[k]) == 0)
                col[k] = (int)i;
        if (col[k] < 0 && k < 8) {
            ct_loc loc = { source, c.row_line, 1, -1, NULL };
            rc = ct_error_set_at(&loc, CT_EPARSE, "KEV CSV header lacks column %s",
                                 kev_names[k]);
            goto done;
        }
    }
    while ((rc = csv_row(&c)) > 0) {
        const char *f[KEV_FIELDS];
        ct_loc loc = { source, c.row_line, 1, -1, NULL };
        for (size_t k = 0; k < KEV_FIELDS; k++)
            f[k] = col[k] >= 0 && (size_t)col[k] < c.n ? c.field[col[k]].ptr : NULL;
        if ((rc = kev_emit(f, &loc, cb, payload)) != 0)
            break;
    }
done:
    for (size_t i = 0; i <= KEV_FIELDS; i++)
        ct_buf_dispose(&c.field[i]);
    return rc;
}

int ct_feed_read_kev(const ct_ctx *ctx, const char *data, size_t len, const char *source,
                     ct_kev_cb cb, void *payload)
{
    size_t i = 0;
    source = source ? source : "-";
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
        i++;
    if (i < len && data[i] == '{')
        return kev_json(ctx, data, len, source, cb, payload);
    return kev_csv_read(data, len, source, cb, payload);
}

int ct_feed_read_kev_path(const ct_ctx *ctx, const char *path, ct_kev_cb cb, void *payload)
{
    char *data = NULL;
    size_t len = 0;
    int rc;
    if ((rc = ct_file_read_any(&data, &len, path, ct_ctx_limits(ctx)->max_doc_bytes)) < 0)
        return rc;
    rc = ct_feed_read_kev(ctx, data, len, path, cb, payload);
    ct_free(data);
    return rc;
}

/* Rollout and customer views: how a product's fleet is spread over its releases, and what a
 * customer has in the field. */
#include "store_int.h"

#include <string.h>

int ct_store_rollout_json(ct_buf *out, ct_store *st, const char *product)
{
    ct_stmt *q;
    int64_t pid, latest = 0, in_field = 0, vulnerable = 0, behind = 0, latest_units = 0;
    ct_time support = CT_TIME_NONE, now = ct_ctx_now(st->ctx);
    int rc, n = 0;
    char t[32];

    if ((rc = ct_store_product_find(&pid, st, product)) < 0)
        return rc;
    if ((rc = ct_store__prepare(&q, st, CT_Q_PRODUCT_GET)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, pid)) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    ct_buf_puts(out, "{\"product\":");
    ct_store__json_text(out, ct_stmt_text(q, 0));
    ct_buf_puts(out, ",\"category\":");
    ct_store__json_text(out, ct_stmt_text(q, 2));
    if (!ct_stmt_is_null(q, 3))
        support = ct_stmt_int64(q, 3);
    st->drv->reset(q);
    ct_buf_puts(out, ",\"support_until\":");
    if (support == CT_TIME_NONE) {
        ct_buf_puts(out, "null");
    } else {
        ct_time_format(t, support);
        t[10] = '\0';
        ct_buf_json_str(out, t);
    }
    ct_buf_puts(out, ",\"releases\":[");
    if ((rc = ct_store__prepare(&q, st, CT_Q_ROLLOUT_RELEASES)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, pid)) < 0)
        return rc;
    while ((rc = ct_stmt_step(q)) == 1) {
        int64_t units = ct_stmt_int64(q, 3), open = ct_stmt_int64(q, 4);
        if (n++)
            ct_buf_putc(out, ',');
        ct_buf_puts(out, "{\"release\":");
        ct_store__json_text(out, ct_stmt_text(q, 1));
        ct_buf_puts(out, ",\"released\":");
        if (ct_stmt_is_null(q, 2)) {
            ct_buf_puts(out, "null");
        } else {
            ct_time_format(t, ct_stmt_int64(q, 2));
            ct_buf_json_str(out, t);
        }
        ct_buf_printf(out, ",\"units\":%lld,\"advisories_open\":%lld}", (long long)units,
                      (long long)open);
        in_field += units;
        if (open)
            vulnerable += units;
        latest = ct_stmt_int64(q, 0);
        latest_units = units;
    }
    st->drv->reset(q);
    if (rc < 0)
        return rc;
    behind = in_field - latest_units;
    (void)latest;
    ct_buf_printf(out,
                  "],\"units_in_field\":%lld,\"units_on_vulnerable_releases\":%lld,"
                  "\"units_behind_latest\":%lld,\"support_ended\":%s,"
                  "\"units_outliving_support\":%lld}",
                  (long long)in_field, (long long)vulnerable, (long long)behind,
                  support != CT_TIME_NONE && support < now ? "true" : "false",
                  (long long)(support != CT_TIME_NONE ? in_field : 0));
    return out->failed ? ct_error_set(CT_ENOMEM, "out of memory") : 0;
}

int ct_store_customer_json(ct_buf *out, ct_store *st, const char *code)
{
    static const char *const fields[] = { "code", "name", "country", "email", "channel" };
    ct_stmt *q;
    int64_t cid;
    int rc, n = 0;

    if ((rc = ct_store_customer_find(&cid, st, code)) < 0)
        return rc;
    if ((rc = ct_store__prepare(&q, st, CT_Q_CUSTOMER_GET)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, cid)) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    ct_buf_putc(out, '{');
    for (int i = 0; i < (int)CT_NELEM(fields); i++) {
        ct_buf_printf(out, "%s\"%s\":", i ? "," : "", fields[i]);
        ct_store__json_text(out, ct_stmt_text(q, i));
    }
    st->drv->reset(q);
    ct_buf_puts(out, ",\"units\":[");
    if ((rc = ct_store__prepare(&q, st, CT_Q_CUSTOMER_UNITS)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 1, cid)) < 0)
        return rc;
    while ((rc = ct_stmt_step(q)) == 1) {
        ct_buf_puts(out, n++ ? ",{\"serial\":" : "{\"serial\":");
        ct_store__json_text(out, ct_stmt_text(q, 0));
        ct_buf_puts(out, ",\"product\":");
        ct_store__json_text(out, ct_stmt_text(q, 1));
        ct_buf_puts(out, ",\"release\":");
        ct_store__json_text(out, ct_stmt_text(q, 2));
        ct_buf_puts(out, ",\"state\":");
        ct_store__json_text(out, ct_stmt_text(q, 3));
        ct_buf_puts(out, ",\"hardware_revision\":");
        ct_store__json_text(out, ct_stmt_text(q, 4));
        ct_buf_printf(out, ",\"advisories\":%lld}", (long long)ct_stmt_int64(q, 5));
    }
    st->drv->reset(q);
    if (rc < 0)
        return rc;
    ct_buf_puts(out, "]}");
    return out->failed ? ct_error_set(CT_ENOMEM, "out of memory") : 0;
}

static void csv_field(ct_buf *b, const char *s)
{
    if (!s)
        return;
    if (!strpbrk(s, ",\"\r\n")) {
        ct_buf_puts(b, s);
        return;
    }
    ct_buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"')
            ct_buf_putc(b, '"');
        ct_buf_putc(b, *s);
    }
    ct_buf_putc(b, '"');
}

int ct_store_units_export(ct_buf *out, ct_store *st, const char *product, bool json)
{
    static const char *const cols[] = { "serial",   "product",      "hardware_revision",
                                        "release",  "customer",     "manufactured",
                                        "state" };
    ct_stmt *q;
    int rc, n = 0;
    char t[32];

    if ((rc = ct_store__prepare(&q, st, CT_Q_UNITS_EXPORT)) < 0 ||
        (rc = ct_stmt_bind_text(q, 1, product)) < 0)
        return rc;
    if (json) {
        ct_buf_putc(out, '[');
    } else {
        for (size_t i = 0; i < CT_NELEM(cols); i++)
            ct_buf_printf(out, "%s%s", i ? "," : "", cols[i]);
        ct_buf_putc(out, '\n');
    }
    while ((rc = ct_stmt_step(q)) == 1) {
        const char *v[7];
        for (int i = 0; i < 7; i++)
            v[i] = ct_stmt_text(q, i);
        if (!ct_stmt_is_null(q, 5)) {
            ct_time_format(t, ct_stmt_int64(q, 5));
            v[5] = t;
        }
        if (json) {
            ct_buf_putc(out, n++ ? ',' : '{');
            if (n > 1)
                ct_buf_putc(out, '{');
            for (int i = 0; i < 7; i++) {
                ct_buf_printf(out, "%s\"%s\":", i ? "," : "", cols[i]);
                ct_store__json_text(out, v[i]);
            }
            ct_buf_putc(out, '}');
        } else {
            for (int i = 0; i < 7; i++) {
                if (i)
                    ct_buf_putc(out, ',');
                csv_field(out, v[i]);
            }
            ct_buf_putc(out, '\n');
        }
    }
    st->drv->reset(q);
    if (rc < 0)
        return rc;
    if (json)
        ct_buf_putc(out, ']');
    return out->failed ? ct_error_set(CT_ENOMEM, "out of memory") : 0;
}

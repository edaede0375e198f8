/* JSON output helpers shared by the store's --json answers (advisories show, affected,
 * findings, rollout, triage, unit show, feed sources): one way to write an optional string,
 * an optional time, an array of rows and a one-column array. */
#include "store_int.h"

void ct_store__json_text(ct_buf *out, const char *s)
{
    if (s)
        ct_buf_json_str(out, s);
    else
        ct_buf_puts(out, "null");
}

void ct_store__json_time(ct_buf *out, ct_time t)
{
    char buf[32];
    if (t == CT_TIME_NONE) {
        ct_buf_puts(out, "null");
        return;
    }
    ct_time_format(buf, t);
    ct_buf_json_str(out, buf);
}

void ct_store__json_col_time(ct_buf *out, ct_stmt *q, int col)
{
    ct_store__json_time(out, ct_stmt_is_null(q, col) ? CT_TIME_NONE : ct_stmt_int64(q, col));
}

int ct_store__json_rows(ct_buf *out, ct_store *st, ct_stmt *q, ct_store__json_row_fn row,
                        void *payload)
{
    int rc, n = 0;
    ct_buf_putc(out, '[');
    while ((rc = ct_stmt_step(q)) == 1) {
        if (n++)
            ct_buf_putc(out, ',');
        if ((rc = row(out, q, payload)) < 0)
            break;
    }
    st->drv->reset(q);
    ct_buf_putc(out, ']');
    return rc;
}

static int name_row(ct_buf *out, ct_stmt *q, void *payload)
{
    (void)payload;
    ct_store__json_text(out, ct_stmt_text(q, 0));
    return 0;
}

int ct_store__json_names(ct_buf *out, ct_store *st, ct_query_id qid, int64_t id)
{
    ct_stmt *q;
    int rc;
    if ((rc = ct_store__prepare(&q, st, qid)) < 0 || (rc = ct_stmt_bind_int64(q, 1, id)) < 0)
        return rc;
    return ct_store__json_rows(out, st, q, name_row, NULL);
}

/* Store connection: backend choice, embedded migrations, transactions, statement cache. */
#include "store_int.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    const char *name;
    const char *data;
    size_t len;
} embedded_file;
extern const embedded_file ct_store__migrations[];

static const char *const query_sql[] = {
#define CT_X_(id, sql) sql,
    CT_QUERY_MAP(CT_X_)
#undef CT_X_
};

static bool is_pg_dsn(const char *dsn)
{
    return strncmp(dsn, "postgresql://", 13) == 0 || strncmp(dsn, "postgres://", 11) == 0 ||
           strncmp(dsn, "host=", 5) == 0 || strncmp(dsn, "dbname=", 7) == 0;
}

int ct_store_open(ct_store **out, const ct_ctx *ctx, const char *dsn)
{
    ct_store *st = NULL;
    int rc;

    if (!out || !dsn || !*dsn)
        return ct_error_set(CT_EINVAL, "ct_store_open: no database given");
    *out = NULL;
    if (!(st = ct_calloc(1, sizeof *st)))
        return ct_error_set(CT_ENOMEM, "out of memory");
    st->ctx = ctx;
    st->drv = is_pg_dsn(dsn) ? &ct_store__driver_pg : &ct_store__driver_sqlite;
    if ((rc = st->drv->open(&st->conn, dsn)) < 0)
        goto fail;
    if ((rc = ct_store_migrate(st, NULL)) < 0)
        goto fail;
    *out = st;
    return 0;
fail:
    ct_store_close(st);
    return rc;
}

void ct_store_close(ct_store *st)
{
    if (!st)
        return;
    for (size_t i = 0; i < CT_Q__COUNT; i++)
        if (st->cache[i])
            st->drv->finalize(st->cache[i]);
    if (st->conn)
        st->drv->close(st->conn);
    ct_matcher_free(st->matcher);
    ct_store__match_state_free(st);
    ct_free(st);
}

const ct_ctx *ct_store_ctx(const ct_store *st)
{
    return st->ctx;
}

const char *ct_store_backend(const ct_store *st)
{
    return st->drv->name;
}

int ct_store_ping(ct_store *st)
{
    if (!st)
        return ct_error_set(CT_EINVAL, "ct_store_ping: no store given");
    return st->drv->exec(st->conn, "SELECT 1");
}

int ct_store__prepare(ct_stmt **out, ct_store *st, ct_query_id q)
{
    int rc;
    if (!st->cache[q]) {
        if ((rc = st->drv->prepare(&st->cache[q], st->conn, query_sql[q])) < 0)
            return rc;
    } else {
        st->drv->reset(st->cache[q]);
    }
    *out = st->cache[q];
    return 0;
}

int ct_store_begin(ct_store *st)
{
    int rc = 0;
    if (st->tx_depth == 0 && (rc = st->drv->exec(st->conn, "BEGIN")) < 0)
        return rc;
    st->tx_depth++;
    return 0;
}

int ct_store_commit(ct_store *st)
{
    int rc = 0;
    if (st->tx_depth <= 0)
        return ct_error_set(CT_EINVAL, "commit without begin");
    if (st->tx_depth == 1 && (rc = st->drv->exec(st->conn, "COMMIT")) < 0) {
        st->drv->exec(st->conn, "ROLLBACK");
        st->tx_depth = 0;
        ct_store__match_state_free(st);
        return rc;
    }
    st->tx_depth--;
    return 0;
}

void ct_store_rollback(ct_store *st)
{
    if (st->tx_depth <= 0)
        return;
    /* Statements left mid-result would keep SQLite read locks; reset them first. */
    for (size_t i = 0; i < CT_Q__COUNT; i++)
        if (st->cache[i])
            st->drv->reset(st->cache[i]);
    st->drv->exec(st->conn, "ROLLBACK");
    st->tx_depth = 0;
    ct_store__match_state_free(st); /* the index may hold ranges that were rolled back */
}

int ct_store_bulk_mode(ct_store *st, bool on)
{
    return st->drv->bulk_mode ? st->drv->bulk_mode(st->conn, on) : 0;
}

int ct_store_migrate(ct_store *st, int *applied_out)
{
    const char *prefix = st->drv->name;
    size_t plen = strlen(prefix);
    int applied = 0, rc;
    ct_stmt *q;
    ct_buf done = CT_BUF_INIT, key = CT_BUF_INIT; /* done: "\nv1\nv2\n...", the applied versions */

    if ((rc = st->drv->exec(st->conn, "CREATE TABLE IF NOT EXISTS schema_migrations ("
                                      "version TEXT PRIMARY KEY, applied BIGINT NOT NULL)")) < 0)
        return ct_error_prefix("creating schema_migrations");
    /* One statement reads every applied version (a round trip per migration cost a fresh
     * PostgreSQL connection ~30 of them on each CLI call). */
    if ((rc = ct_store__prepare(&q, st, CT_Q_MIGRATION_LIST)) < 0)
        return rc;
    ct_buf_putc(&done, '\n');
    while ((rc = ct_stmt_step(q)) == 1) {
        ct_buf_puts(&done, ct_stmt_text(q, 0));
        ct_buf_putc(&done, '\n');
    }
    st->drv->reset(q);
    if (rc < 0 || done.failed) {
        ct_buf_dispose(&done);
        return rc < 0 ? rc : ct_error_set(CT_ENOMEM, "out of memory");
    }
    for (const embedded_file *f = ct_store__migrations; f->name; f++) {
        if (strncmp(f->name, prefix, plen) != 0 || f->name[plen] != '/')
            continue;
        const char *version = f->name + plen + 1;
        ct_buf_reset(&key);
        ct_buf_printf(&key, "\n%s\n", version);
        if (key.failed) {
            rc = ct_error_set(CT_ENOMEM, "out of memory");
            break;
        }
        if (strstr(done.ptr, key.ptr))
            continue;
        if ((rc = ct_store_begin(st)) < 0)
            break;
        if ((rc = st->drv->exec(st->conn, f->data)) < 0 ||
            (rc = ct_store__prepare(&q, st, CT_Q_MIGRATION_RECORD)) < 0 ||
            (rc = ct_stmt_bind_text(q, 1, version)) < 0 ||
            (rc = ct_stmt_bind_int64(q, 2, ct_ctx_now(st->ctx))) < 0 ||
            (rc = ct_store__exec_stmt(q)) < 0) {
            ct_store_rollback(st);
            rc = ct_error_prefix("migration %s", f->name);
            break;
        }
        if ((rc = ct_store_commit(st)) < 0)
            break;
        applied++;
    }
    ct_buf_dispose(&done);
    ct_buf_dispose(&key);
    if (rc < 0)
        return rc;
    if (applied_out)
        *applied_out = applied;
    return 0;
}

/* ---- statement helpers ----------------------------------------------------------------- */

int ct_stmt_bind_text(ct_stmt *s, int idx, const char *text)
{
    return s->drv->bind_text(s, idx, text, text ? strlen(text) : 0);
}

int ct_stmt_bind_int64(ct_stmt *s, int idx, int64_t v)
{
    return s->drv->bind_int64(s, idx, v);
}

int ct_stmt_bind_opt_int64(ct_stmt *s, int idx, int64_t v, int64_t none)
{
    return v == none ? s->drv->bind_null(s, idx) : s->drv->bind_int64(s, idx, v);
}

int ct_stmt_step(ct_stmt *s)
{
    return s->drv->step(s);
}

int ct_store__exec_stmt(ct_stmt *s)
{
    int rc = s->drv->step(s);
    s->drv->reset(s);
    return rc < 0 ? rc : 0;
}

int64_t ct_stmt_int64(ct_stmt *s, int col)
{
    return s->drv->column_int64(s, col);
}

const char *ct_stmt_text(ct_stmt *s, int col)
{
    return s->drv->column_text(s, col);
}

bool ct_stmt_is_null(ct_stmt *s, int col)
{
    return s->drv->column_is_null(s, col);
}

/* SQLite driver: WAL, foreign keys, busy timeout; prepared statements; ?N placeholders. */
#include "driver.h"

#include <sqlite3.h>
#include <string.h>

typedef struct {
    ct_stmt base;
    sqlite3_stmt *st;
    sqlite3 *db;
    bool has_row;
} sq_stmt;

static int db_error(sqlite3 *db, const char *what)
{
    int ext = sqlite3_extended_errcode(db);
    int code = (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
                   ? CT_EEXISTS
                   : CT_EDB;
    return ct_error_set(code, "sqlite: %s: %s", what, sqlite3_errmsg(db));
}

static int sq_exec(void *conn, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(conn, sql, NULL, NULL, &msg) != SQLITE_OK) {
        int rc = ct_error_set(CT_EDB, "sqlite: %s", msg ? msg : sqlite3_errmsg(conn));
        sqlite3_free(msg);
        return rc;
    }
    return 0;
}

static int sq_open(void **conn_out, const char *dsn)
{
    sqlite3 *db = NULL;
    const char *path = dsn;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;

    *conn_out = NULL;
    if (strncmp(path, "sqlite:", 7) == 0)
        path += 7;
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
        int rc = ct_error_set(CT_EDB, "sqlite: cannot open '%s': %s", path,
                              db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return rc;
    }
    sqlite3_busy_timeout(db, 10000);
    sqlite3_extended_result_codes(db, 1);
    /* page_size first: it takes effect only in a new, empty database (16 KiB: fewer B-tree
     * levels and page switches per row for the large tables; docs/fleet.md, "Journal, page
     * size, rows per statement"). The cache is sized in KiB, not pages. */
    if (sq_exec(db, "PRAGMA page_size=16384; PRAGMA foreign_keys=ON; PRAGMA journal_mode=WAL; "
                    "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536; "
                    "PRAGMA temp_store=MEMORY;") < 0) {
        int rc = ct_error_prefix("sqlite: configuring '%s'", path);
        sqlite3_close(db);
        return rc;
    }
    *conn_out = db;
    return 0;
}

static void sq_close(void *conn)
{
    sqlite3_close_v2(conn);
}

static int sq_prepare(ct_stmt **out, void *conn, const char *sql)
{
    sq_stmt *s;
    *out = NULL;
    if (!(s = ct_calloc(1, sizeof *s)))
        return ct_error_set(CT_ENOMEM, "out of memory");
    if (sqlite3_prepare_v3(conn, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->st, NULL) != SQLITE_OK) {
        int rc = db_error(conn, "prepare");
        ct_free(s);
        return rc;
    }
    s->base.drv = &ct_store__driver_sqlite;
    s->db = conn;
    *out = &s->base;
    return 0;
}

static int sq_bind_text(ct_stmt *st, int idx, const char *text, size_t len)
{
    sq_stmt *s = (sq_stmt *)st;
    int r;
    if (!text)
        r = sqlite3_bind_null(s->st, idx);
    else if (len > 0x7fffffff)
        return ct_error_set(CT_ELIMIT, "text value of %zu bytes is too large", len);
    else
        r = sqlite3_bind_text(s->st, idx, text, (int)len, SQLITE_TRANSIENT);
    return r == SQLITE_OK ? 0 : db_error(s->db, "bind");
}

static int sq_bind_int64(ct_stmt *st, int idx, int64_t v)
{
    sq_stmt *s = (sq_stmt *)st;
    return sqlite3_bind_int64(s->st, idx, v) == SQLITE_OK ? 0 : db_error(s->db, "bind");
}

static int sq_bind_null(ct_stmt *st, int idx)
{
    sq_stmt *s = (sq_stmt *)st;
    return sqlite3_bind_null(s->st, idx) == SQLITE_OK ? 0 : db_error(s->db, "bind");
}

static int sq_step(ct_stmt *st)
{
    sq_stmt *s = (sq_stmt *)st;
    int r = sqlite3_step(s->st);
    if (r == SQLITE_ROW)
        return 1;
    if (r == SQLITE_DONE)
        return 0;
    return db_error(s->db, "step");
}

static int sq_reset(ct_stmt *st)
{
    sq_stmt *s = (sq_stmt *)st;
    sqlite3_reset(s->st);
    sqlite3_clear_bindings(s->st);
    return 0;
}

static int64_t sq_column_int64(ct_stmt *st, int col)
{
    return sqlite3_column_int64(((sq_stmt *)st)->st, col);
}

static const char *sq_column_text(ct_stmt *st, int col)
{
    return (const char *)sqlite3_column_text(((sq_stmt *)st)->st, col);
}

static bool sq_column_is_null(ct_stmt *st, int col)
{
    return sqlite3_column_type(((sq_stmt *)st)->st, col) == SQLITE_NULL;
}

static void sq_finalize(ct_stmt *st)
{
    sq_stmt *s = (sq_stmt *)st;
    if (!s)
        return;
    sqlite3_finalize(s->st);
    ct_free(s);
}

/* Bulk loads get a larger page cache. Durability is never traded for speed: synchronous stays
 * NORMAL, which in WAL mode cannot corrupt the database and loses no committed import (a first
 * fleet import that runs with a rollback journal sets FULL for it: ct_store__rollback_journal). */
static int sq_bulk_mode(void *conn, bool on)
{
    return sq_exec(conn, on ? "PRAGMA cache_size=-262144;" : "PRAGMA cache_size=-65536;");
}

static int64_t sq_changes(ct_stmt *st)
{
    return sqlite3_changes64(((sq_stmt *)st)->db);
}

const ct_store_driver ct_store__driver_sqlite = {
    "sqlite",     sq_open,     sq_close,        sq_exec,           sq_prepare,
    sq_bind_text, sq_bind_int64, sq_bind_null,  sq_step,           sq_reset,
    sq_column_int64, sq_column_text, sq_column_is_null, sq_finalize, sq_bulk_mode,
    NULL, /* copy_begin: SQLite loads in bulk through prepared statements in one transaction */
    NULL, /* copy_data */
    NULL, /* copy_end */
    sq_changes,
};

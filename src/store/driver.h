/* The store driver vtable: the only interface entity code sees (STYLE §7).
 * Two implementations: driver_sqlite.c and driver_pg.c. SQL text uses ?1..?N placeholders;
 * the PostgreSQL driver rewrites them to $1..$N. */
#ifndef CT_STORE_DRIVER_H
#define CT_STORE_DRIVER_H

#include "cratrace/base.h"

typedef struct ct_stmt ct_stmt; /* driver-specific; first member is the driver pointer */
typedef struct ct_store_driver ct_store_driver;

struct ct_store_driver {
    const char *name; /* "sqlite" or "pg": also the migrations folder name */
    /** Open a connection for dsn (file path / ":memory:" or "postgresql://..."). */
    int (*open)(void **conn_out, const char *dsn);
    /** Close. A failure found while closing (PostgreSQL: the unread result of a COPY ended just
     * before) is left in ct_error_last(). */
    void (*close)(void *conn);
    /** Run a script of one or more statements without parameters (migrations, BEGIN). */
    int (*exec)(void *conn, const char *sql);
    /** Prepare one statement. The statement stays valid until finalize. */
    int (*prepare)(ct_stmt **out, void *conn, const char *sql);
    /** Bind parameter idx (1-based). text NULL binds SQL NULL; len is the byte length. */
    int (*bind_text)(ct_stmt *st, int idx, const char *text, size_t len);
    int (*bind_int64)(ct_stmt *st, int idx, int64_t v);
    int (*bind_null)(ct_stmt *st, int idx);
    /** Execute / advance: 1 = a row is available, 0 = done, < 0 = error (CT_EDB/CT_EEXISTS). */
    int (*step)(ct_stmt *st);
    /** Forget the result and bindings so the statement can run again. */
    int (*reset)(ct_stmt *st);
    int64_t (*column_int64)(ct_stmt *st, int col);
    /** Borrowed text of column col (0-based) of the current row; NULL for SQL NULL. Valid until
     * the next step/reset/finalize. */
    const char *(*column_text)(ct_stmt *st, int col);
    bool (*column_is_null)(ct_stmt *st, int col);
    void (*finalize)(ct_stmt *st);
    /** Bulk-load hint: fast path for large imports (e.g. SQLite synchronous=OFF); may be NULL. */
    int (*bulk_mode)(void *conn, bool on);
    /** Optional bulk load (NULL when the backend has none): copy_begin starts `sql`, a
     * "COPY table (cols) FROM STDIN" (text format); copy_data sends formatted rows (any number
     * of whole or partial rows per call); copy_end finishes and reports the server's verdict.
     * No other statement may run on the connection between copy_begin and copy_end. */
    int (*copy_begin)(void *conn, const char *sql);
    int (*copy_data)(void *conn, const char *data, size_t len);
    int (*copy_end)(void *conn);
    /** Optional (NULL when absent): rows changed by the last INSERT/UPDATE/DELETE stepped on
     * st's connection; lets bulk inserts skip RETURNING (SQLite opens a temporary b-tree per
     * execution for it). */
    int64_t (*changes)(ct_stmt *st);
};

/* Both drivers start every statement struct with this header. */
struct ct_stmt {
    const ct_store_driver *drv;
};

extern const ct_store_driver ct_store__driver_sqlite;
extern const ct_store_driver ct_store__driver_pg;

#endif

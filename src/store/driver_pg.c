/* PostgreSQL store driver on libpq (STYLE §7): rewrites ?N placeholders to $N, runs named
 * prepared statements with text-format parameters and walks each buffered PGresult row by row.
 * Finalized statements are deallocated in batches (none at close: the session ends). Every
 * PGconn/PGresult is released in this file. */
#include "store/driver.h"

#include <libpq-fe.h>
#include <string.h>

#define PG_MAX_PARAMS    65535             /* the protocol counts parameters in an Int16 */
#define PG_MAX_VALUE     ((size_t)1 << 30) /* 1 GiB: the largest field value */
#define PG_MAX_MSG       2048              /* bytes of a server message kept in ct_error */
#define PG_NAME_MAX      32                /* "ct_" + 20 digits + NUL fits */
#define UNIQUE_VIOLATION "23505"
#define PG_STALE_BATCH   64 /* finalized prepared statements deallocated in one round trip */

typedef struct pg_conn {
    PGconn *pg;
    uint64_t next_id; /* statement names are "ct_<id>", unique per connection */
    uint64_t *stale;  /* ids of finalized prepared statements, deallocated in batches */
    size_t nstale, capstale;
    bool stale_failed; /* one was finalized inside a failed transaction: flush once it ends */
    bool copy_pending; /* a COPY was ended and its result not read yet (pg_copy_end) */
} pg_conn;

typedef struct pg_stmt {
    ct_stmt base;
    pg_conn *conn;
    uint64_t id;
    int nparams;
    char **values; /* nparams owned strings; NULL binds SQL NULL */
    PGresult *res; /* NULL until the first step */
    int row;       /* current row of res; == nrows once done */
    int nrows;
} pg_stmt;

/* ---- helpers --------------------------------------------------------------------------- */

/* Write v in decimal to dst (at least 20 bytes, not terminated); returns the length. */
static size_t fmt_u64(char *dst, uint64_t v)
{
    char tmp[20];
    size_t n = 0, i;

    do {
        tmp[n++] = (char)('0' + (int)(v % 10));
        v /= 10;
    } while (v);
    for (i = 0; i < n; i++)
        dst[i] = tmp[n - 1 - i];
    return n;
}

static void stmt_name(char name[PG_NAME_MAX], uint64_t id)
{
    size_t n;

    memcpy(name, "ct_", 3);
    n = fmt_u64(name + 3, id);
    name[3 + n] = '\0';
}

/* Raise the error carried by res (or by the connection when res is NULL): unique violations
 * become CT_EEXISTS, everything else CT_EDB. */
static int pg_fail(PGconn *pg, const PGresult *res)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    int code = state && strcmp(state, UNIQUE_VIOLATION) == 0 ? CT_EEXISTS : CT_EDB;
    size_t len;

    if (!msg || !*msg)
        msg = res ? PQresultErrorMessage(res) : "";
    if (!*msg && pg)
        msg = PQerrorMessage(pg);
    if (!msg || !*msg)
        msg = res ? "unexpected result status" : "out of memory or connection lost";
    len = strlen(msg);
    while (len && (msg[len - 1] == '\n' || msg[len - 1] == '\r' || msg[len - 1] == ' '))
        len--;
    if (len > PG_MAX_MSG)
        len = PG_MAX_MSG;
    if (state && *state)
        return ct_error_set(code, "postgres: %.*s (SQLSTATE %s)", (int)len, msg, state);
    return ct_error_set(code, "postgres: %.*s", (int)len, msg);
}

/* Run one parameterless command whose result we do not need; returns 0 or a CT_E* code. */
static int run_command(PGconn *pg, const char *sql)
{
    PGresult *res = PQexec(pg, sql);
    ExecStatusType s = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    int rc = 0;

    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK && s != PGRES_EMPTY_QUERY)
        rc = pg_fail(pg, res);
    PQclear(res);
    return rc;
}

/* Read the result of the COPY that pg_copy_end ended without waiting for it: every call that
 * sends the server anything else (and can report an error) settles it first, and a failed COPY
 * is that call's error, so no COPY error is lost (the transaction has failed on the server:
 * COMMIT would only have rolled it back). quiet (a ROLLBACK follows): the result is dropped,
 * keeping the caller's error. */
static int copy_settle(pg_conn *c, bool quiet)
{
    PGresult *res;
    int rc = 0;

    if (!c->copy_pending)
        return 0;
    c->copy_pending = false;
    while ((res = PQgetResult(c->pg)) != NULL) {
        if (rc == 0 && !quiet && PQresultStatus(res) != PGRES_COMMAND_OK)
            rc = pg_fail(c->pg, res);
        PQclear(res);
    }
    return rc < 0 ? ct_error_prefix("an earlier COPY ... FROM STDIN") : 0;
}

/* A COPY started by a statement would wedge the connection: end it and drain the results. */
static void abandon_copy(PGconn *pg, ExecStatusType s)
{
    PGresult *r;
    char *buf = NULL;

    if (s == PGRES_COPY_IN || s == PGRES_COPY_BOTH)
        (void)PQputCopyEnd(pg, "cratrace: COPY is not supported by the store driver");
    if (s == PGRES_COPY_OUT || s == PGRES_COPY_BOTH) {
        while (PQgetCopyData(pg, &buf, 0) > 0) {
            PQfreemem(buf);
            buf = NULL;
        }
    }
    while ((r = PQgetResult(pg)) != NULL)
        PQclear(r);
}

/* Deallocate on the server; silently keeps going on failure (the session ends at close). */
static void deallocate(pg_conn *c, uint64_t id)
{
    char sql[16 + PG_NAME_MAX];

    if (c->copy_pending)
        return; /* lives until the close, as without memory */
    memcpy(sql, "DEALLOCATE ", 11);
    stmt_name(sql + 11, id);
    PQclear(PQexec(c->pg, sql));
}

/* Deallocate the finalized prepared statements, all in one round trip (one by one without
 * memory). DEALLOCATE is refused inside an aborted transaction, so they wait until it has
 * ended; the names exist (only prepared ones are listed), so none of them fails. */
static void flush_stale(pg_conn *c)
{
    PGTransactionStatusType t;
    ct_buf sql = CT_BUF_INIT;
    char name[PG_NAME_MAX];

    if (!c->nstale || c->copy_pending || PQstatus(c->pg) != CONNECTION_OK)
        return;
    t = PQtransactionStatus(c->pg);
    if (t != PQTRANS_IDLE && t != PQTRANS_INTRANS)
        return;
    for (size_t i = 0; i < c->nstale; i++) {
        stmt_name(name, c->stale[i]);
        ct_buf_puts(&sql, "DEALLOCATE ");
        ct_buf_puts(&sql, name);
        ct_buf_putc(&sql, ';');
    }
    if (!sql.failed) {
        PQclear(PQexec(c->pg, sql.ptr));
        c->nstale = 0;
    }
    c->stale_failed = false;
    ct_buf_dispose(&sql);
    while (c->nstale)
        deallocate(c, c->stale[--c->nstale]);
}

/* Flush once a batch has gathered (the rest go with the connection at close). */
static void flush_stale_batch(pg_conn *c)
{
    if (c->nstale >= PG_STALE_BATCH)
        flush_stale(c);
}

/* ---- placeholder rewriting ------------------------------------------------------------- */

static bool ident_char(char ch)
{
    return ct_ascii_isalnum(ch) || ch == '_' || ch == '$' || (unsigned char)ch >= 0x80;
}

/* End of the quoted token opened by sql[i] (' or "); doubled quotes stay inside, and so do
 * backslash escapes when esc (E'...' strings). Unterminated tokens run to the end. */
static size_t skip_quoted(const char *sql, size_t i, bool esc)
{
    char q = sql[i++];

    while (sql[i]) {
        if (esc && sql[i] == '\\' && sql[i + 1]) {
            i += 2;
        } else if (sql[i] == q) {
            if (sql[i + 1] != q)
                return i + 1;
            i += 2;
        } else {
            i++;
        }
    }
    return i;
}

/* End of the (nesting) block comment opening at sql[i]. */
static size_t skip_block_comment(const char *sql, size_t i)
{
    size_t depth = 0;

    while (sql[i]) {
        if (sql[i] == '/' && sql[i + 1] == '*') {
            depth++;
            i += 2;
        } else if (sql[i] == '*' && sql[i + 1] == '/') {
            i += 2;
            if (--depth == 0)
                return i;
        } else {
            i++;
        }
    }
    return i;
}

/* End of the dollar-quoted string opening at sql[i], or i when "$" opens no tag there. */
static size_t skip_dollar_quoted(const char *sql, size_t i)
{
    size_t tag = i + 1, j;

    if (i > 0 && ident_char(sql[i - 1]))
        return i;
    if (ct_ascii_isdigit(sql[tag]))
        return i; /* $1 is a parameter */
    while (sql[tag] && sql[tag] != '$' && ident_char(sql[tag]))
        tag++;
    if (sql[tag] != '$')
        return i;
    tag = tag + 1 - i; /* length of "$name$" */
    for (j = i + tag; sql[j]; j++) {
        if (sql[j] == '$' && strncmp(sql + j, sql + i, tag) == 0)
            return j + tag;
    }
    return j;
}

/* End of a literal, quoted identifier or comment starting at sql[i], or i if none does. */
static size_t skip_opaque(const char *sql, size_t i)
{
    bool esc;

    switch (sql[i]) {
    case '\'':
        esc =
            i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') && (i < 2 || !ident_char(sql[i - 2]));
        return skip_quoted(sql, i, esc);
    case '"':
        return skip_quoted(sql, i, false);
    case '-':
        if (sql[i + 1] != '-')
            return i;
        while (sql[i] && sql[i] != '\n')
            i++;
        return i;
    case '/':
        return sql[i + 1] == '*' ? skip_block_comment(sql, i) : i;
    case '$':
        return skip_dollar_quoted(sql, i);
    default:
        return i;
    }
}

/* Copy sql into out with each ?N outside literals and comments turned into $N; *nparams_out
 * receives the largest N. A bare "?" is left alone (jsonb operator). */
static int rewrite_placeholders(ct_buf *out, int *nparams_out, const char *sql)
{
    size_t i = 0, start = 0, end;
    int max = 0;

    while (sql[i]) {
        if ((end = skip_opaque(sql, i)) > i) {
            i = end;
            continue;
        }
        if (sql[i] != '?' || !ct_ascii_isdigit(sql[i + 1])) {
            i++;
            continue;
        }
        int n = 0;
        ct_buf_put(out, sql + start, i - start);
        start = i + 1; /* the digits are copied verbatim after "$" */
        for (i++; ct_ascii_isdigit(sql[i]); i++) {
            n = n * 10 + (sql[i] - '0');
            if (n > PG_MAX_PARAMS)
                return ct_error_set(CT_EINVAL, "placeholder ?%.*s is above ?%d",
                                    (int)(i + 1 - start), sql + start, PG_MAX_PARAMS);
        }
        if (n == 0)
            return ct_error_set(CT_EINVAL, "placeholder ?0: parameters are numbered from ?1");
        ct_buf_putc(out, '$');
        if (n > max)
            max = n;
        ct_buf_put(out, sql + start, i - start);
        start = i;
    }
    ct_buf_put(out, sql + start, i - start);
    if (out->failed)
        return ct_error_set(CT_ENOMEM, "out of memory rewriting a statement");
    *nparams_out = max;
    return 0;
}

/* ---- connection ------------------------------------------------------------------------ */

/* Close the connection. A COPY ended just before (autocommit) still has its result waiting:
 * read it first, so a failed COPY is not lost; its error is then ct_error_last() (close returns
 * nothing), and a COPY that went through leaves the last error as it was. */
static void pg_close(void *conn)
{
    pg_conn *c = conn;

    if (!c)
        return;
    (void)copy_settle(c, false);
    PQfinish(c->pg);
    ct_free(c->stale);
    ct_free(c);
}

static int pg_open(void **conn_out, const char *dsn)
{
    pg_conn *c = NULL;
    int rc;

    if (!conn_out || !dsn)
        return ct_error_set(CT_EINVAL, "postgres: open needs an output and a DSN");
    *conn_out = NULL;
    if (!(c = ct_calloc(1, sizeof *c)))
        return ct_error_set(CT_ENOMEM, "out of memory opening a postgres connection");
    if (!(c->pg = PQconnectdb(dsn))) {
        rc = ct_error_set(CT_ENOMEM, "out of memory opening a postgres connection");
        goto cleanup;
    }
    if (PQstatus(c->pg) != CONNECTION_OK) {
        rc = pg_fail(c->pg, NULL); /* the message never repeats the DSN (or its password) */
        goto cleanup;
    }
    /* jit off: no statement of the store gains from it; the unit count recount (a scan of
     * every open span) spent 0.3-0.37 s compiling and ran 1.8 s instead of 1.0-1.2 s at 1M
     * units, and the CLI's statements stay below jit_above_cost (docs/PERFORMANCE.md,
     * fleetpg4) */
    if ((rc = run_command(c->pg, "SET client_min_messages = warning; SET TimeZone = 'UTC'; "
                                 "SET client_encoding = 'UTF8'; SET jit = off")) < 0)
        goto cleanup;

    *conn_out = c;
    c = NULL;
cleanup:
    pg_close(c);
    return rc;
}

static int pg_exec(void *conn, const char *sql)
{
    pg_conn *c = conn;
    PGresult *res;
    ExecStatusType s;
    int rc = 0;

    if (!c || !sql)
        return ct_error_set(CT_EINVAL, "postgres: exec needs a connection and SQL");
    if ((rc = copy_settle(c, strncmp(sql, "ROLLBACK", 8) == 0)) < 0)
        return rc;
    flush_stale_batch(c);
    res = PQexec(c->pg, sql); /* stops at the first failing statement and returns its error */
    s = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (s == PGRES_COPY_IN || s == PGRES_COPY_OUT || s == PGRES_COPY_BOTH) {
        abandon_copy(c->pg, s);
        rc = ct_error_set(CT_EDB, "postgres: COPY is not supported by the store driver");
    } else if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK && s != PGRES_EMPTY_QUERY) {
        rc = pg_fail(c->pg, res);
    } else if (strcmp(sql, "COMMIT") == 0 && strcmp(PQcmdStatus(res), "ROLLBACK") == 0) {
        /* the server ends a failed transaction's COMMIT with a rollback, reported as success */
        rc = ct_error_set(CT_EDB, "postgres: COMMIT rolled back: the transaction had failed");
    }
    PQclear(res);
    if (rc == 0 && c->stale_failed)
        flush_stale(c); /* e.g. after the ROLLBACK that ended a failed transaction */
    return rc;
}

static int pg_bulk_mode(void *conn, bool on)
{
    pg_conn *c = conn;
    int rc;

    if (!c)
        return ct_error_set(CT_EINVAL, "postgres: bulk_mode needs a connection");
    if ((rc = copy_settle(c, false)) < 0)
        return rc;
    /* a committed import must survive a crash: synchronous_commit stays on; bulk loads get
     * more memory for sorts and index builds instead */
    return run_command(c->pg, on ? "SET maintenance_work_mem = '256MB'"
                                 : "RESET maintenance_work_mem");
}

/* ---- statements ------------------------------------------------------------------------ */

static void clear_run(pg_stmt *st)
{
    int i;

    PQclear(st->res);
    st->res = NULL;
    st->row = st->nrows = 0;
    for (i = 0; i < st->nparams; i++) {
        ct_free(st->values[i]);
        st->values[i] = NULL;
    }
}

/* Free the client side only. */
static void stmt_free(pg_stmt *st)
{
    if (!st)
        return;
    clear_run(st);
    ct_free(st->values);
    ct_free(st);
}

static int pg_prepare(ct_stmt **out, void *conn, const char *sql)
{
    pg_conn *c = conn;
    pg_stmt *st = NULL;
    ct_buf text = CT_BUF_INIT;
    PGresult *res = NULL;
    char name[PG_NAME_MAX];
    int nparams = 0, rc;

    if (!out || !c || !sql)
        return ct_error_set(CT_EINVAL, "postgres: prepare needs an output, a connection and SQL");
    *out = NULL;
    if ((rc = copy_settle(c, false)) < 0)
        return rc;
    flush_stale_batch(c);
    if ((rc = rewrite_placeholders(&text, &nparams, sql)) < 0)
        goto cleanup;
    if (!(st = ct_calloc(1, sizeof *st)) ||
        !(st->values = ct_calloc((size_t)nparams, sizeof *st->values))) {
        rc = ct_error_set(CT_ENOMEM, "out of memory preparing a statement");
        goto cleanup;
    }
    st->base.drv = &ct_store__driver_pg;
    st->conn = c;
    st->nparams = nparams;
    st->id = ++c->next_id;
    stmt_name(name, st->id);
    res = PQprepare(c->pg, name, text.ptr, 0, NULL); /* the server infers parameter types */
    if (!res || PQresultStatus(res) != PGRES_COMMAND_OK) {
        rc = pg_fail(c->pg, res);
        goto cleanup;
    }

    *out = &st->base;
    st = NULL;
    rc = 0;
cleanup:
    PQclear(res);
    ct_buf_dispose(&text);
    stmt_free(st);
    return rc;
}

static void pg_finalize(ct_stmt *base)
{
    pg_stmt *st = (pg_stmt *)base;
    pg_conn *c;

    if (!st)
        return;
    c = st->conn;
    if (PQstatus(c->pg) == CONNECTION_OK) {
        if (c->nstale == c->capstale) {
            size_t cap = c->capstale ? c->capstale * 2 : PG_STALE_BATCH;
            uint64_t *p = ct_reallocarray(c->stale, cap, sizeof *p);
            if (p) {
                c->stale = p;
                c->capstale = cap;
            }
        }
        if (c->nstale < c->capstale)
            c->stale[c->nstale++] = st->id;
        else if (PQtransactionStatus(c->pg) != PQTRANS_INERROR)
            deallocate(c, st->id); /* without memory: now, or it lives until the close */
        if (PQtransactionStatus(c->pg) != PQTRANS_INERROR)
            flush_stale_batch(c);
        else
            c->stale_failed = true;
    }
    stmt_free(st);
}

static int bind_check(pg_stmt *st, int idx)
{
    if (!st)
        return ct_error_set(CT_EINVAL, "postgres: bind on a NULL statement");
    if (idx < 1 || idx > st->nparams)
        return ct_error_set(CT_EINVAL, "postgres: bind index %d outside ?1..?%d", idx, st->nparams);
    if (st->res)
        return ct_error_set(CT_EINVAL, "postgres: bind on a stepped statement without reset");
    return 0;
}

/* Take ownership of value (NULL = SQL NULL) for parameter idx. */
static void bind_owned(pg_stmt *st, int idx, char *value)
{
    ct_free(st->values[idx - 1]);
    st->values[idx - 1] = value;
}

static int pg_bind_text(ct_stmt *base, int idx, const char *text, size_t len)
{
    pg_stmt *st = (pg_stmt *)base;
    char *copy;
    int rc;

    if ((rc = bind_check(st, idx)) < 0)
        return rc;
    if (!text) {
        bind_owned(st, idx, NULL);
        return 0;
    }
    if (len > PG_MAX_VALUE)
        return ct_error_set(CT_ELIMIT, "postgres: value for ?%d exceeds %zu bytes", idx,
                            PG_MAX_VALUE);
    if (memchr(text, '\0', len))
        return ct_error_set(CT_EINVAL, "postgres: value for ?%d contains a NUL byte", idx);
    if (!(copy = ct_strndup(text, len)))
        return ct_error_set(CT_ENOMEM, "out of memory binding ?%d", idx);
    bind_owned(st, idx, copy);
    return 0;
}

static int pg_bind_int64(ct_stmt *base, int idx, int64_t v)
{
    pg_stmt *st = (pg_stmt *)base;
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v; /* safe for INT64_MIN */
    char *text;
    size_t n = 0;
    int rc;

    if ((rc = bind_check(st, idx)) < 0)
        return rc;
    if (!(text = ct_malloc(22)))
        return ct_error_set(CT_ENOMEM, "out of memory binding ?%d", idx);
    if (v < 0)
        text[n++] = '-';
    n += fmt_u64(text + n, mag);
    text[n] = '\0';
    bind_owned(st, idx, text);
    return 0;
}

static int pg_bind_null(ct_stmt *base, int idx)
{
    pg_stmt *st = (pg_stmt *)base;
    int rc;

    if ((rc = bind_check(st, idx)) < 0)
        return rc;
    bind_owned(st, idx, NULL);
    return 0;
}

static int execute(pg_stmt *st)
{
    PGconn *pg = st->conn->pg;
    char name[PG_NAME_MAX];
    PGresult *res;
    ExecStatusType s;
    int rc;

    if ((rc = copy_settle(st->conn, false)) < 0)
        return rc;
    stmt_name(name, st->id);
    res = PQexecPrepared(pg, name, st->nparams, (const char *const *)st->values, NULL, NULL, 0);
    s = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (s == PGRES_COPY_IN || s == PGRES_COPY_OUT || s == PGRES_COPY_BOTH) {
        PQclear(res);
        abandon_copy(pg, s);
        return ct_error_set(CT_EDB, "postgres: COPY is not supported by the store driver");
    }
    if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK && s != PGRES_EMPTY_QUERY) {
        rc = pg_fail(pg, res);
        PQclear(res);
        return rc;
    }
    st->res = res;
    st->row = 0;
    st->nrows = s == PGRES_TUPLES_OK ? PQntuples(res) : 0;
    return 0;
}

static int pg_step(ct_stmt *base)
{
    pg_stmt *st = (pg_stmt *)base;
    int rc;

    if (!st)
        return ct_error_set(CT_EINVAL, "postgres: step on a NULL statement");
    if (!st->res) {
        if ((rc = execute(st)) < 0)
            return rc;
    } else if (st->row < st->nrows) {
        st->row++;
    }
    return st->row < st->nrows ? 1 : 0;
}

static int pg_reset(ct_stmt *base)
{
    pg_stmt *st = (pg_stmt *)base;

    if (!st)
        return ct_error_set(CT_EINVAL, "postgres: reset on a NULL statement");
    clear_run(st);
    return 0;
}

/* True when (row, col) names a value of the current result. */
static bool have_cell(const pg_stmt *st, int col)
{
    return st && st->res && st->row < st->nrows && col >= 0 && col < PQnfields(st->res);
}

static const char *pg_column_text(ct_stmt *base, int col)
{
    pg_stmt *st = (pg_stmt *)base;

    if (!have_cell(st, col) || PQgetisnull(st->res, st->row, col))
        return NULL;
    return PQgetvalue(st->res, st->row, col);
}

static bool pg_column_is_null(ct_stmt *base, int col)
{
    pg_stmt *st = (pg_stmt *)base;

    return !have_cell(st, col) || PQgetisnull(st->res, st->row, col);
}

/* Integer value of a column as SQLite would convert it: NULL is 0, booleans are 1/0, a
 * leading decimal integer is read (fractions truncated) and clamped to the int64 range. */
static int64_t pg_column_int64(ct_stmt *base, int col)
{
    const char *s = pg_column_text(base, col);
    uint64_t limit, mag = 0;
    bool neg = false;

    if (!s)
        return 0;
    if ((s[0] == 't' || s[0] == 'f') && s[1] == '\0')
        return s[0] == 't';
    while (*s == ' ')
        s++;
    if (*s == '-' || *s == '+')
        neg = *s++ == '-';
    limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; ct_ascii_isdigit(*s); s++) {
        unsigned d = (unsigned)(*s - '0');
        if (mag > (limit - d) / 10) {
            mag = limit;
            break;
        }
        mag = mag * 10 + d;
    }
    if (!neg)
        return (int64_t)mag;
    return mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag;
}

/* ---- COPY FROM STDIN (bulk loads) ------------------------------------------------------ */

static int pg_copy_begin(void *conn, const char *sql)
{
    pg_conn *c = conn;
    PGresult *res;
    ExecStatusType s;
    int rc = 0;

    if (!c || !sql)
        return ct_error_set(CT_EINVAL, "postgres: copy_begin needs a connection and SQL");
    if ((rc = copy_settle(c, false)) < 0)
        return rc;
    flush_stale_batch(c);
    res = PQexec(c->pg, sql);
    s = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (s != PGRES_COPY_IN) {
        if (s == PGRES_COPY_OUT || s == PGRES_COPY_BOTH) {
            abandon_copy(c->pg, s);
            rc = ct_error_set(CT_EDB, "postgres: copy_begin needs COPY ... FROM STDIN");
        } else {
            rc = pg_fail(c->pg, res);
        }
    }
    PQclear(res);
    return rc;
}

static int pg_copy_data(void *conn, const char *data, size_t len)
{
    pg_conn *c = conn;

    while (len) {
        int n = len > (1u << 30) ? 1 << 30 : (int)len;
        if (PQputCopyData(c->pg, data, n) != 1)
            return pg_fail(c->pg, NULL);
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* End the COPY without waiting for the server to finish it: the caller goes on (parsing the
 * next rows of an import) while the server works through the last rows, and the next call that
 * sends anything reads the result first (copy_settle; docs/PERFORMANCE.md, fleetpg9). */
static int pg_copy_end(void *conn)
{
    pg_conn *c = conn;
    PGresult *res;
    int rc = 0;

    if (PQputCopyEnd(c->pg, NULL) == 1) { /* blocking connection: sent */
        c->copy_pending = true;
        return 0;
    }
    rc = pg_fail(c->pg, NULL);
    while ((res = PQgetResult(c->pg)) != NULL)
        PQclear(res);
    return rc;
}

const ct_store_driver ct_store__driver_pg = {
    .name = "pg",
    .open = pg_open,
    .close = pg_close,
    .exec = pg_exec,
    .prepare = pg_prepare,
    .bind_text = pg_bind_text,
    .bind_int64 = pg_bind_int64,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .reset = pg_reset,
    .column_int64 = pg_column_int64,
    .column_text = pg_column_text,
    .column_is_null = pg_column_is_null,
    .finalize = pg_finalize,
    .bulk_mode = pg_bulk_mode,
    .copy_begin = pg_copy_begin,
    .copy_data = pg_copy_data,
    .copy_end = pg_copy_end,
};

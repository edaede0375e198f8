/* Test support: stores on the backend selected by CT_TEST_BACKEND, temp dirs, shared data. */
#ifndef CT_TEST_H
#define CT_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "cratrace/base.h"
#include "cratrace/store.h"

/** Exit code that ctest reports as "skipped". */
#define CT_TEST_SKIP 77

/** A context with a fixed clock (2025-01-01T00:00:00Z). NEW. */
ct_ctx *ct_test_ctx(void);
/** "sqlite" (default) or "pg", from CT_TEST_BACKEND. */
const char *ct_test_backend(void);
/** True when the selected backend can run here (pg needs CT_TEST_PG_DSN). */
bool ct_test_backend_available(void);
/** A fresh, empty store on the selected backend (SQLite :memory: or a new PostgreSQL schema).
 * Fails the test on error. */
ct_store *ct_test_store_open(const ct_ctx *ctx);
/** A DSN for a fresh empty store (for CLI tests): a temp SQLite file or a new PG schema. */
char *ct_test_fresh_dsn(void);
/** Path under ../shared (NEW), or NULL when that path does not exist. */
char *ct_test_shared_path(const char *rel);
/** A new temp directory (NEW path). */
char *ct_test_tmpdir(void);
/** Write text to a file in dir; returns NEW path. */
char *ct_test_write_file(const char *dir, const char *name, const char *text);

#endif

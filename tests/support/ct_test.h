/* Test support: stores on the backend selected by CT_TEST_BACKEND, temp dirs, shared data. */
#ifndef CT_TEST_H
#define CT_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "cratrace/base.h"
#include "cratrace/sbom.h"
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
/* The line (with its newline) of a JSON-lines file under ../shared (.gz allowed) that contains
 * needle; NEW, or NULL when the file or the line is missing. */
char *ct_test_shared_line_with(const char *rel, const char *needle);
/** A new temp directory under /tmp (NEW path). It is removed with its contents when the test
 * program exits, unless CT_TEST_KEEP_TMP is set. */
char *ct_test_tmpdir(void);
/** Write text to a file in dir; returns NEW path. */
char *ct_test_write_file(const char *dir, const char *name, const char *text);

/** Files found under a directory tree. */
typedef struct ct_test_files {
    char **paths;
    size_t n, cap;
} ct_test_files;
#define CT_TEST_FILES_INIT { NULL, 0, 0 }

/** Every regular file under dir (recursively, dot entries skipped) whose name ends in one of
 * the NULL-terminated suffixes exts, sorted by path. Appends to fl. */
void ct_test_collect(ct_test_files *fl, const char *dir, const char *const *exts);
void ct_test_files_free(ct_test_files *fl);
/** The whole file (NEW, NUL-terminated) or a test failure. */
char *ct_test_read(const char *path, size_t *len);
/** Fail the test when a and b differ in any model field (a component's bom_ref only when a has
 * one: readers give packages without an SPDXID one). */
void ct_test_same_sbom(const ct_sbom *a, const ct_sbom *b);
/** ct_test_same_sbom with what (NULL: nothing) in front of a failure's message; strict_ref:
 * every component's bom_ref compared, a missing one too. A missing model fails. */
void ct_test_same_sbom_ex(const char *what, const ct_sbom *a, const ct_sbom *b, bool strict_ref);
/** Fail the test naming what, i and both values when the strings differ (NULL = absent). */
void ct_test_same_str(const char *what, size_t i, const char *a, const char *b);
/** True when the reference oracles are installed: $ORACLES_HOME/stamp, else
 * ~/.cache/cratrace-oracles/stamp (../shared/oracles/README.md). */
bool ct_test_oracles_installed(void);

#endif

/* base: context, errors, growable buffers, time helpers, progress. */
#ifndef CRATRACE_BASE_H
#define CRATRACE_BASE_H

#include "cratrace/common.h"

/* ---- errors ---------------------------------------------------------------------------- */

typedef struct ct_error {
    int code;            /* CT_E* */
    const char *message; /* never NULL; includes context prefixes */
    const char *source;  /* file, URL or "-"; may be NULL */
    uint32_t line, column; /* 1-based; 0 = unknown */
    int64_t offset;      /* byte offset, -1 = unknown */
    const char *pointer; /* RFC 6901 JSON pointer or NULL */
} ct_error;

/** Where in an input a problem was found; all fields optional. */
typedef struct ct_loc {
    const char *source;
    uint32_t line, column;
    int64_t offset;
    const char *pointer;
} ct_loc;
#define CT_LOC_INIT { NULL, 0, 0, -1, NULL }

/** Last error on this thread; never NULL; valid until the next failing ct_ call. */
CT_EXTERN const ct_error *ct_error_last(void);
/** Set the thread's error; returns code so raising is one statement. */
CT_EXTERN int ct_error_set(int code, const char *fmt, ...) CT_PRINTF(2, 3);
/** Set the thread's error with a location. */
CT_EXTERN int ct_error_set_at(const ct_loc *loc, int code, const char *fmt, ...) CT_PRINTF(3, 4);
/** Most bytes of the string argument that ct_error_set_lazy() keeps. */
#define CT_ERROR_LAZY_ARG_MAX 128
/** ct_error_set() for paths that fail often and seldom report (an invalid version in a
 *  comparison): keeps code, fmt (not copied: a string literal), at most CT_ERROR_LAZY_ARG_MAX
 *  bytes of arg[0, n) and at; fmt is formatted with ((int)n, arg, at) only when the message is
 *  read (ct_error_last(), ct_error_format(), ct_error_prefix()). fmt's conversions are exactly
 *  one "%.*s" and then one "%zu". Call it through CT_ERROR_SET_LAZY(), which checks fmt and
 *  the arguments at compile time. Returns code. */
CT_EXTERN int ct_error_set_lazy(int code, const char *fmt, const char *arg, size_t n, size_t at);
/* Never defined or called: only its printf format check is used, in an unevaluated sizeof. */
CT_EXTERN void ct_error__lazy_fmt_check(const char *fmt, ...) CT_PRINTF(1, 2);
#define CT_ERROR_SET_LAZY(code, fmt, arg, n, at)                                                   \
    ((void)sizeof((ct_error__lazy_fmt_check((fmt), (int)(n), (const char *)(arg), (size_t)(at)), \
                   0)),                                                                            \
     ct_error_set_lazy((code), (fmt), (arg), (n), (at)))
/** Prefix the current message with context ("import x.json: ..."); returns the current code. */
CT_EXTERN int ct_error_prefix(const char *fmt, ...) CT_PRINTF(1, 2);
/** Forget the current error. */
CT_EXTERN void ct_error_clear(void);
/** Format the last error for people: "source:line:col: pointer: message". */
CT_EXTERN const char *ct_error_format(void);
CT_EXTERN const char *ct_error_name(int code);
CT_EXTERN const char *ct_strerror(int code);
CT_EXTERN int ct_error_http_status(int code);

/* ---- memory ---------------------------------------------------------------------------- */

CT_EXTERN void *ct_malloc(size_t n);
CT_EXTERN void *ct_calloc(size_t n, size_t size);
CT_EXTERN void *ct_reallocarray(void *p, size_t n, size_t size);
CT_EXTERN char *ct_strdup(const char *s);
CT_EXTERN char *ct_strndup(const char *s, size_t n);
CT_EXTERN void ct_free(void *p);

/* ---- growable buffer ------------------------------------------------------------------- */

typedef struct ct_buf {
    char *ptr;  /* always NUL-terminated; shared "" until first growth */
    size_t len, cap;
    size_t max; /* hard cap; 0 = default (1 GiB) */
    bool failed; /* sticky after any failed append */
} ct_buf;
CT_EXTERN extern char ct_buf__empty[];
#define CT_BUF_INIT { ct_buf__empty, 0, 0, 0, false }

CT_EXTERN int ct_buf_grow(ct_buf *b, size_t extra);
CT_EXTERN int ct_buf_put(ct_buf *b, const void *data, size_t len);
CT_EXTERN int ct_buf_puts(ct_buf *b, const char *s);
CT_EXTERN int ct_buf_putc(ct_buf *b, char c);
CT_EXTERN int ct_buf_printf(ct_buf *b, const char *fmt, ...) CT_PRINTF(2, 3);
/** Append s as a JSON string literal with quotes and escapes. */
CT_EXTERN int ct_buf_json_str(ct_buf *b, const char *s);
CT_EXTERN void ct_buf_reset(ct_buf *b);
/** Take the buffer's memory; NEW string, free with ct_free(). Never NULL unless OOM. */
CT_EXTERN char *ct_buf_detach(ct_buf *b);
CT_EXTERN void ct_buf_dispose(ct_buf *b);

/* ---- numbers, strings ------------------------------------------------------------------ */

/** Parse a decimal integer in [min, max] from s[0..len). */
CT_EXTERN int ct_parse_i64(int64_t *out, const char *s, size_t len, int64_t min, int64_t max);
CT_EXTERN int ct_ascii_casecmp(const char *a, const char *b);
CT_EXTERN char ct_ascii_lower(char c);
CT_EXTERN bool ct_ascii_isdigit(char c);
CT_EXTERN bool ct_ascii_isalpha(char c);
CT_EXTERN bool ct_ascii_isalnum(char c);
/** Validate UTF-8: no overlong forms, surrogates, > U+10FFFF or NUL; *bad_at gets the offset. */
CT_EXTERN bool ct_utf8_valid(const char *s, size_t len, size_t *bad_at);
/** A new string: the first line of s, at most max bytes, cut at a word boundary when one is in
 * the second half and never inside a UTF-8 sequence; "..." (U+2026) marks a cut. NULL on OOM. */
CT_EXTERN char *ct_text_excerpt(const char *s, size_t max);

/* ---- time ------------------------------------------------------------------------------ */

/** Parse ISO 8601 / RFC 3339 ("2025-03-07T14:05:00Z", "+02:00" offsets, date-only). */
CT_EXTERN int ct_time_parse(ct_time *out, const char *s, size_t len);
/** Format as "2025-03-07T14:05:00Z" into buf (at least 21 bytes). */
CT_EXTERN void ct_time_format(char buf[32], ct_time t);
CT_EXTERN ct_time ct_time_from_civil(int64_t y, unsigned m, unsigned d, unsigned hh, unsigned mm,
                                     unsigned ss);
/** Monotonic seconds, for measuring only. */
CT_EXTERN double ct_clock_mono(void);

/* ---- context --------------------------------------------------------------------------- */

typedef struct ct_limits {
    size_t max_doc_bytes;    /* largest single document (default 512 MiB) */
    int max_depth;           /* JSON nesting (default 64) */
    size_t max_string_bytes; /* one string value / line (default 1 MiB) */
    size_t max_components;   /* per SBOM (default 2,000,000) */
} ct_limits;

typedef ct_time (*ct_clock_fn)(void *payload);

/* Levels of ct_log_fn. */
#define CT_LOG_INFO 0
#define CT_LOG_WARN 1
/** What the library reports without failing (a rejected record: the import goes on), one
 * line without a newline. The library never prints; a front end decides where this goes. */
typedef void (*ct_log_fn)(int level, const char *msg, void *payload);

typedef struct ct_ctx_options {
    unsigned version;
    ct_limits limits;
    ct_clock_fn clock; /* NULL = wall clock */
    void *clock_payload;
    bool progress; /* show progress on stderr when it is a terminal */
    ct_log_fn log; /* NULL = reports are dropped */
    void *log_payload;
} ct_ctx_options;
#define CT_CTX_OPTIONS_VERSION 1
#define CT_CTX_OPTIONS_INIT                                                                        \
    { CT_CTX_OPTIONS_VERSION, { 512u << 20, 64, 1u << 20, 2000000 }, NULL, NULL, true, NULL, NULL }

typedef struct ct_ctx ct_ctx;

/** NEW context; free with ct_ctx_free(). opts may be NULL for defaults. */
CT_EXTERN int ct_ctx_new(ct_ctx **out, const ct_ctx_options *opts);
CT_EXTERN void ct_ctx_free(ct_ctx *ctx);
CT_EXTERN const ct_limits *ct_ctx_limits(const ct_ctx *ctx);
CT_EXTERN ct_time ct_ctx_now(const ct_ctx *ctx);
/** Fix "now" (tests, reproducible documents); CT_TIME_NONE returns to the wall clock. */
CT_EXTERN void ct_ctx_set_now(ct_ctx *ctx, ct_time now);
/** Hand a report to the context's log callback (a no-op without one, or when ctx is NULL). */
CT_EXTERN void ct_ctx_log(const ct_ctx *ctx, int level, const char *fmt, ...) CT_PRINTF(3, 4);

/* ---- progress -------------------------------------------------------------------------- */

typedef struct ct_progress ct_progress;
/** NEW progress line on stderr if ctx wants progress and stderr is a terminal; else a no-op. */
CT_EXTERN ct_progress *ct_progress_start(const ct_ctx *ctx, const char *label, uint64_t total);
CT_EXTERN void ct_progress_update(ct_progress *p, uint64_t done);
CT_EXTERN void ct_progress_end(ct_progress *p);

/* ---- files ----------------------------------------------------------------------------- */

/** Read a whole file (or "-" for stdin) up to max bytes; *out NEW (NUL-terminated). */
CT_EXTERN int ct_file_read(char **out, size_t *len_out, const char *path, size_t max);
/** Read a file, transparently gunzipping *.gz / gzip magic. */
CT_EXTERN int ct_file_read_any(char **out, size_t *len_out, const char *path, size_t max);
/** Write data to path atomically (temp file + rename). */
CT_EXTERN int ct_file_write(const char *path, const void *data, size_t len);

CT_EXTERN const char *ct_version_string(void);

#endif

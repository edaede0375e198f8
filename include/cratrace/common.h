/* Shared definitions for every public cratrace header: export macro, status codes, time. */
#ifndef CRATRACE_COMMON_H
#define CRATRACE_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#if defined(__GNUC__)
#define CT_EXTERN   __attribute__((visibility("default")))
#define CT_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CT_EXTERN
#define CT_PRINTF(f, a)
#endif

#define CT_NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* One table of status codes: name, value, HTTP status, message. Values never change. */
#define CT_ERROR_MAP(X)                                              \
    X(EFAIL,        -1, 500, "unspecified failure")                 \
    X(ENOMEM,       -2, 503, "out of memory")                       \
    X(EINVAL,       -3, 400, "invalid argument")                    \
    X(EPARSE,       -4, 422, "malformed input")                     \
    X(ELIMIT,       -5, 413, "input exceeds a configured limit")    \
    X(ENOTFOUND,    -6, 404, "not found")                           \
    X(EEXISTS,      -7, 409, "already exists")                      \
    X(EUNSUPPORTED, -8, 415, "unsupported format or scheme")        \
    X(EIO,          -9, 500, "I/O error")                           \
    X(EDB,         -10, 500, "database error")                      \
    X(ENET,        -11, 502, "network error")                       \
    X(EAUTH,       -12, 401, "not authorised")

typedef enum {
    CT_OK = 0,
#define CT_X_(name, val, http, text) CT_##name = (val),
    CT_ERROR_MAP(CT_X_)
#undef CT_X_
} ct_status;

/** UTC seconds since the epoch, no leap seconds. */
typedef int64_t ct_time;
#define CT_TIME_NONE INT64_MIN

#endif

/* Test HTTP client (libcurl) for the tests that talk to a running `cratrace serve`
 * (tests/server). Fails the test when the request cannot be made at all. */
#ifndef CT_HTTP_CLIENT_H
#define CT_HTTP_CLIENT_H

#include "ct_test.h"

#include <curl/curl.h>

/** GET base + path ("http://127.0.0.1:PORT" + "/api/v1/products") on handle c (kept alive
 * between calls), with "Authorization: Bearer token" unless token is NULL; the body into b
 * (reset first). Returns the HTTP status. */
long ct_test_http_get(CURL *c, const char *base, const char *path, const char *token, ct_buf *b);

#endif

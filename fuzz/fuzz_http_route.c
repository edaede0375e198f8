/* Fuzz the HTTP request target parser of `cratrace serve` (src/server/router.c) over the real
 * route table: the first byte picks the method, the rest is the raw target. Whatever matches
 * must hand a handler only decoded, NUL-free, valid UTF-8 parameters and query values the route
 * declares; every other answer is one of the documented error statuses. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server/server_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_text(const char *s)
{
    size_t n = strlen(s), bad = 0;
    if (!ct_utf8_valid(s, n, &bad))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const methods[] = { "GET", "HEAD", "POST", "DELETE", "PUT", "OPTIONS" };
    ct_http_target t;
    const char *method;
    char *dec = NULL;
    int rc;

    if (size == 0)
        return 0;
    method = methods[data[0] % CT_NELEM(methods)];
    rc = ct_server__route(&t, ct_server__routes, ct_server__nroutes, method,
                          (const char *)data + 1, size - 1, 2048);
    if (rc == 0) {
        if (!t.route || t.nparams > CT_HTTP_MAX_PARAMS || t.nquery > CT_HTTP_MAX_QUERY)
            abort();
        for (size_t i = 0; i < t.nparams; i++) {
            if (!*t.params[i])
                abort(); /* a parameter segment is never empty */
            check_text(t.params[i]);
        }
        for (size_t i = 0; i < t.nquery; i++) {
            bool declared = false;
            for (const char *const *q = t.route->query_names; q && *q; q++)
                declared |= strcmp(*q, t.qname[i]) == 0;
            if (!declared || ct_server__query(&t, t.qname[i]) != t.qvalue[i])
                abort(); /* undeclared or repeated */
            check_text(t.qvalue[i]);
        }
    } else if (rc != 400 && rc != 404 && rc != 405 && rc != 414 && rc != CT_ENOMEM) {
        abort();
    } else if (rc > 0 && (t.route || !t.error[0] || (rc == 405) != (t.allow != NULL))) {
        abort(); /* an error names what was wrong; only 405 says what is allowed */
    }
    ct_server__target_dispose(&t);

    /* the decoder alone: what it returns is NUL-free UTF-8 no longer than its input */
    for (int plus = 0; plus < 2; plus++) {
        if (ct_server__pct_decode(&dec, (const char *)data, size, plus, NULL) == 0) {
            if (strlen(dec) > size)
                abort();
            check_text(dec);
            ct_free(dec);
        }
    }
    return 0;
}

/* The route table of the HTTP API and its handlers. Bodies come from the same library
 * functions as the CLI's --json output, plus the CLI's trailing newline, so that an answer
 * over HTTP is byte for byte what `cratrace --json ...` prints. */
#include "server_int.h"

#include <stdio.h>
#include <string.h>

static int finish_json(ct_http_res *res, int rc)
{
    if (rc < 0)
        return rc;
    ct_buf_putc(&res->body, '\n');
    return res->body.failed ? ct_error_set(CT_ENOMEM, "out of memory") : 0;
}

/* Query parameter "at" (absent: now), parsed as the CLI parses --at. */
static int param_time(ct_time *out, const ct_http_req *req)
{
    const char *v = ct_server__query(req->target, "at");
    char why[160];

    *out = CT_TIME_NONE;
    if (!v)
        return 0;
    if (ct_time_parse(out, v, strlen(v)) == 0)
        return 0;
    snprintf(why, sizeof why, "%s", ct_error_last()->message);
    return ct_error_set(CT_EINVAL, "query parameter 'at': %s; expected an ISO 8601 time such as "
                                   "2025-03-07T14:05:00Z (%%2B for a '+' offset)", why);
}

/* Liveness and the store: one trivial query (ct_store_ping). When the store does not answer,
 * the handler's answer for that failure is a 503 with the reason; the dispatcher first reopens
 * a lost PostgreSQL connection and asks again, so only a store that stays unreachable gives it
 * (the details go to the server log, not to the unauthenticated client). */
static int api_healthz(ct_http_res *res, const ct_http_req *req)
{
    const char *name = strcmp(ct_store_backend(req->st), "pg") == 0 ? "postgresql" : "sqlite";
    int rc = ct_store_ping(req->st);

    if (rc == CT_EDB) {
        res->status = 503;
        ct_buf_printf(&res->body,
                      "{\"ok\":false,\"store\":\"%s\",\"error\":\"the store is unreachable "
                      "(details in the server log)\"}\n",
                      name);
        return rc;
    }
    if (rc < 0)
        return rc;
    ct_buf_printf(&res->body, "{\"ok\":true,\"store\":\"%s\"}", name);
    return finish_json(res, 0);
}

static int api_openapi(ct_http_res *res, const ct_http_req *req)
{
    (void)req;
    return ct_server__openapi_put(&res->body);
}

static int api_products(ct_http_res *res, const ct_http_req *req)
{
    return finish_json(res, ct_store_products_json(&res->body, req->st));
}

static int api_unit(ct_http_res *res, const ct_http_req *req)
{
    ct_time at;
    int rc;
    if ((rc = param_time(&at, req)) < 0)
        return rc;
    return finish_json(res, ct_store_unit_show_json(&res->body, req->st, req->target->params[0],
                                                    ct_server__query(req->target, "product"),
                                                    at));
}

static int api_affected(ct_http_res *res, const ct_http_req *req)
{
    ct_time at;
    int rc;
    if ((rc = param_time(&at, req)) < 0)
        return rc;
    return finish_json(res, ct_store_affected_json_at(&res->body, req->st,
                                                      req->target->params[0], at));
}

static int api_tokens(ct_http_res *res, const ct_http_req *req)
{
    return finish_json(res, ct_store_tokens_json(&res->body, req->st));
}

static const char *const q_unit[] = { "at", "product", NULL };
static const char *const q_at[] = { "at", NULL };

const ct_route ct_server__routes[] = {
    /* method  pattern                              query     roles           handler */
    { "GET", "/healthz", NULL, 0, api_healthz },
    { "GET", "/api/openapi.json", NULL, 0, api_openapi },
    { "GET", "/api/v1/products", NULL, CT_ROLES_ALL, api_products },
    { "GET", "/api/v1/units/{serial}", q_unit, CT_ROLES_ALL, api_unit },
    { "GET", "/api/v1/advisories/{id}/affected", q_at, CT_ROLES_ALL, api_affected },
    { "GET", "/api/v1/tokens", NULL, CT_ROLE_ADMIN, api_tokens },
};
const size_t ct_server__nroutes = CT_NELEM(ct_server__routes);

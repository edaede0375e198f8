/* Shared CLI helpers: store opening, error printing and exit codes, statistics output. */
#include "cli.h"

#include <stdio.h>

int ct_cli_exit_code(int rc)
{
    switch (rc) {
    case CT_OK:
        return CT_EXIT_OK;
    case CT_EPARSE:
    case CT_ELIMIT:
    case CT_EUNSUPPORTED:
    case CT_ENOTFOUND:
    case CT_EEXISTS:
    case CT_EINVAL:
        return CT_EXIT_INPUT;
    default:
        return CT_EXIT_STORE;
    }
}

int ct_cli_fail(const char *what)
{
    const ct_error *e = ct_error_last();
    fprintf(stderr, "cratrace: %s%s%s\n", what ? what : "", what ? ": " : "", ct_error_format());
    return ct_cli_exit_code(e->code ? e->code : CT_EFAIL);
}

int ct_cli_store(ct_store **out, ct_cli_env *env)
{
    if (!env->store && ct_store_open(&env->store, env->ctx, env->dsn) < 0) {
        *out = NULL;
        return ct_cli_fail("opening the store");
    }
    *out = env->store;
    return 0;
}

int ct_cli_store_json(json_object **out, ct_cli_env *env, const char *what,
                      int (*fetch)(ct_buf *b, ct_store *st))
{
    ct_store *st;
    ct_buf b = CT_BUF_INIT;
    int rc;

    *out = NULL;
    if ((rc = ct_cli_store(&st, env)) != 0)
        return rc;
    if (fetch(&b, st) < 0) {
        ct_buf_dispose(&b);
        return ct_cli_fail(what);
    }
    if (env->json)
        ct_cli_print(&b);
    else
        *out = json_tokener_parse(b.ptr);
    ct_buf_dispose(&b);
    return 0;
}

void ct_cli_print(const ct_buf *b)
{
    fwrite(b->ptr, 1, b->len, stdout);
    fputc('\n', stdout);
}

void ct_cli_print_stats(const ct_cli_env *env, const char *what, const ct_import_stats *s,
                        double seconds)
{
    if (env->json) {
        printf("{\"import\":\"%s\",\"records\":%llu,\"inserted\":%llu,\"updated\":%llu,"
               "\"unchanged\":%llu,\"rejected\":%llu,\"unmatchable_ranges\":%llu,"
               "\"findings\":%llu,\"seconds\":%.3f}\n",
               what, (unsigned long long)s->records, (unsigned long long)s->inserted,
               (unsigned long long)s->updated, (unsigned long long)s->unchanged,
               (unsigned long long)s->rejected,
               (unsigned long long)s->unmatchable_ranges, (unsigned long long)s->match.findings,
               seconds);
        return;
    }
    if (env->quiet)
        return;
    fprintf(stderr,
            "%s: %llu records (%llu new, %llu updated, %llu unchanged), %llu new findings, "
            "%.2f s\n",
            what, (unsigned long long)s->records, (unsigned long long)s->inserted,
            (unsigned long long)s->updated, (unsigned long long)s->unchanged,
            (unsigned long long)s->match.findings, seconds);
}

const char *ct_cli_str(json_object *o, const char *key, const char *dflt)
{
    json_object *v;
    if (!o || !json_object_object_get_ex(o, key, &v) || !v)
        return dflt;
    return json_object_get_string(v);
}

long long ct_cli_int(json_object *o, const char *key)
{
    json_object *v;
    if (!o || !json_object_object_get_ex(o, key, &v) || !v)
        return 0;
    return (long long)json_object_get_int64(v);
}

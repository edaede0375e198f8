/* `advisories source add|list|remove` and `advisories sync`: feed sources kept in the store,
 * downloaded and imported by ct_store_feed_sync (one transaction per source). */
#include "cli.h"
#include "cratrace/sync.h"

#include <stdio.h>
#include <string.h>

const ct_cli_opt ct_cli_adv_source_opts[] = {
    { "format", true, "auto (default: osv/cve5/nvd/csaf detected), osv, nvd, cve5, csaf, kev, "
                      "epss" },
    { "sha256-url", true, "URL of a published SHA-256 (sha256sum format) of the feed file" },
    { NULL, false, NULL },
};

static int source_list(ct_cli_env *env, ct_store *st)
{
    ct_buf b = CT_BUF_INIT;
    json_object *arr;
    if (ct_store_feed_sources_json(&b, st, NULL) < 0) {
        ct_buf_dispose(&b);
        return ct_cli_fail("advisories source list");
    }
    if (env->json) {
        ct_cli_print(&b);
        ct_buf_dispose(&b);
        return 0;
    }
    arr = json_tokener_parse(b.ptr);
    printf("%-16s %-6s %-21s %-13s %s\n", "NAME", "FORMAT", "LAST SYNC", "RESULT", "URL");
    for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
        json_object *s = json_object_array_get_idx(arr, i);
        printf("%-16s %-6s %-21s %-13s %s\n", ct_cli_str(s, "name", "-"),
               ct_cli_str(s, "format", "-"), ct_cli_str(s, "last_sync", "never"),
               ct_cli_str(s, "last_result", "-"), ct_cli_str(s, "url", "-"));
    }
    json_object_put(arr);
    ct_buf_dispose(&b);
    return 0;
}

int ct_cli_adv_source(ct_cli_env *env, const ct_cli_args *a)
{
    const char *verb = a->pos[0];
    ct_store *st;
    int rc;
    bool add = strcmp(verb, "add") == 0, rm = strcmp(verb, "remove") == 0,
         list = strcmp(verb, "list") == 0;

    if ((add && a->npos != 3) || (rm && a->npos != 2) || (list && a->npos != 1) ||
        !(add || rm || list)) {
        fprintf(stderr, "usage: cratrace advisories source add NAME URL [--format F] "
                        "[--sha256-url URL] | list | remove NAME\n");
        return CT_EXIT_USAGE;
    }
    if (!add && (a->opt[0] || a->opt[1])) {
        fprintf(stderr, "cratrace: --format and --sha256-url go with 'source add'\n");
        return CT_EXIT_USAGE;
    }
    if ((rc = ct_cli_store(&st, env)) != 0)
        return rc;
    if (list)
        return source_list(env, st);
    if (add) {
        rc = ct_store_feed_source_add(st, a->pos[1], a->pos[2], a->opt[0], a->opt[1]);
        if (rc == CT_EINVAL) {
            fprintf(stderr, "cratrace: advisories source add: %s\n", ct_error_format());
            return CT_EXIT_USAGE;
        }
    } else {
        rc = ct_store_feed_source_remove(st, a->pos[1]);
    }
    if (rc < 0)
        return ct_cli_fail(add ? "advisories source add" : "advisories source remove");
    if (env->json)
        printf("{\"source\":\"%s\",\"%s\":true}\n", a->pos[1], add ? "added" : "removed");
    else if (!env->quiet)
        printf("feed source %s %s\n", a->pos[1], add ? "added" : "removed");
    return 0;
}

const ct_cli_opt ct_cli_adv_sync_opts[] = {
    { "timeout", true, "seconds one download attempt may take (default 300)" },
    { "retries", true, "further attempts after timeouts, 5xx or cut-off bodies (default 3)" },
    { "max-bytes", true, "largest download accepted (default 1073741824)" },
    { "backoff-ms", true, "wait before the first retry, doubled each time (default 1000)" },
    { NULL, false, NULL },
};

static int parse_opts(ct_sync_options *o, const ct_cli_args *a)
{
    int64_t v;
    const char *names[] = { "--timeout", "--retries", "--max-bytes", "--backoff-ms" };
    const int64_t max[] = { 86400, 100, INT64_MAX, 600000 };
    for (int i = 0; i < 4; i++) {
        if (!a->opt[i])
            continue;
        if (ct_parse_i64(&v, a->opt[i], strlen(a->opt[i]), i == 1 || i == 3 ? 0 : 1, max[i]) < 0) {
            fprintf(stderr, "cratrace: %s: expected an integer in [%d, %lld]\n", names[i],
                    i == 1 || i == 3 ? 0 : 1, (long long)max[i]);
            return -1;
        }
        if (i == 0)
            o->timeout_ms = (unsigned)v * 1000u;
        else if (i == 1)
            o->retries = (unsigned)v;
        else if (i == 2)
            o->max_bytes = (uint64_t)v;
        else
            o->backoff_ms = (unsigned)v;
    }
    return 0;
}

static void report(ct_buf *json, const char *name, const ct_feed_sync_outcome *r, int rc,
                   bool people)
{
    const char *result = rc < 0 ? "failed" : r->not_modified ? "not-modified" : "updated";
    if (people && rc == 0) {
        if (r->not_modified)
            printf("%s: not modified\n", name);
        else
            printf("%s: updated, %llu bytes, %llu records (%llu new, %llu updated, %llu "
                   "unchanged), %llu new findings\n",
                   name, (unsigned long long)r->bytes, (unsigned long long)r->stats.records,
                   (unsigned long long)r->stats.inserted, (unsigned long long)r->stats.updated,
                   (unsigned long long)r->stats.unchanged,
                   (unsigned long long)r->stats.match.findings);
    }
    if (!json)
        return;
    ct_buf_puts(json, json->len > 1 ? ",{\"source\":" : "{\"source\":");
    ct_buf_json_str(json, name);
    ct_buf_printf(json, ",\"result\":\"%s\",\"bytes\":%llu,\"attempts\":%u,\"resumed\":%u,"
                        "\"records\":%llu,\"inserted\":%llu,\"updated\":%llu,\"unchanged\":%llu,"
                        "\"findings\":%llu,\"sha256\":",
                  result, (unsigned long long)r->bytes, r->attempts, r->resumed,
                  (unsigned long long)r->stats.records, (unsigned long long)r->stats.inserted,
                  (unsigned long long)r->stats.updated, (unsigned long long)r->stats.unchanged,
                  (unsigned long long)r->stats.match.findings);
    if (r->sha256[0])
        ct_buf_json_str(json, r->sha256);
    else
        ct_buf_puts(json, "null");
    ct_buf_puts(json, ",\"error\":");
    if (rc < 0)
        ct_buf_json_str(json, ct_error_format());
    else
        ct_buf_puts(json, "null");
    ct_buf_putc(json, '}');
}

/* The configured source names (NEW JSON array), so a sync of "all" has a list to walk. */
static int all_names(json_object **out, ct_store *st)
{
    ct_buf b = CT_BUF_INIT;
    int rc = ct_store_feed_sources_json(&b, st, NULL);
    *out = rc == 0 ? json_tokener_parse(b.ptr) : NULL;
    ct_buf_dispose(&b);
    return rc;
}

int ct_cli_adv_sync(ct_cli_env *env, const ct_cli_args *a)
{
    ct_sync_options o = CT_SYNC_OPTIONS_INIT;
    ct_buf json = CT_BUF_INIT;
    json_object *arr = NULL;
    ct_store *st;
    int rc, worst = 0;
    size_t n;

    if (parse_opts(&o, a) < 0)
        return CT_EXIT_USAGE;
    o.progress = !env->quiet;
    if ((rc = ct_cli_store(&st, env)) != 0)
        return rc;
    if (all_names(&arr, st) < 0)
        return ct_cli_fail("advisories sync");
    n = a->npos > 0 ? (size_t)a->npos : (arr ? json_object_array_length(arr) : 0);
    if (n == 0) {
        json_object_put(arr);
        fprintf(stderr, "cratrace: advisories sync: no feed sources configured (add one with "
                        "'cratrace advisories source add NAME URL')\n");
        return CT_EXIT_USAGE;
    }
    ct_buf_putc(&json, '[');
    for (size_t i = 0; i < n; i++) {
        const char *name = a->npos > 0 ? a->pos[i]
                                       : ct_cli_str(json_object_array_get_idx(arr, i), "name", "");
        ct_feed_sync_outcome r;
        memset(&r, 0, sizeof r);
        rc = ct_store_feed_sync(&r, st, name, &o);
        if (rc < 0) {
            int code = ct_cli_fail(NULL);
            worst = code > worst ? code : worst;
        }
        report(env->json ? &json : NULL, name, &r, rc, !env->json && !env->quiet);
    }
    ct_buf_putc(&json, ']');
    if (env->json)
        ct_cli_print(&json);
    ct_buf_dispose(&json);
    json_object_put(arr);
    return worst;
}

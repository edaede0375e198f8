/* `token create|list|revoke`: API tokens for `cratrace serve` (only hashes are stored). */
#include "cli.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const ct_cli_opt create_opts[] = {
    { "role", true, "admin, analyst, support, auditor or ci" },
    { NULL, false, NULL },
};

static int cmd_token_create(ct_cli_env *env, const ct_cli_args *a)
{
    char token[CT_STORE_TOKEN_SIZE];
    ct_store *st;
    int rc;

    if (!a->opt[0] || !ct_store_token_role_valid(a->opt[0])) {
        fprintf(stderr, "cratrace: token create: %s role%s%s (one of %s)\n",
                a->opt[0] ? "unknown" : "--role ROLE is required:", a->opt[0] ? " " : "",
                a->opt[0] ? a->opt[0] : "", CT_STORE_TOKEN_ROLES);
        return CT_EXIT_USAGE;
    }
    if ((rc = ct_cli_store(&st, env)) != 0)
        return rc;
    if (ct_store_token_create(token, st, a->pos[0], a->opt[0]) < 0)
        return ct_cli_fail("token create");
    if (env->json) {
        ct_buf b = CT_BUF_INIT;
        ct_buf_puts(&b, "{\"name\":");
        ct_buf_json_str(&b, a->pos[0]);
        ct_buf_printf(&b, ",\"role\":\"%s\",\"token\":\"%s\"}", a->opt[0], token);
        ct_cli_print(&b);
        sodium_memzero(b.ptr, b.len);
        ct_buf_dispose(&b);
    } else {
        printf("%s\n", token);
        if (!env->quiet)
            fprintf(stderr, "token '%s' (%s) created; it is shown only now: store it\n",
                    a->pos[0], a->opt[0]);
    }
    fflush(stdout);
    sodium_memzero(token, sizeof token);
    return 0;
}

static int cmd_token_list(ct_cli_env *env, const ct_cli_args *a)
{
    json_object *arr;
    int rc;
    (void)a;

    if ((rc = ct_cli_store_json(&arr, env, "token list", ct_store_tokens_json)) != 0 ||
        env->json)
        return rc;
    printf("%-24s %-8s %-22s %s\n", "NAME", "ROLE", "CREATED", "REVOKED");
    for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
        json_object *t = json_object_array_get_idx(arr, i);
        printf("%-24s %-8s %-22s %s\n", ct_cli_str(t, "name", "?"), ct_cli_str(t, "role", "?"),
               ct_cli_str(t, "created", "-"), ct_cli_str(t, "revoked", "-"));
    }
    json_object_put(arr);
    return 0;
}

static int cmd_token_revoke(ct_cli_env *env, const ct_cli_args *a)
{
    ct_store *st;
    int rc;
    if ((rc = ct_cli_store(&st, env)) != 0)
        return rc;
    if (ct_store_token_revoke(st, a->pos[0]) < 0)
        return ct_cli_fail("token revoke");
    if (!env->quiet)
        fprintf(stderr, "token '%s' revoked (a running serve notices within its --token-ttl)\n",
                a->pos[0]);
    return 0;
}

static const ct_cli_cmd token_cmds[] = {
    { "create", "NAME --role ROLE",
      "print a new API token for serve, once (roles: " CT_STORE_TOKEN_ROLES ")", 1, 1,
      create_opts, cmd_token_create },
    { "list", "", "API tokens: name, role, created, revoked (never the token)", 0, 0, NULL,
      cmd_token_list },
    { "revoke", "NAME", "revoke an API token", 1, 1, NULL, cmd_token_revoke },
};
const ct_cli_group ct_cli_group_token = { "token", "http", token_cmds, CT_NELEM(token_cmds) };

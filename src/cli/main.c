/* cratrace: the command-line front end. Global options, dispatch through const tables,
 * generated help. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const ct_cli_group *const groups[] = {
    &ct_cli_group_init,     &ct_cli_group_demo,       &ct_cli_group_overview,
    &ct_cli_group_product,  &ct_cli_group_release,    &ct_cli_group_sbom,
    &ct_cli_group_advisories, &ct_cli_group_match,    &ct_cli_group_affected,
    &ct_cli_group_findings, &ct_cli_group_vex, &ct_cli_group_customers,  &ct_cli_group_units,
    &ct_cli_group_unit,     &ct_cli_group_rollout,    &ct_cli_group_purl,       &ct_cli_group_version,
    &ct_cli_group_serve,
    &ct_cli_group_token,
};

static void usage(FILE *f)
{
    fprintf(f, "usage: cratrace [--db URL] [--json] [--quiet] COMMAND [ARGS]\n\n"
               "Carry the EU Cyber Resilience Act obligations for a product line: SBOMs per\n"
               "release, vulnerability matching, and the units and customers affected.\n\n"
               "commands:\n");
    for (size_t i = 0; i < CT_NELEM(groups); i++) {
        const ct_cli_group *g = groups[i];
        for (size_t k = 0; k < g->ncmds; k++) {
            const ct_cli_cmd *c = &g->cmds[k];
            char head[96];
            snprintf(head, sizeof head, "%s%s%s %s", g->name, c->name ? " " : "",
                     c->name ? c->name : "", c->usage ? c->usage : "");
            fprintf(f, "  %-44s %s\n", head, c->summary);
        }
    }
    fprintf(f, "\nglobal options:\n"
               "  --db URL     store: a SQLite file (default ./cratrace.db, or $CRATRACE_DB)\n"
               "               or postgresql://user@host:port/db\n"
               "  --json       machine-readable output\n"
               "  --quiet      no progress or summaries on stderr\n"
               "  --now TIME   fix the clock (ISO 8601), for reproducible output\n"
               "\nexit codes: 0 ok, 1 a gate failed, 2 usage, 3 bad input, 4 store or I/O error\n"
               "Run 'cratrace COMMAND --help' for a command's options.\n");
}

static void cmd_help(FILE *f, const ct_cli_group *g, const ct_cli_cmd *c)
{
    fprintf(f, "usage: cratrace %s%s%s %s\n  %s\n", g->name, c->name ? " " : "",
            c->name ? c->name : "", c->usage ? c->usage : "", c->summary);
    for (const ct_cli_opt *o = c->opts; o && o->name; o++)
        fprintf(f, "  --%s%s%*s%s\n", o->name, o->has_arg ? " VALUE" : "",
                (int)(22 - strlen(o->name) - (o->has_arg ? 6 : 0)), "", o->help);
}

/* The global options are accepted after the command too ("cratrace affected ID --json"). */
static int global_opt(ct_cli_env *env, const char **now, int argc, char **argv, int *i)
{
    const char *s = argv[*i];
    if (strcmp(s, "--json") == 0) {
        env->json = true;
        return 1;
    }
    if (strcmp(s, "--quiet") == 0) {
        env->quiet = true;
        return 1;
    }
    if (strncmp(s, "--db=", 5) == 0) {
        env->dsn = s + 5;
        return 1;
    }
    if (strncmp(s, "--now=", 6) == 0) {
        *now = s + 6;
        return 1;
    }
    if ((strcmp(s, "--db") == 0 || strcmp(s, "--now") == 0) && *i + 1 < argc) {
        if (s[2] == 'd')
            env->dsn = argv[++*i];
        else
            *now = argv[++*i];
        return 1;
    }
    return 0;
}

static int parse_args(ct_cli_args *a, ct_cli_env *env, const char **now, const ct_cli_group *g,
                      const ct_cli_cmd *c, int argc, char **argv)
{
    memset(a, 0, sizeof *a);
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i];
        if (strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0) {
            cmd_help(stdout, g, c);
            return 1;
        }
        if (global_opt(env, now, argc, argv, &i))
            continue;
        if (strncmp(s, "--", 2) == 0 && s[2]) {
            const char *name = s + 2, *eq = strchr(name, '=');
            size_t n = eq ? (size_t)(eq - name) : strlen(name);
            int k = 0;
            const ct_cli_opt *o = c->opts;
            for (; o && o->name; o++, k++)
                if (strlen(o->name) == n && strncmp(o->name, name, n) == 0)
                    break;
            if (!o || !o->name) {
                fprintf(stderr, "cratrace: unknown option '%s'\n", s);
                cmd_help(stderr, g, c);
                return -1;
            }
            if (o->has_arg) {
                if (eq) {
                    a->opt[k] = eq + 1;
                } else if (i + 1 < argc) {
                    a->opt[k] = argv[++i];
                } else {
                    fprintf(stderr, "cratrace: option --%s needs a value\n", o->name);
                    return -1;
                }
            } else {
                a->opt[k] = "";
            }
            continue;
        }
        if (a->npos == CT_CLI_MAX_POS) {
            fprintf(stderr, "cratrace: too many arguments\n");
            return -1;
        }
        a->pos[a->npos++] = s;
    }
    if (a->npos < c->min_args || a->npos > c->max_args) {
        fprintf(stderr, "cratrace: wrong number of arguments\n");
        cmd_help(stderr, g, c);
        return -1;
    }
    return 0;
}

/* Library reports (rejected records) go to stderr, one line each. */
static void log_stderr(int level, const char *msg, void *payload)
{
    (void)level;
    (void)payload;
    fprintf(stderr, "cratrace: %s\n", msg);
}

int main(int argc, char **argv)
{
    ct_cli_env env;
    ct_ctx_options o = CT_CTX_OPTIONS_INIT;
    const char *now = NULL;

    o.log = log_stderr;
    int i = 1, rc;

    memset(&env, 0, sizeof env);
    env.dsn = getenv("CRATRACE_DB");
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            env.json = true;
        } else if (strcmp(argv[i], "--quiet") == 0) {
            env.quiet = true;
        } else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            env.dsn = argv[++i];
        } else if (strncmp(argv[i], "--db=", 5) == 0) {
            env.dsn = argv[i] + 5;
        } else if (strcmp(argv[i], "--now") == 0 && i + 1 < argc) {
            now = argv[++i];
        } else if (strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--version") == 0) {
            printf("cratrace %s\n", ct_version_string());
            return 0;
        } else {
            fprintf(stderr, "cratrace: unknown option '%s'\n\n", argv[i]);
            usage(stderr);
            return CT_EXIT_USAGE;
        }
    }
    if (i >= argc) {
        usage(stderr);
        return CT_EXIT_USAGE;
    }

    const ct_cli_group *g = NULL;
    for (size_t k = 0; k < CT_NELEM(groups); k++)
        if (strcmp(groups[k]->name, argv[i]) == 0)
            g = groups[k];
    if (!g) {
        fprintf(stderr, "cratrace: unknown command '%s'\n\n", argv[i]);
        usage(stderr);
        ct_ctx_free(env.ctx);
        return CT_EXIT_USAGE;
    }
    i++;
    const ct_cli_cmd *c = NULL;
    if (g->ncmds == 1 && !g->cmds[0].name) {
        c = &g->cmds[0];
    } else if (i < argc) {
        for (size_t k = 0; k < g->ncmds; k++)
            if (strcmp(g->cmds[k].name, argv[i]) == 0)
                c = &g->cmds[k];
        if (c)
            i++;
    }
    if (!c) {
        bool asked = i < argc && strcmp(argv[i], "--help") == 0;
        if (!asked)
            fprintf(stderr, "cratrace: '%s' needs a subcommand\n", g->name);
        for (size_t k = 0; k < g->ncmds; k++)
            cmd_help(asked ? stdout : stderr, g, &g->cmds[k]);
        ct_ctx_free(env.ctx);
        return asked ? 0 : CT_EXIT_USAGE;
    }
    ct_cli_args args;
    rc = parse_args(&args, &env, &now, g, c, argc - i, argv + i);
    if (rc != 0)
        return rc > 0 ? 0 : CT_EXIT_USAGE;
    if (!env.dsn || !*env.dsn)
        env.dsn = "cratrace.db";
    o.progress = !env.quiet;
    if (ct_ctx_new(&env.ctx, &o) < 0)
        return ct_cli_fail("startup");
    if (now) {
        ct_time t;
        if (ct_time_parse(&t, now, strlen(now)) < 0) {
            fprintf(stderr, "cratrace: --now: %s\n", ct_error_last()->message);
            ct_ctx_free(env.ctx);
            return CT_EXIT_USAGE;
        }
        ct_ctx_set_now(env.ctx, t);
    }
    rc = c->handler(&env, &args);
    ct_store_close(env.store);
    ct_ctx_free(env.ctx);
    return rc;
}

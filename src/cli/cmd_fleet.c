/* Fleet commands: customers, units and unit events from CSV; the demo data set. */
#include "cli.h"
#include "cratrace/demo.h"

#include <stdio.h>
#include <string.h>

typedef int (*csv_import_fn)(ct_store *, const char *, const ct_import_options *,
                             ct_import_stats *);

static const ct_cli_opt csv_opts[] = {
    { "map", true, "header mapping ours=theirs,... (e.g. serial=SerialNo,product=Model)" },
    { "skip-bad", false, "reject bad rows and import the rest (default: all or nothing)" },
    { "rejects", true, "with --skip-bad: write rejected rows and their errors to this CSV" },
    { NULL, false, NULL },
};

static int run_csv(ct_cli_env *env, const char *path, const ct_cli_args *a, csv_import_fn fn,
                   const char *what)
{
    ct_store *st;
    ct_import_stats stats;
    ct_import_options o = { a->opt[0], a->opt[1] != NULL, a->opt[2] };
    double t0 = ct_clock_mono();
    int rc;

    if (o.reject_path && !o.skip_bad) {
        fprintf(stderr, "cratrace: --rejects needs --skip-bad\n");
        return CT_EXIT_USAGE;
    }
    memset(&stats, 0, sizeof stats);
    if ((rc = ct_cli_store(&st, env)) != 0)
        return rc;
    if (fn(st, path, &o, &stats) < 0)
        return ct_cli_fail(what);
    ct_cli_print_stats(env, what, &stats, ct_clock_mono() - t0);
    if (stats.rejected && !env->quiet)
        fprintf(stderr, "%s: %llu rows rejected%s%s\n", what,
                (unsigned long long)stats.rejected, o.reject_path ? ", see " : "",
                o.reject_path ? o.reject_path : "");
    return 0;
}

static int cmd_customers_import(ct_cli_env *env, const ct_cli_args *a)
{
    return run_csv(env, a->pos[0], a, ct_import_customers_csv_ex, "customers import");
}

static int cmd_units_import(ct_cli_env *env, const ct_cli_args *a)
{
    return run_csv(env, a->pos[0], a, ct_import_units_csv_ex, "units import");
}

static int cmd_unit_event_import(ct_cli_env *env, const ct_cli_args *a)
{
    if (strcmp(a->pos[0], "import") != 0) {
        fprintf(stderr, "cratrace: usage: cratrace unit event import CSV\n");
        return CT_EXIT_USAGE;
    }
    return run_csv(env, a->pos[1], a, ct_import_events_csv_ex, "unit event import");
}

static const ct_cli_opt export_opts[] = {
    { "product", true, "only this product" },
    { NULL, false, NULL },
};

static int cmd_units_export(ct_cli_env *env, const ct_cli_args *a)
{
    ct_store *st;
    ct_buf b = CT_BUF_INIT;
    int rc;
    if ((rc = ct_cli_store(&st, env)) != 0)
        return rc;
    if (ct_store_units_export(&b, st, a->opt[0], env->json) < 0) {
        ct_buf_dispose(&b);
        return ct_cli_fail("units export");
    }
    fwrite(b.ptr, 1, b.len, stdout);
    if (env->json)
        fputc('\n', stdout);
    ct_buf_dispose(&b);
    return 0;
}

static int cmd_customers_show(ct_cli_env *env, const ct_cli_args *a)
{
    ct_store *st;
    ct_buf b = CT_BUF_INIT;
    json_object *o, *units;
    int rc;

    if ((rc = ct_cli_store(&st, env)) != 0)
        return rc;
    if (ct_store_customer_json(&b, st, a->pos[0]) < 0) {
        ct_buf_dispose(&b);
        return ct_cli_fail("customers show");
    }
    if (env->json) {
        ct_cli_print(&b);
        ct_buf_dispose(&b);
        return 0;
    }
    o = json_tokener_parse(b.ptr);
    units = json_object_object_get(o, "units");
    printf("%s %s (%s), notify by %s to %s\n", ct_cli_str(o, "code", "?"),
           ct_cli_str(o, "name", "?"), ct_cli_str(o, "country", "-"),
           ct_cli_str(o, "channel", "?"), ct_cli_str(o, "email", "-"));
    printf("%-20s %-16s %-10s %-12s %s\n", "SERIAL", "PRODUCT", "RELEASE", "STATE",
           "ADVISORIES");
    for (size_t i = 0; units && i < json_object_array_length(units); i++) {
        json_object *u = json_object_array_get_idx(units, i);
        printf("%-20s %-16s %-10s %-12s %lld\n", ct_cli_str(u, "serial", "?"),
               ct_cli_str(u, "product", "?"), ct_cli_str(u, "release", "-"),
               ct_cli_str(u, "state", "?"), ct_cli_int(u, "advisories"));
    }
    json_object_put(o);
    ct_buf_dispose(&b);
    return 0;
}

static int cmd_rollout(ct_cli_env *env, const ct_cli_args *a)
{
    ct_store *st;
    ct_buf b = CT_BUF_INIT;
    json_object *o, *rels;
    int rc;

    if ((rc = ct_cli_store(&st, env)) != 0)
        return rc;
    if (ct_store_rollout_json(&b, st, a->pos[0]) < 0) {
        ct_buf_dispose(&b);
        return ct_cli_fail("rollout");
    }
    if (env->json) {
        ct_cli_print(&b);
        ct_buf_dispose(&b);
        return 0;
    }
    o = json_tokener_parse(b.ptr);
    rels = json_object_object_get(o, "releases");
    printf("%s (%s), supported until %s\n", ct_cli_str(o, "product", "?"),
           ct_cli_str(o, "category", "?"), ct_cli_str(o, "support_until", "(not set)"));
    printf("  %-12s %-22s %8s %s\n", "RELEASE", "RELEASED", "UNITS", "OPEN ADVISORIES");
    for (size_t i = 0; rels && i < json_object_array_length(rels); i++) {
        json_object *r = json_object_array_get_idx(rels, i);
        printf("  %-12s %-22s %8lld %lld\n", ct_cli_str(r, "release", "?"),
               ct_cli_str(r, "released", "-"), ct_cli_int(r, "units"),
               ct_cli_int(r, "advisories_open"));
    }
    printf("  %lld units in the field; %lld on releases with open advisories; %lld not on the "
           "latest release\n",
           ct_cli_int(o, "units_in_field"), ct_cli_int(o, "units_on_vulnerable_releases"),
           ct_cli_int(o, "units_behind_latest"));
    json_object_put(o);
    ct_buf_dispose(&b);
    return 0;
}

int ct_cli_product_show(ct_cli_env *env, const ct_cli_args *a)
{
    return cmd_rollout(env, a);
}

static const ct_cli_cmd rollout_cmds[] = {
    { NULL, "PRODUCT", "units per release, units on vulnerable releases, support period", 1, 1,
      NULL, cmd_rollout },
};
const ct_cli_group ct_cli_group_rollout = { "rollout", "fleet", rollout_cmds,
                                            CT_NELEM(rollout_cmds) };

static const ct_cli_cmd customers_cmds[] = {
    { "show", "CODE", "a customer, its notification channel and its units", 1, 1, NULL,
      cmd_customers_show },
    { "import", "CSV", "import customers (code,name,country,email,channel)", 1, 1, csv_opts,
      cmd_customers_import },
};
const ct_cli_group ct_cli_group_customers = { "customers", "fleet", customers_cmds,
                                              CT_NELEM(customers_cmds) };

static const ct_cli_cmd units_cmds[] = {
    { "import", "CSV",
      "import units (serial,product,hardware_revision,release,customer,manufactured,state)", 1,
      1, csv_opts, cmd_units_import },
    { "export", "[--product P]", "units as CSV (the import header) or JSON with --json", 0, 0,
      export_opts, cmd_units_export },
};
const ct_cli_group ct_cli_group_units = { "units", "fleet", units_cmds, CT_NELEM(units_cmds) };

static const ct_cli_opt unit_show_opts[] = {
    { "at", true, "the unit as it was at this time (ISO 8601, converted to UTC)" },
    { "product", true, "the product, when the serial exists in several" },
    { NULL, false, NULL },
};

static int cmd_unit_show(ct_cli_env *env, const ct_cli_args *a)
{
    ct_store *st;
    ct_buf b = CT_BUF_INIT;
    ct_time at = CT_TIME_NONE;
    json_object *o, *events, *ps;
    int rc;

    if (a->opt[0] && ct_time_parse(&at, a->opt[0], strlen(a->opt[0])) < 0) {
        fprintf(stderr, "cratrace: --at: %s\n", ct_error_last()->message);
        return CT_EXIT_USAGE;
    }
    if ((rc = ct_cli_store(&st, env)) != 0)
        return rc;
    if (ct_store_unit_show_json(&b, st, a->pos[0], a->opt[1], at) < 0) {
        ct_buf_dispose(&b);
        return ct_cli_fail("unit show");
    }
    if (env->json) {
        ct_cli_print(&b);
        ct_buf_dispose(&b);
        return 0;
    }
    o = json_tokener_parse(b.ptr);
    printf("%s (%s)%s%s\n", ct_cli_str(o, "serial", "?"), ct_cli_str(o, "product", "?"),
           at != CT_TIME_NONE ? " as of " : "", at != CT_TIME_NONE ? ct_cli_str(o, "at", "") : "");
    printf("  hardware revision  %s\n", ct_cli_str(o, "hardware_revision", "-"));
    printf("  release            %s\n", ct_cli_str(o, "release", "-"));
    printf("  customer           %s %s\n", ct_cli_str(o, "customer", "-"),
           ct_cli_str(o, "customer_name", ""));
    printf("  state              %s (since %s)\n", ct_cli_str(o, "state", "-"),
           ct_cli_str(o, "since", "-"));
    printf("  manufactured       %s\n", ct_cli_str(o, "manufactured", "-"));
    ps = json_object_object_get(o, "param_set");
    if (ps)
        printf("  parameter set      %s@%s%s%s\n", ct_cli_str(ps, "name", "?"),
               ct_cli_str(ps, "version", "?"), json_object_object_get(ps, "content_hash") ? "  " : "",
               ct_cli_str(ps, "content_hash", ""));
    else
        printf("  parameter set      -\n");
    events = json_object_object_get(o, "events");
    printf("  events%s:\n", at != CT_TIME_NONE ? " up to then" : "");
    for (size_t i = 0; events && i < json_object_array_length(events); i++) {
        json_object *e = json_object_array_get_idx(events, i);
        printf("    %s  %-13s", ct_cli_str(e, "time", "?"), ct_cli_str(e, "kind", "?"));
        if (json_object_object_get_ex(e, "from_release", NULL))
            printf(" %s ->", ct_cli_str(e, "from_release", ""));
        if (json_object_object_get_ex(e, "to_release", NULL))
            printf(" %s", ct_cli_str(e, "to_release", ""));
        if (json_object_object_get_ex(e, "param_set_to", NULL))
            printf(" %s -> %s", ct_cli_str(e, "param_set_from", "-"),
                   ct_cli_str(e, "param_set_to", ""));
        if (json_object_object_get_ex(e, "customer", NULL))
            printf(" customer %s", ct_cli_str(e, "customer", ""));
        if (json_object_object_get_ex(e, "rma", NULL))
            printf(" RMA %s", ct_cli_str(e, "rma", ""));
        if (json_object_object_get_ex(e, "other_serial", NULL))
            printf(" with %s", ct_cli_str(e, "other_serial", ""));
        if (json_object_object_get_ex(e, "result", NULL))
            printf(" (%s)", ct_cli_str(e, "result", ""));
        if (json_object_object_get_ex(e, "detail", NULL))
            printf("  %s", ct_cli_str(e, "detail", ""));
        printf("\n");
    }
    json_object_put(o);
    ct_buf_dispose(&b);
    return 0;
}

static const ct_cli_cmd unit_cmds[] = {
    { "show", "SERIAL [--at TIME]", "what a unit is (or was at TIME), ran and belonged to", 1, 1,
      unit_show_opts, cmd_unit_show },
    { "event", "import CSV",
      "import unit events (serial,product,time,kind,from_release,to_release,detail,...)", 2, 2,
      csv_opts, cmd_unit_event_import },
};
const ct_cli_group ct_cli_group_unit = { "unit", "fleet", unit_cmds, CT_NELEM(unit_cmds) };

/* ---- demo ------------------------------------------------------------------------------ */

static const ct_cli_opt demo_opts[] = {
    { "dir", true, "where to write the generated data set (default ./demo-data)" },
    { "units", true, "number of units (default 5000)" },
    { "customers", true, "number of customers (default 200)" },
    { "seed", true, "generator seed (default 20260101)" },
    { "real", true, "also import real OSV advisories from this path (file or directory)" },
    { "generate-only", false, "write the files, do not import them" },
    { NULL, false, NULL },
};

static int opt_u(unsigned *out, const char *s, const char *name, int64_t max)
{
    int64_t v;
    if (!s)
        return 0;
    if (ct_parse_i64(&v, s, strlen(s), 1, max) < 0) {
        fprintf(stderr, "cratrace: --%s: %s\n", name, ct_error_last()->message);
        return -1;
    }
    *out = (unsigned)v;
    return 0;
}

static int cmd_demo(ct_cli_env *env, const ct_cli_args *a)
{
    ct_demo_options o = CT_DEMO_OPTIONS_INIT;
    const char *dir = a->opt[0] ? a->opt[0] : "demo-data";
    ct_import_stats stats;
    ct_store *st;
    double t0 = ct_clock_mono();
    int rc;

    if (opt_u(&o.units, a->opt[1], "units", 1000000) < 0 ||
        opt_u(&o.customers, a->opt[2], "customers", 99999) < 0)
        return CT_EXIT_USAGE;
    if (a->opt[3]) {
        int64_t seed;
        if (ct_parse_i64(&seed, a->opt[3], strlen(a->opt[3]), 0, INT64_MAX) < 0) {
            fprintf(stderr, "cratrace: --seed: %s\n", ct_error_last()->message);
            return CT_EXIT_USAGE;
        }
        o.seed = (uint64_t)seed;
    }
    if (ct_demo_generate(dir, &o) < 0)
        return ct_cli_fail("demo");
    if (!env->quiet && !env->json)
        fprintf(stderr, "demo: generated %u units, %u customers in %s/\n", o.units, o.customers,
                dir);
    if (a->opt[5])
        return 0;
    if ((rc = ct_cli_store(&st, env)) != 0)
        return rc;
    memset(&stats, 0, sizeof stats);
    if (ct_demo_load(st, dir, &stats) < 0)
        return ct_cli_fail("demo");
    ct_cli_print_stats(env, "demo", &stats, ct_clock_mono() - t0);
    if (a->opt[4]) {
        memset(&stats, 0, sizeof stats);
        t0 = ct_clock_mono();
        if (ct_import_advisories(st, a->opt[4], &stats) < 0)
            return ct_cli_fail("demo: real advisories");
        ct_cli_print_stats(env, "real advisories", &stats, ct_clock_mono() - t0);
    }
    return 0;
}

static const ct_cli_cmd demo_cmds[] = {
    { NULL, "[--dir DIR] [--real PATH]", "generate and load the sample fleet", 0, 0, demo_opts,
      cmd_demo },
};
const ct_cli_group ct_cli_group_demo = { "demo", "demo", demo_cmds, CT_NELEM(demo_cmds) };

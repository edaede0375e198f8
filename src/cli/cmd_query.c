/* Answers: affected (advisory → releases, units, customers), findings, overview. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static void print_affected(json_object *o, int max_customers)
{
    json_object *rels = json_object_object_get(o, "releases");
    json_object *custs = json_object_object_get(o, "customers");
    json_object *aliases = json_object_object_get(o, "aliases");
    size_t nrel = rels ? json_object_array_length(rels) : 0;
    size_t ncust = custs ? json_object_array_length(custs) : 0;

    printf("%s", ct_cli_str(o, "advisory", "?"));
    for (size_t i = 0; aliases && i < json_object_array_length(aliases); i++)
        printf("%s%s", i ? ", " : " (", json_object_get_string(json_object_array_get_idx(aliases, i)));
    if (aliases && json_object_array_length(aliases))
        printf(")");
    printf(": %s\n", ct_cli_str(o, "summary", "(no summary)"));
    if (strcmp(ct_cli_str(o, "at", ""), "") != 0)
        printf("  units counted as they were at %s\n", ct_cli_str(o, "at", ""));
    if (strcmp(ct_cli_str(o, "withdrawn", ""), "") != 0)
        printf("  WITHDRAWN %s: findings retracted\n", ct_cli_str(o, "withdrawn", ""));
    if (!nrel) {
        printf("  no release is affected\n");
        return;
    }
    printf("  affected: %zu release%s, %lld unit%s in the field, %zu customer%s\n", nrel,
           nrel == 1 ? "" : "s", ct_cli_int(o, "units_total"),
           ct_cli_int(o, "units_total") == 1 ? "" : "s", ncust, ncust == 1 ? "" : "s");
    for (size_t i = 0; i < nrel; i++) {
        json_object *r = json_object_array_get_idx(rels, i);
        json_object *comps = json_object_object_get(r, "components");
        printf("  %s %s: %lld units\n", ct_cli_str(r, "product", "?"),
               ct_cli_str(r, "release", "?"), ct_cli_int(r, "units"));
        for (size_t k = 0; comps && k < json_object_array_length(comps); k++) {
            json_object *c = json_object_array_get_idx(comps, k);
            printf("    %s %s  because %s is in %s\n", ct_cli_str(c, "name", "?"),
                   ct_cli_str(c, "version", "?"), ct_cli_str(c, "purl", "(no purl)"),
                   ct_cli_str(c, "range", "?"));
        }
    }
    if (ncust) {
        printf("  customers to notify%s:\n", (int)ncust > max_customers ? " (top by units)" : "");
        for (size_t i = 0; i < ncust && (int)i < max_customers; i++) {
            json_object *c = json_object_array_get_idx(custs, i);
            printf("    %-8s %-40s %lld units\n", ct_cli_str(c, "id", "?"),
                   ct_cli_str(c, "name", "?"), ct_cli_int(c, "units"));
        }
        if ((int)ncust > max_customers)
            printf("    ... and %zu more (use --json for all)\n", ncust - (size_t)max_customers);
    }
}

static const ct_cli_opt affected_opts[] = {
    { "at", true, "count units as they were at this time (ISO 8601)" },
    { NULL, false, NULL },
};

static int cmd_affected(ct_cli_env *env, const ct_cli_args *a)
{
    ct_store *st;
    ct_buf b = CT_BUF_INIT;
    ct_time at = CT_TIME_NONE;
    int rc;

    if (a->opt[0] && ct_time_parse(&at, a->opt[0], strlen(a->opt[0])) < 0) {
        fprintf(stderr, "cratrace: --at: %s\n", ct_error_last()->message);
        return CT_EXIT_USAGE;
    }
    if ((rc = ct_cli_store(&st, env)) != 0)
        return rc;
    if (ct_store_affected_json_at(&b, st, a->pos[0], at) < 0) {
        ct_buf_dispose(&b);
        return ct_cli_fail("affected");
    }
    if (env->json) {
        ct_cli_print(&b);
    } else {
        json_object *o = json_tokener_parse(b.ptr);
        print_affected(o, 10);
        json_object_put(o);
    }
    ct_buf_dispose(&b);
    return 0;
}

static const ct_cli_cmd affected_cmds[] = {
    { NULL, "ADVISORY-ID [--at TIME]",
      "releases, units and customers affected by an advisory, and why", 1, 1, affected_opts,
      cmd_affected },
};
const ct_cli_group ct_cli_group_affected = { "affected", "impact", affected_cmds,
                                             CT_NELEM(affected_cmds) };

static const ct_cli_opt findings_opts[] = {
    { "product", true, "only this product" },
    { "state", true, "only this state: not_affected, affected, fixed, under_investigation, "
                     "in_triage (no statement yet)" },
    { "explain", false, "say for each finding which record, range and rule produced it" },
    { NULL, false, NULL },
};

static void explain_finding(json_object *f)
{
    printf("%s %s: %s %s\n", ct_cli_str(f, "product", "?"), ct_cli_str(f, "release", "?"),
           ct_cli_str(f, "component", "?"), ct_cli_str(f, "version", "?"));
    printf("  advisory   %s", ct_cli_str(f, "advisory", "?"));
    json_object *al = json_object_object_get(f, "aliases");
    for (size_t i = 0; al && i < json_object_array_length(al); i++)
        printf("%s%s", i ? ", " : " (", json_object_get_string(json_object_array_get_idx(al, i)));
    printf("%s\n", al && json_object_array_length(al) ? ")" : "");
    printf("  component  %s\n", ct_cli_str(f, "purl", "(no purl)"));
    /* every source record that produced the finding, with the range and rule it matched by */
    json_object *recs = json_object_object_get(f, "records");
    for (size_t i = 0; recs && i < json_object_array_length(recs); i++) {
        json_object *r = json_object_array_get_idx(recs, i);
        printf("  record     %s from %s (%s)\n", ct_cli_str(r, "advisory", "?"),
               ct_cli_str(r, "source", "?"), ct_cli_str(r, "origin", "origin not recorded"));
        printf("    range    %s\n", ct_cli_str(r, "range", "?"));
        printf("    rule     %s: the component's package key equals the range's package and "
               "its version lies in the range under that version scheme\n",
               ct_cli_str(r, "rule", "?"));
    }
    if (!recs) {
        printf("  range      %s\n", ct_cli_str(f, "range", "?"));
        printf("  rule       %s\n", ct_cli_str(f, "rule", "?"));
    }
    printf("  severity   %s (from %s", ct_cli_str(f, "severity", "unknown"),
           ct_cli_str(f, "severity_source", "no source"));
    json_object *sr = json_object_object_get(f, "severity_record");
    if (sr)
        printf(" of %s record %s", ct_cli_str(sr, "source", "?"), ct_cli_str(sr, "id", "?"));
    printf(")");
    if (json_object_object_get(f, "kev"))
        printf("; in CISA KEV: actively exploited");
    if (json_object_object_get(f, "epss"))
        printf("; EPSS %s (percentile %s)", ct_cli_str(f, "epss", "?"),
               ct_cli_str(f, "epss_percentile", "?"));
    printf("\n");
    printf("  state      %s", ct_cli_str(f, "state", "?"));
    json_object *t = json_object_object_get(f, "triage");
    if (t) {
        if (json_object_object_get(t, "justification"))
            printf(" (%s)", ct_cli_str(t, "justification", ""));
        printf(", stated by %s at %s", ct_cli_str(t, "by", "?"), ct_cli_str(t, "at", "?"));
        if (json_object_object_get(t, "inherited_from"))
            printf(", inherited from release %s", ct_cli_str(t, "inherited_from", "?"));
        if (json_object_object_get(t, "note"))
            printf("\n  note       %s", ct_cli_str(t, "note", ""));
    }
    printf("\n\n");
}

static int cmd_findings(ct_cli_env *env, const ct_cli_args *a)
{
    ct_store *st;
    ct_buf b = CT_BUF_INIT;
    json_object *arr;
    int rc;

    if (a->opt[1] && strcmp(a->opt[1], "in_triage") != 0 && !ct_store_vex_state_valid(a->opt[1])) {
        fprintf(stderr, "cratrace: findings: --state must be one of not_affected, affected, "
                        "fixed, under_investigation, in_triage\n");
        return CT_EXIT_USAGE;
    }
    if ((rc = ct_cli_store(&st, env)) != 0)
        return rc;
    if (ct_store_findings_json(&b, st, a->opt[0], a->opt[1]) < 0) {
        ct_buf_dispose(&b);
        return ct_cli_fail("findings");
    }
    if (env->json) {
        ct_cli_print(&b);
        ct_buf_dispose(&b);
        return 0;
    }
    arr = json_tokener_parse(b.ptr);
    if (a->opt[2]) {
        for (size_t i = 0; arr && i < json_object_array_length(arr); i++)
            explain_finding(json_object_array_get_idx(arr, i));
        json_object_put(arr);
        ct_buf_dispose(&b);
        return 0;
    }
    printf("%-16s %-10s %-24s %-22s %-10s %s\n", "PRODUCT", "RELEASE", "COMPONENT", "ADVISORY",
           "STATE", "RANGE");
    for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
        json_object *f = json_object_array_get_idx(arr, i);
        char comp[200];
        snprintf(comp, sizeof comp, "%s@%s", ct_cli_str(f, "component", "?"),
                 ct_cli_str(f, "version", "?"));
        printf("%-16s %-10s %-24s %-22s %-10s %s\n", ct_cli_str(f, "product", "?"),
               ct_cli_str(f, "release", "?"), comp, ct_cli_str(f, "advisory", "?"),
               ct_cli_str(f, "state", "?"), ct_cli_str(f, "range", "?"));
    }
    json_object_put(arr);
    ct_buf_dispose(&b);
    return 0;
}

static const ct_cli_cmd findings_cmds[] = {
    { NULL, "[--product P] [--state S] [--explain]",
      "list findings (component x advisory) with the rule",
      0, 0, findings_opts, cmd_findings },
};
const ct_cli_group ct_cli_group_findings = { "findings", "triage", findings_cmds,
                                             CT_NELEM(findings_cmds) };

static const ct_cli_opt overview_opts[] = {
    { "top", true, "how many advisories to detail (default 5)" },
    { NULL, false, NULL },
};

/* The manufacturer's first question: which releases, units and customers are affected by
 * known vulnerabilities, and why. */
static int cmd_overview(ct_cli_env *env, const ct_cli_args *a)
{
    ct_store *st;
    ct_buf b = CT_BUF_INIT, one = CT_BUF_INIT;
    json_object *o, *counts, *advs;
    int64_t top = 5;
    int rc;

    if (a->opt[0] && ct_parse_i64(&top, a->opt[0], strlen(a->opt[0]), 0, 100000) < 0) {
        fprintf(stderr, "cratrace: --top: %s\n", ct_error_last()->message);
        return CT_EXIT_USAGE;
    }
    if ((rc = ct_cli_store(&st, env)) != 0)
        return rc;
    if (ct_store_summary_json(&b, st) < 0)
        return ct_cli_fail("overview");
    if (env->json) {
        ct_cli_print(&b);
        ct_buf_dispose(&b);
        return 0;
    }
    o = json_tokener_parse(b.ptr);
    counts = json_object_object_get(o, "counts");
    advs = json_object_object_get(o, "advisories_with_findings");
    printf("store: %lld products, %lld releases, %lld components, %lld units, %lld customers, "
           "%lld advisories, %lld findings\n",
           ct_cli_int(counts, "products"), ct_cli_int(counts, "releases"),
           ct_cli_int(counts, "components"), ct_cli_int(counts, "units"),
           ct_cli_int(counts, "customers"), ct_cli_int(counts, "advisories"),
           ct_cli_int(counts, "findings"));
    printf("%zu advisories affect at least one release%s\n\n",
           advs ? json_object_array_length(advs) : 0, top ? "; the widest first:" : "");
    for (size_t i = 0; advs && i < json_object_array_length(advs) && (int64_t)i < top; i++) {
        const char *id = ct_cli_str(json_object_array_get_idx(advs, i), "advisory", "");
        ct_buf_reset(&one);
        if (ct_store_affected_json(&one, st, id) < 0) {
            rc = ct_cli_fail("overview");
            break;
        }
        json_object *aj = json_tokener_parse(one.ptr);
        print_affected(aj, 3);
        printf("\n");
        json_object_put(aj);
    }
    json_object_put(o);
    ct_buf_dispose(&b);
    ct_buf_dispose(&one);
    return rc;
}

static const ct_cli_cmd overview_cmds[] = {
    { NULL, "[--top N]", "what is affected by known vulnerabilities, and why", 0, 0,
      overview_opts, cmd_overview },
};
const ct_cli_group ct_cli_group_overview = { "overview", "answers", overview_cmds,
                                             CT_NELEM(overview_cmds) };

/* ---- advisories show ------------------------------------------------------------------- */

static void print_names(const char *label, json_object *arr)
{
    size_t n = arr ? json_object_array_length(arr) : 0;
    if (!n)
        return;
    printf("    %-10s", label);
    for (size_t i = 0; i < n; i++)
        printf("%s%s", i ? ", " : "", json_object_get_string(json_object_array_get_idx(arr, i)));
    printf("\n");
}

static void print_advisory(json_object *o)
{
    json_object *recs = json_object_object_get(o, "records");
    json_object *by = json_object_object_get(o, "related_by");
    size_t nrec = recs ? json_object_array_length(recs) : 0;

    printf("%s", ct_cli_str(o, "advisory", "?"));
    json_object *al = json_object_object_get(o, "aliases");
    for (size_t i = 0; al && i < json_object_array_length(al); i++)
        printf("%s%s", i ? ", " : " (", json_object_get_string(json_object_array_get_idx(al, i)));
    printf("%s: %zu record%s\n", al && json_object_array_length(al) ? ")" : "", nrec,
           nrec == 1 ? "" : "s");
    json_object *sr = json_object_object_get(o, "severity_record");
    printf("  severity %s", ct_cli_str(o, "severity", "unknown"));
    if (sr && json_object_object_get(o, "severity"))
        printf(" (from %s record %s)", ct_cli_str(sr, "source", "?"), ct_cli_str(sr, "id", "?"));
    printf("\n");
    for (size_t i = 0; i < nrec; i++) {
        json_object *r = json_object_array_get_idx(recs, i);
        json_object *ranges = json_object_object_get(r, "ranges");
        printf("  record %s from %s (%s)\n", ct_cli_str(r, "id", "?"), ct_cli_str(r, "source", "?"),
               ct_cli_str(r, "origin", "origin not recorded"));
        if (json_object_object_get(r, "withdrawn"))
            printf("    WITHDRAWN %s: its findings are retracted\n",
                   ct_cli_str(r, "withdrawn", ""));
        printf("    summary   %s\n", ct_cli_str(r, "summary", "(none)"));
        printf("    severity  %s", ct_cli_str(r, "severity", "(none)"));
        if (json_object_object_get(r, "cvss"))
            printf("  cvss %s", ct_cli_str(r, "cvss", ""));
        printf("\n    published %s  modified %s\n", ct_cli_str(r, "published", "-"),
               ct_cli_str(r, "modified", "-"));
        print_names("aliases", json_object_object_get(r, "aliases"));
        print_names("related", json_object_object_get(r, "related"));
        for (size_t k = 0; ranges && k < json_object_array_length(ranges); k++) {
            json_object *g = json_object_array_get_idx(ranges, k);
            printf("    range     %s %s (%s%s%s)\n", ct_cli_str(g, "package", "?"),
                   ct_cli_str(g, "range", "?"), ct_cli_str(g, "type", "?"),
                   *ct_cli_str(g, "ecosystem", "") ? ", " : "", ct_cli_str(g, "ecosystem", ""));
        }
    }
    for (size_t i = 0; by && i < json_object_array_length(by); i++) {
        json_object *r = json_object_array_get_idx(by, i);
        printf("  related from %s (%s)\n", ct_cli_str(r, "id", "?"), ct_cli_str(r, "source", "?"));
    }
}

int ct_cli_adv_show(ct_cli_env *env, const ct_cli_args *a)
{
    ct_store *st;
    ct_buf b = CT_BUF_INIT;
    int rc;

    if ((rc = ct_cli_store(&st, env)) != 0)
        return rc;
    if (ct_store_advisory_show_json(&b, st, a->pos[0]) < 0) {
        ct_buf_dispose(&b);
        return ct_cli_fail("advisories show");
    }
    if (env->json) {
        ct_cli_print(&b);
    } else {
        json_object *o = json_tokener_parse(b.ptr);
        print_advisory(o);
        json_object_put(o);
    }
    ct_buf_dispose(&b);
    return 0;
}

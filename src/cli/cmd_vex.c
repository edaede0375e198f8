/* vex: triage statements (OpenVEX state and justification, who, when) about an advisory in one
 * release; later releases inherit them while the component version is unchanged. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { O_STATE, O_JUSTIFICATION, O_COMPONENT, O_NOTE, O_BY };

static const ct_cli_opt vex_set_opts[] = {
    [O_STATE] = { "state", true, "not_affected, affected, fixed or under_investigation" },
    [O_JUSTIFICATION] = { "justification", true,
                          "with not_affected: component_not_present, "
                          "vulnerable_code_not_present, vulnerable_code_not_in_execute_path, "
                          "vulnerable_code_cannot_be_controlled_by_adversary, "
                          "inline_mitigations_already_exist" },
    [O_COMPONENT] = { "component", true, "only this component (purl as in the SBOM)" },
    [O_NOTE] = { "note", true, "free text (the impact statement)" },
    [O_BY] = { "by", true, "who makes the statement (default $CRATRACE_ACTOR, else $USER)" },
    { NULL, false, NULL },
};

static int cmd_vex_set(ct_cli_env *env, const ct_cli_args *a)
{
    ct_vex_statement v;
    ct_vex_set_result res;
    ct_store *st;
    int rc;

    memset(&v, 0, sizeof v);
    v.product = a->pos[0];
    v.version = a->pos[1];
    v.advisory = a->pos[2];
    v.state = a->opt[O_STATE];
    v.justification = a->opt[O_JUSTIFICATION];
    v.component_purl = a->opt[O_COMPONENT];
    v.note = a->opt[O_NOTE];
    v.actor = a->opt[O_BY] ? a->opt[O_BY] : getenv("CRATRACE_ACTOR");
    if (!v.actor || !*v.actor)
        v.actor = getenv("USER");
    if (!v.state || !ct_store_vex_state_valid(v.state)) {
        fprintf(stderr, "cratrace: vex set: --state must be one of not_affected, affected, "
                        "fixed, under_investigation\n");
        return CT_EXIT_USAGE;
    }
    if (v.justification && !ct_store_vex_justification_valid(v.justification)) {
        fprintf(stderr, "cratrace: vex set: --justification '%s' is not an OpenVEX "
                        "justification (see --help)\n",
                v.justification);
        return CT_EXIT_USAGE;
    }
    if (v.justification && strcmp(v.state, "not_affected") != 0) {
        fprintf(stderr, "cratrace: vex set: --justification goes only with --state "
                        "not_affected\n");
        return CT_EXIT_USAGE;
    }
    if (strcmp(v.state, "not_affected") == 0 && !v.justification && !v.note) {
        fprintf(stderr, "cratrace: vex set: not_affected needs --justification or --note "
                        "(OpenVEX requires one)\n");
        return CT_EXIT_USAGE;
    }
    if (!v.actor || !*v.actor) {
        fprintf(stderr, "cratrace: vex set: say who makes the statement (--by NAME)\n");
        return CT_EXIT_USAGE;
    }
    if ((rc = ct_cli_store(&st, env)) != 0)
        return rc;
    if (ct_store_vex_set(&res, st, &v) < 0)
        return ct_cli_fail("vex set");
    if (env->json) {
        ct_buf b = CT_BUF_INIT;
        ct_buf_printf(&b, "{\"statement\":%lld,\"product\":", (long long)res.statement_id);
        ct_buf_json_str(&b, v.product);
        ct_buf_puts(&b, ",\"release\":");
        ct_buf_json_str(&b, v.version);
        ct_buf_puts(&b, ",\"advisory\":");
        ct_buf_json_str(&b, res.advisory);
        ct_buf_puts(&b, ",\"state\":");
        ct_buf_json_str(&b, v.state);
        ct_buf_printf(&b, ",\"findings\":%llu}", (unsigned long long)res.findings);
        if (b.failed) {
            ct_buf_dispose(&b);
            fprintf(stderr, "cratrace: vex set: out of memory\n");
            return CT_EXIT_STORE;
        }
        ct_cli_print(&b);
        ct_buf_dispose(&b);
    } else {
        printf("%s %s: %s is %s%s%s%s, by %s (%llu finding%s)\n", v.product, v.version,
               res.advisory, v.state, v.justification ? " (" : "",
               v.justification ? v.justification : "", v.justification ? ")" : "", v.actor,
               (unsigned long long)res.findings, res.findings == 1 ? "" : "s");
    }
    return 0;
}

static const ct_cli_cmd vex_cmds[] = {
    { "set",
      "PRODUCT VERSION ADVISORY --state S [--justification J] [--component PURL] [--note TEXT]",
      "triage an advisory in a release (later releases inherit it while the component version "
      "is unchanged)",
      3, 3, vex_set_opts, cmd_vex_set },
};
const ct_cli_group ct_cli_group_vex = { "vex", "triage", vex_cmds, CT_NELEM(vex_cmds) };

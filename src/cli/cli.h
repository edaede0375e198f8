/* CLI internals: command tables, option parsing, the per-run environment. */
#ifndef CT_CLI_H
#define CT_CLI_H

#include "cratrace/base.h"
#include "cratrace/store.h"

#include <json-c/json.h>

#define CT_EXIT_OK 0
#define CT_EXIT_GATE 1
#define CT_EXIT_USAGE 2
#define CT_EXIT_INPUT 3
#define CT_EXIT_STORE 4

#define CT_CLI_MAX_OPTS 12
#define CT_CLI_MAX_POS 64

typedef struct ct_cli_opt {
    const char *name; /* "product" for --product */
    bool has_arg;
    const char *help;
} ct_cli_opt;

typedef struct ct_cli_args {
    const char *opt[CT_CLI_MAX_OPTS]; /* value, "" for a set flag, NULL when absent */
    const char *pos[CT_CLI_MAX_POS];
    int npos;
} ct_cli_args;

typedef struct ct_cli_env {
    ct_ctx *ctx;
    const char *dsn;
    ct_store *store; /* opened on first use */
    bool json;
    bool quiet;
} ct_cli_env;

typedef int (*ct_cli_handler)(ct_cli_env *env, const ct_cli_args *args);

typedef struct ct_cli_cmd {
    const char *name; /* NULL: the group itself is the command */
    const char *usage;
    const char *summary;
    int min_args, max_args;
    const ct_cli_opt *opts; /* NULL-terminated by name, may be NULL */
    ct_cli_handler handler;
} ct_cli_cmd;

typedef struct ct_cli_group {
    const char *name;
    const char *summary;
    const ct_cli_cmd *cmds;
    size_t ncmds;
} ct_cli_group;

/** Open the store on first use; prints the error and returns an exit code on failure. */
int ct_cli_store(ct_store **out, ct_cli_env *env);
/** A command's JSON from the store: open it (ct_cli_store) and run fetch(b, st). With --json,
 * print it and set *out NULL; otherwise *out is the parsed JSON (NEW, json_object_put; NULL
 * only without memory). 0, or an exit code with the error printed ("what: ..."). */
int ct_cli_store_json(json_object **out, ct_cli_env *env, const char *what,
                      int (*fetch)(ct_buf *b, ct_store *st));
/** Print the last error to stderr and map its code to an exit code. */
int ct_cli_fail(const char *what);
/** Map a status code to the CLI exit code (0, 3 bad input, 4 store/IO). */
int ct_cli_exit_code(int rc);
/** Write a buffer to stdout followed by a newline. */
void ct_cli_print(const ct_buf *b);
/** Print import statistics (people) or JSON. */
void ct_cli_print_stats(const ct_cli_env *env, const char *what, const ct_import_stats *s,
                        double seconds);

/** A string member of a JSON object, or dflt when absent or null. */
const char *ct_cli_str(json_object *o, const char *key, const char *dflt);
/** An integer member of a JSON object (0 when absent). */
long long ct_cli_int(json_object *o, const char *key);

int ct_cli_sbom_validate(ct_cli_env *env, const ct_cli_args *a);
int ct_cli_sbom_convert(ct_cli_env *env, const ct_cli_args *a);
int ct_cli_sbom_export(ct_cli_env *env, const ct_cli_args *a);
/** ct_sbom_write_ex(sbom, format, o) into path (NULL: stdout), handed to the file as it is
 * written (o->sink), never held whole in memory; a path is written to path.tmp and renamed into
 * place on success (removed on failure). Returns what ct_sbom_write_ex returns (cmd_sbom.c). */
int ct_cli_sbom_write_to(const char *path, const ct_sbom *sbom, const char *format,
                         ct_sbom_write_options *o);
/** `sbom diff A B`: files or PRODUCT@VERSION releases (cmd_sbom_diff.c). */
int ct_cli_sbom_diff(ct_cli_env *env, const ct_cli_args *a);
/** `sbom merge -o OUT --name N PART...` (cmd_sbom_diff.c). */
int ct_cli_sbom_merge(ct_cli_env *env, const ct_cli_args *a);
extern const ct_cli_opt ct_cli_sbom_merge_opts[];
/** `product show NAME`: the product, its CRA category, support period and releases with
 * their units and open advisories (the rollout view). */
int ct_cli_product_show(ct_cli_env *env, const ct_cli_args *a);

/** `version match SCHEME A OP B` (cmd_version_match.c): prints true or false. */
int ct_cli_version_match(ct_cli_env *env, const ct_cli_args *a);

/** `advisories source add|list|remove` and `advisories sync` (cmd_sync.c). */
extern const ct_cli_opt ct_cli_adv_source_opts[], ct_cli_adv_sync_opts[];
int ct_cli_adv_source(ct_cli_env *env, const ct_cli_args *a);
/** `advisories show ID [--json]` (cmd_query.c): the records of an identity, per source. */
int ct_cli_adv_show(ct_cli_env *env, const ct_cli_args *a);
int ct_cli_adv_sync(ct_cli_env *env, const ct_cli_args *a);

/* SBOM quality profiles and waivers (cmd_sbom_profile.c). */
typedef struct ct_cli_profile_run {
    ct_sbom_profile_report *report; /* verdict and counts; the findings are not kept: printing
                                     * runs the checks again and writes each as it comes */
    ct_sbom_waiver *waivers; /* the findings borrow from these */
    size_t nwaivers;
    ct_sbom *sbom;         /* what the checks run on, kept for printing */
    ct_sbom_facts *facts;
} ct_cli_profile_run;
struct ct_sbom_report;           /* cratrace/sbom_validate.h */
struct ct_sbom_validate_options; /* cratrace/sbom_validate.h */
/** `sbom validate --profile`: validate data[0..len) with o into *report_out (NEW,
 * ct_sbom_report_free) and, when it is valid, run the profile (waivers of product/release when
 * product is not NULL) on the model and facts of the same pass; drop(drop_payload), when not
 * NULL, may drop the resident pages of a file mapping (ct_file_map_release). Returns 0 or an
 * exit code (error printed). Dispose run with ct_cli_profile_run_dispose. */
int ct_cli_sbom_profile_eval(struct ct_sbom_report **report_out, ct_cli_profile_run *run,
                             ct_cli_env *env, const char *profile, const char *product,
                             const char *release, const char *data, size_t len,
                             const char *source, const struct ct_sbom_validate_options *o,
                             void (*drop)(void *), void *drop_payload);
void ct_cli_profile_run_dispose(ct_cli_profile_run *run);
/** Append ,"profile":{...} (the extra member of `sbom validate --json`); b's bytes so far are
 * written to stdout whenever it passes a MiB (b is for stdout, printed after it). 0 or an exit
 * code (error printed). */
int ct_cli_sbom_profile_json(ct_buf *b, const ct_cli_profile_run *run);
/** Print the profile's part of `sbom validate`; 0 or an exit code (error printed). */
int ct_cli_sbom_profile_text(const ct_cli_profile_run *run);
extern const ct_cli_opt ct_cli_sbom_waive_opts[], ct_cli_sbom_waivers_opts[];
int ct_cli_sbom_waive(ct_cli_env *env, const ct_cli_args *a);
int ct_cli_sbom_waivers(ct_cli_env *env, const ct_cli_args *a);

extern const ct_cli_group ct_cli_group_init, ct_cli_group_demo, ct_cli_group_product,
    ct_cli_group_release, ct_cli_group_sbom, ct_cli_group_advisories, ct_cli_group_match,
    ct_cli_group_affected, ct_cli_group_findings, ct_cli_group_overview, ct_cli_group_units,
    ct_cli_group_unit, ct_cli_group_customers, ct_cli_group_rollout, ct_cli_group_version, ct_cli_group_purl;
/* triage: `vex set` (cmd_vex.c) */
extern const ct_cli_group ct_cli_group_vex;
/* `serve` (cmd_serve.c) and `token create|list|revoke` (cmd_token.c): the HTTP API */
extern const ct_cli_group ct_cli_group_serve, ct_cli_group_token;

#endif

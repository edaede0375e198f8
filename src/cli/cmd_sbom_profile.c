/* SBOM quality profiles on the command line: `sbom validate FILE --profile ntia|bsi
 * [--product P [--release V]]` (waivers of that product/release applied), `sbom waive` and
 * `sbom waivers`. See docs/sbom-profiles.md. */
#include "cli.h"
#include "cratrace/sbom_profile.h"
#include "cratrace/sbom_validate.h"
#include "sbom/profile_int.h" /* one tape for report, model and facts (valprof) */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The facts read from the validator's tape (CycloneDX JSON, ct_sbom__parse_validate_tape). */
typedef struct {
    const ct_ctx *ctx;
    ct_sbom_facts *facts;
    bool read; /* the callback ran */
} tape_facts;

static int facts_on_tape(void *payload, const ct_jtape *t)
{
    tape_facts *tf = payload;
    tf->read = true;
    return ct_sbom__facts_from_tape(&tf->facts, tf->ctx, t);
}

/* A failure kept for later, so that the checks the old order ran first still come first. */
typedef struct {
    int code; /* 0: none */
    char *text;
} held_error;

static void hold(held_error *h)
{
    h->code = ct_error_last()->code ? ct_error_last()->code : CT_EFAIL;
    h->text = ct_strdup(ct_error_format());
}

int ct_cli_sbom_profile_eval(struct ct_sbom_report **report_out, ct_cli_profile_run *run,
                             ct_cli_env *env, const char *profile, const char *product,
                             const char *release, const char *data, size_t len,
                             const char *source, const struct ct_sbom_validate_options *o,
                             void (*drop)(void *), void *drop_payload)
{
    tape_facts tf = { env->ctx, NULL, false };
    held_error held = { 0, NULL };
    ct_sbom_report *r = NULL;
    ct_sbom *sbom = NULL;
    ct_store *st;
    int rc;

    memset(run, 0, sizeof *run);
    *report_out = NULL;
    /* one pass: the report, the model and (CycloneDX JSON) the facts from one tape; the
     * mapping's pages dropped as it goes (issue 5, valprof) */
    if (ct_sbom__parse_validate_tape(&sbom, &r, env->ctx, data, len, source, o, drop,
                                     drop_payload, facts_on_tape, &tf) < 0)
        return ct_cli_fail(tf.read ? "sbom validate: profile" : "sbom validate");
    *report_out = r;
    if (!r->valid) { /* the profile runs only on a valid document (an invalid one fails) */
        ct_sbom_free(sbom);
        ct_sbom_facts_free(tf.facts);
        return 0;
    }
    if (!sbom) /* the reader refused it: reported after the usage checks, as before */
        hold(&held);
    else if (!tf.read && (rc = ct_sbom__facts_from_xml_model(&tf.facts, sbom)) != 0) {
        /* CycloneDX XML: the facts from the validator's one SAX pass (issue 5, xml9) */
        if (rc < 0)
            hold(&held);
    } else if (!tf.read) {
        /* SPDX, and XML the SAX pass left to the tree reader: the facts from the bytes once
         * more, the model in memory */
        if (drop)
            drop(drop_payload);
        if (ct_sbom__facts_read_released(&tf.facts, env->ctx, data, len, source, drop,
                                         drop_payload) < 0) {
            if (ct_error_last()->code != CT_EUNSUPPORTED) {
                hold(&held);
            } else {
                /* no facts for this input: the fields only the facts carry are reported as
                 * not available (they fail) */
                fprintf(stderr, "cratrace: note: %s\n", ct_error_last()->message);
                ct_error_clear();
            }
        }
    }
    if (drop)
        drop(drop_payload);
    rc = 0;
    if (!ct_sbom_profile_known(profile)) {
        fprintf(stderr, "cratrace: --profile must be ntia or bsi\n");
        rc = CT_EXIT_USAGE;
    } else if (release && !product) {
        fprintf(stderr, "cratrace: --release needs --product\n");
        rc = CT_EXIT_USAGE;
    } else if (product) {
        if ((rc = ct_cli_store(&st, env)) == 0 &&
            ct_store_waivers_list(&run->waivers, &run->nwaivers, st, product, release,
                                  profile) < 0)
            rc = ct_cli_fail("sbom validate: waivers");
    }
    if (rc == 0 && held.code) {
        fprintf(stderr, "cratrace: sbom validate: profile: %s\n",
                held.text ? held.text : "out of memory");
        rc = ct_cli_exit_code(held.code);
    }
    /* the verdict and counts first (they are printed before the findings); the findings
     * are produced again while printing, not kept */
    if (rc == 0 &&
        ct_sbom__profile_check_each(&run->report, sbom, tf.facts, profile, run->waivers,
                                    run->nwaivers, NULL, NULL) < 0)
        rc = ct_cli_fail("sbom validate: profile");
    run->sbom = sbom;
    run->facts = tf.facts;
    ct_free(held.text);
    return rc;
}

void ct_cli_profile_run_dispose(ct_cli_profile_run *run)
{
    ct_sbom_profile_report_free(run->report);
    ct_sbom_facts_free(run->facts);
    ct_sbom_free(run->sbom);
    ct_sbom_waivers_free(run->waivers, run->nwaivers);
    memset(run, 0, sizeof *run);
}

static void json_str_or_null(ct_buf *b, const char *s)
{
    if (s)
        ct_buf_json_str(b, s);
    else
        ct_buf_puts(b, "null");
}

static void json_time(ct_buf *b, ct_time t)
{
    char ts[32];
    ct_time_format(ts, t);
    ct_buf_json_str(b, ts);
}

/* The findings are written as the second run of the checks produces them (none kept: a `bsi`
 * report of a 100 MB SBOM has ~925,000; issue 5, valprof), the JSON to stdout in pieces of
 * about a MiB (the whole would be ~200 MB). */
typedef struct {
    ct_buf *b;
    size_t n;
} json_sink;

static int json_finding(void *payload, const ct_sbom_profile_finding *f)
{
    json_sink *js = payload;
    ct_buf *b = js->b;
    ct_buf_puts(b, js->n++ ? ",{\"component\":" : "{\"component\":");
    json_str_or_null(b, f->component);
    ct_buf_puts(b, ",\"purl\":");
    json_str_or_null(b, f->purl);
    ct_buf_puts(b, ",\"field\":");
    ct_buf_json_str(b, f->field);
    ct_buf_puts(b, ",\"requirement\":");
    ct_buf_json_str(b, f->requirement);
    ct_buf_puts(b, ",\"message\":");
    ct_buf_json_str(b, f->message);
    ct_buf_puts(b, ",\"waived\":");
    if (f->waiver) {
        ct_buf_printf(b, "{\"id\":%lld,\"reason\":", (long long)f->waiver->id);
        ct_buf_json_str(b, f->waiver->reason);
        ct_buf_puts(b, ",\"by\":");
        ct_buf_json_str(b, f->waiver->actor);
        ct_buf_puts(b, ",\"at\":");
        json_time(b, f->waiver->created);
        ct_buf_puts(b, ",\"release\":");
        json_str_or_null(b, f->waiver->release);
        ct_buf_putc(b, '}');
    } else {
        ct_buf_puts(b, "null");
    }
    ct_buf_putc(b, '}');
    if (b->failed)
        return ct_error_set(CT_ENOMEM, "out of memory");
    if (b->len >= ((size_t)1 << 20)) {
        fwrite(b->ptr, 1, b->len, stdout);
        ct_buf_reset(b);
    }
    return 0;
}

/* The findings again, as the first run found them (same model, facts and waivers). */
static int findings_again(const ct_cli_profile_run *run, ct_sbom__finding_fn each,
                          void *payload)
{
    ct_sbom_profile_report *again = NULL;
    int rc = ct_sbom__profile_check_each(&again, run->sbom, run->facts, run->report->profile,
                                         run->waivers, run->nwaivers, each, payload);
    if (rc == 0 && again->nfindings != run->report->nfindings)
        rc = ct_error_set(CT_EFAIL, "the profile's second run found %zu findings, not %zu",
                          again->nfindings, run->report->nfindings);
    ct_sbom_profile_report_free(again);
    return rc < 0 ? ct_cli_fail("sbom validate: profile") : 0;
}

int ct_cli_sbom_profile_json(ct_buf *b, const ct_cli_profile_run *run)
{
    const ct_sbom_profile_report *p = run->report;
    json_sink js = { b, 0 };
    int rc;
    ct_buf_puts(b, ",\"profile\":{\"name\":");
    ct_buf_json_str(b, p->profile);
    ct_buf_printf(b,
                  ",\"passed\":%s,\"score\":%.4f,\"checks\":%zu,\"satisfied\":%zu,"
                  "\"failed\":%zu,\"waived\":%zu,\"findings\":[",
                  p->passed ? "true" : "false", p->score, p->checks, p->satisfied, p->failed,
                  p->waived);
    if ((rc = findings_again(run, json_finding, &js)) != 0)
        return rc;
    ct_buf_puts(b, "]}");
    return 0;
}

static int text_finding(void *payload, const ct_sbom_profile_finding *f)
{
    (void)payload;
    printf("  %s %s [%s] %s: %s", f->waiver ? "waived" : "FAIL  ",
           f->component ? f->component : "(document)", f->requirement, f->field, f->message);
    if (f->waiver) {
        char ts[32];
        ct_time_format(ts, f->waiver->created);
        printf(" (waived by %s at %s: %s)", f->waiver->actor, ts, f->waiver->reason);
    }
    putchar('\n');
    return 0;
}

int ct_cli_sbom_profile_text(const ct_cli_profile_run *run)
{
    const ct_sbom_profile_report *p = run->report;
    printf("profile %s: %s, score %.4f (%zu of %zu checks satisfied), %zu failed, %zu waived\n",
           p->profile, p->passed ? "passed" : "FAILED", p->score, p->satisfied, p->checks,
           p->failed, p->waived);
    return findings_again(run, text_finding, NULL);
}

/* ---- sbom waive / sbom waivers ------------------------------------------------------------ */

const ct_cli_opt ct_cli_sbom_waive_opts[] = {
    { "product", true, "product the waiver belongs to (required)" },
    { "release", true, "only this release (default: every release of the product)" },
    { "profile", true, "ntia or bsi (required)" },
    { "field", true, "the profile field, e.g. hash-sha512 (required; see docs/sbom-profiles.md)" },
    { "component", true, "only this component: bom-ref, SPDXID or purl (default: every one)" },
    { "reason", true, "why the gap is accepted (required)" },
    { "by", true, "who accepts it (default: $USER)" },
    { NULL, false, NULL },
};

int ct_cli_sbom_waive(ct_cli_env *env, const ct_cli_args *a)
{
    ct_sbom_waiver w;
    ct_store *st;
    int64_t id = 0;
    int rc;

    memset(&w, 0, sizeof w);
    w.product = (char *)(uintptr_t)a->opt[0];
    w.release = (char *)(uintptr_t)a->opt[1];
    w.profile = (char *)(uintptr_t)a->opt[2];
    w.field = (char *)(uintptr_t)a->opt[3];
    w.component = (char *)(uintptr_t)a->opt[4];
    w.reason = (char *)(uintptr_t)a->opt[5];
    w.actor = (char *)(uintptr_t)(a->opt[6] ? a->opt[6] : getenv("USER"));
    w.created = CT_TIME_NONE;
    if (!w.product || !w.profile || !w.field || !w.reason || !*w.reason) {
        fprintf(stderr, "cratrace: sbom waive needs --product, --profile, --field and "
                        "--reason\n");
        return CT_EXIT_USAGE;
    }
    if (!ct_sbom_profile_known(w.profile)) {
        fprintf(stderr, "cratrace: --profile must be ntia or bsi\n");
        return CT_EXIT_USAGE;
    }
    if (!ct_sbom_profile_field_known(w.profile, w.field)) {
        fprintf(stderr, "cratrace: --field must be one of: %s\n",
                ct_sbom_profile_fields(w.profile));
        return CT_EXIT_USAGE;
    }
    if (!w.actor || !*w.actor) {
        fprintf(stderr, "cratrace: say who accepts the gap with --by NAME\n");
        return CT_EXIT_USAGE;
    }
    if ((rc = ct_cli_store(&st, env)) != 0)
        return rc;
    if (ct_store_waiver_add(&id, st, &w) < 0)
        return ct_cli_fail("sbom waive");
    if (env->json)
        printf("{\"id\":%lld}\n", (long long)id);
    else if (!env->quiet)
        printf("waiver %lld: %s %s %s%s%s\n", (long long)id, w.product, w.profile, w.field,
               w.component ? " of " : "", w.component ? w.component : "");
    return 0;
}

const ct_cli_opt ct_cli_sbom_waivers_opts[] = {
    { "product", true, "product (required)" },
    { "release", true, "only the waivers that apply to this release" },
    { "profile", true, "only this profile (ntia or bsi)" },
    { "remove", true, "remove the waiver with this id instead of listing" },
    { NULL, false, NULL },
};

int ct_cli_sbom_waivers(ct_cli_env *env, const ct_cli_args *a)
{
    ct_sbom_waiver *w = NULL;
    size_t n = 0;
    ct_store *st;
    int rc;

    if (a->opt[3]) {
        int64_t id = 0;
        if (ct_parse_i64(&id, a->opt[3], strlen(a->opt[3]), 1, INT64_MAX) < 0) {
            ct_error_clear();
            fprintf(stderr, "cratrace: --remove needs a waiver id\n");
            return CT_EXIT_USAGE;
        }
        if ((rc = ct_cli_store(&st, env)) != 0)
            return rc;
        if (ct_store_waiver_remove(st, id) < 0)
            return ct_cli_fail("sbom waivers --remove");
        if (env->json)
            printf("{\"removed\":%lld}\n", (long long)id);
        return 0;
    }
    if (!a->opt[0]) {
        fprintf(stderr, "cratrace: sbom waivers needs --product\n");
        return CT_EXIT_USAGE;
    }
    if (a->opt[2] && !ct_sbom_profile_known(a->opt[2])) {
        fprintf(stderr, "cratrace: --profile must be ntia or bsi\n");
        return CT_EXIT_USAGE;
    }
    if ((rc = ct_cli_store(&st, env)) != 0)
        return rc;
    if (ct_store_waivers_list(&w, &n, st, a->opt[0], a->opt[1], a->opt[2]) < 0)
        return ct_cli_fail("sbom waivers");
    if (env->json) {
        ct_buf b = CT_BUF_INIT;
        ct_buf_putc(&b, '[');
        for (size_t i = 0; i < n; i++) {
            ct_buf_printf(&b, "%s{\"id\":%lld,\"product\":", i ? "," : "", (long long)w[i].id);
            ct_buf_json_str(&b, w[i].product);
            ct_buf_puts(&b, ",\"release\":");
            json_str_or_null(&b, w[i].release);
            ct_buf_puts(&b, ",\"profile\":");
            ct_buf_json_str(&b, w[i].profile);
            ct_buf_puts(&b, ",\"field\":");
            ct_buf_json_str(&b, w[i].field);
            ct_buf_puts(&b, ",\"component\":");
            json_str_or_null(&b, w[i].component);
            ct_buf_puts(&b, ",\"reason\":");
            ct_buf_json_str(&b, w[i].reason);
            ct_buf_puts(&b, ",\"by\":");
            ct_buf_json_str(&b, w[i].actor);
            ct_buf_puts(&b, ",\"at\":");
            json_time(&b, w[i].created);
            ct_buf_putc(&b, '}');
        }
        ct_buf_putc(&b, ']');
        rc = b.failed ? ct_error_set(CT_ENOMEM, "out of memory") : 0;
        if (rc == 0)
            ct_cli_print(&b);
        ct_buf_dispose(&b);
    } else {
        rc = 0;
        for (size_t i = 0; i < n; i++) {
            char ts[32];
            ct_time_format(ts, w[i].created);
            printf("%lld\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", (long long)w[i].id, w[i].product,
                   w[i].release ? w[i].release : "*", w[i].profile, w[i].field,
                   w[i].component ? w[i].component : "*", w[i].actor, ts, w[i].reason);
        }
    }
    ct_sbom_waivers_free(w, n);
    return rc < 0 ? ct_cli_fail("sbom waivers") : 0;
}

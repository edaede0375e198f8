/* SBOM quality profiles on the command line: `sbom validate FILE --profile ntia|bsi
 * [--product P [--release V]]` (waivers of that product/release applied), `sbom waive` and
 * `sbom waivers`. See docs/sbom-profiles.md. */
#include "cli.h"
#include "cratrace/sbom_profile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ct_cli_sbom_profile_eval(ct_cli_profile_run *run, ct_cli_env *env, const char *profile,
                             const char *product, const char *release, const char *data,
                             size_t len, const char *source)
{
    ct_sbom *sbom = NULL;
    ct_sbom_facts *facts = NULL;
    ct_store *st;
    int rc;

    memset(run, 0, sizeof *run);
    if (!ct_sbom_profile_known(profile)) {
        fprintf(stderr, "cratrace: --profile must be ntia or bsi\n");
        return CT_EXIT_USAGE;
    }
    if (release && !product) {
        fprintf(stderr, "cratrace: --release needs --product\n");
        return CT_EXIT_USAGE;
    }
    if (product) {
        if ((rc = ct_cli_store(&st, env)) != 0)
            return rc;
        if (ct_store_waivers_list(&run->waivers, &run->nwaivers, st, product, release,
                                  profile) < 0)
            return ct_cli_fail("sbom validate: waivers");
    }
    if (ct_sbom_parse(&sbom, env->ctx, data, len, source) < 0)
        return ct_cli_fail("sbom validate: profile");
    if (ct_sbom_facts_read(&facts, env->ctx, data, len, source) < 0) {
        if (ct_error_last()->code != CT_EUNSUPPORTED) {
            ct_sbom_free(sbom);
            return ct_cli_fail("sbom validate: profile");
        }
        /* no facts for this input: the fields only the facts carry are reported as not
         * available (they fail) */
        fprintf(stderr, "cratrace: note: %s\n", ct_error_last()->message);
        ct_error_clear();
    }
    rc = ct_sbom_profile_check(&run->report, sbom, facts, profile, run->waivers,
                               run->nwaivers);
    ct_sbom_facts_free(facts);
    ct_sbom_free(sbom);
    return rc < 0 ? ct_cli_fail("sbom validate: profile") : 0;
}

void ct_cli_profile_run_dispose(ct_cli_profile_run *run)
{
    ct_sbom_profile_report_free(run->report);
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

void ct_cli_sbom_profile_json(ct_buf *b, const ct_sbom_profile_report *p)
{
    ct_buf_puts(b, ",\"profile\":{\"name\":");
    ct_buf_json_str(b, p->profile);
    ct_buf_printf(b,
                  ",\"passed\":%s,\"score\":%.4f,\"checks\":%zu,\"satisfied\":%zu,"
                  "\"failed\":%zu,\"waived\":%zu,\"findings\":[",
                  p->passed ? "true" : "false", p->score, p->checks, p->satisfied, p->failed,
                  p->waived);
    for (size_t i = 0; i < p->nfindings; i++) {
        const ct_sbom_profile_finding *f = &p->findings[i];
        ct_buf_puts(b, i ? ",{\"component\":" : "{\"component\":");
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
    }
    ct_buf_puts(b, "]}");
}

void ct_cli_sbom_profile_text(const ct_sbom_profile_report *p)
{
    printf("profile %s: %s, score %.4f (%zu of %zu checks satisfied), %zu failed, %zu waived\n",
           p->profile, p->passed ? "passed" : "FAILED", p->score, p->satisfied, p->checks,
           p->failed, p->waived);
    for (size_t i = 0; i < p->nfindings; i++) {
        const ct_sbom_profile_finding *f = &p->findings[i];
        printf("  %s %s [%s] %s: %s", f->waiver ? "waived" : "FAIL  ",
               f->component ? f->component : "(document)", f->requirement, f->field,
               f->message);
        if (f->waiver) {
            char ts[32];
            ct_time_format(ts, f->waiver->created);
            printf(" (waived by %s at %s: %s)", f->waiver->actor, ts, f->waiver->reason);
        }
        putchar('\n');
    }
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

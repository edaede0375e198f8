/* SBOM commands beyond import: validate (exact locations) and convert between formats. */
#include "cli.h"
#include "base/file_map.h"
#include "cratrace/sbom_validate.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int ct_cli_sbom_validate(ct_cli_env *env, const ct_cli_args *a)
{
    ct_sbom_validate_options o = CT_SBOM_VALIDATE_OPTIONS_INIT;
    ct_sbom_report *r = NULL;
    ct_file_map in;
    int rc;

    ct_cli_profile_run prof = { NULL, NULL, 0, NULL, NULL };
    if (!a->opt[0] && (a->opt[2] || a->opt[3])) {
        fprintf(stderr, "cratrace: --product/--release select waivers for --profile\n");
        return CT_EXIT_USAGE;
    }
    o.schema_dir = a->opt[1];
    if (a->opt[4])
        o.xsd = CT_SBOM_XSD_ON;
    /* mapped, not copied (issue 5): stdin and the like are read as ct_file_read, same errors */
    if (ct_file_map_open(&in, a->pos[0], ct_ctx_limits(env->ctx)->max_doc_bytes, 0) < 0)
        return ct_cli_fail("sbom validate");
    /* --profile on CycloneDX XML: validation, model and facts in the validator's one SAX pass,
     * which drops the mapping's pages behind it (issue 5, xml9; valprof's page-dropping thread
     * for the three passes before is gone) */
    if (!a->opt[0]) {
        if (ct_sbom_validate_ex(&r, env->ctx, in.data, in.len, a->pos[0], &o) < 0) {
            ct_file_map_close(&in);
            return ct_cli_fail("sbom validate");
        }
    } else if ((rc = ct_cli_sbom_profile_eval(
                    &r, &prof, env, a->opt[0], a->opt[2], a->opt[3], in.data, in.len, a->pos[0],
                    &o, ct_file_map_mapped(&in) ? ct_file_map_release : NULL, &in)) != 0) {
        ct_file_map_close(&in);
        ct_cli_profile_run_dispose(&prof);
        ct_sbom_report_free(r);
        return rc;
    }
    /* what was read is what the file held: a change while it was read is an I/O error */
    rc = ct_file_map_check(&in, a->pos[0]);
    ct_file_map_close(&in);
    if (rc < 0) {
        ct_cli_profile_run_dispose(&prof);
        ct_sbom_report_free(r);
        return ct_cli_fail("sbom validate");
    }
    if (env->json) {
        ct_buf b = CT_BUF_INIT;
        ct_buf_printf(&b, "{\"valid\":%s,\"format\":", r->valid ? "true" : "false");
        if (r->format)
            ct_buf_json_str(&b, r->format);
        else
            ct_buf_puts(&b, "null");
        ct_buf_puts(&b, ",\"spec_version\":");
        if (r->spec_version)
            ct_buf_json_str(&b, r->spec_version);
        else
            ct_buf_puts(&b, "null");
        ct_buf_printf(&b, ",\"schema_checked\":%s,\"errors\":[",
                      r->schema_checked ? "true" : "false");
        for (size_t i = 0; i < r->nerrors; i++) {
            ct_buf_puts(&b, i ? ",{\"location\":" : "{\"location\":");
            ct_buf_json_str(&b, r->errors[i].location ? r->errors[i].location : "");
            ct_buf_puts(&b, ",\"message\":");
            ct_buf_json_str(&b, r->errors[i].message ? r->errors[i].message : "");
            ct_buf_putc(&b, '}');
        }
        ct_buf_putc(&b, ']');
        if (prof.report && (rc = ct_cli_sbom_profile_json(&b, &prof)) != 0) {
            ct_buf_dispose(&b);
            ct_cli_profile_run_dispose(&prof);
            ct_sbom_report_free(r);
            return rc;
        }
        ct_buf_putc(&b, '}');
        ct_cli_print(&b);
        ct_buf_dispose(&b);
    } else {
        bool xml = r->format && strcmp(r->format, "cyclonedx-xml") == 0;
        printf("%s: %s %s %s%s%s%s\n", a->pos[0], r->format ? r->format : "unknown format",
               r->spec_version ? r->spec_version : "", r->valid ? "valid" : "INVALID",
               !xml ? "" : r->schema_checked ? " (checked against bom-" : " (C rules, no XSD)",
               xml && r->schema_checked && r->spec_version ? r->spec_version : "",
               xml && r->schema_checked ? ".xsd)" : "");
        for (size_t i = 0; i < r->nerrors; i++)
            printf("  %s: %s\n", r->errors[i].location ? r->errors[i].location : "",
                   r->errors[i].message ? r->errors[i].message : "");
        if (prof.report && (rc = ct_cli_sbom_profile_text(&prof)) != 0) {
            ct_cli_profile_run_dispose(&prof);
            ct_sbom_report_free(r);
            return rc;
        }
    }
    rc = r->valid && (!prof.report || prof.report->passed) ? CT_EXIT_OK : CT_EXIT_GATE;
    ct_cli_profile_run_dispose(&prof);
    ct_sbom_report_free(r);
    return rc;
}

typedef struct {
    const char *format;
    int renamed;
} notes;

static void lost(void *payload, const char *field, const char *ref)
{
    const notes *n = payload;
    fprintf(stderr, "cratrace: %s cannot hold %s%s%s: left out\n", n->format, field,
            ref ? " of " : "", ref ? ref : "");
}

static void renamed(void *payload, const char *from, const char *to)
{
    notes *n = payload;
    n->renamed++;
    fprintf(stderr, "cratrace: %s: identifier %s written as %s\n", n->format, from, to);
}

typedef struct {
    FILE *f;
    const char *path;
} file_sink;

static int file_sink_put(void *payload, const char *data, size_t len)
{
    file_sink *fs = payload;
    if (fwrite(data, 1, len, fs->f) != len) {
        ct_loc loc = { fs->path, 0, 0, -1, NULL };
        return ct_error_set_at(&loc, CT_EIO, "write failed: %s", strerror(errno));
    }
    return 0;
}

int ct_cli_sbom_write_to(const char *path, const ct_sbom *sbom, const char *format,
                         ct_sbom_write_options *o)
{
    char tmp[4096];
    file_sink fs = { stdout, path ? path : "-" };
    ct_buf out = CT_BUF_INIT;
    int rc;

    if (path) { /* as ct_file_write: a temporary file renamed into place */
        snprintf(tmp, sizeof tmp, "%s.tmp", path);
        if (!(fs.f = fopen(tmp, "wb"))) {
            ct_loc loc = { path, 0, 0, -1, NULL };
            return ct_error_set_at(&loc, CT_EIO, "cannot write: %s", strerror(errno));
        }
    }
    o->sink = file_sink_put;
    o->sink_payload = &fs;
    rc = ct_sbom_write_ex(&out, sbom, format, o);
    ct_buf_dispose(&out);
    if (!path)
        return rc;
    if (fclose(fs.f) != 0 && rc >= 0) {
        ct_loc loc = { path, 0, 0, -1, NULL };
        rc = ct_error_set_at(&loc, CT_EIO, "write failed: %s", strerror(errno));
    }
    if (rc >= 0 && rename(tmp, path) != 0) {
        ct_loc loc = { path, 0, 0, -1, NULL };
        rc = ct_error_set_at(&loc, CT_EIO, "rename failed: %s", strerror(errno));
    }
    if (rc < 0)
        remove(tmp);
    return rc;
}

int ct_cli_sbom_convert(ct_cli_env *env, const ct_cli_args *a)
{
    static const char *const formats[] = { "cyclonedx-json", "cyclonedx-xml", "spdx-json",
                                            "spdx-tv" };
    ct_sbom_write_options o = CT_SBOM_WRITE_OPTIONS_INIT;
    notes n = { a->opt[0], 0 };
    ct_sbom *sbom = NULL;
    bool known = false;
    int rc;

    for (size_t i = 0; a->opt[0] && i < CT_NELEM(formats); i++)
        known = known || strcmp(a->opt[0], formats[i]) == 0;
    if (!known) {
        fprintf(stderr, "cratrace: --format must be cyclonedx-json, cyclonedx-xml, spdx-json or "
                        "spdx-tv\n");
        return CT_EXIT_USAGE;
    }
    o.spec_version = a->opt[1];
    o.created = ct_ctx_now(env->ctx);
    o.lost = lost;
    o.renamed = renamed;
    o.payload = &n;
    /* mapped, not copied: the file does not stay resident beside the model */
    if (ct_sbom_parse_file(&sbom, env->ctx, a->pos[0]) < 0)
        return ct_cli_fail("sbom convert");
    /* written as it is made, not held whole in memory */
    rc = ct_cli_sbom_write_to(a->pos[1], sbom, a->opt[0], &o);
    ct_sbom_free(sbom);
    if (rc < 0)
        return ct_cli_fail("sbom convert");
    if (!env->quiet && !env->json)
        fprintf(stderr, "wrote %s (%s)%s\n", a->pos[1], a->opt[0],
                rc ? "; see above for what the target format cannot hold" : "");
    if (env->json)
        printf("{\"output\":\"%s\",\"format\":\"%s\",\"lost\":%d,\"renamed\":%d}\n", a->pos[1],
               a->opt[0], rc, n.renamed);
    return 0;
}

int ct_cli_sbom_export(ct_cli_env *env, const ct_cli_args *a)
{
    static const char *const formats[] = { "cyclonedx-json", "cyclonedx-xml", "spdx-json",
                                            "spdx-tv" };
    ct_sbom_write_options o = CT_SBOM_WRITE_OPTIONS_INIT;
    const char *format = a->opt[0] ? a->opt[0] : "cyclonedx-json";
    notes n = { format, 0 };
    ct_store *st;
    ct_sbom *sbom = NULL;
    bool known = false;
    int rc;

    for (size_t i = 0; i < CT_NELEM(formats); i++)
        known = known || strcmp(format, formats[i]) == 0;
    if (!known) {
        fprintf(stderr, "cratrace: --format must be cyclonedx-json, cyclonedx-xml, spdx-json or "
                        "spdx-tv\n");
        return CT_EXIT_USAGE;
    }
    if ((rc = ct_cli_store(&st, env)) != 0)
        return rc;
    o.spec_version = a->opt[1];
    o.created = ct_ctx_now(env->ctx);
    o.lost = lost;
    o.renamed = renamed;
    o.payload = &n;
    if (ct_store_release_sbom(&sbom, st, a->pos[0], a->pos[1]) < 0)
        return ct_cli_fail("sbom export");
    /* written as it is made (to --output atomically, else stdout), not held whole */
    rc = ct_cli_sbom_write_to(a->opt[2], sbom, format, &o);
    ct_sbom_free(sbom);
    return rc < 0 ? ct_cli_fail("sbom export") : 0;
}

/* Commands over the evidence store: init, product, release, sbom, advisories, match. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static int cmd_init(ct_cli_env *env, const ct_cli_args *a)
{
    ct_store *st;
    int rc;
    (void)a;
    if ((rc = ct_cli_store(&st, env)) != 0)
        return rc;
    if (env->json)
        printf("{\"store\":\"%s\",\"ok\":true}\n", ct_store_backend(st));
    else if (!env->quiet)
        printf("store ready (%s): %s\n", ct_store_backend(st), env->dsn);
    return 0;
}

static const ct_cli_cmd init_cmds[] = {
    { NULL, "", "create or migrate the store", 0, 0, NULL, cmd_init },
};
const ct_cli_group ct_cli_group_init = { "init", "store", init_cmds, CT_NELEM(init_cmds) };

/* ---- product ------------------------------------------------------------------------- */

static const ct_cli_opt product_add_opts[] = {
    { "category", true, "default, class-i, class-ii or critical (CRA Annex III/IV)" },
    { "support-until", true, "end of the support period, YYYY-MM or YYYY-MM-DD" },
    { "vendor", true, "manufacturer name" },
    { NULL, false, NULL },
};

static int parse_month(ct_time *out, const char *s)
{
    char buf[16];
    size_t n = strlen(s);
    if (n == 7 && n + 3 < sizeof buf) {
        /* YYYY-MM: the support period runs to the end of that month */
        memcpy(buf, s, 7);
        memcpy(buf + 7, "-01", 4);
        if (ct_time_parse(out, buf, 10) < 0)
            return -1;
        int64_t y = 0;
        int64_t m = 0;
        if (ct_parse_i64(&y, s, 4, 1970, 9999) < 0 || ct_parse_i64(&m, s + 5, 2, 1, 12) < 0)
            return -1;
        *out = ct_time_from_civil(m == 12 ? y + 1 : y, (unsigned)(m == 12 ? 1 : m + 1), 1, 0, 0,
                                  0) - 1;
        return 0;
    }
    return ct_time_parse(out, s, n);
}

static int cmd_product_add(ct_cli_env *env, const ct_cli_args *a)
{
    static const char *const cats[] = { "default", "class-i", "class-ii", "critical" };
    ct_store *st;
    ct_time until = CT_TIME_NONE;
    int64_t id;
    int rc;
    bool ok = !a->opt[0];

    for (size_t i = 0; !ok && i < CT_NELEM(cats); i++)
        ok = strcmp(a->opt[0], cats[i]) == 0;
    if (!ok) {
        fprintf(stderr, "cratrace: --category must be default, class-i, class-ii or critical\n");
        return CT_EXIT_USAGE;
    }
    if (a->opt[1] && parse_month(&until, a->opt[1]) < 0) {
        fprintf(stderr, "cratrace: --support-until: expected YYYY-MM or YYYY-MM-DD\n");
        return CT_EXIT_USAGE;
    }
    if ((rc = ct_cli_store(&st, env)) != 0)
        return rc;
    if (ct_store_product_add(&id, st, a->pos[0], a->opt[2], a->opt[0], until) < 0)
        return ct_cli_fail("product add");
    if (env->json)
        printf("{\"product\":\"%s\",\"id\":%lld}\n", a->pos[0], (long long)id);
    else
        printf("product %s added\n", a->pos[0]);
    return 0;
}

static int cmd_product_list(ct_cli_env *env, const ct_cli_args *a)
{
    json_object *arr;
    int rc;
    (void)a;
    if ((rc = ct_cli_store_json(&arr, env, "product list", ct_store_products_json)) != 0 ||
        env->json)
        return rc;
    printf("%-24s %-10s %-14s %8s %8s\n", "PRODUCT", "CATEGORY", "SUPPORT UNTIL", "RELEASES",
           "UNITS");
    for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
        json_object *p = json_object_array_get_idx(arr, i);
        printf("%-24s %-10s %-14s %8d %8d\n",
               json_object_get_string(json_object_object_get(p, "name")),
               json_object_get_string(json_object_object_get(p, "category")),
               ct_cli_str(p, "support_until", "-"),
               json_object_get_int(json_object_object_get(p, "releases")),
               json_object_get_int(json_object_object_get(p, "units")));
    }
    json_object_put(arr);
    return 0;
}

static const ct_cli_cmd product_cmds[] = {
    { "add", "NAME", "register a product with its CRA category and support period", 1, 1,
      product_add_opts, cmd_product_add },
    { "list", "", "list products", 0, 0, NULL, cmd_product_list },
    { "show", "NAME", "a product: CRA category, support period, releases and their units", 1, 1,
      NULL, ct_cli_product_show },
};
const ct_cli_group ct_cli_group_product = { "product", "products", product_cmds,
                                            CT_NELEM(product_cmds) };

/* ---- release / sbom import -------------------------------------------------------------- */

static int import_sbom(ct_cli_env *env, const char *path, const char *product,
                       const char *version, const char *date)
{
    ct_store *st;
    ct_import_stats stats;
    ct_time released = CT_TIME_NONE;
    int64_t rid;
    double t0 = ct_clock_mono();
    int rc;

    memset(&stats, 0, sizeof stats);
    if (date && ct_time_parse(&released, date, strlen(date)) < 0) {
        fprintf(stderr, "cratrace: --date: expected ISO 8601\n");
        return CT_EXIT_USAGE;
    }
    if ((rc = ct_cli_store(&st, env)) != 0)
        return rc;
    if (ct_import_sbom_file(&rid, st, path, product, version, released, &stats) < 0)
        return ct_cli_fail(NULL);
    ct_cli_print_stats(env, "sbom", &stats, ct_clock_mono() - t0);
    return 0;
}

static const ct_cli_opt release_opts[] = {
    { "sbom", true, "SBOM file of this release (CycloneDX JSON 1.4-1.6)" },
    { "date", true, "release date (ISO 8601)" },
    { NULL, false, NULL },
};

static int cmd_release_add(ct_cli_env *env, const ct_cli_args *a)
{
    if (!a->opt[0]) {
        ct_store *st;
        int64_t pid;
        ct_time released = CT_TIME_NONE;
        int rc;
        if (a->opt[1] && ct_time_parse(&released, a->opt[1], strlen(a->opt[1])) < 0) {
            fprintf(stderr, "cratrace: --date: expected ISO 8601\n");
            return CT_EXIT_USAGE;
        }
        if ((rc = ct_cli_store(&st, env)) != 0)
            return rc;
        if (ct_store_product_find(&pid, st, a->pos[0]) < 0 ||
            ct_store_release_add(NULL, st, pid, a->pos[1], released, NULL, NULL, NULL) < 0)
            return ct_cli_fail("release add");
        return 0;
    }
    return import_sbom(env, a->opt[0], a->pos[0], a->pos[1], a->opt[1]);
}

static const ct_cli_cmd release_cmds[] = {
    { "add", "PRODUCT VERSION [--sbom FILE]", "add a release and its SBOM", 2, 2, release_opts,
      cmd_release_add },
};
const ct_cli_group ct_cli_group_release = { "release", "releases", release_cmds,
                                            CT_NELEM(release_cmds) };

static const ct_cli_opt sbom_import_opts[] = {
    { "product", true, "product name (default: metadata.component.name)" },
    { "release", true, "release version (default: metadata.component.version)" },
    { "date", true, "release date (ISO 8601)" },
    { NULL, false, NULL },
};

static int cmd_sbom_import(ct_cli_env *env, const ct_cli_args *a)
{
    return import_sbom(env, a->pos[0], a->opt[0], a->opt[1], a->opt[2]);
}

static const ct_cli_opt sbom_validate_opts[] = {
    { "profile", true, "ntia or bsi quality profile: score and findings, exit 1 when it fails" },
    { "schema-dir", true, "CycloneDX schema folder; XML: also the XSD (default: $CT_CYCLONEDX_SCHEMA_DIR)" },
    { "product", true, "apply this product's SBOM waivers to the --profile findings" },
    { "release", true, "with --product: also the waivers of this release" },
    { "xsd", false, "CycloneDX XML: also validate against bom-1.x.xsd (slow; default folder "
                    "unless --schema-dir)" },
    { NULL, false, NULL },
};

static const ct_cli_opt sbom_convert_opts[] = {
    { "format", true, "cyclonedx-json, cyclonedx-xml, spdx-json or spdx-tv" },
    { "spec-version", true, "target spec version (CycloneDX 1.4-1.7, SPDX 2.2/2.3)" },
    { NULL, false, NULL },
};

static const ct_cli_opt sbom_export_opts[] = {
    { "format", true, "cyclonedx-json (default), cyclonedx-xml, spdx-json or spdx-tv" },
    { "spec-version", true, "target spec version" },
    { "output", true, "write to this file instead of stdout" },
    { NULL, false, NULL },
};

static const ct_cli_cmd sbom_cmds[] = {
    { "import", "FILE", "import an SBOM as a release (one transaction)", 1, 1, sbom_import_opts,
      cmd_sbom_import },
    { "validate", "FILE [--xsd] [--schema-dir DIR] [--profile ntia|bsi [--product P [--release V]]]",
      "check an SBOM against its format's rules (and a quality profile); exit 1 when invalid", 1, 1,
      sbom_validate_opts, ct_cli_sbom_validate },
    { "convert", "IN OUT --format F", "convert between SBOM formats; reports what is lost", 2, 2,
      sbom_convert_opts, ct_cli_sbom_convert },
    { "export", "PRODUCT VERSION [--format F] [--output FILE]",
      "the stored SBOM of a release in any supported format", 2, 2, sbom_export_opts,
      ct_cli_sbom_export },
    { "diff", "A B", "compare two SBOMs (files or PRODUCT@VERSION; releases: also vulnerabilities)",
      2, 2, NULL, ct_cli_sbom_diff },
    { "merge", "-o OUT --name N [--version V] [--format F] PART...",
      "compose one SBOM from sub-SBOMs under a new root", 1, CT_CLI_MAX_POS,
      ct_cli_sbom_merge_opts, ct_cli_sbom_merge },
    { "waive", "--product P [--release V] --profile ntia|bsi --field F [--component REF] --reason TEXT",
      "record an accepted SBOM profile gap (shown as waived by validate --profile)", 0, 0,
      ct_cli_sbom_waive_opts, ct_cli_sbom_waive },
    { "waivers", "--product P [--release V] [--profile X] | --remove ID",
      "list (or remove) SBOM profile waivers", 0, 0, ct_cli_sbom_waivers_opts,
      ct_cli_sbom_waivers },
};
const ct_cli_group ct_cli_group_sbom = { "sbom", "SBOMs", sbom_cmds, CT_NELEM(sbom_cmds) };

/* ---- advisories / match ------------------------------------------------------------------ */

static const ct_cli_opt adv_import_opts[] = {
    { "format", true, "osv, cve5, nvd, csaf, kev (CISA KEV JSON/CSV), epss (FIRST EPSS CSV) "
                      "or distro (Alpine/Wolfi secdb, Debian tracker, DSA list; also secdb, "
                      "debian); default: osv/cve5/nvd/csaf/distro detected per file" },
    { NULL, false, NULL },
};

static int cmd_advisories_import(ct_cli_env *env, const ct_cli_args *a)
{
    ct_store *st;
    ct_import_stats stats;
    double t0 = ct_clock_mono();
    int rc;

    memset(&stats, 0, sizeof stats);
    if ((rc = ct_cli_store(&st, env)) != 0)
        return rc;
    for (int i = 0; i < a->npos; i++)
        if (ct_import_advisories_ex(st, a->pos[i], a->opt[0], &stats) < 0)
            return ct_cli_fail("advisories import");
    ct_cli_print_stats(env, "advisories", &stats, ct_clock_mono() - t0);
    return 0;
}

static const ct_cli_cmd adv_cmds[] = {
    { "import", "PATH...", "import advisories (OSV, CVE 5, NVD, CSAF, KEV, EPSS, distro)", 1,
      CT_CLI_MAX_POS, adv_import_opts, cmd_advisories_import },
    { "source", "add NAME URL [--format F] [--sha256-url URL] | list | remove NAME",
      "configure the feeds 'advisories sync' downloads", 1, 3, ct_cli_adv_source_opts,
      ct_cli_adv_source },
    { "sync", "[NAME...] [--timeout S] [--retries N] [--max-bytes N]",
      "download configured feeds (ETag/If-Modified-Since, resume, retries) and import each in "
      "one transaction", 0, CT_CLI_MAX_POS, ct_cli_adv_sync_opts, ct_cli_adv_sync },
    { "show", "ID", "the records of an advisory identity, per source, with their origin", 1, 1,
      NULL, ct_cli_adv_show },
};
const ct_cli_group ct_cli_group_advisories = { "advisories", "advisories", adv_cmds,
                                               CT_NELEM(adv_cmds) };

static int cmd_match(ct_cli_env *env, const ct_cli_args *a)
{
    ct_store *st;
    ct_match_stats ms;
    double t0 = ct_clock_mono();
    int rc;
    (void)a;
    memset(&ms, 0, sizeof ms);
    if ((rc = ct_cli_store(&st, env)) != 0)
        return rc;
    if (ct_store_match_all(st, &ms) < 0)
        return ct_cli_fail("match");
    if (env->json)
        printf("{\"candidates\":%llu,\"findings\":%llu,\"unmatchable\":%llu,\"seconds\":%.3f}\n",
               (unsigned long long)ms.candidates, (unsigned long long)ms.findings,
               (unsigned long long)ms.unmatchable, ct_clock_mono() - t0);
    else
        printf("%llu findings from %llu candidate pairs (%llu could not be evaluated)\n",
               (unsigned long long)ms.findings, (unsigned long long)ms.candidates,
               (unsigned long long)ms.unmatchable);
    return 0;
}

static const ct_cli_cmd match_cmds[] = {
    { NULL, "", "recompute every finding from scratch", 0, 0, NULL, cmd_match },
};
const ct_cli_group ct_cli_group_match = { "match", "matching", match_cmds,
                                          CT_NELEM(match_cmds) };

/* `sbom diff A B` (files or PRODUCT@VERSION releases; with two releases also the vulnerability
 * delta from the store) and `sbom merge` (one firmware SBOM from sub-SBOMs). */
#include "cli.h"
#include "cratrace/sbom_diff.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
    ct_sbom *sbom;
    char *product; /* NEW; NULL when the side is a file */
    const char *version;
} side;

/* mapped, not copied: no file stays resident beside the models (ct_sbom_parse_file) */
static int read_file_sbom(ct_sbom **out, ct_cli_env *env, const char *path)
{
    return ct_sbom_parse_file(out, env->ctx, path);
}

/* a readable file wins; else PRODUCT@VERSION (split at the last '@') names a stored release */
static int load_side(side *s, ct_cli_env *env, const char *arg)
{
    struct stat sb;
    const char *at = strrchr(arg, '@');
    ct_store *st;
    int rc;

    memset(s, 0, sizeof s[0]);
    if (stat(arg, &sb) == 0 || !at || at == arg || !at[1]) {
        if (read_file_sbom(&s->sbom, env, arg) < 0)
            return ct_cli_fail("sbom diff");
        return 0;
    }
    if ((rc = ct_cli_store(&st, env)) != 0)
        return rc;
    if (!(s->product = ct_strndup(arg, (size_t)(at - arg))))
        return ct_cli_fail("sbom diff");
    s->version = at + 1;
    if (ct_store_release_sbom(&s->sbom, st, s->product, s->version) < 0) {
        ct_error_prefix("release %s", arg);
        return ct_cli_fail("sbom diff");
    }
    return 0;
}

static void json_comps(ct_buf *b, const char *key, const char *joined)
{
    ct_buf_printf(b, ",\"%s\":", key);
    if (!joined) {
        ct_buf_puts(b, "null");
        return;
    }
    ct_buf_putc(b, '[');
    for (const char *p = joined; *p;) {
        const char *sp = strchr(p, ' ');
        size_t n = sp ? (size_t)(sp - p) : strlen(p);
        char *one = ct_strndup(p, n);
        if (p != joined)
            ct_buf_putc(b, ',');
        if (one)
            ct_buf_json_str(b, one);
        else
            b->failed = true;
        ct_free(one);
        p += n + (sp != NULL);
    }
    ct_buf_putc(b, ']');
}

static void json_vuln_list(ct_buf *b, const char *sep, const char *key,
                           const ct_vuln_delta_entry *v, size_t n)
{
    ct_buf_printf(b, "%s\"%s\":[", sep, key);
    for (size_t i = 0; i < n; i++) {
        ct_buf_puts(b, i ? ",{\"advisory\":" : "{\"advisory\":");
        ct_buf_json_str(b, v[i].advisory);
        ct_buf_puts(b, ",\"severity\":");
        if (v[i].severity)
            ct_buf_json_str(b, v[i].severity);
        else
            ct_buf_puts(b, "null");
        json_comps(b, "from", v[i].a_components);
        json_comps(b, "to", v[i].b_components);
        ct_buf_putc(b, '}');
    }
    ct_buf_putc(b, ']');
}

static void print_json(const char *a, const char *b, const ct_sbom_diff_result *d,
                       const ct_vuln_delta *vd)
{
    ct_buf o = CT_BUF_INIT;
    ct_buf_puts(&o, "{\"a\":");
    ct_buf_json_str(&o, a);
    ct_buf_puts(&o, ",\"b\":");
    ct_buf_json_str(&o, b);
    ct_buf_putc(&o, ',');
    ct_sbom_diff_json(&o, d);
    ct_buf_puts(&o, ",\"vulnerabilities\":");
    if (vd) {
        json_vuln_list(&o, "{", "fixed", vd->fixed, vd->nfixed);
        json_vuln_list(&o, ",", "introduced", vd->introduced, vd->nintroduced);
        json_vuln_list(&o, ",", "still_open", vd->still_open, vd->nstill_open);
        ct_buf_putc(&o, '}');
    } else {
        ct_buf_puts(&o, "null");
    }
    ct_buf_putc(&o, '}');
    ct_cli_print(&o);
    ct_buf_dispose(&o);
}

static const char *orq(const char *s)
{
    return s ? s : "-";
}

static void print_table(const ct_sbom_diff_result *d, const ct_vuln_delta *vd)
{
    if (d->nentries)
        printf("%-10s %-36s %-22s %-22s %s\n", "CHANGE", "NAME", "FROM", "TO", "ALSO");
    for (size_t i = 0; i < d->nentries; i++) {
        const ct_sbom_diff_entry *e = &d->entries[i];
        printf("%-10s %-36s %-22s %-22s", ct_sbom_change_name(e->change), orq(e->name),
               orq(e->a_version), orq(e->b_version));
        if (e->fields & CT_SBOM_DIFF_LICENSE)
            printf(" licence %s -> %s;", orq(e->a_license), orq(e->b_license));
        if (e->fields & CT_SBOM_DIFF_SUPPLIER)
            printf(" supplier %s -> %s;", orq(e->a_supplier), orq(e->b_supplier));
        for (size_t h = 0; h < e->nhashes; h++)
            printf(" %s %s;", e->hashes[h].alg,
                   !e->hashes[h].old_value ? "added" : !e->hashes[h].new_value ? "removed"
                                                                               : "changed");
        putchar('\n');
    }
    printf("%zu added, %zu removed, %zu upgraded, %zu downgraded, %zu changed; licence changes "
           "%zu, hash changes %zu, supplier changes %zu; %zu unchanged\n",
           d->count[CT_SBOM_ADDED], d->count[CT_SBOM_REMOVED], d->count[CT_SBOM_UPGRADED],
           d->count[CT_SBOM_DOWNGRADED], d->count[CT_SBOM_CHANGED], d->nlicense, d->nhashes,
           d->nsupplier, d->unchanged);
    if (!vd)
        return;
    printf("\nvulnerabilities: %zu fixed, %zu introduced, %zu still open\n", vd->nfixed,
           vd->nintroduced, vd->nstill_open);
    const struct {
        const char *label;
        const ct_vuln_delta_entry *v;
        size_t n;
    } lists[] = { { "fixed", vd->fixed, vd->nfixed },
                  { "introduced", vd->introduced, vd->nintroduced },
                  { "open", vd->still_open, vd->nstill_open } };
    for (size_t l = 0; l < CT_NELEM(lists); l++)
        for (size_t i = 0; i < lists[l].n; i++) {
            const ct_vuln_delta_entry *e = &lists[l].v[i];
            printf("%-10s %-24s %-9s %s\n", lists[l].label, e->advisory, orq(e->severity),
                   e->b_components ? e->b_components : orq(e->a_components));
        }
}

int ct_cli_sbom_diff(ct_cli_env *env, const ct_cli_args *a)
{
    side sa, sb;
    ct_sbom_diff_result *d = NULL;
    ct_vuln_delta vd;
    bool have_vd = false;
    int rc;

    memset(&vd, 0, sizeof vd);
    memset(&sb, 0, sizeof sb);
    if ((rc = load_side(&sa, env, a->pos[0])) != 0 || (rc = load_side(&sb, env, a->pos[1])) != 0)
        goto done;
    if (ct_sbom_diff(&d, sa.sbom, sb.sbom) < 0) {
        rc = ct_cli_fail("sbom diff");
        goto done;
    }
    if (sa.product && sb.product) {
        if (ct_store_vuln_delta(&vd, env->store, sa.product, sa.version, sb.product,
                                sb.version) < 0) {
            rc = ct_cli_fail("sbom diff");
            goto done;
        }
        have_vd = true;
    }
    if (env->json)
        print_json(a->pos[0], a->pos[1], d, have_vd ? &vd : NULL);
    else
        print_table(d, have_vd ? &vd : NULL);
done:
    ct_vuln_delta_dispose(&vd);
    ct_sbom_diff_free(d);
    ct_sbom_free(sa.sbom);
    ct_sbom_free(sb.sbom);
    ct_free(sa.product);
    ct_free(sb.product);
    return rc;
}

/* ---- merge ------------------------------------------------------------------------------ */

typedef struct {
    const char *const *paths;
} merge_warn_ctx;

static void merge_warn(void *payload, const char *kind, size_t part, const char *ref,
                       const char *detail)
{
    const merge_warn_ctx *w = payload;
    fprintf(stderr, "cratrace: warning: %s: %s %s: %s\n", w->paths[part], kind,
            ref ? ref : "(no bom-ref)", detail ? detail : "");
}

static void merge_lost(void *payload, const char *field, const char *ref)
{
    fprintf(stderr, "cratrace: %s cannot hold %s%s%s: left out\n", (const char *)payload, field,
            ref ? " of " : "", ref ? ref : "");
}

/* indexes used below: output, name, version, format, spec-version */
const ct_cli_opt ct_cli_sbom_merge_opts[] = {
    { "output", true, "the merged SBOM (also -o OUT)" },
    { "name", true, "name of the new root component (the firmware)" },
    { "version", true, "version of the new root component" },
    { "format", true, "cyclonedx-json (default), cyclonedx-xml, spdx-json or spdx-tv" },
    { "spec-version", true, "target spec version (default: the newest the writer knows)" },
    { NULL, false, NULL },
};

int ct_cli_sbom_merge(ct_cli_env *env, const ct_cli_args *a)
{
    const char *paths[CT_CLI_MAX_POS];
    ct_sbom *parts[CT_CLI_MAX_POS] = { NULL };
    const char *output = a->opt[0], *format = a->opt[3] ? a->opt[3] : "cyclonedx-json";
    size_t n = 0;
    ct_sbom *merged = NULL;
    ct_sbom_merge_stats stats;
    ct_sbom_write_options wo = CT_SBOM_WRITE_OPTIONS_INIT;
    merge_warn_ctx wc = { paths };
    int rc = 0, lost;

    for (int i = 0; i < a->npos; i++) {
        if (strcmp(a->pos[i], "-o") == 0 && i + 1 < a->npos)
            output = a->pos[++i];
        else
            paths[n++] = a->pos[i];
    }
    if (!output || !a->opt[1] || n == 0) {
        fprintf(stderr, "cratrace: sbom merge needs -o OUT, --name N and at least one PART\n");
        return CT_EXIT_USAGE;
    }
    for (size_t i = 0; i < n && rc == 0; i++)
        if (read_file_sbom(&parts[i], env, paths[i]) < 0)
            rc = ct_cli_fail("sbom merge");
    if (rc == 0 && ct_sbom_merge(&merged, (const ct_sbom *const *)parts, n, a->opt[1], a->opt[2],
                                 &stats, merge_warn, &wc) < 0)
        rc = ct_cli_fail("sbom merge");
    /* the merged model holds copies: the parts go before the output is written */
    for (size_t i = 0; i < n; i++) {
        ct_sbom_free(parts[i]);
        parts[i] = NULL;
    }
    if (rc)
        goto done;
    wo.spec_version = a->opt[4];
    wo.created = ct_ctx_now(env->ctx);
    wo.lost = merge_lost;
    wo.payload = (void *)(uintptr_t)format;
    /* written as it is made, not held whole in memory */
    if ((lost = ct_cli_sbom_write_to(output, merged, format, &wo)) < 0) {
        rc = ct_error_last()->code == CT_EUNSUPPORTED ? CT_EXIT_USAGE : 0;
        ct_cli_fail("sbom merge");
        rc = rc ? rc : ct_cli_exit_code(ct_error_last()->code);
        goto done;
    }
    if (env->json) {
        ct_buf j = CT_BUF_INIT;
        ct_buf_puts(&j, "{\"output\":");
        ct_buf_json_str(&j, output);
        ct_buf_puts(&j, ",\"format\":");
        ct_buf_json_str(&j, format);
        ct_buf_printf(&j,
                      ",\"components\":%zu,\"dependencies\":%zu,\"components_in\":%zu,"
                      "\"collapsed\":%zu,\"renamed\":%zu,\"conflicts\":%zu,\"dangling\":%zu,"
                      "\"lost\":%d}",
                      merged->ncomponents, merged->ndeps, stats.components_in, stats.collapsed,
                      stats.renamed, stats.conflicts, stats.dangling, lost);
        ct_cli_print(&j);
        ct_buf_dispose(&j);
    }
    else if (!env->quiet)
        fprintf(stderr,
                "wrote %s (%s): %zu components from %zu in %zu parts (%zu collapsed, %zu "
                "bom-refs renamed, %zu conflicts), %zu dependency edges\n",
                output, format, merged->ncomponents, stats.components_in, n, stats.collapsed,
                stats.renamed, stats.conflicts, merged->ndeps);
done:
    for (size_t i = 0; i < n; i++)
        ct_sbom_free(parts[i]);
    ct_sbom_free(merged);
    return rc;
}

/* Round trips of every real SBOM under ../shared/conformance/sboms through every writer:
 * read -> write (CycloneDX JSON and XML 1.4-1.7, SPDX JSON and tag-value 2.2/2.3) -> read.
 * Same format and version without losses: the model is equal. A source older than every writer
 * of its format (CycloneDX XML 1.0-1.3, CycloneDX JSON 1.2-1.3, SPDX 2.1 tag-value) has as its
 * "same format" that format's oldest writer version (CycloneDX 1.4, SPDX 2.2): there too the
 * model, all but spec_version, must be equal when nothing was lost. Otherwise every field both
 * formats can hold is equal, and each field that differs must have been reported as lost by
 * the writer. Every written CycloneDX document then goes through ../shared/oracles/cdx-validate
 * and every SPDX JSON document through spdx-validate (2.3 schema; 2.2 documents against
 * tools-java's 2.2 schema), one call per batch; that test skips without the oracles.
 * Files cratrace does not read are listed in tests/conformance/sbom-unreadable.txt. */
#include "ct_test.h"

#include "cratrace/sbom.h"
#include "cratrace/sbom_validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct {
    const char *format, *spec, *ext;
} target;

static const target targets[] = {
    { "cyclonedx-json", "1.4", "cdx.json" }, { "cyclonedx-json", "1.5", "cdx.json" },
    { "cyclonedx-json", "1.6", "cdx.json" }, { "cyclonedx-json", "1.7", "cdx.json" },
    { "cyclonedx-xml", "1.4", "cdx.xml" },   { "cyclonedx-xml", "1.5", "cdx.xml" },
    { "cyclonedx-xml", "1.6", "cdx.xml" },   { "cyclonedx-xml", "1.7", "cdx.xml" },
    { "spdx-json", "2.2", "spdx22.json" },   { "spdx-json", "2.3", "spdx.json" },
    { "spdx-tv", "2.2", "spdx" },            { "spdx-tv", "2.3", "spdx" },
};

static ct_ctx *g_ctx;
static char *g_outdir;
static ct_test_files g_written[3]; /* CycloneDX, SPDX 2.3 JSON, SPDX 2.2 JSON */

/* ---- lost values --------------------------------------------------------------------------- */

typedef struct {
    char **field, **ref;
    size_t n;
    char **from, **to; /* identifiers written under another name */
    size_t nrenamed;
} lost_list;

static void on_lost(void *payload, const char *field, const char *ref)
{
    lost_list *l = payload;
    l->field = ct_reallocarray(l->field, l->n + 1, sizeof *l->field);
    l->ref = ct_reallocarray(l->ref, l->n + 1, sizeof *l->ref);
    assert_true(l->field && l->ref);
    l->field[l->n] = ct_strdup(field);
    l->ref[l->n] = ref ? ct_strdup(ref) : NULL;
    l->n++;
}

static void on_renamed(void *payload, const char *from, const char *to)
{
    lost_list *l = payload;
    l->from = ct_reallocarray(l->from, l->nrenamed + 1, sizeof *l->from);
    l->to = ct_reallocarray(l->to, l->nrenamed + 1, sizeof *l->to);
    assert_true(l->from && l->to);
    l->from[l->nrenamed] = ct_strdup(from);
    l->to[l->nrenamed] = ct_strdup(to);
    l->nrenamed++;
}

static bool was_renamed(const lost_list *l, const char *from, const char *to)
{
    for (size_t i = 0; i < l->nrenamed; i++)
        if (strcmp(l->from[i], from) == 0 && strcmp(l->to[i], to) == 0)
            return true;
    return false;
}

/* the one name from was written under, or NULL */
static const char *renamed_to(const lost_list *l, const char *from)
{
    for (size_t i = 0; i < l->nrenamed; i++)
        if (strcmp(l->from[i], from) == 0)
            return l->to[i];
    return NULL;
}

static bool was_lost(const lost_list *l, const char *field, const char *ref)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->field[i], field) == 0 &&
            (ref ? l->ref[i] && strcmp(l->ref[i], ref) == 0 : !l->ref[i]))
            return true;
    return false;
}

static size_t count_lost(const lost_list *l, const char *field)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++)
        n += strcmp(l->field[i], field) == 0;
    return n;
}

static void lost_free(lost_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        ct_free(l->field[i]);
        ct_free(l->ref[i]);
    }
    ct_free(l->field);
    ct_free(l->ref);
    for (size_t i = 0; i < l->nrenamed; i++) {
        ct_free(l->from[i]);
        ct_free(l->to[i]);
    }
    ct_free(l->from);
    ct_free(l->to);
}

/* ---- comparison ---------------------------------------------------------------------------- */

typedef struct {
    const char *path;
    const target *t;
    const lost_list *lost;
    size_t checked; /* fields compared */
} cmp_ctx;

static bool streq(const char *a, const char *b)
{
    return a && b ? strcmp(a, b) == 0 : a == b;
}

/* a field both formats hold: equal, or reported lost */
static void field(cmp_ctx *c, const char *name, size_t i, const char *ref, const char *a,
                  const char *b)
{
    char key[64];
    snprintf(key, sizeof key, "component.%s", name);
    if (streq(a, b)) {
        c->checked++;
        return;
    }
    if (was_lost(c->lost, key, ref))
        return;
    fail_msg("%s -> %s %s: component %zu (%s) %s \"%s\" came back as \"%s\", not reported "
             "lost",
             c->path, c->t->format, c->t->spec, i, ref ? ref : "-", name, a ? a : "(none)",
             b ? b : "(none)");
}

static bool is_spdx(const char *format)
{
    return strncmp(format, "spdx", 4) == 0;
}

/* a valid SPDXID: SPDXRef-[A-Za-z0-9.-]+ (SPDX 2.3 §3.2) */
static bool spdx_id(const char *ref)
{
    if (!ref || strncmp(ref, "SPDXRef-", 8) != 0 || !ref[8])
        return false;
    return strspn(ref + 8, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") ==
           strlen(ref + 8);
}

/* a relationship end SPDX output holds as it is without a package of that id */
static bool keeps_end(const char *ref)
{
    const char *colon = strchr(ref, ':');
    return strcmp(ref, "NONE") == 0 || strcmp(ref, "NOASSERTION") == 0 ||
           (strncmp(ref, "DocumentRef-", 12) == 0 && colon && spdx_id(colon + 1));
}

typedef struct {
    const char *ref, *on;
} edge;

static int cmp_edge(const void *a, const void *b)
{
    const edge *x = a, *y = b;
    int c = strcmp(x->ref, y->ref);
    return c ? c : strcmp(x->on, y->on);
}

/* sorted distinct edges */
static edge *edges_of(const ct_sbom *s, size_t *n)
{
    edge *e = ct_calloc(s->ndeps + 1, sizeof *e);
    size_t k = 0;
    assert_non_null(e);
    for (size_t i = 0; i < s->ndeps; i++)
        e[i] = (edge){ s->deps[i].ref, s->deps[i].depends_on };
    qsort(e, s->ndeps, sizeof *e, cmp_edge);
    for (size_t i = 0; i < s->ndeps; i++)
        if (k == 0 || cmp_edge(&e[k - 1], &e[i]) != 0)
            e[k++] = e[i];
    *n = k;
    return e;
}

/* a -> b through the aligned components (src bom_ref -> back bom_ref); NULL when not a
 * component of a */
static const char *map_ref(const ct_sbom *a, const ct_sbom *b, const size_t *align,
                           const char *ref)
{
    for (size_t i = 0; i < a->ncomponents; i++)
        if (align[i] != SIZE_MAX && streq(a->components[i].bom_ref, ref))
            return b->components[align[i]].bom_ref;
    return NULL;
}

static void compare(cmp_ctx *c, const ct_sbom *a, const ct_sbom *b)
{
    bool to_spdx = is_spdx(c->t->format), spdx22 = strcmp(c->t->spec, "2.2") == 0;
    size_t dropped = count_lost(c->lost, "component (same as an earlier sibling)");
    size_t j = 0, *align = ct_calloc(a->ncomponents + 1, sizeof *align);
    assert_non_null(align);

    if (!(streq(a->name, b->name) || was_lost(c->lost, "name", NULL)))
        fail_msg("%s -> %s %s: name \"%s\" came back as \"%s\"", c->path, c->t->format,
                 c->t->spec, a->name ? a->name : "", b->name ? b->name : "");
    /* "name" lost stands for the described package: name and version */
    if (a->name && !streq(a->version, b->version) && !was_lost(c->lost, "version", NULL) &&
        !was_lost(c->lost, "name", NULL))
        fail_msg("%s -> %s %s: version differs", c->path, c->t->format, c->t->spec);
    if (a->serial_number && !streq(a->serial_number, b->serial_number) &&
        !was_lost(c->lost, "serial_number", NULL))
        fail_msg("%s -> %s %s: serial number / namespace \"%s\" came back as \"%s\"", c->path,
                 c->t->format, c->t->spec, a->serial_number,
                 b->serial_number ? b->serial_number : "(none)");

    for (size_t i = 0; i < a->ncomponents; i++) {
        const ct_component *x = &a->components[i], *y;
        align[i] = SIZE_MAX;
        if (j >= b->ncomponents ||
            !(streq(x->name, b->components[j].name) &&
              streq(x->version, b->components[j].version))) {
            /* only a component the writer reported as a repeated sibling may be missing */
            if (dropped == 0)
                fail_msg("%s -> %s %s: component %zu (%s %s) missing in the output", c->path,
                         c->t->format, c->t->spec, i, x->name ? x->name : "",
                         x->version ? x->version : "");
            dropped--;
            continue;
        }
        align[i] = j;
        y = &b->components[j++];
        const char *r = x->bom_ref;
        if (to_spdx && !spdx_id(y->bom_ref))
            fail_msg("%s -> %s %s: component %zu written with the invalid SPDXID \"%s\"",
                     c->path, c->t->format, c->t->spec, i, y->bom_ref ? y->bom_ref : "");
        /* SPDX: a bom_ref that is no valid or no unique SPDXID is renamed, and reported */
        if (r && !(to_spdx && y->bom_ref && was_renamed(c->lost, r, y->bom_ref)))
            field(c, "bom_ref", i, r, r, y->bom_ref);
        if (to_spdx) {
            /* SPDX has no group and no nesting; 2.2 has no purpose: all reported when present */
            if (x->group && *x->group && !was_lost(c->lost, "component.group", r))
                fail_msg("%s -> %s: group of %s not reported lost", c->path, c->t->format,
                         r ? r : "-");
            if (x->depth && !was_lost(c->lost, "component.depth", r))
                fail_msg("%s -> %s: depth of %s not reported lost", c->path, c->t->format,
                         r ? r : "-");
            if (spdx22 && x->type && !was_lost(c->lost, "component.type", r))
                fail_msg("%s -> SPDX 2.2: type of %s not reported lost", c->path, r ? r : "-");
            if (!spdx22)
                field(c, "type", i, r, x->type, y->type);
        } else {
            field(c, "type", i, r, x->type ? x->type : "library", y->type);
            field(c, "group", i, r, x->group, y->group);
            if (x->depth != y->depth)
                fail_msg("%s -> %s %s: component %zu depth %u came back as %u", c->path,
                         c->t->format, c->t->spec, i, x->depth, y->depth);
        }
        field(c, "name", i, r, x->name, y->name);
        field(c, "version", i, r, x->version, y->version);
        field(c, "purl", i, r, x->purl, y->purl);
        field(c, "cpe", i, r, x->cpe, y->cpe);
        field(c, "supplier", i, r, x->supplier, y->supplier);
        field(c, "hashes", i, r, x->hashes, y->hashes);
        field(c, "licenses", i, r, x->licenses, y->licenses);
    }
    /* SPDX: the CycloneDX root (metadata.component) becomes one more package */
    if (j != b->ncomponents &&
        !(to_spdx && j + 1 == b->ncomponents && streq(b->components[j].name, a->name)))
        fail_msg("%s -> %s %s: %zu components came back as %zu", c->path, c->t->format,
                 c->t->spec, j, b->ncomponents);

    /* SPDX ids are unique */
    for (size_t i = 0; to_spdx && i < b->ncomponents; i++)
        for (size_t k = 0; k < i; k++)
            if (streq(b->components[k].bom_ref, b->components[i].bom_ref))
                fail_msg("%s -> %s %s: SPDXID %s twice", c->path, c->t->format, c->t->spec,
                         b->components[i].bom_ref);
    /* dependencies: same distinct edges (ends that are components mapped through their new
     * ids, others through a reported rename or as they are where the target keeps them; an
     * edge to anything else must have been reported lost) */
    size_t na, nb, lost_deps = count_lost(c->lost, "dependency");
    edge *ea = edges_of(a, &na), *eb = edges_of(b, &nb);
    if (nb + lost_deps != na)
        fail_msg("%s -> %s %s: %zu distinct dependency edges came back as %zu (%zu lost)",
                 c->path, c->t->format, c->t->spec, na, nb, lost_deps);
    for (size_t i = 0; i < na; i++) {
        const char *r = map_ref(a, b, align, ea[i].ref), *o = map_ref(a, b, align, ea[i].on);
        if (!r && to_spdx)
            r = renamed_to(c->lost, ea[i].ref);
        if (!o && to_spdx)
            o = renamed_to(c->lost, ea[i].on);
        if (!r && (!to_spdx || spdx_id(ea[i].ref) || keeps_end(ea[i].ref)))
            r = ea[i].ref;
        if (!o && (!to_spdx || spdx_id(ea[i].on) || keeps_end(ea[i].on)))
            o = ea[i].on;
        if (!r || !o) {
            if (!was_lost(c->lost, "dependency", ea[i].ref))
                fail_msg("%s -> %s %s: dependency %s -> %s neither written nor reported lost",
                         c->path, c->t->format, c->t->spec, ea[i].ref, ea[i].on);
            continue;
        }
        edge key = { r, o };
        if (bsearch(&key, eb, nb, sizeof *eb, cmp_edge))
            c->checked++;
        else if (!was_lost(c->lost, "dependency", ea[i].ref))
            fail_msg("%s -> %s %s: dependency %s -> %s missing", c->path, c->t->format,
                     c->t->spec, ea[i].ref, ea[i].on);
    }
    ct_free(ea);
    ct_free(eb);
    ct_free(align);
}

/* ---- the matrix ---------------------------------------------------------------------------- */

/* "major.minor" as one number (1.4 -> 1004); -1 when it is not that */
static int spec_num(const char *v)
{
    int major, minor;
    return v && sscanf(v, "%d.%d", &major, &minor) == 2 ? major * 1000 + minor : -1;
}

/* The writer target that is the source's own format: the same format and version, or, for a
 * source older than every writer of its format, that format's oldest writer version. */
static bool same_format_target(const ct_sbom *s, const target *tg)
{
    const char *oldest = NULL;
    if (strcmp(s->format, tg->format) != 0)
        return false;
    if (strcmp(s->spec_version, tg->spec) == 0)
        return true;
    for (size_t t = 0; t < CT_NELEM(targets); t++)
        if (strcmp(targets[t].format, s->format) == 0 &&
            (!oldest || spec_num(targets[t].spec) < spec_num(oldest)))
            oldest = targets[t].spec;
    return oldest && strcmp(tg->spec, oldest) == 0 && spec_num(s->spec_version) >= 0 &&
           spec_num(s->spec_version) < spec_num(oldest);
}

static bool listed_unreadable(const char *rel, char **list, size_t n, bool *seen)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], rel) == 0) {
            seen[i] = true;
            return true;
        }
    return false;
}

static size_t load_list(char ***out)
{
    size_t len, n = 0;
    char *text = ct_test_read(CT_SOURCE_DIR "/tests/conformance/sbom-unreadable.txt", &len);
    *out = NULL;
    for (char *line = text; line && *line;) {
        char *nl = strchr(line, '\n'), *sp;
        if (nl)
            *nl = '\0';
        if (*line && *line != '#') {
            if ((sp = strchr(line, ' ')))
                *sp = '\0';
            *out = ct_reallocarray(*out, n + 1, sizeof **out);
            (*out)[n++] = ct_strdup(line);
        }
        line = nl ? nl + 1 : NULL;
    }
    ct_free(text);
    return n;
}

static void add_written(ct_test_files *fl, const char *path)
{
    fl->paths = ct_reallocarray(fl->paths, fl->n + 1, sizeof *fl->paths);
    assert_non_null(fl->paths);
    fl->paths[fl->n++] = ct_strdup(path);
}

static void test_roundtrip__every_real_sbom_every_writer(void **state)
{
    static const char *const exts[] = { ".json", ".xml", ".spdx", ".sbom", NULL };
    char *root = ct_test_shared_path("conformance/sboms");
    ct_test_files fl = CT_TEST_FILES_INIT;
    char **unreadable;
    size_t nunreadable = load_list(&unreadable), read = 0, trips = 0, equal = 0, checked = 0,
           older = 0, validated = 0, renamed = 0;
    bool *seen = ct_calloc(nunreadable + 1, sizeof *seen);
    (void)state;

    if (!root)
        skip();
    ct_test_collect(&fl, root, exts);
    for (size_t i = 0; i < fl.n; i++) {
        const char *path = fl.paths[i], *rel = path + strlen(root) + 1;
        size_t len;
        char *data = ct_test_read(path, &len);
        ct_sbom *s = NULL;
        int rc = ct_sbom_parse(&s, g_ctx, data, len, path);
        bool listed = listed_unreadable(rel, unreadable, nunreadable, seen);
        ct_free(data);
        if (rc < 0) {
            if (!listed)
                fail_msg("%s does not read: %s", rel, ct_error_format());
            printf("  not read, as listed: %s: %s\n", rel, ct_error_format());
            ct_error_clear();
            continue;
        }
        if (listed)
            fail_msg("%s reads now: remove it from sbom-unreadable.txt", rel);
        read++;
        for (size_t t = 0; t < CT_NELEM(targets); t++) {
            const target *tg = &targets[t];
            lost_list lost = { NULL, NULL, 0, NULL, NULL, 0 };
            ct_sbom_write_options o = CT_SBOM_WRITE_OPTIONS_INIT;
            ct_buf out = CT_BUF_INIT;
            ct_sbom *back = NULL;
            char name[4096];
            o.spec_version = tg->spec;
            o.created = ct_time_from_civil(2025, 1, 1, 0, 0, 0);
            o.lost = on_lost;
            o.renamed = on_renamed;
            o.payload = &lost;
            int n = ct_sbom_write_ex(&out, s, tg->format, &o);
            if (n < 0)
                fail_msg("%s -> %s %s: %s", rel, tg->format, tg->spec, ct_error_format());
            assert_int_equal((size_t)n, lost.n);
            if (ct_sbom_parse(&back, g_ctx, out.ptr, out.len, "written") < 0)
                fail_msg("%s -> %s %s: the output does not read back: %s", rel, tg->format,
                         tg->spec, ct_error_format());
            assert_string_equal(back->format, tg->format);
            assert_string_equal(back->spec_version, tg->spec);
            /* our validator: every written SPDX document (JSON and tag-value) valid. Not
             * asserted for CycloneDX: the writer keeps a source's dangling dependency refs,
             * which the schema (cdx-validate) accepts and our validator does not. */
            if (is_spdx(tg->format)) {
                ct_sbom_report *vr = NULL;
                if (ct_sbom_validate(&vr, g_ctx, out.ptr, out.len, "written") < 0)
                    fail_msg("%s -> %s %s: validate: %s", rel, tg->format, tg->spec,
                             ct_error_format());
                if (!vr->valid)
                    fail_msg("%s -> %s %s: cratrace's validator: %zu errors, first %s: %s",
                             rel, tg->format, tg->spec, vr->nerrors, vr->errors[0].location,
                             vr->errors[0].message);
                validated++;
                ct_sbom_report_free(vr);
            }
            if (n == 0 && lost.nrenamed == 0 && same_format_target(s, tg)) {
                /* spec_version was checked above: the written one; the rest must be equal */
                ct_sbom same = *back;
                same.spec_version = s->spec_version;
                ct_test_same_sbom(s, &same);
                equal++;
                older += strcmp(s->spec_version, tg->spec) != 0;
            }
            cmp_ctx c = { rel, tg, &lost, 0 };
            compare(&c, s, back);
            checked += c.checked;
            snprintf(name, sizeof name, "%s/%03zu-%s-%s.%s", g_outdir, i, tg->format, tg->spec,
                     tg->ext);
            if (ct_file_write(name, out.ptr, out.len) < 0)
                fail_msg("write %s: %s", name, ct_error_format());
            if (strncmp(tg->format, "cyclonedx", 9) == 0)
                add_written(&g_written[0], name);
            else if (strcmp(tg->format, "spdx-json") == 0)
                add_written(&g_written[strcmp(tg->spec, "2.3") == 0 ? 1 : 2], name);
            trips++;
            renamed += lost.nrenamed;
            ct_sbom_free(back);
            ct_buf_dispose(&out);
            lost_free(&lost);
        }
        ct_sbom_free(s);
    }
    for (size_t i = 0; i < nunreadable; i++) {
        if (!seen[i])
            fail_msg("listed in sbom-unreadable.txt but absent: %s", unreadable[i]);
        ct_free(unreadable[i]);
    }
    printf("real SBOMs: %zu read (%zu listed as unreadable), %zu round trips, %zu same-format "
           "models equal (%zu of them from an older version into the oldest writer), %zu "
           "fields/edges compared, %zu SPDX outputs valid by cratrace's validator, %zu ids renamed\n",
           read, nunreadable, trips, equal, older, checked, validated, renamed);
    ct_free(unreadable);
    ct_free(seen);
    ct_test_files_free(&fl);
    ct_free(root);
    assert_true(read >= 50);
    assert_int_equal(validated, read * 4); /* SPDX JSON and tag-value, 2.2 and 2.3 */
}

/* Run an oracle over many files in one call (fork/exec, no shell; env "K=V" or NULL); every
 * file must be "OK". */
static void run_oracle(const char *env, const char *oracle, const ct_test_files *fl)
{
    char **argv = ct_calloc(fl->n + 4, sizeof *argv);
    size_t ok = 0;
    char line[8192];
    int fd[2], st = 0;
    FILE *p;
    pid_t pid;
    if (!fl->n)
        fail_msg("%s: nothing was written", oracle);
    assert_non_null(argv);
    argv[0] = (char *)oracle;
    argv[1] = (char *)"--errors";
    argv[2] = (char *)"3";
    for (size_t i = 0; i < fl->n; i++)
        argv[3 + i] = fl->paths[i];
    assert_int_equal(pipe(fd), 0);
    if ((pid = fork()) < 0)
        fail_msg("fork failed");
    if (pid == 0) {
        dup2(fd[1], 1);
        dup2(fd[1], 2);
        close(fd[0]);
        close(fd[1]);
        if (env) {
            char *kv = ct_strdup(env), *eq = strchr(kv, '=');
            *eq = '\0';
            setenv(kv, eq + 1, 1);
        }
        execv(oracle, argv);
        _exit(127);
    }
    close(fd[1]);
    if (!(p = fdopen(fd[0], "r")))
        fail_msg("fdopen failed");
    while (fgets(line, sizeof line, p)) {
        if (strncmp(line, "OK ", 3) == 0)
            ok++;
        else
            printf("  %s: %.600s", oracle, line);
    }
    fclose(p);
    waitpid(pid, &st, 0);
    ct_free(argv);
    printf("%s: %zu/%zu written documents valid\n", oracle, ok, fl->n);
    if (ok != fl->n || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        fail_msg("%s: %zu of %zu documents valid (status %d)", oracle, ok, fl->n, st);
}

static void test_roundtrip__oracles_accept_every_written_document(void **state)
{
    char *cdx = ct_test_shared_path("oracles/cdx-validate");
    char *spdx = ct_test_shared_path("oracles/spdx-validate");
    char *s22 = ct_test_shared_path("conformance/spdx/tools-java/resources/spdx-schema-v2.2.json");
    (void)state;
    if (!ct_test_oracles_installed() || !cdx || !spdx || !s22) {
        printf("skipped: oracles not installed ($ORACLES_HOME/stamp or "
               "~/.cache/cratrace-oracles/stamp)\n");
        ct_free(cdx);
        ct_free(spdx);
        ct_free(s22);
        skip();
    }
    run_oracle(NULL, cdx, &g_written[0]);
    run_oracle(NULL, spdx, &g_written[1]);
    ct_buf env = CT_BUF_INIT;
    ct_buf_printf(&env, "SPDX_SCHEMA=%s", s22);
    run_oracle(env.ptr, spdx, &g_written[2]);
    ct_buf_dispose(&env);
    ct_free(cdx);
    ct_free(spdx);
    ct_free(s22);
}

static int setup(void **state)
{
    (void)state;
    g_ctx = ct_test_ctx();
    g_outdir = ct_test_tmpdir();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (size_t k = 0; k < CT_NELEM(g_written); k++) {
        for (size_t i = 0; i < g_written[k].n; i++)
            remove(g_written[k].paths[i]);
        ct_test_files_free(&g_written[k]);
    }
    /* spdx-tv outputs were written too: remove what is left, then the directory */
    ct_test_files rest = CT_TEST_FILES_INIT;
    static const char *const all[] = { "", NULL };
    ct_test_collect(&rest, g_outdir, all);
    for (size_t i = 0; i < rest.n; i++)
        remove(rest.paths[i]);
    ct_test_files_free(&rest);
    remove(g_outdir);
    ct_free(g_outdir);
    ct_ctx_free(g_ctx);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip__every_real_sbom_every_writer),
        cmocka_unit_test(test_roundtrip__oracles_accept_every_written_document),
    };
    char *root = ct_test_shared_path("conformance/sboms");
    if (!root) {
        printf("skipped: ../shared/conformance/sboms is absent\n");
        return CT_TEST_SKIP;
    }
    ct_free(root);
    return cmocka_run_group_tests(tests, setup, teardown);
}

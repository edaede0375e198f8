/* Deterministic random mutations of the SPDX JSON documents under ../shared/conformance/spdx
 * (issue 5: the SPDX validator on the JSON tape):
 * - ct_sbom_parse_validate (one tape for the validator and the reader) gives, finding for
 *   finding, the report of ct_sbom_validate_ex, and the model (or the error) of ct_sbom_parse;
 * - on SPDX 2.3 mutants checked against the spdx-spec schema, we report a schema finding
 *   exactly when ../shared/oracles/spdx-validate (ajv, the same schema file) rejects the
 *   document (skipped, with a message, when the oracles are not installed).
 * Mutations: members deleted, values of another type, unknown members, wrong enum words and
 * identifiers, emptied arrays, duplicated elements, duplicate member names (json-c keeps the
 * first position and the last value), escaped U+0000 in strings, truncation, stray bytes.
 * CT_SPDX_MUTANTS_DIR=dir also writes every mutant there (for a comparison with another
 * build's `cratrace --json sbom validate`). Exit 77 when ../shared/conformance is absent. */
#include "ct_test.h"

#include "cratrace/sbom.h"
#include "cratrace/sbom_validate.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MUTANTS_PER_DOC 60 /* $CT_SPDX_MUTANTS_PER_DOC overrides (the one-off check: 160) */
#define ORACLE_MAX 300

static ct_ctx *g_ctx;
static char *g_spdx; /* ../shared/conformance/spdx */
static char *g_tmp;

/* ---- deterministic randomness ------------------------------------------------------------ */

static uint64_t g_rng;

static uint32_t rnd(uint32_t n)
{
    g_rng ^= g_rng << 13;
    g_rng ^= g_rng >> 7;
    g_rng ^= g_rng << 17;
    return n ? (uint32_t)(g_rng % n) : 0;
}

/* ---- the DOM mutator --------------------------------------------------------------------- */

typedef struct {
    json_object *parent, *node;
    const char *key; /* parent is an object */
    size_t idx;      /* parent is an array */
} site;

typedef struct {
    site *v;
    size_t n, cap;
} sites;

static void collect(sites *s, json_object *parent, const char *key, size_t idx, json_object *o)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 256;
        s->v = ct_reallocarray(s->v, s->cap, sizeof *s->v);
        assert_non_null(s->v);
    }
    s->v[s->n++] = (site){ parent, o, key, idx };
    if (json_object_is_type(o, json_type_object)) {
        json_object_object_foreach(o, k, m) collect(s, o, k, 0, m);
    } else if (json_object_is_type(o, json_type_array)) {
        for (size_t i = 0; i < json_object_array_length(o); i++)
            collect(s, o, NULL, i, json_object_array_get_idx(o, i));
    }
}

static void put(const site *st, json_object *val)
{
    if (json_object_is_type(st->parent, json_type_object))
        json_object_object_add(st->parent, st->key, val);
    else
        json_object_array_put_idx(st->parent, st->idx, val);
}

static json_object *other_value(void)
{
    switch (rnd(8)) {
    case 0: return json_object_new_string("x");
    case 1: return json_object_new_int(7);
    case 2: return json_object_new_double_s(1.5, "1.5");
    case 3: return json_object_new_boolean(1);
    case 4: return json_object_new_null();
    case 5: return json_object_new_object();
    case 6: return json_object_new_array();
    default: return json_object_new_double_s(100.0, "1e2");
    }
}

static const char *const words[] = {
    "BOGUS", "", " ", "SPDXRef-missing", "SPDXRef-bad_id", "NOASSERTION", "NONE", "Tool:",
    "Person: A", "2020-13-01T00:00:00Z", "2023-01-01T00:00:00.5Z", "pkg:npm/%zz", "pkg:npm/a@1",
    "DocumentRef-x:bad", "DocumentRef-x:SPDXRef-y", "LicenseRef-", "MIT AND (", "MIT OR Apache-2.0",
    "sha256", "SHA256", "OPERATING-SYSTEM", "PACKAGE_MANAGER", "purl", "SPDX-2.2", "CC0-1.0",
    "abc", "DEPENDS_ON", "AMENDS", "SPDXRef-DOCUMENT",
};

/* One DOM mutation of root (never of root itself). */
static void mutate_dom(json_object *root)
{
    sites s = { NULL, 0, 0 };
    collect(&s, NULL, NULL, 0, root);
    if (s.n < 2) {
        ct_free(s.v);
        return;
    }
    site st = s.v[1 + rnd((uint32_t)s.n - 1)];
    switch (rnd(8)) {
    case 0: /* delete */
        if (json_object_is_type(st.parent, json_type_object))
            json_object_object_del(st.parent, st.key);
        else
            json_object_array_del_idx(st.parent, st.idx, 1);
        break;
    case 1: put(&st, other_value()); break;
    case 2: /* an unknown member */
        if (json_object_is_type(st.node, json_type_object))
            json_object_object_add(st.node, rnd(2) ? "xExtra" : "comment", json_object_new_string("y"));
        else
            put(&st, other_value());
        break;
    case 3:
    case 4: /* another word where a string was */
        if (json_object_is_type(st.node, json_type_string)) {
            if (rnd(3) == 0) {
                /* the same word in lower case */
                char *low = ct_strdup(json_object_get_string(st.node));
                for (char *p = low; *p; p++)
                    *p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
                put(&st, json_object_new_string(low));
                ct_free(low);
            } else {
                put(&st, json_object_new_string(words[rnd(CT_NELEM(words))]));
            }
        } else {
            put(&st, other_value());
        }
        break;
    case 5: /* empty an array */
        if (json_object_is_type(st.node, json_type_array))
            put(&st, json_object_new_array());
        else
            put(&st, json_object_new_string(words[rnd(CT_NELEM(words))]));
        break;
    default: /* duplicate an array element (repeated SPDXIDs) */
        if (json_object_is_type(st.parent, json_type_array)) {
            json_object *copy = NULL;
            assert_int_equal(json_object_deep_copy(st.node, &copy, NULL), 0);
            json_object_array_add(st.parent, copy);
        } else {
            json_object_object_del(st.parent, st.key);
        }
        break;
    }
    ct_free(s.v);
}

/* Text mutations json-c cannot produce; *text replaced (NEW). */
static void mutate_text(char **text)
{
    ct_buf b = CT_BUF_INIT;
    char *t = *text;
    size_t n = strlen(t), at;
    static const char *const late[] = { ",\"SPDXID\":\"SPDXRef-late\"", ",\"name\":7",
                                        ",\"spdxElementId\":\"SPDXRef-gone\"",
                                        ",\"relationshipType\":\"OTHER\"" };
    switch (rnd(5)) {
    case 0: /* a repeated member name before a '}' (json-c: first position, last value) */
    case 1: {
        size_t k = 0, hit = 0, want;
        for (size_t i = 0; i < n; i++)
            k += t[i] == '}';
        want = rnd((uint32_t)k);
        for (at = 0; at < n; at++)
            if (t[at] == '}' && hit++ == want)
                break;
        ct_buf_put(&b, t, at);
        ct_buf_puts(&b, late[rnd(CT_NELEM(late))]);
        ct_buf_puts(&b, t + at);
        break;
    }
    case 2: { /* "\u0000" after a quote: inside a string, or a syntax error */
        size_t k = 0, hit = 0, want;
        for (size_t i = 0; i < n; i++)
            k += t[i] == '"';
        want = rnd((uint32_t)k);
        for (at = 0; at < n; at++)
            if (t[at] == '"' && hit++ == want)
                break;
        ct_buf_put(&b, t, at < n ? at + 1 : n);
        ct_buf_puts(&b, "\\u0000z");
        if (at < n)
            ct_buf_puts(&b, t + at + 1);
        break;
    }
    case 3: /* truncated */
        ct_buf_put(&b, t, rnd((uint32_t)n));
        break;
    default: /* a stray byte */
        at = rnd((uint32_t)n);
        ct_buf_put(&b, t, at);
        ct_buf_putc(&b, "x,]}:\"1 "[rnd(8)]);
        ct_buf_puts(&b, t + at);
        break;
    }
    assert_false(b.failed);
    ct_free(*text);
    *text = ct_buf_detach(&b);
}

static char *make_mutant(const char *base)
{
    json_object *root = json_tokener_parse(base);
    static const int flags[] = { JSON_C_TO_STRING_PLAIN, JSON_C_TO_STRING_SPACED,
                                 JSON_C_TO_STRING_PRETTY };
    char *text;
    assert_non_null(root);
    for (uint32_t k = 1 + rnd(3); k; k--)
        mutate_dom(root);
    text = ct_strdup(json_object_to_json_string_ext(root, flags[rnd(3)]));
    json_object_put(root);
    assert_non_null(text);
    if (rnd(4) == 0)
        mutate_text(&text);
    return text;
}

/* ---- checks ------------------------------------------------------------------------------ */

static bool is_schema_finding(const ct_sbom_finding *f)
{
    const char *m = f->message;
    return strncmp(m, "missing required member \"", 25) == 0 || strncmp(m, "expected ", 9) == 0 ||
           (strncmp(m, "member \"", 8) == 0 && strstr(m, "\" is not allowed here in SPDX")) ||
           strstr(m, " is not allowed here; expected one of: ") != NULL;
}

static void same_report(const ct_sbom_report *a, const ct_sbom_report *b, const char *what)
{
    ct_test_same_str(what, 0, a->format, b->format);
    ct_test_same_str(what, 0, a->spec_version, b->spec_version);
    if (a->valid != b->valid || a->schema_checked != b->schema_checked || a->nerrors != b->nerrors)
        fail_msg("%s: reports differ (%zu / %zu findings)", what, a->nerrors, b->nerrors);
    for (size_t i = 0; i < a->nerrors; i++) {
        ct_test_same_str(what, i, a->errors[i].location, b->errors[i].location);
        ct_test_same_str(what, i, a->errors[i].message, b->errors[i].message);
    }
}

/* ct_sbom_parse_validate against ct_sbom_validate_ex + ct_sbom_parse; the report (NEW). */
static ct_sbom_report *check_one(const char *text, size_t len, const char *what)
{
    ct_sbom_report *r1 = NULL, *r2 = NULL;
    ct_sbom *m2 = NULL, *m3 = NULL;
    char e2[1024] = "", e3[1024] = "";
    int rc3;

    assert_int_equal(ct_sbom_validate_ex(&r1, g_ctx, text, len, what, NULL), 0);
    ct_error_clear();
    assert_int_equal(ct_sbom_parse_validate(&m2, &r2, g_ctx, text, len, what, NULL), 0);
    if (!m2)
        snprintf(e2, sizeof e2, "%s", ct_error_format());
    ct_error_clear();
    rc3 = ct_sbom_parse(&m3, g_ctx, text, len, what);
    if (rc3 < 0)
        snprintf(e3, sizeof e3, "%s", ct_error_format());
    ct_error_clear();
    same_report(r1, r2, what);
    if ((m2 != NULL) != (rc3 == 0))
        fail_msg("%s: parse_validate %s a model, ct_sbom_parse %s (%s)", what,
                 m2 ? "gave" : "gave no", rc3 == 0 ? "too" : "failed", m2 ? e3 : e2);
    if (m2)
        ct_test_same_sbom(m3, m2);
    else
        ct_test_same_str(what, 0, e3, e2);
    ct_sbom_free(m2);
    ct_sbom_free(m3);
    ct_sbom_report_free(r2);
    return r1;
}

/* Run the oracle on paths[0..n); valid_out[i]. */
static void oracle_verdicts(bool *valid_out, char **paths, size_t n)
{
    char *oracle = ct_test_shared_path("oracles/spdx-validate");
    char **argv = ct_calloc(n + 2, sizeof *argv);
    ct_buf out = CT_BUF_INIT;
    int fd[2], st = 0;
    assert_non_null(oracle);
    assert_non_null(argv);
    argv[0] = oracle;
    for (size_t i = 0; i < n; i++)
        argv[i + 1] = paths[i];
    assert_int_equal(pipe(fd), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fd[0]);
        dup2(fd[1], 1);
        close(fd[1]);
        execv(argv[0], argv);
        _exit(127);
    }
    close(fd[1]);
    char buf[8192];
    ssize_t k;
    while ((k = read(fd[0], buf, sizeof buf)) > 0)
        ct_buf_put(&out, buf, (size_t)k);
    close(fd[0]);
    waitpid(pid, &st, 0);
    assert_true(WIFEXITED(st) && (WEXITSTATUS(st) == 0 || WEXITSTATUS(st) == 1));
    assert_false(out.failed);
    for (size_t i = 0; i < out.len; i++)
        if (out.ptr[i] == '\0')
            out.ptr[i] = ' '; /* a message may quote a string holding U+0000 */
    for (size_t i = 0; i < n; i++) {
        char ok[4200], bad[4200];
        snprintf(ok, sizeof ok, "OK %s\n", paths[i]);
        snprintf(bad, sizeof bad, "INVALID %s ", paths[i]);
        bool v = strstr(out.ptr, ok) != NULL, iv = strstr(out.ptr, bad) != NULL;
        if (v == iv)
            fail_msg("oracle gave no single verdict for %s", paths[i]);
        valid_out[i] = v;
    }
    ct_buf_dispose(&out);
    ct_free(argv);
    ct_free(oracle);
}

/* ---- the test ---------------------------------------------------------------------------- */

typedef struct {
    char *path;
    bool schema_invalid; /* we report a schema finding */
} oracle_case;

static void test_spdx_mutate__parse_validate_and_oracle(void **state)
{
    static const char *const exts[] = { ".json", NULL };
    ct_test_files fl = CT_TEST_FILES_INIT;
    const char *dump = getenv("CT_SPDX_MUTANTS_DIR");
    bool have_oracle = ct_test_oracles_installed();
    oracle_case *oc = ct_calloc(ORACLE_MAX, sizeof *oc);
    size_t noc = 0, nmut = 0, nbase = 0, nsyntax = 0, nvalid = 0;
    const char *per_env = getenv("CT_SPDX_MUTANTS_PER_DOC");
    long per_doc = per_env ? strtol(per_env, NULL, 10) : 0;
    if (per_doc <= 0 || per_doc > 100000)
        per_doc = MUTANTS_PER_DOC;
    (void)state;

    assert_non_null(oc);
    ct_test_collect(&fl, g_spdx, exts);
    for (size_t f = 0; f < fl.n; f++) {
        size_t len;
        char *base;
        if (strstr(fl.paths[f], "schema"))
            continue;
        base = ct_test_read(fl.paths[f], &len);
        json_object *probe = json_tokener_parse(base), *ver = NULL;
        bool spdx23 = probe && json_object_object_get_ex(probe, "spdxVersion", &ver) &&
                      json_object_is_type(ver, json_type_string) &&
                      strcmp(json_object_get_string(ver), "SPDX-2.3") == 0;
        bool spdx = probe && json_object_object_get_ex(probe, "spdxVersion", NULL);
        json_object_put(probe);
        if (!spdx) {
            ct_free(base);
            continue;
        }
        nbase++;
        ct_sbom_report_free(check_one(base, len, fl.paths[f]));
        g_rng = 0x9E3779B97F4A7C15ull ^ ((uint64_t)f * 0x100000001B3ull);
        for (long m = 0; m < per_doc; m++) {
            char what[64];
            char *text = make_mutant(base);
            size_t tl = strlen(text);
            snprintf(what, sizeof what, "m%05zu.spdx.json", nmut);
            if (dump) {
                char *p = ct_test_write_file(dump, what, text);
                ct_free(p);
            }
            ct_sbom_report *r = check_one(text, tl, what);
            bool syntax = r->nerrors && strchr(r->errors[0].location, ':') &&
                          r->errors[0].location[0] != '/';
            nsyntax += syntax;
            nvalid += r->valid;
            /* the oracle reads 2.3 documents with the same schema file: compare verdicts when
             * our schema walk ran on it */
            if (have_oracle && spdx23 && !syntax && r->schema_checked && r->spec_version &&
                strcmp(r->spec_version, "2.3") == 0 && noc < ORACLE_MAX &&
                (nmut % 2) == 0) {
                bool schema_bad = false;
                for (size_t i = 0; i < r->nerrors; i++)
                    schema_bad |= is_schema_finding(&r->errors[i]);
                oc[noc].path = ct_test_write_file(g_tmp, what, text);
                oc[noc].schema_invalid = schema_bad;
                noc++;
            }
            ct_sbom_report_free(r);
            ct_free(text);
            nmut++;
        }
        ct_free(base);
    }
    printf("  %zu base documents, %zu mutants (%zu syntax errors, %zu still valid)\n", nbase,
           nmut, nsyntax, nvalid);
    assert_true(nbase >= 10);
    assert_true(nsyntax > 0 && nsyntax < nmut / 2);
    if (have_oracle) {
        char **paths = ct_calloc(noc ? noc : 1, sizeof *paths);
        bool *valid = ct_calloc(noc ? noc : 1, sizeof *valid);
        size_t agree_bad = 0;
        assert_non_null(paths);
        assert_non_null(valid);
        for (size_t i = 0; i < noc; i++)
            paths[i] = oc[i].path;
        oracle_verdicts(valid, paths, noc);
        for (size_t i = 0; i < noc; i++) {
            if (valid[i] == oc[i].schema_invalid) {
                ct_sbom_report *r;
                size_t len;
                char *t = ct_test_read(oc[i].path, &len);
                r = check_one(t, len, oc[i].path);
                for (size_t k = 0; k < r->nerrors && k < 8; k++)
                    printf("    %s: %s\n", r->errors[k].location, r->errors[k].message);
                ct_sbom_report_free(r);
                ct_free(t);
                fail_msg("%s: spdx-validate says %s, our schema walk %s", oc[i].path,
                         valid[i] ? "valid" : "invalid",
                         oc[i].schema_invalid ? "has a finding" : "has none");
            }
            agree_bad += oc[i].schema_invalid;
            unlink(oc[i].path);
        }
        printf("  spdx-validate agrees on %zu mutants (%zu rejected by both)\n", noc, agree_bad);
        /* both verdicts occur, or the comparison shows nothing */
        assert_true(noc >= 100 && agree_bad > 0 && agree_bad < noc);
        ct_free(paths);
        ct_free(valid);
    } else {
        printf("skipped: spdx-validate on the mutants (oracles not installed)\n");
    }
    for (size_t i = 0; i < noc; i++)
        ct_free(oc[i].path);
    ct_free(oc);
    ct_test_files_free(&fl);
}

static int setup(void **state)
{
    (void)state;
    g_ctx = ct_test_ctx();
    g_tmp = ct_test_tmpdir();
    /* the schema files from ../shared, whatever the working directory */
    setenv(CT_SPDX_SCHEMA_ENV, g_spdx, 1);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ct_ctx_free(g_ctx);
    ct_free(g_tmp);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spdx_mutate__parse_validate_and_oracle),
    };
    if (!(g_spdx = ct_test_shared_path("conformance/spdx"))) {
        printf("skipped: ../shared/conformance/spdx is absent\n");
        return CT_TEST_SKIP;
    }
    int rc = cmocka_run_group_tests(tests, setup, teardown);
    ct_free(g_spdx);
    return rc;
}

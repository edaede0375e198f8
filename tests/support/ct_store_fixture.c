/* Store test fixture (ct_store_fixture.h). */
#include "ct_store_fixture.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

int ct_store_fixture_setup(void **state)
{
    ct_store_fixture *f = ct_calloc(1, sizeof *f);
    if (!f)
        fail_msg("out of memory");
    f->ctx = ct_test_ctx();
    f->st = ct_test_store_open(f->ctx);
    f->dir = ct_test_tmpdir();
    *state = f;
    return 0;
}

int ct_store_fixture_teardown(void **state)
{
    ct_store_fixture *f = *state;
    ct_store_close(f->st);
    ct_ctx_free(f->ctx);
    ct_free(f->dir);
    ct_free(f);
    return 0;
}

void ct_store_fixture_import_advisories(ct_store_fixture *f, const char *name, const char *format,
                                        const char *text)
{
    char *p = ct_test_write_file(f->dir, name, text);
    int rc = ct_import_advisories_ex(f->st, p, format, NULL);
    if (rc < 0)
        fail_msg("import %s: %s", name, ct_error_format());
    ct_free(p);
}

void ct_store_fixture_import_sbom(ct_store_fixture *f, const char *version,
                                  const char *const *purls, size_t npurls)
{
    ct_buf b = CT_BUF_INIT, name = CT_BUF_INIT;
    ct_buf_printf(&b, "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"version\":1,"
                      "\"metadata\":{\"component\":{\"type\":\"firmware\",\"name\":\"gw\","
                      "\"version\":\"%s\"}},\"components\":[",
                  version);
    for (size_t i = 0; i < npurls; i++) {
        const char *at = strchr(purls[i], '@'), *q = strchr(purls[i], '?');
        const char *slash = at;
        while (*slash != '/') /* the name: after the last '/' before the version */
            slash--;
        ct_buf_printf(&b,
                      "%s{\"type\":\"library\",\"bom-ref\":\"c%zu\",\"name\":\"%.*s\","
                      "\"version\":\"%.*s\",\"purl\":\"%s\"}",
                      i ? "," : "", i, (int)(at - slash - 1), slash + 1,
                      (int)((q ? q : at + strlen(at)) - at - 1), at + 1, purls[i]);
    }
    ct_buf_puts(&b, "]}");
    ct_buf_printf(&name, "sbom-%s.json", version);
    if (b.failed || name.failed)
        fail_msg("out of memory");
    char *p = ct_test_write_file(f->dir, name.ptr, b.ptr);
    int rc = ct_import_sbom_file(NULL, f->st, p, NULL, NULL, CT_TIME_NONE, NULL);
    if (rc < 0)
        fail_msg("import sbom %s: %s", name.ptr, ct_error_format());
    ct_free(p);
    ct_buf_dispose(&b);
    ct_buf_dispose(&name);
}

void ct_store_fixture_rematch(ct_store_fixture *f)
{
    int rc = ct_store_match_all(f->st, NULL);
    if (rc < 0)
        fail_msg("match: %s", ct_error_format());
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The n lines of v sorted, each followed by '\n' (NEW); v is reordered, its strings kept. */
static char *join_sorted(char **v, size_t n)
{
    ct_buf out = CT_BUF_INIT;
    if (n)
        qsort(v, n, sizeof *v, cmp_str);
    for (size_t i = 0; i < n; i++)
        ct_buf_printf(&out, "%s\n", v[i]);
    char *text = ct_strdup(out.len ? out.ptr : "");
    if (out.failed || !text)
        fail_msg("out of memory");
    ct_buf_dispose(&out);
    return text;
}

char *ct_test_sorted_lines(const char *text)
{
    char *copy = ct_strdup(text), *save = NULL, **v = NULL;
    size_t n = 0;
    if (!copy)
        fail_msg("out of memory");
    for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        char **nv = ct_reallocarray(v, n + 1, sizeof *v);
        if (!nv)
            fail_msg("out of memory");
        v = nv;
        v[n++] = l;
    }
    char *r = join_sorted(v, n);
    ct_free(v);
    ct_free(copy);
    return r;
}

/* One finding as a line of the given form into l. */
static void finding_line(ct_buf *l, json_object *f, ct_finding_line form)
{
    json_object *v, *t = NULL;
    json_object_object_get_ex(f, "purl", &v);
    ct_buf_printf(l, "%s", json_object_get_string(v));
    json_object_object_get_ex(f, "advisory", &v);
    ct_buf_printf(l, " %s", json_object_get_string(v));
    if (form != CT_FINDING_LINE_STATE)
        return;
    json_object_object_get_ex(f, "state", &v);
    ct_buf_printf(l, " %s", json_object_get_string(v));
    if (json_object_object_get_ex(f, "triage", &t) && t) {
        if (json_object_object_get_ex(t, "by", &v))
            ct_buf_printf(l, " by %s", json_object_get_string(v));
        if (json_object_object_get_ex(t, "justification", &v) && v)
            ct_buf_printf(l, " %s", json_object_get_string(v));
    }
}

char *ct_store_fixture_findings(ct_store *st, const char *state_filter, ct_finding_line form)
{
    ct_buf b = CT_BUF_INIT;
    assert_int_equal(ct_store_findings_json(&b, st, NULL, state_filter), CT_OK);
    json_object *arr = json_tokener_parse(b.ptr);
    assert_non_null(arr);
    size_t n = json_object_array_length(arr);
    char **lines = ct_calloc(n ? n : 1, sizeof *lines);
    if (!lines)
        fail_msg("out of memory");
    for (size_t i = 0; i < n; i++) {
        ct_buf l = CT_BUF_INIT;
        finding_line(&l, json_object_array_get_idx(arr, i), form);
        if (l.failed || !(lines[i] = ct_strdup(l.ptr)))
            fail_msg("out of memory");
        ct_buf_dispose(&l);
    }
    char *text = join_sorted(lines, n);
    for (size_t i = 0; i < n; i++)
        ct_free(lines[i]);
    ct_free(lines);
    json_object_put(arr);
    ct_buf_dispose(&b);
    return text;
}

void ct_store_fixture_expect(ct_store_fixture *f, const char *want)
{
    char *got = ct_store_fixture_findings(f->st, NULL, CT_FINDING_LINE_PURL_ADVISORY);
    char *w = ct_test_sorted_lines(want);
    assert_string_equal(got, w);
    ct_free(got);
    ct_free(w);
}

void ct_test_json_has(const char *got_text, const char *want_text)
{
    json_object *got = json_tokener_parse(got_text), *want = json_tokener_parse(want_text);
    if (!got)
        fail_msg("not JSON: %s", got_text);
    assert_non_null(want);
    json_object_object_foreach(want, key, val)
    {
        json_object *g = NULL;
        if (!json_object_object_get_ex(got, key, &g))
            fail_msg("member '%s' missing in %s", key, got_text);
        if (!json_object_equal(g, val))
            fail_msg("member '%s': got %s, expected %s", key, json_object_to_json_string(g),
                     json_object_to_json_string(val));
    }
    json_object_put(got);
    json_object_put(want);
}

int64_t ct_test_aff_units(const char *text, int release_idx, const char *customer)
{
    json_object *o = json_tokener_parse(text), *v;
    int64_t n = -1;
    assert_non_null(o);
    if (release_idx >= 0) {
        v = json_object_array_get_idx(json_object_object_get(o, "releases"), (size_t)release_idx);
        n = v ? json_object_get_int64(json_object_object_get(v, "units")) : -1;
    } else if (customer) {
        json_object *cs = json_object_object_get(o, "customers");
        for (size_t i = 0; i < json_object_array_length(cs); i++) {
            v = json_object_array_get_idx(cs, i);
            if (strcmp(json_object_get_string(json_object_object_get(v, "id")), customer) == 0)
                n = json_object_get_int64(json_object_object_get(v, "units"));
        }
    } else {
        n = json_object_get_int64(json_object_object_get(o, "units_total"));
    }
    json_object_put(o);
    return n;
}

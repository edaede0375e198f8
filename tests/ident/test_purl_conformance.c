/* purl-spec conformance: tests/spec, tests/types and the legacy suite from the shared data.
 * Known gaps live in purl-expected-failures.txt; an unexpected pass fails the run too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cratrace/base.h"
#include "cratrace/ident.h"

#ifndef CT_SHARED_DIR
#define CT_SHARED_DIR "../shared"
#endif
#ifndef CT_SOURCE_DIR
#define CT_SOURCE_DIR "."
#endif

#define PURL_DIR     CT_SHARED_DIR "/conformance/purl"
#define XFAIL_FILE   CT_SOURCE_DIR "/tests/ident/purl-expected-failures.txt"
#define MAX_FILES    128
#define MAX_XFAIL    512

typedef struct run {
    char *xfail[MAX_XFAIL]; /* "file#index" ids */
    bool xfail_seen[MAX_XFAIL];
    size_t nxfail;
    unsigned passed, failed, xfailed, xpassed, total;
} run;

/* ---- helpers ----------------------------------------------------------------------------- */

static const char *jstr(json_object *o, const char *key)
{
    json_object *v = NULL;
    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

static bool jbool(json_object *o, const char *key)
{
    json_object *v = NULL;
    return json_object_object_get_ex(o, key, &v) && json_object_get_boolean(v);
}

static json_object *load_json(const char *path)
{
    char *text = NULL;
    size_t len = 0;
    json_object *doc;
    if (ct_file_read(&text, &len, path, 64u << 20) < 0)
        return NULL;
    doc = json_tokener_parse(text);
    ct_free(text);
    return doc;
}

static bool str_eq(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void load_xfail(run *r)
{
    char *text = NULL, *line, *save = NULL;
    size_t len = 0;
    if (ct_file_read(&text, &len, XFAIL_FILE, 1u << 20) < 0) {
        ct_error_clear();
        return;
    }
    for (line = text; line && *line; line = save) {
        char *nl = strchr(line, '\n');
        save = nl ? nl + 1 : NULL;
        if (nl)
            *nl = '\0';
        if (*line == '\0' || *line == '#' || *line == ' ' || *line == '\t')
            continue;
        size_t idlen = strcspn(line, " \t");
        if (r->nxfail < MAX_XFAIL)
            r->xfail[r->nxfail++] = ct_strndup(line, idlen);
    }
    ct_free(text);
}

static long find_xfail(const run *r, const char *id)
{
    for (size_t i = 0; i < r->nxfail; i++)
        if (strcmp(r->xfail[i], id) == 0)
            return (long)i;
    return -1;
}

static void record(run *r, const char *id, const char *desc, bool ok, const char *expected,
                   const char *got)
{
    long x = find_xfail(r, id);
    r->total++;
    if (x >= 0)
        r->xfail_seen[x] = true;
    if (ok && x < 0) {
        r->passed++;
    } else if (!ok && x >= 0) {
        r->xfailed++;
    } else if (ok) {
        r->xpassed++;
        printf("%s: unexpected pass (%s); remove it from purl-expected-failures.txt\n", id, desc);
    } else {
        r->failed++;
        printf("%s: %s: expected %s vs got %s\n", id, desc, expected, got);
    }
}

/* ---- one case -------------------------------------------------------------------------- */

/* Render parsed components like the test files do, for comparison and messages. */
static void components_str(ct_buf *b, const ct_purl *p)
{
    ct_buf_printf(b, "type=%s ns=%s name=%s version=%s subpath=%s q={", p->type,
                  p->namespace_ ? p->namespace_ : "null", p->name ? p->name : "null",
                  p->version ? p->version : "null", p->subpath ? p->subpath : "null");
    for (size_t i = 0; i < p->nqualifiers; i++)
        ct_buf_printf(b, "%s%s=%s", i ? "," : "", p->qualifiers[i].key, p->qualifiers[i].value);
    ct_buf_putc(b, '}');
}

/* Build a ct_purl view of a JSON components object; strings are borrowed from json-c. */
static struct ct_purl_qualifier *components_from_json(ct_purl *p, json_object *o)
{
    json_object *q = NULL;
    struct ct_purl_qualifier *qs = NULL;
    size_t n = 0;

    memset(p, 0, sizeof(*p));
    p->type = (char *)(uintptr_t)jstr(o, "type");
    p->namespace_ = (char *)(uintptr_t)jstr(o, "namespace");
    p->name = (char *)(uintptr_t)jstr(o, "name");
    p->version = (char *)(uintptr_t)jstr(o, "version");
    p->subpath = (char *)(uintptr_t)jstr(o, "subpath");
    if (json_object_object_get_ex(o, "qualifiers", &q) && json_object_is_type(q, json_type_object)) {
        qs = ct_calloc((size_t)json_object_object_length(q) + 1, sizeof(*qs));
        json_object_object_foreach(q, key, val)
        {
            qs[n].key = key;
            qs[n].value = (char *)(uintptr_t)json_object_get_string(val);
            n++;
        }
    }
    p->qualifiers = qs;
    p->nqualifiers = n;
    return qs;
}

static void expected_components_str(ct_buf *b, json_object *o)
{
    ct_purl view;
    struct ct_purl_qualifier *qs = components_from_json(&view, o);
    /* Sort a copy of the expected qualifiers the way parse does. */
    for (size_t i = 1; i < view.nqualifiers; i++)
        for (size_t j = i; j > 0 && strcmp(qs[j - 1].key, qs[j].key) > 0; j--) {
            struct ct_purl_qualifier t = qs[j];
            qs[j] = qs[j - 1];
            qs[j - 1] = t;
        }
    components_str(b, &view);
    ct_free(qs);
}

static void run_parse(run *r, const char *id, const char *desc, const char *input,
                      json_object *expected, bool must_fail, unsigned flags)
{
    ct_purl *p = NULL;
    ct_buf want = CT_BUF_INIT, got = CT_BUF_INIT;
    int rc = ct_purl_parse_ex(&p, input, strlen(input), flags);

    if (must_fail) {
        if (rc == 0)
            components_str(&got, p);
        record(r, id, desc, rc < 0, "failure", rc < 0 ? "failure" : got.ptr);
    } else {
        expected_components_str(&want, expected);
        if (rc == 0)
            components_str(&got, p);
        else
            ct_buf_printf(&got, "error: %s", ct_error_last()->message);
        record(r, id, desc, rc == 0 && strcmp(want.ptr, got.ptr) == 0, want.ptr, got.ptr);
    }
    ct_purl_free(p);
    ct_buf_dispose(&want);
    ct_buf_dispose(&got);
}

/* "validate": the input must be valid, its canonical form must be expected_output, and
 * ct_purl_validate() must say "already canonical" (0) exactly when input == expected. */
static void run_validate(run *r, const char *id, const char *desc, const char *input,
                         const char *expected, bool must_fail, unsigned flags)
{
    ct_buf got = CT_BUF_INIT;
    int rc = ct_purl_validate(&got, input, strlen(input), flags);
    bool ok;

    if (rc < 0) {
        ct_buf_reset(&got);
        ct_buf_printf(&got, "error: %s", ct_error_last()->message);
    }
    if (must_fail) {
        ok = rc < 0;
    } else {
        ok = rc >= 0 && str_eq(expected, got.ptr) && (rc == 0) == str_eq(input, expected);
        if (rc >= 0 && str_eq(expected, got.ptr) && !ok)
            ct_buf_printf(&got, " (validate returned %d)", rc);
    }
    record(r, id, desc, ok, must_fail ? "failure" : expected ? expected : "null", got.ptr);
    ct_buf_dispose(&got);
}

/* The verdict on a formatting step that returned rc with its text in got (replaced by the error
 * when rc < 0): it must fail, or succeed giving expected. */
static void record_formatted(run *r, const char *id, const char *desc, int rc, ct_buf *got,
                             const char *expected, bool must_fail)
{
    if (rc < 0) {
        ct_buf_reset(got);
        ct_buf_printf(got, "error: %s", ct_error_last()->message);
    }
    if (must_fail)
        record(r, id, desc, rc < 0, "failure", got->ptr);
    else
        record(r, id, desc, rc == 0 && str_eq(expected, got->ptr), expected ? expected : "null",
               got->ptr);
}

static void run_roundtrip(run *r, const char *id, const char *desc, const char *input,
                          const char *expected, bool must_fail)
{
    ct_purl *p = NULL;
    ct_buf got = CT_BUF_INIT;
    int rc = ct_purl_parse(&p, input, strlen(input));

    if (rc == 0)
        rc = ct_purl_format(&got, p);
    record_formatted(r, id, desc, rc, &got, expected, must_fail);
    ct_purl_free(p);
    ct_buf_dispose(&got);
}

static void run_build(run *r, const char *id, const char *desc, json_object *input,
                      const char *expected, bool must_fail)
{
    ct_purl view;
    ct_buf got = CT_BUF_INIT;
    struct ct_purl_qualifier *qs = components_from_json(&view, input);
    int rc = ct_purl_format(&got, &view);

    record_formatted(r, id, desc, rc, &got, expected, must_fail);
    ct_free(qs);
    ct_buf_dispose(&got);
}

static void run_case(run *r, const char *id, json_object *t)
{
    const char *type = jstr(t, "test_type"), *desc = jstr(t, "description");
    const char *group = jstr(t, "test_group");
    bool must_fail = jbool(t, "expected_failure");
    /* "required" tests are conformance to the ECMA-427 rules as written; "recommended" ones
     * show how lenient processing repairs common problems (purl-spec docs, tests folder). */
    unsigned flags = group && strcmp(group, "required") == 0 ? CT_PURL_STRICT : 0;
    json_object *input = NULL, *expected = NULL;

    json_object_object_get_ex(t, "input", &input);
    json_object_object_get_ex(t, "expected_output", &expected);
    desc = desc ? desc : "";
    if (type && strcmp(type, "parse") == 0)
        run_parse(r, id, desc, json_object_get_string(input), expected, must_fail, flags);
    else if (type && strcmp(type, "validate") == 0)
        run_validate(r, id, desc, json_object_get_string(input), jstr(t, "expected_output"),
                     must_fail, flags);
    else if (type && strcmp(type, "roundtrip") == 0)
        run_roundtrip(r, id, desc, json_object_get_string(input), jstr(t, "expected_output"),
                      must_fail);
    else if (type && strcmp(type, "build") == 0)
        run_build(r, id, desc, input, jstr(t, "expected_output"), must_fail);
    else
        record(r, id, desc, false, "a known test_type", type ? type : "null");
}

static void run_file(run *r, const char *path, const char *label)
{
    json_object *doc = load_json(path), *tests = NULL;
    char id[256];

    if (!doc || !json_object_object_get_ex(doc, "tests", &tests)) {
        record(r, label, "load", false, "a test file", "unreadable");
        json_object_put(doc);
        return;
    }
    for (size_t i = 0; i < json_object_array_length(tests); i++) {
        snprintf(id, sizeof(id), "%s#%zu", label, i);
        run_case(r, id, json_object_array_get_idx(tests, i));
    }
    json_object_put(doc);
}

/* The older flat suite: parse must give the components and format the canonical string. */
static void run_legacy(run *r)
{
    json_object *doc = load_json(PURL_DIR "/legacy/test-suite-data.json");
    char id[256];

    if (!doc)
        return;
    for (size_t i = 0; i < json_object_array_length(doc); i++) {
        json_object *t = json_object_array_get_idx(doc, i);
        const char *desc = jstr(t, "description"), *purl = jstr(t, "purl");
        bool invalid = jbool(t, "is_invalid");
        snprintf(id, sizeof(id), "legacy/test-suite-data.json#%zu.parse", i);
        run_parse(r, id, desc ? desc : "", purl ? purl : "", t, invalid, 0);
        snprintf(id, sizeof(id), "legacy/test-suite-data.json#%zu.canonical", i);
        run_roundtrip(r, id, desc ? desc : "", purl ? purl : "", jstr(t, "canonical_purl"),
                      invalid);
    }
    json_object_put(doc);
}

static void test_purl_conformance__suite(void **state)
{
    run *r = *state;
    char *names[MAX_FILES];
    size_t n = 0;
    char path[1024], label[256];
    DIR *d;
    struct dirent *e;

    load_xfail(r);
    run_file(r, PURL_DIR "/tests/spec/specification-test.json", "spec/specification-test.json");
    d = opendir(PURL_DIR "/tests/types");
    assert_non_null(d);
    while ((e = readdir(d)) && n < MAX_FILES) {
        size_t len = strlen(e->d_name);
        if (len > 10 && strcmp(e->d_name + len - 10, "-test.json") == 0)
            names[n++] = ct_strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof(names[0]), name_cmp);
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof(path), "%s/tests/types/%s", PURL_DIR, names[i]);
        snprintf(label, sizeof(label), "types/%s", names[i]);
        run_file(r, path, label);
        ct_free(names[i]);
    }
    run_legacy(r);

    for (size_t i = 0; i < r->nxfail; i++)
        if (!r->xfail_seen[i]) {
            printf("%s: listed in purl-expected-failures.txt but no such case\n", r->xfail[i]);
            r->failed++;
        }
    printf("purl conformance: %u cases, %u passed, %u expected failures, %u failed, "
           "%u unexpected passes\n",
           r->total, r->passed, r->xfailed, r->failed, r->xpassed);
    for (size_t i = 0; i < r->nxfail; i++)
        ct_free(r->xfail[i]);
    assert_int_equal(r->failed + r->xpassed, 0);
}

int main(void)
{
    static run r;
    DIR *d = opendir(PURL_DIR "/tests/types");
    if (!d) {
        printf("purl conformance data not found under %s; skipping\n", PURL_DIR);
        return 77;
    }
    closedir(d);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_prestate(test_purl_conformance__suite, &r),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests for src/fleet/demo.c: determinism, counts and internal consistency of the demo. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cratrace/base.h"
#include "cratrace/demo.h"

static const char *const plain_files[] = { "manifest.json", "customers.csv", "units.csv",
                                           "events.csv", "advisories.osv.jsonl" };

static char *make_tmpdir(void)
{
    char tmpl[] = "/tmp/ct-demo-XXXXXX";
    assert_non_null(mkdtemp(tmpl));
    return ct_strdup(tmpl);
}

static char *path_of(const char *dir, const char *name)
{
    ct_buf b = CT_BUF_INIT;
    assert_int_equal(ct_buf_printf(&b, "%s/%s", dir, name), 0);
    return ct_buf_detach(&b);
}

static char *read_text(const char *dir, const char *name, size_t *len_out)
{
    char *path = path_of(dir, name), *data = NULL;
    size_t len = 0;
    if (ct_file_read(&data, &len, path, 64u << 20) < 0)
        fail_msg("read %s: %s", path, ct_error_last()->message);
    ct_free(path);
    if (len_out)
        *len_out = len;
    return data;
}

static json_object *load_manifest(const char *dir)
{
    char *text = read_text(dir, "manifest.json", NULL);
    json_object *m = json_tokener_parse(text);
    ct_free(text);
    assert_non_null(m);
    return m;
}

/* Every SBOM path named by the manifest, in manifest order; n_out gets the count. */
static const char **sbom_paths(json_object *m, size_t *n_out)
{
    json_object *products = json_object_object_get(m, "products");
    size_t n = 0, cap = 64;
    const char **out = ct_calloc(cap, sizeof *out);
    assert_non_null(out);
    for (size_t i = 0; i < json_object_array_length(products); i++) {
        json_object *rels = json_object_object_get(json_object_array_get_idx(products, i), "releases");
        for (size_t r = 0; r < json_object_array_length(rels); r++) {
            assert_true(n < cap);
            out[n++] = json_object_get_string(
                json_object_object_get(json_object_array_get_idx(rels, r), "sbom"));
        }
    }
    *n_out = n;
    return out;
}

static void remove_tree(const char *dir)
{
    json_object *m = load_manifest(dir);
    size_t n = 0;
    const char **sboms = sbom_paths(m, &n);
    for (size_t i = 0; i < n; i++) {
        char *p = path_of(dir, sboms[i]);
        unlink(p);
        ct_free(p);
    }
    for (size_t i = 0; i < CT_NELEM(plain_files); i++) {
        char *p = path_of(dir, plain_files[i]);
        unlink(p);
        ct_free(p);
    }
    char *p = path_of(dir, "sboms");
    rmdir(p);
    ct_free(p);
    rmdir(dir);
    ct_free(sboms);
    json_object_put(m);
}

/* Split one CSV line (no embedded newlines) into at most max fields, in place. */
static size_t split_csv(char *line, char **fields, size_t max)
{
    size_t n = 0;
    char *w = line, *r = line;
    bool quoted = false;
    fields[n++] = w;
    for (; *r; r++) {
        if (*r == '"') {
            if (quoted && r[1] == '"')
                *w++ = *r++;
            else
                quoted = !quoted;
        } else if (*r == ',' && !quoted) {
            *w++ = '\0';
            if (n < max)
                fields[n++] = w;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
    return n;
}

/* Lines of text (header included) split in place; returns the count. */
static size_t split_lines(char *text, char ***lines_out)
{
    size_t n = 0, cap = 1024;
    char **lines = ct_calloc(cap, sizeof *lines);
    assert_non_null(lines);
    for (char *p = text; *p;) {
        char *nl = strchr(p, '\n');
        if (n == cap) {
            cap *= 2;
            lines = ct_reallocarray(lines, cap, sizeof *lines);
            assert_non_null(lines);
        }
        lines[n++] = p;
        if (!nl)
            break;
        *nl = '\0';
        p = nl + 1;
    }
    *lines_out = lines;
    return n;
}

static void test_demo_generate__deterministic(void **state)
{
    ct_demo_options o = CT_DEMO_OPTIONS_INIT;
    char *a = make_tmpdir(), *b = make_tmpdir();
    (void)state;

    assert_int_equal(ct_demo_generate(a, &o), 0);
    assert_int_equal(ct_demo_generate(b, &o), 0);
    json_object *m = load_manifest(a);
    size_t n = 0;
    const char **sboms = sbom_paths(m, &n);
    assert_true(n >= 10);
    for (size_t i = 0; i < CT_NELEM(plain_files) + n; i++) {
        const char *name = i < CT_NELEM(plain_files) ? plain_files[i] : sboms[i - CT_NELEM(plain_files)];
        size_t la = 0, lb = 0;
        char *x = read_text(a, name, &la), *y = read_text(b, name, &lb);
        if (la != lb || memcmp(x, y, la) != 0)
            fail_msg("%s differs between two runs", name);
        ct_free(x);
        ct_free(y);
    }
    ct_free(sboms);
    json_object_put(m);
    remove_tree(a);
    remove_tree(b);
    ct_free(a);
    ct_free(b);
}

static void test_demo_generate__sboms_are_cyclonedx_1_5(void **state)
{
    char *dir = make_tmpdir();
    (void)state;

    assert_int_equal(ct_demo_generate(dir, NULL), 0);
    json_object *m = load_manifest(dir);
    json_object *products = json_object_object_get(m, "products");
    assert_true(json_object_array_length(products) >= 3);
    size_t n = 0;
    const char **sboms = sbom_paths(m, &n);
    assert_true(n >= 10);
    for (size_t i = 0; i < n; i++) {
        char *text = read_text(dir, sboms[i], NULL);
        json_object *bom = json_tokener_parse(text);
        if (!bom)
            fail_msg("%s is not JSON", sboms[i]);
        assert_string_equal(json_object_get_string(json_object_object_get(bom, "specVersion")), "1.5");
        json_object *comps = json_object_object_get(bom, "components");
        assert_true(json_object_array_length(comps) >= 60);
        assert_non_null(json_object_object_get(bom, "dependencies"));
        json_object_put(bom);
        ct_free(text);
    }
    ct_free(sboms);
    json_object_put(m);
    remove_tree(dir);
    ct_free(dir);
}

typedef struct unit_row {
    char *serial, *product, *release;
} unit_row;

static int cmp_unit(const void *a, const void *b)
{
    return strcmp(((const unit_row *)a)->serial, ((const unit_row *)b)->serial);
}

static bool release_exists(json_object *m, const char *product, const char *version)
{
    json_object *products = json_object_object_get(m, "products");
    for (size_t i = 0; i < json_object_array_length(products); i++) {
        json_object *p = json_object_array_get_idx(products, i);
        if (strcmp(json_object_get_string(json_object_object_get(p, "name")), product) != 0)
            continue;
        json_object *rels = json_object_object_get(p, "releases");
        for (size_t r = 0; r < json_object_array_length(rels); r++) {
            json_object *v = json_object_object_get(json_object_array_get_idx(rels, r), "version");
            if (strcmp(json_object_get_string(v), version) == 0)
                return true;
        }
    }
    return false;
}

static void check_events(char **lines, size_t nlines, unit_row *units, size_t nunits)
{
    char *fields[8];
    const char *prev_serial = "", *prev_time = "";
    bool *seen = ct_calloc(nunits + 1, sizeof *seen);
    unit_row *cur = NULL;
    const char *release = NULL;

    assert_non_null(seen);
    assert_string_equal(lines[0], "serial,product,time,kind,from_release,to_release,detail");
    for (size_t i = 1; i <= nlines; i++) {
        bool new_unit = i == nlines || strncmp(lines[i], prev_serial, strlen(prev_serial)) != 0 ||
                    lines[i][strlen(prev_serial)] != ',';
        if (cur && new_unit && release) /* the unit's history ends at its current release */
            assert_string_equal(release, cur->release);
        if (i == nlines)
            break;
        assert_int_equal(split_csv(lines[i], fields, 8), 7);
        if (new_unit) {
            unit_row key = { fields[0], NULL, NULL };
            cur = bsearch(&key, units, nunits, sizeof *units, cmp_unit);
            if (!cur)
                fail_msg("event for unknown unit %s", fields[0]);
            assert_false(seen[cur - units]); /* a unit's events are contiguous */
            seen[cur - units] = true;
            release = NULL;
            prev_time = "";
        }
        assert_string_equal(fields[1], cur->product);
        if (strcmp(fields[2], prev_time) <= 0)
            fail_msg("%s: event at %s is not after %s", fields[0], fields[2], prev_time);
        if (strcmp(fields[3], "ship") == 0 || strcmp(fields[3], "update") == 0) {
            if (release)
                assert_string_equal(fields[4], release);
            release = fields[5];
        }
        prev_serial = fields[0];
        prev_time = fields[2];
    }
    ct_free(seen);
}

static void test_demo_generate__fleet_is_consistent(void **state)
{
    ct_demo_options o = CT_DEMO_OPTIONS_INIT;
    char *dir = make_tmpdir(), **lines = NULL, **ev_lines = NULL, *fields[8];
    (void)state;

    assert_int_equal(ct_demo_generate(dir, &o), 0);
    json_object *m = load_manifest(dir);

    char *customers = read_text(dir, "customers.csv", NULL);
    size_t n = split_lines(customers, &lines);
    assert_string_equal(lines[0], "code,name,country,email,channel");
    assert_int_equal(n - 1, 200);
    assert_int_equal(strncmp(lines[1], "C0001,", 6), 0);
    assert_int_equal(strncmp(lines[200], "C0200,", 6), 0);
    ct_free(lines);

    char *units_text = read_text(dir, "units.csv", NULL);
    n = split_lines(units_text, &lines);
    assert_string_equal(lines[0], "serial,product,hardware_revision,release,customer,manufactured,state");
    assert_int_equal(n - 1, 5000);
    unit_row *units = ct_calloc(n, sizeof *units);
    assert_non_null(units);
    for (size_t i = 1; i < n; i++) {
        assert_int_equal(split_csv(lines[i], fields, 8), 7);
        units[i - 1] = (unit_row){ fields[0], fields[1], fields[3] };
        if (!release_exists(m, fields[1], fields[3]))
            fail_msg("%s: release %s of %s is not in the manifest", fields[0], fields[3], fields[1]);
    }
    qsort(units, n - 1, sizeof *units, cmp_unit);
    for (size_t i = 1; i + 1 < n; i++)
        if (strcmp(units[i - 1].serial, units[i].serial) == 0)
            fail_msg("duplicate serial %s", units[i].serial);

    char *events_text = read_text(dir, "events.csv", NULL);
    size_t ne = split_lines(events_text, &ev_lines);
    if (ne > 1 && ev_lines[ne - 1][0] == '\0')
        ne--;
    assert_true(ne > 5000);
    check_events(ev_lines, ne, units, n - 1);

    ct_free(ev_lines);
    ct_free(events_text);
    ct_free(units);
    ct_free(lines);
    ct_free(units_text);
    ct_free(customers);
    json_object_put(m);
    remove_tree(dir);
    ct_free(dir);
}

static void test_demo_generate__rejects_bad_options(void **state)
{
    ct_demo_options o = CT_DEMO_OPTIONS_INIT;
    (void)state;

    o.version = 99;
    assert_int_equal(ct_demo_generate("/tmp/ct-demo-never", &o), CT_EINVAL);
    o.version = CT_DEMO_OPTIONS_VERSION;
    o.customers = 0;
    assert_int_equal(ct_demo_generate("/tmp/ct-demo-never", &o), CT_EINVAL);
    assert_int_equal(ct_demo_generate(NULL, NULL), CT_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_demo_generate__deterministic),
        cmocka_unit_test(test_demo_generate__sboms_are_cyclonedx_1_5),
        cmocka_unit_test(test_demo_generate__fleet_is_consistent),
        cmocka_unit_test(test_demo_generate__rejects_bad_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

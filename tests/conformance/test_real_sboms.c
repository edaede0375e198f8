/* Every real CycloneDX JSON SBOM under ../shared/conformance/sboms: 1.2-1.6 documents import
 * without error with exactly as many components as the file holds (counted here
 * independently, straight from the JSON); other versions are refused as unsupported.
 * CT_TEST_USES_STORE: runs on SQLite and PostgreSQL. */
#include "ct_test.h"

#include <dirent.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char *sbom_root;

/* Count objects in "components" arrays, recursively, as the CycloneDX schema nests them. */
static size_t count_components(json_object *o)
{
    json_object *arr;
    size_t n = 0;
    if (!json_object_object_get_ex(o, "components", &arr) ||
        !json_object_is_type(arr, json_type_array))
        return 0;
    for (size_t i = 0; i < json_object_array_length(arr); i++)
        n += 1 + count_components(json_object_array_get_idx(arr, i));
    return n;
}

typedef struct {
    char **paths;
    size_t n, cap;
} file_list;

static void collect(file_list *fl, const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    if (!d)
        return;
    while ((e = readdir(d))) {
        char path[4096];
        struct stat sb;
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode)) {
            collect(fl, path);
            continue;
        }
        size_t len = strlen(path);
        if (!(len > 5 && strcmp(path + len - 5, ".json") == 0) &&
            !(len > 5 && strcmp(path + len - 5, ".sbom") == 0))
            continue;
        if (fl->n == fl->cap) {
            fl->cap = fl->cap ? fl->cap * 2 : 64;
            fl->paths = ct_reallocarray(fl->paths, fl->cap, sizeof *fl->paths);
        }
        fl->paths[fl->n++] = ct_strdup(path);
    }
    closedir(d);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_real_sboms__import_with_exact_counts(void **state)
{
    file_list fl = { NULL, 0, 0 };
    ct_ctx *ctx = ct_test_ctx();
    ct_store *st = ct_test_store_open(ctx);
    size_t imported = 0, refused = 0, other = 0, total_components = 0;
    (void)state;

    collect(&fl, sbom_root);
    qsort(fl.paths, fl.n, sizeof *fl.paths, cmp_str);
    for (size_t i = 0; i < fl.n; i++) {
        const char *path = fl.paths[i];
        json_object *doc = json_object_from_file(path), *v;
        const char *spec;
        char version[32];
        if (!doc || !json_object_is_type(doc, json_type_object) ||
            !json_object_object_get_ex(doc, "bomFormat", &v) ||
            strcmp(json_object_get_string(v), "CycloneDX") != 0 ||
            !json_object_object_get_ex(doc, "specVersion", &v)) {
            json_object_put(doc);
            other++;
            continue;
        }
        spec = json_object_get_string(v);
        size_t expected = count_components(doc);
        bool supported = strcmp(spec, "1.2") == 0 || strcmp(spec, "1.3") == 0 ||
                         strcmp(spec, "1.4") == 0 || strcmp(spec, "1.5") == 0 ||
                         strcmp(spec, "1.6") == 0;
        int64_t rid = 0, stored = -1;
        ct_import_stats stats;
        memset(&stats, 0, sizeof stats);
        snprintf(version, sizeof version, "r%zu", i);
        int rc = ct_import_sbom_file(&rid, st, path, "real-sboms", version, CT_TIME_NONE,
                                     &stats);
        if (supported) {
            if (rc != 0)
                fail_msg("%s (CycloneDX %s): import failed: %s", path, spec, ct_error_format());
            assert_int_equal(ct_store_release_component_count(&stored, st, rid), 0);
            if ((size_t)stored != expected)
                fail_msg("%s: stored %lld components, the file holds %zu", path,
                         (long long)stored, expected);
            imported++;
            total_components += expected;
        } else {
            if (rc != CT_EUNSUPPORTED)
                fail_msg("%s (CycloneDX %s): expected CT_EUNSUPPORTED, got %d (%s)", path, spec,
                         rc, ct_error_format());
            refused++;
        }
        json_object_put(doc);
    }
    printf("real SBOMs: %zu imported (%zu components), %zu refused as CycloneDX < 1.2, "
           "%zu not CycloneDX JSON\n",
           imported, total_components, refused, other);
    assert_true(imported >= 10);
    for (size_t i = 0; i < fl.n; i++)
        ct_free(fl.paths[i]);
    ct_free(fl.paths);
    ct_store_close(st);
    ct_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_sboms__import_with_exact_counts),
    };
    if (!ct_test_backend_available()) {
        printf("skipped: CT_TEST_PG_DSN not set\n");
        return CT_TEST_SKIP;
    }
    if (!(sbom_root = ct_test_shared_path("conformance/sboms"))) {
        printf("skipped: ../shared/conformance/sboms is absent\n");
        return CT_TEST_SKIP;
    }
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    ct_free(sbom_root);
    return rc;
}

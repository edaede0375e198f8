/* Loading a generated demo data set through the ordinary import paths. */
#include "cratrace/store.h"
#include "base/json_int.h"

#include <stdio.h>
#include <string.h>

static int path_in(ct_buf *out, const char *dir, const char *rel)
{
    ct_buf_reset(out);
    ct_buf_printf(out, "%s/%s", dir, rel);
    return out->failed ? ct_error_set(CT_ENOMEM, "out of memory") : 0;
}

static int load_product(ct_store *st, const char *dir, json_object *p, ct_buf *path,
                        ct_import_stats *stats)
{
    const char *name = NULL, *vendor = NULL, *cat = NULL, *until = NULL;
    json_object *rels;
    ct_time support = CT_TIME_NONE;
    int64_t pid;
    int rc;
    ct_jptr ptr;

    ct_jptr_init(&ptr);
    if ((rc = ct_json_opt_str(&name, p, "name", &ptr, "manifest.json")) < 0 ||
        (rc = ct_json_opt_str(&vendor, p, "vendor", &ptr, "manifest.json")) < 0 ||
        (rc = ct_json_opt_str(&cat, p, "category", &ptr, "manifest.json")) < 0 ||
        (rc = ct_json_opt_str(&until, p, "support_until", &ptr, "manifest.json")) < 0 ||
        (rc = ct_json_opt_array(&rels, p, "releases", &ptr, "manifest.json")) < 0)
        return rc;
    if (!name)
        return ct_error_set(CT_EPARSE, "manifest.json: product without a name");
    if (until && ct_time_parse(&support, until, strlen(until)) < 0)
        return rc;
    if ((rc = ct_store_product_add(&pid, st, name, vendor, cat, support)) < 0)
        return rc;
    for (size_t i = 0; rels && i < json_object_array_length(rels); i++) {
        json_object *r = json_object_array_get_idx(rels, i);
        const char *ver = NULL, *date = NULL, *sbom = NULL;
        ct_time released = CT_TIME_NONE;
        if ((rc = ct_json_opt_str(&ver, r, "version", &ptr, "manifest.json")) < 0 ||
            (rc = ct_json_opt_str(&date, r, "date", &ptr, "manifest.json")) < 0 ||
            (rc = ct_json_opt_str(&sbom, r, "sbom", &ptr, "manifest.json")) < 0)
            return rc;
        if (!ver || !sbom)
            return ct_error_set(CT_EPARSE, "manifest.json: release without version or sbom");
        if (date && (rc = ct_time_parse(&released, date, strlen(date))) < 0)
            return rc;
        if ((rc = path_in(path, dir, sbom)) < 0 ||
            (rc = ct_import_sbom_file(NULL, st, path->ptr, name, ver, released, stats)) < 0)
            return rc;
    }
    return 0;
}

int ct_demo_load(ct_store *st, const char *dir, ct_import_stats *stats)
{
    ct_buf path = CT_BUF_INIT;
    char *data = NULL;
    size_t len;
    json_object *root = NULL, *products;
    int rc;

    if ((rc = path_in(&path, dir, "manifest.json")) < 0 ||
        (rc = ct_file_read(&data, &len, path.ptr, 1u << 20)) < 0 ||
        (rc = ct_json_parse(&root, ct_store_ctx(st), data, len, path.ptr, 0)) < 0)
        goto cleanup;
    if (!json_object_object_get_ex(root, "products", &products) ||
        !json_object_is_type(products, json_type_array)) {
        rc = ct_error_set(CT_EPARSE, "%s: expected a \"products\" array", path.ptr);
        goto cleanup;
    }
    if ((rc = ct_store_begin(st)) < 0)
        goto cleanup;
    ct_store_bulk_mode(st, true);
    for (size_t i = 0; rc == 0 && i < json_object_array_length(products); i++)
        rc = load_product(st, dir, json_object_array_get_idx(products, i), &path, stats);
    if (rc == 0 && (rc = path_in(&path, dir, "customers.csv")) == 0)
        rc = ct_import_customers_csv(st, path.ptr, stats);
    if (rc == 0 && (rc = path_in(&path, dir, "units.csv")) == 0)
        rc = ct_import_units_csv(st, path.ptr, stats);
    if (rc == 0 && (rc = path_in(&path, dir, "events.csv")) == 0)
        rc = ct_import_events_csv(st, path.ptr, stats);
    if (rc == 0 && (rc = path_in(&path, dir, "advisories.osv.jsonl")) == 0)
        rc = ct_import_advisories(st, path.ptr, stats);
    if (rc < 0)
        ct_store_rollback(st);
    else
        rc = ct_store_commit(st);
    ct_store_bulk_mode(st, false);
cleanup:
    json_object_put(root);
    ct_free(data);
    ct_buf_dispose(&path);
    return rc;
}

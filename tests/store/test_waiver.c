/* Unit tests for src/store/waiver.c: SBOM profile waivers per product and per release, their
 * selection for a release and a profile, replacement, removal and bad input; and a stored
 * waiver applied to a real SBOM's profile findings.
 * CT_TEST_USES_STORE: runs on SQLite and PostgreSQL. */
#include "ct_store_fixture.h"

#include "cratrace/sbom_profile.h"
#include "cratrace/store.h"

#include <stdio.h>
#include <string.h>

typedef ct_store_fixture fixture;

static int setup(void **state)
{
    fixture *f;
    int64_t pid, rid;
    ct_store_fixture_setup(state);
    f = *state;
    assert_int_equal(ct_store_product_add(&pid, f->st, "router", NULL, NULL, CT_TIME_NONE), 0);
    assert_int_equal(ct_store_release_add(&rid, f->st, pid, "1.0", CT_TIME_NONE, NULL, NULL, NULL), 0);
    assert_int_equal(ct_store_release_add(&rid, f->st, pid, "2.0", CT_TIME_NONE, NULL, NULL, NULL), 0);
    assert_int_equal(ct_store_product_add(&pid, f->st, "camera", NULL, NULL, CT_TIME_NONE), 0);
    *state = f;
    return 0;
}

static ct_sbom_waiver waiver(const char *product, const char *release, const char *profile,
                             const char *field, const char *component, const char *reason)
{
    ct_sbom_waiver w;
    memset(&w, 0, sizeof w);
    w.product = (char *)(uintptr_t)product;
    w.release = (char *)(uintptr_t)release;
    w.profile = (char *)(uintptr_t)profile;
    w.field = (char *)(uintptr_t)field;
    w.component = (char *)(uintptr_t)component;
    w.reason = (char *)(uintptr_t)reason;
    w.actor = (char *)(uintptr_t)"Erika Mustermann";
    w.created = CT_TIME_NONE;
    return w;
}

static void test_waiver__add_and_select(void **state)
{
    fixture *f = *state;
    ct_sbom_waiver *list = NULL;
    size_t n = 0;
    int64_t id1, id2, id3, id4;

    ct_sbom_waiver w = waiver("router", NULL, "bsi", "hash-sha512", NULL,
                              "vendor blobs come without SHA-512");
    assert_int_equal(ct_store_waiver_add(&id1, f->st, &w), 0);
    w = waiver("router", "1.0", "bsi", "filename", "pkg:deb/debian/zlib1g@1.2.13", "package");
    assert_int_equal(ct_store_waiver_add(&id2, f->st, &w), 0);
    w = waiver("router", "2.0", "ntia", "supplier", NULL, "upstream names none");
    assert_int_equal(ct_store_waiver_add(&id3, f->st, &w), 0);
    w = waiver("camera", NULL, "bsi", "hash-sha512", NULL, "other product");
    assert_int_equal(ct_store_waiver_add(&id4, f->st, &w), 0);
    assert_true(id1 != id2 && id2 != id3 && id3 != id4);

    /* release 1.0, bsi: the product-wide waiver and the 1.0 one, oldest first */
    assert_int_equal(ct_store_waivers_list(&list, &n, f->st, "router", "1.0", "bsi"), 0);
    assert_int_equal(n, 2);
    assert_int_equal(list[0].id, id1);
    assert_null(list[0].release);
    assert_null(list[0].component);
    assert_string_equal(list[0].reason, "vendor blobs come without SHA-512");
    assert_string_equal(list[0].actor, "Erika Mustermann");
    assert_int_equal(list[0].created, ct_ctx_now(f->ctx));
    assert_string_equal(list[1].release, "1.0");
    assert_string_equal(list[1].component, "pkg:deb/debian/zlib1g@1.2.13");
    ct_sbom_waivers_free(list, n);

    /* release 2.0, any profile: the product-wide one and the 2.0 ntia one */
    assert_int_equal(ct_store_waivers_list(&list, &n, f->st, "router", "2.0", NULL), 0);
    assert_int_equal(n, 2);
    assert_int_equal(list[0].id, id1);
    assert_int_equal(list[1].id, id3);
    ct_sbom_waivers_free(list, n);

    /* the whole product */
    assert_int_equal(ct_store_waivers_list(&list, &n, f->st, "router", NULL, NULL), 0);
    assert_int_equal(n, 3);
    ct_sbom_waivers_free(list, n);

    /* the same key again replaces the reason instead of adding a row */
    w = waiver("router", NULL, "bsi", "hash-sha512", NULL, "supplier promised SHA-512 in Q3");
    int64_t again = 0;
    assert_int_equal(ct_store_waiver_add(&again, f->st, &w), 0);
    assert_int_equal(again, id1);
    assert_int_equal(ct_store_waivers_list(&list, &n, f->st, "router", NULL, "bsi"), 0);
    assert_int_equal(n, 2);
    assert_string_equal(list[0].reason, "supplier promised SHA-512 in Q3");
    ct_sbom_waivers_free(list, n);

    /* removal */
    assert_int_equal(ct_store_waiver_remove(f->st, id2), 0);
    assert_int_equal(ct_store_waiver_remove(f->st, id2), CT_ENOTFOUND);
    assert_int_equal(ct_store_waivers_list(&list, &n, f->st, "router", "1.0", NULL), 0);
    assert_int_equal(n, 1);
    ct_sbom_waivers_free(list, n);
}

static void test_waiver__bad_input_changes_nothing(void **state)
{
    fixture *f = *state;
    ct_sbom_waiver *list = NULL;
    size_t n = 0;

    ct_sbom_waiver w = waiver("router", NULL, "bsi", "sha", NULL, "r");
    assert_int_equal(ct_store_waiver_add(NULL, f->st, &w), CT_EINVAL);
    w = waiver("router", NULL, "cisa", "name", NULL, "r");
    assert_int_equal(ct_store_waiver_add(NULL, f->st, &w), CT_EINVAL);
    w = waiver("router", NULL, "ntia", "hash-sha512", NULL, "r"); /* a bsi field */
    assert_int_equal(ct_store_waiver_add(NULL, f->st, &w), CT_EINVAL);
    w = waiver("router", NULL, "bsi", "filename", NULL, "");
    assert_int_equal(ct_store_waiver_add(NULL, f->st, &w), CT_EINVAL);
    w = waiver("printer", NULL, "bsi", "filename", NULL, "r");
    assert_int_equal(ct_store_waiver_add(NULL, f->st, &w), CT_ENOTFOUND);
    w = waiver("router", "9.9", "bsi", "filename", NULL, "r");
    assert_int_equal(ct_store_waiver_add(NULL, f->st, &w), CT_ENOTFOUND);
    /* hostile text is data */
    w = waiver("router", NULL, "bsi", "filename", "x'); DROP TABLE sbom_waiver; --", "r'\"");
    assert_int_equal(ct_store_waiver_add(NULL, f->st, &w), 0);
    assert_int_equal(ct_store_waivers_list(&list, &n, f->st, "router", NULL, NULL), 0);
    assert_int_equal(n, 1);
    assert_string_equal(list[0].component, "x'); DROP TABLE sbom_waiver; --");
    assert_string_equal(list[0].reason, "r'\"");
    ct_sbom_waivers_free(list, n);
    assert_int_equal(ct_store_waivers_list(&list, &n, f->st, "printer", NULL, NULL),
                     CT_ENOTFOUND);
}

/* Stored waivers applied to a real SBOM: the waived field's findings turn into waived ones. */
static void test_waiver__applied_to_real_sbom(void **state)
{
    fixture *f = *state;
    char *path = ct_test_shared_path(
        "conformance/sboms/bom-shelter/in-the-wild/cyclonedx/redis-commander-sbom-cdx.json");
    ct_sbom_waiver *list = NULL;
    ct_sbom *sbom = NULL;
    ct_sbom_facts *facts = NULL;
    ct_sbom_profile_report *before = NULL, *after = NULL;
    char *data = NULL;
    size_t len = 0, n = 0, supplier = 0;

    if (!path)
        skip();
    assert_int_equal(ct_file_read(&data, &len, path, 64u << 20), 0);
    assert_int_equal(ct_sbom_parse(&sbom, f->ctx, data, len, path), 0);
    assert_int_equal(ct_sbom_facts_read(&facts, f->ctx, data, len, path), 0);
    assert_int_equal(ct_sbom_profile_check(&before, sbom, facts, "ntia", NULL, 0), 0);
    for (size_t i = 0; i < before->nfindings; i++)
        supplier += strcmp(before->findings[i].field, "supplier") == 0;
    assert_true(supplier > 0);

    ct_sbom_waiver w = waiver("router", "2.0", "ntia", "supplier", NULL, "npm has no supplier");
    assert_int_equal(ct_store_waiver_add(NULL, f->st, &w), 0);
    assert_int_equal(ct_store_waivers_list(&list, &n, f->st, "router", "2.0", "ntia"), 0);
    assert_int_equal(ct_sbom_profile_check(&after, sbom, facts, "ntia", list, n), 0);
    assert_int_equal(after->waived, supplier);
    assert_int_equal(after->failed, before->failed - supplier);
    for (size_t i = 0; i < after->nfindings; i++)
        if (after->findings[i].waiver)
            assert_string_equal(after->findings[i].waiver->reason, "npm has no supplier");
    ct_sbom_profile_report_free(after);
    ct_sbom_waivers_free(list, n);

    /* release 1.0 does not see the 2.0 waiver */
    assert_int_equal(ct_store_waivers_list(&list, &n, f->st, "router", "1.0", "ntia"), 0);
    assert_int_equal(n, 0);
    ct_sbom_waivers_free(list, n);

    ct_sbom_profile_report_free(before);
    ct_sbom_facts_free(facts);
    ct_sbom_free(sbom);
    ct_free(data);
    ct_free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_waiver__add_and_select, setup,
                                        ct_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_waiver__bad_input_changes_nothing, setup,
                                        ct_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_waiver__applied_to_real_sbom, setup,
                                        ct_store_fixture_teardown),
    };
    if (!ct_test_backend_available()) {
        printf("skipped: CT_TEST_PG_DSN not set\n");
        return CT_TEST_SKIP;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Tests of ct_import_sbom_file's file handling (src/store/import.c; issue 5, peak memory): a
 * regular file is read through a read-only mapping whose pages are dropped during the parse and
 * released before the store write; what is stored is what ct_sbom_parse reads from the same
 * bytes; a file over the size limit, an empty file and a missing one fail as before with the
 * store unchanged. CT_TEST_USES_STORE: runs on SQLite and PostgreSQL. */
#include "ct_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NCOMP 6000 /* ~1.7 MB, several release steps of the reader */

static char *gen_doc(size_t *len)
{
    ct_buf b = CT_BUF_INIT;
    ct_buf_puts(&b, "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"serialNumber\":"
                    "\"urn:uuid:0d8a2c1e-5b4f-4c2a-9d3e-7f6a5b4c3d2e\",\"version\":1,"
                    "\"metadata\":{\"component\":{\"type\":\"firmware\",\"name\":\"gw\","
                    "\"version\":\"9.1\"}},\n\"components\":[\n");
    for (int i = 0; i < NCOMP; i++)
        ct_buf_printf(&b,
                      "%s{\"type\":\"library\",\"bom-ref\":\"r%d\",\"group\":\"g%d\",\"name\":"
                      "\"n\\u00e4me-%d\",\"version\":\"1.%d\",\"purl\":\"pkg:npm/n%d@1.%d\","
                      "\"hashes\":[{\"alg\":\"SHA-1\",\"content\":\"%040x\"}],"
                      "\"licenses\":[{\"license\":{\"id\":\"MIT\"}}]}\n",
                      i ? "," : "", i, i % 13, i, i % 17, i, i % 17, (unsigned)i * 40503u);
    ct_buf_puts(&b, "],\n\"dependencies\":[\n");
    for (int i = 0; i < NCOMP; i++)
        ct_buf_printf(&b, "%s{\"ref\":\"r%d\",\"dependsOn\":[\"r%d\"]}\n", i ? "," : "", i,
                      (i + 1) % NCOMP);
    ct_buf_puts(&b, "]}\n");
    assert_false(b.failed);
    *len = b.len;
    return ct_buf_detach(&b);
}

static int64_t releases(ct_store *st)
{
    int64_t pid, rid;
    if (ct_store_product_find(&pid, st, "gw") < 0) {
        ct_error_clear();
        return 0;
    }
    if (ct_store_release_find(&rid, st, pid, "9.1") < 0) {
        ct_error_clear();
        return 0;
    }
    return 1;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* the dependency pairs "ref -> on", sorted (the store gives them back ordered by ref) */
static char **dep_pairs(const ct_sbom *s)
{
    char **v = ct_calloc(s->ndeps + 1, sizeof *v);
    assert_non_null(v);
    for (size_t i = 0; i < s->ndeps; i++) {
        ct_buf b = CT_BUF_INIT;
        ct_buf_printf(&b, "%s -> %s", s->deps[i].ref, s->deps[i].depends_on);
        assert_false(b.failed);
        v[i] = ct_buf_detach(&b);
    }
    qsort(v, s->ndeps, sizeof *v, cmp_str);
    return v;
}

static void free_pairs(char **v)
{
    for (size_t i = 0; v[i]; i++)
        ct_free(v[i]);
    ct_free(v);
}

static void test_sbom_import__mapped_file_stores_what_the_parse_reads(void **state)
{
    ct_ctx *ctx = ct_test_ctx();
    ct_store *st = ct_test_store_open(ctx);
    char *dir = ct_test_tmpdir();
    size_t len;
    char *doc = gen_doc(&len);
    ct_sbom *parsed = NULL, *stored = NULL;
    int64_t rid = 0, count = 0;
    ct_import_stats stats;
    (void)state;

    memset(&stats, 0, sizeof stats);
    char *path = ct_test_write_file(dir, "gw.cdx.json", doc);
    assert_int_equal(ct_sbom_parse(&parsed, ctx, doc, len, path), CT_OK);
    assert_int_equal(ct_import_sbom_file(&rid, st, path, NULL, NULL, CT_TIME_NONE, &stats),
                     CT_OK);
    assert_int_equal(stats.records, NCOMP);
    assert_int_equal(ct_store_release_component_count(&count, st, rid), CT_OK);
    assert_int_equal(count, NCOMP);
    assert_int_equal(ct_store_release_sbom(&stored, st, "gw", "9.1"), CT_OK);
    assert_string_equal(stored->components[7].name, "n\xc3\xa4me-7");
    /* components in file order, every field; dependencies as a set */
    assert_int_equal(parsed->ndeps, NCOMP);
    assert_int_equal(stored->ndeps, parsed->ndeps);
    char **pa = dep_pairs(parsed), **pb = dep_pairs(stored);
    for (size_t i = 0; i < parsed->ndeps; i++)
        ct_test_same_str("dependency", i, pa[i], pb[i]);
    free_pairs(pa);
    free_pairs(pb);
    size_t ndeps = parsed->ndeps;
    parsed->ndeps = stored->ndeps = 0;
    ct_test_same_sbom(parsed, stored);
    parsed->ndeps = stored->ndeps = ndeps; /* freed with the model */
    ct_sbom_free(parsed);
    ct_sbom_free(stored);
    ct_free(path);
    ct_free(doc);
    ct_free(dir);
    ct_store_close(st);
    ct_ctx_free(ctx);
}

static void test_sbom_import__bad_files_leave_the_store_unchanged(void **state)
{
    ct_ctx_options o = CT_CTX_OPTIONS_INIT;
    ct_ctx *ctx = NULL;
    char *dir = ct_test_tmpdir();
    size_t len;
    char *doc = gen_doc(&len);
    (void)state;

    o.limits.max_doc_bytes = len - 1; /* the file is one byte over */
    assert_int_equal(ct_ctx_new(&ctx, &o), CT_OK);
    ct_store *st = ct_test_store_open(ctx);
    char *big = ct_test_write_file(dir, "big.cdx.json", doc);
    assert_int_equal(ct_import_sbom_file(NULL, st, big, NULL, NULL, CT_TIME_NONE, NULL),
                     CT_ELIMIT);
    assert_non_null(strstr(ct_error_format(), "big.cdx.json"));
    char *empty = ct_test_write_file(dir, "empty.cdx.json", "");
    assert_int_equal(ct_import_sbom_file(NULL, st, empty, NULL, NULL, CT_TIME_NONE, NULL),
                     CT_EUNSUPPORTED);
    assert_non_null(strstr(ct_error_format(), "empty.cdx.json"));
    /* a syntax error in the last byte of a mapped file: located, nothing stored */
    doc[len - 2] = ',';
    o.limits.max_doc_bytes = len;
    char *bad = ct_test_write_file(dir, "bad.cdx.json", doc);
    ct_store_close(st);
    ct_ctx_free(ctx);
    assert_int_equal(ct_ctx_new(&ctx, &o), CT_OK);
    st = ct_test_store_open(ctx);
    assert_int_equal(ct_import_sbom_file(NULL, st, bad, NULL, NULL, CT_TIME_NONE, NULL),
                     CT_EPARSE);
    char where[64];
    snprintf(where, sizeof where, "bad.cdx.json:%d:1: unexpected end", 2 * NCOMP + 6);
    if (!strstr(ct_error_format(), where))
        fail_msg("expected the error at %s, got %s", where, ct_error_format());
    char missing[4096];
    snprintf(missing, sizeof missing, "%s/missing.cdx.json", dir);
    assert_int_equal(ct_import_sbom_file(NULL, st, missing, NULL, NULL, CT_TIME_NONE, NULL),
                     CT_ENOTFOUND);
    assert_int_equal(releases(st), 0);
    ct_free(big);
    ct_free(empty);
    ct_free(bad);
    ct_free(doc);
    ct_free(dir);
    ct_store_close(st);
    ct_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sbom_import__mapped_file_stores_what_the_parse_reads),
        cmocka_unit_test(test_sbom_import__bad_files_leave_the_store_unchanged),
    };
    if (!ct_test_backend_available()) {
        printf("skipped: CT_TEST_PG_DSN not set\n");
        return CT_TEST_SKIP;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}

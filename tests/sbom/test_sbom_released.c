/* Unit tests for the release hook of the CycloneDX JSON path (src/sbom/cyclonedx_json.c
 * ct_sbom__parse_released, src/base/json_tape.c ct_jtape_parse_released; issue 5, peak
 * memory): a multi-MiB document read from a read-only file mapping whose pages the hook drops
 * (madvise MADV_DONTNEED) as the tape and the model are built gives the same model, and the same
 * located errors, as ct_sbom_parse of a heap copy. */
#define _DEFAULT_SOURCE /* madvise */
#include "ct_test.h"

#include "base/json_tape.h"
#include "sbom/cdx_json_int.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define NCOMP 24000 /* ~7.5 MB: more than one tokenizer release step (4 MiB) */

/* A generated CycloneDX 1.6 document: every 50th component has two nested ones, names with
 * escapes (unescaped on the tape's side buffer), hashes, licences, suppliers, a dependency
 * chain. defect: 0 none, 1 the last component has no "type", 2 a syntax error at the end. */
static char *gen_doc(size_t *len, int defect)
{
    ct_buf b = CT_BUF_INIT;
    ct_buf_puts(&b, "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"serialNumber\":"
                    "\"urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79\",\"version\":1,"
                    "\"metadata\":{\"component\":{\"type\":\"firmware\",\"name\":\"gen\","
                    "\"version\":\"1\"}},\n\"components\":[\n");
    for (int i = 0; i < NCOMP; i++) {
        bool last = i == NCOMP - 1;
        ct_buf_printf(&b,
                      "%s{%s\"bom-ref\":\"c%d\",\"group\":\"org.example.g%d\",\"name\":"
                      "\"comp\\u00e9-%d\\n\",\"version\":\"%d.%d.%d\",\"purl\":"
                      "\"pkg:maven/org.example.g%d/comp-%d@%d.%d.%d\",\"supplier\":{\"name\":"
                      "\"Sup \\\"%d\\\"\"},\"hashes\":[{\"alg\":\"SHA-256\",\"content\":"
                      "\"%064x\"}],\"licenses\":[{\"license\":{\"id\":\"%s\"}},"
                      "{\"expression\":\"MIT OR Apache-2.0\"}]",
                      i ? "," : "", last && defect == 1 ? "" : "\"type\":\"library\",", i,
                      i % 97, i, i % 7, i % 11, i, i % 97, i, i % 7, i % 11, i, i % 13,
                      (unsigned)i * 2654435761u, i % 2 ? "Apache-2.0" : "MIT");
        if (i % 50 == 0)
            ct_buf_printf(&b,
                          ",\"components\":[{\"type\":\"file\",\"name\":\"f%d.bin\"},"
                          "{\"type\":\"file\",\"name\":\"g%d.txt\",\"cpe\":"
                          "\"cpe:2.3:a:x:y:%d:*:*:*:*:*:*:*\"}]",
                          i, i, i);
        ct_buf_puts(&b, "}\n");
    }
    ct_buf_puts(&b, "],\n\"dependencies\":[\n");
    for (int i = 0; i < NCOMP; i++)
        ct_buf_printf(&b, "%s{\"ref\":\"c%d\",\"dependsOn\":[\"c%d\",\"c%d\"]}\n", i ? "," : "",
                      i, (i + 1) % NCOMP, (i + 7) % NCOMP);
    ct_buf_puts(&b, defect == 2 ? "],}\n" : "]}\n");
    assert_false(b.failed);
    *len = b.len;
    return ct_buf_detach(&b);
}

typedef struct {
    char *map;
    size_t len;
    size_t calls;
} mapped;

static void drop(void *payload)
{
    mapped *m = payload;
    m->calls++;
    assert_int_equal(madvise(m->map, m->len, MADV_DONTNEED), 0);
}

/* the document written to a file and mapped read-only, as store/import.c reads it */
static void map_doc(mapped *m, const char *dir, const char *doc, size_t len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/doc.json", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(doc, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    int fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    m->map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
    assert_true(m->map != MAP_FAILED);
    close(fd);
    m->len = len;
    m->calls = 0;
}

static void test_parse_released__mapped_and_dropped_gives_the_same_model(void **state)
{
    ct_ctx *ctx = ct_test_ctx();
    char *dir = ct_test_tmpdir();
    size_t len;
    char *doc = gen_doc(&len, 0);
    ct_sbom *heap = NULL, *released = NULL;
    mapped m;
    (void)state;

    assert_int_equal(ct_sbom_parse(&heap, ctx, doc, len, "doc.json"), CT_OK);
    map_doc(&m, dir, doc, len);
    assert_int_equal(ct_sbom__parse_released(&released, ctx, m.map, len, "doc.json", drop, &m),
                     CT_OK);
    assert_int_equal(heap->ncomponents, NCOMP + 2 * ((NCOMP + 49) / 50));
    assert_int_equal(heap->ndeps, 2 * NCOMP);
    assert_string_equal(heap->components[0].name, "comp\xc3\xa9-0\n");
    assert_string_equal(heap->components[0].supplier, "Sup \"0\"");
    ct_test_same_sbom(heap, released);
    ct_test_same_sbom(released, heap);
    /* after the UTF-8 check, every 4 MiB of tokenizing, after the tape, every 1,024 top-level
     * components and dependency objects, both when counted and when read */
    size_t at_least = 2 + len / ((size_t)4 << 20) + 4 * (NCOMP / 1024);
    if (m.calls < at_least)
        fail_msg("release called %zu times, expected at least %zu", m.calls, at_least);
    ct_sbom_free(heap);
    ct_sbom_free(released);
    munmap(m.map, m.len);
    ct_free(doc);
    ct_free(dir);
    ct_ctx_free(ctx);
}

/* errors found after pages were dropped carry the same location (line and column are counted
 * over the paged-back bytes) */
static void test_parse_released__errors_match_the_heap_parse(void **state)
{
    ct_ctx *ctx = ct_test_ctx();
    char *dir = ct_test_tmpdir();
    (void)state;

    for (int defect = 1; defect <= 2; defect++) {
        size_t len;
        char *doc = gen_doc(&len, defect);
        ct_sbom *s = NULL;
        mapped m;
        int rc_heap = ct_sbom_parse(&s, ctx, doc, len, "doc.json");
        assert_null(s);
        char *heap_msg = ct_strdup(ct_error_format());
        map_doc(&m, dir, doc, len);
        int rc_rel = ct_sbom__parse_released(&s, ctx, m.map, len, "doc.json", drop, &m);
        assert_null(s);
        assert_int_equal(rc_heap, CT_EPARSE);
        assert_int_equal(rc_rel, rc_heap);
        assert_string_equal(ct_error_format(), heap_msg);
        /* the defect is where it was put: the last component, or column 3 of the last line */
        char where[64];
        snprintf(where, sizeof where, "doc.json:%d:3: malformed JSON", 2 * NCOMP + 5);
        if (!strstr(heap_msg, defect == 1 ? "/components/23999" : where))
            fail_msg("unexpected error: %s", heap_msg);
        assert_true(m.calls > 2);
        ct_free(heap_msg);
        munmap(m.map, m.len);
        ct_free(doc);
    }
    ct_free(dir);
    ct_ctx_free(ctx);
}

/* other formats ignore the hook and read as ct_sbom_parse does */
static void test_parse_released__spdx_ignores_the_hook(void **state)
{
    static const char spdx[] =
        "{\"spdxVersion\":\"SPDX-2.3\",\"SPDXID\":\"SPDXRef-DOCUMENT\",\"name\":\"d\","
        "\"dataLicense\":\"CC0-1.0\",\"documentNamespace\":\"https://example.com/d\","
        "\"creationInfo\":{\"created\":\"2024-01-01T00:00:00Z\",\"creators\":[\"Tool: t\"]},"
        "\"packages\":[{\"SPDXID\":\"SPDXRef-p\",\"name\":\"p\",\"versionInfo\":\"1\","
        "\"downloadLocation\":\"NOASSERTION\"}]}";
    ct_ctx *ctx = ct_test_ctx();
    ct_sbom *a = NULL, *b = NULL;
    mapped m = { NULL, 0, 0 };
    (void)state;
    assert_int_equal(ct_sbom_parse(&a, ctx, spdx, strlen(spdx), "d.spdx.json"), CT_OK);
    assert_int_equal(
        ct_sbom__parse_released(&b, ctx, spdx, strlen(spdx), "d.spdx.json", drop, &m), CT_OK);
    assert_int_equal(m.calls, 0);
    assert_string_equal(b->format, "spdx-json");
    ct_test_same_sbom(a, b);
    ct_sbom_free(a);
    ct_sbom_free(b);
    ct_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_released__mapped_and_dropped_gives_the_same_model),
        cmocka_unit_test(test_parse_released__errors_match_the_heap_parse),
        cmocka_unit_test(test_parse_released__spdx_ignores_the_hook),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

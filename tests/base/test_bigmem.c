/* Unit tests for src/base/bigmem.c (large blocks on transparent huge pages), the input-mapping
 * hints of src/base/file_map.c (populate, file-backed check, dropping pages) and the one UTF-8
 * decoding step that ct_utf8_valid and the JSON tokenizer share (base_int.h; spdx8). */
#define _DEFAULT_SOURCE /* madvise, MAP_ANONYMOUS */
#include "ct_test.h"

#include "base/base_int.h"
#include "base/bigmem.h"
#include "base/file_map.h"
#include "base/json_tape.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#define MIB ((size_t)1 << 20)

static long minflt(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_minflt;
}

/* byte i of the test pattern */
static unsigned char pat(size_t i)
{
    return (unsigned char)((i * 2654435761u) >> 13);
}

static void fill(unsigned char *p, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        p[i] = pat(i);
}

static void check(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != pat(i))
            fail_msg("byte %zu changed (%u, expected %u)", i, p[i], pat(i));
}

static void test_bigmem__small_blocks_are_heap_blocks_that_keep_their_bytes(void **state)
{
    (void)state;
    unsigned char *p = ct_bigmem_alloc(100);
    assert_non_null(p);
    assert_true(ct_bigmem_usable(p) >= 100);
    assert_int_equal((uintptr_t)p % 16, 0);
    fill(p, 0, 100);
    p = ct_bigmem_realloc(p, 5000, 1);
    assert_non_null(p);
    check(p, 100);
    fill(p, 100, 5000);
    p = ct_bigmem_realloc(p, 10, 1); /* shrink */
    assert_non_null(p);
    check(p, 10);
    ct_bigmem_free(p);
    ct_bigmem_free(NULL);
    assert_int_equal(ct_bigmem_usable(NULL), 0);
    p = ct_bigmem_alloc(0); /* a valid block, as ct_malloc(0) */
    assert_non_null(p);
    ct_bigmem_free(p);
}

static void test_bigmem__large_blocks_are_aligned_mappings_rounded_to_2mib(void **state)
{
    (void)state;
    size_t t = ct_bigmem_threshold();
    unsigned char *p = ct_bigmem_alloc(t);
    assert_non_null(p);
    /* the header sits at the start of a 2 MiB aligned mapping; the slack is usable */
    assert_int_equal(((uintptr_t)p - 64) % (2 * MIB), 0);
    assert_int_equal(ct_bigmem_usable(p) + 64, ((t + 64 + 2 * MIB - 1) / (2 * MIB)) * 2 * MIB);
    fill(p, 0, ct_bigmem_usable(p));
    check(p, ct_bigmem_usable(p));
    ct_bigmem_free(p);
}

static void test_bigmem__growth_across_the_threshold_keeps_the_bytes(void **state)
{
    (void)state;
    size_t n = 4096, cur = 0;
    unsigned char *p = NULL, *other;
    /* doubling from the heap into mappings and on (in place or moved: another mapping right
     * after it forces a move now and then) */
    for (int round = 0; round < 8; round++, n *= 3) {
        unsigned char *q = ct_bigmem_realloc(p, n, 1);
        assert_non_null(q);
        p = q;
        assert_true(ct_bigmem_usable(p) >= n);
        check(p, cur);
        fill(p, cur, n);
        cur = n;
        other = ct_bigmem_alloc(2 * MIB); /* may take the range after p */
        assert_non_null(other);
        memset(other, 0x5a, 2 * MIB - 64);
        ct_bigmem_free(other);
    }
    check(p, cur);
    /* shrinking a mapping keeps a mapping while above the threshold, then goes to the heap */
    p = ct_bigmem_realloc(p, 3 * MIB, 1);
    assert_non_null(p);
    check(p, 3 * MIB);
    p = ct_bigmem_realloc(p, 1000, 1);
    assert_non_null(p);
    check(p, 1000);
    ct_bigmem_free(p);
}

/* Resident 4 KiB pages of [p, p + len) (mincore); -1 when it cannot tell. */
static long resident_pages(const void *p, size_t len)
{
    long pg = sysconf(_SC_PAGESIZE);
    uintptr_t b = (uintptr_t)p & ~((uintptr_t)pg - 1);
    size_t n = ((uintptr_t)p + len - b + (size_t)pg - 1) / (size_t)pg;
    unsigned char *vec = ct_malloc(n ? n : 1);
    long r = 0;
    if (!vec)
        return -1;
    if (mincore((void *)b, n * (size_t)pg, vec) != 0) {
        ct_free(vec);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        r += vec[i] & 1;
    ct_free(vec);
    return r;
}

/* spdx9: a tight block maps the length asked for rounded to the page size (2 MiB aligned, so
 * its whole 2 MiB ranges may still be huge pages), keeps its bytes and its kind through growth
 * (in place or moved), shrinking and either resize call, and its partial last 2 MiB holds no
 * page that was not touched (a rounded block's last huge page is resident as a whole). */
static void test_bigmem__tight_blocks_map_the_page_rounded_length(void **state)
{
    (void)state;
    size_t pg = (size_t)sysconf(_SC_PAGESIZE), n = 2 * MIB + 300 * 1024 + 5, cur;
    unsigned char *p = ct_bigmem_realloc_tight(NULL, n, 1), *other;
#define PAGE_LEN(len) (((len) + 64 + pg - 1) / pg * pg)
    assert_non_null(p);
    assert_int_equal(((uintptr_t)p - 64) % (2 * MIB), 0);
    assert_int_equal(ct_bigmem_usable(p) + 64, PAGE_LEN(n));
    /* the whole first 2 MiB, three bytes of the rest */
    fill(p, 0, 2 * MIB - 64);
    unsigned char *tail = p + 2 * MIB - 64; /* the mapping's partial last 2 MiB */
    size_t tail_len = ct_bigmem_usable(p) - (2 * MIB - 64);
    tail[0] = 1;
    tail[tail_len / 2] = 2;
    tail[tail_len - 1] = 3;
    long res = resident_pages(tail, tail_len);
    printf("  tight block of %zu bytes: %ld of the last %zu pages resident after 3 writes\n", n,
           res, tail_len / pg);
    if (res >= 0)
        assert_true(res <= 3);
    memset(tail, 0, tail_len);
    cur = 2 * MIB - 64;
    /* growth keeps the bytes and the page-rounded length, also through ct_bigmem_realloc and
     * when another mapping right after it forces a move */
    for (int round = 0; round < 5; round++) {
        size_t m = n + (size_t)round * 3 * MIB + 777;
        other = ct_bigmem_alloc(2 * MIB);
        assert_non_null(other);
        memset(other, 0x5a, 2 * MIB - 64);
        p = round & 1 ? ct_bigmem_realloc(p, m, 1) : ct_bigmem_realloc_tight(p, m, 1);
        assert_non_null(p);
        ct_bigmem_free(other);
        assert_int_equal(((uintptr_t)p - 64) % (2 * MIB), 0);
        assert_int_equal(ct_bigmem_usable(p) + 64, PAGE_LEN(m));
        check(p, cur);
        fill(p, cur, m);
        cur = m;
    }
    /* shrinking: a tight mapping above the threshold, then a heap block */
    p = ct_bigmem_realloc(p, MIB + 3, 1);
    assert_non_null(p);
    assert_int_equal(ct_bigmem_usable(p) + 64, PAGE_LEN(MIB + 3));
    check(p, MIB + 3);
    p = ct_bigmem_realloc_tight(p, 1000, 1);
    assert_non_null(p);
    assert_int_equal(ct_bigmem_usable(p), 1000);
    check(p, 1000);
    /* and back into a tight mapping from the heap */
    p = ct_bigmem_realloc_tight(p, 3 * MIB, 1);
    assert_non_null(p);
    assert_int_equal(ct_bigmem_usable(p) + 64, PAGE_LEN(3 * MIB));
    check(p, 1000);
    ct_bigmem_free(p);
    assert_null(ct_bigmem_realloc_tight(NULL, SIZE_MAX / 2, 4));
#undef PAGE_LEN
}

static void test_bigmem__calloc_zeroes_and_overflow_fails(void **state)
{
    (void)state;
    unsigned char *a = ct_bigmem_calloc(100, 3), *b = ct_bigmem_calloc(3 * MIB, 1);
    assert_non_null(a);
    assert_non_null(b);
    for (size_t i = 0; i < 300; i++)
        assert_int_equal(a[i], 0);
    for (size_t i = 0; i < 3 * MIB; i += 511)
        assert_int_equal(b[i], 0);
    ct_bigmem_free(a);
    ct_bigmem_free(b);
    assert_null(ct_bigmem_calloc(SIZE_MAX / 2, 4));
    assert_null(ct_bigmem_realloc(NULL, SIZE_MAX / 2, 4));
    assert_null(ct_bigmem_alloc(SIZE_MAX - 10));
}

/* With THP available ("madvise" or "always"), touching a large block takes a fault per 2 MiB,
 * not per 4 KiB page: the point of the allocator. Skipped (with a message) without THP. */
static void test_bigmem__large_blocks_fault_per_huge_page(void **state)
{
    (void)state;
    char mode[128] = "";
    FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
    if (f) {
        if (!fgets(mode, sizeof mode, f))
            mode[0] = '\0';
        fclose(f);
    }
    if (!strstr(mode, "[always]") && !strstr(mode, "[madvise]")) {
        printf("  skipped: transparent huge pages are off here (%s)\n", f ? "never" : "no sysfs");
        return;
    }
    unsigned char *p = ct_bigmem_alloc(16 * MIB);
    assert_non_null(p);
    long f0 = minflt();
    for (size_t i = 0; i < 16 * MIB; i += 4096)
        p[i] = 1;
    long faults = minflt() - f0;
    ct_bigmem_free(p);
    /* 4,096 with 4 KiB pages; 8-9 with huge pages. A kernel out of huge pages falls back to
     * small ones for some: allow a quarter of them */
    printf("  16 MiB touched: %ld faults\n", faults);
    assert_true(faults < 1024);
}

static void test_file_map__populate_and_drop_keep_the_bytes(void **state)
{
    (void)state;
    char *dir = ct_test_tmpdir(), path[4096];
    size_t len = 3 * MIB + 123;
    unsigned char *buf = ct_malloc(len);
    ct_file_map m;
    FILE *f;
    assert_non_null(buf);
    fill(buf, 0, len);
    snprintf(path, sizeof path, "%s/in.bin", dir);
    assert_non_null(f = fopen(path, "wb"));
    assert_int_equal(fwrite(buf, 1, len, f), len);
    assert_int_equal(fclose(f), 0);

    assert_int_equal(ct_file_map_open(&m, path, len, CT_FILE_MAP_POPULATE), 0);
    assert_true(ct_file_map_mapped(&m));
    assert_int_equal(m.len, len);
    /* populated: reading every page takes (almost) no faults */
    long f0 = minflt();
    check((const unsigned char *)m.data, len);
    long faults = minflt() - f0;
    printf("  populated mapping, %zu pages read: %ld faults\n", len / 4096, faults);
    assert_true(faults < 16);
    assert_true(ct_mem_file_backed(m.data, m.len));
    assert_false(ct_mem_file_backed(buf, len));  /* heap */
    assert_false(ct_mem_file_backed(m.data, m.len + 8192)); /* past the mapping */
    /* dropped pages read back unchanged; only whole pages in the range are dropped */
    const char *next = ct_mem_drop(m.data + 100, m.data + 2 * MIB + 5);
    assert_true(next == m.data + 2 * MIB);
    check((const unsigned char *)m.data, len);
    ct_mem_will_read(m.data, m.len); /* a hint; the bytes stay */
    check((const unsigned char *)m.data, len);
    ct_file_map_close(&m);

    /* the same bytes without the flag */
    assert_int_equal(ct_file_map_open(&m, path, len, 0), 0);
    ct_mem_will_read(m.data, m.len);
    f0 = minflt();
    check((const unsigned char *)m.data, len);
    printf("  ct_mem_will_read, %zu pages read: %ld faults\n", len / 4096, minflt() - f0);
    ct_file_map_close(&m);
    ct_mem_will_read(buf, len); /* heap: nothing happens */
    check(buf, len);
    ct_mem_will_read(NULL, 0);
    unlink(path);
    rmdir(dir);
    ct_free(buf);
    ct_free(dir);
}

/* The JSON tokenizer and ct_utf8_valid judge every byte alike: the string "\"" S "\"" is
 * accepted exactly when S is valid UTF-8, and a rejection names the first bad byte, for every
 * sequence of one or two bytes, and three and four bytes with every lead and second byte and
 * later bytes from a sample of the classes (ASCII, NUL, each continuation range, leads, FF)
 * (spdx8: one decoding step, base_int.h). */
static void one(ct_ctx *ctx, const unsigned char *s, size_t n, size_t *checked)
{
    char doc[16];
    size_t bad = 0;
    ct_jtape t = CT_JTAPE_INIT;
    bool ok = ct_utf8_valid((const char *)s, n, &bad);
    doc[0] = '"';
    memcpy(doc + 1, s, n);
    doc[n + 1] = '"';
    int rc = ct_jtape_parse(&t, ctx, doc, n + 2, "u.json", 0);
    bool esc_or_quote = false, ctrl = false;
    for (size_t i = 0; i < n; i++) {
        esc_or_quote |= s[i] == '"' || s[i] == '\\';
        ctrl |= s[i] < 0x20;
    }
    ct_jtape_dispose(&t);
    (*checked)++;
    if (esc_or_quote || (ctrl && ok))
        return; /* JSON's own rules decide those */
    if (ok != (rc == 0))
        fail_msg("%zu bytes %02x %02x %02x %02x: ct_utf8_valid %s, tokenizer %s", n, s[0],
                 n > 1 ? s[1] : 0, n > 2 ? s[2] : 0, n > 3 ? s[3] : 0, ok ? "accepts" : "rejects",
                 rc == 0 ? "accepts" : "rejects");
    if (!ok && ct_error_last()->offset != (int64_t)bad + 1)
        fail_msg("%02x %02x %02x: first bad byte %zu, tokenizer says %lld", s[0],
                 n > 1 ? s[1] : 0, n > 2 ? s[2] : 0, bad, (long long)ct_error_last()->offset - 1);
}

static void test_utf8__tokenizer_and_ct_utf8_valid_agree_on_every_short_sequence(void **state)
{
    (void)state;
    static const unsigned char cont[] = { 0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf,
                                          0xc0, 0xc2, 0xe0, 0xf0, 0xff };
    ct_ctx *ctx = ct_test_ctx();
    unsigned char s[4];
    size_t checked = 0;
    for (unsigned a = 1; a < 256; a++) {
        s[0] = (unsigned char)a;
        one(ctx, s, 1, &checked);
        for (unsigned b = 0; b < 256; b++) {
            s[1] = (unsigned char)b;
            one(ctx, s, 2, &checked);
            if (a < 0xc2)
                continue; /* an ASCII or bad lead: later bytes change nothing new */
            for (size_t c = 0; c < sizeof cont; c++) {
                s[2] = cont[c];
                one(ctx, s, 3, &checked);
                if (a < 0xf0 || a > 0xf5)
                    continue;
                for (size_t d = 0; d < sizeof cont; d++) {
                    s[3] = cont[d];
                    one(ctx, s, 4, &checked);
                }
            }
        }
    }
    printf("  %zu sequences compared\n", checked);
    ct_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bigmem__small_blocks_are_heap_blocks_that_keep_their_bytes),
        cmocka_unit_test(test_bigmem__large_blocks_are_aligned_mappings_rounded_to_2mib),
        cmocka_unit_test(test_bigmem__growth_across_the_threshold_keeps_the_bytes),
        cmocka_unit_test(test_bigmem__tight_blocks_map_the_page_rounded_length),
        cmocka_unit_test(test_bigmem__calloc_zeroes_and_overflow_fails),
        cmocka_unit_test(test_bigmem__large_blocks_fault_per_huge_page),
        cmocka_unit_test(test_file_map__populate_and_drop_keep_the_bytes),
        cmocka_unit_test(test_utf8__tokenizer_and_ct_utf8_valid_agree_on_every_short_sequence),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

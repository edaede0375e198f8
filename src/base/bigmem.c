/* Large blocks on transparent huge pages (bigmem.h). Every block starts with a 64-byte header
 * (so the caller's pointer stays 64-byte aligned in a mapping and 16-byte aligned on the heap):
 * a heap block is ct_malloc(HDR + n); a mapped block is HDR + n rounded up to 2 MiB (a tight
 * block: to the page size), at a 2 MiB aligned address (a huge page can only back an aligned
 * 2 MiB range that lies wholly inside a mapping, so a tight block's partial last 2 MiB stays on
 * 4 KiB pages, resident only where touched; spdx9). */
#define _GNU_SOURCE /* mremap */
#include "bigmem.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define HDR      ((size_t)64)
#define HUGE_SZ  ((size_t)2 << 20)
#define MAGIC_HEAP 0x6268656170u /* "bheap" */
#define MAGIC_MAP  0x626d6170u   /* "bmap" */
#define MAGIC_TIGHT 0x62746768u  /* "btgh": a mapping of the page-rounded length */
/* measured (docs/PERFORMANCE.md §7, spdx8): from 1 MiB on, a block is at most half slack when
 * rounded to 2 MiB, and one huge page (zeroed in ~0.1 ms) replaces >= 256 faults (~4 ms) */
#define THRESHOLD ((size_t)1 << 20)

typedef struct {
    uint64_t magic;
    uint64_t total; /* bytes from the header on: the mapping's length, or HDR + usable */
    uint64_t usable;
} hdr;

static hdr *hdr_of(const void *p)
{
    return (hdr *)((char *)(uintptr_t)p - HDR);
}

size_t ct_bigmem_threshold(void)
{
    return THRESHOLD;
}

/* The mapping's length for n bytes: rounded to 2 MiB, or for a tight block to the page size
 * (the callers bound n to SIZE_MAX - 2 MiB - HDR first: no wrap). */
static size_t map_len_for(size_t n, bool tight)
{
    size_t unit = HUGE_SZ;
    if (tight) {
        long pg = sysconf(_SC_PAGESIZE);
        unit = pg > 0 && (size_t)pg <= HUGE_SZ ? (size_t)pg : 4096;
    }
    return (n + HDR + unit - 1) & ~(unit - 1);
}

/* A fresh 2 MiB aligned anonymous mapping of len (a multiple of the page size) bytes, advised
 * for huge pages; NULL when none could be made. */
static char *map_aligned(size_t len)
{
    size_t over = len + HUGE_SZ;
    char *raw, *base;
    if (over < len)
        return NULL;
    raw = mmap(NULL, over, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED)
        return NULL;
    base = (char *)(((uintptr_t)raw + HUGE_SZ - 1) & ~(uintptr_t)(HUGE_SZ - 1));
    if (base > raw)
        munmap(raw, (size_t)(base - raw));
    if (raw + over > base + len)
        munmap(base + len, (size_t)(raw + over - (base + len)));
    (void)madvise(base, len, MADV_HUGEPAGE); /* a hint: EINVAL without THP changes nothing */
    return base;
}

static void *new_block(size_t n, bool zero, bool tight)
{
    hdr *h;
    if (n >= THRESHOLD) {
        size_t len = map_len_for(n, tight);
        if (len < n)
            return NULL;
        if (!(h = (hdr *)map_aligned(len)))
            return NULL;
        h->magic = tight ? MAGIC_TIGHT : MAGIC_MAP;
        h->total = len;
        h->usable = len - HDR;
        return (char *)h + HDR; /* fresh anonymous pages read as zero */
    }
    if (!(h = zero ? ct_calloc(1, HDR + n) : ct_malloc(HDR + n)))
        return NULL;
    h->magic = MAGIC_HEAP;
    h->total = HDR + n;
    h->usable = n;
    return (char *)h + HDR;
}

void *ct_bigmem_alloc(size_t n)
{
    return n > SIZE_MAX - HUGE_SZ - HDR ? NULL : new_block(n, false, false);
}

void *ct_bigmem_calloc(size_t n, size_t size)
{
    size_t total;
    if (__builtin_mul_overflow(n, size, &total) || total > SIZE_MAX - HUGE_SZ - HDR)
        return NULL;
    return new_block(total, true, false);
}

size_t ct_bigmem_usable(const void *p)
{
    return p ? (size_t)hdr_of(p)->usable : 0;
}

void ct_bigmem_free(void *p)
{
    hdr *h;
    if (!p)
        return;
    h = hdr_of(p);
    if (h->magic == MAGIC_MAP || h->magic == MAGIC_TIGHT)
        munmap(h, (size_t)h->total);
    else
        ct_free(h);
}

/* Grow or shrink mapping h to len bytes (a multiple of 2 MiB, or of the page size for a tight
 * block); the new header, or NULL. */
static hdr *remap(hdr *h, size_t len)
{
    size_t old = (size_t)h->total;
    char *base = (char *)h, *nb;

    if (len < old) {
        munmap(base + len, old - len);
    } else if (len > old) {
        /* in place when the range after it is free, else move the pages (no copy) to a new
         * aligned range: mremap's own choice of address would not keep the 2 MiB alignment */
        void *r = mremap(base, old, len, 0);
        if (r == MAP_FAILED) {
            if (!(nb = map_aligned(len)))
                return NULL;
            r = mremap(base, old, old, MREMAP_MAYMOVE | MREMAP_FIXED, nb);
            if (r == MAP_FAILED) {
                munmap(nb, len);
                return NULL;
            }
            base = nb;
        }
        (void)madvise(base, len, MADV_HUGEPAGE);
    }
    h = (hdr *)base;
    h->total = len;
    h->usable = len - HDR;
    return h;
}

/* ct_bigmem_realloc; tight: a new mapping (from NULL or the heap) is a tight one. A mapping
 * keeps its kind. */
static void *resize(void *p, size_t n, size_t size, bool tight)
{
    size_t total;
    hdr *h;
    void *q;

    if (__builtin_mul_overflow(n, size, &total) || total > SIZE_MAX - HUGE_SZ - HDR)
        return NULL;
    if (!p)
        return new_block(total, false, tight);
    h = hdr_of(p);
    bool mapped = h->magic == MAGIC_MAP || h->magic == MAGIC_TIGHT;
    if (mapped)
        tight = h->magic == MAGIC_TIGHT;
    if (mapped && total >= THRESHOLD) {
        if (!(h = remap(h, map_len_for(total, tight))))
            return NULL;
        return (char *)h + HDR;
    }
    if (h->magic == MAGIC_HEAP && total < THRESHOLD) {
        if (!(h = ct_reallocarray(h, HDR + total, 1)))
            return NULL;
        h->total = HDR + total;
        h->usable = total;
        return (char *)h + HDR;
    }
    /* crossing the threshold: heap <-> mapping, one copy */
    if (!(q = new_block(total, false, tight)))
        return NULL;
    memcpy(q, p, total < h->usable ? total : (size_t)h->usable);
    ct_bigmem_free(p);
    return q;
}

void *ct_bigmem_realloc(void *p, size_t n, size_t size)
{
    return resize(p, n, size, false);
}

void *ct_bigmem_realloc_tight(void *p, size_t n, size_t size)
{
    return resize(p, n, size, true);
}

/* Internal: large, growing memory blocks placed for transparent huge pages (issue 5, spdx8).
 *
 * A block of at least ct_bigmem_threshold() bytes is an anonymous mapping aligned to 2 MiB and
 * advised MADV_HUGEPAGE, so that with THP in "madvise" mode a first touch maps 2 MiB at once
 * instead of faulting 4 KiB at a time (each fault costs ~13-18 us of CPU on the project's VMs).
 * It grows by moving its pages (mremap), never by copying, and is unmapped when freed. Smaller
 * blocks come from ct_malloc. The advice is only a hint: with THP off, or when the kernel has no
 * huge page at hand, the block is an ordinary mapping and everything works the same.
 *
 * Ownership: every block from ct_bigmem_* is freed with ct_bigmem_free, never ct_free (and a
 * ct_malloc block is never passed here). Blocks are not shared between threads by this API
 * (there is no global state: each call is independent and thread-safe). */
#ifndef CT_BIGMEM_H
#define CT_BIGMEM_H

#include "cratrace/base.h"

/** Size from which a block is a huge-page-advised mapping (bytes). */
size_t ct_bigmem_threshold(void);
/** A block of n bytes (contents undefined); NULL when out of memory. n == 0 gives a valid
 * one-byte block, as ct_malloc. */
void *ct_bigmem_alloc(size_t n);
/** A zeroed block of n * size bytes (fresh mappings are zero already: no memset for them);
 * NULL when out of memory or n * size overflows. */
void *ct_bigmem_calloc(size_t n, size_t size);
/** Resize p (NULL: a new block) to n * size bytes, as ct_reallocarray: the contents up to the
 * smaller size are kept, NULL (p untouched) when out of memory or n * size overflows. A block
 * crossing the threshold moves between the heap and a mapping; a mapping grows or shrinks in
 * place or moves its pages. */
void *ct_bigmem_realloc(void *p, size_t n, size_t size);
/** ct_bigmem_realloc making a tight block when it maps (spdx9, peak RSS): the mapping is the
 * length asked for rounded to the page size (not to 2 MiB), still 2 MiB aligned, so only its
 * whole 2 MiB ranges get huge pages and a partial last one stays on 4 KiB pages, resident only
 * where touched (a rounded block's huge last page is resident as a whole). For arrays that
 * grow by doubling or are sized once, whose last 2 MiB is often far from full (the JSON tape,
 * id lists). A tight mapping stays tight when grown or shrunk by either call; heap blocks are
 * the same for both. */
void *ct_bigmem_realloc_tight(void *p, size_t n, size_t size);
/** Bytes usable in p (>= the size asked for: a mapping is rounded up to 2 MiB, a tight one to
 * the page size, so growth paths may use the slack without a call); 0 for NULL. */
size_t ct_bigmem_usable(const void *p);
/** Free p; NULL is a no-op. */
void ct_bigmem_free(void *p);

#endif

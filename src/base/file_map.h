/* Internal: a large input file's bytes without a private heap copy (issue 5, peak memory). A
 * regular file is mapped read-only, so that a reader can drop the pages it has walked past
 * (ct_file_map_release: they come back from the page cache when read again); stdin, anything
 * that cannot be mapped and (when asked for) gzip input are read into the heap as before. Used
 * by `sbom import` (store/import.c) and the files of `sbom diff`, `merge` and `convert`
 * (ct_sbom_parse_file). */
#ifndef CT_FILE_MAP_H
#define CT_FILE_MAP_H

#include "cratrace/base.h"

typedef struct ct_file_map {
    const char *data; /* the bytes: the mapping or the heap copy */
    size_t len;
    /* private */
    char *heap;
    char *map;
    int fd;
    uint64_t dev, ino;
    int64_t size, mtime_s, mtime_ns, ctime_s, ctime_ns;
} ct_file_map;

/* ct_file_map_open flags */
#define CT_FILE_MAP_GUNZIP 0x1u /* gzip input is decompressed (into the heap), as ct_file_read_any */
/* the whole file will be read, and not dropped as it goes: its pages are mapped at once
 * (MAP_POPULATE) instead of a fault per 64 KiB (spdx8). Not for readers that drop pages
 * (ct_file_map_release). */
#define CT_FILE_MAP_POPULATE 0x2u

/** Open path ("-" = stdin) up to max bytes into m (zeroed first); the same errors as
 * ct_file_read (missing file, size over the limit, ...). Close with ct_file_map_close in
 * every case. */
int ct_file_map_open(ct_file_map *m, const char *path, size_t max, unsigned flags);
/** A hint that p[0..len) will all be read soon, once, without dropping pages (spdx8: the SPDX
 * JSON tokenizer): the pages of a file mapping are mapped now, in one call
 * (MADV_POPULATE_READ, Linux >= 5.14), instead of a page fault per 64 KiB; a no-op for memory
 * that is mapped already and where the kernel lacks the call. Never an error. */
void ct_mem_will_read(const void *p, size_t len);
/** p[0..len) lies in one read-only private mapping of a file (/proc/self/maps): its pages may
 * be dropped (ct_mem_drop) and come back unchanged from the page cache when read again.
 * False for heap, stack, anonymous or writable memory, and when /proc cannot be read. */
bool ct_mem_file_backed(const void *p, size_t len);
/** Drop the resident whole pages in [from, to) of such a mapping (madvise MADV_DONTNEED, a
 * hint); returns where the next drop starts (from, or the page end reached). Only for memory
 * ct_mem_file_backed accepted: other pages would lose their bytes. */
const char *ct_mem_drop(const char *from, const char *to);
/** True when m's bytes are a file mapping whose pages ct_file_map_release can drop. */
bool ct_file_map_mapped(const ct_file_map *m);
/** Drop the resident pages of a mapping (payload: the ct_file_map; a ct_jtape_release_fn):
 * a hint, the bytes stay readable. A no-op for heap input. */
void ct_file_map_release(void *payload);
/** A mapped file must not have changed while it was read (bytes paged back in would be the new
 * ones): same device, inode, size, modification and change times as when it was opened.
 * CT_EIO naming path otherwise; 0 for heap input. */
int ct_file_map_check(const ct_file_map *m, const char *path);
/** Unmap / free; m is zeroed (closing twice is fine). */
void ct_file_map_close(ct_file_map *m);

#endif

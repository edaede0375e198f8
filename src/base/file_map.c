/* Read-only file mappings for large inputs (file_map.h). */
#define _DEFAULT_SOURCE /* madvise */
#include "file_map.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static void stamp(ct_file_map *m, const struct stat *st)
{
    m->dev = (uint64_t)st->st_dev;
    m->ino = (uint64_t)st->st_ino;
    m->size = (int64_t)st->st_size;
    m->mtime_s = (int64_t)st->st_mtim.tv_sec;
    m->mtime_ns = (int64_t)st->st_mtim.tv_nsec;
    m->ctime_s = (int64_t)st->st_ctim.tv_sec;
    m->ctime_ns = (int64_t)st->st_ctim.tv_nsec;
}

static bool is_gzip(const char *d, size_t n)
{
    return n >= 2 && (unsigned char)d[0] == 0x1f && (unsigned char)d[1] == 0x8b;
}

int ct_file_map_open(ct_file_map *m, const char *path, size_t max, unsigned flags)
{
    struct stat st;
    int rc;

    memset(m, 0, sizeof *m);
    m->fd = -1;
    if (strcmp(path, "-") != 0 && (m->fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
        if (fstat(m->fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
            (uint64_t)st.st_size <= max && (uint64_t)st.st_size <= SIZE_MAX) {
            int mf = MAP_PRIVATE | ((flags & CT_FILE_MAP_POPULATE) ? MAP_POPULATE : 0);
            void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, mf, m->fd, 0);
            if (p != MAP_FAILED) {
                m->map = p;
                m->len = (size_t)st.st_size;
                stamp(m, &st);
                if (!(flags & CT_FILE_MAP_GUNZIP) || !is_gzip(m->map, m->len)) {
                    m->data = m->map;
                    return 0;
                }
            }
        }
        /* not mapped, or gzip to decompress: the heap read below, as before */
        ct_file_map_close(m);
    }
    rc = (flags & CT_FILE_MAP_GUNZIP) ? ct_file_read_any(&m->heap, &m->len, path, max)
                                      : ct_file_read(&m->heap, &m->len, path, max);
    m->data = m->heap;
    return rc;
}

void ct_mem_will_read(const void *p, size_t len)
{
#ifdef MADV_POPULATE_READ
    long pg = sysconf(_SC_PAGESIZE);
    uintptr_t a, e;
    if (!p || !len || pg <= 0)
        return;
    a = (uintptr_t)p & ~((uintptr_t)pg - 1);
    e = (uintptr_t)p + len;
    (void)madvise((void *)a, (size_t)(e - a), MADV_POPULATE_READ); /* a hint */
#else
    (void)p;
    (void)len;
#endif
}

bool ct_mem_file_backed(const void *p, size_t len)
{
    uintptr_t a = (uintptr_t)p, lo, hi;
    char line[512], perms[8];
    unsigned long long off, ino;
    unsigned maj, mnr;
    bool ok = false;
    FILE *f;
    if (!p || !len || !(f = fopen("/proc/self/maps", "re")))
        return false;
    while (fgets(line, sizeof line, f)) {
        size_t n = strlen(line);
        bool whole = n && line[n - 1] == '\n';
        if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR " %4s %llx %x:%x %llu", &lo, &hi, perms, &off,
                   &maj, &mnr, &ino) == 7 &&
            a >= lo && a < hi) {
            ok = len <= hi - a && strcmp(perms, "r--p") == 0 && ino != 0;
            break;
        }
        while (!whole && fgets(line, sizeof line, f)) { /* the rest of a long line */
            n = strlen(line);
            whole = n && line[n - 1] == '\n';
        }
    }
    fclose(f);
    return ok;
}

const char *ct_mem_drop(const char *from, const char *to)
{
    long pg = sysconf(_SC_PAGESIZE);
    const char *b, *e;
    if (pg <= 0 || !from || to <= from)
        return from;
    b = (const char *)(((uintptr_t)from + (uintptr_t)pg - 1) & ~((uintptr_t)pg - 1));
    e = (const char *)((uintptr_t)to & ~((uintptr_t)pg - 1));
    if (e <= b)
        return from;
    (void)madvise((void *)(uintptr_t)b, (size_t)(e - b), MADV_DONTNEED); /* a hint */
    return e;
}

bool ct_file_map_mapped(const ct_file_map *m)
{
    return m->map != NULL && m->data == m->map;
}

void ct_file_map_release(void *payload)
{
    ct_file_map *m = payload;
    if (ct_file_map_mapped(m))
        (void)madvise(m->map, m->len, MADV_DONTNEED); /* a hint: failure changes nothing */
}

int ct_file_map_check(const ct_file_map *m, const char *path)
{
    struct stat now;
    ct_file_map cur;

    if (!ct_file_map_mapped(m))
        return 0;
    memset(&cur, 0, sizeof cur);
    if (fstat(m->fd, &now) == 0)
        stamp(&cur, &now);
    if (cur.dev != m->dev || cur.ino != m->ino || cur.size != m->size ||
        cur.mtime_s != m->mtime_s || cur.mtime_ns != m->mtime_ns || cur.ctime_s != m->ctime_s ||
        cur.ctime_ns != m->ctime_ns) {
        ct_loc loc = { path, 0, 0, -1, NULL };
        return ct_error_set_at(&loc, CT_EIO, "the file changed while it was read");
    }
    return 0;
}

void ct_file_map_close(ct_file_map *m)
{
    if (m->map)
        munmap(m->map, m->len);
    if (m->fd >= 0)
        close(m->fd);
    ct_free(m->heap);
    memset(m, 0, sizeof *m);
    m->fd = -1;
}

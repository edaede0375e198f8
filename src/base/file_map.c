/* Read-only file mappings for large inputs (file_map.h). */
#define _DEFAULT_SOURCE /* madvise */
#include "file_map.h"

#include <fcntl.h>
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
            void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, m->fd, 0);
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

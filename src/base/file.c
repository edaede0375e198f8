/* Whole-file reads under a size cap (with transparent gzip), atomic writes. */
#define _POSIX_C_SOURCE 200809L
#include "cratrace/base.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

int ct_file_read(char **out, size_t *len_out, const char *path, size_t max)
{
    FILE *f = NULL;
    ct_buf b = CT_BUF_INIT;
    char chunk[65536];
    size_t n;
    int rc = 0;

    *out = NULL;
    if (strcmp(path, "-") == 0) {
        f = stdin;
    } else if (!(f = fopen(path, "rb"))) {
        ct_loc loc = { path, 0, 0, -1, NULL };
        return ct_error_set_at(&loc, errno == ENOENT ? CT_ENOTFOUND : CT_EIO, "cannot open: %s",
                               strerror(errno));
    }
    b.max = max;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.len + n > max) {
            ct_loc loc = { path, 0, 0, (int64_t)max, NULL };
            rc = ct_error_set_at(&loc, CT_ELIMIT, "file is larger than the limit of %zu bytes",
                                 max);
            goto cleanup;
        }
        if ((rc = ct_buf_put(&b, chunk, n)) < 0)
            goto cleanup;
    }
    if (ferror(f)) {
        ct_loc loc = { path, 0, 0, -1, NULL };
        rc = ct_error_set_at(&loc, CT_EIO, "read error: %s", strerror(errno));
        goto cleanup;
    }
    if (len_out)
        *len_out = b.len;
    *out = ct_buf_detach(&b);
    if (!*out)
        rc = ct_error_set(CT_ENOMEM, "out of memory");
cleanup:
    if (f && f != stdin)
        fclose(f);
    ct_buf_dispose(&b);
    return rc;
}

static int gunzip(char **out, size_t *len_out, const char *path, const char *data, size_t len,
                  size_t max)
{
    z_stream zs;
    ct_buf b = CT_BUF_INIT;
    char chunk[65536];
    int zrc, rc = 0;

    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
        return ct_error_set(CT_ENOMEM, "zlib init failed");
    zs.next_in = (Bytef *)(uintptr_t)data;
    zs.avail_in = (uInt)len;
    b.max = max;
    do {
        zs.next_out = (Bytef *)chunk;
        zs.avail_out = sizeof chunk;
        zrc = inflate(&zs, Z_NO_FLUSH);
        if (zrc != Z_OK && zrc != Z_STREAM_END) {
            ct_loc loc = { path, 0, 0, (int64_t)zs.total_in, NULL };
            rc = ct_error_set_at(&loc, CT_EPARSE, "bad gzip data: %s",
                                 zs.msg ? zs.msg : "truncated or corrupt");
            goto cleanup;
        }
        size_t got = sizeof chunk - zs.avail_out;
        if (b.len + got > max) {
            ct_loc loc = { path, 0, 0, -1, NULL };
            rc = ct_error_set_at(&loc, CT_ELIMIT, "decompressed size exceeds %zu bytes", max);
            goto cleanup;
        }
        if ((rc = ct_buf_put(&b, chunk, got)) < 0)
            goto cleanup;
        if (zrc == Z_STREAM_END && zs.avail_in > 0) {
            /* concatenated gzip members */
            if (inflateReset(&zs) != Z_OK) {
                rc = ct_error_set(CT_EFAIL, "zlib reset failed");
                goto cleanup;
            }
            zrc = Z_OK;
        }
    } while (zrc != Z_STREAM_END);
    *len_out = b.len;
    *out = ct_buf_detach(&b);
cleanup:
    inflateEnd(&zs);
    ct_buf_dispose(&b);
    return rc;
}

int ct_file_read_any(char **out, size_t *len_out, const char *path, size_t max)
{
    char *raw = NULL;
    size_t len = 0;
    int rc;

    *out = NULL;
    if ((rc = ct_file_read(&raw, &len, path, max)) < 0)
        return rc;
    if (len >= 2 && (unsigned char)raw[0] == 0x1f && (unsigned char)raw[1] == 0x8b) {
        rc = gunzip(out, len_out, path, raw, len, max);
        ct_free(raw);
        return rc;
    }
    *out = raw;
    *len_out = len;
    return 0;
}

int ct_file_write(const char *path, const void *data, size_t len)
{
    char tmp[4096];
    FILE *f;

    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    if (!(f = fopen(tmp, "wb"))) {
        ct_loc loc = { path, 0, 0, -1, NULL };
        return ct_error_set_at(&loc, CT_EIO, "cannot write: %s", strerror(errno));
    }
    size_t wrote = fwrite(data, 1, len, f);
    int closed = fclose(f);
    if (wrote != len || closed != 0) {
        ct_loc loc = { path, 0, 0, -1, NULL };
        remove(tmp);
        return ct_error_set_at(&loc, CT_EIO, "write failed: %s", strerror(errno));
    }
    if (rename(tmp, path) != 0) {
        ct_loc loc = { path, 0, 0, -1, NULL };
        remove(tmp);
        return ct_error_set_at(&loc, CT_EIO, "rename failed: %s", strerror(errno));
    }
    return 0;
}

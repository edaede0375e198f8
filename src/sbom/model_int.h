/* Internal: the model's string arena (model.c), used by the readers that allocate into it; and
 * the start of a document, which every reader and validator skips the same way. */
#ifndef CT_SBOM_MODEL_INT_H
#define CT_SBOM_MODEL_INT_H

#include "cratrace/sbom.h"

/** Copy of s[0..n) plus a NUL in sb's arena (created on first use; sb->arena set); NULL when
 * out of memory (no error set). */
char *ct_sbom__arena_strndup(ct_sbom *sb, const char *s, size_t n);

/* A direct-mapped cache of short arena strings for one reader run (zero it before use; nothing
 * to free): short values that repeat (types, versions, licences, refs) are stored once. */
#define CT_SBOM_INTERN_SLOTS 1024
#define CT_SBOM_INTERN_MAX 32 /* longest string looked up */
typedef struct {
    const char *slot[CT_SBOM_INTERN_SLOTS];
} ct_sbom_intern;

/** s[0..n) in sb's arena, shared with an equal earlier string when cache holds it (safe: arena
 * strings are never freed or edited one by one, sbom.h); NULL when out of memory (no error
 * set). */
char *ct_sbom__arena_str(ct_sbom *sb, ct_sbom_intern *cache, const char *s, size_t n);

/** Length of a leading UTF-8 byte order mark: 3, else 0. */
static inline size_t ct_sbom__bom_len(const char *data, size_t len)
{
    return len >= 3 && (unsigned char)data[0] == 0xEF && (unsigned char)data[1] == 0xBB &&
                   (unsigned char)data[2] == 0xBF
               ? 3
               : 0;
}

/** Index of the first byte after a UTF-8 byte order mark and JSON white space (len if none). */
static inline size_t ct_sbom__doc_start(const char *data, size_t len)
{
    size_t i = ct_sbom__bom_len(data, len);
    while (i < len && (data[i] == ' ' || data[i] == '\n' || data[i] == '\r' || data[i] == '\t'))
        i++;
    return i;
}

#endif

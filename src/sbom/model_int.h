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

/* ---- the arena of a large model (CycloneDX XML SAX reader, issue 5 xml8) ----
 * Policy flags of a model's arena (ct_sbom__arena_setup): */
#define CT_SBOM_ARENA_HUGE 0x01u      /* blocks of 1 MiB and more are 2 MiB huge-page-advised
                                       * ct_bigmem blocks (the first one too) while 3/4 of
                                       * one is expected to be filled */
#define CT_SBOM_ARENA_BIGARRAYS 0x02u /* sb->components and sb->deps are ct_bigmem blocks
                                       * (ct_bigmem_realloc / ct_bigmem_free, base/bigmem.h);
                                       * ct_sbom_free and ct_sbom_component_add follow it */

/** Create sb's arena (or set the policy of the one it has) with flags CT_SBOM_ARENA_*; 0 or
 * CT_ENOMEM (no error set). Set CT_SBOM_ARENA_BIGARRAYS before the arrays are allocated. */
int ct_sbom__arena_setup(ct_sbom *sb, unsigned flags);
/** ct_sbom__arena_setup with the string bytes expected in all: CT_SBOM_ARENA_HUGE's budget
 * (a huge block only while 3/4 of it is expected to be filled; setup: no limit). */
int ct_sbom__arena_setup_expect(ct_sbom *sb, unsigned flags, size_t expect);
/** Keep side (with its free function) with sb's arena, freed by ct_sbom_free: what a reader
 * knows of the document beyond the model (CycloneDX XML: the profile facts' inputs,
 * xml_reader_int.h). 0, or CT_EINVAL (no error set) when sb has no arena or already a side. */
int ct_sbom__arena_attach(ct_sbom *sb, void *side, void (*side_free)(void *));
/** What ct_sbom__arena_attach kept with sb's arena when it was given with this side_free (the
 * free function tells whose it is), else NULL. */
void *ct_sbom__arena_attached(const ct_sbom *sb, void (*side_free)(void *));
/** How many of sb's arena blocks are ct_bigmem (huge-page) blocks (CT_SBOM_ARENA_HUGE; tests). */
size_t ct_sbom__arena_big_blocks(const ct_sbom *sb);
/** sb's components and deps arrays are ct_bigmem blocks (CT_SBOM_ARENA_BIGARRAYS). */
bool ct_sbom__arrays_big(const ct_sbom *sb);

/* An open string: bytes appended at the arena's end as they arrive (no buffer in between),
 * then closed into a string or dropped. While a string is open no other arena call is made
 * (strndup / str would write over it). The arena must exist (ct_sbom__arena_setup). */
/** Append s[0..n) to the open string (opened by the first put); 0 or CT_ENOMEM. */
int ct_sbom__arena_put(ct_sbom *sb, const char *s, size_t n);
/** Bytes of the open string so far. */
size_t ct_sbom__arena_open_len(const ct_sbom *sb);
/** NUL-terminate the open string and keep it; with cache (not NULL) a short string equal to
 * one the cache holds is given back and that one returned (the cache is this function's: its
 * own hash, not ct_sbom__arena_str's). NULL only when there is no arena. */
char *ct_sbom__arena_close(ct_sbom *sb, ct_sbom_intern *cache);
/** Forget the open string. */
void ct_sbom__arena_drop(ct_sbom *sb);

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

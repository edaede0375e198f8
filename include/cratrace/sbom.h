/* sbom: the format-neutral SBOM model, its readers (CycloneDX JSON 1.2-1.7, SPDX 2.2/2.3 JSON
 * and tag-value) and writers (CycloneDX JSON and XML 1.4-1.7, SPDX 2.2/2.3 JSON and
 * tag-value). */
#ifndef CRATRACE_SBOM_H
#define CRATRACE_SBOM_H

#include "cratrace/base.h"

typedef struct ct_component {
    char *bom_ref, *type, *group, *name, *version, *purl, *cpe, *supplier;
    char *hashes;   /* JSON array text: [{"alg":"SHA-256","content":"..."}] or NULL */
    char *licenses; /* SPDX expression / ids joined with " AND ", or NULL */
    uint32_t depth; /* 0 = top level, > 0 = nested inside another component */
} ct_component;

typedef struct ct_dependency {
    char *ref, *depends_on;
} ct_dependency;

typedef struct ct_sbom {
    char *format;       /* "cyclonedx-json", "spdx-json", "spdx-tv" */
    char *spec_version; /* "1.5", "2.3" */
    char *serial_number;
    char *name, *version; /* metadata.component, when present */
    ct_component *components;
    size_t ncomponents, components_cap;
    ct_dependency *deps;
    size_t ndeps, deps_cap;
    /* Allocation. NULL: every string above is its own ct_malloc (ct_sbom_free frees each).
     * Not NULL (models from the CycloneDX JSON reader): every string above lives in this
     * arena, freed as a whole by ct_sbom_free; strings may be shared between fields (the
     * dependencies of one "ref", repeated short values). Either way, edit a parsed model only
     * through ct_sbom_set_str / ct_sbom_component_add / ct_sbom_component_remove, never by
     * ct_free'ing, replacing or writing into its strings. Code that builds a model from
     * scratch leaves it NULL. */
    struct ct_sbom_arena *arena;
} ct_sbom;

/** Set the string member *field of sbom (sbom's own or one of its components' or
 * dependencies') to a copy of value (NULL clears it), allocated as sbom's other strings are;
 * the old value is freed, or left in the arena. CT_ENOMEM leaves *field unchanged. */
CT_EXTERN int ct_sbom_set_str(ct_sbom *sbom, char **field, const char *value);
/** Append a zeroed component to sbom; *out borrowed, valid until the array grows again. */
CT_EXTERN int ct_sbom_component_add(ct_component **out, ct_sbom *sbom);
/** Remove component i (its strings released as by ct_sbom_set_str); later ones move down. */
CT_EXTERN int ct_sbom_component_remove(ct_sbom *sbom, size_t i);

/** Parse an SBOM, detecting the format; *out NEW (ct_sbom_free). Errors carry source and a
 * JSON pointer or line/column. */
CT_EXTERN int ct_sbom_parse(ct_sbom **out, const ct_ctx *ctx, const char *data, size_t len,
                            const char *source);
/** ct_sbom_parse of the file at path ("-" = stdin; gzip is decompressed): a regular file is
 * mapped read-only and, for CycloneDX JSON, its pages are dropped as the reader moves on, so no
 * private copy of the whole file stays resident (issue 5, peak memory). CT_EIO when the file
 * changed while it was read. *out NEW (ct_sbom_free). */
CT_EXTERN int ct_sbom_parse_file(ct_sbom **out, const ct_ctx *ctx, const char *path);
/** Parse CycloneDX JSON 1.2 to 1.7 (one pass over a JSON tape, no DOM); *out NEW. */
CT_EXTERN int ct_sbom_parse_cyclonedx_json(ct_sbom **out, const ct_ctx *ctx, const char *data,
                                           size_t len, const char *source);
/** Parse CycloneDX XML 1.4-1.7 (version from the bom namespace); *out NEW. Errors carry the
 * libxml2 line. */
CT_EXTERN int ct_sbom_parse_cyclonedx_xml(ct_sbom **out, const ct_ctx *ctx, const char *data,
                                          size_t len, const char *source);
/** Parse SPDX 2.2 or 2.3 JSON; *out NEW. Packages become components (depth 0), DEPENDS_ON,
 * DEPENDENCY_OF and CONTAINS relationships dependencies; the package the document DESCRIBES
 * gives name/version. Other SPDX versions are CT_EUNSUPPORTED. */
CT_EXTERN int ct_sbom_parse_spdx_json(ct_sbom **out, const ct_ctx *ctx, const char *data,
                                      size_t len, const char *source);
/** Parse SPDX 2.2 or 2.3 tag-value; *out NEW; errors carry line:column. */
CT_EXTERN int ct_sbom_parse_spdx_tv(ct_sbom **out, const ct_ctx *ctx, const char *data,
                                    size_t len, const char *source);
CT_EXTERN void ct_sbom_free(ct_sbom *sbom);

/* ---- writers ---------------------------------------------------------------------------- */

/** Called once per model value the target format cannot hold (it is left out of the output):
 * field is e.g. "component.group", ref the component's bom_ref (or NULL). */
typedef void (*ct_sbom_lost_fn)(void *payload, const char *field, const char *ref);

/** Called once per identifier the target cannot hold as it is and writes under another name
 * (SPDX: a bom_ref that is no valid or no unique SPDXID); references to it use the new one. */
typedef void (*ct_sbom_renamed_fn)(void *payload, const char *from, const char *to);

/** Takes the next len bytes of a document being written (ct_sbom_write_options.sink); 0, or a
 * negative CT_E* code (with the error set) that stops the write and is returned by it. */
typedef int (*ct_sbom_sink_fn)(void *payload, const char *data, size_t len);

typedef struct ct_sbom_write_options {
    const char *spec_version; /* NULL = "1.6" (CycloneDX), "2.3" (SPDX) */
    ct_time created;          /* SPDX creationInfo.created, CycloneDX metadata.timestamp;
                               * CT_TIME_NONE: omitted where optional, the epoch where required */
    ct_sbom_lost_fn lost;     /* may be NULL */
    void *payload;            /* for lost and renamed */
    ct_sbom_renamed_fn renamed; /* may be NULL; renames are not counted as lost */
    /* NULL: the whole document is appended to out. Else it is handed to sink in pieces of about
     * a MiB as it is written, and out is only the staging buffer (left empty on return): a
     * 100 MB document need not be held in memory (issue 5). Same bytes either way. */
    ct_sbom_sink_fn sink;
    void *sink_payload;
} ct_sbom_write_options;
#define CT_SBOM_WRITE_OPTIONS_INIT { NULL, CT_TIME_NONE, NULL, NULL, NULL, NULL, NULL }

/** Append sbom to out as format "cyclonedx-json" or "cyclonedx-xml" (spec 1.4-1.7, default
 * 1.6), "spdx-json" or "spdx-tv" (2.2 or 2.3, default 2.3). Output is deterministic. Returns
 * the number of values the target could not express (>= 0; each also reported to opts->lost),
 * or a negative CT_E* code. */
CT_EXTERN int ct_sbom_write_ex(ct_buf *out, const ct_sbom *sbom, const char *format,
                               const ct_sbom_write_options *opts);
/** ct_sbom_write_ex with default options and the given spec_version (NULL = newest). */
CT_EXTERN int ct_sbom_write(ct_buf *out, const ct_sbom *sbom, const char *format,
                            const char *spec_version);

#endif

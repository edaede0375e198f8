/* Internal: the CycloneDX JSON reader and validator over one shared JSON tape, so that a
 * document is tokenized once for both (ct_sbom_parse_validate). */
#ifndef CT_CDX_JSON_INT_H
#define CT_CDX_JSON_INT_H

#include "cratrace/sbom.h"
#include "base/json_tape.h"

/** Read the model from a tokenized CycloneDX JSON document; *out NEW (ct_sbom_free). */
int ct_sbom__cdx_json_read(ct_sbom **out, const ct_ctx *ctx, const ct_jtape *tape,
                           const char *source);

/** ct_sbom_parse() of an input its owner can page back in (a read-only file mapping; issue 5,
 * peak memory): for CycloneDX JSON, release(payload) is called as the tape and the model are
 * built (base/json_tape.h ct_jtape_release_fn), so that the input's pages need not all stay
 * resident; other formats are read as by ct_sbom_parse. Same results and errors. */
int ct_sbom__parse_released(ct_sbom **out, const ct_ctx *ctx, const char *data, size_t len,
                            const char *source, ct_jtape_release_fn release, void *payload);

/** ct_sbom_parse() of the file at path, mapped read-only (base/file_map.h, map_flags are its
 * CT_FILE_MAP_* flags) with its pages dropped as the reader goes; CT_EIO when the file changed
 * during the read. What `sbom import` and ct_sbom_parse_file() run (sbom_file.c). */
int ct_sbom__parse_mapped(ct_sbom **out, const ct_ctx *ctx, const char *path, unsigned map_flags);

#endif

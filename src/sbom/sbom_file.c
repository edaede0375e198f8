/* An SBOM read from a file without a private heap copy of it (issue 5, peak memory): the file
 * is mapped read-only (base/file_map.h) and its pages are dropped as the CycloneDX JSON reader
 * moves on. Used by `sbom import` (store/import.c) and by `sbom diff`, `merge` and `convert`. */
#include "sbom/cdx_json_int.h"
#include "base/file_map.h"

int ct_sbom__parse_mapped(ct_sbom **out, const ct_ctx *ctx, const char *path, unsigned map_flags)
{
    ct_file_map in;
    int rc;

    *out = NULL;
    if ((rc = ct_file_map_open(&in, path, ct_ctx_limits(ctx)->max_doc_bytes, map_flags)) == 0)
        rc = ct_sbom__parse_released(out, ctx, in.data, in.len, path,
                                     ct_file_map_mapped(&in) ? ct_file_map_release : NULL, &in);
    if (rc == 0 && (rc = ct_file_map_check(&in, path)) < 0) {
        ct_sbom_free(*out);
        *out = NULL;
    }
    /* the model holds copies of everything it needs */
    ct_file_map_close(&in);
    return rc;
}

int ct_sbom_parse_file(ct_sbom **out, const ct_ctx *ctx, const char *path)
{
    if (!out || !ctx || !path)
        return ct_error_set(CT_EINVAL, "ct_sbom_parse_file: NULL argument");
    return ct_sbom__parse_mapped(out, ctx, path, CT_FILE_MAP_GUNZIP);
}

/* An SBOM read from a file without a private heap copy of it (issue 5, peak memory): the file
 * is mapped read-only (base/file_map.h) and its pages are dropped as the CycloneDX JSON reader
 * moves on, exactly as `sbom import` reads it. Used by `sbom diff`, `merge` and `convert`. */
#include "sbom/cdx_json_int.h"
#include "base/file_map.h"

int ct_sbom_parse_file(ct_sbom **out, const ct_ctx *ctx, const char *path)
{
    ct_file_map in;
    int rc;

    if (!out || !ctx || !path)
        return ct_error_set(CT_EINVAL, "ct_sbom_parse_file: NULL argument");
    *out = NULL;
    if ((rc = ct_file_map_open(&in, path, ct_ctx_limits(ctx)->max_doc_bytes,
                               CT_FILE_MAP_GUNZIP)) == 0)
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

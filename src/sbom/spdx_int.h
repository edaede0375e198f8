/* Internal helpers shared by the SPDX JSON and tag-value readers and the writers (SPDX,
 * CycloneDX JSON in sbom_write.c, CycloneDX XML in cyclonedx_xml_write.c). */
#ifndef CT_SPDX_INT_H
#define CT_SPDX_INT_H

#include "cratrace/sbom.h"
#include "sbom/model_int.h"
#include "base/json_tape.h"

#include <string.h>

/** a[0..n) == b[0..n), inline for the short names and ids the SPDX JSON walks compare on every
 * member (spdx9: the memcmp calls were 3.6 % of `pv`); reads no byte outside the two ranges. */
static inline bool ct_spdx__eq(const char *a, const char *b, size_t n)
{
    uint64_t x, y, x2, y2;
    uint32_t u, w, u2, w2;
    if (n >= 8 && n <= 16) {
        memcpy(&x, a, 8);
        memcpy(&y, b, 8);
        memcpy(&x2, a + n - 8, 8);
        memcpy(&y2, b + n - 8, 8);
        return ((x ^ y) | (x2 ^ y2)) == 0;
    }
    if (n >= 4 && n < 8) {
        memcpy(&u, a, 4);
        memcpy(&w, b, 4);
        memcpy(&u2, a + n - 4, 4);
        memcpy(&w2, b + n - 4, 4);
        return ((u ^ w) | (u2 ^ w2)) == 0;
    }
    if (n < 4) {
        for (size_t i = 0; i < n; i++)
            if (a[i] != b[i])
                return false;
        return true;
    }
    return memcmp(a, b, n) == 0;
}

/** "SPDX-2.1" / "SPDX-2.2" / "SPDX-2.3" (len bytes) → "2.1" / "2.2" / "2.3"; NULL for anything
 * else (the JSON reader refuses 2.1: it has no JSON serialisation). */
const char *ct_spdx__spec(const char *v, size_t len);
/* The readers build the model in its arena (model.c; issue 5): every helper below that stores
 * a string copies it into s's arena through cache (short repeated strings stored once) and
 * leaves any value it replaces there. */
/** A new zeroed component at the end of s; CT_ELIMIT (error not set) past max, CT_ENOMEM. */
int ct_spdx__new_component(ct_component **out, ct_sbom *s, size_t max);
int ct_spdx__add_dep(ct_sbom *s, ct_sbom_intern *cache, const char *ref, size_t rlen,
                     const char *on, size_t olen);
/** *out = s[0..n) in the arena (model_int.h ct_sbom__arena_str); CT_ENOMEM. */
int ct_spdx__set(char **out, ct_sbom *s, ct_sbom_intern *cache, const char *v, size_t n);
/** SPDX checksum algorithm → CycloneDX spelling (SHA256 → SHA-256); unknown → NULL. */
const char *ct_spdx__alg_to_cdx(const char *alg, size_t len);
/** CycloneDX hash alg → SPDX checksum algorithm; NULL when SPDX has no such algorithm. */
const char *ct_spdx__alg_from_cdx(const char *alg);
/** Append {"alg":..,"content":..} to the JSON array text *hashes (a new arena string). */
int ct_spdx__add_hash(char **hashes, ct_sbom *s, const char *alg, size_t alen,
                      const char *content, size_t clen);
/** ct_spdx__add_hash building the text in scratch (reset first, kept for the next call: no
 * allocation per call once it is large enough). */
int ct_spdx__add_hash_buf(ct_buf *scratch, char **hashes, ct_sbom *s, const char *alg,
                          size_t alen, const char *content, size_t clen);
/** Set *out to the meaningful licence: concluded, else declared; NOASSERTION and NONE count as
 * absent (NULL). */
int ct_spdx__pick_licence(char **out, ct_sbom *s, ct_sbom_intern *cache, const char *concluded,
                          const char *declared);
/** "Organization: X" / "Person: X" → X; NOASSERTION → NULL. */
int ct_spdx__supplier(char **out, ct_sbom *s, ct_sbom_intern *cache, const char *v, size_t len);
/** primaryPackagePurpose → lower-case component type ("_" read as "-"). */
int ct_spdx__purpose(char **out, ct_sbom *s, ct_sbom_intern *cache, const char *v, size_t len);
/** Apply one relationship: DEPENDS_ON / DEPENDENCY_OF / CONTAINS become dependencies, the
 * first DESCRIBES from the document (or DESCRIBED_BY to it) is remembered in *described (NEW,
 * heap). */
int ct_spdx__relationship(ct_sbom *s, ct_sbom_intern *cache, char **described, const char *a,
                          size_t alen, const char *type, size_t tlen, const char *b,
                          size_t blen);
/** Name/version of the component whose bom_ref is described become s's (shared strings). */
int ct_spdx__finish(ct_sbom *s, const char *described);

/* ---- writers ---- */

/** The one dependency ref that names no component (CycloneDX metadata.component's bom-ref), or
 * NULL when there is none or more than one. Borrowed from s. */
const char *ct_sbom__root_ref(const ct_sbom *s);
/** urn:uuid:xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx (the CycloneDX serialNumber pattern). */
bool ct_sbom__is_urn_uuid(const char *s);
/** CycloneDX hash-content: 32, 40, 64, 96 or 128 hex digits. */
bool ct_sbom__hash_content_ok(const char *s);
/** Indices of s->deps grouped by ref (groups in order of first appearance, model order inside
 * a group), exact duplicate edges dropped. *out NEW (NULL when there are no deps); CT_ENOMEM. */
int ct_sbom__dep_order(size_t **out, size_t *n_out, const ct_sbom *s);
/** Per component: true when its bom_ref repeats one of an earlier component. *out NEW (NULL
 * without components); CT_ENOMEM. */
int ct_sbom__dup_refs(bool **out, const ct_sbom *s);
/** CycloneDX XML writer (cyclonedx_xml_write.c), spec "1.4".."1.7" already checked. Returns
 * the number of lost values or a negative CT_E* code. */
int ct_sbom__write_cdx_xml(ct_buf *out, const ct_sbom *s, const char *spec,
                           const ct_sbom_write_options *o);

/** SPDX ids of one model for the SPDX writers (spdx_ids.c). */
/* One component with a bom_ref: the key kept beside the index so sorting needs no global. */
typedef struct {
    const char *ref;
    size_t i;
} ct_spdx_byref;

typedef struct ct_spdx_ids {
    const ct_sbom *s;
    char **ids;         /* per component: valid and unique, NEW */
    ct_spdx_byref *byref; /* components with a bom_ref, by bom_ref then index */
    size_t nbyref;
    const char *root_ref; /* the synthesised root package's ref (borrowed) or NULL */
    char *root_id;        /* its id, NEW */
    const char **set;     /* taken ids (open addressing, borrowed) */
    size_t nset;
    struct ct_spdx_base *bases; /* made ids' bases and their next suffix (spdx_ids.c) */
    size_t nbases, bases_cap;
} ct_spdx_ids;
/** "SPDXRef-" followed by one or more of [A-Za-z0-9.-] (SPDX 2.3 §3.2, §7.2). */
bool ct_spdx__id_ok(const char *s);
/** Give every component (and root_ref, the ref of a root package the writer adds, or NULL) a
 * valid id unique in the document: a valid bom_ref is kept by its first component; any other
 * is made from it (SPDXRef-<tail made valid> for an SPDXRef- id, else SPDXRef-C<index>-<ref
 * made valid>, "-2", "-3"... appended on a clash) and reported to o->renamed. Dispose in any
 * case. */
int ct_spdx__ids_make(ct_spdx_ids *t, const ct_sbom *s, const char *root_ref,
                      const ct_sbom_write_options *o);
/** The id a dependency end is written as: its component's (the first with that bom_ref), the
 * root package's, or NONE / NOASSERTION / DocumentRef-x:SPDXRef-y as they are; NULL when ref
 * names nothing the document holds (the relationship cannot be written). Borrowed. */
const char *ct_spdx__ids_ref(const ct_spdx_ids *t, const char *ref);
void ct_spdx__ids_dispose(ct_spdx_ids *t);

/* The members of a package the JSON reader reads, in this order (spdx_json.c read_package). */
#define CT_SPDX_PKG_NMEMBERS 9
#define CT_SPDX_PKG_MEMBERS(X)                                                                  \
    X(SPDXID) X(name) X(versionInfo) X(supplier) X(licenseConcluded) X(licenseDeclared)         \
        X(primaryPackagePurpose) X(checksums) X(externalRefs)
/** One package's members as the validator's semantic walk looked them up (spdx9: the reader
 * then does not walk the object again): obj the package's tape index, d[i] the tape index of
 * member i of CT_SPDX_PKG_MEMBERS (its last occurrence) minus obj, 0 when absent; d[0] ==
 * UINT16_MAX: an offset did not fit, the reader looks for itself. */
typedef struct {
    uint32_t obj;
    uint16_t d[CT_SPDX_PKG_NMEMBERS];
} ct_spdx_pkg_members;
/** The packages of a document in order (objects only). Borrowed by the reader, which checks
 * obj before it uses an entry. */
typedef struct {
    ct_spdx_pkg_members *v;
    size_t n, cap;
} ct_spdx_pkg_hints;

/** The SPDX JSON reader over a tokenized document (ct_sbom_parse_spdx_json without the
 * tokenizing), for ct_sbom_parse_validate, which validates the same tape; *out NEW
 * (ct_sbom_free). With drop, a large input that is a read-only file mapping
 * (ct_mem_file_backed) has its pages dropped behind the reader as it moves on (spdx8: peak
 * RSS; the bytes stay readable, from the page cache): the model holds no pointer into it.
 * hints (NULL: none) are the packages' members as the validator found them. */
int ct_sbom__spdx_json_read(ct_sbom **out, const ct_ctx *ctx, const ct_jtape *tape,
                            const char *source, bool drop, const ct_spdx_pkg_hints *hints);

/** Sniffers for ct_sbom_parse: a top-level "spdxVersion" key in the JSON object at data[0];
 * tag-value text whose first non-comment line starts with "SPDXVersion:". */
bool ct_sbom__is_spdx_json(const char *data, size_t len);
bool ct_sbom__is_spdx_tv(const char *data, size_t len);

#endif

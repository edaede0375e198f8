/* Internal to CycloneDX validation: what the XML validator (validate_xml.c) shares with the
 * JSON validator and the entry points of validate.c — the validation state, finding and ref
 * bookkeeping (duplicate bom-refs, dangling dependency refs), the enum tables and value rules. */
#ifndef CT_SBOM_VALIDATE_INT_H
#define CT_SBOM_VALIDATE_INT_H

#include "cratrace/sbom_validate.h"
#include "base/json_int.h"

typedef struct {
    const char *ref; /* JSON: borrowed from the document's tape; XML: owned */
    size_t len;
    char *where;     /* XML: "line N" (owned); JSON: NULL, the pointer of at when reported */
    ct_jval at;      /* JSON: the ref's value on the tape */
    bool formulation; /* JSON: under /formulation/ */
} refent;

typedef struct {
    const ct_ctx *ctx;
    ct_sbom_report *rep;
    int minor;              /* 4..7 */
    char **spdx_ids;        /* sorted, from spdx.schema.json; NULL = not checked */
    size_t nspdx;
    refent *refs;           /* every bom-ref */
    size_t nrefs, refs_cap;
    refent *uses;           /* every dependency ref / dependsOn */
    size_t nuses, uses_cap;
    bool failed;            /* out of memory */
    ct_jptr ptr;
    const char *ns;         /* XML namespace */
    const ct_jtape *tape;   /* JSON: the document being validated */
} vstate;

typedef struct {
    const char *name;
    int since; /* minor version that introduced it */
} enumval;

/* one enum table of validate.c */
typedef struct {
    const enumval *v;
    size_t n;
} ct_sbom__enumtab;

extern const ct_sbom__enumtab ct_sbom__enum_component_types, ct_sbom__enum_hash_algs,
    ct_sbom__enum_scopes, ct_sbom__enum_flows, ct_sbom__enum_patch_types,
    ct_sbom__enum_issue_types, ct_sbom__enum_encodings, ct_sbom__enum_extref_types;

/** Append a finding (where "/" when empty); v->failed on out of memory. */
void ct_sbom__verr(vstate *v, const char *where, const char *fmt, ...) CT_PRINTF(3, 4);

/** Note a bom-ref (refs) or a dependency ref (uses): ref and where ("line N") copied. */
void ct_sbom__note_ref(vstate *v, bool use, const char *ref, const char *where);

/** After the walk: duplicate bom-refs and dependency refs that name no bom-ref. */
void ct_sbom__check_refs(vstate *v);

/** s is in the table and introduced at or before minor. */
bool ct_sbom__in_enum(const ct_sbom__enumtab *t, const char *s, int minor);

/* value rules (validate.c) */
bool ct_sbom__serial_ok(const char *s);       /* urn:uuid:<lower-case RFC 4122 UUID> */
bool ct_sbom__datetime_ok(const char *s);     /* RFC 3339 date-time */
bool ct_sbom__purl_ok(const char *s);
/** id is in the SPDX licence id list of v (always true when no list was loaded). */
bool ct_sbom__spdx_id_known(const vstate *v, const char *id);
/** Load the SPDX licence id list of dir/spdx.schema.json into v (nothing when unreadable). */
void ct_sbom__load_spdx_ids(vstate *v, const char *dir);
/** dir + "/" + name; NEW, NULL on out of memory. */
char *ct_sbom__path_join(const char *dir, const char *name);

/** Validate a CycloneDX XML document data[0..len) (no BOM) into v->rep (format, spec_version,
 * schema_checked, findings). With xsd_dir the document is also validated against
 * xsd_dir/bom-1.x.xsd while it streams (C structural rules then off; semantic checks stay);
 * without it the C rules run, and spdx_dir (may be NULL) supplies the SPDX licence ids.
 * Streams with xmlTextReader: memory is the refs table plus one top-level subtree. */
void ct_sbom__validate_xml(vstate *v, const char *data, size_t len, const char *xsd_dir,
                           const char *spdx_dir);

/** ct_sbom__validate_xml, and with model (not NULL) the model read from the same SAX pass
 * (xml_reader_int.h, ct_sbom__xmb_*): *model NEW, or NULL when ct_sbom_parse must read it (the
 * document is one the reader refuses, or one the pass leaves to it). */
void ct_sbom__validate_xml_model(vstate *v, const char *data, size_t len, const char *xsd_dir,
                                 const char *spdx_dir, struct ct_sbom **model);

#endif

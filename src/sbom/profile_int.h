/* Internal to the profile facts readers (profile_facts.c, profile_facts_xml.c). */
#ifndef CT_SBOM_PROFILE_INT_H
#define CT_SBOM_PROFILE_INT_H

#include "cratrace/sbom_profile.h"
#include "cratrace/sbom_validate.h"
#include "base/json_tape.h"

/** Append a component to f (zeroed); CT_ELIMIT beyond max. *out borrowed until f grows. */
int ct_sbom__facts_new_component(ct_sbom_facts_component **out, ct_sbom_facts *f, size_t max);
/** Mark deps_stated on every component whose ref is one of refs[0..n). */
int ct_sbom__facts_mark_stated(ct_sbom_facts *f, const char *const *refs, size_t n);
/** Set *dst to a copy of s[0..n) unless *dst is already set or n is 0. */
int ct_sbom__facts_set(char **dst, const char *s, size_t n);
/** Fill f from a CycloneDX XML document (libxml2, no network, no DOCTYPE, no entities). */
int ct_sbom__facts_cdx_xml(ct_sbom_facts *f, const ct_ctx *ctx, const char *data, size_t len,
                           const char *source);
/** The facts of a CycloneDX XML model made by the SAX pass (what that pass keeps beside it,
 * xml_reader_int.h), equal to what ct_sbom_facts_read reads from the document's bytes: 1 and
 * *out NEW; 0 and *out NULL when sb carries none (any other model: read them from the bytes);
 * CT_ENOMEM. No parse (issue 5, xml9). */
int ct_sbom__facts_from_xml_model(ct_sbom_facts **out, const ct_sbom *sb);
/** The facts of a tokenized CycloneDX or SPDX JSON document (as ct_sbom_facts_read reads them
 * from its bytes); the tape's release hook is called now and then. *out NEW. */
int ct_sbom__facts_from_tape(ct_sbom_facts **out, const ct_ctx *ctx, const ct_jtape *t);
/** ct_sbom_facts_read of an input its owner can page back in (a read-only file mapping): for
 * JSON, release(payload) is called as the tape and the facts are built (base/json_tape.h); NULL
 * is ct_sbom_facts_read. Same results and errors. */
int ct_sbom__facts_read_released(ct_sbom_facts **out, const ct_ctx *ctx, const char *data,
                                 size_t len, const char *source, ct_jtape_release_fn release,
                                 void *payload);

/** Called with the tape of a CycloneDX JSON document once it is validated and its model read
 * (ct_sbom__parse_validate_tape); a negative return is the caller's error. */
typedef int (*ct_sbom__tape_fn)(void *payload, const ct_jtape *t);
/** ct_sbom_parse_validate() for `sbom validate --profile` (validate.c, valprof): CycloneDX JSON
 * is tokenized once, with release(release_payload) as the tape's page-release hook (NULL: none),
 * validated, its model read, and, when the document is valid and the model was read,
 * on_tape(payload, tape) runs before the tape is freed (its negative return is returned, nothing
 * set). Other formats: ct_sbom_parse_validate() itself (on_tape not called). */
int ct_sbom__parse_validate_tape(ct_sbom **sbom_out, ct_sbom_report **out, const ct_ctx *ctx,
                                 const char *data, size_t len, const char *source,
                                 const ct_sbom_validate_options *opts,
                                 ct_jtape_release_fn release, void *release_payload,
                                 ct_sbom__tape_fn on_tape, void *payload);

/** Called with each finding of ct_sbom__profile_check_each, in report order; its strings are
 * borrowed (the model's, the waivers', a buffer) until the call returns. A negative return
 * stops the check and is returned. */
typedef int (*ct_sbom__finding_fn)(void *payload, const ct_sbom_profile_finding *f);
/** ct_sbom_profile_check without keeping the findings (valprof: a `bsi` report of a 100 MB
 * SBOM holds ~925,000 of them): *out has the verdict, score and counts (nfindings counted,
 * findings NULL); each finding is handed to each(payload, f) instead (each NULL: counted
 * only). Same findings, same order as ct_sbom_profile_check. *out NEW. */
int ct_sbom__profile_check_each(ct_sbom_profile_report **out, const ct_sbom *sbom,
                                const ct_sbom_facts *facts, const char *profile,
                                const ct_sbom_waiver *waivers, size_t nwaivers,
                                ct_sbom__finding_fn each, void *payload);

#endif

/* Internal to the profile facts readers (profile_facts.c, profile_facts_xml.c). */
#ifndef CT_SBOM_PROFILE_INT_H
#define CT_SBOM_PROFILE_INT_H

#include "cratrace/sbom_profile.h"

/** Append a component to f (zeroed); CT_ELIMIT beyond max. *out borrowed until f grows. */
int ct_sbom__facts_new_component(ct_sbom_facts_component **out, ct_sbom_facts *f, size_t max);
/** Mark deps_stated on every component whose ref is one of refs[0..n). */
int ct_sbom__facts_mark_stated(ct_sbom_facts *f, const char *const *refs, size_t n);
/** Set *dst to a copy of s[0..n) unless *dst is already set or n is 0. */
int ct_sbom__facts_set(char **dst, const char *s, size_t n);
/** Fill f from a CycloneDX XML document (libxml2, no network, no DOCTYPE, no entities). */
int ct_sbom__facts_cdx_xml(ct_sbom_facts *f, const ct_ctx *ctx, const char *data, size_t len,
                           const char *source);

#endif

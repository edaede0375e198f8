/* Internal: the model's string arena (model.c), used by the readers that allocate into it. */
#ifndef CT_SBOM_MODEL_INT_H
#define CT_SBOM_MODEL_INT_H

#include "cratrace/sbom.h"

/** Copy of s[0..n) plus a NUL in sb's arena (created on first use; sb->arena set); NULL when
 * out of memory (no error set). */
char *ct_sbom__arena_strndup(ct_sbom *sb, const char *s, size_t n);

#endif

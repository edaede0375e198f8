/* cvss: CVSS v3.0, v3.1 and v4.0 vector parsing, validation and base scoring. */
#ifndef CRATRACE_CVSS_H
#define CRATRACE_CVSS_H

#include "cratrace/common.h"

/** Qualitative severity rating (CVSS v3.1 §5, CVSS v4.0 §6): None 0.0, Low 0.1-3.9,
 *  Medium 4.0-6.9, High 7.0-8.9, Critical 9.0-10.0. */
typedef enum ct_cvss_severity {
    CT_CVSS_SEV_NONE,
    CT_CVSS_SEV_LOW,
    CT_CVSS_SEV_MEDIUM,
    CT_CVSS_SEV_HIGH,
    CT_CVSS_SEV_CRITICAL
} ct_cvss_severity;

/** Most metrics any version defines (v4.0: 11 base + 1 threat + 14 environmental + 6
 *  supplemental). */
#define CT_CVSS_MAX_METRICS 32

/** A parsed, validated vector. Plain value, no allocation. */
typedef struct ct_cvss {
    int version;     /* 30, 31 or 40 */
    int score10;     /* score x 10, 0..100: v3 base score; v4.0 CVSS-B/BT/BE/BTE score */
    int temporal10;  /* v3: temporal score x 10 (v3.1 §7.2; = base without E/RL/RC); v4: -1 */
    int environmental10; /* v3: environmental score x 10 (v3.1 §7.3); v4: -1 */
    ct_cvss_severity severity;
    char macrovector[8]; /* v4.0: EQ1..EQ6, e.g. "000200"; "" for v3 */
    /* value of metric i of the version's metric table: 0 = absent, else 1 + value index */
    uint8_t values[CT_CVSS_MAX_METRICS];
} ct_cvss;

/** Parse "CVSS:3.1/AV:N/...", "CVSS:3.0/..." or "CVSS:4.0/..." from s[0..len) (need not be
 *  NUL-terminated), check it and compute the score. Metrics may come in any order; unknown,
 *  duplicate or invalid metrics or values and missing base metrics are CT_EPARSE with the
 *  byte offset (column = offset + 1) of the offending metric. */
CT_EXTERN int ct_cvss_parse(ct_cvss *out, const char *s, size_t len);

/** The score as a double with one decimal (score10 / 10). */
CT_EXTERN double ct_cvss_score(const ct_cvss *c);

/** The value of metric name ("AV", "MSI", "U", ...) as written ("N", "Amber"), or NULL when
 *  the vector does not give it. Borrowed, static. */
CT_EXTERN const char *ct_cvss_metric(const ct_cvss *c, const char *name);

/** The rating for a score x 10 (0..100). */
CT_EXTERN ct_cvss_severity ct_cvss_severity_of(int score10);

/** "None", "Low", "Medium", "High" or "Critical". */
CT_EXTERN const char *ct_cvss_severity_name(ct_cvss_severity s);

#endif

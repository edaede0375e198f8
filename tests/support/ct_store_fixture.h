/* Store test fixture: a context with the test clock, a fresh store on the backend
 * CT_TEST_BACKEND selects and a temp directory; loading advisories and SBOMs into it; the
 * findings as sorted text lines to compare with an expected answer. Every helper fails the test
 * (naming what failed and the error) instead of returning an error. */
#ifndef CT_STORE_FIXTURE_H
#define CT_STORE_FIXTURE_H

#include "ct_test.h"

typedef struct ct_store_fixture {
    ct_ctx *ctx;
    ct_store *st;
    char *dir; /* temp directory for the files the helpers write */
} ct_store_fixture;

/** cmocka setup: *state = a NEW fixture (ct_test_ctx, ct_test_store_open, ct_test_tmpdir). */
int ct_store_fixture_setup(void **state);
/** cmocka teardown: closes the store (when open) and frees the fixture. */
int ct_store_fixture_teardown(void **state);

/** Write text to dir/name and import it as advisories in format ("osv", "csaf", "auto", ...). */
void ct_store_fixture_import_advisories(ct_store_fixture *f, const char *name, const char *format,
                                        const char *text);
/** Import a CycloneDX 1.5 SBOM (written to dir/sbom-VERSION.json) as release version of product
 * "gw": one library component per purl, named by the purl's last path segment before '@' and
 * versioned by what stands between '@' and '?'. */
void ct_store_fixture_import_sbom(ct_store_fixture *f, const char *version,
                                  const char *const *purls, size_t npurls);
/** ct_store_match_all, failing the test on error. */
void ct_store_fixture_rematch(ct_store_fixture *f);

/** What a findings line holds. */
typedef enum {
    CT_FINDING_LINE_PURL_ADVISORY, /* "purl advisory" */
    CT_FINDING_LINE_STATE,         /* "purl advisory state[ by BY][ JUSTIFICATION]" (triage) */
} ct_finding_line;

/** One line per finding of the store (of state_filter, or all when NULL), sorted, each ending
 * in '\n'; "" when there are none. NEW. */
char *ct_store_fixture_findings(ct_store *st, const char *state_filter, ct_finding_line form);
/** Fail the test unless the "purl advisory" lines of all findings are the lines of want (in
 * any order). */
void ct_store_fixture_expect(ct_store_fixture *f, const char *want);
/** The '\n'-separated lines of text, sorted, each ending in '\n' (empty lines dropped). NEW. */
char *ct_test_sorted_lines(const char *text);

/** Compare JSON answers by value: fail the test unless every member of the object want_text is
 * in the object got_text with an equal value (members got adds, such as new fields of a growing
 * API, are tolerated at the top level). */
void ct_test_json_has(const char *got_text, const char *want_text);
/** Of an `affected --json` answer: releases[release_idx].units (release_idx >= 0), else the
 * units of customer id customer (not NULL), else units_total; -1 when absent. */
int64_t ct_test_aff_units(const char *text, int release_idx, const char *customer);

#endif

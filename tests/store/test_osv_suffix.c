/* OSV ecosystem suffixes (issue 6, docs/feeds.md "Distributions" and "Matching semantics"):
 * synthetic records of each suffix form against purls with and without `distro` /
 * `repository_url`, through every matching path (a new SBOM against the index, new advisories
 * against stored components, the full rematch, and the per-pair baseline path), each asserting
 * the exact finding set; an upgraded store whose keys predate the rule is re-keyed by `match`,
 * and a store at migration 0025 with old keys, opened by this code, gives the exact set on the next
 * SBOM or advisory import with no `match` (migration 0029 keys_version);
 * a distribution's release-less record gives its verdict in every release.
 * CT_TEST_USES_STORE: runs on SQLite and PostgreSQL. */
#include "ct_store_fixture.h"

#include "cratrace/store.h"
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every test starts and ends with the default matching path (CT_MATCH_PER_PAIR unset). */
static int setup(void **state)
{
    unsetenv("CT_MATCH_PER_PAIR");
    return ct_store_fixture_setup(state);
}

static int teardown(void **state)
{
    int rc = ct_store_fixture_teardown(state);
    unsetenv("CT_MATCH_PER_PAIR");
    return rc;
}

/* Components: one package per ecosystem, placed in several releases / repositories. */
#define D12 "pkg:deb/debian/libfoo1@1.0-1?distro=debian-12&upstream=foo"
#define D11 "pkg:deb/debian/libfoo1@1.0-1?distro=bullseye&upstream=foo"
#define DNONE "pkg:deb/debian/foo@1.0-1"
#define U2204 "pkg:deb/ubuntu/foo@1.0-1?distro=ubuntu-22.04&upstream=foo"
#define R8 "pkg:rpm/redhat/bar@1.0-1.el8?distro=rhel-8.6"
#define R9 "pkg:rpm/redhat/bar@1.0-1.el9?distro=rhel-9"
#define RNONE "pkg:rpm/redhat/bar@1.0-1.el8"
#define A9 "pkg:rpm/almalinux/bar@1.0-1.el9?distro=almalinux-9.3"
#define MC "pkg:maven/org.ex/lib@1.0"
#define MCX "pkg:maven/org.ex/lib@1.0?repository_url=https://repo.maven.apache.org/maven2/"
#define MG "pkg:maven/org.ex/lib@1.0?repository_url=https://maven.google.com"
#define PC "pkg:composer/acme/pkg@1.0.0"
#define PX "pkg:composer/acme/pkg@1.0.0?repository_url=https://repo.example.com"

static const char *const purls[] = { D12, D11, DNONE, U2204, R8, R9, RNONE,
                                     A9,  MC,  MCX,   MG,    PC, PX };

/* One OSV record per suffix form; every version below 9 is affected. */
#define REC(id, eco, name)                                                                        \
    "{\"id\":\"" id "\",\"modified\":\"2026-01-01T00:00:00Z\",\"affected\":[{\"package\":{"       \
    "\"ecosystem\":\"" eco "\",\"name\":\"" name "\"},\"ranges\":[{\"type\":\"ECOSYSTEM\","        \
    "\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"9\"}]}]}]}\n"

static const char records[] =
    REC("TEST-DEB-ANY", "Debian", "foo")   /* no suffix: every Debian release */
    REC("TEST-DEB-12", "Debian:12", "foo") /* Debian 12 only */
    REC("TEST-UBU-ANY", "Ubuntu", "foo")
    REC("TEST-RH-ANY", "Red Hat", "bar")
    REC("TEST-RH-8", "Red Hat:rhel_aus:8.6::appstream", "bar")
    REC("TEST-RH-9", "Red Hat:cpe:/a:redhat:enterprise_linux:9::appstream", "bar")
    REC("TEST-RH-OCP", "Red Hat:openshift:4.12::el8", "bar") /* not a RHEL release: any */
    REC("TEST-ALMA-ANY", "AlmaLinux", "bar")
    REC("TEST-MVN", "Maven", "org.ex:lib") /* the default repository, Maven Central */
    REC("TEST-MVN-CENTRAL", "Maven:https://repo.maven.apache.org/maven2/", "org.ex:lib")
    REC("TEST-MVN-GOOGLE", "Maven:https://maven.google.com", "org.ex:lib")
    REC("TEST-PKG", "Packagist", "acme/pkg")
    REC("TEST-PKG-X", "Packagist:https://repo.example.com/", "acme/pkg");

/* What the schema's rule (and the rule for Red Hat streams) gives, by hand, sorted. */
static const char expected[] =
    D11 " TEST-DEB-ANY\n"
    D12 " TEST-DEB-12\n"
    D12 " TEST-DEB-ANY\n"
    DNONE " TEST-DEB-ANY\n"
    U2204 " TEST-UBU-ANY\n"
    MC " TEST-MVN\n"
    MC " TEST-MVN-CENTRAL\n"
    MCX " TEST-MVN\n"
    MCX " TEST-MVN-CENTRAL\n"
    MG " TEST-MVN-GOOGLE\n"
    PC " TEST-PKG\n"
    PX " TEST-PKG-X\n"
    A9 " TEST-ALMA-ANY\n"
    RNONE " TEST-RH-8\n" /* no release stated: name-only, every stream */
    RNONE " TEST-RH-9\n"
    RNONE " TEST-RH-ANY\n"
    RNONE " TEST-RH-OCP\n"
    R8 " TEST-RH-8\n"
    R8 " TEST-RH-ANY\n"
    R8 " TEST-RH-OCP\n"
    R9 " TEST-RH-9\n"
    R9 " TEST-RH-ANY\n"
    R9 " TEST-RH-OCP\n";

static void import_records(ct_store_fixture *f, const char *text, const char *name)
{
    ct_store_fixture_import_advisories(f, name, "osv", text);
}

static void import_sbom(ct_store_fixture *f, const char *version)
{
    ct_store_fixture_import_sbom(f, version, purls, CT_NELEM(purls));
}

/* Advisories first: the SBOM's components meet the index (ct_store_release_add). */
static void run_sbom_after_advisories(void **state, bool per_pair)
{
    ct_store_fixture *f = *state;
    if (per_pair)
        setenv("CT_MATCH_PER_PAIR", "1", 1);
    import_records(f, records, "suffix.jsonl");
    import_sbom(f, "1.0");
    ct_store_fixture_expect(f, expected);
    ct_store_fixture_rematch(f);
    ct_store_fixture_expect(f, expected);
}

/* SBOM first: each new advisory meets the stored components it names (match_advisory). */
static void run_advisories_after_sbom(void **state, bool per_pair)
{
    ct_store_fixture *f = *state;
    if (per_pair)
        setenv("CT_MATCH_PER_PAIR", "1", 1);
    import_sbom(f, "1.0");
    ct_store_fixture_expect(f, "");
    import_records(f, records, "suffix.jsonl");
    ct_store_fixture_expect(f, expected);
    ct_store_fixture_rematch(f);
    ct_store_fixture_expect(f, expected);
}

static void test_osv_suffix__sbom_after_advisories(void **state)
{
    run_sbom_after_advisories(state, false);
}

static void test_osv_suffix__advisories_after_sbom(void **state)
{
    run_advisories_after_sbom(state, false);
}

static void test_osv_suffix__per_pair_sbom_after_advisories(void **state)
{
    run_sbom_after_advisories(state, true);
}

static void test_osv_suffix__per_pair_advisories_after_sbom(void **state)
{
    run_advisories_after_sbom(state, true);
}

/* A second release while the index is current: the incremental path on a warm index. */
static void test_osv_suffix__second_release_warm_index(void **state)
{
    ct_store_fixture *f = *state;
    import_records(f, records, "suffix.jsonl");
    import_sbom(f, "1.0");
    import_sbom(f, "2.0");
    char *got = ct_store_fixture_findings(f->st, NULL, CT_FINDING_LINE_PURL_ADVISORY);
    /* every line twice (two releases, same purls) */
    ct_buf want = CT_BUF_INIT;
    const char *s = expected;
    while (*s) {
        const char *nl = strchr(s, '\n');
        ct_buf_printf(&want, "%.*s\n%.*s\n", (int)(nl - s), s, (int)(nl - s), s);
        s = nl + 1;
    }
    char *w = ct_test_sorted_lines(want.ptr);
    assert_string_equal(got, w);
    ct_free(w);
    ct_free(got);
    ct_buf_dispose(&want);
}

/* Set a stored key back to what the rules before this one gave (ct_store__distro_rekey's own
 * update statements), as in a store written by an older cratrace. */
static void set_key(ct_store_fixture *f, ct_query_id qid, int64_t id, const char *key)
{
    ct_stmt *q;
    assert_int_equal(ct_store__prepare(&q, f->st, qid), CT_OK);
    assert_int_equal(ct_stmt_bind_int64(q, 1, id), CT_OK);
    assert_int_equal(ct_stmt_bind_text(q, 2, key), CT_OK);
    assert_int_equal(ct_store__exec_stmt(q), CT_OK);
}

/* The keys of rows of a re-key query, cut before '?' (the old rule: no Red Hat release, no
 * repository), written back. Returns how many rows changed. */
static int downgrade_keys(ct_store_fixture *f, ct_query_id sel, ct_query_id upd, int key_col,
                          const char *only_prefix)
{
    ct_stmt *q;
    int64_t ids[64];
    char *keys[64];
    size_t n = 0;
    int changed = 0;
    assert_int_equal(ct_store__prepare(&q, f->st, sel), CT_OK);
    assert_int_equal(ct_stmt_bind_int64(q, 1, 0), CT_OK);
    while (ct_stmt_step(q) == 1 && n < CT_NELEM(ids)) {
        const char *k = ct_stmt_text(q, key_col);
        if (!k || strncmp(k, only_prefix, strlen(only_prefix)) != 0 || !strchr(k, '?'))
            continue;
        ids[n] = ct_stmt_int64(q, 0);
        keys[n++] = ct_strndup(k, strcspn(k, "?"));
    }
    f->st->drv->reset(q);
    for (size_t i = 0; i < n; i++) {
        set_key(f, upd, ids[i], keys[i]);
        ct_free(keys[i]);
        changed++;
    }
    return changed;
}

/* The Red Hat and Maven/Packagist keys of components and ranges written back by the old rule;
 * returns how many rows changed. */
static int downgrade_all_keys(ct_store_fixture *f)
{
    int n = 0;
    n += downgrade_keys(f, CT_Q_DISTRO_REKEY_COMPONENTS, CT_Q_DISTRO_COMPONENT_SET_KEY, 2,
                        "rpm/redhat/");
    n += downgrade_keys(f, CT_Q_DISTRO_REKEY_COMPONENTS, CT_Q_DISTRO_COMPONENT_SET_KEY, 2,
                        "maven/");
    n += downgrade_keys(f, CT_Q_DISTRO_REKEY_COMPONENTS, CT_Q_DISTRO_COMPONENT_SET_KEY, 2,
                        "composer/");
    n += downgrade_keys(f, CT_Q_DISTRO_REKEY_RANGES, CT_Q_DISTRO_RANGE_SET_KEY, 3, "rpm/redhat/");
    n += downgrade_keys(f, CT_Q_DISTRO_REKEY_RANGES, CT_Q_DISTRO_RANGE_SET_KEY, 3, "maven/");
    n += downgrade_keys(f, CT_Q_DISTRO_REKEY_RANGES, CT_Q_DISTRO_RANGE_SET_KEY, 3, "composer/");
    return n;
}

/* A store whose Red Hat and Maven/Packagist keys were written before this rule: `match`
 * re-keys them and then gives the same findings as a fresh store. */
static void test_osv_suffix__upgraded_store_rekeyed_by_match(void **state)
{
    ct_store_fixture *f = *state;
    ct_stmt *q;
    import_sbom(f, "1.0");
    import_records(f, records, "suffix.jsonl");
    ct_store_fixture_expect(f, expected);
    assert_int_equal(ct_store_begin(f->st), CT_OK);
    int n = downgrade_all_keys(f);
    /* R8, R9 (components); MG, PX; TEST-RH-8, TEST-RH-9; TEST-MVN-GOOGLE, TEST-PKG-X */
    assert_int_equal(n, 8);
    /* the findings as an older cratrace would have left them: none (rematched below) */
    assert_int_equal(ct_store__prepare(&q, f->st, CT_Q_FINDINGS_CLEAR_ALL), CT_OK);
    assert_int_equal(ct_store__exec_stmt(q), CT_OK);
    /* keys of rules before 0029's (the value migration 0029 gives a store with keyed rows) */
    assert_int_equal(ct_store__prepare(&q, f->st, CT_Q_STATE_SET), CT_OK);
    assert_int_equal(ct_stmt_bind_text(q, 1, "keys_version"), CT_OK);
    assert_int_equal(ct_stmt_bind_int64(q, 2, 0), CT_OK);
    assert_int_equal(ct_store__exec_stmt(q), CT_OK);
    assert_int_equal(ct_store_commit(f->st), CT_OK);
    /* the handle as newly opened, as `cratrace match` after the upgrade (a second open of the
     * test store would be another, empty store) */
    ct_store__match_state_free(f->st);
    ct_store_fixture_rematch(f);
    ct_store_fixture_expect(f, expected);
}

/* ---- a store written by the rules before 0026, opened by this code ------------------------ */

static void raw_exec(ct_store_fixture *f, const char *sql)
{
    if (f->st->drv->exec(f->st->conn, sql) < 0)
        fail_msg("%s: %s", sql, ct_error_format());
}

static int64_t state_value(ct_store_fixture *f, const char *name)
{
    ct_stmt *q;
    int64_t v = -1;
    assert_int_equal(ct_store__prepare(&q, f->st, CT_Q_STATE_GET), CT_OK);
    assert_int_equal(ct_stmt_bind_text(q, 1, name), CT_OK);
    if (ct_stmt_step(q) == 1)
        v = ct_stmt_int64(q, 0);
    f->st->drv->reset(q);
    return v;
}

/* Turn the store into one at migration 0025 as an older cratrace left it: the Red Hat and
 * Maven/Packagist keys by the old rule (cut before '?'), no findings, no pkg_base column, no
 * keys_version, migrations 0026 and 0029 not recorded; then close it and open it with this code
 * (which applies 0026 and 0029 again). */
static void make_old_store_and_reopen(ct_store_fixture *f, const char *dsn, int want_downgraded)
{
    ct_stmt *q;
    assert_int_equal(ct_store_begin(f->st), CT_OK);
    int n = downgrade_all_keys(f);
    assert_int_equal(n, want_downgraded);
    assert_int_equal(ct_store__prepare(&q, f->st, CT_Q_FINDINGS_CLEAR_ALL), CT_OK);
    assert_int_equal(ct_store__exec_stmt(q), CT_OK);
    raw_exec(f, "DROP INDEX component_pkg_base");
    raw_exec(f, "ALTER TABLE component DROP COLUMN pkg_base");
    raw_exec(f, "DELETE FROM store_state WHERE name = 'keys_version'");
    raw_exec(f, "DELETE FROM schema_migrations WHERE version IN ('0026_pkg_base.sql', "
                "'0029_keys_version.sql')");
    assert_int_equal(ct_store_commit(f->st), CT_OK);
    ct_store_close(f->st);
    f->st = NULL;
    if (ct_store_open(&f->st, f->ctx, dsn) < 0)
        fail_msg("reopen %s: %s", dsn, ct_error_format());
    assert_int_equal(state_value(f, "keys_version"), 0); /* keyed rows of older rules */
}

/* which: 0 the old store holds the SBOM, the records arrive after the upgrade; 1 it holds the
 * records, the SBOM arrives; 2 it holds both (findings lost), a second SBOM arrives. */
static void run_upgraded_store(void **state, int which)
{
    ct_store_fixture *f = *state;
    char *dsn = ct_test_fresh_dsn();
    ct_store_close(f->st);
    if (ct_store_open(&f->st, f->ctx, dsn) < 0)
        fail_msg("open %s: %s", dsn, ct_error_format());
    if (which != 1)
        import_sbom(f, "1.0");
    if (which != 0)
        import_records(f, records, "suffix.jsonl");
    /* components R8, R9, MG, PX; ranges TEST-RH-8, TEST-RH-9, TEST-MVN-GOOGLE, TEST-PKG-X */
    make_old_store_and_reopen(f, dsn, which == 0 ? 4 : which == 1 ? 4 : 8);
    if (which == 0)
        import_records(f, records, "suffix.jsonl");
    else
        import_sbom(f, which == 1 ? "1.0" : "2.0");
    assert_int_equal(state_value(f, "keys_version"), 1);
    ct_buf want = CT_BUF_INIT;
    for (const char *s = expected; *s;) { /* 2: 1.0 rematched by the upgrade, 2.0 matched */
        const char *nl = strchr(s, '\n');
        for (int k = 0; k < (which == 2 ? 2 : 1); k++)
            ct_buf_printf(&want, "%.*s\n", (int)(nl - s), s);
        s = nl + 1;
    }
    ct_store_fixture_expect(f, want.ptr);
    ct_store_fixture_rematch(f); /* and `match` has nothing left to change */
    ct_store_fixture_expect(f, want.ptr);
    ct_buf_dispose(&want);
    ct_free(dsn);
}

static void test_osv_suffix__upgraded_store_advisories_without_match(void **state)
{
    run_upgraded_store(state, 0);
}

static void test_osv_suffix__upgraded_store_sbom_without_match(void **state)
{
    run_upgraded_store(state, 1);
}

static void test_osv_suffix__upgraded_store_rematched_on_import(void **state)
{
    run_upgraded_store(state, 2);
}

/* A distribution's own record without a release (ID DEBIAN-CVE-..., ecosystem "Debian") says
 * fixed in 1.0-1 for every release: another source's finding on Debian 12 and 11 gets the
 * distro's "fixed" statement, through both the SBOM-side and the rematch path. */
static const char distro_records[] =
    "{\"id\":\"DEBIAN-CVE-2099-0001\",\"aliases\":[\"CVE-2099-0001\"],\"modified\":"
    "\"2026-01-01T00:00:00Z\",\"affected\":[{\"package\":{\"ecosystem\":\"Debian\",\"name\":"
    "\"foo\"},\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},"
    "{\"fixed\":\"1.0-1\"}]}]}]}\n"
    "{\"id\":\"CVE-2099-0001\",\"modified\":\"2026-01-01T00:00:00Z\",\"affected\":[{"
    "\"package\":{\"ecosystem\":\"Debian:12\",\"name\":\"foo\"},\"ranges\":[{\"type\":"
    "\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"2.0-1\"}]}]},{"
    "\"package\":{\"ecosystem\":\"Debian:11\",\"name\":\"foo\"},\"ranges\":[{\"type\":"
    "\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"2.0-1\"}]}]}]}\n";

static void test_osv_suffix__release_less_distro_verdict(void **state)
{
    ct_store_fixture *f = *state;
    import_records(f, distro_records, "distro.jsonl");
    import_sbom(f, "1.0");
    char *got = ct_store_fixture_findings(f->st, "fixed", CT_FINDING_LINE_PURL_ADVISORY);
    assert_string_equal(got, D11 " CVE-2099-0001\n" D12 " CVE-2099-0001\n");
    ct_free(got);
    got = ct_store_fixture_findings(f->st, "in_triage", CT_FINDING_LINE_PURL_ADVISORY);
    assert_string_equal(got, "");
    ct_free(got);
    ct_store_fixture_rematch(f);
    got = ct_store_fixture_findings(f->st, "fixed", CT_FINDING_LINE_PURL_ADVISORY);
    assert_string_equal(got, D11 " CVE-2099-0001\n" D12 " CVE-2099-0001\n");
    ct_free(got);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_osv_suffix__sbom_after_advisories, setup, teardown),
        cmocka_unit_test_setup_teardown(test_osv_suffix__advisories_after_sbom, setup, teardown),
        cmocka_unit_test_setup_teardown(test_osv_suffix__per_pair_sbom_after_advisories, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_osv_suffix__per_pair_advisories_after_sbom, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_osv_suffix__second_release_warm_index, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_osv_suffix__upgraded_store_rekeyed_by_match, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_osv_suffix__upgraded_store_advisories_without_match,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_osv_suffix__upgraded_store_sbom_without_match, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_osv_suffix__upgraded_store_rematched_on_import, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_osv_suffix__release_less_distro_verdict, setup,
                                        teardown),
    };
    if (!ct_test_backend_available())
        return CT_TEST_SKIP;
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Incremental identities (issue 6): `cratrace match` (ct_store_match_all) regroups every
 * advisory identity only when the store says identities may be stale (migration 0023,
 * store_state identity_stale); imports regroup what they store before they commit. On real
 * records from ../shared/conformance/advisories (the Go vulnerability database in OSV, CVE 5
 * and GHSA samples, NVD sample) plus records made here whose aliases join two real identities
 * and later split them again, the identities after every import and match must equal a full
 * regroup of every record (ct_store__identity_rebuild in a transaction that is rolled back: the
 * one-pass regroup computes each record's identity from the records and aliases alone, so its
 * result is that of a regroup on a copy). CT_TEST_USES_STORE: runs on SQLite and PostgreSQL. */
#include "ct_store_fixture.h"

#include "cratrace/feed.h"
#include "cratrace/store.h"
#include "store/store_int.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char go_rel[] = "conformance/advisories/osv/go-vulndb/osv-go.jsonl.gz";

/* Every record's "id ext_id identity_id primary_id" line, in id order (NEW). */
static char *identities(ct_store *st)
{
    ct_stmt *q;
    ct_buf b = CT_BUF_INIT;
    int rc;
    assert_int_equal(ct_store__prepare(&q, st, CT_Q_ADV_ALL_BRIEF), CT_OK);
    while ((rc = ct_stmt_step(q)) == 1) {
        const char *prim = ct_stmt_text(q, 4);
        ct_buf_printf(&b, "%lld %s %lld %s\n", (long long)ct_stmt_int64(q, 0),
                      ct_stmt_text(q, 1), (long long)ct_stmt_int64(q, 3), prim ? prim : "-");
    }
    st->drv->reset(q);
    assert_int_equal(rc, 0);
    assert_false(b.failed);
    char *out = ct_strdup(b.len ? b.ptr : "");
    ct_buf_dispose(&b);
    return out;
}

/* The identities a full regroup gives, without changing the store (NEW). */
static char *full_regroup(ct_store *st)
{
    assert_int_equal(ct_store_begin(st), CT_OK);
    assert_int_equal(ct_store__identity_rebuild(st), CT_OK);
    char *out = identities(st);
    ct_store_rollback(st);
    return out;
}

static int64_t stale_flag(ct_store *st)
{
    ct_stmt *q;
    assert_int_equal(ct_store__prepare(&q, st, CT_Q_STATE_GET), CT_OK);
    assert_int_equal(ct_stmt_bind_text(q, 1, "identity_stale"), CT_OK);
    assert_int_equal(ct_stmt_step(q), 1);
    int64_t v = ct_stmt_int64(q, 0);
    st->drv->reset(q);
    return v;
}

/* The incremental identities equal a full regroup, and nothing is marked stale. */
static void assert_current(ct_store *st, const char *when)
{
    char *inc = identities(st), *full = full_regroup(st);
    if (strcmp(inc, full) != 0)
        fail_msg("%s: identities differ from a full regroup", when);
    assert_int_equal(stale_flag(st), 0);
    ct_free(inc);
    ct_free(full);
}

static void import_path(ct_store *st, const char *path, const char *format, ct_import_stats *s)
{
    ct_import_stats local;
    memset(&local, 0, sizeof local);
    int rc = ct_import_advisories_ex(st, path, format, s ? s : &local);
    if (rc < 0)
        fail_msg("import %s: %s", path, ct_error_format());
}

/* The identity_id of record ext_id of source. */
static int64_t identity_of(ct_store *st, const char *ext_id, const char *source)
{
    ct_stmt *q;
    int64_t id;
    assert_int_equal(ct_store__prepare(&q, st, CT_Q_ADVISORY_BY_SOURCE_EXT), CT_OK);
    assert_int_equal(ct_stmt_bind_text(q, 1, ext_id), CT_OK);
    assert_int_equal(ct_stmt_bind_text(q, 2, source), CT_OK);
    assert_int_equal(ct_stmt_step(q), 1);
    id = ct_stmt_int64(q, 0);
    st->drv->reset(q);
    assert_int_equal(ct_store__prepare(&q, st, CT_Q_ADV_BRIEF), CT_OK);
    assert_int_equal(ct_stmt_bind_int64(q, 1, id), CT_OK);
    assert_int_equal(ct_stmt_step(q), 1);
    int64_t ident = ct_stmt_int64(q, 2);
    st->drv->reset(q);
    return ident;
}

/* Go records (ID and their one CVE alias) from the data, the first few. */
typedef struct {
    char go[8][64], cve[8][64];
    size_t n;
} go_list;

static int collect_go(const ct_advisory *a, void *payload)
{
    go_list *l = payload;
    const char *cve = NULL;
    size_t ncve = 0;
    if (l->n == CT_NELEM(l->go))
        return 0; /* enough */
    for (size_t i = 0; i < a->naliases; i++)
        if (strncmp(a->aliases[i], "CVE-", 4) == 0) {
            cve = a->aliases[i];
            ncve++;
        }
    if (ncve != 1 || a->withdrawn != CT_TIME_NONE || strlen(a->id) >= 64 || strlen(cve) >= 64)
        return 0;
    snprintf(l->go[l->n], sizeof l->go[0], "%s", a->id);
    snprintf(l->cve[l->n], sizeof l->cve[0], "%s", cve);
    l->n++;
    return 0;
}

/* A record made here (source "osv") naming the given CVE IDs as aliases. */
static void import_joiner(ct_store_fixture *f, const char *modified, const char *cve1,
                          const char *cve2)
{
    char line[512];
    snprintf(line, sizeof line,
             "{\"id\":\"JOIN-2099-0001\",\"modified\":\"%s\",\"aliases\":[\"%s\"%s%s%s]}\n",
             modified, cve1, cve2 ? ",\"" : "", cve2 ? cve2 : "", cve2 ? "\"" : "");
    char *p = ct_test_write_file(f->dir, "join.jsonl", line);
    import_path(f->st, p, "osv", NULL);
    ct_free(p);
}

static void test_identity_incremental__equals_full_regroup(void **state)
{
    ct_store_fixture *f = *state;
    char *go = ct_test_shared_path(go_rel), *cve = ct_test_shared_path(
                                                   "conformance/advisories/cve5-sample");
    char *ghsa = ct_test_shared_path("conformance/advisories/ghsa-sample");
    if (!go || !cve || !ghsa) {
        ct_free(go);
        ct_free(cve);
        ct_free(ghsa);
        skip();
    }
    /* an empty store has nothing stale */
    assert_int_equal(stale_flag(f->st), 0);

    /* import (one pass over all: the Go database is most of the store), match */
    import_path(f->st, cve, "cve5", NULL);
    import_path(f->st, go, "osv", NULL);
    import_path(f->st, ghsa, "osv", NULL);
    assert_current(f->st, "after the first imports");
    assert_int_equal(ct_store_match_all(f->st, NULL), CT_OK);
    assert_current(f->st, "after the first match");

    /* two real identities, each one Go record with its CVE */
    go_list l;
    memset(&l, 0, sizeof l);
    assert_int_equal(ct_feed_read_osv_path(f->ctx, go, collect_go, &l), CT_OK);
    assert_true(l.n >= 2);
    size_t a = 0, b = 1;
    while (b < l.n && identity_of(f->st, l.go[a], "osv") == identity_of(f->st, l.go[b], "osv"))
        b++;
    assert_true(b < l.n);
    int64_t ia = identity_of(f->st, l.go[a], "osv"), ib = identity_of(f->st, l.go[b], "osv");
    assert_true(ia != ib);

    /* import more: a record whose aliases join the two (records regrouped by the import, the
     * few-records path), match */
    import_joiner(f, "2099-01-01T00:00:00Z", l.cve[a], l.cve[b]);
    int64_t joined = identity_of(f->st, l.go[a], "osv");
    assert_int_equal(identity_of(f->st, l.go[b], "osv"), joined);
    assert_int_equal(identity_of(f->st, "JOIN-2099-0001", "osv"), joined);
    assert_int_equal(joined, ia < ib ? ia : ib); /* the smallest record id of the group */
    assert_current(f->st, "after the joining import");
    assert_int_equal(ct_store_match_all(f->st, NULL), CT_OK);
    assert_current(f->st, "after the second match");

    /* the record drops one alias: the groups split again */
    import_joiner(f, "2099-02-01T00:00:00Z", l.cve[a], NULL);
    assert_int_equal(identity_of(f->st, l.go[a], "osv"), ia);
    assert_int_equal(identity_of(f->st, l.go[b], "osv"), ib);
    assert_current(f->st, "after the splitting import");
    assert_int_equal(ct_store_match_all(f->st, NULL), CT_OK);
    assert_current(f->st, "after the third match");

    ct_free(go);
    ct_free(cve);
    ct_free(ghsa);
}

/* A second import of the same data changes nothing, and match_all runs the full pass only when
 * the store is marked stale: an identity planted out of line stays while nothing is stale (no
 * full pass ran) and is put right by the first match after ct_store__identity_mark_stale. */
static void test_identity_incremental__full_pass_only_when_stale(void **state)
{
    ct_store_fixture *f = *state;
    char *ghsa = ct_test_shared_path("conformance/advisories/ghsa-sample");
    char *cve = ct_test_shared_path("conformance/advisories/cve5-sample");
    if (!ghsa || !cve) {
        ct_free(ghsa);
        ct_free(cve);
        skip();
    }
    import_path(f->st, cve, "cve5", NULL);
    import_path(f->st, ghsa, "osv", NULL);
    assert_int_equal(ct_store_match_all(f->st, NULL), CT_OK);
    char *good = identities(f->st);

    /* plant a wrong primary ID on one record, outside any regroup */
    ct_stmt *q;
    int64_t id = 0;
    assert_int_equal(ct_store__prepare(&q, f->st, CT_Q_ADV_ALL_BRIEF), CT_OK);
    assert_int_equal(ct_stmt_step(q), 1);
    id = ct_stmt_int64(q, 0);
    f->st->drv->reset(q);
    assert_int_equal(ct_store_begin(f->st), CT_OK);
    assert_int_equal(ct_store__prepare(&q, f->st, CT_Q_ADV_SET_IDENTITY), CT_OK);
    assert_int_equal(ct_stmt_bind_int64(q, 1, id), CT_OK);
    assert_int_equal(ct_stmt_bind_int64(q, 2, id), CT_OK);
    assert_int_equal(ct_stmt_bind_text(q, 3, "PLANTED-1"), CT_OK);
    assert_int_equal(ct_store__exec_stmt(q), CT_OK);
    assert_int_equal(ct_store_commit(f->st), CT_OK);
    char *planted = identities(f->st);
    assert_non_null(strstr(planted, " PLANTED-1\n"));

    /* nothing stale: match leaves identities alone */
    assert_int_equal(ct_store_match_all(f->st, NULL), CT_OK);
    char *after = identities(f->st);
    assert_string_equal(after, planted);
    ct_free(after);

    /* marked stale (and rolled back: still not stale) */
    assert_int_equal(ct_store_begin(f->st), CT_OK);
    assert_int_equal(ct_store__identity_mark_stale(f->st), CT_OK);
    ct_store_rollback(f->st);
    assert_int_equal(stale_flag(f->st), 0);
    assert_int_equal(ct_store_begin(f->st), CT_OK);
    assert_int_equal(ct_store__identity_mark_stale(f->st), CT_OK);
    assert_int_equal(ct_store_commit(f->st), CT_OK);
    assert_int_equal(stale_flag(f->st), 1);
    assert_int_equal(ct_store_match_all(f->st, NULL), CT_OK);
    after = identities(f->st);
    assert_string_equal(after, good);
    assert_int_equal(stale_flag(f->st), 0);

    ct_free(after);
    ct_free(planted);
    ct_free(good);
    ct_free(ghsa);
    ct_free(cve);
}

int main(void)
{
    if (!ct_test_backend_available())
        return CT_TEST_SKIP;
    char *go = ct_test_shared_path(go_rel);
    if (!go)
        fprintf(stderr, "test_identity_incremental: ../shared/conformance data absent: tests "
                        "skip\n");
    ct_free(go);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_identity_incremental__equals_full_regroup,
                                        ct_store_fixture_setup, ct_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_identity_incremental__full_pass_only_when_stale,
                                        ct_store_fixture_setup, ct_store_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

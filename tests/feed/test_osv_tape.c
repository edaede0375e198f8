/* Differential test of the OSV reader: the json_tape path (ct_feed_read_osv) against the json-c
 * path it replaced (ct_feed__read_osv_jsonc, kept for this test) on every real OSV file under
 * ../shared/conformance (advisories/osv/ and osv/): the same records, field for field, and the
 * same rejects (code, message, source, line, column, offset, JSON pointer). Each JSON line is
 * read alone and as part of its file; records are also mutated (wrong types, nulls, empty and
 * NUL-cut strings, duplicate names, not-quite-JSON, truncation) so the reject paths meet real
 * records. */
#include "ct_feed_fixture.h"

#include "cratrace/feed.h"
#include "base/json_int.h"
#include "feed/feed_int.h"

#include <stdio.h>
#include <string.h>

static void put_time(ct_buf *b, ct_time t)
{
    char s[32];
    if (t == CT_TIME_NONE) {
        ct_buf_puts(b, "-");
        return;
    }
    ct_time_format(s, t);
    ct_buf_puts(b, s);
}

static const char *or_dash(const char *s)
{
    return s ? s : "(null)";
}

/* Every field of every advisory as text. */
static int dump(const ct_advisory *a, void *payload)
{
    ct_buf *d = payload;
    ct_buf_printf(d, "id=%s source=%s summary=%s severity=%s cvss=%s\n", or_dash(a->id),
                  or_dash(a->source), or_dash(a->summary), or_dash(a->severity),
                  or_dash(a->cvss));
    ct_buf_puts(d, "published=");
    put_time(d, a->published);
    ct_buf_puts(d, " modified=");
    put_time(d, a->modified);
    ct_buf_puts(d, " withdrawn=");
    put_time(d, a->withdrawn);
    ct_buf_printf(d, "\naliases(%zu)=", a->naliases);
    for (size_t i = 0; i < a->naliases; i++)
        ct_buf_printf(d, "%s,", or_dash(a->aliases[i]));
    ct_buf_printf(d, "\nrelated(%zu)=", a->nrelated);
    for (size_t i = 0; i < a->nrelated; i++)
        ct_buf_printf(d, "%s,", or_dash(a->related[i]));
    ct_buf_printf(d, "\nunmatchable=%zu ranges=%zu\n", a->unmatchable, a->nranges);
    for (size_t i = 0; i < a->nranges; i++) {
        const ct_affected_range *r = &a->ranges[i];
        ct_buf_printf(d, "%s|%s|%s|%s|%s|%s\n", r->ecosystem, r->package, r->pkg_key, r->scheme,
                      r->range_type, r->vers);
    }
    return 0;
}

/* The outcome of one read: records, then the return code and the error in full. */
static void outcome(ct_buf *d, int rc)
{
    const ct_error *e = ct_error_last();
    ct_buf_printf(d, "rc=%d\n", rc);
    if (rc < 0)
        ct_buf_printf(d, "code=%d source=%s line=%u column=%u offset=%lld pointer=%s\n%s\n%s\n",
                      e->code, or_dash(e->source), e->line, e->column, (long long)e->offset,
                      or_dash(e->pointer), e->message, ct_error_format());
}

typedef struct {
    size_t docs, records, rejects;
} tally;

static void count(tally *t, const ct_buf *d, int rc)
{
    t->docs++;
    t->rejects += rc < 0;
    for (const char *p = d->ptr; (p = strstr(p, "id=")); p += 3)
        t->records += p == d->ptr || p[-1] == '\n';
}

/* Read data both ways; fail naming what when anything differs. */
static void same_both_ways(const char *what, const char *data, size_t len, tally *t)
{
    ct_buf a = CT_BUF_INIT, b = CT_BUF_INIT;
    int ra, rb;

    ct_error_clear();
    ra = ct_feed_read_osv(ct_feed_ctx, data, len, what, dump, &a);
    outcome(&a, ra);
    ct_error_clear();
    rb = ct_feed__read_osv_jsonc(ct_feed_ctx, data, len, what, dump, &b);
    outcome(&b, rb);
    if (a.failed || b.failed)
        fail_msg("out of memory");
    if (strcmp(a.ptr, b.ptr) != 0) {
        size_t i = 0;
        while (a.ptr[i] && a.ptr[i] == b.ptr[i])
            i++;
        fail_msg("%s: tape and json-c readers differ at byte %zu:\n--- tape:\n%.600s\n--- "
                 "json-c:\n%.600s",
                 what, i, a.ptr + (i > 200 ? i - 200 : 0), b.ptr + (i > 200 ? i - 200 : 0));
    }
    count(t, &a, ra);
    ct_buf_dispose(&a);
    ct_buf_dispose(&b);
}

/* Mutations of a record that stay JSON (or, the last ones, do not): the first occurrence of
 * `from` becomes `to`. */
static const struct {
    const char *from, *to;
} mutations[] = {
    { "\"modified\":\"", "\"modified\":7,\"m\":\"" },
    { "\"modified\":\"", "\"modified\":\"x" },
    { "\"published\":\"", "\"published\":null,\"p\":\"" },
    { "\"id\":\"", "\"id\":\"\\u0000" },
    { "\"id\":", "\"id\":\"DUP\",\"id\":" },
    { "{\"id\":", "{\"x\":" },
    { "\"summary\":\"", "\"summary\":\"\\u0000" },
    { "\"summary\":\"", "\"summary\":[],\"s\":\"" },
    { "\"aliases\":[", "\"aliases\":[{}," },
    { "\"aliases\":[", "\"aliases\":\"x\",\"a\":[" },
    { "\"related\":[", "\"related\":[1,null," },
    { "\"related\":[", "\"related\":{},\"r\":[" },
    { "\"severity\":[", "\"severity\":[null,{\"score\":1}," },
    { "\"database_specific\":{", "\"database_specific\":{\"severity\":\"LOW\\u00e9\"," },
    { "\"database_specific\":{", "\"database_specific\":[],\"d\":{" },
    { "\"affected\":[", "\"affected\":[1," },
    { "\"affected\":[", "\"affected\":[{\"ranges\":[{}],\"versions\":[]}," },
    { "\"package\":{", "\"package\":{\"ecosystem\":null,\"purl\":\"pkg:npm/x@1\"," },
    { "\"package\":{", "\"package\":{\"purl\":5," },
    { "\"ecosystem\":\"", "\"ecosystem\":\"\\u0000" },
    { "\"name\":\"", "\"name\":\"a\\\"\\\\\\u00e9" },
    { "\"ranges\":[", "\"ranges\":[[]," },
    { "\"ranges\":[", "\"ranges\":[{\"type\":\"SEMVER\"}," },
    { "\"type\":\"", "\"type\":\"GIT\\u0000" },
    { "\"type\":\"", "\"type\":1,\"t\":\"" },
    { "\"events\":[", "\"events\":[\"x\"," },
    { "\"events\":[", "\"events\":[{\"fixed\":null}," },
    { "\"events\":[", "\"events\":[{\"fixed\":\"2\",\"introduced\":3}," },
    { "\"events\":[", "\"events\":[{\"limit\":\"*\"},{\"introduced\":\"\\u00001\"}," },
    { "\"introduced\":\"", "\"introduced\":\"v" },
    { "\"fixed\":\"", "\"fixed\":\"not a version " },
    { "\"versions\":[", "\"versions\":[1," },
    { "\"versions\":[", "\"versions\":[\"1.0\\u0000x\"," },
    { "\"details\":\"", "\"details\":\"\\n\\u2028 " },
    /* not JSON to one or both parsers: the error must still read the same */
    { "\"id\":", "\"id\":NaN,\"i\":" },
    { "\"summary\":\"", "\"summary\":1.,\"s\":\"" },
    { "\"affected\":[", "\"affected\":[," },
    { "\"id\":\"", "\"id\":'" },
};

static char *mutate(const char *line, size_t len, size_t m, size_t *out_len)
{
    const char *hit = strstr(line, mutations[m].from);
    size_t fl = strlen(mutations[m].from), tl = strlen(mutations[m].to);
    char *out;
    if (!hit || (size_t)(hit - line) >= len)
        return NULL;
    out = ct_malloc(len - fl + tl + 1);
    if (!out)
        fail_msg("out of memory");
    memcpy(out, line, (size_t)(hit - line));
    memcpy(out + (hit - line), mutations[m].to, tl);
    memcpy(out + (hit - line) + tl, hit + fl, len - (size_t)(hit - line) - fl);
    *out_len = len - fl + tl;
    out[*out_len] = '\0';
    return out;
}

static void real_osv_files(ct_test_files *fl)
{
    static const char *const exts[] = { ".json", ".jsonl", ".json.gz", ".jsonl.gz", NULL };
    static const char *const dirs[] = { "conformance/advisories/osv", "conformance/osv" };
    for (size_t i = 0; i < CT_NELEM(dirs); i++) {
        char *root = ct_test_shared_path(dirs[i]);
        if (root)
            ct_test_collect(fl, root, exts);
        ct_free(root);
    }
}

/* Whole files, as `advisories import` reads them (JSON lines streamed, .gz inflated), and
 * each file's bytes in memory. */
static void test_osv_tape__same_as_jsonc_on_real_files(void **state)
{
    ct_test_files fl = CT_TEST_FILES_INIT;
    tally t = { 0, 0, 0 }, mem = { 0, 0, 0 };
    (void)state;
    real_osv_files(&fl);
    if (!fl.n) {
        print_message("skipped: no OSV files under ../shared/conformance "
                      "(advisories/osv, osv; see ../shared/conformance/SOURCES.md)\n");
        skip();
    }
    for (size_t i = 0; i < fl.n; i++) {
        ct_buf a = CT_BUF_INIT, b = CT_BUF_INIT;
        int ra, rb;
        char *data = NULL;
        size_t len = 0;

        ct_error_clear();
        ra = ct_feed__read_path(ct_feed_ctx, fl.paths[i], ct_feed_read_osv, dump, &a);
        outcome(&a, ra);
        ct_error_clear();
        rb = ct_feed__read_path(ct_feed_ctx, fl.paths[i], ct_feed__read_osv_jsonc, dump, &b);
        outcome(&b, rb);
        if (strcmp(a.ptr, b.ptr) != 0)
            fail_msg("%s: the file reads differently through the tape", fl.paths[i]);
        if (strstr(fl.paths[i], ".jsonl") && ra != 0)
            fail_msg("%s: real JSON lines rejected: %s", fl.paths[i], ct_error_format());
        count(&t, &a, ra);
        ct_buf_dispose(&a);
        ct_buf_dispose(&b);
        /* in memory too (the JSON-lines loop of ct_feed__each_record_tape): the smaller files */
        assert_int_equal(ct_file_read_any(&data, &len, fl.paths[i], (size_t)256 << 20), 0);
        if (len < ((size_t)1 << 20))
            same_both_ways(fl.paths[i], data, len, &mem);
        ct_free(data);
    }
    printf("tape = json-c on %zu OSV files: %zu records, %zu rejected files; in memory %zu "
           "files, %zu records\n",
           fl.n, t.records, t.rejects, mem.docs, mem.records);
    /* the corpus: 8 JSON-lines files of ~26,000 records, the schema repository's examples */
    assert_true(fl.n >= 40);
    assert_true(t.records >= 25000);
    assert_true(mem.records >= 35); /* haskell-hsec (35 records) as JSON lines in memory */
    ct_test_files_free(&fl);
}

static bool has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcmp(s + n - m, suf) == 0;
}

/* One unit (a JSON line, or a whole .json document) plain (a whole document only: test 1 read
 * every line of the JSON-lines files, none rejected), then under mutations: all of them for a
 * document, a rotating 29th of them for each line (to bound the run time). */
static void unit_both_ways(const char *src, char *p, size_t n, size_t unit, bool line,
                           tally *plain, tally *mut, size_t *hits)
{
    if (!line)
        same_both_ways(src, p, n, plain);
    for (size_t m = 0; m < CT_NELEM(mutations); m++) {
        size_t ml = 0;
        char *x;
        if (line && (unit + m) % 29 != 0)
            continue;
        if (!(x = mutate(p, n, m, &ml)))
            continue;
        same_both_ways(src, x, ml, mut);
        hits[m]++;
        ct_free(x);
    }
    /* cut short: a parse error located as before */
    if (!line || unit % 7 == 0)
        same_both_ways(src, p, n / 2, mut);
}

/* Every JSON line alone and every .json document, plain and mutated. */
static void test_osv_tape__same_as_jsonc_line_by_line_and_mutated(void **state)
{
    ct_test_files fl = CT_TEST_FILES_INIT;
    tally plain = { 0, 0, 0 }, mut = { 0, 0, 0 };
    size_t hits[CT_NELEM(mutations)] = { 0 };
    (void)state;
    real_osv_files(&fl);
    if (!fl.n) {
        print_message("skipped: no OSV files under ../shared/conformance "
                      "(advisories/osv, osv; see ../shared/conformance/SOURCES.md)\n");
        skip();
    }
    for (size_t f = 0; f < fl.n; f++) {
        char *data = NULL, src[600];
        size_t len = 0, lineno = 0;
        bool lines = has_suffix(fl.paths[f], ".jsonl") || has_suffix(fl.paths[f], ".jsonl.gz");
        assert_int_equal(ct_file_read_any(&data, &len, fl.paths[f], (size_t)256 << 20), 0);
        if (!lines) {
            if (len < ((size_t)256 << 10))
                unit_both_ways(fl.paths[f], data, len, 0, false, &plain, &mut, hits);
            ct_free(data);
            continue;
        }
        for (char *p = data, *end = data + len; p < end; lineno++) {
            char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
            char saved = p[n];
            p[n] = '\0';
            snprintf(src, sizeof src, "%s#%zu", fl.paths[f], lineno + 1);
            if (n > 1)
                unit_both_ways(src, p, n, lineno, true, &plain, &mut, hits);
            p[n] = saved;
            p += n + 1;
        }
        ct_free(data);
    }
    printf("tape = json-c on each .json document: %zu (%zu records, %zu rejected); %zu mutated "
           "(%zu records, %zu rejected)\n",
           plain.docs, plain.records, plain.rejects, mut.docs, mut.records, mut.rejects);
    for (size_t m = 0; m < CT_NELEM(mutations); m++)
        if (!hits[m])
            printf("  mutation %zu (%s) found no record to apply to\n", m, mutations[m].from);
    /* the mutations reach both outcomes */
    assert_true(mut.rejects > 1000);
    assert_true(mut.records > 1000);
    ct_test_files_free(&fl);
}

/* OSV "related" reaches the record (AlmaLinux lists related CVE/RHSA IDs), read as given; an
 * entry that is not a string is skipped, not a reject. */
static void test_osv_tape__related(void **state)
{
    static const char rec[] =
        "{\"id\":\"ALSA-2024:0001\",\"modified\":\"2024-01-01T00:00:00Z\","
        "\"related\":[\"CVE-2024-1\",7,\"RHSA-2024:0001\",null,\"a\\u00e9\"]}";
    ct_buf d = CT_BUF_INIT;
    (void)state;
    assert_int_equal(ct_feed_read_osv(ct_feed_ctx, rec, strlen(rec), "r.json", dump, &d), 0);
    assert_non_null(strstr(d.ptr, "related(3)=CVE-2024-1,RHSA-2024:0001,a\xc3\xa9,\n"));
    ct_buf_reset(&d);
    static const char odd[] = "{\"id\":\"X-1\",\"modified\":\"2024-01-01T00:00:00Z\","
                              "\"related\":\"CVE-2024-1\"}";
    assert_int_equal(ct_feed_read_osv(ct_feed_ctx, odd, strlen(odd), "r.json", dump, &d), 0);
    assert_non_null(strstr(d.ptr, "related(0)=\n"));
    ct_buf_dispose(&d);

    /* real AlmaLinux records carry it */
    char *line = ct_test_shared_line_with("conformance/advisories/osv/almalinux/"
                                          "osv-almalinux.jsonl.gz",
                                          "\"related\":[\"");
    if (!line) {
        print_message("skipped the real-record half: osv-almalinux.jsonl.gz absent or without "
                      "\"related\" (../shared/conformance/SOURCES.md)\n");
        return;
    }
    ct_buf r = CT_BUF_INIT;
    assert_int_equal(ct_feed_read_osv(ct_feed_ctx, line, strlen(line), "alma", dump, &r), 0);
    const char *rel = strstr(r.ptr, "related(");
    assert_non_null(rel);
    assert_true(rel[8] != '0'); /* at least one related ID read */
    /* the first ID listed in the line is the first one read */
    const char *q = strstr(line, "\"related\":[\"") + 12, *qe = strchr(q, '"');
    assert_int_equal(strncmp(strchr(rel, '=') + 1, q, (size_t)(qe - q)), 0);
    ct_buf_dispose(&r);
    ct_free(line);
}

/* Lines whose top-level value the tape and json-c see differently still read as before. */
static void test_osv_tape__parser_differences_read_as_before(void **state)
{
    static const char *const docs[] = {
        "1", "true", "null", "\"s\"", "[1]", "[NaN]", "{'id':1}",
        "{\"id\":\"X\",\"modified\":\"2024-01-01T00:00:00Z\",\"x\":Infinity}",
        "{\"id\":\"X\",\"modified\":\"2024-01-01T00:00:00Z\"}\n7\n",
        "{\"id\":\"X\",\"modified\":\"2024-01-01T00:00:00Z\"}\n{\"id\":\"Y\",\"x\":1.}\n",
    };
    tally t = { 0, 0, 0 };
    (void)state;
    for (size_t i = 0; i < CT_NELEM(docs); i++)
        same_both_ways(docs[i], docs[i], strlen(docs[i]), &t);
    assert_int_equal(t.docs, CT_NELEM(docs));
    assert_true(t.records >= 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_osv_tape__same_as_jsonc_on_real_files),
        cmocka_unit_test(test_osv_tape__same_as_jsonc_line_by_line_and_mutated),
        cmocka_unit_test(test_osv_tape__related),
        cmocka_unit_test(test_osv_tape__parser_differences_read_as_before),
    };
    return cmocka_run_group_tests(tests, ct_feed_fixture_setup, ct_feed_fixture_teardown);
}

/* Tests for src/feed/sync.c and src/store/feed_source.c against a real HTTP server on 127.0.0.1
 * (tests/feed/http_fixture_server.c) serving real OSV and KEV data from ../shared copied into a
 * temp dir at test time: first sync imports, second gets 304, a modified file re-imports, every
 * failure mode leaves the store exactly as it was (counts, advisory rows, validators) and still
 * answering queries, a cut-off body is resumed with Range, two 500s are retried.
 * CT_TEST_USES_STORE: runs on SQLite and PostgreSQL. */
#include "ct_test.h"

#include "cratrace/feed.h"
#include "cratrace/sync.h"

#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CT_HTTP_FIXTURE_SERVER /* set by CMake when libmicrohttpd is there */
#define CT_HTTP_FIXTURE_SERVER ""
#define CT_NO_FIXTURE_SERVER 1
#endif

#define OSV_REL "conformance/advisories/osv/haskell-hsec/osv-hackage.jsonl.gz"
#define KEV_REL "conformance/kev/known_exploited_vulnerabilities.json"
#define V1_LINES 20

static ct_ctx *g_ctx;
static char *g_dir;        /* the server's document root (temp) */
static char *g_log;        /* its request log */
static pid_t g_server;
static unsigned g_port;
static char **g_ids;       /* advisory IDs of the whole OSV fixture, read with json-c */
static size_t g_nids, g_nids_v1;
static char *g_all_lines;  /* the decompressed OSV fixture */
static size_t g_all_len, g_v1_len;

/* ---- fixture ------------------------------------------------------------------------------ */

static void write_bytes(const char *name, const char *data, size_t len)
{
    ct_buf p = CT_BUF_INIT;
    ct_buf_printf(&p, "%s/%s", g_dir, name);
    assert_int_equal(ct_file_write(p.ptr, data, len), 0);
    ct_buf_dispose(&p);
}

/* sha256sum (coreutils) as the independent oracle for checksum files and downloads. */
static void sha256sum_to(const char *name, const char *out_name)
{
    ct_buf in = CT_BUF_INIT, out = CT_BUF_INIT;
    ct_buf_printf(&in, "%s/%s", g_dir, name);
    ct_buf_printf(&out, "%s/%s", g_dir, out_name);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        FILE *f = freopen(out.ptr, "w", stdout);
        if (!f)
            _exit(127);
        execlp("sha256sum", "sha256sum", in.ptr, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    ct_buf_dispose(&in);
    ct_buf_dispose(&out);
}

static void oracle_sha256(char hex[65], const char *name)
{
    char *data = NULL;
    size_t len = 0;
    ct_buf p = CT_BUF_INIT;
    sha256sum_to(name, "oracle.sha256");
    ct_buf_printf(&p, "%s/oracle.sha256", g_dir);
    assert_int_equal(ct_file_read(&data, &len, p.ptr, 4096), 0);
    assert_true(len >= 64);
    memcpy(hex, data, 64);
    hex[64] = '\0';
    ct_free(data);
    ct_buf_dispose(&p);
}

static void collect_ids(void)
{
    const char *p = g_all_lines, *end = g_all_lines + g_all_len;
    size_t lines = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (n > 0) {
            char *line = ct_strndup(p, n);
            json_object *o = json_tokener_parse(line);
            assert_non_null(o);
            g_ids = ct_reallocarray(g_ids, g_nids + 1, sizeof *g_ids);
            g_ids[g_nids++] = ct_strdup(json_object_get_string(json_object_object_get(o, "id")));
            json_object_put(o);
            ct_free(line);
            if (++lines == V1_LINES) {
                g_v1_len = (size_t)(p + n + 1 - g_all_lines);
                g_nids_v1 = g_nids;
            }
        }
        p += n + 1;
    }
}

static void start_server(void)
{
    int fds[2];
    char buf[32];
    ssize_t got;
    assert_int_equal(pipe(fds), 0);
    g_server = fork();
    assert_true(g_server >= 0);
    if (g_server == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        execl(CT_HTTP_FIXTURE_SERVER, CT_HTTP_FIXTURE_SERVER, g_dir, g_log, "0", (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    got = read(fds[0], buf, sizeof buf - 1);
    close(fds[0]);
    assert_true(got > 0);
    buf[got] = '\0';
    int64_t port = 0;
    assert_int_equal(ct_parse_i64(&port, buf, strcspn(buf, "\n"), 1, 65535), 0);
    g_port = (unsigned)port;
}

static int group_setup(void **state)
{
    char *osv = ct_test_shared_path(OSV_REL), *kev = ct_test_shared_path(KEV_REL);
    char *data = NULL;
    size_t len = 0;
    (void)state;
    if (!osv || !kev) {
        printf("skipped: ../shared/%s or %s is absent\n", OSV_REL, KEV_REL);
        exit(CT_TEST_SKIP);
    }
    g_ctx = ct_test_ctx();
    g_dir = ct_test_tmpdir();
    ct_buf lp = CT_BUF_INIT;
    ct_buf_printf(&lp, "%s/requests.log", g_dir);
    g_log = ct_buf_detach(&lp);
    /* real data, copied at test time into the temp dir only */
    assert_int_equal(ct_file_read_any(&g_all_lines, &g_all_len, osv, (size_t)1 << 30), 0);
    assert_int_equal(ct_file_read(&data, &len, osv, (size_t)1 << 30), 0);
    write_bytes("hackage.jsonl.gz", data, len);
    ct_free(data);
    assert_int_equal(ct_file_read(&data, &len, kev, (size_t)1 << 30), 0);
    write_bytes("kev.json", data, len);
    ct_free(data);
    collect_ids();
    assert_true(g_nids > V1_LINES);
    write_bytes("all.jsonl", g_all_lines, g_all_len);
    sha256sum_to("all.jsonl", "all.jsonl.sha256");
    /* the whole feed with record 30 broken: the import fails after 29 records were written */
    ct_buf bad = CT_BUF_INIT;
    const char *p = g_all_lines;
    for (int line = 1; p < g_all_lines + g_all_len; line++) {
        const char *nl = memchr(p, '\n', (size_t)(g_all_lines + g_all_len - p));
        size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(g_all_lines + g_all_len - p);
        if (line == 30)
            ct_buf_puts(&bad, "{\"id\": \"BROKEN-30\", \"affected\": [\n");
        else
            ct_buf_put(&bad, p, n);
        p += n;
    }
    write_bytes("broken.jsonl", bad.ptr, bad.len);
    ct_buf_dispose(&bad);
    ct_free(osv);
    ct_free(kev);
    start_server();
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    if (g_server > 0) {
        kill(g_server, SIGTERM);
        waitpid(g_server, NULL, 0);
    }
    for (size_t i = 0; i < g_nids; i++)
        ct_free(g_ids[i]);
    ct_free(g_ids);
    ct_free(g_all_lines);
    ct_free(g_log);
    ct_free(g_dir);
    ct_ctx_free(g_ctx);
    return 0;
}

/* ---- helpers ------------------------------------------------------------------------------ */

static char *url(const char *path)
{
    ct_buf b = CT_BUF_INIT;
    ct_buf_printf(&b, "http://127.0.0.1:%u%s", g_port, path);
    return ct_buf_detach(&b);
}

static void add_source(ct_store *st, const char *name, const char *path, const char *format,
                       const char *sha_path)
{
    char *u = url(path), *s = sha_path ? url(sha_path) : NULL;
    assert_int_equal(ct_store_feed_source_add(st, name, u, format, s), 0);
    ct_free(u);
    ct_free(s);
}

static ct_sync_options fast(void)
{
    ct_sync_options o = CT_SYNC_OPTIONS_INIT;
    o.backoff_ms = 20;
    o.timeout_ms = 10000;
    o.tmp_dir = g_dir;
    return o;
}

/* Everything a query can see of the advisories: counts plus the `affected` answer of every ID
 * of the fixture (absent ones as such), plus the sources' validators. */
static char *fingerprint(ct_store *st)
{
    ct_buf b = CT_BUF_INIT, one = CT_BUF_INIT;
    assert_int_equal(ct_store_summary_json(&b, st), 0);
    for (size_t i = 0; i < g_nids; i++) {
        ct_buf_reset(&one);
        int rc = ct_store_affected_json(&one, st, g_ids[i]);
        assert_true(rc == 0 || rc == CT_ENOTFOUND);
        ct_buf_printf(&b, "\n%s=%s", g_ids[i], rc == 0 ? one.ptr : "absent");
    }
    ct_buf_dispose(&one);
    return ct_buf_detach(&b);
}

/* A member of one source in ct_store_feed_sources_json, as text ("null" for JSON null). */
static char *source_field(ct_store *st, const char *name, const char *key)
{
    ct_buf b = CT_BUF_INIT;
    assert_int_equal(ct_store_feed_sources_json(&b, st, name), 0);
    json_object *arr = json_tokener_parse(b.ptr), *v = NULL;
    assert_non_null(arr);
    assert_int_equal(json_object_array_length(arr), 1);
    json_object_object_get_ex(json_object_array_get_idx(arr, 0), key, &v);
    char *out = ct_strdup(v ? json_object_get_string(v) : "null");
    json_object_put(arr);
    ct_buf_dispose(&b);
    return out;
}

static size_t log_count(const char *needle)
{
    char *data = NULL;
    size_t len = 0, n = 0;
    assert_int_equal(ct_file_read(&data, &len, g_log, (size_t)1 << 26), 0);
    for (const char *p = data; (p = strstr(p, needle)); p++)
        n++;
    ct_free(data);
    return n;
}

/* ---- tests -------------------------------------------------------------------------------- */

static void test_feed_sync__first_304_modified(void **state)
{
    ct_store *st = ct_test_store_open(g_ctx);
    ct_sync_options o = fast();
    ct_feed_sync_outcome r;
    char hex[65];
    (void)state;

    write_bytes("feed.jsonl", g_all_lines, g_v1_len);
    add_source(st, "hsec", "/feed.jsonl", "osv", NULL);
    assert_int_equal(ct_store_feed_sync(&r, st, "hsec", &o), 0);
    assert_false(r.not_modified);
    assert_int_equal(r.bytes, g_v1_len);
    assert_int_equal(r.stats.records, V1_LINES);
    assert_int_equal(r.stats.inserted, g_nids_v1);
    oracle_sha256(hex, "feed.jsonl");
    assert_string_equal(r.sha256, hex);
    ct_buf one = CT_BUF_INIT;
    assert_int_equal(ct_store_affected_json(&one, st, g_ids[0]), 0);
    /* provenance is the feed's URL, not the temp file it was downloaded to */
    char *feed_url = url("/feed.jsonl");
    ct_buf want_origin = CT_BUF_INIT;
    ct_buf_printf(&want_origin, "\"origin\":\"%s\"", feed_url);
    assert_non_null(strstr(one.ptr, want_origin.ptr));
    ct_buf_dispose(&want_origin);
    ct_free(feed_url);
    ct_buf_reset(&one);
    assert_int_equal(ct_store_affected_json(&one, st, g_ids[g_nids - 1]), CT_ENOTFOUND);
    ct_buf_dispose(&one);
    char *etag = source_field(st, "hsec", "etag"), *res = source_field(st, "hsec", "last_result");
    assert_string_not_equal(etag, "null");
    assert_string_equal(res, "updated");
    ct_free(res);

    /* unchanged on the server: 304, nothing imported, nothing changed */
    char *before = fingerprint(st);
    size_t n304 = log_count("/feed.jsonl 304");
    assert_int_equal(ct_store_feed_sync(&r, st, "hsec", &o), 0);
    assert_true(r.not_modified);
    assert_int_equal(r.stats.records, 0);
    assert_int_equal(log_count("/feed.jsonl 304"), n304 + 1);
    char *after = fingerprint(st);
    assert_string_equal(before, after);
    res = source_field(st, "hsec", "last_result");
    assert_string_equal(res, "not-modified");
    ct_free(res);
    ct_free(after);

    /* modified: the whole feed now; only the new records are inserted */
    write_bytes("feed.jsonl", g_all_lines, g_all_len);
    assert_int_equal(ct_store_feed_sync(&r, st, "hsec", &o), 0);
    assert_false(r.not_modified);
    assert_int_equal(r.stats.records, g_nids);
    assert_int_equal(r.stats.inserted, g_nids - g_nids_v1);
    assert_int_equal(r.stats.unchanged, g_nids_v1);
    char *etag2 = source_field(st, "hsec", "etag");
    assert_string_not_equal(etag, etag2);
    after = fingerprint(st);
    assert_string_not_equal(before, after);
    assert_null(strstr(after, "=absent"));
    ct_free(etag);
    ct_free(etag2);
    ct_free(before);
    ct_free(after);
    ct_store_close(st);
}

typedef struct {
    const char *name, *path, *format, *sha_path;
    unsigned retries, timeout_ms;
    uint64_t max_bytes;
    int want_rc;
    unsigned want_attempts; /* requests for the body: retryable failures use them all */
} failure_case;

static void test_feed_sync__failures_leave_store_unchanged(void **state)
{
    static const failure_case cases[] = {
        { "http500", "/all.jsonl?fail=1000", "osv", NULL, 2, 10000, 0, CT_ENET, 3 },
        { "timeout", "/all.jsonl?delay=2000", "osv", NULL, 0, 400, 0, CT_ENET, 1 },
        { "truncated", "/all.jsonl?truncate=1000&norange=1", "osv", NULL, 1, 10000, 0, CT_ENET,
          2 },
        { "badgzip", "/hackage.jsonl.gz?corrupt=1", "osv", NULL, 0, 10000, 0, CT_EPARSE, 1 },
        { "checksum", "/all.jsonl", "osv", "/all.jsonl.sha256?wrong=1", 0, 10000, 0, CT_EPARSE,
          1 },
        { "broken", "/broken.jsonl", "osv", NULL, 0, 10000, 0, CT_EPARSE, 1 },
        { "toolarge", "/all.jsonl", "osv", NULL, 0, 10000, 1000, CT_ELIMIT, 1 },
        /* 404 is not retried although retries are allowed */
        { "missing", "/nonexistent.json", "osv", NULL, 2, 10000, 0, CT_ENET, 1 },
        { "kevasosv", "/kev.json?as=osv", "osv", NULL, 0, 10000, 0, CT_EPARSE, 1 },
    };
    ct_store *st = ct_test_store_open(g_ctx);
    ct_feed_sync_outcome r;
    (void)state;

    /* previous data: the first V1_LINES records */
    write_bytes("v1.jsonl", g_all_lines, g_v1_len);
    add_source(st, "base", "/v1.jsonl", "osv", NULL);
    ct_sync_options o = fast();
    assert_int_equal(ct_store_feed_sync(&r, st, "base", &o), 0);
    char *before = fingerprint(st);
    assert_non_null(strstr(before, "=absent"));
    for (size_t i = 0; i < CT_NELEM(cases); i++) {
        const failure_case *c = &cases[i];
        add_source(st, c->name, c->path, c->format, c->sha_path);
        o = fast();
        o.retries = c->retries;
        o.timeout_ms = c->timeout_ms;
        if (c->max_bytes)
            o.max_bytes = c->max_bytes;
        memset(&r, 0x5a, sizeof r); /* whatever the caller had: the sync must overwrite it */
        int rc = ct_store_feed_sync(&r, st, c->name, &o);
        if (rc != c->want_rc)
            fail_msg("%s: rc %d (%s), want %d", c->name, rc, ct_error_format(), c->want_rc);
        assert_non_null(strstr(ct_error_last()->message, c->name));
        /* a failed sync still says how often it tried, and reports nothing as imported */
        if (r.attempts != c->want_attempts)
            fail_msg("%s: %u attempts reported, want %u", c->name, r.attempts, c->want_attempts);
        assert_int_equal(r.resumed, 0);
        assert_false(r.not_modified);
        assert_int_equal(r.stats.records, 0);
        assert_int_equal(r.stats.inserted, 0);
        char *after = fingerprint(st), *etag = source_field(st, c->name, "etag");
        char *res = source_field(st, c->name, "last_result");
        char *err = source_field(st, c->name, "last_error");
        if (strcmp(before, after) != 0)
            fail_msg("%s: the store changed", c->name);
        assert_string_equal(etag, "null");
        assert_string_equal(res, "failed");
        assert_string_not_equal(err, "null");
        ct_free(after);
        ct_free(etag);
        ct_free(res);
        ct_free(err);
    }
    /* the server saw as many requests for the 500 source as the sync reported */
    assert_int_equal(log_count("/all.jsonl?fail=1000 500"), cases[0].want_attempts);
    /* the old data still answers, and the base source still syncs (304) */
    ct_buf one = CT_BUF_INIT;
    assert_int_equal(ct_store_affected_json(&one, st, g_ids[0]), 0);
    assert_non_null(strstr(one.ptr, g_ids[0]));
    ct_buf_dispose(&one);
    assert_int_equal(ct_store_feed_sync(&r, st, "base", &o), 0);
    assert_true(r.not_modified);
    ct_free(before);
    ct_store_close(st);
}

static void test_feed_sync__retries_after_two_500s(void **state)
{
    ct_store *st = ct_test_store_open(g_ctx);
    ct_sync_options o = fast();
    ct_feed_sync_outcome r;
    (void)state;
    add_source(st, "flaky", "/all.jsonl?fail=2&tag=retry", "osv", NULL);
    o.retries = 3;
    assert_int_equal(ct_store_feed_sync(&r, st, "flaky", &o), 0);
    assert_int_equal(r.attempts, 3);
    assert_int_equal(r.stats.records, g_nids);
    assert_int_equal(log_count("/all.jsonl?fail=2&tag=retry 500"), 2);
    assert_int_equal(log_count("/all.jsonl?fail=2&tag=retry 200"), 1);
    ct_store_close(st);
}

static void test_feed_sync__resumes_cut_off_body(void **state)
{
    ct_store *st = ct_test_store_open(g_ctx);
    ct_sync_options o = fast();
    ct_feed_sync_outcome r;
    char hex[65], range[64];
    (void)state;
    add_source(st, "cut", "/all.jsonl?truncate=1&tag=resume", "osv", "/all.jsonl.sha256");
    o.retries = 2;
    assert_int_equal(ct_store_feed_sync(&r, st, "cut", &o), 0);
    assert_int_equal(r.attempts, 2);
    assert_int_equal(r.resumed, 1);
    assert_int_equal(r.bytes, g_all_len);
    oracle_sha256(hex, "all.jsonl");
    assert_string_equal(r.sha256, hex);
    assert_int_equal(r.stats.records, g_nids);
    /* the second request asked for the rest, from where the first body was cut */
    snprintf(range, sizeof range, "tag=resume 206 range=bytes=%zu-", g_all_len / 2);
    assert_int_equal(log_count(range), 1);
    ct_store_close(st);
}

static void test_feed_sync__gzip_kev_and_checksum(void **state)
{
    ct_store *st = ct_test_store_open(g_ctx);
    ct_sync_options o = fast();
    ct_feed_sync_outcome r;
    char *kev = ct_test_shared_path(KEV_REL), *data = NULL;
    size_t len = 0;
    (void)state;

    add_source(st, "gz", "/hackage.jsonl.gz", NULL, "/all.jsonl.sha256");
    /* the published checksum is of the uncompressed feed: a mismatch, nothing imported */
    assert_int_equal(ct_store_feed_sync(&r, st, "gz", &o), CT_EPARSE);
    assert_int_equal(ct_store_feed_source_remove(st, "gz"), 0);
    assert_int_equal(ct_store_feed_source_remove(st, "gz"), CT_ENOTFOUND);
    sha256sum_to("hackage.jsonl.gz", "hackage.jsonl.gz.sha256");
    add_source(st, "gz", "/hackage.jsonl.gz", NULL, "/hackage.jsonl.gz.sha256");
    assert_int_equal(ct_store_feed_sync(&r, st, "gz", &o), 0);
    assert_int_equal(r.stats.records, g_nids);
    assert_int_equal(r.stats.inserted, g_nids);

    assert_int_equal(ct_file_read(&data, &len, kev, (size_t)1 << 30), 0);
    json_object *doc = json_tokener_parse(data);
    assert_non_null(doc);
    size_t nkev = json_object_array_length(json_object_object_get(doc, "vulnerabilities"));
    json_object_put(doc);
    add_source(st, "kev", "/kev.json", "kev", NULL);
    assert_int_equal(ct_store_feed_sync(&r, st, "kev", &o), 0);
    assert_int_equal(r.stats.records, nkev);
    assert_int_equal(r.bytes, len);
    char *rec = source_field(st, "kev", "last_records");
    char want[32];
    snprintf(want, sizeof want, "%zu", nkev);
    assert_string_equal(rec, want);
    ct_free(rec);
    ct_free(data);
    ct_free(kev);
    ct_store_close(st);
}

/* ct_sha256_hex (libsodium) against sha256sum: the real feed, a prefix of it, nothing. */
static void test_sha256_hex__matches_sha256sum(void **state)
{
    static const char *const names[] = { "sha-all", "sha-v1", "sha-empty" };
    const size_t lens[] = { g_all_len, g_v1_len, 0 };
    char hex[65], want[65], prev[65] = "";
    (void)state;
    for (size_t i = 0; i < CT_NELEM(names); i++) {
        write_bytes(names[i], g_all_lines, lens[i]);
        ct_sha256_hex(hex, g_all_lines, lens[i]);
        oracle_sha256(want, names[i]);
        assert_string_equal(hex, want);
        assert_string_not_equal(hex, prev);
        memcpy(prev, hex, sizeof prev);
    }
}

static void test_feed_source__validation(void **state)
{
    ct_store *st = ct_test_store_open(g_ctx);
    ct_feed_sync_outcome r;
    (void)state;
    assert_int_equal(ct_store_feed_source_add(st, "a", "ftp://example.org/x", NULL, NULL),
                     CT_EINVAL);
    assert_int_equal(ct_store_feed_source_add(st, "a", "file:///etc/passwd", NULL, NULL),
                     CT_EINVAL);
    assert_int_equal(ct_store_feed_source_add(st, "a b", "http://x/", NULL, NULL), CT_EINVAL);
    assert_int_equal(ct_store_feed_source_add(st, "a", "http://x/", "rss", NULL), CT_EINVAL);
    assert_int_equal(ct_store_feed_source_add(st, "a", "http://x/", "kev", "gopher://x"),
                     CT_EINVAL);
    assert_int_equal(ct_store_feed_source_add(st, "a", "http://x/", "kev", NULL), 0);
    assert_int_equal(ct_store_feed_source_add(st, "a", "https://y/", NULL, NULL), CT_EEXISTS);
    assert_int_equal(ct_store_feed_sync(&r, st, "nosuch", NULL), CT_ENOTFOUND);
    ct_buf b = CT_BUF_INIT;
    assert_int_equal(ct_store_feed_sources_json(&b, st, NULL), 0);
    json_object *arr = json_tokener_parse(b.ptr);
    assert_int_equal(json_object_array_length(arr), 1);
    assert_string_equal(
        json_object_get_string(json_object_object_get(json_object_array_get_idx(arr, 0), "url")),
        "http://x/");
    json_object_put(arr);
    ct_buf_dispose(&b);
    ct_store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_hex__matches_sha256sum),
        cmocka_unit_test(test_feed_source__validation),
        cmocka_unit_test(test_feed_sync__first_304_modified),
        cmocka_unit_test(test_feed_sync__failures_leave_store_unchanged),
        cmocka_unit_test(test_feed_sync__retries_after_two_500s),
        cmocka_unit_test(test_feed_sync__resumes_cut_off_body),
        cmocka_unit_test(test_feed_sync__gzip_kev_and_checksum),
    };
    if (!ct_test_backend_available()) {
        printf("skipped: CT_TEST_PG_DSN not set\n");
        return CT_TEST_SKIP;
    }
#ifdef CT_NO_FIXTURE_SERVER
    printf("skipped: built without libmicrohttpd (no test HTTP server)\n");
    return CT_TEST_SKIP;
#endif
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

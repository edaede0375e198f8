/* Unit tests for src/feed/osv.c: single object, array and JSON-lines input, ranges converted to
 * vers with package keys, located errors, and reading files and directories. */
#include "ct_feed_fixture.h"

#include "cratrace/feed.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

/* Every advisory the reader reports, rendered as text so tests compare whole records. */
typedef struct {
    ct_buf ids;  /* "A,B,C" */
    ct_buf dump; /* one block per advisory */
    int calls;
    int stop_after; /* return 42 after this many calls; 0 = never */
} collector;

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

static int collect(const ct_advisory *a, void *payload)
{
    collector *c = payload;
    ct_buf *d = &c->dump;

    if (c->calls++)
        ct_buf_putc(&c->ids, ',');
    ct_buf_puts(&c->ids, a->id);
    ct_buf_printf(d, "id=%s source=%s summary=%s severity=%s cvss=%s\n", a->id, a->source,
                  a->summary ? a->summary : "-", a->severity ? a->severity : "-",
                  a->cvss ? a->cvss : "-");
    ct_buf_puts(d, "published=");
    put_time(d, a->published);
    ct_buf_puts(d, " modified=");
    put_time(d, a->modified);
    ct_buf_puts(d, " withdrawn=");
    put_time(d, a->withdrawn);
    ct_buf_puts(d, "\naliases=");
    for (size_t i = 0; i < a->naliases; i++)
        ct_buf_printf(d, "%s%s", i ? "," : "", a->aliases[i]);
    ct_buf_printf(d, "\nunmatchable=%zu\n", a->unmatchable);
    for (size_t i = 0; i < a->nranges; i++) {
        const ct_affected_range *r = &a->ranges[i];
        ct_buf_printf(d, "%s|%s|%s|%s|%s|%s\n", r->ecosystem, r->package, r->pkg_key, r->scheme,
                      r->range_type, r->vers);
    }
    if (c->stop_after && c->calls == c->stop_after)
        return 42;
    return 0;
}

static void collector_init(collector *c)
{
    memset(c, 0, sizeof *c);
    c->ids = (ct_buf)CT_BUF_INIT;
    c->dump = (ct_buf)CT_BUF_INIT;
}

static void collector_dispose(collector *c)
{
    ct_buf_dispose(&c->ids);
    ct_buf_dispose(&c->dump);
}

static int read_text(collector *c, const char *text, const char *source)
{
    collector_init(c);
    return ct_feed_read_osv(ct_feed_ctx, text, strlen(text), source, collect, c);
}

/* Read text that must fail; returns the code, with no advisory beyond `good` reported. */
static int read_fail(const char *text, int good)
{
    collector c;
    int rc = read_text(&c, text, "feed.json");
    if (rc == CT_OK)
        fail_msg("read succeeded unexpectedly: %s", c.ids.ptr);
    assert_int_equal(c.calls, good);
    assert_int_equal(ct_error_last()->code, rc);
    collector_dispose(&c);
    return rc;
}

static void expect_pointer(const char *text, const char *pointer)
{
    ct_error_clear();
    assert_int_equal(read_fail(text, 0), CT_EPARSE);
    assert_non_null(ct_error_last()->pointer);
    assert_string_equal(ct_error_last()->pointer, pointer);
}

#define MOD "\"modified\":\"2024-01-01T00:00:00Z\""

static const char full_record[] =
    "{\"schema_version\":\"1.6.0\",\"id\":\"GHSA-aaaa-bbbb-cccc\","
    "\"modified\":\"2024-03-01T10:00:00Z\",\"published\":\"2024-02-01T00:00:00+02:00\","
    "\"aliases\":[\"CVE-2024-0001\",\"PYSEC-2024-1\"],\"summary\":\"Test summary\","
    "\"details\":\"ignored when a summary exists\","
    "\"severity\":[{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"}],"
    "\"database_specific\":{\"severity\":\"HIGH\"},"
    "\"affected\":["
    " {\"package\":{\"ecosystem\":\"npm\",\"name\":\"lodash\"},"
    "  \"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"4.17.21\"}]},"
    "   {\"type\":\"GIT\",\"repo\":\"https://github.com/lodash/lodash\","
    "    \"events\":[{\"introduced\":\"abc\"},{\"fixed\":\"def\"}]}],"
    "  \"versions\":[\"4.17.20\",\"4.17.19\",\"4.17.20\"]},"
    " {\"package\":{\"ecosystem\":\"Go\",\"name\":\"github.com/foo/bar\"},"
    "  \"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"1.2.0\"},{\"fixed\":\"1.2.5\"},"
    "   {\"introduced\":\"2.0.0\"},{\"last_affected\":\"2.0.3\"}]}]},"
    " {\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"Django\"},"
    "  \"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"4.0\"},{\"fixed\":\"4.2.1\"}]}]},"
    " {\"package\":{\"ecosystem\":\"Debian:12\",\"name\":\"openssl\"},"
    "  \"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},"
    "   {\"fixed\":\"3.0.11-1~deb12u1\"}]}]},"
    " {\"package\":{\"purl\":\"pkg:cargo/serde\"},"
    "  \"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"1.0.1\"}]}]},"
    " {\"package\":{\"ecosystem\":\"Weird\",\"name\":\"thing\"},"
    "  \"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"1\"},{\"fixed\":\"2\"}]}]},"
    " {\"ranges\":[{\"type\":\"GIT\",\"events\":[{\"introduced\":\"0\"}]}]}"
    "]}";

static const char full_expected[] =
    "id=GHSA-aaaa-bbbb-cccc source=osv summary=Test summary severity=HIGH "
    "cvss=CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\n"
    "published=2024-01-31T22:00:00Z modified=2024-03-01T10:00:00Z withdrawn=-\n"
    "aliases=CVE-2024-0001,PYSEC-2024-1\n"
    "unmatchable=2\n"
    "npm|lodash|npm/lodash|npm|ECOSYSTEM|vers:npm/<4.17.21\n"
    "npm|lodash|npm/lodash|npm|versions|vers:npm/4.17.19|4.17.20\n"
    "Go|github.com/foo/bar|golang/github.com/foo/bar|semver|SEMVER|"
    "vers:semver/>=1.2.0|<1.2.5|>=2.0.0|<=2.0.3\n"
    "PyPI|Django|pypi/django|pypi|ECOSYSTEM|vers:pypi/>=4.0|<4.2.1\n"
    "Debian:12|openssl|deb/debian/openssl?distro=debian-12|deb|ECOSYSTEM|vers:deb/<3.0.11-1~deb12u1\n"
    "||cargo/serde|semver|SEMVER|vers:semver/<1.0.1\n"
    "Weird|thing|weird/thing|generic|ECOSYSTEM|vers:generic/>=1|<2\n";

static void test_feed_read_osv__single_object_all_fields(void **state)
{
    collector c;
    (void)state;
    assert_int_equal(read_text(&c, full_record, "GHSA.json"), CT_OK);
    assert_int_equal(c.calls, 1);
    assert_string_equal(c.dump.ptr, full_expected);
    collector_dispose(&c);
}

static void test_feed_read_osv__array(void **state)
{
    collector c;
    (void)state;
    assert_int_equal(read_text(&c,
                               "[{\"id\":\"A\"," MOD "},\n {\"id\":\"B\"," MOD "},\n"
                               " {\"id\":\"C\"," MOD "}]",
                               "arr.json"),
                     CT_OK);
    assert_int_equal(c.calls, 3);
    assert_string_equal(c.ids.ptr, "A,B,C");
    collector_dispose(&c);

    assert_int_equal(read_text(&c, "[]", "empty.json"), CT_OK);
    assert_int_equal(c.calls, 0);
    collector_dispose(&c);
}

static void test_feed_read_osv__json_lines_with_blank_lines(void **state)
{
    collector c;
    (void)state;
    assert_int_equal(read_text(&c,
                               "{\"id\":\"A\"," MOD "}\n"
                               "\n"
                               "   \t\n"
                               "{\"id\":\"B\"," MOD "}\r\n"
                               "\r\n"
                               "[{\"id\":\"C\"," MOD "},{\"id\":\"D\"," MOD "}]\n"
                               "{\"id\":\"E\"," MOD "}",
                               "feed.jsonl"),
                     CT_OK);
    assert_string_equal(c.ids.ptr, "A,B,C,D,E");
    collector_dispose(&c);
}

static void test_feed_read_osv__json_lines_leading_blank_line(void **state)
{
    collector c;
    (void)state;
    /* regression: a first blank line made the reader parse the file as one JSON value */
    assert_int_equal(read_text(&c,
                               "\n"
                               "{\"id\":\"A\"," MOD "}\n"
                               "\n"
                               "{\"id\":\"B\"," MOD "}\n",
                               "lead.jsonl"),
                     CT_OK);
    assert_string_equal(c.ids.ptr, "A,B");
    collector_dispose(&c);

    /* a pretty-printed single object after blank lines is still one document */
    assert_int_equal(read_text(&c, "\n\n{\"id\":\"P\",\n " MOD "\n}\n", "pretty.json"), CT_OK);
    assert_string_equal(c.ids.ptr, "P");
    collector_dispose(&c);

    /* and the line numbers of errors still count the blank lines */
    assert_int_equal(read_text(&c, "\n{\"id\":\"A\"," MOD "}\n{\"id\":}\n", "lead.jsonl"),
                     CT_EPARSE);
    assert_int_equal(ct_error_last()->line, 3);
    collector_dispose(&c);
}

static void test_feed_read_osv__pretty_printed_object(void **state)
{
    collector c;
    (void)state;
    assert_int_equal(read_text(&c,
                               "{\n  \"id\": \"PRETTY-1\",\n  \"modified\": "
                               "\"2024-01-01T00:00:00Z\",\n  \"details\": \"First line of "
                               "details\\nsecond line\"\n}\n",
                               "pretty.json"),
                     CT_OK);
    assert_string_equal(c.ids.ptr, "PRETTY-1");
    /* without a summary, the first line of details stands in */
    assert_non_null(strstr(c.dump.ptr, "summary=First line of details severity=-"));
    collector_dispose(&c);
}

static void test_feed_read_osv__withdrawn_aliases_modified(void **state)
{
    collector c;
    (void)state;
    assert_int_equal(read_text(&c,
                               "{\"id\":\"OSV-2024-9\",\"modified\":\"2024-06-30T23:59:59.123Z\","
                               "\"withdrawn\":\"2024-07-01T08:00:00-05:30\","
                               "\"aliases\":[\"CVE-2024-9999\"],\"affected\":[]}",
                               "w.json"),
                     CT_OK);
    assert_string_equal(c.dump.ptr,
                        "id=OSV-2024-9 source=osv summary=- severity=- cvss=-\n"
                        "published=- modified=2024-06-30T23:59:59Z "
                        "withdrawn=2024-07-01T13:30:00Z\n"
                        "aliases=CVE-2024-9999\n"
                        "unmatchable=0\n");
    collector_dispose(&c);
}

static void test_feed_read_osv__unusable_ranges_are_unmatchable(void **state)
{
    collector c;
    (void)state;
    /* a package that cannot be keyed, versions invalid for npm, and an ECOSYSTEM range of GIT
     * commit-looking versions for a scheme that cannot order them */
    assert_int_equal(read_text(&c,
                               "{\"id\":\"U-1\"," MOD ",\"affected\":["
                               "{\"package\":{\"purl\":\"not a purl\"},"
                               " \"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":"
                               "\"0\"}]}]},"
                               "{\"package\":{\"ecosystem\":\"npm\",\"name\":\"x\"},"
                               " \"versions\":[\"not..a..version\"]},"
                               "{\"versions\":[\"1\"]}]}",
                               "u.json"),
                     CT_OK);
    assert_non_null(strstr(c.dump.ptr, "unmatchable=3\n"));
    collector_dispose(&c);
}

/* GHSA-9v2f-6vcg-3hgv (gradio) lists "4.36.-1" next to "4.36.1": the readable entries stay
 * affected, the list counts once as unmatchable. Found by tests/match/osv_semantics.py. */
static void test_feed_read_osv__versions_keep_readable_entries(void **state)
{
    collector c;
    (void)state;
    assert_int_equal(read_text(&c,
                               "{\"id\":\"V-1\"," MOD ",\"affected\":["
                               "{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"gradio\"},"
                               " \"versions\":[\"4.36.1\",\"4.36.-1\",\"4.36.0\"]},"
                               "{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"other\"},"
                               " \"versions\":[\"4.36.-1\"]}]}",
                               "v.json"),
                     CT_OK);
    assert_non_null(strstr(c.dump.ptr, "unmatchable=2\n"));
    assert_non_null(strstr(c.dump.ptr, "PyPI|gradio|pypi/gradio|pypi|versions|vers:pypi/4.36.0|4.36.1\n"));
    assert_null(strstr(c.dump.ptr, "|other|"));
    collector_dispose(&c);
}

static void test_feed_read_osv__callback_stops_reading(void **state)
{
    collector c;
    (void)state;
    collector_init(&c);
    c.stop_after = 2;
    const char *text = "[{\"id\":\"A\"," MOD "},{\"id\":\"B\"," MOD "},{\"id\":\"C\"," MOD "}]";
    assert_int_equal(ct_feed_read_osv(ct_feed_ctx, text, strlen(text), "x", collect, &c), 42);
    assert_string_equal(c.ids.ptr, "A,B");
    collector_dispose(&c);

    collector_init(&c);
    c.stop_after = 1;
    text = "{\"id\":\"A\"," MOD "}\n{\"id\":\"B\"," MOD "}\n";
    assert_int_equal(ct_feed_read_osv(ct_feed_ctx, text, strlen(text), "x", collect, &c), 42);
    assert_string_equal(c.ids.ptr, "A");
    collector_dispose(&c);
}

static void test_feed_read_osv__record_errors(void **state)
{
    (void)state;
    /* missing id, empty id, id of the wrong type */
    expect_pointer("{" MOD "}", "/id");
    assert_string_equal(ct_error_format(), "feed.json: /id: an OSV record needs an id");
    expect_pointer("{\"id\":\"\"," MOD "}", "/id");
    expect_pointer("{\"id\":7," MOD "}", "/id");
    /* the second element of an array */
    ct_error_clear();
    assert_int_equal(read_fail("[{\"id\":\"A\"," MOD "},{" MOD "}]", 1), CT_EPARSE);
    assert_string_equal(ct_error_last()->pointer, "/1/id");

    /* modified: missing, malformed, wrong type */
    expect_pointer("{\"id\":\"A\"}", "/modified");
    expect_pointer("{\"id\":\"A\",\"modified\":\"yesterday\"}", "/modified");
    assert_non_null(strstr(ct_error_last()->message, "yesterday"));
    expect_pointer("{\"id\":\"A\",\"modified\":\"2023-02-29T00:00:00Z\"}", "/modified");
    expect_pointer("{\"id\":\"A\",\"modified\":20240101}", "/modified");
    expect_pointer("{\"id\":\"A\"," MOD ",\"published\":\"2024-13-01\"}", "/published");
    expect_pointer("{\"id\":\"A\"," MOD ",\"withdrawn\":\"soon\"}", "/withdrawn");

    /* aliases */
    expect_pointer("{\"id\":\"A\"," MOD ",\"aliases\":\"CVE-1\"}", "/aliases");
    expect_pointer("{\"id\":\"A\"," MOD ",\"aliases\":[\"CVE-1\",2]}", "/aliases/1");

    /* not an object at all */
    expect_pointer("\"just a string\"", "");
    expect_pointer("[\"A\"]", "/0");
}

static void test_feed_read_osv__range_errors(void **state)
{
    (void)state;
    expect_pointer("{\"id\":\"A\"," MOD ",\"affected\":{}}", "/affected");
    expect_pointer("{\"id\":\"A\"," MOD ",\"affected\":[{\"package\":{\"ecosystem\":\"npm\","
                   "\"name\":\"x\"},\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":{}}]}]}",
                   "/affected/0/ranges/0/events");
    assert_string_equal(ct_error_last()->message, "expected an array, found an object");
    expect_pointer("{\"id\":\"A\"," MOD ",\"affected\":[{\"package\":{\"ecosystem\":\"npm\","
                   "\"name\":\"x\"},\"ranges\":[{\"type\":\"ECOSYSTEM\"}]}]}",
                   "/affected/0/ranges/0/events");
    expect_pointer("{\"id\":\"A\"," MOD ",\"affected\":[{},{\"package\":{\"ecosystem\":\"npm\","
                   "\"name\":\"x\"},\"ranges\":[{\"type\":\"SEMVER\",\"events\":[]},"
                   "{\"events\":[]}]}]}",
                   "/affected/1/ranges/1/type");
    expect_pointer("{\"id\":\"A\"," MOD ",\"affected\":[{\"package\":{\"ecosystem\":\"npm\","
                   "\"name\":\"x\"},\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":["
                   "{\"introduced\":\"0\"},{\"fixed\":1}]}]}]}",
                   "/affected/0/ranges/0/events/1/fixed");
    expect_pointer("{\"id\":\"A\"," MOD ",\"affected\":[{\"package\":{\"ecosystem\":\"npm\","
                   "\"name\":\"x\"},\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":["
                   "{\"introduced\":\"0\"},{\"unknown\":\"1\"}]}]}]}",
                   "/affected/0/ranges/0/events/1");
    expect_pointer("{\"id\":\"A\"," MOD ",\"affected\":[{\"package\":{\"ecosystem\":\"npm\","
                   "\"name\":\"x\"},\"versions\":[\"1.0.0\",2]}]}",
                   "/affected/0/versions/1");
    expect_pointer("{\"id\":\"A\"," MOD ",\"affected\":[{\"package\":{\"ecosystem\":5}}]}",
                   "/affected/0/package/ecosystem");
    expect_pointer("{\"id\":\"A\"," MOD ",\"affected\":[{\"package\":[]}]}",
                   "/affected/0/package");
}

static void test_feed_read_osv__json_lines_error_names_line(void **state)
{
    collector c;
    (void)state;

    /* a syntax error on line 3: line and column of the error */
    assert_int_equal(read_text(&c,
                               "{\"id\":\"A\"," MOD "}\n"
                               "{\"id\":\"B\"," MOD "}\n"
                               "{\"id\":\"C\", nope}\n"
                               "{\"id\":\"D\"," MOD "}\n",
                               "feed.jsonl"),
                     CT_EPARSE);
    assert_string_equal(c.ids.ptr, "A,B");
    assert_int_equal(ct_error_last()->line, 3);
    assert_int_equal(ct_error_last()->column, 12);
    assert_string_equal(ct_error_last()->source, "feed.jsonl");
    assert_true(strncmp(ct_error_format(), "feed.jsonl:3:12: ", 17) == 0);
    collector_dispose(&c);

    /* blank lines count: the bad record sits on line 5 */
    assert_int_equal(read_text(&c,
                               "{\"id\":\"A\"," MOD "}\n\n\r\n\n"
                               "{\"id\":\"B\"," MOD ",}\n",
                               "feed.jsonl"),
                     CT_EPARSE);
    assert_int_equal(ct_error_last()->line, 5);
    collector_dispose(&c);

    /* a schema error on line 3 names that line in the source and carries the pointer */
    assert_int_equal(read_text(&c,
                               "{\"id\":\"A\"," MOD "}\n"
                               "{\"id\":\"B\"," MOD "}\n"
                               "{\"id\":\"C\",\"modified\":\"bad\"}\n",
                               "feed.jsonl"),
                     CT_EPARSE);
    assert_string_equal(ct_error_last()->source, "feed.jsonl:3");
    assert_string_equal(ct_error_last()->pointer, "/modified");
    collector_dispose(&c);

    /* invalid UTF-8 on line 2 */
    assert_int_equal(read_text(&c,
                               "{\"id\":\"A\"," MOD "}\n"
                               "{\"id\":\"B\xff\"," MOD "}\n",
                               "feed.jsonl"),
                     CT_EPARSE);
    assert_int_equal(ct_error_last()->line, 2);
    assert_int_equal(ct_error_last()->column, 9);
    collector_dispose(&c);
}

/* ---- paths ----------------------------------------------------------------------------- */

static char *path_in(const char *dir, const char *name)
{
    ct_buf b = CT_BUF_INIT;
    assert_int_equal(ct_buf_printf(&b, "%s/%s", dir, name), CT_OK);
    return ct_buf_detach(&b);
}

static char *rec(const char *id)
{
    ct_buf b = CT_BUF_INIT;
    ct_buf_printf(&b, "{\"id\":\"%s\"," MOD "}\n", id);
    return ct_buf_detach(&b);
}

static void write_rec(const char *dir, const char *name, const char *id)
{
    char *text = rec(id);
    ct_free(ct_test_write_file(dir, name, text));
    ct_free(text);
}

static void test_feed_read_osv_path__directory_sorted_recursive(void **state)
{
    char *dir = ct_test_tmpdir(), *sub = path_in(dir, "sub"), *deeper = path_in(sub, "deeper");
    char *gz = path_in(dir, "z.json.gz");
    collector c;
    (void)state;

    assert_int_equal(mkdir(sub, 0700), 0);
    assert_int_equal(mkdir(deeper, 0700), 0);
    write_rec(dir, "b.json", "B");
    ct_free(ct_test_write_file(dir, "a.jsonl",
                               "{\"id\":\"A1\"," MOD "}\n{\"id\":\"A2\"," MOD "}\n"));
    write_rec(dir, "ignored.txt", "IGNORED");
    write_rec(dir, ".hidden.json", "HIDDEN");
    write_rec(dir, "C.json", "UPPER");
    write_rec(sub, "2.json", "S2");
    write_rec(sub, "10.json", "S10");
    write_rec(deeper, "x.json", "DEEP");
    char *zt = rec("Z");
    gzFile f = gzopen(gz, "wb");
    assert_non_null(f);
    assert_true(gzputs(f, zt) > 0);
    assert_int_equal(gzclose(f), Z_OK);
    ct_free(zt);

    collector_init(&c);
    assert_int_equal(ct_feed_read_osv_path(ct_feed_ctx, dir, collect, &c), CT_OK);
    /* byte order of names at each level; subdirectories in place */
    assert_string_equal(c.ids.ptr, "UPPER,A1,A2,B,S10,S2,DEEP,Z");
    collector_dispose(&c);

    /* a single file path */
    char *b = path_in(dir, "b.json");
    collector_init(&c);
    assert_int_equal(ct_feed_read_osv_path(ct_feed_ctx, b, collect, &c), CT_OK);
    assert_string_equal(c.ids.ptr, "B");
    collector_dispose(&c);

    /* gzip file directly */
    collector_init(&c);
    assert_int_equal(ct_feed_read_osv_path(ct_feed_ctx, gz, collect, &c), CT_OK);
    assert_string_equal(c.ids.ptr, "Z");
    collector_dispose(&c);

    /* a bad file in the directory stops the read and names the file */
    char *bad = ct_test_write_file(sub, "3.json", "{\"id\":\"BAD\"}");
    collector_init(&c);
    assert_int_equal(ct_feed_read_osv_path(ct_feed_ctx, dir, collect, &c), CT_EPARSE);
    assert_string_equal(c.ids.ptr, "UPPER,A1,A2,B,S10,S2");
    assert_string_equal(ct_error_last()->source, bad);
    assert_string_equal(ct_error_last()->pointer, "/modified");
    collector_dispose(&c);

    ct_free(bad);
    ct_free(b);
    ct_free(gz);
    ct_free(deeper);
    ct_free(sub);
    ct_free(dir);
}

static void test_feed_read_osv_path__missing_path(void **state)
{
    char *dir = ct_test_tmpdir(), *missing = path_in(dir, "nope.json");
    collector c;
    (void)state;
    collector_init(&c);
    assert_int_equal(ct_feed_read_osv_path(ct_feed_ctx, missing, collect, &c), CT_ENOTFOUND);
    assert_int_equal(c.calls, 0);
    assert_string_equal(ct_error_last()->source, missing);

    /* an empty directory reads nothing and succeeds */
    assert_int_equal(ct_feed_read_osv_path(ct_feed_ctx, dir, collect, &c), CT_OK);
    assert_int_equal(c.calls, 0);
    collector_dispose(&c);
    ct_free(missing);
    ct_free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_feed_read_osv__single_object_all_fields),
        cmocka_unit_test(test_feed_read_osv__array),
        cmocka_unit_test(test_feed_read_osv__json_lines_with_blank_lines),
        cmocka_unit_test(test_feed_read_osv__json_lines_leading_blank_line),
        cmocka_unit_test(test_feed_read_osv__pretty_printed_object),
        cmocka_unit_test(test_feed_read_osv__withdrawn_aliases_modified),
        cmocka_unit_test(test_feed_read_osv__unusable_ranges_are_unmatchable),
        cmocka_unit_test(test_feed_read_osv__versions_keep_readable_entries),
        cmocka_unit_test(test_feed_read_osv__callback_stops_reading),
        cmocka_unit_test(test_feed_read_osv__record_errors),
        cmocka_unit_test(test_feed_read_osv__range_errors),
        cmocka_unit_test(test_feed_read_osv__json_lines_error_names_line),
        cmocka_unit_test(test_feed_read_osv_path__directory_sorted_recursive),
        cmocka_unit_test(test_feed_read_osv_path__missing_path),
    };
    return cmocka_run_group_tests(tests, ct_feed_fixture_setup, ct_feed_fixture_teardown);
}

/* Unit tests for src/feed/cvss.c: the specification examples, validation errors with their
 * positions, and every CVSS v3/v4 vector in the shared RUSTSEC and CVE 5 data (CVE 5 records
 * carry baseScore next to each vectorString: ours must equal theirs). */
#include "ct_test.h"

#include "cratrace/cvss.h"

#include <dirent.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int score10_of(const char *vector)
{
    ct_cvss c;
    int rc = ct_cvss_parse(&c, vector, strlen(vector));
    if (rc < 0)
        fail_msg("%s: %s", vector, ct_error_format());
    return c.score10;
}

/* Examples from the FIRST "CVSS v3.1 Examples" and "CVSS v3.0 Examples" documents, scored as
 * documented there. */
static void test_cvss__v31_specification_examples(void **state)
{
    static const struct {
        const char *vector;
        int score10;
    } ex[] = {
        /* CVE-2013-1937 phpMyAdmin reflected XSS */
        { "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 61 },
        /* CVE-2013-0375 MySQL stored SQL injection */
        { "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 64 },
        /* CVE-2014-3566 SSLv3 POODLE */
        { "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N", 31 },
        /* CVE-2012-1516 VMware guest to host escape */
        { "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 99 },
        /* CVE-2009-0783 Apache Tomcat XML parser */
        { "CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L", 42 },
        /* CVE-2012-0384 Cisco IOS command injection */
        { "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 88 },
        /* CVE-2015-1098 Apple iWork denial of service */
        { "CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 78 },
        /* CVE-2014-0160 OpenSSL Heartbleed */
        { "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 75 },
        /* CVE-2014-6271 GNU Bash Shellshock */
        { "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 98 },
        /* CVE-2008-1447 DNS Kaminsky bug */
        { "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N", 68 },
        /* CVE-2014-2005 Sophos Disk Encryption */
        { "CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 68 },
        /* CVE-2010-0467 Joomla directory traversal */
        { "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N", 58 },
        /* the same examples in the v3.0 document */
        { "CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 61 },
        { "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 98 },
        /* no impact: 0.0 whatever the exploitability */
        { "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:N/A:N", 0 },
        /* temporal and environmental metrics are validated; the base score is unchanged */
        { "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C/CR:H/MAV:L/MS:X", 98 },
        /* metrics in another order */
        { "CVSS:3.1/S:U/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H", 98 },
    };
    (void)state;
    for (size_t i = 0; i < CT_NELEM(ex); i++) {
        int got = score10_of(ex[i].vector);
        if (got != ex[i].score10)
            fail_msg("%s: expected %d got %d", ex[i].vector, ex[i].score10, got);
    }
}

/* v3.1 §7.2 and §7.3: temporal and environmental scores (CVE-2023-45586 publishes 4.7). */
static void test_cvss__v31_temporal_environmental(void **state)
{
    ct_cvss c;
    const char *t = "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:N/I:L/A:N/E:P/RL:X/RC:C";
    const char *e = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/CR:L/IR:L/AR:L";
    (void)state;
    assert_int_equal(ct_cvss_parse(&c, t, strlen(t)), 0);
    assert_int_equal(c.version, 31);
    assert_int_equal(c.score10, 50);
    assert_int_equal(c.temporal10, 47);
    assert_string_equal(ct_cvss_severity_name(c.severity), "Medium");
    assert_int_equal(ct_cvss_parse(&c, e, strlen(e)), 0);
    assert_int_equal(c.score10, 98);
    assert_int_equal(c.temporal10, 98);
    assert_int_equal(c.environmental10, 80);
}

/* CVSS v4.0: examples of the specification (§2 and the FIRST v4.0 examples document). */
static void test_cvss__v40_specification_examples(void **state)
{
    static const struct {
        const char *vector;
        int score10;
        const char *macrovector;
    } ex[] = {
        { "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", 100, "000100" },
        { "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 93, "000200" },
        { "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N", 69, "002201" },
        /* Heartbleed, v4.0 examples document */
        { "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N", 87, "001200" },
        /* threat metric: E:U selects EQ5 = 2, whose MacroVector score (8.1) applies as is */
        { "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U", 81, "000220" },
        /* environmental: MSI:S raises EQ4 to 0 (safety) */
        { "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MSI:S", 100,
          "000000" },
        /* no impact at all */
        { "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N", 0, "002201" },
        /* the lowest MacroVector (0.1 in the table) */
        { "CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N/E:U/CR:L", 1, "212221" },
        /* supplemental metrics do not change the score */
        { "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/S:P/AU:Y/R:A/V:C/"
          "RE:H/U:Red",
          93, "000200" },
    };
    (void)state;
    for (size_t i = 0; i < CT_NELEM(ex); i++) {
        ct_cvss c;
        assert_int_equal(ct_cvss_parse(&c, ex[i].vector, strlen(ex[i].vector)), 0);
        if (c.score10 != ex[i].score10 || strcmp(c.macrovector, ex[i].macrovector) != 0)
            fail_msg("%s: expected %d %s got %d %s", ex[i].vector, ex[i].score10,
                     ex[i].macrovector, c.score10, c.macrovector);
    }
}

static void test_cvss__metric_getter_and_severity(void **state)
{
    ct_cvss c;
    const char *v = "CVSS:4.0/AV:A/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/U:Amber";
    (void)state;
    assert_int_equal(ct_cvss_parse(&c, v, strlen(v)), 0);
    assert_string_equal(ct_cvss_metric(&c, "AV"), "A");
    assert_string_equal(ct_cvss_metric(&c, "U"), "Amber");
    assert_null(ct_cvss_metric(&c, "E"));
    assert_null(ct_cvss_metric(&c, "NOPE"));
    assert_true(fabs(ct_cvss_score(&c) - c.score10 / 10.0) < 1e-9);
    assert_int_equal(ct_cvss_severity_of(0), CT_CVSS_SEV_NONE);
    assert_int_equal(ct_cvss_severity_of(1), CT_CVSS_SEV_LOW);
    assert_int_equal(ct_cvss_severity_of(39), CT_CVSS_SEV_LOW);
    assert_int_equal(ct_cvss_severity_of(40), CT_CVSS_SEV_MEDIUM);
    assert_int_equal(ct_cvss_severity_of(69), CT_CVSS_SEV_MEDIUM);
    assert_int_equal(ct_cvss_severity_of(70), CT_CVSS_SEV_HIGH);
    assert_int_equal(ct_cvss_severity_of(89), CT_CVSS_SEV_HIGH);
    assert_int_equal(ct_cvss_severity_of(90), CT_CVSS_SEV_CRITICAL);
    assert_string_equal(ct_cvss_severity_name(CT_CVSS_SEV_CRITICAL), "Critical");
}

/* Each malformed vector: CT_EPARSE at the offending byte, with a message naming it. */
static void test_cvss__errors_are_located(void **state)
{
    static const struct {
        const char *vector;
        uint32_t column;
        const char *msg;
    } bad[] = {
        { "CVSS:2.0/AV:N", 1, "expected CVSS:3.0/" },
        { "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 1, "expected CVSS:3.0/" },
        { "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/XX:Y", 46, "unknown metric \"XX\"" },
        { "CVSS:3.1/AV:N/AC:L/AV:N/PR:N/UI:N/S:U/C:H/I:H/A:H", 20, "duplicate metric \"AV\"" },
        { "CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 13, "invalid value \"Q\"" },
        { "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 13, "invalid value \"X\"" },
        { "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", 41, "missing base metric \"A\"" },
        { "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/", 45, "trailing" },
        { "CVSS:3.1/AV:N//AC:L", 15, "expected NAME:VALUE" },
        { "CVSS:3.1/AV:N/AT:N/PR:N/UI:N/S:U/C:H/I:H/A:H", 15, "unknown metric \"AT\"" },
        { "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N", 59,
          "missing base metric \"SA\"" },
        { "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N", 58,
          "invalid value \"S\"" },
        { "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/U:red", 67,
          "invalid value \"red\"" },
        { "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/S:U", 67,
          "invalid value \"U\"" },
        { "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A/E:A", 69,
          "duplicate metric \"E\"" },
    };
    (void)state;
    for (size_t i = 0; i < CT_NELEM(bad); i++) {
        ct_cvss c;
        const ct_error *e;
        int rc = ct_cvss_parse(&c, bad[i].vector, strlen(bad[i].vector));
        e = ct_error_last();
        if (rc != CT_EPARSE || e->column != bad[i].column || !strstr(e->message, bad[i].msg))
            fail_msg("%s: rc %d column %u message \"%s\"", bad[i].vector, rc, e->column,
                     e->message);
        assert_int_equal(c.score10, 0);
    }
}

/* No NUL needed after the vector. */
static void test_cvss__not_nul_terminated(void **state)
{
    ct_cvss c;
    const char *v = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:Hxyz";
    (void)state;
    assert_int_equal(ct_cvss_parse(&c, v, strlen(v) - 3), 0);
    assert_int_equal(c.score10, 98);
}

/* ---- real data ---------------------------------------------------------------------------- */

/* Published baseScore values that are not the base score of their vector are classified:
 * the publisher gave the v3 temporal or environmental score instead, or the number is simply
 * wrong (hand-entered, or an old v4.0 calculator). Each class is counted exactly. */
typedef struct {
    int checked, v3, v4, mismatches;
    int temporal, environmental, wrong;
} tally;

static const char *const temporal[] = { "E", "RL", "RC", NULL };
static bool has_any(const ct_cvss *c, const char *const *names)
{
    for (size_t i = 0; names[i]; i++) {
        const char *v = ct_cvss_metric(c, names[i]);
        if (v && strcmp(v, "X") != 0)
            return true;
    }
    return false;
}

static void check_metric(tally *t, const char *id, json_object *cvss)
{
    json_object *vs, *bs;
    ct_cvss c;
    const char *v;
    int want;

    if (!json_object_object_get_ex(cvss, "vectorString", &vs) ||
        !json_object_object_get_ex(cvss, "baseScore", &bs))
        return;
    v = json_object_get_string(vs);
    if (ct_cvss_parse(&c, v, strlen(v)) < 0)
        fail_msg("%s: %s: %s", id, v, ct_error_format());
    want = (int)lround(json_object_get_double(bs) * 10.0);
    t->checked++;
    if (c.version == 40)
        t->v4++;
    else
        t->v3++;
    if (c.score10 == want)
        return;
    t->mismatches++;
    if (c.version != 40 && has_any(&c, temporal) && want == c.temporal10) {
        t->temporal++;
    } else if (c.version != 40 && want == c.environmental10) {
        /* the §7.3 equations (MISS capped at 0.915, 0.9731 factor) applied to a vector
         * without environmental metrics, as some calculators do: +0.1 on S:C vectors */
        t->environmental++;
    } else {
        t->wrong++;
        if (getenv("CT_CVSS_VERBOSE"))
            print_message("%s: %s: published %.1f, computed %.1f\n", id, v, want / 10.0,
                          c.score10 / 10.0);
    }
}

static void check_metrics_array(tally *t, const char *id, json_object *container)
{
    static const char *const keys[] = { "cvssV4_0", "cvssV3_1", "cvssV3_0" };
    json_object *metrics;
    if (!json_object_object_get_ex(container, "metrics", &metrics) ||
        !json_object_is_type(metrics, json_type_array))
        return;
    for (size_t i = 0; i < json_object_array_length(metrics); i++) {
        json_object *m = json_object_array_get_idx(metrics, i), *cvss;
        for (size_t k = 0; k < CT_NELEM(keys); k++)
            if (json_object_object_get_ex(m, keys[k], &cvss))
                check_metric(t, id, cvss);
    }
}

static void check_cve_record(tally *t, json_object *rec)
{
    json_object *meta, *cid, *containers, *cna, *adp;
    const char *id = "?";
    if (json_object_object_get_ex(rec, "cveMetadata", &meta) &&
        json_object_object_get_ex(meta, "cveId", &cid))
        id = json_object_get_string(cid);
    if (!json_object_object_get_ex(rec, "containers", &containers))
        return;
    if (json_object_object_get_ex(containers, "cna", &cna))
        check_metrics_array(t, id, cna);
    if (json_object_object_get_ex(containers, "adp", &adp))
        for (size_t i = 0; i < json_object_array_length(adp); i++)
            check_metrics_array(t, id, json_object_array_get_idx(adp, i));
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_cvss__cve5_sample_published_scores(void **state)
{
    char *dir = ct_test_shared_path("conformance/advisories/cve5-sample");
    DIR *d;
    struct dirent *e;
    char *names[256];
    size_t n = 0;
    tally t = { 0, 0, 0, 0, 0, 0, 0 };
    (void)state;
    if (!dir)
        skip();
    assert_non_null(d = opendir(dir));
    while ((e = readdir(d)) && n < CT_NELEM(names))
        if (strncmp(e->d_name, "CVE-", 4) == 0)
            names[n++] = ct_strdup(e->d_name);
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    assert_int_equal(n, 61);
    for (size_t i = 0; i < n; i++) {
        ct_buf path = CT_BUF_INIT;
        json_object *rec;
        ct_buf_printf(&path, "%s/%s", dir, names[i]);
        assert_non_null(rec = json_object_from_file(path.ptr));
        check_cve_record(&t, rec);
        json_object_put(rec);
        ct_buf_dispose(&path);
        ct_free(names[i]);
    }
    print_message("cve5-sample: %d vectors (%d v3, %d v4); published != base: %d temporal, "
                  "%d environmental, %d wrong\n",
                  t.checked, t.v3, t.v4, t.temporal, t.environmental, t.wrong);
    assert_int_equal(t.v4, 13);
    assert_int_equal(t.v3, 56);
    assert_int_equal(t.temporal, 1); /* CVE-2023-45586 (Fortinet): temporal score */
    assert_int_equal(t.environmental + t.wrong, 0);
    ct_free(dir);
}

/* Every line of a .jsonl.gz file, parsed; fn called per record. */
static int for_each_line(const char *rel, void (*fn)(json_object *, void *), void *payload)
{
    char *path = ct_test_shared_path(rel), *data = NULL;
    size_t len = 0;
    int lines = 0;
    if (!path)
        return -1;
    assert_int_equal(ct_file_read_any(&data, &len, path, (size_t)1 << 30), 0);
    for (const char *p = data, *end = data + len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (n) {
            json_tokener *tok = json_tokener_new_ex(64);
            json_object *o = json_tokener_parse_ex(tok, p, (int)n);
            assert_non_null(o);
            fn(o, payload);
            json_object_put(o);
            json_tokener_free(tok);
            lines++;
        }
        p += n + 1;
    }
    ct_free(data);
    ct_free(path);
    return lines;
}

static void rustsec_record(json_object *rec, void *payload)
{
    tally *t = payload;
    json_object *sev, *id;
    const char *sid = json_object_object_get_ex(rec, "id", &id) ? json_object_get_string(id)
                                                                 : "?";
    if (!json_object_object_get_ex(rec, "severity", &sev))
        return;
    for (size_t i = 0; i < json_object_array_length(sev); i++) {
        json_object *s = json_object_array_get_idx(sev, i), *type, *score;
        const char *ty, *v;
        ct_cvss c;
        if (!json_object_object_get_ex(s, "type", &type) ||
            !json_object_object_get_ex(s, "score", &score))
            continue;
        ty = json_object_get_string(type);
        v = json_object_get_string(score);
        if (strcmp(ty, "CVSS_V3") != 0 && strcmp(ty, "CVSS_V4") != 0)
            continue;
        if (ct_cvss_parse(&c, v, strlen(v)) < 0)
            fail_msg("%s: %s: %s", sid, v, ct_error_format());
        assert_int_equal(c.version >= 40, strcmp(ty, "CVSS_V4") == 0);
        assert_true(c.score10 >= 0 && c.score10 <= 100);
        if (c.version == 40)
            t->v4++;
        else
            t->v3++;
    }
}

static void test_cvss__rustsec_vectors(void **state)
{
    tally t = { 0, 0, 0, 0, 0, 0, 0 };
    (void)state;
    if (for_each_line("conformance/advisories/osv/rustsec/osv-crates.io.jsonl.gz",
                      rustsec_record, &t) < 0)
        skip();
    print_message("rustsec: %d CVSS_V3, %d CVSS_V4 vectors\n", t.v3, t.v4);
    assert_int_equal(t.v3, 360);
    assert_int_equal(t.v4, 57);
}

static void bulk_record(json_object *rec, void *payload)
{
    check_cve_record(payload, rec);
}

/* All 44,130 Vulnrichment records: every CNA and ADP vector against its published score. */
static void test_cvss__cve5_bulk_published_scores(void **state)
{
    tally t = { 0, 0, 0, 0, 0, 0, 0 };
    (void)state;
    if (for_each_line("conformance/advisories/cve5/cve5-vulnrichment.jsonl.gz", bulk_record,
                      &t) < 0)
        skip();
    print_message("cve5 bulk: %d vectors (%d v3, %d v4); published != base: %d temporal, "
                  "%d environmental, %d wrong\n",
                  t.checked, t.v3, t.v4, t.temporal, t.environmental, t.wrong);
    assert_int_equal(t.v4, 2334);
    assert_int_equal(t.v3, 34682);
    /* see docs/feeds.md "Published CVSS scores that disagree" */
    assert_int_equal(t.temporal, 246);
    assert_int_equal(t.environmental, 110);
    assert_int_equal(t.wrong, 19); /* 16 v3 and 3 v4: listed with CT_CVSS_VERBOSE=1 */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cvss__v31_specification_examples),
        cmocka_unit_test(test_cvss__v31_temporal_environmental),
        cmocka_unit_test(test_cvss__v40_specification_examples),
        cmocka_unit_test(test_cvss__metric_getter_and_severity),
        cmocka_unit_test(test_cvss__errors_are_located),
        cmocka_unit_test(test_cvss__not_nul_terminated),
        cmocka_unit_test(test_cvss__cve5_sample_published_scores),
        cmocka_unit_test(test_cvss__rustsec_vectors),
        cmocka_unit_test(test_cvss__cve5_bulk_published_scores),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests for the distro readers (src/feed/secdb.c, debian_tracker.c, distro.c) on the real
 * files under ../shared/conformance/advisories/distro, with counts computed independently here
 * (a line scanner for the YAML, json-c for the JSON, a line count for the DSA list), and for
 * release-scoped package keys (src/ident/pkgkey.c, ecosystem.c) from purls and OSV ecosystems,
 * including the real AlmaLinux OSV records. */
#include "ct_feed_fixture.h"

#include "cratrace/feed.h"
#include "cratrace/ident.h"

#include <json-c/json.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- what the readers hand out ----------------------------------------------------------- */

typedef struct {
    size_t n, ranges, not_affected;
    size_t rejects, rejects_no_id, rejects_version;
    ct_buf dump; /* "id|alias,alias|key vers type" lines for the records a test asks about */
    const char *const *watch;
} collector;

static bool watched(const collector *c, const char *id)
{
    for (size_t i = 0; c->watch && c->watch[i]; i++)
        if (strcmp(c->watch[i], id) == 0)
            return true;
    return false;
}

static int collect(const ct_advisory *a, void *payload)
{
    collector *c = payload;
    c->n++;
    c->ranges += a->nranges;
    for (size_t i = 0; i < a->nranges; i++)
        c->not_affected += strcmp(a->ranges[i].range_type, "DISTRO-NOT-AFFECTED") == 0;
    if (!watched(c, a->id))
        return 0;
    ct_buf_printf(&c->dump, "%s|", a->id);
    for (size_t i = 0; i < a->naliases; i++)
        ct_buf_printf(&c->dump, "%s%s", i ? "," : "", a->aliases[i]);
    for (size_t i = 0; i < a->nranges; i++)
        ct_buf_printf(&c->dump, "|%s %s %s", a->ranges[i].pkg_key, a->ranges[i].vers,
                      a->ranges[i].range_type);
    ct_buf_putc(&c->dump, '\n');
    return 0;
}

static void on_reject(const char *where, const char *reason, void *payload)
{
    collector *c = payload;
    assert_non_null(strstr(where, ".yaml:") ? where : strstr(where, "#/") ? where : NULL);
    c->rejects++;
    if (strstr(reason, "names no CVE"))
        c->rejects_no_id++;
    else if (strstr(reason, "is not a apk version") || strstr(reason, "is not a valid"))
        c->rejects_version++;
}

/* ---- an independent reading of the secdb YAML: lines, not libyaml ------------------------ */

typedef struct {
    size_t packages, fixed_versions, entries, no_id, bad_version;
    char **records; /* "<prefix>|<id>" of entries with an identifier and a valid version */
    size_t nrecords, cap;
} scan;

static bool is_ident(const char *s, size_t n)
{
    static regex_t re;
    static bool ready;
    char buf[128];
    if (!ready) {
        assert_int_equal(regcomp(&re,
                                 "^(CVE-[0-9]{4}-[0-9]{4,}|XSA-[0-9]+|GHSA-[a-zA-Z0-9-]+)$",
                                 REG_EXTENDED | REG_NOSUB),
                         0);
        ready = true;
    }
    if (n >= sizeof buf)
        return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    return regexec(&re, buf, 0, NULL, 0) == 0;
}

/* Alpine package versions (apk-tools version.c grammar), and "0". */
static bool apk_version_ok(const char *v)
{
    static regex_t re;
    static bool ready;
    if (!ready) {
        assert_int_equal(regcomp(&re,
                                 "^[0-9]+(\\.[0-9]+)*[a-z]?"
                                 "(_(alpha|beta|pre|rc|cvs|svn|git|hg|p)[0-9]*)*(-r[0-9]+)?$",
                                 REG_EXTENDED | REG_NOSUB),
                         0);
        ready = true;
    }
    return regexec(&re, v, 0, NULL, 0) == 0;
}

static void scan_add(scan *s, const char *prefix, const char *id, size_t n)
{
    char rec[256];
    snprintf(rec, sizeof rec, "%s|%.*s", prefix, (int)n, id);
    for (size_t i = 0; i < s->nrecords; i++)
        if (strcmp(s->records[i], rec) == 0)
            return;
    if (s->nrecords == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 1024;
        s->records = ct_reallocarray(s->records, s->cap, sizeof *s->records);
        assert_non_null(s->records);
    }
    s->records[s->nrecords++] = ct_strdup(rec);
}

static char *trim(char *s)
{
    char *e;
    while (*s == ' ' || *s == '\t')
        s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
        *--e = '\0';
    return s;
}

static void scan_yaml(scan *s, const char *path)
{
    char *text = ct_test_read(path, NULL), *save = NULL, prefix[128] = "";
    char dv[32] = "", repo[32] = "", version[128] = "";
    bool in_fixes = false;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *t = trim(line);
        if (*t == '#' || !*t)
            continue;
        if (strncmp(line, "distroversion:", 14) == 0)
            snprintf(dv, sizeof dv, "%s", trim(line + 14));
        else if (strncmp(line, "reponame:", 9) == 0)
            snprintf(repo, sizeof repo, "%s", trim(line + 9));
        snprintf(prefix, sizeof prefix, "ALPINE-%s-%s", dv, repo);
        if (strcmp(t, "- pkg:") == 0) {
            s->packages++;
            in_fixes = false;
        } else if (strcmp(t, "secfixes:") == 0) {
            in_fixes = true;
        } else if (in_fixes && t[0] != '-' && t[strlen(t) - 1] == ':') {
            s->fixed_versions++;
            size_t n = strlen(t) - 1;
            if (n >= 2 && (t[0] == '"' || t[0] == '\'') && t[n - 1] == t[0]) { /* "0": */
                t++;
                n -= 2;
            }
            snprintf(version, sizeof version, "%.*s", (int)n, t);
        } else if (in_fixes && t[0] == '-' && t[1] == ' ') {
            const char *e = trim(t + 2), *id = NULL;
            size_t idn = 0;
            s->entries++;
            for (const char *p = e; *p && !id;) { /* first token that is an identifier */
                size_t k;
                while (*p == ' ')
                    p++;
                k = strcspn(p, " \t");
                if (k && is_ident(p, k)) {
                    id = p;
                    idn = k;
                }
                p += k;
            }
            if (!id)
                s->no_id++;
            else if (strcmp(version, "0") != 0 && !apk_version_ok(version))
                s->bad_version++;
            else
                scan_add(s, prefix, id, idn);
        }
    }
    ct_free(text);
}

static void scan_free(scan *s)
{
    for (size_t i = 0; i < s->nrecords; i++)
        ct_free(s->records[i]);
    ct_free(s->records);
}

/* Every Alpine secdb file (v3.3-v3.11, main and community) reads: 1,652 package entries and
 * 4,265 fixed versions (the data README), records = distinct (release, repository, identifier)
 * counted by the line scanner, every skipped entry reported with its line and reason. */
static void test_secdb__alpine_real_counts(void **state)
{
    (void)state;
    char *dir = ct_test_shared_path("conformance/advisories/distro/alpine-secdb");
    if (!dir)
        skip();
    ct_test_files fl = CT_TEST_FILES_INIT;
    const char *exts[] = { ".yaml", NULL };
    ct_test_collect(&fl, dir, exts);
    assert_int_equal(fl.n, 18);
    scan sc = { 0 };
    for (size_t i = 0; i < fl.n; i++)
        scan_yaml(&sc, fl.paths[i]);
    assert_int_equal(sc.packages, 1652);
    assert_int_equal(sc.fixed_versions, 4265);

    const char *watch[] = { "ALPINE-v3.11-main-CVE-2019-5747", "ALPINE-v3.10-main-CVE-2016-6258",
                            "ALPINE-v3.9-main-XSA-284", NULL };
    collector c = { 0 };
    c.dump = (ct_buf)CT_BUF_INIT;
    c.watch = watch;
    ct_feed_distro_stats st = { 0 };
    assert_int_equal(ct_feed_read_distro_path(ct_feed_ctx, dir, collect, on_reject, &c, &st), 0);
    assert_int_equal(st.files, 18);
    assert_int_equal(st.packages, sc.packages);
    assert_int_equal(st.fixed_versions, sc.fixed_versions);
    assert_int_equal(c.n, sc.nrecords);
    assert_int_equal(st.records, sc.nrecords);
    assert_int_equal(c.rejects_no_id, sc.no_id);
    assert_int_equal(c.rejects_version, sc.bad_version);
    assert_int_equal(c.rejects, sc.no_id + sc.bad_version);
    assert_int_equal(st.rejected, c.rejects);
    assert_true(c.rejects > 0); /* the data has them: "CVE_2019-2426", "4.10-1-r1", ... */
    /* busybox: CVE-2019-5747 fixed in 1.30.1-r2 and (backport) 1.29.3-r10 in v3.11 */
    assert_non_null(strstr(c.dump.ptr,
                           "ALPINE-v3.11-main-CVE-2019-5747|CVE-2019-5747"
                           "|apk/alpine/busybox?distro=alpine-3.11 vers:apk/<1.30.1-r2 ECOSYSTEM"
                           "|apk/alpine/busybox?distro=alpine-3.11 vers:apk/<1.29.3-r10 ECOSYSTEM\n"));
    /* "CVE-2016-6258 XSA-182": the CVE names the record, the XSA is an alias */
    assert_non_null(strstr(c.dump.ptr, "ALPINE-v3.10-main-CVE-2016-6258|CVE-2016-6258,XSA-182|"
                                       "apk/alpine/xen?distro=alpine-3.10 vers:apk/<4.7.0-r0"));
    /* "CVE-????-?????  XSA-284": no CVE, the XSA names it */
    assert_non_null(strstr(c.dump.ptr, "ALPINE-v3.9-main-XSA-284|XSA-284|"
                                       "apk/alpine/xen?distro=alpine-3.9 vers:apk/<4.11.2-r0"));
    ct_buf_dispose(&c.dump);
    scan_free(&sc);
    ct_test_files_free(&fl);
    ct_free(dir);
}

/* Wolfi secdb JSON: records = distinct identifiers counted with json-c; "0" = not affected. */
static void test_secdb__wolfi_json(void **state)
{
    (void)state;
    char *path = ct_test_shared_path("conformance/advisories/distro/vunnel-fixtures/wolfi/security.json");
    if (!path)
        skip();
    json_object *root = json_object_from_file(path), *pkgs;
    assert_non_null(root);
    assert_true(json_object_object_get_ex(root, "packages", &pkgs));
    size_t zero = 0, versions = 0;
    json_object *ids = json_object_new_object();
    for (size_t i = 0; i < json_object_array_length(pkgs); i++) {
        json_object *pkg, *fixes;
        json_object_object_get_ex(json_object_array_get_idx(pkgs, i), "pkg", &pkg);
        if (!json_object_object_get_ex(pkg, "secfixes", &fixes))
            continue;
        json_object_object_foreach(fixes, ver, list)
        {
            versions++;
            for (size_t k = 0; k < json_object_array_length(list); k++) {
                json_object_object_add(ids, json_object_get_string(json_object_array_get_idx(list, k)),
                                       NULL);
                zero += strcmp(ver, "0") == 0;
            }
        }
    }
    const char *watch[] = { "WOLFI-CVE-2016-2781", "WOLFI-CVE-2022-28391", NULL };
    collector c = { 0 };
    c.dump = (ct_buf)CT_BUF_INIT;
    c.watch = watch;
    ct_feed_distro_stats st = { 0 };
    char *data = ct_test_read(path, NULL);
    assert_int_equal(
        ct_feed_read_secdb(ct_feed_ctx, data, strlen(data), path, collect, on_reject, &c, &st), 0);
    assert_int_equal(c.n, (size_t)json_object_object_length(ids));
    assert_int_equal(st.packages, json_object_array_length(pkgs));
    assert_int_equal(st.fixed_versions, versions);
    assert_int_equal(c.not_affected, zero);
    assert_int_equal(c.rejects, 0);
    assert_non_null(strstr(c.dump.ptr, "WOLFI-CVE-2016-2781|CVE-2016-2781|apk/wolfi/coreutils "
                                       "vers:apk/<0 DISTRO-NOT-AFFECTED\n"));
    assert_non_null(strstr(c.dump.ptr, "WOLFI-CVE-2022-28391|CVE-2022-28391|apk/wolfi/busybox "
                                       "vers:apk/<1.35.0-r3 ECOSYSTEM\n"));
    ct_free(data);
    json_object_put(ids);
    json_object_put(root);
    ct_buf_dispose(&c.dump);
    ct_free(path);
}

/* Debian security tracker JSON: one record per tracker ID, statements per (package, ID,
 * release) counted with json-c; fixed_version "0" = not affected; releases by code name. */
static void test_debian__tracker_real(void **state)
{
    (void)state;
    char *path = ct_test_shared_path("conformance/advisories/distro/vunnel-fixtures/debian/debian.json");
    if (!path)
        skip();
    json_object *root = json_object_from_file(path);
    assert_non_null(root);
    size_t statements = 0, no_releases = 0, zero = 0;
    json_object *ids = json_object_new_object();
    json_object_object_foreach(root, pkg, issues)
    {
        (void)pkg;
        json_object_object_foreach(issues, id, issue)
        {
            json_object *rels;
            if (!json_object_object_get_ex(issue, "releases", &rels) ||
                !json_object_is_type(rels, json_type_object)) { /* "releases": [] occurs */
                no_releases++;
                continue;
            }
            json_object_object_add(ids, id, NULL);
            json_object_object_foreach(rels, rel, stmt)
            {
                json_object *fv;
                (void)rel;
                statements++;
                if (json_object_object_get_ex(stmt, "fixed_version", &fv) &&
                    strcmp(json_object_get_string(fv), "0") == 0)
                    zero++;
            }
        }
    }
    const char *watch[] = { "DEBIAN-CVE-2007-2383", "DEBIAN-CVE-2008-7220", NULL };
    collector c = { 0 };
    c.dump = (ct_buf)CT_BUF_INIT;
    c.watch = watch;
    ct_feed_distro_stats st = { 0 };
    assert_int_equal(ct_feed_read_distro_path(ct_feed_ctx, path, collect, on_reject, &c, &st), 0);
    assert_int_equal(c.n, (size_t)json_object_object_length(ids));
    assert_int_equal(st.fixed_versions, statements);
    assert_int_equal(c.not_affected, zero);
    assert_int_equal(c.rejects, no_releases); /* an issue without releases is listed, not read */
    assert_non_null(strstr(c.dump.ptr,
                           "DEBIAN-CVE-2007-2383|CVE-2007-2383"
                           "|deb/debian/prototypejs?distro=debian-9 vers:deb/<0 DISTRO-NOT-AFFECTED"
                           "|deb/debian/prototypejs?distro=debian-8 vers:deb/<0 DISTRO-NOT-AFFECTED"
                           "|deb/debian/prototypejs?distro=debian-10 vers:deb/<0 DISTRO-NOT-AFFECTED"
                           "|deb/debian/prototypejs?distro=debian-sid vers:deb/<0 DISTRO-NOT-AFFECTED\n"));
    assert_non_null(strstr(c.dump.ptr, "DEBIAN-CVE-2008-7220|CVE-2008-7220"
                                       "|deb/debian/prototypejs?distro=debian-9 "
                                       "vers:deb/<1.6.0.2-1 ECOSYSTEM"));
    json_object_put(ids);
    json_object_put(root);
    ct_buf_dispose(&c.dump);
    ct_free(path);
}

/* The DSA list: one record per "[date] DSA-..." line; CVEs as aliases; fixed lines per release. */
static void test_debian__dsa_list(void **state)
{
    (void)state;
    char *path = ct_test_shared_path("conformance/advisories/distro/vunnel-fixtures/debian/DSA");
    if (!path)
        skip();
    char *text = ct_test_read(path, NULL);
    size_t heads = 0, fixed = 0;
    for (char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
        heads += l[0] == '[';
        const char *t = l + strspn(l, " \t");
        fixed += t != l && t[0] == '[';
    }
    const char *watch[] = { "DSA-140", "DSA-4205-1", NULL };
    collector c = { 0 };
    c.dump = (ct_buf)CT_BUF_INIT;
    c.watch = watch;
    ct_feed_distro_stats st = { 0 };
    assert_int_equal(
        ct_feed_read_debian(ct_feed_ctx, text, strlen(text), path, collect, on_reject, &c, &st),
        0);
    assert_int_equal(c.n, heads);
    assert_int_equal(st.fixed_versions, fixed);
    assert_int_equal(c.ranges, fixed);
    assert_int_equal(c.rejects, 0);
    assert_non_null(strstr(c.dump.ptr, "DSA-140|CVE-2002-0660,CVE-2002-0728"
                                       "|deb/debian/libpng?distro=debian-3 "
                                       "vers:deb/<1.0.12-3.woody.2 ECOSYSTEM"
                                       "|deb/debian/libpng3?distro=debian-3 "
                                       "vers:deb/<1.2.1-1.1.woody.2 ECOSYSTEM\n"));
    assert_non_null(strstr(c.dump.ptr, "DSA-4205-1|\n")); /* an end-of-life notice */
    ct_free(text);
    ct_buf_dispose(&c.dump);
    ct_free(path);
}

/* Rejects carry file, line and reason; the rest of the file still reads; bad YAML is located. */
static void test_secdb__rejects_and_errors(void **state)
{
    (void)state;
    const char *yaml = "distroversion: v3.18\nreponame: main\npackages:\n"
                       "  - pkg:\n      name: busybox\n      secfixes:\n"
                       "        1.36.1-r1:\n          - CVE-2023-42363\n          - CVE_2023-1\n"
                       "        not-a-version:\n          - CVE-2023-42364\n"
                       "        0:\n          - CVE-2021-42374\n";
    collector c = { 0 };
    c.dump = (ct_buf)CT_BUF_INIT;
    const char *watch[] = { "ALPINE-v3.18-main-CVE-2023-42363", "ALPINE-v3.18-main-CVE-2021-42374",
                            NULL };
    c.watch = watch;
    ct_feed_distro_stats st = { 0 };
    assert_int_equal(
        ct_feed_read_secdb(ct_feed_ctx, yaml, strlen(yaml), "t.yaml", collect, on_reject, &c, &st),
        0);
    assert_int_equal(c.n, 2);
    assert_int_equal(c.rejects, 2);
    assert_int_equal(c.rejects_no_id, 1);
    assert_int_equal(c.rejects_version, 1);
    assert_non_null(strstr(c.dump.ptr, "ALPINE-v3.18-main-CVE-2023-42363|CVE-2023-42363|"
                                       "apk/alpine/busybox?distro=alpine-3.18 "
                                       "vers:apk/<1.36.1-r1 ECOSYSTEM\n"));
    assert_non_null(strstr(c.dump.ptr, "ALPINE-v3.18-main-CVE-2021-42374|CVE-2021-42374|"
                                       "apk/alpine/busybox?distro=alpine-3.18 vers:apk/<0 "
                                       "DISTRO-NOT-AFFECTED\n"));
    ct_buf_dispose(&c.dump);

    const char *bad = "packages:\n  - pkg: [unclosed\n";
    collector d = { 0 };
    assert_int_equal(
        ct_feed_read_secdb(ct_feed_ctx, bad, strlen(bad), "bad.yaml", collect, NULL, &d, NULL),
        CT_EPARSE);
    assert_non_null(strstr(ct_error_format(), "bad.yaml"));
    assert_int_equal(d.n, 0);
    ct_error_clear();
}

/* Package keys: a distro binary package keys to its source package in its release, and the
 * OSV ecosystem of that release gives the same key; no qualifier = the unscoped key. */
static void test_keys__purl_and_osv_agree(void **state)
{
    (void)state;
    static const struct {
        const char *purl, *eco, *name, *key;
    } cases[] = {
        { "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12&upstream=openssl",
          "Debian:12", "openssl", "deb/debian/openssl?distro=debian-12" },
        { "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?distro=bookworm&upstream=openssl%403.0.11-1~deb12u2",
          "Debian:bookworm", "openssl", "deb/debian/openssl?distro=debian-12" },
        { "pkg:deb/debian/openssl@3.0.11-1?distro=debian-12.4", "Debian:12", "openssl",
          "deb/debian/openssl?distro=debian-12" },
        { "pkg:apk/alpine/busybox@1.36.1-r0?distro=alpine-3.18.4", "Alpine:v3.18", "busybox",
          "apk/alpine/busybox?distro=alpine-3.18" },
        { "pkg:apk/alpine/ssl_client@1.36.1-r0?distro=alpine-3.18&upstream=busybox",
          "Alpine:v3.18", "busybox", "apk/alpine/busybox?distro=alpine-3.18" },
        { "pkg:rpm/almalinux/openssl-libs@3.0.7-25.el9?distro=almalinux-9.3&upstream=openssl-3.0.7-25.el9.src.rpm",
          "AlmaLinux:9", "openssl-libs", "rpm/almalinux/openssl-libs?distro=almalinux-9" },
        { "pkg:deb/ubuntu/openssl@3.0.2-0ubuntu1.10?distro=ubuntu-22.04", "Ubuntu:22.04:LTS",
          "openssl", "deb/ubuntu/openssl?distro=ubuntu-22.04" },
        /* rolling distribution: no release in the key */
        { "pkg:apk/wolfi/busybox@1.36.1-r0?distro=wolfi-20230201", "Wolfi", "busybox",
          "apk/wolfi/busybox" },
        /* no distro qualifier: the unscoped key, which release-scoped data never uses */
        { "pkg:deb/debian/libssl3@3.0.11-1?upstream=openssl", "Debian", "openssl",
          "deb/debian/openssl" },
    };
    for (size_t i = 0; i < CT_NELEM(cases); i++) {
        ct_purl *p = NULL;
        ct_buf a = CT_BUF_INIT, b = CT_BUF_INIT;
        assert_int_equal(ct_purl_parse(&p, cases[i].purl, strlen(cases[i].purl)), 0);
        assert_int_equal(ct_purl_package_key(&a, p), 0);
        assert_true(ct_osv_package_key(&b, NULL, cases[i].eco, cases[i].name) >= 0);
        ct_test_same_str("purl key", i, cases[i].key, a.ptr);
        ct_test_same_str("osv key", i, cases[i].key, b.ptr);
        ct_purl_free(p);
        ct_buf_dispose(&a);
        ct_buf_dispose(&b);
    }
    /* another release never shares the key */
    ct_buf k11 = CT_BUF_INIT;
    assert_int_equal(ct_osv_package_key(&k11, NULL, "Debian:11", "openssl"), 0);
    assert_string_equal(k11.ptr, "deb/debian/openssl?distro=debian-11");
    ct_buf_dispose(&k11);
}

typedef struct {
    size_t got[3], wrong;
} alma_tally;

static int on_adv(const ct_advisory *a, void *payload)
{
    alma_tally *t = payload;
    static const char *const rel[3] = { "8", "9", "10" };
    for (size_t i = 0; i < a->nranges; i++) {
        const ct_affected_range *r = &a->ranges[i];
        char want[64];
        const char *q = strstr(r->pkg_key, "?distro=almalinux-");
        bool ok = false;
        snprintf(want, sizeof want, "?distro=almalinux-%s", r->ecosystem + 10);
        for (int k = 0; k < 3; k++)
            if (strcmp(r->ecosystem + 10, rel[k]) == 0 && q && strcmp(q, want) == 0) {
                t->got[k]++;
                ok = true;
            }
        t->wrong += !ok;
    }
    return 0;
}

/* The real AlmaLinux OSV records (AlmaLinux:8/9/10): every range keyed to its own release;
 * ranges per release equal the affected entries per ecosystem counted with json-c. */
static void test_osv__almalinux_release_scoping(void **state)
{
    (void)state;
    char *path = ct_test_shared_path("conformance/advisories/osv/almalinux/osv-almalinux.jsonl.gz");
    if (!path)
        skip();
    char *data = NULL;
    size_t len = 0;
    size_t want[3] = { 0 }, multi = 0;
    static const char *const rel[3] = { "8", "9", "10" };
    assert_int_equal(ct_file_read_any(&data, &len, path, (size_t)1 << 30), 0);
    for (char *l = data; l && l < data + len;) {
        char *nl = memchr(l, '\n', (size_t)(data + len - l));
        json_tokener *tok = json_tokener_new();
        json_object *o = json_tokener_parse_ex(tok, l, (int)(nl ? nl - l : data + len - l)), *aff;
        json_tokener_free(tok);
        if (o && json_object_object_get_ex(o, "affected", &aff)) {
            bool seen[3] = { false };
            for (size_t i = 0; i < json_object_array_length(aff); i++) {
                json_object *pkg, *eco;
                json_object_object_get_ex(json_object_array_get_idx(aff, i), "package", &pkg);
                json_object_object_get_ex(pkg, "ecosystem", &eco);
                for (int r = 0; r < 3; r++)
                    if (strcmp(json_object_get_string(eco) + 10, rel[r]) == 0) {
                        want[r]++;
                        seen[r] = true;
                    }
            }
            multi += (seen[0] + seen[1] + seen[2]) > 1;
        }
        json_object_put(o);
        l = nl ? nl + 1 : NULL;
    }
    ct_free(data);
    assert_int_equal(multi, 80);

    alma_tally t = { { 0 }, 0 };
    assert_int_equal(ct_feed_read_osv_path(ct_feed_ctx, path, on_adv, &t), 0);
    for (int r = 0; r < 3; r++)
        assert_int_equal(t.got[r], want[r]);
    assert_int_equal(t.wrong, 0);
    ct_free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_secdb__alpine_real_counts),
        cmocka_unit_test(test_secdb__wolfi_json),
        cmocka_unit_test(test_debian__tracker_real),
        cmocka_unit_test(test_debian__dsa_list),
        cmocka_unit_test(test_secdb__rejects_and_errors),
        cmocka_unit_test(test_keys__purl_and_osv_agree),
        cmocka_unit_test(test_osv__almalinux_release_scoping),
    };
    return cmocka_run_group_tests(tests, ct_feed_fixture_setup, ct_feed_fixture_teardown);
}

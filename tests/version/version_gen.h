/* Seeded generator of tricky version strings per scheme for differential testing
 * (tests/version/test_oracle.c) and benchmarks (bench/bench_version.c): epochs, tildes,
 * carets, pre/post/dev/local releases, qualifiers, leading zeros, huge numbers, empty
 * segments, odd case and blanks, mixed with real version strings seen in distributions and
 * registries. Header-only; deterministic for a given seed. */
#ifndef CT_TESTS_VERSION_GEN_H
#define CT_TESTS_VERSION_GEN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cratrace/base.h"

typedef struct version_gen {
    uint64_t s; /* xorshift64* state, never 0 */
} version_gen;

static inline void version_gen_seed(version_gen *g, uint64_t seed)
{
    g->s = seed ? seed : 0x9e3779b97f4a7c15u;
}

static inline uint64_t version_gen_next(version_gen *g)
{
    g->s ^= g->s >> 12;
    g->s ^= g->s << 25;
    g->s ^= g->s >> 27;
    return g->s * 0x2545f4914f6cdd1du;
}

static inline size_t version_gen_below(version_gen *g, size_t n)
{
    return (size_t)(version_gen_next(g) % n);
}

#define VG_PICK(g, arr) ((arr)[version_gen_below((g), sizeof(arr) / sizeof((arr)[0]))])
#define VG_PUT(b, s) ((void)ct_buf_puts((b), (s)))

/* Numbers: small, zero-padded, 2^31/2^53/2^63/2^64 neighbours and beyond. */
static const char *const vg_nums[] = {
    "0", "1", "2", "3", "9", "10", "11", "99", "100", "01", "00", "007", "0010", "2024",
    "20230101", "2147483647", "2147483648", "4294967296", "9007199254740991",
    "9007199254740992", "9007199254740993", "9223372036854775807", "18446744073709551615",
    "18446744073709551616", "123456789012345678901234567890",
};

static inline const char *vg_num(version_gen *g)
{
    /* mostly small numbers, sometimes padded or big ones, rarely beyond 2^53-1 */
    size_t r = version_gen_below(g, 100);
    if (r < 80)
        return vg_nums[version_gen_below(g, 9)];
    return r < 97 ? vg_nums[version_gen_below(g, 19)] : VG_PICK(g, vg_nums);
}

/* ---- deb --------------------------------------------------------------------------------- */

static const char *const vg_deb_real[] = {
    "1:2.4.47-2+b1", "2.36-9+deb12u4", "1.1.1n-0+deb11u5", "3.0.11-1~deb12u2",
    "7.88.1-10+deb12u5", "2:8.2.2434-3+deb11u1", "0.9.8o-4squeeze14", "1.0~rc1-1",
    "1:1.2.13.dfsg-1", "5.10.0-28", "2.2.0~git20230110.abc123-1", "1.0+dfsg-1ubuntu0.1",
    "1:9.18.19-1~deb12u1", "252.22-1~deb12u1", "3.7.9-2+deb12u2", "0~20220101-1",
    "1.21~beta1+ds-1~bpo12+1", "2.38.1-5+deb12u1", "1:3.1-2+b2", "20230311", "1.0",
};

static void vg_deb_upstream(version_gen *g, ct_buf *b, bool want_hyphen_ok)
{
    static const char *const words[] = { "a", "b", "rc", "alpha", "beta", "dfsg", "ubuntu",
                                         "deb", "git", "Z", "z", "bpo", "ds", "svn" };
    static const char *const seps[] = { ".", ".", ".", "+", "~", "~~", "", ".~", "..", ":" };
    size_t n = 1 + version_gen_below(g, 5);
    if (version_gen_below(g, 25) == 0)
        VG_PUT(b, VG_PICK(g, words)); /* no leading digit: a dpkg warning, still compared */
    else
        VG_PUT(b, vg_num(g));
    for (size_t k = 1; k < n; k++) {
        const char *sep = VG_PICK(g, seps);
        if (sep[0] == ':' && version_gen_below(g, 2))
            sep = ".";
        VG_PUT(b, sep);
        VG_PUT(b, version_gen_below(g, 2) ? vg_num(g) : VG_PICK(g, words));
    }
    if (want_hyphen_ok && version_gen_below(g, 10) == 0) {
        VG_PUT(b, "-");
        VG_PUT(b, vg_num(g));
    }
    if (version_gen_below(g, 8) == 0)
        VG_PUT(b, VG_PICK(g, ((const char *const[]){ "~", "~rc1", "+", "+b1", ".", "~~a" })));
}

static void vg_gen_deb(version_gen *g, ct_buf *b)
{
    static const char *const epochs[] = { "0", "1", "2", "10", "01", "00", "+1", "-0" };
    static const char *const revs[] = { "1", "0", "1ubuntu1", "1~bpo11+1", "2+b1", "0.1",
                                        "1.2~rc", "10", "1+deb12u1", "a", "0~" };
    if (version_gen_below(g, 5) == 0) {
        VG_PUT(b, VG_PICK(g, vg_deb_real));
        return;
    }
    if (version_gen_below(g, 4) == 0) {
        VG_PUT(b, VG_PICK(g, epochs));
        VG_PUT(b, ":");
    } else if (version_gen_below(g, 100) == 0) {
        VG_PUT(b, VG_PICK(g, ((const char *const[]){ "", "a:", "1:", " 1:", "1a:" })));
    }
    bool rev = version_gen_below(g, 2) == 0;
    vg_deb_upstream(g, b, rev);
    if (rev) {
        VG_PUT(b, "-");
        if (version_gen_below(g, 60))
            VG_PUT(b, VG_PICK(g, revs));
    }
    if (version_gen_below(g, 200) == 0)
        VG_PUT(b, VG_PICK(g, ((const char *const[]){ " ", "_1", "!", " x", "\xc3\xa9" })));
}

/* ---- rpm --------------------------------------------------------------------------------- */

static const char *const vg_rpm_real[] = {
    "1.1.1k-12.el8_9", "2:8.2.2637-20.el9_1", "4.18.0-513.5.1.el8_9", "1.0^20230101git1234-1.fc39",
    "0.9~rc1-1", "3.6.8-51.el8_8.1", "1:1.1.1k-9.el8_7", "7.61.1-33.el8_9.5", "2.28-225.el8_8.6",
    "5.14.0-362.8.1.el9_3", "1.2.11-40.el9", "6.4.6-200.fc38", "0.3.4^git20220101.1a2b3c-2",
    "1.0~beta2^post1-3", "20230511-1.el9", "1.10", "1.0a", "1.0_1",
};

static void vg_gen_rpm(version_gen *g, ct_buf *b)
{
    static const char *const words[] = { "a", "b", "rc", "beta", "el", "fc", "git", "Z",
                                         "pre", "svn", "x" };
    static const char *const seps[] = { ".", ".", ".", "_", "+", "~", "^", "", "..", "~~",
                                        "^^", "%", "-" };
    static const char *const rels[] = { "1", "0", "1.el8", "2.fc39", "1~rc", "0^git1", "1_1",
                                        "el9", "10.1", "" };
    if (version_gen_below(g, 5) == 0) {
        VG_PUT(b, VG_PICK(g, vg_rpm_real));
        return;
    }
    if (version_gen_below(g, 5) == 0) {
        VG_PUT(b, VG_PICK(g, ((const char *const[]){ "0", "1", "2", "01", "10", "", "a" })));
        VG_PUT(b, ":");
    }
    size_t n = 1 + version_gen_below(g, 5);
    for (size_t k = 0; k < n; k++) {
        if (k)
            VG_PUT(b, VG_PICK(g, seps));
        VG_PUT(b, version_gen_below(g, 3) ? vg_num(g) : VG_PICK(g, words));
    }
    if (version_gen_below(g, 2)) {
        VG_PUT(b, "-");
        VG_PUT(b, VG_PICK(g, rels));
    }
    if (version_gen_below(g, 15) == 0)
        VG_PUT(b, VG_PICK(g, ((const char *const[]){ "~", "^", "~rc1", "^post", "-", ":" })));
}

/* ---- pypi (PEP 440, with legacy and invalid forms) --------------------------------------- */

static const char *const vg_pypi_real[] = {
    "2.31.0", "1.26.0rc1", "3.0.0.dev0", "0.1.0.post1", "1.0+ubuntu1", "2023.7.22", "1!2.0",
    "4.0.0b2", "1.0.0a1.dev1", "2.0.0.post1.dev3", "21.3", "0.0.1", "1.4.52", "3.2.0rc2",
    "1.0+local.7.abc", "2.8.2", "1.16.5", "0.28.1", "6.0", "10.0.1", "2.0.0-beta.1",
};

static void vg_gen_pypi(version_gen *g, ct_buf *b)
{
    static const char *const pre[] = { "a", "b", "rc", "alpha", "beta", "c", "pre", "preview",
                                       "A", "RC", "Alpha" };
    static const char *const post[] = { "post", "rev", "r", "Post", "POST" };
    static const char *const seps[] = { "", ".", "-", "_" };
    static const char *const locals[] = { "ubuntu1", "abc", "1.2", "a-b", "a_b", "ABC", "7",
                                          "deb12u1", "1..2", "", "x.y.z" };
    static const char *const bad[] = { "1.0~rc1", "1:1.0", "foo", "1..0", "1.0+", ".1", "1.",
                                       "1.0.", "1.0-", "1.0dev-1", "1.0a1a2", "1.0+a+b", "", "1.0 rc1" };
    if (version_gen_below(g, 5) == 0) {
        VG_PUT(b, VG_PICK(g, vg_pypi_real));
        return;
    }
    if (version_gen_below(g, 40) == 0) {
        VG_PUT(b, VG_PICK(g, bad));
        return;
    }
    if (version_gen_below(g, 30) == 0)
        VG_PUT(b, VG_PICK(g, ((const char *const[]){ " ", "v", "V", "  ", " v" })));
    if (version_gen_below(g, 8) == 0) {
        VG_PUT(b, vg_num(g));
        VG_PUT(b, "!");
    }
    size_t n = 1 + version_gen_below(g, 4);
    for (size_t k = 0; k < n; k++) {
        if (k)
            VG_PUT(b, ".");
        VG_PUT(b, vg_num(g));
    }
    if (version_gen_below(g, 3) == 0) { /* pre-release */
        VG_PUT(b, VG_PICK(g, seps));
        VG_PUT(b, VG_PICK(g, pre));
        if (version_gen_below(g, 4)) {
            VG_PUT(b, VG_PICK(g, seps));
            VG_PUT(b, vg_num(g));
        }
    }
    if (version_gen_below(g, 4) == 0) { /* post-release, or the implicit "-N" form */
        if (version_gen_below(g, 4) == 0) {
            VG_PUT(b, "-");
            VG_PUT(b, vg_num(g));
        } else {
            VG_PUT(b, VG_PICK(g, seps));
            VG_PUT(b, VG_PICK(g, post));
            if (version_gen_below(g, 4)) {
                VG_PUT(b, VG_PICK(g, seps));
                VG_PUT(b, vg_num(g));
            }
        }
    }
    if (version_gen_below(g, 5) == 0) { /* dev release */
        VG_PUT(b, VG_PICK(g, seps));
        VG_PUT(b, version_gen_below(g, 4) ? "dev" : "DEV");
        if (version_gen_below(g, 4)) {
            VG_PUT(b, VG_PICK(g, seps));
            VG_PUT(b, vg_num(g));
        }
    }
    if (version_gen_below(g, 6) == 0) { /* local version */
        VG_PUT(b, "+");
        VG_PUT(b, VG_PICK(g, locals));
    }
    if (version_gen_below(g, 40) == 0)
        VG_PUT(b, VG_PICK(g, ((const char *const[]){ " ", "  ", " x", ".*", "-" })));
}

/* ---- semver / npm / golang --------------------------------------------------------------- */

static void vg_semver_pre(version_gen *g, ct_buf *b)
{
    static const char *const ids[] = { "alpha", "beta", "rc", "0", "1", "2", "11", "01", "a-b",
                                       "-", "x", "Alpha", "RC", "9007199254740991",
                                       "9007199254740993", "18446744073709551616", "0a", "1-",
                                       "DEV", "pre", "" };
    size_t n = 1 + version_gen_below(g, 3);
    for (size_t k = 0; k < n; k++) {
        if (k)
            VG_PUT(b, ".");
        VG_PUT(b, version_gen_below(g, 2) ? VG_PICK(g, ids) : vg_nums[version_gen_below(g, 9)]);
    }
}

static const char *const vg_semver_real[] = {
    "1.0.0", "4.17.21", "0.0.0", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta",
    "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0+20130313144700",
    "1.0.0-beta+exp.sha.5114f85", "2.0.0-rc.1+build.123", "1.2.3----RC-SNAPSHOT.12.9.1--.12+788",
    "10.20.30", "1.1.2-prerelease+meta", "1.0.0-0A.is.legal", "18.2.0", "7.5.4", "0.28.0",
};

/* core[-pre][+build] with the corner cases; 'shorthand' allows "1" and "1.2" (Go). */
static void vg_semver_core(version_gen *g, ct_buf *b, bool shorthand)
{
    size_t parts = 3;
    if (shorthand ? version_gen_below(g, 4) == 0 : version_gen_below(g, 40) == 0)
        parts = 1 + version_gen_below(g, 2);
    else if (version_gen_below(g, 60) == 0)
        parts = 4;
    for (size_t k = 0; k < parts; k++) {
        if (k)
            VG_PUT(b, ".");
        VG_PUT(b, vg_num(g));
    }
    if (version_gen_below(g, 3) == 0) {
        VG_PUT(b, "-");
        vg_semver_pre(g, b);
    }
    if (version_gen_below(g, 6) == 0) {
        VG_PUT(b, "+");
        VG_PUT(b, VG_PICK(g, ((const char *const[]){ "build.1", "001", "sha.5114f85", "x-y",
                                                     "incompatible", "", "a..b", "0" })));
    }
}

static void vg_gen_semver(version_gen *g, ct_buf *b)
{
    if (version_gen_below(g, 5) == 0) {
        VG_PUT(b, VG_PICK(g, vg_semver_real));
        return;
    }
    if (version_gen_below(g, 40) == 0)
        VG_PUT(b, VG_PICK(g, ((const char *const[]){ "v", "=", " ", "V" })));
    vg_semver_core(g, b, false);
    if (version_gen_below(g, 60) == 0)
        VG_PUT(b, VG_PICK(g, ((const char *const[]){ " ", "-", ".", "a" })));
}

static void vg_gen_npm(version_gen *g, ct_buf *b)
{
    if (version_gen_below(g, 5) == 0) {
        VG_PUT(b, VG_PICK(g, vg_semver_real));
        return;
    }
    if (version_gen_below(g, 6) == 0)
        VG_PUT(b, VG_PICK(g, ((const char *const[]){ "v", "=", " ", "  ", " v", "=v", "vv",
                                                     "v=", "V", "  =  " })));
    vg_semver_core(g, b, false);
    if (version_gen_below(g, 20) == 0)
        VG_PUT(b, VG_PICK(g, ((const char *const[]){ " ", "  ", " x", "- ", "+" })));
    if (version_gen_below(g, 300) == 0) /* beyond node-semver's 256-character limit */
        for (size_t k = 0; k < 30; k++)
            VG_PUT(b, k ? ".abcdefghi" : "-abcdefghi");
}

static const char *const vg_golang_real[] = {
    "v0.0.0-20191109021931-daa7c04131f5", "v1.2.3", "v2.0.0+incompatible", "v0.1.0",
    "v1.9.1", "v0.0.0-20230101000000-abcdefabcdef", "v1.2.4-0.20191109021931-daa7c04131f5",
    "v1.2.3-pre.0.20191109021931-daa7c04131f5", "v1", "v1.2", "v0.14.0", "v1.58.3",
};

static void vg_gen_golang(version_gen *g, ct_buf *b)
{
    if (version_gen_below(g, 5) == 0) {
        VG_PUT(b, VG_PICK(g, vg_golang_real));
        return;
    }
    VG_PUT(b, version_gen_below(g, 30) ? "v" : VG_PICK(g, ((const char *const[]){ "", "V", "vv", " v" })));
    vg_semver_core(g, b, true);
    if (version_gen_below(g, 60) == 0)
        VG_PUT(b, VG_PICK(g, ((const char *const[]){ " ", "-", ".", "+" })));
}

/* ---- maven, gem -------------------------------------------------------------------------- */

static void vg_gen_maven(version_gen *g, ct_buf *b)
{
    static const char *const nums[] = { "0", "1", "2", "10", "01", "00", "3", "999999999999" };
    static const char *const quals[] = { "alpha", "a", "b", "beta", "m", "milestone", "rc", "cr",
                                         "snapshot", "SNAPSHOT", "ga", "final", "release", "sp",
                                         "foo", "RC", "Final", "x", "" };
    static const char *const seps[] = { ".", "-", "", "." };
    size_t n = 1 + version_gen_below(g, 6);
    size_t start = b->len;
    for (size_t k = 0; k < n; k++) {
        if (k > 0)
            VG_PUT(b, VG_PICK(g, seps));
        VG_PUT(b, version_gen_below(g, 3) ? VG_PICK(g, nums) : VG_PICK(g, quals));
    }
    if (b->len == start)
        VG_PUT(b, "1");
}

static void vg_gen_gem(version_gen *g, ct_buf *b)
{
    static const char *const nums[] = { "0", "1", "2", "10", "007", "00" };
    static const char *const alnum[] = { "a", "b", "pre", "rc", "alpha", "A", "1a", "a1", "0",
                                         "1" };
    VG_PUT(b, VG_PICK(g, nums));
    size_t n = version_gen_below(g, 5);
    for (size_t k = 0; k < n; k++) {
        VG_PUT(b, ".");
        VG_PUT(b, version_gen_below(g, 2) ? VG_PICK(g, nums) : VG_PICK(g, alnum));
    }
    if (version_gen_below(g, 4) == 0) {
        VG_PUT(b, "-");
        VG_PUT(b, VG_PICK(g, alnum));
        if (version_gen_below(g, 2)) {
            VG_PUT(b, ".");
            VG_PUT(b, VG_PICK(g, nums));
        }
    }
}

typedef struct version_gen_scheme {
    const char *scheme;
    void (*gen)(version_gen *g, ct_buf *b);
} version_gen_scheme;

static const version_gen_scheme version_gen_schemes[] = {
    { "deb", vg_gen_deb },       { "rpm", vg_gen_rpm },     { "pypi", vg_gen_pypi },
    { "semver", vg_gen_semver }, { "npm", vg_gen_npm },     { "golang", vg_gen_golang },
    { "maven", vg_gen_maven },   { "gem", vg_gen_gem },
};

/* One pair: b is a, a prefix/extension of a, or an independent version (1 in 3 each). */
static inline void version_gen_pair(version_gen *g, const version_gen_scheme *s, ct_buf *a,
                                    ct_buf *b)
{
    ct_buf_reset(a);
    ct_buf_reset(b);
    s->gen(g, a);
    switch (version_gen_below(g, 3)) {
    case 0:
        VG_PUT(b, a->ptr);
        if (version_gen_below(g, 2))
            s->gen(g, b); /* a followed by more */
        break;
    default:
        s->gen(g, b);
        break;
    }
}

#endif

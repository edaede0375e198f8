/* Seeded generator of tricky purl strings for differential testing (tests/ident/
 * test_purl_oracle.c) and benchmarks: every registered type plus unknown ones, odd case,
 * percent-encoding (valid, invalid, of reserved characters, of UTF-8), qualifiers with empty,
 * duplicate and upper-case keys, subpaths with '.' / '..', and random single-byte mutations.
 * Header-only so a standalone tool can include it; deterministic for a given seed. */
#ifndef CT_TESTS_PURL_GEN_H
#define CT_TESTS_PURL_GEN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cratrace/base.h"

typedef struct purl_gen {
    uint64_t s; /* xorshift64* state, never 0 */
} purl_gen;

static inline void purl_gen_seed(purl_gen *g, uint64_t seed)
{
    g->s = seed ? seed : 0x9e3779b97f4a7c15u;
}

static inline uint64_t purl_gen_next(purl_gen *g)
{
    g->s ^= g->s >> 12;
    g->s ^= g->s << 25;
    g->s ^= g->s >> 27;
    return g->s * 0x2545f4914f6cdd1du;
}

static inline size_t purl_gen_below(purl_gen *g, size_t n)
{
    return (size_t)(purl_gen_next(g) % n);
}

#define PURL_GEN_PICK(g, arr) ((arr)[purl_gen_below((g), sizeof(arr) / sizeof((arr)[0]))])

static const char *const purl_gen_types[] = {
    "alpm", "apk", "bazel", "bitbucket", "bitnami", "brew", "cargo", "chrome-extension",
    "cocoapods", "composer", "conan", "conda", "cpan", "cran", "deb", "docker", "gem", "generic",
    "git", "github", "golang", "hackage", "hex", "huggingface", "julia", "luarocks", "maven",
    "mlflow", "npm", "nuget", "oci", "opam", "otp", "pub", "pypi", "qpkg", "rpm", "swid", "swift",
    "vcpkg", "vscode-extension", "yocto", "Maven", "NPM", "PyPI", "x.y+z-1", "foo", "c++",
};

static const char *const purl_gen_ns[] = {
    "org.apache", "@scope", "@Babel", "Foo", "debian", "fedora", "github.com/user", "a%20b",
    "a b", "%40x", "%C3%BC", "\xc3\xbc", "a:b", "a%3Ab", "a+b", "a%2Bb", "", "x~y", "Homebrew",
    "codeberg.org", "a%2Fb", "%25", "..", ".", "A.B-C_D",
};

static const char *const purl_gen_names[] = {
    "core", "Django_package", "a%20b", "name%40x", "na%2Bme", "n:m", "n%3Am", "%C3%BC",
    "UPPER", "x.y-z_w~", "curl", "openssl", "ruby-advisory-db-check", "node%4020",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "jacob", "a+b", "%E2%82%AC", "n?m", "",
    "foo%23bar", "q%3Dx", "Test::More", "dot.name", "under_score",
};

static const char *const purl_gen_versions[] = {
    "1.0.0", "1.0+b1", "1.0%2Bb1", "2:1.0-1", "sha256:abc", "sha256%3Aabc", "1.0%20Final",
    "v1", "A.B", "1%402", "%3A", "", "1.2.3-SNAPSHOT", "244fd47e07d1004f0aed9c", "1.0~rc1",
    "%E2%82%AC1", "7.50.3-1.fc25", "1.2.3.4",
};

static const char *const purl_gen_keys[] = {
    "arch", "Arch", "repository_url", "repositorY_url", "distro", "checksum", "vcs_url",
    "foo.bar", "x-y", "platform", "uuid", "tag_id", "channel", "classifier", "type",
    "download_url", "file_name", "1bad", "a b", "epoch",
};

static const char *const purl_gen_values[] = {
    "https://x.org/a%20b", "https://x.org/a", "a:b", "a+b", "a%2Bb", "a%26b", "", "1",
    "%C3%BC", "a=b", "x/y", "sha256:DEADbeef", "git+https://h.com/r.git%40v1", "i386",
    "%25", "a%23b", "a%3Fb", "ac24ea0c-1830-11e9-18d4-81f172323054",
};

static const char *const purl_gen_subpaths[] = {
    "a/b", "/a/b/", "a/../b", ".", "a%2Fb", "a:b", "%C3%BC/x", "googleapis/api/annotations",
    "a//b", "..", "src/asn1ct.erl", "a%20b", "NSData+zlib",
};

static const char *const purl_gen_schemes[] = {
    "pkg:", "pkg:", "pkg:", "pkg:", "pkg:", "pkg:", "PKG:", "pkg:/", "pkg://", "Pkg:",
};

static const char purl_gen_noise[] = "%@?#/&= :+.\\\"<>~_-A\x7f";

/* Write one generated purl into out (reset first). */
static inline void purl_gen_one(purl_gen *g, ct_buf *out)
{
    size_t nq, nns;

    ct_buf_reset(out);
    ct_buf_puts(out, PURL_GEN_PICK(g, purl_gen_schemes));
    ct_buf_puts(out, PURL_GEN_PICK(g, purl_gen_types));
    ct_buf_putc(out, '/');
    nns = purl_gen_below(g, 4);
    for (size_t i = 0; i < nns; i++) {
        ct_buf_puts(out, PURL_GEN_PICK(g, purl_gen_ns));
        ct_buf_putc(out, '/');
    }
    ct_buf_puts(out, PURL_GEN_PICK(g, purl_gen_names));
    if (purl_gen_below(g, 3)) {
        ct_buf_putc(out, '@');
        ct_buf_puts(out, PURL_GEN_PICK(g, purl_gen_versions));
    }
    nq = purl_gen_below(g, 5);
    if (nq > 2)
        nq -= 2; /* mostly 0-2 qualifiers */
    for (size_t i = 0; i < nq; i++) {
        ct_buf_putc(out, i ? '&' : '?');
        ct_buf_puts(out, PURL_GEN_PICK(g, purl_gen_keys));
        ct_buf_putc(out, '=');
        ct_buf_puts(out, PURL_GEN_PICK(g, purl_gen_values));
    }
    if (purl_gen_below(g, 4) == 0) {
        ct_buf_putc(out, '#');
        ct_buf_puts(out, PURL_GEN_PICK(g, purl_gen_subpaths));
    }
    /* One in five gets a random byte inserted or replaced. */
    if (purl_gen_below(g, 5) == 0 && out->len > 5 && !out->failed) {
        size_t at = 4 + purl_gen_below(g, out->len - 4);
        char c = purl_gen_noise[purl_gen_below(g, sizeof(purl_gen_noise) - 1)];
        if (purl_gen_below(g, 2)) {
            out->ptr[at] = c;
        } else {
            ct_buf_putc(out, out->ptr[out->len - 1]);
            memmove(out->ptr + at + 1, out->ptr + at, out->len - at - 2);
            out->ptr[at] = c;
        }
    }
}

#endif

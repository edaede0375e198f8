/* Differential test: seeded tricky version pairs per scheme (version_gen.h), compared by
 * cratrace and by the reference oracle (shared/oracles/vercmp, run with fork/exec and pipes):
 * deb, rpm, pypi, semver, npm, golang and gem must agree; maven must agree or differ only as one
 * of the documented MNG-7644 rules (maven_classify.h), anything else fails. Exit 77 when the
 * oracles are not installed. CT_ORACLE_PAIRS (default 2000), CT_ORACLE_SEED and
 * CT_ORACLE_SCHEMES (comma-separated subset) scale it; CT_ORACLE_VERBOSE=1 prints every
 * explained pair with its rule. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cratrace/version.h"

#ifndef CT_SHARED_DIR
#define CT_SHARED_DIR "../shared"
#endif

#include "maven_classify.h"
#include "version_gen.h"

static void put(ct_buf *b, const char *s)
{
    (void)ct_buf_puts(b, s);
}

typedef struct scheme_case {
    const char *scheme;
    /* 1 when the pair lies outside the oracle's documented domain (node-semver's limits); such
     * pairs are counted and reported, never asserted. NULL: every pair is asserted. */
    bool (*outside)(const char *a, size_t alen, const char *b, size_t blen);
    /* Append the text the oracle gets for v (NULL: v itself); used for documented syntax
     * supersets, e.g. npm's loose "=" prefix, so the remaining version is still compared. */
    bool (*to_oracle)(ct_buf *out, const char *v, size_t len);
    /* Name the documented rule (1 .. nrules-1) that explains a disagreement where cratrace
     * answered `mine` and the oracle `want`; 0: unexplained, the pair fails. NULL: every
     * disagreement fails. */
    int (*explain)(const char *a, size_t alen, const char *b, size_t blen, int mine, int want);
    const char *const *rule_names;
    size_t nrules;
} scheme_case;

/* A maximal digit run above 2^53-1: node-semver rejects it in MAJOR.MINOR.PATCH and compares
 * it as a rounded double in a pre-release (README "semver / npm"); SemVer 2.0.0 has no limit. */
static bool has_unsafe_number(const char *s, size_t n)
{
    static const char max_safe[] = "9007199254740991";
    for (size_t i = 0; i < n;) {
        if (s[i] < '0' || s[i] > '9') {
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && s[j] >= '0' && s[j] <= '9')
            j++;
        size_t k = i;
        while (k + 1 < j && s[k] == '0')
            k++;
        if (j - k > sizeof max_safe - 1 ||
            (j - k == sizeof max_safe - 1 && memcmp(s + k, max_safe, j - k) > 0))
            return true;
        i = j;
    }
    return false;
}

static bool semver_outside(const char *a, size_t alen, const char *b, size_t blen)
{
    return alen > 256 || blen > 256 || has_unsafe_number(a, alen) || has_unsafe_number(b, blen);
}

static bool npm_outside(const char *a, size_t alen, const char *b, size_t blen)
{
    return has_unsafe_number(a, alen) || has_unsafe_number(b, blen);
}

static bool is_js_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* cratrace's npm accepts node-semver's loose prefix ([blank v =]*, e.g. "=1.2.3", "vv1") where
 * the default parser takes only blanks and one "v": send the oracle the version after it. */
static bool npm_to_oracle(ct_buf *out, const char *v, size_t len)
{
    size_t i = 0, vs = 0;
    bool loose = false;
    if (len > 256)
        return false;
    while (i < len && (is_js_blank(v[i]) || v[i] == 'v' || v[i] == '=')) {
        if (v[i] == '=' || (v[i] == 'v' && vs++) || (vs && is_js_blank(v[i])))
            loose = true;
        i++;
    }
    if (!loose)
        return false;
    (void)ct_buf_put(out, v + i, len - i);
    return true;
}

/* cratrace parses Maven versions as Maven <= 3.8.6 (the vers-spec maven vectors), the oracle
 * is 3.8.7, which has MNG-7644: a disagreement passes only when maven_classify() reproduces
 * both answers and names the MNG-7644 rule behind it (docs/ecosystems.md). */
static int maven_explain(const char *a, size_t alen, const char *b, size_t blen, int mine,
                         int want)
{
    return (int)maven_classify(a, alen, b, blen, mine, want).rule;
}

/* Every scheme here must agree with its oracle exactly. */
static const scheme_case gens[] = {
    { "deb", NULL, NULL, NULL, NULL, 0 },
    { "rpm", NULL, NULL, NULL, NULL, 0 },
    { "pypi", NULL, NULL, NULL, NULL, 0 },
    { "semver", semver_outside, NULL, NULL, NULL, 0 },
    { "npm", npm_outside, npm_to_oracle, NULL, NULL, 0 },
    { "golang", NULL, NULL, NULL, NULL, 0 },
    { "gem", NULL, NULL, NULL, NULL, 0 },
};
/* Asserted too, disagreements only as documented rules; seeds seed + 100 + k as before. */
static const scheme_case with_rules[] = {
    { "maven", NULL, NULL, maven_explain, maven_rule_names, MVN_RULE_COUNT },
};

static const version_gen_scheme *gen_for(const char *scheme)
{
    for (size_t k = 0; k < CT_NELEM(version_gen_schemes); k++)
        if (strcmp(version_gen_schemes[k].scheme, scheme) == 0)
            return &version_gen_schemes[k];
    return NULL;
}

/* Run the oracle: feed `in`, collect stdout into `out`. fork/exec + poll, no shell. */
static int run_oracle(ct_buf *out, const char *scheme, const ct_buf *in)
{
    int to[2], from[2];
    if (pipe(to) < 0 || pipe(from) < 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        dup2(to[0], 0);
        dup2(from[1], 1);
        close(to[0]);
        close(to[1]);
        close(from[0]);
        close(from[1]);
        char *const argv[] = { (char *)CT_SHARED_DIR "/oracles/vercmp", (char *)scheme, NULL };
        execv(argv[0], argv);
        _exit(127);
    }
    close(to[0]);
    close(from[1]);
    size_t off = 0;
    bool open_in = true;
    for (;;) {
        struct pollfd p[2] = { { from[0], POLLIN, 0 }, { open_in ? to[1] : -1, POLLOUT, 0 } };
        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (open_in && (p[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
            size_t chunk = in->len - off < 4096 ? in->len - off : 4096;
            ssize_t w = chunk ? write(to[1], in->ptr + off, chunk) : 0;
            if (w > 0)
                off += (size_t)w;
            if (w < 0 || off >= in->len) {
                close(to[1]);
                open_in = false;
            }
        }
        if (p[0].revents & (POLLIN | POLLHUP)) {
            char buf[8192];
            ssize_t r = read(from[0], buf, sizeof buf);
            if (r <= 0)
                break;
            if (ct_buf_put(out, buf, (size_t)r) < 0)
                break;
        }
    }
    if (open_in)
        close(to[1]);
    close(from[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static unsigned check_scheme(const scheme_case *sc, size_t pairs, uint64_t seed)
{
    const version_gen_scheme *g = gen_for(sc->scheme);
    ct_buf in = CT_BUF_INIT, out = CT_BUF_INIT, a = CT_BUF_INIT, bb = CT_BUF_INIT;
    ct_buf mine = CT_BUF_INIT; /* the pairs as cratrace gets them */
    unsigned bad = 0;
    size_t outside = 0, rewritten = 0, explained = 0, by_rule[16] = { 0 };
    bool verbose = getenv("CT_ORACLE_VERBOSE") && strcmp(getenv("CT_ORACLE_VERBOSE"), "1") == 0;
    version_gen vg;

    version_gen_seed(&vg, seed);
    for (size_t i = 0; i < pairs; i++) {
        version_gen_pair(&vg, g, &a, &bb);
        put(&mine, a.ptr);
        put(&mine, "\t");
        put(&mine, bb.ptr);
        put(&mine, "\n");
        bool ra = sc->to_oracle && sc->to_oracle(&in, a.ptr, a.len);
        if (!ra)
            put(&in, a.ptr);
        put(&in, "\t");
        bool rb = sc->to_oracle && sc->to_oracle(&in, bb.ptr, bb.len);
        if (!rb)
            put(&in, bb.ptr);
        put(&in, "\n");
        rewritten += ra || rb;
    }
    if (run_oracle(&out, sc->scheme, &in) < 0) {
        fprintf(stderr, "%s: oracle failed\n", sc->scheme);
        bad = 1;
        goto done;
    }
    const char *ip = mine.ptr, *op = out.ptr, *oend = out.ptr + out.len;
    for (size_t i = 0; i < pairs; i++) {
        const char *tab = strchr(ip, '\t'), *nl = strchr(ip, '\n');
        const char *onl = op < oend ? memchr(op, '\n', (size_t)(oend - op)) : NULL;
        if (!tab || !nl || !onl) {
            fprintf(stderr, "%s: short oracle output at pair %zu\n", sc->scheme, i);
            bad++;
            break;
        }
        size_t alen = (size_t)(tab - ip), blen = (size_t)(nl - tab - 1);
        if (sc->outside && sc->outside(ip, alen, tab + 1, blen)) {
            outside++;
        } else {
            int cmp = 0, rc = ct_version_compare_n(&cmp, sc->scheme, ip, alen, tab + 1, blen);
            bool oerr = strncmp(op, "ERR", 3) == 0;
            int want = oerr ? 0 : (int)strtol(op, NULL, 10);
            int rule = 0;
            if (rc >= 0 && !oerr && cmp != want && sc->explain)
                rule = sc->explain(ip, alen, tab + 1, blen, cmp, want);
            if (rule > 0 && (size_t)rule < sc->nrules && (size_t)rule < CT_NELEM(by_rule)) {
                explained++;
                by_rule[rule]++;
                if (verbose)
                    printf("%s: '%.*s' vs '%.*s': oracle %d, cratrace %d: %s\n", sc->scheme,
                           (int)alen, ip, (int)blen, tab + 1, want, cmp, sc->rule_names[rule]);
            } else if ((rc < 0) != oerr || (!oerr && cmp != want)) {
                if (bad < 20)
                    fprintf(stderr, "%s: '%.*s' vs '%.*s': oracle %.*s, cratrace %s%d\n",
                            sc->scheme, (int)alen, ip, (int)blen, tab + 1, (int)(onl - op), op,
                            rc < 0 ? "error " : "", rc < 0 ? rc : cmp);
                bad++;
            }
        }
        ip = nl + 1;
        op = onl + 1;
    }
    printf("%-8s %zu pairs, %u %sdisagreements (seed %llu)", sc->scheme, pairs, bad,
           sc->explain ? "unexplained " : "", (unsigned long long)seed);
    if (outside)
        printf("; %zu outside the oracle's documented domain, not compared", outside);
    if (rewritten)
        printf("; %zu with the loose prefix given to the oracle without it", rewritten);
    if (sc->explain)
        printf("; %zu explained by documented rules", explained);
    printf("\n");
    for (size_t r = 1; r < sc->nrules && r < CT_NELEM(by_rule); r++)
        if (by_rule[r])
            printf("  %6zu  %s\n", by_rule[r], sc->rule_names[r]);
done:
    ct_buf_dispose(&in);
    ct_buf_dispose(&out);
    ct_buf_dispose(&mine);
    ct_buf_dispose(&a);
    ct_buf_dispose(&bb);
    return bad;
}

static bool oracles_installed(void)
{
    struct stat st;
    char path[4096];
    const char *home = getenv("ORACLES_HOME");
    if (home && *home) {
        snprintf(path, sizeof path, "%s/stamp", home);
        return stat(path, &st) == 0;
    }
    home = getenv("HOME");
    if (!home)
        return false;
    snprintf(path, sizeof path, "%s/.cache/cratrace-oracles/stamp", home);
    return stat(path, &st) == 0;
}

int main(void)
{
    const char *np = getenv("CT_ORACLE_PAIRS"), *ns = getenv("CT_ORACLE_SEED");
    size_t pairs = np ? (size_t)strtoull(np, NULL, 10) : 2000;
    uint64_t seed = ns ? strtoull(ns, NULL, 10) : 20240611;
    unsigned bad = 0;
    if (!oracles_installed()) {
        printf("skip: oracles not installed ($ORACLES_HOME/stamp or "
               "~/.cache/cratrace-oracles/stamp)\n");
        return 77;
    }
    const char *only = getenv("CT_ORACLE_SCHEMES");
    for (size_t k = 0; k < CT_NELEM(gens); k++)
        if (!only || strstr(only, gens[k].scheme))
            bad += check_scheme(&gens[k], pairs, seed + k);
    for (size_t k = 0; k < CT_NELEM(with_rules); k++)
        if (!only || strstr(only, with_rules[k].scheme))
            bad += check_scheme(&with_rules[k], pairs, seed + 100 + k);
    return bad ? 1 : 0;
}

/* Differential test of ct_purl_parse + ct_purl_format against the purl oracle
 * (shared/oracles/purl, packageurl-js), fed by the seeded generator in purl_gen.h through
 * fork/exec and pipes. Each disagreement must fall into a documented class (docs/
 * identifiers.md, "Differences from packageurl-js"); anything else fails the run.
 * Skips (77) when no oracle install stamp is found.
 * CT_PURL_ORACLE_COUNT (default 3000) and CT_PURL_ORACLE_SEED (default 1) size the run;
 * CT_PURL_ORACLE_VERBOSE=1 prints up to 3 examples per class. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cratrace/base.h"
#include "cratrace/ident.h"
#include "purl_gen.h"

#ifndef CT_SHARED_DIR
#define CT_SHARED_DIR "../shared"
#endif
#define ORACLE CT_SHARED_DIR "/oracles/purl"

/* ---- classes of (dis)agreement ------------------------------------------------------------- */

#define CLASS_MAP(X)                                                                              \
    X(SAME, "same canonical string")                                                            \
    X(BOTH_ERR, "both reject")                                                                  \
    X(ENC_COLON, "oracle percent-encodes ':' (current spec keeps it literal)")                 \
    X(ENC_TILDE, "oracle percent-encodes '~' in qualifier values (unreserved: kept)")          \
    X(ENC_TYPE, "oracle percent-encodes '+' in the type (the type is never encoded)")          \
    X(ENC_PLUS_VERSION, "oracle leaves '+' literal in the version (spec: %2B)")                \
    X(PLUS_AS_SPACE, "oracle decodes '+' as a space in qualifier values (form encoding)")      \
    X(TYPE_CASE, "type definition makes a component case-insensitive; oracle keeps case")      \
    X(NPM_CASE, "oracle lowercases npm namespace/name; current npm definition is case-sensitive") \
    X(SUBPATH_DOTS, "oracle keeps '.' / '..' subpath segments (spec: discard them)")           \
    X(GIT_SPLIT, "git: namespace is the host only, the rest of the path is the name")         \
    X(TRIMMED, "oracle trims blanks around components; we keep/encode or reject them")       \
    X(ENC_JS, "oracle leaves !'()* unencoded (JavaScript encodeURIComponent); spec encodes") \
    X(PUB_NAME, "pub: we normalise name characters to '_' (definition); oracle rejects")       \
    X(COMBINED, "several of the classes above at once (case, blanks, '+' as space)")          \
    X(ENCODED_TYPE, "we reject a percent-encoded type (never encoded); oracle decodes it")     \
    X(ORACLE_CRASH, "oracle throws an internal error ('throws is not defined')")               \
    X(ORACLE_VERSION_REQUIRED, "oracle requires a version for cran/swift (older rule)")         \
    X(AT_BEFORE_SLASH, "oracle takes a version containing '/'; ours is after the last '/'")    \
    X(NS_EMPTY_SEGMENTS, "namespace segment handling (empty / '.' / '..')")                    \
    X(TYPE_RULES, "we apply type rules (namespace required/prohibited, required qualifiers)")   \
    X(SLASH_IN_SEGMENT, "we reject a segment containing '/' once decoded (spec: shall not)")   \
    X(DUP_KEY, "we reject duplicate qualifier keys (spec: keys unique); oracle: last wins")    \
    X(QUAL_NO_EQ, "we reject a qualifier without '='; oracle drops it")                        \
    X(BAD_KEY, "we reject an invalid key even with an empty value; oracle drops the pair")     \
    X(MISSING_NAME, "we read 'ns/@1.0' as an empty name (must fail); oracle: name '@1.0'")     \
    X(BAD_ESCAPE, "we reject bad escapes and invalid UTF-8; oracle substitutes U+FFFD")        \
    X(ORACLE_DECODE, "oracle fails to decode some valid %XX (it decodes '%25' twice)")         \
    X(TRAILING_SLASH, "we strip a '/' before '?'/'#'/end ('pkg:t/ns/name/'); oracle: no name") \
    X(ORACLE_OTHER_REJECT, "oracle rejects, reason checked by hand (see docs)")                \
    X(UNEXPLAINED, "UNEXPLAINED")

enum {
#define X_(id, text) C_##id,
    CLASS_MAP(X_)
#undef X_
        C_COUNT
};

static const char *const class_text[] = {
#define X_(id, text) text,
    CLASS_MAP(X_)
#undef X_
};
static const char *const class_name[] = {
#define X_(id, text) #id,
    CLASS_MAP(X_)
#undef X_
};

/* ---- running the oracle ------------------------------------------------------------------- */

static bool file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* The ORACLES_HOME holding a valid install stamp, or NULL. Writes into buf. */
static const char *oracle_home(char *buf, size_t n)
{
    const char *env = getenv("ORACLES_HOME"), *home = getenv("HOME");
    if (env && *env) {
        snprintf(buf, n, "%s/stamp", env);
        if (file_exists(buf)) {
            snprintf(buf, n, "%s", env);
            return buf;
        }
    }
    if (home && *home) {
        snprintf(buf, n, "%s/.cache/cratrace-oracles/stamp", home);
        if (file_exists(buf)) {
            snprintf(buf, n, "%s/.cache/cratrace-oracles", home);
            return buf;
        }
    }
    return NULL;
}

/* Feed input to the oracle on stdin and collect its stdout into out; returns its exit status
 * or -1. poll() on both pipes so neither side blocks on a full pipe. */
static int run_oracle(ct_buf *out, const char *home, const char *input, size_t len)
{
    int to[2], from[2], status = -1;
    pid_t pid;
    size_t off = 0;
    char chunk[65536];

    if (pipe(to) < 0 || pipe(from) < 0)
        return -1;
    pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        char *const argv[] = { (char *)(uintptr_t)ORACLE, NULL };
        dup2(to[0], 0);
        dup2(from[1], 1);
        close(to[0]);
        close(to[1]);
        close(from[0]);
        close(from[1]);
        setenv("ORACLES_HOME", home, 1);
        execv(ORACLE, argv);
        _exit(127);
    }
    close(to[0]);
    close(from[1]);
    fcntl(to[1], F_SETFL, fcntl(to[1], F_GETFL) | O_NONBLOCK);
    signal(SIGPIPE, SIG_IGN);
    for (;;) {
        struct pollfd fds[2] = { { from[0], POLLIN, 0 }, { to[1], POLLOUT, 0 } };
        nfds_t nfds = to[1] >= 0 ? 2 : 1;
        if (poll(fds, nfds, 120000) <= 0)
            break;
        if (nfds == 2 && (fds[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
            ssize_t w = write(to[1], input + off, len - off > 65536 ? 65536 : len - off);
            if (w > 0)
                off += (size_t)w;
            if (off == len || (w < 0 && errno != EAGAIN)) {
                close(to[1]);
                to[1] = -1;
            }
        }
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t r = read(from[0], chunk, sizeof(chunk));
            if (r <= 0)
                break;
            ct_buf_put(out, chunk, (size_t)r);
        }
    }
    if (to[1] >= 0)
        close(to[1]);
    close(from[0]);
    if (waitpid(pid, &status, 0) < 0)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* ---- comparing one case ------------------------------------------------------------------- */

static const char *jstr(json_object *o, const char *key)
{
    json_object *v = NULL;
    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

/* As jstr, with "" read as absent (the oracle reports empty components as ""). */
static const char *jcomp(json_object *o, const char *key)
{
    const char *s = jstr(o, key);
    return s && *s ? s : NULL;
}

/* ours equals theirs once blanks around ours are dropped. */
static bool eq_trimmed(const char *ours, const char *theirs)
{
    size_t n;
    if (!ours || !theirs)
        return false;
    while (*ours == ' ' || *ours == '\t')
        ours++;
    n = strlen(ours);
    while (n && (ours[n - 1] == ' ' || ours[n - 1] == '\t'))
        n--;
    return strlen(theirs) == n && memcmp(ours, theirs, n) == 0;
}

/* git: does ns + "/" + name on both sides name the same path (ASCII case-insensitively)? */
static bool same_git_path(const ct_purl *p, const char *ns, const char *name)
{
    ct_buf a = CT_BUF_INIT, b = CT_BUF_INIT;
    bool same;
    if (p->namespace_)
        ct_buf_printf(&a, "%s/", p->namespace_);
    ct_buf_puts(&a, p->name);
    if (ns)
        ct_buf_printf(&b, "%s/", ns);
    ct_buf_puts(&b, name ? name : "");
    same = !a.failed && !b.failed && ct_ascii_casecmp(a.ptr, b.ptr) == 0;
    ct_buf_dispose(&a);
    ct_buf_dispose(&b);
    return same;
}

static bool eq(const char *a, const char *b)
{
    return (!a || !b) ? a == b : strcmp(a, b) == 0;
}

static bool eq_nocase(const char *a, const char *b)
{
    return (!a || !b) ? a == b : ct_ascii_casecmp(a, b) == 0;
}

/* a equals b once every '+' in a is read as ' '. */
static bool eq_plus_space(const char *ours, const char *theirs)
{
    if (!ours || !theirs)
        return ours == theirs;
    for (; *ours && *theirs; ours++, theirs++)
        if (*ours != *theirs && !(*ours == '+' && *theirs == ' '))
            return false;
    return *ours == *theirs;
}

static bool lowered_by_type(const char *type)
{
    static const char *const t[] = { "brew", "luarocks", "vscode-extension", "yocto", "git",
                                     "hex", "bitbucket", "github", "composer", "apk", "deb",
                                     "alpm", "qpkg", "rpm", "oci", "pub", "bitnami", "otp",
                                     "chrome-extension", "huggingface", "pypi", "mlflow" };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        if (type && strcmp(type, t[i]) == 0)
            return true;
    return false;
}

/* Replace every occurrence of from (3 chars, "%XX") with to in s, in place. */
static void replace_escape(char *s, const char *from, char to)
{
    char *w = s;
    for (const char *r = s; *r;) {
        if (r[0] == from[0] && r[1] && ct_ascii_lower(r[1]) == ct_ascii_lower(from[1]) && r[2] &&
            ct_ascii_lower(r[2]) == ct_ascii_lower(from[2])) {
            *w++ = to;
            r += 3;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
}

/* Both accepted with equal components: explain a different canonical string by encoding. */
static int explain_encoding(const char *ours, const char *theirs)
{
    char *t = ct_strdup(theirs);
    int cls = C_UNEXPLAINED;
    if (!t)
        return C_UNEXPLAINED;
    replace_escape(t, "%3A", ':');
    if (strcmp(t, ours) == 0) {
        cls = C_ENC_COLON;
        goto done;
    }
    replace_escape(t, "%7E", '~');
    if (strcmp(t, ours) == 0) {
        cls = C_ENC_TILDE;
        goto done;
    }
    {
        char *o = ct_strdup(ours);
        if (o) {
            static const char *const js[] = { "%21", "%27", "%28", "%29", "%2A" };
            for (size_t i = 0; i < sizeof(js) / sizeof(js[0]); i++)
                replace_escape(o, js[i], js[i][2] == '1' ? '!' : js[i][2] == '7' ? '\''
                                          : js[i][2] == '8' ? '(' : js[i][2] == '9' ? ')' : '*');
            if (strcmp(t, o) == 0)
                cls = C_ENC_JS;
            ct_free(o);
            if (cls != C_UNEXPLAINED)
                goto done;
        }
    }
    replace_escape(t, "%2B", '+'); /* type, and '+' elsewhere compared below */
    {
        char *o = ct_strdup(ours);
        if (o) {
            replace_escape(o, "%2B", '+');
            if (strcmp(t, o) == 0)
                cls = strstr(theirs, "%2B") && !strchr(theirs, '+') ? C_ENC_TYPE
                                                                    : C_ENC_PLUS_VERSION;
            ct_free(o);
        }
    }
done:
    ct_free(t);
    return cls;
}

static int classify_components1(const ct_purl *p, json_object *j);

/* s trimmed of blanks, ASCII-lowercased, '+' read as ' ' when plus_space; NEW or NULL. */
static char *fold(const char *s, bool plus_space)
{
    ct_buf b = CT_BUF_INIT;
    size_t n;
    if (!s)
        return NULL;
    for (; *s == ' ' || (plus_space && *s == '+'); s++) {
    }
    n = strlen(s);
    while (n && (s[n - 1] == ' ' || (plus_space && s[n - 1] == '+')))
        n--;
    for (size_t i = 0; i < n; i++)
        ct_buf_putc(&b, plus_space && s[i] == '+' ? ' ' : ct_ascii_lower(s[i]));
    return ct_buf_detach(&b);
}

static bool eq_folded(const char *ours, const char *theirs, bool plus_space)
{
    char *a = fold(ours, plus_space), *b = fold(theirs, false);
    bool same = (!a || !b) ? (!(a && *a) && !(b && *b)) : strcmp(a, b) == 0;
    ct_free(a);
    ct_free(b);
    return same;
}

/* Subpath as the spec reads it: segments split on '/', empty, '.' and '..' dropped. */
static bool eq_subpath_dots(const char *ours, const char *theirs)
{
    ct_buf b = CT_BUF_INIT;
    bool same;
    for (const char *s = theirs; s && *s;) {
        size_t n = strcspn(s, "/");
        if (n && !(n == 1 && s[0] == '.') && !(n == 2 && s[0] == '.' && s[1] == '.')) {
            if (b.len)
                ct_buf_putc(&b, '/');
            ct_buf_put(&b, s, n);
        }
        s += n;
        if (*s)
            s++;
    }
    same = b.len ? eq(ours, b.ptr) : !ours;
    ct_buf_dispose(&b);
    return same;
}

/* s without blanks; NEW. */
static char *unblank(const char *s)
{
    ct_buf b = CT_BUF_INIT;
    for (; s && *s; s++)
        if (*s != ' ')
            ct_buf_putc(&b, *s);
    ct_buf_putc(&b, '\0');
    return ct_buf_detach(&b);
}

static bool combined(const ct_purl *p, json_object *j)
{
    json_object *q = NULL;
    char *ours_sub = p->subpath ? unblank(p->subpath) : NULL;
    char *theirs_sub = jcomp(j, "subpath") ? unblank(jcomp(j, "subpath")) : NULL;
    ct_buf norm = CT_BUF_INIT;
    bool sub_ok, path_ok;

    for (const char *c = ours_sub; c && *c;) { /* ours, blank segments dropped */
        size_t n = strcspn(c, "/");
        if (n) {
            if (norm.len)
                ct_buf_putc(&norm, '/');
            ct_buf_put(&norm, c, n);
        }
        c += n;
        if (*c)
            c++;
    }
    sub_ok = eq_subpath_dots(norm.len ? norm.ptr : NULL, theirs_sub);
    ct_buf_dispose(&norm);
    ct_free(ours_sub);
    ct_free(theirs_sub);
    if (strcmp(p->type, "pub") == 0 && jstr(j, "name")) { /* '_' for a blank the oracle trims */
        size_t n = strlen(jstr(j, "name"));
        path_ok = strncmp(p->name, jstr(j, "name"), n) == 0 &&
                  strspn(p->name + n, "_") == strlen(p->name + n);
    } else if (strcmp(p->type, "git") == 0) {
        ct_buf a = CT_BUF_INIT, b = CT_BUF_INIT;
        ct_buf_printf(&a, "%s/%s", p->namespace_ ? p->namespace_ : "", p->name);
        ct_buf_printf(&b, "%s/%s", jcomp(j, "namespace") ? jcomp(j, "namespace") : "",
                      jstr(j, "name") ? jstr(j, "name") : "");
        {
            char *x = unblank(a.ptr), *y = unblank(b.ptr);
            path_ok = x && y && ct_ascii_casecmp(x, y) == 0;
            ct_free(x);
            ct_free(y);
        }
        ct_buf_dispose(&a);
        ct_buf_dispose(&b);
    } else {
        path_ok = eq_folded(p->namespace_, jcomp(j, "namespace"), false) &&
                  eq_folded(p->name, jstr(j, "name"), false);
    }
    if (!path_ok || !eq_folded(p->version, jcomp(j, "version"), false) || !sub_ok)
        return false;
    if (!json_object_object_get_ex(j, "qualifiers", &q) || !json_object_is_type(q, json_type_object))
        return p->nqualifiers == 0;
    for (size_t i = 0; i < p->nqualifiers; i++) {
        const char *ours = p->qualifiers[i].value, *theirs = jstr(q, p->qualifiers[i].key);
        size_t n = theirs ? strlen(theirs) : 0;
        if (eq_folded(ours, theirs, true))
            continue;
        /* "a%2B+": the '+' read as a blank and trimmed, the decoded one kept */
        if (theirs && strncmp(ours, theirs, n) == 0 && strspn(ours + n, "+ ") == strlen(ours + n))
            continue;
        if (theirs && strlen(ours) >= n && strcmp(ours + strlen(ours) - n, theirs) == 0 &&
            strspn(ours, "+ ") >= strlen(ours) - n)
            continue;
        return false;
    }
    return true;
}

static int classify_components(const ct_purl *p, json_object *j)
{
    int cls = classify_components1(p, j);
    return cls == C_UNEXPLAINED && combined(p, j) ? C_COMBINED : cls;
}

static int classify_components1(const ct_purl *p, json_object *j)
{
    json_object *q = NULL;
    const char *type = jstr(j, "type"), *ns = jcomp(j, "namespace"), *name = jstr(j, "name"),
               *ver = jcomp(j, "version"), *sub = jcomp(j, "subpath");
    size_t nq = 0;

    if (!eq(sub, p->subpath)) {
        if (eq_subpath_dots(p->subpath, sub))
            return C_SUBPATH_DOTS;
        return C_UNEXPLAINED;
    }
    if (ver && strchr(ver, '/') && !eq(ver, p->version))
        return C_AT_BEFORE_SLASH;
    if (!eq(type, p->type))
        return C_UNEXPLAINED;
    if (!eq(ns, p->namespace_) || !eq(name, p->name) || !eq(ver, p->version)) {
        if (strcmp(p->type, "git") == 0 && eq(ver, p->version) && same_git_path(p, ns, name))
            return C_GIT_SPLIT;
        if ((eq(ns, p->namespace_) || eq_trimmed(p->namespace_, ns)) &&
            (eq(name, p->name) || eq_trimmed(p->name, name)) &&
            (eq(ver, p->version) || eq_trimmed(p->version, ver)))
            return C_TRIMMED;
        if (eq_nocase(ns, p->namespace_) && eq_nocase(name, p->name) &&
            eq_nocase(ver, p->version)) {
            if (strcmp(p->type, "npm") == 0)
                return C_NPM_CASE;
            if (lowered_by_type(p->type))
                return C_TYPE_CASE;
        }
        if (ns && p->namespace_ && strcmp(p->type, "git") != 0 && eq(name, p->name))
            return C_NS_EMPTY_SEGMENTS;
        return C_UNEXPLAINED;
    }
    if (json_object_object_get_ex(j, "qualifiers", &q) && json_object_is_type(q, json_type_object))
        nq = (size_t)json_object_object_length(q);
    if (nq != p->nqualifiers)
        return C_UNEXPLAINED;
    for (size_t i = 0; i < p->nqualifiers; i++) {
        const char *v = jstr(q, p->qualifiers[i].key);
        if (eq(v, p->qualifiers[i].value))
            continue;
        if (eq_plus_space(p->qualifiers[i].value, v))
            return C_PLUS_AS_SPACE;
        if (eq_trimmed(p->qualifiers[i].value, v))
            return C_TRIMMED;
        return C_UNEXPLAINED;
    }
    return C_SAME; /* components agree: the caller looks at the encoding */
}

static int classify_we_reject(const char *input, const char *msg)
{
    if (strstr(msg, "invalid type") && strchr(input, ' '))
        return C_TRIMMED;
    if (strstr(msg, "invalid type") && strchr(input, '%'))
        return C_ENCODED_TYPE;
    static const struct {
        const char *needle;
        int cls;
    } map[] = {
        { "has no namespace", C_TYPE_RULES },
        { "requires a namespace", C_TYPE_RULES },
        { "lacks a required qualifier", C_TYPE_RULES },
        { "contains \"::\"", C_TYPE_RULES },
        { "channel qualifier", C_TYPE_RULES },
        { "extension id", C_TYPE_RULES },
        { "version is not 1-4 numbers", C_TYPE_RULES },
        { "'/' inside", C_SLASH_IN_SEGMENT },
        { "duplicate qualifier key", C_DUP_KEY },
        { "qualifier without '='", C_QUAL_NO_EQ },
        { "invalid qualifier key", C_BAD_KEY },
        { "missing name", C_MISSING_NAME },
        { "bad percent escape", C_BAD_ESCAPE },
        { "not UTF-8", C_BAD_ESCAPE },
        { "invalid UTF-8", C_BAD_ESCAPE },
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (strstr(msg, map[i].needle))
            return map[i].cls;
    return C_UNEXPLAINED;
}

static int classify_oracle_rejects(const char *input, const char *msg)
{
    const char *q = strpbrk(input, "?#");
    size_t n = q ? (size_t)(q - input) : strlen(input);
    if (strstr(msg, "unable to decode"))
        return C_ORACLE_DECODE;
    if (strstr(msg, "pub \"name\" component may only contain"))
        return C_PUB_NAME;
    if (strstr(msg, "throws is not defined"))
        return C_ORACLE_CRASH;
    if (strstr(msg, "requires a \"version\" component"))
        return C_ORACLE_VERSION_REQUIRED;
    if (strstr(msg, "\"name\" is a required component") && n && input[n - 1] == '/')
        return C_TRAILING_SLASH;
    if (strstr(msg, "\"name\" is a required component") || strstr(msg, "namespace"))
        return C_ORACLE_OTHER_REJECT;
    return C_UNEXPLAINED;
}

static int classify(const char *input, const char *oracle_line)
{
    ct_purl *p = NULL;
    ct_buf canon = CT_BUF_INIT;
    json_object *j = NULL;
    int rc = ct_purl_parse(&p, input, strlen(input)), cls;
    bool theirs_ok = strncmp(oracle_line, "ERR", 3) != 0;
    char msg[512];

    if (rc == 0)
        rc = ct_purl_format(&canon, p);
    snprintf(msg, sizeof(msg), "%s", rc < 0 ? ct_error_last()->message : "");
    if (rc < 0 && !theirs_ok) {
        cls = C_BOTH_ERR;
    } else if (rc < 0) {
        cls = classify_we_reject(input, msg);
    } else if (!theirs_ok) {
        cls = classify_oracle_rejects(input, oracle_line);
    } else if (!(j = json_tokener_parse(oracle_line))) {
        cls = C_UNEXPLAINED;
    } else if (eq(jstr(j, "canonical"), canon.ptr)) {
        cls = C_SAME;
    } else if ((cls = classify_components(p, j)) == C_SAME) {
        cls = explain_encoding(canon.ptr, jstr(j, "canonical") ? jstr(j, "canonical") : "");
    }
    json_object_put(j);
    ct_purl_free(p);
    ct_buf_dispose(&canon);
    return cls;
}

/* ---- the test ------------------------------------------------------------------------------ */

typedef struct run {
    char home[1024];
} run;

static void test_purl_oracle__generated(void **state)
{
    run *r = *state;
    const char *env_n = getenv("CT_PURL_ORACLE_COUNT"), *env_seed = getenv("CT_PURL_ORACLE_SEED");
    bool verbose = getenv("CT_PURL_ORACLE_VERBOSE") != NULL;
    size_t n = env_n ? (size_t)strtoul(env_n, NULL, 10) : 3000, counts[C_COUNT] = { 0 };
    uint64_t seed = env_seed ? strtoull(env_seed, NULL, 10) : 1;
    ct_buf input = CT_BUF_INIT, output = CT_BUF_INIT, one = CT_BUF_INIT;
    purl_gen g;
    char *line, *next;
    size_t i = 0, printed[C_COUNT] = { 0 };

    purl_gen_seed(&g, seed);
    for (i = 0; i < n; i++) {
        purl_gen_one(&g, &one);
        ct_buf_put(&input, one.ptr, one.len);
        ct_buf_putc(&input, '\n');
    }
    assert_false(input.failed);
    assert_int_equal(run_oracle(&output, r->home, input.ptr, input.len), 0);
    assert_false(output.failed);

    line = input.ptr;
    next = output.ptr;
    for (i = 0; i < n; i++) {
        char *in_nl = strchr(line, '\n'), *out_nl = strchr(next, '\n');
        int cls;
        assert_non_null(in_nl);
        if (!out_nl)
            fail_msg("oracle answered %zu of %zu lines", i, n);
        *in_nl = '\0';
        *out_nl = '\0';
        cls = classify(line, next);
        counts[cls]++;
        if ((verbose && cls != C_SAME && cls != C_BOTH_ERR && printed[cls] < 3) ||
            (cls == C_UNEXPLAINED && printed[cls] < 20)) {
            printed[cls]++;
            printf("  %s: %s\n      oracle: %.300s\n", class_name[cls], line, next);
        }
        line = in_nl + 1;
        next = out_nl + 1;
    }
    printf("purl oracle differential: %zu generated purls (seed %llu)\n", n,
           (unsigned long long)seed);
    for (int c = 0; c < C_COUNT; c++)
        if (counts[c])
            printf("  %7zu  %-20s %s\n", counts[c], class_name[c], class_text[c]);
    ct_buf_dispose(&input);
    ct_buf_dispose(&output);
    ct_buf_dispose(&one);
    assert_int_equal(counts[C_UNEXPLAINED], 0);
}

int main(void)
{
    static run r;
    if (!oracle_home(r.home, sizeof(r.home)) || !file_exists(ORACLE)) {
        printf("purl oracle not installed (no $ORACLES_HOME/stamp or "
               "~/.cache/cratrace-oracles/stamp); skipping\n");
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_prestate(test_purl_oracle__generated, &r),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

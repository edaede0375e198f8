/* Identifier and version tools: purl canon/parse, version cmp/contains (stdin batch modes). */
#include "cli.h"
#include "cratrace/ident.h"
#include "cratrace/version.h"

#include <stdio.h>
#include <string.h>

/* Read stdin line by line (any length) and call fn per line without its newline. */
static int each_line(int (*fn)(const char *line, size_t len, void *p), void *p)
{
    ct_buf line = CT_BUF_INIT;
    int c, rc = 0;
    for (;;) {
        c = getchar();
        if (c == EOF || c == '\n') {
            if (c == EOF && line.len == 0)
                break;
            if (line.len && line.ptr[line.len - 1] == '\r')
                line.ptr[--line.len] = '\0';
            if ((rc = fn(line.ptr, line.len, p)) < 0)
                break;
            ct_buf_reset(&line);
            if (c == EOF)
                break;
            continue;
        }
        if (ct_buf_putc(&line, (char)c) < 0) {
            rc = -1;
            break;
        }
    }
    ct_buf_dispose(&line);
    return rc;
}

static int canon_line(const char *s, size_t len, void *p)
{
    ct_purl *purl = NULL;
    ct_buf out = CT_BUF_INIT;
    (void)p;
    if (ct_purl_parse(&purl, s, len) < 0 || ct_purl_format(&out, purl) < 0)
        printf("ERR %s\n", ct_error_last()->message);
    else
        printf("%s\n", out.ptr);
    ct_purl_free(purl);
    ct_buf_dispose(&out);
    return 0;
}

static void json_or_null(ct_buf *b, const char *s)
{
    if (s)
        ct_buf_json_str(b, s);
    else
        ct_buf_puts(b, "null");
}

static int parse_line(const char *s, size_t len, void *p)
{
    ct_purl *u = NULL;
    ct_buf b = CT_BUF_INIT;
    (void)p;
    if (ct_purl_parse(&u, s, len) < 0) {
        printf("ERR %s\n", ct_error_last()->message);
        return 0;
    }
    ct_buf_puts(&b, "{\"type\":");
    json_or_null(&b, u->type);
    ct_buf_puts(&b, ",\"namespace\":");
    json_or_null(&b, u->namespace_);
    ct_buf_puts(&b, ",\"name\":");
    json_or_null(&b, u->name);
    ct_buf_puts(&b, ",\"version\":");
    json_or_null(&b, u->version);
    ct_buf_puts(&b, ",\"qualifiers\":");
    if (!u->nqualifiers) {
        ct_buf_puts(&b, "null");
    } else {
        ct_buf_putc(&b, '{');
        for (size_t i = 0; i < u->nqualifiers; i++) {
            if (i)
                ct_buf_putc(&b, ',');
            ct_buf_json_str(&b, u->qualifiers[i].key);
            ct_buf_putc(&b, ':');
            ct_buf_json_str(&b, u->qualifiers[i].value);
        }
        ct_buf_putc(&b, '}');
    }
    ct_buf_puts(&b, ",\"subpath\":");
    json_or_null(&b, u->subpath);
    ct_buf_putc(&b, '}');
    printf("%s\n", b.ptr);
    ct_buf_dispose(&b);
    ct_purl_free(u);
    return 0;
}

static int cmd_purl_canon(ct_cli_env *env, const ct_cli_args *a)
{
    (void)env;
    (void)a;
    return each_line(canon_line, NULL) < 0 ? CT_EXIT_STORE : 0;
}

static int cmd_purl_parse(ct_cli_env *env, const ct_cli_args *a)
{
    (void)env;
    (void)a;
    return each_line(parse_line, NULL) < 0 ? CT_EXIT_STORE : 0;
}

static const ct_cli_cmd purl_cmds[] = {
    { "canon", "< purls", "print the canonical form of each purl on stdin (or ERR message)", 0,
      0, NULL, cmd_purl_canon },
    { "parse", "< purls", "print each purl on stdin as JSON components (or ERR message)", 0, 0,
      NULL, cmd_purl_parse },
};
const ct_cli_group ct_cli_group_purl = { "purl", "identifiers", purl_cmds,
                                         CT_NELEM(purl_cmds) };

static int cmp_line(const char *s, size_t len, void *p)
{
    const char *scheme = p;
    const char *tab = memchr(s, '\t', len);
    int cmp;
    if (!tab) {
        printf("ERR expected A<TAB>B\n");
        return 0;
    }
    if (ct_version_compare_n(&cmp, scheme, s, (size_t)(tab - s), tab + 1,
                             len - (size_t)(tab - s) - 1) < 0)
        printf("ERR %s\n", ct_error_last()->message);
    else
        printf("%d\n", cmp < 0 ? -1 : cmp > 0);
    return 0;
}

static int cmd_version_cmp(ct_cli_env *env, const ct_cli_args *a)
{
    (void)env;
    if (!ct_version_scheme_known(a->pos[0])) {
        fprintf(stderr, "cratrace: unknown version scheme '%s'\n", a->pos[0]);
        return CT_EXIT_INPUT;
    }
    return each_line(cmp_line, (void *)(uintptr_t)a->pos[0]) < 0 ? CT_EXIT_STORE : 0;
}

static int cmd_version_contains(ct_cli_env *env, const ct_cli_args *a)
{
    ct_vers *v = NULL;
    bool hit;
    (void)env;
    if (ct_vers_parse(&v, a->pos[0], strlen(a->pos[0])) < 0)
        return ct_cli_fail("version contains");
    if (ct_vers_contains(&hit, v, a->pos[1], strlen(a->pos[1])) < 0) {
        ct_vers_free(v);
        return ct_cli_fail("version contains");
    }
    printf("%s\n", hit ? "true" : "false");
    ct_vers_free(v);
    return 0;
}

static const ct_cli_cmd version_cmds[] = {
    { "cmp", "SCHEME < pairs", "compare A<TAB>B lines on stdin: -1, 0, 1 or ERR message", 1, 1,
      NULL, cmd_version_cmp },
    { "contains", "VERS VERSION", "print true when VERSION is inside the vers range", 2, 2, NULL,
      cmd_version_contains },
    { "match", "SCHEME A OP B",
      "print true when A OP B holds; OP: < <= = >= >, apk also ~ <~ >~ (prefix match), ! negates",
      4, 4, NULL, ct_cli_version_match },
};
const ct_cli_group ct_cli_group_version = { "version", "versions", version_cmds,
                                            CT_NELEM(version_cmds) };

/* `version match SCHEME A OP B`: evaluate one comparison, apk's fuzzy operators included. */
#include "cli.h"
#include "cratrace/version.h"

#include <stdio.h>

int ct_cli_version_match(ct_cli_env *env, const ct_cli_args *a)
{
    bool hit = false;
    (void)env;
    if (ct_version_match(&hit, a->pos[0], a->pos[1], a->pos[2], a->pos[3]) < 0) {
        const ct_error *e = ct_error_last();
        if (e->code == CT_EINVAL) { /* the operator: a usage error */
            fprintf(stderr, "cratrace: version match: %s\n", e->message);
            return CT_EXIT_USAGE;
        }
        return ct_cli_fail("version match");
    }
    printf("%s\n", hit ? "true" : "false");
    return 0;
}

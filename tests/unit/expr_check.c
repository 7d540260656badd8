/* tests/unit/expr_check.c: shared by the expr test programs (expr_check.h). */
#include "config.h"

#include "expr_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "freightdeck/util.h"

int fd_test_expr_failures;

char *fd_test_expr_run(enum fd_expr_mode mode, const char *env_json, const char *src)
{
    fd_value *env = NULL, *out = NULL;
    struct fd_expr_error err;
    char *r;

    if (env_json) {
        json_error_t jerr;
        json_t *j = json_loads(env_json, JSON_DECODE_ANY, &jerr);
        ck_assert_msg(j != NULL, "bad test env %s: %s", env_json, jerr.text);
        env = fd_expr_env_from_json(j, mode);
        ck_assert_msg(env != NULL, "test env is not an object: %s", env_json);
        json_decref(j);
    }
    memset(&err, 0, sizeof(err));
    if (fd_expr_eval(src, strlen(src), mode, env, &out, &err) == 0) {
        r = fd_value_to_json_text(out);
        fd_value_unref(out);
    } else {
        ck_assert_ptr_null(out);
        r = fd_xasprintf("%s: %s", err.phase == FD_EXPR_PHASE_COMPILE ? "compile" : "run",
                         err.message);
    }
    fd_value_unref(env);
    return r;
}

void fd_test_expr_expect(enum fd_expr_mode mode, const char *env_json, const char *src,
                         const char *want)
{
    char *got = fd_test_expr_run(mode, env_json, src);

    if (strcmp(got, want) != 0) {
        fprintf(stderr, "# %s\n#   expected: %s\n#        got: %s\n", src, want, got);
        fd_test_expr_failures++;
    }
    free(got);
}

/* tests/fuzz/fuzz_expr_parse.c: compiles arbitrary bytes as an expression in
 * every mode (and runs what compiles): any input must give a program or an
 * error, never a crash, hang or leak. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "freightdeck/expr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static fd_value *env;

    if (!env) {
        /* A small env with every kind of value, reused across inputs. */
        json_t *j =
            json_loads("{\"a\": 1, \"f\": 1.5, \"s\": \"str\", \"b\": true, \"n\": null,"
                       " \"arr\": [1, 2.5, \"x\", null, {\"k\": [1]}],"
                       " \"m\": {\"k\": \"v\", \"x\": {\"y\": 2}}, \"result\": [0.97, 0.5]}",
                       0, NULL);
        env = fd_expr_env_from_json(j, FD_EXPR_MODE_EXPR);
        json_decref(j);
    }
    if (size > 4096)
        return 0;
    for (int mode = 0; mode < FD_EXPR_MODE__COUNT; mode++) {
        struct fd_expr_error err;
        fd_expr_program *p =
            fd_expr_compile((const char *)data, size, (enum fd_expr_mode)mode, env, &err);
        if (!p) {
            char *msg = fd_expr_error_format(&err, NULL);
            free(msg);
            continue;
        }
        fd_value *v = NULL;
        if (fd_expr_run(p, env, &v, &err) == 0) {
            char *text = fd_value_to_json_text(v);
            free(text);
        }
        fd_value_unref(v);
        fd_expr_program_free(p);
    }
    return 0;
}

/* tests/fuzz/fuzz_go_json.c: runs expr's fromJSON (src/expr/gojson.c, Go's
 * json.Unmarshal) on arbitrary bytes: any input must give a value or Go's
 * error, never a crash, hang or leak. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "freightdeck/expr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static fd_expr_program *prog;
    struct fd_expr_error err;

    if (!prog) {
        fd_value *env = fd_value_map_new();
        fd_value_map_set(env, "s", fd_value_string(""));
        prog = fd_expr_compile("fromJSON(s)", 11, FD_EXPR_MODE_EXPR, env, &err);
        fd_value_unref(env);
        if (!prog)
            abort();
    }
    if (size > 65536)
        return 0;
    /* the bytes as they are (NULs and invalid UTF-8 too) */
    json_t *j = json_object();
    json_object_set_new(j, "s", json_stringn_nocheck((const char *)data, size));
    fd_value *env = fd_value_from_json(j, false);
    json_decref(j);
    fd_value *v = NULL;
    if (fd_expr_run(prog, env, &v, &err) == 0) {
        char *text = fd_value_to_json_text(v);
        free(text);
    }
    fd_value_unref(v);
    fd_value_unref(env);
    return 0;
}

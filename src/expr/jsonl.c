/* expr/jsonl.c: the JSON side of `freightdeck eval`: env construction per
 * mode and the --jsonl line protocol, shared by the command and its fuzz
 * target. */
#include "config.h"

#include "freightdeck/expr.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* A Prometheus result: a number, or an array of numbers, becomes float64 /
 * []float64; anything else stays generic JSON. */
static struct fd_expr_val prometheus_result(const json_t *j)
{
    if (json_is_array(j)) {
        size_t n = json_array_size(j);
        double *f = fd_xcalloc(n ? n : 1, sizeof(*f));
        for (size_t i = 0; i < n; i++) {
            struct fd_expr_val v = fd_expr_from_json(json_array_get(j, i), true);
            if (v.kind != FD_VAL_FLOAT) {
                fd_expr_val_release(&v);
                free(f);
                return fd_expr_from_json(j, true);
            }
            f[i] = v.u.f;
        }
        struct fd_expr_val v = fd_expr_arr_float_new(f, n);
        free(f);
        return v;
    }
    return fd_expr_from_json(j, true);
}

fd_value *fd_expr_env_from_json(const json_t *json, enum fd_expr_mode mode)
{
    mode = (enum fd_expr_mode)((unsigned)mode & ~(unsigned)FD_EXPR_MODE_V1_15_BIT);
    bool argo = mode == FD_EXPR_MODE_ARGO || mode == FD_EXPR_MODE_ARGO_WEB;
    const char *key;
    size_t keylen;
    json_t *item;

    if (!json)
        return fd_value_map_new();
    if (!json_is_object(json))
        return NULL;
    struct fd_expr_val env = fd_expr_map_new(json_object_size(json));
    json_object_keylen_foreach((json_t *)(uintptr_t)json, key, keylen, item)
    {
        struct fd_expr_val v =
            mode == FD_EXPR_MODE_ARGO && keylen == 6 && memcmp(key, "result", 6) == 0
                ? prometheus_result(item)
                : fd_expr_from_json(item, argo);
        fd_expr_map_set(env, key, keylen, v);
    }
    return fd_expr_to_public(env);
}

/* The error as the peers' encoding/json writes it: a byte of invalid UTF-8
 * (a regexp's `invalid UTF-8` names the pattern's rest) as \ufffd. */
static char *error_line(const char *msg)
{
    struct fd_buf b = FD_BUF_INIT;

    fd_buf_puts(&b, "{\"ok\": false, \"error\": ");
    fd_go_json_string(&b, msg, strlen(msg), false);
    fd_buf_puts(&b, "}");
    return fd_buf_steal(&b);
}

char *fd_expr_jsonl_line(const char *line, size_t len)
{
    return fd_expr_jsonl_line_at(line, len, FD_EXPR_V1_17);
}

char *fd_expr_jsonl_line_at(const char *line, size_t len, enum fd_expr_version version)
{
    json_error_t jerr;
    json_t *in = json_loadb(line, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
    enum fd_expr_mode mode = FD_EXPR_MODE_EXPR;
    char *out;

    if (!in) {
        char *msg = fd_xasprintf("invalid input line: %s (column %d)", jerr.text, jerr.column);
        out = error_line(msg);
        free(msg);
        return out;
    }
    const json_t *expr = json_object_get(in, "expr"), *env = json_object_get(in, "env"),
                 *m = json_object_get(in, "mode");
    if (!json_is_object(in) || !json_is_string(expr)) {
        json_decref(in);
        return error_line("invalid input line: \"expr\" must be a string");
    }
    if (env && !json_is_object(env) && !json_is_null(env)) {
        json_decref(in);
        return error_line("invalid input line: \"env\" must be an object");
    }
    if (m && !json_is_null(m) &&
        (!json_is_string(m) || !fd_expr_mode_parse(json_string_value(m), &mode))) {
        json_decref(in);
        return error_line("invalid input line: \"mode\" must be one of expr, argo, argo-web, "
                          "kargo, kargo-template");
    }
    fd_value *envv = fd_expr_env_from_json(json_is_object(env) ? env : NULL, mode);
    struct fd_expr_error err;
    fd_value *v = NULL;
    const char *src = json_string_value(expr);
    if (fd_expr_eval(src, json_string_length(expr), fd_expr_mode_at(mode, version), envv, &v,
                     &err) == 0) {
        char *text = fd_value_to_json_text(v);
        out = fd_xasprintf("{\"ok\": true, \"value\": %s}", text);
        free(text);
    } else {
        char *msg = fd_expr_error_format(&err, src);
        out = error_line(msg);
        free(msg);
    }
    fd_value_unref(v);
    fd_value_unref(envv);
    json_decref(in);
    return out;
}

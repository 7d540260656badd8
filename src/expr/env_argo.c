/* expr/env_argo.c: the functions Argo Rollouts puts next to `result` in the
 * condition environment (utils/evaluate/evaluate.go): asInt, asFloat, isNaN,
 * isInf, and isNil/default, which ignore their argument and look at the
 * whole result. Their Go panics surface as run errors with Go's text. */
#include "config.h"

#include "builtins.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const struct fd_expr_bi_sig sig_any_int[] = {{1, {FD_P_ANY}, {FD_T_INT, FD_T_INT64}}};
static const struct fd_expr_bi_sig sig_any_float[] = {{1, {FD_P_ANY}, {FD_T_FLOAT, FD_T_ANY}}};
static const struct fd_expr_bi_sig sig_float_bool[] = {{1, {FD_P_FLOAT}, {FD_T_BOOL, FD_T_ANY}}};
static const struct fd_expr_bi_sig sig_any_bool[] = {{1, {FD_P_ANY}, {FD_T_BOOL, FD_T_ANY}}};
static const struct fd_expr_bi_sig sig_default[] = {
    {2, {FD_P_ANY, FD_P_ANY}, {FD_T_ANY, FD_T_ANY}}};

FD_BI_CHECK(fd_expr_bi_any1_int_check)
{
    return fd_expr_bi_check_sigs(tc, "asInt", sig_any_int, 1, args, nargs, ret);
}

FD_BI_CHECK(fd_expr_bi_any1_float_check)
{
    return fd_expr_bi_check_sigs(tc, "asFloat", sig_any_float, 1, args, nargs, ret);
}

/* isNaN and isInf: one check each, the message names the function.
 * v1.15.5's checker let a nil argument through to the call. */
static bool float_pred_check(struct fd_expr_tctx *tc, const char *name,
                             const struct fd_expr_type *args, size_t nargs,
                             struct fd_expr_type *ret)
{
    if (fd_expr_tctx_v115(tc) && nargs == 1 && args[0].kind == FD_T_NIL) {
        *ret = fd_expr_t(FD_T_BOOL);
        return true;
    }
    return fd_expr_bi_check_sigs(tc, name, sig_float_bool, 1, args, nargs, ret);
}

FD_BI_CHECK(fd_expr_bi_float_pred_check)
{
    return float_pred_check(tc, "isNaN", args, nargs, ret);
}

FD_BI_CHECK(fd_expr_bi_is_inf_check)
{
    return float_pred_check(tc, "isInf", args, nargs, ret);
}

FD_BI_CHECK(fd_expr_bi_is_nil_check)
{
    return fd_expr_bi_check_sigs(tc, "isNil", sig_any_bool, 1, args, nargs, ret);
}

FD_BI_CHECK(fd_expr_bi_default_check)
{
    return fd_expr_bi_check_sigs(tc, "default", sig_default, 1, args, nargs, ret);
}

/* fmt "%v %v" of reflect.TypeOf(in) and in, as the panic in asInt prints. */
static bool not_supported(struct fd_expr_ctx *ctx, const char *fn, struct fd_expr_val v)
{
    struct fd_buf b = FD_BUF_INIT;
    bool r;

    fd_expr_format(&b, v);
    r = fd_expr_fail(ctx, "%s() not supported on %s %s", fn, fd_expr_go_type(v), fd_buf_cstr(&b));
    fd_buf_free(&b);
    return r;
}

/* strconv.NumError text: strconv.ParseInt: parsing "x": invalid syntax */
static bool num_error(struct fd_expr_ctx *ctx, const char *fn, struct fd_expr_val s, bool range)
{
    struct fd_buf q = FD_BUF_INIT;
    bool r;

    fd_expr_bi_go_quote(&q, s.u.s->data, s.u.s->len);
    r = fd_expr_fail(ctx, "strconv.%s: parsing %s: %s", fn, fd_buf_cstr(&q),
                     range ? "value out of range" : "invalid syntax");
    fd_buf_free(&q);
    return r;
}

FD_BI_CALL(fd_expr_bi_as_int)
{
    struct fd_expr_val v = args[0];
    int64_t i;
    int rc;

    (void)nargs;
    switch (v.kind) {
    case FD_VAL_INT: /* utils/evaluate/evaluate.go asInt returns an int64 */
        if (fd_expr_named_int(v))
            return not_supported(ctx, "asInt", v);
        *out = fd_expr_tagged_int(v.u.i, FD_EXPR_TAG_INT64);
        return true;
    case FD_VAL_FLOAT:
        *out = fd_expr_tagged_int(fd_expr_bi_float_to_int(v.u.f), FD_EXPR_TAG_INT64);
        return true;
    case FD_VAL_STRING:
        rc = fd_expr_bi_parse_int(v.u.s->data, v.u.s->len, &i);
        if (rc != 0)
            return num_error(ctx, "ParseInt", v, rc == 2);
        *out = fd_expr_tagged_int(i, FD_EXPR_TAG_INT64);
        return true;
    default:
        return not_supported(ctx, "asInt", v);
    }
}

FD_BI_CALL(fd_expr_bi_as_float)
{
    struct fd_expr_val v = args[0];
    double f = 0;
    enum fd_go_parse rc;

    (void)nargs;
    switch (v.kind) {
    case FD_VAL_INT: /* its type switch knows no time.Month or time.Weekday */
        if (fd_expr_named_int(v))
            return not_supported(ctx, "asFloat", v);
        *out = fd_expr_float(fd_expr_int_double(v));
        return true;
    case FD_VAL_FLOAT:
        *out = v;
        return true;
    case FD_VAL_STRING:
        rc = fd_go_parse_float(v.u.s->data, v.u.s->len, &f);
        if (rc != FD_GO_PARSE_OK)
            return num_error(ctx, "ParseFloat", v, rc == FD_GO_PARSE_RANGE);
        *out = fd_expr_float(f);
        return true;
    default:
        return not_supported(ctx, "asFloat", v);
    }
}

/* A Go func(float64): the VM's fast call asserts its argument to float64
 * (both versions, as the peers show); the checker made the integer
 * literals of the argument floats (NF_TOFLOAT), no other int. */
static bool want_float(struct fd_expr_ctx *ctx, struct fd_expr_val v, double *f)
{
    if (v.kind == FD_VAL_FLOAT) {
        *f = fd_expr_num(v);
        return true;
    }
    return fd_expr_fail(ctx, "interface conversion: interface {} is %s, not float64",
                        v.kind == FD_VAL_NIL ? "nil" : fd_expr_go_type(v));
}

FD_BI_CALL(fd_expr_bi_is_nan)
{
    double f = 0;

    (void)nargs;
    if (!want_float(ctx, args[0], &f))
        return false;
    *out = fd_expr_bool(isnan(f));
    return true;
}

FD_BI_CALL(fd_expr_bi_is_inf)
{
    double f = 0;

    (void)nargs;
    if (!want_float(ctx, args[0], &f))
        return false;
    *out = fd_expr_bool(isinf(f));
    return true;
}

/* The metric result, whatever the condition passed in. */
static bool result_is_nil(struct fd_expr_ctx *ctx, struct fd_expr_val *result)
{
    if (!fd_expr_ctx_env(ctx, "result", result))
        *result = fd_expr_nil();
    return result->kind == FD_VAL_NIL;
}

FD_BI_CALL(fd_expr_bi_is_nil)
{
    struct fd_expr_val result;

    (void)args;
    (void)nargs;
    *out = fd_expr_bool(result_is_nil(ctx, &result));
    return true;
}

FD_BI_CALL(fd_expr_bi_default)
{
    struct fd_expr_val result;

    (void)nargs;
    *out = fd_expr_val_ref(result_is_nil(ctx, &result) ? args[1] : result);
    return true;
}

struct fd_expr_val fd_expr_argo_env(struct fd_expr_val env)
{
    size_t n = env.kind == FD_VAL_MAP ? env.u.m->len : 0;
    struct fd_expr_val out = fd_expr_map_new(n + 6);

    for (size_t i = 0; i < n; i++)
        fd_expr_map_set(out, env.u.m->e[i].key->data, env.u.m->e[i].key->len,
                        fd_expr_val_ref(env.u.m->e[i].val));
    for (const struct fd_expr_builtin *b = fd_expr_builtin_table; b->name; b++)
        if (b->modes == FD_EXPR_MODES_ARGO && b->receiver == FD_VAL_NIL)
            fd_expr_map_set(out, b->name, strlen(b->name), fd_expr_func_val(b));
    return out;
}

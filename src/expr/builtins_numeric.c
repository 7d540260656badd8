/* expr/builtins_numeric.c: abs, ceil, floor, round, int, float, max, min,
 * mean, median and the bit functions, with expr-lang v1.17.8's results and
 * messages (builtin/builtin.go, builtin/lib.go). */
#include "config.h"

#include "builtins.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A number by reflect.Kind, as the Validate functions judge (a
 * time.Duration is an Int64, a time.Month and a time.Weekday are Ints). */
static bool number_kind(struct fd_expr_type t)
{
    return t.kind == FD_T_INT || t.kind == FD_T_FLOAT || t.kind == FD_T_DURATION ||
           t.kind == FD_T_MONTH || t.kind == FD_T_WEEKDAY;
}

int64_t fd_expr_bi_float_to_int(double f)
{
    /* amd64 CVTTSD2SQ yields the "integer indefinite" value for NaN and out
     * of range, which is what Go's int(f) gives there. */
    if (isnan(f) || f >= 9223372036854775808.0 || f < -9223372036854775808.0)
        return INT64_MIN;
    return (int64_t)f;
}

/* ---- abs, ceil, floor, round -------------------------------------------------- */

FD_BI_CHECK(fd_expr_bi_abs_check)
{
    if (!fd_expr_bi_check_arity(tc, nargs, 1))
        return false;
    if (args[0].kind == FD_T_ANY || number_kind(args[0])) {
        *ret = args[0];
        return true;
    }
    return fd_expr_check_fail(tc, -1, "invalid argument for abs (type %s)", fd_expr_tname(args[0]));
}

FD_BI_CALL(fd_expr_bi_abs)
{
    (void)nargs;
    if (args[0].kind == FD_VAL_INT && !fd_expr_named_int(args[0])) {
        /* a type switch: each integer type answers its own (an int64 of
         * Argo's asInt stays one) */
        int64_t i = args[0].u.i;
        *out = args[0];
        if (!fd_expr_unsigned(args[0])) /* (a uint is its own absolute value) */
            out->u.i = i < 0 ? (int64_t)(0 - (uint64_t)i) : i;
        return true;
    }
    if (args[0].kind == FD_VAL_FLOAT) {
        double f = args[0].u.f;
        *out = fd_expr_float(f < 0 ? -f : f);
        return true;
    }
    return fd_expr_fail(ctx, "invalid argument for abs (type %s)", fd_expr_go_type(args[0]));
}

static bool round_check(struct fd_expr_tctx *tc, const char *name, const struct fd_expr_type *args,
                        size_t nargs, struct fd_expr_type *ret)
{
    if (!fd_expr_bi_check_arity(tc, nargs, 1))
        return false;
    if (args[0].kind == FD_T_ANY || number_kind(args[0])) {
        *ret = fd_expr_t(FD_T_FLOAT);
        return true;
    }
    return fd_expr_check_fail(tc, -1, "invalid argument for %s (type %s)", name,
                              fd_expr_tname(args[0]));
}

FD_BI_CHECK(fd_expr_bi_ceil_check)
{
    return round_check(tc, "ceil", args, nargs, ret);
}

FD_BI_CHECK(fd_expr_bi_floor_check)
{
    return round_check(tc, "floor", args, nargs, ret);
}

FD_BI_CHECK(fd_expr_bi_round_check)
{
    /* v1.15.5's round shared floor's validation, message included */
    return round_check(tc, fd_expr_tctx_v115(tc) ? "floor" : "round", args, nargs, ret);
}

static bool round_call(struct fd_expr_ctx *ctx, const char *name, double (*fn)(double),
                       struct fd_expr_val v, struct fd_expr_val *out)
{
    if (v.kind == FD_VAL_FLOAT) {
        *out = fd_expr_float(fn(v.u.f));
        return true;
    }
    if (v.kind == FD_VAL_INT && !fd_expr_named_int(v)) { /* a type switch */
        *out = fd_expr_float(fd_expr_int_double(v));
        return true;
    }
    return fd_expr_fail(ctx, "invalid argument for %s (type %s)", name, fd_expr_go_type(v));
}

FD_BI_CALL(fd_expr_bi_ceil)
{
    (void)nargs;
    return round_call(ctx, "ceil", ceil, args[0], out);
}

FD_BI_CALL(fd_expr_bi_floor)
{
    (void)nargs;
    return round_call(ctx, "floor", floor, args[0], out);
}

FD_BI_CALL(fd_expr_bi_round)
{
    (void)nargs;
    /* C round() is half away from zero, like Go's math.Round. */
    return round_call(ctx, "round", round, args[0], out);
}

/* ---- int, float ----------------------------------------------------------------- */

static bool conv_check(struct fd_expr_tctx *tc, const char *name, enum fd_expr_tkind result,
                       const struct fd_expr_type *args, size_t nargs, struct fd_expr_type *ret)
{
    if (!fd_expr_bi_check_arity(tc, nargs, 1))
        return false;
    /* time.Month and time.Weekday are ints to reflect: int() converts them,
     * float()'s runtime.ToFloat64 refuses them at run time */
    if (args[0].kind == FD_T_ANY || number_kind(args[0]) || args[0].kind == FD_T_STRING ||
        args[0].kind == FD_T_MONTH || args[0].kind == FD_T_WEEKDAY) {
        *ret = fd_expr_t(result);
        return true;
    }
    return fd_expr_check_fail(tc, -1, "invalid argument for %s (type %s)", name,
                              fd_expr_tname(args[0]));
}

FD_BI_CHECK(fd_expr_bi_int_check)
{
    return conv_check(tc, "int", FD_T_INT, args, nargs, ret);
}

FD_BI_CHECK(fd_expr_bi_float_check)
{
    return conv_check(tc, "float", FD_T_FLOAT, args, nargs, ret);
}

FD_BI_CALL(fd_expr_bi_int)
{
    struct fd_expr_val v = args[0];
    int64_t i;

    (void)nargs;
    /* v1.15.5 builtin/func.go Int: a type switch without named types */
    if (fd_expr_ctx_v115(ctx) && (v.kind == FD_VAL_DURATION || fd_expr_named_int(v)))
        return fd_expr_fail(ctx, "invalid operation: int(%s)", fd_expr_go_type(v));
    switch (v.kind) {
    case FD_VAL_INT:
    case FD_VAL_DURATION: /* reflect Convert: a Duration is an int64 */
        *out = fd_expr_int(v.u.i);
        return true;
    case FD_VAL_FLOAT:
        *out = fd_expr_int(fd_expr_bi_float_to_int(v.u.f));
        return true;
    case FD_VAL_STRING:
        if (!fd_expr_is_go_string(v)) /* a version, a FreightOriginKind: no `case string` */
            return fd_expr_fail(ctx, "invalid operation: int(%s)", fd_expr_go_type(v));
        if (fd_expr_bi_parse_int(v.u.s->data, v.u.s->len, &i) != 0)
            return fd_expr_fail(ctx, "invalid operation: int(%s)", v.u.s->data);
        *out = fd_expr_int(i);
        return true;
    case FD_VAL_NIL: /* v1.17's default case asks reflect whether nil converts */
        if (!fd_expr_ctx_v115(ctx))
            return fd_expr_fail(ctx, "reflect: call of reflect.Value.Type on zero Value");
        return fd_expr_fail(ctx, "invalid operation: int(<nil>)");
    default:
        return fd_expr_fail(ctx, "invalid operation: int(%s)", fd_expr_go_type(v));
    }
}

FD_BI_CALL(fd_expr_bi_float)
{
    struct fd_expr_val v = args[0];
    double f;

    (void)nargs;
    switch (v.kind) {
    case FD_VAL_INT:
        if (fd_expr_named_int(v))
            return fd_expr_fail(ctx, "invalid operation: float(%s)", fd_expr_go_type(v));
        *out = fd_expr_float(fd_expr_int_double(v));
        return true;
    case FD_VAL_FLOAT:
        *out = v;
        return true;
    case FD_VAL_STRING:
        if (!fd_expr_is_go_string(v)) /* (as in int()) */
            return fd_expr_fail(ctx, "invalid operation: float(%s)", fd_expr_go_type(v));
        if (fd_go_parse_float(v.u.s->data, v.u.s->len, &f) != FD_GO_PARSE_OK)
            return fd_expr_fail(ctx, "invalid operation: float(%s)", v.u.s->data);
        *out = fd_expr_float(f);
        return true;
    default:
        return fd_expr_fail(ctx, "invalid operation: float(%s)", fd_expr_go_type(v));
    }
}

/* ---- max, min, mean, median ---------------------------------------------------- */

/* validateAggregateFunc: an array or unknown argument ends the check with an
 * unknown result; otherwise the result has the first argument's type. */
/* v1.15.5 (builtin.go Validate): max/min take numbers only, mean/median
 * exactly one array. */
static bool aggregate_check_v115(struct fd_expr_tctx *tc, const char *name,
                                 const struct fd_expr_type *args, size_t nargs,
                                 struct fd_expr_type *ret)
{
    if (name[1] == 'e') { /* mean, median */
        if (nargs != 1)
            return fd_expr_check_fail(tc, -1, "invalid number of arguments (expected 1, got %zu)",
                                      nargs);
        if (args[0].kind != FD_T_ANY && args[0].kind != FD_T_ARRAY)
            return fd_expr_check_fail(tc, -1, "cannot %s %s", name[2] == 'a' ? "avg" : "median",
                                      fd_expr_tname(args[0]));
        *ret = fd_expr_t(FD_T_FLOAT);
        return true;
    }
    if (nargs == 0)
        return fd_expr_check_fail(tc, -1, "not enough arguments to call %s", name);
    for (size_t i = 0; i < nargs; i++) {
        if (args[i].kind == FD_T_ANY) {
            *ret = fd_expr_t(FD_T_ANY);
            return true;
        }
        /* by reflect.Kind: a time.Duration is an Int64, a time.Month an Int */
        if (!number_kind(args[i]) && args[i].kind != FD_T_DURATION && args[i].kind != FD_T_MONTH &&
            args[i].kind != FD_T_WEEKDAY)
            return fd_expr_check_fail(tc, -1, "invalid argument for %s (type %s)", name,
                                      fd_expr_tname(args[i]));
    }
    *ret = args[0];
    return true;
}

static bool aggregate_check(struct fd_expr_tctx *tc, const char *name,
                            const struct fd_expr_type *args, size_t nargs, struct fd_expr_type *ret)
{
    if (fd_expr_tctx_v115(tc))
        return aggregate_check_v115(tc, name, args, nargs, ret);
    if (nargs == 0)
        return fd_expr_check_fail(tc, -1, "not enough arguments to call %s", name);
    for (size_t i = 0; i < nargs; i++) {
        if (args[i].kind == FD_T_ANY || args[i].kind == FD_T_ARRAY || args[i].kind == FD_T_BYTES) {
            *ret = fd_expr_t(FD_T_ANY);
            return true;
        }
        if (!number_kind(args[i]))
            return fd_expr_check_fail(tc, -1, "invalid argument for %s (type %s)", name,
                                      fd_expr_tname(args[i]));
    }
    *ret = args[0];
    return true;
}

FD_BI_CHECK(fd_expr_bi_max_check)
{
    return aggregate_check(tc, "max", args, nargs, ret);
}

FD_BI_CHECK(fd_expr_bi_min_check)
{
    return aggregate_check(tc, "min", args, nargs, ret);
}

FD_BI_CHECK(fd_expr_bi_mean_check)
{
    return aggregate_check(tc, "mean", args, nargs, ret);
}

FD_BI_CHECK(fd_expr_bi_median_check)
{
    return aggregate_check(tc, "median", args, nargs, ret);
}

static bool is_num(struct fd_expr_val v)
{
    return v.kind == FD_VAL_INT || v.kind == FD_VAL_FLOAT || v.kind == FD_VAL_DURATION;
}

/* builtin/lib.go minMax: best is BORROWED (nil kind while nothing seen). want
 * is the comparison result that makes a candidate win (max: best < x). */
static bool min_max(struct fd_expr_ctx *ctx, const char *name, int want,
                    const struct fd_expr_val *args, size_t nargs, struct fd_expr_val *best)
{
    best->kind = FD_VAL_NIL;
    for (size_t i = 0; i < nargs; i++) {
        struct fd_expr_val v = args[i];
        struct fd_expr_val cand;
        int cmp;

        if (v.kind == FD_VAL_BYTES) { /* a slice of uint8s: the best byte */
            for (size_t j = 0; j < v.u.s->len; j++) {
                struct fd_expr_val item =
                    fd_expr_tagged_int((unsigned char)v.u.s->data[j], FD_EXPR_TAG_UINT8);
                if (best->kind != FD_VAL_NIL) {
                    if (!fd_expr_compare(ctx, *best, item, want < 0 ? "<" : ">", &cmp))
                        return false;
                    if (cmp != want)
                        continue;
                }
                *best = item;
            }
        } else if (v.kind == FD_VAL_ARRAY) {
            for (size_t j = 0; j < v.u.a->len; j++) {
                struct fd_expr_val item = fd_expr_arr_get(v.u.a, j);

                if (item.kind == FD_VAL_ARRAY || item.kind == FD_VAL_BYTES) {
                    /* a nested slice: its own best, nothing when empty */
                    if (!min_max(ctx, name, want, &item, 1, &cand))
                        return false;
                    if (cand.kind == FD_VAL_NIL)
                        continue;
                } else if ((item.kind == FD_VAL_INT && !fd_expr_named_int(item)) ||
                           item.kind == FD_VAL_FLOAT) {
                    cand = item; /* a type switch of Go's number types */
                } else {         /* a nil, a time.Duration or Month, a string... */
                    return fd_expr_fail(ctx, "invalid argument for %s (type %s)", name,
                                        fd_expr_go_type(item));
                }
                if (best->kind != FD_VAL_NIL) {
                    if (!fd_expr_compare(ctx, *best, cand, want < 0 ? "<" : ">", &cmp))
                        return false;
                    if (cmp != want)
                        continue;
                }
                *best = cand;
            }
        } else if (is_num(v)) {
            if (best->kind != FD_VAL_NIL) {
                if (!fd_expr_compare(ctx, *best, v, want < 0 ? "<" : ">", &cmp))
                    return false;
                if (cmp != want)
                    continue;
            }
            *best = v;
        } else if (nargs == 1) {
            *best = v;
            return true;
        } else {
            return fd_expr_fail(ctx, "invalid argument for %s (type %s)", name, fd_expr_go_type(v));
        }
    }
    return true;
}

/* v1.15.5 builtin/func.go Max and Min: each argument as it is (an array
 * too), kept when runtime.Less(max, arg) (More for min) holds. */
static bool min_max115(struct fd_expr_ctx *ctx, bool max, const struct fd_expr_val *args,
                       size_t nargs, struct fd_expr_val *out)
{
    struct fd_expr_val best = fd_expr_nil();
    for (size_t i = 0; i < nargs; i++) {
        int cmp = 0;
        if (best.kind != FD_VAL_NIL && !fd_expr_compare(ctx, best, args[i], max ? "<" : ">", &cmp))
            return false;
        if (best.kind == FD_VAL_NIL || cmp == (max ? -1 : 1))
            best = args[i];
    }
    *out = fd_expr_val_ref(best);
    return true;
}

FD_BI_CALL(fd_expr_bi_max)
{
    struct fd_expr_val best;

    if (fd_expr_ctx_v115(ctx))
        return min_max115(ctx, true, args, nargs, out);
    if (!min_max(ctx, "max", -1, args, nargs, &best))
        return false;
    *out = fd_expr_val_ref(best);
    return true;
}

FD_BI_CALL(fd_expr_bi_min)
{
    struct fd_expr_val best;

    if (fd_expr_ctx_v115(ctx))
        return min_max115(ctx, false, args, nargs, out);
    if (!min_max(ctx, "min", 1, args, nargs, &best))
        return false;
    *out = fd_expr_val_ref(best);
    return true;
}

struct numbers {
    double *v;
    size_t n, cap;
};

/* builtin/lib.go mean/median: numbers, arrays of them, nested (v1.15.5:
 * one array of numbers, depth 0 its own). */
static bool collect(struct fd_expr_ctx *ctx, const char *name, const struct fd_expr_val *args,
                    size_t nargs, struct numbers *acc, int depth)
{
    for (size_t i = 0; i < nargs; i++) {
        struct fd_expr_val v = args[i];

        if (v.kind == FD_VAL_ARRAY && fd_expr_ctx_v115(ctx) && depth > 0) /* (a pair: array) */
            return fd_expr_fail(ctx, "cannot %s %s", name, fd_expr_go_kind(v));
        if (v.kind == FD_VAL_ARRAY) {
            for (size_t j = 0; j < v.u.a->len; j++) {
                struct fd_expr_val item = fd_expr_arr_get(v.u.a, j);
                if (!collect(ctx, name, &item, 1, acc, depth + 1))
                    return false;
            }
            continue;
        }
        if (v.kind == FD_VAL_BYTES && !fd_expr_ctx_v115(ctx)) { /* a slice of uint8s */
            for (size_t j = 0; j < v.u.s->len; j++) {
                struct fd_expr_val item =
                    fd_expr_tagged_int((unsigned char)v.u.s->data[j], FD_EXPR_TAG_UINT8);
                if (!collect(ctx, name, &item, 1, acc, depth + 1))
                    return false;
            }
            continue;
        }
        if (!is_num(v) || (fd_expr_ctx_v115(ctx) && fd_expr_unsigned(v))) {
            /* builtin.go v1.15.5: CanInt or CanFloat, else "cannot mean string" */
            if (fd_expr_ctx_v115(ctx))
                return fd_expr_fail(ctx, "cannot %s %s", name,
                                    v.kind == FD_VAL_NIL ? "interface" : fd_expr_go_kind(v));
            return fd_expr_fail(ctx, "invalid argument for %s (type %s)", name, fd_expr_go_type(v));
        }
        if (acc->n == acc->cap) {
            acc->cap = acc->cap ? acc->cap * 2 : 16;
            acc->v = fd_xreallocarray(acc->v, acc->cap, sizeof(double));
        }
        acc->v[acc->n++] = v.kind == FD_VAL_FLOAT ? v.u.f : fd_expr_int_double(v);
    }
    return true;
}

/* v1.15.5's mean and median Funcs (where no checker ran first: an unknown
 * callee's arguments) count their arguments, then want one slice. */
static bool v115_one_array(struct fd_expr_ctx *ctx, const char *name,
                           const struct fd_expr_val *args, size_t nargs)
{
    if (nargs != 1)
        return fd_expr_fail(ctx, "invalid number of arguments (expected 1, got %zu)", nargs);
    if (args[0].kind != FD_VAL_ARRAY)
        return fd_expr_fail(ctx, "cannot %s %s", name, fd_expr_go_kind(args[0]));
    return true;
}

FD_BI_CALL(fd_expr_bi_mean)
{
    struct numbers acc = {NULL, 0, 0};

    if (fd_expr_ctx_v115(ctx) && !v115_one_array(ctx, "mean", args, nargs))
        return false;
    double sum = 0;

    if (!collect(ctx, "mean", args, nargs, &acc, 0)) {
        free(acc.v);
        return false;
    }
    for (size_t i = 0; i < acc.n; i++)
        sum += acc.v[i];
    *out = fd_expr_float(acc.n ? sum / (double)acc.n : 0.0);
    free(acc.v);
    return true;
}

/* sort.Float64s order: NaN first, then ascending. */
static int float_cmp(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;

    if (isnan(a) || isnan(b))
        return isnan(a) ? (isnan(b) ? 0 : -1) : 1;
    return a < b ? -1 : a > b ? 1 : 0;
}

FD_BI_CALL(fd_expr_bi_median)
{
    struct numbers acc = {NULL, 0, 0};

    if (fd_expr_ctx_v115(ctx) && !v115_one_array(ctx, "median", args, nargs))
        return false;
    double m = 0.0;

    if (!collect(ctx, "median", args, nargs, &acc, 0)) {
        free(acc.v);
        return false;
    }
    if (acc.n > 0) {
        qsort(acc.v, acc.n, sizeof(double), float_cmp);
        m = acc.n % 2 ? acc.v[acc.n / 2] : (acc.v[acc.n / 2 - 1] + acc.v[acc.n / 2]) / 2;
    }
    *out = fd_expr_float(m);
    free(acc.v);
    return true;
}

/* ---- bit functions -------------------------------------------------------------- */

static const struct fd_expr_bi_sig sig_int_int[] = {
    {2, {FD_P_INT, FD_P_INT}, {FD_T_INT, FD_T_ANY}}};
static const struct fd_expr_bi_sig sig_int[] = {{1, {FD_P_INT}, {FD_T_INT, FD_T_ANY}}};

#define BIT2_CHECK(fn, name)                                                      \
    FD_BI_CHECK(fn)                                                               \
    {                                                                             \
        return fd_expr_bi_check_sigs(tc, name, sig_int_int, 1, args, nargs, ret); \
    }
BIT2_CHECK(fd_expr_bi_bitand_check, "bitand")
BIT2_CHECK(fd_expr_bi_bitor_check, "bitor")
BIT2_CHECK(fd_expr_bi_bitxor_check, "bitxor")
BIT2_CHECK(fd_expr_bi_bitnand_check, "bitnand")
BIT2_CHECK(fd_expr_bi_bitshl_check, "bitshl")
BIT2_CHECK(fd_expr_bi_bitshr_check, "bitshr")
BIT2_CHECK(fd_expr_bi_bitushr_check, "bitushr")

FD_BI_CHECK(fd_expr_bi_bitnot_check)
{
    return fd_expr_bi_check_sigs(tc, "bitnot", sig_int, 1, args, nargs, ret);
}

/* builtin/utils.go toInt: Go's int and uint kinds by their own types; a
 * time.Month or time.Weekday is none of them. */
static bool to_int(struct fd_expr_ctx *ctx, const char *name, struct fd_expr_val v, int64_t *out)
{
    if (v.kind != FD_VAL_INT || fd_expr_named_int(v))
        return fd_expr_fail(ctx, "cannot use %s as argument (type int) to call %s",
                            fd_expr_go_type(v), name);
    *out = v.u.i;
    return true;
}

static bool bit2(struct fd_expr_ctx *ctx, const char *name, const struct fd_expr_val *args,
                 size_t nargs, int64_t *x, int64_t *y)
{
    if (nargs != 2)
        return fd_expr_fail(ctx, "invalid number of arguments for %s (expected 2, got %zu)", name,
                            nargs);
    return to_int(ctx, name, args[0], x) && to_int(ctx, name, args[1], y);
}

FD_BI_CALL(fd_expr_bi_bitand)
{
    int64_t x = 0, y = 0;

    if (!bit2(ctx, "bitand", args, nargs, &x, &y))
        return false;
    *out = fd_expr_int(x & y);
    return true;
}

FD_BI_CALL(fd_expr_bi_bitor)
{
    int64_t x = 0, y = 0;

    if (!bit2(ctx, "bitor", args, nargs, &x, &y))
        return false;
    *out = fd_expr_int(x | y);
    return true;
}

FD_BI_CALL(fd_expr_bi_bitxor)
{
    int64_t x = 0, y = 0;

    if (!bit2(ctx, "bitxor", args, nargs, &x, &y))
        return false;
    *out = fd_expr_int(x ^ y);
    return true;
}

FD_BI_CALL(fd_expr_bi_bitnand)
{
    int64_t x = 0, y = 0;

    if (!bit2(ctx, "bitnand", args, nargs, &x, &y))
        return false;
    *out = fd_expr_int(x & ~y); /* Go's &^ */
    return true;
}

static bool shift_count(struct fd_expr_ctx *ctx, int64_t y)
{
    if (y < 0)
        return fd_expr_fail(ctx, "invalid operation: negative shift count %lld (type int)",
                            (long long)y);
    return true;
}

FD_BI_CALL(fd_expr_bi_bitshl)
{
    int64_t x = 0, y = 0;

    if (!bit2(ctx, "bitshl", args, nargs, &x, &y) || !shift_count(ctx, y))
        return false;
    *out = fd_expr_int(y >= 64 ? 0 : (int64_t)((uint64_t)x << y));
    return true;
}

FD_BI_CALL(fd_expr_bi_bitshr)
{
    int64_t x = 0, y = 0;

    if (!bit2(ctx, "bitshr", args, nargs, &x, &y) || !shift_count(ctx, y))
        return false;
    if (y >= 64)
        *out = fd_expr_int(x < 0 ? -1 : 0);
    else /* Go's >> on a signed int is arithmetic */
        *out = fd_expr_int(x < 0 ? ~(int64_t)(~(uint64_t)x >> y) : (int64_t)((uint64_t)x >> y));
    return true;
}

FD_BI_CALL(fd_expr_bi_bitushr)
{
    int64_t x = 0, y = 0;

    if (!bit2(ctx, "bitushr", args, nargs, &x, &y) || !shift_count(ctx, y))
        return false;
    *out = fd_expr_int(y >= 64 ? 0 : (int64_t)((uint64_t)x >> y));
    return true;
}

FD_BI_CALL(fd_expr_bi_bitnot)
{
    int64_t x = 0;

    if (nargs != 1)
        return fd_expr_fail(ctx, "invalid number of arguments for bitnot (expected 1, got %zu)",
                            nargs);
    if (!to_int(ctx, "bitnot", args[0], &x))
        return false;
    *out = fd_expr_int(~x);
    return true;
}

/* expr/eval.c: walks a checked tree (what expr's VM and vm/runtime do):
 * arithmetic with int64 wrapping, comparisons, member access, slices, calls.
 * Predicates live in pred.c. Errors carry expr-lang's run-time wording. */
#include "config.h"

#include "eval.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool fd_expr_fail(struct fd_expr_ctx *ctx, const char *fmt, ...)
{
    va_list ap;

    if (ctx->failed)
        return false;
    ctx->failed = true;
    va_start(ap, fmt);
    fd_utf8_cut(ctx->msg, sizeof(ctx->msg), vsnprintf(ctx->msg, sizeof(ctx->msg), fmt, ap));
    va_end(ap);
    return false;
}

bool fd_expr_ctx_v115(const struct fd_expr_ctx *ctx)
{
    return ctx->p->v115;
}

bool fd_expr_ctx_reflect_call(const struct fd_expr_ctx *ctx)
{
    return ctx->reflect_call;
}

bool fd_expr_ctx_env(const struct fd_expr_ctx *ctx, const char *name, struct fd_expr_val *out)
{
    return ctx->env.kind == FD_VAL_MAP && fd_expr_map_get(ctx->env.u.m, name, strlen(name), out);
}

bool fd_expr_mem_grow(struct fd_expr_ctx *ctx, uint64_t size)
{
    ctx->memory += size;
    if (ctx->memory >= 1000000) /* conf.DefaultMemoryBudget */
        return fd_expr_fail(ctx, "memory budget exceeded");
    return true;
}

bool fd_expr_mem_grow_at(struct fd_expr_ctx *ctx, const struct fd_node *n, uint64_t size)
{
    if (fd_expr_mem_grow(ctx, size))
        return true;
    ctx->pos = n->pos;
    return false;
}

static bool fail_at(struct fd_expr_ctx *ctx, const struct fd_node *n, const char *fmt, ...)
    FD_PRINTF(3, 4);
static bool fail_at(struct fd_expr_ctx *ctx, const struct fd_node *n, const char *fmt, ...)
{
    va_list ap;

    if (ctx->failed)
        return false;
    ctx->failed = true;
    ctx->pos = n->pos;
    va_start(ap, fmt);
    fd_utf8_cut(ctx->msg, sizeof(ctx->msg), vsnprintf(ctx->msg, sizeof(ctx->msg), fmt, ap));
    va_end(ap);
    return false;
}

/* vm.go OpCall of a value that is no function, at n: v1.15.5 leaves it to
 * reflect's Call, v1.17 refuses it itself. Returns false. */
static bool refuse_call(struct fd_expr_ctx *ctx, const struct fd_node *n, struct fd_expr_val v)
{
    if (ctx->p->v115)
        return fail_at(ctx, n, "reflect: call of reflect.Value.Call on %s Value",
                       v.kind == FD_VAL_NIL ? "zero" : fd_expr_go_kind(v));
    if (v.kind == FD_VAL_NIL)
        return fail_at(ctx, n, "invalid operation: cannot call nil");
    return fail_at(ctx, n, "invalid operation: cannot call non-function of type %s",
                   fd_expr_go_type(v));
}

/* compiler.go derefInNeeded: the value of node x dereferenced, but for a
 * pointer to one of Kargo's structs that the checker typed as the struct
 * itself (the functions declare structs and return pointers): no OpDeref
 * is emitted for it. */
static struct fd_expr_val deref_in_needed(const struct fd_node *x, struct fd_expr_val v)
{
    if (fd_expr_is_struct_ptr(v) && x->type.kind == FD_T_STRUCT)
        return v;
    return fd_expr_deref(v);
}

/* The Go type of an operator's operand as the VM holds it: v1.17 compiles
 * an OpDeref after an operand of a pointer or interface type (compiler.go
 * derefInNeeded), so a *time.Location is a time.Location there. */
static const char *operand_type(const struct fd_expr_ctx *ctx, struct fd_expr_val v)
{
    return fd_expr_go_type(ctx->p->v115 ? v : fd_expr_deref(v));
}

/* A time.Time (not a *time.Location, which shares its representation). */
static bool is_time(struct fd_expr_val v)
{
    return v.kind == FD_VAL_TIME && !fd_expr_is_location(v);
}

/* Go's message when a non-bool reaches a bool-only instruction. */
bool fd_expr_not_bool(struct fd_expr_ctx *ctx, const struct fd_node *n, struct fd_expr_val v)
{
    return fail_at(ctx, n, "interface conversion: interface {} is %s, not bool",
                   v.kind == FD_VAL_NIL ? "nil" : fd_expr_go_type(v));
}

/* The same for an operand of not, and, or: dereferenced (operand_type). */
static bool not_bool_operand(struct fd_expr_ctx *ctx, const struct fd_node *n, struct fd_expr_val v)
{
    return fail_at(ctx, n, "interface conversion: interface {} is %s, not bool",
                   v.kind == FD_VAL_NIL ? "nil" : operand_type(ctx, v));
}

/* Borrowing evaluation: names, constants and # are read in place. The
 * caller releases *tmp (nil when nothing was produced). */
/* An env name (N_IDENT, slot -1), BORROWED; nil when absent. A run normally
 * gets the compile-time env (or one of the same shape): when the entry at
 * the index the checker found holds the very key object the program keeps
 * alive, it is this name; otherwise search. */
static inline struct fd_expr_val env_name(const struct fd_expr_ctx *ctx, const struct fd_node *n)
{
    struct fd_expr_val v;

    if (ctx->env.kind != FD_VAL_MAP)
        return fd_expr_nil();
    const struct fd_expr_map *m = ctx->env.u.m;
    if (n->envidx < m->len && m->e[n->envidx].key == n->val.u.s)
        return m->e[n->envidx].val;
    return fd_expr_map_get(m, n->name, n->namelen, &v) ? v : fd_expr_nil();
}

/* FK_CONST, FK_IDENT, FK_ELEM: the value, BORROWED. */
static inline struct fd_expr_val leaf(const struct fd_expr_ctx *ctx, const struct fd_node *n)
{
    switch (n->fk) {
    case FK_CONST:
        return n->val;
    case FK_ELEM:
        return ctx->scopes[ctx->nscopes - 1].elem;
    default:
        if (n->slot >= 0)
            return ctx->slots[n->slot];
        if (n->slot == -1)
            return env_name(ctx, n);
        if (n->slot == -4)
            return fd_expr_func_val(n->fn);
        return n->slot == -2 ? ctx->env : fd_expr_nil();
    }
}

/* FK_MEMBER that succeeds (an in-range array index, a map key), BORROWED;
 * false when the generic path must run (it also reports the errors). */
static bool member_fast(const struct fd_expr_ctx *ctx, const struct fd_node *n,
                        struct fd_expr_val *out)
{
    struct fd_expr_val base = leaf(ctx, n->a), prop = n->b->val;

    if (ctx->short_nil)
        return false;
    if (base.kind == FD_VAL_ARRAY && prop.kind == FD_VAL_INT) {
        int64_t i = prop.u.i, len = (int64_t)base.u.a->len;
        if (i < 0)
            i += len;
        if (i < 0 || i >= len)
            return false;
        *out = fd_expr_arr_get(base.u.a, (size_t)i);
        return true;
    }
    if (base.kind == FD_VAL_MAP && prop.kind == FD_VAL_STRING && !base.u.m->anykey) {
        if (!fd_expr_map_get_any(base.u.m, prop, out)) {
            if (base.u.m->strvals)
                return false; /* "" is made by fetch */
            *out = fd_expr_nil();
        }
        return true;
    }
    return false;
}

/* A node of a fast kind other than FK_CMP, BORROWED (or a scalar); false
 * when it must be evaluated. */
static inline bool operand_fast(const struct fd_expr_ctx *ctx, const struct fd_node *n,
                                struct fd_expr_val *out)
{
    struct fd_expr_val v;

    if (ctx->noelem)
        return false;
    switch (n->fk) {
    case FK_CONST:
    case FK_IDENT:
    case FK_ELEM:
        *out = leaf(ctx, n);
        return true;
    case FK_MEMBER:
        return member_fast(ctx, n, out);
    case FK_LEN:
        v = leaf(ctx, n->args[0]);
        if (v.kind == FD_VAL_ARRAY)
            *out = fd_expr_int((int64_t)v.u.a->len);
        else if (v.kind == FD_VAL_MAP)
            *out = fd_expr_int((int64_t)v.u.m->len);
        else
            return false; /* strings count runes: ev_len */
        return true;
    default:
        return false;
    }
}

/* Whether op (<, >, <=, >=) holds between two operands ordered as c says
 * (negative: less, 0: equal, positive: greater). */
static bool order_holds(int op, int c)
{
    switch (op) {
    case OP_LT:
        return c < 0;
    case OP_GT:
        return c > 0;
    case OP_LE:
        return c <= 0;
    default:
        return c >= 0;
    }
}

/* <, >, <=, >= between numbers read without evaluation (fd_node.fk says
 * how): the shape of Argo conditions (`result[0] >= 0.95`, `# > 0.9`).
 * Stores the result and returns true; false when the generic path must run
 * (another shape, a non-number, an index out of range: it reports errors). */
static bool fd_expr_cmp_fast(const struct fd_expr_ctx *ctx, const struct fd_node *n, bool *r)
{
    struct fd_expr_val a, b;
    double x, y;

    if (n->fk != FK_CMP || !operand_fast(ctx, n->a, &a) || !operand_fast(ctx, n->b, &b))
        return false;
    if (fd_expr_named_int(a) || fd_expr_named_int(b)) /* a time.Month: ev_binary names it */
        return false;
    if (a.kind == FD_VAL_INT && b.kind == FD_VAL_INT) {
        /* exact, as fd_expr_compare: no rounding through double */
        *r = order_holds(n->op, (a.u.i > b.u.i) - (a.u.i < b.u.i));
        return true;
    }
    if (!fd_expr_is_number(a) || !fd_expr_is_number(b))
        return false;
    /* Mixed int and float compare as doubles, as fd_expr_compare does; NaN
     * makes every comparison false there too. */
    x = fd_expr_num(a);
    y = fd_expr_num(b);
    *r = !isnan(x) && !isnan(y) && order_holds(n->op, (x > y) - (x < y));
    return true;
}

bool fd_expr_bool_fast(const struct fd_expr_ctx *ctx, const struct fd_node *n, bool *r)
{
    bool a;

    if (ctx->noelem)
        return false;
    if (n->fk == FK_CMP)
        return fd_expr_cmp_fast(ctx, n, r);
    if (n->fk != FK_LOGIC || !fd_expr_bool_fast(ctx, n->a, &a))
        return false;
    if (a == (n->op == OP_OR)) {
        *r = a; /* short circuit */
        return true;
    }
    /* An operand that is no fast bool leaves the whole node to ev_binary,
     * which evaluates it again from the start (reads have no effects). */
    return fd_expr_bool_fast(ctx, n->b, r);
}

/* Borrowing evaluation: names, constants, # and other fast kinds are read
 * in place. The caller releases *tmp (nil when nothing was produced). */
bool fd_expr_evb(struct fd_expr_ctx *ctx, const struct fd_node *n, struct fd_expr_val *tmp,
                 struct fd_expr_val *out)
{
    bool r;

    tmp->kind = FD_VAL_NIL;
    if (n->fk >= FK_CMP) {
        if (fd_expr_bool_fast(ctx, n, &r)) {
            *out = fd_expr_bool(r);
            return true;
        }
    } else if (operand_fast(ctx, n, out)) {
        return true;
    }
    switch (n->kind) {
    case N_IDENT:
        *out = leaf(ctx, n);
        return true;
    case N_POINTER:
        if (n->namelen == 0) {
            if (ctx->scopes[ctx->nscopes - 1].noelem)
                return fail_at(ctx, n, "reflect: call of reflect.Value.Index on map Value");
            *out = ctx->scopes[ctx->nscopes - 1].elem;
            return true;
        }
        break;
    case N_CONST:
        *out = n->val;
        return true;
    default:
        break;
    }
    if (!fd_expr_ev(ctx, n, tmp))
        return false;
    *out = *tmp;
    return true;
}

/* ---- The VM stack's junk (struct fd_expr_ctx) ---- */

void fd_expr_junk_push(struct fd_expr_ctx *ctx, struct fd_expr_val v)
{
    if (ctx->njunk == ctx->capjunk) {
        ctx->capjunk = ctx->capjunk ? ctx->capjunk * 2 : 16;
        ctx->junk = fd_xreallocarray(ctx->junk, ctx->capjunk, sizeof(*ctx->junk));
    }
    ctx->junk[ctx->njunk++] = v;
}

void fd_expr_junk_shuffle(struct fd_expr_ctx *ctx, struct fd_expr_val *vals, const size_t *marks,
                          size_t k)
{
    size_t end = ctx->njunk, seglen = end - marks[0] + k, s = 0;
    struct fd_expr_val *seg = fd_xcalloc(seglen, sizeof(*seg));

    for (size_t i = 0; i < k; i++) {
        size_t jend = i + 1 < k ? marks[i + 1] : end;
        for (size_t j = marks[i]; j < jend; j++)
            seg[s++] = ctx->junk[j];
        seg[s++] = vals[i];
    }
    ctx->njunk = marks[0];
    for (size_t i = 0; i < seglen - k; i++)
        fd_expr_junk_push(ctx, seg[i]);
    for (size_t i = 0; i < k; i++)
        vals[i] = seg[seglen - k + i];
    free(seg);
}

/* The two operands of a binary operator after the VM's pops. */
static void junk_pair(struct fd_expr_ctx *ctx, size_t m0, size_t m1, struct fd_expr_val *ta,
                      struct fd_expr_val *a, struct fd_expr_val *tb, struct fd_expr_val *b)
{
    struct fd_expr_val vals[2] = {fd_expr_val_ref(*a), fd_expr_val_ref(*b)};
    size_t marks[2] = {m0, m1};

    fd_expr_val_release(ta);
    fd_expr_val_release(tb);
    fd_expr_junk_shuffle(ctx, vals, marks, 2);
    *ta = *a = vals[0];
    *tb = *b = vals[1];
}

/* ---- Arithmetic ---- */

static int64_t wrap_add(int64_t a, int64_t b)
{
    return (int64_t)((uint64_t)a + (uint64_t)b);
}
static int64_t wrap_sub(int64_t a, int64_t b)
{
    return (int64_t)((uint64_t)a - (uint64_t)b);
}
static int64_t wrap_mul(int64_t a, int64_t b)
{
    return (int64_t)((uint64_t)a * (uint64_t)b);
}

static bool mismatch(struct fd_expr_ctx *ctx, const struct fd_node *n, struct fd_expr_val a,
                     struct fd_expr_val b)
{
    return fail_at(ctx, n, "invalid operation: %s %s %s", operand_type(ctx, a),
                   fd_expr_op_text(n->op), operand_type(ctx, b));
}

static bool concat(struct fd_expr_ctx *ctx, const struct fd_node *n, const struct fd_expr_str *a,
                   const struct fd_expr_str *b, struct fd_expr_val *out)
{
    if (a->len + b->len > FD_EXPR_MAX_STRING)
        return fail_at(ctx, n, "string too long (more than %zu bytes)", FD_EXPR_MAX_STRING);
    char *buf = fd_xmalloc(a->len + b->len + 1);
    memcpy(buf, a->data, a->len);
    memcpy(buf + a->len, b->data, b->len);
    buf[a->len + b->len] = '\0';
    *out = fd_expr_str_take(buf, a->len + b->len);
    return true;
}

static bool time_shift(struct fd_expr_val t, int64_t ns, struct fd_expr_val *out)
{
    *out = fd_expr_bi_time_shift(t.u.t, ns);
    return true;
}

static bool go_odd_int(double x)
{
    double xi;
    if (fabs(x) >= 9007199254740992.0) /* 1 << 53: every larger float is even */
        return false;
    return modf(x, &xi) == 0 && ((int64_t)xi & 1) == 1;
}

/* Go's math.Pow (src/math/pow.go), step for step: expr's ** is math.Pow,
 * and libm's correctly rounded pow differs from it in the last bit (Go
 * gives 0.5 ** -0.5 as 1 / Sqrt(0.5) = 1.414213562373095, libm
 * 1.4142135623730951). The exp and log of the fractional part are Go's
 * amd64 ones (gomath.c). */
static double fd_expr_go_pow(double x, double y)
{
    if (y == 0 || x == 1)
        return 1;
    if (y == 1)
        return x;
    if (isnan(x) || isnan(y))
        return NAN;
    if (x == 0) {
        if (y < 0)
            return signbit(x) && go_odd_int(y) ? -INFINITY : INFINITY;
        return signbit(x) && go_odd_int(y) ? x : 0;
    }
    if (isinf(y)) {
        if (x == -1)
            return 1;
        return (fabs(x) < 1) == (y > 0) ? 0 : INFINITY;
    }
    if (isinf(x)) {
        if (x < 0)
            return fd_expr_go_pow(1 / x, -y); /* Pow(-0, -y) */
        return y < 0 ? 0 : INFINITY;
    }
    if (y == 0.5)
        return sqrt(x);
    if (y == -0.5)
        return 1 / sqrt(x);

    double yi, yf = modf(fabs(y), &yi);
    if (yf != 0 && x < 0)
        return NAN;
    if (yi >= 9223372036854775808.0) { /* 1 << 63 */
        if (x == -1)
            return 1;
        return (fabs(x) < 1) == (y > 0) ? 0 : INFINITY;
    }
    double a1 = 1.0;
    long ae = 0;
    if (yf != 0) {
        if (yf > 0.5) {
            yf--;
            yi++;
        }
        a1 = fd_expr_go_exp(yf * fd_expr_go_log(x));
    }
    int xe;
    double x1 = frexp(x, &xe);
    long lxe = xe;
    for (int64_t i = (int64_t)yi; i != 0; i >>= 1) {
        if (lxe < -(1L << 12) || (1L << 12) < lxe) {
            ae += lxe; /* the result under- or overflows */
            break;
        }
        if ((i & 1) == 1) {
            a1 *= x1;
            ae += lxe;
        }
        x1 *= x1;
        lxe *= 2; /* Go's xe <<= 1 on a signed int: a shift of a negative value is UB in C */
        if (x1 < .5) {
            x1 += x1;
            lxe--;
        }
    }
    if (y < 0) {
        a1 = 1 / a1;
        ae = -ae;
    }
    if (ae > 100000)
        ae = 100000;
    else if (ae < -100000)
        ae = -100000;
    return ldexp(a1, (int)ae);
}

static bool arith(struct fd_expr_ctx *ctx, const struct fd_node *n, struct fd_expr_val a,
                  struct fd_expr_val b, struct fd_expr_val *out)
{
    int op = n->op;

    if (op == OP_POW) { /* runtime.Exponent: math.Pow(ToFloat64(a), ToFloat64(b)) */
        if (!fd_expr_is_number(a) || fd_expr_named_int(a))
            return fail_at(ctx, n, "invalid operation: float(%s)", operand_type(ctx, a));
        if (!fd_expr_is_number(b) || fd_expr_named_int(b))
            return fail_at(ctx, n, "invalid operation: float(%s)", operand_type(ctx, b));
    }
    if (fd_expr_named_int(a) || fd_expr_named_int(b))
        return mismatch(ctx, n, a, b); /* the generated runtime knows no time.Month */
    if (a.kind == FD_VAL_INT && b.kind == FD_VAL_INT) {
        switch (op) {
        case OP_ADD:
            *out = fd_expr_int(wrap_add(a.u.i, b.u.i));
            return true;
        case OP_SUB:
            *out = fd_expr_int(wrap_sub(a.u.i, b.u.i));
            return true;
        case OP_MUL:
            *out = fd_expr_int(wrap_mul(a.u.i, b.u.i));
            return true;
        case OP_DIV:
            *out = fd_expr_float(fd_expr_int_double(a) / fd_expr_int_double(b));
            return true;
        case OP_MOD:
            if (b.u.i == 0)
                return fail_at(ctx, n, "runtime error: integer divide by zero");
            *out = fd_expr_int(b.u.i == -1 ? 0 : a.u.i % b.u.i);
            return true;
        case OP_POW:
            *out = fd_expr_float(fd_expr_go_pow(fd_expr_int_double(a), fd_expr_int_double(b)));
            return true;
        default:
            break;
        }
    }
    if (fd_expr_is_number(a) && fd_expr_is_number(b)) {
        double x = fd_expr_num(a), y = fd_expr_num(b);
        switch (op) {
        case OP_ADD:
            *out = fd_expr_float(x + y);
            return true;
        case OP_SUB:
            *out = fd_expr_float(x - y);
            return true;
        case OP_MUL:
            *out = fd_expr_float(x * y);
            return true;
        case OP_DIV:
            *out = fd_expr_float(x / y);
            return true;
        case OP_POW:
            *out = fd_expr_float(fd_expr_go_pow(x, y));
            return true;
        default:
            return mismatch(ctx, n, a, b);
        }
    }
    /* The generated runtime knows time.Duration in Multiply (with any
     * number: a duration), and in Add and Subtract with another duration
     * only (vm/runtime/helpers[generated].go). */
    if ((a.kind == FD_VAL_DURATION || b.kind == FD_VAL_DURATION) && op != OP_MUL && !is_time(a) &&
        !is_time(b) && !((op == OP_ADD || op == OP_SUB) && a.kind == b.kind))
        return mismatch(ctx, n, a, b);
    if ((a.kind == FD_VAL_DURATION || b.kind == FD_VAL_DURATION) &&
        (a.kind == FD_VAL_DURATION || fd_expr_is_number(a)) &&
        (b.kind == FD_VAL_DURATION || fd_expr_is_number(b))) {
        bool flt = a.kind == FD_VAL_FLOAT || b.kind == FD_VAL_FLOAT || op == OP_DIV || op == OP_POW;
        if (flt) {
            struct fd_expr_val x = fd_expr_float(a.kind == FD_VAL_FLOAT ? a.u.f : (double)a.u.i);
            struct fd_expr_val y = fd_expr_float(b.kind == FD_VAL_FLOAT ? b.u.f : (double)b.u.i);
            return arith(ctx, n, x, y, out);
        }
        struct fd_expr_val r;
        if (!arith(ctx, n, fd_expr_int(a.u.i), fd_expr_int(b.u.i), &r))
            return false;
        *out = fd_expr_duration(r.u.i);
        return true;
    }
    /* runtime.Add's case string takes no string of a named type */
    if (op == OP_ADD && a.kind == FD_VAL_STRING && b.kind == FD_VAL_STRING && !a.tag && !b.tag)
        return concat(ctx, n, a.u.s, b.u.s, out);
    if (op == OP_ADD && is_time(a) && b.kind == FD_VAL_DURATION)
        return time_shift(a, b.u.i, out);
    if (op == OP_ADD && a.kind == FD_VAL_DURATION && is_time(b))
        return time_shift(b, a.u.i, out);
    if (op == OP_SUB && is_time(a) && b.kind == FD_VAL_DURATION)
        return time_shift(a, -b.u.i, out);
    if (op == OP_SUB && is_time(a) && is_time(b)) {
        *out = fd_expr_duration(fd_expr_bi_time_sub(a.u.t, b.u.t)); /* time.Sub */
        return true;
    }
    return mismatch(ctx, n, a, b);
}

/* Go's panic when an operand of a string instruction is no string. */
static bool not_a(struct fd_expr_ctx *ctx, const struct fd_node *n, struct fd_expr_val v,
                  const char *want)
{
    return fail_at(ctx, n, "interface conversion: interface {} is %s, not %s",
                   v.kind == FD_VAL_NIL ? "nil" : operand_type(ctx, v), want);
}

/* vm.go OpContains, OpStartsWith, OpEndsWith, OpMatches(Const): v1.17 answers
 * false when either side is nil (runtime.IsNil: a nil slice or map too);
 * then the operands are asserted to string in
 * Go's argument order (matches: the pattern first, and a subject that is no
 * string is asserted to []uint8 in v1.17). */
static bool str_op(struct fd_expr_ctx *ctx, const struct fd_node *n, struct fd_expr_val a,
                   struct fd_expr_val b, struct fd_expr_val *out)
{
    bool v115 = ctx->p->v115;
    if (!v115 && (fd_expr_is_go_nil(a) || (fd_expr_is_go_nil(b) && !n->re))) {
        *out = fd_expr_bool(false);
        return true;
    }
    if (n->op == OP_MATCHES) {
        if (!n->re && !fd_expr_is_go_string(b))
            return not_a(ctx, n, b, "string");
        if (!fd_expr_is_go_string(a) && (v115 || a.kind != FD_VAL_BYTES))
            return not_a(ctx, n, a, v115 ? "string" : "[]uint8");
        if (a.kind == FD_VAL_BYTES) /* regexp.Match on the bytes */
            a.kind = FD_VAL_STRING;
    }
    if (!fd_expr_is_go_string(a))
        return not_a(ctx, n, a, "string");
    if (!fd_expr_is_go_string(b))
        return not_a(ctx, n, b, "string");
    const struct fd_expr_str *s = a.u.s, *t = b.u.s;
    bool r = false;
    switch (n->op) {
    case OP_CONTAINS:
        if (t->len == 0)
            r = true;
        else
            for (size_t i = 0; !r && i + t->len <= s->len; i++)
                r = memcmp(s->data + i, t->data, t->len) == 0;
        break;
    case OP_STARTS:
        r = t->len <= s->len && memcmp(s->data, t->data, t->len) == 0;
        break;
    case OP_ENDS:
        r = t->len <= s->len && memcmp(s->data + s->len - t->len, t->data, t->len) == 0;
        break;
    case OP_MATCHES: {
        int m;
        if (n->re) {
            m = fd_regex_match(n->re, s->data, s->len);
        } else {
            char msg[256];
            struct fd_regex *re = fd_regex_compile(t->data, t->len, msg, sizeof(msg));
            if (!re)
                return fail_at(ctx, n, "%s", msg);
            m = fd_regex_match(re, s->data, s->len);
            fd_regex_free(re);
        }
        r = m == 1;
        break;
    }
    default:
        break;
    }
    *out = fd_expr_bool(r);
    return true;
}

/* runtime.In's Equal of an item and the needle: v1.15.5's falls back on
 * reflect.DeepEqual, to which a []float64 and an []interface {} of the same
 * numbers differ (as for ==). */
static bool in_equal(const struct fd_expr_ctx *ctx, struct fd_expr_val item, struct fd_expr_val a)
{
    if (ctx->p->v115 && item.kind == FD_VAL_ARRAY && a.kind == FD_VAL_ARRAY)
        return fd_expr_deep_equal(item, a);
    return fd_expr_equal(item, a);
}

static bool op_in_value(struct fd_expr_ctx *ctx, const struct fd_node *n, struct fd_expr_val a,
                        struct fd_expr_val b, struct fd_expr_val *out)
{
    /* both operands dereferenced (compiler.go BinaryNode; v1.15.5's
     * derefInNeeded, a location being a pointer or an interface {}) */
    a = fd_expr_deref(a);
    switch (b.kind) {
    case FD_VAL_NIL:
        *out = fd_expr_bool(false);
        return true;
    case FD_VAL_TIME: { /* runtime.In on a struct: is there a field of that name?
                          (v1.17: an exported one, and time has none) */
        bool loc = b.u.t->nsec == -1;
        if (a.kind != FD_VAL_STRING)
            return fail_at(ctx, n, "cannot use %s as field name of %s", fd_expr_go_type(a),
                           loc ? "time.Location" : "time.Time");
        bool found = false;
        found = ctx->p->v115 && fd_expr_time_field(b, a.u.s->data, a.u.s->len) != NULL;
        *out = fd_expr_bool(found);
        return true;
    }
    case FD_VAL_STRING:
        if (fd_expr_is_semver(b)) { /* a struct whose fields are all unexported */
            if (a.kind != FD_VAL_STRING)
                return fail_at(ctx, n, "cannot use %s as field name of semver.Version",
                               fd_expr_go_type(a));
            *out = fd_expr_bool(false);
            return true;
        }
        return fail_at(ctx, n, "operator \"in\" not defined on %s", fd_expr_go_type(b));
    case FD_VAL_BYTES: /* runtime.In walks the []uint8 with Equal */
        for (size_t i = 0; i < b.u.s->len; i++)
            if (fd_expr_equal(fd_expr_int((unsigned char)b.u.s->data[i]), a)) {
                *out = fd_expr_bool(true);
                return true;
            }
        *out = fd_expr_bool(false);
        return true;
    case FD_VAL_ARRAY:
        for (size_t i = 0; i < b.u.a->len; i++)
            if (in_equal(ctx, fd_expr_arr_get(b.u.a, i), a)) {
                *out = fd_expr_bool(true);
                return true;
            }
        *out = fd_expr_bool(false);
        return true;
    case FD_VAL_MAP: {
        struct fd_expr_val v;
        if (b.u.m->gostruct) { /* a struct: a field of that name; through a
                                  pointer, the struct it points at */
            if (b.u.m->isnil) {
                *out = fd_expr_bool(false);
                return true;
            }
            if (a.kind != FD_VAL_STRING) { /* named as the struct, not its pointer */
                const char *sname = "";
                size_t nf;
                fd_expr_gostruct_fields(b.u.m->gostruct, &sname, &nf);
                return fail_at(ctx, n, "cannot use %s as field name of %s", fd_expr_go_type(a),
                               sname);
            }
            *out = fd_expr_bool(fd_expr_gostruct_field(b.u.m->gostruct, a.u.s->data, a.u.s->len) !=
                                NULL);
            return true;
        }
        if (b.u.m->anykey) {
            const char *unhashable = fd_expr_unhashable(a);
            if (unhashable) /* Go's map lookup panics */
                return fail_at(ctx, n, "%s%s", fd_expr_unhashable_lookup(b.u.m), unhashable);
            *out = fd_expr_bool(fd_expr_map_get_any(b.u.m, a, &v));
            return true;
        }
        if (a.kind == FD_VAL_NIL) {
            *out = fd_expr_bool(fd_expr_map_get(b.u.m, "", 0, &v));
            return true;
        }
        if (a.kind != FD_VAL_STRING)
            return fail_at(
                ctx, n, "reflect.Value.MapIndex: value of type %s is not assignable to type string",
                fd_expr_go_type(a));
        *out = fd_expr_bool(fd_expr_map_get(b.u.m, a.u.s->data, a.u.s->len, &v));
        return true;
    }
    default:
        return fail_at(ctx, n, "operator \"in\" not defined on %s", fd_expr_go_type(b));
    }
}

static bool op_in(struct fd_expr_ctx *ctx, const struct fd_node *n, struct fd_expr_val a,
                  struct fd_expr_val b, struct fd_expr_val *out)
{
    if (!(n->flags & NF_INSET) || b.kind != FD_VAL_ARRAY || b.u.a->len == 0)
        return op_in_value(ctx, n, a, b, out);
    /* a Go map of the literals (optimizer/in_array.go): MapIndex takes its
     * key type, and nil looks up the key type's zero value */
    bool strs = fd_expr_arr_get(b.u.a, 0).kind == FD_VAL_STRING;
    if (a.kind == FD_VAL_NIL) {
        struct fd_expr_val zero = strs ? fd_expr_str_new("", 0) : fd_expr_int(0);
        bool ok = op_in_value(ctx, n, zero, b, out);
        fd_expr_val_release(&zero);
        return ok;
    }
    /* (a version or a FreightOriginKind is a string of another Go type) */
    if (strs ? !fd_expr_is_go_string(a) : a.kind != FD_VAL_INT || a.tag != 0)
        return fail_at(ctx, n,
                       "reflect.Value.MapIndex: value of type %s is not assignable to type %s",
                       operand_type(ctx, a), strs ? "string" : "int");
    return op_in_value(ctx, n, a, b, out);
}

/* runtime.ToInt: numbers truncate; anything else is an error. */
static bool to_index(struct fd_expr_ctx *ctx, const struct fd_node *n, struct fd_expr_val v,
                     int64_t *out)
{
    /* the generated ToInt knows Go's int types, not time.Duration, Month or
     * Weekday (named types of their own) */
    if (v.kind == FD_VAL_INT && !fd_expr_named_int(v)) {
        *out = v.u.i;
        return true;
    }
    if (v.kind == FD_VAL_FLOAT) {
        *out = isnan(v.u.f) || fabs(v.u.f) >= 9.2e18 ? INT64_MIN : (int64_t)v.u.f;
        return true;
    }
    return fail_at(ctx, n, "invalid operation: int(%s)", operand_type(ctx, v));
}

static bool op_range(struct fd_expr_ctx *ctx, const struct fd_node *n, struct fd_expr_val a,
                     struct fd_expr_val b, struct fd_expr_val *out)
{
    /* vm.go OpRange: runtime.ToInt of both ends (floats truncate) */
    int64_t lo, hi;
    if (!to_index(ctx, n, a, &lo) || !to_index(ctx, n, b, &hi))
        return false;
    a = fd_expr_int(lo);
    b = fd_expr_int(hi);
    /* vm.go OpRange: max - min + 1 as a Go int (it wraps), nothing when not
     * positive, then memGrow */
    int64_t ssize = (int64_t)((uint64_t)b.u.i - (uint64_t)a.u.i + 1);
    if (ssize <= 0) {
        *out = fd_expr_arr_new(0);
        out->u.a->slice = FD_EXPR_SLICE_INTS; /* runtime.MakeRange: a []int */
        return true;
    }
    uint64_t size = (uint64_t)ssize;
    if (!(n->flags & NF_CONSTRANGE) && !fd_expr_mem_grow_at(ctx, n, size))
        return false;
    *out = fd_expr_arr_new((size_t)size);
    out->u.a->slice = FD_EXPR_SLICE_INTS;
    for (uint64_t i = 0; i < size; i++)
        fd_expr_arr_push(*out, fd_expr_int((int64_t)((uint64_t)a.u.i + i))); /* Go's int wraps */
    return true;
}

static bool compare(struct fd_expr_ctx *ctx, const struct fd_node *n, struct fd_expr_val a,
                    struct fd_expr_val b, struct fd_expr_val *out)
{
    int c;
    bool r;

    if (a.kind == FD_VAL_FLOAT && b.kind == FD_VAL_FLOAT) {
        double x = a.u.f, y = b.u.f;
        switch (n->op) {
        case OP_LT:
            r = x < y;
            break;
        case OP_GT:
            r = x > y;
            break;
        case OP_LE:
            r = x <= y;
            break;
        default:
            r = x >= y;
            break;
        }
        *out = fd_expr_bool(r);
        return true;
    }
    /* named as the VM holds them (dereferenced, v1.17) */
    if (fd_expr_is_location(a) || fd_expr_is_location(b) || a.kind == FD_VAL_MAP ||
        b.kind == FD_VAL_MAP || fd_expr_is_semver(a) || fd_expr_is_semver(b))
        return mismatch(ctx, n, a, b);
    ctx->pos = n->pos;
    if (!fd_expr_compare(ctx, a, b, fd_expr_op_text(n->op), &c))
        return false;
    switch (n->op) {
    case OP_LT:
        r = c == -1;
        break;
    case OP_GT:
        r = c == 1;
        break;
    case OP_LE:
        r = c == -1 || c == 0;
        break;
    default:
        r = c == 1 || c == 0;
        break;
    }
    *out = fd_expr_bool(r);
    return true;
}

/* compiler.go equalBinaryNode: == (and in v1.17 !=) of two operands the
 * checker typed int (or string) compiles to OpEqualInt (OpEqualString), which asserts both
 * to that type: a value of another type there (max(1, 2.5) is typed int, a
 * findLast's junk) panics. false with Go's message then. */
static bool equal_typed(struct fd_expr_ctx *ctx, const struct fd_node *n, struct fd_expr_val a,
                        struct fd_expr_val b)
{
    struct fd_expr_type l = n->a->type, r = n->b->type;
    const char *want;
    bool a_ok, b_ok;

    if (ctx->p->v115 && n->op == OP_NE) /* v1.15.5 compiled != as OpEqual, OpNot */
        return true;
    if (l.kind == FD_T_INT && r.kind == FD_T_INT && l.elem == FD_T_ANY && r.elem == FD_T_ANY) {
        want = "int";
        a_ok = a.kind == FD_VAL_INT && a.tag == 0;
        b_ok = b.kind == FD_VAL_INT && b.tag == 0;
    } else if (l.kind == FD_T_STRING && r.kind == FD_T_STRING) {
        want = "string";
        a_ok = a.kind == FD_VAL_STRING;
        b_ok = b.kind == FD_VAL_STRING;
    } else {
        return true;
    }
    if (a_ok && b_ok)
        return true;
    struct fd_expr_val bad = a_ok ? b : a; /* a is asserted first */
    return fail_at(ctx, n, "interface conversion: interface {} is %s, not %s",
                   bad.kind == FD_VAL_NIL ? "nil" : fd_expr_go_type(bad), want);
}

static bool ev_binary(struct fd_expr_ctx *ctx, const struct fd_node *n, struct fd_expr_val *out)
{
    struct fd_expr_val ta, tb, a, b;
    bool ok;

    switch (n->op) {
    case OP_AND:
    case OP_OR:
        if (!fd_expr_evb(ctx, n->a, &ta, &a))
            return false;
        if (a.kind != FD_VAL_BOOL) {
            not_bool_operand(ctx, n, a);
            fd_expr_val_release(&ta);
            return false;
        }
        if (a.u.b == (n->op == OP_OR)) {
            *out = a;
            return true;
        }
        /* compiler.go: the right operand is left on the stack as it is
         * (v1.17: dereferenced), never asserted to bool (`true && "x"` is
         * "x") */
        if (!fd_expr_ev(ctx, n->b, out))
            return false;
        if (!ctx->p->v115)
            *out = deref_in_needed(n->b, *out);
        return true;
    case OP_NULLISH: /* both sides dereferenced (compiler.go "??", v1.15.5's
                      * derefInNeeded too) */
        if (!fd_expr_ev(ctx, n->a, out))
            return false;
        if (!fd_expr_is_go_nil(*out)) { /* OpJumpIfNotNil: runtime.IsNil */
            *out = deref_in_needed(n->a, *out);
            return true;
        }
        fd_expr_val_release(out);
        if (!fd_expr_ev(ctx, n->b, out))
            return false;
        *out = deref_in_needed(n->b, *out);
        return true;
    default:
        break;
    }
    size_t m0 = ctx->njunk;
    if (!fd_expr_evb(ctx, n->a, &ta, &a))
        return false;
    size_t m1 = ctx->njunk;
    if (!fd_expr_evb(ctx, n->b, &tb, &b)) {
        fd_expr_val_release(&ta);
        return false;
    }
    if (ctx->njunk > m1)
        junk_pair(ctx, m0, m1, &ta, &a, &tb, &b);
    switch (n->op) {
    case OP_EQ:
    case OP_NE:
        if (!equal_typed(ctx, n, a, b)) {
            ok = false;
            break;
        }
        /* v1.15.5 compares arrays with reflect.DeepEqual: [1] != [1.0]; both
         * dereference both operands (a *time.Location's struct) */
        *out = fd_expr_bool((ctx->p->v115 && a.kind == FD_VAL_ARRAY && b.kind == FD_VAL_ARRAY
                                 ? fd_expr_deep_equal(a, b)
                                 : fd_expr_equal(fd_expr_deref(a), fd_expr_deref(b))) ==
                            (n->op == OP_EQ));
        ok = true;
        break;
    case OP_LT:
    case OP_GT:
    case OP_LE:
    case OP_GE:
        ok = compare(ctx, n, a, b, out);
        break;
    case OP_IN:
        ok = op_in(ctx, n, a, b, out);
        break;
    case OP_MATCHES:
    case OP_CONTAINS:
    case OP_STARTS:
    case OP_ENDS:
        ok = str_op(ctx, n, a, b, out);
        break;
    case OP_RANGE:
        ok = op_range(ctx, n, a, b, out);
        break;
    default:
        ok = arith(ctx, n, a, b, out);
        break;
    }
    fd_expr_val_release(&ta);
    fd_expr_val_release(&tb);
    return ok;
}

static bool ev_unary(struct fd_expr_ctx *ctx, const struct fd_node *n, struct fd_expr_val *out)
{
    struct fd_expr_val t, a;

    if (!fd_expr_evb(ctx, n->a, &t, &a))
        return false;
    bool ok = true;
    switch (n->op) {
    case OP_NOT:
        if (a.kind != FD_VAL_BOOL)
            ok = not_bool_operand(ctx, n, a);
        else
            *out = fd_expr_bool(!a.u.b);
        break;
    case OP_NEG:
        /* runtime.Negate keeps an int64 an int64, and knows no
         * time.Duration */
        if (a.kind == FD_VAL_INT && !fd_expr_named_int(a)) {
            *out = a;
            out->u.i = wrap_sub(0, a.u.i);
            if (a.tag == FD_EXPR_TAG_UINT8) /* Go's unsigned negation wraps */
                out->u.i = (uint8_t)out->u.i;
        } else if (a.kind == FD_VAL_FLOAT) {
            *out = fd_expr_float(-a.u.f);
        } else {
            ok = fail_at(ctx, n, "invalid operation: - %s", operand_type(ctx, a));
        }
        break;
    default: /* compiler.go emits nothing for unary + but derefInNeeded: any
              * value passes, a *time.Location as its struct */
        *out = fd_expr_deref(fd_expr_val_ref(a));
        break;
    }
    fd_expr_val_release(&t);
    return ok;
}

/* Reads base[prop] BORROWED into *out. */
static bool fetch(struct fd_expr_ctx *ctx, const struct fd_node *n, struct fd_expr_val base,
                  struct fd_expr_val prop, struct fd_expr_val *out, struct fd_expr_val *own)
{
    int64_t i, len;

    if (fd_expr_is_semver(base)) { /* runtime.Fetch of a semver.Version's struct */
        if (prop.kind != FD_VAL_STRING)
            return fail_at(ctx, n, "interface conversion: interface {} is %s, not string",
                           prop.kind == FD_VAL_NIL ? "nil" : fd_expr_go_type(prop));
        if (fd_expr_hidden_field(FD_EXPR_HIDDEN_SEMVER, prop.u.s->data, prop.u.s->len))
            return fail_at(ctx, n, FD_EXPR_HIDDEN_PANIC);
        return fail_at(ctx, n, "cannot fetch %s from %s", prop.u.s->data, fd_expr_go_type(base));
    }
    switch (base.kind) {
    case FD_VAL_MAP:
        if (base.u.m->gostruct) { /* runtime.Fetch of a struct: FieldByName */
            if (prop.kind != FD_VAL_STRING)
                return fail_at(ctx, n, "interface conversion: interface {} is %s, not string",
                               prop.kind == FD_VAL_NIL ? "nil" : fd_expr_go_type(prop));
            if (fd_expr_gostruct_field(base.u.m->gostruct, prop.u.s->data, prop.u.s->len) &&
                fd_expr_map_get(base.u.m, prop.u.s->data, prop.u.s->len, out))
                return true;
            return fail_at(ctx, n, "cannot fetch %s from %s", prop.u.s->data,
                           fd_expr_go_type(base));
        }
        /* runtime.Fetch: reflect's MapIndex with the key as it is (nil: the
         * key type's zero value) */
        if (base.u.m->anykey) {
            const char *unhashable = fd_expr_unhashable(prop);
            if (unhashable)
                return fail_at(ctx, n, "%s%s", fd_expr_unhashable_lookup(base.u.m), unhashable);
        } else if (prop.kind == FD_VAL_NIL) {
            if (!fd_expr_map_get(base.u.m, "", 0, out))
                *out = base.u.m->strvals ? (*own = fd_expr_str_new("", 0)) : fd_expr_nil();
            return true;
        } else if (prop.kind != FD_VAL_STRING) {
            return fail_at(
                ctx, n, "reflect.Value.MapIndex: value of type %s is not assignable to type string",
                fd_expr_go_type(prop));
        }
        if (!fd_expr_map_get_any(base.u.m, prop, out))
            *out = *own = fd_expr_map_zero(base.u.m);
        return true;
    case FD_VAL_ARRAY:
    case FD_VAL_STRING:
    case FD_VAL_BYTES: /* a []uint8 item is a uint8: a number */
        if (!to_index(ctx, n, prop, &i))
            return false;
        len = base.kind == FD_VAL_ARRAY ? (int64_t)base.u.a->len : (int64_t)base.u.s->len;
        if (i < 0)
            i += len;
        if (i < 0 || i >= len) {
            if (ctx->p->v115) /* v1.15.5 indexed through reflect: Value.Index's panics */
                return fail_at(ctx, n, "reflect: %s index out of range",
                               base.kind == FD_VAL_STRING ? "string"
                               : base.kind == FD_VAL_ARRAY && base.u.a->slice == FD_EXPR_SLICE_PAIR
                                   ? "array"
                                   : "slice");
            return fail_at(ctx, n, "index out of range: %lld (array length is %lld)", (long long)i,
                           (long long)len);
        }
        if (base.kind == FD_VAL_ARRAY) {
            *out = fd_expr_arr_get(base.u.a, (size_t)i);
        } else {
            *own = fd_expr_tagged_int((unsigned char)base.u.s->data[i], FD_EXPR_TAG_UINT8);
            *out = *own;
        }
        return true;
    default: {
        /* runtime.Fetch on a struct (a *time.Location dereferenced): the key
         * is asserted to a string, and an unexported field refuses
         * Interface() */
        if (base.kind == FD_VAL_TIME && prop.kind != FD_VAL_STRING)
            return fail_at(ctx, n, "interface conversion: interface {} is %s, not string",
                           prop.kind == FD_VAL_NIL ? "nil" : fd_expr_go_type(prop));
        if (base.kind == FD_VAL_TIME && fd_expr_time_field(base, prop.u.s->data, prop.u.s->len))
            return fail_at(ctx, n, FD_EXPR_HIDDEN_PANIC);
        struct fd_buf b = FD_BUF_INIT;
        fd_expr_format(&b, prop);
        fail_at(ctx, n, "cannot fetch %s from %s", fd_buf_cstr(&b), fd_expr_go_type(base));
        fd_buf_free(&b);
        return false;
    }
    }
}

static bool ev_member(struct fd_expr_ctx *ctx, const struct fd_node *n, struct fd_expr_val *out)
{
    struct fd_expr_val tb, tp, base, prop, own = fd_expr_nil(), v;
    size_t m0 = ctx->njunk;

    if (!fd_expr_evb(ctx, n->a, &tb, &base))
        return false;
    if (ctx->short_nil || (fd_expr_is_go_nil(base) && (n->flags & NF_OPTIONAL))) {
        ctx->short_nil = true;
        fd_expr_val_release(&tb);
        *out = fd_expr_nil();
        return true;
    }
    size_t m1 = ctx->njunk;
    if (!fd_expr_evb(ctx, n->b, &tp, &prop)) {
        fd_expr_val_release(&tb);
        return false;
    }
    if (ctx->njunk > m1) /* OpFetch pops two */
        junk_pair(ctx, m0, m1, &tb, &base, &tp, &prop);
    bool ok;
    /* A field the checker found in a struct type (Kargo's functions
     * declare one, return a pointer or nil): runtime.FetchField, which
     * indexes the field of what the pointer points at. */
    bool field = n->a->type.kind == FD_T_STRUCT && prop.kind == FD_VAL_STRING;
    if (field && base.kind == FD_VAL_NIL)
        ok = fail_at(ctx, n, "cannot get %s from <nil>", prop.u.s->data);
    else if (field && base.kind == FD_VAL_MAP && base.u.m->isnil)
        ok = fail_at(ctx, n, "reflect: call of reflect.Value.Field on zero Value");
    else
        ok = fetch(ctx, n, base, prop, &v, &own);
    if (ok)
        *out = own.kind != FD_VAL_NIL ? own : fd_expr_val_ref(v);
    fd_expr_val_release(&tb);
    fd_expr_val_release(&tp);
    return ok;
}

static bool ev_slice(struct fd_expr_ctx *ctx, const struct fd_node *n, struct fd_expr_val *out)
{
    struct fd_expr_val tb, base, t, v;
    int64_t idx[2];
    bool ok = true;

    if (!fd_expr_evb(ctx, n->a, &tb, &base))
        return false;
    /* (a semver.Version, held as its text, is a struct to Go) */
    bool bytes =
        (base.kind == FD_VAL_STRING && !fd_expr_is_semver(base)) || base.kind == FD_VAL_BYTES;
    int64_t len = base.kind == FD_VAL_ARRAY ? (int64_t)base.u.a->len
                  : bytes                   ? (int64_t)base.u.s->len
                                            : 0;
    if (base.kind != FD_VAL_ARRAY && !bytes) {
        /* compiler.go SliceNode: without an end the VM takes OpLen of the
         * base (a map has one), then runtime.Slice panics naming `from` */
        if (!n->c && base.kind != FD_VAL_MAP) {
            fail_at(ctx, n, "invalid argument for len (type %s)", fd_expr_go_type(base));
            fd_expr_val_release(&tb); /* (base may be tb's: named before) */
            return false;
        }
        fd_expr_val_release(&tb);
        if (n->c) {
            if (!fd_expr_evb(ctx, n->c, &t, &v))
                return false;
            fd_expr_val_release(&t);
        }
        struct fd_expr_val from = fd_expr_int(0);
        t = fd_expr_nil();
        if (n->b && !fd_expr_evb(ctx, n->b, &t, &from))
            return false;
        struct fd_buf fb = FD_BUF_INIT;
        fd_expr_format(&fb, from);
        fd_expr_val_release(&t);
        fail_at(ctx, n, "cannot slice %s", fd_buf_cstr(&fb));
        fd_buf_free(&fb);
        return false;
    }
    const struct fd_node *ix[2] = {n->b, n->c};
    for (int k = 0; k < 2; k++) {
        idx[k] = k ? len : 0;
        if (!ix[k])
            continue;
        if (!fd_expr_evb(ctx, ix[k], &t, &v)) {
            ok = false;
            break;
        }
        ok = to_index(ctx, n, v, &idx[k]);
        fd_expr_val_release(&t);
        if (!ok)
            break;
    }
    if (ok) {
        int64_t a = idx[0], b = idx[1];
        if (a < 0)
            a = len + a < 0 ? 0 : len + a;
        if (b < 0)
            b = len + b < 0 ? 0 : len + b;
        if (b > len)
            b = len;
        if (a > b)
            a = b;
        /* v1.15.5's runtime.Slice: reflect cannot slice the Go array an
         * interface holds (toPairs' items) */
        if (ctx->p->v115 && !bytes && base.u.a->slice == FD_EXPR_SLICE_PAIR) {
            fd_expr_val_release(&tb);
            return fail_at(ctx, n, "reflect.Value.Slice: slice of unaddressable array");
        }
        if (bytes) {
            *out = fd_expr_str_new(base.u.s->data + a, (size_t)(b - a));
            out->kind = base.kind;
        } else if (base.u.a->floats) {
            *out = fd_expr_arr_float_new(base.u.a->f + a, (size_t)(b - a));
        } else {
            *out = fd_expr_arr_new((size_t)(b - a));
            out->u.a->slice = base.u.a->slice; /* a Go slice keeps its type */
            out->u.a->isnil = base.u.a->isnil; /* (a nil slice's [0:0] is nil) */
            for (int64_t i = a; i < b; i++)
                fd_expr_arr_push(*out, fd_expr_val_ref(base.u.a->items[i]));
        }
    }
    fd_expr_val_release(&tb);
    return ok;
}

/* Calls of up to this many arguments keep them on the C stack; more (expr
 * has no bound: max(...) of 100 numbers) take the heap. */
#define STACK_CALL_ARGS 16

/* compiler.go BuiltinNode: a builtin's argument is dereferenced unless its
 * Deref says otherwise: now's never, date's not when typed *time.Location. */
static bool derefs_location(const struct fd_expr_builtin *fn, const struct fd_node *arg)
{
    if (strcmp(fn->name, "now") == 0)
        return false;
    return strcmp(fn->name, "date") != 0 || !fd_expr_t_location(arg->type);
}

/* Go's panic for args[at] of a Func given fewer arguments. */
static bool missing_argument(struct fd_expr_ctx *ctx, const struct fd_node *n, size_t at)
{
    return fail_at(ctx, n, "runtime error: index out of range [%zu] with length %zu", at, at);
}

/* vm.go's pop from an empty stack: v1.17 checks, v1.15.5 indexes at -1 */
static bool stack_underflow(struct fd_expr_ctx *ctx, const struct fd_node *n)
{
    return fail_at(ctx, n,
                   ctx->p->v115 ? "runtime error: index out of range [-1]" : "stack underflow");
}

/* A builtin among an unknown callee's arguments (NF_UNCHECKED), with the k
 * arguments it was given (OWNED, released): what its Go Func, or the VM's
 * OpCallBuiltin1, does with them (enum fd_expr_go_call). */
static bool call_unchecked(struct fd_expr_ctx *ctx, const struct fd_node *n,
                           const struct fd_expr_builtin *fn, struct fd_expr_val *args, size_t k,
                           struct fd_expr_val *out)
{
    size_t use = k; /* how many the call reads: those after are ignored */
    bool ok = true;

    switch (fn->go_call) {
    case FD_EXPR_GO_FAST:
        /* OpCallBuiltin1 pops one value, the last argument: the others stay
         * on the stack, and with none it pops from an empty one (what an
         * enclosing operator left there is not modelled) */
        if (k == 0)
            return stack_underflow(ctx, n);
        for (size_t i = 0; i + 1 < k; i++)
            fd_expr_junk_push(ctx, args[i]);
        args[0] = args[k - 1];
        k = use = 1;
        break;
    case FD_EXPR_GO_READS1:
    case FD_EXPR_GO_READS2: {
        size_t reads = fn->go_call == FD_EXPR_GO_READS1 ? 1 : 2;
        if (k < reads) { /* args[i].(string) in order, then the missing one */
            for (size_t i = 0; i < k && ok; i++)
                if (args[i].kind != FD_VAL_STRING)
                    ok = fail_at(ctx, n, "interface conversion: interface {} is %s, not string",
                                 args[i].kind == FD_VAL_NIL ? "nil" : fd_expr_go_type(args[i]));
            if (ok)
                ok = missing_argument(ctx, n, k);
        }
        use = k < reads ? k : reads;
        break;
    }
    case FD_EXPR_GO_OPTIONAL2:
        if (k == 0)
            ok = missing_argument(ctx, n, 0);
        use = k == 2 ? 2 : 1;
        break;
    case FD_EXPR_GO_RECOVERS:
        if (k == 0) {
            *out = fd_expr_nil(); /* the panic, recovered */
            return true;
        }
        use = 1;
        break;
    case FD_EXPR_GO_GET:
        use = k < 2 ? k : 2; /* (fewer: its own message) */
        break;
    case FD_EXPR_GO_REFLECT_ANY1:
    case FD_EXPR_GO_REFLECT_FLOAT1:
    case FD_EXPR_GO_REFLECT_ANY2: {
        size_t want = fn->go_call == FD_EXPR_GO_REFLECT_ANY2 ? 2 : 1;
        if (k != want && ctx->p->v115) /* reflect's own count */
            ok = fail_at(ctx, n, "reflect: Call with too %s input arguments",
                         k < want ? "few" : "many");
        else if (k != want) /* vm.go OpCall counts first */
            ok = fail_at(ctx, n, "invalid number of arguments: expected %zu, got %zu", want, k);
        else if (fn->go_call == FD_EXPR_GO_REFLECT_FLOAT1 && args[0].kind == FD_VAL_NIL &&
                 !ctx->p->v115)
            args[0] = fd_expr_float(0); /* reflect.Zero(float64) */
        else if (fn->go_call == FD_EXPR_GO_REFLECT_FLOAT1 && args[0].kind != FD_VAL_FLOAT)
            ok = fail_at(ctx, n, "reflect: Call using %s as type float64",
                         args[0].kind == FD_VAL_NIL ? "interface {}" : fd_expr_go_type(args[0]));
        break;
    }
    default:
        break;
    }
    if (ok) {
        ctx->pos = n->pos;
        ok = fn->call(ctx, args, use < k ? use : k, out);
        if (!ok && !ctx->failed)
            fd_expr_fail(ctx, "%s failed", fn->name);
        if (!ok)
            ctx->pos = n->pos;
    }
    for (size_t i = 0; i < k; i++)
        fd_expr_val_release(&args[i]);
    return ok;
}

/* A call; args and marks have room for the receiver and every argument. */
static bool ev_call_in(struct fd_expr_ctx *ctx, const struct fd_node *n, struct fd_expr_val *out,
                       struct fd_expr_val *args, size_t *marks)
{
    size_t k = 0;
    const struct fd_expr_builtin *fn = n->fn;
    bool ok = true;
    bool reflect_call = false; /* a method the checker did not know (vm.go OpCall) */
    if (n->a->kind == N_MEMBER) {
        /* expr compiles a method's arguments before its receiver
         * (compiler.go CallNode): an argument's error comes first. */
        for (uint32_t i = 0; i < n->nargs; i++) {
            if (!fd_expr_ev(ctx, n->args[i], &args[i + 1])) {
                for (uint32_t j = 0; j < i; j++)
                    fd_expr_val_release(&args[j + 1]);
                return false;
            }
        }
        if (!fd_expr_ev(ctx, n->a->a, &args[0])) {
            for (uint32_t j = 0; j < n->nargs; j++)
                fd_expr_val_release(&args[j + 1]);
            return false;
        }
        k = (size_t)n->nargs + 1;
        if (ctx->short_nil || (fd_expr_is_go_nil(args[0]) && (n->a->flags & NF_OPTIONAL))) {
            ctx->short_nil = true;
            for (size_t j = 0; j < k; j++)
                fd_expr_val_release(&args[j]);
            *out = fd_expr_nil();
            return true;
        }
        const struct fd_expr_str *name = n->a->b->val.u.s;
        if (!fn) {
            /* a *time.Location shares time.Time's representation but has
             * one method, String (on the pointer: a time.Location has none) */
            bool loc_method = !fd_expr_is_location(args[0]) ||
                              (args[0].tag != FD_EXPR_TAG_LOCVAL && name->len == 6 &&
                               memcmp(name->data, "String", 6) == 0);
            /* a string has no methods; Kargo's semver.Version, held as
             * one, has those of its receiver */
            bool semver_method =
                fd_expr_is_semver(args[0]) &&
                fd_expr_semver_has_method(name->data, name->len, args[0].tag == FD_EXPR_TAG_SEMVER);
            if ((args[0].kind == FD_VAL_TIME || args[0].kind == FD_VAL_DURATION ||
                 fd_expr_named_int(args[0]) || semver_method) &&
                loc_method)
                fn = fd_expr_builtin_find(name->data, name->len, fd_expr_prog_mode(ctx->p),
                                          args[0].kind);
            if (!fn && args[0].kind == FD_VAL_MAP) {
                /* vm.go: the member is fetched from the map, then called
                 * (v1.15.5 through reflect's Call) */
                struct fd_expr_val f, own = fd_expr_nil();
                if (!fd_expr_map_get_any(args[0].u.m, n->a->b->val, &f))
                    f = own = fd_expr_map_zero(args[0].u.m);
                refuse_call(ctx, n, f); /* (the call, where a fold moved it too) */
                fd_expr_val_release(&own);
                for (size_t j = 0; j < k; j++)
                    fd_expr_val_release(&args[j]);
                return false;
            }
            int na = (int)n->nargs + 1;
            /* runtime.Fetch: a slice or string is indexed, and ToInt of the
             * method's name panics */
            if (!fn && (args[0].kind == FD_VAL_ARRAY ||
                        (args[0].kind == FD_VAL_STRING && !fd_expr_is_semver(args[0])) ||
                        args[0].kind == FD_VAL_BYTES))
                fail_at(ctx, n->a, "invalid operation: int(string)");
            else if (!fn)
                fail_at(ctx, n->a, "cannot fetch %s from %s", name->data, fd_expr_go_type(args[0]));
            /* OpMethod's bound method, called through reflect (OpCall):
             * v1.17 counts the arguments first, v1.15.5 leaves it to Call */
            else if (na != fn->min_args && !ctx->p->v115)
                fail_at(ctx, n, "invalid number of arguments: expected %d, got %u",
                        fn->min_args - 1, (unsigned)n->nargs);
            else if (na != fn->min_args)
                fail_at(ctx, n, "reflect: Call with too %s input arguments",
                        na < fn->min_args ? "few" : "many");
            if (!fn || na != fn->min_args) {
                for (size_t j = 0; j < k; j++)
                    fd_expr_val_release(&args[j]);
                return false;
            }
            reflect_call = true;
        }
    } else if (!fn) {
        /* Kargo (no expr.Env): the callee is whatever the env holds, and
         * the VM's OpCall refuses it (vm.go), once the arguments, compiled
         * first (compiler.go CallNode), ran */
        for (uint32_t i = 0; i < n->nargs; i++) {
            struct fd_expr_val v;
            if (!fd_expr_ev(ctx, n->args[i], &v))
                return false;
            fd_expr_val_release(&v);
        }
        struct fd_expr_val callee = fd_expr_nil(), own = fd_expr_nil();
        if (n->a->kind == N_IDENT && n->a->slot >= 0) { /* a let variable of no known type */
            if (!fd_expr_ev(ctx, n->a, &own))
                return false;
            callee = own;
        } else if (n->a->kind == N_IDENT && ctx->env.kind == FD_VAL_MAP) {
            fd_expr_map_get(ctx->env.u.m, n->a->name, n->a->namelen, &callee);
        }
        refuse_call(ctx, n, callee);
        fd_expr_val_release(&own);
        return false;
    }
    bool function = n->a->kind != N_MEMBER; /* (a method's arguments ran above) */
    /* v1.17 dereferences a builtin's argument of a pointer or unknown type
     * (derefs_location); Argo's and Kargo's functions take theirs as
     * interface {} (derefParam) */
    bool deref_args = function && !ctx->p->v115 && fn->modes == 0;
    for (uint32_t i = 0; function && i < n->nargs && ok; i++, k++) {
        marks[k] = ctx->njunk;
        ok = fd_expr_ev(ctx, n->args[i], &args[k]);
        if (ok && (n->args[i]->flags & NF_TOFLOAT) && args[k].kind == FD_VAL_INT)
            args[k] = fd_expr_float((double)args[k].u.i);
        if (ok && deref_args && fd_expr_is_location(args[k]) && derefs_location(fn, n->args[i]))
            args[k] = fd_expr_deref(args[k]);
        if (ok && deref_args && fd_expr_is_semver(args[k])) /* (a *semver.Version's struct) */
            args[k] = fd_expr_deref(args[k]);
        /* a pointer to one of Kargo's structs the checker did not type as
         * the struct (reached through an unknown) */
        if (ok && deref_args && fd_expr_is_struct_ptr(args[k]) &&
            n->args[i]->type.kind != FD_T_STRUCT)
            args[k] = fd_expr_deref(args[k]);
    }
    if (!ok)
        k--;
    if (ok && function && k > 1 && ctx->njunk > marks[1]) /* OpCall pops its arguments */
        fd_expr_junk_shuffle(ctx, args, marks, k);
    if (ok && (n->flags & NF_UNCHECKED))
        return call_unchecked(ctx, n, fn, args, k, out);
    if (ok) {
        ctx->pos = n->pos;
        ctx->reflect_call = reflect_call;
        ok = fn->call(ctx, args, k, out);
        ctx->reflect_call = false;
        if (!ok && !ctx->failed)
            fd_expr_fail(ctx, "%s failed", fn->name);
        if (!ok)
            ctx->pos = n->pos;
    }
    for (size_t i = 0; i < k; i++)
        fd_expr_val_release(&args[i]);
    return ok;
}

static bool ev_call(struct fd_expr_ctx *ctx, const struct fd_node *n, struct fd_expr_val *out)
{
    struct fd_expr_val stack_args[STACK_CALL_ARGS + 1];
    size_t stack_marks[STACK_CALL_ARGS + 1];

    if (n->nargs <= STACK_CALL_ARGS)
        return ev_call_in(ctx, n, out, stack_args, stack_marks);
    struct fd_expr_val *args = fd_xcalloc(n->nargs + 1, sizeof(*args));
    size_t *marks = fd_xcalloc(n->nargs + 1, sizeof(*marks));
    bool ok = ev_call_in(ctx, n, out, args, marks);
    free(args);
    free(marks);
    return ok;
}

static bool ev_len(struct fd_expr_ctx *ctx, const struct fd_node *n, struct fd_expr_val *out)
{
    struct fd_expr_val t, v;

    if (n->nargs != 1) { /* unchecked: OpCallBuiltin1 pops the last (call_unchecked) */
        if (n->nargs == 0)
            return stack_underflow(ctx, n);
        for (uint32_t i = 0; i + 1 < n->nargs; i++) {
            if (!fd_expr_ev(ctx, n->args[i], &v))
                return false;
            fd_expr_junk_push(ctx, v);
        }
    }
    if (!fd_expr_evb(ctx, n->args[n->nargs - 1], &t, &v))
        return false;
    bool ok = true;
    /* a Go struct (or a pointer to one) held as a map has no len */
    switch (v.kind == FD_VAL_MAP && v.u.m->gostruct ? FD_VAL_NIL : v.kind) {
    case FD_VAL_STRING:
        if (fd_expr_is_semver(v)) { /* a struct, held as its text */
            ok = fail_at(ctx, n, "invalid argument for len (type %s)",
                         fd_expr_go_type(fd_expr_deref(v)));
            break;
        }
        /* v1.15.5's len counts bytes */
        *out = fd_expr_int(ctx->p->v115 ? (int64_t)v.u.s->len
                                        : (int64_t)fd_expr_utf8_len(v.u.s->data, v.u.s->len));
        break;
    case FD_VAL_ARRAY:
        *out = fd_expr_int((int64_t)v.u.a->len);
        break;
    case FD_VAL_BYTES:
        *out = fd_expr_int((int64_t)v.u.s->len);
        break;
    case FD_VAL_MAP:
        *out = fd_expr_int((int64_t)v.u.m->len);
        break;
    default:
        /* (v1.17: a builtin's argument, dereferenced) */
        ok = fail_at(ctx, n, "invalid argument for len (type %s)",
                     fd_expr_go_type(ctx->p->v115 ? v : fd_expr_deref(v)));
        break;
    }
    fd_expr_val_release(&t);
    return ok;
}

static bool ev_cond(struct fd_expr_ctx *ctx, const struct fd_node *n, struct fd_expr_val *out)
{
    struct fd_expr_val t, c;

    if (!fd_expr_evb(ctx, n->a, &t, &c))
        return false;
    if (c.kind != FD_VAL_BOOL) {
        /* v1.17 dereferences the condition (compiler.go ConditionalNode);
         * v1.15.5's parser gave a ConditionalNode no location, so the
         * error names none */
        fd_expr_not_bool(ctx, n, ctx->p->v115 ? c : fd_expr_deref(c));
        if (ctx->p->v115)
            ctx->pos = FD_EXPR_NO_POS;
        fd_expr_val_release(&t);
        return false;
    }
    fd_expr_val_release(&t);
    return fd_expr_ev(ctx, c.u.b ? n->b : n->c, out);
}

static bool ev_let(struct fd_expr_ctx *ctx, const struct fd_node *n, struct fd_expr_val *out)
{
    struct fd_expr_val v;

    /* The value is built aside: a let inside it (let i = [let s = 1; s]; i)
     * has the same slot, which it fills and clears while the value is being
     * built. Evaluating straight into the slot let it overwrite the
     * half-built value (a crash found by the differential test). */
    if (!fd_expr_ev(ctx, n->a, &v))
        return false;
    ctx->slots[n->depth] = v;
    bool ok = fd_expr_ev(ctx, n->b, out);
    fd_expr_val_release(&ctx->slots[n->depth]);
    return ok;
}

/* Evaluates the items of n (OWNED into vals) as the VM stacks them. */
static bool ev_items(struct fd_expr_ctx *ctx, const struct fd_node *n, struct fd_expr_val *vals)
{
    size_t *marks = fd_xcalloc(n->nargs ? n->nargs : 1, sizeof(*marks));

    for (uint32_t i = 0; i < n->nargs; i++) {
        marks[i] = ctx->njunk;
        if (!fd_expr_ev(ctx, n->args[i], &vals[i])) {
            for (uint32_t j = 0; j < i; j++)
                fd_expr_val_release(&vals[j]);
            free(marks);
            return false;
        }
    }
    if (n->nargs > 1 && ctx->njunk > marks[1]) /* OpArray, OpMap pop them all */
        fd_expr_junk_shuffle(ctx, vals, marks, n->nargs);
    free(marks);
    return true;
}

static bool ev_array(struct fd_expr_ctx *ctx, const struct fd_node *n, struct fd_expr_val *out)
{
    struct fd_expr_val *vals = fd_xcalloc(n->nargs ? n->nargs : 1, sizeof(*vals));

    if (!ev_items(ctx, n, vals)) {
        free(vals);
        return false;
    }
    /* vm.go OpArray, unless fold.go made the array one constant */
    if (!(n->flags & NF_CONSTARRAY) && !fd_expr_mem_grow_at(ctx, n, n->nargs)) {
        for (uint32_t i = 0; i < n->nargs; i++)
            fd_expr_val_release(&vals[i]);
        free(vals);
        return false;
    }
    *out = fd_expr_arr_new(n->nargs);
    for (uint32_t i = 0; i < n->nargs; i++)
        fd_expr_arr_push(*out, vals[i]);
    free(vals);
    return true;
}

static bool ev_map(struct fd_expr_ctx *ctx, const struct fd_node *n, struct fd_expr_val *out)
{
    struct fd_expr_val *vals = fd_xcalloc(n->nargs ? n->nargs : 1, sizeof(*vals));
    struct fd_buf b = FD_BUF_INIT;

    if (!ev_items(ctx, n, vals)) {
        free(vals);
        return false;
    }
    /* vm.go OpMap grows the memory by its pairs, then asserts each key to a
     * string (the parser made a bare number key one; a (parenthesized) key
     * is whatever it evaluates to) */
    bool ok = fd_expr_mem_grow_at(ctx, n, n->nargs / 2);
    for (uint32_t i = n->nargs & ~1u; ok && i >= 2; i -= 2) /* the last pair first */
        if (!fd_expr_is_go_string(vals[i - 2]))
            ok = fail_at(ctx, n, "interface conversion: interface {} is %s, not string",
                         vals[i - 2].kind == FD_VAL_NIL ? "nil" : fd_expr_go_type(vals[i - 2]));
    if (!ok) {
        for (uint32_t j = 0; j < n->nargs; j++)
            fd_expr_val_release(&vals[j]);
        free(vals);
        return false;
    }
    *out = fd_expr_map_new(n->nargs / 2);
    for (uint32_t i = 0; i + 1 < n->nargs; i += 2) {
        struct fd_expr_val k = vals[i], v = vals[i + 1];
        fd_buf_reset(&b);
        fd_buf_append(&b, k.u.s->data, k.u.s->len);
        /* vm.go OpMap pops the pairs last to first: the first of two equal
         * keys wins */
        struct fd_expr_val old;
        if (fd_expr_map_get(out->u.m, b.data ? b.data : "", b.len, &old))
            fd_expr_val_release(&v);
        else
            fd_expr_map_set(*out, b.data ? b.data : "", b.len, v);
        fd_expr_val_release(&k);
    }
    fd_buf_free(&b);
    free(vals);
    return true;
}

bool fd_expr_ev(struct fd_expr_ctx *ctx, const struct fd_node *n, struct fd_expr_val *out)
{
    struct fd_expr_val t, v;
    bool ok;

    *out = fd_expr_nil();
    if (n->fk >= FK_CMP && fd_expr_bool_fast(ctx, n, &ok)) {
        *out = fd_expr_bool(ok);
        return true;
    }
    switch (n->kind) {
    case N_CONST:
        *out = fd_expr_val_ref(n->val);
        return true;
    case N_IDENT:
    case N_POINTER:
        if (n->kind == N_POINTER && n->namelen) {
            struct fd_expr_scope *s = &ctx->scopes[ctx->nscopes - 1];
            *out = n->namelen == 5 ? fd_expr_int(s->index) : fd_expr_scope_acc(s);
            return true;
        }
        if (!fd_expr_evb(ctx, n, &t, &v))
            return false;
        *out = fd_expr_val_ref(v);
        return true;
    case N_UNARY:
        return ev_unary(ctx, n, out);
    case N_BINARY:
        return ev_binary(ctx, n, out);
    case N_CHAIN:
        ok = fd_expr_ev(ctx, n->a, out);
        ctx->short_nil = false;
        /* v1.17 ends a chain with OpJumpIfNotNil, OpPop, OpNil: a typed nil
         * (a missing groupBy key's nil slice) becomes nil, but for ?? */
        if (ok && !ctx->p->v115 && !(n->flags & NF_NULLISH_OPERAND) && out->kind != FD_VAL_NIL &&
            fd_expr_is_go_nil(*out)) {
            fd_expr_val_release(out);
            *out = fd_expr_nil();
        }
        return ok;
    case N_MEMBER:
        if (n->fk == FK_MEMBER && member_fast(ctx, n, &v)) {
            *out = fd_expr_val_ref(v);
            return true;
        }
        return ev_member(ctx, n, out);
    case N_SLICE:
        return ev_slice(ctx, n, out);
    case N_CALL:
        return ev_call(ctx, n, out);
    case N_LEN:
        return ev_len(ctx, n, out);
    case N_PRED:
        return fd_expr_ev_pred(ctx, n, out);
    case N_LET:
        return ev_let(ctx, n, out);
    case N_COND:
        return ev_cond(ctx, n, out);
    case N_ARRAY:
        return ev_array(ctx, n, out);
    case N_MAP:
        return ev_map(ctx, n, out);
    case N_SEQ:
        for (uint32_t i = 0; i < n->nargs; i++) {
            fd_expr_val_release(out);
            if (!fd_expr_ev(ctx, n->args[i], out))
                return false;
        }
        return true;
    default:
        return fail_at(ctx, n, "internal error: unknown node");
    }
}

static _Thread_local const atomic_bool *cancel_flag;

void fd_expr_cancel_flag(const atomic_bool *flag)
{
    cancel_flag = flag;
}

int fd_expr_exec(const struct fd_expr_program *p, struct fd_expr_val env, struct fd_expr_val *out,
                 struct fd_expr_error *err)
{
    struct fd_expr_ctx ctx;
    struct fd_expr_val slots[16];
    struct fd_expr_scope scopes[8];

    /* Field by field: clearing the whole context (its message buffer is
     * most of it) cost more than a simple condition takes to run. */
    ctx.p = p;
    ctx.env = p->argo_env ? fd_expr_argo_env(env) : env;
    ctx.nscopes = 0;
    ctx.noelem = 0;
    ctx.memory = 0;
    ctx.cancel = cancel_flag;
    ctx.ticks = 0;
    ctx.short_nil = false;
    ctx.reflect_call = false;
    ctx.failed = false;
    ctx.pos = 0;
    ctx.msg[0] = '\0';
    ctx.junk = NULL;
    ctx.njunk = ctx.capjunk = 0;
    ctx.slots = slots;
    ctx.scopes = scopes;
    /* A condition made of fast comparisons needs no variables or scopes
     * (# and let variables sit below a predicate or let node). */
    if (p->root->fk >= FK_CMP && !p->argo_env) {
        bool r;
        if (fd_expr_bool_fast(&ctx, p->root, &r)) {
            *out = fd_expr_bool(r);
            return 0;
        }
    }
    ctx.slots = p->nslots <= 16 ? slots : fd_xcalloc((size_t)p->nslots, sizeof(*ctx.slots));
    ctx.scopes = p->maxdepth <= 8 ? scopes : fd_xcalloc((size_t)p->maxdepth, sizeof(*ctx.scopes));
    for (int i = 0; i < p->nslots && i < 16; i++)
        slots[i] = fd_expr_nil();
    bool ok = fd_expr_ev(&ctx, p->root, out);
    /* what stays below the result: the VM returns its top */
    for (size_t i = 0; i < ctx.njunk; i++)
        fd_expr_val_release(&ctx.junk[i]);
    free(ctx.junk);
    if (p->argo_env)
        fd_expr_val_release(&ctx.env);
    if (ctx.slots != slots)
        free(ctx.slots);
    if (ctx.scopes != scopes)
        free(ctx.scopes);
    if (ok)
        return 0;
    fd_expr_val_release(out);
    fd_expr_error_set(err, FD_EXPR_PHASE_RUN, p->src, p->len,
                      ctx.pos == FD_EXPR_NO_POS ? SIZE_MAX : ctx.pos, "%s", ctx.msg);
    return -1;
}

/* expr/check.c: the type checker (checker/checker.go): resolves names
 * against the env, types every node, raises expr's compile-time errors, and
 * runs the optimizer's folds (constants, `x || true`, `true && x`...). */
#include "config.h"

#include "ast.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ck_var {
    const char *name;
    size_t len;
    struct fd_expr_type type;
    int slot;
};

struct ck_scope {
    struct fd_expr_type elem;
    int pred; /* enum fd_pred */
};

struct fd_expr_tctx {
    struct fd_expr_program *p;
    struct fd_expr_val env;  /* map, borrowed (nil when absent) */
    bool strict;
    /* Grown on demand (at most FD_EXPR_MAX_TREE): most programs bind no
     * variable, and clearing fixed 40 KB tables dominated compile time. */
    struct ck_var *vars;
    int nvars, capvars;
    struct ck_scope *scopes;
    int nscopes, capscopes;
    int depth;
    struct fd_expr_error *err;
    bool failed;
    struct fd_node *call;   /* the call whose check hook runs */
};

static bool ck(struct fd_expr_tctx *c, struct fd_node *n);

static bool fail_at(struct fd_expr_tctx *c, uint32_t pos, const char *fmt, ...) FD_PRINTF(3, 4);
static bool fail_at(struct fd_expr_tctx *c, uint32_t pos, const char *fmt, ...)
{
    va_list ap;
    char msg[480];

    if (c->failed)
        return false;
    c->failed = true;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    fd_expr_error_set(c->err, FD_EXPR_PHASE_COMPILE, c->p->src, c->p->len, pos, "%s", msg);
    return false;
}

bool fd_expr_check_fail(struct fd_expr_tctx *tc, int argi, const char *fmt, ...)
{
    va_list ap;
    char msg[480];
    struct fd_node *call = tc->call;
    uint32_t pos = call ? call->pos : 0;

    if (call && argi >= 0 && (uint32_t)argi < call->nargs)
        pos = call->args[argi]->pos;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return fail_at(tc, pos, "%s", msg);
}

bool fd_expr_tctx_v115(const struct fd_expr_tctx *tc)
{
    return tc->p->v115;
}

void fd_expr_program_own(struct fd_expr_program *p, struct fd_node *n)
{
    if (n->flags & NF_OWNED)
        return;
    n->flags |= NF_OWNED;
    if (p->nowned == p->capowned) {
        p->capowned = p->capowned ? p->capowned * 2 : 16;
        p->owned = fd_xreallocarray(p->owned, p->capowned, sizeof(*p->owned));
    }
    p->owned[p->nowned++] = n;
}

/* ---- Type predicates (checker/types.go) ---- */
static bool t_any(struct fd_expr_type t) { return t.kind == FD_T_ANY; }
static bool t_num(struct fd_expr_type t) { return t.kind == FD_T_INT || t.kind == FD_T_FLOAT; }
static bool t_int(struct fd_expr_type t) { return t.kind == FD_T_INT; }
static bool t_float(struct fd_expr_type t) { return t.kind == FD_T_FLOAT; }
static bool t_str(struct fd_expr_type t) { return t.kind == FD_T_STRING; }
static bool t_bool(struct fd_expr_type t) { return t.kind == FD_T_BOOL; }
static bool t_time(struct fd_expr_type t) { return t.kind == FD_T_TIME; }
static bool t_dur(struct fd_expr_type t) { return t.kind == FD_T_DURATION; }
static bool t_arr(struct fd_expr_type t) { return t.kind == FD_T_ARRAY; }
static bool t_map(struct fd_expr_type t) { return t.kind == FD_T_MAP; }

typedef bool (*tpred)(struct fd_expr_type);

/* checker's or(): one side unknown and the other fits, or both unknown. */
static bool either(struct fd_expr_type l, struct fd_expr_type r, tpred a, tpred b, tpred d)
{
    tpred fns[3] = {a, b, d};
    if (t_any(l) && t_any(r))
        return true;
    for (int i = 0; i < 3; i++) {
        if (!fns[i])
            continue;
        if (t_any(l) && fns[i](r))
            return true;
        if (t_any(r) && fns[i](l))
            return true;
    }
    return false;
}

static bool comparable(struct fd_expr_type l, struct fd_expr_type r)
{
    if (l.kind == FD_T_NIL || r.kind == FD_T_NIL)
        return true;
    if (l.kind == r.kind)
        return true;
    if (t_num(l) && t_num(r))
        return true;
    return t_any(l) || t_any(r);
}

static struct fd_expr_type combined(struct fd_expr_type l, struct fd_expr_type r)
{
    return fd_expr_t(l.kind == FD_T_INT && r.kind == FD_T_INT ? FD_T_INT : FD_T_FLOAT);
}

/* Set for the duration of one fd_expr_check (the checker of one program runs
 * on one thread; the flag is thread-local). */
static _Thread_local bool c_v115;

static const char *tn(struct fd_expr_type t)
{
    /* nature.String() of a nil type: "unknown" (checker messages); v1.15.5
     * printed the nil reflect.Type: "<nil>" */
    return t.kind == FD_T_NIL ? (c_v115 ? "<nil>" : "unknown") : fd_expr_tname(t);
}

/* ---- Folding ---- */

/* Replaces n by the constant v (owned). */
static void make_const(struct fd_expr_tctx *c, struct fd_node *n, struct fd_expr_val v)
{
    n->kind = N_CONST;
    n->val = v;
    n->type = fd_expr_type_of(v);
    fd_expr_program_own(c->p, n);
}

static bool is_const(const struct fd_node *n)
{
    return n && n->kind == N_CONST;
}

/* Evaluates a node whose operands are constants at compile time; a run
 * error here is a compile error, as expr's constant folding makes it. */
static bool fold(struct fd_expr_tctx *c, struct fd_node *n)
{
    struct fd_expr_error err;
    struct fd_expr_val v;
    struct fd_expr_program tmp = *c->p;

    tmp.root = n;
    if (fd_expr_exec(&tmp, fd_expr_nil(), &v, &err) != 0) {
        if (c->failed)
            return false;
        c->failed = true;
        *c->err = err;
        c->err->phase = FD_EXPR_PHASE_COMPILE;
        return false;
    }
    make_const(c, n, v);
    return true;
}

/* Makes dst a copy of src (the optimizer replacing a node by an operand). */
static void copy_node(struct fd_expr_tctx *c, struct fd_node *dst, const struct fd_node *src)
{
    uint32_t pos = dst->pos;
    *dst = *src;
    dst->flags &= (uint8_t)~NF_OWNED;
    dst->pos = pos;
    if (src->kind == N_CONST) {
        dst->val = fd_expr_val_ref(src->val);
        fd_expr_program_own(c->p, dst);
    }
}

/* ---- Nodes ---- */

static bool ck_unary(struct fd_expr_tctx *c, struct fd_node *n)
{
    if (!ck(c, n->a))
        return false;
    struct fd_expr_type t = n->a->type;
    if (n->op == OP_NOT) {
        if (!t_bool(t) && !t_any(t))
            return fail_at(c, n->pos, "invalid operation: %s (mismatched type %s)",
                           c->p->src[n->pos] == 'n' ? "not" : "!", tn(t));
        n->type = fd_expr_t(FD_T_BOOL);
    } else {
        if (!t_num(t) && !t_any(t))
            return fail_at(c, n->pos, "invalid operation: %s (mismatched type %s)",
                           n->op == OP_NEG ? "-" : "+", tn(t));
        n->type = t;
    }
    if (is_const(n->a))
        return fold(c, n);
    return true;
}

static bool ck_logic(struct fd_expr_tctx *c, struct fd_node *n)
{
    struct fd_expr_type l = n->a->type, r = n->b->type;
    bool is_or = n->op == OP_OR;

    if (!(t_bool(l) && t_bool(r)) && !either(l, r, t_bool, NULL, NULL))
        return fail_at(c, n->pos, "invalid operation: %s (mismatched types %s and %s)",
                       /* the operator as written: and/or or &&/|| */
                       c->p->src[n->pos] == 'a' ? "and"
                       : c->p->src[n->pos] == 'o' ? "or"
                       : is_or                    ? "||"
                                                  : "&&",
                       tn(l), tn(r));
    n->type = fd_expr_t(FD_T_BOOL);
    /* optimizer/fold.go: x || true -> true, true && x -> x, ... */
    struct fd_node *a = n->a, *b = n->b;
    bool ca = is_const(a) && a->val.kind == FD_VAL_BOOL;
    bool cb = is_const(b) && b->val.kind == FD_VAL_BOOL;
    if (ca && cb) {
        make_const(c, n, fd_expr_bool(is_or ? a->val.u.b || b->val.u.b : a->val.u.b && b->val.u.b));
    } else if (ca && a->val.u.b == is_or) {
        make_const(c, n, fd_expr_bool(is_or));
    } else if (cb && b->val.u.b == is_or) {
        make_const(c, n, fd_expr_bool(is_or));
    } else if (ca) {
        copy_node(c, n, b);
    } else if (cb) {
        copy_node(c, n, a);
    }
    return true;
}

static bool ck_matches(struct fd_expr_tctx *c, struct fd_node *n)
{
    if (is_const(n->b) && n->b->val.kind == FD_VAL_STRING) {
        char msg[256];
        n->re = fd_regex_compile(n->b->val.u.s->data, n->b->val.u.s->len, msg, sizeof(msg));
        if (!n->re)
            return fail_at(c, n->pos, "%s", msg);
        if (c->p->nres == c->p->capres) {
            c->p->capres = c->p->capres ? c->p->capres * 2 : 4;
            c->p->res = fd_xreallocarray(c->p->res, c->p->capres, sizeof(*c->p->res));
        }
        c->p->res[c->p->nres++] = n->re;
    }
    return true;
}

static bool ck_binary(struct fd_expr_tctx *c, struct fd_node *n)
{
    if (!ck(c, n->a) || !ck(c, n->b))
        return false;
    struct fd_expr_type l = n->a->type, r = n->b->type;
    struct fd_expr_type out = fd_expr_t(FD_T_BOOL);
    bool ok = false;

    switch (n->op) {
    case OP_OR:
    case OP_AND:
        return ck_logic(c, n);
    case OP_EQ:
    case OP_NE:
        ok = comparable(l, r);
        break;
    case OP_LT:
    case OP_GT:
    case OP_LE:
    case OP_GE:
        ok = (t_num(l) && t_num(r)) || (t_str(l) && t_str(r)) || (t_time(l) && t_time(r)) ||
             (t_dur(l) && t_dur(r)) || either(l, r, t_num, t_str, t_time);
        break;
    case OP_SUB:
        if (t_num(l) && t_num(r)) {
            out = combined(l, r);
            ok = true;
        } else if (t_time(l) && t_time(r)) {
            out = fd_expr_t(FD_T_DURATION);
            ok = true;
        } else if ((t_time(l) && t_dur(r))) {
            out = fd_expr_t(FD_T_TIME);
            ok = true;
        } else if (t_dur(l) && t_dur(r)) {
            out = fd_expr_t(FD_T_DURATION);
            ok = true;
        } else if (either(l, r, t_num, t_time, t_dur)) {
            out = fd_expr_t(FD_T_ANY);
            ok = true;
        }
        break;
    case OP_MUL:
        if (t_num(l) && t_num(r)) {
            out = combined(l, r);
            ok = true;
        } else if ((t_dur(l) && t_num(r)) || (t_num(l) && t_dur(r)) || either(l, r, t_num, t_dur, NULL)) {
            out = fd_expr_t(FD_T_ANY);
            ok = true;
        }
        break;
    case OP_DIV:
    case OP_POW:
        out = fd_expr_t(FD_T_FLOAT);
        ok = (t_num(l) && t_num(r)) || either(l, r, t_num, NULL, NULL);
        break;
    case OP_MOD:
        ok = (t_int(l) && t_int(r)) || either(l, r, t_int, NULL, NULL);
        out = t_int(l) && t_int(r) ? fd_expr_t(FD_T_INT) : fd_expr_t(FD_T_ANY);
        break;
    case OP_ADD:
        if (t_num(l) && t_num(r)) {
            out = combined(l, r);
            ok = true;
        } else if (t_str(l) && t_str(r)) {
            out = fd_expr_t(FD_T_STRING);
            ok = true;
        } else if ((t_time(l) && t_dur(r)) || (t_dur(l) && t_time(r))) {
            out = fd_expr_t(FD_T_TIME);
            ok = true;
        } else if (t_dur(l) && t_dur(r)) {
            out = fd_expr_t(FD_T_DURATION);
            ok = true;
        } else if (either(l, r, t_num, t_str, t_time) || either(l, r, t_dur, NULL, NULL)) {
            out = fd_expr_t(FD_T_ANY);
            ok = true;
        }
        break;
    case OP_IN:
        if (t_map(r)) {
            if (r.elem != FD_T_ARRAY && l.kind != FD_T_NIL && !t_any(l) && !t_str(l))
                return fail_at(c, n->pos, "cannot use %s as type string in map key", tn(l));
            ok = true;
        } else if (t_arr(r)) {
            struct fd_expr_type e = fd_expr_t((enum fd_expr_tkind)r.elem);
            if (!comparable(l, e))
                return fail_at(c, n->pos, "cannot use %s as type %s in array", tn(l), tn(e));
            ok = true;
        } else if (t_any(r)) {
            ok = true;
        }
        break;
    case OP_MATCHES:
        if (!ck_matches(c, n))
            return false;
        /* fall through */
    case OP_CONTAINS:
    case OP_STARTS:
    case OP_ENDS:
        ok = (t_str(l) && t_str(r)) || either(l, r, t_str, NULL, NULL);
        break;
    case OP_RANGE:
        out = fd_expr_t(FD_T_ARRAY);
        ok = (t_int(l) && t_int(r)) || either(l, r, t_int, NULL, NULL);
        break;
    case OP_NULLISH:
        if (l.kind == FD_T_NIL)
            out = r;
        else if (r.kind == FD_T_NIL || (l.kind == r.kind && l.elem == r.elem))
            out = l;
        else
            out = fd_expr_t(FD_T_ANY);
        ok = true;
        break;
    default:
        break;
    }
    if (!ok)
        return fail_at(c, n->pos, "invalid operation: %s (mismatched types %s and %s)",
                       fd_expr_op_text(n->op), tn(l), tn(r));
    n->type = out;
    if (is_const(n->a) && is_const(n->b) && n->op != OP_RANGE)
        return fold(c, n);
    if (n->op == OP_NULLISH && is_const(n->a) && n->a->val.kind != FD_VAL_NIL)
        copy_node(c, n, n->a);
    return true;
}

/* A name of expr's own builtins (predicates and len included) in mode. */
static bool is_expr_builtin(struct fd_expr_tctx *c, enum fd_expr_mode mode, const char *name,
                            size_t len)
{
    if (fd_expr_builtin_find(name, len, fd_expr_mode_at(mode, c->p->v115 ? FD_EXPR_V1_15 : FD_EXPR_V1_17),
                             FD_VAL_NIL) != NULL ||
        (len == 3 && memcmp(name, "len", 3) == 0))
        return true;
    static const struct {
        const char *text;
        size_t len;
    } preds[] = {
#define FD_PRED_NAME(id, text) {text, sizeof(text) - 1},
        FD_EXPR_PREDICATES(FD_PRED_NAME)
#undef FD_PRED_NAME
    };
    for (int i = 0; i < PRED__COUNT; i++)
        if (preds[i].len == len && memcmp(preds[i].text, name, len) == 0)
            return true;
    return false;
}

static bool ck_ident(struct fd_expr_tctx *c, struct fd_node *n)
{
    for (int i = c->nvars - 1; i >= 0; i--) {
        if (c->vars[i].len == n->namelen && memcmp(c->vars[i].name, n->name, n->namelen) == 0) {
            n->slot = c->vars[i].slot;
            n->type = c->vars[i].type;
            return true;
        }
    }
    if (n->namelen == 4 && memcmp(n->name, "$env", 4) == 0) {
        n->slot = -2;
        n->type = fd_expr_t(FD_T_MAP);
        return true;
    }
    bool is_builtin = fd_expr_builtin_find(n->name, n->namelen, fd_expr_prog_mode(c->p), FD_VAL_NIL) != NULL ||
                      (n->namelen == 3 && memcmp(n->name, "len", 3) == 0);
    for (int i = 0; !is_builtin && i < PRED__COUNT; i++) {
        static const struct {
            const char *text;
            size_t len;
        } preds[] = {
#define FD_PRED_NAME(id, text) {text, sizeof(text) - 1},
            FD_EXPR_PREDICATES(FD_PRED_NAME)
#undef FD_PRED_NAME
        };
        is_builtin = preds[i].len == n->namelen && preds[i].text[0] == n->name[0] &&
                     memcmp(preds[i].text, n->name, n->namelen) == 0;
    }
    if (is_builtin) {
        /* A builtin used as a value evaluates to nil. */
        n->slot = -3;
        n->type = fd_expr_t(FD_T_FUNC);
        return true;
    }
    n->slot = -1;
    if (c->env.kind == FD_VAL_MAP && !(n->flags & NF_OWNED)) {
        /* Where the name sits in the env, so that a run against an env of
         * the same shape needs no search. The program keeps a reference to
         * the key string: no other object can take its address, so finding
         * this very key object there at run time proves the name (eval.c).
         * NF_OWNED: a chained comparison shares its middle operand, which is
         * then checked twice but must hold one reference. */
        ptrdiff_t at = fd_expr_map_index(c->env.u.m, n->name, n->namelen);
        if (at >= 0 && (uint64_t)at < UINT32_MAX) {
            n->envidx = (uint32_t)at;
            n->val.kind = FD_VAL_STRING;
            n->val.u.s = c->env.u.m->e[at].key;
            n->val = fd_expr_val_ref(n->val);
            fd_expr_program_own(c->p, n);
        }
    }
    /* Kargo compiles without expr.Env: env names are untyped there. */
    if (c->strict && n->envidx != UINT32_MAX) {
        n->type = fd_expr_type_of(c->env.u.m->e[n->envidx].val);
        return true;
    }
    if (c->strict)
        return fail_at(c, n->pos, "unknown name %.*s", (int)n->namelen, n->name);
    n->type = fd_expr_t(FD_T_ANY);
    n->type.elem = FD_T_NIL; /* no type at all: "unknown" in messages */
    return true;
}

static void format_prop(struct fd_buf *b, const struct fd_node *prop)
{
    if (prop->kind == N_CONST)
        fd_expr_format(b, prop->val);
    else
        fd_buf_puts(b, tn(prop->type));
}

static bool ck_member(struct fd_expr_tctx *c, struct fd_node *n)
{
    if (!ck(c, n->a) || !ck(c, n->b))
        return false;
    struct fd_expr_type base = n->a->type, prop = n->b->type;
    struct fd_buf b = FD_BUF_INIT;
    bool ok;

    if (n->a->kind == N_IDENT && n->a->slot == -2) {
        /* $env.name: the env's type for a known name; unknown names are a
         * compile error unless accessed with ?. */
        struct fd_expr_val v;
        n->type = fd_expr_t(FD_T_ANY);
        if (is_const(n->b) && n->b->val.kind == FD_VAL_STRING) {
            const struct fd_expr_str *s = n->b->val.u.s;
            if (c->env.kind == FD_VAL_MAP && fd_expr_map_get(c->env.u.m, s->data, s->len, &v))
                n->type = fd_expr_type_of(v);
            else if (c->strict && !(n->flags & NF_OPTIONAL))
                return fail_at(c, n->b->pos, "unknown name %s", s->data);
        }
        return true;
    }
    switch (base.kind) {
    case FD_T_ANY:
        n->type = fd_expr_t(FD_T_ANY);
        return true;
    case FD_T_MAP:
        if (base.elem == FD_T_ARRAY) { /* map[interface {}][]interface {}: any key */
            n->type = fd_expr_t(FD_T_ARRAY);
            return true;
        }
        if (!t_str(prop) && !t_any(prop))
            return fail_at(c, n->b->pos, "cannot use %s to get an element from %s", tn(prop),
                           tn(base));
        n->type = fd_expr_t(FD_T_ANY);
        return true;
    case FD_T_ARRAY:
        if (!t_int(prop) && !t_any(prop))
            return fail_at(c, n->b->pos,
                           "array elements can only be selected using an integer (got %s)",
                           tn(prop));
        n->type = fd_expr_t((enum fd_expr_tkind)base.elem);
        if (is_const(n->a) && is_const(n->b))
            return fold(c, n);
        return true;
    case FD_T_NIL:
        format_prop(&b, n->b);
        if (is_const(n->b) && n->b->val.kind == FD_VAL_STRING)
            ok = fail_at(c, n->pos, "type %s has no field %s", c->p->v115 ? "<nil>" : "nil",
                         fd_buf_cstr(&b));
        else
            ok = fail_at(c, n->pos, "type %s[%s] is undefined", c->p->v115 ? "<nil>" : "unknown",
                         tn(prop));
        fd_buf_free(&b);
        return ok;
    case FD_T_TIME:
    case FD_T_DURATION:
        if ((n->flags & NF_METHOD) && is_const(n->b)) {
            n->type = fd_expr_t(FD_T_FUNC);
            return true;
        }
        /* fall through */
    default:
        format_prop(&b, n->b);
        /* v1.15.5 said "type float64[string] is undefined" for fields too */
        if (is_const(n->b) && n->b->val.kind == FD_VAL_STRING && !c->p->v115)
            ok = fail_at(c, n->pos, "type %s has no field %s", tn(base), fd_buf_cstr(&b));
        else
            ok = fail_at(c, n->pos, "type %s[%s] is undefined", tn(base), tn(prop));
        fd_buf_free(&b);
        return ok;
    }
}

static bool ck_slice(struct fd_expr_tctx *c, struct fd_node *n)
{
    if (!ck(c, n->a))
        return false;
    struct fd_expr_type t = n->a->type;
    if (!t_any(t) && !t_str(t) && !t_arr(t))
        return fail_at(c, n->pos, "cannot slice %s", tn(t));
    struct fd_node *idx[2] = {n->b, n->c};
    for (int i = 0; i < 2; i++) {
        if (!idx[i])
            continue;
        if (!ck(c, idx[i]))
            return false;
        if (!t_int(idx[i]->type) && !t_any(idx[i]->type))
            return fail_at(c, idx[i]->pos, "non-integer slice index %s", tn(idx[i]->type));
    }
    n->type = t;
    return true;
}

static bool ck_args(struct fd_expr_tctx *c, struct fd_node *n)
{
    for (uint32_t i = 0; i < n->nargs; i++)
        if (!ck(c, n->args[i]))
            return false;
    return true;
}

static bool ck_builtin_call(struct fd_expr_tctx *c, struct fd_node *n,
                            const struct fd_expr_builtin *fn, size_t extra)
{
    size_t nargs = n->nargs + extra;
    struct fd_expr_type types[64];

    if ((int)nargs < fn->min_args)
        return fail_at(c, n->pos, "not enough arguments to call %s", fn->name);
    if (fn->max_args != FD_EXPR_VARIADIC && (int)nargs > fn->max_args)
        return fail_at(c, n->pos, "too many arguments to call %s", fn->name);
    n->fn = fn;
    n->type = fd_expr_t(FD_T_ANY);
    if (!fn->check)
        return true;
    if (n->nargs > FD_ARRAY_SIZE(types) - 1)
        return fail_at(c, n->pos, "too many arguments to call %s", fn->name);
    size_t k = 0;
    if (extra)
        types[k++] = n->a->a->type; /* the method's receiver */
    for (uint32_t i = 0; i < n->nargs; i++)
        types[k++] = n->args[i]->type;
    struct fd_node *saved = c->call;
    c->call = n;
    bool ok = fn->check(c, types, nargs, &n->type);
    c->call = saved;
    return ok && !c->failed;
}

static bool ck_call(struct fd_expr_tctx *c, struct fd_node *n)
{
    if (!ck_args(c, n))
        return false;
    if (n->a->kind == N_MEMBER) {
        /* A method: time.Time and time.Duration have them; unknown receivers
         * are resolved at run time. */
        struct fd_node *m = n->a;
        if (!ck(c, m->a))
            return false;
        m->type = fd_expr_t(FD_T_FUNC);
        struct fd_expr_type base = m->a->type;
        const struct fd_expr_str *name = m->b->val.u.s;
        if (t_any(base)) {
            n->type = fd_expr_t(FD_T_ANY);
            return true;
        }
        uint8_t recv = t_time(base) ? FD_VAL_TIME : t_dur(base) ? FD_VAL_DURATION : FD_VAL_NIL;
        /* a *time.Location has one method: String */
        if (t_time(base) && base.elem == FD_T_STRING && strcmp(name->data, "String") != 0)
            recv = FD_VAL_NIL;
        const struct fd_expr_builtin *fn =
            recv != FD_VAL_NIL ? fd_expr_builtin_find(name->data, name->len, fd_expr_prog_mode(c->p), recv) : NULL;
        if (!fn) {
            if (base.kind == FD_T_NIL)
                return fail_at(c, m->pos, "type nil has no field %s", name->data);
            if (base.kind == FD_T_MAP)
                return fail_at(c, n->pos, "%s is not callable", tn(fd_expr_t(FD_T_ANY)));
            return fail_at(c, m->pos, "type %s has no method %s", tn(base), name->data);
        }
        return ck_builtin_call(c, n, fn, 1);
    }
    struct fd_node *callee = n->a;
    for (int i = c->nvars - 1; i >= 0; i--)
        if (c->vars[i].len == callee->namelen &&
            memcmp(c->vars[i].name, callee->name, callee->namelen) == 0) {
            if (!t_any(c->vars[i].type))
                return fail_at(c, n->pos, "%s is not callable", tn(c->vars[i].type));
            return fail_at(c, n->pos, "%.*s is not callable", (int)callee->namelen, callee->name);
        }
    const struct fd_expr_builtin *fn =
        fd_expr_builtin_find(callee->name, callee->namelen, fd_expr_prog_mode(c->p), FD_VAL_NIL);
    if (fn)
        return ck_builtin_call(c, n, fn, 0);
    if (c->strict)
        return fail_at(c, n->pos, "unknown name %.*s", (int)callee->namelen, callee->name);
    /* Non-strict: an unknown function is nil, calling it fails at run time. */
    n->type = fd_expr_t(FD_T_ANY);
    return true;
}

static bool ck_len(struct fd_expr_tctx *c, struct fd_node *n)
{
    if (!ck_args(c, n))
        return false;
    if (n->nargs < 1)
        return fail_at(c, n->pos, "not enough arguments to call len");
    if (n->nargs > 1) /* builtin.go checks the arity of len itself */
        return fail_at(c, n->pos, "invalid number of arguments (expected 1, got %zu)",
                       (size_t)n->nargs);
    struct fd_expr_type t = n->args[0]->type;
    if (!t_any(t) && !t_str(t) && !t_arr(t) && !t_map(t))
        return fail_at(c, n->pos, "invalid argument for len (type %s)", fd_expr_tname(t));
    n->type = fd_expr_t(FD_T_INT);
    return true;
}

static bool ck_pred(struct fd_expr_tctx *c, struct fd_node *n)
{
    static const char *const names[] = {
#define FD_PRED_NAME(id, text) text,
        FD_EXPR_PREDICATES(FD_PRED_NAME)
#undef FD_PRED_NAME
    };
    const char *name = names[n->op];

    if (!ck(c, n->args[0]))
        return false;
    struct fd_expr_type coll = n->args[0]->type;
    if (c->p->v115 && n->op == PRED_SUM) { /* v1.15.5: sum was a plain builtin */
        if (n->nargs != 1)
            return fail_at(c, n->pos, "invalid number of arguments (expected 1, got %u)",
                           (unsigned)n->nargs);
        if (!t_arr(coll) && !t_any(coll))
            return fail_at(c, n->pos, "cannot sum %s", fd_expr_tname(coll));
    }
    if (!t_arr(coll) && !t_any(coll))
        return fail_at(c, n->args[0]->pos, "builtin %s takes only array (got %s)", name, tn(coll));
    struct fd_expr_type elem = t_arr(coll) ? fd_expr_t((enum fd_expr_tkind)coll.elem) : fd_expr_t(FD_T_ANY);
    if (n->nargs > 2 && !ck(c, n->args[2]))
        return false;
    if (n->nargs > 1) {
        if (c->nscopes >= FD_EXPR_MAX_TREE)
            return fail_at(c, n->pos, "nesting deeper than %d", FD_EXPR_MAX_DEPTH);
        if (c->nscopes == c->capscopes) {
            c->capscopes = c->capscopes ? c->capscopes * 2 : 8;
            c->scopes = fd_xreallocarray(c->scopes, (size_t)c->capscopes, sizeof(*c->scopes));
        }
        c->scopes[c->nscopes].elem = elem;
        c->scopes[c->nscopes].pred = n->op;
        c->nscopes++;
        if (c->nscopes > c->p->maxdepth)
            c->p->maxdepth = c->nscopes;
        bool ok = ck(c, n->args[1]);
        c->nscopes--;
        if (!ok)
            return false;
    }
    struct fd_expr_type body = n->nargs > 1 ? n->args[1]->type : fd_expr_t(FD_T_ANY);
    /* checker.go: a closure whose body has no type (nil) has no output */
    if (n->nargs > 1 && body.kind == FD_T_NIL)
        return fail_at(c, n->args[1]->pred_pos, "predicate should has %s input and one output param",
                       n->op == PRED_REDUCE ? "two" : "one");
    switch (n->op) {
    case PRED_ALL:
    case PRED_ANY:
    case PRED_NONE:
    case PRED_ONE:
    case PRED_FILTER:
    case PRED_FIND:
    case PRED_FINDINDEX:
    case PRED_FINDLAST:
    case PRED_FINDLASTINDEX:
    case PRED_COUNT:
        if (n->nargs > 1 && !t_bool(body) && !t_any(body))
            return fail_at(c, n->args[1]->pred_pos, "predicate should return boolean (got %s)",
                           tn(body));
        break;
    default:
        break;
    }
    switch (n->op) {
    case PRED_ALL:
    case PRED_ANY:
    case PRED_NONE:
    case PRED_ONE:
        n->type = fd_expr_t(FD_T_BOOL);
        break;
    case PRED_FILTER:
        n->type = t_arr(coll) ? coll : fd_expr_t(FD_T_ARRAY);
        break;
    case PRED_MAP:
    case PRED_SORTBY:
        n->type = fd_expr_t(FD_T_ARRAY);
        if (n->op == PRED_SORTBY && t_arr(coll))
            n->type = coll;
        break;
    case PRED_COUNT:
    case PRED_FINDINDEX:
    case PRED_FINDLASTINDEX:
        n->type = fd_expr_t(FD_T_INT);
        break;
    case PRED_FIND:
    case PRED_FINDLAST:
        n->type = elem;
        break;
    case PRED_GROUPBY:
        n->type = fd_expr_t(FD_T_MAP);
        n->type.elem = FD_T_ARRAY; /* map[interface {}][]interface {} */
        break;
    case PRED_SUM: /* checker.go: the sum of float64s is a float64 (v1.15.5: any) */
        n->type = fd_expr_t(c->p->v115 ? FD_T_ANY
                            : n->nargs > 1 ? (t_float(body) ? FD_T_FLOAT : FD_T_ANY)
                                           : (t_float(elem) ? FD_T_FLOAT : FD_T_ANY));
        break;
    default:
        n->type = fd_expr_t(FD_T_ANY);
        break;
    }
    return true;
}

static bool ck_pointer(struct fd_expr_tctx *c, struct fd_node *n)
{
    if (c->nscopes == 0)
        return fail_at(c, n->pos, "cannot use pointer accessor outside predicate");
    const struct ck_scope *s = &c->scopes[c->nscopes - 1];
    if (n->namelen == 0) {
        n->type = s->elem;
        return true;
    }
    if (n->namelen == 5 && memcmp(n->name, "index", 5) == 0 &&
        (s->pred == PRED_MAP || s->pred == PRED_REDUCE)) {
        n->type = fd_expr_t(FD_T_INT);
        return true;
    }
    if (n->namelen == 3 && memcmp(n->name, "acc", 3) == 0 && s->pred == PRED_REDUCE) {
        n->type = fd_expr_t(FD_T_ANY);
        return true;
    }
    return fail_at(c, n->pos, "unknown pointer #%.*s", (int)n->namelen, n->name);
}

static bool ck_let(struct fd_expr_tctx *c, struct fd_node *n)
{
    /* checker.go variableDeclaratorNode: env names (Argo's functions live in
     * its env), Kargo's expr.Function names, builtins, enclosing lets. */
    bool argo = c->p->mode == FD_EXPR_MODE_ARGO || c->p->mode == FD_EXPR_MODE_ARGO_WEB;
    bool kargo = !c->strict;
    struct fd_expr_val found;
    if ((argo && n->namelen == 6 && memcmp(n->name, "result", 6) == 0) ||
        (c->strict && !argo && c->env.kind == FD_VAL_MAP &&
         fd_expr_map_get(c->env.u.m, n->name, n->namelen, &found)) ||
        (argo && !is_expr_builtin(c, FD_EXPR_MODE_EXPR, n->name, n->namelen) &&
         is_expr_builtin(c, c->p->mode, n->name, n->namelen)))
        return fail_at(c, n->pos, "cannot redeclare %.*s", (int)n->namelen, n->name);
    if (kargo && !is_expr_builtin(c, FD_EXPR_MODE_EXPR, n->name, n->namelen) &&
        is_expr_builtin(c, c->p->mode, n->name, n->namelen))
        return fail_at(c, n->pos, "cannot redeclare function %.*s", (int)n->namelen, n->name);
    if (is_expr_builtin(c, FD_EXPR_MODE_EXPR, n->name, n->namelen))
        return fail_at(c, n->pos, "cannot redeclare builtin %.*s", (int)n->namelen, n->name);
    for (int i = c->nvars - 1; i >= 0; i--)
        if (c->vars[i].len == n->namelen && memcmp(c->vars[i].name, n->name, n->namelen) == 0)
            return fail_at(c, n->pos, "cannot redeclare variable %.*s", (int)n->namelen, n->name);
    if (!ck(c, n->a))
        return false;
    if (c->nvars >= FD_EXPR_MAX_TREE)
        return fail_at(c, n->pos, "nesting deeper than %d", FD_EXPR_MAX_DEPTH);
    if (c->nvars == c->capvars) {
        c->capvars = c->capvars ? c->capvars * 2 : 8;
        c->vars = fd_xreallocarray(c->vars, (size_t)c->capvars, sizeof(*c->vars));
    }
    struct ck_var *v = &c->vars[c->nvars++];
    v->name = n->name;
    v->len = n->namelen;
    v->type = n->a->type;
    v->slot = c->nvars - 1;
    n->depth = v->slot;
    if (c->nvars > c->p->nslots)
        c->p->nslots = c->nvars;
    bool ok = ck(c, n->b);
    c->nvars--;
    n->type = n->b->type;
    return ok;
}

static bool ck_cond(struct fd_expr_tctx *c, struct fd_node *n)
{
    if (!ck(c, n->a) || !ck(c, n->b) || !ck(c, n->c))
        return false;
    struct fd_expr_type t = n->a->type;
    if (!t_bool(t) && !t_any(t))
        return fail_at(c, n->a->pos, "non-bool expression (type %s) used as condition", tn(t));
    struct fd_expr_type b = n->b->type, e = n->c->type;
    n->type = b.kind == e.kind && b.elem == e.elem ? b : fd_expr_t(FD_T_ANY);
    if (is_const(n->a) && n->a->val.kind == FD_VAL_BOOL) {
        /* expr's optimizer folds after the checker typed the whole ternary:
         * the folded branch keeps the ternary's type */
        struct fd_expr_type t2 = n->type;
        copy_node(c, n, n->a->val.u.b ? n->b : n->c);
        n->type = t2;
    }
    return true;
}

static bool fk_leaf(const struct fd_node *n)
{
    return n->fk == FK_CONST || n->fk == FK_IDENT || n->fk == FK_ELEM;
}

static bool fk_leaf_or_operand(const struct fd_node *n)
{
    return n->fk != FK_NONE && n->fk != FK_CMP && n->fk != FK_LOGIC;
}

/* How the evaluator may read n without walking it (enum fd_fast_kind), once
 * n and its operands are checked and folded. */
static uint8_t fast_kind(const struct fd_node *n)
{
    switch (n->kind) {
    case N_CONST:
        return FK_CONST;
    case N_IDENT:
        return FK_IDENT;
    case N_POINTER:
        return n->namelen == 0 ? FK_ELEM : FK_NONE;
    case N_MEMBER:
        return !(n->flags & (NF_OPTIONAL | NF_METHOD)) && fk_leaf(n->a) && n->b->kind == N_CONST
                   ? FK_MEMBER
                   : FK_NONE;
    case N_LEN:
        return n->nargs == 1 && fk_leaf(n->args[0]) ? FK_LEN : FK_NONE;
    case N_BINARY:
        if (n->op == OP_AND || n->op == OP_OR)
            return n->a->fk == FK_CMP || n->a->fk == FK_LOGIC ? FK_LOGIC : FK_NONE;
        return n->op >= OP_LT && n->op <= OP_GE && fk_leaf_or_operand(n->a) &&
                       fk_leaf_or_operand(n->b)
                   ? FK_CMP
                   : FK_NONE;
    default:
        return FK_NONE;
    }
}

static bool ck(struct fd_expr_tctx *c, struct fd_node *n)
{
    bool ok = true;

    if (c->failed)
        return false;
    if (++c->depth > FD_EXPR_MAX_TREE) {
        c->depth--;
        return fail_at(c, n->pos, "nesting deeper than %d", FD_EXPR_MAX_DEPTH);
    }
    switch (n->kind) {
    case N_CONST:
        n->type = fd_expr_type_of(n->val);
        break;
    case N_IDENT:
        ok = ck_ident(c, n);
        break;
    case N_POINTER:
        ok = ck_pointer(c, n);
        break;
    case N_UNARY:
        ok = ck_unary(c, n);
        break;
    case N_BINARY:
        ok = ck_binary(c, n);
        break;
    case N_CHAIN:
        ok = ck(c, n->a);
        n->type = n->a->type;
        break;
    case N_MEMBER:
        ok = ck_member(c, n);
        break;
    case N_SLICE:
        ok = ck_slice(c, n);
        break;
    case N_CALL:
        ok = ck_call(c, n);
        break;
    case N_LEN:
        ok = ck_len(c, n);
        break;
    case N_PRED:
        ok = ck_pred(c, n);
        break;
    case N_LET:
        ok = ck_let(c, n);
        break;
    case N_COND:
        ok = ck_cond(c, n);
        break;
    case N_ARRAY:
        ok = ck_args(c, n);
        n->type = fd_expr_t(FD_T_ARRAY);
        break;
    case N_MAP:
        ok = ck_args(c, n);
        for (uint32_t i = 0; ok && i < n->nargs; i += 2) {
            struct fd_expr_type k = n->args[i]->type;
            if (!t_str(k) && !t_any(k) && !t_num(k))
                ok = fail_at(c, n->args[i]->pos, "cannot use %s as map key", tn(k));
        }
        n->type = fd_expr_t(FD_T_MAP);
        break;
    case N_SEQ:
        ok = ck_args(c, n);
        n->type = n->nargs ? n->args[n->nargs - 1]->type : fd_expr_t(FD_T_NIL);
        break;
    default:
        break;
    }
    c->depth--;
    n->fk = ok ? fast_kind(n) : FK_NONE;
    return ok && !c->failed;
}

bool fd_expr_check(struct fd_expr_program *p, const fd_value *env, struct fd_expr_error *err)
{
    struct fd_expr_tctx ctx = {0}, *c = &ctx;
    bool ok;

    c->p = p;
    c->env = env ? fd_expr_from_public(env) : fd_expr_nil();
    c->strict = p->mode != FD_EXPR_MODE_KARGO && p->mode != FD_EXPR_MODE_KARGO_TEMPLATE;
    c->err = err;
    c_v115 = p->v115;
    ok = ck(c, p->root);
    c_v115 = false;
    free(c->vars);
    free(c->scopes);
    return ok;
}

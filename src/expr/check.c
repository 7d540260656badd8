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
    const struct fd_node *value; /* what is known of its items */
    int slot;
};

struct ck_scope {
    struct fd_expr_type elem;
    const struct fd_items *elem_items; /* what is known of #'s items */
    int pred;                          /* enum fd_pred */
};

struct fd_expr_tctx {
    struct fd_expr_program *p;
    struct fd_expr_val env; /* map, borrowed (nil when absent) */
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
    struct fd_node *call; /* the call whose check hook runs */
    /* Set by fd_expr_bi_check_sigs: how many arguments (receiver included)
     * expr's checker visits before it gives up on every overload; -1 when
     * the check hook is no Go signature (a Validate function visits all). */
    int sig_reach;
    /* > 0 while visiting arguments expr's checker never visits: those of a
     * call whose callee is unknown (callNode returns Nature{} first). Their
     * nodes are resolved for the run, but typed unknown and not folded, so
     * that what is wrong in them fails at run time, as in the VM. */
    int lenient;
    /* The argument being visited of a call v1.15.5 parsed as a CallNode (a
     * method, an Argo function; not a builtin): its MemberNode named a
     * missing struct field "no method", as it did for a callee (checker.go
     * MemberNode looks at its parent). */
    const struct fd_node *call_arg;
    /* optimizer/fold.go's first error: it fails the compile once the whole
     * tree is checked, so a checker error anywhere comes first */
    bool fold_failed;
    struct fd_expr_error fold_err;
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
    fd_utf8_cut(msg, sizeof(msg), vsnprintf(msg, sizeof(msg), fmt, ap));
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
    fd_utf8_cut(msg, sizeof(msg), vsnprintf(msg, sizeof(msg), fmt, ap));
    va_end(ap);
    return fail_at(tc, pos, "%s", msg);
}

/* traverseAndReplaceIntegerNodesWithFloatNodes: integer literals, through
 * unary operators and + - * (an int with a float64 gives a float64) */
static bool float_literals(const struct fd_node *n)
{
    switch (n->kind) {
    case N_CONST:
        return n->val.kind == FD_VAL_INT && !n->val.tag;
    case N_UNARY:
        return n->op != OP_NOT && float_literals(n->a);
    case N_BINARY:
        return (n->op == OP_ADD || n->op == OP_SUB || n->op == OP_MUL) &&
               (float_literals(n->a) || float_literals(n->b));
    default:
        return false;
    }
}

/* The node of argument argi (of nargs, a method's receiver first) of the
 * call being checked; NULL for the receiver or none. */
static struct fd_node *call_arg(struct fd_expr_tctx *tc, size_t argi, size_t nargs)
{
    struct fd_node *call = tc->call;
    size_t extra = call && nargs > call->nargs ? nargs - call->nargs : 0;
    if (!call || argi < extra || argi - extra >= call->nargs)
        return NULL;
    return call->args[argi - extra];
}

/* traverseAndReplaceIntegerNodesWithIntegerNodes: integer literals,
 * through unary operators and + - *, take the parameter's type (int64) */
static void int64_literals(struct fd_node *n, int depth)
{
    if (!n || depth > FD_EXPR_MAX_TREE)
        return;
    if (n->kind == N_CONST && (n->flags & NF_LITERAL) && n->val.kind == FD_VAL_INT && !n->val.tag)
        n->val.tag = FD_EXPR_TAG_INT64;
    else if (n->kind == N_UNARY)
        int64_literals(n->a, depth + 1);
    else if (n->kind == N_BINARY && (n->op == OP_ADD || n->op == OP_SUB || n->op == OP_MUL)) {
        int64_literals(n->a, depth + 1);
        int64_literals(n->b, depth + 1);
    }
}

void fd_expr_check_int64_arg(struct fd_expr_tctx *tc, size_t argi, size_t nargs)
{
    int64_literals(call_arg(tc, argi, nargs), 0);
}

void fd_expr_check_float_arg(struct fd_expr_tctx *tc, size_t argi, size_t nargs)
{
    struct fd_node *arg = call_arg(tc, argi, nargs);
    if (arg && float_literals(arg))
        arg->flags |= NF_TOFLOAT;
}

void fd_expr_check_sig_reach(struct fd_expr_tctx *tc, int reach)
{
    tc->sig_reach = reach;
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

/* Set for the duration of one fd_expr_check (the checker of one program runs
 * on one thread; the flag is thread-local). */
static _Thread_local bool c_v115;
/* the program's arena, for what is known of items (struct fd_items) */
static _Thread_local struct fd_expr_arena *c_arena;

/* ---- Type predicates (checker/types.go) ---- */
static bool t_any(struct fd_expr_type t)
{
    return t.kind == FD_T_ANY;
}
/* Nature{}, which v1.17's checker prints "unknown"; v1.15.5 typed the same
 * results interface {} */
static struct fd_expr_type t_unknown(void)
{
    struct fd_expr_type t = fd_expr_t(FD_T_ANY);
    if (!c_v115)
        t.elem = FD_T_NIL;
    return t;
}
/* groupBy's and fromPairs' maps: keys of type interface {} */
static bool t_anykey_map(struct fd_expr_type t)
{
    return t.kind == FD_T_MAP && (t.elem == FD_T_ARRAY || t.elem == FD_T_NIL);
}
static bool t_unknown_p(struct fd_expr_type t)
{
    return t.kind == FD_T_ANY && t.elem == FD_T_NIL;
}
/* nature.go AssignableTo: a typed value to an interface {} or to its own
 * type; nothing to or from an unknown */
static bool assignable(struct fd_expr_type t, struct fd_expr_type to)
{
    if (t_unknown_p(t) || t_unknown_p(to))
        return false;
    return to.kind == FD_T_ANY || (t.kind == to.kind && t.elem == to.elem);
}
static bool t_num(struct fd_expr_type t)
{
    return t.kind == FD_T_INT || t.kind == FD_T_FLOAT;
}
static bool t_int(struct fd_expr_type t)
{
    return t.kind == FD_T_INT;
}
static bool t_str(struct fd_expr_type t)
{
    return t.kind == FD_T_STRING;
}
static bool t_bool(struct fd_expr_type t)
{
    return t.kind == FD_T_BOOL;
}
static bool t_time(struct fd_expr_type t)
{
    return t.kind == FD_T_TIME && t.elem != FD_T_STRING && t.elem != FD_T_MAP;
}
static bool t_dur(struct fd_expr_type t)
{
    return t.kind == FD_T_DURATION;
}
static bool t_arr(struct fd_expr_type t)
{
    return t.kind == FD_T_ARRAY;
}
static bool t_map(struct fd_expr_type t)
{
    return t.kind == FD_T_MAP;
}

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

/* v1.15.5's isNumber goes by reflect.Kind: time.Duration (int64),
 * time.Month and time.Weekday (int) are numbers to its checker. */
/* isInteger: v1.17 knows Go's int types by name, v1.15.5 by reflect.Kind
 * (a time.Duration, Month or Weekday passes, and runtime.ToInt refuses it) */
static bool int115(struct fd_expr_type t)
{
    return t_int(t) ||
           (c_v115 && (t.kind == FD_T_DURATION || t.kind == FD_T_MONTH || t.kind == FD_T_WEEKDAY));
}
static bool num115(struct fd_expr_type t)
{
    return t_num(t) ||
           (c_v115 && (t.kind == FD_T_DURATION || t.kind == FD_T_MONTH || t.kind == FD_T_WEEKDAY));
}

/* v1.15.5's checker judges numbers by reflect.Kind: a time.Duration (or
 * an int64) is an Int64, a time.Month an Int; combined() keeps the left
 * type of two of one kind, else float64 or int. */
static int kind115(struct fd_expr_type t)
{
    if (t.kind == FD_T_DURATION || (t.kind == FD_T_INT && t.elem == FD_T_INT64))
        return FD_T_DURATION;
    return t.kind == FD_T_FLOAT ? FD_T_FLOAT : FD_T_INT;
}
static bool arith115(struct fd_expr_type l, struct fd_expr_type r, int op, struct fd_expr_type *out)
{
    if (!c_v115 || !num115(l) || !num115(r))
        return false;
    if (op == OP_MOD && (l.kind == FD_T_FLOAT || r.kind == FD_T_FLOAT))
        return false;
    if (op == OP_DIV || op == OP_POW)
        *out = fd_expr_t(FD_T_FLOAT);
    else if (kind115(l) == kind115(r))
        *out = l;
    else
        *out = fd_expr_t(l.kind == FD_T_FLOAT || r.kind == FD_T_FLOAT ? FD_T_FLOAT : FD_T_INT);
    return true;
}

static bool comparable(struct fd_expr_type l, struct fd_expr_type r)
{
    if (l.kind == FD_T_NIL || r.kind == FD_T_NIL)
        return true;
    /* a *time.Location (elem FD_T_STRING), or the struct it points at
     * (binaryNode derefs both sides), is no time.Time */
    if (l.kind == FD_T_TIME && r.kind == FD_T_TIME)
        return t_time(l) == t_time(r);
    /* v1.17 AssignableTo: maps of two Go types are not (v1.15.5 compared
     * reflect.Kinds) */
    if (l.kind == FD_T_MAP && r.kind == FD_T_MAP && !c_v115)
        return l.elem == r.elem;
    if (l.kind == FD_T_FUNC && r.kind == FD_T_FUNC && !c_v115) /* one Go func type */
        return strcmp(fd_expr_tname(l), fd_expr_tname(r)) == 0;
    /* Kargo's structs, and its FreightOriginKind beside a string: two Go
     * types */
    if ((l.kind == FD_T_STRUCT && r.kind == FD_T_STRUCT) ||
        (l.kind == FD_T_STRING && r.kind == FD_T_STRING))
        return l.elem == r.elem;
    if (l.kind == r.kind)
        return true;
    if (num115(l) && num115(r))
        return true;
    /* Nature.ComparableTo: any two slices ([]uint8 and []interface {}) */
    if ((l.kind == FD_T_BYTES || l.kind == FD_T_ARRAY) &&
        (r.kind == FD_T_BYTES || r.kind == FD_T_ARRAY))
        return true;
    return t_any(l) || t_any(r);
}

static struct fd_expr_type combined(struct fd_expr_type l, struct fd_expr_type r)
{
    return fd_expr_t(l.kind == FD_T_INT && r.kind == FD_T_INT ? FD_T_INT : FD_T_FLOAT);
}

static const char *tn(struct fd_expr_type t)
{
    /* nature.String() of a nil type: "unknown" (checker messages); v1.15.5
     * printed the nil reflect.Type: "<nil>" */
    return t.kind == FD_T_NIL ? (c_v115 ? "<nil>" : "unknown") : fd_expr_tname(t);
}

/* Items of type t, whose own items are known as `of` says (v1.17; v1.15.5
 * kept no item types: NULL). */
static const struct fd_items *items_new(struct fd_expr_type t, const struct fd_items *of)
{
    if (c_v115)
        return NULL;
    struct fd_items *it = fd_expr_arena_alloc(c_arena, sizeof(*it));
    it->type = t;
    it->items = of;
    return it;
}

/* n is an array of items of type e. */
static void set_items(struct fd_node *n, struct fd_expr_type e)
{
    n->items = items_new(e, NULL);
}

/* The type of an item of array node n. */
static struct fd_expr_type item_of(const struct fd_node *n)
{
    return n->items ? n->items->type : fd_expr_t_item(n->type);
}

/* dst holds what src does, and what is known of src's items (a let's value,
 * a chain, ?? of it). */
static void copy_items(struct fd_node *dst, const struct fd_node *src)
{
    dst->items = src->items;
}

/* dst holds items of array node a (a slice, filter, sortBy): what is known
 * of them, at least their type. */
static void same_items(struct fd_node *dst, const struct fd_node *a)
{
    dst->items = a->items ? a->items : items_new(item_of(a), NULL);
}

/* dst is an array of items like node e (v1.17: its type, and what is known
 * of its own items). */
static void items_like(struct fd_node *dst, const struct fd_node *e)
{
    dst->items = items_new(e->type, e->items);
}

/* What is known of the items of an item of array node a (NULL: nothing). */
static const struct fd_items *item_items(const struct fd_node *a)
{
    return a->items ? a->items->items : NULL;
}

/* dst is an item of array node a: its type, and what is known of its items. */
static void item_node(struct fd_node *dst, const struct fd_node *a)
{
    dst->type = item_of(a);
    dst->items = item_items(a);
}

/* reflect.Kind of a type, which v1.17's array literal compares (Nature's
 * Kind): int64 (asInt) and time.Duration are both Int64, time.Month and
 * time.Weekday Int, a []uint8 and any array Slice, a time.Time Struct but a
 * *time.Location Ptr, and nil and a name of no type both Invalid. */
enum go_kind {
    GK_INVALID,
    GK_BOOL,
    GK_INT,
    GK_UINT8,
    GK_INT64,
    GK_FLOAT64,
    GK_STRING,
    GK_SLICE,
    GK_MAP,
    GK_STRUCT,
    GK_PTR,
    GK_FUNC,
    GK_INTERFACE
};
static enum go_kind go_kind(struct fd_expr_type t)
{
    switch (t.kind) {
    case FD_T_ANY:
        return t.elem == FD_T_NIL ? GK_INVALID : GK_INTERFACE;
    case FD_T_NIL:
        return GK_INVALID;
    case FD_T_BOOL:
        return GK_BOOL;
    case FD_T_INT:
        return t.elem == FD_T_INT64 ? GK_INT64 : t.elem == FD_T_BYTES ? GK_UINT8 : GK_INT;
    case FD_T_MONTH:
    case FD_T_WEEKDAY:
        return GK_INT;
    case FD_T_DURATION:
        return GK_INT64;
    case FD_T_FLOAT:
        return GK_FLOAT64;
    case FD_T_STRING:
        return GK_STRING;
    case FD_T_ARRAY:
    case FD_T_BYTES:
        return GK_SLICE;
    case FD_T_MAP:
        return GK_MAP;
    case FD_T_TIME: /* (and the struct of a dereferenced *time.Location) */
        return t.elem == FD_T_STRING ? GK_PTR : GK_STRUCT;
    case FD_T_FUNC:
        return GK_FUNC;
    default:
        return GK_INTERFACE;
    }
}

/* A type as the checker names it after Deref (binary and unary operators,
 * conditions, members): a *time.Location is a time.Location there. */
static const char *tnd(struct fd_expr_type t)
{
    /* v1.15.5's deref kept a pointer to a struct */
    return fd_expr_t_location(t) && !c_v115 ? "time.Location" : tn(t);
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
/* What optimizer/fold.go folds too: unary - + ! of its constants, the
 * arithmetic operators, == of two ints or two strings (and/or fold in
 * ck_logic). */
static bool upstream_folds(const struct fd_node *n)
{
    if ((n->a && (n->a->flags & NF_LATEFOLD)) || (n->b && (n->b->flags & NF_LATEFOLD)))
        return false;
    if (n->kind == N_UNARY)
        return true;
    if (n->kind != N_BINARY)
        return false;
    switch (n->op) {
    case OP_ADD:
    case OP_SUB:
    case OP_MUL:
    case OP_DIV:
    case OP_MOD:
    case OP_POW:
        return true;
    case OP_EQ: /* of two integers, two strings or two bools (fold.go) */
        return n->a->val.kind == n->b->val.kind &&
               (n->a->val.kind == FD_VAL_INT || n->a->val.kind == FD_VAL_STRING ||
                n->a->val.kind == FD_VAL_BOOL);
    default:
        return false;
    }
}

/* An integer literal, through unary - and + (which fold.go folds first):
 * its value in *v. */
static bool int_literal(const struct fd_node *n, int64_t *v)
{
    if (n->kind == N_CONST && n->val.kind == FD_VAL_INT && !n->val.tag) {
        *v = n->val.u.i;
        return true;
    }
    if (n->kind == N_UNARY && (n->op == OP_NEG || n->op == OP_PLUS) && int_literal(n->a, v)) {
        *v = n->op == OP_NEG ? (int64_t)(0 - (uint64_t)*v) : *v;
        return true;
    }
    return false;
}

static void fold_error(struct fd_expr_tctx *c, const struct fd_expr_error *err)
{
    if (c->fold_failed)
        return;
    c->fold_failed = true;
    c->fold_err = *err;
    c->fold_err.phase = FD_EXPR_PHASE_COMPILE;
}

/* A literal of upstream's tree of that kind (IntegerNode, FloatNode,
 * StringNode, BoolNode), or what fold.go made of literals; not a constant
 * only freightdeck folded. */
static bool literal_of(const struct fd_node *n, enum fd_value_kind kind)
{
    return n && n->kind == N_CONST && n->val.kind == kind && !n->val.tag &&
           !(n->flags & NF_LATEFOLD);
}

/* What fold.go folds by its operands' node kinds alone, as it does where
 * the checker never went (an unknown callee's arguments): - + of a number
 * literal, ! of a bool, arithmetic of number literals (+ of two strings, %
 * of two integers), == of two integers, strings or bools. (&& and || fold
 * in ck_logic.) The same rules in v1.15.5 and v1.17.8. */
static bool literal_folds(const struct fd_node *n)
{
    const struct fd_node *a = n->a, *b = n->b;
    bool an = literal_of(a, FD_VAL_INT) || literal_of(a, FD_VAL_FLOAT);

    if (n->kind == N_UNARY)
        return n->op == OP_NOT ? literal_of(a, FD_VAL_BOOL) : an;
    if (n->kind != N_BINARY)
        return false;
    bool bn = literal_of(b, FD_VAL_INT) || literal_of(b, FD_VAL_FLOAT);
    switch (n->op) {
    case OP_ADD:
        return (an && bn) || (literal_of(a, FD_VAL_STRING) && literal_of(b, FD_VAL_STRING));
    case OP_SUB:
    case OP_MUL:
    case OP_DIV:
    case OP_POW:
        return an && bn;
    case OP_MOD:
        return literal_of(a, FD_VAL_INT) && literal_of(b, FD_VAL_INT);
    case OP_EQ:
        return (literal_of(a, FD_VAL_INT) && literal_of(b, FD_VAL_INT)) ||
               (literal_of(a, FD_VAL_STRING) && literal_of(b, FD_VAL_STRING)) ||
               (literal_of(a, FD_VAL_BOOL) && literal_of(b, FD_VAL_BOOL));
    default:
        return false;
    }
}

static bool fold(struct fd_expr_tctx *c, struct fd_node *n)
{
    struct fd_expr_error err;
    struct fd_expr_val v;
    struct fd_expr_program tmp = *c->p;
    int64_t a, b;

    if (c->lenient) {
        /* fold.go runs where the checker never went too: % of two integer
         * literals by zero fails the compile there as well */
        if (n->kind == N_BINARY && n->op == OP_MOD && int_literal(n->a, &a) &&
            int_literal(n->b, &b) && b == 0) {
            fd_expr_error_set(&err, FD_EXPR_PHASE_COMPILE, c->p->src, c->p->len, n->pos,
                              "integer divide by zero");
            fold_error(c, &err);
            return true;
        }
        /* and it folds literals there, by their kinds: `f(0x1F && not
         * true)` is f(false), which fails on f, not on the && */
        if (!literal_folds(n))
            return true;
        tmp.root = n;
        if (fd_expr_exec(&tmp, fd_expr_nil(), &v, &err) == 0)
            make_const(c, n, v);
        return true;
    }
    struct fd_expr_type was = n->type;
    tmp.root = n;
    bool early = upstream_folds(n);
    if (fd_expr_exec(&tmp, fd_expr_nil(), &v, &err) != 0) {
        /* a node upstream leaves to the VM fails there, if it runs at all
         * (`false && b'ab'[5]` does not) */
        if (early && !c->fold_failed) {
            fold_error(c, &err);
            /* fold.go checks % of two integer literals itself */
            if (n->kind == N_BINARY && n->op == OP_MOD &&
                strcmp(err.message, "runtime error: integer divide by zero") == 0)
                snprintf(c->fold_err.message, sizeof(c->fold_err.message),
                         "integer divide by zero");
        }
        return true;
    }
    make_const(c, n, v);
    if (!early)
        n->flags |= NF_LATEFOLD;
    /* expr's optimizer folds after the checker typed the tree: a node the
     * checker left unknown (`-(1 ?? 0.5)`) stays unknown for the checks
     * around it */
    if (was.kind == FD_T_ANY || !early) {
        /* (a node upstream never folds keeps its checker type throughout) */
        n->type = was;
        n->flags |= NF_KEEPTYPE;
    }
    return true;
}

/* Makes dst a copy of src (the optimizer replacing a node by an operand). */
static void copy_node(struct fd_expr_tctx *c, struct fd_node *dst, const struct fd_node *src)
{
    uint32_t pos = dst->pos, pred_pos = dst->pred_pos;
    *dst = *src;
    dst->flags &= (uint16_t)~NF_OWNED;
    dst->pos = pos;
    dst->pred_pos = pred_pos; /* (a predicate's body keeps its closure's place) */
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
    /* unaryNode: the operand dereferenced (a *semver.Version is named
     * semver.Version) */
    struct fd_expr_type t = fd_expr_t_deref_struct(n->a->type);
    if (n->op == OP_NOT) {
        if (!t_bool(t) && !t_any(t))
            return fail_at(c, n->pos, "invalid operation: %s (mismatched type %s)",
                           /* v1.15.5 locates a `not` before a binary operator
                            * at that operator: only `!` is ever at a '!' */
                           c->p->src[n->pos] == '!' ? "!" : "not", tnd(t));
        n->type = fd_expr_t(FD_T_BOOL);
    } else {
        if (!t_num(t) && !t_any(t) && !num115(t))
            return fail_at(c, n->pos, "invalid operation: %s (mismatched type %s)",
                           n->op == OP_NEG ? "-" : "+", tnd(t));
        /* checker.go unaryNode: a number keeps its nature, an interface {}
         * counts as unknown (Nature{}) */
        n->type = t_any(t) ? t_unknown() : t;
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
                       n->flags & NF_ALT_SPELLING ? (is_or ? "or" : "and")
                       : is_or                    ? "||"
                                                  : "&&",
                       tnd(l), tnd(r));
    n->type = fd_expr_t(FD_T_BOOL);
    /* optimizer/fold.go: x || true -> true, true && x -> x, ... */
    struct fd_node *a = n->a, *b = n->b;
    bool ca = is_const(a) && a->val.kind == FD_VAL_BOOL && !(a->flags & NF_LATEFOLD);
    bool cb = is_const(b) && b->val.kind == FD_VAL_BOOL && !(b->flags & NF_LATEFOLD);
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
    /* the checker typed the whole bool before the optimizer folded it: the
     * nodes above see a bool (`get(true && x, 0)` is an error) */
    n->type = fd_expr_t(FD_T_BOOL);
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
    if (n->op == OP_NULLISH) {
        if (n->a->kind == N_CHAIN)
            n->a->flags |= NF_NULLISH_OPERAND;
        if (n->b->kind == N_CHAIN)
            n->b->flags |= NF_NULLISH_OPERAND;
    }
    if (!ck(c, n->a) || !ck(c, n->b))
        return false;
    /* binaryNode: both sides dereferenced (a *semver.Version is its
     * semver.Version) */
    struct fd_expr_type l = fd_expr_t_deref_struct(n->a->type),
                        r = fd_expr_t_deref_struct(n->b->type);
    struct fd_expr_type out = fd_expr_t(FD_T_BOOL);
    bool arith = n->op == OP_ADD || n->op == OP_SUB || n->op == OP_MUL || n->op == OP_DIV ||
                 n->op == OP_MOD || n->op == OP_POW;
    /* v1.15.5 asks isNumber (by reflect.Kind: a time.Duration is one)
     * before anything else */
    bool ok = arith && c_v115 && arith115(l, r, n->op, &out);

    switch (ok ? -1 : (int)n->op) { /* (-1: typed above) */
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
        /* v1.17 MaybeCompatible: number, string, time or duration */
        ok = (num115(l) && num115(r)) || (t_str(l) && t_str(r)) || (t_time(l) && t_time(r)) ||
             (t_dur(l) && t_dur(r)) || either(l, r, t_num, t_str, t_time) ||
             (!c_v115 && either(l, r, t_dur, NULL, NULL)) ||
             (c_v115 && either(l, r, num115, NULL, NULL));
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
        } else if (either(l, r, num115, t_time, t_dur)) { /* (v1.15.5's isNumber: a Month) */
            out = t_unknown();
            ok = true;
        }
        break;
    case OP_MUL:
        if (t_num(l) && t_num(r)) {
            out = combined(l, r);
            ok = true;
        } else if (!c_v115 && (t_num(l) || t_dur(l)) && (t_num(r) || t_dur(r))) {
            out = fd_expr_t(FD_T_DURATION); /* checker.go: a duration times anything */
            ok = true;
        } else if ((t_dur(l) && t_num(r)) || (t_num(l) && t_dur(r)) ||
                   either(l, r, num115, t_dur, NULL)) {
            out = t_unknown();
            ok = true;
        }
        break;
    case OP_DIV:
    case OP_POW:
        out = fd_expr_t(FD_T_FLOAT);
        /* (v1.15.5's or(l, r, isNumber) takes a time.Duration by its Kind) */
        ok = (t_num(l) && t_num(r)) || either(l, r, num115, NULL, NULL);
        break;
    case OP_MOD:
        ok = (t_int(l) && t_int(r)) || either(l, r, int115, NULL, NULL);
        /* v1.17: an int whenever it may be one; v1.15.5: unknown */
        out = t_int(l) && t_int(r) ? fd_expr_t(FD_T_INT) : fd_expr_t(c_v115 ? FD_T_ANY : FD_T_INT);
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
        } else if (either(l, r, num115, t_str, t_time) || either(l, r, t_dur, NULL, NULL)) {
            out = t_unknown();
            ok = true;
        }
        break;
    case OP_IN:
        if ((t_str(l) || t_any(l)) && (r.kind == FD_T_TIME || r.kind == FD_T_STRUCT)) {
            ok = true; /* a struct: runtime.In looks for a field of that name */
        } else if (t_map(r)) {
            /* v1.15.5 let a nil through; v1.17 names it unknown */
            if (!t_anykey_map(r) && (l.kind != FD_T_NIL || !c_v115) && !t_any(l) && !t_str(l))
                return fail_at(c, n->pos, "cannot use %s as type string in map key", tnd(l));
            ok = true;
        } else if (t_arr(r)) {
            struct fd_expr_type e = item_of(n->b);
            /* v1.17 binaryNode dereferences the left (a *time.Location is a
             * time.Location there), not the array's items */
            bool loc_in_locs = !c_v115 && (fd_expr_t_location(l) || fd_expr_t_location_struct(l)) &&
                               fd_expr_t_location(e);
            if (!comparable(l, e) || loc_in_locs)
                return fail_at(c, n->pos, "cannot use %s as type %s in array", tnd(l), tn(e));
            /* v1.15.5: an array literal right of `in` whose items are all of
             * one reflect.Kind (none nil) types them too */
            const struct fd_node *arr = n->b;
            bool same = c_v115 && arr->kind == N_ARRAY && arr->nargs > 0;
            for (uint32_t i = 0; same && i < arr->nargs; i++)
                same = arr->args[i]->type.kind != FD_T_NIL &&
                       (i == 0 || go_kind(arr->args[i]->type) == go_kind(arr->args[i - 1]->type));
            if (same && !comparable(l, arr->args[arr->nargs - 1]->type))
                return fail_at(c, n->pos, "cannot use %s as type %s in array", tnd(l),
                               tnd(arr->args[arr->nargs - 1]->type));
            ok = true;
        } else if (r.kind == FD_T_BYTES) { /* a slice of uint8s */
            if (!comparable(l, fd_expr_t(FD_T_INT)))
                return fail_at(c, n->pos, "cannot use %s as type uint8 in array", tnd(l));
            ok = true;
        } else if (t_any(r) || (t_any(l) && t_str(r))) {
            ok = true; /* a string right of `in` fails at run time (runtime.In) */
        }
        break;
    case OP_MATCHES: /* checker.go: a string or a []byte subject */
        if (!ck_matches(c, n))
            return false;
        ok = ((t_str(l) || l.kind == FD_T_BYTES) && t_str(r)) || either(l, r, t_str, NULL, NULL);
        break;
    case OP_CONTAINS:
    case OP_STARTS:
    case OP_ENDS:
        ok = (t_str(l) && t_str(r)) || either(l, r, t_str, NULL, NULL);
        break;
    case OP_RANGE: /* v1.15.5: a Go []int; v1.17: []interface {} of ints */
        /* (of IntegerNodes: not `1..(3 ?? x)`, whose ?? fold.go never
         * folds, so its range is made, and counted, at each run) */
        if (c_v115 && literal_of(n->a, FD_VAL_INT) && literal_of(n->b, FD_VAL_INT) &&
            (int64_t)((uint64_t)n->b->val.u.i - (uint64_t)n->a->val.u.i + 1) <= 1000000) {
            n->flags |= NF_CONSTRANGE;
            c->p->optimizable = true; /* const_range.go makes it once */
        }
        out = fd_expr_t(FD_T_ARRAY);
        if (c_v115)
            out.elem = FD_T_INT;
        set_items(n, fd_expr_t(FD_T_INT));
        ok = (int115(l) && int115(r)) || either(l, r, int115, NULL, NULL);
        break;
    case OP_NULLISH:   /* (what is known of the items of the side it is) */
        if (!c_v115) { /* v1.17 binaryNode: both sides dereferenced */
            l = fd_expr_t_deref(l);
            r = fd_expr_t_deref(r);
        }
        if (l.kind == FD_T_NIL) {
            out = r;
            copy_items(n, n->b);
        } else if (r.kind == FD_T_NIL || (l.kind == r.kind && l.elem == r.elem)) {
            out = l;
            copy_items(n, n->a);
        } else if (t_any(l) && l.elem != FD_T_NIL && !(t_any(r) && r.elem == FD_T_NIL))
            out = l; /* assignable to an interface {} */
        else
            out = t_unknown();
        ok = true;
        break;
    default:
        break;
    }
    if (!ok && arith)
        ok = arith115(l, r, n->op, &out);
    if (!ok)
        return fail_at(c, n->pos, "invalid operation: %s (mismatched types %s and %s)",
                       /* the power operator as written: ^ or ** */
                       n->op == OP_POW && (n->flags & NF_ALT_SPELLING) ? "^"
                                                                       : fd_expr_op_text(n->op),
                       tnd(l), tnd(r));
    n->type = out;
    /* (where the checker never goes, fold only judges % of literals) */
    if (((is_const(n->a) && is_const(n->b)) || (c->lenient && n->op == OP_MOD)) &&
        n->op != OP_RANGE) {
        n->type = out;
        return fold(c, n);
    }
    if (n->op == OP_NULLISH && is_const(n->a) && n->a->val.kind != FD_VAL_NIL) {
        /* the optimizer runs after the checker: the node keeps the type of
         * the whole ?? (unknown for `1 ?? 0.5`) for the checks around it */
        copy_node(c, n, n->a);
        n->type = out;
        /* fold.go has no ??: no literal for `x || (true ?? y)` to fold */
        n->flags |= NF_KEEPTYPE | NF_LATEFOLD;
    }
    return true;
}

/* A name of expr's own builtins (predicates and len included) in mode. */
static bool is_expr_builtin(struct fd_expr_tctx *c, enum fd_expr_mode mode, const char *name,
                            size_t len)
{
    if (fd_expr_builtin_find(name, len,
                             fd_expr_mode_at(mode, c->p->v115 ? FD_EXPR_V1_15 : FD_EXPR_V1_17),
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
            if (c->vars[i].value)
                copy_items(n, c->vars[i].value);
            return true;
        }
    }
    if (n->namelen == 4 && memcmp(n->name, "$env", 4) == 0) {
        n->slot = -2;
        /* checker.go: $env has no type in v1.17 ("unknown"), v1.15.5 typed
         * it map[string]interface {} */
        n->type = fd_expr_t(c->p->v115 ? FD_T_MAP : FD_T_ANY);
        if (!c->p->v115)
            n->type.elem = FD_T_NIL;
        return true;
    }
    bool is_builtin =
        fd_expr_builtin_find(n->name, n->namelen, fd_expr_prog_mode(c->p), FD_VAL_NIL) != NULL ||
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
    const struct fd_expr_builtin *fn =
        fd_expr_builtin_find(n->name, n->namelen, fd_expr_prog_mode(c->p), FD_VAL_NIL);
    if (fn && fn->modes == FD_EXPR_MODES_ARGO) {
        /* Argo's functions are Go functions in its env: a value, not nil */
        n->slot = -4;
        n->fn = fn;
        n->type = fd_expr_t(FD_T_FUNC);
        n->type.elem = fd_expr_func_type_index(n->name, n->namelen);
        return true;
    }
    /* checker.go ident (both versions): the env's name before a builtin's */
    struct fd_expr_val shadow;
    if (is_builtin && c->p->mode == FD_EXPR_MODE_EXPR && c->env.kind == FD_VAL_MAP &&
        fd_expr_map_get(c->env.u.m, n->name, n->namelen, &shadow))
        is_builtin = false;
    if (is_builtin) {
        /* A builtin used as a value evaluates to nil. */
        n->slot = -3;
        n->type = fd_expr_t(FD_T_FUNC);
        /* v1.15.5 typed every builtin as Func's type; Argo's functions are
         * Go functions in its env, of their own types in both */
        if (!c->p->v115 || !is_expr_builtin(c, FD_EXPR_MODE_EXPR, n->name, n->namelen))
            n->type.elem = fd_expr_func_type_index(n->name, n->namelen);
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
    /* a name the checker never visits (lenient) is looked up at run time */
    if (c->strict && !c->lenient)
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

/* v1.15.5's checker finds a time.Time's or a time.Location's unexported
 * field by reflect's FieldByName and types the member by it (the VM's
 * Interface() refuses it at run time): that field of base, or NULL. */
static const struct fd_expr_hidden *hidden_time_field(struct fd_expr_type base, const char *name,
                                                      size_t len)
{
    if (base.kind != FD_T_TIME)
        return NULL;
    return fd_expr_hidden_field(fd_expr_t_location(base) || fd_expr_t_location_struct(base)
                                    ? FD_EXPR_HIDDEN_LOCATION
                                    : FD_EXPR_HIDDEN_TIME,
                                name, len);
}

static bool ck_member(struct fd_expr_tctx *c, struct fd_node *n)
{
    bool call_arg = c->call_arg == n; /* (before the base's own calls) */
    if (!ck(c, n->a))
        return false;
    /* checker.go memberNode: $env[x] of no constant name is unknown, x never
     * visited (the VM looks it up) */
    bool env_index =
        n->a->kind == N_IDENT && n->a->slot == -2 && n->b->kind != N_CONST && !c->p->v115;
    if (env_index)
        c->lenient++;
    bool prop_ok = ck(c, n->b);
    if (env_index)
        c->lenient--;
    if (!prop_ok)
        return false;
    struct fd_expr_type base = fd_expr_t_deref_struct(n->a->type), prop = n->b->type;
    struct fd_buf b = FD_BUF_INIT;
    bool ok;

    if (n->a->kind == N_IDENT && n->a->slot == -2) {
        /* $env.name: the env's type for a known name; unknown names are a
         * compile error unless accessed with ?. */
        struct fd_expr_val v;
        n->type = t_unknown(); /* checker.go ident: Nature{} for a name it does not know */
        if (is_const(n->b) && n->b->val.kind == FD_VAL_STRING) {
            const struct fd_expr_str *s = n->b->val.u.s;
            /* Kargo compiles without expr.Env: $env's members are unknown
             * there (checker.go memberNode, ident) */
            if (c->strict && c->env.kind == FD_VAL_MAP &&
                fd_expr_map_get(c->env.u.m, s->data, s->len, &v)) {
                n->type = fd_expr_type_of(v);
            } else if (c->p->v115 && is_expr_builtin(c, FD_EXPR_MODE_EXPR, s->data, s->len)) {
                /* v1.15.5 knows a builtin's name there, of Func's type; the
                 * env has no such value: nil at run time */
                n->type = fd_expr_t(FD_T_FUNC);
            } else if (c->strict && !(n->flags & NF_OPTIONAL)) {
                /* (at the member: its '.' name or its '[') */
                return fail_at(c, n->pos, "unknown name %s", s->data);
            }
        }
        return true;
    }
    switch (base.kind) {
    case FD_T_ANY: /* v1.17: a member of an unknown is unknown */
        n->type = fd_expr_t(FD_T_ANY);
        if (!c->p->v115)
            n->type.elem = FD_T_NIL;
        return true;
    case FD_T_MAP:
        if (t_anykey_map(base)) { /* interface {} keys: any key, the map's elem */
            n->type = fd_expr_t(base.elem == FD_T_ARRAY ? FD_T_ARRAY : FD_T_ANY);
            return true;
        }
        if (!t_str(prop) && !t_any(prop))
            return fail_at(c, n->b->pos, "cannot use %s to get an element from %s", tn(prop),
                           tnd(base));
        n->type = fd_expr_t(FD_T_ANY);
        return true;
    case FD_T_ARRAY:
    case FD_T_BYTES: /* a []uint8 is a slice too; its items are uint8s */
        if (!int115(prop) && !t_any(prop))
            return fail_at(c, n->b->pos,
                           "array elements can only be selected using an integer (got %s)",
                           tnd(prop));
        if (base.kind == FD_T_BYTES)
            n->type = fd_expr_t_uint8();
        else
            item_node(n, n->a);
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
    case FD_T_STRUCT: /* one of Kargo's structs: its fields by Go name */
        if (is_const(n->b) && n->b->val.kind == FD_VAL_STRING) {
            const struct fd_expr_str *s = n->b->val.u.s;
            const struct fd_expr_gofield *f = fd_expr_gostruct_field(base.elem, s->data, s->len);
            /* a field named as a method gives the field (the call then
             * finds it is no function) */
            if (f) {
                n->type = fd_expr_t_field(f);
                return true;
            }
            if (n->flags & NF_METHOD)
                return fail_at(c, n->pos, "type %s has no method %s", tnd(base), s->data);
        }
        goto no_member;
    case FD_T_TIME:
    case FD_T_DURATION:
        if ((n->flags & NF_METHOD) && is_const(n->b)) {
            n->type = fd_expr_t(FD_T_FUNC);
            return true;
        }
        const struct fd_expr_hidden *h =
            c->p->v115 && is_const(n->b) && n->b->val.kind == FD_VAL_STRING
                ? hidden_time_field(base, n->b->val.u.s->data, n->b->val.u.s->len)
                : NULL;
        if (h) {
            n->type.kind = h->kind;
            n->type.elem = h->elem;
            return true;
        }
        /* fall through */
    default:
    no_member:
        format_prop(&b, n->b);
        /* v1.15.5 said "type float64[string] is undefined" for fields too,
         * but "no field" of a struct */
        if (is_const(n->b) && n->b->val.kind == FD_VAL_STRING &&
            (!c->p->v115 || base.kind == FD_T_TIME))
            /* (the struct a *time.Location points at, in both versions) */
            ok = fail_at(c, n->pos, "type %s has no %s %s",
                         fd_expr_t_location(base) ? "time.Location" : tnd(base),
                         call_arg && c->p->v115 ? "method" : "field", fd_buf_cstr(&b));
        else /* v1.15.5 dereferenced a pointer before it named the base */
            ok = fail_at(c, n->pos, "type %s[%s] is undefined",
                         c->p->v115 && fd_expr_t_location(base) ? "time.Location" : tnd(base),
                         tn(prop)); /* (the property's type as it is: *time.Location) */
        fd_buf_free(&b);
        return ok;
    }
}

static bool ck_slice(struct fd_expr_tctx *c, struct fd_node *n)
{
    if (!ck(c, n->a))
        return false;
    struct fd_expr_type t = n->a->type;
    if (!t_any(t) && !t_str(t) && !t_arr(t) && t.kind != FD_T_BYTES)
        return fail_at(c, n->pos, "cannot slice %s", tn(t));
    struct fd_node *idx[2] = {n->b, n->c};
    /* v1.17's checker leaves the slice of an unknown unknown and does not
     * judge its indexes (the VM does) */
    bool unknown = t_any(t) && !c->p->v115;
    for (int i = 0; i < 2; i++) {
        if (!idx[i])
            continue;
        if (unknown)
            c->lenient++; /* sliceNode returns before visiting them */
        bool ok = ck(c, idx[i]);
        if (unknown)
            c->lenient--;
        if (!ok)
            return false;
        if (!unknown && !int115(idx[i]->type) && !t_any(idx[i]->type))
            return fail_at(c, idx[i]->pos, "non-integer slice index %s",
                           c_v115 ? tn(idx[i]->type) : tnd(idx[i]->type));
    }
    n->type = t;
    if (unknown)
        n->type.elem = FD_T_NIL;
    else if (t_arr(t)) /* a slice keeps what is known of its items (Nature.Ref) */
        same_items(n, n->a);
    return true;
}

static bool ck_args(struct fd_expr_tctx *c, struct fd_node *n)
{
    for (uint32_t i = 0; i < n->nargs; i++)
        if (!ck(c, n->args[i]))
            return false;
    return true;
}

/* The arguments of a call to an unknown callee (a name Kargo's env does not
 * have, a method of an unknown or of an interface {} member): checker.go
 * callNode never visits them. */
static bool ck_args_unchecked(struct fd_expr_tctx *c, struct fd_node *n)
{
    c->lenient++;
    bool ok = ck_args(c, n);
    c->lenient--;
    return ok;
}

/* A builtin's call; types has room for the receiver and every argument. */
static bool ck_builtin_call_in(struct fd_expr_tctx *c, struct fd_node *n,
                               const struct fd_expr_builtin *fn, size_t extra,
                               struct fd_expr_type *types)
{
    size_t nargs = n->nargs + extra;

    if (c->lenient && !extra && fn->go_call != FD_EXPR_GO_CHECKED) {
        /* an unknown callee's argument: the builtin meets its arguments,
         * however many, at run time (NF_UNCHECKED) */
        n->fn = fn;
        n->flags |= NF_UNCHECKED;
        return ck_args(c, n);
    }
    bool few = (int)nargs < fn->min_args;
    if (few || (fn->max_args != FD_EXPR_VARIADIC && (int)nargs > fn->max_args)) {
        /* checkArguments: v1.17 visits every argument before it reports
         * the count (an argument's error first), v1.15.5 none */
        if (!c_v115 && !ck_args(c, n))
            return false;
        return fail_at(c, n->pos, "%s arguments to call %s", few ? "not enough" : "too many",
                       fn->name);
    }
    n->fn = fn;
    n->type = fd_expr_t(FD_T_ANY);
    if (!fn->check)
        return ck_args(c, n);
    size_t k = 0;
    if (extra)
        types[k++] = n->a->a->type; /* the method's receiver */
    /* checker.go checkFunction: a builtin with Go signatures (Types)
     * visits its arguments one at a time in checkArguments and gives up on
     * an overload at the first argument it refuses: an argument after that
     * in every overload is never visited, so its error never shows. */
    struct fd_expr_error saved_err;
    if (c->err)
        saved_err = *c->err;
    uint32_t bad = n->nargs;
    /* v1.15.5's checkBuiltinGet visits the index only when the base can be
     * indexed: after $env (but for a name) or an interface {} it never
     * does, and a base that is no slice or map fails first */
    bool lazy_get = c_v115 && !extra && n->nargs == 2 && strcmp(fn->name, "get") == 0;
    for (uint32_t i = 0; i < n->nargs && bad == n->nargs; i++) {
        const struct fd_node *base = n->args[0];
        bool env = base->kind == N_IDENT && base->slot == -2;
        if (lazy_get && i == 1 &&
            (t_any(base->type) ||
             (env && !(n->args[1]->kind == N_CONST && n->args[1]->val.kind == FD_VAL_STRING)))) {
            c->lenient++;
            bool ok = ck(c, n->args[1]);
            c->lenient--;
            n->type = fd_expr_t(FD_T_ANY);
            return ok && !c->failed;
        }
        if (lazy_get && i == 1 && env) { /* a name: config.Types' (nil if none) */
            const struct fd_expr_str *s = n->args[1]->val.u.s;
            struct fd_expr_val v;
            n->type = c->env.kind == FD_VAL_MAP && fd_expr_map_get(c->env.u.m, s->data, s->len, &v)
                          ? fd_expr_type_of(v)
                          : fd_expr_t(FD_T_NIL);
            return ck(c, n->args[1]);
        }
        if (lazy_get && i == 1 && !env && base->type.kind != FD_T_ARRAY &&
            base->type.kind != FD_T_BYTES && base->type.kind != FD_T_MAP)
            return fail_at(c, base->pos, "type %s does not support indexing", tn(base->type));
        /* (a method's or an Argo function's: a CallNode in v1.15.5) */
        c->call_arg = c_v115 && (extra || fn->modes != 0) ? n->args[i] : NULL;
        if (!ck(c, n->args[i]))
            bad = i;
        c->call_arg = NULL;
    }
    for (uint32_t i = 0; i < n->nargs; i++) {
        types[k] = i < bad ? n->args[i]->type : t_unknown();
        /* checker.go checkFunction: Validate gets anyType for an unknown */
        if (fn->validate && t_unknown_p(types[k]))
            types[k] = fd_expr_t(FD_T_ANY);
        k++;
    }
    struct fd_node *saved = c->call;
    struct fd_expr_error arg_err;
    if (bad < n->nargs) {
        /* judge the arguments before the bad one, the rest unknown */
        if (c->err) {
            arg_err = *c->err;
            *c->err = saved_err;
        }
        c->failed = false;
    }
    c->call = n;
    c->sig_reach = -1;
    bool ok = fn->check(c, types, nargs, &n->type);
    c->call = saved;
    if (bad < n->nargs) {
        if (!ok && c->sig_reach >= 0 && (size_t)c->sig_reach <= extra + bad)
            return false; /* no overload reached the bad argument */
        if (c->err)
            *c->err = arg_err;
        c->failed = true;
        return false;
    }
    return ok && !c->failed;
}

static bool ck_builtin_call(struct fd_expr_tctx *c, struct fd_node *n,
                            const struct fd_expr_builtin *fn, size_t extra)
{
    struct fd_expr_type stack_types[16];

    if (n->nargs + extra <= FD_ARRAY_SIZE(stack_types))
        return ck_builtin_call_in(c, n, fn, extra, stack_types);
    struct fd_expr_type *types = fd_xcalloc(n->nargs + extra, sizeof(*types));
    bool ok = ck_builtin_call_in(c, n, fn, extra, types);
    free(types);
    return ok;
}

/* fold.go makes an array one constant when its items are all IntegerNode,
 * FloatNode, StringNode or BoolNode of upstream's tree: literals, or
 * constants its fold made (not one only freightdeck folded). */
static bool scalar_literals(const struct fd_node *arr)
{
    for (uint32_t i = 0; i < arr->nargs; i++) {
        const struct fd_node *e = arr->args[i];
        if (e->kind != N_CONST || (e->flags & NF_LATEFOLD) ||
            !((e->val.kind == FD_VAL_INT && e->val.tag == 0) || e->val.kind == FD_VAL_FLOAT ||
              e->val.kind == FD_VAL_STRING || e->val.kind == FD_VAL_BOOL))
            return false;
    }
    return true;
}

static bool ck_call(struct fd_expr_tctx *c, struct fd_node *n)
{
    /* checker.go callNode: the callee first, then the arguments */
    if (n->a->kind == N_MEMBER) {
        /* A method: time.Time and time.Duration have them; unknown receivers
         * are resolved at run time. */
        struct fd_node *m = n->a;
        if (!ck(c, m->a))
            return false;
        m->type = fd_expr_t(FD_T_FUNC);
        struct fd_expr_type base = m->a->type;
        const struct fd_expr_str *name = m->b->val.u.s;
        struct fd_expr_val ev;
        /* $env.name(): checker.go visits the member as it visits a name */
        if (m->a->kind == N_IDENT && m->a->slot == -2 && c->strict && !c->lenient) {
            bool found = c->env.kind == FD_VAL_MAP &&
                         fd_expr_map_get(c->env.u.m, name->data, name->len, &ev);
            if (!found && !(m->flags & NF_OPTIONAL))
                return fail_at(c, m->b->pos, "unknown name %s", name->data);
            if (found && ev.kind == FD_VAL_FUNC && ev.u.fn) {
                /* one of Argo's env functions: the call it names */
                m->kind = N_IDENT;
                m->name = name->data;
                m->namelen = (uint32_t)name->len;
                m->a = m->b = NULL;
                m->flags = 0;
                return ck_call(c, n);
            }
            if (found)
                return fail_at(c, m->b->pos, "%s is not callable", tn(fd_expr_type_of(ev)));
        }
        /* a groupBy map's member is a []interface {} */
        if (base.kind == FD_T_MAP && base.elem == FD_T_ARRAY)
            return fail_at(c, m->b->pos, "[]interface {} is not callable");
        if (t_any(base)) { /* v1.17: a method of an unknown returns an unknown */
            if (!ck_args_unchecked(c, n))
                return false;
            n->type = fd_expr_t(FD_T_ANY);
            if (!c->p->v115)
                n->type.elem = FD_T_NIL;
            return true;
        }
        bool location = base.kind == FD_T_TIME && base.elem == FD_T_STRING;
        /* Kargo's semver.Version, held as a string: its methods
         * (env_kargo_freight.c), those of a pointer receiver on a
         * *semver.Version only */
        bool semver = base.kind == FD_T_STRUCT &&
                      fd_expr_t_deref_struct(base).elem == FD_EXPR_GOSTRUCT_SEMVER;
        bool semver_method =
            semver && fd_expr_semver_has_method(name->data, name->len, (base.elem & FD_T_PTR) != 0);
        uint8_t recv = t_time(base)                                           ? FD_VAL_TIME
                       : t_dur(base)                                          ? FD_VAL_DURATION
                       : base.kind == FD_T_MONTH || base.kind == FD_T_WEEKDAY ? FD_VAL_INT
                       : semver_method                                        ? FD_VAL_STRING
                                                                              : FD_VAL_NIL;
        /* a *time.Location has one method: String */
        if (location && strcmp(name->data, "String") == 0)
            recv = FD_VAL_TIME;
        const struct fd_expr_builtin *fn =
            recv != FD_VAL_NIL
                ? fd_expr_builtin_find(name->data, name->len, fd_expr_prog_mode(c->p), recv)
                : NULL;
        const struct fd_expr_hidden *h =
            !fn && c->p->v115 ? hidden_time_field(base, name->data, name->len) : NULL;
        if (h)
            return fail_at(c, m->b->pos, "%s is not callable", h->go);
        if (!fn) {
            /* no method: the checker reads x.Name as a member, then calls it */
            if (base.kind == FD_T_NIL)
                return fail_at(c, m->pos, "type %s has no field %s", c->p->v115 ? "<nil>" : "nil",
                               name->data);
            if (base.kind == FD_T_STRUCT) { /* a field: no function */
                const struct fd_expr_gofield *f =
                    fd_expr_gostruct_field(base.elem, name->data, name->len);
                if (f)
                    return fail_at(c, m->b->pos, "%s is not callable", tn(fd_expr_t_field(f)));
            }
            if (base.kind == FD_T_MAP) { /* an interface {} member: called at run time */
                if (!ck_args_unchecked(c, n))
                    return false;
                n->type = fd_expr_t(FD_T_ANY);
                if (!c->p->v115)
                    n->type.elem = FD_T_NIL;
                return true;
            }
            if (base.kind == FD_T_ARRAY || base.kind == FD_T_BYTES)
                return fail_at(c, m->b->pos,
                               "array elements can only be selected using an integer (got string)");
            /* checker.go MemberNode of v1.15.5 (a time.Time and a
             * *time.Location, structs, have no such method) */
            if (c->p->v115 && base.kind != FD_T_TIME)
                return fail_at(c, m->pos, "type %s[string] is undefined", tnd(base));
            /* (a pointer named as what it points at: memberNode's Deref) */
            return fail_at(c, m->pos, "type %s has no method %s",
                           tnd(fd_expr_t_deref(fd_expr_t_deref_struct(base))), name->data);
        }
        return ck_builtin_call(c, n, fn, 1);
    }
    struct fd_node *callee = n->a;
    for (int i = c->nvars - 1; i >= 0; i--)
        if (c->vars[i].len == callee->namelen &&
            memcmp(c->vars[i].name, callee->name, callee->namelen) == 0) {
            /* checker.go callNode: a nil is no function, a known type that
             * is none neither; an unknown is called at run time (OpCall) */
            if (c->vars[i].type.kind == FD_T_NIL)
                return fail_at(c, n->pos, "%.*s is nil; cannot call nil as function",
                               (int)callee->namelen, callee->name);
            if (!t_any(c->vars[i].type))
                return fail_at(c, n->pos, "%s is not callable", tn(c->vars[i].type));
            callee->slot = c->vars[i].slot;
            callee->type = c->vars[i].type;
            if (!ck_args_unchecked(c, n))
                return false;
            n->type = fd_expr_t(FD_T_ANY);
            n->type.elem = FD_T_NIL;
            return true;
        }
    const struct fd_expr_builtin *fn =
        n->flags & NF_ENVCALL ? NULL /* the env's value, not the builtin */
                              : fd_expr_builtin_find(callee->name, callee->namelen,
                                                     fd_expr_prog_mode(c->p), FD_VAL_NIL);
    if (fn && strcmp(fn->name, "get") == 0 && !c->p->v115) {
        /* checkBuiltinGet: an array's Elem is what is known of its items;
         * $env's member its env type, else unknown */
        if (!ck_builtin_call(c, n, fn, 0))
            return false;
        if (n->nargs == 2 && t_arr(n->args[0]->type) && n->args[0]->items)
            item_node(n, n->args[0]);
        return true;
    }
    if (fn)
        return ck_builtin_call(c, n, fn, 0);
    struct fd_expr_val ev;
    if (c->strict && !c->lenient && c->env.kind == FD_VAL_MAP &&
        fd_expr_map_get(c->env.u.m, callee->name, callee->namelen, &ev)) {
        /* checker.go callNode: a name of the env that holds no function */
        if (ev.kind == FD_VAL_NIL)
            return fail_at(c, n->pos, "%.*s is nil; cannot call nil as function",
                           (int)callee->namelen, callee->name);
        return fail_at(c, n->pos, "%s is not callable", tn(fd_expr_type_of(ev)));
    }
    if (c->strict && !c->lenient)
        return fail_at(c, n->pos, "unknown name %.*s", (int)callee->namelen, callee->name);
    /* Non-strict, or never visited: an unknown function is what the env
     * holds (nil), calling it fails at run time;
     * what it returns has no type ("unknown" in v1.17's messages). */
    if (!ck_args_unchecked(c, n))
        return false;
    n->type = fd_expr_t(FD_T_ANY);
    n->type.elem = FD_T_NIL;
    return true;
}

static bool ck_len(struct fd_expr_tctx *c, struct fd_node *n)
{
    if (!ck_args(c, n))
        return false;
    if (c->lenient) /* an unknown callee's argument: len is Fast (OpCallBuiltin1) */
        return true;
    if (n->nargs < 1)
        return fail_at(c, n->pos, "not enough arguments to call len");
    if (n->nargs > 1) /* builtin.go checks the arity of len itself */
        return fail_at(c, n->pos, "invalid number of arguments (expected 1, got %zu)",
                       (size_t)n->nargs);
    struct fd_expr_type t = n->args[0]->type;
    if (!t_any(t) && !t_str(t) && !t_arr(t) && !t_map(t) && t.kind != FD_T_BYTES)
        return fail_at(c, n->pos, "invalid argument for len (type %s)", fd_expr_tname(t));
    n->type = fd_expr_t(FD_T_INT);
    return true;
}

/* reflect.Type's String() as v1.15.5's Validate functions print it */
static const char *tn115(struct fd_expr_type t)
{
    return t_any(t) ? "interface {}" : fd_expr_tname(t);
}

/* v1.15.5: sortBy(array, field[, order]) was a plain builtin, its
 * arguments visited, then judged by its Validate (builtin.go) */
static bool ck_sort_by115(struct fd_expr_tctx *c, struct fd_node *n, struct fd_expr_type coll)
{
    for (uint32_t i = 1; i < n->nargs; i++)
        if (!ck(c, n->args[i]))
            return false;
    if (n->nargs < 2 || n->nargs > 3)
        return fail_at(c, n->pos, "invalid number of arguments (expected 2 or 3, got %u)",
                       (unsigned)n->nargs);
    if (!t_any(coll) && !t_arr(coll) && coll.kind != FD_T_BYTES)
        return fail_at(c, n->pos, "cannot sort %s", tn115(coll));
    /* its message names the field's type for the order's too */
    for (uint32_t i = 1; i < n->nargs; i++)
        if (!t_any(n->args[i]->type) && !t_str(n->args[i]->type))
            return fail_at(c, n->pos, "invalid argument for sort (expected string, got %s)",
                           tn115(n->args[1]->type));
    n->type = fd_expr_t(FD_T_ARRAY);
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

    if (n->nargs == 0) /* v1.15.5's sum() and sortBy() (the parser lets them through) */
        return fail_at(c, n->pos, "invalid number of arguments (expected %s, got 0)",
                       n->op == PRED_SUM ? "1" : "2 or 3");
    if (!ck(c, n->args[0]))
        return false;
    struct fd_expr_type coll = n->args[0]->type;
    if (c->p->v115 && n->op == PRED_SORTBY)
        return ck_sort_by115(c, n, coll);
    if (c->p->v115 && n->op == PRED_SUM) { /* v1.15.5: a plain builtin, Validate */
        for (uint32_t i = 1; i < n->nargs; i++)
            if (!ck(c, n->args[i]))
                return false;
        if (n->nargs != 1 && c->lenient) { /* an unknown callee's argument: v1.15.5's checker
                                              left it alone, sum's Func counts at run time */
            n->type = fd_expr_t(FD_T_ANY);
            return true;
        }
        if (n->nargs != 1)
            return fail_at(c, n->pos, "invalid number of arguments (expected 1, got %u)",
                           (unsigned)n->nargs);
        if (!t_arr(coll) && !t_any(coll))
            return fail_at(c, n->pos, "cannot sum %s", fd_expr_tname(coll));
    }
    if (!t_arr(coll) && !t_any(coll) && coll.kind != FD_T_BYTES) /* (named dereferenced) */
        return fail_at(c, n->args[0]->pos, "builtin %s takes only array (got %s)", name,
                       tnd(fd_expr_t_deref_struct(coll)));
    struct fd_expr_type elem = t_arr(coll)               ? item_of(n->args[0])
                               : coll.kind == FD_T_BYTES ? fd_expr_t_uint8()
                                                         : t_unknown(); /* pointerNode */
    if (n->nargs > 1) {
        if (c->nscopes >= FD_EXPR_MAX_TREE)
            return fail_at(c, n->pos, "nesting deeper than %d", FD_EXPR_MAX_TREE);
        if (c->nscopes == c->capscopes) {
            c->capscopes = c->capscopes ? c->capscopes * 2 : 8;
            c->scopes = fd_xreallocarray(c->scopes, (size_t)c->capscopes, sizeof(*c->scopes));
        }
        c->scopes[c->nscopes].elem = elem;
        c->scopes[c->nscopes].elem_items = t_arr(coll) ? item_items(n->args[0]) : NULL;
        c->scopes[c->nscopes].pred = n->op;
        c->nscopes++;
        if (c->nscopes > c->p->maxdepth)
            c->p->maxdepth = c->nscopes;
        bool ok = ck(c, n->args[1]);
        c->nscopes--;
        if (!ok)
            return false;
        /* v1.15.5 checker.go ClosureNode: a body of no type, at once */
        if (c->p->v115 && n->args[1]->type.kind == FD_T_NIL)
            return fail_at(c, n->args[1]->pos, "closure cannot be nil");
    }
    /* checker.go visits a third argument (reduce's initial value, sortBy's
     * order) after the predicate */
    if (n->nargs > 2 && !ck(c, n->args[2]))
        return false;
    if (n->op == PRED_SORTBY && n->nargs > 2 && !c->p->v115) {
        struct fd_expr_type order = n->args[2]->type;
        if (!t_str(order) && !t_any(order))
            return fail_at(c, n->args[2]->pos, "sortBy order argument must be a string (got %s)",
                           tn(order));
    }
    struct fd_expr_type body = n->nargs > 1 ? n->args[1]->type : fd_expr_t(FD_T_ANY);
    /* checker.go: a closure whose body has no type (nil) has no output;
     * sum then checks its arguments against its Go type */
    if (n->nargs > 1 && body.kind == FD_T_NIL && n->op == PRED_SUM) {
        if (!t_any(coll) && !(t_arr(coll) && coll.elem != FD_T_FLOAT && coll.elem != FD_T_INT &&
                              coll.elem != FD_T_STRING))
            return fail_at(c, n->args[0]->pos,
                           "cannot use %s as argument (type []interface {}) to call sum ",
                           tn(coll));
        return fail_at(c, n->args[1]->pred_pos,
                       "cannot use func(interface {}) as argument (type func(interface {}) bool) "
                       "to call sum ");
    }
    if (n->nargs > 1 && body.kind == FD_T_NIL)
        return fail_at(c, n->args[1]->pred_pos,
                       "predicate should has %s input and one output param",
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
        /* checker.go: collection.MakeArrayOf, a []interface {} (v1.15.5:
         * the collection's type) */
        n->type = c_v115 && t_arr(coll) ? coll : fd_expr_t(FD_T_ARRAY);
        if (t_arr(coll))
            same_items(n, n->args[0]);
        else if (coll.kind == FD_T_BYTES && !c_v115) /* (MakeArrayOf its uint8s) */
            n->items = items_new(fd_expr_t_uint8(), NULL);
        break;
    case PRED_MAP:
    case PRED_SORTBY:
        n->type = fd_expr_t(FD_T_ARRAY);
        if (n->op == PRED_MAP && n->nargs > 1)
            items_like(n, n->args[1]);
        /* v1.15.5: reflect.SliceOf the closure's output ([]int, [][]int) */
        if (n->op == PRED_MAP && n->nargs > 1 && c_v115 && body.kind != FD_T_NIL)
            n->type = fd_expr_t_array_of(body);
        if (n->op == PRED_SORTBY) { /* checker.go: the collection's own nature */
            n->type = coll;
            if (t_arr(coll))
                same_items(n, n->args[0]);
        }
        break;
    case PRED_COUNT:
    case PRED_FINDINDEX:
    case PRED_FINDLASTINDEX:
        n->type = fd_expr_t(FD_T_INT);
        break;
    case PRED_FIND:
    case PRED_FINDLAST:
        n->type = elem;
        if (t_arr(coll))
            n->items = item_items(n->args[0]);
        break;
    case PRED_GROUPBY:
        n->type = fd_expr_t(FD_T_MAP);
        n->type.elem = FD_T_ARRAY; /* map[interface {}][]interface {} */
        break;
    case PRED_SUM: /* checker.go: the predicate's type, else the items' (v1.15.5: any) */
        if (c->p->v115) {
            n->type = fd_expr_t(FD_T_ANY);
        } else {
            n->type = n->nargs > 1 ? body : elem;
            /* predicateNode: an unknown body is an interface {} output */
            if (n->nargs > 1 && t_any(body))
                n->type = fd_expr_t(FD_T_ANY);
            if (!t_arr(coll) && coll.kind != FD_T_BYTES && n->nargs == 1)
                n->type.elem = FD_T_NIL; /* unknown (a []uint8 sums to its uint8s) */
            else if (n->nargs == 1 && t_arr(coll))
                n->items = item_items(n->args[0]); /* an item's */
            /* with a predicate: its Go type alone, nothing known of its
             * items (sum(e, {[1]})[5] + 'a' fails at run time) */
        }
        break;
    case PRED_REDUCE: /* checker.go: the closure's output, what is known of it */
        n->type = body;
        if (n->nargs > 1)
            copy_items(n, n->args[1]);
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
        n->items = s->elem_items;
        return true;
    }
    if (n->namelen == 5 && memcmp(n->name, "index", 5) == 0 &&
        (s->pred == PRED_MAP || s->pred == PRED_REDUCE)) {
        n->type = fd_expr_t(FD_T_INT);
        return true;
    }
    if (n->namelen == 3 && memcmp(n->name, "acc", 3) == 0 && s->pred == PRED_REDUCE) {
        n->type = t_unknown(); /* checker.go: varScope{"acc", Nature{}} */
        return true;
    }
    if (c->lenient) {
        /* an argument of an unknown callee is never checked: the compiler
         * emits #index and #acc as they are (OpGetIndex, OpGetAcc: the
         * loop's scope holds them) and panics on any other name, with no
         * position (compiler.go PointerNode) */
        if ((n->namelen == 5 && memcmp(n->name, "index", 5) == 0) ||
            (n->namelen == 3 && memcmp(n->name, "acc", 3) == 0))
            return true;
        if (c->failed)
            return false;
        c->failed = true;
        fd_expr_error_set(c->err, FD_EXPR_PHASE_COMPILE, c->p->src, c->p->len, SIZE_MAX,
                          "unknown pointer %.*s", (int)n->namelen, n->name);
        return false;
    }
    return fail_at(c, n->pos, "unknown pointer #%.*s", (int)n->namelen, n->name);
}

static bool ck_redeclare(struct fd_expr_tctx *c, const struct fd_node *n)
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
    return true;
}

static bool ck_let(struct fd_expr_tctx *c, struct fd_node *n)
{
    /* where the checker never goes, its rules never apply */
    if (!c->lenient && !ck_redeclare(c, n))
        return false;
    if (!ck(c, n->a))
        return false;
    if (c->nvars >= FD_EXPR_MAX_TREE)
        return fail_at(c, n->pos, "nesting deeper than %d", FD_EXPR_MAX_TREE);
    if (c->nvars == c->capvars) {
        c->capvars = c->capvars ? c->capvars * 2 : 8;
        c->vars = fd_xreallocarray(c->vars, (size_t)c->capvars, sizeof(*c->vars));
    }
    struct ck_var *v = &c->vars[c->nvars++];
    v->name = n->name;
    v->len = n->namelen;
    v->type = n->a->type;
    v->value = c_v115 ? NULL : n->a;
    v->slot = c->nvars - 1;
    n->depth = v->slot;
    if (c->nvars > c->p->nslots)
        c->p->nslots = c->nvars;
    bool ok = ck(c, n->b);
    c->nvars--;
    n->type = n->b->type;
    copy_items(n, n->b);
    return ok;
}

static bool ck_cond(struct fd_expr_tctx *c, struct fd_node *n)
{
    /* checker.go conditionalNode: the condition is judged before the
     * branches are visited */
    if (!ck(c, n->a))
        return false;
    struct fd_expr_type t = fd_expr_t_deref_struct(n->a->type); /* (Deref, as unaryNode) */
    if (!t_bool(t) && !t_any(t))
        return fail_at(c, n->a->pos, "non-bool expression (type %s) used as condition", tnd(t));
    if (!ck(c, n->b) || !ck(c, n->c))
        return false;
    /* the first branch's type when assignable to the second's, else
     * unknown (v1.15.5: interface {}) */
    struct fd_expr_type b = n->b->type, e = n->c->type;
    if (b.kind == FD_T_NIL) {
        n->type = e;
        copy_items(n, n->c); /* (the branch's nature, what is known of its items too) */
    } else if (e.kind == FD_T_NIL || assignable(b, e)) {
        n->type = b;
        /* two arrays: the first's items when the items of each are
         * assignable to the other's, else an array of nothing known */
        struct fd_expr_type ib = item_of(n->b), ie = item_of(n->c);
        if (e.kind == FD_T_NIL || !t_arr(b) || !t_arr(e) ||
            (assignable(ib, ie) && assignable(ie, ib)))
            copy_items(n, n->b);
    } else {
        n->type = t_unknown();
    }
    /* neither version's optimizer folds a ternary: the VM tests the
     * constant and runs the branch where it stands */
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
        return fail_at(c, n->pos, "nesting deeper than %d", FD_EXPR_MAX_TREE);
    }
    switch (n->kind) {
    case N_CONST:
        if (n->val.kind == FD_VAL_FLOAT && n->val.u.f == 0)
            c->p->float_zero = true;
        if (!(n->flags & NF_KEEPTYPE))
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
        /* in_array.go, in_range.go */
        if (n->op == OP_IN &&
            (n->b->kind == N_ARRAY || (n->b->kind == N_BINARY && n->b->op == OP_RANGE)))
            c->p->optimizable = true;
        ok = ck_binary(c, n);
        break;
    case N_CHAIN:
        ok = ck(c, n->a);
        n->type = n->a->type;
        copy_items(n, n->a);
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
        c->p->optimizable = true;
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
        if (ok && n->nargs > 0 && scalar_literals(n))
            n->flags |= NF_CONSTARRAY;
        /* checker.go arrayNode: items all of one reflect.Kind make an array
         * of the last one's type */
        if (ok && n->nargs > 0) {
            bool same = true;
            for (uint32_t i = 1; same && i < n->nargs; i++)
                same = go_kind(n->args[i]->type) == go_kind(n->args[i - 1]->type);
            if (same)
                items_like(n, n->args[n->nargs - 1]);
        } else if (ok) { /* [] is an array of unknowns */
            struct fd_expr_type unknown = fd_expr_t(FD_T_ANY);
            unknown.elem = FD_T_NIL;
            set_items(n, unknown);
        }
        break;
    case N_MAP: /* checker.go mapNode: the keys are asserted at run time (OpMap) */
        ok = ck_args(c, n);
        n->type = fd_expr_t(FD_T_MAP);
        break;
    case N_SEQ:
        ok = ck_args(c, n);
        n->type = n->nargs ? n->args[n->nargs - 1]->type : fd_expr_t(FD_T_NIL);
        if (n->nargs)
            copy_items(n, n->args[n->nargs - 1]);
        break;
    default:
        break;
    }
    c->depth--;
    n->fk = ok ? fast_kind(n) : FK_NONE;
    if (c->lenient) {
        n->type = t_unknown();
        n->items = NULL;
    }
    return ok && !c->failed;
}

/* Whether the source names $env anywhere (a cheap over-approximation:
 * inside a string it costs a map copy per run, nothing else). */
static bool mentions_env(const char *src, size_t len)
{
    for (size_t i = 0; i + 4 <= len; i++)
        if (src[i] == '$' && memcmp(src + i, "$env", 4) == 0)
            return true;
    return false;
}

bool fd_expr_check(struct fd_expr_program *p, const fd_value *env, struct fd_expr_error *err)
{
    struct fd_expr_tctx ctx = {0}, *c = &ctx;
    bool ok;

    c->p = p;
    c->env = env ? fd_expr_from_public(env) : fd_expr_nil();
    /* $env of an Argo condition holds its functions too */
    p->argo_env = (p->mode == FD_EXPR_MODE_ARGO || p->mode == FD_EXPR_MODE_ARGO_WEB) &&
                  mentions_env(p->src, p->len);
    if (p->argo_env)
        c->env = fd_expr_argo_env(c->env);
    c->strict = p->mode != FD_EXPR_MODE_KARGO && p->mode != FD_EXPR_MODE_KARGO_TEMPLATE;
    c->err = err;
    c_v115 = p->v115;
    c_arena = &p->arena;
    ok = ck(c, p->root);
    c_v115 = false;
    c_arena = NULL;
    if (ok && c->fold_failed) {
        if (err)
            *err = c->fold_err;
        ok = false;
    }
    if (ok)
        fd_expr_optimize(p);
    if (p->argo_env)
        fd_expr_val_release(&c->env);
    free(c->vars);
    free(c->scopes);
    return ok;
}

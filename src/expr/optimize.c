/* expr/optimize.c: the passes of expr's optimizer (optimizer/optimizer.go)
 * that change which parts of a program run, applied to the checked tree in
 * upstream's order (and fold.go's filter of a filter). They matter when a
 * predicate would fail on an item the
 * rewritten program never reaches: count(a, # > 0) > 0 stops at the first
 * match (any), filter(a, p)[0] at the first item kept (find), so Argo and
 * Kargo answer where evaluating everything would be an error.
 *
 * Constant folding happens in the checker (check.c); passes that change no
 * result (sum of a range, filter then map...) are not repeated here. Each
 * pass walks the whole tree bottom-up, as ast.Walk does; a rewritten node
 * keeps its position and type (patchCopyType) and is read the slow way
 * (FK_NONE). */
#include "config.h"

#include "ast.h"
#include "internal.h"

#include <math.h>
#include <string.h>

typedef void (*visit_fn)(struct fd_expr_program *p, struct fd_node *n);

static void walk(struct fd_expr_program *p, struct fd_node *n, visit_fn visit, int depth)
{
    if (!n || depth > FD_EXPR_MAX_TREE)
        return;
    walk(p, n->a, visit, depth + 1);
    walk(p, n->b, visit, depth + 1);
    walk(p, n->c, visit, depth + 1);
    for (uint32_t i = 0; i < n->nargs; i++)
        walk(p, n->args[i], visit, depth + 1);
    visit(p, n);
}

/* An IntegerNode of upstream's tree: a literal, or a constant its fold made
 * (not one only freightdeck folded). */
static bool int_node(const struct fd_node *n, int64_t *v)
{
    if (n->kind != N_CONST || n->val.kind != FD_VAL_INT || n->val.tag != 0 ||
        (n->flags & NF_LATEFOLD))
        return false;
    *v = n->val.u.i;
    return true;
}

static bool pred2(const struct fd_node *n, int op)
{
    return n->kind == N_PRED && n->op == op && n->nargs == 2;
}

/* n, a call of the builtin name with one argument */
static bool call1(const struct fd_node *n, const char *name)
{
    return n->kind == N_CALL && n->fn && n->a && n->a->kind == N_IDENT && n->nargs == 1 &&
           strcmp(n->fn->name, name) == 0;
}

/* n becomes predicate op over args (patchCopyType: position and type stay) */
static void to_pred(struct fd_node *n, int op, struct fd_node **args, uint32_t nargs)
{
    n->kind = N_PRED;
    n->op = (uint8_t)op;
    n->args = args;
    n->nargs = nargs;
    n->a = n->b = n->c = NULL;
    n->fn = NULL;
    n->fk = FK_NONE;
    n->flags &= (uint8_t) ~(NF_OPTIONAL | NF_METHOD);
}

/* filter_len.go: len(filter(a, p)) is count(a, p) */
static void filter_len(struct fd_expr_program *p, struct fd_node *n)
{
    (void)p;
    if (n->kind == N_LEN && n->nargs == 1 && pred2(n->args[0], PRED_FILTER))
        to_pred(n, PRED_COUNT, n->args[0]->args, 2);
}

/* filter_first.go and filter_last.go: filter(a, p)[0] is find(a, p),
 * failing as the index would when nothing matches, first(filter(a, p)) the
 * same giving nil; [-1] and last() are findLast. */
static void filter_ends(struct fd_node *n, int64_t index, const char *fn, int op)
{
    int64_t i;

    if (n->kind == N_MEMBER && !(n->flags & NF_OPTIONAL) && pred2(n->a, PRED_FILTER) &&
        int_node(n->b, &i) && i == index) {
        to_pred(n, op, n->a->args, 2);
        n->flags |= NF_THROWS;
    } else if (call1(n, fn) && pred2(n->args[0], PRED_FILTER)) {
        to_pred(n, op, n->args[0]->args, 2);
    }
}

static void filter_last(struct fd_expr_program *p, struct fd_node *n)
{
    (void)p;
    filter_ends(n, -1, "last", PRED_FINDLAST);
}

static void filter_first(struct fd_expr_program *p, struct fd_node *n)
{
    (void)p;
    filter_ends(n, 0, "first", PRED_FIND);
}

/* Whether two collection arguments print alike (the pass compares their
 * String()): names, constants, members, # and operators of those. */
static bool same_tree(const struct fd_node *a, const struct fd_node *b, int depth)
{
    if (!a || !b)
        return a == b;
    if (a->kind != b->kind || a->op != b->op || depth > 64 ||
        (a->flags & NF_OPTIONAL) != (b->flags & NF_OPTIONAL))
        return false;
    switch (a->kind) {
    case N_IDENT:
    case N_POINTER:
        return a->namelen == b->namelen && memcmp(a->name, b->name, a->namelen) == 0;
    case N_CONST:
        return a->val.kind == b->val.kind && a->val.tag == b->val.tag &&
               fd_expr_deep_equal(a->val, b->val);
    case N_MEMBER:
    case N_BINARY:
        return same_tree(a->a, b->a, depth + 1) && same_tree(a->b, b->b, depth + 1);
    case N_UNARY:
        return same_tree(a->a, b->a, depth + 1);
    default:
        return false;
    }
}

/* predicate_combination.go: all(a, p) && all(a, q) is all(a, p && q), any
 * with || likewise, none(a, p) && none(a, q) is none(a, p || q) */
static void combine(struct fd_expr_program *p, struct fd_node *n)
{
    if (n->kind != N_BINARY || (n->op != OP_AND && n->op != OP_OR))
        return;
    struct fd_node *l = n->a, *r = n->b;
    if (l->kind != N_PRED || r->kind != N_PRED || l->op != r->op || l->nargs != 2 || r->nargs != 2)
        return;
    int op;
    if (l->op == PRED_ALL && n->op == OP_AND)
        op = OP_AND;
    else if (l->op == PRED_ANY && n->op == OP_OR)
        op = OP_OR;
    else if (l->op == PRED_NONE && n->op == OP_AND)
        op = OP_OR;
    else
        return;
    if (memcmp(&l->args[0]->type, &r->args[0]->type, sizeof(l->args[0]->type)) != 0 ||
        !same_tree(l->args[0], r->args[0], 0))
        return;
    /* the new predicate: a binary of no position */
    struct fd_node *body = fd_expr_arena_alloc(&p->arena, sizeof(*body));
    body->kind = N_BINARY;
    body->op = (uint8_t)op;
    body->a = l->args[1];
    body->b = r->args[1];
    body->slot = -1;
    body->envidx = UINT32_MAX;
    body->type = fd_expr_t(FD_T_BOOL);
    body->pred_pos = l->args[1]->pred_pos;
    combine(p, body);
    struct fd_node **args = fd_expr_arena_alloc(&p->arena, 2 * sizeof(*args));
    args[0] = l->args[0];
    args[1] = body;
    to_pred(n, l->op, args, 2);
}

/* sum_array.go: sum([a, b, c]) is a + (b + c), the new additions at no
 * position; upstream's fold has made a literal of constants one constant
 * already, which this leaves alone. */
static struct fd_node *sum_chain(struct fd_expr_program *p, struct fd_node **items, uint32_t n)
{
    if (n == 1)
        return items[0];
    struct fd_node *b = fd_expr_arena_alloc(&p->arena, sizeof(*b));
    b->kind = N_BINARY;
    b->op = OP_ADD;
    b->a = items[0];
    b->b = sum_chain(p, items + 1, n - 1);
    b->slot = -1;
    b->envidx = UINT32_MAX;
    b->type = fd_expr_t(FD_T_ANY);
    return b;
}

/* fold.go made an array of scalar literals one constant */
static bool literal_array(const struct fd_node *arr)
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

static void sum_array(struct fd_expr_program *p, struct fd_node *n)
{
    if (n->kind != N_PRED || n->op != PRED_SUM || n->nargs != 1 || n->args[0]->kind != N_ARRAY ||
        n->args[0]->nargs < 2 || literal_array(n->args[0]))
        return;
    struct fd_node *arr = n->args[0];
    n->kind = N_BINARY;
    n->op = OP_ADD;
    n->a = arr->args[0];
    n->b = sum_chain(p, arr->args + 1, arr->nargs - 1);
    n->args = NULL;
    n->nargs = 0;
    n->fk = FK_NONE;
}

/* count_any.go: count(a, p) > 0 and count(a, p) >= 1 are any(a, p) */
static void count_any(struct fd_expr_program *p, struct fd_node *n)
{
    int64_t v;

    (void)p;
    if (n->kind == N_BINARY && pred2(n->a, PRED_COUNT) && int_node(n->b, &v) &&
        ((n->op == OP_GT && v == 0) || (n->op == OP_GE && v == 1)))
        to_pred(n, PRED_ANY, n->a->args, 2);
}

/* count_threshold.go: count(a, p) compared with N stops counting once the
 * comparison is decided */
static void count_threshold(struct fd_expr_program *p, struct fd_node *n)
{
    int64_t v;

    (void)p;
    if (n->kind != N_BINARY || !pred2(n->a, PRED_COUNT) || !int_node(n->b, &v) || v < 0 ||
        v > INT32_MAX - 1)
        return;
    int64_t t = n->op == OP_GT || n->op == OP_LE ? v + 1 : n->op == OP_GE || n->op == OP_LT ? v : 0;
    if (t > 1)
        n->a->threshold = (int32_t)t;
}

/* in_array.go (before any fold): x in [a, b] over integer literals, x an
 * int, or over string literals becomes a lookup in a Go map */
static bool literal_at(const struct fd_expr_program *p, const struct fd_node *n, int kind)
{
    if (n->kind != N_CONST || n->val.kind != kind || n->pos >= p->len)
        return false;
    char c = p->src[n->pos]; /* a literal's own token, not a folded operator */
    return kind == FD_VAL_INT ? c >= '0' && c <= '9' : c == '"' || c == '\'' || c == '`';
}

static void in_array(struct fd_expr_program *p, struct fd_node *n)
{
    if (n->kind != N_BINARY || n->op != OP_IN || n->b->kind != N_ARRAY || n->b->nargs == 0)
        return;
    const struct fd_node *arr = n->b;
    bool ints = n->a->type.kind == FD_T_INT || n->a->type.kind == FD_T_MONTH ||
                n->a->type.kind == FD_T_WEEKDAY; /* reflect.Kind Int */
    ints = ints && n->a->type.elem != FD_T_INT64 && n->a->type.elem != FD_T_BYTES;
    for (uint32_t i = 0; ints && i < arr->nargs; i++)
        ints = literal_at(p, arr->args[i], FD_VAL_INT);
    bool strs = !ints;
    for (uint32_t i = 0; strs && i < arr->nargs; i++)
        strs = literal_at(p, arr->args[i], FD_VAL_STRING);
    if (ints || strs)
        n->flags |= NF_INSET;
}

/* fold.go: filter(filter(a, p), q) is filter(a, p && q), the && at no
 * position (both versions) */
static void filter_filter(struct fd_expr_program *p, struct fd_node *n)
{
    if (!pred2(n, PRED_FILTER) || !pred2(n->args[0], PRED_FILTER))
        return;
    struct fd_node *inner = n->args[0];
    struct fd_node *body = fd_expr_arena_alloc(&p->arena, sizeof(*body));
    body->kind = N_BINARY;
    body->op = OP_AND;
    body->a = inner->args[1];
    body->b = n->args[1];
    body->slot = -1;
    body->envidx = UINT32_MAX;
    body->type = fd_expr_t(FD_T_BOOL);
    body->pred_pos = inner->args[1]->pred_pos;
    struct fd_node **args = fd_expr_arena_alloc(&p->arena, 2 * sizeof(*args));
    args[0] = inner->args[0];
    args[1] = body;
    to_pred(n, PRED_FILTER, args, 2);
}

/* sum_map.go: sum(map(a, f)) is sum(a, f) (v1.17) */
static void sum_map(struct fd_expr_program *p, struct fd_node *n)
{
    (void)p;
    if (n->kind == N_PRED && n->op == PRED_SUM && n->nargs == 1 && pred2(n->args[0], PRED_MAP))
        to_pred(n, PRED_SUM, n->args[0]->args, 2);
}

/* The passes in upstream's order, fused where no later pass makes what an
 * earlier one looks for: nothing makes a filter, an array or a sum, so one
 * walk serves the first five; count_any makes the any() combine would join,
 * so the count passes walk again after it. */
static void early_passes(struct fd_expr_program *p, struct fd_node *n)
{
    filter_filter(p, n);
    in_array(p, n);
    filter_len(p, n);
    filter_last(p, n);
    filter_first(p, n);
    if (!p->v115) { /* v1.15.5's optimizer stops at filter_first */
        combine(p, n);
        sum_array(p, n);
        sum_map(p, n);
    }
}

static void count_passes(struct fd_expr_program *p, struct fd_node *n)
{
    count_any(p, n);
    count_threshold(p, n);
}

/* compiler.go addConstant keeps one copy of equal constants, and 0.0 ==
 * -0.0: every float zero of a program is the first one the compiler meets
 * (arguments before their callee, as CallNode compiles them). */
static void share_zeros(struct fd_node *n, int *sign, int depth)
{
    if (!n || depth > FD_EXPR_MAX_TREE)
        return;
    if (n->kind == N_CONST && n->val.kind == FD_VAL_FLOAT && n->val.u.f == 0) {
        if (*sign == 0)
            *sign = signbit(n->val.u.f) ? -1 : 1;
        else
            n->val.u.f = *sign < 0 ? -0.0 : 0.0;
        return;
    }
    if (n->kind == N_ARRAY && n->nargs > 0 && literal_array(n))
        return; /* fold.go made it one constant: a slice, never shared */
    if (n->kind == N_CALL) {
        for (uint32_t i = 0; i < n->nargs; i++)
            share_zeros(n->args[i], sign, depth + 1);
        share_zeros(n->a, sign, depth + 1);
        return;
    }
    if (n->kind == N_PRED && n->op == PRED_REDUCE && n->nargs == 3) {
        /* reduce compiles its initial value before the loop's body */
        share_zeros(n->args[0], sign, depth + 1);
        share_zeros(n->args[2], sign, depth + 1);
        share_zeros(n->args[1], sign, depth + 1);
        return;
    }
    share_zeros(n->a, sign, depth + 1);
    share_zeros(n->b, sign, depth + 1);
    share_zeros(n->c, sign, depth + 1);
    for (uint32_t i = 0; i < n->nargs; i++)
        share_zeros(n->args[i], sign, depth + 1);
}

void fd_expr_optimize(struct fd_expr_program *p)
{
    if (p->float_zero) {
        int sign = 0;
        share_zeros(p->root, &sign, 0);
    }
    if (!p->optimizable)
        return;
    walk(p, p->root, early_passes, 0);
    if (!p->v115)
        walk(p, p->root, count_passes, 0);
}

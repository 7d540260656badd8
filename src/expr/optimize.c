/* expr/optimize.c: the passes of expr's optimizer (optimizer/optimizer.go)
 * that change which parts of a program run, applied to the checked tree in
 * upstream's order (and fold.go's filter of a filter). They matter when a
 * predicate would fail on an item the
 * rewritten program never reaches: count(a, # > 0) > 0 stops at the first
 * match (any), filter(a, p)[0] at the first item kept (find), so Argo and
 * Kargo answer where evaluating everything would be an error.
 *
 * Constant folding happens in the checker (check.c). A range's items are
 * never made where upstream's passes do without them (x in 1..1000000,
 * sum(1..1000000)), which the VM's memory budget would refuse. Each pass
 * walks the whole tree bottom-up, as ast.Walk does; a rewritten node keeps
 * its position and type (patchCopyType) and is read the slow way (FK_NONE). */
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

/* A node the optimizer makes: no location (file.Location{}), as upstream's
 * new nodes have, which v1.15.5 prints as none and v1.17 as offset 0,
 * "(1:1)" (file/error.go Bind); typed bool. */
static struct fd_node *new_binary(struct fd_expr_program *p, int op, struct fd_node *a,
                                  struct fd_node *b)
{
    struct fd_node *n = fd_expr_arena_alloc(&p->arena, sizeof(*n));
    n->kind = N_BINARY;
    n->op = (uint8_t)op;
    n->a = a;
    n->b = b;
    n->pos = p->v115 ? FD_EXPR_NO_POS : 0;
    n->slot = -1;
    n->envidx = UINT32_MAX;
    n->type = fd_expr_t(FD_T_BOOL);
    return n;
}

/* reflect.Int: an int, a time.Month or a time.Weekday (not an int64 or uint8) */
static bool int_kind(struct fd_expr_type t)
{
    return (t.kind == FD_T_INT && t.elem != FD_T_INT64 && t.elem != FD_T_BYTES) ||
           t.kind == FD_T_MONTH || t.kind == FD_T_WEEKDAY;
}

/* in_range.go: x in m..n of integer literals, x an Int by kind, is
 * x >= m and x <= n, the comparisons at no location (both versions): no
 * range is made, and v1.15.5 compares a time.Month with an int */
static void in_range(struct fd_expr_program *p, struct fd_node *n)
{
    int64_t lo, hi;

    if (n->kind != N_BINARY || n->op != OP_IN || !int_kind(n->a->type) || n->b->kind != N_BINARY ||
        n->b->op != OP_RANGE || !int_node(n->b->a, &lo) || !int_node(n->b->b, &hi))
        return;
    struct fd_node *x = n->a, *range = n->b;
    n->a = new_binary(p, OP_GE, x, range->a);
    n->b = new_binary(p, OP_LE, x, range->b);
    n->op = OP_AND;
    n->fk = FK_NONE;
    n->flags &= (uint16_t)~NF_INSET;
}

/* const_range.go (v1.15.5), after in_range: m..n of integer literals is a
 * constant []int, made once when it has at most a million items (none when
 * n < m), not at each evaluation: all(1..600000, # > 1) in a loop of 600,000
 * took Go 0.1 s, freightdeck (a range made each time) minutes. */
static void const_range(struct fd_expr_program *p, struct fd_node *n)
{
    int64_t lo, hi;

    if (n->kind != N_BINARY || n->op != OP_RANGE || !(n->flags & NF_CONSTRANGE) ||
        !int_node(n->a, &lo) || !int_node(n->b, &hi))
        return;
    int64_t size = (int64_t)((uint64_t)hi - (uint64_t)lo + 1); /* (a Go int: it wraps) */
    if (size > 1000000)
        return;
    struct fd_expr_val arr = fd_expr_arr_new(size > 0 ? (size_t)size : 0);
    arr.u.a->slice = FD_EXPR_SLICE_INTS; /* a Go []int */
    for (int64_t i = 0; i < size; i++)
        fd_expr_arr_push(arr, fd_expr_int((int64_t)((uint64_t)lo + (uint64_t)i)));
    n->kind = N_CONST;
    n->val = arr;
    n->a = n->b = NULL;
    n->fk = FK_NONE;
    fd_expr_program_own(p, n);
}

/* Whether the tree n holds a #index. */
static bool has_index_pointer(const struct fd_node *n, int depth)
{
    if (!n || depth > FD_EXPR_MAX_TREE)
        return false;
    if (n->kind == N_POINTER && n->namelen == 5 && memcmp(n->name, "index", 5) == 0)
        return true;
    if (has_index_pointer(n->a, depth + 1) || has_index_pointer(n->b, depth + 1) ||
        has_index_pointer(n->c, depth + 1))
        return true;
    for (uint32_t i = 0; i < n->nargs; i++)
        if (has_index_pointer(n->args[i], depth + 1))
            return true;
    return false;
}

/* filter_map.go: map(filter(a, p), f) is one loop that maps what it keeps
 * (a filter whose c is f), at the map's location: each kept item is mapped
 * before the next is tested (v1.17: unless f reads #index) */
static void filter_map(struct fd_expr_program *p, struct fd_node *n)
{
    if (!pred2(n, PRED_MAP) || !pred2(n->args[0], PRED_FILTER) || n->args[0]->c ||
        (!p->v115 && has_index_pointer(n->args[1], 0)))
        return;
    struct fd_node *f = n->args[1];
    to_pred(n, PRED_FILTER, n->args[0]->args, 2);
    n->c = f;
}

/* sum_range.go (v1.17): a sum of a range of integer literals, or a
 * reduce(m..n, # + #acc), is the arithmetic series' constant (Go's int
 * arithmetic, wrapping) when n >= m; sum's predicate may be #, # * k, # + k,
 * # - k or k - # of an integer literal k. */
static bool pointer(const struct fd_node *n, const char *name)
{
    size_t len = strlen(name);
    return n->kind == N_POINTER && n->namelen == len && memcmp(n->name, name, len) == 0;
}

static bool series_sum(const struct fd_node *range, int64_t *sum, int64_t *count)
{
    int64_t m, k;

    if (range->kind != N_BINARY || range->op != OP_RANGE || !int_node(range->a, &m) ||
        !int_node(range->b, &k) || k < m)
        return false;
    *count = (int64_t)((uint64_t)k - (uint64_t)m + 1);
    *sum = (int64_t)((uint64_t)*count * ((uint64_t)m + (uint64_t)k)) / 2;
    return true;
}

/* applySumPredicate */
static bool sum_predicate(const struct fd_node *body, int64_t sum, int64_t count, int64_t *out)
{
    int64_t k;

    if (pointer(body, "")) {
        *out = sum;
        return true;
    }
    if (body->kind != N_BINARY)
        return false;
    bool left = pointer(body->a, "") && int_node(body->b, &k);
    if (!left && !(int_node(body->a, &k) && pointer(body->b, "")))
        return false;
    switch (body->op) {
    case OP_MUL:
        *out = (int64_t)((uint64_t)k * (uint64_t)sum);
        return true;
    case OP_ADD:
        *out = (int64_t)((uint64_t)sum + (uint64_t)count * (uint64_t)k);
        return true;
    case OP_SUB:
        *out = left ? (int64_t)((uint64_t)sum - (uint64_t)count * (uint64_t)k)
                    : (int64_t)((uint64_t)count * (uint64_t)k - (uint64_t)sum);
        return true;
    default:
        return false;
    }
}

static void to_int_const(struct fd_node *n, int64_t v)
{
    n->kind = N_CONST;
    n->val = fd_expr_int(v);
    n->type = fd_expr_t(FD_T_INT);
    n->args = NULL;
    n->nargs = 0;
    n->a = n->b = n->c = NULL;
    n->fn = NULL;
    n->fk = FK_NONE;
}

static void sum_range(struct fd_expr_program *p, struct fd_node *n)
{
    int64_t sum, count, v, init;

    (void)p;
    if (n->kind != N_PRED || n->nargs < 1 || !series_sum(n->args[0], &sum, &count))
        return;
    if (n->op == PRED_SUM && n->nargs == 1)
        to_int_const(n, sum);
    else if (n->op == PRED_SUM && n->nargs == 2 && sum_predicate(n->args[1], sum, count, &v))
        to_int_const(n, v);
    else if (n->op == PRED_REDUCE && n->args[1]->kind == N_BINARY && n->args[1]->op == OP_ADD &&
             ((pointer(n->args[1]->a, "") && pointer(n->args[1]->b, "acc")) ||
              (pointer(n->args[1]->a, "acc") && pointer(n->args[1]->b, ""))) &&
             (n->nargs == 2 || (n->nargs == 3 && int_node(n->args[2], &init))))
        to_int_const(n, n->nargs == 3 ? (int64_t)((uint64_t)init + (uint64_t)sum) : sum);
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
    struct fd_node *map; /* the filter's, which find maps its match with */

    if (n->kind == N_MEMBER && !(n->flags & NF_OPTIONAL) && pred2(n->a, PRED_FILTER) &&
        int_node(n->b, &i) && i == index) {
        map = n->a->c;
        to_pred(n, op, n->a->args, 2);
        n->flags |= NF_THROWS;
        n->c = map;
    } else if (call1(n, fn) && pred2(n->args[0], PRED_FILTER)) {
        map = n->args[0]->c;
        to_pred(n, op, n->args[0]->args, 2);
        n->c = map;
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

/* sum_array.go: sum([a, b, c]) is a + b + c, unless fold.go made the
 * array one constant */
static void sum_array(struct fd_expr_program *p, struct fd_node *n)
{
    if (n->kind != N_PRED || n->op != PRED_SUM || n->nargs != 1 || n->args[0]->kind != N_ARRAY ||
        n->args[0]->nargs < 2 || (n->args[0]->flags & NF_CONSTARRAY))
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
    ints = ints && n->a->type.elem != FD_T_INT64 && n->a->type.elem != FD_T_BYTES &&
           n->a->type.elem != FD_T_UINT64;
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
    /* (fold.go runs before filter_map: a filter that maps was a map then) */
    if (!pred2(n, PRED_FILTER) || !pred2(n->args[0], PRED_FILTER) || n->c || n->args[0]->c)
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
    in_range(p, n);
    filter_map(p, n);
    filter_len(p, n);
    filter_last(p, n);
    filter_first(p, n);
    if (!p->v115) { /* v1.15.5's optimizer stops at filter_first */
        combine(p, n);
        sum_range(p, n);
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
    if (n->kind == N_ARRAY && (n->flags & NF_CONSTARRAY))
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
    if (p->v115) { /* in_range's walk, then const_range's */
        walk(p, p->root, in_range, 0);
        walk(p, p->root, const_range, 0);
    }
    walk(p, p->root, early_passes, 0);
    if (!p->v115)
        walk(p, p->root, count_passes, 0);
}

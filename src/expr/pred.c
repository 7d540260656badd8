/* expr/pred.c: the predicate builtins (all, any, none, one, filter, map,
 * count, sum, find*, groupBy, sortBy, reduce), which expr compiles as
 * loops with # bound to each element. */
#include "config.h"

#include "eval.h"
#include "builtins.h"

#include <stdlib.h>
#include <string.h>

/* Runs the predicate body for element i; result OWNED in *out. */
static bool run_body(struct fd_expr_ctx *ctx, const struct fd_node *n, struct fd_expr_arr *a,
                     size_t i, struct fd_expr_val *out)
{
    struct fd_expr_scope *s = &ctx->scopes[ctx->nscopes - 1];

    if (!fd_expr_tick(ctx))
        return false;
    s->elem = fd_expr_arr_get(a, i);
    s->index = (int64_t)i;
    return fd_expr_ev(ctx, n->args[1], out);
}

/* The item itself, for the builtin's own use (vm.go OpPointer): a loop over
 * a map cannot give it. */
static bool item(struct fd_expr_ctx *ctx, const struct fd_node *n, struct fd_expr_arr *a, size_t i,
                 struct fd_expr_val *out)
{
    if (ctx->scopes[ctx->nscopes - 1].noelem) {
        ctx->pos = n->pos;
        return fd_expr_fail(ctx, "reflect: call of reflect.Value.Index on map Value");
    }
    *out = fd_expr_arr_get(a, i);
    return true;
}

static bool body_bool(struct fd_expr_ctx *ctx, const struct fd_node *n, struct fd_expr_arr *a,
                      size_t i, bool *out)
{
    struct fd_expr_val v;
    struct fd_expr_scope *s = &ctx->scopes[ctx->nscopes - 1];

    if (!fd_expr_tick(ctx))
        return false;
    /* `# > 0.9` over a []float64 needs no tree walk. */
    s->elem = fd_expr_arr_get(a, i);
    s->index = (int64_t)i;
    if (fd_expr_bool_fast(ctx, n->args[1], out))
        return true;
    if (!fd_expr_ev(ctx, n->args[1], &v))
        return false;
    if (v.kind != FD_VAL_BOOL) {
        /* the loop's jump carries the builtin call's location */
        fd_expr_not_bool(ctx, n->args[1], v);
        ctx->pos = n->pos;
        fd_expr_val_release(&v);
        return false;
    }
    *out = v.u.b;
    return true;
}

static bool add(struct fd_expr_ctx *ctx, const struct fd_node *n, struct fd_expr_val *sum,
                struct fd_expr_val v)
{
    if (ctx->p->v115 && fd_expr_unsigned(v)) { /* neither CanInt nor CanFloat */
        ctx->pos = n->pos;
        return fd_expr_fail(ctx, "cannot sum %s", fd_expr_go_kind(v));
    }
    if (ctx->p->v115 && (v.kind == FD_VAL_DURATION || fd_expr_named_int(v)))
        v = fd_expr_int(v.u.i);      /* builtin.go v1.15.5: CanInt, Int() */
    else if (fd_expr_named_int(v)) { /* the generated Add knows no time.Weekday */
        ctx->pos = n->pos;
        return fd_expr_fail(ctx, "invalid operation: %s + %s", fd_expr_go_type(v),
                            fd_expr_go_type(*sum));
    }
    if (sum->kind == FD_VAL_INT && v.kind == FD_VAL_INT) {
        sum->u.i = (int64_t)((uint64_t)sum->u.i + (uint64_t)v.u.i);
        return true;
    }
    if (fd_expr_is_number(*sum) && fd_expr_is_number(v)) {
        *sum = fd_expr_float(fd_expr_num(*sum) + fd_expr_num(v));
        return true;
    }
    ctx->pos = n->pos;
    if (ctx->p->v115) /* builtin.go v1.15.5: a nil item is an interface holding nothing */
        return fd_expr_fail(ctx, "cannot sum %s",
                            v.kind == FD_VAL_NIL ? "interface" : fd_expr_go_kind(v));
    /* builtin.go adds the element to the running sum: element first */
    return fd_expr_fail(ctx, "invalid operation: %s + %s", fd_expr_go_type(v),
                        fd_expr_go_type(*sum));
}

struct fd_expr_val fd_expr_scope_acc(struct fd_expr_scope *s)
{
    if (s->sorting && s->acc.kind == FD_VAL_NIL) {
        s->acc = fd_expr_gostruct_new(FD_EXPR_GOSTRUCT_SORTBY, true, false);
        fd_expr_map_set(s->acc, "Desc", 4, fd_expr_bool(s->sort_desc));
        fd_expr_map_set(s->acc, "Array", 5, fd_expr_val_ref(s->sort_items));
        fd_expr_map_set(s->acc, "Values", 6, fd_expr_val_ref(s->sort_keys));
    }
    return fd_expr_val_ref(s->acc);
}

/* vm.go OpSortBy's append to a slice of the *runtime.SortBy: what a body
 * kept of it (#acc.Array) is a slice header of the length it had then, so
 * an array someone else holds is copied before it grows. item is taken. */
static void sort_append(struct fd_expr_val *arr, struct fd_expr_val item)
{
    struct fd_expr_arr *a = arr->u.a;

    if (atomic_load_explicit(&a->h.refs, memory_order_acquire) > 1) {
        struct fd_expr_val copy = fd_expr_arr_new(a->len + 1);
        for (size_t i = 0; i < a->len; i++)
            fd_expr_arr_push(copy, fd_expr_val_ref(a->items[i]));
        fd_expr_val_release(arr);
        *arr = copy;
    }
    fd_expr_arr_push(*arr, item);
}

static bool sort_by(struct fd_expr_ctx *ctx, const struct fd_node *n, struct fd_expr_arr *a,
                    struct fd_expr_val order, struct fd_expr_val *out)
{
    bool desc = false;

    if (!ctx->p->v115 && n->nargs > 2) { /* vm.go OpCreate 2, before the loop */
        ctx->pos = n->pos;
        if (order.kind != FD_VAL_STRING)
            return fd_expr_fail(ctx, "sortBy order argument must be a string");
        if (strcmp(order.u.s->data, "desc") == 0)
            desc = true;
        else if (strcmp(order.u.s->data, "asc") != 0)
            return fd_expr_fail(ctx, "unknown order, use asc or desc");
    } else if (order.kind == FD_VAL_STRING) {
        if (strcmp(order.u.s->data, "desc") == 0)
            desc = true;
        else if (strcmp(order.u.s->data, "asc") != 0) {
            ctx->pos = n->pos;
            return fd_expr_fail(ctx, "unknown order %s, use asc or desc", order.u.s->data);
        }
    } else if (order.kind != FD_VAL_NIL) {
        ctx->pos = n->pos;
        return fd_expr_fail(ctx, "invalid order %s, expected string", fd_expr_go_type(order));
    }
    struct fd_expr_val *keys = fd_xcalloc(a->len ? a->len : 1, sizeof(*keys));   /* owned */
    struct fd_expr_val *items = fd_xcalloc(a->len ? a->len : 1, sizeof(*items)); /* borrowed */
    struct fd_expr_scope *s = &ctx->scopes[ctx->nscopes - 1];
    bool ok = true;
    size_t got = 0;
    if (!ctx->p->v115) { /* vm.go OpCreate 2: the loop's Acc */
        s->sorting = true;
        s->sort_desc = desc;
        s->sort_items = fd_expr_arr_new(a->len);
        s->sort_keys = fd_expr_arr_new(a->len);
    }
    for (size_t i = 0; i < a->len && ok; i++, got++) {
        /* vm.go OpSortBy takes the item after the body ran */
        ok = run_body(ctx, n, a, i, &keys[i]);
        fd_expr_val_release(&s->acc); /* (the SortBy this body read) */
        if (ok && !item(ctx, n, a, i, &items[i])) {
            fd_expr_val_release(&keys[i]);
            ok = false;
        }
        if (ok && s->sorting) {
            sort_append(&s->sort_items, fd_expr_val_ref(items[i]));
            sort_append(&s->sort_keys, fd_expr_val_ref(keys[i]));
        }
    }
    if (s->sorting) {
        fd_expr_val_release(&s->sort_items);
        fd_expr_val_release(&s->sort_keys);
        s->sorting = false;
    }
    if (!ok)
        got--;
    if (ok) { /* vm.go OpSort: sort.Sort, then memGrow */
        ctx->pos = n->pos;
        ok = fd_expr_go_sort(ctx, keys, items, a->len, desc) && fd_expr_mem_grow_at(ctx, n, a->len);
    }
    if (ok) {
        *out = fd_expr_arr_new(a->len);
        for (size_t i = 0; i < a->len; i++)
            fd_expr_arr_push(*out, fd_expr_val_ref(items[i]));
    }
    for (size_t i = 0; i < got; i++)
        fd_expr_val_release(&keys[i]);
    free(keys);
    free(items);
    return ok;
}

/* filter, and a filter that maps what it keeps (optimizer filter_map.go;
 * n->c the map's body): each kept item (OpPointer), or its value, stays on
 * the VM's stack until OpArray pops count of them, a findLast's junk among
 * them (as in map). */
static bool filter(struct fd_expr_ctx *ctx, const struct fd_node *n, struct fd_expr_arr *a,
                   struct fd_expr_val *out)
{
    size_t len = a->len, kept = 0, mark = ctx->njunk;
    struct fd_expr_val *vals = fd_xcalloc(len ? len : 1, sizeof(*vals));
    size_t *marks = fd_xcalloc(len ? len : 1, sizeof(*marks));
    bool ok = true, b;

    /* marks[k]: the junk since the value before, all of it below value k */
    for (size_t i = 0; i < len && ok; i++) {
        ok = body_bool(ctx, n, a, i, &b);
        if (ok && b) {
            marks[kept] = mark;
            struct fd_expr_val it;
            if (n->c)
                ok = fd_expr_ev(ctx, n->c, &vals[kept]);
            else if ((ok = item(ctx, n, a, i, &it)))
                vals[kept] = fd_expr_val_ref(it);
            if (ok)
                kept++;
            mark = ctx->njunk;
        }
    }
    ok = ok && fd_expr_mem_grow_at(ctx, n, kept); /* OpArray */
    if (ok) {
        if (kept > 1 && ctx->njunk > marks[1])
            fd_expr_junk_shuffle(ctx, vals, marks, kept);
        *out = fd_expr_arr_new(kept);
        for (size_t i = 0; i < kept; i++)
            fd_expr_arr_push(*out, vals[i]);
    } else {
        for (size_t i = 0; i < kept; i++)
            fd_expr_val_release(&vals[i]);
    }
    free(vals);
    free(marks);
    return ok;
}

static bool group_by(struct fd_expr_ctx *ctx, const struct fd_node *n, struct fd_expr_arr *a,
                     struct fd_expr_val *out)
{
    struct fd_buf b = FD_BUF_INIT;
    struct fd_expr_val key, group;
    const char *unhashable = NULL;

    /* builtin.go: groups := make(map[any][]any), keyed by the value itself;
     * v1.17's loop keeps it in the scope's Acc (OpCreate, OpSetAcc), which
     * an unchecked #acc reads */
    *out = fd_expr_map_new(0);
    out->u.m->anykey = true;
    if (!ctx->p->v115)
        ctx->scopes[ctx->nscopes - 1].acc = fd_expr_val_ref(*out);
    for (size_t i = 0; i < a->len; i++) {
        /* vm.go OpGroupBy reads the item (Scope.Item, which a loop over a
         * map cannot) before the key is hashed */
        struct fd_expr_val it;
        if (!run_body(ctx, n, a, i, &key)) {
            fd_expr_val_release(out);
            fd_buf_free(&b);
            return false;
        }
        if (!item(ctx, n, a, i, &it)) {
            fd_expr_val_release(&key);
            fd_expr_val_release(out);
            fd_buf_free(&b);
            return false;
        }
        fd_buf_reset(&b);
        if (!fd_expr_anykey(&b, key, &unhashable)) {
            fd_expr_val_release(&key);
            fd_expr_val_release(out);
            fd_buf_free(&b);
            ctx->pos = n->pos;
            /* v1.17 checks the key itself; v1.15.5's map assignment panics */
            return fd_expr_fail(ctx,
                                ctx->p->v115 ? "runtime error: hash of unhashable type %s"
                                             : "hash of unhashable type: %s",
                                unhashable);
        }
        if (!fd_expr_map_get(out->u.m, b.data, b.len, &group)) {
            fd_expr_map_set_encoded(*out, b.data, b.len, key, fd_expr_arr_new(0));
            fd_expr_map_get(out->u.m, b.data, b.len, &group);
        }
        fd_expr_val_release(&key);
        fd_expr_arr_push(group, fd_expr_val_ref(it));
    }
    fd_buf_free(&b);
    /* v1.15.5 (builtin.go): `var groups map[any][]any`, made on the first
     * item: grouping nothing gives a nil map */
    if (a->len == 0 && ctx->p->v115)
        out->u.m->isnil = true;
    return true;
}

static bool reduce(struct fd_expr_ctx *ctx, const struct fd_node *n, struct fd_expr_arr *a,
                   struct fd_expr_val *out)
{
    struct fd_expr_scope *s = &ctx->scopes[ctx->nscopes - 1];
    size_t start = 0;

    if (n->nargs > 2) {
        if (!fd_expr_ev(ctx, n->args[2], &s->acc))
            return false;
    } else {
        if (a->len == 0) {
            ctx->pos = n->pos;
            if (!ctx->p->v115)
                return fd_expr_fail(ctx, "reduce of empty array with no initial value");
            /* v1.15.5 reads the first item (OpPointer) without a check */
            if (s->of_map)
                return fd_expr_fail(ctx, "reflect: call of reflect.Value.Index on map Value");
            return fd_expr_fail(ctx, "reflect: %s index out of range",
                                s->of_string ? "string" : "slice");
        }
        struct fd_expr_val first;
        if (!item(ctx, n, a, 0, &first))
            return false;
        s->acc = fd_expr_val_ref(first);
        start = 1;
    }
    for (size_t i = start; i < a->len; i++) {
        struct fd_expr_val v;
        if (!run_body(ctx, n, a, i, &v)) {
            fd_expr_val_release(&s->acc);
            return false;
        }
        fd_expr_val_release(&s->acc);
        s->acc = v;
    }
    *out = s->acc;
    s->acc = fd_expr_nil();
    return true;
}

/* all/any/none with `# < number` (any comparison) over a []float64: the
 * common Argo predicate, run as a plain loop over the doubles. */
static bool float_loop(const struct fd_node *n, const struct fd_expr_arr *a,
                       struct fd_expr_val *out)
{
    const struct fd_node *body = n->args[1];
    bool want = n->op != PRED_ALL; /* the element value that decides early */
    double y;

    if (!a->floats || n->nargs != 2 || body->fk != FK_CMP || body->a->fk != FK_ELEM ||
        body->b->fk != FK_CONST || !fd_expr_is_number(body->b->val) ||
        (n->op != PRED_ALL && n->op != PRED_ANY && n->op != PRED_NONE))
        return false;
    y = fd_expr_num(body->b->val);
    for (size_t i = 0; i < a->len; i++) {
        double x = a->f[i];
        bool b;
        switch (body->op) {
        case OP_LT:
            b = x < y;
            break;
        case OP_GT:
            b = x > y;
            break;
        case OP_LE:
            b = x <= y;
            break;
        default:
            b = x >= y;
            break;
        }
        if (b == want) {
            *out = fd_expr_bool(n->op == PRED_ANY);
            return true;
        }
    }
    *out = fd_expr_bool(n->op != PRED_ANY);
    return true;
}

static bool loop(struct fd_expr_ctx *ctx, const struct fd_node *n, struct fd_expr_arr *a,
                 struct fd_expr_val *out)
{
    size_t len = a->len, count = 0;
    bool b;
    struct fd_expr_val v;

    if (float_loop(n, a, out))
        return true;
    switch (n->op) {
    case PRED_ALL:
    case PRED_ANY:
    case PRED_NONE:
        for (size_t i = 0; i < len; i++) {
            if (!body_bool(ctx, n, a, i, &b))
                return false;
            if (n->op == PRED_ALL && !b) {
                *out = fd_expr_bool(false);
                return true;
            }
            if (n->op != PRED_ALL && b) {
                *out = fd_expr_bool(n->op == PRED_ANY);
                return true;
            }
        }
        *out = fd_expr_bool(n->op != PRED_ANY);
        return true;
    case PRED_ONE:
    case PRED_COUNT:
        for (size_t i = 0; i < len; i++) {
            if (n->nargs < 2) {
                struct fd_expr_val e;
                if (!item(ctx, n, a, i, &e))
                    return false;
                if (e.kind != FD_VAL_BOOL)
                    return fd_expr_not_bool(ctx, n, e);
                b = e.u.b;
            } else if (!body_bool(ctx, n, a, i, &b)) {
                return false;
            }
            count += b;
            if (n->op == PRED_ONE && count > 1)
                break;
            if (n->threshold > 0 && count >= (size_t)n->threshold)
                break; /* the comparison it feeds is decided */
        }
        *out = n->op == PRED_ONE ? fd_expr_bool(count == 1) : fd_expr_int((int64_t)count);
        return true;
    case PRED_FILTER:
        return filter(ctx, n, a, out);
    case PRED_MAP: {
        /* compiler.go: each body's value stays on the stack and OpArray pops
         * len of them, a findLast's junk among them too */
        struct fd_expr_val *vals = fd_xcalloc(len ? len : 1, sizeof(*vals));
        size_t *marks = fd_xcalloc(len ? len : 1, sizeof(*marks));
        for (size_t i = 0; i < len; i++) {
            marks[i] = ctx->njunk;
            if (!run_body(ctx, n, a, i, &vals[i])) {
                for (size_t j = 0; j < i; j++)
                    fd_expr_val_release(&vals[j]);
                free(vals);
                free(marks);
                return false;
            }
        }
        if (!fd_expr_mem_grow_at(ctx, n, len)) { /* OpArray */
            for (size_t i = 0; i < len; i++)
                fd_expr_val_release(&vals[i]);
            free(vals);
            free(marks);
            return false;
        }
        if (len > 1 && ctx->njunk > marks[1])
            fd_expr_junk_shuffle(ctx, vals, marks, len);
        *out = fd_expr_arr_new(len);
        for (size_t i = 0; i < len; i++)
            fd_expr_arr_push(*out, vals[i]);
        free(vals);
        free(marks);
        return true;
    }
    case PRED_SUM: /* v1.17: the sum so far is the scope's Acc */
        *out = fd_expr_int(0);
        for (size_t i = 0; i < len; i++) {
            struct fd_expr_scope *s = &ctx->scopes[ctx->nscopes - 1];
            if (!ctx->p->v115) {
                fd_expr_val_release(&s->acc);
                s->acc = fd_expr_val_ref(*out);
            }
            if (n->nargs < 2) {
                if (!item(ctx, n, a, i, &v))
                    return false;
            } else if (!run_body(ctx, n, a, i, &v))
                return false;
            bool ok = add(ctx, n, out, v);
            if (n->nargs >= 2)
                fd_expr_val_release(&v);
            if (!ok)
                return false;
        }
        return true;
    case PRED_FIND:
    case PRED_FINDINDEX:
    case PRED_FINDLAST:
    case PRED_FINDLASTINDEX: {
        bool last = n->op == PRED_FINDLAST || n->op == PRED_FINDLASTINDEX;
        bool index = n->op == PRED_FINDINDEX || n->op == PRED_FINDLASTINDEX;
        for (size_t k = 0; k < len; k++) {
            size_t i = last ? len - 1 - k : k;
            if (last) /* emitLoopBackwards: the loop's condition stays on the stack */
                fd_expr_junk_push(ctx, fd_expr_bool(true));
            if (!body_bool(ctx, n, a, i, &b))
                return false;
            if (b && index) {
                *out = fd_expr_int((int64_t)i);
                return true;
            }
            if (b && n->c) /* a map(filter()) made a find: its match mapped */
                return fd_expr_ev(ctx, n->c, out);
            if (b) {
                if (!item(ctx, n, a, i, out))
                    return false;
                *out = fd_expr_val_ref(*out);
                return true;
            }
        }
        /* expr v1.17.8 compiles these as loops whose result stays nil when
         * nothing matches: findIndex gives nil, not -1 (differential test);
         * filter(...)[0] made a find fails as the index would */
        if (last) /* and the one that ended it */
            fd_expr_junk_push(ctx, fd_expr_bool(false));
        if (n->flags & NF_THROWS) {
            ctx->pos = n->pos;
            return fd_expr_fail(ctx, "reflect: slice index out of range");
        }
        *out = fd_expr_nil();
        return true;
    }
    case PRED_GROUPBY:
        return group_by(ctx, n, a, out);
    case PRED_REDUCE:
        return reduce(ctx, n, a, out);
    default:
        return false;
    }
}

bool fd_expr_ev_pred(struct fd_expr_ctx *ctx, const struct fd_node *n, struct fd_expr_val *out)
{
    struct fd_expr_val t, coll, order = fd_expr_nil();
    bool ok;

    if (!fd_expr_evb(ctx, n->args[0], &t, &coll))
        return false;
    if (ctx->p->v115 && n->op == PRED_SUM && n->nargs != 1) {
        /* unchecked (an unknown callee's argument): v1.15.5's sum Func
         * counts its arguments once they are evaluated */
        ok = true;
        for (uint32_t i = 1; i < n->nargs && ok; i++) {
            struct fd_expr_val v;
            if ((ok = fd_expr_ev(ctx, n->args[i], &v)))
                fd_expr_val_release(&v);
        }
        fd_expr_val_release(&t);
        if (!ok)
            return false;
        ctx->pos = n->pos;
        return fd_expr_fail(ctx, "invalid number of arguments (expected 1, got %u)",
                            (unsigned)n->nargs);
    }
    if (ctx->p->v115 && n->op == PRED_SORTBY) { /* a plain builtin: sortBy(array, field[, order]) */
        struct fd_expr_val field = fd_expr_nil();
        ok = fd_expr_ev(ctx, n->args[1], &field) &&
             (n->nargs < 3 || fd_expr_ev(ctx, n->args[2], &order));
        if (ok) {
            ctx->pos = n->pos;
            ok = fd_expr_bi_sort115(ctx, coll, &field, n->nargs > 2 ? &order : NULL, out);
        }
        fd_expr_val_release(&field);
        fd_expr_val_release(&order);
        fd_expr_val_release(&t);
        return ok;
    }
    if (coll.kind == FD_VAL_STRING && ctx->p->v115 && n->op == PRED_SUM) {
        /* v1.15.5's sum is a plain builtin: a string is no slice */
        fd_expr_val_release(&t);
        ctx->pos = n->pos;
        return fd_expr_fail(ctx, "cannot sum string");
    }
    if (fd_expr_is_semver(coll)) { /* a semver.Version, a struct to reflect's Len */
        fd_expr_val_release(&t);
        ctx->pos = n->pos;
        return fd_expr_fail(ctx, "reflect: call of reflect.Value.Len on struct Value");
    }
    bool of_string = coll.kind == FD_VAL_STRING, of_map = coll.kind == FD_VAL_MAP;
    if (coll.kind == FD_VAL_STRING || coll.kind == FD_VAL_BYTES) {
        /* vm.go walks a string or a []uint8 with reflect's Len and Index:
         * its items are its bytes, uint8s */
        struct fd_expr_val items = fd_expr_arr_new(coll.u.s->len);
        for (size_t i = 0; i < coll.u.s->len; i++)
            fd_expr_arr_push(
                items, fd_expr_tagged_int((unsigned char)coll.u.s->data[i], FD_EXPR_TAG_UINT8));
        fd_expr_val_release(&t);
        t = coll = items;
    }
    if (coll.kind != FD_VAL_ARRAY && ctx->p->v115 && n->op == PRED_SUM) {
        fd_expr_val_release(&t);
        ctx->pos = n->pos;
        return fd_expr_fail(ctx, "cannot sum %s", fd_expr_go_kind(coll));
    }
    bool noelem = false;
    if (coll.kind == FD_VAL_MAP) {
        /* reflect's Len works on a map: the loop runs that many times, and
         * fails where an item is read (pointer nodes, item()) */
        size_t len = coll.u.m->len;
        fd_expr_val_release(&t);
        t = coll = fd_expr_arr_new(len);
        for (size_t i = 0; i < len; i++)
            fd_expr_arr_push(coll, fd_expr_nil());
        noelem = len > 0;
    }
    if (coll.kind != FD_VAL_ARRAY) {
        fd_expr_val_release(&t);
        ctx->pos = n->pos;
        /* vm.go's OpBegin takes reflect.Value.Len, then Index */
        if (coll.kind == FD_VAL_MAP)
            return fd_expr_fail(ctx, "reflect: call of reflect.Value.Index on map Value");
        return fd_expr_fail(ctx, "reflect: call of reflect.Value.Len on %s Value",
                            coll.kind == FD_VAL_NIL ? "zero" : fd_expr_go_kind(coll));
    }
    if (n->op == PRED_SORTBY && n->nargs > 2 && !fd_expr_ev(ctx, n->args[2], &order)) {
        fd_expr_val_release(&t);
        return false;
    }
    struct fd_expr_scope *s = &ctx->scopes[ctx->nscopes++];
    memset(s, 0, sizeof(*s));
    s->noelem = noelem;
    s->of_map = of_map;
    s->of_string = of_string;
    ctx->noelem += noelem;
    if (n->op == PRED_SORTBY)
        ok = sort_by(ctx, n, coll.u.a, order, out);
    else
        ok = loop(ctx, n, coll.u.a, out);
    fd_expr_val_release(&s->acc); /* (what groupBy and sum kept there) */
    ctx->noelem -= noelem;
    ctx->nscopes--;
    fd_expr_val_release(&order);
    fd_expr_val_release(&t);
    return ok;
}

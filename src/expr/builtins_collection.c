/* expr/builtins_collection.c: first, last, get, take, keys, values, toPairs,
 * fromPairs, reverse, uniq, concat, flatten and sort as expr-lang v1.17.8
 * has them (builtin/builtin.go). Maps iterate in key order, where Go's order
 * is random. */
#include "config.h"

#include "builtins.h"

#include <stdlib.h>
#include <string.h>

static bool arrayish(struct fd_expr_type t)
{
    return t.kind == FD_T_ANY || t.kind == FD_T_ARRAY || t.kind == FD_T_BYTES;
}

/* The items of a []byte (bytes) as a new array of its uint8s (reflect's
 * Index of a []uint8); any other value as a new reference to itself. */
static struct fd_expr_val items_of(struct fd_expr_val v)
{
    if (v.kind != FD_VAL_BYTES)
        return fd_expr_val_ref(v);
    struct fd_expr_val r = fd_expr_arr_new(v.u.s->len);
    for (size_t i = 0; i < v.u.s->len; i++)
        fd_expr_arr_push(r, fd_expr_tagged_int((unsigned char)v.u.s->data[i], FD_EXPR_TAG_UINT8));
    return r;
}

static bool mapish(struct fd_expr_type t)
{
    return t.kind == FD_T_ANY || t.kind == FD_T_MAP;
}

/* ---- first, last, get ------------------------------------------------------------- */

static bool first_last_check(struct fd_expr_tctx *tc, const char *which,
                             const struct fd_expr_type *args, size_t nargs,
                             struct fd_expr_type *ret)
{
    if (!fd_expr_bi_check_arity(tc, nargs, 1))
        return false;
    if (args[0].kind == FD_T_ANY) {
        *ret = fd_expr_t(FD_T_ANY);
        return true;
    }
    if (args[0].kind == FD_T_ARRAY) {
        *ret = fd_expr_t_item(args[0]);
        return true;
    }
    if (args[0].kind == FD_T_BYTES) {
        *ret = fd_expr_t_uint8();
        return true;
    }
    return fd_expr_check_fail(tc, -1, "cannot get %s element from %s", which,
                              fd_expr_tname(args[0]));
}

FD_BI_CHECK(fd_expr_bi_first_check)
{
    return first_last_check(tc, "first", args, nargs, ret);
}

FD_BI_CHECK(fd_expr_bi_last_check)
{
    return first_last_check(tc, "last", args, nargs, ret);
}

/* runtime.Fetch with its panics recovered into nil, as first/last/get do. */
static struct fd_expr_val fetch(struct fd_expr_val from, struct fd_expr_val key)
{
    int64_t i, len;

    if (from.kind == FD_VAL_MAP) {
        struct fd_expr_val v;
        if (fd_expr_map_get_any(from.u.m, key, &v))
            return fd_expr_val_ref(v);
        /* the element type's zero; an unhashable key panicked (nil) */
        return fd_expr_unhashable(key) ? fd_expr_nil() : fd_expr_map_zero(from.u.m);
    }
    if (from.kind != FD_VAL_ARRAY && from.kind != FD_VAL_STRING && from.kind != FD_VAL_BYTES)
        return fd_expr_nil();
    if (key.kind == FD_VAL_INT)
        i = key.u.i;
    else if (key.kind == FD_VAL_FLOAT)
        i = fd_expr_bi_float_to_int(key.u.f);
    else
        return fd_expr_nil();
    len = from.kind == FD_VAL_ARRAY ? (int64_t)from.u.a->len : (int64_t)from.u.s->len;
    if (i < 0)
        i += len;
    if (i < 0 || i >= len)
        return fd_expr_nil();
    if (from.kind != FD_VAL_ARRAY) /* a Go string or []byte indexes to a byte */
        return fd_expr_tagged_int((unsigned char)from.u.s->data[i], FD_EXPR_TAG_UINT8);
    return fd_expr_val_ref(fd_expr_arr_get(from.u.a, (size_t)i));
}

FD_BI_CALL(fd_expr_bi_first)
{
    (void)ctx;
    (void)nargs;
    *out = fetch(args[0], fd_expr_int(0));
    return true;
}

FD_BI_CALL(fd_expr_bi_last)
{
    (void)ctx;
    (void)nargs;
    *out = fetch(args[0], fd_expr_int(-1));
    return true;
}

/* checker.go checkBuiltinGet: get() is checked like an index, but answers
 * nil where an index fails at run time. */
FD_BI_CHECK(fd_expr_bi_get_check)
{
    bool v115 = fd_expr_tctx_v115(tc);
    struct fd_expr_val c;

    if (nargs != 2)
        return fd_expr_check_fail(tc, -1, "invalid number of arguments (expected 2, got %zu)",
                                  nargs);
    struct fd_expr_type base = args[0], prop = args[1];
    /* the nil type is "unknown" to v1.17's Nature.String(), "<nil>" to v1.15.5 */
    const char *pname = prop.kind == FD_T_NIL ? (v115 ? "<nil>" : "unknown")
                        : !v115 && prop.kind == FD_T_TIME && prop.elem == FD_T_STRING
                            ? "time.Location" /* v1.17 dereferences it */
                            : fd_expr_tname(prop);
    *ret = fd_expr_t(FD_T_ANY);
    if (!v115)
        ret->elem = FD_T_NIL; /* unknown */
    if (base.kind == FD_T_ANY)
        return true;
    bool any_prop = prop.kind == FD_T_ANY;
    if (v115 && prop.kind == FD_T_NIL &&
        (base.kind == FD_T_ARRAY || base.kind == FD_T_MAP || base.kind == FD_T_BYTES))
        return fd_expr_check_fail(tc, 1, "cannot use nil as %s index",
                                  base.kind == FD_T_MAP ? "map" : "slice");
    switch (base.kind) {
    case FD_T_ARRAY:
    case FD_T_BYTES:
        /* isInteger: v1.15.5 by reflect.Kind (a time.Duration passes) */
        if (prop.kind != FD_T_INT && !any_prop &&
            !(v115 &&
              (prop.kind == FD_T_DURATION || prop.kind == FD_T_MONTH || prop.kind == FD_T_WEEKDAY)))
            return fd_expr_check_fail(tc, 1, "non-integer slice index %s", pname);
        *ret =
            base.kind == FD_T_BYTES ? fd_expr_t_uint8() : fd_expr_t((enum fd_expr_tkind)base.elem);
        return true;
    case FD_T_MAP:
        /* groupBy's and fromPairs' maps take keys of any type */
        if (base.elem != FD_T_ARRAY && base.elem != FD_T_NIL && prop.kind != FD_T_STRING &&
            !any_prop)
            return fd_expr_check_fail(tc, 1, "cannot use %s to get an element from %s", pname,
                                      fd_expr_tname(base));
        *ret = fd_expr_t(base.elem == FD_T_ARRAY ? FD_T_ARRAY : FD_T_ANY);
        return true;
    default:
        (void)c;
        return fd_expr_check_fail(tc, 0, "type %s does not support indexing",
                                  base.kind == FD_T_NIL ? (v115 ? "<nil>" : "unknown")
                                                        : fd_expr_tname(base));
    }
}

/* v1.17's get (builtin/lib.go): runtime.Fetch's rules, but nil where
 * nothing is found; the index of a slice or string goes through ToInt and a
 * map key must fit the map, or it panics as Fetch does. */
static bool get17(struct fd_expr_ctx *ctx, struct fd_expr_val from, struct fd_expr_val key,
                  struct fd_expr_val *out)
{
    *out = fd_expr_nil();
    switch (from.kind) {
    case FD_VAL_ARRAY:
    case FD_VAL_STRING:
    case FD_VAL_BYTES: {
        int64_t i;
        if (key.kind == FD_VAL_INT && !fd_expr_named_int(key))
            i = key.u.i;
        else if (key.kind == FD_VAL_FLOAT)
            i = fd_expr_bi_float_to_int(key.u.f);
        else
            return fd_expr_fail(ctx, "invalid operation: int(%s)", fd_expr_go_type(key));
        int64_t len = from.kind == FD_VAL_ARRAY ? (int64_t)from.u.a->len : (int64_t)from.u.s->len;
        if (i < 0)
            i += len;
        if (i < 0 || i >= len)
            return true;
        if (from.kind == FD_VAL_ARRAY)
            *out = fd_expr_val_ref(fd_expr_arr_get(from.u.a, (size_t)i));
        else /* a byte of the string */
            *out = fd_expr_tagged_int((unsigned char)from.u.s->data[i], FD_EXPR_TAG_UINT8);
        return true;
    }
    case FD_VAL_MAP: {
        struct fd_expr_val v;
        if (from.u.m->anykey) {
            const char *unhashable = fd_expr_unhashable(key);
            if (unhashable) /* Go's map lookup panics */
                return fd_expr_fail(ctx, "%s%s", fd_expr_unhashable_lookup(from.u.m), unhashable);
        } else if (key.kind != FD_VAL_NIL && key.kind != FD_VAL_STRING) {
            return fd_expr_fail(ctx,
                                "reflect.Value.MapIndex: value of type %s is not assignable to "
                                "type string",
                                fd_expr_go_type(key));
        }
        /* a nil key looks up the key type's zero value */
        bool found = key.kind == FD_VAL_NIL && !from.u.m->anykey
                         ? fd_expr_map_get(from.u.m, "", 0, &v)
                         : fd_expr_map_get_any(from.u.m, key, &v);
        if (found)
            *out = fd_expr_val_ref(v);
        return true;
    }
    case FD_VAL_TIME: {
        /* a time.Time or (*)time.Location: structs whose fields are all
         * unexported; reading one panics, any other name is nil */
        if (key.kind != FD_VAL_STRING)
            return fd_expr_fail(ctx, "interface conversion: interface {} is %s, not string",
                                key.kind == FD_VAL_NIL ? "nil" : fd_expr_go_type(key));
        if (fd_expr_time_field(from, key.u.s->data, key.u.s->len))
            return fd_expr_fail(ctx, FD_EXPR_HIDDEN_PANIC);
        return true;
    }
    default:
        return true;
    }
}

FD_BI_CALL(fd_expr_bi_get)
{
    if (nargs < 2 && fd_expr_ctx_v115(ctx)) { /* args[1]'s panic, recovered */
        *out = fd_expr_nil();
        return true;
    }
    if (nargs < 2)
        return fd_expr_fail(ctx, "invalid number of arguments (expected 2, got %zu)", nargs);
    if (!fd_expr_ctx_v115(ctx))
        return get17(ctx, args[0], args[1], out);
    /* v1.15.5: runtime.Fetch with every panic recovered into nil */
    *out = fetch(args[0], args[1]);
    return true;
}

/* ---- take ------------------------------------------------------------------------------ */

FD_BI_CHECK(fd_expr_bi_take_check)
{
    if (!fd_expr_bi_check_arity(tc, nargs, 2))
        return false;
    if (!arrayish(args[0]))
        return fd_expr_check_fail(tc, -1, "cannot take from %s", fd_expr_tname(args[0]));
    /* builtin.go Validate: a signed integer by reflect.Kind (a time.Month, a
     * time.Duration), not a uint8 */
    bool signed_int = (args[1].kind == FD_T_INT && args[1].elem != FD_T_BYTES) ||
                      args[1].kind == FD_T_DURATION || args[1].kind == FD_T_MONTH ||
                      args[1].kind == FD_T_WEEKDAY;
    if (args[1].kind != FD_T_ANY && !signed_int)
        return fd_expr_check_fail(tc, -1, "cannot take %s elements", fd_expr_tname(args[1]));
    *ret = args[0];
    return true;
}

static struct fd_expr_val slice(const struct fd_expr_arr *a, size_t from, size_t to)
{
    struct fd_expr_val r;

    if (a->floats)
        return fd_expr_arr_float_new(a->f + from, to - from);
    r = fd_expr_arr_new(to - from);
    r.u.a->slice = a->slice; /* a Go slice keeps its type */
    for (size_t i = from; i < to; i++)
        fd_expr_arr_push(r, fd_expr_val_ref(a->items[i]));
    return r;
}

FD_BI_CALL(fd_expr_bi_take)
{
    struct fd_expr_val a = args[0], n = args[1];

    if (nargs != 2)
        return fd_expr_fail(ctx, "invalid number of arguments (expected 2, got %zu)", nargs);
    if (a.kind != FD_VAL_ARRAY && a.kind != FD_VAL_BYTES)
        return fd_expr_fail(ctx, "cannot take from %s", fd_expr_go_kind(a));
    /* reflect's CanInt: a signed integer kind */
    if ((n.kind != FD_VAL_INT && n.kind != FD_VAL_DURATION) || n.tag == FD_EXPR_TAG_UINT8)
        return fd_expr_fail(ctx, "cannot take %s elements", fd_expr_go_kind(n));
    if (a.kind == FD_VAL_BYTES) { /* a []byte's first bytes, still a []byte */
        if (n.u.i < 0)
            return fd_expr_fail(ctx, "reflect.Value.Slice: slice index out of bounds");
        *out = fd_expr_bytes_new(a.u.s->data,
                                 n.u.i > (int64_t)a.u.s->len ? a.u.s->len : (size_t)n.u.i);
        return true;
    }
    if (n.u.i > (int64_t)a.u.a->len) {
        *out = fd_expr_val_ref(a);
        return true;
    }
    if (n.u.i < 0)
        return fd_expr_fail(ctx, "reflect.Value.Slice: slice index out of bounds");
    *out = slice(a.u.a, 0, (size_t)n.u.i);
    return true;
}

/* ---- keys, values, toPairs, fromPairs ------------------------------------------------ */

static bool map_check(struct fd_expr_tctx *tc, const char *pre, const char *post,
                      const struct fd_expr_type *args, size_t nargs, struct fd_expr_type *ret)
{
    if (!fd_expr_bi_check_arity(tc, nargs, 1))
        return false;
    if (!mapish(args[0]))
        return fd_expr_check_fail(tc, -1, "%s%s%s", pre, fd_expr_tname(args[0]), post);
    *ret = fd_expr_t(FD_T_ARRAY);
    return true;
}

FD_BI_CHECK(fd_expr_bi_keys_check)
{
    return map_check(tc, "cannot get keys from ", "", args, nargs, ret);
}

FD_BI_CHECK(fd_expr_bi_values_check)
{
    return map_check(tc, "cannot get values from ", "", args, nargs, ret);
}

FD_BI_CHECK(fd_expr_bi_to_pairs_check)
{
    return map_check(tc, "cannot transform ", " to pairs", args, nargs, ret);
}

enum map_part { KEYS, VALUES, PAIRS };

static bool map_parts(struct fd_expr_ctx *ctx, const struct fd_expr_val *args, size_t nargs,
                      enum map_part part, struct fd_expr_val *out)
{
    static const char *const pre[] = {"cannot get keys from ", "cannot get values from ",
                                      "cannot transform "};
    struct fd_expr_val m = args[0], r;

    if (nargs != 1)
        return fd_expr_fail(ctx, "invalid number of arguments (expected 1, got %zu)", nargs);
    if (m.kind != FD_VAL_MAP || m.u.m->gostruct) /* (a Go struct is no map) */
        return fd_expr_fail(ctx, "%s%s%s", pre[part], fd_expr_go_kind(m),
                            part == PAIRS ? " to pairs" : "");
    r = fd_expr_arr_new(m.u.m->len);
    for (size_t i = 0; i < m.u.m->len; i++) {
        const struct fd_expr_map_entry *e = &m.u.m->e[i];
        struct fd_expr_val key = fd_expr_map_key(m.u.m, i);

        if (part == KEYS) {
            fd_expr_arr_push(r, key);
        } else if (part == VALUES) {
            fd_expr_val_release(&key);
            fd_expr_arr_push(r, fd_expr_val_ref(e->val));
        } else {
            struct fd_expr_val pair = fd_expr_arr_new(2);
            pair.u.a->slice = FD_EXPR_SLICE_PAIR; /* builtin.go: [2]any{key, value} */
            fd_expr_arr_push(pair, key);
            fd_expr_arr_push(pair, fd_expr_val_ref(e->val));
            fd_expr_arr_push(r, pair);
        }
    }
    if (part == PAIRS)
        r.u.a->slice = FD_EXPR_SLICE_PAIRS; /* make([][2]any, len(keys)) */
    *out = r;
    return true;
}

FD_BI_CALL(fd_expr_bi_keys)
{
    return map_parts(ctx, args, nargs, KEYS, out);
}

FD_BI_CALL(fd_expr_bi_values)
{
    return map_parts(ctx, args, nargs, VALUES, out);
}

FD_BI_CALL(fd_expr_bi_to_pairs)
{
    return map_parts(ctx, args, nargs, PAIRS, out);
}

FD_BI_CHECK(fd_expr_bi_from_pairs_check)
{
    if (!fd_expr_bi_check_arity(tc, nargs, 1))
        return false;
    if (!arrayish(args[0]))
        return fd_expr_check_fail(tc, -1, "cannot transform %s from pairs", fd_expr_tname(args[0]));
    *ret = fd_expr_t(FD_T_MAP);
    ret->elem = FD_T_NIL; /* map[interface {}]interface {} */
    return true;
}

static char *fmt_v(struct fd_expr_val v)
{
    struct fd_buf b = FD_BUF_INIT;

    fd_expr_format(&b, v);
    return fd_buf_steal(&b);
}

/* builtin.go: reflect.MakeMap(map[any]any) and SetMapIndex of each pair, in
 * both versions: keys of any hashable type, a later pair replacing an
 * earlier one's value. */
FD_BI_CALL(fd_expr_bi_from_pairs)
{
    struct fd_expr_val a = args[0], m;

    if (nargs != 1)
        return fd_expr_fail(ctx, "invalid number of arguments (expected 1, got %zu)", nargs);
    if (a.kind == FD_VAL_BYTES && a.u.s->len > 0) /* a slice: its first item is no pair */
        return fd_expr_fail(ctx, "invalid pair %u", (unsigned)(unsigned char)a.u.s->data[0]);
    if (a.kind == FD_VAL_BYTES) {
        *out = fd_expr_map_new(0);
        out->u.m->anykey = out->u.m->anyvals = true;
        return true;
    }
    if (a.kind != FD_VAL_ARRAY) {
        /* fmt's %s of a reflect.Value: the value's own %s; a nil is the
         * invalid Value */
        if (a.kind == FD_VAL_NIL)
            return fd_expr_fail(ctx, "cannot transform <invalid reflect.Value> from pairs");
        struct fd_buf b = FD_BUF_INIT;
        fd_expr_format_s(&b, a);
        bool r = fd_expr_fail(ctx, "cannot transform %s from pairs", b.data ? b.data : "");
        fd_buf_free(&b);
        return r;
    }
    m = fd_expr_map_new(a.u.a->len);
    m.u.m->anykey = true;
    m.u.m->anyvals = true;
    for (size_t i = 0; i < a.u.a->len; i++) {
        /* (deref.Value: a *time.Location prints as the struct it points at) */
        struct fd_expr_val pair = fd_expr_deref(fd_expr_arr_get(a.u.a, i)), key;
        char *s;
        bool slice = pair.kind == FD_VAL_ARRAY || pair.kind == FD_VAL_BYTES;
        size_t plen = pair.kind == FD_VAL_ARRAY   ? pair.u.a->len
                      : pair.kind == FD_VAL_BYTES ? pair.u.s->len
                                                  : 0;

        if (!slice || plen != 2) {
            s = fmt_v(pair);
            fd_expr_fail(ctx, "invalid pair %s%s", !slice ? "" : "length ", s);
            free(s);
            fd_expr_val_release(&m);
            return false;
        }
        if (pair.kind == FD_VAL_BYTES) { /* a []uint8 is a pair of uint8s */
            fd_expr_map_set_any(
                m, fd_expr_tagged_int((unsigned char)pair.u.s->data[0], FD_EXPR_TAG_UINT8),
                fd_expr_tagged_int((unsigned char)pair.u.s->data[1], FD_EXPR_TAG_UINT8));
            continue;
        }
        key = fd_expr_arr_get(pair.u.a, 0);
        const char *unhashable = fd_expr_unhashable(key);
        if (unhashable) { /* SetMapIndex: the runtime's map assignment panics */
            fd_expr_val_release(&m);
            return fd_expr_fail(ctx, "runtime error: hash of unhashable type %s", unhashable);
        }
        fd_expr_map_set_any(m, key, fd_expr_val_ref(fd_expr_arr_get(pair.u.a, 1)));
    }
    *out = m;
    return true;
}

/* ---- reverse, uniq, concat, flatten ---------------------------------------------------- */

static bool array_check(struct fd_expr_tctx *tc, const char *pre, const char *post,
                        const struct fd_expr_type *args, size_t nargs, struct fd_expr_type *ret)
{
    if (!fd_expr_bi_check_arity(tc, nargs, 1))
        return false;
    if (!arrayish(args[0]))
        return fd_expr_check_fail(tc, -1, "%s%s%s", pre, fd_expr_tname(args[0]), post);
    *ret = fd_expr_t(FD_T_ARRAY);
    return true;
}

FD_BI_CHECK(fd_expr_bi_reverse_check)
{
    return array_check(tc, "cannot reverse ", "", args, nargs, ret);
}

FD_BI_CHECK(fd_expr_bi_uniq_check)
{
    return array_check(tc, "cannot uniq ", "", args, nargs, ret);
}

FD_BI_CHECK(fd_expr_bi_flatten_check)
{
    return array_check(tc, "cannot flatten ", "", args, nargs, ret);
}

FD_BI_CHECK(fd_expr_bi_concat_check)
{
    if (nargs == 0)
        return fd_expr_check_fail(tc, -1,
                                  "invalid number of arguments (expected at least 1, got 0)");
    for (size_t i = 0; i < nargs; i++)
        if (!arrayish(args[i]))
            return fd_expr_check_fail(tc, -1, "cannot concat %s", fd_expr_tname(args[i]));
    *ret = fd_expr_t(FD_T_ARRAY);
    return true;
}

/* Checks the one array argument; *items (owned, released by the caller) is
 * it, or a []byte's items as numbers. */
static bool one_array(struct fd_expr_ctx *ctx, const char *pre, const struct fd_expr_val *args,
                      size_t nargs, struct fd_expr_val *items)
{
    if (nargs != 1)
        return fd_expr_fail(ctx, "invalid number of arguments (expected 1, got %zu)", nargs);
    if (args[0].kind != FD_VAL_ARRAY && args[0].kind != FD_VAL_BYTES)
        return fd_expr_fail(ctx, "%s%s", pre, fd_expr_go_kind(args[0]));
    *items = items_of(args[0]);
    return true;
}

FD_BI_CALL(fd_expr_bi_reverse)
{
    const struct fd_expr_arr *a;
    struct fd_expr_val r;

    struct fd_expr_val items;
    if (!one_array(ctx, "cannot reverse ", args, nargs, &items))
        return false;
    a = items.u.a;
    if (!fd_expr_mem_grow(ctx, a->len)) { /* a Safe builtin (vm.go OpCallSafe) */
        fd_expr_val_release(&items);
        return false;
    }
    r = fd_expr_arr_new(a->len);
    for (size_t i = a->len; i-- > 0;)
        fd_expr_arr_push(r, fd_expr_val_ref(fd_expr_arr_get(a, i)));
    fd_expr_val_release(&items);
    *out = r;
    return true;
}

FD_BI_CALL(fd_expr_bi_uniq)
{
    const struct fd_expr_arr *a;
    struct fd_expr_val r;

    struct fd_expr_val items;
    if (!one_array(ctx, "cannot uniq ", args, nargs, &items))
        return false;
    a = items.u.a;
    r = fd_expr_arr_new(0);
    for (size_t i = 0; i < a->len; i++) {
        struct fd_expr_val v = fd_expr_arr_get(a, i);
        bool seen = false;

        for (size_t j = 0; j < r.u.a->len && !seen; j++)
            seen = fd_expr_equal(r.u.a->items[j], v); /* 1 == 1.0 here */
        if (!seen)
            fd_expr_arr_push(r, fd_expr_val_ref(v));
    }
    fd_expr_val_release(&items);
    *out = r;
    return true;
}

FD_BI_CALL(fd_expr_bi_concat)
{
    struct fd_expr_val r;
    size_t total = 0;

    if (nargs == 0)
        return fd_expr_fail(ctx, "invalid number of arguments (expected at least 1, got 0)");
    for (size_t i = 0; i < nargs; i++) {
        if (args[i].kind != FD_VAL_ARRAY && args[i].kind != FD_VAL_BYTES)
            return fd_expr_fail(ctx, "cannot concat %s", fd_expr_go_kind(args[i]));
        total += args[i].kind == FD_VAL_ARRAY ? args[i].u.a->len : args[i].u.s->len;
    }
    if (total > FD_EXPR_MAX_ARRAY)
        return fd_expr_fail(ctx, "memory budget exceeded");
    if (!fd_expr_mem_grow(ctx, total)) /* a Safe builtin (vm.go OpCallSafe) */
        return false;
    r = fd_expr_arr_new(total);
    r.u.a->isnil = total == 0; /* builtin.go appends to a nil []any */
    for (size_t i = 0; i < nargs; i++) {
        struct fd_expr_val items = items_of(args[i]);
        for (size_t j = 0; j < items.u.a->len; j++)
            fd_expr_arr_push(r, fd_expr_val_ref(fd_expr_arr_get(items.u.a, j)));
        fd_expr_val_release(&items);
    }
    *out = r;
    return true;
}

static bool flatten_into(struct fd_expr_ctx *ctx, struct fd_expr_val r, const struct fd_expr_arr *a)
{
    for (size_t i = 0; i < a->len; i++) {
        struct fd_expr_val v = fd_expr_arr_get(a, i);

        if (v.kind == FD_VAL_ARRAY || v.kind == FD_VAL_BYTES) { /* a []uint8 is a slice */
            struct fd_expr_val items = items_of(v);
            bool ok = flatten_into(ctx, r, items.u.a);
            fd_expr_val_release(&items);
            if (!ok)
                return false;
            continue;
        }
        if (r.u.a->len >= FD_EXPR_MAX_ARRAY)
            return fd_expr_fail(ctx, "memory budget exceeded");
        fd_expr_arr_push(r, fd_expr_val_ref(v));
    }
    return true;
}

FD_BI_CALL(fd_expr_bi_flatten)
{
    struct fd_expr_val r;

    struct fd_expr_val items;
    if (!one_array(ctx, "cannot flatten ", args, nargs, &items))
        return false;
    r = fd_expr_arr_new(items.u.a->len);
    bool ok = flatten_into(ctx, r, items.u.a) && fd_expr_mem_grow(ctx, r.u.a->len); /* Safe */
    fd_expr_val_release(&items);
    if (!ok) {
        fd_expr_val_release(&r);
        return false;
    }
    *out = r;
    return true;
}

/* ---- sort ---------------------------------------------------------------------------- */

#define ARR                  \
    {                        \
        FD_T_ARRAY, FD_T_ANY \
    }
static const struct fd_expr_bi_sig sig_sort[] = {
    {2, {FD_P_ARR_ANY, FD_P_STRING}, ARR},
    {2, {FD_P_ARR_INT, FD_P_STRING}, ARR},
    {2, {FD_P_ARR_FLOAT, FD_P_STRING}, ARR},
    {2, {FD_P_ARR_STRING, FD_P_STRING}, ARR},
    {1, {FD_P_ARR_ANY}, ARR},
    {1, {FD_P_ARR_FLOAT}, ARR},
    {1, {FD_P_ARR_STRING}, ARR},
    {1, {FD_P_ARR_INT}, ARR},
};

/* reflect.Type's String() as v1.15.5's Validate functions print it */
static const char *sort115_tname(struct fd_expr_type t)
{
    return t.kind == FD_T_ANY ? "interface {}" : fd_expr_tname(t);
}

FD_BI_CHECK(fd_expr_bi_sort_check)
{
    if (fd_expr_tctx_v115(tc)) { /* builtin.go v1.15.5: a Validate function */
        if (nargs != 1 && nargs != 2)
            return fd_expr_check_fail(
                tc, -1, "invalid number of arguments (expected 1 or 2, got %zu)", nargs);
        enum fd_expr_tkind k = args[0].kind;
        if (k != FD_T_ANY && k != FD_T_ARRAY && k != FD_T_BYTES)
            return fd_expr_check_fail(tc, -1, "cannot sort %s", sort115_tname(args[0]));
        if (nargs == 2 && args[1].kind != FD_T_ANY && args[1].kind != FD_T_STRING)
            return fd_expr_check_fail(tc, -1, "invalid argument for sort (expected string, got %s)",
                                      sort115_tname(args[1]));
        *ret = (struct fd_expr_type)ARR;
        return true;
    }
    return fd_expr_bi_check_sigs(tc, "sort", sig_sort, FD_ARRAY_SIZE(sig_sort), args, nargs, ret);
}

/* reflect's Type of an item of a []interface {} after deref */
static const char *type115(struct fd_expr_val v)
{
    return v.kind == FD_VAL_NIL ? "interface {}" : fd_expr_go_type(v);
}

/* sort.go Sortable.Less: ints, floats and strings only */
static bool less115(struct fd_expr_ctx *ctx, struct fd_expr_val a, struct fd_expr_val b, bool desc,
                    bool *out)
{
    switch (a.kind) {
    case FD_VAL_INT:
        if (fd_expr_unsigned(a))
            break; /* reflect's Uint kinds, which Less does not know */
        /* fall through */
    case FD_VAL_DURATION:
        *out = desc ? a.u.i > b.u.i : a.u.i < b.u.i;
        return true;
    case FD_VAL_FLOAT:
        *out = desc ? a.u.f > b.u.f : a.u.f < b.u.f;
        return true;
    case FD_VAL_STRING: {
        size_t n = a.u.s->len < b.u.s->len ? a.u.s->len : b.u.s->len;
        int c = memcmp(a.u.s->data, b.u.s->data, n);
        if (c == 0)
            c = a.u.s->len < b.u.s->len ? -1 : a.u.s->len > b.u.s->len;
        *out = desc ? c > 0 : c < 0;
        return true;
    }
    default:
        break;
    }
    return fd_expr_fail(ctx, "sort: unsupported type %s",
                        a.kind == FD_VAL_NIL ? "interface" : fd_expr_go_kind(a));
}

struct sort115 {
    struct fd_expr_ctx *ctx;
    struct fd_expr_val *keys, *items;
    bool desc, bytes;
    bool failed; /* Less panicked: the sort is over */
};

static bool sort115_less(void *ud, size_t i, size_t j)
{
    struct sort115 *s = ud;
    bool less = false;

    if (s->failed)
        return false;
    if (s->bytes) /* a []uint8's items are uint8s, of no kind Less knows */
        s->failed = !fd_expr_fail(s->ctx, "sort: unsupported type uint8");
    else
        s->failed = !less115(s->ctx, s->keys[i], s->keys[j], s->desc, &less);
    return less;
}

static void sort115_swap(void *ud, size_t i, size_t j)
{
    struct sort115 *s = ud;
    struct fd_expr_val t = s->items[i];

    s->items[i] = s->items[j];
    s->items[j] = t;
    t = s->keys[i];
    s->keys[i] = s->keys[j];
    s->keys[j] = t;
}

bool fd_expr_bi_sort115(struct fd_expr_ctx *ctx, struct fd_expr_val a,
                        const struct fd_expr_val *field, const struct fd_expr_val *order,
                        struct fd_expr_val *out)
{
    bool desc = false, bytes = a.kind == FD_VAL_BYTES;

    if (a.kind != FD_VAL_ARRAY && !bytes)
        return fd_expr_fail(ctx, "cannot sort %s", fd_expr_go_kind(a));
    if (field && field->kind != FD_VAL_STRING)
        return fd_expr_fail(ctx, "invalid argument for sort (expected string, got %s)",
                            fd_expr_go_type(*field));
    if (order) { /* ascOrDesc */
        if (order->kind != FD_VAL_STRING)
            return fd_expr_fail(ctx, "invalid argument for sort (expected string, got %s)",
                                fd_expr_go_type(*order));
        if (strcmp(order->u.s->data, "desc") == 0) {
            desc = true;
        } else if (strcmp(order->u.s->data, "asc") != 0) {
            struct fd_buf q = FD_BUF_INIT;
            fd_expr_bi_go_quote(&q, order->u.s->data, order->u.s->len);
            fd_expr_fail(ctx, "invalid argument for sort (expected \"asc\" or \"desc\", got %s)",
                         fd_buf_cstr(&q));
            fd_buf_free(&q);
            return false;
        }
    }
    size_t n = bytes ? a.u.s->len : a.u.a->len;
    struct fd_expr_val *items = fd_xcalloc(n ? n : 1, sizeof(*items));
    struct fd_expr_val *keys = fd_xcalloc(n ? n : 1, sizeof(*keys));
    bool ok = true;
    /* copyArray: each item, and the value it is sorted by (a map's field,
     * else the item itself), all of one Go type */
    for (size_t i = 0; i < n && ok; i++) {
        items[i] = bytes ? fd_expr_int((unsigned char)a.u.s->data[i]) : fd_expr_arr_get(a.u.a, i);
        keys[i] = items[i];
        /* a missing field is an invalid reflect.Value, which deref refuses;
         * a nil item or field stays an interface {} holding nil */
        /* (sort without a field looks for the field "") */
        if (items[i].kind == FD_VAL_MAP) {
            bool found = field ? fd_expr_map_get_any(items[i].u.m, *field, &keys[i])
                               : fd_expr_map_get(items[i].u.m, "", 0, &keys[i]);
            if (!found)
                ok = fd_expr_fail(ctx, "cannot deref <invalid reflect.Value>");
        } else if (items[i].kind == FD_VAL_TIME) { /* no exported field */
            ok = fd_expr_fail(ctx, "cannot deref <invalid reflect.Value>");
        }
        if (ok && i > 0 && !bytes && strcmp(type115(keys[i]), type115(keys[0])) != 0)
            ok = fd_expr_fail(ctx, "cannot sort array of different types (%s and %s)",
                              type115(keys[i]), type115(keys[0]));
    }
    if (ok) { /* sort.Sort(Sortable) */
        struct sort115 s = {ctx, keys, items, desc, bytes, false};
        struct fd_go_sorter sorter = {sort115_less, sort115_swap, &s};
        fd_go_sort(&sorter, n);
        ok = !s.failed;
    }
    if (ok) {
        *out = fd_expr_arr_new(n);
        for (size_t i = 0; i < n; i++)
            fd_expr_arr_push(*out, fd_expr_val_ref(items[i]));
    }
    free(items);
    free(keys);
    return ok;
}

FD_BI_CALL(fd_expr_bi_sort)
{
    struct fd_expr_val a = args[0], r;
    struct fd_expr_val *items;
    bool desc = false;
    size_t n;

    if (nargs != 1 && nargs != 2)
        return fd_expr_fail(ctx, "invalid number of arguments (expected 1 or 2, got %zu)", nargs);
    if (fd_expr_ctx_v115(ctx))
        return fd_expr_bi_sort115(ctx, a, NULL, nargs == 2 ? &args[1] : NULL, out);
    if (nargs == 2) {
        const char *order;
        if (args[1].kind != FD_VAL_STRING) /* builtin.go sort: %T of the order */
            return fd_expr_fail(ctx, "sort order argument must be a string (got %s)",
                                fd_expr_go_type(args[1]));
        order = args[1].u.s->data;
        if (strcmp(order, "desc") == 0)
            desc = true;
        else if (strcmp(order, "asc") != 0)
            return fd_expr_fail(ctx, "invalid order %s, expected asc or desc", order);
    }
    /* builtin.go copies a []any, []int, []float64 or []string; of anything
     * else it sorts a nil []interface {} and returns it */
    if (a.kind != FD_VAL_ARRAY || a.u.a->slice == FD_EXPR_SLICE_PAIRS ||
        a.u.a->slice == FD_EXPR_SLICE_PAIR) {
        *out = fd_expr_arr_new(0);
        out->u.a->isnil = true;
        return true;
    }
    n = a.u.a->len;
    items = fd_xcalloc(n ? n : 1, sizeof(*items));
    for (size_t i = 0; i < n; i++)
        items[i] = fd_expr_arr_get(a.u.a, i);
    /* runtime.Sort: sort.Sort by runtime.Less */
    if (!fd_expr_go_sort(ctx, items, NULL, n, desc) || !fd_expr_mem_grow(ctx, n)) { /* (Safe) */
        free(items);
        return false;
    }
    r = fd_expr_arr_new(n);
    for (size_t i = 0; i < n; i++)
        fd_expr_arr_push(r, fd_expr_val_ref(items[i]));
    free(items);
    *out = r;
    return true;
}

/* expr/types.c: equality, ordering and type names as expr-lang and Go see
 * them. */
#include "config.h"

#include "internal.h" /* and freightdeck/util.h: FD_ARRAY_SIZE */

#include <math.h>
#include <string.h>

static bool arr_equal(const struct fd_expr_arr *a, const struct fd_expr_arr *b, bool deep)
{
    if (a->len != b->len)
        return false;
    for (size_t i = 0; i < a->len; i++) {
        struct fd_expr_val x = fd_expr_arr_get(a, i), y = fd_expr_arr_get(b, i);
        if (!(deep ? fd_expr_deep_equal(x, y) : fd_expr_equal(x, y)))
            return false;
    }
    return true;
}

static bool same_slice_type(const struct fd_expr_arr *a, const struct fd_expr_arr *b)
{
    return a->floats == b->floats && a->slice == b->slice;
}

/* toPairs' [][2]interface {}, or one of its [2]interface {} items. */
static bool arr_pairs(const struct fd_expr_arr *a)
{
    return a->slice == FD_EXPR_SLICE_PAIRS || a->slice == FD_EXPR_SLICE_PAIR;
}

/* A Go slice of a named item type ([]float64, []int, []string), not a
 * []interface {}. */
static bool arr_typed(const struct fd_expr_arr *a)
{
    return a->floats || a->slice != FD_EXPR_SLICE_ANY;
}

static bool bytes_equal_items(const struct fd_expr_str *s, const struct fd_expr_arr *a)
{
    if (s->len != a->len)
        return false;
    for (size_t i = 0; i < s->len; i++)
        if (!fd_expr_equal(fd_expr_tagged_int((unsigned char)s->data[i], FD_EXPR_TAG_UINT8),
                           fd_expr_arr_get(a, i)))
            return false;
    return true;
}

static bool map_deep_equal(const struct fd_expr_map *a, const struct fd_expr_map *b)
{
    if (a->len != b->len || a->anykey != b->anykey || a->anyvals != b->anyvals ||
        a->gostruct != b->gostruct || a->ptr != b->ptr || (a->gostruct && a->isnil != b->isnil))
        return false;
    for (size_t i = 0; i < a->len; i++) {
        const struct fd_expr_str *ka = a->e[i].key, *kb = b->e[i].key;
        if (ka->len != kb->len || memcmp(ka->data, kb->data, ka->len) != 0)
            return false;
        if (!fd_expr_deep_equal(a->e[i].val, b->e[i].val))
            return false;
    }
    return true;
}

static bool str_equal(const struct fd_expr_str *a, const struct fd_expr_str *b)
{
    return a->len == b->len && memcmp(a->data, b->data, a->len) == 0;
}

static bool time_equal(const struct fd_expr_time *a, const struct fd_expr_time *b)
{
    /* two *time.Locations: reflect.DeepEqual of what they point at (v1.17
     * compares the dereferenced structs): one zone's data, or one fixed
     * offset */
    if (a->nsec == -1 || b->nsec == -1)
        return a->nsec == b->nsec && a->fixed == b->fixed && strcmp(a->loc, b->loc) == 0 &&
               (!a->fixed || a->offset == b->offset);
    return a->sec == b->sec && a->nsec == b->nsec;
}

bool fd_expr_equal(struct fd_expr_val a, struct fd_expr_val b)
{
    if (fd_expr_is_go_nil(a) && fd_expr_is_go_nil(b)) /* runtime.Equal: IsNil both */
        return true;
    /* a time.Month equals only a time.Month (runtime.Equal, then reflect) */
    if (fd_expr_named_int(a) || fd_expr_named_int(b))
        return a.kind == b.kind && a.tag == b.tag && a.u.i == b.u.i;
    if (fd_expr_is_number(a) && fd_expr_is_number(b)) {
        if (a.kind == FD_VAL_INT && b.kind == FD_VAL_INT)
            return a.u.i == b.u.i;
        return fd_expr_num(a) == fd_expr_num(b);
    }
    if (a.kind != b.kind) {
        /* the generated Equal compares a []interface {} with a []uint8 item
         * by item: [97, 98] == b'ab' */
        if (a.kind == FD_VAL_BYTES && b.kind == FD_VAL_ARRAY && !arr_typed(b.u.a))
            return bytes_equal_items(a.u.s, b.u.a);
        if (b.kind == FD_VAL_BYTES && a.kind == FD_VAL_ARRAY && !arr_typed(a.u.a))
            return bytes_equal_items(b.u.s, a.u.a);
        return false;
    }
    switch (a.kind) {
    case FD_VAL_NIL:
        return true;
    case FD_VAL_BOOL:
        return a.u.b == b.u.b;
    case FD_VAL_DURATION:
        return a.u.i == b.u.i;
    case FD_VAL_STRING: /* a FreightOriginKind or *semver.Version is of another Go type:
                           reflect.DeepEqual */
        return a.tag == b.tag && str_equal(a.u.s, b.u.s);
    case FD_VAL_BYTES: /* reflect.DeepEqual of two []uint8 */
        return str_equal(a.u.s, b.u.s);
    case FD_VAL_ARRAY:
        /* the generated Equal has a case for []interface {} against any
         * slice, and for two slices of one type; two typed slices of
         * different types ([]float64 and []int) fall to reflect.DeepEqual,
         * which is false: Argo's result == 1..3 is false */
        if (arr_typed(a.u.a) && arr_typed(b.u.a) && !same_slice_type(a.u.a, b.u.a))
            return false;
        /* it has no case for toPairs' [][2]interface {} or its [2]interface
         * {} items: reflect.DeepEqual, types first */
        if (arr_pairs(a.u.a) || arr_pairs(b.u.a))
            return fd_expr_deep_equal(a, b);
        return arr_equal(a.u.a, b.u.a, false);
    case FD_VAL_MAP: /* a dereferenced struct pointer is of another type */
        if (fd_expr_is_struct_ptr(a) != fd_expr_is_struct_ptr(b))
            return false;
        return a.u.m == b.u.m || map_deep_equal(a.u.m, b.u.m);
    case FD_VAL_TIME: /* reflect.DeepEqual: a dereferenced *time.Location is
                       * a struct, of another type than the pointer */
        return (a.tag == FD_EXPR_TAG_LOCVAL) == (b.tag == FD_EXPR_TAG_LOCVAL) &&
               time_equal(a.u.t, b.u.t);
    case FD_VAL_FUNC:
        return false; /* Go funcs are only equal to nil */
    default:
        return false;
    }
}

bool fd_expr_deep_equal(struct fd_expr_val a, struct fd_expr_val b)
{
    if (a.kind != b.kind)
        return false;
    switch (a.kind) {
    case FD_VAL_INT: /* int and int64 are different Go types */
        return a.tag == b.tag && a.u.i == b.u.i;
    case FD_VAL_DURATION:
        return a.u.i == b.u.i;
    case FD_VAL_FLOAT:
        return a.u.f == b.u.f;
    case FD_VAL_ARRAY:
        /* []float64, []int and []interface {} are different Go types. */
        if (!same_slice_type(a.u.a, b.u.a))
            return false;
        /* reflect.DeepEqual: a slice is equal to itself before any item is
         * compared, so [NaN] == [NaN] when it is the same slice */
        if (a.u.a == b.u.a)
            return true;
        return arr_equal(a.u.a, b.u.a, true);
    case FD_VAL_MAP:
        if (fd_expr_is_struct_ptr(a) != fd_expr_is_struct_ptr(b))
            return false;
        return a.u.m == b.u.m || map_deep_equal(a.u.m, b.u.m);
    default:
        return fd_expr_equal(a, b);
    }
}

/* ---- Go structs: Kargo's, and expr's runtime.SortBy ---------------------------- */

#define FD_EXPR_GOFIELD(go, json, omit, kind) {go, json, omit, (uint8_t)(kind)},
/* (each list ends with a NULL row, so that a struct may have none) */
#define FD_EXPR_GOSTRUCT_FIELDS(id, name, path, stringer, fields) \
    static const struct fd_expr_gofield fields_##id[] = {fields{NULL, NULL, false, 0}};
FD_EXPR_GOSTRUCTS(FD_EXPR_GOSTRUCT_FIELDS, FD_EXPR_GOFIELD)
#undef FD_EXPR_GOSTRUCT_FIELDS

static const struct {
    const char *name, *ptr_name, *path;
    bool stringer;
    const struct fd_expr_gofield *fields;
    size_t n;
} gostructs[] = {
#define FD_EXPR_GOSTRUCT_ROW(id, name, path, stringer, fields) \
    [FD_EXPR_GOSTRUCT_##                                       \
        id] = {name, "*" name, path, stringer, fields_##id, FD_ARRAY_SIZE(fields_##id) - 1},
    FD_EXPR_GOSTRUCTS(FD_EXPR_GOSTRUCT_ROW, FD_EXPR_GOFIELD)
#undef FD_EXPR_GOSTRUCT_ROW
};
#undef FD_EXPR_GOFIELD

const struct fd_expr_gofield *fd_expr_gostruct_fields(unsigned id, const char **name, size_t *n)
{
    if (id == FD_EXPR_GOSTRUCT_NONE || id >= FD_ARRAY_SIZE(gostructs))
        return NULL;
    *name = gostructs[id].name;
    *n = gostructs[id].n;
    return gostructs[id].fields;
}

bool fd_expr_gostruct_stringer(unsigned id)
{
    return id != FD_EXPR_GOSTRUCT_NONE && id < FD_ARRAY_SIZE(gostructs) && gostructs[id].stringer;
}

const struct fd_expr_gofield *fd_expr_gostruct_field(unsigned id, const char *go, size_t len)
{
    const char *name;
    size_t n = 0;
    const struct fd_expr_gofield *f = fd_expr_gostruct_fields(id, &name, &n);

    for (size_t i = 0; i < n; i++)
        if (strlen(f[i].go) == len && memcmp(f[i].go, go, len) == 0)
            return &f[i];
    return NULL;
}

struct fd_expr_val fd_expr_gostruct_new(unsigned id, bool ptr, bool isnil)
{
    const char *name;
    size_t n = 0;
    const struct fd_expr_gofield *f = fd_expr_gostruct_fields(id, &name, &n);
    struct fd_expr_val v = fd_expr_map_new(isnil ? 0 : n);

    v.u.m->gostruct = (uint8_t)id;
    v.u.m->ptr = ptr || isnil;
    v.u.m->isnil = isnil;
    for (size_t i = 0; !isnil && i < n; i++) {
        struct fd_expr_val zero;
        if (f[i].kind == FD_T_MAP) {
            zero = fd_expr_map_new(0);
            zero.u.m->isnil = true;
        } else if (f[i].kind == FD_T_BOOL) {
            zero = fd_expr_bool(false);
        } else if (f[i].kind == FD_T_ARRAY) { /* (SortBy's: make([]any, 0, n)) */
            zero = fd_expr_arr_new(0);
        } else {
            zero = fd_expr_str_new("", 0);
            if (f[i].kind == FD_T_NAMED)
                zero.tag = FD_EXPR_TAG_ORIGIN_KIND;
        }
        fd_expr_map_set(v, f[i].go, strlen(f[i].go), zero);
    }
    return v;
}

/* Struct id's Go type, "v1alpha1.Image", or "*v1alpha1.Image" for a
 * pointer to it; NULL for no struct. */
static const char *gostruct_name(unsigned id, bool ptr)
{
    if (id == FD_EXPR_GOSTRUCT_NONE || id >= FD_ARRAY_SIZE(gostructs))
        return NULL;
    return ptr ? gostructs[id].ptr_name : gostructs[id].name;
}

/* The struct's type with its package path, as builtin Type names it. */
static const char *gostruct_path(unsigned id)
{
    return gostructs[id].path;
}

const char *fd_expr_type_name(struct fd_expr_val v)
{
    switch (v.kind) {
    case FD_VAL_NIL:
        return "nil";
    case FD_VAL_BOOL:
        return "bool";
    case FD_VAL_INT:
        return v.tag == FD_EXPR_TAG_MONTH     ? "time.Month"
               : v.tag == FD_EXPR_TAG_WEEKDAY ? "time.Weekday"
               : v.tag == FD_EXPR_TAG_UINT8 || v.tag == FD_EXPR_TAG_UINT64
                   ? "uint" /* builtin Type: by kind */
                   : "int";
    case FD_VAL_FLOAT:
        return "float";
    case FD_VAL_STRING: /* a *semver.Version is dereferenced for a builtin */
        return fd_expr_is_semver(v)               ? "github.com/Masterminds/semver/v3.Version"
               : v.tag == FD_EXPR_TAG_ORIGIN_KIND ? "github.com/akuity/kargo/api/"
                                                    "v1alpha1.FreightOriginKind"
                                                  : "string";
    case FD_VAL_ARRAY:
    case FD_VAL_BYTES:
        return "array";
    case FD_VAL_MAP:
        /* builtin Type: a named type by its package path; a pointer is of
         * no kind it lists */
        if (fd_expr_is_struct_nil(v))
            return "nil";
        if (v.u.m->gostruct)
            return fd_expr_is_struct_ptr(v) ? "unknown" : gostruct_path(v.u.m->gostruct);
        return "map";
    case FD_VAL_DURATION:
        return "time.Duration";
    case FD_VAL_TIME:
        return "time.Time";
    case FD_VAL_FUNC:
        return "func";
    default:
        return "unknown";
    }
}

const char *fd_expr_go_kind(struct fd_expr_val v)
{
    switch (v.kind) {
    case FD_VAL_NIL:
        return "invalid";
    case FD_VAL_BOOL:
        return "bool";
    case FD_VAL_INT: /* reflect.Kind: a time.Month is an int, Argo's asInt an int64 */
        return v.tag == FD_EXPR_TAG_INT64    ? "int64"
               : v.tag == FD_EXPR_TAG_UINT8  ? "uint8"
               : v.tag == FD_EXPR_TAG_UINT64 ? "uint64"
                                             : "int";
    case FD_VAL_FLOAT:
        return "float64";
    case FD_VAL_STRING:
        return v.tag == FD_EXPR_TAG_SEMVER       ? "ptr"
               : v.tag == FD_EXPR_TAG_SEMVER_VAL ? "struct"
                                                 : "string";
    case FD_VAL_ARRAY:
        return v.u.a->slice == FD_EXPR_SLICE_PAIR ? "array" : "slice";
    case FD_VAL_BYTES:
        return "slice";
    case FD_VAL_MAP:
        return !v.u.m->gostruct           ? "map"
               : fd_expr_is_struct_nil(v) ? "invalid"
               : fd_expr_is_struct_ptr(v) ? "ptr"
                                          : "struct";
    case FD_VAL_DURATION:
        return "int64";
    case FD_VAL_TIME:
        return "struct";
    case FD_VAL_FUNC:
        return "func";
    default:
        return "invalid";
    }
}

static const char *const slice_names[] = {
#define FD_EXPR_SLICE_NAME(id, name) [FD_EXPR_SLICE_##id] = name,
    FD_EXPR_SLICES(FD_EXPR_SLICE_NAME)
#undef FD_EXPR_SLICE_NAME
};

const char *fd_expr_go_type(struct fd_expr_val v)
{
    switch (v.kind) {
    case FD_VAL_NIL:
        return "<nil>";
    case FD_VAL_FLOAT:
        return "float64";
    case FD_VAL_ARRAY:
        return v.u.a->floats ? "[]float64" : slice_names[v.u.a->slice];
    case FD_VAL_INT:
        return v.tag == FD_EXPR_TAG_INT64    ? "int64"
               : v.tag == FD_EXPR_TAG_UINT8  ? "uint8"
               : v.tag == FD_EXPR_TAG_UINT64 ? "uint64"
                                             : fd_expr_type_name(v);
    case FD_VAL_MAP:
        if (fd_expr_is_struct_nil(v))
            return "<nil>";
        if (v.u.m->gostruct)
            return gostruct_name(v.u.m->gostruct, fd_expr_is_struct_ptr(v));
        return !v.u.m->anykey   ? "map[string]interface {}"
               : v.u.m->anyvals ? "map[interface {}]interface {}"
                                : "map[interface {}][]interface {}";
    case FD_VAL_FUNC: { /* an Argo env function: its own Go type */
        struct fd_expr_type t = fd_expr_t(FD_T_FUNC);
        if (v.u.fn)
            t.elem = fd_expr_func_type_index(v.u.fn->name, strlen(v.u.fn->name));
        return fd_expr_tname(t);
    }
    case FD_VAL_BYTES:
        return "[]uint8";
    case FD_VAL_STRING:
        return v.tag == FD_EXPR_TAG_SEMVER        ? "*semver.Version"
               : v.tag == FD_EXPR_TAG_SEMVER_VAL  ? "semver.Version"
               : v.tag == FD_EXPR_TAG_ORIGIN_KIND ? "v1alpha1.FreightOriginKind"
                                                  : "string";
    case FD_VAL_TIME:
        return v.u.t->nsec != -1             ? "time.Time"
               : v.tag == FD_EXPR_TAG_LOCVAL ? "time.Location"
                                             : "*time.Location";
    default:
        return fd_expr_type_name(v);
    }
}

/* The Go type of each builtin as a value, v1.17's Function.Type(): the
 * first of its Types (builtin/builtin.go), else the type of Func,
 * func(...interface {}) (interface {}, error) (index 0). Argo's env
 * functions (utils/evaluate/evaluate.go) and Kargo's expr.Function ones
 * (pkg/expressions) are Go functions of their own types too. */
static const struct {
    const char *name, *type;
} func_types[] = {
    {"", "func(...interface {}) (interface {}, error)"},
    {"all", "func([]interface {}, func(interface {}) bool) bool"},
    {"none", "func([]interface {}, func(interface {}) bool) bool"},
    {"any", "func([]interface {}, func(interface {}) bool) bool"},
    {"one", "func([]interface {}, func(interface {}) bool) bool"},
    {"filter", "func([]interface {}, func(interface {}) bool) []interface {}"},
    {"map", "func([]interface {}, func(interface {}) interface {}) []interface {}"},
    {"find", "func([]interface {}, func(interface {}) bool) interface {}"},
    {"findIndex", "func([]interface {}, func(interface {}) bool) int"},
    {"findLast", "func([]interface {}, func(interface {}) bool) interface {}"},
    {"findLastIndex", "func([]interface {}, func(interface {}) bool) int"},
    {"count", "func([]interface {}, func(interface {}) bool) int"},
    {"sum", "func([]interface {}, func(interface {}) bool) int"},
    {"groupBy",
     "func([]interface {}, func(interface {}) interface {}) map[interface {}][]interface {}"},
    {"sortBy", "func([]interface {}, func(interface {}) bool, string) []interface {}"},
    {"reduce", "func([]interface {}, func(interface {}, interface {}) interface {}, interface {}) "
               "interface {}"},
    {"type", "func(interface {}) string"},
    {"string", "func(interface {}) string"},
    {"trim", "func(string) string"},
    {"trimPrefix", "func(string, string) string"},
    {"trimSuffix", "func(string, string) string"},
    {"upper", "func(string) string"},
    {"lower", "func(string) string"},
    {"split", "func(string, string) []string"},
    {"splitAfter", "func(string, string) []string"},
    {"replace", "func(string, string, string, int) string"},
    {"repeat", "func(string, int) string"},
    {"join", "func([]string, string) string"},
    {"indexOf", "func(string, string) int"},
    {"lastIndexOf", "func(string, string) int"},
    {"hasPrefix", "func(string, string) bool"},
    {"hasSuffix", "func(string, string) bool"},
    {"toJSON", "func(interface {}) string"},
    {"fromJSON", "func(string) interface {}"},
    {"toBase64", "func(string) string"},
    {"fromBase64", "func(string) string"},
    {"duration", "func(string) (time.Duration, error)"},
    {"timezone", "func(string) (*time.Location, error)"},
    {"sort", "func([]interface {}, string) []interface {}"},
    {"bitand", "func(int, int) int"},
    {"bitor", "func(int, int) int"},
    {"bitxor", "func(int, int) int"},
    {"bitnand", "func(int, int) int"},
    {"bitshl", "func(int, int) int"},
    {"bitshr", "func(int, int) int"},
    {"bitushr", "func(int, int) int"},
    {"bitnot", "func(int) int"},
    {"asInt", "func(interface {}) int64"},
    {"asFloat", "func(interface {}) float64"},
    {"isNaN", "func(float64) bool"},
    {"isInf", "func(float64) bool"},
    {"isNil", "func(interface {}) bool"},
    {"default", "func(interface {}, interface {}) interface {}"},
    {"quote", "func(interface {}) string"},
    {"unsafeQuote", "func(interface {}) string"},
    {"asYAML", "func(interface {}) string"},
    {"asJSON", "func(interface {}) string"},
};

uint8_t fd_expr_func_type_index(const char *name, size_t len)
{
    for (size_t i = 1; i < sizeof(func_types) / sizeof(func_types[0]); i++)
        if (strlen(func_types[i].name) == len && memcmp(func_types[i].name, name, len) == 0)
            return (uint8_t)i;
    return 0;
}

/* The Go name of an array's items by its elem: one table for []T and for
 * v1.15.5's [][]T, so the two cannot drift. */
#define FD_EXPR_ITEM_NAMES(X)              \
    X(FD_T_ANY, "interface {}")            \
    X(FD_T_FLOAT, "float64")               \
    X(FD_T_INT, "int")                     \
    X(FD_T_INT64, "int64")                 \
    X(FD_T_STRING, "string")               \
    X(FD_T_BOOL, "bool")                   \
    X(FD_T_ARRAY, "[]interface {}")        \
    X(FD_T_MAP, "map[string]interface {}") \
    X(FD_T_DURATION, "time.Duration")      \
    X(FD_T_TIME, "time.Time")              \
    X(FD_T_BYTES, "[]uint8")               \
    X(FD_T_MONTH, "time.Month")            \
    X(FD_T_WEEKDAY, "time.Weekday")        \
    X(FD_T_FUNC, "func(...interface {}) (interface {}, error)")
/* by FD_T_ARRAYS_DEPTH, then elem */
static const char *const array_names[4][FD_T_WEEKDAY + 1] = {
#define X(elem, name) [elem] = "[]" name,
    {FD_EXPR_ITEM_NAMES(X)},
#undef X
#define X(elem, name) [elem] = "[][]" name,
    {FD_EXPR_ITEM_NAMES(X)},
#undef X
#define X(elem, name) [elem] = "[][][]" name,
    {FD_EXPR_ITEM_NAMES(X)},
#undef X
#define X(elem, name) [elem] = "[][][][]" name,
    {FD_EXPR_ITEM_NAMES(X)},
#undef X
};

const struct fd_expr_hidden *fd_expr_hidden_field(enum fd_expr_hidden_struct s, const char *name,
                                                  size_t len)
{
    static const struct fd_expr_hidden fields[][8] = {
        [FD_EXPR_HIDDEN_TIME] = {{"wall", "uint64", FD_T_INT, FD_T_UINT64},
                                 {"ext", "int64", FD_T_INT, FD_T_INT64},
                                 {"loc", "*time.Location", FD_T_TIME, FD_T_STRING}},
        [FD_EXPR_HIDDEN_LOCATION] = {{"name", "string", FD_T_STRING, FD_T_ANY},
                                     {"zone", "[]time.zone", FD_T_ANY, FD_T_ANY},
                                     {"tx", "[]time.zoneTrans", FD_T_ANY, FD_T_ANY},
                                     {"extend", "string", FD_T_STRING, FD_T_ANY},
                                     {"cacheStart", "int64", FD_T_INT, FD_T_INT64},
                                     {"cacheEnd", "int64", FD_T_INT, FD_T_INT64},
                                     {"cacheZone", "*time.zone", FD_T_ANY, FD_T_ANY}},
        [FD_EXPR_HIDDEN_SEMVER] = {{"major", "uint64", FD_T_INT, FD_T_UINT64},
                                   {"minor", "uint64", FD_T_INT, FD_T_UINT64},
                                   {"patch", "uint64", FD_T_INT, FD_T_UINT64},
                                   {"pre", "string", FD_T_STRING, FD_T_ANY},
                                   {"metadata", "string", FD_T_STRING, FD_T_ANY},
                                   {"original", "string", FD_T_STRING, FD_T_ANY}},
    };
    for (const struct fd_expr_hidden *f = fields[s]; f->name; f++)
        if (strlen(f->name) == len && memcmp(f->name, name, len) == 0)
            return f;
    return NULL;
}

const char *fd_expr_tname(struct fd_expr_type t)
{
    switch (t.kind) {
    case FD_T_ANY: /* elem FD_T_NIL: a name with no type (no expr.Env), "unknown" */
        return t.elem == FD_T_NIL ? "unknown" : "interface {}";
    case FD_T_NIL: /* fmt's %s of a nil reflect.Type, as builtin.go prints it */
        return "%!s(<nil>)";
    case FD_T_BOOL:
        return "bool";
    case FD_T_INT:
        return t.elem == FD_T_INT64    ? "int64"
               : t.elem == FD_T_BYTES  ? "uint8"
               : t.elem == FD_T_UINT64 ? "uint64"
                                       : "int";
    case FD_T_FLOAT:
        return "float64";
    case FD_T_STRING:
        return t.elem == FD_T_STRUCT ? "v1alpha1.FreightOriginKind" : "string";
    case FD_T_ARRAY: { /* v1.15.5's map() types its result by the closure's output */
        unsigned item = t.elem % FD_T_ARRAYS_OF;
        const char *name =
            item <= FD_T_WEEKDAY ? array_names[FD_T_ARRAYS_DEPTH(t.elem)][item] : NULL;
        return name ? name : "[]interface {}";
    }
    case FD_T_MAP:
        return t.elem == FD_T_ARRAY ? "map[interface {}][]interface {}"
               : t.elem == FD_T_NIL ? "map[interface {}]interface {}"
                                    : "map[string]interface {}";
    case FD_T_DURATION:
        return "time.Duration";
    case FD_T_TIME: /* elem FD_T_STRING: a *time.Location (timezone()), FD_T_MAP its struct */
        return t.elem == FD_T_STRING ? "*time.Location"
               : t.elem == FD_T_MAP  ? "time.Location"
                                     : "time.Time";
    case FD_T_BYTES:
        return "[]uint8";
    case FD_T_MONTH:
        return "time.Month";
    case FD_T_WEEKDAY:
        return "time.Weekday";
    case FD_T_FUNC:
        return func_types[t.elem < FD_ARRAY_SIZE(func_types) ? t.elem : 0].type;
    case FD_T_STRUCT: {
        const char *name = gostruct_name(t.elem & (unsigned)~FD_T_PTR, (t.elem & FD_T_PTR) != 0);
        return name ? name : "interface {}";
    }
    default:
        return "interface {}";
    }
}

struct fd_expr_type fd_expr_type_of(struct fd_expr_val v)
{
    static const uint8_t map[] = {
        [FD_VAL_NIL] = FD_T_NIL,     [FD_VAL_BOOL] = FD_T_BOOL,         [FD_VAL_INT] = FD_T_INT,
        [FD_VAL_FLOAT] = FD_T_FLOAT, [FD_VAL_STRING] = FD_T_STRING,     [FD_VAL_ARRAY] = FD_T_ARRAY,
        [FD_VAL_MAP] = FD_T_MAP,     [FD_VAL_DURATION] = FD_T_DURATION, [FD_VAL_TIME] = FD_T_TIME,
        [FD_VAL_FUNC] = FD_T_FUNC,   [FD_VAL_BYTES] = FD_T_BYTES,
    };
    struct fd_expr_type t =
        fd_expr_t(v.kind < sizeof(map) ? (enum fd_expr_tkind)map[v.kind] : FD_T_ANY);

    if (v.kind == FD_VAL_ARRAY && v.u.a->floats)
        t.elem = FD_T_FLOAT;
    if (v.kind == FD_VAL_ARRAY && v.u.a->slice == FD_EXPR_SLICE_STRS)
        t.elem = FD_T_STRING;
    if (fd_expr_named_int(v))
        t = fd_expr_t(v.tag == FD_EXPR_TAG_MONTH ? FD_T_MONTH : FD_T_WEEKDAY);
    else if (v.kind == FD_VAL_INT && v.tag == FD_EXPR_TAG_INT64)
        t.elem = FD_T_INT64;
    else if (v.kind == FD_VAL_INT && v.tag == FD_EXPR_TAG_UINT8)
        t = fd_expr_t_uint8();
    else if (v.kind == FD_VAL_FUNC && v.u.fn) /* its Go func type, by name */
        t.elem = fd_expr_func_type_index(v.u.fn->name, strlen(v.u.fn->name));
    else if (v.kind == FD_VAL_STRING && v.tag == FD_EXPR_TAG_ORIGIN_KIND)
        t = fd_expr_t_origin_kind();
    else if (fd_expr_is_semver(v))
        t = fd_expr_t_struct(FD_EXPR_GOSTRUCT_SEMVER, v.tag == FD_EXPR_TAG_SEMVER);
    else if (v.kind == FD_VAL_INT && v.tag == FD_EXPR_TAG_UINT64)
        t.elem = FD_T_UINT64;
    else if (fd_expr_is_struct_nil(v))
        t = fd_expr_t(FD_T_NIL);
    else if (v.kind == FD_VAL_MAP && v.u.m->gostruct) {
        t = fd_expr_t_struct(v.u.m->gostruct, fd_expr_is_struct_ptr(v));
    }
    return t;
}

static int cmp3(double a, double b)
{
    if (isnan(a) || isnan(b))
        return 2;
    return a < b ? -1 : a > b ? 1 : 0;
}

bool fd_expr_compare(struct fd_expr_ctx *ctx, struct fd_expr_val a, struct fd_expr_val b,
                     const char *op, int *cmp)
{
    /* runtime.Less's type switch has no case for a FreightOriginKind or a
     * version */
    if ((a.kind == FD_VAL_STRING && a.tag) || (b.kind == FD_VAL_STRING && b.tag))
        return fd_expr_fail(ctx, "invalid operation: %s %s %s", fd_expr_go_type(a), op,
                            fd_expr_go_type(b));
    /* runtime.Less knows no time.Month: it panics naming the types */
    if (fd_expr_named_int(a) || fd_expr_named_int(b))
        return fd_expr_fail(ctx, "invalid operation: %s %s %s", fd_expr_go_type(a), op,
                            fd_expr_go_type(b));
    if (a.kind == FD_VAL_INT && b.kind == FD_VAL_INT) {
        *cmp = a.u.i < b.u.i ? -1 : a.u.i > b.u.i;
        return true;
    }
    if (fd_expr_is_number(a) && fd_expr_is_number(b)) {
        *cmp = cmp3(fd_expr_num(a), fd_expr_num(b));
        return true;
    }
    if (a.kind == b.kind) {
        switch (a.kind) {
        case FD_VAL_STRING: {
            size_t n = a.u.s->len < b.u.s->len ? a.u.s->len : b.u.s->len;
            int c = n ? memcmp(a.u.s->data, b.u.s->data, n) : 0;
            if (!c)
                c = a.u.s->len < b.u.s->len ? -1 : a.u.s->len > b.u.s->len;
            *cmp = c < 0 ? -1 : c > 0;
            return true;
        }
        case FD_VAL_DURATION:
            *cmp = a.u.i < b.u.i ? -1 : a.u.i > b.u.i;
            return true;
        case FD_VAL_TIME:
            if (fd_expr_is_location(a) || fd_expr_is_location(b))
                break; /* runtime.Less knows time.Time, not *time.Location */
            if (a.u.t->sec != b.u.t->sec)
                *cmp = a.u.t->sec < b.u.t->sec ? -1 : 1;
            else
                *cmp = a.u.t->nsec < b.u.t->nsec ? -1 : a.u.t->nsec > b.u.t->nsec;
            return true;
        default:
            break;
        }
    }
    return fd_expr_fail(ctx, "invalid operation: %s %s %s", fd_expr_go_type(a), op,
                        fd_expr_go_type(b));
}

struct go_sort {
    struct fd_expr_ctx *ctx;
    struct fd_expr_val *keys, *items;
    bool desc;
    bool failed; /* Less panicked: the sort is over */
};

static bool go_sort_less(void *ud, size_t i, size_t j)
{
    struct go_sort *s = ud;
    int c = 0;

    if (s->failed)
        return false;
    if (s->desc) {
        size_t t = i;
        i = j;
        j = t;
    }
    if (!fd_expr_compare(s->ctx, s->keys[i], s->keys[j], "<", &c)) {
        s->failed = true;
        return false;
    }
    return c == -1;
}

static void go_sort_swap(void *ud, size_t i, size_t j)
{
    struct go_sort *s = ud;
    struct fd_expr_val t = s->keys[i];

    s->keys[i] = s->keys[j];
    s->keys[j] = t;
    if (s->items) {
        t = s->items[i];
        s->items[i] = s->items[j];
        s->items[j] = t;
    }
}

bool fd_expr_go_sort(struct fd_expr_ctx *ctx, struct fd_expr_val *keys, struct fd_expr_val *items,
                     size_t n, bool desc)
{
    struct go_sort s = {ctx, keys, items, desc, false};
    struct fd_go_sorter sorter = {go_sort_less, go_sort_swap, &s};

    fd_go_sort(&sorter, n);
    return !s.failed;
}

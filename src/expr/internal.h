#ifndef FREIGHTDECK_EXPR_INTERNAL_H
#define FREIGHTDECK_EXPR_INTERNAL_H
/*
 * src/expr/internal.h: the evaluator's value representation and the API the
 * builtin functions are written against. Not installed; only src/expr/ and
 * the expr unit tests include it.
 *
 * Writing a builtin:
 *  - Values are `struct fd_expr_val` passed BY VALUE: nil/bool/int/float/
 *    duration/func carry no allocation; string/bytes/array/map/time point at a
 *    reference-counted heap object (atomic counts: values may be shared by
 *    threads). "owned" = you hold one reference and must release it or hand it
 *    on; "borrowed" = valid while the owner keeps it, fd_expr_val_ref() to keep.
 *  - A builtin receives its arguments BORROWED and stores an OWNED result in
 *    *out. On error it returns fd_expr_fail(ctx, "fmt", ...) (== false) with
 *    expr-lang's wording, e.g. fd_expr_fail(ctx, "invalid argument for abs
 *    (type string)"); the position and "(1:5)" suffix are added by the caller.
 *  - The compile-time hook (check) receives the argument types and returns the
 *    result type, or fd_expr_check_fail(tc, argi, ...) for a compile error
 *    positioned at argument argi (-1: at the call). check == NULL means "any
 *    arguments within min/max, result unknown (interface {})".
 *  - Register builtins in ONE const table `fd_expr_builtin_table[]`, defined in
 *    src/expr/builtins.c, ended by an entry whose name is NULL. A builtin
 *    limited to some modes sets .modes (FD_EXPR_MODES(ARGO, ARGO_WEB) etc.).
 *    Methods of time.Time/time.Duration (`.Year()`, `.Hours()`) go in the same
 *    table with .receiver set to FD_VAL_TIME / FD_VAL_DURATION; args[0] is
 *    then the receiver.
 *  - Templates (mode kargo-template) are the three fd_expr_template_*
 *    functions below (src/expr/template.c); each ${{ }} body is compiled with
 *    fd_expr_compile(..., FD_EXPR_MODE_KARGO, ...).
 *  - A builtin file is listed in FD_EXPR_BUILTIN_SOURCES in src/expr/local.mk
 *    (one line each). Respect FD_EXPR_MAX_STRING / FD_EXPR_MAX_ARRAY in anything
 *    that builds big values (repeat, split, ...): fail with a run error.
 *  - Predicates (all, any, none, one, filter, map, find*, count, sum with a
 *    predicate, groupBy, sortBy, reduce) and len are syntax, done by the core.
 *  - fd_expr_compile rejects NUL bytes in expressions ("unrecognized
 *    character: U+0000", as expr's lexer) but not in a template's text:
 *    template.c is length-counted, and each ${{ }} body, compiled as an
 *    expression, rejects them there.
 *  - Builtin names resolve before env names (as expr's checker does), and a
 *    builtin used without a call evaluates to nil.
 */

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "freightdeck/expr.h"
#include "freightdeck/util.h"

/* ---- Limits: any input gives a value or an error, never unbounded memory. */
#define FD_EXPR_MAX_STRING ((size_t)16 << 20) /* bytes of one string value */
#define FD_EXPR_MAX_ARRAY  ((size_t)1 << 20)  /* items of one array (ranges, repeat) */

/* ---- Values ---------------------------------------------------------------- */

/* Header of every heap object. Kind is an enum fd_value_kind. */
struct fd_expr_obj {
    _Atomic uint32_t refs;
    uint8_t kind;
};

struct fd_expr_str;
struct fd_expr_arr;
struct fd_expr_map;
struct fd_expr_time;
struct fd_expr_builtin;
struct fd_expr_ctx;
struct fd_expr_tctx;

/* A value, 16 bytes, passed by value. kind is an enum fd_value_kind. */
struct fd_expr_val {
    uint8_t kind;
    uint8_t tag; /* FD_VAL_INT: a Go named int type, FD_EXPR_TAG_* (0: int) */
    union {
        bool b;
        int64_t i; /* FD_VAL_INT; FD_VAL_DURATION (nanoseconds) */
        double f;  /* FD_VAL_FLOAT */
        struct fd_expr_obj *o;
        struct fd_expr_str *s;
        struct fd_expr_arr *a;
        struct fd_expr_map *m;
        struct fd_expr_time *t;
        const struct fd_expr_builtin *fn; /* FD_VAL_FUNC: static, not counted */
    } u;
};

/* The Go type of an array that is not a []interface {} (nor a []float64,
 * which its representation says): its type's name in messages, and
 * reflect.DeepEqual, which compares types first. X(id, Go type). */
#define FD_EXPR_SLICES(X)                                               \
    X(ANY, "[]interface {}")      /* JSON arrays, literals, builtins */ \
    X(INTS, "[]int")              /* what a range makes */              \
    X(STRS, "[]string")           /* what split makes */                \
    X(PAIRS, "[][2]interface {}") /* what toPairs makes */              \
    X(PAIR, "[2]interface {}")    /* its items: Go arrays, not slices */
enum fd_expr_slice {
#define FD_EXPR_SLICE_ENUM(id, name) FD_EXPR_SLICE_##id,
    FD_EXPR_SLICES(FD_EXPR_SLICE_ENUM)
#undef FD_EXPR_SLICE_ENUM
};

/* Length-counted bytes, NUL-terminated for convenience (may contain NULs). */
struct fd_expr_str {
    struct fd_expr_obj h;
    size_t len;
    char data[];
};

/* An array: either generic items or, for a Go []float64 (Argo's Prometheus
 * vector), raw doubles. Read through fd_expr_arr_get either way. */
struct fd_expr_arr {
    struct fd_expr_obj h;
    bool floats;   /* true: a []float64, items in f[] */
    bool isnil;    /* a Go nil slice (empty): JSON null, == nil, ?? takes the right */
    uint8_t slice; /* enum fd_expr_slice: its Go type, when not []interface {} */
    size_t len, cap;
    struct fd_expr_val *items;
    double *f;
};

/* A map with string keys, kept sorted by key (bytewise), so lookups are a
 * binary search and Go's sorted %v/JSON output comes for free. */
struct fd_expr_map_entry {
    struct fd_expr_str *key;
    struct fd_expr_val val;
    struct fd_expr_val kval; /* anykey maps only: the key itself */
};
/* anykey: a Go map[interface {}][]interface {} (what groupBy builds), or
 * with anyvals a map[interface {}]interface {} (what fromPairs builds), whose
 * keys are values of any hashable type: each entry's key string is then a
 * type-tagged encoding of kval (fd_expr_anykey), so 1, 1.0 and "1" differ.
 * The two differ in their Go type's name and in the zero value a missing
 * key reads as (a nil slice, a nil). */
/* strvals: a Go map[string]string (Kargo's configMap(), secret()): a missing
 * key reads as "", the zero value, as expr's runtime.Fetch gives it. */
/* gostruct: a Go struct Kargo's functions return, its fields the entries
 * (keyed by Go field name, every field present); ptr: a pointer to it, and
 * with isnil a typed nil pointer (imageFrom() of an image no Freight has). */
struct fd_expr_map {
    struct fd_expr_obj h;
    size_t len, cap;
    bool anykey;
    bool anyvals;     /* anykey only: interface {} values (fromPairs) */
    bool isnil;       /* a Go nil map (empty): JSON null, == nil, ?? takes the right */
    bool strvals;     /* map[string]string: a missing key reads as "" */
    uint8_t gostruct; /* enum fd_expr_gostruct; FD_EXPR_GOSTRUCT_NONE: a map */
    bool ptr;         /* gostruct only: a pointer to the struct */
    struct fd_expr_map_entry *e;
};

/* The Go structs of Kargo's functions (pkg/expressions/function,
 * api/v1alpha1), and expr's own *runtime.SortBy: X(id, Go type as reflect
 * prints it, with its package path as builtin type names it, whether the
 * pointer has a String method, fields). A field is F(Go name, JSON name,
 * omitempty, compile-time kind); FD_T_NAMED there is the named string type
 * v1alpha1.FreightOriginKind. */
/* clang-format off */
#define FD_EXPR_GOSTRUCTS(X, F)                                                         \
    X(ORIGIN, "v1alpha1.FreightOrigin",                                               \
      "github.com/akuity/kargo/api/v1alpha1.FreightOrigin", false,                    \
      F("Kind", "kind", false, FD_T_NAMED)                                            \
      F("Name", "name", false, FD_T_STRING))                                          \
    /* gogo/protobuf generated a String() for the pointers of these three */          \
    X(COMMIT, "v1alpha1.GitCommit",                                                   \
      "github.com/akuity/kargo/api/v1alpha1.GitCommit", true,                         \
      F("RepoURL", "repoURL", true, FD_T_STRING)                                      \
      F("ID", "id", true, FD_T_STRING)                                                \
      F("Branch", "branch", true, FD_T_STRING)                                        \
      F("Tag", "tag", true, FD_T_STRING)                                              \
      F("Message", "message", true, FD_T_STRING)                                      \
      F("Author", "author", true, FD_T_STRING)                                        \
      F("Committer", "committer", true, FD_T_STRING))                                 \
    X(IMAGE, "v1alpha1.Image", "github.com/akuity/kargo/api/v1alpha1.Image", true,   \
      F("RepoURL", "repoURL", true, FD_T_STRING)                                      \
      F("Tag", "tag", true, FD_T_STRING)                                              \
      F("Digest", "digest", true, FD_T_STRING)                                        \
      F("Annotations", "annotations", true, FD_T_MAP))                                \
    X(CHART, "v1alpha1.Chart", "github.com/akuity/kargo/api/v1alpha1.Chart", true,   \
      F("RepoURL", "repoURL", true, FD_T_STRING)                                      \
      F("Name", "name", true, FD_T_STRING)                                            \
      F("Version", "version", true, FD_T_STRING))                                     \
    /* no JSON tags: Go names, no omitempty */                                        \
    X(ARTIFACT, "function.expressionFriendlyArtifactReference",                       \
      "github.com/akuity/kargo/pkg/expressions/function."                             \
      "expressionFriendlyArtifactReference", false,                                   \
      F("ArtifactType", "ArtifactType", false, FD_T_STRING)                           \
      F("SubscriptionName", "SubscriptionName", false, FD_T_STRING)                   \
      F("Version", "Version", false, FD_T_STRING)                                     \
      F("Metadata", "Metadata", false, FD_T_MAP))                                     \
    /* Masterminds' Version: its fields are unexported */                             \
    X(SEMVER, "semver.Version", "github.com/Masterminds/semver/v3.Version", true, )   \
    /* v1.17's sortBy loop keeps one in the scope's Acc (vm.go OpCreate 2):          \
     * the items and their keys so far, appended after each body (OpSortBy) */       \
    X(SORTBY, "runtime.SortBy", "github.com/expr-lang/expr/vm/runtime.SortBy", false, \
      F("Desc", "Desc", false, FD_T_BOOL)                                             \
      F("Array", "Array", false, FD_T_ARRAY)                                          \
      F("Values", "Values", false, FD_T_ARRAY))
/* clang-format on */
enum fd_expr_gostruct {
    FD_EXPR_GOSTRUCT_NONE,
#define FD_EXPR_GOSTRUCT_ENUM(id, name, path, stringer, fields) FD_EXPR_GOSTRUCT_##id,
#define FD_EXPR_GOSTRUCT_NOFIELD(go, json, omit, kind)
    FD_EXPR_GOSTRUCTS(FD_EXPR_GOSTRUCT_ENUM, FD_EXPR_GOSTRUCT_NOFIELD)
#undef FD_EXPR_GOSTRUCT_ENUM
#undef FD_EXPR_GOSTRUCT_NOFIELD
};
#define FD_T_NAMED 0xff /* in a field's kind only: see fd_expr_t_origin_kind */
struct fd_expr_gofield {
    const char *go, *json;
    bool omitempty;
    uint8_t kind; /* enum fd_expr_tkind (FD_T_MAP: a map[string]string or any),
                     or FD_T_NAMED */
};
/* Struct id's Go type name and its fields in declaration order (*n of them);
 * NULL for FD_EXPR_GOSTRUCT_NONE. */
const struct fd_expr_gofield *fd_expr_gostruct_fields(unsigned id, const char **name, size_t *n);
/* The field called go (len bytes) of struct id, or NULL. */
const struct fd_expr_gofield *fd_expr_gostruct_field(unsigned id, const char *go, size_t len);
/* Whether a pointer to struct id has a String method (fmt calls it). */
bool fd_expr_gostruct_stringer(unsigned id);
/* A new value of struct id (a pointer when ptr) with every field zero: "",
 * false, a nil map or an empty slice; fill it with fd_expr_map_set. With
 * isnil, a typed nil pointer. */
struct fd_expr_val fd_expr_gostruct_new(unsigned id, bool ptr, bool isnil);

/* A time.Time: Unix seconds + nanoseconds (UTC instant), the UTC offset of
 * its location and the zone name Go prints ("UTC", "CET", "+0200"...). */
struct fd_expr_time {
    struct fd_expr_obj h;
    int64_t sec;
    int32_t nsec;
    int32_t offset;  /* seconds east of UTC */
    char zone[64];   /* the zone's abbreviation */
    char loc[64];    /* its Location's name: "UTC", "Local", "Europe/Berlin", or a
                        FixedZone's ("" for a parsed "+02:00") */
    bool fixed;      /* the Location is a FixedZone(loc, offset) */
    uint64_t serial; /* creation order */
    /* the identity of its *time.Location (a map key compares the pointer):
     * 0 for time.UTC, 1 for time.Local, else one per LoadLocation or
     * FixedZone, as Go allocates them; a Location value's own */
    uint64_t locid;
};

/* A *time.Location (timezone(), Time.Location()) is a time value with nsec -1. */
static inline bool fd_expr_is_location(struct fd_expr_val v)
{
    return v.kind == FD_VAL_TIME && v.u.t->nsec == -1;
}

/* Go's named int types that time's methods return: their own types in
 * messages, type() and comparisons, their names in fmt's output. */
#define FD_EXPR_TAG_MONTH   1 /* time.Month: "March" */
#define FD_EXPR_TAG_WEEKDAY 2 /* time.Weekday: "Sunday" */
/* int64 (time.Time's Unix*, time.Duration's Milliseconds..., Argo's asInt):
 * an integer as any other but for its type's name and reflect.DeepEqual */
#define FD_EXPR_TAG_INT64 3
/* uint8: a byte of a string or a []byte (an index, a loop's item) */
#define FD_EXPR_TAG_UINT8 4
/* On a *time.Location (fd_expr_is_location): the time.Location it points at,
 * as v1.17's VM leaves it after an OpDeref (compiler.go derefInNeeded: an
 * operand, a condition, a builtin's argument of a pointer or interface type;
 * deref.Interface). Go names it time.Location and fmt prints the struct. */
#define FD_EXPR_TAG_LOCVAL 5
/* On a string: Kargo's named string type v1alpha1.FreightOriginKind (a
 * FreightOrigin's Kind): equal to no plain string, no operand of +, no
 * string parameter's argument; JSON-quoted where a template writes it. */
#define FD_EXPR_TAG_ORIGIN_KIND 7
/* On a string: a Masterminds *semver.Version (Kargo's semverParse()), or
 * with FD_EXPR_TAG_SEMVER_VAL a semver.Version (what its Inc* methods give,
 * and a pointer dereferenced), held as its original text (Original()):
 * fmt, encoding/json and yaml print its String(), "1.2.0" for "v1.2". */
#define FD_EXPR_TAG_SEMVER     6
#define FD_EXPR_TAG_SEMVER_VAL 8
/* uint64 (semver.Version's Major(), Minor(), Patch()) */
#define FD_EXPR_TAG_UINT64 9
/* A value of Go's type string: not a FreightOriginKind nor a version, which
 * the VM's type switches and assertions to string refuse. */
static inline bool fd_expr_is_go_string(struct fd_expr_val v)
{
    return v.kind == FD_VAL_STRING && !v.tag;
}
static inline bool fd_expr_is_semver(struct fd_expr_val v)
{
    return v.kind == FD_VAL_STRING &&
           (v.tag == FD_EXPR_TAG_SEMVER || v.tag == FD_EXPR_TAG_SEMVER_VAL);
}
/* Appends the String() of the version s (len bytes) to b; false, with
 * nothing appended, when s is no semantic version. */
bool fd_expr_semver_string(struct fd_buf *b, const char *s, size_t len);
/* Whether a semver.Version (ptr: a *semver.Version) has the method called
 * name (len bytes): the pointer has them all, the value those of a value
 * receiver (String, Major... IncPatch; not Original, LessThan... Compare). */
bool fd_expr_semver_has_method(const char *name, size_t len, bool ptr);
/* On a map of one of Kargo's struct pointers (gostruct, ptr): the struct it
 * points at, as v1.17's OpDeref leaves it; a nil pointer so marked is Go's
 * nil (deref.Interface). */
#define FD_EXPR_TAG_STRUCTVAL 10
/* A pointer to one of Kargo's structs, not dereferenced. */
static inline bool fd_expr_is_struct_ptr(struct fd_expr_val v)
{
    return v.kind == FD_VAL_MAP && v.u.m->gostruct && v.u.m->ptr && v.tag != FD_EXPR_TAG_STRUCTVAL;
}
/* A nil pointer to one of Kargo's structs, dereferenced: Go's plain nil. */
static inline bool fd_expr_is_struct_nil(struct fd_expr_val v)
{
    return v.kind == FD_VAL_MAP && v.u.m->gostruct && v.u.m->isnil &&
           v.tag == FD_EXPR_TAG_STRUCTVAL;
}
static inline struct fd_expr_val fd_expr_deref(struct fd_expr_val v)
{
    if (fd_expr_is_location(v))
        v.tag = FD_EXPR_TAG_LOCVAL;
    else if (v.kind == FD_VAL_STRING && v.tag == FD_EXPR_TAG_SEMVER)
        v.tag = FD_EXPR_TAG_SEMVER_VAL;
    else if (fd_expr_is_struct_ptr(v))
        v.tag = FD_EXPR_TAG_STRUCTVAL;
    return v;
}
/* A time.Month or time.Weekday: a named type with a method, no number to
 * the generated runtime (v.kind FD_VAL_INT). */
static inline bool fd_expr_named_int(struct fd_expr_val v)
{
    return v.kind == FD_VAL_INT && (v.tag == FD_EXPR_TAG_MONTH || v.tag == FD_EXPR_TAG_WEEKDAY);
}
/* A uint8 or uint64: reflect's Uint kinds, which v1.15.5's CanInt and
 * sort's Less refuse ("cannot sum uint8"). */
static inline bool fd_expr_unsigned(struct fd_expr_val v)
{
    return v.kind == FD_VAL_INT && (v.tag == FD_EXPR_TAG_UINT8 || v.tag == FD_EXPR_TAG_UINT64);
}
static inline struct fd_expr_val fd_expr_tagged_int(int64_t i, uint8_t tag)
{
    struct fd_expr_val v = {.kind = FD_VAL_INT, .tag = tag, .u.i = i};
    return v;
}

/* Scalars: no allocation. */
static inline struct fd_expr_val fd_expr_nil(void)
{
    struct fd_expr_val v = {.kind = FD_VAL_NIL};
    return v;
}
static inline struct fd_expr_val fd_expr_bool(bool b)
{
    struct fd_expr_val v = {.kind = FD_VAL_BOOL, .u.b = b};
    return v;
}
static inline struct fd_expr_val fd_expr_int(int64_t i)
{
    struct fd_expr_val v = {.kind = FD_VAL_INT, .u.i = i};
    return v;
}
static inline struct fd_expr_val fd_expr_float(double f)
{
    struct fd_expr_val v = {.kind = FD_VAL_FLOAT, .u.f = f};
    return v;
}
/* A Go function value (Argo's env functions): fn is static, not counted. */
static inline struct fd_expr_val fd_expr_func_val(const struct fd_expr_builtin *fn)
{
    struct fd_expr_val v = {.kind = FD_VAL_FUNC};
    v.u.fn = fn;
    return v;
}
static inline struct fd_expr_val fd_expr_duration(int64_t ns)
{
    struct fd_expr_val v = {.kind = FD_VAL_DURATION, .u.i = ns};
    return v;
}
static inline bool fd_expr_is_heap(struct fd_expr_val v)
{
    return v.kind == FD_VAL_STRING || v.kind == FD_VAL_ARRAY || v.kind == FD_VAL_MAP ||
           v.kind == FD_VAL_TIME || v.kind == FD_VAL_BYTES;
}
static inline bool fd_expr_is_number(struct fd_expr_val v)
{
    return v.kind == FD_VAL_INT || v.kind == FD_VAL_FLOAT;
}
/* An integer as Go converts it to float64: a uint64 (semver's Major(), or
 * one negated, which wraps) as unsigned. */
static inline double fd_expr_int_double(struct fd_expr_val v)
{
    return v.tag == FD_EXPR_TAG_UINT64 ? (double)(uint64_t)v.u.i : (double)v.u.i;
}
/* int or float as a double (0 for anything else). */
static inline double fd_expr_num(struct fd_expr_val v)
{
    return v.kind == FD_VAL_INT ? fd_expr_int_double(v) : v.kind == FD_VAL_FLOAT ? v.u.f : 0.0;
}
/* An integer as fmt's %d and encoding/json write it: a uint64 unsigned. */
static inline void fd_expr_put_int(struct fd_buf *b, struct fd_expr_val v)
{
    if (v.kind == FD_VAL_INT && v.tag == FD_EXPR_TAG_UINT64)
        fd_buf_printf(b, "%llu", (unsigned long long)(uint64_t)v.u.i);
    else
        fd_buf_printf(b, "%lld", (long long)v.u.i);
}

/* runtime.IsNil: nil, or a nil slice or map (what a missing groupBy key
 * gives, or v1.15.5's groupBy of nothing). */
static inline bool fd_expr_is_go_nil(struct fd_expr_val v)
{
    return v.kind == FD_VAL_NIL || (v.kind == FD_VAL_ARRAY && v.u.a->isnil) ||
           (v.kind == FD_VAL_MAP && v.u.m->isnil);
}

/* Reference counting. ref returns v for chaining; release sets *v to nil.
 * Inline because the evaluator calls them on every node, and most values
 * are scalars that need no counting at all. */
void fd_expr_obj_free(struct fd_expr_obj *o); /* refs reached 0; internal */
static inline struct fd_expr_val fd_expr_val_ref(struct fd_expr_val v)
{
    if (fd_expr_is_heap(v))
        atomic_fetch_add_explicit(&v.u.o->refs, 1, memory_order_relaxed);
    return v;
}
static inline void fd_expr_val_release(struct fd_expr_val *v)
{
    if (fd_expr_is_heap(*v) &&
        atomic_fetch_sub_explicit(&v->u.o->refs, 1, memory_order_acq_rel) == 1)
        fd_expr_obj_free(v->u.o);
    v->kind = FD_VAL_NIL;
}

/* Strings. new copies the bytes; take adopts a fd_xmalloc'd NUL-terminated
 * buffer of len bytes (e.g. from fd_buf_steal). Both return owned values. */
struct fd_expr_val fd_expr_str_new(const char *s, size_t len);
struct fd_expr_val fd_expr_str_cstr(const char *s);
struct fd_expr_val fd_expr_str_take(char *s, size_t len);
struct fd_expr_val fd_expr_str_from_buf(struct fd_buf *b); /* steals b */
/* A Go []byte: a string object (u.s) under the value kind FD_VAL_BYTES. */
struct fd_expr_val fd_expr_bytes_new(const char *s, size_t len);
/* Number of UTF-8 runes (invalid bytes count one each, as Go). */
size_t fd_expr_utf8_len(const char *s, size_t len);

/* Arrays. new returns an owned empty generic array with room for cap items;
 * push takes the item (owned). float_new copies n doubles into a []float64.
 * get returns item i BORROWED (a float array yields an unboxed float);
 * i must be < len. */
struct fd_expr_val fd_expr_arr_new(size_t cap);
void fd_expr_arr_push(struct fd_expr_val arr, struct fd_expr_val item);
struct fd_expr_val fd_expr_arr_float_new(const double *v, size_t n);
static inline size_t fd_expr_arr_len(const struct fd_expr_arr *a)
{
    return a->len;
}
static inline struct fd_expr_val fd_expr_arr_get(const struct fd_expr_arr *a, size_t i)
{
    return a->floats ? fd_expr_float(a->f[i]) : a->items[i];
}

/* Maps. set takes the value (owned) and replaces an existing key. get
 * returns false when absent, else stores the value BORROWED in *out. */
struct fd_expr_val fd_expr_map_new(size_t cap);
void fd_expr_map_set(struct fd_expr_val map, const char *key, size_t keylen,
                     struct fd_expr_val item);
bool fd_expr_map_get(const struct fd_expr_map *m, const char *key, size_t keylen,
                     struct fd_expr_val *out);
/* Position of key in m (entries are sorted), or -1 when absent. */
ptrdiff_t fd_expr_map_index(const struct fd_expr_map *m, const char *key, size_t keylen);
/* Any-key maps. fd_expr_anykey writes key's tagged form into b; false (with
 * *unhashable set to the Go type) for arrays and maps, which Go cannot
 * hash. map_set_any takes item's reference and copies key's; get_any reads
 * a borrowed value, by tagged key on an anykey map and by string otherwise. */
bool fd_expr_anykey(struct fd_buf *b, struct fd_expr_val key, const char **unhashable);
/* NULL if key can be a Go map key; else its Go type, which the runtime's
 * "hash of unhashable type" panic names. */
const char *fd_expr_unhashable(struct fd_expr_val key);
/* What Go's lookup in m panics with for a key of unhashable type, before
 * the type's name: an empty map checks the key (mapKeyError's
 * unhashableTypeError), any other hashes it (the hasher's errorString). */
static inline const char *fd_expr_unhashable_lookup(const struct fd_expr_map *m)
{
    return m->len == 0 ? "hash of unhashable type: " : "runtime error: hash of unhashable type ";
}
void fd_expr_map_set_any(struct fd_expr_val map, struct fd_expr_val key, struct fd_expr_val item);
/* set_any with key already encoded (fd_expr_anykey) into enc: a NaN key
 * encodes to a new key each time, so a lookup and an insert of one key share
 * its encoding. */
void fd_expr_map_set_encoded(struct fd_expr_val map, const char *enc, size_t enclen,
                             struct fd_expr_val key, struct fd_expr_val item);
bool fd_expr_map_get_any(const struct fd_expr_map *m, struct fd_expr_val key,
                         struct fd_expr_val *out);
/* The zero value of m's element type, what Go reads for a missing key: a
 * nil []interface {} for groupBy's map, "" for a map[string]string, else
 * nil. An owned value. */
struct fd_expr_val fd_expr_map_zero(const struct fd_expr_map *m);
/* The key of entry i as a new reference. */
struct fd_expr_val fd_expr_map_key(const struct fd_expr_map *m, size_t i);

/* Times: an owned time value. zone may be NULL ("UTC" when offset is 0,
 * else "+hhmm" like Go's FixedZone("")); the location is UTC for a UTC
 * zone, else a fixed zone named loc (NULL: ""). */
struct fd_expr_val fd_expr_time_new(int64_t sec, int32_t nsec, int32_t offset, const char *zone);
/* A new *time.Location identity (struct fd_expr_time locid). */
uint64_t fd_expr_loc_new_id(void);
struct fd_expr_val fd_expr_time_new_in(int64_t sec, int32_t nsec, int32_t offset, const char *zone,
                                       const char *loc);
/* A time in the FixedZone(name, offset) time.Parse makes for a zone it
 * cannot place (zone: the abbreviation shown). */
struct fd_expr_val fd_expr_time_new_fixed(int64_t sec, int32_t nsec, int32_t offset,
                                          const char *zone, const char *name);
/* Another instant in t's zone and location (Add, Truncate...). */
struct fd_expr_val fd_expr_time_like(const struct fd_expr_time *t, int64_t sec, int32_t nsec);
/* t shifted by ns nanoseconds (Time.Add, t + d, t - d), in t's Location
 * with the offset in force then (builtins_time.c). An owned value. */
struct fd_expr_val fd_expr_bi_time_shift(const struct fd_expr_time *t, int64_t ns);
/* Time.Sub: t - u, saturated at the Duration range as Go's is. */
int64_t fd_expr_bi_time_sub(const struct fd_expr_time *t, const struct fd_expr_time *u);

/* Public <-> internal. from_public returns the value BORROWED from the box;
 * to_public boxes an OWNED value (consumes it) into a new fd_value. */
struct fd_expr_val fd_expr_from_public(const fd_value *v);
fd_value *fd_expr_to_public(struct fd_expr_val v);

/* ---- Helpers shared by core and builtins (value.c, format.c, json.c) ---- */

/* Decodes one UTF-8 rune as Go does: invalid -> U+FFFD with width 1 (and
 * width 0 at the end of the text). */
static inline uint32_t fd_expr_utf8_decode(const char *s, size_t len, size_t *width)
{
    uint32_t r;
    *width = fd_utf8_decode(s, len, &r);
    if (*width)
        return r;
    *width = len > 0;
    return 0xFFFD;
}

/* Go %v of v appended to b (what string() and fmt.Sprint print):
 * 1.0 -> "1", 1e21 -> "1e+21", [1 2], map[a:1], <nil>, 1h0m0s, Go time. */
void fd_expr_format(struct fd_buf *b, struct fd_expr_val v);
/* Go %s of v (fmt.Sprintf("%s", v)): strings and []byte as text, values
 * with a String method by it, other scalars %!s(int=1), slices and maps
 * element by element: [a %!s(int=1)]. */
void fd_expr_format_s(struct fd_buf *b, struct fd_expr_val v);
/* strconv.FormatFloat(f, fmt, -1, 64) for fmt 'g' (= Go %v), 'f' or 'e';
 * 'j' is encoding/json's choice (exponent below 1e-6 and from 1e21 on). */
/* time.Duration.String(): "1h2m3.5s", "150ms", "0s". */
void fd_expr_format_duration(struct fd_buf *b, int64_t ns);
/* Go's default time.Time String(): "2006-01-02 15:04:05.999999999 -0700 MST". */
void fd_expr_format_time(struct fd_buf *b, const struct fd_expr_time *t);
/* RFC 3339 with nanoseconds as time.RFC3339Nano formats it. */
void fd_expr_format_time_rfc3339(struct fd_buf *b, const struct fd_expr_time *t);

/* expr's == : numbers numerically, strings bytewise, arrays element-wise with
 * this same rule, maps deep-equal (where 1 != 1.0), different kinds false,
 * nil == nil. */
bool fd_expr_equal(struct fd_expr_val a, struct fd_expr_val b);
/* Orders two values as expr's < does: numbers (int/float mixed), strings
 * bytewise, durations, times. Stores -1/0/1 in *cmp (NaN: 2, unordered) or
 * fails with "invalid operation: <op> (mismatched types int and string)". */
bool fd_expr_compare(struct fd_expr_ctx *ctx, struct fd_expr_val a, struct fd_expr_val b,
                     const char *op, int *cmp);
/* sort.Sort (fd_go_sort) of n keys by runtime.Less, as v1.17's runtime.Sort
 * and runtime.SortBy do (desc: Less(b, a)); items, unless NULL, move with
 * them. Returns false with the error of the first pair Less refused. */
bool fd_expr_go_sort(struct fd_expr_ctx *ctx, struct fd_expr_val *keys, struct fd_expr_val *items,
                     size_t n, bool desc);
/* Strict deep equality (Go reflect.DeepEqual on the JSON-like values). */
bool fd_expr_deep_equal(struct fd_expr_val a, struct fd_expr_val b);

/* expr's type() name: "int", "float", "string", "bool", "nil", "array",
 * "map", "time.Duration", "time.Time", "func". */
const char *fd_expr_type_name(struct fd_expr_val v);
/* Go's %T as expr prints it in errors: "int", "float64", "string", "bool",
 * "<nil>", "[]interface {}", "[]float64", "map[string]interface {}",
 * "time.Duration", "time.Time", "func(...) interface {}". */
const char *fd_expr_go_type(struct fd_expr_val v);

struct fd_expr_val fd_expr_from_json(const json_t *j, bool numbers_as_floats);
/* Go's json.Unmarshal into an interface {} (expr's fromJSON, gojson.c): the
 * value in *out (OWNED), or false with Go's message in err. */
bool fd_expr_go_json_decode(const char *src, size_t len, struct fd_expr_val *out, char *err,
                            size_t errlen);

/* ---- Run-time context (one per run; not shared between threads) ---------- */
struct fd_expr_ctx;

/* Records a run error (printf-style, expr-lang's wording) and returns false,
 * so a builtin can `return fd_expr_fail(ctx, ...)`. */
bool fd_expr_fail(struct fd_expr_ctx *ctx, const char *fmt, ...) FD_PRINTF(2, 3);
/* vm.go memGrow: counts size more items made against the VM's memory
 * budget (conf.DefaultMemoryBudget, 1e6 for the whole run). False, with
 * the run error "memory budget exceeded", once the count reaches it. A
 * Safe builtin (v1.17 OpCallSafe) calls it with the size it returns. */
bool fd_expr_mem_grow(struct fd_expr_ctx *ctx, uint64_t size);
/* Looks a top-level env name up; BORROWED value in *out, false if absent. */
bool fd_expr_ctx_env(const struct fd_expr_ctx *ctx, const char *name, struct fd_expr_val *out);

/* ---- Compile-time types ------------------------------------------------------ */
enum fd_expr_tkind {
    FD_T_ANY, /* interface {}: unknown until run time */
    FD_T_NIL,
    FD_T_BOOL,
    FD_T_INT,
    FD_T_FLOAT,
    FD_T_STRING,
    FD_T_ARRAY, /* elem says the item type: FD_T_ANY ([]interface {}) or FD_T_FLOAT */
    FD_T_MAP,   /* elem FD_T_ANY: map[string]interface {}; FD_T_ARRAY: groupBy's
                 * map[interface {}][]interface {}; FD_T_NIL: fromPairs'
                 * map[interface {}]interface {} */
    FD_T_DURATION,
    FD_T_TIME,
    FD_T_FUNC,
    FD_T_INT64, /* as the elem of an FD_T_INT: Go's int64 (Argo's asInt);
                 * FD_T_BYTES there is uint8 (fd_expr_t_uint8); as the elem
                 * of an FD_T_ARRAY, v1.15.5's []int64 */
    FD_T_BYTES, /* []uint8 */
    FD_T_MONTH, /* time.Month (an int at run time, tagged) */
    FD_T_WEEKDAY,
    FD_T_STRUCT, /* one of Kargo's Go structs: elem is its enum fd_expr_gostruct,
                  * with FD_T_PTR set for a pointer to it */
    FD_T_UINT64, /* only as the elem of an FD_T_INT: Go's uint64 */
    /* Only in the elem of an FD_T_ARRAY, added to the elem of its items:
     * items that are arrays of a Go type, v1.15.5's map() of a closure that
     * makes one ([][]int: FD_T_ARRAYS_OF + FD_T_INT, [][][]int twice that;
     * [][]interface {} is plain FD_T_ARRAY). Up to 3 times. */
    FD_T_ARRAYS_OF = 0x40
};
#define FD_T_ARRAYS_DEPTH(elem) ((elem) >> 6)
struct fd_expr_type {
    uint8_t kind; /* enum fd_expr_tkind */
    uint8_t elem; /* arrays only */
};
static inline struct fd_expr_type fd_expr_t(enum fd_expr_tkind k)
{
    struct fd_expr_type t = {.kind = (uint8_t)k, .elem = FD_T_ANY};
    return t;
}
#define FD_T_PTR 0x80 /* in the elem of an FD_T_STRUCT: a pointer to it */
static inline struct fd_expr_type fd_expr_t_struct(unsigned id, bool ptr)
{
    struct fd_expr_type t = fd_expr_t(FD_T_STRUCT);
    t.elem = (uint8_t)(id | (ptr ? FD_T_PTR : 0));
    return t;
}
/* t with a pointer to a struct dereferenced (checker.go Deref); any other
 * type as it is. */
static inline struct fd_expr_type fd_expr_t_deref_struct(struct fd_expr_type t)
{
    if (t.kind == FD_T_STRUCT)
        t.elem &= (uint8_t)~FD_T_PTR;
    return t;
}
/* The compile-time type of a v1alpha1.FreightOriginKind: a string kind of
 * another Go type (elem FD_T_STRUCT; plain strings have elem FD_T_ANY). */
static inline struct fd_expr_type fd_expr_t_origin_kind(void)
{
    struct fd_expr_type t = fd_expr_t(FD_T_STRING);
    t.elem = FD_T_STRUCT;
    return t;
}
/* The compile-time type of a struct field. */
static inline struct fd_expr_type fd_expr_t_field(const struct fd_expr_gofield *f)
{
    return f->kind == FD_T_NAMED ? fd_expr_t_origin_kind() : fd_expr_t((enum fd_expr_tkind)f->kind);
}
/* The type of an item of arrays of type a (elem FD_T_ANY: interface {}). */
static inline struct fd_expr_type fd_expr_t_item(struct fd_expr_type a)
{
    if (a.elem == FD_T_INT64) { /* ([]int64: an int of elem FD_T_INT64) */
        struct fd_expr_type t = fd_expr_t(FD_T_INT);
        t.elem = FD_T_INT64;
        return t;
    }
    if (!FD_T_ARRAYS_DEPTH(a.elem))
        return fd_expr_t((enum fd_expr_tkind)a.elem);
    struct fd_expr_type t = fd_expr_t(FD_T_ARRAY);
    t.elem = (uint8_t)(a.elem - FD_T_ARRAYS_OF);
    return t;
}
/* The array type whose items are of type t, as v1.15.5's map() types its
 * result (reflect.SliceOf); deeper than FD_T_ARRAYS_DEPTH holds, the items
 * are []interface {}. */
static inline struct fd_expr_type fd_expr_t_array_of(struct fd_expr_type t)
{
    struct fd_expr_type a = fd_expr_t(FD_T_ARRAY);
    if (t.kind == FD_T_INT && t.elem == FD_T_INT64)
        a.elem = FD_T_INT64; /* []int64 (Argo's asInt, Unix()) */
    else if (t.kind != FD_T_ARRAY)
        a.elem = t.kind;
    else if (t.elem != FD_T_ANY && FD_T_ARRAYS_DEPTH(t.elem) < 3)
        a.elem = (uint8_t)(t.elem + FD_T_ARRAYS_OF);
    else
        a.elem = FD_T_ARRAY;
    return a;
}
/* The struct a *time.Location points at, which v1.17's checker makes of
 * one on either side of ?? (binaryNode's Deref): a time type, elem FD_T_MAP.
 * It has no methods. */
static inline bool fd_expr_t_location_struct(struct fd_expr_type t)
{
    return t.kind == FD_T_TIME && t.elem == FD_T_MAP;
}
/* t dereferenced (Nature.Deref): a *time.Location is its struct, the rest
 * stays as it is. */
static inline struct fd_expr_type fd_expr_t_deref(struct fd_expr_type t)
{
    if (t.kind == FD_T_TIME && t.elem == FD_T_STRING)
        t.elem = FD_T_MAP;
    return t;
}
/* A *time.Location (timezone(), Time.Location()): a time type, elem FD_T_STRING. */
static inline bool fd_expr_t_location(struct fd_expr_type t)
{
    return t.kind == FD_T_TIME && t.elem == FD_T_STRING;
}
/* An item of a []uint8: an integer, named uint8 in messages. */
static inline struct fd_expr_type fd_expr_t_uint8(void)
{
    struct fd_expr_type t = fd_expr_t(FD_T_INT);
    t.elem = FD_T_BYTES;
    return t;
}
/* Go name of a type for messages: "int", "float64", "[]float64", "interface {}"... */
const char *fd_expr_tname(struct fd_expr_type t);
/* The Go structs behind values freightdeck holds otherwise, whose fields are
 * all unexported (time/time.go, time/zoneinfo.go, Masterminds/semver's
 * version.go): reflect finds them by name and Interface() panics. */
enum fd_expr_hidden_struct {
    FD_EXPR_HIDDEN_TIME,     /* time.Time */
    FD_EXPR_HIDDEN_LOCATION, /* time.Location */
    FD_EXPR_HIDDEN_SEMVER,   /* semver.Version */
};
/* One such field: its name, its Go type's name, and that type as
 * freightdeck's checker knows it (FD_T_ANY for the types it has none of:
 * []time.zone...). */
struct fd_expr_hidden {
    const char *name, *go;
    uint8_t kind, elem;
};
/* The field of that struct the len bytes at name are, or NULL. */
const struct fd_expr_hidden *fd_expr_hidden_field(enum fd_expr_hidden_struct s, const char *name,
                                                  size_t len);
/* The field of the struct a time.Time or (*)time.Location value v is that
 * name is, or NULL. */
static inline const struct fd_expr_hidden *fd_expr_time_field(struct fd_expr_val v,
                                                              const char *name, size_t len)
{
    return fd_expr_hidden_field(
        fd_expr_is_location(v) ? FD_EXPR_HIDDEN_LOCATION : FD_EXPR_HIDDEN_TIME, name, len);
}
/* What the VM's Interface() panics with on reading one. */
#define FD_EXPR_HIDDEN_PANIC \
    "reflect.Value.Interface: cannot return value obtained from unexported field or method"
/* A builtin's (or Argo's, Kargo's function's) Go type as v1.17 prints it:
 * the elem of an FD_T_FUNC type; 0 (func(...interface {}) (interface {},
 * error)) for any other name. */
uint8_t fd_expr_func_type_index(const char *name, size_t len);
/* The static type of a value (top-level env names are typed this way). */
struct fd_expr_type fd_expr_type_of(struct fd_expr_val v);
/* true if t is int, float or unknown (may be a number at run time). */
static inline bool fd_expr_t_maybe_number(struct fd_expr_type t)
{
    return t.kind == FD_T_ANY || t.kind == FD_T_INT || t.kind == FD_T_FLOAT;
}

/* Go's math.Exp and math.Log as amd64 computes them (gomath.c), for Go's
 * math.Pow, the ** of expr. */
double fd_expr_go_exp(double x);
double fd_expr_go_log(double x);

struct fd_expr_tctx;
/* Records a compile error at argument argi (-1: at the call) and returns false. */
bool fd_expr_check_fail(struct fd_expr_tctx *tc, int argi, const char *fmt, ...) FD_PRINTF(3, 4);
/* Argument argi (a method's receiver first) of the call being checked is an
 * int for a float64 parameter: its integer literals become floats. */
void fd_expr_check_float_arg(struct fd_expr_tctx *tc, size_t argi, size_t nargs);
/* ... is an integer for a parameter of Kind int64 (v1.15.5: time.Duration):
 * an integer literal there is an int64 (traverseAndReplaceIntegerNodesWith
 * IntegerNodes, which the optimizer's fold of anything else undoes). */
void fd_expr_check_int64_arg(struct fd_expr_tctx *tc, size_t argi, size_t nargs);
/* Tells the checker how many of the call's arguments (a method's receiver
 * first) expr's checkArguments visits before every overload refuses one. */
void fd_expr_check_sig_reach(struct fd_expr_tctx *tc, int reach);
/* true when the program judges with expr v1.15.5 (compile and run). */
bool fd_expr_tctx_v115(const struct fd_expr_tctx *tc);
bool fd_expr_ctx_v115(const struct fd_expr_ctx *ctx);
/* Whether the method being called is one the checker did not know, which
 * the VM calls through reflect (OpMethod, OpCall): its arguments are not
 * type-asserted but converted by reflect.Value.Call. */
bool fd_expr_ctx_reflect_call(const struct fd_expr_ctx *ctx);
/* reflect.Kind's name of a value, as v1.15.5's builtins print it. */
const char *fd_expr_go_kind(struct fd_expr_val v);

/* ---- Builtin registration ---------------------------------------------------- */

/* args BORROWED, nargs within [min_args, max_args]; stores an OWNED result. */
typedef bool (*fd_expr_call_fn)(struct fd_expr_ctx *ctx, const struct fd_expr_val *args,
                                size_t nargs, struct fd_expr_val *out);
/* Validates argument types at compile time; stores the result type. */
typedef bool (*fd_expr_check_fn)(struct fd_expr_tctx *tc, const struct fd_expr_type *args,
                                 size_t nargs, struct fd_expr_type *ret);

#define FD_EXPR_MODE_BIT(id) (1u << FD_EXPR_MODE_##id)
#define FD_EXPR_MODES_ARGO   (FD_EXPR_MODE_BIT(ARGO) | FD_EXPR_MODE_BIT(ARGO_WEB))
#define FD_EXPR_MODES_KARGO  (FD_EXPR_MODE_BIT(KARGO) | FD_EXPR_MODE_BIT(KARGO_TEMPLATE))
#define FD_EXPR_VARIADIC     (-1)

/* How v1.17's VM calls a builtin, which decides what an unchecked call (an
 * argument of a callee Kargo does not define, which checker.go never
 * visits) does with a wrong number of arguments. */
enum fd_expr_go_call {
    FD_EXPR_GO_CHECKED,   /* the checker counts them: the methods */
    FD_EXPR_GO_FAST,      /* OpCallBuiltin1 pops one: the last; the others stay */
    FD_EXPR_GO_ARITY,     /* its Func counts them first, with the message ours has */
    FD_EXPR_GO_ANY,       /* its Func takes any number, as ours does (max, mean...) */
    FD_EXPR_GO_READS1,    /* its Func reads args[0] (a string but for toJSON's, Kargo's quote...) */
    FD_EXPR_GO_READS2,    /* ... args[0] and args[1]: fewer panic, more are ignored */
    FD_EXPR_GO_OPTIONAL2, /* reads args[1] when there are two, then args[0] */
    FD_EXPR_GO_RECOVERS,  /* reads args[0] and answers nil for any panic (first, last) */
    FD_EXPR_GO_GET,       /* counts at least two, reads two (get) */
    /* Argo's env functions, Go funcs of fixed parameters: vm.go OpCall,
     * reflect's Call (arity counted; a nil is the parameter's zero value in
     * v1.17, an interface {} in v1.15.5) */
    FD_EXPR_GO_REFLECT_ANY1,   /* func(any) (asInt, asFloat, isNil) */
    FD_EXPR_GO_REFLECT_FLOAT1, /* func(float64) (isNaN, isInf) */
    FD_EXPR_GO_REFLECT_ANY2,   /* func(any, any) (default) */
};

struct fd_expr_builtin {
    const char *name; /* NULL ends the table */
    fd_expr_call_fn call;
    fd_expr_check_fn check; /* NULL: no compile-time check, result FD_T_ANY */
    int8_t min_args;
    int8_t max_args;  /* FD_EXPR_VARIADIC for no upper bound */
    unsigned modes;   /* 0: every mode; else FD_EXPR_MODE_BIT(...) mask */
    uint8_t receiver; /* FD_VAL_NIL: a function; FD_VAL_TIME/DURATION: a method */
    /* v1.17 checks it with a Validate function (builtin/builtin.go), which
     * sees an argument of no type (unknown) as interface {} */
    bool validate;
    uint8_t go_call; /* enum fd_expr_go_call */
};

/* Defined in src/expr/builtins.c. */
extern const struct fd_expr_builtin fd_expr_builtin_table[];

/* Argo's condition env is one Go map of `result` and its functions
 * (utils/evaluate EvalCondition): env (BORROWED) with asInt, asFloat, isNaN,
 * isInf, isNil and default added as function values, OWNED; for a program
 * that reads $env. */
struct fd_expr_val fd_expr_argo_env(struct fd_expr_val env);

/* Finds a builtin (receiver FD_VAL_NIL) or method usable in mode; NULL if none. */
const struct fd_expr_builtin *fd_expr_builtin_find(const char *name, size_t len,
                                                   enum fd_expr_mode mode, uint8_t receiver);

/* ---- Templates (mode kargo-template), src/expr/template.c ---------------------- */
struct fd_expr_template;
/* Splits and compiles a "${{ }}" template. NULL and err filled on error. */
struct fd_expr_template *fd_expr_template_compile(const char *src, size_t len, const fd_value *env,
                                                  struct fd_expr_error *err);
/* Renders with Kargo's re-typing; 0 and an OWNED *out, or -1 and err. */
int fd_expr_template_run(const struct fd_expr_template *t, const fd_value *env,
                         struct fd_expr_val *out, struct fd_expr_error *err);
void fd_expr_template_free(struct fd_expr_template *t);

/* ---- Errors helpers for the core ------------------------------------------------ */
/* Fills err (phase, offset, line/column computed from source) with message. */
void fd_expr_error_set(struct fd_expr_error *err, enum fd_expr_phase phase, const char *source,
                       size_t srclen, size_t offset, const char *fmt, ...) FD_PRINTF(6, 7);

#endif /* FREIGHTDECK_EXPR_INTERNAL_H */

#ifndef FREIGHTDECK_EXPR_H
#define FREIGHTDECK_EXPR_H
/*
 * expr: an evaluator compatible with expr-lang/expr v1.17.8, the expression
 * language of Argo Rollouts analysis conditions and Kargo's ${{ }} templates.
 *
 * Usage: build an environment (a map value), compile once against it, run as
 * often as needed. A compiled program is immutable and may be run from several
 * threads at once. Values are immutable once built and reference counted.
 */

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/* ---- Modes ------------------------------------------------------------------
 * X-macro: enum, command-line name and description cannot drift. */
/* clang-format off */
#define FD_EXPR_MODE_TABLE(_)                                                     \
    _(EXPR,           "expr",           "plain expr-lang, strict names (expr.Env)") \
    _(ARGO,           "argo",           "Argo Rollouts condition, Prometheus result") \
    _(ARGO_WEB,       "argo-web",       "Argo Rollouts condition, Web (JSON) result")  \
    _(KARGO,          "kargo",          "Kargo expression, unknown names are nil")    \
    _(KARGO_TEMPLATE, "kargo-template", "Kargo ${{ }} template string")
/* clang-format on */

enum fd_expr_mode {
#define FD_EXPR_MODE_ENUM(id, name, help) FD_EXPR_MODE_##id,
    FD_EXPR_MODE_TABLE(FD_EXPR_MODE_ENUM)
#undef FD_EXPR_MODE_ENUM
        FD_EXPR_MODE__COUNT
};

/* Parses a mode's name ("argo"); false for an unknown name. */
bool fd_expr_mode_parse(const char *name, enum fd_expr_mode *out);

/* ---- Versions ----------------------------------------------------------------
 * The expr-lang release to judge with. Argo Rollouts releases before v1.10
 * (v1.7-v1.9) judge with v1.15.5 (github.com/antonmedv/expr), later ones
 * and Kargo with v1.17. X-macro: enum, name and description. */
/* clang-format off */
#define FD_EXPR_VERSION_TABLE(_)                                                      \
    _(V1_17, "1.17", "expr-lang v1.17.8 (Argo Rollouts v1.10 and later, Kargo)")        \
    _(V1_15, "1.15", "expr v1.15.5 (Argo Rollouts v1.7 to v1.9)")
/* clang-format on */

enum fd_expr_version {
#define FD_EXPR_VERSION_ENUM(id, name, help) FD_EXPR_##id,
    FD_EXPR_VERSION_TABLE(FD_EXPR_VERSION_ENUM)
#undef FD_EXPR_VERSION_ENUM
        FD_EXPR_VERSION__COUNT
};

/* "1.17" or "1.15"; "unknown" out of range. Static storage. */
const char *fd_expr_version_name(enum fd_expr_version v);
bool fd_expr_version_parse(const char *name, enum fd_expr_version *out);

/* A mode to be judged with version v: what fd_expr_compile and fd_expr_eval
 * take (the version rides in a bit above the mode; v1.17 is the mode itself).
 * Kargo modes are always v1.17. */
#define FD_EXPR_MODE_V1_15_BIT 0x100
static inline enum fd_expr_mode fd_expr_mode_at(enum fd_expr_mode mode, enum fd_expr_version v)
{
    return (enum fd_expr_mode)((unsigned)mode | (v == FD_EXPR_V1_15 ? FD_EXPR_MODE_V1_15_BIT : 0u));
}

/* ---- Values ---------------------------------------------------------------- */
enum fd_value_kind {
    FD_VAL_NIL,
    FD_VAL_BOOL,
    FD_VAL_INT,    /* int64, wraps like Go */
    FD_VAL_FLOAT,  /* float64 */
    FD_VAL_STRING, /* bytes, usually UTF-8, length-counted */
    FD_VAL_ARRAY,
    FD_VAL_MAP,      /* string keys */
    FD_VAL_DURATION, /* time.Duration, nanoseconds */
    FD_VAL_TIME,     /* time.Time */
    FD_VAL_FUNC,     /* a builtin or env function used as a value */
    FD_VAL_BYTES     /* a Go []byte (expr's b"..." literal): bytes, length-counted */
};

typedef struct fd_value fd_value;

/* Constructors return a new reference (never NULL; abort on out-of-memory). */
fd_value *fd_value_nil(void);
fd_value *fd_value_bool(bool b);
fd_value *fd_value_int(int64_t i);
fd_value *fd_value_float(double f);
fd_value *fd_value_string(const char *s);                  /* copies */
fd_value *fd_value_float_array(const double *v, size_t n); /* a Go []float64 */
fd_value *fd_value_array_new(void);                        /* a Go []any */
void fd_value_array_push(fd_value *array, fd_value *item); /* takes the item's reference */
fd_value *fd_value_map_new(void);                          /* a Go map[string]any */
void fd_value_map_set(fd_value *map, const char *key, fd_value *item); /* takes item */

fd_value *fd_value_ref(const fd_value *v);
void fd_value_unref(fd_value *v); /* NULL is allowed */

enum fd_value_kind fd_value_kind(const fd_value *v);
bool fd_value_as_bool(const fd_value *v, bool *out);     /* false if not a bool */
bool fd_value_as_number(const fd_value *v, double *out); /* int or float */
/* The bytes of a string value (NUL-terminated, *len bytes; len may be NULL),
 * borrowed for as long as v lives; NULL when v is not a string. */
const char *fd_value_as_string(const fd_value *v, size_t *len);
/* A time.Time as the instant's Unix seconds and nanoseconds (0..999999999);
 * false when v is not a time. */
bool fd_value_as_time(const fd_value *v, int64_t *sec, int32_t *nsec);
/* The number of items of an array or entries of a map; false for other kinds. */
bool fd_value_len(const fd_value *v, size_t *n);
/* Go's %T name of the value as Argo would print it: "bool", "int", "float64",
 * "string", "[]interface {}", "[]float64", "map[string]interface {}", "<nil>". */
const char *fd_value_go_type(const fd_value *v);

/* JSON in. numbers_as_floats: every number becomes a float (Argo, fromJSON);
 * otherwise a number written without '.', 'e' or 'E' is an int. An object
 * {"$float": "NaN"|"+Inf"|"-Inf"} is that special float. Never fails. */
fd_value *fd_value_from_json(const json_t *json, bool numbers_as_floats);

/* The freightdeck JSON text of a value (the `eval` output contract): floats
 * always carry '.' or an exponent ("2.0", "1e+21"), NaN/Inf as {"$float":..},
 * durations {"$duration": NS}, times {"$time": "RFC3339Nano"}, a map with
 * keys of other types than string (groupBy's) {"$map": [[KEY, VALUE], ...]}
 * ordered by the key's text, map keys
 * sorted, compact. The caller frees the string. */
char *fd_value_to_json_text(const fd_value *v);

/* ---- Errors ----------------------------------------------------------------- */
enum fd_expr_phase { FD_EXPR_PHASE_COMPILE, FD_EXPR_PHASE_RUN };

struct fd_expr_error {
    enum fd_expr_phase phase;
    size_t offset;     /* byte offset into the source of the fault */
    int line, column;  /* 1-based; column counts runes as expr does */
    char message[512]; /* expr-lang's wording, e.g. "unknown name foo (1:1)" minus
                          the position suffix, which format adds */
    /* When sub_len > 0 the fault lies in source[sub_off, sub_off + sub_len),
     * compiled on its own (a ${{ }} body of a Kargo template): line, column
     * and offset count from sub_off, and format shows that part only, as
     * Kargo does. */
    size_t sub_off, sub_len;
    /* judged by expr v1.15.5, whose file/error.go Bind draws no caret line
     * when a rune up to the column is a multi-byte one */
    bool v115;
};

/* Formats "message (line:col)\n | source line\n | ....^" as expr-lang prints
 * it (just the message when line is 0). The caller frees the string. */
char *fd_expr_error_format(const struct fd_expr_error *err, const char *source);
/* The len bytes at s (a NUL among them too) as Go's strconv.Quote (fmt's
 * %q) writes them: a new string, the caller frees. */
char *fd_expr_go_quote(const char *s, size_t len);
/* encoding/json's checkValid, what json.Unmarshal runs first: true when
 * the len bytes are one JSON value; else false with Go's message in err
 * ("invalid character 'v' in string escape code"), errlen bytes at most. */
bool fd_expr_go_json_valid(const char *src, size_t len, char *err, size_t errlen);

/* ---- Compile and run ---------------------------------------------------------- */
typedef struct fd_expr_program fd_expr_program;

/* Limit on syntactic nesting; deeper input fails to compile with a clear
 * "nesting deeper than 256" error instead of exhausting the stack. */
#define FD_EXPR_MAX_DEPTH 256

/* Compiles source in a mode against env (a map value, or NULL for empty).
 * Top-level names are typed from env's values as expr.Env does; in the argo
 * modes `result` and the Argo functions come from env["result"].
 * Returns NULL and fills err on a syntax or type error. */
fd_expr_program *fd_expr_compile(const char *source, size_t len, enum fd_expr_mode mode,
                                 const fd_value *env, struct fd_expr_error *err);
void fd_expr_program_free(fd_expr_program *p); /* NULL is allowed */

/* Runs a program against env (which must have the same types as at compile
 * time). On success returns 0 and stores a new reference in *out; on a run
 * error returns -1 and fills err (*out is set to NULL). Thread-safe. */
int fd_expr_run(const fd_expr_program *p, const fd_value *env, fd_value **out,
                struct fd_expr_error *err);

/* The flag the calling thread's runs poll (once every 4,096 turns of a
 * predicate's loop): once it reads true, fd_expr_run fails with "evaluation
 * canceled". NULL, the default, for none. expr has no time bound, so a
 * condition may loop for hours (as in Argo's controller): a worker whose
 * answer nobody waits for any more (the console's what-if, closed) sets its
 * flag and stops. The flag must outlive the thread's runs. */
void fd_expr_cancel_flag(const atomic_bool *flag);

/* Compile + run in one call: what Argo does per measurement. Same contract as
 * fd_expr_run. */
int fd_expr_eval(const char *source, size_t len, enum fd_expr_mode mode, const fd_value *env,
                 fd_value **out, struct fd_expr_error *err);

/* ---- Kargo's cluster functions ----------------------------------------------
 * Kargo's pkg/expressions/function gives verification args and promotion steps
 * commitFrom, imageFrom, chartFrom, artifactFrom, warehouse, freightMetadata,
 * stageMetadata, configMap, secret, sharedConfigMap and sharedSecret, which
 * read the Stage's Freight and the project's (and the shared) objects. The evaluator reads nothing
 * itself: the caller hands it what a Kargo controller would see, and the functions look objects up
 * through get(). Without it (plain `eval`) they fail with a message that says
 * so; semverParse and semverDiff need nothing and work in every Kargo mode. */
struct fd_expr_kargo_objects {
    const char *project;             /* the project namespace */
    const json_t *requested_freight; /* the Stage's spec.requestedFreight (array) */
    const json_t *freight;           /* the collection verified: an object or array
                                        of FreightReferences ({name, origin, commits,
                                        images, charts, artifacts}) */
    /* The object of kind ("Warehouse", "Freight", "Stage", "ConfigMap",
     * "Secret") called name in namespace ns (the project's, or
     * shared_namespace for sharedConfigMap() and sharedSecret()): a new
     * reference; NULL with *err left NULL when it does not exist; NULL with
     * *err set (caller frees) when it could not be read. */
    json_t *(*get)(void *ud, const char *kind, const char *ns, const char *name, char **err);
    void *ud;
    /* The controller's SHARED_RESOURCES_NAMESPACE; NULL: Kargo's chart
     * default, "kargo-shared-resources". */
    const char *shared_namespace;
    /* Filled while evaluating: every value secret() returned (an array of
     * strings, NULL until one is read), so that the caller can redact them.
     * fd_expr_kargo_objects_clear releases it. */
    json_t *secrets;
};

/* fd_expr_eval (mode kargo or kargo-template) with the cluster functions
 * reading objs (NULL: none). Same contract as fd_expr_eval; a run error
 * never holds a secret's value (see fd_expr_kargo_redact). Thread-safe:
 * objs is used by this call only. */
int fd_expr_kargo_eval(const char *source, size_t len, enum fd_expr_mode mode, const fd_value *env,
                       struct fd_expr_kargo_objects *objs, fd_value **out,
                       struct fd_expr_error *err);
/* text with every secret value objs->secrets holds replaced by "<redacted>";
 * a new string the caller frees. */
char *fd_expr_kargo_redact(const struct fd_expr_kargo_objects *objs, const char *text);
/* true when text contains one of the secret values read so far. */
bool fd_expr_kargo_has_secret(const struct fd_expr_kargo_objects *objs, const char *text);
void fd_expr_kargo_objects_clear(struct fd_expr_kargo_objects *objs);

/* ---- The `eval` command's JSON contract (shared with its fuzz target) ---- */

/* Builds the env of a mode (with or without its version bit) from a JSON
 * object (NULL: empty): in the argo
 * modes every number is a float, and in mode argo env["result"] is typed as
 * Prometheus gives it (a number -> float64, an array of numbers ->
 * []float64). Returns a new map value, or NULL when json is not an object. */
fd_value *fd_expr_env_from_json(const json_t *json, enum fd_expr_mode mode);

/* fd_expr_jsonl_line judging with version v. */
char *fd_expr_jsonl_line_at(const char *line, size_t len, enum fd_expr_version v);

/* Evaluates one `eval --jsonl` input line {"expr": S, "env": OBJECT,
 * "mode": M} and returns the output line without newline:
 * {"ok": true, "value": V} or {"ok": false, "error": S}; a malformed line
 * yields an ok:false line naming the problem. Never NULL; the caller frees. */
char *fd_expr_jsonl_line(const char *line, size_t len);

#endif /* FREIGHTDECK_EXPR_H */

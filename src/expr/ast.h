#ifndef FREIGHTDECK_EXPR_AST_H
#define FREIGHTDECK_EXPR_AST_H
/*
 * src/expr/ast.h: tokens, the syntax tree the parser builds, the checker
 * annotates and the evaluator walks, and the compiled program.
 */

#include <string.h>

#include "internal.h"
#include "freightdeck/regex.h"

/* ---- Lexer ---- */
/* TK_LEXERR: where v1.17's lexer failed; it lexes as the parser asks for
 * tokens (lexer.go Next), so the error shows once the parser moves onto it,
 * after any syntax error before it. */
enum fd_tok_kind { TK_EOF, TK_IDENT, TK_NUMBER, TK_STRING, TK_OP, TK_BRACKET, TK_LEXERR };

struct fd_tok {
    uint8_t kind;
    uint32_t pos;     /* byte offset */
    uint32_t len;     /* bytes of source text */
    const char *text; /* source text (not terminated) */
    char *str;        /* TK_STRING: unescaped value (owned by the token list) */
    size_t strlen;
};

struct fd_toks {
    struct fd_tok *t;
    size_t n, cap;
    bool lexerr; /* the last token is TK_LEXERR, its error in the lexer's err */
};

/* Tokenizes src. Returns false and fills err on a lexing error. */
bool fd_expr_lex(const char *src, size_t len, bool v115, struct fd_toks *out,
                 struct fd_expr_error *err);
void fd_expr_toks_free(struct fd_toks *t);
/* Whether t is of kind and (text != NULL) spells text. Inline so that the
 * parser's many tests against literals compile to a length and byte check. */
static inline bool fd_tok_is(const struct fd_tok *t, enum fd_tok_kind kind, const char *text)
{
    if (t->kind != kind)
        return false;
    if (!text)
        return true;
    size_t n = strlen(text);
    if (t->len != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (t->text[i] != text[i])
            return false;
    return true;
}

/* ---- Syntax tree ---- */
/* clang-format off */
#define FD_EXPR_BINOPS(_)                                                                  \
    _(OR, "||") _(AND, "&&") _(EQ, "==") _(NE, "!=") _(LT, "<") _(GT, ">") _(LE, "<=")      \
    _(GE, ">=") _(IN, "in") _(MATCHES, "matches") _(CONTAINS, "contains")                    \
    _(STARTS, "startsWith") _(ENDS, "endsWith") _(RANGE, "..") _(ADD, "+") _(SUB, "-")        \
    _(MUL, "*") _(DIV, "/") _(MOD, "%") _(POW, "**") _(NULLISH, "??") _(NOT, "not")          \
    _(NEG, "-") _(PLUS, "+")
/* clang-format on */

enum fd_op {
#define FD_OP_ENUM(id, text) OP_##id,
    FD_EXPR_BINOPS(FD_OP_ENUM)
#undef FD_OP_ENUM
        OP__COUNT
};
const char *fd_expr_op_text(int op);

/* clang-format off */
#define FD_EXPR_PREDICATES(_)                                                              \
    _(ALL, "all") _(ANY, "any") _(NONE, "none") _(ONE, "one") _(FILTER, "filter")            \
    _(MAP, "map") _(COUNT, "count") _(SUM, "sum") _(FIND, "find")                           \
    _(FINDINDEX, "findIndex") _(FINDLAST, "findLast") _(FINDLASTINDEX, "findLastIndex")     \
    _(GROUPBY, "groupBy") _(SORTBY, "sortBy") _(REDUCE, "reduce")
/* clang-format on */

enum fd_pred {
#define FD_PRED_ENUM(id, text) PRED_##id,
    FD_EXPR_PREDICATES(FD_PRED_ENUM)
#undef FD_PRED_ENUM
        PRED__COUNT
};

enum fd_node_kind {
    N_CONST,   /* val (nil, bool, int, float, string, folded constants) */
    N_IDENT,   /* name: a let variable, env name, $env or a builtin used as value */
    N_POINTER, /* # (name ""), #index, #acc */
    N_UNARY,   /* op, a */
    N_BINARY,  /* op, a, b */
    N_CHAIN,   /* a: a member chain containing ?. */
    N_MEMBER,  /* a[b] / a.b; flags: optional */
    N_SLICE,   /* a[b:c], b/c may be NULL */
    N_CALL,    /* callee a (IDENT or MEMBER), args */
    N_LEN,     /* len(args[0]) */
    N_PRED,    /* pred, args[0] collection, args[1] predicate body, args[2] optional */
    N_LET,     /* name = a; b */
    N_COND,    /* a ? b : c / if a {b} else {c} */
    N_ARRAY,   /* args */
    N_MAP,     /* args: key, value, key, value ... */
    N_SEQ      /* args: evaluated in order, last value */
};

/* How the evaluator may read a node without walking it (set by the checker
 * once the tree is final; FK_NONE: evaluate normally). */
enum fd_fast_kind {
    FK_NONE,
    FK_CONST,  /* val */
    FK_IDENT,  /* a let variable, env name, $env or builtin value */
    FK_ELEM,   /* # */
    FK_MEMBER, /* leaf[constant] (not ?.) whose base is FK_CONST/IDENT/ELEM */
    FK_LEN,    /* len(leaf) */
    FK_CMP,    /* <, >, <=, >= of two nodes of the kinds above */
    FK_LOGIC   /* && or || whose left operand is FK_CMP or FK_LOGIC */
};

#define NF_OPTIONAL 1u /* member accessed with ?. */
#define NF_METHOD   2u /* member is called */
#define NF_OWNED    4u /* registered in the program's owned list */
/* an argument for a float64 parameter whose integer literals the checker
 * made floats (checker.go traverseAndReplaceIntegerNodesWithFloatNodes):
 * an int it gives at run time is a float64 */
#define NF_TOFLOAT 8u
/* a range of two integer literals that v1.15.5's optimizer made a
 * constant (optimizer/const_range.go): the VM's memory budget never sees it */
#define NF_CONSTRANGE 16u
/* a constant folded here that expr's optimizer leaves to the VM (a
 * comparison, a member...): no BoolNode for optimizer/fold.go's `and` and
 * `or`, which would skip the other operand */
#define NF_LATEFOLD 32u
/* a find or findLast that expr's optimizer made of filter(...)[0] or
 * [-1] (optimizer/filter_first.go, filter_last.go): when nothing matches it
 * fails as the index would */
#define NF_THROWS 64u
/* a constant this checker folded from a node it had typed otherwise (an
 * unknown ?? or -(1 ?? 0.5)): checked again (the middle operand of a
 * chained comparison), it keeps that type, as upstream's unfolded node does */
#define NF_KEEPTYPE 128u
/* x in [literals]: an array of string (or, x an int, integer) literals
 * that expr's optimizer made a Go map (optimizer/in_array.go): the needle
 * must fit its key type, as MapIndex asks */
#define NF_INSET 256u
/* a builtin called among an unknown callee's arguments, which checker.go
 * never visits: its Go Func, or the VM's OpCallBuiltin1, meets whatever
 * arguments there are (enum fd_expr_go_call) */
#define NF_UNCHECKED 512u
/* a chain (?.) that is an operand of ??: v1.17 leaves its typed nil as it
 * is for the ?? (compiler.go ChainNode); any other chain ends in a plain nil */
#define NF_NULLISH_OPERAND 1024u
/* an array of int, float, string and bool literals that expr's fold.go
 * made one constant: no OpArray, nothing counted against the memory budget */
#define NF_CONSTARRAY 2048u
/* a number literal as written (an IntegerNode the checker may retype) */
#define NF_LITERAL 4096u
/* a call of a name the env holds, which v1.17's parser takes over a
 * builtin of that name (conf.Config IsOverridden) */
#define NF_ENVCALL 8192u
/* a binary operator written its other way, ^ for **, and for &&, or for ||
 * (BinaryNode.Operator is the text: its messages say so) */
#define NF_ALT_SPELLING 16384u

/* The pos of a node upstream gives no location (one its optimizer makes, or
 * a v1.15.5 ConditionalNode): an error there names no position. */
#define FD_EXPR_NO_POS UINT32_MAX

/* What v1.17's checker knows of an array's items (Nature.Ref): their type,
 * and what it knows of their own items ([[[1]]]: three levels), in the
 * program's arena, shared and never changed. */
struct fd_items {
    struct fd_expr_type type;
    const struct fd_items *items;
};

struct fd_node {
    uint8_t kind;
    uint8_t op; /* enum fd_op / enum fd_pred */
    uint16_t flags;
    uint8_t fk;               /* enum fd_fast_kind */
    struct fd_expr_type type; /* set by the checker */
    /* Checker only, v1.17's Nature.Ref: an array whose items are known to
     * share one type (the literal [1, 2], 1..3, what filter keeps) while its
     * Go type stays []interface {}; NULL when nothing is known. */
    const struct fd_items *items;
    uint32_t pos;           /* byte offset of the node's token */
    uint32_t pred_pos;      /* a predicate argument: its first token ('{'), where
                               expr's ClosureNode and its checker errors point */
    struct fd_expr_val val; /* N_CONST (owned); N_IDENT: see envidx */
    const char *name;       /* N_IDENT, N_POINTER, N_LET: points into the source */
    uint32_t namelen;
    struct fd_node *a, *b, *c;
    struct fd_node **args;
    uint32_t nargs;
    /* Resolved by the checker. */
    int32_t slot;    /* N_IDENT: let slot (>= 0), or -1 env/-2 $env/-3 builtin value
                        (nil)/-4 Argo env function value (fn) */
    uint32_t envidx; /* N_IDENT env name: its index in the compile-time env map
                        (UINT32_MAX: none), tried first at run time; val then
                        holds (owned) that map's key string */
    int32_t depth;   /* N_LET: slot it binds */
    /* N_PRED count: stop counting once this many items matched (0: never),
     * as optimizer/count_threshold.go makes v1.17 do */
    int32_t threshold;
    const struct fd_expr_builtin *fn; /* N_CALL of a builtin */
    struct fd_regex *re;              /* N_BINARY matches with a constant pattern */
};

/* Every node of a program lives in one arena, freed at once. */
struct fd_expr_arena_block;
struct fd_expr_arena {
    struct fd_expr_arena_block *head;
};
void fd_expr_arena_free(struct fd_expr_arena *a);
/* size zeroed bytes that live as long as the arena. */
void *fd_expr_arena_alloc(struct fd_expr_arena *a, size_t size);

struct fd_parse {
    const char *src;
    size_t len;
    struct fd_toks toks;
    size_t pos;             /* current token */
    int depth;              /* predicate depth */
    int nesting;            /* recursion guard */
    unsigned gonodes;       /* the nodes expr v1.17's parser would have made (go_node) */
    struct fd_expr_val env; /* the env's values (BORROWED; nil: none) */
    struct fd_expr_arena *arena;
    struct fd_expr_program *prog;
    struct fd_expr_error *err;
    bool failed;
    struct fd_expr_error lexerr; /* toks.lexerr: the lexer's error */
};

/* Parses src into a tree allocated in arena. NULL and err on a syntax error. */
struct fd_expr_program;
struct fd_node *fd_expr_parse(struct fd_expr_program *prog, const fd_value *env,
                              struct fd_expr_error *err);

/* ---- Compiled program ---- */
struct fd_expr_program {
    enum fd_expr_mode mode;
    bool v115; /* judge with expr v1.15.5 (FD_EXPR_MODE_V1_15_BIT) */
    char *src;
    size_t len;
    struct fd_expr_arena arena;
    struct fd_node *root;
    int nslots;                    /* let variables */
    int maxdepth;                  /* predicate nesting */
    struct fd_expr_template *tmpl; /* mode kargo-template */
    /* an Argo condition reading $env: it runs against fd_expr_argo_env */
    bool argo_env;
    /* the tree has a predicate or an `in` the optimizer may rewrite
     * (optimize.c runs only then: compile time of simple conditions) */
    bool optimizable;
    /* the tree has a float constant 0 or -0 (optimize.c share_zeros) */
    bool float_zero;
    /* Nodes owning a value or a regex, released with the program. */
    struct fd_node **owned;
    size_t nowned, capowned;
    struct fd_regex **res; /* compiled constant patterns */
    size_t nres, capres;
};

/* Checks and resolves the tree against the env types; folds constants.
 * false and err on a compile error. */
bool fd_expr_check(struct fd_expr_program *p, const fd_value *env, struct fd_expr_error *err);
/* expr's optimizer passes that change what runs (optimize.c), on a checked
 * tree. */
void fd_expr_optimize(struct fd_expr_program *p);
void fd_expr_program_own(struct fd_expr_program *p, struct fd_node *n);

/* expr v1.17's node budget (conf.DefaultMaxNodes): its parser refuses the
 * node past it; v1.15.5 had none. */
#define FD_EXPR_MAX_NODES 10000

/* Tree depth the checker and evaluator accept (long operator chains build
 * deep trees without deep parser recursion); deeper fails with "nesting
 * deeper than 1024". expr's Go recursion goes as deep as its 10,000-node
 * limit; the C stack cannot (doc/upstream.md). */
#define FD_EXPR_MAX_TREE 1024

/* Evaluates a checked program. */
int fd_expr_exec(const struct fd_expr_program *p, struct fd_expr_val env, struct fd_expr_val *out,
                 struct fd_expr_error *err);

/* Regex support: regex.h (RE2). */

/* The program's mode with its version bit, as fd_expr_builtin_find takes it. */
static inline enum fd_expr_mode fd_expr_prog_mode(const struct fd_expr_program *p)
{
    return fd_expr_mode_at(p->mode, p->v115 ? FD_EXPR_V1_15 : FD_EXPR_V1_17);
}

#endif

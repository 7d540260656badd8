/* expr/parser.c: expr-lang's precedence-climbing parser (parser/parser.go):
 * operators and their precedence, chained comparisons, `not in`, pipes,
 * predicates, let, if/else, ternary and Elvis, sequences, member chains. */
#include "config.h"

#include "ast.h"
#include "builtins.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Arena ---- */
struct fd_expr_arena_block {
    struct fd_expr_arena_block *next;
    size_t used, size;
    max_align_t data[];
};

void *fd_expr_arena_alloc(struct fd_expr_arena *a, size_t size)
{
    size = (size + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    struct fd_expr_arena_block *b = a->head;
    if (!b || b->size - b->used < size) {
        size_t bs = size > 4096 ? size : 4096;
        b = fd_xmalloc(sizeof(*b) + bs);
        b->next = a->head;
        b->used = 0;
        b->size = bs;
        a->head = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += size;
    memset(p, 0, size);
    return p;
}

void fd_expr_arena_free(struct fd_expr_arena *a)
{
    while (a->head) {
        struct fd_expr_arena_block *n = a->head->next;
        free(a->head);
        a->head = n;
    }
}

/* ---- Operators (parser/operator/operator.go) ---- */
struct binop {
    const char *text;
    size_t len; /* of text: the table is searched for every operator token */
    int prec;
    bool right;
    int op;
};
#define BINOP(text, prec, right, op)            \
    {                                           \
        text, sizeof(text) - 1, prec, right, op \
    }
static const struct binop binops[] = {
    BINOP("|", 0, false, -1),
    BINOP("or", 10, false, OP_OR),
    BINOP("||", 10, false, OP_OR),
    BINOP("and", 15, false, OP_AND),
    BINOP("&&", 15, false, OP_AND),
    BINOP("==", 20, false, OP_EQ),
    BINOP("!=", 20, false, OP_NE),
    BINOP("<", 20, false, OP_LT),
    BINOP(">", 20, false, OP_GT),
    BINOP(">=", 20, false, OP_GE),
    BINOP("<=", 20, false, OP_LE),
    BINOP("in", 20, false, OP_IN),
    BINOP("matches", 20, false, OP_MATCHES),
    BINOP("contains", 20, false, OP_CONTAINS),
    BINOP("startsWith", 20, false, OP_STARTS),
    BINOP("endsWith", 20, false, OP_ENDS),
    BINOP("..", 25, false, OP_RANGE),
    BINOP("+", 30, false, OP_ADD),
    BINOP("-", 30, false, OP_SUB),
    BINOP("*", 60, false, OP_MUL),
    BINOP("/", 60, false, OP_DIV),
    BINOP("%", 60, false, OP_MOD),
    BINOP("**", 100, true, OP_POW),
    BINOP("^", 100, true, OP_POW),
    BINOP("??", 500, false, OP_NULLISH),
};

static const char *const op_texts[] = {
#define FD_OP_TEXT(id, text) text,
    FD_EXPR_BINOPS(FD_OP_TEXT)
#undef FD_OP_TEXT
};

const char *fd_expr_op_text(int op)
{
    return op >= 0 && op < OP__COUNT ? op_texts[op] : "?";
}

/* binops by first byte (at most BINOP_BUCKET share one), built once: the
 * parser looks every operator token up. */
#define BINOP_BUCKET 4
static int8_t binop_bucket[256][BINOP_BUCKET];
static pthread_once_t binop_once = PTHREAD_ONCE_INIT;

static void binop_bucket_init(void)
{
    memset(binop_bucket, -1, sizeof(binop_bucket));
    for (size_t i = 0; i < FD_ARRAY_SIZE(binops); i++) {
        int8_t *b = binop_bucket[(unsigned char)binops[i].text[0]];
        int k = 0;
        while (k < BINOP_BUCKET && b[k] >= 0)
            k++;
        if (k == BINOP_BUCKET)
            fd_fatal("expr: too many operators starting with '%c'", binops[i].text[0]);
        b[k] = (int8_t)i;
    }
}

static const struct binop *find_binop(const struct fd_tok *t)
{
    if (t->kind != TK_OP || t->len == 0)
        return NULL;
    pthread_once(&binop_once, binop_bucket_init);
    const int8_t *b = binop_bucket[(unsigned char)t->text[0]];
    for (int k = 0; k < BINOP_BUCKET && b[k] >= 0; k++) {
        const struct binop *op = &binops[b[k]];
        if (t->len == op->len && memcmp(t->text, op->text, t->len) == 0)
            return op;
    }
    return NULL;
}

static const struct {
    const char *text;
    size_t len;
} pred_names[] = {
#define FD_PRED_NAME(id, text) {text, sizeof(text) - 1},
    FD_EXPR_PREDICATES(FD_PRED_NAME)
#undef FD_PRED_NAME
};

static int find_pred(const struct fd_tok *t)
{
    if (t->kind != TK_IDENT)
        return -1;
    for (int i = 0; i < PRED__COUNT; i++)
        if (t->len == pred_names[i].len && t->text[0] == pred_names[i].text[0] &&
            memcmp(t->text, pred_names[i].text, t->len) == 0)
            return i;
    return -1;
}

/* ---- Parser state ---- */
static struct fd_tok *cur(struct fd_parse *p)
{
    return &p->toks.t[p->pos];
}

static void error_at(struct fd_parse *p, const struct fd_tok *t, const char *fmt, ...)
    FD_PRINTF(3, 4);
static void error_at(struct fd_parse *p, const struct fd_tok *t, const char *fmt, ...)
{
    va_list ap;
    char msg[400];

    if (p->failed)
        return;
    p->failed = true;
    va_start(ap, fmt);
    fd_utf8_cut(msg, sizeof(msg), vsnprintf(msg, sizeof(msg), fmt, ap));
    va_end(ap);
    fd_expr_error_set(p->err, FD_EXPR_PHASE_COMPILE, p->src, p->len, t->pos, "%s", msg);
}

/* TK_LEXERR is only ever described after its error was raised, for a
 * message that is then dropped */
static const char *const kind_names[] = {"EOF",      "Identifier", "Number", "String",
                                         "Operator", "Bracket",    "Error"};

/* Go's Token.String(): Kind("value"), or just the kind when empty. */
/* A token as Go's Token.String prints it: Kind("value") with the value
 * Go-quoted (%#v), or EOF. */
/* b"..." or B"..." (lexer.go's Bytes token): a string token whose text
 * starts with the b, not a quote */
static bool tok_bytes(const struct fd_tok *t)
{
    return t->kind == TK_STRING && t->len > 0 && (t->text[0] | 0x20) == 'b';
}

static void tok_desc(struct fd_buf *b, const struct fd_tok *t)
{
    if (t->kind == TK_EOF) {
        fd_buf_puts(b, "EOF");
        return;
    }
    const char *text = t->kind == TK_STRING ? t->str : t->text;
    size_t n = t->kind == TK_STRING ? t->strlen : t->len;
    /* b"..." is lexer.go's Bytes token (v1.15.5 never gets here with one) */
    const char *kind = tok_bytes(t) ? "Bytes" : kind_names[t->kind];
    if (n == 0) { /* token.go String: the kind alone for an empty value */
        fd_buf_puts(b, kind);
        return;
    }
    fd_buf_printf(b, "%s(", kind);
    fd_expr_bi_go_quote(b, text, n > 200 ? 200 : n);
    fd_buf_putc(b, ')');
}

/* v1.15.5 had no b'...' literals: it read an identifier b, then a string. */
static bool v115_bytes(const struct fd_parse *p, const struct fd_tok *t)
{
    return p->prog->v115 && tok_bytes(t);
}

/* Where v1.15.5 took the name b (or B) of a b'...' as the identifier it
 * wanted, its next expectation met the string: an error at the string. */
static void v115_bytes_rest(struct fd_parse *p, const struct fd_tok *t)
{
    struct fd_tok rest = *t;
    struct fd_buf d = FD_BUF_INIT;

    rest.pos = t->pos + 1;
    rest.text = t->text + 1; /* a String token after the name */
    rest.len = t->len - 1;
    tok_desc(&d, &rest);
    error_at(p, &rest, "unexpected token %s", fd_buf_cstr(&d));
    fd_buf_free(&d);
}

static void unexpected(struct fd_parse *p, const struct fd_tok *t)
{
    struct fd_buf b = FD_BUF_INIT;

    if (v115_bytes(p, t)) {
        error_at(p, t, "unexpected token Identifier(\"%c\")", t->text[0]);
        return;
    }
    tok_desc(&b, t);
    error_at(p, t, "unexpected token %s", fd_buf_cstr(&b));
    fd_buf_free(&b);
}

static void next(struct fd_parse *p)
{
    if (p->pos + 1 < p->toks.n)
        p->pos++;
    else
        error_at(p, cur(p), "unexpected end of expression");
    /* parser.go next: the lexer's error replaces whatever the parser
     * reported before (which goes on after its first error) */
    if (cur(p)->kind == TK_LEXERR) {
        p->failed = true;
        *p->err = p->lexerr;
    }
}

static bool expect(struct fd_parse *p, enum fd_tok_kind kind, const char *text)
{
    if (fd_tok_is(cur(p), kind, text)) {
        next(p);
        return true;
    }
    if (kind == TK_IDENT && !text && v115_bytes(p, cur(p)))
        v115_bytes_rest(p, cur(p));
    else
        unexpected(p, cur(p));
    return false;
}

static struct fd_node *node(struct fd_parse *p, enum fd_node_kind kind, const struct fd_tok *t)
{
    struct fd_node *n = fd_expr_arena_alloc(p->arena, sizeof(*n));

    n->kind = (uint8_t)kind;
    n->pos = t->pos;
    n->slot = -1;
    n->envidx = UINT32_MAX;
    return n;
}

/* parser.go createNode (v1.17): every node its parser creates counts
 * against the budget (checkNodeLimit), and the one past it fails where the
 * parser stands. Called where parser.go calls createNode, which is not
 * always where this parser allocates its node (nor one for one: a member's
 * property is a node there, a non-builtin callee too, a predicate wraps its
 * body). Returns false where createNode returns nil, after any error: where
 * parser.go then returns at once, so must the caller, for what the parser
 * reads after an error decides whether it meets a lexer error further on,
 * which replaces the first error (next). */
static bool go_node(struct fd_parse *p)
{
    if (!p->prog->v115 && ++p->gonodes > FD_EXPR_MAX_NODES)
        error_at(p, cur(p), "compilation failed: expression exceeds maximum allowed nodes");
    return !p->failed;
}

/* A constant node; its value is released with the program. */
static struct fd_node *const_node(struct fd_parse *p, const struct fd_tok *t, struct fd_expr_val v)
{
    struct fd_node *n = node(p, N_CONST, t);
    n->val = v;
    fd_expr_program_own(p->prog, n);
    return n;
}

static struct fd_node *nil_node(struct fd_parse *p)
{
    return node(p, N_CONST, cur(p));
}

/* Growable argument lists, copied into the arena when done. The first
 * items live in the list itself: most lists are short, and a heap buffer
 * per call or sequence was a visible part of compile time. */
#define NODELIST_SMALL 8
struct nodelist {
    struct fd_node **v; /* small, or a heap buffer once it overflows */
    size_t n, cap;
    struct fd_node *small[NODELIST_SMALL];
};

static void list_push(struct nodelist *l, struct fd_node *n)
{
    if (l->n == l->cap) {
        if (!l->v) {
            l->v = l->small;
            l->cap = NODELIST_SMALL;
        } else {
            struct fd_node **heap = l->v == l->small ? NULL : l->v;
            l->cap *= 2;
            heap = fd_xreallocarray(heap, l->cap, sizeof(*heap));
            if (l->v == l->small)
                memcpy(heap, l->small, sizeof(l->small));
            l->v = heap;
        }
    }
    l->v[l->n++] = n;
}

static void list_free(struct nodelist *l)
{
    if (l->v != l->small)
        free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

static void list_store(struct fd_parse *p, struct nodelist *l, struct fd_node *n)
{
    n->nargs = (uint32_t)l->n;
    if (l->n) {
        n->args = fd_expr_arena_alloc(p->arena, l->n * sizeof(*n->args));
        memcpy(n->args, l->v, l->n * sizeof(*n->args));
    }
    list_free(l);
}

static struct fd_node *parse_expression(struct fd_parse *p, int prec);
static struct fd_node *parse_sequence(struct fd_parse *p);
static struct fd_node *parse_postfix(struct fd_parse *p, struct fd_node *n);

static bool enter(struct fd_parse *p)
{
    if (++p->nesting > FD_EXPR_MAX_DEPTH) {
        error_at(p, cur(p), "nesting deeper than %d", FD_EXPR_MAX_DEPTH);
        return false;
    }
    return true;
}

static struct fd_node *parse_sequence(struct fd_parse *p)
{
    struct nodelist l = {0};
    struct fd_tok *first = cur(p);
    struct fd_node *n = parse_expression(p, 0);

    list_push(&l, n);
    /* v1.15.5 knows `;` only after a let binding */
    while (!p->failed && !p->prog->v115 && fd_tok_is(cur(p), TK_OP, ";")) {
        next(p);
        if (cur(p)->kind == TK_EOF)
            break;
        list_push(&l, parse_expression(p, 0));
    }
    if (l.n == 1) {
        list_free(&l);
        return n;
    }
    go_node(p);
    struct fd_node *seq = node(p, N_SEQ, first);
    seq->pos = n->pos; /* parseSequenceExpression: the first node's location */
    list_store(p, &l, seq);
    return seq;
}

static struct fd_node *parse_let(struct fd_parse *p)
{
    next(p); /* let */
    struct fd_tok *name = cur(p);
    expect(p, TK_IDENT, NULL);
    expect(p, TK_OP, "=");
    struct fd_node *value = parse_expression(p, 0);
    expect(p, TK_OP, ";");
    struct fd_node *body = parse_sequence(p);
    go_node(p);
    struct fd_node *n = node(p, N_LET, name);
    n->name = name->text;
    n->namelen = name->len;
    n->a = value;
    n->b = body;
    return n;
}

static struct fd_node *parse_if(struct fd_parse *p)
{
    struct fd_tok *t = cur(p);

    if (!enter(p))
        return nil_node(p);
    next(p); /* if */
    /* parseConditionalIf returns when that next failed */
    if (p->failed) {
        p->nesting--;
        return nil_node(p);
    }
    struct fd_node *n = node(p, N_COND, t);
    n->a = parse_expression(p, 0);
    expect(p, TK_BRACKET, "{");
    n->b = parse_sequence(p);
    expect(p, TK_BRACKET, "}");
    expect(p, TK_OP, "else");
    if (fd_tok_is(cur(p), TK_OP, "if")) {
        n->c = parse_if(p);
    } else {
        expect(p, TK_BRACKET, "{");
        n->c = parse_sequence(p);
        expect(p, TK_BRACKET, "}");
    }
    /* parser.go builds this ConditionalNode without a location: its run
     * errors point at the start of the source */
    n->pos = 0;
    p->nesting--;
    return n;
}

static struct fd_node *parse_conditional(struct fd_parse *p, struct fd_node *n)
{
    while (!p->failed && fd_tok_is(cur(p), TK_OP, "?")) {
        struct fd_tok *t = cur(p);
        struct fd_node *c = node(p, N_COND, t);
        next(p);
        c->a = n;
        if (!fd_tok_is(cur(p), TK_OP, ":")) {
            c->b = parse_expression(p, 0);
            expect(p, TK_OP, ":");
            c->c = parse_expression(p, 0);
        } else {
            next(p);
            c->b = n;
            c->c = parse_expression(p, 0);
        }
        go_node(p);
        /* parser.go locates a ternary at the token after it */
        c->pos = cur(p)->pos;
        n = c;
    }
    return n;
}

static struct fd_node *binary(struct fd_parse *p, const struct fd_tok *t, int op, struct fd_node *a,
                              struct fd_node *b)
{
    go_node(p);
    struct fd_node *n = node(p, N_BINARY, t);
    n->op = (uint8_t)op;
    n->a = a;
    n->b = b;
    return n;
}

/* The token after "not" as parser.go looks it up, by its Value whatever its
 * kind (operator.Binary[opToken.Value], AllowedNegateSuffix): a string's
 * value names an operator too, so `b not "%" 2` is `not (b % 2)` in v1.15.5
 * and `1 not "in" a` is `1 not in a` in both. Returns t, or buf made an
 * operator token at t's place. */
static struct fd_tok *value_as_operator(struct fd_tok *t, struct fd_tok *buf)
{
    if (t->kind != TK_STRING)
        return t;
    *buf = *t;
    buf->kind = TK_OP;
    buf->text = t->str;
    buf->len = (uint32_t)t->strlen;
    return buf;
}

static struct fd_node *negate(struct fd_parse *p, const struct fd_tok *t, struct fd_node *a)
{
    go_node(p);
    struct fd_node *n = node(p, N_UNARY, t);
    n->op = OP_NOT;
    n->a = a;
    return n;
}

/* Only <, >, <= and >= chain (operator.IsComparison): == and != share
 * their precedence but not the chaining, so `a == b != c` is
 * `(a == b) != c` and `1 < 2 != 2 < 3` is `((1 < 2) != 2) < 3`. */
static bool is_comparison(const struct fd_parse *p, const struct fd_tok *t)
{
    if (p->prog->v115) /* v1.15.5 has no chained comparisons */
        return false;
    return fd_tok_is(t, TK_OP, "<") || fd_tok_is(t, TK_OP, ">") || fd_tok_is(t, TK_OP, "<=") ||
           fd_tok_is(t, TK_OP, ">=");
}

static struct fd_node *parse_call(struct fd_parse *p, struct fd_tok *name, struct fd_node *piped,
                                  bool builtin_first);

/* a < b < c is (a < b) && (b < c) (parser.go parseComparison). */
static struct fd_node *parse_comparison(struct fd_parse *p, struct fd_node *left, struct fd_tok *t,
                                        int prec)
{
    struct fd_node *root = NULL;

    for (;;) {
        const struct binop *b = find_binop(t);
        struct fd_node *right = parse_expression(p, prec + 1);
        struct fd_node *cmp = binary(p, t, b->op, left, right);
        root = root ? binary(p, t, OP_AND, root, cmp) : cmp;
        left = right;
        t = cur(p);
        if (p->failed || !is_comparison(p, t))
            break;
        next(p);
    }
    return root;
}

static struct fd_node *parse_primary(struct fd_parse *p);

static struct fd_node *parse_expression(struct fd_parse *p, int prec)
{
    if (p->failed)
        return nil_node(p);
    if (!enter(p))
        return nil_node(p);
    if (prec == 0 && fd_tok_is(cur(p), TK_OP, "let")) {
        struct fd_node *n = parse_let(p);
        p->nesting--;
        return n;
    }
    if (prec == 0 && fd_tok_is(cur(p), TK_OP, "if") && !p->prog->v115) {
        struct fd_node *n = parse_if(p);
        p->nesting--;
        return n;
    }

    struct fd_node *left = parse_primary(p);
    int prev_op = -2;
    struct fd_tok *op_tok = cur(p);
    struct fd_tok string_op; /* a string after v1.15.5's "not", read as an operator */

    while (op_tok->kind == TK_OP && !p->failed) {
        struct fd_tok *not_tok = NULL;
        if (fd_tok_is(op_tok, TK_OP, "not") && p->prog->v115) {
            /* v1.15.5's parseExpression takes "not" before it knows whether
             * the operator after it binds here: when it does not, the "not"
             * is lost (`-1 not in a` is `-1 in a`), and it negates any
             * binary operator (`1 not + 2` is `not (1 + 2)`). */
            next(p);
            op_tok = cur(p);
            not_tok = op_tok; /* where v1.15.5 locates the negation */
            op_tok = value_as_operator(op_tok, &string_op);
        } else if (fd_tok_is(op_tok, TK_OP, "not")) {
            size_t save = p->pos;
            next(p);
            struct fd_tok *suffix = value_as_operator(cur(p), &string_op);
            const struct binop *nb = find_binop(suffix);
            static const char *const suffixes[] = {"in", "matches", "contains", "startsWith",
                                                   "endsWith"};
            bool allowed = false;
            for (size_t i = 0; i < FD_ARRAY_SIZE(suffixes); i++)
                allowed = allowed || fd_tok_is(suffix, TK_OP, suffixes[i]);
            if (!allowed) {
                unexpected(p, cur(p));
                break;
            }
            if (nb->prec < prec) {
                p->pos = save;
                break;
            }
            /* parser.go locates the negation at the operator after "not" */
            not_tok = cur(p);
            op_tok = suffix;
        }
        const struct binop *b = find_binop(op_tok);
        if (!b || b->prec < prec)
            break;
        next(p);
        if (b->op == -1) { /* pipe: x | f(args) is f(x, args) */
            struct fd_tok *ident = cur(p);
            if (!expect(p, TK_IDENT, NULL))
                break;
            left = parse_call(p, ident, left, false);
        } else if (prev_op == OP_NULLISH && b->op != OP_NULLISH) {
            error_at(p, op_tok,
                     "Operator (%.*s) and coalesce expressions (?"
                     "?) cannot be mixed. Wrap either "
                     "by parentheses.",
                     (int)op_tok->len, op_tok->text);
            break;
        } else if (is_comparison(p, op_tok)) {
            left = parse_comparison(p, left, op_tok, b->prec);
        } else {
            struct fd_node *right = parse_expression(p, b->right ? b->prec : b->prec + 1);
            left = binary(p, op_tok, b->op, left, right);
            if ((op_tok->text[0] >= 'a' && op_tok->text[0] <= 'z') || op_tok->text[0] == '^')
                left->flags |= NF_ALT_SPELLING; /* and, or, ^ (words: in, matches...) */
            if (not_tok)
                left = negate(p, not_tok, left);
        }
        prev_op = b->op;
        op_tok = cur(p);
    }
    if (prec == 0)
        left = parse_conditional(p, left);
    p->nesting--;
    return left;
}

static struct fd_node *parse_predicate(struct fd_parse *p)
{
    bool brackets = false;
    struct fd_node *n;
    uint32_t start = cur(p)->pos;

    if (fd_tok_is(cur(p), TK_BRACKET, "{")) {
        next(p);
        brackets = true;
    }
    p->depth++;
    if (brackets) {
        n = parse_sequence(p);
    } else {
        n = parse_expression(p, 0);
        /* v1.15.5 had no sequences: the call then meets the ';' */
        if (fd_tok_is(cur(p), TK_OP, ";") && !p->prog->v115)
            error_at(p, cur(p), "wrap predicate with brackets { and }");
    }
    p->depth--;
    if (brackets)
        expect(p, TK_BRACKET, "}");
    go_node(p); /* its PredicateNode */
    n->pred_pos = start;
    return n;
}

static void parse_arguments(struct fd_parse *p, struct nodelist *l)
{
    size_t offset = l->n;

    expect(p, TK_BRACKET, "(");
    while (!p->failed && !fd_tok_is(cur(p), TK_BRACKET, ")")) {
        if (l->n > offset)
            expect(p, TK_OP, ",");
        if (fd_tok_is(cur(p), TK_BRACKET, ")"))
            break;
        list_push(l, parse_expression(p, 0));
    }
    expect(p, TK_BRACKET, ")");
}

/* Predicate argument shapes: 1 = expression, 2 = predicate, |4 = optional. */
static const uint8_t pred_args[PRED__COUNT][3] = {
    [PRED_ALL] = {1, 2},       [PRED_ANY] = {1, 2},           [PRED_NONE] = {1, 2},
    [PRED_ONE] = {1, 2},       [PRED_FILTER] = {1, 2},        [PRED_MAP] = {1, 2},
    [PRED_COUNT] = {1, 2 | 4}, [PRED_SUM] = {1, 2 | 4},       [PRED_FIND] = {1, 2},
    [PRED_FINDINDEX] = {1, 2}, [PRED_FINDLAST] = {1, 2},      [PRED_FINDLASTINDEX] = {1, 2},
    [PRED_GROUPBY] = {1, 2},   [PRED_SORTBY] = {1, 2, 1 | 4}, [PRED_REDUCE] = {1, 2, 1 | 4},
};

/* v1.17's conf.Config IsOverridden: a name the env holds is called as
 * that value, never as the builtin or predicate of that name. Mode expr
 * only: Argo's env is `result` and its functions, Kargo compiles without
 * expr.Env. */
static bool overridden(const struct fd_parse *p, const struct fd_tok *name)
{
    struct fd_expr_val v;

    return !p->prog->v115 && p->prog->mode == FD_EXPR_MODE_EXPR && p->env.kind == FD_VAL_MAP &&
           fd_expr_map_get(p->env.u.m, name->text, name->len, &v);
}

/* A name in expr's builtin.Index, not one of Argo's or Kargo's functions
 * (expr.Function: calls): parser.go makes one BuiltinNode of it. */
static bool is_go_builtin(const struct fd_parse *p, const struct fd_tok *name)
{
    const struct fd_expr_builtin *b =
        fd_expr_builtin_find(name->text, name->len, fd_expr_prog_mode(p->prog), FD_VAL_NIL);
    return fd_tok_is(name, TK_IDENT, "len") || (b && b->modes == 0);
}

/* A call of name, after piped when a pipe gave one. builtin_first (`::name`,
 * parser.go parseCall's checkOverrides false): the builtin or predicate even
 * where the env holds that name. */
static struct fd_node *parse_call(struct fd_parse *p, struct fd_tok *name, struct fd_node *piped,
                                  bool builtin_first)
{
    struct nodelist l = {0};
    bool envcall = !builtin_first && overridden(p, name);
    int pred = envcall ? -1 : find_pred(name);
    struct fd_node *n;

    if (piped)
        list_push(&l, piped);
    /* v1.15.5: sum and sortBy were plain builtins, their arguments plain */
    if (pred >= 0 && p->prog->v115 && (pred == PRED_SUM || pred == PRED_SORTBY)) {
        /* their arity is judged by the checker (builtin.go Validate) */
        parse_arguments(p, &l);
        n = node(p, N_PRED, name);
        n->op = (uint8_t)pred;
        n->name = name->text;
        n->namelen = name->len;
        list_store(p, &l, n);
        return n;
    }
    if (pred >= 0) {
        const uint8_t *shape = pred_args[pred];
        size_t nshape = shape[2] ? 3 : 2;
        expect(p, TK_BRACKET, "(");
        size_t first = l.n;
        /* v1.15.5's parseCall: an expression, a ',' and a closure (count's
         * too), reduce's third after a ','; no count of what is missing,
         * no trailing ',' */
        bool v115 = p->prog->v115;
        /* (not stopped by an error: parser.go reads on, a ',' or a '{') */
        for (size_t i = first; i < nshape; i++) {
            if ((shape[i] & 4) && !(v115 && pred == PRED_COUNT)) {
                if (fd_tok_is(cur(p), TK_BRACKET, ")"))
                    break;
            } else if (!v115 && fd_tok_is(cur(p), TK_BRACKET, ")")) {
                error_at(p, cur(p), "expected at least %zu arguments", nshape - first);
            }
            if (i > first)
                expect(p, TK_OP, ",");
            list_push(&l, (shape[i] & 2) ? parse_predicate(p) : parse_expression(p, 0));
        }
        if (!v115 && fd_tok_is(cur(p), TK_OP, ","))
            next(p);
        expect(p, TK_BRACKET, ")");
        go_node(p);
        n = node(p, N_PRED, name);
        n->op = (uint8_t)pred;
        n->name = name->text;
        n->namelen = name->len;
        list_store(p, &l, n);
        return n;
    }
    /* a builtin is one node made after its arguments; anything else a
     * callee made before them and a call after */
    bool builtin = !envcall && is_go_builtin(p, name);
    if (!builtin && !go_node(p)) { /* the callee's IdentifierNode */
        list_free(&l);
        return nil_node(p);
    }
    parse_arguments(p, &l);
    go_node(p);
    if (fd_tok_is(name, TK_IDENT, "len") && !envcall) {
        n = node(p, N_LEN, name);
    } else {
        n = node(p, N_CALL, name);
        n->a = node(p, N_IDENT, name);
        n->a->name = name->text;
        n->a->namelen = name->len;
        if (envcall)
            n->flags |= NF_ENVCALL;
    }
    n->name = name->text;
    n->namelen = name->len;
    list_store(p, &l, n);
    return n;
}

/* The value of a number literal's text (underscores gone, n bytes at buf)
 * as parser.go reads it: errors at at. */
static void number_value(struct fd_parse *p, struct fd_tok *at, struct fd_node *nd, const char *buf,
                         size_t n, bool hex)
{
    bool is_float = !hex && strpbrk(buf, ".eE");

    if (is_float) {
        double d = 0;
        enum fd_go_parse rc = fd_go_parse_float(buf, n, &d);
        if (rc != FD_GO_PARSE_OK)
            error_at(p, at, "invalid float literal: strconv.ParseFloat: parsing \"%s\": %s", buf,
                     rc == FD_GO_PARSE_RANGE ? "value out of range" : "invalid syntax");
        nd->val = fd_expr_float(d);
        return;
    }
    if (p->prog->v115 && n > 1 && buf[0] == '0' && strchr("XoObB", buf[1]) && !p->failed) {
        error_at(p, at, "invalid integer literal: strconv.ParseInt: parsing \"%s\": invalid syntax",
                 buf);
        return;
    }
    int base = 10;
    const char *digits = buf;
    const char *what = "integer";
    if (n > 1 && buf[0] == '0' && strchr("xXoObB", buf[1])) {
        base = strchr("xX", buf[1]) ? 16 : strchr("oO", buf[1]) ? 8 : 2;
        what = base == 16 ? "hex" : base == 8 ? "octal" : "binary";
        digits = buf + 2;
    }
    char *end = NULL;
    unsigned long long v = 0;
    size_t ndig = strlen(digits);
    bool plain = base == 10 && ndig > 0 && ndig <= 18; /* 18 digits cannot overflow */
    for (size_t i = 0; plain && i < ndig; i++) {
        plain = digits[i] >= '0' && digits[i] <= '9';
        v = v * 10 + (unsigned)(digits[i] - '0');
    }
    errno = 0;
    if (plain) /* the usual small literal, without strtoull */
        end = (char *)(uintptr_t)(digits + ndig);
    else
        v = *digits ? strtoull(digits, &end, base) : 0;
    if (!*digits || *end || errno == ERANGE || v > (unsigned long long)INT64_MAX) {
        if (*digits && !*end && (errno == ERANGE || v > (unsigned long long)INT64_MAX))
            error_at(p, at,
                     "invalid %s literal: strconv.ParseInt: parsing \"%s\": value out of range",
                     what, buf);
        else
            error_at(p, at, "invalid %s literal: strconv.ParseInt: parsing \"%s\": invalid syntax",
                     what, buf);
    }
    nd->val = fd_expr_int((int64_t)v);
}

static struct fd_node *parse_number(struct fd_parse *p, struct fd_tok *t)
{
    char small[128];
    go_node(p); /* (made once the parser moved past it) */
    struct fd_node *nd = node(p, N_CONST, t);
    nd->flags |= NF_LITERAL;
    /* v1.15.5 read only a lower-case "0x" as hex (parser.go: Contains(value,
     * "x")); 0X1F, 0o17 and 0b101 went to strconv.ParseInt(s, 10, 64), unless
     * a '.', 'e' or 'E' made them floats */
    bool hex = t->len > 1 && t->text[0] == '0' &&
               (t->text[1] == 'x' || (t->text[1] == 'X' && !p->prog->v115));

    /* parser.go reports a bad literal at the token after it, the current
     * one once it moved on (EOF sits on the last rune) */
    struct fd_tok *at = cur(p);

    /* strings.Replace(token.Value, "_", "", -1) */
    char *buf = t->len < sizeof(small) ? small : fd_xmalloc(t->len + 1);
    size_t n = 0;
    for (size_t i = 0; i < t->len; i++)
        if (t->text[i] != '_')
            buf[n++] = t->text[i];
    buf[n] = '\0';
    number_value(p, at, nd, buf, n, hex);
    if (buf != small)
        free(buf);
    return nd;
}

static struct fd_node *parse_array(struct fd_parse *p, struct fd_tok *t)
{
    struct nodelist l = {0};
    struct fd_node *n = node(p, N_ARRAY, t);

    expect(p, TK_BRACKET, "[");
    while (!p->failed && !fd_tok_is(cur(p), TK_BRACKET, "]")) {
        if (l.n > 0) {
            expect(p, TK_OP, ",");
            if (fd_tok_is(cur(p), TK_BRACKET, "]"))
                break;
        }
        list_push(&l, parse_expression(p, 0));
    }
    expect(p, TK_BRACKET, "]");
    go_node(p);
    list_store(p, &l, n);
    return n;
}

static struct fd_node *parse_map(struct fd_parse *p, struct fd_tok *t)
{
    struct nodelist l = {0};
    struct fd_node *n = node(p, N_MAP, t);

    expect(p, TK_BRACKET, "{");
    while (!p->failed && !fd_tok_is(cur(p), TK_BRACKET, "}")) {
        if (l.n > 0) {
            expect(p, TK_OP, ",");
            if (fd_tok_is(cur(p), TK_BRACKET, "}"))
                break;
            if (fd_tok_is(cur(p), TK_OP, ","))
                unexpected(p, cur(p));
        }
        struct fd_tok *k = cur(p);
        struct fd_node *key;
        bool bytes = tok_bytes(k);
        if (k->kind == TK_NUMBER || (k->kind == TK_STRING && !bytes) || k->kind == TK_IDENT) {
            if (!go_node(p)) { /* its StringNode, before the parser moves on */
                list_free(&l);
                return nil_node(p);
            }
            key = const_node(p, k,
                             k->kind == TK_STRING ? fd_expr_str_new(k->str, k->strlen)
                                                  : fd_expr_str_new(k->text, k->len));
            next(p);
        } else if (fd_tok_is(k, TK_BRACKET, "(")) {
            key = parse_expression(p, 0);
        } else if (bytes && p->prog->v115) { /* the key b, then a string, no ':' */
            struct fd_tok rest = *k;
            struct fd_buf d = FD_BUF_INIT;
            rest.pos = k->pos + 1;
            rest.text = k->text + 1;
            rest.len = k->len - 1;
            tok_desc(&d, &rest);
            key = nil_node(p);
            error_at(p, &rest, "unexpected token %s", fd_buf_cstr(&d));
            fd_buf_free(&d);
        } else {
            struct fd_buf d = FD_BUF_INIT;
            tok_desc(&d, k);
            key = nil_node(p);
            error_at(p, k,
                     "a map key must be a quoted string, a number, a identifier, or an "
                     "expression enclosed in parentheses (unexpected token %s)",
                     fd_buf_cstr(&d));
            fd_buf_free(&d);
        }
        expect(p, TK_OP, ":");
        list_push(&l, key);
        list_push(&l, parse_expression(p, 0));
        if (!go_node(p)) { /* the PairNode */
            list_free(&l);
            return nil_node(p);
        }
    }
    expect(p, TK_BRACKET, "}");
    go_node(p);
    list_store(p, &l, n);
    return n;
}

static struct fd_node *parse_secondary(struct fd_parse *p)
{
    struct fd_tok *t = cur(p);
    struct fd_node *n;

    switch (t->kind) {
    case TK_IDENT:
        next(p);
        if (fd_tok_is(t, TK_IDENT, "true") || fd_tok_is(t, TK_IDENT, "false")) {
            go_node(p);
            n = node(p, N_CONST, t);
            n->val = fd_expr_bool(t->text[0] == 't');
            return n;
        }
        if (fd_tok_is(t, TK_IDENT, "nil")) {
            go_node(p);
            return node(p, N_CONST, t);
        }
        if (fd_tok_is(cur(p), TK_BRACKET, "(")) {
            n = parse_call(p, t, NULL, false);
        } else {
            go_node(p);
            n = node(p, N_IDENT, t);
            n->name = t->text;
            n->namelen = t->len;
        }
        break;
    case TK_NUMBER:
        next(p);
        return parse_number(p, t);
    case TK_STRING:
        if (v115_bytes(p, t)) { /* the name b, then a string it cannot take */
            v115_bytes_rest(p, t);
            return nil_node(p);
        }
        next(p);
        go_node(p);
        /* b"..." (lexer.go's Bytes token): a Go []byte */
        n = const_node(p, t,
                       tok_bytes(t) ? fd_expr_bytes_new(t->str, t->strlen)
                                    : fd_expr_str_new(t->str, t->strlen));
        if (p->prog->v115) /* v1.15.5: no member, index or slice of a literal */
            return n;
        break;
    default:
        if (fd_tok_is(t, TK_BRACKET, "[")) {
            n = parse_array(p, t);
        } else if (fd_tok_is(t, TK_BRACKET, "{")) {
            n = parse_map(p, t);
        } else {
            unexpected(p, t);
            return nil_node(p);
        }
    }
    return parse_postfix(p, n);
}

static struct fd_node *parse_primary(struct fd_parse *p)
{
    struct fd_tok *t = cur(p);

    if (t->kind == TK_OP) {
        int op = fd_tok_is(t, TK_OP, "not") || fd_tok_is(t, TK_OP, "!") ? OP_NOT
                 : fd_tok_is(t, TK_OP, "-")                             ? OP_NEG
                 : fd_tok_is(t, TK_OP, "+")                             ? OP_PLUS
                                                                        : -1;
        if (op >= 0) {
            next(p);
            struct fd_node *n = node(p, N_UNARY, t);
            n->op = (uint8_t)op;
            n->a = parse_expression(p, op == OP_NOT ? 50 : 90);
            go_node(p);
            return parse_postfix(p, n);
        }
    }
    if (fd_tok_is(t, TK_BRACKET, "(")) {
        next(p);
        struct fd_node *n = parse_sequence(p);
        expect(p, TK_BRACKET, ")");
        return parse_postfix(p, n);
    }
    if (fd_tok_is(t, TK_OP, "#") || fd_tok_is(t, TK_OP, ".")) {
        if (p->depth == 0) {   /* parser.go: only predicates know # and . */
            if (p->prog->v115) /* v1.15.5's checker said so instead */
                error_at(p, t, "cannot use pointer accessor outside closure");
            else
                unexpected(p, t);
            return nil_node(p);
        }
        struct fd_node *n = node(p, N_POINTER, t);
        n->name = "";
        if (fd_tok_is(t, TK_OP, "#")) {
            next(p);
            if (cur(p)->kind == TK_IDENT) {
                n->name = cur(p)->text;
                n->namelen = cur(p)->len;
                next(p);
            }
        }
        go_node(p);
        return parse_postfix(p, n);
    }
    if (fd_tok_is(t, TK_OP, "::")) { /* v1.17: ::len(x), the builtin (one token from v1.17) */
        next(p);
        struct fd_tok *name = cur(p);
        expect(p, TK_IDENT, NULL);
        return parse_postfix(p, parse_call(p, name, NULL, true));
    }
    return parse_secondary(p);
}

static bool valid_name(const struct fd_tok *t)
{
    if (t->kind == TK_IDENT)
        return true;
    if (t->kind != TK_OP || t->len == 0)
        return false;
    for (size_t i = 0; i < t->len; i++) {
        char c = t->text[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
              (i && c >= '0' && c <= '9')))
            return false;
    }
    return true;
}

static struct fd_node *parse_postfix(struct fd_parse *p, struct fd_node *n)
{
    struct fd_tok *t = cur(p);

    while ((t->kind == TK_OP || t->kind == TK_BRACKET) && !p->failed) {
        bool optional = fd_tok_is(t, TK_OP, "?.");
        if (fd_tok_is(t, TK_OP, ".") || optional) {
            next(p);
            struct fd_tok *prop = cur(p);
            if (optional && fd_tok_is(prop, TK_BRACKET, "[") && !p->prog->v115) {
                t = prop;
                goto bracket;
            }
            next(p);
            if (v115_bytes(p, prop)) { /* m.b'z': the property b, then a string */
                v115_bytes_rest(p, prop);
                break;
            }
            if (!valid_name(prop)) {
                /* parser.go reports it where it stands: the token after */
                error_at(p, cur(p), "expected name");
                break;
            }
            bool is_chain = n->kind == N_CHAIN;
            if (is_chain)
                n = n->a;
            if (!go_node(p) || !go_node(p)) /* the property's StringNode, the member */
                return nil_node(p);
            struct fd_node *m = node(p, N_MEMBER, prop);
            m->a = n;
            m->b = const_node(p, prop, fd_expr_str_new(prop->text, prop->len));
            m->flags = optional ? NF_OPTIONAL : 0;
            if (fd_tok_is(cur(p), TK_BRACKET, "(")) {
                struct nodelist l = {0};
                m->flags |= NF_METHOD;
                n = node(p, N_CALL, prop);
                n->a = m;
                n->name = prop->text;
                n->namelen = prop->len;
                parse_arguments(p, &l);
                list_store(p, &l, n);
                if (!go_node(p))
                    return nil_node(p);
            } else {
                n = m;
            }
            if (is_chain || optional) {
                if (!go_node(p))
                    return nil_node(p);
                struct fd_node *c = node(p, N_CHAIN, prop);
                c->a = n;
                n = c;
            }
        } else if (fd_tok_is(t, TK_BRACKET, "[")) {
        bracket:
            next(p);
            if (fd_tok_is(cur(p), TK_OP, ":")) {
                next(p);
                struct fd_node *s = node(p, N_SLICE, t);
                s->a = n;
                if (!fd_tok_is(cur(p), TK_BRACKET, "]"))
                    s->c = parse_expression(p, 0);
                if (!go_node(p))
                    return nil_node(p);
                expect(p, TK_BRACKET, "]");
                n = s;
            } else {
                struct fd_node *from = parse_expression(p, 0);
                if (fd_tok_is(cur(p), TK_OP, ":")) {
                    next(p);
                    struct fd_node *s = node(p, N_SLICE, t);
                    s->a = n;
                    s->b = from;
                    if (!fd_tok_is(cur(p), TK_BRACKET, "]"))
                        s->c = parse_expression(p, 0);
                    if (!go_node(p))
                        return nil_node(p);
                    expect(p, TK_BRACKET, "]");
                    n = s;
                } else {
                    if (!go_node(p))
                        return nil_node(p);
                    struct fd_node *m = node(p, N_MEMBER, t);
                    m->a = n;
                    m->b = from;
                    m->flags = optional ? NF_OPTIONAL : 0;
                    n = m;
                    if (optional) {
                        if (!go_node(p))
                            return nil_node(p);
                        struct fd_node *c = node(p, N_CHAIN, t);
                        c->a = n;
                        n = c;
                    }
                    expect(p, TK_BRACKET, "]");
                }
            }
        } else {
            break;
        }
        t = cur(p);
    }
    return n;
}

struct fd_node *fd_expr_parse(struct fd_expr_program *prog, const fd_value *env,
                              struct fd_expr_error *err)
{
    struct fd_parse p = {.src = prog->src,
                         .len = prog->len,
                         .arena = &prog->arena,
                         .prog = prog,
                         .err = err,
                         .env = env ? fd_expr_from_public(env) : fd_expr_nil()};
    struct fd_node *root;

    if (!fd_expr_lex(p.src, p.len, prog->v115, &p.toks, err)) {
        fd_expr_toks_free(&p.toks);
        return NULL;
    }
    if (p.toks.lexerr) {
        p.lexerr = *err;
        if (p.toks.n == 1) { /* the first token: the parser's first next() */
            fd_expr_toks_free(&p.toks);
            return NULL;
        }
    }
    root = parse_sequence(&p);
    if (!p.failed && cur(&p)->kind != TK_EOF)
        unexpected(&p, cur(&p));
    fd_expr_toks_free(&p.toks);
    return p.failed ? NULL : root;
}

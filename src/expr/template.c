/* expr/template.c: Kargo's ${{ }} and ${% %} templates (pkg/expressions
 * EvaluateTemplate, Kargo v1.11): a naive delimiter scan (the earliest
 * opening "${{" or "${%", closed by the first "}}" or "%}" after it, so
 * "${{ {a: {b: 1}} }}" breaks), each body compiled on its own as a Kargo
 * expression (errors point into the body, as Kargo's do), string results pasted as is and others as
 * json.Marshal text, then the whole result re-typed: "quoted" -> string,
 * number-looking -> float64, Go bool words -> bool, JSON -> parsed value.
 * Kargo compiles and runs one body after the other (evaluateTemplate), so
 * a fault in a later body (a syntax error, an unclosed delimiter) is only
 * reached when the bodies before it ran without error: such a fault is kept
 * and reported by the run, after those bodies. A fault in the first body
 * has nothing before it and fails the compile at once. */
#include "config.h"

#include "builtins.h"

#include <stdlib.h>
#include <string.h>

/* Kargo's supportedDelimiters: both kinds evaluate alike. */
static const struct {
    const char *open, *close;
} delims[] = {{"${%", "%}"}, {"${{", "}}"}};

struct piece {
    size_t text_off, text_len; /* literal text before the expression */
    size_t body_off, body_len; /* where the expression is in the source */
    fd_expr_program *prog;     /* NULL for the trailing text */
    /* the trailing text after an empty body (`${{}}`): what follows it,
     * as it is */
    size_t tail_off, tail_len;
};

struct fd_expr_template {
    char *src;
    size_t len;
    bool plain;    /* no "${{": the text is the value, untouched */
    bool deferred; /* err_at: the compile error reached after the last piece */
    struct fd_expr_error err_at;
    size_t npieces;
    struct piece *pieces;
};

void fd_expr_template_free(struct fd_expr_template *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->npieces; i++)
        fd_expr_program_free(t->pieces[i].prog);
    free(t->pieces);
    free(t->src);
    free(t);
}

static const char *find(const char *s, size_t len, const char *needle)
{
    size_t n = strlen(needle);

    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(s + i, needle, n) == 0)
            return s + i;
    return NULL;
}

static void unclosed(struct fd_expr_error *err, const char *close)
{
    fd_expr_error_set(err, FD_EXPR_PHASE_COMPILE, NULL, 0, SIZE_MAX,
                      "unclosed expression: expected \"%s\" but reached end of template", close);
}

/* The earliest opening delimiter at or after pos; NULL when there is none. */
static const char *next_open(const char *src, size_t len, size_t pos, size_t *kind)
{
    const char *best = NULL;

    for (size_t k = 0; k < sizeof(delims) / sizeof(delims[0]); k++) {
        const char *o = find(src + pos, len - pos, delims[k].open);
        if (o && (!best || o < best)) {
            best = o;
            *kind = k;
        }
    }
    return best;
}

struct fd_expr_template *fd_expr_template_compile(const char *src, size_t len, const fd_value *env,
                                                  struct fd_expr_error *err)
{
    struct fd_expr_template *t = fd_xcalloc(1, sizeof(*t));
    size_t pos = 0, cap = 0, kind = 0;

    /* Length-counted copy: a template may hold NUL bytes in its text, and
     * the pieces index into the copy up to len. */
    t->src = fd_xmalloc(len + 1);
    if (len)
        memcpy(t->src, src, len);
    t->src[len] = '\0';
    t->len = len;
    t->plain = next_open(src, len, 0, &kind) == NULL;
    for (;;) {
        const char *open = next_open(src, len, pos, &kind);
        struct piece *p;

        if (t->npieces == cap) {
            cap = cap ? cap * 2 : 4;
            t->pieces = fd_xreallocarray(t->pieces, cap, sizeof(*t->pieces));
        }
        p = &t->pieces[t->npieces];
        memset(p, 0, sizeof(*p));
        p->text_off = pos;
        if (!open) {
            p->text_len = len - pos;
            t->npieces++;
            return t;
        }
        size_t at = (size_t)(open - src);
        size_t body = at + strlen(delims[kind].open);
        const char *close = find(src + body, len - body, delims[kind].close);
        if (!close) {
            p->text_len = at - pos;
            if (t->npieces == 0) {
                unclosed(err, delims[kind].close);
                fd_expr_template_free(t);
                return NULL;
            }
            unclosed(&t->err_at, delims[kind].close);
            t->deferred = true;
            t->npieces++; /* its text is pasted before the fault: no matter */
            return t;
        }
        p->text_len = at - pos;
        if ((size_t)(close - src) == body) {
            /* json_templates.go evaluateTemplate takes an empty expression
             * for the end of them: the text before it, then the rest of
             * the template as it is, ${{ }} and all */
            p->tail_off = body + strlen(delims[kind].close);
            p->tail_len = len - p->tail_off;
            t->npieces++;
            return t;
        }
        p->body_off = body;
        p->body_len = (size_t)(close - src) - body;
        t->npieces++;
        struct fd_expr_error *perr = t->npieces == 1 ? err : &t->err_at;
        p->prog = fd_expr_compile(src + body, p->body_len, FD_EXPR_MODE_KARGO, env, perr);
        if (!p->prog) {
            /* expr's error, about the body alone: Kargo compiles it so */
            perr->sub_off = body;
            perr->sub_len = p->body_len;
            if (t->npieces == 1) {
                fd_expr_template_free(t);
                return NULL;
            }
            t->deferred = true;
            return t;
        }
        pos = (size_t)(close - src) + strlen(delims[kind].close);
    }
}

/* Kargo's coercion of the rendered text. s is modified. */
static struct fd_expr_val retype(struct fd_buf *b)
{
    const char *s = b->data ? b->data : "";
    size_t len = b->len;
    bool newline = false;
    double f;
    int bl;

    if (len > 0 && s[len - 1] == '\n') {
        len--;
        newline = true;
    }
    if (len > 1 && s[0] == '"' && s[len - 1] == '"') {
        struct fd_expr_val v = fd_expr_str_new(s + 1, len - 2 + (newline ? 1 : 0));
        if (newline)
            v.u.s->data[len - 2] = '\n';
        return v;
    }
    if (fd_go_parse_float(s, len, &f) == FD_GO_PARSE_OK)
        return fd_expr_float(f);
    if ((bl = fd_expr_bi_parse_bool(s, len)) >= 0)
        return fd_expr_bool(bl == 1);
    json_t *j =
        json_loadb(s, len, JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL | JSON_ALLOW_NUL, NULL);
    if (j) {
        struct fd_expr_val v = fd_expr_from_json(j, true);
        json_decref(j);
        return v;
    }
    return fd_expr_str_new(s, len + (newline ? 1 : 0));
}

int fd_expr_template_run(const struct fd_expr_template *t, const fd_value *env,
                         struct fd_expr_val *out, struct fd_expr_error *err)
{
    struct fd_buf b = FD_BUF_INIT;

    if (t->plain) {
        *out = fd_expr_str_new(t->src, t->len);
        return 0;
    }
    for (size_t i = 0; i < t->npieces; i++) {
        const struct piece *p = &t->pieces[i];
        fd_value *res = NULL;
        const char *jerr = NULL;

        fd_buf_append(&b, t->src + p->text_off, p->text_len);
        fd_buf_append(&b, t->src + p->tail_off, p->tail_len);
        if (!p->prog) {
            if (t->deferred && i + 1 == t->npieces) {
                *err = t->err_at;
                fd_buf_free(&b);
                return -1;
            }
            continue;
        }
        if (fd_expr_run(p->prog, env, &res, err) != 0) {
            err->sub_off = p->body_off;
            err->sub_len = p->body_len;
            fd_buf_free(&b);
            return -1;
        }
        struct fd_expr_val v = fd_expr_from_public(res);
        bool ok = true;
        /* a Go string as it is; anything else, a version or a
         * FreightOriginKind too, as JSON */
        if (fd_expr_is_go_string(v))
            fd_buf_append(&b, v.u.s->data, v.u.s->len);
        else
            ok = fd_expr_bi_json(&b, v, 0, &jerr);
        fd_value_unref(res);
        if (!ok) {
            fd_expr_error_set(err, FD_EXPR_PHASE_RUN, NULL, 0, SIZE_MAX, "%s", jerr);
            fd_buf_free(&b);
            return -1;
        }
        if (b.len > FD_EXPR_MAX_STRING) {
            fd_expr_error_set(err, FD_EXPR_PHASE_RUN, NULL, 0, SIZE_MAX, "memory budget exceeded");
            fd_buf_free(&b);
            return -1;
        }
    }
    *out = retype(&b);
    fd_buf_free(&b);
    return 0;
}

/* expr/expr.c: the public API: modes, compile, run, errors and their
 * expr-style formatting, and the builtin lookup. */
#include "config.h"

#include "freightdeck/expr.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"

static const char *const mode_names[] = {
#define FD_EXPR_MODE_NAME(id, name, help) name,
    FD_EXPR_MODE_TABLE(FD_EXPR_MODE_NAME)
#undef FD_EXPR_MODE_NAME
};

static const char *const version_names[] = {
#define FD_EXPR_VERSION_NAME(id, name, help) name,
    FD_EXPR_VERSION_TABLE(FD_EXPR_VERSION_NAME)
#undef FD_EXPR_VERSION_NAME
};

const char *fd_expr_version_name(enum fd_expr_version v)
{
    return (unsigned)v < FD_EXPR_VERSION__COUNT ? version_names[v] : "unknown";
}

bool fd_expr_version_parse(const char *name, enum fd_expr_version *out)
{
    for (int i = 0; i < FD_EXPR_VERSION__COUNT; i++)
        if (strcmp(version_names[i], name) == 0) {
            *out = (enum fd_expr_version)i;
            return true;
        }
    return false;
}

bool fd_expr_mode_parse(const char *name, enum fd_expr_mode *out)
{
    for (int i = 0; i < FD_EXPR_MODE__COUNT; i++)
        if (strcmp(mode_names[i], name) == 0) {
            *out = (enum fd_expr_mode)i;
            return true;
        }
    return false;
}

/* The builtin table grouped by name (table order within a name) and a hash
 * of the names, built once: a compile looks up every identifier, and a
 * linear scan of ~100 names was a visible part of compile time. */
#define BUILTIN_INDEX_MAX 512
#define BUILTIN_HASH_SIZE 1024 /* power of two, at least twice the names */
static const struct fd_expr_builtin *builtin_index[BUILTIN_INDEX_MAX];
static size_t builtin_len[BUILTIN_INDEX_MAX]; /* strlen of each name */
static size_t builtin_count;
static uint16_t builtin_hash[BUILTIN_HASH_SIZE]; /* 1 + first index of a name; 0 empty */
static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;

static int builtin_name_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t n = alen < blen ? alen : blen;
    int c = n ? memcmp(a, b, n) : 0;

    return c ? c : alen < blen ? -1 : alen > blen;
}

static int builtin_sort_cmp(const void *x, const void *y)
{
    const struct fd_expr_builtin *a = *(const struct fd_expr_builtin *const *)x;
    const struct fd_expr_builtin *b = *(const struct fd_expr_builtin *const *)y;
    int c = builtin_name_cmp(a->name, strlen(a->name), b->name, strlen(b->name));

    return c ? c : a < b ? -1 : a > b;
}

/* FNV-1a */
static uint32_t name_hash(const char *s, size_t len)
{
    uint32_t h = 2166136261u;

    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static void builtin_index_init(void)
{
    size_t n = 0;

    while (fd_expr_builtin_table[n].name)
        n++;
    if (n > BUILTIN_INDEX_MAX || n * 2 > BUILTIN_HASH_SIZE)
        fd_fatal("expr: more than %d builtins", BUILTIN_INDEX_MAX);
    for (size_t i = 0; i < n; i++)
        builtin_index[i] = &fd_expr_builtin_table[i];
    qsort(builtin_index, n, sizeof(*builtin_index), builtin_sort_cmp);
    for (size_t i = 0; i < n; i++)
        builtin_len[i] = strlen(builtin_index[i]->name);
    for (size_t i = 0; i < n; i++) {
        const char *name = builtin_index[i]->name;
        if (i > 0 && strcmp(builtin_index[i - 1]->name, name) == 0)
            continue; /* not the first of its name */
        uint32_t h = name_hash(name, strlen(name)) & (BUILTIN_HASH_SIZE - 1);
        while (builtin_hash[h])
            h = (h + 1) & (BUILTIN_HASH_SIZE - 1);
        builtin_hash[h] = (uint16_t)(i + 1);
    }
    builtin_count = n;
}

/* Builtins that came after v1.15.5 (builtin/builtin.go of each release). */
static bool newer_than_v115(const char *name, size_t len)
{
    static const char *const names[] = {"bitand", "bitor",  "bitxor",  "bitnand",  "bitnot",
                                        "bitshl", "bitshr", "bitushr", "timezone", "reverse",
                                        "uniq",   "concat", "flatten"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strlen(names[i]) == len && memcmp(names[i], name, len) == 0)
            return true;
    return false;
}

const struct fd_expr_builtin *fd_expr_builtin_find(const char *name, size_t len,
                                                   enum fd_expr_mode mode, uint8_t receiver)
{
    size_t at;

    if ((unsigned)mode & FD_EXPR_MODE_V1_15_BIT) {
        if (receiver == FD_VAL_NIL && newer_than_v115(name, len))
            return NULL;
        mode = (enum fd_expr_mode)((unsigned)mode & ~(unsigned)FD_EXPR_MODE_V1_15_BIT);
    }

    pthread_once(&builtin_once, builtin_index_init);
    for (uint32_t h = name_hash(name, len) & (BUILTIN_HASH_SIZE - 1);;
         h = (h + 1) & (BUILTIN_HASH_SIZE - 1)) {
        if (!builtin_hash[h])
            return NULL;
        at = builtin_hash[h] - 1u;
        if (builtin_len[at] == len && memcmp(builtin_index[at]->name, name, len) == 0)
            break;
    }
    /* Same name: the first entry (in table order) for this receiver and mode. */
    for (; at < builtin_count; at++) {
        const struct fd_expr_builtin *b = builtin_index[at];
        if (builtin_len[at] != len || memcmp(b->name, name, len) != 0)
            break;
        if (b->receiver != receiver || (b->modes && !(b->modes & (1u << mode))))
            continue;
        return b;
    }
    return NULL;
}

void fd_expr_error_set(struct fd_expr_error *err, enum fd_expr_phase phase, const char *source,
                       size_t srclen, size_t offset, const char *fmt, ...)
{
    va_list ap;

    if (!err)
        return;
    memset(err, 0, sizeof(*err));
    err->phase = phase;
    va_start(ap, fmt);
    fd_utf8_cut(err->message, sizeof(err->message),
                vsnprintf(err->message, sizeof(err->message), fmt, ap));
    va_end(ap);
    if (offset == SIZE_MAX || !source) {
        /* No position: an error about the whole expression. */
        err->offset = 0;
        err->line = err->column = 0;
        return;
    }
    if (offset > srclen)
        offset = srclen;
    err->offset = offset;
    err->line = 1;
    err->column = 1;
    for (size_t i = 0; i < offset; i++) {
        unsigned char c = (unsigned char)source[i];
        if (c == '\n') {
            err->line++;
            err->column = 1;
        } else if ((c & 0xc0) != 0x80) {
            err->column++;
        }
    }
}

char *fd_expr_error_format(const struct fd_expr_error *err, const char *source)
{
    struct fd_buf b = FD_BUF_INIT;

    if (err->sub_len > 0 && source && err->sub_off + err->sub_len <= strlen(source)) {
        char *part = fd_xstrndup(source + err->sub_off, err->sub_len);
        struct fd_expr_error inner = *err;
        inner.sub_len = 0;
        char *text = fd_expr_error_format(&inner, part);
        free(part);
        return text;
    }
    fd_buf_puts(&b, err->message);
    if (err->line <= 0 || !source)
        return fd_buf_steal(&b);
    /* file/error.go Bind: the source line, tabs shown as spaces, and a dot
     * per rune before the column; in v1.17 an empty line gets no position
     * at all. */
    const char *line = source;
    for (int l = 1; l < err->line && line; l++) {
        line = strchr(line, '\n');
        if (line)
            line++;
    }
    size_t n = line ? strcspn(line, "\n") : 0;
    if (n == 0 && err->v115) {
        /* v1.15.5 printed the position whenever there was one, and the
         * empty line with a bare caret unless the whole source was empty */
        fd_buf_printf(&b, " (%d:%d)", err->line, err->column);
        if (*source)
            fd_buf_puts(&b, "\n | \n | ^");
        return fd_buf_steal(&b);
    }
    if (n == 0)
        return fd_buf_steal(&b);
    fd_buf_printf(&b, " (%d:%d)", err->line, err->column);
    fd_buf_puts(&b, "\n | ");
    for (size_t i = 0; i < n; i++)
        fd_buf_putc(&b, line[i] == '\t' ? ' ' : line[i]);
    if (err->v115) { /* v1.15.5: no caret past or at a multi-byte rune */
        size_t at = 0, w;
        uint32_t r;
        for (int col = 1; col <= err->column && at < n; col++, at += w) {
            w = fd_utf8_decode(line + at, n - at, &r);
            if (w > 1)
                return fd_buf_steal(&b);
            w = 1; /* (an invalid byte decodes as one U+FFFD) */
        }
    }
    fd_buf_puts(&b, "\n | ");
    for (int col = 1; col < err->column; col++)
        fd_buf_putc(&b, '.');
    fd_buf_putc(&b, '^');
    return fd_buf_steal(&b);
}

void fd_expr_program_free(fd_expr_program *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nowned; i++)
        fd_expr_val_release(&p->owned[i]->val);
    for (size_t i = 0; i < p->nres; i++)
        fd_regex_free(p->res[i]);
    free(p->owned);
    free(p->res);
    if (p->tmpl)
        fd_expr_template_free(p->tmpl);
    fd_expr_arena_free(&p->arena);
    free(p->src);
    free(p);
}

static fd_expr_program *compile(const char *source, size_t len, enum fd_expr_mode mode,
                                const fd_value *env, struct fd_expr_error *err);

fd_expr_program *fd_expr_compile(const char *source, size_t len, enum fd_expr_mode mode,
                                 const fd_value *env, struct fd_expr_error *err)
{
    struct fd_expr_error tmp;

    if (!err)
        err = &tmp;
    fd_expr_program *p = compile(source, len, mode, env, err);
    if (!p) { /* (Kargo never ran on v1.15) */
        unsigned m = (unsigned)mode & ~(unsigned)FD_EXPR_MODE_V1_15_BIT;
        err->v115 = ((unsigned)mode & FD_EXPR_MODE_V1_15_BIT) && m != FD_EXPR_MODE_KARGO &&
                    m != FD_EXPR_MODE_KARGO_TEMPLATE;
    }
    return p;
}

static fd_expr_program *compile(const char *source, size_t len, enum fd_expr_mode mode,
                                const fd_value *env, struct fd_expr_error *err)
{
    struct fd_expr_program *p = fd_xcalloc(1, sizeof(*p));

    unsigned m = (unsigned)mode & ~(unsigned)FD_EXPR_MODE_V1_15_BIT;
    p->mode = m < FD_EXPR_MODE__COUNT ? (enum fd_expr_mode)m : FD_EXPR_MODE_EXPR;
    /* Kargo never ran on v1.15 */
    p->v115 = ((unsigned)mode & FD_EXPR_MODE_V1_15_BIT) && p->mode != FD_EXPR_MODE_KARGO &&
              p->mode != FD_EXPR_MODE_KARGO_TEMPLATE;
    if (len > UINT32_MAX / 2) {
        fd_expr_error_set(err, FD_EXPR_PHASE_COMPILE, NULL, 0, SIZE_MAX, "expression too long");
        fd_expr_program_free(p);
        return NULL;
    }
    /* Length-counted copy (errors index into it up to len). */
    p->src = fd_xmalloc(len + 1);
    if (len)
        memcpy(p->src, source, len);
    p->src[len] = '\0';
    p->len = len;
    /* expr's lexer rejects a NUL byte ("unrecognized character: U+0000");
     * a template's text may hold one (each ${{ }} body is compiled as an
     * expression and rejects it there). */
    if (p->mode != FD_EXPR_MODE_KARGO_TEMPLATE && memchr(source, '\0', len)) {
        fd_expr_error_set(err, FD_EXPR_PHASE_COMPILE, source, len,
                          (size_t)((const char *)memchr(source, '\0', len) - source),
                          "unrecognized character: U+0000");
        fd_expr_program_free(p);
        return NULL;
    }
    if (p->mode == FD_EXPR_MODE_KARGO_TEMPLATE) {
        p->tmpl = fd_expr_template_compile(source, len, env, err);
        if (!p->tmpl) {
            fd_expr_program_free(p);
            return NULL;
        }
        return p;
    }
    p->root = fd_expr_parse(p, env, err);
    if (!p->root || !fd_expr_check(p, env, err)) {
        fd_expr_program_free(p);
        return NULL;
    }
    return p;
}

int fd_expr_run(const fd_expr_program *p, const fd_value *env, fd_value **out,
                struct fd_expr_error *err)
{
    struct fd_expr_val v;
    struct fd_expr_error tmp;

    if (!err)
        err = &tmp;
    *out = NULL;
    if (p->tmpl) {
        if (fd_expr_template_run(p->tmpl, env, &v, err) != 0)
            return -1;
    } else if (fd_expr_exec(p, env ? fd_expr_from_public(env) : fd_expr_nil(), &v, err) != 0) {
        err->v115 = p->v115;
        return -1;
    }
    if ((p->mode == FD_EXPR_MODE_ARGO || p->mode == FD_EXPR_MODE_ARGO_WEB) &&
        v.kind != FD_VAL_BOOL) {
        /* utils/evaluate: a condition must produce a Go bool. */
        fd_expr_error_set(err, FD_EXPR_PHASE_RUN, NULL, 0, SIZE_MAX, "expected bool, but got %s",
                          fd_expr_go_type(v));
        fd_expr_val_release(&v);
        return -1;
    }
    *out = fd_expr_to_public(v);
    return 0;
}

int fd_expr_eval(const char *source, size_t len, enum fd_expr_mode mode, const fd_value *env,
                 fd_value **out, struct fd_expr_error *err)
{
    fd_expr_program *p = fd_expr_compile(source, len, mode, env, err);
    int rc;

    *out = NULL;
    if (!p)
        return -1;
    rc = fd_expr_run(p, env, out, err);
    fd_expr_program_free(p);
    return rc;
}

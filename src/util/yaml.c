/* util/yaml.c: libyaml documents with positioned errors, and "did you mean". */
#include "config.h"

#include "freightdeck/yaml.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <strings.h>

enum fd_status fd_yaml_load(struct fd_yaml *y, const char *text, size_t len,
                                const char *file, char **err)
{
    yaml_parser_t parser;
    enum fd_status st = FD_OK;

    memset(y, 0, sizeof(*y));
    y->file = file;
    *err = NULL;
    if (!yaml_parser_initialize(&parser))
        fd_fatal("libyaml: cannot initialise a parser");
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &y->doc)) {
        const yaml_mark_t *m = parser.problem ? &parser.problem_mark : &parser.context_mark;
        *err = fd_xasprintf("%s:%zu:%zu: YAML syntax error: %s%s%s", file, m->line + 1,
                            m->column + 1, parser.problem ? parser.problem : "unknown problem",
                            parser.context ? " " : "", parser.context ? parser.context : "");
        st = FD_PARSE;
    } else {
        y->loaded = true;
    }
    yaml_parser_delete(&parser);
    return st;
}

void fd_yaml_free(struct fd_yaml *y)
{
    if (y->loaded)
        yaml_document_delete(&y->doc);
    y->loaded = false;
}

yaml_node_t *fd_yaml_root(struct fd_yaml *y)
{
    return y->loaded ? yaml_document_get_root_node(&y->doc) : NULL;
}

yaml_node_t *fd_yaml_node(struct fd_yaml *y, int index)
{
    return y->loaded ? yaml_document_get_node(&y->doc, index) : NULL;
}

const char *fd_yaml_scalar(const yaml_node_t *node)
{
    if (!node || node->type != YAML_SCALAR_NODE)
        return NULL;
    if (strlen((const char *)node->data.scalar.value) != node->data.scalar.length)
        return NULL;
    return (const char *)node->data.scalar.value;
}

char *fd_yaml_error(const struct fd_yaml *y, const yaml_node_t *node, const char *fmt,
                        ...)
{
    struct fd_buf b = FD_BUF_INIT;
    va_list ap;

    if (node)
        fd_buf_printf(&b, "%s:%zu:%zu: ", y->file, node->start_mark.line + 1,
                      node->start_mark.column + 1);
    else
        fd_buf_printf(&b, "%s: ", y->file);
    va_start(ap, fmt);
    fd_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    return fd_buf_steal(&b);
}

/* Levenshtein distance, case-insensitive, capped: words longer than 64 bytes
 * are never "close". */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t row[65];

    if (la > 64 || lb > 64)
        return (size_t)-1;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
            size_t best = diag + cost;
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

const char *fd_suggest(const char *word, const char *const *candidates, size_t n)
{
    const char *best = NULL;
    size_t best_d = 3;

    if (!word || !*word)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        size_t d = distance(word, candidates[i]);
        /* A one-letter word is one edit from every other one-letter word. */
        if (d < best_d && d < strlen(candidates[i]) && d < strlen(word) + (d == 0)) {
            best = candidates[i];
            best_d = d;
        }
    }
    return best;
}

void fd_suggest_append(struct fd_buf *b, const char *word, const char *const *candidates,
                           size_t n)
{
    const char *s = fd_suggest(word, candidates, n);

    if (s)
        fd_buf_printf(b, " (did you mean \"%s\"?)", s);
}

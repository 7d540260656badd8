/* util/yaml.c: libyaml documents with positioned errors, and "did you mean". */
#include "config.h"

#include "freightdeck/yaml.h"

#include <stdarg.h>
#include <stdlib.h>
#include <strings.h>

/* libyaml's scanner checks every pending simple key at each token, so its
 * cost grows with the nesting depth times the size: a 40 KB kubeconfig of
 * nested brackets took seconds. One pass over the events first refuses
 * nesting past FD_YAML_MAX_DEPTH, which bounds that factor and keeps loading
 * linear. Returns true (with *err set) only for too deep a document; a syntax
 * error is left to the loader, which reports it with its position. */
static bool too_deep(const char *text, size_t len, const char *file, char **err)
{
    yaml_parser_t parser;
    yaml_event_t ev;
    int depth = 0;
    bool deep = false, done = false;

    if (!yaml_parser_initialize(&parser))
        fd_fatal("libyaml: cannot initialise a parser");
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    while (!done && !deep && yaml_parser_parse(&parser, &ev)) {
        switch (ev.type) {
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
            if (++depth > FD_YAML_MAX_DEPTH) {
                *err = fd_xasprintf("%s:%zu:%zu: nesting deeper than %d levels", file,
                                    ev.start_mark.line + 1, ev.start_mark.column + 1,
                                    FD_YAML_MAX_DEPTH);
                deep = true;
            }
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            depth--;
            break;
        case YAML_STREAM_END_EVENT:
            done = true;
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    return deep;
}

enum fd_status fd_yaml_load_as(struct fd_yaml *y, const char *text, size_t len, const char *file,
                               const char *label, char **err)
{
    yaml_parser_t parser;
    enum fd_status st = FD_OK;

    memset(y, 0, sizeof(*y));
    y->file = file;
    *err = NULL;
    if (too_deep(text, len, file, err))
        return FD_PARSE;
    if (!yaml_parser_initialize(&parser))
        fd_fatal("libyaml: cannot initialise a parser");
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &y->doc)) {
        const yaml_mark_t *m = parser.problem ? &parser.problem_mark : &parser.context_mark;
        *err = fd_xasprintf("%s:%zu:%zu: %s: %s%s%s", file, m->line + 1, m->column + 1, label,
                            parser.problem ? parser.problem : "unknown problem",
                            parser.context ? " " : "", parser.context ? parser.context : "");
        st = FD_PARSE;
    } else {
        y->loaded = true;
    }
    yaml_parser_delete(&parser);
    return st;
}

enum fd_status fd_yaml_load(struct fd_yaml *y, const char *text, size_t len, const char *file,
                            char **err)
{
    return fd_yaml_load_as(y, text, len, file, "YAML syntax error", err);
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

yaml_node_t *fd_yaml_map_get(struct fd_yaml *y, const yaml_node_t *map, const char *key)
{
    size_t klen = strlen(key);

    if (!map || map->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = fd_yaml_node(y, p->key);
        if (k && k->type == YAML_SCALAR_NODE && k->data.scalar.length == klen &&
            memcmp(k->data.scalar.value, key, klen) == 0)
            return fd_yaml_node(y, p->value);
    }
    return NULL;
}

bool fd_yaml_is_null(const yaml_node_t *n)
{
    const char *v;
    size_t len;

    if (!n)
        return true;
    if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    v = (const char *)n->data.scalar.value;
    len = n->data.scalar.length;
    return len == 0 || (len == 1 && v[0] == '~') ||
           (len == 4 && (strncmp(v, "null", 4) == 0 || strncmp(v, "Null", 4) == 0 ||
                         strncmp(v, "NULL", 4) == 0));
}

const char *fd_yaml_kind(const yaml_node_t *n)
{
    switch (n ? n->type : YAML_NO_NODE) {
    case YAML_SCALAR_NODE:
        return "a scalar";
    case YAML_SEQUENCE_NODE:
        return "a list";
    case YAML_MAPPING_NODE:
        return "a mapping";
    default:
        return "nothing";
    }
}

char *fd_yaml_where(const struct fd_yaml *y, const yaml_node_t *node)
{
    if (!node)
        return fd_xasprintf("%s: ", y->file);
    return fd_xasprintf("%s:%zu:%zu: ", y->file, node->start_mark.line + 1,
                        node->start_mark.column + 1);
}

char *fd_yaml_error(const struct fd_yaml *y, const yaml_node_t *node, const char *fmt, ...)
{
    struct fd_buf b = FD_BUF_INIT;
    char *w = fd_yaml_where(y, node);
    va_list ap;

    fd_buf_puts(&b, w);
    free(w);
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
            size_t cost = fd_ascii_tolower((unsigned char)a[i - 1]) !=
                          fd_ascii_tolower((unsigned char)b[j - 1]);
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

/* The candidate closest to word (edit distance at most 2, or a case-only
 * difference), or NULL when none is close enough. */
static const char *fd_suggest(const char *word, const char *const *candidates, size_t n)
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

void fd_suggest_append(struct fd_buf *b, const char *word, const char *const *candidates, size_t n)
{
    const char *s = fd_suggest(word, candidates, n);

    if (s)
        fd_buf_printf(b, " (did you mean \"%s\"?)", s);
}

#ifndef FREIGHTDECK_YAML_H
#define FREIGHTDECK_YAML_H
/*
 * yaml (util): the small part of libyaml's document API that the theme, keymap,
 * console and fleet config parsers share, with "file:line:col: message"
 * errors and "did you mean". Part of util; its own header so that only its
 * users pull in <yaml.h>.
 */

#include <stddef.h>
#include <yaml.h>

#include "freightdeck/util.h"

struct fd_yaml {
    yaml_document_t doc;
    bool loaded;
    const char *file; /* borrowed; used in error messages */
};

/* Parses text (len bytes, need not be NUL-terminated) as one YAML document.
 * Returns FD_OK, or FD_PARSE with *err set to "file:line:col: what" (caller
 * frees). An empty document is fine: its root is NULL. Always call
 * fd_yaml_free afterwards. */
enum fd_status fd_yaml_load(struct fd_yaml *y, const char *text, size_t len,
                                const char *file, char **err);
void fd_yaml_free(struct fd_yaml *y);

/* The root node, or NULL for an empty document. */
yaml_node_t *fd_yaml_root(struct fd_yaml *y);
yaml_node_t *fd_yaml_node(struct fd_yaml *y, int index);

/* The scalar's text, or NULL when node is not a scalar or holds a NUL byte. */
const char *fd_yaml_scalar(const yaml_node_t *node);

/* A newly allocated "file:line:col: <message>" pointing at node. */
char *fd_yaml_error(const struct fd_yaml *y, const yaml_node_t *node,
                        const char *fmt, ...) FD_PRINTF(3, 4);

/* The candidate closest to word (edit distance at most 2, or a case-only
 * difference), or NULL when none is close enough. */
const char *fd_suggest(const char *word, const char *const *candidates, size_t n);

/* Appends ' (did you mean "X"?)' to b when a candidate is close. */
void fd_suggest_append(struct fd_buf *b, const char *word,
                           const char *const *candidates, size_t n);

#endif /* FREIGHTDECK_YAML_H */

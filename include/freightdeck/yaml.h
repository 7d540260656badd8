#ifndef FREIGHTDECK_YAML_H
#define FREIGHTDECK_YAML_H
/*
 * yaml (util): the one YAML reader. The small part of libyaml's document API
 * that the theme, keymap, console, fleet and kubeconfig parsers share, with
 * "file:line:col: message" errors and "did you mean" (yaml.c); and YAML
 * streams as jansson values for manifests, recorded runs and the simulator
 * (yaml_json.c). Part of util; its own header so that only its users pull
 * in <yaml.h>.
 */

#include <jansson.h>
#include <stdio.h>
#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

#include "freightdeck/util.h"

/* The deepest nesting of lists and mappings either reader accepts; deeper is
 * "file:line:col: nesting deeper than 256 levels". */
#define FD_YAML_MAX_DEPTH 256

struct fd_yaml {
    yaml_document_t doc;
    bool loaded;
    const char *file; /* borrowed; used in error messages */
};

/* Parses text (len bytes, need not be NUL-terminated) as one YAML document.
 * Returns FD_OK, or FD_PARSE with *err set to "file:line:col: what" (caller
 * frees), also for nesting deeper than FD_YAML_MAX_DEPTH. Loading is linear
 * in len. An empty document is fine: its root is NULL. Always call
 * fd_yaml_free afterwards. */
enum fd_status fd_yaml_load(struct fd_yaml *y, const char *text, size_t len, const char *file,
                            char **err);
/* The same, with label instead of "YAML syntax error" in the message. */
enum fd_status fd_yaml_load_as(struct fd_yaml *y, const char *text, size_t len, const char *file,
                               const char *label, char **err);
void fd_yaml_free(struct fd_yaml *y);

/* The root node, or NULL for an empty document. */
yaml_node_t *fd_yaml_root(struct fd_yaml *y);
yaml_node_t *fd_yaml_node(struct fd_yaml *y, int index);

/* The scalar's text, or NULL when node is not a scalar or holds a NUL byte. */
const char *fd_yaml_scalar(const yaml_node_t *node);

/* The value of key in mapping map (keys compared byte for byte), or NULL
 * when map is not a mapping or has no such key. */
yaml_node_t *fd_yaml_map_get(struct fd_yaml *y, const yaml_node_t *map, const char *key);

/* True for NULL and for an unquoted null scalar: empty, ~, null, Null, NULL. */
bool fd_yaml_is_null(const yaml_node_t *n);

/* "a scalar", "a list", "a mapping" or "nothing" (NULL), for messages. */
const char *fd_yaml_kind(const yaml_node_t *n);

/* A newly allocated "file:line:col: " naming node, or "file: " when node is
 * NULL; the prefix of every positioned message. */
char *fd_yaml_where(const struct fd_yaml *y, const yaml_node_t *node);

/* A newly allocated "file:line:col: <message>" pointing at node. */
char *fd_yaml_error(const struct fd_yaml *y, const yaml_node_t *node, const char *fmt, ...)
    FD_PRINTF(3, 4);

/* Appends ' (did you mean "X"?)' to b when a candidate is close. */
void fd_suggest_append(struct fd_buf *b, const char *word, const char *const *candidates, size_t n);

/* ---- The config file (config.c) ----------------------------------------------
 * config.yaml is read and parsed once, by fd_config_load; each part takes its
 * section of the one document: the fleet (kargo:, stages:, console.production),
 * the console's settings (console:), its keys (keys:), theme (theme:) and
 * mouse (mouse:). doc/config.md lists them. */

/* The config file's size limit: anything bigger is a mistake. */
#define FD_CONFIG_MAX (1u << 20)

struct fd_config {
    char *path;         /* the file read; NULL when none existed */
    char *shown;        /* path as messages name it ($HOME as "~") */
    bool explicit_path; /* named by the caller or $FREIGHTDECK_CONFIG */
    struct fd_yaml y;   /* its document (y.file is shown); root NULL when empty */
};

/* The path to read: path when not NULL, else $FREIGHTDECK_CONFIG when set and
 * not empty (both "explicit"), else $XDG_CONFIG_HOME/freightdeck/config.yaml
 * when XDG_CONFIG_HOME is absolute, else $HOME/.config/freightdeck/config.yaml.
 * Returns it (caller frees), or NULL when there is no home to look in. */
char *fd_config_path(const char *path, bool *explicit_path);

/* Reads and parses the config file (path as fd_config_path). A missing file
 * that was not asked for is an empty config (FD_OK, cfg->path NULL); a
 * missing explicit one is FD_NOT_FOUND. Other returns: FD_IO or FD_LIMIT
 * (over FD_CONFIG_MAX) with "PATH: why", FD_PARSE with "PATH:line:col: what"
 * (the shape of each section is its reader's to check). *err is for the
 * caller to free.
 * Always call fd_config_free afterwards. */
enum fd_status fd_config_load(struct fd_config *cfg, const char *path, char **err);

/* The same over text (len bytes) read from name: for tests and fuzzing
 * (messages name it as it is given). */
enum fd_status fd_config_load_buffer(struct fd_config *cfg, const char *name, const char *text,
                                     size_t len, char **err);

/* The value of top-level key, or NULL when absent (or the config is empty). */
yaml_node_t *fd_config_section(struct fd_config *cfg, const char *key);

void fd_config_free(struct fd_config *cfg);

/* ---- JSON values as YAML (yaml_json.c) ---------------------------------- */

/* Writes v to f as one YAML document through libyaml's emitter: objects as
 * block mappings (keys in order), arrays as block sequences, strings quoted
 * when YAML would read them as something else ("true", "1.0", "null", ...),
 * numbers, booleans and null plain. Returns FD_OK, or FD_IO when writing
 * failed. */
enum fd_status fd_yaml_write_json(FILE *f, json_t *v);

/* ---- YAML documents as JSON (yaml_json.c) ------------------------------- */

/* How plain (unquoted, untagged) scalars are typed. Quoted scalars and
 * scalars tagged !!str are always strings. */
enum fd_yaml_typing {
    /* Kubernetes' YAML (go-yaml v2, YAML 1.1): yes/no/on/off, 0x1F, 0o17,
     * 017, 0b101, 1_000, floats; explicit !!null/!!bool/!!int/!!float tags
     * are checked; "<<" merge keys are expanded. */
    FD_YAML_TYPING_KUBE,
    /* null/~, true/false, decimal integers of at most 18 digits, decimal
     * floats; other tags are ignored; "<<" is an ordinary key. */
    FD_YAML_TYPING_DECIMAL,
};

enum fd_yaml_aliases {
    FD_YAML_ALIASES_EXPAND, /* copied, up to 2000000 nodes per document */
    FD_YAML_ALIASES_REJECT, /* "YAML aliases are not supported" at the alias */
};

/* Zero-initialised: Kubernetes typing, aliases expanded, every document
 * kept, no fast path, no positions. */
struct fd_yaml_json_opts {
    enum fd_yaml_typing typing;
    enum fd_yaml_aliases aliases;
    bool skip_null_documents; /* drop documents that are empty or null */
    /* Text starting with '{' or '[' is first read by jansson (much faster);
     * only what jansson refuses goes through libyaml. Such a document has
     * no node positions. */
    bool json_fast_path;
    bool positions; /* record each node's position for fd_yaml_json_where */
    /* A quoted string scalar may hold a NUL ("\0"), as kubectl writes one
     * an object holds (util.h FD_NUL_SHOWN); else it is refused with its
     * position, as any other scalar or key holding one is. */
    bool nul_in_strings;
};

struct fd_yaml_json_mark;

/* One document, valid only during the callback (incref value to keep it). */
struct fd_yaml_json_doc {
    json_t *value;
    size_t line, col;                      /* where the document starts, 1-based */
    const struct fd_yaml_json_mark *marks; /* private; see fd_yaml_json_where */
    size_t n_marks;
};

/* Returns false to stop, with *err set to a message the caller of
 * fd_yaml_json_each will own. */
typedef bool (*fd_yaml_json_fn)(void *ud, const struct fd_yaml_json_doc *doc, char **err);

/* Reads text (len bytes, need not be NUL-terminated) as a stream of YAML
 * documents and calls fn for each, in order, as soon as it is read (earlier
 * documents are handed over before a later one fails). Nesting deeper than
 * 256 levels, duplicate keys, non-scalar keys and NUL bytes are errors.
 * opts may be NULL for the defaults; file names the input in messages.
 * Returns FD_OK; FD_PARSE with *err = "file:line:col: what" for bad YAML;
 * FD_INVALID when fn returned false (*err as fn set it, or
 * "file: invalid document"). The caller frees *err. */
enum fd_status fd_yaml_json_each(const char *text, size_t len, const char *file,
                                 const struct fd_yaml_json_opts *opts, fd_yaml_json_fn fn, void *ud,
                                 char **err);

/* The same, collected: a new JSON array with one element per document, or
 * NULL with *err set (caller frees both). */
json_t *fd_yaml_json_documents(const char *text, size_t len, const char *file,
                               const struct fd_yaml_json_opts *opts, char **err);

/* Where value v of doc starts (1-based), for semantic errors found after
 * conversion. Needs opts->positions. Returns false when v is not a node of
 * doc or positions were not recorded. null, true and false are shared
 * jansson singletons: for them the answer is the last one read. */
bool fd_yaml_json_where(const struct fd_yaml_json_doc *doc, const json_t *v, size_t *line,
                        size_t *col);

/* ---- Kubernetes manifests (yamldoc.c) ---------------------------------------- */
/* Parses text (len bytes) as a stream of YAML documents (JSON is YAML) into a
 * JSON array with one element per non-empty document. Scalars are typed as
 * Kubernetes' YAML (go-yaml v2) does: null/~, true/false (and yes/no/on/off),
 * integers, floats; quoted scalars are strings (a NUL in one allowed, as
 * kubectl writes what an object holds); aliases and << merges are
 * expanded. file names the input in errors. Returns a new reference, or NULL
 * with *err = "file:line:col: what" (caller frees). */
json_t *fd_yaml_manifests(const char *text, size_t len, const char *file, char **err);

/* The most fd_yaml_manifest_objects reads: a recorded project of thousands
 * of Freight is tens of MiB; beyond this a file named by mistake (a disk
 * image, /dev/zero's copy) is refused before it fills memory. */
#define FD_YAML_MANIFEST_MAX (256u << 20)

/* The objects of a file (standard input for "-"), at most
 * FD_YAML_MANIFEST_MAX bytes, parsed as above, in one array however they
 * were written: documents, a List's items (kind List, AnalysisRunList, ...
 * as kubectl get writes them; or items without a kind), a JSON array's
 * elements, in the order of the file. A new reference, or NULL with *err = "path: why" or
 * "file:line:col: what" (caller frees). */
json_t *fd_yaml_manifest_objects(const char *path, char **err);

#endif /* FREIGHTDECK_YAML_H */

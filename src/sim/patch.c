/* sim/patch.c: RFC 7386 merge patch and RFC 6902 JSON patch over jansson. */
#include "config.h"

#include "patch.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "freightdeck/util.h"
#include "misc.h"

json_t *fd_sim_merge_patch(const json_t *target, const json_t *patch)
{
    if (!json_is_object(patch))
        return json_deep_copy(patch);
    json_t *out = json_is_object(target) ? json_deep_copy(target) : json_object();
    const char *key;
    json_t *value;
    json_object_foreach(fd_sim_mut(patch), key, value)
    {
        if (json_is_null(value)) {
            json_object_del(out, key);
            continue;
        }
        json_t *merged = fd_sim_merge_patch(json_object_get(out, key), value);
        json_object_set_new(out, key, merged);
    }
    return out;
}

/* One reference token of a JSON pointer, unescaped (~1 → /, ~0 → ~). */
static char *pointer_token(const char *start, size_t len)
{
    struct fd_buf b = FD_BUF_INIT;
    for (size_t i = 0; i < len; i++) {
        if (start[i] == '~' && i + 1 < len && (start[i + 1] == '0' || start[i + 1] == '1')) {
            fd_buf_putc(&b, start[i + 1] == '0' ? '~' : '/');
            i++;
        } else {
            fd_buf_putc(&b, start[i]);
        }
    }
    return fd_buf_steal(&b);
}

/* An array index token: digits only, no leading zero; -1 when not one. */
static long array_index(const char *tok)
{
    char *end;
    if (!tok[0] || (tok[0] == '0' && tok[1]) || tok[0] == '-' || tok[0] == '+')
        return -1;
    errno = 0;
    long v = strtol(tok, &end, 10);
    if (*end || errno || v < 0)
        return -1;
    return v;
}

/* Resolves every token but the last of path in doc. Returns the parent
 * container (borrowed) and the last token (caller frees) in *last; NULL when a
 * step is missing. The empty path (the whole document) gives parent NULL and
 * *last NULL with ok set. */
static json_t *resolve_parent(json_t *doc, const char *path, char **last, int *whole)
{
    *last = NULL;
    *whole = 0;
    if (path[0] == '\0') {
        *whole = 1;
        return NULL;
    }
    if (path[0] != '/')
        return NULL;
    json_t *cur = doc;
    const char *p = path + 1;
    for (;;) {
        const char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);
        char *tok = pointer_token(p, len);
        if (!slash) {
            *last = tok;
            return cur;
        }
        json_t *next = NULL;
        if (json_is_object(cur)) {
            next = json_object_get(cur, tok);
        } else if (json_is_array(cur)) {
            long i = array_index(tok);
            if (i >= 0)
                next = json_array_get(cur, (size_t)i);
        }
        free(tok);
        if (!next)
            return NULL;
        cur = next;
        p = slash + 1;
    }
}

static json_t *get_at(json_t *doc, const char *path)
{
    char *last;
    int whole;
    json_t *parent = resolve_parent(doc, path, &last, &whole);
    json_t *v = NULL;
    if (whole)
        return doc;
    if (parent && json_is_object(parent)) {
        v = json_object_get(parent, last);
    } else if (parent && json_is_array(parent)) {
        long i = array_index(last);
        if (i >= 0)
            v = json_array_get(parent, (size_t)i);
    }
    free(last);
    return v;
}

/* Adds value (stolen) at path. *doc may be replaced (path ""). */
static int op_add(json_t **doc, const char *path, json_t *value, char **err)
{
    char *last;
    int whole;
    json_t *parent = resolve_parent(*doc, path, &last, &whole);
    int rc = -1;

    if (whole) {
        json_decref(*doc);
        *doc = value;
        return 0;
    }
    if (!parent) {
        *err = fd_xasprintf(
            "add operation does not apply: doc is missing path: \"%s\": missing value", path);
    } else if (json_is_object(parent)) {
        json_object_set_new(parent, last, value);
        value = NULL;
        rc = 0;
    } else if (json_is_array(parent)) {
        long i = strcmp(last, "-") == 0 ? (long)json_array_size(parent) : array_index(last);
        if (i < 0 || (size_t)i > json_array_size(parent)) {
            *err = fd_xasprintf("add operation does not apply: index out of bounds: \"%s\"", path);
        } else {
            json_array_insert_new(parent, (size_t)i, value);
            value = NULL;
            rc = 0;
        }
    } else {
        *err = fd_xasprintf(
            "add operation does not apply: doc is missing path: \"%s\": missing value", path);
    }
    json_decref(value);
    free(last);
    return rc;
}

static int op_remove(json_t *doc, const char *path, const char *opname, char **err)
{
    char *last;
    int whole;
    json_t *parent = resolve_parent(doc, path, &last, &whole);
    int rc = -1;

    if (whole) {
        *err =
            fd_xasprintf("%s operation does not apply: cannot remove the whole document", opname);
        return -1;
    }
    if (parent && json_is_object(parent) && json_object_get(parent, last)) {
        json_object_del(parent, last);
        rc = 0;
    } else if (parent && json_is_array(parent)) {
        long i = array_index(last);
        if (i >= 0 && (size_t)i < json_array_size(parent)) {
            json_array_remove(parent, (size_t)i);
            rc = 0;
        }
    }
    if (rc)
        *err = fd_xasprintf("%s operation does not apply: doc is missing key: %s: missing value",
                            opname, path);
    free(last);
    return rc;
}

static int apply_op(json_t **doc, const json_t *op, size_t index, char **err, int *bad)
{
    const char *name = json_string_value(json_object_get(op, "op"));
    const char *path = json_string_value(json_object_get(op, "path"));
    const char *from = json_string_value(json_object_get(op, "from"));
    json_t *value = json_object_get(op, "value");

    if (!json_is_object(op) || !name || !path) {
        *bad = 1;
        *err = fd_xasprintf(
            "invalid JSON patch operation %zu: it needs \"op\" and \"path\" strings", index);
        return -1;
    }
    if (path[0] && path[0] != '/') {
        *bad = 1;
        *err = fd_xasprintf("invalid JSON pointer \"%s\": it must start with \"/\"", path);
        return -1;
    }
    if (strcmp(name, "add") == 0 || strcmp(name, "replace") == 0 || strcmp(name, "test") == 0) {
        if (!value) {
            *bad = 1;
            *err = fd_xasprintf("invalid JSON patch operation %zu: \"%s\" needs a \"value\"", index,
                                name);
            return -1;
        }
    } else if (strcmp(name, "move") == 0 || strcmp(name, "copy") == 0) {
        if (!from) {
            *bad = 1;
            *err = fd_xasprintf("invalid JSON patch operation %zu: \"%s\" needs a \"from\"", index,
                                name);
            return -1;
        }
    } else if (strcmp(name, "remove") != 0) {
        *bad = 1;
        *err = fd_xasprintf("Unexpected kind: %s", name);
        return -1;
    }

    if (strcmp(name, "add") == 0)
        return op_add(doc, path, json_deep_copy(value), err);
    if (strcmp(name, "remove") == 0)
        return op_remove(*doc, path, "remove", err);
    if (strcmp(name, "replace") == 0) {
        if (!get_at(*doc, path)) {
            *err = fd_xasprintf(
                "replace operation does not apply: doc is missing key: %s: missing value", path);
            return -1;
        }
        if (path[0] && op_remove(*doc, path, "replace", err))
            return -1;
        return op_add(doc, path, json_deep_copy(value), err);
    }
    if (strcmp(name, "test") == 0) {
        json_t *cur = get_at(*doc, path);
        if (!cur || !json_equal(cur, value)) {
            *err = fd_xasprintf("testing value %s failed: test failed", path);
            return -1;
        }
        return 0;
    }
    /* move and copy */
    json_t *src = get_at(*doc, from);
    if (!src) {
        *err = fd_xasprintf(
            "%s operation does not apply: doc is missing from path: %s: missing value", name, from);
        return -1;
    }
    if (strcmp(name, "move") == 0) {
        size_t n = strlen(from);
        if (strncmp(path, from, n) == 0 && path[n] == '/') {
            *err = fd_xasprintf(
                "move operation does not apply: \"from\" %s is a prefix of \"path\" %s", from,
                path);
            return -1;
        }
        json_t *moved = json_incref(src);
        if (op_remove(*doc, from, "move", err)) {
            json_decref(moved);
            return -1;
        }
        return op_add(doc, path, moved, err);
    }
    return op_add(doc, path, json_deep_copy(src), err);
}

json_t *fd_sim_json_patch(const json_t *doc, const json_t *patch, char **err, int *bad)
{
    size_t i;
    json_t *op;

    *err = NULL;
    *bad = 0;
    if (!json_is_array(patch)) {
        *bad = 1;
        *err = fd_xstrdup("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
        return NULL;
    }
    json_t *out = json_deep_copy(doc);
    json_array_foreach(fd_sim_mut(patch), i, op)
    {
        if (apply_op(&out, op, i, err, bad)) {
            json_decref(out);
            return NULL;
        }
    }
    return out;
}

/* analysis/yamldoc.c: a stream of YAML documents (kubectl-style manifests,
 * `kubectl get -o yaml` output, plain JSON) into jansson values, with the
 * scalar typing Kubernetes' YAML library (go-yaml v2) applies. */
#include "config.h"

#include "freightdeck/promclient.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

/* Nesting and alias-expansion limits: bad input fails cleanly instead of
 * exhausting the stack or the memory ("billion laughs"). */
#define MAX_DEPTH 256
#define MAX_NODES 2000000

struct conv {
    yaml_document_t *doc;
    const char *file;
    size_t nodes;
    char *err;
};

static json_t *conv_fail(struct conv *c, const yaml_node_t *n, const char *what)
{
    if (!c->err)
        c->err = fd_xasprintf("%s:%zu:%zu: %s", c->file, n->start_mark.line + 1,
                              n->start_mark.column + 1, what);
    return NULL;
}

static bool one_of(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return true;
    return false;
}

static const char *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
static const char *const trues[] = {"y",    "Y",    "yes", "Yes", "YES", "true",
                                    "True", "TRUE", "on",  "On",  "ON",  NULL};
static const char *const falses[] = {"n",     "N",     "no",  "No",  "NO",  "false",
                                     "False", "FALSE", "off", "Off", "OFF", NULL};

/* Integers as strconv.ParseInt(s, 0, 64) reads them after '_' removal. */
static bool as_int(const char *s, json_int_t *out)
{
    char buf[80];
    size_t n = 0;
    const char *p = s;
    int base = 10;
    bool neg = false;
    char *end;

    for (; *p && n + 1 < sizeof(buf); p++)
        if (*p != '_')
            buf[n++] = *p;
    if (*p)
        return false;
    buf[n] = '\0';
    p = buf;
    if (*p == '+' || *p == '-')
        neg = *p++ == '-';
    if (!*p)
        return false;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
        base = 16, p += 2;
    else if (p[0] == '0' && (p[1] == 'b' || p[1] == 'B'))
        base = 2, p += 2;
    else if (p[0] == '0' && (p[1] == 'o' || p[1] == 'O'))
        base = 8, p += 2;
    else if (p[0] == '0' && p[1])
        base = 8, p += 1;
    if (!*p)
        return false;
    for (const char *q = p; *q; q++) {
        int d = *q >= '0' && *q <= '9'   ? *q - '0'
                : *q >= 'a' && *q <= 'f' ? *q - 'a' + 10
                : *q >= 'A' && *q <= 'F' ? *q - 'A' + 10
                                         : 99;
        if (d >= base)
            return false;
    }
    errno = 0;
    unsigned long long v = strtoull(p, &end, base);
    if (errno || *end)
        return false;
    if (!neg && v > (unsigned long long)INT64_MAX)
        return false;
    if (neg && v > (unsigned long long)INT64_MAX + 1)
        return false;
    *out = neg ? (json_int_t)(0 - v) : (json_int_t)v;
    return true;
}

static bool as_float(const char *s, double *out)
{
    const char *p = s;
    bool digits = false;
    char *end;

    if (*p == '+' || *p == '-')
        p++;
    for (const char *q = p; *q; q++) {
        if (*q >= '0' && *q <= '9')
            digits = true;
        else if (!strchr(".eE+-_", *q))
            return false;
    }
    if (!digits || strchr(s, '_'))
        return false;
    *out = strtod(s, &end);
    return *end == '\0';
}

static json_t *scalar(struct conv *c, const yaml_node_t *n)
{
    const char *s = (const char *)n->data.scalar.value;
    size_t len = n->data.scalar.length;
    const char *tag = (const char *)n->tag;
    bool plain = n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    json_int_t i;
    double d;

    if (strlen(s) != len)
        return conv_fail(c, n, "a scalar holds a NUL byte");
    if (tag && strcmp(tag, YAML_STR_TAG) != 0) {
        if (strcmp(tag, YAML_NULL_TAG) == 0)
            return json_null();
        if (strcmp(tag, YAML_BOOL_TAG) == 0 && (one_of(s, trues) || one_of(s, falses)))
            return json_boolean(one_of(s, trues));
        if (strcmp(tag, YAML_INT_TAG) == 0 && as_int(s, &i))
            return json_integer(i);
        if (strcmp(tag, YAML_FLOAT_TAG) == 0 && as_float(s, &d))
            return json_real(d);
        if (strcmp(tag, YAML_BOOL_TAG) == 0 || strcmp(tag, YAML_INT_TAG) == 0 ||
            strcmp(tag, YAML_FLOAT_TAG) == 0) {
            char *what = fd_xasprintf("cannot read \"%s\" as %s", s, tag);
            conv_fail(c, n, what);
            free(what);
            return NULL;
        }
    }
    if (plain) {
        if (one_of(s, nulls))
            return json_null();
        if (one_of(s, trues))
            return json_true();
        if (one_of(s, falses))
            return json_false();
        if (as_int(s, &i))
            return json_integer(i);
        if (as_float(s, &d)) {
            json_t *r = json_real(d);
            if (r)
                return r;
        }
    }
    return json_stringn(s, len);
}

static json_t *convert(struct conv *c, const yaml_node_t *n, int depth);

static bool merge_into(struct conv *c, json_t *obj, const yaml_node_t *src, int depth)
{
    json_t *m = convert(c, src, depth + 1);
    const char *k;
    json_t *v;

    if (!m)
        return false;
    if (!json_is_object(m)) {
        json_decref(m);
        conv_fail(c, src, "a merge key (<<) needs a mapping");
        return false;
    }
    json_object_foreach(m, k, v)
    {
        if (!json_object_get(obj, k))
            json_object_set(obj, k, v);
    }
    json_decref(m);
    return true;
}

static json_t *mapping(struct conv *c, const yaml_node_t *n, int depth)
{
    json_t *obj = json_object();
    json_t *merges = json_array(); /* merge keys apply after the explicit ones */

    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
        yaml_node_t *v = yaml_document_get_node(c->doc, p->value);
        if (!k || !v || k->type != YAML_SCALAR_NODE) {
            conv_fail(c, k ? k : n, "a mapping key must be a scalar");
            goto fail;
        }
        const char *key = (const char *)k->data.scalar.value;
        if (strlen(key) != k->data.scalar.length) {
            conv_fail(c, k, "a mapping key holds a NUL byte");
            goto fail;
        }
        if (strcmp(key, "<<") == 0 && k->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
            json_array_append_new(merges, json_integer(p->value));
            continue;
        }
        if (json_object_get(obj, key)) {
            char *what = fd_xasprintf("duplicate key \"%s\"", key);
            conv_fail(c, k, what);
            free(what);
            goto fail;
        }
        json_t *jv = convert(c, v, depth + 1);
        if (!jv)
            goto fail;
        json_object_set_new(obj, key, jv);
    }
    for (size_t i = 0; i < json_array_size(merges); i++) {
        yaml_node_t *v =
            yaml_document_get_node(c->doc, (int)json_integer_value(json_array_get(merges, i)));
        if (v->type == YAML_SEQUENCE_NODE) {
            for (yaml_node_item_t *it = v->data.sequence.items.start;
                 it < v->data.sequence.items.top; it++)
                if (!merge_into(c, obj, yaml_document_get_node(c->doc, *it), depth))
                    goto fail;
        } else if (!merge_into(c, obj, v, depth)) {
            goto fail;
        }
    }
    json_decref(merges);
    return obj;
fail:
    json_decref(merges);
    json_decref(obj);
    return NULL;
}

static json_t *convert(struct conv *c, const yaml_node_t *n, int depth)
{
    if (depth > MAX_DEPTH)
        return conv_fail(c, n, "nesting deeper than 256 levels");
    if (++c->nodes > MAX_NODES)
        return conv_fail(c, n, "too many nodes (aliases expand to more than 2000000)");
    switch (n->type) {
    case YAML_SCALAR_NODE:
        return scalar(c, n);
    case YAML_SEQUENCE_NODE: {
        json_t *arr = json_array();
        for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
             it++) {
            json_t *v = convert(c, yaml_document_get_node(c->doc, *it), depth + 1);
            if (!v) {
                json_decref(arr);
                return NULL;
            }
            json_array_append_new(arr, v);
        }
        return arr;
    }
    case YAML_MAPPING_NODE:
        return mapping(c, n, depth);
    default:
        return conv_fail(c, n, "empty node");
    }
}

json_t *fd_promclient_yaml_documents(const char *text, size_t len, const char *file, char **err)
{
    yaml_parser_t parser;
    json_t *docs = json_array();
    struct conv c = {NULL, file ? file : "<input>", 0, NULL};

    *err = NULL;
    /* JSON is YAML; jansson reads it an order of magnitude faster than
     * libyaml, which matters for large recorded runs. Anything jansson
     * refuses (duplicate keys included) goes through libyaml, which says
     * where the problem is. */
    size_t skip = 0;
    while (text && skip < len && strchr(" \t\r\n", text[skip]))
        skip++;
    if (text && skip < len && (text[skip] == '{' || text[skip] == '[')) {
        json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, NULL);
        if (j) {
            if (json_is_null(j))
                json_decref(j);
            else
                json_array_append_new(docs, j);
            return docs;
        }
    }
    if (!yaml_parser_initialize(&parser))
        fd_fatal("out of memory");
    yaml_parser_set_input_string(&parser, (const unsigned char *)(text ? text : ""), len);
    for (;;) {
        yaml_document_t doc;
        if (!yaml_parser_load(&parser, &doc)) {
            const yaml_mark_t *mk = &parser.problem_mark;
            *err = fd_xasprintf("%s:%zu:%zu: %s%s%s", c.file, mk->line + 1, mk->column + 1,
                                parser.problem ? parser.problem : "invalid YAML",
                                parser.context ? " " : "", parser.context ? parser.context : "");
            json_decref(docs);
            yaml_parser_delete(&parser);
            return NULL;
        }
        yaml_node_t *root = yaml_document_get_root_node(&doc);
        if (!root) {
            yaml_document_delete(&doc);
            break;
        }
        c.doc = &doc;
        json_t *j = convert(&c, root, 0);
        yaml_document_delete(&doc);
        if (!j) {
            *err = c.err ? c.err : fd_xasprintf("%s: invalid document", c.file);
            json_decref(docs);
            yaml_parser_delete(&parser);
            return NULL;
        }
        if (json_is_null(j))
            json_decref(j);
        else
            json_array_append_new(docs, j);
    }
    yaml_parser_delete(&parser);
    return docs;
}

json_t *fd_promclient_yaml_file(const char *path, char **err)
{
    FILE *f;
    struct fd_buf b = FD_BUF_INIT;
    char chunk[65536];
    size_t n;
    json_t *docs;
    bool is_stdin = strcmp(path, "-") == 0;

    *err = NULL;
    f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        *err = fd_xasprintf("%s: %s", path, strerror(errno));
        return NULL;
    }
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        fd_buf_append(&b, chunk, n);
    if (ferror(f)) {
        *err = fd_xasprintf("%s: %s", path, strerror(errno ? errno : EIO));
        if (!is_stdin)
            fclose(f);
        fd_buf_free(&b);
        return NULL;
    }
    if (!is_stdin)
        fclose(f);
    docs =
        fd_promclient_yaml_documents(b.data ? b.data : "", b.len, is_stdin ? "<stdin>" : path, err);
    fd_buf_free(&b);
    return docs;
}

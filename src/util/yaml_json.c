/* util/yaml_json.c: a stream of YAML documents into jansson values, read
 * from libyaml's events so that an alias, an explicit tag and each
 * document's start keep their position. One converter for every module; the
 * options carry what differs between callers (scalar typing, aliases). */
#include "config.h"

#include "freightdeck/yaml.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Nesting and alias-expansion limits: bad input fails cleanly instead of
 * exhausting the stack or the memory ("billion laughs"). */
#define MAX_NODES 2000000

struct anchor {
    char *name;
    json_t *value;
    char *text; /* a scalar's own text, so that an alias can be a mapping key */
    size_t nodes;
};

struct fd_yaml_json_mark {
    const json_t *value;
    size_t line, col;
};

struct conv {
    yaml_parser_t parser;
    const struct fd_yaml_json_opts *o;
    const char *file;
    size_t nodes;
    char *err;
    struct anchor *anchors;
    size_t n_anchors, cap_anchors;
    struct fd_yaml_json_mark *marks;
    size_t n_marks, cap_marks;
};

static void fail_at(struct conv *c, const yaml_mark_t *m, const char *what)
{
    if (!c->err)
        c->err = fd_xasprintf("%s:%zu:%zu: %s", c->file, m->line + 1, m->column + 1, what);
}

static bool next_event(struct conv *c, yaml_event_t *ev)
{
    if (yaml_parser_parse(&c->parser, ev))
        return true;
    if (!c->err) {
        const yaml_parser_t *p = &c->parser;
        const yaml_mark_t *m = p->problem ? &p->problem_mark : &p->context_mark;
        c->err = fd_xasprintf("%s:%zu:%zu: %s%s%s", c->file, m->line + 1, m->column + 1,
                              p->problem ? p->problem : "invalid YAML", p->context ? " " : "",
                              p->context ? p->context : "");
    }
    return false;
}

static json_t *marked(struct conv *c, json_t *v, const yaml_mark_t *m)
{
    if (!v || !c->o->positions)
        return v;
    if (c->n_marks == c->cap_marks) {
        c->cap_marks = c->cap_marks ? 2 * c->cap_marks : 64;
        c->marks = fd_xreallocarray(c->marks, c->cap_marks, sizeof(*c->marks));
    }
    c->marks[c->n_marks++] = (struct fd_yaml_json_mark){v, m->line + 1, m->column + 1};
    return v;
}

static bool one_of(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return true;
    return false;
}

static const char *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
static const char *const trues_11[] = {"y",    "Y",    "yes", "Yes", "YES", "true",
                                       "True", "TRUE", "on",  "On",  "ON",  NULL};
static const char *const falses_11[] = {"n",     "N",     "no",  "No",  "NO",  "false",
                                        "False", "FALSE", "off", "Off", "OFF", NULL};
static const char *const trues_core[] = {"true", "True", "TRUE", NULL};
static const char *const falses_core[] = {"false", "False", "FALSE", NULL};

/* Integers as Go's strconv.ParseInt(s, 0, 64) reads them after '_' removal. */
static bool as_go_int(const char *s, json_int_t *out)
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

static bool as_go_float(const char *s, double *out)
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

/* Decimal integers of at most 18 digits, so that they always fit. */
static bool as_decimal(const char *s, json_int_t *out)
{
    const char *p = s + (s[0] == '-' || s[0] == '+');

    if (!*p || strlen(s) >= 19)
        return false;
    for (const char *q = p; *q; q++)
        if (*q < '0' || *q > '9')
            return false;
    *out = strtoll(s, NULL, 10);
    return true;
}

static bool as_decimal_float(const char *s, double *out)
{
    char *end;

    errno = 0;
    *out = strtod(s, &end);
    return !*end && !errno &&
           (s[0] == '-' || s[0] == '+' || s[0] == '.' || (s[0] >= '0' && s[0] <= '9')) &&
           !strpbrk(s, "xXnN");
}

static json_t *typed_plain(struct conv *c, const char *s, size_t len)
{
    bool kube = c->o->typing == FD_YAML_TYPING_KUBE;
    json_int_t i;
    double d;

    if (one_of(s, nulls))
        return json_null();
    if (one_of(s, kube ? trues_11 : trues_core))
        return json_true();
    if (one_of(s, kube ? falses_11 : falses_core))
        return json_false();
    if (kube ? as_go_int(s, &i) : as_decimal(s, &i))
        return json_integer(i);
    if (kube ? as_go_float(s, &d) : as_decimal_float(s, &d)) {
        json_t *r = json_real(d); /* NULL for NaN and infinities */
        if (r)
            return r;
    }
    return json_stringn(s, len);
}

/* An explicit !!null, !!bool, !!int or !!float tag: the text must fit it. */
static json_t *tagged(struct conv *c, const yaml_event_t *ev, bool *handled)
{
    const char *s = (const char *)ev->data.scalar.value;
    const char *tag = (const char *)ev->data.scalar.tag;
    json_int_t i;
    double d;

    *handled = true;
    if (strcmp(tag, YAML_NULL_TAG) == 0)
        return json_null();
    if (strcmp(tag, YAML_BOOL_TAG) == 0 && (one_of(s, trues_11) || one_of(s, falses_11)))
        return json_boolean(one_of(s, trues_11));
    if (strcmp(tag, YAML_INT_TAG) == 0 && as_go_int(s, &i))
        return json_integer(i);
    if (strcmp(tag, YAML_FLOAT_TAG) == 0 && as_go_float(s, &d))
        return json_real(d);
    if (strcmp(tag, YAML_BOOL_TAG) == 0 || strcmp(tag, YAML_INT_TAG) == 0 ||
        strcmp(tag, YAML_FLOAT_TAG) == 0) {
        char *what = fd_xasprintf("cannot read \"%s\" as %s", s, tag);
        fail_at(c, &ev->start_mark, what);
        free(what);
        return NULL;
    }
    *handled = false;
    return NULL;
}

static json_t *scalar(struct conv *c, const yaml_event_t *ev)
{
    const char *s = (const char *)ev->data.scalar.value;
    size_t len = ev->data.scalar.length;
    const char *tag = (const char *)ev->data.scalar.tag;
    bool handled;

    bool string =
        tag ? strcmp(tag, YAML_STR_TAG) == 0 : ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
    if (strlen(s) != len && !(c->o->nul_in_strings && string)) {
        fail_at(c, &ev->start_mark, "a scalar holds a NUL byte");
        return NULL;
    }
    if (tag && strcmp(tag, YAML_STR_TAG) == 0)
        return json_stringn(s, len);
    if (tag && c->o->typing == FD_YAML_TYPING_KUBE) {
        json_t *v = tagged(c, ev, &handled);
        if (handled)
            return v;
    }
    if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return json_stringn(s, len);
    return typed_plain(c, s, len);
}

static const struct anchor *find_anchor(const struct conv *c, const char *name)
{
    for (size_t i = c->n_anchors; i-- > 0;)
        if (strcmp(c->anchors[i].name, name) == 0)
            return &c->anchors[i];
    return NULL;
}

static void add_anchor(struct conv *c, const unsigned char *name, json_t *v, const char *text,
                       size_t nodes)
{
    if (c->n_anchors == c->cap_anchors) {
        c->cap_anchors = c->cap_anchors ? 2 * c->cap_anchors : 16;
        c->anchors = fd_xreallocarray(c->anchors, c->cap_anchors, sizeof(*c->anchors));
    }
    c->anchors[c->n_anchors++] = (struct anchor){fd_xstrdup((const char *)name), json_incref(v),
                                                 text ? fd_xstrdup(text) : NULL, nodes};
}

static void drop_anchors(struct conv *c)
{
    for (size_t i = 0; i < c->n_anchors; i++) {
        free(c->anchors[i].name);
        free(c->anchors[i].text);
        json_decref(c->anchors[i].value);
    }
    c->n_anchors = 0;
}

/* Resolves an alias event; NULL (with the error set) when refused. */
static const struct anchor *alias(struct conv *c, const yaml_event_t *ev)
{
    const struct anchor *a;

    if (c->o->aliases == FD_YAML_ALIASES_REJECT) {
        fail_at(c, &ev->start_mark, "YAML aliases are not supported");
        return NULL;
    }
    a = find_anchor(c, (const char *)ev->data.alias.anchor);
    if (!a) {
        char *what = fd_xasprintf("undefined alias \"%s\"", (const char *)ev->data.alias.anchor);
        fail_at(c, &ev->start_mark, what);
        free(what);
        return NULL;
    }
    if (a->nodes > MAX_NODES - c->nodes) {
        fail_at(c, &ev->start_mark, "too many nodes (aliases expand to more than 2000000)");
        return NULL;
    }
    c->nodes += a->nodes;
    return a;
}

static json_t *node(struct conv *c, yaml_event_t *ev, int depth);

static bool merge_one(struct conv *c, json_t *obj, json_t *src, const yaml_mark_t *m)
{
    const char *k;
    json_t *v;

    if (!json_is_object(src)) {
        fail_at(c, m, "a merge key (<<) needs a mapping");
        return false;
    }
    json_object_foreach(src, k, v)
    {
        if (!json_object_get(obj, k))
            json_object_set(obj, k, v);
    }
    return true;
}

/* Merge keys apply after the explicit ones, the first merged mapping winning. */
static bool merge_all(struct conv *c, json_t *obj, json_t *merges, const yaml_mark_t *marks)
{
    size_t i, j;
    json_t *m, *item;

    json_array_foreach(merges, i, m)
    {
        if (!json_is_array(m)) {
            if (!merge_one(c, obj, m, &marks[i]))
                return false;
            continue;
        }
        json_array_foreach(m, j, item)
        {
            if (!merge_one(c, obj, item, &marks[i]))
                return false;
        }
    }
    return true;
}

/* The text of a mapping key; NULL (with the error set) when it is not a
 * scalar. */
static char *key_text(struct conv *c, const yaml_event_t *ev)
{
    const char *s;
    size_t len;

    if (ev->type == YAML_ALIAS_EVENT) {
        const struct anchor *a = alias(c, ev);
        if (!a)
            return NULL;
        if (!a->text) {
            fail_at(c, &ev->start_mark, "a mapping key must be a scalar");
            return NULL;
        }
        return fd_xstrdup(a->text);
    }
    if (ev->type != YAML_SCALAR_EVENT) {
        fail_at(c, &ev->start_mark, "a mapping key must be a scalar");
        return NULL;
    }
    s = (const char *)ev->data.scalar.value;
    len = ev->data.scalar.length;
    if (strlen(s) != len) {
        fail_at(c, &ev->start_mark, "a mapping key holds a NUL byte");
        return NULL;
    }
    return fd_xstrdup(s);
}

static json_t *mapping(struct conv *c, int depth)
{
    json_t *obj = json_object();
    json_t *merges = json_array();
    yaml_mark_t *merge_marks = NULL;
    yaml_event_t ev;

    for (;;) {
        if (!next_event(c, &ev))
            goto fail;
        if (ev.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&ev);
            break;
        }
        bool merge = c->o->typing == FD_YAML_TYPING_KUBE && ev.type == YAML_SCALAR_EVENT &&
                     ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
                     strcmp((const char *)ev.data.scalar.value, "<<") == 0;
        yaml_mark_t km = ev.start_mark;
        char *key = key_text(c, &ev);
        yaml_event_delete(&ev);
        if (!key)
            goto fail;
        if (!merge && json_object_get(obj, key)) {
            char *what = fd_xasprintf("duplicate key \"%s\"", key);
            fail_at(c, &km, what);
            free(what);
            free(key);
            goto fail;
        }
        if (!next_event(c, &ev)) {
            free(key);
            goto fail;
        }
        yaml_mark_t vm = ev.start_mark;
        json_t *v = node(c, &ev, depth + 1);
        yaml_event_delete(&ev);
        if (!v) {
            free(key);
            goto fail;
        }
        if (merge) {
            size_t n = json_array_size(merges);
            merge_marks = fd_xreallocarray(merge_marks, n + 1, sizeof(*merge_marks));
            merge_marks[n] = vm;
            json_array_append_new(merges, v);
        } else {
            json_object_set_new(obj, key, v);
        }
        free(key);
    }
    if (!merge_all(c, obj, merges, merge_marks))
        goto fail;
    free(merge_marks);
    json_decref(merges);
    return obj;
fail:
    free(merge_marks);
    json_decref(merges);
    json_decref(obj);
    return NULL;
}

static json_t *sequence(struct conv *c, int depth)
{
    json_t *arr = json_array();
    yaml_event_t ev;

    for (;;) {
        if (!next_event(c, &ev))
            break;
        if (ev.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&ev);
            return arr;
        }
        json_t *v = node(c, &ev, depth + 1);
        yaml_event_delete(&ev);
        if (!v)
            break;
        json_array_append_new(arr, v);
    }
    json_decref(arr);
    return NULL;
}

/* Converts the node that ev starts, reading the events up to its end. */
static json_t *node(struct conv *c, yaml_event_t *ev, int depth)
{
    const unsigned char *anchor = NULL;
    size_t before = c->nodes;
    json_t *v;

    if (depth > FD_YAML_MAX_DEPTH) {
        char what[48];

        snprintf(what, sizeof(what), "nesting deeper than %d levels", FD_YAML_MAX_DEPTH);
        fail_at(c, &ev->start_mark, what);
        return NULL;
    }
    if (ev->type != YAML_ALIAS_EVENT && ++c->nodes > MAX_NODES) {
        fail_at(c, &ev->start_mark, "too many nodes (aliases expand to more than 2000000)");
        return NULL;
    }
    switch (ev->type) {
    case YAML_SCALAR_EVENT:
        anchor = ev->data.scalar.anchor;
        v = scalar(c, ev);
        if (v && anchor)
            add_anchor(c, anchor, v, (const char *)ev->data.scalar.value, 1);
        return marked(c, v, &ev->start_mark);
    case YAML_SEQUENCE_START_EVENT:
        anchor = ev->data.sequence_start.anchor;
        v = sequence(c, depth);
        break;
    case YAML_MAPPING_START_EVENT:
        anchor = ev->data.mapping_start.anchor;
        v = mapping(c, depth);
        break;
    case YAML_ALIAS_EVENT: {
        const struct anchor *a = alias(c, ev);
        return a ? marked(c, json_deep_copy(a->value), &ev->start_mark) : NULL;
    }
    default:
        fail_at(c, &ev->start_mark, "unexpected YAML event");
        return NULL;
    }
    if (v && anchor)
        add_anchor(c, anchor, v, NULL, c->nodes - before);
    return marked(c, v, &ev->start_mark);
}

/* JSON is YAML; jansson reads it an order of magnitude faster than libyaml,
 * which matters for large recorded runs. Anything jansson refuses
 * (duplicate keys included) goes through libyaml, which says where. */
static bool json_fast(const char *text, size_t len, const struct fd_yaml_json_opts *o,
                      fd_yaml_json_fn fn, void *ud, char **err, enum fd_status *st)
{
    size_t skip = 0;

    while (skip < len && strchr(" \t\r\n", text[skip]))
        skip++;
    if (skip >= len || (text[skip] != '{' && text[skip] != '['))
        return false;
    json_t *j = fd_json_load_outside(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, NULL);
    if (!j)
        return false;
    struct fd_yaml_json_doc d = {j, 1, 1, NULL, 0};
    *st = (o->skip_null_documents && json_is_null(j)) || fn(ud, &d, err) ? FD_OK : FD_INVALID;
    json_decref(j);
    return true;
}

enum fd_status fd_yaml_json_each(const char *text, size_t len, const char *file,
                                 const struct fd_yaml_json_opts *opts, fd_yaml_json_fn fn, void *ud,
                                 char **err)
{
    static const struct fd_yaml_json_opts defaults = {0};
    struct conv c = {.o = opts ? opts : &defaults, .file = file ? file : "<input>"};
    enum fd_status st = FD_OK;
    yaml_event_t ev;

    *err = NULL;
    if (!text)
        text = "", len = 0;
    if (c.o->json_fast_path && json_fast(text, len, c.o, fn, ud, err, &st))
        return st;
    if (!yaml_parser_initialize(&c.parser))
        fd_fatal("libyaml: cannot initialise a parser");
    yaml_parser_set_input_string(&c.parser, (const unsigned char *)text, len);
    for (;;) {
        if (!next_event(&c, &ev)) {
            st = FD_PARSE;
            break;
        }
        if (ev.type == YAML_STREAM_END_EVENT) {
            yaml_event_delete(&ev);
            break;
        }
        if (ev.type != YAML_DOCUMENT_START_EVENT) {
            yaml_event_delete(&ev);
            continue;
        }
        /* Anchors and positions belong to one document. */
        drop_anchors(&c);
        c.n_marks = 0;
        struct fd_yaml_json_doc d = {NULL, ev.start_mark.line + 1, ev.start_mark.column + 1, NULL,
                                     0};
        yaml_event_delete(&ev);
        if (!next_event(&c, &ev)) {
            st = FD_PARSE;
            break;
        }
        if (ev.type == YAML_DOCUMENT_END_EVENT) {
            yaml_event_delete(&ev);
            continue;
        }
        d.value = node(&c, &ev, 0);
        yaml_event_delete(&ev);
        if (!d.value || !next_event(&c, &ev)) { /* DOCUMENT-END */
            json_decref(d.value);
            st = FD_PARSE;
            break;
        }
        yaml_event_delete(&ev);
        d.marks = c.marks;
        d.n_marks = c.n_marks;
        bool ok = (c.o->skip_null_documents && json_is_null(d.value)) || fn(ud, &d, err);
        json_decref(d.value);
        if (!ok) {
            st = FD_INVALID;
            break;
        }
    }
    drop_anchors(&c);
    free(c.anchors);
    free(c.marks);
    yaml_parser_delete(&c.parser);
    if (st == FD_PARSE) {
        free(*err);
        *err = c.err ? c.err : fd_xasprintf("%s: invalid YAML", c.file);
    } else {
        free(c.err);
        if (st != FD_OK && !*err)
            *err = fd_xasprintf("%s: invalid document", c.file);
    }
    return st;
}

static bool collect(void *ud, const struct fd_yaml_json_doc *d, char **err)
{
    (void)err;
    json_array_append(ud, d->value);
    return true;
}

json_t *fd_yaml_json_documents(const char *text, size_t len, const char *file,
                               const struct fd_yaml_json_opts *opts, char **err)
{
    json_t *docs = json_array();

    if (fd_yaml_json_each(text, len, file, opts, collect, docs, err) != FD_OK) {
        json_decref(docs);
        return NULL;
    }
    return docs;
}

bool fd_yaml_json_where(const struct fd_yaml_json_doc *d, const json_t *v, size_t *line,
                        size_t *col)
{
    for (size_t i = d->n_marks; i-- > 0;) {
        if (d->marks[i].value == v) {
            *line = d->marks[i].line;
            *col = d->marks[i].col;
            return true;
        }
    }
    return false;
}

/* ---- JSON values as YAML ---------------------------------------------------- */

static int emit_file(void *data, unsigned char *buffer, size_t size)
{
    return fwrite(buffer, 1, size, (FILE *)data) == size;
}

/* Whether a plain scalar s would be read back as something other than the
 * string s (a number, a boolean, null, or text YAML treats specially). */
static bool needs_quotes(const char *s)
{
    static const char *const special[] = {"",     "~",     "null",  "Null",  "NULL", "true", "True",
                                          "TRUE", "false", "False", "FALSE", "yes",  "Yes",  "YES",
                                          "no",   "No",    "NO",    "on",    "On",   "ON",   "off",
                                          "Off",  "OFF",   "y",     "Y",     "n",    "N"};
    char *end;

    for (size_t i = 0; i < sizeof(special) / sizeof(special[0]); i++)
        if (strcmp(s, special[i]) == 0)
            return true;
    errno = 0;
    (void)strtod(s, &end);
    if (*s && *end == '\0')
        return true;
    return strchr("-?:,[]{}#&*!|>'\"%@`. ", s[0]) != NULL;
}

static bool emit_value(yaml_emitter_t *e, json_t *v, int depth)
{
    yaml_event_t ev;
    char num[64];
    const char *text = NULL;
    yaml_scalar_style_t style = YAML_PLAIN_SCALAR_STYLE;

    if (depth > 256)
        return false;
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        const char *key;
        json_t *item;
        if (!yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE) ||
            !yaml_emitter_emit(e, &ev))
            return false;
        json_object_foreach(v, key, item)
        {
            json_t *k = json_string(key);
            bool ok = k && emit_value(e, k, depth + 1) && emit_value(e, item, depth + 1);
            json_decref(k);
            if (!ok)
                return false;
        }
        return yaml_mapping_end_event_initialize(&ev) && yaml_emitter_emit(e, &ev);
    }
    case JSON_ARRAY: {
        size_t i;
        json_t *item;
        if (!yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
                                                  json_array_size(v) ? YAML_BLOCK_SEQUENCE_STYLE
                                                                     : YAML_FLOW_SEQUENCE_STYLE) ||
            !yaml_emitter_emit(e, &ev))
            return false;
        json_array_foreach(v, i, item) if (!emit_value(e, item, depth + 1)) return false;
        return yaml_sequence_end_event_initialize(&ev) && yaml_emitter_emit(e, &ev);
    }
    case JSON_STRING:
        text = json_string_value(v);
        if (needs_quotes(text))
            style = YAML_DOUBLE_QUOTED_SCALAR_STYLE;
        break;
    case JSON_INTEGER:
        snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        text = num;
        break;
    case JSON_REAL:
        snprintf(num, sizeof(num), "%.17g", json_real_value(v));
        text = num;
        break;
    case JSON_TRUE:
        text = "true";
        break;
    case JSON_FALSE:
        text = "false";
        break;
    default:
        text = "null";
        break;
    }
    /* libyaml's prototype takes a non-const buffer: hand it a copy. */
    char *copy = fd_xstrdup(text);
    bool ok = yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)copy, (int)strlen(copy),
                                           1, 1, style) &&
              yaml_emitter_emit(e, &ev);
    free(copy);
    return ok;
}

enum fd_status fd_yaml_write_json(FILE *f, json_t *v)
{
    yaml_emitter_t e;
    yaml_event_t ev;
    bool ok;

    if (!yaml_emitter_initialize(&e))
        return FD_NO_MEMORY;
    yaml_emitter_set_output(&e, emit_file, f);
    yaml_emitter_set_unicode(&e, 1);
    yaml_emitter_set_width(&e, -1);
    ok = yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING) &&
         yaml_emitter_emit(&e, &ev) &&
         yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1) &&
         yaml_emitter_emit(&e, &ev) && emit_value(&e, v, 0) &&
         yaml_document_end_event_initialize(&ev, 1) && yaml_emitter_emit(&e, &ev) &&
         yaml_stream_end_event_initialize(&ev) && yaml_emitter_emit(&e, &ev) &&
         yaml_emitter_flush(&e);
    yaml_emitter_delete(&e);
    return ok ? FD_OK : FD_IO;
}

/* sim/load.c: YAML (libyaml) and JSON files into the store. */
#include "config.h"

#include "freightdeck/sim.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "api.h"
#include "freightdeck/util.h"
#include "status.h"

struct yparser {
    yaml_parser_t p;
    const char *name;
    char *err;
};

static void yfail(struct yparser *y, const yaml_mark_t *m, const char *msg)
{
    if (!y->err)
        y->err = fd_xasprintf("%s:%zu:%zu: %s", y->name, m->line + 1, m->column + 1, msg);
}

static bool next_event(struct yparser *y, yaml_event_t *ev)
{
    if (yaml_parser_parse(&y->p, ev))
        return true;
    if (!y->err)
        y->err = fd_xasprintf("%s:%zu:%zu: %s", y->name, y->p.problem_mark.line + 1,
                              y->p.problem_mark.column + 1,
                              y->p.problem ? y->p.problem : "malformed YAML");
    return false;
}

static bool all_digits(const char *s, size_t start)
{
    if (!s[start])
        return false;
    for (size_t i = start; s[i]; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* A plain scalar typed by the YAML core schema; quoted ones are strings. */
static json_t *scalar(const yaml_event_t *ev)
{
    const char *v = (const char *)ev->data.scalar.value;
    const char *tag = (const char *)ev->data.scalar.tag;

    if (tag && strcmp(tag, YAML_STR_TAG) == 0)
        return json_stringn(v, ev->data.scalar.length);
    if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return json_stringn(v, ev->data.scalar.length);
    if (!v[0] || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 || strcmp(v, "Null") == 0 ||
        strcmp(v, "NULL") == 0)
        return json_null();
    if (strcmp(v, "true") == 0 || strcmp(v, "True") == 0 || strcmp(v, "TRUE") == 0)
        return json_true();
    if (strcmp(v, "false") == 0 || strcmp(v, "False") == 0 || strcmp(v, "FALSE") == 0)
        return json_false();
    if (all_digits(v, (v[0] == '-' || v[0] == '+') ? 1 : 0) && strlen(v) < 19)
        return json_integer(strtoll(v, NULL, 10));
    char *end;
    errno = 0;
    double d = strtod(v, &end);
    if (!*end && !errno && (v[0] == '-' || v[0] == '+' || v[0] == '.' || (v[0] >= '0' && v[0] <= '9')) &&
        !strchr(v, 'x') && !strchr(v, 'X') && !strpbrk(v, "nN"))
        return json_real(d);
    return json_stringn(v, ev->data.scalar.length);
}

static json_t *node(struct yparser *y, yaml_event_t *ev, int depth);

static json_t *collection(struct yparser *y, yaml_event_t *start, int depth)
{
    bool map = start->type == YAML_MAPPING_START_EVENT;
    json_t *out = map ? json_object() : json_array();
    yaml_event_t ev;

    for (;;) {
        if (!next_event(y, &ev))
            break;
        if (ev.type == YAML_MAPPING_END_EVENT || ev.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&ev);
            return out;
        }
        if (!map) {
            json_t *v = node(y, &ev, depth + 1);
            yaml_event_delete(&ev);
            if (!v)
                break;
            json_array_append_new(out, v);
            continue;
        }
        if (ev.type != YAML_SCALAR_EVENT) {
            yfail(y, &ev.start_mark, "mapping keys must be scalars");
            yaml_event_delete(&ev);
            break;
        }
        char *key = fd_xstrndup((const char *)ev.data.scalar.value, ev.data.scalar.length);
        yaml_mark_t km = ev.start_mark;
        yaml_event_delete(&ev);
        if (!next_event(y, &ev)) {
            free(key);
            break;
        }
        json_t *v = node(y, &ev, depth + 1);
        yaml_event_delete(&ev);
        if (!v) {
            free(key);
            break;
        }
        if (json_object_get(out, key)) {
            char *msg = fd_xasprintf("duplicate key \"%s\"", key);
            yfail(y, &km, msg);
            free(msg);
            json_decref(v);
            free(key);
            break;
        }
        json_object_set_new(out, key, v);
        free(key);
    }
    json_decref(out);
    return NULL;
}

static json_t *node(struct yparser *y, yaml_event_t *ev, int depth)
{
    if (depth > 200) {
        yfail(y, &ev->start_mark, "nested too deeply");
        return NULL;
    }
    switch (ev->type) {
    case YAML_SCALAR_EVENT:
        return scalar(ev);
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
        return collection(y, ev, depth);
    case YAML_ALIAS_EVENT:
        yfail(y, &ev->start_mark, "YAML aliases are not supported");
        return NULL;
    default:
        yfail(y, &ev->start_mark, "unexpected YAML event");
        return NULL;
    }
}

/* Parses every document; calls fn(doc, line) for each; stops on error. */
static bool parse_documents(const char *text, size_t n, const char *name, char **err,
                            bool (*fn)(void *ud, json_t *doc, size_t line, char **err), void *ud)
{
    struct yparser y = {.name = name};
    yaml_event_t ev;
    bool ok = true;

    yaml_parser_initialize(&y.p);
    yaml_parser_set_input_string(&y.p, (const unsigned char *)text, n);
    for (;;) {
        if (!next_event(&y, &ev)) {
            ok = false;
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
        size_t line = ev.start_mark.line + 1;
        yaml_event_delete(&ev);
        if (!next_event(&y, &ev)) {
            ok = false;
            break;
        }
        json_t *doc = ev.type == YAML_DOCUMENT_END_EVENT ? NULL : node(&y, &ev, 0);
        bool empty = ev.type == YAML_DOCUMENT_END_EVENT;
        yaml_event_delete(&ev);
        if (!empty) {
            if (!doc) {
                ok = false;
                break;
            }
            if (!next_event(&y, &ev)) { /* DOCUMENT-END */
                json_decref(doc);
                ok = false;
                break;
            }
            yaml_event_delete(&ev);
            bool done = fn(ud, doc, line, &y.err);
            json_decref(doc);
            if (!done) {
                ok = false;
                break;
            }
        }
    }
    yaml_parser_delete(&y.p);
    if (!ok)
        *err = y.err ? y.err : fd_xasprintf("%s: malformed YAML", name);
    else
        free(y.err);
    return ok;
}

static bool keep_first(void *ud, json_t *doc, size_t line, char **err)
{
    json_t **out = ud;
    (void)line;
    (void)err;
    if (!*out)
        *out = json_incref(doc);
    return true;
}

json_t *fd_sim_yaml_parse(const char *text, size_t n, const char *name, char **err)
{
    json_t *out = NULL;
    *err = NULL;
    if (!parse_documents(text, n, name, err, keep_first, &out)) {
        json_decref(out);
        return NULL;
    }
    if (!out)
        *err = fd_xasprintf("%s: no document", name);
    return out;
}

struct loader {
    struct fd_sim_api *api;
    const char *name;
};

static bool load_object(struct loader *ld, json_t *obj, size_t line, size_t col, char **err)
{
    const char *av = json_string_value(json_object_get(obj, "apiVersion"));
    const char *kind = json_string_value(json_object_get(obj, "kind"));

    if (kind && av && strcmp(av, "v1") == 0 && strcmp(kind, "List") == 0) {
        size_t i;
        json_t *item;
        json_array_foreach(json_object_get(obj, "items"), i, item)
        {
            if (!load_object(ld, item, line, col, err))
                return false;
        }
        return true;
    }
    const struct fd_sim_resource *r = fd_sim_resource_by_kind(av, kind);
    if (!r || !json_is_object(obj)) {
        *err = fd_xasprintf("%s:%zu:%zu: no resource of kind \"%s\" in apiVersion \"%s\"", ld->name,
                            line, col, kind ? kind : "", av ? av : "");
        return false;
    }
    const char *ns = NULL;
    if (r->namespaced) {
        ns = json_string_value(json_object_get(json_object_get(obj, "metadata"), "namespace"));
        if (!ns || !ns[0])
            ns = "default";
        struct fd_sim_key nk = {"", "v1", "namespaces", NULL, ns};
        json_t *have = fd_sim_store_get(ld->api->store, &nk, NULL);
        if (!have) {
            json_t *nsobj = json_pack("{s:s, s:s, s:{s:s}}", "apiVersion", "v1", "kind",
                                      "Namespace", "metadata", "name", ns);
            have = fd_sim_store_create(ld->api->store, &nk, nsobj, NULL, NULL);
            json_decref(nsobj);
        }
        json_decref(have);
    }
    struct fd_sim_key k = {r->group, r->version, r->plural, ns, NULL};
    struct fd_sim_write w = {NULL, NULL, true, false};
    json_t *st = NULL;
    json_t *made = fd_sim_store_create(ld->api->store, &k, obj, &w, &st);
    if (!made) {
        *err = fd_xasprintf("%s:%zu:%zu: %s", ld->name, line, col,
                            json_string_value(json_object_get(st, "message")));
        json_decref(st);
        return false;
    }
    json_decref(made);
    return true;
}

static bool load_document(void *ud, json_t *doc, size_t line, char **err)
{
    return load_object(ud, doc, line, 1, err);
}

enum fd_status fd_sim_api_load(struct fd_sim_api *api, const char *path, char **err)
{
    FILE *f = fopen(path, "rb");
    struct fd_buf b = FD_BUF_INIT;
    char chunk[8192];
    size_t n;
    struct loader ld = {api, path};

    *err = NULL;
    if (!f) {
        *err = fd_xasprintf("%s: %s", path, strerror(errno));
        return FD_IO;
    }
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        fd_buf_append(&b, chunk, n);
    fclose(f);
    const char *text = fd_buf_cstr(&b);
    size_t skip = strspn(text, " \t\r\n");
    bool ok;
    if (text[skip] == '{' || text[skip] == '[') {
        /* JSON: jansson reports the exact position of a syntax error. */
        json_error_t je;
        json_t *doc = json_loadb(text, b.len, 0, &je);
        if (!doc) {
            *err = fd_xasprintf("%s:%d:%d: %s", path, je.line, je.column, je.text);
            ok = false;
        } else {
            ok = true;
            size_t i;
            json_t *item;
            if (json_is_array(doc)) {
                json_array_foreach(doc, i, item)
                {
                    if (ok)
                        ok = load_object(&ld, item, 1, 1, err);
                }
            } else {
                ok = load_object(&ld, doc, 1, 1, err);
            }
            json_decref(doc);
        }
    } else {
        ok = parse_documents(text, b.len, path, err, load_document, &ld);
    }
    fd_buf_free(&b);
    return ok ? FD_OK : FD_INVALID;
}

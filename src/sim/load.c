/* sim/load.c: YAML (util's converter) and JSON files into the store. */
#include "config.h"

#include "freightdeck/sim.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "freightdeck/util.h"
#include "freightdeck/yaml.h"
#include "status.h"

/* Kubernetes reads manifests with sigs.k8s.io/yaml, but the simulator keeps
 * to the core schema: no yes/no booleans, no octal or hex integers, no
 * aliases; an explicit null document is an error, not skipped. */
static const struct fd_yaml_json_opts sim_yaml = {
    .typing = FD_YAML_TYPING_DECIMAL,
    .aliases = FD_YAML_ALIASES_REJECT,
};

static bool keep_first(void *ud, const struct fd_yaml_json_doc *doc, char **err)
{
    json_t **out = ud;
    (void)err;
    if (!*out)
        *out = json_incref(doc->value);
    return true;
}

json_t *fd_sim_yaml_parse(const char *text, size_t n, const char *name, char **err)
{
    json_t *out = NULL;
    if (fd_yaml_json_each(text, n, name, &sim_yaml, keep_first, &out, err) != FD_OK) {
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
    struct fd_sim_write w = {0};
    w.keep_status = true;
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

static bool load_document(void *ud, const struct fd_yaml_json_doc *doc, char **err)
{
    return load_object(ud, doc->value, doc->line, 1, err);
}

enum fd_status fd_sim_api_load(struct fd_sim_api *api, const char *path, char **err)
{
    struct fd_buf b = FD_BUF_INIT;
    const char *why;
    struct loader ld = {api, path};
    enum fd_status rst;

    *err = NULL;
    if ((rst = fd_read_file(path, 256u << 20, &b, &why)) != FD_OK) {
        *err = fd_xasprintf("%s: %s", path, why);
        fd_buf_free(&b);
        return rst;
    }
    const char *text = fd_buf_cstr(&b);
    size_t skip = strspn(text, " \t\r\n");
    bool ok;
    if (text[skip] == '{' || text[skip] == '[') {
        /* JSON: jansson reports the exact position of a syntax error. */
        json_error_t je;
        json_t *doc = fd_json_load_outside(text, b.len, 0, &je);
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
        ok = fd_yaml_json_each(text, b.len, path, &sim_yaml, load_document, &ld, err) == FD_OK;
    }
    fd_buf_free(&b);
    return ok ? FD_OK : FD_INVALID;
}

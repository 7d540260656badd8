/* client/kargo_objects.c: the project's objects Kargo's expression functions
 * read (commitFrom()'s Warehouses, freightMetadata()'s Freight,
 * stageMetadata()'s Stages, configMap() and secret()), fetched from the API
 * server by GET when the evaluator asks, each at most once per reader, as
 * Kargo's controller reads them through its client. */
#include "config.h"

#include "freightdeck/client.h"

#include <stdlib.h>
#include <string.h>

char *fd_client_kargo_object_path(const char *kind, const char *ns, const char *name)
{
    enum fd_model_kind k = fd_model_kind_from_name(kind);
    char *base, *path;

    if (k == FD_MODEL_WAREHOUSE || k == FD_MODEL_FREIGHT || k == FD_MODEL_STAGE)
        base = fd_client_kind_path(k, ns);
    else if (fd_streq(kind, "ConfigMap") || fd_streq(kind, "Secret"))
        base = fd_xasprintf("/api/v1/namespaces/%s/%s", ns,
                            fd_streq(kind, "Secret") ? "secrets" : "configmaps");
    else
        return NULL;
    path = fd_xasprintf("%s/%s", base, name);
    free(base);
    return path;
}

void fd_client_kargo_reader_init(struct fd_client_kargo_reader *r, struct fd_kube_config *cfg,
                                 const char *project)
{
    memset(r, 0, sizeof(*r));
    r->cfg = cfg;
    r->project = fd_xstrdup(project ? project : "");
    r->cache = json_object();
}

void fd_client_kargo_reader_free(struct fd_client_kargo_reader *r)
{
    if (!r)
        return;
    json_decref(r->cache);
    free(r->project);
    memset(r, 0, sizeof(*r));
}

/* fd_expr_kargo_objects.get over a reader (ud): a new reference, NULL when
 * the object does not exist, or NULL with *err (the caller frees). */
static json_t *fd_client_kargo_get(void *ud, const char *kind, const char *ns, const char *name,
                                   char **err)
{
    struct fd_client_kargo_reader *r = ud;
    struct fd_kube_response resp;
    struct fd_kube_error kerr;
    json_t *obj = NULL;

    *err = NULL;
    /* A name that is no object name cannot exist; do not put it in a path. */
    if (!fd_model_name_valid(name))
        return NULL;
    if (!ns || !fd_model_name_valid(ns))
        ns = r->project;
    char *key = fd_xasprintf("%s/%s/%s", kind, ns, name);
    json_t *hit = json_object_get(r->cache, key);
    if (hit) {
        free(key);
        return json_is_null(hit) ? NULL : json_incref(hit);
    }
    char *path = fd_client_kargo_object_path(kind, ns, name);
    if (!path) {
        *err = fd_xasprintf("no such kind %s", kind);
        free(key);
        return NULL;
    }
    enum fd_status st = fd_kube_request(r->cfg, "GET", path, NULL, NULL, &resp, &kerr);
    if (st == FD_NOT_FOUND) {
        json_object_set_new(r->cache, key, json_null());
    } else if (st != FD_OK) {
        *err = fd_xstrdup(kerr.message);
    } else if (!(obj = fd_json_load_outside(resp.body, resp.body_len, 0, NULL)) ||
               !json_is_object(obj)) {
        json_decref(obj);
        obj = NULL;
        *err =
            fd_xasprintf("%s%s answered something that is not a JSON object", r->cfg->server, path);
    } else {
        json_object_set(r->cache, key, obj);
    }
    fd_kube_response_free(&resp);
    free(path);
    free(key);
    return obj;
}

void fd_client_kargo_objects(struct fd_expr_kargo_objects *objs, struct fd_client_kargo_reader *r)
{
    memset(objs, 0, sizeof(*objs));
    objs->project = r->project;
    objs->get = fd_client_kargo_get;
    objs->ud = r;
}

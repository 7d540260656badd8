/* client/list.c: REST paths of the kinds and the blocking paginated list the
 * one-shot commands use. */
#include "config.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* A list page above this is refused rather than buffered. */
#define MAX_PAGE (64u << 20)

char *fd_client_kind_path(enum fd_model_kind kind, const char *ns)
{
    const char *gv = fd_model_kind_api_version(kind);

    if (ns && fd_model_kind_namespaced(kind))
        return fd_xasprintf("/apis/%s/namespaces/%s/%s", gv, ns, fd_model_kind_plural(kind));
    return fd_xasprintf("/apis/%s/%s", gv, fd_model_kind_plural(kind));
}

static void free_objs(struct fd_model_object **objs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fd_model_object_unref(objs[i]);
    free(objs);
}

enum fd_status fd_client_list(struct fd_kube_config *cfg, struct fd_model_store *store,
                              enum fd_model_kind kind, const char *ns, unsigned page_size,
                              struct fd_kube_error *err)
{
    char *base = fd_client_kind_path(kind, ns), *cont = NULL, *rv = NULL;
    struct fd_model_object **objs = NULL;
    size_t n = 0, cap = 0;
    enum fd_status st = FD_OK;

    if (!page_size)
        page_size = 500;
    do {
        struct fd_kube_response resp;
        json_error_t jerr;
        json_t *body, *meta;
        const json_t *items;
        const char *why;
        char *path, *esc = cont ? curl_easy_escape(NULL, cont, 0) : NULL;

        path = esc ? fd_xasprintf("%s?limit=%u&continue=%s", base, page_size, esc)
                   : fd_xasprintf("%s?limit=%u", base, page_size);
        curl_free(esc);
        st = fd_kube_request(cfg, "GET", path, NULL, NULL, &resp, err);
        /* -v: every request of a one-shot command, with its answer. */
        if (st == FD_OK)
            fd_log(FD_LOG_DEBUG, "GET %s (context %s): HTTP %ld, %zu bytes", path,
                   cfg->context ? cfg->context : "-", resp.status, resp.body_len);
        else
            fd_log(FD_LOG_DEBUG, "GET %s (context %s): %s", path, cfg->context ? cfg->context : "-",
                   err->message);
        free(path);
        if (st == FD_OK && resp.body_len > MAX_PAGE)
            st = fd_kube_fail(err, cfg, FD_LIMIT, "%s list: a page larger than %u bytes",
                              fd_model_kind_name(kind), MAX_PAGE);
        if (st != FD_OK) {
            if (resp.status == 404)
                fd_kube_fail(err, cfg, FD_NOT_FOUND,
                             "%s: the server does not serve %s (is the CRD installed?)",
                             cfg->server, fd_model_kind_api_version(kind));
            fd_kube_response_free(&resp);
            break;
        }
        /* Parsed, decoded and dropped in one go: in an arena (the decoders
         * copy what they keep). */
        struct fd_json_arena arena = FD_JSON_ARENA_INIT;
        fd_json_arena_enter(&arena);
        body = fd_json_load_outside(resp.body, resp.body_len, 0, &jerr);
        fd_json_arena_suspend();
        fd_kube_response_free(&resp);
        fd_json_arena_enter(&arena);
        meta = json_object_get(body, "metadata");
        if (!fd_model_list_items(body, &items, &why)) {
            st = fd_kube_fail(err, cfg, FD_PARSE, "%s list from %s: malformed answer: %s",
                              fd_model_kind_name(kind), cfg->server, body ? why : jerr.text);
            fd_json_arena_leave(&arena);
            break;
        }
        if (n + json_array_size(items) > cap) {
            cap = (n + json_array_size(items)) * 2 + 16;
            objs = fd_xreallocarray(objs, cap, sizeof(*objs));
        }
        for (size_t i = 0; i < json_array_size(items); i++) {
            char *e = NULL;
            if (fd_model_decode(json_array_get(items, i), kind, &objs[n], &e) == FD_OK)
                n++;
            free(e);
        }
        free(cont);
        free(rv);
        cont = json_string_value(json_object_get(meta, "continue"))
                   ? fd_xstrdup(json_string_value(json_object_get(meta, "continue")))
                   : NULL;
        rv = json_string_value(json_object_get(meta, "resourceVersion"))
                 ? fd_xstrdup(json_string_value(json_object_get(meta, "resourceVersion")))
                 : NULL;
        if (cont && !*cont) {
            free(cont);
            cont = NULL;
        }
        fd_json_arena_leave(&arena);
    } while (cont);
    if (st == FD_OK) {
        fd_model_store_relist(store, kind, fd_model_kind_namespaced(kind) ? ns : NULL, objs, n, rv);
        free(objs);
    } else {
        free_objs(objs, n);
    }
    free(cont);
    free(rv);
    free(base);
    return st;
}

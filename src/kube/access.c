/* kube/access.c: SelfSubjectAccessReview, blocking (the client module caches). */
#include "config.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

char *fd_kube_access_body(const struct fd_kube_access_query *q)
{
    json_t *attrs = json_object(), *root;
    char *text;

    json_object_set_new(attrs, "verb", json_string(q->verb ? q->verb : ""));
    json_object_set_new(attrs, "group", json_string(q->group ? q->group : ""));
    json_object_set_new(attrs, "resource", json_string(q->resource ? q->resource : ""));
    if (q->subresource)
        json_object_set_new(attrs, "subresource", json_string(q->subresource));
    if (q->ns)
        json_object_set_new(attrs, "namespace", json_string(q->ns));
    if (q->name)
        json_object_set_new(attrs, "name", json_string(q->name));
    root = json_pack("{s:s, s:s, s:{s:o}}", "apiVersion", "authorization.k8s.io/v1", "kind",
                     "SelfSubjectAccessReview", "spec", "resourceAttributes", attrs);
    text = json_dumps(root, JSON_COMPACT);
    json_decref(root);
    return text;
}

enum fd_kube_access fd_kube_access_parse(const char *body, size_t len, char *reason, size_t size)
{
    json_t *root = fd_json_load_outside(body ? body : "", len, 0, NULL);
    const json_t *status = json_object_get(root, "status");
    const json_t *allowed = json_object_get(status, "allowed");
    const char *why = json_string_value(json_object_get(status, "reason"));
    enum fd_kube_access a = FD_KUBE_ACCESS_UNKNOWN;

    if (json_is_boolean(allowed))
        a = json_is_true(allowed) && !json_is_true(json_object_get(status, "denied"))
                ? FD_KUBE_ACCESS_ALLOWED
                : FD_KUBE_ACCESS_DENIED;
    if (reason && size)
        snprintf(reason, size, "%s", why ? why : "");
    json_decref(root);
    return a;
}

enum fd_kube_access fd_kube_access_review(struct fd_kube_config *cfg,
                                          const struct fd_kube_access_query *q, char *reason,
                                          size_t size, struct fd_kube_error *err)
{
    char *body = fd_kube_access_body(q);
    struct fd_kube_response resp;
    enum fd_kube_access a = FD_KUBE_ACCESS_UNKNOWN;

    if (reason && size)
        reason[0] = '\0';
    if (fd_kube_request(cfg, "POST", FD_KUBE_SSAR_PATH, "application/json", body, &resp, err) ==
        FD_OK) {
        a = fd_kube_access_parse(resp.body, resp.body_len, reason, size);
        if (a == FD_KUBE_ACCESS_UNKNOWN)
            fd_kube_fail(err, cfg, FD_PARSE, "%s: SelfSubjectAccessReview: no status.allowed",
                         cfg->server);
    }
    fd_kube_response_free(&resp);
    free(body);
    return a;
}

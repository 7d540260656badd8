/* client/expr_detect.c: which Argo Rollouts release runs in a cluster, read
 * from the controller's Deployment, so conditions are judged with its expr. */
#include "config.h"

#include "freightdeck/client.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "freightdeck/analysis.h"
#include "freightdeck/kube.h"

/* The label both the upstream manifests (manifests/install.yaml) and the
 * Helm chart put on the controller's Deployment. */
#define LIST_PATH "/apis/apps/v1/deployments?labelSelector=app.kubernetes.io%2Fname%3Dargo-rollouts"
/* The upstream manifests' namespace and name, for a caller who may read
 * that namespace only. */
#define GET_PATH "/apis/apps/v1/namespaces/argo-rollouts/deployments/argo-rollouts"

/* Each request is bounded: the answer only refines a default. */
#define DETECT_TIMEOUT_S 10

static json_t *get(struct fd_kube_config *cfg, const char *path,
                   int (*stop)(void *, char *, size_t), void *arg, char *why, size_t size)
{
    struct fd_kube_response resp;
    struct fd_kube_error kerr;
    struct fd_kube_perform how = {.timeout_s = DETECT_TIMEOUT_S, .stop = stop, .arg = arg};
    json_t *obj = NULL;
    enum fd_status st = fd_kube_request_with(cfg, "GET", path, NULL, NULL, &how, &resp, &kerr);

    if (st != FD_OK)
        snprintf(why, size, "%.200s", kerr.message);
    else if (!(obj = fd_json_load_outside(resp.body, resp.body_len, 0, NULL)) ||
             !json_is_object(obj)) {
        snprintf(why, size, "GET %s: the answer is not a JSON object", path);
        json_decref(obj);
        obj = NULL;
    }
    fd_kube_response_free(&resp);
    return obj;
}

void fd_client_detect_expr(struct fd_kube_config *cfg, int (*stop)(void *, char *, size_t),
                           void *arg, struct fd_analysis_expr_choice *out)
{
    char why[sizeof(out->why)] = "";
    json_t *list = get(cfg, LIST_PATH, stop, arg, why, sizeof(why));
    const json_t *items = json_object_get(list, "items");
    const json_t *d;
    size_t i;

    memset(out, 0, sizeof(*out));
    json_array_foreach(items, i, d)
    {
        if (fd_analysis_expr_detect(d, out)) {
            json_decref(list);
            return;
        }
    }
    if (list && json_array_size(items) > 0) {
        json_decref(list); /* out->why says what the Deployment lacks */
        return;
    }
    json_decref(list);
    /* Listing every namespace is often forbidden; the default place may not be. */
    json_t *one = get(cfg, GET_PATH, stop, arg, why, sizeof(why));
    if (one && fd_analysis_expr_detect(one, out)) {
        json_decref(one);
        return;
    }
    if (!one)
        snprintf(out->why, sizeof(out->why), "the controller's Deployment was not readable: %.180s",
                 why);
    json_decref(one);
    out->source = FD_ANALYSIS_EXPR_DEFAULT;
}

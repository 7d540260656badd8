/* kube/incluster.c: the service-account config of a pod, as client-go reads it. */
#include "config.h"

#include "freightdeck/kube.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

#define SA_DIR "/var/run/secrets/kubernetes.io/serviceaccount"

static char *trimmed(const struct fd_kube_blob *b)
{
    size_t start = 0, end = b->len;

    while (start < end && fd_ascii_isspace(b->data[start]))
        start++;
    while (end > start && fd_ascii_isspace(b->data[end - 1]))
        end--;
    return fd_xstrndup((const char *)b->data + start, end - start);
}

enum fd_status fd_kube_config_in_cluster(const struct fd_kube_load_opts *opts,
                                         struct fd_kube_config **out, struct fd_kube_error *err)
{
    const char *host = getenv("KUBERNETES_SERVICE_HOST"), *port = getenv("KUBERNETES_SERVICE_PORT");
    const char *dir = opts && opts->serviceaccount_dir ? opts->serviceaccount_dir : SA_DIR;
    const char *pod_ns = getenv("POD_NAMESPACE"), *why = NULL;
    struct fd_kube_config *cfg;
    struct fd_kube_blob b;
    char *path;
    enum fd_status st;

    *out = NULL;
    if (!host || !*host || !port || !*port)
        return fd_kube_fail(err, NULL, FD_NOT_FOUND,
                            "in-cluster: not running in a cluster (KUBERNETES_SERVICE_HOST and "
                            "KUBERNETES_SERVICE_PORT must be set)");
    cfg = fd_xcalloc(1, sizeof(*cfg));
    cfg->source = fd_xstrdup("in-cluster");
    cfg->context = fd_xstrdup("");
    cfg->cluster_name = fd_xstrdup("");
    cfg->user_name = fd_xstrdup("");
    cfg->connect_timeout_ms = 10000;
    cfg->idle_timeout_s = 30;
    /* An IPv6 service address needs brackets in a URL. */
    cfg->server = strchr(host, ':') ? fd_xasprintf("https://[%s]:%s", host, port)
                                    : fd_xasprintf("https://%s:%s", host, port);

    path = fd_xasprintf("%s/token", dir);
    st = fd_kube_read_blob(path, &b, &why);
    if (st) {
        fd_kube_fail(err, NULL, st, "in-cluster: service account token %s: %s", path, why);
        free(path);
        fd_kube_config_free(cfg);
        return st;
    }
    cfg->token = trimmed(&b);
    fd_kube_blob_wipe(&b);
    cfg->token_file = path;

    /* client-go goes on without a CA when ca.crt cannot be read. */
    path = fd_xasprintf("%s/ca.crt", dir);
    if (fd_kube_read_blob(path, &cfg->ca, &why) == FD_OK)
        cfg->ca_file = path;
    else {
        fd_log(FD_LOG_WARN, "kube: in-cluster: %s: %s; using the system CAs", path, why);
        free(path);
    }

    if (opts && opts->namespace && *opts->namespace) {
        cfg->namespace = fd_xstrdup(opts->namespace);
    } else if (pod_ns && *pod_ns) {
        cfg->namespace = fd_xstrdup(pod_ns);
    } else {
        path = fd_xasprintf("%s/namespace", dir);
        if (fd_kube_read_blob(path, &b, &why) == FD_OK) {
            cfg->namespace = trimmed(&b);
            fd_kube_blob_wipe(&b);
        }
        free(path);
        if (!cfg->namespace || !*cfg->namespace) {
            free(cfg->namespace);
            cfg->namespace = fd_xstrdup("default");
        }
    }
    cfg->creds = fd_kube_credentials_new();
    *out = cfg;
    return FD_OK;
}

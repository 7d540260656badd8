/* tests/faults/actor.c: sends one action through a live struct fd_client,
 * as the console does (one curl_multi, connections kept and reused), and
 * prints how it ended:
 *     actor KUBECONFIG NAMESPACE ACTION NAME [STAGE]
 * ACTION is an action name (approve, promote, ...). The client lists every
 * kind and asks the access reviews first, so the action's connection is a
 * reused one when the transport allows it. Prints "outcome O", "status S", "resolution R", "message
 * M", "read-back T"; exits with fd_status_exit_code of the result. */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "freightdeck/client.h"
#include "freightdeck/kube.h"
#include "freightdeck/model.h"

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static bool finished;
static struct fd_client_action_result result;

static void done(void *user, const struct fd_model_action_plan *plan,
                 const struct fd_client_action_result *res)
{
    (void)user;
    (void)plan;
    pthread_mutex_lock(&mu);
    result = *res;
    result.message = res->message ? fd_xstrdup(res->message) : NULL;
    result.created = res->created ? fd_xstrdup(res->created) : NULL;
    result.resolution_text = res->resolution_text ? fd_xstrdup(res->resolution_text) : NULL;
    result.body = res->body ? fd_xstrdup(res->body) : NULL; /* every owned field: res is freed */
    finished = true;
    pthread_cond_broadcast(&cond);
    pthread_mutex_unlock(&mu);
}

int main(int argc, char **argv)
{
    struct fd_kube_load_opts lo = {0};
    struct fd_kube_config *cfg;
    struct fd_kube_error err = {0};
    struct fd_model_store *store;
    struct fd_client *c;
    struct fd_model_action a = {0};
    struct fd_model_action_plan *plan = NULL;
    struct fd_model_snapshot *snap;
    char *perr = NULL;
    int rc;

    if (argc < 5 || argc > 6 || !fd_model_action_parse(argv[3], &a.kind)) {
        fprintf(stderr, "usage: actor KUBECONFIG NAMESPACE ACTION NAME [STAGE]\n");
        return 2;
    }
    lo.kubeconfig = argv[1];
    if (fd_kube_config_load(&lo, &cfg, &err) != FD_OK) {
        fprintf(stderr, "actor: %s\n", err.message);
        return 1;
    }
    store = fd_model_store_new(0);
    struct fd_client_opts o = {.cfg = cfg, .store = store, .ns = argv[2]};
    if (fd_client_start(&o, &c, &err) != FD_OK || fd_client_wait_synced(c, 20000, &err) != FD_OK) {
        fprintf(stderr, "actor: %s\n", err.message);
        return 1;
    }
    a.ns = argv[2];
    a.name = argv[4];
    a.stage = argc == 6 ? argv[5] : NULL;
    snap = fd_model_store_snapshot(store);
    if (fd_model_action_plan(&a, snap, (int64_t)time(NULL), &plan, &perr) != FD_OK) {
        fprintf(stderr, "actor: %s\n", perr);
        return 2;
    }
    fd_model_snapshot_release(snap);
    /* As the console's dialog: the RBAC reviews first (their connections
     * stay open for reuse), then the action. */
    for (int i = 0; i < 200 && !fd_client_action_review_cached(c, plan); i++)
        usleep(50000);
    fd_client_action_send(c, plan, done, NULL);
    pthread_mutex_lock(&mu);
    while (!finished)
        pthread_cond_wait(&cond, &mu);
    pthread_mutex_unlock(&mu);
    printf("outcome %s\nstatus %s\nresolution %s\nmessage %s\nread-back %s\n",
           fd_client_outcome_name(result.outcome), fd_status_name(result.status),
           fd_client_resolution_name(result.resolution), result.message ? result.message : "",
           result.resolution_text ? result.resolution_text : "");
    rc = fd_status_exit_code(result.status);
    fd_client_action_result_clear(&result);
    fd_client_free(c);
    fd_model_store_free(store);
    fd_kube_config_free(cfg);
    return rc;
}

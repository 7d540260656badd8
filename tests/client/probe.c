/* tests/client/probe.c: runs a struct fd_client on a kubeconfig and
 * keeps a dump of its store in a file, for the script tests to compare with
 * the server's state (kubectl):
 *     probe KUBECONFIG NAMESPACE OUTFILE SECONDS
 * The dump: one line "Kind name resourceVersion" per object (sorted), then
 * "state <worst connection state>" and "lists N". Rewritten (atomically)
 * after every change; the program ends after SECONDS or on SIGTERM.
 * Back-off and the liveness probe run at 1 s (instead of 30 s and 10 s + 5 s)
 * so that the tests are quick. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "freightdeck/client.h"
#include "freightdeck/kube.h"
#include "freightdeck/model.h"

static volatile sig_atomic_t stop;
static volatile int changed = 1;

static void on_term(int sig)
{
    (void)sig;
    stop = 1;
}

static void on_change(void *user)
{
    (void)user;
    __atomic_store_n(&changed, 1, __ATOMIC_RELEASE);
}

static void dump(struct fd_client *c, struct fd_model_store *store, const char *out)
{
    char *tmp = fd_xasprintf("%s.tmp", out);
    FILE *f = fopen(tmp, "w");
    struct fd_model_snapshot *snap = fd_model_store_snapshot(store);
    struct fd_client_resource_state st;
    uint64_t lists = 0;

    if (!f) {
        perror(tmp);
        exit(1);
    }
    for (int k = 0; k < FD_MODEL_KIND__COUNT; k++) {
        size_t n;
        struct fd_model_object *const *all =
            fd_model_snapshot_list(snap, (enum fd_model_kind)k, &n);
        for (size_t i = 0; i < n; i++)
            fprintf(f, "%s %s %s\n", fd_model_kind_name((enum fd_model_kind)k), all[i]->meta.name,
                    all[i]->meta.resource_version ? all[i]->meta.resource_version : "-");
        struct fd_client_resource_state ks;
        if (fd_client_state(c, (enum fd_model_kind)k, &ks))
            lists += ks.lists;
    }
    fd_client_summary(c, &st);
    fprintf(f, "state %s\nlists %llu\n", fd_client_conn_name(st.conn), (unsigned long long)lists);
    if (st.last_error[0])
        fprintf(f, "error %s\n", st.last_error);
    fd_model_snapshot_release(snap);
    fclose(f);
    rename(tmp, out);
    free(tmp);
}

int main(int argc, char **argv)
{
    struct fd_kube_load_opts lo = {0};
    struct fd_kube_config *cfg;
    struct fd_kube_error err = {0};
    struct fd_model_store *store;
    struct fd_client *c;
    int64_t end_ms;

    if (argc != 5) {
        fprintf(stderr, "usage: probe KUBECONFIG NAMESPACE OUTFILE SECONDS\n");
        return 2;
    }
    lo.kubeconfig = argv[1];
    if (fd_kube_config_load(&lo, &cfg, &err) != FD_OK) {
        fprintf(stderr, "probe: %s\n", err.message);
        return 1;
    }
    store = fd_model_store_new(0);
    struct fd_client_opts o = {.cfg = cfg,
                               .store = store,
                               .ns = argv[2],
                               .on_change = on_change,
                               .backoff_min_ms = 100,
                               .backoff_max_ms = 1000,
                               .liveness_interval_ms = 1000,
                               .liveness_timeout_ms = 1000};
    if (fd_client_start(&o, &c, &err) != FD_OK) {
        fprintf(stderr, "probe: %s\n", err.message);
        return 1;
    }
    signal(SIGTERM, on_term);
    signal(SIGINT, on_term);
    /* Whole seconds of time() would end a "3 s" run anywhere from 2 to 3 s
     * after it began: the monotonic clock, to the millisecond. */
    end_ms = fd_time_mono_ms() + (int64_t)atoi(argv[4]) * 1000;
    while (!stop && fd_time_mono_ms() < end_ms) {
        if (__atomic_exchange_n(&changed, 0, __ATOMIC_ACQ_REL))
            dump(c, store, argv[3]);
        usleep(20000);
    }
    dump(c, store, argv[3]);
    fd_client_free(c);
    fd_model_store_free(store);
    fd_kube_config_free(cfg);
    return 0;
}

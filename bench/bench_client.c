/* bench/bench_client.c: the live client against `freightdeck sim --scenario
 * scale` (30 projects, 300 Stages, 10,000 Freight, 2,000 AnalysisRuns) on
 * loopback: time from start to every kind listed, decoded and in the store;
 * resident memory then; and watch latency: a PATCH sent until the client
 * announces the new version (p50/p99 over 200 changes; an upper bound on
 * "event applied and announced", as it includes the server; and from the
 * PATCH's answer, when the server has stored it, to the announcement, which
 * leaves out most of the server's share). */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "freightdeck/client.h"
#include "freightdeck/kube.h"
#include "freightdeck/model.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static long rss_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    while (f && fgets(line, sizeof(line), f))
        if (sscanf(line, "VmRSS: %ld", &kb) == 1)
            break;
    if (f)
        fclose(f);
    return kb;
}

/* This process's CPU time: the client's own share (the sim is a child). */
static double cpu_ms(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec * 1e3 + ru.ru_utime.tv_usec / 1e3 + ru.ru_stime.tv_sec * 1e3 +
           ru.ru_stime.tv_usec / 1e3;
}

static struct fd_model_store *store;
static const char *want_name;
static char want_value[32];
static volatile double seen_at;

/* On the network thread: has the patched annotation arrived? */
static void on_change(void *user)
{
    (void)user;
    if (!want_name || seen_at > 0)
        return;
    struct fd_model_snapshot *snap = fd_model_store_snapshot(store);
    const struct fd_model_object *o =
        fd_model_snapshot_find(snap, FD_MODEL_STAGE, "proj-00", want_name);
    if (o && fd_streq(fd_model_annotation(o, "bench"), want_value))
        seen_at = now_ms();
    fd_model_snapshot_release(snap);
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(void)
{
    const char *top = getenv("FD_TOP_BUILDDIR");
    char bin[4096], dir[] = "/tmp/fd-bench-client.XXXXXX", kc[4200];
    int pfd[2];
    pid_t pid;

    snprintf(bin, sizeof(bin), "%s/freightdeck", top ? top : ".");
    if (!mkdtemp(dir) || pipe(pfd) != 0)
        return 1;
    snprintf(kc, sizeof(kc), "%s/kubeconfig", dir);
    pid = fork();
    if (pid == 0) {
        dup2(pfd[1], 1);
        execl(bin, bin, "sim", "--listen", "127.0.0.1:0", "--scenario", "scale", "--speed",
              "0.000001", "--kubeconfig-out", kc, (char *)NULL);
        _exit(127);
    }
    close(pfd[1]);
    FILE *out = fdopen(pfd[0], "r");
    char line[512];
    if (!fgets(line, sizeof(line), out) || strncmp(line, "listening on", 12) != 0) {
        fprintf(stderr, "bench_client: the sim did not start (%s)\n", bin);
        kill(pid, SIGTERM);
        return 1;
    }
    long rss0 = rss_kb();
    struct fd_kube_load_opts lo = {.kubeconfig = kc};
    struct fd_kube_config *cfg;
    struct fd_kube_error err = {0};
    if (fd_kube_config_load(&lo, &cfg, &err) != FD_OK) {
        fprintf(stderr, "bench_client: %s\n", err.message);
        kill(pid, SIGTERM);
        return 1;
    }
    store = fd_model_store_new(0);
    struct fd_client *c;
    struct fd_client_opts o = {.cfg = cfg, .store = store, .on_change = on_change};
    double t0 = now_ms(), c0 = cpu_ms();
    if (fd_client_start(&o, &c, &err) != FD_OK || fd_client_wait_synced(c, 60000, &err) != FD_OK) {
        fprintf(stderr, "bench_client: %s\n", err.message);
        kill(pid, SIGTERM);
        return 1;
    }
    double t1 = now_ms(), c1 = cpu_ms();
    struct fd_model_snapshot *snap = fd_model_store_snapshot(store);
    size_t nf, nr, ns;
    fd_model_snapshot_list(snap, FD_MODEL_FREIGHT, &nf);
    fd_model_snapshot_list(snap, FD_MODEL_ANALYSIS_RUN, &nr);
    struct fd_model_object *const *stages = fd_model_snapshot_list(snap, FD_MODEL_STAGE, &ns);
    char *stage = NULL;
    for (size_t i = 0; i < ns && !stage; i++)
        if (fd_streq(stages[i]->meta.ns, "proj-00"))
            stage = fd_xstrdup(stages[i]->meta.name);
    fd_model_snapshot_release(snap);
    printf("client_list_watch_objects %zu objects\n", nf + nr + ns);
    printf("client_initial_sync_ms %.1f ms\n", t1 - t0);
    printf("client_initial_sync_cpu_ms %.1f ms\n", c1 - c0);
    printf("client_rss_after_sync %.1f MB\n", rss_kb() / 1024.0);
    printf("client_rss_growth %.1f MB\n", (rss_kb() - rss0) / 1024.0);

    enum { N = 200 };
    double lat[N], after[N];
    int got = 0;
    for (int i = 0; stage && i < N; i++) {
        char *path =
            fd_xasprintf("/apis/kargo.akuity.io/v1alpha1/namespaces/proj-00/stages/%s", stage);
        char *body;
        struct fd_kube_response resp;
        snprintf(want_value, sizeof(want_value), "v%d", i);
        body = fd_xasprintf("{\"metadata\":{\"annotations\":{\"bench\":\"%s\"}}}", want_value);
        seen_at = 0;
        __atomic_store_n(&want_name, stage, __ATOMIC_RELEASE);
        double s = now_ms();
        fd_kube_request(cfg, "PATCH", path, "application/merge-patch+json", body, &resp, &err);
        double answered = now_ms();
        fd_kube_response_free(&resp);
        while (seen_at == 0 && now_ms() - s < 2000)
            usleep(50);
        if (seen_at > 0) {
            /* The server has stored the change and queued its event by the
             * time it answers the PATCH: what is left is (mostly) ours. */
            after[got] = seen_at > answered ? seen_at - answered : 0;
            lat[got++] = seen_at - s;
        }
        free(path);
        free(body);
    }
    want_name = NULL;
    qsort(lat, (size_t)got, sizeof(double), cmp);
    if (got) {
        printf("client_patch_to_announce_p50 %.2f ms\n", lat[got / 2]);
        printf("client_patch_to_announce_p99 %.2f ms\n", lat[(got * 99) / 100]);
        qsort(after, (size_t)got, sizeof(double), cmp);
        printf("client_patch_answered_to_announce_p50 %.2f ms\n", after[got / 2]);
        printf("client_patch_answered_to_announce_p99 %.2f ms\n", after[(got * 99) / 100]);
    }
    printf("client_watch_events_seen %d count\n", got);
    fd_client_free(c);
    fd_model_store_free(store);
    fd_kube_config_free(cfg);
    free(stage);
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    unlink(kc);
    rmdir(dir);
    return 0;
}

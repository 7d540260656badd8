/* bench/bench_model.c: decoding 10,000 Freight, 2,000 AnalysisRuns and 300
 * Stages into the store (time, resident memory), then the cost of one watch
 * event and of the snapshot the UI takes after it. Prints "name value unit". */
#include "config.h"

#include <jansson.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "freightdeck/model.h"

#define N_FREIGHT 10000
#define N_RUNS    2000
#define N_STAGES  300

static double clock_s(clockid_t id)
{
    struct timespec ts;

    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* VmRSS or VmHWM of this process, in MB. */
static double mem_mb(const char *field)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    double kb = 0;

    if (!f)
        return -1;
    while (fgets(line, sizeof(line), f))
        if (strncmp(line, field, strlen(field)) == 0)
            kb = atof(line + strlen(field) + 1);
    fclose(f);
    return kb / 1024;
}

static char *freight_json(int i, int rv)
{
    return fd_xasprintf(
        "{\"apiVersion\":\"kargo.akuity.io/v1alpha1\",\"kind\":\"Freight\",\"metadata\":{"
        "\"name\":\"%040x\",\"namespace\":\"kargo-demo\",\"uid\":\"bf3c4c06-4343-48bc-a9fa-%012d\","
        "\"resourceVersion\":\"%d\",\"generation\":1,\"creationTimestamp\":\"2026-08-19T14:03:"
        "10Z\","
        "\"labels\":{\"kargo.akuity.io/alias\":\"alias-%d\"}},\"alias\":\"alias-%d\","
        "\"discoveredAt\":\"2026-08-19T14:03:10Z\",\"origin\":{\"kind\":\"Warehouse\","
        "\"name\":\"kargo-demo\"},\"commits\":[{\"repoURL\":\"https://github.com/example/app.git\","
        "\"id\":\"%040x\",\"tag\":\"v1.%d.0\",\"message\":\"feat: change number %d\","
        "\"author\":\"Jane Doe <jane@example.com>\",\"committer\":\"GitHub "
        "<noreply@github.com>\"}],"
        "\"images\":[{\"repoURL\":\"public.ecr.aws/nginx/nginx\",\"tag\":\"1.%d.0\","
        "\"digest\":\"sha256:%064x\"}],\"status\":{\"currentlyIn\":{\"stage-%d\":{\"since\":"
        "\"2026-08-19T14:05:38Z\"}},\"verifiedIn\":{\"stage-%d\":{\"verifiedAt\":"
        "\"2026-08-19T14:08:12Z\",\"longestSoak\":\"1h2m\"}}}}",
        i, i, rv, i, i, i * 7, i, i, i, i * 3, i % N_STAGES, i % N_STAGES);
}

static char *run_json(int i)
{
    struct fd_buf b = FD_BUF_INIT;

    fd_buf_printf(
        &b,
        "{\"apiVersion\":\"argoproj.io/v1alpha1\",\"kind\":\"AnalysisRun\",\"metadata\":{"
        "\"name\":\"stage-%d.01m0dc0k8cxkkftmb6ws2h%06d.b5a7eb8\",\"namespace\":"
        "\"kargo-demo\",\"resourceVersion\":\"%d\",\"creationTimestamp\":"
        "\"2026-08-19T16:00:05Z\",\"labels\":{\"kargo.akuity.io/stage\":\"stage-%d\","
        "\"kargo.akuity.io/freight-collection\":\"%040x\"}},\"spec\":{\"args\":[{\"name\":"
        "\"stage\",\"value\":\"stage-%d\"}],\"metrics\":[{\"name\":\"error-rate\","
        "\"interval\":\"1m\",\"count\":5,\"failureLimit\":0,\"successCondition\":"
        "\"result[0] <= 0.01\",\"provider\":{\"prometheus\":{\"address\":"
        "\"http://prometheus:9090\",\"query\":\"sum(rate(errors[5m]))\"}}}]},"
        "\"status\":{\"phase\":\"Successful\",\"startedAt\":\"2026-08-19T16:00:05Z\","
        "\"metricResults\":[{\"name\":\"error-rate\",\"phase\":\"Successful\",\"count\":5,"
        "\"successful\":5,\"measurements\":[",
        i % N_STAGES, i, 100000 + i, i % N_STAGES, i, i % N_STAGES);
    for (int m = 0; m < 5; m++)
        fd_buf_printf(&b,
                      "%s{\"phase\":\"Successful\",\"value\":\"[0.00%d]\",\"startedAt\":"
                      "\"2026-08-19T16:0%d:05Z\",\"finishedAt\":\"2026-08-19T16:0%d:06Z\"}",
                      m ? "," : "", m + 1, m, m);
    fd_buf_puts(&b, "]}],\"runSummary\":{\"count\":1,\"successful\":1}}}");
    return fd_buf_steal(&b);
}

static char *stage_json(int i)
{
    if (i == 0)
        return fd_xasprintf(
            "{\"kind\":\"Stage\",\"metadata\":{\"name\":\"stage-0\",\"namespace\":"
            "\"kargo-demo\",\"resourceVersion\":\"1\"},\"spec\":{\"requestedFreight\":"
            "[{\"origin\":{\"kind\":\"Warehouse\",\"name\":\"kargo-demo\"},"
            "\"sources\":{\"direct\":true}}]}}");
    return fd_xasprintf("{\"kind\":\"Stage\",\"metadata\":{\"name\":\"stage-%d\",\"namespace\":"
                        "\"kargo-demo\",\"resourceVersion\":\"%d\"},\"spec\":{\"requestedFreight\":"
                        "[{\"origin\":{\"kind\":\"Warehouse\",\"name\":\"kargo-demo\"},\"sources\":"
                        "{\"stages\":[\"stage-%d\"],\"requiredSoakTime\":\"30m\"}}]},\"status\":{"
                        "\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":"
                        "\"Verified\"}]}}",
                        i, i + 1, (i - 1) / 2);
}

static void load(struct fd_model_store *st, char *text)
{
    struct fd_model_object *o;
    char *err;

    if (fd_model_decode_text(text, strlen(text), FD_MODEL_KIND_UNKNOWN, &o, &err) != FD_OK ||
        o->undecodable) {
        fprintf(stderr, "bench_model: %s\n", err ? err : o->error);
        exit(1);
    }
    fd_model_store_apply(st, FD_MODEL_EVENT_ADDED, o);
    free(text);
}

int main(void)
{
    int total = N_FREIGHT + N_RUNS + N_STAGES;
    char **texts = fd_xcalloc((size_t)total, sizeof(char *));
    struct fd_model_store *st = fd_model_store_new(0);
    struct fd_model_snapshot *snap;
    double rss0, t0, t1;
    const int events = 2000;

    for (int i = 0; i < N_FREIGHT; i++)
        texts[i] = freight_json(i, i + 1);
    for (int i = 0; i < N_RUNS; i++)
        texts[N_FREIGHT + i] = run_json(i);
    for (int i = 0; i < N_STAGES; i++)
        texts[N_FREIGHT + N_RUNS + i] = stage_json(i);
    size_t bytes = 0, text_heap = 0;
    for (int i = 0; i < total; i++) {
        bytes += strlen(texts[i]);
        text_heap += malloc_usable_size(texts[i]);
    }
    rss0 = mem_mb("VmRSS:");
    size_t heap0 = mallinfo2().uordblks - text_heap;

    /* CPU time too: on a shared, loaded machine wall time overstates. */
    double c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
    t0 = now_s();
    for (int i = 0; i < total; i++) {
        load(st, texts[i]);
        texts[i] = NULL;
    }
    snap = fd_model_store_snapshot(st);
    t1 = now_s();
    printf("model_load_12300_objects_cpu %.3f s\n", clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0);
    free(texts);
    size_t heap1 = mallinfo2().uordblks;
    printf("model_load_12300_objects_seconds %.3f s\n", t1 - t0);
    printf("model_load_json_input %.1f MB\n", (double)bytes / (1024 * 1024));
    printf("model_load_objects_per_second %.0f obj/s\n", total / (t1 - t0));
    /* Heap held by the store and its snapshot (glibc's count of bytes in
     * use, the generated JSON texts excluded), and the process RSS, which
     * still includes the texts' pages that malloc keeps. */
    printf("model_store_heap_12300_objects %.1f MB\n", (double)(heap1 - heap0) / (1024 * 1024));
    printf("model_rss_total_after_load %.1f MB\n", mem_mb("VmRSS:"));
    printf("model_rss_before_load_texts_only %.1f MB\n", rss0);

    /* One watch event: decode + apply (the network thread's cost). */
    char **ev = fd_xcalloc((size_t)events, sizeof(char *));
    for (int i = 0; i < events; i++)
        ev[i] = freight_json(i % N_FREIGHT, 200000 + i);
    t0 = now_s();
    for (int i = 0; i < events; i++)
        load(st, ev[i]);
    t1 = now_s();
    free(ev);
    printf("model_watch_event_apply %.1f us\n", (t1 - t0) / events * 1e6);

    /* The snapshot the UI takes after an event: only the changed kind is
     * rebuilt (10,000 Freight here). */
    struct fd_model_snapshot *s2;
    ev = fd_xcalloc(50, sizeof(char *));
    for (int i = 0; i < 50; i++)
        ev[i] = freight_json(i, 300000 + i);
    t0 = now_s();
    for (int i = 0; i < 50; i++) {
        load(st, ev[i]);
        s2 = fd_model_store_snapshot(st);
        fd_model_snapshot_release(s2);
    }
    t1 = now_s();
    free(ev);
    printf("model_event_plus_snapshot %.2f ms\n", (t1 - t0) / 50 * 1e3);
    t0 = now_s();
    for (int i = 0; i < 1000; i++) {
        s2 = fd_model_store_snapshot(st);
        fd_model_snapshot_release(s2);
    }
    t1 = now_s();
    printf("model_snapshot_unchanged %.2f us\n", (t1 - t0) / 1000 * 1e6);

    fd_model_snapshot_release(snap);
    snap = fd_model_store_snapshot(st);
    t0 = now_s();
    struct fd_model_pipeline *p = fd_model_pipeline_build(snap, "kargo-demo");
    t1 = now_s();
    printf("model_pipeline_300_stages %.2f ms\n", (t1 - t0) * 1e3);
    fd_model_pipeline_free(p);
    struct fd_model_attention *items;
    t0 = now_s();
    size_t n_items = fd_model_attention_list(snap, "kargo-demo", 1787154300, &items);
    t1 = now_s();
    printf("model_attention_list_300_stages_10000_freight %.1f ms\n", (t1 - t0) * 1e3);
    fd_model_attention_free(items, n_items);
    printf("model_rss_peak %.1f MB\n", mem_mb("VmHWM:"));

    fd_model_snapshot_release(snap);
    fd_model_store_free(st);
    return 0;
}

/* bench/bench_sim.c: the simulator under load, over HTTP on loopback, with
 * the `scale` scenario (30 projects, 300 Stages, 10,000 Freight, 2,000
 * AnalysisRuns) frozen (speed 1e-6):
 *   - the full, unpaginated list of the 10,000 Freight: request to last byte
 *     (goal < 1 s);
 *   - 200 concurrent watches on the Stages of one project (curl_multi, one
 *     handle each) while N Stages are patched one after another: every
 *     change must reach every watch (200 x N deliveries); a lost one fails
 *     the benchmark (exit 1);
 *   - the simulator's resident memory with the scenario loaded.
 * The simulator runs as a child process (`freightdeck sim`), so its memory
 * is its own and the client side does not disturb it. */
#include "config.h"

#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "freightdeck/util.h"

enum { NWATCH = 200, NCHANGE = 500 };

#define STAGES  "/apis/kargo.akuity.io/v1alpha1/namespaces/proj-00/stages"
#define FREIGHT "/apis/kargo.akuity.io/v1alpha1/freights"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static long rss_kb(pid_t pid)
{
    char path[64], line[256];
    long kb = -1;
    snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
    FILE *f = fopen(path, "r");
    while (f && fgets(line, sizeof(line), f))
        if (sscanf(line, "VmRSS: %ld", &kb) == 1)
            break;
    if (f)
        fclose(f);
    return kb;
}

static size_t to_buf(char *data, size_t size, size_t n, void *arg)
{
    fd_buf_append(arg, data, size * n);
    return size * n;
}

/* GET url+path into out; returns the HTTP status (0 on a transport error). */
static long get(const char *url, const char *path, struct fd_buf *out)
{
    char *u = fd_xasprintf("%s%s", url, path);
    CURL *e = curl_easy_init();
    long code = 0;
    curl_easy_setopt(e, CURLOPT_URL, u);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, to_buf);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, out);
    if (curl_easy_perform(e) == CURLE_OK)
        curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_cleanup(e);
    free(u);
    return code;
}

/* ---- (b) the watches ---------------------------------------------------------- */

struct watch {
    struct fd_buf line;          /* a partial event line */
    unsigned char seen[NCHANGE]; /* which changes arrived */
    int got;
};

static struct watch watches[NWATCH];
static double sent_at[NCHANGE], last_at[NCHANGE];
static int delivered;
static double last_delivery;
static double ch_done; /* when the last change was answered */

/* One complete event line: which change (annotation fdbench=vI) it carries.
 * A change can come back more than once (a controller touching the Stage
 * again): only the first counts. */
static void on_line(struct watch *w, const char *line)
{
    const char *p = strstr(line, "\"fdbench\":\"v");
    if (!p)
        return;
    int i = atoi(p + 12);
    if (i < 0 || i >= NCHANGE || w->seen[i])
        return;
    w->seen[i] = 1;
    w->got++;
    delivered++;
    last_at[i] = last_delivery = now_ms();
}

static size_t on_watch_data(char *data, size_t size, size_t n, void *arg)
{
    struct watch *w = arg;
    size_t len = size * n, start = 0;
    for (size_t i = 0; i < len; i++) {
        if (data[i] != '\n')
            continue;
        fd_buf_append(&w->line, data + start, i - start);
        on_line(w, w->line.data ? w->line.data : "");
        fd_buf_reset(&w->line);
        start = i + 1;
    }
    fd_buf_append(&w->line, data + start, len - start);
    return len;
}

struct changer {
    const char *url;
    char stages[8][256];
    int nstages;
    int failed;
};

/* Patches the Stages in turn, one change at a time (each waits for the
 * server's answer, as a controller would). */
static void *change_main(void *arg)
{
    struct changer *ch = arg;
    CURL *e = curl_easy_init();
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/merge-patch+json");
    struct fd_buf sink = FD_BUF_INIT;
    for (int i = 0; i < NCHANGE; i++) {
        char *u = fd_xasprintf("%s" STAGES "/%s", ch->url, ch->stages[i % ch->nstages]);
        char *body = fd_xasprintf("{\"metadata\":{\"annotations\":{\"fdbench\":\"v%d\"}}}", i);
        long code = 0;
        curl_easy_setopt(e, CURLOPT_URL, u);
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, "PATCH");
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, to_buf);
        curl_easy_setopt(e, CURLOPT_WRITEDATA, &sink);
        sent_at[i] = now_ms();
        if (curl_easy_perform(e) != CURLE_OK ||
            curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &code) != CURLE_OK || code != 200)
            ch->failed++;
        fd_buf_reset(&sink);
        free(u);
        free(body);
    }
    ch_done = now_ms();
    fd_buf_free(&sink);
    curl_slist_free_all(h);
    curl_easy_cleanup(e);
    return NULL;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int bench_watches(const char *url)
{
    struct fd_buf b = FD_BUF_INIT;
    struct changer ch = {.url = url};
    json_t *list;
    const char *rv;
    int rc = 1;

    /* The version to watch from, and the Stages to patch. */
    if (get(url, STAGES, &b) != 200 || !(list = json_loadb(b.data, b.len, 0, NULL))) {
        fprintf(stderr, "bench_sim: cannot list %s\n", STAGES);
        fd_buf_free(&b);
        return 1;
    }
    fd_buf_free(&b);
    rv = json_string_value(json_object_get(json_object_get(list, "metadata"), "resourceVersion"));
    json_t *items = json_object_get(list, "items");
    for (size_t i = 0; i < json_array_size(items) && ch.nstages < 8; i++) {
        const char *name = json_string_value(
            json_object_get(json_object_get(json_array_get(items, i), "metadata"), "name"));
        if (name && strlen(name) < sizeof(ch.stages[0]))
            snprintf(ch.stages[ch.nstages++], sizeof(ch.stages[0]), "%s", name);
    }
    if (!rv || !ch.nstages) {
        fprintf(stderr, "bench_sim: no Stages in proj-00\n");
        json_decref(list);
        return 1;
    }

    /* Watching from that version, every change after it is delivered even
     * to a watch whose connection is accepted late. */
    char *wurl = fd_xasprintf("%s" STAGES "?watch=1&resourceVersion=%s", url, rv);
    json_decref(list);
    CURLM *m = curl_multi_init();
    CURL *easy[NWATCH];
    for (int i = 0; i < NWATCH; i++) {
        easy[i] = curl_easy_init();
        curl_easy_setopt(easy[i], CURLOPT_URL, wurl);
        curl_easy_setopt(easy[i], CURLOPT_WRITEFUNCTION, on_watch_data);
        curl_easy_setopt(easy[i], CURLOPT_WRITEDATA, &watches[i]);
        curl_multi_add_handle(m, easy[i]);
    }
    /* Let every watch connect before the clock starts. */
    int running = 0;
    double t = now_ms();
    while (now_ms() - t < 1000) {
        curl_multi_perform(m, &running);
        curl_multi_poll(m, NULL, 0, 50, NULL);
    }
    int connected = 0;
    for (int i = 0; i < NWATCH; i++) {
        long code = 0;
        curl_easy_getinfo(easy[i], CURLINFO_RESPONSE_CODE, &code);
        connected += code == 200;
    }

    pthread_t th;
    double t0 = now_ms();
    if (pthread_create(&th, NULL, change_main, &ch) != 0)
        goto out;
    /* Until everything arrived, every watch ended, or 60 s. */
    while (delivered < NWATCH * NCHANGE && running > 0 && now_ms() - t0 < 60000) {
        curl_multi_perform(m, &running);
        curl_multi_poll(m, NULL, 0, 100, NULL);
    }
    pthread_join(th, NULL);
    double changes_done = ch_done - t0;

    double lat[NCHANGE];
    int nlat = 0;
    for (int i = 0; i < NCHANGE; i++)
        if (last_at[i] > 0)
            lat[nlat++] = last_at[i] - sent_at[i];
    qsort(lat, (size_t)nlat, sizeof(double), cmp);
    printf("sim_watches_connected %d count\n", connected);
    printf("sim_watch_changes_made %d count\n", NCHANGE - ch.failed);
    printf("sim_watch_deliveries_expected %d count\n", NWATCH * NCHANGE);
    printf("sim_watch_deliveries %d count\n", delivered);
    printf("sim_watch_deliveries_lost %d count\n", NWATCH * NCHANGE - delivered);
    printf("sim_watch_%d_changes_sent_ms %.0f ms\n", NCHANGE, changes_done);
    printf("sim_watch_%dx%d_until_last_delivery %.0f ms\n", NWATCH, NCHANGE,
           delivered ? last_delivery - t0 : -1.0);
    if (nlat) {
        printf("sim_watch_change_to_all_%d_p50 %.2f ms\n", NWATCH, lat[nlat / 2]);
        printf("sim_watch_change_to_all_%d_p99 %.2f ms\n", NWATCH, lat[(nlat * 99) / 100]);
    }
    rc = delivered == NWATCH * NCHANGE && !ch.failed ? 0 : 1;
    if (rc)
        fprintf(stderr, "bench_sim: %d of %d watch deliveries lost, %d changes failed\n",
                NWATCH * NCHANGE - delivered, NWATCH * NCHANGE, ch.failed);
out:
    for (int i = 0; i < NWATCH; i++) {
        curl_multi_remove_handle(m, easy[i]);
        curl_easy_cleanup(easy[i]);
        fd_buf_free(&watches[i].line);
    }
    curl_multi_cleanup(m);
    free(wurl);
    return rc;
}

/* ---- (a) the full Freight list ---------------------------------------------------- */

static int bench_list(const char *url)
{
    double best = 0, first = 0;
    size_t bytes = 0, n = 0;
    for (int r = 0; r < 3; r++) {
        struct fd_buf b = FD_BUF_INIT;
        double t0 = now_ms();
        long code = get(url, FREIGHT, &b);
        double ms = now_ms() - t0;
        if (code != 200) {
            fprintf(stderr, "bench_sim: GET %s: status %ld\n", FREIGHT, code);
            fd_buf_free(&b);
            return 1;
        }
        if (r == 0) {
            json_t *j = json_loadb(b.data, b.len, 0, NULL);
            n = json_array_size(json_object_get(j, "items"));
            json_decref(j);
            first = ms;
        }
        bytes = b.len;
        best = r == 0 || ms < best ? ms : best;
        fd_buf_free(&b);
    }
    printf("sim_list_freight_items %zu count\n", n);
    printf("sim_list_freight_bytes %.1f MB\n", bytes / 1048576.0);
    printf("sim_list_10000_freight_first %.0f ms\n", first);
    printf("sim_list_10000_freight_best_of_3 %.0f ms\n", best);
    return n == 10000 ? 0 : 1;
}

int main(void)
{
    const char *top = getenv("FD_TOP_BUILDDIR");
    char bin[4096], line[512];
    int pfd[2], rc = 0;
    pid_t pid;

    snprintf(bin, sizeof(bin), "%s/freightdeck", top ? top : ".");
    if (pipe(pfd) != 0)
        return 1;
    pid = fork();
    if (pid == 0) {
        dup2(pfd[1], 1);
        close(pfd[0]);
        execl(bin, bin, "sim", "--listen", "127.0.0.1:0", "--scenario", "scale", "--speed",
              "0.000001", (char *)NULL);
        _exit(127);
    }
    close(pfd[1]);
    FILE *out = fdopen(pfd[0], "r");
    if (!out || !fgets(line, sizeof(line), out) || strncmp(line, "listening on ", 13) != 0) {
        fprintf(stderr, "bench_sim: the sim did not start (%s)\n", bin);
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
        return 1;
    }
    line[strcspn(line, "\n")] = '\0';
    const char *url = line + 13;
    curl_global_init(CURL_GLOBAL_DEFAULT);

    printf("sim_rss_scale_loaded %.1f MB\n", rss_kb(pid) / 1024.0);
    rc |= bench_list(url);
    rc |= bench_watches(url);
    printf("sim_rss_after_watches %.1f MB\n", rss_kb(pid) / 1024.0);

    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    fclose(out);
    curl_global_cleanup();
    return rc;
}

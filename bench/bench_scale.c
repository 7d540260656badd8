/* bench/bench_scale.c: how the cost grows with the size of the cluster.
 *
 * For each N (1,000, 10,000 and 100,000 by default; the arguments name
 * others), against `freightdeck sim --scenario scale:N --churn 45` (N
 * Freight, 3 projects per 1,000 with 10 Stages each, N/5 AnalysisRuns; 45
 * changes a second to them):
 *
 *   sim_start_cpu_s             the simulator's CPU until it listens
 *   client_initial_sync_ms      a live client (the console's) from start until
 *                               every kind is listed and its watch started,
 *   client_initial_sync_cpu_s   and the CPU it took (the sim's meanwhile:
 *                               client_initial_sync_sim_cpu_s)
 *   console_first_pipeline_ms   `freightdeck console` on a 120x40 pseudo-
 *                               terminal, no project given, so that it
 *                               watches every namespace (and shows the first
 *                               project, proj-00): start -> the pipeline
 *                               pane drawn,
 *   console_first_complete_ms   start -> the first complete frame: every kind
 *                               listed in the shown project (the console lists
 *                               its long kinds first, then every namespace's
 *                               in the background), the project's Warehouse
 *                               showing all of its Freight (a key script's
 *                               @until), and the console idle
 *   console_cpu_s               the console's CPU over that run (start, sync,
 *                               frame, exit)
 *   console_max_rss_mb          its peak resident memory (VmHWM)
 *   console_project_*           the same with --project proj-00: the console
 *                               then lists that namespace only
 *   console_event_to_screen_*   under a steady stream of 50 changes a second
 *                               (the sim's 45, and 5 probes): a probe renames
 *                               the Freight of the project's first Stage (a
 *                               new alias, shown in the pipeline); from the
 *                               PATCH sent until the new alias is written to
 *                               the terminal: p50, p99, max
 *   console_stream_cpu_pct      the console's CPU while the stream runs
 *   get_<kind>_fd_*, get_<kind>_kubectl_*
 *                               wall and CPU time of `freightdeck get KIND -A
 *                               -o json` and `kubectl get KIND -A -o json`
 *                               against the same sim, the best of a few runs,
 *                               and their ratio (freightdeck / kubectl); the
 *                               counts of objects each printed must agree
 *
 * then the ratios of each figure between consecutive sizes (100k/10k,
 * 10k/1k): 10 means linear. `--against KUBECONFIG` runs the listings alone
 * against another cluster (the real stack, loaded by bench/realstack-load). `--console R` runs
 * the two first frames alone, R times each, against a sim without the stream. `--quick` runs one
 * small size with few probes: `make check` runs that (tests/sim/test_scale.sh) so the program
 * cannot rot. The machine's load average is printed first: these are wall-clock figures. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <jansson.h>
#include <poll.h>
#include <pthread.h>
#include <pty.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "freightdeck/client.h"
#include "freightdeck/kube.h"
#include "freightdeck/model.h"

#define CHURN      45  /* the sim's changes per second; the probes add 5 */
#define PROBE_GAP  200 /* ms between probes: 5 a second */
#define MAX_PROBES 64
#define MAX_SIZES  8

static const char *bin;
static char dir[] = "/tmp/fd-bench-scale.XXXXXX";

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double self_cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
           ru.ru_stime.tv_usec / 1e6;
}

static double ru_cpu_s(const struct rusage *ru)
{
    return ru->ru_utime.tv_sec + ru->ru_utime.tv_usec / 1e6 + ru->ru_stime.tv_sec +
           ru->ru_stime.tv_usec / 1e6;
}

/* A running process's CPU (user + system) so far, from /proc. */
static double proc_cpu_s(pid_t pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = '\0';
    /* Fields after the command name (which may hold spaces): state is 3rd,
     * utime the 14th and stime the 15th. */
    const char *p = strrchr(buf, ')');
    unsigned long ut = 0, st = 0;
    if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) == 2)
        return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
    return -1;
}

/* A running process's peak resident memory (VmHWM: the high-water mark of
 * its own address space, unlike ru_maxrss, which counts what the forking
 * process held before the exec) in KiB; -1 when it is gone. */
static long proc_hwm_kb(pid_t pid)
{
    char path[64], line[256];
    long kb = -1;
    snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
    FILE *f = fopen(path, "r");
    while (f && fgets(line, sizeof(line), f))
        if (sscanf(line, "VmHWM: %ld", &kb) == 1)
            break;
    if (f)
        fclose(f);
    return kb;
}

/* ---- results ------------------------------------------------------------------ */

struct figure {
    char name[96];
    double v[MAX_SIZES];
    bool have[MAX_SIZES];
    char unit[16];
};
static struct figure figs[96];
static size_t nfigs;
static long sizes[MAX_SIZES];
static size_t nsizes;
static const char *against;  /* --against KUBECONFIG: listings only, there */
static int against_reps = 3; /* --reps N: runs of each listing there */
static int console_only;     /* --console R: the console's first frames alone, R runs each */

/* Prints "scale_<N>_<name> value unit" and keeps it for the ratios. */
static void put(size_t si, const char *name, double v, const char *unit)
{
    int prec = strcmp(unit, "count") == 0 ? 0 : v < 10 ? 3 : v < 1000 ? 1 : 0;
    if (against)
        printf("scale_against_%s %.*f %s\n", name, prec, v, unit);
    else
        printf("scale_%ld_%s %.*f %s\n", sizes[si], name, prec, v, unit);
    fflush(stdout);
    struct figure *f = NULL;
    for (size_t i = 0; i < nfigs && !f; i++)
        if (strcmp(figs[i].name, name) == 0)
            f = &figs[i];
    if (!f && nfigs < sizeof(figs) / sizeof(figs[0])) {
        f = &figs[nfigs++];
        snprintf(f->name, sizeof(f->name), "%s", name);
        snprintf(f->unit, sizeof(f->unit), "%s", unit);
    }
    if (f) {
        f->v[si] = v;
        f->have[si] = true;
    }
}

static const char *short_size(long n, char *buf, size_t len)
{
    if (n % 1000 == 0)
        snprintf(buf, len, "%ldk", n / 1000);
    else
        snprintf(buf, len, "%ld", n);
    return buf;
}

/* ---- the simulator -------------------------------------------------------------- */

struct sim {
    pid_t pid;
    char kc[256];
    double start_cpu_s;
};

static bool sim_start(struct sim *s, long n)
{
    int pfd[2];
    char scenario[64], churn[16];
    snprintf(s->kc, sizeof(s->kc), "%s/kubeconfig-%ld", dir, n);
    snprintf(scenario, sizeof(scenario), "scale:%ld", n);
    snprintf(churn, sizeof(churn), "%d", CHURN);
    if (pipe(pfd) != 0)
        return false;
    char log[300];
    snprintf(log, sizeof(log), "%s/sim.log", dir);
    s->pid = fork();
    if (s->pid == 0) {
        int lfd = creat(log, 0600);
        dup2(pfd[1], 1);
        dup2(lfd, 2);
        close(lfd);
        close(pfd[0]);
        close(pfd[1]);
        /* --console: no stream, so that the sim's controller passes (see
         * doc/performance.md) do not set the pace at 100,000. */
        if (console_only)
            execl(bin, bin, "sim", "--listen", "127.0.0.1:0", "--scenario", scenario, "--speed",
                  "0.000001", "--kubeconfig-out", s->kc, (char *)NULL);
        else
            execl(bin, bin, "sim", "--listen", "127.0.0.1:0", "--scenario", scenario, "--speed",
                  "0.000001", "--churn", churn, "--kubeconfig-out", s->kc, (char *)NULL);
        _exit(127);
    }
    close(pfd[1]);
    FILE *out = fdopen(pfd[0], "r");
    char line[512];
    bool ok = fgets(line, sizeof(line), out) && strncmp(line, "listening on", 12) == 0;
    s->start_cpu_s = proc_cpu_s(s->pid);
    fclose(out);
    if (!ok) {
        char why[512] = "";
        FILE *lf = fopen(log, "r");
        if (lf && !fgets(why, sizeof(why), lf))
            why[0] = '\0';
        if (lf)
            fclose(lf);
        fprintf(stderr, "bench_scale: the sim did not start (%s sim --scenario %s): %s\n", bin,
                scenario, why);
        kill(s->pid, SIGTERM);
        waitpid(s->pid, NULL, 0);
    }
    return ok;
}

static void sim_stop(struct sim *s)
{
    kill(s->pid, SIGTERM);
    waitpid(s->pid, NULL, 0);
    unlink(s->kc);
}

/* ---- the client's initial sync ----------------------------------------------------- */

static pid_t sim_pid; /* the sim of the size being measured, for its CPU */

static bool client_sync(size_t si, struct fd_kube_config *cfg)
{
    struct fd_model_store *store = fd_model_store_new(0);
    struct fd_client *c;
    struct fd_client_opts o = {.cfg = cfg, .store = store};
    struct fd_kube_error err = {0};
    double t0 = now_ms(), c0 = self_cpu_s(), s0 = proc_cpu_s(sim_pid);
    bool ok =
        fd_client_start(&o, &c, &err) == FD_OK && fd_client_wait_synced(c, 600000, &err) == FD_OK;
    double t1 = now_ms(), c1 = self_cpu_s(), s1 = proc_cpu_s(sim_pid);
    if (ok) {
        put(si, "client_initial_sync_ms", t1 - t0, "ms");
        put(si, "client_initial_sync_cpu_s", c1 - c0, "s");
        /* The server's share (and its churn meanwhile): under load, the wall
         * time is mostly both waiting for a core. */
        if (s0 >= 0 && s1 >= s0)
            put(si, "client_initial_sync_sim_cpu_s", s1 - s0, "s");
    } else {
        fprintf(stderr, "bench_scale: client: %s\n", err.message);
    }
    fd_client_free(c);
    fd_model_store_free(store);
    return ok;
}

/* ---- the console on a pseudo-terminal ------------------------------------------------ */

/* Probe i's alias: 8 letters, each one step after the previous probe's
 * letter in the same place, so that no cell of it stays the same on the
 * screen and curses writes all eight in one run. */
static void probe_token(int i, char out[9])
{
    for (int j = 0; j < 8; j++)
        out[j] = (char)('a' + (i + 3 * j) % 26);
    out[8] = '\0';
}

struct console {
    pid_t pid;
    int master;
    double t0;
    /* What has been seen in the output, and when (ms after t0; <0: not). */
    double pipeline_at, exit_at;
    long hwm_kb; /* the last VmHWM read */
    double hwm_read_at;
    char tail[64]; /* the end of the output so far, for matches across reads */
    size_t ntail;
    /* Probes: the token to look for and when it appeared. */
    atomic_int want; /* probe index being looked for, -1: none */
    volatile double seen_at[MAX_PROBES];
};

/* Starts `freightdeck console` on a 120x40 pseudo-terminal; project NULL:
 * none given, so the console watches every namespace and shows the first
 * project (proj-00). */
static bool console_start(struct console *con, const char *kc, const char *project,
                          const char *script)
{
    struct winsize ws = {.ws_row = 40, .ws_col = 120};
    char home[300], xdg[300], state[300];
    snprintf(home, sizeof(home), "%s/home", dir);
    snprintf(xdg, sizeof(xdg), "%s/home/.config", dir);
    snprintf(state, sizeof(state), "%s/home/.local/state", dir);
    mkdir(home, 0700);
    memset(con, 0, sizeof(*con));
    con->pipeline_at = con->exit_at = -1;
    atomic_store(&con->want, -1);
    for (int i = 0; i < MAX_PROBES; i++)
        con->seen_at[i] = -1;
    con->t0 = now_ms();
    con->pid = forkpty(&con->master, NULL, NULL, &ws);
    if (con->pid < 0)
        return false;
    if (con->pid == 0) {
        setenv("TERM", "xterm-256color", 1);
        setenv("HOME", home, 1);
        setenv("XDG_CONFIG_HOME", xdg, 1);
        setenv("XDG_STATE_HOME", state, 1);
        unsetenv("LINES");
        unsetenv("COLUMNS");
        unsetenv("KUBECONFIG");
        unsetenv("FREIGHTDECK_CONFIG");
        /* @until waits for the complete frame however long the sync takes
         * at 100,000 on a loaded machine: 30 s times this. */
        setenv("FD_TEST_TIMEOUT_SCALE", "20", 1);
        if (project)
            execl(bin, bin, "console", "--kubeconfig", kc, "--project", project, "--script", script,
                  (char *)NULL);
        else
            execl(bin, bin, "console", "--kubeconfig", kc, "--script", script, (char *)NULL);
        _exit(127);
    }
    return true;
}

static bool has(const char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(hay + i, needle, k) == 0)
            return true;
    return false;
}

/* Reads what the console wrote for up to wait_ms; returns false at its end. */
static bool console_pump(struct console *con, int wait_ms)
{
    struct pollfd p = {.fd = con->master, .events = POLLIN};
    char buf[65536 + 64];
    /* Only once the console wrote something: before its exec the child is
     * a copy of this process, and its VmHWM would be ours. */
    if (con->pipeline_at >= 0 && now_ms() - con->hwm_read_at > 50) {
        long kb = proc_hwm_kb(con->pid);
        if (kb > con->hwm_kb)
            con->hwm_kb = kb;
        con->hwm_read_at = now_ms();
    }
    if (poll(&p, 1, wait_ms) <= 0)
        return true;
    memcpy(buf, con->tail, con->ntail);
    ssize_t r = read(con->master, buf + con->ntail, sizeof(buf) - 64 - con->ntail);
    if (r <= 0)
        return false; /* EIO: the console closed the terminal */
    double at = now_ms() - con->t0;
    size_t n = con->ntail + (size_t)r;
    if (con->pipeline_at < 0 && has(buf, n, "Pipeline"))
        con->pipeline_at = at;
    if (con->exit_at < 0 && has(buf, n, "\033[?1049l"))
        con->exit_at = at;
    int want = atomic_load(&con->want);
    if (want >= 0 && con->seen_at[want] < 0) {
        char tok[9];
        probe_token(want, tok);
        if (has(buf, n, tok))
            con->seen_at[want] = now_ms();
    }
    con->ntail = n < 32 ? n : 32;
    memcpy(con->tail, buf + n - con->ntail, con->ntail);
    return true;
}

static void console_wait(struct console *con, struct rusage *ru)
{
    int status;
    while (console_pump(con, 100))
        ;
    wait4(con->pid, &status, 0, ru);
    close(con->master);
}

/* The Freight count the Warehouse of proj-00 shows at scale:n. */
static long freight_in_first_project(long n)
{
    long p = (n * 3 + 500) / 1000;
    if (p < 1)
        p = 1;
    return n / p + (n % p ? 1 : 0);
}

/* One console run until its first complete frame; project as
 * console_start. Figures are named prefix_*. */
static bool first_frame(size_t si, const char *kc, long n, const char *project, const char *prefix)
{
    char script[300], name[96];
    snprintf(script, sizeof(script), "%s/first.script", dir);
    FILE *f = fopen(script, "w");
    fprintf(f, "@until %ld Freight (Enter\n", freight_in_first_project(n));
    fclose(f);
    struct console con;
    struct rusage ru;
    if (!console_start(&con, kc, project, script))
        return false;
    console_wait(&con, &ru);
    if (con.exit_at < 0) {
        fprintf(stderr, "bench_scale: the console at %ld did not finish its script\n", n);
        return false;
    }
    if (con.pipeline_at >= 0) {
        snprintf(name, sizeof(name), "%s_first_pipeline_ms", prefix);
        put(si, name, con.pipeline_at, "ms");
    }
    snprintf(name, sizeof(name), "%s_first_complete_ms", prefix);
    put(si, name, con.exit_at, "ms");
    snprintf(name, sizeof(name), "%s_cpu_s", prefix);
    put(si, name, ru_cpu_s(&ru), "s");
    snprintf(name, sizeof(name), "%s_max_rss_mb", prefix);
    put(si, name, con.hwm_kb / 1024.0, "MB");
    return true;
}

struct prober {
    struct fd_kube_config *cfg;
    struct console *con;
    char path[512];
    int nprobes;
    double sent_at[MAX_PROBES], answered_at[MAX_PROBES];
    atomic_bool done, ready, stop;
};

static void send_probe(struct prober *pr, int i)
{
    char tok[9], body[128];
    struct fd_kube_response resp = {0};
    struct fd_kube_error err = {0};
    probe_token(i, tok);
    snprintf(body, sizeof(body), "{\"alias\":\"probe-%s\"}", tok);
    atomic_store(&pr->con->want, i);
    pr->sent_at[i] = now_ms();
    if (fd_kube_request(pr->cfg, "PATCH", pr->path, "application/merge-patch+json", body, &resp,
                        &err) != FD_OK)
        fprintf(stderr, "bench_scale: probe %d: %s\n", i, err.message);
    pr->answered_at[i] = now_ms();
    fd_kube_response_free(&resp);
}

/* Probe 0 until the console shows it (it is live then), then one probe
 * every PROBE_GAP ms, each waited for (up to 10 s) before the next. */
static void *prober_main(void *arg)
{
    struct prober *pr = arg;
    send_probe(pr, 0);
    while (pr->con->seen_at[0] < 0 && now_ms() - pr->sent_at[0] < 600000 && !atomic_load(&pr->stop))
        usleep(2000);
    atomic_store(&pr->ready, true);
    for (int i = 1; i < pr->nprobes && pr->con->seen_at[0] >= 0 && !atomic_load(&pr->stop); i++) {
        double next = pr->sent_at[i - 1] + PROBE_GAP;
        while (now_ms() < next)
            usleep(1000);
        send_probe(pr, i);
        /* A probe later than this counts as lost (and fails the run). */
        while (pr->con->seen_at[i] < 0 && now_ms() - pr->sent_at[i] < 10000)
            usleep(200);
    }
    atomic_store(&pr->done, true);
    return NULL;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static bool event_to_screen(size_t si, const char *kc, struct fd_kube_config *cfg, long n,
                            int nprobes)
{
    /* The Freight dev (the first Stage of proj-00) holds. */
    struct fd_kube_response resp = {0};
    struct fd_kube_error err = {0};
    if (fd_kube_request(cfg, "GET", "/apis/kargo.akuity.io/v1alpha1/namespaces/proj-00/stages/dev",
                        NULL, NULL, &resp, &err) != FD_OK) {
        fprintf(stderr, "bench_scale: GET stage dev: %s\n", err.message);
        return false;
    }
    json_t *stage = json_loadb(resp.body, resp.body_len, 0, NULL);
    const char *freight =
        json_string_value(json_object_get(json_object_get(stage, "status"), "freightSummary"));
    struct prober pr = {.cfg = cfg, .nprobes = nprobes};
    snprintf(pr.path, sizeof(pr.path),
             "/apis/kargo.akuity.io/v1alpha1/namespaces/proj-00/freights/%s",
             freight ? freight : "?");
    json_decref(stage);
    fd_kube_response_free(&resp);

    char script[300];
    snprintf(script, sizeof(script), "%s/stream.script", dir);
    FILE *f = fopen(script, "w");
    /* The console stays until it is told to go (SIGTERM below): an hour of
     * @sleep, a minute a line. */
    fprintf(f, "@until %ld Freight (Enter\n", freight_in_first_project(n));
    for (int i = 0; i < 60; i++)
        fputs("@sleep 60000\n", f);
    fclose(f);
    struct console con;
    struct rusage ru;
    if (!console_start(&con, kc, NULL, script))
        return false;
    pr.con = &con;
    pthread_t t;
    pthread_create(&t, NULL, prober_main, &pr);
    double c0 = -1, w0 = 0;
    while (!atomic_load(&pr.done) && console_pump(&con, 20))
        if (c0 < 0 && atomic_load(&pr.ready)) {
            c0 = proc_cpu_s(con.pid);
            w0 = now_ms();
        }
    double c1 = proc_cpu_s(con.pid), w1 = now_ms();
    atomic_store(&pr.stop, true); /* the console may have ended early */
    pthread_join(t, NULL);
    kill(con.pid, SIGTERM);
    console_wait(&con, &ru);

    double lat[MAX_PROBES];
    int got = 0;
    for (int i = 1; i < nprobes; i++)
        if (con.seen_at[i] >= 0)
            lat[got++] = con.seen_at[i] - pr.sent_at[i];
    if (got < nprobes - 1)
        fprintf(stderr, "bench_scale: %d of %d probes at %ld never reached the screen\n",
                nprobes - 1 - got, nprobes - 1, n);
    if (!got)
        return false;
    qsort(lat, (size_t)got, sizeof(double), cmp);
    put(si, "console_event_to_screen_p50_ms", lat[got / 2], "ms");
    put(si, "console_event_to_screen_p99_ms", lat[(got * 99) / 100], "ms");
    put(si, "console_event_to_screen_max_ms", lat[got - 1], "ms");
    if (c0 >= 0 && w1 > w0)
        put(si, "console_stream_cpu_pct", 100.0 * (c1 - c0) / ((w1 - w0) / 1000.0), "%");
    put(si, "console_stream_max_rss_mb", con.hwm_kb / 1024.0, "MB");
    return got == nprobes - 1;
}

/* ---- one-shot listings, freightdeck against kubectl ----------------------------------- */

/* Runs argv with KUBECONFIG=kc, stdout to out; wall ms and CPU s. */
static bool timed_run(const char *const args[], const char *kc, const char *out, double *wall,
                      double *cpu)
{
    double t0 = now_ms();
    pid_t pid = fork();
    if (pid == 0) {
        char *argv[8] = {NULL};
        for (size_t i = 0; i < 7 && args[i]; i++)
            argv[i] = fd_xstrdup(args[i]);
        int fd = creat(out, 0600);
        dup2(fd, 1);
        close(fd);
        setenv("KUBECONFIG", kc, 1);
        execvp(argv[0], argv);
        _exit(127);
    }
    const char *const *argv = args;
    int status;
    struct rusage ru;
    wait4(pid, &status, 0, &ru);
    *wall = now_ms() - t0;
    *cpu = ru_cpu_s(&ru);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "bench_scale: %s %s %s exited %d\n", argv[0], argv[1], argv[2],
                WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        return false;
    }
    return true;
}

/* The objects in a listing: freightdeck's array, or kubectl's List. */
static long count_items(const char *path)
{
    json_error_t e;
    json_t *j = json_load_file(path, 0, &e);
    long n = json_is_array(j) ? (long)json_array_size(j)
                              : (long)json_array_size(json_object_get(j, "items"));
    json_decref(j);
    return j ? n : -1;
}

static bool versus_kubectl(size_t si, const char *kc, int reps)
{
    static const struct {
        const char *name, *fd, *kubectl;
    } kinds[] = {{"freight", "freight", "freights.kargo.akuity.io"},
                 {"stages", "stages", "stages.kargo.akuity.io"},
                 {"analysisruns", "analysisruns", "analysisruns.argoproj.io"}};
    bool ok = true;
    char out[300];
    snprintf(out, sizeof(out), "%s/listing.json", dir);
    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
        const char *fd_argv[] = {bin, "get", kinds[k].fd, "-A", "-o", "json", NULL};
        const char *kc_argv[] = {"kubectl", "get", kinds[k].kubectl, "-A", "-o", "json", NULL};
        double best[4] = {1e300, 1e300, 1e300, 1e300}; /* fd wall, cpu; kubectl wall, cpu */
        long nfd = -1, nkc = -1;
        for (int r = 0; r < reps; r++) {
            double w, c;
            /* Alternate which goes first, so neither always meets a warm
             * or a cold server. */
            for (int side = 0; side < 2; side++) {
                int which = (side + r) % 2;
                if (!timed_run(which ? kc_argv : fd_argv, kc, out, &w, &c)) {
                    ok = false;
                    continue;
                }
                if (w < best[which * 2])
                    best[which * 2] = w;
                if (c < best[which * 2 + 1])
                    best[which * 2 + 1] = c;
                if (r == 0)
                    *(which ? &nkc : &nfd) = count_items(out);
            }
        }
        if (nfd != nkc || nfd < 0) {
            fprintf(stderr, "bench_scale: get %s -A: freightdeck printed %ld, kubectl %ld\n",
                    kinds[k].name, nfd, nkc);
            ok = false;
        }
        char name[96];
        snprintf(name, sizeof(name), "get_%s_objects", kinds[k].name);
        put(si, name, (double)nfd, "count");
        snprintf(name, sizeof(name), "get_%s_fd_wall_ms", kinds[k].name);
        put(si, name, best[0], "ms");
        snprintf(name, sizeof(name), "get_%s_kubectl_wall_ms", kinds[k].name);
        put(si, name, best[2], "ms");
        snprintf(name, sizeof(name), "get_%s_fd_cpu_s", kinds[k].name);
        put(si, name, best[1], "s");
        snprintf(name, sizeof(name), "get_%s_kubectl_cpu_s", kinds[k].name);
        put(si, name, best[3], "s");
        snprintf(name, sizeof(name), "get_%s_wall_fd_over_kubectl", kinds[k].name);
        put(si, name, best[0] / best[2], "x");
        snprintf(name, sizeof(name), "get_%s_cpu_fd_over_kubectl", kinds[k].name);
        put(si, name, best[1] / best[3], "x");
    }
    unlink(out);
    return ok;
}

/* ---- main ---------------------------------------------------------------------------- */

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path); /* what cannot go stays in /tmp */
    return 0;
}

static void usage_exit(void)
{
    fprintf(stderr, "usage: bench_scale [--quick] [N...]   (N: Freight, 1 to 200000; default "
                    "1000 10000 100000)\n"
                    "       bench_scale --against KUBECONFIG [--reps N]   (the listings only, "
                    "against that cluster, the best of N runs, 3 by default)\n"
                    "       bench_scale --console R [N...]   (the console's first frames alone, "
                    "R runs of each, no stream; to compare changes)\n");
    exit(2);
}

int main(int argc, char **argv)
{
    bool quick = false;
    const char *top = getenv("FD_TOP_BUILDDIR");
    static char path[4096];
    int rc = 0;

    for (int i = 1; i < argc; i++) {
        char *end;
        if (strcmp(argv[i], "--quick") == 0) {
            quick = true;
            continue;
        }
        if (strcmp(argv[i], "--against") == 0 && i + 1 < argc) {
            against = argv[++i];
            continue;
        }
        if (strcmp(argv[i], "--console") == 0 && i + 1 < argc) {
            console_only = atoi(argv[++i]);
            if (console_only < 1 || console_only > 100)
                usage_exit();
            continue;
        }
        if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc) {
            against_reps = atoi(argv[++i]);
            if (against_reps < 1 || against_reps > 100)
                usage_exit();
            continue;
        }
        long n = strtol(argv[i], &end, 10);
        if (*end || n < 1 || n > 200000 || nsizes == MAX_SIZES)
            usage_exit();
        sizes[nsizes++] = n;
    }
    if (!nsizes) {
        static const long quick_sizes[] = {300}, full_sizes[] = {1000, 10000, 100000};
        const long *s = quick ? quick_sizes : full_sizes;
        nsizes = quick ? 1 : 3;
        memcpy(sizes, s, nsizes * sizeof(long));
    }
    snprintf(path, sizeof(path), "%s/freightdeck", top ? top : ".");
    bin = path;
    if (!mkdtemp(dir))
        return 1;
    signal(SIGPIPE, SIG_IGN);
    double load[3];
    if (getloadavg(load, 3) == 3)
        printf("scale_machine_load_1min %.2f load\n", load[0]);
    printf("scale_machine_cpus %ld count\n", sysconf(_SC_NPROCESSORS_ONLN));
    if (against) {
        /* A cluster loaded by bench/realstack-load: kubectl and freightdeck
         * list the same objects there. */
        rc = versus_kubectl(0, against, against_reps) ? 0 : 1;
        nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
        return rc;
    }

    for (size_t si = 0; si < nsizes; si++) {
        long n = sizes[si];
        struct sim s;
        if (!sim_start(&s, n)) {
            rc = 1;
            continue;
        }
        put(si, "sim_start_cpu_s", s.start_cpu_s, "s");
        sim_pid = s.pid;
        struct fd_kube_load_opts lo = {.kubeconfig = s.kc};
        struct fd_kube_config *cfg = NULL;
        struct fd_kube_error err = {0};
        if (fd_kube_config_load(&lo, &cfg, &err) != FD_OK) {
            fprintf(stderr, "bench_scale: %s\n", err.message);
            sim_stop(&s);
            rc = 1;
            continue;
        }
        if (console_only) {
            /* Repeated runs, each printed: one run under load says little.
             * After the client's sync, as in the full run: the sim's first
             * answers after its start are slow (its first passes). */
            bool ok = client_sync(si, cfg);
            for (int r = 0; r < console_only; r++) {
                ok &= first_frame(si, s.kc, n, NULL, "console");
                ok &= first_frame(si, s.kc, n, "proj-00", "console_project");
            }
            if (!ok)
                rc = 1;
            fd_kube_config_free(cfg);
            sim_stop(&s);
            continue;
        }
        /* Each part runs whatever happened to the one before. */
        bool ok = client_sync(si, cfg);
        ok &= first_frame(si, s.kc, n, NULL, "console");
        ok &= first_frame(si, s.kc, n, "proj-00", "console_project");
        ok &= event_to_screen(si, s.kc, cfg, n, quick ? 4 : 26);
        ok &= versus_kubectl(si, s.kc, quick || n > 50000 ? 1 : 3);
        if (!ok)
            rc = 1;
        fd_kube_config_free(cfg);
        sim_stop(&s);
        if (getloadavg(load, 3) == 3)
            printf("scale_%ld_machine_load_1min %.2f load\n", n, load[0]);
    }
    /* The growth between consecutive sizes. */
    for (size_t si = 1; si < nsizes; si++) {
        char a[32], b[32];
        short_size(sizes[si], a, sizeof(a));
        short_size(sizes[si - 1], b, sizeof(b));
        for (size_t i = 0; i < nfigs; i++) {
            const struct figure *f = &figs[i];
            if (!f->have[si] || !f->have[si - 1] || f->v[si - 1] <= 0 || strcmp(f->unit, "x") == 0)
                continue;
            printf("scale_ratio_%s_%s_%s %.2f x\n", a, b, f->name, f->v[si] / f->v[si - 1]);
        }
    }
    nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
    return rc;
}

/* cli/cmd-demo.c: `freightdeck demo`, the console on the built-in simulated
 * cluster: the simulator (API server and emulated Kargo / Argo Rollouts
 * controllers playing a scenario) runs in this process on a loopback port
 * with a freshly generated token, and the console connects to it over HTTP
 * exactly as to a real cluster.
 *
 * While the console owns the terminal, the process's stdout and stderr go
 * to a log file (the simulator prints to them from its own threads); the
 * console writes to a duplicate of the terminal. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "console_opts.h"
#include "freightdeck/cli.h"
#include "freightdeck/client.h"
#include "freightdeck/kube.h"
#include "freightdeck/sim.h"
#include "freightdeck/tui.h"
#include "freightdeck/util.h"

static void usage(FILE *f)
{
    fputs("Usage: freightdeck demo [--scenario NAME|FILE] [--speed X] [--readonly]\n"
          "                        [--theme NAME] [--ascii] [--no-color] [--script FILE]\n"
          "                        [--prometheus URL] [--expr-version 1.17|1.15]\n"
          "\n"
          "The console on a simulated cluster, no set-up needed: the payments pipeline\n"
          "(dev -> staging -> prod) where 1.4.0 is good and 1.5.0 returns 12% errors.\n"
          "The simulator serves the Kubernetes API on 127.0.0.1 (a free port) with a\n"
          "generated token; its log goes to a file shown when the demo ends with an error.\n"
          "\n"
          "  --scenario NAME|FILE   payments (default), inconclusive, or a scenario file\n"
          "  --speed X              scenario seconds per second (default: the scenario's)\n"
          "  -p, --project P        the project to open (default: the scenario's first)\n"
          "  --readonly             no actions\n"
          "  --prometheus URL       the Prometheus the what-if view (w) queries; the\n"
          "                         simulator invents its measurements and serves none\n"
          "  --expr-version V, --theme NAME, --ascii, --no-color, --script FILE,\n"
          "  --frame-ms N           as for console\n"
          "  -h, --help             show this help\n",
          f);
}

struct sim_thread {
    struct fd_sim_options opts;
    pthread_t thread;
    atomic_int finished;
    int rc;
};

static void *sim_main(void *arg)
{
    struct sim_thread *s = arg;

    s->rc = fd_sim_serve(&s->opts);
    atomic_store(&s->finished, 1);
    return NULL;
}

static bool random_token(char *out, size_t size)
{
    unsigned char b[16];
    FILE *f = fopen("/dev/urandom", "rb");
    bool ok = f && fread(b, 1, sizeof(b), f) == sizeof(b);

    if (f)
        fclose(f);
    if (!ok || size < 2 * sizeof(b) + 1)
        return false;
    for (size_t i = 0; i < sizeof(b); i++)
        snprintf(out + 2 * i, 3, "%02x", b[i]);
    return true;
}

/* Waits until the log shows "listening on" (the kubeconfig is written just
 * before), the simulator gave up, or 15 s passed. */
static bool wait_listening(const char *log, struct sim_thread *s)
{
    for (int i = 0; i < 1500 && !atomic_load(&s->finished); i++) {
        FILE *f = fopen(log, "r");
        char line[512];
        bool found = false;
        while (f && fgets(line, sizeof(line), f))
            found |= strncmp(line, "listening on ", 13) == 0;
        if (f)
            fclose(f);
        if (found)
            return true;
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    return false;
}

static int demo_exec(int argc, char **argv)
{
    static const struct option options[] = {
        {"scenario", required_argument, NULL, 'S'},
        {"speed", required_argument, NULL, 'x'},
        {"project", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},
        FD_CLI_CONSOLE_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    struct fd_tui_console_options o = {0};
    struct sim_thread s;
    const char *scenario = "payments";
    double speed = 0;
    int c, rc = 1, saved_out = -1, saved_err = -1, logfd = -1;
    char token[40];
    char *tokens = NULL, *kubeconfig = NULL, *log = NULL, *project = NULL;
    struct fd_kube_config *cfg = NULL;
    struct fd_kube_error kerr = {0};
    FILE *term = NULL;
    bool started = false, keep_log = false;

    o.simulated_metrics = true;
    while ((c = getopt_long(argc, argv, ":p:h", options, NULL)) != -1) {
        int shared = fd_cli_console_option("demo", c, optarg, &o);
        if (shared == 2)
            return 2;
        if (shared)
            continue;
        switch (c) {
        case 'S':
            scenario = optarg;
            break;
        case 'p':
            o.project = optarg;
            break;
        case 'x': {
            char *end;
            speed = strtod(optarg, &end);
            if (*end || !(speed > 0) || speed > 100000)
                return fd_cli_usage_error("demo", "--speed '%s': a number above 0", optarg);
            break;
        }
        case 'h':
            usage(stdout);
            return 0;
        default:
            return fd_cli_option_error("demo", c, argv);
        }
    }
    if (optind < argc)
        return fd_cli_usage_error("demo", "unexpected argument '%s'", argv[optind]);
    if (!o.script_path && !getenv("FREIGHTDECK_SCRIPT") && (!isatty(0) || !isatty(1))) {
        fprintf(stderr, "freightdeck demo: the console needs a terminal\n");
        return 1;
    }

    /* A private folder for the token, the kubeconfig and the log. */
    const char *tmp = getenv("TMPDIR");
    char *tdir = fd_xasprintf("%s/freightdeck-demo.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(tdir)) {
        fprintf(stderr, "freightdeck demo: cannot create a folder in %s: %s\n",
                tmp && *tmp ? tmp : "/tmp", strerror(errno));
        free(tdir);
        return 1;
    }
    tokens = fd_xasprintf("%s/tokens", tdir);
    kubeconfig = fd_xasprintf("%s/kubeconfig", tdir);
    log = fd_xasprintf("%s/sim.log", tdir);
    FILE *tf = fopen(tokens, "w");
    if (!tf || !random_token(token, sizeof(token)) || fprintf(tf, "%s demo admin\n", token) < 0) {
        fprintf(stderr, "freightdeck demo: cannot write %s: %s\n", tokens, strerror(errno));
        if (tf)
            fclose(tf);
        goto out;
    }
    fclose(tf);
    chmod(tokens, 0600);

    /* The terminal for the console; stdout and stderr to the log. */
    logfd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    saved_out = dup(1);
    saved_err = dup(2);
    if (logfd < 0 || saved_out < 0 || saved_err < 0 || !(term = fdopen(dup(saved_out), "w"))) {
        fprintf(stderr, "freightdeck demo: cannot set up the log %s: %s\n", log, strerror(errno));
        goto out;
    }
    fflush(stdout);
    fflush(stderr);
    dup2(logfd, 1);
    dup2(logfd, 2);

    memset(&s, 0, sizeof(s));
    atomic_init(&s.finished, 0);
    s.opts.listen = "127.0.0.1:0";
    s.opts.tokens = tokens;
    s.opts.kubeconfig_out = kubeconfig;
    s.opts.scenario = scenario;
    s.opts.speed = speed;
    {
        /* The simulator's threads must not take the console's signals. */
        sigset_t block, old;
        sigemptyset(&block);
        sigaddset(&block, SIGINT);
        sigaddset(&block, SIGTERM);
        sigaddset(&block, SIGWINCH);
        pthread_sigmask(SIG_BLOCK, &block, &old);
        started = pthread_create(&s.thread, NULL, sim_main, &s) == 0;
        pthread_sigmask(SIG_SETMASK, &old, NULL);
    }
    if (!started || !wait_listening(log, &s)) {
        keep_log = true;
        dprintf(saved_err, "freightdeck demo: the simulator did not start (log: %s)\n", log);
        goto out;
    }
    struct fd_kube_load_opts lo = {.kubeconfig = kubeconfig};
    if (fd_kube_config_load(&lo, &cfg, &kerr) != FD_OK) {
        keep_log = true;
        dprintf(saved_err, "freightdeck demo: %s\n", kerr.message);
        goto out;
    }
    o.cfg = cfg;
    if (!o.project) {
        /* The scenario's project: the first Project the simulator serves. */
        struct fd_model_store *ps = fd_model_store_new(0);
        if (fd_client_list(cfg, ps, FD_MODEL_PROJECT, NULL, 0, &kerr) == FD_OK) {
            struct fd_model_snapshot *snap = fd_model_store_snapshot(ps);
            size_t n;
            struct fd_model_object *const *all = fd_model_snapshot_list(snap, FD_MODEL_PROJECT, &n);
            if (n)
                project = fd_xstrdup(all[0]->meta.name);
            fd_model_snapshot_release(snap);
        }
        fd_model_store_free(ps);
        o.project = project;
    }
    o.clock_ms = fd_sim_now_ms; /* one timeline with what the simulator writes */
    o.term_out = term;
    rc = fd_tui_console_run(&o);
    if (rc != 0)
        keep_log = true;
out:
    if (started) {
        pthread_kill(s.thread, SIGTERM);
        pthread_join(s.thread, NULL);
    }
    fd_kube_config_free(cfg);
    free(project);
    if (term)
        fclose(term);
    fflush(stdout);
    fflush(stderr);
    if (saved_out >= 0) {
        dup2(saved_out, 1);
        close(saved_out);
    }
    if (saved_err >= 0) {
        dup2(saved_err, 2);
        close(saved_err);
    }
    if (logfd >= 0)
        close(logfd);
    if (keep_log) {
        /* What went wrong is in the log: show its end. */
        FILE *lf = fopen(log, "r");
        char line[512];
        while (lf && fgets(line, sizeof(line), lf))
            fprintf(stderr, "  %s", line);
        if (lf)
            fclose(lf);
    }
    unlink(tokens);
    unlink(kubeconfig);
    unlink(log);
    rmdir(tdir);
    free(tdir);
    free(tokens);
    free(kubeconfig);
    free(log);
    return rc;
}

const struct fd_cli_cmd_entry fd_cli_cmd_demo_entry = {
    .name = "demo",
    .usage = "[--scenario NAME|FILE] [--speed X] [--readonly]",
    .summary = "the console on a built-in simulated cluster (no set-up)",
    .exec = demo_exec,
};

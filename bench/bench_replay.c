/* bench/bench_replay.c: `freightdeck analyze --replay` of a generated run of
 * 10 metrics x 1,000 measurements (goal: under 100 ms), the whole command
 * and the replay engine alone, as recorded and with a changed condition
 * (every value judged again by the expr evaluator). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "freightdeck/analysis.h"
#include "freightdeck/util.h"

#define METRICS      10
#define MEASUREMENTS 1000
#define T0           1704067200LL

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static char *stamp(long long s)
{
    return fd_time_format_rfc3339(s * 1000, false);
}

/* Values between 0.955 and 0.999: every measurement Successful, so no
 * metric completes before its last measurement. */
static json_t *generate(void)
{
    json_t *metrics = json_array(), *results = json_array();

    for (int m = 0; m < METRICS; m++) {
        char name[32];
        snprintf(name, sizeof(name), "metric-%d", m);
        json_array_append_new(
            metrics, json_pack("{ss ss si ss ss s{s{ss ss}}}", "name", name, "interval", "1s",
                               "count", MEASUREMENTS, "successCondition", "result[0] >= 0.95",
                               "failureCondition", "result[0] < 0.80", "provider", "prometheus",
                               "address", "http://prometheus.monitoring:9090", "query", "up"));
        json_t *ms = json_array();
        for (int i = 0; i < MEASUREMENTS; i++) {
            char value[32];
            char *t = stamp(T0 + 2LL * i);
            snprintf(value, sizeof(value), "[0.%03d]", 955 + (i * 7 + m) % 45);
            json_array_append_new(ms, json_pack("{ss ss ss ss}", "phase", "Successful", "value",
                                                value, "startedAt", t, "finishedAt", t));
            free(t);
        }
        json_array_append_new(results,
                              json_pack("{ss ss si si si so}", "name", name, "phase", "Successful",
                                        "count", MEASUREMENTS, "successful", MEASUREMENTS,
                                        "consecutiveSuccess", MEASUREMENTS, "measurements", ms));
    }
    char *start = stamp(T0);
    json_t *run = json_pack(
        "{ss ss s{ss ss} s{so s[{ss si}]} s{ss ss so}}", "apiVersion", "argoproj.io/v1alpha1",
        "kind", "AnalysisRun", "metadata", "name", "bench", "namespace", "bench", "spec", "metrics",
        metrics, "measurementRetention", "metricName", ".*", "limit", MEASUREMENTS, "status",
        "phase", "Successful", "startedAt", start, "metricResults", results);
    free(start);
    if (!run)
        fd_fatal("bench_replay: cannot build the run");
    return run;
}

static bool keep_rules = true;

static double engine(const json_t *j, bool rejudge, enum fd_analysis_phase *phase)
{
    char *err = NULL;
    struct fd_analysis_override ov;
    struct fd_analysis_replay rep;
    double t = now_ms();
    struct fd_analysis_run *run = fd_analysis_run_from_json(j, &err);

    if (!run)
        fd_fatal("bench_replay: %s", err);
    memset(&ov, 0, sizeof(ov));
    ov.success_condition = "result[0] >= 0.96";
    if (!keep_rules) {
        /* Without the measurementRetention rule the history is trimmed to
         * Argo's default of 10, and no regexp is ever compiled. */
        for (size_t i = 0; i < run->n_retention; i++)
            free(run->retention[i].metric_name);
        run->n_retention = 0;
    }
    if (fd_analysis_replay(run, &ov, rejudge ? 1 : 0, &rep, &err) != FD_OK)
        fd_fatal("bench_replay: %s", err);
    t = now_ms() - t;
    *phase = rep.run->phase;
    fd_analysis_replay_free(&rep);
    fd_analysis_run_free(run);
    return t;
}

static double best_of(double (*fn)(const json_t *, bool, enum fd_analysis_phase *), const json_t *j,
                      bool rejudge, enum fd_analysis_phase *phase)
{
    double best = 1e18;

    for (int i = 0; i < 5; i++) {
        double t = fn(j, rejudge, phase);
        if (t < best)
            best = t;
    }
    return best;
}

/* The whole command: read, decode, replay, print JSON. */
static double command(const char *bin, const char *file, const char *set)
{
    double best = 1e18;

    for (int i = 0; i < 5; i++) {
        double t;
        pid_t pid;

        fflush(stdout);
        t = now_ms();
        pid = fork();
        if (pid == 0) {
            if (!freopen("/dev/null", "w", stdout))
                _exit(127);
            if (set)
                execl(bin, bin, "analyze", "--replay", file, "--set", set, "-o", "json",
                      (char *)NULL);
            else
                execl(bin, bin, "analyze", "--replay", file, "-o", "json", (char *)NULL);
            _exit(127);
        }
        int st = 0;
        waitpid(pid, &st, 0);
        t = now_ms() - t;
        if (!WIFEXITED(st) || WEXITSTATUS(st) > 4) {
            fprintf(stderr, "bench_replay: %s analyze --replay failed (status %d)\n", bin, st);
            return -1;
        }
        if (t < best)
            best = t;
    }
    return best;
}

int main(void)
{
    json_t *run = generate();
    enum fd_analysis_phase phase;
    const char *top = getenv("FD_TOP_BUILDDIR");
    char file[] = "/tmp/bench_replay.XXXXXX";
    int fd = mkstemp(file);

    if (fd < 0 || json_dumpfd(run, fd, JSON_COMPACT) != 0)
        fd_fatal("bench_replay: cannot write %s", file);
    close(fd);
    printf("replay_10x1000_engine %.1f ms\n", best_of(engine, run, false, &phase));
    fprintf(stderr, "replayed run phase: %s\n", fd_analysis_phase_name(phase));
    printf("replay_10x1000_engine_rejudged %.1f ms\n", best_of(engine, run, true, &phase));
    keep_rules = false;
    printf("replay_10x1000_engine_no_retention_rule %.1f ms\n",
           best_of(engine, run, false, &phase));
    keep_rules = true;
    char *bin = fd_xasprintf("%s/freightdeck", top ? top : ".");
    if (access(bin, X_OK) == 0) {
        printf("analyze_replay_10x1000_command %.1f ms\n", command(bin, file, NULL));
        printf("analyze_replay_10x1000_command_set %.1f ms\n",
               command(bin, file, "*.successCondition=result[0] >= 0.96"));
    } else {
        fprintf(stderr, "bench_replay: %s not built; command figures skipped\n", bin);
    }
    free(bin);
    unlink(file);
    json_decref(run);
    return 0;
}

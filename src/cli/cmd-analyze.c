/* cli/cmd-analyze.c: `freightdeck analyze`, "what would this analysis say?":
 * runs the Prometheus metrics of AnalysisTemplates against a real
 * Prometheus now (or on their schedule with --watch), or replays a recorded
 * AnalysisRun with changed conditions and limits (--replay). */
#include "config.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "freightdeck/analysis.h"
#include "freightdeck/cli.h"
#include "freightdeck/kube.h"
#include "freightdeck/model.h"
#include "freightdeck/prom.h"
#include "freightdeck/util.h"
#include "freightdeck/yaml.h"

#define CMD "analyze"

/* Exit codes: the verdict's phase (usage errors are 2 as well). */
#define EXIT_TABLE(_)                                                               \
    _(SUCCESSFUL, 0, "the analysis is Successful")                                  \
    _(FAILED, 1, "the analysis Failed")                                             \
    _(ERROR, 2, "Error, unreadable input, usage, or a cluster that cannot be read") \
    _(INCONCLUSIVE, 3, "the analysis is Inconclusive")                              \
    _(RUNNING, 4, "a replay ended while still Running")

enum exit_code {
#define EXIT_ENUM(id, code, help) EXIT_##id = code,
    EXIT_TABLE(EXIT_ENUM)
#undef EXIT_ENUM
};

enum output { OUT_TEXT, OUT_JSON };

struct opts {
    struct fd_analysis_arg *args; /* --arg */
    size_t n_args;
    bool *arg_used;
    const char *prometheus;
    char *bearer_token;
    const char *ca_file;
    bool insecure;
    bool time_set;
    int64_t time_ms;
    bool watch;
    const char *replay;
    struct fd_analysis_override *sets; /* --set */
    size_t n_sets;
    enum output output;
    const char *stage; /* --stage PROJECT/STAGE */
    const char *kubeconfig;
    const char *context;
    /* With --stage: the args came from the Stage, so the templates may
     * leave some unused (Kargo drops them); only --arg is checked. */
    const bool *user_arg;
};

static void usage(FILE *f)
{
    fputs(
        "Usage: freightdeck analyze TEMPLATE.yaml [--arg NAME=VALUE]... [--prometheus URL]\n"
        "                           [--watch] [-o text|json]\n"
        "       freightdeck analyze --stage PROJECT/STAGE [--prometheus URL] [--arg "
        "NAME=VALUE]...\n"
        "                           [--kubeconfig FILE] [--context NAME] [--watch] [-o text|json]\n"
        "       freightdeck analyze --replay RUN.json|RUN.yaml [--set METRIC.FIELD=VALUE]...\n"
        "                           [-o text|json]\n"
        "\n"
        "What would this analysis say? Reads the AnalysisTemplates and\n"
        "ClusterAnalysisTemplates of TEMPLATE.yaml (several documents allowed; '-' is\n"
        "standard input), resolves their {{args.x}} as Argo Rollouts does, runs each\n"
        "Prometheus metric's query now and judges it: per metric the resolved query,\n"
        "the value, the phase and why. Other providers are reported as not supported.\n"
        "With --stage, the templates and args come from the Stage's spec.verification\n"
        "in the cluster, the args' ${{ }} expressions evaluated as Kargo does (ctx.project,\n"
        "ctx.stage, vars): a dry run of the Stage's verification before promoting.\n"
        "\n"
        "Options:\n"
        "  --arg NAME=VALUE          value of a template argument (repeatable); with\n"
        "                            --stage it replaces the Stage's value of that arg\n"
        "  --stage PROJECT/STAGE     take the templates and args of this Stage's verification\n"
        "  --kubeconfig FILE         with --stage: the kubeconfig to use (as kubectl)\n"
        "  --context NAME            with --stage: the kubeconfig context to use\n"
        "  --prometheus URL          query this Prometheus instead of the template's address\n"
        "  --bearer-token-file FILE  send the token in FILE as 'Authorization: Bearer'\n"
        "  --ca-file FILE            verify the server against the PEM bundle FILE\n"
        "  --insecure                skip TLS certificate verification\n"
        "  --time RFC3339            evaluate at this time instead of now (the instant query's\n"
        "                            time and now() in rangeQuery); for tests and post-mortems\n"
        "  --watch                   measure on each metric's interval up to its count, with\n"
        "                            initialDelay and the limits, and end with the run's verdict\n"
        "  --replay RUN              replay a recorded AnalysisRun (JSON or YAML)\n"
        "  --set METRIC.FIELD=VALUE  with --replay: change successCondition, failureCondition,\n"
        "                            failureLimit, inconclusiveLimit, consecutiveErrorLimit or\n"
        "                            count of METRIC ('*' for every metric); repeatable\n"
        "  -o, --output FORMAT       text (default) or json\n"
        "  -h, --help                show this help\n"
        "\n"
        "Without --watch the verdict is the worst measurement phase (Failed, Error,\n"
        "Inconclusive, Successful; dry-run metrics do not count); with --watch and\n"
        "--replay it is the run's phase. With --watch, a metric with an interval and\n"
        "no count measures until it fails, as in Argo (interrupt to stop).\n"
        "The address comes from --prometheus, else provider.prometheus.address, else\n"
        "$ARGO_ROLLOUTS_PROMETHEUS_ADDRESS. A spec Argo would refuse (its\n"
        "ValidateMetric checks) is reported as Error \"Analysis spec invalid: ...\".\n"
        "With --stage, a cluster that cannot be reached or read is an Error (2) whose\n"
        "message names the server.\n"
        "\n"
        "Exit status:\n",
        f);
#define EXIT_HELP(id, code, help) fprintf(f, "  %d  %s\n", code, help);
    EXIT_TABLE(EXIT_HELP)
#undef EXIT_HELP
}

static int exit_for(enum fd_analysis_phase p)
{
    switch (p) {
    case FD_ANALYSIS_PHASE_SUCCESSFUL:
        return EXIT_SUCCESSFUL;
    case FD_ANALYSIS_PHASE_FAILED:
        return EXIT_FAILED;
    case FD_ANALYSIS_PHASE_ERROR:
        return EXIT_ERROR;
    case FD_ANALYSIS_PHASE_INCONCLUSIVE:
        return EXIT_INCONCLUSIVE;
    default:
        return EXIT_RUNNING;
    }
}

static int fail(const char *fmt, ...) FD_PRINTF(1, 2);
static int fail(const char *fmt, ...)
{
    va_list ap;

    fputs("freightdeck " CMD ": ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return EXIT_ERROR;
}

static void sleep_ms(int64_t ms)
{
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};

    while (ms > 0 && nanosleep(&ts, &ts) != 0)
        ;
}

/* ---- Output helpers -------------------------------------------------------- */
static void print_json(json_t *j)
{
    char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);

    if (!s)
        fd_fatal("out of memory");
    puts(s);
    free(s);
}

/* A JSON string of s; text that is not valid UTF-8 (a message quoting
 * bytes from a server) gets '?' for the bad bytes instead of making
 * json_pack fail. */
static json_t *str_or_null(const char *s)
{
    json_t *j;
    struct fd_buf b = FD_BUF_INIT;

    if (!s)
        return json_null();
    if ((j = json_string(s)))
        return j;
    fd_term_sanitize(&b, s, strlen(s), true);
    j = json_string(fd_buf_cstr(&b));
    fd_buf_free(&b);
    return j ? j : json_null();
}

/* Prints "  label:  text" with continuation lines of text indented. */
static void print_field(const char *label, const char *text)
{
    const char *p = text ? text : "";
    bool first = true;

    printf("  %-8s ", label);
    while (first || *p) {
        size_t n = strcspn(p, "\n");
        if (!first)
            printf("  %-8s ", "");
        printf("%.*s\n", (int)n, p);
        p += n;
        if (*p == '\n')
            p++;
        first = false;
        /* A trailing newline (YAML's "|" block) ends the text. */
        if (!*p)
            break;
    }
}

static json_t *summary_json(const struct fd_analysis_summary *s)
{
    return json_pack("{sI sI sI sI sI}", "count", (json_int_t)s->count, "successful",
                     (json_int_t)s->successful, "failed", (json_int_t)s->failed, "inconclusive",
                     (json_int_t)s->inconclusive, "error", (json_int_t)s->error);
}

/* The run's status as `-o json` shows it; ignored[i] counts replay steps
 * of spec metric i the controller would not have taken (NULL: none). */
static json_t *run_json(const struct fd_analysis_run *run, const size_t *ignored, bool measurements)
{
    json_t *results = json_array();

    for (size_t i = 0; i < run->n_metrics; i++) {
        const struct fd_analysis_metric_result *r =
            fd_analysis_run_result(run, run->metrics[i].name);
        struct fd_analysis_metric_result empty;
        if (!r) {
            memset(&empty, 0, sizeof(empty));
            empty.name = run->metrics[i].name;
            empty.phase = FD_ANALYSIS_PHASE_PENDING;
            r = &empty;
        }
        json_t *o =
            json_pack("{ss ss so sI sI sI sI sI sI sI sI}", "name", r->name, "phase",
                      fd_analysis_phase_name(r->phase), "message", str_or_null(r->message), "count",
                      (json_int_t)r->count, "successful", (json_int_t)r->successful, "failed",
                      (json_int_t)r->failed, "inconclusive", (json_int_t)r->inconclusive, "error",
                      (json_int_t)r->error, "consecutiveError", (json_int_t)r->consecutive_error,
                      "consecutiveSuccess", (json_int_t)r->consecutive_success, "ignored",
                      (json_int_t)(ignored ? ignored[i] : 0));
        if (!o)
            fd_fatal("out of memory");
        if (measurements) {
            json_t *ms = json_array();
            for (size_t k = 0; k < r->n_measurements; k++) {
                const struct fd_analysis_measurement *m = &r->measurements[k];
                json_t *mj = json_pack("{ss}", "phase", fd_analysis_phase_name(m->phase));
                if (m->value)
                    json_object_set_new(mj, "value", json_string(m->value));
                if (m->message)
                    json_object_set_new(mj, "message", json_string(m->message));
                if (m->started_at != FD_ANALYSIS_NO_TIME) {
                    char *t = fd_time_format_rfc3339(m->started_at, false);
                    json_object_set_new(mj, "startedAt", json_string(t));
                    free(t);
                }
                if (m->finished_at != FD_ANALYSIS_NO_TIME) {
                    char *t = fd_time_format_rfc3339(m->finished_at, false);
                    json_object_set_new(mj, "finishedAt", json_string(t));
                    free(t);
                }
                json_array_append_new(ms, mj);
            }
            json_object_set_new(o, "measurements", ms);
        }
        json_array_append_new(results, o);
    }
    return json_pack("{ss so so so so}", "phase", fd_analysis_phase_name(run->phase), "message",
                     str_or_null(run->message), "metricResults", results, "runSummary",
                     summary_json(&run->run_summary), "dryRunSummary",
                     summary_json(&run->dry_run_summary));
}

static void print_counters(const struct fd_analysis_metric_result *r, size_t ignored,
                           bool with_ignored)
{
    printf("  count %lld  successful %lld  failed %lld  inconclusive %lld  error %lld  "
           "consecutiveError %lld  consecutiveSuccess %lld",
           (long long)r->count, (long long)r->successful, (long long)r->failed,
           (long long)r->inconclusive, (long long)r->error, (long long)r->consecutive_error,
           (long long)r->consecutive_success);
    if (with_ignored)
        printf("  ignored %zu", ignored);
    putchar('\n');
}

static void print_run_text(const struct fd_analysis_run *run, const size_t *ignored)
{
    for (size_t i = 0; i < run->n_metrics; i++) {
        const struct fd_analysis_metric_result *r =
            fd_analysis_run_result(run, run->metrics[i].name);
        if (!r) {
            printf("metric %s: Pending (no measurement)\n", run->metrics[i].name);
            continue;
        }
        printf("metric %s: %s%s\n", r->name, fd_analysis_phase_name(r->phase),
               r->dry_run ? " (dry run)" : "");
        print_counters(r, ignored ? ignored[i] : 0, ignored != NULL);
        if (r->message && *r->message)
            print_field("message:", r->message);
    }
    printf("run: %s\n", fd_analysis_phase_name(run->phase));
    if (run->message && *run->message)
        print_field("message:", run->message);
    const struct fd_analysis_summary *s = &run->run_summary;
    printf(
        "  runSummary: count %lld, successful %lld, failed %lld, inconclusive %lld, error %lld\n",
        (long long)s->count, (long long)s->successful, (long long)s->failed,
        (long long)s->inconclusive, (long long)s->error);
    s = &run->dry_run_summary;
    if (s->count)
        printf("  dryRunSummary: count %lld, successful %lld, failed %lld, inconclusive %lld, "
               "error %lld\n",
               (long long)s->count, (long long)s->successful, (long long)s->failed,
               (long long)s->inconclusive, (long long)s->error);
}

/* ---- Replay --------------------------------------------------------------- */
static json_t *load_docs(const char *path, char **err)
{
    json_t *docs = fd_yaml_manifest_file(path, err);
    json_t *flat;
    size_t i;
    json_t *d;

    if (!docs)
        return NULL;
    /* A `kubectl get -o yaml` List holds its objects in items. */
    flat = json_array();
    json_array_foreach(docs, i, d)
    {
        const char *kind = json_string_value(json_object_get(d, "kind"));
        const json_t *items = json_object_get(d, "items");
        if (kind && strlen(kind) > 4 && strcmp(kind + strlen(kind) - 4, "List") == 0 &&
            json_is_array(items))
            json_array_extend(flat, (json_t *)(uintptr_t)items);
        else
            json_array_append(flat, d);
    }
    json_decref(docs);
    return flat;
}

static int cmd_replay(struct opts *o)
{
    char *err = NULL;
    json_t *docs = load_docs(o->replay, &err);
    const json_t *doc = NULL;
    size_t i, n_runs = 0;
    json_t *d;
    struct fd_analysis_run *run;
    struct fd_analysis_replay rep;
    int code;

    if (!docs) {
        code = fail("%s", err);
        free(err);
        return code;
    }
    json_array_foreach(docs, i, d)
    {
        if (fd_streq(json_string_value(json_object_get(d, "kind")), "AnalysisRun")) {
            if (!doc)
                doc = d;
            n_runs++;
        }
    }
    if (n_runs != 1) {
        json_decref(docs);
        return fail("%s: %s", o->replay,
                    n_runs ? "holds several AnalysisRuns; --replay takes one"
                           : "holds no AnalysisRun (kind: AnalysisRun)");
    }
    run = fd_analysis_run_from_json(doc, &err);
    json_decref(docs);
    if (!run) {
        code = fail("%s: %s", o->replay, err);
        free(err);
        return code;
    }
    if (fd_analysis_replay(run, o->sets, o->n_sets, &rep, &err) != FD_OK) {
        fd_analysis_run_free(run);
        code = fail("%s: %s", o->replay, err);
        free(err);
        return code;
    }
    size_t *ignored = fd_xcalloc(rep.run->n_metrics + 1, sizeof(size_t));
    size_t n_ignored = 0;
    for (size_t s = 0; s < rep.n_steps; s++) {
        if (rep.steps[s].ignored && rep.steps[s].metric < rep.run->n_metrics) {
            ignored[rep.steps[s].metric]++;
            n_ignored++;
        }
    }
    if (o->output == OUT_JSON) {
        json_t *j = run_json(rep.run, ignored, false);
        json_t *w = json_array();
        for (size_t k = 0; k < rep.n_warnings; k++)
            json_array_append_new(w, json_string(rep.warnings[k]));
        json_object_set_new(j, "warnings", w);
        print_json(j);
        json_decref(j);
    } else {
        printf(
            "AnalysisRun %s%s%s%s: replayed %zu measurement(s), %zu ignored; recorded phase %s\n",
            run->name ? run->name : "(unnamed)", run->namespace ? " (namespace " : "",
            run->namespace ? run->namespace : "", run->namespace ? ")" : "", rep.n_steps, n_ignored,
            run->phase ? fd_analysis_phase_name(run->phase) : "(none)");
        print_run_text(rep.run, ignored);
        for (size_t k = 0; k < rep.n_warnings; k++)
            printf("note: %s\n", rep.warnings[k]);
    }
    code = exit_for(rep.run->phase);
    free(ignored);
    fd_analysis_replay_free(&rep);
    fd_analysis_run_free(run);
    return code;
}

/* ---- Templates --------------------------------------------------------------- */
static void free_args(struct fd_analysis_arg *args, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fd_analysis_arg_free(&args[i]);
    free(args);
}

/* Resolves one template document into a plan. Returns false with *err. */
static bool plan_template(const json_t *doc, struct opts *o, struct fd_analysis_plan *t, char **err)
{
    return fd_analysis_plan_template(doc, o->args, o->n_args, o->arg_used, true, t, err);
}

static struct fd_analysis_prom_options measure_opts(const struct opts *o, int64_t now)
{
    struct fd_analysis_prom_options po;

    memset(&po, 0, sizeof(po));
    po.address = o->prometheus;
    po.bearer_token = o->bearer_token;
    po.ca_file = o->ca_file;
    po.insecure = o->insecure;
    po.now_ms = now;
    return po;
}

static const char *provider_label(const struct fd_analysis_metric *m)
{
    return m->provider_name ? m->provider_name : "none";
}

/* ---- One-shot ------------------------------------------------------------- */
static enum fd_analysis_phase worse(enum fd_analysis_phase a, enum fd_analysis_phase b)
{
    if (a == FD_ANALYSIS_PHASE_NONE)
        return b;
    return fd_analysis_phase_is_worse(a, b) ? b : a;
}

static int analyze_once(struct opts *o, struct fd_analysis_plan *plans, size_t n_plans)
{
    int64_t now = o->time_set ? o->time_ms : fd_time_now_ms();
    enum fd_analysis_phase verdict = FD_ANALYSIS_PHASE_NONE;
    json_t *jt = json_array();
    size_t measured = 0;

    for (size_t t = 0; t < n_plans; t++) {
        struct fd_analysis_plan *tp = &plans[t];
        json_t *jm = json_array();
        bool *dry = fd_xcalloc(tp->n_metrics + 1, sizeof(bool));
        char *dry_err = NULL;
        /* Dry-run metrics are measured and shown but never decide. */
        if (fd_analysis_dry_run_metrics(tp->run, dry, &dry_err) != FD_OK) {
            if (o->output == OUT_TEXT)
                printf("note: %s (every metric counts)\n", dry_err);
            free(dry_err);
            memset(dry, 0, (tp->n_metrics + 1) * sizeof(bool));
        }
        if (o->output == OUT_TEXT) {
            printf("%s %s", tp->kind, tp->name);
            for (size_t i = 0; i < tp->n_args; i++)
                printf("%s%s=%s", i ? ", " : "  (args: ", tp->args[i].name, tp->args[i].value);
            printf("%s\n", tp->n_args ? ")" : "");
        }
        for (size_t i = 0; i < tp->n_metrics; i++) {
            struct fd_analysis_plan_metric *mp = &tp->metrics[i];
            if (!mp->supported) {
                if (o->output == OUT_TEXT)
                    printf("metric %s: not supported by analyze (provider: %s)\n", mp->m->name,
                           provider_label(mp->m));
                json_array_append_new(jm, json_pack("{ss ss sb}", "name", mp->m->name, "provider",
                                                    provider_label(mp->m), "supported", 0));
                continue;
            }
            struct fd_analysis_prom_options po = measure_opts(o, now);
            struct fd_analysis_prom_measurement me;
            fd_analysis_prom_measure(mp->m, &mp->spec, &po, &me);
            measured++;
            if (!dry[i])
                verdict = worse(verdict, me.phase);
            if (o->output == OUT_TEXT) {
                printf("metric %s: %s%s\n", mp->m->name, fd_analysis_phase_name(me.phase),
                       dry[i] ? " (dry run: does not count)" : "");
                print_field("query:", mp->m->query);
                if (me.address)
                    printf("  %-8s %s%s%s\n", "address:", me.address, me.request ? ", " : "",
                           me.request ? me.request : "");
                if (me.value)
                    print_field("value:", me.value);
                if (me.warnings)
                    print_field("warnings:", me.warnings);
                if (me.phase == FD_ANALYSIS_PHASE_ERROR && me.message)
                    print_field("message:", me.message);
                print_field("why:", me.explanation);
            }
            json_t *mj =
                json_pack("{ss ss sb so so so so ss so ss so}", "name", mp->m->name, "provider",
                          provider_label(mp->m), "supported", 1, "query", str_or_null(mp->m->query),
                          "address", str_or_null(me.address), "request", str_or_null(me.request),
                          "value", str_or_null(me.value), "phase", fd_analysis_phase_name(me.phase),
                          "message", str_or_null(me.message), "explanation", me.explanation,
                          "warnings", str_or_null(me.warnings));
            if (!mj)
                fd_fatal("out of memory");
            json_object_set_new(mj, "dryRun", json_boolean(dry[i]));
            json_array_append_new(jm, mj);
            fd_analysis_prom_measurement_free(&me);
        }
        free(dry);
        json_array_append_new(
            jt, json_pack("{ss ss so}", "kind", tp->kind, "name", tp->name, "metrics", jm));
    }
    int code;
    if (!measured) {
        json_decref(jt);
        return fail("no Prometheus metric to measure: analyze runs provider.prometheus metrics "
                    "only");
    }
    if (verdict == FD_ANALYSIS_PHASE_NONE)
        verdict = FD_ANALYSIS_PHASE_SUCCESSFUL; /* only dry-run metrics: nothing can fail */
    char *at = fd_time_format_rfc3339(now, false);
    if (o->output == OUT_JSON) {
        json_t *j = json_pack("{ss ss so}", "phase", fd_analysis_phase_name(verdict), "time", at,
                              "templates", jt);
        print_json(j);
        json_decref(j);
    } else {
        printf("verdict: %s (worst measurement at %s)\n", fd_analysis_phase_name(verdict), at);
        json_decref(jt);
    }
    free(at);
    code = exit_for(verdict);
    return code;
}

/* ---- Watch ---------------------------------------------------------------- */
/* All Prometheus metrics of all templates in one run, as Kargo and Argo
 * merge several templates into one AnalysisRun. */
static struct fd_analysis_run *combined_run(struct fd_analysis_plan *plans, size_t n_plans,
                                            const struct fd_analysis_plan_metric ***map)
{
    struct fd_analysis_run *run = fd_xcalloc(1, sizeof(*run));
    size_t n = 0;

    for (size_t t = 0; t < n_plans; t++)
        n += plans[t].n_metrics;
    run->metrics = fd_xcalloc(n + 1, sizeof(*run->metrics));
    *map = fd_xcalloc(n + 1, sizeof(**map));
    run->started_at = run->completed_at = FD_ANALYSIS_NO_TIME;
    for (size_t t = 0; t < n_plans; t++) {
        struct fd_analysis_run *src = plans[t].run;
        for (size_t i = 0; i < plans[t].n_metrics; i++) {
            if (!plans[t].metrics[i].supported)
                continue;
            (*map)[run->n_metrics] = &plans[t].metrics[i];
            fd_analysis_metric_copy(&run->metrics[run->n_metrics++], &src->metrics[i]);
        }
        for (size_t k = 0; k < src->n_dry_run; k++) {
            run->dry_run =
                fd_xreallocarray(run->dry_run, run->n_dry_run + 1, sizeof(*run->dry_run));
            run->dry_run[run->n_dry_run].metric_name = fd_xstrdup(src->dry_run[k].metric_name);
            run->dry_run[run->n_dry_run++].limit = src->dry_run[k].limit;
        }
        for (size_t k = 0; k < src->n_retention; k++) {
            run->retention =
                fd_xreallocarray(run->retention, run->n_retention + 1, sizeof(*run->retention));
            run->retention[run->n_retention].metric_name =
                fd_xstrdup(src->retention[k].metric_name);
            run->retention[run->n_retention++].limit = src->retention[k].limit;
        }
    }
    return run;
}

static int analyze_watch(struct opts *o, struct fd_analysis_plan *plans, size_t n_plans)
{
    const struct fd_analysis_plan_metric **map = NULL;
    struct fd_analysis_run *run = combined_run(plans, n_plans, &map);
    int64_t base = o->time_set ? o->time_ms : fd_time_now_ms();
    int64_t mono0 = fd_time_mono_ms();
    int code;

    for (size_t t = 0; t < n_plans; t++)
        for (size_t i = 0; i < plans[t].n_metrics; i++)
            if (!plans[t].metrics[i].supported && o->output == OUT_TEXT)
                printf("metric %s: not supported by analyze (provider: %s); left out of the run\n",
                       plans[t].metrics[i].m->name, provider_label(plans[t].metrics[i].m));
    if (!run->n_metrics) {
        free(map);
        fd_analysis_run_free(run);
        return fail("no Prometheus metric to measure: analyze runs provider.prometheus metrics "
                    "only");
    }
    for (size_t i = 0; i < run->n_metrics; i++)
        for (size_t k = i + 1; k < run->n_metrics; k++)
            if (fd_streq(run->metrics[i].name, run->metrics[k].name)) {
                code = fail("two metrics are named \"%s\"; Argo refuses such a run",
                            run->metrics[i].name);
                free(map);
                fd_analysis_run_free(run);
                return code;
            }
    run->started_at = base;
    struct fd_analysis_rules *rules = fd_analysis_rules_new(run);
    fd_analysis_assess_run_rules(run, rules, base);
    if (o->output == OUT_TEXT)
        printf("watching %zu metric(s) from %s\n", run->n_metrics,
               o->time_set ? "the --time given" : "now");
    while (!fd_analysis_phase_completed(run->phase)) {
        int64_t now = base + (fd_time_mono_ms() - mono0);
        for (size_t i = 0; i < run->n_metrics; i++) {
            if (fd_analysis_task_for(run, i, now, NULL, NULL) != FD_ANALYSIS_TASK_MEASURE)
                continue;
            struct fd_analysis_prom_options po = measure_opts(o, now);
            struct fd_analysis_prom_measurement me;
            fd_analysis_prom_measure(&run->metrics[i], &map[i]->spec, &po, &me);
            int64_t done = base + (fd_time_mono_ms() - mono0);
            struct fd_analysis_metric_result *r =
                fd_analysis_run_result_add(run, run->metrics[i].name);
            struct fd_analysis_measurement m;
            memset(&m, 0, sizeof(m));
            m.phase = me.phase;
            m.started_at = now;
            m.finished_at = done;
            m.resume_at = FD_ANALYSIS_NO_TIME;
            /* Argo keeps the value only when the measurement could be judged. */
            m.value = me.value && me.phase != FD_ANALYSIS_PHASE_ERROR ? fd_xstrdup(me.value) : NULL;
            m.message = me.message ? fd_xstrdup(me.message) : NULL;
            r->measurements =
                fd_xreallocarray(r->measurements, r->n_measurements + 1, sizeof(*r->measurements));
            r->measurements[r->n_measurements++] = m;
            fd_analysis_count(r, m.phase);
            if (o->output == OUT_TEXT) {
                char *at = fd_time_format_rfc3339(now, false);
                printf("%s  %s #%lld: %s", at, run->metrics[i].name,
                       (long long)(r->count + r->error), fd_analysis_phase_name(me.phase));
                if (me.value)
                    printf("  value %s", me.value);
                printf("\n");
                print_field("why:", me.explanation);
                free(at);
                fflush(stdout);
            }
            fd_analysis_prom_measurement_free(&me);
            now = done;
        }
        fd_analysis_assess_run_rules(run, rules, now);
        char *trim_err = NULL;
        /* A retention rule that matches nothing has already made the run Error. */
        if (fd_analysis_trim_measurements_rules(run, rules, &trim_err) != FD_OK)
            free(trim_err);
        if (fd_analysis_phase_completed(run->phase))
            break;
        int64_t next = fd_analysis_next_reconcile(run, now);
        if (next == FD_ANALYSIS_NO_TIME) {
            /* Nothing will ever be due (an unparsable interval): Argo would
             * wait forever; say so instead. */
            code = fail("no metric will be measured again (check interval and initialDelay); "
                        "the run stays %s",
                        fd_analysis_phase_name(run->phase));
            fd_analysis_rules_free(rules);
            free(map);
            fd_analysis_run_free(run);
            return code;
        }
        int64_t wait = next - now + 1;
        if (wait > 0)
            sleep_ms(wait);
    }
    if (o->output == OUT_JSON) {
        json_t *j = run_json(run, NULL, true);
        print_json(j);
        json_decref(j);
    } else {
        print_run_text(run, NULL);
    }
    code = exit_for(run->phase);
    fd_analysis_rules_free(rules);
    free(map);
    fd_analysis_run_free(run);
    return code;
}

/* ValidateMetrics, as the controller applies it to a new run before
 * measuring anything: a template Argo would refuse gets the verdict Error
 * with Argo's message instead of measurements. Returns -1 when every plan is
 * valid, else the exit code after reporting. */
static int refuse_invalid(const struct opts *o, struct fd_analysis_plan *plans, size_t n_plans)
{
    json_t *jt = json_array();
    bool invalid = false;

    for (size_t t = 0; t < n_plans; t++) {
        char *err = NULL;
        if (fd_analysis_validate_metrics(plans[t].run, &err) == FD_OK) {
            json_array_append_new(jt, json_pack("{ss ss ss sn}", "kind", plans[t].kind, "name",
                                                plans[t].name, "phase", "", "message"));
            continue;
        }
        char *msg = fd_xasprintf("Analysis spec invalid: %s", err);
        free(err);
        invalid = true;
        if (o->output == OUT_TEXT) {
            printf("%s %s: Error\n", plans[t].kind, plans[t].name);
            print_field("message:", msg);
        }
        json_array_append_new(jt, json_pack("{ss ss ss ss}", "kind", plans[t].kind, "name",
                                            plans[t].name, "phase", "Error", "message", msg));
        free(msg);
    }
    if (!invalid) {
        json_decref(jt);
        return -1;
    }
    if (o->output == OUT_JSON) {
        json_t *j = json_pack("{ss ss so}", "phase", "Error", "message",
                              "Analysis spec invalid: nothing was measured", "templates", jt);
        print_json(j);
        json_decref(j);
    } else {
        json_decref(jt);
        printf("verdict: Error (the controller would refuse this spec; nothing was measured)\n");
    }
    return exit_for(FD_ANALYSIS_PHASE_ERROR);
}

/* Plans every template of docs (borrowed), then measures them once or
 * watches them. where names the source in messages; kind_label (may be
 * NULL) replaces the templates' kind in the output. */
static int run_docs(struct opts *o, json_t *docs, const char *where, const char *kind_label)
{
    char *err = NULL;
    struct fd_analysis_plan *plans = fd_xcalloc(json_array_size(docs) + 1, sizeof(*plans));
    size_t n_plans = 0, i;
    json_t *d;
    int code;

    json_array_foreach(docs, i, d)
    {
        const char *kind = json_string_value(json_object_get(d, "kind"));
        if (!fd_streq(kind, "AnalysisTemplate") && !fd_streq(kind, "ClusterAnalysisTemplate"))
            continue;
        if (!plan_template(d, o, &plans[n_plans], &err)) {
            fd_analysis_plan_free(&plans[n_plans]);
            code = fail("%s: %s", where, err);
            free(err);
            goto out;
        }
        if (kind_label)
            plans[n_plans].kind = kind_label;
        n_plans++;
    }
    if (!n_plans) {
        code = fail("%s: holds no AnalysisTemplate or ClusterAnalysisTemplate", where);
        goto out;
    }
    for (size_t k = 0; k < o->n_args; k++) {
        if (!o->arg_used[k] && (!o->user_arg || o->user_arg[k])) {
            code = fd_cli_usage_error(CMD,
                                      "--arg %s: no template in %s declares an argument "
                                      "of that name",
                                      o->args[k].name, where);
            goto out;
        }
    }
    code = refuse_invalid(o, plans, n_plans);
    if (code < 0)
        code = o->watch ? analyze_watch(o, plans, n_plans) : analyze_once(o, plans, n_plans);
out:
    for (size_t k = 0; k < n_plans; k++)
        fd_analysis_plan_free(&plans[k]);
    free(plans);
    return code;
}

static int cmd_templates(struct opts *o, const char *path)
{
    char *err = NULL;
    json_t *docs = load_docs(path, &err);
    int code;

    if (!docs) {
        code = fail("%s", err);
        free(err);
        return code;
    }
    code = run_docs(o, docs, path, NULL);
    json_decref(docs);
    return code;
}

/* ---- --stage: a Stage's verification from the cluster --------------------- */
/* GETs path and parses the object. Returns it, or NULL after printing the
 * error (what names the object for a 404). */
static json_t *kube_get(struct fd_kube_config *cfg, const char *path, const char *what)
{
    struct fd_kube_response resp;
    struct fd_kube_error kerr;
    enum fd_status st = fd_kube_request(cfg, "GET", path, NULL, NULL, &resp, &kerr);
    json_t *obj = NULL;

    if (st == FD_NOT_FOUND)
        fail("%s not found (%s%s)", what, cfg->server, path);
    else if (st != FD_OK)
        fail("%s: %s", what, kerr.message);
    else if (!(obj = json_loadb(resp.body, resp.body_len, 0, NULL)) || !json_is_object(obj)) {
        fail("%s: %s%s answered something that is not a JSON object", what, cfg->server, path);
        json_decref(obj);
        obj = NULL;
    }
    fd_kube_response_free(&resp);
    return obj;
}

/* The Freight being verified: the Stage's current collection. */
static char *current_freight(const json_t *stage)
{
    const json_t *fc =
        json_array_get(json_object_get(json_object_get(stage, "status"), "freightHistory"), 0);
    const json_t *items = json_object_get(fc, "items");
    struct fd_buf b = FD_BUF_INIT;
    const char *key;
    const json_t *ref;

    json_object_foreach((json_t *)(uintptr_t)items, key, ref)
    {
        const char *name = json_string_value(json_object_get(ref, "name"));
        fd_buf_printf(&b, "%s%s (%s)", b.len ? ", " : "", name ? name : "?", key);
    }
    if (!b.len) {
        fd_buf_free(&b);
        return NULL;
    }
    return fd_buf_steal(&b);
}

static int cmd_stage(struct opts *o)
{
    const char *slash = strchr(o->stage, '/');
    char *project, *name, *label = NULL, *err = NULL, *freight = NULL;
    struct fd_kube_load_opts lo;
    struct fd_kube_config *cfg = NULL;
    struct fd_kube_error kerr;
    json_t *stage = NULL, *docs = NULL, *flat = NULL;
    json_t **templates = NULL;
    size_t n_templates = 0;
    struct fd_analysis_arg *args = NULL, *user_args = o->args;
    size_t n_args = 0, n_user = o->n_args;
    bool *used = NULL, *user_flags = NULL, *user_used = o->arg_used;
    int code = EXIT_ERROR;

    if (!slash || slash == o->stage || !slash[1])
        return fd_cli_usage_error(CMD, "--stage %s: expected PROJECT/STAGE", o->stage);
    project = fd_xstrndup(o->stage, (size_t)(slash - o->stage));
    name = fd_xstrdup(slash + 1);
    if (!fd_model_name_valid(project) || !fd_model_name_valid(name)) {
        code = fd_cli_usage_error(CMD,
                                  "--stage %s: a project and a Stage name are lowercase "
                                  "DNS names",
                                  o->stage);
        goto out;
    }
    memset(&lo, 0, sizeof(lo));
    lo.kubeconfig = o->kubeconfig;
    lo.context = o->context;
    if (fd_kube_config_load(&lo, &cfg, &kerr) != FD_OK) {
        fail("%s", kerr.message);
        goto out;
    }
    char *path =
        fd_xasprintf("/apis/kargo.akuity.io/v1alpha1/namespaces/%s/stages/%s", project, name);
    char *what = fd_xasprintf("Stage \"%s\" in project \"%s\"", name, project);
    stage = kube_get(cfg, path, what);
    free(path);
    free(what);
    if (!stage)
        goto out;
    const json_t *ver = json_object_get(json_object_get(stage, "spec"), "verification");
    const json_t *refs = json_object_get(ver, "analysisTemplates");
    freight = current_freight(stage);
    if (!json_array_size(refs)) {
        /* Kargo records an immediate Successful verification. */
        if (o->output == OUT_JSON) {
            json_t *j = json_pack("{ss ss s[]}", "phase", "Successful", "message",
                                  "the Stage has no verification: Kargo marks its Freight "
                                  "verified at once",
                                  "templates");
            print_json(j);
            json_decref(j);
        } else {
            printf("Stage %s/%s has no verification (spec.verification.analysisTemplates): "
                   "Kargo marks its Freight verified at once\nverdict: Successful\n",
                   project, name);
        }
        code = EXIT_SUCCESSFUL;
        goto out;
    }
    templates = fd_xcalloc(json_array_size(refs) + 1, sizeof(*templates));
    struct fd_buf names = FD_BUF_INIT;
    for (size_t i = 0; i < json_array_size(refs); i++) {
        const json_t *ref = json_array_get(refs, i);
        const char *tn = json_string_value(json_object_get(ref, "name"));
        const char *kind = json_string_value(json_object_get(ref, "kind"));
        bool cluster = fd_streq(kind, "ClusterAnalysisTemplate");
        if (!tn || !fd_model_name_valid(tn)) {
            fail("Stage %s/%s: spec.verification.analysisTemplates[%zu].name: %s", project, name, i,
                 tn ? "not a valid object name" : "missing");
            fd_buf_free(&names);
            goto out;
        }
        char *tpath = cluster ? fd_xasprintf("/apis/argoproj.io/v1alpha1/"
                                             "clusteranalysistemplates/%s",
                                             tn)
                              : fd_xasprintf("/apis/argoproj.io/v1alpha1/namespaces/%s/"
                                             "analysistemplates/%s",
                                             project, tn);
        char *twhat =
            cluster ? fd_xasprintf("ClusterAnalysisTemplate \"%s\"", tn)
                    : fd_xasprintf("AnalysisTemplate \"%s\" in namespace \"%s\"", tn, project);
        templates[n_templates] = kube_get(cfg, tpath, twhat);
        free(tpath);
        free(twhat);
        if (!templates[n_templates]) {
            fd_buf_free(&names);
            goto out;
        }
        n_templates++;
        fd_buf_printf(&names, "%s%s %s", i ? ", " : "",
                      cluster ? "ClusterAnalysisTemplate" : "AnalysisTemplate", tn);
    }
    label = fd_xasprintf("%s/%s", project, name);
    flat = fd_analysis_kargo_flatten(templates, n_templates, label, &err);
    if (!flat) {
        fail("Stage %s: flatten templates: %s", label, err);
        fd_buf_free(&names);
        goto out;
    }
    args = fd_analysis_kargo_verification_args(stage, o->args, o->n_args, &n_args, &err);
    if (!args) {
        fail("Stage %s: build arguments: %s", label, err);
        fd_buf_free(&names);
        goto out;
    }
    if (o->output == OUT_TEXT) {
        printf("Stage %s verification: %s\n", label, fd_buf_cstr(&names));
        printf("  freight: %s\n", freight ? freight : "none (status.freightHistory is empty)");
    }
    fd_buf_free(&names);
    /* The Stage's args stand in for --arg; only the user's are checked
     * against the templates. */
    used = fd_xcalloc(n_args + 1, sizeof(bool));
    user_flags = fd_xcalloc(n_args + 1, sizeof(bool));
    for (size_t i = 0; i < n_args; i++)
        for (size_t k = 0; k < n_user; k++)
            if (fd_streq(args[i].name, user_args[k].name))
                user_flags[i] = true;
    o->args = args;
    o->n_args = n_args;
    o->arg_used = used;
    o->user_arg = user_flags;
    docs = json_array();
    json_array_append(docs, flat);
    code = run_docs(o, docs, label, "Stage verification");
    o->args = user_args;
    o->n_args = n_user;
    o->arg_used = user_used;
    o->user_arg = NULL;
out:
    if (args)
        free_args(args, n_args);
    free(used);
    free(user_flags);
    json_decref(docs);
    json_decref(flat);
    for (size_t i = 0; i < n_templates; i++)
        json_decref(templates[i]);
    free(templates);
    json_decref(stage);
    fd_kube_config_free(cfg);
    free(freight);
    free(err);
    free(label);
    free(project);
    free(name);
    return code;
}

/* ---- Options ------------------------------------------------------------------ */
static bool parse_int64(const char *s, int64_t *out)
{
    char *end;

    if (!*s)
        return false;
    long long v = strtoll(s, &end, 10);
    if (*end)
        return false;
    *out = v;
    return true;
}

/* --set METRIC.FIELD=VALUE into one override. */
static int parse_set(struct opts *o, const char *text)
{
    const char *eq = strchr(text, '=');
    struct fd_analysis_override ov;
    char *key, *dot, *field;
    const char *value;
    int64_t n = 0;

    memset(&ov, 0, sizeof(ov));
    if (!eq)
        return fd_cli_usage_error(CMD, "--set %s: expected METRIC.FIELD=VALUE", text);
    key = fd_xstrndup(text, (size_t)(eq - text));
    value = eq + 1;
    dot = strrchr(key, '.');
    if (!dot || dot == key) {
        free(key);
        return fd_cli_usage_error(CMD, "--set %s: expected METRIC.FIELD=VALUE", text);
    }
    *dot = '\0';
    field = dot + 1;
    bool is_int = strcmp(field, "failureLimit") == 0 || strcmp(field, "inconclusiveLimit") == 0 ||
                  strcmp(field, "consecutiveErrorLimit") == 0 || strcmp(field, "count") == 0;
    if (is_int && !parse_int64(value, &n)) {
        int code =
            fd_cli_usage_error(CMD, "--set %s: %s takes an integer, not '%s'", text, field, value);
        free(key);
        return code;
    }
    if (strcmp(field, "successCondition") == 0)
        ov.success_condition = value;
    else if (strcmp(field, "failureCondition") == 0)
        ov.failure_condition = value;
    else if (strcmp(field, "failureLimit") == 0)
        ov.failure_limit = (struct fd_analysis_int){true, n};
    else if (strcmp(field, "inconclusiveLimit") == 0)
        ov.inconclusive_limit = (struct fd_analysis_int){true, n};
    else if (strcmp(field, "consecutiveErrorLimit") == 0)
        ov.consecutive_error_limit = (struct fd_analysis_int){true, n};
    else if (strcmp(field, "count") == 0)
        ov.count = (struct fd_analysis_int){true, n};
    else {
        int code = fd_cli_usage_error(CMD,
                                      "--set %s: unknown field '%s' (successCondition, "
                                      "failureCondition, failureLimit, inconclusiveLimit, "
                                      "consecutiveErrorLimit, count)",
                                      text, field);
        free(key);
        return code;
    }
    ov.metric = strcmp(key, "*") == 0 ? NULL : fd_xstrdup(key);
    free(key);
    o->sets = fd_xreallocarray(o->sets, o->n_sets + 1, sizeof(*o->sets));
    o->sets[o->n_sets++] = ov;
    return 0;
}

static int parse_arg(struct opts *o, const char *text)
{
    const char *eq = strchr(text, '=');

    if (!eq || eq == text)
        return fd_cli_usage_error(CMD, "--arg %s: expected NAME=VALUE", text);
    for (size_t i = 0; i < o->n_args; i++)
        if (strlen(o->args[i].name) == (size_t)(eq - text) &&
            strncmp(o->args[i].name, text, (size_t)(eq - text)) == 0)
            return fd_cli_usage_error(CMD, "--arg %.*s is given twice", (int)(eq - text), text);
    o->args = fd_xreallocarray(o->args, o->n_args + 1, sizeof(*o->args));
    o->arg_used = fd_xreallocarray(o->arg_used, o->n_args + 1, sizeof(*o->arg_used));
    o->args[o->n_args].name = fd_xstrndup(text, (size_t)(eq - text));
    o->args[o->n_args].value = fd_xstrdup(eq + 1);
    o->args[o->n_args].value_from = false;
    o->arg_used[o->n_args++] = false;
    return 0;
}

static int read_token(struct opts *o, const char *path)
{
    FILE *f = fopen(path, "rb");
    struct fd_buf b = FD_BUF_INIT;
    char chunk[4096];
    size_t n;

    if (!f)
        return fail("--bearer-token-file %s: cannot open it", path);
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 && b.len < 65536)
        fd_buf_append(&b, chunk, n);
    fclose(f);
    while (b.len &&
           (b.data[b.len - 1] == '\n' || b.data[b.len - 1] == '\r' || b.data[b.len - 1] == ' '))
        b.data[--b.len] = '\0';
    if (!b.len || strpbrk(fd_buf_cstr(&b), "\r\n")) {
        fd_buf_free(&b);
        return fail("--bearer-token-file %s: expected one line holding the token", path);
    }
    free(o->bearer_token);
    o->bearer_token = fd_buf_steal(&b);
    return 0;
}

static void opts_free(struct opts *o)
{
    free_args(o->args, o->n_args);
    free(o->arg_used);
    for (size_t i = 0; i < o->n_sets; i++)
        free((char *)(uintptr_t)o->sets[i].metric);
    free(o->sets);
    free(o->bearer_token);
}

enum {
    OPT_ARG = 256,
    OPT_PROM,
    OPT_TOKEN,
    OPT_CA,
    OPT_INSECURE,
    OPT_TIME,
    OPT_WATCH,
    OPT_REPLAY,
    OPT_SET,
    OPT_STAGE,
    OPT_KUBECONFIG,
    OPT_CONTEXT
};

static int cmd_analyze(int argc, char **argv)
{
    static const struct option options[] = {
        {"arg", required_argument, NULL, OPT_ARG},
        {"prometheus", required_argument, NULL, OPT_PROM},
        {"bearer-token-file", required_argument, NULL, OPT_TOKEN},
        {"ca-file", required_argument, NULL, OPT_CA},
        {"insecure", no_argument, NULL, OPT_INSECURE},
        {"time", required_argument, NULL, OPT_TIME},
        {"watch", no_argument, NULL, OPT_WATCH},
        {"replay", required_argument, NULL, OPT_REPLAY},
        {"set", required_argument, NULL, OPT_SET},
        {"stage", required_argument, NULL, OPT_STAGE},
        {"kubeconfig", required_argument, NULL, OPT_KUBECONFIG},
        {"context", required_argument, NULL, OPT_CONTEXT},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct opts o;
    int c, code = 0;
    const char *template_path = NULL;
    char *err = NULL;

    memset(&o, 0, sizeof(o));
    while (code == 0 && (c = getopt_long(argc, argv, ":ho:", options, NULL)) != -1) {
        switch (c) {
        case OPT_ARG:
            code = parse_arg(&o, optarg);
            break;
        case OPT_PROM:
            if (fd_prom_check_address(optarg, &err) != FD_OK) {
                free(err);
                code = fd_cli_usage_error(CMD,
                                          "--prometheus %s: not a URL with a scheme and a "
                                          "host (e.g. http://127.0.0.1:9090)",
                                          optarg);
            }
            o.prometheus = optarg;
            break;
        case OPT_TOKEN:
            code = read_token(&o, optarg);
            break;
        case OPT_CA:
            o.ca_file = optarg;
            break;
        case OPT_INSECURE:
            o.insecure = true;
            break;
        case OPT_TIME:
            if (!fd_time_parse_rfc3339(optarg, &o.time_ms))
                code = fd_cli_usage_error(CMD,
                                          "--time %s: expected an RFC 3339 time such as "
                                          "2024-01-01T00:10:00Z",
                                          optarg);
            o.time_set = true;
            break;
        case OPT_WATCH:
            o.watch = true;
            break;
        case OPT_REPLAY:
            o.replay = optarg;
            break;
        case OPT_SET:
            code = parse_set(&o, optarg);
            break;
        case OPT_STAGE:
            o.stage = optarg;
            break;
        case OPT_KUBECONFIG:
            o.kubeconfig = optarg;
            break;
        case OPT_CONTEXT:
            o.context = optarg;
            break;
        case 'o':
            if (strcmp(optarg, "text") == 0)
                o.output = OUT_TEXT;
            else if (strcmp(optarg, "json") == 0)
                o.output = OUT_JSON;
            else
                code = fd_cli_usage_error(CMD, "-o must be text or json, not '%s'", optarg);
            break;
        case 'h':
            usage(stdout);
            opts_free(&o);
            return 0;
        case ':':
            code = fd_cli_usage_error(CMD, "option '%s' needs an argument", argv[optind - 1]);
            break;
        default:
            code = fd_cli_usage_error(CMD, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (code) {
        opts_free(&o);
        return code;
    }
    if (optind < argc)
        template_path = argv[optind++];
    if (optind < argc)
        code = fd_cli_usage_error(CMD, "unexpected argument '%s'", argv[optind]);
    else if (o.replay && template_path)
        code = fd_cli_usage_error(CMD, "--replay takes the run instead of TEMPLATE.yaml; give "
                                       "one or the other");
    else if (o.replay && (o.n_args || o.prometheus || o.watch || o.time_set))
        code = fd_cli_usage_error(CMD, "--replay judges recorded values: --arg, --prometheus, "
                                       "--time and --watch do not apply");
    else if (!o.replay && o.n_sets)
        code = fd_cli_usage_error(CMD, "--set applies to --replay only");
    else if (o.stage && (o.replay || template_path))
        code = fd_cli_usage_error(CMD, "--stage takes the templates from the cluster; give "
                                       "--stage, TEMPLATE.yaml or --replay, one of them");
    else if (!o.stage && (o.kubeconfig || o.context))
        code = fd_cli_usage_error(CMD, "--kubeconfig and --context apply to --stage only");
    else if (!o.replay && !o.stage && !template_path)
        code = fd_cli_usage_error(CMD, "TEMPLATE.yaml, --stage PROJECT/STAGE or --replay RUN is "
                                       "required");
    if (!code)
        code = o.replay  ? cmd_replay(&o)
               : o.stage ? cmd_stage(&o)
                         : cmd_templates(&o, template_path);
    opts_free(&o);
    return code;
}

const struct fd_cmd_entry fd_cmd_analyze_entry = {
    .name = CMD,
    .usage = "TEMPLATE.yaml [--arg NAME=VALUE]... [--prometheus URL] [--watch] [-o text|json] | "
             "--stage PROJECT/STAGE [--prometheus URL] [--watch] [-o text|json] | "
             "--replay RUN [--set METRIC.FIELD=VALUE]... [-o text|json]",
    .summary = "run an AnalysisTemplate against Prometheus now, or replay a recorded AnalysisRun",
    .exec = cmd_analyze,
};

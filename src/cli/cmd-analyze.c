/* cli/cmd-analyze.c: `freightdeck analyze`, "what would this analysis say?":
 * runs the Prometheus metrics of AnalysisTemplates against a real
 * Prometheus now (or on their schedule with --watch), or replays a recorded
 * AnalysisRun with changed conditions and limits (--replay). This file: the
 * options, the usage and the dispatch; cmd-analyze-*.c the rest. */
#include "config.h"

#include "cmd-analyze.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fleetcli.h"
#include "freightdeck/analysis.h"
#include "freightdeck/cli.h"
#include "freightdeck/client.h"
#include "freightdeck/util.h"

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
        "  --expr-version V          judge conditions with expr 1.17 or 1.15 (Argo Rollouts\n"
        "                            v1.7-v1.9); else argoRollouts.exprVersion in the config\n"
        "                            file, else (--stage) the controller's image tag, else 1.17\n"
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

int fd_cli_analyze_exit_for(enum fd_analysis_phase p)
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

int fd_cli_analyze_fail(const char *fmt, ...)
{
    va_list ap;

    fputs("freightdeck " CMD ": ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return EXIT_ERROR;
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
        return fd_cli_analyze_fail("--bearer-token-file %s: cannot open it", path);
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 && b.len < 65536)
        fd_buf_append(&b, chunk, n);
    fclose(f);
    while (b.len &&
           (b.data[b.len - 1] == '\n' || b.data[b.len - 1] == '\r' || b.data[b.len - 1] == ' '))
        b.data[--b.len] = '\0';
    if (!b.len || strpbrk(fd_buf_cstr(&b), "\r\n")) {
        fd_buf_free(&b);
        return fd_cli_analyze_fail("--bearer-token-file %s: expected one line holding the token",
                                   path);
    }
    free(o->bearer_token);
    o->bearer_token = fd_buf_steal(&b);
    return 0;
}

static void opts_free(struct opts *o)
{
    fd_cli_analyze_free_args(o->args, o->n_args);
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
    OPT_CONTEXT,
    OPT_EXPR_VERSION
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
        {"expr-version", required_argument, NULL, OPT_EXPR_VERSION},
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
        case OPT_EXPR_VERSION:
            if (!fd_expr_version_parse(optarg, &o.expr_flag))
                code = fd_cli_usage_error(CMD, "--expr-version must be 1.17 or 1.15, not '%s'",
                                          optarg);
            o.expr_flag_set = true;
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
    if (!code && !o.expr_flag_set) {
        /* argoRollouts.exprVersion, the same key the console reads */
        struct fd_client_fleet *fleet = NULL;
        code = fd_cli_fleet_load(CMD, &fleet);
        if (!code && fleet->expr_version_set) {
            o.expr_config_set = true;
            o.expr_config = fleet->expr_version;
            snprintf(o.expr_config_where, sizeof(o.expr_config_where), "%.140s:%d",
                     fleet->path ? fleet->path : "config", fleet->expr_version_line);
        }
        fd_client_fleet_free(fleet);
    }
    fd_cli_analyze_choose_expr(&o, NULL);
    if (!code)
        code = o.replay  ? fd_cli_analyze_cmd_replay(&o)
               : o.stage ? fd_cli_analyze_cmd_stage(&o)
                         : fd_cli_analyze_cmd_templates(&o, template_path);
    opts_free(&o);
    return code;
}

const struct fd_cli_cmd_entry fd_cli_cmd_analyze_entry = {
    .name = CMD,
    .usage = "TEMPLATE.yaml [--arg NAME=VALUE]... [--prometheus URL] [--watch] [-o text|json] | "
             "--stage PROJECT/STAGE [--prometheus URL] [--watch] [-o text|json] | "
             "--replay RUN [--set METRIC.FIELD=VALUE]... [-o text|json]",
    .summary = "run an AnalysisTemplate against Prometheus now, or replay a recorded AnalysisRun",
    .exec = cmd_analyze,
};

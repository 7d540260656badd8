/* cli/cmd-condition.c: `freightdeck condition`, which judges one result
 * against an Argo Rollouts success/failure condition pair and says why. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "freightdeck/analysis.h"
#include "freightdeck/cli.h"
#include "freightdeck/expr.h"
#include "freightdeck/util.h"

#define CMD "condition"

enum result_type { TYPE_AUTO, TYPE_SCALAR, TYPE_VECTOR, TYPE_JSON };

static bool parse_type(const char *s, enum result_type *out)
{
    if (!s || strcmp(s, "auto") == 0)
        *out = TYPE_AUTO;
    else if (strcmp(s, "scalar") == 0)
        *out = TYPE_SCALAR;
    else if (strcmp(s, "vector") == 0)
        *out = TYPE_VECTOR;
    else if (strcmp(s, "json") == 0)
        *out = TYPE_JSON;
    else
        return false;
    return true;
}

/* A number as Prometheus hands it over: a JSON number, or a string as the
 * provider reads a sample value (strconv.ParseFloat: "NaN", "+Inf", "1e-7";
 * not "0x10" or " 1"). */
static bool as_float(const json_t *j, double *out)
{
    if (json_is_number(j)) {
        *out = json_number_value(j);
        return true;
    }
    if (json_is_string(j))
        return fd_go_parse_float(json_string_value(j), json_string_length(j), out) ==
               FD_GO_PARSE_OK;
    if (json_is_object(j) && json_is_string(json_object_get(j, "$float")))
        return as_float(json_object_get(j, "$float"), out);
    return false;
}

static bool special_float_text(const char *s)
{
    return strcmp(s, "NaN") == 0 || strcmp(s, "+Inf") == 0 || strcmp(s, "-Inf") == 0 ||
           strcmp(s, "Inf") == 0;
}

/* What auto-detection counts as a Prometheus number: a JSON number, a
 * {"$float": ...} object, or the special-float strings. */
static bool numberish(const json_t *j)
{
    double d;

    if (json_is_string(j))
        return special_float_text(json_string_value(j));
    return as_float(j, &d);
}

/* Builds the result a provider would hand to the conditions. Returns NULL
 * with *err (caller frees) when the text does not fit the type. */
static fd_value *build_result(const json_t *j, enum result_type type, enum fd_expr_mode *mode,
                              char **err)
{
    double d;

    *err = NULL;
    *mode = FD_EXPR_MODE_ARGO;
    if (type == TYPE_AUTO) {
        if (numberish(j))
            type = TYPE_SCALAR;
        else if (json_is_array(j)) {
            size_t i;
            const json_t *v;
            type = TYPE_VECTOR;
            json_array_foreach(j, i, v)
            {
                if (!numberish(v))
                    type = TYPE_JSON;
            }
        } else
            type = TYPE_JSON;
    }
    /* null with a declared type is what Argo's providers hand over as a nil
     * *float64 or a nil []float64: evaluate.go's valueFromPointer makes it
     * a plain nil result, so isNil(result) holds and default() applies. */
    if (json_is_null(j) && (type == TYPE_SCALAR || type == TYPE_VECTOR))
        return fd_value_nil();
    if (type == TYPE_SCALAR) {
        if (!as_float(j, &d)) {
            *err = fd_xstrdup("a scalar result must be a number (or \"NaN\", \"+Inf\", \"-Inf\")");
            return NULL;
        }
        return fd_value_float(d);
    }
    if (type == TYPE_VECTOR) {
        if (!json_is_array(j)) {
            *err = fd_xstrdup("a vector result must be an array of numbers");
            return NULL;
        }
        size_t n = json_array_size(j);
        double *vals = fd_xcalloc(n + 1, sizeof(double));
        for (size_t i = 0; i < n; i++) {
            if (!as_float(json_array_get(j, i), &vals[i])) {
                *err = fd_xasprintf(
                    "a vector result must be an array of numbers (element %zu is not)", i);
                free(vals);
                return NULL;
            }
        }
        fd_value *v = fd_value_float_array(vals, n);
        free(vals);
        return v;
    }
    *mode = FD_EXPR_MODE_ARGO_WEB;
    return fd_value_from_json(j, true);
}

/* Reads --result text: JSON, or a bare Prometheus special float ("NaN"). */
static json_t *load_result(const char *text, char **err)
{
    json_error_t jerr;
    json_t *j = json_loads(text, JSON_DECODE_ANY, &jerr);

    *err = NULL;
    if (j)
        return j;
    if (special_float_text(text))
        return json_string(text);
    *err = fd_xasprintf("not JSON: %s (column %d)", jerr.text, jerr.column);
    return NULL;
}

static void usage(FILE *f)
{
    fputs("Usage: freightdeck condition [--success EXPR] [--failure EXPR] --result JSON\n"
          "                             [--result-type scalar|vector|json]\n"
          "       freightdeck condition --jsonl < lines\n"
          "\n"
          "Judges one metric result as Argo Rollouts does and explains why: prints the\n"
          "measurement phase (Successful, Failed, Inconclusive or Error) on the first line,\n"
          "then the reason in plain words.\n"
          "\n"
          "Options:\n"
          "  --success EXPR      the metric's successCondition\n"
          "  --failure EXPR      the metric's failureCondition\n"
          "  --result JSON       the provider's result: 0.97 (Prometheus scalar), [0.97]\n"
          "                      (vector), or any JSON (Web provider); NaN, +Inf, -Inf allowed\n"
          "  --result-type TYPE  scalar, vector or json (default: from the JSON's shape)\n"
          "  --expr-version V    1.17 (default) or 1.15, as Argo Rollouts v1.7-v1.9 judge\n"
          "  --jsonl             read {\"successCondition\",\"failureCondition\",\"result\",\n"
          "                      \"resultType\"} lines on stdin, answer {\"phase\",\"message\"} "
          "lines\n"
          "  -h, --help          show this help\n"
          "\n"
          "Exit status: 0 whatever the phase, 1 on unreadable input, 2 on usage errors.\n",
          f);
}

static enum fd_expr_version g_version = FD_EXPR_V1_17;

static int judge_one(const char *success, const char *failure, const char *result_text,
                     enum result_type type)
{
    char *err = NULL, *text = NULL;
    enum fd_expr_mode mode;
    json_t *j = load_result(result_text, &err);

    if (!j) {
        fprintf(stderr, "freightdeck condition: --result: %s\n", err);
        free(err);
        return 1;
    }
    fd_value *result = build_result(j, type, &mode, &err);
    json_decref(j);
    if (!result) {
        fprintf(stderr, "freightdeck condition: --result: %s\n", err);
        free(err);
        return 1;
    }
    enum fd_analysis_phase phase =
        fd_analysis_explain(success, failure, result, fd_expr_mode_at(mode, g_version), &text);
    printf("%s\n%s\n", fd_analysis_phase_name(phase), text);
    free(text);
    fd_value_unref(result);
    return 0;
}

static const char *opt_string(const json_t *obj, const char *key, bool *bad)
{
    const json_t *v = json_object_get(obj, key);

    if (!v || json_is_null(v))
        return NULL;
    if (!json_is_string(v)) {
        *bad = true;
        return NULL;
    }
    return json_string_value(v);
}

/* {"KEY": "TEXT"} or {"phase": ..., "message": ...}: JSON strings as Go's
 * encoder writes them (a message may quote a user's invalid UTF-8 bytes:
 * each is U+FFFD). The caller frees. */
static char *answer_object(const char *k1, const char *v1, const char *k2, const char *v2)
{
    struct fd_buf b = FD_BUF_INIT;

    fd_buf_puts(&b, "{");
    fd_go_json_string(&b, k1, strlen(k1), false);
    fd_buf_puts(&b, ":");
    fd_go_json_string(&b, v1, strlen(v1), false);
    if (k2) {
        fd_buf_puts(&b, ",");
        fd_go_json_string(&b, k2, strlen(k2), false);
        fd_buf_puts(&b, ":");
        fd_go_json_string(&b, v2, strlen(v2), false);
    }
    fd_buf_puts(&b, "}");
    return fd_buf_steal(&b);
}

static char *jsonl_line(const char *line, size_t lineno, bool *ok)
{
    json_error_t jerr;
    json_t *in = json_loads(line, 0, &jerr);
    char *err = NULL, *text = NULL, *s;
    enum result_type type = TYPE_AUTO;
    enum fd_expr_mode mode;
    bool bad = false;

    if (!in || !json_is_object(in)) {
        err = in ? fd_xstrdup("expected a JSON object")
                 : fd_xasprintf("not JSON: %s (column %d)", jerr.text, jerr.column);
        goto fail;
    }
    const char *success = opt_string(in, "successCondition", &bad);
    const char *failure = opt_string(in, "failureCondition", &bad);
    const char *rtype = opt_string(in, "resultType", &bad);
    if (bad) {
        err = fd_xstrdup("successCondition, failureCondition and resultType must be strings");
        goto fail;
    }
    if (!parse_type(rtype, &type)) {
        err = fd_xasprintf("resultType \"%s\" is not scalar, vector or json", rtype);
        goto fail;
    }
    const json_t *rj = json_object_get(in, "result");
    fd_value *result = rj ? build_result(rj, type, &mode, &err) : fd_value_nil();
    if (!rj)
        mode = type == TYPE_JSON ? FD_EXPR_MODE_ARGO_WEB : FD_EXPR_MODE_ARGO;
    if (!result)
        goto fail;
    enum fd_analysis_phase phase =
        fd_analysis_explain(success, failure, result, fd_expr_mode_at(mode, g_version), &text);
    fd_value_unref(result);
    s = answer_object("phase", fd_analysis_phase_name(phase), "message", text);
    free(text);
    json_decref(in);
    return s;
fail:
    json_decref(in);
    *ok = false;
    char *why = fd_xasprintf("line %zu: %s", lineno, err);
    fprintf(stderr, "freightdeck condition: %s\n", why);
    s = answer_object("error", why, NULL, NULL);
    free(why);
    free(err);
    return s;
}

static int run_jsonl(void)
{
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t n;
    bool ok = true;

    while ((n = getline(&line, &cap, stdin)) != -1) {
        lineno++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n == 0)
            continue;
        char *answer = jsonl_line(line, lineno, &ok);
        puts(answer);
        free(answer);
        fflush(stdout); /* one answer per line, as it comes (a pipe buffers) */
    }
    free(line);
    fflush(stdout);
    return ok ? 0 : 1;
}

static int cmd_condition(int argc, char **argv)
{
    static const struct option options[] = {
        {"success", required_argument, NULL, 's'}, {"failure", required_argument, NULL, 'f'},
        {"result", required_argument, NULL, 'r'},  {"result-type", required_argument, NULL, 't'},
        {"jsonl", no_argument, NULL, 'j'},         {"expr-version", required_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
    };
    const char *success = NULL, *failure = NULL, *result = NULL;
    enum result_type type = TYPE_AUTO;
    bool jsonl = false;
    int c;

    opterr = 0;
    while ((c = getopt_long(argc, argv, "+h", options, NULL)) != -1) {
        switch (c) {
        case 's':
            success = optarg;
            break;
        case 'f':
            failure = optarg;
            break;
        case 'r':
            result = optarg;
            break;
        case 't':
            if (!parse_type(optarg, &type))
                return fd_cli_usage_error(
                    CMD, "--result-type must be scalar, vector or json, not '%s'", optarg);
            break;
        case 'j':
            jsonl = true;
            break;
        case 'v':
            if (!fd_expr_version_parse(optarg, &g_version))
                return fd_cli_usage_error(CMD, "--expr-version must be 1.17 or 1.15, not '%s'",
                                          optarg);
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            /* the same words as every other command (commands.c) */
            return fd_cli_option_error(CMD, optopt && strchr("sfrtv", optopt) ? ':' : c, argv);
        }
    }
    if (optind < argc)
        return fd_cli_usage_error(CMD, "unexpected argument '%s'", argv[optind]);
    if (jsonl) {
        if (success || failure || result)
            return fd_cli_usage_error(CMD, "--jsonl reads everything from stdin; drop --success, "
                                           "--failure and --result");
        return run_jsonl();
    }
    if (!result)
        return fd_cli_usage_error(CMD, "--result is required");
    return judge_one(success, failure, result, type);
}

const struct fd_cli_cmd_entry fd_cli_cmd_condition_entry = {
    .name = CMD,
    .usage = "[--success EXPR] [--failure EXPR] --result JSON [--result-type scalar|vector|json] "
             "[--expr-version 1.17|1.15] | --jsonl",
    .summary = "judge a metric result against Argo Rollouts conditions and explain why",
    .exec = cmd_condition,
};

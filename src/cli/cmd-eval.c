/* cli/cmd-eval.c: `freightdeck eval`, which evaluates an expr-lang
 * expression (as Argo Rollouts or Kargo would) and prints the value as JSON. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "freightdeck/cli.h"
#include "freightdeck/expr.h"
#include "freightdeck/util.h"

#define CMD "eval"

static void usage(FILE *f)
{
    fd_cli_print_cmd_usage(f, &fd_cli_cmd_eval_entry);
    fputs("\n"
          "Evaluates EXPR with expr-lang v1.17.8 semantics and prints its value as JSON.\n"
          "\n"
          "Options:\n"
          "  --mode MODE  expr (default), argo, argo-web, kargo or kargo-template\n"
          "  --expr-version V  1.17 (default) or 1.15: judge as Argo Rollouts v1.7-v1.9 do\n"
          "  --env JSON   the environment, a JSON object (argo: result is the metric)\n"
          "  --jsonl      read {\"expr\": S, \"env\": {...}, \"mode\": M} lines from stdin and\n"
          "               write {\"ok\": true, \"value\": V} or {\"ok\": false, \"error\": S}\n"
          "  -h, --help   show this help\n"
          "\n"
          "Numbers without '.', 'e' or 'E' are ints (floats in the argo modes);\n"
          "{\"$float\": \"NaN\"|\"+Inf\"|\"-Inf\"} is a special float. Exit status: 0 value\n"
          "printed, 1 compile or run error (message and caret on stderr), 2 usage.\n",
          f);
}

static int run_jsonl(enum fd_expr_version version)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;

    while ((n = getline(&line, &cap, stdin)) > 0) {
        size_t len = (size_t)n;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        if (len == 0)
            continue;
        char *out = fd_expr_jsonl_line_at(line, len, version);
        puts(out);
        free(out);
        fflush(stdout);
    }
    free(line);
    return 0;
}

static int run_one(const char *src, const char *env_text, enum fd_expr_mode mode,
                   enum fd_expr_version version)
{
    json_t *envj = NULL;
    json_error_t jerr;
    fd_value *env, *v = NULL;
    struct fd_expr_error err;

    if (env_text) {
        envj = json_loads(env_text, JSON_ALLOW_NUL, &jerr); /* as eval --jsonl */
        if (!envj || !json_is_object(envj)) {
            json_decref(envj);
            return fd_cli_usage_error(CMD, "--env: not a JSON object: %s",
                                      envj ? "another JSON value" : jerr.text);
        }
    }
    env = fd_expr_env_from_json(envj, mode);
    json_decref(envj);
    if (fd_expr_eval(src, strlen(src), fd_expr_mode_at(mode, version), env, &v, &err) != 0) {
        char *msg = fd_expr_error_format(&err, src);
        fprintf(stderr, "%s\n", msg);
        free(msg);
        fd_value_unref(env);
        return 1;
    }
    char *text = fd_value_to_json_text(v);
    puts(text);
    free(text);
    fd_value_unref(v);
    fd_value_unref(env);
    return 0;
}

static int eval_exec(int argc, char **argv)
{
    static const struct option options[] = {
        {"mode", required_argument, NULL, 'm'}, {"env", required_argument, NULL, 'e'},
        {"jsonl", no_argument, NULL, 'j'},      {"expr-version", required_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0},
    };
    enum fd_expr_mode mode = FD_EXPR_MODE_EXPR;
    enum fd_expr_version version = FD_EXPR_V1_17;
    const char *env = NULL;
    bool jsonl = false;
    int c;

    while ((c = getopt_long(argc, argv, "+:h", options, NULL)) != -1) {
        switch (c) {
        case 'm':
            if (!fd_expr_mode_parse(optarg, &mode))
                return fd_cli_usage_error(CMD, "unknown mode '%s'", optarg);
            break;
        case 'e':
            env = optarg;
            break;
        case 'v':
            if (!fd_expr_version_parse(optarg, &version))
                return fd_cli_usage_error(CMD, "--expr-version must be 1.17 or 1.15, not '%s'",
                                          optarg);
            break;
        case 'j':
            jsonl = true;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default: /* ':' (a missing value) or '?' (an unknown option) */
            return fd_cli_option_error(CMD, c, argv);
        }
    }
    if (jsonl) {
        if (optind != argc)
            return fd_cli_usage_error(CMD, "--jsonl takes no EXPR argument");
        return run_jsonl(version);
    }
    if (optind + 1 != argc)
        return fd_cli_usage_error(CMD, optind == argc ? "missing EXPR" : "too many arguments");
    return run_one(argv[optind], env, mode, version);
}

const struct fd_cli_cmd_entry fd_cli_cmd_eval_entry = {
    .name = CMD,
    .usage = "[--mode MODE] [--env JSON] [--expr-version 1.17|1.15] EXPR | --jsonl",
    .summary = "evaluate an expr-lang expression and print its value as JSON",
    .exec = eval_exec,
};

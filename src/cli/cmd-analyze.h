#ifndef FREIGHTDECK_CLI_CMD_ANALYZE_H
#define FREIGHTDECK_CLI_CMD_ANALYZE_H
/* cli/cmd-analyze.h: what the files of `freightdeck analyze` share: the
 * exit codes, the parsed options, output, and the three ways to run
 * (templates, --stage, --replay). */

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "freightdeck/analysis.h"
#include "freightdeck/util.h"

#define CMD "analyze"

/* Exit codes: the verdict's phase (usage errors are 2 as well). */
/* clang-format off */
#define EXIT_TABLE(_)                                                               \
    _(SUCCESSFUL, 0, "the analysis is Successful")                                  \
    _(FAILED, 1, "the analysis Failed")                                             \
    _(ERROR, 2, "Error, unreadable input, usage, or a cluster that cannot be read") \
    _(INCONCLUSIVE, 3, "the analysis is Inconclusive")                              \
    _(RUNNING, 4, "a replay ended while still Running")
/* clang-format on */

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
    /* With --stage: what Kargo's secret() read for the args (an array of
     * strings, borrowed); every text printed shows them as <redacted>. */
    json_t *secrets;
    /* Which expr release judges: --expr-version, else the config file's
     * argoRollouts.exprVersion, else (with --stage) the controller's image
     * tag read from the cluster, else v1.17; resolved before the command. */
    bool expr_flag_set;
    enum fd_expr_version expr_flag;
    bool expr_config_set;
    enum fd_expr_version expr_config;
    char expr_config_where[160];
    struct fd_analysis_expr_choice expr;
};

/* Prints "freightdeck analyze: " and the message to stderr; returns EXIT_ERROR. */
int fd_cli_analyze_fail(const char *fmt, ...) FD_PRINTF(1, 2);
/* The exit code of a verdict phase. */
int fd_cli_analyze_exit_for(enum fd_analysis_phase p);

/* Output (cmd-analyze-output.c). */
void fd_cli_analyze_print_json(json_t *j);
/* A JSON string of s (NULL: null); bad UTF-8 bytes become '?'. New reference. */
json_t *fd_cli_analyze_str_or_null(const char *s);
void fd_cli_analyze_print_field(const char *label, const char *text);
/* The run's status as `-o json` shows it; ignored[i] counts replay steps of
 * spec metric i the controller would not have taken (NULL: none). New reference. */
json_t *fd_cli_analyze_run_json(const struct fd_analysis_run *run, const size_t *ignored,
                                bool measurements);
void fd_cli_analyze_print_run_text(const struct fd_analysis_run *run, const size_t *ignored);
/* The expr release that judged, as text ("judged with: expr 1.15 (flag:
 * --expr-version 1.15)") on stdout, and as JSON {"version", "source",
 * "why"} (new reference). */
void fd_cli_analyze_print_expr(const struct opts *o);
json_t *fd_cli_analyze_expr_json(const struct opts *o);
/* Settles o->expr from the flag, the config and detected (NULL: nothing
 * detected). */
void fd_cli_analyze_choose_expr(struct opts *o, const struct fd_analysis_expr_choice *detected);

/* --replay (cmd-analyze-replay.c). Returns the exit code. */
int fd_cli_analyze_cmd_replay(struct opts *o);

/* Templates measured once or watched (cmd-analyze-measure.c). */
void fd_cli_analyze_free_args(struct fd_analysis_arg *args, size_t n);
/* Plans every template of docs (borrowed), then measures them once or
 * watches them. where names the source in messages; kind_label (may be
 * NULL) replaces the templates' kind in the output. Returns the exit code. */
int fd_cli_analyze_run_docs(struct opts *o, json_t *docs, const char *where,
                            const char *kind_label);
int fd_cli_analyze_cmd_templates(struct opts *o, const char *path);

/* --stage PROJECT/STAGE (cmd-analyze-stage.c). Returns the exit code. */
int fd_cli_analyze_cmd_stage(struct opts *o);

#endif /* FREIGHTDECK_CLI_CMD_ANALYZE_H */

/* cli/cmd-analyze-output.c: `freightdeck analyze`'s output, as text and as JSON. */
#include "config.h"

#include "cmd-analyze.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "freightdeck/analysis.h"
#include "freightdeck/util.h"

/* ---- Output helpers -------------------------------------------------------- */
void fd_cli_analyze_print_json(json_t *j)
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
json_t *fd_cli_analyze_str_or_null(const char *s)
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
void fd_cli_analyze_print_field(const char *label, const char *text)
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
json_t *fd_cli_analyze_run_json(const struct fd_analysis_run *run, const size_t *ignored,
                                bool measurements)
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
        json_t *o = json_pack(
            "{ss ss so sI sI sI sI sI sI sI sI}", "name", r->name, "phase",
            fd_analysis_phase_name(r->phase), "message", fd_cli_analyze_str_or_null(r->message),
            "count", (json_int_t)r->count, "successful", (json_int_t)r->successful, "failed",
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
                     fd_cli_analyze_str_or_null(run->message), "metricResults", results,
                     "runSummary", summary_json(&run->run_summary), "dryRunSummary",
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

void fd_cli_analyze_print_run_text(const struct fd_analysis_run *run, const size_t *ignored)
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
            fd_cli_analyze_print_field("message:", r->message);
    }
    printf("run: %s\n", fd_analysis_phase_name(run->phase));
    if (run->message && *run->message)
        fd_cli_analyze_print_field("message:", run->message);
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

void fd_cli_analyze_print_expr(const struct opts *o)
{
    char *text = fd_analysis_expr_choice_text(&o->expr);
    printf("judged with: %s\n", text);
    free(text);
}

json_t *fd_cli_analyze_expr_json(const struct opts *o)
{
    return json_pack("{ss ss so}", "version", fd_expr_version_name(o->expr.version), "source",
                     fd_analysis_expr_source_name(o->expr.source), "why",
                     fd_cli_analyze_str_or_null(o->expr.why));
}

void fd_cli_analyze_choose_expr(struct opts *o, const struct fd_analysis_expr_choice *detected)
{
    fd_analysis_expr_choose(o->expr_flag_set, o->expr_flag, o->expr_config_set, o->expr_config,
                            o->expr_config_where, detected, &o->expr);
}

/* analysis/assess.c: counters, metric and run assessment (analysis/analysis.go
 * runMeasurements, assessMetricStatus, assessRunStatus; utils/analysis). */
#include "config.h"

#include "freightdeck/analysis.h"

#include <stdlib.h>
#include <string.h>

#include "freightdeck/regex.h"

void fd_analysis_count(struct fd_analysis_metric_result *r, enum fd_analysis_phase phase)
{
    switch (phase) {
    case FD_ANALYSIS_PHASE_SUCCESSFUL:
        r->successful++;
        r->count++;
        r->consecutive_error = 0;
        r->consecutive_success++;
        break;
    case FD_ANALYSIS_PHASE_FAILED:
        r->failed++;
        r->count++;
        r->consecutive_error = 0;
        r->consecutive_success = 0;
        break;
    case FD_ANALYSIS_PHASE_INCONCLUSIVE:
        r->inconclusive++;
        r->count++;
        r->consecutive_error = 0;
        r->consecutive_success = 0;
        break;
    case FD_ANALYSIS_PHASE_ERROR:
        /* An error is retried, so it does not use up the count. */
        r->error++;
        r->consecutive_error++;
        r->consecutive_success = 0;
        break;
    default:
        break;
    }
}

bool fd_analysis_effective_count(const struct fd_analysis_metric *m, int64_t *count)
{
    if (!m->count.set || m->count.value == 0) {
        if (m->interval && *m->interval)
            return false;
        *count = 1;
        return true;
    }
    *count = m->count.value;
    return true;
}

static int64_t limit_or(const struct fd_analysis_int *v, int64_t dflt)
{
    return v->set ? v->value : dflt;
}

enum fd_analysis_phase fd_analysis_metric_limits(const struct fd_analysis_metric *m,
                                                 const struct fd_analysis_metric_result *r,
                                                 char **msg)
{
    enum fd_analysis_phase phase = FD_ANALYSIS_PHASE_NONE;
    char *text = NULL;
    int64_t failure_limit = limit_or(&m->failure_limit, 0);
    int64_t inconclusive_limit = limit_or(&m->inconclusive_limit, 0);
    int64_t error_limit =
        limit_or(&m->consecutive_error_limit, FD_ANALYSIS_DEFAULT_CONSECUTIVE_ERROR_LIMIT);

    /* Later checks override earlier ones, as in Go. */
    if (failure_limit >= 0 && r->failed > failure_limit) {
        phase = FD_ANALYSIS_PHASE_FAILED;
        free(text);
        text = fd_xasprintf("failed (%lld) > failureLimit (%lld)", (long long)r->failed,
                            (long long)failure_limit);
    }
    if (r->inconclusive > inconclusive_limit) {
        phase = FD_ANALYSIS_PHASE_INCONCLUSIVE;
        free(text);
        text = fd_xasprintf("inconclusive (%lld) > inconclusiveLimit (%lld)",
                            (long long)r->inconclusive, (long long)inconclusive_limit);
    }
    if (r->consecutive_error > error_limit) {
        phase = FD_ANALYSIS_PHASE_ERROR;
        free(text);
        text = fd_xasprintf("consecutiveErrors (%lld) > consecutiveErrorLimit (%lld)",
                            (long long)r->consecutive_error, (long long)error_limit);
    }
    if (msg)
        *msg = text;
    else
        free(text);
    return phase;
}

enum fd_analysis_phase fd_analysis_assess_metric(const struct fd_analysis_metric *m,
                                                 const struct fd_analysis_metric_result *r,
                                                 bool terminating)
{
    if (fd_analysis_phase_completed(r->phase))
        return r->phase;
    if (r->n_measurements == 0)
        return terminating ? FD_ANALYSIS_PHASE_SUCCESSFUL : FD_ANALYSIS_PHASE_PENDING;
    if (!fd_analysis_phase_completed(r->measurements[r->n_measurements - 1].phase))
        return FD_ANALYSIS_PHASE_RUNNING;
    enum fd_analysis_phase p = fd_analysis_metric_limits(m, r, NULL);
    if (p != FD_ANALYSIS_PHASE_NONE)
        return p;
    int64_t csl = limit_or(&m->consecutive_success_limit, 0);
    if (csl > 0 && r->consecutive_success >= csl)
        return FD_ANALYSIS_PHASE_SUCCESSFUL;
    int64_t ec;
    if (fd_analysis_effective_count(m, &ec) && r->count >= ec) {
        bool failure_applicable = !m->failure_limit.set || m->failure_limit.value >= 0;
        if (failure_applicable && csl > 0)
            return FD_ANALYSIS_PHASE_INCONCLUSIVE;
        if (csl > 0)
            return FD_ANALYSIS_PHASE_FAILED;
        return FD_ANALYSIS_PHASE_SUCCESSFUL;
    }
    if (terminating)
        return FD_ANALYSIS_PHASE_SUCCESSFUL;
    return FD_ANALYSIS_PHASE_RUNNING;
}

bool fd_analysis_is_terminating(const struct fd_analysis_run *run)
{
    if (run->terminate)
        return true;
    for (size_t i = 0; i < run->n_results; i++) {
        const struct fd_analysis_metric_result *r = &run->results[i];
        if (r->dry_run)
            continue;
        if (r->phase == FD_ANALYSIS_PHASE_FAILED || r->phase == FD_ANALYSIS_PHASE_ERROR ||
            r->phase == FD_ANALYSIS_PHASE_INCONCLUSIVE)
            return true;
    }
    return false;
}

/* regexp.MatchString, unanchored, with Go's own syntax (RE2). Go ignores the
 * compile error (an invalid pattern such as a bare "*" simply matches
 * nothing); so do we. Each rule is compiled once and matched against every
 * metric name: recompiling it on every assessment made a replay of 10,000
 * measurements cost 200 ms. */
static size_t match_rule(const char *pattern, const struct fd_analysis_run *run, bool *hit)
{
    char msg[256];
    const char *pat = pattern ? pattern : "";
    struct fd_regex *re = fd_regex_compile(pat, strlen(pat), msg, sizeof(msg));
    size_t matches = 0;

    for (size_t i = 0; i < run->n_metrics; i++)
        hit[i] = false;
    if (!re)
        return 0;
    for (size_t i = 0; i < run->n_metrics; i++) {
        const char *name = run->metrics[i].name ? run->metrics[i].name : "";
        hit[i] = fd_regex_match(re, name, strlen(name)) == 1;
        matches += hit[i];
    }
    fd_regex_free(re);
    return matches;
}

enum fd_status fd_analysis_dry_run_metrics(const struct fd_analysis_run *run, bool *dry, char **err)
{
    bool *hit = fd_xcalloc(run->n_metrics + 1, sizeof(*hit));
    enum fd_status st = FD_OK;

    *err = NULL;
    for (size_t i = 0; i < run->n_metrics; i++)
        dry[i] = false;
    for (size_t r = 0; r < run->n_dry_run; r++) {
        if (match_rule(run->dry_run[r].metric_name, run, hit) == 0) {
            *err = fd_xasprintf("dryRun[%zu]: Rule didn't match any metric name(s)", r);
            st = FD_INVALID;
            break;
        }
        for (size_t i = 0; i < run->n_metrics; i++)
            dry[i] = dry[i] || hit[i];
    }
    free(hit);
    return st;
}

/* The measurement history limit of each spec metric (measurementRetention,
 * default 10). Same contract as fd_analysis_dry_run_metrics. */
static enum fd_status fd_analysis_retention_limits(const struct fd_analysis_run *run,
                                                   size_t *limits, char **err)
{
    bool *hit = fd_xcalloc(run->n_metrics + 1, sizeof(*hit));
    enum fd_status st = FD_OK;

    *err = NULL;
    for (size_t i = 0; i < run->n_metrics; i++)
        limits[i] = FD_ANALYSIS_DEFAULT_MEASUREMENT_HISTORY_LIMIT;
    for (size_t r = 0; r < run->n_retention; r++) {
        if (match_rule(run->retention[r].metric_name, run, hit) == 0) {
            *err =
                fd_xasprintf("measurementRetention[%zu]: Rule didn't match any metric name(s)", r);
            st = FD_INVALID;
            break;
        }
        /* The last matching rule wins; a limit <= 0 keeps the default. */
        for (size_t i = 0; i < run->n_metrics; i++)
            if (hit[i])
                limits[i] = run->retention[r].limit > 0
                                ? (size_t)run->retention[r].limit
                                : FD_ANALYSIS_DEFAULT_MEASUREMENT_HISTORY_LIMIT;
    }
    free(hit);
    return st;
}

struct fd_analysis_rules *fd_analysis_rules_new(const struct fd_analysis_run *run)
{
    struct fd_analysis_rules *rules = fd_xcalloc(1, sizeof(*rules));
    char *err = NULL;

    rules->n_metrics = run->n_metrics;
    rules->dry = fd_xcalloc(run->n_metrics + 1, sizeof(*rules->dry));
    rules->limits = fd_xcalloc(run->n_metrics + 1, sizeof(*rules->limits));
    /* reconcileAnalysisRun's order: validation, then dryRun, then retention. */
    if (fd_analysis_validate_metrics(run, &err) != FD_OK ||
        fd_analysis_dry_run_metrics(run, rules->dry, &err) != FD_OK ||
        fd_analysis_retention_limits(run, rules->limits, &err) != FD_OK)
        rules->error = err;
    return rules;
}

void fd_analysis_rules_free(struct fd_analysis_rules *rules)
{
    if (!rules)
        return;
    free(rules->dry);
    free(rules->limits);
    free(rules->error);
    free(rules);
}

enum fd_status fd_analysis_trim_measurements_rules(struct fd_analysis_run *run,
                                                   const struct fd_analysis_rules *rules,
                                                   char **err)
{
    *err = NULL;
    if (rules->error) {
        *err = fd_xstrdup(rules->error);
        return FD_INVALID;
    }
    for (size_t i = 0; i < run->n_metrics && i < rules->n_metrics; i++) {
        size_t limit = rules->limits[i];
        struct fd_analysis_metric_result *r = fd_analysis_run_result(run, run->metrics[i].name);
        if (!r || r->n_measurements <= limit)
            continue;
        size_t drop = r->n_measurements - limit;
        for (size_t k = 0; k < drop; k++)
            fd_analysis_measurement_free(&r->measurements[k]);
        memmove(r->measurements, r->measurements + drop, limit * sizeof(*r->measurements));
        r->n_measurements = limit;
    }
    return FD_OK;
}

enum fd_status fd_analysis_trim_measurements(struct fd_analysis_run *run, char **err)
{
    size_t *limits = fd_xcalloc(run->n_metrics + 1, sizeof(*limits));
    struct fd_analysis_rules rules = {run->n_metrics, NULL, limits, NULL};
    enum fd_status st = fd_analysis_retention_limits(run, limits, err);

    if (st == FD_OK)
        st = fd_analysis_trim_measurements_rules(run, &rules, err);
    free(limits);
    return st;
}

static void set_message(char **dst, const char *text)
{
    free(*dst);
    *dst = text && *text ? fd_xstrdup(text) : NULL;
}

static void bump(struct fd_analysis_summary *s, enum fd_analysis_phase p)
{
    switch (p) {
    case FD_ANALYSIS_PHASE_FAILED:
        s->failed++;
        break;
    case FD_ANALYSIS_PHASE_INCONCLUSIVE:
        s->inconclusive++;
        break;
    case FD_ANALYSIS_PHASE_ERROR:
        s->error++;
        break;
    default:
        /* The bucket is the limit phase: a metric completed without breaching
         * a limit (even Failed on consecutiveSuccessLimit) counts as successful. */
        s->successful++;
        break;
    }
}

/* assessRunStatus proper: returns the phase and (in *msg, caller frees) the
 * message the run would carry. */
static enum fd_analysis_phase assess_run_status(struct fd_analysis_run *run, const bool *dry,
                                                char **msg)
{
    bool terminating = fd_analysis_is_terminating(run);
    bool everything_completed = true;
    enum fd_analysis_phase worst = FD_ANALYSIS_PHASE_NONE;
    char *worst_msg = run->terminate ? fd_xstrdup("Run Terminated") : NULL;

    memset(&run->run_summary, 0, sizeof(run->run_summary));
    memset(&run->dry_run_summary, 0, sizeof(run->dry_run_summary));
    for (size_t i = 0; i < run->n_metrics; i++) {
        const struct fd_analysis_metric *m = &run->metrics[i];
        struct fd_analysis_summary *summary = dry[i] ? &run->dry_run_summary : &run->run_summary;
        struct fd_analysis_metric_result *r = fd_analysis_run_result(run, m->name);

        summary->count++;
        if (!r) {
            everything_completed = false;
            continue;
        }
        r->dry_run = dry[i];
        enum fd_analysis_phase ms = fd_analysis_assess_metric(m, r, terminating);
        if (ms != r->phase) {
            if (r->n_measurements)
                set_message(&r->message, r->measurements[r->n_measurements - 1].message);
            r->phase = ms;
        }
        if (!fd_analysis_phase_completed(ms)) {
            everything_completed = false;
            continue;
        }
        char *limit_msg = NULL;
        enum fd_analysis_phase p = fd_analysis_metric_limits(m, r, &limit_msg);
        if (!dry[i]) {
            if (worst == FD_ANALYSIS_PHASE_NONE || fd_analysis_phase_is_worse(worst, ms)) {
                worst = ms;
                if (limit_msg) {
                    free(worst_msg);
                    if (r->message && *r->message)
                        worst_msg = fd_xasprintf(
                            "Metric \"%s\" assessed %s due to %s: \"Error Message: %s\"", m->name,
                            fd_analysis_phase_name(ms), limit_msg, r->message);
                    else
                        worst_msg = fd_xasprintf("Metric \"%s\" assessed %s due to %s", m->name,
                                                 fd_analysis_phase_name(ms), limit_msg);
                }
            }
        } else {
            /* Dry-run metrics complete but never make the run worse. */
            if (worst == FD_ANALYSIS_PHASE_NONE)
                worst = FD_ANALYSIS_PHASE_SUCCESSFUL;
            if (limit_msg) {
                free(r->message);
                r->message = fd_xasprintf("Metric assessed %s due to %s",
                                          fd_analysis_phase_name(ms), limit_msg);
            }
        }
        bump(summary, p);
        free(limit_msg);
    }
    if (terminating) {
        *msg = worst_msg;
        return worst == FD_ANALYSIS_PHASE_NONE ? FD_ANALYSIS_PHASE_SUCCESSFUL : worst;
    }
    if (!everything_completed || worst == FD_ANALYSIS_PHASE_NONE) {
        free(worst_msg);
        *msg = NULL;
        return FD_ANALYSIS_PHASE_RUNNING;
    }
    *msg = worst_msg;
    return worst;
}

static void set_run_phase(struct fd_analysis_run *run, enum fd_analysis_phase phase,
                          const char *msg, int64_t now)
{
    if (phase == run->phase)
        return;
    run->phase = phase;
    set_message(&run->message, msg);
    if (fd_analysis_phase_completed(phase))
        run->completed_at = now;
}

enum fd_analysis_phase fd_analysis_assess_run_rules(struct fd_analysis_run *run,
                                                    const struct fd_analysis_rules *rules,
                                                    int64_t now)
{
    char *msg = NULL;

    if (fd_analysis_phase_completed(run->phase))
        return run->phase;
    if (rules->error || rules->n_metrics != run->n_metrics) {
        msg = fd_xasprintf("Analysis spec invalid: %s",
                           rules->error ? rules->error : "the rules belong to another run");
        set_run_phase(run, FD_ANALYSIS_PHASE_ERROR, msg, now);
        free(msg);
        return run->phase;
    }
    if (run->started_at == FD_ANALYSIS_NO_TIME)
        run->started_at = now;
    enum fd_analysis_phase phase = assess_run_status(run, rules->dry, &msg);
    set_run_phase(run, phase, msg, now);
    free(msg);
    return run->phase;
}

enum fd_analysis_phase fd_analysis_assess_run(struct fd_analysis_run *run, int64_t now)
{
    struct fd_analysis_rules *rules;
    enum fd_analysis_phase phase;

    if (fd_analysis_phase_completed(run->phase))
        return run->phase;
    rules = fd_analysis_rules_new(run);
    phase = fd_analysis_assess_run_rules(run, rules, now);
    fd_analysis_rules_free(rules);
    return phase;
}

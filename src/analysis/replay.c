/* analysis/replay.c: replays a recorded AnalysisRun through the reconcile
 * logic, measurement by measurement, optionally with changed conditions and
 * limits ("what would this run have done with failureLimit 2?"). */
#include "config.h"

#include "freightdeck/analysis.h"

#include <stdlib.h>
#include <string.h>

/* Recorded times are truncated to whole seconds (metav1.Time) while the
 * controller compares real times, so a measurement is judged as of the end
 * of its recorded second. */
#define SECOND_SLACK_MS 999

struct event {
    size_t metric, measurement;
    int64_t at;
};

static int by_time(const void *a, const void *b)
{
    const struct event *x = a, *y = b;

    if (x->at != y->at)
        return x->at < y->at ? -1 : 1;
    if (x->metric != y->metric)
        return x->metric < y->metric ? -1 : 1;
    return x->measurement < y->measurement ? -1 : (x->measurement > y->measurement);
}

static void set_str(char **dst, const char *src)
{
    if (!src)
        return;
    fd_free_str(*dst); /* a decoded metric's strings may be interned */
    *dst = fd_xstrdup(src);
}

static void apply_override(struct fd_analysis_metric *m, const struct fd_analysis_override *o)
{
    set_str(&m->success_condition, o->success_condition);
    set_str(&m->failure_condition, o->failure_condition);
    if (o->failure_limit.set)
        m->failure_limit = o->failure_limit;
    if (o->inconclusive_limit.set)
        m->inconclusive_limit = o->inconclusive_limit;
    if (o->consecutive_error_limit.set)
        m->consecutive_error_limit = o->consecutive_error_limit;
    if (o->count.set)
        m->count = o->count;
}

static void warn(struct fd_analysis_replay *out, char *text)
{
    out->warnings = fd_xreallocarray(out->warnings, out->n_warnings + 1, sizeof(char *));
    out->warnings[out->n_warnings++] = text;
}

/* Reconciles until nothing changes: every status update triggers another
 * reconcile at once, which is how a sibling of a failed metric completes. */
static void settle(struct fd_analysis_run *sim, const struct fd_analysis_rules *rules, int64_t now)
{
    char *err = NULL;

    for (size_t i = 0; i < sim->n_metrics + 3; i++) {
        enum fd_analysis_phase before = sim->phase;
        size_t completed = 0;
        for (size_t k = 0; k < sim->n_results; k++)
            completed += fd_analysis_phase_completed(sim->results[k].phase);
        fd_analysis_assess_run_rules(sim, rules, now);
        size_t after = 0;
        for (size_t k = 0; k < sim->n_results; k++)
            after += fd_analysis_phase_completed(sim->results[k].phase);
        if (before == sim->phase && completed == after)
            break;
    }
    if (fd_analysis_trim_measurements_rules(sim, rules, &err) != FD_OK)
        free(err);
}

static char *ignore_reason(const struct fd_analysis_run *sim, size_t i, const char *why)
{
    const struct fd_analysis_metric *m = &sim->metrics[i];
    const struct fd_analysis_metric_result *r = fd_analysis_run_result(sim, m->name);
    int64_t ec = 0;

    if (fd_streq(why, "metric completed") && r)
        return fd_xasprintf("metric already %s", fd_analysis_phase_name(r->phase));
    if (fd_streq(why, "count reached") && fd_analysis_effective_count(m, &ec))
        return fd_xasprintf("count %lld reached", (long long)ec);
    if (fd_streq(why, "interval not elapsed")) {
        const struct fd_analysis_measurement *last = &r->measurements[r->n_measurements - 1];
        if (last->phase == FD_ANALYSIS_PHASE_ERROR)
            return fd_xstrdup(
                "10s error retry interval not elapsed since the previous measurement");
        return fd_xasprintf("interval %s not elapsed since the previous measurement",
                            m->interval ? m->interval : "10s");
    }
    if (fd_streq(why, "initial delay not elapsed"))
        return fd_xasprintf("initialDelay %s not elapsed", m->initial_delay);
    return fd_xstrdup(why ? why : "not due");
}

static enum fd_analysis_phase rejudge(const struct fd_analysis_metric *m,
                                      enum fd_expr_version version,
                                      struct fd_analysis_measurement *meas, char **note)
{
    char *err = NULL, *message = NULL;
    fd_value *result;
    enum fd_analysis_phase p;

    *note = NULL;
    /* Only values can be judged again; a provider error or a Job has none. */
    if (!meas->value || m->provider == FD_ANALYSIS_PROVIDER_JOB ||
        !fd_analysis_phase_completed(meas->phase))
        return meas->phase;
    result = fd_analysis_value_from_measurement(m->provider, meas->value, &err);
    if (!result) {
        *note = err;
        return meas->phase;
    }
    p = fd_analysis_evaluate(m->success_condition, m->failure_condition, result,
                             fd_expr_mode_at(m->provider == FD_ANALYSIS_PROVIDER_PROMETHEUS
                                                 ? FD_EXPR_MODE_ARGO
                                                 : FD_EXPR_MODE_ARGO_WEB,
                                             version),
                             &message);
    fd_value_unref(result);
    free(meas->message);
    meas->message = message;
    if (p == FD_ANALYSIS_PHASE_ERROR)
        free(meas->value), meas->value = NULL; /* Argo keeps no value on error */
    if (message)
        *note = fd_xstrdup(message);
    return p;
}

static struct fd_analysis_measurement copy_measurement(const struct fd_analysis_measurement *src)
{
    struct fd_analysis_measurement m = *src;

    m.value = src->value ? fd_xstrdup(src->value) : NULL;
    m.message = src->message ? fd_xstrdup(src->message) : NULL;
    return m;
}

enum fd_status fd_analysis_replay(const struct fd_analysis_run *run,
                                  const struct fd_analysis_override *overrides, size_t n_overrides,
                                  struct fd_analysis_replay *out, char **err)
{
    struct fd_analysis_run *sim;
    bool *rejudge_metric;
    struct event *events = NULL;
    size_t n_events = 0, cap_events = 0;
    struct fd_analysis_rules *rules;

    memset(out, 0, sizeof(*out));
    *err = NULL;
    /* The spec only: copying the recorded results just to free them again
     * cost as much as replaying them. */
    struct fd_analysis_run spec_only = *run;
    spec_only.results = NULL;
    spec_only.n_results = 0;
    sim = fd_analysis_run_copy(&spec_only);
    sim->phase = FD_ANALYSIS_PHASE_NONE;
    free(sim->message);
    sim->message = NULL;
    sim->completed_at = FD_ANALYSIS_NO_TIME;
    sim->terminate = false;
    memset(&sim->run_summary, 0, sizeof(sim->run_summary));
    memset(&sim->dry_run_summary, 0, sizeof(sim->dry_run_summary));

    rejudge_metric = fd_xcalloc(sim->n_metrics + 1, sizeof(bool));
    for (size_t o = 0; o < n_overrides; o++) {
        bool found = false;
        for (size_t i = 0; i < sim->n_metrics; i++) {
            if (overrides[o].metric && !fd_streq(overrides[o].metric, sim->metrics[i].name))
                continue;
            apply_override(&sim->metrics[i], &overrides[o]);
            if (overrides[o].success_condition || overrides[o].failure_condition)
                rejudge_metric[i] = true;
            found = true;
        }
        if (!found && overrides[o].metric) {
            *err = fd_xasprintf("override: the run has no metric \"%s\"", overrides[o].metric);
            free(rejudge_metric);
            fd_analysis_run_free(sim);
            return FD_INVALID;
        }
    }

    int64_t first = FD_ANALYSIS_NO_TIME;
    for (size_t i = 0; i < run->n_metrics; i++) {
        const struct fd_analysis_metric_result *r =
            fd_analysis_run_result(run, run->metrics[i].name);
        if (!r)
            continue;
        /* Counts come from the cluster: compared without overflow. */
        uint64_t taken =
            (uint64_t)(r->count > 0 ? r->count : 0) + (uint64_t)(r->error > 0 ? r->error : 0);
        if (taken > (uint64_t)r->n_measurements)
            warn(out, fd_xasprintf("metric \"%s\": %llu earlier measurement(s) were trimmed from "
                                   "the history; the replay starts from the oldest one kept",
                                   r->name, (unsigned long long)(taken - r->n_measurements)));
        for (size_t k = 0; k < r->n_measurements; k++) {
            const struct fd_analysis_measurement *m = &r->measurements[k];
            int64_t at = m->started_at != FD_ANALYSIS_NO_TIME ? m->started_at : m->finished_at;
            if (at == FD_ANALYSIS_NO_TIME)
                at = run->started_at != FD_ANALYSIS_NO_TIME ? run->started_at : 0;
            if (n_events == cap_events) {
                cap_events = cap_events ? cap_events * 2 : 64;
                events = fd_xreallocarray(events, cap_events, sizeof(*events));
            }
            events[n_events++] = (struct event){i, k, at};
            if (first == FD_ANALYSIS_NO_TIME || at < first)
                first = at;
        }
    }
    if (n_events)
        qsort(events, n_events, sizeof(*events), by_time);
    if (sim->started_at == FD_ANALYSIS_NO_TIME)
        sim->started_at = first != FD_ANALYSIS_NO_TIME ? first : 0;
    /* Overrides are applied: the spec no longer changes, so its rules are
     * compiled once for the whole replay. */
    rules = fd_analysis_rules_new(sim);
    settle(sim, rules, sim->started_at);

    out->steps = fd_xcalloc(n_events + 1, sizeof(*out->steps));
    for (size_t e = 0; e < n_events;) {
        /* One reconcile takes every measurement due at the same (recorded)
         * time: generateMetricTasks decides them all from the state before
         * any is taken, then assessRunStatus judges them together. A metric
         * measures once per reconcile, so a repeated metric starts the next. */
        size_t end = e + 1;
        while (end < n_events && events[end].at == events[e].at &&
               events[end].metric > events[end - 1].metric)
            end++;
        int64_t now = events[e].at + SECOND_SLACK_MS;
        int64_t settle_at = now;
        size_t first_step = out->n_steps;
        for (size_t g = e; g < end; g++) {
            size_t i = events[g].metric;
            const struct fd_analysis_metric_result *rec =
                fd_analysis_run_result(run, sim->metrics[i].name);
            struct fd_analysis_replay_step *step = &out->steps[out->n_steps++];
            const char *why = NULL;

            step->metric = i;
            step->measurement = events[g].measurement;
            step->at = events[g].at;
            step->recorded = step->judged = rec->measurements[events[g].measurement].phase;
            if (fd_analysis_phase_completed(sim->phase)) {
                step->ignored = true;
                step->reason = fd_xasprintf("run already %s", fd_analysis_phase_name(sim->phase));
            } else if (fd_analysis_task_for(sim, i, now, NULL, &why) == FD_ANALYSIS_TASK_NONE) {
                step->ignored = true;
                step->reason = ignore_reason(sim, i, why);
            }
        }
        for (size_t s = first_step; s < out->n_steps; s++) {
            struct fd_analysis_replay_step *step = &out->steps[s];
            if (step->ignored)
                continue;
            size_t i = step->metric;
            const struct fd_analysis_metric *metric = &sim->metrics[i];
            const struct fd_analysis_metric_result *rec = fd_analysis_run_result(run, metric->name);
            struct fd_analysis_metric_result *r = fd_analysis_run_result_add(sim, metric->name);
            struct fd_analysis_measurement m =
                copy_measurement(&rec->measurements[step->measurement]);
            if (rejudge_metric[i])
                step->judged = m.phase = rejudge(metric, sim->expr_version, &m, &step->reason);
            if (r->n_measurements &&
                r->measurements[r->n_measurements - 1].finished_at == FD_ANALYSIS_NO_TIME) {
                /* Completes the in-flight measurement it replaces. */
                fd_analysis_measurement_free(&r->measurements[r->n_measurements - 1]);
                r->n_measurements--;
            }
            /* Capacity doubles at each power of two of the count (the
             * results of sim are only appended here, and trimming only
             * shrinks), so a million measurements are not a million
             * reallocations. */
            size_t n = r->n_measurements;
            if (n < 4 ? n == 0 : (n & (n - 1)) == 0)
                r->measurements =
                    fd_xreallocarray(r->measurements, n < 4 ? 4 : n * 2, sizeof(*r->measurements));
            if (fd_analysis_phase_completed(m.phase) && m.finished_at == FD_ANALYSIS_NO_TIME)
                m.finished_at = step->at;
            if (m.finished_at != FD_ANALYSIS_NO_TIME && m.finished_at > settle_at)
                settle_at = m.finished_at;
            r->measurements[r->n_measurements++] = m;
            fd_analysis_count(r, m.phase);
        }
        settle(sim, rules, settle_at);
        for (size_t s = first_step; s < out->n_steps; s++)
            out->steps[s].run_phase = sim->phase;
        e = end;
    }
    if (run->terminate) {
        int64_t at = n_events ? events[n_events - 1].at : sim->started_at;
        sim->terminate = true;
        settle(sim, rules, at);
    }
    for (size_t i = 0; i < sim->n_metrics; i++) {
        const struct fd_analysis_metric_result *r =
            fd_analysis_run_result(sim, sim->metrics[i].name);
        if (!fd_analysis_phase_completed(sim->phase) &&
            (!r || !fd_analysis_phase_completed(r->phase)))
            warn(out, fd_xasprintf("metric \"%s\": the recorded measurements ran out while it was "
                                   "still %s",
                                   sim->metrics[i].name,
                                   r ? fd_analysis_phase_name(r->phase) : "Pending"));
    }
    fd_analysis_rules_free(rules);
    free(events);
    free(rejudge_metric);
    out->run = sim;
    return FD_OK;
}

void fd_analysis_replay_free(struct fd_analysis_replay *r)
{
    if (!r)
        return;
    fd_analysis_run_free(r->run);
    for (size_t i = 0; i < r->n_steps; i++)
        free(r->steps[i].reason);
    free(r->steps);
    for (size_t i = 0; i < r->n_warnings; i++)
        free(r->warnings[i]);
    free(r->warnings);
    memset(r, 0, sizeof(*r));
}

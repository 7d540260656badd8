/* analysis/schedule.c: when the controller measures (generateMetricTasks,
 * calculateNextReconcileTime in analysis/analysis.go). */
#include "config.h"

#include "freightdeck/analysis.h"

#include <stdlib.h>

static enum fd_analysis_task none(int64_t *next, int64_t when, const char **why, const char *reason)
{
    if (next)
        *next = when;
    if (why)
        *why = reason;
    return FD_ANALYSIS_TASK_NONE;
}

static bool duration_ms(const char *text, int64_t *ms)
{
    char *err = NULL;
    bool ok = fd_analysis_parse_duration(text, ms, &err) == FD_OK;

    free(err);
    return ok;
}

enum fd_analysis_task fd_analysis_task_for(const struct fd_analysis_run *run, size_t i, int64_t now,
                                           int64_t *next, const char **why)
{
    const struct fd_analysis_metric *m = &run->metrics[i];
    const struct fd_analysis_metric_result *r = fd_analysis_run_result(run, m->name);
    const struct fd_analysis_measurement *last = NULL;
    bool terminating = fd_analysis_is_terminating(run);

    if (next)
        *next = FD_ANALYSIS_NO_TIME;
    if (why)
        *why = NULL;
    if (r && fd_analysis_phase_completed(r->phase))
        return none(next, FD_ANALYSIS_NO_TIME, why, "metric completed");
    if (r && r->n_measurements)
        last = &r->measurements[r->n_measurements - 1];
    if (last && last->finished_at == FD_ANALYSIS_NO_TIME) {
        /* In flight: resumed when due; terminated at once when terminating. */
        if (!terminating && last->resume_at != FD_ANALYSIS_NO_TIME && last->resume_at > now)
            return none(next, last->resume_at, why, "in-flight measurement not due");
        if (next)
            *next = now;
        return FD_ANALYSIS_TASK_RESUME;
    }
    if (terminating)
        return none(next, FD_ANALYSIS_NO_TIME, why, "run terminating");
    if (!last) {
        if (m->initial_delay && *m->initial_delay) {
            int64_t delay;
            if (run->started_at == FD_ANALYSIS_NO_TIME)
                return none(next, FD_ANALYSIS_NO_TIME, why, "run not started");
            if (!duration_ms(m->initial_delay, &delay))
                return none(next, FD_ANALYSIS_NO_TIME, why, "bad duration");
            if (run->started_at + delay > now)
                return none(next, run->started_at + delay, why, "initial delay not elapsed");
        }
        if (next)
            *next = now;
        return FD_ANALYSIS_TASK_MEASURE;
    }
    int64_t ec;
    if (fd_analysis_effective_count(m, &ec) && r->count >= ec)
        return none(next, FD_ANALYSIS_NO_TIME, why, "count reached");
    int64_t interval = FD_ANALYSIS_ERROR_RETRY_MS;
    if (last->phase != FD_ANALYSIS_PHASE_ERROR && m->interval && *m->interval &&
        !duration_ms(m->interval, &interval))
        return none(next, FD_ANALYSIS_NO_TIME, why, "bad duration");
    int64_t due = last->finished_at + interval;
    /* Go: time.Now().After(finishedAt + interval), strictly later. */
    if (now > due) {
        if (next)
            *next = now;
        return FD_ANALYSIS_TASK_MEASURE;
    }
    return none(next, due, why, "interval not elapsed");
}

int64_t fd_analysis_next_reconcile(const struct fd_analysis_run *run, int64_t now)
{
    int64_t best = FD_ANALYSIS_NO_TIME;

    for (size_t i = 0; i < run->n_metrics; i++) {
        int64_t next;
        fd_analysis_task_for(run, i, now, &next, NULL);
        if (next != FD_ANALYSIS_NO_TIME && (best == FD_ANALYSIS_NO_TIME || next < best))
            best = next;
    }
    return best;
}

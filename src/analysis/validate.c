/* analysis/validate.c: ValidateMetrics / ValidateMetric (utils/analysis/
 * factory.go), the checks that make reconcileAnalysisRun end a run at once
 * with "Analysis spec invalid: metrics[i]: ..." before anything is measured. */
#include "config.h"

#include "freightdeck/analysis.h"

#include <stdlib.h>
#include <string.h>

static int64_t value_or_zero(const struct fd_analysis_int *v)
{
    return v->set ? v->value : 0;
}

static enum fd_status invalid(char **err, char *msg)
{
    *err = msg;
    return FD_INVALID;
}

/* A Go duration field: "" is unset, anything else must parse. */
static enum fd_status check_duration(const char *text, const char *what, char **err)
{
    int64_t ms;
    char *perr = NULL;

    if (!text || !*text)
        return FD_OK;
    if (fd_analysis_parse_duration(text, &ms, &perr) == FD_OK)
        return FD_OK;
    *err = fd_xasprintf("invalid %s string: %s", what, perr);
    free(perr);
    return FD_INVALID;
}

/* ValidateMetric for one metric: same contract, message without the
 * "metrics[i]: " prefix. */
static enum fd_status fd_analysis_validate_metric(const struct fd_analysis_metric *m, char **err)
{
    /* Unset integer fields are 0 here, as IntValue() of a nil pointer is in
     * Go; the defaults (consecutiveErrorLimit 4) apply only when assessing. */
    int64_t count = value_or_zero(&m->count);
    int64_t failure_limit = value_or_zero(&m->failure_limit);
    int64_t inconclusive_limit = value_or_zero(&m->inconclusive_limit);
    int64_t csl = value_or_zero(&m->consecutive_success_limit);

    *err = NULL;
    /* In ValidateMetric's order: the first failing check names the fault. */
    if (csl < 0)
        return invalid(err, fd_xstrdup("consecutiveSuccessLimit must be >= 0"));
    if (failure_limit < -1)
        return invalid(err, fd_xstrdup("failureLimit must be >= 0, or -1 to be disabled"));
    if (failure_limit == -1 && csl == 0)
        return invalid(err, fd_xstrdup("failureLimit and consecutiveSuccessLimit cannot both "
                                       "be disabled"));
    if (inconclusive_limit < 0)
        return invalid(err, fd_xstrdup("inconclusiveLimit must be >= 0"));
    if (m->consecutive_error_limit.set && m->consecutive_error_limit.value < 0)
        return invalid(err, fd_xstrdup("consecutiveErrorLimit must be >= 0"));
    if (count > 0) {
        /* failureLimit -1 disables failures; consecutiveSuccessLimit
         * successes in a row must fit in count next to the failures allowed. */
        if (failure_limit >= 0 && count < failure_limit + csl)
            return invalid(err, fd_xasprintf("count (%lld) must be >= failureLimit + "
                                             "consecutiveSuccessLimit (%lld + %lld) if both >= 0",
                                             (long long)count, (long long)failure_limit,
                                             (long long)csl));
        if (failure_limit < 0 && count < csl)
            return invalid(err, fd_xstrdup("count must be >= consecutiveSuccessLimit"));
        if (count < inconclusive_limit)
            return invalid(err, fd_xstrdup("count must be >= inconclusiveLimit"));
    }
    if (count > 1 && (!m->interval || !*m->interval))
        return invalid(err, fd_xstrdup("interval must be specified when count > 1"));
    if (check_duration(m->interval, "interval", err) != FD_OK)
        return FD_INVALID;
    /* Argo still calls initialDelay by its old name here. */
    if (check_duration(m->initial_delay, "startDelay", err) != FD_OK)
        return FD_INVALID;
    if (m->n_providers == 0)
        return invalid(err, fd_xstrdup("no provider specified"));
    if (m->n_providers > 1)
        return invalid(err, fd_xstrdup("multiple providers specified"));
    return FD_OK;
}

enum fd_status fd_analysis_validate_metrics(const struct fd_analysis_run *run, char **err)
{
    *err = NULL;
    if (run->n_metrics == 0)
        return invalid(err, fd_xstrdup("no metrics specified"));
    for (size_t i = 0; i < run->n_metrics; i++) {
        const struct fd_analysis_metric *m = &run->metrics[i];
        char *why = NULL;
        for (size_t k = 0; k < i; k++)
            if (fd_streq(run->metrics[k].name, m->name))
                return invalid(err, fd_xasprintf("metrics[%zu]: duplicate name '%s'", i,
                                                 m->name ? m->name : ""));
        if (fd_analysis_validate_metric(m, &why) != FD_OK) {
            *err = fd_xasprintf("metrics[%zu]: %s", i, why);
            free(why);
            return FD_INVALID;
        }
    }
    return FD_OK;
}

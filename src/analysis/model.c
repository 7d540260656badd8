/* analysis/model.c: phases, and ownership (free/copy) of the analysis structs. */
#include "config.h"

#include "freightdeck/analysis.h"

#include <stdlib.h>
#include <string.h>

static const char *const phase_names[] = {
#define FD_ANALYSIS_PHASE_NAME(id, name, help) name,
    FD_ANALYSIS_PHASE_TABLE(FD_ANALYSIS_PHASE_NAME)
#undef FD_ANALYSIS_PHASE_NAME
};

_Static_assert(FD_ARRAY_SIZE(phase_names) == FD_ANALYSIS_PHASE__COUNT, "phase table out of step");

const char *fd_analysis_phase_name(enum fd_analysis_phase p)
{
    return (unsigned)p < FD_ANALYSIS_PHASE__COUNT ? phase_names[p] : "";
}

bool fd_analysis_phase_parse(const char *name, enum fd_analysis_phase *out)
{
    if (!name)
        name = "";
    for (int i = 0; i < FD_ANALYSIS_PHASE__COUNT; i++) {
        if (strcmp(phase_names[i], name) == 0) {
            *out = (enum fd_analysis_phase)i;
            return true;
        }
    }
    return false;
}

bool fd_analysis_phase_completed(enum fd_analysis_phase p)
{
    return p == FD_ANALYSIS_PHASE_SUCCESSFUL || p == FD_ANALYSIS_PHASE_FAILED ||
           p == FD_ANALYSIS_PHASE_ERROR || p == FD_ANALYSIS_PHASE_INCONCLUSIVE;
}

/* analysisStatusOrder in utils/analysis/helpers.go, best to worst. */
static int phase_rank(enum fd_analysis_phase p)
{
    static const enum fd_analysis_phase order[] = {
        FD_ANALYSIS_PHASE_SUCCESSFUL,   FD_ANALYSIS_PHASE_RUNNING, FD_ANALYSIS_PHASE_PENDING,
        FD_ANALYSIS_PHASE_INCONCLUSIVE, FD_ANALYSIS_PHASE_ERROR,   FD_ANALYSIS_PHASE_FAILED,
    };
    for (size_t i = 0; i < FD_ARRAY_SIZE(order); i++)
        if (order[i] == p)
            return (int)i;
    return 0; /* Go's loop leaves the index at 0 for a phase not in the list */
}

bool fd_analysis_phase_is_worse(enum fd_analysis_phase current, enum fd_analysis_phase candidate)
{
    return phase_rank(candidate) > phase_rank(current);
}

static char *dup_or_null(const char *s)
{
    return s ? fd_xstrdup(s) : NULL;
}

void fd_analysis_metric_free(struct fd_analysis_metric *m)
{
    if (!m)
        return;
    /* Decoded metrics share these (interned); copies own them. */
    fd_free_str(m->name);
    fd_free_str(m->interval);
    fd_free_str(m->initial_delay);
    fd_free_str(m->success_condition);
    fd_free_str(m->failure_condition);
    fd_free_str(m->provider_name);
    fd_free_str(m->query);
    memset(m, 0, sizeof(*m));
}

void fd_analysis_metric_copy(struct fd_analysis_metric *dst, const struct fd_analysis_metric *src)
{
    *dst = *src;
    dst->name = dup_or_null(src->name);
    dst->interval = dup_or_null(src->interval);
    dst->initial_delay = dup_or_null(src->initial_delay);
    dst->success_condition = dup_or_null(src->success_condition);
    dst->failure_condition = dup_or_null(src->failure_condition);
    dst->provider_name = dup_or_null(src->provider_name);
    dst->query = dup_or_null(src->query);
}

void fd_analysis_measurement_free(struct fd_analysis_measurement *m)
{
    if (!m)
        return;
    free(m->value);
    free(m->message);
    m->value = m->message = NULL;
}

static void measurement_copy(struct fd_analysis_measurement *dst,
                             const struct fd_analysis_measurement *src)
{
    *dst = *src;
    dst->value = dup_or_null(src->value);
    dst->message = dup_or_null(src->message);
}

void fd_analysis_metric_result_free(struct fd_analysis_metric_result *r)
{
    if (!r)
        return;
    free(r->name);
    free(r->message);
    for (size_t i = 0; i < r->n_measurements; i++)
        fd_analysis_measurement_free(&r->measurements[i]);
    free(r->measurements);
    memset(r, 0, sizeof(*r));
}

static void fd_analysis_metric_result_copy(struct fd_analysis_metric_result *dst,
                                           const struct fd_analysis_metric_result *src)
{
    *dst = *src;
    dst->name = dup_or_null(src->name);
    dst->message = dup_or_null(src->message);
    dst->measurements =
        fd_xcalloc(src->n_measurements ? src->n_measurements : 1, sizeof(*dst->measurements));
    for (size_t i = 0; i < src->n_measurements; i++)
        measurement_copy(&dst->measurements[i], &src->measurements[i]);
}

void fd_analysis_arg_free(struct fd_analysis_arg *a)
{
    if (!a)
        return;
    free(a->name);
    free(a->value);
    a->name = a->value = NULL;
}

static void rules_free(struct fd_analysis_rule *rules, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(rules[i].metric_name);
    free(rules);
}

static struct fd_analysis_rule *rules_copy(const struct fd_analysis_rule *rules, size_t n)
{
    struct fd_analysis_rule *out = fd_xcalloc(n ? n : 1, sizeof(*out));

    for (size_t i = 0; i < n; i++) {
        out[i] = rules[i];
        out[i].metric_name = dup_or_null(rules[i].metric_name);
    }
    return out;
}

void fd_analysis_run_free(struct fd_analysis_run *run)
{
    if (!run)
        return;
    free(run->name);
    free(run->namespace);
    for (size_t i = 0; i < run->n_args; i++)
        fd_analysis_arg_free(&run->args[i]);
    free(run->args);
    for (size_t i = 0; i < run->n_metrics; i++)
        fd_analysis_metric_free(&run->metrics[i]);
    free(run->metrics);
    rules_free(run->dry_run, run->n_dry_run);
    rules_free(run->retention, run->n_retention);
    free(run->message);
    for (size_t i = 0; i < run->n_results; i++)
        fd_analysis_metric_result_free(&run->results[i]);
    free(run->results);
    free(run);
}

struct fd_analysis_run *fd_analysis_run_copy(const struct fd_analysis_run *run)
{
    struct fd_analysis_run *c = fd_xmalloc(sizeof(*c));

    *c = *run;
    c->name = dup_or_null(run->name);
    c->namespace = dup_or_null(run->namespace);
    c->message = dup_or_null(run->message);
    c->args = fd_xcalloc(run->n_args ? run->n_args : 1, sizeof(*c->args));
    for (size_t i = 0; i < run->n_args; i++) {
        c->args[i] = run->args[i];
        c->args[i].name = dup_or_null(run->args[i].name);
        c->args[i].value = dup_or_null(run->args[i].value);
    }
    c->metrics = fd_xcalloc(run->n_metrics ? run->n_metrics : 1, sizeof(*c->metrics));
    for (size_t i = 0; i < run->n_metrics; i++)
        fd_analysis_metric_copy(&c->metrics[i], &run->metrics[i]);
    c->dry_run = rules_copy(run->dry_run, run->n_dry_run);
    c->retention = rules_copy(run->retention, run->n_retention);
    c->results = fd_xcalloc(run->n_results ? run->n_results : 1, sizeof(*c->results));
    for (size_t i = 0; i < run->n_results; i++)
        fd_analysis_metric_result_copy(&c->results[i], &run->results[i]);
    return c;
}

struct fd_analysis_metric_result *fd_analysis_run_result(const struct fd_analysis_run *run,
                                                         const char *name)
{
    for (size_t i = 0; i < run->n_results; i++)
        if (fd_streq(run->results[i].name, name))
            return &run->results[i];
    return NULL;
}

struct fd_analysis_metric_result *fd_analysis_run_result_add(struct fd_analysis_run *run,
                                                             const char *name)
{
    struct fd_analysis_metric_result *r = fd_analysis_run_result(run, name);

    if (r)
        return r;
    run->results = fd_xreallocarray(run->results, run->n_results + 1, sizeof(*run->results));
    r = &run->results[run->n_results++];
    memset(r, 0, sizeof(*r));
    r->name = fd_xstrdup(name ? name : "");
    r->phase = FD_ANALYSIS_PHASE_RUNNING;
    return r;
}

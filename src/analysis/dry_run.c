/* analysis/dry_run.c: a plan's metrics measured once now, the verdict of
 * those that count, and Argo's assessment of a run that starts so. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "freightdeck/analysis.h"
#include "freightdeck/util.h"

enum fd_analysis_phase fd_analysis_phase_worse(enum fd_analysis_phase a, enum fd_analysis_phase b)
{
    if (a == FD_ANALYSIS_PHASE_NONE)
        return b;
    return fd_analysis_phase_is_worse(a, b) ? b : a;
}

static char *dup_or_null(const char *s)
{
    return s ? fd_xstrdup(s) : NULL;
}

/* Argo's assessment of a run whose first measurements are d's. */
static void assess(struct fd_analysis_dry *d, const struct fd_analysis_plan *p, int64_t now)
{
    struct fd_analysis_run *run = fd_xcalloc(1, sizeof(*run));

    run->metrics = fd_xcalloc(p->n_metrics + 1, sizeof(*run->metrics));
    run->started_at = now;
    run->completed_at = FD_ANALYSIS_NO_TIME;
    for (size_t i = 0; i < p->run->n_dry_run; i++) {
        run->dry_run = fd_xreallocarray(run->dry_run, run->n_dry_run + 1, sizeof(*run->dry_run));
        run->dry_run[run->n_dry_run].metric_name = fd_xstrdup(p->run->dry_run[i].metric_name);
        run->dry_run[run->n_dry_run++].limit = p->run->dry_run[i].limit;
    }
    for (size_t i = 0; i < d->n_metrics; i++) {
        const struct fd_analysis_dry_metric *dm = &d->metrics[i];
        if (!dm->measured)
            continue;
        fd_analysis_metric_copy(&run->metrics[run->n_metrics++], dm->mp->m);
        struct fd_analysis_metric_result *mr = fd_analysis_run_result_add(run, dm->mp->m->name);
        struct fd_analysis_measurement me;
        memset(&me, 0, sizeof(me));
        me.phase = dm->me.phase;
        me.started_at = me.finished_at = now;
        me.resume_at = FD_ANALYSIS_NO_TIME;
        /* Argo keeps the value of a measurement only when it is not an Error. */
        me.value = dm->me.phase != FD_ANALYSIS_PHASE_ERROR ? dup_or_null(dm->me.value) : NULL;
        me.message = dup_or_null(dm->me.message);
        mr->measurements = fd_xcalloc(1, sizeof(*mr->measurements));
        mr->measurements[0] = me;
        mr->n_measurements = 1;
        fd_analysis_count(mr, me.phase);
    }
    if (run->n_metrics) {
        fd_analysis_assess_run(run, now);
        /* A metric that failed makes the run terminate: the controller
         * reconciles again at once and the run takes the metric's phase. */
        if (fd_analysis_is_terminating(run))
            fd_analysis_assess_run(run, now);
        d->run_phase = run->phase;
        d->run_message = dup_or_null(run->message);
    }
    fd_analysis_run_free(run);
}

static void prom_measure(void *arg, const struct fd_analysis_plan_metric *mp,
                         const struct fd_analysis_prom_options *po,
                         struct fd_analysis_prom_measurement *out)
{
    (void)arg;
    fd_analysis_prom_measure(mp->m, &mp->spec, po, out);
}

void fd_analysis_dry_run(const struct fd_analysis_plan *p,
                         const struct fd_analysis_prom_options *po, fd_analysis_measure_fn measure,
                         void *arg, struct fd_analysis_dry *out)
{
    bool *dry = fd_xcalloc(p->n_metrics + 1, sizeof(bool));

    memset(out, 0, sizeof(*out));
    out->worst = out->run_phase = FD_ANALYSIS_PHASE_NONE;
    if (fd_analysis_dry_run_metrics(p->run, dry, &out->dry_error) != FD_OK)
        memset(dry, 0, (p->n_metrics + 1) * sizeof(bool));
    out->metrics = fd_xcalloc(p->n_metrics + 1, sizeof(*out->metrics));
    out->n_metrics = p->n_metrics;
    for (size_t i = 0; i < p->n_metrics; i++) {
        struct fd_analysis_dry_metric *dm = &out->metrics[i];
        dm->mp = &p->metrics[i];
        dm->dry = dry[i];
        if (!dm->mp->supported)
            continue;
        (measure ? measure : prom_measure)(arg, dm->mp, po, &dm->me);
        dm->measured = true;
        out->measured++;
        if (!dm->dry)
            out->worst = fd_analysis_phase_worse(out->worst, dm->me.phase);
    }
    free(dry);
    assess(out, p, po->now_ms);
}

void fd_analysis_dry_free(struct fd_analysis_dry *d)
{
    for (size_t i = 0; i < d->n_metrics; i++)
        if (d->metrics[i].measured)
            fd_analysis_prom_measurement_free(&d->metrics[i].me);
    free(d->metrics);
    free(d->dry_error);
    free(d->run_message);
    memset(d, 0, sizeof(*d));
}

/* sim/ctl_analysis.c: the emulated AnalysisRun controller. Every run is
 * measured when src/analysis's scheduler says a metric is due, each
 * measurement judged by src/analysis (EvaluateResult, counters, metric and
 * run assessment), with values from the scenario's model or, with
 * --prometheus, from a real Prometheus through the Argo provider. */
#include "config.h"

#include "ctl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "freightdeck/analysis.h"
#include "freightdeck/prom.h"
#include "freightdeck/util.h"
#include "misc.h"

/* How long an emulated Job takes (scenario time). */
#define JOB_MS 10000

struct fd_sim_ar_state {
    char *uid;
    char *ns;
    char *name;
    struct fd_analysis_run *run; /* NULL once completed or unusable */
    json_t *providers;           /* spec.metrics[i].provider, args resolved */
    bool seen;
};

static void state_free(struct fd_sim_ar_state *s)
{
    free(s->uid);
    free(s->ns);
    free(s->name);
    fd_analysis_run_free(s->run);
    json_decref(s->providers);
}

void fd_sim_analysis_free(struct fd_sim_ctl *ctl)
{
    for (size_t i = 0; i < ctl->n_ars; i++)
        state_free(&ctl->ars[i]);
    free(ctl->ars);
    ctl->ars = NULL;
    ctl->n_ars = 0;
}

/* ---- status JSON ----------------------------------------------------------- */

static void set_time(json_t *o, const char *key, const struct fd_sim_ctl *ctl, int64_t t)
{
    if (t == FD_ANALYSIS_NO_TIME)
        return;
    char *s = fd_sim_clock_stamp(&ctl->clock, t);
    json_object_set_new(o, key, json_string(s));
    free(s);
}

static void set_int(json_t *o, const char *key, int64_t v)
{
    if (v) /* omitempty */
        json_object_set_new(o, key, json_integer(v));
}

static json_t *summary_json(const struct fd_analysis_summary *s)
{
    json_t *o = json_object();
    set_int(o, "count", s->count);
    set_int(o, "successful", s->successful);
    set_int(o, "failed", s->failed);
    set_int(o, "inconclusive", s->inconclusive);
    set_int(o, "error", s->error);
    return o;
}

static json_t *status_json(const struct fd_sim_ctl *ctl, const struct fd_sim_ar_state *s)
{
    const struct fd_analysis_run *run = s->run;
    json_t *st = json_object();
    json_object_set_new(st, "phase", json_string(fd_analysis_phase_name(run->phase)));
    if (run->message && run->message[0])
        json_object_set_new(st, "message", json_string(run->message));
    set_time(st, "startedAt", ctl, run->started_at);
    set_time(st, "completedAt", ctl, run->completed_at);
    json_object_set_new(st, "runSummary", summary_json(&run->run_summary));
    if (run->dry_run_summary.count)
        json_object_set_new(st, "dryRunSummary", summary_json(&run->dry_run_summary));
    json_t *results = json_array();
    for (size_t i = 0; i < run->n_results; i++) {
        const struct fd_analysis_metric_result *r = &run->results[i];
        json_t *o =
            json_pack("{s:s,s:s}", "name", r->name, "phase", fd_analysis_phase_name(r->phase));
        if (r->message && r->message[0])
            json_object_set_new(o, "message", json_string(r->message));
        set_int(o, "count", r->count);
        set_int(o, "successful", r->successful);
        set_int(o, "failed", r->failed);
        set_int(o, "inconclusive", r->inconclusive);
        set_int(o, "error", r->error);
        set_int(o, "consecutiveError", r->consecutive_error);
        set_int(o, "consecutiveSuccess", r->consecutive_success);
        if (r->dry_run)
            json_object_set_new(o, "dryRun", json_true());
        for (size_t m = 0; m < run->n_metrics; m++) {
            if (strcmp(run->metrics[m].name, r->name) == 0 && run->metrics[m].query)
                json_object_set_new(
                    o, "metadata",
                    json_pack("{s:s}", "ResolvedPrometheusQuery", run->metrics[m].query));
        }
        json_t *ms = json_array();
        for (size_t k = 0; k < r->n_measurements; k++) {
            const struct fd_analysis_measurement *me = &r->measurements[k];
            json_t *mo = json_pack("{s:s}", "phase", fd_analysis_phase_name(me->phase));
            set_time(mo, "startedAt", ctl, me->started_at);
            set_time(mo, "finishedAt", ctl, me->finished_at);
            set_time(mo, "resumeAt", ctl, me->resume_at);
            if (me->value)
                json_object_set_new(mo, "value", json_string(me->value));
            if (me->message)
                json_object_set_new(mo, "message", json_string(me->message));
            json_array_append_new(ms, mo);
        }
        json_object_set_new(o, "measurements", ms);
        json_array_append_new(results, o);
    }
    json_object_set_new(st, "metricResults", results);
    return st;
}

/* ---- measurements ---------------------------------------------------------- */

static struct fd_analysis_measurement *push_measurement(struct fd_analysis_metric_result *r)
{
    r->measurements =
        fd_xreallocarray(r->measurements, r->n_measurements + 1, sizeof(*r->measurements));
    struct fd_analysis_measurement *m = &r->measurements[r->n_measurements++];
    memset(m, 0, sizeof(*m));
    m->started_at = m->finished_at = m->resume_at = FD_ANALYSIS_NO_TIME;
    return m;
}

/* The version an AnalysisRun measures: recorded by the controller that made
 * it, else what the Rollout serving its service-name argument runs now. */
static char *subject(struct fd_sim_ctl *ctl, const struct fd_sim_ar_state *s)
{
    const char *v = fd_sim_ctl_subject(ctl, s->ns, s->name);
    if (v)
        return fd_xstrdup(v);
    for (size_t i = 0; i < s->run->n_args; i++) {
        const struct fd_analysis_arg *a = &s->run->args[i];
        if (!a->value)
            continue;
        const struct fd_sim_binding *b =
            fd_sim_scenario_binding(ctl->sc, NULL, NULL, NULL, a->value);
        if (b && b->rollout)
            return fd_sim_rollout_version(ctl, b->ns, b->rollout);
    }
    return NULL;
}

static void measure_model(struct fd_sim_ctl *ctl, struct fd_sim_ar_state *s, size_t i,
                          struct fd_analysis_measurement *me, int64_t now)
{
    const struct fd_analysis_metric *m = &s->run->metrics[i];
    char *version = subject(ctl, s);
    char *key = fd_xasprintf("%s/%s/%s", s->ns, s->name, m->name);
    double v = fd_sim_model_value(ctl, version, fd_sim_metric_signal(m), key, now);
    free(key);
    free(version);
    char *num = fd_analysis_format_float(v);
    char *body = fd_xasprintf("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
                              "\"result\":[{\"metric\":{},\"value\":[%.3f,\"%s\"]}]}}",
                              (double)now / 1000.0, num);
    free(num);
    struct fd_prom_result pr;
    char *err = NULL, *msg = NULL;
    me->started_at = me->finished_at = now;
    if (fd_prom_parse(body, strlen(body), 200, &pr, &err) != FD_OK) {
        me->phase = FD_ANALYSIS_PHASE_ERROR;
        me->message = err;
        free(body);
        return;
    }
    free(body);
    fd_value *val = fd_analysis_prom_result_value(&pr);
    me->phase = fd_analysis_evaluate(m->success_condition, m->failure_condition, val,
                                     FD_EXPR_MODE_ARGO, &msg);
    fd_value_unref(val);
    if (me->phase == FD_ANALYSIS_PHASE_ERROR)
        me->message = msg;
    else
        me->value = fd_xstrdup(pr.value);
    fd_prom_result_free(&pr);
}

static void measure_prometheus(struct fd_sim_ctl *ctl, struct fd_sim_ar_state *s, size_t i,
                               struct fd_analysis_measurement *me, int64_t now)
{
    const struct fd_analysis_metric *m = &s->run->metrics[i];
    const json_t *prov = json_array_get(s->providers, i);
    struct fd_analysis_prom_spec spec;
    char *err = NULL;
    me->started_at = now;
    if (fd_analysis_prom_spec_from_json(json_object_get(prov, "prometheus"), "provider.prometheus",
                                        &spec, &err) != FD_OK) {
        me->phase = FD_ANALYSIS_PHASE_ERROR;
        me->message = err;
        me->finished_at = now;
        return;
    }
    struct fd_analysis_prom_options opts = {0};
    opts.address = ctl->prometheus;
    opts.now_ms = fd_sim_clock_wall(&ctl->clock, now);
    struct fd_analysis_prom_measurement out;
    /* The query may take a while: let API requests through meanwhile. */
    fd_sim_store_unlock(ctl->st);
    fd_analysis_prom_measure(m, &spec, &opts, &out);
    fd_sim_store_lock(ctl->st);
    fd_analysis_prom_spec_free(&spec);
    me->phase = out.phase;
    me->finished_at = now;
    if (out.value && out.phase != FD_ANALYSIS_PHASE_ERROR)
        me->value = fd_xstrdup(out.value);
    if (out.message)
        me->message = fd_xstrdup(out.message);
    fd_analysis_prom_measurement_free(&out);
}

static void take(struct fd_sim_ctl *ctl, struct fd_sim_ar_state *s, size_t i, int64_t now)
{
    const struct fd_analysis_metric *m = &s->run->metrics[i];
    struct fd_analysis_metric_result *r = fd_analysis_run_result_add(s->run, m->name);
    struct fd_analysis_measurement *me = push_measurement(r);
    if (m->provider == FD_ANALYSIS_PROVIDER_JOB) {
        /* A Job: Running until it finishes (resumed below). */
        me->phase = FD_ANALYSIS_PHASE_RUNNING;
        me->started_at = now;
        me->resume_at = now + JOB_MS;
        return;
    }
    if (ctl->prometheus && m->provider == FD_ANALYSIS_PROVIDER_PROMETHEUS)
        measure_prometheus(ctl, s, i, me, now);
    else
        measure_model(ctl, s, i, me, now);
    fd_analysis_count(r, me->phase);
}

static void resume(struct fd_sim_ctl *ctl, struct fd_sim_ar_state *s, size_t i, int64_t now)
{
    struct fd_analysis_metric_result *r = fd_analysis_run_result(s->run, s->run->metrics[i].name);
    if (!r || !r->n_measurements)
        return;
    struct fd_analysis_measurement *me = &r->measurements[r->n_measurements - 1];
    if (fd_analysis_is_terminating(s->run)) {
        me->phase = FD_ANALYSIS_PHASE_INCONCLUSIVE;
        me->message = fd_xstrdup("Metric Terminated");
    } else {
        char *version = subject(ctl, s);
        const struct fd_sim_version *v = fd_sim_scenario_version(ctl->sc, version);
        free(version);
        me->phase = !v || v->healthy ? FD_ANALYSIS_PHASE_SUCCESSFUL : FD_ANALYSIS_PHASE_FAILED;
    }
    me->finished_at = now;
    me->resume_at = FD_ANALYSIS_NO_TIME;
    fd_analysis_count(r, me->phase);
}

/* ---- one run --------------------------------------------------------------- */

static bool start(struct fd_sim_ctl *ctl, struct fd_sim_ar_state *s, const json_t *obj, int64_t now)
{
    char *err = NULL;
    const char *phase = fd_sim_str(json_object_get(obj, "status"), "phase");
    enum fd_analysis_phase p;
    if (phase && fd_analysis_phase_parse(phase, &p) && fd_analysis_phase_completed(p))
        return false; /* finished before we saw it (loaded): leave it */
    s->run = fd_analysis_run_from_json(obj, &err);
    if (!s->run) {
        json_t *st = json_pack("{s:s,s:s}", "phase", "Error", "message", err ? err : "invalid");
        fd_sim_ctl_put_status(ctl, FD_SIM_RES_ANALYSISRUN, obj, st);
        json_decref(st);
        free(err);
        return false;
    }
    /* Measured from scratch: a run is ours from the moment we see it. */
    fd_analysis_run_free(s->run);
    json_t *spec_only = json_deep_copy(obj);
    json_object_del(spec_only, "status");
    s->run = fd_analysis_run_from_json(spec_only, &err);
    free(err);
    err = NULL;
    /* Argo resolves each serialised metric (ResolveMetricArgs) before it
     * measures; one that fails makes the whole run Error. */
    json_t *spec = json_object_get(spec_only, "spec");
    json_t *resolved = fd_analysis_resolve_metrics(json_object_get(spec, "metrics"), s->run->args,
                                                   s->run->n_args, &err);
    s->providers = json_array();
    if (!resolved) {
        for (size_t i = 0; i < s->run->n_metrics; i++)
            json_array_append_new(s->providers, json_object());
        s->run->phase = FD_ANALYSIS_PHASE_ERROR;
        free(s->run->message);
        s->run->message = fd_xasprintf("Unable to resolve metric arguments: %s", err);
        s->run->started_at = s->run->completed_at = now;
        free(err);
        json_decref(spec_only);
        return true;
    }
    json_object_set(spec, "metrics", resolved); /* (resolved stays ours: spec may be none) */
    struct fd_analysis_run *run = fd_analysis_run_from_json(spec_only, &err);
    if (run) { /* (it decoded unresolved; resolved, it decodes) */
        fd_analysis_run_free(s->run);
        s->run = run;
    }
    free(err);
    size_t i;
    json_t *m;
    json_array_foreach(resolved, i, m)
    {
        json_t *prov = json_object_get(m, "provider");
        json_array_append_new(s->providers, prov ? json_incref(prov) : json_object());
    }
    json_decref(resolved);
    json_decref(spec_only);
    return true;
}

static void reconcile(struct fd_sim_ctl *ctl, struct fd_sim_ar_state *s, const json_t *obj,
                      int64_t now)
{
    struct fd_analysis_run *run = s->run;
    char *err = NULL;
    run->terminate = json_is_true(json_object_get(json_object_get(obj, "spec"), "terminate"));
    if (!fd_analysis_phase_completed(run->phase)) {
        if (run->started_at == FD_ANALYSIS_NO_TIME)
            run->started_at = now;
        for (size_t i = 0; i < run->n_metrics; i++) {
            enum fd_analysis_task t = fd_analysis_task_for(run, i, now, NULL, NULL);
            if (t == FD_ANALYSIS_TASK_MEASURE)
                take(ctl, s, i, now);
            else if (t == FD_ANALYSIS_TASK_RESUME)
                resume(ctl, s, i, now);
        }
        if (fd_analysis_trim_measurements(run, &err) != FD_OK)
            free(err);
        fd_analysis_assess_run(run, now);
    }
    json_t *st = status_json(ctl, s);
    fd_sim_ctl_put_status(ctl, FD_SIM_RES_ANALYSISRUN, obj, st);
    json_decref(st);
    if (fd_analysis_phase_completed(run->phase)) {
        fd_analysis_run_free(s->run);
        s->run = NULL;
    } else {
        ctl->busy = true;
    }
}

static int by_key(const void *a, const void *b)
{
    const json_t *x = *(const json_t *const *)a, *y = *(const json_t *const *)b;
    int c = fd_sim_ns_cmp(fd_sim_meta(x, "namespace") ? fd_sim_meta(x, "namespace") : "",
                          fd_sim_meta(y, "namespace") ? fd_sim_meta(y, "namespace") : "");
    return c ? c
             : strcmp(fd_sim_meta(x, "name") ? fd_sim_meta(x, "name") : "",
                      fd_sim_meta(y, "name") ? fd_sim_meta(y, "name") : "");
}

/* The runs a pass visits, in namespace/name order: every run of the
 * namespaces of vis, and the runs still measuring elsewhere (their next
 * measurement is due by the clock, whatever changed). */
static json_t *runs_to_visit(struct fd_sim_ctl *ctl, const struct fd_sim_nsset *vis)
{
    json_t *list = fd_sim_ctl_list_visit(ctl, FD_SIM_RES_ANALYSISRUN, vis);
    json_t *items = json_object_get(list, "items");
    size_t listed = json_array_size(items);
    for (size_t k = 0; k < ctl->n_ars; k++) {
        const struct fd_sim_ar_state *s = &ctl->ars[k];
        if (!s->run || fd_sim_nsset_has(vis, s->ns))
            continue;
        json_t *obj = fd_sim_ctl_get(ctl, FD_SIM_RES_ANALYSISRUN, s->ns, s->name);
        if (obj)
            json_array_append_new(items, obj);
    }
    if (json_array_size(items) > listed) {
        size_t n = json_array_size(items);
        json_t **v = fd_xcalloc(n, sizeof(*v));
        for (size_t k = 0; k < n; k++)
            v[k] = json_incref(json_array_get(items, k));
        qsort(v, n, sizeof(*v), by_key);
        json_array_clear(items);
        for (size_t k = 0; k < n; k++)
            json_array_append_new(items, v[k]);
        free(v);
    }
    return list;
}

void fd_sim_analysis_pass(struct fd_sim_ctl *ctl, int64_t now)
{
    struct fd_sim_nsset vis;
    fd_sim_ctl_take(ctl, FD_SIM_PART_ANALYSIS, &vis);
    json_t *list = runs_to_visit(ctl, &vis);
    size_t i;
    json_t *obj;

    /* A state is forgotten when a visit does not find its run: the states
     * of the namespaces not visited stay (their runs did not change). */
    for (size_t k = 0; k < ctl->n_ars; k++)
        ctl->ars[k].seen = !fd_sim_nsset_has(&vis, ctl->ars[k].ns) && !ctl->ars[k].run;
    json_array_foreach(json_object_get(list, "items"), i, obj)
    {
        const json_t *md = json_object_get(obj, "metadata");
        const char *uid = fd_sim_str(md, "uid");
        const char *ph = fd_sim_str(json_object_get(obj, "status"), "phase");
        enum fd_analysis_phase p;
        /* Finished runs need nothing more (their state, if any, goes). */
        if (!uid || (ph && fd_analysis_phase_parse(ph, &p) && fd_analysis_phase_completed(p)))
            continue;
        struct fd_sim_ar_state *s = NULL;
        for (size_t k = 0; k < ctl->n_ars && !s; k++)
            if (strcmp(ctl->ars[k].uid, uid) == 0)
                s = &ctl->ars[k];
        if (!s) {
            ctl->ars = fd_xreallocarray(ctl->ars, ctl->n_ars + 1, sizeof(*ctl->ars));
            s = &ctl->ars[ctl->n_ars++];
            memset(s, 0, sizeof(*s));
            s->uid = fd_xstrdup(uid);
            s->ns = fd_xstrdup(fd_sim_str(md, "namespace"));
            s->name = fd_xstrdup(fd_sim_str(md, "name"));
            if (!start(ctl, s, obj, now)) {
                s->seen = true;
                continue;
            }
        }
        s->seen = true;
        if (s->run)
            reconcile(ctl, s, obj, now);
    }
    json_decref(list);
    fd_sim_nsset_clear(&vis);
    /* Forget deleted runs. */
    size_t keep = 0;
    for (size_t k = 0; k < ctl->n_ars; k++) {
        if (ctl->ars[k].seen)
            ctl->ars[keep++] = ctl->ars[k];
        else
            state_free(&ctl->ars[k]);
    }
    ctl->n_ars = keep;
}

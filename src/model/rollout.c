/* model/rollout.c: the canary view of a Rollout, its ReplicaSets and its
 * AnalysisRuns as `kubectl argo rollouts get` derives them
 * (pkg/kubectl-argo-rollouts/info/rollout_info.go, replicaset_info.go,
 * analysisrun_info.go, utils/replicaset/canary.go GetCurrentSetWeight,
 * utils/rollout/rolloututil.go GetRolloutPhase). */
#include "config.h"

#include "freightdeck/model.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void add_reason(struct fd_model_canary_view *v, const char *reason)
{
    for (size_t i = 0; i < v->n_pause_reasons; i++)
        if (strcmp(v->pause_reasons[i], reason) == 0)
            return;
    v->pause_reasons = fd_xreallocarray(v->pause_reasons, v->n_pause_reasons + 1, sizeof(char *));
    v->pause_reasons[v->n_pause_reasons++] = fd_xstrdup(reason);
}

static const struct fd_model_condition *condition(const struct fd_model_rollout *r,
                                                  const char *type)
{
    for (size_t i = 0; i < r->n_conditions; i++)
        if (fd_streq(r->conditions[i].type, type))
            return &r->conditions[i];
    return NULL;
}

/* CalculateRolloutPhase, for controllers that did not write status.phase. */
static void compute_phase(const struct fd_model_rollout *r, struct fd_model_canary_view *v)
{
    const struct fd_model_condition *c = condition(r, "InvalidSpec");

    if (c) {
        v->phase = fd_xstrdup("Degraded");
        v->message = fd_xasprintf("InvalidSpec: %s", c->message ? c->message : "");
        return;
    }
    for (size_t i = 0; i < r->n_conditions; i++) {
        const struct fd_model_condition *k = &r->conditions[i];
        if (fd_streq(k->reason, "RolloutAborted") ||
            fd_streq(k->reason, "ProgressDeadlineExceeded")) {
            v->phase = fd_xstrdup("Degraded");
            v->message = fd_xasprintf("%s: %s", k->reason, k->message ? k->message : "");
            return;
        }
    }
    if (r->paused) {
        v->phase = fd_xstrdup("Paused");
        v->message = fd_xstrdup("manually paused");
    } else if (r->n_pause_conditions) {
        v->phase = fd_xstrdup("Paused");
        v->message = fd_xstrdup(r->pause_conditions[0].reason ? r->pause_conditions[0].reason : "");
    } else if (r->updated_replicas < r->replicas) {
        v->phase = fd_xstrdup("Progressing");
        v->message = fd_xstrdup("more replicas need to be updated");
    } else if (r->available_replicas < r->updated_replicas) {
        v->phase = fd_xstrdup("Progressing");
        v->message = fd_xstrdup("updated replicas are still becoming available");
    } else if (r->strategy == FD_MODEL_STRATEGY_CANARY && !r->traffic_routing &&
               r->status_replicas > r->updated_replicas) {
        v->phase = fd_xstrdup("Progressing");
        v->message = fd_xstrdup("old replicas are pending termination");
    } else if (!fd_streq(r->stable_rs, r->current_pod_hash)) {
        v->phase = fd_xstrdup("Progressing");
        v->message = fd_xstrdup("waiting for all steps to complete");
    } else {
        v->phase = fd_xstrdup("Healthy");
        v->message = fd_xstrdup("");
    }
}

void fd_model_rollout_canary(const struct fd_model_object *obj, int64_t canary_available,
                             struct fd_model_canary_view *v)
{
    const struct fd_model_rollout *r = obj->u.rollout;
    int64_t idx, max;

    memset(v, 0, sizeof(*v));
    if (!r) {
        v->phase = fd_xstrdup("Unknown");
        v->message = fd_xstrdup(obj->error ? obj->error : "");
        return;
    }
    idx = r->has_step_index ? r->step_index : 0;
    max = r->traffic_routing ? r->max_traffic_weight : 100;
    v->canary = r->strategy == FD_MODEL_STRATEGY_CANARY;
    v->steps = (int64_t)r->n_steps;
    v->step = idx;
    v->has_step = v->canary && r->has_step_index && r->n_steps > 0;
    v->current_step = v->canary && r->n_steps > 0 && idx >= 0 && idx < (int64_t)r->n_steps;

    if (v->canary) {
        /* Desired weight (GetCurrentSetWeight). */
        if (r->abort) {
            v->set_weight = 0;
        } else if (!v->current_step) {
            v->set_weight = max;
        } else {
            v->set_weight = 0;
            for (int64_t i = idx; i >= 0; i--) {
                if (r->steps[i].kind == FD_MODEL_STEP_SET_WEIGHT) {
                    v->set_weight = r->steps[i].weight;
                    break;
                }
            }
        }
        /* Actual weight (NewRolloutInfo). */
        v->actual_known = true;
        if (!v->current_step) {
            v->actual_weight = max;
        } else if (r->available_replicas > 0) {
            if (r->traffic_routing) {
                v->actual_weight = r->has_canary_weight ? r->canary_weight : v->set_weight;
            } else if (canary_available >= 0) {
                v->actual_weight = canary_available * max / r->available_replicas;
            } else {
                v->actual_known = false;
            }
        } else {
            v->actual_weight = 0;
        }
    }

    /* Phase: the client's overrides, then what the controller wrote. */
    if (r->has_observed_generation && r->observed_generation < obj->meta.generation) {
        v->phase = fd_xstrdup("Progressing");
        v->message = fd_xstrdup("waiting for rollout spec update to be observed");
    } else if (r->controller_pause && !r->n_pause_conditions) {
        v->phase = fd_xstrdup("Progressing");
        v->message = fd_xstrdup("waiting for rollout to unpause");
    } else if (r->phase && *r->phase) {
        v->phase = fd_xstrdup(r->phase);
        v->message = fd_xstrdup(r->message ? r->message : "");
    } else {
        compute_phase(r, v);
    }

    /* Pause reasons, and whether only a human can move it on. */
    if (r->paused) {
        add_reason(v, "manual");
        v->paused_indefinitely = true;
    }
    for (size_t i = 0; i < r->n_pause_conditions; i++) {
        const char *reason = r->pause_conditions[i].reason ? r->pause_conditions[i].reason : "";
        add_reason(v, reason);
        if (strcmp(reason, "CanaryPauseStep") == 0) {
            /* pause: {} waits for promote; pause: {duration} resumes itself. */
            if (v->current_step && r->steps[idx].kind == FD_MODEL_STEP_PAUSE &&
                !r->steps[idx].pause_has_duration)
                v->paused_indefinitely = true;
        } else {
            /* InconclusiveAnalysisRun, InconclusiveExperiment, BlueGreenPause. */
            v->paused_indefinitely = true;
        }
    }
    if (r->abort)
        v->paused_indefinitely = false;
}

void fd_model_canary_view_free(struct fd_model_canary_view *v)
{
    free(v->phase);
    free(v->message);
    for (size_t i = 0; i < v->n_pause_reasons; i++)
        free(v->pause_reasons[i]);
    free(v->pause_reasons);
    memset(v, 0, sizeof(*v));
}

/* ---- The ReplicaSets and AnalysisRuns a Rollout owns ------------------------------- */

const char *fd_model_replica_set_health(const struct fd_model_object *obj)
{
    const struct fd_model_replica_set *rs =
        obj && obj->kind == FD_MODEL_REPLICA_SET && !obj->undecodable ? obj->u.replica_set : NULL;

    if (!rs)
        return "Unknown";
    /* getReplicaSetHealth: a nil spec.replicas is never compared (the API
     * server defaults it, so only a hand-written object lacks it). */
    if (obj->meta.generation > rs->observed_generation)
        return "Progressing";
    for (size_t i = 0; i < rs->n_conditions; i++)
        if (fd_streq(rs->conditions[i].type, "ReplicaFailure") &&
            fd_streq(rs->conditions[i].status, "True"))
            return "ReplicaFailure";
    if (rs->has_replicas && rs->available_replicas < rs->replicas)
        return "Progressing";
    if (rs->has_replicas && rs->replicas == 0)
        return "ScaledDown";
    return "Healthy";
}

/* parseRevision: a bad or missing annotation is revision 0. */
static int64_t revision_of(const struct fd_model_object *obj)
{
    const char *v = fd_model_annotation(obj, "rollout.argoproj.io/revision");
    char *end;
    long long n;

    if (!v || !*v)
        return 0;
    errno = 0;
    n = strtoll(v, &end, 10);
    return *end || errno || n < 0 ? 0 : (int64_t)n;
}

static int by_revision(const void *a, const void *b)
{
    const struct fd_model_rollout_rs *x = a, *y = b;

    if (x->revision != y->revision)
        return x->revision > y->revision ? -1 : 1;
    return strcmp(x->obj->meta.name, y->obj->meta.name);
}

size_t fd_model_rollout_replica_sets(const struct fd_model_snapshot *snap,
                                     const struct fd_model_object *rollout,
                                     struct fd_model_rollout_rs **out)
{
    struct fd_model_object *const *all;
    const struct fd_model_rollout *r = rollout && !rollout->undecodable ? rollout->u.rollout : NULL;
    size_t n = 0, m = 0;

    *out = NULL;
    all = snap && rollout ? fd_model_snapshot_list(snap, FD_MODEL_REPLICA_SET, &n) : NULL;
    for (size_t i = 0; all && i < n; i++) {
        const struct fd_model_object *o = all[i];
        if (!fd_streq(o->meta.ns, rollout->meta.ns) || !fd_model_owned_by(o, rollout->meta.uid))
            continue;
        if (!*out)
            *out = fd_xcalloc(n, sizeof(**out));
        struct fd_model_rollout_rs *e = &(*out)[m++];
        e->obj = o;
        e->revision = revision_of(o);
        e->hash = fd_model_label(o, "rollouts-pod-template-hash");
        e->health = fd_model_replica_set_health(o);
        if (r && e->hash) {
            e->stable = fd_streq(r->stable_rs, e->hash);
            if (r->strategy == FD_MODEL_STRATEGY_CANARY)
                e->canary = !e->stable && fd_streq(r->current_pod_hash, e->hash);
            else if (r->strategy == FD_MODEL_STRATEGY_BLUE_GREEN)
                e->active = fd_streq(r->active_selector, e->hash);
        }
    }
    if (m)
        qsort(*out, m, sizeof(**out), by_revision);
    return m;
}

int64_t fd_model_rollout_canary_available(const struct fd_model_snapshot *snap,
                                          const struct fd_model_object *rollout)
{
    struct fd_model_rollout_rs *rs;
    size_t n = fd_model_rollout_replica_sets(snap, rollout, &rs);
    int64_t avail = n ? 0 : -1;

    for (size_t i = 0; i < n; i++)
        if (rs[i].canary && !rs[i].obj->undecodable)
            avail = rs[i].obj->u.replica_set->available_replicas;
    free(rs);
    return avail;
}

static int run_newest(const void *a, const void *b)
{
    const struct fd_model_object *x = *(const struct fd_model_object *const *)a;
    const struct fd_model_object *y = *(const struct fd_model_object *const *)b;

    if (x->meta.created != y->meta.created)
        return x->meta.created > y->meta.created ? -1 : 1;
    return strcmp(y->meta.name, x->meta.name);
}

size_t fd_model_rollout_runs(const struct fd_model_snapshot *snap,
                             const struct fd_model_object *rollout,
                             const struct fd_model_object ***out)
{
    struct fd_model_object *const *all;
    size_t n = 0, m = 0;

    *out = NULL;
    all = snap && rollout ? fd_model_snapshot_list(snap, FD_MODEL_ANALYSIS_RUN, &n) : NULL;
    for (size_t i = 0; all && i < n; i++) {
        if (!fd_streq(all[i]->meta.ns, rollout->meta.ns) ||
            !fd_model_owned_by(all[i], rollout->meta.uid))
            continue;
        if (!*out)
            *out = fd_xcalloc(n, sizeof(**out));
        (*out)[m++] = all[i];
    }
    if (m)
        qsort(*out, m, sizeof(**out), run_newest);
    return m;
}

/* model/rollout.c: the canary view of a Rollout as `kubectl argo rollouts get`
 * derives it (pkg/kubectl-argo-rollouts/info/rollout_info.go, utils/replicaset/
 * canary.go GetCurrentSetWeight, utils/rollout/rolloututil.go GetRolloutPhase). */
#include "config.h"

#include "freightdeck/model.h"

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

static const struct fd_model_condition *condition(const struct fd_model_rollout *r, const char *type)
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
        if (fd_streq(k->reason, "RolloutAborted") || fd_streq(k->reason, "ProgressDeadlineExceeded")) {
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

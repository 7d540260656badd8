/* model/rollout_decode.c: the decoders of an Argo Rollouts Rollout
 * (pkg/apis/rollouts/v1alpha1/types.go) and of the apps/v1 ReplicaSets it
 * owns (k8s.io/api/apps/v1/types.go). */
#include "config.h"

#include "internal.h"

#include <stdlib.h>
#include <string.h>

static void dec_pause(struct fd_model_dec *d, const json_t *pause, struct fd_model_canary_step *st)
{
    const json_t *dur;

    if (!json_is_object(pause)) {
        if (!json_is_null(pause))
            fd_model_dec_fail(d, "object", pause);
        return;
    }
    dur = json_object_get(pause, "duration");
    if (!dur || json_is_null(dur))
        return;
    size_t m = fd_model_dec_push(d, "duration");
    st->pause_has_duration = true;
    st->pause_duration = -1;
    if (json_is_integer(dur)) {
        st->pause_duration = json_integer_value(dur);
    } else if (json_is_string(dur)) {
        /* intstr: "30" is seconds, "30s" / "1m" a Go duration. */
        const char *s = json_string_value(dur);
        char *end;
        long long v = strtoll(s, &end, 10);
        int64_t secs;
        if (*s && !*end && v >= 0)
            st->pause_duration = v;
        else if (fd_model_parse_duration(s, &secs))
            st->pause_duration = secs;
    } else {
        fd_model_dec_fail(d, "integer or string", dur);
    }
    fd_model_dec_pop(d, m);
}

static void dec_step(struct fd_model_dec *d, const json_t *e, struct fd_model_canary_step *st)
{
    static const struct {
        const char *key;
        enum fd_model_step_kind kind;
    } keys[] = {
        {"setWeight", FD_MODEL_STEP_SET_WEIGHT},
        {"pause", FD_MODEL_STEP_PAUSE},
        {"analysis", FD_MODEL_STEP_ANALYSIS},
        {"experiment", FD_MODEL_STEP_EXPERIMENT},
        {"setCanaryScale", FD_MODEL_STEP_SET_CANARY_SCALE},
        {"setHeaderRoute", FD_MODEL_STEP_SET_HEADER_ROUTE},
        {"setMirrorRoute", FD_MODEL_STEP_SET_MIRROR_ROUTE},
        {"plugin", FD_MODEL_STEP_PLUGIN},
    };

    st->kind = FD_MODEL_STEP_UNKNOWN;
    for (size_t i = 0; i < FD_ARRAY_SIZE(keys); i++) {
        const json_t *v = json_object_get(e, keys[i].key);
        if (!v || (json_is_null(v) && keys[i].kind != FD_MODEL_STEP_PAUSE))
            continue;
        st->kind = keys[i].kind;
        if (st->kind == FD_MODEL_STEP_SET_WEIGHT) {
            fd_model_dec_int(d, e, "setWeight", &st->weight);
        } else if (st->kind == FD_MODEL_STEP_PAUSE) {
            size_t m = fd_model_dec_push(d, "pause");
            dec_pause(d, v, st);
            fd_model_dec_pop(d, m);
        }
        return;
    }
}

static void dec_run_status(struct fd_model_dec *d, const json_t *canary, const char *key,
                           struct fd_model_rollout_run_status *r)
{
    const json_t *o = fd_model_dec_obj(d, canary, key);

    if (!o)
        return;
    size_t m = fd_model_dec_push(d, key);
    fd_model_dec_str(d, o, "name", &r->name);
    fd_model_dec_str(d, o, "status", &r->status);
    fd_model_dec_str(d, o, "message", &r->message);
    fd_model_dec_pop(d, m);
}

static void dec_pause_condition(struct fd_model_dec *d, const json_t *e,
                                struct fd_model_pause_condition *p)
{
    fd_model_dec_str(d, e, "reason", &p->reason);
    fd_model_dec_time(d, e, "startTime", &p->start);
}

static void dec_rollout_spec(struct fd_model_dec *d, const json_t *spec, struct fd_model_rollout *r)
{
    const json_t *strategy, *canary, *tr;

    fd_model_dec_int(d, spec, "replicas", &r->replicas);
    fd_model_dec_bool(d, spec, "paused", &r->paused);
    fd_model_dec_str(d, spec, "restartAt", &r->restart_at);
    strategy = fd_model_dec_obj(d, spec, "strategy");
    if (!strategy)
        return;
    size_t m = fd_model_dec_push(d, "strategy");
    if (fd_model_dec_obj(d, strategy, "blueGreen"))
        r->strategy = FD_MODEL_STRATEGY_BLUE_GREEN;
    canary = fd_model_dec_obj(d, strategy, "canary");
    if (canary) {
        size_t mc = fd_model_dec_push(d, "canary");
        r->strategy = FD_MODEL_STRATEGY_CANARY;
        DEC_OBJ_ARRAY(d, canary, "steps", r->steps, r->n_steps, dec_step);
        tr = fd_model_dec_obj(d, canary, "trafficRouting");
        if (tr) {
            size_t mt = fd_model_dec_push(d, "trafficRouting");
            r->traffic_routing = true;
            fd_model_dec_int(d, tr, "maxTrafficWeight", &r->max_traffic_weight);
            fd_model_dec_pop(d, mt);
        }
        fd_model_dec_pop(d, mc);
    }
    fd_model_dec_pop(d, m);
}

static void dec_rollout_status(struct fd_model_dec *d, const json_t *st, struct fd_model_rollout *r)
{
    const json_t *canary, *bg, *og;

    r->has_step_index = fd_model_dec_int(d, st, "currentStepIndex", &r->step_index);
    fd_model_dec_bool(d, st, "abort", &r->abort);
    fd_model_dec_time(d, st, "abortedAt", &r->aborted_at);
    fd_model_dec_bool(d, st, "controllerPause", &r->controller_pause);
    fd_model_dec_bool(d, st, "promoteFull", &r->promote_full);
    DEC_OBJ_ARRAY(d, st, "pauseConditions", r->pause_conditions, r->n_pause_conditions,
                  dec_pause_condition);
    canary = fd_model_dec_obj(d, st, "canary");
    if (canary) {
        size_t m = fd_model_dec_push(d, "canary");
        const json_t *weights = fd_model_dec_obj(d, canary, "weights");
        dec_run_status(d, canary, "currentStepAnalysisRunStatus", &r->step_run);
        dec_run_status(d, canary, "currentBackgroundAnalysisRunStatus", &r->background_run);
        if (weights) {
            size_t mw = fd_model_dec_push(d, "weights");
            const json_t *cw = fd_model_dec_obj(d, weights, "canary");
            if (cw) {
                size_t mcw = fd_model_dec_push(d, "canary");
                r->has_canary_weight = fd_model_dec_int(d, cw, "weight", &r->canary_weight);
                fd_model_dec_pop(d, mcw);
            }
            fd_model_dec_pop(d, mw);
        }
        fd_model_dec_pop(d, m);
    }
    fd_model_dec_str(d, st, "phase", &r->phase);
    fd_model_dec_str(d, st, "message", &r->message);
    /* The Rollout status carries observedGeneration as a string. */
    og = json_object_get(st, "observedGeneration");
    if (json_is_string(og)) {
        char *end;
        long long v = strtoll(json_string_value(og), &end, 10);
        if (*json_string_value(og) && !*end) {
            r->has_observed_generation = true;
            r->observed_generation = v;
        }
    } else if (og && !json_is_null(og)) {
        r->has_observed_generation =
            fd_model_dec_int(d, st, "observedGeneration", &r->observed_generation);
    }
    fd_model_dec_int(d, st, "replicas", &r->status_replicas);
    fd_model_dec_int(d, st, "updatedReplicas", &r->updated_replicas);
    fd_model_dec_int(d, st, "readyReplicas", &r->ready_replicas);
    fd_model_dec_int(d, st, "availableReplicas", &r->available_replicas);
    fd_model_dec_str(d, st, "stableRS", &r->stable_rs);
    fd_model_dec_str(d, st, "currentPodHash", &r->current_pod_hash);
    bg = fd_model_dec_obj(d, st, "blueGreen");
    if (bg) {
        size_t m = fd_model_dec_push(d, "blueGreen");
        fd_model_dec_str(d, bg, "activeSelector", &r->active_selector);
        fd_model_dec_pop(d, m);
    }
    r->conditions = fd_model_dec_conditions(d, st, &r->n_conditions);
}

void fd_model_decode_rollout(struct fd_model_dec *d, const json_t *j, struct fd_model_object *obj)
{
    struct fd_model_rollout *r = fd_xcalloc(1, sizeof(*r));
    const json_t *spec = fd_model_dec_obj(d, j, "spec"), *status = fd_model_dec_obj(d, j, "status");

    obj->u.rollout = r;
    r->replicas = 1;
    r->max_traffic_weight = 100;
    if (spec) {
        size_t m = fd_model_dec_push(d, "spec");
        dec_rollout_spec(d, spec, r);
        fd_model_dec_pop(d, m);
    }
    if (status) {
        size_t m = fd_model_dec_push(d, "status");
        dec_rollout_status(d, status, r);
        fd_model_dec_pop(d, m);
    }
}

static void free_run_status(struct fd_model_rollout_run_status *r)
{
    free(r->name);
    free(r->status);
    free(r->message);
}

void fd_model_free_rollout(struct fd_model_rollout *r)
{
    if (!r)
        return;
    free(r->restart_at);
    free(r->steps);
    for (size_t i = 0; i < r->n_pause_conditions; i++)
        free(r->pause_conditions[i].reason);
    free(r->pause_conditions);
    free_run_status(&r->step_run);
    free_run_status(&r->background_run);
    free(r->phase);
    free(r->message);
    free(r->stable_rs);
    free(r->current_pod_hash);
    free(r->active_selector);
    fd_model_free_conditions(r->conditions, r->n_conditions);
    free(r);
}

/* ---- ReplicaSet ---------------------------------------------------------------- */

/* The images of spec.template.spec.<key>[] in order; a container without
 * an image is skipped (the API server refuses it anyway). */
static char **dec_images(struct fd_model_dec *d, const json_t *pod, const char *key, size_t *n)
{
    const json_t *a = fd_model_dec_arr(d, pod, key);
    char **out;

    *n = 0;
    if (!a || !json_array_size(a))
        return NULL;
    size_t m = fd_model_dec_push(d, key);
    out = fd_xcalloc(json_array_size(a), sizeof(*out));
    for (size_t i = 0; i < json_array_size(a); i++) {
        const json_t *e = json_array_get(a, i);
        size_t mi = fd_model_dec_push_index(d, i);
        char *img = NULL;
        if (fd_model_dec_is_obj(d, e) && fd_model_dec_str(d, e, "image", &img) && img)
            out[(*n)++] = img;
        fd_model_dec_pop(d, mi);
    }
    fd_model_dec_pop(d, m);
    return out;
}

void fd_model_decode_replica_set(struct fd_model_dec *d, const json_t *j,
                                 struct fd_model_object *obj)
{
    struct fd_model_replica_set *r = fd_xcalloc(1, sizeof(*r));
    const json_t *spec = fd_model_dec_obj(d, j, "spec"), *status = fd_model_dec_obj(d, j, "status");

    obj->u.replica_set = r;
    r->replicas = 1;
    if (spec) {
        size_t m = fd_model_dec_push(d, "spec");
        const json_t *tmpl = fd_model_dec_obj(d, spec, "template"), *pod;
        r->has_replicas = fd_model_dec_int(d, spec, "replicas", &r->replicas);
        if (!r->has_replicas)
            r->replicas = 1;
        if (tmpl) {
            size_t mt = fd_model_dec_push(d, "template");
            pod = fd_model_dec_obj(d, tmpl, "spec");
            if (pod) {
                size_t mp = fd_model_dec_push(d, "spec");
                r->images = dec_images(d, pod, "containers", &r->n_images);
                r->init_images = dec_images(d, pod, "initContainers", &r->n_init_images);
                fd_model_dec_pop(d, mp);
            }
            fd_model_dec_pop(d, mt);
        }
        fd_model_dec_pop(d, m);
    }
    if (status) {
        size_t m = fd_model_dec_push(d, "status");
        fd_model_dec_int(d, status, "replicas", &r->status_replicas);
        fd_model_dec_int(d, status, "readyReplicas", &r->ready_replicas);
        fd_model_dec_int(d, status, "availableReplicas", &r->available_replicas);
        fd_model_dec_int(d, status, "observedGeneration", &r->observed_generation);
        r->conditions = fd_model_dec_conditions(d, status, &r->n_conditions);
        fd_model_dec_pop(d, m);
    }
}

void fd_model_free_replica_set(struct fd_model_replica_set *r)
{
    if (!r)
        return;
    fd_model_free_strv(r->images, r->n_images);
    fd_model_free_strv(r->init_images, r->n_init_images);
    fd_model_free_conditions(r->conditions, r->n_conditions);
    free(r);
}

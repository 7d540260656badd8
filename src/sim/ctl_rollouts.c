/* sim/ctl_rollouts.c: the emulated Argo Rollouts canary controller
 * (rollout/canary.go, rollout/analysis.go): setWeight, pause with and
 * without a duration, step analysis; status.currentStepIndex,
 * status.canary.weights, pause conditions, phase and message; abort, retry,
 * promote and promote --full as the kubectl plugin's patches ask; the
 * ReplicaSets of each revision (rollout/sync.go createDesiredReplicaSet,
 * utils/annotations/annotations.go) scaled as the canary's weight asks. */
#include "config.h"

#include "ctl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "freightdeck/util.h"
#include "misc.h"
#include "names.h"

/* Scenario time a canary ReplicaSet takes to become available after a
 * setWeight (Argo waits for it before the next step). */
#define SCALE_MS 5000

struct fd_sim_ro_state {
    char *uid;
    char *ns;
    char *stable_image;
    char stable_hash[11];
    char current_hash[11];
    int64_t revision;
    int64_t idx_seen;     /* the step index the timers below belong to */
    int64_t step_started; /* scenario time the step began */
    bool pause_set;       /* we paused at idx_seen */
    bool aborted;
    int attempt; /* retries of this revision */
    char *abort_reason;
    bool seen;
};

static void ro_free(struct fd_sim_ro_state *s)
{
    free(s->uid);
    free(s->ns);
    free(s->stable_image);
    free(s->abort_reason);
}

void fd_sim_rollouts_free(struct fd_sim_ctl *ctl)
{
    for (size_t i = 0; i < ctl->n_ros; i++)
        ro_free(&ctl->ros[i]);
    free(ctl->ros);
    ctl->ros = NULL;
    ctl->n_ros = 0;
}

int fd_sim_canary_set_weight(const json_t *steps, int64_t index, bool aborted)
{
    if (aborted)
        return 0;
    if (index < 0 || (size_t)index >= json_array_size(steps))
        return 100;
    int w = 0;
    for (int64_t i = 0; i <= index; i++) {
        const json_t *sw = json_object_get(json_array_get(steps, (size_t)i), "setWeight");
        if (json_is_integer(sw))
            w = (int)json_integer_value(sw);
    }
    return w;
}

static const json_t *canary_of(const json_t *ro)
{
    return json_object_get(json_object_get(json_object_get(ro, "spec"), "strategy"), "canary");
}

static const char *image_of(const json_t *ro)
{
    const json_t *c = json_array_get(
        json_object_get(
            json_object_get(json_object_get(json_object_get(ro, "spec"), "template"), "spec"),
            "containers"),
        0);
    return fd_sim_str(c, "image");
}

static char *tag_of(const char *image)
{
    if (!image)
        return NULL;
    const char *slash = strrchr(image, '/');
    const char *colon = strrchr(slash ? slash : image, ':');
    return colon ? fd_xstrdup(colon + 1) : NULL;
}

static struct fd_sim_ro_state *find(struct fd_sim_ctl *ctl, const char *uid)
{
    for (size_t i = 0; i < ctl->n_ros; i++)
        if (strcmp(ctl->ros[i].uid, uid) == 0)
            return &ctl->ros[i];
    return NULL;
}

char *fd_sim_rollout_version(struct fd_sim_ctl *ctl, const char *ns, const char *name)
{
    json_t *ro = fd_sim_ctl_get(ctl, FD_SIM_RES_ROLLOUT, ns, name);
    if (!ro)
        return NULL;
    const char *uid = fd_sim_str(json_object_get(ro, "metadata"), "uid");
    struct fd_sim_ro_state *s = uid ? find(ctl, uid) : NULL;
    const json_t *st = json_object_get(ro, "status");
    bool aborted = json_is_true(json_object_get(st, "abort"));
    bool done = fd_streq(fd_sim_str(st, "stableRS"), fd_sim_str(st, "currentPodHash"));
    char *tag = tag_of((aborted || done) && s && s->stable_image ? s->stable_image : image_of(ro));
    json_decref(ro);
    return tag;
}

/* Go durations ("30s") or plain seconds (30, "30"); -1 when absent/bad. */
static int64_t pause_ms(const json_t *pause)
{
    const json_t *d = json_object_get(pause, "duration");
    if (json_is_integer(d))
        return json_integer_value(d) * 1000;
    if (!json_is_string(d))
        return -1;
    const char *s = json_string_value(d);
    char *end;
    long long secs = strtoll(s, &end, 10);
    if (*s && !*end)
        return secs * 1000;
    int64_t ms;
    char *err = NULL;
    if (fd_analysis_parse_duration(s, &ms, &err) != FD_OK) {
        free(err);
        return -1;
    }
    return ms;
}

static void set_condition(struct fd_sim_ctl *ctl, json_t *status, const char *type,
                          const char *cstatus, const char *reason, const char *message, int64_t now)
{
    json_t *conds = json_object_get(status, "conditions");
    if (!json_is_array(conds)) {
        conds = json_array();
        json_object_set_new(status, "conditions", conds);
    }
    size_t i;
    json_t *c;
    char *ts = fd_sim_clock_stamp(&ctl->clock, now);
    json_array_foreach(conds, i, c)
    {
        if (fd_streq(fd_sim_str(c, "type"), type)) {
            if (!fd_streq(fd_sim_str(c, "status"), cstatus) ||
                !fd_streq(fd_sim_str(c, "reason"), reason) ||
                !fd_streq(fd_sim_str(c, "message"), message)) {
                if (!fd_streq(fd_sim_str(c, "status"), cstatus))
                    json_object_set_new(c, "lastTransitionTime", json_string(ts));
                json_object_set_new(c, "lastUpdateTime", json_string(ts));
                json_object_set_new(c, "status", json_string(cstatus));
                json_object_set_new(c, "reason", json_string(reason));
                json_object_set_new(c, "message", json_string(message));
            }
            free(ts);
            return;
        }
    }
    json_array_append_new(conds, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "type", type, "status",
                                           cstatus, "reason", reason, "message", message,
                                           "lastTransitionTime", ts, "lastUpdateTime", ts));
    free(ts);
}

static void set_pause(struct fd_sim_ctl *ctl, json_t *status, const char *reason, int64_t now)
{
    const json_t *pc = json_object_get(status, "pauseConditions");
    if (json_array_size(pc) && fd_streq(fd_sim_str(json_array_get(pc, 0), "reason"), reason))
        return;
    char *ts = fd_sim_clock_stamp(&ctl->clock, now);
    json_object_set_new(status, "pauseConditions",
                        json_pack("[{s:s,s:s}]", "reason", reason, "startTime", ts));
    json_object_set_new(status, "controllerPause", json_true());
    free(ts);
}

static void clear_pause(json_t *status)
{
    json_object_del(status, "pauseConditions");
    json_object_del(status, "controllerPause");
}

/* Creates the step's AnalysisRun (once); returns its name (caller frees). */
static char *step_run(struct fd_sim_ctl *ctl, struct fd_sim_ro_state *s, const json_t *ro,
                      const json_t *step, int64_t idx)
{
    const char *ns = fd_sim_str(json_object_get(ro, "metadata"), "namespace");
    const char *name = fd_sim_str(json_object_get(ro, "metadata"), "name");
    char *run = s->attempt ? fd_xasprintf("%s-%s-%lld-%lld.%d", name, s->current_hash,
                                          (long long)s->revision, (long long)idx, s->attempt)
                           : fd_xasprintf("%s-%s-%lld-%lld", name, s->current_hash,
                                          (long long)s->revision, (long long)idx);
    json_t *have = fd_sim_ctl_get(ctl, FD_SIM_RES_ANALYSISRUN, ns, run);
    if (have) {
        json_decref(have);
        return run;
    }
    const json_t *analysis = json_object_get(step, "analysis");
    json_t *metrics = json_array(), *args = json_array();
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(analysis, "templates"), i, t)
    {
        bool cluster = json_is_true(json_object_get(t, "clusterScope"));
        json_t *tmpl = fd_sim_ctl_get(
            ctl, cluster ? FD_SIM_RES_CLUSTERANALYSISTEMPLATE : FD_SIM_RES_ANALYSISTEMPLATE, ns,
            fd_sim_str(t, "templateName"));
        if (!tmpl)
            continue;
        json_array_extend(metrics, json_object_get(json_object_get(tmpl, "spec"), "metrics"));
        json_t *a;
        size_t j;
        json_array_foreach(json_object_get(json_object_get(tmpl, "spec"), "args"), j, a)
        {
            /* MergeArgs: the step's value wins over the template's. */
            json_t *merged = json_deep_copy(a);
            size_t k;
            json_t *in;
            json_array_foreach(json_object_get(analysis, "args"), k, in)
            {
                if (fd_streq(fd_sim_str(in, "name"), fd_sim_str(a, "name")) &&
                    fd_sim_str(in, "value"))
                    json_object_set(merged, "value", json_object_get(in, "value"));
            }
            json_array_append_new(args, merged);
        }
        json_decref(tmpl);
    }
    char *revision = fd_xasprintf("%lld", (long long)s->revision);
    char *index = fd_xasprintf("%lld", (long long)idx);
    json_t *obj = json_pack(
        "{s:s,s:s,s:{s:s,s:s,s:{s:s,s:s,s:s},s:{s:s},s:[{s:s,s:s,s:s,s:s,s:b,s:b}]},"
        "s:{s:o,s:o}}",
        "apiVersion", "argoproj.io/v1alpha1", "kind", "AnalysisRun", "metadata", "name", run,
        "namespace", ns, "labels", "rollout-type", "Step", "step-index", index,
        "rollouts-pod-template-hash", s->current_hash, "annotations",
        "rollout.argoproj.io/revision", revision, "ownerReferences", "apiVersion",
        "argoproj.io/v1alpha1", "kind", "Rollout", "name", name, "uid", s->uid, "controller", 1,
        "blockOwnerDeletion", 1, "spec", "metrics", metrics, "args", args);
    free(revision);
    free(index);
    json_t *made = fd_sim_ctl_create(ctl, FD_SIM_RES_ANALYSISRUN, ns, obj);
    char *tag = tag_of(image_of(ro));
    if (made && tag)
        fd_sim_ctl_set_subject(ctl, ns, run, tag);
    free(tag);
    json_decref(made);
    json_decref(obj);
    return run;
}

static void terminate_run(struct fd_sim_ctl *ctl, const char *ns, const char *name)
{
    json_t *ar = name ? fd_sim_ctl_get(ctl, FD_SIM_RES_ANALYSISRUN, ns, name) : NULL;
    if (!ar)
        return;
    json_object_set_new(json_object_get(ar, "spec"), "terminate", json_true());
    fd_sim_ctl_put(ctl, FD_SIM_RES_ANALYSISRUN, ar);
    json_decref(ar);
}

/* The Warning Event Argo Rollouts records when it aborts an update, once per
 * revision (kubectl events --for rollout/NAME, the console's Events pane). */
static void abort_event(struct fd_sim_ctl *ctl, const json_t *ro, int64_t revision,
                        const char *message, int64_t now)
{
    const json_t *md = json_object_get(ro, "metadata");
    const char *ns = fd_sim_str(md, "namespace"), *name = fd_sim_str(md, "name");
    char *ev = fd_xasprintf("%s.aborted.%lld", name ? name : "rollout", (long long)revision);
    json_t *have = fd_sim_ctl_get(ctl, FD_SIM_RES_EVENT, ns, ev);
    if (!have) {
        char *ts = fd_sim_clock_stamp(&ctl->clock, now);
        json_t *e =
            json_pack("{s:s,s:s,s:{s:s,s:s},s:s,s:s,s:s,s:{s:s,s:s,s:s,s:s},s:i,s:s,s:s,"
                      "s:{s:s}}",
                      "apiVersion", "v1", "kind", "Event", "metadata", "name", ev, "namespace", ns,
                      "type", "Warning", "reason", "RolloutAborted", "message", message,
                      "involvedObject", "apiVersion", "argoproj.io/v1alpha1", "kind", "Rollout",
                      "name", name, "namespace", ns, "count", 1, "firstTimestamp", ts,
                      "lastTimestamp", ts, "source", "component", "rollouts-controller");
        json_decref(fd_sim_ctl_create(ctl, FD_SIM_RES_EVENT, ns, e));
        json_decref(e);
        free(ts);
    }
    json_decref(have);
    free(ev);
}

/* The ReplicaSet of pod-template-hash hash, as Argo Rollouts makes it
 * (rollout/sync.go createDesiredReplicaSet): named <rollout>-<hash>, the
 * template's labels plus rollouts-pod-template-hash, a controller
 * ownerReference to the Rollout, the revision and desired-replicas
 * annotations. Only the current revision's RS gets a new template (an
 * older one keeps the one it was made with). */
static json_t *new_rs(const json_t *ro, const char *uid, const char *hash, int64_t revision,
                      int64_t desired)
{
    const json_t *md = json_object_get(ro, "metadata"), *spec = json_object_get(ro, "spec");
    json_t *tmpl = json_deep_copy(json_object_get(spec, "template"));
    json_t *selector = json_deep_copy(json_object_get(spec, "selector"));
    if (!json_is_object(tmpl)) {
        json_decref(tmpl);
        tmpl = json_object();
    }
    if (!json_is_object(selector)) {
        json_decref(selector);
        selector = json_object();
    }
    json_t *tmd = json_object_get(tmpl, "metadata");
    if (!json_is_object(tmd)) {
        tmd = json_object();
        json_object_set_new(tmpl, "metadata", tmd);
    }
    json_t *labels = json_object_get(tmd, "labels");
    if (!json_is_object(labels)) {
        labels = json_object();
        json_object_set_new(tmd, "labels", labels);
    }
    json_object_set_new(labels, "rollouts-pod-template-hash", json_string(hash));
    json_t *ml = json_object_get(selector, "matchLabels");
    if (!json_is_object(ml)) {
        ml = json_object();
        json_object_set_new(selector, "matchLabels", ml);
    }
    json_object_set_new(ml, "rollouts-pod-template-hash", json_string(hash));
    char *name = fd_xasprintf("%s-%s", fd_sim_str(md, "name"), hash);
    char *rev = fd_xasprintf("%lld", (long long)revision);
    const json_t *jr = json_object_get(spec, "replicas");
    char *want = fd_xasprintf("%lld", json_is_integer(jr) ? (long long)json_integer_value(jr) : 1);
    json_t *rs = json_pack(
        "{s:s,s:s,s:{s:s,s:s,s:O,s:{s:s,s:s},s:[{s:s,s:s,s:s,s:s,s:b,s:b}]},"
        "s:{s:I,s:o,s:o}}",
        "apiVersion", "apps/v1", "kind", "ReplicaSet", "metadata", "name", name, "namespace",
        fd_sim_str(md, "namespace"), "labels", labels, "annotations",
        "rollout.argoproj.io/revision", rev, "rollout.argoproj.io/desired-replicas", want,
        "ownerReferences", "apiVersion", "argoproj.io/v1alpha1", "kind", "Rollout", "name",
        fd_sim_str(md, "name"), "uid", uid, "controller", 1, "blockOwnerDeletion", 1, "spec",
        "replicas", (json_int_t)desired, "selector", selector, "template", tmpl);
    free(name);
    free(rev);
    free(want);
    return rs;
}

/* copyRolloutAnnotationsToReplicaSet: the Rollout's annotations onto its
 * new ReplicaSet, but for annotationsToSkip. */
static void copy_annotations(const json_t *ro, json_t *ann)
{
    static const char *const skip[] = {
        "kubectl.kubernetes.io/last-applied-configuration", "rollout.argoproj.io/revision",
        "rollout.argoproj.io/revision-history", "rollout.argoproj.io/desired-replicas",
        "notified.notifications.argoproj.io"};
    const char *k;
    json_t *v;
    json_object_foreach(json_object_get(json_object_get(ro, "metadata"), "annotations"), k, v)
    {
        bool skipped = false;
        for (size_t i = 0; i < FD_ARRAY_SIZE(skip); i++)
            skipped = skipped || strcmp(k, skip[i]) == 0;
        if (!skipped && json_is_string(v))
            json_object_set(ann, k, v);
    }
}

static bool owned_by(const json_t *obj, const char *uid)
{
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(json_object_get(obj, "metadata"), "ownerReferences"), i, o)
    {
        if (fd_streq(fd_sim_str(o, "uid"), uid))
            return true;
    }
    return false;
}

/* Makes the ReplicaSets of the Rollout what the canary's state asks: the
 * current revision's scaled to current_pods, the stable one (when another)
 * to stable_pods, every other one it owns to 0; each one's status follows
 * at once (its pods are ready as soon as they are asked for). */
static void sync_replica_sets(struct fd_sim_ctl *ctl, const struct fd_sim_ro_state *s,
                              const json_t *ro, int64_t current_pods, int64_t stable_pods)
{
    const json_t *md = json_object_get(ro, "metadata");
    const char *ns = fd_sim_str(md, "namespace");
    char *cur_name = fd_xasprintf("%s-%s", fd_sim_str(md, "name"), s->current_hash);
    json_t *have = fd_sim_ctl_get(ctl, FD_SIM_RES_REPLICASET, ns, cur_name);

    if (!have || !owned_by(have, s->uid)) {
        /* None yet (or an orphan of a deleted Rollout of that name, which
         * the controller adopts): the current revision's template. */
        json_t *rs = new_rs(ro, s->uid, s->current_hash, s->revision, current_pods);
        if (have) {
            json_object_set(json_object_get(rs, "metadata"), "resourceVersion",
                            json_object_get(json_object_get(have, "metadata"), "resourceVersion"));
            fd_sim_ctl_put(ctl, FD_SIM_RES_REPLICASET, rs);
        } else {
            json_decref(fd_sim_ctl_create(ctl, FD_SIM_RES_REPLICASET, ns, rs));
        }
        json_decref(rs);
    }
    json_decref(have);
    free(cur_name);

    json_t *list = fd_sim_ctl_list(ctl, FD_SIM_RES_REPLICASET, ns);
    size_t i;
    json_t *rs;
    json_array_foreach(json_object_get(list, "items"), i, rs)
    {
        if (!owned_by(rs, s->uid))
            continue;
        json_t *rmd = json_object_get(rs, "metadata");
        const char *hash = fd_sim_str(json_object_get(rmd, "labels"), "rollouts-pod-template-hash");
        bool current = fd_streq(hash, s->current_hash);
        int64_t want = current ? current_pods : fd_streq(hash, s->stable_hash) ? stable_pods : 0;
        json_t *upd = json_deep_copy(rs);
        json_t *umd = json_object_get(upd, "metadata");
        json_object_set_new(json_object_get(upd, "spec"), "replicas", json_integer(want));
        json_t *ann = json_object_get(umd, "annotations");
        if (!json_is_object(ann)) {
            ann = json_object();
            json_object_set_new(umd, "annotations", ann);
        }
        if (current) { /* a rollback to it gives it the newest revision */
            char *rev = fd_xasprintf("%lld", (long long)s->revision);
            json_object_set_new(ann, "rollout.argoproj.io/revision", json_string(rev));
            free(rev);
            copy_annotations(ro, ann);
        }
        /* SetReplicasAnnotations: every ReplicaSet the controller scales. */
        const json_t *jr = json_object_get(json_object_get(ro, "spec"), "replicas");
        char *desired =
            fd_xasprintf("%lld", json_is_integer(jr) ? (long long)json_integer_value(jr) : 1);
        json_object_set_new(ann, "rollout.argoproj.io/desired-replicas", json_string(desired));
        free(desired);
        fd_sim_ctl_put(ctl, FD_SIM_RES_REPLICASET, upd);
        json_decref(upd);
        json_t *now_rs = fd_sim_ctl_get(ctl, FD_SIM_RES_REPLICASET, ns, fd_sim_str(rmd, "name"));
        if (now_rs) {
            json_t *st = json_pack(
                "{s:I,s:I,s:I,s:I,s:O}", "replicas", (json_int_t)want, "fullyLabeledReplicas",
                (json_int_t)want, "readyReplicas", (json_int_t)want, "availableReplicas",
                (json_int_t)want, "observedGeneration",
                json_object_get(json_object_get(now_rs, "metadata"), "generation"));
            if (!want) { /* the API server omits zero counts */
                json_object_del(st, "readyReplicas");
                json_object_del(st, "availableReplicas");
                json_object_del(st, "fullyLabeledReplicas");
            }
            fd_sim_ctl_put_status(ctl, FD_SIM_RES_REPLICASET, now_rs, st);
            json_decref(st);
            json_decref(now_rs);
        }
    }
    json_decref(list);
}

/* The Rollout's rollout.argoproj.io/revision annotation: that of its
 * current ReplicaSet (rollout/sync.go setRolloutRevision). */
static void set_revision_annotation(struct fd_sim_ctl *ctl, const json_t *ro, int64_t revision)
{
    char *rev = fd_xasprintf("%lld", (long long)revision);
    const json_t *ann = json_object_get(json_object_get(ro, "metadata"), "annotations");
    if (!fd_streq(fd_sim_str(ann, "rollout.argoproj.io/revision"), rev)) {
        json_t *upd = json_deep_copy(ro);
        json_t *umd = json_object_get(upd, "metadata");
        json_t *a = json_object_get(umd, "annotations");
        if (!json_is_object(a)) {
            a = json_object();
            json_object_set_new(umd, "annotations", a);
        }
        json_object_set_new(a, "rollout.argoproj.io/revision", json_string(rev));
        fd_sim_ctl_put(ctl, FD_SIM_RES_ROLLOUT, upd);
        json_decref(upd);
    }
    free(rev);
}

static void reconcile(struct fd_sim_ctl *ctl, const json_t *ro, int64_t now)
{
    const json_t *md = json_object_get(ro, "metadata");
    const char *uid = fd_sim_str(md, "uid"), *ns = fd_sim_str(md, "namespace");
    const json_t *canary = canary_of(ro);
    const json_t *steps = json_object_get(canary, "steps");
    int64_t nsteps = (int64_t)json_array_size(steps);
    const json_t *tmpl = json_object_get(json_object_get(ro, "spec"), "template");
    char hash[11];
    fd_sim_pod_hash(tmpl, hash);
    json_t *status = json_deep_copy(json_object_get(ro, "status"));
    if (!json_is_object(status)) {
        json_decref(status);
        status = json_object();
    }
    struct fd_sim_ro_state *s = find(ctl, uid);
    if (!s) {
        ctl->ros = fd_xreallocarray(ctl->ros, ctl->n_ros + 1, sizeof(*ctl->ros));
        s = &ctl->ros[ctl->n_ros++];
        memset(s, 0, sizeof(*s));
        s->uid = fd_xstrdup(uid);
        s->ns = fd_xstrdup(ns ? ns : "");
        s->stable_image = fd_xstrdup(image_of(ro) ? image_of(ro) : "");
        memcpy(s->stable_hash, hash, sizeof(hash));
        memcpy(s->current_hash, hash, sizeof(hash));
        /* A Rollout loaded with a revision keeps counting from it. */
        const char *rev =
            fd_sim_str(json_object_get(md, "annotations"), "rollout.argoproj.io/revision");
        s->revision = rev && atoll(rev) > 0 ? atoll(rev) : 1;
        s->idx_seen = nsteps;
        json_object_set_new(status, "currentPodHash", json_string(hash));
        json_object_set_new(status, "stableRS", json_string(hash));
        json_object_set_new(status, "currentStepIndex", json_integer(nsteps));
    }
    s->seen = true;

    /* A new template: a new revision, the steps from the start. */
    if (strcmp(hash, s->current_hash) != 0) {
        memcpy(s->current_hash, hash, sizeof(hash));
        s->revision++;
        s->attempt = 0;
        s->aborted = false;
        free(s->abort_reason);
        s->abort_reason = NULL;
        json_object_set_new(status, "currentPodHash", json_string(hash));
        json_object_del(status, "abort");
        json_object_del(status, "abortedAt");
        clear_pause(status);
        json_object_del(json_object_get(status, "canary"), "currentStepAnalysisRunStatus");
        bool rollback = strcmp(hash, s->stable_hash) == 0;
        json_object_set_new(status, "currentStepIndex", json_integer(rollback ? nsteps : 0));
        s->idx_seen = rollback ? nsteps : 0;
        s->step_started = now;
        s->pause_set = false;
    }

    const json_t *cur_run =
        json_object_get(json_object_get(status, "canary"), "currentStepAnalysisRunStatus");
    bool abort = json_is_true(json_object_get(status, "abort"));
    if (abort && !s->aborted) {
        s->aborted = true;
        char *ts = fd_sim_clock_stamp(&ctl->clock, now);
        json_object_set_new(status, "abortedAt", json_string(ts));
        free(ts);
        terminate_run(ctl, ns, fd_sim_str(cur_run, "name"));
        json_object_set_new(status, "currentStepIndex", json_integer(0));
        s->idx_seen = 0;
        clear_pause(status);
    } else if (!abort && s->aborted) {
        /* retry: the steps again from the start, a new analysis attempt. */
        s->aborted = false;
        s->attempt++;
        free(s->abort_reason);
        s->abort_reason = NULL;
        json_object_del(status, "abortedAt");
        json_object_del(json_object_get(status, "canary"), "currentStepAnalysisRunStatus");
        json_object_set_new(status, "currentStepIndex", json_integer(0));
        s->idx_seen = 0;
        s->step_started = now;
        s->pause_set = false;
    }
    if (json_is_true(json_object_get(status, "promoteFull"))) {
        json_object_del(status, "promoteFull");
        clear_pause(status);
        json_object_set_new(status, "currentStepIndex", json_integer(nsteps));
    }

    int64_t idx = json_integer_value(json_object_get(status, "currentStepIndex"));
    if (idx != s->idx_seen) { /* moved by promote (or by us last pass) */
        s->idx_seen = idx;
        s->step_started = now;
        s->pause_set = false;
    }
    if (!s->aborted) {
        while (idx < nsteps) {
            const json_t *step = json_array_get(steps, (size_t)idx);
            bool advance = false;
            if (json_object_get(step, "setWeight")) {
                advance = now - s->step_started >= SCALE_MS;
                ctl->busy = true;
                fd_sim_ctl_schedule(ctl, FD_SIM_PART_ROLLOUTS, ns);
            } else if (json_object_get(step, "pause")) {
                int64_t d = pause_ms(json_object_get(step, "pause"));
                if (s->pause_set && !json_array_size(json_object_get(status, "pauseConditions")))
                    advance = true; /* promoted */
                else if (d >= 0 && now - s->step_started >= d)
                    advance = true;
                else {
                    set_pause(ctl, status, "CanaryPauseStep", s->step_started);
                    s->pause_set = true;
                    if (d >= 0) {
                        ctl->busy = true;
                        fd_sim_ctl_schedule(ctl, FD_SIM_PART_ROLLOUTS, ns);
                    }
                }
            } else if (json_object_get(step, "analysis")) {
                char *run = step_run(ctl, s, ro, step, idx);
                json_t *ar = fd_sim_ctl_get(ctl, FD_SIM_RES_ANALYSISRUN, ns, run);
                const char *phase = fd_sim_str(json_object_get(ar, "status"), "phase");
                const char *msg = fd_sim_str(json_object_get(ar, "status"), "message");
                json_t *c = json_object_get(status, "canary");
                if (!json_is_object(c)) {
                    c = json_object();
                    json_object_set_new(status, "canary", c);
                }
                json_object_set_new(c, "currentStepAnalysisRunStatus",
                                    json_pack("{s:s,s:s}", "name", run, "status",
                                              phase && phase[0] ? phase : "Pending"));
                if (msg)
                    json_object_set_new(json_object_get(c, "currentStepAnalysisRunStatus"),
                                        "message", json_string(msg));
                if (fd_streq(phase, "Successful")) {
                    advance = true;
                } else if (fd_streq(phase, "Failed") || fd_streq(phase, "Error")) {
                    s->aborted = true;
                    free(s->abort_reason);
                    s->abort_reason = fd_xasprintf("Step-based analysis phase %s: %s",
                                                   fd_streq(phase, "Failed") ? "failed" : "error",
                                                   msg ? msg : "");
                    json_object_set_new(status, "abort", json_true());
                    char *ts = fd_sim_clock_stamp(&ctl->clock, now);
                    json_object_set_new(status, "abortedAt", json_string(ts));
                    free(ts);
                    json_object_set_new(status, "currentStepIndex", json_integer(0));
                    s->idx_seen = idx = 0;
                    clear_pause(status);
                } else if (fd_streq(phase, "Inconclusive")) {
                    set_pause(ctl, status, "InconclusiveAnalysisRun", now);
                    s->pause_set = true;
                }
                json_decref(ar);
                free(run);
            } else {
                advance = true; /* experiment, plugin...: not emulated */
            }
            if (!advance || s->aborted)
                break;
            clear_pause(status);
            idx++;
            s->idx_seen = idx;
            s->step_started = now;
            s->pause_set = false;
            json_object_set_new(status, "currentStepIndex", json_integer(idx));
        }
        if (!s->aborted && idx >= nsteps) {
            memcpy(s->stable_hash, s->current_hash, sizeof(s->stable_hash));
            free(s->stable_image);
            s->stable_image = fd_xstrdup(image_of(ro) ? image_of(ro) : "");
            json_object_set_new(status, "stableRS", json_string(s->stable_hash));
        }
    }

    /* Weights, replicas, phase and message. */
    bool aborted = s->aborted;
    int w = fd_sim_canary_set_weight(steps, idx, aborted);
    bool done = !aborted && idx >= nsteps;
    json_t *c = json_object_get(status, "canary");
    if (!json_is_object(c)) {
        c = json_object();
        json_object_set_new(status, "canary", c);
    }
    if (json_object_get(canary, "trafficRouting")) {
        const char *cs = fd_sim_str(canary, "canaryService"),
                   *ss = fd_sim_str(canary, "stableService");
        json_t *weights = json_pack("{s:{s:i,s:s},s:{s:i,s:s}}", "canary", "weight", done ? 0 : w,
                                    "podTemplateHash", s->current_hash, "stable", "weight",
                                    done ? 100 : 100 - w, "podTemplateHash", s->stable_hash);
        if (cs)
            json_object_set_new(json_object_get(weights, "canary"), "serviceName", json_string(cs));
        if (ss)
            json_object_set_new(json_object_get(weights, "stable"), "serviceName", json_string(ss));
        json_object_set_new(c, "weights", weights);
    }
    int64_t replicas = json_integer_value(json_object_get(json_object_get(ro, "spec"), "replicas"));
    if (!json_object_get(json_object_get(ro, "spec"), "replicas"))
        replicas = 1;
    int64_t updated = done ? replicas : aborted ? 0 : (int64_t)ceil((double)replicas * w / 100.0);
    json_object_set_new(status, "replicas", json_integer(replicas + (done ? 0 : updated)));
    json_object_set_new(status, "updatedReplicas", json_integer(updated));
    json_object_set_new(status, "readyReplicas", json_integer(replicas + (done ? 0 : updated)));
    json_object_set_new(status, "availableReplicas", json_integer(replicas + (done ? 0 : updated)));
    sync_replica_sets(ctl, s, ro, done ? replicas : updated, replicas);
    set_revision_annotation(ctl, ro, s->revision);
    char *gen =
        fd_xasprintf("%lld", (long long)json_integer_value(json_object_get(md, "generation")));
    json_object_set_new(status, "observedGeneration", json_string(gen));
    free(gen);
    json_object_set_new(status, "currentStepHash", json_string(s->current_hash));
    const char *phase, *message;
    char *msgbuf = NULL;
    if (aborted) {
        phase = "Degraded";
        msgbuf = s->abort_reason ? fd_xasprintf("Rollout aborted update to revision %lld: %s",
                                                (long long)s->revision, s->abort_reason)
                                 : fd_xasprintf("Rollout aborted update to revision %lld",
                                                (long long)s->revision);
        set_condition(ctl, status, "Progressing", "False", "RolloutAborted", msgbuf, now);
        abort_event(ctl, ro, s->revision, msgbuf, now);
        char *full = fd_xasprintf("RolloutAborted: %s", msgbuf);
        free(msgbuf);
        msgbuf = full;
        message = msgbuf;
    } else if (json_array_size(json_object_get(status, "pauseConditions"))) {
        phase = "Paused";
        message =
            fd_sim_str(json_array_get(json_object_get(status, "pauseConditions"), 0), "reason");
        set_condition(ctl, status, "Progressing", "Unknown", "RolloutPaused", "Rollout is paused",
                      now);
    } else if (!done) {
        phase = "Progressing";
        message = "more replicas need to be updated";
        set_condition(ctl, status, "Progressing", "True", "ReplicaSetUpdated",
                      "Rollout is progressing", now);
    } else {
        phase = "Healthy";
        message = NULL;
        set_condition(ctl, status, "Progressing", "True", "NewReplicaSetAvailable",
                      "Rollout has completed", now);
    }
    set_condition(ctl, status, "Available", "True", "AvailableReason",
                  "Rollout has minimum availability", now);
    json_object_set_new(status, "phase", json_string(phase));
    if (message)
        json_object_set_new(status, "message", json_string(message));
    else
        json_object_del(status, "message");
    fd_sim_ctl_put_status(ctl, FD_SIM_RES_ROLLOUT, ro, status);
    free(msgbuf);
    json_decref(status);
}

void fd_sim_rollouts_pass(struct fd_sim_ctl *ctl, int64_t now)
{
    struct fd_sim_nsset vis;
    fd_sim_ctl_take(ctl, FD_SIM_PART_ROLLOUTS, &vis);
    json_t *list = fd_sim_ctl_list_visit(ctl, FD_SIM_RES_ROLLOUT, &vis);
    size_t i;
    json_t *ro;
    /* The states of the namespaces not visited stay as they are. */
    for (size_t k = 0; k < ctl->n_ros; k++)
        ctl->ros[k].seen = !fd_sim_nsset_has(&vis, ctl->ros[k].ns);
    json_array_foreach(json_object_get(list, "items"), i, ro)
    {
        if (fd_sim_str(json_object_get(ro, "metadata"), "uid"))
            reconcile(ctl, ro, now);
    }
    json_decref(list);
    fd_sim_nsset_clear(&vis);
    size_t keep = 0;
    for (size_t k = 0; k < ctl->n_ros; k++) {
        if (ctl->ros[k].seen)
            ctl->ros[keep++] = ctl->ros[k];
        else
            ro_free(&ctl->ros[k]);
    }
    ctl->n_ros = keep;
}

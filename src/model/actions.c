/* model/actions.c: an action (kind + target) into the exact requests Kargo's
 * API server and kubectl-argo-rollouts send (doc/upstream.md), a description
 * of what they change, and the client-side checks, in plain words. Pure: no
 * I/O. */
#include "config.h"

#include "freightdeck/model.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define KARGO_GV "kargo.akuity.io/v1alpha1"
#define ARGO_GV  "argoproj.io/v1alpha1"
#define MERGE    "application/merge-patch+json"

static const struct {
    const char *name, *help;
    const char *verb, *group, *resource, *sub;
} actions[] = {
#define FD_MODEL_ACTION_ROW(id, name, help, verb, group, resource, sub) \
    {name, help, verb, group, resource, sub},
    FD_MODEL_ACTION_TABLE(FD_MODEL_ACTION_ROW)
#undef FD_MODEL_ACTION_ROW
};

static const char *const check_names[] = {
#define FD_MODEL_CHECK_ROW(id, text) text,
    FD_MODEL_CHECK_TABLE(FD_MODEL_CHECK_ROW)
#undef FD_MODEL_CHECK_ROW
};

const char *fd_model_action_name(enum fd_model_action_kind k)
{
    return (unsigned)k < FD_ARRAY_SIZE(actions) ? actions[k].name : "";
}

const char *fd_model_action_help(enum fd_model_action_kind k)
{
    return (unsigned)k < FD_ARRAY_SIZE(actions) ? actions[k].help : "";
}

bool fd_model_action_access(enum fd_model_action_kind k, const char **verb, const char **group,
                            const char **resource, const char **sub)
{
    if ((unsigned)k >= FD_ARRAY_SIZE(actions))
        return false;
    *verb = actions[k].verb;
    *group = actions[k].group;
    *resource = actions[k].resource;
    *sub = actions[k].sub;
    return true;
}

bool fd_model_action_parse(const char *name, enum fd_model_action_kind *out)
{
    for (size_t i = 0; name && i < FD_ARRAY_SIZE(actions); i++) {
        if (strcmp(name, actions[i].name) == 0) {
            *out = (enum fd_model_action_kind)i;
            return true;
        }
    }
    return false;
}

static const char *fd_model_check_outcome_name(enum fd_model_check_outcome o)
{
    return (unsigned)o < FD_ARRAY_SIZE(check_names) ? check_names[o] : "unknown";
}

/* ---- Building a plan ---------------------------------------------------------- */

struct builder {
    struct fd_model_action_plan *p;
    struct fd_buf desc;
    const struct fd_model_snapshot *snap;
    int64_t now;
};

static void check(struct builder *b, enum fd_model_check_outcome o, const char *detail,
                  const char *fmt, ...) FD_PRINTF(4, 5);
static void check(struct builder *b, enum fd_model_check_outcome o, const char *detail,
                  const char *fmt, ...)
{
    struct fd_model_action_plan *p = b->p;
    va_list ap;

    p->checks = fd_xreallocarray(p->checks, p->n_checks + 1, sizeof(*p->checks));
    va_start(ap, fmt);
    p->checks[p->n_checks].what = fd_xvasprintf(fmt, ap);
    va_end(ap);
    p->checks[p->n_checks].outcome = o;
    p->checks[p->n_checks].detail = fd_xstrdup(detail ? detail : "");
    p->n_checks++;
}

static void need(struct builder *b, const char *verb, const char *group, const char *resource,
                 const char *sub, const char *ns, const char *name)
{
    struct fd_model_action_plan *p = b->p;
    struct fd_model_access_need *n;

    p->access = fd_xreallocarray(p->access, p->n_access + 1, sizeof(*p->access));
    n = &p->access[p->n_access++];
    memset(n, 0, sizeof(*n));
    n->verb = fd_xstrdup(verb);
    n->group = fd_xstrdup(group);
    n->resource = fd_xstrdup(resource);
    n->subresource = sub ? fd_xstrdup(sub) : NULL;
    n->ns = ns ? fd_xstrdup(ns) : NULL;
    n->name = name ? fd_xstrdup(name) : NULL;
    n->outcome = FD_MODEL_CHECK_UNKNOWN;
    n->detail = fd_xstrdup("not reviewed yet");
}

/* The permission every plan of its kind asks first (the action table's). */
static void need_kind(struct builder *b, const char *ns, const char *name)
{
    const struct fd_model_action_plan *p = b->p;

    need(b, actions[p->kind].verb, actions[p->kind].group, actions[p->kind].resource,
         actions[p->kind].sub, ns, name);
}

/* Adds a request; takes body (a JSON value) and dumps it compactly with
 * keys in insertion order, so the text is what a reader expects. */
static void request(struct builder *b, const char *method, const char *path, const char *ctype,
                    json_t *body, const char *fallback_path, json_t *fallback_body)
{
    struct fd_model_action_plan *p = b->p;
    struct fd_model_action_request *r;

    p->requests = fd_xreallocarray(p->requests, p->n_requests + 1, sizeof(*p->requests));
    r = &p->requests[p->n_requests++];
    memset(r, 0, sizeof(*r));
    r->method = fd_xstrdup(method);
    r->path = fd_xstrdup(path);
    r->content_type = fd_xstrdup(ctype);
    r->body = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (fallback_path) {
        r->fallback_path = fd_xstrdup(fallback_path);
        r->fallback_body = json_dumps(fallback_body, JSON_COMPACT | JSON_PRESERVE_ORDER);
    }
    json_decref(body);
    json_decref(fallback_body);
}

static void rfc3339(int64_t t, char *buf, size_t size)
{
    char *s = fd_time_format_rfc3339(t * 1000, false);

    snprintf(buf, size, "%s", s);
    free(s);
}

char *fd_model_action_stamp(const char *text, int64_t now)
{
    struct fd_buf b = FD_BUF_INIT;
    const char *p = text, *hit;
    char when[40];

    if (!text)
        return NULL;
    rfc3339(now, when, sizeof(when));
    while ((hit = strstr(p, FD_MODEL_SEND_TIME))) {
        fd_buf_append(&b, p, (size_t)(hit - p));
        fd_buf_puts(&b, when);
        p = hit + strlen(FD_MODEL_SEND_TIME);
    }
    fd_buf_puts(&b, p);
    return fd_buf_steal(&b);
}

static char *obj_path(const char *gv, const char *ns, const char *plural, const char *name,
                      const char *sub)
{
    return fd_xasprintf("/apis/%s/namespaces/%s/%s/%s%s%s", gv, ns, plural, name, sub ? "/" : "",
                        sub ? sub : "");
}

/* The Freight named name, or whose alias is name, in ns. */
static const struct fd_model_object *find_freight(const struct fd_model_snapshot *snap,
                                                  const char *ns, const char *name)
{
    const struct fd_model_object *o = fd_model_snapshot_find(snap, FD_MODEL_FREIGHT, ns, name);
    size_t n;
    struct fd_model_object *const *all;

    if (o)
        return o;
    all = fd_model_snapshot_list(snap, FD_MODEL_FREIGHT, &n);
    for (size_t i = 0; i < n; i++) {
        if (!fd_streq(all[i]->meta.ns, ns))
            continue;
        const char *alias = all[i]->u.freight ? all[i]->u.freight->alias : NULL;
        if (fd_streq(alias, name) ||
            fd_streq(fd_model_label(all[i], "kargo.akuity.io/alias"), name))
            return all[i];
    }
    return NULL;
}

/* The object of kind, with a check saying whether it exists. */
static const struct fd_model_object *exists(struct builder *b, enum fd_model_kind kind,
                                            const char *ns, const char *name)
{
    const struct fd_model_object *o = kind == FD_MODEL_FREIGHT
                                          ? find_freight(b->snap, ns, name)
                                          : fd_model_snapshot_find(b->snap, kind, ns, name);

    if (o && o->undecodable) {
        check(b, FD_MODEL_CHECK_FAIL, o->error, "%s %s/%s can be read", fd_model_kind_name(kind),
              ns, name);
        return NULL;
    }
    if (o)
        check(b, FD_MODEL_CHECK_PASS, NULL, "%s %s exists in %s", fd_model_kind_name(kind), name,
              ns);
    else
        check(b, FD_MODEL_CHECK_FAIL, NULL, "%s %s exists in %s", fd_model_kind_name(kind), name,
              ns);
    return o;
}

static const char *freight_label(const struct fd_model_object *f)
{
    return f->u.freight && f->u.freight->alias ? f->u.freight->alias : "";
}

/* APPROVE and PROMOTE share the Freight/Stage checks. */
static bool freight_and_stage(struct builder *b, const struct fd_model_object **fo,
                              const struct fd_model_object **so)
{
    struct fd_model_action_plan *p = b->p;
    const struct fd_model_object *f = exists(b, FD_MODEL_FREIGHT, p->ns, p->name);
    const struct fd_model_object *s = exists(b, FD_MODEL_STAGE, p->ns, p->stage);

    *fo = f;
    *so = s;
    if (f) {
        free(p->name);
        p->name = fd_xstrdup(f->meta.name);
        /* The version too: alias and hash alone do not say what ships. */
        const struct fd_model_artifacts *art = f->u.freight ? &f->u.freight->art : NULL;
        const char *ver = NULL;
        if (art && art->n_images && art->images[0].tag)
            ver = art->images[0].tag;
        else if (art && art->n_commits && art->commits[0].tag)
            ver = art->commits[0].tag;
        else if (art && art->n_charts && art->charts[0].version)
            ver = art->charts[0].version;
        p->target = fd_xasprintf("Freight %s/%s (%s%s%s) for Stage %s", p->ns, f->meta.name,
                                 freight_label(f), *freight_label(f) && ver ? " " : "",
                                 ver ? ver : "", p->stage);
        if (!*freight_label(f) && !ver) {
            free(p->target);
            p->target = fd_xasprintf("Freight %s/%s for Stage %s", p->ns, f->meta.name, p->stage);
        }
    }
    if (!f || !s)
        return false;
    const char *wh = f->u.freight->origin.name;
    if (fd_model_stage_requests_origin(s->u.stage, wh))
        check(b, FD_MODEL_CHECK_PASS, NULL, "Stage %s requests Freight from %s/%s", p->stage,
              f->u.freight->origin.kind ? f->u.freight->origin.kind : "Warehouse", wh ? wh : "?");
    else
        check(b, FD_MODEL_CHECK_FAIL,
              "Kargo refuses Freight whose origin the Stage does not request",
              "Stage %s requests Freight from %s/%s", p->stage,
              f->u.freight->origin.kind ? f->u.freight->origin.kind : "Warehouse", wh ? wh : "?");
    return true;
}

static void plan_approve(struct builder *b)
{
    struct fd_model_action_plan *p = b->p;
    const struct fd_model_object *f, *s;
    char *path;

    need_kind(b, p->ns, NULL);
    if (freight_and_stage(b, &f, &s)) {
        if (fd_model_freight_approved_for(f->u.freight, p->stage))
            /* Said as what is true: "[warning] Freight is not yet
             * approved" read as a fact about approved Freight. */
            check(b, FD_MODEL_CHECK_WARN, "sending it again only updates approvedAt",
                  "Freight is already approved for Stage %s", p->stage);
        else
            check(b, FD_MODEL_CHECK_PASS, NULL, "Freight not approved for Stage %s yet", p->stage);
    }
    /* Kargo's API server stamps approvedAt when it handles the approval
     * (pkg/server/approve_freight_v1alpha1.go: AddApprovedStage(stage,
     * time.Now())), so the time is the one of sending, not of planning: the
     * plan says so, and the sender puts the time in (fd_model_action_stamp). */
    path = obj_path(KARGO_GV, p->ns, "freights", p->name, "status");
    request(b, "PATCH", path, MERGE,
            json_pack("{s:{s:{s:{s:s}}}}", "status", "approvedFor", p->stage, "approvedAt",
                      FD_MODEL_SEND_TIME),
            NULL, NULL);
    p->requests[p->n_requests - 1].stamped = true;
    free(path);
    fd_buf_printf(&b->desc, "Freight %s/%s: set status.approvedFor.%s.approvedAt = %s", p->ns,
                  p->name, p->stage, FD_MODEL_SEND_TIME);
}

static void plan_promote(struct builder *b)
{
    struct fd_model_action_plan *p = b->p;
    const struct fd_model_object *f, *s;
    char *path;

    need_kind(b, p->ns, NULL);
    need(b, "promote", "kargo.akuity.io", "stages", NULL, p->ns, p->stage);
    if (freight_and_stage(b, &f, &s)) {
        int64_t left = 0;
        enum fd_model_availability a = fd_model_freight_availability(s, f, b->now, &left);
        if (fd_model_availability_ok(a)) {
            check(b, FD_MODEL_CHECK_PASS, fd_model_availability_text(a),
                  "Freight is available to Stage %s", p->stage);
        } else {
            char *why = a == FD_MODEL_AVAILABLE_SOAKING
                            ? fd_xasprintf("%s: %lld s left", fd_model_availability_text(a),
                                           (long long)left)
                            : fd_xasprintf("%s (approve it for the Stage to bypass)",
                                           fd_model_availability_text(a));
            check(b, FD_MODEL_CHECK_FAIL, why, "Freight is available to Stage %s", p->stage);
            free(why);
        }
        if (fd_model_freight_currently_in(f->u.freight, p->stage))
            check(b, FD_MODEL_CHECK_WARN, "it is; promoting it again re-runs the promotion steps",
                  "Freight not in Stage %s yet", p->stage);
        else
            check(b, FD_MODEL_CHECK_PASS, NULL, "Freight not in Stage %s yet", p->stage);
    }
    path = fd_xasprintf("/apis/%s/namespaces/%s/promotions", KARGO_GV, p->ns);
    /* The minimal Promotion (api.NewMinimalPromotion): the webhook names it
     * and copies the steps from the Stage. */
    request(b, "POST", path, "application/json",
            json_pack("{s:s, s:s, s:{s:s, s:s}, s:{s:s, s:s}}", "apiVersion", KARGO_GV, "kind",
                      "Promotion", "metadata", "generateName", "promo-", "namespace", p->ns, "spec",
                      "stage", p->stage, "freight", p->name),
            NULL, NULL);
    free(path);
    fd_buf_printf(&b->desc, "create Promotion in %s: spec.stage = %s, spec.freight = %s", p->ns,
                  p->stage, p->name);
}

static bool terminal_verification(const char *phase)
{
    static const char *const done[] = {"Successful", "Failed", "Error", "Aborted", "Inconclusive"};
    for (size_t i = 0; phase && i < FD_ARRAY_SIZE(done); i++)
        if (strcmp(phase, done[i]) == 0)
            return true;
    return false;
}

/* The annotation value for reverify/abort: the ID, or the JSON request
 * form when an actor is given. */
static char *verification_value(const char *id, const char *actor)
{
    if (!actor)
        return fd_xstrdup(id);
    json_t *v = json_pack("{s:s, s:s}", "id", id, "actor", actor);
    char *text = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(v);
    return text;
}

static void annotate(struct builder *b, const char *gv, const char *plural, const char *kind,
                     const char *key, const char *value)
{
    struct fd_model_action_plan *p = b->p;
    char *path = obj_path(gv, p->ns, plural, p->name, NULL);

    request(b, "PATCH", path, MERGE,
            json_pack("{s:{s:{s:s}}}", "metadata", "annotations", key, value), NULL, NULL);
    free(path);
    fd_buf_printf(&b->desc, "%s %s/%s: set metadata.annotations[\"%s\"] = \"%s\"", kind, p->ns,
                  p->name, key, value);
}

static void plan_verification(struct builder *b, bool abort_it, const char *actor)
{
    struct fd_model_action_plan *p = b->p;
    const struct fd_model_object *s;
    const struct fd_model_freight_collection *cur;
    const struct fd_model_verification *v = NULL;

    need_kind(b, p->ns, p->name);
    p->target = fd_xasprintf("Stage %s/%s", p->ns, p->name);
    s = exists(b, FD_MODEL_STAGE, p->ns, p->name);
    if (!s)
        return;
    cur = fd_model_stage_current(s->u.stage);
    if (!cur) {
        check(b, FD_MODEL_CHECK_FAIL, "nothing was promoted to it yet",
              "Stage %s has current Freight", p->name);
        return;
    }
    if (cur->n_verifications)
        v = &cur->verifications[0];
    if (!v || !v->id) {
        check(b, FD_MODEL_CHECK_FAIL,
              s->u.stage->has_verification ? "no verification has started for the current Freight"
                                           : "the Stage has no verification configured",
              "Stage %s has a verification to %s", p->name, abort_it ? "abort" : "re-run");
        return;
    }
    bool done = terminal_verification(v->phase);
    if (abort_it) {
        if (done)
            check(b, FD_MODEL_CHECK_FAIL, NULL,
                  "a verification is running to abort (the last one, %s, is %s)", v->id, v->phase);
        else
            check(b, FD_MODEL_CHECK_PASS, NULL, "a verification is running to abort (%s, %s)",
                  v->id, v->phase && *v->phase ? v->phase : "Pending");
    } else {
        if (done)
            check(b, FD_MODEL_CHECK_PASS, NULL, "the last verification has finished (%s, %s)",
                  v->id, v->phase);
        else
            check(b, FD_MODEL_CHECK_FAIL, "abort it first, or wait for it to finish",
                  "the last verification has finished (%s is %s)", v->id,
                  v->phase && *v->phase ? v->phase : "Pending");
        if (!fd_streq(s->u.stage->health, "Healthy") && s->u.stage->health)
            check(b, FD_MODEL_CHECK_WARN, "Kargo re-verifies only a Healthy Stage",
                  "Stage %s is Healthy (it is %s)", p->name, s->u.stage->health);
    }
    char *value = verification_value(v->id, actor);
    annotate(b, KARGO_GV, "stages", "Stage",
             abort_it ? "kargo.akuity.io/abort" : "kargo.akuity.io/reverify", value);
    free(value);
}

static void plan_refresh(struct builder *b, enum fd_model_kind kind, const char *plural)
{
    struct fd_model_action_plan *p = b->p;
    char when[32];

    need_kind(b, p->ns, p->name);
    p->target = fd_xasprintf("%s %s/%s", fd_model_kind_name(kind), p->ns, p->name);
    exists(b, kind, p->ns, p->name);
    rfc3339(b->now, when, sizeof(when));
    annotate(b, KARGO_GV, plural, fd_model_kind_name(kind), "kargo.akuity.io/refresh", when);
}

static bool terminal_promotion(const char *phase)
{
    static const char *const done[] = {"Succeeded", "Failed", "Errored", "Aborted"};
    for (size_t i = 0; phase && i < FD_ARRAY_SIZE(done); i++)
        if (strcmp(phase, done[i]) == 0)
            return true;
    return false;
}

static void plan_abort_promotion(struct builder *b)
{
    struct fd_model_action_plan *p = b->p;
    const struct fd_model_object *o;

    need_kind(b, p->ns, p->name);
    p->target = fd_xasprintf("Promotion %s/%s", p->ns, p->name);
    o = exists(b, FD_MODEL_PROMOTION, p->ns, p->name);
    if (o && o->u.promotion) {
        const char *phase = o->u.promotion->phase;
        if (o->u.promotion->stage)
            need(b, "promote", "kargo.akuity.io", "stages", NULL, p->ns, o->u.promotion->stage);
        if (terminal_promotion(phase))
            check(b, FD_MODEL_CHECK_FAIL, NULL, "the Promotion is still running (it is %s)", phase);
        else
            check(b, FD_MODEL_CHECK_PASS, NULL, "the Promotion is still running (%s)",
                  phase && *phase ? phase : "Pending");
    }
    annotate(b, KARGO_GV, "promotions", "Promotion", "kargo.akuity.io/abort", "terminate");
}

/* A status merge-patch of a Rollout, falling back to the main resource on
 * 404 (no status subresource), as kubectl-argo-rollouts does. */
static void rollout_status(struct builder *b, json_t *status, json_t *unified)
{
    struct fd_model_action_plan *p = b->p;
    char *path = obj_path(ARGO_GV, p->ns, "rollouts", p->name, "status");
    char *main_path = obj_path(ARGO_GV, p->ns, "rollouts", p->name, NULL);

    request(b, "PATCH", path, MERGE, status, main_path, unified);
    free(path);
    free(main_path);
}

static void rollout_spec_unpause(struct builder *b)
{
    struct fd_model_action_plan *p = b->p;
    char *path = obj_path(ARGO_GV, p->ns, "rollouts", p->name, NULL);

    request(b, "PATCH", path, MERGE, json_pack("{s:{s:b}}", "spec", "paused", 0), NULL, NULL);
    free(path);
    if (b->desc.len)
        fd_buf_putc(&b->desc, '\n');
    fd_buf_printf(&b->desc, "Rollout %s/%s: set spec.paused = false", p->ns, p->name);
}

static void plan_rollout(struct builder *b)
{
    struct fd_model_action_plan *p = b->p;
    const struct fd_model_object *o;
    const struct fd_model_rollout *r;

    need_kind(b, p->ns, p->name);
    p->target = fd_xasprintf("Rollout %s/%s", p->ns, p->name);
    o = exists(b, FD_MODEL_ROLLOUT, p->ns, p->name);
    r = o ? o->u.rollout : NULL;
    switch (p->kind) {
    case FD_MODEL_ACTION_ROLLOUT_ABORT:
        if (r && r->abort)
            check(b, FD_MODEL_CHECK_WARN, "it is already; sending it again changes nothing",
                  "Rollout not aborted yet");
        else if (r)
            check(b, FD_MODEL_CHECK_PASS, NULL, "Rollout not aborted yet");
        rollout_status(b, json_pack("{s:{s:b}}", "status", "abort", 1),
                       json_pack("{s:{s:b}}", "status", "abort", 1));
        fd_buf_printf(&b->desc, "Rollout %s/%s: set status.abort = true", p->ns, p->name);
        break;
    case FD_MODEL_ACTION_ROLLOUT_RETRY:
        if (r && !r->abort)
            check(b, FD_MODEL_CHECK_FAIL, "only an aborted Rollout can be retried",
                  "the Rollout is aborted");
        else if (r)
            check(b, FD_MODEL_CHECK_PASS, NULL, "the Rollout is aborted");
        rollout_status(b, json_pack("{s:{s:b}}", "status", "abort", 0),
                       json_pack("{s:{s:b}}", "status", "abort", 0));
        fd_buf_printf(&b->desc, "Rollout %s/%s: set status.abort = false", p->ns, p->name);
        break;
    case FD_MODEL_ACTION_ROLLOUT_PROMOTE: {
        json_t *st;
        if (!r)
            break;
        bool inconclusive = fd_streq(r->step_run.status, "Inconclusive") &&
                            r->n_pause_conditions > 0 && r->controller_pause;
        int64_t next = (r->has_step_index ? r->step_index : 0) + 1;
        if (next > (int64_t)r->n_steps)
            next = (int64_t)r->n_steps;
        if (r->paused)
            need(b, "patch", "argoproj.io", "rollouts", NULL, p->ns, p->name);
        if (inconclusive) {
            st = json_pack("{s:{s:n, s:b, s:I}}", "status", "pauseConditions", "controllerPause", 0,
                           "currentStepIndex", (json_int_t)next);
            fd_buf_printf(&b->desc,
                          "Rollout %s/%s: set status.pauseConditions = null, "
                          "status.controllerPause = false, status.currentStepIndex = %lld",
                          p->ns, p->name, (long long)next);
        } else if (r->n_pause_conditions > 0) {
            st = json_pack("{s:{s:n}}", "status", "pauseConditions");
            fd_buf_printf(&b->desc, "Rollout %s/%s: set status.pauseConditions = null", p->ns,
                          p->name);
        } else if (r->strategy == FD_MODEL_STRATEGY_CANARY) {
            if (r->has_step_index && r->step_index >= (int64_t)r->n_steps && !r->paused)
                check(b, FD_MODEL_CHECK_FAIL, "use promote --full to finish an update",
                      "the Rollout has a step left to promote past");
            st = json_pack("{s:{s:n, s:I}}", "status", "pauseConditions", "currentStepIndex",
                           (json_int_t)next);
            fd_buf_printf(&b->desc,
                          "Rollout %s/%s: set status.pauseConditions = null, "
                          "status.currentStepIndex = %lld",
                          p->ns, p->name, (long long)next);
        } else if (r->paused) {
            st = NULL;
        } else {
            check(b, FD_MODEL_CHECK_FAIL, "nothing waits for a promotion",
                  "the Rollout is paused or at a canary step");
            break;
        }
        if (r->abort)
            check(b, FD_MODEL_CHECK_WARN, "it is aborted; retry it to resume the update",
                  "Rollout not aborted");
        if (st) {
            json_t *unified = json_deep_copy(st);
            if (r->paused)
                json_object_set_new(unified, "spec", json_pack("{s:b}", "paused", 0));
            rollout_status(b, st, unified);
        }
        if (r->paused)
            rollout_spec_unpause(b);
        break;
    }
    case FD_MODEL_ACTION_ROLLOUT_PROMOTE_FULL: {
        if (!r)
            break;
        bool behind = !fd_streq(r->current_pod_hash, r->stable_rs);
        if (r->paused) {
            need(b, "patch", "argoproj.io", "rollouts", NULL, p->ns, p->name);
            rollout_spec_unpause(b);
        }
        if (behind) {
            json_t *unified = json_pack("{s:{s:b}}", "status", "promoteFull", 1);
            if (r->paused)
                json_object_set_new(unified, "spec", json_pack("{s:b}", "paused", 0));
            rollout_status(b, json_pack("{s:{s:b}}", "status", "promoteFull", 1), unified);
            if (b->desc.len)
                fd_buf_putc(&b->desc, '\n');
            fd_buf_printf(&b->desc, "Rollout %s/%s: set status.promoteFull = true", p->ns, p->name);
        }
        if (!behind && !r->paused)
            check(b, FD_MODEL_CHECK_FAIL, "the stable version is already the desired one",
                  "the Rollout has an update to promote");
        break;
    }
    default:
        break;
    }
}

enum fd_status fd_model_action_plan(const struct fd_model_action *a,
                                    const struct fd_model_snapshot *snap, int64_t now,
                                    struct fd_model_action_plan **out, char **err)
{
    struct builder b = {0};
    struct fd_model_action_plan *p;
    bool needs_stage =
        a && (a->kind == FD_MODEL_ACTION_APPROVE || a->kind == FD_MODEL_ACTION_PROMOTE);

    *out = NULL;
    *err = NULL;
    if (!a || (unsigned)a->kind >= FD_MODEL_ACTION__COUNT) {
        *err = fd_xstrdup("unknown action");
        return FD_INVALID;
    }
    if (!a->ns || !*a->ns || !a->name || !*a->name || (needs_stage && (!a->stage || !*a->stage))) {
        *err = fd_xasprintf("%s: %s", fd_model_action_name(a->kind),
                            !a->ns || !*a->ns       ? "no namespace (project) given"
                            : !a->name || !*a->name ? "no target name given"
                                                    : "no Stage given");
        return FD_INVALID;
    }
    p = fd_xcalloc(1, sizeof(*p));
    p->kind = a->kind;
    p->ns = fd_xstrdup(a->ns);
    p->name = fd_xstrdup(a->name);
    p->stage = a->stage ? fd_xstrdup(a->stage) : NULL;
    b.p = p;
    b.snap = snap;
    b.now = now;
    switch (a->kind) {
    case FD_MODEL_ACTION_APPROVE:
        plan_approve(&b);
        break;
    case FD_MODEL_ACTION_PROMOTE:
        plan_promote(&b);
        break;
    case FD_MODEL_ACTION_REVERIFY:
    case FD_MODEL_ACTION_ABORT_VERIFICATION:
        plan_verification(&b, a->kind == FD_MODEL_ACTION_ABORT_VERIFICATION, a->actor);
        break;
    case FD_MODEL_ACTION_REFRESH_WAREHOUSE:
        plan_refresh(&b, FD_MODEL_WAREHOUSE, "warehouses");
        break;
    case FD_MODEL_ACTION_REFRESH_STAGE:
        plan_refresh(&b, FD_MODEL_STAGE, "stages");
        break;
    case FD_MODEL_ACTION_ABORT_PROMOTION:
        plan_abort_promotion(&b);
        break;
    default:
        plan_rollout(&b);
        break;
    }
    if (!p->target)
        p->target = needs_stage
                        ? fd_xasprintf("Freight %s/%s for Stage %s", p->ns, p->name, p->stage)
                        : fd_xasprintf("%s/%s", p->ns, p->name);
    p->description = fd_buf_steal(&b.desc);
    *out = p;
    return FD_OK;
}

void fd_model_action_plan_free(struct fd_model_action_plan *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n_requests; i++) {
        struct fd_model_action_request *r = &p->requests[i];
        free(r->method);
        free(r->path);
        free(r->content_type);
        free(r->body);
        free(r->fallback_path);
        free(r->fallback_body);
    }
    for (size_t i = 0; i < p->n_checks; i++) {
        free(p->checks[i].what);
        free(p->checks[i].detail);
    }
    for (size_t i = 0; i < p->n_access; i++) {
        struct fd_model_access_need *n = &p->access[i];
        free(n->verb);
        free(n->group);
        free(n->resource);
        free(n->subresource);
        free(n->ns);
        free(n->name);
        free(n->detail);
    }
    free(p->requests);
    free(p->checks);
    free(p->access);
    free(p->ns);
    free(p->name);
    free(p->stage);
    free(p->target);
    free(p->description);
    free(p);
}

/* "patch freights/status in payments" */
static char *access_words(const struct fd_model_access_need *n)
{
    return fd_xasprintf("%s %s%s%s%s%s in %s", n->verb, n->resource, n->subresource ? "/" : "",
                        n->subresource ? n->subresource : "", n->name ? " " : "",
                        n->name ? n->name : "", n->ns ? n->ns : "the cluster");
}

bool fd_model_action_blocked(const struct fd_model_action_plan *p, const char **reason)
{
    static _Thread_local char buf[512];

    for (size_t i = 0; i < p->n_checks; i++) {
        if (p->checks[i].outcome != FD_MODEL_CHECK_FAIL)
            continue;
        if (reason) {
            snprintf(buf, sizeof(buf), "check failed: %s%s%s", p->checks[i].what,
                     *p->checks[i].detail ? ": " : "", p->checks[i].detail);
            *reason = buf;
        }
        return true;
    }
    for (size_t i = 0; i < p->n_access; i++) {
        if (p->access[i].outcome != FD_MODEL_CHECK_FAIL)
            continue;
        if (reason) {
            char *w = access_words(&p->access[i]);
            snprintf(buf, sizeof(buf), "RBAC: you may not %s%s%s", w,
                     *p->access[i].detail ? ": " : "", p->access[i].detail);
            free(w);
            *reason = buf;
        }
        return true;
    }
    if (reason)
        *reason = NULL;
    return false;
}

char *fd_model_action_plan_text(const struct fd_model_action_plan *p)
{
    struct fd_buf b = FD_BUF_INIT;

    fd_buf_printf(&b, "%s: %s\n", fd_model_action_name(p->kind), p->target);
    if (p->description && *p->description)
        fd_buf_printf(&b, "Changes:\n  %s\n", p->description);
    if (p->n_requests)
        fd_buf_puts(&b, "Requests:\n");
    for (size_t i = 0; i < p->n_requests; i++) {
        const struct fd_model_action_request *r = &p->requests[i];
        fd_buf_printf(&b, "  %s %s (%s)\n    %s\n", r->method, r->path, r->content_type, r->body);
        if (r->fallback_path)
            fd_buf_printf(&b, "    on 404: %s %s\n    %s\n", r->method, r->fallback_path,
                          r->fallback_body);
    }
    fd_buf_puts(&b, "Checks:\n");
    for (size_t i = 0; i < p->n_checks; i++)
        fd_buf_printf(&b, "  [%s] %s%s%s\n", fd_model_check_outcome_name(p->checks[i].outcome),
                      p->checks[i].what, *p->checks[i].detail ? ": " : "", p->checks[i].detail);
    for (size_t i = 0; i < p->n_access; i++) {
        char *w = access_words(&p->access[i]);
        fd_buf_printf(&b, "  [%s] RBAC: you may %s%s%s\n",
                      fd_model_check_outcome_name(p->access[i].outcome), w,
                      *p->access[i].detail ? ": " : "", p->access[i].detail);
        free(w);
    }
    return fd_buf_steal(&b);
}

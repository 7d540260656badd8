/* model/kargo.c: decoders for the kargo.akuity.io kinds (Kargo's api/v1alpha1
 * types; doc/upstream.md). */
#include "config.h"

#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* ---- Stage ------------------------------------------------------------------ */
static void dec_request(struct dec *d, const json_t *e, struct fd_model_freight_request *r)
{
    const json_t *src;
    char *strategy = NULL;

    dec_origin(d, e, "origin", &r->origin);
    src = dec_obj(d, e, "sources");
    if (!src)
        return;
    size_t m = dec_push(d, "sources");
    dec_bool(d, src, "direct", &r->direct);
    r->stages = dec_str_array(d, src, "stages", &r->n_stages);
    r->has_soak = dec_duration(d, src, "requiredSoakTime", &r->required_soak);
    if (dec_str(d, src, "availabilityStrategy", &strategy) && strcmp(strategy, "All") == 0)
        r->strategy = FD_MODEL_AVAIL_ALL;
    free(strategy);
    dec_pop(d, m);
}

static void dec_template_ref(struct dec *d, const json_t *e, struct fd_model_template_ref *t)
{
    dec_str(d, e, "name", &t->name);
    dec_str(d, e, "kind", &t->kind);
}

static void dec_verification(struct dec *d, const json_t *e, struct fd_model_verification *v)
{
    const json_t *ar;

    dec_str(d, e, "id", &v->id);
    dec_str(d, e, "actor", &v->actor);
    dec_str(d, e, "phase", &v->phase);
    dec_str(d, e, "message", &v->message);
    dec_time(d, e, "startTime", &v->start);
    dec_time(d, e, "finishTime", &v->finish);
    ar = dec_obj(d, e, "analysisRun");
    if (ar) {
        size_t m = dec_push(d, "analysisRun");
        dec_str(d, ar, "namespace", &v->run.ns);
        dec_str(d, ar, "name", &v->run.name);
        dec_str(d, ar, "phase", &v->run.phase);
        dec_pop(d, m);
    }
}

static void dec_freight_ref(struct dec *d, const json_t *e, struct fd_model_freight_ref *f)
{
    dec_str(d, e, "name", &f->name);
    dec_origin(d, e, "origin", &f->origin);
    dec_artifacts(d, e, &f->art);
}

static void dec_collection(struct dec *d, const json_t *e, struct fd_model_freight_collection *c)
{
    const json_t *items;

    dec_str(d, e, "id", &c->id);
    items = dec_obj(d, e, "items");
    if (items && json_object_size(items)) {
        const char *key;
        json_t *v;
        size_t m = dec_push(d, "items"), i = 0;
        c->items = fd_xcalloc(json_object_size(items), sizeof(*c->items));
        json_object_foreach(dec_mut(items), key, v) {
            size_t mk = dec_push(d, key);
            if (dec_is_obj(d, v)) {
                c->items[i].key = fd_xstrdup(key);
                dec_freight_ref(d, v, &c->items[i]);
                i++;
            }
            dec_pop(d, mk);
        }
        c->n_items = i;
        dec_pop(d, m);
    }
    DEC_OBJ_ARRAY(d, e, "verificationHistory", c->verifications, c->n_verifications,
                  dec_verification);
}

static void dec_promotion_ref(struct dec *d, const json_t *parent, const char *key,
                              struct fd_model_promotion_ref *p)
{
    const json_t *o = dec_obj(d, parent, key), *fr, *st;

    if (!o)
        return;
    size_t m = dec_push(d, key);
    p->present = true;
    dec_str(d, o, "name", &p->name);
    fr = dec_obj(d, o, "freight");
    if (fr) {
        size_t mf = dec_push(d, "freight");
        dec_str(d, fr, "name", &p->freight);
        dec_pop(d, mf);
    }
    st = dec_obj(d, o, "status");
    if (st) {
        size_t ms = dec_push(d, "status");
        dec_str(d, st, "phase", &p->phase);
        dec_str(d, st, "message", &p->message);
        dec_pop(d, ms);
    }
    dec_time(d, o, "finishedAt", &p->finished);
    dec_pop(d, m);
}

void fd_model_decode_stage(struct dec *d, const json_t *j, struct fd_model_object *obj)
{
    struct fd_model_stage *s = fd_xcalloc(1, sizeof(*s));
    const json_t *spec = dec_obj(d, j, "spec"), *status = dec_obj(d, j, "status");

    obj->u.stage = s;
    if (spec) {
        size_t m = dec_push(d, "spec");
        const json_t *pt, *ver;
        dec_str(d, spec, "shard", &s->shard);
        DEC_OBJ_ARRAY(d, spec, "requestedFreight", s->requests, s->n_requests, dec_request);
        pt = dec_obj(d, spec, "promotionTemplate");
        if (pt) {
            size_t mp = dec_push(d, "promotionTemplate");
            const json_t *pts = dec_obj(d, pt, "spec");
            if (pts) {
                size_t mps = dec_push(d, "spec");
                const json_t *steps = dec_arr(d, pts, "steps");
                s->n_promotion_steps = steps ? json_array_size(steps) : 0;
                dec_pop(d, mps);
            }
            dec_pop(d, mp);
        }
        ver = dec_obj(d, spec, "verification");
        if (ver) {
            size_t mv = dec_push(d, "verification");
            s->has_verification = true;
            DEC_OBJ_ARRAY(d, ver, "analysisTemplates", s->templates, s->n_templates,
                          dec_template_ref);
            dec_pop(d, mv);
        }
        dec_pop(d, m);
    }
    if (status) {
        size_t m = dec_push(d, "status");
        const json_t *health;
        s->conditions = dec_conditions(d, status, &s->n_conditions);
        DEC_OBJ_ARRAY(d, status, "freightHistory", s->history, s->n_history, dec_collection);
        dec_str(d, status, "freightSummary", &s->freight_summary);
        health = dec_obj(d, status, "health");
        if (health) {
            size_t mh = dec_push(d, "health");
            dec_str(d, health, "status", &s->health);
            s->health_issues = dec_str_array(d, health, "issues", &s->n_health_issues);
            dec_pop(d, mh);
        }
        dec_promotion_ref(d, status, "currentPromotion", &s->current_promotion);
        dec_promotion_ref(d, status, "lastPromotion", &s->last_promotion);
        dec_str(d, status, "lastHandledRefresh", &s->last_handled_refresh);
        dec_int(d, status, "observedGeneration", &s->observed_generation);
        dec_bool(d, status, "autoPromotionEnabled", &s->auto_promotion_enabled);
        dec_pop(d, m);
    }
}

static void free_promotion_ref(struct fd_model_promotion_ref *p)
{
    free(p->name);
    free(p->freight);
    free(p->phase);
    free(p->message);
}

void fd_model_free_stage(struct fd_model_stage *s)
{
    if (!s)
        return;
    free(s->shard);
    for (size_t i = 0; i < s->n_requests; i++) {
        fd_model_free_origin(&s->requests[i].origin);
        fd_model_free_strv(s->requests[i].stages, s->requests[i].n_stages);
    }
    free(s->requests);
    for (size_t i = 0; i < s->n_templates; i++) {
        free(s->templates[i].name);
        free(s->templates[i].kind);
    }
    free(s->templates);
    fd_model_free_conditions(s->conditions, s->n_conditions);
    for (size_t i = 0; i < s->n_history; i++) {
        struct fd_model_freight_collection *c = &s->history[i];
        free(c->id);
        for (size_t k = 0; k < c->n_items; k++) {
            free(c->items[k].key);
            free(c->items[k].name);
            fd_model_free_origin(&c->items[k].origin);
            fd_model_free_artifacts(&c->items[k].art);
        }
        free(c->items);
        for (size_t k = 0; k < c->n_verifications; k++) {
            struct fd_model_verification *v = &c->verifications[k];
            free(v->id);
            free(v->actor);
            free(v->phase);
            free(v->message);
            free(v->run.ns);
            free(v->run.name);
            free(v->run.phase);
        }
        free(c->verifications);
    }
    free(s->history);
    free(s->freight_summary);
    free(s->health);
    fd_model_free_strv(s->health_issues, s->n_health_issues);
    free_promotion_ref(&s->current_promotion);
    free_promotion_ref(&s->last_promotion);
    free(s->last_handled_refresh);
    free(s);
}

/* ---- Freight ------------------------------------------------------------------ */
/* A map stage → {time field, longestSoak}. */
static struct fd_model_stage_mark *dec_marks(struct dec *d, const json_t *status, const char *key,
                                             const char *time_key, size_t *n)
{
    const json_t *map = dec_obj(d, status, key);
    struct fd_model_stage_mark *marks;
    const char *stage;
    json_t *v;
    size_t i = 0;

    *n = 0;
    if (!map || !json_object_size(map))
        return NULL;
    size_t m = dec_push(d, key);
    marks = fd_xcalloc(json_object_size(map), sizeof(*marks));
    json_object_foreach(dec_mut(map), stage, v) {
        size_t ms = dec_push(d, stage);
        /* {} and null both mean "present, no details". */
        if (json_is_null(v) || dec_is_obj(d, v)) {
            marks[i].stage = fd_xstrdup(stage);
            dec_time(d, v, time_key, &marks[i].at);
            if (strcmp(key, "verifiedIn") == 0)
                marks[i].has_longest_soak =
                    dec_duration(d, v, "longestSoak", &marks[i].longest_soak);
            i++;
        }
        dec_pop(d, ms);
    }
    dec_pop(d, m);
    *n = i;
    return marks;
}

void fd_model_decode_freight(struct dec *d, const json_t *j, struct fd_model_object *obj)
{
    struct fd_model_freight *f = fd_xcalloc(1, sizeof(*f));
    const json_t *status = dec_obj(d, j, "status");

    obj->u.freight = f;
    dec_str(d, j, "alias", &f->alias);
    dec_time(d, j, "discoveredAt", &f->discovered);
    dec_origin(d, j, "origin", &f->origin);
    dec_artifacts(d, j, &f->art);
    if (status) {
        size_t m = dec_push(d, "status");
        f->currently_in = dec_marks(d, status, "currentlyIn", "since", &f->n_currently_in);
        f->verified_in = dec_marks(d, status, "verifiedIn", "verifiedAt", &f->n_verified_in);
        f->approved_for = dec_marks(d, status, "approvedFor", "approvedAt", &f->n_approved_for);
        dec_pop(d, m);
    }
}

static void free_marks(struct fd_model_stage_mark *m, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(m[i].stage);
    free(m);
}

void fd_model_free_freight(struct fd_model_freight *f)
{
    if (!f)
        return;
    free(f->alias);
    fd_model_free_origin(&f->origin);
    fd_model_free_artifacts(&f->art);
    free_marks(f->currently_in, f->n_currently_in);
    free_marks(f->verified_in, f->n_verified_in);
    free_marks(f->approved_for, f->n_approved_for);
    free(f);
}

/* ---- Warehouse ------------------------------------------------------------------ */
static void dec_subscription(struct dec *d, const json_t *e, struct fd_model_subscription *s)
{
    const char *key;
    json_t *v;

    /* Exactly one key: git | image | chart | a generic subscription. */
    json_object_foreach(dec_mut(e), key, v) {
        if (json_is_null(v))
            continue;
        size_t m = dec_push(d, key);
        if (dec_is_obj(d, v)) {
            s->type = fd_xstrdup(key);
            dec_str(d, v, "repoURL", &s->repo_url);
            dec_str(d, v, "name", &s->name);
        }
        dec_pop(d, m);
        break;
    }
}

void fd_model_decode_warehouse(struct dec *d, const json_t *j, struct fd_model_object *obj)
{
    struct fd_model_warehouse *w = fd_xcalloc(1, sizeof(*w));
    const json_t *spec = dec_obj(d, j, "spec"), *status = dec_obj(d, j, "status");

    obj->u.warehouse = w;
    if (spec) {
        size_t m = dec_push(d, "spec");
        dec_str(d, spec, "shard", &w->shard);
        dec_str(d, spec, "interval", &w->interval);
        dec_str(d, spec, "freightCreationPolicy", &w->freight_creation_policy);
        DEC_OBJ_ARRAY(d, spec, "subscriptions", w->subscriptions, w->n_subscriptions,
                      dec_subscription);
        dec_pop(d, m);
    }
    if (status) {
        size_t m = dec_push(d, "status");
        w->conditions = dec_conditions(d, status, &w->n_conditions);
        dec_str(d, status, "lastFreightID", &w->last_freight_id);
        dec_str(d, status, "lastHandledRefresh", &w->last_handled_refresh);
        dec_int(d, status, "observedGeneration", &w->observed_generation);
        dec_pop(d, m);
    }
}

void fd_model_free_warehouse(struct fd_model_warehouse *w)
{
    if (!w)
        return;
    free(w->shard);
    free(w->interval);
    free(w->freight_creation_policy);
    for (size_t i = 0; i < w->n_subscriptions; i++) {
        free(w->subscriptions[i].type);
        free(w->subscriptions[i].repo_url);
        free(w->subscriptions[i].name);
    }
    free(w->subscriptions);
    fd_model_free_conditions(w->conditions, w->n_conditions);
    free(w->last_freight_id);
    free(w->last_handled_refresh);
    free(w);
}

/* ---- Promotion ------------------------------------------------------------------ */
static void dec_step_status(struct dec *d, const json_t *e, struct fd_model_step_status *s)
{
    dec_str(d, e, "alias", &s->alias);
    dec_str(d, e, "status", &s->status);
    dec_str(d, e, "message", &s->message);
    dec_time(d, e, "startedAt", &s->started);
    dec_time(d, e, "finishedAt", &s->finished);
    dec_int(d, e, "errorCount", &s->error_count);
}

void fd_model_decode_promotion(struct dec *d, const json_t *j, struct fd_model_object *obj)
{
    struct fd_model_promotion *p = fd_xcalloc(1, sizeof(*p));
    const json_t *spec = dec_obj(d, j, "spec"), *status = dec_obj(d, j, "status");

    obj->u.promotion = p;
    if (spec) {
        size_t m = dec_push(d, "spec");
        const json_t *steps = dec_arr(d, spec, "steps");
        dec_str(d, spec, "stage", &p->stage);
        dec_str(d, spec, "freight", &p->freight);
        if (steps && json_array_size(steps)) {
            size_t ms = dec_push(d, "steps"), n = json_array_size(steps);
            p->step_aliases = fd_xcalloc(n, sizeof(char *));
            p->step_uses = fd_xcalloc(n, sizeof(char *));
            p->n_steps = n;
            for (size_t i = 0; i < n; i++) {
                const json_t *st = json_array_get(steps, i);
                size_t mi = dec_push_index(d, i);
                if (dec_is_obj(d, st)) {
                    const json_t *task = dec_obj(d, st, "task");
                    dec_str(d, st, "as", &p->step_aliases[i]);
                    if (!dec_str(d, st, "uses", &p->step_uses[i]) && task) {
                        char *tn = NULL;
                        size_t mt = dec_push(d, "task");
                        if (dec_str(d, task, "name", &tn))
                            p->step_uses[i] = fd_xasprintf("task:%s", tn);
                        free(tn);
                        dec_pop(d, mt);
                    }
                }
                dec_pop(d, mi);
            }
            dec_pop(d, ms);
        }
        dec_pop(d, m);
    }
    if (status) {
        size_t m = dec_push(d, "status");
        const json_t *fr = dec_obj(d, status, "freight");
        dec_str(d, status, "phase", &p->phase);
        dec_str(d, status, "message", &p->message);
        dec_time(d, status, "startedAt", &p->started);
        dec_time(d, status, "finishedAt", &p->finished);
        p->has_current_step = dec_int(d, status, "currentStep", &p->current_step);
        if (fr && !p->freight) {
            size_t mf = dec_push(d, "freight");
            dec_str(d, fr, "name", &p->freight);
            dec_pop(d, mf);
        }
        DEC_OBJ_ARRAY(d, status, "stepExecutionMetadata", p->step_status, p->n_step_status,
                      dec_step_status);
        dec_pop(d, m);
    }
}

void fd_model_free_promotion(struct fd_model_promotion *p)
{
    if (!p)
        return;
    free(p->stage);
    free(p->freight);
    fd_model_free_strv(p->step_aliases, p->n_steps);
    fd_model_free_strv(p->step_uses, p->n_steps);
    free(p->phase);
    free(p->message);
    for (size_t i = 0; i < p->n_step_status; i++) {
        free(p->step_status[i].alias);
        free(p->step_status[i].status);
        free(p->step_status[i].message);
    }
    free(p->step_status);
    free(p);
}

/* ---- Project / ProjectConfig --------------------------------------------------- */
static void dec_stats(struct dec *d, const json_t *stats, const char *key, int64_t *count,
                      int64_t *healthy)
{
    const json_t *o = dec_obj(d, stats, key), *h;

    if (!o)
        return;
    size_t m = dec_push(d, key);
    dec_int(d, o, "count", count);
    h = dec_obj(d, o, "health");
    if (h) {
        size_t mh = dec_push(d, "health");
        dec_int(d, h, "healthy", healthy);
        dec_pop(d, mh);
    }
    dec_pop(d, m);
}

void fd_model_decode_project(struct dec *d, const json_t *j, struct fd_model_object *obj)
{
    struct fd_model_project *p = fd_xcalloc(1, sizeof(*p));
    const json_t *status = dec_obj(d, j, "status");

    obj->u.project = p;
    if (status) {
        size_t m = dec_push(d, "status");
        const json_t *stats = dec_obj(d, status, "stats");
        p->conditions = dec_conditions(d, status, &p->n_conditions);
        if (stats) {
            size_t ms = dec_push(d, "stats");
            dec_stats(d, stats, "stages", &p->stages, &p->stages_healthy);
            dec_stats(d, stats, "warehouses", &p->warehouses, &p->warehouses_healthy);
            dec_pop(d, ms);
        }
        dec_pop(d, m);
    }
}

void fd_model_free_project(struct fd_model_project *p)
{
    if (!p)
        return;
    fd_model_free_conditions(p->conditions, p->n_conditions);
    free(p);
}

static void dec_policy(struct dec *d, const json_t *e, struct fd_model_promotion_policy *p)
{
    const json_t *sel = dec_obj(d, e, "stageSelector");

    dec_str(d, e, "stage", &p->stage);
    dec_bool(d, e, "autoPromotionEnabled", &p->auto_promotion_enabled);
    if (sel) {
        size_t m = dec_push(d, "stageSelector");
        dec_str(d, sel, "name", &p->selector_name);
        dec_pop(d, m);
    }
}

void fd_model_decode_project_config(struct dec *d, const json_t *j, struct fd_model_object *obj)
{
    struct fd_model_project_config *c = fd_xcalloc(1, sizeof(*c));
    const json_t *spec = dec_obj(d, j, "spec");

    obj->u.project_config = c;
    if (spec) {
        size_t m = dec_push(d, "spec");
        DEC_OBJ_ARRAY(d, spec, "promotionPolicies", c->policies, c->n_policies, dec_policy);
        dec_pop(d, m);
    }
}

void fd_model_free_project_config(struct fd_model_project_config *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_policies; i++) {
        free(c->policies[i].stage);
        free(c->policies[i].selector_name);
    }
    free(c->policies);
    free(c);
}

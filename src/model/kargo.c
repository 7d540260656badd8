/* model/kargo.c: decoders for the kargo.akuity.io kinds (Kargo's api/v1alpha1
 * types; doc/upstream.md). */
#include "config.h"

#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* ---- Stage ------------------------------------------------------------------ */
static void dec_request(struct fd_model_dec *d, const json_t *e, struct fd_model_freight_request *r)
{
    const json_t *src;
    char *strategy = NULL;

    fd_model_dec_origin(d, e, "origin", &r->origin);
    src = fd_model_dec_obj(d, e, "sources");
    if (!src)
        return;
    size_t m = fd_model_dec_push(d, "sources");
    fd_model_dec_bool(d, src, "direct", &r->direct);
    r->stages = fd_model_dec_str_array(d, src, "stages", &r->n_stages);
    r->has_soak = fd_model_dec_duration(d, src, "requiredSoakTime", &r->required_soak);
    if (fd_model_dec_str(d, src, "availabilityStrategy", &strategy) && strcmp(strategy, "All") == 0)
        r->strategy = FD_MODEL_AVAIL_ALL;
    free(strategy);
    fd_model_dec_pop(d, m);
}

static void dec_template_ref(struct fd_model_dec *d, const json_t *e,
                             struct fd_model_template_ref *t)
{
    fd_model_dec_str(d, e, "name", &t->name);
    fd_model_dec_str(d, e, "kind", &t->kind);
}

static void dec_verification(struct fd_model_dec *d, const json_t *e,
                             struct fd_model_verification *v)
{
    const json_t *ar;

    fd_model_dec_str(d, e, "id", &v->id);
    fd_model_dec_str(d, e, "actor", &v->actor);
    fd_model_dec_str(d, e, "phase", &v->phase);
    fd_model_dec_str(d, e, "message", &v->message);
    fd_model_dec_time(d, e, "startTime", &v->start);
    fd_model_dec_time(d, e, "finishTime", &v->finish);
    ar = fd_model_dec_obj(d, e, "analysisRun");
    if (ar) {
        size_t m = fd_model_dec_push(d, "analysisRun");
        fd_model_dec_str(d, ar, "namespace", &v->run.ns);
        fd_model_dec_str(d, ar, "name", &v->run.name);
        fd_model_dec_str(d, ar, "phase", &v->run.phase);
        fd_model_dec_pop(d, m);
    }
}

static void dec_freight_ref(struct fd_model_dec *d, const json_t *e, struct fd_model_freight_ref *f)
{
    fd_model_dec_str(d, e, "name", &f->name);
    fd_model_dec_origin(d, e, "origin", &f->origin);
    fd_model_dec_artifacts(d, e, &f->art);
}

static void dec_collection(struct fd_model_dec *d, const json_t *e,
                           struct fd_model_freight_collection *c)
{
    const json_t *items;

    fd_model_dec_str(d, e, "id", &c->id);
    items = fd_model_dec_obj(d, e, "items");
    if (items && json_object_size(items)) {
        const char *key;
        json_t *v;
        size_t m = fd_model_dec_push(d, "items"), i = 0;
        c->items = fd_xcalloc(json_object_size(items), sizeof(*c->items));
        json_object_foreach(dec_mut(items), key, v)
        {
            size_t mk = fd_model_dec_push(d, key);
            if (fd_model_dec_is_obj(d, v)) {
                c->items[i].key = fd_xstrdup(key);
                dec_freight_ref(d, v, &c->items[i]);
                i++;
            }
            fd_model_dec_pop(d, mk);
        }
        c->n_items = i;
        fd_model_dec_pop(d, m);
    }
    DEC_OBJ_ARRAY(d, e, "verificationHistory", c->verifications, c->n_verifications,
                  dec_verification);
}

static void dec_promotion_ref(struct fd_model_dec *d, const json_t *parent, const char *key,
                              struct fd_model_promotion_ref *p)
{
    const json_t *o = fd_model_dec_obj(d, parent, key), *fr, *st;

    if (!o)
        return;
    size_t m = fd_model_dec_push(d, key);
    p->present = true;
    fd_model_dec_str(d, o, "name", &p->name);
    fr = fd_model_dec_obj(d, o, "freight");
    if (fr) {
        size_t mf = fd_model_dec_push(d, "freight");
        fd_model_dec_str(d, fr, "name", &p->freight);
        fd_model_dec_pop(d, mf);
    }
    st = fd_model_dec_obj(d, o, "status");
    if (st) {
        size_t ms = fd_model_dec_push(d, "status");
        fd_model_dec_str(d, st, "phase", &p->phase);
        fd_model_dec_str(d, st, "message", &p->message);
        fd_model_dec_pop(d, ms);
    }
    fd_model_dec_time(d, o, "finishedAt", &p->finished);
    fd_model_dec_pop(d, m);
}

void fd_model_decode_stage(struct fd_model_dec *d, const json_t *j, struct fd_model_object *obj)
{
    struct fd_model_stage *s = fd_xcalloc(1, sizeof(*s));
    const json_t *spec = fd_model_dec_obj(d, j, "spec"), *status = fd_model_dec_obj(d, j, "status");

    obj->u.stage = s;
    if (spec) {
        size_t m = fd_model_dec_push(d, "spec");
        const json_t *pt, *ver;
        fd_model_dec_str(d, spec, "shard", &s->shard);
        DEC_OBJ_ARRAY(d, spec, "requestedFreight", s->requests, s->n_requests, dec_request);
        pt = fd_model_dec_obj(d, spec, "promotionTemplate");
        if (pt) {
            size_t mp = fd_model_dec_push(d, "promotionTemplate");
            const json_t *pts = fd_model_dec_obj(d, pt, "spec");
            if (pts) {
                size_t mps = fd_model_dec_push(d, "spec");
                const json_t *steps = fd_model_dec_arr(d, pts, "steps");
                s->n_promotion_steps = steps ? json_array_size(steps) : 0;
                fd_model_dec_pop(d, mps);
            }
            fd_model_dec_pop(d, mp);
        }
        ver = fd_model_dec_obj(d, spec, "verification");
        if (ver) {
            size_t mv = fd_model_dec_push(d, "verification");
            s->has_verification = true;
            DEC_OBJ_ARRAY(d, ver, "analysisTemplates", s->templates, s->n_templates,
                          dec_template_ref);
            fd_model_dec_pop(d, mv);
        }
        fd_model_dec_pop(d, m);
    }
    if (status) {
        size_t m = fd_model_dec_push(d, "status");
        const json_t *health;
        s->conditions = fd_model_dec_conditions(d, status, &s->n_conditions);
        DEC_OBJ_ARRAY(d, status, "freightHistory", s->history, s->n_history, dec_collection);
        fd_model_dec_str(d, status, "freightSummary", &s->freight_summary);
        health = fd_model_dec_obj(d, status, "health");
        if (health) {
            size_t mh = fd_model_dec_push(d, "health");
            fd_model_dec_str(d, health, "status", &s->health);
            s->health_issues = fd_model_dec_str_array(d, health, "issues", &s->n_health_issues);
            fd_model_dec_pop(d, mh);
        }
        dec_promotion_ref(d, status, "currentPromotion", &s->current_promotion);
        dec_promotion_ref(d, status, "lastPromotion", &s->last_promotion);
        fd_model_dec_str(d, status, "lastHandledRefresh", &s->last_handled_refresh);
        fd_model_dec_int(d, status, "observedGeneration", &s->observed_generation);
        fd_model_dec_bool(d, status, "autoPromotionEnabled", &s->auto_promotion_enabled);
        fd_model_dec_pop(d, m);
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
static struct fd_model_stage_mark *dec_marks(struct fd_model_dec *d, const json_t *status,
                                             const char *key, const char *time_key, size_t *n)
{
    const json_t *map = fd_model_dec_obj(d, status, key);
    struct fd_model_stage_mark *marks;
    const char *stage;
    json_t *v;
    size_t i = 0;

    *n = 0;
    if (!map || !json_object_size(map))
        return NULL;
    size_t m = fd_model_dec_push(d, key);
    marks = fd_xcalloc(json_object_size(map), sizeof(*marks));
    json_object_foreach(dec_mut(map), stage, v)
    {
        size_t ms = fd_model_dec_push(d, stage);
        /* {} and null both mean "present, no details". */
        if (json_is_null(v) || fd_model_dec_is_obj(d, v)) {
            marks[i].stage = fd_xstrdup(stage);
            fd_model_dec_time(d, v, time_key, &marks[i].at);
            if (strcmp(key, "verifiedIn") == 0)
                marks[i].has_longest_soak =
                    fd_model_dec_duration(d, v, "longestSoak", &marks[i].longest_soak);
            i++;
        }
        fd_model_dec_pop(d, ms);
    }
    fd_model_dec_pop(d, m);
    *n = i;
    return marks;
}

void fd_model_decode_freight(struct fd_model_dec *d, const json_t *j, struct fd_model_object *obj)
{
    struct fd_model_freight *f = fd_xcalloc(1, sizeof(*f));
    const json_t *status = fd_model_dec_obj(d, j, "status");

    obj->u.freight = f;
    fd_model_dec_str(d, j, "alias", &f->alias);
    fd_model_dec_time(d, j, "discoveredAt", &f->discovered);
    fd_model_dec_origin(d, j, "origin", &f->origin);
    fd_model_dec_artifacts(d, j, &f->art);
    if (status) {
        size_t m = fd_model_dec_push(d, "status");
        f->currently_in = dec_marks(d, status, "currentlyIn", "since", &f->n_currently_in);
        f->verified_in = dec_marks(d, status, "verifiedIn", "verifiedAt", &f->n_verified_in);
        f->approved_for = dec_marks(d, status, "approvedFor", "approvedAt", &f->n_approved_for);
        fd_model_dec_pop(d, m);
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
static void dec_subscription(struct fd_model_dec *d, const json_t *e,
                             struct fd_model_subscription *s)
{
    const char *key;
    json_t *v;

    /* Exactly one key: git | image | chart | a generic subscription. */
    json_object_foreach(dec_mut(e), key, v)
    {
        if (json_is_null(v))
            continue;
        size_t m = fd_model_dec_push(d, key);
        if (fd_model_dec_is_obj(d, v)) {
            s->type = fd_xstrdup(key);
            fd_model_dec_str(d, v, "repoURL", &s->repo_url);
            fd_model_dec_str(d, v, "name", &s->name);
        }
        fd_model_dec_pop(d, m);
        break;
    }
}

void fd_model_decode_warehouse(struct fd_model_dec *d, const json_t *j, struct fd_model_object *obj)
{
    struct fd_model_warehouse *w = fd_xcalloc(1, sizeof(*w));
    const json_t *spec = fd_model_dec_obj(d, j, "spec"), *status = fd_model_dec_obj(d, j, "status");

    obj->u.warehouse = w;
    if (spec) {
        size_t m = fd_model_dec_push(d, "spec");
        fd_model_dec_str(d, spec, "shard", &w->shard);
        fd_model_dec_str(d, spec, "interval", &w->interval);
        fd_model_dec_str(d, spec, "freightCreationPolicy", &w->freight_creation_policy);
        DEC_OBJ_ARRAY(d, spec, "subscriptions", w->subscriptions, w->n_subscriptions,
                      dec_subscription);
        fd_model_dec_pop(d, m);
    }
    if (status) {
        size_t m = fd_model_dec_push(d, "status");
        w->conditions = fd_model_dec_conditions(d, status, &w->n_conditions);
        fd_model_dec_str(d, status, "lastFreightID", &w->last_freight_id);
        fd_model_dec_str(d, status, "lastHandledRefresh", &w->last_handled_refresh);
        fd_model_dec_int(d, status, "observedGeneration", &w->observed_generation);
        fd_model_dec_pop(d, m);
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
static void dec_step_status(struct fd_model_dec *d, const json_t *e, struct fd_model_step_status *s)
{
    fd_model_dec_str(d, e, "alias", &s->alias);
    fd_model_dec_str(d, e, "status", &s->status);
    fd_model_dec_str(d, e, "message", &s->message);
    fd_model_dec_time(d, e, "startedAt", &s->started);
    fd_model_dec_time(d, e, "finishedAt", &s->finished);
    fd_model_dec_int(d, e, "errorCount", &s->error_count);
}

void fd_model_decode_promotion(struct fd_model_dec *d, const json_t *j, struct fd_model_object *obj)
{
    struct fd_model_promotion *p = fd_xcalloc(1, sizeof(*p));
    const json_t *spec = fd_model_dec_obj(d, j, "spec"), *status = fd_model_dec_obj(d, j, "status");

    obj->u.promotion = p;
    if (spec) {
        size_t m = fd_model_dec_push(d, "spec");
        const json_t *steps = fd_model_dec_arr(d, spec, "steps");
        fd_model_dec_str(d, spec, "stage", &p->stage);
        fd_model_dec_str(d, spec, "freight", &p->freight);
        if (steps && json_array_size(steps)) {
            size_t ms = fd_model_dec_push(d, "steps"), n = json_array_size(steps);
            p->step_aliases = fd_xcalloc(n, sizeof(char *));
            p->step_uses = fd_xcalloc(n, sizeof(char *));
            p->n_steps = n;
            for (size_t i = 0; i < n; i++) {
                const json_t *st = json_array_get(steps, i);
                size_t mi = fd_model_dec_push_index(d, i);
                if (fd_model_dec_is_obj(d, st)) {
                    const json_t *task = fd_model_dec_obj(d, st, "task");
                    fd_model_dec_str(d, st, "as", &p->step_aliases[i]);
                    if (!fd_model_dec_str(d, st, "uses", &p->step_uses[i]) && task) {
                        char *tn = NULL;
                        size_t mt = fd_model_dec_push(d, "task");
                        if (fd_model_dec_str(d, task, "name", &tn))
                            p->step_uses[i] = fd_xasprintf("task:%s", tn);
                        free(tn);
                        fd_model_dec_pop(d, mt);
                    }
                }
                fd_model_dec_pop(d, mi);
            }
            fd_model_dec_pop(d, ms);
        }
        fd_model_dec_pop(d, m);
    }
    if (status) {
        size_t m = fd_model_dec_push(d, "status");
        const json_t *fr = fd_model_dec_obj(d, status, "freight");
        fd_model_dec_str(d, status, "phase", &p->phase);
        fd_model_dec_str(d, status, "message", &p->message);
        fd_model_dec_time(d, status, "startedAt", &p->started);
        fd_model_dec_time(d, status, "finishedAt", &p->finished);
        p->has_current_step = fd_model_dec_int(d, status, "currentStep", &p->current_step);
        if (fr && !p->freight) {
            size_t mf = fd_model_dec_push(d, "freight");
            fd_model_dec_str(d, fr, "name", &p->freight);
            fd_model_dec_pop(d, mf);
        }
        DEC_OBJ_ARRAY(d, status, "stepExecutionMetadata", p->step_status, p->n_step_status,
                      dec_step_status);
        fd_model_dec_pop(d, m);
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
static void dec_stats(struct fd_model_dec *d, const json_t *stats, const char *key, int64_t *count,
                      int64_t *healthy)
{
    const json_t *o = fd_model_dec_obj(d, stats, key), *h;

    if (!o)
        return;
    size_t m = fd_model_dec_push(d, key);
    fd_model_dec_int(d, o, "count", count);
    h = fd_model_dec_obj(d, o, "health");
    if (h) {
        size_t mh = fd_model_dec_push(d, "health");
        fd_model_dec_int(d, h, "healthy", healthy);
        fd_model_dec_pop(d, mh);
    }
    fd_model_dec_pop(d, m);
}

void fd_model_decode_project(struct fd_model_dec *d, const json_t *j, struct fd_model_object *obj)
{
    struct fd_model_project *p = fd_xcalloc(1, sizeof(*p));
    const json_t *status = fd_model_dec_obj(d, j, "status");

    obj->u.project = p;
    if (status) {
        size_t m = fd_model_dec_push(d, "status");
        const json_t *stats = fd_model_dec_obj(d, status, "stats");
        p->conditions = fd_model_dec_conditions(d, status, &p->n_conditions);
        if (stats) {
            size_t ms = fd_model_dec_push(d, "stats");
            dec_stats(d, stats, "stages", &p->stages, &p->stages_healthy);
            dec_stats(d, stats, "warehouses", &p->warehouses, &p->warehouses_healthy);
            fd_model_dec_pop(d, ms);
        }
        fd_model_dec_pop(d, m);
    }
}

void fd_model_free_project(struct fd_model_project *p)
{
    if (!p)
        return;
    fd_model_free_conditions(p->conditions, p->n_conditions);
    free(p);
}

static void dec_policy(struct fd_model_dec *d, const json_t *e, struct fd_model_promotion_policy *p)
{
    const json_t *sel = fd_model_dec_obj(d, e, "stageSelector");

    fd_model_dec_str(d, e, "stage", &p->stage);
    fd_model_dec_bool(d, e, "autoPromotionEnabled", &p->auto_promotion_enabled);
    if (sel) {
        size_t m = fd_model_dec_push(d, "stageSelector");
        fd_model_dec_str(d, sel, "name", &p->selector_name);
        fd_model_dec_pop(d, m);
    }
}

void fd_model_decode_project_config(struct fd_model_dec *d, const json_t *j,
                                    struct fd_model_object *obj)
{
    struct fd_model_project_config *c = fd_xcalloc(1, sizeof(*c));
    const json_t *spec = fd_model_dec_obj(d, j, "spec");

    obj->u.project_config = c;
    if (spec) {
        size_t m = fd_model_dec_push(d, "spec");
        DEC_OBJ_ARRAY(d, spec, "promotionPolicies", c->policies, c->n_policies, dec_policy);
        fd_model_dec_pop(d, m);
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

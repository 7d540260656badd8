/* model/stage.c: what Kargo and its UI derive from a Stage and its Freight. */
#include "config.h"

#include "freightdeck/model.h"

#include <stdlib.h>
#include <string.h>

static const char *const phase_names[] = {
#define FD_MODEL_STAGE_PHASE_ROW(id, text) text,
    FD_MODEL_STAGE_PHASE_TABLE(FD_MODEL_STAGE_PHASE_ROW)
#undef FD_MODEL_STAGE_PHASE_ROW
};

const char *fd_model_stage_phase_name(enum fd_model_stage_phase phase)
{
    return (unsigned)phase < FD_ARRAY_SIZE(phase_names) ? phase_names[phase] : "Unknown";
}

/* The condition of that type, or NULL. Borrowed. */
static const struct fd_model_condition *fd_model_stage_condition(const struct fd_model_stage *stage,
                                                                 const char *type)
{
    for (size_t i = 0; stage && i < stage->n_conditions; i++)
        if (fd_streq(stage->conditions[i].type, type))
            return &stage->conditions[i];
    return NULL;
}

/* hasCondition(type, status) with the UI's "reason !== 'NoFreight'" rider. */
static bool active(const struct fd_model_stage *s, const char *type, const char *status)
{
    const struct fd_model_condition *c = fd_model_stage_condition(s, type);

    return c && fd_streq(c->status, status) && !fd_streq(c->reason, "NoFreight");
}

enum fd_model_stage_phase fd_model_stage_phase(const struct fd_model_stage *stage,
                                               bool controller_alive)
{
    if (!controller_alive)
        return FD_MODEL_STAGE_FAILED;
    if (!stage)
        return FD_MODEL_STAGE_UNKNOWN;
    if (active(stage, "Promoting", "True"))
        return FD_MODEL_STAGE_PROMOTING;
    if (active(stage, "Verified", "Unknown"))
        return FD_MODEL_STAGE_VERIFYING;
    if (active(stage, "Reconciling", "True"))
        return FD_MODEL_STAGE_RECONCILING;
    if (active(stage, "Ready", "False"))
        return FD_MODEL_STAGE_FAILED;
    if (active(stage, "Ready", "True"))
        return FD_MODEL_STAGE_READY;
    return FD_MODEL_STAGE_UNKNOWN;
}

const struct fd_model_freight_collection *fd_model_stage_current(const struct fd_model_stage *stage)
{
    return stage && stage->n_history ? &stage->history[0] : NULL;
}

const char *fd_model_stage_verification_phase(const struct fd_model_stage *stage)
{
    const struct fd_model_freight_collection *c = fd_model_stage_current(stage);

    if (!c || !c->n_verifications)
        return NULL;
    return c->verifications[0].phase && *c->verifications[0].phase ? c->verifications[0].phase
                                                                   : "Pending";
}

const struct fd_model_freight_ref *
fd_model_stage_current_freight(const struct fd_model_stage *stage, const char *warehouse)
{
    const struct fd_model_freight_collection *c = fd_model_stage_current(stage);

    for (size_t i = 0; c && i < c->n_items; i++) {
        const struct fd_model_freight_ref *f = &c->items[i];
        if (!warehouse || (fd_streq(f->origin.name, warehouse) &&
                           (!f->origin.kind || fd_streq(f->origin.kind, "Warehouse"))))
            return f;
    }
    return NULL;
}

static bool origin_is(const struct fd_model_origin *o, const char *warehouse)
{
    return fd_streq(o->name, warehouse) && (!o->kind || fd_streq(o->kind, "Warehouse"));
}

bool fd_model_stage_requests_origin(const struct fd_model_stage *stage, const char *warehouse)
{
    for (size_t i = 0; stage && i < stage->n_requests; i++)
        if (origin_is(&stage->requests[i].origin, warehouse))
            return true;
    return false;
}

const struct fd_model_object *fd_model_verification_run(const struct fd_model_snapshot *snap,
                                                        const struct fd_model_object *stage,
                                                        const struct fd_model_verification *v,
                                                        const char *collection_id)
{
    const struct fd_model_object *best = NULL;
    struct fd_model_object *const *runs;
    size_t n;

    if (v && v->run.name) {
        const struct fd_model_object *o = fd_model_snapshot_find(
            snap, FD_MODEL_ANALYSIS_RUN, v->run.ns ? v->run.ns : stage->meta.ns, v->run.name);
        if (o)
            return o;
    }
    if (!collection_id)
        return NULL;
    /* findExistingAnalysisRun's selector. Kargo hash-shortens stage names
     * over 63 characters in the label and then keeps the full name in the
     * kargo.akuity.io/stage annotation. */
    runs = fd_model_snapshot_list(snap, FD_MODEL_ANALYSIS_RUN, &n);
    for (size_t i = 0; i < n; i++) {
        const struct fd_model_object *r = runs[i];
        const char *sl = fd_model_label(r, "kargo.akuity.io/stage");
        const char *sa = fd_model_annotation(r, "kargo.akuity.io/stage");
        if (!fd_streq(r->meta.ns, stage->meta.ns) ||
            !fd_streq(fd_model_label(r, "kargo.akuity.io/freight-collection"), collection_id))
            continue;
        if (!fd_streq(sl, stage->meta.name) && !fd_streq(sa, stage->meta.name))
            continue;
        if (!best || r->meta.created > best->meta.created ||
            (r->meta.created == best->meta.created && strcmp(r->meta.name, best->meta.name) > 0))
            best = r;
    }
    return best;
}

bool fd_model_stage_auto_promotion(const struct fd_model_snapshot *snap,
                                   const struct fd_model_object *stage)
{
    struct fd_model_object *const *cfgs;
    size_t n;

    if (stage->u.stage && stage->u.stage->auto_promotion_enabled)
        return true;
    cfgs = fd_model_snapshot_list(snap, FD_MODEL_PROJECT_CONFIG, &n);
    for (size_t i = 0; i < n; i++) {
        const struct fd_model_project_config *c = cfgs[i]->u.project_config;
        if (!c || !fd_streq(cfgs[i]->meta.ns, stage->meta.ns))
            continue;
        for (size_t k = 0; k < c->n_policies; k++) {
            const struct fd_model_promotion_policy *p = &c->policies[k];
            if (p->auto_promotion_enabled && (fd_streq(p->stage, stage->meta.name) ||
                                              fd_streq(p->selector_name, stage->meta.name)))
                return true;
        }
    }
    return false;
}

/* ---- Freight ------------------------------------------------------------------- */
static const struct fd_model_stage_mark *mark_find(const struct fd_model_stage_mark *m, size_t n,
                                                   const char *stage)
{
    for (size_t i = 0; i < n; i++)
        if (fd_streq(m[i].stage, stage))
            return &m[i];
    return NULL;
}

const struct fd_model_stage_mark *fd_model_freight_currently_in(const struct fd_model_freight *f,
                                                                const char *stage)
{
    return f ? mark_find(f->currently_in, f->n_currently_in, stage) : NULL;
}

const struct fd_model_stage_mark *fd_model_freight_verified_in(const struct fd_model_freight *f,
                                                               const char *stage)
{
    return f ? mark_find(f->verified_in, f->n_verified_in, stage) : NULL;
}

const struct fd_model_stage_mark *fd_model_freight_approved_for(const struct fd_model_freight *f,
                                                                const char *stage)
{
    return f ? mark_find(f->approved_for, f->n_approved_for, stage) : NULL;
}

int64_t fd_model_freight_discovered_at(const struct fd_model_object *freight)
{
    const struct fd_model_freight *f = freight->undecodable ? NULL : freight->u.freight;

    return f && f->discovered ? f->discovered : freight->meta.created;
}

int fd_model_freight_newest_first(const void *a, const void *b)
{
    const struct fd_model_object *x = *(const struct fd_model_object *const *)a;
    const struct fd_model_object *y = *(const struct fd_model_object *const *)b;
    int64_t tx = fd_model_freight_discovered_at(x), ty = fd_model_freight_discovered_at(y);

    if (tx != ty)
        return tx > ty ? -1 : 1;
    return -strcmp(x->meta.name, y->meta.name);
}

int64_t fd_model_freight_longest_soak(const struct fd_model_freight *f, const char *stage,
                                      int64_t now)
{
    const struct fd_model_stage_mark *v = fd_model_freight_verified_in(f, stage), *c;
    int64_t longest = 0;

    if (!v)
        return 0;
    if (v->has_longest_soak)
        longest = v->longest_soak;
    c = fd_model_freight_currently_in(f, stage);
    if (c && c->at && now - c->at > longest)
        longest = now - c->at;
    return longest;
}

static const struct {
    bool ok;
    const char *text;
} availability[] = {
#define FD_MODEL_AVAILABILITY_ROW(id, ok, text) {ok, text},
    FD_MODEL_AVAILABILITY_TABLE(FD_MODEL_AVAILABILITY_ROW)
#undef FD_MODEL_AVAILABILITY_ROW
};

bool fd_model_availability_ok(enum fd_model_availability a)
{
    return (unsigned)a < FD_ARRAY_SIZE(availability) && availability[a].ok;
}

const char *fd_model_availability_text(enum fd_model_availability a)
{
    return (unsigned)a < FD_ARRAY_SIZE(availability) ? availability[a].text : "unknown";
}

/* One request's upstream rule: OneOf needs one upstream Stage where the
 * Freight is verified and soaked; All needs every one of them. Returns
 * VERIFIED_UPSTREAM, SOAKING (with the least time left) or NOT_VERIFIED. */
static enum fd_model_availability upstream(const struct fd_model_freight_request *r,
                                           const struct fd_model_freight *f, int64_t now,
                                           int64_t *left)
{
    int64_t best_left = -1, worst_left = 0;
    bool any_verified = false, all_verified = r->n_stages > 0;

    for (size_t i = 0; i < r->n_stages; i++) {
        if (!fd_model_freight_verified_in(f, r->stages[i])) {
            all_verified = false;
            continue;
        }
        any_verified = true;
        int64_t l = 0;
        if (r->has_soak) {
            int64_t soak = fd_model_freight_longest_soak(f, r->stages[i], now);
            l = soak >= r->required_soak ? 0 : r->required_soak - soak;
        }
        if (best_left < 0 || l < best_left)
            best_left = l;
        if (l > worst_left)
            worst_left = l;
    }
    if (r->strategy == FD_MODEL_AVAIL_ALL) {
        if (!all_verified)
            return FD_MODEL_AVAILABLE_NOT_VERIFIED_UPSTREAM;
        *left = worst_left;
    } else {
        if (!any_verified)
            return FD_MODEL_AVAILABLE_NOT_VERIFIED_UPSTREAM;
        *left = best_left;
    }
    return *left > 0 ? FD_MODEL_AVAILABLE_SOAKING : FD_MODEL_AVAILABLE_VERIFIED_UPSTREAM;
}

enum fd_model_availability fd_model_freight_availability(const struct fd_model_object *stage,
                                                         const struct fd_model_object *freight,
                                                         int64_t now, int64_t *soak_left)
{
    const struct fd_model_stage *s = stage->u.stage;
    const struct fd_model_freight *f = freight->u.freight;
    enum fd_model_availability best = FD_MODEL_AVAILABLE_ORIGIN_NOT_REQUESTED;
    int64_t best_left = 0;

    if (soak_left)
        *soak_left = 0;
    if (!fd_streq(stage->meta.ns, freight->meta.ns))
        return FD_MODEL_AVAILABLE_OTHER_PROJECT;
    if (fd_model_freight_approved_for(f, stage->meta.name))
        return FD_MODEL_AVAILABLE_APPROVED;
    for (size_t i = 0; s && f && i < s->n_requests; i++) {
        const struct fd_model_freight_request *r = &s->requests[i];
        if (!origin_is(&r->origin, f->origin.name))
            continue;
        if (r->direct)
            return FD_MODEL_AVAILABLE_DIRECT;
        int64_t left = 0;
        enum fd_model_availability a = upstream(r, f, now, &left);
        if (a == FD_MODEL_AVAILABLE_VERIFIED_UPSTREAM)
            return a;
        /* Keep the most hopeful answer: soaking beats not verified. */
        if (a == FD_MODEL_AVAILABLE_SOAKING &&
            (best != FD_MODEL_AVAILABLE_SOAKING || left < best_left)) {
            best = a;
            best_left = left;
        } else if (best == FD_MODEL_AVAILABLE_ORIGIN_NOT_REQUESTED) {
            best = a;
        }
    }
    if (soak_left && best == FD_MODEL_AVAILABLE_SOAKING)
        *soak_left = best_left;
    return best;
}

/* sim/ctl_kargo.c: the emulated Kargo controllers: Warehouses discover the
 * scenario's versions and make Freight; Promotions run their steps and move
 * Freight into Stages; Stages track health from their Rollout, verify
 * Freight with AnalysisRuns, honour reverify/abort/refresh annotations,
 * auto-promote where the ProjectConfig allows, and summarise conditions
 * (pkg/controller/{warehouses,promotions,stages}). */
#include "config.h"

#include "ctl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "freightdeck/expr.h"
#include "freightdeck/util.h"
#include "misc.h"
#include "names.h"

#define ANN_REFRESH  "kargo.akuity.io/refresh"
#define ANN_REVERIFY "kargo.akuity.io/reverify"
#define ANN_ABORT    "kargo.akuity.io/abort"
#define HISTORY_MAX  10

struct fd_sim_promo_state {
    char *key; /* ns/name */
    int64_t step_started;
    int64_t step;
    bool seen;
};

static const char *sget(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static const char *mget(const json_t *o, const char *k)
{
    return sget(json_object_get(o, "metadata"), k);
}

static const char *annotation(const json_t *o, const char *k)
{
    return sget(json_object_get(json_object_get(o, "metadata"), "annotations"), k);
}

/* obj[key] as an object, created when missing. */
static json_t *child(json_t *obj, const char *key)
{
    json_t *c = json_object_get(obj, key);
    if (!json_is_object(c)) {
        c = json_object();
        json_object_set_new(obj, key, c);
    }
    return c;
}

static json_t *status_copy(const json_t *obj)
{
    json_t *st = json_deep_copy(json_object_get(obj, "status"));
    if (!json_is_object(st)) {
        json_decref(st);
        st = json_object();
    }
    return st;
}

void fd_sim_kargo_free(struct fd_sim_ctl *ctl)
{
    for (size_t i = 0; i < ctl->n_promos; i++)
        free(ctl->promos[i].key);
    free(ctl->promos);
    ctl->promos = NULL;
    ctl->n_promos = 0;
}

static void ack_refresh(const json_t *obj, json_t *status)
{
    const char *token = annotation(obj, ANN_REFRESH);
    if (token)
        json_object_set_new(status, "lastHandledRefresh", json_string(token));
}

static void set_condition(struct fd_sim_ctl *ctl, json_t *status, const char *type,
                          const char *cstatus, const char *reason, const char *message, int64_t gen,
                          int64_t now)
{
    json_t *conds = json_object_get(status, "conditions");
    if (!json_is_array(conds)) {
        conds = json_array();
        json_object_set_new(status, "conditions", conds);
    }
    size_t i;
    json_t *c, *found = NULL;
    json_array_foreach(conds, i, c)
    {
        if (fd_streq(sget(c, "type"), type)) {
            found = c;
            break;
        }
    }
    c = found;
    if (!c) {
        c = json_object();
        json_object_set_new(c, "type", json_string(type));
        json_array_append_new(conds, c);
    }
    if (!fd_streq(sget(c, "status"), cstatus)) {
        char *ts = fd_sim_clock_stamp(&ctl->clock, now);
        json_object_set_new(c, "lastTransitionTime", json_string(ts));
        free(ts);
    }
    json_object_set_new(c, "status", json_string(cstatus));
    json_object_set_new(c, "reason", json_string(reason));
    json_object_set_new(c, "message", json_string(message ? message : ""));
    json_object_set_new(c, "observedGeneration", json_integer(gen));
}

static void del_condition(json_t *status, const char *type)
{
    json_t *conds = json_object_get(status, "conditions");
    size_t i;
    json_t *c;
    json_array_foreach(conds, i, c)
    {
        if (fd_streq(sget(c, "type"), type)) {
            json_array_remove(conds, i);
            return;
        }
    }
}

static const char *condition_status(const json_t *status, const char *type, const json_t **cond)
{
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(status, "conditions"), i, c)
    {
        if (fd_streq(sget(c, "type"), type)) {
            if (cond)
                *cond = c;
            return sget(c, "status");
        }
    }
    return NULL;
}

/* ---- Warehouses ------------------------------------------------------------ */

static void make_freight(struct fd_sim_ctl *ctl, const struct fd_sim_arrival *a, int64_t now)
{
    char hex[41], digest[80];
    char *seed = fd_xasprintf("%s:%s", a->repo, a->tag);
    fd_sim_sha1_hex(seed, strlen(seed), hex);
    free(seed);
    snprintf(digest, sizeof(digest), "sha256:%s%.24s", hex, hex);
    char *ts = fd_sim_clock_stamp(&ctl->clock, now);
    json_t *f = json_pack("{s:s,s:s,s:{s:s},s:{s:s,s:s},s:[{s:s,s:s,s:s}],s:s}", "apiVersion",
                          "kargo.akuity.io/v1alpha1", "kind", "Freight", "metadata", "namespace",
                          a->ns, "origin", "kind", "Warehouse", "name", a->warehouse, "images",
                          "repoURL", a->repo, "tag", a->tag, "digest", digest, "discoveredAt", ts);
    char *id = fd_sim_freight_id(f);
    json_object_set_new(json_object_get(f, "metadata"), "name", json_string(id));
    /* An alias no other Freight in the namespace has. */
    char *alias = NULL;
    for (uint64_t n = 0; n < 64; n++) {
        alias = fd_sim_alias(strtoull(id + 24, NULL, 16) + n * 1000003u);
        json_t *list = fd_sim_ctl_list(ctl, FD_SIM_RES_FREIGHT, a->ns);
        bool taken = false;
        size_t i;
        json_t *it;
        json_array_foreach(json_object_get(list, "items"), i, it)
        {
            if (fd_streq(sget(it, "alias"), alias))
                taken = true;
        }
        json_decref(list);
        if (!taken)
            break;
        free(alias);
        alias = NULL;
    }
    if (alias) {
        json_object_set_new(f, "alias", json_string(alias));
        json_object_set_new(json_object_get(f, "metadata"), "labels",
                            json_pack("{s:s}", "kargo.akuity.io/alias", alias));
    }
    json_t *made = fd_sim_ctl_create(ctl, FD_SIM_RES_FREIGHT, a->ns, f);
    json_decref(made);

    json_t *wh = fd_sim_ctl_get(ctl, FD_SIM_RES_WAREHOUSE, a->ns, a->warehouse);
    if (wh) {
        json_t *st = status_copy(wh);
        json_object_set_new(st, "lastFreightID", json_string(id));
        json_t *disc = child(st, "discoveredArtifacts");
        json_object_set_new(disc, "discoveredAt", json_string(ts));
        json_t *imgs = json_object_get(disc, "images");
        if (!json_is_array(imgs)) {
            imgs = json_pack("[{s:s,s:[]}]", "repoURL", a->repo, "references");
            json_object_set_new(disc, "images", imgs);
        }
        json_t *refs = json_object_get(json_array_get(imgs, 0), "references");
        json_array_insert_new(
            refs, 0, json_pack("{s:s,s:s,s:s}", "tag", a->tag, "digest", digest, "createdAt", ts));
        fd_sim_ctl_put_status(ctl, FD_SIM_RES_WAREHOUSE, wh, st);
        json_decref(st);
        json_decref(wh);
    }
    free(alias);
    free(id);
    free(ts);
    json_decref(f);
}

static void warehouses(struct fd_sim_ctl *ctl, int64_t now)
{
    int64_t elapsed = now - ctl->clock.wall0;
    while (ctl->next_arrival < ctl->sc->n_arrivals &&
           ctl->sc->arrivals[ctl->next_arrival].at_ms <= elapsed)
        make_freight(ctl, &ctl->sc->arrivals[ctl->next_arrival++], now);
    if (ctl->next_arrival < ctl->sc->n_arrivals)
        ctl->busy = true;

    json_t *list = fd_sim_ctl_list(ctl, FD_SIM_RES_WAREHOUSE, NULL);
    size_t i;
    json_t *wh;
    json_array_foreach(json_object_get(list, "items"), i, wh)
    {
        json_t *st = status_copy(wh);
        int64_t gen =
            json_integer_value(json_object_get(json_object_get(wh, "metadata"), "generation"));
        ack_refresh(wh, st);
        json_object_set_new(st, "observedGeneration", json_integer(gen));
        set_condition(ctl, st, "Ready", "True", "ArtifactsDiscovered", "Artifacts discovered", gen,
                      now);
        set_condition(ctl, st, "Healthy", "True", "Healthy", "Warehouse is healthy", gen, now);
        fd_sim_ctl_put_status(ctl, FD_SIM_RES_WAREHOUSE, wh, st);
        json_decref(st);
    }
    json_decref(list);
}

/* ---- Promotions ------------------------------------------------------------ */

static int64_t step_ms(const char *uses)
{
    static const struct {
        const char *uses;
        int64_t ms;
    } table[] = {
        {"git-clone", 4000},   {"git-commit", 1000},
        {"git-push", 3000},    {"argocd-update", 10000},
        {"git-open-pr", 3000}, {"git-wait-for-pr", 20000},
        {"http", 2000},        {"kustomize-set-image", 1000},
        {"yaml-update", 1000}, {"helm-update-chart", 2000},
    };
    for (size_t i = 0; uses && i < sizeof(table) / sizeof(*table); i++)
        if (strcmp(table[i].uses, uses) == 0)
            return table[i].ms;
    return 2000;
}

static struct fd_sim_promo_state *promo_state(struct fd_sim_ctl *ctl, const json_t *p)
{
    char *key = fd_xasprintf("%s/%s", mget(p, "namespace"), mget(p, "name"));
    for (size_t i = 0; i < ctl->n_promos; i++) {
        if (strcmp(ctl->promos[i].key, key) == 0) {
            free(key);
            return &ctl->promos[i];
        }
    }
    ctl->promos = fd_xreallocarray(ctl->promos, ctl->n_promos + 1, sizeof(*ctl->promos));
    struct fd_sim_promo_state *s = &ctl->promos[ctl->n_promos++];
    memset(s, 0, sizeof(*s));
    s->key = key;
    return s;
}

static json_t *freight_ref(const json_t *freight)
{
    json_t *ref = json_pack("{s:s,s:O}", "name", mget(freight, "name"), "origin",
                            json_object_get(freight, "origin"));
    static const char *const kinds[] = {"commits", "images", "charts"};
    for (size_t i = 0; i < 3; i++)
        if (json_object_get(freight, kinds[i]))
            json_object_set(ref, kinds[i], json_object_get(freight, kinds[i]));
    return ref;
}

static char *collection_id(const char *freight_name)
{
    char hex[41];
    fd_sim_sha1_hex(freight_name, strlen(freight_name), hex);
    return fd_xstrdup(hex);
}

/* The Promotion succeeded: the Freight is now the Stage's, and its image
 * goes to the Stage's Rollout. */
static void land(struct fd_sim_ctl *ctl, const json_t *promo, json_t *pstatus, int64_t now)
{
    const char *ns = mget(promo, "namespace");
    const json_t *spec = json_object_get(promo, "spec");
    const char *sname = sget(spec, "stage");
    json_t *stage = fd_sim_ctl_get(ctl, FD_SIM_RES_STAGE, ns, sname);
    json_t *freight = fd_sim_ctl_get(ctl, FD_SIM_RES_FREIGHT, ns, sget(spec, "freight"));
    if (!stage || !freight) {
        json_decref(stage);
        json_decref(freight);
        return;
    }
    char *ts = fd_sim_clock_stamp(&ctl->clock, now);
    json_t *st = status_copy(stage);
    json_t *hist = json_object_get(st, "freightHistory");
    if (!json_is_array(hist)) {
        hist = json_array();
        json_object_set_new(st, "freightHistory", hist);
    }
    /* The Freight it replaces leaves the Stage. */
    const json_t *prev_items = json_object_get(json_array_get(hist, 0), "items");
    const char *pk;
    json_t *pv;
    json_object_foreach(fd_sim_mut(prev_items), pk, pv)
    {
        json_t *old = fd_sim_ctl_get(ctl, FD_SIM_RES_FREIGHT, ns, sget(pv, "name"));
        if (old && !fd_streq(mget(old, "name"), mget(freight, "name"))) {
            json_t *ost = status_copy(old);
            json_object_del(json_object_get(ost, "currentlyIn"), sname);
            fd_sim_ctl_put_status(ctl, FD_SIM_RES_FREIGHT, old, ost);
            json_decref(ost);
        }
        json_decref(old);
    }
    char *okey = fd_xasprintf("%s/%s", sget(json_object_get(freight, "origin"), "kind"),
                              sget(json_object_get(freight, "origin"), "name"));
    char *cid = collection_id(mget(freight, "name"));
    json_t *coll = json_pack("{s:s,s:{s:o}}", "id", cid, "items", okey, freight_ref(freight));
    json_object_set_new(pstatus, "freightCollection", json_deep_copy(coll));
    json_array_insert_new(hist, 0, coll);
    while (json_array_size(hist) > HISTORY_MAX)
        json_array_remove(hist, HISTORY_MAX);
    json_object_set_new(st, "lastPromotion",
                        json_pack("{s:s,s:o,s:O,s:s}", "name", mget(promo, "name"), "freight",
                                  freight_ref(freight), "status", pstatus, "finishedAt", ts));
    json_object_del(st, "currentPromotion");
    fd_sim_ctl_put_status(ctl, FD_SIM_RES_STAGE, stage, st);
    json_decref(st);

    json_t *fst = status_copy(freight);
    json_object_set_new(child(fst, "currentlyIn"), sname, json_pack("{s:s}", "since", ts));
    fd_sim_ctl_put_status(ctl, FD_SIM_RES_FREIGHT, freight, fst);
    json_decref(fst);

    const struct fd_sim_binding *b = fd_sim_scenario_binding(ctl->sc, ns, sname, NULL, NULL);
    const json_t *img = json_array_get(json_object_get(freight, "images"), 0);
    if (b && b->rollout && img) {
        json_t *ro = fd_sim_ctl_get(ctl, FD_SIM_RES_ROLLOUT, b->ns, b->rollout);
        json_t *c = json_array_get(
            json_object_get(
                json_object_get(json_object_get(json_object_get(ro, "spec"), "template"), "spec"),
                "containers"),
            0);
        if (c) {
            char *image = fd_xasprintf("%s:%s", sget(img, "repoURL"), sget(img, "tag"));
            json_object_set_new(c, "image", json_string(image));
            free(image);
            fd_sim_ctl_put(ctl, FD_SIM_RES_ROLLOUT, ro);
        }
        json_decref(ro);
    }
    free(okey);
    free(cid);
    free(ts);
    json_decref(stage);
    json_decref(freight);
}

static void step_meta(json_t *st, const json_t *steps, int64_t i, const char *ts)
{
    json_t *meta = json_object_get(st, "stepExecutionMetadata");
    if (!json_is_array(meta)) {
        meta = json_array();
        json_object_set_new(st, "stepExecutionMetadata", meta);
    }
    const json_t *step = json_array_get(steps, (size_t)i);
    char *alias =
        sget(step, "as") ? fd_xstrdup(sget(step, "as")) : fd_xasprintf("step-%lld", (long long)i);
    json_array_append_new(
        meta, json_pack("{s:s,s:s,s:s}", "alias", alias, "startedAt", ts, "status", "Running"));
    free(alias);
}

static void run_promotion(struct fd_sim_ctl *ctl, const json_t *p, int64_t now)
{
    struct fd_sim_promo_state *s = promo_state(ctl, p);
    s->seen = true;
    json_t *st = status_copy(p);
    const char *phase = sget(st, "phase");
    const json_t *steps = json_object_get(json_object_get(p, "spec"), "steps");
    int64_t nsteps = (int64_t)json_array_size(steps);
    char *ts = fd_sim_clock_stamp(&ctl->clock, now);
    ack_refresh(p, st);

    const char *abort = annotation(p, ANN_ABORT);
    if (abort && !fd_streq(phase, "Succeeded") && !fd_streq(phase, "Failed") &&
        !fd_streq(phase, "Errored") && !fd_streq(phase, "Aborted")) {
        json_object_set_new(st, "phase", json_string("Aborted"));
        json_object_set_new(st, "message", json_string("Promotion aborted by user"));
        json_object_set_new(st, "finishedAt", json_string(ts));
        json_t *meta =
            json_array_get(json_object_get(st, "stepExecutionMetadata"), (size_t)s->step);
        if (meta) {
            json_object_set_new(meta, "status", json_string("Aborted"));
            json_object_set_new(meta, "finishedAt", json_string(ts));
        }
    } else if (fd_streq(phase, "Running")) {
        int64_t i = json_integer_value(json_object_get(st, "currentStep"));
        ctl->busy = true;
        if (s->step_started == 0) { /* picked up after a restart */
            s->step_started = now;
            s->step = i;
        }
        while (i < nsteps &&
               now - s->step_started >= step_ms(sget(json_array_get(steps, (size_t)i), "uses"))) {
            json_t *meta = json_array_get(json_object_get(st, "stepExecutionMetadata"), (size_t)i);
            if (meta) {
                json_object_set_new(meta, "status", json_string("Succeeded"));
                json_object_set_new(meta, "finishedAt", json_string(ts));
            }
            s->step_started += step_ms(sget(json_array_get(steps, (size_t)i), "uses"));
            i++;
            s->step = i;
            if (i < nsteps) {
                json_object_set_new(st, "currentStep", json_integer(i));
                step_meta(st, steps, i, ts);
            }
        }
        if (i >= nsteps) {
            json_object_set_new(st, "phase", json_string("Succeeded"));
            json_object_set_new(st, "message", json_string("All steps completed"));
            json_object_set_new(st, "finishedAt", json_string(ts));
            land(ctl, p, st, now);
            fd_sim_ctl_put_status(ctl, FD_SIM_RES_PROMOTION, p, st);
            json_decref(st);
            free(ts);
            return;
        }
    }
    fd_sim_ctl_put_status(ctl, FD_SIM_RES_PROMOTION, p, st);
    json_decref(st);
    free(ts);
}

static void start_promotion(struct fd_sim_ctl *ctl, const json_t *p, int64_t now)
{
    struct fd_sim_promo_state *s = promo_state(ctl, p);
    s->seen = true;
    s->step_started = now;
    s->step = 0;
    json_t *st = status_copy(p);
    char *ts = fd_sim_clock_stamp(&ctl->clock, now);
    const json_t *spec = json_object_get(p, "spec");
    json_t *freight =
        fd_sim_ctl_get(ctl, FD_SIM_RES_FREIGHT, mget(p, "namespace"), sget(spec, "freight"));
    json_object_set_new(st, "phase", json_string("Running"));
    json_object_set_new(st, "startedAt", json_string(ts));
    json_object_set_new(st, "currentStep", json_integer(0));
    if (freight)
        json_object_set_new(st, "freight", freight_ref(freight));
    step_meta(st, json_object_get(spec, "steps"), 0, ts);
    fd_sim_ctl_put_status(ctl, FD_SIM_RES_PROMOTION, p, st);
    json_t *stage =
        fd_sim_ctl_get(ctl, FD_SIM_RES_STAGE, mget(p, "namespace"), sget(spec, "stage"));
    if (stage) {
        json_t *sst = status_copy(stage);
        json_object_set_new(sst, "currentPromotion",
                            json_pack("{s:s,s:o}", "name", mget(p, "name"), "freight",
                                      freight ? freight_ref(freight) : json_object()));
        fd_sim_ctl_put_status(ctl, FD_SIM_RES_STAGE, stage, sst);
        json_decref(sst);
        json_decref(stage);
    }
    json_decref(freight);
    json_decref(st);
    free(ts);
}

static bool terminal_promo(const char *phase)
{
    return fd_streq(phase, "Succeeded") || fd_streq(phase, "Failed") ||
           fd_streq(phase, "Errored") || fd_streq(phase, "Aborted");
}

static void promotions(struct fd_sim_ctl *ctl, const json_t *list, int64_t now)
{
    size_t i;
    json_t *p;
    for (size_t k = 0; k < ctl->n_promos; k++)
        ctl->promos[k].seen = false;
    /* Running ones progress; then per Stage the first Pending (the names
     * sort by ULID: creation order) starts when none runs. */
    json_array_foreach(json_object_get(list, "items"), i, p)
    {
        const char *phase = sget(json_object_get(p, "status"), "phase");
        if (fd_streq(phase, "Running") || (!terminal_promo(phase) && annotation(p, ANN_ABORT)))
            run_promotion(ctl, p, now);
        else if (!phase || !phase[0]) {
            json_t *st = status_copy(p);
            json_object_set_new(st, "phase", json_string("Pending"));
            ack_refresh(p, st);
            fd_sim_ctl_put_status(ctl, FD_SIM_RES_PROMOTION, p, st);
            json_decref(st);
            promo_state(ctl, p)->seen = true;
        } else {
            json_t *st = status_copy(p);
            ack_refresh(p, st);
            fd_sim_ctl_put_status(ctl, FD_SIM_RES_PROMOTION, p, st);
            json_decref(st);
            if (!terminal_promo(phase))
                promo_state(ctl, p)->seen = true;
        }
    }
    json_array_foreach(json_object_get(list, "items"), i, p)
    {
        const char *phase = sget(json_object_get(p, "status"), "phase");
        if (!fd_streq(phase, "Pending"))
            continue;
        const char *ns = mget(p, "namespace");
        const char *stage = sget(json_object_get(p, "spec"), "stage");
        bool busy = false;
        size_t j;
        json_t *q;
        json_array_foreach(json_object_get(list, "items"), j, q)
        {
            if (j < i && fd_streq(mget(q, "namespace"), ns) &&
                fd_streq(sget(json_object_get(q, "spec"), "stage"), stage) &&
                fd_streq(sget(json_object_get(q, "status"), "phase"), "Pending"))
                busy = true; /* an earlier Pending one goes first */
            if (fd_streq(mget(q, "namespace"), ns) &&
                fd_streq(sget(json_object_get(q, "spec"), "stage"), stage) &&
                fd_streq(sget(json_object_get(q, "status"), "phase"), "Running"))
                busy = true;
        }
        if (!busy)
            start_promotion(ctl, p, now);
    }
    size_t keep = 0;
    for (size_t k = 0; k < ctl->n_promos; k++) {
        if (ctl->promos[k].seen)
            ctl->promos[keep++] = ctl->promos[k];
        else
            free(ctl->promos[k].key);
    }
    ctl->n_promos = keep;
}

/* ---- verification ----------------------------------------------------------- */

static bool terminal_verification(const char *phase)
{
    return fd_streq(phase, "Successful") || fd_streq(phase, "Failed") || fd_streq(phase, "Error") ||
           fd_streq(phase, "Aborted") || fd_streq(phase, "Inconclusive");
}

static void mark_verified(struct fd_sim_ctl *ctl, const char *ns, const char *stage,
                          const json_t *coll, int64_t now)
{
    const char *k;
    json_t *ref;
    json_object_foreach(json_object_get(fd_sim_mut(coll), "items"), k, ref)
    {
        json_t *f = fd_sim_ctl_get(ctl, FD_SIM_RES_FREIGHT, ns, sget(ref, "name"));
        if (!f)
            continue;
        json_t *st = status_copy(f);
        json_t *vi = child(st, "verifiedIn");
        if (!json_object_get(vi, stage)) {
            char *ts = fd_sim_clock_stamp(&ctl->clock, now);
            json_object_set_new(vi, stage, json_pack("{s:s}", "verifiedAt", ts));
            free(ts);
            fd_sim_ctl_put_status(ctl, FD_SIM_RES_FREIGHT, f, st);
        }
        json_decref(st);
        json_decref(f);
    }
}

/* A verification argument's value as Kargo builds it: ${{ }} expressions
 * evaluated with ctx.project, ctx.stage and the Stage's vars (the
 * freight functions such as imageFrom() are not emulated). Returns the
 * value (caller frees), or NULL with *err (caller frees). */
static char *arg_value(const json_t *stage, const char *value, char **err)
{
    if (!strstr(value, "${{"))
        return fd_xstrdup(value);
    fd_value *env = fd_value_map_new(), *c = fd_value_map_new(), *vars = fd_value_map_new();
    fd_value_map_set(c, "project", fd_value_string(mget(stage, "namespace")));
    fd_value_map_set(c, "stage", fd_value_string(mget(stage, "name")));
    fd_value_map_set(env, "ctx", c);
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(json_object_get(stage, "spec"), "vars"), i, v)
    {
        if (sget(v, "name") && json_object_get(v, "value"))
            fd_value_map_set(vars, sget(v, "name"),
                             fd_value_from_json(json_object_get(v, "value"), false));
    }
    fd_value_map_set(env, "vars", vars);
    fd_value *out = NULL;
    struct fd_expr_error e;
    char *res = NULL;
    if (fd_expr_eval(value, strlen(value), FD_EXPR_MODE_KARGO_TEMPLATE, env, &out, &e) != 0)
        *err = fd_xasprintf("error evaluating \"%s\": %s", value, e.message);
    else if (fd_value_kind(out) != FD_VAL_STRING)
        *err = fd_xasprintf("expected the value of \"%s\" to be a string, got %s", value,
                            fd_value_go_type(out));
    else {
        /* The string through its JSON text: the value API has no getter. */
        char *text = fd_value_to_json_text(out);
        json_t *j = json_loads(text, JSON_DECODE_ANY, NULL);
        res = fd_xstrdup(json_string_value(j) ? json_string_value(j) : "");
        json_decref(j);
        free(text);
    }
    fd_value_unref(out);
    fd_value_unref(env);
    return res;
}

/* Starts a verification of the Stage's current collection: a new
 * VerificationInfo on top of coll's history, with an AnalysisRun built from
 * the Stage's templates (none: Successful at once). */
static void start_verification(struct fd_sim_ctl *ctl, const json_t *stage, json_t *st,
                               json_t *coll, const char *actor, int64_t now)
{
    const char *ns = mget(stage, "namespace"), *sname = mget(stage, "name");
    const json_t *ver = json_object_get(json_object_get(stage, "spec"), "verification");
    json_t *hist = json_object_get(coll, "verificationHistory");
    if (!json_is_array(hist)) {
        hist = json_array();
        json_object_set_new(coll, "verificationHistory", hist);
    }
    char uid[37];
    fd_sim_uuid(uid);
    char *ts = fd_sim_clock_stamp(&ctl->clock, now);
    json_t *vi = json_pack("{s:s,s:s}", "id", uid, "startTime", ts);
    if (actor)
        json_object_set_new(vi, "actor", json_string(actor));
    if (!json_array_size(json_object_get(ver, "analysisTemplates"))) {
        json_object_set_new(vi, "phase", json_string("Successful"));
        json_object_set_new(vi, "finishTime", json_string(ts));
        json_array_insert_new(hist, 0, vi);
        mark_verified(ctl, ns, sname, coll, now);
        free(ts);
        return;
    }
    /* The AnalysisRun: templates flattened, args merged, Kargo's labels. */
    json_t *metrics = json_array(), *args = json_array();
    size_t i;
    json_t *t;
    char *missing = NULL;
    json_array_foreach(json_object_get(ver, "analysisTemplates"), i, t)
    {
        bool cluster = fd_streq(sget(t, "kind"), "ClusterAnalysisTemplate");
        json_t *tmpl = fd_sim_ctl_get(
            ctl, cluster ? FD_SIM_RES_CLUSTERANALYSISTEMPLATE : FD_SIM_RES_ANALYSISTEMPLATE, ns,
            sget(t, "name"));
        if (!tmpl) {
            if (!missing)
                missing = fd_xasprintf("%s \"%s\" not found",
                                       cluster ? "ClusterAnalysisTemplate" : "AnalysisTemplate",
                                       sget(t, "name"));
            continue;
        }
        const json_t *tspec = json_object_get(tmpl, "spec");
        json_array_extend(metrics, json_object_get(tspec, "metrics"));
        size_t j;
        json_t *a;
        json_array_foreach(json_object_get(tspec, "args"), j, a)
        {
            json_t *merged = json_deep_copy(a);
            size_t k;
            json_t *in;
            json_array_foreach(json_object_get(ver, "args"), k, in)
            {
                if (fd_streq(sget(in, "name"), sget(a, "name")) && sget(in, "value")) {
                    char *aerr = NULL;
                    char *val = arg_value(stage, sget(in, "value"), &aerr);
                    if (val)
                        json_object_set_new(merged, "value", json_string(val));
                    else if (!missing)
                        missing = aerr;
                    else
                        free(aerr);
                    free(val);
                }
            }
            json_array_append_new(args, merged);
        }
        json_decref(tmpl);
    }
    if (missing) {
        json_object_set_new(vi, "phase", json_string("Error"));
        char *msg = fd_xasprintf("error building AnalysisRun for Stage \"%s\": %s", sname, missing);
        json_object_set_new(vi, "message", json_string(msg));
        json_object_set_new(vi, "finishTime", json_string(ts));
        free(msg);
        free(missing);
        json_array_insert_new(hist, 0, vi);
        json_decref(metrics);
        json_decref(args);
        free(ts);
        return;
    }
    char ulid[27];
    fd_sim_ulid(fd_sim_clock_wall(&ctl->clock, now), &ctl->rng, ulid);
    const char *cid = sget(coll, "id");
    char *name = fd_sim_kargo_name(sname, ulid, cid);
    json_t *labels = json_pack("{s:s,s:s}", "kargo.akuity.io/stage", sname,
                               "kargo.akuity.io/freight-collection", cid);
    json_t *annotations = json_object();
    const json_t *arm = json_object_get(ver, "analysisRunMetadata");
    json_object_update(labels, json_object_get(arm, "labels"));
    json_object_update(annotations, json_object_get(arm, "annotations"));
    const char *last_promo = sget(json_object_get(st, "lastPromotion"), "name");
    if (last_promo && !actor)
        json_object_set_new(annotations, "kargo.akuity.io/promotion", json_string(last_promo));
    json_t *owners = json_array();
    const char *k;
    json_t *ref;
    const char *version = NULL;
    json_object_foreach(json_object_get(coll, "items"), k, ref)
    {
        json_t *f = fd_sim_ctl_get(ctl, FD_SIM_RES_FREIGHT, ns, sget(ref, "name"));
        if (f) {
            json_array_append_new(owners, json_pack("{s:s,s:s,s:s,s:s}", "apiVersion",
                                                    "kargo.akuity.io/v1alpha1", "kind", "Freight",
                                                    "name", mget(f, "name"), "uid",
                                                    mget(f, "uid") ? mget(f, "uid") : ""));
            json_decref(f);
        }
        if (!version)
            version = sget(json_array_get(json_object_get(ref, "images"), 0), "tag");
    }
    json_t *ar = json_pack("{s:s,s:s,s:{s:s,s:s,s:o,s:o,s:o},s:{s:o,s:o}}", "apiVersion",
                           "argoproj.io/v1alpha1", "kind", "AnalysisRun", "metadata", "name", name,
                           "namespace", ns, "labels", labels, "annotations", annotations,
                           "ownerReferences", owners, "spec", "metrics", metrics, "args", args);
    json_t *made = fd_sim_ctl_create(ctl, FD_SIM_RES_ANALYSISRUN, ns, ar);
    json_decref(ar);
    if (made && version)
        fd_sim_ctl_set_subject(ctl, ns, name, version);
    json_object_set_new(vi, "phase", json_string(made ? "Pending" : "Error"));
    json_object_set_new(vi, "analysisRun",
                        json_pack("{s:s,s:s,s:s}", "name", name, "namespace", ns, "phase", ""));
    json_decref(made);
    json_array_insert_new(hist, 0, vi);
    free(name);
    free(ts);
}

/* A reverify / abort request: the JSON form the webhook writes, or the
 * plain ID. Returns the ID (borrowed from *req) and the actor. */
static const char *request_id(const char *value, json_t **req, const char **actor)
{
    *req = NULL;
    *actor = NULL;
    if (!value)
        return NULL;
    if (value[0] == '{') {
        *req = json_loads(value, 0, NULL);
        *actor = sget(*req, "actor");
        return sget(*req, "id");
    }
    return value;
}

static void verify(struct fd_sim_ctl *ctl, const json_t *stage, json_t *st, bool healthy,
                   bool promoting, int64_t now)
{
    const char *ns = mget(stage, "namespace"), *sname = mget(stage, "name");
    json_t *coll = json_array_get(json_object_get(st, "freightHistory"), 0);
    if (!coll || promoting)
        return;
    json_t *hist = json_object_get(coll, "verificationHistory");
    json_t *last = json_array_get(hist, 0);
    json_t *req;
    const char *actor;

    if (!last) {
        if (healthy)
            start_verification(ctl, stage, st, coll, NULL, now);
        return;
    }
    const char *phase = sget(last, "phase");
    const char *id = sget(last, "id");
    const json_t *arref = json_object_get(last, "analysisRun");
    if (!terminal_verification(phase)) {
        const char *rid = request_id(annotation(stage, ANN_ABORT), &req, &actor);
        char *ts = fd_sim_clock_stamp(&ctl->clock, now);
        if (rid && fd_streq(rid, id)) {
            json_t *ar = fd_sim_ctl_get(ctl, FD_SIM_RES_ANALYSISRUN, sget(arref, "namespace"),
                                        sget(arref, "name"));
            if (ar) {
                json_object_set_new(child(ar, "spec"), "terminate", json_true());
                fd_sim_ctl_put(ctl, FD_SIM_RES_ANALYSISRUN, ar);
                json_decref(ar);
            }
            json_object_set_new(last, "phase", json_string("Failed"));
            json_object_set_new(last, "message", json_string("Verification aborted by user"));
            json_object_set_new(last, "finishTime", json_string(ts));
            if (actor)
                json_object_set_new(last, "actor", json_string(actor));
        } else if (arref) {
            json_t *ar = fd_sim_ctl_get(ctl, FD_SIM_RES_ANALYSISRUN, sget(arref, "namespace"),
                                        sget(arref, "name"));
            const json_t *ars = json_object_get(ar, "status");
            const char *arphase = sget(ars, "phase");
            if (!ar) {
                json_object_set_new(last, "phase", json_string("Error"));
                json_object_set_new(last, "message", json_string("AnalysisRun not found"));
                json_object_set_new(last, "finishTime", json_string(ts));
            } else if (arphase && arphase[0]) {
                json_object_set_new(json_object_get(last, "analysisRun"), "phase",
                                    json_string(arphase));
                json_object_set_new(last, "phase", json_string(arphase));
                if (sget(ars, "message"))
                    json_object_set_new(last, "message", json_string(sget(ars, "message")));
                if (terminal_verification(arphase)) {
                    json_object_set_new(
                        last, "finishTime",
                        json_string(sget(ars, "completedAt") ? sget(ars, "completedAt") : ts));
                    if (fd_streq(arphase, "Successful"))
                        mark_verified(ctl, ns, sname, coll, now);
                }
            }
            json_decref(ar);
        }
        json_decref(req);
        free(ts);
        return;
    }
    /* Terminal: a reverify naming it starts a new one (when healthy). */
    const char *rid = request_id(annotation(stage, ANN_REVERIFY), &req, &actor);
    if (rid && fd_streq(rid, id) && healthy)
        start_verification(ctl, stage, st, coll, actor, now);
    json_decref(req);
}

/* ---- auto-promotion ----------------------------------------------------------- */

static bool auto_enabled(const json_t *configs, const char *ns, const char *stage)
{
    size_t i;
    json_t *pc;
    json_array_foreach(json_object_get(configs, "items"), i, pc)
    {
        if (!fd_streq(mget(pc, "namespace"), ns))
            continue;
        size_t j;
        json_t *pol;
        json_array_foreach(json_object_get(json_object_get(pc, "spec"), "promotionPolicies"), j,
                           pol)
        {
            const char *name = sget(pol, "stage");
            if (!name)
                name = sget(json_object_get(pol, "stageSelector"), "name");
            if (fd_streq(name, stage))
                return json_is_true(json_object_get(pol, "autoPromotionEnabled"));
        }
    }
    return false;
}

/* Newer first: creationTimestamp, then discoveredAt, then resourceVersion
 * order as a last resort. */
static int newer(const json_t *a, const json_t *b)
{
    int c = strcmp(mget(a, "creationTimestamp") ? mget(a, "creationTimestamp") : "",
                   mget(b, "creationTimestamp") ? mget(b, "creationTimestamp") : "");
    if (c)
        return c;
    c = strcmp(sget(a, "discoveredAt") ? sget(a, "discoveredAt") : "",
               sget(b, "discoveredAt") ? sget(b, "discoveredAt") : "");
    if (c)
        return c;
    const char *ra = mget(a, "resourceVersion"), *rb = mget(b, "resourceVersion");
    return (ra && rb) ? (strtoull(ra, NULL, 10) > strtoull(rb, NULL, 10) ? 1 : -1) : 0;
}

static void auto_promote(struct fd_sim_ctl *ctl, const json_t *stage, const json_t *st,
                         const json_t *freights, const json_t *promos)
{
    const char *ns = mget(stage, "namespace"), *sname = mget(stage, "name");
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(promos, "items"), i, p)
    {
        if (fd_streq(mget(p, "namespace"), ns) &&
            fd_streq(sget(json_object_get(p, "spec"), "stage"), sname) &&
            !terminal_promo(sget(json_object_get(p, "status"), "phase")))
            return; /* one at a time */
    }
    const json_t *best = NULL;
    json_t *f;
    json_array_foreach(json_object_get(freights, "items"), i, f)
    {
        if (fd_streq(mget(f, "namespace"), ns) && fd_sim_freight_available(stage, f) &&
            (!best || newer(f, best) > 0))
            best = f;
    }
    if (!best)
        return;
    const json_t *cur =
        json_object_get(json_array_get(json_object_get(st, "freightHistory"), 0), "items");
    const char *k;
    json_t *ref;
    json_object_foreach(fd_sim_mut(cur), k, ref)
    {
        if (fd_streq(sget(ref, "name"), mget(best, "name")))
            return; /* already there */
    }
    json_array_foreach(json_object_get(promos, "items"), i, p)
    {
        if (fd_streq(mget(p, "namespace"), ns) &&
            fd_streq(sget(json_object_get(p, "spec"), "stage"), sname) &&
            fd_streq(sget(json_object_get(p, "spec"), "freight"), mget(best, "name")))
            return; /* tried already: a failed one is not retried */
    }
    json_t *promo =
        json_pack("{s:s,s:s,s:{s:s,s:s},s:{s:s,s:s}}", "apiVersion", "kargo.akuity.io/v1alpha1",
                  "kind", "Promotion", "metadata", "namespace", ns, "generateName", "promo-",
                  "spec", "stage", sname, "freight", mget(best, "name"));
    json_decref(fd_sim_ctl_create(ctl, FD_SIM_RES_PROMOTION, ns, promo));
    json_decref(promo);
}

/* ---- Stages ------------------------------------------------------------------- */

static void summarize(struct fd_sim_ctl *ctl, const json_t *stage, json_t *st, bool promoting,
                      int64_t now)
{
    int64_t gen =
        json_integer_value(json_object_get(json_object_get(stage, "metadata"), "generation"));
    const json_t *coll = json_array_get(json_object_get(st, "freightHistory"), 0);
    const json_t *last = json_array_get(json_object_get(coll, "verificationHistory"), 0);
    const char *health = sget(json_object_get(st, "health"), "status");

    if (promoting)
        set_condition(ctl, st, "Promoting", "True", "ActivePromotion",
                      "Stage has an active Promotion", gen, now);
    else
        del_condition(st, "Promoting");

    if (fd_streq(health, "Healthy"))
        set_condition(ctl, st, "Healthy", "True", "Healthy", "Stage is healthy", gen, now);
    else if (fd_streq(health, "Unhealthy")) {
        const char *issue = json_string_value(
            json_array_get(json_object_get(json_object_get(st, "health"), "issues"), 0));
        set_condition(ctl, st, "Healthy", "False", "Unhealthy",
                      issue ? issue : "Stage is unhealthy", gen, now);
    } else if (coll)
        set_condition(ctl, st, "Healthy", "Unknown", "Progressing", "Stage health is progressing",
                      gen, now);
    else
        set_condition(ctl, st, "Healthy", "Unknown", "NoFreight", "Stage has no current Freight",
                      gen, now);

    const char *vphase = sget(last, "phase");
    if (!coll)
        set_condition(ctl, st, "Verified", "False", "NoFreight", "No Freight to verify", gen, now);
    else if (!last)
        set_condition(ctl, st, "Verified", "Unknown", "WaitingForVerification",
                      "Waiting for the Stage to become healthy before verification", gen, now);
    else if (fd_streq(vphase, "Successful"))
        set_condition(ctl, st, "Verified", "True", "Verified", "Freight has been verified", gen,
                      now);
    else if (fd_streq(vphase, "Pending"))
        set_condition(ctl, st, "Verified", "Unknown", "VerificationPending",
                      "Verification is pending", gen, now);
    else if (fd_streq(vphase, "Running") || !vphase || !vphase[0])
        set_condition(ctl, st, "Verified", "Unknown", "VerificationRunning",
                      "Verification is running", gen, now);
    else {
        char *reason = fd_xasprintf("Verification%s", vphase);
        set_condition(ctl, st, "Verified", "False", reason,
                      sget(last, "message") ? sget(last, "message")
                                            : "Verification did not succeed",
                      gen, now);
        free(reason);
    }

    const json_t *hc = NULL, *vc = NULL;
    const char *hs = condition_status(st, "Healthy", &hc);
    const char *vs = condition_status(st, "Verified", &vc);
    const char *lp = sget(json_object_get(json_object_get(st, "lastPromotion"), "status"), "phase");
    if (promoting) {
        set_condition(ctl, st, "Ready", "False", "ActivePromotion", "Stage has an active Promotion",
                      gen, now);
    } else if (lp && !fd_streq(lp, "Succeeded")) {
        char *reason = fd_xasprintf("LastPromotion%s", lp);
        set_condition(ctl, st, "Ready", "False", reason, "Last Promotion did not succeed", gen,
                      now);
        free(reason);
    } else if (!fd_streq(hs, "True")) {
        set_condition(ctl, st, "Ready", hs, sget(hc, "reason"), sget(hc, "message"), gen, now);
    } else if (!fd_streq(vs, "True")) {
        set_condition(ctl, st, "Ready", vs, sget(vc, "reason"), sget(vc, "message"), gen, now);
    } else {
        set_condition(ctl, st, "Ready", "True", "Verified", "Freight has been verified", gen, now);
    }
    json_object_set_new(st, "observedGeneration", json_integer(gen));
    const json_t *items = json_object_get(coll, "items");
    const char *k;
    json_t *ref;
    const char *fname = NULL;
    json_object_foreach(fd_sim_mut(items), k, ref)
    {
        fname = sget(ref, "name");
    }
    json_object_set_new(st, "freightSummary", json_string(fname ? fname : "0/1 Fulfilled"));
}

static void stage_health(struct fd_sim_ctl *ctl, const json_t *stage, json_t *st)
{
    const struct fd_sim_binding *b =
        fd_sim_scenario_binding(ctl->sc, mget(stage, "namespace"), mget(stage, "name"), NULL, NULL);
    if (!b || !b->rollout)
        return; /* nothing serves it here: keep what it says */
    json_t *ro = fd_sim_ctl_get(ctl, FD_SIM_RES_ROLLOUT, b->ns, b->rollout);
    const char *phase = sget(json_object_get(ro, "status"), "phase");
    json_t *h = json_object();
    if (!json_array_size(json_object_get(st, "freightHistory"))) {
        json_object_set_new(h, "status", json_string("Unknown"));
    } else if (fd_streq(phase, "Degraded")) {
        json_object_set_new(h, "status", json_string("Unhealthy"));
        char *msg = fd_xasprintf("Rollout %s/%s is Degraded: %s", b->ns, b->rollout,
                                 sget(json_object_get(ro, "status"), "message")
                                     ? sget(json_object_get(ro, "status"), "message")
                                     : "");
        json_object_set_new(h, "issues", json_pack("[s]", msg));
        free(msg);
    } else if (phase && phase[0]) {
        /* Serving (Healthy, a canary Progressing or Paused): healthy. */
        json_object_set_new(h, "status", json_string("Healthy"));
    } else {
        json_object_set_new(h, "status", json_string("Unknown"));
    }
    json_object_set_new(h, "output",
                        json_pack("[{s:[{s:s,s:s,s:s}]}]", "rollouts", "namespace", b->ns, "name",
                                  b->rollout, "phase", phase ? phase : ""));
    json_object_set_new(st, "health", h);
    json_decref(ro);
}

static void stages(struct fd_sim_ctl *ctl, const json_t *promos, int64_t now)
{
    json_t *list = fd_sim_ctl_list(ctl, FD_SIM_RES_STAGE, NULL);
    json_t *configs = fd_sim_ctl_list(ctl, FD_SIM_RES_PROJECTCONFIG, NULL);
    json_t *freights = NULL;
    size_t i;
    json_t *stage;

    json_array_foreach(json_object_get(configs, "items"), i, stage)
    {
        json_t *st = status_copy(stage);
        ack_refresh(stage, st);
        int64_t gen =
            json_integer_value(json_object_get(json_object_get(stage, "metadata"), "generation"));
        set_condition(ctl, st, "Ready", "True", "Synced", "ProjectConfig is synced", gen, now);
        fd_sim_ctl_put_status(ctl, FD_SIM_RES_PROJECTCONFIG, stage, st);
        json_decref(st);
    }
    json_array_foreach(json_object_get(list, "items"), i, stage)
    {
        /* Re-read: a promotion may have landed earlier in this pass. */
        json_t *cur =
            fd_sim_ctl_get(ctl, FD_SIM_RES_STAGE, mget(stage, "namespace"), mget(stage, "name"));
        if (!cur)
            continue;
        json_t *st = status_copy(cur);
        bool promoting = json_object_get(st, "currentPromotion") != NULL;
        ack_refresh(cur, st);
        stage_health(ctl, cur, st);
        /* No health check at all (nothing serves the Stage) does not hold
         * verification back. */
        bool healthy = !json_object_get(st, "health") ||
                       fd_streq(sget(json_object_get(st, "health"), "status"), "Healthy");
        verify(ctl, cur, st, healthy, promoting, now);
        summarize(ctl, cur, st, promoting, now);
        if (auto_enabled(configs, mget(cur, "namespace"), mget(cur, "name"))) {
            json_object_set_new(st, "autoPromotionEnabled", json_true());
            if (!freights)
                freights = fd_sim_ctl_list(ctl, FD_SIM_RES_FREIGHT, NULL);
            auto_promote(ctl, cur, st, freights, promos);
        }
        fd_sim_ctl_put_status(ctl, FD_SIM_RES_STAGE, cur, st);
        json_decref(st);
        json_decref(cur);
    }
    json_decref(freights);
    json_decref(configs);
    json_decref(list);
}

void fd_sim_kargo_pass(struct fd_sim_ctl *ctl, int64_t now)
{
    warehouses(ctl, now);
    json_t *promos = fd_sim_ctl_list(ctl, FD_SIM_RES_PROMOTION, NULL);
    promotions(ctl, promos, now);
    json_decref(promos);
    promos = fd_sim_ctl_list(ctl, FD_SIM_RES_PROMOTION, NULL);
    stages(ctl, promos, now);
    json_decref(promos);
}

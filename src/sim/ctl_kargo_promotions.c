/* sim/ctl_kargo_promotions.c: the emulated Kargo Promotion controller: Promotions
 * run their steps and move Freight into Stages (pkg/controller/promotions). */
#include "config.h"

#include "ctl_kargo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "freightdeck/util.h"
#include "misc.h"
#include "names.h"

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
    char *key = fd_xasprintf("%s/%s", fd_sim_meta(p, "namespace"), fd_sim_meta(p, "name"));
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
    json_t *ref = json_pack("{s:s,s:O}", "name", fd_sim_meta(freight, "name"), "origin",
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
    const char *ns = fd_sim_meta(promo, "namespace");
    const json_t *spec = json_object_get(promo, "spec");
    const char *sname = fd_sim_str(spec, "stage");
    json_t *stage = fd_sim_ctl_get(ctl, FD_SIM_RES_STAGE, ns, sname);
    json_t *freight = fd_sim_ctl_get(ctl, FD_SIM_RES_FREIGHT, ns, fd_sim_str(spec, "freight"));
    if (!stage || !freight) {
        json_decref(stage);
        json_decref(freight);
        return;
    }
    char *ts = fd_sim_clock_stamp(&ctl->clock, now);
    json_t *st = fd_sim_kargo_status_copy(stage);
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
        json_t *old = fd_sim_ctl_get(ctl, FD_SIM_RES_FREIGHT, ns, fd_sim_str(pv, "name"));
        if (old && !fd_streq(fd_sim_meta(old, "name"), fd_sim_meta(freight, "name"))) {
            json_t *ost = fd_sim_kargo_status_copy(old);
            json_object_del(json_object_get(ost, "currentlyIn"), sname);
            fd_sim_ctl_put_status(ctl, FD_SIM_RES_FREIGHT, old, ost);
            json_decref(ost);
        }
        json_decref(old);
    }
    char *okey = fd_xasprintf("%s/%s", fd_sim_str(json_object_get(freight, "origin"), "kind"),
                              fd_sim_str(json_object_get(freight, "origin"), "name"));
    char *cid = collection_id(fd_sim_meta(freight, "name"));
    json_t *coll = json_pack("{s:s,s:{s:o}}", "id", cid, "items", okey, freight_ref(freight));
    json_object_set_new(pstatus, "freightCollection", json_deep_copy(coll));
    json_array_insert_new(hist, 0, coll);
    while (json_array_size(hist) > HISTORY_MAX)
        json_array_remove(hist, HISTORY_MAX);
    json_object_set_new(st, "lastPromotion",
                        json_pack("{s:s,s:o,s:O,s:s}", "name", fd_sim_meta(promo, "name"),
                                  "freight", freight_ref(freight), "status", pstatus, "finishedAt",
                                  ts));
    json_object_del(st, "currentPromotion");
    fd_sim_ctl_put_status(ctl, FD_SIM_RES_STAGE, stage, st);
    json_decref(st);

    json_t *fst = fd_sim_kargo_status_copy(freight);
    json_object_set_new(fd_sim_child(fst, "currentlyIn"), sname, json_pack("{s:s}", "since", ts));
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
            char *image = fd_xasprintf("%s:%s", fd_sim_str(img, "repoURL"), fd_sim_str(img, "tag"));
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
    char *alias = fd_sim_str(step, "as") ? fd_xstrdup(fd_sim_str(step, "as"))
                                         : fd_xasprintf("step-%lld", (long long)i);
    json_array_append_new(
        meta, json_pack("{s:s,s:s,s:s}", "alias", alias, "startedAt", ts, "status", "Running"));
    free(alias);
}

static void run_promotion(struct fd_sim_ctl *ctl, const json_t *p, int64_t now)
{
    struct fd_sim_promo_state *s = promo_state(ctl, p);
    s->seen = true;
    json_t *st = fd_sim_kargo_status_copy(p);
    const char *phase = fd_sim_str(st, "phase");
    const json_t *steps = json_object_get(json_object_get(p, "spec"), "steps");
    int64_t nsteps = (int64_t)json_array_size(steps);
    char *ts = fd_sim_clock_stamp(&ctl->clock, now);
    fd_sim_kargo_ack_refresh(p, st);

    const char *abort = fd_sim_annotation(p, ANN_ABORT);
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
        fd_sim_ctl_schedule(ctl, FD_SIM_PART_PROMOTIONS, fd_sim_meta(p, "namespace"));
        if (s->step_started == 0) { /* picked up after a restart */
            s->step_started = now;
            s->step = i;
        }
        while (i < nsteps && now - s->step_started >=
                                 step_ms(fd_sim_str(json_array_get(steps, (size_t)i), "uses"))) {
            json_t *meta = json_array_get(json_object_get(st, "stepExecutionMetadata"), (size_t)i);
            if (meta) {
                json_object_set_new(meta, "status", json_string("Succeeded"));
                json_object_set_new(meta, "finishedAt", json_string(ts));
            }
            s->step_started += step_ms(fd_sim_str(json_array_get(steps, (size_t)i), "uses"));
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
    json_t *st = fd_sim_kargo_status_copy(p);
    char *ts = fd_sim_clock_stamp(&ctl->clock, now);
    const json_t *spec = json_object_get(p, "spec");
    json_t *freight = fd_sim_ctl_get(ctl, FD_SIM_RES_FREIGHT, fd_sim_meta(p, "namespace"),
                                     fd_sim_str(spec, "freight"));
    json_object_set_new(st, "phase", json_string("Running"));
    json_object_set_new(st, "startedAt", json_string(ts));
    json_object_set_new(st, "currentStep", json_integer(0));
    if (freight)
        json_object_set_new(st, "freight", freight_ref(freight));
    step_meta(st, json_object_get(spec, "steps"), 0, ts);
    fd_sim_ctl_put_status(ctl, FD_SIM_RES_PROMOTION, p, st);
    json_t *stage = fd_sim_ctl_get(ctl, FD_SIM_RES_STAGE, fd_sim_meta(p, "namespace"),
                                   fd_sim_str(spec, "stage"));
    if (stage) {
        json_t *sst = fd_sim_kargo_status_copy(stage);
        json_object_set_new(sst, "currentPromotion",
                            json_pack("{s:s,s:o}", "name", fd_sim_meta(p, "name"), "freight",
                                      freight ? freight_ref(freight) : json_object()));
        fd_sim_ctl_put_status(ctl, FD_SIM_RES_STAGE, stage, sst);
        json_decref(sst);
        json_decref(stage);
    }
    json_decref(freight);
    json_decref(st);
    free(ts);
}

bool fd_sim_kargo_terminal_promo(const char *phase)
{
    return fd_streq(phase, "Succeeded") || fd_streq(phase, "Failed") ||
           fd_streq(phase, "Errored") || fd_streq(phase, "Aborted");
}

/* Whether a Promotion's state (keyed "ns/name") is in a namespace vis visits. */
static bool state_in(const struct fd_sim_promo_state *s, const struct fd_sim_nsset *vis)
{
    if (vis->all)
        return true;
    const char *slash = strchr(s->key, '/');
    char *ns = fd_xasprintf("%.*s", slash ? (int)(slash - s->key) : 0, s->key);
    bool in = fd_sim_nsset_has(vis, ns);
    free(ns);
    return in;
}

void fd_sim_kargo_promotions(struct fd_sim_ctl *ctl, const struct fd_sim_nsset *vis, int64_t now)
{
    size_t i;
    json_t *p;
    json_t *list = fd_sim_ctl_list_visit(ctl, FD_SIM_RES_PROMOTION, vis);
    /* The states of the namespaces not visited stay as they are. */
    for (size_t k = 0; k < ctl->n_promos; k++)
        ctl->promos[k].seen = !state_in(&ctl->promos[k], vis);
    /* Running ones progress; then per Stage the first Pending (the names
     * sort by ULID: creation order) starts when none runs. */
    json_array_foreach(json_object_get(list, "items"), i, p)
    {
        const char *phase = fd_sim_str(json_object_get(p, "status"), "phase");
        if (fd_streq(phase, "Running") ||
            (!fd_sim_kargo_terminal_promo(phase) && fd_sim_annotation(p, ANN_ABORT)))
            run_promotion(ctl, p, now);
        else if (!phase || !phase[0]) {
            json_t *st = fd_sim_kargo_status_copy(p);
            json_object_set_new(st, "phase", json_string("Pending"));
            fd_sim_kargo_ack_refresh(p, st);
            fd_sim_ctl_put_status(ctl, FD_SIM_RES_PROMOTION, p, st);
            json_decref(st);
            promo_state(ctl, p)->seen = true;
        } else {
            json_t *st = fd_sim_kargo_status_copy(p);
            fd_sim_kargo_ack_refresh(p, st);
            fd_sim_ctl_put_status(ctl, FD_SIM_RES_PROMOTION, p, st);
            json_decref(st);
            if (!fd_sim_kargo_terminal_promo(phase))
                promo_state(ctl, p)->seen = true;
        }
    }
    json_array_foreach(json_object_get(list, "items"), i, p)
    {
        const char *phase = fd_sim_str(json_object_get(p, "status"), "phase");
        if (!fd_streq(phase, "Pending"))
            continue;
        const char *ns = fd_sim_meta(p, "namespace");
        const char *stage = fd_sim_str(json_object_get(p, "spec"), "stage");
        bool busy = false;
        size_t j;
        json_t *q;
        json_array_foreach(json_object_get(list, "items"), j, q)
        {
            if (j < i && fd_streq(fd_sim_meta(q, "namespace"), ns) &&
                fd_streq(fd_sim_str(json_object_get(q, "spec"), "stage"), stage) &&
                fd_streq(fd_sim_str(json_object_get(q, "status"), "phase"), "Pending"))
                busy = true; /* an earlier Pending one goes first */
            if (fd_streq(fd_sim_meta(q, "namespace"), ns) &&
                fd_streq(fd_sim_str(json_object_get(q, "spec"), "stage"), stage) &&
                fd_streq(fd_sim_str(json_object_get(q, "status"), "phase"), "Running"))
                busy = true;
        }
        if (!busy)
            start_promotion(ctl, p, now);
    }
    json_decref(list);
    size_t keep = 0;
    for (size_t k = 0; k < ctl->n_promos; k++) {
        if (ctl->promos[k].seen)
            ctl->promos[keep++] = ctl->promos[k];
        else
            free(ctl->promos[k].key);
    }
    ctl->n_promos = keep;
}

/* sim/ctl_kargo_stages.c: the emulated Kargo Stage controller: health from the
 * Rollout, auto-promotion where the ProjectConfig allows, and the Stage's conditions
 * (pkg/controller/stages). */
#include "config.h"

#include "ctl_kargo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "freightdeck/util.h"
#include "misc.h"
#include "names.h"

/* ---- auto-promotion ----------------------------------------------------------- */

static bool auto_enabled(const json_t *configs, const char *ns, const char *stage)
{
    size_t i;
    json_t *pc;
    json_array_foreach(json_object_get(configs, "items"), i, pc)
    {
        if (!fd_streq(fd_sim_meta(pc, "namespace"), ns))
            continue;
        size_t j;
        json_t *pol;
        json_array_foreach(json_object_get(json_object_get(pc, "spec"), "promotionPolicies"), j,
                           pol)
        {
            const char *name = fd_sim_str(pol, "stage");
            if (!name)
                name = fd_sim_str(json_object_get(pol, "stageSelector"), "name");
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
    int c = strcmp(fd_sim_meta(a, "creationTimestamp") ? fd_sim_meta(a, "creationTimestamp") : "",
                   fd_sim_meta(b, "creationTimestamp") ? fd_sim_meta(b, "creationTimestamp") : "");
    if (c)
        return c;
    c = strcmp(fd_sim_str(a, "discoveredAt") ? fd_sim_str(a, "discoveredAt") : "",
               fd_sim_str(b, "discoveredAt") ? fd_sim_str(b, "discoveredAt") : "");
    if (c)
        return c;
    const char *ra = fd_sim_meta(a, "resourceVersion"), *rb = fd_sim_meta(b, "resourceVersion");
    return (ra && rb) ? (strtoull(ra, NULL, 10) > strtoull(rb, NULL, 10) ? 1 : -1) : 0;
}

static void auto_promote(struct fd_sim_ctl *ctl, const json_t *stage, const json_t *st,
                         const json_t *freights, const json_t *promos)
{
    const char *ns = fd_sim_meta(stage, "namespace"), *sname = fd_sim_meta(stage, "name");
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(promos, "items"), i, p)
    {
        if (fd_streq(fd_sim_meta(p, "namespace"), ns) &&
            fd_streq(fd_sim_str(json_object_get(p, "spec"), "stage"), sname) &&
            !fd_sim_kargo_terminal_promo(fd_sim_str(json_object_get(p, "status"), "phase")))
            return; /* one at a time */
    }
    const json_t *best = NULL;
    json_t *f;
    json_array_foreach(json_object_get(freights, "items"), i, f)
    {
        if (fd_streq(fd_sim_meta(f, "namespace"), ns) && fd_sim_freight_available(stage, f) &&
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
        if (fd_streq(fd_sim_str(ref, "name"), fd_sim_meta(best, "name")))
            return; /* already there */
    }
    json_array_foreach(json_object_get(promos, "items"), i, p)
    {
        if (fd_streq(fd_sim_meta(p, "namespace"), ns) &&
            fd_streq(fd_sim_str(json_object_get(p, "spec"), "stage"), sname) &&
            fd_streq(fd_sim_str(json_object_get(p, "spec"), "freight"), fd_sim_meta(best, "name")))
            return; /* tried already: a failed one is not retried */
    }
    json_t *promo =
        json_pack("{s:s,s:s,s:{s:s,s:s},s:{s:s,s:s}}", "apiVersion", "kargo.akuity.io/v1alpha1",
                  "kind", "Promotion", "metadata", "namespace", ns, "generateName", "promo-",
                  "spec", "stage", sname, "freight", fd_sim_meta(best, "name"));
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
    const char *health = fd_sim_str(json_object_get(st, "health"), "status");

    if (promoting)
        fd_sim_kargo_set_condition(ctl, st, "Promoting", "True", "ActivePromotion",
                                   "Stage has an active Promotion", gen, now);
    else
        fd_sim_kargo_del_condition(st, "Promoting");

    if (fd_streq(health, "Healthy"))
        fd_sim_kargo_set_condition(ctl, st, "Healthy", "True", "Healthy", "Stage is healthy", gen,
                                   now);
    else if (fd_streq(health, "Unhealthy")) {
        const char *issue = json_string_value(
            json_array_get(json_object_get(json_object_get(st, "health"), "issues"), 0));
        fd_sim_kargo_set_condition(ctl, st, "Healthy", "False", "Unhealthy",
                                   issue ? issue : "Stage is unhealthy", gen, now);
    } else if (coll)
        fd_sim_kargo_set_condition(ctl, st, "Healthy", "Unknown", "Progressing",
                                   "Stage health is progressing", gen, now);
    else
        fd_sim_kargo_set_condition(ctl, st, "Healthy", "Unknown", "NoFreight",
                                   "Stage has no current Freight", gen, now);

    const char *vphase = fd_sim_str(last, "phase");
    if (!coll)
        fd_sim_kargo_set_condition(ctl, st, "Verified", "False", "NoFreight",
                                   "No Freight to verify", gen, now);
    else if (!last)
        fd_sim_kargo_set_condition(ctl, st, "Verified", "Unknown", "WaitingForVerification",
                                   "Waiting for the Stage to become healthy before verification",
                                   gen, now);
    else if (fd_streq(vphase, "Successful"))
        fd_sim_kargo_set_condition(ctl, st, "Verified", "True", "Verified",
                                   "Freight has been verified", gen, now);
    else if (fd_streq(vphase, "Pending"))
        fd_sim_kargo_set_condition(ctl, st, "Verified", "Unknown", "VerificationPending",
                                   "Verification is pending", gen, now);
    else if (fd_streq(vphase, "Running") || !vphase || !vphase[0])
        fd_sim_kargo_set_condition(ctl, st, "Verified", "Unknown", "VerificationRunning",
                                   "Verification is running", gen, now);
    else {
        char *reason = fd_xasprintf("Verification%s", vphase);
        fd_sim_kargo_set_condition(ctl, st, "Verified", "False", reason,
                                   fd_sim_str(last, "message") ? fd_sim_str(last, "message")
                                                               : "Verification did not succeed",
                                   gen, now);
        free(reason);
    }

    const json_t *hc = NULL, *vc = NULL;
    const char *hs = fd_sim_kargo_condition_status(st, "Healthy", &hc);
    const char *vs = fd_sim_kargo_condition_status(st, "Verified", &vc);
    const char *lp =
        fd_sim_str(json_object_get(json_object_get(st, "lastPromotion"), "status"), "phase");
    if (promoting) {
        fd_sim_kargo_set_condition(ctl, st, "Ready", "False", "ActivePromotion",
                                   "Stage has an active Promotion", gen, now);
    } else if (lp && !fd_streq(lp, "Succeeded")) {
        char *reason = fd_xasprintf("LastPromotion%s", lp);
        fd_sim_kargo_set_condition(ctl, st, "Ready", "False", reason,
                                   "Last Promotion did not succeed", gen, now);
        free(reason);
    } else if (!fd_streq(hs, "True")) {
        fd_sim_kargo_set_condition(ctl, st, "Ready", hs, fd_sim_str(hc, "reason"),
                                   fd_sim_str(hc, "message"), gen, now);
    } else if (!fd_streq(vs, "True")) {
        fd_sim_kargo_set_condition(ctl, st, "Ready", vs, fd_sim_str(vc, "reason"),
                                   fd_sim_str(vc, "message"), gen, now);
    } else {
        fd_sim_kargo_set_condition(ctl, st, "Ready", "True", "Verified",
                                   "Freight has been verified", gen, now);
    }
    json_object_set_new(st, "observedGeneration", json_integer(gen));
    const json_t *items = json_object_get(coll, "items");
    const char *k;
    json_t *ref;
    const char *fname = NULL;
    json_object_foreach(fd_sim_mut(items), k, ref)
    {
        fname = fd_sim_str(ref, "name");
    }
    json_object_set_new(st, "freightSummary", json_string(fname ? fname : "0/1 Fulfilled"));
}

static void stage_health(struct fd_sim_ctl *ctl, const json_t *stage, json_t *st)
{
    const struct fd_sim_binding *b = fd_sim_scenario_binding(
        ctl->sc, fd_sim_meta(stage, "namespace"), fd_sim_meta(stage, "name"), NULL, NULL);
    if (!b || !b->rollout)
        return; /* nothing serves it here: keep what it says */
    json_t *ro = fd_sim_ctl_get(ctl, FD_SIM_RES_ROLLOUT, b->ns, b->rollout);
    const char *phase = fd_sim_str(json_object_get(ro, "status"), "phase");
    json_t *h = json_object();
    if (!json_array_size(json_object_get(st, "freightHistory"))) {
        json_object_set_new(h, "status", json_string("Unknown"));
    } else if (fd_streq(phase, "Degraded")) {
        json_object_set_new(h, "status", json_string("Unhealthy"));
        char *msg = fd_xasprintf("Rollout %s/%s is Degraded: %s", b->ns, b->rollout,
                                 fd_sim_str(json_object_get(ro, "status"), "message")
                                     ? fd_sim_str(json_object_get(ro, "status"), "message")
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

/* The first namespace (fd_sim_ns_cmp order) of ctl->auto_ns that vis does
 * not visit, or NULL. */
static const char *first_auto_skipped(const struct fd_sim_ctl *ctl, const struct fd_sim_nsset *vis)
{
    if (vis->all)
        return NULL;
    for (size_t i = 0; i < ctl->auto_ns.n; i++)
        if (!fd_sim_nsset_has(vis, ctl->auto_ns.v[i]))
            return ctl->auto_ns.v[i];
    return NULL;
}

void fd_sim_kargo_stages(struct fd_sim_ctl *ctl, const struct fd_sim_nsset *vis, int64_t now)
{
    json_t *list = fd_sim_ctl_list_visit(ctl, FD_SIM_RES_STAGE, vis);
    json_t *configs = fd_sim_ctl_list_visit(ctl, FD_SIM_RES_PROJECTCONFIG, vis);
    json_t *freights = NULL, *promos = NULL;
    size_t i;
    json_t *stage;

    json_array_foreach(json_object_get(configs, "items"), i, stage)
    {
        json_t *st = fd_sim_kargo_status_copy(stage);
        fd_sim_kargo_ack_refresh(stage, st);
        int64_t gen =
            json_integer_value(json_object_get(json_object_get(stage, "metadata"), "generation"));
        fd_sim_kargo_set_condition(ctl, st, "Ready", "True", "Synced", "ProjectConfig is synced",
                                   gen, now);
        fd_sim_ctl_put_status(ctl, FD_SIM_RES_PROJECTCONFIG, stage, st);
        json_decref(st);
    }
    /* Auto-promotion reads a namespace's Freight as they were when the pass
     * first needed them: at its first Stage that auto-promotes, in whatever
     * namespace, as a pass over every namespace would (a namespace not
     * visited here changed nothing since, so the one that did is found in
     * auto_ns, the namespaces that auto-promoted when last visited). */
    char *skipped = fd_xstrdup(first_auto_skipped(ctl, vis) ? first_auto_skipped(ctl, vis) : "");
    bool auto_seen = false;
    /* Visited again, they say anew whether they auto-promote. */
    if (vis->all)
        fd_sim_nsset_clear(&ctl->auto_ns);
    for (size_t k = 0; k < vis->n; k++)
        fd_sim_nsset_remove(&ctl->auto_ns, vis->v[k]);
    char *ns = NULL;
    json_array_foreach(json_object_get(list, "items"), i, stage)
    {
        const char *sns = fd_sim_meta(stage, "namespace");
        if (!ns || !fd_streq(ns, sns)) {
            /* A namespace's Stages read its Promotions and Freight alone: a
             * fresh look at them after letting the API requests through. */
            if (ns)
                fd_sim_ctl_yield(ctl);
            free(ns);
            ns = fd_xstrdup(sns ? sns : "");
            json_decref(promos);
            json_decref(freights);
            promos = fd_sim_ctl_list(ctl, FD_SIM_RES_PROMOTION, ns);
            freights = auto_seen || (skipped[0] && fd_sim_ns_cmp(skipped, ns) < 0)
                           ? fd_sim_ctl_list(ctl, FD_SIM_RES_FREIGHT, ns)
                           : NULL;
        }
        /* Re-read: a promotion may have landed earlier in this pass. */
        json_t *cur = fd_sim_ctl_get(ctl, FD_SIM_RES_STAGE, ns, fd_sim_meta(stage, "name"));
        if (!cur)
            continue;
        json_t *st = fd_sim_kargo_status_copy(cur);
        bool promoting = json_object_get(st, "currentPromotion") != NULL;
        fd_sim_kargo_ack_refresh(cur, st);
        stage_health(ctl, cur, st);
        /* No health check at all (nothing serves the Stage) does not hold
         * verification back. */
        bool healthy = !json_object_get(st, "health") ||
                       fd_streq(fd_sim_str(json_object_get(st, "health"), "status"), "Healthy");
        fd_sim_kargo_verify(ctl, cur, st, healthy, promoting, now);
        summarize(ctl, cur, st, promoting, now);
        if (auto_enabled(configs, fd_sim_meta(cur, "namespace"), fd_sim_meta(cur, "name"))) {
            json_object_set_new(st, "autoPromotionEnabled", json_true());
            auto_seen = true;
            if (ns[0])
                fd_sim_nsset_add(&ctl->auto_ns, ns);
            if (!freights)
                freights = fd_sim_ctl_list(ctl, FD_SIM_RES_FREIGHT, ns);
            auto_promote(ctl, cur, st, freights, promos);
        }
        fd_sim_ctl_put_status(ctl, FD_SIM_RES_STAGE, cur, st);
        json_decref(st);
        json_decref(cur);
    }
    free(ns);
    free(skipped);
    json_decref(promos);
    json_decref(freights);
    json_decref(configs);
    json_decref(list);
}

/* sim/ctl_kargo.c: the emulated Kargo controllers: Warehouses discover the
 * scenario's versions and make Freight; Promotions run their steps and move
 * Freight into Stages; Stages track health from their Rollout, verify
 * Freight with AnalysisRuns, honour reverify/abort/refresh annotations,
 * auto-promote where the ProjectConfig allows, and summarise conditions
 * (pkg/controller/{warehouses,promotions,stages}). This file: one pass over
 * them all and the conditions they share; ctl_kargo_*.c one controller each. */
#include "config.h"

#include "ctl_kargo.h"

#include <stdlib.h>

#include "freightdeck/util.h"
#include "misc.h"

json_t *fd_sim_kargo_status_copy(const json_t *obj)
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

void fd_sim_kargo_ack_refresh(const json_t *obj, json_t *status)
{
    const char *token = fd_sim_annotation(obj, ANN_REFRESH);
    if (token)
        json_object_set_new(status, "lastHandledRefresh", json_string(token));
}

void fd_sim_kargo_set_condition(struct fd_sim_ctl *ctl, json_t *status, const char *type,
                                const char *cstatus, const char *reason, const char *message,
                                int64_t gen, int64_t now)
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
        if (fd_streq(fd_sim_str(c, "type"), type)) {
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
    if (!fd_streq(fd_sim_str(c, "status"), cstatus)) {
        char *ts = fd_sim_clock_stamp(&ctl->clock, now);
        json_object_set_new(c, "lastTransitionTime", json_string(ts));
        free(ts);
    }
    json_object_set_new(c, "status", json_string(cstatus));
    json_object_set_new(c, "reason", json_string(reason));
    json_object_set_new(c, "message", json_string(message ? message : ""));
    json_object_set_new(c, "observedGeneration", json_integer(gen));
}

void fd_sim_kargo_del_condition(json_t *status, const char *type)
{
    json_t *conds = json_object_get(status, "conditions");
    size_t i;
    json_t *c;
    json_array_foreach(conds, i, c)
    {
        if (fd_streq(fd_sim_str(c, "type"), type)) {
            json_array_remove(conds, i);
            return;
        }
    }
}

const char *fd_sim_kargo_condition_status(const json_t *status, const char *type,
                                          const json_t **cond)
{
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(status, "conditions"), i, c)
    {
        if (fd_streq(fd_sim_str(c, "type"), type)) {
            if (cond)
                *cond = c;
            return fd_sim_str(c, "status");
        }
    }
    return NULL;
}

void fd_sim_kargo_pass(struct fd_sim_ctl *ctl, int64_t now)
{
    struct fd_sim_nsset vis;
    fd_sim_ctl_take(ctl, FD_SIM_PART_WAREHOUSES, &vis);
    fd_sim_kargo_warehouses(ctl, &vis, now);
    fd_sim_nsset_clear(&vis);
    /* Each takes what to visit when it starts: what the one before it
     * wrote is the next one's to see in this same pass. */
    fd_sim_ctl_take(ctl, FD_SIM_PART_PROMOTIONS, &vis);
    fd_sim_kargo_promotions(ctl, &vis, now);
    fd_sim_nsset_clear(&vis);
    fd_sim_ctl_take(ctl, FD_SIM_PART_STAGES, &vis);
    fd_sim_kargo_stages(ctl, &vis, now);
    fd_sim_nsset_clear(&vis);
}

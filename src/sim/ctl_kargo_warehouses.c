/* sim/ctl_kargo_warehouses.c: the emulated Kargo Warehouse controller: Warehouses
 * discover the scenario's versions and make Freight (pkg/controller/warehouses). */
#include "config.h"

#include "ctl_kargo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "freightdeck/util.h"
#include "misc.h"
#include "names.h"

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
            if (fd_streq(fd_sim_str(it, "alias"), alias))
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
        json_t *st = fd_sim_kargo_status_copy(wh);
        json_object_set_new(st, "lastFreightID", json_string(id));
        json_t *disc = fd_sim_child(st, "discoveredArtifacts");
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

void fd_sim_kargo_warehouses(struct fd_sim_ctl *ctl, const struct fd_sim_nsset *vis, int64_t now)
{
    int64_t elapsed = now - ctl->clock.wall0;
    while (ctl->next_arrival < ctl->sc->n_arrivals &&
           ctl->sc->arrivals[ctl->next_arrival].at_ms <= elapsed)
        make_freight(ctl, &ctl->sc->arrivals[ctl->next_arrival++], now);
    if (ctl->next_arrival < ctl->sc->n_arrivals)
        ctl->busy = true;

    json_t *list = fd_sim_ctl_list_visit(ctl, FD_SIM_RES_WAREHOUSE, vis);
    size_t i;
    json_t *wh;
    json_array_foreach(json_object_get(list, "items"), i, wh)
    {
        json_t *st = fd_sim_kargo_status_copy(wh);
        int64_t gen =
            json_integer_value(json_object_get(json_object_get(wh, "metadata"), "generation"));
        fd_sim_kargo_ack_refresh(wh, st);
        json_object_set_new(st, "observedGeneration", json_integer(gen));
        fd_sim_kargo_set_condition(ctl, st, "Ready", "True", "ArtifactsDiscovered",
                                   "Artifacts discovered", gen, now);
        fd_sim_kargo_set_condition(ctl, st, "Healthy", "True", "Healthy", "Warehouse is healthy",
                                   gen, now);
        fd_sim_ctl_put_status(ctl, FD_SIM_RES_WAREHOUSE, wh, st);
        json_decref(st);
    }
    json_decref(list);
}

/* sim/player.c: `freightdeck sim --scenario/--speed/--faults/--seed/
 * --prometheus`: the scenario loaded, the controllers started, the faults
 * installed. */
#include "config.h"

#include "hooks.h"

#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "churn.h"
#include "ctl.h"
#include "freightdeck/prom.h"
#include "freightdeck/util.h"

struct fd_sim_player {
    struct fd_sim_scenario *sc;
    struct fd_sim_ctl *ctl;
    struct fd_sim_churn *churn;
    char *prometheus;
    char *describe;
};

struct fd_sim_player *fd_sim_player_start(struct fd_sim_api *api, const struct fd_sim_options *o,
                                          char **err)
{
    struct fd_sim_faults f;
    *err = NULL;
    if (o->faults && !fd_sim_faults_parse(o->faults, &f, err))
        return NULL;
    if (o->speed < 0 || o->speed > 100000) {
        *err = fd_xstrdup("--speed: expected a number above 0 and at most 100000");
        return NULL;
    }
    if (o->prometheus && fd_prom_check_address(o->prometheus, err) != FD_OK) {
        char *e = fd_xasprintf("--prometheus '%s': %s", o->prometheus, *err);
        free(*err);
        *err = e;
        return NULL;
    }
    const char *what = o->scenario;
    if (!what)
        what = o->nload ? "none" : "payments";
    struct fd_sim_player *p = fd_xcalloc(1, sizeof(*p));
    if (strcmp(what, "none") != 0) {
        p->sc = fd_sim_scenario_load(what, err);
        if (!p->sc || !fd_sim_scenario_apply(p->sc, api->store, err)) {
            fd_sim_player_free(p);
            return NULL;
        }
        double speed = o->speed > 0 ? o->speed : p->sc->speed;
        p->ctl = fd_sim_ctl_new(api->store, p->sc, speed, o->seed);
        if (o->prometheus) {
            p->prometheus = fd_xstrdup(o->prometheus);
            p->ctl->prometheus = p->prometheus;
        }
        fd_sim_hooks_set_ctl(p->ctl);
        fd_sim_ctl_start(p->ctl);
        p->describe = fd_xasprintf("scenario %s at speed %g%s%s", p->sc->name, speed,
                                   o->prometheus ? ", measuring through " : "",
                                   o->prometheus ? o->prometheus : "");
    } else {
        /* No scenario: no controller runs, but Kargo's mutating webhooks
         * (Promotion steps and names, Freight names) are part of any cluster
         * with Kargo, so the admission hook is installed all the same. */
        p->sc = fd_xcalloc(1, sizeof(*p->sc));
        p->sc->name = fd_xstrdup("none");
        p->sc->objects = json_array();
        p->ctl = fd_sim_ctl_new(api->store, p->sc, 1, o->seed);
    }
    if (o->faults) {
        fd_sim_faults_set(&f, o->seed);
        char *d = fd_xasprintf("%s%sfaults %s", p->describe ? p->describe : "",
                               p->describe ? ", " : "", o->faults);
        free(p->describe);
        p->describe = d;
    }
    if (o->churn > 0) {
        p->churn = fd_sim_churn_start(api->store, o->churn);
        char *d = fd_xasprintf("%s%schurn %d changes/s", p->describe ? p->describe : "",
                               p->describe ? ", " : "", o->churn);
        free(p->describe);
        p->describe = d;
    }
    return p;
}

const char *fd_sim_player_describe(const struct fd_sim_player *p)
{
    return p ? p->describe : NULL;
}

void fd_sim_player_free(struct fd_sim_player *p)
{
    if (!p)
        return;
    fd_sim_churn_stop(p->churn);
    if (p->ctl) {
        if (p->ctl->running)
            fd_sim_hooks_set_ctl(NULL);
        fd_sim_ctl_free(p->ctl);
    }
    struct fd_sim_faults none = {0};
    fd_sim_faults_set(&none, 0);
    fd_sim_scenario_free(p->sc);
    free(p->prometheus);
    free(p->describe);
    free(p);
}

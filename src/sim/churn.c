/* sim/churn.c: --churn N, a steady stream of changes for the benchmarks. */
#include "config.h"

#include "churn.h"

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "freightdeck/util.h"
#include "resources.h"

struct target {
    const struct fd_sim_resource *r;
    char *ns, *name;
};

struct fd_sim_churn {
    struct fd_sim_store *st;
    int rate;
    struct target *targets;
    size_t n;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop;
    atomic_ulong count;
};

static void collect(struct fd_sim_churn *ch, enum fd_sim_resource_id id)
{
    const struct fd_sim_resource *r = &fd_sim_resources[id];
    struct fd_sim_key k = {r->group, r->version, r->plural, NULL, NULL};
    json_t *list = fd_sim_store_list(ch->st, &k, NULL, NULL);
    json_t *items = json_object_get(list, "items"), *o;
    size_t i;
    ch->targets =
        fd_xreallocarray(ch->targets, ch->n + json_array_size(items), sizeof(*ch->targets));
    json_array_foreach(items, i, o)
    {
        json_t *md = json_object_get(o, "metadata");
        struct target *t = &ch->targets[ch->n++];
        t->r = r;
        t->ns = fd_xstrdup(json_string_value(json_object_get(md, "namespace")));
        t->name = fd_xstrdup(json_string_value(json_object_get(md, "name")));
    }
    json_decref(list);
}

static void change(struct fd_sim_churn *ch, unsigned long n)
{
    /* A stride coprime with most sizes spreads the changes over the
     * projects and kinds instead of walking one project's Freight. */
    const struct target *t = &ch->targets[(size_t)((n * 7919u) % ch->n)];
    struct fd_sim_key k = {t->r->group, t->r->version, t->r->plural, t->ns, t->name};
    char v[32];
    snprintf(v, sizeof(v), "%lu", n);
    json_t *patch =
        json_pack("{s:{s:{s:s}}}", "metadata", "annotations", "sim.freightdeck.io/churn", v);
    json_t *err = NULL;
    json_decref(fd_sim_store_patch(ch->st, &k, FD_SIM_PATCH_MERGE, patch, NULL, &err));
    json_decref(err); /* deleted meanwhile: the next one */
    json_decref(patch);
}

static void *churn_main(void *arg)
{
    struct fd_sim_churn *ch = arg;
    struct timespec next;
    long step_ns = 1000000000L / ch->rate;
    clock_gettime(CLOCK_MONOTONIC, &next);
    pthread_mutex_lock(&ch->mu);
    while (!ch->stop) {
        next.tv_nsec += step_ns;
        while (next.tv_nsec >= 1000000000L) {
            next.tv_nsec -= 1000000000L;
            next.tv_sec++;
        }
        /* An absolute schedule: the rate holds even when a write is slow. */
        while (!ch->stop && pthread_cond_timedwait(&ch->cv, &ch->mu, &next) == 0)
            ;
        if (ch->stop || !ch->n)
            continue;
        pthread_mutex_unlock(&ch->mu);
        change(ch, atomic_fetch_add(&ch->count, 1));
        pthread_mutex_lock(&ch->mu);
    }
    pthread_mutex_unlock(&ch->mu);
    return NULL;
}

struct fd_sim_churn *fd_sim_churn_start(struct fd_sim_store *st, int rate)
{
    struct fd_sim_churn *ch = fd_xcalloc(1, sizeof(*ch));
    pthread_condattr_t ca;
    ch->st = st;
    ch->rate = rate < 1 ? 1 : rate > FD_SIM_CHURN_MAX ? FD_SIM_CHURN_MAX : rate;
    collect(ch, FD_SIM_RES_STAGE);
    collect(ch, FD_SIM_RES_FREIGHT);
    collect(ch, FD_SIM_RES_ANALYSISRUN);
    pthread_mutex_init(&ch->mu, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&ch->cv, &ca);
    pthread_condattr_destroy(&ca);
    if (pthread_create(&ch->thread, NULL, churn_main, ch) != 0)
        fd_fatal("cannot start the churn thread");
    return ch;
}

void fd_sim_churn_stop(struct fd_sim_churn *ch)
{
    if (!ch)
        return;
    pthread_mutex_lock(&ch->mu);
    ch->stop = true;
    pthread_cond_signal(&ch->cv);
    pthread_mutex_unlock(&ch->mu);
    pthread_join(ch->thread, NULL);
    for (size_t i = 0; i < ch->n; i++) {
        free(ch->targets[i].ns);
        free(ch->targets[i].name);
    }
    free(ch->targets);
    pthread_mutex_destroy(&ch->mu);
    pthread_cond_destroy(&ch->cv);
    free(ch);
}

/* sim/ctl.c: the controller thread and the store helpers controllers share. */
#include "config.h"

#include "ctl.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "freightdeck/util.h"
#include "misc.h"

static struct fd_sim_key key_of(enum fd_sim_resource_id id, const char *ns, const char *name)
{
    const struct fd_sim_resource *r = &fd_sim_resources[id];
    struct fd_sim_key k = {r->group, r->version, r->plural, r->namespaced ? ns : NULL, name};
    return k;
}

json_t *fd_sim_ctl_get(struct fd_sim_ctl *ctl, enum fd_sim_resource_id id, const char *ns,
                       const char *name)
{
    struct fd_sim_key k = key_of(id, ns, name);
    return name ? fd_sim_store_get(ctl->st, &k, NULL) : NULL;
}

json_t *fd_sim_ctl_list(struct fd_sim_ctl *ctl, enum fd_sim_resource_id id, const char *ns)
{
    struct fd_sim_key k = key_of(id, ns, NULL);
    json_t *l = fd_sim_store_list(ctl->st, &k, NULL, NULL);
    return l ? l : json_pack("{s:[]}", "items");
}

static void log_write_error(const char *what, const json_t *obj, json_t *err)
{
    fd_log(FD_LOG_WARN, "sim: %s %s/%s: %s", what,
           fd_sim_meta(obj, "namespace") ? fd_sim_meta(obj, "namespace") : "",
           fd_sim_meta(obj, "name") ? fd_sim_meta(obj, "name") : "",
           err ? json_string_value(json_object_get(err, "message")) : "?");
    json_decref(err);
}

bool fd_sim_ctl_put_status(struct fd_sim_ctl *ctl, enum fd_sim_resource_id id, const json_t *obj,
                           const json_t *status)
{
    json_t *cur = fd_sim_ctl_get(ctl, id, fd_sim_meta(obj, "namespace"), fd_sim_meta(obj, "name"));
    if (!cur)
        return false;
    if (json_equal(json_object_get(cur, "status"), fd_sim_mut(status))) {
        json_decref(cur);
        return false;
    }
    json_object_set(cur, "status", fd_sim_mut(status));
    struct fd_sim_key k = key_of(id, fd_sim_meta(cur, "namespace"), fd_sim_meta(cur, "name"));
    struct fd_sim_write w = {0};
    if (fd_sim_resources[id].has_status)
        w.subresource = "status";
    json_t *err = NULL;
    json_t *out = fd_sim_store_update(ctl->st, &k, cur, &w, &err);
    if (!out)
        log_write_error("status update", cur, err);
    json_decref(cur);
    json_decref(out);
    return out != NULL;
}

bool fd_sim_ctl_put(struct fd_sim_ctl *ctl, enum fd_sim_resource_id id, const json_t *obj)
{
    json_t *cur = fd_sim_ctl_get(ctl, id, fd_sim_meta(obj, "namespace"), fd_sim_meta(obj, "name"));
    if (!cur)
        return false;
    if (json_equal(cur, fd_sim_mut(obj))) {
        json_decref(cur);
        return false;
    }
    json_t *cand = json_deep_copy(obj);
    json_object_set(json_object_get(cand, "metadata"), "resourceVersion",
                    json_object_get(json_object_get(cur, "metadata"), "resourceVersion"));
    struct fd_sim_key k = key_of(id, fd_sim_meta(cur, "namespace"), fd_sim_meta(cur, "name"));
    json_t *err = NULL;
    json_t *out = fd_sim_store_update(ctl->st, &k, cand, NULL, &err);
    if (!out)
        log_write_error("update", cand, err);
    json_decref(cand);
    json_decref(cur);
    json_decref(out);
    return out != NULL;
}

json_t *fd_sim_ctl_create(struct fd_sim_ctl *ctl, enum fd_sim_resource_id id, const char *ns,
                          const json_t *obj)
{
    struct fd_sim_key k = key_of(id, ns, NULL);
    struct fd_sim_write w = {0};
    w.keep_status = true;
    json_t *err = NULL;
    json_t *out = fd_sim_store_create(ctl->st, &k, obj, &w, &err);
    if (!out)
        log_write_error("create", obj, err);
    return out;
}

void fd_sim_ctl_set_subject(struct fd_sim_ctl *ctl, const char *ns, const char *name,
                            const char *version)
{
    char *key = fd_xasprintf("%s/%s", ns, name);
    for (size_t i = 0; i < ctl->n_subjects; i++) {
        if (strcmp(ctl->subjects[i].key, key) == 0) {
            free(ctl->subjects[i].version);
            ctl->subjects[i].version = fd_xstrdup(version);
            free(key);
            return;
        }
    }
    ctl->subjects = fd_xreallocarray(ctl->subjects, ctl->n_subjects + 1, sizeof(*ctl->subjects));
    ctl->subjects[ctl->n_subjects].key = key;
    ctl->subjects[ctl->n_subjects++].version = fd_xstrdup(version);
}

const char *fd_sim_ctl_subject(const struct fd_sim_ctl *ctl, const char *ns, const char *name)
{
    size_t nl = strlen(ns);
    for (size_t i = 0; i < ctl->n_subjects; i++) {
        const char *k = ctl->subjects[i].key;
        if (strncmp(k, ns, nl) == 0 && k[nl] == '/' && strcmp(k + nl + 1, name) == 0)
            return ctl->subjects[i].version;
    }
    return NULL;
}

struct fd_sim_ctl *fd_sim_ctl_new(struct fd_sim_store *st, struct fd_sim_scenario *sc, double speed,
                                  uint64_t seed)
{
    struct fd_sim_ctl *ctl = fd_xcalloc(1, sizeof(*ctl));
    ctl->st = st;
    ctl->sc = sc;
    ctl->seed = seed;
    ctl->rng = seed ^ 0x5eedF00Dull;
    fd_sim_clock_init(&ctl->clock, speed);
    ctl->metrics_at = fd_sim_clock_now(&ctl->clock);
    ctl->requests = fd_xcalloc(sc->n_bindings ? sc->n_bindings : 1, sizeof(*ctl->requests));
    fd_sim_store_set_admit(st, fd_sim_kargo_admit, ctl);
    fd_sim_ctl_track(ctl);
    return ctl;
}

/* While timers run, the thread passes at least every CATCH_UP_MS of scenario
 * time: a pass that comes late (a loaded machine, a high --speed) first
 * replays the scenario time it missed in steps of this size, so measurements,
 * steps and arrivals happen at their scenario times and in their order
 * whatever the scheduling. */
#define CATCH_UP_MS 2000

static void pass_at(struct fd_sim_ctl *ctl, int64_t now)
{
    fd_sim_metrics_advance(ctl, now);
    fd_sim_kargo_pass(ctl, now);
    fd_sim_rollouts_pass(ctl, now);
    fd_sim_analysis_pass(ctl, now);
}

void fd_sim_ctl_pass(struct fd_sim_ctl *ctl)
{
    fd_sim_store_lock(ctl->st);
    pass_at(ctl, fd_sim_clock_now(&ctl->clock));
    fd_sim_store_unlock(ctl->st);
}

/* One pass at the clock's time; when timers were running since the pass at
 * *last, first the missed scenario time, CATCH_UP_MS at a time, until the
 * timers are done. */
static void pass_catching_up(struct fd_sim_ctl *ctl, bool timers, int64_t *last)
{
    fd_sim_store_lock(ctl->st);
    int64_t now = fd_sim_clock_now(&ctl->clock);
    for (int64_t t = *last + CATCH_UP_MS; timers && *last >= 0 && t < now; t += CATCH_UP_MS) {
        ctl->busy = false;
        pass_at(ctl, t);
        timers = ctl->busy;
    }
    ctl->busy = false;
    pass_at(ctl, now);
    *last = now;
    fd_sim_store_unlock(ctl->st);
}

static void *thread_main(void *arg)
{
    struct fd_sim_ctl *ctl = arg;
    uint64_t seen = UINT64_MAX;
    int64_t last = -1;
    while (!__atomic_load_n(&ctl->stop, __ATOMIC_ACQUIRE)) {
        /* A pass when the store changed in what a controller reads (its
         * own writes included, until a pass writes nothing) or a timer
         * runs; otherwise sleep: an idle scenario, or one whose only
         * changes are annotations no controller reads, costs no CPU. */
        uint64_t rv = fd_sim_store_rv(ctl->st);
        if (rv != seen || ctl->busy) {
            fd_sim_store_lock(ctl->st);
            bool due = ctl->busy || fd_sim_ctl_dirty(ctl);
            fd_sim_store_unlock(ctl->st);
            /* (not held across the pass, which lets it go between
             * namespaces) */
            if (due)
                pass_catching_up(ctl, ctl->busy, &last);
            seen = rv;
        }
        /* At most a pass per 10 ms however busy the store is. */
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
        if (__atomic_load_n(&ctl->stop, __ATOMIC_ACQUIRE))
            break;
        fd_sim_store_wait(ctl->st, seen, ctl->busy ? 40 : 1000);
    }
    return NULL;
}

void fd_sim_ctl_start(struct fd_sim_ctl *ctl)
{
    if (ctl->running)
        return;
    ctl->stop = false;
    if (pthread_create(&ctl->thread, NULL, thread_main, ctl) != 0)
        fd_fatal("cannot start the controller thread");
    ctl->running = true;
}

static void fd_sim_ctl_stop(struct fd_sim_ctl *ctl)
{
    if (!ctl->running)
        return;
    __atomic_store_n(&ctl->stop, true, __ATOMIC_RELEASE);
    pthread_join(ctl->thread, NULL);
    ctl->running = false;
}

void fd_sim_ctl_free(struct fd_sim_ctl *ctl)
{
    if (ctl)
        fd_sim_clock_release(&ctl->clock);
    if (!ctl)
        return;
    fd_sim_ctl_stop(ctl);
    fd_sim_store_set_admit(ctl->st, NULL, NULL);
    fd_sim_ctl_untrack(ctl);
    fd_sim_kargo_free(ctl);
    fd_sim_rollouts_free(ctl);
    fd_sim_analysis_free(ctl);
    for (size_t i = 0; i < ctl->n_subjects; i++) {
        free(ctl->subjects[i].key);
        free(ctl->subjects[i].version);
    }
    free(ctl->subjects);
    free(ctl->requests);
    free(ctl);
}

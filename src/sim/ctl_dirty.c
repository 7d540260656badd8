/* sim/ctl_dirty.c: what each emulated controller must visit: the namespaces
 * the store's changes touched since its last run, without the writes no
 * controller reads (an annotation of the churn, a Freight's new alias), and
 * those its timers are in. */
#include "config.h"

#include "ctl.h"

#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "freightdeck/util.h"
#include "misc.h"

/* ---- sets of namespaces ------------------------------------------------ */

int fd_sim_ns_cmp(const char *a, const char *b)
{
    /* As if each ended in '/', which no name holds: "a-b/x" < "a/x". */
    for (;; a++, b++) {
        int ca = *a ? (unsigned char)*a : '/', cb = *b ? (unsigned char)*b : '/';
        if (ca != cb)
            return ca - cb;
        if (!*a)
            return 0;
    }
}

/* The index of the first name >= ns. */
static size_t nsset_lower(const struct fd_sim_nsset *s, const char *ns)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (fd_sim_ns_cmp(s->v[mid], ns) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void fd_sim_nsset_add(struct fd_sim_nsset *s, const char *ns)
{
    if (!ns || !ns[0]) {
        fd_sim_nsset_clear(s);
        s->all = true;
        return;
    }
    if (s->all)
        return;
    size_t at = nsset_lower(s, ns);
    if (at < s->n && fd_sim_ns_cmp(s->v[at], ns) == 0)
        return;
    s->v = fd_xreallocarray(s->v, s->n + 1, sizeof(*s->v));
    memmove(s->v + at + 1, s->v + at, (s->n - at) * sizeof(*s->v));
    s->v[at] = fd_xstrdup(ns);
    s->n++;
}

void fd_sim_nsset_remove(struct fd_sim_nsset *s, const char *ns)
{
    size_t at = ns ? nsset_lower(s, ns) : s->n;
    if (at == s->n || fd_sim_ns_cmp(s->v[at], ns) != 0)
        return;
    free(s->v[at]);
    memmove(s->v + at, s->v + at + 1, (s->n - at - 1) * sizeof(*s->v));
    s->n--;
}

bool fd_sim_nsset_has(const struct fd_sim_nsset *s, const char *ns)
{
    if (s->all)
        return true;
    if (!ns)
        return false;
    size_t at = nsset_lower(s, ns);
    return at < s->n && fd_sim_ns_cmp(s->v[at], ns) == 0;
}

void fd_sim_nsset_clear(struct fd_sim_nsset *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    s->v = NULL;
    s->n = 0;
    s->all = false;
}

/* ---- which writes matter ------------------------------------------------ */

/* Kargo's kinds and AnalysisRuns: the controllers read no annotation of
 * theirs outside kargo.akuity.io/ (refresh, reverify, abort). A Rollout's
 * every annotation goes onto its ReplicaSets, so every kind else counts
 * whole. */
static bool annotations_ignored(enum fd_sim_resource_id id)
{
    switch (id) {
    case FD_SIM_RES_STAGE:
    case FD_SIM_RES_FREIGHT:
    case FD_SIM_RES_WAREHOUSE:
    case FD_SIM_RES_PROMOTION:
    case FD_SIM_RES_PROJECTCONFIG:
    case FD_SIM_RES_ANALYSISRUN:
        return true;
    default:
        return false;
    }
}

#define KARGO_PREFIX "kargo.akuity.io/"

/* Every kargo.akuity.io/ annotation of a is in b with the same value. */
static bool kargo_annotations_in(const json_t *a, const json_t *b)
{
    const char *k;
    json_t *v;
    json_object_foreach(fd_sim_mut(a), k, v)
    {
        if (strncmp(k, KARGO_PREFIX, strlen(KARGO_PREFIX)) == 0 &&
            !json_equal(v, json_object_get(b, k)))
            return false;
    }
    return true;
}

/* Every member of a but those skip names is in b and equal to it. */
static bool members_in(const json_t *a, const json_t *b, const char *const *skip)
{
    const char *k;
    json_t *v;
    json_object_foreach(fd_sim_mut(a), k, v)
    {
        bool skipped = false;
        for (size_t i = 0; skip[i] && !skipped; i++)
            skipped = strcmp(k, skip[i]) == 0;
        if (!skipped && !json_equal(v, json_object_get(b, k)))
            return false;
    }
    return true;
}

/* Whether obj differs from old only in what no controller reads. */
static bool bookkeeping_only(enum fd_sim_resource_id id, const json_t *old, const json_t *obj)
{
    if (!annotations_ignored(id) || !json_is_object(old) || !json_is_object(obj))
        return false;
    bool freight = id == FD_SIM_RES_FREIGHT;
    static const char *const top[] = {"metadata", NULL};
    static const char *const top_freight[] = {"metadata", "alias", NULL};
    static const char *const meta[] = {"resourceVersion", "managedFields", "annotations", NULL};
    /* A Freight has no spec: its alias bumps its generation, which no
     * controller reads. */
    static const char *const meta_freight[] = {"resourceVersion", "managedFields", "annotations",
                                               "labels",          "generation",    NULL};
    const char *const *t = freight ? top_freight : top;
    const char *const *m = freight ? meta_freight : meta;
    const json_t *om = json_object_get(old, "metadata"), *nm = json_object_get(obj, "metadata");
    const json_t *oa = json_object_get(om, "annotations"), *na = json_object_get(nm, "annotations");
    return members_in(old, obj, t) && members_in(obj, old, t) && members_in(om, nm, m) &&
           members_in(nm, om, m) && kargo_annotations_in(oa, na) && kargo_annotations_in(na, oa);
}

static bool relevant(const struct fd_sim_ctl *ctl, const struct fd_sim_event *ev)
{
    if (ev->type != FD_SIM_MODIFIED)
        return true;
    if (ev->res->id == FD_SIM_RES_FREIGHT &&
        fd_sim_nsset_has(&ctl->auto_ns, fd_sim_meta(ev->object, "namespace")))
        return true;
    return !bookkeeping_only(ev->res->id, ev->old, ev->object);
}

static void observe(void *ud, const struct fd_sim_event *ev)
{
    struct fd_sim_ctl *ctl = ud;
    if (!relevant(ctl, ev))
        return;
    /* A cluster-scoped object (a ClusterAnalysisTemplate, a Namespace), and
     * what Kargo's expressions read from any namespace (ConfigMaps and
     * Secrets), may matter to every namespace. */
    const char *ns = NULL;
    if (ev->res->namespaced && ev->res->id != FD_SIM_RES_CONFIGMAP &&
        ev->res->id != FD_SIM_RES_SECRET)
        ns = fd_sim_meta(ev->object, "namespace");
    for (size_t p = 0; p < FD_SIM_PART__COUNT; p++)
        fd_sim_nsset_add(&ctl->dirty[p], ns);
}

void fd_sim_ctl_track(struct fd_sim_ctl *ctl)
{
    for (size_t p = 0; p < FD_SIM_PART__COUNT; p++)
        fd_sim_nsset_add(&ctl->dirty[p], NULL);
    ctl->untracked = fd_sim_store_add_observer(ctl->st, observe, ctl) != 0;
}

void fd_sim_ctl_untrack(struct fd_sim_ctl *ctl)
{
    if (!ctl->untracked)
        fd_sim_store_remove_observer(ctl->st, observe, ctl);
    for (size_t p = 0; p < FD_SIM_PART__COUNT; p++)
        fd_sim_nsset_clear(&ctl->dirty[p]);
    fd_sim_nsset_clear(&ctl->auto_ns);
}

bool fd_sim_ctl_dirty(const struct fd_sim_ctl *ctl)
{
    if (ctl->untracked)
        return true;
    for (size_t p = 0; p < FD_SIM_PART__COUNT; p++)
        if (ctl->dirty[p].all || ctl->dirty[p].n)
            return true;
    return false;
}

void fd_sim_ctl_take(struct fd_sim_ctl *ctl, enum fd_sim_part part, struct fd_sim_nsset *out)
{
    *out = ctl->dirty[part];
    memset(&ctl->dirty[part], 0, sizeof(ctl->dirty[part]));
    if (ctl->untracked)
        fd_sim_nsset_add(out, NULL);
}

void fd_sim_ctl_schedule(struct fd_sim_ctl *ctl, enum fd_sim_part part, const char *ns)
{
    /* A cluster-scoped object's timer: no namespace narrows it. */
    fd_sim_nsset_add(&ctl->dirty[part], ns && ns[0] ? ns : NULL);
}

json_t *fd_sim_ctl_list_visit(struct fd_sim_ctl *ctl, enum fd_sim_resource_id id,
                              const struct fd_sim_nsset *vis)
{
    if (vis->all || !fd_sim_resources[id].namespaced)
        return vis->all || vis->n ? fd_sim_ctl_list(ctl, id, NULL) : json_pack("{s:[]}", "items");
    json_t *out = json_pack("{s:[]}", "items");
    json_t *items = json_object_get(out, "items");
    for (size_t i = 0; i < vis->n; i++) {
        json_t *l = fd_sim_ctl_list(ctl, id, vis->v[i]);
        json_array_extend(items, json_object_get(l, "items"));
        json_decref(l);
    }
    return out;
}

void fd_sim_ctl_yield(struct fd_sim_ctl *ctl)
{
    fd_sim_store_unlock(ctl->st);
    sched_yield();
    fd_sim_store_lock(ctl->st);
}

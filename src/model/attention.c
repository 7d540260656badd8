/* model/attention.c: what waits for a human — Freight ready for a Stage
 * without auto-promotion, Rollouts paused until promoted, inconclusive runs,
 * and Stages the console cannot read. */
#include "config.h"

#include "freightdeck/model.h"

#include <stdlib.h>
#include <string.h>

static const char *const attention_text[] = {
#define FD_MODEL_ATTENTION_ROW(id, text, mark) text,
    FD_MODEL_ATTENTION_TABLE(FD_MODEL_ATTENTION_ROW)
#undef FD_MODEL_ATTENTION_ROW
};
static const char *const attention_mark[] = {
#define FD_MODEL_ATTENTION_ROW(id, text, mark) mark,
    FD_MODEL_ATTENTION_TABLE(FD_MODEL_ATTENTION_ROW)
#undef FD_MODEL_ATTENTION_ROW
};

const char *fd_model_attention_text(enum fd_model_attention_kind k)
{
    return (unsigned)k < FD_ARRAY_SIZE(attention_text) ? attention_text[k] : "unknown";
}

const char *fd_model_attention_mark(enum fd_model_attention_kind k)
{
    return (unsigned)k < FD_ARRAY_SIZE(attention_mark) ? attention_mark[k] : "waits";
}

void fd_model_attention_sort(struct fd_model_attention *items, size_t n)
{
    /* Insertion sort: stable, and the lists are short. */
    for (size_t i = 1; i < n; i++) {
        struct fd_model_attention x = items[i];
        size_t j = i;
        while (j > 0 && items[j - 1].kind > x.kind) {
            items[j] = items[j - 1];
            j--;
        }
        items[j] = x;
    }
}

struct list {
    struct fd_model_attention *items;
    size_t n, cap;
};

static void add(struct list *l, enum fd_model_attention_kind kind,
                const struct fd_model_object *obj, const struct fd_model_object *stage,
                char *detail)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        l->items = fd_xreallocarray(l->items, l->cap, sizeof(*l->items));
    }
    l->items[l->n++] = (struct fd_model_attention){kind, obj, stage, detail, NULL};
}

static const char *freight_label(const struct fd_model_object *f)
{
    return f->u.freight && f->u.freight->alias ? f->u.freight->alias : f->meta.name;
}

/* The newest Freight from warehouse that a human could promote into stage
 * and that has never been there. fl is every Freight, newest first, so the
 * walk stops at the first match or at the Stage's current Freight. */
static void freight_ready(struct list *l, const struct fd_model_snapshot *snap,
                          const struct fd_model_object *stage, const char *warehouse, int64_t now,
                          const struct fd_model_object *const *fl, size_t n)
{
    const struct fd_model_stage *s = stage->u.stage;
    const struct fd_model_freight_ref *cur = fd_model_stage_current_freight(s, warehouse);
    const struct fd_model_object *current = NULL;

    if (cur && cur->name)
        current = fd_model_snapshot_find(snap, FD_MODEL_FREIGHT, stage->meta.ns, cur->name);
    for (size_t i = 0; i < n; i++) {
        const struct fd_model_object *f = fl[i];
        const struct fd_model_freight *fr = f->u.freight;
        if (current && fd_model_freight_newest_first(&f, &current) >= 0)
            break;
        if (!fr || !fd_streq(f->meta.ns, stage->meta.ns) || !fd_streq(fr->origin.name, warehouse))
            continue;
        if (fd_model_freight_currently_in(fr, stage->meta.name) ||
            fd_model_freight_verified_in(fr, stage->meta.name))
            continue;
        enum fd_model_availability why = fd_model_freight_availability(stage, f, now, NULL);
        if (why != FD_MODEL_AVAILABLE_APPROVED && why != FD_MODEL_AVAILABLE_VERIFIED_UPSTREAM)
            continue;
        add(l, FD_MODEL_ATTENTION_FREIGHT_READY, f, stage,
            fd_xasprintf("%s: Freight %s (%.7s) %s", stage->meta.name, freight_label(f),
                         f->meta.name, fd_model_availability_text(why)));
        return;
    }
}

size_t fd_model_attention_list(const struct fd_model_snapshot *snap, const char *ns, int64_t now,
                               struct fd_model_attention **out)
{
    struct list l = {NULL, 0, 0};
    struct fd_model_object *const *list;
    size_t n;

    size_t nf;
    struct fd_model_object *const *all = fd_model_snapshot_list(snap, FD_MODEL_FREIGHT, &nf);
    const struct fd_model_object **fl = fd_xcalloc(nf + 1, sizeof(*fl));
    size_t nfl = 0;
    for (size_t i = 0; i < nf; i++)
        if (!ns || fd_streq(all[i]->meta.ns, ns))
            fl[nfl++] = all[i];
    qsort(fl, nfl, sizeof(*fl), fd_model_freight_newest_first);

    list = fd_model_snapshot_list(snap, FD_MODEL_STAGE, &n);
    for (size_t i = 0; i < n; i++) {
        const struct fd_model_stage *s = list[i]->u.stage;
        if (!s || (ns && !fd_streq(list[i]->meta.ns, ns)) ||
            fd_model_stage_auto_promotion(snap, list[i]))
            continue;
        for (size_t r = 0; r < s->n_requests; r++) {
            const char *wh = s->requests[r].origin.name;
            bool seen = false;
            for (size_t k = 0; k < r; k++)
                seen |= fd_streq(s->requests[k].origin.name, wh);
            if (wh && !seen)
                freight_ready(&l, snap, list[i], wh, now, fl, nfl);
        }
    }
    free(fl);
    /* Stages the model could not decode: whatever waits there cannot be
     * told, so the header must not say that nothing does. */
    for (size_t i = 0; i < n; i++) {
        const struct fd_model_object *o = list[i];
        if (!o->undecodable || (ns && !fd_streq(o->meta.ns, ns)))
            continue;
        char *what = fd_model_object_describe(o);
        size_t wl = strlen(what);
        const char *why = o->error ? o->error : "";
        if (strncmp(why, what, wl) == 0 && strncmp(why + wl, ": ", 2) == 0)
            why += wl + 2; /* (the detail names the Stage once) */
        add(&l, FD_MODEL_ATTENTION_STAGE_INVALID, o, o,
            fd_xasprintf("%s: cannot be read: %s", o->meta.name, why));
        free(what);
    }
    /* Stages whose current verification failed. */
    for (size_t i = 0; i < n; i++) {
        const struct fd_model_stage *s = list[i]->u.stage;
        const struct fd_model_freight_collection *col = s ? fd_model_stage_current(s) : NULL;
        const struct fd_model_verification *v =
            col && col->n_verifications ? &col->verifications[0] : NULL;
        if (!v || (ns && !fd_streq(list[i]->meta.ns, ns)) ||
            (!fd_streq(v->phase, "Failed") && !fd_streq(v->phase, "Error")))
            continue;
        add(&l, FD_MODEL_ATTENTION_VERIFICATION_FAILED, list[i], list[i],
            fd_xasprintf("%s: verification %s%s%s", list[i]->meta.name, v->phase,
                         v->message && *v->message ? ": " : "", v->message ? v->message : ""));
    }
    list = fd_model_snapshot_list(snap, FD_MODEL_ROLLOUT, &n);
    for (size_t i = 0; i < n; i++) {
        struct fd_model_canary_view v;
        if (!list[i]->u.rollout || (ns && !fd_streq(list[i]->meta.ns, ns)))
            continue;
        fd_model_rollout_canary(list[i], -1, &v);
        if (v.paused_indefinitely) {
            struct fd_buf b = FD_BUF_INIT;
            fd_buf_printf(&b, "Rollout %s", list[i]->meta.name);
            if (v.has_step)
                fd_buf_printf(&b, " at step %lld/%lld", (long long)v.step, (long long)v.steps);
            for (size_t k = 0; k < v.n_pause_reasons; k++)
                fd_buf_printf(&b, "%s%s", k ? ", " : ": ", v.pause_reasons[k]);
            add(&l, FD_MODEL_ATTENTION_ROLLOUT_PAUSED, list[i], NULL, fd_buf_steal(&b));
        } else if (list[i]->u.rollout->abort || fd_streq(v.phase, "Degraded")) {
            const char *m = list[i]->u.rollout->message;
            add(&l, FD_MODEL_ATTENTION_ROLLOUT_DEGRADED, list[i], NULL,
                fd_xasprintf("Rollout %s %s%s%s", list[i]->meta.name,
                             list[i]->u.rollout->abort ? "aborted" : "Degraded",
                             m && *m ? ": " : "", m ? m : ""));
        }
        fd_model_canary_view_free(&v);
    }
    list = fd_model_snapshot_list(snap, FD_MODEL_ANALYSIS_RUN, &n);
    for (size_t i = 0; i < n; i++) {
        const struct fd_analysis_run *run = list[i]->u.analysis;
        if (!run || (ns && !fd_streq(list[i]->meta.ns, ns)) ||
            run->phase != FD_ANALYSIS_PHASE_INCONCLUSIVE)
            continue;
        add(&l, FD_MODEL_ATTENTION_ANALYSIS_INCONCLUSIVE, list[i], NULL,
            fd_xasprintf("AnalysisRun %s inconclusive%s%s", list[i]->meta.name,
                         run->message && *run->message ? ": " : "",
                         run->message ? run->message : ""));
    }
    fd_model_attention_sort(l.items, l.n);
    *out = l.items;
    return l.n;
}

void fd_model_attention_free(struct fd_model_attention *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(items[i].detail);
        free(items[i].context);
    }
    free(items);
}

/* The Stage of stages (in ns) that rollouts puts rollout behind, or NULL. */
static const struct fd_model_object *stage_behind(const struct fd_model_snapshot *stages,
                                                  const char *ns, fd_model_rollouts_fn rollouts,
                                                  void *user, const struct fd_model_object *obj,
                                                  bool owner)
{
    size_t n;
    struct fd_model_object *const *list = fd_model_snapshot_list(stages, FD_MODEL_STAGE, &n);

    for (size_t i = 0; i < n; i++) {
        const struct fd_model_object **ro = NULL;
        size_t m;
        bool mine = false;
        if (ns && !fd_streq(list[i]->meta.ns, ns))
            continue;
        m = rollouts(user, list[i]->meta.name, &ro);
        for (size_t k = 0; k < m && !mine; k++)
            mine = owner ? fd_model_owned_by(obj, ro[k]->meta.uid) : ro[k] == obj;
        free(ro);
        if (mine)
            return list[i];
    }
    return NULL;
}

void fd_model_attention_name_stages(struct fd_model_attention *items, size_t n,
                                    const struct fd_model_snapshot *stages, const char *ns,
                                    fd_model_rollouts_fn rollouts, void *user)
{
    for (size_t i = 0; stages && i < n; i++) {
        struct fd_model_attention *a = &items[i];
        const struct fd_model_object *s = NULL;
        if (a->stage || !a->obj)
            continue;
        if (a->obj->kind == FD_MODEL_ROLLOUT && rollouts) {
            s = stage_behind(stages, ns, rollouts, user, a->obj, false);
        } else if (a->obj->kind == FD_MODEL_ANALYSIS_RUN) {
            const char *label = fd_model_label(a->obj, "kargo.akuity.io/stage");
            if (label)
                s = fd_model_snapshot_find(stages, FD_MODEL_STAGE, a->obj->meta.ns, label);
            else if (rollouts)
                s = stage_behind(stages, ns, rollouts, user, a->obj, true);
        }
        if (!s)
            continue;
        a->stage = s;
        char *d = fd_xasprintf("%s: %s", s->meta.name, a->detail ? a->detail : "");
        free(a->detail);
        a->detail = d;
    }
}

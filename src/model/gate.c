/* model/gate.c: the production gate: what is in a Stage now, and what an
 * operator must be warned about before Freight goes there. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "freightdeck/model.h"

static void warn(struct fd_model_gate *g, enum fd_model_gate_kind kind, char *text)
{
    g->warnings = fd_xreallocarray(g->warnings, g->n_warnings + 1, sizeof(*g->warnings));
    g->warnings[g->n_warnings].kind = kind;
    g->warnings[g->n_warnings].text = text;
    g->n_warnings++;
}

/* " at HH:MM" (UTC) or "". */
static void at(int64_t t, char *buf, size_t size)
{
    time_t tt = (time_t)t;
    struct tm tm;

    buf[0] = 0;
    if (t > 0 && gmtime_r(&tt, &tm))
        snprintf(buf, size, " at %02d:%02d", tm.tm_hour, tm.tm_min);
}

static bool holds(const struct fd_model_freight_collection *col, const char *freight)
{
    for (size_t i = 0; i < col->n_items; i++)
        if (fd_streq(col->items[i].name, freight))
            return true;
    return false;
}

static void failed_upstream(struct fd_model_gate *g, const struct fd_model_snapshot *snap,
                            const struct fd_model_object *stage,
                            const struct fd_model_object *freight)
{
    size_t n;
    struct fd_model_object *const *stages = fd_model_snapshot_list(snap, FD_MODEL_STAGE, &n);

    for (size_t i = 0; i < n; i++) {
        const struct fd_model_stage *s = stages[i]->undecodable ? NULL : stages[i]->u.stage;
        bool found = false;
        if (!s || stages[i] == stage || !fd_streq(stages[i]->meta.ns, freight->meta.ns))
            continue;
        for (size_t h = 0; h < s->n_history && !found; h++) {
            const struct fd_model_freight_collection *col = &s->history[h];
            if (!holds(col, freight->meta.name))
                continue;
            for (size_t v = 0; v < col->n_verifications && !found; v++) {
                const struct fd_model_verification *ver = &col->verifications[v];
                char when[32];
                if (!fd_streq(ver->phase, "Failed") && !fd_streq(ver->phase, "Error"))
                    continue;
                at(ver->finish ? ver->finish : ver->start, when, sizeof(when));
                warn(g, FD_MODEL_GATE_FAILED_UPSTREAM,
                     fd_xasprintf("verification %s %s in %s%s%s%s", ver->id ? ver->id : "",
                                  ver->phase, stages[i]->meta.name, when,
                                  ver->message && *ver->message ? ": " : "",
                                  ver->message ? ver->message : ""));
                found = true;
            }
        }
    }
}

static void canary_aborted(struct fd_model_gate *g, const struct fd_model_object *stage,
                           const struct fd_model_object *freight, fd_model_rollouts_fn rollouts,
                           void *user)
{
    const struct fd_model_freight *f = freight->u.freight;

    for (size_t i = 0; rollouts && i < f->n_currently_in; i++) {
        const char *in = f->currently_in[i].stage;
        const struct fd_model_object **ro;
        size_t n;
        if (!in || fd_streq(in, stage->meta.name))
            continue;
        n = rollouts(user, in, &ro);
        for (size_t k = 0; k < n; k++) {
            const struct fd_model_rollout *r = ro[k]->undecodable ? NULL : ro[k]->u.rollout;
            char when[32];
            if (!r || (!r->abort && !fd_streq(r->phase, "Degraded")))
                continue;
            at(r->aborted_at, when, sizeof(when));
            warn(g, FD_MODEL_GATE_CANARY_ABORTED,
                 fd_xasprintf("canary %s in %s: Rollout %s%s%s%s",
                              r->abort ? "aborted" : "Degraded", in, ro[k]->meta.name,
                              r->abort ? when : "", r->message && *r->message ? ": " : "",
                              r->message ? r->message : ""));
        }
        free(ro);
    }
}

static void not_verified(struct fd_model_gate *g, const struct fd_model_object *stage,
                         const struct fd_model_object *freight)
{
    const struct fd_model_stage *s = stage->u.stage;
    const struct fd_model_freight *f = freight->u.freight;
    struct fd_buf up = FD_BUF_INIT;
    size_t n_up = 0;

    for (size_t r = 0; r < s->n_requests; r++) {
        const struct fd_model_freight_request *q = &s->requests[r];
        if (!fd_streq(q->origin.name, f->origin.name) && q->origin.name && f->origin.name)
            continue;
        for (size_t k = 0; k < q->n_stages; k++) {
            if (fd_model_freight_verified_in(f, q->stages[k])) {
                fd_buf_free(&up);
                return;
            }
            fd_buf_printf(&up, "%s%s", n_up++ ? ", " : "", q->stages[k]);
        }
    }
    if (n_up) {
        const struct fd_model_stage_mark *ap = fd_model_freight_approved_for(f, stage->meta.name);
        char when[32];
        at(ap ? ap->at : 0, when, sizeof(when));
        warn(g, FD_MODEL_GATE_NOT_VERIFIED,
             ap ? fd_xasprintf("approved by hand for %s%s, never verified in %s", stage->meta.name,
                               when, fd_buf_cstr(&up))
                : fd_xasprintf("never verified in %s: approving it skips verification",
                               fd_buf_cstr(&up)));
    }
    fd_buf_free(&up);
}

void fd_model_gate_build(const struct fd_model_snapshot *snap, const struct fd_model_object *stage,
                         const struct fd_model_object *freight, fd_model_rollouts_fn rollouts,
                         void *user, struct fd_model_gate *out)
{
    memset(out, 0, sizeof(*out));
    if (!stage || stage->undecodable)
        return;
    out->now = fd_model_stage_current_freight(stage->u.stage, NULL);
    if (out->now && out->now->name)
        out->now_obj =
            fd_model_snapshot_find(snap, FD_MODEL_FREIGHT, stage->meta.ns, out->now->name);
    if (!freight || freight->undecodable)
        return;
    failed_upstream(out, snap, stage, freight);
    canary_aborted(out, stage, freight, rollouts, user);
    not_verified(out, stage, freight);
}

void fd_model_gate_free(struct fd_model_gate *g)
{
    for (size_t i = 0; i < g->n_warnings; i++)
        free(g->warnings[i].text);
    free(g->warnings);
    memset(g, 0, sizeof(*g));
}

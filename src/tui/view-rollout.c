/* tui/view-rollout.c: one Rollout, as `kubectl argo rollouts get rollout`
 * shows it: status and why (the abort reason, pause reasons), the canary
 * steps with the current one marked, revision, the stable and canary
 * ReplicaSets with their pod counts, and the step AnalysisRuns. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "canvas.h"
#include "console.h"

struct rollout_state {
    char *stage; /* the Stage whose Rollouts are shown */
    int height;
};

static void step_text(const struct fd_model_canary_step *s, char *buf, size_t size)
{
    char d[32];

    switch (s->kind) {
    case FD_MODEL_STEP_SET_WEIGHT:
        snprintf(buf, size, "setWeight: %lld", (long long)s->weight);
        break;
    case FD_MODEL_STEP_PAUSE:
        if (!s->pause_has_duration)
            snprintf(buf, size, "pause (until promoted)");
        else
            snprintf(buf, size, "pause: %s",
                     s->pause_duration < 0 ? "?" : fd_tui_console_age(s->pause_duration, d, sizeof(d)));
        break;
    default:
        snprintf(buf, size, "%s", fd_model_step_kind_name(s->kind));
        break;
    }
}

static int by_newest(const void *a, const void *b)
{
    const struct fd_model_object *x = *(const struct fd_model_object *const *)a;
    const struct fd_model_object *y = *(const struct fd_model_object *const *)b;

    if (x->meta.created != y->meta.created)
        return x->meta.created > y->meta.created ? -1 : 1;
    return strcmp(y->meta.name, x->meta.name);
}

/* The step AnalysisRuns of the Rollout: Argo names them
 * <rollout>-<pod-template-hash>-<revision>-<step>. */
static void step_runs(struct fd_tui_canvas *k, const struct fd_model_snapshot *snap,
                      const struct fd_model_object *ro)
{
    struct fd_model_object *const *all;
    const struct fd_model_object **mine;
    size_t n = 0, m = 0, plen = strlen(ro->meta.name);

    all = snap ? fd_model_snapshot_list(snap, FD_MODEL_ANALYSIS_RUN, &n) : NULL;
    mine = fd_xcalloc(n + 1, sizeof(*mine));
    for (size_t i = 0; all && i < n; i++)
        if (fd_streq(all[i]->meta.ns, ro->meta.ns) &&
            strncmp(all[i]->meta.name, ro->meta.name, plen) == 0 &&
            all[i]->meta.name[plen] == '-')
            mine[m++] = all[i];
    qsort(mine, m, sizeof(*mine), by_newest);
    fd_tui_canvas_put(k, FD_ROLE_HEADING, "STEP ANALYSISRUNS (%zu)", m);
    fd_tui_canvas_row(k, 2);
    if (!m) {
        fd_tui_canvas_put(k, FD_ROLE_MUTED, "none");
        fd_tui_canvas_row(k, 2);
    }
    for (size_t i = 0; i < m; i++) {
        const struct fd_analysis_run *run = mine[i]->undecodable ? NULL : mine[i]->u.analysis;
        const char *ph = run ? fd_analysis_phase_name(run->phase) : "Unknown";
        fd_tui_canvas_put(k, fd_tui_console_phase_role(ph), "%s %-12s",
                          fd_tui_glyph(fd_tui_console_phase_glyph(ph)), ph);
        fd_tui_canvas_put(k, FD_ROLE_NORMAL, " %s", mine[i]->meta.name);
        if (run && run->message && *run->message) {
            fd_tui_canvas_row(k, 4);
            fd_tui_canvas_wrap(k, fd_tui_console_phase_role(ph), 4, run->message);
        }
        fd_tui_canvas_row(k, 2);
    }
    free(mine);
}

static void one(struct fd_tui_canvas *k, struct fd_tui_console *c, const struct fd_tui_console_conn *conn,
                const struct fd_model_object *ro)
{
    const struct fd_model_rollout *r = ro->undecodable ? NULL : ro->u.rollout;
    struct fd_model_canary_view cv;
    char buf[96];
    const char *rev = fd_model_annotation(ro, "rollout.argoproj.io/revision");

    k->x = 1;
    if (!r) {
        fd_tui_canvas_put(k, FD_ROLE_FAILED, "Rollout %s: %s", ro->meta.name,
                          ro->error ? ro->error : "undecodable");
        fd_tui_canvas_row(k, 1);
        return;
    }
    fd_model_rollout_canary(ro, -1, &cv);
    const char *ph = cv.phase ? cv.phase : "Unknown";
    fd_tui_canvas_put(k, FD_ROLE_TITLE, "Rollout %s/%s", ro->meta.ns, ro->meta.name);
    if (conn && conn->store)
        fd_tui_canvas_put(k, FD_ROLE_MUTED, "  in context %s", conn->name);
    fd_tui_canvas_row(k, 2);
    fd_tui_canvas_put(k, fd_tui_console_phase_role(ph), "%s %s", fd_tui_glyph(fd_tui_console_phase_glyph(ph)),
                      ph);
    fd_tui_canvas_put(k, FD_ROLE_NORMAL, "  strategy %s",
                      r->strategy == FD_MODEL_STRATEGY_CANARY       ? "Canary"
                      : r->strategy == FD_MODEL_STRATEGY_BLUE_GREEN ? "BlueGreen"
                                                                    : "-");
    if (cv.has_step)
        fd_tui_canvas_put(k, FD_ROLE_NORMAL, "  step %lld/%lld", (long long)cv.step,
                          (long long)cv.steps);
    if (rev)
        fd_tui_canvas_put(k, FD_ROLE_NORMAL, "  revision %s", rev);
    fd_tui_canvas_put(k, FD_ROLE_NORMAL, "  weight %lld%%", (long long)cv.set_weight);
    if (cv.actual_known)
        fd_tui_canvas_put(k, FD_ROLE_MUTED, " (actual %lld%%)", (long long)cv.actual_weight);
    fd_tui_canvas_row(k, 2);
    if (r->abort) {
        fd_tui_canvas_put(k, FD_ROLE_FAILED, "%s aborted: ", fd_tui_glyph(FD_GLYPH_FAILED));
        fd_tui_canvas_wrap(k, FD_ROLE_FAILED, 4,
                           r->message && *r->message ? r->message : "(no reason recorded)");
        fd_tui_canvas_row(k, 2);
    } else if (cv.message && *cv.message) {
        fd_tui_canvas_wrap(k, FD_ROLE_MUTED, 2, cv.message);
        fd_tui_canvas_row(k, 2);
    }
    for (size_t i = 0; i < cv.n_pause_reasons; i++) {
        fd_tui_canvas_put(k, FD_ROLE_WAITING, "%s paused: %s%s", fd_tui_glyph(FD_GLYPH_PAUSED),
                          cv.pause_reasons[i],
                          cv.paused_indefinitely ? " (waits for a human: P promotes)" : "");
        fd_tui_canvas_row(k, 2);
    }
    fd_tui_canvas_row(k, 1);
    fd_tui_canvas_put(k, FD_ROLE_HEADING, "STEPS");
    fd_tui_canvas_row(k, 2);
    for (size_t i = 0; i < r->n_steps; i++) {
        int64_t cur = r->has_step_index ? r->step_index : -1;
        bool done = (int64_t)i < cur, now = (int64_t)i == cur;
        step_text(&r->steps[i], buf, sizeof(buf));
        fd_tui_canvas_put(k, now ? (r->abort ? FD_ROLE_FAILED : FD_ROLE_RUNNING)
                             : done ? FD_ROLE_OK
                                    : FD_ROLE_MUTED,
                          "%s %2zu  %s%s",
                          now    ? fd_tui_glyph(FD_GLYPH_SELECTED)
                          : done ? fd_tui_glyph(FD_GLYPH_OK)
                                 : " ",
                          i + 1, buf, now ? "   <- current" : "");
        fd_tui_canvas_row(k, 2);
    }
    if (!r->n_steps) {
        fd_tui_canvas_put(k, FD_ROLE_MUTED, "none");
        fd_tui_canvas_row(k, 2);
    }
    fd_tui_canvas_row(k, 1);
    fd_tui_canvas_put(k, FD_ROLE_HEADING, "REPLICASETS");
    fd_tui_canvas_row(k, 2);
    fd_tui_canvas_put(k, FD_ROLE_NORMAL, "desired %lld  current %lld  updated %lld  ready %lld  "
                                         "available %lld",
                      (long long)r->replicas, (long long)r->status_replicas,
                      (long long)r->updated_replicas, (long long)r->ready_replicas,
                      (long long)r->available_replicas);
    fd_tui_canvas_row(k, 2);
    if (r->stable_rs)
        fd_tui_canvas_put(k, FD_ROLE_OK, "stable  %s-%s", ro->meta.name, r->stable_rs);
    fd_tui_canvas_row(k, 2);
    if (r->current_pod_hash && !fd_streq(r->current_pod_hash, r->stable_rs))
        fd_tui_canvas_put(k, r->abort ? FD_ROLE_FAILED : FD_ROLE_RUNNING,
                          "canary  %s-%s  %lld updated pod%s%s", ro->meta.name, r->current_pod_hash,
                          (long long)r->updated_replicas, r->updated_replicas == 1 ? "" : "s",
                          r->abort ? " (scaled down: aborted)" : "");
    else
        fd_tui_canvas_put(k, FD_ROLE_MUTED, "no canary: the stable ReplicaSet runs the desired "
                                            "version");
    fd_tui_canvas_row(k, 1);
    fd_tui_canvas_row(k, 1);
    step_runs(k, fd_tui_console_conn_snap(c, conn), ro);
    fd_tui_canvas_row(k, 1);
    fd_model_canary_view_free(&cv);
}

static void draw(struct fd_tui *ui, struct fd_tui_view *v)
{
    struct fd_tui_console *c = fd_tui_console_of(ui);
    struct rollout_state *s = v->state;
    struct fd_tui_canvas k;
    const struct fd_model_object **ro;
    size_t n;

    if (!c || !s)
        return;
    fd_tui_canvas_init(&k, ui, v);
    k.x = 1;
    n = fd_tui_console_rollouts(c, s->stage, &ro);
    if (!n) {
        fd_tui_canvas_put(&k, FD_ROLE_MUTED, "no Rollout found behind Stage %s", s->stage);
        fd_tui_canvas_row(&k, 1);
    }
    for (size_t i = 0; i < n; i++)
        one(&k, c, fd_tui_console_stage_conn(c, s->stage), ro[i]);
    free(ro);
    s->height = k.y;
    fd_tui_canvas_more(&k, v, s->height);
}

static void open_view(struct fd_tui *ui, struct fd_tui_view *v)
{
    struct fd_tui_console *c = fd_tui_console_of(ui);
    struct rollout_state *s = fd_xcalloc(1, sizeof(*s));

    s->stage = fd_xstrdup(c && c->selected_stage ? c->selected_stage : "");
    v->state = s;
}

static void close_view(struct fd_tui *ui, struct fd_tui_view *v)
{
    struct rollout_state *s = v->state;

    (void)ui;
    if (s)
        free(s->stage);
    free(s);
    v->state = NULL;
}

static enum fd_tui_result request(struct fd_tui *ui, struct fd_tui_view *v, enum fd_tui_req req)
{
    struct rollout_state *s = v->state;

    if (s && fd_tui_req_action(req) != FD_MODEL_ACTION__COUNT) {
        fd_tui_console_action_dialog(ui, req, s->stage, NULL);
        return FD_TUI_HANDLED;
    }
    return fd_tui_canvas_scroll(ui, v, req, s ? s->height : 0);
}

void fd_tui_console_open_rollout(struct fd_tui *ui, const char *stage)
{
    fd_tui_console_open_stage_view(ui, stage, &fd_tui_view_rollout);
}

static const struct fd_tui_hint hints[] = {
    {FD_REQ_ROLLOUT_PROMOTE, "step"}, {FD_REQ_ROLLOUT_ABORT, "abort"},
    {FD_REQ_ROLLOUT_RETRY, "retry"},  {FD_REQ_NONE, NULL},
};

const struct fd_tui_view_ops fd_tui_view_rollout = {
    .name = "rollout",
    .title = "Rollout",
    .help = "The Stage's Rollouts as kubectl argo rollouts get rollout shows them: status\n"
            "and the abort reason, the canary steps with the current one marked, revision,\n"
            "the stable and canary ReplicaSets with pod counts, the step AnalysisRuns.",
    .hints = hints,
    .open = open_view,
    .close = close_view,
    .draw = draw,
    .request = request,
};

/* tui/view-rollout.c: one Rollout, as `kubectl argo rollouts get rollout`
 * shows it: status and why (the abort reason, pause reasons), the canary
 * steps with the current one marked, revision, the ReplicaSets the Rollout
 * owns as read from the cluster (revision, images, pod counts), and the
 * AnalysisRuns it owns, each one openable in the run view. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "canvas.h"
#include "console.h"

struct run_row;

struct rollout_state {
    char *stage; /* the Stage whose Rollouts are shown */
    int height;
    struct run_row *rows; /* the AnalysisRuns listed, from the last draw */
    size_t n_rows, cap_rows;
    size_t cursor; /* the selected one */
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
                     s->pause_duration < 0 ? "?"
                                           : fd_tui_console_age(s->pause_duration, d, sizeof(d)));
        break;
    default:
        snprintf(buf, size, "%s", fd_model_step_kind_name(s->kind));
        break;
    }
}

/* One pane line per selectable AnalysisRun, from the last draw: where its
 * row is (to scroll it into sight) and what Enter opens. */
struct run_row {
    char *ns, *name;
    int y;
};

static void rows_clear(struct rollout_state *s)
{
    for (size_t i = 0; i < s->n_rows; i++) {
        free(s->rows[i].ns);
        free(s->rows[i].name);
    }
    s->n_rows = 0;
}

static void rows_add(struct rollout_state *s, const struct fd_model_object *run, int y)
{
    if (s->n_rows == s->cap_rows) {
        s->cap_rows = s->cap_rows ? 2 * s->cap_rows : 8;
        s->rows = fd_xreallocarray(s->rows, s->cap_rows, sizeof(*s->rows));
    }
    s->rows[s->n_rows].ns = fd_xstrdup(run->meta.ns ? run->meta.ns : "");
    s->rows[s->n_rows].name = fd_xstrdup(run->meta.name);
    s->rows[s->n_rows].y = y;
    s->n_rows++;
}

/* Why no ReplicaSet is listed: the informer's state when it is not live. */
static void no_replica_sets(struct fd_tui_canvas *k, const struct fd_tui_console_conn *conn)
{
    struct fd_client_resource_state st;

    if (!conn || !conn->client) {
        fd_tui_canvas_put(k, FD_ROLE_MUTED, "no ReplicaSet of this Rollout in the loaded data");
    } else if (!fd_client_state(conn->client, FD_MODEL_REPLICA_SET, &st)) {
        fd_tui_canvas_put(k, FD_ROLE_MUTED, "ReplicaSets are not watched in context %s",
                          conn->name);
    } else if (st.conn == FD_CLIENT_CONN_LIVE) {
        fd_tui_canvas_put(k, FD_ROLE_MUTED, "no ReplicaSet owned by this Rollout");
    } else if (st.conn == FD_CLIENT_CONN_CONNECTING && !st.last_error[0]) {
        fd_tui_canvas_put(k, FD_ROLE_RUNNING, "%s reading the ReplicaSets...",
                          fd_tui_glyph(FD_GLYPH_RUNNING));
    } else {
        fd_tui_canvas_put(k, FD_ROLE_FAILED,
                          "%s could not read ReplicaSets (%s): ", fd_tui_glyph(FD_GLYPH_FAILED),
                          fd_client_conn_name(st.conn));
        fd_tui_canvas_wrap(k, FD_ROLE_FAILED, 4,
                           st.last_error[0] ? st.last_error : "no answer yet");
    }
    fd_tui_canvas_row(k, 2);
}

static enum fd_tui_role health_role(const char *h)
{
    return fd_streq(h, "Healthy")          ? FD_ROLE_OK
           : fd_streq(h, "Progressing")    ? FD_ROLE_RUNNING
           : fd_streq(h, "ReplicaFailure") ? FD_ROLE_FAILED
                                           : FD_ROLE_MUTED;
}

static enum fd_tui_glyph health_glyph(const char *h)
{
    return fd_streq(h, "Healthy")          ? FD_GLYPH_OK
           : fd_streq(h, "Progressing")    ? FD_GLYPH_RUNNING
           : fd_streq(h, "ReplicaFailure") ? FD_GLYPH_FAILED
                                           : FD_GLYPH_BULLET;
}

static void images(struct fd_tui_canvas *k, const struct fd_model_replica_set *rs)
{
    struct fd_buf b = FD_BUF_INIT;

    for (size_t i = 0; i < rs->n_images; i++)
        fd_buf_printf(&b, "%s%s", i ? ", " : "", rs->images[i]);
    for (size_t i = 0; i < rs->n_init_images; i++)
        fd_buf_printf(&b, "%s%s (init)", b.len ? ", " : "", rs->init_images[i]);
    if (b.len)
        fd_tui_canvas_wrap(k, FD_ROLE_NORMAL, 6, b.data);
    fd_buf_free(&b);
}

/* The ReplicaSets the Rollout owns, read from the cluster, newest revision
 * first, as kubectl argo rollouts lists them; the Rollout's own counts
 * above them. */
static void replica_sets(struct fd_tui_canvas *k, const struct fd_model_snapshot *snap,
                         const struct fd_tui_console_conn *conn, const struct fd_model_object *ro,
                         const struct fd_model_rollout *r)
{
    struct fd_model_rollout_rs *rs;
    size_t n = fd_model_rollout_replica_sets(snap, ro, &rs);

    fd_tui_canvas_put(k, FD_ROLE_HEADING, "REPLICASETS (%zu)", n);
    fd_tui_canvas_put(k, FD_ROLE_MUTED,
                      "  pods: desired %lld  current %lld  updated %lld  "
                      "ready %lld  available %lld",
                      (long long)r->replicas, (long long)r->status_replicas,
                      (long long)r->updated_replicas, (long long)r->ready_replicas,
                      (long long)r->available_replicas);
    fd_tui_canvas_row(k, 2);
    if (!n)
        no_replica_sets(k, conn);
    for (size_t i = 0; i < n; i++) {
        const struct fd_model_replica_set *x =
            rs[i].obj->undecodable ? NULL : rs[i].obj->u.replica_set;
        const char *mark = rs[i].stable   ? "stable"
                           : rs[i].canary ? "canary"
                           : rs[i].active ? "active"
                                          : "";
        if (!x) {
            fd_tui_canvas_put(k, FD_ROLE_FAILED, "%s %s: %s", fd_tui_glyph(FD_GLYPH_FAILED),
                              rs[i].obj->meta.name,
                              rs[i].obj->error ? rs[i].obj->error : "undecodable");
            fd_tui_canvas_row(k, 2);
            continue;
        }
        fd_tui_canvas_put(k, health_role(rs[i].health), "%s %-11s",
                          fd_tui_glyph(health_glyph(rs[i].health)), rs[i].health);
        if (rs[i].revision)
            fd_tui_canvas_put(k, FD_ROLE_NORMAL, " rev %-3lld", (long long)rs[i].revision);
        else
            fd_tui_canvas_put(k, FD_ROLE_MUTED, " rev ?  ");
        fd_tui_canvas_put(k, FD_ROLE_NORMAL, " %s", rs[i].obj->meta.name);
        if (*mark)
            fd_tui_canvas_put(k, rs[i].canary ? FD_ROLE_RUNNING : FD_ROLE_OK, "  %s", mark);
        fd_tui_canvas_row(k, 6);
        if (x->replicas == 0 && x->status_replicas == 0) {
            fd_tui_canvas_put(k, FD_ROLE_MUTED, "no pods  ");
        } else {
            fd_tui_canvas_put(k, FD_ROLE_MUTED, "%lld/%lld ready  %lld available  ",
                              (long long)x->ready_replicas, (long long)x->replicas,
                              (long long)x->available_replicas);
            if (x->status_replicas != x->replicas)
                fd_tui_canvas_put(k, FD_ROLE_RUNNING, "%lld pods now  ",
                                  (long long)x->status_replicas);
        }
        images(k, x);
        fd_tui_canvas_row(k, 2);
    }
    free(rs);
}

/* The AnalysisRuns the Rollout owns (step and background), newest first:
 * each one selectable, Enter opens it in the run view. */
static void step_runs(struct fd_tui_canvas *k, struct rollout_state *s,
                      const struct fd_model_snapshot *snap, const struct fd_model_object *ro,
                      const struct fd_model_rollout *r)
{
    const struct fd_model_object **mine;
    size_t m = fd_model_rollout_runs(snap, ro, &mine);
    char cur_idx[24] = "";

    if (r->has_step_index)
        snprintf(cur_idx, sizeof(cur_idx), "%lld", (long long)r->step_index);
    fd_tui_canvas_put(k, FD_ROLE_HEADING, "ANALYSISRUNS (%zu)", m);
    if (m)
        fd_tui_canvas_put(k, FD_ROLE_MUTED, "  Enter opens the selected one");
    fd_tui_canvas_row(k, 2);
    if (!m) {
        fd_tui_canvas_put(k, FD_ROLE_MUTED, "none");
        fd_tui_canvas_row(k, 2);
    }
    for (size_t i = 0; i < m; i++) {
        const struct fd_analysis_run *run = mine[i]->undecodable ? NULL : mine[i]->u.analysis;
        const char *ph = run ? fd_analysis_phase_name(run->phase) : "Unknown";
        const char *type = fd_model_label(mine[i], "rollout-type");
        const char *idx = fd_model_label(mine[i], "step-index");
        bool is_step = fd_streq(type, "Step");
        bool current =
            fd_streq(r->step_run.name, mine[i]->meta.name) ||
            (is_step && idx && fd_streq(idx, cur_idx) &&
             fd_streq(fd_model_label(mine[i], "rollouts-pod-template-hash"), r->current_pod_hash) &&
             i == 0);
        bool failed = run && (run->phase == FD_ANALYSIS_PHASE_FAILED ||
                              run->phase == FD_ANALYSIS_PHASE_ERROR);
        bool selected = s->n_rows == s->cursor;
        char step[32] = "";

        if (is_step && idx) {
            char *end;
            long long n = strtoll(idx, &end, 10);
            if (!*end && n >= 0)
                snprintf(step, sizeof(step), "step %lld", n + 1);
        }
        rows_add(s, mine[i], k->y);
        k->x = 0;
        fd_tui_canvas_put(k, FD_ROLE_SELECTION, "%s ",
                          selected ? fd_tui_glyph(FD_GLYPH_SELECTED) : " ");
        fd_tui_canvas_put(k, fd_tui_console_phase_role(ph), "%s %-12s",
                          fd_tui_glyph(fd_tui_console_phase_glyph(ph)), ph);
        fd_tui_canvas_put(k, FD_ROLE_NORMAL, " %-8s %s",
                          *step  ? step
                          : type ? type
                                 : "-",
                          mine[i]->meta.name);
        if (current)
            fd_tui_canvas_put(k, r->abort ? FD_ROLE_FAILED : FD_ROLE_RUNNING, "  <- current step");
        if (r->abort && failed &&
            (current || fd_streq(r->step_run.name, mine[i]->meta.name) ||
             (i == 0 && !r->step_run.name))) {
            fd_tui_canvas_row(k, 4);
            fd_tui_canvas_put(k, FD_ROLE_FAILED,
                              "%s aborted the Rollout: ", fd_tui_glyph(FD_GLYPH_FAILED));
            fd_tui_canvas_wrap(k, FD_ROLE_FAILED, 4,
                               run->message && *run->message ? run->message
                                                             : "(the run recorded no message)");
        } else if (run && run->message && *run->message) {
            fd_tui_canvas_row(k, 4);
            fd_tui_canvas_wrap(k, fd_tui_console_phase_role(ph), 4, run->message);
        }
        fd_tui_canvas_row(k, 2);
    }
    free(mine);
}

static void one(struct fd_tui_canvas *k, struct fd_tui_console *c, struct rollout_state *s,
                const struct fd_tui_console_conn *conn, const struct fd_model_object *ro)
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
    fd_model_rollout_canary(
        ro, fd_model_rollout_canary_available(fd_tui_console_conn_snap(c, conn), ro), &cv);
    const char *ph = cv.phase ? cv.phase : "Unknown";
    fd_tui_canvas_put(k, FD_ROLE_TITLE, "Rollout %s/%s", ro->meta.ns, ro->meta.name);
    if (conn && conn->store)
        fd_tui_canvas_put(k, FD_ROLE_MUTED, "  in context %s", conn->name);
    fd_tui_canvas_row(k, 2);
    fd_tui_canvas_put(k, fd_tui_console_phase_role(ph), "%s %s",
                      fd_tui_glyph(fd_tui_console_phase_glyph(ph)), ph);
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
        fd_tui_canvas_put(k,
                          now    ? (r->abort ? FD_ROLE_FAILED : FD_ROLE_RUNNING)
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
    replica_sets(k, fd_tui_console_conn_snap(c, conn), conn, ro, r);
    fd_tui_canvas_row(k, 1);
    step_runs(k, s, fd_tui_console_conn_snap(c, conn), ro, r);
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
    rows_clear(s);
    n = fd_tui_console_rollouts(c, s->stage, &ro);
    if (!n) {
        fd_tui_canvas_put(&k, FD_ROLE_MUTED, "no Rollout found behind Stage %s", s->stage);
        fd_tui_canvas_row(&k, 1);
    }
    for (size_t i = 0; i < n; i++)
        one(&k, c, s, fd_tui_console_stage_conn(c, s->stage), ro[i]);
    free(ro);
    if (s->n_rows && s->cursor >= s->n_rows) { /* a run went away */
        s->cursor = s->n_rows - 1;
        fd_tui_view_dirty(ui, v);
    }
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
    if (s) {
        rows_clear(s);
        free(s->rows);
        free(s->stage);
    }
    free(s);
    v->state = NULL;
}

/* Moves the selection by delta runs and scrolls its row into sight. */
static void select_run(struct fd_tui *ui, struct fd_tui_view *v, struct rollout_state *s, int delta)
{
    if (delta < 0 && s->cursor > 0)
        s->cursor--;
    else if (delta > 0 && s->cursor + 1 < s->n_rows)
        s->cursor++;
    int y = s->rows[s->cursor].y;
    if (y < v->scroll)
        v->scroll = y;
    else if (y + 2 >= v->scroll + v->lines)
        v->scroll = y + 3 - v->lines;
    fd_tui_view_dirty(ui, v);
}

static enum fd_tui_result request(struct fd_tui *ui, struct fd_tui_view *v, enum fd_tui_req req)
{
    struct rollout_state *s = v->state;

    if (s && fd_tui_req_action(req) != FD_MODEL_ACTION__COUNT) {
        fd_tui_console_action_dialog(ui, req, s->stage, NULL);
        return FD_TUI_HANDLED;
    }
    switch (req) {
    case FD_REQ_UP:
    case FD_REQ_DOWN:
        if (!s || !s->n_rows)
            break;
        select_run(ui, v, s, req == FD_REQ_UP ? -1 : 1);
        return FD_TUI_HANDLED;
    case FD_REQ_OPEN:
        if (!s || !s->n_rows) {
            fd_tui_message(ui, FD_TUI_INFO, 3000, "no AnalysisRun to open");
            return FD_TUI_HANDLED;
        }
        fd_tui_console_open_run(ui, s->rows[s->cursor].ns, s->rows[s->cursor].name);
        return FD_TUI_HANDLED;
    default:
        break;
    }
    return fd_tui_canvas_scroll(ui, v, req, s ? s->height : 0);
}
void fd_tui_console_open_rollout(struct fd_tui *ui, const char *stage)
{
    fd_tui_console_open_stage_view(ui, stage, &fd_tui_view_rollout);
}

static const struct fd_tui_hint hints[] = {
    {FD_REQ_OPEN, "open run"},
    {FD_REQ_ROLLOUT_PROMOTE, "step"},
    {FD_REQ_ROLLOUT_ABORT, "abort"},
    {FD_REQ_ROLLOUT_RETRY, "retry"},
    {FD_REQ_NONE, NULL},
};

const struct fd_tui_view_ops fd_tui_view_rollout = {
    .name = "rollout",
    .title = "Rollout",
    .help = "The Stage's Rollouts as kubectl argo rollouts get rollout shows them: status\n"
            "and the abort reason, the canary steps with the current one marked, revision,\n"
            "the ReplicaSets read from the cluster (revision, images, pod counts), and the\n"
            "AnalysisRuns the Rollout owns: Up/Down select one, Enter opens it.",
    .hints = hints,
    .open = open_view,
    .close = close_view,
    .draw = draw,
    .request = request,
};

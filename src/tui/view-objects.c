/* tui/view-objects.c: k9s-style lists of every Rollout (:rollouts) and every
 * AnalysisRun (:runs) the console watches, across its clusters, filterable;
 * Enter opens what they belong to (the Rollout pane of its Stage, the Stage
 * pane of a verification). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "console.h"

struct row {
    const struct fd_model_object *obj;
    const char *context;
    const char *stage; /* the Stage it belongs to, or NULL */
};

struct objects_state {
    enum fd_model_kind kind;
    bool by_phase; /* s: by phase (then name) instead of by name */
};

static const char *phase_of(const struct fd_model_object *o)
{
    if (o->undecodable)
        return "Unknown";
    if (o->kind == FD_MODEL_ANALYSIS_RUN)
        return fd_analysis_phase_name(o->u.analysis->phase);
    return o->u.rollout->phase ? o->u.rollout->phase : "Unknown";
}

static int row_by_name(const void *a, const void *b)
{
    const struct row *x = a, *y = b;
    int d = strcmp(x->obj->meta.name, y->obj->meta.name);
    return d ? d : strcmp(x->context, y->context);
}

static int row_by_phase(const void *a, const void *b)
{
    const struct row *x = a, *y = b;
    int d = strcmp(phase_of(x->obj), phase_of(y->obj));
    return d ? d : row_by_name(a, b);
}

static enum fd_model_kind pending_kind = FD_MODEL_ROLLOUT;

/* The Stage a Rollout is behind, or NULL. Borrowed. */
static const char *stage_of_rollout(struct fd_tui_console *c, const struct fd_model_object *ro)
{
    for (size_t i = 0; c->pipe && i < c->pipe->n_nodes; i++) {
        const struct fd_model_node *nd = &c->pipe->nodes[i];
        const struct fd_model_object **r;
        size_t n;
        bool mine = false;
        if (nd->kind != FD_MODEL_NODE_STAGE)
            continue;
        n = fd_tui_console_rollouts(c, nd->name, &r);
        for (size_t k = 0; k < n; k++)
            mine |= r[k] == ro;
        free(r);
        if (mine)
            return nd->name;
    }
    return NULL;
}

static const char *stage_of_run(struct fd_tui_console *c, const struct fd_model_object *run)
{
    const char *s = fd_model_label(run, "kargo.akuity.io/stage");
    size_t n;
    struct fd_model_object *const *ros;

    if (s)
        return s;
    /* A step run: <rollout>-<hash>-<revision>-<step>. */
    for (size_t i = 0; i < c->n_conns; i++) {
        const struct fd_model_snapshot *snap = fd_tui_console_conn_snap(c, &c->conns[i]);
        ros = snap ? fd_model_snapshot_list(snap, FD_MODEL_ROLLOUT, &n) : NULL;
        for (size_t k = 0; ros && k < n; k++) {
            size_t l = strlen(ros[k]->meta.name);
            if (fd_streq(ros[k]->meta.ns, run->meta.ns) &&
                strncmp(run->meta.name, ros[k]->meta.name, l) == 0 && run->meta.name[l] == '-')
                return stage_of_rollout(c, ros[k]);
        }
    }
    return NULL;
}

static size_t rows_of(struct fd_tui_console *c, struct fd_tui_view *v, enum fd_model_kind kind,
                      struct row **out)
{
    const struct objects_state *st = v->state;
    struct row *rows = NULL;
    size_t n = 0;

    for (size_t i = 0; i < (c->n_conns ? c->n_conns : 1); i++) {
        const struct fd_model_snapshot *snap =
            c->n_conns ? fd_tui_console_conn_snap(c, &c->conns[i]) : c->snap;
        size_t m;
        struct fd_model_object *const *all;
        if (!snap || (i > 0 && snap == c->snap))
            continue;
        all = fd_model_snapshot_list(snap, kind, &m);
        for (size_t k = 0; k < m; k++) {
            if (!fd_tui_filter_match(v->filter, all[k]->meta.name))
                continue;
            rows = fd_xreallocarray(rows, n + 1, sizeof(*rows));
            rows[n].obj = all[k];
            rows[n].context = c->n_conns ? c->conns[i].name : "";
            rows[n].stage =
                kind == FD_MODEL_ROLLOUT ? stage_of_rollout(c, all[k]) : stage_of_run(c, all[k]);
            n++;
        }
    }
    if (n)
        qsort(rows, n, sizeof(*rows), st && st->by_phase ? row_by_phase : row_by_name);
    *out = rows;
    return n;
}

static void draw(struct fd_tui *ui, struct fd_tui_view *v)
{
    struct fd_tui_console *c = fd_tui_console_of(ui);
    struct objects_state *s = v->state;
    struct row *rows;
    size_t n;
    int W = v->cols, y = 0;

    if (!c || !s)
        return;
    n = rows_of(c, v, s->kind, &rows);
    bool ro = s->kind == FD_MODEL_ROLLOUT;
    fd_tui_putf(ui, v->win, y++, 2, W - 3, FD_ROLE_HEADING, "%-24s %-10s %-13s %-10s %s", "NAME",
                "NAMESPACE", "PHASE", "STAGE", ro ? "STEP WEIGHT" : "MESSAGE");
    if (!n)
        fd_tui_put(ui, v->win, y + 1, 2, W - 4, FD_ROLE_MUTED,
                   !fd_tui_console_listed_all(c, s->kind) ? "loading..."
                   : v->filter                            ? "nothing matches the filter"
                                                          : "none");
    if (v->cursor >= (int)n)
        v->cursor = n ? (int)n - 1 : 0;
    int room = v->lines - 1;
    if (v->cursor < v->scroll)
        v->scroll = v->cursor;
    if (v->cursor >= v->scroll + room)
        v->scroll = v->cursor - room + 1;
    v->list_y = y;
    v->list_rows = (int)n;
    for (size_t i = (size_t)v->scroll; i < n && y < v->lines; i++, y++) {
        const struct fd_model_object *o = rows[i].obj;
        bool on = (int)i == v->cursor;
        const char *ph = "Unknown", *msg = "";
        char extra[64] = "";
        if (on) {
            fd_tui_fill(ui, v->win, y, 0, FD_ROLE_SELECTION);
            fd_tui_put(ui, v->win, y, 0, 1, FD_ROLE_SELECTION, fd_tui_glyph(FD_GLYPH_SELECTED));
        }
        if (ro && !o->undecodable) {
            struct fd_model_canary_view cv;
            fd_model_rollout_canary(o, -1, &cv);
            ph = cv.phase ? cv.phase : "Unknown";
            if (cv.has_step)
                snprintf(extra, sizeof(extra), "%lld/%lld  %lld%%", (long long)cv.step,
                         (long long)cv.steps, (long long)cv.set_weight);
            fd_tui_putf(ui, v->win, y, 2, W - 3, on ? FD_ROLE_SELECTION : FD_ROLE_NORMAL,
                        "%-24.24s %-10.10s ", o->meta.name, o->meta.ns ? o->meta.ns : "");
            fd_tui_putf(ui, v->win, y, 38, 13,
                        on ? FD_ROLE_SELECTION : fd_tui_console_phase_role(ph), "%s %s",
                        fd_tui_glyph(fd_tui_console_phase_glyph(ph)), ph);
            fd_model_canary_view_free(&cv);
        } else if (!o->undecodable) {
            ph = fd_analysis_phase_name(o->u.analysis->phase);
            msg = o->u.analysis->message ? o->u.analysis->message : "";
            fd_tui_putf(ui, v->win, y, 2, W - 3, on ? FD_ROLE_SELECTION : FD_ROLE_NORMAL,
                        "%-24.24s %-10.10s ", o->meta.name, o->meta.ns ? o->meta.ns : "");
            fd_tui_putf(ui, v->win, y, 38, 13,
                        on ? FD_ROLE_SELECTION : fd_tui_console_phase_role(ph), "%s %s",
                        fd_tui_glyph(fd_tui_console_phase_glyph(ph)), ph);
        }
        fd_tui_putf(ui, v->win, y, 52, W - 52, on ? FD_ROLE_SELECTION : FD_ROLE_NORMAL,
                    "%-10.10s %s", rows[i].stage ? rows[i].stage : "-", ro ? extra : msg);
    }
    free(rows);
}

static enum fd_tui_result request(struct fd_tui *ui, struct fd_tui_view *v, enum fd_tui_req req)
{
    struct fd_tui_console *c = fd_tui_console_of(ui);
    struct objects_state *s = v->state;
    struct row *rows;
    size_t n;
    enum fd_tui_result r = FD_TUI_IGNORED;

    if (!c || !s)
        return r;
    if (req == FD_REQ_SORT) {
        s->by_phase = !s->by_phase;
        v->cursor = v->scroll = 0;
        fd_tui_message(ui, FD_TUI_INFO, 3000, "sorted by %s", s->by_phase ? "phase" : "name");
        fd_tui_view_dirty(ui, v);
        return FD_TUI_HANDLED;
    }
    n = rows_of(c, v, s->kind, &rows);
    if (fd_tui_list_request(ui, v, req, (int)n) == FD_TUI_HANDLED) {
        free(rows);
        return FD_TUI_HANDLED;
    }
    if (req == FD_REQ_OPEN && n && v->cursor < (int)n && s->kind == FD_MODEL_ANALYSIS_RUN) {
        /* A run opens itself, as the Stage pane shows a verification. */
        fd_tui_console_open_run(ui, rows[v->cursor].obj->meta.ns, rows[v->cursor].obj->meta.name);
        r = FD_TUI_HANDLED;
    } else if (req == FD_REQ_OPEN && n && v->cursor < (int)n) {
        const char *stage = rows[v->cursor].stage;
        if (!stage)
            fd_tui_message(ui, FD_TUI_INFO, 5000, "%s belongs to no Stage of project %s",
                           rows[v->cursor].obj->meta.name, c->project ? c->project : "-");
        else if (s->kind == FD_MODEL_ROLLOUT ||
                 !fd_model_label(rows[v->cursor].obj, "kargo.akuity.io/stage"))
            fd_tui_console_open_rollout(ui, stage);
        else
            fd_tui_console_open_stage(ui, stage);
        r = FD_TUI_HANDLED;
    }
    free(rows);
    return r;
}

static void open_view(struct fd_tui *ui, struct fd_tui_view *v)
{
    struct objects_state *s = fd_xcalloc(1, sizeof(*s));

    (void)ui;
    s->kind = pending_kind;
    v->state = s;
}

static void close_view(struct fd_tui *ui, struct fd_tui_view *v)
{
    (void)ui;
    free(v->state);
    v->state = NULL;
}

void fd_tui_console_open_objects(struct fd_tui *ui, enum fd_model_kind kind)
{
    while (fd_tui_pop_view(ui))
        ;
    pending_kind = kind;
    fd_tui_push_view(ui, kind == FD_MODEL_ROLLOUT ? &fd_tui_view_rollouts : &fd_tui_view_runs);
}

static const struct fd_tui_hint hints[] = {
    {FD_REQ_OPEN, "open"},
    {FD_REQ_SORT, "sort"},
    {FD_REQ_NONE, NULL},
};

/* The Kargo cluster's store only: a workload cluster's has its own cap.
 * The list holds every namespace: while only the shown project's is in
 * (fd_client_focus), it says so. */
static const char *title_note(struct fd_tui *ui, struct fd_tui_view *v, char *buf, size_t size)
{
    struct fd_tui_console *c = fd_tui_console_of(ui);
    const struct objects_state *s = v->state;

    if (!c || !s)
        return NULL;
    if (!fd_tui_console_listed_all(c, s->kind) && fd_tui_console_listed(c, s->kind)) {
        snprintf(buf, size, "project %s only: loading the others...", c->project);
        return buf;
    }
    return fd_tui_console_capped(c, s->kind, buf, size);
}

const struct fd_tui_view_ops fd_tui_view_rollouts = {
    .name = "rollouts",
    .title = "Rollouts",
    .help = "Every Rollout the console watches, in every cluster. Enter opens the\n"
            "Rollout pane of the Stage it is behind.",
    .hints = hints,
    .filterable = true,
    .open = open_view,
    .close = close_view,
    .draw = draw,
    .request = request,
    .title_note = title_note,
};

const struct fd_tui_view_ops fd_tui_view_runs = {
    .name = "runs",
    .title = "AnalysisRuns",
    .help = "Every AnalysisRun the console watches, verifications and canary step runs.\n"
            "Enter opens the run: each metric's values against its thresholds.",
    .hints = hints,
    .filterable = true,
    .open = open_view,
    .close = close_view,
    .draw = draw,
    .request = request,
    .title_note = title_note,
};

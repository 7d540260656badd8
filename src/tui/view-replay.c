/* tui/view-replay.c: "what if the thresholds had been different?" The
 * Stage's current AnalysisRun with a small form of its metrics' conditions
 * and limits (a table: one row per field, one column per metric); every
 * edit replays the recorded measurements through the controller's logic
 * (fd_analysis_replay) and shows the recorded outcome beside the replayed
 * one, per metric and for the run, with the measurements the controller
 * would not have taken counted. Pure computation on the UI thread: a replay
 * of a typical run takes about a millisecond. */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "canvas.h"
#include "console.h"
#include "freightdeck/analysis.h"
#include "lineedit.h"

/* clang-format off */
#define FIELD_TABLE(_)                                  \
    _(SUCCESS, "successCondition")                      \
    _(FAILURE, "failureCondition")                      \
    _(FAILURE_LIMIT, "failureLimit")                    \
    _(INCONCLUSIVE_LIMIT, "inconclusiveLimit")          \
    _(CONSECUTIVE_ERROR_LIMIT, "consecutiveErrorLimit") \
    _(COUNT, "count")
/* clang-format on */

enum field {
#define FIELD_ENUM(id, name) F_##id,
    FIELD_TABLE(FIELD_ENUM)
#undef FIELD_ENUM
        F__COUNT
};

static const char *const field_names[F__COUNT] = {
#define FIELD_NAME(id, name) name,
    FIELD_TABLE(FIELD_NAME)
#undef FIELD_NAME
};

#define LABEL_W 23 /* "consecutiveErrorLimit" and a margin */

struct rp_state {
    char *stage;
    char *run_name;
    struct fd_analysis_run *run; /* a copy of the recorded run; NULL: none */
    char *why_none;              /* why there is no run */
    char **edit;                 /* [metric * F__COUNT]: NULL = as recorded */
    int row, col;                /* the form's cursor: field, metric */
    bool editing;
    struct fd_tui_lineedit le;
    struct fd_analysis_replay rep;
    bool have_rep;
    char *rep_error;
    size_t *ignored; /* per spec metric */
    size_t n_ignored;
    int height;
};

/* The field as the run's spec has it, for showing; the caller frees. */
static char *recorded_value(const struct fd_analysis_metric *m, enum field f)
{
    const struct fd_analysis_int *n = NULL;

    switch (f) {
    case F_SUCCESS:
        return fd_xstrdup(m->success_condition ? m->success_condition : "");
    case F_FAILURE:
        return fd_xstrdup(m->failure_condition ? m->failure_condition : "");
    case F_FAILURE_LIMIT:
        n = &m->failure_limit;
        break;
    case F_INCONCLUSIVE_LIMIT:
        n = &m->inconclusive_limit;
        break;
    case F_CONSECUTIVE_ERROR_LIMIT:
        n = &m->consecutive_error_limit;
        break;
    case F_COUNT:
        n = &m->count;
        break;
    case F__COUNT:
        break;
    }
    return n && n->set ? fd_xasprintf("%" PRId64, n->value) : fd_xstrdup("");
}

static bool is_int_field(enum field f)
{
    return f >= F_FAILURE_LIMIT;
}

static bool parse_int(const char *s, int64_t *out)
{
    char *end;

    if (!*s)
        return false;
    long long v = strtoll(s, &end, 10);
    if (*end || v < 0)
        return false;
    *out = v;
    return true;
}

static void clear_replay(struct rp_state *s)
{
    if (s->have_rep)
        fd_analysis_replay_free(&s->rep);
    s->have_rep = false;
    free(s->rep_error);
    s->rep_error = NULL;
    free(s->ignored);
    s->ignored = NULL;
    s->n_ignored = 0;
}

/* Replays the recorded measurements with the edited fields. */
static void replay(struct rp_state *s)
{
    size_t nm = s->run->n_metrics;
    struct fd_analysis_override *ov = fd_xcalloc(nm + 1, sizeof(*ov));
    char *err = NULL;

    clear_replay(s);
    for (size_t i = 0; i < nm; i++) {
        ov[i].metric = s->run->metrics[i].name;
        for (int f = 0; f < F__COUNT; f++) {
            const char *e = s->edit[i * F__COUNT + (size_t)f];
            int64_t n = 0;
            if (!e)
                continue;
            if (is_int_field((enum field)f) && !parse_int(e, &n))
                continue; /* refused when typed */
            switch ((enum field)f) {
            case F_SUCCESS:
                ov[i].success_condition = e;
                break;
            case F_FAILURE:
                ov[i].failure_condition = e;
                break;
            case F_FAILURE_LIMIT:
                ov[i].failure_limit = (struct fd_analysis_int){true, n};
                break;
            case F_INCONCLUSIVE_LIMIT:
                ov[i].inconclusive_limit = (struct fd_analysis_int){true, n};
                break;
            case F_CONSECUTIVE_ERROR_LIMIT:
                ov[i].consecutive_error_limit = (struct fd_analysis_int){true, n};
                break;
            case F_COUNT:
                ov[i].count = (struct fd_analysis_int){true, n};
                break;
            case F__COUNT:
                break;
            }
        }
    }
    if (fd_analysis_replay(s->run, ov, nm, &s->rep, &err) != FD_OK) {
        s->rep_error = err;
    } else {
        s->have_rep = true;
        s->ignored = fd_xcalloc(s->rep.run->n_metrics + 1, sizeof(size_t));
        for (size_t k = 0; k < s->rep.n_steps; k++)
            if (s->rep.steps[k].ignored && s->rep.steps[k].metric < s->rep.run->n_metrics) {
                s->ignored[s->rep.steps[k].metric]++;
                s->n_ignored++;
            }
    }
    free(ov);
}

static void open_view(struct fd_tui *ui, struct fd_tui_view *v)
{
    struct fd_tui_console *c = fd_tui_console_of(ui);
    struct rp_state *s = fd_xcalloc(1, sizeof(*s));
    const struct fd_model_object *o;

    v->state = s;
    fd_tui_lineedit_init(&s->le, 20);
    s->stage = fd_xstrdup(c && c->selected_stage ? c->selected_stage : "");
    o = c ? fd_tui_console_find(c, FD_MODEL_STAGE, s->stage) : NULL;
    if (!o || o->undecodable) {
        s->why_none = fd_xasprintf("no Stage \"%s\" in the project", s->stage);
        return;
    }
    struct fd_tui_console_stage_info si;
    fd_tui_console_stage_info(c, o, &si);
    const struct fd_model_freight_collection *col = si.st ? fd_model_stage_current(si.st) : NULL;
    const struct fd_model_object *run =
        col ? fd_model_verification_run(c->snap, o, si.ver, col->id) : NULL;
    if (!run) {
        s->why_none = fd_xstrdup("the Stage's current Freight has no AnalysisRun to replay");
        return;
    }
    if (run->undecodable) {
        s->why_none = fd_xasprintf("AnalysisRun %s cannot be read: %s", run->meta.name,
                                   run->error ? run->error : "?");
        return;
    }
    s->run_name = fd_xstrdup(run->meta.name);
    /* A copy: the snapshot it came from is replaced on the next change. */
    s->run = fd_analysis_run_copy(run->u.analysis);
    s->run->expr_version = fd_tui_console_expr(c).version; /* re-judges edited conditions */
    s->edit = fd_xcalloc(s->run->n_metrics * F__COUNT + 1, sizeof(char *));
    if (s->run->n_metrics)
        replay(s);
}

static void close_view(struct fd_tui *ui, struct fd_tui_view *v)
{
    struct rp_state *s = v->state;

    (void)ui;
    if (!s)
        return;
    clear_replay(s);
    if (s->run)
        for (size_t i = 0; i < s->run->n_metrics * F__COUNT; i++)
            free(s->edit[i]);
    free(s->edit);
    fd_analysis_run_free(s->run);
    fd_tui_lineedit_free(&s->le);
    free(s->why_none);
    free(s->run_name);
    free(s->stage);
    free(s);
    v->state = NULL;
}

/* ---- Drawing -------------------------------------------------------------- */
static const char *phase_label(enum fd_analysis_phase p)
{
    return p == FD_ANALYSIS_PHASE_NONE ? "Pending" : fd_analysis_phase_name(p);
}

static int put_phase(struct fd_tui_canvas *k, enum fd_analysis_phase p, int width)
{
    const char *name = phase_label(p);
    int x0 = k->x;

    fd_tui_canvas_put(k, fd_tui_console_phase_role(name), "%s %s",
                      fd_tui_glyph(fd_tui_console_phase_glyph(name)), name);
    return k->x - x0 < width ? width : k->x - x0;
}

/* "3: 1 ok 1 fail 1 inc" */
static char *counters(const struct fd_analysis_metric_result *r)
{
    if (!r)
        return fd_xstrdup("no measurement");
    /* Errors are not part of count (Argo counts them apart). */
    if (r->error)
        return fd_xasprintf("%" PRId64 ": %" PRId64 " ok %" PRId64 " fail %" PRId64 " inc, %" PRId64
                            " err",
                            r->count, r->successful, r->failed, r->inconclusive, r->error);
    return fd_xasprintf("%" PRId64 ": %" PRId64 " ok %" PRId64 " fail %" PRId64 " inc", r->count,
                        r->successful, r->failed, r->inconclusive);
}

/* How many metric columns fit, and the first one shown (follows the cursor). */
static void columns(const struct fd_tui_view *v, const struct rp_state *s, size_t *first,
                    size_t *fit, int *w)
{
    size_t n = s->run->n_metrics;
    int room = v->cols - LABEL_W - 2;

    *w = n ? room / (int)n : room;
    if (*w > 40)
        *w = 40;
    *fit = n;
    if (*w < 18) {
        *w = 18;
        *fit = (size_t)(room / 18) ? (size_t)(room / 18) : 1;
    }
    *first = (size_t)s->col >= *fit ? (size_t)s->col - *fit + 1 : 0;
}

static void draw_field(struct fd_tui *ui, struct fd_tui_canvas *k, struct rp_state *s, size_t m,
                       enum field f, int w)
{
    const char *e = s->edit[m * F__COUNT + f];
    bool here = s->row == (int)f && s->col == (int)m;
    int x0 = k->x;

    if (here && s->editing) {
        size_t start, ccol;
        const char *text = fd_tui_lineedit_text(&s->le);
        fd_tui_lineedit_view(&s->le, (size_t)(w - 2), &start, &ccol);
        fd_tui_canvas_put(k, FD_ROLE_PROMPT, "%s", text + start);
        /* The cursor: the cell under it in the selection style. */
        if (k->y >= k->scroll && k->y - k->scroll < k->lines)
            mvwchgat(k->w, k->y - k->scroll, x0 + (int)ccol, 1,
                     fd_tui_attr(ui, FD_ROLE_SELECTION) & ~A_COLOR,
                     (short)PAIR_NUMBER(fd_tui_attr(ui, FD_ROLE_SELECTION)), NULL);
    } else {
        char *rec = recorded_value(&s->run->metrics[m], f);
        const char *shown = e ? e : rec;
        enum fd_tui_role role = here ? FD_ROLE_SELECTION
                                : e  ? FD_ROLE_INCONCLUSIVE
                                     : FD_ROLE_NORMAL;
        if (!*shown)
            fd_tui_canvas_put(k, here ? FD_ROLE_SELECTION : FD_ROLE_MUTED, "%s",
                              is_int_field(f) ? "(default)" : "(none)");
        else
            fd_tui_canvas_put(k, role, "%s%s", shown, e ? " *" : "");
        free(rec);
    }
    (void)ui;
    k->x = x0 + w;
}

static void draw(struct fd_tui *ui, struct fd_tui_view *v)
{
    struct rp_state *s = v->state;
    struct fd_tui_canvas k;
    size_t first, fit;
    int w;

    fd_tui_canvas_init(&k, ui, v);
    fd_tui_canvas_put(&k, FD_ROLE_WAITING, " REPLAY ");
    fd_tui_canvas_put(&k, FD_ROLE_MUTED, " recorded measurements re-judged; nothing is sent");
    fd_tui_canvas_row(&k, 1);
    if (!s->run) {
        fd_tui_canvas_put(&k, FD_ROLE_HEADING, "Stage %s", s->stage);
        fd_tui_canvas_row(&k, 1);
        fd_tui_canvas_wrap(&k, FD_ROLE_MUTED, 1, s->why_none);
        s->height = k.y + 1;
        return;
    }
    fd_tui_canvas_put(&k, FD_ROLE_HEADING, "AnalysisRun %s", s->run_name);
    fd_tui_canvas_put(&k, FD_ROLE_MUTED, "  Stage %s", s->stage);
    fd_tui_canvas_row(&k, 1);
    if (!s->run->n_metrics) {
        fd_tui_canvas_put(&k, FD_ROLE_MUTED, "the run has no metrics");
        s->height = k.y + 1;
        return;
    }
    columns(v, s, &first, &fit, &w);
    size_t last = first + fit < s->run->n_metrics ? first + fit : s->run->n_metrics;

    /* The form. */
    fd_tui_canvas_row(&k, 1);
    fd_tui_canvas_put(&k, FD_ROLE_HEADING, "THRESHOLDS");
    k.x = LABEL_W;
    for (size_t m = first; m < last; m++) {
        int x0 = k.x;
        fd_tui_canvas_put(&k, FD_ROLE_TITLE, "%s", s->run->metrics[m].name);
        k.x = x0 + w;
    }
    for (int f = 0; f < F__COUNT; f++) {
        fd_tui_canvas_row(&k, 1);
        fd_tui_canvas_put(&k, s->row == f ? FD_ROLE_HEADING : FD_ROLE_MUTED, "%s", field_names[f]);
        k.x = LABEL_W;
        for (size_t m = first; m < last; m++)
            draw_field(ui, &k, s, m, (enum field)f, w);
    }
    fd_tui_canvas_row(&k, 1);

    /* Recorded beside replayed. */
    fd_tui_canvas_row(&k, 1);
    if (s->rep_error) {
        fd_tui_canvas_put(&k, FD_ROLE_FAILED, "replay: ");
        fd_tui_canvas_wrap(&k, FD_ROLE_FAILED, 3, s->rep_error);
        s->height = k.y + 1;
        fd_tui_canvas_more(&k, v, s->height);
        return;
    }
    int cw = (v->cols - LABEL_W - 2) / 2;
    if (cw > 40)
        cw = 40;
    fd_tui_canvas_put(&k, FD_ROLE_HEADING, "OUTCOME");
    k.x = LABEL_W;
    fd_tui_canvas_put(&k, FD_ROLE_TITLE, "recorded");
    k.x = LABEL_W + cw;
    fd_tui_canvas_put(&k, FD_ROLE_TITLE, "replayed (%zu ignored)", s->n_ignored);
    const struct fd_analysis_run *rr = s->rep.run;
    for (size_t m = 0; m < s->run->n_metrics; m++) {
        const char *name = s->run->metrics[m].name;
        const struct fd_analysis_metric_result *a = fd_analysis_run_result(s->run, name);
        const struct fd_analysis_metric_result *b = fd_analysis_run_result(rr, name);
        fd_tui_canvas_row(&k, 1);
        fd_tui_canvas_put(&k, FD_ROLE_NORMAL, "%s", name);
        k.x = LABEL_W;
        put_phase(&k, a ? a->phase : FD_ANALYSIS_PHASE_PENDING, cw);
        k.x = LABEL_W + cw;
        put_phase(&k, b ? b->phase : FD_ANALYSIS_PHASE_PENDING, cw);
        if (s->ignored[m])
            fd_tui_canvas_put(&k, FD_ROLE_INCONCLUSIVE, "  %zu ignored", s->ignored[m]);
        fd_tui_canvas_row(&k, LABEL_W);
        char *ca = counters(a), *cb = counters(b);
        fd_tui_canvas_put(&k, FD_ROLE_MUTED, "%s", ca);
        k.x = LABEL_W + cw;
        fd_tui_canvas_put(&k, FD_ROLE_MUTED, "%s", cb);
        free(ca);
        free(cb);
    }
    fd_tui_canvas_row(&k, 1);
    fd_tui_canvas_put(&k, FD_ROLE_HEADING, "run");
    k.x = LABEL_W;
    put_phase(&k, s->run->phase ? s->run->phase : FD_ANALYSIS_PHASE_PENDING, cw);
    k.x = LABEL_W + cw;
    put_phase(&k, rr->phase, cw);
    if (s->run->message && *s->run->message) {
        fd_tui_canvas_row(&k, 3);
        fd_tui_canvas_put(&k, FD_ROLE_MUTED, "recorded: ");
        fd_tui_canvas_wrap(&k, FD_ROLE_NORMAL, 5, s->run->message);
    }
    if (rr->message && *rr->message) {
        fd_tui_canvas_row(&k, 3);
        fd_tui_canvas_put(&k, FD_ROLE_MUTED, "replayed: ");
        fd_tui_canvas_wrap(&k, fd_tui_console_phase_role(phase_label(rr->phase)), 5, rr->message);
    }
    for (size_t i = 0; i < s->rep.n_warnings; i++) {
        fd_tui_canvas_row(&k, 3);
        fd_tui_canvas_put(&k, FD_ROLE_MUTED, "note: ");
        fd_tui_canvas_wrap(&k, FD_ROLE_MUTED, 5, s->rep.warnings[i]);
    }
    s->height = k.y + 1;
    fd_tui_canvas_more(&k, v, s->height);
}

/* ---- Keys ------------------------------------------------------------------- */
static void keep_visible(struct fd_tui_view *v, struct rp_state *s)
{
    int y = 3 + s->row; /* the form's rows start after the title lines */

    if (y < v->scroll)
        v->scroll = y;
    if (y >= v->scroll + v->lines)
        v->scroll = y - v->lines + 1;
}

static void start_edit(struct fd_tui *ui, struct fd_tui_view *v, struct rp_state *s)
{
    size_t i = (size_t)s->col * F__COUNT + (size_t)s->row;
    char *rec = recorded_value(&s->run->metrics[s->col], (enum field)s->row);

    fd_tui_lineedit_start(&s->le, s->edit[i] ? s->edit[i] : rec);
    free(rec);
    s->editing = true;
    fd_tui_message(ui, FD_TUI_INFO, 0, "%s of %s: Enter replays, Esc cancels%s",
                   field_names[s->row], s->run->metrics[s->col].name,
                   is_int_field((enum field)s->row) ? "" : ", empty removes the condition");
    fd_tui_view_dirty(ui, v);
}

static void submit(struct fd_tui *ui, struct fd_tui_view *v, struct rp_state *s)
{
    size_t i = (size_t)s->col * F__COUNT + (size_t)s->row;
    const char *text = fd_tui_lineedit_text(&s->le);
    char *rec = recorded_value(&s->run->metrics[s->col], (enum field)s->row);
    int64_t n;

    if (is_int_field((enum field)s->row) && *text && !parse_int(text, &n)) {
        fd_tui_message(ui, FD_TUI_ERROR, 5000, "%s takes a whole number >= 0, not \"%s\"",
                       field_names[s->row], text);
        free(rec);
        return; /* keep editing */
    }
    free(s->edit[i]);
    /* Back to the recorded value (or an empty limit): no override. */
    s->edit[i] = strcmp(text, rec) == 0 || (is_int_field((enum field)s->row) && !*text)
                     ? NULL
                     : fd_xstrdup(text);
    free(rec);
    s->editing = false;
    replay(s);
    const struct fd_analysis_run *rr = s->have_rep ? s->rep.run : NULL;
    if (rr)
        fd_tui_message(ui, FD_TUI_INFO, 5000, "replayed: %s (recorded: %s)", phase_label(rr->phase),
                       phase_label(s->run->phase));
    else
        fd_tui_message(ui, FD_TUI_ERROR, 5000, "replay: %s", s->rep_error ? s->rep_error : "?");
    fd_tui_view_dirty(ui, v);
}

static enum fd_tui_result key(struct fd_tui *ui, struct fd_tui_view *v, fd_tui_key k)
{
    struct rp_state *s = v->state;

    if (!s->editing)
        return FD_TUI_IGNORED;
    switch (fd_tui_lineedit_key(&s->le, k)) {
    case FD_EDIT_SUBMIT:
        submit(ui, v, s);
        break;
    case FD_EDIT_CANCEL:
        s->editing = false;
        fd_tui_message(ui, FD_TUI_INFO, 2000, "edit cancelled");
        break;
    default:
        break;
    }
    fd_tui_view_dirty(ui, v);
    return FD_TUI_HANDLED;
}

static enum fd_tui_result request(struct fd_tui *ui, struct fd_tui_view *v, enum fd_tui_req req)
{
    struct rp_state *s = v->state;
    bool form = s->run && s->run->n_metrics;

    switch (req) {
    case FD_REQ_UP:
    case FD_REQ_DOWN:
        if (!form)
            break;
        s->row += req == FD_REQ_UP ? -1 : 1;
        s->row = s->row < 0 ? 0 : s->row >= F__COUNT ? F__COUNT - 1 : s->row;
        keep_visible(v, s);
        fd_tui_view_dirty(ui, v);
        return FD_TUI_HANDLED;
    case FD_REQ_LEFT:
    case FD_REQ_RIGHT:
        if (!form)
            return FD_TUI_HANDLED;
        s->col += req == FD_REQ_LEFT ? -1 : 1;
        s->col = s->col < 0                            ? 0
                 : (size_t)s->col >= s->run->n_metrics ? (int)s->run->n_metrics - 1
                                                       : s->col;
        fd_tui_view_dirty(ui, v);
        return FD_TUI_HANDLED;
    case FD_REQ_OPEN:
    case FD_REQ_REPLAY:
        if (form)
            start_edit(ui, v, s);
        return FD_TUI_HANDLED;
    default:
        break;
    }
    return fd_tui_canvas_scroll(ui, v, req, s->height);
}

void fd_tui_console_open_replay(struct fd_tui *ui, const char *stage)
{
    struct fd_tui_console *c = fd_tui_console_of(ui);

    if (!c)
        return;
    if (!stage || !fd_tui_console_find(c, FD_MODEL_STAGE, stage)) {
        fd_tui_message(ui, FD_TUI_WARN, 5000, "replay: no Stage \"%s\" in project %s",
                       stage ? stage : "", c->project ? c->project : "(none)");
        return;
    }
    free(c->selected_stage);
    c->selected_stage = fd_xstrdup(stage);
    fd_tui_push_view(ui, &fd_tui_view_replay);
}

static const struct fd_tui_hint hints[] = {
    {FD_REQ_OPEN, "edit"},
    {FD_REQ_NONE, NULL},
};

const struct fd_tui_view_ops fd_tui_view_replay = {
    .name = "replay",
    .title = "Replay with edited thresholds",
    .help = "The Stage's current AnalysisRun replayed with edited thresholds. Up/Down\n"
            "pick a field, Left/Right a metric, Enter (or e) edits it; Enter replays.\n"
            "Edited fields are marked *. Recorded and replayed outcomes side by side;\n"
            "ignored: measurements the controller would not have taken.",
    .hints = hints,
    .open = open_view,
    .close = close_view,
    .draw = draw,
    .request = request,
    .key = key,
};

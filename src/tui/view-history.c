/* tui/view-history.c: a Stage's history: every Promotion into it, newest
 * first, with each step's status and message; then its Freight history
 * (status.freightHistory) with each collection's verifications. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "canvas.h"
#include "console.h"

static const char *clock_of(int64_t t, char *buf, size_t size)
{
    time_t tt = (time_t)t;
    struct tm tm;

    if (!t || !gmtime_r(&tt, &tm))
        snprintf(buf, size, "-");
    else
        strftime(buf, size, "%m-%d %H:%M", &tm);
    return buf;
}

static int by_newest(const void *a, const void *b)
{
    const struct fd_model_object *x = *(const struct fd_model_object *const *)a;
    const struct fd_model_object *y = *(const struct fd_model_object *const *)b;

    if (x->meta.created != y->meta.created)
        return x->meta.created > y->meta.created ? -1 : 1;
    return strcmp(y->meta.name, x->meta.name);
}

/* "calm-otter 1.3.9 (7a1c0d2)" of a Freight name. */
static void freight_words(struct fd_tui_console *c, const char *name, char *buf, size_t size)
{
    const struct fd_model_object *fo = fd_tui_console_find(c, FD_MODEL_FREIGHT, name);
    const struct fd_model_freight *f = fo && !fo->undecodable ? fo->u.freight : NULL;
    char ver[64] = "";

    if (f)
        fd_tui_console_version(&f->art, ver, sizeof(ver));
    snprintf(buf, size, "%s%s%s (%.7s)", f && f->alias ? f->alias : "", f && f->alias ? " " : "",
             ver, name ? name : "?");
}

static void promotions(struct fd_tui_canvas *k, struct fd_tui_console *c, const char *stage)
{
    struct fd_model_object *const *all;
    const struct fd_model_object **mine;
    size_t n, m = 0;
    char when[32], what[160], age[32];

    all = c->snap ? fd_model_snapshot_list(c->snap, FD_MODEL_PROMOTION, &n) : NULL;
    if (!all)
        n = 0;
    mine = fd_xcalloc(n + 1, sizeof(*mine));
    for (size_t i = 0; i < n; i++)
        if (fd_streq(all[i]->meta.ns, c->project) && !all[i]->undecodable &&
            fd_streq(all[i]->u.promotion->stage, stage))
            mine[m++] = all[i];
    qsort(mine, m, sizeof(*mine), by_newest);
    fd_tui_canvas_put(k, FD_ROLE_HEADING, "PROMOTIONS INTO %s (%zu, newest first)", stage, m);
    fd_tui_canvas_row(k, 1);
    if (!m) {
        fd_tui_canvas_put(k, FD_ROLE_MUTED, " none");
        fd_tui_canvas_row(k, 1);
    }
    for (size_t i = 0; i < m; i++) {
        const struct fd_model_promotion *p = mine[i]->u.promotion;
        const char *ph = p->phase ? p->phase : "Pending";
        const char *actor = fd_model_annotation(mine[i], "kargo.akuity.io/create-actor");
        freight_words(c, p->freight, what, sizeof(what));
        fd_tui_canvas_put(k, fd_tui_console_phase_role(ph), "%s %-10s",
                          fd_tui_glyph(fd_tui_console_phase_glyph(ph)), ph);
        fd_tui_canvas_put(k, FD_ROLE_NORMAL, " %s  %s",
                          clock_of(mine[i]->meta.created, when, sizeof(when)), what);
        if (actor)
            fd_tui_canvas_put(k, FD_ROLE_MUTED, "  by %s", actor);
        fd_tui_canvas_row(k, 4);
        fd_tui_canvas_put(k, FD_ROLE_MUTED, "%s", mine[i]->meta.name);
        if (p->finished && p->started)
            fd_tui_canvas_put(k, FD_ROLE_MUTED, "  took %s",
                              fd_tui_console_age(p->finished - p->started, age, sizeof(age)));
        fd_tui_canvas_row(k, 4);
        if (p->message && *p->message) {
            fd_tui_canvas_wrap(k, fd_tui_console_phase_role(ph), 4, p->message);
            fd_tui_canvas_row(k, 4);
        }
        for (size_t s = 0; s < p->n_steps; s++) {
            const struct fd_model_step_status *ss = NULL;
            const char *alias = p->step_aliases[s];
            for (size_t j = 0; j < p->n_step_status; j++)
                if (alias && fd_streq(p->step_status[j].alias, alias))
                    ss = &p->step_status[j];
            if (!ss && !alias && s < p->n_step_status)
                ss = &p->step_status[s];
            const char *sph = ss && ss->status                                       ? ss->status
                              : p->has_current_step && (int64_t)s == p->current_step ? "Running"
                                                                                     : "Pending";
            fd_tui_canvas_put(k, fd_tui_console_phase_role(sph), "%s %-10s",
                              fd_tui_glyph(fd_tui_console_phase_glyph(sph)), sph);
            fd_tui_canvas_put(k, FD_ROLE_NORMAL, " %-14s %s", alias ? alias : "-",
                              p->step_uses[s] ? p->step_uses[s] : "?");
            if (ss && ss->message && *ss->message) {
                fd_tui_canvas_row(k, 6);
                fd_tui_canvas_wrap(k, fd_tui_console_phase_role(sph), 6, ss->message);
            }
            fd_tui_canvas_row(k, 4);
        }
        fd_tui_canvas_row(k, 1);
    }
    free(mine);
}

static void freight_history(struct fd_tui_canvas *k, struct fd_tui_console *c, const char *stage)
{
    const struct fd_model_object *o = fd_tui_console_find(c, FD_MODEL_STAGE, stage);
    const struct fd_model_stage *st = o && !o->undecodable ? o->u.stage : NULL;
    char what[160], when[32];

    k->x = 1;
    fd_tui_canvas_put(k, FD_ROLE_HEADING, "FREIGHT HISTORY OF %s (%zu, newest first)", stage,
                      st ? st->n_history : 0);
    fd_tui_canvas_row(k, 1);
    for (size_t i = 0; st && i < st->n_history; i++) {
        const struct fd_model_freight_collection *col = &st->history[i];
        for (size_t j = 0; j < col->n_items; j++) {
            freight_words(c, col->items[j].name, what, sizeof(what));
            fd_tui_canvas_put(k, i == 0 ? FD_ROLE_TITLE : FD_ROLE_NORMAL, "%s %s",
                              i == 0 ? fd_tui_glyph(FD_GLYPH_SELECTED) : " ", what);
            if (i == 0 && j == 0)
                fd_tui_canvas_put(k, FD_ROLE_MUTED, "  (current)");
            fd_tui_canvas_row(k, 4);
        }
        for (size_t v = 0; v < col->n_verifications; v++) {
            const struct fd_model_verification *ver = &col->verifications[v];
            const char *ph = ver->phase ? ver->phase : "Pending";
            fd_tui_canvas_put(k, fd_tui_console_phase_role(ph), "%s verification %-12s",
                              fd_tui_glyph(fd_tui_console_phase_glyph(ph)), ph);
            fd_tui_canvas_put(k, FD_ROLE_MUTED, " %s  %s", clock_of(ver->start, when, sizeof(when)),
                              ver->run.name ? ver->run.name : "");
            if (ver->message && *ver->message && fd_tui_console_phase_glyph(ph) != FD_GLYPH_OK) {
                fd_tui_canvas_row(k, 6);
                fd_tui_canvas_wrap(k, fd_tui_console_phase_role(ph), 6, ver->message);
            }
            fd_tui_canvas_row(k, 4);
        }
        if (!col->n_verifications) {
            fd_tui_canvas_put(k, FD_ROLE_MUTED, "no verification");
            fd_tui_canvas_row(k, 4);
        }
        fd_tui_canvas_row(k, 1);
    }
    if (!st || !st->n_history) {
        fd_tui_canvas_put(k, FD_ROLE_MUTED, " none");
        fd_tui_canvas_row(k, 1);
    }
}

static void draw(struct fd_tui *ui, struct fd_tui_view *v)
{
    struct fd_tui_console *c = fd_tui_console_of(ui);
    struct fd_tui_console_stage_state *s = v->state;
    struct fd_tui_canvas k;

    if (!c || !s)
        return;
    fd_tui_canvas_init(&k, ui, v);
    k.x = 1;
    promotions(&k, c, s->stage);
    freight_history(&k, c, s->stage);
    s->height = k.y;
    fd_tui_canvas_more(&k, v, s->height);
}

static enum fd_tui_result request(struct fd_tui *ui, struct fd_tui_view *v, enum fd_tui_req req)
{
    struct fd_tui_console_stage_state *s = v->state;

    return fd_tui_canvas_scroll(ui, v, req, s ? s->height : 0);
}

void fd_tui_console_open_history(struct fd_tui *ui, const char *stage)
{
    fd_tui_console_open_stage_view(ui, stage, &fd_tui_view_history);
}

const struct fd_tui_view_ops fd_tui_view_history = {
    .name = "history",
    .title = "History",
    .help = "Every Promotion into the Stage, newest first, with its steps and their\n"
            "messages; then the Stage's Freight history with each verification.",
    .open = fd_tui_console_stage_view_open,
    .close = fd_tui_console_stage_view_close,
    .draw = draw,
    .request = request,
};

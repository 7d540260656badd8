/* tui/view.c: the view registry, the view stack, messages and helpers. */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <time.h>

#include "console.h"
#include "ui.h"

/* Every view kind: one line per view. */
static const struct fd_tui_view_ops *const fd_tui_views[] = {
    &fd_tui_view_themes,   &fd_tui_view_help,    &fd_tui_view_pipeline, &fd_tui_view_freight,
    &fd_tui_view_stage,    &fd_tui_view_dialog,  &fd_tui_view_whatif,   &fd_tui_view_replay,
    &fd_tui_view_waits,    &fd_tui_view_history, &fd_tui_view_rollout,  &fd_tui_view_events,
    &fd_tui_view_rollouts, &fd_tui_view_runs,    &fd_tui_view_run,      NULL,
};

const struct fd_tui_view_ops *fd_tui_view_find(const char *name)
{
    for (size_t i = 0; fd_tui_views[i]; i++)
        if (strcmp(fd_tui_views[i]->name, name) == 0)
            return fd_tui_views[i];
    return NULL;
}

uint64_t fd_tui_now_ms(void)
{
    return (uint64_t)fd_time_mono_ms();
}

void fd_tui_message(struct fd_tui *ui, enum fd_tui_severity sev, int expire_ms, const char *fmt,
                    ...)
{
    va_list ap;

    free(ui->msg);
    va_start(ap, fmt);
    ui->msg = fd_xvasprintf(fmt, ap);
    va_end(ap);
    ui->msg_sev = sev;
    ui->msg_expires = expire_ms > 0 ? fd_tui_now_ms() + (uint64_t)expire_ms : 0;
    ui->msg_dirty = true;
}

void fd_tui_view_dirty(struct fd_tui *ui, struct fd_tui_view *v)
{
    (void)ui;
    v->dirty = true;
}

void fd_tui_all_dirty(struct fd_tui *ui)
{
    for (int i = 0; i < ui->depth; i++)
        ui->stack[i]->dirty = true;
    ui->header_dirty = ui->msg_dirty = ui->hint_dirty = true;
}

void fd_tui_redraw_in(struct fd_tui *ui, int ms)
{
    uint64_t at = fd_tui_now_ms() + (uint64_t)(ms > 0 ? ms : 1);

    if (!ui->redraw_at || at < ui->redraw_at)
        ui->redraw_at = at;
}

bool fd_tui_dirty(const struct fd_tui *ui)
{
    if (ui->layout_dirty || ui->header_dirty || ui->msg_dirty || ui->hint_dirty || ui->repaint)
        return true;
    for (int i = 0; i < ui->nshown; i++)
        if (ui->shown[i] && ui->shown[i]->dirty)
            return true;
    return false;
}

struct fd_tui_view *fd_tui_focus(struct fd_tui *ui)
{
    return ui->stack[ui->focus];
}

void fd_tui_push_view(struct fd_tui *ui, const struct fd_tui_view_ops *ops)
{
    struct fd_tui_view *v;

    if (ui->depth == FD_TUI_MAX_DEPTH) {
        fd_tui_message(ui, FD_TUI_WARN, 5000, "too many views open: press Esc to go back");
        return;
    }
    v = fd_xcalloc(1, sizeof(*v));
    v->ops = ops;
    v->dirty = true;
    ui->stack[ui->depth++] = v;
    ui->focus = ui->depth - 1;
    if (ops->open)
        ops->open(ui, v);
    ui->layout_dirty = true;
}

static void free_view(struct fd_tui *ui, struct fd_tui_view *v)
{
    if (v->ops->close)
        v->ops->close(ui, v);
    if (v->win)
        delwin(v->win);
    free(v->filter);
    free(v);
}

bool fd_tui_pop_view(struct fd_tui *ui)
{
    if (ui->depth <= 1)
        return false;
    free_view(ui, ui->stack[--ui->depth]);
    ui->stack[ui->depth] = NULL;
    ui->focus = ui->depth - 1;
    ui->layout_dirty = true;
    return true;
}

/* Frees every view, root included (shutdown). */
void fd_tui_free_views(struct fd_tui *ui);
void fd_tui_free_views(struct fd_tui *ui)
{
    while (ui->depth > 0) {
        free_view(ui, ui->stack[--ui->depth]);
        ui->stack[ui->depth] = NULL;
    }
}

enum fd_tui_result fd_tui_list_request(struct fd_tui *ui, struct fd_tui_view *v,
                                       enum fd_tui_req req, int n)
{
    int page = v->lines > 1 ? v->lines - 1 : 1, old = v->cursor, old_scroll = v->scroll;

    switch (req) {
    case FD_REQ_UP:
        v->cursor--;
        break;
    case FD_REQ_DOWN:
        v->cursor++;
        break;
    case FD_REQ_PAGE_UP:
        v->cursor -= page;
        break;
    case FD_REQ_PAGE_DOWN:
        v->cursor += page;
        break;
    case FD_REQ_FIRST:
        v->cursor = 0;
        break;
    case FD_REQ_LAST:
        v->cursor = n - 1;
        break;
    default:
        return FD_TUI_IGNORED;
    }
    if (v->cursor >= n)
        v->cursor = n - 1;
    if (v->cursor < 0)
        v->cursor = 0;
    if (v->cursor < v->scroll)
        v->scroll = v->cursor;
    if (v->lines > 0 && v->cursor >= v->scroll + v->lines)
        v->scroll = v->cursor - v->lines + 1;
    if (v->cursor != old || v->scroll != old_scroll)
        fd_tui_view_dirty(ui, v);
    return FD_TUI_HANDLED;
}

bool fd_tui_filter_match(const char *filter, const char *text)
{
    size_t fl;

    if (!filter || !*filter)
        return true;
    if (!text)
        return false;
    fl = strlen(filter);
    for (const char *p = text; *p; p++) {
        size_t i = 0;
        while (i < fl && p[i] &&
               fd_ascii_tolower((unsigned char)p[i]) == fd_ascii_tolower((unsigned char)filter[i]))
            i++;
        if (i == fl)
            return true;
    }
    return false;
}

bool fd_tui_apply_theme_name(struct fd_tui *ui, const char *name)
{
    struct fd_tui_theme t;
    char *err = NULL;

    if (fd_tui_theme_load(name, &t, &err) != FD_OK) {
        fd_tui_message(ui, FD_TUI_ERROR, 0, "%s", err);
        free(err);
        return false;
    }
    fd_tui_apply_theme(ui, &t);
    return true;
}

/* The visible view whose body window holds screen cell (y, x), or NULL. */
static struct fd_tui_view *view_at(struct fd_tui *ui, int y, int x)
{
    for (int i = ui->depth - 1; i >= 0; i--) {
        struct fd_tui_view *v = ui->stack[i];
        int by, bx;
        if (!v->win)
            continue;
        getbegyx(v->win, by, bx);
        if (y >= by && y < by + v->lines && x >= bx && x < bx + v->cols)
            return v;
    }
    return NULL;
}

void fd_tui_mouse_event(struct fd_tui *ui, enum fd_tui_mouse what, int y, int x)
{
    struct fd_tui_view *v;
    int by, bx, row;

    if (!ui->mouse || ui->too_small || ui->prompt != FD_PROMPT_NONE)
        return;
    v = view_at(ui, y, x);
    if (!v)
        return;
    /* Side by side views: the one clicked or scrolled gets the keys. */
    for (int i = 0; i < ui->depth; i++)
        if (ui->stack[i] == v && ui->focus != i) {
            ui->focus = i;
            ui->hint_dirty = true;
        }
    if (what == FD_MOUSE_WHEEL_UP || what == FD_MOUSE_WHEEL_DOWN) {
        /* Three lines a notch, as terminals scroll. */
        for (int i = 0; i < 3 && v->ops->request; i++)
            v->ops->request(ui, v, what == FD_MOUSE_WHEEL_UP ? FD_REQ_UP : FD_REQ_DOWN);
        return;
    }
    getbegyx(v->win, by, bx);
    (void)bx;
    row = v->scroll + (y - by - v->list_y);
    if (v->list_rows <= 0 || y - by < v->list_y || row >= v->list_rows)
        return;
    if (row != v->cursor) {
        v->cursor = row;
        fd_tui_view_dirty(ui, v);
    }
    if (what == FD_MOUSE_DOUBLE_CLICK && v->ops->request)
        v->ops->request(ui, v, FD_REQ_OPEN);
}

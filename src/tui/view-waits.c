/* tui/view-waits.c: everything that waits for a human, most urgent first
 * (the header shows only what fits): lost clusters, Stages it cannot read,
 * aborted or Degraded Rollouts, failed verifications, paused canaries, inconclusive runs,
 * Freight ready to promote. Enter opens the item's Stage. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "console.h"

/* The items that pass the filter, as indexes into c->att. */
static size_t visible(struct fd_tui_console *c, struct fd_tui_view *v, size_t *rows)
{
    size_t k = 0;

    for (size_t i = 0; i < c->n_att; i++) {
        const struct fd_model_attention *a = &c->att[i];
        if (fd_tui_filter_match(v->filter, a->detail) ||
            fd_tui_filter_match(v->filter, fd_model_attention_text(a->kind)))
            rows[k++] = i;
    }
    return k;
}

/* The Stage an item is about, or NULL (a cluster). Borrowed. */
static const char *item_stage(const struct fd_model_attention *a)
{
    if (a->stage)
        return a->stage->meta.name;
    if (a->obj && a->obj->kind == FD_MODEL_ANALYSIS_RUN)
        return fd_model_label(a->obj, "kargo.akuity.io/stage");
    return NULL;
}

static enum fd_tui_role item_role(enum fd_model_attention_kind k)
{
    return k <= FD_MODEL_ATTENTION_VERIFICATION_FAILED ? FD_ROLE_FAILED : FD_ROLE_WAITING;
}

static void draw(struct fd_tui *ui, struct fd_tui_view *v)
{
    struct fd_tui_console *c = fd_tui_console_of(ui);
    size_t *rows, n;
    int W = v->cols, y = 0;

    if (!c)
        return;
    rows = fd_xcalloc(c->n_att + 1, sizeof(*rows));
    n = visible(c, v, rows);
    fd_tui_putf(ui, v->win, y++, 2, W - 4, FD_ROLE_HEADING, "%zu item%s, most urgent first", n,
                n == 1 ? "" : "s");
    if (!n) {
        fd_tui_put(ui, v->win, y + 1, 2, W - 4, FD_ROLE_MUTED,
                   v->filter ? "nothing matches the filter" : "nothing waits for you");
        free(rows);
        return;
    }
    if (v->cursor >= (int)n)
        v->cursor = (int)n - 1;
    int per = 2, room = (v->lines - 1) / per;
    if (v->cursor < v->scroll)
        v->scroll = v->cursor;
    if (v->cursor >= v->scroll + room)
        v->scroll = v->cursor - room + 1;
    v->list_y = y;
    v->list_rows = 0; /* two rows per item: no click-to-select */
    for (size_t i = (size_t)v->scroll; i < n && y + 1 < v->lines; i++) {
        const struct fd_model_attention *a = &c->att[rows[i]];
        bool on = (int)i == v->cursor;
        const char *stage = item_stage(a);
        if (on) {
            fd_tui_fill(ui, v->win, y, 0, FD_ROLE_SELECTION);
            fd_tui_put(ui, v->win, y, 0, 1, FD_ROLE_SELECTION, fd_tui_glyph(FD_GLYPH_SELECTED));
        }
        fd_tui_putf(ui, v->win, y, 2, W - 3, on ? FD_ROLE_SELECTION : item_role(a->kind),
                    "%s %s%s%s", fd_tui_glyph(FD_GLYPH_WARNING), fd_model_attention_text(a->kind),
                    stage ? "  Stage " : "", stage ? stage : "");
        y++;
        fd_tui_putf(ui, v->win, y, 4, W - 5, FD_ROLE_NORMAL, "%s", a->detail ? a->detail : "");
        y++;
    }
    free(rows);
}

static enum fd_tui_result request(struct fd_tui *ui, struct fd_tui_view *v, enum fd_tui_req req)
{
    struct fd_tui_console *c = fd_tui_console_of(ui);
    size_t *rows, n;
    enum fd_tui_result r = FD_TUI_IGNORED;

    if (!c)
        return r;
    rows = fd_xcalloc(c->n_att + 1, sizeof(*rows));
    n = visible(c, v, rows);
    if (fd_tui_list_request(ui, v, req, (int)n) == FD_TUI_HANDLED) {
        free(rows);
        return FD_TUI_HANDLED;
    }
    if (req == FD_REQ_OPEN && n && v->cursor < (int)n) {
        const struct fd_model_attention *a = &c->att[rows[v->cursor]];
        const char *stage = item_stage(a);
        if (stage)
            fd_tui_console_open_stage(ui, stage);
        else
            fd_tui_message(ui, FD_TUI_INFO, 5000, "%s (%s)",
                           a->detail ? a->detail : fd_model_attention_text(a->kind),
                           fd_tui_console_attention_keys(a->kind));
        r = FD_TUI_HANDLED;
    }
    free(rows);
    return r;
}

void fd_tui_console_open_waits(struct fd_tui *ui)
{
    if (fd_tui_focus(ui)->ops != &fd_tui_view_waits)
        fd_tui_push_view(ui, &fd_tui_view_waits);
}

static const struct fd_tui_hint hints[] = {
    {FD_REQ_OPEN, "open its Stage"},
    {FD_REQ_NONE, NULL},
};

const struct fd_tui_view_ops fd_tui_view_waits = {
    .name = "waits",
    .title = "Waits for you",
    .help = "Everything that waits for a human, most urgent first: clusters not live,\n"
            "Stages the console cannot read, aborted or Degraded Rollouts, failed\n"
            "verifications, paused canaries, inconclusive runs, Freight ready to\n"
            "promote. Enter opens the item's Stage.",
    .hints = hints,
    .filterable = true,
    .draw = draw,
    .request = request,
};

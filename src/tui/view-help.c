/* tui/view-help.c: the ? view, generated from the request and command tables
 * and the current keymap, so it can never disagree with the keys. */
#include "config.h"

#include <stdlib.h>

#include "canvas.h"
#include "command.h"
#include "glyph.h"
#include "ui.h"

enum line_kind { L_BLANK, L_HEADING, L_TEXT, L_KEY };

struct help_line {
    enum line_kind kind;
    enum fd_tui_role role; /* L_TEXT: the style of a (glyph legends) */
    char *a, *b, *c;       /* keys, name, help / heading / text */
};

struct help_state {
    struct help_line *lines;
    size_t n;
};

static void add(struct help_state *s, enum line_kind kind, enum fd_tui_role role, const char *a,
                const char *b, const char *c)
{
    s->lines = fd_xreallocarray(s->lines, s->n + 1, sizeof(*s->lines));
    s->lines[s->n++] = (struct help_line){kind, role, a ? fd_xstrdup(a) : NULL,
                                          b ? fd_xstrdup(b) : NULL, c ? fd_xstrdup(c) : NULL};
}

static void help_clear(struct help_state *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->lines[i].a);
        free(s->lines[i].b);
        free(s->lines[i].c);
    }
    free(s->lines);
    s->lines = NULL;
    s->n = 0;
}

static bool line_matches(const struct help_line *l, const char *filter)
{
    return fd_tui_filter_match(filter, l->a) || fd_tui_filter_match(filter, l->b) ||
           fd_tui_filter_match(filter, l->c);
}

/* Builds the lines for the current keymap and filter. A heading survives a
 * filter when something under it matches. */
static void build(struct fd_tui *ui, struct fd_tui_view *v)
{
    struct help_state *s = v->state, all = {NULL, 0};
    const char *group = NULL;
    int below = ui->depth - 2;

    help_clear(s);
    for (int i = ui->depth - 1; i >= 0; i--)
        if (ui->stack[i] == v)
            below = i - 1;
    if (below >= 0 && ui->stack[below]->ops->help) {
        char *text = fd_xstrdup(ui->stack[below]->ops->help), *save = NULL;
        add(&all, L_HEADING, FD_ROLE_HEADING, NULL, NULL, ui->stack[below]->ops->title);
        for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
            add(&all, L_TEXT, FD_ROLE_NORMAL, l, NULL, NULL);
        free(text);
    }
    for (int r = 1; r < FD_REQ__COUNT; r++) {
        char keys[96];
        if (!group || strcmp(group, fd_tui_req_group((enum fd_tui_req)r)) != 0) {
            group = fd_tui_req_group((enum fd_tui_req)r);
            add(&all, L_HEADING, FD_ROLE_HEADING, NULL, NULL, group);
        }
        fd_tui_keymap_keys(&ui->keymap, (enum fd_tui_req)r, ", ", keys, sizeof(keys));
        add(&all, L_KEY, FD_ROLE_NORMAL, keys[0] ? keys : "(unbound)",
            fd_tui_req_name((enum fd_tui_req)r), fd_tui_req_help((enum fd_tui_req)r));
    }
    add(&all, L_HEADING, FD_ROLE_HEADING, NULL, NULL, "Commands (after :)");
    for (int c = 0; c < FD_CMD__COUNT; c++) {
        char *usage = fd_xasprintf(":%s", fd_tui_cmd_name((enum fd_tui_cmd)c));
        add(&all, L_KEY, FD_ROLE_NORMAL, usage, fd_tui_cmd_args((enum fd_tui_cmd)c),
            fd_tui_cmd_help((enum fd_tui_cmd)c));
        free(usage);
    }
    static const struct {
        enum fd_tui_glyph g;
        enum fd_tui_role role;
        const char *text;
    } legend[] = {
        {FD_GLYPH_OK, FD_ROLE_OK, "succeeded, healthy"},
        {FD_GLYPH_FAILED, FD_ROLE_FAILED, "failed, degraded"},
        {FD_GLYPH_INCONCLUSIVE, FD_ROLE_INCONCLUSIVE, "inconclusive"},
        {FD_GLYPH_WARNING, FD_ROLE_FAILED, "error"},
        {FD_GLYPH_PENDING, FD_ROLE_PENDING, "pending"},
        {FD_GLYPH_RUNNING, FD_ROLE_RUNNING, "running, progressing"},
        {FD_GLYPH_PAUSED, FD_ROLE_WAITING, "paused, waiting for a human"},
    };
    add(&all, L_HEADING, FD_ROLE_HEADING, NULL, NULL, "Symbols");
    for (size_t i = 0; i < FD_ARRAY_SIZE(legend); i++)
        add(&all, L_TEXT, legend[i].role, fd_tui_glyph(legend[i].g), legend[i].text, NULL);

    /* Filter: keep matching lines, and the heading of each group that has
     * any. */
    for (size_t i = 0; i < all.n; i++) {
        struct help_line *l = &all.lines[i];
        if (l->kind == L_HEADING) {
            /* A filter naming a group ("/kargo") shows the whole group. */
            bool whole = v->filter && fd_tui_filter_match(v->filter, l->c);
            bool any = !v->filter || whole;
            for (size_t j = i + 1; j < all.n && all.lines[j].kind != L_HEADING && !any; j++)
                any = line_matches(&all.lines[j], v->filter);
            if (any) {
                if (s->n)
                    add(s, L_BLANK, FD_ROLE_NORMAL, NULL, NULL, NULL);
                add(s, L_HEADING, l->role, NULL, NULL, l->c);
            }
            if (whole) {
                size_t j;
                for (j = i + 1; j < all.n && all.lines[j].kind != L_HEADING; j++)
                    add(s, all.lines[j].kind, all.lines[j].role, all.lines[j].a, all.lines[j].b,
                        all.lines[j].c);
                i = j - 1;
            }
        } else if (!v->filter || line_matches(l, v->filter)) {
            add(s, l->kind, l->role, l->a, l->b, l->c);
        }
    }
    help_clear(&all);
}

static void help_open(struct fd_tui *ui, struct fd_tui_view *v)
{
    (void)ui;
    v->state = fd_xcalloc(1, sizeof(struct help_state));
}

static void help_close(struct fd_tui *ui, struct fd_tui_view *v)
{
    (void)ui;
    help_clear(v->state);
    free(v->state);
    v->state = NULL;
}

/* Columns: as many 90-cell columns as the width holds, but only as many as
 * the text needs; rows_per_col is then what each column shows. */
static void geometry(const struct fd_tui_view *v, size_t n, int *ncols, int *rows)
{
    int fit = v->cols / 90, need;

    if (fit < 1)
        fit = 1;
    need = v->lines > 0 ? (int)((n + (size_t)v->lines - 1) / (size_t)v->lines) : 1;
    *ncols = need < fit ? (need < 1 ? 1 : need) : fit;
    *rows = (int)((n + (size_t)*ncols - 1) / (size_t)*ncols);
}

static void help_draw(struct fd_tui *ui, struct fd_tui_view *v)
{
    struct help_state *s = v->state;
    int ncols, rows, colw;

    build(ui, v);
    if (s->n == 0) {
        fd_tui_putf(ui, v->win, 0, 2, v->cols - 2, FD_ROLE_MUTED, "nothing matches \"%s\"",
                    v->filter ? v->filter : "");
        return;
    }
    geometry(v, s->n, &ncols, &rows);
    colw = v->cols / ncols;
    if (v->scroll > rows - v->lines)
        v->scroll = rows - v->lines > 0 ? rows - v->lines : 0;
    for (int c = 0; c < ncols; c++) {
        int x0 = c * colw, w = c == ncols - 1 ? v->cols - x0 : colw - 1;
        for (int y = 0; y < v->lines; y++) {
            size_t i = (size_t)c * (size_t)rows + (size_t)(v->scroll + y);
            const struct help_line *l;
            if ((int)(v->scroll + y) >= rows || i >= s->n)
                break;
            l = &s->lines[i];
            switch (l->kind) {
            case L_BLANK:
                break;
            case L_HEADING:
                fd_tui_put(ui, v->win, y, x0 + 1, w - 1, FD_ROLE_HEADING, l->c);
                break;
            case L_TEXT:
                if (l->b) { /* a symbol legend: glyph in its role, then text */
                    fd_tui_put(ui, v->win, y, x0 + 3, 2, l->role, l->a);
                    fd_tui_put(ui, v->win, y, x0 + 5, w - 5, FD_ROLE_NORMAL, l->b);
                } else {
                    fd_tui_put(ui, v->win, y, x0 + 3, w - 3, FD_ROLE_NORMAL, l->a);
                }
                break;
            case L_KEY:
                fd_tui_put(ui, v->win, y, x0 + 3, 17, FD_ROLE_HINT_KEY, l->a);
                fd_tui_put(ui, v->win, y, x0 + 21, 21, FD_ROLE_MUTED, l->b);
                fd_tui_put(ui, v->win, y, x0 + 43, w - 43, FD_ROLE_NORMAL, l->c);
                break;
            }
        }
    }
    if (rows > v->lines) {
        char pos[32];
        snprintf(pos, sizeof(pos), " %d%% ", (v->scroll + v->lines) * 100 / rows);
        fd_tui_put(ui, v->win, v->lines - 1, v->cols - (int)strlen(pos), (int)strlen(pos),
                   FD_ROLE_MUTED, pos);
    }
}

static enum fd_tui_result help_request(struct fd_tui *ui, struct fd_tui_view *v,
                                       enum fd_tui_req req)
{
    struct help_state *s = v->state;
    int ncols, rows;

    build(ui, v);
    geometry(v, s->n, &ncols, &rows);
    return fd_tui_canvas_scroll(ui, v, req, rows);
}

static const struct fd_tui_hint help_hints[] = {
    {FD_REQ_PAGE_DOWN, "page"},
    {FD_REQ_NONE, NULL},
};

const struct fd_tui_view_ops fd_tui_view_help = {
    .name = "help",
    .title = "Help",
    .help = NULL,
    .hints = help_hints,
    .split = true, /* beside the view it explains, when there is room */
    .filterable = true,
    .open = help_open,
    .close = help_close,
    .draw = help_draw,
    .request = help_request,
};

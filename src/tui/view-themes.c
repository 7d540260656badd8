/* tui/view-themes.c: the theme list with a live preview of every role and
 * glyph. Needs no cluster, so it is also the screen tests' first view. */
#include "config.h"

#include <stdlib.h>

#include "glyph.h"
#include "ui.h"

#define LIST_W 22

struct themes_state {
    char **names;
    size_t n;
};

static void themes_open(struct fd_tui *ui, struct fd_tui_view *v)
{
    struct themes_state *s = fd_xcalloc(1, sizeof(*s));

    s->n = fd_tui_theme_names(&s->names);
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->names[i], ui->theme.name) == 0)
            v->cursor = (int)i;
    v->state = s;
}

static void themes_close(struct fd_tui *ui, struct fd_tui_view *v)
{
    struct themes_state *s = v->state;

    (void)ui;
    fd_tui_theme_names_free(s->names, s->n);
    free(s);
    v->state = NULL;
}

static void draw_list(struct fd_tui *ui, struct fd_tui_view *v, struct themes_state *s)
{
    v->list_y = 0;
    v->list_rows = (int)s->n;
    for (int y = 0; y < v->lines && (size_t)(v->scroll + y) < s->n; y++) {
        int i = v->scroll + y;
        bool current = strcmp(s->names[i], ui->theme.name) == 0;
        enum fd_tui_role role = i == v->cursor ? FD_ROLE_SELECTION : FD_ROLE_NORMAL;
        if (i == v->cursor) {
            wattrset(v->win, fd_tui_attr(ui, role));
            mvwhline(v->win, y, 0, ' ', LIST_W);
            wattrset(v->win, A_NORMAL);
        }
        fd_tui_putf(ui, v->win, y, 1, LIST_W - 2, role, "%s %s",
                    current ? fd_tui_glyph(FD_GLYPH_BULLET) : " ", s->names[i]);
    }
    for (int y = 0; y < v->lines; y++)
        fd_tui_put(ui, v->win, y, LIST_W, 1, FD_ROLE_BORDER, fd_tui_glyph(FD_GLYPH_VLINE));
}

static void draw_preview(struct fd_tui *ui, struct fd_tui_view *v)
{
    int x0 = LIST_W + 2, w = v->cols - x0, y = 0, colw, per_row;
    char caps[160];

    if (w < 20)
        return;
    fd_tui_putf(ui, v->win, y++, x0, w, FD_ROLE_TITLE, "%s", ui->theme.name);
    if (ui->theme.description[0])
        fd_tui_put(ui, v->win, y++, x0, w, FD_ROLE_NORMAL, ui->theme.description);
    if (ui->color)
        snprintf(caps, sizeof(caps), "terminal %s: %d colours, %s", ui->term_name, ui->colors,
                 fd_tui_glyph_utf8() ? "UTF-8" : "ASCII");
    else
        snprintf(caps, sizeof(caps), "terminal %s: colours off (%s), %s", ui->term_name,
                 ui->no_color_why, fd_tui_glyph_utf8() ? "UTF-8" : "ASCII");
    fd_tui_put(ui, v->win, y++, x0, w, FD_ROLE_MUTED, caps);
    y++;

    /* Every role, in a grid of name samples. */
    colw = 18;
    per_row = w / colw > 0 ? w / colw : 1;
    for (int r = 0; r < FD_ROLE__COUNT && y < v->lines; r++) {
        int col = r % per_row;
        fd_tui_put(ui, v->win, y, x0 + col * colw, colw - 1, (enum fd_tui_role)r,
                   fd_tui_role_name((enum fd_tui_role)r));
        if (col == per_row - 1 || r == FD_ROLE__COUNT - 1)
            y++;
    }
    y++;

    static const struct {
        enum fd_tui_glyph g;
        enum fd_tui_role role;
        const char *label;
    } phases[] = {
        {FD_GLYPH_OK, FD_ROLE_OK, "ok"},
        {FD_GLYPH_FAILED, FD_ROLE_FAILED, "failed"},
        {FD_GLYPH_INCONCLUSIVE, FD_ROLE_INCONCLUSIVE, "inconclusive"},
        {FD_GLYPH_WARNING, FD_ROLE_FAILED, "error"},
        {FD_GLYPH_PENDING, FD_ROLE_PENDING, "pending"},
        {FD_GLYPH_RUNNING, FD_ROLE_RUNNING, "running"},
        {FD_GLYPH_PAUSED, FD_ROLE_WAITING, "paused"},
    };
    int x = x0;
    for (size_t i = 0; i < FD_ARRAY_SIZE(phases) && y < v->lines; i++) {
        int need = 2 + (int)strlen(phases[i].label) + 2;
        if (x + need > v->cols) {
            y++;
            x = x0;
        }
        x += fd_tui_put(ui, v->win, y, x, 1, phases[i].role, fd_tui_glyph(phases[i].g));
        x += fd_tui_putf(ui, v->win, y, x, v->cols - x, FD_ROLE_NORMAL, " %s  ", phases[i].label);
    }
    y += 2;
    if (y < v->lines) {
        static const double spark[] = {0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.95, 1.0,
                                       0.7,  0.4, 0.1,  0.3, 0.9,  0.6, 0.2,  0.0};
        x = x0 + fd_tui_put(ui, v->win, y, x0, w, FD_ROLE_NORMAL, "sparkline ");
        for (size_t i = 0; i < FD_ARRAY_SIZE(spark); i++)
            x += fd_tui_put(ui, v->win, y, x, 1, FD_ROLE_SPARKLINE, fd_tui_glyph_spark(spark[i]));
        y++;
    }
    if (y < v->lines) {
        x = x0 + fd_tui_put(ui, v->win, y, x0, w, FD_ROLE_NORMAL, "weight    ");
        for (int i = 0; i < 16; i++)
            x += fd_tui_put(ui, v->win, y, x, 1, i < 6 ? FD_ROLE_BAR : FD_ROLE_BAR_EMPTY,
                            fd_tui_glyph(i < 6 ? FD_GLYPH_BAR_FULL : FD_GLYPH_BAR_EMPTY));
        fd_tui_put(ui, v->win, y, x, v->cols - x, FD_ROLE_NORMAL, " 37%");
        y++;
    }
    if (y + 1 < v->lines) {
        /* Box drawing: a two-cell table. */
        const char *h = fd_tui_glyph(FD_GLYPH_HLINE);
        char top[64], mid[64], bot[64];
        snprintf(top, sizeof(top), "%s%s%s%s%s", fd_tui_glyph(FD_GLYPH_ULCORNER), h,
                 fd_tui_glyph(FD_GLYPH_TTEE), h, fd_tui_glyph(FD_GLYPH_URCORNER));
        snprintf(mid, sizeof(mid), "%s%s%s%s%s", fd_tui_glyph(FD_GLYPH_LTEE), h,
                 fd_tui_glyph(FD_GLYPH_CROSS), h, fd_tui_glyph(FD_GLYPH_RTEE));
        snprintf(bot, sizeof(bot), "%s%s%s%s%s", fd_tui_glyph(FD_GLYPH_LLCORNER), h,
                 fd_tui_glyph(FD_GLYPH_BTEE), h, fd_tui_glyph(FD_GLYPH_LRCORNER));
        fd_tui_put(ui, v->win, y, x0, w, FD_ROLE_NORMAL, "borders");
        fd_tui_put(ui, v->win, y, x0 + 10, 5, FD_ROLE_BORDER, top);
        if (y + 1 < v->lines)
            fd_tui_put(ui, v->win, y + 1, x0 + 10, 5, FD_ROLE_BORDER, mid);
        if (y + 2 < v->lines)
            fd_tui_put(ui, v->win, y + 2, x0 + 10, 5, FD_ROLE_BORDER, bot);
    }
}

static void themes_draw(struct fd_tui *ui, struct fd_tui_view *v)
{
    struct themes_state *s = v->state;

    draw_list(ui, v, s);
    draw_preview(ui, v);
}

static enum fd_tui_result themes_request(struct fd_tui *ui, struct fd_tui_view *v,
                                         enum fd_tui_req req)
{
    struct themes_state *s = v->state;

    if (req == FD_REQ_OPEN) {
        if (s->n && fd_tui_apply_theme_name(ui, s->names[v->cursor])) {
            free(ui->msg);
            ui->msg = NULL;
            ui->msg_dirty = true;
        }
        return FD_TUI_HANDLED;
    }
    return fd_tui_list_request(ui, v, req, (int)s->n);
}

static const struct fd_tui_hint themes_hints[] = {
    {FD_REQ_DOWN, "next"},
    {FD_REQ_OPEN, "apply"},
    {FD_REQ_NONE, NULL},
};

const struct fd_tui_view_ops fd_tui_view_themes = {
    .name = "themes",
    .title = "Themes",
    .help = "Up/Down choose a theme, Enter applies it to the whole console.\n"
            "Themes live in ~/.config/freightdeck/themes/NAME.yaml (yours win)\n"
            "and in the installed themes folder; :theme NAME applies one directly.",
    .hints = themes_hints,
    .split = false,
    .filterable = false,
    .open = themes_open,
    .close = themes_close,
    .draw = themes_draw,
    .request = themes_request,
};

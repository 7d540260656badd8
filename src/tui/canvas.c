/* tui/canvas.c: a scrolled, word-wrapping text body for panes. */
#include "config.h"

#include "canvas.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

void fd_tui_canvas_init(struct fd_tui_canvas *k, struct fd_tui *ui, struct fd_tui_view *v)
{
    memset(k, 0, sizeof(*k));
    k->ui = ui;
    k->w = v->win;
    k->scroll = v->scroll;
    k->lines = v->lines;
    k->cols = v->cols;
    k->x = 1;
}

static int put_text(struct fd_tui_canvas *k, enum fd_tui_role role, const char *s)
{
    int n;

    if (k->w && k->y >= k->scroll && k->y - k->scroll < k->lines && k->x < k->cols)
        n = fd_tui_put(k->ui, k->w, k->y - k->scroll, k->x, k->cols - k->x, role, s);
    else
        n = (int)fd_tui_utf8_width(s);
    k->x += n;
    return n;
}

int fd_tui_canvas_put(struct fd_tui_canvas *k, enum fd_tui_role role, const char *fmt, ...)
{
    va_list ap;
    char *s;
    int n;

    va_start(ap, fmt);
    s = fd_xvasprintf(fmt, ap);
    va_end(ap);
    n = put_text(k, role, s);
    free(s);
    return n;
}

void fd_tui_canvas_row(struct fd_tui_canvas *k, int indent)
{
    k->y++;
    k->x = indent;
}

void fd_tui_canvas_wrap(struct fd_tui_canvas *k, enum fd_tui_role role, int indent,
                        const char *text)
{
    const char *p = text ? text : "";

    while (*p) {
        int room = k->cols - k->x - 1, full = k->cols - indent - 1;
        size_t len = strcspn(p, "\n"), take;
        if (full < 8) {
            take = len; /* too narrow to wrap: cut */
        } else if (room < 1 && len > 0) {
            fd_tui_canvas_row(k, indent);
            continue;
        } else {
            /* A word that does not fit after the cursor but would on a
             * line of its own goes to the next line: cut only when it must. */
            take = fd_tui_wrap_take(p, len, room, full);
            if (take == 0 && len > 0) {
                fd_tui_canvas_row(k, indent);
                continue;
            }
        }
        size_t shown = take;
        while (take < len && shown > 0 && p[shown - 1] == ' ')
            shown--; /* the space a line breaks at is not drawn */
        char *piece = fd_xstrndup(p, shown);
        put_text(k, role, piece);
        free(piece);
        p += take;
        if (take < len)
            while (*p == ' ')
                p++; /* a break between words: the next line starts at a word */
        if (*p == '\n')
            p++;
        if (*p)
            fd_tui_canvas_row(k, indent);
    }
}

enum fd_tui_result fd_tui_canvas_scroll(struct fd_tui *ui, struct fd_tui_view *v,
                                        enum fd_tui_req req, int height)
{
    int max = height > v->lines ? height - v->lines : 0, old = v->scroll;

    switch (req) {
    case FD_REQ_UP:
        v->scroll--;
        break;
    case FD_REQ_DOWN:
        v->scroll++;
        break;
    case FD_REQ_PAGE_UP:
        v->scroll -= v->lines - 1;
        break;
    case FD_REQ_PAGE_DOWN:
        v->scroll += v->lines - 1;
        break;
    case FD_REQ_FIRST:
        v->scroll = 0;
        break;
    case FD_REQ_LAST:
        v->scroll = max;
        break;
    default:
        return FD_TUI_IGNORED;
    }
    if (v->scroll > max)
        v->scroll = max;
    if (v->scroll < 0)
        v->scroll = 0;
    if (v->scroll != old)
        fd_tui_view_dirty(ui, v);
    return FD_TUI_HANDLED;
}

void fd_tui_canvas_more(struct fd_tui_canvas *k, struct fd_tui_view *v, int height)
{
    char more[48];

    if (v->scroll <= 0 && height <= v->lines)
        return;
    snprintf(more, sizeof(more), " %d-%d/%d ", v->scroll + 1,
             v->scroll + v->lines < height ? v->scroll + v->lines : height, height);
    fd_tui_put(k->ui, v->win, 0, v->cols - (int)strlen(more), (int)strlen(more), FD_ROLE_MUTED,
               more);
}

#ifndef FREIGHTDECK_TUI_CANVAS_H
#define FREIGHTDECK_TUI_CANVAS_H
/*
 * canvas: a scrolled text body for the what-if and replay panes. Rows are
 * laid out from 0 and only those between scroll and scroll + lines are
 * painted, so a pane computes its height by drawing once.
 */

#include "ui.h"

struct fd_tui_canvas {
    struct fd_tui *ui;
    WINDOW *w;
    int y, x, scroll, lines, cols;
};

/* Starts a canvas over view v at its scroll position. */
void fd_tui_canvas_init(struct fd_tui_canvas *k, struct fd_tui *ui, struct fd_tui_view *v);
/* Writes formatted text at the cursor in role's style (cut at the right
 * edge); moves the cursor. Returns the cells the text takes. */
int fd_tui_canvas_put(struct fd_tui_canvas *k, enum fd_tui_role role, const char *fmt, ...)
    FD_PRINTF(3, 4);
/* Writes text word-wrapped from the cursor, continuing lines at column
 * indent; '\n' starts a new line. */
void fd_tui_canvas_wrap(struct fd_tui_canvas *k, enum fd_tui_role role, int indent,
                        const char *text);
/* Moves to the start of the next row, at column indent. */
void fd_tui_canvas_row(struct fd_tui_canvas *k, int indent);
/* Up/Down/PgUp/PgDn/Home/End scroll v over a body of height rows; returns
 * HANDLED for those, IGNORED for any other request. */
enum fd_tui_result fd_tui_canvas_scroll(struct fd_tui *ui, struct fd_tui_view *v,
                                        enum fd_tui_req req, int height);
/* Shows " 3-24/40 " at the top right when the content is taller. */
void fd_tui_canvas_more(struct fd_tui_canvas *k, struct fd_tui_view *v, int height);

#endif /* FREIGHTDECK_TUI_CANVAS_H */

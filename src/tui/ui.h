#ifndef FREIGHTDECK_TUI_UI_H
#define FREIGHTDECK_TUI_UI_H
/*
 * ui: the console's state and the API a pane (view) is written against.
 *
 * Adding a pane:
 *   1. write src/tui/view-NAME.c with a draw function (and, if it reacts to
 *      keys, a request function) and one const struct fd_tui_view_ops
 *      fd_tui_view_NAME = { .name = "NAME", .title = ..., .draw = ... };
 *   2. declare it below and list it once in fd_tui_views[] (view.c);
 *   3. add the file to src/tui/local.mk.
 * Draw functions paint the whole body window from scratch (the frame loop
 * erased it) using roles, never colours: fd_tui_attr(ui, FD_ROLE_OK), and
 * glyphs, never literal symbols: fd_tui_glyph(FD_GLYPH_OK). They never call
 * refresh: the loop does one wnoutrefresh per window and one doupdate.
 * When state changes outside a key (a model wake), call fd_tui_view_dirty();
 * a view that shows a clock calls fd_tui_redraw_in() while it is drawn.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "freightdeck/tui.h"
#include "freightdeck/util.h"
#include "lineedit.h"
#include "request.h"
#include "theme.h"
#include "tui-curses.h"

struct fd_tui;
struct fd_tui_view;
struct fd_tui_script;

/* What a view's request handler did: the loop handles IGNORED requests itself
 * (back, help, quit, ...) or says the key does nothing here. */
enum fd_tui_result { FD_TUI_IGNORED = 0, FD_TUI_HANDLED = 1 };

/* A key hint on the bottom line: "Enter apply". */
struct fd_tui_hint {
    enum fd_tui_req req;
    const char *label;
};

/* One kind of view: a const table, in the spirit of tig's view_ops. */
struct fd_tui_view_ops {
    const char *name;                /* "themes": the root_view option, breadcrumbs */
    const char *title;               /* pane title: "Themes" */
    const char *help;                /* lines shown atop the ? view while this view is
                                        below it ('\n' separated); may be NULL */
    const struct fd_tui_hint *hints; /* ends with {FD_REQ_NONE, NULL}; may be NULL */
    bool split;                      /* on a wide screen show beside the view below it */
    bool filterable;                 /* / sets view->filter and redraws */
    void (*open)(struct fd_tui *ui, struct fd_tui_view *v);  /* may be NULL */
    void (*close)(struct fd_tui *ui, struct fd_tui_view *v); /* frees v->state */
    /* Paints the body: v->win is v->lines x v->cols, already erased. */
    void (*draw)(struct fd_tui *ui, struct fd_tui_view *v);
    enum fd_tui_result (*request)(struct fd_tui *ui, struct fd_tui_view *v, enum fd_tui_req req);
    /* Sees every key first, before the keymap (a dialog's text field);
     * returns IGNORED to let the keymap have it. May be NULL. */
    enum fd_tui_result (*key)(struct fd_tui *ui, struct fd_tui_view *v, fd_tui_key key);
    /* Whether hint h (the view's own, or a global one: back, command, help,
     * quit) works now; the hint line shows only those. NULL: all do. A view
     * whose state changes what works sets ui->hint_dirty when it draws. */
    bool (*hint_ok)(struct fd_tui *ui, struct fd_tui_view *v, const struct fd_tui_hint *h);
    /* A warning after the pane title (a list that is not all there is),
     * written to buf and returned, or NULL. May be NULL. */
    const char *(*title_note)(struct fd_tui *ui, struct fd_tui_view *v, char *buf, size_t size);
};

/* A view on the stack. */
struct fd_tui_view {
    const struct fd_tui_view_ops *ops;
    void *state; /* the view's own, from open() */
    WINDOW *win; /* body window, NULL while not visible */
    int lines, cols;
    int cursor, scroll; /* for list-like views (fd_tui_list_request) */
    /* A clickable list: the window row where item `scroll` is drawn and the
     * number of items; list_rows 0 = nothing to click (set by draw). */
    int list_y, list_rows;
    char *filter; /* NULL or the / text */
    bool dirty;
};

/* Handles a mouse event at screen cell (y, x): the wheel scrolls the view
 * under the pointer, a click selects the list row under it, a double click
 * also opens it. Does nothing when the mouse is off. */
void fd_tui_mouse_event(struct fd_tui *ui, enum fd_tui_mouse what, int y, int x);

enum fd_tui_severity { FD_TUI_INFO, FD_TUI_WARN, FD_TUI_ERROR };

/* The view kinds (each listed once in view.c's table, which :open reads). */
extern const struct fd_tui_view_ops fd_tui_view_help;
extern const struct fd_tui_view_ops fd_tui_view_themes;

const struct fd_tui_view_ops *fd_tui_view_find(const char *name);

/* ---- The console state (owned by the UI thread) -------------------------- */
#define FD_TUI_MAX_DEPTH  16
#define FD_TUI_MIN_LINES  24
#define FD_TUI_MIN_COLS   80
#define FD_TUI_SPLIT_COLS 160

enum fd_tui_prompt { FD_PROMPT_NONE, FD_PROMPT_FILTER, FD_PROMPT_COMMAND };

struct fd_tui {
    const struct fd_tui_options *opt;
    struct fd_tui_keymap keymap;
    struct fd_tui_theme theme;
    attr_t role_attr[FD_ROLE__COUNT];
    bool color;               /* colours in use */
    const char *no_color_why; /* NULL, "NO_COLOR", "--no-color", "terminal" */
    int colors, color_pairs;
    bool default_colors; /* use_default_colors() worked */
    struct {
        short fg, bg;
    } pairs[256];
    int npairs;

    struct fd_tui_view *stack[FD_TUI_MAX_DEPTH];
    int depth;
    int focus; /* index into the stack of the view that gets keys */

    /* Layout. */
    WINDOW *header, *msgwin, *hintwin, *sep, *input;
    WINDOW *title[2];
    struct fd_tui_view *shown[2]; /* left, right (right NULL: one pane) */
    int nshown;
    bool too_small, layout_dirty, header_dirty, msg_dirty, hint_dirty, repaint;

    /* Prompt. */
    enum fd_tui_prompt prompt;
    struct fd_tui_lineedit edit[3]; /* by enum fd_tui_prompt */
    char *filter_before;            /* the filter when / opened (Esc restores it) */
    char *completions;              /* what Tab could complete to, shown on the hint line */

    /* Message line. */
    char *msg;
    enum fd_tui_severity msg_sev;
    uint64_t msg_expires; /* ms, monotonic; 0: stays */

    uint64_t redraw_at; /* a timed redraw requested while drawing; 0: none */
    char *scope[3];     /* ctx, project, stage */
    bool quit;
    bool mouse; /* `mouse: true` in the config: the terminal reports clicks */

    struct fd_tui_script *script;
    uint64_t script_wait_until;
    const struct fd_tui_step *script_until; /* an @until or @gone waiting; NULL: none */
    uint64_t script_until_deadline;
    char *script_failure; /* why a scripted run failed, printed after curses ends */
    uint64_t last_frame, resize_at;
    int frame_ms;
    struct fd_tui_stats stats;

    SCREEN *screen;
    FILE *null_out, *null_in, *out, *in;
    bool no_display;
    char term_name[64];
};

/* Monotonic milliseconds. */
uint64_t fd_tui_now_ms(void);

/* ---- For views ------------------------------------------------------------ */

/* The curses attributes (colour pair included) of a role in the theme. */
attr_t fd_tui_attr(const struct fd_tui *ui, enum fd_tui_role role);
/* Writes UTF-8 text at y,x using at most maxcells cells, in role's style.
 * Control characters and (in ASCII mode) non-ASCII show as '?'; text that is
 * cut ends with the ellipsis glyph. Returns the cells written. */
int fd_tui_put(struct fd_tui *ui, WINDOW *w, int y, int x, int maxcells, enum fd_tui_role role,
               const char *text);
/* Like fd_tui_put with a printf format. */
int fd_tui_putf(struct fd_tui *ui, WINDOW *w, int y, int x, int maxcells, enum fd_tui_role role,
                const char *fmt, ...) FD_PRINTF(7, 8);
/* Fills the rest of row y from x with spaces in role's style (bars). */
void fd_tui_fill(struct fd_tui *ui, WINDOW *w, int y, int x, enum fd_tui_role role);

/* Schedules a message; it expires after expire_ms (0: until replaced). */
void fd_tui_message(struct fd_tui *ui, enum fd_tui_severity sev, int expire_ms, const char *fmt,
                    ...) FD_PRINTF(4, 5);
void fd_tui_view_dirty(struct fd_tui *ui, struct fd_tui_view *v);
void fd_tui_all_dirty(struct fd_tui *ui);
/* Called from a draw function: redraw everything again in ms milliseconds
 * (a clock on screen). Only while something asks is there a timer. */
void fd_tui_redraw_in(struct fd_tui *ui, int ms);

/* Opens a view of kind ops on top of the stack (focus moves to it). */
void fd_tui_push_view(struct fd_tui *ui, const struct fd_tui_view_ops *ops);
/* Closes the top view; false when it is the root. */
bool fd_tui_pop_view(struct fd_tui *ui);
/* The focused view. */
struct fd_tui_view *fd_tui_focus(struct fd_tui *ui);

/* Up/Down/PgUp/PgDn/Home/End over a list of n items in a body of v->lines
 * rows: moves v->cursor and keeps it visible via v->scroll. Returns HANDLED
 * (and marks v dirty) for those requests, IGNORED for others. */
enum fd_tui_result fd_tui_list_request(struct fd_tui *ui, struct fd_tui_view *v,
                                       enum fd_tui_req req, int n);
/* Case-insensitive substring test used by view filters; true when filter is
 * NULL or empty. */
bool fd_tui_filter_match(const char *filter, const char *text);

/* Applies theme NAME live; on error keeps the current one and shows why. */
bool fd_tui_apply_theme_name(struct fd_tui *ui, const char *name);
void fd_tui_apply_theme(struct fd_tui *ui, const struct fd_tui_theme *t);

/* ---- Frame internals (display.c, frame.c, command.c) --------------------- */
enum fd_status fd_tui_display_open(struct fd_tui *ui, char **err);
void fd_tui_display_close(struct fd_tui *ui);
void fd_tui_render(struct fd_tui *ui);
/* Renders what is pending now (ignoring the frame interval), then writes the
 * screen as plain UTF-8 text, trailing spaces trimmed. Returns FD_OK or FD_IO
 * (errno set). */
enum fd_status fd_tui_dump(struct fd_tui *ui, const char *path);
/* The screen as text (what :dump writes), after drawing what is pending:
 * one line per row, trailing blanks cut. Replaces the contents of out. */
void fd_tui_screen_text(struct fd_tui *ui, struct fd_buf *out);
/* Runs one ":" command line (without the colon). */
void fd_tui_command(struct fd_tui *ui, const char *line);
bool fd_tui_dirty(const struct fd_tui *ui);

#endif /* FREIGHTDECK_TUI_UI_H */

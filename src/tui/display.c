/* tui/display.c: curses set-up, colours, text output, layout, render, dump. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>
#include <wchar.h>

#include "glyph.h"
#include "ui.h"
#include "utf8.h"

/* ---- Terminal set-up ------------------------------------------------------ */

static struct fd_tui *fatal_ui;

/* fd_fatal()'s hook: leave the terminal usable before the message. */
static void fatal_endwin(void)
{
    if (fatal_ui && fatal_ui->screen)
        endwin();
}

enum fd_status fd_tui_display_open(struct fd_tui *ui, char **err)
{
    const struct fd_tui_options *o = ui->opt;
    const char *term = o->term_type ? o->term_type : getenv("TERM");

    *err = NULL;
    if (ui->no_display) {
        ui->null_out = fopen("/dev/null", "w");
        ui->null_in = fopen("/dev/null", "r");
        if (!ui->null_out || !ui->null_in) {
            *err = fd_xasprintf("cannot open /dev/null: %s", strerror(errno));
            return FD_IO;
        }
        ui->out = ui->null_out;
        ui->in = ui->null_in;
        if (!term || !*term)
            term = "xterm-256color";
    } else {
        ui->out = o->term_out ? o->term_out : stdout;
        ui->in = o->term_in ? o->term_in : stdin;
        if (!term || !*term) {
            *err = fd_xstrdup("TERM is not set");
            return FD_INVALID;
        }
        if (strcmp(term, "dumb") == 0) {
            /* It can neither move the cursor nor clear: nothing would be
             * drawn where it belongs. */
            *err = fd_xstrdup("TERM is \"dumb\": this terminal cannot draw the console "
                              "(set TERM, e.g. TERM=xterm-256color)");
            return FD_INVALID;
        }
        if (!o->term_in && !isatty(fileno(ui->in))) {
            *err = fd_xstrdup("the console needs a terminal (standard input is not a tty)");
            return FD_INVALID;
        }
    }
    snprintf(ui->term_name, sizeof(ui->term_name), "%s", term);
    ui->screen = newterm(term, ui->out, ui->in);
    if (!ui->screen) {
        *err = fd_xasprintf("cannot use terminal type \"%s\"", term);
        return FD_INVALID;
    }
    fatal_ui = ui;
    fd_set_fatal_hook(fatal_endwin);
#ifdef HAVE_SET_ESCDELAY
    set_escdelay(25);
#endif
    cbreak();
    noecho();
    nonl();
    curs_set(0);
    /* Input comes through a pad: wget_wch on a pad never refreshes it, so
     * reading keys can never draw anything behind the frame loop's back. */
    ui->input = newpad(1, 1);
    keypad(ui->input, TRUE);
    nodelay(ui->input, TRUE);
    meta(ui->input, TRUE);

    ui->colors = 0;
    ui->color_pairs = 0;
    if (o->no_color)
        ui->no_color_why = "--no-color";
    else if (getenv("NO_COLOR") && *getenv("NO_COLOR"))
        ui->no_color_why = "NO_COLOR";
    else if (!has_colors())
        ui->no_color_why = "terminal";
    if (!ui->no_color_why && start_color() == OK && COLORS >= 8) {
        ui->colors = COLORS;
        ui->color_pairs = COLOR_PAIRS;
#ifdef HAVE_USE_DEFAULT_COLORS
        ui->default_colors = use_default_colors() == OK;
#endif
        ui->color = true;
    } else if (!ui->no_color_why) {
        ui->no_color_why = "terminal";
    }
    return FD_OK;
}

void fd_tui_display_close(struct fd_tui *ui)
{
    WINDOW **wins[] = {&ui->header,   &ui->msgwin,   &ui->hintwin, &ui->sep,
                       &ui->title[0], &ui->title[1], &ui->input};

    for (size_t i = 0; i < FD_ARRAY_SIZE(wins); i++)
        if (*wins[i]) {
            delwin(*wins[i]);
            *wins[i] = NULL;
        }
    for (int i = 0; i < ui->depth; i++)
        if (ui->stack[i]->win) {
            delwin(ui->stack[i]->win);
            ui->stack[i]->win = NULL;
        }
    if (ui->screen) {
        endwin();
        delscreen(ui->screen);
        ui->screen = NULL;
    }
    fd_set_fatal_hook(NULL);
    fatal_ui = NULL;
    if (ui->null_out)
        fclose(ui->null_out);
    if (ui->null_in)
        fclose(ui->null_in);
    ui->null_out = ui->null_in = NULL;
}

/* ---- Colours -------------------------------------------------------------- */

static short pair_for(struct fd_tui *ui, short fg, short bg)
{
    int limit = ui->color_pairs < 256 ? ui->color_pairs : 256;

    if (!ui->default_colors) {
        if (fg < 0)
            fg = COLOR_WHITE;
        if (bg < 0)
            bg = COLOR_BLACK;
    }
    if (fg < 0 && bg < 0)
        return 0;
    for (int i = 1; i <= ui->npairs; i++)
        if (ui->pairs[i].fg == fg && ui->pairs[i].bg == bg)
            return (short)i;
    if (ui->npairs + 1 >= limit)
        return 0; /* out of pairs: default colours rather than wrong ones */
    ui->npairs++;
    ui->pairs[ui->npairs].fg = fg;
    ui->pairs[ui->npairs].bg = bg;
    init_pair((short)ui->npairs, fg, bg);
    return (short)ui->npairs;
}

static attr_t curses_attrs(uint8_t a)
{
    attr_t r = A_NORMAL;

    if (a & FD_TUI_ATTR_BOLD)
        r |= A_BOLD;
    if (a & FD_TUI_ATTR_DIM)
        r |= A_DIM;
    if (a & FD_TUI_ATTR_UNDERLINE)
        r |= A_UNDERLINE;
    if (a & FD_TUI_ATTR_REVERSE)
        r |= A_REVERSE;
    return r;
}

void fd_tui_apply_theme(struct fd_tui *ui, const struct fd_tui_theme *t)
{
    struct fd_tui_theme mono;

    if (t != &ui->theme)
        ui->theme = *t;
    fd_tui_theme_builtin_mono(&mono);
    ui->npairs = 0;
    for (int r = 0; r < FD_ROLE__COUNT; r++) {
        if (!ui->color) {
            /* A coloured theme without colour would lose its distinctions
             * (a selection that is only a background), so the mono column
             * takes over; an attributes-only theme stays itself. */
            ui->role_attr[r] =
                curses_attrs(ui->theme.has_color ? mono.style[r].attrs : ui->theme.style[r].attrs);
            continue;
        }
        int16_t fg, bg;
        uint8_t attrs;
        fd_tui_style_resolve(&ui->theme.style[r], ui->colors, &fg, &bg, &attrs);
        ui->role_attr[r] = curses_attrs(attrs) | COLOR_PAIR(pair_for(ui, fg, bg));
    }
    if (ui->screen) {
        ui->repaint = true;
        ui->header_dirty = ui->msg_dirty = ui->hint_dirty = true;
        fd_tui_all_dirty(ui);
    }
}

attr_t fd_tui_attr(const struct fd_tui *ui, enum fd_tui_role role)
{
    return (unsigned)role < FD_ROLE__COUNT ? ui->role_attr[role] : A_NORMAL;
}

/* ---- Text ----------------------------------------------------------------- */

static void put_cp(WINDOW *w, uint32_t cp, attr_t attr)
{
    cchar_t cc;
    wchar_t wc[2] = {(wchar_t)cp, 0};

    setcchar(&cc, wc, attr, PAIR_NUMBER(attr), NULL);
    wadd_wch(w, &cc);
}

int fd_tui_put(struct fd_tui *ui, WINDOW *w, int y, int x, int maxcells, enum fd_tui_role role,
               const char *text)
{
    attr_t attr = fd_tui_attr(ui, role);
    size_t len, total;
    int used = 0, room;
    bool cut;
    char *folded = NULL;

    if (!w || maxcells <= 0 || y < 0 || x < 0 || y >= getmaxy(w) || x >= getmaxx(w))
        return 0;
    if (!fd_tui_glyph_utf8())
        text = folded = fd_tui_ascii_fold(text);
    len = strlen(text);
    total = fd_tui_utf8_width(text);
    if (maxcells > getmaxx(w) - x)
        maxcells = getmaxx(w) - x;
    cut = total > (size_t)maxcells;
    room = cut ? maxcells - 1 : maxcells;
    wmove(w, y, x);
    while (len > 0) {
        uint32_t cp;
        size_t n = fd_tui_utf8_decode(text, len, &cp);
        int cw;
        if (n == 0) {
            cp = '?';
            n = 1;
        }
        if (fd_term_cp_unsafe(cp) || (cp >= 0x80 && !fd_tui_glyph_utf8()))
            cp = '?';
        cw = fd_tui_cp_width(cp);
        if (used + cw > room)
            break;
        if (cw > 0 || used > 0)
            put_cp(w, cp, attr);
        used += cw;
        text += n;
        len -= n;
    }
    if (cut && used < maxcells) {
        uint32_t cp;
        const char *g = fd_tui_glyph(FD_GLYPH_ELLIPSIS);
        fd_tui_utf8_decode(g, strlen(g), &cp);
        put_cp(w, cp, attr);
        used++;
    }
    free(folded);
    return used;
}

int fd_tui_putf(struct fd_tui *ui, WINDOW *w, int y, int x, int maxcells, enum fd_tui_role role,
                const char *fmt, ...)
{
    va_list ap;
    char *s;
    int n;

    va_start(ap, fmt);
    s = fd_xvasprintf(fmt, ap);
    va_end(ap);
    n = fd_tui_put(ui, w, y, x, maxcells, role, s);
    free(s);
    return n;
}

void fd_tui_fill(struct fd_tui *ui, WINDOW *w, int y, int x, enum fd_tui_role role)
{
    attr_t attr = fd_tui_attr(ui, role);

    if (!w || y < 0 || y >= getmaxy(w))
        return;
    for (int i = x; i < getmaxx(w); i++)
        mvwaddch(w, y, i, ' ' | attr);
}

/* ---- Layout --------------------------------------------------------------- */

static void drop(WINDOW **w)
{
    if (*w)
        delwin(*w);
    *w = NULL;
}

static WINDOW *mkwin(int lines, int cols, int y, int x)
{
    WINDOW *w = newwin(lines, cols, y, x);

    if (!w)
        fd_fatal("curses: cannot create a %dx%d window", cols, lines);
    leaveok(w, TRUE);
    return w;
}

static void fd_tui_layout(struct fd_tui *ui)
{
    int hl = ui->opt->header_lines > 0 && ui->opt->header_lines <= 3 ? ui->opt->header_lines : 1;
    int lines = LINES, cols = COLS, body_y = hl + 1, body_h;

    ui->stats.layouts++;
    drop(&ui->header);
    drop(&ui->msgwin);
    drop(&ui->hintwin);
    drop(&ui->sep);
    drop(&ui->title[0]);
    drop(&ui->title[1]);
    for (int i = 0; i < ui->depth; i++)
        drop(&ui->stack[i]->win);
    ui->nshown = 0;
    ui->shown[0] = ui->shown[1] = NULL;
    ui->layout_dirty = false;
    ui->too_small = lines < FD_TUI_MIN_LINES || cols < FD_TUI_MIN_COLS;
    ui->repaint = true;
    ui->header_dirty = ui->msg_dirty = ui->hint_dirty = true;
    fd_tui_all_dirty(ui);
    if (ui->too_small)
        return;

    /* Rows: header, pane titles, pane bodies, message line, key hints. */
    body_h = lines - 3 - hl;
    ui->header = mkwin(hl, cols, 0, 0);
    ui->msgwin = mkwin(1, cols, lines - 2, 0);
    leaveok(ui->msgwin, FALSE); /* the prompt's cursor lives here */
    ui->hintwin = mkwin(1, cols, lines - 1, 0);

    struct fd_tui_view *top = ui->stack[ui->depth - 1];
    if (top->ops->split && ui->depth >= 2 && cols >= FD_TUI_SPLIT_COLS) {
        /* Parent on the left, the new view on the right; the separator
         * column takes the one cell left over. */
        int left = (cols - 1) / 2, right = cols - 1 - left;
        ui->shown[0] = ui->stack[ui->depth - 2];
        ui->shown[1] = top;
        ui->nshown = 2;
        ui->title[0] = mkwin(1, left, hl, 0);
        ui->title[1] = mkwin(1, right, hl, left + 1);
        ui->sep = mkwin(body_h + 1, 1, hl, left);
        ui->shown[0]->win = mkwin(body_h, left, body_y, 0);
        ui->shown[1]->win = mkwin(body_h, right, body_y, left + 1);
    } else {
        ui->shown[0] = top;
        ui->nshown = 1;
        ui->title[0] = mkwin(1, cols, hl, 0);
        top->win = mkwin(body_h, cols, body_y, 0);
        if (ui->focus != ui->depth - 1)
            ui->focus = ui->depth - 1;
    }
    for (int i = 0; i < ui->nshown; i++) {
        getmaxyx(ui->shown[i]->win, ui->shown[i]->lines, ui->shown[i]->cols);
        ui->shown[i]->dirty = true;
    }
}

/* ---- Render --------------------------------------------------------------- */

static void draw_too_small(struct fd_tui *ui)
{
    char l1[160], l2[64];
    int y = LINES / 2 - 1;

    werase(stdscr);
    if (ui->opt->draw_small && LINES >= 3 && COLS >= 20) {
        /* What matters most still shows; the last row says why not all. */
        ui->opt->draw_small(ui, ui->opt->ctx, LINES - 1);
        fd_tui_putf(ui, stdscr, LINES - 1, 0, COLS, FD_ROLE_MESSAGE_WARN,
                    "too small (%d%s%d): the full console needs %d%s%d; q quits", COLS,
                    fd_tui_glyph(FD_GLYPH_TIMES), LINES, FD_TUI_MIN_COLS,
                    fd_tui_glyph(FD_GLYPH_TIMES), FD_TUI_MIN_LINES);
        wnoutrefresh(stdscr);
        return;
    }
    snprintf(l1, sizeof(l1), "Terminal too small: %d%s%d", COLS, fd_tui_glyph(FD_GLYPH_TIMES),
             LINES);
    snprintf(l2, sizeof(l2), "freightdeck needs at least %d%s%d", FD_TUI_MIN_COLS,
             fd_tui_glyph(FD_GLYPH_TIMES), FD_TUI_MIN_LINES);
    const char *l3 = "(q quits)";
    const char *rows[] = {l1, l2, l3};
    for (int i = 0; i < 3; i++) {
        int w = (int)fd_tui_utf8_width(rows[i]);
        int x = (COLS - w) / 2;
        fd_tui_put(ui, stdscr, y + i, x < 0 ? 0 : x, COLS, FD_ROLE_NORMAL, rows[i]);
    }
    wnoutrefresh(stdscr);
}

static void draw_header(struct fd_tui *ui)
{
    static const char *const what[3] = {"ctx", "project", "stage"};
    WINDOW *w = ui->header;
    int x = 0, cols = getmaxx(w);
    struct fd_buf crumbs = FD_BUF_INIT;

    wbkgdset(w, ' ' | fd_tui_attr(ui, FD_ROLE_HEADER));
    werase(w);
    x += fd_tui_put(ui, w, 0, 0, cols, FD_ROLE_HEADER, " freightdeck");
    for (int i = 0; i < 3; i++)
        if (ui->scope[i])
            x += fd_tui_putf(ui, w, 0, x, cols - x, FD_ROLE_HEADER, "  %s: %s", what[i],
                             ui->scope[i]);
    for (int i = 0; i < ui->depth; i++) {
        if (i)
            fd_buf_printf(&crumbs, " %s ", fd_tui_glyph(FD_GLYPH_BREADCRUMB));
        fd_buf_puts(&crumbs, ui->stack[i]->ops->name);
    }
    fd_buf_puts(&crumbs, " ");
    int cw = (int)fd_tui_utf8_width(fd_buf_cstr(&crumbs));
    /* The console's own header (context, connections, what waits) takes
     * over everything after the program name. */
    if (ui->opt->draw_header)
        ui->opt->draw_header(ui, ui->opt->ctx, x);
    else if (x + 2 + cw <= cols)
        fd_tui_put(ui, w, 0, cols - cw, cw, FD_ROLE_HEADER, fd_buf_cstr(&crumbs));
    fd_buf_free(&crumbs);
    wnoutrefresh(w);
}

static void draw_title(struct fd_tui *ui, int i)
{
    WINDOW *w = ui->title[i];
    struct fd_tui_view *v = ui->shown[i];
    bool focused = ui->stack[ui->focus] == v;
    int x, cols = getmaxx(w);

    werase(w);
    x = fd_tui_putf(ui, w, 0, 0, cols, FD_ROLE_TITLE, "%s %s",
                    focused && ui->nshown > 1 ? fd_tui_glyph(FD_GLYPH_SELECTED) : " ",
                    v->ops->title);
    if (v->ops->title_note) {
        char note[160];
        if (v->ops->title_note(ui, v, note, sizeof(note)))
            x += fd_tui_putf(ui, w, 0, x, cols - x, FD_ROLE_WAITING, "  %s %s",
                             fd_tui_glyph(FD_GLYPH_WARNING), note);
    }
    if (v->filter && *v->filter)
        fd_tui_putf(ui, w, 0, x, cols - x, FD_ROLE_MUTED, "  (filter: %s)", v->filter);
    wnoutrefresh(w);
}

static void draw_separator(struct fd_tui *ui)
{
    const char *g = fd_tui_glyph(FD_GLYPH_VLINE);

    werase(ui->sep);
    for (int y = 0; y < getmaxy(ui->sep); y++)
        fd_tui_put(ui, ui->sep, y, 0, 1, FD_ROLE_BORDER, g);
    wnoutrefresh(ui->sep);
}

static void draw_hints(struct fd_tui *ui)
{
    static const struct fd_tui_hint global[] = {
        {FD_REQ_BACK, "back"},
        {FD_REQ_COMMAND, "command"},
        {FD_REQ_HELP, "help"},
        {FD_REQ_QUIT, "quit"},
    };
    struct fd_tui_view *v = ui->stack[ui->focus];
    WINDOW *w = ui->hintwin;
    int x = 1, cols = getmaxx(w);
    struct fd_tui_hint all[32];
    size_t n = 0;

    werase(w);
    if (ui->prompt != FD_PROMPT_NONE) {
        all[n++] = (struct fd_tui_hint){FD_REQ_NONE, "run"};
    } else {
        for (const struct fd_tui_hint *h = v->ops->hints; h && h->req && n < 20; h++)
            if ((!ui->opt->actions_off || fd_tui_req_action(h->req) == FD_MODEL_ACTION__COUNT) &&
                !(ui->opt->action_denied && ui->opt->action_denied(ui->opt->ctx, (int)h->req)))
                all[n++] = *h;
        if (v->ops->filterable)
            all[n++] = (struct fd_tui_hint){FD_REQ_FILTER, "filter"};
        for (size_t i = 0; i < FD_ARRAY_SIZE(global); i++)
            if (global[i].req != FD_REQ_BACK || ui->depth > 1)
                all[n++] = global[i];
        if (v->ops->hint_ok) {
            size_t k = 0;
            for (size_t i = 0; i < n; i++)
                if (v->ops->hint_ok(ui, v, &all[i]))
                    all[k++] = all[i];
            n = k;
        }
    }
    for (size_t i = 0; i < n; i++) {
        char key[32], name[32];
        if (ui->prompt != FD_PROMPT_NONE && ui->completions) {
            x += fd_tui_put(ui, w, 0, x, cols - x, FD_ROLE_HINT_KEY, "Tab");
            fd_tui_putf(ui, w, 0, x, cols - x, FD_ROLE_HINT, " %s", ui->completions);
            break;
        }
        if (ui->prompt != FD_PROMPT_NONE) {
            /* The editor owns the keys while the prompt is open. */
            const char *pairs[][2] = {{"Enter", "run"},
                                      {"Esc", "cancel"},
                                      {"Tab", "complete"},
                                      {"Up/Down", "history"},
                                      {"C-u", "clear"}};
            for (size_t k = 0; k < FD_ARRAY_SIZE(pairs); k++) {
                if (k == 2 && ui->prompt != FD_PROMPT_COMMAND)
                    continue;
                int need = (int)strlen(pairs[k][0]) + 1 + (int)strlen(pairs[k][1]) + 2;
                if (x + need > cols)
                    break;
                x += fd_tui_put(ui, w, 0, x, cols - x, FD_ROLE_HINT_KEY, pairs[k][0]);
                x += fd_tui_putf(ui, w, 0, x, cols - x, FD_ROLE_HINT, " %s  ", pairs[k][1]);
            }
            break;
        }
        fd_tui_key k = fd_tui_keymap_first(&ui->keymap, all[i].req);
        if (k == FD_KEY_NONE)
            continue;
        snprintf(key, sizeof(key), "%s", fd_tui_key_name(k, name, sizeof(name)));
        int need = (int)fd_tui_utf8_width(key) + 1 + (int)fd_tui_utf8_width(all[i].label);
        if (x + need > cols)
            break;
        x += fd_tui_put(ui, w, 0, x, cols - x, FD_ROLE_HINT_KEY, key);
        x += fd_tui_putf(ui, w, 0, x, cols - x, FD_ROLE_HINT, " %s", all[i].label);
        if (x + 2 < cols)
            x += 2;
    }
    wnoutrefresh(w);
}

static void draw_message(struct fd_tui *ui)
{
    static const enum fd_tui_role sev_role[] = {FD_ROLE_MESSAGE_INFO, FD_ROLE_MESSAGE_WARN,
                                                FD_ROLE_MESSAGE_ERROR};
    WINDOW *w = ui->msgwin;
    int cols = getmaxx(w);

    werase(w);
    if (ui->prompt != FD_PROMPT_NONE) {
        struct fd_tui_lineedit *le = &ui->edit[ui->prompt];
        size_t start, col;
        const char *p = ui->prompt == FD_PROMPT_FILTER ? "/" : ":";
        fd_tui_put(ui, w, 0, 0, 1, FD_ROLE_PROMPT, p);
        fd_tui_lineedit_view(le, (size_t)cols - 1, &start, &col);
        fd_tui_put(ui, w, 0, 1, cols - 1, FD_ROLE_NORMAL, fd_tui_lineedit_text(le) + start);
        wmove(w, 0, 1 + (int)col);
    } else if (ui->msg) {
        wbkgdset(w, ' ');
        fd_tui_put(ui, w, 0, 0, cols, sev_role[ui->msg_sev], ui->msg);
    }
    wnoutrefresh(w);
}

void fd_tui_render(struct fd_tui *ui)
{
    if (ui->layout_dirty)
        fd_tui_layout(ui);
    ui->redraw_at = 0;
    if (ui->repaint) {
        clearok(curscr, TRUE);
        ui->repaint = false;
    }
    if (ui->too_small) {
        draw_too_small(ui);
        for (int i = 0; i < ui->depth; i++)
            ui->stack[i]->dirty = false;
        ui->header_dirty = ui->msg_dirty = ui->hint_dirty = false;
    } else {
        if (ui->header_dirty)
            draw_header(ui);
        for (int i = 0; i < ui->nshown; i++) {
            struct fd_tui_view *v = ui->shown[i];
            if (!v->dirty)
                continue;
            draw_title(ui, i);
            werase(v->win);
            v->ops->draw(ui, v);
            wnoutrefresh(v->win);
            v->dirty = false;
        }
        if (ui->nshown == 2 && ui->header_dirty)
            draw_separator(ui);
        if (ui->hint_dirty)
            draw_hints(ui);
        /* Last, so the prompt's cursor is where the terminal leaves it. */
        if (ui->msg_dirty || ui->prompt != FD_PROMPT_NONE)
            draw_message(ui);
        ui->header_dirty = ui->msg_dirty = ui->hint_dirty = false;
        for (int i = 0; i < ui->depth; i++)
            ui->stack[i]->dirty = false;
    }
    curs_set(ui->prompt != FD_PROMPT_NONE && !ui->too_small ? 1 : 0);
    doupdate();
    ui->stats.frames++;
    ui->last_frame = fd_tui_now_ms();
}

/* ---- Dump ------------------------------------------------------------------ */

void fd_tui_screen_text(struct fd_tui *ui, struct fd_buf *out)
{
    cchar_t *row;
    size_t start;
    int lines = LINES, cols = COLS;

    if (fd_tui_dirty(ui))
        fd_tui_render(ui);
    fd_buf_reset(out);
    row = fd_xcalloc((size_t)cols + 1, sizeof(*row));
    for (int y = 0; y < lines; y++) {
        int n = mvwin_wchnstr(curscr, y, 0, row, cols);
        start = out->len;
        for (int x = 0; n != ERR && x < cols; x++) {
            wchar_t wc[CCHARW_MAX + 1] = {0};
            attr_t a;
            short pair;
            if (getcchar(&row[x], wc, &a, &pair, NULL) == ERR || wc[0] == 0) {
                fd_buf_putc(out, ' ');
                continue;
            }
            for (int k = 0; k < CCHARW_MAX && wc[k]; k++) {
                char u[4];
                size_t len = fd_tui_utf8_encode((uint32_t)wc[k], u);
                fd_buf_append(out, u, len);
            }
            /* A double-width character fills the next cell too. */
            if (fd_tui_cp_width((uint32_t)wc[0]) == 2)
                x++;
        }
        while (out->len > start && out->data[out->len - 1] == ' ')
            out->len--;
        fd_buf_putc(out, '\n');
    }
    free(row);
}

enum fd_status fd_tui_dump(struct fd_tui *ui, const char *path)
{
    struct fd_buf text = FD_BUF_INIT;
    FILE *f;

    fd_tui_screen_text(ui, &text);
    f = fopen(path, "w");
    if (!f) {
        fd_buf_free(&text);
        return FD_IO;
    }
    fwrite(fd_buf_cstr(&text), 1, text.len, f);
    fd_buf_free(&text);
    if (fclose(f) != 0)
        return FD_IO;
    return FD_OK;
}

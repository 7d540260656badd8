/* tui/lineedit.c: the prompt's line editor. */
#include "config.h"

#include "lineedit.h"

#include <stdlib.h>

#include "tui-curses.h"
#include "utf8.h"

void fd_tui_lineedit_init(struct fd_tui_lineedit *le, size_t history_max)
{
    memset(le, 0, sizeof(*le));
    le->history_max = history_max ? history_max : 100;
    fd_buf_puts(&le->text, "");
}

void fd_tui_lineedit_free(struct fd_tui_lineedit *le)
{
    for (size_t i = 0; i < le->nhistory; i++)
        free(le->history[i]);
    free(le->history);
    free(le->draft);
    fd_buf_free(&le->text);
    memset(le, 0, sizeof(*le));
}

static void set_text(struct fd_tui_lineedit *le, const char *s)
{
    fd_buf_reset(&le->text);
    fd_buf_puts(&le->text, s ? s : "");
    le->cursor = le->text.len;
}

void fd_tui_lineedit_start(struct fd_tui_lineedit *le, const char *initial)
{
    set_text(le, initial);
    le->hist_pos = le->nhistory;
    free(le->draft);
    le->draft = NULL;
}

const char *fd_tui_lineedit_text(const struct fd_tui_lineedit *le)
{
    return fd_buf_cstr(&le->text);
}

void fd_tui_lineedit_history_add(struct fd_tui_lineedit *le, const char *text)
{
    if (!text || !*text)
        return;
    if (le->nhistory && strcmp(le->history[le->nhistory - 1], text) == 0)
        return;
    if (le->nhistory == le->history_max) {
        free(le->history[0]);
        memmove(le->history, le->history + 1, (le->nhistory - 1) * sizeof(*le->history));
        le->nhistory--;
    }
    le->history = fd_xreallocarray(le->history, le->nhistory + 1, sizeof(*le->history));
    le->history[le->nhistory++] = fd_xstrdup(text);
    le->hist_pos = le->nhistory;
}

/* Byte offset of the code point before / after pos. Invalid bytes count as
 * one character each, so the cursor can never get stuck. */
static size_t prev_cp(const struct fd_tui_lineedit *le, size_t pos)
{
    const char *s = le->text.data;

    if (pos == 0)
        return 0;
    size_t p = pos - 1;
    while (p > 0 && ((unsigned char)s[p] & 0xc0) == 0x80 && pos - p < 4)
        p--;
    uint32_t cp;
    if (fd_tui_utf8_decode(s + p, pos - p, &cp) != pos - p)
        return pos - 1;
    return p;
}

static size_t next_cp(const struct fd_tui_lineedit *le, size_t pos)
{
    uint32_t cp;
    size_t n;

    if (pos >= le->text.len)
        return le->text.len;
    n = fd_tui_utf8_decode(le->text.data + pos, le->text.len - pos, &cp);
    return pos + (n ? n : 1);
}

static void delete_range(struct fd_tui_lineedit *le, size_t from, size_t to)
{
    memmove(le->text.data + from, le->text.data + to, le->text.len - to + 1);
    le->text.len -= to - from;
    le->cursor = from;
}

static void insert_cp(struct fd_tui_lineedit *le, uint32_t cp)
{
    char u[4];
    size_t n = fd_tui_utf8_encode(cp, u);
    size_t tail = le->text.len - le->cursor;

    if (n == 0)
        return;
    fd_buf_append(&le->text, u, n); /* grows; then shift into place */
    memmove(le->text.data + le->cursor + n, le->text.data + le->cursor, tail);
    memcpy(le->text.data + le->cursor, u, n);
    le->text.data[le->text.len] = '\0';
    le->cursor += n;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

static enum fd_tui_edit history_move(struct fd_tui_lineedit *le, int dir)
{
    if (dir < 0) {
        if (le->hist_pos == 0)
            return FD_EDIT_UNCHANGED;
        if (le->hist_pos == le->nhistory) {
            free(le->draft);
            le->draft = fd_xstrdup(fd_tui_lineedit_text(le));
        }
        le->hist_pos--;
        set_text(le, le->history[le->hist_pos]);
        return FD_EDIT_CHANGED;
    }
    if (le->hist_pos >= le->nhistory)
        return FD_EDIT_UNCHANGED;
    le->hist_pos++;
    set_text(le, le->hist_pos == le->nhistory ? le->draft : le->history[le->hist_pos]);
    return FD_EDIT_CHANGED;
}

enum fd_tui_edit fd_tui_lineedit_key(struct fd_tui_lineedit *le, fd_tui_key key)
{
    size_t old = le->cursor, p;

    switch (key) {
    case FD_KEY_ENTER:
        return FD_EDIT_SUBMIT;
    case FD_KEY_ESC:
    case FD_KEY_CTRL('c'):
    case FD_KEY_CTRL('g'):
        return FD_EDIT_CANCEL;
    case FD_KEY_CURSES(KEY_BACKSPACE):
        if (le->text.len == 0)
            return FD_EDIT_CANCEL;
        if (le->cursor == 0)
            return FD_EDIT_UNCHANGED;
        delete_range(le, prev_cp(le, le->cursor), le->cursor);
        return FD_EDIT_CHANGED;
    case FD_KEY_CURSES(KEY_DC):
    case FD_KEY_CTRL('d'):
        if (le->cursor >= le->text.len)
            return FD_EDIT_UNCHANGED;
        delete_range(le, le->cursor, next_cp(le, le->cursor));
        return FD_EDIT_CHANGED;
    case FD_KEY_CURSES(KEY_LEFT):
    case FD_KEY_CTRL('b'):
        le->cursor = prev_cp(le, le->cursor);
        break;
    case FD_KEY_CURSES(KEY_RIGHT):
    case FD_KEY_CTRL('f'):
        le->cursor = next_cp(le, le->cursor);
        break;
    case FD_KEY_CURSES(KEY_HOME):
    case FD_KEY_CTRL('a'):
        le->cursor = 0;
        break;
    case FD_KEY_CURSES(KEY_END):
    case FD_KEY_CTRL('e'):
        le->cursor = le->text.len;
        break;
    case FD_KEY_CTRL('u'):
        if (le->cursor == 0)
            return FD_EDIT_UNCHANGED;
        delete_range(le, 0, le->cursor);
        return FD_EDIT_CHANGED;
    case FD_KEY_CTRL('k'):
        if (le->cursor == le->text.len)
            return FD_EDIT_UNCHANGED;
        le->text.len = le->cursor;
        le->text.data[le->cursor] = '\0';
        return FD_EDIT_CHANGED;
    case FD_KEY_CTRL('w'):
        p = le->cursor;
        while (p > 0 && is_space(le->text.data[p - 1]))
            p--;
        while (p > 0 && !is_space(le->text.data[p - 1]))
            p = prev_cp(le, p);
        if (p == le->cursor)
            return FD_EDIT_UNCHANGED;
        delete_range(le, p, le->cursor);
        return FD_EDIT_CHANGED;
    case FD_KEY_CURSES(KEY_UP):
    case FD_KEY_CTRL('p'):
        return history_move(le, -1);
    case FD_KEY_CURSES(KEY_DOWN):
    case FD_KEY_CTRL('n'):
        return history_move(le, +1);
    default:
        if (key >= 0x20 && key != 0x7f && key < FD_KEY_CURSES_BASE &&
            !(key >= 0x80 && key < 0xa0)) {
            insert_cp(le, (uint32_t)key);
            return FD_EDIT_CHANGED;
        }
        return FD_EDIT_UNCHANGED;
    }
    return le->cursor == old ? FD_EDIT_UNCHANGED : FD_EDIT_CHANGED;
}

static size_t cp_cells(const struct fd_tui_lineedit *le, size_t from, size_t to)
{
    size_t w = 0;

    while (from < to) {
        uint32_t cp;
        size_t n = fd_tui_utf8_decode(le->text.data + from, to - from, &cp);
        w += n ? (size_t)fd_tui_cp_width(cp) : 1;
        from += n ? n : 1;
    }
    return w;
}

void fd_tui_lineedit_view(const struct fd_tui_lineedit *le, size_t width, size_t *start,
                          size_t *cursor_col)
{
    size_t s = 0;

    if (width == 0)
        width = 1;
    /* Keep the cursor in the field: drop characters from the left until
     * the text before the cursor fits with one cell to spare. */
    while (s < le->cursor && cp_cells(le, s, le->cursor) >= width)
        s = next_cp(le, s);
    *start = s;
    *cursor_col = cp_cells(le, s, le->cursor);
}

#ifndef FREIGHTDECK_TUI_LINEEDIT_H
#define FREIGHTDECK_TUI_LINEEDIT_H
/*
 * lineedit: the one-line editor behind the / and : prompts. UTF-8 aware
 * (the cursor moves by code point, widths come from the cell width), with a
 * history browsed by Up/Down. Pure logic: no curses, so it is unit-tested.
 *
 * Keys: printable characters insert; Backspace / Del / C-d delete (Backspace
 * on an empty line cancels); Left / C-b, Right / C-f, Home / C-a, End / C-e
 * move; C-u kills to the start, C-k to the end, C-w the word before the
 * cursor; Up / C-p and Down / C-n walk the history; Enter submits; Esc, C-c
 * and C-g cancel.
 */

#include <stddef.h>

#include "freightdeck/util.h"
#include "request.h"

enum fd_tui_edit {
    FD_EDIT_CHANGED,   /* text or cursor moved: redraw the prompt */
    FD_EDIT_UNCHANGED, /* key understood but nothing to do */
    FD_EDIT_SUBMIT,    /* Enter: take fd_tui_lineedit_text() */
    FD_EDIT_CANCEL,    /* Esc / C-c / C-g / Backspace on empty */
};

struct fd_tui_lineedit {
    struct fd_buf text;
    size_t cursor; /* byte offset, always on a code point boundary */
    char **history;
    size_t nhistory, history_max;
    size_t hist_pos; /* == nhistory while editing a fresh line */
    char *draft;     /* the fresh line, kept while browsing history */
};

/* history_max: entries kept (oldest dropped first); 0 means 100. */
void fd_tui_lineedit_init(struct fd_tui_lineedit *le, size_t history_max);
void fd_tui_lineedit_free(struct fd_tui_lineedit *le);
/* Starts a new edit with initial text (may be NULL), cursor at the end. */
void fd_tui_lineedit_start(struct fd_tui_lineedit *le, const char *initial);
enum fd_tui_edit fd_tui_lineedit_key(struct fd_tui_lineedit *le, fd_tui_key key);
/* The current text; never NULL, valid until the next change. */
const char *fd_tui_lineedit_text(const struct fd_tui_lineedit *le);
/* Appends to the history unless empty or equal to the newest entry. */
void fd_tui_lineedit_history_add(struct fd_tui_lineedit *le, const char *text);
/* For a field of width cells: *start is the byte offset of the first shown
 * character and *cursor_col the cursor's cell within the field, chosen so
 * the cursor is always visible (the text scrolls horizontally). */
void fd_tui_lineedit_view(const struct fd_tui_lineedit *le, size_t width, size_t *start,
                          size_t *cursor_col);

#endif /* FREIGHTDECK_TUI_LINEEDIT_H */

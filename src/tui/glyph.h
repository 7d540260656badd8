#ifndef FREIGHTDECK_TUI_GLYPH_H
#define FREIGHTDECK_TUI_GLYPH_H
/*
 * glyph: every non-ASCII symbol the console draws, with its ASCII stand-in.
 *
 * One table, so no pane can draw a UTF-8 symbol that has no fallback. Each
 * glyph is exactly one terminal cell in both columns (a unit test checks it),
 * so layouts do not depend on the mode.
 */

#include <stdbool.h>

/* _(NAME, UTF-8, ASCII, what it means) */
/* clang-format off */
#define FD_TUI_GLYPH_TABLE(_)                                                  \
    _(OK,            "\u2714", "+", "phase: succeeded / healthy")              \
    _(FAILED,        "\u2716", "x", "phase: failed / degraded")                \
    _(INCONCLUSIVE,  "?",      "?", "phase: inconclusive")                     \
    _(WARNING,       "\u26a0", "!", "phase: error / warning")                  \
    _(PENDING,       "\u25cc", "o", "phase: pending / not started")            \
    _(RUNNING,       "\u25b6", ">", "phase: running / progressing")            \
    _(PAUSED,        "\u23f8", "=", "phase: paused")                           \
    _(HLINE,         "\u2500", "-", "box: horizontal line")                    \
    _(VLINE,         "\u2502", "|", "box: vertical line")                      \
    _(ULCORNER,      "\u250c", "+", "box: upper left corner")                  \
    _(URCORNER,      "\u2510", "+", "box: upper right corner")                 \
    _(LLCORNER,      "\u2514", "+", "box: lower left corner")                  \
    _(LRCORNER,      "\u2518", "+", "box: lower right corner")                 \
    _(LTEE,          "\u251c", "+", "box: tee pointing right")                 \
    _(RTEE,          "\u2524", "+", "box: tee pointing left")                  \
    _(TTEE,          "\u252c", "+", "box: tee pointing down")                  \
    _(BTEE,          "\u2534", "+", "box: tee pointing up")                    \
    _(CROSS,         "\u253c", "+", "box: crossing")                           \
    _(SPARK1,        "\u2581", "_", "sparkline: 1/8")                          \
    _(SPARK2,        "\u2582", ".", "sparkline: 2/8")                          \
    _(SPARK3,        "\u2583", "-", "sparkline: 3/8")                          \
    _(SPARK4,        "\u2584", ":", "sparkline: 4/8")                          \
    _(SPARK5,        "\u2585", "=", "sparkline: 5/8")                          \
    _(SPARK6,        "\u2586", "+", "sparkline: 6/8")                          \
    _(SPARK7,        "\u2587", "*", "sparkline: 7/8")                          \
    _(SPARK8,        "\u2588", "#", "sparkline: 8/8")                          \
    _(BAR_FULL,      "\u2588", "#", "bar: filled cell")                        \
    _(BAR_EMPTY,     "\u2591", ".", "bar: empty cell")                         \
    _(ARROW,         "\u2192", ">", "pipeline arrow")                          \
    _(ARROW_UP,      "\u25b2", "^", "more above (scroll up)")                  \
    _(ARROW_DOWN,    "\u25bc", "v", "more below (scroll down)")                \
    _(BREADCRUMB,    "\u203a", ">", "view breadcrumb separator")               \
    _(ELLIPSIS,      "\u2026", "~", "text cut short")                          \
    _(TIMES,         "\u00d7", "x", "dimension sign (80x24)")                  \
    _(BULLET,        "\u2022", "*", "list bullet")                             \
    _(SELECTED,      "\u25b8", ">", "current item marker")
/* clang-format on */

enum fd_tui_glyph {
#define FD_TUI_GLYPH_ENUM(name, utf8, ascii, help) FD_GLYPH_##name,
    FD_TUI_GLYPH_TABLE(FD_TUI_GLYPH_ENUM)
#undef FD_TUI_GLYPH_ENUM
        FD_GLYPH__COUNT
};

/* Chooses the column glyphs come from. Starts in ASCII until set. */
void fd_tui_glyph_set_utf8(bool utf8);
bool fd_tui_glyph_utf8(void);

/* The glyph in the current mode; never NULL, always one cell wide. An
 * out-of-range glyph yields "?". */
const char *fd_tui_glyph(enum fd_tui_glyph g);
/* Both columns, for tests and the theme preview. */
const char *fd_tui_glyph_utf8_of(enum fd_tui_glyph g);
const char *fd_tui_glyph_ascii_of(enum fd_tui_glyph g);
const char *fd_tui_glyph_name(enum fd_tui_glyph g);

/* text with every non-ASCII character spelled in ASCII: glyphs as their
 * ASCII column, and "≥" as ">=", "→" as "->", "…" as "..."; anything else as
 * "_" (never "?", which means Inconclusive). Returns a new string (caller
 * frees). */
char *fd_tui_ascii_fold(const char *text);

/* The sparkline glyph for value in [0, 1] (clamped; NaN gives the lowest). */
const char *fd_tui_glyph_spark(double value);

/* Decides whether the terminal should get UTF-8: false when ascii_forced, or
 * when the current locale's codeset (nl_langinfo) is not UTF-8. Call after
 * setlocale(). */
bool fd_tui_glyph_locale_is_utf8(bool ascii_forced);

#endif /* FREIGHTDECK_TUI_GLYPH_H */

#ifndef FREIGHTDECK_TUI_THEME_H
#define FREIGHTDECK_TUI_THEME_H
/*
 * theme: semantic colours (ok, failed, waiting-for-human, ...) and the YAML
 * theme files that give them fg/bg/attrs.
 *
 * Panes never name a colour, only a role; a theme maps roles to colours. The
 * role table carries the compiled-in dark default (only the 16 basic colours,
 * so it works on any colour terminal) and a mono column of attributes that is
 * used when colour is off (NO_COLOR, a monochrome terminal).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "freightdeck/util.h"

#define FD_TUI_ATTR_BOLD 0x01
#define FD_TUI_ATTR_DIM 0x02
#define FD_TUI_ATTR_UNDERLINE 0x04
#define FD_TUI_ATTR_REVERSE 0x08

#define B FD_TUI_ATTR_BOLD
#define D FD_TUI_ATTR_DIM
#define U FD_TUI_ATTR_UNDERLINE
#define R FD_TUI_ATTR_REVERSE
/* _(NAME, "yaml-name", what it colours, dark fg, dark bg, dark attrs, mono attrs)
 * Colours: -1 terminal default, 0-7 basic, 8-15 bright. */
#define FD_TUI_ROLE_TABLE(_)                                                              \
    _(NORMAL,        "normal",            "ordinary text",                 -1, -1, 0,     0)      \
    _(HEADER,        "header",            "the top line",                   0,  6, 0,     R)      \
    _(TITLE,         "title",             "pane titles",                    6, -1, B,     B)      \
    _(BORDER,        "border",            "pane borders and separators",    8, -1, 0,     0)      \
    _(SELECTION,     "selection",         "the selected line",             15,  4, B,     R)      \
    _(MUTED,         "muted",             "secondary text",                 8, -1, 0,     D)      \
    _(HEADING,       "heading",           "section headings",               3, -1, B,     B | U)  \
    _(OK,            "ok",                "succeeded, healthy",             2, -1, B,     B)      \
    _(FAILED,        "failed",            "failed, degraded, error",        9, -1, B,     B | R)  \
    _(RUNNING,       "running",           "running, progressing",           6, -1, 0,     0)      \
    _(INCONCLUSIVE,  "inconclusive",      "inconclusive measurements",     11, -1, B,     U)      \
    _(PENDING,       "pending",           "not started yet",                8, -1, 0,     D)      \
    _(WAITING,       "waiting-for-human", "waits for an operator",          0, 11, B,     B | R)  \
    _(STALE,         "stale",             "data that stopped updating",     3, -1, 0,     D | U)  \
    _(DANGER,        "danger",            "destructive actions, prod",     15,  1, B,     B | R)  \
    _(SPARKLINE,     "sparkline",         "measurement sparklines",         6, -1, 0,     0)      \
    _(BAR,           "bar",               "filled part of weight bars",     2, -1, 0,     0)      \
    _(BAR_EMPTY,     "bar-empty",         "empty part of weight bars",      8, -1, 0,     D)      \
    _(HINT,          "hint",              "the key-hint line",             -1, -1, 0,     0)      \
    _(HINT_KEY,      "hint-key",          "keys in hints and help",         6, -1, B,     B)      \
    _(PROMPT,        "prompt",            "the / and : prompts",           -1, -1, B,     B)      \
    _(MESSAGE_INFO,  "message-info",      "informational messages",        -1, -1, 0,     0)      \
    _(MESSAGE_WARN,  "message-warn",      "warnings",                      11, -1, B,     B)      \
    _(MESSAGE_ERROR, "message-error",     "errors",                        15,  1, B,     B | R)

enum fd_tui_role {
#define FD_TUI_ROLE_ENUM(name, yname, help, fg, bg, attrs, mono) FD_ROLE_##name,
    FD_TUI_ROLE_TABLE(FD_TUI_ROLE_ENUM)
#undef FD_TUI_ROLE_ENUM
    FD_ROLE__COUNT
};
#undef B
#undef D
#undef U
#undef R

#define FD_TUI_COLOR_DEFAULT (-1)
#define FD_TUI_COLOR_AUTO (-2) /* fg16/bg16: nearest basic colour */

struct fd_tui_style {
    int16_t fg, bg;     /* -1 default, 0-255 */
    int16_t fg16, bg16; /* what 8/16-colour terminals get for fg/bg >= 16 */
    uint8_t attrs;      /* FD_TUI_ATTR_* */
};

struct fd_tui_theme {
    char name[64];
    char description[128];
    bool has_color; /* false: attributes only (mono) */
    struct fd_tui_style style[FD_ROLE__COUNT];
};

const char *fd_tui_role_name(enum fd_tui_role role);
const char *fd_tui_role_help(enum fd_tui_role role);
/* FD_ROLE__COUNT when unknown. */
enum fd_tui_role fd_tui_role_by_name(const char *name);

/* The compiled-in dark default ("dark") and its attribute-only column. */
void fd_tui_theme_builtin(struct fd_tui_theme *t);
void fd_tui_theme_builtin_mono(struct fd_tui_theme *t);

/* Parses a colour: a name ("green", "bright-red", "default"), "colorN" /
 * "colourN" or N (0-255). Returns FD_OK or FD_INVALID. */
enum fd_status fd_tui_color_parse(const char *s, int16_t *out);
/* The name of a colour ("green", "color208", "default"); static storage for
 * the basic ones, buf otherwise. */
const char *fd_tui_color_name(int16_t c, char *buf, size_t size);
/* The nearest of the 16 basic colours (xterm palette) to colour c. */
int16_t fd_tui_color_nearest16(int16_t c);

/* What a terminal with `colors` colours shows for style s: fg, bg and attrs
 * after the 16-colour fallback, and on 8-colour terminals bright colours as
 * bold (bright black as dim white). colors < 8 is not handled here. */
void fd_tui_style_resolve(const struct fd_tui_style *s, int colors, int16_t *fg, int16_t *bg,
                          uint8_t *attrs);

/* Parses theme text over *t (roles the text does not mention keep their
 * values; use fd_tui_theme_plain first for a theme of its own). *inherits
 * receives the "inherits:" name or NULL (caller frees). Returns FD_OK, or
 * FD_PARSE with *err "file:line:col: what" (caller frees); t may then be
 * partly changed. */
enum fd_status fd_tui_theme_parse(struct fd_tui_theme *t, const char *text, size_t len,
                                  const char *file, char **inherits, char **err);
/* Every role default fg/bg and no attributes. */
void fd_tui_theme_plain(struct fd_tui_theme *t);

/* Finds NAME.yaml in the search path, first match wins:
 * $XDG_CONFIG_HOME/freightdeck/themes (else ~/.config/...), then
 * $FREIGHTDECK_THEMES_DIR, then the installed $(pkgdatadir)/themes. Returns
 * the path (caller frees) or NULL. */
char *fd_tui_theme_find(const char *name);
/* Loads theme NAME (following "inherits:", at most 4 deep). "dark" falls back
 * to the compiled-in default when no file is found. Returns FD_OK, FD_NOT_FOUND
 * or FD_PARSE / FD_IO / FD_INVALID with *err set (caller frees); on error *t is
 * untouched. */
enum fd_status fd_tui_theme_load(const char *name, struct fd_tui_theme *t, char **err);
/* The names of every theme in the search path, sorted, without duplicates
 * ("dark" is always there). Returns the count; *names is an array of
 * allocated strings, free with fd_tui_theme_names_free. */
size_t fd_tui_theme_names(char ***names);
void fd_tui_theme_names_free(char **names, size_t n);

/* path with $HOME shortened to "~", for messages (caller frees). */
char *fd_tui_display_path(const char *path);

#endif /* FREIGHTDECK_TUI_THEME_H */

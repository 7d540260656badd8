#ifndef FREIGHTDECK_TUI_REQUEST_H
#define FREIGHTDECK_TUI_REQUEST_H
/*
 * request: everything a key can ask for, and the keymap from keys to them.
 *
 * ONE table (tig's REQ_INFO): the enum, the config-file names, the default
 * keys, the `?` help and the model action a key asks for (NONE: it asks for
 * no action) are all generated from it. A request's config name is
 * its NAME in lower case with '_' as '-' (ROLLOUT_ABORT -> rollout-abort).
 * Default keys: letters first, F-keys as aliases.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "freightdeck/model.h"
#include "freightdeck/util.h"

/* clang-format off */
#define FD_TUI_REQ_TABLE(REQ_, GROUP_)                                               \
    GROUP_("Moving")                                                                 \
    REQ_(UP,                 "Up k",        "move the cursor up", NONE) \
    REQ_(DOWN,               "Down j",      "move the cursor down", NONE) \
    REQ_(LEFT,               "Left h",      "move left / scroll left", NONE) \
    REQ_(RIGHT,              "Right l",     "move right / scroll right", NONE) \
    REQ_(PAGE_UP,            "PgUp C-b",    "one page up", NONE) \
    REQ_(PAGE_DOWN,          "PgDn C-f Space", "one page down", NONE) \
    REQ_(FIRST,              "Home g",      "go to the first line", NONE) \
    REQ_(LAST,               "End G",       "go to the last line", NONE) \
    REQ_(NEXT_PANE,          "Tab",         "focus the next pane", NONE) \
    REQ_(PREV_PANE,          "S-Tab",       "focus the previous pane", NONE) \
    GROUP_("Views")                                                                  \
    REQ_(OPEN,               "Enter",       "open the selected item", NONE) \
    REQ_(BACK,               "Esc",         "go back to the previous view", NONE) \
    REQ_(FILTER,             "/",           "filter the view (empty clears)", NONE) \
    REQ_(SORT,               "s",           "sort the list by the next column", NONE) \
    REQ_(COMMAND,            ":",           "command prompt", NONE) \
    REQ_(HELP,               "? F1",        "this help", NONE) \
    REQ_(WAITS,              "W",           "everything that waits for you", NONE) \
    GROUP_("Kargo")                                                                  \
    REQ_(APPROVE,            "a",           "approve the Freight for the Stage", APPROVE) \
    REQ_(PROMOTE,            "p",           "promote the Freight to the Stage", PROMOTE) \
    REQ_(REVERIFY,           "v",           "re-run the Stage's verification", REVERIFY) \
    REQ_(ABORT_VERIFICATION, "x",           "abort the running verification", ABORT_VERIFICATION) \
    REQ_(WHATIF,             "w",           "what-if: dry-run the verification", NONE) \
    REQ_(REPLAY,             "e",           "edit thresholds and replay the run", NONE) \
    REQ_(HISTORY,            "H",           "the Stage's Promotions and Freight history", NONE) \
    REQ_(ROLLOUT_VIEW,       "d",           "the Stage's Rollout in detail", NONE) \
    REQ_(EVENTS,             "E",           "Kubernetes Events of the Stage", NONE) \
    GROUP_("Argo Rollouts")                                                          \
    REQ_(ROLLOUT_ABORT,      "A",           "abort the Rollout (back to stable)", ROLLOUT_ABORT) \
    REQ_(ROLLOUT_PROMOTE,    "P",           "promote the Rollout one step", ROLLOUT_PROMOTE) \
    REQ_(ROLLOUT_PROMOTE_FULL, "F",         "promote the Rollout fully", ROLLOUT_PROMOTE_FULL) \
    REQ_(ROLLOUT_RETRY,      "R",           "retry an aborted Rollout", ROLLOUT_RETRY) \
    GROUP_("General")                                                                \
    REQ_(REFRESH,            "r F5",        "refresh from the cluster", NONE) \
    REQ_(REPAINT,            "C-l",         "repaint the whole screen", NONE) \
    REQ_(QUIT,               "q F10",       "quit", NONE)
/* clang-format on */

enum fd_tui_req {
    FD_REQ_NONE,
#define FD_TUI_REQ_ENUM(name, keys, help, action) FD_REQ_##name,
#define FD_TUI_REQ_NOGROUP(title)
    FD_TUI_REQ_TABLE(FD_TUI_REQ_ENUM, FD_TUI_REQ_NOGROUP)
#undef FD_TUI_REQ_ENUM
        FD_REQ__COUNT
};

/* The config name ("rollout-abort"), or NULL for FD_REQ_NONE / out of range. */
const char *fd_tui_req_name(enum fd_tui_req req);
const char *fd_tui_req_help(enum fd_tui_req req);
/* The model action req asks for (the table's action column): a dialog on it
 * opens from any view that has a Stage. FD_MODEL_ACTION__COUNT when none. */
enum fd_model_action_kind fd_tui_req_action(enum fd_tui_req req);
/* The group heading of a request ("Kargo"). */
const char *fd_tui_req_group(enum fd_tui_req req);
/* Looks a config name up (exact, also accepts '_' for '-'); FD_REQ_NONE when
 * unknown. */
enum fd_tui_req fd_tui_req_by_name(const char *name);

/* ---- Keys ------------------------------------------------------------------
 * A key is a Unicode code point (Ctrl-L is 12, Esc 27, Enter '\n'), or a curses
 * function key code offset by FD_KEY_CURSES_BASE so it cannot collide with a
 * code point.
 */
typedef int32_t fd_tui_key;
#define FD_KEY_CURSES_BASE  0x200000
#define FD_KEY_CURSES(code) ((fd_tui_key)(FD_KEY_CURSES_BASE + (code)))
#define FD_KEY_CTRL(c)      ((fd_tui_key)((c)&0x1f))
#define FD_KEY_ESC          ((fd_tui_key)27)
#define FD_KEY_ENTER        ((fd_tui_key)'\n')
#define FD_KEY_TAB          ((fd_tui_key)'\t')
#define FD_KEY_NONE         ((fd_tui_key)-1)

/* Parses one key name: a single character ("a", "?", "é"), "C-x" / "^X",
 * "F1".."F12", "Up", "Down", "Left", "Right", "PgUp", "PgDn", "Home", "End",
 * "Enter", "Esc", "Tab", "S-Tab", "Space", "Backspace", "Del", "Ins" (names are
 * case-insensitive). Returns FD_KEY_NONE when name is not a key. */
fd_tui_key fd_tui_key_parse(const char *name);
/* Writes the canonical name of key into buf ("a", "C-l", "F1", "Up").
 * Returns buf. Unknown keys come out as "<0xNNNN>". */
const char *fd_tui_key_name(fd_tui_key key, char *buf, size_t size);
/* Maps a value from get_wch() (with is_function true for KEY_CODE_YES) to a
 * key: KEY_ENTER and '\r' become FD_KEY_ENTER, DEL and ^H become Backspace. */
fd_tui_key fd_tui_key_from_curses(int value, bool is_function);

/* ---- Keymap ---------------------------------------------------------------- */
struct fd_tui_binding {
    fd_tui_key key;
    enum fd_tui_req req;
};

struct fd_tui_keymap {
    struct fd_tui_binding *b;
    size_t n;
};

/* Fills km with the table's default keys (km must be empty or freed). */
void fd_tui_keymap_defaults(struct fd_tui_keymap *km);
void fd_tui_keymap_free(struct fd_tui_keymap *km);
/* The request bound to key, or FD_REQ_NONE. */
enum fd_tui_req fd_tui_keymap_lookup(const struct fd_tui_keymap *km, fd_tui_key key);
/* The keys of req, in binding order (letters first), as "? F1" joined by sep,
 * written to buf (truncated to size). Returns buf; "" when unbound. */
const char *fd_tui_keymap_keys(const struct fd_tui_keymap *km, enum fd_tui_req req, const char *sep,
                               char *buf, size_t size);
/* The first key of req, or FD_KEY_NONE. */
fd_tui_key fd_tui_keymap_first(const struct fd_tui_keymap *km, enum fd_tui_req req);

/* Applies the `keys:` section of a config document (YAML text of len bytes,
 * file names it in errors):
 *     keys:
 *       approve: "a"            # one key
 *       quit: "q F10"           # several, space separated
 *       refresh: [r, F5]        # or a list
 * A listed request gets exactly the keys given (its defaults are dropped); a
 * key taken from another request's defaults moves. Other top-level keys are
 * left to their modules. All or nothing: on error km is unchanged, FD_PARSE is
 * returned and *err is "file:line:col: what" (caller frees). */
enum fd_status fd_tui_keymap_load_yaml(struct fd_tui_keymap *km, const char *text, size_t len,
                                       const char *file, char **err);
/* The same over a config file already read (fd_config_load). */
struct fd_config;
enum fd_status fd_tui_keymap_load_config(struct fd_tui_keymap *km, struct fd_config *cfg,
                                         char **err);

/* Mouse events as the terminal reports them (only with `mouse: true` in
 * the config); scripts replay them with @click, @dblclick, @wheelup and
 * @wheeldown. */
enum fd_tui_mouse { FD_MOUSE_CLICK, FD_MOUSE_DOUBLE_CLICK, FD_MOUSE_WHEEL_UP, FD_MOUSE_WHEEL_DOWN };

#endif /* FREIGHTDECK_TUI_REQUEST_H */

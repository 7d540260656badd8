#ifndef FREIGHTDECK_TUI_COMMAND_H
#define FREIGHTDECK_TUI_COMMAND_H
/*
 * command: the ":" commands. One table; the help view and the lookup come
 * from it. A command may be shortened to any unique prefix (":th light").
 * args: "NAME" required, "[NAME]" optional, "" none.
 */

/* clang-format off */
#define FD_TUI_CMD_TABLE(_)                                                          \
    _(PROJECT,      "project",      "NAME",    "switch to the Kargo project NAME")   \
    _(CTX,          "ctx",          "CONTEXT", "switch to the kube context CONTEXT") \
    _(STAGE,        "stage",        "NAME",    "select the Stage NAME")              \
    _(THEME,        "theme",        "[NAME]",  "apply theme NAME (no NAME: the list)") \
    _(DUMP,         "dump",         "FILE",    "write the screen as text to FILE")   \
    _(SAVE_DISPLAY, "save-display", "FILE",    "the same as :dump")                  \
    _(WHATIF,       "whatif",       "[STAGE]", "what-if: dry-run the verification")  \
    _(REPLAY,       "replay",       "[STAGE]", "edit thresholds and replay the run") \
    _(HISTORY,      "history",      "[STAGE]", "Promotions and Freight history")     \
    _(ROLLOUT,      "rollout",      "[STAGE]", "the Stage's Rollout in detail")      \
    _(EVENTS,       "events",       "[STAGE]", "Kubernetes Events of the Stage")     \
    _(WAITS,        "waits",        "",        "everything that waits for you")      \
    _(FREIGHT,      "freight",      "",        "jump to the Freight list")           \
    _(STAGES,       "stages",       "",        "jump to the pipeline's Stages")      \
    _(ROLLOUTS,     "rollouts",     "",        "jump to every Rollout watched")      \
    _(RUNS,         "runs",         "",        "jump to every AnalysisRun watched")  \
    _(HELP,         "help",         "",        "open this help")                     \
    _(QUIT,         "quit",         "",        "quit freightdeck")
/* clang-format on */

enum fd_tui_cmd {
#define FD_TUI_CMD_ENUM(id, name, args, help) FD_CMD_##id,
    FD_TUI_CMD_TABLE(FD_TUI_CMD_ENUM)
#undef FD_TUI_CMD_ENUM
        FD_CMD__COUNT
};

const char *fd_tui_cmd_name(enum fd_tui_cmd c);
const char *fd_tui_cmd_args(enum fd_tui_cmd c);
const char *fd_tui_cmd_help(enum fd_tui_cmd c);

/* Completes the command line text (Tab): a command name, or its argument
 * (contexts, projects, Stages, themes, from the console when there is one).
 * Returns the new text (caller frees), or NULL when nothing completes; *list
 * gets the candidates when several remain (caller frees; may be NULL). */
struct fd_tui;
char *fd_tui_cmd_complete(struct fd_tui *ui, const char *text, char **list);

/* Splits line ("theme light", leading ':' and spaces allowed) into the command
 * and its argument. Returns the command, or FD_CMD__COUNT with *err set
 * (caller frees) for unknown, ambiguous, missing or extra arguments. *arg is
 * NULL or an allocated string (caller frees). An empty line gives
 * FD_CMD__COUNT with *err NULL. */
enum fd_tui_cmd fd_tui_cmd_parse(const char *line, char **arg, char **err);

#endif /* FREIGHTDECK_TUI_COMMAND_H */

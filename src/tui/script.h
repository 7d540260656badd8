#ifndef FREIGHTDECK_TUI_SCRIPT_H
#define FREIGHTDECK_TUI_SCRIPT_H
/*
 * script: scripted input for screen tests (tig's technique). The console
 * takes the next step only when it is idle: nothing to draw, nothing loading,
 * no wake pending; so tests need no sleeps. When the script ends the console
 * quits.
 *
 * File format, one step per line:
 *     # comment                     (blank lines too are skipped)
 *     :theme mono                   a ":" command, run as if typed at the prompt
 *     jjj<Enter>/theme<Esc>         keys: characters, and <Name> for named keys
 *                                   (<Up>, <C-l>, <F1>, <Esc>, <lt> for '<')
 *     @resize 100x30                resize the screen (COLSxLINES)
 *     @until approve: done          wait until the screen shows this text
 *     @gone Loading                 wait until the screen no longer shows it
 *     @sleep 500                    let 500 ms pass (timers run, input waits); only
 *                                   to measure what idle time does, never to wait
 *                                   for something: that is @until or @gone
 *     @wake                         announce a model change through the wake pipe
 *
 * @until and @gone give up after FD_SCRIPT_WAIT_S seconds times the test
 * suite's one timing knob, FD_TEST_TIMEOUT_SCALE (tests/lib/sealed); the run
 * then fails, naming the line and showing the screen.
 */

#include <stddef.h>

#include "freightdeck/util.h"
#include "request.h"

enum fd_tui_step_kind {
    FD_STEP_KEY,
    FD_STEP_COMMAND,
    FD_STEP_RESIZE,
    FD_STEP_SLEEP,
    FD_STEP_WAKE,
    FD_STEP_MOUSE,
    FD_STEP_UNTIL
};

/* How long @until and @gone wait, before FD_TEST_TIMEOUT_SCALE. */
#define FD_SCRIPT_WAIT_S 30

struct fd_tui_step {
    enum fd_tui_step_kind kind;
    fd_tui_key key; /* FD_STEP_KEY */
    char *command;  /* FD_STEP_COMMAND: without the ':'; UNTIL: the text */
    int a, b;       /* RESIZE: cols, lines; SLEEP: ms; MOUSE: row, column;
                     * UNTIL: 1 to wait for the text, 0 for its absence; ms */
    int c;          /* MOUSE: an enum fd_tui_mouse */
    int line;       /* where in the script, for messages */
};

struct fd_tui_script {
    char *file; /* as given, for messages */
    struct fd_tui_step *steps;
    size_t n, next;
};

/* Parses script text. Returns FD_OK, or FD_PARSE with *err "file:line: what"
 * (caller frees). Free the result with fd_tui_script_free. */
enum fd_status fd_tui_script_parse(struct fd_tui_script *s, const char *text, const char *file,
                                   char **err);
/* Reads and parses a file; FD_IO with *err when it cannot be read. */
enum fd_status fd_tui_script_load(struct fd_tui_script *s, const char *path, char **err);
void fd_tui_script_free(struct fd_tui_script *s);
/* The next step, or NULL at the end. */
const struct fd_tui_step *fd_tui_script_next(struct fd_tui_script *s);

#endif /* FREIGHTDECK_TUI_SCRIPT_H */

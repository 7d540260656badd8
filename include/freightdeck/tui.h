#ifndef FREIGHTDECK_TUI_H
#define FREIGHTDECK_TUI_H
/*
 * tui: the terminal console (ncursesw). Public entry points only; the view
 * API for panes is src/tui/ui.h.
 *
 * Threads: fd_tui_run() owns the terminal and runs on the calling thread (the
 * UI thread). Other threads talk to it only through a struct fd_tui_wake:
 * they commit their changes under their own lock, then call fd_tui_wake();
 * the UI thread then calls options->on_wake to apply them and redraws.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "freightdeck/expr.h"

/* ---- Wake-ups from other threads ------------------------------------------
 * A pipe with a "one byte pending" flag: many wakes before the UI thread gets
 * to them cost one byte and one wake-up. */
struct fd_tui_wake;
struct fd_tui;
struct fd_config;

/* Returns a new wake object, or NULL when no pipe can be created (errno set).
 * Free with fd_tui_wake_free once no thread uses it any more. */
struct fd_tui_wake *fd_tui_wake_new(void);
void fd_tui_wake_free(struct fd_tui_wake *w);
/* Announces a change. Thread-safe and async-signal-safe; never blocks. */
void fd_tui_wake(struct fd_tui_wake *w);
/* For the UI thread: the descriptor to poll, and the drain that re-arms the
 * flag. fd_tui_wake_consume returns true when a wake was pending. */
int fd_tui_wake_fd(const struct fd_tui_wake *w);
bool fd_tui_wake_consume(struct fd_tui_wake *w);

/* Counters filled in by fd_tui_run (tests and benchmarks read them). */
struct fd_tui_stats {
    unsigned long frames;  /* doupdate() calls */
    unsigned long polls;   /* poll() returns: wake-ups of the UI thread */
    unsigned long wakes;   /* wake-ups that came from the wake pipe */
    unsigned long keys;    /* keys handled (typed or scripted) */
    unsigned long layouts; /* window layouts (start, resizes) */
};

struct fd_tui_options {
    const char *root_view;    /* view opened first ("themes", "help"); NULL: "themes" */
    const char *theme;        /* NULL: the config file's theme:, else "dark" */
    const char *config_path;  /* NULL: $FREIGHTDECK_CONFIG, else
                                 $XDG_CONFIG_HOME/freightdeck/config.yaml */
    struct fd_config *config; /* the config file already read (util's yaml.h;
                                 borrowed), else config_path is read */
    const char *script_path;  /* key script (tests); NULL: $FREIGHTDECK_SCRIPT */
    bool ascii;               /* ASCII glyphs even in a UTF-8 locale */
    bool no_color;            /* attributes only (NO_COLOR is honoured too) */
    bool no_display;          /* curses on /dev/null, no tty needed (also
                                 $FREIGHTDECK_NO_DISPLAY); needs a script */
    int frame_ms;             /* minimum time between frames; 0: 100 ms */
    /* The terminal; NULL: stdout / stdin / $TERM. Benchmarks pass a pipe. */
    FILE *term_out, *term_in;
    const char *term_type;

    struct fd_tui_wake *wake; /* may be NULL */
    /* On the UI thread after a wake: apply queued changes; return true when
     * anything visible changed (every view is then redrawn). */
    bool (*on_wake)(void *ctx);
    /* True while data is loading: scripts wait for it to settle. */
    bool (*is_busy)(void *ctx);
    /* :ctx / :project / :stage. what is "ctx", "project" or "stage".
     * Return NULL when accepted, else an error message (static or owned by
     * ctx, shown on the message line). NULL callback: values are only kept
     * and shown in the header. */
    const char *(*on_scope)(void *ctx, const char *what, const char *value);
    void *ctx;
    /* The console's header: rows (1-3; 0 means 1) and, when not NULL, a
     * function that paints them after the program name, which ends at
     * column x of row 0 (ui->header, already erased; struct fd_tui is in
     * src/tui/ui.h). */
    int header_lines;
    bool actions_off; /* read-only: the action keys leave the hint line */
    /* Optional: whether RBAC denies the action behind request req (an
     * enum fd_tui_req) to this user; a denied action's key leaves the hint
     * line too (a viewer sees no keys it cannot use). Never blocks. */
    bool (*action_denied)(void *ctx, int req);
    void (*draw_header)(struct fd_tui *ui, void *ctx, int x);
    /* Below 80x24: paints the most important lines into the first rows of
     * the whole screen (curses' stdscr, erased), at most rows of them; the
     * last screen row says the terminal is too small. NULL: only that
     * message, centred. */
    void (*draw_small)(struct fd_tui *ui, void *ctx, int rows);

    struct fd_tui_stats *stats; /* filled on return when not NULL */
};

/* Runs the console until the user quits (or the script ends).
 * Returns 0 on a normal exit; 130 when SIGINT ended it (128 + the signal
 * for SIGTERM and SIGHUP), after restoring the terminal; 1 when the terminal cannot be used, the
 * script cannot be read or the root view is unknown, after printing one line to stderr (never while
 * curses is active). Errors in themes and the config file are not fatal: they are shown on the
 * message line. */
int fd_tui_run(const struct fd_tui_options *options);

/* ---- The console ------------------------------------------------------------
 * The panes over the live model (src/tui/console.c): `freightdeck` and
 * `freightdeck demo`. */
struct fd_kube_config;

struct fd_tui_console_options {
    /* The cluster: a loaded config (borrowed; demo), else kubeconfig/context
     * as kubectl would resolve them. Ignored when files are loaded. */
    struct fd_kube_config *cfg;
    const char *kubeconfig, *context;
    const char *project;     /* NULL: the context's namespace, else the
                                first Project found */
    const char *const *load; /* JSON files (objects, lists or arrays) to
                                show instead of a cluster (tests); */
    size_t nload;
    bool readonly;             /* --readonly: no action at all */
    bool force;                /* --force: a dialog sends although a check or
                                  RBAC refused it; the server decides */
    int64_t now;               /* fixed clock (tests); 0: the real one */
    int64_t (*clock_ms)(void); /* the clock when not fixed, epoch ms (the
                                  demo: the simulator's scenario clock, the
                                  one its times are written on); NULL: real */
    const char *prometheus;    /* the what-if view's Prometheus (--prometheus);
                                  NULL: console.prometheus, else the templates' */
    bool simulated_metrics;    /* demo: the measurements are made up by the
                                  simulator, no Prometheus behind them */
    bool expr_version_set;     /* --expr-version: judge with this release */
    enum fd_expr_version expr_version;
    /* Passed on to the terminal (see struct fd_tui_options). */
    const char *theme, *config_path, *script_path, *root_view;
    bool ascii, no_color, no_display;
    int frame_ms;
    FILE *term_out, *term_in;
    const char *term_type;
    struct fd_tui_stats *stats;
    /* Benchmarks: called on the UI thread after every frame-worthy wake. */
    void (*on_frame)(void *user);
    void *user;
};

/* Runs the console until the user quits. Returns 0, or 1 after printing
 * one line to stderr when the cluster config cannot be loaded, a file cannot
 * be read or the terminal cannot be used. A cluster that cannot be reached
 * is not an error: the console starts and shows it in the header. */
int fd_tui_console_run(const struct fd_tui_console_options *o);

#endif /* FREIGHTDECK_TUI_H */

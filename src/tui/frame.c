/* tui/frame.c: fd_tui_run, the frame loop and key dispatch.
 *
 * tmux's discipline: input and wake-ups only mark things dirty; drawing
 * happens in one place, at most once per frame interval, as one doupdate.
 * While nothing changes the loop sleeps in poll() with no timeout: no timer,
 * no bytes on the wire. */
#include "config.h"

#include "freightdeck/tui.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "command.h"
#include "console.h"
#include "glyph.h"
#include "script.h"
#include "ui.h"
#include "freightdeck/yaml.h"

#define RESIZE_DEBOUNCE_MS 40

void fd_tui_free_views(struct fd_tui *ui);

/* SIGWINCH: a flag and a byte on the wake pipe, so poll() returns and the
 * size is read in the loop, not in the handler. */
static volatile sig_atomic_t winch_pending;
static struct fd_tui_wake *winch_wake;

static void on_winch(int sig)
{
    int saved = errno;

    (void)sig;
    winch_pending = 1;
    if (winch_wake)
        fd_tui_wake(winch_wake);
    errno = saved;
}

/* SIGINT, SIGTERM, SIGHUP: quit the way q does, so the terminal is restored
 * (endwin) and every thread is stopped, instead of dying mid-frame. */
static volatile sig_atomic_t quit_signal;

static void on_quit_signal(int sig)
{
    int saved = errno;

    quit_signal = sig;
    if (winch_wake)
        fd_tui_wake(winch_wake);
    errno = saved;
}

static const int quit_signals[] = {SIGINT, SIGTERM, SIGHUP};

static void fd_tui_resize(struct fd_tui *ui, int lines, int cols)
{
    if (lines == LINES && cols == COLS)
        return;
    resize_term(lines, cols);
    ui->layout_dirty = true;
    ui->resize_at = fd_tui_now_ms();
}

static void check_winch(struct fd_tui *ui)
{
    struct winsize ws;

    if (!winch_pending)
        return;
    winch_pending = 0;
    if (ioctl(fileno(ui->out), TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
        fd_tui_resize(ui, ws.ws_row, ws.ws_col);
}

/* ---- Keys ----------------------------------------------------------------- */

static void open_prompt(struct fd_tui *ui, enum fd_tui_prompt p)
{
    struct fd_tui_view *v = fd_tui_focus(ui);

    ui->prompt = p;
    fd_tui_lineedit_start(&ui->edit[p], p == FD_PROMPT_FILTER ? v->filter : NULL);
    free(ui->filter_before);
    ui->filter_before = p == FD_PROMPT_FILTER && v->filter ? fd_xstrdup(v->filter) : NULL;
    ui->msg_dirty = ui->hint_dirty = true;
}

static void prompt_key(struct fd_tui *ui, fd_tui_key key)
{
    enum fd_tui_prompt p = ui->prompt;
    struct fd_tui_lineedit *le = &ui->edit[p];
    struct fd_tui_view *v = fd_tui_focus(ui);
    char *text;

    if (key == '\t' && p == FD_PROMPT_COMMAND) {
        char *list = NULL, *done = fd_tui_cmd_complete(ui, fd_tui_lineedit_text(le), &list);
        if (done)
            fd_tui_lineedit_start(le, done);
        free(ui->completions);
        ui->completions = list; /* the prompt holds the message line */
        free(done);
        ui->msg_dirty = ui->hint_dirty = true;
        return;
    }
    if (ui->completions) {
        free(ui->completions);
        ui->completions = NULL;
        ui->hint_dirty = true;
    }
    switch (fd_tui_lineedit_key(le, key)) {
    case FD_EDIT_UNCHANGED:
        return;
    case FD_EDIT_CHANGED:
        ui->msg_dirty = true;
        if (p == FD_PROMPT_FILTER) {
            /* Filter as you type. */
            const char *t = fd_tui_lineedit_text(le);
            free(v->filter);
            v->filter = *t ? fd_xstrdup(t) : NULL;
            v->cursor = v->scroll = 0;
            fd_tui_view_dirty(ui, v);
        }
        return;
    case FD_EDIT_CANCEL:
        ui->prompt = FD_PROMPT_NONE;
        ui->msg_dirty = ui->hint_dirty = true;
        if (p == FD_PROMPT_FILTER) {
            /* Esc puts back the filter there was. */
            free(v->filter);
            v->filter = ui->filter_before ? fd_xstrdup(ui->filter_before) : NULL;
            fd_tui_view_dirty(ui, v);
        }
        return;
    case FD_EDIT_SUBMIT:
        break;
    }
    text = fd_xstrdup(fd_tui_lineedit_text(le));
    fd_tui_lineedit_history_add(le, text);
    ui->prompt = FD_PROMPT_NONE;
    ui->msg_dirty = ui->hint_dirty = true;
    free(ui->msg);
    ui->msg = NULL;
    if (p == FD_PROMPT_FILTER) {
        free(v->filter);
        v->filter = *text ? fd_xstrdup(text) : NULL;
        v->cursor = v->scroll = 0;
        fd_tui_view_dirty(ui, v);
    } else {
        fd_tui_command(ui, text);
    }
    free(text);
}

static void global_request(struct fd_tui *ui, enum fd_tui_req req, fd_tui_key key)
{
    struct fd_tui_view *v = fd_tui_focus(ui);
    char name[32];

    switch (req) {
    case FD_REQ_BACK:
        if (v->filter) {
            free(v->filter);
            v->filter = NULL;
            fd_tui_view_dirty(ui, v);
        } else if (!fd_tui_pop_view(ui)) {
            fd_tui_message(
                ui, FD_TUI_INFO, 3000, "this is the first view (%s quits)",
                fd_tui_key_name(fd_tui_keymap_first(&ui->keymap, FD_REQ_QUIT), name, sizeof(name)));
        }
        break;
    case FD_REQ_HELP:
        if (v->ops == &fd_tui_view_help)
            fd_tui_pop_view(ui);
        else
            fd_tui_push_view(ui, &fd_tui_view_help);
        break;
    case FD_REQ_COMMAND:
        open_prompt(ui, FD_PROMPT_COMMAND);
        break;
    case FD_REQ_WAITS:
        if (fd_tui_console_of(ui))
            fd_tui_console_open_waits(ui);
        else
            fd_tui_message(ui, FD_TUI_INFO, 3000, "nothing is watched here");
        break;
    case FD_REQ_FILTER:
        if (v->ops->filterable)
            open_prompt(ui, FD_PROMPT_FILTER);
        else
            fd_tui_message(ui, FD_TUI_INFO, 3000, "the %s view has no filter", v->ops->name);
        break;
    case FD_REQ_NEXT_PANE:
    case FD_REQ_PREV_PANE:
        if (ui->nshown == 2) {
            ui->focus = ui->focus == ui->depth - 1 ? ui->depth - 2 : ui->depth - 1;
            ui->shown[0]->dirty = ui->shown[1]->dirty = true;
            ui->hint_dirty = true;
        }
        break;
    case FD_REQ_REPAINT:
        ui->repaint = true;
        fd_tui_all_dirty(ui);
        break;
    case FD_REQ_QUIT:
        ui->quit = true;
        break;
    case FD_REQ_NONE:
        fd_tui_message(
            ui, FD_TUI_INFO, 3000, "%s is not bound to anything (%s: help)",
            fd_tui_key_name(key, name, sizeof(name)),
            fd_tui_key_name(fd_tui_keymap_first(&ui->keymap, FD_REQ_HELP), name + 16, 16));
        break;
    default:
        fd_tui_message(ui, FD_TUI_INFO, 3000, "%s (%s) does nothing in the %s view",
                       fd_tui_key_name(key, name, sizeof(name)), fd_tui_req_name(req),
                       v->ops->name);
        break;
    }
}

/* Handles one key as if typed. */
static void fd_tui_handle_key(struct fd_tui *ui, fd_tui_key key)
{
    enum fd_tui_req req;
    struct fd_tui_view *v;

    ui->stats.keys++;
    if (ui->prompt != FD_PROMPT_NONE) {
        prompt_key(ui, key);
        return;
    }
    req = fd_tui_keymap_lookup(&ui->keymap, key);
    if (ui->too_small && req != FD_REQ_QUIT && req != FD_REQ_REPAINT)
        return;
    v = fd_tui_focus(ui);
    if (v->ops->key && v->ops->key(ui, v, key) == FD_TUI_HANDLED)
        return;
    /* An info message has been read once the user types on. */
    if (ui->msg && ui->msg_sev == FD_TUI_INFO) {
        free(ui->msg);
        ui->msg = NULL;
        ui->msg_dirty = true;
    }
    v = fd_tui_focus(ui);
    if (req != FD_REQ_NONE && v->ops->request && v->ops->request(ui, v, req) == FD_TUI_HANDLED)
        return;
    global_request(ui, req, key);
}

/* Reads every key the terminal has for us (stdin is readable). */
static void read_keys(struct fd_tui *ui)
{
    wint_t wch;
    int r;

    while ((r = wget_wch(ui->input, &wch)) != ERR) {
        if (r == KEY_CODE_YES && wch == KEY_RESIZE) {
            winch_pending = 1;
            continue;
        }
        if (r == KEY_CODE_YES && wch == KEY_MOUSE) {
            MEVENT ev;
            if (getmouse(&ev) != OK)
                continue;
            if (ev.bstate & BUTTON4_PRESSED)
                fd_tui_mouse_event(ui, FD_MOUSE_WHEEL_UP, ev.y, ev.x);
            else if (ev.bstate & BUTTON5_PRESSED)
                fd_tui_mouse_event(ui, FD_MOUSE_WHEEL_DOWN, ev.y, ev.x);
            else if (ev.bstate & BUTTON1_DOUBLE_CLICKED)
                fd_tui_mouse_event(ui, FD_MOUSE_DOUBLE_CLICK, ev.y, ev.x);
            else if (ev.bstate & BUTTON1_CLICKED)
                fd_tui_mouse_event(ui, FD_MOUSE_CLICK, ev.y, ev.x);
            continue;
        }
        fd_tui_handle_key(ui, fd_tui_key_from_curses((int)wch, r == KEY_CODE_YES));
        if (ui->quit)
            break;
    }
}

/* ---- Configuration ------------------------------------------------------------ */

/* Key bindings, mouse and the theme name from the config file (the one the
 * caller read, else config_path's); errors go to the message line. Returns
 * the theme name or NULL (caller frees). */
static char *load_config(struct fd_tui *ui)
{
    struct fd_config own, *cfg = ui->opt->config;
    char *err = NULL, *theme = NULL;

    if (!cfg) {
        if (fd_config_load(&own, ui->opt->config_path, &err) != FD_OK) {
            fd_tui_message(ui, FD_TUI_ERROR, 0, "%s", err);
            free(err);
            fd_config_free(&own);
            return NULL;
        }
        cfg = &own;
    }
    if (!cfg->path)
        goto out;
    if (fd_tui_keymap_load_config(&ui->keymap, cfg, &err) != FD_OK) {
        fd_tui_message(ui, FD_TUI_ERROR, 0, "%s", err);
        free(err);
        goto out;
    }
    yaml_node_t *root = fd_yaml_root(&cfg->y);
    for (yaml_node_pair_t *p =
             root && root->type == YAML_MAPPING_NODE ? root->data.mapping.pairs.start : NULL;
         p && p < root->data.mapping.pairs.top; p++) {
        const char *k = fd_yaml_scalar(fd_yaml_node(&cfg->y, p->key));
        yaml_node_t *vn = fd_yaml_node(&cfg->y, p->value);
        if (k && strcmp(k, "mouse") == 0) {
            /* Off by default: with it on, the terminal's own selection
             * needs Shift, which surprises people in an SSH session. */
            const char *b = fd_yaml_scalar(vn);
            if (b && (strcmp(b, "true") == 0 || strcmp(b, "false") == 0)) {
                ui->mouse = strcmp(b, "true") == 0;
            } else {
                char *e = fd_yaml_error(&cfg->y, vn, "mouse: must be true or false");
                fd_tui_message(ui, FD_TUI_ERROR, 0, "%s", e);
                free(e);
            }
            continue;
        }
        if (!k || strcmp(k, "theme") != 0)
            continue;
        if (fd_yaml_scalar(vn))
            theme = fd_xstrdup(fd_yaml_scalar(vn));
        else {
            char *e = fd_yaml_error(&cfg->y, vn, "theme: must be a theme name");
            fd_tui_message(ui, FD_TUI_ERROR, 0, "%s", e);
            free(e);
        }
    }
out:
    if (cfg == &own)
        fd_config_free(&own);
    return theme;
}

/* ---- The loop ------------------------------------------------------------- */

static bool busy(struct fd_tui *ui)
{
    return ui->opt->is_busy && ui->opt->is_busy(ui->opt->ctx);
}

static void apply_wake(struct fd_tui *ui, struct fd_tui_wake *w)
{
    if (!fd_tui_wake_consume(w))
        return;
    ui->stats.wakes++;
    check_winch(ui);
    if (ui->opt->on_wake && ui->opt->on_wake(ui->opt->ctx))
        fd_tui_all_dirty(ui);
}

/* Runs one script step; false at the end of the script. */
static bool script_step(struct fd_tui *ui, struct fd_tui_wake *w)
{
    const struct fd_tui_step *s = fd_tui_script_next(ui->script);

    if (!s)
        return false;
    switch (s->kind) {
    case FD_STEP_KEY:
        fd_tui_handle_key(ui, s->key);
        break;
    case FD_STEP_COMMAND:
        fd_tui_command(ui, s->command);
        break;
    case FD_STEP_RESIZE:
        fd_tui_resize(ui, s->b, s->a);
        break;
    case FD_STEP_SLEEP:
        ui->script_wait_until = fd_tui_now_ms() + (uint64_t)s->a;
        break;
    case FD_STEP_WAKE:
        fd_tui_wake(w);
        break;
    case FD_STEP_MOUSE:
        fd_tui_mouse_event(ui, (enum fd_tui_mouse)s->c, s->a, s->b);
        break;
    case FD_STEP_UNTIL:
        ui->script_until = s;
        ui->script_until_deadline = fd_tui_now_ms() + (uint64_t)s->b;
        break;
    }
    return true;
}

/* An @until or @gone is waiting and the console is idle: true when its
 * condition holds (the wait ends); at the deadline the run fails with the
 * screen in the message. */
static bool script_until_done(struct fd_tui *ui, uint64_t now)
{
    const struct fd_tui_step *s = ui->script_until;
    struct fd_buf screen = FD_BUF_INIT;
    bool shown;

    fd_tui_screen_text(ui, &screen);
    shown = strstr(fd_buf_cstr(&screen), s->command) != NULL;
    if (shown == (s->a != 0)) {
        fd_buf_free(&screen);
        ui->script_until = NULL;
        return true;
    }
    if (now >= ui->script_until_deadline) {
        ui->script_failure = fd_xasprintf(
            "script: %s:%d: @%s \"%s\": still %s the screen after %d s; the screen:\n%s",
            ui->script->file, s->line, s->a ? "until" : "gone", s->command, s->a ? "not on" : "on",
            s->b / 1000, fd_buf_cstr(&screen));
        ui->quit = true;
    }
    fd_buf_free(&screen);
    return false;
}

static void loop(struct fd_tui *ui, struct fd_tui_wake *w)
{
    while (!ui->quit) {
        uint64_t now = fd_tui_now_ms(), deadline = 0;
        struct pollfd pfd[2];
        nfds_t nfd = 0;
        int timeout;

        check_winch(ui);
        if (quit_signal) {
            ui->quit = true;
            break;
        }
        if (ui->msg && ui->msg_expires && now >= ui->msg_expires) {
            free(ui->msg);
            ui->msg = NULL;
            ui->msg_dirty = true;
        }
        if (ui->redraw_at && now >= ui->redraw_at) {
            ui->redraw_at = 0;
            fd_tui_all_dirty(ui);
        }
        if (fd_tui_dirty(ui)) {
            uint64_t at = ui->last_frame + (uint64_t)ui->frame_ms;
            if (ui->layout_dirty && ui->resize_at + RESIZE_DEBOUNCE_MS > at)
                at = ui->resize_at + RESIZE_DEBOUNCE_MS;
            if (now >= at || ui->last_frame == 0) {
                fd_tui_render(ui);
                continue;
            }
            deadline = at;
        }
        if (ui->script && !fd_tui_dirty(ui) && !busy(ui) && now >= ui->script_wait_until) {
            /* Idle: take the next step; the wake pipe must be empty too, so a
             * step never races a pending model change. */
            struct pollfd wp = {fd_tui_wake_fd(w), POLLIN, 0};
            if (poll(&wp, 1, 0) > 0) {
                apply_wake(ui, w);
                continue;
            }
            if (!ui->script_until || script_until_done(ui, now)) {
                if (!script_step(ui, w))
                    ui->quit = true;
                continue;
            }
            if (ui->quit)
                break;
            /* Waiting for the screen: sleep until a wake, a timer or the
             * deadline (below), then look again. */
        } else if (ui->script_until && now >= ui->script_until_deadline &&
                   !script_until_done(ui, now)) {
            break; /* never idle again before the deadline: fail all the same */
        }
        if (ui->script_until && (!deadline || ui->script_until_deadline < deadline))
            deadline = ui->script_until_deadline;
        if (ui->script && ui->script_wait_until > now &&
            (!deadline || ui->script_wait_until < deadline))
            deadline = ui->script_wait_until;
        if (ui->msg && ui->msg_expires && (!deadline || ui->msg_expires < deadline))
            deadline = ui->msg_expires;
        if (ui->redraw_at && (!deadline || ui->redraw_at < deadline))
            deadline = ui->redraw_at;
        if (ui->script && busy(ui) && (!deadline || now + 10 < deadline))
            deadline = now + 10; /* a loading model has no wake of its own for us */

        pfd[nfd++] = (struct pollfd){fd_tui_wake_fd(w), POLLIN, 0};
        /* A script is the only input of a scripted run (deterministic). */
        if (!ui->no_display && !ui->script)
            pfd[nfd++] = (struct pollfd){fileno(ui->in), POLLIN, 0};
        timeout = deadline ? (int)(deadline > now ? deadline - now : 0) : -1;
        int r = poll(pfd, nfd, timeout);
        ui->stats.polls++;
        if (r < 0 && errno != EINTR)
            fd_fatal("poll: %s", strerror(errno));
        if (r <= 0)
            continue;
        if (pfd[0].revents)
            apply_wake(ui, w);
        if (nfd > 1 && (pfd[1].revents & (POLLHUP | POLLERR | POLLNVAL)) &&
            !(pfd[1].revents & POLLIN))
            ui->quit = true; /* the terminal went away */
        else if (nfd > 1 && pfd[1].revents)
            read_keys(ui);
    }
}

static bool env_set(const char *name)
{
    const char *v = getenv(name);
    return v && *v && strcmp(v, "0") != 0;
}

int fd_tui_run(const struct fd_tui_options *options)
{
    struct fd_tui ui;
    struct fd_tui_script script;
    struct fd_tui_wake *w = options->wake, *own = NULL;
    const char *script_path =
        options->script_path ? options->script_path : getenv("FREIGHTDECK_SCRIPT");
    const char *root_name = options->root_view ? options->root_view : "themes";
    const struct fd_tui_view_ops *root = fd_tui_view_find(root_name);
    char *err = NULL, *config_theme;
    struct sigaction sa, old_sa, old_quit[FD_ARRAY_SIZE(quit_signals)];
    int rc = 0;

    memset(&ui, 0, sizeof(ui));
    ui.opt = options;
    ui.frame_ms = options->frame_ms > 0 ? options->frame_ms : 100;
    ui.no_display = options->no_display || env_set("FREIGHTDECK_NO_DISPLAY");
    if (!root) {
        fprintf(stderr, "freightdeck: unknown view \"%s\"\n", root_name);
        return 1;
    }
    if (script_path && *script_path) {
        if (fd_tui_script_load(&script, script_path, &err) != FD_OK) {
            fprintf(stderr, "freightdeck: script: %s\n", err);
            free(err);
            return 1;
        }
        ui.script = &script;
    } else if (ui.no_display) {
        fprintf(stderr, "freightdeck: FREIGHTDECK_NO_DISPLAY needs a key script\n");
        return 1;
    }
    if (!w) {
        own = w = fd_tui_wake_new();
        if (!w) {
            fprintf(stderr, "freightdeck: cannot create a pipe: %s\n", strerror(errno));
            if (ui.script)
                fd_tui_script_free(ui.script);
            return 1;
        }
    }
    for (int p = 0; p < 3; p++)
        fd_tui_lineedit_init(&ui.edit[p], 100);
    fd_tui_keymap_defaults(&ui.keymap);
    fd_tui_glyph_set_utf8(fd_tui_glyph_locale_is_utf8(options->ascii));

    if (fd_tui_display_open(&ui, &err) != FD_OK) {
        fd_tui_display_close(&ui);
        fprintf(stderr, "freightdeck: %s\n", err);
        free(err);
        rc = 1;
        goto out;
    }
    winch_wake = w;
    winch_pending = 0;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_winch;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGWINCH, &sa, &old_sa);
    quit_signal = 0;
    sa.sa_handler = on_quit_signal;
    for (size_t i = 0; i < FD_ARRAY_SIZE(quit_signals); i++)
        sigaction(quit_signals[i], &sa, &old_quit[i]);

    fd_tui_theme_builtin(&ui.theme);
    fd_tui_apply_theme(&ui, &ui.theme);
    config_theme = load_config(&ui);
    {
        /* The compiled-in default is already applied: a broken dark.yaml
         * can never leave the console without a theme. */
        const char *want = options->theme ? options->theme : config_theme;
        if (!want || !fd_tui_apply_theme_name(&ui, want)) {
            struct fd_tui_theme t;
            char *terr = NULL;
            if (fd_tui_theme_load("dark", &t, &terr) == FD_OK)
                fd_tui_apply_theme(&ui, &t);
            else if (!ui.msg)
                fd_tui_message(&ui, FD_TUI_ERROR, 0, "%s", terr);
            free(terr);
        }
    }
    free(config_theme);
    if (ui.mouse && !ui.no_display) {
        mousemask(BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED,
                  NULL);
        mouseinterval(200);
    }
    fd_tui_push_view(&ui, root);
    ui.layout_dirty = true;

    loop(&ui, w);
    /* Stopped by a signal: the shell's convention (Ctrl-C is 130), so a
     * script that ran the console can tell it was interrupted. */
    if (quit_signal)
        rc = quit_signal == SIGINT ? fd_status_exit_code(FD_INTERRUPTED) : 128 + quit_signal;

    sigaction(SIGWINCH, &old_sa, NULL);
    for (size_t i = 0; i < FD_ARRAY_SIZE(quit_signals); i++)
        sigaction(quit_signals[i], &old_quit[i], NULL);
    winch_wake = NULL;
    fd_tui_free_views(&ui);
    fd_tui_display_close(&ui);
    if (ui.script_failure) {
        fprintf(stderr, "freightdeck: %s", ui.script_failure);
        free(ui.script_failure);
        rc = 1;
    }
out:
    if (options->stats)
        *options->stats = ui.stats;
    fd_tui_free_views(&ui);
    fd_tui_keymap_free(&ui.keymap);
    for (int p = 0; p < 3; p++)
        fd_tui_lineedit_free(&ui.edit[p]);
    for (int i = 0; i < 3; i++)
        free(ui.scope[i]);
    free(ui.filter_before);
    free(ui.completions);
    free(ui.msg);
    if (ui.script)
        fd_tui_script_free(ui.script);
    fd_tui_wake_free(own);
    return rc;
}

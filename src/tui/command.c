/* tui/command.c: the ":" command table, its parser and what each one does. */
#include "config.h"

#include "command.h"

#include <errno.h>
#include <stdlib.h>

#include "console.h"
#include "ui.h"
#include "freightdeck/yaml.h"

static const struct {
    const char *name, *args, *help;
} cmds[FD_CMD__COUNT] = {
#define FD_TUI_CMD_ROW(id, name, args, help) {name, args, help},
    FD_TUI_CMD_TABLE(FD_TUI_CMD_ROW)
#undef FD_TUI_CMD_ROW
};

const char *fd_tui_cmd_name(enum fd_tui_cmd c)
{
    return (unsigned)c < FD_CMD__COUNT ? cmds[c].name : "?";
}

const char *fd_tui_cmd_args(enum fd_tui_cmd c)
{
    return (unsigned)c < FD_CMD__COUNT ? cmds[c].args : "";
}

const char *fd_tui_cmd_help(enum fd_tui_cmd c)
{
    return (unsigned)c < FD_CMD__COUNT ? cmds[c].help : "";
}

static bool space(char c)
{
    return c == ' ' || c == '\t';
}

enum fd_tui_cmd fd_tui_cmd_parse(const char *line, char **arg, char **err)
{
    const char *p = line, *word, *rest;
    size_t wl, matches = 0;
    enum fd_tui_cmd found = FD_CMD__COUNT;
    char *w;

    *arg = NULL;
    *err = NULL;
    while (space(*p) || *p == ':')
        p++;
    word = p;
    while (*p && !space(*p))
        p++;
    wl = (size_t)(p - word);
    if (wl == 0)
        return FD_CMD__COUNT;
    while (space(*p))
        p++;
    rest = p;
    w = fd_xstrndup(word, wl);
    for (int c = 0; c < FD_CMD__COUNT; c++) {
        if (strcmp(cmds[c].name, w) == 0) {
            found = (enum fd_tui_cmd)c;
            matches = 1;
            break;
        }
        if (strncmp(cmds[c].name, w, wl) == 0) {
            found = (enum fd_tui_cmd)c;
            matches++;
        }
    }
    if (matches != 1) {
        struct fd_buf b = FD_BUF_INIT;
        if (matches > 1) {
            fd_buf_printf(&b, "ambiguous command \"%s\":", w);
            for (int c = 0; c < FD_CMD__COUNT; c++)
                if (strncmp(cmds[c].name, w, wl) == 0)
                    fd_buf_printf(&b, " %s", cmds[c].name);
        } else {
            const char *names[FD_CMD__COUNT];
            for (int c = 0; c < FD_CMD__COUNT; c++)
                names[c] = cmds[c].name;
            fd_buf_printf(&b, "unknown command \"%s\"", w);
            fd_suggest_append(&b, w, names, FD_CMD__COUNT);
            fd_buf_puts(&b, " (:help lists them)");
        }
        free(w);
        *err = fd_buf_steal(&b);
        return FD_CMD__COUNT;
    }
    free(w);
    /* Trailing blanks are not part of the argument. */
    size_t rl = strlen(rest);
    while (rl > 0 && space(rest[rl - 1]))
        rl--;
    const char *args = cmds[found].args;
    if (rl == 0 && args[0] && args[0] != '[') {
        *err = fd_xasprintf("usage: :%s %s", cmds[found].name, args);
        return FD_CMD__COUNT;
    }
    if (rl > 0 && !args[0]) {
        *err = fd_xasprintf(":%s takes no argument", cmds[found].name);
        return FD_CMD__COUNT;
    }
    if (rl > 0)
        *arg = fd_xstrndup(rest, rl);
    return found;
}

static void set_scope(struct fd_tui *ui, int which, const char *what, const char *value)
{
    const char *why = NULL;

    if (ui->opt->on_scope)
        why = ui->opt->on_scope(ui->opt->ctx, what, value);
    if (why) {
        fd_tui_message(ui, FD_TUI_ERROR, 10000, ":%s %s: %s", what, value, why);
        return;
    }
    free(ui->scope[which]);
    ui->scope[which] = fd_xstrdup(value);
    ui->header_dirty = true;
    fd_tui_all_dirty(ui);
    fd_tui_message(ui, FD_TUI_INFO, 5000, "%s: %s", what, value);
}

static void add_name(char ***v, size_t *n, const char *name)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*v)[i], name) == 0)
            return;
    *v = fd_xreallocarray(*v, *n + 1, sizeof(char *));
    (*v)[(*n)++] = fd_xstrdup(name);
}

/* The names an argument of command c can take. */
static size_t arg_names(struct fd_tui *ui, enum fd_tui_cmd c, char ***out)
{
    struct fd_tui_console *con = fd_tui_console_of(ui);
    char **v = NULL;
    size_t n = 0;

    switch (c) {
    case FD_CMD_STAGE:
    case FD_CMD_WHATIF:
    case FD_CMD_REPLAY:
    case FD_CMD_HISTORY:
    case FD_CMD_ROLLOUT:
    case FD_CMD_EVENTS:
        for (size_t i = 0; con && con->pipe && i < con->pipe->n_nodes; i++)
            if (con->pipe->nodes[i].kind == FD_MODEL_NODE_STAGE)
                add_name(&v, &n, con->pipe->nodes[i].name);
        break;
    case FD_CMD_PROJECT: {
        size_t m = 0;
        struct fd_model_object *const *p =
            con && con->snap ? fd_model_snapshot_list(con->snap, FD_MODEL_PROJECT, &m) : NULL;
        for (size_t i = 0; p && i < m; i++)
            add_name(&v, &n, p[i]->meta.name);
        p = con && con->snap ? fd_model_snapshot_list(con->snap, FD_MODEL_STAGE, &m) : NULL;
        for (size_t i = 0; p && i < m; i++)
            if (p[i]->meta.ns)
                add_name(&v, &n, p[i]->meta.ns);
        break;
    }
    case FD_CMD_CTX: {
        struct fd_kube_load_opts lo = {.kubeconfig = con ? con->opt->kubeconfig : NULL};
        struct fd_kube_error e = {0};
        char **names = NULL, *cur = NULL;
        if (con && fd_tui_console_client(con) &&
            fd_kube_config_contexts(&lo, &names, &cur, &e) == FD_OK) {
            for (size_t i = 0; names[i]; i++) {
                add_name(&v, &n, names[i]);
                free(names[i]);
            }
            free(names);
            free(cur);
        }
        break;
    }
    case FD_CMD_THEME:
        if (ui->theme.name[0])
            add_name(&v, &n, ui->theme.name);
        add_name(&v, &n, "dark");
        add_name(&v, &n, "light");
        add_name(&v, &n, "high-contrast");
        break;
    default:
        break;
    }
    *out = v;
    return n;
}

/* The longest common prefix of the candidates that start with prefix;
 * NULL when none does. Fills *list with them when more than one. */
static char *complete_from(const char *const *names, size_t n, const char *prefix, char **list)
{
    size_t pl = strlen(prefix), k = 0, common = 0;
    const char *first = NULL;
    struct fd_buf b = FD_BUF_INIT;

    for (size_t i = 0; i < n; i++) {
        if (strncmp(names[i], prefix, pl) != 0)
            continue;
        if (!first) {
            first = names[i];
            common = strlen(first);
        } else {
            size_t j = 0;
            while (j < common && names[i][j] == first[j])
                j++;
            common = j;
        }
        fd_buf_printf(&b, "%s%s", k++ ? "  " : "", names[i]);
    }
    if (!first) {
        fd_buf_free(&b);
        return NULL;
    }
    if (k > 1 && list)
        *list = fd_buf_steal(&b);
    else
        fd_buf_free(&b);
    return k == 1 ? fd_xasprintf("%s ", first) : fd_xstrndup(first, common);
}

char *fd_tui_cmd_complete(struct fd_tui *ui, const char *text, char **list)
{
    const char *sp = strchr(text, ' ');
    char *out = NULL, *done;

    if (list)
        *list = NULL;
    if (!sp) {
        const char *names[FD_CMD__COUNT];
        for (int c = 0; c < FD_CMD__COUNT; c++)
            names[c] = cmds[c].name;
        return complete_from(names, FD_CMD__COUNT, text, list);
    }
    /* The command word: exact, else a unique prefix (as fd_tui_cmd_parse). */
    size_t wl = (size_t)(sp - text);
    int c = FD_CMD__COUNT, hits = 0;
    for (int i = 0; i < FD_CMD__COUNT; i++) {
        if (strlen(cmds[i].name) == wl && strncmp(cmds[i].name, text, wl) == 0) {
            c = i;
            hits = 1;
            break;
        }
        if (strncmp(cmds[i].name, text, wl) == 0) {
            c = i;
            hits++;
        }
    }
    if (hits != 1)
        return NULL;
    const char *prefix = sp + 1;
    while (*prefix == ' ')
        prefix++;
    char **names;
    size_t n = arg_names(ui, (enum fd_tui_cmd)c, &names);
    done = complete_from((const char *const *)names, n, prefix, list);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    if (done) {
        out = fd_xasprintf("%s %s", fd_tui_cmd_name((enum fd_tui_cmd)c), done);
        /* A complete argument needs no trailing blank. */
        size_t l = strlen(out);
        if (l && out[l - 1] == ' ')
            out[l - 1] = 0;
        free(done);
    }
    return out;
}

void fd_tui_command(struct fd_tui *ui, const char *line)
{
    char *arg = NULL, *err = NULL;
    enum fd_tui_cmd c = fd_tui_cmd_parse(line, &arg, &err);

    if (c == FD_CMD__COUNT) {
        if (err)
            fd_tui_message(ui, FD_TUI_ERROR, 10000, "%s", err);
        free(err);
        return;
    }
    switch (c) {
    case FD_CMD_PROJECT:
        set_scope(ui, 1, "project", arg);
        break;
    case FD_CMD_CTX:
        set_scope(ui, 0, "ctx", arg);
        break;
    case FD_CMD_STAGE:
        set_scope(ui, 2, "stage", arg);
        break;
    case FD_CMD_THEME:
        if (!arg) {
            if (fd_tui_focus(ui)->ops != &fd_tui_view_themes)
                fd_tui_push_view(ui, &fd_tui_view_themes);
        } else if (fd_tui_apply_theme_name(ui, arg)) {
            if (ui->color || !ui->theme.has_color)
                fd_tui_message(ui, FD_TUI_INFO, 5000, "theme %s", ui->theme.name);
            else
                fd_tui_message(ui, FD_TUI_INFO, 5000, "theme %s (colours off: %s)", ui->theme.name,
                               ui->no_color_why);
        }
        break;
    case FD_CMD_DUMP:
    case FD_CMD_SAVE_DISPLAY:
        if (fd_tui_dump(ui, arg) != FD_OK)
            fd_tui_message(ui, FD_TUI_ERROR, 10000, "cannot write %s: %s", arg, strerror(errno));
        /* Success is silent: a message would end up in the next dump. */
        break;
    case FD_CMD_ROLLOUTS:
    case FD_CMD_RUNS:
        if (!fd_tui_console_of(ui))
            fd_tui_message(ui, FD_TUI_WARN, 5000, ":%s needs the console's model",
                           fd_tui_cmd_name(c));
        else
            fd_tui_console_open_objects(ui, c == FD_CMD_ROLLOUTS ? FD_MODEL_ROLLOUT
                                                                 : FD_MODEL_ANALYSIS_RUN);
        break;
    case FD_CMD_FREIGHT:
    case FD_CMD_STAGES:
        if (!fd_tui_console_of(ui)) {
            fd_tui_message(ui, FD_TUI_WARN, 5000, ":%s needs the console's model",
                           fd_tui_cmd_name(c));
            break;
        }
        while (fd_tui_pop_view(ui))
            ;
        if (c == FD_CMD_FREIGHT)
            fd_tui_push_view(ui, &fd_tui_view_freight);
        break;
    case FD_CMD_WAITS:
        if (fd_tui_console_of(ui))
            fd_tui_console_open_waits(ui);
        else
            fd_tui_message(ui, FD_TUI_WARN, 5000, ":waits needs the console's model");
        break;
    case FD_CMD_HELP:
        if (fd_tui_focus(ui)->ops != &fd_tui_view_help)
            fd_tui_push_view(ui, &fd_tui_view_help);
        break;
    case FD_CMD_WHATIF:
    case FD_CMD_REPLAY:
    case FD_CMD_HISTORY:
    case FD_CMD_ROLLOUT:
    case FD_CMD_EVENTS: {
        /* Without a Stage: what the key does in the focused pane. */
        struct fd_tui_view *v = fd_tui_focus(ui);
        enum fd_tui_req req = c == FD_CMD_WHATIF    ? FD_REQ_WHATIF
                              : c == FD_CMD_REPLAY  ? FD_REQ_REPLAY
                              : c == FD_CMD_HISTORY ? FD_REQ_HISTORY
                              : c == FD_CMD_EVENTS  ? FD_REQ_EVENTS
                                                    : FD_REQ_ROLLOUT_VIEW;
        if (!fd_tui_console_of(ui))
            fd_tui_message(ui, FD_TUI_WARN, 5000, ":%s needs the console's model",
                           fd_tui_cmd_name(c));
        else if (arg && c == FD_CMD_WHATIF)
            fd_tui_console_open_whatif(ui, arg);
        else if (arg && c == FD_CMD_HISTORY)
            fd_tui_console_open_history(ui, arg);
        else if (arg && c == FD_CMD_ROLLOUT)
            fd_tui_console_open_rollout(ui, arg);
        else if (arg && c == FD_CMD_EVENTS)
            fd_tui_console_open_events(ui, arg);
        else if (arg)
            fd_tui_console_open_replay(ui, arg);
        else if (!v->ops->request || v->ops->request(ui, v, req) == FD_TUI_IGNORED)
            fd_tui_message(ui, FD_TUI_INFO, 5000, "select a Stage first (or :%s STAGE)",
                           fd_tui_cmd_name(c));
        break;
    }
    case FD_CMD_QUIT:
        ui->quit = true;
        break;
    case FD_CMD__COUNT:
        break;
    }
    free(arg);
}

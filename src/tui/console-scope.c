/* tui/console-scope.c: :ctx, :project and :stage: the console's scope changed at
 * run time. */
#include "config.h"

#include "console.h"

#include <stdlib.h>
#include <string.h>

#include "freightdeck/client.h"

/* ---- :ctx, :project, :stage ---------------------------------------------------------- */

/* Stops every client and empties the model: what follows is shown and
 * targeted anew. The views above the root are closed first (a dialog holds
 * objects of the old scope). */
static void stop_clients(struct fd_tui_console *c)
{
    while (c->ui && fd_tui_pop_view(c->ui))
        ;
    for (size_t i = 0; i < c->n_conns; i++)
        fd_tui_console_conn_free(&c->conns[i]);
    c->n_conns = 0;
    if (c->pipe)
        fd_model_pipeline_free(c->pipe);
    c->pipe = NULL;
    fd_model_attention_free(c->att, c->n_att);
    c->att = NULL;
    c->n_att = 0;
    if (c->snap)
        fd_model_snapshot_release(c->snap);
    c->snap = NULL;
    fd_model_store_free(c->store);
    c->store = fd_model_store_new(c->store_cap);
    pthread_mutex_lock(&c->lock);
    c->changed = true;
    pthread_mutex_unlock(&c->lock);
}

/* "a, b, c" of a list of names, or "none". */
static char *name_list(char *const *names, size_t n)
{
    struct fd_buf b = FD_BUF_INIT;

    for (size_t i = 0; i < n; i++)
        fd_buf_printf(&b, "%s%s", i ? ", " : "", names[i]);
    if (!n)
        fd_buf_puts(&b, "none");
    return fd_buf_steal(&b);
}

static const char *refuse(struct fd_tui_console *c, char *msg)
{
    free(c->scope_error);
    c->scope_error = msg;
    return msg;
}

/* The projects the console knows: Project objects, and the namespaces of
 * Stages (data from files may have no Project). Sorted, no duplicates. */
static size_t known_projects(const struct fd_tui_console *c, char ***out)
{
    struct fd_model_object *const *p;
    size_t n, k = 0, m;
    char **names;

    *out = NULL;
    if (!c->snap)
        return 0;
    p = fd_model_snapshot_list(c->snap, FD_MODEL_PROJECT, &n);
    fd_model_snapshot_list(c->snap, FD_MODEL_STAGE, &m);
    names = fd_xcalloc(n + m + 1, sizeof(*names));
    for (size_t i = 0; i < n; i++)
        names[k++] = p[i]->meta.name;
    p = fd_model_snapshot_list(c->snap, FD_MODEL_STAGE, &m);
    for (size_t i = 0; i < m; i++) {
        bool seen = false;
        for (size_t j = 0; j < k && !seen; j++)
            seen = fd_streq(names[j], p[i]->meta.ns);
        if (!seen && p[i]->meta.ns)
            names[k++] = p[i]->meta.ns;
    }
    *out = names;
    return k;
}

static const char *scope_project(struct fd_tui_console *c, const char *value)
{
    char **names;
    size_t n = known_projects(c, &names);
    bool found = false;
    char *err = NULL;

    for (size_t i = 0; i < n && !found; i++)
        found = fd_streq(names[i], value);
    if (!found) {
        char *list = name_list(names, n);
        free(names);
        err = fd_xasprintf("no such project (projects: %s)", list);
        free(list);
        return refuse(c, err);
    }
    free(names);
    if (fd_streq(value, c->project))
        return NULL;
    free(c->project);
    c->project = fd_xstrdup(value);
    free(c->selected_stage);
    c->selected_stage = NULL;
    if (fd_tui_console_client(c) && c->watch_ns) {
        /* The Kargo client watches one namespace: watch the new one. */
        stop_clients(c);
        if (fd_tui_console_start_kargo(c, &err) != FD_OK ||
            fd_tui_console_start_workloads(c, &err) != FD_OK)
            return refuse(c, err);
    } else {
        while (c->ui && fd_tui_pop_view(c->ui))
            ;
        if (c->n_conns > 1) {
            /* Workload clusters follow the project's mapping. */
            for (size_t i = 1; i < c->n_conns; i++) {
                fd_client_free(c->conns[i].client);
                free(c->conns[i].name);
                if (c->conns[i].snap)
                    fd_model_snapshot_release(c->conns[i].snap);
                fd_model_store_free(c->conns[i].store);
                fd_kube_config_free(c->conns[i].cfg);
                memset(&c->conns[i], 0, sizeof(c->conns[i]));
            }
            c->n_conns = 1;
        }
        /* Its long lists first, if every namespace is not listed yet. */
        if (fd_tui_console_client(c))
            fd_client_focus(fd_tui_console_client(c), c->project);
        if (fd_tui_console_client(c) && fd_tui_console_start_workloads(c, &err) != FD_OK)
            return refuse(c, err);
        c->gen = 0; /* rebuild the pipeline for the new project */
        if (c->snap)
            fd_model_snapshot_release(c->snap);
        c->snap = NULL;
    }
    fd_tui_console_refresh_model(c);
    return NULL;
}

static const char *scope_ctx(struct fd_tui_console *c, const char *value)
{
    struct fd_kube_load_opts lo = {.kubeconfig = c->opt->kubeconfig, .context = value};
    struct fd_kube_error kerr = {0};
    struct fd_kube_config *cfg = NULL;
    char **names = NULL, *current = NULL, *err = NULL;

    if (!fd_tui_console_client(c))
        return refuse(c, fd_xstrdup("the data comes from files: no context to switch to"));
    if (fd_streq(value, c->context))
        return NULL;
    if (fd_kube_config_load(&lo, &cfg, &kerr) != FD_OK) {
        struct fd_kube_load_opts all = {.kubeconfig = c->opt->kubeconfig};
        struct fd_kube_error e2 = {0};
        size_t n = 0;
        bool known = false;
        if (fd_kube_config_contexts(&all, &names, &current, &e2) == FD_OK)
            for (; names[n]; n++)
                known |= fd_streq(names[n], value);
        if (known) {
            err = fd_xstrdup(kerr.message); /* it exists but cannot be used */
        } else {
            char *list = name_list(names, n);
            err = fd_xasprintf("no such context in the kubeconfig (contexts: %s)", list);
            free(list);
        }
        for (size_t i = 0; i < n; i++)
            free(names[i]);
        free(names);
        free(current);
        return refuse(c, err);
    }
    stop_clients(c);
    fd_kube_config_free(c->own_cfg);
    c->own_cfg = c->cfg = cfg;
    /* The new context's namespace is the project, as at start; else keep. */
    if (cfg->namespace && *cfg->namespace && strcmp(cfg->namespace, "default") != 0) {
        free(c->project);
        c->project = fd_xstrdup(cfg->namespace);
    }
    free(c->selected_stage);
    c->selected_stage = NULL;
    if (fd_tui_console_start_kargo(c, &err) != FD_OK ||
        fd_tui_console_start_workloads(c, &err) != FD_OK)
        return refuse(c, err);
    if (c->ui && c->project) {
        free(c->ui->scope[1]);
        c->ui->scope[1] = fd_xstrdup(c->project);
    }
    fd_tui_console_refresh_model(c);
    return NULL;
}

static const char *scope_stage(struct fd_tui_console *c, const char *value)
{
    size_t n = 0, idx = 0;
    char **names;
    bool found = false;

    names = fd_xcalloc(c->pipe ? c->pipe->n_nodes + 1 : 1, sizeof(*names));
    for (size_t i = 0; c->pipe && i < c->pipe->n_nodes; i++) {
        if (c->pipe->nodes[i].kind != FD_MODEL_NODE_STAGE)
            continue;
        if (fd_streq(c->pipe->nodes[i].name, value)) {
            found = true;
            idx = i;
        }
        names[n++] = c->pipe->nodes[i].name;
    }
    if (!found) {
        char *list = name_list(names, n);
        char *msg = fd_xasprintf("no such Stage in %s (Stages: %s)",
                                 c->project ? c->project : "(none)", list);
        free(list);
        free(names);
        return refuse(c, msg);
    }
    free(names);
    if (!c->ui)
        return NULL;
    /* The pipeline selects it (unfiltered), and its pane opens: the action
     * keys act on it from either. */
    while (fd_tui_pop_view(c->ui))
        ;
    struct fd_tui_view *root = c->ui->stack[0];
    if (root && root->ops == &fd_tui_view_pipeline) {
        free(root->filter);
        root->filter = NULL;
        root->cursor = (int)idx;
        fd_tui_view_dirty(c->ui, root);
    }
    fd_tui_console_open_stage(c->ui, value);
    return NULL;
}

const char *fd_tui_console_on_scope(void *ctx, const char *what, const char *value)
{
    struct fd_tui_console *c = ctx;

    if (fd_streq(what, "project"))
        return scope_project(c, value);
    if (fd_streq(what, "ctx"))
        return scope_ctx(c, value);
    return scope_stage(c, value);
}

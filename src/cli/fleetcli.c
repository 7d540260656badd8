/* cli/fleetcli.c: the config file's Stage -> context mapping for the
 * one-shot commands. Each cluster is reached with its own kubeconfig
 * context, as the console's clients are. */
#include "config.h"

#include "fleetcli.h"

#include <stdlib.h>
#include <string.h>

#include "freightdeck/cli.h"
#include "freightdeck/client.h"

int fd_cli_fleet_load(const char *cmd, struct fd_client_fleet **out)
{
    struct fd_kube_error err = {0};

    if (fd_client_fleet_load(NULL, out, &err) != FD_OK) {
        fprintf(stderr, "freightdeck %s: %s\n", cmd, err.message);
        return 1;
    }
    return 0;
}

int fd_cli_fleet_config(const char *cmd, const char *kubeconfig, const struct fd_client_fleet *f,
                        const char *context, const char *ns, const char *what,
                        struct fd_kube_config **cfg)
{
    struct fd_kube_load_opts o = {.kubeconfig = kubeconfig, .context = context, .namespace = ns};
    struct fd_kube_error err = {0};
    char *where;

    *cfg = NULL;
    if (fd_kube_config_load(&o, cfg, &err) == FD_OK) {
        fd_cli_kube_warn_insecure(cmd, *cfg);
        return 0;
    }
    where = fd_client_fleet_context_where(f, context);
    if (where)
        fprintf(stderr, "freightdeck %s: %s: context \"%s\": %s\n", cmd, where, context,
                err.message);
    else
        fprintf(stderr, "freightdeck %s: %s%s%s\n", cmd, what ? what : "", what ? ": " : "",
                err.message);
    free(where);
    return fd_status_exit_code(err.status);
}

size_t fd_cli_fleet_warn_unknown_stages(const char *cmd, const struct fd_client_fleet *f,
                                        const struct fd_model_snapshot *snap, const char *project)
{
    char **w = NULL;
    size_t n = fd_client_fleet_unknown_stages(f, snap, project, &w);

    for (size_t i = 0; i < n; i++) {
        fprintf(stderr, "freightdeck %s: warning: %s\n", cmd, w[i]);
        free(w[i]);
    }
    free(w);
    return n;
}

bool fd_cli_fleet_maps_project(const struct fd_client_fleet *f, const char *project)
{
    for (size_t i = 0; f && i < f->n_stages; i++)
        if (fd_streq(f->stages[i].project, project))
            return true;
    return false;
}

const char *fd_cli_fleet_kargo_context(const struct fd_client_fleet *f, const char *cli_context)
{
    return cli_context ? cli_context : f ? f->kargo_context : NULL;
}

void fd_cli_fleet_where(const struct fd_client_fleet *f, const char *cli_context,
                        const char *project, const char *stage, const char **context,
                        const char **ns)
{
    const struct fd_client_stage_map *m = fd_client_fleet_find(f, project, stage);

    *context = m && m->context ? m->context : fd_cli_fleet_kargo_context(f, cli_context);
    *ns = m ? m->ns : project;
}

int fd_cli_fleet_stage_rollouts(const char *cmd, const char *kubeconfig,
                                const struct fd_client_fleet *f, const char *cli_context,
                                const char *project, const char *stage, char ***names,
                                char **context_name)
{
    const char *context, *ns;
    struct fd_kube_error err = {0};
    struct fd_kube_config *cfg = NULL;
    struct fd_model_store *store;
    struct fd_model_snapshot *snap;
    const struct fd_model_object **list;
    size_t n;

    *names = NULL;
    *context_name = NULL;
    fd_cli_fleet_where(f, cli_context, project, stage, &context, &ns);
    char *what = fd_xasprintf("Stage %s/%s", project, stage);
    int rc = fd_cli_fleet_config(cmd, kubeconfig, f, context, ns, what, &cfg);
    free(what);
    if (rc)
        return rc;
    store = fd_model_store_new(0);
    if (fd_client_list(cfg, store, FD_MODEL_ROLLOUT, ns, 0, &err) != FD_OK) {
        fprintf(stderr, "freightdeck %s: Stage %s/%s: listing rollouts in context %s: %s\n", cmd,
                project, stage, cfg->context, err.message);
        fd_model_store_free(store);
        fd_kube_config_free(cfg);
        return fd_cli_kube_exit(err.status);
    }
    snap = fd_model_store_snapshot(store);
    n = fd_client_fleet_rollouts(f, snap, project, stage, &list);
    *names = fd_xcalloc(n + 1, sizeof(char *));
    for (size_t i = 0; i < n; i++)
        (*names)[i] = fd_xstrdup(list[i]->meta.name);
    free(list);
    fd_model_snapshot_release(snap);
    fd_model_store_free(store);
    *context_name = fd_xstrdup(cfg->context);
    fd_kube_config_free(cfg);
    return 0;
}

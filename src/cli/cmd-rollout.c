/* cli/cmd-rollout.c: `freightdeck rollout abort|retry|promote [--full] NAME`:
 * the patches of kubectl-argo-rollouts (pkg/kubectl-argo-rollouts/cmd; doc/upstream.md). With --stage
 * the Rollout is the one behind a Kargo Stage, in the context and namespace
 * the config file maps the Stage to (doc/config.md). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "freightdeck/cli.h"
#include "freightdeck/client.h"
#include "fleetcli.h"
#include "kubecli.h"

#define CMD "rollout"

static void usage(FILE *f)
{
    fd_cli_print_cmd_usage(f, &fd_cmd_rollout_entry);
    fprintf(f,
            "\n"
            "  abort NAME          status.abort = true: traffic back to the stable version\n"
            "  retry NAME          status.abort = false: resume an aborted update\n"
            "  promote NAME        past the current pause or step (as kubectl argo rollouts)\n"
            "  promote --full NAME skip the remaining steps and analysis\n"
            "Status patches fall back to the main resource when the status subresource is\n"
            "missing (404). -n is the Rollout's namespace.\n"
            "\n"
            "  --full              with promote: promote fully\n"
            "  --stage [PROJECT/]STAGE\n"
            "                      instead of NAME: the Rollout behind this Kargo Stage, in\n"
            "                      the context and namespace the config file maps it to\n"
            "                      (doc/config.md; -n is then the project). NAME may still\n"
            "                      pick one when the Stage has several Rollouts\n"
            "\n%s",
            fd_kubecli_options_help);
}

static void free_names(char **names)
{
    for (size_t i = 0; names && names[i]; i++)
        free(names[i]);
    free(names);
}

/* The project of --stage: "P/S", else -n, else the Kargo context's namespace. */
static char *stage_project(const struct fd_kubecli *k, const struct fd_client_fleet *f,
                           const char *arg, char **stage)
{
    const char *slash = strchr(arg, '/');
    struct fd_kube_load_opts o = {.kubeconfig = k->kubeconfig,
                                  .context = fd_fleetcli_kargo_context(f, k->context)};
    struct fd_kube_config *cfg = NULL;
    struct fd_kube_error err = {0};
    char *project;

    if (slash) {
        *stage = fd_xstrdup(slash + 1);
        return fd_xstrndup(arg, (size_t)(slash - arg));
    }
    *stage = fd_xstrdup(arg);
    if (k->ns)
        return fd_xstrdup(k->ns);
    if (fd_kube_config_load(&o, &cfg, &err) != FD_OK) {
        fprintf(stderr, "freightdeck %s: %s\n", CMD, err.message);
        return NULL;
    }
    project = fd_xstrdup(cfg->namespace);
    fd_kube_config_free(cfg);
    return project;
}

/* rollout ACTION --stage S [NAME]: find the Stage's Rollout where the config
 * file says it runs, then act there (RBAC reviewed in that context). */
static int by_stage(struct fd_kubecli *k, struct fd_model_action *a, const char *arg,
                    const char *pick)
{
    struct fd_client_fleet *f = NULL;
    char *project = NULL, *stage = NULL, *context = NULL, **names = NULL;
    const char *rctx, *ns, *name = NULL;
    size_t n = 0;
    int rc;

    if (!*arg || arg[strlen(arg) - 1] == '/' || arg[0] == '/')
        return fd_cli_usage_error(CMD, "--stage '%s': expected STAGE or PROJECT/STAGE", arg);
    if ((rc = fd_fleetcli_load(CMD, &f)))
        return rc;
    project = stage_project(k, f, arg, &stage);
    if (!project) {
        fprintf(stderr,
                "freightdeck %s: --stage %s: no project (give -n PROJECT or "
                "PROJECT/STAGE)\n",
                CMD, arg);
        rc = 1;
        goto out;
    }
    fd_fleetcli_where(f, k->context, project, stage, &rctx, &ns);
    rc = fd_fleetcli_stage_rollouts(CMD, k->kubeconfig, f, k->context, project, stage, &names,
                                    &context);
    if (rc)
        goto out;
    while (names[n])
        n++;
    for (size_t i = 0; pick && i < n; i++)
        if (strcmp(names[i], pick) == 0)
            name = names[i];
    if (n == 0 || (pick && !name) || (!pick && n > 1)) {
        struct fd_buf b = FD_BUF_INIT;
        for (size_t i = 0; i < n; i++)
            fd_buf_printf(&b, "%s%s", i ? ", " : "", names[i]);
        if (n == 0)
            fprintf(stderr,
                    "freightdeck %s: Stage %s/%s: no Rollout found in context %s, "
                    "namespace %s (%s)\n",
                    CMD, project, stage, context, ns,
                    fd_client_fleet_find(f, project, stage) ? "as the config file maps it"
                                                          : "by the default convention");
        else if (pick)
            fprintf(stderr, "freightdeck %s: Stage %s/%s: %s is not one of its Rollouts (%s)\n",
                    CMD, project, stage, pick, fd_buf_cstr(&b));
        else
            fprintf(stderr, "freightdeck %s: Stage %s/%s has %zu Rollouts (%s): name one\n", CMD,
                    project, stage, n, fd_buf_cstr(&b));
        fd_buf_free(&b);
        rc = 1;
        goto out;
    }
    if (!name)
        name = names[0];
    printf("Stage %s/%s: Rollout %s/%s in context %s\n", project, stage, ns, name, context);
    fflush(stdout);
    k->context = rctx;
    k->ns = ns;
    a->name = name;
    rc = fd_kubecli_act(k, a, NULL);
    fd_kubecli_close(k);
out:
    free_names(names);
    free(context);
    free(project);
    free(stage);
    fd_client_fleet_free(f);
    return rc;
}

static int exec_rollout(int argc, char **argv)
{
    static const struct option longopts[] = {FD_KUBECLI_LONGOPTS,
                                             {"full", no_argument, NULL, 'F'},
                                             {"stage", required_argument, NULL, 'S'},
                                             {NULL, 0, NULL, 0}};
    struct fd_kubecli k = {.cmd = CMD};
    struct fd_model_action a = {0};
    const char *stage = NULL;
    bool full = false;
    int c, rc;

    while ((c = getopt_long(argc, argv, FD_KUBECLI_SHORTOPTS, longopts, NULL)) != -1) {
        if (fd_kubecli_option(&k, c, optarg))
            continue;
        if (c == 'F')
            full = true;
        else if (c == 'S')
            stage = optarg;
        else if (c == 'h') {
            usage(stdout);
            return 0;
        } else
            return fd_cli_usage_error(CMD, "unknown option");
    }
    if (stage ? optind + 1 != argc && optind + 2 != argc : optind + 2 != argc)
        return fd_cli_usage_error(CMD, stage ? "expected abort|retry|promote --stage STAGE [NAME]"
                                             : "expected abort|retry|promote NAME");
    if (strcmp(argv[optind], "abort") == 0)
        a.kind = FD_MODEL_ACTION_ROLLOUT_ABORT;
    else if (strcmp(argv[optind], "retry") == 0)
        a.kind = FD_MODEL_ACTION_ROLLOUT_RETRY;
    else if (strcmp(argv[optind], "promote") == 0)
        a.kind = full ? FD_MODEL_ACTION_ROLLOUT_PROMOTE_FULL : FD_MODEL_ACTION_ROLLOUT_PROMOTE;
    else
        return fd_cli_usage_error(CMD, "'%s': expected abort, retry or promote", argv[optind]);
    if (full && a.kind != FD_MODEL_ACTION_ROLLOUT_PROMOTE_FULL)
        return fd_cli_usage_error(CMD, "--full goes with promote");
    if (stage)
        return by_stage(&k, &a, stage, optind + 1 < argc ? argv[optind + 1] : NULL);
    a.name = argv[optind + 1];
    rc = fd_kubecli_act(&k, &a, NULL);
    fd_kubecli_close(&k);
    return rc;
}

const struct fd_cmd_entry fd_cmd_rollout_entry = {
    .name = CMD,
    .usage = "[OPTIONS] abort|retry|promote [--full] NAME|--stage [PROJECT/]STAGE",
    .summary = "abort, retry or promote an Argo Rollout",
    .exec = exec_rollout,
};

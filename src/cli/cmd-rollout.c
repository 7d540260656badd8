/* cli/cmd-rollout.c: `freightdeck rollout abort|retry|promote [--full] NAME`:
 * the patches of kubectl-argo-rollouts (pkg/kubectl-argo-rollouts/cmd; doc/upstream.md). With
 * --stage the Rollout is the one behind a Kargo Stage, in the context and namespace the config file
 * maps the Stage to (doc/config.md). */
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
    fd_cli_print_cmd_usage(f, &fd_cli_cmd_rollout_entry);
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
            fd_cli_kube_options_help);
}

static void free_names(char **names)
{
    for (size_t i = 0; names && names[i]; i++)
        free(names[i]);
    free(names);
}

/* Splits --stage "P/S" (or "S": the project is -n, else the Kargo
 * context's namespace, from kargo). */
static char *stage_project(const struct fd_cli_kube *k, const struct fd_kube_config *kargo,
                           const char *arg, char **stage)
{
    const char *slash = strchr(arg, '/');

    if (slash) {
        *stage = fd_xstrdup(slash + 1);
        return fd_xstrndup(arg, (size_t)(slash - arg));
    }
    *stage = fd_xstrdup(arg);
    if (k->ns)
        return fd_xstrdup(k->ns);
    return kargo->namespace && *kargo->namespace ? fd_xstrdup(kargo->namespace) : NULL;
}

/* Asks the Kargo cluster whether project/stage exists: the config file may
 * map a Stage that does not (a typo, a deleted Stage), and acting on its
 * mapped Rollout would then touch a cluster for nothing Kargo knows.
 * Returns 0, or the exit code after saying why. */
static int stage_exists(struct fd_kube_config *kargo, const struct fd_client_fleet *f,
                        const char *project, const char *stage)
{
    struct fd_model_store *store = fd_model_store_new(0);
    struct fd_kube_error err = {0};
    struct fd_model_snapshot *snap;
    int rc = 0;

    if (fd_client_list(kargo, store, FD_MODEL_STAGE, project, 0, &err) != FD_OK) {
        fprintf(stderr, "freightdeck %s: Stage %s/%s: listing stages in context %s: %s\n", CMD,
                project, stage, kargo->context, err.message);
        fd_model_store_free(store);
        return fd_cli_kube_exit(err.status);
    }
    snap = fd_model_store_snapshot(store);
    if (!fd_model_snapshot_find(snap, FD_MODEL_STAGE, project, stage)) {
        size_t n;
        struct fd_model_object *const *all = fd_model_snapshot_list(snap, FD_MODEL_STAGE, &n);
        struct fd_buf b = FD_BUF_INIT;
        for (size_t i = 0; i < n; i++)
            fd_buf_printf(&b, "%s%s", b.len ? ", " : "", all[i]->meta.name);
        fprintf(stderr,
                "freightdeck %s: refused: Stage %s/%s is not in the Kargo cluster (context %s; "
                "%s%s); nothing was sent\n",
                CMD, project, stage, kargo->context, b.len ? "its Stages: " : "no Stages",
                fd_buf_cstr(&b));
        fd_buf_free(&b);
        fd_cli_fleet_warn_unknown_stages(CMD, f, snap, project);
        rc = 1;
    }
    fd_model_snapshot_release(snap);
    fd_model_store_free(store);
    return rc;
}

/* rollout ACTION --stage S [NAME]: check the Stage with Kargo, find its
 * Rollout where the config file says it runs, then act there (RBAC
 * reviewed in that context). */
static int by_stage(struct fd_cli_kube *k, struct fd_model_action *a, const char *arg,
                    const char *pick)
{
    struct fd_client_fleet *f = NULL;
    struct fd_kube_config *kargo = NULL;
    char *project = NULL, *stage = NULL, *context = NULL, **names = NULL;
    const char *rctx, *ns, *name = NULL;
    size_t n = 0;
    int rc;

    if (!*arg || arg[strlen(arg) - 1] == '/' || arg[0] == '/')
        return fd_cli_usage_error(CMD, "--stage '%s': expected STAGE or PROJECT/STAGE", arg);
    if ((rc = fd_cli_fleet_load(CMD, &f)))
        return rc;
    k->fleet = f;
    if ((rc = fd_cli_fleet_config(CMD, k->kubeconfig, f, fd_cli_fleet_kargo_context(f, k->context),
                                  NULL, "the Kargo context", &kargo)))
        goto out;
    project = stage_project(k, kargo, arg, &stage);
    if (!project) {
        fprintf(stderr,
                "freightdeck %s: --stage %s: no project (give -p PROJECT or "
                "PROJECT/STAGE)\n",
                CMD, arg);
        rc = 2;
        goto out;
    }
    if ((rc = stage_exists(kargo, f, project, stage)))
        goto out;
    fd_cli_fleet_where(f, k->context, project, stage, &rctx, &ns);
    rc = fd_cli_fleet_stage_rollouts(CMD, k->kubeconfig, f, k->context, project, stage, &names,
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
    k->stage = stage;
    a->name = name;
    rc = fd_cli_kube_act(k, a, NULL);
    fd_cli_kube_close(k);
out:
    fd_kube_config_free(kargo);
    free_names(names);
    free(context);
    free(project);
    free(stage);
    fd_client_fleet_free(f);
    return rc;
}

static int exec_rollout(int argc, char **argv)
{
    static const struct option longopts[] = {FD_CLI_KUBE_LONGOPTS,
                                             {"full", no_argument, NULL, 'F'},
                                             {"stage", required_argument, NULL, 'S'},
                                             {NULL, 0, NULL, 0}};
    struct fd_cli_kube k = {.cmd = CMD};
    struct fd_model_action a = {0};
    const char *stage = NULL;
    bool full = false;
    int c, rc;

    while ((c = getopt_long(argc, argv, FD_CLI_KUBE_SHORTOPTS, longopts, NULL)) != -1) {
        if (fd_cli_kube_option(&k, c, optarg))
            continue;
        if (c == 'F')
            full = true;
        else if (c == 'S')
            stage = optarg;
        else if (c == 'h') {
            usage(stdout);
            return 0;
        } else
            return fd_cli_option_error(CMD, c, argv);
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
    rc = fd_cli_kube_act(&k, &a, NULL);
    fd_cli_kube_close(&k);
    return rc;
}

const struct fd_cli_cmd_entry fd_cli_cmd_rollout_entry = {
    .name = CMD,
    .usage = "[OPTIONS] abort|retry|promote [--full] NAME|--stage [PROJECT/]STAGE",
    .summary = "abort, retry or promote an Argo Rollout",
    .exec = exec_rollout,
};

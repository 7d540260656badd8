/* cli/cmd-rollout.c: `freightdeck rollout abort|retry|promote [--full] NAME`:
 * the patches of kubectl-argo-rollouts (argo-rollouts.md §f). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "freightdeck/cli.h"
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
            "\n%s",
            fd_kubecli_options_help);
}

static int exec_rollout(int argc, char **argv)
{
    static const struct option longopts[] = {
        FD_KUBECLI_LONGOPTS, {"full", no_argument, NULL, 'F'}, {NULL, 0, NULL, 0}};
    struct fd_kubecli k = {.cmd = CMD};
    struct fd_model_action a = {0};
    bool full = false;
    int c, rc;

    while ((c = getopt_long(argc, argv, FD_KUBECLI_SHORTOPTS, longopts, NULL)) != -1) {
        if (fd_kubecli_option(&k, c, optarg))
            continue;
        if (c == 'F')
            full = true;
        else if (c == 'h') {
            usage(stdout);
            return 0;
        } else
            return fd_cli_usage_error(CMD, "unknown option");
    }
    if (optind + 2 != argc)
        return fd_cli_usage_error(CMD, "expected abort|retry|promote NAME");
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
    a.name = argv[optind + 1];
    rc = fd_kubecli_act(&k, &a, NULL);
    fd_kubecli_close(&k);
    return rc;
}

const struct fd_cmd_entry fd_cmd_rollout_entry = {
    .name = CMD,
    .usage = "[OPTIONS] abort|retry|promote [--full] NAME",
    .summary = "abort, retry or promote an Argo Rollout",
    .exec = exec_rollout,
};

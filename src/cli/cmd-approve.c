/* cli/cmd-approve.c: `freightdeck approve FREIGHT --stage S`: Freight
 * status.approvedFor (pkg/server/approve_freight_v1alpha1.go; doc/upstream.md), checked and
 * audited. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "freightdeck/cli.h"
#include "kubecli.h"

#define CMD "approve"

static void usage(FILE *f)
{
    fd_cli_print_cmd_usage(f, &fd_cli_cmd_approve_entry);
    fprintf(f,
            "\n"
            "Approves FREIGHT (a name or an alias) for Stage S: merge-patches the Freight's\n"
            "status.approvedFor, so the Stage may take it without upstream verification.\n"
            "Checked first: the Freight and the Stage exist, the Stage requests Freight\n"
            "from its Warehouse, and you may patch freights/status.\n"
            "\n"
            "  -s, --stage S       the Stage (required)\n"
            "\n%s",
            fd_cli_kube_options_help);
}

static int exec_approve(int argc, char **argv)
{
    static const struct option longopts[] = {
        FD_CLI_KUBE_LONGOPTS, {"stage", required_argument, NULL, 's'}, {NULL, 0, NULL, 0}};
    struct fd_cli_kube k = {.cmd = CMD};
    struct fd_model_action a = {.kind = FD_MODEL_ACTION_APPROVE};
    int c, rc;

    while ((c = getopt_long(argc, argv, FD_CLI_KUBE_SHORTOPTS "s:", longopts, NULL)) != -1) {
        if (fd_cli_kube_option(&k, c, optarg))
            continue;
        if (c == 's')
            a.stage = optarg;
        else if (c == 'h') {
            usage(stdout);
            return 0;
        } else
            return fd_cli_option_error(CMD, c, argv);
    }
    if (optind + 1 != argc)
        return fd_cli_usage_error(CMD, "expected one FREIGHT (name or alias)");
    if (!a.stage)
        return fd_cli_usage_error(CMD, "--stage is required");
    a.name = argv[optind];
    rc = fd_cli_kube_act(&k, &a, NULL);
    fd_cli_kube_close(&k);
    return rc;
}

const struct fd_cli_cmd_entry fd_cli_cmd_approve_entry = {
    .name = CMD,
    .usage = "[OPTIONS] FREIGHT --stage STAGE",
    .summary = "approve Freight for a Stage",
    .exec = exec_approve,
};

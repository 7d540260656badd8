/* cli/cmd-verify.c: `freightdeck verify STAGE [--abort]`: the reverify and
 * abort annotations on the Stage (api/v1alpha1/annotations.go; doc/upstream.md). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "freightdeck/cli.h"
#include "kubecli.h"

#define CMD "verify"

static void usage(FILE *f)
{
    fd_cli_print_cmd_usage(f, &fd_cli_cmd_verify_entry);
    fprintf(f,
            "\n"
            "Re-runs the verification of STAGE's current Freight (annotation\n"
            "kargo.akuity.io/reverify = the last verification's ID), or with --abort stops\n"
            "the running one (kargo.akuity.io/abort). Checked first: a verification exists\n"
            "and has finished (reverify) or is still running (--abort).\n"
            "\n"
            "  --abort             abort the running verification\n"
            "\n%s",
            fd_cli_kube_options_help);
}

static int exec_verify(int argc, char **argv)
{
    static const struct option longopts[] = {
        FD_CLI_KUBE_LONGOPTS, {"abort", no_argument, NULL, 'A'}, {NULL, 0, NULL, 0}};
    struct fd_cli_kube k = {.cmd = CMD};
    struct fd_model_action a = {.kind = FD_MODEL_ACTION_REVERIFY};
    int c, rc;

    while ((c = getopt_long(argc, argv, FD_CLI_KUBE_SHORTOPTS, longopts, NULL)) != -1) {
        if (fd_cli_kube_option(&k, c, optarg))
            continue;
        if (c == 'A')
            a.kind = FD_MODEL_ACTION_ABORT_VERIFICATION;
        else if (c == 'h') {
            usage(stdout);
            return 0;
        } else
            return fd_cli_option_error(CMD, c, argv);
    }
    if (optind + 1 != argc)
        return fd_cli_usage_error(CMD, "expected one STAGE");
    a.name = argv[optind];
    rc = fd_cli_kube_act(&k, &a, NULL);
    fd_cli_kube_close(&k);
    return rc;
}

const struct fd_cli_cmd_entry fd_cli_cmd_verify_entry = {
    .name = CMD,
    .usage = "[OPTIONS] STAGE [--abort]",
    .summary = "re-run or abort a Stage's verification",
    .exec = exec_verify,
};

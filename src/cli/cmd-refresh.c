/* cli/cmd-refresh.c: `freightdeck refresh warehouse|stage NAME`: the
 * kargo.akuity.io/refresh annotation (pkg/api/refresh.go; doc/upstream.md). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "freightdeck/cli.h"
#include "kubecli.h"

#define CMD "refresh"

static void usage(FILE *f)
{
    fd_cli_print_cmd_usage(f, &fd_cli_cmd_refresh_entry);
    fprintf(f,
            "\n"
            "Asks Kargo to reconcile a Warehouse (look for new Freight now) or a Stage, by\n"
            "setting the annotation kargo.akuity.io/refresh to the current time.\n"
            "\n%s",
            fd_cli_kube_options_help);
}

static int exec_refresh(int argc, char **argv)
{
    static const struct option longopts[] = {FD_CLI_KUBE_LONGOPTS, {NULL, 0, NULL, 0}};
    struct fd_cli_kube k = {.cmd = CMD};
    struct fd_model_action a = {0};
    int c, rc;

    while ((c = getopt_long(argc, argv, FD_CLI_KUBE_SHORTOPTS, longopts, NULL)) != -1) {
        if (fd_cli_kube_option(&k, c, optarg))
            continue;
        if (c == 'h') {
            usage(stdout);
            return 0;
        }
        return fd_cli_option_error(CMD, c, argv);
    }
    if (optind + 2 != argc)
        return fd_cli_usage_error(CMD, "expected warehouse|stage NAME");
    if (strcmp(argv[optind], "warehouse") == 0)
        a.kind = FD_MODEL_ACTION_REFRESH_WAREHOUSE;
    else if (strcmp(argv[optind], "stage") == 0)
        a.kind = FD_MODEL_ACTION_REFRESH_STAGE;
    else
        return fd_cli_usage_error(CMD, "'%s': expected warehouse or stage", argv[optind]);
    a.name = argv[optind + 1];
    rc = fd_cli_kube_act(&k, &a, NULL);
    fd_cli_kube_close(&k);
    return rc;
}

const struct fd_cli_cmd_entry fd_cli_cmd_refresh_entry = {
    .name = CMD,
    .usage = "[OPTIONS] warehouse|stage NAME",
    .summary = "make Kargo reconcile a Warehouse or a Stage now",
    .exec = exec_refresh,
};

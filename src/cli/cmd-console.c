/* cli/cmd-console.c: `freightdeck console` (also `freightdeck` alone on a
 * terminal): the console on the current kubeconfig context. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "console_opts.h"
#include "freightdeck/cli.h"
#include "freightdeck/model.h"
#include "freightdeck/tui.h"
#include "freightdeck/util.h"

static void usage(FILE *f)
{
    fputs("Usage: freightdeck console [--kubeconfig FILE] [--context NAME] [--project NAME]\n"
          "                           [--readonly] [--theme NAME] [--ascii] [--no-color]\n"
          "                           [--load FILE]... [--now TIME] [--script FILE]\n"
          "                           [--prometheus URL] [--force] [--expr-version 1.17|1.15]\n"
          "\n"
          "The operator console: the Warehouse -> Stage pipeline, the live verification that\n"
          "gates it, the canaries behind each Stage, and the keys that approve, promote or\n"
          "stop them. `freightdeck` alone starts it too. Press ? inside for the keys.\n"
          "\n"
          "  --kubeconfig FILE    this kubeconfig only (default: $KUBECONFIG, ~/.kube/config)\n"
          "  --context NAME       the kube context of the Kargo control plane\n"
          "  -p, --project NAME   the Kargo project (default: the context's namespace, else\n"
          "                       the first project found)\n"
          "  --readonly           no actions at all (also console.readonly in the config)\n"
          "  --force              a dialog sends although a client-side check or RBAC\n"
          "                       refuses it: the server decides, its answer is shown\n"
          "  --prometheus URL     the Prometheus the what-if view (w) queries (also\n"
          "                       console.prometheus in the config; default: each\n"
          "                       template's provider.prometheus.address)\n"
          "  --expr-version V     judge conditions with expr 1.17 or 1.15 (Argo Rollouts\n"
          "                       v1.7-v1.9); else argoRollouts.exprVersion in the config,\n"
          "                       else the Kargo cluster's argo-rollouts image tag, else 1.17\n"
          "  --theme NAME         colour theme (dark, light, mono, high-contrast, ...)\n"
          "  --ascii              ASCII glyphs only\n"
          "  --no-color           no colours (NO_COLOR is honoured too)\n"
          "  --load FILE          show the objects of a YAML or JSON file (documents, Lists;\n"
          "                       - is standard input) instead of a cluster; repeatable\n"
          "  --now TIME           fixed clock (RFC 3339), for reproducible screens\n"
          "  --script FILE        drive the console from a key script (tests)\n"
          "  --frame-ms N         minimum time between frames (default 100)\n"
          "  -h, --help           show this help\n",
          f);
}

/* `kubectl get ... -o yaml | freightdeck console --load -`: standard input
 * holds the objects, so the keys are read from the terminal itself, as less
 * and tig read them. NULL (the console's own check then says it needs a
 * terminal) when no FILE is "-", standard input is a terminal, or there is no
 * controlling terminal. The caller closes what it gets. */
static FILE *keys_from_tty(const char *const *load, size_t nload)
{
    bool stdin_is_data = false;

    for (size_t i = 0; i < nload; i++)
        stdin_is_data |= strcmp(load[i], "-") == 0;
    if (!stdin_is_data || isatty(STDIN_FILENO))
        return NULL;
    return fopen("/dev/tty", "re");
}

static int console_exec(int argc, char **argv)
{
    static const struct option options[] = {
        {"kubeconfig", required_argument, NULL, 'k'},
        {"context", required_argument, NULL, 'c'},
        {"project", required_argument, NULL, 'p'},
        {"load", required_argument, NULL, 'l'},
        {"now", required_argument, NULL, 'N'},
        {"force", no_argument, NULL, 'F'},
        {"help", no_argument, NULL, 'h'},
        FD_CLI_CONSOLE_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    struct fd_tui_console_options o = {0};
    int64_t now_ms;
    const char **load = NULL;
    size_t nload = 0;
    int c, rc;

    while ((c = getopt_long(argc, argv, ":p:h", options, NULL)) != -1) {
        int shared = fd_cli_console_option("console", c, optarg, &o);
        if (shared == 2) {
            free(load);
            return 2;
        }
        if (shared)
            continue;
        switch (c) {
        case 'k':
            o.kubeconfig = optarg;
            break;
        case 'c':
            o.context = optarg;
            break;
        case 'p':
            o.project = optarg;
            break;
        case 'F':
            o.force = true;
            break;
        case 'l':
            load = fd_xreallocarray(load, nload + 1, sizeof(*load));
            load[nload++] = optarg;
            break;
        case 'N':
            if (!fd_time_parse_rfc3339(optarg, &now_ms)) {
                free(load);
                return fd_cli_usage_error("console", "--now '%s': not an RFC 3339 time", optarg);
            }
            o.now = now_ms / 1000;
            break;
        case 'h':
            usage(stdout);
            free(load);
            return 0;
        default:
            free(load);
            return fd_cli_option_error("console", c, argv);
        }
    }
    if (optind < argc) {
        free(load);
        return fd_cli_usage_error("console", "unexpected argument '%s'", argv[optind]);
    }
    o.load = load;
    o.nload = nload;
    FILE *tty = o.term_in ? NULL : keys_from_tty(load, nload);
    if (tty)
        o.term_in = tty;
    rc = fd_tui_console_run(&o);
    if (tty)
        fclose(tty);
    free(load);
    return rc;
}

const struct fd_cli_cmd_entry fd_cli_cmd_console_entry = {
    .name = "console",
    .usage = "[--context NAME] [--project NAME] [--readonly] [--load FILE]...",
    .summary = "the operator console (the default on a terminal)",
    .exec = console_exec,
};

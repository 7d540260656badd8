/* cli/cmd-sim.c: `freightdeck sim`, the simulated Kubernetes API server. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "freightdeck/cli.h"
#include "freightdeck/sim.h"
#include "freightdeck/util.h"

static void usage(FILE *f)
{
    fputs("Usage: freightdeck sim [--listen HOST:PORT] [--tokens FILE] [--tls-cert FILE --tls-key "
          "FILE [--tls-ca FILE]]\n"
          "                       [--kubeconfig-out FILE] [--load FILE]... [--history N]\n"
          "                       [--scenario NAME|FILE] [--speed X] [--faults SPEC] [--seed N]\n"
          "                       [--prometheus URL] [--churn N]\n"
          "\n"
          "Serves a small Kubernetes API (Kargo and Argo Rollouts resources) from memory until\n"
          "SIGTERM (exit 0) or SIGINT (Ctrl-C, exit 130). The first line on stdout is\n"
          "'listening on URL'.\n"
          "\n"
          "  --listen HOST:PORT      address to listen on (default 127.0.0.1:0, a free port)\n"
          "  --tokens FILE           require bearer tokens: lines of 'TOKEN USER ROLE',\n"
          "                          ROLE admin, promoter, viewer or crd-viewer (the Kargo and\n"
          "                          Argo Rollouts kinds only) (default: anonymous admin)\n"
          "  --tls-cert, --tls-key   serve HTTPS with this PEM certificate and key\n"
          "  --tls-ca FILE           CA certificate written to the kubeconfig (default: the cert)\n"
          "  --kubeconfig-out FILE   write a kubeconfig for the first admin token\n"
          "  --load FILE             preload objects from a YAML or JSON file (repeatable)\n"
          "  --history N             watch events kept for resuming watches (default 1000)\n"
          "  --scenario NAME|FILE    play a scenario: payments (the default without --load),\n"
          "                          inconclusive, scale (scale:10000), scale:N (N Freight,\n"
          "                          1 to 200000), a scenario YAML file, or none\n"
          "  --speed X               scenario seconds per wall-clock second (default: the\n"
          "                          scenario's, 25 for payments)\n"
          "  --faults SPEC           inject faults, e.g. latency=200ms,drop-watch=10s,gone=30s,\n"
          "                          5xx=0.05,truncate=0.02,malformed=0.02\n"
          "  --seed N                seed of the scenario's noise and the fault choices (0)\n"
          "  --prometheus URL        take analysis measurements from this Prometheus\n"
          "  --churn N               N changes a second (1 to 10000) to the Stages, Freight\n"
          "                          and AnalysisRuns loaded at start, for benchmarks\n"
          "  -h, --help              show this help\n",
          f);
}

static int sim_exec(int argc, char **argv)
{
    static const struct option options[] = {
        {"listen", required_argument, NULL, 'l'},
        {"tokens", required_argument, NULL, 't'},
        {"tls-cert", required_argument, NULL, 'c'},
        {"tls-key", required_argument, NULL, 'k'},
        {"tls-ca", required_argument, NULL, 'a'},
        {"kubeconfig-out", required_argument, NULL, 'o'},
        {"load", required_argument, NULL, 'f'},
        {"history", required_argument, NULL, 'H'},
        {"scenario", required_argument, NULL, 'S'},
        {"speed", required_argument, NULL, 'x'},
        {"faults", required_argument, NULL, 'F'},
        {"seed", required_argument, NULL, 'e'},
        {"prometheus", required_argument, NULL, 'P'},
        {"churn", required_argument, NULL, 'C'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct fd_sim_options o = {0};
    const char **load = NULL;
    int c, rc;

    while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        switch (c) {
        case 'l':
            o.listen = optarg;
            break;
        case 't':
            o.tokens = optarg;
            break;
        case 'c':
            o.tls_cert = optarg;
            break;
        case 'k':
            o.tls_key = optarg;
            break;
        case 'a':
            o.tls_ca = optarg;
            break;
        case 'o':
            o.kubeconfig_out = optarg;
            break;
        case 'f':
            load = fd_xreallocarray(load, o.nload + 1, sizeof(*load));
            load[o.nload++] = optarg;
            break;
        case 'H': {
            char *end;
            errno = 0;
            long n = strtol(optarg, &end, 10);
            if (*end || errno || n < 1 || n > 10000000) {
                free(load);
                return fd_cli_usage_error("sim",
                                          "--history '%s': expected a number from 1 to "
                                          "10000000",
                                          optarg);
            }
            o.history = (size_t)n;
            break;
        }
        case 'S':
            o.scenario = optarg;
            break;
        case 'x': {
            char *end;
            errno = 0;
            double v = strtod(optarg, &end);
            if (end == optarg || *end || errno || !(v > 0) || v > 100000) {
                free(load);
                return fd_cli_usage_error("sim",
                                          "--speed '%s': expected a number above 0 and at "
                                          "most 100000",
                                          optarg);
            }
            o.speed = v;
            break;
        }
        case 'F':
            o.faults = optarg;
            break;
        case 'e': {
            char *end;
            errno = 0;
            unsigned long long v = strtoull(optarg, &end, 10);
            if (end == optarg || *end || errno || optarg[0] == '-') {
                free(load);
                return fd_cli_usage_error("sim", "--seed '%s': expected a non-negative integer",
                                          optarg);
            }
            o.seed = v;
            break;
        }
        case 'P':
            o.prometheus = optarg;
            break;
        case 'C': {
            char *end;
            errno = 0;
            long v = strtol(optarg, &end, 10);
            if (end == optarg || *end || errno || v < 1 || v > 10000) {
                free(load);
                return fd_cli_usage_error("sim",
                                          "--churn '%s': expected a number of changes per "
                                          "second from 1 to 10000",
                                          optarg);
            }
            o.churn = (int)v;
            break;
        }
        case 'h':
            free(load);
            usage(stdout);
            return 0;
        case ':':
            free(load);
            return fd_cli_usage_error("sim", "option '%s' needs a value", argv[optind - 1]);
        default:
            free(load);
            return fd_cli_option_error("sim", c, argv);
        }
    }
    if (optind < argc) {
        free(load);
        return fd_cli_usage_error("sim", "unexpected argument '%s'", argv[optind]);
    }
    if (!o.tls_cert != !o.tls_key) {
        free(load);
        return fd_cli_usage_error("sim", "--tls-cert and --tls-key go together");
    }
    o.load = load;
    rc = fd_sim_serve(&o);
    free(load);
    return rc;
}

const struct fd_cli_cmd_entry fd_cli_cmd_sim_entry = {
    "sim",
    "[--listen HOST:PORT] [--tokens FILE] [--tls-cert F --tls-key F] [--kubeconfig-out FILE] "
    "[--load FILE]...",
    "serve a simulated Kubernetes API (Kargo, Argo Rollouts) for tests",
    sim_exec,
};

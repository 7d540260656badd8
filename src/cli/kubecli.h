#ifndef FREIGHTDECK_CLI_KUBECLI_H
#define FREIGHTDECK_CLI_KUBECLI_H
/* cli/kubecli.h: what the one-shot cluster commands (get, approve, promote,
 * verify, refresh, rollout) share: the global kube flags, connecting, filling
 * a store with blocking lists, and running an action from plan to audit.
 * Exit codes: util's FD_STATUS_TABLE (0 done, 1 refused or failed, 2 usage,
 * 3 cluster unreachable, 4 outcome unknown, 5 paused, 130 interrupted). */

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "freightdeck/client.h"
#include "freightdeck/kube.h"
#include "freightdeck/model.h"

enum {
    FD_CLI_KUBE_OPT_KUBECONFIG = 0x1000,
    FD_CLI_KUBE_OPT_CONTEXT,
    FD_CLI_KUBE_OPT_READONLY,
    FD_CLI_KUBE_OPT_DRY_RUN,
    FD_CLI_KUBE_OPT_FORCE,
    FD_CLI_KUBE_OPT_LOG,
    FD_CLI_KUBE_OPT_YES,
    FD_CLI_KUBE_OPT__NEXT /* first value free for a command's own options */
};

/* The long options every cluster command takes (put first in its table). */
#define FD_CLI_KUBE_LONGOPTS                                                                    \
    {"kubeconfig", required_argument, NULL, FD_CLI_KUBE_OPT_KUBECONFIG},                        \
        {"context", required_argument, NULL, FD_CLI_KUBE_OPT_CONTEXT},                          \
        {"namespace", required_argument, NULL, 'n'}, {"project", required_argument, NULL, 'p'}, \
        {"readonly", no_argument, NULL, FD_CLI_KUBE_OPT_READONLY},                              \
        {"dry-run", no_argument, NULL, FD_CLI_KUBE_OPT_DRY_RUN},                                \
        {"force", no_argument, NULL, FD_CLI_KUBE_OPT_FORCE},                                    \
        {"yes", no_argument, NULL, FD_CLI_KUBE_OPT_YES}, {"verbose", no_argument, NULL, 'v'},   \
        {"log", required_argument, NULL, FD_CLI_KUBE_OPT_LOG},                                  \
    {                                                                                           \
        "help", no_argument, NULL, 'h'                                                          \
    }
/* First in a command's option string: the leading ':' makes getopt tell a
 * missing value (':') from an unknown option ('?'). */
#define FD_CLI_KUBE_SHORTOPTS ":n:p:vh"

/* The help text of those options. */
extern const char fd_cli_kube_options_help[];

struct fd_cli_kube {
    const char *cmd;
    const char *kubeconfig, *context, *ns, *log;
    bool readonly, dry_run, force, verbose, yes;
    /* The Stage an action on a Rollout is for (rollout --stage), so that a
     * production Stage asks for its name as approve and promote do. */
    const char *stage;
    /* The config file, when the command read it: a context it names that
     * the kubeconfig lacks is reported with its file:line:col. Borrowed. */
    const struct fd_client_fleet *fleet;
    struct fd_kube_config *cfg;
    struct fd_model_store *store;
};

/* Handles one of the shared options. Returns true when c was one. */
bool fd_cli_kube_option(struct fd_cli_kube *k, int c, const char *arg);

/* Prints, once per process, a warning on stderr when cfg skips TLS
 * verification (insecure-skip-tls-verify): anyone on the path can read
 * the token and answer in the server's name. */
void fd_cli_kube_warn_insecure(const char *cmd, const struct fd_kube_config *cfg);

/* Loads the kubeconfig (and opens the log). Returns 0, or the exit code
 * after printing why. */
int fd_cli_kube_connect(struct fd_cli_kube *k);
/* The project namespace in use (-n, else the context's). */
const char *fd_cli_kube_ns(const struct fd_cli_kube *k);
/* Frees what connect made; safe to call twice or without connect. */
void fd_cli_kube_close(struct fd_cli_kube *k);

/* The most objects of one kind a command holds (the console's store keeps
 * FD_MODEL_DEFAULT_CAP): room for `sim --scenario scale:200000`'s Freight. */
#define FD_CLI_KUBE_STORE_CAP 500000

/* Lists every kind of kinds (bits 1u << kind) in ns (NULL: every namespace)
 * into k->store (blocking). Returns 0 or the exit code after printing why,
 * also when a kind has more than FD_CLI_KUBE_STORE_CAP objects. */
int fd_cli_kube_fill(struct fd_cli_kube *k, uint32_t kinds, const char *ns);

/* The exit code of a status: fd_status_exit_code, the one table. */
int fd_cli_kube_exit(enum fd_status st);

/* Runs an action: refuses under --readonly, plans against a fresh list of
 * the kinds it reads (the actor is the kubeconfig user, as in the console,
 * so both write the same annotation values), reviews RBAC, prints the plan
 * when refused or with --dry-run, prints the checks that warn, asks for the
 * Stage's name when it is a production Stage (console.production of the
 * config file; on a terminal, as the console's dialog does; --yes skips it;
 * without a terminal and without --yes it is refused), sends it and prints
 * the outcome. *created (may be NULL) gets
 * the created object's name (caller frees). Returns the exit code; the
 * caller calls fd_cli_kube_close afterwards (the config stays loaded). */
int fd_cli_kube_act(struct fd_cli_kube *k, const struct fd_model_action *a, char **created);

#endif /* FREIGHTDECK_CLI_KUBECLI_H */

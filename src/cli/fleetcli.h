#ifndef FREIGHTDECK_CLI_FLEETCLI_H
#define FREIGHTDECK_CLI_FLEETCLI_H
/* cli/fleetcli.h: the one-shot commands following the config file
 * (doc/config.md): which context and namespace hold a Stage's Rollouts, and
 * listing them there. */

#include "kubecli.h"

/* Loads the config file ($FREIGHTDECK_CONFIG, else the XDG default; a
 * missing default file gives an empty fleet). Returns 0 and sets *out (free
 * with fd_client_fleet_free), or prints "freightdeck CMD: file:line:col: what"
 * and returns the exit code (1). */
int fd_cli_fleet_load(const char *cmd, struct fd_client_fleet **out);

/* Loads the kubeconfig for context (NULL: the current one) and ns. Returns
 * 0 and sets *cfg, or prints why and returns the exit code: "freightdeck
 * CMD: file:line:col: context "X": ..." when the config file names that
 * context, else "freightdeck CMD: WHAT: ..." (what may be NULL). */
int fd_cli_fleet_config(const char *cmd, const char *kubeconfig, const struct fd_client_fleet *f,
                        const char *context, const char *ns, const char *what,
                        struct fd_kube_config **cfg);

/* Prints "freightdeck CMD: warning: ..." for each entry of project naming a
 * Stage that snap (the Kargo cluster's Stages, listed) lacks. Returns how
 * many. */
size_t fd_cli_fleet_warn_unknown_stages(const char *cmd, const struct fd_client_fleet *f,
                                        const struct fd_model_snapshot *snap, const char *project);

/* Whether the config file maps at least one Stage of project. */
bool fd_cli_fleet_maps_project(const struct fd_client_fleet *f, const char *project);

/* The Kargo context: --context (cli_context) when given, else kargo.context
 * of the file, else NULL (the kubeconfig's current context). Borrowed. */
const char *fd_cli_fleet_kargo_context(const struct fd_client_fleet *f, const char *cli_context);

/* Where project/stage's Rollouts run: *context (NULL = the current
 * context) and *ns, both borrowed from f, cli_context or project. */
void fd_cli_fleet_where(const struct fd_client_fleet *f, const char *cli_context,
                        const char *project, const char *stage, const char **context,
                        const char **ns);

/* The Rollouts behind project/stage, listed from their context. Sets
 * *names (NULL-terminated; free each and the array) and *context_name (the
 * context actually used; the caller frees). Returns 0, or the exit code
 * after printing why (3 when that cluster is unreachable). kubeconfig is
 * --kubeconfig (may be NULL). */
int fd_cli_fleet_stage_rollouts(const char *cmd, const char *kubeconfig,
                                const struct fd_client_fleet *f, const char *cli_context,
                                const char *project, const char *stage, char ***names,
                                char **context_name);

#endif /* FREIGHTDECK_CLI_FLEETCLI_H */

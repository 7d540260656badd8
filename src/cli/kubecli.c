/* cli/kubecli.c: the shared part of the one-shot cluster commands. */
#include "config.h"

#include "kubecli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "freightdeck/cli.h"
#include "freightdeck/client.h"

const char fd_cli_kube_options_help[] =
    "Cluster options:\n"
    "  --kubeconfig FILE   use this kubeconfig (default: $KUBECONFIG or ~/.kube/config)\n"
    "  --context NAME      use this context (default: the current one)\n"
    "  -p, --project P     the project (its namespace; default: the context's)\n"
    "  -n, --namespace NS  the same as -p\n"
    "  --readonly          refuse every action (exit 1), nothing is sent\n"
    "  --dry-run           print what would be sent and the checks, send nothing\n"
    "  --force             send even when a client-side check fails (the server\n"
    "                      decides; its answer is printed verbatim)\n"
    "  --yes               do not ask for a production Stage's name (for scripts;\n"
    "                      without a terminal and without --yes such an action is\n"
    "                      refused)\n"
    "  -v, --verbose       write a debug log to standard error\n"
    "  --log FILE          write the debug log to FILE instead\n"
    "  -h, --help          show this help\n"
    "\n"
    "Exit status: 0 done, 1 refused or failed (the reason is printed), 2 usage,\n"
    "3 cluster unreachable, 4 outcome unknown (sent, no answer: check before\n"
    "retrying), 130 interrupted (Ctrl-C); 'freightdeck --help' has the whole table.\n"
    "Every action sent is appended to the audit log\n"
    "($XDG_STATE_HOME/freightdeck/audit.log).\n";

bool fd_cli_kube_option(struct fd_cli_kube *k, int c, const char *arg)
{
    switch (c) {
    case FD_CLI_KUBE_OPT_KUBECONFIG:
        k->kubeconfig = arg;
        return true;
    case FD_CLI_KUBE_OPT_CONTEXT:
        k->context = arg;
        return true;
    case 'n':
    case 'p':
        k->ns = arg;
        return true;
    case FD_CLI_KUBE_OPT_READONLY:
        k->readonly = true;
        return true;
    case FD_CLI_KUBE_OPT_DRY_RUN:
        k->dry_run = true;
        return true;
    case FD_CLI_KUBE_OPT_FORCE:
        k->force = true;
        return true;
    case FD_CLI_KUBE_OPT_YES:
        k->yes = true;
        return true;
    case 'v':
        k->verbose = true;
        return true;
    case FD_CLI_KUBE_OPT_LOG:
        k->log = arg;
        return true;
    default:
        return false;
    }
}

int fd_cli_kube_exit(enum fd_status st)
{
    return fd_status_exit_code(st);
}

void fd_cli_kube_warn_insecure(const char *cmd, const struct fd_kube_config *cfg)
{
    static bool warned;

    if (warned || !cfg || !cfg->insecure_skip_tls_verify)
        return;
    warned = true;
    fprintf(stderr,
            "freightdeck %s: warning: cluster \"%s\" sets insecure-skip-tls-verify: the "
            "server's certificate is not checked, so anyone on the path can read the token "
            "and answer in the server's name\n",
            cmd, cfg->cluster_name ? cfg->cluster_name : "");
}

int fd_cli_kube_connect(struct fd_cli_kube *k)
{
    struct fd_kube_load_opts o = {
        .kubeconfig = k->kubeconfig, .context = k->context, .namespace = k->ns};
    struct fd_kube_error err = {0};

    if (!k->log && k->verbose)
        k->log = "/dev/stderr";
    if (k->log && fd_log_open(k->log, FD_LOG_DEBUG) != FD_OK) {
        fprintf(stderr, "freightdeck %s: --log %s: cannot open: %s\n", k->cmd, k->log,
                strerror(errno));
        k->log = NULL;
        return 1;
    }
    if (fd_kube_config_load(&o, &k->cfg, &err) != FD_OK) {
        char *where = fd_client_fleet_context_where(k->fleet, k->context);
        if (where)
            fprintf(stderr, "freightdeck %s: %s: context \"%s\": %s\n", k->cmd, where, k->context,
                    err.message);
        else
            fprintf(stderr, "freightdeck %s: %s\n", k->cmd, err.message);
        free(where);
        return fd_cli_kube_exit(err.status);
    }
    fd_cli_kube_warn_insecure(k->cmd, k->cfg);
    k->store = fd_model_store_new(FD_CLI_KUBE_STORE_CAP);
    return 0;
}

const char *fd_cli_kube_ns(const struct fd_cli_kube *k)
{
    return k->ns ? k->ns : k->cfg->namespace;
}

void fd_cli_kube_close(struct fd_cli_kube *k)
{
    if (k->store)
        fd_model_store_free(k->store);
    k->store = NULL;
    fd_kube_config_free(k->cfg);
    k->cfg = NULL;
    if (k->log)
        fd_log_close();
    k->log = NULL;
}

int fd_cli_kube_fill(struct fd_cli_kube *k, uint32_t kinds, const char *ns)
{
    for (int kind = 0; kind < FD_MODEL_KIND__COUNT; kind++) {
        struct fd_kube_error err = {0};
        if (!(kinds & (1u << kind)))
            continue;
        if (fd_client_list(k->cfg, k->store, (enum fd_model_kind)kind, ns, 0, &err) != FD_OK) {
            fprintf(stderr, "freightdeck %s: listing %s: %s\n", k->cmd,
                    fd_model_kind_plural((enum fd_model_kind)kind), err.message);
            return fd_cli_kube_exit(err.status);
        }
        /* A one-shot answer is whole or an error, never cut short. */
        struct fd_model_snapshot *snap = fd_model_store_snapshot(k->store);
        size_t dropped = 0;
        bool over = fd_model_snapshot_overflow(snap, (enum fd_model_kind)kind, &dropped);
        fd_model_snapshot_release(snap);
        if (over) {
            fprintf(stderr,
                    "freightdeck %s: listing %s: more than %d of them (%zu more): the "
                    "commands hold at most %d of a kind; narrow it with -p\n",
                    k->cmd, fd_model_kind_plural((enum fd_model_kind)kind), FD_CLI_KUBE_STORE_CAP,
                    dropped, FD_CLI_KUBE_STORE_CAP);
            return fd_status_exit_code(FD_LIMIT);
        }
    }
    return 0;
}

/* What each action reads to be planned. */
static uint32_t kinds_of(enum fd_model_action_kind kind)
{
    switch (kind) {
    case FD_MODEL_ACTION_APPROVE:
    case FD_MODEL_ACTION_PROMOTE:
        return 1u << FD_MODEL_FREIGHT | 1u << FD_MODEL_STAGE;
    case FD_MODEL_ACTION_REVERIFY:
    case FD_MODEL_ACTION_ABORT_VERIFICATION:
    case FD_MODEL_ACTION_REFRESH_STAGE:
        return 1u << FD_MODEL_STAGE;
    case FD_MODEL_ACTION_REFRESH_WAREHOUSE:
        return 1u << FD_MODEL_WAREHOUSE;
    case FD_MODEL_ACTION_ABORT_PROMOTION:
        return 1u << FD_MODEL_PROMOTION;
    default:
        return 1u << FD_MODEL_ROLLOUT;
    }
}

static void print_requests(FILE *f, const struct fd_model_action_plan *p)
{
    for (size_t i = 0; i < p->n_requests; i++)
        fprintf(f, "  %s %s %s\n", p->requests[i].method, p->requests[i].path, p->requests[i].body);
}

/* The Stage an action is for, or NULL. */
static const char *stage_of(const struct fd_cli_kube *k, const struct fd_model_action *a)
{
    switch (a->kind) {
    case FD_MODEL_ACTION_APPROVE:
    case FD_MODEL_ACTION_PROMOTE:
        return a->stage;
    case FD_MODEL_ACTION_REVERIFY:
    case FD_MODEL_ACTION_ABORT_VERIFICATION:
    case FD_MODEL_ACTION_REFRESH_STAGE:
        return a->name;
    default:
        return k->stage;
    }
}

/* The Stage a Rollout named without --stage serves, so that `rollout abort
 * payments-prod` asks as `--stage payments/prod` does: the config file's
 * entry naming it in its namespace, else its freightdeck.io/stage label,
 * else the <project>-<stage> convention in the project's namespace.
 * Returns a new string or NULL. */
static char *rollout_stage(const struct fd_cli_kube *k, const struct fd_client_fleet *f,
                           const struct fd_model_action *a)
{
    const char *ns = fd_cli_kube_ns(k), *label = NULL;
    struct fd_model_snapshot *snap;
    size_t nl;

    for (size_t i = 0; f && i < f->n_stages; i++)
        for (size_t j = 0; fd_streq(f->stages[i].ns, ns) && j < f->stages[i].n_rollouts; j++)
            if (fd_streq(f->stages[i].rollouts[j], a->name))
                return fd_xstrdup(f->stages[i].stage);
    snap = fd_model_store_snapshot(k->store);
    const struct fd_model_object *o = fd_model_snapshot_find(snap, FD_MODEL_ROLLOUT, ns, a->name);
    if (o)
        label = fd_model_label(o, "freightdeck.io/stage");
    char *stage = label ? fd_xstrdup(label) : NULL;
    fd_model_snapshot_release(snap);
    nl = strlen(ns);
    if (!stage && strncmp(a->name, ns, nl) == 0 && a->name[nl] == '-' && a->name[nl + 1])
        stage = fd_xstrdup(a->name + nl + 1);
    return stage;
}

/* Shows the plan and asks for the Stage's name, as the console's dialog
 * does. Returns 0 when it was typed, else 1 after saying nothing was sent. */
static int ask(struct fd_cli_kube *k, const struct fd_model_action_plan *plan, const char *stage)
{
    char line[256];

    if (!isatty(STDIN_FILENO)) {
        fprintf(stderr,
                "freightdeck %s: refused: Stage %s is a production Stage: confirm on a "
                "terminal, or pass --yes; nothing was sent\n",
                k->cmd, stage);
        return 1;
    }
    char *text = fd_model_action_plan_text(plan);
    fprintf(stderr,
            "%s[PRODUCTION]\nProduction: type the Stage name (%s) and Enter to send: ", text,
            stage);
    free(text);
    fflush(stderr);
    if (!fgets(line, sizeof(line), stdin)) {
        fprintf(stderr, "\nfreightdeck %s: not sent (no answer)\n", k->cmd);
        return 1;
    }
    line[strcspn(line, "\r\n")] = '\0';
    if (strcmp(line, stage) != 0) {
        fprintf(stderr, "freightdeck %s: not sent: \"%s\" is not the Stage name (%s)\n", k->cmd,
                line, stage);
        return 1;
    }
    return 0;
}

/* A production Stage wants its name typed, as in the console's dialog.
 * Returns 0 to send, else the exit code after saying why nothing was sent. */
static int confirm_production(struct fd_cli_kube *k, const struct fd_model_action *a,
                              const struct fd_model_action_plan *plan)
{
    const char *stage = stage_of(k, a);
    struct fd_client_fleet *own = NULL;
    const struct fd_client_fleet *f = k->fleet;
    struct fd_kube_error err = {0};
    char *derived = NULL;
    bool prod, rollout = !stage && (a->kind == FD_MODEL_ACTION_ROLLOUT_ABORT ||
                                    a->kind == FD_MODEL_ACTION_ROLLOUT_RETRY ||
                                    a->kind == FD_MODEL_ACTION_ROLLOUT_PROMOTE ||
                                    a->kind == FD_MODEL_ACTION_ROLLOUT_PROMOTE_FULL);

    if ((!stage && !rollout) || k->yes)
        return 0;
    if (!f) {
        if (fd_client_fleet_load(NULL, &own, &err) != FD_OK) {
            fprintf(stderr, "freightdeck %s: %s\n", k->cmd, err.message);
            return 1;
        }
        f = own;
    }
    if (rollout)
        stage = derived = rollout_stage(k, f, a);
    prod = fd_client_fleet_is_production(f, stage);
    fd_client_fleet_free(own);
    if (!prod) {
        free(derived);
        return 0;
    }
    int rc = ask(k, plan, stage);
    free(derived);
    return rc;
}

int fd_cli_kube_act(struct fd_cli_kube *k, const struct fd_model_action *a, char **created)
{
    struct fd_model_action_plan *plan = NULL;
    struct fd_client_action_result res;
    struct fd_model_snapshot *snap;
    struct fd_model_action act = *a;
    const char *why;
    char *err = NULL;
    int rc;

    if (created)
        *created = NULL;
    if (k->readonly) {
        fprintf(stderr, "freightdeck %s: refused: read-only mode (--readonly); nothing was sent\n",
                k->cmd);
        return 1;
    }
    if ((rc = fd_cli_kube_connect(k)))
        return rc;
    act.ns = fd_cli_kube_ns(k);
    if (!act.actor && k->cfg->user_name && *k->cfg->user_name)
        act.actor = k->cfg->user_name;
    if ((rc = fd_cli_kube_fill(k, kinds_of(a->kind), act.ns)))
        return rc;
    snap = fd_model_store_snapshot(k->store);
    if (fd_model_action_plan(&act, snap, (int64_t)time(NULL), &plan, &err) != FD_OK) {
        fd_model_snapshot_release(snap);
        rc = fd_cli_usage_error(k->cmd, "%s", err);
        free(err);
        return rc;
    }
    fd_model_snapshot_release(snap);
    if (fd_client_action_review(k->cfg, plan, &err) != FD_OK) {
        /* An unknown answer does not block: the server decides. */
        fd_log(FD_LOG_WARN, "access review: %s", err);
        free(err);
        err = NULL;
    }
    if (k->force && fd_model_action_blocked(plan, &why)) {
        /* The operator overrides the client's judgement, not the server's. */
        fprintf(stderr, "freightdeck %s: warning: --force: sending although %s\n", k->cmd, why);
        for (size_t i = 0; i < plan->n_checks; i++)
            if (plan->checks[i].outcome == FD_MODEL_CHECK_FAIL)
                plan->checks[i].outcome = FD_MODEL_CHECK_WARN;
        for (size_t i = 0; i < plan->n_access; i++)
            if (plan->access[i].outcome == FD_MODEL_CHECK_FAIL)
                plan->access[i].outcome = FD_MODEL_CHECK_WARN;
    }
    if (k->dry_run || fd_model_action_blocked(plan, &why)) {
        char *raw = fd_model_action_plan_text(plan), *text;
        bool blocked = fd_model_action_blocked(plan, &why);
        struct fd_buf safe = FD_BUF_INIT;
        fd_term_sanitize(&safe, raw, strlen(raw), true);
        free(raw);
        text = fd_buf_steal(&safe);
        if (blocked)
            fprintf(stderr, "freightdeck %s: refused: %s\n%s", k->cmd, why, text);
        else
            fputs(text, stdout);
        free(text);
        fd_model_action_plan_free(plan);
        return blocked ? 1 : 0;
    }
    for (size_t i = 0; i < plan->n_checks; i++)
        if (plan->checks[i].outcome == FD_MODEL_CHECK_WARN)
            fprintf(stderr, "freightdeck %s: warning: %s%s%s\n", k->cmd, plan->checks[i].what,
                    plan->checks[i].detail && *plan->checks[i].detail ? ": " : "",
                    plan->checks[i].detail ? plan->checks[i].detail : "");
    if ((rc = confirm_production(k, a, plan))) {
        fd_model_action_plan_free(plan);
        return rc;
    }
    fd_client_action_send_blocking(k->cfg, plan, &res);
    switch (res.outcome) {
    case FD_CLIENT_OUTCOME_OK: {
        char *target = fd_term_safe(plan->target), *desc = fd_term_safe(plan->description);
        printf("%s: %s: done\n", fd_model_action_name(plan->kind), target);
        if (*desc)
            printf("  %s\n", desc);
        free(target);
        free(desc);
        if (res.created)
            printf("  created %s\n", res.created);
        if (created && res.created)
            *created = fd_xstrdup(res.created);
        rc = 0;
        break;
    }
    case FD_CLIENT_OUTCOME_REFUSED:
        if (res.http_status)
            fprintf(stderr, "freightdeck %s: refused by the server (HTTP %ld): %s\n", k->cmd,
                    res.http_status, res.message);
        else /* refused here, before sending (the audit log, read-only) */
            fprintf(stderr, "freightdeck %s: refused: %s\n", k->cmd, res.message);
        print_requests(stderr, plan);
        rc = 1;
        break;
    case FD_CLIENT_OUTCOME_UNKNOWN:
        /* The answer was lost: say so, then what reading the object back
         * found. Exit 4 unless that settled it (applied 0, not applied 1). */
        fprintf(stderr, "freightdeck %s: %s\n", k->cmd, res.message);
        print_requests(stderr, plan);
        fprintf(stderr, "freightdeck %s: read back: %s\n", k->cmd,
                res.resolution_text ? res.resolution_text : "not attempted");
        if (res.resolution == FD_CLIENT_RESOLUTION_APPLIED && created && res.created)
            *created = fd_xstrdup(res.created);
        rc = res.resolution == FD_CLIENT_RESOLUTION_APPLIED ? 0
             : res.resolution == FD_CLIENT_RESOLUTION_NOT_APPLIED
                 ? 1
                 : fd_status_exit_code(FD_OUTCOME_UNKNOWN);
        break;
    default:
        fprintf(stderr, "freightdeck %s: failed: %s\n", k->cmd, res.message);
        rc = res.status == FD_UNREACHABLE ? 3 : 1;
        break;
    }
    fd_client_action_result_clear(&res);
    fd_model_action_plan_free(plan);
    return rc;
}

/* cli/cmd-promote.c: `freightdeck promote FREIGHT --stage S [--wait]`: a
 * Promotion created once (as Kargo's api.NewMinimalPromotion; doc/upstream.md), then optionally
 * followed, with its verification, to the end. */
#include "config.h"

#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "freightdeck/cli.h"
#include "freightdeck/client.h"
#include "fleetcli.h"
#include "kubecli.h"

#define CMD "promote"

static void usage(FILE *f)
{
    fd_cli_print_cmd_usage(f, &fd_cli_cmd_promote_entry);
    fprintf(f,
            "\n"
            "Promotes FREIGHT (a name or an alias) to Stage S by creating a Promotion.\n"
            "Checked first: the Stage requests the Freight's origin, the Freight is\n"
            "available to it (verified upstream, approved, or direct), and you may create\n"
            "Promotions and promote to the Stage. The request is sent once: when no answer\n"
            "comes, the outcome is unknown and is reported so (check before retrying).\n"
            "\n"
            "  -s, --stage S       the Stage (required)\n"
            "  --wait              follow the Promotion, the Stage's verification and the\n"
            "                      Stage's Rollouts (where the config file maps them) to\n"
            "                      the end: exit 0 only when all are done and healthy;\n"
            "                      1 when one fails or a Rollout is Degraded or aborted;\n"
            "                      5 when a Rollout is paused until a human promotes it\n"
            "  --timeout SECONDS   with --wait: give up after this long (exit 1)\n"
            "\n%s",
            fd_cli_kube_options_help);
}

static int wake_pipe[2] = {-1, -1};

static void on_change(void *user)
{
    (void)user;
    if (write(wake_pipe[1], "x", 1) < 0) {
        /* Full pipe: a wakeup is already pending. */
    }
}

static bool terminal_promo(const char *phase)
{
    return fd_streq(phase, "Succeeded") || fd_streq(phase, "Failed") ||
           fd_streq(phase, "Errored") || fd_streq(phase, "Aborted");
}

static bool terminal_verif(const char *phase)
{
    return fd_streq(phase, "Successful") || fd_streq(phase, "Failed") || fd_streq(phase, "Error") ||
           fd_streq(phase, "Aborted") || fd_streq(phase, "Inconclusive");
}

/* One look at the world: the progress line, and whether it is over
 * (*done) and how (*rc). */
static void observe(struct fd_model_snapshot *snap, const char *ns, const char *promo,
                    const char *stage, const char *freight, struct fd_buf *line, bool *done,
                    int *rc, bool *promoted)
{
    const struct fd_model_object *p = fd_model_snapshot_find(snap, FD_MODEL_PROMOTION, ns, promo);
    const struct fd_model_object *s = fd_model_snapshot_find(snap, FD_MODEL_STAGE, ns, stage);
    const struct fd_model_promotion *pr = p ? p->u.promotion : NULL;
    const char *phase = pr && pr->phase && *pr->phase ? pr->phase : "Pending";

    fd_buf_reset(line);
    *done = false;
    fd_buf_printf(line, "Promotion %s: %s", promo, p ? phase : "(not seen yet)");
    if (pr && pr->n_steps && !terminal_promo(phase)) {
        int64_t i = pr->has_current_step ? pr->current_step : 0;
        fd_buf_printf(line, " step %lld/%zu", (long long)(i + 1), pr->n_steps);
        if (i >= 0 && (size_t)i < pr->n_steps && pr->step_uses[i])
            fd_buf_printf(line, " %s", pr->step_uses[i]);
    }
    if (!pr || !terminal_promo(phase))
        return;
    if (strcmp(phase, "Succeeded") != 0) {
        if (pr->message && *pr->message)
            fd_buf_printf(line, ": %s", pr->message);
        *done = true;
        *rc = 1;
        return;
    }
    /* Promoted: now the verification of the Stage's new Freight. */
    const struct fd_model_freight_collection *cur = s ? fd_model_stage_current(s->u.stage) : NULL;
    bool ours = false;
    for (size_t i = 0; cur && i < cur->n_items; i++)
        ours = ours || fd_streq(cur->items[i].name, freight);
    if (!ours) {
        fd_buf_puts(line, "; Stage not updated yet");
        return;
    }
    *promoted = true;
    if (!s->u.stage->has_verification) {
        fd_buf_puts(line, "; no verification configured");
        *done = true;
        *rc = 0;
        return;
    }
    const struct fd_model_verification *v = cur->n_verifications ? &cur->verifications[0] : NULL;
    if (!v || (v->start && pr->started && v->start < pr->started)) {
        fd_buf_puts(line, "; verification: waiting to start");
        return;
    }
    fd_buf_printf(line, "; verification: %s", v->phase && *v->phase ? v->phase : "Pending");
    if (v->run.name)
        fd_buf_printf(line, " (AnalysisRun %s)", v->run.name);
    if (terminal_verif(v->phase)) {
        if (v->message && *v->message)
            fd_buf_printf(line, ": %s", v->message);
        *done = true;
        *rc = fd_streq(v->phase, "Successful") ? 0 : 1;
    }
}

/* Where the Stage's Rollouts run (the config file's mapping, else the
 * Kargo context and the project), and a client watching them there. */
struct rollside {
    const struct fd_client_fleet *fleet;
    const char *project, *stage, *ns;
    struct fd_kube_config *cfg;
    struct fd_model_store *store;
    struct fd_client *client;
};

enum rollout_verdict { RV_WAIT, RV_HEALTHY, RV_PAUSED, RV_DEGRADED };

/* The Stage's Rollouts after the promotion: appends one phrase per Rollout
 * to line and returns the worst verdict (Degraded, then still moving, then
 * paused for a human, then healthy). A Rollout whose context has not been
 * listed yet is still moving: the command waits and says so. */
static enum rollout_verdict observe_rollouts(struct rollside *r, struct fd_buf *line)
{
    struct fd_client_resource_state st;
    const struct fd_model_object **list;
    struct fd_model_snapshot *snap;
    bool degraded = false, moving = false, paused = false;
    size_t n;

    if (!fd_client_synced(r->client)) {
        fd_client_summary(r->client, &st);
        fd_buf_printf(line, "; Rollouts: context %s not reached yet", r->cfg->context);
        if (st.last_error[0])
            fd_buf_printf(line, " (%s)", st.last_error);
        return RV_WAIT;
    }
    snap = fd_model_store_snapshot(r->store);
    n = fd_client_fleet_rollouts(r->fleet, snap, r->project, r->stage, &list);
    if (n == 0)
        fd_buf_printf(line, "; no Rollout behind Stage %s in context %s", r->stage,
                      r->cfg->context);
    for (size_t i = 0; i < n; i++) {
        struct fd_model_canary_view v;
        fd_model_rollout_canary(list[i], -1, &v);
        fd_buf_printf(line, "; Rollout %s: %s", list[i]->meta.name, v.phase ? v.phase : "?");
        if (v.has_step)
            fd_buf_printf(line, " at step %lld/%lld", (long long)v.step, (long long)v.steps);
        if (fd_streq(v.phase, "Degraded") || list[i]->u.rollout->abort) {
            degraded = true;
            if (v.message && *v.message)
                fd_buf_printf(line, " (%s)", v.message);
        } else if (v.paused_indefinitely) {
            paused = true;
            fd_buf_puts(line, ", waiting for a human to promote it");
        } else if (!fd_streq(v.phase, "Healthy")) {
            moving = true;
        }
        fd_model_canary_view_free(&v);
    }
    free(list);
    fd_model_snapshot_release(snap);
    if (fd_client_summary(r->client, &st) != FD_CLIENT_CONN_LIVE) {
        fd_buf_printf(line, " [context %s %s]", r->cfg->context, fd_client_conn_name(st.conn));
        if (!degraded)
            return RV_WAIT; /* what the cache says may be old */
    }
    return degraded ? RV_DEGRADED : moving ? RV_WAIT : paused ? RV_PAUSED : RV_HEALTHY;
}

/* Loads the config of the context the Stage's Rollouts run in. Returns 0
 * or the exit code after saying why (the Promotion exists by then). */
static int rollside_open(struct fd_cli_kube *k, const struct fd_client_fleet *fleet,
                         const char *stage, struct rollside *r)
{
    const char *context;
    int rc;

    r->fleet = fleet;
    r->project = fd_cli_kube_ns(k);
    r->stage = stage;
    fd_cli_fleet_where(fleet, k->context, r->project, stage, &context, &r->ns);
    char *what = fd_xasprintf("the Promotion was created, but the Rollouts of Stage %s/%s "
                              "cannot be followed",
                              r->project, stage);
    rc = fd_cli_fleet_config(CMD, k->kubeconfig, fleet, context, r->ns, what, &r->cfg);
    free(what);
    if (rc)
        return rc;
    r->store = fd_model_store_new(0);
    return 0;
}

static int follow(struct fd_cli_kube *k, struct rollside *r, const char *promo, const char *stage,
                  const char *freight, long timeout_s)
{
    struct fd_client_opts o = {
        .cfg = k->cfg,
        .store = k->store,
        .ns = fd_cli_kube_ns(k),
        .kinds = 1u << FD_MODEL_PROMOTION | 1u << FD_MODEL_STAGE,
        .on_change = on_change,
    };
    struct fd_client_opts ro = {
        .cfg = r->cfg,
        .store = r->store,
        .ns = r->ns,
        .kinds = 1u << FD_MODEL_ROLLOUT,
        .on_change = on_change,
    };
    struct fd_client *c;
    struct fd_kube_error err = {0};
    struct fd_buf line = FD_BUF_INIT, last = FD_BUF_INIT;
    bool tty = isatty(STDOUT_FILENO), done = false;
    time_t start = time(NULL);
    int rc = 1;

    if (pipe(wake_pipe) != 0) {
        perror("freightdeck promote: pipe");
        return 1;
    }
    fcntl(wake_pipe[0], F_SETFL, O_NONBLOCK);
    fcntl(wake_pipe[1], F_SETFL, O_NONBLOCK);
    c = NULL;
    if (fd_client_start(&o, &c, &err) != FD_OK || fd_client_start(&ro, &r->client, &err) != FD_OK) {
        fprintf(stderr, "freightdeck %s: %s\n", CMD, err.message);
        fd_client_free(c);
        close(wake_pipe[0]);
        close(wake_pipe[1]);
        return 1;
    }
    for (;;) {
        struct pollfd pfd = {.fd = wake_pipe[0], .events = POLLIN};
        char buf[64];
        poll(&pfd, 1, 1000);
        while (read(wake_pipe[0], buf, sizeof(buf)) > 0)
            ;
        if (fd_cli_interrupted())
            break;
        struct fd_client_resource_state st;
        if (fd_client_summary(c, &st) != FD_CLIENT_CONN_LIVE && !fd_client_synced(c)) {
            fd_buf_reset(&line);
            fd_buf_printf(&line, "connecting (%s)", st.last_error[0] ? st.last_error : "...");
        } else {
            struct fd_model_snapshot *snap = fd_model_store_snapshot(k->store);
            bool promoted = false;
            observe(snap, fd_cli_kube_ns(k), promo, stage, freight, &line, &done, &rc, &promoted);
            fd_model_snapshot_release(snap);
            if (st.conn != FD_CLIENT_CONN_LIVE) {
                fd_buf_printf(&line, " [%s]", fd_client_conn_name(st.conn));
                done = false; /* the verdict of a stale cache is not final */
            }
            /* Promoted: the canary decides whether it is over (verified and
             * Healthy), and a Degraded or aborted one ends it at once. */
            if (promoted && (!done || rc == 0)) {
                switch (observe_rollouts(r, &line)) {
                case RV_WAIT:
                    done = false;
                    break;
                case RV_DEGRADED:
                    done = true;
                    rc = 1;
                    break;
                case RV_PAUSED:
                    if (done)
                        rc = fd_status_exit_code(FD_PAUSED);
                    break;
                case RV_HEALTHY:
                    break;
                }
            }
        }
        if (strcmp(fd_buf_cstr(&line), fd_buf_cstr(&last)) != 0) {
            if (tty)
                printf("\r\033[K%s", fd_buf_cstr(&line));
            else
                printf("%s\n", fd_buf_cstr(&line));
            fflush(stdout);
            fd_buf_reset(&last);
            fd_buf_puts(&last, fd_buf_cstr(&line));
        }
        if (done)
            break;
        if (timeout_s > 0 && time(NULL) - start >= timeout_s) {
            fprintf(stderr, "%sfreightdeck %s: timed out after %ld s waiting for %s\n",
                    tty ? "\n" : "", CMD, timeout_s, promo);
            rc = 1;
            tty = false;
            break;
        }
    }
    if (tty)
        putchar('\n');
    if (fd_cli_interrupted()) {
        fprintf(stderr, "freightdeck %s: interrupted; Promotion %s goes on in the cluster\n", CMD,
                promo);
        rc = fd_status_exit_code(FD_INTERRUPTED);
    } else if (rc == fd_status_exit_code(FD_PAUSED)) {
        fprintf(stderr,
                "freightdeck %s: Stage %s is promoted but its canary is paused until a human "
                "promotes it (freightdeck rollout promote --stage %s/%s)\n",
                CMD, stage, fd_cli_kube_ns(k), stage);
    }
    fd_client_free(r->client);
    r->client = NULL;
    fd_client_free(c);
    close(wake_pipe[0]);
    close(wake_pipe[1]);
    fd_buf_free(&line);
    fd_buf_free(&last);
    return rc;
}

static int exec_promote(int argc, char **argv)
{
    static const struct option longopts[] = {FD_CLI_KUBE_LONGOPTS,
                                             {"stage", required_argument, NULL, 's'},
                                             {"wait", no_argument, NULL, 'W'},
                                             {"timeout", required_argument, NULL, 'T'},
                                             {NULL, 0, NULL, 0}};
    struct fd_cli_kube k = {.cmd = CMD};
    struct fd_model_action a = {.kind = FD_MODEL_ACTION_PROMOTE};
    bool wait = false;
    long timeout_s = 0;
    char *created = NULL, *end;
    struct fd_client_fleet *fleet = NULL;
    struct rollside r = {0};
    int c, rc;

    while ((c = getopt_long(argc, argv, FD_CLI_KUBE_SHORTOPTS "s:", longopts, NULL)) != -1) {
        if (fd_cli_kube_option(&k, c, optarg))
            continue;
        switch (c) {
        case 's':
            a.stage = optarg;
            break;
        case 'W':
            wait = true;
            break;
        case 'T':
            timeout_s = strtol(optarg, &end, 10);
            if (*end || timeout_s <= 0)
                return fd_cli_usage_error(CMD, "--timeout '%s': expected a number of seconds",
                                          optarg);
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            return fd_cli_option_error(CMD, c, argv);
        }
    }
    if (optind + 1 != argc)
        return fd_cli_usage_error(CMD, "expected one FREIGHT (name or alias)");
    if (!a.stage)
        return fd_cli_usage_error(CMD, "--stage is required");
    a.name = argv[optind];
    /* --wait follows the Stage's Rollouts where the config file maps them:
     * a bad file is refused before anything is sent. */
    if (wait && (rc = fd_cli_fleet_load(CMD, &fleet)))
        return rc;
    rc = fd_cli_kube_act(&k, &a, &created);
    if (rc == 0 && wait && created && !k.dry_run)
        rc = rollside_open(&k, fleet, a.stage, &r);
    if (rc == 0 && wait && created && !k.dry_run) {
        /* The plan resolved an alias: follow the Freight's real name. */
        struct fd_model_snapshot *snap = fd_model_store_snapshot(k.store);
        const struct fd_model_object *f =
            fd_model_snapshot_find(snap, FD_MODEL_FREIGHT, fd_cli_kube_ns(&k), a.name);
        size_t n;
        struct fd_model_object *const *all = fd_model_snapshot_list(snap, FD_MODEL_FREIGHT, &n);
        for (size_t i = 0; !f && i < n; i++)
            if (all[i]->u.freight && fd_streq(all[i]->u.freight->alias, a.name))
                f = all[i];
        char *freight = fd_xstrdup(f ? f->meta.name : a.name);
        fd_model_snapshot_release(snap);
        fd_cli_catch_interrupt();
        rc = follow(&k, &r, created, a.stage, freight, timeout_s);
        free(freight);
    }
    if (r.store)
        fd_model_store_free(r.store);
    fd_kube_config_free(r.cfg);
    fd_client_fleet_free(fleet);
    free(created);
    fd_cli_kube_close(&k);
    return rc;
}

const struct fd_cli_cmd_entry fd_cli_cmd_promote_entry = {
    .name = CMD,
    .usage = "[OPTIONS] FREIGHT --stage STAGE [--wait]",
    .summary = "promote Freight to a Stage (create a Promotion)",
    .exec = exec_promote,
};

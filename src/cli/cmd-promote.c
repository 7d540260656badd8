/* cli/cmd-promote.c: `freightdeck promote FREIGHT --stage S [--wait]`: a
 * Promotion created once (as Kargo's api.NewMinimalPromotion; doc/upstream.md), then optionally followed, with its
 * verification, to the end. */
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
#include "kubecli.h"

#define CMD "promote"

static void usage(FILE *f)
{
    fd_cli_print_cmd_usage(f, &fd_cmd_promote_entry);
    fprintf(f,
            "\n"
            "Promotes FREIGHT (a name or an alias) to Stage S by creating a Promotion.\n"
            "Checked first: the Stage requests the Freight's origin, the Freight is\n"
            "available to it (verified upstream, approved, or direct), and you may create\n"
            "Promotions and promote to the Stage. The request is sent once: when no answer\n"
            "comes, the outcome is unknown and is reported so (check before retrying).\n"
            "\n"
            "  -s, --stage S       the Stage (required)\n"
            "  --wait              follow the Promotion and the Stage's verification to the\n"
            "                      end; exit 1 when either fails\n"
            "  --timeout SECONDS   with --wait: give up after this long (exit 1)\n"
            "\n%s",
            fd_kubecli_options_help);
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
    return fd_streq(phase, "Successful") || fd_streq(phase, "Failed") ||
           fd_streq(phase, "Error") || fd_streq(phase, "Aborted") ||
           fd_streq(phase, "Inconclusive");
}

/* One look at the world: the progress line, and whether it is over
 * (*done) and how (*rc). */
static void observe(struct fd_model_snapshot *snap, const char *ns, const char *promo,
                    const char *stage, const char *freight, struct fd_buf *line, bool *done,
                    int *rc)
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

static int follow(struct fd_kubecli *k, const char *promo, const char *stage, const char *freight,
                  long timeout_s)
{
    struct fd_client_opts o = {
        .cfg = k->cfg,
        .store = k->store,
        .ns = fd_kubecli_ns(k),
        .kinds = 1u << FD_MODEL_PROMOTION | 1u << FD_MODEL_STAGE,
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
    if (fd_client_start(&o, &c, &err) != FD_OK) {
        fprintf(stderr, "freightdeck %s: %s\n", CMD, err.message);
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
        struct fd_client_resource_state st;
        if (fd_client_summary(c, &st) != FD_CLIENT_CONN_LIVE && !fd_client_synced(c)) {
            fd_buf_reset(&line);
            fd_buf_printf(&line, "connecting (%s)", st.last_error[0] ? st.last_error : "...");
        } else {
            struct fd_model_snapshot *snap = fd_model_store_snapshot(k->store);
            observe(snap, fd_kubecli_ns(k), promo, stage, freight, &line, &done, &rc);
            fd_model_snapshot_release(snap);
            if (st.conn != FD_CLIENT_CONN_LIVE)
                fd_buf_printf(&line, " [%s]", fd_client_conn_name(st.conn));
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
    fd_client_free(c);
    close(wake_pipe[0]);
    close(wake_pipe[1]);
    fd_buf_free(&line);
    fd_buf_free(&last);
    return rc;
}

static int exec_promote(int argc, char **argv)
{
    static const struct option longopts[] = {FD_KUBECLI_LONGOPTS,
                                             {"stage", required_argument, NULL, 's'},
                                             {"wait", no_argument, NULL, 'W'},
                                             {"timeout", required_argument, NULL, 'T'},
                                             {NULL, 0, NULL, 0}};
    struct fd_kubecli k = {.cmd = CMD};
    struct fd_model_action a = {.kind = FD_MODEL_ACTION_PROMOTE};
    bool wait = false;
    long timeout_s = 0;
    char *created = NULL, *end;
    int c, rc;

    while ((c = getopt_long(argc, argv, FD_KUBECLI_SHORTOPTS "s:", longopts, NULL)) != -1) {
        if (fd_kubecli_option(&k, c, optarg))
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
            return fd_cli_usage_error(CMD, "unknown option");
        }
    }
    if (optind + 1 != argc)
        return fd_cli_usage_error(CMD, "expected one FREIGHT (name or alias)");
    if (!a.stage)
        return fd_cli_usage_error(CMD, "--stage is required");
    a.name = argv[optind];
    rc = fd_kubecli_act(&k, &a, &created);
    if (rc == 0 && wait && created && !k.dry_run) {
        /* The plan resolved an alias: follow the Freight's real name. */
        struct fd_model_snapshot *snap = fd_model_store_snapshot(k.store);
        const struct fd_model_object *f =
            fd_model_snapshot_find(snap, FD_MODEL_FREIGHT, fd_kubecli_ns(&k), a.name);
        size_t n;
        struct fd_model_object *const *all = fd_model_snapshot_list(snap, FD_MODEL_FREIGHT, &n);
        for (size_t i = 0; !f && i < n; i++)
            if (all[i]->u.freight && fd_streq(all[i]->u.freight->alias, a.name))
                f = all[i];
        char *freight = fd_xstrdup(f ? f->meta.name : a.name);
        fd_model_snapshot_release(snap);
        rc = follow(&k, created, a.stage, freight, timeout_s);
        free(freight);
    }
    free(created);
    fd_kubecli_close(&k);
    return rc;
}

const struct fd_cmd_entry fd_cmd_promote_entry = {
    .name = CMD,
    .usage = "[OPTIONS] FREIGHT --stage STAGE [--wait]",
    .summary = "promote Freight to a Stage (create a Promotion)",
    .exec = exec_promote,
};

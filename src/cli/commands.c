/* cli/commands.c: the one table of subcommands, and the help built from it. */
#include "config.h"

#include "freightdeck/cli.h"

#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>

#include "freightdeck/util.h"

/* Commands appear here as they are built; --help lists them in this order. */
static const struct fd_cli_cmd_entry *const fd_cli_cmd_table[] = {
    &fd_cli_cmd_console_entry,
    &fd_cli_cmd_demo_entry,
    &fd_cli_cmd_get_entry,
    &fd_cli_cmd_approve_entry,
    &fd_cli_cmd_promote_entry,
    &fd_cli_cmd_verify_entry,
    &fd_cli_cmd_refresh_entry,
    &fd_cli_cmd_rollout_entry,
    &fd_cli_cmd_sim_entry,
    &fd_cli_cmd_eval_entry,
    &fd_cli_cmd_condition_entry,
    &fd_cli_cmd_analyze_entry,
    NULL,
};

const struct fd_cli_cmd_entry *fd_cli_cmd_find(const char *name)
{
    for (size_t i = 0; fd_cli_cmd_table[i]; i++)
        if (strcmp(fd_cli_cmd_table[i]->name, name) == 0)
            return fd_cli_cmd_table[i];
    return NULL;
}

void fd_cli_print_cmd_usage(FILE *f, const struct fd_cli_cmd_entry *cmd)
{
    fprintf(f, "Usage: freightdeck %s%s%s\n", cmd->name, cmd->usage[0] ? " " : "", cmd->usage);
}

void fd_cli_print_help(FILE *f)
{
    fputs("Usage: freightdeck [OPTIONS] COMMAND [ARGS...]\n"
          "\n"
          "A terminal operator console for Kargo promotions and Argo Rollouts canaries.\n"
          "\n"
          "Commands:\n",
          f);
    if (!fd_cli_cmd_table[0])
        fputs("  (none yet)\n", f);
    for (size_t i = 0; fd_cli_cmd_table[i]; i++)
        fprintf(f, "  %-12s %s\n", fd_cli_cmd_table[i]->name, fd_cli_cmd_table[i]->summary);
    fputs("\n"
          "Options:\n"
          "  -h, --help     show this help and exit\n"
          "  -V, --version  show the version and exit\n"
          "\n"
          "Exit status, one table for every command (man freightdeck: EXIT STATUS):\n"
          "  0    done\n"
          "  1    refused or failed (the reason is printed)\n"
          "  2    usage error (an unknown option or command, a missing argument)\n"
          "  3    a cluster could not be reached\n"
          "  4    outcome unknown: a request was sent and its answer lost; check before\n"
          "       retrying\n"
          "  5    promote --wait: promoted, but a canary is paused until a human promotes it\n"
          "  130  interrupted (Ctrl-C)\n"
          "The judging commands answer with their verdict instead: analyze 0 Successful,\n"
          "1 Failed, 2 Error, 3 Inconclusive, 4 still Running (a replay); condition 0\n"
          "whatever the phase; eval 0 value printed, 1 compile or run error.\n"
          "\n"
          "'freightdeck COMMAND --help' describes one command; man freightdeck has them all.\n",
          f);
}

int fd_cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "freightdeck%s%s: ", cmd ? " " : "", cmd ? cmd : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (see 'freightdeck %s%s--help')\n", cmd ? cmd : "", cmd ? " " : "");
    return 2;
}

static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig)
{
    (void)sig;
    interrupted = 1;
}

void fd_cli_catch_interrupt(void)
{
    struct sigaction sa = {0};

    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
}

bool fd_cli_interrupted(void)
{
    return interrupted != 0;
}

int fd_cli_option_error(const char *cmd, int c, char **argv)
{
    const char *arg = optind > 0 ? argv[optind - 1] : "";
    char name[64];

    if (arg && arg[0] == '-' && arg[1] == '-') {
        size_t n = strcspn(arg, "=");
        snprintf(name, sizeof(name), "%.*s", (int)(n < 60 ? n : 60), arg);
    } else if (optopt > ' ' && optopt < 0x7f) {
        snprintf(name, sizeof(name), "-%c", optopt);
    } else {
        snprintf(name, sizeof(name), "%.60s", arg ? arg : "?");
    }
    if (c == ':')
        return fd_cli_usage_error(cmd, "option '%s' needs a value", name);
    return fd_cli_usage_error(cmd, "unknown option '%s'", name);
}

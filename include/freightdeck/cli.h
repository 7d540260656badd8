#ifndef FREIGHTDECK_CLI_H
#define FREIGHTDECK_CLI_H
/*
 * cli: the subcommand table (in the spirit of tmux's cmd_entry) and the
 * helpers every command shares for usage errors.
 *
 * A command lives in src/cli/cmd-<name>.c, defines one
 * `const struct fd_cli_cmd_entry fd_cli_cmd_<name>_entry` and is listed once in
 * the command table (src/cli/commands.c); --help is generated from it.
 */

#include <stdbool.h>
#include <stdio.h>

struct fd_cli_cmd_entry {
    const char *name;    /* "eval" */
    const char *usage;   /* arguments after the name: "[--mode MODE] EXPR" */
    const char *summary; /* one line for --help */
    /* Runs the command. argv[0] is the command name; getopt state is reset.
     * Returns the process exit code: fd_status_exit_code of util's
     * FD_STATUS_TABLE (0 done, 1 refused/failed, 2 usage, 3 unreachable,
     * 4 outcome unknown, 5 paused, 130 interrupted), or a judging command's
     * documented verdict. */
    int (*exec)(int argc, char **argv);
};

extern const struct fd_cli_cmd_entry fd_cli_cmd_sim_entry;
extern const struct fd_cli_cmd_entry fd_cli_cmd_eval_entry;
extern const struct fd_cli_cmd_entry fd_cli_cmd_condition_entry;
extern const struct fd_cli_cmd_entry fd_cli_cmd_analyze_entry;
extern const struct fd_cli_cmd_entry fd_cli_cmd_get_entry, fd_cli_cmd_approve_entry,
    fd_cli_cmd_promote_entry, fd_cli_cmd_verify_entry, fd_cli_cmd_refresh_entry,
    fd_cli_cmd_rollout_entry;
extern const struct fd_cli_cmd_entry fd_cli_cmd_console_entry, fd_cli_cmd_demo_entry;

/* Finds a command by its exact name; NULL when there is none. */
const struct fd_cli_cmd_entry *fd_cli_cmd_find(const char *name);

/* Prints the program's help (usage, every command, global options) to f. */
void fd_cli_print_help(FILE *f);

/* Prints "freightdeck <cmd>: <message>" and "Try 'freightdeck <cmd> --help'."
 * style one-liner to stderr and returns 2, the usage exit code. cmd may be
 * NULL for the program itself. */
int fd_cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Catches SIGINT for a command that must end cleanly (say where it stopped,
 * exit 130) instead of being killed by it; fd_cli_interrupted() then
 * returns true. A blocking poll() returns EINTR on the signal. */
void fd_cli_catch_interrupt(void);
bool fd_cli_interrupted(void);

/* The usage error of a getopt_long failure (c is '?' or ':' — the latter
 * when the option string starts with ':'), naming the option as typed:
 * "unknown option '--bogus'", "option '--stage' needs a value". Reads
 * optind and optopt; returns 2. */
int fd_cli_option_error(const char *cmd, int c, char **argv);

/* Prints the usage line of one command to f. */
void fd_cli_print_cmd_usage(FILE *f, const struct fd_cli_cmd_entry *cmd);

#endif /* FREIGHTDECK_CLI_H */

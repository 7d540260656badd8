/* cli/main.c: global options, then dispatch through fd_cli_cmd_table. */
#include "config.h"

#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "freightdeck/cli.h"
#include "freightdeck/util.h"

/* A core file holds the bearer tokens and keys in memory: none is written
 * unless FREIGHTDECK_CORE_DUMPS=1 asks for it (to debug a crash). */
static void no_core_dumps(void)
{
    const char *want = getenv("FREIGHTDECK_CORE_DUMPS");
    struct rlimit none = {0, 0};

    if (want && strcmp(want, "1") == 0)
        return;
    setrlimit(RLIMIT_CORE, &none);
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

static void print_version(void)
{
    printf("freightdeck %s\n", PACKAGE_VERSION);
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    const struct fd_cli_cmd_entry *cmd;
    int c;

    no_core_dumps();
    /* The character set only (ncursesw draws UTF-8 by it): every number
     * freightdeck reads or writes is Go's, with a '.' whatever LC_NUMERIC
     * says, and a de_DE.UTF-8 session must not read "0.95" as 0 (strtod and
     * printf follow LC_NUMERIC). Messages, collation and time stay "C". */
    setlocale(LC_CTYPE, "");
    opterr = 0;
    /* '+': stop at the first non-option, the subcommand, whose own options
     * are parsed by the subcommand. */
    while ((c = getopt_long(argc, argv, "+hV", options, NULL)) != -1) {
        switch (c) {
        case 'h':
            fd_cli_print_help(stdout);
            return 0;
        case 'V':
            print_version();
            return 0;
        default:
            if (optopt && optopt != '?')
                return fd_cli_usage_error(NULL, "unknown option '-%c'", optopt);
            return fd_cli_usage_error(NULL, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc && isatty(0) && isatty(1)) {
        /* On a terminal, no command means the console. */
        static char name[] = "console";
        char *args[] = {name, NULL};
        optind = 0;
        return fd_cli_cmd_console_entry.exec(1, args);
    }
    if (optind >= argc) {
        fd_cli_print_help(stderr);
        return 2;
    }
    if (strcmp(argv[optind], "help") == 0) {
        fd_cli_print_help(stdout);
        return 0;
    }
    if (strcmp(argv[optind], "version") == 0) {
        print_version();
        return 0;
    }
    cmd = fd_cli_cmd_find(argv[optind]);
    if (!cmd)
        return fd_cli_usage_error(NULL, "unknown command '%s'", argv[optind]);
    argc -= optind;
    argv += optind;
    optind = 0; /* glibc: full reinitialisation of getopt for the command */
    opterr = 0;
    return cmd->exec(argc, argv);
}

#ifndef FREIGHTDECK_CLI_CONSOLE_OPTS_H
#define FREIGHTDECK_CLI_CONSOLE_OPTS_H
/* cli/console_opts.h: the options `console` and `demo` share (how the
 * console looks and behaves, not where its data comes from), parsed once. */
#include <getopt.h>

#include "freightdeck/tui.h"

/* Entries for a getopt_long table, before the command's own. */
#define FD_CLI_CONSOLE_OPTIONS                                                                \
    {"readonly", no_argument, NULL, 'r'}, {"theme", required_argument, NULL, 't'},            \
        {"ascii", no_argument, NULL, 'a'}, {"no-color", no_argument, NULL, 'n'},              \
        {"script", required_argument, NULL, 's'}, {"frame-ms", required_argument, NULL, 'f'}, \
        {"prometheus", required_argument, NULL, 'P'},                                         \
    {                                                                                         \
        "expr-version", required_argument, NULL, 'E'                                          \
    }

/* Applies option c (with its argument arg) to o when it is one of the shared
 * options. Returns 1 when it was, 0 when c is not a shared option, and 2
 * after printing a usage error that names cmd (the caller exits 2). */
int fd_cli_console_option(const char *cmd, int c, const char *arg,
                          struct fd_tui_console_options *o);

#endif

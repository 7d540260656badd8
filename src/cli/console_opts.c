/* cli/console_opts.c: the options `console` and `demo` share. */
#include "config.h"

#include "console_opts.h"

#include <stdlib.h>

#include "freightdeck/cli.h"
#include "freightdeck/expr.h"
#include "freightdeck/prom.h"
#include "freightdeck/util.h"

int fd_cli_console_option(const char *cmd, int c, const char *arg, struct fd_tui_console_options *o)
{
    switch (c) {
    case 'r':
        o->readonly = true;
        return 1;
    case 't':
        o->theme = arg;
        return 1;
    case 'a':
        o->ascii = true;
        return 1;
    case 'n':
        o->no_color = true;
        return 1;
    case 's':
        o->script_path = arg;
        return 1;
    case 'f': {
        char *end;
        long ms = strtol(arg, &end, 10);
        if (*end || ms < 1 || ms > 10000) {
            fd_cli_usage_error(cmd, "--frame-ms '%s': a number from 1 to 10000", arg);
            return 2;
        }
        o->frame_ms = (int)ms;
        return 1;
    }
    case 'P': {
        char *perr = NULL;
        if (fd_prom_check_address(arg, &perr) != FD_OK) {
            free(perr);
            fd_cli_usage_error(cmd,
                               "--prometheus %s: not a URL with a scheme and a host "
                               "(e.g. http://127.0.0.1:9090)",
                               arg);
            return 2;
        }
        o->prometheus = arg;
        return 1;
    }
    case 'E':
        if (!fd_expr_version_parse(arg, &o->expr_version)) {
            fd_cli_usage_error(cmd, "--expr-version must be 1.17 or 1.15, not '%s'", arg);
            return 2;
        }
        o->expr_version_set = true;
        return 1;
    default:
        return 0;
    }
}

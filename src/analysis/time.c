/* analysis/time.c: Go durations (time.ParseDuration) in milliseconds. */
#include "config.h"

#include "freightdeck/analysis.h"

#include <stdlib.h>
#include <string.h>

enum fd_status fd_analysis_parse_duration(const char *orig, int64_t *ms, char **err)
{
    const char *s = orig ? orig : "";
    char msg[256];
    int64_t ns;

    *err = NULL;
    if (!fd_go_parse_duration(s, strlen(s), &ns, msg, sizeof(msg))) {
        *err = fd_xstrdup(msg);
        return FD_PARSE;
    }
    *ms = ns / 1000000; /* truncated toward zero, as Duration.Milliseconds() */
    return FD_OK;
}

/* model/parse.c: Go durations in whole seconds. */
#include "config.h"

#include "freightdeck/model.h"

#include <stdint.h>
#include <string.h>

/* Go's time.ParseDuration, to whole seconds: [-+]?([0-9]*(\.[0-9]*)?[a-z]+)+
 * or "0". Units ns us µs ms s m h. */
bool fd_model_parse_duration(const char *s, int64_t *out)
{
    char err[160];
    int64_t ns;

    if (!s || !fd_go_parse_duration(s, strlen(s), &ns, err, sizeof(err)))
        return false;
    *out = ns / 1000000000; /* whole seconds, truncated toward zero */
    return true;
}

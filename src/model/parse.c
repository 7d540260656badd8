/* model/parse.c: Go durations in whole seconds; the Kubernetes name check. */
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

static bool alnum_lower(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool fd_model_name_valid(const char *s)
{
    size_t n = s ? strlen(s) : 0;

    if (n == 0 || n > 253)
        return false;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && s[j] != '.')
            j++;
        if (j == i || !alnum_lower(s[i]) || !alnum_lower(s[j - 1]))
            return false;
        for (size_t k = i; k < j; k++)
            if (!alnum_lower(s[k]) && s[k] != '-')
                return false;
        i = j + 1;
        if (j < n && i == n)
            return false; /* a trailing '.' */
    }
    return true;
}

/* analysis/time.c: Go durations (time.ParseDuration) and RFC 3339 times. */
#include "config.h"

#include "freightdeck/analysis.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

static bool digits(const char *s, int n, int *out)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

enum fd_status fd_analysis_parse_time(const char *s, int64_t *ms)
{
    struct tm tm;
    int y, mo, d, h, mi, sec;
    int64_t frac_ms = 0;

    if (!s || strlen(s) < 20)
        return FD_PARSE;
    if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) || s[7] != '-' ||
        !digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't') || !digits(s + 11, 2, &h) ||
        s[13] != ':' || !digits(s + 14, 2, &mi) || s[16] != ':' || !digits(s + 17, 2, &sec))
        return FD_PARSE;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
        return FD_PARSE;
    s += 19;
    if (*s == '.') {
        int64_t scale = 100;
        s++;
        if (!isdigit((unsigned char)*s))
            return FD_PARSE;
        while (isdigit((unsigned char)*s)) {
            frac_ms += (*s - '0') * scale;
            scale /= 10;
            s++;
        }
    }
    int64_t offset = 0;
    if (*s == 'Z' || *s == 'z') {
        s++;
    } else if (*s == '+' || *s == '-') {
        int oh, om;
        if (!digits(s + 1, 2, &oh) || s[3] != ':' || !digits(s + 4, 2, &om))
            return FD_PARSE;
        offset = (int64_t)(oh * 60 + om) * 60 * (*s == '-' ? -1 : 1);
        s += 6;
    } else {
        return FD_PARSE;
    }
    if (*s)
        return FD_PARSE;
    memset(&tm, 0, sizeof(tm));
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    time_t t = timegm(&tm);
    *ms = ((int64_t)t - offset) * 1000 + frac_ms;
    return FD_OK;
}

char *fd_analysis_format_time(int64_t ms)
{
    time_t t = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
    struct tm tm;
    char buf[64];

    if (!gmtime_r(&t, &tm) || !strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm))
        return fd_xstrdup("");
    return fd_xstrdup(buf);
}

/* analysis/time.c: Go durations (time.ParseDuration) and RFC 3339 times. */
#include "config.h"

#include "freightdeck/analysis.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char *invalid(const char *orig)
{
    return fd_xasprintf("time: invalid duration \"%s\"", orig);
}

static const struct {
    const char *name;
    double ns;
} units[] = {
    {"ns", 1.0}, {"us", 1e3}, {"\xc2\xb5s", 1e3}, {"\xce\xbcs", 1e3},
    {"ms", 1e6}, {"s", 1e9},  {"m", 60e9},        {"h", 3600e9},
};

enum fd_status fd_analysis_parse_duration(const char *orig, int64_t *ms, char **err)
{
    const char *s = orig ? orig : "";
    bool neg = false;
    long double total = 0;

    *err = NULL;
    if (*s == '-' || *s == '+') {
        neg = *s == '-';
        s++;
    }
    if (strcmp(s, "0") == 0) {
        *ms = 0;
        return FD_OK;
    }
    if (*s == '\0') {
        *err = invalid(orig ? orig : "");
        return FD_PARSE;
    }
    while (*s) {
        long double v = 0, frac = 0, scale = 1;
        bool pre = false, post = false;

        if (!(*s == '.' || isdigit((unsigned char)*s))) {
            *err = invalid(orig);
            return FD_PARSE;
        }
        while (isdigit((unsigned char)*s)) {
            v = v * 10 + (*s++ - '0');
            pre = true;
        }
        if (*s == '.') {
            s++;
            while (isdigit((unsigned char)*s)) {
                frac = frac * 10 + (*s++ - '0');
                scale *= 10;
                post = true;
            }
        }
        if (!pre && !post) {
            *err = invalid(orig);
            return FD_PARSE;
        }
        size_t i = 0;
        while (s[i] && s[i] != '.' && !isdigit((unsigned char)s[i]))
            i++;
        if (i == 0) {
            *err = fd_xasprintf("time: missing unit in duration \"%s\"", orig);
            return FD_PARSE;
        }
        double unit = 0;
        for (size_t u = 0; u < FD_ARRAY_SIZE(units); u++)
            if (strlen(units[u].name) == i && strncmp(units[u].name, s, i) == 0)
                unit = units[u].ns;
        if (unit == 0) {
            *err = fd_xasprintf("time: unknown unit \"%.*s\" in duration \"%s\"", (int)i, s, orig);
            return FD_PARSE;
        }
        s += i;
        total += v * unit + frac / scale * unit;
        if (total > 9223372036854775807.0L) {
            *err = invalid(orig);
            return FD_PARSE;
        }
    }
    *ms = (int64_t)(total / 1000000.0L);
    if (neg)
        *ms = -*ms;
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

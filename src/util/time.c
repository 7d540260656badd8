/* util/time.c: clocks, calendar arithmetic, RFC 3339 as Go parses and prints it. */
#include "config.h"

#include "freightdeck/util.h"

#include <inttypes.h>
#include <stdio.h>
#include <time.h>

static int64_t clock_ms(clockid_t id)
{
    struct timespec ts;

    clock_gettime(id, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t fd_time_now_ms(void)
{
    return clock_ms(CLOCK_REALTIME);
}

int64_t fd_time_mono_ms(void)
{
    return clock_ms(CLOCK_MONOTONIC);
}

int64_t fd_time_days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void fd_time_civil_from_days(int64_t z, int64_t *year, int *month, int *day)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);

    *day = (int)(doy - (153 * mp + 2) / 5 + 1);
    *month = m;
    *year = yoe + era * 400 + (m <= 2);
}

int fd_time_days_in_month(int64_t y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    if (m < 1 || m > 12)
        return 0;
    if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
        return 29;
    return days[m - 1];
}

/* n decimal digits at s into *out, within [min, max]. */
static bool field(const char *s, int n, int min, int max, int *out)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    if (v < min || v > max)
        return false;
    *out = v;
    return true;
}

bool fd_time_parse_rfc3339(const char *s, int64_t *ms)
{
    int y, mo, d, h, mi, se, oh = 0, om = 0, sign = 0;
    int64_t frac = 0;

    /* time/format_rfc3339.go parseRFC3339: fixed positions, then the
     * fraction (after '.' or ',', as time/format.go's fallback reads it)
     * and the zone. */
    if (!s || strnlen(s, 19) < 19 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
        s[16] != ':')
        return false;
    if (!field(s, 4, 0, 9999, &y) || !field(s + 5, 2, 1, 12, &mo) ||
        !field(s + 8, 2, 1, fd_time_days_in_month(y, mo), &d) || !field(s + 11, 2, 0, 23, &h) ||
        !field(s + 14, 2, 0, 59, &mi) || !field(s + 17, 2, 0, 59, &se))
        return false;
    s += 19;
    if ((s[0] == '.' || s[0] == ',') && s[1] >= '0' && s[1] <= '9') {
        int64_t scale = 100;
        for (s++; *s >= '0' && *s <= '9'; s++, scale /= 10)
            frac += (*s - '0') * scale;
    }
    if (s[0] == 'Z' && s[1] == '\0') {
        /* UTC */
    } else if ((s[0] == '+' || s[0] == '-') && strnlen(s, 7) == 6 && s[3] == ':' &&
               field(s + 1, 2, 0, 24, &oh) && field(s + 4, 2, 0, 60, &om)) {
        /* time/format.go's limits for an offset: hour 24, minute 60. */
        sign = s[0] == '-' ? -1 : 1;
    } else {
        return false;
    }
    int64_t secs = fd_time_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se -
                   (int64_t)sign * (oh * 3600 + om * 60);
    *ms = secs * 1000 + frac;
    return true;
}

char *fd_time_format_rfc3339(int64_t ms, bool millis)
{
    int64_t secs = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
    int frac = (int)(ms - secs * 1000);
    int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    int64_t rest = secs - days * 86400, year;
    int month, day;
    char f[8] = "";

    fd_time_civil_from_days(days, &year, &month, &day);
    if (millis && frac) {
        snprintf(f, sizeof(f), ".%03d", frac);
        for (size_t n = strlen(f); f[n - 1] == '0'; n--)
            f[n - 1] = '\0';
    }
    return fd_xasprintf("%04" PRId64 "-%02d-%02dT%02d:%02d:%02d%sZ", year, month, day,
                        (int)(rest / 3600), (int)(rest / 60 % 60), (int)(rest % 60), f);
}

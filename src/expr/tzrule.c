/* expr/tzrule.c: the POSIX TZ string at the end of a TZif file, as Go's
 * time package reads and applies it (zoneinfo.go tzset and its helpers):
 * the zone in force after a location's last listed transition, which is
 * every date past 2037 in a "fat" zoneinfo file and every one past the
 * last change of law in a "slim" one. */
#include "config.h"

#include "builtins.h"

#include <stdio.h>
#include <string.h>

enum { SEC_HOUR = 3600, SEC_DAY = 86400 };

enum rule_kind { RULE_JULIAN, RULE_DOY, RULE_MONTH_WEEK_DAY };

struct tzrule {
    enum rule_kind kind;
    int day, week, mon, time;
};

/* tzsetName: a name of three letters or more, or <...> */
static bool tz_name(const char **s, char *name, size_t cap)
{
    const char *p = *s;

    if (!*p)
        return false;
    if (*p == '<') {
        const char *gt = strchr(p, '>');
        if (!gt)
            return false;
        snprintf(name, cap, "%.*s", (int)(gt - p - 1), p + 1);
        *s = gt + 1;
        return true;
    }
    size_t i = strcspn(p, "0123456789,-+");
    if (i < 3)
        return false;
    snprintf(name, cap, "%.*s", (int)i, p);
    *s = p + i;
    return true;
}

/* tzsetNum: digits within [min, max] */
static bool tz_num(const char **s, int min, int max, int *out)
{
    const char *p = *s;
    int num = 0;

    if (!*p || *p < '0' || *p > '9')
        return false;
    for (; *p >= '0' && *p <= '9'; p++) {
        num = num * 10 + (*p - '0');
        if (num > max)
            return false;
    }
    if (num < min)
        return false;
    *out = num;
    *s = p;
    return true;
}

/* tzsetOffset: [+-]hh[:mm[:ss]], hours up to a week */
static bool tz_offset(const char **s, int *out)
{
    const char *p = *s;
    bool neg = false;
    int h, m, sec, off;

    if (!*p)
        return false;
    if (*p == '+' || *p == '-')
        neg = *p++ == '-';
    if (!tz_num(&p, 0, 24 * 7, &h))
        return false;
    off = h * SEC_HOUR;
    if (*p == ':') {
        p++;
        if (!tz_num(&p, 0, 59, &m))
            return false;
        off += m * 60;
        if (*p == ':') {
            p++;
            if (!tz_num(&p, 0, 59, &sec))
                return false;
            off += sec;
        }
    }
    *out = neg ? -off : off;
    *s = p;
    return true;
}

/* tzsetRule: Jn, n or Mm.w.d, then an optional /time (2am by default) */
static bool tz_rule(const char **s, struct tzrule *r)
{
    const char *p = *s;

    memset(r, 0, sizeof(*r));
    if (!*p)
        return false;
    if (*p == 'J') {
        p++;
        if (!tz_num(&p, 1, 365, &r->day))
            return false;
        r->kind = RULE_JULIAN;
    } else if (*p == 'M') {
        p++;
        if (!tz_num(&p, 1, 12, &r->mon) || *p != '.')
            return false;
        p++;
        if (!tz_num(&p, 1, 5, &r->week) || *p != '.')
            return false;
        p++;
        if (!tz_num(&p, 0, 6, &r->day))
            return false;
        r->kind = RULE_MONTH_WEEK_DAY;
    } else {
        if (!tz_num(&p, 0, 365, &r->day))
            return false;
        r->kind = RULE_DOY;
    }
    r->time = 2 * SEC_HOUR;
    if (*p == '/') {
        p++;
        if (!tz_offset(&p, &r->time))
            return false;
    }
    *s = p;
    return true;
}

static bool is_leap(int64_t y)
{
    return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

/* tzruleTime: seconds since the start of year (UTC) when rule r takes
 * effect, off being the offset in force before it */
static int tz_rule_time(int64_t year, const struct tzrule *r, int off)
{
    static const int days_before[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    int s = 0;

    switch (r->kind) {
    case RULE_JULIAN:
        s = (r->day - 1) * SEC_DAY;
        if (is_leap(year) && r->day >= 60)
            s += SEC_DAY;
        break;
    case RULE_DOY:
        s = r->day * SEC_DAY;
        break;
    case RULE_MONTH_WEEK_DAY: {
        /* Zeller's congruence for the weekday of the month's first day */
        int m1 = (r->mon + 9) % 12 + 1;
        int64_t yy0 = r->mon <= 2 ? year - 1 : year, yy1 = yy0 / 100, yy2 = yy0 % 100;
        int dow = (int)(((26 * m1 - 2) / 10 + 1 + yy2 + yy2 / 4 + yy1 / 4 - 2 * yy1) % 7);
        if (dow < 0)
            dow += 7;
        int d = r->day - dow;
        if (d < 0)
            d += 7;
        for (int i = 1; i < r->week; i++) {
            if (d + 7 >= fd_time_days_in_month(year, r->mon))
                break;
            d += 7;
        }
        d += days_before[r->mon - 1];
        if (is_leap(year) && r->mon > 2)
            d++;
        s = d * SEC_DAY;
        break;
    }
    }
    return s + r->time - off;
}

bool fd_expr_bi_tzset(const char *tz, int64_t last_tx, int64_t sec, struct fd_expr_bi_zone_rule *z,
                      int64_t *start, int64_t *end)
{
    char std_name[sizeof(z->abbr)], dst_name[sizeof(z->abbr)];
    int std_off, dst_off;
    const char *s = tz;
    struct tzrule start_rule, end_rule;

    if (!tz_name(&s, std_name, sizeof(std_name)) || !tz_offset(&s, &std_off))
        return false;
    std_off = -std_off; /* POSIX counts west of UTC */
    if (!*s || *s == ',') {
        snprintf(z->abbr, sizeof(z->abbr), "%s", std_name);
        z->offset = std_off;
        z->isdst = false;
        z->at = *start = last_tx;
        *end = INT64_MAX;
        return true;
    }
    if (!tz_name(&s, dst_name, sizeof(dst_name)))
        return false;
    if (!*s || *s == ',') {
        dst_off = std_off + SEC_HOUR;
    } else {
        if (!tz_offset(&s, &dst_off))
            return false;
        dst_off = -dst_off;
    }
    if (!*s)
        s = ",M3.2.0,M11.1.0"; /* the United States' rules, as Go assumes */
    if (*s != ',' && *s != ';')
        return false;
    s++;
    if (!tz_rule(&s, &start_rule) || *s != ',')
        return false;
    s++;
    if (!tz_rule(&s, &end_rule) || *s)
        return false;

    /* the year and day of year of sec (in UTC) */
    int64_t days = fd_expr_bi_floor_div(sec, SEC_DAY), year;
    int month, day;
    fd_time_civil_from_days(days, &year, &month, &day);
    int64_t yday = days - fd_time_days_from_civil(year, 1, 1) + 1;
    int64_t ysec = (yday - 1) * SEC_DAY + sec % SEC_DAY, ystart = sec - ysec;

    int64_t start_sec = tz_rule_time(year, &start_rule, std_off);
    int64_t end_sec = tz_rule_time(year, &end_rule, dst_off);
    bool dst_isdst = true, std_isdst = false;
    const char *sn = std_name, *dn = dst_name;
    if (end_sec < start_sec) { /* the southern hemisphere: swap the roles */
        int64_t t = start_sec;
        start_sec = end_sec;
        end_sec = t;
        sn = dst_name;
        dn = std_name;
        int o = std_off;
        std_off = dst_off;
        dst_off = o;
        std_isdst = true;
        dst_isdst = false;
    }
    if (ysec < start_sec) {
        snprintf(z->abbr, sizeof(z->abbr), "%s", sn);
        z->offset = std_off;
        z->isdst = std_isdst;
        *start = ystart;
        *end = start_sec + ystart;
    } else if (ysec >= end_sec) {
        snprintf(z->abbr, sizeof(z->abbr), "%s", sn);
        z->offset = std_off;
        z->isdst = std_isdst;
        *start = end_sec + ystart;
        *end = ystart + 365 * SEC_DAY;
    } else {
        snprintf(z->abbr, sizeof(z->abbr), "%s", dn);
        z->offset = dst_off;
        z->isdst = dst_isdst;
        *start = start_sec + ystart;
        *end = end_sec + ystart;
    }
    z->at = *start;
    return true;
}

/* expr/builtins_timefmt.c: Go's time machinery the time builtins stand on:
 * the proleptic Gregorian calendar, locations from the zoneinfo database
 * (TZif files), time.ParseDuration, and time.Parse / Time.Format with Go's
 * reference-time layouts ("2006-01-02T15:04:05Z07:00"). */
#include "config.h"

#include "builtins.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- civil calendar (proleptic Gregorian, days since 1970-01-01) ----------------- */

/* Days since 1970-01-01 and back: fd_time_days_from_civil and
 * fd_time_civil_from_days (util). */

int64_t fd_expr_bi_floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

struct fd_expr_bi_civil fd_expr_bi_to_civil(const struct fd_expr_time *t)
{
    struct fd_expr_bi_civil c;
    int64_t local = t->sec + t->offset;
    int64_t days = fd_expr_bi_floor_div(local, 86400);
    int64_t rem = local - days * 86400;

    fd_time_civil_from_days(days, &c.year, &c.month, &c.day);
    c.hour = (int)(rem / 3600);
    c.min = (int)(rem / 60 % 60);
    c.sec = (int)(rem % 60);
    c.nsec = t->nsec;
    c.wday = (int)(((days % 7) + 11) % 7); /* 1970-01-01 was a Thursday */
    c.yday = (int)(days - fd_time_days_from_civil(c.year, 1, 1)) + 1;
    return c;
}

static const char *const long_months[] = {"January",   "February", "March",    "April",
                                          "May",       "June",     "July",     "August",
                                          "September", "October",  "November", "December"};
static const char *const long_days[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                        "Thursday", "Friday", "Saturday"};

/* ---- locations ------------------------------------------------------------------------ */

static uint64_t be(const unsigned char *p, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

/* lookupFirstZone: the zone before the first transition. Type 0 unless a
 * transition uses it; then, if the first transition goes to daylight time,
 * the last standard type before that one; else the first standard type. */
static uint8_t first_zone(const unsigned char *types, uint64_t typecnt, const unsigned char *idx,
                          uint64_t timecnt)
{
    bool used = false;

    for (uint64_t i = 0; i < timecnt; i++)
        used |= idx[i] == 0;
    if (!used)
        return 0;
    if (timecnt > 0 && idx[0] < typecnt && types[idx[0] * 6 + 4])
        for (int zi = (int)idx[0] - 1; zi >= 0; zi--)
            if (!types[zi * 6 + 4])
                return (uint8_t)zi;
    for (uint64_t zi = 0; zi < typecnt; zi++)
        if (!types[zi * 6 + 4])
            return (uint8_t)zi;
    return 0;
}

/* Reads a TZif file (v1 or the 64-bit v2+ block, and its footer's TZ rule).
 * false if unusable. */
static bool load_tzif(const char *name, struct fd_expr_bi_location *loc)
{
    char path[256];
    unsigned char *buf;
    long size;
    FILE *f;
    bool ok = false;

    if (!*name || name[0] == '/' || strstr(name, "..") || strlen(name) > 100)
        return false;
    snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", name);
    f = fopen(path, "rb");
    if (!f)
        return false;
    if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 44 || size > (1 << 20) ||
        fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return false;
    }
    buf = fd_xmalloc((size_t)size);
    if (fread(buf, 1, (size_t)size, f) != (size_t)size || memcmp(buf, "TZif", 4) != 0)
        goto out;
    {
        const unsigned char *p = buf;
        int tsize = 4;
        size_t avail = (size_t)size;
        uint64_t isut = be(p + 20, 4), isstd = be(p + 24, 4), leapcnt = be(p + 28, 4);
        uint64_t timecnt = be(p + 32, 4), typecnt = be(p + 36, 4), charcnt = be(p + 40, 4);

        if (buf[4] >= '2') { /* skip the v1 block to the 64-bit data */
            size_t v1 = 44 + timecnt * 5 + typecnt * 6 + charcnt + leapcnt * 8 + isstd + isut;
            if (v1 + 44 > avail)
                goto out;
            p = buf + v1;
            avail -= v1;
            tsize = 8;
            isut = be(p + 20, 4);
            isstd = be(p + 24, 4);
            leapcnt = be(p + 28, 4);
            timecnt = be(p + 32, 4);
            typecnt = be(p + 36, 4);
            charcnt = be(p + 40, 4);
        }
        size_t need = 44 + timecnt * (size_t)(tsize + 1) + typecnt * 6 + charcnt;
        if (need > avail || typecnt == 0 || typecnt > 256)
            goto out;
        const unsigned char *times = p + 44, *idx = times + timecnt * (size_t)tsize;
        const unsigned char *types = idx + timecnt, *chars = types + typecnt * 6;
        snprintf(loc->name, sizeof(loc->name), "%s", name);
        loc->extend[0] = '\0';
        if (tsize == 8) { /* the footer: "\n" TZ "\n" after the leap seconds and flags */
            size_t footer = need + leapcnt * 12 + isstd + isut;
            if (footer < avail && p[footer] == '\n') {
                const unsigned char *nl = memchr(p + footer + 1, '\n', avail - footer - 1);
                if (nl && (size_t)(nl - (p + footer + 1)) < sizeof(loc->extend))
                    snprintf(loc->extend, sizeof(loc->extend), "%.*s", (int)(nl - (p + footer + 1)),
                             (const char *)p + footer + 1);
            }
        }
        loc->n = 0;
        /* rule 0: before the first transition, lookupFirstZone's type */
        uint8_t first = first_zone(types, typecnt, idx, timecnt);
        for (uint64_t i = 0; i <= timecnt && loc->n < FD_ARRAY_SIZE(loc->rules); i++) {
            uint8_t ti = i == 0 ? first : idx[i - 1];
            if (ti >= typecnt)
                goto out;
            const unsigned char *tt = types + ti * 6;
            struct fd_expr_bi_zone_rule *r = &loc->rules[loc->n++];
            r->at = i == 0       ? INT64_MIN
                    : tsize == 8 ? (int64_t)be(times + (i - 1) * 8, 8)
                                 : (int64_t)(int32_t)be(times + (i - 1) * 4, 4);
            r->offset = (int32_t)be(tt, 4);
            r->isdst = tt[4] != 0;
            size_t ai = tt[5];
            snprintf(r->abbr, sizeof(r->abbr), "%.*s", (int)(ai < charcnt ? charcnt - ai : 0),
                     (const char *)chars + (ai < charcnt ? ai : 0));
        }
        ok = loc->n > 0;
    }
out:
    free(buf);
    fclose(f);
    return ok;
}

/* Zones read once per process: a time value keeps only its zone's name, so
 * each Add, In or Date in a zone would read and parse its TZif file again
 * (a map over 100,000 times in Europe/Berlin read it 200,000 times). What a
 * file held is kept as read; Go reads the file at each LoadLocation, and a
 * zoneinfo update in the middle of a run is not worth a reread. */
#define ZONE_CACHE_MAX 64
static struct {
    pthread_mutex_t lock;
    size_t n;
    struct fd_expr_bi_location *zones[ZONE_CACHE_MAX];
} zone_cache = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* What load_tzif reads, copied from src to dst (its rules in use only). */
static void zone_copy(struct fd_expr_bi_location *dst, const struct fd_expr_bi_location *src)
{
    memcpy(dst->name, src->name, sizeof(dst->name));
    memcpy(dst->extend, src->extend, sizeof(dst->extend));
    dst->n = src->n;
    memcpy(dst->rules, src->rules, src->n * sizeof(src->rules[0]));
}

/* load_tzif through the cache: the same answers, the file read once. */
static bool load_tzif_cached(const char *name, struct fd_expr_bi_location *loc)
{
    bool found = false;

    pthread_mutex_lock(&zone_cache.lock);
    for (size_t i = 0; i < zone_cache.n && !found; i++) {
        if (strcmp(zone_cache.zones[i]->name, name) == 0) {
            zone_copy(loc, zone_cache.zones[i]);
            found = true;
        }
    }
    pthread_mutex_unlock(&zone_cache.lock);
    if (found)
        return true;
    if (!load_tzif(name, loc))
        return false; /* (an unknown name is not kept: Go fails it each time too) */
    pthread_mutex_lock(&zone_cache.lock);
    if (zone_cache.n < ZONE_CACHE_MAX) {
        struct fd_expr_bi_location *kept = fd_xmalloc(sizeof(*kept));
        zone_copy(kept, loc);
        zone_cache.zones[zone_cache.n++] = kept;
    }
    pthread_mutex_unlock(&zone_cache.lock);
    return true;
}

/* Location.lookup: the zone in force at instant sec, and the period
 * [*start, *end) it holds (either may be NULL): the last transition at or
 * before sec, past the last one the footer's rule when there is one. */
static struct fd_expr_bi_zone_rule zone_at(const struct fd_expr_bi_location *loc, int64_t sec,
                                           int64_t *start, int64_t *end)
{
    size_t lo = 0, hi = loc->n;
    int64_t s, e = INT64_MAX;

    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (loc->rules[mid].at <= sec) {
            lo = mid;
        } else {
            e = loc->rules[mid].at;
            hi = mid;
        }
    }
    struct fd_expr_bi_zone_rule z = loc->rules[lo];
    s = z.at;
    if (lo == loc->n - 1 && lo > 0 && loc->extend[0]) {
        struct fd_expr_bi_zone_rule ez;
        int64_t es, ee;
        if (fd_expr_bi_tzset(loc->extend, s, sec, &ez, &es, &ee)) {
            z = ez;
            s = es;
            e = ee;
        }
    }
    if (start)
        *start = s;
    if (end)
        *end = e;
    return z;
}

/* time.LoadLocation: "" and "UTC" are UTC, "Local" the process zone. */
bool fd_expr_bi_load_location(const char *name, struct fd_expr_bi_location *loc)
{
    loc->fixed = false;
    loc->extend[0] = '\0';
    loc->id = 0; /* time.UTC */
    if (!*name || strcmp(name, "UTC") == 0) {
        snprintf(loc->name, sizeof(loc->name), "UTC");
        loc->n = 1;
        loc->rules[0] = (struct fd_expr_bi_zone_rule){INT64_MIN, 0, "UTC", false};
        return true;
    }
    if (strcmp(name, "Local") == 0) {
        const char *tz = getenv("TZ");
        if (tz && *tz == ':')
            tz++;
        if (!tz || !*tz || strcmp(tz, "UTC") == 0 || strcmp(tz, "UTC0") == 0 ||
            !load_tzif_cached(tz, loc)) {
            fd_expr_bi_load_location("UTC", loc);
        }
        snprintf(loc->name, sizeof(loc->name), "Local");
        loc->id = 1; /* time.Local */
        return true;
    }
    loc->id = fd_expr_loc_new_id(); /* LoadLocation makes a new one */
    return load_tzif_cached(name, loc);
}

struct fd_expr_val fd_expr_bi_time_in(int64_t sec, int32_t nsec,
                                      const struct fd_expr_bi_location *loc)
{
    struct fd_expr_bi_zone_rule r = zone_at(loc, sec, NULL, NULL);
    struct fd_expr_val v = loc->fixed
                               ? fd_expr_time_new_fixed(sec, nsec, r.offset, r.abbr, loc->name)
                               : fd_expr_time_new_in(sec, nsec, r.offset, r.abbr, loc->name);
    v.u.t->locid = loc->id;
    return v;
}

/* A wall clock reading in loc to an instant, as Go's Date() resolves it
 * (time.go): the offset in force at the reading taken as UTC, unless the
 * instant that gives falls outside that offset's period, then the offset in
 * force there. A reading in a spring-forward gap (02:30 in New York on
 * 2024-03-10) so lands an hour early (01:30 EST), one a fall-back repeats
 * on the offset of the reading taken as UTC. */
static int64_t wall_to_unix(int64_t wall, const struct fd_expr_bi_location *loc)
{
    int64_t start, end;
    int64_t offset = zone_at(loc, wall, &start, &end).offset;

    if (offset != 0) {
        int64_t utc = wall - offset;
        if (utc < start || utc >= end)
            offset = zone_at(loc, utc, NULL, NULL).offset;
    }
    return wall - offset;
}

/* t's Location, when its offset changes (a zoneinfo zone), loaded into a
 * new location (caller frees); NULL for a fixed zone, UTC or one that
 * cannot be read, whose offset is t's own. */
static struct fd_expr_bi_location *zone_of(const struct fd_expr_time *t)
{
    struct fd_expr_bi_location *loc;

    if (t->fixed || !t->loc[0] || strcmp(t->loc, "UTC") == 0)
        return NULL;
    loc = fd_xmalloc(sizeof(*loc));
    if (!fd_expr_bi_location_load(t, loc)) {
        free(loc);
        return NULL;
    }
    return loc;
}

struct fd_expr_val fd_expr_bi_time_at(const struct fd_expr_time *t, int64_t sec, int32_t nsec)
{
    struct fd_expr_bi_location *loc = zone_of(t);
    struct fd_expr_val v =
        loc ? fd_expr_bi_time_in(sec, nsec, loc) : fd_expr_time_like(t, sec, nsec);

    free(loc);
    return v;
}

struct fd_expr_val fd_expr_bi_date_in(const struct fd_expr_time *t, int64_t wall, int32_t nsec)
{
    struct fd_expr_bi_location *loc = zone_of(t);
    struct fd_expr_val v = loc ? fd_expr_bi_time_in(wall_to_unix(wall, loc), nsec, loc)
                               : fd_expr_time_like(t, wall - t->offset, nsec);

    free(loc);
    return v;
}

void fd_expr_bi_zone_period(const struct fd_expr_time *t, bool *isdst, bool *has_start,
                            int64_t *start)
{
    *isdst = *has_start = false;
    *start = 0;
    if (t->fixed)
        return;
    struct fd_expr_bi_location *loc = fd_xmalloc(sizeof(*loc));
    if (fd_expr_bi_load_location(t->loc, loc) && loc->n > 0) {
        struct fd_expr_bi_zone_rule r = zone_at(loc, t->sec, start, NULL);
        *isdst = r.isdst;
        *has_start = *start != INT64_MIN;
    }
    free(loc);
}

struct fd_expr_val fd_expr_bi_location_value(const char *name)
{
    struct fd_expr_val v = fd_expr_time_new_in(0, 0, 0, name, name);
    v.u.t->nsec = -1;
    return v;
}

struct fd_expr_val fd_expr_bi_location_of(const struct fd_expr_time *t)
{
    struct fd_expr_val v = fd_expr_time_like(t, 0, -1);
    return v;
}

bool fd_expr_bi_location_load(const struct fd_expr_time *l, struct fd_expr_bi_location *loc)
{
    if (!l->fixed) {
        bool ok = fd_expr_bi_load_location(l->loc, loc);
        loc->id = l->locid; /* the very Location l has */
        return ok;
    }
    loc->id = l->locid;
    /* a FixedZone (what time.Parse makes of "+02:00" or "MST") */
    snprintf(loc->name, sizeof(loc->name), "%s", l->loc);
    loc->n = 1;
    loc->extend[0] = '\0';
    loc->rules[0].at = INT64_MIN;
    loc->rules[0].offset = l->offset;
    snprintf(loc->rules[0].abbr, sizeof(loc->rules[0].abbr), "%.15s", l->zone);
    loc->fixed = true;
    return true;
}

/* ---- time.ParseDuration -------------------------------------------------------------- */

/* ---- Go layouts --------------------------------------------------------------------------- */

enum std {
    S_NONE,
    S_LONG_MONTH,
    S_MONTH,
    S_NUM_MONTH,
    S_ZERO_MONTH,
    S_LONG_WEEKDAY,
    S_WEEKDAY,
    S_DAY,
    S_UNDER_DAY,
    S_ZERO_DAY,
    S_UNDER_YDAY,
    S_ZERO_YDAY,
    S_HOUR,
    S_HOUR12,
    S_ZERO_HOUR12,
    S_MINUTE,
    S_ZERO_MINUTE,
    S_SECOND,
    S_ZERO_SECOND,
    S_LONG_YEAR,
    S_YEAR,
    S_PM,
    S_pm,
    S_TZ,
    S_ISO_TZ,
    S_ISO_SHORT_TZ,
    S_ISO_COLON_TZ,
    S_ISO_SECS_TZ,
    S_ISO_COLON_SECS_TZ,
    S_NUM_TZ,
    S_NUM_SHORT_TZ,
    S_NUM_COLON_TZ,
    S_NUM_SECS_TZ,
    S_NUM_COLON_SECS_TZ,
    S_FRAC0,
    S_FRAC9
};

struct chunk {
    size_t prefix; /* literal bytes before the element */
    enum std std;
    size_t len; /* bytes of the element in the layout */
    int digits; /* fractional seconds */
};

static bool starts(const char *s, size_t len, const char *w)
{
    size_t n = strlen(w);
    return len >= n && memcmp(s, w, n) == 0;
}

/* time.nextStdChunk */
static struct chunk next_chunk(const char *l, size_t len)
{
    struct chunk c = {0, S_NONE, 0, 0};
    static const struct {
        const char *text;
        enum std std;
    } words[] = {
        {"January", S_LONG_MONTH},
        {"Jan", S_MONTH},
        {"Monday", S_LONG_WEEKDAY},
        {"Mon", S_WEEKDAY},
        {"MST", S_TZ},
        {"01", S_ZERO_MONTH},
        {"02", S_ZERO_DAY},
        {"03", S_ZERO_HOUR12},
        {"04", S_ZERO_MINUTE},
        {"05", S_ZERO_SECOND},
        {"06", S_YEAR},
        {"002", S_ZERO_YDAY},
        {"15", S_HOUR},
        {"1", S_NUM_MONTH},
        {"2006", S_LONG_YEAR},
        {"2", S_DAY},
        {"__2", S_UNDER_YDAY},
        {"_2", S_UNDER_DAY},
        {"3", S_HOUR12},
        {"4", S_MINUTE},
        {"5", S_SECOND},
        {"PM", S_PM},
        {"pm", S_pm},
        {"-07:00:00", S_NUM_COLON_SECS_TZ},
        {"-070000", S_NUM_SECS_TZ},
        {"-07:00", S_NUM_COLON_TZ},
        {"-0700", S_NUM_TZ},
        {"-07", S_NUM_SHORT_TZ},
        {"Z07:00:00", S_ISO_COLON_SECS_TZ},
        {"Z070000", S_ISO_SECS_TZ},
        {"Z07:00", S_ISO_COLON_TZ},
        {"Z0700", S_ISO_TZ},
        {"Z07", S_ISO_SHORT_TZ},
    };

    for (size_t i = 0; i < len; i++) {
        for (size_t k = 0; k < FD_ARRAY_SIZE(words); k++) {
            size_t n = strlen(words[k].text);
            if (!starts(l + i, len - i, words[k].text))
                continue;
            /* As Go: "Jan"/"Mon" followed by a lower-case letter are text
             * ("Janet"), and "002" (day of year) wins over "02". */
            if ((words[k].std == S_MONTH || words[k].std == S_WEEKDAY) && i + n < len &&
                l[i + n] >= 'a' && l[i + n] <= 'z')
                continue;
            if (words[k].std == S_ZERO_DAY && starts(l + i, len - i, "002"))
                continue;
            c.prefix = i;
            c.std = words[k].std;
            c.len = n;
            return c;
        }
        if ((l[i] == '.' || l[i] == ',') && i + 1 < len && (l[i + 1] == '0' || l[i + 1] == '9')) {
            char ch = l[i + 1];
            size_t j = i + 1;
            while (j < len && l[j] == ch)
                j++;
            if (!(j < len && l[j] >= '0' && l[j] <= '9')) {
                c.prefix = i;
                c.std = ch == '0' ? S_FRAC0 : S_FRAC9;
                c.len = j - i;
                c.digits = (int)(j - i - 1);
                return c;
            }
        }
    }
    c.prefix = len;
    return c;
}

static void put_tz(struct fd_buf *b, int32_t off, bool colon, bool secs, bool hours_only)
{
    int32_t a = off < 0 ? -off : off;

    fd_buf_printf(b, "%c%02d", off < 0 ? '-' : '+', (int)(a / 3600));
    if (hours_only)
        return;
    fd_buf_printf(b, colon ? ":%02d" : "%02d", (int)(a / 60 % 60));
    if (secs)
        fd_buf_printf(b, colon ? ":%02d" : "%02d", (int)(a % 60));
}

/* time.Time.Format */
void fd_expr_bi_format_layout(struct fd_buf *b, const struct fd_expr_time *t, const char *l,
                              size_t len)
{
    struct fd_expr_bi_civil c = fd_expr_bi_to_civil(t);

    while (len > 0) {
        struct chunk k = next_chunk(l, len);
        int h12 = c.hour % 12 == 0 ? 12 : c.hour % 12;

        fd_buf_append(b, l, k.prefix);
        if (k.std == S_NONE)
            break;
        switch (k.std) {
        case S_LONG_MONTH:
            fd_buf_puts(b, long_months[c.month - 1]);
            break;
        case S_MONTH:
            fd_buf_append(b, long_months[c.month - 1], 3);
            break;
        case S_NUM_MONTH:
            fd_buf_printf(b, "%d", c.month);
            break;
        case S_ZERO_MONTH:
            fd_buf_printf(b, "%02d", c.month);
            break;
        case S_LONG_WEEKDAY:
            fd_buf_puts(b, long_days[c.wday]);
            break;
        case S_WEEKDAY:
            fd_buf_append(b, long_days[c.wday], 3);
            break;
        case S_DAY:
            fd_buf_printf(b, "%d", c.day);
            break;
        case S_UNDER_DAY:
            fd_buf_printf(b, "%2d", c.day);
            break;
        case S_ZERO_DAY:
            fd_buf_printf(b, "%02d", c.day);
            break;
        case S_UNDER_YDAY:
            fd_buf_printf(b, "%3d", c.yday);
            break;
        case S_ZERO_YDAY:
            fd_buf_printf(b, "%03d", c.yday);
            break;
        case S_HOUR:
            fd_buf_printf(b, "%02d", c.hour);
            break;
        case S_HOUR12:
            fd_buf_printf(b, "%d", h12);
            break;
        case S_ZERO_HOUR12:
            fd_buf_printf(b, "%02d", h12);
            break;
        case S_MINUTE:
            fd_buf_printf(b, "%d", c.min);
            break;
        case S_ZERO_MINUTE:
            fd_buf_printf(b, "%02d", c.min);
            break;
        case S_SECOND:
            fd_buf_printf(b, "%d", c.sec);
            break;
        case S_ZERO_SECOND:
            fd_buf_printf(b, "%02d", c.sec);
            break;
        case S_LONG_YEAR:
            if (c.year < 0)
                fd_buf_printf(b, "-%04lld", (long long)-c.year);
            else
                fd_buf_printf(b, "%04lld", (long long)c.year);
            break;
        case S_YEAR: /* the last two digits of the year's absolute value */
            fd_buf_printf(b, "%02d", (int)((c.year < 0 ? -c.year : c.year) % 100));
            break;
        case S_PM:
            fd_buf_puts(b, c.hour >= 12 ? "PM" : "AM");
            break;
        case S_pm:
            fd_buf_puts(b, c.hour >= 12 ? "pm" : "am");
            break;
        case S_TZ:
            if (t->zone[0])
                fd_buf_puts(b, t->zone);
            else
                put_tz(b, t->offset, false, false, false);
            break;
        case S_ISO_TZ:
        case S_ISO_SHORT_TZ:
        case S_ISO_COLON_TZ:
        case S_ISO_SECS_TZ:
        case S_ISO_COLON_SECS_TZ:
            if (t->offset == 0) {
                fd_buf_putc(b, 'Z');
                break;
            }
            /* fall through */
        case S_NUM_TZ:
        case S_NUM_SHORT_TZ:
        case S_NUM_COLON_TZ:
        case S_NUM_SECS_TZ:
        case S_NUM_COLON_SECS_TZ:
            put_tz(b, t->offset,
                   k.std == S_ISO_COLON_TZ || k.std == S_NUM_COLON_TZ ||
                       k.std == S_ISO_COLON_SECS_TZ || k.std == S_NUM_COLON_SECS_TZ,
                   k.std == S_ISO_SECS_TZ || k.std == S_NUM_SECS_TZ ||
                       k.std == S_ISO_COLON_SECS_TZ || k.std == S_NUM_COLON_SECS_TZ,
                   k.std == S_ISO_SHORT_TZ || k.std == S_NUM_SHORT_TZ);
            break;
        case S_FRAC0:
        case S_FRAC9: {
            char digits[16];
            int n = k.digits > 9 ? 9 : k.digits;
            snprintf(digits, sizeof(digits), "%09d", c.nsec);
            if (k.std == S_FRAC9) {
                while (n > 0 && digits[n - 1] == '0')
                    n--;
                if (n == 0)
                    break;
            }
            fd_buf_putc(b, l[k.prefix]);
            fd_buf_append(b, digits, (size_t)n);
            break;
        }
        default:
            break;
        }
        l += k.prefix + k.len;
        len -= k.prefix + k.len;
    }
}

/* ---- time.Parse ----------------------------------------------------------------------------- */

struct perr {
    char msg[512];
};

static void parse_error(struct perr *e, const char *value, size_t vlen, const char *layout,
                        size_t llen, const char *velem, size_t velen, const char *lelem,
                        size_t lelen, const char *message)
{
    char qv[100], ql[64], qve[100], qle[40];

    fd_go_time_quote(qv, sizeof(qv), value, vlen);
    if (message) {
        snprintf(e->msg, sizeof(e->msg), "parsing time %s%s", qv, message);
        return;
    }
    fd_go_time_quote(ql, sizeof(ql), layout, llen);
    fd_go_time_quote(qve, sizeof(qve), velem, velen);
    fd_go_time_quote(qle, sizeof(qle), lelem, lelen);
    snprintf(e->msg, sizeof(e->msg), "parsing time %s as %s: cannot parse %s as %s", qv, ql, qve,
             qle);
}

/* getnum: one or two digits (exactly two when fixed). */
static bool getnum(const char **v, size_t *vlen, bool fixed, int *out)
{
    const char *s = *v;

    if (*vlen < 1 || s[0] < '0' || s[0] > '9')
        return false;
    if (*vlen < 2 || s[1] < '0' || s[1] > '9') {
        if (fixed)
            return false;
        *out = s[0] - '0';
        *v += 1;
        *vlen -= 1;
        return true;
    }
    *out = (s[0] - '0') * 10 + (s[1] - '0');
    *v += 2;
    *vlen -= 2;
    return true;
}

static bool getdigits(const char **v, size_t *vlen, size_t n, int *out)
{
    int x = 0;

    if (*vlen < n)
        return false;
    for (size_t i = 0; i < n; i++) {
        if ((*v)[i] < '0' || (*v)[i] > '9')
            return false;
        x = x * 10 + ((*v)[i] - '0');
    }
    *out = x;
    *v += n;
    *vlen -= n;
    return true;
}

static int lookup_ci(const char **v, size_t *vlen, const char *const *names, size_t count,
                     size_t cut)
{
    for (size_t i = 0; i < count; i++) {
        size_t n = cut ? cut : strlen(names[i]);
        if (*vlen < n)
            continue;
        bool eq = true;
        for (size_t k = 0; k < n && eq; k++)
            eq = ((*v)[k] | 0x20) == (names[i][k] | 0x20);
        if (eq) {
            *v += n;
            *vlen -= n;
            return (int)i;
        }
    }
    return -1;
}

/* time/format.go skip: the layout's literal prefix (plen bytes at p), byte
 * for byte, a space in it matching any run of spaces in the value (none,
 * where the value ends). Advances *v past what matched; false where they
 * differ, *v there. */
static bool go_skip(const char **v, size_t *vl, const char *p, size_t plen)
{
    while (plen > 0) {
        if (*p == ' ') {
            if (*vl > 0 && **v != ' ')
                return false;
            while (plen > 0 && *p == ' ') { /* cutspace */
                p++;
                plen--;
            }
            while (*vl > 0 && **v == ' ') {
                (*v)++;
                (*vl)--;
            }
            continue;
        }
        if (*vl == 0 || **v != *p)
            return false;
        p++;
        plen--;
        (*v)++;
        (*vl)--;
    }
    return true;
}

/* time.Parse / ParseInLocation (loc: zone for values without an offset). */
static bool parse_time(const char *layout, size_t llen, const char *value, size_t vlen,
                       const struct fd_expr_bi_location *loc, struct fd_expr_val *out,
                       struct perr *e)
{
    const char *v = value, *l = layout;
    size_t vl = vlen, ll = llen;
    int64_t year = 0; /* Go: omitted elements are zero, or one where zero is impossible */
    int month = -1, day = -1, yday = -1, hour = 0, min = 0, sec = 0, nsec = 0;
    int pm = -1; /* -1 unset, 0 AM, 1 PM */
    bool have_zone = false, z_utc = false;
    int32_t zoff = 0;
    char zname[16] = "";

    for (;;) {
        struct chunk k = next_chunk(l, ll);
        const char *elem_v = v;
        size_t elem_vl = vl;

        if (!go_skip(&v, &vl, l, k.prefix)) { /* (the value from where it differs) */
            parse_error(e, value, vlen, layout, llen, v, vl, l, k.prefix, NULL);
            return false;
        }
        if (k.std == S_NONE) {
            if (vl > 0) {
                char q[120], m[140];
                fd_go_time_quote(q, sizeof(q), v, vl);
                snprintf(m, sizeof(m), ": extra text: %s", q);
                parse_error(e, value, vlen, NULL, 0, NULL, 0, NULL, 0, m);
                return false;
            }
            break;
        }
        const char *lelem = l + k.prefix;
        l += k.prefix + k.len;
        ll -= k.prefix + k.len;
        elem_v = v;
        elem_vl = vl;
        bool ok = true;
        const char *range = NULL;
        int x = 0;

        switch (k.std) {
        case S_LONG_YEAR:
            ok = getdigits(&v, &vl, 4, &x);
            year = x;
            break;
        case S_YEAR:
            ok = getdigits(&v, &vl, 2, &x);
            year = x >= 69 ? x + 1900 : x + 2000;
            break;
        case S_LONG_MONTH:
            x = lookup_ci(&v, &vl, long_months, 12, 0);
            ok = x >= 0;
            month = x + 1;
            break;
        case S_MONTH:
            x = lookup_ci(&v, &vl, long_months, 12, 3);
            ok = x >= 0;
            month = x + 1;
            break;
        case S_NUM_MONTH:
        case S_ZERO_MONTH:
            ok = getnum(&v, &vl, k.std == S_ZERO_MONTH, &month);
            if (ok && (month <= 0 || month > 12))
                range = ": month out of range";
            break;
        case S_LONG_WEEKDAY:
            ok = lookup_ci(&v, &vl, long_days, 7, 0) >= 0;
            break;
        case S_WEEKDAY:
            ok = lookup_ci(&v, &vl, long_days, 7, 3) >= 0;
            break;
        case S_DAY:
        case S_UNDER_DAY:
        case S_ZERO_DAY:
            if (k.std == S_UNDER_DAY && vl > 0 && v[0] == ' ') {
                v++;
                vl--;
            }
            ok = getnum(&v, &vl, k.std == S_ZERO_DAY, &day);
            break;
        case S_UNDER_YDAY:
        case S_ZERO_YDAY:
            while (k.std == S_UNDER_YDAY && vl > 0 && v[0] == ' ') {
                v++;
                vl--;
            }
            ok = getdigits(&v, &vl, 3, &yday) || (k.std == S_UNDER_YDAY);
            break;
        case S_HOUR:
            ok = getnum(&v, &vl, false, &hour);
            if (ok && (hour < 0 || hour >= 24))
                range = ": hour out of range";
            break;
        case S_HOUR12:
        case S_ZERO_HOUR12:
            ok = getnum(&v, &vl, k.std == S_ZERO_HOUR12, &hour);
            if (ok && (hour < 0 || hour > 12))
                range = ": hour out of range";
            break;
        case S_MINUTE:
        case S_ZERO_MINUTE:
            ok = getnum(&v, &vl, k.std == S_ZERO_MINUTE, &min);
            if (ok && (min < 0 || min >= 60))
                range = ": minute out of range";
            break;
        case S_SECOND:
        case S_ZERO_SECOND:
            ok = getnum(&v, &vl, k.std == S_ZERO_SECOND, &sec);
            if (ok && (sec < 0 || sec >= 60)) {
                range = ": second out of range";
                break;
            }
            /* a fractional second the layout does not mention is accepted */
            if (ok && vl >= 2 && (v[0] == '.' || v[0] == ',') && v[1] >= '0' && v[1] <= '9') {
                struct chunk nk = next_chunk(l, ll);
                if (!(nk.prefix == 0 && (nk.std == S_FRAC0 || nk.std == S_FRAC9))) {
                    size_t n = 1;
                    while (n < vl && v[n] >= '0' && v[n] <= '9')
                        n++;
                    int64_t ns = 0;
                    for (size_t d = 1; d < n && d <= 9; d++)
                        ns = ns * 10 + (v[d] - '0');
                    for (size_t d = n > 10 ? 10 : n; d <= 9; d++)
                        ns *= 10;
                    nsec = (int)ns;
                    v += n;
                    vl -= n;
                }
            }
            break;
        case S_PM:
        case S_pm:
            if (vl >= 2 && (starts(v, vl, k.std == S_PM ? "PM" : "pm") ||
                            starts(v, vl, k.std == S_PM ? "AM" : "am"))) {
                pm = v[0] == 'P' || v[0] == 'p';
                v += 2;
                vl -= 2;
            } else {
                ok = false;
            }
            break;
        case S_ISO_TZ:
        case S_ISO_SHORT_TZ:
        case S_ISO_COLON_TZ:
        case S_ISO_SECS_TZ:
        case S_ISO_COLON_SECS_TZ:
            if (vl >= 1 && v[0] == 'Z') {
                v++;
                vl--;
                have_zone = true;
                z_utc = true;
                break;
            }
            /* fall through */
        case S_NUM_TZ:
        case S_NUM_SHORT_TZ:
        case S_NUM_COLON_TZ:
        case S_NUM_SECS_TZ:
        case S_NUM_COLON_SECS_TZ: {
            bool colon = k.std == S_ISO_COLON_TZ || k.std == S_NUM_COLON_TZ ||
                         k.std == S_ISO_COLON_SECS_TZ || k.std == S_NUM_COLON_SECS_TZ;
            bool secs = k.std == S_ISO_SECS_TZ || k.std == S_NUM_SECS_TZ ||
                        k.std == S_ISO_COLON_SECS_TZ || k.std == S_NUM_COLON_SECS_TZ;
            bool short_ = k.std == S_ISO_SHORT_TZ || k.std == S_NUM_SHORT_TZ;
            int hh = 0, mm = 0, ss = 0;
            if (vl < 3 || (v[0] != '+' && v[0] != '-')) {
                ok = false;
                break;
            }
            int sign = v[0] == '-' ? -1 : 1;
            v++;
            vl--;
            ok = getdigits(&v, &vl, 2, &hh);
            if (ok && !short_) {
                if (colon) {
                    ok = vl > 0 && v[0] == ':';
                    if (ok) {
                        v++;
                        vl--;
                    }
                }
                ok = ok && getdigits(&v, &vl, 2, &mm);
                if (ok && secs) {
                    if (colon) {
                        ok = vl > 0 && v[0] == ':';
                        if (ok) {
                            v++;
                            vl--;
                        }
                    }
                    ok = ok && getdigits(&v, &vl, 2, &ss);
                }
            }
            if (ok && (hh > 24 || mm > 60 || ss > 60))
                range = ": time zone offset out of range";
            have_zone = true;
            zoff = sign * (hh * 3600 + mm * 60 + ss);
            break;
        }
        case S_TZ: {
            /* three or more upper-case letters (or UTC / GMT+h) */
            size_t n = 0;
            if (vl >= 3 && starts(v, vl, "UTC")) {
                n = 3;
                z_utc = true;
            } else {
                while (n < vl && v[n] >= 'A' && v[n] <= 'Z')
                    n++;
                if (n < 3 || n > 5)
                    ok = false;
            }
            if (ok) {
                have_zone = true;
                snprintf(zname, sizeof(zname), "%.*s", (int)n, v);
                v += n;
                vl -= n;
            }
            break;
        }
        case S_FRAC0: {
            int n = k.digits;
            if (vl < (size_t)n + 1 || v[0] != lelem[0]) {
                ok = false;
                break;
            }
            int64_t ns = 0;
            for (int d = 1; d <= n && ok; d++) {
                ok = v[d] >= '0' && v[d] <= '9';
                if (d <= 9)
                    ns = ns * 10 + (v[d] - '0');
            }
            for (int d = n; d < 9; d++)
                ns *= 10;
            nsec = (int)ns;
            v += n + 1;
            vl -= (size_t)n + 1;
            break;
        }
        case S_FRAC9: {
            if (vl < 2 || (v[0] != '.' && v[0] != ',') || v[1] < '0' || v[1] > '9')
                break; /* optional */
            size_t n = 1;
            int64_t ns = 0;
            while (n < vl && v[n] >= '0' && v[n] <= '9') {
                if (n <= 9)
                    ns = ns * 10 + (v[n] - '0');
                n++;
            }
            for (size_t d = n > 10 ? 10 : n; d <= 9; d++)
                ns *= 10;
            nsec = (int)ns;
            v += n;
            vl -= n;
            break;
        }
        default:
            break;
        }
        if (range) {
            parse_error(e, value, vlen, NULL, 0, NULL, 0, NULL, 0, range);
            return false;
        }
        if (!ok) {
            parse_error(e, value, vlen, layout, llen, elem_v, elem_vl, lelem, k.len, NULL);
            return false;
        }
    }
    if (pm == 1 && hour < 12)
        hour += 12;
    else if (pm == 0 && hour == 12)
        hour = 0;
    if (yday >= 0) {
        if (yday < 1 || yday > (fd_time_days_in_month(year, 2) == 29 ? 366 : 365)) {
            parse_error(e, value, vlen, NULL, 0, NULL, 0, NULL, 0, ": day-of-year out of range");
            return false;
        }
        int64_t dd = fd_time_days_from_civil(year, 1, 1) + yday - 1;
        int64_t yy;
        int mm2, d2;
        fd_time_civil_from_days(dd, &yy, &mm2, &d2);
        if (month < 0)
            month = mm2;
        if (day < 0)
            day = d2;
    }
    if (month < 0)
        month = 1;
    if (day < 0)
        day = 1;
    if (day < 1 || day > fd_time_days_in_month(year, month)) {
        parse_error(e, value, vlen, NULL, 0, NULL, 0, NULL, 0, ": day out of range");
        return false;
    }
    int64_t wall = fd_time_days_from_civil(year, month, day) * 86400 + hour * 3600 + min * 60 + sec;
    /* the Location as time.parse sets it: the given one when the zone is
     * its own, else a FixedZone named by the abbreviation (or "") */
    if (z_utc) {
        *out = fd_expr_time_new(wall, nsec, 0, "UTC");
    } else if (have_zone && zname[0]) {
        /* an abbreviation: Go uses the location's offset if it knows the
         * name there, else offset 0 with that name */
        int64_t unix = wall_to_unix(wall, loc);
        struct fd_expr_bi_zone_rule r = zone_at(loc, unix, NULL, NULL);
        if (strcmp(r.abbr, zname) == 0)
            *out = fd_expr_bi_time_in(unix, nsec, loc);
        else
            *out = fd_expr_time_new_fixed(wall, nsec, 0, zname, zname);
    } else if (have_zone) {
        int64_t unix = wall - zoff;
        struct fd_expr_bi_zone_rule r = zone_at(loc, unix, NULL, NULL);
        if (r.offset == zoff && strcmp(loc->name, "UTC") != 0)
            *out = fd_expr_bi_time_in(unix, nsec, loc);
        else if (zoff == 0 && strcmp(loc->name, "UTC") == 0)
            *out = fd_expr_time_new(unix, nsec, 0, "UTC");
        else
            *out = fd_expr_time_new_fixed(unix, nsec, zoff, zoff == 0 ? "UTC" : NULL, "");
    } else {
        *out = fd_expr_bi_time_in(wall_to_unix(wall, loc), nsec, loc);
    }
    return true;
}

bool fd_expr_bi_parse_time(const char *layout, size_t llen, const char *value, size_t vlen,
                           const struct fd_expr_bi_location *loc, struct fd_expr_val *out,
                           char *err, size_t errlen)
{
    struct perr e;

    if (parse_time(layout, llen, value, vlen, loc, out, &e))
        return true;
    snprintf(err, errlen, "%s", e.msg);
    return false;
}

/* expr/builtins_time.c: now, duration, date, timezone and the Go methods of
 * time.Time and time.Duration (.Year(), .Format(), .Hours()...). Layouts,
 * zones and duration syntax live in builtins_timefmt.c.
 *
 * A *time.Location (what timezone() and .Location() return) is a time value
 * with nsec -1 whose loc holds the location's name (a fixed zone's offset
 * and abbreviation in offset and zone). */
#include "config.h"

#include "builtins.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NS_PER_SEC 1000000000LL

static bool location_of(struct fd_expr_ctx *ctx, struct fd_expr_val v,
                        struct fd_expr_bi_location *loc)
{
    if (!fd_expr_bi_location_load(v.u.t, loc))
        return fd_expr_fail(ctx, "unknown time zone %s", v.u.t->loc);
    return true;
}

/* ---- builtins -------------------------------------------------------------------------------- */

#define T(k)        \
    {               \
        k, FD_T_ANY \
    }
static const struct fd_expr_bi_sig sig_duration[] = {{1, {FD_P_STRING}, T(FD_T_DURATION)}};
/* elem FD_T_STRING marks a *time.Location among time types (fd_expr_tname) */
static const struct fd_expr_bi_sig sig_timezone[] = {{1, {FD_P_STRING}, {FD_T_TIME, FD_T_STRING}}};

FD_BI_CHECK(fd_expr_bi_duration_check)
{
    return fd_expr_bi_check_sigs(tc, "duration", sig_duration, 1, args, nargs, ret);
}

FD_BI_CHECK(fd_expr_bi_timezone_check)
{
    return fd_expr_bi_check_sigs(tc, "timezone", sig_timezone, 1, args, nargs, ret);
}

FD_BI_CHECK(fd_expr_bi_now_check)
{
    if (fd_expr_tctx_v115(tc) && nargs > 0) /* v1.15.5: Types func() time.Time */
        return fd_expr_check_fail(tc, -1, "too many arguments to call now");
    if (nargs == 0 || (nargs == 1 && (args[0].kind == FD_T_TIME || args[0].kind == FD_T_ANY))) {
        *ret = fd_expr_t(FD_T_TIME);
        return true;
    }
    return fd_expr_check_fail(tc, -1, "invalid number of arguments (expected 0, got %zu)", nargs);
}

/* v1.15.5 builtin.go: date(string[, layout[, zone]]) by three Go types */
static const struct fd_expr_bi_sig sig_date115[] = {
    {1, {FD_P_STRING}, {FD_T_TIME, FD_T_ANY}},
    {2, {FD_P_STRING, FD_P_STRING}, {FD_T_TIME, FD_T_ANY}},
    {3, {FD_P_STRING, FD_P_STRING, FD_P_STRING}, {FD_T_TIME, FD_T_ANY}},
};

FD_BI_CHECK(fd_expr_bi_date_check)
{
    size_t n = nargs;

    if (fd_expr_tctx_v115(tc))
        return fd_expr_bi_check_sigs(tc, "date", sig_date115, FD_ARRAY_SIZE(sig_date115), args,
                                     nargs, ret);
    if (nargs < 1)
        return fd_expr_check_fail(
            tc, -1, "invalid number of arguments (expected at least 1, got %zu)", nargs);
    if (args[0].kind == FD_T_TIME)
        n--;
    if (n > 3)
        return fd_expr_check_fail(tc, -1,
                                  "invalid number of arguments (expected at most 3, got %zu)", n);
    *ret = fd_expr_t(FD_T_TIME);
    return true;
}

FD_BI_CALL(fd_expr_bi_now)
{
    struct timespec ts;
    struct fd_expr_bi_location *loc;
    bool ok = true;

    clock_gettime(CLOCK_REALTIME, &ts);
    loc = fd_xmalloc(sizeof(*loc));
    /* builtin.go: no argument, or one *time.Location; v1.15.5's Func
     * ignored whatever it was given (an unknown callee's argument) */
    if (nargs == 1 && fd_expr_is_location(args[0]) && args[0].tag != FD_EXPR_TAG_LOCVAL &&
        !fd_expr_ctx_v115(ctx))
        ok = location_of(ctx, args[0], loc);
    else if (nargs > 0 && !fd_expr_ctx_v115(ctx))
        ok = fd_expr_fail(ctx, "invalid number of arguments (expected 0, got %zu)", nargs);
    else
        fd_expr_bi_load_location("Local", loc);
    if (ok)
        *out = fd_expr_bi_time_in((int64_t)ts.tv_sec, (int32_t)ts.tv_nsec, loc);
    free(loc);
    return ok;
}

FD_BI_CALL(fd_expr_bi_duration)
{
    const char *s;
    size_t len;
    int64_t d;
    char err[256];

    (void)nargs;
    if (!fd_expr_bi_arg_str(ctx, args[0], &s, &len))
        return false;
    if (!fd_go_parse_duration(s, len, &d, err, sizeof(err)))
        return fd_expr_fail(ctx, "%s", err);
    *out = fd_expr_duration(d);
    return true;
}

FD_BI_CALL(fd_expr_bi_timezone)
{
    const char *s;
    size_t len;
    struct fd_expr_bi_location *loc = fd_xmalloc(sizeof(*loc));
    bool ok;

    (void)nargs;
    if (!fd_expr_bi_arg_str(ctx, args[0], &s, &len)) {
        free(loc);
        return false;
    }
    ok = strlen(s) == len && fd_expr_bi_load_location(s, loc);
    free(loc);
    if (!ok)
        return fd_expr_fail(ctx, "unknown time zone %s", s);
    *out = fd_expr_bi_location_value(*s ? s : "UTC");
    return true;
}

/* builtin date(): the default layouts when none is given. */
FD_BI_CALL(fd_expr_bi_date)
{
    static const char *const layouts[] = {
        "2006-01-02",
        "15:04:05",
        "2006-01-02 15:04:05",
        "2006-01-02T15:04:05Z07:00",
        "02 Jan 06 15:04 MST",
        "Monday, 02-Jan-06 15:04:05 MST",
        "Mon, 02 Jan 2006 15:04:05 MST",
    };
    struct fd_expr_bi_location *loc = fd_xmalloc(sizeof(*loc));
    const char *s, *layout, *zone_name;
    size_t len, llen, zone_len;
    char err[512];
    bool ok = false;

    fd_expr_bi_load_location("UTC", loc);
    /* (a time.Location, dereferenced, is no *time.Location: a string then) */
    if (nargs > 0 && fd_expr_is_location(args[0]) && args[0].tag != FD_EXPR_TAG_LOCVAL) {
        if (!location_of(ctx, args[0], loc))
            goto out;
        args++;
        nargs--;
    }
    if (nargs < 1) { /* builtin.go: args[0] of no arguments (the checker lets a
                      * lone Location or an unchecked call through) */
        fd_expr_fail(ctx, "runtime error: index out of range [0] with length 0");
        goto out;
    }
    if (!fd_expr_bi_arg_str(ctx, args[0], &s, &len))
        goto out;
    if (nargs > 3) /* neither two nor three (an unchecked call): the known layouts */
        nargs = 1;
    if (nargs >= 2) {
        if (!fd_expr_bi_arg_str(ctx, args[1], &layout, &llen))
            goto out;
        if (nargs == 3) {
            if (!fd_expr_bi_arg_str(ctx, args[2], &zone_name, &zone_len))
                goto out;
            if (!fd_expr_bi_load_location(zone_name, loc)) {
                fd_expr_fail(ctx, "unknown time zone %s", zone_name);
                goto out;
            }
        }
        ok = fd_expr_bi_parse_time(layout, llen, s, len, loc, out, err, sizeof(err));
        if (!ok)
            fd_expr_fail(ctx, "%s", err);
        goto out;
    }
    for (size_t i = 0; i < FD_ARRAY_SIZE(layouts) && !ok; i++)
        ok = fd_expr_bi_parse_time(layouts[i], strlen(layouts[i]), s, len, loc, out, err,
                                   sizeof(err));
    if (!ok)
        fd_expr_fail(ctx, "invalid date %s", s);
out:
    free(loc);
    return ok;
}

/* ---- methods --------------------------------------------------------------------------------- */

/* checker.go checkArguments for a method's parameters (args[0] is the
 * receiver; the builtin table counted them), params[i - 1] for args[i],
 * the last for the rest: an unknown argument passes, and v1.15.5 lets a
 * nil and any integer (time.Duration being one by its Kind) through to the
 * VM. */
static bool method_params_check(struct fd_expr_tctx *tc, const char *name,
                                const struct fd_expr_type *args, size_t nargs,
                                const struct fd_expr_type *params, size_t nparams,
                                enum fd_expr_tkind result, struct fd_expr_type *ret)
{
    bool v115 = fd_expr_tctx_v115(tc);
    for (size_t i = 1; i < nargs; i++) {
        struct fd_expr_type a = args[i], param = params[i - 1 < nparams ? i - 1 : nparams - 1];
        if (a.kind == FD_T_ANY)
            continue;
        if (a.kind == FD_T_NIL) { /* a pointer or an interface takes it */
            if (v115 || fd_expr_t_location(param))
                continue;
            return fd_expr_check_fail(tc, (int)i - 1,
                                      "cannot use nil as argument (type %s) to call %s",
                                      fd_expr_tname(param), name);
        }
        /* (an integer of another Kind than int64: int, uint8, time.Month) */
        if (v115 && param.kind == FD_T_DURATION &&
            ((a.kind == FD_T_INT && a.elem != FD_T_INT64) || a.kind == FD_T_MONTH ||
             a.kind == FD_T_WEEKDAY)) {
            /* traverseAndReplaceIntegerNodesWithIntegerNodes: a literal is
             * an int64 now, which OpCallTyped's assertion refuses */
            fd_expr_check_int64_arg(tc, i, nargs);
            continue;
        }
        bool fits = a.kind == param.kind &&
                    (param.kind != FD_T_TIME ||
                     (fd_expr_t_location(a) == fd_expr_t_location(param) &&
                      fd_expr_t_location_struct(a) == fd_expr_t_location_struct(param)));
        if (!fits)
            return fd_expr_check_fail(tc, (int)i - 1,
                                      "cannot use %s as argument (type %s) to call %s ",
                                      fd_expr_tname(a), fd_expr_tname(param), name);
    }
    *ret = fd_expr_t(result);
    return true;
}

/* ... of a method whose parameters are all of one type */
static bool method_check(struct fd_expr_tctx *tc, const char *name, const struct fd_expr_type *args,
                         size_t nargs, struct fd_expr_type param, enum fd_expr_tkind result,
                         struct fd_expr_type *ret)
{
    return method_params_check(tc, name, args, nargs, &param, 1, result, ret);
}

/* One check per method: expr's messages name the method. */
#define MCHECK(fn, name, param, result)                                            \
    FD_BI_CHECK(fn)                                                                \
    {                                                                              \
        return method_check(tc, name, args, nargs, fd_expr_t(param), result, ret); \
    }
/* a method that returns an int64 */
#define MCHECK64(fn, name)                                                            \
    FD_BI_CHECK(fn)                                                                   \
    {                                                                                 \
        if (!method_check(tc, name, args, nargs, fd_expr_t(FD_T_ANY), FD_T_INT, ret)) \
            return false;                                                             \
        ret->elem = FD_T_INT64;                                                       \
        return true;                                                                  \
    }
MCHECK(fd_expr_bi_m_year_check, "Year", FD_T_ANY, FD_T_INT)
MCHECK(fd_expr_bi_m_month_check, "Month", FD_T_ANY, FD_T_MONTH)
MCHECK(fd_expr_bi_m_day_check, "Day", FD_T_ANY, FD_T_INT)
MCHECK(fd_expr_bi_m_hour_check, "Hour", FD_T_ANY, FD_T_INT)
MCHECK(fd_expr_bi_m_minute_check, "Minute", FD_T_ANY, FD_T_INT)
MCHECK(fd_expr_bi_m_second_check, "Second", FD_T_ANY, FD_T_INT)
MCHECK(fd_expr_bi_m_nanosecond_check, "Nanosecond", FD_T_ANY, FD_T_INT)
MCHECK(fd_expr_bi_m_weekday_check, "Weekday", FD_T_ANY, FD_T_WEEKDAY)
MCHECK(fd_expr_bi_m_enum_string_check, "String", FD_T_ANY, FD_T_STRING)
MCHECK(fd_expr_bi_m_yearday_check, "YearDay", FD_T_ANY, FD_T_INT)
MCHECK64(fd_expr_bi_m_unix_check, "Unix")
MCHECK64(fd_expr_bi_m_unixmilli_check, "UnixMilli")
MCHECK64(fd_expr_bi_m_unixnano_check, "UnixNano")
MCHECK(fd_expr_bi_m_format_check, "Format", FD_T_STRING, FD_T_STRING)
MCHECK(fd_expr_bi_m_time_string_check, "String", FD_T_ANY, FD_T_STRING)
MCHECK(fd_expr_bi_m_utc_check, "UTC", FD_T_ANY, FD_T_TIME)
MCHECK(fd_expr_bi_m_local_check, "Local", FD_T_ANY, FD_T_TIME)
FD_BI_CHECK(fd_expr_bi_m_in_check)
{
    struct fd_expr_type location = fd_expr_t(FD_T_TIME);
    location.elem = FD_T_STRING; /* In(loc *time.Location) */
    return method_check(tc, "In", args, nargs, location, FD_T_TIME, ret);
}
FD_BI_CHECK(fd_expr_bi_m_location_check)
{
    if (!method_check(tc, "Location", args, nargs, fd_expr_t(FD_T_ANY), FD_T_TIME, ret))
        return false;
    ret->elem = FD_T_STRING; /* a *time.Location */
    return true;
}
MCHECK(fd_expr_bi_m_add_check, "Add", FD_T_DURATION, FD_T_TIME)
MCHECK(fd_expr_bi_m_sub_check, "Sub", FD_T_TIME, FD_T_DURATION)
MCHECK(fd_expr_bi_m_add_date_check, "AddDate", FD_T_INT, FD_T_TIME)
MCHECK(fd_expr_bi_m_after_check, "After", FD_T_TIME, FD_T_BOOL)
MCHECK(fd_expr_bi_m_before_check, "Before", FD_T_TIME, FD_T_BOOL)
MCHECK(fd_expr_bi_m_equal_check, "Equal", FD_T_TIME, FD_T_BOOL)
MCHECK(fd_expr_bi_m_is_zero_check, "IsZero", FD_T_ANY, FD_T_BOOL)
MCHECK(fd_expr_bi_m_t_truncate_check, "Truncate", FD_T_DURATION, FD_T_TIME)
MCHECK(fd_expr_bi_m_t_round_check, "Round", FD_T_DURATION, FD_T_TIME)
MCHECK64(fd_expr_bi_m_unixmicro_check, "UnixMicro")
MCHECK(fd_expr_bi_m_compare_check, "Compare", FD_T_TIME, FD_T_INT)
MCHECK(fd_expr_bi_m_go_string_check, "GoString", FD_T_ANY, FD_T_STRING)
MCHECK(fd_expr_bi_m_zone_check, "Zone", FD_T_ANY, FD_T_STRING)
MCHECK(fd_expr_bi_m_iso_week_check, "ISOWeek", FD_T_ANY, FD_T_INT)
MCHECK(fd_expr_bi_m_is_dst_check, "IsDST", FD_T_ANY, FD_T_BOOL)
MCHECK(fd_expr_bi_m_zone_bounds_check, "ZoneBounds", FD_T_ANY, FD_T_TIME)
MCHECK(fd_expr_bi_m_marshal_json_check, "MarshalJSON", FD_T_ANY, FD_T_BYTES)
MCHECK(fd_expr_bi_m_marshal_text_check, "MarshalText", FD_T_ANY, FD_T_BYTES)
/* checkArguments: a Go func of three results */
#define THREE_RESULTS(fn, name)                                                          \
    FD_BI_CHECK(fn)                                                                      \
    {                                                                                    \
        (void)args;                                                                      \
        (void)nargs;                                                                     \
        (void)ret;                                                                       \
        return fd_expr_check_fail(tc, -1, "func " name " returns more then two values"); \
    }
THREE_RESULTS(fd_expr_bi_m_clock_check, "Clock")
THREE_RESULTS(fd_expr_bi_m_date_check, "Date")
MCHECK(fd_expr_bi_m_marshal_binary_check, "MarshalBinary", FD_T_ANY, FD_T_BYTES)
MCHECK(fd_expr_bi_m_gob_encode_check, "GobEncode", FD_T_ANY, FD_T_BYTES)
/* AppendFormat(b []byte, layout string) []byte */
FD_BI_CHECK(fd_expr_bi_m_append_format_check)
{
    const struct fd_expr_type params[] = {fd_expr_t(FD_T_BYTES), fd_expr_t(FD_T_STRING)};
    return method_params_check(tc, "AppendFormat", args, nargs, params, 2, FD_T_BYTES, ret);
}
MCHECK(fd_expr_bi_m_hours_check, "Hours", FD_T_ANY, FD_T_FLOAT)
MCHECK(fd_expr_bi_m_minutes_check, "Minutes", FD_T_ANY, FD_T_FLOAT)
MCHECK(fd_expr_bi_m_seconds_check, "Seconds", FD_T_ANY, FD_T_FLOAT)
MCHECK64(fd_expr_bi_m_milliseconds_check, "Milliseconds")
MCHECK64(fd_expr_bi_m_microseconds_check, "Microseconds")
MCHECK64(fd_expr_bi_m_nanoseconds_check, "Nanoseconds")
MCHECK(fd_expr_bi_m_dur_string_check, "String", FD_T_ANY, FD_T_STRING)
MCHECK(fd_expr_bi_m_dur_abs_check, "Abs", FD_T_ANY, FD_T_DURATION)
MCHECK(fd_expr_bi_m_d_truncate_check, "Truncate", FD_T_DURATION, FD_T_DURATION)
MCHECK(fd_expr_bi_m_d_round_check, "Round", FD_T_DURATION, FD_T_DURATION)

/* ---- How a method meets its arguments ---- */

/* The Go types of time's method parameters. */
enum mparam { MP_DURATION, MP_TIME, MP_STRING, MP_LOCATION, MP_INT };
static const char *const mparam_names[] = {[MP_DURATION] = "time.Duration",
                                           [MP_TIME] = "time.Time",
                                           [MP_STRING] = "string",
                                           [MP_LOCATION] = "*time.Location",
                                           [MP_INT] = "int"};

static bool mparam_fits(struct fd_expr_val v, enum mparam p)
{
    switch (p) {
    case MP_DURATION:
        return v.kind == FD_VAL_DURATION;
    case MP_TIME:
        return v.kind == FD_VAL_TIME && !fd_expr_is_location(v);
    case MP_STRING:
        return v.kind == FD_VAL_STRING;
    case MP_LOCATION:
        return fd_expr_is_location(v) && v.tag != FD_EXPR_TAG_LOCVAL;
    case MP_INT:
        return v.kind == FD_VAL_INT && v.tag == 0;
    }
    return false;
}

enum { ARG_FAILED = -1, ARG_ZERO = 0, ARG_OK = 1 };

/* Argument v of a parameter of type p, as the VM passes it. A checked call
 * of a Go signature vm/func_types lists (typed: Add, Sub, After, Format...)
 * is OpCallTyped, a type assertion; any other (In, AddDate, and every
 * method of a receiver the checker did not know: fd_expr_ctx_reflect_call)
 * is reflect's Call (vm.go OpCall), where v1.17 makes a nil the parameter's
 * zero value (ARG_ZERO) and v1.15.5 passes it as an interface {}. ARG_OK,
 * or ARG_FAILED with the run error recorded. */
static int method_arg(struct fd_expr_ctx *ctx, struct fd_expr_val v, enum mparam p, bool typed)
{
    if (mparam_fits(v, p))
        return ARG_OK;
    const char *want = mparam_names[p];
    if (typed && !fd_expr_ctx_reflect_call(ctx)) {
        fd_expr_fail(ctx, "interface conversion: interface {} is %s, not %s",
                     v.kind == FD_VAL_NIL ? "nil" : fd_expr_go_type(v), want);
        return ARG_FAILED;
    }
    if (v.kind == FD_VAL_NIL && !fd_expr_ctx_v115(ctx))
        return ARG_ZERO;
    fd_expr_fail(ctx, "reflect: Call using %s as type %s",
                 v.kind == FD_VAL_NIL ? "interface {}" : fd_expr_go_type(v), want);
    return ARG_FAILED;
}

static bool dur_arg(struct fd_expr_ctx *ctx, struct fd_expr_val v, int64_t *ns)
{
    int r = method_arg(ctx, v, MP_DURATION, true);
    *ns = r == ARG_OK ? v.u.i : 0;
    return r != ARG_FAILED;
}

/* Go's zero time.Time, January 1 of year 1, UTC: Unix seconds */
#define ZERO_TIME_UNIX (-62135596800LL)

/* A time argument (typed: see method_arg): *t OWNED, the zero time.Time
 * for a nil reflect zeroes. */
static bool time_arg(struct fd_expr_ctx *ctx, struct fd_expr_val v, bool typed,
                     struct fd_expr_val *t)
{
    int r = method_arg(ctx, v, MP_TIME, typed);
    if (r == ARG_FAILED)
        return false;
    *t = r == ARG_OK ? fd_expr_val_ref(v) : fd_expr_time_new(ZERO_TIME_UNIX, 0, 0, NULL);
    return true;
}

static bool recv_time(struct fd_expr_ctx *ctx, const struct fd_expr_val *args, size_t nargs,
                      size_t want, struct fd_expr_bi_civil *c)
{
    if (nargs != want + 1 || args[0].kind != FD_VAL_TIME)
        return fd_expr_fail(ctx, "invalid method call on %s", fd_expr_go_type(args[0]));
    if (c)
        *c = fd_expr_bi_to_civil(args[0].u.t);
    return true;
}

#define CIVIL_METHOD(fn, expr_)                  \
    FD_BI_CALL(fn)                               \
    {                                            \
        struct fd_expr_bi_civil c;               \
        if (!recv_time(ctx, args, nargs, 0, &c)) \
            return false;                        \
        *out = fd_expr_int(expr_);               \
        return true;                             \
    }
CIVIL_METHOD(fd_expr_bi_m_year, c.year)
FD_BI_CALL(fd_expr_bi_m_month)
{
    struct fd_expr_bi_civil c;
    if (!recv_time(ctx, args, nargs, 0, &c))
        return false;
    *out = fd_expr_tagged_int(c.month, FD_EXPR_TAG_MONTH);
    return true;
}
FD_BI_CALL(fd_expr_bi_m_weekday)
{
    struct fd_expr_bi_civil c;
    if (!recv_time(ctx, args, nargs, 0, &c))
        return false;
    *out = fd_expr_tagged_int(c.wday, FD_EXPR_TAG_WEEKDAY);
    return true;
}
/* time.Month.String() and time.Weekday.String() */
FD_BI_CALL(fd_expr_bi_m_enum_string)
{
    struct fd_buf b = FD_BUF_INIT;
    if (nargs != 1 || !fd_expr_named_int(args[0]))
        return fd_expr_fail(ctx, "invalid method call on %s", fd_expr_go_type(args[0]));
    fd_expr_format(&b, args[0]);
    *out = fd_expr_str_from_buf(&b);
    return true;
}
CIVIL_METHOD(fd_expr_bi_m_day, c.day)
CIVIL_METHOD(fd_expr_bi_m_hour, c.hour)
CIVIL_METHOD(fd_expr_bi_m_minute, c.min)
CIVIL_METHOD(fd_expr_bi_m_second, c.sec)
CIVIL_METHOD(fd_expr_bi_m_nanosecond, c.nsec)
CIVIL_METHOD(fd_expr_bi_m_yearday, c.yday)

static int64_t unix_ns(const struct fd_expr_time *t)
{
    return (int64_t)((uint64_t)t->sec * (uint64_t)NS_PER_SEC + (uint64_t)t->nsec);
}

FD_BI_CALL(fd_expr_bi_m_unix)
{
    if (!recv_time(ctx, args, nargs, 0, NULL))
        return false;
    *out = fd_expr_tagged_int(args[0].u.t->sec, FD_EXPR_TAG_INT64);
    return true;
}

FD_BI_CALL(fd_expr_bi_m_unixmilli)
{
    if (!recv_time(ctx, args, nargs, 0, NULL))
        return false;
    *out = fd_expr_tagged_int(args[0].u.t->sec * 1000 + args[0].u.t->nsec / 1000000,
                              FD_EXPR_TAG_INT64);
    return true;
}

FD_BI_CALL(fd_expr_bi_m_unixnano)
{
    if (!recv_time(ctx, args, nargs, 0, NULL))
        return false;
    *out = fd_expr_tagged_int(unix_ns(args[0].u.t), FD_EXPR_TAG_INT64);
    return true;
}

FD_BI_CALL(fd_expr_bi_m_format)
{
    const char *l;
    size_t len;
    struct fd_buf b = FD_BUF_INIT;

    if (!recv_time(ctx, args, nargs, 1, NULL))
        return false;
    int r = method_arg(ctx, args[1], MP_STRING, true);
    if (r == ARG_FAILED)
        return false;
    l = r == ARG_OK ? args[1].u.s->data : "";
    len = r == ARG_OK ? args[1].u.s->len : 0;
    fd_expr_bi_format_layout(&b, args[0].u.t, l, len);
    *out = fd_expr_str_from_buf(&b); /* (frees b, empty or not) */
    return true;
}

FD_BI_CALL(fd_expr_bi_m_time_string)
{
    struct fd_buf b = FD_BUF_INIT;

    if (nargs >= 1 && fd_expr_is_location(args[0])) { /* Location.String(): its name */
        *out = fd_expr_str_cstr(args[0].u.t->loc);
        return true;
    }
    if (!recv_time(ctx, args, nargs, 0, NULL))
        return false;
    fd_expr_format_time(&b, args[0].u.t);
    *out = fd_expr_str_from_buf(&b);
    return true;
}

FD_BI_CALL(fd_expr_bi_m_utc)
{
    if (!recv_time(ctx, args, nargs, 0, NULL))
        return false;
    *out = fd_expr_time_new(args[0].u.t->sec, args[0].u.t->nsec, 0, "UTC");
    return true;
}

FD_BI_CALL(fd_expr_bi_m_local)
{
    struct fd_expr_bi_location *loc;

    if (!recv_time(ctx, args, nargs, 0, NULL))
        return false;
    loc = fd_xmalloc(sizeof(*loc));
    fd_expr_bi_load_location("Local", loc);
    *out = fd_expr_bi_time_in(args[0].u.t->sec, args[0].u.t->nsec, loc);
    free(loc);
    return true;
}

FD_BI_CALL(fd_expr_bi_m_location)
{
    if (!recv_time(ctx, args, nargs, 0, NULL))
        return false;
    *out = fd_expr_bi_location_of(args[0].u.t);
    return true;
}

FD_BI_CALL(fd_expr_bi_m_in)
{
    struct fd_expr_bi_location *loc;
    bool ok;

    if (!recv_time(ctx, args, nargs, 1, NULL))
        return false;
    /* not in vm/func_types: reflect's Call; a nil *time.Location panics */
    int r = method_arg(ctx, args[1], MP_LOCATION, false);
    if (r == ARG_FAILED)
        return false;
    if (r == ARG_ZERO || !fd_expr_is_location(args[1]))
        return fd_expr_fail(ctx, "time: missing Location in call to Time.In");
    loc = fd_xmalloc(sizeof(*loc));
    ok = location_of(ctx, args[1], loc);
    if (ok)
        *out = fd_expr_bi_time_in(args[0].u.t->sec, args[0].u.t->nsec, loc);
    free(loc);
    return ok;
}

struct fd_expr_val fd_expr_bi_time_shift(const struct fd_expr_time *t, int64_t ns)
{
    int64_t sec = t->sec + ns / NS_PER_SEC;
    int64_t nsec = t->nsec + ns % NS_PER_SEC;

    if (nsec < 0) {
        nsec += NS_PER_SEC;
        sec--;
    } else if (nsec >= NS_PER_SEC) {
        nsec -= NS_PER_SEC;
        sec++;
    }
    return fd_expr_bi_time_at(t, sec, (int32_t)nsec);
}

FD_BI_CALL(fd_expr_bi_m_add)
{
    int64_t ns = 0;

    if (!recv_time(ctx, args, nargs, 1, NULL) || !dur_arg(ctx, args[1], &ns))
        return false;
    *out = fd_expr_bi_time_shift(args[0].u.t, ns);
    return true;
}

int64_t fd_expr_bi_time_sub(const struct fd_expr_time *t, const struct fd_expr_time *u)
{
    int64_t dsec, d;

    /* Go computes it wrapping and keeps it when u + d is t; exactly, that is
     * when nothing overflowed. Else the bound on t's side of u. */
    if (!__builtin_sub_overflow(t->sec, u->sec, &dsec) &&
        !__builtin_mul_overflow(dsec, (int64_t)NS_PER_SEC, &d) &&
        !__builtin_add_overflow(d, (int64_t)t->nsec - u->nsec, &d))
        return d;
    bool before = t->sec < u->sec || (t->sec == u->sec && t->nsec < u->nsec);
    return before ? INT64_MIN : INT64_MAX;
}

/* Time.Sub saturates at the Duration range. */
FD_BI_CALL(fd_expr_bi_m_sub)
{
    struct fd_expr_val other;
    if (!recv_time(ctx, args, nargs, 1, NULL) || !time_arg(ctx, args[1], true, &other))
        return false;
    *out = fd_expr_duration(fd_expr_bi_time_sub(args[0].u.t, other.u.t));
    fd_expr_val_release(&other);
    return true;
}

FD_BI_CALL(fd_expr_bi_m_add_date)
{
    struct fd_expr_bi_civil c;
    int64_t dy, dm, dd;

    if (!recv_time(ctx, args, nargs, 3, &c))
        return false;
    int64_t d[3];
    for (int i = 0; i < 3; i++) { /* not in vm/func_types: reflect's Call */
        int r = method_arg(ctx, args[i + 1], MP_INT, false);
        if (r == ARG_FAILED)
            return false;
        d[i] = r == ARG_OK ? args[i + 1].u.i : 0;
    }
    dy = d[0];
    dm = d[1];
    dd = d[2];
    if (llabs(dy) > 1000000 || llabs(dm) > 12000000 || llabs(dd) > 400000000)
        return fd_expr_fail(ctx, "time: AddDate out of range");
    /* Go's Date normalises month and day overflow */
    int64_t m0 = (int64_t)c.month - 1 + dm;
    int64_t y = c.year + dy + fd_expr_bi_floor_div(m0, 12);
    int m = (int)(m0 - fd_expr_bi_floor_div(m0, 12) * 12) + 1;
    int64_t days = fd_time_days_from_civil(y, m, 1) + c.day - 1 + dd;
    int64_t wall = days * 86400 + c.hour * 3600 + c.min * 60 + c.sec;
    *out = fd_expr_bi_date_in(args[0].u.t, wall, args[0].u.t->nsec);
    return true;
}

static int time_cmp(const struct fd_expr_time *a, const struct fd_expr_time *b)
{
    if (a->sec != b->sec)
        return a->sec < b->sec ? -1 : 1;
    return a->nsec < b->nsec ? -1 : a->nsec > b->nsec ? 1 : 0;
}

#define CMP_METHOD(fn, test)                                                                \
    FD_BI_CALL(fn)                                                                          \
    {                                                                                       \
        struct fd_expr_val other;                                                           \
        if (!recv_time(ctx, args, nargs, 1, NULL) || !time_arg(ctx, args[1], true, &other)) \
            return false;                                                                   \
        int cmp = time_cmp(args[0].u.t, other.u.t);                                         \
        fd_expr_val_release(&other);                                                        \
        *out = fd_expr_bool(test);                                                          \
        return true;                                                                        \
    }
CMP_METHOD(fd_expr_bi_m_after, cmp > 0)
CMP_METHOD(fd_expr_bi_m_before, cmp < 0)
CMP_METHOD(fd_expr_bi_m_equal, cmp == 0)

FD_BI_CALL(fd_expr_bi_m_is_zero)
{
    if (!recv_time(ctx, args, nargs, 0, NULL))
        return false;
    /* Go's zero Time is January 1, year 1, 00:00:00 UTC */
    *out = fd_expr_bool(args[0].u.t->sec == ZERO_TIME_UNIX && args[0].u.t->nsec == 0);
    return true;
}

FD_BI_CALL(fd_expr_bi_m_unixmicro)
{
    if (!recv_time(ctx, args, nargs, 0, NULL))
        return false;
    *out = fd_expr_tagged_int(args[0].u.t->sec * 1000000 + args[0].u.t->nsec / 1000,
                              FD_EXPR_TAG_INT64);
    return true;
}

/* Time.Compare: -1, 0 or +1 (not in vm/func_types: reflect's Call) */
FD_BI_CALL(fd_expr_bi_m_compare)
{
    struct fd_expr_val other;

    if (!recv_time(ctx, args, nargs, 1, NULL) || !time_arg(ctx, args[1], false, &other))
        return false;
    int cmp = time_cmp(args[0].u.t, other.u.t);
    fd_expr_val_release(&other);
    *out = fd_expr_int(cmp < 0 ? -1 : cmp > 0);
    return true;
}

/* t's Location is time.UTC itself (not a zone of offset 0) */
static bool time_in_utc(const struct fd_expr_time *t)
{
    return t->locid == 0 && !t->fixed && strcmp(t->loc, "UTC") == 0;
}

/* Time.GoString: a Go expression that makes the time */
FD_BI_CALL(fd_expr_bi_m_go_string)
{
    struct fd_expr_bi_civil c;
    struct fd_buf b = FD_BUF_INIT;

    if (!recv_time(ctx, args, nargs, 0, &c))
        return false;
    const struct fd_expr_time *t = args[0].u.t;
    fd_buf_printf(&b, "time.Date(%lld, time.", (long long)c.year);
    fd_expr_format(&b, fd_expr_tagged_int(c.month, FD_EXPR_TAG_MONTH));
    fd_buf_printf(&b, ", %d, %d, %d, %d, %d, ", c.day, c.hour, c.min, c.sec, c.nsec);
    if (time_in_utc(t))
        fd_buf_puts(&b, "time.UTC");
    else if (t->locid == 1)
        fd_buf_puts(&b, "time.Local");
    else {
        fd_buf_puts(&b, "time.Location(");
        fd_expr_bi_go_quote(&b, t->loc, strlen(t->loc));
        fd_buf_putc(&b, ')');
    }
    fd_buf_putc(&b, ')');
    *out = fd_expr_str_from_buf(&b);
    return true;
}

/* Time.Zone's first result: the zone's name ("" for an unnamed FixedZone) */
FD_BI_CALL(fd_expr_bi_m_zone)
{
    if (!recv_time(ctx, args, nargs, 0, NULL))
        return false;
    const struct fd_expr_time *t = args[0].u.t;
    *out = fd_expr_str_cstr(t->fixed && !t->loc[0] ? "" : t->zone);
    return true;
}

/* Time.ISOWeek's first result: the year of the Thursday of t's week */
FD_BI_CALL(fd_expr_bi_m_iso_week)
{
    struct fd_expr_bi_civil c;

    if (!recv_time(ctx, args, nargs, 0, &c))
        return false;
    int d = 4 - c.wday; /* Thursday - weekday, Sunday ending the week */
    if (d == 4)
        d = -3;
    struct fd_expr_time thursday = *args[0].u.t;
    thursday.sec += (int64_t)d * 86400;
    *out = fd_expr_int(fd_expr_bi_to_civil(&thursday).year);
    return true;
}

FD_BI_CALL(fd_expr_bi_m_is_dst)
{
    bool isdst, has_start;
    int64_t start;

    if (!recv_time(ctx, args, nargs, 0, NULL))
        return false;
    fd_expr_bi_zone_period(args[0].u.t, &isdst, &has_start, &start);
    *out = fd_expr_bool(isdst);
    return true;
}

/* Time.ZoneBounds' first result: when t's zone period began, in t's
 * location (the zero Time for one that always was) */
FD_BI_CALL(fd_expr_bi_m_zone_bounds)
{
    bool isdst, has_start;
    int64_t start;

    if (!recv_time(ctx, args, nargs, 0, NULL))
        return false;
    fd_expr_bi_zone_period(args[0].u.t, &isdst, &has_start, &start);
    if (!has_start) {
        *out = fd_expr_time_new(ZERO_TIME_UNIX, 0, 0, NULL);
        return true;
    }
    struct fd_expr_bi_location *loc = fd_xmalloc(sizeof(*loc));
    bool ok = fd_expr_bi_load_location(args[0].u.t->loc, loc);
    if (ok) {
        *out = fd_expr_bi_time_in(start, 0, loc);
        out->u.t->locid = args[0].u.t->locid;
    }
    free(loc);
    return ok || fd_expr_fail(ctx, "unknown time zone %s", args[0].u.t->loc);
}

/* Time.MarshalJSON and MarshalText: RFC 3339 with nanoseconds, as bytes */
static bool marshal_time(struct fd_expr_ctx *ctx, const struct fd_expr_val *args, size_t nargs,
                         const char *method, bool quoted, struct fd_expr_val *out)
{
    struct fd_expr_bi_civil c;
    static const char rfc3339nano[] = "2006-01-02T15:04:05.999999999Z07:00";
    struct fd_buf b = FD_BUF_INIT;

    if (!recv_time(ctx, args, nargs, 0, &c))
        return false;
    if (c.year < 0 || c.year > 9999)
        return fd_expr_fail(ctx, "Time.%s: year outside of range [0,9999]", method);
    if (quoted)
        fd_buf_putc(&b, '"');
    fd_expr_bi_format_layout(&b, args[0].u.t, rfc3339nano, sizeof(rfc3339nano) - 1);
    if (quoted)
        fd_buf_putc(&b, '"');
    *out = fd_expr_bytes_new(b.data ? b.data : "", b.len);
    fd_buf_free(&b);
    return true;
}

FD_BI_CALL(fd_expr_bi_m_marshal_json)
{
    return marshal_time(ctx, args, nargs, "MarshalJSON", true, out);
}

FD_BI_CALL(fd_expr_bi_m_marshal_text)
{
    return marshal_time(ctx, args, nargs, "MarshalText", false, out);
}

/* Time.MarshalBinary and GobEncode (time.go appendBinary): version 1 (2
 * when the offset has seconds), seconds since year 1 and nanoseconds big
 * endian, the offset in minutes (-1: UTC) */
static bool marshal_binary(struct fd_expr_ctx *ctx, const struct fd_expr_val *args, size_t nargs,
                           struct fd_expr_val *out)
{
    if (!recv_time(ctx, args, nargs, 0, NULL))
        return false;
    const struct fd_expr_time *t = args[0].u.t;
    unsigned char b[16];
    int32_t offset = t->offset, offset_min = -1;
    uint8_t version = 1;
    if (!time_in_utc(t)) {
        if (offset % 60 != 0)
            version = 2;
        offset_min = offset / 60;
        if (offset_min < -32768 || offset_min == -1 || offset_min > 32767)
            return fd_expr_fail(ctx, "Time.MarshalBinary: unexpected zone offset");
    }
    uint64_t sec = (uint64_t)t->sec - (uint64_t)ZERO_TIME_UNIX;
    b[0] = version;
    for (int i = 0; i < 8; i++)
        b[1 + i] = (unsigned char)(sec >> (56 - 8 * i));
    for (int i = 0; i < 4; i++)
        b[9 + i] = (unsigned char)((uint32_t)t->nsec >> (24 - 8 * i));
    b[13] = (unsigned char)((uint16_t)offset_min >> 8);
    b[14] = (unsigned char)(uint16_t)offset_min;
    b[15] = (unsigned char)(int8_t)(offset % 60);
    *out = fd_expr_bytes_new((const char *)b, version == 2 ? 16 : 15);
    return true;
}

FD_BI_CALL(fd_expr_bi_m_marshal_binary)
{
    return marshal_binary(ctx, args, nargs, out);
}

/* Time.AppendFormat(b []byte, layout string): b and t in layout (not in
 * vm/func_types: reflect's Call) */
FD_BI_CALL(fd_expr_bi_m_append_format)
{
    struct fd_buf b = FD_BUF_INIT;

    if (!recv_time(ctx, args, nargs, 2, NULL))
        return false;
    /* reflect: v1.17 makes a nil the nil []uint8, v1.15.5 passes an interface {} */
    if (args[1].kind != FD_VAL_BYTES && (args[1].kind != FD_VAL_NIL || fd_expr_ctx_v115(ctx)))
        return fd_expr_fail(ctx, "reflect: Call using %s as type []uint8",
                            args[1].kind == FD_VAL_NIL ? "interface {}" : fd_expr_go_type(args[1]));
    int r = method_arg(ctx, args[2], MP_STRING, false);
    if (r == ARG_FAILED)
        return false;
    if (args[1].kind == FD_VAL_BYTES)
        fd_buf_append(&b, args[1].u.s->data, args[1].u.s->len);
    if (r == ARG_OK)
        fd_expr_bi_format_layout(&b, args[0].u.t, args[2].u.s->data, args[2].u.s->len);
    *out = fd_expr_bytes_new(b.data ? b.data : "", b.len);
    fd_buf_free(&b);
    return true;
}

FD_BI_CALL(fd_expr_bi_m_gob_encode)
{
    return marshal_binary(ctx, args, nargs, out);
}

/* Time.Clock and Time.Date return three values: the checker refuses them,
 * reflect's Call (an unknown receiver) keeps the first */
CIVIL_METHOD(fd_expr_bi_m_clock, c.hour)
CIVIL_METHOD(fd_expr_bi_m_date, c.year)

/* Time.Truncate rounds down relative to the zero Time, which is a whole
 * number of days from the Unix epoch, so days-multiple durations align. */
/* Time.Truncate and Time.Round (time.go): t rounded down, or to the
 * nearest (halfway up), to a multiple of d since the zero time; t itself
 * for d <= 0. */
static bool time_to_multiple(struct fd_expr_ctx *ctx, const struct fd_expr_val *args, size_t nargs,
                             bool round, struct fd_expr_val *out)
{
    int64_t d = 0;

    if (!recv_time(ctx, args, nargs, 1, NULL) || !dur_arg(ctx, args[1], &d))
        return false;
    if (d <= 0) {
        *out = fd_expr_val_ref(args[0]);
        return true;
    }
    const struct fd_expr_time *t = args[0].u.t;
    /* nanoseconds since year 1 fit in 128 bits; div's remainder is never
     * negative */
    __int128 since = ((__int128)t->sec - ZERO_TIME_UNIX) * NS_PER_SEC + t->nsec;
    __int128 r = since % d;
    if (r < 0)
        r += d;
    /* lessThanHalf: r + r < d, as uint64s */
    __int128 to = round && !((uint64_t)r + (uint64_t)r < (uint64_t)d) ? since - r + d : since - r;
    __int128 total = to + (__int128)ZERO_TIME_UNIX * NS_PER_SEC;
    int64_t sec = (int64_t)(total / NS_PER_SEC);
    int64_t ns = (int64_t)(total % NS_PER_SEC);
    if (ns < 0) {
        ns += NS_PER_SEC;
        sec--;
    }
    *out = fd_expr_bi_time_at(t, sec, (int32_t)ns);
    return true;
}

FD_BI_CALL(fd_expr_bi_m_t_truncate)
{
    return time_to_multiple(ctx, args, nargs, false, out);
}

FD_BI_CALL(fd_expr_bi_m_t_round)
{
    return time_to_multiple(ctx, args, nargs, true, out);
}

static bool recv_dur(struct fd_expr_ctx *ctx, const struct fd_expr_val *args, size_t nargs,
                     size_t want)
{
    if (nargs != want + 1 || args[0].kind != FD_VAL_DURATION)
        return fd_expr_fail(ctx, "invalid method call on %s", fd_expr_go_type(args[0]));
    return true;
}

/* Duration.Hours etc.: whole units plus the remainder as a fraction. */
static double dur_units(int64_t d, int64_t unit)
{
    int64_t whole = d / unit, rest = d % unit;
    return (double)whole + (double)rest / (double)unit;
}

#define DUR_FLOAT(fn, unit)                                 \
    FD_BI_CALL(fn)                                          \
    {                                                       \
        if (!recv_dur(ctx, args, nargs, 0))                 \
            return false;                                   \
        *out = fd_expr_float(dur_units(args[0].u.i, unit)); \
        return true;                                        \
    }
DUR_FLOAT(fd_expr_bi_m_hours, 3600 * NS_PER_SEC)
DUR_FLOAT(fd_expr_bi_m_minutes, 60 * NS_PER_SEC)
DUR_FLOAT(fd_expr_bi_m_seconds, NS_PER_SEC)

#define DUR_INT(fn, unit)                                                   \
    FD_BI_CALL(fn)                                                          \
    {                                                                       \
        if (!recv_dur(ctx, args, nargs, 0))                                 \
            return false;                                                   \
        *out = fd_expr_tagged_int(args[0].u.i / (unit), FD_EXPR_TAG_INT64); \
        return true;                                                        \
    }
DUR_INT(fd_expr_bi_m_milliseconds, 1000000)
DUR_INT(fd_expr_bi_m_microseconds, 1000)
DUR_INT(fd_expr_bi_m_nanoseconds, 1)

FD_BI_CALL(fd_expr_bi_m_dur_string)
{
    struct fd_buf b = FD_BUF_INIT;

    if (!recv_dur(ctx, args, nargs, 0))
        return false;
    fd_expr_format_duration(&b, args[0].u.i);
    *out = fd_expr_str_from_buf(&b);
    return true;
}

FD_BI_CALL(fd_expr_bi_m_dur_abs)
{
    int64_t d;

    if (!recv_dur(ctx, args, nargs, 0))
        return false;
    d = args[0].u.i;
    *out = fd_expr_duration(d >= 0 ? d : d == INT64_MIN ? INT64_MAX : -d);
    return true;
}

FD_BI_CALL(fd_expr_bi_m_d_truncate)
{
    int64_t d, m = 0;

    if (!recv_dur(ctx, args, nargs, 1) || !dur_arg(ctx, args[1], &m))
        return false;
    d = args[0].u.i;
    *out = fd_expr_duration(m <= 0 ? d : d - d % m);
    return true;
}

/* Duration.Round: halfway values away from zero, saturating. */
FD_BI_CALL(fd_expr_bi_m_d_round)
{
    int64_t d, m = 0, r;
    __int128 d1;

    if (!recv_dur(ctx, args, nargs, 1) || !dur_arg(ctx, args[1], &m))
        return false;
    d = args[0].u.i;
    if (m <= 0) {
        *out = fd_expr_duration(d);
        return true;
    }
    r = d % m;
    if (d < 0) {
        r = -r;
        if ((uint64_t)r + (uint64_t)r < (uint64_t)m) {
            *out = fd_expr_duration(d + r);
            return true;
        }
        d1 = (__int128)d - m + r;
        *out = fd_expr_duration(d1 >= INT64_MIN ? (int64_t)d1 : INT64_MIN);
        return true;
    }
    if ((uint64_t)r + (uint64_t)r < (uint64_t)m) {
        *out = fd_expr_duration(d - r);
        return true;
    }
    d1 = (__int128)d + m - r;
    *out = fd_expr_duration(d1 <= INT64_MAX ? (int64_t)d1 : INT64_MAX);
    return true;
}

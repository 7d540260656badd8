/* expr/format.c: Go's fmt %v, strconv.FormatFloat, Duration.String and
 * Time.String, so string() and error messages print what expr prints. */
#include "config.h"

#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* time.fmtFrac: writes v's prec fractional digits backwards ending at
 * buf[w), dropping trailing zeros and the dot when all are zero. Returns the
 * new start; *rest gets v without them. */
static int fmt_frac(char *buf, int w, uint64_t v, int prec, uint64_t *rest)
{
    bool print = false;

    for (int i = 0; i < prec; i++) {
        int digit = (int)(v % 10);
        print = print || digit != 0;
        if (print)
            buf[--w] = (char)('0' + digit);
        v /= 10;
    }
    if (print)
        buf[--w] = '.';
    *rest = v;
    return w;
}

/* time.fmtInt: writes v in decimal backwards ending at buf[w) ("0" for 0).
 * Returns the new start. */
static int fmt_int(char *buf, int w, uint64_t v)
{
    if (v == 0)
        buf[--w] = '0';
    for (; v > 0; v /= 10)
        buf[--w] = (char)('0' + v % 10);
    return w;
}

void fd_expr_format_duration(struct fd_buf *b, int64_t ns)
{
    /* A port of time.Duration.String. */
    char buf[32];
    int w = (int)sizeof(buf);
    uint64_t u = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;
    bool neg = ns < 0;

    buf[--w] = 's';
    if (u < 1000000000ULL) {
        /* Under a second: ns, µs or ms with a fraction. */
        int prec;
        if (u == 0) {
            fd_buf_puts(b, "0s");
            return;
        } else if (u < 1000ULL) {
            prec = 0;
            buf[--w] = 'n';
        } else if (u < 1000000ULL) {
            prec = 3;
            w -= 2; /* U+00B5 micro sign */
            memcpy(&buf[w], "\xc2\xb5", 2);
        } else {
            prec = 6;
            buf[--w] = 'm';
        }
        w = fmt_frac(buf, w, u, prec, &u);
        w = fmt_int(buf, w, u);
    } else {
        /* Seconds with a fraction, then minutes and hours when present. */
        w = fmt_frac(buf, w, u, 9, &u);
        w = fmt_int(buf, w, u % 60);
        u /= 60;
        if (u > 0) {
            buf[--w] = 'm';
            w = fmt_int(buf, w, u % 60);
            u /= 60;
            if (u > 0) {
                buf[--w] = 'h';
                w = fmt_int(buf, w, u);
            }
        }
    }
    if (neg)
        buf[--w] = '-';
    fd_buf_append(b, buf + w, sizeof(buf) - (size_t)w);
}

static void put_date_time(struct fd_buf *b, const struct fd_expr_time *t, char sep)
{
    int64_t local = t->sec + t->offset;
    int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
    int64_t rem = local - days * 86400;
    int64_t y;
    int m, d;

    fd_time_civil_from_days(days, &y, &m, &d);
    /* appendInt(year, 4): the sign, then at least four digits */
    fd_buf_printf(b, "%s%04lld-%02d-%02d%c%02d:%02d:%02d", y < 0 ? "-" : "",
                  (long long)(y < 0 ? -y : y), m, d, sep, (int)(rem / 3600), (int)(rem / 60 % 60),
                  (int)(rem % 60));
}

static void put_frac(struct fd_buf *b, int32_t nsec)
{
    if (nsec == 0)
        return;
    char f[16];
    snprintf(f, sizeof(f), "%09d", (int)nsec);
    size_t n = 9;
    while (n > 0 && f[n - 1] == '0')
        n--;
    fd_buf_putc(b, '.');
    fd_buf_append(b, f, n);
}

void fd_expr_format_time(struct fd_buf *b, const struct fd_expr_time *t)
{
    int32_t a = t->offset < 0 ? -t->offset : t->offset;

    put_date_time(b, t, ' ');
    put_frac(b, t->nsec);
    fd_buf_printf(b, " %c%02d%02d %s", t->offset < 0 ? '-' : '+', (int)(a / 3600),
                  (int)(a / 60 % 60), t->zone);
}

void fd_expr_format_time_rfc3339(struct fd_buf *b, const struct fd_expr_time *t)
{
    int32_t a = t->offset < 0 ? -t->offset : t->offset;

    put_date_time(b, t, 'T');
    put_frac(b, t->nsec);
    if (t->offset == 0)
        fd_buf_putc(b, 'Z');
    else
        fd_buf_printf(b, "%c%02d:%02d", t->offset < 0 ? '-' : '+', (int)(a / 3600),
                      (int)(a / 60 % 60));
}

/* fmt's badVerb for %s of a value with no String method: %!s(int=1). */
static void bad_verb_s(struct fd_buf *b, struct fd_expr_val v)
{
    fd_buf_printf(b, "%%!s(%s=", fd_expr_go_type(v));
    fd_expr_format(b, v);
    fd_buf_putc(b, ')');
}

/* fmt's printValue with verb v or s. Values with a String method (Month,
 * Weekday, Duration, Time, *time.Location) print it under both verbs; under
 * %s a []byte prints as text, a string as it is, and other scalars go to
 * badVerb; a nil is %!s(<nil>) as the operand itself, <nil> inside a slice or
 * map (printValue of an interface holding nothing). */
static void format_value(struct fd_buf *b, struct fd_expr_val v, bool verb_s, int depth);

/* A pointer as fmt prints one it calls no method of: its address, which
 * stands for nothing here; "0x1", as for a func. */
static void format_pointer(struct fd_buf *b, struct fd_expr_val v, bool verb_s)
{
    if (verb_s)
        fd_buf_printf(b, "%%!s(%s=0x1)", fd_expr_tname(fd_expr_type_of(v)));
    else
        fd_buf_puts(b, "0x1");
}

/* One of the Go structs as fmt prints it. A pointer to one of Kargo's
 * (*GitCommit, *Image, *Chart) has the String() method gogo/protobuf
 * generated for it:
 * `&Image{RepoURL:r,Tag:t,Digest:d,Annotations:map[string]string{k: v,},}`,
 * "nil" for a nil one; a struct value (FreightOrigin, the artifact
 * reference) prints its fields' values: `{Warehouse checkout}`; a pointer
 * without String() (sortBy's *runtime.SortBy) the same after a '&' at the
 * top (print.go printValue), its address below. */
static void format_struct(struct fd_buf *b, struct fd_expr_val v, bool verb_s, int depth)
{
    const struct fd_expr_map *m = v.u.m;
    const char *name;
    size_t n = 0;
    const struct fd_expr_gofield *f = fd_expr_gostruct_fields(m->gostruct, &name, &n);
    bool ptr = fd_expr_is_struct_ptr(v); /* (dereferenced: the struct) */

    if (m->isnil) {
        fd_buf_puts(b, ptr ? "nil" : "<nil>");
        return;
    }
    if (ptr && !fd_expr_gostruct_stringer(m->gostruct)) {
        if (depth > 0) {
            format_pointer(b, v, verb_s);
            return;
        }
        fd_buf_putc(b, '&');
        ptr = false;
    }
    if (ptr) {
        const char *dot = strchr(name, '.');
        fd_buf_printf(b, "&%s{", dot ? dot + 1 : name);
    } else {
        fd_buf_putc(b, '{');
    }
    for (size_t i = 0; i < n; i++) {
        struct fd_expr_val fv;
        if (!fd_expr_map_get(m, f[i].go, strlen(f[i].go), &fv))
            continue;
        if (!ptr) {
            if (i)
                fd_buf_putc(b, ' ');
            format_value(b, fv, verb_s, depth + 1);
            continue;
        }
        fd_buf_printf(b, "%s:", f[i].go);
        if (fv.kind == FD_VAL_MAP) { /* sorted keys, "k: v," each */
            fd_buf_puts(b, "map[string]string{");
            for (size_t k = 0; k < fv.u.m->len; k++) {
                fd_buf_append(b, fv.u.m->e[k].key->data, fv.u.m->e[k].key->len);
                fd_buf_puts(b, ": ");
                format_value(b, fv.u.m->e[k].val, verb_s, depth + 1);
                fd_buf_putc(b, ',');
            }
            fd_buf_putc(b, '}');
        } else {
            format_value(b, fv, verb_s, depth + 1);
        }
        fd_buf_putc(b, ',');
    }
    fd_buf_putc(b, '}');
}

static void format_value(struct fd_buf *b, struct fd_expr_val v, bool verb_s, int depth)
{
    if (verb_s) {
        switch (v.kind) {
        case FD_VAL_NIL:
            fd_buf_puts(b, depth ? "<nil>" : "%!s(<nil>)");
            return;
        case FD_VAL_BOOL:
        case FD_VAL_FLOAT:
            bad_verb_s(b, v);
            return;
        case FD_VAL_INT:
            if (!fd_expr_named_int(v)) {
                bad_verb_s(b, v);
                return;
            }
            break;
        case FD_VAL_BYTES:
            fd_buf_append(b, v.u.s->data, v.u.s->len);
            return;
        default:
            break;
        }
    }
    switch (v.kind) {
    case FD_VAL_NIL:
        fd_buf_puts(b, "<nil>");
        break;
    case FD_VAL_BOOL:
        fd_buf_puts(b, v.u.b ? "true" : "false");
        break;
    case FD_VAL_INT:
        if (fd_expr_named_int(v)) { /* time.Month.String(), time.Weekday.String() */
            static const char *const months[] = {"January",   "February", "March",    "April",
                                                 "May",       "June",     "July",     "August",
                                                 "September", "October",  "November", "December"};
            static const char *const days[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                               "Thursday", "Friday", "Saturday"};
            bool month = v.tag == FD_EXPR_TAG_MONTH;
            int64_t i = month ? v.u.i - 1 : v.u.i;
            if (i >= 0 && i < (month ? 12 : 7))
                fd_buf_puts(b, month ? months[i] : days[i]);
            else
                fd_buf_printf(b, "%%!%s(%lld)", month ? "Month" : "Weekday", (long long)v.u.i);
            break;
        }
        fd_expr_put_int(b, v);
        break;
    case FD_VAL_FLOAT:
        fd_go_format_float(b, v.u.f, 'g');
        break;
    case FD_VAL_STRING: /* a *semver.Version prints its String() */
        if (!fd_expr_is_semver(v) || !fd_expr_semver_string(b, v.u.s->data, v.u.s->len))
            fd_buf_append(b, v.u.s->data, v.u.s->len);
        break;
    case FD_VAL_BYTES: /* fmt's %v of a []uint8: [97 98] */
        fd_buf_putc(b, '[');
        for (size_t i = 0; i < v.u.s->len; i++)
            fd_buf_printf(b, i ? " %u" : "%u", (unsigned)(unsigned char)v.u.s->data[i]);
        fd_buf_putc(b, ']');
        break;
    case FD_VAL_DURATION:
        fd_expr_format_duration(b, v.u.i);
        break;
    case FD_VAL_TIME:
        /* a *time.Location prints Location.String(), its name; one
         * dereferenced prints the struct, whose zone tables and cache
         * pointer only time.UTC's is free of (doc/upstream.md) */
        if (fd_expr_is_location(v) && v.tag == FD_EXPR_TAG_LOCVAL && v.u.t->locid == 0)
            fd_buf_puts(b, "{UTC [] []  0 0 <nil>}");
        else if (fd_expr_is_location(v))
            fd_buf_puts(b, v.u.t->loc);
        else
            fd_expr_format_time(b, v.u.t);
        break;
    case FD_VAL_ARRAY:
        fd_buf_putc(b, '[');
        for (size_t i = 0; i < v.u.a->len; i++) {
            if (i)
                fd_buf_putc(b, ' ');
            format_value(b, fd_expr_arr_get(v.u.a, i), verb_s, depth + 1);
        }
        fd_buf_putc(b, ']');
        break;
    case FD_VAL_MAP:
        if (v.u.m->gostruct) {
            format_struct(b, v, verb_s, depth);
            break;
        }
        fd_buf_puts(b, "map[");
        for (size_t i = 0; i < v.u.m->len; i++) {
            if (i)
                fd_buf_putc(b, ' ');
            if (v.u.m->anykey)
                format_value(b, v.u.m->e[i].kval, verb_s, depth + 1);
            else
                fd_buf_append(b, v.u.m->e[i].key->data, v.u.m->e[i].key->len);
            fd_buf_putc(b, ':');
            format_value(b, v.u.m->e[i].val, verb_s, depth + 1);
        }
        fd_buf_putc(b, ']');
        break;
    case FD_VAL_FUNC: /* Go prints a func's address, %s in its bad-verb form */
        format_pointer(b, v, verb_s);
        break;
    default:
        break;
    }
}

void fd_expr_format(struct fd_buf *b, struct fd_expr_val v)
{
    format_value(b, v, false, 0);
}

void fd_expr_format_s(struct fd_buf *b, struct fd_expr_val v)
{
    format_value(b, v, true, 0);
}

/* expr/builtins_conversion.c: type, string, toJSON, fromJSON, toBase64,
 * fromBase64, and the Go conversions the builtins share: strconv's number
 * and bool parsing, strconv.Quote, and encoding/json's output. The JSON
 * writer is ours because Go's text (shortest floats, "1e+21", HTML-escaped
 * <>&, sorted keys) is what users see and jansson's differs; parsing goes
 * through jansson. */
#include "config.h"

#include "builtins.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T_STR                 \
    {                         \
        FD_T_STRING, FD_T_ANY \
    }
static const struct fd_expr_bi_sig sig_any_str[] = {{1, {FD_P_ANY}, T_STR}};
static const struct fd_expr_bi_sig sig_str_any[] = {{1, {FD_P_STRING}, {FD_T_ANY, FD_T_ANY}}};
static const struct fd_expr_bi_sig sig_str_str[] = {{1, {FD_P_STRING}, T_STR}};

FD_BI_CHECK(fd_expr_bi_type_check)
{
    return fd_expr_bi_check_sigs(tc, "type", sig_any_str, 1, args, nargs, ret);
}

FD_BI_CHECK(fd_expr_bi_string_check)
{
    return fd_expr_bi_check_sigs(tc, "string", sig_any_str, 1, args, nargs, ret);
}

FD_BI_CHECK(fd_expr_bi_to_json_check)
{
    return fd_expr_bi_check_sigs(tc, "toJSON", sig_any_str, 1, args, nargs, ret);
}

FD_BI_CHECK(fd_expr_bi_from_json_check)
{
    return fd_expr_bi_check_sigs(tc, "fromJSON", sig_str_any, 1, args, nargs, ret);
}

FD_BI_CHECK(fd_expr_bi_to_base64_check)
{
    return fd_expr_bi_check_sigs(tc, "toBase64", sig_str_str, 1, args, nargs, ret);
}

FD_BI_CHECK(fd_expr_bi_from_base64_check)
{
    return fd_expr_bi_check_sigs(tc, "fromBase64", sig_str_str, 1, args, nargs, ret);
}

/* ---- strconv ------------------------------------------------------------------------- */

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

int fd_expr_bi_parse_int(const char *s, size_t len, int64_t *out)
{
    size_t i = 0;
    bool neg = false;
    uint64_t v = 0, lim;

    if (i < len && (s[i] == '+' || s[i] == '-'))
        neg = s[i++] == '-';
    if (i == len)
        return 1;
    lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    bool range = false;
    for (; i < len; i++) {
        if (!is_digit(s[i]))
            return 1;
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (lim - d) / 10)
            range = true;
        else
            v = v * 10 + d;
    }
    if (range)
        return 2;
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return 0;
}

int fd_expr_bi_parse_bool(const char *s, size_t len)
{
    static const char *const yes[] = {"1", "t", "T", "TRUE", "true", "True"};
    static const char *const no[] = {"0", "f", "F", "FALSE", "false", "False"};

    for (size_t i = 0; i < FD_ARRAY_SIZE(yes); i++) {
        if (strlen(yes[i]) == len && memcmp(yes[i], s, len) == 0)
            return 1;
        if (strlen(no[i]) == len && memcmp(no[i], s, len) == 0)
            return 0;
    }
    return -1;
}

void fd_expr_bi_go_quote(struct fd_buf *b, const char *s, size_t len)
{
    size_t w;

    fd_buf_putc(b, '"');
    for (size_t i = 0; i < len; i += w) {
        uint32_t r = fd_expr_utf8_decode(s + i, len - i, &w);

        if (r == 0xFFFD && w == 1) {
            fd_buf_printf(b, "\\x%02x", (unsigned char)s[i]);
            continue;
        }
        const char *esc = fd_go_short_escape(r, true);
        if (esc) {
            fd_buf_puts(b, esc);
            continue;
        }
        if (fd_unicode_is_print(r)) /* strconv.IsPrint */
            fd_buf_append(b, s + i, w);
        else if (r < 0x80)
            fd_buf_printf(b, "\\x%02x", (unsigned)r);
        else if (r < 0x10000)
            fd_buf_printf(b, "\\u%04x", (unsigned)r);
        else
            fd_buf_printf(b, "\\U%08x", (unsigned)r);
    }
    fd_buf_putc(b, '"');
}

char *fd_expr_go_quote(const char *s, size_t len)
{
    struct fd_buf b = FD_BUF_INIT;

    fd_expr_bi_go_quote(&b, s, len);
    return fd_buf_steal(&b);
}

/* ---- encoding/json -------------------------------------------------------------------- */

/* Go: 'f' format unless the magnitude is < 1e-6 or >= 1e21, then 'e' with
 * a one-digit negative exponent squeezed ("1e-07" -> "1e-7"). */
static bool json_float(struct fd_buf *b, double f, const char **err)
{
    double a = fabs(f);

    if (isnan(f) || isinf(f)) {
        *err = isnan(f) ? "json: unsupported value: NaN"
               : f > 0  ? "json: unsupported value: +Inf"
                        : "json: unsupported value: -Inf";
        return false;
    }
    if (a != 0 && (a < 1e-6 || a >= 1e21)) {
        size_t start = b->len;
        fd_go_format_float(b, f, 'e');
        size_t n = b->len - start;
        char *p = b->data + start;
        if (n >= 4 && p[n - 4] == 'e' && p[n - 3] == '-' && p[n - 2] == '0') {
            p[n - 2] = p[n - 1];
            b->len--;
            b->data[b->len] = '\0';
        }
    } else {
        fd_go_format_float(b, f, 'f');
    }
    return true;
}

static void newline(struct fd_buf *b, int indent, int depth)
{
    if (indent == 0)
        return;
    fd_buf_putc(b, '\n');
    for (int i = 0; i < indent * depth; i++)
        fd_buf_putc(b, ' ');
}

static bool json_value(struct fd_buf *b, struct fd_expr_val v, int indent, int depth,
                       const char **err);

/* One of Kargo's structs as encoding/json writes it: its fields in
 * declaration order under their tags' names, the empty ones of an
 * omitempty tag left out. */
static bool json_struct(struct fd_buf *b, const struct fd_expr_map *m, int indent, int depth,
                        const char **err)
{
    const char *name;
    size_t n = 0, put = 0;
    const struct fd_expr_gofield *f = fd_expr_gostruct_fields(m->gostruct, &name, &n);

    fd_buf_putc(b, '{');
    for (size_t i = 0; i < n; i++) {
        struct fd_expr_val fv;
        if (!fd_expr_map_get(m, f[i].go, strlen(f[i].go), &fv))
            continue;
        bool empty = (fv.kind == FD_VAL_STRING && fv.u.s->len == 0) ||
                     (fv.kind == FD_VAL_MAP && fv.u.m->len == 0);
        if (f[i].omitempty && empty)
            continue;
        if (put++ > 0)
            fd_buf_putc(b, ',');
        newline(b, indent, depth + 1);
        fd_go_json_string(b, f[i].json, strlen(f[i].json), true);
        fd_buf_puts(b, indent ? ": " : ":");
        if (!json_value(b, fv, indent, depth + 1, err))
            return false;
    }
    if (put > 0)
        newline(b, indent, depth);
    fd_buf_putc(b, '}');
    return true;
}

static bool json_value(struct fd_buf *b, struct fd_expr_val v, int indent, int depth,
                       const char **err)
{
    if (v.kind == FD_VAL_MAP && v.u.m->gostruct && !v.u.m->isnil)
        return json_struct(b, v.u.m, indent, depth, err);
    /* a nil slice or map is null, but for a map encoding/json has no
     * encoder for (its type decides first: v1.15.5's groupBy of nothing) */
    if (v.kind != FD_VAL_NIL && fd_expr_is_go_nil(v) && !(v.kind == FD_VAL_MAP && v.u.m->anykey)) {
        fd_buf_puts(b, "null");
        return true;
    }
    switch (v.kind) {
    case FD_VAL_NIL:
        fd_buf_puts(b, "null");
        return true;
    case FD_VAL_BOOL:
        fd_buf_puts(b, v.u.b ? "true" : "false");
        return true;
    case FD_VAL_INT:
    case FD_VAL_DURATION:
        fd_expr_put_int(b, v);
        return true;
    case FD_VAL_FLOAT:
        return json_float(b, v.u.f, err);
    case FD_VAL_STRING: {
        /* a *semver.Version's MarshalJSON: its String(), quoted */
        struct fd_buf t = FD_BUF_INIT;
        if (fd_expr_is_semver(v) && fd_expr_semver_string(&t, v.u.s->data, v.u.s->len))
            fd_go_json_string(b, t.data, t.len, true);
        else
            fd_go_json_string(b, v.u.s->data, v.u.s->len, true);
        fd_buf_free(&t);
        return true;
    }
    case FD_VAL_BYTES: { /* encoding/json: a []byte is its base64 */
        char *text = fd_base64_encode(v.u.s->data, v.u.s->len);
        fd_go_json_string(b, text, strlen(text), true);
        free(text);
        return true;
    }
    case FD_VAL_TIME: {
        struct fd_buf t = FD_BUF_INIT;
        if (fd_expr_is_location(v)) { /* no exported fields */
            fd_buf_puts(b, "{}");
            return true;
        }
        int64_t year = fd_expr_bi_to_civil(v.u.t).year;
        if (year < 0 || year > 9999) {
            *err = "json: error calling MarshalJSON for type time.Time: Time.MarshalJSON: year "
                   "outside of range [0,9999]";
            return false;
        }
        fd_expr_format_time_rfc3339(&t, v.u.t);
        fd_go_json_string(b, fd_buf_cstr(&t), t.len, true);
        fd_buf_free(&t);
        return true;
    }
    case FD_VAL_ARRAY:
        fd_buf_putc(b, '[');
        for (size_t i = 0; i < v.u.a->len; i++) {
            if (i > 0)
                fd_buf_putc(b, ',');
            newline(b, indent, depth + 1);
            if (!json_value(b, fd_expr_arr_get(v.u.a, i), indent, depth + 1, err))
                return false;
        }
        if (v.u.a->len > 0)
            newline(b, indent, depth);
        fd_buf_putc(b, ']');
        return true;
    case FD_VAL_MAP:
        if (v.u.m->anykey) { /* encoding/json has no interface {} keys */
            *err = v.u.m->anyvals ? "json: unsupported type: map[interface {}]interface {}"
                                  : "json: unsupported type: map[interface {}][]interface {}";
            return false;
        }
        fd_buf_putc(b, '{');
        for (size_t i = 0; i < v.u.m->len; i++) {
            const struct fd_expr_map_entry *e = &v.u.m->e[i];
            if (i > 0)
                fd_buf_putc(b, ',');
            newline(b, indent, depth + 1);
            fd_go_json_string(b, e->key->data, e->key->len, true);
            fd_buf_puts(b, indent ? ": " : ":");
            if (!json_value(b, e->val, indent, depth + 1, err))
                return false;
        }
        if (v.u.m->len > 0)
            newline(b, indent, depth);
        fd_buf_putc(b, '}');
        return true;
    default: { /* a function: encoding/json's UnsupportedTypeError */
        static _Thread_local char msg[160];
        snprintf(msg, sizeof(msg), "json: unsupported type: %s", fd_expr_go_type(v));
        *err = msg;
        return false;
    }
    }
}

bool fd_expr_bi_json(struct fd_buf *b, struct fd_expr_val v, int indent, const char **err)
{
    return json_value(b, v, indent, 0, err);
}

/* ---- type, string, toJSON, fromJSON ------------------------------------------------------ */

FD_BI_CALL(fd_expr_bi_type)
{
    (void)ctx;
    (void)nargs;
    *out = fd_expr_str_cstr(fd_expr_is_location(args[0]) ? "time.Location"
                                                         : fd_expr_type_name(args[0]));
    return true;
}

FD_BI_CALL(fd_expr_bi_string)
{
    struct fd_buf b = FD_BUF_INIT;

    (void)ctx;
    (void)nargs;
    if (args[0].kind == FD_VAL_STRING && !args[0].tag) { /* a Go string: itself */
        *out = fd_expr_val_ref(args[0]);
        return true;
    }
    fd_expr_format(&b, args[0]);
    *out = fd_expr_str_from_buf(&b); /* (frees b, empty or not) */
    return true;
}

FD_BI_CALL(fd_expr_bi_to_json)
{
    struct fd_buf b = FD_BUF_INIT;
    const char *err = NULL;

    (void)nargs;
    if (!fd_expr_bi_json(&b, args[0], 2, &err)) {
        fd_buf_free(&b);
        return fd_expr_fail(ctx, "%s", err);
    }
    if (b.len > FD_EXPR_MAX_STRING) {
        fd_buf_free(&b);
        return fd_expr_fail(ctx, "memory budget exceeded");
    }
    *out = fd_expr_str_from_buf(&b);
    return true;
}

FD_BI_CALL(fd_expr_bi_from_json)
{
    const char *s;
    size_t len;
    char err[256];

    (void)nargs;
    if (!fd_expr_bi_arg_str(ctx, args[0], &s, &len))
        return false;
    if (!fd_expr_go_json_decode(s, len, out, err, sizeof(err)))
        return fd_expr_fail(ctx, "%s", err);
    return true;
}

/* ---- base64 (encoding/base64.StdEncoding) --------------------------------------------- */
/* Encoding is util's (libcrypto); decoding stays here: Go's decoder names the
 * offset of the first bad byte, which libcrypto does not report. */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

FD_BI_CALL(fd_expr_bi_to_base64)
{
    const char *s;
    size_t len;

    (void)nargs;
    if (!fd_expr_bi_arg_str(ctx, args[0], &s, &len))
        return false;
    if (len / 3 * 4 > FD_EXPR_MAX_STRING)
        return fd_expr_fail(ctx, "memory budget exceeded");
    char *enc = fd_base64_encode(s, len);
    *out = fd_expr_str_new(enc, strlen(enc));
    free(enc);
    return true;
}

static int b64_value(char c)
{
    const char *p = c ? strchr(b64, c) : NULL;
    return p ? (int)(p - b64) : -1;
}

/* Go's decoder: '\r' and '\n' are skipped, padding is required, and an
 * error names the offset of the offending input byte. */
FD_BI_CALL(fd_expr_bi_from_base64)
{
    const char *s;
    size_t len, si = 0;
    struct fd_buf b = FD_BUF_INIT;

    (void)nargs;
    if (!fd_expr_bi_arg_str(ctx, args[0], &s, &len))
        return false;
    for (;;) {
        uint32_t q = 0;
        int j = 0;
        size_t bad = SIZE_MAX;

        while (j < 4) {
            while (si < len && (s[si] == '\r' || s[si] == '\n'))
                si++;
            if (si == len) {
                if (j == 0)
                    goto done;
                bad = si - (size_t)j;
                break;
            }
            char c = s[si++];
            int v = b64_value(c);
            if (v >= 0) {
                q = q << 6 | (uint32_t)v;
                j++;
                continue;
            }
            if (c != '=' || j < 2) {
                bad = si - 1;
                break;
            }
            /* padding: "x=" needs a second '=' after two symbols */
            if (j == 2) {
                while (si < len && (s[si] == '\r' || s[si] == '\n'))
                    si++;
                if (si == len || s[si] != '=') {
                    bad = si == len ? len : si;
                    break;
                }
                si++;
            }
            while (si < len && (s[si] == '\r' || s[si] == '\n'))
                si++;
            if (si < len) {
                bad = si;
                break;
            }
            q <<= 6 * (4 - j);
            fd_buf_putc(&b, (char)(q >> 16));
            if (j == 3)
                fd_buf_putc(&b, (char)(q >> 8));
            goto done;
        }
        if (bad != SIZE_MAX) {
            fd_buf_free(&b);
            return fd_expr_fail(ctx, "illegal base64 data at input byte %zu", bad);
        }
        fd_buf_putc(&b, (char)(q >> 16));
        fd_buf_putc(&b, (char)(q >> 8));
        fd_buf_putc(&b, (char)q);
    }
done:
    *out = fd_expr_str_from_buf(&b); /* (frees b, empty or not) */
    return true;
}

/* expr/gojson.c: Go's json.Unmarshal into an interface {}, which expr's
 * fromJSON calls (builtin/builtin.go), so that freightdeck accepts what Go
 * accepts, decodes it as Go does and refuses the rest with Go's message.
 *
 * encoding/json first runs its scanner over the whole input (checkValid in
 * scanner.go) and reports the first byte it refuses: "invalid character
 * 'x' after array element". The states below are that scanner's, one for
 * one, with its messages. Then it decodes (decode.go, valueInterface):
 * objects are map[string]interface {} (a later key replaces an earlier
 * one), arrays []interface {}, numbers float64 (strconv.ParseFloat: out of
 * range is an UnmarshalTypeError, the rest still decodes), strings with each
 * byte of invalid UTF-8 and each unpaired surrogate escape as U+FFFD. */
#include "config.h"

#include "internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* scanner.go maxNestingDepth */
#define GOJSON_MAX_DEPTH 10000

enum gojson_state {
    ST_BEGIN_VALUE_OR_EMPTY,
    ST_BEGIN_VALUE,
    ST_BEGIN_STRING_OR_EMPTY,
    ST_BEGIN_STRING,
    ST_END_VALUE,
    ST_END_TOP,
    ST_IN_STRING,
    ST_IN_STRING_ESC,
    ST_ESC_U,
    ST_ESC_U1,
    ST_ESC_U12,
    ST_ESC_U123,
    ST_NEG,
    ST_1,
    ST_0,
    ST_DOT,
    ST_DOT0,
    ST_E,
    ST_ESIGN,
    ST_E0,
    ST_LITERAL, /* the rest of true, false or null: lit, at */
};

enum gojson_parse { PS_OBJECT_KEY, PS_OBJECT_VALUE, PS_ARRAY_VALUE };

struct gojson_scan {
    enum gojson_state st;
    unsigned char *ps; /* the parse-state stack */
    size_t nps;
    bool end_top;
    bool failed;
    const char *lit; /* ST_LITERAL: "true", "false" or "null" */
    size_t at;       /* its next byte */
    char *err;
    size_t errlen;
};

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static bool is_hex(unsigned char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* quoteChar: the byte as a Go rune (U+0000..U+00FF) in strconv.Quote's
 * escapes, between single quotes. */
static void quote_char(char *out, size_t outlen, unsigned char c)
{
    static const char esc[] = {['\a'] = 'a', ['\b'] = 'b', ['\f'] = 'f', ['\n'] = 'n',
                               ['\r'] = 'r', ['\t'] = 't', ['\v'] = 'v'};
    if (c == '\'')
        snprintf(out, outlen, "'\\''");
    else if (c == '"')
        snprintf(out, outlen, "'\"'");
    else if (c < sizeof(esc) && esc[c])
        snprintf(out, outlen, "'\\%c'", esc[c]);
    else if (c < 0x20 || c == 0x7f)
        snprintf(out, outlen, "'\\x%02x'", c);
    else if (c < 0x7f)
        snprintf(out, outlen, "'%c'", c);
    else if (c < 0xa0 || c == 0xa0 || c == 0xad) /* not printable: C1, NBSP, soft hyphen */
        snprintf(out, outlen, "'\\u%04x'", c);
    else /* printable Latin-1: its UTF-8 */
        snprintf(out, outlen, "'%c%c'", 0xc0 | (c >> 6), 0x80 | (c & 0x3f));
}

static void scan_error(struct gojson_scan *s, unsigned char c, const char *context)
{
    char q[16];

    quote_char(q, sizeof(q), c);
    snprintf(s->err, s->errlen, "invalid character %s %s", q, context);
    s->failed = true;
}

static void push_parse(struct gojson_scan *s, unsigned char c, unsigned char ps)
{
    if (s->nps >= GOJSON_MAX_DEPTH) {
        scan_error(s, c, "exceeded max depth");
        return;
    }
    s->ps[s->nps++] = ps;
}

static void pop_parse(struct gojson_scan *s)
{
    s->nps--;
    if (s->nps == 0) {
        s->st = ST_END_TOP;
        s->end_top = true;
    } else {
        s->st = ST_END_VALUE;
    }
}

static void literal(struct gojson_scan *s, const char *lit)
{
    s->st = ST_LITERAL;
    s->lit = lit;
    s->at = 1;
}

/* One byte through the scanner (scanner.go's step functions). */
static void step(struct gojson_scan *s, unsigned char c)
{
    for (;;) {
        switch (s->st) {
        case ST_BEGIN_VALUE_OR_EMPTY:
            if (is_space(c))
                return;
            s->st = c == ']' ? ST_END_VALUE : ST_BEGIN_VALUE;
            continue;
        case ST_BEGIN_VALUE:
            if (is_space(c))
                return;
            switch (c) {
            case '{':
                s->st = ST_BEGIN_STRING_OR_EMPTY;
                push_parse(s, c, PS_OBJECT_KEY);
                return;
            case '[':
                s->st = ST_BEGIN_VALUE_OR_EMPTY;
                push_parse(s, c, PS_ARRAY_VALUE);
                return;
            case '"':
                s->st = ST_IN_STRING;
                return;
            case '-':
                s->st = ST_NEG;
                return;
            case '0':
                s->st = ST_0;
                return;
            case 't':
                literal(s, "true");
                return;
            case 'f':
                literal(s, "false");
                return;
            case 'n':
                literal(s, "null");
                return;
            default:
                break;
            }
            if (c >= '1' && c <= '9') {
                s->st = ST_1;
                return;
            }
            scan_error(s, c, "looking for beginning of value");
            return;
        case ST_BEGIN_STRING_OR_EMPTY:
            if (is_space(c))
                return;
            if (c == '}') {
                s->ps[s->nps - 1] = PS_OBJECT_VALUE;
                s->st = ST_END_VALUE;
                continue;
            }
            s->st = ST_BEGIN_STRING;
            continue;
        case ST_BEGIN_STRING:
            if (is_space(c))
                return;
            if (c == '"') {
                s->st = ST_IN_STRING;
                return;
            }
            scan_error(s, c, "looking for beginning of object key string");
            return;
        case ST_END_VALUE:
            if (s->nps == 0) {
                s->st = ST_END_TOP;
                s->end_top = true;
                continue;
            }
            if (is_space(c))
                return;
            switch (s->ps[s->nps - 1]) {
            case PS_OBJECT_KEY:
                if (c == ':') {
                    s->ps[s->nps - 1] = PS_OBJECT_VALUE;
                    s->st = ST_BEGIN_VALUE;
                    return;
                }
                scan_error(s, c, "after object key");
                return;
            case PS_OBJECT_VALUE:
                if (c == ',') {
                    s->ps[s->nps - 1] = PS_OBJECT_KEY;
                    s->st = ST_BEGIN_STRING;
                    return;
                }
                if (c == '}') {
                    pop_parse(s);
                    return;
                }
                scan_error(s, c, "after object key:value pair");
                return;
            default:
                if (c == ',') {
                    s->st = ST_BEGIN_VALUE;
                    return;
                }
                if (c == ']') {
                    pop_parse(s);
                    return;
                }
                scan_error(s, c, "after array element");
                return;
            }
        case ST_END_TOP:
            if (!is_space(c))
                scan_error(s, c, "after top-level value");
            return;
        case ST_IN_STRING:
            if (c == '"')
                s->st = ST_END_VALUE;
            else if (c == '\\')
                s->st = ST_IN_STRING_ESC;
            else if (c < 0x20)
                scan_error(s, c, "in string literal");
            return;
        case ST_IN_STRING_ESC:
            if (strchr("bfnrt\\/\"", c) && c)
                s->st = ST_IN_STRING;
            else if (c == 'u')
                s->st = ST_ESC_U;
            else
                scan_error(s, c, "in string escape code");
            return;
        case ST_ESC_U:
        case ST_ESC_U1:
        case ST_ESC_U12:
        case ST_ESC_U123:
            if (!is_hex(c))
                scan_error(s, c, "in \\u hexadecimal character escape");
            else
                s->st = s->st == ST_ESC_U123 ? ST_IN_STRING : (enum gojson_state)(s->st + 1);
            return;
        case ST_NEG:
            if (c == '0')
                s->st = ST_0;
            else if (c >= '1' && c <= '9')
                s->st = ST_1;
            else
                scan_error(s, c, "in numeric literal");
            return;
        case ST_1:
            if (is_digit(c))
                return;
            s->st = ST_0;
            continue;
        case ST_0:
            if (c == '.')
                s->st = ST_DOT;
            else if (c == 'e' || c == 'E')
                s->st = ST_E;
            else {
                s->st = ST_END_VALUE;
                continue;
            }
            return;
        case ST_DOT:
            if (is_digit(c))
                s->st = ST_DOT0;
            else
                scan_error(s, c, "after decimal point in numeric literal");
            return;
        case ST_DOT0:
            if (is_digit(c))
                return;
            if (c == 'e' || c == 'E') {
                s->st = ST_E;
                return;
            }
            s->st = ST_END_VALUE;
            continue;
        case ST_E:
            s->st = ST_ESIGN;
            if (c == '+' || c == '-')
                return;
            continue;
        case ST_ESIGN:
            if (is_digit(c))
                s->st = ST_E0;
            else
                scan_error(s, c, "in exponent of numeric literal");
            return;
        case ST_E0:
            if (is_digit(c))
                return;
            s->st = ST_END_VALUE;
            continue;
        case ST_LITERAL:
            if (c != (unsigned char)s->lit[s->at]) {
                char context[48];
                snprintf(context, sizeof(context), "in literal %s (expecting '%c')", s->lit,
                         s->lit[s->at]);
                scan_error(s, c, context);
                return;
            }
            if (s->lit[++s->at] == '\0')
                s->st = ST_END_VALUE;
            return;
        }
    }
}

/* checkValid: true if the whole input is one JSON value. */
static bool check_valid(const char *src, size_t len, char *err, size_t errlen)
{
    size_t cap = 64;
    struct gojson_scan s = {.st = ST_BEGIN_VALUE, .err = err, .errlen = errlen};

    s.ps = fd_xmalloc(cap);
    for (size_t i = 0; i < len && !s.failed; i++) {
        if (s.nps == cap) {
            cap *= 2;
            s.ps = fd_xreallocarray(s.ps, cap, 1);
        }
        step(&s, (unsigned char)src[i]);
    }
    /* eof: a space ends a number or a literal; then the value must be
     * complete */
    if (!s.failed && !s.end_top) {
        step(&s, ' ');
        if (!s.failed && !s.end_top) {
            snprintf(err, errlen, "unexpected end of JSON input");
            s.failed = true;
        }
    }
    free(s.ps);
    return !s.failed;
}

bool fd_expr_go_json_valid(const char *src, size_t len, char *err, size_t errlen)
{
    return check_valid(src, len, err, errlen);
}

/* ---- Decoding a valid input ---------------------------------------------------------- */

struct gojson_dec {
    const char *p, *end;
    char *err; /* the first number out of range (saveError) */
    size_t errlen;
    bool failed;
};

static void skip_space(struct gojson_dec *d)
{
    while (d->p < d->end && is_space((unsigned char)*d->p))
        d->p++;
}

static int hex4(const char *p)
{
    int r = 0;
    for (int i = 0; i < 4; i++) {
        unsigned char c = (unsigned char)p[i];
        r = r * 16 + (is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    return r;
}

/* getu4 of the escape at p, if p..end holds one; else -1. */
static int escape_u(const char *p, const char *end)
{
    if (end - p < 6 || p[0] != '\\' || p[1] != 'u')
        return -1;
    for (int i = 2; i < 6; i++)
        if (!is_hex((unsigned char)p[i]))
            return -1;
    return hex4(p + 2);
}

/* utf8.DecodeRune: the length of the valid sequence at p (1..4), or 0 for
 * an invalid byte (Go's RuneError, size 1): no overlong forms, no
 * surrogates, nothing above U+10FFFF. */
static size_t utf8_valid(const unsigned char *p, const unsigned char *end)
{
    unsigned char c = p[0];
    size_t n = c < 0xc2 ? 0 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : c < 0xf5 ? 4 : 0;
    unsigned char lo = 0x80, hi = 0xbf;

    if (n == 0 || (size_t)(end - p) < n)
        return 0;
    if (c == 0xe0)
        lo = 0xa0;
    else if (c == 0xed)
        hi = 0x9f;
    else if (c == 0xf0)
        lo = 0x90;
    else if (c == 0xf4)
        hi = 0x8f;
    if (p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if (p[i] < 0x80 || p[i] > 0xbf)
            return 0;
    return n;
}

/* unquote: the string at d->p (its opening quote), OWNED. */
static struct fd_expr_val dec_string(struct gojson_dec *d)
{
    struct fd_buf b = FD_BUF_INIT;
    const char *p = d->p + 1;

    while (*p != '"') {
        unsigned char c = (unsigned char)*p;
        if (c == '\\') {
            static const char map[] = {['b'] = '\b', ['f'] = '\f',  ['n'] = '\n', ['r'] = '\r',
                                       ['t'] = '\t', ['\\'] = '\\', ['/'] = '/',  ['"'] = '"'};
            if (p[1] != 'u') {
                fd_buf_putc(&b, map[(unsigned char)p[1]]);
                p += 2;
                continue;
            }
            uint32_t r = (uint32_t)hex4(p + 2);
            p += 6;
            if (r >= 0xd800 && r < 0xe000) {
                int r2 = escape_u(p, d->end);
                if (r < 0xdc00 && r2 >= 0xdc00 && r2 < 0xe000) { /* a valid pair */
                    r = 0x10000 + ((r - 0xd800) << 10) + ((uint32_t)r2 - 0xdc00);
                    p += 6;
                } else {
                    r = 0xfffd;
                }
            }
            fd_utf8_encode(&b, r);
        } else if (c < 0x80) {
            fd_buf_putc(&b, (char)c);
            p++;
        } else {
            size_t n = utf8_valid((const unsigned char *)p, (const unsigned char *)d->end);
            if (n == 0) {
                fd_utf8_encode(&b, 0xfffd);
                n = 1;
            } else {
                fd_buf_append(&b, p, n);
            }
            p += n;
        }
    }
    d->p = p + 1;
    struct fd_expr_val v = fd_expr_str_new(b.data ? b.data : "", b.len);
    fd_buf_free(&b);
    return v;
}

static struct fd_expr_val dec_number(struct gojson_dec *d)
{
    const char *start = d->p;

    while (d->p < d->end && strchr("+-.eE0123456789", *d->p) && *d->p)
        d->p++;
    size_t n = (size_t)(d->p - start);
    char *text = fd_xstrndup(start, n);
    errno = 0;
    double f = strtod(text, NULL);
    struct fd_expr_val v = fd_expr_float(f);
    if (isinf(f)) { /* ParseFloat's ErrRange: convertNumber's UnmarshalTypeError */
        if (!d->failed)
            snprintf(d->err, d->errlen,
                     "json: cannot unmarshal number %s into Go value of type float64", text);
        d->failed = true;
        v = fd_expr_nil();
    }
    free(text);
    return v;
}

static struct fd_expr_val dec_value(struct gojson_dec *d)
{
    struct fd_expr_val v;

    skip_space(d);
    switch (*d->p) {
    case '{':
        v = fd_expr_map_new(0);
        d->p++;
        for (;;) {
            skip_space(d);
            if (*d->p == '}')
                break;
            if (*d->p == ',') {
                d->p++;
                skip_space(d);
            }
            struct fd_expr_val key = dec_string(d);
            skip_space(d);
            d->p++; /* ':' */
            fd_expr_map_set(v, key.u.s->data, key.u.s->len, dec_value(d));
            fd_expr_val_release(&key);
        }
        d->p++;
        return v;
    case '[':
        v = fd_expr_arr_new(0);
        d->p++;
        for (;;) {
            skip_space(d);
            if (*d->p == ']')
                break;
            if (*d->p == ',')
                d->p++;
            fd_expr_arr_push(v, dec_value(d));
        }
        d->p++;
        return v;
    case '"':
        return dec_string(d);
    case 't':
        d->p += 4;
        return fd_expr_bool(true);
    case 'f':
        d->p += 5;
        return fd_expr_bool(false);
    case 'n':
        d->p += 4;
        return fd_expr_nil();
    default:
        return dec_number(d);
    }
}

bool fd_expr_go_json_decode(const char *src, size_t len, struct fd_expr_val *out, char *err,
                            size_t errlen)
{
    *out = fd_expr_nil();
    if (!check_valid(src, len, err, errlen))
        return false;
    struct gojson_dec d = {.p = src, .end = src + len, .err = err, .errlen = errlen};
    struct fd_expr_val v = dec_value(&d);
    if (d.failed) {
        fd_expr_val_release(&v);
        return false;
    }
    *out = v;
    return true;
}

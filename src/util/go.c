/* util/go.c: the few Go standard-library formats the controllers' output
 * depends on (strconv.FormatFloat and ParseFloat, encoding/json's strings,
 * time.ParseDuration, the time package's quoting), in one place, so the
 * evaluator, the analysis rules and the model print and parse exactly
 * alike. */
#include "config.h"

#include "freightdeck/util.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Shortest decimal digits that read back as f (f finite, > 0): digits in
 * dig (no dot), and the decimal exponent dp: value = 0.dig * 10^dp. */
static int shortest_digits(double f, char *dig, int *dp)
{
    char tmp[40];

    for (int prec = 0; prec < 17; prec++) {
        snprintf(tmp, sizeof(tmp), "%.*e", prec, f);
        if (strtod(tmp, NULL) == f || prec == 16)
            break;
    }
    /* tmp is d[.ddd]e±xx */
    int n = 0;
    char *p = tmp;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9')
            dig[n++] = *p;
    int e = atoi(p + 1);
    while (n > 1 && dig[n - 1] == '0')
        n--;
    dig[n] = '\0';
    *dp = e + 1;
    return n;
}

static bool special_float(struct fd_buf *b, double f)
{
    if (isnan(f)) {
        fd_buf_puts(b, "NaN");
        return true;
    }
    if (isinf(f)) {
        fd_buf_puts(b, f > 0 ? "+Inf" : "-Inf");
        return true;
    }
    return false;
}

static void put_exp(struct fd_buf *b, const char *dig, int nd, int dp)
{
    int e = dp - 1;

    fd_buf_putc(b, dig[0]);
    if (nd > 1) {
        fd_buf_putc(b, '.');
        fd_buf_append(b, dig + 1, (size_t)nd - 1);
    }
    fd_buf_printf(b, "e%c%02d", e < 0 ? '-' : '+', e < 0 ? -e : e);
}

static void put_fixed(struct fd_buf *b, const char *dig, int nd, int dp)
{
    if (dp <= 0) {
        fd_buf_puts(b, "0.");
        for (int i = 0; i < -dp; i++)
            fd_buf_putc(b, '0');
        fd_buf_append(b, dig, (size_t)nd);
        return;
    }
    for (int i = 0; i < dp; i++)
        fd_buf_putc(b, i < nd ? dig[i] : '0');
    if (nd > dp) {
        fd_buf_putc(b, '.');
        fd_buf_append(b, dig + dp, (size_t)(nd - dp));
    }
}

/* strconv.FormatFloat(f, fmt, -1, 64). 'g' (= fmt's %v) switches to an
 * exponent when the decimal exponent is < -4 or >= 6 (1e+06,
 * 1.23456789e+08); 'j' is encoding/json's rule (exponent below 1e-6 or from
 * 1e21 on, "1e-07" written "1e-7"). */
void fd_go_format_float(struct fd_buf *b, double f, char fmt)
{
    char dig[40];
    int dp, nd;

    if (special_float(b, f))
        return;
    if (signbit(f)) {
        fd_buf_putc(b, '-');
        f = -f;
    }
    if (f == 0) {
        fd_buf_puts(b, fmt == 'e' ? "0e+00" : "0");
        return;
    }
    nd = shortest_digits(f, dig, &dp);
    int exp = dp - 1;
    bool use_exp = fmt == 'e' || (fmt == 'g' && (exp < -4 || exp >= 6)) ||
                   (fmt == 'j' && (exp < -6 || exp >= 21));
    if (!use_exp) {
        put_fixed(b, dig, nd, dp);
        return;
    }
    put_exp(b, dig, nd, dp);
    if (fmt == 'j' && b->len >= 3 && b->data[b->len - 2] == '0' &&
        (b->data[b->len - 3] == '-' || b->data[b->len - 3] == '+')) {
        /* Go's JSON trims the exponent to one digit: 1e-07 -> 1e-7. */
        b->data[b->len - 2] = b->data[b->len - 1];
        b->data[--b->len] = '\0';
    }
}

void fd_go_time_quote(char *dst, size_t dstlen, const char *s, size_t len)
{
    struct fd_buf b = FD_BUF_INIT;

    fd_buf_putc(&b, '"');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80 || c < ' ')
            fd_buf_printf(&b, "\\x%02x", c);
        else if (c == '"' || c == '\\')
            fd_buf_printf(&b, "\\%c", c);
        else
            fd_buf_putc(&b, (char)c);
    }
    fd_buf_putc(&b, '"');
    snprintf(dst, dstlen, "%s", fd_buf_cstr(&b));
    fd_buf_free(&b);
}

/* ---- encoding/json strings ------------------------------------------- */

const char *fd_go_short_escape(uint32_t r, bool strconv)
{
    switch (r) {
    case '"':
        return "\\\"";
    case '\\':
        return "\\\\";
    case '\b':
        return "\\b";
    case '\f':
        return "\\f";
    case '\n':
        return "\\n";
    case '\r':
        return "\\r";
    case '\t':
        return "\\t";
    case '\a':
        return strconv ? "\\a" : NULL;
    case '\v':
        return strconv ? "\\v" : NULL;
    default:
        return NULL;
    }
}

void fd_go_json_string(struct fd_buf *b, const char *s, size_t len, bool escape_html)
{
    static const char hex[] = "0123456789abcdef";
    uint32_t r;
    size_t w;

    fd_buf_putc(b, '"');
    for (size_t i = 0; i < len; i += w) {
        w = fd_utf8_decode(s + i, len - i, &r);
        if (w == 0) {
            fd_buf_puts(b, "\\ufffd"); /* invalid UTF-8, a byte at a time */
            w = 1;
            continue;
        }
        const char *esc = fd_go_short_escape(r, false);
        if (esc) {
            fd_buf_puts(b, esc);
            continue;
        }
        if (r < 0x20 || (escape_html && (r == '<' || r == '>' || r == '&'))) {
            fd_buf_puts(b, "\\u00");
            fd_buf_putc(b, hex[r >> 4]);
            fd_buf_putc(b, hex[r & 15]);
        } else if (r == 0x2028 || r == 0x2029) {
            fd_buf_printf(b, "\\u%04x", (unsigned)r);
        } else {
            fd_buf_append(b, s + i, w);
        }
    }
    fd_buf_putc(b, '"');
}

/* ---- strconv.ParseFloat ------------------------------------------------ */

/* Go's lower(c) for a hex digit test: 'A'..'F' and 'a'..'f' only */
static bool is_hex_letter(char c)
{
    char l = (char)(c | 0x20);
    return l >= 'a' && l <= 'f';
}

static bool equal_ci(const char *s, size_t len, const char *word)
{
    if (len != strlen(word))
        return false;
    for (size_t i = 0; i < len; i++)
        if ((s[i] | 0x20) != word[i])
            return false;
    return true;
}

/* strconv's underscoreOK: "_" only between digits, or between a base prefix
 * and a digit. */
static bool underscore_ok(const char *s, size_t len)
{
    char saw = '^'; /* '^' start, '0' digit or prefix, '_' underscore, '!' other */
    size_t i = 0;
    bool hex = false;

    if (len >= 1 && (s[0] == '-' || s[0] == '+')) {
        s++;
        len--;
    }
    if (len >= 2 && s[0] == '0' && strchr("bBoOxX", s[1])) {
        i = 2;
        saw = '0';
        hex = (s[1] | 0x20) == 'x';
    }
    for (; i < len; i++) {
        if (fd_ascii_isdigit(s[i]) || (hex && is_hex_letter(s[i]))) {
            saw = '0';
            continue;
        }
        if (s[i] == '_') {
            if (saw != '0')
                return false;
            saw = '_';
            continue;
        }
        if (saw == '_')
            return false;
        saw = '!';
    }
    return saw != '_';
}

/* readFloat's grammar (strconv/atof.go), without its arithmetic: true when
 * all len bytes are one Go float, with underscores where underscoreOK allows
 * them. */
static bool go_float_syntax(const char *s, size_t len)
{
    size_t i = 0;
    bool hex = false, underscores = false, sawdot = false, sawdigits = false;

    if (i < len && (s[i] == '+' || s[i] == '-'))
        i++;
    if (i + 2 < len && s[i] == '0' && (s[i + 1] | 0x20) == 'x') {
        hex = true;
        i += 2;
    }
    for (; i < len; i++) {
        char c = s[i];
        if (c == '_') {
            underscores = true;
        } else if (c == '.') {
            if (sawdot)
                break;
            sawdot = true;
        } else if (fd_ascii_isdigit(c) || (hex && is_hex_letter(c))) {
            sawdigits = true;
        } else {
            break;
        }
    }
    if (!sawdigits)
        return false;
    if (i < len && (s[i] | 0x20) == (hex ? 'p' : 'e')) {
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            i++;
        if (i >= len || !fd_ascii_isdigit(s[i]))
            return false;
        for (; i < len && (fd_ascii_isdigit(s[i]) || s[i] == '_'); i++)
            underscores |= s[i] == '_';
    } else if (hex) {
        return false; /* a hexadecimal mantissa must have its p exponent */
    }
    if (underscores && !underscore_ok(s, i))
        return false;
    return i == len;
}

enum fd_go_parse fd_go_parse_float(const char *s, size_t len, double *out)
{
    size_t sign = len > 0 && (s[0] == '+' || s[0] == '-');

    /* special(): inf and infinity after an optional sign, nan without one */
    if (equal_ci(s + sign, len - sign, "inf") || equal_ci(s + sign, len - sign, "infinity")) {
        *out = s[0] == '-' ? -HUGE_VAL : HUGE_VAL;
        return FD_GO_PARSE_OK;
    }
    if (equal_ci(s, len, "nan")) {
        *out = NAN;
        return FD_GO_PARSE_OK;
    }
    if (!go_float_syntax(s, len))
        return FD_GO_PARSE_SYNTAX;

    /* strtod rounds as Go does (to nearest, ties to even, hex included);
     * the process keeps LC_NUMERIC "C" (cli/main.c), so '.' is the point */
    char small[128];
    char *copy = len < sizeof(small) ? small : fd_xmalloc(len + 1), *end;
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] != '_')
            copy[n++] = s[i];
    copy[n] = '\0';
    errno = 0;
    double f = strtod(copy, &end);
    bool range = errno == ERANGE && isinf(f); /* an underflow is no error in Go */
    if (copy != small)
        free(copy);
    if (range)
        return FD_GO_PARSE_RANGE;
    *out = f;
    return FD_GO_PARSE_OK;
}

bool fd_go_parse_duration(const char *s, size_t len, int64_t *out, char *errbuf, size_t errlen)
{
    static const struct {
        const char *name;
        uint64_t ns;
    } units[] = {
        {"ns", 1},       {"us", 1000},         {"\xc2\xb5s", 1000},   {"\xce\xbcs", 1000},
        {"ms", 1000000}, {"s", 1000000000ULL}, {"m", 60000000000ULL}, {"h", 3600000000000ULL}};
    char q[160];
    size_t i = 0;
    bool neg = false;
    uint64_t total = 0;

    fd_go_time_quote(q, sizeof(q), s, len);
    if (i < len && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    if (len - i == 1 && s[i] == '0') {
        *out = 0;
        return true;
    }
    if (i == len)
        goto invalid;
    while (i < len) {
        uint64_t v = 0, f = 0;
        double scale = 1;
        bool pre = false, post = false, over = false;
        size_t start = i;

        if (!(s[i] == '.' || (s[i] >= '0' && s[i] <= '9')))
            goto invalid;
        for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
            if (v > (UINT64_MAX - 9) / 10 || v * 10 + (uint64_t)(s[i] - '0') > (1ULL << 63))
                over = true;
            else
                v = v * 10 + (uint64_t)(s[i] - '0');
        }
        pre = i != start;
        if (over)
            goto invalid;
        if (i < len && s[i] == '.') {
            size_t fs = ++i;
            for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
                if (f > (UINT64_MAX - 9) / 10)
                    continue; /* Go drops digits it cannot hold */
                f = f * 10 + (uint64_t)(s[i] - '0');
                scale *= 10;
            }
            post = i != fs;
        }
        if (!pre && !post)
            goto invalid;
        size_t us = i;
        while (i < len && s[i] != '.' && !(s[i] >= '0' && s[i] <= '9'))
            i++;
        if (us == i) {
            snprintf(errbuf, errlen, "time: missing unit in duration %s", q);
            return false;
        }
        uint64_t unit = 0;
        for (size_t k = 0; k < FD_ARRAY_SIZE(units); k++)
            if (strlen(units[k].name) == i - us && memcmp(units[k].name, s + us, i - us) == 0)
                unit = units[k].ns;
        if (!unit) {
            char uq[80];
            fd_go_time_quote(uq, sizeof(uq), s + us, i - us);
            snprintf(errbuf, errlen, "time: unknown unit %s in duration %s", uq, q);
            return false;
        }
        if (v > (1ULL << 63) / unit)
            goto invalid;
        v *= unit;
        if (f > 0) {
            v += (uint64_t)((double)f * ((double)unit / scale));
            if (v > (1ULL << 63))
                goto invalid;
        }
        total += v;
        if (total > (1ULL << 63))
            goto invalid;
    }
    if (!neg && total > (uint64_t)INT64_MAX)
        goto invalid;
    *out = neg ? (int64_t)(0 - total) : (int64_t)total;
    return true;
invalid:
    snprintf(errbuf, errlen, "time: invalid duration %s", q);
    return false;
}

/* expr/yaml_scalar.c: one string scalar of Kargo's asYAML() as yaml.v3's
 * emitter writes it (emitterc.go, encode.go): what each style allows, which
 * style it takes, and the plain, single-quoted, double-quoted and literal
 * writers; yaml_out.c lays the scalars out. */
#include "config.h"

#include "builtins.h"

#include <stdlib.h>
#include <string.h>

/* Would a plain scalar s read back as something else than a string under
 * yaml.v3's resolve (null, bool, int, float, timestamp), or is it one of
 * YAML 1.1's bool words or a base-60 float, which v3 quotes anyway? */
static bool resolves_to_non_string(const char *s, size_t len)
{
    static const char *const words[] = {
        "",      "~",     "null",  "Null", "NULL", "true", "True", "TRUE",  "false", "False",
        "FALSE", ".nan",  ".NaN",  ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF",
        "-.inf", "-.Inf", "-.INF", "<<",   "y",    "Y",    "yes",  "Yes",   "YES",   "on",
        "On",    "ON",    "n",     "N",    "no",   "No",   "NO",   "off",   "Off",   "OFF"};
    char buf[128];
    size_t n = 0;

    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (strlen(words[i]) == len && memcmp(words[i], s, len) == 0)
            return true;
    if (len == 0 || len >= sizeof(buf))
        return false;
    char c = s[0];
    if (!(c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9')))
        return false;
    /* numbers: strconv.ParseInt/ParseUint base 0 or ParseFloat, with '_'
     * dropped; also 0b and 0o forms */
    for (size_t i = 0; i < len; i++)
        if (s[i] != '_')
            buf[n++] = s[i];
    buf[n] = '\0';
    char *end;
    const char *p = buf + (buf[0] == '+' || buf[0] == '-');
    if (p[0] == '0' && (p[1] == 'b' || p[1] == 'B' || p[1] == 'o' || p[1] == 'O')) {
        int base = (p[1] == 'b' || p[1] == 'B') ? 2 : 8;
        if (p[2] == '\0')
            return false;
        strtoll(p + 2, &end, base);
        return *end == '\0';
    }
    strtoll(buf, &end, 0);
    if (*end == '\0')
        return true;
    /* a float: digits with one '.', an optional exponent (yamlStyleFloat) */
    bool digit = false, dot = false;
    size_t i = buf[0] == '+' || buf[0] == '-';
    for (; buf[i] && buf[i] != 'e' && buf[i] != 'E'; i++) {
        if (buf[i] >= '0' && buf[i] <= '9')
            digit = true;
        else if (buf[i] == '.' && !dot)
            dot = true;
        else
            goto timestamp;
    }
    if (!digit)
        goto timestamp;
    if (buf[i]) {
        i++;
        if (buf[i] == '+' || buf[i] == '-')
            i++;
        if (!buf[i])
            goto timestamp;
        for (; buf[i]; i++)
            if (buf[i] < '0' || buf[i] > '9')
                goto timestamp;
    }
    return true;
timestamp:
    /* resolve.go parseTimestamp: four digits and '-', then one of its
     * layouts as time.Parse reads them */
    if (len > 4 && s[4] == '-' && s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' &&
        s[2] >= '0' && s[2] <= '9' && s[3] >= '0' && s[3] <= '9') {
        static const char *const layouts[] = {"2006-1-2T15:4:5.999999999Z07:00",
                                              "2006-1-2t15:4:5.999999999Z07:00",
                                              "2006-1-2 15:4:5.999999999", "2006-1-2"};
        struct fd_expr_bi_location utc;
        fd_expr_bi_load_location("UTC", &utc);
        for (size_t k = 0; k < sizeof(layouts) / sizeof(layouts[0]); k++) {
            struct fd_expr_val t;
            char err[128];
            if (fd_expr_bi_parse_time(layouts[k], strlen(layouts[k]), s, len, &utc, &t, err,
                                      sizeof(err))) {
                fd_expr_val_release(&t);
                return true;
            }
        }
        return false;
    }
    /* base-60 floats such as 1:20 are quoted for old parsers */
    if (memchr(s, ':', len)) {
        for (size_t k = (s[0] == '+' || s[0] == '-'); k < len; k++)
            if (!((s[k] >= '0' && s[k] <= '9') || s[k] == ':' || s[k] == '_' || s[k] == '.'))
                return false;
        return true;
    }
    return false;
}

/* ---- One string scalar, as yaml.v3's emitter writes it ------------------
 *
 * A port of emitterc.go: yaml_emitter_analyze_scalar (what each style
 * allows), encode.go stringv and yaml_emitter_select_scalar_style (which
 * style), and the writers, with the emitter's settings of Marshal: block
 * context, unicode on, no line width. Byte tests are yamlprivateh.go's. */

/* is_printable: yaml.v3's byte test; it knows no rune past U+FFFF */
static bool y_printable(const unsigned char *s, size_t len, size_t i)
{
    unsigned char c = s[i], c1 = i + 1 < len ? s[i + 1] : 0, c2 = i + 2 < len ? s[i + 2] : 0;

    return c == 0x0A || (c >= 0x20 && c <= 0x7E) || (c == 0xC2 && c1 >= 0xA0) ||
           (c > 0xC2 && c < 0xED) || (c == 0xED && c1 < 0xA0) || c == 0xEE ||
           (c == 0xEF && !(c1 == 0xBB && c2 == 0xBF) &&
            !(c1 == 0xBF && (c2 == 0xBE || c2 == 0xBF)));
}

/* is_break: CR, LF, NEL, LS, PS */
static bool y_break(const unsigned char *s, size_t len, size_t i)
{
    unsigned char c = s[i], c1 = i + 1 < len ? s[i + 1] : 0, c2 = i + 2 < len ? s[i + 2] : 0;

    return c == '\r' || c == '\n' || (c == 0xC2 && c1 == 0x85) ||
           (c == 0xE2 && c1 == 0x80 && (c2 == 0xA8 || c2 == 0xA9));
}

static bool y_blank(const unsigned char *s, size_t len, size_t i)
{
    return i < len && (s[i] == ' ' || s[i] == '\t');
}

/* width: the length of the UTF-8 sequence a lead byte starts */
static size_t y_width(unsigned char c)
{
    return c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
}

struct yscalar {
    bool multiline, plain, single, block; /* block context: what may stand */
};

static struct yscalar y_analyze(const unsigned char *s, size_t len)
{
    struct yscalar r = {false, true, true, false};
    bool block_ind = false, line_breaks = false, special = false, tabs = false;
    bool leading_space = false, leading_break = false, trailing_space = false,
         trailing_break = false, break_space = false, space_break = false;
    bool preceded_ws = true, prev_space = false, prev_break = false;

    if (len == 0)
        return r;
    if (len >= 3 && (memcmp(s, "---", 3) == 0 || memcmp(s, "...", 3) == 0))
        block_ind = true;
    for (size_t i = 0, w; i < len; i += w) {
        w = y_width(s[i]);
        if (i + w > len)
            w = len - i;
        bool followed_ws = i + w >= len || y_blank(s, len, i + w);
        if (i == 0) {
            if (strchr("#,[]{}&*!|>'\"%@`", s[i]))
                block_ind = true;
            else if ((s[i] == '?' || s[i] == ':' || s[i] == '-') && followed_ws)
                block_ind = true;
        } else if ((s[i] == ':' && followed_ws) || (s[i] == '#' && preceded_ws)) {
            block_ind = true;
        }
        if (s[i] == '\t')
            tabs = true;
        else if (!y_printable(s, len, i))
            special = true;
        if (s[i] == ' ') {
            leading_space |= i == 0;
            trailing_space |= i + w == len;
            break_space |= prev_break;
            prev_space = true;
            prev_break = false;
        } else if (y_break(s, len, i)) {
            line_breaks = true;
            leading_break |= i == 0;
            trailing_break |= i + w == len;
            space_break |= prev_space;
            prev_space = false;
            prev_break = true;
        } else {
            prev_space = prev_break = false;
        }
        /* is_blankz: a blank, a break or a NUL */
        preceded_ws = y_blank(s, len, i) || y_break(s, len, i) || s[i] == 0;
    }
    r.multiline = line_breaks;
    r.block = true;
    if (leading_space || leading_break || trailing_space || trailing_break || break_space ||
        space_break || tabs || special || line_breaks || block_ind)
        r.plain = false;
    if (break_space || space_break || tabs || special)
        r.single = false;
    if (trailing_space || space_break || special)
        r.block = false;
    return r;
}

enum ystyle { Y_PLAIN, Y_SINGLE, Y_DOUBLE, Y_LITERAL };

/* stringv, then select_scalar_style; key: a simple key's context */
static enum ystyle y_style(const char *s, size_t len, const struct yscalar *a, bool key)
{
    enum ystyle st = memchr(s, '\n', len)                     ? Y_LITERAL
                     : !resolves_to_non_string(s, len) && len ? Y_PLAIN
                                                              : Y_DOUBLE;

    if (key && a->multiline)
        st = Y_DOUBLE;
    if (st == Y_PLAIN && !a->plain)
        st = Y_SINGLE;
    if (st == Y_SINGLE && !a->single)
        st = Y_DOUBLE;
    if (st == Y_LITERAL && (!a->block || key))
        st = Y_DOUBLE;
    return st;
}

void fd_expr_yaml_indent(struct fd_buf *b, int n)
{
    for (int i = 0; i < n; i++)
        fd_buf_putc(b, ' ');
}

/* write_break: a '\n' as itself, another break's bytes as they are */
static size_t put_break_at(struct fd_buf *b, const unsigned char *s, size_t len, size_t i)
{
    size_t w = y_width(s[i]);

    if (i + w > len)
        w = len - i;
    fd_buf_append(b, (const char *)s + i, w);
    return w;
}

static void y_single(struct fd_buf *b, const unsigned char *s, size_t len, int indent)
{
    bool breaks = false;

    fd_buf_putc(b, '\'');
    for (size_t i = 0; i < len;) {
        if (y_break(s, len, i)) {
            if (!breaks && s[i] == '\n')
                fd_buf_putc(b, '\n');
            i += put_break_at(b, s, len, i);
            breaks = true;
            continue;
        }
        if (s[i] != ' ' && breaks) { /* write_indent after a break */
            fd_expr_yaml_indent(b, indent);
            breaks = false;
        }
        if (s[i] == '\'')
            fd_buf_putc(b, '\'');
        size_t w = y_width(s[i]);
        if (i + w > len)
            w = len - i;
        fd_buf_append(b, (const char *)s + i, w);
        i += w;
    }
    fd_buf_putc(b, '\'');
}

static void y_double(struct fd_buf *b, const unsigned char *s, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    /* is_bom tests the value's first bytes, wherever i is: a value that
     * starts with a BOM has every character escaped */
    bool bom = len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF;

    fd_buf_putc(b, '"');
    for (size_t i = 0; i < len;) {
        size_t w = y_width(s[i]);
        if (i + w > len)
            w = len - i;
        if (y_printable(s, len, i) && !bom && !y_break(s, len, i) && s[i] != '"' && s[i] != '\\') {
            fd_buf_append(b, (const char *)s + i, w);
            i += w;
            continue;
        }
        uint32_t v = w == 1 ? s[i] : (uint32_t)(s[i] & (w == 2 ? 0x1F : w == 3 ? 0x0F : 0x07));
        for (size_t k = 1; k < w; k++)
            v = (v << 6) + (s[i + k] & 0x3F);
        i += w;
        fd_buf_putc(b, '\\');
        const char *named;
        switch (v) {
        case 0x00:
            named = "0";
            break;
        case 0x07:
            named = "a";
            break;
        case 0x08:
            named = "b";
            break;
        case 0x09:
            named = "t";
            break;
        case 0x0A:
            named = "n";
            break;
        case 0x0B:
            named = "v";
            break;
        case 0x0C:
            named = "f";
            break;
        case 0x0D:
            named = "r";
            break;
        case 0x1B:
            named = "e";
            break;
        case 0x22:
            named = "\"";
            break;
        case 0x5C:
            named = "\\";
            break;
        case 0x85:
            named = "N";
            break;
        case 0xA0:
            named = "_";
            break;
        case 0x2028:
            named = "L";
            break;
        case 0x2029:
            named = "P";
            break;
        default:
            named = NULL;
        }
        if (named) {
            fd_buf_puts(b, named);
            continue;
        }
        int digits = v <= 0xFF ? 2 : v <= 0xFFFF ? 4 : 8;
        fd_buf_putc(b, digits == 2 ? 'x' : digits == 4 ? 'u' : 'U');
        for (int k = (digits - 1) * 4; k >= 0; k -= 4)
            fd_buf_putc(b, hex[(v >> k) & 15]);
    }
    fd_buf_putc(b, '"');
}

/* write_literal_scalar with its block scalar hints: the indentation
 * indicator when the value starts with a space or a break, the chomping
 * one by its trailing breaks; a line break after the header, and each
 * line that holds something at indent. Every break of the value is
 * written: the caller ends the line only when the last one was none. */
static void y_literal(struct fd_buf *b, const unsigned char *s, size_t len, int indent)
{
    fd_buf_putc(b, '|');
    if (s[0] == ' ' || y_break(s, len, 0))
        fd_buf_printf(b, "%d", FD_EXPR_YAML_INDENT);
    size_t last = len - 1;
    while (last > 0 && (s[last] & 0xC0) == 0x80)
        last--;
    if (!y_break(s, len, last)) {
        fd_buf_putc(b, '-');
    } else if (last == 0) {
        fd_buf_putc(b, '+');
    } else {
        size_t prev = last - 1;
        while (prev > 0 && (s[prev] & 0xC0) == 0x80)
            prev--;
        if (y_break(s, len, prev))
            fd_buf_putc(b, '+');
    }
    fd_buf_putc(b, '\n');
    bool breaks = true;
    for (size_t i = 0; i < len;) {
        if (y_break(s, len, i)) {
            i += put_break_at(b, s, len, i);
            breaks = true;
            continue;
        }
        if (breaks)
            fd_expr_yaml_indent(b, indent);
        breaks = false;
        size_t w = y_width(s[i]);
        if (i + w > len)
            w = len - i;
        fd_buf_append(b, (const char *)s + i, w);
        i += w;
    }
}

/* encodeBase64 (encode.go): base64 in lines of 70, each ended by a break,
 * once it is that long. */
static void base64_lines(struct fd_buf *b, const char *s, size_t len)
{
    char *text = fd_base64_encode(s, len);
    size_t n = strlen(text);

    for (size_t i = 0; i < n; i += 70) {
        fd_buf_append(b, text + i, n - i < 70 ? n - i : 70);
        if (n >= 70)
            fd_buf_putc(b, '\n');
    }
    free(text);
}

static bool valid_utf8(const char *s, size_t len)
{
    uint32_t r;

    for (size_t i = 0, w; i < len; i += w)
        if ((w = fd_utf8_decode(s + i, len - i, &r)) == 0)
            return false;
    return true;
}

void fd_expr_yaml_scalar(struct fd_buf *b, const char *s, size_t len, int indent, bool key)
{
    const unsigned char *u = (const unsigned char *)s;

    if (!valid_utf8(s, len)) { /* stringv: text YAML cannot hold, as !!binary base64 */
        struct fd_buf t = FD_BUF_INIT;
        base64_lines(&t, s, len);
        fd_buf_puts(b, "!!binary ");
        if (t.len && t.data[t.len - 1] == '\n')
            y_literal(b, (const unsigned char *)t.data, t.len, indent);
        else
            fd_buf_append(b, t.data, t.len);
        fd_buf_free(&t);
        return;
    }
    struct yscalar a = y_analyze(u, len);

    switch (y_style(s, len, &a, key)) {
    case Y_PLAIN:
        fd_buf_append(b, s, len);
        return;
    case Y_SINGLE:
        y_single(b, u, len, indent);
        return;
    case Y_LITERAL:
        y_literal(b, u, len, indent);
        return;
    case Y_DOUBLE:
        y_double(b, u, len);
        return;
    }
}

bool fd_expr_yaml_simple_key(const char *s, size_t len)
{
    if (!valid_utf8(s, len)) /* "!!binary" and s's base64, in lines from 70 on */
        return (len + 2) / 3 * 4 < 70;
    return len <= 128 && !y_analyze((const unsigned char *)s, len).multiline;
}

/* expr/yaml_out.c: Kargo's asYAML(), which is go.yaml.in/yaml/v3's Marshal
 * of the value: block style, its emitter's indentation, map keys in
 * keyList.Less's natural order, and each string scalar in the style its
 * emitter chooses (plain, single or double quoted, literal block) after
 * analyzing it, written as its writers write them. */
#include "config.h"

#include "builtins.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define INDENT 4

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

static void put_indent(struct fd_buf *b, int n)
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
            put_indent(b, indent);
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
        fd_buf_printf(b, "%d", INDENT);
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
            put_indent(b, indent);
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

/* A string scalar; indent is where its continuation lines start; key: it
 * is a simple mapping key. */
static void scalar_as(struct fd_buf *b, const char *s, size_t len, int indent, bool key)
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

static void scalar(struct fd_buf *b, const char *s, size_t len, int indent)
{
    scalar_as(b, s, len, indent, false);
}

/* check_simple_key: a key that spans lines or is longer than 128 bytes is a
 * complex one ("? key" on its own lines, then ": value") */
static bool simple_key(const char *s, size_t len)
{
    if (!valid_utf8(s, len)) /* "!!binary" and s's base64, in lines from 70 on */
        return (len + 2) / 3 * 4 < 70;
    return len <= 128 && !y_analyze((const unsigned char *)s, len).multiline;
}

/* where the line being written starts in b */
static size_t line_start(const struct fd_buf *b)
{
    size_t i = b->len;

    while (i > 0 && b->data[i - 1] != '\n')
        i--;
    return i;
}

/* ends the line of a value unless a block scalar's last break did */
static void end_line(struct fd_buf *b, size_t from)
{
    if (b->len == from || b->data[b->len - 1] != '\n')
        fd_buf_putc(b, '\n');
}

/* []rune(s): invalid bytes one U+FFFD each. Returns the count; *out is
 * new (caller frees). */
static size_t to_runes(const unsigned char *s, size_t len, uint32_t **out)
{
    uint32_t *r = fd_xcalloc(len + 1, sizeof(*r));
    size_t n = 0;

    for (size_t i = 0; i < len;) {
        size_t w = fd_utf8_decode((const char *)s + i, len - i, &r[n]);
        if (w == 0) {
            r[n] = 0xFFFD;
            w = 1;
        }
        n++;
        i += w;
    }
    *out = r;
    return n;
}

/* keyList.Less for two strings (sorter.go): rune by rune, letters
 * (unicode.IsLetter) after others unless digits came before, runs of
 * digits (unicode.IsDigit, valued as Go does: rune - '0', wrapping int64)
 * by value. */
static int string_key_cmp(const unsigned char *sa, size_t la0, const unsigned char *sb, size_t lb0)
{
    uint32_t *a, *b;
    size_t la = to_runes(sa, la0, &a), lb = to_runes(sb, lb0, &b);
    bool digits = false;
    int r = la < lb ? -1 : la > lb ? 1 : 0;

    for (size_t i = 0; i < la && i < lb; i++) {
        if (a[i] == b[i]) {
            digits = fd_unicode_is_digit(a[i]);
            continue;
        }
        bool al = fd_unicode_is_letter(a[i]), bl = fd_unicode_is_letter(b[i]);
        if (al && bl) {
            r = a[i] < b[i] ? -1 : 1;
            break;
        }
        if (al || bl) {
            r = (digits ? al : bl) ? -1 : 1;
            break;
        }
        uint64_t an = 0, bn = 0; /* (int64 arithmetic, wrapping as Go's) */
        size_t ai, bi;
        if (a[i] == '0' || b[i] == '0') {
            for (size_t j = i; j-- > 0 && fd_unicode_is_digit(a[j]);)
                if (a[j] != '0') {
                    an = bn = 1;
                    break;
                }
        }
        for (ai = i; ai < la && fd_unicode_is_digit(a[ai]); ai++)
            an = an * 10 + (uint64_t)(int64_t)((int32_t)a[ai] - '0');
        for (bi = i; bi < lb && fd_unicode_is_digit(b[bi]); bi++)
            bn = bn * 10 + (uint64_t)(int64_t)((int32_t)b[bi] - '0');
        if (an != bn)
            r = (int64_t)an < (int64_t)bn ? -1 : 1;
        else if (ai != bi)
            r = ai < bi ? -1 : 1;
        else
            r = a[i] < b[i] ? -1 : 1;
        break;
    }
    free(a);
    free(b);
    return r;
}

static int key_cmp(const void *pa, const void *pb)
{
    const struct fd_expr_map_entry *ea = *(const struct fd_expr_map_entry *const *)pa;
    const struct fd_expr_map_entry *eb = *(const struct fd_expr_map_entry *const *)pb;

    return string_key_cmp((const unsigned char *)ea->key->data, ea->key->len,
                          (const unsigned char *)eb->key->data, eb->key->len);
}

/* The reflect.Kind of a key of a map[interface {}]..., as keyList.Less
 * sees it once it has looked through the interface and a pointer; its
 * numbers order keys of different kinds. */
static int key_kind(struct fd_expr_val v)
{
    switch (v.kind) {
    case FD_VAL_BOOL:
        return 1;
    case FD_VAL_INT: /* int, time.Month, time.Weekday: Int; int64: Int64 */
        return v.tag == FD_EXPR_TAG_INT64 ? 6 : v.tag == FD_EXPR_TAG_UINT8 ? 8 : 2;
    case FD_VAL_DURATION:
        return 6;
    case FD_VAL_FLOAT:
        return 14;
    case FD_VAL_STRING:
        return 24;
    case FD_VAL_TIME: /* a time.Time, or the Location a pointer points at */
        return 25;
    default: /* nil: the interface {} itself */
        return 20;
    }
}

/* keyFloat: numbers and bools as a float64. */
static bool key_float(struct fd_expr_val v, double *f)
{
    switch (v.kind) {
    case FD_VAL_BOOL:
        *f = v.u.b ? 1 : 0;
        return true;
    case FD_VAL_INT:
    case FD_VAL_DURATION:
        *f = (double)v.u.i;
        return true;
    case FD_VAL_FLOAT:
        *f = v.u.f;
        return true;
    default:
        return false;
    }
}

/* keyList.Less for the keys of a map[interface {}]...: numbers and bools
 * by value, then kind, then numLess; strings as string_key_cmp; any other
 * pair by kind (NaNs and equal kinds compare equal, as in Go). */
static int any_key_cmp(const void *pa, const void *pb)
{
    struct fd_expr_val a = (*(const struct fd_expr_map_entry *const *)pa)->kval;
    struct fd_expr_val b = (*(const struct fd_expr_map_entry *const *)pb)->kval;
    int ak = key_kind(a), bk = key_kind(b);
    double af, bf;

    if (key_float(a, &af) && key_float(b, &bf)) {
        if (af != bf)
            return af < bf ? -1 : af > bf ? 1 : 0;
        if (ak != bk)
            return ak < bk ? -1 : 1;
        if (a.kind == FD_VAL_FLOAT || a.kind == FD_VAL_BOOL)
            return 0; /* equal floats; numLess of bools: false < true, equal here */
        return a.u.i < b.u.i ? -1 : a.u.i > b.u.i ? 1 : 0;
    }
    if (ak != 24 || bk != 24)
        return ak < bk ? -1 : ak > bk ? 1 : 0;
    return string_key_cmp((const unsigned char *)a.u.s->data, a.u.s->len,
                          (const unsigned char *)b.u.s->data, b.u.s->len);
}

static bool is_block(struct fd_expr_val v)
{
    return (v.kind == FD_VAL_ARRAY && v.u.a->len > 0) || (v.kind == FD_VAL_MAP && v.u.m->len > 0);
}

/* yaml_emitter_increase_indent: the indentation of a node whose parent
 * has indentation ind (-1 at the top); a scalar's (flow) continuation lines
 * start at 4 there. Inside a sequence item a node skips the "- "; anything
 * else aligns to the next multiple of four. */
static int y_inc(int ind, bool in_seq, bool flow)
{
    if (ind < 0)
        return flow ? INDENT : 0;
    return in_seq ? ind + 2 : INDENT * ((ind + INDENT) / INDENT);
}

static bool node(struct fd_buf *b, struct fd_expr_val v, int pind, bool pseq, const char **err);
static bool block_seq(struct fd_buf *b, struct fd_expr_val v, int pind, bool pseq,
                      bool inline_first, const char **err);
static bool block_map(struct fd_buf *b, const struct fd_expr_map *m, int pind, bool pseq,
                      bool inline_first, const char **err);

/* A block collection as a node's value: its first line continues the
 * current one when inline (after "- ", or after a complex key's ":"). */
static bool block(struct fd_buf *b, struct fd_expr_val v, int pind, bool pseq, bool inline_first,
                  const char **err)
{
    return v.kind == FD_VAL_MAP ? block_map(b, v.u.m, pind, pseq, inline_first, err)
                                : block_seq(b, v, pind, pseq, inline_first, err);
}

/* One entry of a block mapping whose indentation is ind. */
static bool map_item(struct fd_buf *b, const struct fd_expr_map *m,
                     const struct fd_expr_map_entry *e, const char *key, size_t keylen, int ind,
                     const char **err)
{
    struct fd_expr_val val = e->val;
    bool ok = true;
    struct fd_expr_val kv = m->anykey ? e->kval : fd_expr_nil();
    bool kstring = !m->anykey || (kv.kind == FD_VAL_STRING && !fd_expr_is_semver(kv));
    if (kstring && m->anykey) {
        key = kv.u.s->data;
        keylen = kv.u.s->len;
    }
    bool complex = kstring && !simple_key(key, keylen);
    size_t from = b->len;

    if (complex) { /* "? key", then ":" at the mapping's indentation */
        fd_buf_puts(b, "? ");
        scalar_as(b, key, keylen, y_inc(ind, false, true), false);
        end_line(b, from);
        put_indent(b, ind);
    } else if (kstring) {
        scalar_as(b, key, keylen, y_inc(ind, false, true), true);
    } else { /* a key of any type marshals as a value does */
        ok = node(b, kv, ind, false, err);
    }
    fd_buf_putc(b, ':');
    if (!ok)
        return false;
    if (is_block(val)) {
        if (complex) { /* the block starts on the ":" line, at its indentation */
            put_indent(b, y_inc(ind, false, false) - (int)(b->len - line_start(b)));
            return block(b, val, ind, false, true, err);
        }
        fd_buf_putc(b, '\n');
        return block(b, val, ind, false, false, err);
    }
    fd_buf_putc(b, ' ');
    from = b->len;
    ok = node(b, val, ind, false, err);
    end_line(b, from);
    return ok;
}

/* A block mapping under a parent of indentation pind: keys in yaml.v3's
 * order, one per line at the mapping's own indentation. One of Kargo's
 * structs (no yaml tags) has its fields in declaration order, each keyed by
 * its Go name in lower case, as yaml.v3 names them. */
static bool block_map(struct fd_buf *b, const struct fd_expr_map *m, int pind, bool pseq,
                      bool inline_first, const char **err)
{
    int ind = y_inc(pind, pseq, false);
    const char *sname;
    size_t nf = 0;
    const struct fd_expr_gofield *f =
        m->gostruct ? fd_expr_gostruct_fields(m->gostruct, &sname, &nf) : NULL;
    const struct fd_expr_map_entry **e = fd_xcalloc(m->len + 1, sizeof(*e));
    size_t n = 0;

    if (f) {
        for (size_t i = 0; i < nf; i++)
            for (size_t k = 0; k < m->len; k++)
                if (strcmp(m->e[k].key->data, f[i].go) == 0)
                    e[n++] = &m->e[k];
    } else {
        for (size_t i = 0; i < m->len; i++)
            e[n++] = &m->e[i];
        qsort(e, n, sizeof(*e), m->anykey ? any_key_cmp : key_cmp);
    }
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++) {
        if (i > 0 || !inline_first)
            put_indent(b, ind);
        if (f) {
            char *lower = fd_xstrdup(e[i]->key->data);
            for (char *c = lower; *c; c++)
                *c = (char)tolower((unsigned char)*c);
            ok = map_item(b, m, e[i], lower, strlen(lower), ind, err);
            free(lower);
        } else {
            ok = map_item(b, m, e[i], e[i]->key->data, e[i]->key->len, ind, err);
        }
    }
    free(e);
    return ok;
}

/* A block sequence under a parent of indentation pind: "- " at its own
 * indentation; an item's own block continues the line. */
static bool block_seq(struct fd_buf *b, struct fd_expr_val v, int pind, bool pseq,
                      bool inline_first, const char **err)
{
    int ind = y_inc(pind, pseq, false);

    for (size_t i = 0; i < v.u.a->len; i++) {
        struct fd_expr_val item = fd_expr_arr_get(v.u.a, i);
        if (i > 0 || !inline_first)
            put_indent(b, ind);
        fd_buf_puts(b, "- ");
        bool ok;
        if (is_block(item)) {
            ok = block(b, item, ind, true, true, err);
        } else {
            size_t from = b->len;
            ok = node(b, item, ind, true, err);
            end_line(b, from);
        }
        if (!ok)
            return false;
    }
    return true;
}

static bool node(struct fd_buf *b, struct fd_expr_val v, int pind, bool pseq, const char **err)
{
    int indent = y_inc(pind, pseq, true); /* a scalar's continuation lines */
    struct fd_buf t = FD_BUF_INIT;

    switch (v.kind) {
    case FD_VAL_NIL:
        fd_buf_puts(b, "null");
        return true;
    case FD_VAL_BOOL:
        fd_buf_puts(b, v.u.b ? "true" : "false");
        return true;
    case FD_VAL_INT:
        fd_buf_printf(b, "%lld", (long long)v.u.i);
        return true;
    case FD_VAL_FLOAT:
        if (isnan(v.u.f))
            fd_buf_puts(b, ".nan");
        else if (isinf(v.u.f))
            fd_buf_puts(b, v.u.f > 0 ? ".inf" : "-.inf");
        else
            fd_go_format_float(b, v.u.f, 'g');
        return true;
    case FD_VAL_STRING: /* a *semver.Version marshals as its MarshalText, String() */
        if (fd_expr_is_semver(v) && fd_expr_semver_string(&t, v.u.s->data, v.u.s->len)) {
            scalar(b, t.data, t.len, indent);
            fd_buf_free(&t);
            return true;
        }
        scalar(b, v.u.s->data, v.u.s->len, indent);
        return true;
    case FD_VAL_DURATION: /* time.Duration marshals as its String() */
        fd_expr_format_duration(&t, v.u.i);
        scalar(b, t.data ? t.data : "", t.len, indent);
        fd_buf_free(&t);
        return true;
    case FD_VAL_TIME:
        if (v.u.t->nsec == -1) { /* *time.Location: no exported fields */
            fd_buf_puts(b, "{}");
            return true;
        }
        fd_expr_format_time_rfc3339(b, v.u.t);
        return true;
    case FD_VAL_ARRAY:
        if (v.u.a->len == 0) {
            fd_buf_puts(b, "[]");
            return true;
        }
        break;
    case FD_VAL_MAP:
        if (v.u.m->gostruct && v.u.m->isnil) { /* a nil pointer to a struct */
            fd_buf_puts(b, "null");
            return true;
        }
        if (v.u.m->len == 0) {
            fd_buf_puts(b, "{}");
            return true;
        }
        break;
    default: /* a function */
        fd_buf_puts(b, "null");
        return true;
    }
    /* a non-empty collection on its own (the top level) */
    return block(b, v, pind, pseq, false, err);
}

/* v with every []byte in it a sequence of its bytes, as yaml.v3 marshals a
 * slice of uint8s (a new value where one was found, else a new reference). */
static struct fd_expr_val bytes_as_ints(struct fd_expr_val v, int depth)
{
    if (depth > FD_EXPR_MAX_DEPTH)
        return fd_expr_val_ref(v);
    if (v.kind == FD_VAL_BYTES) {
        struct fd_expr_val r = fd_expr_arr_new(v.u.s->len);
        for (size_t i = 0; i < v.u.s->len; i++)
            fd_expr_arr_push(r, fd_expr_int((unsigned char)v.u.s->data[i]));
        return r;
    }
    if (v.kind == FD_VAL_ARRAY && !v.u.a->floats) {
        struct fd_expr_val r = fd_expr_arr_new(v.u.a->len);
        for (size_t i = 0; i < v.u.a->len; i++)
            fd_expr_arr_push(r, bytes_as_ints(v.u.a->items[i], depth + 1));
        return r;
    }
    if (v.kind == FD_VAL_MAP) {
        struct fd_expr_val r = fd_expr_map_new(v.u.m->len);
        r.u.m->anykey = v.u.m->anykey;
        r.u.m->anyvals = v.u.m->anyvals;
        r.u.m->isnil = v.u.m->isnil;
        r.u.m->strvals = v.u.m->strvals;
        r.u.m->gostruct = v.u.m->gostruct;
        r.u.m->ptr = v.u.m->ptr;
        for (size_t i = 0; i < v.u.m->len; i++) {
            const struct fd_expr_map_entry *e = &v.u.m->e[i];
            if (v.u.m->anykey)
                fd_expr_map_set_encoded(r, e->key->data, e->key->len, e->kval,
                                        bytes_as_ints(e->val, depth + 1));
            else
                fd_expr_map_set(r, e->key->data, e->key->len, bytes_as_ints(e->val, depth + 1));
        }
        return r;
    }
    return fd_expr_val_ref(v);
}

bool fd_expr_bi_yaml(struct fd_buf *b, struct fd_expr_val v, const char **err)
{
    size_t at = b->len;
    struct fd_expr_val w = bytes_as_ints(v, 0);
    bool ok = true;

    ok = node(b, w, -1, false, err);
    fd_expr_val_release(&w);
    if (!ok)
        return false;
    end_line(b, at);
    return true;
}

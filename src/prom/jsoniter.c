/* prom/jsoniter.c: json-iterator/go v1.1.12's Iterator as client_golang
 * v1.23's apiClientImpl.Do uses it (jsoniter.Unmarshal into apiResponse,
 * ConfigDefault: case-insensitive fields, so the general struct decoder),
 * ported for one purpose: the error it reports for an answer that is not
 * what it can read, word for word and at the same byte. The values are
 * read by the caller with jansson afterwards.
 *
 * Each function is the Go method of the same name (iter.go, iter_str.go,
 * iter_skip.go, iter_skip_strict.go, iter_object.go, iter_array.go,
 * iter_float.go, reflect_struct_decoder.go, reflect_slice.go). Errors are
 * sticky as in Go: the first one stays, wrappers prefix it; io.EOF is a
 * state of its own that a later error replaces. */
#include "config.h"

#include "jsoniter.h"

#include "freightdeck/util.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 10000

struct iter {
    const char *buf;
    size_t head, tail;
    char *err; /* iter.Error, not io.EOF */
    bool eof;  /* iter.Error == io.EOF */
    int depth;
};

static bool has_error(const struct iter *it)
{
    return it->err || it->eof;
}

char *fd_prom_jsoniter_report(const char *op, const char *msg, const char *buf, size_t len,
                              size_t head)
{
    size_t ps = head > 10 ? head - 10 : 0, pe = head + 10 < len ? head + 10 : len;
    size_t cs = head > 50 ? head - 50 : 0, ce = head + 50 < len ? head + 50 : len;
    char *near = fd_nul_shown_dup(buf + ps, pe - ps);
    char *context = fd_nul_shown_dup(buf + cs, ce - cs);
    char *out = fd_xasprintf("%s: %s, error found in #%zu byte of ...|%s|..., bigger context "
                             "...|%s|...",
                             op, msg, head - ps, near, context);
    free(near);
    free(context);
    return out;
}

/* ReportError: the first error stays (fd_prom_jsoniter_report's words). */
static void report(struct iter *it, const char *op, const char *fmt, ...) FD_PRINTF(3, 4);
static void report(struct iter *it, const char *op, const char *fmt, ...)
{
    if (it->err)
        return;
    va_list ap;
    char msg[128]; /* (the messages are short and fixed) */

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    it->err = fd_prom_jsoniter_report(op, msg, it->buf, it->tail, it->head);
    it->eof = false;
}

/* iter.Error = err, an error of its own (strconv's, math/big's). */
static void set_error(struct iter *it, char *msg)
{
    free(it->err);
    it->err = msg;
    it->eof = false;
}

/* fmt.Errorf("<prefix>%s", iter.Error) when there is one (not io.EOF). */
static void wrap(struct iter *it, const char *prefix)
{
    if (!it->err)
        return;
    char *w = fd_xasprintf("%s%s", prefix, it->err);
    free(it->err);
    it->err = w;
}

/* string([]byte{c}); a NUL, which a C string cannot carry, as
 * FD_NUL_SHOWN (util.h). */
static const char *byte_str(char c, char out[sizeof(FD_NUL_SHOWN)])
{
    if (c == '\0')
        return FD_NUL_SHOWN;
    out[0] = c;
    out[1] = '\0';
    return out;
}

static bool load_more(struct iter *it)
{
    if (!has_error(it)) {
        it->head = it->tail;
        it->eof = true;
    }
    return false;
}

static char next_token(struct iter *it)
{
    for (size_t i = it->head; i < it->tail; i++) {
        char c = it->buf[i];
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r')
            continue;
        it->head = i + 1;
        return c;
    }
    load_more(it);
    return 0;
}

static char read_byte(struct iter *it)
{
    if (it->head == it->tail) {
        load_more(it);
        return 0;
    }
    return it->buf[it->head++];
}

static void unread_byte(struct iter *it)
{
    if (has_error(it))
        return;
    it->head--;
}

static bool increment_depth(struct iter *it)
{
    if (++it->depth <= MAX_DEPTH)
        return true;
    report(it, "incrementDepth", "exceeded max depth");
    return false;
}

static bool decrement_depth(struct iter *it)
{
    if (--it->depth >= 0)
        return true;
    report(it, "decrementDepth", "unexpected negative nesting");
    return false;
}

/* skipThreeBytes / skipFourBytes: the bytes of want, or an error naming
 * them all. */
static void skip_bytes(struct iter *it, const char *op, const char *want)
{
    for (const char *w = want; *w; w++)
        if (read_byte(it) != *w) {
            report(it, op, "expect %s", want);
            return;
        }
}

static void skip_three(struct iter *it, const char *want)
{
    skip_bytes(it, "skipThreeBytes", want);
}

static void skip_four(struct iter *it, const char *want)
{
    skip_bytes(it, "skipFourBytes", want);
}

/* ---- Strings ---------------------------------------------------------------- */

static void put_rune(struct fd_buf *out, uint32_t r)
{
    if (out)
        fd_utf8_encode(out, r);
}

static uint32_t read_u4(struct iter *it)
{
    uint32_t r = 0;
    char found[sizeof(FD_NUL_SHOWN)];

    for (int i = 0; i < 4; i++) {
        char c = read_byte(it);
        if (has_error(it))
            return r;
        if (c >= '0' && c <= '9')
            r = r * 16 + (uint32_t)(c - '0');
        else if (c >= 'a' && c <= 'f')
            r = r * 16 + (uint32_t)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            r = r * 16 + (uint32_t)(c - 'A' + 10);
        else {
            report(it, "readU4", "expects 0~9 or a~f, but found %s", byte_str(c, found));
            return r;
        }
    }
    return r;
}

static void read_escaped_char(struct iter *it, char c, struct fd_buf *out)
{
    static const char plain[] = "\"\\/bfnrt", value[] = "\"\\/\b\f\n\r\t";

    if (c == 'u') {
        uint32_t r = read_u4(it);
        if (r < 0xD800 || r > 0xDFFF) {
            put_rune(out, r);
            return;
        }
        c = read_byte(it);
        if (has_error(it))
            return;
        if (c != '\\') {
            unread_byte(it);
            put_rune(out, r);
            return;
        }
        c = read_byte(it);
        if (has_error(it))
            return;
        if (c != 'u') {
            put_rune(out, r);
            read_escaped_char(it, c, out);
            return;
        }
        uint32_t r2 = read_u4(it);
        if (has_error(it))
            return;
        if (r >= 0xD800 && r < 0xDC00 && r2 >= 0xDC00 && r2 <= 0xDFFF) {
            put_rune(out, 0x10000 + ((r - 0xD800) << 10) + (r2 - 0xDC00));
        } else { /* utf16.DecodeRune's U+FFFD: both, each as itself */
            put_rune(out, r);
            put_rune(out, r2);
        }
        return;
    }
    const char *p = c ? strchr(plain, c) : NULL;
    if (!p) {
        report(it, "readEscapedChar", "invalid escape char after \\");
        return;
    }
    if (out)
        fd_buf_putc(out, value[p - plain]);
}

/* true when it read the whole string (Go returns "" otherwise) */
static bool read_string_slow_path(struct iter *it, struct fd_buf *out)
{
    while (!has_error(it)) {
        char c = read_byte(it);
        if (c == '"')
            return true;
        if (c == '\\')
            read_escaped_char(it, read_byte(it), out);
        else if (out)
            fd_buf_putc(out, c);
    }
    report(it, "readStringSlowPath", "unexpected end of input");
    return false;
}

/* ReadString; the text goes to out (NULL: dropped). Returns false when Go's
 * ReadString returns "" for want of a string (out then holds junk). */
static bool read_string(struct iter *it, struct fd_buf *out)
{
    char found[sizeof(FD_NUL_SHOWN)];
    char c = next_token(it);

    if (c == '"') {
        for (size_t i = it->head; i < it->tail; i++) {
            unsigned char b = (unsigned char)it->buf[i];
            if (b == '"') {
                if (out)
                    fd_buf_append(out, it->buf + it->head, i - it->head);
                it->head = i + 1;
                return true;
            }
            if (b == '\\')
                break;
            if (b < ' ') {
                report(it, "ReadString", "invalid control character found: %d", b);
                return false;
            }
        }
        return read_string_slow_path(it, out);
    }
    if (c == 'n')
        skip_three(it, "ull");
    else
        report(it, "ReadString", "expects \" or n, but found %s", byte_str(c, found));
    return false;
}

/* ---- Numbers (iter_float.go, iter_skip_strict.go) ---------------------------- */

enum { INVALID = -1, END = -2, DOT = -3 };

static int float_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c == ',' || c == ']' || c == '}' || c == ' ' || c == '\t' || c == '\n')
        return END;
    return c == '.' ? DOT : INVALID;
}

/* readNumberAsString: a new string, or NULL when it failed. */
static char *read_number_as_string(struct iter *it)
{
    struct fd_buf b = FD_BUF_INIT;
    size_t i;

    for (i = it->head; i < it->tail; i++) {
        char c = it->buf[i];
        if (!strchr("+-.eE0123456789", c) || !c)
            break;
        fd_buf_putc(&b, c);
    }
    if (i < it->tail)
        it->head = i;
    else
        load_more(it);
    if (it->err) {
        fd_buf_free(&b);
        return NULL;
    }
    if (b.len == 0)
        report(it, "readNumberAsString", "invalid number");
    return fd_buf_steal(&b);
}

static const char *validate_float(const char *s)
{
    if (!*s)
        return "empty number";
    if (*s == '-')
        return "-- is not valid";
    const char *dot = strchr(s, '.');
    if (dot) {
        if (!dot[1])
            return "dot can not be last character";
        if (dot[1] < '0' || dot[1] > '9')
            return "missing digit after dot";
    }
    return NULL;
}

static size_t digits(const char *s)
{
    size_t n = 0;
    while (s[n] >= '0' && s[n] <= '9')
        n++;
    return n;
}

/* strconv.ParseFloat(s, bits) of text over [+-.eE0-9]: its error, or NULL. */
static char *parse_float_error(const char *s, int bits)
{
    const char *p = s + (*s == '+' || *s == '-');
    size_t m = digits(p);
    p += m;
    if (*p == '.') {
        size_t f = digits(p + 1);
        m += f;
        p += 1 + f;
    }
    bool ok = m > 0;
    if (ok && (*p == 'e' || *p == 'E')) {
        p++;
        p += *p == '+' || *p == '-';
        size_t e = digits(p);
        ok = e > 0;
        p += e;
    }
    if (!ok || *p)
        return fd_xasprintf("strconv.ParseFloat: parsing \"%s\": invalid syntax", s);
    errno = 0;
    double d = strtod(s, NULL);
    if (isinf(bits == 32 ? (double)(float)d : d))
        return fd_xasprintf("strconv.ParseFloat: parsing \"%s\": value out of range", s);
    return NULL;
}

static void read_float_slow_path(struct iter *it, int bits)
{
    char *s = read_number_as_string(it);
    if (!s || it->err) {
        free(s);
        return;
    }
    const char *bad = validate_float(s);
    if (bad) {
        report(it, bits == 32 ? "readFloat32SlowPath" : "readFloat64SlowPath", "%s", bad);
    } else {
        char *e = parse_float_error(s, bits);
        if (e)
            set_error(it, e);
    }
    free(s);
}

static void read_positive_float(struct iter *it, int bits)
{
    static const uint64_t safe = UINT64_MAX / 10 - 1;
    const char *op = bits == 32 ? "readFloat32" : "readFloat64";
    size_t i = it->head;
    uint64_t value;
    char c;
    int ind;

    if (i == it->tail)
        goto slow;
    c = it->buf[i++];
    ind = float_digit(c);
    if (ind == INVALID)
        goto slow;
    if (ind == END) {
        report(it, op, "empty number");
        return;
    }
    if (ind == DOT) {
        report(it, op, "leading dot is invalid");
        return;
    }
    if (ind == 0) {
        if (i == it->tail)
            goto slow;
        if (it->buf[i] >= '0' && it->buf[i] <= '9') {
            report(it, op, "leading zero is invalid");
            return;
        }
    }
    value = (uint64_t)ind;
    for (; i < it->tail; i++) { /* before the dot */
        c = it->buf[i];
        ind = float_digit(c);
        if (ind == INVALID)
            goto slow;
        if (ind == END) {
            it->head = i;
            return;
        }
        if (ind == DOT)
            break;
        if (value > safe)
            goto slow;
        value = value * 10 + (uint64_t)ind;
    }
    if (c == '.') {
        int places = 0;
        if (++i == it->tail)
            goto slow;
        for (; i < it->tail; i++) {
            ind = float_digit(it->buf[i]);
            if (ind == END) {
                if (places > 0 && places < 7) { /* pow10 has seven */
                    it->head = i;
                    return;
                }
                goto slow;
            }
            if (ind == INVALID || ind == DOT)
                goto slow;
            places++;
            if (value > safe)
                goto slow;
            value = value * 10 + (uint64_t)ind;
        }
    }
slow:
    read_float_slow_path(it, bits);
}

/* ReadFloat32 / ReadFloat64: the value itself is not needed. */
static void read_float(struct iter *it, int bits)
{
    if (next_token(it) != '-')
        unread_byte(it);
    read_positive_float(it, bits);
}

/* math/big's Float.Parse(s, 10) of text over [+-.eE0-9]: its error. */
static void read_big_float(struct iter *it)
{
    char *s = read_number_as_string(it);
    if (!s || it->err) {
        free(s);
        return;
    }
    const char *p = s + (*s == '+' || *s == '-');
    size_t m = digits(p);
    p += m;
    if (*p == '.') {
        size_t f = digits(p + 1);
        m += f;
        p += 1 + f;
    }
    char *e = NULL;
    if (!m) {
        e = fd_xstrdup("number has no digits");
    } else if (*p == 'e' || *p == 'E') {
        p++;
        p += *p == '+' || *p == '-';
        size_t x = digits(p);
        p += x;
        if (!x)
            e = fd_xstrdup("number has no digits");
    }
    if (!e && *p)
        e = fd_xasprintf("expected end of string, found '%c'", *p);
    if (e)
        set_error(it, e);
    free(s);
}

static bool try_skip_number(struct iter *it)
{
    bool dot = false;

    for (size_t i = it->head; i < it->tail; i++) {
        char c = it->buf[i];
        if (c >= '0' && c <= '9')
            continue;
        if (c == '.') {
            if (dot) {
                report(it, "validateNumber", "more than one dot found in number");
                return true;
            }
            if (i + 1 == it->tail)
                return false;
            if (it->buf[i + 1] < '0' || it->buf[i + 1] > '9') {
                report(it, "validateNumber", "missing digit after dot");
                return true;
            }
            dot = true;
            continue;
        }
        if (c == ',' || c == ']' || c == '}' || c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            if (it->head == i)
                return false;
            it->head = i;
            return true;
        }
        return false;
    }
    return false;
}

static void skip_number(struct iter *it)
{
    if (try_skip_number(it))
        return;
    unread_byte(it);
    if (it->err)
        return;
    read_float(it, 64);
    if (it->err) { /* a number ReadFloat64 refuses may still be a big.Float */
        free(it->err);
        it->err = NULL;
        read_big_float(it);
    }
}

/* ---- Skip -------------------------------------------------------------------- */

static void skip(struct iter *it);

static bool try_skip_string(struct iter *it)
{
    for (size_t i = it->head; i < it->tail; i++) {
        unsigned char c = (unsigned char)it->buf[i];
        if (c == '"') {
            it->head = i + 1;
            return true;
        }
        if (c == '\\')
            return false;
        if (c < ' ') {
            report(it, "trySkipString", "invalid control character found: %d", c);
            return true;
        }
    }
    return false;
}

static void skip_string(struct iter *it)
{
    if (!try_skip_string(it)) {
        unread_byte(it);
        read_string(it, NULL);
    }
}

/* ReadObjectCB with Skip as the callback (skipObject). */
static bool read_object_skipping(struct iter *it)
{
    char found[sizeof(FD_NUL_SHOWN)];
    char c = next_token(it);

    if (c == 'n') {
        skip_three(it, "ull");
        return true;
    }
    if (c != '{') {
        report(it, "ReadObjectCB", "expect { or n, but found %s", byte_str(c, found));
        return false;
    }
    if (!increment_depth(it))
        return false;
    c = next_token(it);
    if (c == '}')
        return decrement_depth(it);
    if (c != '"') {
        report(it, "ReadObjectCB", "expect \" after {, but found %s", byte_str(c, found));
        decrement_depth(it);
        return false;
    }
    unread_byte(it);
    do {
        read_string(it, NULL);
        c = next_token(it);
        if (c != ':')
            report(it, "ReadObject", "expect : after object field, but found %s",
                   byte_str(c, found));
        skip(it);
        c = next_token(it);
    } while (c == ',');
    if (c != '}') {
        report(it, "ReadObjectCB", "object not ended with }");
        decrement_depth(it);
        return false;
    }
    return decrement_depth(it);
}

/* ReadArrayCB with Skip as the callback (skipArray). */
static bool read_array_skipping(struct iter *it)
{
    char found[sizeof(FD_NUL_SHOWN)];
    char c = next_token(it);

    if (c == 'n') {
        skip_three(it, "ull");
        return true;
    }
    if (c != '[') {
        report(it, "ReadArrayCB", "expect [ or n, but found %s", byte_str(c, found));
        return false;
    }
    if (!increment_depth(it))
        return false;
    c = next_token(it);
    if (c == ']')
        return decrement_depth(it);
    unread_byte(it);
    do {
        skip(it);
        c = next_token(it);
    } while (c == ',');
    if (c != ']') {
        report(it, "ReadArrayCB", "expect ] in the end, but found %s", byte_str(c, found));
        decrement_depth(it);
        return false;
    }
    return decrement_depth(it);
}

static void skip(struct iter *it)
{
    char c = next_token(it);

    switch (c) {
    case '"':
        skip_string(it);
        break;
    case 'n':
        skip_three(it, "ull");
        break;
    case 't':
        skip_three(it, "rue");
        break;
    case 'f':
        skip_four(it, "alse");
        break;
    case '0':
        unread_byte(it);
        read_float(it, 32);
        break;
    case '-':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9':
        skip_number(it);
        break;
    case '[':
        unread_byte(it);
        read_array_skipping(it);
        break;
    case '{':
        unread_byte(it);
        read_object_skipping(it);
        break;
    default:
        report(it, "Skip", "do not know how to skip: %d", (unsigned char)c);
        break;
    }
}

/* ---- apiResponse ---------------------------------------------------------- */

/* The []string decoder (Warnings). */
static void decode_strings(struct iter *it)
{
    char found[sizeof(FD_NUL_SHOWN)];
    char c = next_token(it);

    if (c == 'n') {
        skip_three(it, "ull");
    } else if (c != '[') {
        report(it, "decode slice", "expect [ or n, but found %s", byte_str(c, found));
    } else if ((c = next_token(it)) != ']') {
        unread_byte(it);
        read_string(it, NULL);
        for (c = next_token(it); c == ','; c = next_token(it))
            read_string(it, NULL);
        if (c != ']')
            report(it, "decode slice", "expect ], but found %s", byte_str(c, found));
    }
    wrap(it, "[]string: ");
}

/* The fields of apiResponse, by JSON name (and its lower case: the config
 * is case-insensitive), with the Go name a field decoder's error carries. */
static const struct {
    const char *json, *lower, *go;
} fields[] = {
    {"status", "status", "Status"},          {"data", "data", "Data"},
    {"errorType", "errortype", "ErrorType"}, {"error", "error", "Error"},
    {"warnings", "warnings", "Warnings"},
};

static void decode_one_field(struct iter *it)
{
    struct fd_buf name = FD_BUF_INIT;
    char found[sizeof(FD_NUL_SHOWN)];
    int f = -1;

    if (!read_string(it, &name))
        fd_buf_free(&name); /* the field is "" */
    const char *n = fd_buf_cstr(&name);
    for (size_t i = 0; f < 0 && i < FD_ARRAY_SIZE(fields); i++)
        if (strlen(n) == name.len && strcmp(n, fields[i].json) == 0)
            f = (int)i;
    if (f < 0 && strlen(n) == name.len) {
        char *lower = fd_xstrdup(n);
        for (char *p = lower; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p - 'A' + 'a');
        for (size_t i = 0; f < 0 && i < FD_ARRAY_SIZE(fields); i++)
            if (strcmp(lower, fields[i].lower) == 0)
                f = (int)i;
        free(lower);
    }
    fd_buf_free(&name);
    char c = next_token(it);
    if (c != ':')
        report(it, "ReadObject", "expect : after object field, but found %s", byte_str(c, found));
    if (f < 0) {
        skip(it);
        return;
    }
    if (strcmp(fields[f].json, "data") == 0)
        skip(it); /* a RawMessage: SkipAndReturnBytes */
    else if (strcmp(fields[f].json, "warnings") == 0)
        decode_strings(it);
    else
        read_string(it, NULL);
    char *prefix = fd_xasprintf("%s: ", fields[f].go);
    wrap(it, prefix);
    free(prefix);
}

/* generalStructDecoder.Decode */
static void decode_api_response(struct iter *it)
{
    char found[sizeof(FD_NUL_SHOWN)];
    char c = next_token(it);

    /* readObjectStart */
    if (c == 'n') {
        skip_three(it, "ull");
        return;
    }
    if (c != '{') {
        report(it, "readObjectStart", "expect { or n, but found %s", byte_str(c, found));
        return;
    }
    if (next_token(it) == '}')
        return;
    unread_byte(it);
    if (!increment_depth(it))
        return;
    for (c = ','; c == ','; c = next_token(it))
        decode_one_field(it);
    wrap(it, "v1.apiResponse.");
    if (c != '}')
        report(it, "struct Decode", "expect }, but found %s", byte_str(c, found));
    decrement_depth(it);
}

char *fd_prom_jsoniter_api_response(const char *buf, size_t len)
{
    struct iter it = {.buf = buf ? buf : "", .tail = buf ? len : 0};

    decode_api_response(&it); /* ReadVal */
    if (it.depth != 0)
        report(&it, "ReadVal", "unexpected mismatched nesting");
    /* Unmarshal: anything but white space after the value is an error; a
     * NUL byte there reads as the end */
    if (next_token(&it) != 0)
        report(&it, "Unmarshal", "there are bytes left after unmarshal");
    return it.err;
}

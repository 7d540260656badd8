/* expr/lexer.c: expr-lang's tokens (parser/lexer/state.go): numbers with
 * 0x/0o/0b and '_', strings with Go escapes, raw and byte strings,
 * comments, and word operators. */
#include "config.h"

#include "ast.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The rune at byte i of the source and its width (*w): Go's
 * utf8.DecodeRuneInString, U+FFFD of width 1 for a byte that starts no
 * valid sequence. */
static uint32_t rune_at(const char *s, size_t len, size_t i, size_t *w)
{
    uint32_t r = 0;

    if (i < len && (unsigned char)s[i] < 0x80) { /* (most of any source) */
        *w = 1;
        return (unsigned char)s[i];
    }
    *w = i < len ? fd_utf8_decode(s + i, len - i, &r) : 0;
    if (*w == 0) {
        *w = 1;
        r = 0xFFFD;
    }
    return r;
}

/* utils.go IsAlphaNumeric: '_', '$', unicode.IsLetter or IsDigit. */
static bool is_alnum(uint32_t r)
{
    return r == '_' || r == '$' || fd_unicode_is_letter(r) || fd_unicode_is_digit(r);
}

struct lexer {
    const char *s;
    size_t len, i;
    struct fd_toks *out;
    struct fd_expr_error *err;
    bool v115; /* v1.15.5's lexer: no raw strings, errors located after the rune */
};

static struct fd_tok *emit(struct lexer *l, enum fd_tok_kind kind, size_t start)
{
    struct fd_toks *t = l->out;

    if (t->n == t->cap) {
        /* First guess from the length (a token per ~2 bytes, bounded) so
         * that short expressions allocate once. */
        t->cap = t->cap ? t->cap * 2 : l->len / 2 + 4 < 256 ? l->len / 2 + 4 : 256;
        t->t = fd_xreallocarray(t->t, t->cap, sizeof(*t->t));
    }
    struct fd_tok *k = &t->t[t->n++];
    memset(k, 0, sizeof(*k));
    k->kind = (uint8_t)kind;
    k->pos = (uint32_t)start;
    k->len = (uint32_t)(l->i - start);
    k->text = l->s + start;
    return k;
}

static bool fail(struct lexer *l, size_t at, const char *fmt, const char *arg) FD_PRINTF(3, 0);
static bool fail(struct lexer *l, size_t at, const char *fmt, const char *arg)
{
    char msg[256];

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    snprintf(msg, sizeof(msg), fmt, arg);
#pragma GCC diagnostic pop
    fd_expr_error_set(l->err, FD_EXPR_PHASE_COMPILE, l->s, l->len, at, "%s", msg);
    return false;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Scans a quoted string starting at the quote with expr's escapes
 * (lexer.go scanEscape, then utils.go unescape): \x and octal escapes are
 * code points in a string (UTF-8 encoded: '\xff' is "ÿ", two bytes) and
 * bytes in a b"..." literal; only the enclosing quote may be escaped;
 * v1.17 adds \u{1F600}. */
static bool scan_string(struct lexer *l, size_t start, char quote)
{
    struct fd_buf b = FD_BUF_INIT;
    size_t i = l->i + 1;
    bool bytes = (l->s[start] | 0x20) == 'b' && !l->v115; /* v1.15.5: a name b, then a string */
    size_t late = l->v115;    /* v1.15.5 located lexer errors one rune later */
    bool unescapable = false; /* found by unescape, after the whole literal */

    for (;;) {
        if (i >= l->len || l->s[i] == '\n') { /* located after what ended it */
            fd_buf_free(&b);
            return fail(l, i + (i < l->len ? late : 0), "%s", "literal not terminated");
        }
        char c = l->s[i];
        if (c == quote) {
            i++;
            break;
        }
        if (c != '\\') {
            fd_buf_putc(&b, c);
            i++;
            continue;
        }
        if (++i >= l->len) { /* scanEscape reads EOF: no such escape */
            fd_buf_free(&b);
            return fail(l, l->len, "%s", "invalid char escape");
        }
        c = l->s[i++];
        int ndig = 0, base = 16;
        bool braces = false;
        switch (c) {
        case 'a':
            fd_buf_putc(&b, '\a');
            break;
        case 'b':
            fd_buf_putc(&b, '\b');
            break;
        case 'f':
            fd_buf_putc(&b, '\f');
            break;
        case 'n':
            fd_buf_putc(&b, '\n');
            break;
        case 'r':
            fd_buf_putc(&b, '\r');
            break;
        case 't':
            fd_buf_putc(&b, '\t');
            break;
        case 'v':
            fd_buf_putc(&b, '\v');
            break;
        case '\\':
            fd_buf_putc(&b, '\\');
            break;
        case 'x':
            ndig = 2;
            break;
        case 'u':
            if (!l->v115 && i < l->len && l->s[i] == '{') {
                braces = true;
                i++;
            } else {
                ndig = 4;
            }
            break;
        case 'U':
            ndig = 8;
            break;
        default:
            if (c == quote) {
                fd_buf_putc(&b, c);
                break;
            }
            if (c >= '0' && c <= '7') {
                ndig = 3;
                base = 8;
                i--;
                break;
            }
            fd_buf_free(&b);
            return fail(l, i - 1 + late, "%s", "invalid char escape");
        }
        if (!ndig && !braces)
            continue;
        uint32_t r = 0;
        int got = 0;
        for (;;) {
            if (braces && i < l->len && l->s[i] == '}' && got > 0) {
                i++;
                break;
            }
            if (!braces && got == ndig)
                break;
            int d = i < l->len ? hexval(l->s[i]) : -1;
            if (d < 0 || d >= base || (braces && got == 6)) {
                /* scanDigits consumed the bad digit; \u{ only peeks at it */
                fd_buf_free(&b);
                return fail(l, (braces ? i - 1 : i) + late, "%s", "invalid char escape");
            }
            r = r * (uint32_t)base + (uint32_t)d;
            got++;
            i++;
        }
        if (base == 8 && r > 255) /* \4xx-\7xx: no octal sequence of unescape */
            unescapable = true;
        else if (bytes && (c == 'x' || base == 8))
            fd_buf_putc(&b, (char)r);   /* a byte of a b"..." literal */
        else if (bytes || r > 0x10ffff) /* no \u in bytes; no such rune */
            unescapable = true;
        else
            fd_utf8_encode(&b, r);
    }

    if (unescapable) { /* unescape's error points at the closing quote */
        fd_buf_free(&b);
        return fail(l, i - 1 + late, "%s", "unable to unescape string");
    }
    l->i = i;
    struct fd_tok *t = emit(l, TK_STRING, start);
    t->strlen = b.len;
    t->str = fd_buf_steal(&b);
    return true;
}

/* A raw string: v1.17 reads a doubled backtick inside as one backtick. */
static bool scan_raw(struct lexer *l, size_t start)
{
    struct fd_buf b = FD_BUF_INIT;
    size_t i = l->i + 1;

    for (;;) {
        const char *end = memchr(l->s + i, '`', l->len - i);
        if (!end) {
            fd_buf_free(&b);
            return fail(l, l->len, "%s", "literal not terminated");
        }
        size_t at = (size_t)(end - l->s);
        fd_buf_append(&b, l->s + i, at - i);
        i = at + 1;
        if (l->v115 || i >= l->len || l->s[i] != '`')
            break;
        fd_buf_putc(&b, '`');
        i++;
    }
    l->i = i;
    struct fd_tok *t = emit(l, TK_STRING, start);
    t->strlen = b.len;
    t->str = b.len ? fd_buf_steal(&b) : fd_xstrdup("");
    fd_buf_free(&b);
    return true;
}

/* strchr without the call: the sets are a few bytes, c is never NUL. */
static inline bool in_set(char c, const char *set)
{
    for (; *set; set++)
        if (*set == c)
            return true;
    return false;
}

static bool accept(struct lexer *l, const char *set)
{
    if (l->i < l->len && l->s[l->i] && in_set(l->s[l->i], set)) {
        l->i++;
        return true;
    }
    return false;
}

/* A digit of a number literal in base (16, 8, 2, else 10); '_' separates. */
static bool is_digit_of(char c, int base)
{
    switch (base) {
    case 16:
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
               c == '_';
    case 8:
        return (c >= '0' && c <= '7') || c == '_';
    case 2:
        return c == '0' || c == '1' || c == '_';
    default:
        return (c >= '0' && c <= '9') || c == '_';
    }
}

static void accept_digits(struct lexer *l, int base)
{
    while (l->i < l->len && is_digit_of(l->s[l->i], base))
        l->i++;
}

static bool scan_number(struct lexer *l, size_t start)
{
    int digits = 10;

    if (accept(l, "0")) {
        if (accept(l, "xX"))
            digits = 16;
        else if (accept(l, "oO"))
            digits = 8;
        else if (accept(l, "bB"))
            digits = 2;
    }
    accept_digits(l, digits);
    size_t end = l->i;
    if (accept(l, ".")) {
        if (l->i < l->len && l->s[l->i] == '.') {
            l->i = end; /* 1..2 is a range */
            emit(l, TK_NUMBER, start);
            return true;
        }
        accept_digits(l, digits);
    }
    if (accept(l, "eE")) {
        accept(l, "+-");
        accept_digits(l, digits);
    }
    size_t w;
    if (l->i < l->len && is_alnum(rune_at(l->s, l->len, l->i, &w))) {
        l->i += w;
        char word[64];
        size_t n = l->i - start < sizeof(word) - 1 ? l->i - start : sizeof(word) - 1;
        memcpy(word, l->s + start, n);
        word[n] = '\0';
        /* lexer.go reports it at the offending character (v1.15.5: past it,
         * where its location had moved) */
        return fail(l, l->v115 ? l->i : l->i - w, "bad number syntax: \"%s\"", word);
    }
    emit(l, TK_NUMBER, start);
    return true;
}

static size_t word_end(struct lexer *l, size_t i)
{
    size_t w;

    while (i < l->len && is_alnum(rune_at(l->s, l->len, i, &w)))
        i += w;
    return i;
}

/* unicode.IsSpace of the rune at i: its width, or 0. */
static size_t space_at(const struct lexer *l, size_t i)
{
    size_t w;

    return i < l->len && fd_unicode_is_space(rune_at(l->s, l->len, i, &w)) ? w : 0;
}

struct word {
    const char *text;
    size_t len;
};
#define WORD(text)             \
    {                          \
        text, sizeof(text) - 1 \
    }

static bool word_is(const char *w, size_t n, const struct word *list)
{
    for (; list->text; list++)
        if (list->len == n && list->text[0] == w[0] && memcmp(list->text, w, n) == 0)
            return true;
    return false;
}

static const struct word word_ops[] = {WORD("in"),       WORD("or"),       WORD("and"),
                                       WORD("matches"),  WORD("contains"), WORD("startsWith"),
                                       WORD("endsWith"), WORD("let"),      WORD("if"),
                                       WORD("else"),     {NULL, 0}};
static const struct word not_suffix[] = {WORD("in"),         WORD("matches"),  WORD("contains"),
                                         WORD("startsWith"), WORD("endsWith"), {NULL, 0}};

static void scan_ident(struct lexer *l, size_t start)
{
    l->i = word_end(l, l->i);
    const char *w = l->s + start;
    size_t n = l->i - start;

    if (n == 3 && memcmp(w, "not", 3) == 0) {
        emit(l, TK_OP, start);
        /* "not in" and friends: the next word becomes an operator token. */
        size_t j = l->i;
        for (size_t sw; (sw = space_at(l, j)) > 0;)
            j += sw;
        size_t e = word_end(l, j);
        if (word_is(l->s + j, e - j, not_suffix)) {
            l->i = e;
            emit(l, TK_OP, j);
        }
        return;
    }
    /* v1.15.5 had no if/else: they are plain names there */
    bool op = word_is(w, n, word_ops) && !(l->v115 && ((n == 2 && memcmp(w, "if", 2) == 0) ||
                                                       (n == 4 && memcmp(w, "else", 4) == 0)));
    emit(l, op ? TK_OP : TK_IDENT, start);
}

static bool lex_one(struct lexer *l)
{
    size_t start = l->i;
    unsigned char c = (unsigned char)l->s[l->i];

    size_t space = space_at(l, l->i);
    if (space) {
        l->i += space;
        return true;
    }
    if (c == '\'' || c == '"')
        return scan_string(l, start, (char)c);
    if (c == '`' && !l->v115)
        return scan_raw(l, start);
    if ((c == 'b' || c == 'B') && l->i + 1 < l->len &&
        (l->s[l->i + 1] == '\'' || l->s[l->i + 1] == '"')) {
        /* Byte strings (b or B, state.go): a TK_STRING whose text starts with b; the parser
         * makes it a Go []byte (FD_VAL_BYTES). */
        l->i++;
        return scan_string(l, start, l->s[l->i]);
    }
    if (c >= '0' && c <= '9')
        return scan_number(l, start);
    l->i++;
    switch (c) {
    case '?':
        accept(l, ".?");
        break;
    case '/':
        if (accept(l, "/")) {
            while (l->i < l->len && l->s[l->i] != '\n')
                l->i++;
            return true;
        }
        if (accept(l, "*")) {
            for (;;) {
                if (l->i + 1 >= l->len) {
                    l->i = l->len;
                    return fail(l, l->len, "%s", "unclosed comment");
                }
                if (l->s[l->i] == '*' && l->s[l->i + 1] == '/') {
                    l->i += 2;
                    return true;
                }
                l->i++;
            }
        }
        break;
    case '#':
        accept(l, "#");
        emit(l, TK_OP, start);
        start = l->i;
        l->i = word_end(l, l->i);
        if (l->i > start)
            emit(l, TK_IDENT, start);
        return true;
    case '|':
        accept(l, "|");
        break;
    case ':': /* "::" is one token from v1.17 on (state.go) */
        if (!l->v115)
            accept(l, ":");
        break;
    case '(':
    case '[':
    case '{':
    case ')':
    case ']':
    case '}':
        emit(l, TK_BRACKET, start);
        return true;
    case ',':
    case ';':
    case '%':
    case '+':
    case '-':
    case '^':
        break;
    case '&':
    case '!':
    case '=':
    case '*':
    case '<':
    case '>':
        accept(l, "&=*");
        break;
    case '.':
        if (l->i < l->len && l->s[l->i] >= '0' && l->s[l->i] <= '9') {
            /* lexer.go dot(): scanNumber from the digit, so a second '.'
             * is the fraction's (".5.name" is a bad number) */
            l->i = start + 1;
            return scan_number(l, start);
        }
        accept(l, ".");
        break;
    default: {
        size_t n;
        uint32_t r = rune_at(l->s, l->len, start, &n);
        if (is_alnum(r)) {
            l->i = start + n;
            scan_ident(l, start);
            return true;
        }
        /* Go's %#U of the rune: U+20AC '€', U+00AD for one strconv.IsPrint
         * refuses; a byte that starts no UTF-8 is U+FFFD */
        char ch[32];
        if (!fd_unicode_is_print(r))
            snprintf(ch, sizeof(ch), "U+%04X", (unsigned)r);
        else if (r == 0xFFFD && n == 1)
            snprintf(ch, sizeof(ch), "U+FFFD '\xef\xbf\xbd'");
        else
            snprintf(ch, sizeof(ch), "U+%04X '%.*s'", (unsigned)r, (int)n, l->s + start);
        return fail(l, l->v115 ? start + n : start, "unrecognized character: %s", ch);
    }
    }
    emit(l, TK_OP, start);
    return true;
}

bool fd_expr_lex(const char *src, size_t len, bool v115, struct fd_toks *out,
                 struct fd_expr_error *err)
{
    struct lexer l = {src, len, 0, out, err, v115};

    memset(out, 0, sizeof(*out));
    while (l.i < l.len)
        if (!lex_one(&l)) {
            if (v115) /* lexer.go v1.15.5 lexes the whole source first */
                return false;
            emit(&l, TK_LEXERR, l.i < l.len ? l.i : l.len);
            out->lexerr = true;
            return true;
        }
    /* lexer.go locates EOF at the last rune of the source, not past it:
     * "1 +" fails with "unexpected token EOF (1:3)" */
    size_t eof = len;
    if (eof > 0) {
        eof--;
        while (eof > 0 && ((unsigned char)src[eof] & 0xc0) == 0x80)
            eof--;
    }
    emit(&l, TK_EOF, eof);
    return true;
}

void fd_expr_toks_free(struct fd_toks *t)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->t[i].str) /* strings only: skip the call for the others */
            free(t->t[i].str);
    free(t->t);
    memset(t, 0, sizeof(*t));
}

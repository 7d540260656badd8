/* expr/regex.c: `matches` uses Go's RE2 syntax; POSIX regcomp (ERE) is the
 * engine here, so the common RE2 forms are translated: \d \D, \w \W \s \S
 * (also inside brackets), \A \z, (?:...), a leading (?i), \n \t \r \f \v
 * escapes, \x{..}/\xhh. Lazy quantifiers (*? +? ??) become greedy, which
 * cannot change whether a string matches. Backreferences, \p{..}, (?s)/(?m)
 * and other flags are rejected as RE2 would reject or unsupported. */
#include "config.h"

#include "ast.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PATTERN 8192
#define MAX_REPEAT 1000

static bool fail(char *msg, size_t size, const char *what, const char *pat, size_t len)
{
    snprintf(msg, size, "error parsing regexp: %s: `%.*s`", what, (int)(len > 100 ? 100 : len), pat);
    return false;
}

/* RE2 (Go's Perl syntax) rejects stacked repetitions such as `a**` or
 * `a+{2}`; glibc would accept them and may need gigabytes to compile them.
 * The message quotes both operators (and a lazy '?' after the second), as
 * regexp/syntax does. */
static bool nested_repeat(char *msg, size_t size, const char *p, size_t len, size_t from,
                          size_t to)
{
    if (to < len && p[to] == '?')
        to++;
    snprintf(msg, size, "error parsing regexp: invalid nested repetition operator: `%.*s`",
             (int)(to - from > 100 ? 100 : to - from), p + from);
    return false;
}

static bool translate(const char *p, size_t len, struct fd_buf *out, int *flags, char *msg,
                      size_t size)
{
    size_t i = 0;
    bool in_class = false;
    int big_repeats = 0;
    size_t rep_start = SIZE_MAX; /* where the repetition just translated began */

    if (len > MAX_PATTERN)
        return fail(msg, size, "expression too large", p, len);
    if (len >= 4 && memcmp(p, "(?i)", 4) == 0) {
        *flags |= REG_ICASE;
        i = 4;
    }
    while (i < len) {
        char c = p[i];
        size_t prev_rep = rep_start;
        rep_start = SIZE_MAX;
        if (c == '\0')
            return fail(msg, size, "invalid NUL in pattern", p, len);
        if (c == '\\') {
            if (i + 1 >= len)
                return fail(msg, size, "trailing backslash at end of expression", p, len);
            char e = p[i + 1];
            i += 2;
            const char *cls = NULL;
            switch (e) {
            case 'd': cls = in_class ? "[:digit:]" : "[[:digit:]]"; break;
            case 'D': cls = in_class ? NULL : "[^[:digit:]]"; break;
            case 'w': cls = in_class ? "[:alnum:]_" : "[[:alnum:]_]"; break;
            case 'W': cls = in_class ? NULL : "[^[:alnum:]_]"; break;
            case 's': cls = in_class ? "[:space:]" : "[[:space:]]"; break;
            case 'S': cls = in_class ? NULL : "[^[:space:]]"; break;
            case 'A': cls = in_class ? NULL : "^"; break;
            case 'z': cls = in_class ? NULL : "$"; break;
            case 'n': fd_buf_putc(out, '\n'); continue;
            case 't': fd_buf_putc(out, '\t'); continue;
            case 'r': fd_buf_putc(out, '\r'); continue;
            case 'f': fd_buf_putc(out, '\f'); continue;
            case 'v': fd_buf_putc(out, '\v'); continue;
            case 'b':
            case 'B':
                if (in_class)
                    return fail(msg, size, "invalid escape sequence", p, len);
                fd_buf_putc(out, '\\');
                fd_buf_putc(out, e);
                continue;
            default:
                if ((e >= '0' && e <= '9') || (e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z'))
                    return fail(msg, size, "invalid escape sequence", p, len);
                /* An escaped punctuation character stands for itself. */
                if (in_class) {
                    if (e == ']' || e == '\\' || e == '^' || e == '-')
                        return fail(msg, size, "unsupported escape inside a character class", p, len);
                    fd_buf_putc(out, e);
                } else {
                    fd_buf_putc(out, '[');
                    fd_buf_putc(out, e);
                    fd_buf_putc(out, ']');
                    if (e == '^') { /* [^] is not a literal caret */
                        out->len -= 3;
                        fd_buf_puts(out, "\\^");
                    }
                }
                continue;
            }
            if (!cls)
                return fail(msg, size, "unsupported escape inside a character class", p, len);
            fd_buf_puts(out, cls);
            continue;
        }
        if (in_class) {
            if (c == '[' && i + 1 < len && p[i + 1] == ':') {
                const char *end = strstr(p + i, ":]");
                if (!end || (size_t)(end - p) > len)
                    return fail(msg, size, "missing closing ]", p, len);
                fd_buf_append(out, p + i, (size_t)(end - (p + i)) + 2);
                i = (size_t)(end - p) + 2;
                continue;
            }
            if (c == ']') {
                in_class = false;
            }
            fd_buf_putc(out, c);
            i++;
            continue;
        }
        switch (c) {
        case '[':
            in_class = true;
            fd_buf_putc(out, c);
            i++;
            if (i < len && p[i] == '^')
                fd_buf_putc(out, p[i++]);
            if (i < len && p[i] == ']')
                fd_buf_putc(out, p[i++]);
            continue;
        case '(':
            if (i + 1 < len && p[i + 1] == '?') {
                if (i + 2 < len && p[i + 2] == ':') {
                    fd_buf_putc(out, '(');
                    i += 3;
                    continue;
                }
                return fail(msg, size, "unsupported group flags", p, len);
            }
            break;
        case '*':
        case '+':
        case '?':
            if (prev_rep != SIZE_MAX)
                return nested_repeat(msg, size, p, len, prev_rep, i + 1);
            rep_start = i;
            fd_buf_putc(out, c);
            i++;
            if (i < len && p[i] == '?')
                i++; /* lazy: same match/no-match answer */
            continue;
        case '{': {
            size_t j = i + 1;
            long a = -1, b = -1;
            char *end;
            if (j < len && p[j] >= '0' && p[j] <= '9') {
                a = strtol(p + j, &end, 10);
                j = (size_t)(end - p);
                b = a;
                if (j < len && p[j] == ',') {
                    j++;
                    b = j < len && p[j] >= '0' && p[j] <= '9' ? strtol(p + j, &end, 10) : -2;
                    if (b != -2)
                        j = (size_t)(end - p);
                }
                if (j < len && p[j] == '}') {
                    if (prev_rep != SIZE_MAX)
                        return nested_repeat(msg, size, p, len, prev_rep, j + 1);
                    rep_start = i;
                    if (a > MAX_REPEAT || b > MAX_REPEAT || (b >= 0 && b < a))
                        return fail(msg, size, "invalid repeat count", p, len);
                    if ((a > 10 || b > 10 || b == -2) && ++big_repeats > 1)
                        return fail(msg, size, "expression too large", p, len);
                    fd_buf_append(out, p + i, j + 1 - i);
                    i = j + 1;
                    if (i < len && p[i] == '?')
                        i++;
                    continue;
                }
            }
            /* Not a repetition: a literal brace, as in RE2. */
            fd_buf_puts(out, "\\{");
            i++;
            continue;
        }
        case '}':
            fd_buf_puts(out, "\\}");
            i++;
            continue;
        default:
            break;
        }
        fd_buf_putc(out, c);
        i++;
    }
    if (in_class)
        return fail(msg, size, "missing closing ]", p, len);
    return true;
}

regex_t *fd_expr_regex_compile(const char *pat, size_t len, char *msg, size_t msgsize)
{
    struct fd_buf b = FD_BUF_INIT;
    int flags = REG_EXTENDED | REG_NOSUB;
    regex_t *re;

    if (!translate(pat, len, &b, &flags, msg, msgsize)) {
        fd_buf_free(&b);
        return NULL;
    }
    re = fd_xmalloc(sizeof(*re));
    int rc = regcomp(re, fd_buf_cstr(&b), flags);
    fd_buf_free(&b);
    if (rc != 0) {
        char err[128];
        regerror(rc, re, err, sizeof(err));
        free(re);
        fail(msg, msgsize, err, pat, len);
        return NULL;
    }
    return re;
}

void fd_expr_regex_free(regex_t *re)
{
    if (re) {
        regfree(re);
        free(re);
    }
}

int fd_expr_regex_match(const regex_t *re, const char *s, size_t len)
{
    regmatch_t m[1];

    if (memchr(s, '\0', len))
        return -1;
    m[0].rm_so = 0;
    m[0].rm_eo = (regoff_t)len;
    return regexec(re, s, 1, m, REG_STARTEND) == 0 ? 1 : 0;
}

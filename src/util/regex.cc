/* util/regex.cc: Go's regexp syntax and semantics, by RE2 (expr's `matches`,
 * the CRD schemas' `pattern`).
 *
 * The one C++ file of the project: RE2 (libre2-dev) has only a C++ API,
 * and Go's regexp/syntax is RE2's own design ported to Go by its authors
 * (same syntax, same leftmost-first semantics, same error codes), so RE2 is
 * the faithful engine rather than a hand translation to POSIX. This shim
 * gives C three functions and nothing else. Matching is
 * linear in the subject (RE2 has no backtracking) and each compiled pattern
 * is bounded by FD_REGEX_MAX_MEM bytes. */
#include "config.h"

#include <re2/re2.h>

#include <cstdint>
#include <cstdio>
#include <new>
#include <string>

#include "freightdeck/regex.h"

/* util/unicode.c's decoder (freightdeck/util.h is C only): a valid UTF-8
 * sequence's length, or 0 where Go's utf8.DecodeRune gives RuneError, 1. */
extern "C" size_t fd_utf8_decode(const char *text, size_t len, uint32_t *cp);

/* RE2 refuses a pattern whose compiled program would need more: the
 * bound on memory per pattern (Go refuses overly large patterns too). */
#define FD_REGEX_MAX_MEM (8 << 20)

struct fd_regex {
    re2::RE2 re;
    fd_regex(const re2::StringPiece &pat, const re2::RE2::Options &opt) : re(pat, opt)
    {
    }
};

/* Go's regexp/syntax ErrorCode texts, by RE2's equivalent code. */
static const char *go_error_text(re2::RE2::ErrorCode code)
{
    switch (code) {
    case re2::RE2::ErrorBadEscape:
        return "invalid escape sequence";
    case re2::RE2::ErrorBadCharClass:
        return "invalid character class";
    case re2::RE2::ErrorBadCharRange:
        return "invalid character class range";
    case re2::RE2::ErrorMissingBracket:
        return "missing closing ]";
    case re2::RE2::ErrorMissingParen:
        return "missing closing )";
    case re2::RE2::ErrorUnexpectedParen:
        return "unexpected )";
    case re2::RE2::ErrorTrailingBackslash:
        return "trailing backslash at end of expression";
    case re2::RE2::ErrorRepeatArgument:
        return "missing argument to repetition operator";
    case re2::RE2::ErrorRepeatSize:
        return "invalid repeat count";
    case re2::RE2::ErrorRepeatOp:
        return "invalid nested repetition operator";
    case re2::RE2::ErrorBadPerlOp:
        return "invalid or unsupported Perl syntax";
    case re2::RE2::ErrorBadUTF8:
        return "invalid UTF-8";
    case re2::RE2::ErrorBadNamedCapture:
        return "invalid named capture";
    case re2::RE2::ErrorPatternTooLarge:
        return "expression too large";
    default:
        return "regexp/syntax: internal error";
    }
}

struct fd_regex *fd_regex_compile(const char *pat, size_t len, char *msg, size_t msgsize)
{
    re2::RE2::Options opt;
    opt.set_log_errors(false);
    opt.set_max_mem(FD_REGEX_MAX_MEM);
    opt.set_encoding(re2::RE2::Options::EncodingUTF8);
    /* Go's Perl flags: Perl classes (\d \w \s), \b, \pN; ^ and $ at the
     * text's ends unless (?m); . not \n unless (?s); leftmost-first. */
    opt.set_posix_syntax(false);
    opt.set_longest_match(false);

    /* Go (1.22 on) also names a group (?<name>...), which this RE2 only
     * knows as (?P<name>...): respell it, and refuse (?<= and (?<! as Go
     * does. Escapes and [classes] are skipped over. */
    std::string spelled(pat, len);
    bool in_class = false;
    for (size_t i = 0; i < spelled.size(); i++) {
        char c = spelled[i];
        if (c == '\\') {
            i++;
        } else if (in_class) {
            in_class = c != ']';
        } else if (c == '[') {
            in_class = true;
            if (i + 1 < spelled.size() && spelled[i + 1] == ']')
                i++;
        } else if (spelled.compare(i, 3, "(?<") == 0) {
            char n = i + 3 < spelled.size() ? spelled[i + 3] : '\0';
            if (!(n == '_' || (n >= 'a' && n <= 'z') || (n >= 'A' && n <= 'Z') ||
                  (n >= '0' && n <= '9'))) {
                size_t rest = spelled.size() - i;
                std::snprintf(msg, msgsize, "error parsing regexp: invalid named capture: `%.*s`",
                              (int)(rest > 200 ? 200 : rest), spelled.data() + i);
                return nullptr;
            }
            spelled.insert(i + 2, "P");
        }
    }
    fd_regex *re = new (std::nothrow) fd_regex(re2::StringPiece(spelled), opt);
    if (!re) {
        std::snprintf(msg, msgsize, "error parsing regexp: out of memory");
        return nullptr;
    }
    if (!re->re.ok()) {
        std::string arg = re->re.error_arg();
        if (re->re.error_code() == re2::RE2::ErrorBadUTF8) {
            /* RE2 names nothing; Go's nextRune names the pattern from the
             * first byte it cannot decode to the end. */
            size_t i = 0, n;
            uint32_t cp;
            while (i < len && (n = fd_utf8_decode(pat + i, len - i, &cp)) > 0)
                i += n;
            arg.assign(pat + i, len - i);
        }
        std::snprintf(msg, msgsize, "error parsing regexp: %s: `%.*s`",
                      go_error_text(re->re.error_code()),
                      (int)(arg.size() > 200 ? 200 : arg.size()), arg.data());
        delete re;
        return nullptr;
    }
    return re;
}

void fd_regex_free(struct fd_regex *re)
{
    delete re;
}

int fd_regex_match(const struct fd_regex *re, const char *s, size_t len)
{
    return re2::RE2::PartialMatch(re2::StringPiece(s, len), re->re) ? 1 : 0;
}

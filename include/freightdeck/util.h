#ifndef FREIGHTDECK_UTIL_H
#define FREIGHTDECK_UTIL_H
/*
 * util: allocation, status codes, growable strings, Go formats, time, logging.
 *
 * Every module may use this header; it uses libc, and libcrypto for base64.
 */

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__GNUC__) || defined(__clang__)
#define FD_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#define FD_NORETURN          __attribute__((noreturn))
#define FD_UNUSED            __attribute__((unused))
#else
#define FD_PRINTF(fmt, args)
#define FD_NORETURN
#define FD_UNUSED
#endif

#define FD_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---- Status codes --------------------------------------------------------
 *
 * One table: the enum, the identifier and the default message are generated
 * from it, so they cannot drift (tig's STATUS_CODE_INFO). Fallible functions
 * return enum fd_status; FD_OK is 0 so `if (st)` means "failed".
 * The exit column is the process exit code a command uses for that status.
 */
/* clang-format off */
#define FD_STATUS_TABLE(_)                                                    \
    _(OK,            0, "success")                                            \
    _(NO_MEMORY,     1, "out of memory")                                      \
    _(USAGE,         2, "invalid usage")                                      \
    _(IO,            1, "input/output error")                                 \
    _(PARSE,         1, "malformed input")                                    \
    _(NOT_FOUND,     1, "not found")                                          \
    _(INVALID,       1, "invalid value")                                      \
    _(REFUSED,       1, "refused")                                            \
    _(UNREACHABLE,   3, "cluster unreachable")                                \
    _(OUTCOME_UNKNOWN, 4, "outcome unknown")                                  \
    _(LIMIT,         1, "limit exceeded")                                     \
    _(INTERNAL,      1, "internal error")                                     \
    _(PAUSED,        5, "paused until a human promotes it")                   \
    _(INTERRUPTED, 130, "interrupted (SIGINT)")
/* clang-format on */

enum fd_status {
#define FD_STATUS_ENUM(name, exitcode, msg) FD_##name,
    FD_STATUS_TABLE(FD_STATUS_ENUM)
#undef FD_STATUS_ENUM
        FD_STATUS__COUNT
};

/* The default message of a status ("out of memory"); never NULL. */
const char *fd_status_message(enum fd_status st);
/* The identifier of a status ("NO_MEMORY"); never NULL. */
const char *fd_status_name(enum fd_status st);
/* The process exit code for a status (0, 1, 2, 3, 4, 5 or 130): the one
 * table of exit codes, documented in the man page's EXIT STATUS. */
int fd_status_exit_code(enum fd_status st);

/* ---- Allocation -----------------------------------------------------------
 *
 * These never return NULL: on out-of-memory they print one line to stderr
 * (after the registered fatal hook has run, e.g. endwin()) and abort.
 * fd_xmalloc(0) returns a valid, unique pointer.
 */
void *fd_xmalloc(size_t size);
void *fd_xcalloc(size_t count, size_t size);
/* Resizes to count*size bytes; aborts on overflow of count*size. */
void *fd_xreallocarray(void *ptr, size_t count, size_t size);
char *fd_xstrdup(const char *s);
char *fd_xstrndup(const char *s, size_t n);
/* printf into a freshly allocated string; the caller frees it. */
char *fd_xasprintf(const char *fmt, ...) FD_PRINTF(1, 2);
char *fd_xvasprintf(const char *fmt, va_list ap) FD_PRINTF(1, 0);

/* Registers a function run before the process dies on a fatal error (the TUI
 * registers endwin so the message lands on a sane terminal). NULL clears it. */
void fd_set_fatal_hook(void (*hook)(void));
/* Runs the fatal hook, prints "freightdeck: fatal: <message>" and aborts. */
FD_NORETURN void fd_fatal(const char *fmt, ...) FD_PRINTF(1, 2);

/* ---- JSON arena (util/json_arena.c) ---------------------------------------
 *
 * While an arena is entered on a thread, every jansson value that thread
 * creates (json_loadb's whole tree) is carved from the arena and freeing one
 * is a no-op; leaving frees them all at once. The contract: no jansson value
 * or string made while entered may be used or freed after the leave (copy
 * what must stay, as the decoders do with fd_xstrdup); and a value made
 * outside and dropped inside is not freed. Other threads, and this one
 * outside the arena, allocate as before.
 */
struct fd_json_arena_chunk;
struct fd_json_arena {
    struct fd_json_arena_chunk *chunks;
    unsigned char *pos, *end;
    size_t bytes; /* held, for the curious */
};
#define FD_JSON_ARENA_INIT  \
    {                       \
        NULL, NULL, NULL, 0 \
    }
/* Routes jansson's allocations through the arena hook (once per process;
 * harmless to repeat). Call it before starting threads that use jansson. */
void fd_json_arena_install(void);
/* Makes a (zeroed or left) arena this thread's current one. */
void fd_json_arena_enter(struct fd_json_arena *a);
/* Stops allocating from the current arena without freeing it (values made
 * since come from malloc again); fd_json_arena_enter resumes. */
void fd_json_arena_suspend(void);
/* Frees everything the arena holds; it may be entered again. */
void fd_json_arena_leave(struct fd_json_arena *a);

/* ---- JSON type names and Go's writing (util/json.c) ------------------------------------------ */

struct json_t;
/* The name of v's type in messages: "object", "array", "string", "number",
 * "boolean" or "null"; an integer is "integer" when integer is set (the
 * OpenAPI schema's names), else "number". */
const char *fd_json_type_name(const struct json_t *v, bool integer);
/* json.Marshal of a decoded JSON value (what Go's map[string]interface {}
 * or a struct would write): compact, strings by fd_go_json_string with
 * escape_html, integers as they are, reals as encoding/json spells
 * float64s, object members in order, or by key when sort_keys (a Go map).
 * Returns a new string (caller frees); NULL gives "null". */
char *fd_go_json_marshal(const struct json_t *v, bool sort_keys);

/* ---- JSON from outside, read as Go reads it (util/json.c) ----------------
 *
 * A JSON string may hold \u0000: Argo Rollouts stores json-iterator's
 * messages, which name the NUL byte they met ("expect { or n, but found
 * \x00"), in an AnalysisRun's status, and the API server keeps them. A C
 * string cannot carry that byte, so freightdeck writes it as U+2400 (␀)
 * wherever it keeps such a text: on the screen, in -o json, in messages.
 */
#define FD_NUL_SHOWN "\xe2\x90\x80"
struct json_error_t;
/* json_loadb (with flags) of a JSON text from outside: an API server's
 * answer, a watch event, a recorded object, a Prometheus answer. What Go
 * reads must not make the whole answer unreadable: a string may hold
 * \u0000 (read its strings with fd_json_text), and an integer past int64
 * (the API server writes a float64 such as 1e19 of an unstructured field,
 * a Promotion step's config, as 10000000000000000000) is read as a real,
 * as Go holds it. Returns NULL with *err filled (err may be NULL). */
struct json_t *fd_json_load_outside(const char *text, size_t len, size_t flags,
                                    struct json_error_t *err);
/* The len bytes at s as a new C string, each NUL byte written as
 * FD_NUL_SHOWN; the caller frees. */
char *fd_nul_shown_dup(const char *s, size_t len);
/* A JSON string's whole text, as fd_nul_shown_dup writes it: a new string
 * the caller frees; NULL when v is not a string. */
char *fd_json_text(const struct json_t *v);

/* ---- Interned strings (util/intern.c) --------------------------------------
 *
 * One shared copy of a string that repeats across many objects (a namespace,
 * a kind, a label key, a repository URL). An interned string is immortal and
 * must never be modified or passed to free(): release any string that may be
 * interned with fd_free_str. Thread-safe. Intern only values of few distinct
 * forms: the table never shrinks (past 65,536 strings it copies instead).
 */
/* Returns the shared copy of s (len bytes; need not be NUL-terminated), or
 * a fresh copy (the caller frees it with fd_free_str) when s is long, holds
 * a NUL or the table is full. */
char *fd_intern(const char *s, size_t len);
/* Whether p is the table's copy of its text. */
bool fd_interned(const char *p);
/* free(p) unless p is interned; NULL is a no-op. */
void fd_free_str(char *p);

/* ---- Growable string -------------------------------------------------------
 *
 * A struct fd_buf owns its bytes; data is always NUL-terminated once anything
 * has been appended (data may be NULL while len == 0). Zero-initialise, or use
 * FD_BUF_INIT. fd_buf_free releases the storage and resets the buffer.
 */
struct fd_buf {
    char *data;
    size_t len;
    size_t cap;
};
#define FD_BUF_INIT \
    {               \
        NULL, 0, 0  \
    }

void fd_buf_append(struct fd_buf *b, const void *bytes, size_t n);
void fd_buf_puts(struct fd_buf *b, const char *s);
void fd_buf_putc(struct fd_buf *b, char c);
void fd_buf_printf(struct fd_buf *b, const char *fmt, ...) FD_PRINTF(2, 3);
void fd_buf_vprintf(struct fd_buf *b, const char *fmt, va_list ap) FD_PRINTF(2, 0);
void fd_buf_reset(struct fd_buf *b); /* len = 0, keeps the storage */
void fd_buf_free(struct fd_buf *b);
/* Hands the bytes to the caller (who frees them) and resets the buffer.
 * Returns "" (allocated) when nothing was appended; never NULL. */
char *fd_buf_steal(struct fd_buf *b);
/* Returns the text; "" when empty. Valid until the next change. */
const char *fd_buf_cstr(const struct fd_buf *b);

/* ---- Strings ------------------------------------------------------------- */
static inline bool fd_streq(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}
bool fd_str_has_prefix(const char *s, const char *prefix);

/* ---- ASCII classes ----------------------------------------------------------
 *
 * What Go's parsers, the API server's rules and our own formats classify is
 * ASCII. <ctype.h> follows LC_CTYPE, which main() takes from the environment
 * for ncursesw: under a Latin-1 locale isalnum(0xC3) is true and
 * tolower(0xC3) is 0xE3, a UTF-8 lead byte changed. These never look at the
 * locale (c is a byte value, 0 to 255, or EOF).
 */
static inline bool fd_ascii_isspace(int c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}
static inline bool fd_ascii_isdigit(int c)
{
    return c >= '0' && c <= '9';
}
static inline bool fd_ascii_isalnum(int c)
{
    return fd_ascii_isdigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static inline int fd_ascii_tolower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}
static inline int fd_ascii_toupper(int c)
{
    return c >= 'a' && c <= 'z' ? c - ('a' - 'A') : c;
}

/* ---- Terminal-safe text (util/term.c) -------------------------------------
 *
 * Strings from a cluster (aliases, messages, Status text) may hold escape
 * sequences (OSC 2 titles, OSC 52 clipboard writes, ESC[2J), CR/LF that
 * fake lines, or bidi controls (U+202E) that reorder what is shown. Every
 * such string passes through here before it reaches a terminal.
 */

/* One UTF-8 sequence at text (len bytes): its length and code point (*cp),
 * or 0 when the bytes are not valid UTF-8 (overlong, surrogate, cut,
 * > U+10FFFF, none). */
size_t fd_utf8_decode(const char *text, size_t len, uint32_t *cp);
/* Appends code point r to b as UTF-8; a surrogate or a value past U+10FFFF
 * as U+FFFD, as Go's utf8.AppendRune writes it. */
void fd_utf8_encode(struct fd_buf *b, uint32_t r);

/* After an snprintf into buf (size bytes) that wanted n bytes: when the
 * text did not fit, cuts it back to a whole UTF-8 sequence and ends it with
 * "…", so that a long message stays valid UTF-8 and says it was cut. */
void fd_utf8_cut(char *buf, size_t size, int n);

/* Go's unicode package on code point r (util/unicode.c, by ICU's character
 * properties): IsLetter (category L), IsDigit (Nd), IsSpace (White_Space),
 * IsPrint as strconv.IsPrint (L, M, N, P, S and ' '), and the simple case
 * mappings of ToUpper and ToLower. Pure functions; any r (past U+10FFFF: no
 * class, mapped to itself). */
bool fd_unicode_is_letter(uint32_t r);
bool fd_unicode_is_digit(uint32_t r);
bool fd_unicode_is_space(uint32_t r);
bool fd_unicode_is_print(uint32_t r);
uint32_t fd_unicode_to_upper(uint32_t r);
uint32_t fd_unicode_to_lower(uint32_t r);

/* Whether a code point must not reach a terminal: C0 controls, DEL, C1
 * controls and the bidi controls (U+061C, U+200E/F, U+202A-E, U+2066-9). */
bool fd_term_cp_unsafe(uint32_t cp);

/* Appends the len bytes at text (NULL: nothing) to out with each unsafe
 * code point and each invalid UTF-8 byte shown as '?', tab as a space, and
 * newline kept only when keep_newlines. Cannot fail. */
void fd_term_sanitize(struct fd_buf *out, const char *text, size_t len, bool keep_newlines);

/* A sanitised copy of text on one line (NULL gives ""); the caller frees. */
char *fd_term_safe(const char *text);

/* Sanitises a NUL-terminated string in place (it never grows), keeping
 * newlines when asked. NULL: no-op. */
void fd_term_sanitize_inplace(char *text, bool keep_newlines);

/* ---- Go formats -------------------------------------------------------------
 *
 * Argo Rollouts and Kargo are Go programs; what they print and parse follows
 * Go's standard library, and so must ours (util/go.c).
 */

/* strconv.FormatFloat(f, fmt, -1, 64), appended to b: the shortest digits
 * that read back as f. fmt 'f' (never an exponent: "0.0000001"), 'e', 'g'
 * (fmt's %v: an exponent when the decimal exponent is below -4 or at least 6,
 * "1e+06") or 'j' (encoding/json: an exponent below 1e-6 or from 1e21 on,
 * "1e-7").
 * NaN and infinities are "NaN", "+Inf", "-Inf". Cannot fail. */
void fd_go_format_float(struct fd_buf *b, double f, char fmt);

/* strconv.ParseFloat(s, 64) of the len bytes at s, as Go reads them: a
 * decimal or hexadecimal mantissa (hex needs its p exponent), "_" between
 * digits ("1_000", "0x_1p4", as underscoreOK allows), inf, infinity and nan
 * in any case (a sign before inf only), nothing else: no spaces.
 * Returns FD_GO_PARSE_OK and stores the nearest double in *out;
 * FD_GO_PARSE_SYNTAX ("invalid syntax") or FD_GO_PARSE_RANGE ("value out of
 * range": beyond the largest double) and leaves *out alone. */
enum fd_go_parse { FD_GO_PARSE_OK, FD_GO_PARSE_SYNTAX, FD_GO_PARSE_RANGE };
enum fd_go_parse fd_go_parse_float(const char *s, size_t len, double *out);

/* The short escape of rune r in a JSON string (\" \\ \b \f \n \r \t), and
 * with strconv, strconv.Quote's (\a \v too); NULL for none. */
const char *fd_go_short_escape(uint32_t r, bool strconv);

/* A JSON string of the len bytes at s as Go's encoding/json writes it,
 * appended to b: invalid UTF-8 as \ufffd, U+2028 and U+2029 escaped, \" \\
 * \b \f \n \r \t short, other controls \u00XX, and with escape_html
 * (json.Marshal) < > & as \u003c \u003e \u0026. Cannot fail. */
void fd_go_json_string(struct fd_buf *b, const char *s, size_t len, bool escape_html);

/* time.ParseDuration of the len bytes at s ("1h30m", "2.5s", "-90ms").
 * Returns true and stores nanoseconds in *ns; on error returns false and
 * writes Go's message ("time: invalid duration \"x\"", "time: missing unit
 * in duration ...", "time: unknown unit ...") into errbuf (errlen bytes). */
bool fd_go_parse_duration(const char *s, size_t len, int64_t *ns, char *errbuf, size_t errlen);

/* The time package's quoting of len bytes at s for error messages: in double
 * quotes, '"' and '\\' escaped, bytes outside printable ASCII as \xNN;
 * truncated to fit dstlen. */
void fd_go_time_quote(char *dst, size_t dstlen, const char *s, size_t len);

/* sort.Sort (util/gosort.c): Go's pdqsort over n items through less(ud, i,
 * j) and swap(ud, i, j), asking the same questions in the same order, so
 * equal items end where Go leaves them (it is not stable) and a less that
 * fails meets the pair Go's would have panicked on first. A less that has
 * failed should answer false from then on; the sort still ends. */
struct fd_go_sorter {
    bool (*less)(void *ud, size_t i, size_t j);
    void (*swap)(void *ud, size_t i, size_t j);
    void *ud;
};
void fd_go_sort(const struct fd_go_sorter *s, size_t n);

/* ---- base64 (util/base64.c, through libcrypto) ------------------------------ */

/* Standard, padded base64 of n bytes; the caller frees. */
char *fd_base64_encode(const void *data, size_t n);

#define FD_BASE64_SPACE 1u /* skip ASCII whitespace (PEM, YAML block scalars) */
#define FD_BASE64_URL   2u /* accept the URL-safe symbols '-' and '_' too */
/* Decodes n bytes of standard base64, padding optional (but when present it
 * must complete the last group and end the text). Returns the bytes
 * (NUL-terminated beyond *len; the caller frees), or NULL when the text is not
 * base64. Intermediate copies are wiped (the text may be a key). */
unsigned char *fd_base64_decode(const char *text, size_t n, unsigned flags, size_t *len);

/* ---- Files (util/file.c) -------------------------------------------------- */

/* Reads the whole regular file at path, at most max bytes, into out (its old
 * contents wiped and replaced; NUL-terminated; data never NULL on FD_OK).
 * Returns FD_OK; FD_IO with *why the reason (strerror's text, "is a
 * directory", "not a regular file": a FIFO or /dev/zero is refused without
 * blocking); FD_LIMIT with *why "file too large (over 4 MiB)". *why is
 * static (per thread). What was read is wiped before it is freed, so tokens
 * and keys may be read with it. */
enum fd_status fd_read_file(const char *path, size_t max, struct fd_buf *out, const char **why);
/* Reads fd to its end (a pipe: until its writer closes), at most max bytes,
 * into out as fd_read_file does; fd stays open. FD_LIMIT's *why is "NOUN too
 * large (over 256 MiB)" (noun: "file", "input"). */
enum fd_status fd_read_fd(int fd, const char *noun, size_t max, struct fd_buf *out,
                          const char **why);

/* path with $HOME shortened to "~", for messages (caller frees). */
char *fd_display_path(const char *path);

/* ---- Time (util/time.c) ------------------------------------------------------
 *
 * Milliseconds throughout: Unix time for the wall clock, an arbitrary origin
 * for the monotonic one (intervals and deadlines only). No TZ state: UTC.
 */

int64_t fd_time_now_ms(void);  /* the wall clock (CLOCK_REALTIME) */
int64_t fd_time_mono_ms(void); /* CLOCK_MONOTONIC */

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil), and back; month 1-12. Exact for any int64 year range
 * that fits. */
int64_t fd_time_days_from_civil(int64_t year, int month, int day);
void fd_time_civil_from_days(int64_t days, int64_t *year, int *month, int *day);
/* Days in month (1-12) of year, leap years counted; 0 for a bad month. */
int fd_time_days_in_month(int64_t year, int month);

/* Parses an RFC 3339 time the way Go's time.Parse(time.RFC3339, s) accepts
 * it (Kubernetes' metav1.Time, exec credentials, Prometheus):
 * "2006-01-02T15:04:05", an optional fraction, then "Z" or "+07:00"; the
 * date must exist and seconds are 0-59. Returns true and *ms (the fraction
 * truncated to milliseconds); false and *ms untouched otherwise. */
bool fd_time_parse_rfc3339(const char *s, int64_t *ms);

/* ms as "2006-01-02T15:04:05Z" (UTC, whole seconds rounded down) or, with
 * millis, as Go's RFC3339Nano prints it to the millisecond
 * ("2006-01-02T15:04:05.12Z": trailing zeros and a bare '.' dropped).
 * Returns an allocated string; the caller frees. */
char *fd_time_format_rfc3339(int64_t ms, bool millis);

/* ---- Logging ---------------------------------------------------------------
 *
 * Off unless a file is opened with fd_log_open (the -v flag). Never writes to
 * the terminal, so it is safe while curses is active. Callers must never log
 * secrets: tokens, keys and certificates are redacted before they get here.
 */
enum fd_log_level { FD_LOG_ERROR, FD_LOG_WARN, FD_LOG_INFO, FD_LOG_DEBUG };
/* Opens path for appending, created 0600 (an existing file of ours loses its
 * group and other bits). Returns FD_OK, or FD_IO when the file cannot be
 * opened (errno is kept). */
enum fd_status fd_log_open(const char *path, enum fd_log_level level);
void fd_log_close(void);
void fd_log(enum fd_log_level level, const char *fmt, ...) FD_PRINTF(2, 3);

#endif /* FREIGHTDECK_UTIL_H */

#ifndef FREIGHTDECK_REGEX_H
#define FREIGHTDECK_REGEX_H
/*
 * regex (util): Go's regular expressions, by RE2 (src/util/regex.cc), for
 * expr's `matches` and the `pattern` keywords of the CRD schemas the
 * simulator validates against (both are Go regexps upstream). Part of util;
 * its own header because the one C++ file includes it, so it stays plain
 * enough for C and C++.
 */

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif /* FREIGHTDECK_REGEX_H */

/* Go's regexp syntax and semantics. compile returns NULL and Go's message
 * ("error parsing regexp: ...") in msg on error; the caller frees with
 * fd_regex_free (NULL allowed). match returns 1 or 0 (unanchored, as
 * regexp.MatchString). A compiled pattern may be used from several threads. */
struct fd_regex;
struct fd_regex *fd_regex_compile(const char *pat, size_t len, char *msg, size_t msgsize);
void fd_regex_free(struct fd_regex *re);
int fd_regex_match(const struct fd_regex *re, const char *s, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* FREIGHTDECK_REGEX_H */

/* expr/regex.h: the C face of regex.cc (RE2), plain enough for C and C++. */
#ifndef FD_EXPR_REGEX_H
#define FD_EXPR_REGEX_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Go's regexp syntax and semantics. compile returns NULL and Go's message
 * ("error parsing regexp: ...") in msg on error; the caller frees with
 * fd_expr_regex_free (NULL allowed). match returns 1 or 0 (unanchored, as
 * regexp.MatchString). A compiled pattern may be used from several threads. */
struct fd_expr_regex;
struct fd_expr_regex *fd_expr_regex_compile(const char *pat, size_t len, char *msg,
                                            size_t msgsize);
void fd_expr_regex_free(struct fd_expr_regex *re);
int fd_expr_regex_match(const struct fd_expr_regex *re, const char *s, size_t len);

#ifdef __cplusplus
}
#endif

#endif

#ifndef FREIGHTDECK_TESTS_EXPR_CHECK_H
#define FREIGHTDECK_TESTS_EXPR_CHECK_H
/* tests/unit/expr_check.h: the table-driven expectation helpers the expr
 * test programs share: evaluate an expression as a user would (env from
 * JSON, typed as the mode types it) and compare what they would see. */
#include <check.h>

#include "freightdeck/expr.h"

/* The outcome of src in mode against env_json (a JSON object, or NULL):
 * the value as freightdeck JSON, or "compile: <message>" / "run: <message>".
 * The caller frees it. */
char *fd_test_expr_run(enum fd_expr_mode mode, const char *env_json, const char *src);

/* Compares fd_test_expr_run with want; a mismatch is printed (expected and
 * got) and counted, so one run shows every mismatch of a test. */
void fd_test_expr_expect(enum fd_expr_mode mode, const char *env_json, const char *src,
                         const char *want);

/* Mismatches counted since the last FD_TEST_EXPR_DONE. */
extern int fd_test_expr_failures;

/* Ends a test: fails it when any expectation did not hold. */
#define FD_TEST_EXPR_DONE()                                                                     \
    do {                                                                                        \
        ck_assert_msg(fd_test_expr_failures == 0, "%d expression(s) gave an unexpected result", \
                      fd_test_expr_failures);                                                   \
        fd_test_expr_failures = 0;                                                              \
    } while (0)

#endif

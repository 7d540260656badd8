#ifndef FREIGHTDECK_TESTS_CHECK_MAIN_H
#define FREIGHTDECK_TESTS_CHECK_MAIN_H
/* Shared by the Check test programs under tests/unit/. */
#include <check.h>

/* Defined by each test program: the suite to run. */
Suite *fd_test_suite(void);

/* The suite's one timing knob, FD_TEST_TIMEOUT_SCALE (tests/lib/sealed): a
 * whole number, 1 when unset. Every time limit a test sets that is not itself
 * the subject (a timeout the test provokes) is multiplied by it. */
int fd_test_scale(void);

#endif

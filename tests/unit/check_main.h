#ifndef FREIGHTDECK_TESTS_CHECK_MAIN_H
#define FREIGHTDECK_TESTS_CHECK_MAIN_H
/* Shared by the Check test programs under tests/unit/. */
#include <check.h>

/* Defined by each test program: the suite to run. */
Suite *fd_test_suite(void);

#endif

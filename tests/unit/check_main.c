/* tests/unit/check_main.c: the main() shared by every Check test program.
 *
 * Each test file defines fd_test_suite(); this runs it and reports in TAP
 * (CK_TAP_LOG_FILE_NAME=-, set by tests/lib/sealed) so that automake counts
 * every test case, not every program. */
#include "config.h"

#include <stdlib.h>

#include "check_main.h"

int fd_test_scale(void)
{
    const char *v = getenv("FD_TEST_TIMEOUT_SCALE");
    long n = v && *v ? strtol(v, NULL, 10) : 1;

    return n >= 1 && n <= 100 ? (int)n : 1;
}

int main(void)
{
    SRunner *sr = srunner_create(fd_test_suite());
    int failed;

    if (!getenv("CK_TAP_LOG_FILE_NAME"))
        srunner_set_tap(sr, "-");
    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

## tests: every test speaks TAP, runs through tests/lib/sealed, and is listed
## in TESTS. Check programs live in tests/unit/, script tests (*.sh) beside
## the feature they test.

TEST_EXTENSIONS = .sh
FD_TAP_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
LOG_DRIVER = $(FD_TAP_DRIVER)
SH_LOG_DRIVER = $(FD_TAP_DRIVER)
AM_TESTS_ENVIRONMENT = FD_TOP_SRCDIR='$(abs_top_srcdir)' FD_TOP_BUILDDIR='$(abs_top_builddir)'; export FD_TOP_SRCDIR FD_TOP_BUILDDIR;
LOG_COMPILER = $(SHELL) $(top_srcdir)/tests/lib/sealed
SH_LOG_COMPILER = $(SHELL) $(top_srcdir)/tests/lib/sealed $(SHELL)

EXTRA_DIST += tests/lib/sealed tests/lib/tap.sh build-aux/tap-driver.sh

# Check programs: each is its test file plus the shared TAP main.
FD_CHECK_SOURCES = tests/unit/check_main.c tests/unit/check_main.h
FD_CHECK_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
FD_CHECK_LDADD = $(FD_LIBS) $(CHECK_LIBS)

check_PROGRAMS += tests/unit/test_util
tests_unit_test_util_SOURCES = tests/unit/test_util.c $(FD_CHECK_SOURCES)
tests_unit_test_util_CFLAGS = $(FD_CHECK_CFLAGS)
tests_unit_test_util_LDADD = $(FD_CHECK_LDADD)

TESTS += tests/unit/test_util

# Script tests.
FD_SCRIPT_TESTS = tests/cli/test_cli.sh
TESTS += $(FD_SCRIPT_TESTS)
EXTRA_DIST += $(FD_SCRIPT_TESTS)

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
FD_CHECK_MAIN = tests/unit/check_main.c tests/unit/check_main.h
FD_CHECK_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
FD_CHECK_LIBS = $(FD_LIBS) $(CHECK_LIBS)

check_PROGRAMS += tests/unit/test_util
tests_unit_test_util_SOURCES = tests/unit/test_util.c $(FD_CHECK_MAIN)
tests_unit_test_util_CFLAGS = $(FD_CHECK_CFLAGS)
tests_unit_test_util_LDADD = $(FD_CHECK_LIBS)

TESTS += tests/unit/test_util

# Script tests.
FD_SCRIPT_TESTS += tests/cli/test_cli.sh tests/cli/test_docs.sh
TESTS += $(FD_SCRIPT_TESTS)
EXTRA_DIST += $(FD_SCRIPT_TESTS)

# Fuzz targets (tests/fuzz/fuzz_*.c, one LLVMFuzzerTestOneInput each, with a
# seed corpus in tests/fuzz/corpus/<name>/). FD_FUZZ_TARGETS, FD_FUZZ_TESTS,
# FD_SCRIPT_TESTS and FD_BENCHES start empty in Makefile.am, so a module's
# local.mk (included in any order) appends. A module adds its target with:
#   FD_FUZZ_TARGETS += tests/fuzz/fuzz_x
#   tests_fuzz_fuzz_x_SOURCES = tests/fuzz/fuzz_x.c $(FD_FUZZ_MAIN)
#   tests_fuzz_fuzz_x_LDADD = $(FD_FUZZ_LIBS)
#   FD_FUZZ_TESTS += tests/fuzz/fuzz_x.sh   (replays the corpus, see below)
# With --enable-fuzzing (clang) they are real libFuzzer programs, built by
# `make fuzz`; otherwise they link tests/fuzz/standalone.c and `make check`
# replays each seed corpus through them, so the entry points stay tested.
EXTRA_DIST += tests/fuzz/run-corpus
if FUZZING
FD_FUZZ_MAIN =
FD_FUZZ_LIBS = $(FD_LIBS) $(FD_FUZZ_LDFLAGS)
noinst_PROGRAMS += $(FD_FUZZ_TARGETS)
fuzz: $(FD_FUZZ_TARGETS)
else
FD_FUZZ_MAIN = tests/fuzz/standalone.c
FD_FUZZ_LIBS = $(FD_LIBS)
check_PROGRAMS += $(FD_FUZZ_TARGETS)
TESTS += $(FD_FUZZ_TESTS)
fuzz:
	@echo "make fuzz: configure with CC=clang --enable-fuzzing first" >&2; exit 1
endif
EXTRA_DIST += $(FD_FUZZ_TESTS)
.PHONY: fuzz
EXTRA_DIST += .ci/run .ci/config.site

# The modules' include rules (doc/HACKING.md, "Layers").
FD_SCRIPT_TESTS += tests/build/test_layers.sh
EXTRA_DIST += tests/build/check-layers
# The tree reads on its own; tests wait for conditions (doc/HACKING.md).
FD_SCRIPT_TESTS += tests/build/test_tree.sh
EXTRA_DIST += tests/build/check-tree doc/upstream.md
# Every extern of the library carries the prefix (doc/HACKING.md, "Naming").
FD_SCRIPT_TESTS += tests/build/test_symbols.sh
EXTRA_DIST += tests/build/check-symbols

## src/analysis: Argo Rollouts analysis semantics (measurement phases,
## counters, metric/run assessment, scheduling, args, Prometheus responses,
## replay) and the plain-words explanation of a condition's outcome.
noinst_HEADERS += include/freightdeck/analysis.h
libfreightdeck_a_SOURCES += \
	src/analysis/args.c \
	src/analysis/assess.c \
	src/analysis/decode.c \
	src/analysis/evaluate.c \
	src/analysis/explain.c \
	src/analysis/model.c \
	src/analysis/prom.c \
	src/analysis/prom_http.c src/analysis/prom_provider.c src/analysis/yamldoc.c include/freightdeck/promclient.h \
	src/analysis/replay.c \
	src/analysis/schedule.c \
	src/analysis/time.c

# Rules that need no condition evaluator.
check_PROGRAMS += tests/unit/test_analysis_core
tests_unit_test_analysis_core_SOURCES = tests/unit/test_analysis_core.c $(FD_CHECK_MAIN)
tests_unit_test_analysis_core_CFLAGS = $(FD_CHECK_CFLAGS)
tests_unit_test_analysis_core_LDADD = $(FD_CHECK_LIBS)
TESTS += tests/unit/test_analysis_core

# Rules that evaluate conditions (links the expr evaluator).
check_PROGRAMS += tests/unit/test_analysis_eval
tests_unit_test_analysis_eval_SOURCES = tests/unit/test_analysis_eval.c $(FD_CHECK_MAIN)
tests_unit_test_analysis_eval_CFLAGS = $(FD_CHECK_CFLAGS)
tests_unit_test_analysis_eval_LDADD = $(FD_CHECK_LIBS)
TESTS += tests/unit/test_analysis_eval
include src/analysis/prom.mk

# `freightdeck condition` (src/cli/cmd-condition.c).
TESTS += tests/cli/test_condition.sh
EXTRA_DIST += tests/cli/test_condition.sh

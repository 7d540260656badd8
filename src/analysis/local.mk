## src/analysis: Argo Rollouts analysis semantics (measurement phases,
## counters, metric/run assessment, scheduling, args, the Prometheus
## provider over src/prom, templates ready to measure, replay) and the
## plain-words explanation of a condition's outcome.
noinst_HEADERS += include/freightdeck/analysis.h
libfreightdeck_a_SOURCES += \
	src/analysis/args.c \
	src/analysis/assess.c \
	src/analysis/decode.c \
	src/analysis/dry_run.c \
	src/analysis/evaluate.c \
	src/analysis/expr_version.c \
	src/analysis/explain.c \
	src/analysis/model.c \
	src/analysis/prom_plan.c \
	src/analysis/prom_provider.c \
	src/analysis/replay.c \
	src/analysis/schedule.c \
	src/analysis/time.c \
	src/analysis/validate.c \
	src/analysis/kargo_verify.c

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
check_PROGRAMS += tests/unit/test_kargo_functions
tests_unit_test_kargo_functions_SOURCES = tests/unit/test_kargo_functions.c $(FD_CHECK_MAIN)
tests_unit_test_kargo_functions_CFLAGS = $(FD_CHECK_CFLAGS)
tests_unit_test_kargo_functions_LDADD = $(FD_CHECK_LIBS)
TESTS += tests/unit/test_kargo_functions

# The verification args of recorded cases against Kargo v1.11.2's own
# answers (tests/kargo/README).
check_PROGRAMS += tests/kargo/verify_args
tests_kargo_verify_args_SOURCES = tests/kargo/verify_args.c
tests_kargo_verify_args_LDADD = $(FD_LIBS)
TESTS += tests/kargo/test_verify_args.sh
EXTRA_DIST += tests/kargo/test_verify_args.sh tests/kargo/cases.jsonl tests/kargo/README

# A misbehaving server and helpers for the real-Prometheus test.
check_PROGRAMS += tests/prom/fakeprom
tests_prom_fakeprom_SOURCES = tests/prom/fakeprom.c
tests_prom_fakeprom_LDADD = $(FD_LIBS)

# `freightdeck analyze` against a real Prometheus (Debian package
# "prometheus"; the test says SKIP when it is missing).
TESTS += tests/prom/test_prom_real.sh tests/prom/test_analyze_replay.sh tests/prom/test_analyze_stage.sh \
	tests/prom/test_expr_version.sh
EXTRA_DIST += tests/prom/test_prom_real.sh tests/prom/test_analyze_replay.sh tests/prom/gendata.sh \
	tests/prom/test_expr_version.sh tests/prom/data/argo-rollouts-v1.9.yaml \
	tests/prom/test_analyze_stage.sh tests/prom/lib.sh tests/prom/data/stage-verification.yaml \
	tests/prom/data/SOURCE.md tests/prom/data/article-templates.yaml \
	tests/prom/data/test-templates.yaml tests/prom/data/success-only.yaml \
	tests/prom/data/bad-query.yaml tests/prom/data/watch.yaml \
	tests/prom/data/analysisrun-prod-failed.json tests/prom/data/run-inconclusive.json \
	tests/prom/data/run-errors.yaml tests/prom/data/run-no-measurements.yaml

# bench/bench_replay (listed in FD_BENCHES by bench/local.mk).
bench_bench_replay_LDADD = $(FD_LIBS)

# `freightdeck condition` (src/cli/cmd-condition.c).
TESTS += tests/cli/test_condition.sh
EXTRA_DIST += tests/cli/test_condition.sh

EXTRA_DIST += doc/analysis.md

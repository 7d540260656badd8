## src/expr: the expr-lang v1.17.8 compatible evaluator.
noinst_HEADERS += include/freightdeck/expr.h src/expr/internal.h src/expr/ast.h src/expr/eval.h

# The builtin functions: one line per file.
FD_EXPR_BUILTIN_SOURCES = \
	src/expr/builtins.h \
	src/expr/builtins.c \
	src/expr/builtins_collection.c \
	src/expr/builtins_conversion.c \
	src/expr/builtins_numeric.c \
	src/expr/builtins_string.c \
	src/expr/builtins_time.c \
	src/expr/builtins_timefmt.c \
	src/expr/tzrule.c \
	src/expr/env_argo.c \
	src/expr/env_kargo.c \
	src/expr/env_kargo_freight.c \
	src/expr/template.c \
	src/expr/yaml_out.c \
	src/expr/yaml_scalar.c

libfreightdeck_a_SOURCES += \
	src/expr/value.c \
	src/expr/types.c \
	src/expr/format.c \
	src/expr/json.c \
	src/expr/gojson.c \
	src/expr/lexer.c \
	src/expr/parser.c \
	src/expr/check.c \
	src/expr/optimize.c \
	src/expr/eval.c \
	src/expr/gomath.c \
	src/expr/pred.c \
	src/expr/expr.c \
	src/expr/jsonl.c \
	$(FD_EXPR_BUILTIN_SOURCES)

# Tests of the core (the builtins have their own test programs).
check_PROGRAMS += tests/unit/test_expr_core
tests_unit_test_expr_core_SOURCES = tests/unit/test_expr_core.c $(FD_CHECK_MAIN)
tests_unit_test_expr_core_CFLAGS = $(FD_CHECK_CFLAGS)
tests_unit_test_expr_core_LDADD = $(FD_CHECK_LIBS)
TESTS += tests/unit/test_expr_core
# builtins, Argo and Kargo environments
check_PROGRAMS += tests/unit/test_expr_builtins tests/unit/test_expr_argo tests/unit/test_expr_kargo
tests_unit_test_expr_builtins_SOURCES = tests/unit/test_expr_builtins.c $(FD_CHECK_MAIN) tests/unit/expr_check.c tests/unit/expr_check.h
tests_unit_test_expr_builtins_CFLAGS = $(FD_CHECK_CFLAGS)
tests_unit_test_expr_builtins_LDADD = $(FD_CHECK_LIBS)
tests_unit_test_expr_argo_SOURCES = tests/unit/test_expr_argo.c $(FD_CHECK_MAIN) tests/unit/expr_check.c tests/unit/expr_check.h
tests_unit_test_expr_argo_CFLAGS = $(FD_CHECK_CFLAGS)
tests_unit_test_expr_argo_LDADD = $(FD_CHECK_LIBS)
tests_unit_test_expr_kargo_SOURCES = tests/unit/test_expr_kargo.c $(FD_CHECK_MAIN) tests/unit/expr_check.c tests/unit/expr_check.h
tests_unit_test_expr_kargo_CFLAGS = $(FD_CHECK_CFLAGS)
tests_unit_test_expr_kargo_LDADD = $(FD_CHECK_LIBS)
TESTS += tests/unit/test_expr_builtins tests/unit/test_expr_argo tests/unit/test_expr_kargo


FD_SCRIPT_TESTS += tests/cli/test_eval.sh

FD_FUZZ_TARGETS += tests/fuzz/fuzz_expr_parse tests/fuzz/fuzz_eval_jsonl tests/fuzz/fuzz_go_json
tests_fuzz_fuzz_expr_parse_SOURCES = tests/fuzz/fuzz_expr_parse.c $(FD_FUZZ_MAIN)
tests_fuzz_fuzz_expr_parse_LDADD = $(FD_FUZZ_LIBS)
tests_fuzz_fuzz_eval_jsonl_SOURCES = tests/fuzz/fuzz_eval_jsonl.c $(FD_FUZZ_MAIN)
tests_fuzz_fuzz_eval_jsonl_LDADD = $(FD_FUZZ_LIBS)
tests_fuzz_fuzz_go_json_SOURCES = tests/fuzz/fuzz_go_json.c $(FD_FUZZ_MAIN)
tests_fuzz_fuzz_go_json_LDADD = $(FD_FUZZ_LIBS)
FD_FUZZ_TESTS += tests/fuzz/fuzz_expr_parse.sh tests/fuzz/fuzz_eval_jsonl.sh tests/fuzz/fuzz_go_json.sh
EXTRA_DIST += tests/fuzz/corpus/fuzz_expr_parse tests/fuzz/corpus/fuzz_eval_jsonl \
	tests/fuzz/corpus/fuzz_go_json
# cases found by the differential test (tests/peers), with the upstream answers
check_PROGRAMS += tests/unit/test_expr_peers
tests_unit_test_expr_peers_SOURCES = tests/unit/test_expr_peers.c $(FD_CHECK_MAIN) tests/unit/expr_check.c tests/unit/expr_check.h
tests_unit_test_expr_peers_CFLAGS = $(FD_CHECK_CFLAGS)
tests_unit_test_expr_peers_LDADD = $(FD_CHECK_LIBS)
TESTS += tests/unit/test_expr_peers

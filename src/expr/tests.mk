## src/expr script and fuzz tests: included after tests/local.mk, which
## defines FD_SCRIPT_TESTS and FD_FUZZ_TARGETS (set before appended to).
FD_SCRIPT_TESTS += tests/cli/test_eval.sh

FD_FUZZ_TARGETS += tests/fuzz/fuzz_expr_parse tests/fuzz/fuzz_eval_jsonl
tests_fuzz_fuzz_expr_parse_SOURCES = tests/fuzz/fuzz_expr_parse.c $(FD_FUZZ_MAIN)
tests_fuzz_fuzz_expr_parse_LDADD = $(FD_FUZZ_LIBS)
tests_fuzz_fuzz_eval_jsonl_SOURCES = tests/fuzz/fuzz_eval_jsonl.c $(FD_FUZZ_MAIN)
tests_fuzz_fuzz_eval_jsonl_LDADD = $(FD_FUZZ_LIBS)
FD_FUZZ_TESTS += tests/fuzz/fuzz_expr_parse.sh tests/fuzz/fuzz_eval_jsonl.sh
EXTRA_DIST += tests/fuzz/corpus/fuzz_expr_parse tests/fuzz/corpus/fuzz_eval_jsonl

## src/kube fuzz target: included after tests/local.mk, which defines
## FD_FUZZ_TARGETS (automake wants a variable set before it is appended to).
FD_FUZZ_TARGETS += tests/fuzz/fuzz_kubeconfig
tests_fuzz_fuzz_kubeconfig_SOURCES = tests/fuzz/fuzz_kubeconfig.c $(FD_FUZZ_MAIN)
tests_fuzz_fuzz_kubeconfig_LDADD = $(FD_FUZZ_LIBS)
FD_FUZZ_TESTS += tests/fuzz/fuzz_kubeconfig.sh
EXTRA_DIST += tests/fuzz/corpus/fuzz_kubeconfig

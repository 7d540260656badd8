## src/kube: the transport to one API server: kubeconfig, in-cluster config,
## credentials (exec plugins), HTTP requests, access reviews, redaction.
noinst_HEADERS += include/freightdeck/kube.h src/kube/internal.h
libfreightdeck_a_SOURCES += \
	src/kube/access.c \
	src/kube/credentials.c \
	src/kube/exec.c \
	src/kube/http.c \
	src/kube/incluster.c \
	src/kube/kubeconfig.c \
	src/kube/redact.c \
	src/kube/support.c

# Tests: Check programs, the fake exec plugin and the throwaway PKI script.
check_PROGRAMS += tests/unit/test_kube_config
tests_unit_test_kube_config_SOURCES = tests/unit/test_kube_config.c tests/unit/test_kube_helpers.h \
	$(FD_CHECK_MAIN)
tests_unit_test_kube_config_CFLAGS = $(FD_CHECK_CFLAGS)
tests_unit_test_kube_config_LDADD = $(FD_CHECK_LIBS)
TESTS += tests/unit/test_kube_config

EXTRA_DIST += tests/kube/exec-plugin.sh tests/kube/gen-certs.sh

check_PROGRAMS += tests/unit/test_kube_exec
tests_unit_test_kube_exec_SOURCES = tests/unit/test_kube_exec.c tests/unit/test_kube_helpers.h \
	$(FD_CHECK_MAIN)
tests_unit_test_kube_exec_CFLAGS = $(FD_CHECK_CFLAGS)
tests_unit_test_kube_exec_LDADD = $(FD_CHECK_LIBS)
TESTS += tests/unit/test_kube_exec

check_PROGRAMS += tests/unit/test_kube_http
tests_unit_test_kube_http_SOURCES = tests/unit/test_kube_http.c tests/unit/test_kube_helpers.h \
	$(FD_CHECK_MAIN)
tests_unit_test_kube_http_CFLAGS = $(FD_CHECK_CFLAGS)
tests_unit_test_kube_http_LDADD = $(FD_CHECK_LIBS)
TESTS += tests/unit/test_kube_http

check_PROGRAMS += tests/unit/test_kube_redact
tests_unit_test_kube_redact_SOURCES = tests/unit/test_kube_redact.c tests/unit/test_kube_helpers.h \
	$(FD_CHECK_MAIN)
tests_unit_test_kube_redact_CFLAGS = $(FD_CHECK_CFLAGS)
tests_unit_test_kube_redact_LDADD = $(FD_CHECK_LIBS)
TESTS += tests/unit/test_kube_redact

FD_FUZZ_TARGETS += tests/fuzz/fuzz_kubeconfig
tests_fuzz_fuzz_kubeconfig_SOURCES = tests/fuzz/fuzz_kubeconfig.c $(FD_FUZZ_MAIN)
tests_fuzz_fuzz_kubeconfig_LDADD = $(FD_FUZZ_LIBS)
FD_FUZZ_TESTS += tests/fuzz/fuzz_kubeconfig.sh
EXTRA_DIST += tests/fuzz/corpus/fuzz_kubeconfig

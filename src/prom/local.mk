## src/prom: the Prometheus HTTP API client as Argo Rollouts uses it
## (client_golang api/prometheus/v1): the requests, Go's error wording, the
## responses decoded. What a measurement means is src/analysis's.
noinst_HEADERS += include/freightdeck/prom.h
libfreightdeck_a_SOURCES += \
	src/prom/http.c \
	src/prom/jsoniter.c \
	src/prom/jsoniter.h \
	src/prom/response.c

# The requests (checked by an in-process server), Go's error wording,
# credentials kept out of messages; also the analysis provider over them.
check_PROGRAMS += tests/unit/test_prom_http
tests_unit_test_prom_http_SOURCES = tests/unit/test_prom_http.c $(FD_CHECK_MAIN)
tests_unit_test_prom_http_CFLAGS = $(FD_CHECK_CFLAGS)
tests_unit_test_prom_http_LDADD = $(FD_CHECK_LIBS)
TESTS += tests/unit/test_prom_http

FD_FUZZ_TARGETS += tests/fuzz/fuzz_prom_response
tests_fuzz_fuzz_prom_response_SOURCES = tests/fuzz/fuzz_prom_response.c $(FD_FUZZ_MAIN)
tests_fuzz_fuzz_prom_response_LDADD = $(FD_FUZZ_LIBS)
FD_FUZZ_TESTS += tests/fuzz/fuzz_prom_response.sh
EXTRA_DIST += tests/fuzz/corpus/fuzz_prom_response

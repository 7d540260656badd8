## src/analysis/prom.mk: the Prometheus provider over HTTP, `freightdeck
## analyze` and their tests (included from src/analysis/local.mk).
noinst_HEADERS += include/freightdeck/promclient.h

# A misbehaving server and helpers for the real-Prometheus test.
check_PROGRAMS += tests/prom/fakeprom
tests_prom_fakeprom_SOURCES = tests/prom/fakeprom.c
tests_prom_fakeprom_LDADD = $(FD_LIBS)

# `freightdeck analyze` against a real Prometheus (Debian package
# "prometheus"; the test says SKIP when it is missing).
TESTS += tests/prom/test_prom_real.sh tests/prom/test_analyze_replay.sh
EXTRA_DIST += tests/prom/test_prom_real.sh tests/prom/test_analyze_replay.sh tests/prom/gendata.sh \
	tests/prom/data/SOURCE.md tests/prom/data/article-templates.yaml \
	tests/prom/data/test-templates.yaml tests/prom/data/success-only.yaml \
	tests/prom/data/bad-query.yaml tests/prom/data/watch.yaml \
	tests/prom/data/analysisrun-prod-failed.json tests/prom/data/run-inconclusive.json \
	tests/prom/data/run-errors.yaml

check_PROGRAMS += tests/unit/test_prom_http
tests_unit_test_prom_http_SOURCES = tests/unit/test_prom_http.c $(FD_CHECK_MAIN)
tests_unit_test_prom_http_CFLAGS = $(FD_CHECK_CFLAGS)
tests_unit_test_prom_http_LDADD = $(FD_CHECK_LIBS)
TESTS += tests/unit/test_prom_http

# bench/bench_replay (listed in FD_BENCHES by bench/local.mk).
bench_bench_replay_LDADD = $(FD_LIBS)

## src/model: decoders for the Kargo and Argo Rollouts kinds, the object
## store (watch events, relists, snapshots) and the derived state (Stage
## phase, Freight availability, pipeline graph, canary view, attention list).
noinst_HEADERS += include/freightdeck/model.h src/model/internal.h
libfreightdeck_a_SOURCES += \
	src/model/attention.c \
	src/model/dec.c \
	src/model/gate.c \
	src/model/kargo.c \
	src/model/object.c \
	src/model/parse.c \
	src/model/pipeline.c \
	src/model/rollout.c \
	src/model/rollout_decode.c \
	src/model/stage.c \
	src/model/store.c

check_PROGRAMS += tests/unit/test_model_decode tests/unit/test_model_store \
	tests/unit/test_model_derive
tests_unit_test_model_decode_SOURCES = tests/unit/test_model_decode.c \
	tests/unit/test_model_util.h $(FD_CHECK_MAIN)
tests_unit_test_model_decode_CFLAGS = $(FD_CHECK_CFLAGS)
tests_unit_test_model_decode_LDADD = $(FD_CHECK_LIBS)
tests_unit_test_model_store_SOURCES = tests/unit/test_model_store.c \
	tests/unit/test_model_util.h $(FD_CHECK_MAIN)
tests_unit_test_model_store_CFLAGS = $(FD_CHECK_CFLAGS)
tests_unit_test_model_store_LDADD = $(FD_CHECK_LIBS)
tests_unit_test_model_derive_SOURCES = tests/unit/test_model_derive.c \
	tests/unit/test_model_util.h $(FD_CHECK_MAIN)
tests_unit_test_model_derive_CFLAGS = $(FD_CHECK_CFLAGS)
tests_unit_test_model_derive_LDADD = $(FD_CHECK_LIBS)
TESTS += tests/unit/test_model_decode tests/unit/test_model_store \
	tests/unit/test_model_derive
EXTRA_DIST += tests/data/fixtures

# Fuzz target: every decoder, the store and the derived state on arbitrary
# JSON (seeds: the fixtures and small objects of each kind).
FD_FUZZ_TARGETS += tests/fuzz/fuzz_model_decode
tests_fuzz_fuzz_model_decode_SOURCES = tests/fuzz/fuzz_model_decode.c $(FD_FUZZ_MAIN)
tests_fuzz_fuzz_model_decode_LDADD = $(FD_FUZZ_LIBS)
FD_FUZZ_TESTS += tests/fuzz/fuzz_model_decode.sh
EXTRA_DIST += tests/fuzz/corpus/fuzz_model_decode

# A watch stream cut into events as the informer cuts it, and list answers
# judged by the rule informers and one-shot lists share (issue 14).
FD_FUZZ_TARGETS += tests/fuzz/fuzz_watch_stream tests/fuzz/fuzz_list_decode
tests_fuzz_fuzz_watch_stream_SOURCES = tests/fuzz/fuzz_watch_stream.c $(FD_FUZZ_MAIN)
tests_fuzz_fuzz_watch_stream_LDADD = $(FD_FUZZ_LIBS)
tests_fuzz_fuzz_list_decode_SOURCES = tests/fuzz/fuzz_list_decode.c $(FD_FUZZ_MAIN)
tests_fuzz_fuzz_list_decode_LDADD = $(FD_FUZZ_LIBS)
FD_FUZZ_TESTS += tests/fuzz/fuzz_watch_stream.sh tests/fuzz/fuzz_list_decode.sh
EXTRA_DIST += tests/fuzz/corpus/fuzz_watch_stream tests/fuzz/corpus/fuzz_list_decode

# Benchmark: 10,000 Freight + 2,000 AnalysisRuns + 300 Stages into the store.
FD_BENCHES += bench/bench_model
bench_bench_model_SOURCES = bench/bench_model.c
bench_bench_model_LDADD = $(FD_LIBS)

# Actions: intent -> exact request, client-side checks (pure; the client
# module sends them).
libfreightdeck_a_SOURCES += \
	src/model/actions.c

## src/util: allocation, status codes, strings, logging, YAML into jansson.
noinst_HEADERS += include/freightdeck/util.h include/freightdeck/yaml.h
libfreightdeck_a_SOURCES += \
	src/util/alloc.c \
	src/util/base64.c \
	src/util/buf.c \
	src/util/file.c \
	src/util/go.c \
	src/util/log.c \
	src/util/status.c \
	src/util/time.c \
	src/util/yaml.c \
	src/util/yaml_json.c \
	src/util/yamldoc.c

# YAML streams into jansson values, under both option sets their callers use.
FD_FUZZ_TARGETS += tests/fuzz/fuzz_yamldoc
tests_fuzz_fuzz_yamldoc_SOURCES = tests/fuzz/fuzz_yamldoc.c $(FD_FUZZ_MAIN)
tests_fuzz_fuzz_yamldoc_LDADD = $(FD_FUZZ_LIBS)
FD_FUZZ_TESTS += tests/fuzz/fuzz_yamldoc.sh
EXTRA_DIST += tests/fuzz/corpus/fuzz_yamldoc

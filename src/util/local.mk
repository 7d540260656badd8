## src/util: allocation, status codes, strings, logging, time, files, Go regexps (RE2),
## YAML into jansson.
noinst_HEADERS += include/freightdeck/util.h include/freightdeck/yaml.h include/freightdeck/regex.h
libfreightdeck_a_SOURCES += \
	src/util/alloc.c \
	src/util/base64.c \
	src/util/buf.c \
	src/util/config.c \
	src/util/file.c \
	src/util/go.c \
	src/util/gosort.c \
	src/util/intern.c \
	src/util/json.c \
	src/util/json_arena.c \
	src/util/log.c \
	src/util/regex.cc \
	src/util/status.c \
	src/util/term.c \
	src/util/time.c \
	src/util/unicode.c \
	src/util/yaml.c \
	src/util/yaml_json.c \
	src/util/yamldoc.c

# YAML streams into jansson values, under both option sets their callers use.
FD_FUZZ_TARGETS += tests/fuzz/fuzz_yamldoc
tests_fuzz_fuzz_yamldoc_SOURCES = tests/fuzz/fuzz_yamldoc.c $(FD_FUZZ_MAIN)
tests_fuzz_fuzz_yamldoc_LDADD = $(FD_FUZZ_LIBS)
FD_FUZZ_TESTS += tests/fuzz/fuzz_yamldoc.sh
EXTRA_DIST += tests/fuzz/corpus/fuzz_yamldoc

# The terminal sanitiser: no escape, control or bidi character survives.
FD_FUZZ_TARGETS += tests/fuzz/fuzz_term_sanitize
tests_fuzz_fuzz_term_sanitize_SOURCES = tests/fuzz/fuzz_term_sanitize.c $(FD_FUZZ_MAIN)
tests_fuzz_fuzz_term_sanitize_LDADD = $(FD_FUZZ_LIBS)
FD_FUZZ_TESTS += tests/fuzz/fuzz_term_sanitize.sh
EXTRA_DIST += tests/fuzz/corpus/fuzz_term_sanitize

## src/util: allocation, status codes, strings, logging.
noinst_HEADERS += include/freightdeck/util.h include/freightdeck/yaml.h
libfreightdeck_a_SOURCES += \
	src/util/alloc.c \
	src/util/buf.c \
	src/util/go.c \
	src/util/log.c \
	src/util/status.c \
	src/util/yaml.c \
	src/util/yaml_json.c

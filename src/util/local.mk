## src/util: allocation, status codes, strings, logging.
noinst_HEADERS += include/freightdeck/util.h
libfreightdeck_a_SOURCES += \
	src/util/alloc.c \
	src/util/buf.c \
	src/util/log.c \
	src/util/status.c

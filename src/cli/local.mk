## src/cli: the command table and the one-shot commands.
noinst_HEADERS += include/freightdeck/cli.h
libfreightdeck_a_SOURCES += \
	src/cli/commands.c \
	src/cli/cmd-eval.c
libfreightdeck_a_SOURCES += src/cli/cmd-condition.c
libfreightdeck_a_SOURCES += src/cli/cmd-analyze.c

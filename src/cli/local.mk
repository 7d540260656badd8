## src/cli: the command table and the one-shot commands.
noinst_HEADERS += include/freightdeck/cli.h src/cli/cmd-analyze.h src/cli/console_opts.h
libfreightdeck_a_SOURCES += \
	src/cli/commands.c \
	src/cli/console_opts.c \
	src/cli/cmd-eval.c
libfreightdeck_a_SOURCES += src/cli/cmd-condition.c
libfreightdeck_a_SOURCES += src/cli/cmd-analyze.c src/cli/cmd-analyze-measure.c \
	src/cli/cmd-analyze-output.c src/cli/cmd-analyze-replay.c src/cli/cmd-analyze-stage.c
libfreightdeck_a_SOURCES += src/cli/cmd-console.c src/cli/cmd-demo.c src/cli/cmd-sim.c

# One-shot commands over the live client.
noinst_HEADERS += src/cli/kubecli.h
noinst_HEADERS += src/cli/fleetcli.h
libfreightdeck_a_SOURCES += src/cli/fleetcli.c
FD_SCRIPT_TESTS += tests/client/test_fleet.sh tests/cli/test_promises.sh tests/cli/test_exit.sh tests/cli/test_consistent.sh \
	tests/cli/test_confirm.sh tests/cli/test_verification.sh tests/cli/test_locale.sh
EXTRA_DIST += tests/client/fleet-workload.yaml tests/cli/noverify.yaml
libfreightdeck_a_SOURCES += \
	src/cli/cmd-approve.c \
	src/cli/cmd-get.c \
	src/cli/cmd-promote.c \
	src/cli/cmd-refresh.c \
	src/cli/cmd-rollout.c \
	src/cli/cmd-verify.c \
	src/cli/kubecli.c

## src/tui: the console (ncursesw): frame loop, views, keymap, themes.
## Panes: add src/tui/view-NAME.c here and one line in fd_tui_views (view.c).
noinst_HEADERS += include/freightdeck/tui.h \
	src/tui/canvas.h \
	src/tui/command.h \
	src/tui/console.h \
	src/tui/glyph.h \
	src/tui/lineedit.h \
	src/tui/request.h \
	src/tui/script.h \
	src/tui/theme.h \
	src/tui/tui-curses.h \
	src/tui/ui.h \
	src/tui/utf8.h
libfreightdeck_a_SOURCES += \
	src/tui/command.c \
	src/tui/console.c \
	src/tui/console-actions.c \
	src/tui/console-queries.c \
	src/tui/console-scope.c \
	src/tui/console-settings.c \
	src/tui/dialog.c \
	src/tui/display.c \
	src/tui/frame.c \
	src/tui/glyph.c \
	src/tui/keymap.c \
	src/tui/lineedit.c \
	src/tui/notify.c \
	src/tui/script.c \
	src/tui/theme.c \
	src/tui/utf8.c \
	src/tui/view.c \
	src/tui/view-events.c \
	src/tui/view-freight.c \
	src/tui/view-help.c \
	src/tui/view-history.c \
	src/tui/view-objects.c \
	src/tui/view-pipeline.c \
	src/tui/view-stage.c \
	src/tui/view-themes.c \
	src/tui/view-waits.c \
	src/tui/view-whatif.c \
	src/tui/view-replay.c \
	src/tui/view-rollout.c \
	src/tui/canvas.c \
	src/tui/wake.c

# Shipped themes, found at run time in $(pkgdatadir)/themes (FD_PKGDATADIR),
# and compiled in (src/tui/theme_data.c) so that they work from the build tree.
FD_TUI_THEMES = themes/dark.yaml themes/light.yaml themes/mono.yaml themes/high-contrast.yaml
nodist_libfreightdeck_a_SOURCES += src/tui/theme_data.c
CLEANFILES += src/tui/theme_data.c
src/tui/theme_data.c: $(srcdir)/build-aux/embed.sh $(FD_TUI_THEMES:%=$(srcdir)/%)
	$(MKDIR_P) src/tui
	$(SHELL) $(srcdir)/build-aux/embed.sh fd_tui_embedded_theme fd_tui_embedded_themes dark=$(srcdir)/themes/dark.yaml \
		light=$(srcdir)/themes/light.yaml mono=$(srcdir)/themes/mono.yaml \
		high-contrast=$(srcdir)/themes/high-contrast.yaml >$@.tmp && mv $@.tmp $@

themesdir = $(pkgdatadir)/themes
dist_themes_DATA = \
	themes/dark.yaml \
	themes/light.yaml \
	themes/mono.yaml \
	themes/high-contrast.yaml

# The console's test driver (screen tests, tmux end-to-end test).
check_PROGRAMS += tests/tui/tui_driver
tests_tui_tui_driver_SOURCES = tests/tui/tui_driver.c
tests_tui_tui_driver_LDADD = $(FD_LIBS)
FD_TUI_SCRIPT_TESTS = tests/tui/test_screens.sh tests/tui/test_loop.sh tests/tui/test_tmux.sh
TESTS += $(FD_TUI_SCRIPT_TESTS)
EXTRA_DIST += $(FD_TUI_SCRIPT_TESTS) tests/lib/screen.sh tests/tui/screens
CLEANFILES += tests/tui/screens-actual/*.screen

# Fuzz target: the theme and keymap YAML parsers (seed corpus: the shipped
# themes, configs, and broken files).
FD_FUZZ_TARGETS += tests/fuzz/fuzz_theme
tests_fuzz_fuzz_theme_SOURCES = tests/fuzz/fuzz_theme.c $(FD_FUZZ_MAIN)
tests_fuzz_fuzz_theme_LDADD = $(FD_FUZZ_LIBS)
FD_FUZZ_TESTS += tests/fuzz/fuzz_theme.sh
EXTRA_DIST += tests/fuzz/corpus/fuzz_theme

# Unit tests (Check).
check_PROGRAMS += tests/unit/test_tui_theme tests/unit/test_tui_keys tests/unit/test_tui_edit
tests_unit_test_tui_theme_SOURCES = tests/unit/test_tui_theme.c $(FD_CHECK_MAIN)
tests_unit_test_tui_theme_CFLAGS = $(FD_CHECK_CFLAGS)
tests_unit_test_tui_theme_LDADD = $(FD_CHECK_LIBS)
tests_unit_test_tui_keys_SOURCES = tests/unit/test_tui_keys.c $(FD_CHECK_MAIN)
tests_unit_test_tui_keys_CFLAGS = $(FD_CHECK_CFLAGS)
tests_unit_test_tui_keys_LDADD = $(FD_CHECK_LIBS)
tests_unit_test_tui_edit_SOURCES = tests/unit/test_tui_edit.c $(FD_CHECK_MAIN)
tests_unit_test_tui_edit_CFLAGS = $(FD_CHECK_CFLAGS)
tests_unit_test_tui_edit_LDADD = $(FD_CHECK_LIBS)
TESTS += tests/unit/test_tui_theme tests/unit/test_tui_keys tests/unit/test_tui_edit

# Benchmark: bytes on the wire per frame and per small change.
FD_BENCHES += bench/bench_tui
bench_bench_tui_SOURCES = bench/bench_tui.c
bench_bench_tui_LDADD = $(FD_LIBS)

# The console (panes over the live model, dialogs, demo): screen tests on
# fixed data, each action against the simulator, and the prod gate end to
# end through tmux on `freightdeck demo`.
FD_TUI_CONSOLE_TESTS = tests/console/test_screens.sh tests/console/test_actions.sh \
	tests/console/test_demo_tmux.sh tests/console/test_whatif.sh tests/console/test_cap.sh
TESTS += $(FD_TUI_CONSOLE_TESTS)
EXTRA_DIST += $(FD_TUI_CONSOLE_TESTS) tests/console/screens tests/console/data/payments.json tests/console/data/checkout.json tests/console/data/gate.json tests/console/data/paused.json \
	tests/console/data/whatif-templates.json tests/console/data/whatif-kargo.json \
	tests/console/data/invalid-stage.yaml \
	doc/console.md
CLEANFILES += tests/console/screens-actual/*.screen

# Benchmark: the console on a large model (first frame, idle CPU, bytes per
# measurement update, event -> screen latency).
FD_BENCHES += bench/bench_console
bench_bench_console_SOURCES = bench/bench_console.c
bench_bench_console_LDADD = $(FD_LIBS)

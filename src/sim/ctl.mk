## src/sim/ctl.mk: the scenario player of `freightdeck sim`: emulated Kargo,
## Argo Rollouts and AnalysisRun controllers, scenarios, faults, /metrics.
noinst_HEADERS += src/sim/ctl.h src/sim/hooks.h src/sim/names.h src/sim/scenario.h
libfreightdeck_a_SOURCES += \
	src/sim/admit_kargo.c \
	src/sim/clock.c \
	src/sim/ctl.c \
	src/sim/ctl_analysis.c \
	src/sim/ctl_kargo.c \
	src/sim/ctl_rollouts.c \
	src/sim/faults.c \
	src/sim/metrics.c \
	src/sim/names.c \
	src/sim/player.c \
	src/sim/scenario.c \
	src/sim/scenario_scale.c

# The built-in scenarios are compiled in from scenarios/*.yaml.
FD_SIM_SCENARIOS = scenarios/payments.yaml scenarios/inconclusive.yaml
nodist_libfreightdeck_a_SOURCES = src/sim/scenario_data.c
CLEANFILES += src/sim/scenario_data.c
EXTRA_DIST += src/sim/embed.sh $(FD_SIM_SCENARIOS)
src/sim/scenario_data.c: $(srcdir)/src/sim/embed.sh $(FD_SIM_SCENARIOS:%=$(srcdir)/%)
	$(MKDIR_P) src/sim
	$(SHELL) $(srcdir)/src/sim/embed.sh payments=$(srcdir)/scenarios/payments.yaml \
		inconclusive=$(srcdir)/scenarios/inconclusive.yaml >$@.tmp && mv $@.tmp $@

# Tests: the controllers' pure logic and hand-clocked passes; the scenarios
# end to end with kubectl and curl.
check_PROGRAMS += tests/unit/test_sim_ctl
tests_unit_test_sim_ctl_SOURCES = tests/unit/test_sim_ctl.c $(FD_CHECK_MAIN)
tests_unit_test_sim_ctl_CFLAGS = $(FD_CHECK_CFLAGS)
tests_unit_test_sim_ctl_LDADD = $(FD_CHECK_LIBS)
TESTS += tests/unit/test_sim_ctl tests/sim/test_scenario_payments.sh \
	tests/sim/test_scenario_inconclusive.sh tests/sim/test_scenario_actions.sh \
	tests/sim/test_scenario_faults.sh tests/sim/test_scenario_prometheus.sh
EXTRA_DIST += tests/sim/scenario_lib.sh tests/sim/test_scenario_payments.sh \
	tests/sim/test_scenario_inconclusive.sh tests/sim/test_scenario_actions.sh \
	tests/sim/test_scenario_faults.sh tests/sim/test_scenario_prometheus.sh

# Scenario files and the controllers over what they load (libFuzzer target;
# make check replays tests/fuzz/corpus/fuzz_sim_scenario).
FD_FUZZ_TARGETS += tests/fuzz/fuzz_sim_scenario
tests_fuzz_fuzz_sim_scenario_SOURCES = tests/fuzz/fuzz_sim_scenario.c $(FD_FUZZ_MAIN)
tests_fuzz_fuzz_sim_scenario_LDADD = $(FD_FUZZ_LIBS)
FD_FUZZ_TESTS += tests/fuzz/fuzz_sim_scenario.sh
EXTRA_DIST += tests/fuzz/corpus/fuzz_sim_scenario

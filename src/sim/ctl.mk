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

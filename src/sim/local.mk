## src/sim: `freightdeck sim`, a small Kubernetes API server for Kargo and
## Argo Rollouts resources (libmicrohttpd, jansson, libyaml).
noinst_HEADERS += include/freightdeck/sim.h \
	src/sim/api.h \
	src/sim/auth.h \
	src/sim/misc.h \
	src/sim/patch.h \
	src/sim/proto.h \
	src/sim/resources.h \
	src/sim/schema.h \
	src/sim/selector.h \
	src/sim/status.h \
	src/sim/store.h \
	src/sim/webhooks.h
libfreightdeck_a_SOURCES += \
	src/sim/api.c \
	src/sim/auth.c \
	src/sim/discovery.c \
	src/sim/load.c \
	src/sim/misc.c \
	src/sim/patch.c \
	src/sim/proto.c \
	src/sim/resources.c \
	src/sim/schema.c \
	src/sim/selector.c \
	src/sim/server.c \
	src/sim/status.c \
	src/sim/store.c \
	src/sim/table.c \
	src/sim/webhooks.c
## The scenario player: emulated Kargo, Argo Rollouts and AnalysisRun
## controllers, scenarios, faults, /metrics.
noinst_HEADERS += src/sim/churn.h src/sim/ctl.h src/sim/ctl_kargo.h src/sim/hooks.h \
	src/sim/names.h src/sim/scenario.h
libfreightdeck_a_SOURCES += \
	src/sim/admit_kargo.c \
	src/sim/churn.c \
	src/sim/clock.c \
	src/sim/ctl.c \
	src/sim/ctl_dirty.c \
	src/sim/ctl_analysis.c \
	src/sim/ctl_kargo.c \
	src/sim/ctl_kargo_promotions.c \
	src/sim/ctl_kargo_stages.c \
	src/sim/ctl_kargo_verify.c \
	src/sim/ctl_kargo_warehouses.c \
	src/sim/ctl_rollouts.c \
	src/sim/faults.c \
	src/sim/metrics.c \
	src/sim/names.c \
	src/sim/player.c \
	src/sim/scenario.c \
	src/sim/scenario_scale.c

# The built-in scenarios are compiled in from scenarios/*.yaml.
FD_SIM_SCENARIOS = scenarios/payments.yaml scenarios/inconclusive.yaml
nodist_libfreightdeck_a_SOURCES = src/sim/scenario_data.c src/sim/crd_data.c
CLEANFILES += src/sim/scenario_data.c src/sim/crd_data.c
EXTRA_DIST += $(FD_SIM_SCENARIOS) doc/sim.md tests/realstack/simdiff
src/sim/scenario_data.c: $(srcdir)/build-aux/embed.sh $(FD_SIM_SCENARIOS:%=$(srcdir)/%)
	$(MKDIR_P) src/sim
	$(SHELL) $(srcdir)/build-aux/embed.sh fd_sim_embedded fd_sim_embedded_scenarios \
		payments=$(srcdir)/scenarios/payments.yaml \
		inconclusive=$(srcdir)/scenarios/inconclusive.yaml >$@.tmp && mv $@.tmp $@

# The CRDs whose openAPIV3Schema the sim validates objects against, compiled
# in by their metadata.name (tests/data/crds, see SOURCE.md there).
FD_SIM_CRD_FILES = tests/data/crds/kargo.akuity.io_stages.yaml \
	tests/data/crds/kargo.akuity.io_freights.yaml \
	tests/data/crds/kargo.akuity.io_warehouses.yaml \
	tests/data/crds/kargo.akuity.io_promotions.yaml \
	tests/data/crds/kargo.akuity.io_projects.yaml \
	tests/data/crds/kargo.akuity.io_projectconfigs.yaml \
	tests/data/crds/kargo.akuity.io_promotiontasks.yaml \
	tests/data/crds/kargo.akuity.io_clusterpromotiontasks.yaml \
	tests/data/crds/rollout-crd.yaml \
	tests/data/crds/analysis-run-crd.yaml \
	tests/data/crds/analysis-template-crd.yaml \
	tests/data/crds/cluster-analysis-template-crd.yaml
src/sim/crd_data.c: $(srcdir)/build-aux/embed.sh $(FD_SIM_CRD_FILES:%=$(srcdir)/%)
	$(MKDIR_P) src/sim
	$(SHELL) $(srcdir)/build-aux/embed.sh fd_sim_embedded fd_sim_embedded_crds \
		stages.kargo.akuity.io=$(srcdir)/tests/data/crds/kargo.akuity.io_stages.yaml \
		freights.kargo.akuity.io=$(srcdir)/tests/data/crds/kargo.akuity.io_freights.yaml \
		warehouses.kargo.akuity.io=$(srcdir)/tests/data/crds/kargo.akuity.io_warehouses.yaml \
		promotions.kargo.akuity.io=$(srcdir)/tests/data/crds/kargo.akuity.io_promotions.yaml \
		projects.kargo.akuity.io=$(srcdir)/tests/data/crds/kargo.akuity.io_projects.yaml \
		projectconfigs.kargo.akuity.io=$(srcdir)/tests/data/crds/kargo.akuity.io_projectconfigs.yaml \
		promotiontasks.kargo.akuity.io=$(srcdir)/tests/data/crds/kargo.akuity.io_promotiontasks.yaml \
		clusterpromotiontasks.kargo.akuity.io=$(srcdir)/tests/data/crds/kargo.akuity.io_clusterpromotiontasks.yaml \
		rollouts.argoproj.io=$(srcdir)/tests/data/crds/rollout-crd.yaml \
		analysisruns.argoproj.io=$(srcdir)/tests/data/crds/analysis-run-crd.yaml \
		analysistemplates.argoproj.io=$(srcdir)/tests/data/crds/analysis-template-crd.yaml \
		clusteranalysistemplates.argoproj.io=$(srcdir)/tests/data/crds/cluster-analysis-template-crd.yaml \
		>$@.tmp && mv $@.tmp $@

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

check_PROGRAMS += tests/unit/test_sim_schema
tests_unit_test_sim_schema_SOURCES = tests/unit/test_sim_schema.c $(FD_CHECK_MAIN)
tests_unit_test_sim_schema_CFLAGS = $(FD_CHECK_CFLAGS)
tests_unit_test_sim_schema_LDADD = $(FD_CHECK_LIBS)
TESTS += tests/unit/test_sim_schema

check_PROGRAMS += tests/unit/test_sim_store tests/unit/test_sim_patch tests/unit/test_sim_api
tests_unit_test_sim_store_SOURCES = tests/unit/test_sim_store.c $(FD_CHECK_MAIN)
tests_unit_test_sim_store_CFLAGS = $(FD_CHECK_CFLAGS)
tests_unit_test_sim_store_LDADD = $(FD_CHECK_LIBS)
tests_unit_test_sim_patch_SOURCES = tests/unit/test_sim_patch.c $(FD_CHECK_MAIN)
tests_unit_test_sim_patch_CFLAGS = $(FD_CHECK_CFLAGS)
tests_unit_test_sim_patch_LDADD = $(FD_CHECK_LIBS)
tests_unit_test_sim_api_SOURCES = tests/unit/test_sim_api.c $(FD_CHECK_MAIN)
tests_unit_test_sim_api_CFLAGS = $(FD_CHECK_CFLAGS)
tests_unit_test_sim_api_LDADD = $(FD_CHECK_LIBS)
TESTS += tests/unit/test_sim_store tests/unit/test_sim_patch tests/unit/test_sim_api

# The kubectl script test, and its helper that checks served objects against
# the CRDs' openAPIV3Schema (tests/data/crds, see SOURCE.md there).
check_PROGRAMS += tests/sim/crd_check
tests_sim_crd_check_SOURCES = tests/sim/crd_check.c
tests_sim_crd_check_LDADD = $(FD_LIBS)
TESTS += tests/sim/test_kubectl.sh tests/sim/test_sim_validation.sh tests/sim/test_scale.sh
EXTRA_DIST += tests/sim/test_kubectl.sh tests/sim/test_sim_validation.sh tests/sim/test_scale.sh \
	tests/sim/seed.yaml \
	tests/data/crds/SOURCE.md \
	tests/data/crds/kargo.akuity.io_freights.yaml \
	tests/data/crds/kargo.akuity.io_projects.yaml \
	tests/data/crds/kargo.akuity.io_promotions.yaml \
	tests/data/crds/kargo.akuity.io_stages.yaml \
	tests/data/crds/kargo.akuity.io_warehouses.yaml \
	tests/data/crds/kargo.akuity.io_projectconfigs.yaml \
	tests/data/crds/kargo.akuity.io_promotiontasks.yaml \
	tests/data/crds/kargo.akuity.io_clusterpromotiontasks.yaml \
	tests/data/crds/rollout-crd.yaml \
	tests/data/crds/analysis-run-crd.yaml \
	tests/data/crds/analysis-template-crd.yaml \
	tests/data/crds/cluster-analysis-template-crd.yaml

# The request handler's fuzz target (tests/fuzz/corpus/fuzz_sim_request).
FD_FUZZ_TARGETS += tests/fuzz/fuzz_sim_request
tests_fuzz_fuzz_sim_request_SOURCES = tests/fuzz/fuzz_sim_request.c $(FD_FUZZ_MAIN)
tests_fuzz_fuzz_sim_request_LDADD = $(FD_FUZZ_LIBS)
FD_FUZZ_TESTS += tests/fuzz/fuzz_sim_request.sh
EXTRA_DIST += tests/fuzz/corpus/fuzz_sim_request

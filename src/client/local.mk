## src/client: the live client over kube's transport and into model's store:
## informers and the network thread (client.c, informer.c, access.c,
## list.c), the config file of several clusters (fleet.c), sending action
## plans (action_send.c) and the audit log (audit.c).
noinst_HEADERS += include/freightdeck/client.h src/client/internal.h
libfreightdeck_a_SOURCES += \
	src/client/access.c \
	src/client/action_send.c \
	src/client/expr_detect.c \
	src/client/audit.c \
	src/client/client.c \
	src/client/fleet.c \
	src/client/informer.c \
	src/client/kargo_objects.c \
	src/client/list.c \
	src/client/liveness.c

# Tests: the commands and the client against the simulator over HTTPS.
check_PROGRAMS += tests/client/probe
tests_client_probe_SOURCES = tests/client/probe.c
tests_client_probe_LDADD = $(FD_LIBS)
FD_SCRIPT_TESTS += tests/client/test_client.sh tests/client/test_nul_text.sh
EXTRA_DIST += tests/client/seed.yaml doc/config.md

# Faults: a proxy that breaks what it forwards, and a program that sends one
# action through a live client (as the console does), for tests/faults.
check_PROGRAMS += tests/faults/faultproxy tests/faults/actor
tests_faults_faultproxy_SOURCES = tests/faults/faultproxy.c
tests_faults_faultproxy_LDADD = -lpthread
tests_faults_actor_SOURCES = tests/faults/actor.c
tests_faults_actor_LDADD = $(FD_LIBS)
FD_SCRIPT_TESTS += tests/faults/test_faults.sh
EXTRA_DIST += tests/faults/hostile.yaml

check_PROGRAMS += tests/unit/test_client_fleet
tests_unit_test_client_fleet_SOURCES = tests/unit/test_client_fleet.c $(FD_CHECK_MAIN)
tests_unit_test_client_fleet_CFLAGS = $(FD_CHECK_CFLAGS)
tests_unit_test_client_fleet_LDADD = $(FD_CHECK_LIBS)
TESTS += tests/unit/test_client_fleet

# Benchmark: list+watch of the scale scenario; watch latency.
FD_BENCHES += bench/bench_client
bench_bench_client_SOURCES = bench/bench_client.c
bench_bench_client_LDADD = $(FD_LIBS)

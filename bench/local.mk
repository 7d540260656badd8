## bench: `make bench` builds every benchmark program and prints one table,
## a line per figure: name  value  unit. A benchmark is a program under
## bench/ that prints such lines; list it in FD_BENCHES.

FD_BENCHES += bench/bench_expr
bench_bench_expr_SOURCES = bench/bench_expr.c
bench_bench_expr_LDADD = $(FD_LIBS)
FD_BENCHES += bench/bench_replay
FD_BENCHES += bench/bench_sim
bench_bench_sim_SOURCES = bench/bench_sim.c
bench_bench_sim_LDADD = $(FD_LIBS)
# Built by make check too, so that they keep compiling (and count as users in
# tests/build/check-symbols); tests/sim/test_scale.sh runs bench_scale --quick.
check_PROGRAMS += $(FD_BENCHES) bench/bench_scale
bench_bench_scale_SOURCES = bench/bench_scale.c
bench_bench_scale_LDADD = $(FD_LIBS)
CLEANFILES += $(FD_BENCHES)
EXTRA_DIST += bench/run-all bench/realstack-load bench/latency-proxy doc/performance.md

bench: $(FD_BENCHES) bench/bench_scale freightdeck
	@FD_TOP_SRCDIR='$(abs_top_srcdir)' FD_TOP_BUILDDIR='$(abs_top_builddir)' \
	  $(SHELL) $(top_srcdir)/bench/run-all $(FD_BENCHES) bench/bench_scale

.PHONY: bench

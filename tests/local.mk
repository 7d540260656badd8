## tests: every test speaks TAP, runs through tests/lib/sealed, and is listed
## in TESTS. Check programs live in tests/unit/, script tests (*.sh) beside
## the feature they test.

TEST_EXTENSIONS = .sh
FD_TAP_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
LOG_DRIVER = $(FD_TAP_DRIVER)
SH_LOG_DRIVER = $(FD_TAP_DRIVER)
AM_TESTS_ENVIRONMENT = FD_TOP_SRCDIR='$(abs_top_srcdir)' FD_TOP_BUILDDIR='$(abs_top_builddir)'; export FD_TOP_SRCDIR FD_TOP_BUILDDIR;
LOG_COMPILER = $(SHELL) $(top_srcdir)/tests/lib/sealed
SH_LOG_COMPILER = $(SHELL) $(top_srcdir)/tests/lib/sealed $(SHELL)

EXTRA_DIST += tests/lib/sealed tests/lib/tap.sh build-aux/tap-driver.sh

# Check programs: each is its test file plus the shared TAP main.
FD_CHECK_MAIN = tests/unit/check_main.c tests/unit/check_main.h
FD_CHECK_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
FD_CHECK_LIBS = $(FD_LIBS) $(CHECK_LIBS)

check_PROGRAMS += tests/unit/test_util
tests_unit_test_util_SOURCES = tests/unit/test_util.c $(FD_CHECK_MAIN)
tests_unit_test_util_CFLAGS = $(FD_CHECK_CFLAGS)
tests_unit_test_util_LDADD = $(FD_CHECK_LIBS)

TESTS += tests/unit/test_util

# Script tests.
FD_SCRIPT_TESTS += tests/cli/test_cli.sh tests/cli/test_docs.sh
TESTS += $(FD_SCRIPT_TESTS)
EXTRA_DIST += $(FD_SCRIPT_TESTS)

# Fuzz targets (tests/fuzz/fuzz_*.c, one LLVMFuzzerTestOneInput each, with a
# seed corpus in tests/fuzz/corpus/<name>/). FD_FUZZ_TARGETS, FD_FUZZ_TESTS,
# FD_SCRIPT_TESTS and FD_BENCHES start empty in Makefile.am, so a module's
# local.mk (included in any order) appends. A module adds its target with:
#   FD_FUZZ_TARGETS += tests/fuzz/fuzz_x
#   tests_fuzz_fuzz_x_SOURCES = tests/fuzz/fuzz_x.c $(FD_FUZZ_MAIN)
#   tests_fuzz_fuzz_x_LDADD = $(FD_FUZZ_LIBS)
#   FD_FUZZ_TESTS += tests/fuzz/fuzz_x.sh   (replays the corpus, see below)
# With --enable-fuzzing (clang) they are real libFuzzer programs, built by
# `make fuzz`; otherwise they link tests/fuzz/standalone.c and `make check`
# replays each seed corpus through them, so the entry points stay tested.
EXTRA_DIST += tests/fuzz/run-corpus
if FUZZING
FD_FUZZ_MAIN =
FD_FUZZ_LIBS = $(FD_LIBS) $(FD_FUZZ_LDFLAGS)
noinst_PROGRAMS += $(FD_FUZZ_TARGETS)
fuzz: $(FD_FUZZ_TARGETS)
else
FD_FUZZ_MAIN = tests/fuzz/standalone.c
FD_FUZZ_LIBS = $(FD_LIBS)
check_PROGRAMS += $(FD_FUZZ_TARGETS)
TESTS += $(FD_FUZZ_TESTS)
fuzz:
	@echo "make fuzz: configure with CC=clang --enable-fuzzing first" >&2; exit 1
endif
EXTRA_DIST += $(FD_FUZZ_TESTS)
.PHONY: fuzz
EXTRA_DIST += .ci/run .ci/config.site

# The modules' include rules (doc/HACKING.md, "Layers").
FD_SCRIPT_TESTS += tests/build/test_layers.sh
EXTRA_DIST += tests/build/check-layers
# The upstream peers (tests/peers, Go, test-only): expr-lang/expr v1.17.8 and
# v1.15.5, Argo Rollouts' evaluate code, Kargo's pkg/expressions, and the
# difftest driver that compares them with freightdeck. `make peers` builds
# them into tests/peers/bin (go build is incremental: a second run does
# nothing); tests/peers/test_difftest.sh skips when they are not built.
# `make difftest N=200000 SEED=7` is a long run.
FD_PEERS_DIR = $(abs_top_builddir)/tests/peers/bin
FD_PEERS_GO = env GOTOOLCHAIN=go1.26.10 GOFLAGS=-mod=readonly go
FD_PEERSRC = tests/peers/main.go tests/peers/v117.go tests/peers/v115.go tests/peers/bench.go \
	tests/peers/go.mod tests/peers/go.sum tests/peers/go115.mod tests/peers/go115.sum \
	tests/peers/placeholder/kargo-api/go.mod tests/peers/placeholder/kargo-client/go.mod \
	tests/peers/difftest/main.go tests/peers/difftest/gen.go tests/peers/difftest/corpus.go \
	tests/peers/README
EXTRA_DIST += $(FD_PEERSRC) tests/peers/test_difftest.sh tests/peers/known-differences
FD_SCRIPT_TESTS += tests/peers/test_difftest.sh
FD_PEERBINS = $(FD_PEERS_DIR)/peer-1.17 $(FD_PEERS_DIR)/peer-1.15 $(FD_PEERS_DIR)/difftest
# argo-peer: Argo Rollouts' analysis controller and Prometheus provider (a
# module of its own, tests/peers/argo: the controller pulls in client-go and
# every metric provider, which the expr peers do not need).
FD_ARGOPEERSRC = tests/peers/argo/go.mod tests/peers/argo/go.sum tests/peers/argo/main.go \
	tests/peers/argo/replay.go tests/peers/argo/prom.go
EXTRA_DIST += $(FD_ARGOPEERSRC) tests/peers/test_argo.sh tests/peers/argo-known-differences
FD_SCRIPT_TESTS += tests/peers/test_argo.sh

peers: $(FD_PEERBINS) $(FD_PEERS_DIR)/corpus.jsonl $(FD_PEERS_DIR)/argo-peer

$(FD_PEERS_DIR)/argo-peer: $(FD_ARGOPEERSRC:%=$(top_srcdir)/%)
	@command -v go >/dev/null 2>&1 || { echo "make peers: needs Go 1.21 or later (it fetches" \
	  "go1.26.10 and the modules through the Go module proxy)" >&2; exit 1; }
	@mkdir -p $(FD_PEERS_DIR)
	cd $(top_srcdir)/tests/peers/argo && $(FD_PEERS_GO) build -trimpath -o $@ .
	@touch $@

$(FD_PEERBINS): $(FD_PEERSRC:%=$(top_srcdir)/%)
	@command -v go >/dev/null 2>&1 || { echo "make peers: needs Go 1.21 or later (it fetches" \
	  "go1.26.10 and the modules through the Go module proxy)" >&2; exit 1; }
	@mkdir -p $(FD_PEERS_DIR)
	cd $(top_srcdir)/tests/peers && $(FD_PEERS_GO) build -trimpath -o $(FD_PEERS_DIR)/peer-1.17 .
	cd $(top_srcdir)/tests/peers && $(FD_PEERS_GO) build -trimpath -modfile=go115.mod -tags expr115 \
	  -o $(FD_PEERS_DIR)/peer-1.15 .
	cd $(top_srcdir)/tests/peers && $(FD_PEERS_GO) build -trimpath -o $(FD_PEERS_DIR)/difftest ./difftest
	@touch $(FD_PEERBINS)

$(FD_PEERS_DIR)/corpus.jsonl: $(FD_PEERS_DIR)/difftest
	cd $(top_srcdir)/tests/peers && $(FD_PEERS_DIR)/difftest -extract $@.tmp \
	  $$($(FD_PEERS_GO) list -m -f '{{.Dir}}' github.com/expr-lang/expr \
	     github.com/argoproj/argo-rollouts github.com/akuity/kargo) && mv $@.tmp $@

N = 200000
SEED = 1
difftest: peers freightdeck
	$(FD_PEERS_DIR)/difftest -fd $(abs_top_builddir)/freightdeck -peers $(FD_PEERS_DIR) -n $(N) -seed $(SEED)

# Rewrites tests/peers/known-differences from the make check run (20,000
# cases per version, seed 1): what is still open; anything else fails.
difftest-known: peers freightdeck
	-$(FD_PEERS_DIR)/difftest -fd $(abs_top_builddir)/freightdeck -peers $(FD_PEERS_DIR) \
	  -n 20000 -seed 1 -show 0 -todo rewriting -write-known $(srcdir)/tests/peers/known-differences \
	  | grep -v '^[[:punct:]] '

clean-local: clean-peers
clean-peers:
	rm -rf $(FD_PEERS_DIR)

# Rewrites tests/peers/argo-known-differences from the make check run.
argo-known: peers freightdeck
	-$(FD_PEERS_DIR)/argo-peer -fd $(abs_top_builddir)/freightdeck -seed 1 -show 0 \
	  -write-known $(srcdir)/tests/peers/argo-known-differences

.PHONY: peers difftest difftest-known argo-known clean-peers
# The tree reads on its own; tests wait for conditions (doc/HACKING.md).
FD_SCRIPT_TESTS += tests/build/test_tree.sh
EXTRA_DIST += tests/build/check-tree doc/upstream.md
# Every extern of the library carries the prefix (doc/HACKING.md, "Naming").
FD_SCRIPT_TESTS += tests/build/test_symbols.sh
EXTRA_DIST += tests/build/check-symbols tests/build/check-prefixes
# The layout is clang-format's (.clang-format; doc/HACKING.md, "Style").
FD_SCRIPT_TESTS += tests/build/test_format.sh
EXTRA_DIST += tests/build/check-format

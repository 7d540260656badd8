## tests/realstack: the real Kubernetes control plane, etcd, kwok and the Argo
## Rollouts controller, built from their Go modules (tests/realstack/go.mod)
## into tests/realstack/.build (git-ignored), and freightdeck's suite against
## them (`make check-real`). See doc/realstack.md.
##
## `make realstack` builds; a second run finds the stamp newer than go.mod,
## go.sum and the small mains and does nothing. Go's module and build caches
## (~/go/pkg/mod, ~/.cache/go-build) make a rebuild after a change cheap.

GO = go
FD_RS_DIR = $(abs_top_srcdir)/tests/realstack
FD_RS_GOENV = GOTOOLCHAIN=go1.26.10 GOFLAGS='-mod=readonly -buildvcs=false'
FD_RS_VERSION = k8s.io/component-base/version
FD_RS_GO_LINKFLAGS = -s -w -X $(FD_RS_VERSION).gitVersion=v1.34.5 -X $(FD_RS_VERSION).gitMajor=1 \
	-X $(FD_RS_VERSION).gitMinor=34 -X $(FD_RS_VERSION).gitTreeState=clean
FD_RS_BUILD = cd $(FD_RS_DIR) && $(FD_RS_GOENV) nice $(GO) build -ldflags '$(FD_RS_GO_LINKFLAGS)' -o .build/bin/
FD_RS_INPUTS = $(FD_RS_DIR)/go.mod $(FD_RS_DIR)/go.sum
# kwok has a module of its own (kwok/go.mod says why).
FD_RS_KWOK_INPUTS = $(FD_RS_DIR)/kwok/go.mod $(FD_RS_DIR)/kwok/go.sum
FD_RS_MAINS = $(FD_RS_DIR)/cmd/etcd/main.go $(FD_RS_DIR)/cmd/rstool/main.go
FD_RS_STAMP = $(FD_RS_DIR)/.build/stamp

# kubectl alone: ./bootstrap builds it when the kubectl on PATH lacks
# `kubectl patch --subresource` (Debian's 1.20); tests/lib/sealed puts
# tests/realstack/.build/bin first on PATH when it exists.
$(FD_RS_DIR)/.build/bin/kubectl: $(FD_RS_INPUTS)
	@mkdir -p $(FD_RS_DIR)/.build/bin
	$(FD_RS_BUILD) k8s.io/kubernetes/cmd/kubectl
	@touch $@
realstack-kubectl: $(FD_RS_DIR)/.build/bin/kubectl

$(FD_RS_STAMP): $(FD_RS_INPUTS) $(FD_RS_KWOK_INPUTS) $(FD_RS_MAINS) $(FD_RS_DIR)/local.mk | $(FD_RS_DIR)/.build/bin/kubectl
	@mkdir -p $(FD_RS_DIR)/.build/bin $(FD_RS_DIR)/.build/crds/argo-rollouts
	$(FD_RS_BUILD) k8s.io/kubernetes/cmd/kube-apiserver \
		k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler \
		github.com/argoproj/argo-rollouts/cmd/rollouts-controller ./cmd/etcd ./cmd/rstool
	cd $(FD_RS_DIR)/kwok && $(FD_RS_GOENV) nice $(GO) build -ldflags '-s -w' -o ../.build/bin/ sigs.k8s.io/kwok/cmd/kwok
	@# The Rollouts CRDs of the controller's own release, from its module.
	cd $(FD_RS_DIR) && dir=$$($(FD_RS_GOENV) $(GO) list -m -f '{{.Dir}}' github.com/argoproj/argo-rollouts) && \
		rm -f .build/crds/argo-rollouts/*.yaml && \
		for f in rollout analysis-run analysis-template cluster-analysis-template experiment; do \
			cp "$$dir/manifests/crds/$$f-crd.yaml" .build/crds/argo-rollouts/ || exit 1; done && \
		chmod u+w .build/crds/argo-rollouts/*.yaml
	@touch $@
realstack: $(FD_RS_STAMP) $(FD_RS_DIR)/.build/bin/kubectl

# The suite against the real stack: TAP, one script per subject, each runs
# its own cluster (tests/realstack/up) in its sandbox and stops it.
FD_REALSTACK_TESTS = tests/realstack/test_stack.sh tests/realstack/test_console.sh \
	tests/realstack/test_simdiff.sh
check-real: realstack freightdeck tests/client/probe tests/prom/fakeprom
	@$(MAKE) $(AM_MAKEFLAGS) check TESTS='$(FD_REALSTACK_TESTS)'

EXTRA_DIST += tests/realstack/go.mod tests/realstack/go.sum tests/realstack/cmd/etcd/main.go \
	tests/realstack/kwok/go.mod tests/realstack/kwok/go.sum tests/realstack/restart \
	tests/realstack/seed.yaml doc/realstack.md \
	tests/realstack/cmd/rstool/main.go tests/realstack/lib.sh tests/realstack/test_lib.sh tests/realstack/up \
	tests/realstack/down tests/realstack/rbac.yaml $(FD_REALSTACK_TESTS) \
	tests/realstack/simdiff tests/realstack/simdiff-known \
	tests/data/crds/kargo.akuity.io_promotiontasks.yaml \
	tests/data/crds/kargo.akuity.io_clusterpromotiontasks.yaml \
	tests/data/crds/kargo.akuity.io_clusterconfigs.yaml
.PHONY: realstack realstack-kubectl check-real

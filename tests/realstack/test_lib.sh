# tests/realstack/test_lib.sh: what the real-stack test scripts share, sourced
# after tests/lib/tap.sh with rsdir (this folder) and S (the stack's state
# folder) set.

# stack_up: starts the stack in $S as the first test, or bails out with the
# tail of each process's log; then reads the stack's env (kubeconfigs,
# REALSTACK_BIN) and sets kubectl.
stack_up() {
    expect_exit "up: the stack starts" 0 "$rsdir/up" "$S"
    diag "$(printf '%s\n' "$out" | grep -E '^realstack:')"
    if [ "$(printf '%s\n' "$out" | tail -1)" != "$S/kubeconfig/admin.yaml" ]; then
        diag "$err"
        for f in "$S"/logs/*.log; do diag "== $f"; diag "$(tail -n 15 "$f")"; done
        echo "Bail out! the real stack did not start"
        exit 1
    fi
    . "$S/env"
    kubectl="$REALSTACK_BIN/kubectl"
}

# k ARG...: the real kubectl as admin, bounded.
k() { timeout 60 "$kubectl" --kubeconfig "$KUBECONFIG_ADMIN" --request-timeout=30s "$@"; }

# verification STAGE FREIGHT TEMPLATE: the AnalysisRun Kargo would create for
# the Stage's verification (templates flattened, args resolved, its labels);
# prints its name.
verification() {
    _run="$1.$(date +%s%N | cut -c1-16).$3"
    k get analysistemplate "$3" -n payments -o json | python3 -c '
import json, sys
t = json.load(sys.stdin)
stage, freight, run = sys.argv[1:4]
print(json.dumps({"apiVersion": "argoproj.io/v1alpha1", "kind": "AnalysisRun",
  "metadata": {"name": run, "namespace": "payments",
    "labels": {"kargo.akuity.io/stage": stage, "kargo.akuity.io/freight-collection": freight}},
  "spec": {"metrics": t["spec"]["metrics"],
    "args": [{"name": "service-name", "value": "payments-" + stage}]}}))' \
        "$1" "$2" "$_run" | k create -f - >/dev/null && echo "$_run"
}

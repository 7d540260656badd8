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

# jp KIND NAME JSONPATH: one field of an object in payments, as admin.
jp() { k get "$1" "$2" -n payments -o "jsonpath=$3"; }

# stack_state: what the cluster shows when a wait fails, as TAP diagnostics:
# the Rollouts, ReplicaSets and pods of payments, its newest events, and the
# lines of the controllers' logs that say something went wrong.
stack_state() {
    diag "$(k get rollouts,replicasets,pods,serviceaccounts -n payments -o wide 2>&1 | head -n 40)"
    diag "$(k get events -n payments --sort-by=.lastTimestamp 2>&1 | tail -n 15)"
    for _f in kube-controller-manager kube-scheduler kwok rollouts-controller; do
        diag "== $_f.log (lines with E/W/error)"
        diag "$(grep -E '^[EW][0-9]{4}|level=(error|warning)|error' "$S/logs/$_f.log" 2>/dev/null | tail -n 8)"
    done
}

# wait_for NAME SECS PATTERN COMMAND...: polls COMMAND until its output
# matches PATTERN (grep -E): one TAP result. SECS is scaled
# (FD_TEST_TIMEOUT_SCALE) and is a bound, not a wait: it ends as soon as the
# condition holds, so it is set for a loaded machine. On failure it shows the
# last output and the cluster's state.
wait_for() {
    _name=$1; _secs=$(scaled "$2"); _pat=$3; shift 3
    _end=$(( $(date +%s) + _secs ))
    while :; do
        _got=$("$@" 2>"$d/wait.err")
        if printf '%s\n' "$_got" | grep -Eq -- "$_pat"; then tap_ok "$_name"; return 0; fi
        if [ "$(date +%s)" -ge "$_end" ]; then
            tap_not_ok "$_name"; diag "waited ${_secs}s for: $_pat"; diag "last got: $_got"
            diag "$(cat "$d/wait.err")"; stack_state; return 1
        fi
        sleep 0.2 # poll
    done
}

# apply_seed: tests/realstack/seed.yaml with Prometheus' address, as admin.
# Its Namespace goes first, and the rest once the namespace's default
# ServiceAccount exists: a pod asked for before that is refused
# ("serviceaccount default not found"), and the ReplicaSet controller retries
# with a backoff that doubles each time, so on a loaded machine the
# Rollout's first pods could come minutes late.
apply_seed() {
    sed "s#@PROM_URL@#$PROM_URL#g" "$rsdir/seed.yaml" >"$d/seed.yaml"
    awk '/^---$/ { exit } { print }' "$d/seed.yaml" >"$d/seed-namespace.yaml"
    k apply -f "$d/seed-namespace.yaml" >/dev/null
    wait_for "namespace payments has its default ServiceAccount" 120 '^default$' \
        jp serviceaccount default '{.metadata.name}'
    expect_exit "the seed (Project, Stages, Warehouse, templates, Rollout) is accepted" 0 \
        k apply -f "$d/seed.yaml"
}

# freight TAG ALIAS [AGO]: the Freight of ghcr.io/example/payments:TAG, as the
# Warehouse makes it (its name is the sha1 of the image), discovered AGO
# seconds ago (default 0). Kargo orders Freight by discoveredAt, then by name
# (pkg/api/auto_promotion.go): Freight created by one kubectl call share a
# second, so a test that relies on their order gives them distinct times.
# sha TAG: that name.
sha() { printf 'ghcr.io/example/payments:%s' "$1" | sha1sum | cut -c1-40; }
freight() {
    printf 'apiVersion: kargo.akuity.io/v1alpha1\nkind: Freight\nmetadata:\n  name: %s\n  namespace: payments\n  labels: {kargo.akuity.io/alias: %s}\nalias: %s\ndiscoveredAt: "%s"\norigin: {kind: Warehouse, name: payments-warehouse}\nimages:\n- {repoURL: ghcr.io/example/payments, tag: "%s"}\n---\n' \
        "$(sha "$1")" "$2" "$2" "$(date -u -d "-${3:-0} seconds" +%Y-%m-%dT%H:%M:%SZ)" "$1"
}

# promq SERVICE: the error share Prometheus computes for SERVICE over 10 s,
# two decimals. setrate SERVICE RATE: sets the exporter's error share and
# waits until Prometheus sees it.
promq() {
    curl -s --max-time 5 "$PROM_URL/api/v1/query" --data-urlencode \
        "query=sum(rate(http_requests_total{service=\"$1\",status=~\"5..\"}[10s])) / sum(rate(http_requests_total{service=\"$1\"}[10s]))" |
        sed -n 's/.*"value":\[[0-9.]*,"\([0-9.e+-]*\)".*/\1/p' | awk '{ printf "%.2f\n", $1 }'
}
setrate() {
    curl -s --max-time 5 "$EXPORTER_URL/errors?service=$1&rate=$2" >/dev/null
    wait_for "Prometheus sees $2 errors for $1" 90 "^$2" promq "$1"
}

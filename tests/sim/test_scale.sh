#!/bin/sh
# tests/sim/test_scale.sh: the scale:N scenarios (sizes, refusals), the
# sim's --churn stream, `get -A/--all-projects` against kubectl on the same
# objects, and bench/bench_scale's quick mode, so that the knob and the
# benchmark cannot rot.
. "$FD_TOP_SRCDIR/tests/lib/tap.sh"
. "$FD_TOP_SRCDIR/tests/sim/scenario_lib.sh"

if ! command -v kubectl >/dev/null 2>&1 || ! command -v openssl >/dev/null 2>&1 ||
    ! command -v curl >/dev/null 2>&1 || ! command -v jq >/dev/null 2>&1; then
    echo "1..0 # SKIP kubectl, openssl, curl or jq not installed"
    exit 0
fi
fd() { timeout "$(scaled 60)" "$FD_BIN" "$@"; }

# ---- scale:N refused -----------------------------------------------------------
for n in 0 -5 abc 200001 1e3 ""; do
    expect_exit "scale:$n is refused" 1 fd sim --scenario "scale:$n"
    expect_eq "scale:$n: the message names the scenario and the bounds" \
        "freightdeck sim: scenario 'scale:$n': N (the number of Freight) must be a whole number from 1 to 200000, not '$n'" \
        "$err"
done
expect_exit "--churn 0 is a usage error" 2 fd sim --churn 0
expect_match "--churn: the bounds" "--churn '0': expected a number of changes per second from 1 to 10000" \
    "$err"

# ---- scale:1000 with a stream of changes ------------------------------------------
sim_start --scenario scale:1000 --speed 0.000001 --churn 40 ||
    { echo "Bail out! sim did not start"; exit 1; }
expect_match "the sim says what it plays" 'scenario scale:1000 at speed 1e-06, churn 40 changes/s' \
    "$(cat "$d/err")"
expect_eq "kubectl: 1,000 Freight" 1000 "$(k get freights -A -o json | jq '.items | length')"

expect_exit "get freight -A -o json" 0 fd get freight -A -o json
expect_eq "get -A: the same 1,000 Freight as kubectl, in 3 projects" "1000 proj-00,proj-01,proj-02" \
    "$(printf '%s' "$out" | jq -r '"\(length) \([.[].project] | unique | join(","))"')"
expect_exit "get stages --all-projects -o json" 0 fd get stages --all-projects -o json
expect_eq "30 Stages, 10 a project" "30 10" \
    "$(printf '%s' "$out" | jq -r '"\(length) \([.[] | select(.project == "proj-01")] | length)"')"
expect_exit "get analysisruns -A" 0 fd get analysisruns -A
expect_match "the table starts with PROJECT" '^PROJECT +NAME +PHASE +STAGE +AGE' "$out"
expect_eq "200 AnalysisRuns under the header" 201 "$(printf '%s\n' "$out" | wc -l | tr -d ' ')"
expect_exit "get freight -A -o yaml" 0 fd get freight -A -o yaml
expect_match "yaml: project first" '^- project: proj-0[0-2]$' "$(printf '%s\n' "$out" | head -1)"
expect_exit "get promotions -A: none, exit 0" 0 fd get promotions -A
expect_eq "it says there are none anywhere" \
    "No promotions found in any project (context freightdeck-sim)." "$err"
expect_exit "-A with -p is a usage error" 2 fd get freight -A -p proj-00
expect_match "it names both" '-A/--all-projects reads every project: it does not go with -p/-n proj-00' \
    "$err"
expect_exit "get pipeline -A is a usage error" 2 fd get pipeline -A

# The stream: 40 changes a second to the Stages, Freight and AnalysisRuns.
churned() {
    c "/apis/kargo.akuity.io/v1alpha1/freights" |
        jq '[.items[] | select(.metadata.annotations["sim.freightdeck.io/churn"])] | length'
}
wait_for "the churn annotates Freight, one after another" 30 '^([2-9][0-9]|[0-9]{3,})$' churned
expect_match "each change is an ordinary write (a new resourceVersion)" '^[0-9]+$' \
    "$(c "/apis/kargo.akuity.io/v1alpha1/freights" | jq -r '.metadata.resourceVersion')"

# ---- the benchmark's quick mode -------------------------------------------------------
bench="$FD_TOP_BUILDDIR/bench/bench_scale"
expect_exit "bench_scale --quick runs" 0 timeout "$(scaled 300)" "$bench" --quick
for fig in sim_start_cpu_s client_initial_sync_ms console_first_complete_ms console_max_rss_mb \
    console_event_to_screen_p50_ms get_freight_wall_fd_over_kubectl get_analysisruns_objects; do
    expect_match "bench_scale prints $fig" "^scale_300_$fig [0-9.]+ [a-zA-Z%]+\$" \
        "$(printf '%s\n' "$out" | grep "^scale_300_$fig ")"
done
expect_match "the listings agree on the count" '^scale_300_get_freight_objects 300 count$' \
    "$(printf '%s\n' "$out" | grep '^scale_300_get_freight_objects ')"
expect_exit "bench_scale refuses a bad size" 2 "$bench" 0
done_testing

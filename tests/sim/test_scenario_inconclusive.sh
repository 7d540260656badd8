#!/bin/sh
# tests/sim/test_scenario_inconclusive.sh: a value between the success and
# failure thresholds: every measurement Inconclusive, the verification and
# the Rollout's step analysis end Inconclusive, the canary waits paused, and
# it stays that way.
. "$FD_TOP_SRCDIR/tests/lib/tap.sh"
. "$FD_TOP_SRCDIR/tests/sim/scenario_lib.sh"

if ! command -v kubectl >/dev/null 2>&1 || ! command -v openssl >/dev/null 2>&1 ||
    ! command -v curl >/dev/null 2>&1; then
    echo "1..0 # SKIP kubectl, openssl or curl not installed"
    exit 0
fi

sim_start --scenario inconclusive --speed 600
expect_match "starts" '^https://127\.0\.0\.1:[0-9]+$' "$url"

vh() { k get stage qa -n checkout -o jsonpath="{.status.freightHistory[0].verificationHistory[0]$1}"; }
wait_for "Kargo's verification ends Inconclusive" 30 '^Inconclusive$' vh '.phase'
expect_eq "with Argo's message" \
    'Metric "success-rate" assessed Inconclusive due to inconclusive (1) > inconclusiveLimit (0)' \
    "$(vh '.message')"
run=$(vh '.analysisRun.name')
expect_match "the measured value sits between 0.80 and 0.95" '^\[0\.(8[0-9]*|9|9[0-4][0-9]*)\] Inconclusive$' \
    "$(k get analysisrun "$run" -n checkout -o jsonpath='{.status.metricResults[0].measurements[0].value} {.status.metricResults[0].measurements[0].phase}')"
expect_eq "Verified=False VerificationInconclusive" "False VerificationInconclusive" \
    "$(k get stage qa -n checkout -o jsonpath='{.status.conditions[?(@.type=="Verified")].status} {.status.conditions[?(@.type=="Verified")].reason}')"
wait_for "the canary pauses on the Inconclusive step analysis" 30 \
    '^Paused InconclusiveAnalysisRun 1 Inconclusive$' \
    k get rollout checkout-qa -n checkout -o jsonpath='{.status.phase} {.status.message} {.status.currentStepIndex} {.status.canary.currentStepAnalysisRunStatus.status}'
fname=$(k get stage qa -n checkout -o jsonpath='{.status.freightSummary}')

# Half a scenario hour later nothing has moved (the scenario clock says
# when; at 600x that is 3 s).
past() { _s=$(sim_seconds); [ "${_s:-0}" -ge "$1" ] && echo yes; }
t0=$(sim_seconds)
wait_for "half a scenario hour passes" 60 '^yes$' past $((${t0:-0} + 1800))
expect_eq "still Inconclusive, still paused, Freight not verified" "Inconclusive Paused " \
    "$(vh '.phase') $(k get rollout checkout-qa -n checkout -o jsonpath='{.status.phase}') $(k get freight "$fname" -n checkout -o jsonpath='{.status.verifiedIn.qa}')"
expect_eq "one measurement per metric: an Inconclusive run takes no more" "1" \
    "$(k get analysisrun "$run" -n checkout -o jsonpath='{.status.metricResults[0].count}')"

# The plugin's promote from an Inconclusive pause moves the canary on.
expect_exit "promote past the Inconclusive analysis" 0 k patch rollout checkout-qa -n checkout \
    --subresource=status --type merge \
    -p '{"status":{"pauseConditions":null,"controllerPause":false,"currentStepIndex":2}}'
wait_for "the canary completes" 20 '^Healthy 3$' \
    k get rollout checkout-qa -n checkout -o jsonpath='{.status.phase} {.status.currentStepIndex}'
done_testing

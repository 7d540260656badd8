#!/bin/sh
# tests/sim/test_scenario_payments.sh: the default scenario at high speed
# reaches each state the story promises, seen through kubectl: 1.4.0 verified
# in staging and waiting for prod; 1.5.0's verification Failed, its Freight
# never available to prod, the staging canary aborted (weights 0, Degraded);
# prod promoted by hand (promoter yes, viewer no), its canary paused on
# `pause: {}` until the plugin's promote patch; the ReplicaSets of each
# revision as Argo Rollouts makes them.
. "$FD_TOP_SRCDIR/tests/lib/tap.sh"
. "$FD_TOP_SRCDIR/tests/sim/scenario_lib.sh"

if ! command -v kubectl >/dev/null 2>&1 || ! command -v openssl >/dev/null 2>&1 ||
    ! command -v curl >/dev/null 2>&1; then
    echo "1..0 # SKIP kubectl, openssl or curl not installed"
    exit 0
fi

# 600x: the 47 scenario minutes of the story in under 5 seconds.
sim_start --scenario payments --speed 600 --seed 7
expect_match "starts and says what plays" 'scenario payments at speed 600' "$(cat "$d/err")"

fr() { k get freight -n payments -o jsonpath="{.items[?(@.images[0].tag==\"$1\")]$2}"; }

wait_for "1.4.0 arrives as Freight named by its artifacts" 10 '^[0-9a-f]{40}$' fr 1.4.0 '.metadata.name'
good=$(fr 1.4.0 '.metadata.name')
expect_match "the Freight has a generated alias" '^[a-z]+-[a-z]+$' "$(fr 1.4.0 '.alias')"
wait_for "1.4.0 verified in dev" 20 '.+' fr 1.4.0 '.status.verifiedIn.dev.verifiedAt'
wait_for "1.4.0 verified in staging" 30 '.+' fr 1.4.0 '.status.verifiedIn.staging.verifiedAt'
expect_eq "1.4.0 is not in prod: it waits for a human" "" "$(fr 1.4.0 '.status.currentlyIn.prod')"

# The staging verification: the article's template, 6 x 5m, both metrics.
run=$(k get stage staging -n payments -o jsonpath='{.status.freightHistory[?(@.items.Warehouse/payments-warehouse.name=="'"$good"'")].verificationHistory[0].analysisRun.name}')
expect_match "verification AnalysisRun named <stage>.<ulid>.<collection[:7]>" \
    '^staging\.[0-9a-z]{26}\.[0-9a-f]{7}$' "$run"
expect_eq "the run carries Kargo's labels and the merged args" "staging payments-staging" \
    "$(k get analysisrun "$run" -n payments -o jsonpath='{.metadata.labels.kargo\.akuity\.io/stage} {.spec.args[0].value}')"
expect_eq "each metric measured 6 times and Successful" "Successful 6 6 Successful" \
    "$(k get analysisrun "$run" -n payments -o jsonpath='{.status.phase} {.status.metricResults[0].count} {.status.metricResults[1].count} {.status.metricResults[1].phase}')"

# 1.5.0: 12% errors. Both layers of rollback.
wait_for "1.5.0 arrives" 30 '^[0-9a-f]{40}$' fr 1.5.0 '.metadata.name'
bad=$(fr 1.5.0 '.metadata.name')
wait_for "the staging Rollout's step analysis aborts the canary" 30 \
    '^Degraded RolloutAborted: Rollout aborted update to revision [0-9]+: Step-based analysis phase failed: Metric "error-rate" assessed Failed' \
    k get rollout payments-staging -n payments -o jsonpath='{.status.phase} {.status.message}'
wait_for "the abort is recorded as a Warning Event (kubectl events)" 10 'RolloutAborted' \
    k get events -n payments -o jsonpath='{range .items[?(@.involvedObject.name=="payments-staging")]}{.reason}{"\n"}{end}'
expect_eq "aborted: canary weight 0, stable 100, abort set" "0 100 true" \
    "$(k get rollout payments-staging -n payments -o jsonpath='{.status.canary.weights.canary.weight} {.status.canary.weights.stable.weight} {.status.abort}')"
# The ReplicaSets as Argo Rollouts makes them (rollout/sync.go), seen with
# kubectl: one per revision, named <rollout>-<pod-template-hash>, owned by
# the Rollout, the revision annotation; the aborted canary's scaled to 0,
# the stable one runs every pod, and the Rollout's revision is the canary's.
rs() { k get rs -n payments -o jsonpath='{range .items[?(@.metadata.ownerReferences[0].name=="payments-staging")]}{.metadata.annotations.rollout\.argoproj\.io/revision} {.metadata.name} {.metadata.labels.rollouts-pod-template-hash} {.metadata.ownerReferences[0].kind} {.metadata.ownerReferences[0].controller} {.spec.replicas} {.spec.template.spec.containers[0].image}{"\n"}{end}' | sort -n; }
ro_uid=$(k get rollout payments-staging -n payments -o jsonpath='{.metadata.uid}')
stable=$(k get rollout payments-staging -n payments -o jsonpath='{.status.stableRS}')
canary=$(k get rollout payments-staging -n payments -o jsonpath='{.status.currentPodHash}')
rev=$(k get rollout payments-staging -n payments -o jsonpath='{.metadata.annotations.rollout\.argoproj\.io/revision}')
expect_match "kubectl: the canary's ReplicaSet, revision $rev, scaled to 0" \
    "^$rev payments-staging-$canary $canary Rollout true 0 ghcr.io/example/payments:1.5.0\$" "$(rs)"
expect_match "kubectl: the stable ReplicaSet runs the 4 pods" \
    "^[0-9]+ payments-staging-$stable $stable Rollout true 4 ghcr.io/example/payments:1.4.0\$" "$(rs)"
expect_eq "kubectl: each ReplicaSet's owner is the Rollout's uid" "$ro_uid" \
    "$(k get rs "payments-staging-$canary" -n payments -o jsonpath='{.metadata.ownerReferences[0].uid}')"
wait_for "Kargo's verification of 1.5.0 in staging Failed" 30 \
    '^Failed Metric "error-rate" assessed Failed due to failed \(4\) > failureLimit \(3\)' \
    k get stage staging -n payments -o jsonpath='{.status.freightHistory[0].verificationHistory[0].phase} {.status.freightHistory[0].verificationHistory[0].message}'
expect_eq "the Stage says why it is not Verified" "False VerificationFailed" \
    "$(k get stage staging -n payments -o jsonpath='{.status.conditions[?(@.type=="Verified")].status} {.status.conditions[?(@.type=="Verified")].reason}')"
expect_eq "staging is Unhealthy (its Rollout is Degraded)" "Unhealthy" \
    "$(k get stage staging -n payments -o jsonpath='{.status.health.status}')"
expect_eq "1.5.0 never verified in staging" "" "$(fr 1.5.0 '.status.verifiedIn.staging')"

# One clock (issue 12.7): a finished run exported with kubectl replays to its
# recorded verdict, measurements 5m apart matching "interval: 5m" (at speed
# 600 they were written on the scenario's timeline, not the wall clock's).
for r in "$run" $(k get analysisruns -n payments -o name | sed -n 's#.*/\(payments-staging-.*\)#\1#p'); do
    k get analysisrun "$r" -n payments -o json >"$d/replay-$r.json"
    rec=$(k get analysisrun "$r" -n payments -o jsonpath='{.status.phase}')
    case $rec in Successful|Failed|Inconclusive|Error) ;; *) continue ;; esac
    got=$("$FD_BIN" analyze --replay "$d/replay-$r.json" 2>&1)
    expect_match "replay of the exported $r gives its recorded $rec, nothing ignored" \
        "replayed [0-9]+ measurement\(s\), 0 ignored; recorded phase $rec" "$got"
    expect_match "replay of $r: run $rec" "^run: $rec" "$got"
done

# Promotions into prod, by hand.
promo() {
    cat >"$d/promo.yaml" <<YAML
apiVersion: kargo.akuity.io/v1alpha1
kind: Promotion
metadata: {generateName: promo-, namespace: payments}
spec: {stage: prod, freight: $1}
YAML
}
promo "$bad"
expect_exit "1.5.0 into prod is refused" 1 as promotertoken create -f "$d/promo.yaml"
expect_match "with Kargo's 422" "The Promotion \"prod\.[0-9a-z]{26}\.$(printf %.7s "$bad")\" is invalid: spec.freight: Invalid value: \"$bad\": Freight is not available to this Stage" "$err"
expect_match "the Status as the API sends it" \
    "^422 .*\"message\":\"admission webhook \\\\\"promotion\.kargo\.akuity\.io\\\\\" denied the request: Promotion.kargo.akuity.io \\\\\"prod\.[0-9a-z]{26}\.$(printf %.7s "$bad")\\\\\" is invalid: spec.freight: Invalid value: \\\\\"$bad\\\\\": Freight is not available to this Stage\"" \
    "$(c /apis/kargo.akuity.io/v1alpha1/namespaces/payments/promotions -X POST \
        -H 'Content-Type: application/json' -w '%{http_code} ' -o "$d/422.json" \
        -d "{\"apiVersion\":\"kargo.akuity.io/v1alpha1\",\"kind\":\"Promotion\",\"metadata\":{\"generateName\":\"x-\"},\"spec\":{\"stage\":\"prod\",\"freight\":\"$bad\"}}"; cat "$d/422.json")"
promo "$good"
expect_exit "a viewer may not promote" 1 as viewertoken create -f "$d/promo.yaml"
expect_match "403 for the viewer" 'Forbidden.*User "carol" cannot create resource "promotions"' "$err"
expect_exit "a promoter promotes 1.4.0 to prod" 0 as promotertoken create -f "$d/promo.yaml" -o name
p=${out#promotion.kargo.akuity.io/}
expect_match "renamed <stage>.<ulid>.<freight[:7]>" "^prod\.[0-9a-z]{26}\.$(printf %.7s "$good")\$" "$p"
expect_eq "steps copied from the Stage, actor recorded" "argocd-update kubernetes:bob" \
    "$(k get promotion "$p" -n payments -o jsonpath='{.spec.steps[0].uses} {.metadata.annotations.kargo\.akuity\.io/create-actor}')"
wait_for "the Promotion succeeds" 30 '^Succeeded$' \
    k get promotion "$p" -n payments -o jsonpath='{.status.phase}'
expect_eq "step metadata recorded" "sync Succeeded" \
    "$(k get promotion "$p" -n payments -o jsonpath='{.status.stepExecutionMetadata[0].alias} {.status.stepExecutionMetadata[0].status}')"
expect_eq "prod's current Freight is 1.4.0" "$good" \
    "$(k get stage prod -n payments -o jsonpath='{.status.freightSummary}')"
wait_for "prod's canary pauses at pause: {}" 20 '^Paused CanaryPauseStep 1 10$' \
    k get rollout payments-prod -n payments -o jsonpath='{.status.phase} {.status.message} {.status.currentStepIndex} {.status.canary.weights.canary.weight}'
expect_exit "kubectl argo rollouts promote (the plugin's status patch)" 0 as promotertoken patch \
    rollout payments-prod -n payments --subresource=status --type merge \
    -p '{"status":{"pauseConditions":null,"currentStepIndex":2}}'
wait_for "prod's canary completes" 20 '^Healthy 4 0 100$' \
    k get rollout payments-prod -n payments -o jsonpath='{.status.phase} {.status.currentStepIndex} {.status.canary.weights.canary.weight} {.status.canary.weights.stable.weight}'
wait_for "prod verifies 1.4.0 (6 x 5m)" 30 '.+' fr 1.4.0 '.status.verifiedIn.prod.verifiedAt'

# kubectl describe works unchanged on both APIs' kinds.
expect_exit "kubectl describe stage" 0 k describe stage staging -n payments
expect_match "describe shows the Stage and its spec" 'Kind: +Stage' "$out"
expect_exit "kubectl describe rollout" 0 k describe rollout payments-prod -n payments
expect_match "describe shows the Rollout's status" 'Kind: +Rollout' "$out"

# /metrics follows the scenario.
expect_match "/metrics serves http_requests_total per service" \
    'http_requests_total\{service="payments-staging",status="500"\} [1-9][0-9]*' "$(c /metrics)"

# Every object the emulated controllers wrote conforms to its CRD's schema.
for kind in stages freights promotions warehouses projects projectconfigs \
        rollouts analysisruns analysistemplates; do
    k get "$kind" -A -o json >"$d/$kind.json"
    expect_exit "emulated $kind conform to the CRD schema" 0 sh -c \
        '"$0" "$1"/tests/data/crds/*.yaml < "$2"' "$FD_TOP_BUILDDIR/tests/sim/crd_check" \
        "$FD_TOP_SRCDIR" "$d/$kind.json"
done

kill -TERM "$pid"; wait "$pid"; rc=$?; pid=
expect_eq "exits 0 on SIGTERM" 0 "$rc"
done_testing

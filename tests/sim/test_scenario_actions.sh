#!/bin/sh
# tests/sim/test_scenario_actions.sh: Kargo's admission and the actions a
# console sends, against the payments scenario: abort and reverify
# annotations (rewritten with the actor, honoured with Kargo's rules),
# refresh acknowledged, manual approval honoured for availability, Freight
# immutable, user-created Freight named by its artifacts; Rollout abort and
# retry through the plugin's patches.
. "$FD_TOP_SRCDIR/tests/lib/tap.sh"
. "$FD_TOP_SRCDIR/tests/sim/scenario_lib.sh"

if ! command -v kubectl >/dev/null 2>&1 || ! command -v openssl >/dev/null 2>&1 ||
    ! command -v curl >/dev/null 2>&1; then
    echo "1..0 # SKIP kubectl, openssl or curl not installed"
    exit 0
fi

# 60x: staging's 25-minute verification runs for 25 seconds.
sim_start --scenario payments --speed 60
fr() { k get freight -n payments -o jsonpath="{.items[?(@.images[0].tag==\"$1\")]$2}"; }
vh() { k get stage staging -n payments -o jsonpath="{.status.freightHistory[0].verificationHistory[$1]$2}"; }

wait_for "staging's verification is running" 40 '^Running$' vh 0 '.phase'
id=$(vh 0 '.id')
run=$(vh 0 '.analysisRun.name')
good=$(fr 1.4.0 '.metadata.name')

# Refresh.
expect_exit "refresh a Stage" 0 as promotertoken annotate stage staging -n payments \
    kargo.akuity.io/refresh=r1 --overwrite
wait_for "refresh acknowledged in status.lastHandledRefresh" 10 '^r1$' \
    k get stage staging -n payments -o jsonpath='{.status.lastHandledRefresh}'

# Abort: the annotation's JSON form with the actor, then Kargo's rule.
expect_exit "abort the verification (annotation as promoter)" 0 as promotertoken annotate \
    stage staging -n payments "kargo.akuity.io/abort=$id" --overwrite
expect_eq "the webhook rewrote it with the actor" \
    "{\"id\":\"$id\",\"actor\":\"kubernetes:bob\",\"controlPlane\":false}" \
    "$(k get stage staging -n payments -o jsonpath='{.metadata.annotations.kargo\.akuity\.io/abort}')"
top() { echo "$(vh 0 .phase) $(vh 0 .message)"; }
wait_for "recorded Failed: Verification aborted by user" 10 '^Failed Verification aborted by user$' top
expect_eq "the AnalysisRun was terminated" "true" \
    "$(k get analysisrun "$run" -n payments -o jsonpath='{.spec.terminate}')"
wait_for "a terminated run completes (Run Terminated)" 10 '^Successful Run Terminated$' \
    k get analysisrun "$run" -n payments -o jsonpath='{.status.phase} {.status.message}'
expect_eq "aborted Freight is not verified in staging" "" "$(fr 1.4.0 '.status.verifiedIn.staging')"

# Manual approval makes it available to prod anyway.
expect_exit "approve 1.4.0 for prod (status patch as promoter)" 0 as promotertoken patch freight \
    "$good" -n payments --subresource=status --type merge \
    -p '{"status":{"approvedFor":{"prod":{"approvedAt":"2026-01-01T00:00:00Z"}}}}'
cat >"$d/promo.yaml" <<YAML
apiVersion: kargo.akuity.io/v1alpha1
kind: Promotion
metadata: {generateName: promo-, namespace: payments}
spec: {stage: prod, freight: $good}
YAML
expect_exit "an approved Freight may be promoted" 0 as promotertoken create -f "$d/promo.yaml" -o name

# Reverify: only for the terminal verification's ID; a new one on top.
expect_exit "reverify (annotation as promoter)" 0 as promotertoken annotate stage staging \
    -n payments "kargo.akuity.io/reverify=$id" --overwrite
wait_for "a new verification is on top" 10 '^Running|Pending$' vh 0 '.phase'
expect_eq "it carries the actor; the aborted one is kept below" "kubernetes:bob Failed" \
    "$(vh 0 '.actor') $(vh 1 '.phase')"
expect_match "with a new ID and a new AnalysisRun" '^[0-9a-f-]{36} staging\.' \
    "$(vh 0 '.id') $(vh 0 '.analysisRun.name')"
[ "$(vh 0 '.id')" != "$id" ] && tap_ok "the new ID differs" || tap_not_ok "the new ID differs"

# Freight is immutable; created Freight is named by its contents.
expect_exit "changing a Freight's images is refused" 1 k patch freight "$good" -n payments \
    --type merge -p '{"images":[{"repoURL":"ghcr.io/example/payments","tag":"6.6.6"}]}'
expect_match "with 422 Freight is immutable" 'is invalid: images: Invalid value:.*Freight is immutable|images: .*Freight is immutable' "$err"
cat >"$d/freight.yaml" <<'YAML'
apiVersion: kargo.akuity.io/v1alpha1
kind: Freight
metadata: {generateName: f-, namespace: payments}
origin: {kind: Warehouse, name: payments-warehouse}
images: [{repoURL: ghcr.io/example/payments, tag: "9.9.9", digest: "sha256:99"}]
YAML
expect_exit "create Freight by hand" 0 k create -f "$d/freight.yaml" -o name
# sha1("Warehouse/payments-warehouse:ghcr.io/example/payments:9.9.9@sha256:99")
expect_eq "named by Freight.GenerateID" \
    "freight.kargo.akuity.io/$(printf 'Warehouse/payments-warehouse:ghcr.io/example/payments:9.9.9@sha256:99' | sha1sum | cut -c1-40)" "$out"

# Rollout abort and retry, as the plugin patches them.
wait_for "dev's canary is in progress or done" 10 '^(Healthy|Paused|Progressing)$' \
    k get rollout payments-dev -n payments -o jsonpath='{.status.phase}'
# An abort stops an update in progress: wait for one (staging's first canary
# ends seconds after the start; the next version's starts about 30 s in).
wait_for "staging's canary is under way" 60 '^(Paused|Progressing|Degraded)$' \
    k get rollout payments-staging -n payments -o jsonpath='{.status.phase}'
expect_exit "kubectl argo rollouts abort" 0 as promotertoken patch rollout payments-staging \
    -n payments --subresource=status --type merge -p '{"status":{"abort":true}}'
wait_for "aborted: Degraded, weight 0" 10 '^Degraded 0 RolloutAborted: Rollout aborted update to revision [0-9]+$' \
    k get rollout payments-staging -n payments -o jsonpath='{.status.phase} {.status.canary.weights.canary.weight} {.status.message}'
expect_exit "kubectl argo rollouts retry" 0 as promotertoken patch rollout payments-staging \
    -n payments --subresource=status --type merge -p '{"status":{"abort":false}}'
wait_for "retried: the steps run again" 10 '^(Progressing|Paused|Healthy)$' \
    k get rollout payments-staging -n payments -o jsonpath='{.status.phase}'
expect_exit "kubectl argo rollouts promote --full" 0 as promotertoken patch rollout payments-staging \
    -n payments --subresource=status --type merge -p '{"status":{"promoteFull":true}}'
wait_for "promoted fully: Healthy at the last step" 10 '^Healthy 5 0$' \
    k get rollout payments-staging -n payments -o jsonpath='{.status.phase} {.status.currentStepIndex} {.status.canary.weights.canary.weight}'
done_testing

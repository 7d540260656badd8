#!/bin/sh
# tests/console/test_actions.sh: each action of the console against the
# simulator over HTTPS (no controllers: --scenario none, so the state
# changes only by what the console sends): the dialog sends exactly the
# planned request, the server's state changes, the audit log has the line,
# the pane shows the change from the watch, and an RBAC denial blocks.
. "$FD_TOP_SRCDIR/tests/lib/tap.sh"
if ! command -v openssl >/dev/null 2>&1 || ! command -v curl >/dev/null 2>&1; then
    echo "1..0 # SKIP needs openssl and curl"; exit 0
fi
. "$FD_TOP_SRCDIR/tests/sim/scenario_lib.sh"
data="$FD_TOP_SRCDIR/tests/console/data/payments.json"
export FREIGHTDECK_THEMES_DIR="$FD_TOP_SRCDIR/themes"
sim_start --scenario none --load "$data" --load "$FD_TOP_SRCDIR/tests/console/data/checkout.json" || { echo "Bail out! the simulator did not start"; exit 1; }
audit="$HOME/.local/state/freightdeck/audit.log"
export XDG_STATE_HOME="$HOME/.local/state"

# run NAME KUBECONFIG [OPTION...] <<script: runs the console; the screen is in $d/NAME.screen.
# The script ends with the @until lines that say when the screen is complete;
# it starts once the console is live (the keys need the Stages and Freight),
# unless FD_RUN_LIVE=no (a cluster that is never live).
run() {
    _name=$1; _kc=$2; shift 2
    : >"$d/$_name.script"
    [ "${FD_RUN_LIVE:-yes}" = no ] || printf '@until live\n' >"$d/$_name.script"
    cat >>"$d/$_name.script"
    printf ':dump %s\n' "$d/$_name.screen" >>"$d/$_name.script"
    FREIGHTDECK_NO_DISPLAY=1 LINES=40 COLUMNS=120 timeout "$(scaled 60)" "$FD_BIN" console \
        --kubeconfig "$_kc" --project payments --now 2026-08-20T12:00:00Z --frame-ms 1 \
        --script "$d/$_name.script" "$@" >"$d/$_name.out" 2>&1
    _rc=$?
    if [ $_rc -ne 0 ]; then tap_not_ok "$_name: console exits 0"; diag "$(cat "$d/$_name.out")"; fi
}
shows() { # NAME TEXT
    if grep -qF -- "$2" "$d/$1.screen"; then tap_ok "$1: shows '$2'"; else
        tap_not_ok "$1: shows '$2'"; diag "$(cat "$d/$1.screen")"; fi
}
api() { c "$1" | tr -d ' \n'; }
has() { # NAME TEXT JSON
    case $3 in *"$2"*) tap_ok "$1" ;; *) tap_not_ok "$1"; diag "expected $2 in: $3" ;; esac
}

# Approve rusty-heron for prod: typed confirmation, then PATCH freights/status.
# approvedAt is the time of sending (Kargo's API server stamps the time it
# handles the approval): the dialog says so, planned at the console's clock
# (--now, in August); the request carries the wall clock when Enter sends it.
t0=$(date -u +%s)
run approve "$KUBECONFIG" <<S
jjja
@until <the time of sending>
:dump $d/approve-dialog.screen
prod<Enter>
@until approve: done (HTTP 200)
S
t1=$(date -u +%s)
shows approve-dialog '{"status":{"approvedFor":{"prod":{"approvedAt":"<the time of sending>"}}}}'
shows approve "approve: done (HTTP 200)"
has "approve: the Freight is approved for prod on the server" '"approvedFor":{"prod"' \
    "$(api /apis/kargo.akuity.io/v1alpha1/namespaces/payments/freights/e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0)"
at=$(c /apis/kargo.akuity.io/v1alpha1/namespaces/payments/freights/e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0 |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["status"]["approvedFor"]["prod"]["approvedAt"])' 2>&1)
expect_time_within "approve: approvedAt is the time it was sent, not the dialog's clock" \
    "$at" "$t0" "$t1"
shows approve "approve: done (HTTP 200); the time of sending: $at"
has "approve: one audit line, with the body exactly as sent" \
    "\"action\":\"approve\",\"target\":\"Freight payments/e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0 (rusty-heron 1.5.0) for Stage prod\"" \
    "$(cat "$audit" 2>/dev/null)"
has "approve: the audit log has the time sent" "{\"approvedFor\":{\"prod\":{\"approvedAt\":\"$at\"}}}" \
    "$(grep '"action":"approve"' "$audit" | tail -n 1)"

# The Freight pane shows the approval the watch brought.
run freight-after "$KUBECONFIG" <<'S'
<Enter>
@until approved:prod
S
shows freight-after "approved:prod"

# A wrong name is not a confirmation: nothing is sent.
before=$(wc -l <"$audit")
run promote-wrong-name "$KUBECONFIG" <<'S'
jjjpprd<Enter>
@until type its name exactly
S
shows promote-wrong-name "type its name exactly"
has "a wrong name sends nothing" "$before" "$(wc -l <"$audit")"

# Promote to prod: the dialog offers the newest Freight that can go there,
# rusty-heron (just approved for prod): POST a Promotion.
run promote "$KUBECONFIG" <<'S'
jjjpprod<Enter>
@until promote: done (HTTP 201): created
S
shows promote "promote: done (HTTP 201): created"
# (Kargo's mutating webhook, as the sim runs it, adds the Stage's steps.)
has "promote: a Promotion for prod and rusty-heron exists" \
    '"spec":{"stage":"prod","freight":"e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0","steps":' \
    "$(api /apis/kargo.akuity.io/v1alpha1/namespaces/payments/promotions)"

# Abort the running verification of staging: the abort annotation.
run abort-verification "$KUBECONFIG" <<'S'
jjx<Enter>
@until abort-verification: done
S
shows abort-verification "abort-verification: done"
has "abort-verification: the annotation names the verification" '"kargo.akuity.io/abort":"{\"id\":\"v-stg-150' \
    "$(api /apis/kargo.akuity.io/v1alpha1/namespaces/payments/stages/staging)"

# Promote the staging canary one step, then abort it: status patches, and
# the Stage pane shows the Rollout aborted from the watch.
run rollout-promote "$KUBECONFIG" <<'S'
jjP<Enter>
@until rollout-promote: done
S
shows rollout-promote "rollout-promote: done"
run rollout-abort "$KUBECONFIG" <<'S'
jjA<Enter><Enter>
@until aborted
S
shows rollout-abort "aborted"
has "rollout-abort: status.abort is true on the server" '"abort":true' \
    "$(api /apis/argoproj.io/v1alpha1/namespaces/payments/rollouts/payments-staging)"
# The Events of the Stage and its Rollouts (issue 12.14): a RolloutAborted
# Warning as the controller records it (no controllers run here: posted),
# and one about another object, which is not shown. Argo Rollouts v1.10's
# message (rollout/sync.go, rollout/analysis.go) carries the AnalysisRun's,
# here json-iterator's error for a Prometheus that answered no body, which
# holds a NUL: the whole message is shown, the NUL as U+2400.
aborted='Rollout aborted update to revision 2: Background analysis phase error/failed: Metric \"success-rate\" assessed Error due to consecutiveErrors (5) > consecutiveErrorLimit (4): \"Error Message: readObjectStart: expect { or n, but found \u0000, error found in #0 byte of ...||..., bigger context ...||...\"'
for ev in "payments-staging.aborted.2 Rollout payments-staging RolloutAborted" \
          "payments-dev.x Rollout payments-dev ScalingReplicaSet"; do
    set -- $ev
    c /api/v1/namespaces/payments/events -X POST -H 'Content-Type: application/json' -d \
      '{"apiVersion":"v1","kind":"Event","metadata":{"name":"'"$1"'","namespace":"payments"},"type":"Warning","reason":"'"$4"'","message":"'"$aborted"'","involvedObject":{"kind":"'"$2"'","name":"'"$3"'","namespace":"payments"},"count":1,"lastTimestamp":"2026-08-20T11:59:30Z"}' >/dev/null
done
run events "$KUBECONFIG" <<'S'
jjE
S
shows events "RolloutAborted"
shows events "Rollout/payments-staging"
shows events "$(printf '\342\220\200')"
shows events "bigger context"
if grep -q "ScalingReplicaSet" "$d/events.screen"; then tap_not_ok "events: another object's Event is not shown"; else tap_ok "events: another object's Event is not shown"; fi
# The Rollout pane reads the ReplicaSets through the informer (issue 12.13):
# those the Rollout owns, with their revision and image.
run rollout-view "$KUBECONFIG" <<'S'
jjd
@until REPLICASETS (2)
S
shows rollout-view "rev 2   payments-staging-bbb  canary"
shows rollout-view "rev 1   payments-staging-aaa  stable"
shows rollout-view "ghcr.io/example/payments:1.4.0"
run rollout-retry "$KUBECONFIG" <<'S'
jjR<Enter>
@until rollout-retry: done
S
shows rollout-retry "rollout-retry: done"
has "rollout-retry: status.abort is false again" '"abort":false' \
    "$(api /apis/argoproj.io/v1alpha1/namespaces/payments/rollouts/payments-staging)"
has "every action sent is audited" "6" "$(grep -c '"action"' "$audit")"

# A viewer: the RBAC review denies, the dialog says so and nothing is sent.
sed 's/admintoken/viewertoken/' "$KUBECONFIG" >"$d/viewer.kubeconfig"
run viewer "$d/viewer.kubeconfig" <<'S'
jjA
@until Cannot be sent
<C-l>
@until denied
S
shows viewer "denied"
shows viewer "Cannot be sent"

# With --force the viewer's dialog says it sends anyway; the server refuses
# (403), its words are shown whole (not cut at the dialog's width) and the
# audit log says refused.
before=$(wc -l <"$audit")
run viewer-force "$d/viewer.kubeconfig" --force <<S
jjA
@until --force: Enter sends
:dump $d/viewer-force-before.screen
<Enter>
@until refused (HTTP 403)
S
case $(cut -c3- "$d/viewer-force-before.screen" | tr '\n' ' ') in
*'--force: Enter sends although RBAC: you may not patch rollouts/status payments-staging in payments; the server decides'*)
    tap_ok "viewer-force: the dialog says it sends although RBAC denies" ;;
*) tap_not_ok "viewer-force: the dialog says it sends although RBAC denies"; diag "$(cat "$d/viewer-force-before.screen")" ;;
esac
case $(cut -c3- "$d/viewer-force.screen" | tr '\n' ' ') in
*'refused (HTTP 403): '*'rollouts.argoproj.io "payments-staging" is forbidden: User "carol" cannot patch resource "rollouts/status" in API group "argoproj.io" in the namespace "payments"'*'(Esc closes)'*)
    tap_ok "viewer-force: the server's refusal, whole" ;;
*) tap_not_ok "viewer-force: the server's refusal, whole"; diag "$(cat "$d/viewer-force.screen")" ;;
esac
has "viewer-force: audited as refused, HTTP 403" '"status":403,"outcome":"refused"' \
    "$(tail -n 1 "$audit")"
has "viewer-force: one audit line more" "$((before + 1))" "$(wc -l <"$audit")"

# A user who may not read ReplicaSets (crd-viewer): the cluster is still
# live in the header, and the Rollout pane says why it lists none.
sed 's/admintoken/crdviewertoken/' "$KUBECONFIG" >"$d/crdviewer.kubeconfig"
run rs-forbidden "$d/crdviewer.kubeconfig" <<'S'
@until live
jjd
@until could not read ReplicaSets
S
shows rs-forbidden "could not read ReplicaSets (forbidden)"
shows rs-forbidden 'cannot list resource "replicasets"'
shows rs-forbidden "✔ live"

# A viewer's hint line offers no action key it may not use; an admin's does.
# The keys leave the hint line when the access reviews come back denied.
run viewer-hints "$d/viewer.kubeconfig" <<'S'
@until live
@gone a approve
@gone p promote
<C-l>
S
run admin-hints "$KUBECONFIG" <<'S'
@until live
@until a approve
<C-l>
S
hint() { tail -n 1 "$d/$1.screen"; }
has "admin: the hint line offers approve" "approve" "$(hint admin-hints)"
case $(hint viewer-hints) in
*approve* | *promote*) tap_not_ok "viewer: no approve or promote in the hint line"
    diag "$(hint viewer-hints)" ;;
*) tap_ok "viewer: no approve or promote in the hint line" ;;
esac

# :project switches what is watched and where actions go (issue 12.1): the
# console started on payments watches only that namespace; after
# :project checkout the pipeline is checkout's and p posts there.
run project-switch "$KUBECONFIG" <<'S'
:project checkout
@until checkout-warehouse
jjjp
S
shows project-switch "checkout-warehouse"
shows project-switch "POST /apis/kargo.akuity.io/v1alpha1/namespaces/checkout/promotions"
run project-unknown "$KUBECONFIG" <<'S'
:project nope
S
shows project-unknown "no such project (projects: checkout, payments)"
# :ctx to a context the kubeconfig lacks is refused with the valid ones.
run ctx-unknown "$KUBECONFIG" <<'S'
:ctx nope
S
shows ctx-unknown "no such context in the kubeconfig (contexts: freightdeck-sim)"
# :ctx to another context: its namespace becomes the project, and what is
# watched and targeted follows.
_user=$(sed -n 's/^    user: //p' "$KUBECONFIG" | head -1)
awk -v u="$_user" '{ print } /^contexts:$/ { print "- name: sim-checkout"; print "  context:";
    print "    cluster: freightdeck-sim"; print "    user: " u; print "    namespace: checkout" }' \
    "$KUBECONFIG" >"$d/two.kubeconfig"
run ctx-switch "$d/two.kubeconfig" <<'S'
:ctx sim-checkout
@until checkout-warehouse
jjjp
S
shows ctx-switch "ctx: sim-checkout  project: checkout"
shows ctx-switch "POST /apis/kargo.akuity.io/v1alpha1/namespaces/checkout/promotions"

# The Events pane stays live (issue 12.14): an Event posted while it is open
# appears without a key (the pane lists them again every 5 s), and when the
# cluster stops answering it says it could not read them, keeping the last
# good read with its age. The console runs in the background; the script
# dumps a screen at each stage and the test acts when it appears.
cat >"$d/live.script" <<S
jjE
@until RolloutAborted
:dump $d/live1.screen
@until LateWarning
:dump $d/live2.screen
@until could not read Events
:dump $d/live3.screen
S
FREIGHTDECK_NO_DISPLAY=1 LINES=40 COLUMNS=120 timeout "$(scaled 90)" "$FD_BIN" console \
    --kubeconfig "$KUBECONFIG" --project payments --now 2026-08-20T12:00:00Z --frame-ms 1 \
    --script "$d/live.script" >"$d/live.out" 2>&1 &
live_pid=$!
if await 60 test -s "$d/live1.screen"; then
    c /api/v1/namespaces/payments/events -X POST -H 'Content-Type: application/json' -d \
      '{"apiVersion":"v1","kind":"Event","metadata":{"name":"payments-staging.late","namespace":"payments"},"type":"Warning","reason":"LateWarning","message":"posted while the pane was open","involvedObject":{"kind":"Rollout","name":"payments-staging","namespace":"payments"},"count":1,"lastTimestamp":"2026-08-20T11:59:59Z"}' >/dev/null
fi
if await 60 test -s "$d/live2.screen"; then
    tap_ok "events: an Event posted while the pane is open appears by itself"
else
    tap_not_ok "events: an Event posted while the pane is open appears by itself"
    diag "$(cat "$d/live1.screen" "$d/live.out" 2>/dev/null)"
fi
shows live2 "read "
# A cluster that cannot be reached waits for you too (issue 12.5): the
# header counts it and W lists it.
kill "$pid"; wait "$pid" 2>/dev/null
wait "$live_pid"
has "events: the console ends the live script" "0" "$?"
shows live3 "could not read Events"
shows live3 "the Events below are from the last good read"
shows live3 "LateWarning"
FD_RUN_LIVE=no run cluster-lost "$KUBECONFIG" <<'S'
W
S
shows cluster-lost "cluster not live (data stale)"
shows cluster-lost "context freightdeck-sim"
done_testing

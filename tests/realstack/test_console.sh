#!/bin/sh
# tests/realstack/test_console.sh: the console in a real terminal (a detached
# tmux pane) against the real stack (make check-real): the real
# kube-apiserver, RBAC and SelfSubjectAccessReviews, and the real Argo
# Rollouts controller. Every word that matters is read off the screen, every
# effect back with the real kubectl:
#  - a canary abort with A: the controller aborts, the console says Degraded
#    and aborted, the waits list (W) shows it;
#  - the prod gate: approve and promote to prod through the dialog (the exact
#    request, the typed confirmation), what is in prod now -> what will be,
#    the warnings from real objects (verification Failed in staging, the
#    canary aborted there, approved by hand);
#  - a re-verification: Kargo's reverify annotation, read back;
#  - an approval sent while the API server is frozen: the dialog counts the
#    seconds, and shows the answer once the server is thawed;
#  - the viewer: the action keys gone, a dialog saying RBAC denies it (the
#    real SelfSubjectAccessReview), --force sent and refused by the real
#    server with its words shown; the audit log says refused, HTTP 403;
#  - a frozen API server (SIGSTOP): the header leaves "live" within the
#    documented 15 s, the data is marked stale with its age; after SIGCONT it
#    is live again by itself; after an API server restart, and changes made
#    right after it, the screen shows the server's state.
# No Kargo controller runs (doc/realstack.md): the test writes the Stage and
# Freight status Kargo would, from AnalysisRuns the real controller judged.
. "$FD_TOP_SRCDIR/tests/lib/tap.sh"
rsdir="$FD_TOP_SRCDIR/tests/realstack"
. "$rsdir/test_lib.sh"
S="$FD_SANDBOX/rs"
d="$FD_SANDBOX/t"
mkdir -p "$d"

if [ ! -x "$rsdir/.build/bin/kube-apiserver" ]; then
    echo "1..0 # SKIP the real stack is not built (make realstack)"
    exit 0
fi
if ! command -v tmux >/dev/null 2>&1; then
    echo "1..0 # SKIP tmux is not installed (./bootstrap installs it)"
    exit 0
fi
sock="fdrs$$"
T="tmux -L $sock -f /dev/null"
frozen=
cleanup() {
    # A frozen API server would keep down waiting.
    [ -z "$frozen" ] || kill -CONT "$frozen" 2>/dev/null
    $T kill-server 2>/dev/null
    "$rsdir/down" "$S" >"$d/down.out" 2>&1
}
trap cleanup EXIT
trap 'exit 1' INT TERM

stack_up
# ---- the screen ------------------------------------------------------------------
# shows SESSION SECS TEXT: polls the pane until it shows TEXT (a fixed
# string); the pane is in $screen. shows_not: until TEXT is gone.
shows() {
    _end=$(( $(date +%s) + $(scaled "$2") ))
    while :; do
        screen=$($T capture-pane -p -t "$1" 2>/dev/null)
        case $screen in *"$3"*) return 0 ;; esac
        [ "$(date +%s)" -lt "$_end" ] || return 1
        sleep 0.2 # poll
    done
}
shows_not() {
    _end=$(( $(date +%s) + $(scaled "$2") ))
    while :; do
        screen=$($T capture-pane -p -t "$1" 2>/dev/null)
        case $screen in *"$3"*) ;; *) return 0 ;; esac
        [ "$(date +%s)" -lt "$_end" ] || return 1
        sleep 0.2 # poll
    done
}
# joined SESSION: the pane as one line, each row without its first two
# columns (a dialog wraps long text from column 2) and rows joined by a
# space (they break between words), so that text wrapped over rows is
# found whole.
joined() { $T capture-pane -p -t "$1" | cut -c3- | tr '\n' ' '; }
# check NAME SESSION SECS TEXT / check_gone NAME SESSION SECS TEXT
check() {
    if shows "$2" "$3" "$4"; then tap_ok "$1"; else
        tap_not_ok "$1"; diag "expected the pane to show: $4"; diag "$screen"; fi
}
check_gone() {
    if shows_not "$2" "$3" "$4"; then tap_ok "$1"; else
        tap_not_ok "$1"; diag "expected the pane no longer to show: $4"; diag "$screen"; fi
}
# row SESSION TEXT: the pane's lines holding TEXT, blanks squeezed (the
# pane was captured by the last check).
row() { $T capture-pane -p -t "$1" | grep -F -- "$2" | tr -s ' '; }
# stage_row SESSION STAGE: the pipeline's row of STAGE, selected or not.
stage_row() { $T capture-pane -p -t "$1" | grep -E "^(  |▸ )$2 " | tr -s ' '; }
# console SESSION KUBECONFIG [OPTION...]: the console in a 120x40 pane (the
# sealed LINES and COLUMNS would hold it at 80x24); its
# audit log goes to $d/SESSION/state/freightdeck/audit.log.
console() {
    _s=$1; _kc=$2; shift 2
    mkdir -p "$d/$_s/state" "$d/$_s/config"
    $T new-session -d -s "$_s" -x 120 -y 40 \
        "env -u LINES -u COLUMNS XDG_STATE_HOME='$d/$_s/state' XDG_CONFIG_HOME='$d/$_s/config' \
         FREIGHTDECK_THEMES_DIR='$FD_TOP_SRCDIR/themes' LC_ALL=C.UTF-8 TERM=xterm-256color \
         '$FD_BIN' console --kubeconfig '$_kc' --project payments $*; echo EXITED \$?; sleep 600"
}
audit() { tail -n 1 "$d/$1/state/freightdeck/audit.log" 2>/dev/null; }
audit_says() { # SESSION: "action outcome status" of the last audit line
    audit "$1" | python3 -c 'import json,sys; a=json.load(sys.stdin); r=a["result"]; print(a["action"], r["outcome"], r.get("status"))' 2>&1
}

# ---- the seed, Freight and what Kargo's controller would write ------------------
apply_seed
old=$(sha 1.3.9); good=$(sha 1.4.0); bad=$(sha 1.5.0); new=$(sha 1.6.0)
{ freight 1.3.9 calm-otter 300; freight 1.4.0 good-gopher 200; freight 1.5.0 bad-badger 100; } >"$d/freight.yaml"
expect_exit "three Freight (1.3.9, 1.4.0, 1.5.0)" 0 k create -f "$d/freight.yaml"

setrate payments-staging 0.00
run_good=$(verification staging "$good" success-rate-check)
wait_for "the real controller judges 1.4.0's verification in staging Successful" 180 \
    '^Successful$' jp analysisrun "$run_good" '{.status.phase}'
setrate payments-staging 0.12
run_bad=$(verification staging "$bad" success-rate-check)
wait_for "and 1.5.0's (12% errors) Failed" 180 '^Failed$' jp analysisrun "$run_bad" '{.status.phase}'
bad_msg=$(jp analysisrun "$run_bad" '{.status.message}')
diag "the controller: $bad_msg"

# The status Kargo's controller would write (regular_stages.go: conditions
# Ready, Healthy and Verified; freightHistory with verificationHistory),
# the verifications copied from the runs the real controller finished.
stamp() { date -u +%Y-%m-%dT%H:%M:%SZ; }
fstatus() { k patch freight "$1" -n payments --subresource=status --type=merge -p "{\"status\":$2}" >/dev/null; }
vinfo() { # RUN: its verificationHistory entry
    k get analysisrun "$1" -n payments -o json | python3 -c '
import json, sys
r = json.load(sys.stdin); s = r["status"]
t = s.get("startedAt") or r["metadata"]["creationTimestamp"]
print(json.dumps({"id": "v-" + r["metadata"]["name"], "phase": s["phase"],
  "message": s.get("message", ""), "startTime": t, "finishTime": t,
  "analysisRun": {"name": r["metadata"]["name"], "namespace": "payments", "phase": s["phase"]}}))'
}
col() { # FREIGHT [VERIFICATION]: a FreightCollection
    printf '{"id":"c-%s","items":{"Warehouse/payments-warehouse":{"name":"%s","origin":{"kind":"Warehouse","name":"payments-warehouse"}}}%s}' \
        "$1" "$1" "${2:+,\"verificationHistory\":[$2]}"
}
cond() { # TYPE STATUS REASON MESSAGE
    printf '{"type":"%s","status":"%s","reason":"%s","message":%s,"lastTransitionTime":"%s","observedGeneration":1}' \
        "$1" "$2" "$3" "$(printf '%s' "$4" | python3 -c 'import json,sys; print(json.dumps(sys.stdin.read()))')" "$(stamp)"
}
verified() { echo "$(cond Ready True Verified 'Stage is verified'),$(cond Healthy True Healthy 'Stage is healthy'),$(cond Verified True Verified 'Stage is verified')"; }
sstatus() { # STAGE HISTORY CONDITIONS
    k patch stage "$1" -n payments --subresource=status --type=merge -p \
        "{\"status\":{\"freightHistory\":[$2],\"health\":{\"status\":\"Healthy\"},\"conditions\":[$3]}}" >"$d/sstatus.out" 2>&1
}
t=$(stamp)
fstatus "$old" "{\"verifiedIn\":{\"dev\":{},\"staging\":{},\"prod\":{}},\"currentlyIn\":{\"prod\":{\"since\":\"$t\"}}}"
fstatus "$good" "{\"verifiedIn\":{\"dev\":{},\"staging\":{}}}"
fstatus "$bad" "{\"verifiedIn\":{\"dev\":{}},\"currentlyIn\":{\"dev\":{\"since\":\"$t\"},\"staging\":{\"since\":\"$t\"}}}"
sstatus dev "$(col "$bad")" "$(verified)"
sstatus staging "$(col "$bad" "$(vinfo "$run_bad")"),$(col "$good" "$(vinfo "$run_good")")" \
    "$(cond Ready False VerificationFailed "$bad_msg"),$(cond Healthy True Healthy 'Stage is healthy'),$(cond Verified False VerificationFailed "$bad_msg")"
expect_eq "staging's status as Kargo writes it passes the CRD schema" "0" "$?"
sstatus prod "$(col "$old")" "$(verified)"

# The canary: 1.5.0 rolled out in staging (as an Argo CD sync of Kargo's
# commit would), paused at step 1 by the real controller.
wait_for "Rollout payments-staging Healthy on kwok's pods" 180 '^Healthy 5$' \
    jp rollout payments-staging '{.status.phase} {.status.readyReplicas}'
k patch rollout payments-staging -n payments --type=merge -p \
    '{"spec":{"template":{"spec":{"containers":[{"name":"payments","image":"ghcr.io/example/payments:1.5.0"}]}}}}' >/dev/null
wait_for "1.5.0's canary pauses at step 1" 120 '^1 Paused$' \
    jp rollout payments-staging '{.status.currentStepIndex} {.status.phase}'

# ---- the operator's console ------------------------------------------------------------
console op "$KUBECONFIG_OPERATOR" ||
    { echo "Bail out! tmux cannot start a session"; exit 1; }
check "the console connects as the operator" op 30 'user: operator  ✔ live'
check "the pipeline shows prod's Freight" op 15 'calm-otter 1.3.9'
expect_match "staging: Failed verification from its real run, degraded marks none yet" \
    'staging ✖ Failed bad-badger 1.5.0 ✖ Failed .*⚠ failed' "$(stage_row op staging)"
# Three: staging's Failed verification, its paused canary, and good-gopher
# (verified in staging, discovered after prod's calm-otter) ready for prod.
check "the header counts what waits" op 10 '3 wait for you (W: all)'
$T send-keys -t op W
check "W: the paused canary is in the waits list, naming its Stage" op 10 \
    'staging: Rollout payments-staging at step 1/5: CanaryPauseStep'
check "W: its title names the Stage as the other items' do" op 5 \
    '⚠ Rollout paused until promoted  Stage staging'
check "W: and staging's Failed verification, with the controller's words" op 5 \
    "staging: verification Failed: $bad_msg"

# A on staging (Esc back to the pipeline, two rows down from the Warehouse).
$T send-keys -t op Escape j j A
check "A opens the abort dialog with the exact status patch" op 10 \
    'PATCH /apis/argoproj.io/v1alpha1/namespaces/payments/rollouts/payments-staging/status'
check "the body is Argo's abort" op 5 '{"status":{"abort":true}}'
check "RBAC from the real review: allowed" op 10 'RBAC: patch rollouts/status: allowed'
$T send-keys -t op Enter
wait_for "kubectl: status.abort true, the real controller degrades the Rollout" 120 \
    '^true Degraded$' jp rollout payments-staging '{.status.abort} {.status.phase}'
check "the header says the Rollout is aborted, in the controller's words" op 20 \
    'staging: Rollout payments-staging aborted: RolloutAborted: Rollout aborted update'
check "the pipeline marks staging degraded" op 10 '⚠ degraded'
expect_eq "the audit log: rollout-abort ok, HTTP 200" "rollout-abort ok 200" "$(audit_says op)"
$T send-keys -t op W
check "W: the aborted Rollout is the most urgent item" op 10 '▸ ⚠ Rollout aborted or Degraded  Stage staging'
check_gone "W: the paused canary is gone from the list" op 10 'CanaryPauseStep'
$T send-keys -t op Escape d
check "d: the Rollout view says Degraded" op 10 '✖ Degraded  strategy Canary'
check "d: and why" op 5 '✖ aborted: RolloutAborted: Rollout aborted update to revision 2'
check "d: the canary ReplicaSet (revision 2, read from the cluster) scaled down" op 5 \
    'ScaledDown  rev 2'
check "d: no pod runs the aborted canary's image" op 5 'no pods  ghcr.io/example/payments:1.5.0'
check "d: the stable one (1.3.9) holds the 5 pods" op 5 '5/5 ready  5 available  ghcr.io/example/payments:1.3.9'

# ---- the prod gate: approve -------------------------------------------------------------
$T send-keys -t op Escape j a
check "a on prod: the approve dialog, marked production" op 10 \
    'approve the Freight for the Stage  [PRODUCTION]'
short_old=$(printf %.7s "$old"); short_bad=$(printf %.7s "$bad"); short_good=$(printf %.7s "$good")
check "prod now -> what will be, from the real objects" op 5 \
    "prod now: calm-otter 1.3.9 ($short_old) → bad-badger 1.5.0 ($short_bad)"
check "warning: the verification that Failed in staging" op 5 \
    "⚠ WARNING: verification v-$run_bad Failed in staging"
check "warning: the canary aborted in staging" op 5 \
    '⚠ WARNING: canary aborted in staging: Rollout payments-staging'
check "warning: never verified in staging" op 5 \
    '⚠ WARNING: never verified in staging: approving it skips verification'
check "the exact request" op 5 \
    "PATCH /apis/kargo.akuity.io/v1alpha1/namespaces/payments/freights/$bad/status"
check "the typed confirmation is asked" op 5 'Production: type the Stage name (prod) and Enter to send:'
$T send-keys -t op Enter
check "Enter alone sends nothing" op 5 'prod is production: type its name exactly to confirm'
expect_eq "kubectl: not approved yet" "" "$(jp freight "$bad" '{.status.approvedFor}')"
$T send-keys -t op p r o d Enter
check "approve: done, as the server answered" op 20 'approve: done (HTTP 200)'
expect_match "kubectl: status.approvedFor.prod on bad-badger" '^\{"prod":\{"approvedAt":"[0-9T:-]+Z"\}\}$' \
    "$(jp freight "$bad" '{.status.approvedFor}')"
expect_eq "the audit log: approve ok, HTTP 200" "approve ok 200" "$(audit_says op)"

# ---- the prod gate: promote ---------------------------------------------------------------
$T send-keys -t op p
check "p on prod: the promote dialog" op 10 'promote the Freight to the Stage (create a Promotion)  [PRODUCTION]'
check "warning: approved by hand, never verified" op 5 \
    '⚠ WARNING: approved by hand for prod at'
$T send-keys -t op Down
check "Down: good-gopher, prod now -> what will be" op 10 \
    "prod now: calm-otter 1.3.9 ($short_old) → good-gopher 1.4.0 ($short_good)"
check_gone "good-gopher passed staging: no warning" op 5 'WARNING'
check "the exact request: POST a Promotion" op 5 \
    'POST /apis/kargo.akuity.io/v1alpha1/namespaces/payments/promotions'
check "its body names prod and good-gopher's Freight" op 5 "\"spec\":{\"stage\":\"prod\",\"freight\":\"$good\"}"
check "RBAC from the real review: create promotions allowed" op 5 'RBAC: create promotions: allowed'
$T send-keys -t op p r o d Enter
# Kargo's mutating webhook fills spec.steps from the Stage's
# promotionTemplate (pkg/webhook/kubernetes/promotion/webhook.go); none
# runs here, so the CRD refuses the Promotion as sent: the console must say
# so in the server's words, whole.
check "promote: the real server's refusal, verbatim" op 20 'refused (HTTP 422): Promotion.kargo.akuity.io "promo-'
expect_match "the whole answer is shown, not cut" \
    'refused \(HTTP 422\): Promotion.kargo.akuity.io "promo-[a-z0-9]+" is invalid: \[spec.steps: Required value, <nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation\] +\(Esc closes\)' \
    "$(joined op)"
expect_eq "the audit log: promote refused, HTTP 422" "promote refused 422" "$(audit_says op)"
expect_eq "kubectl: no Promotion was created" "" "$(k get promotions -n payments -o name)"

# ---- re-verification ----------------------------------------------------------------------
$T send-keys -t op Escape k v
check "v on staging: the reverify dialog names the finished verification" op 10 \
    "the last verification has finished (v-$run_bad, Failed)"
check "the exact patch of Kargo's annotation" op 5 \
    'PATCH /apis/kargo.akuity.io/v1alpha1/namespaces/payments/stages/staging'
$T send-keys -t op Enter
check "reverify: done" op 20 'reverify: done (HTTP 200)'
expect_eq "kubectl: the reverify annotation (Kargo's VerificationRequest: id and actor)" \
    "v-$run_bad operator" \
    "$(jp stage staging '{.metadata.annotations.kargo\.akuity\.io/reverify}' |
        python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["id"], r["actor"])' 2>&1)"
expect_eq "the audit log: reverify ok" "reverify ok 200" "$(audit_says op)"

# ---- the viewer ---------------------------------------------------------------------------
console viewer "$KUBECONFIG_VIEWER"
check "the viewer's console is live" viewer 30 'user: viewer  ✔ live'
check "the hint line comes once RBAC has answered" viewer 10 'Enter open  / filter'
check_gone "RBAC (real reviews) takes the action keys off the hint line" viewer 10 'a approve'
$T send-keys -t viewer j j j a
check "a anyway: the dialog says the real review denies it" viewer 10 'RBAC: patch freights/status: denied'
check "and that it cannot be sent, and why" viewer 5 \
    'Cannot be sent: RBAC: you may not patch freights/status in payments'
$T send-keys -t viewer Enter
check_gone "Enter sends nothing" viewer 3 'sending...'
expect_eq "no audit line: nothing was sent" "" "$(audit viewer)"
# In a production dialog q is a letter of the Stage's name: Esc first.
$T send-keys -t viewer Escape q
check "the viewer's console quits" viewer 15 'EXITED 0'
$T kill-session -t viewer
console viewer "$KUBECONFIG_VIEWER" --force
check "viewer with --force: live" viewer 30 'user: viewer  ✔ live'
$T send-keys -t viewer j j j a
check "--force: the dialog says it sends although RBAC denies" viewer 10 \
    '--force: Enter sends although RBAC: you may not patch freights/status in payments; the server decides'
$T send-keys -t viewer p r o d Enter
check "the real server refuses: 403 in its own words" viewer 20 \
    'refused (HTTP 403): freights.kargo.akuity.io "'
expect_match "whole: the user, the resource, the namespace" \
    "refused \\(HTTP 403\\): freights.kargo.akuity.io \"$good\" is forbidden: User \"viewer\" cannot patch resource \"freights/status\" in API group \"kargo.akuity.io\" in the namespace \"payments\" +\\(Esc closes\\)" \
    "$(joined viewer)"
expect_eq "the audit log: approve refused, HTTP 403" "approve refused 403" "$(audit_says viewer)"
expect_match "the audit log has the server's message" 'User \\"viewer\\" cannot patch' "$(audit viewer)"
$T send-keys -t viewer Escape q
$T kill-session -t viewer 2>/dev/null

# ---- a slow answer: the dialog counts the seconds ---------------------------------------
# The API server frozen while an approval is on the wire: the dialog says
# it is sending and for how long; thawed, the answer arrives and is shown.
$T send-keys -t op Escape j a
check "a on prod again: good-gopher is offered" op 10 \
    "prod now: calm-otter 1.3.9 ($short_old) → good-gopher 1.4.0 ($short_good)"
$T send-keys -t op p r o d
check "prod typed" op 5 'Production: type the Stage name (prod) and Enter to send: prod'
frozen=$(cat "$S/pids/kube-apiserver.pid")
kill -STOP "$frozen"
$T send-keys -t op Enter
check "frozen server: the dialog counts the seconds it waits" op 10 'sending... 2 s'
kill -CONT "$frozen"
frozen=
check "thawed: the answer arrives" op 30 'approve: done (HTTP 200)'
expect_match "kubectl: good-gopher approved for prod" '"prod"' "$(jp freight "$good" '{.status.approvedFor}')"
expect_eq "the audit log: approve ok, HTTP 200" "approve ok 200" "$(audit_says op)"

# ---- a frozen API server ------------------------------------------------------------------
$T send-keys -t op Escape Escape
check "back on the pipeline, live" op 10 'user: operator  ✔ live'
frozen=$(cat "$S/pids/kube-apiserver.pid")
kill -STOP "$frozen"
t0=$(date +%s)
check_gone "frozen: the header leaves live" op 30 '✔ live'
took=$(( $(date +%s) - t0 ))
diag "the header left live $took s after SIGSTOP"
# The documented bound: liveness interval 10 s + timeout 5 s (doc/console.md),
# plus up to 3 s for the console to redraw and this script to read the pane
# on a loaded machine.
expect_eq "within the documented 15 s" "yes" \
    "$([ "$took" -le $((15 + 3)) ] && echo yes || echo "no: $took s")"
expect_match "the header says stale or reconnecting, with the age" \
    '⚠ (stale|reconnecting) since [0-9]+s \[[0-9]+\]' "$(row op 'user: operator')"
check "the Stages are marked stale" op 5 '⚠ stale'
# The data is as old as the server's last answer, not the moment the cut
# was noticed: the age shown is at least the time since SIGSTOP (less a
# second for the two clocks' rounding).
age=$(row op 'user: operator' | sed -n 's/.* since \([0-9]*\)s .*/\1/p')
expect_eq "the age counts from the server's last answer (>= the freeze's age)" "yes" \
    "$([ "${age:-0}" -ge $((took - 1)) ] && echo yes || echo "no: ${age:-none} s shown, frozen $took s ago")"
kill -CONT "$frozen"
frozen=
check "SIGCONT: live again by itself" op 30 'user: operator  ✔ live'
check_gone "the stale marks are gone" op 10 '⚠ stale'

# ---- a restarted API server ---------------------------------------------------------------
expect_exit "restart the API server" 0 "$rsdir/restart" "$S" kube-apiserver
diag "$out"
# Right after the restart: prod gets good-gopher, a new Freight appears,
# calm-otter is deleted. The console must end up showing exactly that.
t=$(stamp)
fstatus "$good" "{\"verifiedIn\":{\"dev\":{},\"staging\":{},\"prod\":{}},\"currentlyIn\":{\"prod\":{\"since\":\"$t\"}}}"
sstatus prod "$(col "$good"),$(col "$old")" "$(verified)"
freight 1.6.0 brave-bison | k create -f - >/dev/null
k delete freight "$old" -n payments >/dev/null
# A restarted API server answers 403 for a few seconds after /readyz (its
# RBAC cache fills): the console says "forbidden" then, but must not wait out
# a 30 s back-off for kinds it has listed before. Sampled until live.
t0=$(date +%s); first=; last=; end=$(( t0 + $(scaled 60) ))
while :; do
    h=$($T capture-pane -p -t op | head -1)
    case $h in *'✔ live'*) break ;; *forbidden*) last=$(date +%s); first=${first:-$last} ;; esac
    [ "$(date +%s)" -lt "$end" ] || break
    sleep 0.2 # poll
done
diag "live $(( $(date +%s) - t0 )) s after the restart; shown forbidden for $([ -n "$first" ] && echo "$((last - first)) s" || echo "no sample")"
expect_eq "live again after the restart, by itself" "yes" \
    "$(case $h in *'✔ live'*) echo yes ;; *) echo "no: $h" ;; esac)"
expect_eq "a transient 403 after the restart is retried in seconds (not 30 s)" "yes" \
    "$([ -z "$first" ] || [ $((last - first)) -le "$(scaled 10)" ] && echo yes || echo "no: forbidden for $((last - first)) s")"
wait_for "after the restart: the pipeline's prod row is the server's (good-gopher)" 120 \
    'prod ✔ Ready good-gopher 1.4.0' stage_row op prod
# Every Stage row of the pipeline: the alias and version of the Freight the
# server's status says the Stage holds.
server_rows() {
    for st in dev staging prod; do
        _f=$(jp stage "$st" "{.status.freightHistory[0].items['Warehouse/payments-warehouse'].name}")
        echo "$st $(jp freight "$_f" '{.alias} {.images[0].tag}')"
    done
}
shown_rows() {
    for st in dev staging prod; do
        stage_row op "$st" | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /-/ && $(i + 1) ~ /^[0-9]+\.[0-9]+\.[0-9]+$/) { print $1 == "▸" ? $2 : $1, $i, $(i + 1); break } }'
    done
}
expect_eq "after the restart: every Stage row shows the Freight the server says it holds" \
    "$(server_rows)" "$(shown_rows)"
$T send-keys -t op ':freight' Enter
check ":freight: the new Freight" op 10 'brave-bison'
check_gone ":freight: the deleted one is gone" op 5 'calm-otter'
server=$(k get freight -n payments -o jsonpath='{range .items[*]}{.alias}{"\n"}{end}' | sort | tr '\n' ' ')
shown=$($T capture-pane -p -t op | sed -n 's/^[ ▸]*\([a-z]*-[a-z]*\)  .*payments:.*/\1/p' | sort | tr '\n' ' ')
expect_eq "the Freight list equals the server's" "$server" "$shown"
$T send-keys -t op Escape q
check "q quits the console" op 15 'EXITED 0'

# ---- down ---------------------------------------------------------------------------------
$T kill-server 2>/dev/null
expect_exit "down stops everything" 0 "$rsdir/down" "$S"
expect_eq "nothing of the stack is left running" "" "$(pgrep -f -- "$S/" || true)"
trap - EXIT
done_testing

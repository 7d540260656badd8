#!/bin/sh
# tests/client/test_fleet.sh: several clusters. Two `freightdeck sim`s: the
# Kargo one (tests/client/seed.yaml: project shop, Stages qa and prod, and
# decoy Rollouts) and a workload one (fleet-workload.yaml: Rollout
# apps/web-prod), merged through KUBECONFIG=a:b as contexts "kargo" and
# "workload". The config file maps shop/prod to the workload cluster; the
# one-shot commands must follow it.
. "$FD_TOP_SRCDIR/tests/lib/tap.sh"
. "$FD_TOP_SRCDIR/tests/sim/scenario_lib.sh"

sim_start --scenario none --load "$FD_TOP_SRCDIR/tests/client/seed.yaml" ||
    { echo "Bail out! kargo sim did not start"; exit 1; }
fd() { timeout "$(scaled 60)" "$FD_BIN" "$@"; }
wpid=
cleanup_all() {
    if [ -n "$wpid" ]; then kill "$wpid" 2>/dev/null; wait "$wpid" 2>/dev/null; fi
    cleanup
}
trap cleanup_all EXIT
"$FD_BIN" sim --scenario none --load "$FD_TOP_SRCDIR/tests/client/fleet-workload.yaml" \
    --tokens "$d/tokens" --tls-cert "$d/srv.crt" --tls-key "$d/srv.key" --tls-ca "$d/ca.crt" \
    --kubeconfig-out "$d/w.raw" >"$d/w.out" 2>"$d/w.err" &
wpid=$!
await 20 grep -q '^listening on ' "$d/w.out"
grep -q '^listening on ' "$d/w.out" || { echo "Bail out! workload sim did not start"; exit 1; }

# Both sims write the same names; rename them so the merge keeps both.
sed 's/freightdeck-sim/kargo/g; s/alice/alice-k/g' "$d/kubeconfig" >"$d/a.yaml"
sed 's/freightdeck-sim/workload/g; s/alice/alice-w/g' "$d/w.raw" >"$d/b.yaml"
export KUBECONFIG="$d/a.yaml:$d/b.yaml"
kw() { k --context workload "$@"; }
kk() { k --context kargo "$@"; }
cat >"$d/config.yaml" <<'YAML'
kargo:
  context: kargo
stages:
  - project: shop
    stage: prod
    context: workload
    namespace: apps
    rollouts: [web-prod]
YAML
export FREIGHTDECK_CONFIG="$d/config.yaml"

# ---- get rollouts: each Stage's Rollouts from its own context ----------------------
expect_exit "get rollouts -p shop" 0 fd get rollouts -p shop
expect_match "prod's Rollout comes from the workload cluster" \
    'prod +workload +apps +web-prod +Paused +1/4 +20' "$out"
expect_match "qa keeps the default (Kargo context, named shop-qa)" 'qa +kargo +shop +shop-qa ' "$out"
expect_eq "the Kargo sim's decoy shop-prod is not listed for prod" "" \
    "$(printf '%s\n' "$out" | grep -E '^prod +kargo')"
expect_exit "get rollouts -o json" 0 fd get rollouts -p shop -o json
expect_eq "json: stage, context, name" "prod/workload/web-prod qa/kargo/shop-qa" \
    "$(printf '%s' "$out" | python3 -c 'import json,sys; print(" ".join(sorted(x["stage"]+"/"+x["context"]+"/"+x["name"] for x in json.load(sys.stdin))))')"
: >"$d/empty.yaml"
expect_exit "get pipeline -o wide" 0 fd get pipeline -p shop -o wide
expect_match "pipeline: prod's Rollouts column names the workload cluster" \
    'Stage/prod +qa .* workload:apps/web-prod' "$out"
expect_match "pipeline: qa's by the default, in the Kargo cluster" 'Stage/qa .* kargo:shop/shop-qa' "$out"
expect_exit "get pipeline (plain table) keeps its columns" 0 fd get pipeline -p shop
expect_eq "plain pipeline: no ROLLOUTS column" "" "$(printf '%s\n' "$out" | grep ROLLOUTS)"
expect_exit "without the config: the plain listing in the current context" 0 \
    env FREIGHTDECK_CONFIG="$d/empty.yaml" timeout "$(scaled 60)" "$FD_BIN" get rollouts -n shop --context kargo
expect_match "plain listing: the Kargo sim's shop-prod" '^shop-prod +Paused' "$out"

# ---- the console: one client per cluster ----------------------------------------------
# console NAME <<script: runs the console; its last screen is in $d/NAME.screen.
# The script ends with the @until lines that say when the screen is complete.
console() {
    _name=$1
    cat >"$d/$_name.script"
    printf ':dump %s\n' "$d/$_name.screen" >>"$d/$_name.script"
    FREIGHTDECK_NO_DISPLAY=1 LINES=40 COLUMNS=140 timeout "$(scaled 60)" "$FD_BIN" console \
        --project shop --now 2026-01-01T12:00:00Z --frame-ms 1 \
        --script "$d/$_name.script" >"$d/$_name.out" 2>&1
    _rc=$?
    if [ $_rc -eq 0 ]; then tap_ok "$_name: console exits 0"; else
        tap_not_ok "$_name: console exits 0"; diag "$(cat "$d/$_name.out")"; fi
}
shows() { # NAME ERE
    if grep -Eq -- "$2" "$d/$1.screen"; then tap_ok "$1: shows '$2'"; else
        tap_not_ok "$1: shows '$2'"; diag "$(cat "$d/$1.screen")"; fi
}
console pipeline <<'S'
@until kargo ✔ live  workload ✔ live
@until Rollout web-prod at step
S
shows pipeline 'kargo . live +workload . live'
shows pipeline 'Rollout web-prod at step'
console stage-prod <<'S'
jjj<Enter>
@until ROLLOUTS
@until step 1/4
@until 20%
S
shows stage-prod 'ROLLOUTS +in context workload'
shows stage-prod 'web-prod +. Paused +step 1/4'
shows stage-prod 'desired .* 20%'
if grep -q 'shop-prod' "$d/stage-prod.screen" && ! grep -q 'Rollout shop-prod at step' "$d/stage-prod.screen"; then
    tap_not_ok "stage-prod: the Kargo cluster's shop-prod is not shown as prod's"; else
    tap_ok "stage-prod: the Kargo cluster's shop-prod is not shown as prod's"; fi
console dialog-prod <<'S'
jjj<Enter>A
@until RBAC: patch rollouts/status: allowed
S
shows dialog-prod 'to context workload'
shows dialog-prod 'PATCH /apis/argoproj.io/v1alpha1/namespaces/apps/rollouts/web-prod/status'
shows dialog-prod 'RBAC: patch rollouts/status: allowed'

# ---- a workload context never reached (issue 12.21) -----------------------------------
sed 's/freightdeck-sim/nowhere/g; s/alice/alice-n/g; s#server: .*#server: https://127.0.0.1:1#' \
    "$d/w.raw" >"$d/c.yaml"
cat >"$d/nowhere.yaml" <<'YAML'
kargo:
  context: kargo
stages:
  - project: shop
    stage: prod
    context: nowhere
    namespace: apps
    rollouts: [web-prod]
YAML
saved_kc=$KUBECONFIG
export FREIGHTDECK_CONFIG="$d/nowhere.yaml" KUBECONFIG="$KUBECONFIG:$d/c.yaml"
console nowhere <<S
jjj<Enter>
:dump $d/nowhere-stage.screen
A
S
export FREIGHTDECK_CONFIG="$d/config.yaml" KUBECONFIG="$saved_kc"
shows nowhere-stage 'context nowhere not reached yet'
if grep -q 'none found' "$d/nowhere-stage.screen"; then tap_not_ok "nowhere: not 'none found'"
else tap_ok "nowhere: not 'none found'"; fi
shows nowhere 'context nowhere not reached yet: the Rollouts of Stage prod are not known'

# ---- rollout ACTION --stage ---------------------------------------------------------
expect_exit "rollout abort --stage prod -n shop" 0 fd rollout abort --stage prod -n shop --yes
expect_match "it says which context it goes to" \
    'Stage shop/prod: Rollout apps/web-prod in context workload' "$out"
expect_eq "kubectl (workload): web-prod aborted" "true" \
    "$(kw get rollout web-prod -n apps -o jsonpath='{.status.abort}')"
expect_eq "kubectl (kargo): the decoy shop-prod untouched" "" \
    "$(kk get rollout shop-prod -n shop -o jsonpath='{.status.abort}')"
expect_exit "rollout retry --stage shop/prod (project in the argument)" 0 \
    fd rollout retry --stage shop/prod --yes
expect_eq "kubectl (workload): web-prod abort false" "false" \
    "$(kw get rollout web-prod -n apps -o jsonpath='{.status.abort}')"
expect_exit "rollout promote --stage shop/prod" 0 fd rollout promote --stage shop/prod --yes
expect_eq "kubectl (workload): pause conditions cleared" "" \
    "$(kw get rollout web-prod -n apps -o jsonpath='{.status.pauseConditions}')"
expect_exit "--stage qa: the default convention in the Kargo context" 0 \
    fd rollout promote --full --stage shop/qa
expect_eq "kubectl (kargo): shop-qa promoteFull" "true" \
    "$(kk get rollout shop-qa -n shop -o jsonpath='{.status.promoteFull}')"
expect_exit "--stage of a Stage Kargo does not have: refused" 1 fd rollout abort --stage shop/nope
expect_match "the refusal names the Kargo context and its Stages" \
    'Stage shop/nope is not in the Kargo cluster \(context kargo; its Stages: prod, qa\)' "$err"
expect_exit "--stage with a NAME that is not its Rollout: refused" 1 \
    fd rollout abort --stage shop/prod shop-prod
expect_match "the refusal lists the Stage's Rollouts" 'shop-prod is not one of its Rollouts \(web-prod\)' "$err"
expect_exit "--stage with an empty stage: usage" 2 fd rollout abort --stage shop/
expect_exit "plain NAME still uses --context/-n" 0 fd rollout abort shop-prod -n shop --context kargo --yes
expect_eq "kubectl (kargo): shop-prod aborted" "true" \
    "$(kk get rollout shop-prod -n shop -o jsonpath='{.status.abort}')"
expect_exit "--dry-run --stage shows the workload request" 0 \
    fd rollout abort --stage shop/prod --dry-run
expect_match "dry-run: the patch of apps/web-prod" 'namespaces/apps/rollouts/web-prod' "$out"

# ---- config errors keep their file:line:col -----------------------------------------
printf 'kargo:\n  context: kargo\nstages:\n  - stage: shop/prod\n    rollout: web-prod\n' \
    >"$d/bad.yaml"
expect_exit "a bad config file: rollout --stage fails" 1 \
    env FREIGHTDECK_CONFIG="$d/bad.yaml" timeout "$(scaled 60)" "$FD_BIN" rollout abort --stage shop/prod
expect_match "the error has file:line:col and a suggestion" \
    'bad\.yaml:5:5: unknown key "rollout" in a stages entry \(did you mean "rollouts"\?\)' "$err"
expect_exit "a bad config file: get rollouts fails" 1 \
    env FREIGHTDECK_CONFIG="$d/bad.yaml" timeout "$(scaled 60)" "$FD_BIN" get rollouts -p shop
expect_match "get names the same place" 'bad\.yaml:5:5:' "$err"
expect_exit "a missing FREIGHTDECK_CONFIG is an error" 1 \
    env FREIGHTDECK_CONFIG="$d/none.yaml" timeout "$(scaled 60)" "$FD_BIN" rollout abort --stage shop/prod
expect_match "it names the file" 'none\.yaml' "$err"

# ---- what the file names and the clusters lack (issue 12.19, 12.20, 12.22) ------------
# A context the kubeconfig lacks: the key's own file:line:col, not the entry's.
printf 'kargo:\n  context: kargo\nstages:\n  - project: shop\n    stage: prod\n    context: workloadd\n    namespace: apps\n' \
    >"$d/typo-ctx.yaml"
expect_exit "a stages context the kubeconfig lacks: get rollouts fails" 1 \
    env FREIGHTDECK_CONFIG="$d/typo-ctx.yaml" timeout 60 "$FD_BIN" get rollouts -p shop
expect_match "it names the context: key's file:line:col" \
    'typo-ctx\.yaml:6:5: context "workloadd": .*no context named "workloadd"' "$err"
expect_exit "the same for rollout --stage" 1 \
    env FREIGHTDECK_CONFIG="$d/typo-ctx.yaml" timeout 60 "$FD_BIN" rollout abort --stage shop/prod
expect_match "rollout --stage names the key too" 'typo-ctx\.yaml:6:5: context "workloadd"' "$err"
printf '# the control plane\nkargo:\n  context: cpp\n' >"$d/typo-kargo.yaml"
expect_exit "a kargo.context the kubeconfig lacks: get rollouts fails" 1 \
    env FREIGHTDECK_CONFIG="$d/typo-kargo.yaml" timeout 60 "$FD_BIN" get rollouts -p shop
expect_match "it names kargo.context's line and column" 'typo-kargo\.yaml:3:3: context "cpp": ' "$err"

printf ':quit\n' >"$d/quit.script"
expect_exit "the console refuses the same file before the screen starts" 1 \
    env FREIGHTDECK_CONFIG="$d/typo-ctx.yaml" FREIGHTDECK_NO_DISPLAY=1 timeout 60 "$FD_BIN" \
    console --project shop --script "$d/quit.script"
expect_match "the console names the context: key's file:line:col" \
    'typo-ctx\.yaml:6:5: context "workloadd" \(Stage shop/prod\): ' "$out$err"
expect_exit "the console: kargo.context the kubeconfig lacks" 1 \
    env FREIGHTDECK_CONFIG="$d/typo-kargo.yaml" FREIGHTDECK_NO_DISPLAY=1 timeout 60 "$FD_BIN" \
    console --project shop --script "$d/quit.script"
expect_match "the console names kargo.context's place" 'typo-kargo\.yaml:3:3: context "cpp": ' "$out$err"

# A Stage the Kargo cluster does not have: warned about, never acted on.
cat >"$d/typo-stage.yaml" <<'YAML'
kargo:
  context: kargo
stages:
  - project: shop
    stage: prod
    context: workload
    namespace: apps
    rollouts: [web-prod]
  - project: shop
    stage: prodd
    context: workload
    namespace: apps
    rollouts: [web-prod]
YAML
before=$(kw get rollout web-prod -n apps -o jsonpath='{.metadata.resourceVersion}')
expect_exit "rollout abort --stage shop/prodd: refused (Kargo has no such Stage)" 1 \
    env FREIGHTDECK_CONFIG="$d/typo-stage.yaml" timeout 60 "$FD_BIN" rollout abort --stage shop/prodd
expect_match "the refusal names the Stages Kargo has" \
    'Stage shop/prodd is not in the Kargo cluster \(context kargo; its Stages: prod, qa\); nothing was sent' "$err"
expect_match "and the config entry's file:line:col" \
    'warning: .*typo-stage\.yaml:10:5: Stage shop/prodd is not in the Kargo cluster' "$err"
expect_eq "kubectl (workload): web-prod untouched" "$before" \
    "$(kw get rollout web-prod -n apps -o jsonpath='{.metadata.resourceVersion}')"
expect_exit "get rollouts with that file still lists" 0 \
    env FREIGHTDECK_CONFIG="$d/typo-stage.yaml" timeout 60 "$FD_BIN" get rollouts -p shop
expect_match "get rollouts warns about the entry" \
    'warning: .*typo-stage\.yaml:10:5: Stage shop/prodd is not in the Kargo cluster \(its Stages: prod, qa\)' "$err"

export FREIGHTDECK_CONFIG="$d/typo-stage.yaml"
console typo-stage <<'S'
S
export FREIGHTDECK_CONFIG="$d/config.yaml"
shows typo-stage 'typo-stage\.yaml:10:5: Stage shop/prodd is not in the Kargo cluster'

# --context of get rollouts: that context's Rollouts; the namespace shown.
expect_exit "get rollouts -p shop --context workload" 0 fd get rollouts -p shop --context workload
expect_match "the workload cluster's Rollout, with its namespace" \
    '^prod +workload +apps +web-prod ' "$out"
expect_exit "get rollouts -p shop (per Stage)" 0 fd get rollouts -p shop
expect_match "per Stage: prod's namespace apps" '^prod +workload +apps +web-prod ' "$out"
expect_match "per Stage: qa's namespace shop" '^qa +kargo +shop +shop-qa ' "$out"

# ---- the console acts on the workload cluster ----------------------------------------
kargo_rollouts() { kk get rollouts -n shop -o jsonpath='{range .items[*]}{.metadata.name}={.metadata.resourceVersion};{end}'; }
before=$(kargo_rollouts)
console abort-prod <<'S'
jjj<Enter>Aprod<Enter>
@until rollout-abort: done (HTTP 200)
S
shows abort-prod 'rollout-abort: done \(HTTP 200\)'
expect_eq "console: kubectl (workload) web-prod aborted" "true" \
    "$(kw get rollout web-prod -n apps -o jsonpath='{.status.abort}')"
expect_eq "console: kubectl (kargo) no Rollout of the Kargo cluster changed" "$before" \
    "$(kargo_rollouts)"
expect_match "console: the audit line names the workload context" '"context":"workload","action":"rollout-abort|"context":"workload".*abort' \
    "$(tail -1 "${XDG_STATE_HOME:-$HOME/.local/state}/freightdeck/audit.log")"

# ---- the console loses the workload cluster ----------------------------------------------
cat >"$d/lost.script" <<S
@until kargo ✔ live  workload ✔ live
:dump $d/live.screen
@until workload ⚠
jjj<Enter>
@until in context workload
:dump $d/lost.screen
A
@until from the cache
:dump $d/lostdlg.screen
S
FREIGHTDECK_NO_DISPLAY=1 LINES=40 COLUMNS=140 timeout "$(scaled 60)" "$FD_BIN" console --project shop \
    --now 2026-01-01T12:00:00Z --frame-ms 1 --script "$d/lost.script" >"$d/lost.out" 2>&1 &
cpid=$!
await 60 test -s "$d/live.screen"
shows live 'kargo . live +workload . live'
kill "$wpid"; wait "$wpid" 2>/dev/null; wpid=
wait "$cpid"
expect_eq "the console ran to its end (input never froze)" "0" "$?"
shows lost 'kargo . live +workload . (stale|reconnecting)'
shows lost 'ROLLOUTS +in context workload +. (stale|reconnecting)'
shows lost 'web-prod'
# A dialog aimed at the lost cluster warns before sending (issue 12.21).
shows lostdlg 'context workload is (stale|reconnecting).*: the state and RBAC below are from the cache'
shows lostdlg 'RBAC: patch rollouts/status: (allowed \(cached\)|unknown \(context not live\))'

# ---- a lost workload cluster ----------------------------------------------------------
expect_exit "get rollouts with the workload cluster gone exits 3" 3 fd get rollouts -p shop
expect_match "the Kargo side is still listed" 'qa +kargo +shop +shop-qa' "$out"
expect_match "the lost cluster is named" 'Stage prod: context workload: ' "$err"
expect_exit "rollout abort --stage prod: unreachable exits 3" 3 fd rollout abort --stage shop/prod

done_testing

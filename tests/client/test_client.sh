#!/bin/sh
# tests/client/test_client.sh: the one-shot commands and the live client
# against `freightdeck sim` over HTTPS: token, client-certificate and
# exec-plugin credentials; every action checked in the sim's state and with
# kubectl; RBAC refusals with the server's words; the audit log; --readonly.
. "$FD_TOP_SRCDIR/tests/lib/tap.sh"
. "$FD_TOP_SRCDIR/tests/sim/scenario_lib.sh"

seed="$FD_TOP_SRCDIR/tests/client/seed.yaml"
sim_start --scenario none --load "$seed" || { echo "Bail out! sim did not start"; exit 1; }
fd() { timeout "$(scaled 60)" "$FD_BIN" "$@"; }
jf() { k get "$@" -o json; }
audit="$XDG_STATE_HOME/freightdeck/audit.log"
[ -n "$XDG_STATE_HOME" ] || audit="$HOME/.local/state/freightdeck/audit.log"

# A kubeconfig per user: the sim writes alice's (admin); viewer and promoter
# are the same with another token.
sed 's/token: admintoken/token: viewertoken/' "$d/kubeconfig" >"$d/viewer.yaml"
sed 's/token: admintoken/token: promotertoken/' "$d/kubeconfig" >"$d/promoter.yaml"

# ---- get ---------------------------------------------------------------------
expect_exit "get stages exits 0" 0 fd get stages -p shop
expect_match "get stages: phase, health, current Freight by alias, verification" \
    'qa +Unknown +Healthy +brave-bear +Running' "$out"
expect_exit "get pipeline exits 0" 0 fd get pipeline -p shop
expect_match "pipeline: prod is downstream of qa" 'Stage/prod +qa ' "$out"
expect_exit "get freight -o json" 0 fd get freight -p shop -o json
expect_eq "json: three Freight, aliases" "brave-bear calm-cat old-owl" \
    "$(printf '%s' "$out" | python3 -c 'import json,sys; print(" ".join(sorted(x["alias"] for x in json.load(sys.stdin))))')"
expect_exit "get rollouts" 0 fd get rollouts -n shop
expect_match "rollouts: shop-prod at step 1/4, weight 25" 'shop-prod +Paused +1/4 +25' "$out"
expect_exit "get with a bad -o is a usage error" 2 fd get stages -o xml
expect_exit "get nothing-like is a usage error" 2 fd get widgets

# ---- approve -------------------------------------------------------------------
# approvedAt is the time of sending, as Kargo's API server stamps it when it
# handles the approval: the plan says so, the output and the audit log have
# the value sent, and it is the one the server holds.
expect_exit "approve --dry-run" 0 fd approve brave-bear --stage prod -n shop --dry-run
expect_match "dry run: approvedAt is the time of sending, said so" \
    '"approvedAt":"<the time of sending>"' "$out"
t0=$(date -u +%s)
expect_exit "approve by alias" 0 fd approve brave-bear --stage prod -n shop --yes
t1=$(date -u +%s)
at=$(k get freight f-api-1 -n shop -o jsonpath='{.status.approvedFor.prod.approvedAt}')
expect_time_within "approvedAt on the server is the time the command sent it" "$at" "$t0" "$t1"
expect_match "approve says what it set, with the time sent" \
    "status.approvedFor.prod.approvedAt = $at\$" "$(printf '%s\n' "$out" | sed -n 2p)"
expect_eq "approve prints the body exactly as sent" \
    "  sent {\"status\":{\"approvedFor\":{\"prod\":{\"approvedAt\":\"$at\"}}}}" \
    "$(printf '%s\n' "$out" | sed -n 3p)"
expect_eq "the audit log has the body exactly as sent" \
    "{\"status\":{\"approvedFor\":{\"prod\":{\"approvedAt\":\"$at\"}}}}" \
    "$(grep '"action":"approve"' "$audit" | tail -n 1 | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["request"]["body"], separators=(",", ":")))' 2>&1)"
expect_match "kubectl sees approvedFor.prod" '"prod"' \
    "$(k get freight f-api-1 -n shop -o jsonpath='{.status.approvedFor}')"
expect_exit "approve Freight of an origin prod does not request: refused" 1 \
    fd approve calm-cat --stage prod -n shop
expect_match "the refusal names the origin check" 'Stage prod requests Freight from Warehouse/web' "$err"
expect_eq "nothing was sent for the refused approval" "" \
    "$(k get freight f-web-1 -n shop -o jsonpath='{.status.approvedFor}')"
expect_exit "viewer: approve refused client-side (RBAC review)" 1 \
    fd approve brave-bear --stage qa -n shop --kubeconfig "$d/viewer.yaml"
expect_match "viewer: the RBAC check is named" 'RBAC: you may not patch freights/status in shop' "$err"
expect_exit "viewer with --force: the server refuses (403)" 1 \
    fd approve brave-bear --stage qa -n shop --kubeconfig "$d/viewer.yaml" --force
expect_match "viewer: the server's message verbatim" \
    'refused by the server \(HTTP 403\): .*User "carol" cannot patch resource "freights/status"' "$err"

# ---- promote -------------------------------------------------------------------
expect_exit "promote Freight not verified upstream: refused" 1 \
    fd promote calm-cat --stage qa -n shop
expect_match "the availability check explains" 'not requested|Stage qa requests Freight from Warehouse/web' "$err"
expect_exit "promote approved Freight" 0 fd promote brave-bear --stage prod -n shop --yes
created=$(printf '%s\n' "$out" | sed -n 's/^  created //p')
expect_match "the created Promotion's name is reported" '^(prod\.[0-9a-z]+\.f-api-1|promo-[0-9a-z]+)$' "$created"
expect_eq "kubectl: the reported Promotion exists" "prod" \
    "$(k get promotion "$created" -n shop -o jsonpath='{.spec.stage}')"
expect_eq "kubectl: one Promotion for prod, freight f-api-1" "f-api-1" \
    "$(k get promotions -n shop -o jsonpath='{range .items[?(@.spec.stage=="prod")]}{.spec.freight}{"\n"}{end}')"

# ---- verify / abort / refresh ------------------------------------------------------
expect_exit "reverify while qa's verification runs: refused" 1 fd verify qa -n shop
expect_match "reverify refusal names the running verification" 'v-qa-running is Running' "$err"
expect_exit "abort qa's running verification" 0 fd verify qa --abort -n shop
expect_match "kubectl: abort annotation = the verification's ID" 'v-qa-running' \
    "$(k get stage qa -n shop -o jsonpath='{.metadata.annotations.kargo\.akuity\.io/abort}')"
expect_exit "reverify prod's finished verification" 0 fd verify prod -n shop --yes
expect_match "kubectl: reverify annotation = the ID" 'v-prod-done' \
    "$(k get stage prod -n shop -o jsonpath='{.metadata.annotations.kargo\.akuity\.io/reverify}')"
expect_exit "refresh warehouse api" 0 fd refresh warehouse api -n shop
expect_match "kubectl: refresh annotation is a timestamp" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T' \
    "$(k get warehouse api -n shop -o jsonpath='{.metadata.annotations.kargo\.akuity\.io/refresh}')"
expect_exit "refresh stage qa" 0 fd refresh stage qa -n shop
expect_exit "refresh a missing Warehouse: refused" 1 fd refresh warehouse nope -n shop
expect_exit "refresh with a bad kind: usage" 2 fd refresh project shop

# ---- rollouts ----------------------------------------------------------------------
expect_exit "rollout promote shop-prod" 0 fd rollout promote shop-prod -n shop --yes
expect_eq "kubectl: pause conditions cleared (the controller advances the step)" "1:" \
    "$(k get rollout shop-prod -n shop -o jsonpath='{.status.currentStepIndex}:{.status.pauseConditions}')"
expect_exit "rollout retry of a Rollout not aborted: refused" 1 fd rollout retry shop-prod -n shop
expect_exit "rollout abort shop-prod" 0 fd rollout abort shop-prod -n shop --yes
expect_eq "kubectl: status.abort true" "true" \
    "$(k get rollout shop-prod -n shop -o jsonpath='{.status.abort}')"
expect_exit "rollout retry shop-qa" 0 fd rollout retry shop-qa -n shop
expect_eq "kubectl: shop-qa abort false" "false" \
    "$(k get rollout shop-qa -n shop -o jsonpath='{.status.abort}')"
expect_exit "rollout promote --full shop-qa" 0 fd rollout promote --full shop-qa -n shop
expect_eq "kubectl: promoteFull true" "true" \
    "$(k get rollout shop-qa -n shop -o jsonpath='{.status.promoteFull}')"
expect_exit "promoter may abort a Rollout" 0 fd rollout abort shop-qa -n shop --kubeconfig "$d/promoter.yaml"
expect_exit "viewer may not" 1 fd rollout abort shop-qa -n shop --kubeconfig "$d/viewer.yaml"

# ---- readonly, dry-run, audit -------------------------------------------------------
lines=$(wc -l <"$audit")
expect_exit "--readonly refuses with exit 1" 1 fd rollout abort shop-prod -n shop --readonly
expect_match "--readonly says so" 'read-only' "$err"
expect_exit "--dry-run prints the request" 0 fd approve old-owl --stage prod -n shop --dry-run
expect_match "--dry-run shows method, path and body" \
    'PATCH /apis/kargo.akuity.io/v1alpha1/namespaces/shop/freights/f-api-0/status' "$out"
expect_eq "neither --readonly nor --dry-run wrote to the audit log" "$lines" "$(wc -l <"$audit")"
expect_eq "audit: one JSON line per request sent, with user and result" \
    "alice approve PATCH 200 ok" \
    "$(head -1 "$audit" | python3 -c 'import json,sys; a=json.loads(sys.stdin.readline()); print(a["user"], a["action"], a["request"]["method"], a["result"]["status"], a["result"]["outcome"])')"
expect_match "audit: the viewer's 403 is recorded with the server's message" \
    '"user":"alice".*|"outcome":"refused".*cannot patch' "$(grep '"status":403' "$audit")"

# ---- unreachable -------------------------------------------------------------------
sed "s#server: .*#server: https://127.0.0.1:1#" "$d/kubeconfig" >"$d/dead.yaml"
expect_exit "an unreachable cluster exits 3" 3 fd get stages -n shop --kubeconfig "$d/dead.yaml"
expect_exit "an action on an unreachable cluster exits 3" 3 \
    fd refresh stage qa -n shop --kubeconfig "$d/dead.yaml"

# ---- more simulators: exec plugin, client certificate, scenario, faults ----------------
pids=
cleanup_all() {
    for p in $pids; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
    cleanup
}
trap cleanup_all EXIT
# sim2 NAME ARGS...: another sim, its URL in $url2, its kubeconfig $d/NAME.yaml
sim2() {
    _n=$1; shift
    "$FD_BIN" sim --tls-cert "$d/srv.crt" --tls-key "$d/srv.key" --tls-ca "$d/ca.crt" \
        --kubeconfig-out "$d/$_n.yaml" "$@" >"$d/$_n.out" 2>"$d/$_n.err" &
    _p=$!
    pids="$pids $_p"
    eval "pid_$_n=$_p"
    await 20 grep -q '^listening on ' "$d/$_n.out" 2>/dev/null
    url2=$(sed -n 's/^listening on //p' "$d/$_n.out")
    [ -n "$url2" ]
}
ca=$(sed -n 's/^ *certificate-authority-data: //p' "$d/kubeconfig")

# The exec plugin prints tok-1, tok-2, ...: the sim knows the first ones.
printf 'tok-1 dave admin\ntok-2 dave admin\ntok-3 dave admin\ntok-4 dave admin\n' >"$d/plugtokens"
sim2 plug --listen 127.0.0.1:0 --scenario none --load "$seed" --tokens "$d/plugtokens"
mkdir -p "$d/plugin"
cat >"$d/exec.yaml" <<EOK
apiVersion: v1
kind: Config
clusters:
- name: sim
  cluster: {server: "$url2", certificate-authority-data: "$ca"}
users:
- name: dave
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: sh
      args: ["$FD_TOP_SRCDIR/tests/kube/exec-plugin.sh", "token"]
      env: [{name: PLUGIN_STATE, value: "$d/plugin"}]
      interactiveMode: Never
contexts:
- name: plug
  context: {cluster: sim, user: dave, namespace: shop}
current-context: plug
EOK
expect_exit "exec plugin: get stages" 0 fd get stages --kubeconfig "$d/exec.yaml"
expect_match "exec plugin: the Stages listed" 'prod +Unknown' "$out"
expect_exit "exec plugin: an action" 0 fd refresh stage prod --yes --kubeconfig "$d/exec.yaml"
expect_match "exec plugin: the audit names the plugin's user" '"user":"dave","context":"plug"' \
    "$(tail -1 "$audit")"

# Client certificate: the sim (no tokens: everyone is admin) gets the
# certificate in the TLS handshake; the kubeconfig has no token at all.
sh "$FD_TOP_SRCDIR/tests/kube/gen-certs.sh" "$d/pki" >/dev/null 2>&1
sim2 cert --listen 127.0.0.1:0 --scenario none --load "$seed"
cat >"$d/cert.yaml" <<EOK
apiVersion: v1
kind: Config
clusters:
- name: sim
  cluster: {server: "$url2", certificate-authority-data: "$ca"}
users:
- name: ops
  user: {client-certificate: "$d/pki/client.pem", client-key: "$d/pki/client.key"}
contexts:
- name: cert
  context: {cluster: sim, user: ops, namespace: shop}
current-context: cert
EOK
expect_exit "client certificate: get freight" 0 fd get freight --kubeconfig "$d/cert.yaml"
expect_match "client certificate: Freight listed" 'f-api-1 +brave-bear' "$out"
sed "s#client-key: .*#client-key: \"$d/pki/wrongca.key\"}#" "$d/cert.yaml" >"$d/badcert.yaml"
expect_exit "a key that does not match the certificate: unreachable (TLS)" 3 \
    fd get freight --kubeconfig "$d/badcert.yaml"

# promote --wait follows a real (emulated) Promotion and verification.
sim2 pay --listen 127.0.0.1:0 --scenario payments --speed 60
wait_for "payments: Freight reaches staging" 60 'staging' \
    "$FD_BIN" get freight -p payments --kubeconfig "$d/pay.yaml"
fr=$("$FD_BIN" get freight -p payments --kubeconfig "$d/pay.yaml" -o json |
    python3 -c 'import json,sys; print([x["name"] for x in json.load(sys.stdin) if x["in"] and "staging" in x["in"]][0])')
"$FD_BIN" approve "$fr" --stage prod --yes -n payments --kubeconfig "$d/pay.yaml" >/dev/null 2>&1
# prod's canary stops at `pause: {}` (scenarios/payments.yaml): promoted and
# verified is not done while the Rollout waits for a human (issue 12.6).
expect_exit "promote --wait: a canary paused for a human exits 5, not 0" 5 \
    fd promote "$fr" --stage prod --yes -n payments --kubeconfig "$d/pay.yaml" --wait --timeout "$(scaled 50)"
expect_match "--wait: one line per change, through the verification" \
    'Succeeded; verification: Successful' "$out"
expect_match "--wait: the last line names the paused Rollout and its step" \
    'Rollout payments-prod: Paused at step 1/4, waiting for a human to promote it$' "$out"
expect_match "--wait: says what to do" \
    'canary is paused until a human promotes it \(freightdeck rollout promote --stage payments/prod\)' "$err"
# An aborted canary: promoted is not done either; --wait says Degraded, exit 1.
expect_exit "abort prod's canary" 0 \
    fd rollout abort payments-prod -n payments --kubeconfig "$d/pay.yaml" --yes
expect_exit "promote --wait: an aborted (Degraded) canary exits 1" 1 \
    fd promote "$fr" --stage prod --yes -n payments --kubeconfig "$d/pay.yaml" --wait --timeout 50
expect_match "--wait: the line names the Degraded Rollout and why" \
    'Rollout payments-prod: Degraded .*RolloutAborted' "$out"

# ---- the live client: restart on the same port, faults -----------------------------------
probe="$FD_TOP_BUILDDIR/tests/client/probe"
port=$(printf '%s' "$url" | sed 's#.*:##')
expected() { k get "$@" -n shop -o jsonpath='{range .items[*]}{.kind} {.metadata.name} {.metadata.resourceVersion}{"\n"}{end}'; }
server_state() {
    for r in stages freights warehouses promotions rollouts; do expected "$r"; done | sort
}
probe_state() { grep -E '^(Stage|Freight|Warehouse|Promotion|Rollout) ' "$d/dump" | sort; }
"$probe" "$d/kubeconfig" shop "$d/dump" "$(scaled 120)" 2>"$d/probe.err" &
probe_pid=$!
pids="$pids $probe_pid"
wait_for "probe: live after the first lists" 20 '^state live' cat "$d/dump"
wait_for "probe: store equals the server (names and versions)" 20 "^ok$" \
    sh -c "[ \"\$(grep -E '^(Stage|Freight|Warehouse|Promotion|Rollout) ' '$d/dump' | sort)\" = \"$(server_state)\" ] && echo ok"
k annotate stage qa -n shop probe=1 >/dev/null
k delete promotion "$created" -n shop >/dev/null
want=$(server_state)
wait_for "probe: a watched change and a deletion arrive" 20 "^ok$" \
    sh -c "[ \"\$(grep -E '^(Stage|Freight|Warehouse|Promotion|Rollout) ' '$d/dump' | sort)\" = \"$want\" ] && echo ok"
# Kill the sim; the probe must say so, then converge to the restarted
# server (the seed again) on the same port.
kill "$pid"; wait "$pid" 2>/dev/null
wait_for "probe: stale or reconnecting while the server is down" 20 \
    '^state (stale|reconnecting)' cat "$d/dump"
"$FD_BIN" sim --listen "127.0.0.1:$port" --tokens "$d/tokens" --tls-cert "$d/srv.crt" \
    --tls-key "$d/srv.key" --tls-ca "$d/ca.crt" --scenario none --load "$seed" >"$d/out2" 2>&1 &
pid=$!
await 20 grep -q '^listening on ' "$d/out2"
want=$(server_state)
wait_for "probe: converges to the restarted server (deleted Promotion gone, versions new)" 40 "^ok$" \
    sh -c "[ \"\$(grep -E '^(Stage|Freight|Warehouse|Promotion|Rollout) ' '$d/dump' | sort)\" = \"$want\" ] && grep -q '^state live' '$d/dump' && echo ok"
# A frozen server (SIGSTOP: connections stay open, nothing answers) is
# noticed by the liveness probe (1 s + 1 s here; 10 s + 5 s by default):
# the watches are cut and the state leaves live; after SIGCONT it recovers.
kill -STOP "$pid"
wait_for "probe: a frozen server is noticed (liveness probe)" 10 \
    '^state (stale|reconnecting)' cat "$d/dump"
kill -CONT "$pid"
wait_for "probe: live again once the server answers" 30 '^state live' cat "$d/dump"
kill "$probe_pid" 2>/dev/null; wait "$probe_pid" 2>/dev/null

# Faults: watches dropped every 1.5 s, 410s, 5xx and malformed bodies.
sim2 faulty --listen 127.0.0.1:0 --scenario none --load "$seed" \
    --faults drop-watch=1500ms,gone=2500ms,5xx=0.15,malformed=0.1 --seed 7
"$probe" "$d/faulty.yaml" shop "$d/fdump" "$(scaled 60)" 2>"$d/fprobe.err" &
fprobe=$!
pids="$pids $fprobe"
fstate() { grep -E '^(Stage|Freight|Warehouse|Promotion|Rollout) ' "$d/fdump" | awk '{print $1, $2}' | sort; }
seedstate=$(printf '%s\n' "Freight f-api-0" "Freight f-api-1" "Freight f-web-1" \
    "Promotion qa.01j0000000000000000000000.f-api-1" "Rollout shop-prod" "Rollout shop-qa" \
    "Stage prod" "Stage qa" "Warehouse api" "Warehouse web" | sort)
wait_for "faults: the store converges to the seed despite faults" 30 "^ok$" \
    sh -c "[ \"\$(grep -E '^(Stage|Freight|Warehouse|Promotion|Rollout) ' '$d/fdump' | awk '{print \$1, \$2}' | sort)\" = \"$seedstate\" ] && echo ok"
# A change made through the faulty server (retried until it lands) arrives.
delete_f_web_1() { curl -s --max-time "$(scaled 5)" --cacert "$d/ca.crt" -X DELETE \
    "$url2/apis/kargo.akuity.io/v1alpha1/namespaces/shop/freights/f-web-1" | grep -q '"name"'; }
await 20 delete_f_web_1
seedstate=$(printf '%s\n' "$seedstate" | grep -v f-web-1)
wait_for "faults: a deletion arrives through dropped watches and 410s" 30 "^ok$" \
    sh -c "[ \"\$(grep -E '^(Stage|Freight|Warehouse|Promotion|Rollout) ' '$d/fdump' | awk '{print \$1, \$2}' | sort)\" = \"$seedstate\" ] && echo ok"
kill "$fprobe" 2>/dev/null; wait "$fprobe" 2>/dev/null

done_testing

#!/bin/sh
# tests/realstack/test_stack.sh: freightdeck against the real stack (make
# check-real): the real kube-apiserver validating Kargo and Argo Rollouts
# objects by their CRDs, the real Argo Rollouts controller judging analyses
# from a real Prometheus and aborting a canary, freightdeck's one-shots read
# back with the real kubectl, the viewer refused by real RBAC, informers
# surviving an API server restart and a 410 after compaction, the console
# aborting and retrying a Rollout, and
# `freightdeck analyze --replay` agreeing with every run the controller ends.
. "$FD_TOP_SRCDIR/tests/lib/tap.sh"
rsdir="$FD_TOP_SRCDIR/tests/realstack"
. "$rsdir/test_lib.sh"
. "$rsdir/lib.sh" # (rs_nsenter)
S="$FD_SANDBOX/rs"
d="$FD_SANDBOX/t"
mkdir -p "$d"
probe="$FD_TOP_BUILDDIR/tests/client/probe"
probe_pid=
empty_pid=

if [ ! -x "$rsdir/.build/bin/kube-apiserver" ]; then
    echo "1..0 # SKIP the real stack is not built (make realstack)"
    exit 0
fi
cleanup() {
    [ -z "$probe_pid" ] || { kill "$probe_pid" 2>/dev/null; wait "$probe_pid" 2>/dev/null; }
    [ -z "$empty_pid" ] || { kill "$empty_pid" 2>/dev/null; wait "$empty_pid" 2>/dev/null; }
    "$rsdir/down" "$S" >"$d/down.out" 2>&1
}
trap cleanup EXIT
trap 'exit 1' INT TERM

stack_up
kv() { timeout 60 "$kubectl" --kubeconfig "$KUBECONFIG_VIEWER" --request-timeout=30s "$@"; }
fd() { timeout 90 "$FD_BIN" "$@"; }
op() { _c=$1; shift; fd "$_c" "$@" -n payments --kubeconfig "$KUBECONFIG_OPERATOR"; }

# ---- the stack itself ------------------------------------------------------------
expect_match "kubectl is the one built from k8s.io/kubernetes v1.34.5" 'v1\.34\.5' \
    "$("$kubectl" version --client 2>&1)"
expect_match "the server is kube-apiserver v1.34.5" 'Server Version: v1\.34\.5' "$(k version 2>&1)"
pids=$(cat "$S"/pids/*.pid | tr '\n' '|' | sed 's/|$//')
listeners=$(ss -Htlnp 2>/dev/null | grep -E "pid=($pids)," | awk '{print $4}' | sort -u)
expect_eq "every process of the stack listens on 127.0.0.1 only" "" \
    "$(printf '%s\n' "$listeners" | grep -v '^127\.0\.0\.1:' | grep -v '^$')"
expect_match "Kargo v1.11.2 and Argo Rollouts CRDs are served" \
    'promotiontasks.kargo.akuity.io.*rollouts.argoproj.io|rollouts.argoproj.io.*promotiontasks' \
    "$(k get crd -o name | tr '\n' ' ')"

# ---- the seed through the real API server (CRD schemas, CEL rules) ---------------
apply_seed
printf 'apiVersion: kargo.akuity.io/v1alpha1\nkind: Stage\nmetadata: {name: bad, namespace: payments}\nspec: {}\n' >"$d/bad-stage.yaml"
expect_exit "a Stage with spec: {} is refused by the CRD schema" 1 k create -f "$d/bad-stage.yaml"
expect_match "the refusal names the field" 'requestedFreight|spec' "$err"
diag "server said: $err"
printf 'apiVersion: argoproj.io/v1alpha1\nkind: AnalysisTemplate\nmetadata: {name: bad, namespace: payments}\nspec:\n  args: [{name: port, value: 9090}]\n  metrics: [{name: m, provider: {prometheus: {address: "http://x", query: up}}}]\n' >"$d/bad-at.yaml"
expect_exit "an AnalysisTemplate arg value given as an integer is refused" 1 k create -f "$d/bad-at.yaml"
expect_match "the refusal names spec.args[0].value" 'args\[0\]\.value' "$err"
printf 'apiVersion: kargo.akuity.io/v1alpha1\nkind: Warehouse\nmetadata: {name: bad, namespace: payments}\nspec:\n  subscriptions: [{image: {repoURL: ghcr.io/x/y}}]\n  bogusField: 1\n' >"$d/bad-wh.yaml"
expect_exit "an unknown field is refused with --validate=strict" 1 k create --validate=strict -f "$d/bad-wh.yaml"
expect_match "the refusal names the unknown field" 'bogusField' "$err"
wait_for "Rollout payments-staging: Healthy with 5 pods Ready on kwok's nodes" 180 '^Healthy 5$' \
    jp rollout payments-staging '{.status.phase} {.status.readyReplicas}'

# ---- Freight, and what Kargo's controller would write ------------------------------
# No Kargo controller runs (its module cannot be built here: doc/realstack.md).
# The test creates Freight as the Warehouse would and writes the status
# Kargo would; the verifications are real AnalysisRuns judged by the real
# Argo Rollouts controller.
good=$(sha 1.4.0)
bad=$(sha 1.5.0)
freight 1.4.0 good-gopher >"$d/f1.yaml"
freight 1.5.0 bad-badger >"$d/f2.yaml"
expect_exit "Freight for 1.4.0 and 1.5.0 pass the CRD schema" 0 k create -f "$d/f1.yaml" -f "$d/f2.yaml"
expect_eq "kubectl: both Freight exist" "bad-badger good-gopher" \
    "$(k get freight -n payments -o jsonpath='{.items[*].alias}' | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')"

# replay_agrees NAME RUN: the stored run replayed by freightdeck gives the
# controller's phase and message.
replay_agrees() {
    k get analysisrun "$2" -n payments -o json >"$d/$2.json"
    # (a NUL byte of the controller's message as freightdeck writes it: U+2400)
    _want=$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["status"]; print(s["phase"], "|", (s.get("message") or "").replace("\0", "\u2400"))' "$d/$2.json")
    "$FD_BIN" analyze --replay "$d/$2.json" -o json >"$d/$2.replay" 2>"$d/$2.replay.err"
    _got=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r.get("phase"), "|", r.get("message") or "")' "$d/$2.replay" 2>&1)
    expect_eq "$1: analyze --replay gives the controller's phase and message" "$_want" "$_got"
}

setrate payments-staging 0.00
run=$(verification staging "$good" success-rate-check)
expect_match "Kargo's verification run of 1.4.0 in staging is created" '^staging\.' "$run"
wait_for "the real controller judges it Successful" 180 '^Successful$' jp analysisrun "$run" '{.status.phase}'
replay_agrees "verification of 1.4.0" "$run"

now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
k patch freight "$good" -n payments --subresource=status --type=merge -p \
    "{\"status\":{\"verifiedIn\":{\"dev\":{},\"staging\":{}},\"currentlyIn\":{\"staging\":{\"since\":\"$now\"}}}}" >/dev/null
k patch stage staging -n payments --subresource=status --type=merge -p "{\"status\":{
  \"freightHistory\":[{\"id\":\"c-$good\",\"items\":{\"Warehouse/payments-warehouse\":{\"name\":\"$good\",\"origin\":{\"kind\":\"Warehouse\",\"name\":\"payments-warehouse\"}}},
    \"verificationHistory\":[{\"id\":\"v-$run\",\"phase\":\"Successful\",\"analysisRun\":{\"name\":\"$run\",\"namespace\":\"payments\",\"phase\":\"Successful\"},\"startTime\":\"$now\",\"finishTime\":\"$now\"}]}],
  \"health\":{\"status\":\"Healthy\"}}}" >"$d/patch.out" 2>&1
expect_eq "the Stage status Kargo would write passes the CRD schema" "0" "$?"

# ---- one-shots as the operator, read back with kubectl -----------------------------------
expect_exit "get stages" 0 op get stages
expect_match "get stages: staging holds good-gopher" 'staging .*good-gopher' "$out"
expect_exit "get freight -o json" 0 op get freight -o json
expect_eq "get freight: both aliases, good-gopher verified in dev and staging" \
    "bad-badger - good-gopher dev,staging" \
    "$(printf '%s' "$out" | python3 -c 'import json,sys; print(" ".join("%s %s" % (f["alias"], ",".join(f["verified_in"]) or "-") for f in sorted(json.load(sys.stdin), key=lambda f: f["alias"])))')"
expect_exit "approve good-gopher for prod" 0 op approve good-gopher --stage prod --yes
expect_match "kubectl: status.approvedFor.prod" 'prod' "$(jp freight "$good" '{.status.approvedFor}')"
# Kargo's mutating webhook (pkg/webhook/kubernetes/promotion/webhook.go,
# Default) fills a new Promotion's spec.steps and spec.vars from its Stage's
# promotionTemplate and names it; the CRD requires spec.steps. No webhook runs
# here, so the real server refuses freightdeck's Promotion as sent, and the
# test then creates it as the webhook would have completed it.
expect_exit "promote good-gopher to prod: without Kargo's webhook the CRD refuses it" 1 \
    op promote good-gopher --stage prod --yes
expect_match "the refusal is the CRD's: spec.steps required" 'HTTP 422.*spec\.steps: Required value' "$err"
body=$(printf '%s\n' "$err" | sed -n 's#^  POST /apis/kargo.akuity.io/v1alpha1/namespaces/payments/promotions ##p')
expect_eq "freightdeck sent stage and freight, as Kargo's webhook expects" "prod $good" \
    "$(printf '%s' "$body" | python3 -c 'import json,sys; s=json.load(sys.stdin)["spec"]; print(s["stage"], s["freight"])' 2>&1)"
k get stage prod -n payments -o json >"$d/prod.json"
printf '%s' "$body" | python3 -c '
import json, sys
promo = json.load(sys.stdin)
stage = json.load(open(sys.argv[1]))["spec"]
tmpl = stage["promotionTemplate"]["spec"]
promo["spec"]["steps"] = tmpl["steps"]
promo["spec"]["vars"] = stage.get("vars", []) + tmpl.get("vars", [])
print(json.dumps(promo))' "$d/prod.json" >"$d/promo.json"
created=$(timeout 60 "$kubectl" --kubeconfig "$KUBECONFIG_OPERATOR" create -f "$d/promo.json" -o name 2>"$d/promo.err" | sed 's#.*/##')
expect_match "the Promotion as Kargo's webhook completes it is created (as the operator)" '^promo-' "$created"
diag "$(cat "$d/promo.err")"
expect_eq "kubectl: the Promotion is for prod and good-gopher's Freight, with prod's steps" \
    "prod $good git-clone kustomize-set-image git-commit git-push" \
    "$(jp promotion "$created" '{.spec.stage} {.spec.freight} {.spec.steps[*].uses}')"
expect_exit "verify staging (reverify its finished verification)" 0 op verify staging
# Kargo's VerificationRequest as JSON: the id, and the actor as the console writes it.
expect_eq "kubectl: the reverify annotation names the verification and the actor" "v-$run operator" \
    "$(jp stage staging '{.metadata.annotations.kargo\.akuity\.io/reverify}' |
        python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["id"], r["actor"])' 2>&1)"
expect_exit "refresh warehouse payments-warehouse" 0 op refresh warehouse payments-warehouse
expect_match "kubectl: refresh annotation is a timestamp" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T' \
    "$(jp warehouse payments-warehouse '{.metadata.annotations.kargo\.akuity\.io/refresh}')"

# ---- the viewer: real RBAC --------------------------------------------------------------
expect_exit "viewer: kubectl may read stages" 0 kv get stages -n payments
expect_exit "viewer: approve refused before sending (SelfSubjectAccessReview)" 1 \
    fd approve good-gopher --stage staging -n payments --kubeconfig "$KUBECONFIG_VIEWER"
expect_match "viewer: the review's answer is named" 'may not patch freights/status' "$err"
expect_exit "viewer with --force: the real server refuses" 1 \
    fd approve good-gopher --stage staging -n payments --kubeconfig "$KUBECONFIG_VIEWER" --force
expect_match "viewer: the server's words, verbatim" \
    'HTTP 403.*User "viewer" cannot patch resource "freights/status" in API group "kargo.akuity.io" in the namespace "payments"' "$err"
diag "viewer --force: $err"
expect_exit "viewer: rollout abort refused" 1 \
    fd rollout abort payments-staging -n payments --kubeconfig "$KUBECONFIG_VIEWER"

# ---- Kargo's functions in verification args, read from the real API server ----
# What a Kargo controller would hand its expression functions: the Stage's
# current Freight (status), its Warehouse, a ConfigMap and a Secret of the
# project, all through the real API server and its RBAC.
k apply -f - >"$d/fn.out" 2>&1 <<'Y'
apiVersion: v1
kind: ConfigMap
metadata: {name: verification-args, namespace: payments}
data: {service: payments}
---
apiVersion: v1
kind: Secret
metadata: {name: prom-auth, namespace: payments}
stringData: {token: hunter2}
---
apiVersion: kargo.akuity.io/v1alpha1
kind: Stage
metadata: {name: fn-check, namespace: payments}
spec:
  requestedFreight:
  - origin: {kind: Warehouse, name: payments-warehouse}
    sources: {direct: true}
  promotionTemplate:
    spec:
      steps:
      - uses: git-clone
        config: {repoURL: "file:///srv/git/payments-deploy.git"}
  verification:
    analysisTemplates:
    - name: success-rate-check
    args:
    - name: service-name
      value: ${{ configMap('verification-args').service }}-${{ imageFrom('ghcr.io/example/payments').Tag }}
---
apiVersion: kargo.akuity.io/v1alpha1
kind: Stage
metadata: {name: fn-secret, namespace: payments}
spec:
  requestedFreight:
  - origin: {kind: Warehouse, name: payments-warehouse}
    sources: {direct: true}
  promotionTemplate:
    spec:
      steps:
      - uses: git-clone
        config: {repoURL: "file:///srv/git/payments-deploy.git"}
  verification:
    analysisTemplates:
    - name: success-rate-check
    args:
    - name: service-name
      value: ${{ secret('prom-auth').token }}
Y
expect_eq "the ConfigMap, Secret and Stages are created" 0 "$?"
diag "$(cat "$d/fn.out")"
for st in fn-check fn-secret; do
    k patch stage "$st" -n payments --subresource=status --type=merge -p '{"status":{
  "freightHistory":[{"id":"c-fn","items":{"Warehouse/payments-warehouse":{"name":"fn0000",
  "origin":{"kind":"Warehouse","name":"payments-warehouse"},
  "images":[{"repoURL":"ghcr.io/example/payments","tag":"9.9.9"}]}}}]}}' >/dev/null
done
dead_prom="http://127.0.0.1:9"
expect_exit "analyze --stage: configMap() and imageFrom() read through the API server" 2 \
    fd analyze --stage payments/fn-check --kubeconfig "$KUBECONFIG_ADMIN" --prometheus "$dead_prom"
expect_match "the arg is the ConfigMap's value and the Freight's tag" 'args: service-name=payments-9\.9\.9\)' "$out"
expect_exit "analyze --stage: secret() read as admin" 2 \
    fd analyze --stage payments/fn-secret --kubeconfig "$KUBECONFIG_ADMIN" --prometheus "$dead_prom"
expect_match "secret(): the arg shows redacted" 'args: service-name=<redacted>\)' "$out"
expect_eq "secret(): its value is nowhere in the output" "" "$(printf '%s%s' "$out" "$err" | grep -o hunter2)"
expect_exit "viewer: secret() is refused by the real RBAC" 2 \
    fd analyze --stage payments/fn-secret --kubeconfig "$KUBECONFIG_VIEWER" --prometheus "$dead_prom"
expect_match "viewer: Kargo's words and the server's" \
    'evaluate argument "service-name": failed to get secret prom-auth: .*secrets "prom-auth" is forbidden' "$err"
diag "viewer secret(): $err"
k delete stage fn-check fn-secret -n payments >/dev/null

# The console, scripted (no terminal), as the operator.
console() { # NAME KEYS TEXT: the screen once TEXT shows after the keys is in $d/NAME.screen
    printf '%s\n@until %s\n:dump %s\n' "$2" "$3" "$d/$1.screen" >"$d/$1.script"
    FREIGHTDECK_NO_DISPLAY=1 LINES=${CONSOLE_LINES:-40} COLUMNS=120 FREIGHTDECK_THEMES_DIR="$FD_TOP_SRCDIR/themes" \
        timeout 90 "$FD_BIN" console --kubeconfig "$KUBECONFIG_OPERATOR" --project payments \
        --frame-ms 1 --script "$d/$1.script" >"$d/$1.out" 2>&1
    _rc=$?
    expect_eq "console $1: exits 0" "0" "$_rc"
    [ "$_rc" -eq 0 ] || diag "$(cat "$d/$1.out")"
}
screen_has() { # NAME TEXT
    if grep -qF -- "$2" "$d/$1.screen" 2>/dev/null; then tap_ok "console $1: shows '$2'"; else
        tap_not_ok "console $1: shows '$2'"; diag "$(cat "$d/$1.screen" 2>/dev/null)"; fi
}
# ---- the canary, judged by the real Argo Rollouts controller ----------------------------
step() { jp rollout payments-staging '{.status.currentStepIndex} {.status.phase}'; }
k patch rollout payments-staging -n payments --type=merge -p \
    '{"spec":{"template":{"spec":{"containers":[{"name":"payments","image":"ghcr.io/example/payments:1.4.0"}]}}}}' >/dev/null
wait_for "1.4.0: the canary pauses at step 1 (setWeight 20, pause)" 120 '^1 Paused$' step
expect_exit "rollout promote (as the operator)" 0 op rollout promote payments-staging
wait_for "1.4.0: the step analysis passes and the Rollout becomes Healthy" 240 '^5 Healthy$' step
run=$(k get analysisrun -n payments -l rollouts-pod-template-hash -o jsonpath='{range .items[*]}{.metadata.creationTimestamp} {.metadata.name}{"\n"}{end}' | sort | tail -1 | cut -d' ' -f2)
expect_eq "the canary's AnalysisRun is Successful" "Successful" "$(jp analysisrun "$run" '{.status.phase}')"
replay_agrees "canary analysis of 1.4.0" "$run"

setrate payments-staging 0.12
k patch rollout payments-staging -n payments --type=merge -p \
    '{"spec":{"template":{"spec":{"containers":[{"name":"payments","image":"ghcr.io/example/payments:1.5.0"}]}}}}' >/dev/null
wait_for "1.5.0: the canary pauses at step 1" 120 '^1 Paused$' step
expect_exit "rollout promote 1.5.0 into its analysis" 0 op rollout promote payments-staging
wait_for "1.5.0 (12% errors): the controller aborts the canary" 240 '^true Degraded$' \
    jp rollout payments-staging '{.status.abort} {.status.phase}'
images() { k get pods -n payments -l app=payments-staging -o jsonpath='{range .items[*]}{.metadata.deletionTimestamp}{.spec.containers[0].image}{"\n"}{end}' | sort | uniq -c | awk '{print $2 "=" $1}' | tr '\n' ' '; }
wait_for "kubectl: back to 5 pods of 1.4.0, the canary's scaled away" 120 '^ghcr.io/example/payments:1.4.0=5 $' images
run=$(k get analysisrun -n payments -l rollouts-pod-template-hash -o jsonpath='{range .items[*]}{.metadata.creationTimestamp} {.metadata.name}{"\n"}{end}' | sort | tail -1 | cut -d' ' -f2)
expect_match "the canary's AnalysisRun Failed on error-rate" \
    '^Failed Metric "error-rate" assessed Failed due to failed \(4\) > failureLimit \(3\)' \
    "$(jp analysisrun "$run" '{.status.phase} {.status.message}')"
replay_agrees "canary analysis of 1.5.0" "$run"
# The Rollout view (issue 12.13) on what the real controller made: every
# ReplicaSet kubectl lists as owned by the Rollout, with its revision
# annotation; the step run that failed, marked as the abort's cause; Enter
# opens it in the run view.
canary_run=$run
CONSOLE_LINES=70 console rollout-aborted 'jjd' 'aborted the Rollout'
k get rs -n payments -o jsonpath='{range .items[*]}{.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name} {.metadata.annotations.rollout\.argoproj\.io/revision} {.metadata.name}{"\n"}{end}' |
    awk '$1 == "Rollout/payments-staging" { print $2, $3 }' >"$d/rs-owned"
expect_match "kubectl: the controller made ReplicaSets for payments-staging" '^[0-9]+ payments-staging-' \
    "$(cat "$d/rs-owned")"
while read -r rev name; do
    if grep -Eq "rev $rev +$name" "$d/rollout-aborted.screen"; then
        tap_ok "console rollout view: ReplicaSet $name, revision $rev"
    else
        tap_not_ok "console rollout view: ReplicaSet $name, revision $rev"
        diag "$(cat "$d/rollout-aborted.screen")"
    fi
done <"$d/rs-owned"
screen_has rollout-aborted "REPLICASETS ($(wc -l <"$d/rs-owned" | tr -d ' '))"
screen_has rollout-aborted "$canary_run"
screen_has rollout-aborted "ghcr.io/example/payments:1.5.0"
CONSOLE_LINES=70 console rollout-run 'jjd<Enter>' 'ANALYSISRUN'
screen_has rollout-run "ANALYSISRUN $canary_run"

# Kargo's verification of 1.5.0 in staging, with the template as amended and as written.
run=$(verification staging "$bad" success-rate-check)
wait_for "Kargo's verification of 1.5.0: the controller says Failed" 180 '^Failed$' \
    jp analysisrun "$run" '{.status.phase}'
replay_agrees "verification of 1.5.0" "$run"
run=$(verification staging "$bad" success-rate-check-as-written)
wait_for "the article's template as written: Inconclusive at 12% errors" 180 '^Inconclusive$' \
    jp analysisrun "$run" '{.status.phase}'
replay_agrees "verification of 1.5.0 (template as written)" "$run"

# ---- a Prometheus that answers 200 with no body -------------------------------------------
# json-iterator's message for it names the NUL byte it found at the end; the
# real controller stores it in the run's status and the real API server keeps
# it as \u0000. freightdeck reads the list holding it, shows the NUL as U+2400
# and replays the run to the controller's phase and message (the first
# version refused the whole list: tests/client/test_nul_text.sh). The server
# runs in the controller's network namespace, where the controller can reach it.
rs_nsenter "$FD_TOP_BUILDDIR/tests/prom/fakeprom" serve empty 900 >"$d/empty.port" 2>"$d/empty.err" &
empty_pid=$!
await 20 test -s "$d/empty.port"
run="empty-answer-$(date +%s)"
k create -f - >/dev/null <<EOF
{"apiVersion": "argoproj.io/v1alpha1", "kind": "AnalysisRun",
 "metadata": {"name": "$run", "namespace": "payments"},
 "spec": {"metrics": [{"name": "success-rate", "count": 1, "consecutiveErrorLimit": 0,
   "successCondition": "result[0] >= 0.95",
   "provider": {"prometheus": {"address": "http://127.0.0.1:$(cat "$d/empty.port")", "query": "up"}}}]}}
EOF
wait_for "an empty Prometheus answer: the controller says Error" 180 '^Error$' \
    jp analysisrun "$run" '{.status.phase}'
expect_match "kubectl: the controller's message holds the NUL, as \\u0000" 'but found \\u0000' \
    "$(k get analysisrun "$run" -n payments -o json)"
replay_agrees "the empty answer's run" "$run"
expect_exit "get analysisruns reads the list that holds it" 0 op get analysisruns -o wide
expect_match "get: the message with the NUL shown as U+2400" \
    "$run .*but found $(printf '\342\220\200'), error found" "$out"
kill "$empty_pid" 2>/dev/null; wait "$empty_pid" 2>/dev/null; empty_pid=

# ---- an integer past int64 --------------------------------------------------------------
# The API server holds an unstructured field's number (a step's config) as a
# float64 and writes it back past int64 (18446744073709551615 as
# 18446744073709552000), which jansson alone refuses: one such Stage made the
# whole list of Stages unreadable to get and to the console (the first
# version: "malformed answer: too big integer").
k create namespace odd-values >/dev/null
k create -f - >/dev/null <<'EOF'
{"apiVersion": "kargo.akuity.io/v1alpha1", "kind": "Stage",
 "metadata": {"name": "big", "namespace": "odd-values"},
 "spec": {"requestedFreight": [{"origin": {"kind": "Warehouse", "name": "w"}, "sources": {"direct": true}}],
   "promotionTemplate": {"spec": {"steps": [{"uses": "fake",
     "config": {"max": 10000000000000000000, "u": 18446744073709551615}}]}}}}
EOF
expect_match "kubectl: the server writes the float64 back past int64" \
    '"config":\{"max":10000000000000000000,"u":18446744073709552000\}' \
    "$(k get --raw /apis/kargo.akuity.io/v1alpha1/namespaces/odd-values/stages)"
expect_exit "get stages reads the list that holds it" 0 fd get stages -n odd-values --kubeconfig "$KUBECONFIG_ADMIN"
expect_match "get: the Stage is listed" '^big ' "$out"
"$probe" "$KUBECONFIG_ADMIN" odd-values "$d/odd.dump" 300 2>"$d/odd.err" &
probe_pid=$!
wait_for "probe: a live client lists and watches it" 60 '^Stage big ' cat "$d/odd.dump"
kill "$probe_pid" 2>/dev/null; wait "$probe_pid" 2>/dev/null; probe_pid=

# ---- rollout retry / abort / promote --full -------------------------------------------
expect_exit "rollout retry (as the operator)" 0 op rollout retry payments-staging
expect_match "kubectl: status.abort cleared" '^(false)?$' "$(jp rollout payments-staging '{.status.abort}')"
wait_for "retry: the controller runs the canary again (paused at step 1)" 120 '^1 Paused$' step
expect_exit "rollout abort (as the operator)" 0 op rollout abort payments-staging
wait_for "kubectl: status.abort true, the controller degrades the Rollout" 120 '^true Degraded$' \
    jp rollout payments-staging '{.status.abort} {.status.phase}'
expect_exit "rollout retry again" 0 op rollout retry payments-staging
wait_for "paused at step 1 again" 120 '^1 Paused$' step
# The console, scripted (no terminal), as the operator: A on staging aborts
# its Rollout, R retries it; the real controller acts on both.
console stage 'jj<Enter>' 'payments-staging'
screen_has stage 'payments-staging'
console abort 'jjA<Enter>' 'done (HTTP 200)'
screen_has abort 'done (HTTP 200)'
wait_for "console abort: kubectl sees status.abort, the controller degrades the Rollout" 120 \
    '^true Degraded$' jp rollout payments-staging '{.status.abort} {.status.phase}'
console retry 'jjR<Enter>' 'done (HTTP 200)'
screen_has retry 'done (HTTP 200)'
wait_for "console retry: the controller runs the canary again (paused at step 1)" 120 '^1 Paused$' step
expect_exit "rollout promote --full" 0 op rollout promote --full payments-staging
wait_for "promote --full: the controller skips the analysis, 1.5.0 is stable" 240 '^5 Healthy$' step
wait_for "kubectl: 5 pods of 1.5.0 and no other" 120 '^ghcr.io/example/payments:1.5.0=5 $' images

# ---- informers: API server restart and 410 Gone after compaction ----------------------
server_state() {
    for r in stages freights warehouses promotions rollouts; do
        k get "$r" -n payments -o jsonpath='{range .items[*]}{.kind} {.metadata.name} {.metadata.resourceVersion}{"\n"}{end}'
    done | sort
}
probe_state() { grep -E '^(Stage|Freight|Warehouse|Promotion|Rollout) ' "$d/dump" 2>/dev/null | sort; }
converged() { [ "$(probe_state)" = "$(server_state)" ] && grep -q '^state live' "$d/dump" && echo ok; }
"$probe" "$KUBECONFIG_OPERATOR" payments "$d/dump" 600 2>"$d/probe.err" &
probe_pid=$!
wait_for "probe: the store equals the server" 120 '^ok$' converged
expect_exit "restart the API server" 0 "$rsdir/restart" "$S" kube-apiserver
diag "$out"
k annotate stage dev -n payments probe=after-restart --overwrite >/dev/null
wait_for "probe: converges after the API server restart" 180 '^ok$' converged
lists_before=$(sed -n 's/^lists //p' "$d/dump")
# Freeze the probe, change things, let compaction pass its resourceVersion:
# on waking its watches resume from a compacted version, the server answers
# 410 Gone, and the informers must list again.
old_rv=$(jp stage prod '{.metadata.resourceVersion}')
kill -STOP "$probe_pid"
"$rsdir/restart" "$S" kube-apiserver >/dev/null 2>&1
k annotate stage prod -n payments probe=after-410 --overwrite >/dev/null
k delete promotion "$created" -n payments >/dev/null
gone() { # a watch from old_rv is now too old for the server
    timeout 10 "$kubectl" --kubeconfig "$KUBECONFIG_ADMIN" get --raw \
        "/apis/kargo.akuity.io/v1alpha1/namespaces/payments/stages?watch=1&resourceVersion=$old_rv&timeoutSeconds=1" 2>&1
}
wait_for "the server answers 410 Gone for the probe's old resourceVersion (compaction)" 120 \
    '"code":410|too old resource version' gone
kill -CONT "$probe_pid"
wait_for "probe: converges after the 410 (deleted Promotion gone, new versions)" 180 '^ok$' converged
expect_match "probe: it listed again" "^[0-9]+$" "$(sed -n 's/^lists //p' "$d/dump")"
lists_after=$(sed -n 's/^lists //p' "$d/dump")
expect_eq "probe: more lists than before the 410" "yes" \
    "$([ "${lists_after:-0}" -gt "${lists_before:-0}" ] && echo yes || echo "no ($lists_before -> $lists_after)")"
kill "$probe_pid" 2>/dev/null; wait "$probe_pid" 2>/dev/null; probe_pid=

# ---- down ----------------------------------------------------------------------------
expect_exit "down stops everything" 0 "$rsdir/down" "$S"
expect_eq "nothing of the stack is left running" "" "$(pgrep -f -- "$S/" || true)"
trap - EXIT
done_testing

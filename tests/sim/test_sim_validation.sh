#!/bin/sh
# tests/sim/test_sim_validation.sh: the sim refuses what a real API server
# with Kargo installed refuses, with the same words. The expected answers are
# the real ones: CRD schema and field validation as kube-apiserver v1.34.5
# answered them to tests/realstack/simdiff (the same requests, byte for byte
# after normalisation), Kargo's webhook rules as Kargo v1.11.2 words them
# (pkg/webhook/kubernetes/{stage,promotiontask,clusterpromotiontask,project},
# relayed as the API server relays a webhook's denial).
. "$FD_TOP_SRCDIR/tests/lib/tap.sh"

if ! command -v curl >/dev/null 2>&1 || ! command -v kubectl >/dev/null 2>&1; then
    echo "1..0 # SKIP curl or kubectl not installed"
    exit 0
fi

d=$(mktemp -d "${TMPDIR:-/tmp}/fd-simval.XXXXXX")
pid=
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; fi
    rm -rf "$d"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

"$FD_BIN" sim --scenario none --listen 127.0.0.1:0 --kubeconfig-out "$d/kubeconfig" \
    >"$d/out" 2>"$d/err" &
pid=$!
i=0
while [ $i -lt 100 ] && ! grep -q '^listening on ' "$d/out" 2>/dev/null; do
    sleep 0.1; i=$((i + 1))
done
url=$(sed -n 's/^listening on //p' "$d/out")
expect_match "the sim listens" '^http://127\.0\.0\.1:[0-9]+$' "$url"
export KUBECONFIG="$d/kubeconfig"

# send METHOD PATH CONTENT-TYPE BODY: prints "CODE MESSAGE"; headers in $d/h
send() {
    printf '%s' "$4" >"$d/body"
    curl -s --max-time 20 -X "$1" -D "$d/h" -o "$d/b" -w '%{http_code}' \
        -H "Content-Type: $3" --data-binary "@$d/body" "$url$2" >"$d/code"
    # The Status's own message: the first "message" (its causes' come after).
    printf '%s %s' "$(cat "$d/code")" \
        "$(grep -o '"message":"\([^"\\]\|\\.\)*"' "$d/b" | head -1 | sed 's/^"message":"//; s/"$//')"
}
K=/apis/kargo.akuity.io/v1alpha1
A=/apis/argoproj.io/v1alpha1
J=application/json
RF='"requestedFreight":[{"origin":{"kind":"Warehouse","name":"w"},"sources":{"direct":true}}]'
stage() { printf '{"apiVersion":"kargo.akuity.io/v1alpha1","kind":"Stage","metadata":{"name":"%s"},"spec":%s}' "$1" "$2"; }
BLOCKED='<nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation'

# kubectl create namespace: kubectl's typed client sends protobuf.
expect_eq "kubectl create namespace" "namespace/plain created" "$(kubectl create namespace plain 2>&1)"
expect_eq "kubectl create namespace again" 'Error from server (AlreadyExists): namespaces "plain" already exists' \
    "$(kubectl create namespace plain 2>&1)"
expect_eq "kubectl auth can-i (a protobuf SelfSubjectAccessReview)" "yes" \
    "$(kubectl auth can-i get stages -n plain 2>&1)"
expect_eq "the namespace is labelled with its name" "plain" \
    "$(kubectl get ns plain -o jsonpath='{.metadata.labels.kubernetes\.io/metadata\.name}')"

# A Project makes its namespace, as Kargo's project webhook does.
expect_eq "create a Project" "201 " "$(send POST $K/projects $J '{"apiVersion":"kargo.akuity.io/v1alpha1","kind":"Project","metadata":{"name":"demo"}}')"
expect_eq "its namespace is labelled and has Kargo's finalizer" "true kargo.akuity.io/finalizer" \
    "$(kubectl get ns demo -o jsonpath='{.metadata.labels.kargo\.akuity\.io/project} {.metadata.finalizers[0]}')"
expect_eq "a Project over a namespace that is not a project's" \
    '409 admission webhook \"project.kargo.akuity.io\" denied the request: Operation cannot be fulfilled on projects.kargo.akuity.io \"plain\": failed to initialize Project \"plain\" because namespace \"plain\" already exists and is not labeled as a Project namespace' \
    "$(send POST $K/projects $J '{"apiVersion":"kargo.akuity.io/v1alpha1","kind":"Project","metadata":{"name":"plain"}}')"

# CRD schema rules (kube-apiserver v1.34.5's answers).
expect_eq "spec: {} (required; CEL rules then not checked)" \
    "422 Stage.kargo.akuity.io \\\"bad\\\" is invalid: [spec.requestedFreight: Required value, $BLOCKED]" \
    "$(send POST $K/namespaces/demo/stages $J "$(stage bad '{}')")"
expect_eq "requestedFreight: [] (minItems)" \
    '422 Stage.kargo.akuity.io \"bad\" is invalid: spec.requestedFreight: Invalid value: 0: spec.requestedFreight in body should have at least 1 items' \
    "$(send POST $K/namespaces/demo/stages $J "$(stage bad '{"requestedFreight":[]}')")"
expect_eq "origin kind Bogus (enum)" \
    "422 Stage.kargo.akuity.io \\\"bad\\\" is invalid: [spec.requestedFreight[0].origin.kind: Unsupported value: \\\"Bogus\\\": supported values: \\\"Warehouse\\\", $BLOCKED]" \
    "$(send POST $K/namespaces/demo/stages $J "$(stage bad '{"requestedFreight":[{"origin":{"kind":"Bogus","name":"w"},"sources":{}}]}')")"
expect_match "the causes of an Invalid Status" \
    '"causes":\[\{"reason":"FieldValueNotSupported","message":"Unsupported value: \\"Bogus\\": supported values: \\"Warehouse\\"","field":"spec.requestedFreight\[0\].origin.kind"\}' \
    "$(cat "$d/b")"
expect_eq "soak time not a duration (pattern)" \
    '422 Stage.kargo.akuity.io \"bad\" is invalid: spec.requestedFreight[0].sources.requiredSoakTime: Invalid value: \"soon\": spec.requestedFreight[0].sources.requiredSoakTime in body should match '"'"'^([0-9]+(\\.[0-9]+)?(s|m|h))+$'"'" \
    "$(send POST $K/namespaces/demo/stages $J "$(stage bad '{"requestedFreight":[{"origin":{"kind":"Warehouse","name":"w"},"sources":{"stages":["up"],"requiredSoakTime":"soon"}}]}')")"
expect_eq "a verification arg value 9090 (type)" \
    "422 Stage.kargo.akuity.io \\\"bad\\\" is invalid: [spec.verification.args[0].value: Invalid value: \\\"integer\\\": spec.verification.args[0].value in body must be of type string: \\\"integer\\\", $BLOCKED]" \
    "$(send POST $K/namespaces/demo/stages $J "$(stage bad "{$RF,\"verification\":{\"analysisTemplates\":[{\"name\":\"t\"}],\"args\":[{\"name\":\"port\",\"value\":9090}]}}")")"
expect_eq "an AnalysisTemplate arg value 9090 (type)" \
    '422 AnalysisTemplate.argoproj.io \"t\" is invalid: spec.args[0].value: Invalid value: \"integer\": spec.args[0].value in body must be of type string: \"integer\"' \
    "$(send POST $A/namespaces/demo/analysistemplates $J '{"apiVersion":"argoproj.io/v1alpha1","kind":"AnalysisTemplate","metadata":{"name":"t"},"spec":{"args":[{"name":"port","value":9090}],"metrics":[{"name":"m","provider":{"prometheus":{"query":"q"}}}]}}')"
expect_eq "a promotion step without uses (CEL rule)" \
    '422 Stage.kargo.akuity.io \"bad\" is invalid: spec.promotionTemplate.spec.steps[0]: Invalid value: \"object\": PromotionTemplate step must have exactly one of uses or task set' \
    "$(send POST $K/namespaces/demo/stages $J "$(stage bad "{$RF,\"promotionTemplate\":{\"spec\":{\"steps\":[{\"as\":\"x\"}]}}}")")"
expect_eq "Rollout replicas a string (type, scale subresource)" \
    "422 Rollout.argoproj.io \\\"r\\\" is invalid: [spec.replicas: Invalid value: \\\"string\\\": spec.replicas in body must be of type integer: \\\"string\\\", .spec.replicas: Invalid value: 0: .spec.replicas accessor error: three is of the type string, expected int64, $BLOCKED]" \
    "$(send POST $A/namespaces/demo/rollouts $J '{"apiVersion":"argoproj.io/v1alpha1","kind":"Rollout","metadata":{"name":"r"},"spec":{"replicas":"three","selector":{"matchLabels":{"app":"r"}},"template":{"metadata":{"labels":{"app":"r"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}')"

expect_eq "a label value that is no label value (ObjectMeta, before the schema)" \
    '422 Stage.kargo.akuity.io \"l\" is invalid: metadata.labels: Invalid value: \"bad value!\": a valid label must be an empty string or consist of alphanumeric characters, '"'"'-'"'"', '"'"'_'"'"' or '"'"'.'"'"', and must start and end with an alphanumeric character (e.g. '"'"'MyValue'"'"',  or '"'"'my_value'"'"',  or '"'"'12345'"'"', regex used for validation is '"'"'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?'"'"')' \
    "$(send POST $K/namespaces/demo/stages $J "{\"apiVersion\":\"kargo.akuity.io/v1alpha1\",\"kind\":\"Stage\",\"metadata\":{\"name\":\"l\",\"labels\":{\"tier\":\"bad value!\"}},\"spec\":{$RF}}")"

# Unknown fields, per fieldValidation.
expect_eq "Strict refuses an unknown field" \
    '400 Stage in version \"v1alpha1\" cannot be handled as a Stage: strict decoding error: unknown field \"metadata.colour\", unknown field \"spec.bogus\"' \
    "$(send POST "$K/namespaces/demo/stages?fieldValidation=Strict" $J "{\"apiVersion\":\"kargo.akuity.io/v1alpha1\",\"kind\":\"Stage\",\"metadata\":{\"name\":\"u\",\"colour\":\"red\"},\"spec\":{\"bogus\":1,$RF}}")"
expect_eq "Warn (the default) stores it pruned" "201 " \
    "$(send POST "$K/namespaces/demo/stages" $J "$(stage u "{\"bogus\":1,$RF}")")"
expect_eq "with a Warning header" 'Warning: 299 - "unknown field \"spec.bogus\""' \
    "$(grep -i '^Warning:' "$d/h" | tr -d '\r')"
expect_eq "the field is gone" "" "$(kubectl get stage u -n demo -o jsonpath='{.spec.bogus}')"
expect_eq "Ignore: no warning" "201 |" \
    "$(send POST "$K/namespaces/demo/stages?fieldValidation=Ignore" $J "$(stage v "{\"bogus\":1,$RF}")")|$(grep -i '^Warning:' "$d/h")"
expect_match "a merge patch with an unknown field, Strict" \
    '^422  \\"\\" is invalid: patch: Invalid value: .*strict decoding error: unknown field \\"spec.colour\\"$' \
    "$(send PATCH "$K/namespaces/demo/stages/u?fieldValidation=Strict" application/merge-patch+json '{"spec":{"colour":"blue"}}')"
expect_eq "kubectl create sends Strict" \
    'Error from server (BadRequest): error when creating "STDIN": Stage in version "v1alpha1" cannot be handled as a Stage: strict decoding error: unknown field "spec.bogus"' \
    "$(stage w "{\"bogus\":1,$RF}" | sed 's/"name":"w"/"name":"w","namespace":"demo"/' | kubectl create -f - 2>&1)"

# Kargo's webhook rules (Kargo v1.11.2's messages).
expect_eq "a Stage outside a Project's namespace" \
    '422 admission webhook \"stage.kargo.akuity.io\" denied the request: Stage.kargo.akuity.io \"s\" is invalid: metadata.namespace: Invalid value: \"plain\": namespace \"plain\" is not a project' \
    "$(send POST $K/namespaces/plain/stages $J "$(stage s "{$RF}")")"
expect_eq "one origin requested twice" \
    '422 admission webhook \"stage.kargo.akuity.io\" denied the request: Stage.kargo.akuity.io \"dup\" is invalid: spec.requestedFreight: Invalid value: [{\"origin\":{\"kind\":\"Warehouse\",\"name\":\"w\"},\"sources\":{\"direct\":true}},{\"origin\":{\"kind\":\"Warehouse\",\"name\":\"w\"},\"sources\":{\"stages\":[\"up\"]}}]: freight with origin Warehouse/w requested multiple times in spec.requestedFreight' \
    "$(send POST $K/namespaces/demo/stages $J "$(stage dup '{"requestedFreight":[{"origin":{"kind":"Warehouse","name":"w"},"sources":{"direct":true}},{"origin":{"kind":"Warehouse","name":"w"},"sources":{"stages":["up"]}}]}')")"
expect_eq "a reserved step alias" \
    '422 admission webhook \"stage.kargo.akuity.io\" denied the request: Stage.kargo.akuity.io \"al\" is invalid: spec.promotionTemplate.spec.steps[0].as: Invalid value: \"step-1\": step alias is reserved' \
    "$(send POST $K/namespaces/demo/stages $J "$(stage al "{$RF,\"promotionTemplate\":{\"spec\":{\"steps\":[{\"uses\":\"git-clone\",\"as\":\"step-1\"}]}}}")")"
expect_eq "MatchUpstream with direct and no single upstream" \
    '422 admission webhook \"stage.kargo.akuity.io\" denied the request: Stage.kargo.akuity.io \"mu\" is invalid: [spec.requestedFreight[0].sources.autoPromotionOptions.selectionPolicy: Invalid value: \"MatchUpstream\": selection policy '"'"'MatchUpstream'"'"' cannot be used when accepting Freight directly from its origin, spec.requestedFreight[0].sources.autoPromotionOptions.selectionPolicy: Invalid value: \"MatchUpstream\": selection policy '"'"'MatchUpstream'"'"' requires exactly one upstream Stage to be specified]' \
    "$(send POST $K/namespaces/demo/stages $J "$(stage mu '{"requestedFreight":[{"origin":{"kind":"Warehouse","name":"w"},"sources":{"direct":true,"autoPromotionOptions":{"selectionPolicy":"MatchUpstream"}}}]}')")"
expect_eq "a PromotionTask with a duplicate alias" \
    '422 admission webhook \"promotiontask.kargo.akuity.io\" denied the request: PromotionTask.kargo.akuity.io \"t\" is invalid: spec.steps[1].as: Invalid value: \"x\": step alias duplicates that of spec.steps[0]' \
    "$(send POST $K/namespaces/demo/promotiontasks $J '{"apiVersion":"kargo.akuity.io/v1alpha1","kind":"PromotionTask","metadata":{"name":"t"},"spec":{"steps":[{"uses":"a","as":"x"},{"uses":"b","as":" x "}]}}')"
expect_eq "a ClusterPromotionTask with a reserved alias" \
    '422 admission webhook \"clusterpromotiontask.kargo.akuity.io\" denied the request: ClusterPromotionTask.kargo.akuity.io \"ct\" is invalid: spec.steps[0].as: Invalid value: \"task-2\": step alias is reserved' \
    "$(send POST $K/clusterpromotiontasks $J '{"apiVersion":"kargo.akuity.io/v1alpha1","kind":"ClusterPromotionTask","metadata":{"name":"ct"},"spec":{"steps":[{"uses":"a","as":"task-2"}]}}')"
expect_eq "a good PromotionTask" "201 " \
    "$(send POST $K/namespaces/demo/promotiontasks $J '{"apiVersion":"kargo.akuity.io/v1alpha1","kind":"PromotionTask","metadata":{"name":"ok"},"spec":{"steps":[{"uses":"git-clone","as":"clone"}]}}')"
expect_eq "kubectl lists PromotionTasks by short name" "ok" \
    "$(kubectl get promotask -n demo -o jsonpath='{.items[*].metadata.name}')"

fr() { printf '{"apiVersion":"kargo.akuity.io/v1alpha1","kind":"Freight","metadata":{"name":"x"},"alias":"a1","origin":{"kind":"Warehouse","name":"w"},"images":[{"repoURL":"r","tag":"%s"}]}' "$1"; }
expect_eq "a Freight with alias a1" "201 " "$(send POST $K/namespaces/demo/freights $J "$(fr 1.0)")"
expect_match "another Freight with alias a1" \
    '^422 admission webhook \\"freight.kargo.akuity.io\\" denied the request: Freight.kargo.akuity.io \\"[0-9a-f]{40}\\" is invalid: alias: Invalid value: \\"a1\\": alias already used by another piece of Freight in namespace \\"demo\\"$' \
    "$(send POST $K/namespaces/demo/freights $J "$(fr 2.0)")"

expect_eq "a delete answers a Success Status" '200 ' \
    "$(send DELETE $K/namespaces/demo/stages/u $J '')"
expect_match "naming what went" '"status":"Success","details":\{"name":"u","group":"kargo.akuity.io","kind":"stages","uid":"[0-9a-f-]{36}"\}' \
    "$(cat "$d/b")"
done_testing

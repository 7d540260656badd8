#!/bin/sh
# tests/sim/test_kubectl.sh: real kubectl against `freightdeck sim` over TLS
# with bearer tokens: every verb the console and the operators rely on, and
# the Status errors a real API server sends.
. "$FD_TOP_SRCDIR/tests/lib/tap.sh"

if ! command -v kubectl >/dev/null 2>&1 || ! command -v openssl >/dev/null 2>&1; then
    echo "1..0 # SKIP kubectl or openssl not installed"
    exit 0
fi

d=$(mktemp -d "${TMPDIR:-/tmp}/fd-sim.XXXXXX")
pid=
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; fi
    rm -rf "$d"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# A CA and a server certificate for 127.0.0.1.
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$d/ca.key" -out "$d/ca.crt" -days 2 \
    -subj "/CN=freightdeck-sim-test-ca" >/dev/null 2>&1
openssl req -newkey rsa:2048 -nodes -keyout "$d/srv.key" -out "$d/srv.csr" \
    -subj "/CN=127.0.0.1" >/dev/null 2>&1
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$d/ext.cnf"
openssl x509 -req -in "$d/srv.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial \
    -out "$d/srv.crt" -days 2 -extfile "$d/ext.cnf" >/dev/null 2>&1
printf 'admintoken alice admin\npromotertoken bob promoter\nviewertoken carol viewer\n' >"$d/tokens"

"$FD_BIN" sim --listen 127.0.0.1:0 --tls-cert "$d/srv.crt" --tls-key "$d/srv.key" \
    --tls-ca "$d/ca.crt" --tokens "$d/tokens" --kubeconfig-out "$d/kubeconfig" \
    --load "$FD_TOP_SRCDIR/tests/sim/seed.yaml" >"$d/out" 2>"$d/err" &
pid=$!
await 20 grep -q '^listening on ' "$d/out" 2>/dev/null
url=$(sed -n 's/^listening on //p' "$d/out")
expect_match "first line says where it listens" '^https://127\.0\.0\.1:[0-9]+$' "$url"
[ -n "$url" ] || { diag "$(cat "$d/err")"; done_testing; exit 1; }

export KUBECONFIG="$d/kubeconfig"
k() { timeout "$(scaled 30)" kubectl --request-timeout="$(scaled 20)s" "$@"; }
as() { _tok=$1; shift; KUBECONFIG= timeout "$(scaled 30)" kubectl --server "$url" \
    --certificate-authority "$d/ca.crt" --token "$_tok" --request-timeout=20s "$@"; }

# get: the CRD's printer columns come back as a Table.
expect_exit "get stages" 0 k get stages -n demo
expect_match "get prints the CRD columns" 'NAME +SHARD +CURRENT FREIGHT +HEALTH +READY +STATUS +AGE' "$out"
expect_match "get prints the row" '^prod +blue +f1 +Healthy +True +Freight has been verified' "$out"
expect_exit "get -o json" 0 k get stage prod -n demo -o json
expect_match "-o json has real metadata" '"uid": "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-' "$out"
expect_exit "short name promo resolves" 0 k get promo -n demo
expect_exit "get across namespaces" 0 k get freight -A -o name
expect_eq "all freight" "$(printf 'freight.kargo.akuity.io/f%s\n' 1 2 3 4 5)" "$out"

# labelSelector and chunked lists (limit + continue).
expect_exit "label selector" 0 k get freight -n demo -l 'generation in (old)' -o name
expect_eq "label selector picks f1 f2" "$(printf 'freight.kargo.akuity.io/f%s\n' 1 2)" "$out"
expect_exit "!label selector" 0 k get stages -n demo -l '!missing,tier!=prod' -o name
expect_eq "!key and != selectors" "stage.kargo.akuity.io/uat" "$out"
expect_exit "--chunk-size=2" 0 k get freight -n demo --chunk-size=2 -o name -v=6
expect_eq "chunked list returns everything" "$(printf 'freight.kargo.akuity.io/f%s\n' 1 2 3 4 5)" "$out"
expect_match "the list went in chunks with continue tokens" 'freights\?continue=[A-Za-z0-9+/=%]+&limit=2' "$err"

# patch --type merge bumps generation; --subresource=status does not.
gen0=$(k get stage prod -n demo -o jsonpath='{.metadata.generation}')
expect_exit "patch --type merge" 0 k patch stage prod -n demo --type merge -p '{"spec":{"shard":"green"}}'
expect_eq "patch output" "stage.kargo.akuity.io/prod patched" "$out"
expect_eq "spec change bumps generation" "$((gen0 + 1)) green" \
    "$(k get stage prod -n demo -o jsonpath='{.metadata.generation} {.spec.shard}')"
expect_exit "patch --subresource=status" 0 k patch stage prod -n demo --subresource=status \
    --type merge -p '{"status":{"freightSummary":"f2"}}'
expect_eq "status changed, generation did not" "$((gen0 + 1)) f2" \
    "$(k get stage prod -n demo -o jsonpath='{.metadata.generation} {.status.freightSummary}')"
expect_exit "status on the main resource is ignored" 0 k patch stage prod -n demo --type merge \
    -p '{"status":{"freightSummary":"ignored"}}'
expect_eq "main resource cannot change status" "f2" \
    "$(k get stage prod -n demo -o jsonpath='{.status.freightSummary}')"
expect_exit "patch --type json" 0 k patch stage prod -n demo --type json \
    -p '[{"op":"test","path":"/spec/shard","value":"green"},{"op":"replace","path":"/spec/shard","value":"red"}]'
expect_exit "approve freight (status patch, as promoter)" 0 as promotertoken patch freight f3 -n demo \
    --subresource=status --type merge -p '{"status":{"approvedFor":{"prod":{"approvedAt":"2026-01-01T00:00:00Z"}}}}'
expect_eq "approval recorded" "2026-01-01T00:00:00Z" \
    "$(k get freight f3 -n demo -o jsonpath='{.status.approvedFor.prod.approvedAt}')"

# annotate (kubectl sends a merge patch).
expect_exit "annotate" 0 k annotate stage prod -n demo kargo.akuity.io/refresh=t1
expect_eq "annotate output" "stage.kargo.akuity.io/prod annotated" "$out"
expect_eq "annotation stored" "t1" \
    "$(k get stage prod -n demo -o jsonpath='{.metadata.annotations.kargo\.akuity\.io/refresh}')"

# get --watch sees a change.
timeout "$(scaled 30)" kubectl get stage prod -n demo --watch -o jsonpath='{.spec.shard}{"\n"}' >"$d/watch" 2>&1 &
wpid=$!
# The watch has printed the current state: it is open before the change.
await 20 grep -q red "$d/watch"
k patch stage prod -n demo --type merge -p '{"spec":{"shard":"watched"}}' >/dev/null
await 20 grep -q watched "$d/watch"
kill "$wpid" 2>/dev/null; wait "$wpid" 2>/dev/null
expect_eq "watch: the current state, then the change" "$(printf 'red\nwatched')" "$(cat "$d/watch")"

# create with generateName, then delete.
cat >"$d/promo.yaml" <<'YAML'
apiVersion: kargo.akuity.io/v1alpha1
kind: Promotion
metadata: {generateName: promo-, namespace: demo}
spec: {stage: prod, freight: f3, steps: [{uses: argocd-update}]}
YAML
expect_exit "create a promotion as promoter" 0 as promotertoken create -f "$d/promo.yaml"
# Kargo's mutating webhook always renames a Promotion <stage>.<ulid>.<freight[:7]>.
expect_match "create output names the object as Kargo names it" '^promotion\.kargo\.akuity\.io/prod\.[0-9a-z]{26}\.f3 created$' "$out"
promo=$(printf '%s' "$out" | sed 's|^promotion.kargo.akuity.io/\([^ ]*\) created$|\1|')
expect_exit "delete" 0 k delete promotion "$promo" -n demo
# kubectl 1.33 and later add "from NAMESPACE namespace".
expect_match "delete output" "^promotion\.kargo\.akuity\.io \"$promo\" deleted( from demo namespace)?\$" "$out"

# The Status errors, worded as the real server words them.
expect_exit "404" 1 k get stage nope -n demo
expect_eq "404 message" 'Error from server (NotFound): stages.kargo.akuity.io "nope" not found' "$err"
k get stage uat -n demo -o json >"$d/uat.json"
k annotate stage uat -n demo touched=yes >/dev/null
expect_exit "409 on a stale resourceVersion" 1 k replace -f "$d/uat.json"
expect_match "409 message" 'Error from server \(Conflict\): .*Operation cannot be fulfilled on stages\.kargo\.akuity\.io "uat": the object has been modified; please apply your changes to the latest version and try again' "$err"
expect_exit "415 for a strategic merge patch" 1 k patch stage prod -n demo -p '{"spec":{"shard":"x"}}'
expect_match "415 message" 'the body of the request was in an unknown format - accepted media types include: application/json-patch\+json, application/merge-patch\+json, application/apply-patch\+yaml' "$err"
k get stage uat -n demo -o json | sed '/"resourceVersion"/d' >"$d/dup.json"
expect_exit "AlreadyExists" 1 k create -f "$d/dup.json"
expect_match "AlreadyExists message" '^Error from server \(AlreadyExists\): error when creating ".*dup\.json": stages\.kargo\.akuity\.io "uat" already exists$' "$err"
expect_exit "401 with a bad token" 1 as badtoken get stages -n demo
expect_eq "401 message" "error: You must be logged in to the server (Unauthorized)" "$err"
expect_exit "403 for a viewer's patch" 1 as viewertoken patch stage prod -n demo --type merge -p '{"spec":{"shard":"v"}}'
expect_eq "403 message" 'Error from server (Forbidden): stages.kargo.akuity.io "prod" is forbidden: User "carol" cannot patch resource "stages" in API group "kargo.akuity.io" in the namespace "demo"' "$err"
expect_exit "403 for a promoter's delete" 1 as promotertoken delete stage prod -n demo
expect_match "403 names the verb and user" 'User "bob" cannot delete resource "stages"' "$err"
expect_exit "a viewer may read" 0 as viewertoken get stages -n demo -o name

# Every object served conforms to its CRD's openAPIV3Schema.
for kind in stages freights promotions warehouses projects; do
    k get "$kind" -A -o json >"$d/$kind.json"
    expect_exit "$kind conform to the CRD schema" 0 sh -c \
        '"$0" "$1"/tests/data/crds/*.yaml < "$2"' "$FD_TOP_BUILDDIR/tests/sim/crd_check" \
        "$FD_TOP_SRCDIR" "$d/$kind.json"
done

# SIGTERM: a clean exit 0.
kill -TERM "$pid"
wait "$pid"
expect_eq "exits 0 on SIGTERM" 0 $?
pid=
done_testing

# tests/sim/scenario_lib.sh: starting `freightdeck sim` with a scenario and
# waiting for states, for the scenario script tests (sourced after tap.sh).
#
#   sim_start ARGS...     starts the sim with tokens admintoken (alice,
#                         admin), promotertoken (bob), viewertoken (carol),
#                         crdviewertoken (dave: no ReplicaSets);
#                         sets $url, $d (a temp dir) and KUBECONFIG; the sim
#                         is killed on exit
#   k ARGS...             kubectl as the admin (bounded by timeout)
#   as TOKEN ARGS...      kubectl with another token
#   c PATH [ARGS...]      curl the sim as the admin
#   wait_for NAME SECS PATTERN CMD...
#                         runs CMD until its output matches PATTERN (ERE) or
#                         SECS (scaled) pass; one TAP line either way
#   sim_seconds           the scenario clock (seconds since the start)
# Every time limit here is scaled by FD_TEST_TIMEOUT_SCALE (tests/lib/sealed).

d=$(mktemp -d "${TMPDIR:-/tmp}/fd-scn.XXXXXX")
pid=
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; fi
    rm -rf "$d"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# kubectl sends bearer tokens only over TLS: a CA and a certificate for
# 127.0.0.1.
sim_certs() {
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$d/ca.key" -out "$d/ca.crt" -days 2 \
        -subj "/CN=freightdeck-sim-test-ca" >/dev/null 2>&1
    openssl req -newkey rsa:2048 -nodes -keyout "$d/srv.key" -out "$d/srv.csr" \
        -subj "/CN=127.0.0.1" >/dev/null 2>&1
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$d/ext.cnf"
    openssl x509 -req -in "$d/srv.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial \
        -out "$d/srv.crt" -days 2 -extfile "$d/ext.cnf" >/dev/null 2>&1
}

sim_start() {
    printf 'admintoken alice admin\npromotertoken bob promoter\nviewertoken carol viewer\n' >"$d/tokens"
    printf 'crdviewertoken dave crd-viewer\n' >>"$d/tokens"
    [ -f "$d/srv.crt" ] || sim_certs
    # A previous sim's "listening on" must not be read as this one's.
    rm -f "$d/out" "$d/err"
    "$FD_BIN" sim --listen 127.0.0.1:0 --tokens "$d/tokens" --kubeconfig-out "$d/kubeconfig" \
        --tls-cert "$d/srv.crt" --tls-key "$d/srv.key" --tls-ca "$d/ca.crt" \
        "$@" >"$d/out" 2>"$d/err" &
    pid=$!
    await 20 grep -q '^listening on ' "$d/out" 2>/dev/null
    url=$(sed -n 's/^listening on //p' "$d/out")
    export KUBECONFIG="$d/kubeconfig"
    [ -n "$url" ]
}

k() { timeout "$(scaled 30)" kubectl --request-timeout="$(scaled 20)s" "$@"; }
as() { _tok=$1; shift; KUBECONFIG= timeout "$(scaled 30)" kubectl --server "$url" \
    --certificate-authority "$d/ca.crt" --token "$_tok" --request-timeout="$(scaled 20)s" "$@"; }
# curl with the admin token: c PATH [CURL ARGS...]
c() { _p=$1; shift; curl -s --max-time "$(scaled 20)" --cacert "$d/ca.crt" \
    -H "Authorization: Bearer admintoken" "$@" "$url$_p"; }
sim_seconds() { c /metrics | sed -n 's/^freightdeck_sim_scenario_seconds \([0-9]*\).*/\1/p'; }

wait_for() {
    _name=$1; _secs=$2; _pat=$3; shift 3
    _end=$(( $(date +%s) + $(scaled "$_secs") ))
    while :; do
        _got=$("$@" 2>"$d/wait.err")
        if printf '%s\n' "$_got" | grep -Eq -- "$_pat"; then tap_ok "$_name"; return 0; fi
        if [ "$(date +%s)" -ge "$_end" ]; then
            tap_not_ok "$_name"; diag "waited $(scaled "$_secs")s for: $_pat"; diag "last got: $_got"; diag "$(cat "$d/wait.err")"
            return 1
        fi
        sleep 0.2 # poll
    done
}

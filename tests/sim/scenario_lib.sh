# tests/sim/scenario_lib.sh: starting `freightdeck sim` with a scenario and
# waiting for states, for the scenario script tests (sourced after tap.sh).
#
#   sim_start ARGS...     starts the sim with tokens admintoken (alice,
#                         admin), promotertoken (bob), viewertoken (carol);
#                         sets $url, $d (a temp dir) and KUBECONFIG; the sim
#                         is killed on exit
#   k ARGS...             kubectl as the admin (bounded by timeout)
#   as TOKEN ARGS...      kubectl with another token
#   wait_for NAME SECS PATTERN CMD...
#                         runs CMD until its output matches PATTERN (ERE) or
#                         SECS pass; one TAP line either way

d=$(mktemp -d "${TMPDIR:-/tmp}/fd-scn.XXXXXX")
pid=
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; fi
    rm -rf "$d"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

sim_start() {
    printf 'admintoken alice admin\npromotertoken bob promoter\nviewertoken carol viewer\n' >"$d/tokens"
    "$FD_BIN" sim --listen 127.0.0.1:0 --tokens "$d/tokens" --kubeconfig-out "$d/kubeconfig" \
        "$@" >"$d/out" 2>"$d/err" &
    pid=$!
    _i=0
    while [ $_i -lt 100 ] && ! grep -q '^listening on ' "$d/out" 2>/dev/null; do
        sleep 0.1; _i=$((_i + 1))
    done
    url=$(sed -n 's/^listening on //p' "$d/out")
    export KUBECONFIG="$d/kubeconfig"
    [ -n "$url" ]
}

k() { timeout 30 kubectl --request-timeout=20s "$@"; }
as() { _tok=$1; shift; KUBECONFIG= timeout 30 kubectl --server "$url" --token "$_tok" \
    --request-timeout=20s "$@"; }

wait_for() {
    _name=$1; _secs=$2; _pat=$3; shift 3
    _end=$(( $(date +%s) + _secs ))
    while :; do
        _got=$("$@" 2>&1)
        if printf '%s\n' "$_got" | grep -Eq -- "$_pat"; then tap_ok "$_name"; return 0; fi
        if [ "$(date +%s)" -ge "$_end" ]; then
            tap_not_ok "$_name"; diag "waited ${_secs}s for: $_pat"; diag "last got: $_got"
            return 1
        fi
        sleep 0.2
    done
}

#!/bin/sh
# tests/sim/test_scenario_faults.sh: every --faults mode observable over
# HTTP, deterministic for a seed; bad specs refused with a clear message.
. "$FD_TOP_SRCDIR/tests/lib/tap.sh"
. "$FD_TOP_SRCDIR/tests/sim/scenario_lib.sh"

if ! command -v openssl >/dev/null 2>&1 || ! command -v curl >/dev/null 2>&1; then
    echo "1..0 # SKIP openssl or curl not installed"
    exit 0
fi

stop() { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; pid=; }
STAGES=/apis/kargo.akuity.io/v1alpha1/namespaces/payments/stages

expect_exit "an unknown fault is refused" 1 "$FD_BIN" sim --faults bogus=1
expect_match "naming it" "--faults 'bogus': unknown fault" "$err"
expect_exit "a bad fraction is refused" 1 "$FD_BIN" sim --faults 5xx=2
expect_match "saying what is expected" "--faults '5xx=2': expected a fraction from 0 to 1" "$err"
expect_exit "a bad duration is refused" 1 "$FD_BIN" sim --faults latency=soon
expect_match "in Go's words" "--faults 'latency=soon': time: invalid duration \"soon\"" "$err"

# latency
sim_start --faults latency=400ms
t=$(c "$STAGES" -o /dev/null -w '%{http_code} %{time_total}')
expect_match "latency: every response waits 400ms" '^200 (0\.[4-9]|[1-9])' "$t"
stop

# 5xx: some requests fail with a Status, the same ones for the same seed.
codes() { _n=0; _s=; while [ $_n -lt 30 ]; do
    _s="$_s$(c "$STAGES" -o /dev/null -w '%{http_code}') "; _n=$((_n + 1)); done; echo "$_s"; }
sim_start --faults 5xx=0.3 --seed 42
first=$(codes)
body=$(c "$STAGES")
stop
sim_start --faults 5xx=0.3 --seed 42
second=$(codes)
stop
expect_match "5xx: some requests answer 503" '503' "$first"
expect_match "5xx: most still answer 200" '(200 .*){10}' "$first"
expect_eq "5xx: the same seed fails the same requests" "$first" "$second"
sim_start --faults 5xx=1
expect_match "5xx: a Kubernetes Status body" '"reason":"ServiceUnavailable","code":503' "$(c "$STAGES")"
stop

# truncate / malformed
sim_start --faults truncate=1
b=$(c "$STAGES" -w '|%{http_code}')
expect_match "truncate: the body stops mid-document" '^\{".*"kind":"StageList".*[^}]\|200$' "$b"
stop
sim_start --faults malformed=1
# One body, counted twice: the scenario moves on between two requests, so two
# bodies need not have the same length.
c "$STAGES" -o "$d/malformed"
n1=$(wc -c <"$d/malformed")
n2=$(tr -d '\001' <"$d/malformed" | wc -c)
expect_eq "malformed: a stray control byte in the JSON" "1" "$((n1 - n2))"
stop

# drop-watch: the stream ends by itself; gone: a 410 ERROR event then the end.
sim_start --faults drop-watch=2s
s=$(date +%s)
c "$STAGES?watch=true" --max-time "$(scaled 30)" -o "$d/w1" -w '%{http_code}' >"$d/w1.code"
rc=$?
e=$(( $(date +%s) - s ))
expect_eq "drop-watch: the watch answered 200" "200" "$(cat "$d/w1.code")"
# curl exits 28 at its own limit: 0 means the server ended the stream.
expect_eq "drop-watch: and the server closed it, not curl's time limit" "0" "$rc"
expect_match "drop-watch: not before its 2s" '^([2-9]|[1-9][0-9]+)$' "$e"
expect_match "drop-watch: after sending the current state" '"type":"ADDED"' "$(cat "$d/w1")"
stop
sim_start --faults gone=2s
c "$STAGES?watch=true" --max-time "$(scaled 30)" -o "$d/w2"
expect_match "gone: an ERROR event with a 410 Expired Status" \
    '\{"type":"ERROR","object":\{"kind":"Status".*"reason":"Expired","code":410\}\}' "$(tail -n 1 "$d/w2")"
expect_match "/metrics counts the faults injected" 'freightdeck_sim_faults_injected_total [1-9]' \
    "$(c /metrics)"
stop
done_testing
